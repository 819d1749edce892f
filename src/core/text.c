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
		n = 2; cp = p[0] & 0x1F; min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3; cp = p[0] & 0x0F; min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4; cp = p[0] & 0x07; min = 0x10000;
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

int text_visible_form(uint32_t cp, char out[16])
{
	if (cp < 0x20 || cp == 0x7F) {
		snprintf(out, 16, "^%c", cp == 0x7F ? '?' : (char)(cp + 0x40));
		return 1;
	}
	if (cp < 0x7F)
		return 0;
	/*
	 * C1 controls, format characters (bidi overrides, zero-width joiners,
	 * the BOM), private-use and unassigned code points would be acted on,
	 * vanish or take an unknown width on a terminal, so they are shown by
	 * number instead.  This depends on Unicode alone, not on the locale: a
	 * character the locale's charset lacks is charset.c's to fold.
	 */
	if ((cp >= 0x80 && cp < 0xA0) ||
	    uc_is_general_category(cp, UC_CATEGORY_Cf) ||
	    uc_is_general_category(cp, UC_CATEGORY_Cs) ||
	    uc_is_general_category(cp, UC_CATEGORY_Co) ||
	    uc_is_general_category(cp, UC_CATEGORY_Cn) ||
	    cp == 0x2028 || cp == 0x2029) {
		snprintf(out, 16, "<U+%04X>", (unsigned)cp);
		return 1;
	}
	return 0;
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

char *text_sanitize(const char *s, size_t len)
{
	/* The worst case is a byte becoming "<U+FFFD>"-sized forms: 12x. */
	char *out = malloc(len * 12 + 1), vis[16];
	size_t i = 0, o = 0, cols = 0;

	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp = text_decode(s, len, &i);
		if (cp == '\t') {
			size_t n = 8 - cols % 8;
			memset(out + o, ' ', n);
			o += n;
			cols += n;
		} else if (text_visible_form(cp, vis)) {
			size_t n = strlen(vis);
			memcpy(out + o, vis, n);
			o += n;
			cols += n;
		} else {
			o += text_encode(cp, out + o);
			cols += (size_t)text_cp_width(cp);
		}
	}
	out[o] = '\0';
	char *shrunk = realloc(out, o + 1);
	return shrunk ? shrunk : out;
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
