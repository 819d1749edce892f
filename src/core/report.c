/*
 * report: --list, --dump (with each item's 解説 under it), diagnostics and
 * --progress as plain text (see report.h).  What --progress says is
 * rows.c's; here is only its layout.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/explain.h"
#include "core/layout.h"
#include "core/progress.h"
#include "core/report.h"
#include "core/rows.h"
#include "core/text.h"
#include "core/util.h"

/* Write s sanitised. */
static void report_puts_safe(FILE *out, const char *s)
{
	char *t = text_sanitize(s, strlen(s));
	fputs(t, out);
	free(t);
}

/*
 * Everything is written; now the errors of any write show up.  The stdio
 * calls that failed set errno, and nothing since has cleared it: callers
 * zero it before they write (report_start), so a stale errno is not told.
 */
static int report_finish(FILE *out)
{
	if (fflush(out) == EOF || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}

static void report_start(void)
{
	errno = 0;
}

int report_list(FILE *out, const struct doc *d)
{
	report_start();
	for (size_t i = 0; i < d->npages && !ferror(out); i++) {
		/* Ids are checked by the parser; titles were sanitised there, but cost nothing to redo. */
		report_puts_safe(out, d->pages[i].id);
		fputc('\t', out);
		report_puts_safe(out, d->pages[i].title);
		fputc('\n', out);
	}
	return report_finish(out);
}

/* Columns an item's 解説 is indented by in --dump: under the item's text, past "[ ] ". */
#define REPORT_EXPLAIN_INDENT 4

/* The 解説 of item index item, framed and indented under it, at width columns in all. */
static void report_dump_explain(FILE *out, const struct doc *d, int item, int width)
{
	struct layout lo;
	/* Indented only where the frame keeps the narrowest width the layout is made for. */
	int indent = width - REPORT_EXPLAIN_INDENT >= LAYOUT_MIN_WIDTH ? REPORT_EXPLAIN_INDENT : 0;

	if (!explain_layout(&lo, d, item, width - indent))
		return;
	for (size_t i = 0; i < lo.nlines && !ferror(out); i++) {
		fprintf(out, "%*s", *lo.lines[i].text ? indent : 0, "");
		fputs(lo.lines[i].text, out);
		fputc('\n', out);
	}
	layout_free(&lo);
}

/*
 * Item index it's line in the answers (a may be NULL: nothing answered),
 * under it in --dump --with-answers: the answers file's own words, so a
 * reader can edit the file by hand knowing the ids.
 */
static void report_dump_answer(FILE *out, const struct doc *d, const struct answers *a, int it)
{
	const struct answer *e = a ? answers_find_item(a, (size_t)it) : NULL;

	fprintf(out, "%*s> %s %s ", REPORT_EXPLAIN_INDENT, "", d->items[it].id,
	        answers_state_name(e ? e->state : ANSWER_NONE));
	report_puts_safe(out, e && e->time ? e->time : "-");
	if (e && e->note && *e->note) {
		fputc(' ', out);
		report_puts_safe(out, e->note);
	}
	fputc('\n', out);
	if (e && e->owner && *e->owner) {
		fprintf(out, "%*s>   owner ", REPORT_EXPLAIN_INDENT, "");
		report_puts_safe(out, e->owner);
		fputc('\n', out);
	}
	if (e && e->due && *e->due) {
		fprintf(out, "%*s>   due ", REPORT_EXPLAIN_INDENT, "");
		report_puts_safe(out, e->due);
		fputc('\n', out);
	}
}

/* report_dump_page, with each item's answer under it when with_answers. */
static int report_dump(FILE *out, const struct doc *d, int page, int width, const struct answers *a,
                       int with_answers)
{
	struct layout lo;

	report_start();
	layout_page(&lo, d, page, width);
	for (size_t i = 0; i < lo.nlines && !ferror(out); i++) {
		fputs(lo.lines[i].text, out);
		fputc('\n', out);
		/* After an item's last line, its 解説 if it has one. */
		int it = lo.lines[i].item;
		if (it >= 0 &&
		    (i + 1 == lo.nlines || lo.lines[i + 1].item != it || lo.lines[i + 1].first)) {
			if (with_answers)
				report_dump_answer(out, d, a, it);
			report_dump_explain(out, d, it, lo.width);
		}
	}
	layout_free(&lo);
	/* Not flushed: --dump all writes page after page into one buffer. */
	return ferror(out) ? (errno ? -errno : -EIO) : 0;
}

int report_dump_page(FILE *out, const struct doc *d, int page, int width)
{
	return report_dump(out, d, page, width, NULL, 0);
}

int report_dump_page_answers(FILE *out, const struct doc *d, int page, int width, const struct answers *a)
{
	return report_dump(out, d, page, width, a, 1);
}

int report_diags(FILE *out, const struct doc *d)
{
	report_start();
	for (size_t i = 0; i < d->ndiags && !ferror(out); i++) {
		/* doc.c sanitised both when it recorded them; this is the last line of defence. */
		report_puts_safe(out, d->diags[i].file);
		/* As compilers do: what stops the reader is plain, what does not says so. */
		fprintf(out, ":%d: %s", d->diags[i].line,
		        d->diags[i].severity == DOC_WARNING ? "warning: " : "");
		report_puts_safe(out, d->diags[i].msg);
		fputc('\n', out);
	}
	return report_finish(out);
}

/* The diagnosis parts' kind as --progress names it: "diagnosis" alone is the score. */
static const char *report_group_kind(const struct group *g)
{
	return g->kind == GROUP_DIAGNOSIS ? "diagnosis-part" : doc_group_kind_name(g->kind);
}

/*
 * Write label after a first line that already used used columns, wrapped
 * (with the reader's kinsoku) so no line passes width (0: no limit): on
 * the rest of the first line when it leaves a useful part, then on lines
 * indented by indent columns.
 */
static void report_wrapped(FILE *out, const char *sep, const char *label, size_t used, int width,
                           size_t indent)
{
	size_t len = strlen(label), at = 0;
	struct wrap_line *wl;

	used += strlen(sep); /* ASCII */
	if (width <= 0 || used + text_width(label, len) <= (size_t)width) {
		fputs(sep, out);
		fputs(label, out);
		fputc('\n', out);
		return;
	}
	if ((size_t)width >= used + 20) {
		/* The first line takes what fits after what it already holds. */
		size_t n = layout_wrap(label, len, (size_t)width - used, &wl);
		if (n) {
			fputs(sep, out);
			fwrite(label + wl[0].start, 1, wl[0].len, out);
			at = wl[0].start + wl[0].len;
		}
		free(wl);
	}
	fputc('\n', out);
	while (at < len && label[at] == ' ')
		at++;
	if (at >= len)
		return;
	size_t room = (size_t)width > indent + 10 ? (size_t)width - indent : 10;
	size_t n = layout_wrap(label + at, len - at, room, &wl);
	for (size_t k = 0; k < n; k++) {
		fprintf(out, "%*s", (int)indent, "");
		fwrite(label + at + wl[k].start, 1, wl[k].len, out);
		fputc('\n', out);
	}
	free(wl);
}

int report_progress_text(FILE *out, const struct doc *d, const struct rows *r, int width)
{
	report_start();
	for (size_t i = 0; i < r->n; i++) {
		const struct row *row = &r->v[i];
		if (!row->bar[0]) {
			fprintf(out, "%*s", 2 * row->level, "");
			report_wrapped(out, "", row->label, (size_t)(2 * row->level), width,
			               (size_t)(2 * row->level + 2));
			continue;
		}
		struct buf head = { 0 };
		buf_printf(&head, "%-*s %4s  ", r->bar_width, row->bar, row->change);
		if (row->kind == ROWS_GROUP) {
			const struct group *g = &d->groups[row->group];
			char *id = text_sanitize(g->id, strlen(g->id));
			buf_printf(&head, "%s %s", report_group_kind(g), id);
			free(id);
		} else if (row->kind == ROWS_READY) {
			buf_printf(&head, "star-%d", row->stars);
		} else {
			buf_adds(&head, row->kind == ROWS_SCORE ? "diagnosis" : "overall");
		}
		fputs(head.s, out);
		/* The bar, the change and the id stay on the first line, whatever the width: scripts grep it. */
		report_wrapped(out, "  ", row->label, text_width(head.s, head.len), width, 4);
		buf_free(&head);
	}
	return report_finish(out);
}

static void report_tsv_row(FILE *out, const char *kind, const char *id, const char *title, long done,
                           long applicable, int pct)
{
	fprintf(out, "%s\t", kind);
	report_puts_safe(out, id);
	fputc('\t', out);
	report_puts_safe(out, title);
	if (pct == -1 && applicable == 0)
		fprintf(out, "\t%ld\t%ld\t-\n", done, applicable);
	else
		fprintf(out, "\t%ld\t%ld\t%d\n", done, applicable, pct);
}

int report_progress_tsv(FILE *out, const struct doc *d, const struct progress *p)
{
	report_start();
	fputs("kind\tid\ttitle\tdone\tapplicable\tpercent\n", out);
	for (size_t g = 0; g < p->ngroups; g++) {
		const struct group *gr = &d->groups[g];
		const struct progress_group *pg = &p->groups[g];
		report_tsv_row(out, report_group_kind(gr), gr->id, gr->title, (long)pg->done,
		               (long)pg->applicable, progress_percent(pg->done, pg->applicable));
	}
	if (p->questions)
		report_tsv_row(out, "diagnosis", "diagnosis", "自社診断", p->score, 100, p->score);
	report_tsv_row(out, "overall", "overall", "全体", (long)p->done, (long)p->applicable,
	               progress_percent(p->done, p->applicable));
	return report_finish(out);
}
