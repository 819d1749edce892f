/*
 * check_search: search over block texts, not laid-out lines: a phrase split
 * by a line break is found and highlighted on both lines; width and case
 * folding the way a Japanese user types; the byte-exact map from hits to
 * laid-out lines at several widths, in frames, lists, tables and titles;
 * moving to the next and previous hit.  Real content and small docs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "core/layout.h"
#include "core/search.h"
#include "suites.h"

#define MAX_SPANS 64

static struct doc content;
static int content_loaded;

static void load_content(void)
{
	if (!content_loaded) {
		int r = doc_load(&content, test_content_dir());
		ck_assert_msg(r == 0, "content failed to load from %s", test_content_dir());
		content_loaded = 1;
	}
}

static void teardown_content(void)
{
	if (content_loaded) {
		doc_free(&content);
		content_loaded = 0;
	}
}

static struct doc parse(const char *text)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	doc_parse_buffer(&d, "t.txt", text, strlen(text));
	ck_assert_int_eq(doc_finish(&d), 0);
	return d;
}

/* The text a hit is in: the title, a block's text or a table cell. */
static const char *hit_text(const struct doc *d, const struct search_hit *h)
{
	const struct page *pg = &d->pages[h->page];
	if (h->block < 0)
		return pg->title;
	const struct block *b = &pg->blocks[h->block];
	return b->kind == BLOCK_TABLE ? b->cells[h->cell] : b->text;
}

/* Copy len bytes of s to out without the spaces (a line break drops a space). */
static size_t no_spaces(char *out, const char *s, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ')
			out[o++] = s[i];
	out[o] = '\0';
	return o;
}

/*
 * Put together what the lines show of hit k, from the line search_hit_line
 * names on, from the spans search_line_spans gives, and check that it is
 * the hit's text byte for byte (but for spaces dropped at a break).
 * Returns the number of lines it spans.
 */
static size_t check_hit_shown(const struct doc *d, const struct search *s, const struct layout *lo,
                              size_t k)
{
	const struct search_hit *h = &s->hits[k];
	const char *text = hit_text(d, h);
	size_t want_len = h->end - h->start;
	char *want = malloc(want_len + 1), *got = malloc(want_len + 1);
	size_t wl = no_spaces(want, text + h->start, want_len), gl = 0, nlines = 0;

	size_t line = search_hit_line(s, lo, k);
	ck_assert_uint_lt(line, lo->nlines);
	for (size_t i = line; i < lo->nlines && gl < wl; i++) {
		struct search_span sp[MAX_SPANS];
		size_t n = search_line_spans(s, lo, h->page, i, sp, MAX_SPANS), mine = 0;
		for (size_t j = 0; j < n; j++) {
			ck_assert_uint_lt(sp[j].start, sp[j].end);
			ck_assert_uint_le(sp[j].end, strlen(lo->lines[i].text));
			if (j)
				ck_assert_uint_le(sp[j - 1].end, sp[j].start);
			if (sp[j].hit != k)
				continue;
			char part[256];
			size_t pl =
				no_spaces(part, lo->lines[i].text + sp[j].start, sp[j].end - sp[j].start);
			ck_assert_uint_le(gl + pl, wl);
			memcpy(got + gl, part, pl);
			gl += pl;
			mine++;
		}
		ck_assert_msg(mine || i == line || gl == 0,
		              "hit %zu (%s) stops after %zu of %zu bytes at width %d", k, want, gl, wl,
		              lo->width);
		ck_assert_msg(i > line || mine, "hit %zu (%s) is not on the line named for it (%zu: %s)",
		              k, want, line, lo->lines[line].text);
		nlines++;
	}
	got[gl] = '\0';
	ck_assert_msg(strcmp(got, want) == 0, "hit %zu at width %d shows '%s', not '%s'", k, lo->width,
	              got, want);
	free(want);
	free(got);
	return nlines;
}

static size_t count_in(const char *text, const char *needle)
{
	size_t n = 0;
	for (const char *p = text ? strstr(text, needle) : NULL; p; p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

static const char owners_phrase[] = "セキュリティ対策について、その考え方";

START_TEST(phrase_across_a_line_break)
{
	load_content();
	int p = doc_find_page(&content, "to-owners");
	ck_assert_int_ge(p, 0);
	struct layout lo;
	layout_page(&lo, &content, p, 80);
	/* The reason for this test: at 80 columns no one line holds the phrase. */
	for (size_t i = 0; i < lo.nlines; i++)
		ck_assert_ptr_null(strstr(lo.lines[i].text, owners_phrase));

	struct search s = { 0 };
	ck_assert_uint_ge(search_run(&s, &content, owners_phrase), 1);
	long k = search_find(&s, p, -1, 0, 1);
	ck_assert_int_ge(k, 0);
	ck_assert_int_eq(s.hits[k].page, p);
	size_t line = search_hit_line(&s, &lo, (size_t)k);
	struct search_span a[4], b[4];
	ck_assert_uint_eq(search_line_spans(&s, &lo, p, line, a, 4), 1);
	ck_assert_uint_eq(search_line_spans(&s, &lo, p, line + 1, b, 4), 1);
	ck_assert_uint_eq(a[0].hit, (size_t)k);
	ck_assert_uint_eq(b[0].hit, (size_t)k);
	/* The first part ends its line, the second starts the next one's text. */
	ck_assert_uint_eq(a[0].end, strlen(lo.lines[line].text));
	ck_assert_uint_eq(b[0].start, lo.lines[line + 1].src_at);
	char joined[256];
	size_t la = a[0].end - a[0].start, lb = b[0].end - b[0].start;
	memcpy(joined, lo.lines[line].text + a[0].start, la);
	memcpy(joined + la, lo.lines[line + 1].text + b[0].start, lb);
	joined[la + lb] = '\0';
	ck_assert_str_eq(joined, owners_phrase);
	ck_assert_uint_eq(check_hit_shown(&content, &s, &lo, (size_t)k), 2);
	search_free(&s);
	layout_free(&lo);
}
END_TEST

START_TEST(every_occurrence_is_found_and_shown)
{
	static const char needle[] = "情報セキュリティ";
	load_content();
	size_t want = 0;
	for (size_t p = 0; p < content.npages; p++) {
		const struct page *pg = &content.pages[p];
		want += count_in(pg->title, needle);
		for (size_t b = 0; b < pg->nblocks; b++) {
			const struct block *bl = &pg->blocks[b];
			if (bl->kind != BLOCK_TABLE)
				want += count_in(bl->text, needle);
			else
				for (size_t c = 0; c < bl->nrows * bl->ncols; c++)
					want += count_in(bl->cells[c], needle);
		}
	}
	ck_assert_uint_gt(want, 0);
	struct search s = { 0 };
	ck_assert_uint_eq(search_run(&s, &content, needle), want);

	/* At 80 columns some are split across lines, as the issue found; all are shown whole. */
	size_t split = 0;
	for (size_t p = 0; p < content.npages; p++) {
		struct layout lo;
		layout_page(&lo, &content, (int)p, 80);
		for (long k = search_find(&s, (int)p, -1, 0, 1);
		     k >= 0 && k < (long)s.nhits && s.hits[k].page == (int)p; k++) {
			ck_assert_int_eq(strncmp(hit_text(&content, &s.hits[k]) + s.hits[k].start, needle,
			                         strlen(needle)),
			                 0);
			size_t n = check_hit_shown(&content, &s, &lo, (size_t)k);
			size_t line = search_hit_line(&s, &lo, (size_t)k);
			const struct line *l1 = &lo.lines[line];
			if (n == 1) {
				ck_assert_ptr_nonnull(strstr(l1->text, needle));
			} else if (!l1->ncells) {
				/* The line's block text joined with the next line's holds it. */
				const struct line *l2 = &lo.lines[line + 1];
				char joined[1024];
				snprintf(joined, sizeof joined, "%.*s%.*s", (int)l1->src_len,
				         l1->text + l1->src_at, (int)l2->src_len, l2->text + l2->src_at);
				ck_assert_msg(strstr(joined, needle), "not on lines %zu-%zu: %s", line,
				              line + 1, joined);
				split++;
			}
		}
		layout_free(&lo);
	}
	ck_assert_uint_gt(split, 0);
	search_free(&s);
}
END_TEST

/* Every hit of each pattern, on every page, shows byte for byte at this width. */
START_TEST(spans_exact_at_every_width)
{
	static const int widths[] = { 20, 40, 80, 120 };
	static const char *const patterns[] = {
		"情報セキュリティ", "対策", "ＩＰＡ", "(1)", "する", "データ"
	};
	load_content();
	struct search s = { 0 };
	for (size_t q = 0; q < sizeof patterns / sizeof *patterns; q++) {
		ck_assert_uint_gt(search_run(&s, &content, patterns[q]), 0);
		for (size_t p = 0; p < content.npages; p++) {
			struct layout lo;
			layout_page(&lo, &content, (int)p, widths[_i]);
			for (long k = search_find(&s, (int)p, -1, 0, 1);
			     k >= 0 && k < (long)s.nhits && s.hits[k].page == (int)p; k++)
				check_hit_shown(&content, &s, &lo, (size_t)k);
			/* And no span is anything but a hit's bytes. */
			for (size_t i = 0; i < lo.nlines; i++) {
				struct search_span sp[MAX_SPANS];
				size_t n = search_line_spans(&s, &lo, (int)p, i, sp, MAX_SPANS);
				ck_assert_uint_lt(n, MAX_SPANS);
				for (size_t j = 0; j < n; j++) {
					const struct search_hit *h = &s.hits[sp[j].hit];
					const char *t = hit_text(&content, h);
					ck_assert_int_eq(h->page, (int)p);
					ck_assert(memmem(t + h->start, h->end - h->start,
					                 lo.lines[i].text + sp[j].start,
					                 sp[j].end - sp[j].start) != NULL);
				}
			}
			layout_free(&lo);
		}
	}
	search_free(&s);
}
END_TEST

/* The one text of hit k of a small doc (its bytes in the original). */
static char *hit_bytes(const struct doc *d, const struct search *s, size_t k)
{
	const struct search_hit *h = &s->hits[k];
	return strndup(hit_text(d, h) + h->start, h->end - h->start);
}

static const char fold_src[] =
	"@chapter c\n@page p 題\n"
	"取組5を読む。IPAとipaとIpa。セキュリティとｾｷｭﾘﾃｨ。データとﾃﾞｰﾀ。SECURITY ACTION。\n";

static void assert_hits(const struct doc *d, const char *pattern, const char *const *want)
{
	struct search s = { 0 };
	size_t n = 0;
	while (want[n])
		n++;
	ck_assert_msg(search_run(&s, d, pattern) == n, "%s: %zu hits, want %zu", pattern, s.nhits, n);
	for (size_t k = 0; k < n; k++) {
		char *b = hit_bytes(d, &s, k);
		ck_assert_msg(strcmp(b, want[k]) == 0, "%s: hit %zu is '%s', want '%s'", pattern, k, b,
		              want[k]);
		free(b);
	}
	ck_assert_str_eq(s.pattern, pattern);
	search_free(&s);
}

START_TEST(width_and_case_fold)
{
	struct doc d = parse(fold_src);
	assert_hits(&d, "取組５", (const char *const[]){ "取組5", NULL });
	assert_hits(&d, "ＩＰＡ", (const char *const[]){ "IPA", "ipa", "Ipa", NULL });
	assert_hits(&d, "ipa", (const char *const[]){ "IPA", "ipa", "Ipa", NULL });
	assert_hits(&d, "ｾｷｭﾘﾃｨ", (const char *const[]){ "セキュリティ", "ｾｷｭﾘﾃｨ", NULL });
	assert_hits(&d, "セキュリティ", (const char *const[]){ "セキュリティ", "ｾｷｭﾘﾃｨ", NULL });
	/* A half-width voiced mark is part of its letter: the hit holds both. */
	assert_hits(&d, "ﾃﾞｰﾀ", (const char *const[]){ "データ", "ﾃﾞｰﾀ", NULL });
	assert_hits(&d, "データ", (const char *const[]){ "データ", "ﾃﾞｰﾀ", NULL });
	/* ﾃ alone is not ﾃﾞ. */
	assert_hits(&d, "ﾃｰﾀ", (const char *const[]){ NULL });
	assert_hits(&d, "security action", (const char *const[]){ "SECURITY ACTION", NULL });
	assert_hits(&d, "ｓｅｃｕｒｉｔｙ　ａｃｔｉｏｎ",
	            (const char *const[]){ "SECURITY ACTION", NULL });
	doc_free(&d);
}
END_TEST

START_TEST(nothing_found)
{
	struct doc d = parse(fold_src);
	struct search s = { 0 };
	ck_assert_uint_eq(search_run(&s, &d, "存在しない語"), 0);
	ck_assert_int_eq(search_find(&s, 0, -1, 0, 1), -1);
	ck_assert_int_eq(search_find(&s, 0, 5, 0, -1), -1);
	/* Empty and blank patterns find nothing, not every place. */
	ck_assert_uint_eq(search_run(&s, &d, ""), 0);
	ck_assert_uint_eq(search_run(&s, &d, " "), 0);
	ck_assert_uint_eq(search_run(&s, &d, "　 "), 0);
	/* A run replaces the hits of the one before. */
	ck_assert_uint_eq(search_run(&s, &d, "ipa"), 3);
	ck_assert_uint_eq(search_run(&s, &d, "取組"), 1);
	search_free(&s);
	doc_free(&d);
}
END_TEST

START_TEST(find_next_and_previous)
{
	struct doc d = parse("@chapter c\n@page a 一\n"
	                     "鍵と鍵。\n\n別の鍵。\n"
	                     "@page b 二\n"
	                     "ここに鍵。\n");
	struct search s = { 0 };
	ck_assert_uint_eq(search_run(&s, &d, "鍵"), 4);
	/* Document order. */
	ck_assert_int_eq(s.hits[0].page, 0);
	ck_assert_int_eq(s.hits[0].block, 0);
	ck_assert_int_eq(s.hits[1].block, 0);
	ck_assert_uint_lt(s.hits[0].start, s.hits[1].start);
	ck_assert_int_eq(s.hits[2].block, 1);
	ck_assert_int_eq(s.hits[3].page, 1);
	/* Forward: at or after the place. */
	ck_assert_int_eq(search_find(&s, 0, -1, 0, 1), 0);
	ck_assert_int_eq(search_find(&s, 0, 0, s.hits[0].start, 1), 0);
	ck_assert_int_eq(search_find(&s, 0, 0, s.hits[0].start + 1, 1), 1);
	ck_assert_int_eq(search_find(&s, 0, 1, 0, 1), 2);
	ck_assert_int_eq(search_find(&s, 0, 1, s.hits[2].start + 1, 1), 3);
	/* Past the last hit: none, the caller wraps. */
	ck_assert_int_eq(search_find(&s, 1, 0, s.hits[3].start + 1, 1), -1);
	ck_assert_int_eq(search_find(&s, 2, -1, 0, 1), -1);
	/* Backward: strictly before the place. */
	ck_assert_int_eq(search_find(&s, 1, -1, 0, -1), 2);
	ck_assert_int_eq(search_find(&s, 0, 0, s.hits[1].start, -1), 0);
	ck_assert_int_eq(search_find(&s, 0, 0, s.hits[0].start, -1), -1);
	ck_assert_int_eq(search_find(&s, 5, 0, 0, -1), 3);
	search_free(&s);
	doc_free(&d);
}
END_TEST

/* The span of the only hit, on the line holding its start, checked against the phrase. */
static void assert_one_span(const struct doc *d, const char *pattern, int width, size_t min_at)
{
	struct search s = { 0 };
	struct layout lo;
	ck_assert_uint_eq(search_run(&s, d, pattern), 1);
	layout_page(&lo, d, 0, width);
	size_t line = search_hit_line(&s, &lo, 0);
	struct search_span sp[4];
	ck_assert_uint_eq(search_line_spans(&s, &lo, 0, line, sp, 4), 1);
	ck_assert_uint_ge(sp[0].start, min_at);
	/* All of it, or at a narrow width its start, with the rest on the next line. */
	size_t len = sp[0].end - sp[0].start;
	ck_assert_uint_le(len, strlen(pattern));
	ck_assert(len == strlen(pattern) || sp[0].end == lo.lines[line].src_at + lo.lines[line].src_len);
	ck_assert_int_eq(strncmp(lo.lines[line].text + sp[0].start, pattern, len), 0);
	check_hit_shown(d, &s, &lo, 0);
	layout_free(&lo);
	search_free(&s);
}

START_TEST(frames_lists_items_and_titles)
{
	struct doc d = parse("@chapter c\n@page p 情報セキュリティの基本\n"
	                     "@aside 囲みの題\n枠の中の文で、探す語句がここにあります。\n@end\n\n"
	                     "- 箇条書きの中の探す言葉です。\n\n"
	                     "(12) 番号付きの中の見つける語です。\n\n"
	                     "@group g action 取組\n[ ] a-1 点検項目の中の照合語です。\n\n"
	                     "本文[^1]。\n\n[^1]: 注の中の脚注語です。\n");
	/* "| " of the frame, " - " of a bullet, " (12) ", "[ ] ", "| (注1) ". */
	for (int w = 20; w <= 120; w += 20) {
		assert_one_span(&d, "探す語句", w, 2);
		assert_one_span(&d, "囲みの題", w, 2);
		assert_one_span(&d, "探す言葉", w, 3);
		assert_one_span(&d, "見つける語", w, 6);
		assert_one_span(&d, "照合語", w, 4);
		assert_one_span(&d, "脚注語", w, 2 + strlen("(注1) "));
		assert_one_span(&d, "基本", w, 0);
	}
	/* The title is block -1 and its first line is the top line. */
	struct search s = { 0 };
	struct layout lo;
	ck_assert_uint_eq(search_run(&s, &d, "情報"), 1);
	ck_assert_int_eq(s.hits[0].block, -1);
	layout_page(&lo, &d, 0, 80);
	ck_assert_uint_eq(search_hit_line(&s, &lo, 0), 0);
	layout_free(&lo);
	search_free(&s);
	doc_free(&d);
}
END_TEST

START_TEST(table_cells_in_columns_and_stacked)
{
	struct doc d = parse(
		"@chapter c\n@page p 表\n"
		"| 法令 | 条項 | 処罰など |\n|---|---|---|\n"
		"| 個人情報保護法 | 83条 個人情報データベース等不正提供罪 | 1年以下の懲役又は50万円以下の罰金 |\n"
		"| | 84条 委員会からの命令に違反 | 6月以下の懲役又は30万円以下の罰金 |\n");
	struct search s = { 0 };
	ck_assert_uint_eq(search_run(&s, &d, "懲役"), 2);
	ck_assert_uint_eq(s.hits[0].cell, 5);
	ck_assert_uint_eq(s.hits[0].pos, 1);
	ck_assert_uint_eq(s.hits[1].cell, 8);
	ck_assert_uint_eq(s.hits[1].pos, 2);
	for (int w = 20; w <= 120; w += 10) {
		struct layout lo;
		layout_page(&lo, &d, 0, w);
		for (size_t k = 0; k < s.nhits; k++)
			check_hit_shown(&d, &s, &lo, k);
		layout_free(&lo);
	}
	/* A header cell: in columns once, stacked on each row's "処罰など: ". */
	ck_assert_uint_eq(search_run(&s, &d, "処罰"), 1);
	struct layout lo;
	layout_page(&lo, &d, 0, 30);
	size_t shown = 0;
	for (size_t i = 0; i < lo.nlines; i++) {
		struct search_span sp[4];
		size_t n = search_line_spans(&s, &lo, 0, i, sp, 4);
		for (size_t j = 0; j < n; j++) {
			ck_assert_int_eq(strncmp(lo.lines[i].text + sp[j].start, "処罰", strlen("処罰")),
			                 0);
			shown++;
		}
	}
	ck_assert_uint_eq(shown, 2);
	check_hit_shown(&d, &s, &lo, 0);
	layout_free(&lo);
	search_free(&s);
	doc_free(&d);
}
END_TEST

Suite *search_suite(void)
{
	Suite *s = suite_create("search");
	TCase *tc = tcase_create("search");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, NULL, teardown_content);
	tcase_add_test(tc, phrase_across_a_line_break);
	tcase_add_test(tc, every_occurrence_is_found_and_shown);
	tcase_add_loop_test(tc, spans_exact_at_every_width, 0, 4);
	tcase_add_test(tc, width_and_case_fold);
	tcase_add_test(tc, nothing_found);
	tcase_add_test(tc, find_next_and_previous);
	tcase_add_test(tc, frames_lists_items_and_titles);
	tcase_add_test(tc, table_cells_in_columns_and_stacked);
	suite_add_tcase(s, tc);
	return s;
}
