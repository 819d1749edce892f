/*
 * scr_dashboard: progress at a glance, drawn from the core's one list of
 * progress rows (core/rows.c), the same rows `mamori --progress` prints:
 * on top a warning for each 5か条 item done while the 自社診断 question
 * on its subject says 実施していない, a bar per principle and action, the
 * 5か条, each 自社診断 part's points (its answered count beside them) and
 * the score and band (未回答 while nothing is answered), the overall bar,
 * the change since the previous session, SECURITY ACTION readiness as
 * conditions met with what is missing, and what to improve, worst first.
 * Bars are ASCII and no character here is East Asian ambiguous-width, so
 * it reads the same on every terminal.  Enter on a row that names a page
 * opens it.  The rows are built when the screen is shown and after a
 * change, and drawn from memory.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/doc_cache.h"
#include "core/report_model.h"
#include "core/report_write.h"
#include "core/rows.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/list.h"
#include "ui/prompt.h"
#include "ui/ui.h"

#define BAR_CELLS 10

static struct {
	struct rows rows;
	int right_width; /* columns of the widest bar and change */
	char *file;      /* the answers file's name, sanitised */
	int stale;
	struct list list;
	size_t overdue;      /* items past their due date and not yet done */
	size_t *unconfirmed; /* per doc group: answers carried over and not yet confirmed */
	char *review;        /* the line that says both, or NULL when neither */
} dash = { .stale = 1 };

static int selectable(const void *ctx, size_t row)
{
	(void)ctx;
	return dash.rows.v[row].page >= 0;
}

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 3;
}

/* The right-hand column: the bar, then the change since the previous session. */
static void right_column(const struct row *r, char *out, size_t size)
{
	snprintf(out, size, "%s%s%4s", r->bar, r->change[0] ? " " : "", r->change);
}

static void rebuild(struct ui *ui)
{
	if (!dash.stale)
		return;
	rows_free(&dash.rows);
	rows_build(&dash.rows, ui->doc, &ui->prog, ui->have_prev ? &ui->prev : NULL,
	           ui->have_prev ? ui->prev_name : NULL, BAR_CELLS);
	dash.right_width = 0;
	for (size_t i = 0; i < dash.rows.n; i++) {
		char right[ROWS_BAR_SIZE + 32];
		right_column(&dash.rows.v[i], right, sizeof right);
		if (dash.rows.v[i].bar[0] && (int)strlen(right) > dash.right_width)
			dash.right_width = (int)strlen(right); /* ASCII only */
	}
	free(dash.file);
	dash.file = NULL;
	if (ui->answers && ui->answers->path) {
		const char *base = strrchr(ui->answers->path, '/');
		base = base ? base + 1 : ui->answers->path;
		char *safe = text_sanitize(base, strlen(base));
		dash.file = xasprintf("回答ファイル: %s%s", safe,
		                      ui->answers->readonly ? " (読み取り専用)" : "");
		free(safe);
	}
	/* The review's counts: what is overdue, and what was carried over and not yet looked at. */
	char today[11];
	form_today(today);
	dash.overdue = 0;
	size_t unconfirmed = 0;
	free(dash.unconfirmed);
	dash.unconfirmed = xcalloc(ui->doc->ngroups ? ui->doc->ngroups : 1, sizeof *dash.unconfirmed);
	for (size_t i = 0; ui->answers && i < ui->doc->nitems; i++)
		dash.overdue += (size_t)form_answer_overdue(answers_find_item(ui->answers, i), today);
	for (size_t g = 0; ui->answers && g < ui->doc->ngroups; g++)
		unconfirmed += dash.unconfirmed[g] = answers_count_unconfirmed(ui->answers, g);
	free(dash.review);
	dash.review = dash.overdue || unconfirmed
	                      ? xasprintf("期限切れ %zu 件 (O で一覧)  未確認 %zu 件 (ページで v で確認)",
	                                  dash.overdue, unconfirmed)
	                      : NULL;
	dash.list.selectable = selectable;
	list_set_count(&dash.list, dash.rows.n);
	dash.stale = 0;
}

static void dashboard_enter(struct ui *ui)
{
	rebuild(ui);
	list_fix(&dash.list, (size_t)height(ui));
}

static void dashboard_changed(struct ui *ui)
{
	(void)ui;
	dash.stale = 1;
}

static void dashboard_draw(struct ui *ui)
{
	rebuild(ui);
	list_fix(&dash.list, (size_t)height(ui));
	draw_text(0, 0, "進捗ダッシュボード", ui->cols, A_BOLD);
	if (dash.file)
		draw_text(1, 0, dash.file, ui->cols, A_NORMAL);
	if (dash.review)
		draw_text(2, 0, dash.review, ui->cols, dash.overdue ? A_BOLD : A_NORMAL);
	for (int y = 0; y < height(ui) && dash.list.top + (size_t)y < dash.rows.n; y++) {
		size_t i = dash.list.top + (size_t)y;
		const struct row *r = &dash.rows.v[i];
		attr_t a = r->bold ? A_BOLD : A_NORMAL;
		if ((long)i == dash.list.cursor) {
			a |= A_REVERSE;
			draw_fill(y + 3, 0, A_REVERSE);
		}
		int rw = r->bar[0] ? dash.right_width : 0, indent = 2 * r->level;
		/* A group's 未確認 count stays in view: the label gives way to it. */
		size_t unc = r->group >= 0 && dash.unconfirmed ? dash.unconfirmed[r->group] : 0;
		int room = ui->cols - 1 - indent - (rw ? rw + 1 : 0);
		char unc_text[40] = "";
		if (unc)
			snprintf(unc_text, sizeof unc_text, " (未確認 %zu)", unc);
		int uw = (int)text_width(unc_text, strlen(unc_text));
		int lw = draw_text(y + 3, indent, r->label, room - uw, a);
		if (unc)
			draw_text(y + 3, indent + lw, unc_text, uw, a);
		if (rw) {
			char right[ROWS_BAR_SIZE + 32];
			right_column(r, right, sizeof right);
			draw_text(y + 3, ui->cols - rw - 1, right, rw, a);
		}
	}
	draw_status(ui->message[0] ? ui->message : "進捗  Enter:そのページへ  R:レポート",
	            "q/Esc:戻る ?:ヘルプ");
}

/*
 * Write the session's report: ask for the format, write it beside the
 * sessions directory (or beside the answers file given with --answers),
 * mode 0600, and say where it went.
 */
static void write_report(struct ui *ui)
{
	struct buf answer = { 0 };
	const char *path = ui->answers ? ui->answers->path : NULL;

	/* Titles and texts read as empty once the index cache was truncated under us (doc_cache.h). */
	if (doc_cache_was_lost()) {
		ui_message(
			ui,
			"レポートを書けません: 索引キャッシュが使用中に書き換えられ、題名が欠けています。"
			"mamori を起動し直してください");
		return;
	}
	buf_adds(&answer, "html");
	if (!prompt_read(ui, "レポートの形式 (text, md, html, csv): ", &answer, NULL)) {
		buf_free(&answer);
		return;
	}
	int f = report_format_parse(answer.s);
	buf_free(&answer);
	if (f < 0) {
		ui_message(ui, "形式は text, md, html, csv のどれかです");
		return;
	}
	struct report_model m;
	char *msg = NULL;
	memset(&m, 0, sizeof m);
	report_model_session(&m, ui->doc, ui->answers, ui->sessions_dir, path, NULL, time(NULL), &msg);
	free(msg);
	/* The session's name: its file's, without ".txt". */
	const char *base = path ? strrchr(path, '/') : NULL;
	char *session = xstrdup(base ? base + 1 : path ? path : "report");
	char *dot = strrchr(session, '.');
	if (dot)
		*dot = '\0';
	char *out = report_default_path(ui->sessions_dir ? ui->sessions_dir : path, session,
	                                (enum report_format)f);
	struct report_options opts = { 0 };
	int r = report_write_file(out, &m, (enum report_format)f, &opts, 1);
	if (r < 0)
		ui_message(ui, "レポートを書けませんでした: %s: %s", out, strerror(-r));
	else if (doc_cache_was_lost())
		ui_message(ui,
		           "レポート %s は題名が欠けています (索引キャッシュが書き換えられました)。"
		           "mamori を起動し直して書き直してください",
		           out);
	else
		ui_message(ui, "レポートを書きました: %s", out);
	free(out);
	free(session);
	report_model_free(&m);
}

static enum action dashboard_action(struct ui *ui, enum action a)
{
	if (a == ACT_REPORT) {
		write_report(ui);
		return ACT_NONE;
	}
	rebuild(ui);
	if (list_action(&dash.list, a, (size_t)height(ui)))
		return ACT_NONE;
	if (a == ACT_FOLLOW) {
		if (dash.list.cursor >= 0)
			scr_page_show(ui, dash.rows.v[dash.list.cursor].page);
		return ACT_NONE;
	}
	return a;
}

static void dashboard_fini(struct ui *ui)
{
	(void)ui;
	rows_free(&dash.rows);
	free(dash.file);
	dash.file = NULL;
	free(dash.unconfirmed);
	dash.unconfirmed = NULL;
	free(dash.review);
	dash.review = NULL;
	dash.stale = 1;
}

static const enum keymap dashboard_keymaps[] = { KEYMAP_DASHBOARD, KEYMAP_LIST, KEYMAP_GLOBAL,
	                                         KEYMAP_END };

const struct screen scr_dashboard = {
	.name = "dashboard",
	.key = 'P',
	.key_label = "P",
	.key_help = "進捗ダッシュボード",
	.keymaps = dashboard_keymaps,
	.enter = dashboard_enter,
	.draw = dashboard_draw,
	.action = dashboard_action,
	.changed = dashboard_changed,
	.fini = dashboard_fini,
};
