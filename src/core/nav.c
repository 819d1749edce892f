/*
 * nav: reading position, history and focus movement (see nav.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "core/nav.h"

int nav_push(struct nav_history *h, const struct nav_pos *p)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct nav_pos *s = realloc(h->stack, cap * sizeof *s);
		if (!s)
			return -ENOMEM;
		h->stack = s;
		h->cap = cap;
	}
	h->stack[h->n++] = *p;
	return 0;
}

int nav_pop(struct nav_history *h, struct nav_pos *p)
{
	if (h->n == 0)
		return 0;
	*p = h->stack[--h->n];
	return 1;
}

void nav_free(struct nav_history *h)
{
	free(h->stack);
	h->stack = NULL;
	h->n = h->cap = 0;
}

size_t nav_max_top(size_t nlines, size_t height)
{
	return nlines > height ? nlines - height : 0;
}

int nav_next_focus(const struct layout *lo, int from, int dir)
{
	int n = (int)lo->nlines;

	for (int i = from + (dir > 0 ? 1 : -1); i >= 0 && i < n; i += dir > 0 ? 1 : -1) {
		const struct line *l = &lo->lines[i];
		if (l->first && (l->link >= 0 || l->item >= 0))
			return i;
	}
	return -1;
}
