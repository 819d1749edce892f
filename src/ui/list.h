/*
 * list: the one list widget behind the contents, the dashboard, the
 * sessions screen and the help: a cursor, the first row shown, and the
 * moves (line, page, Home/End) with the clamping they need.  Rows that
 * cannot be selected (headings, notes) are passed over by the cursor but
 * can still be scrolled to; a list with no selectable row just scrolls.
 * Rows are counted, never drawn, here: the screen draws them.
 */
#ifndef MAMORI_LIST_H
#define MAMORI_LIST_H

#include <stddef.h>

#include "ui/keys.h"

struct list {
	size_t n;    /* rows */
	size_t top;  /* first row shown */
	long cursor; /* selected row, or -1 for none */
	/* 1 when row can hold the cursor; NULL: every row can. */
	int (*selectable)(const void *ctx, size_t row);
	const void *ctx;
};

/* Set the number of rows (after the content changed), keeping the cursor in range. */
void list_set_count(struct list *l, size_t n);

/* Put the cursor on row (or the nearest selectable row after it) and show it. */
void list_select(struct list *l, size_t row, size_t height);

/*
 * Make the list consistent with a viewport of height rows: top in range,
 * the cursor on screen (and the heading just above it where it fits).
 */
void list_fix(struct list *l, size_t height);

/*
 * Leave the terminal cursor at the start of the selected row when it is on
 * screen (draw.h: for screen readers); y0 is the screen row of row top.
 */
void list_cursor_at(const struct list *l, int y0);

/* Act on a move; returns 1 when a was a move (handled), else 0. */
int list_action(struct list *l, enum action a, size_t height);

#endif
