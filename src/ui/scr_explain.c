/*
 * scr_explain: a question's 解説 (its explanation: why it matters, what
 * counts as done, the first step), opened with i on a focused item that
 * has one.  The lines come from the core (explain_layout), laid out like
 * a page; the cursor moves between its links, and Enter opens one in the
 * reader.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/explain.h"
#include "core/text.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/ui.h"

static struct {
	int item;  /* the item explained, or -1 */
	int width; /* the width lo was laid out at */
	struct layout lo;
	struct list list;
} ex = { .item = -1 };

/* Links are what the cursor stops on; the rest is read by scrolling. */
static int selectable(const void *ctx, size_t row)
{
	(void)ctx;
	return ex.lo.lines[row].link >= 0 && ex.lo.lines[row].first;
}

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 2;
}

static void lay_out(struct ui *ui)
{
	if (ex.width == ui->cols && ex.lo.nlines)
		return;
	layout_free(&ex.lo);
	explain_layout(&ex.lo, ui->doc, ex.item, ui->cols);
	ex.width = ui->cols;
	ex.list.selectable = selectable;
	ex.list.cursor = -1;
	list_set_count(&ex.list, ex.lo.nlines);
}

int scr_explain_show(struct ui *ui, int item)
{
	if (!doc_item_explain(ui->doc, item))
		return 0;
	if (ex.item != item) {
		layout_free(&ex.lo);
		ex.item = item;
		ex.width = 0;
		ex.list.top = 0;
	}
	ui_show(ui, &scr_explain);
	return 1;
}

static void explain_draw(struct ui *ui)
{
	lay_out(ui);
	list_fix(&ex.list, (size_t)height(ui));
	draw_text(0, 0, ui->doc->items[ex.item].text, ui->cols, A_BOLD);
	for (int y = 0; y < height(ui) && ex.list.top + (size_t)y < ex.lo.nlines; y++) {
		size_t i = ex.list.top + (size_t)y;
		const struct line *l = &ex.lo.lines[i];
		attr_t a = l->style == LINE_LINK      ? A_UNDERLINE
		           : l->style == LINE_HEADING ? A_BOLD
		                                      : A_NORMAL;
		/* A link that wraps is selected as a whole. */
		if (ex.list.cursor >= 0 && l->link >= 0 && ex.lo.lines[ex.list.cursor].block == l->block) {
			a |= A_REVERSE;
			draw_fill(y + 2, 0, A_REVERSE);
		}
		draw_text(y + 2, 0, l->text, ui->cols, a);
	}
	draw_status(ui->message[0] ? ui->message : "解説  Enter:リンク先へ", "q/Esc:戻る");
}

static enum action explain_action(struct ui *ui, enum action a)
{
	lay_out(ui);
	if (list_action(&ex.list, a, (size_t)height(ui)))
		return ACT_NONE;
	if (a == ACT_FOLLOW) {
		if (ex.list.cursor >= 0)
			scr_page_show(ui, ex.lo.lines[ex.list.cursor].link);
		return ACT_NONE;
	}
	return a;
}

static void explain_fini(struct ui *ui)
{
	(void)ui;
	layout_free(&ex.lo);
	ex.item = -1;
}

static const enum keymap explain_keymaps[] = { KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_explain = {
	.name = "explain",
	.keymaps = explain_keymaps,
	.draw = explain_draw,
	.action = explain_action,
	.fini = explain_fini,
};
