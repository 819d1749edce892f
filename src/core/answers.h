/*
 * answers: one session's answers file (see doc/answers-format.txt): load,
 * look up, change, and save atomically on every change, with one writer
 * per file.  Lines it cannot read are reported as FILE:LINE: message and
 * kept verbatim; ids the content does not know are kept too.  No output
 * here: messages come back as strings (not sanitised: they quote the file,
 * so pass them through text_sanitize before they reach a terminal).
 */
#ifndef MAMORI_ANSWERS_H
#define MAMORI_ANSWERS_H

#include <stddef.h>
#include <time.h>

struct doc;

/* The state of one item.  The word in the file is in the comment. */
enum answer_state {
	ANSWER_NONE = 0, /* "open": not answered (a line only to keep a note) */
	ANSWER_DONE,     /* "done": checklist item done */
	ANSWER_TODO,     /* "todo": checklist item explicitly not done */
	ANSWER_NA,       /* "na": 該当しない, left out of totals */
	ANSWER_YES,      /* "yes": 実施している (4 points) */
	ANSWER_PARTLY,   /* "partly": 一部実施している (2 points) */
	ANSWER_NO,       /* "no": 実施していない (0 points) */
	ANSWER_UNKNOWN,  /* "unknown": わからない (-1 point) */
	ANSWER_STATE_COUNT
};

/* One line of the file: an answer, or a malformed line kept as it was. */
struct answer {
	char *id;                /* NULL for a malformed line */
	enum answer_state state;
	char *time;              /* ISO 8601 as written, or "-" when unknown */
	char *note;              /* unescaped bytes, "" when none; may be invalid UTF-8 */
	char *raw;               /* malformed line verbatim (no newline), else NULL */
	size_t raw_len;          /* bytes in raw (it may hold NUL bytes) */
	char *comments;          /* "# ..." lines that stood before it, with their
	                            newlines, or NULL; they move with the line */
	int line;                /* line in the file; 0 when added in this run */
	int item;                /* index in doc.items; -1 when unknown or no doc */
};

struct answers_diag {
	int line;                /* 0 when the message is about the whole file */
	char *msg;               /* "FILE:LINE: message", ready to print once sanitised */
};

struct answers {
	char *path;              /* as given to answers_open */
	const struct doc *doc;   /* borrowed, may be NULL; must outlive this */
	int fd;                  /* the open file (holds the lock), or -1 */
	int readonly;            /* 1: changes are refused (see readonly_reason) */
	char *readonly_reason;   /* why, e.g. "in use by another mamori", or NULL */
	struct answer *v;        /* in file order (then additions) */
	size_t n, cap;
	int *by_item;            /* doc.nitems entries: index into v, or -1 */
	char *trailing;          /* comment lines after the last line, or NULL */
	struct answers_diag *diags; /* what loading found, in line order */
	size_t ndiags;
	char *error;             /* message for the last failed call, or NULL */
};

/* Flags for answers_open. */
#define ANSWERS_CREATE   0x1 /* create the file (0600) when it is missing */
#define ANSWERS_READONLY 0x2 /* never write and take no lock (--progress) */

/*
 * Open, lock and load the answers file at path.  doc may be NULL (then ids
 * are not checked and saving keeps file order).  The file is opened with
 * O_NOFOLLOW (a symlink is -ELOOP) and must be a regular file (-EINVAL,
 * -EISDIR).  Without ANSWERS_READONLY an exclusive flock is taken; when
 * another process holds it ("in use by another mamori"), or the file or its
 * directory is not writable, or it was written by a newer format version,
 * the open still succeeds with a->readonly set and a->readonly_reason saying
 * why (show it).  ANSWERS_READONLY sets a->readonly too ("opened read-only").
 * With the lock held, stale temp files of ours (".NAME.tmp.XXXXXX") are removed.
 * A missing file is -ENOENT unless ANSWERS_CREATE, which creates it with a
 * header line (mode 0600 whatever the umask).
 * Problems in the content of the file never fail the open: they are in
 * a->diags (malformed lines, unknown ids: each reported once, here).
 * Returns 0 or -errno with a->error set.  Call answers_close in every case.
 */
int answers_open(struct answers *a, const char *path, const struct doc *d, unsigned flags);

/* Release the lock, close the file and free everything.  Safe on a zeroed struct. */
void answers_close(struct answers *a);

/*
 * Parse len bytes of buf as an answers file named name (for messages) into
 * a fresh a, without touching any file: the parser used by answers_open,
 * the tests and the fuzzer.  a is read-only afterwards.  Returns 0 or
 * -ENOMEM.  Free with answers_close.
 */
int answers_parse_buffer(struct answers *a, const char *name, const char *buf, size_t len,
                         const struct doc *d);

/*
 * The file's text as answers_save writes it: header, known ids in content
 * order, then unknown ids and malformed lines in file order, then trailing
 * comments.  *out is malloc'd (caller frees), *len its length in bytes.
 * Returns 0 or -ENOMEM.
 */
int answers_serialize(const struct answers *a, char **out, size_t *len);

/*
 * Write the file atomically: a temp file in the same directory (O_EXCL,
 * O_NOFOLLOW, 0600), write, fsync, rename over path, fsync the directory;
 * the lock moves to the new file.  On any error before the rename the old
 * file is untouched and the temp file removed.  Returns 0, -EROFS when
 * read-only, or -errno; a->error says what failed.
 */
int answers_save(struct answers *a);

/* The entry for id (or item index), or NULL when the item has no line. */
const struct answer *answers_find(const struct answers *a, const char *id);
const struct answer *answers_find_item(const struct answers *a, size_t item);

/* The state of id (or item index): ANSWER_NONE when it has no line. */
enum answer_state answers_get(const struct answers *a, const char *id);
enum answer_state answers_get_item(const struct answers *a, size_t item);

/*
 * Set the state and, unless note is NULL, the note (one line; leading and
 * trailing blanks are dropped) of id, stamp it with now, and save at once.
 * ANSWER_NONE with an empty note removes the line.  With a doc, id must
 * be one of its items (-ENOENT) and the state must fit it: done/todo/na for
 * checklist items, yes/partly/no/unknown for diagnosis questions, or
 * ANSWER_NONE (-EINVAL).  When saving fails the change is undone in memory
 * too, so memory always matches the file.  Returns 0 or -errno, a->error set.
 */
int answers_set(struct answers *a, const char *id, enum answer_state st, const char *note,
                time_t now);

/* Message for the last failed call, or "" (never NULL). */
const char *answers_error(const struct answers *a);

/* The word in the file for st ("done", "yes", ...), and back (-1 when unknown). */
const char *answers_state_name(enum answer_state st);
int answers_state_parse(const char *word, size_t len);

/* 1 for the four diagnosis answers (yes, partly, no, unknown). */
int answers_state_is_question(enum answer_state st);

/* Points of a diagnosis answer: 4, 2, 0, -1; 0 for anything else. */
int answers_state_points(enum answer_state st);

/*
 * Write t as ISO 8601 local time with its offset ("2026-11-25T09:30:00+09:00",
 * or "...Z" when the offset is zero) into out.  Returns bytes written.
 */
size_t answers_format_time(time_t t, char out[32]);

/* 1 when the len bytes of s are a time this format accepts (see the man page). */
int answers_time_valid(const char *s, size_t len);

#endif
