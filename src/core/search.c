/*
 * search: folded search over the content's texts and the map from a hit
 * to laid-out lines (see search.h).  Folding goes one character (with its
 * combining marks) at a time, so every folded byte knows which original
 * character it came from and a hit maps back to exact original bytes.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "core/search.h"
#include "core/util.h"

/*
 * A text folded for comparison: out is the folded text, and character i of
 * the original starts at byte map[i].orig there and its fold at byte
 * map[i].at in out; map[n] holds the ends.  Reused from text to text.
 */
struct fold {
	struct buf out;
	struct fold_map {
		size_t orig, at;
	} * map;
	size_t n, cap;
};

/*
 * Folding a character costs a call into libunistring: the content has a
 * few thousand distinct characters and a search folds every one of them
 * many times, so each search keeps the folds of single code points it
 * has made (direct-mapped; a miss only costs the call).
 */
#define MEMO_SIZE 4096
#define MEMO_BYTES 14

struct memo {
	uint32_t cp;
	uint8_t len; /* 0: empty slot (no code point folds to nothing here) */
	char s[MEMO_BYTES];
};

/* Characters that belong to the one before them: combining marks, the half-width voiced marks, Hangul vowels and finals. */
static int joins_previous(ucs4_t c)
{
	return uc_combining_class(c) != UC_CCC_NR || c == 0xFF9E || c == 0xFF9F ||
	       (c >= 0x1160 && c <= 0x11FF);
}

static void fold_add(struct fold *f, const char *s, size_t len)
{
	uint8_t tmp[64];
	size_t rl = sizeof tmp;
	uint8_t *r = u8_casefold((const uint8_t *)s, len, NULL, UNINORM_NFKC, tmp, &rl);

	if (!r) {
		if (errno == ENOMEM)
			abort();
		/* Not valid UTF-8 (sanitised text never is): compare it as it is. */
		buf_add(&f->out, s, len);
		return;
	}
	buf_add(&f->out, r, rl);
	if (r != tmp)
		free(r);
}

static void fold_char(struct fold *f, struct memo *memo, ucs4_t cp, const char *s, size_t len)
{
	struct memo *m = &memo[cp % MEMO_SIZE];

	if (m->len && m->cp == cp) {
		buf_add(&f->out, m->s, m->len);
		return;
	}
	size_t before = f->out.len;
	fold_add(f, s, len);
	size_t n = f->out.len - before;
	if (n > 0 && n <= MEMO_BYTES) {
		m->cp = cp;
		m->len = (uint8_t)n;
		memcpy(m->s, f->out.s + before, n);
	}
}

static void fold_mark(struct fold *f, size_t orig)
{
	f->map = xgrow(f->map, &f->cap, f->n + 1, sizeof *f->map);
	f->map[f->n] = (struct fold_map){ orig, f->out.len };
}

/* Fold the len bytes of s into f, replacing what it held. */
static void fold_text(struct fold *f, struct memo *memo, const char *s, size_t len)
{
	const uint8_t *u = (const uint8_t *)s;

	buf_reset(&f->out);
	f->n = 0;
	for (size_t i = 0; i < len;) {
		fold_mark(f, i);
		f->n++;
		if (u[i] < 0x80 && (i + 1 == len || u[i + 1] < 0x80)) {
			/* ASCII alone: NFKC leaves it, case folding lowers it. */
			buf_addc(&f->out, (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]));
			i++;
			continue;
		}
		ucs4_t cp, next;
		size_t j = i + (size_t)u8_mbtouc(&cp, u + i, len - i);
		int alone = 1;
		while (j < len) {
			int k = u8_mbtouc(&next, u + j, len - j);
			if (!joins_previous(next))
				break;
			j += (size_t)k;
			alone = 0;
		}
		if (alone)
			fold_char(f, memo, cp, s + i, j - i);
		else
			fold_add(f, s + i, j - i);
		i = j;
	}
	fold_mark(f, len);
}

/* The work of one search_run. */
struct run {
	struct search *s;
	struct fold text, pat;
	struct memo *memo;
};

/* Add a hit for every occurrence of the folded pattern in text. */
static void run_text(struct run *r, const char *text, int page, int block, size_t cell, size_t row,
                     int is_cell)
{
	if (!text || !*text)
		return;
	struct fold *f = &r->text;
	const char *pat = r->pat.out.s;
	size_t plen = r->pat.out.len;

	fold_text(f, r->memo, text, strlen(text));
	size_t from = 0, ci = 0;
	while (from + plen <= f->out.len) {
		const char *hit = memmem(f->out.s + from, f->out.len - from, pat, plen);
		if (!hit)
			break;
		size_t a = (size_t)(hit - f->out.s), b = a + plen;
		/* The characters whose folds hold the first and the last folded byte of the hit. */
		while (f->map[ci + 1].at <= a)
			ci++;
		size_t cj = ci;
		while (f->map[cj + 1].at < b)
			cj++;
		struct search *s = r->s;
		s->hits = xgrow(s->hits, &s->cap, s->nhits + 1, sizeof *s->hits);
		s->hits[s->nhits++] = (struct search_hit){
			.page = page,
			.block = block,
			.cell = cell,
			.start = f->map[ci].orig,
			.end = f->map[cj + 1].orig,
			.pos = is_cell ? row : f->map[ci].orig,
		};
		/* Hits do not overlap, in the original text either. */
		from = f->map[cj + 1].at;
		ci = cj + 1;
	}
}

static int all_blank(const struct buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (!strchr(" \t\n\r\f\v", b->s[i]))
			return 0;
	return 1;
}

size_t search_run(struct search *s, const struct doc *d, const char *pattern)
{
	struct run r = { .s = s };

	free(s->pattern);
	s->pattern = xstrdup(pattern);
	s->nhits = 0;
	r.memo = xcalloc(MEMO_SIZE, sizeof *r.memo);
	doc_load_all(d); /* every page is searched: parse those not opened yet */
	fold_text(&r.pat, r.memo, pattern, strlen(pattern));
	if (r.pat.out.len && !all_blank(&r.pat.out)) {
		for (size_t p = 0; p < d->npages; p++) {
			const struct page *pg = &d->pages[p];
			run_text(&r, pg->title, (int)p, -1, 0, 0, 0);
			for (size_t bi = 0; bi < pg->nblocks; bi++) {
				const struct block *b = &pg->blocks[bi];
				if (b->kind != BLOCK_TABLE) {
					run_text(&r, b->text, (int)p, (int)bi, 0, 0, 0);
					continue;
				}
				for (size_t c = 0; c < b->nrows * b->ncols; c++)
					run_text(&r, b->cells[c], (int)p, (int)bi, c, c / b->ncols, 1);
			}
		}
	}
	buf_free(&r.text.out);
	free(r.text.map);
	buf_free(&r.pat.out);
	free(r.pat.map);
	free(r.memo);
	return s->nhits;
}

void search_free(struct search *s)
{
	free(s->pattern);
	free(s->hits);
	memset(s, 0, sizeof *s);
}

/* <0, 0, >0 as hit h comes before, at or after the place (page, block, pos). */
static int hit_cmp_place(const struct search_hit *h, int page, int block, size_t pos)
{
	if (h->page != page)
		return h->page < page ? -1 : 1;
	if (h->block != block)
		return h->block < block ? -1 : 1;
	return h->pos < pos ? -1 : h->pos > pos;
}

long search_find(const struct search *s, int page, int block, size_t pos, int dir)
{
	size_t lo = 0, hi = s->nhits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hit_cmp_place(&s->hits[mid], page, block, pos) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (dir > 0)
		return lo < s->nhits ? (long)lo : -1;
	return lo > 0 ? (long)lo - 1 : -1;
}

/* The first line of lo from block on (lines come in block order). */
static size_t first_line_of(const struct layout *lo, int block)
{
	size_t a = 0, b = lo->nlines;

	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (lo->lines[mid].block < block)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}

/*
 * The runs of source text line l shows: its cells' pieces, or one piece of
 * the block text (cell 0).  Returns how many (at most a line's cells).
 */
static size_t line_pieces(const struct line *l, struct line_cell *one, const struct line_cell **out)
{
	if (l->ncells) {
		*out = l->cells;
		return l->ncells;
	}
	*one = (struct line_cell){ 0, l->pos, l->src_at, l->src_len };
	*out = one;
	return l->src_len ? 1 : 0;
}

size_t search_hit_line(const struct search *s, const struct layout *lo, size_t k)
{
	const struct search_hit *h = &s->hits[k];
	size_t first = first_line_of(lo, h->block);

	for (size_t i = first; i < lo->nlines && lo->lines[i].block == h->block; i++) {
		struct line_cell one;
		const struct line_cell *pc;
		size_t n = line_pieces(&lo->lines[i], &one, &pc);
		/* The first line that shows the hit's text at or after its start (a break may drop a space). */
		for (size_t j = 0; j < n; j++)
			if (pc[j].cell == h->cell && pc[j].from + pc[j].len > h->start)
				return i;
	}
	if (first >= lo->nlines)
		return lo->nlines ? lo->nlines - 1 : 0;
	return first;
}

/* The first hit of (page, block, cell) that ends after byte from, or nhits. */
static size_t first_hit_after(const struct search *s, int page, int block, size_t cell, size_t from)
{
	size_t lo = 0, hi = s->nhits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct search_hit *h = &s->hits[mid];
		int before = h->page != page     ? h->page < page
		             : h->block != block ? h->block < block
		             : h->cell != cell   ? h->cell < cell
		                                 : h->end <= from;
		if (before)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t search_line_spans(const struct search *s, const struct layout *lo, int page, size_t line,
                         struct search_span *out, size_t max)
{
	size_t n = 0;

	if (line >= lo->nlines)
		return 0;
	const struct line *l = &lo->lines[line];
	struct line_cell one;
	const struct line_cell *pc;
	size_t np = line_pieces(l, &one, &pc);
	for (size_t j = 0; j < np; j++) {
		const struct line_cell *p = &pc[j];
		for (size_t k = first_hit_after(s, page, l->block, p->cell, p->from); k < s->nhits; k++) {
			const struct search_hit *h = &s->hits[k];
			if (h->page != page || h->block != l->block || h->cell != p->cell ||
			    h->start >= p->from + p->len)
				break;
			if (n == max)
				return n;
			size_t a = h->start > p->from ? h->start : p->from;
			size_t b = h->end < p->from + p->len ? h->end : p->from + p->len;
			out[n++] = (struct search_span){ p->at + (a - p->from), p->at + (b - p->from), k };
		}
	}
	return n;
}
