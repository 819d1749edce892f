/*
 * check_reader: the page reader's logic without a terminal: scrolling and
 * its clamps, "page down never leaves a heading on the last row", focus
 * moves, following links and going back, "next question" across pages,
 * keeping the place over a reflow, and searching (across wrapped lines,
 * width folding, wrapping round, no hit), on the real content and on
 * small pages built for the case.
 */
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "core/reader.h"
#include "suites.h"

static struct doc content;

static void load_content(void)
{
	memset(&content, 0, sizeof content);
	ck_assert_int_eq(doc_load(&content, test_content_dir()), 0);
}

static void free_content(void)
{
	doc_free(&content);
}

static struct doc parse(const char *text)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	doc_parse_buffer(&d, "ch.txt", text, strlen(text));
	ck_assert_int_eq(doc_finish(&d), 0);
	return d;
}

/* Lines on screen joined, for "is this on screen" checks. */
static char *screen_text(const struct reader *r)
{
	size_t len = 1, h = reader_height(r);
	for (size_t i = r->top; i < r->lo.nlines && i < r->top + h; i++)
		len += strlen(r->lo.lines[i].text) + 1;
	char *s = malloc(len);
	ck_assert_ptr_nonnull(s);
	s[0] = '\0';
	for (size_t i = r->top; i < r->lo.nlines && i < r->top + h; i++) {
		strcat(s, r->lo.lines[i].text);
		strcat(s, "\n");
	}
	return s;
}

static int on_screen(const struct reader *r, const char *needle)
{
	char *s = screen_text(r);
	int found = strstr(s, needle) != NULL;
	free(s);
	return found;
}

/* A long page: a heading, many paragraphs, links and items. */
static const char long_page[] = "@chapter 章\n"
				"@page one 一ページ目\n"
				"段落1\n\n段落2\n\n段落3\n\n段落4\n\n段落5\n\n段落6\n\n"
				"## 見出しA\n\n"
				"段落7\n\n段落8\n\n段落9\n\n段落10\n\n段落11\n\n段落12\n\n"
				"=> two 二へ\n"
				"@group g1 principle 原則\n"
				"[ ] i1 項目一\n"
				"[ ] i2 項目二\n"
				"@page two 二ページ目\n"
				"本文\n"
				"=> one 一へ\n";

START_TEST(test_scroll_clamps)
{
	struct doc d = parse(long_page);
	struct reader r;
	reader_init(&r, &d);
	reader_set_view(&r, 40, 8, 1);
	reader_open(&r, 0, 0);
	ck_assert_uint_eq(r.top, 0);
	reader_scroll(&r, -3);
	ck_assert_uint_eq(r.top, 0);
	reader_scroll(&r, 2);
	ck_assert_uint_eq(r.top, 2);
	reader_end(&r);
	ck_assert_uint_eq(r.top, r.lo.nlines - 8);
	ck_assert(reader_at_end(&r));
	reader_scroll(&r, 5);
	ck_assert_uint_eq(r.top, r.lo.nlines - 8);
	reader_home(&r);
	ck_assert_uint_eq(r.top, 0);
	reader_page_down(&r);
	ck_assert(r.top > 0 && r.top <= 8);
	reader_page_up(&r);
	ck_assert_uint_eq(r.top, 0);
	reader_free(&r);
	doc_free(&d);
}
END_TEST

/*
 * At every height, a page down never leaves a heading as the last thing on
 * the screen it leaves (only blank rows under it): the heading goes to the
 * top of the next screen, with its text.
 */
START_TEST(test_page_down_keeps_headings)
{
	struct doc d = parse(long_page);
	struct reader r;
	reader_init(&r, &d);
	int moved = 0;
	for (size_t h = 4; h < 30; h++) {
		reader_set_view(&r, 40, h, 0);
		reader_open(&r, 0, 0);
		for (int k = 0; k < 50 && !reader_at_end(&r); k++) {
			size_t before = r.top;
			reader_page_down(&r);
			ck_assert_msg(r.top > before, "page down moved at height %zu", h);
			size_t j = r.top;
			while (j > before + h / 2 + 1 && r.lo.lines[j - 1].style == LINE_BLANK)
				j--;
			ck_assert_msg(j - 1 <= before + h / 2 || r.lo.lines[j - 1].style != LINE_HEADING,
			              "a heading left at the bottom at height %zu", h);
			moved += r.top < before + h;
		}
	}
	/* The rule did something: some page downs went less than a screen. */
	ck_assert_int_gt(moved, 0);
	reader_free(&r);
	doc_free(&d);
}
END_TEST

START_TEST(test_focus_follow_back)
{
	struct doc d = parse(long_page);
	struct reader r;
	reader_init(&r, &d);
	reader_set_view(&r, 40, 10, 0);
	reader_open(&r, 0, 0);
	ck_assert_int_eq(reader_focused_link(&r), -1);
	/* The link is below the screen: Tab finds it and scrolls it into view. */
	ck_assert(reader_move_focus(&r, 1));
	ck_assert_int_eq(reader_focused_link(&r), 1);
	ck_assert((size_t)r.focus >= r.top && (size_t)r.focus < r.top + 10);
	ck_assert(reader_move_focus(&r, 1));
	ck_assert_int_eq(reader_focused_item(&r), doc_find_item(&d, "i1"));
	ck_assert(reader_move_focus(&r, 1));
	ck_assert_int_eq(reader_focused_item(&r), doc_find_item(&d, "i2"));
	ck_assert(!reader_move_focus(&r, 1));
	ck_assert_int_eq(reader_focused_item(&r), doc_find_item(&d, "i2"));
	ck_assert(reader_move_focus(&r, -1));
	ck_assert(reader_move_focus(&r, -1));
	ck_assert_int_eq(reader_focused_link(&r), 1);
	size_t top = r.top;
	int focus = r.focus;
	/* Follow, then back: the same place and focus. */
	reader_open(&r, reader_focused_link(&r), 1);
	ck_assert_int_eq(r.page, 1);
	ck_assert_uint_eq(r.top, 0);
	ck_assert(reader_back(&r));
	ck_assert_int_eq(r.page, 0);
	ck_assert_uint_eq(r.top, top);
	ck_assert_int_eq(r.focus, focus);
	ck_assert(!reader_back(&r));
	/* Scrolling the focus off the screen drops it. */
	reader_home(&r);
	ck_assert_int_eq(r.focus, -1);
	ck_assert(reader_first_item(&r));
	ck_assert_int_eq(reader_focused_item(&r), doc_find_item(&d, "i1"));
	reader_free(&r);
	doc_free(&d);
}
END_TEST

/* A reflow keeps the top block and the focus, at every pair of widths. */
START_TEST(test_reflow_keeps_place)
{
	load_content();
	int page = doc_find_page(&content, "to-owners");
	ck_assert_int_ge(page, 0);
	static const int widths[] = { 20, 40, 60, 80, 120, 200 };
	for (size_t a = 0; a < 6; a++)
		for (size_t b = 0; b < 6; b++) {
			struct reader r;
			reader_init(&r, &content);
			reader_set_view(&r, widths[a], 20, 1);
			reader_open(&r, page, 0);
			reader_scroll(&r, (long)r.lo.nlines / 2);
			if (r.lo.lines[r.top].style == LINE_BLANK)
				reader_scroll(&r, 1);
			struct reader_pos before = reader_here(&r);
			reader_set_view(&r, widths[b], 20, 1);
			struct reader_pos after = reader_here(&r);
			ck_assert_int_eq(after.page, before.page);
			if (!reader_at_end(&r))
				ck_assert_msg(after.block == before.block,
				              "block %d became %d, %d -> %d columns", before.block,
				              after.block, widths[a], widths[b]);
			reader_free(&r);
		}
	free_content();
}
END_TEST

START_TEST(test_next_question_crosses_pages)
{
	load_content();
	struct reader r;
	reader_init(&r, &content);
	reader_set_view(&r, 80, 23, 1);
	int item = doc_find_item(&content, "diag-05");
	ck_assert_int_ge(item, 0);
	reader_open(&r, content.items[item].page, 0);
	/* Focus No.5, the last of Part1: the next is the first of Part2, on its own page. */
	while (reader_focused_item(&r) != item)
		ck_assert(reader_move_focus(&r, 1));
	ck_assert(reader_height(&r) == 22);
	ck_assert(reader_next_question(&r));
	ck_assert_int_eq(reader_focused_item(&r), doc_find_item(&content, "diag-06"));
	ck_assert_int_eq(r.page, content.items[doc_find_item(&content, "diag-06")].page);
	ck_assert(reader_next_question(&r));
	ck_assert_int_eq(reader_focused_item(&r), doc_find_item(&content, "diag-07"));
	/* The last question has no next. */
	int last = doc_find_item(&content, "diag-25");
	reader_open(&r, content.items[last].page, 0);
	while (reader_focused_item(&r) != last)
		ck_assert(reader_move_focus(&r, 1));
	ck_assert(!reader_next_question(&r));
	reader_free(&r);
	free_content();
}
END_TEST

/* The phrase the issue names, split across two lines at 80 columns, is found and shown. */
START_TEST(test_search_across_lines)
{
	load_content();
	struct reader r;
	reader_init(&r, &content);
	reader_set_view(&r, 80, 23, 1);
	int page = doc_find_page(&content, "to-owners");
	reader_open(&r, page, 0);
	const char *phrase = "セキュリティ対策について、その考え方";
	/* At this width no single line holds the phrase: the old search could not find it. */
	int whole = 0;
	for (size_t i = 0; i < r.lo.nlines; i++)
		whole |= strstr(r.lo.lines[i].text, phrase) != NULL;
	ck_assert_msg(!whole, "the phrase is on one line now: the test no longer tests wrapping");
	ck_assert_int_ne(reader_search(&r, phrase), READER_NOT_FOUND);
	ck_assert_int_eq(r.page, page);
	ck_assert(r.searching);
	ck_assert_uint_ge(reader_hit_count(&r), 1);
	ck_assert_uint_eq(reader_hit_number(&r), 1);
	/* The hit's first part is on screen. */
	ck_assert(on_screen(&r, "セキュリティ対策"));
	reader_free(&r);
	free_content();
}
END_TEST

START_TEST(test_search_folds_width)
{
	load_content();
	struct reader r;
	reader_init(&r, &content);
	reader_set_view(&r, 80, 23, 1);
	static const char *const pairs[][2] = {
		{ "取組５", "取組5" },
		{ "ＩＰＡ", "IPA" },
		{ "ｾｷｭﾘﾃｨ", "セキュリティ" },
		{ "ipa", "IPA" },
	};
	for (size_t k = 0; k < 4; k++) {
		struct search plain = { 0 };
		size_t n = search_run(&plain, &content, pairs[k][1]);
		ck_assert_uint_gt(n, 0);
		ck_assert_int_ne(reader_search(&r, pairs[k][0]), READER_NOT_FOUND);
		ck_assert_uint_eq(reader_hit_count(&r), n);
		search_free(&plain);
	}
	reader_free(&r);
	free_content();
}
END_TEST

START_TEST(test_search_steps_and_wraps)
{
	load_content();
	struct reader r;
	reader_init(&r, &content);
	reader_set_view(&r, 80, 23, 1);
	reader_open(&r, 0, 0);
	ck_assert_int_eq(reader_search(&r, "情報セキュリティ"), READER_FOUND);
	size_t n = reader_hit_count(&r);
	ck_assert_uint_gt(n, 10);
	ck_assert_uint_eq(reader_hit_number(&r), 1);
	/* Forward through every hit, each on screen on its own page, then round to the first. */
	for (size_t k = 2; k <= n; k++) {
		ck_assert_int_eq(reader_search_next(&r, 1), READER_FOUND);
		ck_assert_uint_eq(reader_hit_number(&r), k);
		const struct search_hit *h = &r.search.hits[r.hit];
		ck_assert_int_eq(r.page, h->page);
		size_t line = search_hit_line(&r.search, &r.lo, (size_t)r.hit);
		ck_assert(line >= r.top && line < r.top + reader_height(&r));
	}
	ck_assert_int_eq(reader_search_next(&r, 1), READER_WRAPPED);
	ck_assert_uint_eq(reader_hit_number(&r), 1);
	ck_assert_int_eq(reader_search_next(&r, -1), READER_WRAPPED);
	ck_assert_uint_eq(reader_hit_number(&r), n);
	ck_assert_int_eq(reader_search_next(&r, -1), READER_FOUND);
	ck_assert_uint_eq(reader_hit_number(&r), n - 1);
	/* An empty pattern repeats the last search. */
	reader_open(&r, 0, 0);
	ck_assert_int_eq(reader_search(&r, ""), READER_FOUND);
	ck_assert_uint_eq(reader_hit_count(&r), n);
	ck_assert_uint_eq(reader_hit_number(&r), 1);
	reader_search_stop(&r);
	ck_assert(!r.searching);
	reader_free(&r);
	free_content();
}
END_TEST

START_TEST(test_search_not_found_stays)
{
	load_content();
	struct reader r;
	reader_init(&r, &content);
	reader_set_view(&r, 80, 23, 1);
	int page = doc_find_page(&content, "to-owners");
	reader_open(&r, page, 0);
	reader_scroll(&r, 5);
	size_t top = r.top, hist = r.nhistory;
	ck_assert_int_eq(reader_search(&r, "この語はどこにもありませんXYZ"), READER_NOT_FOUND);
	ck_assert_int_eq(r.page, page);
	ck_assert_uint_eq(r.top, top);
	ck_assert_uint_eq(r.nhistory, hist);
	ck_assert(!r.searching);
	ck_assert_uint_eq(reader_hit_count(&r), 0);
	/* With no search yet, an empty pattern finds nothing and moves nothing. */
	struct reader fresh;
	reader_init(&fresh, &content);
	ck_assert_int_eq(reader_search(&fresh, ""), READER_NOT_FOUND);
	ck_assert_int_eq(fresh.page, -1);
	reader_free(&fresh);
	reader_free(&r);
	free_content();
}
END_TEST

/* A hit on another page opens it and can be gone back from. */
START_TEST(test_search_other_page_back)
{
	struct doc d = parse(long_page);
	struct reader r;
	reader_init(&r, &d);
	reader_set_view(&r, 40, 10, 0);
	reader_open(&r, 0, 0);
	ck_assert_int_eq(reader_search(&r, "本文"), READER_FOUND);
	ck_assert_int_eq(r.page, 1);
	ck_assert(reader_back(&r));
	ck_assert_int_eq(r.page, 0);
	/* From the end of page two, the hit on page one is found by wrapping round. */
	reader_open(&r, 1, 0);
	reader_end(&r);
	ck_assert_int_eq(reader_search(&r, "段落1"), READER_WRAPPED);
	ck_assert_int_eq(r.page, 0);
	reader_free(&r);
	doc_free(&d);
}
END_TEST

Suite *reader_suite(void)
{
	Suite *s = suite_create("reader");
	TCase *tc = tcase_create("reader");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_scroll_clamps);
	tcase_add_test(tc, test_page_down_keeps_headings);
	tcase_add_test(tc, test_focus_follow_back);
	tcase_add_test(tc, test_reflow_keeps_place);
	tcase_add_test(tc, test_next_question_crosses_pages);
	tcase_add_test(tc, test_search_across_lines);
	tcase_add_test(tc, test_search_folds_width);
	tcase_add_test(tc, test_search_steps_and_wraps);
	tcase_add_test(tc, test_search_not_found_stays);
	tcase_add_test(tc, test_search_other_page_back);
	suite_add_tcase(s, tc);
	return s;
}
