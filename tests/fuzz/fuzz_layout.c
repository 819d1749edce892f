/*
 * fuzz_layout: libFuzzer target for line breaking.  The first two bytes
 * choose a width (1..300 columns), the rest is any bytes, sanitised with
 * text_sanitize as the parser does, then wrapped with layout_wrap.  It
 * checks what layout.h promises: no line wider than max(width, 2) columns
 * (a double-width character needs 2), lines in order, inside the text and
 * on character boundaries, and nothing but spaces dropped between them.
 * text_fit is checked on the same text.  Built and run by tests/fuzz/run.sh.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/layout.h"
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

static void fail(const char *what, size_t width, size_t line, const char *s, size_t start,
		 size_t len)
{
	fprintf(stderr, "fuzz_layout: %s (width %zu, line %zu, bytes %zu+%zu): '%.*s'\n", what,
		width, line, start, len, (int)(len > 300 ? 300 : len), s + start);
	abort();
}

static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
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
	free(wl);

	/* text_fit: at most cols columns, a whole number of characters. */
	size_t fit = text_fit(s, len, width);
	if (fit > len || (fit < len && is_cont((unsigned char)s[fit])))
		fail("text_fit splits a character", width, 0, s, 0, fit);
	if (text_width(s, fit) > width)
		fail("text_fit overflows", width, 0, s, 0, fit);
	free(s);
	return 0;
}
