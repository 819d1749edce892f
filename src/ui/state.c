/*
 * state: the session the screens work on: its answers, the progress
 * computed from them, and the previous session's progress for the change
 * since then.  Every change goes through ui_set_answer, which saves at once
 * (answers_set) and tells the status line when that fails.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sessions.h"
#include "core/text.h"
#include "ui/ui.h"

/* The previous session of the current one, for the change shown beside each bar. */
static void load_previous(struct ui *ui)
{
	char *prev = NULL, *msg = NULL;

	if (ui->have_prev)
		progress_free(&ui->prev);
	ui->have_prev = 0;
	ui->toc_bar_width = -1;
	ui->prev_name[0] = '\0';
	if (!ui->answers || !ui->sessions_dir)
		return;
	if (sessions_previous(ui->sessions_dir, ui->answers->path, &prev, &msg) == 0) {
		struct answers a;
		memset(&a, 0, sizeof a);
		if (answers_open(&a, prev, ui->doc, ANSWERS_READONLY) == 0 &&
		    progress_compute(&ui->prev, ui->doc, &a) == 0) {
			const char *base = strrchr(prev, '/');
			snprintf(ui->prev_name, sizeof ui->prev_name, "%s", base ? base + 1 : prev);
			char *dot = strrchr(ui->prev_name, '.');
			if (dot)
				*dot = '\0';
			ui->have_prev = 1;
		}
		answers_close(&a);
	}
	free(prev);
	free(msg);
}

void ui_recompute(struct ui *ui)
{
	progress_free(&ui->prog);
	progress_compute(&ui->prog, ui->doc, ui->answers);
	ui->toc_bar_width = -1;
}

/* What the screens ask of every page, computed once: the doc never changes while running. */
static void index_pages(struct ui *ui)
{
	const struct doc *d = ui->doc;
	size_t np = d->npages ? d->npages : 1;

	ui->page_group = malloc(np * sizeof *ui->page_group);
	ui->page_questions = calloc(np, 1);
	ui->toc = malloc((d->nchapters + np) * sizeof *ui->toc);
	ui->toc_row = malloc(np * sizeof *ui->toc_row);
	if (!ui->page_group || !ui->page_questions || !ui->toc || !ui->toc_row)
		abort();
	for (size_t p = 0; p < d->npages; p++)
		ui->page_group[p] = -1;
	for (size_t g = d->ngroups; g-- > 0;)
		ui->page_group[d->groups[g].page] = (int)g;  /* the first group declared wins */
	for (size_t i = 0; i < d->nitems; i++)
		if (d->items[i].question)
			ui->page_questions[d->items[i].page] = 1;
	ui->ntoc = 0;
	for (size_t c = 0; c < d->nchapters; c++) {
		ui->toc[ui->ntoc++] = -1 - (int)c;
		for (size_t p = 0; p < d->chapters[c].npages; p++) {
			int page = d->chapters[c].first_page + (int)p;
			ui->toc_row[page] = (int)ui->ntoc;
			ui->toc[ui->ntoc++] = page;
		}
	}
}

void ui_state_init(struct ui *ui)
{
	index_pages(ui);
	ui_recompute(ui);
	load_previous(ui);
}

void ui_state_free(struct ui *ui)
{
	free(ui->page_group);
	free(ui->page_questions);
	free(ui->toc);
	free(ui->toc_row);
	progress_free(&ui->prog);
	if (ui->have_prev)
		progress_free(&ui->prev);
	ui->have_prev = 0;
}

/* Show a message that may quote a file name or the answers file: sanitised. */
static void message_safe(struct ui *ui, const char *prefix, const char *text)
{
	char *safe = text_sanitize(text, strlen(text));
	ui_message(ui, "%s%s", prefix, safe ? safe : "");
	free(safe);
}

int ui_set_answer(struct ui *ui, int item, enum answer_state st, const char *note)
{
	if (!ui->answers) {
		ui_message(ui, "回答ファイルがないため保存できません");
		return -EROFS;
	}
	if (ui->answers->readonly) {
		message_safe(ui, "読み取り専用のため変更できません: ",
			     ui->answers->readonly_reason ? ui->answers->readonly_reason : "");
		return -EROFS;
	}
	int r = answers_set(ui->answers, ui->doc->items[item].id, st, note, time(NULL));
	if (r < 0) {
		/* answers_set undid the change: memory still matches the file on disk. */
		message_safe(ui, "保存できませんでした (変更は取り消しました): ", answers_error(ui->answers));
		return r;
	}
	ui_recompute(ui);
	return 0;
}

int ui_switch_session(struct ui *ui, const char *path)
{
	struct answers next;

	memset(&next, 0, sizeof next);
	int r = answers_open(&next, path, ui->doc, 0);
	if (r < 0) {
		message_safe(ui, "開けませんでした: ", answers_error(&next));
		answers_close(&next);
		return r;
	}
	answers_close(ui->answers);
	*ui->answers = next;
	ui_recompute(ui);
	load_previous(ui);
	if (next.readonly)
		message_safe(ui, "読み取り専用で開きました: ",
			     next.readonly_reason ? next.readonly_reason : "");
	return 0;
}

const char *ui_item_marker(const struct ui *ui, int item)
{
	enum answer_state st = ui->answers ? answers_get_item(ui->answers, (size_t)item) : ANSWER_NONE;

	switch (st) {
	case ANSWER_DONE:
		return "[x]";
	case ANSWER_NA:
		return "[-]";
	case ANSWER_YES:
		return "[1]";
	case ANSWER_PARTLY:
		return "[2]";
	case ANSWER_NO:
		return "[3]";
	case ANSWER_UNKNOWN:
		return "[4]";
	default:
		return "[ ]";
	}
}
