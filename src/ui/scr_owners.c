/*
 * scr_owners: 「担当と期限」, every item of the session that has an owner or
 * a due date: overdue ones first and marked, then by due date or by owner
 * (s toggles).  Enter opens the item on its page.  The rows are built when
 * the screen is shown and after a change, never while drawing, so a key
 * costs the rows on screen whatever the size of the content.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/list.h"
#include "ui/ui.h"

struct owner_row {
	int item;
	int overdue;
	const char *due; /* the answer's, "" when none (valid until the next change) */
	char *owner;     /* sanitised, "" when none */
	char *label;     /* "id text", sanitised */
};

static struct {
	struct owner_row *v;
	size_t n, cap;
	size_t noverdue;
	int by_owner; /* 0: by due date, 1: by owner */
	int stale;
	char today[11];
	struct list list;
} ow = { .stale = 1 };

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 3;
}

/* "" sorts after everything: an item with no date (or no owner) goes last. */
static int cmp_text(const char *a, const char *b)
{
	if (!*a || !*b)
		return (*a ? 0 : 1) - (*b ? 0 : 1);
	return strcmp(a, b);
}

static int by_due(const void *pa, const void *pb)
{
	const struct owner_row *a = pa, *b = pb;
	int c = b->overdue - a->overdue;
	if (!c)
		c = cmp_text(a->due, b->due);
	if (!c)
		c = cmp_text(a->owner, b->owner);
	return c ? c : a->item - b->item;
}

static int by_owner(const void *pa, const void *pb)
{
	const struct owner_row *a = pa, *b = pb;
	int c = b->overdue - a->overdue;
	if (!c)
		c = cmp_text(a->owner, b->owner);
	if (!c)
		c = cmp_text(a->due, b->due);
	return c ? c : a->item - b->item;
}

static void forget(void)
{
	for (size_t i = 0; i < ow.n; i++) {
		free(ow.v[i].owner);
		free(ow.v[i].label);
	}
	ow.n = 0;
	ow.noverdue = 0;
}

static void rebuild(struct ui *ui)
{
	forget();
	form_today(ow.today);
	for (size_t i = 0; ui->answers && i < ui->doc->nitems; i++) {
		const struct answer *an = answers_find_item(ui->answers, i);
		int has_owner = an && an->owner && an->owner[0], has_due = an && an->due && an->due[0];
		if (!has_owner && !has_due)
			continue;
		ow.v = xgrow(ow.v, &ow.cap, ow.n + 1, sizeof *ow.v);
		struct owner_row *r = &ow.v[ow.n++];
		const struct item *it = &ui->doc->items[i];
		r->item = (int)i;
		r->overdue = form_answer_overdue(an, ow.today);
		r->due = has_due ? an->due : "";
		r->owner = has_owner ? text_sanitize(an->owner, strlen(an->owner)) : xstrdup("");
		char *label = xasprintf("%s %s", it->id, it->text);
		r->label = text_sanitize(label, strlen(label));
		free(label);
		ow.noverdue += (size_t)r->overdue;
	}
	qsort(ow.v, ow.n, sizeof *ow.v, ow.by_owner ? by_owner : by_due);
	list_set_count(&ow.list, ow.n);
	ow.stale = 0;
}

static void owners_enter(struct ui *ui)
{
	if (ow.stale)
		rebuild(ui);
	list_fix(&ow.list, (size_t)height(ui));
}

static void owners_changed(struct ui *ui)
{
	/* The answers' strings the rows borrow may be gone: rebuild now if shown, else on entry. */
	ow.stale = 1;
	if (ui_top(ui) == &scr_owners)
		rebuild(ui);
}

static void owners_draw(struct ui *ui)
{
	list_fix(&ow.list, (size_t)height(ui));
	char title[160];
	snprintf(title, sizeof title, "担当と期限  %zu 件 (期限切れ %zu 件)  並び: %s", ow.n, ow.noverdue,
	         ow.by_owner ? "担当順" : "期限順");
	draw_text(0, 0, title, ui->cols, A_BOLD);
	if (!ow.n) {
		draw_text(2, 0, "担当か期限のある項目はありません。", ui->cols, A_NORMAL);
		draw_text(3, 0, "ページで項目を選び、e で担当と期限を書けます。", ui->cols, A_NORMAL);
	} else {
		draw_text(2, 0, "  期限        担当              項目", ui->cols, A_UNDERLINE);
	}
	int owner_cols = ui->cols >= 80 ? 16 : 10;
	for (int y = 0; y < height(ui) && ow.list.top + (size_t)y < ow.n; y++) {
		size_t i = ow.list.top + (size_t)y;
		const struct owner_row *r = &ow.v[i];
		attr_t a = (long)i == ow.list.cursor ? A_REVERSE : A_NORMAL;
		int row = y + 3;
		if (a)
			draw_fill(row, 0, a);
		draw_text(row, 0, r->overdue ? "!" : " ", 1, a | A_BOLD);
		draw_text(row, 2, r->due[0] ? r->due : "-", 10, r->overdue ? a | A_BOLD : a);
		draw_text(row, 14, r->owner[0] ? r->owner : "-", owner_cols, a);
		int x = 14 + owner_cols + 2;
		draw_text(row, x, r->label, ui->cols - x - 1, a);
	}
	draw_status(ui->message[0] ? ui->message
	            : ow.noverdue  ? "! は期限切れ  Enter:項目へ  s:並べ替え"
	                           : "Enter:項目へ  s:並べ替え (期限順/担当順)",
	            "q/Esc:戻る ?:ヘルプ");
}

static enum action owners_action(struct ui *ui, enum action a)
{
	if (list_action(&ow.list, a, (size_t)height(ui)))
		return ACT_NONE;
	switch (a) {
	case ACT_SORT: {
		int item = ow.list.cursor >= 0 ? ow.v[ow.list.cursor].item : -1;
		ow.by_owner = !ow.by_owner;
		qsort(ow.v, ow.n, sizeof *ow.v, ow.by_owner ? by_owner : by_due);
		/* The cursor stays on the item it was on. */
		for (size_t i = 0; i < ow.n; i++)
			if (ow.v[i].item == item)
				list_select(&ow.list, i, (size_t)height(ui));
		ui_message(ui, "%s に並べ替えました", ow.by_owner ? "担当順" : "期限順");
		return ACT_NONE;
	}
	case ACT_FOLLOW:
		if (ow.list.cursor >= 0)
			scr_page_show_item(ui, ow.v[ow.list.cursor].item);
		return ACT_NONE;
	default:
		return a;
	}
}

static void owners_fini(struct ui *ui)
{
	(void)ui;
	forget();
	free(ow.v);
	memset(&ow, 0, sizeof ow);
	ow.stale = 1;
	form_fini();
}

static const enum keymap owners_keymaps[] = { KEYMAP_OWNERS, KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_owners = {
	.name = "owners",
	.key = 'O',
	.key_label = "O",
	.key_help = "担当と期限 (期限切れが先頭、Enter で項目へ)",
	.keymaps = owners_keymaps,
	.enter = owners_enter,
	.draw = owners_draw,
	.action = owners_action,
	.changed = owners_changed,
	.fini = owners_fini,
};
