/*
 * form: the field editor (see form.h) and the item form built on it: the
 * note, owner and due date of one checklist item or question, saved
 * together by answers_set_fields.  The fields are drawn on the rows just
 * above the status line, over whatever screen is below; each is a
 * prompt_line, so editing keys, sideways scrolling and history are those
 * of every other line in mamori.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/input.h"
#include "ui/ui.h"

/* The histories live for the whole run: an owner typed once is an Up away on the next item. */
static struct prompt_history owners_history, dues_history, notes_history;

static int label_width(const struct form_field *f, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n; i++) {
		int lw = (int)text_width(f[i].label, strlen(f[i].label));
		if (lw > w)
			w = lw;
	}
	return w;
}

static void draw_form(struct ui *ui, const char *title, const struct form_field *f,
                      const struct prompt_line *lines, size_t n, size_t focus, const char *problem)
{
	int y0 = ui->rows - 1 - (int)n;
	int lw = label_width(f, n) + 2;
	int cx = 0, cy = 0;

	if (y0 < 0)
		y0 = 0;
	/* The row above the fields: the reason a field was refused, else the title and the keys. */
	draw_fill(y0, 0, A_REVERSE);
	if (problem) {
		draw_text(y0, 0, problem, ui->cols - 1, A_REVERSE | A_BOLD);
	} else {
		int x = draw_text(y0, 0, "Tab:次の欄 Enter:保存 Esc:取消", ui->cols - 1, A_REVERSE);
		if (f[focus].hint)
			x += 2 + draw_text(y0, x + 2, f[focus].hint, ui->cols - 3 - x, A_REVERSE);
		draw_text(y0, x + 2, title, ui->cols - 3 - x, A_REVERSE | A_BOLD);
	}
	for (size_t i = 0; i < n; i++) {
		int y = y0 + 1 + (int)i;
		attr_t la = i == focus ? A_REVERSE | A_BOLD : A_BOLD;
		draw_fill(y, 0, A_NORMAL);
		draw_text(y, 0, f[i].label, lw - 1, la);
		int x = prompt_line_draw(&lines[i], y, lw, ui->cols - lw - 1,
		                         i == focus ? A_UNDERLINE : A_NORMAL);
		if (i == focus) {
			cy = y;
			cx = x;
		}
	}
	move(cy, cx);
	refresh();
}

/* The first field that does not pass its check, with the message to show; n when all do. */
static size_t first_problem(const struct form_field *f, const struct prompt_line *lines, size_t n,
                            char **problem)
{
	for (size_t i = 0; i < n; i++) {
		const char *why = NULL;
		if (f[i].check && f[i].check(lines[i].b.s ? lines[i].b.s : "", &why) != 0) {
			*problem = xasprintf("%sが正しくありません: %s", f[i].label, why ? _(why) : "");
			return i;
		}
	}
	return n;
}

int form_run(struct ui *ui, const char *title, struct form_field *f, size_t n, size_t first)
{
	struct prompt_line *lines = xcalloc(n ? n : 1, sizeof *lines);
	size_t focus = first < n ? first : 0;
	char *problem = NULL;
	int result = 0;

	for (size_t i = 0; i < n; i++)
		prompt_line_init(&lines[i], f[i].value, f[i].history);
	curs_set(1);
	for (;;) {
		struct input_key k;
		/* A paste arrives as many keys at once: redraw only when none is waiting. */
		enum input_result r = input_read(&k, 0);
		if (r == INPUT_NONE) {
			draw_form(ui, title, f, lines, n, focus, problem);
			r = input_read(&k, 1);
		}
		if (r != INPUT_KEY)
			break;
		if (k.is_code && k.key == KEY_RESIZE) {
			/* The screen below is drawn again from memory, then the form over it. */
			getmaxyx(stdscr, ui->rows, ui->cols);
			erase();
			if (ui->cols >= UI_MIN_COLS && ui->rows >= UI_MIN_ROWS)
				ui_top(ui)->draw(ui);
			continue;
		}
		if (!k.is_code && k.key == '\t') {
			focus = (focus + 1) % n;
			continue;
		}
		if (k.is_code && k.key == KEY_BTAB) {
			focus = (focus + n - 1) % n;
			continue;
		}
		enum prompt_key pk = prompt_line_key(&lines[focus], &k);
		if (pk == PROMPT_KEY_CANCEL)
			break;
		if (pk == PROMPT_KEY_ENTER) {
			free(problem);
			problem = NULL;
			size_t bad = first_problem(f, lines, n, &problem);
			if (bad < n) {
				/* Kept open, the field as typed: the reason is shown until the next Enter. */
				focus = bad;
				continue;
			}
			result = 1;
			break;
		}
	}
	curs_set(0);
	for (size_t i = 0; i < n; i++) {
		if (result) {
			free(f[i].value);
			f[i].value = xstrdup(lines[i].b.s ? lines[i].b.s : "");
			prompt_history_add(f[i].history, f[i].value);
		}
		prompt_line_free(&lines[i]);
	}
	free(lines);
	free(problem);
	return result;
}

/* What happened on the way to a save, in the words of what is true (as ui_set_answer says it). */
static int saved(struct ui *ui, int r)
{
	if (r < 0) {
		ui_message_safe(ui, "保存できませんでした (変更は取り消しました): ",
		                answers_error(ui->answers));
		return 0;
	}
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
	return 1;
}

static int writable(struct ui *ui)
{
	if (!ui->answers) {
		ui_message(ui, "回答ファイルがないため保存できません");
		return 0;
	}
	if (ui->answers->readonly) {
		ui_message_safe(ui, "読み取り専用のため変更できません: ",
		                ui->answers->readonly_reason ? ui->answers->readonly_reason : "");
		return 0;
	}
	return 1;
}

static int check_due(const char *s, const char **why)
{
	/* Blanks around a date are dropped when saved; an empty field clears the date. */
	while (*s == ' ')
		s++;
	if (!*s)
		return 0;
	char *t = xstrdup(s);
	size_t len = strlen(t);
	while (len && t[len - 1] == ' ')
		t[--len] = '\0';
	int r = answers_date_check(t, why);
	free(t);
	return r;
}

static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return xstrndup(s, len);
}

int form_edit_item(struct ui *ui, int item, enum form_item_field first)
{
	if (!writable(ui))
		return 0;
	const struct item *it = &ui->doc->items[item];
	const struct answer *an = answers_find_item(ui->answers, (size_t)item);
	const char *was[3] = { an && an->note ? an->note : "", an && an->owner ? an->owner : "",
		               an && an->due ? an->due : "" };
	/*
	 * The note last, on the bottom row where the one-line note editor
	 * always was; Tab goes down and round to the owner at the top.
	 */
	struct form_field f[3] = {
		{ "担当", "例: 情シス佐藤、総務部", xstrdup(was[1]), &owners_history, NULL },
		{ "期限", "YYYY-MM-DD、空で期限なし", xstrdup(was[2]), &dues_history, check_due },
		{ "メモ", "長くても全部残ります", xstrdup(was[0]), &notes_history, NULL },
	};
	static const size_t at[] = { [FORM_NOTE] = 2, [FORM_OWNER] = 0, [FORM_DUE] = 1 };
	char *title = xasprintf("メモ (Tab で担当・期限)  %s %s", it->id, it->text);
	int r = form_run(ui, title, f, 3, at[first]);
	free(title);
	int done = 0;
	if (r) {
		char *v[3];
		v[0] = trimmed(f[2].value);
		v[1] = trimmed(f[0].value);
		v[2] = trimmed(f[1].value);
		/* Only what changed is handed on (NULL leaves a field as it is). */
		const char *note = strcmp(v[0], was[0]) ? v[0] : NULL;
		const char *owner = strcmp(v[1], was[1]) ? v[1] : NULL;
		const char *due = strcmp(v[2], was[2]) ? v[2] : NULL;
		if (!note && !owner && !due)
			ui_message(ui, "変更はありません");
		else if (saved(ui, answers_set_fields(ui->answers, it->id, note, owner, due, time(NULL))))
			done = 1;
		if (done && !ui->message[0])
			ui_message(ui, "保存しました (%s)", it->id);
		for (int i = 0; i < 3; i++)
			free(v[i]);
	}
	for (int i = 0; i < 3; i++)
		free(f[i].value);
	return done;
}

int form_confirm_item(struct ui *ui, int item)
{
	if (!writable(ui))
		return 0;
	const struct item *it = &ui->doc->items[item];
	const struct answer *an = answers_find_item(ui->answers, (size_t)item);
	if (!an || an->state == ANSWER_NONE) {
		ui_message(ui, "まだ回答がありません: 確認するのは回答済みの項目です");
		return 0;
	}
	if (!saved(ui, answers_confirm(ui->answers, it->id, time(NULL))))
		return 0;
	if (!ui->message[0])
		ui_message(ui, "確認しました (回答はそのまま): %s", it->id);
	return 1;
}

void form_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	if (strftime(out, 11, "%Y-%m-%d", &tm) == 0)
		out[0] = '\0';
}

int form_overdue(const char *due, const char *today)
{
	/* YYYY-MM-DD compares as text. */
	return due && due[0] && today[0] && strcmp(due, today) < 0;
}

int form_answer_overdue(const struct answer *an, const char *today)
{
	if (!an || an->state == ANSWER_DONE || an->state == ANSWER_NA || an->state == ANSWER_YES)
		return 0;
	return form_overdue(an->due, today);
}

/* The histories are freed with the screens' own state, at the end of the run. */
void form_fini(void)
{
	prompt_history_free(&owners_history);
	prompt_history_free(&dues_history);
	prompt_history_free(&notes_history);
}
