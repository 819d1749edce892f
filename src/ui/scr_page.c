/*
 * scr_page: the page reader.  It shows a page laid out by the core at the
 * terminal's width, scrolls, moves between links and checklist items,
 * follows links with a history to go back through, and searches the whole
 * guideline.  A resize lays the page out again and keeps the reader's
 * place by block position, not by line number.
 */
#define _GNU_SOURCE /* strcasestr */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "ui/draw.h"
#include "ui/ui.h"

static int page_has_questions(const struct ui *ui);

/* Rows for the page's text: on the 自社診断's pages one row shows the running score. */
static int page_height(const struct ui *ui)
{
	return ui_text_rows(ui) - (page_has_questions(ui) ? 1 : 0);
}

/* Lay the page out again when the page or the width changed, keeping the place. */
static void ensure_layout(struct ui *ui)
{
	if (ui->lo_page == ui->page && ui->lo_width == ui->cols)
		return;
	int same_page = ui->lo_page == ui->page && ui->lo.nlines > 0;
	int block = 0, focus_block = -1;
	size_t pos = 0;
	if (same_page) {
		const struct line *l = &ui->lo.lines[ui->top < ui->lo.nlines ? ui->top : 0];
		block = l->block;
		pos = l->pos;
		if (ui->focus >= 0)
			focus_block = ui->lo.lines[ui->focus].block;
	}
	layout_free(&ui->lo);
	layout_page(&ui->lo, ui->doc, ui->page, ui->cols);
	ui->lo_page = ui->page;
	ui->lo_width = ui->cols;
	ui->focus = -1;
	if (same_page) {
		ui->top = layout_find_anchor(&ui->lo, block, pos);
		for (size_t i = 0; focus_block >= 0 && i < ui->lo.nlines; i++)
			if (ui->lo.lines[i].block == focus_block && ui->lo.lines[i].first) {
				ui->focus = (int)i;
				break;
			}
	}
}

static void clamp_top(struct ui *ui)
{
	size_t max = nav_max_top(ui->lo.nlines, (size_t)page_height(ui));
	if (ui->top > max)
		ui->top = max;
}

void scr_page_open(struct ui *ui, int page, int push_history)
{
	if (push_history) {
		struct nav_pos here = { .page = -1, .block = 0, .pos = 0, .focus = -1 };
		if (ui->screen == SCR_PAGE && ui->lo_page == ui->page && ui->lo.nlines) {
			const struct line *l = &ui->lo.lines[ui->top];
			here.page = ui->page;
			here.block = l->block;
			here.pos = l->pos;
			here.focus = ui->focus >= 0 ? ui->lo.lines[ui->focus].block : -1;
		}
		nav_push(&ui->history, &here);
	}
	ui->screen = SCR_PAGE;
	ui->page = page;
	ui->toc_cursor = page;
	ui->top = 0;
	ui->focus = -1;
	ensure_layout(ui);
}

/* A link or item spans several lines: they all share the focused line's block. */
static int in_focus(const struct ui *ui, size_t i)
{
	if (ui->focus < 0)
		return 0;
	const struct line *f = &ui->lo.lines[ui->focus], *l = &ui->lo.lines[i];
	return l->block == f->block && (l->link >= 0 || l->item >= 0);
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

/* Draw a line with every occurrence of the search text shown in reverse. */
static void draw_line(struct ui *ui, int y, const struct line *l, attr_t attr)
{
	const char *s = l->text;
	size_t nlen = strlen(ui->search);
	int x = 0;

	if (!ui->searching || nlen == 0) {
		draw_text(y, 0, s, ui->cols, attr);
		return;
	}
	for (;;) {
		const char *hit = strcasestr(s, ui->search);
		if (!hit) {
			draw_text(y, x, s, ui->cols - x, attr);
			return;
		}
		char *pre = strndup(s, (size_t)(hit - s)), *mid = strndup(hit, nlen);
		if (!pre || !mid) {
			free(pre);
			free(mid);
			return;
		}
		x += draw_text(y, x, pre, ui->cols - x, attr);
		x += draw_text(y, x, mid, ui->cols - x, attr ^ A_REVERSE);
		free(pre);
		free(mid);
		s = hit + nlen;
	}
}

/* The checklist item under the focus, when it is on screen; else -1. */
static int focused_item(const struct ui *ui)
{
	size_t h = (size_t)page_height(ui);
	if (ui->focus < 0 || (size_t)ui->focus < ui->top || (size_t)ui->focus >= ui->top + h)
		return -1;
	return ui->lo.lines[ui->focus].item;
}

static int page_has_questions(const struct ui *ui)
{
	return ui->page_questions[ui->page];
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

int scr_page_item_focused(const struct ui *ui)
{
	return focused_item(ui) >= 0;
}

void scr_page_draw(struct ui *ui)
{
	ensure_layout(ui);
	clamp_top(ui);
	int height = page_height(ui);
	const struct page *pg = &ui->doc->pages[ui->page];

	for (int y = 0; y < height && ui->top + (size_t)y < ui->lo.nlines; y++) {
		size_t i = ui->top + (size_t)y;
		const struct line *l = &ui->lo.lines[i];
		attr_t a = line_attr(ui, l);
		if (in_focus(ui, i)) {
			a |= A_REVERSE;
			draw_fill(y, 0, A_REVERSE);
		}
		draw_line(ui, y, l, a);
		if (l->item >= 0 && l->first)
			draw_text(y, l->mark_col, ui_item_marker(ui, l->item), 3, a | A_BOLD);
	}

	if (page_has_questions(ui))
		draw_score_row(ui, height);
	char right[96];
	size_t last = ui->top + (size_t)height;
	if (last > ui->lo.nlines)
		last = ui->lo.nlines;
	int pct = ui->lo.nlines ? (int)(last * 100 / ui->lo.nlines) : 100;
	snprintf(right, sizeof right, "%d/%zu %3d%%  ?:ヘルプ", ui->page + 1, ui->doc->npages, pct);
	char left[600];
	const struct answer *an = NULL;
	int item = focused_item(ui);
	if (item >= 0 && ui->answers)
		an = answers_find_item(ui->answers, (size_t)item);
	if (ui->message[0])
		snprintf(left, sizeof left, "%s", ui->message);
	else if (ui->searching)
		snprintf(left, sizeof left, "検索「%s」 n/N:次/前 Esc:解除", ui->search);
	else if (an && an->note && an->note[0])
		snprintf(left, sizeof left, "メモ: %s", an->note);
	else if (item >= 0 && ui->doc->items[item].question)
		snprintf(left, sizeof left, "1:実施している 2:一部 3:実施していない 4:わからない");
	else if (item >= 0)
		snprintf(left, sizeof left, "Space:済/未 -:該当しない e:メモ");
	else if (page_has_questions(ui))
		snprintf(left, sizeof left, "c:最初の設問へ  %s", pg->title);
	else
		snprintf(left, sizeof left, "%s", pg->title);
	/* A note comes from a file: shown, never sent raw. */
	char *safe = text_sanitize(left, strlen(left));
	draw_status(safe ? safe : "", right);
	free(safe);
}

/* Scroll so that line i is on screen. */
static void show_line(struct ui *ui, size_t i)
{
	size_t h = (size_t)page_height(ui);
	if (i < ui->top)
		ui->top = i;
	else if (i >= ui->top + h)
		ui->top = i - h + 1;
}

static void move_focus(struct ui *ui, int dir)
{
	size_t h = (size_t)page_height(ui);
	int from = ui->focus;
	/* With no focus on screen, start from the edge of what is shown. */
	if (from < 0 || (size_t)from < ui->top || (size_t)from >= ui->top + h)
		from = dir > 0 ? (int)ui->top - 1 : (int)(ui->top + h);
	int next = nav_next_focus(&ui->lo, from, dir);
	if (next < 0) {
		ui_message(ui, dir > 0 ? "このページにはこの先にリンク・項目がありません"
				       : "このページにはこの前にリンク・項目がありません");
		return;
	}
	ui->focus = next;
	show_line(ui, (size_t)next);
	/* Show the whole of a multi-line link or item where it fits. */
	size_t end = (size_t)next;
	while (end + 1 < ui->lo.nlines && in_focus(ui, end + 1))
		end++;
	if (end >= ui->top + h && end - (size_t)next < h)
		ui->top = end - h + 1;
}

/*
 * Where Space/PgDn goes: one screen on, except that a heading left on the
 * last row (with only blank rows after it) moves to the top of the next
 * screen, so a heading is never cut off from its text.
 */
static size_t page_down_target(const struct ui *ui, size_t h)
{
	size_t next = ui->top + h, k = next;
	const struct line *lines = ui->lo.lines;

	if (next >= ui->lo.nlines)
		return next;
	while (k > ui->top + h / 2 && lines[k - 1].style == LINE_BLANK)
		k--;
	if (k <= ui->top + h / 2 ||
	    (lines[k - 1].style != LINE_HEADING && lines[k - 1].style != LINE_TITLE))
		return next;
	/* A heading may wrap: go to its first line. */
	k--;
	while (k > ui->top + h / 2 && lines[k - 1].block == lines[k].block &&
	       lines[k - 1].style == lines[k].style)
		k--;
	return k;
}

static void go_back(struct ui *ui)
{
	struct nav_pos p;

	if (!nav_pop(&ui->history, &p) || p.page < 0) {
		ui->screen = SCR_CONTENTS;
		return;
	}
	ui->page = p.page;
	ui->toc_cursor = p.page;
	ensure_layout(ui);
	ui->top = layout_find_anchor(&ui->lo, p.block, p.pos);
	ui->focus = -1;
	for (size_t i = 0; p.focus >= 0 && i < ui->lo.nlines; i++)
		if (ui->lo.lines[i].block == p.focus && ui->lo.lines[i].first) {
			ui->focus = (int)i;
			break;
		}
}

/*
 * Search the guideline's laid-out lines for the needle, on from the
 * current hit (or from the top of the screen for a new search), after
 * (dir > 0) or before (dir < 0) it, across pages, wrapping around once.
 * Going on from the hit, not from the top, matters on a page's last
 * screen, where the top cannot move down to the hit.  Returns 1 and moves
 * there when found.
 */
static int search_step(struct ui *ui, int dir)
{
	const struct doc *d = ui->doc;
	int np = (int)d->npages;
	struct layout tmp;
	int from = ui->hit_page == ui->page && ui->hit_line >= 0 ? ui->hit_line : (int)ui->top - (dir > 0);

	for (int k = 0; k <= np; k++) {
		int p = ((ui->page + dir * k) % np + np) % np;
		const struct layout *lo = &ui->lo;
		if (p != ui->page) {
			layout_page(&tmp, d, p, ui->cols);
			lo = &tmp;
		}
		int n = (int)lo->nlines, found = -1;
		int start = k == 0 ? from + dir : (dir > 0 ? 0 : n - 1);
		for (int i = start; i >= 0 && i < n; i += dir)
			if (strcasestr(lo->lines[i].text, ui->search)) {
				found = i;
				break;
			}
		if (lo == &tmp)
			layout_free(&tmp);
		if (found >= 0) {
			if (p != ui->page)
				scr_page_open(ui, p, 1);
			ui->hit_page = p;
			ui->hit_line = found;
			ui->top = (size_t)found > 2 ? (size_t)found - 2 : 0;
			clamp_top(ui);
			show_line(ui, (size_t)found);
			return 1;
		}
	}
	ui_message(ui, "「%s」は見つかりません", ui->search);
	return 0;
}

/* After answering a question, the focus moves on to the next one, across pages. */
static void next_question(struct ui *ui)
{
	int next = nav_next_focus(&ui->lo, ui->focus, 1);
	if (next >= 0 && ui->lo.lines[next].item >= 0 &&
	    ui->doc->items[ui->lo.lines[next].item].question) {
		ui->focus = next;
		show_line(ui, (size_t)next);
		return;
	}
	int item = ui->lo.lines[ui->focus].item;
	if (item + 1 < (int)ui->doc->nitems && ui->doc->items[item + 1].question &&
	    ui->doc->items[item + 1].page != ui->page) {
		scr_page_open(ui, ui->doc->items[item + 1].page, 0);
		scr_page_action(ui, ACT_FIRST_ITEM);
		return;
	}
	if (ui->prog.answered == ui->prog.questions)
		ui_message(ui, "全問に回答しました: %d点 %s / %s", ui->prog.score,
			   progress_band_title(ui->prog.band), progress_band_advice(ui->prog.band));
}

static void item_action(struct ui *ui, enum action a)
{
	int item = focused_item(ui);
	if (item < 0)
		return;
	const struct item *it = &ui->doc->items[item];
	enum answer_state cur = ui->answers ? answers_get_item(ui->answers, (size_t)item) : ANSWER_NONE;
	const struct answer *an = ui->answers ? answers_find_item(ui->answers, (size_t)item) : NULL;

	if (a == ACT_NOTE) {
		char buf[1024];
		snprintf(buf, sizeof buf, "%s", an && an->note ? an->note : "");
		if (ui_prompt(ui, "メモ (Enter で保存、Esc で取消): ", buf, sizeof buf))
			ui_set_answer(ui, item, cur, buf);
		return;
	}
	if (it->question) {
		if (a == ACT_TOGGLE) {
			/* Space on a question still scrolls: questions are answered with 1-4. */
			ui->top = page_down_target(ui, (size_t)page_height(ui));
			clamp_top(ui);
			return;
		}
		if (a < ACT_ANSWER_1 || a > ACT_ANSWER_4) {
			ui_message(ui, "自社診断は 1-4 で回答します (1:実施 2:一部 3:未実施 4:不明)");
			return;
		}
		static const enum answer_state answers[] = { ANSWER_YES, ANSWER_PARTLY, ANSWER_NO, ANSWER_UNKNOWN };
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

void scr_page_action(struct ui *ui, enum action a)
{
	size_t h = (size_t)page_height(ui);

	ensure_layout(ui);
	switch (a) {
	case ACT_QUIT:
		ui->quit = 1;
		return;
	case ACT_DOWN:
		ui->top++;
		break;
	case ACT_UP:
		if (ui->top > 0)
			ui->top--;
		break;
	case ACT_PAGE_DOWN:
		ui->top = page_down_target(ui, h);
		break;
	case ACT_PAGE_UP:
		ui->top = ui->top > h ? ui->top - h : 0;
		break;
	case ACT_TOP:
		ui->top = 0;
		break;
	case ACT_BOTTOM:
		ui->top = ui->lo.nlines;
		break;
	case ACT_NEXT_PAGE:
		if (ui->page + 1 < (int)ui->doc->npages)
			scr_page_open(ui, ui->page + 1, 0);
		else
			ui_message(ui, "最後のページです");
		return;
	case ACT_PREV_PAGE:
		if (ui->page > 0)
			scr_page_open(ui, ui->page - 1, 0);
		else
			ui_message(ui, "最初のページです");
		return;
	case ACT_NEXT_FOCUS:
		move_focus(ui, 1);
		return;
	case ACT_PREV_FOCUS:
		move_focus(ui, -1);
		return;
	case ACT_FOLLOW:
		if (ui->focus >= 0 && ui->lo.lines[ui->focus].link >= 0)
			scr_page_open(ui, ui->lo.lines[ui->focus].link, 1);
		else
			ui_message(ui, "Tab でリンクを選んでから Enter を押してください");
		return;
	case ACT_BACK:
		go_back(ui);
		return;
	case ACT_CONTENTS:
		ui->toc_cursor = ui->page;
		ui->screen = SCR_CONTENTS;
		return;
	case ACT_DASHBOARD:
		ui->back_to = SCR_PAGE;
		ui->screen = SCR_DASHBOARD;
		return;
	case ACT_SESSIONS:
		ui->back_to = SCR_PAGE;
		ui->screen = SCR_SESSIONS;
		return;
	case ACT_SEARCH: {
		char buf[sizeof ui->search] = "";
		if (ui_prompt(ui, "検索: ", buf, sizeof buf) && buf[0]) {
			memcpy(ui->search, buf, sizeof buf);
			ui->searching = 1;
			ui->hit_page = -1;
			search_step(ui, 1);
		}
		return;
	}
	case ACT_SEARCH_NEXT:
		search_step(ui, 1);
		return;
	case ACT_SEARCH_PREV:
		search_step(ui, -1);
		return;
	case ACT_CANCEL:
		ui->searching = 0;
		return;
	case ACT_FIRST_ITEM: {
		int first = -1;
		for (size_t i = 0; i < ui->lo.nlines && first < 0; i++)
			if (ui->lo.lines[i].item >= 0 && ui->lo.lines[i].first)
				first = (int)i;
		if (first < 0) {
			ui_message(ui, "このページにはチェック項目がありません");
			return;
		}
		ui->focus = first;
		ui->top = (size_t)first > 2 ? (size_t)first - 2 : 0;
		clamp_top(ui);
		return;
	}
	case ACT_TOGGLE:
	case ACT_NA:
	case ACT_NOTE:
	case ACT_ANSWER_1:
	case ACT_ANSWER_2:
	case ACT_ANSWER_3:
	case ACT_ANSWER_4:
		item_action(ui, a);
		return;
	default:
		return;
	}
	clamp_top(ui);
	/* A focus scrolled off the screen is dropped, so Enter never acts on something unseen. */
	if (ui->focus >= 0 && ((size_t)ui->focus < ui->top || (size_t)ui->focus >= ui->top + h))
		ui->focus = -1;
}
