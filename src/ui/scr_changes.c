/*
 * scr_changes: 「前回からの変更」, what changed since the previous session
 * (the quarterly review's question: what did we do since last time?).
 * Item by item the state, note, owner and due date that changed, from
 * what to what (changes_compute), then each group's bar before and after.
 * The previous session is opened read-only and the rows are built when
 * the screen is shown and after a change, never per key; Enter on a
 * change opens the item on its page.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/changes.h"
#include "core/layout.h"
#include "core/merge.h"
#include "core/sessions.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/ui.h"

#define BAR_CELLS 10

struct change_row {
	char *text; /* sanitised, fits the width it was built for */
	int item;   /* the item a change's first row opens, else -1 */
	attr_t attr;
};

static struct {
	struct change_row *v;
	size_t n, cap;
	int width; /* the width the rows were built for */
	int stale;
	struct list list;
} ch = { .stale = 1 };

static int selectable(const void *ctx, size_t row)
{
	(void)ctx;
	return ch.v[row].item >= 0;
}

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 2;
}

static void forget(void)
{
	for (size_t i = 0; i < ch.n; i++)
		free(ch.v[i].text);
	ch.n = 0;
}

static void add(const char *text, int item, attr_t attr)
{
	ch.v = xgrow(ch.v, &ch.cap, ch.n + 1, sizeof *ch.v);
	ch.v[ch.n++] = (struct change_row){ text_sanitize(text, strlen(text)), item, attr };
}

/* text wrapped at the width, continuation rows indented by indent columns. */
static void add_wrapped(const char *text, int indent, attr_t attr)
{
	char *safe = text_sanitize(text, strlen(text));
	int width = ch.width - indent - 1;
	struct wrap_line *wl;
	size_t n = layout_wrap(safe, strlen(safe), (size_t)(width > 10 ? width : 10), &wl);

	for (size_t i = 0; i < n; i++) {
		char *row = xasprintf("%*s%.*s", indent, "", (int)wl[i].len, safe + wl[i].start);
		add(row, -1, attr);
		free(row);
	}
	free(wl);
	free(safe);
}

/* "from -> to" for a text that changed: what was, what is ("(なし)" for none). */
static void add_field(const char *label, const char *from, const char *to)
{
	if (strcmp(from, to) == 0)
		return;
	char *t = xasprintf("%s: %s -> %s", label, from[0] ? from : "(なし)", to[0] ? to : "(なし)");
	add_wrapped(t, 6, A_NORMAL);
	free(t);
}

static void add_bars(const struct ui *ui, const struct change_list *c)
{
	add("グループごとの進み (前回 -> 今回)", -1, A_BOLD);
	for (size_t g = 0; g < c->after.ngroups && g < c->before.ngroups; g++) {
		const struct progress_group *b = &c->before.groups[g], *a = &c->after.groups[g];
		char before[64], after[64];
		progress_bar(before, sizeof before, b->done, b->applicable, BAR_CELLS);
		progress_bar(after, sizeof after, a->done, a->applicable, BAR_CELLS);
		long delta = (long)a->done - (long)b->done;
		char *row = xasprintf("  %s", ui->doc->groups[g].title);
		add(row, -1, A_NORMAL);
		free(row);
		row = xasprintf("      %s -> %s  %+ld", before, after, delta);
		add(row, -1, delta ? A_BOLD : A_NORMAL);
		free(row);
	}
}

static void build(struct ui *ui)
{
	char *prev_path = NULL, *msg = NULL;
	struct answers prev;

	forget();
	ch.stale = 0;
	ch.width = ui->cols;
	memset(&prev, 0, sizeof prev);
	if (!ui->answers || !ui->answers->path || !ui->sessions_dir ||
	    sessions_previous(ui->sessions_dir, ui->answers->path, &prev_path, &msg) < 0) {
		add("前のセッションがないため、比べられません。", -1, A_NORMAL);
		add("S のセッション一覧で C を押すと、今の回答を引き継いだ新しいセッションを始めます。",
		    -1, A_NORMAL);
		free(msg);
		list_set_count(&ch.list, ch.n);
		return;
	}
	free(msg);
	if (answers_open(&prev, prev_path, ui->doc, ANSWERS_READONLY) < 0) {
		char *t = xasprintf("前のセッションを開けませんでした: %s", answers_error(&prev));
		add_wrapped(t, 0, A_NORMAL);
		free(t);
		answers_close(&prev);
		free(prev_path);
		list_set_count(&ch.list, ch.n);
		return;
	}
	struct change_list c;
	memset(&c, 0, sizeof c);
	changes_compute(&c, ui->doc, &prev, ui->answers);
	const char *base = strrchr(prev_path, '/');
	char *head = xasprintf("前のセッション %s から %zu 項目が変わりました",
	                       base ? base + 1 : prev_path, c.n);
	add(head, -1, A_NORMAL);
	free(head);
	add("", -1, A_NORMAL);
	/* What changed first (what the review is about), then every group's bar before and after. */
	add(c.n ? "項目ごとの変更" : "項目の変更はありません", -1, A_BOLD);
	for (size_t i = 0; i < c.n; i++) {
		const struct change *e = &c.v[i];
		const struct item *it = &ui->doc->items[e->item];
		char *row = xasprintf("  %s  %s -> %s  %s", it->id, merge_state_short(e->from),
		                      merge_state_short(e->to), it->text);
		add(row, (int)e->item, A_NORMAL);
		free(row);
		add_field("メモ", e->note_from, e->note_to);
		add_field("担当", e->owner_from, e->owner_to);
		add_field("期限", e->due_from, e->due_to);
	}
	add("", -1, A_NORMAL);
	add_bars(ui, &c);
	/* The strings were borrowed from both sessions: copied above, so both can go now. */
	changes_free(&c);
	answers_close(&prev);
	free(prev_path);
	ch.list.selectable = selectable;
	list_set_count(&ch.list, ch.n);
}

static void changes_enter(struct ui *ui)
{
	if (ch.stale || ch.width != ui->cols)
		build(ui);
	list_fix(&ch.list, (size_t)height(ui));
}

static void changes_changed(struct ui *ui)
{
	ch.stale = 1;
	if (ui_top(ui) == &scr_changes)
		build(ui);
}

static void changes_draw(struct ui *ui)
{
	/* Wrapped for one width: built again only after a resize, not per key. */
	if (ch.width != ui->cols)
		build(ui);
	list_fix(&ch.list, (size_t)height(ui));
	draw_text(0, 0, "前回からの変更", ui->cols, A_BOLD);
	for (int y = 0; y < height(ui) && ch.list.top + (size_t)y < ch.n; y++) {
		size_t i = ch.list.top + (size_t)y;
		attr_t a = ch.v[i].attr;
		if ((long)i == ch.list.cursor) {
			a |= A_REVERSE;
			draw_fill(y + 2, 0, A_REVERSE);
		}
		draw_text(y + 2, 0, ch.v[i].text, ui->cols - 1, a);
	}
	draw_status(ui->message[0] ? ui->message : "前回からの変更  Enter:項目へ", "q/Esc:戻る ?:ヘルプ");
}

static enum action changes_action(struct ui *ui, enum action a)
{
	if (list_action(&ch.list, a, (size_t)height(ui)))
		return ACT_NONE;
	if (a == ACT_FOLLOW) {
		if (ch.list.cursor >= 0 && ch.v[ch.list.cursor].item >= 0)
			scr_page_show_item(ui, ch.v[ch.list.cursor].item);
		return ACT_NONE;
	}
	return a;
}

static void changes_fini(struct ui *ui)
{
	(void)ui;
	forget();
	free(ch.v);
	memset(&ch, 0, sizeof ch);
	ch.stale = 1;
}

static const enum keymap changes_keymaps[] = { KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_changes = {
	.name = "changes",
	.key = 'H',
	.key_label = "H",
	.key_help = "前回のセッションからの変更 (グループごとの前後と項目ごとの変更)",
	.keymaps = changes_keymaps,
	.enter = changes_enter,
	.draw = changes_draw,
	.action = changes_action,
	.changed = changes_changed,
	.fini = changes_fini,
};
