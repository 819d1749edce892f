/*
 * scr_sessions: the list of sessions (one answers file per pass through
 * the guideline), each with its date and overall progress.  From here the
 * user opens an older session, or starts a new one, empty or carrying the
 * current answers over.  The files are read afresh on each draw: there are
 * few, and another mamori may have added one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sessions.h"
#include "core/text.h"
#include "ui/draw.h"
#include "ui/ui.h"

static void overall_bar(const struct ui *ui, const char *path, char *out, size_t size)
{
	struct answers a;
	struct progress p;

	memset(&p, 0, sizeof p);
	if (answers_open(&a, path, ui->doc, ANSWERS_READONLY) == 0 &&
	    progress_compute(&p, ui->doc, &a) == 0)
		progress_bar(out, size, p.done, p.applicable, 10);
	else
		snprintf(out, size, "(読めません)");
	progress_free(&p);
	answers_close(&a);
}

static int is_current(const struct ui *ui, const struct session *s)
{
	return ui->answers && ui->answers->path && strcmp(ui->answers->path, s->path) == 0;
}

void scr_sessions_draw(struct ui *ui)
{
	struct sessions list = { 0 };
	char *msg = NULL;
	int height = ui_text_rows(ui) - 4;

	draw_text(0, 0, "セッション (回答ファイル) の一覧", ui->cols, A_BOLD);
	if (!ui->sessions_dir) {
		draw_text(2, 0, "--answers でファイルを指定しているため、セッションの一覧はありません。",
			  ui->cols, A_NORMAL);
		draw_status("セッション", "q/Esc:戻る");
		return;
	}
	char *dir = text_sanitize(ui->sessions_dir, strlen(ui->sessions_dir));
	draw_text(1, 0, dir ? dir : "", ui->cols, A_NORMAL);
	free(dir);
	if (sessions_list(&list, ui->sessions_dir, &msg) < 0) {
		char *safe = text_sanitize(msg ? msg : "", msg ? strlen(msg) : 0);
		draw_text(3, 0, safe ? safe : "", ui->cols, A_NORMAL);
		free(safe);
	}
	if (ui->sess_cursor >= (int)list.n)
		ui->sess_cursor = (int)list.n - 1;
	if (ui->sess_cursor < 0)
		ui->sess_cursor = 0;
	/* Newest first, the way people look for the latest review. */
	int first = ui->sess_cursor >= height ? ui->sess_cursor - height + 1 : 0;
	for (int y = 0; y < height && first + y < (int)list.n; y++) {
		int row = first + y;
		const struct session *s = &list.v[list.n - 1 - (size_t)row];
		char bar[64], label[128];
		overall_bar(ui, s->path, bar, sizeof bar);
		snprintf(label, sizeof label, "%s %s", is_current(ui, s) ? "*" : " ", s->name);
		attr_t a = row == ui->sess_cursor ? A_REVERSE : A_NORMAL;
		if (a)
			draw_fill(y + 3, 0, a);
		draw_text(y + 3, 0, label, ui->cols - 1, a);
		draw_text(y + 3, 20, bar, ui->cols - 21, a);
		if (is_current(ui, s))
			draw_text(y + 3, 20 + (int)strlen(bar) + 2, "(使用中)", ui->cols - 30 - (int)strlen(bar), a);
	}
	draw_status(ui->message[0] ? ui->message : "Enter:開く N:空の新規 C:引き継いで新規",
		    "q/Esc:戻る");
	sessions_free(&list);
	free(msg);
}

static void start_new(struct ui *ui, int carry)
{
	char *path = NULL, *msg = NULL;

	if (sessions_prepare_dir(ui->sessions_dir, &msg) == 0 &&
	    sessions_new(ui->sessions_dir, carry && ui->answers ? ui->answers->path : NULL, ui->doc,
			 time(NULL), &path, &msg) == 0) {
		if (ui_switch_session(ui, path) == 0) {
			const char *base = strrchr(path, '/');
			ui_message(ui, "新しいセッション %s を始めました%s", base ? base + 1 : path,
				   carry ? " (前の回答を引き継ぎ)" : "");
		}
		ui->sess_cursor = 0;
	} else {
		char *safe = text_sanitize(msg ? msg : "", msg ? strlen(msg) : 0);
		ui_message(ui, "新しいセッションを作れませんでした: %s", safe ? safe : "");
		free(safe);
	}
	free(path);
	free(msg);
}

void scr_sessions_action(struct ui *ui, enum action a)
{
	struct sessions list = { 0 };
	char *msg = NULL;

	if (a == ACT_QUIT || a == ACT_CANCEL) {
		ui->screen = ui->back_to;
		return;
	}
	if (a == ACT_CONTENTS) {
		ui->screen = SCR_CONTENTS;
		return;
	}
	if (a == ACT_DASHBOARD) {
		ui->back_to = SCR_SESSIONS;
		ui->screen = SCR_DASHBOARD;
		return;
	}
	if (!ui->sessions_dir)
		return;
	sessions_list(&list, ui->sessions_dir, &msg);
	int last = (int)list.n - 1;
	switch (a) {
	case ACT_DOWN:
		if (ui->sess_cursor < last)
			ui->sess_cursor++;
		break;
	case ACT_UP:
		if (ui->sess_cursor > 0)
			ui->sess_cursor--;
		break;
	case ACT_TOP:
		ui->sess_cursor = 0;
		break;
	case ACT_BOTTOM:
		ui->sess_cursor = last;
		break;
	case ACT_FOLLOW:
		if (ui->sess_cursor >= 0 && ui->sess_cursor <= last) {
			const struct session *s = &list.v[(size_t)last - (size_t)ui->sess_cursor];
			if (!is_current(ui, s) && ui_switch_session(ui, s->path) == 0)
				ui_message(ui, "セッション %s を開きました", s->name);
		}
		break;
	case ACT_NEW_EMPTY:
		start_new(ui, 0);
		break;
	case ACT_NEW_CARRY:
		start_new(ui, 1);
		break;
	default:
		break;
	}
	sessions_free(&list);
	free(msg);
}
