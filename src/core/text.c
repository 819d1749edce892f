/*
 * text: UTF-8 decoding, column widths and sanitising (see text.h).
 * Widths come from wcwidth in the active locale rather than from a table
 * of our own, because ncursesw uses the same function when it draws.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <wchar.h>
#include <unictype.h>

#include "core/text.h"
#include "core/util.h"

uint32_t text_decode(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t left = len - *i;
	uint32_t cp, min;
	size_t n;

	if (p[0] < 0x80) {
		*i += 1;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = p[0] & 0x1F;
		min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = p[0] & 0x0F;
		min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		*i += 1;
		return TEXT_REPLACEMENT;
	}
	if (left < n) {
		*i += 1;
		return TEXT_REPLACEMENT;
	}
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80) {
			*i += 1;
			return TEXT_REPLACEMENT;
		}
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*i += 1;
		return TEXT_REPLACEMENT;
	}
	*i += n;
	return cp;
}

size_t text_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int text_valid_utf8(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t before = i;
		uint32_t cp = text_decode(s, len, &i);
		/* A real U+FFFD in the input takes three bytes; a bad byte takes one. */
		if (cp == TEXT_REPLACEMENT && i - before != 3)
			return 0;
	}
	return 1;
}

/*
 * Format characters would be acted on (bidi overrides), vanish (zero-width
 * characters, the BOM) or take an unknown width on a terminal, as would
 * surrogates, private-use and unassigned code points.  Asking libunistring
 * costs a table walk, and every character of the content passes here, so
 * answers for the BMP are remembered.
 */
static unsigned char escape_memo[0x10000]; /* 0 not asked yet, 1 fine, 2 escape */

static int must_escape_slow(uint32_t cp)
{
	/* One table walk for the four categories (the first sight of each character costs it). */
	int r = cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
	        uc_is_general_category_withtable(cp, UC_CATEGORY_MASK_Cf | UC_CATEGORY_MASK_Cs |
	                                                     UC_CATEGORY_MASK_Co | UC_CATEGORY_MASK_Cn) ||
	        cp == 0x2028 || cp == 0x2029;
	if (cp < 0x10000)
		escape_memo[cp] = r ? 2 : 1;
	return r;
}

int text_must_escape(uint32_t cp)
{
	if (cp < 0x10000 && escape_memo[cp])
		return escape_memo[cp] == 2;
	return must_escape_slow(cp);
}

int text_visible_form(uint32_t cp, char out[16])
{
	if (cp < 0x20 || cp == 0x7F) {
		snprintf(out, 16, "^%c", cp == 0x7F ? '?' : (char)(cp + 0x40));
		return 1;
	}
	if (cp < 0x7F || !text_must_escape(cp))
		return 0;
	snprintf(out, 16, "<U+%04X>", (unsigned)cp);
	return 1;
}

int text_cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 0 : w;
}

size_t text_width(const char *s, size_t len)
{
	size_t i = 0, cols = 0;
	char vis[16];

	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		if (b >= 0x20 && b < 0x7F) {
			cols++;
			i++;
			continue;
		}
		uint32_t cp = text_decode(s, len, &i);
		if (cp == '\t')
			cols += 8 - cols % 8;
		else if (text_visible_form(cp, vis))
			cols += strlen(vis);
		else
			cols += (size_t)text_cp_width(cp);
	}
	return cols;
}

/*
 * Bytes that text_sanitize copies as they are, from s[i] on: runs of
 * printable ASCII (eight bytes at a time) and valid three-byte sequences
 * whose character is known (from escape_memo) to need no visible form.
 * Returns the index of the first byte that needs a closer look (or len).
 * Content is nearly all such bytes, so a clean line is one scan and one
 * memcpy; anything else (a tab, a control, a character not met yet, a
 * two- or four-byte sequence) goes back to the careful path one at a time.
 */
/*
 * The three bytes (as le32 reads them) of characters safe_run let through
 * lately, by a hash of those bytes: a hit is a valid sequence whose
 * character needs no visible form, known without decoding it again.
 * 0 never matches (a NUL byte is no lead byte).
 */
static uint32_t safe3_seen[4096];

/* A word read from memory as little-endian: byte 0 in the low bits. */
static uint32_t le32(uint32_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap32(w);
#else
	return w;
#endif
}

static size_t safe_run(const char *s, size_t len, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;

	while (i < len) {
		unsigned char b = u[i];
		if (b >= 0x20 && b < 0x7F) {
			i++;
			/*
			 * Eight bytes are all printable ASCII when none has its high
			 * bit set, none is below 0x20 and none is 0x7F (the classic
			 * "has a byte less than n" and "has a zero byte" tests).
			 */
			while (i + 8 <= len) {
				uint64_t w;
				memcpy(&w, u + i, 8);
				uint64_t del = w ^ (ones * 0x7F);
				if (((w | ((w - ones * 0x20) & ~w) | ((del - ones) & ~del)) & highs) != 0)
					break;
				i += 8;
			}
			continue;
		}
		/*
		 * Lead byte 1110xxxx and two 10xxxxxx, tested at once on the bytes
		 * read as one word; Japanese comes in runs, so stay here for them.
		 */
		do {
			uint32_t w;
			if (i + 4 <= len)
				memcpy(&w, u + i, 4);
			else if (i + 3 == len)
				w = (uint32_t)u[i] | (uint32_t)u[i + 1] << 8 | (uint32_t)u[i + 2] << 16;
			else
				return i;
			w = le32(w) & 0xFFFFFFu;
			uint32_t *seen = &safe3_seen[(w * 0x9E3779B1u) >> 20];
			if (*seen != w) {
				if ((w & 0xC0C0F0u) != 0x8080E0u)
					return i;
				uint32_t c3 = (w & 0x0Fu) << 12 | (w >> 2 & 0xFC0u) | (w >> 16 & 0x3Fu);
				/* Asked once, then remembered; a surrogate escapes, so only overlongs are left. */
				if (c3 < 0x800 ||
				    (escape_memo[c3] ? escape_memo[c3] != 1 : must_escape_slow(c3)))
					return i;
				*seen = w;
			}
			i += 3;
		} while (i < len && u[i] >= 0x80);
	}
	return i;
}

char *text_sanitize_into(const char *s, size_t len, char **bufp, size_t *capp, unsigned *found,
                         uint32_t *first_control)
{
	/* The worst case is a byte becoming a 10-byte "<U+XXXXXX>" or 8 spaces: 12x. */
	char vis[16];
	size_t i = 0, o = 0, line_start = 0;
	unsigned f = 0;

	if (*capp / 12 < len + 1) {
		/*
		 * What the buffer held is not kept, so no realloc copies it; it
		 * at least doubles, so a file of longer and longer lines grows
		 * it a few times only.  xreallocarray checks the multiplication.
		 */
		size_t n = len + 1 > *capp / 6 ? len + 1 : *capp / 6;
		if (n < 128)
			n = 128;
		free(*bufp);
		*bufp = xreallocarray(NULL, n, 12);
		*capp = n * 12;
	}
	char *out = *bufp;
	while (i < len) {
		size_t j = safe_run(s, len, i);
		if (j > i) {
			memcpy(out + o, s + i, j - i);
			o += j - i;
			i = j;
			if (i == len)
				break;
		}
		unsigned char b = (unsigned char)s[i];
		size_t at = i;
		/*
		 * A three-byte sequence of the BMP not met yet: ask once (the
		 * answer is remembered), and copy it when it needs no visible form.
		 */
		if ((b & 0xF0) == 0xE0 && i + 2 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
		    ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
			uint32_t c3 = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
			              (uint32_t)(s[i + 2] & 0x3F);
			if (c3 >= 0x800 && (c3 < 0xD800 || c3 > 0xDFFF) && !text_must_escape(c3)) {
				out[o] = s[i];
				out[o + 1] = s[i + 1];
				out[o + 2] = s[i + 2];
				o += 3;
				i += 3;
				continue;
			}
		}
		uint32_t cp = text_decode(s, len, &i);
		if (cp == TEXT_REPLACEMENT && i - at != 3)
			f |= TEXT_FOUND_INVALID;
		if (cp == '\t') {
			/* Columns are counted only here: tabs are rare, widths are not free. */
			size_t cols = text_width(out + line_start, o - line_start);
			size_t n = 8 - cols % 8;
			memset(out + o, ' ', n);
			o += n;
		} else if (text_visible_form(cp, vis)) {
			if ((cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) &&
			    !(f & TEXT_FOUND_CONTROL)) {
				f |= TEXT_FOUND_CONTROL;
				if (first_control)
					*first_control = cp;
			}
			size_t n = strlen(vis);
			memcpy(out + o, vis, n);
			o += n;
		} else if (cp == TEXT_REPLACEMENT && i - at != 3) {
			o += text_encode(cp, out + o);
		} else {
			/* Valid and safe: the bytes as they were. */
			memcpy(out + o, s + at, i - at);
			o += i - at;
		}
	}
	out[o] = '\0';
	if (found)
		*found = f;
	return out;
}

char *text_sanitize_report(const char *s, size_t len, unsigned *found, uint32_t *first_control)
{
	char *buf = NULL;
	size_t cap = 0;

	text_sanitize_into(s, len, &buf, &cap, found, first_control);
	return xrealloc(buf, strlen(buf) + 1);
}

char *text_sanitize(const char *s, size_t len)
{
	return text_sanitize_report(s, len, NULL, NULL);
}

size_t text_fit(const char *s, size_t len, size_t cols)
{
	size_t i = 0, used = 0;

	while (i < len) {
		size_t at = i;
		uint32_t cp = text_decode(s, len, &i);
		size_t w = (size_t)text_cp_width(cp);
		if (used + w > cols)
			return at;
		used += w;
	}
	return len;
}
