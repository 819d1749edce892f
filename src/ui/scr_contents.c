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
	const int *rows = ui->toc;
	size_t n = ui->ntoc, cursor_row = d->npages ? (size_t)ui->toc_row[ui->toc_cursor] : 0;
	int height = ui_text_rows(ui) - 2;

	/* Keep the cursor on screen, and its chapter heading too where it fits. */
	if (cursor_row < ui->toc_top)
		ui->toc_top = cursor_row > 0 && rows[cursor_row - 1] < 0 ? cursor_row - 1 : cursor_row;
	if (cursor_row >= ui->toc_top + (size_t)height)
		ui->toc_top = cursor_row - (size_t)height + 1;

	/*
	 * One column for every bar, so they line up whatever their counts; worked
	 * out again only after a change, so a key press does not walk every group.
	 */
	if (ui->toc_bar_width < 0) {
		ui->toc_bar_width = 0;
		for (size_t g = 0; g < d->ngroups && ui->prog.groups; g++) {
			char bar[64];
			int w = group_bar(ui, (int)g, bar, sizeof bar);
			ui->toc_bar_width = w > ui->toc_bar_width ? w : ui->toc_bar_width;
		}
	}
	int bw_max = ui->toc_bar_width;
	draw_text(0, 0, "目次  中小企業の情報セキュリティ対策ガイドライン", ui->cols, A_BOLD);
	for (int y = 0; y < height && ui->toc_top + (size_t)y < n; y++) {
		int r = rows[ui->toc_top + (size_t)y];
		if (r < 0) {
			draw_text(y + 2, 0, d->chapters[-1 - r].title, ui->cols, A_BOLD);
		} else {
			attr_t a = r == ui->toc_cursor ? A_REVERSE : A_NORMAL;
			char bar[64] = "";
			int g = ui->page_group[r], bw = 0;
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
