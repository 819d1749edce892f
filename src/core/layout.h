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
	LINE_TITLE, /* the page title */
	LINE_RULE,  /* the rule under the title */
	LINE_HEADING,
	LINE_TEXT,
	LINE_TABLE_HEAD,
	LINE_FRAME, /* a frame's top or bottom edge */
	LINE_LINK,
	LINE_ITEM
};

/*
 * A run of a table line's text copied verbatim from one cell: the len
 * bytes at line->text + at are the bytes from offset from of cell cell
 * (row * ncols + col) of the block.
 */
struct line_cell {
	size_t cell;
	size_t from;
	size_t at, len;
};

/*
 * Where a line's text comes from, so that a place in a block's text (a
 * search hit) can be found on the screen, byte for byte.  Outside tables
 * the src_len bytes at text + src_at (after indentation, list or item
 * marker and the "| " of a frame) are the bytes of the block's text from
 * offset pos, or of the page title for block -1.  Lines that show no block
 * text (blanks, the rule, frame edges, a marker on a line of its own) have
 * src_len 0.  Table lines have src_len 0 and one line_cell per piece of a
 * cell they show, in the order of at (a stacked table's "header: " marker
 * is a piece of the header cell, row 0).
 */
struct line {
	char *text; /* UTF-8, sanitised, at most width columns */
	enum line_style style;
	int block;               /* index of the block it comes from, -1 for the title */
	size_t pos;              /* where in that block it starts (bytes, or table row) */
	int link;                /* target page of a link line, else -1 */
	int item;                /* item index of a checklist line, else -1 */
	int first;               /* 1 on the first line of a link or item */
	int mark_col;            /* column of the item's "[ ]" marker (first line only) */
	size_t src_at;           /* bytes in text where the block's text starts */
	size_t src_len;          /* bytes of block text there, 0 when none */
	struct line_cell *cells; /* table lines: the cells' pieces (malloc'd), else NULL */
	size_t ncells;
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
 * LAYOUT_MIN_WIDTH).  Always returns 0 (out of memory aborts); the int is
 * kept for its callers.  Free with layout_free.
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
