/*
 * scr_messages: every message the status line showed in this run, newest
 * first, with the time it came, each wrapped whole.  A message that came
 * and went with the next key (a save that failed, a file that changed
 * under mamori) can be read here at leisure, however long it was.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/layout.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/ui.h"

/* Enough for a long session; the oldest go first. */
#define MESSAGES_KEPT 200

static struct {
	char *text[MESSAGES_KEPT];
	time_t at[MESSAGES_KEPT];
	size_t first, n; /* a ring: the oldest at first */
	char **lines;    /* the screen's rows: wrapped, newest message first */
	size_t nlines, cap, width;
	struct list list;
} kept;

void scr_messages_keep(const char *text)
{
	size_t i = (kept.first + kept.n) % MESSAGES_KEPT;

	if (kept.n == MESSAGES_KEPT) {
		free(kept.text[kept.first]);
		i = kept.first;
		kept.first = (kept.first + 1) % MESSAGES_KEPT;
	} else {
		kept.n++;
	}
	kept.text[i] = text_sanitize(text, strlen(text));
	kept.at[i] = time(NULL);
	kept.width = 0; /* the rows are built again when next shown */
}

static void add_line(char *line)
{
	kept.lines = xgrow(kept.lines, &kept.cap, kept.nlines + 1, sizeof *kept.lines);
	kept.lines[kept.nlines++] = line;
}

static void forget_lines(void)
{
	for (size_t i = 0; i < kept.nlines; i++)
		free(kept.lines[i]);
	kept.nlines = 0;
}

/* Rows for width columns: "HH:MM:SS message", continuation lines indented. */
static void build(size_t width)
{
	forget_lines();
	for (size_t k = kept.n; k-- > 0;) {
		size_t i = (kept.first + k) % MESSAGES_KEPT;
		struct tm tm;
		char when[16];
		localtime_r(&kept.at[i], &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
		struct wrap_line *wl;
		const char *t = kept.text[i];
		size_t n = layout_wrap(t, strlen(t), width > 12 ? width - 10 : 2, &wl);
		for (size_t j = 0; j < (n ? n : 1); j++)
			add_line(xasprintf("%-9s %.*s", j ? "" : when, n ? (int)wl[j].len : 0,
			                   n ? t + wl[j].start : ""));
		free(wl);
	}
	kept.width = width;
	kept.list.selectable = NULL;
	kept.list.cursor = -1;
	list_set_count(&kept.list, kept.nlines);
}

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 2;
}

/* Rows are for reading, not choosing: the list only scrolls. */
static int never(const void *ctx, size_t row)
{
	(void)ctx;
	(void)row;
	return 0;
}

static void messages_enter(struct ui *ui)
{
	build((size_t)ui->cols);
	kept.list.selectable = never;
	kept.list.cursor = -1;
	kept.list.top = 0;
}

static void messages_draw(struct ui *ui)
{
	if (kept.width != (size_t)ui->cols) {
		build((size_t)ui->cols);
		kept.list.selectable = never;
	}
	list_fix(&kept.list, (size_t)height(ui));
	draw_text(0, 0, "メッセージ (新しい順)", ui->cols, A_BOLD);
	if (!kept.nlines)
		draw_text(2, 0, "まだメッセージはありません。", ui->cols, A_NORMAL);
	for (int y = 0; y < height(ui) && kept.list.top + (size_t)y < kept.nlines; y++)
		draw_text(y + 2, 0, kept.lines[kept.list.top + (size_t)y], ui->cols, A_NORMAL);
	draw_status("メッセージ", "q/Esc:戻る");
}

static enum action messages_action(struct ui *ui, enum action a)
{
	if (list_action(&kept.list, a, (size_t)height(ui)))
		return ACT_NONE;
	return a;
}

static void messages_fini(struct ui *ui)
{
	(void)ui;
	forget_lines();
	free(kept.lines);
	for (size_t k = 0; k < kept.n; k++)
		free(kept.text[(kept.first + k) % MESSAGES_KEPT]);
	memset(&kept, 0, sizeof kept);
}

static const enum keymap messages_keymaps[] = { KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_messages = {
	.name = "messages",
	.key = 'M',
	.key_label = "M",
	.key_help = "これまでのメッセージ (保存の失敗なども全文で)",
	.keymaps = messages_keymaps,
	.enter = messages_enter,
	.draw = messages_draw,
	.action = messages_action,
	.fini = messages_fini,
};
