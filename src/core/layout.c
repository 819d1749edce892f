/*
 * layout: blocks to display lines (see layout.h).  Paragraphs wrap, list
 * items and checklist rows hang under their marker, tables become columns
 * where they fit and "header: value" blocks where they do not, and asides
 * and footnotes get an ASCII frame.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unilbrk.h>

#include "core/layout.h"
#include "core/text.h"
#include "core/util.h"

/* Below this many columns a table cell is unreadable: stack the table instead. */
#define TABLE_MIN_COL 14
#define TABLE_SEP " | "
#define TABLE_SEP_COLS 3

static int is_url_char(unsigned char c)
{
	return c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != '"';
}

/* No break inside a URL: UAX #14 allows one after every '/'. */
static void protect_urls(const char *s, size_t len, char *brk)
{
	for (size_t i = 0; i + 7 < len; i++) {
		/* The first byte alone rules out nearly every place: a fifth of layout's time went on strncmp. */
		if (s[i] != 'h' ||
		    (strncmp(s + i, "http://", 7) != 0 && strncmp(s + i, "https://", 8) != 0))
			continue;
		size_t j = i;
		while (j < len && is_url_char((unsigned char)s[j]))
			j++;
		for (size_t k = i + 1; k < j; k++)
			brk[k] = UC_BREAK_PROHIBITED;
		i = j;
	}
}

size_t layout_wrap(const char *s, size_t len, size_t width, struct wrap_line **out)
{
	size_t n = 0, cap = 8;
	struct wrap_line *lines = xreallocarray(NULL, cap, sizeof *lines);
	char *brk = xmalloc(len + 1);

	if (width < 2)
		width = 2;
	u8_possible_linebreaks((const uint8_t *)s, len, "UTF-8", brk);
	protect_urls(s, len, brk);

	size_t start = 0;
	while (start < len && s[start] == ' ')
		start++;
	while (start < len) {
		size_t i = start, col = 0, last_break = 0, cut = len;
		while (i < len) {
			if (i > start && (brk[i] == UC_BREAK_POSSIBLE || brk[i] == UC_BREAK_HYPHENATION))
				last_break = i;
			size_t next = i;
			uint32_t cp = text_decode(s, len, &next);
			size_t w = (size_t)text_cp_width(cp);
			if (col + w > width && i > start) {
				cut = last_break > start ? last_break : i;
				break;
			}
			col += w;
			i = next;
		}
		size_t end = cut;
		while (end > start && s[end - 1] == ' ')
			end--;
		lines = xgrow(lines, &cap, n + 1, sizeof *lines);
		lines[n].start = start;
		lines[n].len = end - start;
		n++;
		start = cut;
		while (start < len && s[start] == ' ')
			start++;
	}
	free(brk);
	*out = lines;
	return n;
}

/* Where lines are being emitted: inside a frame the text is narrower and boxed. */
struct ctx {
	struct layout *lo;
	int width;  /* full width */
	int framed; /* inside an aside or footnote frame */
	int block;
};

static int inner_width(const struct ctx *c)
{
	return c->framed ? c->width - 4 : c->width;
}

static void pad_to(char **buf, size_t *len, size_t *cols, size_t want)
{
	while (*cols < want) {
		(*buf)[(*len)++] = ' ';
		(*cols)++;
	}
}

/* Bytes a line's text moves right by in emit: the "| " of a frame. */
static size_t frame_offset(const struct ctx *c, enum line_style style)
{
	return c->framed && style != LINE_FRAME ? 2 : 0;
}

/*
 * Append a line; inside a frame it gets "| " and " |" around it.  The
 * src_len bytes at text + src_at are block text from pos (0 when none).
 * Returns the new line's index.
 */
static size_t emit(struct ctx *c, const char *text, size_t len, enum line_style style, size_t pos,
                   size_t src_at, size_t src_len)
{
	struct layout *lo = c->lo;

	if (lo->nlines == lo->cap)
		lo->lines = xgrow(lo->lines, &lo->cap, lo->nlines + 1, sizeof *lo->lines);
	size_t cols = text_width(text, len);
	char *buf = xmalloc(len + (size_t)c->width + 8);
	size_t o = 0;
	if (frame_offset(c, style)) {
		memcpy(buf, "| ", 2);
		o = 2;
		memcpy(buf + o, text, len);
		o += len;
		cols += 2;
		pad_to(&buf, &o, &cols, (size_t)c->width - 2);
		memcpy(buf + o, " |", 2);
		o += 2;
	} else {
		memcpy(buf, text, len);
		o = len;
		/* Trailing blanks carry nothing and would cost bytes on a slow link. */
		while (o > 0 && buf[o - 1] == ' ')
			o--;
	}
	buf[o] = '\0';
	struct line *l = &lo->lines[lo->nlines];
	memset(l, 0, sizeof *l);
	l->text = buf;
	l->style = style;
	l->block = c->block;
	l->pos = pos;
	l->link = -1;
	l->item = -1;
	if (src_len) {
		l->src_at = src_at + frame_offset(c, style);
		/* Only blanks are trimmed, and wrapped text never ends in one: a guard, not a case. */
		l->src_len = l->src_at >= o ? 0 : src_len < o - l->src_at ? src_len : o - l->src_at;
	}
	return lo->nlines++;
}

static void emit_frame_edge(struct ctx *c)
{
	char *buf = xmalloc((size_t)c->width + 1);
	memset(buf, '-', (size_t)c->width);
	buf[0] = buf[c->width - 1] = '+';
	buf[c->width] = '\0';
	emit(c, buf, (size_t)c->width, LINE_FRAME, 0, 0, 0);
	free(buf);
}

/*
 * Wrap text under a marker: the first line starts with marker, the rest
 * hang under the text.  is_src says whether text is the block's own text
 * (then the lines record where it is).  Returns the index of the first
 * line emitted (an index, not a pointer: the next emit may move the lines).
 */
static size_t emit_hanging(struct ctx *c, const char *marker, const char *text, enum line_style style,
                           int indent, int is_src)
{
	size_t mlen = strlen(marker);
	size_t mcols = text_width(marker, mlen) + (size_t)indent;
	int avail = inner_width(c) - (int)mcols;
	struct wrap_line *wl;
	size_t first = c->lo->nlines;

	if (avail < 8 && *marker) {
		/* A marker too wide to hang text under: the marker gets a line of its own. */
		emit_hanging(c, "", marker, style, indent, 0);
		emit_hanging(c, "", text, style, indent, is_src);
		return first;
	}
	if (avail < 1)
		avail = 1;
	size_t tlen = strlen(text);
	size_t n = layout_wrap(text, tlen, (size_t)avail, &wl);
	char *buf = xmalloc(tlen + mlen + mcols + 8);
	for (size_t k = 0; k < (n ? n : 1); k++) {
		size_t o = 0;
		memset(buf, ' ', (size_t)indent);
		o = (size_t)indent;
		if (k == 0) {
			memcpy(buf + o, marker, mlen);
			o += mlen;
		} else {
			memset(buf + o, ' ', mcols - (size_t)indent);
			o = mcols;
		}
		size_t at = o;
		if (n) {
			memcpy(buf + o, text + wl[k].start, wl[k].len);
			o += wl[k].len;
		}
		emit(c, buf, o, style, n ? wl[k].start : 0, at, n && is_src ? wl[k].len : 0);
	}
	free(buf);
	free(wl);
	return first;
}

/*
 * A blank line between blocks belongs to the block before it, after all
 * of its lines: a reader whose screen starts at a block must see the
 * block, not the blank above it, after a reflow or on coming back.
 */
static void emit_blank(struct ctx *c)
{
	int block = c->block;
	c->block = block - 1;
	emit(c, "", 0, LINE_BLANK, LAYOUT_POS_END, 0, 0);
	c->block = block;
}

/* Columns for each of a table's cells: the widest line and the longest unbreakable run. */
static void table_natural(const struct block *b, size_t *nat)
{
	for (size_t col = 0; col < b->ncols; col++) {
		nat[col] = 1;
		for (size_t r = 0; r < b->nrows; r++) {
			const char *cell = b->cells[r * b->ncols + col];
			size_t w = text_width(cell, strlen(cell));
			if (w > nat[col])
				nat[col] = w;
		}
	}
}

/* Share avail columns among the columns: narrow ones get what they need, the rest split evenly. */
static void table_share(size_t ncols, const size_t *nat, size_t avail, size_t *w)
{
	int *fixed = xcalloc(ncols, sizeof *fixed);
	size_t left = ncols, remaining = avail;
	int changed = 1;

	while (changed && left > 0) {
		changed = 0;
		size_t share = remaining / left;
		for (size_t i = 0; i < ncols; i++) {
			if (!fixed[i] && nat[i] <= share) {
				w[i] = nat[i];
				fixed[i] = 1;
				remaining -= nat[i];
				left--;
				changed = 1;
			}
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < ncols; i++) {
		if (fixed[i])
			continue;
		w[i] = remaining / left + (k < remaining % left ? 1 : 0);
		k++;
	}
	free(fixed);
}

static void table_columns(struct ctx *c, const struct block *b, const size_t *w)
{
	size_t total = 0, longest = 0;
	for (size_t col = 0; col < b->ncols; col++)
		total += w[col] + (col ? TABLE_SEP_COLS : 0);
	/*
	 * Bytes, not columns, size the line buffer: a cell line can hold any
	 * number of zero-width combining marks.  A line is at most every cell's
	 * text plus the padding and separators.
	 */
	for (size_t r = 0; r < b->nrows; r++) {
		size_t bytes = 0;
		for (size_t col = 0; col < b->ncols; col++)
			bytes += strlen(b->cells[r * b->ncols + col]);
		longest = bytes > longest ? bytes : longest;
	}
	char *buf = xmalloc(longest + total * 4 + 64);
	struct wrap_line **wl = xcalloc(b->ncols, sizeof *wl);
	size_t *nl = xcalloc(b->ncols, sizeof *nl);
	struct line_cell *cells = xcalloc(b->ncols, sizeof *cells);

	for (size_t r = 0; r < b->nrows; r++) {
		size_t height = 1;
		for (size_t col = 0; col < b->ncols; col++) {
			const char *cell = b->cells[r * b->ncols + col];
			nl[col] = layout_wrap(cell, strlen(cell), w[col], &wl[col]);
			if (nl[col] > height)
				height = nl[col];
		}
		for (size_t k = 0; k < height; k++) {
			size_t o = 0, cols = 0, want = 0, ncells = 0;
			for (size_t col = 0; col < b->ncols; col++) {
				if (col) {
					pad_to(&buf, &o, &cols, want);
					memcpy(buf + o, TABLE_SEP, TABLE_SEP_COLS);
					o += TABLE_SEP_COLS;
					cols += TABLE_SEP_COLS;
					want += TABLE_SEP_COLS;
				}
				want += w[col];
				if (k < nl[col]) {
					const char *cell = b->cells[r * b->ncols + col];
					if (wl[col][k].len)
						cells[ncells++] = (struct line_cell){ r * b->ncols + col,
							                              wl[col][k].start, o,
							                              wl[col][k].len };
					memcpy(buf + o, cell + wl[col][k].start, wl[col][k].len);
					o += wl[col][k].len;
					cols += text_width(cell + wl[col][k].start, wl[col][k].len);
				}
			}
			enum line_style style = r == 0 ? LINE_TABLE_HEAD : LINE_TEXT;
			size_t li = emit(c, buf, o, style, r, 0, 0);
			if (ncells) {
				struct line *l = &c->lo->lines[li];
				l->cells = xmemdup(cells, ncells * sizeof *cells);
				l->ncells = ncells;
				for (size_t i = 0; i < ncells; i++)
					l->cells[i].at += frame_offset(c, style);
			}
		}
		for (size_t col = 0; col < b->ncols; col++)
			free(wl[col]);
		/* A rule under every row: with wrapped cells, rows are otherwise hard to tell apart. */
		if (r + 1 < b->nrows) {
			size_t o = 0;
			for (size_t col = 0; col < b->ncols; col++) {
				if (col) {
					memcpy(buf + o, r == 0 ? "=+=" : "-+-", 3);
					o += 3;
				}
				memset(buf + o, r == 0 ? '=' : '-', w[col]);
				o += w[col];
			}
			emit(c, buf, o, LINE_TEXT, r, 0, 0);
		}
	}
	free(buf);
	free(wl);
	free(nl);
	free(cells);
}

/*
 * Lines [from, nlines) show cell cell of a stacked table row: what
 * emit_hanging recorded as block text is that cell's text.  A line that
 * starts with the "header: " marker also shows hl bytes of the header
 * cell head at marker_at.
 */
static void stacked_cells(struct ctx *c, size_t from, size_t cell, size_t head, size_t hl,
                          size_t marker_at)
{
	for (size_t i = from; i < c->lo->nlines; i++) {
		struct line *l = &c->lo->lines[i];
		struct line_cell pieces[2];
		size_t n = 0;
		if (i == from && hl)
			pieces[n++] = (struct line_cell){ head, 0, marker_at, hl };
		if (l->src_len)
			pieces[n++] = (struct line_cell){ cell, l->pos, l->src_at, l->src_len };
		l->src_at = l->src_len = 0;
		if (n) {
			l->cells = xmemdup(pieces, n * sizeof *pieces);
			l->ncells = n;
		}
	}
}

/* Too narrow for columns: each row becomes "header: value" lines. */
static void table_stacked(struct ctx *c, const struct block *b)
{
	for (size_t r = 1; r < b->nrows; r++) {
		if (r > 1)
			emit(c, "", 0, LINE_BLANK, r - 1, 0, 0);
		for (size_t col = 0; col < b->ncols; col++) {
			const char *cell = b->cells[r * b->ncols + col];
			if (!*cell)
				continue;
			const char *head = b->cells[col];
			size_t hl = strlen(head);
			char *marker = xmalloc(hl + 3);
			memcpy(marker, head, hl);
			memcpy(marker + hl, ": ", 3);
			/* The header can be long: hang continuation lines by two columns only. */
			size_t mcols = text_width(marker, hl + 2);
			size_t from = c->lo->nlines;
			size_t off = c->framed ? 2 : 0;
			if ((int)mcols > inner_width(c) / 3) {
				emit_hanging(c, "", marker, col == 0 ? LINE_TABLE_HEAD : LINE_TEXT, 0, 1);
				/* The marker's lines show the header cell (without its ": "). */
				for (size_t i = from; i < c->lo->nlines; i++) {
					struct line *l = &c->lo->lines[i];
					if (l->pos + l->src_len > hl)
						l->src_len = l->pos < hl ? hl - l->pos : 0;
				}
				stacked_cells(c, from, col, 0, 0, 0);
				size_t value = c->lo->nlines;
				emit_hanging(c, "", cell, LINE_TEXT, 2, 1);
				stacked_cells(c, value, r * b->ncols + col, 0, 0, 0);
			} else {
				emit_hanging(c, marker, cell, col == 0 ? LINE_TABLE_HEAD : LINE_TEXT, 0,
				             1);
				/* When the marker is too wide to hang under, it went on its own line unrecorded. */
				int hangs = c->lo->nlines > from && c->lo->lines[from].src_len;
				stacked_cells(c, from, r * b->ncols + col, col, hangs ? hl : 0, off);
			}
			/* A row is one reading position, whatever its cells wrap to. */
			for (size_t i = from; i < c->lo->nlines; i++)
				c->lo->lines[i].pos = r;
			free(marker);
		}
	}
}

static void layout_table(struct ctx *c, const struct block *b)
{
	size_t *nat = xcalloc(b->ncols, sizeof *nat), *w = xcalloc(b->ncols, sizeof *w);
	/* Signed: many columns at a narrow width leave less than nothing. */
	long avail = (long)inner_width(c) - (long)(TABLE_SEP_COLS * (b->ncols - 1));
	long sum = 0;
	table_natural(b, nat);
	for (size_t i = 0; i < b->ncols; i++)
		sum += (long)nat[i];
	if (avail > 0 && sum <= avail) {
		memcpy(w, nat, b->ncols * sizeof *w);
		table_columns(c, b, w);
	} else if (avail >= (long)(b->ncols * TABLE_MIN_COL)) {
		table_share(b->ncols, nat, (size_t)avail, w);
		table_columns(c, b, w);
	} else {
		table_stacked(c, b);
	}
	free(nat);
	free(w);
}

static int is_list_kind(enum block_kind k)
{
	return k == BLOCK_BULLET || k == BLOCK_NUMBERED || k == BLOCK_ITEM || k == BLOCK_LINK;
}

int layout_page(struct layout *lo, const struct doc *d, int page, int width)
{
	const struct page *pg = &d->pages[page];
	struct ctx c = { .lo = lo,
		         .width = width < LAYOUT_MIN_WIDTH ? LAYOUT_MIN_WIDTH : width,
		         .block = -1 };

	memset(lo, 0, sizeof *lo);
	lo->width = c.width;

	/* The title, underlined so it reads as one without colour or bold. */
	size_t tw = 0;
	for (size_t i = emit_hanging(&c, "", pg->title, LINE_TITLE, 0, 1); i < lo->nlines; i++) {
		size_t w = text_width(lo->lines[i].text, strlen(lo->lines[i].text));
		tw = w > tw ? w : tw;
	}
	char *rule = xmalloc(tw + 1);
	memset(rule, '=', tw);
	emit(&c, rule, tw, LINE_RULE, LAYOUT_POS_END - 1, 0, 0);
	free(rule);

	enum block_kind prev = BLOCK_ASIDE_END;
	int have_prev = 0;
	for (size_t bi = 0; bi < pg->nblocks; bi++) {
		const struct block *b = &pg->blocks[bi];
		c.block = (int)bi;
		/* One blank line between blocks; list rows of one kind stay together. */
		int tight = have_prev && b->kind == prev && is_list_kind(b->kind);
		if (b->kind == BLOCK_ASIDE_END) {
			emit_frame_edge(&c);
			c.framed = 0;
			prev = b->kind;
			continue;
		}
		if (!tight && !(have_prev && prev == BLOCK_ASIDE_BEGIN))
			emit_blank(&c);
		have_prev = 1;
		prev = b->kind;
		switch (b->kind) {
		case BLOCK_ASIDE_BEGIN:
			emit_frame_edge(&c);
			c.framed = 1;
			if (b->text && *b->text)
				emit_hanging(&c, "", b->text, LINE_HEADING, 0, 1);
			break;
		case BLOCK_HEADING:
			emit_hanging(&c, b->level == 2 ? "## " : "### ", b->text, LINE_HEADING, 0, 1);
			break;
		case BLOCK_PARA:
			emit_hanging(&c, "", b->text, LINE_TEXT, 0, 1);
			break;
		case BLOCK_BULLET:
			emit_hanging(&c, "- ", b->text, LINE_TEXT, 1, 1);
			break;
		case BLOCK_NUMBERED: {
			size_t ml = strlen(b->marker);
			char *m = xmalloc(ml + 2);
			memcpy(m, b->marker, ml);
			memcpy(m + ml, " ", 2);
			emit_hanging(&c, m, b->text, LINE_TEXT, 1, 1);
			free(m);
			break;
		}
		case BLOCK_FOOTNOTE: {
			/* A footnote is framed like an aside so it stands apart from the text. */
			int was = c.framed;
			char *m = xasprintf("(注%s) ", b->marker);
			if (!was)
				emit_frame_edge(&c);
			c.framed = 1;
			emit_hanging(&c, m, b->text, LINE_TEXT, 0, 1);
			c.framed = was;
			if (!was)
				emit_frame_edge(&c);
			free(m);
			break;
		}
		case BLOCK_LINK: {
			size_t l = emit_hanging(&c, "-> ", b->text, LINE_LINK, 0, 1);
			for (size_t k = l; k < lo->nlines; k++)
				lo->lines[k].link = b->target;
			lo->lines[l].first = 1;
			break;
		}
		case BLOCK_ITEM: {
			size_t l = emit_hanging(&c, "[ ] ", b->text, LINE_ITEM, 0, 1);
			for (size_t k = l; k < lo->nlines; k++)
				lo->lines[k].item = b->target;
			lo->lines[l].first = 1;
			lo->lines[l].mark_col = c.framed ? 2 : 0;
			break;
		}
		case BLOCK_TABLE:
			layout_table(&c, b);
			break;
		case BLOCK_ASIDE_END:
			break;
		}
	}
	if (c.framed) {
		/* An unclosed aside (the parser reported it): close the frame anyway. */
		emit_frame_edge(&c);
	}
	return 0;
}

void layout_free(struct layout *lo)
{
	for (size_t i = 0; i < lo->nlines; i++) {
		free(lo->lines[i].text);
		free(lo->lines[i].cells);
	}
	free(lo->lines);
	memset(lo, 0, sizeof *lo);
}

size_t layout_find_anchor(const struct layout *lo, int block, size_t pos)
{
	size_t best = 0;
	int found = 0;

	for (size_t i = 0; i < lo->nlines; i++) {
		const struct line *l = &lo->lines[i];
		if (l->block > block || (l->block == block && l->pos > pos))
			break;
		if (!found || l->block != lo->lines[best].block || l->pos != lo->lines[best].pos) {
			best = i;
			found = 1;
		}
	}
	/*
	 * The block may start later at this width than the position asked for
	 * (a table stacked at a narrow width has no header row): its first line
	 * is still a better place than whatever stood before it.
	 */
	while (best + 1 < lo->nlines && lo->lines[best].block < block &&
	       lo->lines[best + 1].block <= block)
		best++;
	return best;
}
