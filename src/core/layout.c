/*
 * layout: blocks to display lines (see layout.h).  Paragraphs wrap, list
 * items and checklist rows hang under their marker, headings get their
 * brackets, tables become columns sized by their content where they fit
 * and "header: value" blocks where they do not, and asides and footnotes
 * get an ASCII frame.  Line breaking is libunistring's with our tailoring
 * (numbers and their units, URLs) on top; the greedy breaker works on a
 * text prepared once, so a table can try many widths cheaply.
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

/*
 * Break classes added to libunistring's.  Inside URLs and domain names,
 * where UAX #14 would allow a break after every '/' but nowhere in a
 * label: a break after '/', else (nothing else fits) after '.', is taken
 * only when no ordinary break opportunity is left on the line (and after
 * the scheme's "://" only as a last resort, with the dots).  Inside a
 * number and its units, a break UAX #14 allows is taken only as that
 * last resort too: a group wider than the line is broken where kinsoku
 * allows, not cut anywhere.
 */
enum {
	BRK_URL_SLASH = 16,
	BRK_URL_DOT = 17,
	BRK_NUMBER = 18
};

static int is_url_char(unsigned char c)
{
	return c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != '"';
}

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/*
 * Whether the run s[0..n) of URL characters is a URL ("://") or a domain
 * name with a path or without: labels joined by dots, the last one (the
 * top-level domain) two letters or more, so "No.11", "e.g." and "3.1" are not.
 */
static int is_url_run(const char *s, size_t n)
{
	size_t labels = 0, label = 0, letters = 0;

	if (memmem(s, n, "://", 3))
		return 1;
	/* Punctuation after a name in a sentence is not part of it. */
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ',' || s[n - 1] == ')'))
		n--;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)s[i] : '/';
		if (c == '.' || c == '/') {
			if (!label)
				return 0;
			labels++;
			if (c == '/')
				break;
			label = letters = 0;
		} else if (is_alnum(c) || c == '-') {
			label++;
			letters += c > '9';
		} else {
			return 0;
		}
	}
	return labels >= 2 && label >= 2 && letters == label;
}

/*
 * URLs and domain names: no break inside a label; after '/' (not inside
 * the scheme's "://") and after '.' only as the last resort classes above.
 * i starts a run of URL characters: returns where the run ends when it
 * is a URL, else 0 (and brk is untouched).
 */
static size_t tailor_url(const char *s, size_t len, size_t i, char *brk)
{
	size_t j = i;
	while (j < len && is_url_char((unsigned char)s[j]))
		j++;
	if (j - i < 4 || !is_url_run(s + i, j - i))
		return 0;
	for (size_t k = i + 1; k < j; k++) {
		int scheme = k >= 3 && s[k - 1] == '/' && s[k - 2] == '/' && s[k - 3] == ':';
		if (s[k - 1] == '/' && s[k] != '/' && !scheme)
			brk[k] = BRK_URL_SLASH;
		else if ((s[k - 1] == '.' && is_alnum((unsigned char)s[k])) || scheme)
			brk[k] = BRK_URL_DOT; /* after "://" too: better than inside "www" */
		else
			brk[k] = UC_BREAK_PROHIBITED;
	}
	return j;
}

/* Bytes of the digit at s + i (ASCII or full-width), else 0. */
static inline size_t digit_len(const char *s, size_t len, size_t i)
{
	if (s[i] >= '0' && s[i] <= '9')
		return 1;
	/* U+FF10..U+FF19 */
	if (i + 2 < len && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
	    (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99)
		return 3;
	return 0;
}

/*
 * What counts a number, as it follows one: 100万円, 2019年3月, 5か条,
 * 30%.  The two-character counters come first so that "か月" is one unit.
 * after_unit ones only follow another unit: 1年間, 3回目, 2時間半.
 */
static const char *const num_units[] = {
	"か月", "ヶ月", "カ月", "ヵ月", "ケ月", "箇月", "か条", "ヶ条", "カ条", "ヵ条", "か所",
	"ヶ所", "カ所", "箇所", "か国", "ヶ国", "カ国", "万",   "億",   "兆",   "千",   "百",
	"円",   "年",   "月",   "日",   "時",   "分",   "秒",   "条",   "点",   "件",   "人",
	"名",   "社",   "%",    "％",   "倍",   "歳",   "回",   "台",   "週",   "項",   "号",
	"版",   "枚",   "個",   "割",   "度",   "位",   "つ",   "字",   "桁",   "階",   "冊",
	"部",   "種",   "代",   "番",   "期",   "章",   "節",   "問",   "組",   NULL
};
static const char *const num_units_after[] = { "間", "目", "半", NULL };

/* strlen(p) when the len bytes of s start with p, else 0: most units differ at the first byte or two. */
static size_t prefix_len(const char *s, size_t len, const char *p)
{
	size_t k = 0;
	while (p[k] && k < len && s[k] == p[k])
		k++;
	return p[k] ? 0 : k;
}

static size_t unit_len(const char *s, size_t len, size_t i, int after_unit)
{
	/* Every unit but '%' starts with a lead byte of a 3-byte sequence. */
	if (s[i] != '%' && ((unsigned char)s[i] & 0xF0) != 0xE0)
		return 0;
	size_t n;
	for (size_t k = 0; num_units[k]; k++)
		if ((n = prefix_len(s + i, len - i, num_units[k])) != 0)
			return n;
	for (size_t k = 0; after_unit && num_units_after[k]; k++)
		if ((n = prefix_len(s + i, len - i, num_units_after[k])) != 0)
			return n;
	return 0;
}

/* A break opportunity at byte k becomes a last resort (BRK_NUMBER). */
static void demote(char *brk, size_t k)
{
	if (brk[k] == UC_BREAK_POSSIBLE || brk[k] == UC_BREAK_HYPHENATION)
		brk[k] = BRK_NUMBER;
}

/*
 * Numbers stay with what counts them: no break inside a group of digits
 * and units (100万円, 2020年12月12日, 3か月間), nor after a 第 before
 * one (第3版).  UAX #14 keeps digits together but lets a line end between
 * a digit and an ideograph; this tailoring only demotes opportunities to
 * last resorts (BRK_NUMBER), so every kinsoku rule still holds, even for a
 * group wider than the line.  i is a digit; returns where its group ends.
 */
static size_t tailor_number(const char *s, size_t len, size_t i, char *brk)
{
	size_t j = i, d;

	/* 第 is E7 AC AC. */
	if (i >= 3 && memcmp(s + i - 3, "\xE7\xAC\xAC", 3) == 0)
		demote(brk, i);
	for (;;) {
		/* Digits, with separators between them (1,000 and 3.5). */
		while (j < len && (d = digit_len(s, len, j)) != 0) {
			j += d;
			if (j + 1 < len && (s[j] == ',' || s[j] == '.') && digit_len(s, len, j + 1))
				j++;
		}
		size_t u, units = 0;
		while (j < len && (u = unit_len(s, len, j, units > 0)) != 0) {
			j += u;
			units++;
		}
		if (!units || j >= len || !digit_len(s, len, j))
			break;
	}
	for (size_t k = i + 1; k < j; k++)
		demote(brk, k);
	return j;
}

/*
 * A text prepared for wrapping at any width: its code points with their
 * columns and the break class before each, found once, so a table can try
 * many widths for a cell at the cost of a loop over small integers.
 */
struct wrap_text {
	size_t n;            /* code points */
	size_t *off;         /* n + 1 byte offsets, off[n] is the length */
	unsigned char *cols; /* columns of each code point */
	char *brk;           /* break class before each code point */
};

static void wrap_prepare(struct wrap_text *wt, const char *s, size_t len)
{
	char *brk = xmalloc(len + 1);
	size_t done = 0;

	u8_possible_linebreaks((const uint8_t *)s, len, "UTF-8", brk);
	wt->off = xreallocarray(NULL, len + 1, sizeof *wt->off);
	wt->cols = xmalloc(len + 1);
	wt->n = 0;
	for (size_t i = 0; i < len;) {
		size_t k = wt->n++;
		wt->off[k] = i;
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F) {
			/* ASCII is one column in every locale: no need to ask wcwidth. */
			wt->cols[k] = 1;
			i++;
			continue;
		}
		uint32_t cp;
		const unsigned char *u = (const unsigned char *)s + i;
		if ((u[0] & 0xF0) == 0xE0 && i + 2 < len && (u[1] & 0xC0) == 0x80 &&
		    (u[2] & 0xC0) == 0x80 &&
		    (cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F)) >=
		            0x800 &&
		    (cp < 0xD800 || cp > 0xDFFF)) {
			/* Japanese is three bytes a character: decoded here, where a fifth of the time went. */
			i += 3;
		} else {
			cp = text_decode(s, len, &i);
		}
		int w = text_cp_width(cp);
		wt->cols[k] = (unsigned char)(w > 2 ? 2 : w);
	}
	wt->off[wt->n] = len;
	/*
	 * The tailoring, by code point: only ASCII and the full-width digits'
	 * lead byte EF can start a URL or a number, so a Japanese character
	 * costs one test.
	 */
	for (size_t k = 0; k < wt->n; k++) {
		size_t i = wt->off[k];
		unsigned char c = (unsigned char)s[i];
		if (i < done || (c >= 0x80 && c != 0xEF))
			continue;
		if (is_url_char(c) && (i == 0 || !is_url_char((unsigned char)s[i - 1]))) {
			size_t j = tailor_url(s, len, i, brk);
			if (j) {
				done = j;
				continue;
			}
		}
		if (digit_len(s, len, i))
			done = tailor_number(s, len, i, brk);
	}
	/* The classes by code point, in place: the k-th start is never before byte k. */
	for (size_t k = 0; k < wt->n; k++)
		brk[k] = brk[wt->off[k]];
	wt->brk = brk;
}

static void wrap_text_free(struct wrap_text *wt)
{
	free(wt->off);
	free(wt->cols);
	free(wt->brk);
}

static int wrap_is_space(const struct wrap_text *wt, const char *s, size_t k)
{
	return wt->cols[k] == 1 && s[wt->off[k]] == ' ';
}

/*
 * Greedy breaking of a prepared text at width columns (at least 2).
 * Returns the number of lines; fills *out when out is not NULL (grown
 * with xgrow, *cap its capacity), and *last_cps with the number of code
 * points on the last line.
 */
static size_t wrap_run(const struct wrap_text *wt, const char *s, size_t width, struct wrap_line **out,
                       size_t *cap, size_t *last_cps)
{
	size_t n = 0, k = 0, last = 0;

	if (width < 2)
		width = 2;
	while (k < wt->n && wrap_is_space(wt, s, k))
		k++;
	while (k < wt->n) {
		size_t i = k, col = 0, lb = 0, ls = 0, ld = 0, cut = wt->n;
		for (; i < wt->n; i++) {
			if (i > k) {
				char b = wt->brk[i];
				if (b == UC_BREAK_POSSIBLE || b == UC_BREAK_HYPHENATION)
					lb = i;
				else if (b == BRK_URL_SLASH)
					ls = i;
				else if (b == BRK_URL_DOT || b == BRK_NUMBER)
					ld = i;
			}
			/* A space past the margin is dropped at the break, so it never overflows. */
			if (col + wt->cols[i] > width && i > k && !wrap_is_space(wt, s, i)) {
				cut = lb > k ? lb : ls > k ? ls : ld > k ? ld : i;
				break;
			}
			col += wt->cols[i];
		}
		size_t end = cut;
		while (end > k && wrap_is_space(wt, s, end - 1))
			end--;
		if (out) {
			*out = xgrow(*out, cap, n + 1, sizeof **out);
			(*out)[n].start = wt->off[k];
			(*out)[n].len = wt->off[end] - wt->off[k];
		}
		last = end - k;
		n++;
		k = cut;
		while (k < wt->n && wrap_is_space(wt, s, k))
			k++;
	}
	if (last_cps)
		*last_cps = last;
	return n;
}

size_t layout_wrap(const char *s, size_t len, size_t width, struct wrap_line **out)
{
	struct wrap_text wt;
	size_t cap = 8;

	*out = xreallocarray(NULL, cap, sizeof **out);
	wrap_prepare(&wt, s, len);
	size_t n = wrap_run(&wt, s, width, out, &cap, NULL);
	wrap_text_free(&wt);
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
	char *buf = xmalloc(len + (size_t)c->width + 8);
	size_t o = 0;
	if (frame_offset(c, style)) {
		/* Only a framed line needs its width (to pad to the right edge): not measured otherwise. */
		size_t cols = text_width(text, len);
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
 * hang under the text.  The first src bytes of text are the block's own
 * text (the lines record where it is); what follows them, such as a
 * heading's closing bracket, is not.  Returns the index of the first
 * line emitted (an index, not a pointer: the next emit may move the lines).
 */
static size_t emit_hanging_src(struct ctx *c, const char *marker, const char *text, enum line_style style,
                               int indent, size_t src)
{
	size_t mlen = strlen(marker);
	size_t mcols = text_width(marker, mlen) + (size_t)indent;
	int avail = inner_width(c) - (int)mcols;
	struct wrap_line *wl;
	size_t first = c->lo->nlines;

	if (avail < 8 && *marker) {
		/* A marker too wide to hang text under: the marker gets a line of its own. */
		emit_hanging_src(c, "", marker, style, indent, 0);
		emit_hanging_src(c, "", text, style, indent, src);
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
		size_t shown = 0;
		if (n && wl[k].start < src)
			shown = src - wl[k].start < wl[k].len ? src - wl[k].start : wl[k].len;
		emit(c, buf, o, style, n ? wl[k].start : 0, at, shown);
	}
	free(buf);
	free(wl);
	return first;
}

/* emit_hanging_src for a text that is all block text (is_src) or none of it. */
static size_t emit_hanging(struct ctx *c, const char *marker, const char *text, enum line_style style,
                           int indent, int is_src)
{
	return emit_hanging_src(c, marker, text, style, indent, is_src ? strlen(text) : 0);
}

/*
 * A heading as a printed Japanese booklet sets one: 【level 2】 and
 * 〔level 3〕, never the content's "##".  Both brackets are East Asian
 * Wide (2 columns in every locale, in JIS X 0208, so in EUC-JP and
 * Shift_JIS too), and kinsoku keeps the closing one off a line's start.
 * A heading the content already put in those brackets is not doubled.
 */
static void emit_heading(struct ctx *c, const struct block *b)
{
	const char *open = b->level == 2 ? "【" : "〔", *close = b->level == 2 ? "】" : "〕";
	size_t tl = strlen(b->text), bl = strlen(open);

	if (tl >= 2 * bl && memcmp(b->text, open, bl) == 0 && memcmp(b->text + tl - bl, close, bl) == 0) {
		emit_hanging(c, "", b->text, LINE_HEADING, 0, 1);
		return;
	}
	char *t = xmalloc(tl + bl + 1);
	memcpy(t, b->text, tl);
	memcpy(t + tl, close, bl + 1);
	emit_hanging_src(c, open, t, LINE_HEADING, 0, tl);
	free(t);
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

/* Columns each table column takes unwrapped: its widest cell. */
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

static void table_columns(struct ctx *c, const struct block *b, const struct wrap_text *wt,
                          const size_t *w)
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
			size_t cap = 0;
			wl[col] = NULL;
			nl[col] = wrap_run(&wt[r * b->ncols + col], cell, w[col], &wl[col], &cap, NULL);
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

/*
 * What a table's cells wrap to at every width their column may take, so
 * that a split of the columns is scored with lookups, not by wrapping.
 */
struct table_fit {
	const struct block *b;
	size_t *lo, *hi;       /* per column: the narrowest and widest width tried */
	size_t *base;          /* per cell: where its widths lo..hi start in lines and orphan */
	size_t *lines;         /* lines the cell wraps to */
	unsigned char *orphan; /* 1 when its last line holds a single character */
};

/* The longest run of columns with no break opportunity in it. */
static size_t wrap_longest_run(const struct wrap_text *wt)
{
	size_t run = 0, longest = 0;
	for (size_t k = 0; k < wt->n; k++) {
		char b = wt->brk[k];
		if (b == UC_BREAK_POSSIBLE || b == UC_BREAK_HYPHENATION || b == BRK_URL_SLASH ||
		    b == BRK_URL_DOT)
			run = 0;
		run += wt->cols[k];
		longest = run > longest ? run : longest;
	}
	return longest;
}

static void table_fit_init(struct table_fit *f, const struct block *b, const struct wrap_text *wt,
                           const size_t *nat, size_t avail)
{
	size_t nc = b->ncols, ncells = b->nrows * nc, total = 0, sum_lo = 0;

	f->b = b;
	f->lo = xcalloc(nc, sizeof *f->lo);
	f->hi = xcalloc(nc, sizeof *f->hi);
	f->base = xcalloc(ncells, sizeof *f->base);
	/*
	 * No narrower than a column's longest word (a URL, a long number),
	 * within its share, nor than TABLE_MIN_COL when there are three
	 * columns or more: narrower ones are hard to read, and each column
	 * that can take more widths multiplies the splits to try.  Two columns
	 * are tried from half that (a short answer beside a long one).
	 */
	for (size_t col = 0; col < nc; col++) {
		size_t run = nc > 2 ? TABLE_MIN_COL : TABLE_MIN_COL / 2;
		for (size_t r = 0; r < b->nrows; r++) {
			size_t l = wrap_longest_run(&wt[r * nc + col]);
			run = l > run ? l : run;
		}
		size_t cap = avail / nc;
		f->lo[col] = run < cap ? run : cap;
		if (f->lo[col] > nat[col])
			f->lo[col] = nat[col];
		sum_lo += f->lo[col];
	}
	for (size_t col = 0; col < nc; col++) {
		size_t most = avail - (sum_lo - f->lo[col]);
		f->hi[col] = nat[col] < most ? nat[col] : most;
	}
	for (size_t i = 0; i < ncells; i++) {
		f->base[i] = total;
		total += f->hi[i % nc] - f->lo[i % nc] + 1;
	}
	f->lines = xcalloc(total, sizeof *f->lines);
	f->orphan = xcalloc(total, 1);
	for (size_t i = 0; i < ncells; i++) {
		size_t col = i % nc, last = 0;
		const char *cell = b->cells[i];
		for (size_t w = f->lo[col]; w <= f->hi[col]; w++) {
			size_t n = wrap_run(&wt[i], cell, w, NULL, NULL, &last);
			f->lines[f->base[i] + w - f->lo[col]] = n;
			f->orphan[f->base[i] + w - f->lo[col]] = n > 1 && last == 1;
			if (n <= 1) {
				/* One line here is one line at every wider width. */
				for (size_t v = w + 1; v <= f->hi[col]; v++)
					f->lines[f->base[i] + v - f->lo[col]] = n;
				break;
			}
		}
	}
}

static void table_fit_free(struct table_fit *f)
{
	free(f->lo);
	free(f->hi);
	free(f->base);
	free(f->lines);
	free(f->orphan);
}

/*
 * The score of widths w, smaller is better, in order: cells ending on a
 * line of one character (罰⏎金), then lines in all, then how far w is
 * from like (the even share), so a table that is fine as it was stays so.
 */
struct table_score {
	size_t orphans, height, drift;
};

static struct table_score table_score_of(const struct table_fit *f, const size_t *w, const size_t *like)
{
	const struct block *b = f->b;
	struct table_score sc = { 0, 0, 0 };

	for (size_t r = 0; r < b->nrows; r++) {
		size_t height = 1;
		for (size_t col = 0; col < b->ncols; col++) {
			size_t at = f->base[r * b->ncols + col] + w[col] - f->lo[col];
			height = f->lines[at] > height ? f->lines[at] : height;
			sc.orphans += f->orphan[at];
		}
		sc.height += height;
	}
	for (size_t col = 0; col < b->ncols; col++)
		sc.drift += w[col] > like[col] ? w[col] - like[col] : like[col] - w[col];
	return sc;
}

static int table_score_less(struct table_score a, struct table_score b)
{
	if (a.orphans != b.orphans)
		return a.orphans < b.orphans;
	if (a.height != b.height)
		return a.height < b.height;
	return a.drift < b.drift;
}

/* Tables up to this many splits are searched whole (表1 at 120 columns: about 3,000). */
#define TABLE_SEARCH_MAX 20000

/*
 * The whole search: every split of avail among the columns, column by
 * column.  rows holds, for each column fixed so far, each row's height
 * with those columns (row r of level col at rows[col * nrows + r]); a
 * branch whose orphans, heights and drift so far already lose to the best
 * is cut (none of them can fall as more columns are fixed).
 */
struct table_search {
	const struct table_fit *f;
	const size_t *like;
	size_t *w, *best, *rows;
	size_t *rest; /* rest[col * nrows + r]: the fewest lines row r needs in the columns after col */
	struct table_score best_sc;
};

static void table_search(struct table_search *ts, size_t col, size_t left, size_t orphans, size_t drift)
{
	const struct table_fit *f = ts->f;
	size_t nc = f->b->ncols, nr = f->b->nrows;
	size_t from = f->lo[col], to = f->hi[col] < left ? f->hi[col] : left;

	if (col + 1 == nc) {
		if (left < f->lo[col])
			return;
		from = to;
	}
	for (size_t v = from; v <= to; v++) {
		size_t *h = ts->rows + col * nr, height = 0, bound = 0, orph = orphans;
		const size_t *rest = ts->rest + col * nr;
		for (size_t r = 0; r < nr; r++) {
			size_t at = f->base[r * nc + col] + v - f->lo[col];
			size_t above = col ? ts->rows[(col - 1) * nr + r] : 1;
			h[r] = f->lines[at] > above ? f->lines[at] : above;
			height += h[r];
			bound += h[r] > rest[r] ? h[r] : rest[r];
			orph += f->orphan[at];
		}
		ts->w[col] = v;
		size_t dr = drift + (v > ts->like[col] ? v - ts->like[col] : ts->like[col] - v);
		/* Whatever the columns after this one get, this branch cannot win: cut it. */
		struct table_score least = { orph, bound, dr };
		if (!table_score_less(least, ts->best_sc))
			continue;
		if (col + 1 < nc) {
			table_search(ts, col + 1, left - v, orph, dr);
			continue;
		}
		struct table_score sc = { orph, height, dr };
		if (table_score_less(sc, ts->best_sc)) {
			ts->best_sc = sc;
			memcpy(ts->best, ts->w, nc * sizeof *ts->w);
		}
	}
}

/*
 * Widths for a table too wide for its natural widths: start from the even
 * share, then the split with the best score, searched whole when the
 * table is small, else improved a column at a time.
 */
static void table_widths(const struct block *b, const struct wrap_text *wt, const size_t *nat,
                         size_t avail, size_t *w)
{
	size_t nc = b->ncols, splits = 1;
	struct table_fit f;
	size_t *like = xcalloc(nc, sizeof *like), *cur = xcalloc(nc, sizeof *cur);

	table_share(nc, nat, avail, like);
	table_fit_init(&f, b, wt, nat, avail);
	size_t sum = 0;
	for (size_t col = 0; col < nc; col++) {
		/* The share can fall outside lo..hi: bring it in... */
		w[col] = like[col] < f.lo[col] ? f.lo[col] : like[col] > f.hi[col] ? f.hi[col] : like[col];
		sum += w[col];
		if (col + 1 < nc && splits <= TABLE_SEARCH_MAX)
			splits *= f.hi[col] - f.lo[col] + 1;
	}
	/* ...and back to at most avail in all (lo sums to no more than avail). */
	for (size_t col = 0; sum > avail; col = (col + 1) % nc)
		if (w[col] > f.lo[col]) {
			w[col]--;
			sum--;
		}
	/* Move a column at a time between two columns while the score improves. */
	struct table_score best_sc = table_score_of(&f, w, like);
	for (int better = 1; better;) {
		better = 0;
		for (size_t i = 0; i < nc; i++)
			for (size_t j = 0; j < nc; j++) {
				if (i == j || w[i] <= f.lo[i] || w[j] >= f.hi[j])
					continue;
				memcpy(cur, w, nc * sizeof *w);
				cur[i]--;
				cur[j]++;
				struct table_score sc = table_score_of(&f, cur, like);
				if (table_score_less(sc, best_sc)) {
					best_sc = sc;
					memcpy(w, cur, nc * sizeof *w);
					better = 1;
				}
			}
	}
	/* Then, when the table is small enough, every split, with that score to beat. */
	if (splits <= TABLE_SEARCH_MAX) {
		size_t nr = b->nrows;
		struct table_search ts = { &f, like, cur, w, NULL, NULL, best_sc };
		ts.rows = xcalloc(nc * nr, sizeof *ts.rows);
		ts.rest = xcalloc(nc * nr, sizeof *ts.rest);
		for (size_t col = nc - 1; col-- > 0;)
			for (size_t r = 0; r < nr; r++) {
				size_t at = f.base[r * nc + col + 1] + f.hi[col + 1] - f.lo[col + 1];
				size_t after = ts.rest[(col + 1) * nr + r];
				ts.rest[col * nr + r] = f.lines[at] > after ? f.lines[at] : after;
			}
		table_search(&ts, 0, avail, 0, 0);
		free(ts.rows);
		free(ts.rest);
	}
	table_fit_free(&f);
	free(like);
	free(cur);
}

static void layout_table(struct ctx *c, const struct block *b)
{
	size_t nc = b->ncols, ncells = b->nrows * nc;
	size_t *nat = xcalloc(nc, sizeof *nat), *w = xcalloc(nc, sizeof *w);
	/* Signed: many columns at a narrow width leave less than nothing. */
	long avail = (long)inner_width(c) - (long)(TABLE_SEP_COLS * (nc - 1));
	long sum = 0;

	table_natural(b, nat);
	for (size_t i = 0; i < nc; i++)
		sum += (long)nat[i];
	int whole = avail > 0 && sum <= avail;
	if (!whole && avail < (long)(nc * TABLE_MIN_COL)) {
		table_stacked(c, b);
	} else {
		struct wrap_text *wt = xcalloc(ncells, sizeof *wt);
		for (size_t i = 0; i < ncells; i++)
			wrap_prepare(&wt[i], b->cells[i], strlen(b->cells[i]));
		if (whole)
			memcpy(w, nat, nc * sizeof *w);
		else
			table_widths(b, wt, nat, (size_t)avail, w);
		table_columns(c, b, wt, w);
		for (size_t i = 0; i < ncells; i++)
			wrap_text_free(&wt[i]);
		free(wt);
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
	doc_page_load(d, page); /* a lazily loaded doc parses the page the first time */
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
			emit_heading(&c, b);
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
