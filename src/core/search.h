/*
 * search: finding a phrase in the guideline the way a Japanese user types
 * it, over each block's text (each table cell, each page title), never
 * over laid-out lines, so a phrase is found wherever the lines break; and
 * mapping a hit to the laid-out lines it shows on (see struct line's
 * src_at, src_len and cells in layout.h).  No curses: the page screen
 * draws what search_line_spans says.
 *
 * Folding: text and pattern are compared after Unicode case folding and
 * NFKC (libunistring's u8_casefold with UNINORM_NFKC), one character at a
 * time with its combining marks (and the half-width voiced marks U+FF9E,
 * U+FF9F), so 全角 and 半角 letters, digits and kana are the same and case
 * does not matter: 取組５ finds 取組5, ＩＰＡ finds ipa, ｾｷｭﾘﾃｨ finds
 * セキュリティ, ﾃﾞｰﾀ finds データ.  A hit covers whole characters of the
 * original text: its bytes are exact, whatever the folding did.  A
 * character that folds to several (① to 1, ㈱ to (株)) is found by a part
 * of its fold and then highlighted whole.
 *
 * Tables: a hit in a cell is shown where that cell's pieces are, in
 * columns and stacked alike.  A stacked table repeats its header row as the
 * "header: " of every row: a hit in a header cell shows on each of them,
 * and starts on the first.
 */
#ifndef MAMORI_SEARCH_H
#define MAMORI_SEARCH_H

#include <stddef.h>

#include "core/doc.h"
#include "core/layout.h"

struct search_hit {
	int page;
	int block;         /* -1: the page title */
	size_t cell;       /* table cell index (row * ncols + col), else 0 */
	size_t start, end; /* bytes in that text (block text, cell or title), end excluded */
	size_t pos; /* the reading position, in the unit of struct line's pos: start, or the row of a cell */
};

struct search {
	char *pattern;           /* as given (malloc'd), NULL before the first run */
	struct search_hit *hits; /* in document order: page, block, cell, start */
	size_t nhits;
	size_t cap; /* allocated length of hits; search.c's business */
};

/*
 * Find every occurrence of pattern (UTF-8) in every page of d, replacing
 * what s held (start from { 0 }).  Hits do not overlap.  An empty or
 * all-blank pattern finds nothing.  Returns s->nhits.  Free with
 * search_free.
 */
size_t search_run(struct search *s, const struct doc *d, const char *pattern);

void search_free(struct search *s);

/*
 * For dir > 0 the index of the first hit at or after (page, block, pos),
 * for dir < 0 the last hit before it; -1 when there is none (the caller
 * wraps round, and can say so).  pos is in the unit of struct line's pos
 * (bytes, or a table's row), as the reader keeps its place.  O(log nhits).
 */
long search_find(const struct search *s, int page, int block, size_t pos, int dir);

/*
 * The line of lo (hit k's page laid out at any width) on which hit k
 * starts; the block's first line when no line shows it (a stacked table
 * has no line for its header row alone).
 */
size_t search_hit_line(const struct search *s, const struct layout *lo, size_t k);

/*
 * The byte ranges of lo->lines[line].text (lo is page page laid out) that
 * show a hit, left to right, each with the index of its hit, so the
 * current hit can be drawn unlike the others.  A hit split across lines
 * gives a span on each.  Writes at most max; returns how many it wrote.
 * O(log nhits + spans): it never scans all hits.
 */
struct search_span {
	size_t start, end; /* bytes in the line's text, end excluded */
	size_t hit;        /* index into s->hits */
};

size_t search_line_spans(const struct search *s, const struct layout *lo, int page, size_t line,
                         struct search_span *out, size_t max);

#endif
