/*
 * report: the non-interactive outputs built on the same core as the
 * screens: --list, --dump, --check-content's diagnostics, and --progress
 * as text (written from the rows the dashboard draws) or TSV.  Each
 * writes to a FILE* it is given, in UTF-8; everything from a file is
 * already sanitised by the parser, and paths and ids are sanitised here.
 */
#ifndef MAMORI_REPORT_H
#define MAMORI_REPORT_H

#include <stdio.h>

struct answers;
struct doc;
struct progress;
struct rows;

/*
 * Every function here that returns int returns 0, or -errno when a write
 * failed (EPIPE included: the caller decides whether that is an error).
 * They stop writing at the first failure.
 */

/* One line per page, "ID<TAB>TITLE", in reading order, flushed. */
int report_list(FILE *out, const struct doc *d);

/*
 * The page laid out at width columns, exactly as the reader lays it out,
 * checklist items unmarked ("[ ]").  Under an item that has an explanation
 * (a question's 解説) comes that explanation, framed (explain_layout),
 * indented 4 columns when the width allows, never wider than width.
 * Returns 0, or -errno when writing failed.
 */
int report_dump_page(FILE *out, const struct doc *d, int page, int width);

/*
 * report_dump_page with, under each checklist item (before its 解説), the
 * item's line as the answers file writes it, so the file can be edited by
 * hand knowing the ids: "    > ID STATE TIME NOTE" (state "open" and time
 * "-" when unanswered; the note unescaped and sanitised), then
 * "    >   owner NAME" and "    >   due YYYY-MM-DD" when set.  These lines
 * are not wrapped to width.  a may be NULL: nothing answered yet.
 */
int report_dump_page_answers(FILE *out, const struct doc *d, int page, int width, const struct answers *a);

/*
 * Every diagnostic as "FILE:LINE: message", one per line, a warning (a
 * problem that does not stop the reader) as "FILE:LINE: warning: message";
 * flushed.
 */
int report_diags(FILE *out, const struct doc *d);

/*
 * `mamori --progress` as text: one line per row of r (built over d, see
 * rows.h), in order.  A row with a bar reads "BAR CHANGE  TAG  LABEL", the
 * bars padded to one width so every label starts in one column, CHANGE
 * right-aligned in 4 columns, TAG naming what the row counts for scripts
 * ("principle principle-1", "diagnosis-part diagnosis-part1", "diagnosis",
 * "overall"); any other row is its label indented two spaces a level.
 * With width > 0 a label that would pass width columns wraps onto lines
 * indented under it (the bar, change and tag stay on the row's first line,
 * for scripts); 0 is no limit.  Returns 0 or -errno (a write error).
 */
int report_progress_text(FILE *out, const struct doc *d, const struct rows *r, int width);

/*
 * `mamori --progress --format tsv`: a header row "kind id title done
 * applicable percent", one row per group in content order (kind
 * principle, action, article, policy; diagnosis parts as kind
 * diagnosis-part with done = answered, applicable = questions), then one
 * row "diagnosis diagnosis 自社診断 SCORE 100 SCORE" when there are
 * questions and one row "overall overall 全体 done applicable percent".
 * A percent that does not exist (applicable 0) is "-".  Returns 0 or -errno.
 */
int report_progress_tsv(FILE *out, const struct doc *d, const struct progress *p);

#endif
