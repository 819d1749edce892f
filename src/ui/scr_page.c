/*
 * scr_page: the page reader's screen.  It only draws: where the reader
 * is, what is focused and what a search found all live in the core's
 * reader (core/reader.c).  Keys become reader calls, and answers on a
 * focused checklist item go through ui_set_answer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/reader.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/prompt.h"
#include "ui/ui.h"

/* Rows under the text on a page with 自社診断 questions: the running score. */
#define SCORE_ROWS 1

static struct {
	struct reader reader;
	int ready;
	struct prompt_history searches;
} pg;

static struct reader *reader(struct ui *ui)
{
	if (!pg.ready) {
		reader_init(&pg.reader, ui->doc);
		pg.ready = 1;
	}
	reader_set_view(&pg.reader, ui->cols, (size_t)ui_text_rows(ui), SCORE_ROWS);
	return &pg.reader;
}

int scr_page_current(const struct ui *ui)
{
	(void)ui;
	return pg.ready ? pg.reader.page : -1;
}

void scr_page_show(struct ui *ui, int page)
{
	reader_open(reader(ui), page, 1);
	ui_show(ui, &scr_page);
}

void scr_page_show_item(struct ui *ui, int item)
{
	struct reader *r = reader(ui);

	reader_open(r, ui->doc->items[item].page, 1);
	/* Focus moves link by link and item by item: a page holds few of them. */
	for (size_t k = 0; k < r->lo.nlines && reader_focused_item(r) != item; k++)
		if (!reader_move_focus(r, 1))
			break;
	ui_show(ui, &scr_page);
}

void scr_page_restore(struct ui *ui, int page, int block, size_t pos, int focus_block)
{
	struct reader *r = reader(ui);
	struct reader_pos at = { .page = page, .block = block, .pos = pos, .focus_block = focus_block };

	reader_open(r, page, 0);
	/* reader_back is what lays a page out at a kept place (and drops one that no longer fits). */
	r->history = xgrow(r->history, &r->cap_history, r->nhistory + 1, sizeof *r->history);
	r->history[r->nhistory++] = at;
	reader_back(r);
}

int scr_page_place(const struct ui *ui, int *block, size_t *pos, int *focus_block)
{
	(void)ui;
	if (!pg.ready || pg.reader.page < 0)
		return -1;
	struct reader_pos here = reader_here(&pg.reader);
	*block = here.block;
	*pos = here.pos;
	*focus_block = here.focus_block;
	return here.page;
}

/* Say where the search is: which hit of how many, and when it went round. */
static void search_message(struct ui *ui, enum reader_found f, int dir)
{
	struct reader *r = &pg.reader;
	char *pat = text_sanitize(r->search.pattern ? r->search.pattern : "",
	                          r->search.pattern ? strlen(r->search.pattern) : 0);

	if (f == READER_NOT_FOUND)
		ui_message(ui, "「%s」は見つかりません", pat);
	else
		ui_message(ui, "検索「%s」 %zu/%zu%s", pat, reader_hit_number(r), reader_hit_count(r),
		           f != READER_WRAPPED ? ""
		           : dir > 0           ? "  (末尾から先頭へ折り返し)"
		                               : "  (先頭から末尾へ折り返し)");
	free(pat);
}

int scr_page_search(struct ui *ui, int page)
{
	struct reader *r = reader(ui);
	struct buf pattern = { 0 };
	int found = 0;

	if (prompt_read(ui, "検索: ", &pattern, &pg.searches)) {
		/* From another screen (the contents), the search starts at the selected page. */
		int elsewhere = ui_top(ui) != &scr_page;
		struct reader_pos was = reader_here(r);
		size_t remembered = r->nhistory;
		if (elsewhere && page >= 0)
			reader_open(r, page, 1);
		enum reader_found f = reader_search(r, pattern.s);
		search_message(ui, f, 1);
		found = f != READER_NOT_FOUND;
		if (!found && elsewhere && page >= 0) {
			/* Nothing found: the reader goes back to where it was, and that screen stays. */
			if (r->nhistory > remembered)
				reader_back(r);
			else if (was.page >= 0)
				reader_open(r, was.page, 0);
		}
		if (found && elsewhere)
			ui_show(ui, &scr_page);
	}
	buf_free(&pattern);
	return found;
}

static attr_t line_attr(const struct ui *ui, const struct line *l)
{
	switch (l->style) {
	case LINE_TITLE:
	case LINE_HEADING:
	case LINE_TABLE_HEAD:
		return A_BOLD;
	case LINE_LINK:
		return ui->color ? A_UNDERLINE | A_BOLD : A_UNDERLINE;
	default:
		return A_NORMAL;
	}
}

/*
 * Draw a line, the search's hits on it marked without colour: the current
 * hit in reverse video, the others underlined.
 */
static void draw_line(struct ui *ui, int y, size_t i, attr_t attr)
{
	struct reader *r = &pg.reader;
	const struct line *l = &r->lo.lines[i];
	struct search_span spans[32];
	size_t n = r->searching ? search_line_spans(&r->search, &r->lo, r->page, i, spans, 32) : 0;
	size_t at = 0, len;
	int x = 0;

	/*
	 * Without hits, a line the layout made to fit the screen goes to curses
	 * whole: it was decoded, sanitised and measured when it was laid out.
	 */
	if (!n && r->lo.width <= ui->cols && draw_laid_out(y, 0, l->text, attr) == 0)
		return;
	len = strlen(l->text);
	for (size_t k = 0; k < n; k++) {
		if (spans[k].start < at || spans[k].end > len)
			continue;
		char *pre = xstrndup(l->text + at, spans[k].start - at);
		char *mid = xstrndup(l->text + spans[k].start, spans[k].end - spans[k].start);
		attr_t mark = (long)spans[k].hit == r->hit ? attr ^ A_REVERSE : attr | A_UNDERLINE;
		x += draw_text(y, x, pre, ui->cols - x, attr);
		x += draw_text(y, x, mid, ui->cols - x, mark);
		free(pre);
		free(mid);
		at = spans[k].end;
	}
	draw_text(y, x, l->text + at, ui->cols - x, attr);
}

/* The running score of the 自社診断 and its band, always shown while answering it. */
static void draw_score_row(const struct ui *ui, int y)
{
	char buf[300];
	const struct progress *p = &ui->prog;
	snprintf(buf, sizeof buf, "得点 %d/100 (回答 %zu/%zu)  %s / %s", p->score, p->answered,
	         p->questions, progress_band_title(p->band), progress_band_advice(p->band));
	draw_fill(y, 0, A_BOLD);
	draw_text(y, 0, buf, ui->cols, A_BOLD);
}

/* The status line's left side: a message, the search, the focused item's note or keys, the title. */
static char *status_left(const struct ui *ui)
{
	const struct reader *r = &pg.reader;
	int item = reader_focused_item(r);
	const struct answer *an =
		item >= 0 && ui->answers ? answers_find_item(ui->answers, (size_t)item) : NULL;
	const char *title = ui->doc->pages[r->page].title;

	if (ui->message[0])
		return xstrdup(ui->message);
	if (r->searching)
		return xasprintf("検索「%s」 %zu/%zu n/N:次/前 Esc:解除", r->search.pattern,
		                 reader_hit_number(r), reader_hit_count(r));
	/* The note, owner and due show whole under the item (draw_details), not cut off here. */
	if (an && answers_unconfirmed(ui->answers, an))
		return xstrdup("v:変更なしで確認 e:メモ・担当・期限 (前のセッションの回答)");
	if (item >= 0 && ui->doc->items[item].question)
		return xstrdup(doc_item_explain(ui->doc, item)
		                       ? "1:実施 2:一部 3:未実施 4:不明 0:消す i:解説"
		                       : "1:実施 2:一部 3:未実施 4:不明 0:消す");
	if (item >= 0)
		return xstrdup("Space:済/未 -:該当しない e:メモ・担当・期限");
	if (reader_page_has_questions(r, r->page))
		return xasprintf("c:最初の設問へ  %s", title);
	return xstrdup(title);
}

/*
 * Today's date for the overdue marks, asked of the clock only when an
 * answered item is on the screen: a page turn over text without answers
 * makes no time, localtime_r and strftime calls, and the first frame does
 * not load the time zone.
 */
static const char *page_today(char today[11])
{
	if (!today[0])
		form_today(today);
	return today;
}

/*
 * The column after an item's "[x]": ! overdue, ? 未確認 (carried over and
 * not yet confirmed in this session), * a note, owner or due date.  ASCII,
 * so it is one column on every terminal.
 */
static char item_flag(const struct ui *ui, int item, char today[11])
{
	const struct answer *an = ui->answers ? answers_find_item(ui->answers, (size_t)item) : NULL;

	if (!an)
		return 0;
	if (form_answer_overdue(an, page_today(today)))
		return '!';
	if (answers_unconfirmed(ui->answers, an))
		return '?';
	if ((an->note && an->note[0]) || (an->owner && an->owner[0]) || (an->due && an->due[0]))
		return '*';
	return 0;
}

/* Add s (sanitised) wrapped at width to lines. */
static void wrap_into(char ***lines, size_t *n, size_t *cap, const char *s, int width)
{
	char *safe = text_sanitize(s, strlen(s));
	struct wrap_line *wl;
	size_t k = layout_wrap(safe, strlen(safe), (size_t)(width > 1 ? width : 1), &wl);

	for (size_t i = 0; i < k; i++) {
		*lines = xgrow(*lines, cap, *n + 1, sizeof **lines);
		(*lines)[(*n)++] = xstrndup(safe + wl[i].start, wl[i].len);
	}
	free(wl);
	free(safe);
}

/*
 * The focused item's whole note, owner and due date (and whether it is
 * 未確認), wrapped, on the rows under it (or above it when it sits at the
 * bottom), over the text that follows: moving on shows that text again.
 * Returns nothing; what does not fit says so on its last row.
 */
static void draw_details(struct ui *ui, int height, char today[11])
{
	struct reader *r = &pg.reader;
	int item = reader_focused_item(r);
	const struct answer *an =
		item >= 0 && ui->answers ? answers_find_item(ui->answers, (size_t)item) : NULL;

	if (!an || r->focus < 0 || (size_t)r->focus < r->top)
		return;
	int unconfirmed = answers_unconfirmed(ui->answers, an);
	int has_owner = an->owner && an->owner[0], has_due = an->due && an->due[0];
	if (!(an->note && an->note[0]) && !has_owner && !has_due && !unconfirmed)
		return;
	int width = ui->cols - 5;
	char **lines = NULL;
	size_t n = 0, cap = 0;
	if (an->note && an->note[0]) {
		char *t = xasprintf("メモ: %s", an->note);
		wrap_into(&lines, &n, &cap, t, width);
		free(t);
	}
	if (has_owner || has_due) {
		char *t = xasprintf("担当: %s  期限: %s%s", has_owner ? an->owner : "-",
		                    has_due ? an->due : "-",
		                    form_answer_overdue(an, page_today(today)) ? " (期限切れ)" : "");
		wrap_into(&lines, &n, &cap, t, width);
		free(t);
	}
	if (unconfirmed)
		wrap_into(&lines, &n, &cap,
		          "未確認: 前のセッションから引き継いだ回答です (v で変更なしと確認)", width);

	/* The item's rows on screen: first (y0) to last (y1). */
	size_t last = (size_t)r->focus;
	while (last + 1 < r->lo.nlines && r->lo.lines[last + 1].item == item &&
	       !r->lo.lines[last + 1].first)
		last++;
	int y0 = r->focus - (int)r->top, y1 = (int)(last - r->top);
	if (y1 >= height)
		y1 = height - 1;
	int below = height - y1 - 1, above = y0;
	int rows = (int)n, y;
	if (rows <= below || below >= above) {
		y = y1 + 1;
		if (rows > below)
			rows = below;
	} else {
		y = y0 - (rows <= above ? rows : above);
		if (rows > above)
			rows = above;
	}
	for (int i = 0; i < rows; i++) {
		int cut = i == rows - 1 && (size_t)rows < n;
		draw_fill(y + i, 0, A_NORMAL);
		draw_text(y + i, 2, "|", 1, A_BOLD);
		draw_text(y + i, 4, cut ? "... (続きは e で)" : lines[i], width, A_NORMAL);
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void page_draw(struct ui *ui)
{
	char today[11] = "";

	struct reader *r = reader(ui);
	int height = (int)reader_height(r);

	char flag[2] = { 0 };
	int flag_col = 0;
	for (int y = 0; y < height && r->top + (size_t)y < r->lo.nlines; y++) {
		size_t i = r->top + (size_t)y;
		const struct line *l = &r->lo.lines[i];
		attr_t a = line_attr(ui, l);
		if (reader_in_focus(r, i)) {
			a |= A_REVERSE;
			draw_fill(y, 0, A_REVERSE);
			/* The cursor at the focus's first row, for screen readers and braille. */
			if (i == 0 || !reader_in_focus(r, i - 1) || y == 0)
				draw_cursor_at(y, 0);
		}
		draw_line(ui, y, i, a);
		if (l->item >= 0 && l->first) {
			/* A diagnosis answer is a word of 4 columns: it takes the blank after "[ ]" too. */
			int mw = draw_text(y, l->mark_col, ui_item_marker(ui, l->item), 4, a | A_BOLD);
			flag[0] = item_flag(ui, l->item, today);
			flag_col = l->mark_col + 1;
			if (flag[0] && mw <= 3) {
				draw_text(y, l->mark_col + 3, flag, 1, a | A_BOLD);
				flag[0] = '\0';
			}
		} else if (l->item >= 0 && flag[0]) {
			/* After a word marker the flag goes in the blank indent of the item's next row. */
			draw_text(y, flag_col, flag, 1, a | A_BOLD);
			flag[0] = '\0';
		}
	}
	draw_details(ui, height, today);
	if (reader_page_has_questions(r, r->page))
		draw_score_row(ui, height);

	char right[96];
	size_t last = r->top + (size_t)height;
	if (last > r->lo.nlines)
		last = r->lo.nlines;
	int pct = r->lo.nlines ? (int)(last * 100 / r->lo.nlines) : 100;
	snprintf(right, sizeof right, "%d/%zu %3d%%  ?:ヘルプ", r->page + 1, ui->doc->npages, pct);
	/* A note or a pattern comes from a person or a file: shown, never sent raw. */
	char *left = status_left(ui);
	char *safe = text_sanitize(left, strlen(left));
	draw_status(safe, right);
	free(safe);
	free(left);
}

/* After an answer, on to the next question; at the last one, say where the score stands. */
static void next_question(struct ui *ui)
{
	struct reader *r = &pg.reader;
	if (reader_next_question(r))
		return;
	if (ui->prog.answered == ui->prog.questions)
		ui_message(ui, "全問に回答しました: %d点 %s / %s", ui->prog.score,
		           progress_band_title(ui->prog.band), progress_band_advice(ui->prog.band));
}

static void item_action(struct ui *ui, enum action a)
{
	struct reader *r = &pg.reader;
	int item = reader_focused_item(r);
	const struct item *it = &ui->doc->items[item];
	enum answer_state cur = ui->answers ? answers_get_item(ui->answers, (size_t)item) : ANSWER_NONE;

	if (a == ACT_NOTE) {
		form_edit_item(ui, item, FORM_NOTE);
		return;
	}
	if (a == ACT_CLEAR) {
		if (cur == ANSWER_NONE)
			ui_message(ui, "この項目はまだ回答していません");
		else if (ui_set_answer(ui, item, ANSWER_NONE, NULL) == 0)
			ui_message(ui, "回答を消しました (未回答に戻りました)");
		return;
	}
	if (a == ACT_CONFIRM) {
		form_confirm_item(ui, item);
		return;
	}
	if (a == ACT_EXPLAIN) {
		if (!scr_explain_show(ui, item))
			ui_message(ui, "この項目には解説がありません");
		return;
	}
	if (it->question) {
		if (a == ACT_TOGGLE) {
			/* Space on a question still scrolls: questions are answered with 1-4. */
			reader_page_down(r);
			return;
		}
		if (a < ACT_ANSWER_1 || a > ACT_ANSWER_4) {
			ui_message(ui, "自社診断は 1-4 で回答します (1:実施 2:一部 3:未実施 4:不明)");
			return;
		}
		static const enum answer_state answers[] = { ANSWER_YES, ANSWER_PARTLY, ANSWER_NO,
			                                     ANSWER_UNKNOWN };
		if (ui_set_answer(ui, item, answers[a - ACT_ANSWER_1], NULL) == 0)
			next_question(ui);
		return;
	}
	if (a == ACT_TOGGLE)
		ui_set_answer(ui, item, cur == ANSWER_DONE ? ANSWER_TODO : ANSWER_DONE, NULL);
	else if (a == ACT_NA)
		ui_set_answer(ui, item, cur == ANSWER_NA ? ANSWER_TODO : ANSWER_NA, NULL);
	else
		ui_message(ui, "1-4 は自社診断の回答に使います。チェック項目は Space で切り替えます");
}

static enum action page_action(struct ui *ui, enum action a)
{
	struct reader *r = reader(ui);

	switch (a) {
	case ACT_DOWN:
		reader_scroll(r, 1);
		break;
	case ACT_UP:
		reader_scroll(r, -1);
		break;
	case ACT_PAGE_DOWN:
		reader_page_down(r);
		break;
	case ACT_PAGE_UP:
		reader_page_up(r);
		break;
	case ACT_TOP:
		reader_home(r);
		break;
	case ACT_BOTTOM:
		reader_end(r);
		break;
	case ACT_NEXT_PAGE:
		if (r->page + 1 < (int)ui->doc->npages)
			reader_open(r, r->page + 1, 0);
		else
			ui_message(ui, "最後のページです");
		break;
	case ACT_PREV_PAGE:
		if (r->page > 0)
			reader_open(r, r->page - 1, 0);
		else
			ui_message(ui, "最初のページです");
		break;
	case ACT_NEXT_FOCUS:
	case ACT_PREV_FOCUS:
		if (!reader_move_focus(r, a == ACT_NEXT_FOCUS ? 1 : -1))
			ui_message(ui, a == ACT_NEXT_FOCUS
			                       ? "このページにはこの先にリンク・項目がありません"
			                       : "このページにはこの前にリンク・項目がありません");
		break;
	case ACT_FOLLOW:
		if (reader_focused_link(r) >= 0)
			reader_open(r, reader_focused_link(r), 1);
		else
			ui_message(ui, "Tab でリンクを選んでから Enter を押してください");
		break;
	case ACT_BACK:
		/* Nothing to go back to: the contents, where every reading starts. */
		if (!reader_back(r))
			ui_show(ui, &scr_contents);
		break;
	case ACT_SEARCH:
		scr_page_search(ui, -1);
		break;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		search_message(ui, reader_search_next(r, a == ACT_SEARCH_NEXT ? 1 : -1),
		               a == ACT_SEARCH_NEXT ? 1 : -1);
		break;
	case ACT_CANCEL:
		if (!r->searching)
			return a;
		reader_search_stop(r);
		break;
	case ACT_FIRST_ITEM:
		if (!reader_first_item(r))
			ui_message(ui, "このページにはチェック項目がありません");
		break;
	case ACT_TOGGLE:
	case ACT_NA:
	case ACT_NOTE:
	case ACT_CONFIRM:
	case ACT_CLEAR:
	case ACT_EXPLAIN:
	case ACT_ANSWER_1:
	case ACT_ANSWER_2:
	case ACT_ANSWER_3:
	case ACT_ANSWER_4:
		item_action(ui, a);
		break;
	default:
		return a;
	}
	return ACT_NONE;
}

/* The item keymap only while an item is focused; the search keys only while hits are shown. */
static int page_keymap_on(struct ui *ui, enum keymap km)
{
	struct reader *r = reader(ui);
	if (km == KEYMAP_ITEM)
		return reader_focused_item(r) >= 0;
	if (km == KEYMAP_SEARCH)
		return r->searching;
	return 1;
}

static void page_fini(struct ui *ui)
{
	(void)ui;
	if (pg.ready)
		reader_free(&pg.reader);
	pg.ready = 0;
	prompt_history_free(&pg.searches);
}

static const enum keymap page_keymaps[] = { KEYMAP_ITEM, KEYMAP_SEARCH, KEYMAP_READER,
	                                    KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_page = {
	.name = "page",
	.keymaps = page_keymaps,
	.keymap_on = page_keymap_on,
	.draw = page_draw,
	.action = page_action,
	.fini = page_fini,
};
