/*
 * nav: the reader's position and history, independent of any screen.
 * A position is kept as (page, block, pos) rather than a line number, so it
 * survives a reflow to another width; the viewport height is a parameter.
 */
#ifndef MAMORI_NAV_H
#define MAMORI_NAV_H

#include <stddef.h>

#include "core/layout.h"

struct nav_pos {
	int page;
	int block;      /* block of the top line */
	size_t pos;     /* position in that block (see struct line) */
	int focus;      /* focused link or item line, or -1 */
};

struct nav_history {
	struct nav_pos *stack;
	size_t n, cap;
};

/* Remember where the reader was before following a link. Returns 0 or -ENOMEM. */
int nav_push(struct nav_history *h, const struct nav_pos *p);

/* Go back: fills *p and returns 1, or returns 0 when the history is empty. */
int nav_pop(struct nav_history *h, struct nav_pos *p);

void nav_free(struct nav_history *h);

/* The highest top line that still fills a screen of height lines (0 when all fit). */
size_t nav_max_top(size_t nlines, size_t height);

/*
 * The next line from which a link or item starts, after (dir > 0) or
 * before (dir < 0) line from; -1 when there is none.  from may be -1 to
 * start at the top, or nlines to start at the bottom.
 */
int nav_next_focus(const struct layout *lo, int from, int dir);

#endif
