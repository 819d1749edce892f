/*
 * scr_sessions: the list of sessions (one answers file per pass through
 * the guideline), newest first, each with its date and overall progress.
 * From here the user opens an older session (read-only: a past review is
 * a record, changed only when reopened for editing on purpose with E), or
 * starts a new one, empty or carrying the current answers over, or
 * deletes one made by mistake; each of those asks first.  The files are
 * read when the screen is shown and after a change (another mamori may
 * have added one), never while drawing.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sessions.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/prompt.h"
#include "ui/ui.h"

/* Why a past session opened from this screen refuses changes (ours, so E may lift it). */
static const char past_reason[] = "過去のセッションです (S の一覧で E を押すと編集できます)";

struct row {
	char *name;
	char *path;
	char bar[64];
	size_t lines; /* answers (and notes) in it */
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

static void overall_bar(const struct ui *ui, struct row *row, char *out, size_t size)
{
	struct answers a;
	struct progress p;

	memset(&p, 0, sizeof p);
	row->lines = 0;
	if (answers_open(&a, row->path, ui->doc, ANSWERS_READONLY) == 0 &&
	    progress_compute(&p, ui->doc, &a) == 0) {
		progress_bar(out, size, p.done, p.applicable, 10);
		row->lines = a.n;
	} else
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
		overall_bar(ui, row, row->bar, sizeof row->bar);
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
	draw_status(ui->message[0] ? ui->message
	                           : "Enter:開く N:空の新規 C:引き継いで新規 D:削除 E:編集用に開く",
	            "q/Esc:戻る");
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

/* A session older than the newest is a past review: opened read-only unless asked otherwise. */
static int is_past(const struct row *r)
{
	return ss.n && r != &ss.v[0];
}

static int marked_past(const struct ui *ui)
{
	return ui->answers && ui->answers->readonly && ui->answers->readonly_reason &&
	       strcmp(ui->answers->readonly_reason, past_reason) == 0;
}

/*
 * The rows are read again when the session changes (sessions_changed), so
 * what is needed of a row after a switch is copied first.
 */
static void open_row(struct ui *ui, const struct row *r)
{
	if (is_current(ui, r))
		return;
	char *name = xstrdup(r->name), *path = xstrdup(r->path);
	int past = is_past(r);
	if (ui_switch_session(ui, path) == 0) {
		struct answers *an = ui->answers;
		/* Read-only for another reason (in use elsewhere): that reason stays, it is the true one. */
		if (past && !an->readonly) {
			an->readonly = 1;
			free(an->readonly_reason);
			an->readonly_reason = xstrdup(past_reason);
			ui_recompute(ui);
			/* Short: the status line also names the session, 閲覧のみ. */
			ui_message(ui, "閲覧のみで開きました (編集は E)");
		} else if (!an->readonly) {
			ui_message(ui, "セッション %s を開きました", name);
		}
	}
	free(name);
	free(path);
}

static void reopen_row(struct ui *ui, const struct row *r)
{
	if (is_current(ui, r) && !marked_past(ui)) {
		if (ui->answers->readonly)
			ui_message_safe(ui, "編集できません: ",
			                ui->answers->readonly_reason ? ui->answers->readonly_reason : "");
		else
			ui_message(ui, "セッション %s はもう編集できます", r->name);
		return;
	}
	char *q = xasprintf("過去のセッション %s を編集できるようにしますか? 変更はこのセッションの"
	                    "ファイルに書かれます",
	                    r->name);
	int yes = prompt_yes_no(ui, q);
	free(q);
	if (!yes) {
		ui_message(ui, "編集用には開きませんでした");
		return;
	}
	char *name = xstrdup(r->name), *path = xstrdup(r->path);
	if (is_current(ui, r)) {
		ui->answers->readonly = 0;
		free(ui->answers->readonly_reason);
		ui->answers->readonly_reason = NULL;
		ui_recompute(ui);
		ui_message(ui, "セッション %s を編集用に開きました", name);
	} else if (ui_switch_session(ui, path) == 0 && !ui->answers->readonly) {
		/* (When it failed or is read-only, ui_switch_session said why.) */
		ui_message(ui, "セッション %s を編集用に開きました", name);
	}
	free(name);
	free(path);
}

/*
 * Delete a session made by mistake: asked once, and a second time when it
 * holds answers.  The session in use is left first (for the newest other
 * one), since its own lock would refuse the deletion.
 */
static void delete_row(struct ui *ui, size_t i)
{
	char *name = xstrdup(ss.v[i].name), *path = xstrdup(ss.v[i].path), *err = NULL;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	int current = is_current(ui, &ss.v[i]);

	if (ui->sessions_dirfd < 0) {
		ui_message(ui, "このセッションの場所が確かめられないため削除できません");
		goto out;
	}
	char *q = xasprintf("セッション %s を削除しますか?", name);
	int yes = prompt_yes_no(ui, q);
	free(q);
	int allow = 0;
	if (yes && ss.v[i].lines) {
		q = xasprintf("%s には回答が %zu 件あります。本当に削除しますか? 元に戻せません", name,
		              ss.v[i].lines);
		yes = allow = prompt_yes_no(ui, q);
		free(q);
	}
	if (!yes) {
		ui_message(ui, "削除しませんでした");
		goto out;
	}
	if (current) {
		size_t other = i == 0 ? 1 : 0;
		if (other >= ss.n) {
			ui_message(ui, "使用中の唯一のセッションは削除できません");
			goto out;
		}
		char *to = xstrdup(ss.v[other].path);
		int r = ui_switch_session(ui, to);
		free(to);
		if (r != 0)
			goto out;
	}
	int r = sessions_delete_at(ui->sessions_dirfd, base, allow, &err);
	if (r == -ENOTEMPTY &&
	    prompt_yes_no(ui, "このセッションにはコメントなどの行があります。本当に削除しますか?"))
		r = sessions_delete_at(ui->sessions_dirfd, base, 1, &err);
	if (r < 0)
		ui_message_safe(ui, "削除できませんでした: ", err ? err : "");
	else
		ui_message(ui, "セッション %s を削除しました", name);
	load(ui);
out:
	free(err);
	free(name);
	free(path);
}

static void ask_new(struct ui *ui, int carry)
{
	if (!prompt_yes_no(ui, carry ? "今の回答を引き継いだ新しいセッションを始めますか? "
	                               "(引き継いだ回答は確認するまで 未確認)"
	                             : "空の新しいセッションを始めますか?")) {
		ui_message(ui, "新しいセッションは作りませんでした");
		return;
	}
	start_new(ui, carry);
}

static enum action sessions_action(struct ui *ui, enum action a)
{
	if (!ui->sessions_dir)
		return a == ACT_FOLLOW || a == ACT_NEW_EMPTY || a == ACT_NEW_CARRY || a == ACT_DELETE ||
		                       a == ACT_REOPEN
		               ? ACT_NONE
		               : a;
	if (list_action(&ss.list, a, (size_t)height(ui)))
		return ACT_NONE;
	switch (a) {
	case ACT_FOLLOW:
		if (ss.list.cursor >= 0)
			open_row(ui, &ss.v[ss.list.cursor]);
		return ACT_NONE;
	case ACT_REOPEN:
		if (ss.list.cursor >= 0)
			reopen_row(ui, &ss.v[ss.list.cursor]);
		return ACT_NONE;
	case ACT_DELETE:
		if (ss.list.cursor >= 0)
			delete_row(ui, (size_t)ss.list.cursor);
		return ACT_NONE;
	case ACT_NEW_EMPTY:
	case ACT_NEW_CARRY:
		ask_new(ui, a == ACT_NEW_CARRY);
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
