/*
 * report: --list, --dump and diagnostics as plain text (see report.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/layout.h"
#include "core/report.h"
#include "core/text.h"

void report_list(FILE *out, const struct doc *d)
{
	for (size_t i = 0; i < d->npages; i++)
		fprintf(out, "%s\t%s\n", d->pages[i].id, d->pages[i].title);
}

int report_dump_page(FILE *out, const struct doc *d, int page, int width,
		     report_mark_fn mark, void *ctx)
{
	struct layout lo;

	if (layout_page(&lo, d, page, width) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < lo.nlines; i++) {
		const struct line *l = &lo.lines[i];
		const char *m = l->item >= 0 && l->first && mark ? mark(ctx, l->item) : NULL;
		if (m) {
			fwrite(l->text, 1, (size_t)l->mark_col, out);
			fputs(m, out);
			fputs(l->text + l->mark_col + 3, out);
		} else {
			fputs(l->text, out);
		}
		fputc('\n', out);
	}
	layout_free(&lo);
	return ferror(out) ? -EIO : 0;
}

void report_diags(FILE *out, const struct doc *d)
{
	for (size_t i = 0; i < d->ndiags; i++) {
		char *file = text_sanitize(d->diags[i].file, strlen(d->diags[i].file));
		fprintf(out, "%s:%d: %s\n", file ? file : "?", d->diags[i].line, d->diags[i].msg);
		free(file);
	}
}
