/*
 * scr_contents: the table of contents.  Chapters are headings; pages are
 * the rows the cursor moves over.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/nav.h"
#include "ui/draw.h"
#include "ui/ui.h"

/* Rows of the contents: a chapter row is -1 - chapter, a page row is the page index. */
static size_t toc_rows(const struct doc *d, int *rows)
{
	size_t n = 0;

	for (size_t c = 0; c < d->nchapters; c++) {
		rows[n++] = -1 - (int)c;
		for (size_t p = 0; p < d->chapters[c].npages; p++)
			rows[n++] = d->chapters[c].first_page + (int)p;
	}
	return n;
}

/* The group a page declares (its checklist), or -1. */
static int page_group(const struct doc *d, int page)
{
	for (size_t g = 0; g < d->ngroups; g++)
		if (d->groups[g].page == page)
			return (int)g;
	return -1;
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

void scr_contents_draw(struct ui *ui)
{
	const struct doc *d = ui->doc;
	int *rows = malloc((d->nchapters + d->npages) * sizeof *rows + 1);
	if (!rows)
		return;
	size_t n = toc_rows(d, rows), cursor_row = 0;
	int height = ui_text_rows(ui) - 2;

	for (size_t i = 0; i < n; i++)
		if (rows[i] == ui->toc_cursor)
			cursor_row = i;
	/* Keep the cursor on screen, and its chapter heading too where it fits. */
	if (cursor_row < ui->toc_top)
		ui->toc_top = cursor_row > 0 && rows[cursor_row - 1] < 0 ? cursor_row - 1 : cursor_row;
	if (cursor_row >= ui->toc_top + (size_t)height)
		ui->toc_top = cursor_row - (size_t)height + 1;

	/* One column for every bar, so they line up whatever their counts. */
	int bw_max = 0;
	for (size_t p = 0; p < d->npages; p++) {
		char bar[64];
		int g = page_group(d, (int)p);
		if (g >= 0 && ui->prog.groups) {
			int w = group_bar(ui, g, bar, sizeof bar);
			bw_max = w > bw_max ? w : bw_max;
		}
	}
	draw_text(0, 0, "目次  中小企業の情報セキュリティ対策ガイドライン", ui->cols, A_BOLD);
	for (int y = 0; y < height && ui->toc_top + (size_t)y < n; y++) {
		int r = rows[ui->toc_top + (size_t)y];
		if (r < 0) {
			draw_text(y + 2, 0, d->chapters[-1 - r].title, ui->cols, A_BOLD);
		} else {
			attr_t a = r == ui->toc_cursor ? A_REVERSE : A_NORMAL;
			char bar[64] = "";
			int g = page_group(d, r), bw = 0;
			if (g >= 0 && ui->prog.groups && group_bar(ui, g, bar, sizeof bar) > 0)
				bw = bw_max;
			if (a == A_REVERSE)
				draw_fill(y + 2, 0, a);
			draw_text(y + 2, 0, r == ui->toc_cursor ? "> " : "  ", 2, a);
			draw_text(y + 2, 2, d->pages[r].title, ui->cols - 3 - (bw ? bw + 1 : 0), a);
			if (bw)
				draw_text(y + 2, ui->cols - bw - 1, bar, bw, a);
		}
	}
	char right[64];
	snprintf(right, sizeof right, "%d/%zu  ?:ヘルプ q:終了", ui->toc_cursor + 1, d->npages);
	draw_status(ui->message[0] ? ui->message : "目次", right);
	free(rows);
}

void scr_contents_action(struct ui *ui, enum action a)
{
	int last = (int)ui->doc->npages - 1;
	int height = ui_text_rows(ui) - 2;

	switch (a) {
	case ACT_QUIT:
		ui->quit = 1;
		break;
	case ACT_DOWN:
		if (ui->toc_cursor < last)
			ui->toc_cursor++;
		break;
	case ACT_UP:
		if (ui->toc_cursor > 0)
			ui->toc_cursor--;
		break;
	case ACT_PAGE_DOWN:
		ui->toc_cursor = ui->toc_cursor + height > last ? last : ui->toc_cursor + height;
		break;
	case ACT_PAGE_UP:
		ui->toc_cursor = ui->toc_cursor - height < 0 ? 0 : ui->toc_cursor - height;
		break;
	case ACT_TOP:
		ui->toc_cursor = 0;
		break;
	case ACT_BOTTOM:
		ui->toc_cursor = last;
		break;
	case ACT_FOLLOW:
		if (last >= 0)
			scr_page_open(ui, ui->toc_cursor, 1);
		break;
	case ACT_DASHBOARD:
		ui->back_to = SCR_CONTENTS;
		ui->screen = SCR_DASHBOARD;
		break;
	case ACT_SESSIONS:
		ui->back_to = SCR_CONTENTS;
		ui->screen = SCR_SESSIONS;
		break;
	case ACT_SEARCH:
		ui->page = ui->toc_cursor;
		scr_page_open(ui, ui->toc_cursor, 1);
		scr_page_action(ui, ACT_SEARCH);
		break;
	default:
		break;
	}
}
