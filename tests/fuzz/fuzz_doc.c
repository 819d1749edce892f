/*
 * fuzz_doc: libFuzzer target for the content parser and the page layout.
 * The input is split into chapters at form feeds (so cross-file rules
 * run too), parsed with doc_parse_buffer, checked with doc_finish, and
 * every page is laid out at the narrowest width and at one taken from
 * the input.  Beyond the
 * sanitizers it checks what layout.h promises: every line is sanitised
 * UTF-8 of at most lo.width columns, and the anchor of every line is a
 * line of the layout.  Built and run by tests/fuzz/run.sh.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "core/layout.h"
#include "core/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* At most this many chapters, so one input cannot make thousands. */
#define FUZZ_MAX_CHAPTERS 8

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* mamori runs in a UTF-8 locale (with a C.UTF-8 fallback): widths depend on it. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return 0;
}

static void fail(const char *what, int page, size_t line, const char *text)
{
	fprintf(stderr, "fuzz_doc: %s (page %d, line %zu): '%s'\n", what, page, line,
	        text ? text : "(null)");
	abort();
}

static void check_layout(const struct doc *d, int page, int width)
{
	struct layout lo;

	if (layout_page(&lo, d, page, width) != 0)
		fail("layout_page failed", page, 0, NULL);
	int want = width < LAYOUT_MIN_WIDTH ? LAYOUT_MIN_WIDTH : width;
	if (lo.width != want)
		fail("layout width is not the clamped width", page, 0, NULL);
	for (size_t i = 0; i < lo.nlines; i++) {
		const struct line *l = &lo.lines[i];
		if (!l->text)
			fail("a line without text", page, i, NULL);
		size_t len = strlen(l->text);
		if (!text_valid_utf8(l->text, len))
			fail("a line that is not valid UTF-8", page, i, l->text);
		/* "UTF-8, sanitised, at most width columns" (layout.h). */
		if (text_width(l->text, len) > (size_t)lo.width)
			fail("a line wider than the layout width", page, i, l->text);
		char *san = text_sanitize(l->text, len);
		if (!san || strcmp(san, l->text) != 0)
			fail("a line that is not sanitised", page, i, l->text);
		free(san);
		if (l->link >= 0 && (size_t)l->link >= d->npages)
			fail("a link line to a page out of range", page, i, l->text);
		if (l->item >= 0 && (size_t)l->item >= d->nitems)
			fail("an item line to an item out of range", page, i, l->text);
		if (l->block >= 0 && (size_t)l->block >= d->pages[page].nblocks)
			fail("a line from a block out of range", page, i, l->text);
		size_t a = layout_find_anchor(&lo, l->block, l->pos);
		if (lo.nlines && a >= lo.nlines)
			fail("an anchor out of range", page, i, l->text);
	}
	layout_free(&lo);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct doc d;
	size_t pos = 0;
	int nch = 0;
	uint32_t h = 2166136261u;

	memset(&d, 0, sizeof d);
	while (pos <= size && nch < FUZZ_MAX_CHAPTERS) {
		const char *ff = memchr(buf + pos, '\f', size - pos);
		size_t end = ff && nch + 1 < FUZZ_MAX_CHAPTERS ? (size_t)(ff - buf) : size;
		char name[32];
		snprintf(name, sizeof name, "%02d-fuzz.txt", nch);
		doc_parse_buffer(&d, name, buf + pos, end - pos);
		nch++;
		pos = end + 1;
	}
	doc_finish(&d);

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	/* Below LAYOUT_MIN_WIDTH too: the clamp is part of the contract. */
	int width = 1 + (int)(h % 160);
	for (size_t p = 0; p < d.npages; p++) {
		check_layout(&d, (int)p, LAYOUT_MIN_WIDTH);
		check_layout(&d, (int)p, width);
		if (doc_find_page(&d, d.pages[p].id) < 0)
			fail("doc_find_page misses a page", (int)p, 0, d.pages[p].id);
	}
	for (size_t i = 0; i < d.nitems; i++)
		if (doc_find_item(&d, d.items[i].id) < 0)
			fail("doc_find_item misses an item", -1, i, d.items[i].id);
	for (size_t i = 0; i < d.ndiags; i++)
		if (!d.diags[i].msg || !d.diags[i].file)
			fail("a diagnostic without a message", -1, i, NULL);
	doc_free(&d);
	return 0;
}
