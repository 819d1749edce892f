/*
 * fuzz_layout: libFuzzer target for line breaking.  The first two bytes
 * choose a width (1..300 columns), the rest is any bytes, sanitised with
 * text_sanitize as the parser does, then wrapped with layout_wrap.  It
 * checks what layout.h promises: no line wider than max(width, 2) columns
 * (a double-width character needs 2), lines in order, inside the text and
 * on character boundaries, and nothing but spaces dropped between them.
 * text_fit is checked on the same text.  The same bytes are then parsed as
 * content and laid out: every line's record of where its text comes from
 * (src_at, src_len, cells) must name bytes of the block text it shows, and
 * every search hit must lie in its text and be highlighted only with its
 * own bytes.  Typesetting: no heading shows its "#", and a number stays
 * with its 円 when both fit the line.  Built and run by tests/fuzz/run.sh.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "core/layout.h"
#include "core/search.h"
#include "core/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return 0;
}

static void fail(const char *what, size_t width, size_t line, const char *s, size_t start, size_t len)
{
	fprintf(stderr, "fuzz_layout: %s (width %zu, line %zu, bytes %zu+%zu): '%.*s'\n", what, width,
	        line, start, len, (int)(len > 300 ? 300 : len), s + start);
	abort();
}

static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* The text a hit, or a line's source, is in. */
static const char *source_text(const struct page *pg, int block, size_t cell, int is_cell)
{
	if (block < 0)
		return pg->title;
	const struct block *b = &pg->blocks[block];
	return is_cell ? b->cells[cell] : b->text;
}

static void check_sources(const struct page *pg, const struct layout *lo, size_t width)
{
	for (size_t i = 0; i < lo->nlines; i++) {
		const struct line *l = &lo->lines[i];
		size_t tl = strlen(l->text);
		if (l->src_len) {
			const char *src = source_text(pg, l->block, 0, 0);
			if (!src || l->src_at + l->src_len > tl || l->pos + l->src_len > strlen(src) ||
			    memcmp(l->text + l->src_at, src + l->pos, l->src_len) != 0)
				fail("a line's source is not the text it shows", width, i, l->text, 0, tl);
		}
		for (size_t k = 0; k < l->ncells; k++) {
			const struct line_cell *c = &l->cells[k];
			const struct block *b = l->block >= 0 ? &pg->blocks[l->block] : NULL;
			if (!b || b->kind != BLOCK_TABLE || c->cell >= b->nrows * b->ncols ||
			    c->at + c->len > tl || c->from + c->len > strlen(b->cells[c->cell]) ||
			    memcmp(l->text + c->at, b->cells[c->cell] + c->from, c->len) != 0)
				fail("a table line's cell is not the text it shows", width, i, l->text, 0,
				     tl);
		}
	}
}

/* Headings are set in brackets: no line shows the content's "#" markup. */
static void check_headings(const struct page *pg, const struct layout *lo, size_t width)
{
	for (size_t i = 0; i < lo->nlines; i++) {
		const struct line *l = &lo->lines[i];
		const char *t = l->text;
		if (l->style != LINE_HEADING || l->block < 0 ||
		    pg->blocks[l->block].kind != BLOCK_HEADING || l->pos != 0)
			continue;
		if (t[0] == '|' && t[1] == ' ')
			t += 2;
		if (*t == '#')
			fail("a heading shows its markup", width, i, l->text, 0, strlen(l->text));
	}
}

/*
 * A number and the 円 that counts it, standing alone between spaces (so
 * nothing else is tied to them), are never split when they fit the line.
 */
static void check_number_breaks(const char *s, size_t len, const struct wrap_line *wl, size_t n,
                                size_t width)
{
	for (size_t k = 1; k < n; k++) {
		size_t at = wl[k].start, end = wl[k - 1].start + wl[k - 1].len, a = end;
		if (at != end || end == 0 || s[end - 1] < '0' || s[end - 1] > '9' || len - at < 3 ||
		    memcmp(s + at, "円", 3) != 0 || (at + 3 < len && s[at + 3] != ' '))
			continue;
		while (a > 0 && s[a - 1] >= '0' && s[a - 1] <= '9')
			a--;
		if ((a == 0 || s[a - 1] == ' ') && end - a + 2 <= width)
			fail("a number broken from its 円", width, k, s, a, at + 3 - a);
	}
}

/* A pattern from the content itself: the first few characters of the first text of some length. */
static char *pick_pattern(const struct doc *d)
{
	for (size_t p = 0; p < d->npages; p++)
		for (size_t b = 0; b < d->pages[p].nblocks; b++) {
			const char *t = d->pages[p].blocks[b].text;
			if (!t || strlen(t) < 2)
				continue;
			size_t n = text_fit(t, strlen(t), 4);
			return n ? strndup(t, n) : NULL;
		}
	return NULL;
}

static void check_search(const struct doc *d, const struct layout *los, size_t width)
{
	char *pattern = pick_pattern(d);
	if (!pattern)
		return;
	struct search s = { 0 };
	search_run(&s, d, pattern);
	for (size_t k = 0; k < s.nhits; k++) {
		const struct search_hit *h = &s.hits[k];
		const struct page *pg = &d->pages[h->page];
		int is_cell = h->block >= 0 && pg->blocks[h->block].kind == BLOCK_TABLE;
		const char *t = source_text(pg, h->block, h->cell, is_cell);
		if (h->start >= h->end || h->end > strlen(t) || is_cont((unsigned char)t[h->start]) ||
		    (t[h->end] && is_cont((unsigned char)t[h->end])))
			fail("a hit outside its text or inside a character", width, k, t, 0, strlen(t));
		if (k && (h->page < h[-1].page || (h->page == h[-1].page && h->block < h[-1].block)))
			fail("hits out of document order", width, k, t, 0, 0);
		const struct layout *lo = &los[h->page];
		if (lo->nlines && search_hit_line(&s, lo, k) >= lo->nlines)
			fail("a hit put on a line that does not exist", width, k, t, h->start,
			     h->end - h->start);
	}
	for (size_t p = 0; p < d->npages; p++)
		for (size_t i = 0; i < los[p].nlines; i++) {
			struct search_span sp[32];
			const char *lt = los[p].lines[i].text;
			size_t n = search_line_spans(&s, &los[p], (int)p, i, sp, 32);
			for (size_t j = 0; j < n; j++) {
				const struct search_hit *h = &s.hits[sp[j].hit];
				const struct page *pg = &d->pages[h->page];
				int is_cell = h->block >= 0 && pg->blocks[h->block].kind == BLOCK_TABLE;
				const char *t = source_text(pg, h->block, h->cell, is_cell);
				if ((int)p != h->page || sp[j].start >= sp[j].end ||
				    sp[j].end > strlen(lt) || (j && sp[j - 1].end > sp[j].start) ||
				    !memmem(t + h->start, h->end - h->start, lt + sp[j].start,
				            sp[j].end - sp[j].start))
					fail("a highlight that is not its hit's text", width, i, lt,
					     sp[j].start, sp[j].end - sp[j].start);
			}
		}
	search_free(&s);
	free(pattern);
}

/* The bytes as a chapter of content: lay out every page, check the source map and a search. */
static void check_content(const char *s, size_t len, size_t width)
{
	static const char head[] = "@chapter f\n@page f f\n";
	char *buf = malloc(sizeof head + len);
	if (!buf)
		abort();
	memcpy(buf, head, sizeof head - 1);
	memcpy(buf + sizeof head - 1, s, len);
	struct doc d;
	memset(&d, 0, sizeof d);
	doc_parse_buffer(&d, "f.txt", buf, sizeof head - 1 + len);
	doc_finish(&d);
	free(buf);
	struct layout *los = calloc(d.npages + 1, sizeof *los);
	if (!los)
		abort();
	for (size_t p = 0; p < d.npages; p++) {
		layout_page(&los[p], &d, (int)p, (int)width);
		check_sources(&d.pages[p], &los[p], width);
		check_headings(&d.pages[p], &los[p], width);
	}
	check_search(&d, los, width);
	for (size_t p = 0; p < d.npages; p++)
		layout_free(&los[p]);
	free(los);
	doc_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t width = 1 + ((size_t)data[0] | (size_t)data[1] << 8) % 300;
	char *s = text_sanitize((const char *)data + 2, size - 2);
	if (!s)
		abort();
	size_t len = strlen(s);
	if (!text_valid_utf8(s, len))
		fail("text_sanitize gave invalid UTF-8", width, 0, s, 0, len);

	struct wrap_line *wl = NULL;
	size_t n = layout_wrap(s, len, width, &wl);
	size_t max = width < 2 ? 2 : width, prev_end = 0;
	for (size_t k = 0; k < n; k++) {
		size_t st = wl[k].start, ln = wl[k].len;
		if (st < prev_end || st > len || ln > len - st)
			fail("a line out of order or outside the text", width, k, s, 0, 0);
		if ((st < len && is_cont((unsigned char)s[st])) ||
		    (st + ln < len && is_cont((unsigned char)s[st + ln])))
			fail("a line that splits a character", width, k, s, st, ln);
		if (text_width(s + st, ln) > max)
			fail("a line wider than the width", width, k, s, st, ln);
		/* Only the spaces at a break may be dropped. */
		for (size_t i = prev_end; i < st; i++)
			if (s[i] != ' ')
				fail("text dropped between lines", width, k, s, prev_end, st - prev_end);
		prev_end = st + ln;
	}
	for (size_t i = prev_end; i < len; i++)
		if (s[i] != ' ')
			fail("text dropped after the last line", width, n, s, prev_end, len - prev_end);
	check_number_breaks(s, len, wl, n, max);
	free(wl);

	/* text_fit: at most cols columns, a whole number of characters. */
	size_t fit = text_fit(s, len, width);
	if (fit > len || (fit < len && is_cont((unsigned char)s[fit])))
		fail("text_fit splits a character", width, 0, s, 0, fit);
	if (text_width(s, fit) > width)
		fail("text_fit overflows", width, 0, s, 0, fit);
	free(s);

	check_content((const char *)data + 2, size - 2, width);
	return 0;
}
