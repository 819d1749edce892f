/*
 * layout: turns a page's blocks into display lines at a given width in
 * columns.  Line breaking follows UAX #14 with the Japanese kinsoku rules,
 * as GNU libunistring implements them; widths come from text.h.  The same
 * lines feed the screen and --dump, so what is printed is what is shown.
 * Frames use only ASCII, never box-drawing characters: many Japanese
 * terminals draw those double-wide and the frame would tear.
 */
#ifndef MAMORI_LAYOUT_H
#define MAMORI_LAYOUT_H

#include <stddef.h>

#include "core/doc.h"

/* The position of lines that come after all of a block's text (the blank below it). */
#define LAYOUT_POS_END ((size_t)-1)

/* The narrowest width the layout is designed for; narrower is clamped. */
#define LAYOUT_MIN_WIDTH 20

enum line_style {
	LINE_BLANK,
	LINE_TITLE,      /* the page title */
	LINE_RULE,       /* the rule under the title */
	LINE_HEADING,
	LINE_TEXT,
	LINE_TABLE_HEAD,
	LINE_FRAME,      /* a frame's top or bottom edge */
	LINE_LINK,
	LINE_ITEM
};

struct line {
	char *text;            /* UTF-8, sanitised, at most width columns */
	enum line_style style;
	int block;             /* index of the block it comes from, -1 for the title */
	size_t pos;            /* where in that block it starts (bytes, or table row) */
	int link;              /* target page of a link line, else -1 */
	int item;              /* item index of a checklist line, else -1 */
	int first;             /* 1 on the first line of a link or item */
	int mark_col;          /* column of the item's "[ ]" marker (first line only) */
};

struct layout {
	struct line *lines;
	size_t nlines, cap;
	int width;
};

/* One wrapped line: len bytes of the input starting at start. */
struct wrap_line {
	size_t start, len;
};

/*
 * Break the len bytes of s (sanitised UTF-8) into lines of at most width
 * columns.  Breaks only where libunistring allows one (kinsoku), never
 * inside a URL or Latin word unless it is longer than the line.  Spaces at
 * a break are dropped.  *out is malloc'd (caller frees); returns the count.
 */
size_t layout_wrap(const char *s, size_t len, size_t width, struct wrap_line **out);

/*
 * Lay out page index page of d at width columns (clamped to at least
 * LAYOUT_MIN_WIDTH).  Returns 0, or -ENOMEM.  Free with layout_free.
 */
int layout_page(struct layout *lo, const struct doc *d, int page, int width);

void layout_free(struct layout *lo);

/*
 * The line to show at the top after a reflow, so the reader keeps their
 * place: the first line of the last block position at or before
 * (block, pos).
 */
size_t layout_find_anchor(const struct layout *lo, int block, size_t pos);

#endif
