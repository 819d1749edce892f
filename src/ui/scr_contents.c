/*
 * scr_contents: the table of contents.  Chapters are headings; pages are
 * the rows the cursor moves over, each with the bar of the checklist it
 * holds and the change since the previous session.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/ui.h"

static struct {
	int *rows; /* a page index, or -1 - chapter for a heading */
	int *row_of_page;
	int *page_group; /* the group a page declares, or -1 */
	int bar_width;   /* columns of the widest bar, or -1 after a change */
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

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 2;
}

/*
 * The bar shown beside a page that holds a checklist: done / applicable,
 * answered / questions for a diagnosis part, and the change since the
 * previous session.  Returns its width in columns, 0 for no bar.
 */
static int group_bar(const struct ui *ui, int g, char *out, size_t size)
{
	const struct progress_group *pg = &ui->prog.groups[g];
	int n = ui->doc->groups[g].kind == GROUP_DIAGNOSIS
	                ? progress_bar(out, size, pg->answered, pg->total, 10)
	                : progress_bar(out, size, pg->done, pg->applicable, 10);
	long delta = ui->have_prev ? progress_group_delta(&ui->prog, &ui->prev, (size_t)g) : 0;
	if (delta && n > 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, " %+ld", delta);
	return n;
}

static void contents_enter(struct ui *ui)
{
	if (!toc.rows)
		build(ui->doc);
	/* Coming from a page, the cursor is on that page. */
	int page = scr_page_current(ui);
	if (page >= 0)
		list_select(&toc.list, (size_t)toc.row_of_page[page], (size_t)height(ui));
}

static void contents_changed(struct ui *ui)
{
	(void)ui;
	toc.bar_width = -1;
}

static void contents_draw(struct ui *ui)
{
	const struct doc *d = ui->doc;

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
	for (int y = 0; y < height(ui) && toc.list.top + (size_t)y < toc.list.n; y++) {
		size_t row = toc.list.top + (size_t)y;
		int r = toc.rows[row];
		if (r < 0) {
			draw_text(y + 2, 0, d->chapters[-1 - r].title, ui->cols, A_BOLD);
			continue;
		}
		int selected = (long)row == toc.list.cursor;
		attr_t a = selected ? A_REVERSE : A_NORMAL;
		char bar[64] = "";
		int g = toc.page_group[r], bw = 0;
		if (g >= 0 && ui->prog.groups && group_bar(ui, g, bar, sizeof bar) > 0)
			bw = bw_max;
		if (selected)
			draw_fill(y + 2, 0, a);
		draw_text(y + 2, 0, selected ? "> " : "  ", 2, a);
		draw_text(y + 2, 2, d->pages[r].title, ui->cols - 3 - (bw ? bw + 1 : 0), a);
		if (bw)
			draw_text(y + 2, ui->cols - bw - 1, bar, bw, a);
	}
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
}

static const enum keymap contents_keymaps[] = { KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

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
