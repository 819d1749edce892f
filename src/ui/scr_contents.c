/*
 * scr_contents: the table of contents.  On top, the summary of progress
 * (core/rows.c's rows_summary: 3原則, 重要7項目, the two stars and the
 * 自社診断 score), so the bars are on the first screen whatever is
 * scrolled; then chapters as headings and pages as the rows the cursor
 * moves over, each with the bar of the checklist it holds and the change
 * since the previous session; at the bottom a line saying what Enter does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/rows.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/ui.h"

static struct {
	int *rows; /* a page index, or -1 - chapter for a heading */
	int *row_of_page;
	int *page_group; /* the group a page declares, or -1 */
	int bar_width;   /* columns of the widest bar, or -1 after a change */
	struct rows sum; /* the summary, built again after a change (sum_stale) */
	int sum_stale;
	struct list list;
} toc;

static int selectable(const void *ctx, size_t row)
{
	(void)ctx;
	return toc.rows[row] >= 0;
}

/* What the contents shows of every page, worked out once: the doc never changes while running. */
static void build(const struct doc *d)
{
	size_t np = d->npages ? d->npages : 1, n = 0;

	toc.rows = xmalloc((d->nchapters + np) * sizeof *toc.rows);
	toc.row_of_page = xcalloc(np, sizeof *toc.row_of_page);
	toc.page_group = xmalloc(np * sizeof *toc.page_group);
	for (size_t p = 0; p < d->npages; p++)
		toc.page_group[p] = -1;
	for (size_t g = d->ngroups; g-- > 0;)
		toc.page_group[d->groups[g].page] = (int)g; /* the first group declared wins */
	for (size_t c = 0; c < d->nchapters; c++) {
		toc.rows[n++] = -1 - (int)c;
		for (size_t p = 0; p < d->chapters[c].npages; p++) {
			int page = d->chapters[c].first_page + (int)p;
			toc.row_of_page[page] = (int)n;
			toc.rows[n++] = page;
		}
	}
	toc.bar_width = -1;
	toc.list.selectable = selectable;
	toc.list.cursor = -1;
	list_set_count(&toc.list, n);
}

/* Cells of a summary bar: 8 leave room for two labels of 14 columns on 80. */
#define SUMMARY_CELLS 8

/*
 * Lay the summary out from row y (draw 0: only count): two entries a line
 * when two fit side by side, the score alone on its line (its label is the
 * longest).  Returns the lines it takes.
 */
static int summary_layout(const struct ui *ui, int y, int draw)
{
	int bw = toc.sum.bar_width;
	int pair = ui->cols >= 2 * (14 + bw + 2);
	int lines = 0;

	for (size_t i = 0; i < toc.sum.n; i++, lines++) {
		const struct row *r = &toc.sum.v[i];
		int two = pair && r->kind == ROWS_SUMMARY && i + 1 < toc.sum.n &&
		          toc.sum.v[i + 1].kind == ROWS_SUMMARY;
		int cw = two ? ui->cols / 2 : ui->cols;
		for (int k = 0; k <= two; k++, r++) {
			if (!draw)
				continue;
			int x = k * cw;
			draw_text(y + lines, x + 1, r->label, cw - bw - 2, A_NORMAL);
			draw_text(y + lines, x + cw - bw - 1, r->bar, bw, A_NORMAL);
		}
		i += (size_t)two;
	}
	return lines;
}

static int summary_lines(const struct ui *ui)
{
	int lines = summary_layout(ui, 0, 0);
	/* Too short a screen keeps its rows for the list. */
	return ui_text_rows(ui) - lines - 3 >= 5 ? lines : 0;
}

/* Rows taken above the list: the title, the summary and a blank line. */
static int list_top(const struct ui *ui)
{
	return 1 + summary_lines(ui) + 1;
}

/* The list's rows: between the summary and the hint line. */
static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - list_top(ui) - 1;
}

/*
 * The bar shown beside a page that holds a checklist: done / applicable,
 * answered / questions for a diagnosis part, and the change since the
 * previous session.  Returns its width in columns, 0 for no bar.
 */
static int group_bar(const struct ui *ui, int g, char *out, size_t size)
{
	const struct progress *prev = ui->have_prev ? &ui->prev : NULL;
	int n;
	if (ui->doc->groups[g].kind == GROUP_POLICY) {
		/*
		 * The policy's page is the 二つ星 page: its bar is the star's
		 * readiness (the 自社診断 too), so one ticked item never shows full.
		 */
		n = progress_bar(out, size, ui->prog.ready2.met, ui->prog.ready2.total, 10);
		prev = NULL;
	} else {
		/* Points of possible points for a 自社診断 part, as on the dashboard. */
		n = rows_group_bar(out, size, ui->doc, &ui->prog, (size_t)g, 10);
	}
	long delta = rows_group_change(ui->doc, &ui->prog, prev, (size_t)g);
	if (delta && n > 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, " %+ld", delta);
	return n;
}

/* The summary, from the progress as it is now. */
static void summary_build(struct ui *ui)
{
	if (!toc.sum_stale && toc.sum.v)
		return;
	rows_free(&toc.sum);
	rows_summary(&toc.sum, ui->doc, &ui->prog, SUMMARY_CELLS);
	toc.sum_stale = 0;
}

static void contents_enter(struct ui *ui)
{
	if (!toc.rows)
		build(ui->doc);
	summary_build(ui);
	/* Coming from a page, the cursor is on that page. */
	int page = scr_page_current(ui);
	if (page >= 0)
		list_select(&toc.list, (size_t)toc.row_of_page[page], (size_t)height(ui));
}

static void contents_changed(struct ui *ui)
{
	(void)ui;
	toc.bar_width = -1;
	toc.sum_stale = 1;
}

static void contents_draw(struct ui *ui)
{
	const struct doc *d = ui->doc;

	summary_build(ui);
	list_fix(&toc.list, (size_t)height(ui));
	/*
	 * One column for every bar, so they line up whatever their counts; worked
	 * out again only after a change, so a key press does not walk every group.
	 */
	if (toc.bar_width < 0) {
		toc.bar_width = 0;
		for (size_t g = 0; g < d->ngroups && ui->prog.groups; g++) {
			char bar[64];
			int w = group_bar(ui, (int)g, bar, sizeof bar);
			toc.bar_width = w > toc.bar_width ? w : toc.bar_width;
		}
	}
	int bw_max = toc.bar_width;
	draw_text(0, 0, "目次  中小企業の情報セキュリティ対策ガイドライン", ui->cols, A_BOLD);
	if (summary_lines(ui))
		summary_layout(ui, 1, 1);
	int top = list_top(ui);
	for (int y = 0; y < height(ui) && toc.list.top + (size_t)y < toc.list.n; y++) {
		size_t row = toc.list.top + (size_t)y;
		int r = toc.rows[row];
		if (r < 0) {
			draw_text(y + top, 0, d->chapters[-1 - r].title, ui->cols, A_BOLD);
			continue;
		}
		int selected = (long)row == toc.list.cursor;
		attr_t a = selected ? A_REVERSE : A_NORMAL;
		char bar[64] = "";
		int g = toc.page_group[r], bw = 0;
		if (g >= 0 && ui->prog.groups && group_bar(ui, g, bar, sizeof bar) > 0)
			bw = bw_max;
		if (selected) {
			draw_fill(y + top, 0, a);
			list_cursor_at(&toc.list, top);
		}
		draw_text(y + top, 0, selected ? "> " : "  ", 2, a);
		draw_text(y + top, 2, d->pages[r].title, ui->cols - 3 - (bw ? bw + 1 : 0), a);
		if (bw)
			draw_text(y + top, ui->cols - bw - 1, bar, bw, a);
	}
	/* What Enter does, always in sight: the contents is where a new user starts. */
	draw_text(ui_text_rows(ui) - 1, 0, "Enter:選んだページを開く  P:進捗の詳細  /:検索", ui->cols,
	          A_NORMAL);
	char right[64];
	int page = toc.list.cursor >= 0 ? toc.rows[toc.list.cursor] : 0;
	snprintf(right, sizeof right, "%d/%zu  ?:ヘルプ q:終了", page + 1, d->npages);
	draw_status(ui->message[0] ? ui->message : "目次", right);
}

static enum action contents_action(struct ui *ui, enum action a)
{
	int page = toc.list.cursor >= 0 ? toc.rows[toc.list.cursor] : -1;

	if (list_action(&toc.list, a, (size_t)height(ui)))
		return ACT_NONE;
	switch (a) {
	case ACT_FOLLOW:
		if (page >= 0)
			scr_page_show(ui, page);
		return ACT_NONE;
	case ACT_BACK:
	case ACT_CANCEL:
		/* Opened from a page (t): Esc, h and BS go back to it, where the reader was. */
		if (ui->contents_over_page && scr_page_current(ui) >= 0) {
			ui->contents_over_page = 0;
			ui_show(ui, &scr_page);
			return ACT_NONE;
		}
		/* Else Esc closes the contents as before; h and BS have nothing to go back to. */
		return a == ACT_CANCEL ? a : ACT_NONE;
	case ACT_SEARCH:
		/* From the selected page on; nothing found leaves the contents as it was. */
		scr_page_search(ui, page >= 0 ? page : 0);
		return ACT_NONE;
	default:
		return a;
	}
}

static void contents_fini(struct ui *ui)
{
	(void)ui;
	free(toc.rows);
	free(toc.row_of_page);
	free(toc.page_group);
	toc.rows = NULL;
	rows_free(&toc.sum);
	toc.sum_stale = 1;
}

static const enum keymap contents_keymaps[] = { KEYMAP_CONTENTS, KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_contents = {
	.name = "contents",
	.key = 't',
	.key_label = "t",
	.key_help = "目次へ",
	.keymaps = contents_keymaps,
	.enter = contents_enter,
	.draw = contents_draw,
	.action = contents_action,
	.changed = contents_changed,
	.fini = contents_fini,
};
