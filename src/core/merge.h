/*
 * merge: several departments' answers combined into one session (`mamori
 * --merge`, the 部門別 screen, the report of a merged session).  Reading
 * the inputs (read-only, refusing a file a running mamori holds), the
 * table of each item with each department's answer side by side, and the
 * rules that make one answer of them.  Nothing here writes a file: the
 * caller serialises the merged model (answers_serialize) or saves it.
 * No output; messages come back as malloc'd strings, "FILE:LINE: message"
 * (or "FILE: message" for the whole file), not sanitised: they quote
 * files, so pass them through text_sanitize before they reach a terminal.
 * Out of memory aborts.
 *
 * The rules (also in MERGING in doc/mamori.1):
 * - The department of an input is its `department` header, else its file
 *   name without the directory and a final ".txt".  Two inputs of one
 *   department are refused.
 * - A diagnosis question: the lowest score wins (わからない counts -1, so it
 *   always surfaces); departments that left it unanswered are not counted.
 * - A checklist item: done only when every department has it done,
 *   該当しない only when every department says so, otherwise todo when any
 *   department answered it; unanswered when none did.
 * - Notes are kept, each prefixed with its department: "[総務部] ...",
 *   joined by a space in input order.  An owner all departments agree on is
 *   kept as it is; different owners are kept like notes ("[総務部] 佐藤
 *   [営業部] 鈴木").  The earliest due date wins; a department whose date
 *   differs has it added to the note ("[営業部] 期限 2027-04-30").
 * - The time of a merged answer is the latest of the departments' times
 *   for it; the merged session's `started` is the earliest of theirs (none
 *   when no input records one).  The company is the first input's that has one.
 * - Each input is recorded as a source line (department, path), so the
 *   merged file says where it came from and can be merged again.
 */
#ifndef MAMORI_MERGE_H
#define MAMORI_MERGE_H

#include <stddef.h>

#include "core/answers_format.h"
#include "core/util.h"

struct doc;

/* One item of the content with each department's answer. */
struct merge_row {
	size_t item;               /* index in doc.items */
	enum answer_state *states; /* one per input, in input order */
	enum answer_state merged;  /* what the rules make of them */
	int differ;                /* 1 when the departments' states are not all the same */
};

struct merge {
	size_t ninputs;
	char **departments;     /* one per input, UTF-8 as found (not sanitised) */
	char **paths;           /* one per input: its path as the caller named it */
	struct merge_row *rows; /* every item of the doc, content order */
	size_t nrows;
	size_t ndiffer; /* rows that differ */
};

/*
 * Read the answers file at path for merging, without changing anything:
 * no lock is taken or made, no temp file cleaned, no mode narrowed.
 * Refused: a file a running mamori holds (its ".NAME.lock" is flock'ed),
 * one that cannot be read or is not a regular file, and one that is not an
 * answers file (its first line that is not blank or a comment is not
 * "mamori-answers N").  Problems inside the file (unknown ids, lines it
 * cannot read) are left in a->diags for merge_build to refuse.  dirfd is
 * the directory a relative path is relative to (AT_FDCWD for the current
 * one).  Returns 0, or -errno with *err set (caller frees; a previous *err
 * is freed first); a is set up in every case: free it with answers_close.
 */
int merge_load(struct answers *a, int dirfd, const char *path, const struct doc *d, char **err);

/*
 * The table of the n inputs over d: their departments, every item's
 * states, the merged state, which rows differ.  Refused (every problem
 * found, one per line in *err): an input with a line it cannot read or an
 * id the content does not know (its a->diags), a file written by a newer
 * mamori, and two inputs of one department.  n must be at least 1.
 * Returns 0 or -EINVAL with *err set; m is zeroed on failure.  Free with
 * merge_free.
 */
int merge_build(struct merge *m, const struct doc *d, struct answers *const *inputs, size_t n, char **err);

/*
 * Write the merged answers of m (built from the same inputs and d) into
 * out, in memory: every item's merged state, time, note, owner and due,
 * the source lines, `started` and the company.  Items out already holds
 * are replaced; out's department and respondent are removed (a merge has
 * none).  The caller saves (answers_save) or serialises.  Returns 0.
 */
int merge_apply(const struct merge *m, const struct doc *d, struct answers *const *inputs,
                struct answers *out);

/*
 * The table of a merged session again, from the sources it records: each
 * source is read with merge_load (relative paths from dirfd, the merged
 * file's directory) and built with merge_build.  -ENOENT with *err
 * "... is not a merged session" when merged has no sources; any source's
 * problem as merge_load and merge_build report it.
 */
int merge_from_session(struct merge *m, const struct doc *d, const struct answers *merged, int dirfd,
                       char **err);

void merge_free(struct merge *m);

/* The marks of merge_show's table (ASCII, one column in every charset). */
#define MERGE_DIFFER_MARK '*' /* before a row whose departments differ */
#define MERGE_CUT_MARK '>'    /* in the last column of a text cut to fit */

/*
 * The table of m over d as text, appended to b (UTF-8, every line at most
 * width columns, at least 40): a head that counts departments and rows
 * that differ and explains the marks, then per group a heading and one
 * row per item: MERGE_DIFFER_MARK or a space, the id, each department's
 * merge_state_short, the merged one, and as much of the item's text as
 * fits (cut with MERGE_CUT_MARK).  Department names wider than 12 columns
 * are cut the same way; when the departments do not all fit beside each
 * other the table comes in panels of as many as fit ("部門 1-6 / 100").
 * Everything from the doc and the inputs is sanitised here.
 */
void merge_show(struct buf *b, const struct merge *m, const struct doc *d, int width);

/* The department of an input: its header, else its file name without ".txt" (malloc'd). */
char *merge_department(const struct answers *a);

/*
 * A short name of a state for a table (UTF-8, static, at most 6 columns):
 * 実施 一部 未実施 不明 for the questions, 済 未 対象外 for checklist
 * items, "-" for no answer.
 */
const char *merge_state_short(enum answer_state st);

#endif
