/*
 * reader: the page reader's logic (see reader.h).  Nothing here draws;
 * every function leaves top, focus and the layout consistent with the
 * viewport, so a screen only has to paint lines top .. top + height.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/reader.h"
#include "core/util.h"

void reader_init(struct reader *r, const struct doc *d)
{
	memset(r, 0, sizeof *r);
	r->doc = d;
	r->page = -1;
	r->lo_page = -1;
	r->focus = -1;
	r->hit = -1;
	r->width = 80;
	r->rows = 23;
	r->page_questions = xcalloc(d->npages ? d->npages : 1, 1);
	for (size_t i = 0; i < d->nitems; i++)
		if (d->items[i].question)
			r->page_questions[d->items[i].page] = 1;
}

void reader_free(struct reader *r)
{
	layout_free(&r->lo);
	free(r->history);
	free(r->page_questions);
	search_free(&r->search);
	memset(r, 0, sizeof *r);
	r->page = -1;
}

int reader_page_has_questions(const struct reader *r, int page)
{
	return page >= 0 && r->page_questions[page];
}

size_t reader_height(const struct reader *r)
{
	size_t h = r->rows;
	if (reader_page_has_questions(r, r->page))
		h = h > r->question_rows ? h - r->question_rows : 0;
	return h ? h : 1;
}

/* The first line of block's link or item, or -1. */
static int first_line_of_block(const struct layout *lo, int block)
{
	for (size_t i = 0; block >= 0 && i < lo->nlines; i++)
		if (lo->lines[i].block == block && lo->lines[i].first)
			return (int)i;
	return -1;
}

struct reader_pos reader_here(const struct reader *r)
{
	struct reader_pos p = { .page = r->page, .block = 0, .pos = 0, .focus_block = -1 };

	if (r->page >= 0 && r->lo_page == r->page && r->lo.nlines) {
		const struct line *l = &r->lo.lines[r->top < r->lo.nlines ? r->top : 0];
		p.block = l->block;
		p.pos = l->pos;
		if (r->focus >= 0)
			p.focus_block = r->lo.lines[r->focus].block;
	}
	return p;
}

static void clamp(struct reader *r)
{
	size_t h = reader_height(r), n = r->lo.nlines;
	size_t max = n > h ? n - h : 0;

	if (r->top > max)
		r->top = max;
	/* A focus scrolled off the screen is dropped, so Enter never acts on something unseen. */
	if (r->focus >= 0 && ((size_t)r->focus < r->top || (size_t)r->focus >= r->top + h))
		r->focus = -1;
}

/* Lay the page out at the current width, at place p (same page) when given. */
static void layout_at(struct reader *r, const struct reader_pos *p)
{
	if (r->page < 0)
		return;
	layout_free(&r->lo);
	layout_page(&r->lo, r->doc, r->page, r->width);
	r->lo_page = r->page;
	r->lo_width = r->width;
	r->top = 0;
	r->focus = -1;
	if (p) {
		r->top = layout_find_anchor(&r->lo, p->block, p->pos);
		r->focus = first_line_of_block(&r->lo, p->focus_block);
	}
	clamp(r);
}

void reader_set_view(struct reader *r, int width, size_t rows, size_t question_rows)
{
	r->rows = rows;
	r->question_rows = question_rows;
	if (width != r->width) {
		struct reader_pos here = reader_here(r);
		r->width = width;
		if (r->page >= 0)
			layout_at(r, &here);
	} else if (r->page >= 0) {
		clamp(r);
	}
}

void reader_open(struct reader *r, int page, int remember)
{
	if (remember && r->page >= 0) {
		r->history = xgrow(r->history, &r->cap_history, r->nhistory + 1, sizeof *r->history);
		r->history[r->nhistory++] = reader_here(r);
	}
	r->page = page;
	layout_at(r, NULL);
}

int reader_back(struct reader *r)
{
	if (r->nhistory == 0)
		return 0;
	struct reader_pos p = r->history[--r->nhistory];
	r->page = p.page;
	layout_at(r, &p);
	return 1;
}

void reader_scroll(struct reader *r, long lines)
{
	if (lines < 0 && (size_t)-lines > r->top)
		r->top = 0;
	else
		r->top = (size_t)((long)r->top + lines);
	clamp(r);
}

/*
 * Where Space/PgDn goes: one screen on, except that a heading left on the
 * last row (with only blank rows after it) moves to the top of the next
 * screen, so a heading is never cut off from its text.
 */
static size_t page_down_target(const struct reader *r, size_t h)
{
	size_t next = r->top + h, k = next;
	const struct line *lines = r->lo.lines;

	if (next >= r->lo.nlines)
		return next;
	while (k > r->top + h / 2 && lines[k - 1].style == LINE_BLANK)
		k--;
	if (k <= r->top + h / 2 ||
	    (lines[k - 1].style != LINE_HEADING && lines[k - 1].style != LINE_TITLE))
		return next;
	/* A heading may wrap: go to its first line. */
	k--;
	while (k > r->top + h / 2 && lines[k - 1].block == lines[k].block &&
	       lines[k - 1].style == lines[k].style)
		k--;
	return k;
}

void reader_page_down(struct reader *r)
{
	r->top = page_down_target(r, reader_height(r));
	clamp(r);
}

void reader_page_up(struct reader *r)
{
	size_t h = reader_height(r);
	r->top = r->top > h ? r->top - h : 0;
	clamp(r);
}

void reader_home(struct reader *r)
{
	r->top = 0;
	clamp(r);
}

void reader_end(struct reader *r)
{
	r->top = r->lo.nlines;
	clamp(r);
}

int reader_at_end(const struct reader *r)
{
	return r->top + reader_height(r) >= r->lo.nlines;
}

int reader_in_focus(const struct reader *r, size_t i)
{
	if (r->focus < 0 || i >= r->lo.nlines)
		return 0;
	const struct line *f = &r->lo.lines[r->focus], *l = &r->lo.lines[i];
	return l->block == f->block && (l->link >= 0 || l->item >= 0);
}

/* Scroll so that line i is on screen. */
static void show_line(struct reader *r, size_t i)
{
	size_t h = reader_height(r);
	if (i < r->top)
		r->top = i;
	else if (i >= r->top + h)
		r->top = i - h + 1;
}

/* Focus line i and show as much of its link or item as fits. */
static void focus_line(struct reader *r, size_t i)
{
	size_t h = reader_height(r), end = i;

	r->focus = (int)i;
	show_line(r, i);
	while (end + 1 < r->lo.nlines && reader_in_focus(r, end + 1))
		end++;
	if (end >= r->top + h && end - i < h)
		r->top = end - h + 1;
	clamp(r);
	r->focus = (int)i; /* clamp keeps it: it is on screen */
}

/* The next line from which a link or item starts, after (dir > 0) or before line from; -1 if none. */
static int next_focus(const struct layout *lo, int from, int dir)
{
	int n = (int)lo->nlines, step = dir > 0 ? 1 : -1;

	for (int i = from + step; i >= 0 && i < n; i += step) {
		const struct line *l = &lo->lines[i];
		if (l->first && (l->link >= 0 || l->item >= 0))
			return i;
	}
	return -1;
}

int reader_move_focus(struct reader *r, int dir)
{
	size_t h = reader_height(r);
	int from = r->focus;

	/* With no focus on screen, start from the edge of what is shown. */
	if (from < 0 || (size_t)from < r->top || (size_t)from >= r->top + h)
		from = dir > 0 ? (int)r->top - 1 : (int)(r->top + h);
	int next = next_focus(&r->lo, from, dir);
	if (next < 0)
		return 0;
	focus_line(r, (size_t)next);
	return 1;
}

int reader_first_item(struct reader *r)
{
	for (size_t i = 0; i < r->lo.nlines; i++)
		if (r->lo.lines[i].item >= 0 && r->lo.lines[i].first) {
			r->top = i > 2 ? i - 2 : 0;
			clamp(r);
			focus_line(r, i);
			return 1;
		}
	return 0;
}

int reader_focused_item(const struct reader *r)
{
	if (r->focus < 0)
		return -1;
	return r->lo.lines[r->focus].item;
}

int reader_focused_link(const struct reader *r)
{
	if (r->focus < 0)
		return -1;
	return r->lo.lines[r->focus].link;
}

int reader_next_question(struct reader *r)
{
	const struct doc *d = r->doc;
	int item = reader_focused_item(r);

	if (item < 0)
		return 0;
	int next = next_focus(&r->lo, r->focus, 1);
	if (next >= 0 && r->lo.lines[next].item >= 0 && d->items[r->lo.lines[next].item].question) {
		focus_line(r, (size_t)next);
		return 1;
	}
	if (item + 1 < (int)d->nitems && d->items[item + 1].question &&
	    d->items[item + 1].page != r->page) {
		reader_open(r, d->items[item + 1].page, 0);
		reader_first_item(r);
		return 1;
	}
	return 0;
}

/* Show hit k: open its page if needed, put its line a little below the top. */
static void go_to_hit(struct reader *r, long k)
{
	const struct search_hit *h = &r->search.hits[k];

	if (h->page != r->page)
		reader_open(r, h->page, 1);
	size_t line = search_hit_line(&r->search, &r->lo, (size_t)k);
	r->hit = k;
	r->searching = 1;
	/* The hit is on screen; a focus that is not goes, as after any scroll. */
	r->top = line > 2 ? line - 2 : 0;
	clamp(r);
	show_line(r, line);
	clamp(r);
}

/* The hit to start from: at or after the top of the screen (dir > 0), or before it. */
static long first_hit_from_here(const struct reader *r, int dir)
{
	struct reader_pos p = reader_here(r);
	if (p.page < 0)
		return search_find(&r->search, 0, -1, 0, dir);
	return search_find(&r->search, p.page, p.block, p.pos, dir);
}

enum reader_found reader_search(struct reader *r, const char *pattern)
{
	if (pattern && *pattern) {
		search_free(&r->search);
		search_run(&r->search, r->doc, pattern);
	} else if (!r->search.pattern) {
		return READER_NOT_FOUND;
	}
	r->hit = -1;
	if (r->search.nhits == 0) {
		r->searching = 0;
		return READER_NOT_FOUND;
	}
	long k = first_hit_from_here(r, 1);
	enum reader_found f = READER_FOUND;
	if (k < 0) {
		k = 0;
		f = READER_WRAPPED;
	}
	go_to_hit(r, k);
	return f;
}

enum reader_found reader_search_next(struct reader *r, int dir)
{
	long n = (long)r->search.nhits, k;
	enum reader_found f = READER_FOUND;

	if (n == 0)
		return READER_NOT_FOUND;
	if (r->hit >= 0 && r->search.hits[r->hit].page == r->page) {
		k = r->hit + (dir > 0 ? 1 : -1);
	} else {
		/* The reader moved away from the hit: go on from where it is now. */
		k = first_hit_from_here(r, dir);
		if (k < 0)
			k = dir > 0 ? n : -1;
	}
	if (k >= n) {
		k = 0;
		f = READER_WRAPPED;
	} else if (k < 0) {
		k = n - 1;
		f = READER_WRAPPED;
	}
	go_to_hit(r, k);
	return f;
}

void reader_search_stop(struct reader *r)
{
	r->searching = 0;
	r->hit = -1;
}

size_t reader_hit_number(const struct reader *r)
{
	return r->hit >= 0 ? (size_t)r->hit + 1 : 0;
}

size_t reader_hit_count(const struct reader *r)
{
	return r->search.nhits;
}
