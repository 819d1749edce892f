/*
 * scr_sessions: the list of sessions (one answers file per pass through
 * the guideline), newest first, each with its date and overall progress.
 * From here the user opens an older session, or starts a new one, empty
 * or carrying the current answers over.  The files are read when the
 * screen is shown and after a change (another mamori may have added one),
 * never while drawing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sessions.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/ui.h"

struct row {
	char *name;
	char *path;
	char bar[64];
};

static struct {
	struct row *v;
	size_t n, cap;
	char *problem; /* why the directory could not be listed, or NULL */
	struct list list;
} ss;

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 4;
}

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

static void forget(void)
{
	for (size_t i = 0; i < ss.n; i++) {
		free(ss.v[i].name);
		free(ss.v[i].path);
	}
	ss.n = 0;
	free(ss.problem);
	ss.problem = NULL;
}

static void load(struct ui *ui)
{
	struct sessions list = { 0 };
	char *msg = NULL;

	forget();
	if (!ui->sessions_dir)
		return;
	int r = ui->sessions_dirfd >= 0
	                ? sessions_list_at(&list, ui->sessions_dirfd, ui->sessions_dir, &msg)
	                : sessions_list(&list, ui->sessions_dir, &msg);
	if (r < 0)
		ss.problem = text_sanitize(msg ? msg : "", msg ? strlen(msg) : 0);
	/* Newest first, the way people look for the latest review. */
	for (size_t i = list.n; i-- > 0;) {
		ss.v = xgrow(ss.v, &ss.cap, ss.n + 1, sizeof *ss.v);
		struct row *row = &ss.v[ss.n++];
		row->name = text_sanitize(list.v[i].name, strlen(list.v[i].name));
		row->path = xstrdup(list.v[i].path);
		overall_bar(ui, row->path, row->bar, sizeof row->bar);
	}
	sessions_free(&list);
	free(msg);
	list_set_count(&ss.list, ss.n);
}

static int is_current(const struct ui *ui, const struct row *r)
{
	return ui->answers && ui->answers->path && strcmp(ui->answers->path, r->path) == 0;
}

static void sessions_enter(struct ui *ui)
{
	load(ui);
	list_fix(&ss.list, (size_t)height(ui));
}

static void sessions_changed(struct ui *ui)
{
	if (ui_top(ui) == &scr_sessions)
		load(ui);
}

static void sessions_draw(struct ui *ui)
{
	draw_text(0, 0, "セッション (回答ファイル) の一覧", ui->cols, A_BOLD);
	if (!ui->sessions_dir) {
		draw_text(2, 0, "--answers でファイルを指定しているため、セッションの一覧はありません。",
		          ui->cols, A_NORMAL);
		draw_status(ui->message[0] ? ui->message : "セッション", "q/Esc:戻る");
		return;
	}
	list_fix(&ss.list, (size_t)height(ui));
	char *dir = text_sanitize(ui->sessions_dir, strlen(ui->sessions_dir));
	draw_text(1, 0, dir, ui->cols, A_NORMAL);
	free(dir);
	if (ss.problem)
		draw_text(3, 0, ss.problem, ui->cols, A_NORMAL);
	for (int y = 0; y < height(ui) && ss.list.top + (size_t)y < ss.n; y++) {
		size_t i = ss.list.top + (size_t)y;
		const struct row *r = &ss.v[i];
		char label[128];
		snprintf(label, sizeof label, "%s %s", is_current(ui, r) ? "*" : " ", r->name);
		attr_t a = (long)i == ss.list.cursor ? A_REVERSE : A_NORMAL;
		if (a)
			draw_fill(y + 3, 0, a);
		draw_text(y + 3, 0, label, ui->cols - 1, a);
		draw_text(y + 3, 20, r->bar, ui->cols - 21, a);
		if (is_current(ui, r))
			draw_text(y + 3, 20 + (int)strlen(r->bar) + 2, "(使用中)",
			          ui->cols - 30 - (int)strlen(r->bar), a);
	}
	draw_status(ui->message[0] ? ui->message : "Enter:開く N:空の新規 C:引き継いで新規", "q/Esc:戻る");
}

static void start_new(struct ui *ui, int carry)
{
	char *path = NULL, *msg = NULL;

	const char *carry_from = carry && ui->answers ? ui->answers->path : NULL;
	/* In the directory checked at start: a swap of it since cannot redirect the new file. */
	int r = ui->sessions_dirfd >= 0 ? sessions_new_at(ui->sessions_dirfd, ui->sessions_dir, carry_from,
	                                                  ui->doc, time(NULL), &path, &msg)
	        : sessions_prepare_dir(ui->sessions_dir, &msg) == 0
	                ? sessions_new(ui->sessions_dir, carry_from, ui->doc, time(NULL), &path, &msg)
	                : -1;
	if (r == 0) {
		if (ui_switch_session(ui, path) == 0) {
			const char *base = strrchr(path, '/');
			char *safe = text_sanitize(base ? base + 1 : path, strlen(base ? base + 1 : path));
			ui_message(ui, "新しいセッション %s を始めました%s", safe,
			           carry ? " (前の回答を引き継ぎ)" : "");
			free(safe);
		}
		load(ui);
		ss.list.cursor = 0;
	} else {
		ui_message_safe(ui, "新しいセッションを作れませんでした: ", msg ? msg : "");
	}
	free(path);
	free(msg);
}

static enum action sessions_action(struct ui *ui, enum action a)
{
	if (!ui->sessions_dir)
		return a == ACT_FOLLOW || a == ACT_NEW_EMPTY || a == ACT_NEW_CARRY ? ACT_NONE : a;
	if (list_action(&ss.list, a, (size_t)height(ui)))
		return ACT_NONE;
	switch (a) {
	case ACT_FOLLOW:
		if (ss.list.cursor >= 0) {
			const struct row *r = &ss.v[ss.list.cursor];
			if (!is_current(ui, r) && ui_switch_session(ui, r->path) == 0)
				ui_message(ui, "セッション %s を開きました", r->name);
		}
		return ACT_NONE;
	case ACT_NEW_EMPTY:
	case ACT_NEW_CARRY:
		start_new(ui, a == ACT_NEW_CARRY);
		return ACT_NONE;
	default:
		return a;
	}
}

static void sessions_fini(struct ui *ui)
{
	(void)ui;
	forget();
	free(ss.v);
	memset(&ss, 0, sizeof ss);
}

static const enum keymap sessions_keymaps[] = { KEYMAP_SESSIONS, KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_sessions = {
	.name = "sessions",
	.key = 'S',
	.key_label = "S",
	.key_help = "セッション (回答ファイル) の一覧",
	.keymaps = sessions_keymaps,
	.enter = sessions_enter,
	.draw = sessions_draw,
	.action = sessions_action,
	.changed = sessions_changed,
	.fini = sessions_fini,
};
