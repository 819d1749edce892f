/*
 * scr_welcome: 「はじめての方へ」, shown over the contents on the first run
 * (no session and no state yet) and later with W (the help lists it): what
 * mamori is, the three tasks in order, how to move, tick and get help, and
 * how answers are saved.  Enter opens the first task (the 5か条).  The text
 * is wrapped to the screen's width when it changes; it scrolls when the
 * screen is too short for it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/layout.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/ui.h"

/* A paragraph: its text, how far it is indented, and whether it is a heading. */
struct para {
	const char *text;
	int indent, bold;
};

static const struct para paras[] = {
	{ "mamori は、IPA の「中小企業の情報セキュリティ対策ガイドライン」を読みながら、"
	  "自社の対策を点検して記録する道具です。",
	  0, 0 },
	{ "", 0, 0 },
	{ "この順に進めます", 0, 1 },
	{ "1. 「情報セキュリティ5か条」を読み、できている項目に印を付ける", 1, 0 },
	{ "2. 「5分でできる！情報セキュリティ自社診断」の25問に答える", 1, 0 },
	{ "3. 「情報セキュリティ基本方針」を決め、SECURITY ACTION 二つ星を宣言する", 1, 0 },
	{ "", 0, 0 },
	{ "操作", 0, 1 },
	{ "j k (上下キー): 1行  Space b (PgDn PgUp): 1画面  n p: 次・前のページ", 1, 0 },
	{ "Tab: 次のリンク・項目  Enter: 開く  h (BS): 戻る  t: 目次  q: 閉じる", 1, 0 },
	{ "項目に Tab で移り、Space: 済/未  -: 該当しない  e: メモ", 1, 0 },
	{ "自社診断は 1-4 で回答 (実施・一部・なし・不明)、0 で取り消し", 1, 0 },
	{ "?: すべてのキーの説明  W: この画面をもう一度", 1, 0 },
	{ "", 0, 0 },
	{ "保存", 0, 1 },
	{ NULL, 1, 0 }, /* where the answers are saved: made in build() */
};

/* A wrapped line. */
struct wline {
	char *text;
	int indent, bold;
};

static struct {
	struct wline *lines;
	size_t n, cap;
	int width; /* the width they were wrapped at, 0 for none */
	struct list list;
} wc;

int scr_welcome_first_task(const struct doc *d)
{
	for (size_t g = 0; g < d->ngroups; g++)
		if (d->groups[g].kind == GROUP_ARTICLE)
			return d->groups[g].page;
	return d->ngroups ? d->groups[0].page : (d->npages ? 0 : -1);
}

static void clear_lines(void)
{
	for (size_t i = 0; i < wc.n; i++)
		free(wc.lines[i].text);
	free(wc.lines);
	wc.lines = NULL;
	wc.n = wc.cap = 0;
	wc.width = 0;
}

static void add_wrapped(const char *text, int indent, int bold, int width)
{
	char *safe = text_sanitize(text, strlen(text));
	struct wrap_line *wl = NULL;
	int room = width - indent * 2 > 10 ? width - indent * 2 : 10;
	size_t k = *safe ? layout_wrap(safe, strlen(safe), (size_t)room, &wl) : 0;

	for (size_t i = 0; i < (k ? k : 1); i++) {
		wc.lines = xgrow(wc.lines, &wc.cap, wc.n + 1, sizeof *wc.lines);
		wc.lines[wc.n].text = k ? xstrndup(safe + wl[i].start, wl[i].len) : xstrdup("");
		wc.lines[wc.n].indent = indent * 2;
		wc.lines[wc.n].bold = bold;
		wc.n++;
	}
	free(wl);
	free(safe);
}

static int no_row(const void *ctx, size_t row)
{
	(void)ctx;
	(void)row;
	return 0;
}

/* Wrap the text for width columns (2 columns of margin on the right). */
static void build(const struct ui *ui, int width)
{
	clear_lines();
	for (size_t i = 0; i < sizeof paras / sizeof paras[0]; i++) {
		if (paras[i].text) {
			add_wrapped(paras[i].text, paras[i].indent, paras[i].bold, width);
			continue;
		}
		const char *where = ui->sessions_dir ? ui->sessions_dir
		                    : ui->answers    ? ui->answers->path
		                                     : NULL;
		char *t = where ? xasprintf("回答は変えるたびにすぐ保存されます (%s)。次に起動すると、"
		                            "前回やめたページから続きを開きます。",
		                            where)
		                : xstrdup("回答ファイルがないため、この実行では回答を保存しません。");
		add_wrapped(t, paras[i].indent, 0, width);
		free(t);
	}
	wc.width = width;
	/* No row holds a cursor: the list only scrolls. */
	wc.list.selectable = no_row;
	wc.list.cursor = -1;
	list_set_count(&wc.list, wc.n);
}

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 2;
}

static void welcome_enter(struct ui *ui)
{
	(void)ui;
	wc.list.top = 0;
}

static void welcome_draw(struct ui *ui)
{
	if (wc.width != ui->cols)
		build(ui, ui->cols - 2);
	list_fix(&wc.list, (size_t)height(ui));
	draw_text(0, 0, "はじめての方へ", ui->cols, A_BOLD);
	for (int y = 0; y < height(ui) && wc.list.top + (size_t)y < wc.n; y++) {
		size_t i = wc.list.top + (size_t)y;
		const struct wline *l = &wc.lines[i];
		draw_text(y + 2, l->indent, l->text, ui->cols - l->indent, l->bold ? A_BOLD : A_NORMAL);
	}
	/* Screen readers start at the top of the text. */
	draw_cursor_at(2, 0);
	draw_status(ui->message[0] ? ui->message : "Enter: 最初の取組 (5か条) へ  q: 閉じる", "?:ヘルプ");
}

static enum action welcome_action(struct ui *ui, enum action a)
{
	if (list_action(&wc.list, a, (size_t)height(ui)))
		return ACT_NONE;
	if (a == ACT_FOLLOW) {
		int page = scr_welcome_first_task(ui->doc);
		if (page >= 0)
			scr_page_show(ui, page);
		return ACT_NONE;
	}
	return a;
}

static void welcome_fini(struct ui *ui)
{
	(void)ui;
	clear_lines();
}

static const enum keymap welcome_keymaps[] = { KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_welcome = {
	.name = "welcome",
	.key = 'W',
	.key_label = "W",
	.key_help = "はじめての方へ (進める順番と基本の操作)",
	.passing = 1,
	.keymaps = welcome_keymaps,
	.enter = welcome_enter,
	.draw = welcome_draw,
	.action = welcome_action,
	.fini = welcome_fini,
};
