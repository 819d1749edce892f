/*
 * list: cursor and scrolling for every list screen (see list.h).
 */
#include "config.h"

#include "ui/draw.h"
#include "ui/list.h"

static int can_select(const struct list *l, size_t row)
{
	return row < l->n && (!l->selectable || l->selectable(l->ctx, row));
}

/* The nearest selectable row from row in direction dir (row itself included), or -1. */
static long find(const struct list *l, long row, int dir)
{
	for (; row >= 0 && (size_t)row < l->n; row += dir)
		if (can_select(l, (size_t)row))
			return row;
	return -1;
}

static size_t max_top(const struct list *l, size_t height)
{
	return l->n > height ? l->n - height : 0;
}

void list_set_count(struct list *l, size_t n)
{
	l->n = n;
	if (l->cursor >= (long)n || (l->cursor >= 0 && !can_select(l, (size_t)l->cursor))) {
		long c = find(l, l->cursor < (long)n ? l->cursor : (long)n - 1, -1);
		l->cursor = c >= 0 ? c : find(l, 0, 1);
	}
}

void list_select(struct list *l, size_t row, size_t height)
{
	long c = find(l, (long)row, 1);
	l->cursor = c >= 0 ? c : find(l, (long)row, -1);
	list_fix(l, height);
}

void list_fix(struct list *l, size_t height)
{
	if (height == 0)
		height = 1;
	if (l->top > max_top(l, height))
		l->top = max_top(l, height);
	if (l->cursor < 0 && l->n) {
		/* Only a row on screen: picking one below would scroll the reader away. */
		long c = find(l, (long)l->top, 1);
		if (c >= 0 && (size_t)c < l->top + height)
			l->cursor = c;
	}
	if (l->cursor >= 0) {
		size_t c = (size_t)l->cursor;
		if (c < l->top)
			/* Scrolling up onto a row under a heading shows the heading too. */
			l->top = c > 0 && !can_select(l, c - 1) ? c - 1 : c;
		if (c >= l->top + height)
			l->top = c - height + 1;
	}
	if (l->top > max_top(l, height))
		l->top = max_top(l, height);
}

/* After a scroll that left the cursor behind: take the nearest selectable row on screen. */
static void cursor_onto_screen(struct list *l, size_t height)
{
	if (l->cursor < 0)
		return;
	size_t c = (size_t)l->cursor;
	if (c < l->top)
		l->cursor = find(l, (long)l->top, 1);
	else if (c >= l->top + height)
		l->cursor = find(l, (long)(l->top + height) - 1, -1);
	if (l->cursor >= 0 && ((size_t)l->cursor < l->top || (size_t)l->cursor >= l->top + height))
		l->cursor = -1;
}

static void scroll_by(struct list *l, long by, size_t height)
{
	if (by < 0 && (size_t)-by > l->top)
		l->top = 0;
	else
		l->top += (size_t)by;
	if (l->top > max_top(l, height))
		l->top = max_top(l, height);
	cursor_onto_screen(l, height);
}

/* Move the cursor steps selectable rows in direction dir; scroll when none is left that way. */
static void step(struct list *l, int dir, size_t steps, size_t height)
{
	long c = l->cursor;

	if (c < 0) {
		scroll_by(l, dir, height);
		list_fix(l, height);
		return;
	}
	for (size_t k = 0; k < steps; k++) {
		long next = find(l, c + dir, dir);
		if (next < 0)
			break;
		c = next;
	}
	if (c == l->cursor) {
		/* Nothing selectable that way: scroll, so every row can still be read. */
		size_t top = l->top;
		scroll_by(l, dir, height);
		if (l->cursor < 0 || l->top == top)
			l->cursor = c;
		list_fix(l, height);
		return;
	}
	l->cursor = c;
	list_fix(l, height);
}

int list_action(struct list *l, enum action a, size_t height)
{
	if (height == 0)
		height = 1;
	switch (a) {
	case ACT_DOWN:
		step(l, 1, 1, height);
		return 1;
	case ACT_UP:
		step(l, -1, 1, height);
		return 1;
	case ACT_PAGE_DOWN:
		if (l->cursor < 0 || find(l, l->cursor + 1, 1) < 0) {
			scroll_by(l, (long)height, height);
		} else {
			long target = find(l, l->cursor + (long)height, 1);
			if (target < 0)
				target = find(l, (long)l->n - 1, -1);
			l->top += height;
			if (l->top > max_top(l, height))
				l->top = max_top(l, height);
			l->cursor = target;
			list_fix(l, height);
		}
		return 1;
	case ACT_PAGE_UP:
		if (l->cursor < 0 || find(l, l->cursor - 1, -1) < 0) {
			scroll_by(l, -(long)height, height);
		} else {
			long target = l->cursor - (long)height;
			target = find(l, target < 0 ? 0 : target, -1);
			if (target < 0)
				target = find(l, 0, 1);
			l->top = l->top > height ? l->top - height : 0;
			l->cursor = target;
			list_fix(l, height);
		}
		return 1;
	case ACT_TOP:
		l->top = 0;
		l->cursor = find(l, 0, 1);
		list_fix(l, height);
		return 1;
	case ACT_BOTTOM:
		l->top = max_top(l, height);
		l->cursor = find(l, (long)l->n - 1, -1);
		list_fix(l, height);
		return 1;
	default:
		return 0;
	}
}

void list_cursor_at(const struct list *l, int y0)
{
	if (l->cursor >= 0 && (size_t)l->cursor >= l->top)
		draw_cursor_at(y0 + (int)((size_t)l->cursor - l->top), 0);
}
