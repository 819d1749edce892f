/*
 * report: the non-interactive outputs built on the same core as the
 * screens: --list, --dump and --check-content's diagnostics.  Each writes
 * to a FILE* it is given; everything from a file is already sanitised by
 * the parser, and paths are sanitised here.
 */
#ifndef MAMORI_REPORT_H
#define MAMORI_REPORT_H

#include <stdio.h>

#include "core/doc.h"

/*
 * How a checklist item is marked in a dump: returns a 3-column marker such
 * as "[x]", or NULL for the default "[ ]".
 */
typedef const char *(*report_mark_fn)(void *ctx, int item);

/* One line per page, "ID<TAB>TITLE", in reading order. */
void report_list(FILE *out, const struct doc *d);

/*
 * The page laid out at width columns, exactly as the reader lays it out.
 * mark may be NULL.  Returns 0, or -errno when writing failed.
 */
int report_dump_page(FILE *out, const struct doc *d, int page, int width,
		     report_mark_fn mark, void *ctx);

/* Every diagnostic as "FILE:LINE: message", one per line. */
void report_diags(FILE *out, const struct doc *d);

#endif
