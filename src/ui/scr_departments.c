/*
 * scr_departments: 「部門別」, for a session merged from several
 * departments' answers (mamori --merge): every question and checklist
 * item with each department's answer side by side, the merged answer
 * last, and the rows where the departments differ marked, since those are
 * what the person in charge has to look into.  The departments' files are
 * read again (read-only) from the sources the merged session records
 * (merge_from_session) when the screen is shown and after a change; a
 * session that is not a merge says so.  Enter opens the item on its page.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/merge.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/ui.h"

/* Columns of one department's answer (merge_state_short is at most 6). */
#define DEPT_COLS 8
#define ID_COLS 9

static struct {
	struct merge m;
	int have;      /* m holds a table */
	char *problem; /* why there is none (sanitised), or NULL */
	char **heads;  /* the departments' names, sanitised */
	int stale;
	struct list list;
} dp = { .stale = 1 };

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 4;
}

static void forget(void)
{
	for (size_t i = 0; dp.have && i < dp.m.ninputs; i++)
		free(dp.heads[i]);
	free(dp.heads);
	dp.heads = NULL;
	if (dp.have)
		merge_free(&dp.m);
	dp.have = 0;
	free(dp.problem);
	dp.problem = NULL;
}

/* The directory relative source paths are read from: the merged file's own. */
static int merged_dirfd(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	if (!slash)
		return AT_FDCWD;
	char *dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	return fd;
}

static void load(struct ui *ui)
{
	char *err = NULL;

	forget();
	dp.stale = 0;
	list_set_count(&dp.list, 0);
	if (!ui->answers) {
		dp.problem = xstrdup("回答ファイルがありません。");
		return;
	}
	if (!ui->answers->nsources) {
		dp.problem = xstrdup("このセッションは部門ごとの回答をまとめたもの (mamori --merge) "
		                     "ではありません。");
		return;
	}
	int fd = merged_dirfd(ui->answers->path);
	memset(&dp.m, 0, sizeof dp.m);
	int r = fd == -1 ? -1 : merge_from_session(&dp.m, ui->doc, ui->answers, fd, &err);
	if (fd >= 0)
		close(fd);
	if (r < 0) {
		char *msg = xasprintf("部門ごとの回答を読めませんでした: %s",
		                      err ? err : "the merged file's directory cannot be opened");
		dp.problem = text_sanitize(msg, strlen(msg));
		free(msg);
		free(err);
		return;
	}
	free(err);
	dp.have = 1;
	dp.heads = xcalloc(dp.m.ninputs ? dp.m.ninputs : 1, sizeof *dp.heads);
	for (size_t i = 0; i < dp.m.ninputs; i++)
		dp.heads[i] = text_sanitize(dp.m.departments[i], strlen(dp.m.departments[i]));
	list_set_count(&dp.list, dp.m.nrows);
}

static void departments_enter(struct ui *ui)
{
	if (dp.stale)
		load(ui);
	list_fix(&dp.list, (size_t)height(ui));
}

static void departments_changed(struct ui *ui)
{
	dp.stale = 1;
	if (ui_top(ui) == &scr_departments)
		load(ui);
}

/* How many departments' columns fit beside the id, the merged answer and some text. */
static size_t shown_departments(const struct ui *ui)
{
	int room = ui->cols - 2 - ID_COLS - DEPT_COLS - 12;
	size_t fit = room > 0 ? (size_t)(room / DEPT_COLS) : 0;
	return fit < dp.m.ninputs ? fit : dp.m.ninputs;
}

static void departments_draw(struct ui *ui)
{
	draw_text(0, 0, "部門別の回答", ui->cols, A_BOLD);
	if (!dp.have) {
		draw_text(2, 0, dp.problem ? dp.problem : "", ui->cols, A_NORMAL);
		draw_status(ui->message[0] ? ui->message : "部門別", "q/Esc:戻る");
		return;
	}
	list_fix(&dp.list, (size_t)height(ui));
	size_t k = shown_departments(ui);
	char sum[200];
	snprintf(sum, sizeof sum, "%zu 部門、部門で回答が違う項目 %zu 件 (* の行)%s", dp.m.ninputs,
	         dp.m.ndiffer, k < dp.m.ninputs ? "  画面の幅に入る部門だけを表示" : "");
	draw_text(1, 0, sum, ui->cols, A_NORMAL);
	draw_text(3, 2, "項目", ID_COLS, A_UNDERLINE);
	int x = 2 + ID_COLS;
	for (size_t d = 0; d < k; d++, x += DEPT_COLS)
		draw_text(3, x, dp.heads[d], DEPT_COLS - 1, A_UNDERLINE);
	draw_text(3, x, "まとめ", DEPT_COLS - 1, A_UNDERLINE | A_BOLD);
	x += DEPT_COLS;
	draw_text(3, x, "内容", ui->cols - x - 1, A_UNDERLINE);
	for (int y = 0; y < height(ui) && dp.list.top + (size_t)y < dp.m.nrows; y++) {
		size_t i = dp.list.top + (size_t)y;
		const struct merge_row *r = &dp.m.rows[i];
		const struct item *it = &ui->doc->items[r->item];
		attr_t a = r->differ ? A_BOLD : A_NORMAL;
		int row = y + 4;
		if ((long)i == dp.list.cursor) {
			a |= A_REVERSE;
			draw_fill(row, 0, A_REVERSE);
		}
		draw_text(row, 0, r->differ ? "*" : " ", 1, a);
		draw_text(row, 2, it->id, ID_COLS - 1, a);
		x = 2 + ID_COLS;
		for (size_t d = 0; d < k; d++, x += DEPT_COLS)
			draw_text(row, x, merge_state_short(r->states[d]), DEPT_COLS - 1, a);
		draw_text(row, x, merge_state_short(r->merged), DEPT_COLS - 1, a);
		x += DEPT_COLS;
		draw_text(row, x, it->text, ui->cols - x - 1, a);
	}
	draw_status(ui->message[0] ? ui->message : "* は部門で回答が違う項目  Enter:項目へ",
	            "q/Esc:戻る ?:ヘルプ");
}

static enum action departments_action(struct ui *ui, enum action a)
{
	if (dp.have && list_action(&dp.list, a, (size_t)height(ui)))
		return ACT_NONE;
	if (a == ACT_FOLLOW) {
		if (dp.have && dp.list.cursor >= 0)
			scr_page_show_item(ui, (int)dp.m.rows[dp.list.cursor].item);
		return ACT_NONE;
	}
	return a;
}

static void departments_fini(struct ui *ui)
{
	(void)ui;
	forget();
	dp.stale = 1;
}

static const enum keymap departments_keymaps[] = { KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_departments = {
	.name = "departments",
	.key = 'B',
	.key_label = "B",
	.key_help = "部門別の回答 (まとめたセッションで、部門ごとの違いを見る)",
	.keymaps = departments_keymaps,
	.enter = departments_enter,
	.draw = departments_draw,
	.action = departments_action,
	.changed = departments_changed,
	.fini = departments_fini,
};
