/*
 * state: the session the screens work on: its answers, the progress
 * computed from them, and the previous session's progress for the change
 * since then.  Every change goes through ui_set_answer, which saves at once
 * (answers_set) and tells the status line when that fails.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sessions.h"
#include "core/text.h"
#include "ui/ui.h"

/* The previous session of the current one, for the change shown beside each bar. */
static void load_previous(struct ui *ui)
{
	char *name = NULL;

	if (ui->have_prev)
		progress_free(&ui->prev);
	ui->prev_name[0] = '\0';
	ui->have_prev = ui->answers && sessions_previous_progress(ui->sessions_dir, ui->answers->path,
	                                                          ui->doc, &ui->prev, &name) == 1;
	if (ui->have_prev)
		snprintf(ui->prev_name, sizeof ui->prev_name, "%s", name);
	free(name);
}

/* Every screen hears of a change, on the stack or not: what they cached is stale. */
static void tell_screens(struct ui *ui)
{
	for (const struct screen *const *s = ui_screens; *s; s++)
		if ((*s)->changed)
			(*s)->changed(ui);
}

void ui_recompute(struct ui *ui)
{
	progress_free(&ui->prog);
	progress_compute(&ui->prog, ui->doc, ui->answers);
	tell_screens(ui);
}

void ui_state_init(struct ui *ui)
{
	progress_compute(&ui->prog, ui->doc, ui->answers);
	load_previous(ui);
}

void ui_state_free(struct ui *ui)
{
	progress_free(&ui->prog);
	if (ui->have_prev)
		progress_free(&ui->prev);
	ui->have_prev = 0;
}

int ui_set_answer(struct ui *ui, int item, enum answer_state st, const char *note)
{
	if (!ui->answers) {
		ui_message(ui, "回答ファイルがないため保存できません");
		return -EROFS;
	}
	if (ui->answers->readonly) {
		ui_message_safe(ui, "読み取り専用のため変更できません: ",
		                ui->answers->readonly_reason ? ui->answers->readonly_reason : "");
		return -EROFS;
	}
	int r = answers_set(ui->answers, ui->doc->items[item].id, st, note, time(NULL));
	if (r < 0) {
		/* answers_set undid the change: memory still matches the file on disk. */
		ui_message_safe(ui, "保存できませんでした (変更は取り消しました): ",
		                answers_error(ui->answers));
		return r;
	}
	/* Saved; say what else happened on the way, in the words of what is true. */
	if (r & ANSWERS_SAVED_UNSYNCED)
		ui_message_safe(
			ui,
			"保存しましたが、ディレクトリを同期できませんでした (停電時に失われるおそれ): ",
			answers_error(ui->answers));
	else if (r & ANSWERS_SAVED_RELOADED)
		ui_message(
			ui,
			"回答ファイルが外で変更されていたため読み込み直し、この変更を加えて保存しました");
	else if (r & ANSWERS_SAVED_RECREATED)
		ui_message(ui, "回答ファイルが削除されていたため、今の回答で書き直しました");
	ui_recompute(ui);
	return 0;
}

int ui_switch_session(struct ui *ui, const char *path)
{
	struct answers next;

	memset(&next, 0, sizeof next);
	/* A session of the sessions directory is opened in it, as checked at start. */
	const char *base = strrchr(path, '/');
	size_t dlen = ui->sessions_dir ? strlen(ui->sessions_dir) : 0;
	int in_dir = ui->sessions_dirfd >= 0 && base && (size_t)(base - path) == dlen &&
	             strncmp(path, ui->sessions_dir, dlen) == 0;
	int r = in_dir ? answers_openat(&next, ui->sessions_dirfd, base + 1, path, ui->doc, 0)
	               : answers_open(&next, path, ui->doc, 0);
	if (r < 0) {
		ui_message_safe(ui, "開けませんでした: ", answers_error(&next));
		answers_close(&next);
		return r;
	}
	answers_close(ui->answers);
	*ui->answers = next;
	load_previous(ui);
	ui_recompute(ui);
	if (next.readonly)
		ui_message_safe(ui, "読み取り専用で開きました: ",
		                next.readonly_reason ? next.readonly_reason : "");
	return 0;
}

/*
 * What an item's row shows of its answer, at its "[ ]": a checklist's
 * state in 3 columns ("[ ]" not answered, "[_]" answered 未実施, "[x]"
 * done, "[-]" 該当しない); a diagnosis answer as a word of 4 columns,
 * taking the blank after the brackets (実施 一部 なし 不明: 実施している,
 * 一部実施している, 実施していない, わからない), so it reads as words and
 * not as a number to look up.  No ambiguous-width characters.
 */
const char *ui_item_marker(const struct ui *ui, int item)
{
	enum answer_state st = ui->answers ? answers_get_item(ui->answers, (size_t)item) : ANSWER_NONE;

	switch (st) {
	case ANSWER_DONE:
		return "[x]";
	case ANSWER_NA:
		return "[-]";
	case ANSWER_TODO:
		return "[_]";
	case ANSWER_YES:
		return "実施";
	case ANSWER_PARTLY:
		return "一部";
	case ANSWER_NO:
		return "なし";
	case ANSWER_UNKNOWN:
		return "不明";
	default:
		return "[ ]";
	}
}
