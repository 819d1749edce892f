/*
 * check_layout: line breaking (widths, kinsoku, URLs and Latin words),
 * tables, frames, hanging indents and keeping the reading place across a
 * reflow, on the real content and on sentences from the article.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "core/layout.h"
#include "core/text.h"
#include "suites.h"

/* Characters no line may begin with, and those no line may end with. */
static const char *const no_start[] = { "、", "。", "，", "．", "・", "：", "；", "？", "！", "ー", "」",
	                                "』", "）", "］", "｝", "〉", "》", "】", "ぁ", "ぃ", "ぅ", "ぇ",
	                                "ぉ", "っ", "ゃ", "ゅ", "ょ", "ゎ", "ァ", "ィ", "ゥ", "ェ", "ォ",
	                                "ッ", "ャ", "ュ", "ョ", "ヮ", "ヵ", "ヶ", NULL };
static const char *const no_end[] = { "「", "『", "（", "［", "｛", "〈", "《", "【", NULL };

/* Sentences from the article, chosen for their brackets, small kana and long runs. */
static const char *const sentences[] = {
	"営業秘密など事業に必要で組織にとって価値のある情報や、顧客や従業員の個人情報など管理責任を伴う情報のことです。経済的価値を指し「資産」を加え、「情報資産」と呼ばれることがあり、このガイドラインでも「重要情報」に加え「情報資産」と表記します。",
	"～情報セキュリティ対策は、経営に大きな影響を与えます～情報セキュリティ対策を実施して対外的にアピールすることで、企業としての信頼性を確保し、売上を伸ばしている企業がある一方、情報セキュリティ対策を疎かにしたために秘密情報や個人情報の漏えいを発生させ、業績は落ち込み、経営を揺るがしかねない高額な賠償金を支払った企業もあります。",
	"「SECURITY ACTION（セキュリティアクション）」は、中小企業自らが情報セキュリティ対策に取り組むことを自己宣言する制度です。",
	"ITシステム（電子メール、ウェブサーバー、ファイルサーバー、業務アプリケーションなど）に関する技術に詳しい人材がない場合、自社でシステムを構築・運用するよりも、外部サービスを利用した方が、コスト面から有利な場合があります。",
	"ある経営者は「個別の損害より、職場環境が暗くなったことが一番困った」と語っています。ッッッ！？ーー。",
	NULL
};

static int starts_with_any(const char *s, size_t len, const char *const *set)
{
	for (size_t k = 0; set[k]; k++)
		if (len >= strlen(set[k]) && memcmp(s, set[k], strlen(set[k])) == 0)
			return 1;
	return 0;
}

static int ends_with_any(const char *s, size_t len, const char *const *set)
{
	for (size_t k = 0; set[k]; k++) {
		size_t n = strlen(set[k]);
		if (len >= n && memcmp(s + len - n, set[k], n) == 0)
			return 1;
	}
	return 0;
}

/* Wrap s at width and check every rule; returns the number of lines. */
static size_t check_wrap(const char *s, size_t width)
{
	struct wrap_line *wl;
	size_t len = strlen(s);
	size_t n = layout_wrap(s, len, width, &wl);
	size_t total = 0;

	for (size_t k = 0; k < n; k++) {
		const char *l = s + wl[k].start;
		size_t w = text_width(l, wl[k].len);
		ck_assert_msg(w <= width, "line %zu is %zu columns at width %zu: %.*s", k, w, width,
		              (int)wl[k].len, l);
		if (k > 0)
			ck_assert_msg(!starts_with_any(l, wl[k].len, no_start),
			              "line begins with a kinsoku character at width %zu: %.*s", width,
			              (int)wl[k].len, l);
		if (k + 1 < n)
			ck_assert_msg(!ends_with_any(l, wl[k].len, no_end),
			              "line ends with an opening bracket at width %zu: %.*s", width,
			              (int)wl[k].len, l);
		total += wl[k].len;
	}
	/* Nothing is lost but the spaces at breaks. */
	size_t spaces = 0;
	for (size_t i = 0; i < len; i++)
		spaces += s[i] == ' ';
	ck_assert_uint_ge(total + spaces, len);
	free(wl);
	return n;
}

START_TEST(kinsoku_on_article_sentences)
{
	for (size_t k = 0; sentences[k]; k++)
		for (size_t w = 20; w <= 120; w++)
			check_wrap(sentences[k], w);
}
END_TEST

START_TEST(urls_and_words_stay_whole)
{
	const char *s = "詳細は https://www.ipa.go.jp/security/guide/sme/about.html をご覧ください。";
	struct wrap_line *wl;
	size_t n = layout_wrap(s, strlen(s), 60, &wl);
	int whole = 0;
	for (size_t k = 0; k < n; k++)
		whole |= memmem(s + wl[k].start, wl[k].len,
		                "https://www.ipa.go.jp/security/guide/sme/about.html",
		                strlen("https://www.ipa.go.jp/security/guide/sme/about.html")) != NULL;
	ck_assert_msg(whole, "a URL that fits the line was split");
	free(wl);

	const char *latin = "SECURITY ACTION is a self declaration by small companies";
	n = layout_wrap(latin, strlen(latin), 20, &wl);
	for (size_t k = 0; k < n; k++) {
		const char *l = latin + wl[k].start;
		/* Every line starts at a word start and ends at a word end. */
		ck_assert(wl[k].start == 0 || latin[wl[k].start - 1] == ' ');
		ck_assert(l[wl[k].len] == ' ' || l[wl[k].len] == '\0');
	}
	free(wl);

	/* Longer than the line: split, but still never wider. */
	check_wrap("https://www.example.com/a/very/long/path/that/cannot/fit/in/twenty/columns.html", 20);
}
END_TEST

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

/*
 * What each line says it shows of the block text (or a table cell, or the
 * title) is those bytes; and every block's text is shown whole, in order,
 * but for the spaces dropped at breaks.  Search relies on both to put a
 * hit on the screen.
 */
static void check_tail(const char *src, size_t next)
{
	for (size_t k = next; src && src[k]; k++)
		ck_assert_msg(src[k] == ' ', "block text lost at the end: %s", src + next);
}

static void check_sources(const struct page *pg, const struct layout *lo)
{
	int block = -2;
	size_t next = 0;
	const char *shown = NULL;

	for (size_t i = 0; i < lo->nlines; i++) {
		const struct line *l = &lo->lines[i];
		size_t tl = strlen(l->text);
		const struct block *b = l->block >= 0 ? &pg->blocks[l->block] : NULL;
		for (size_t k = 0; k < l->ncells; k++) {
			const struct line_cell *c = &l->cells[k];
			ck_assert_ptr_nonnull(b);
			ck_assert_int_eq(b->kind, BLOCK_TABLE);
			ck_assert_uint_lt(c->cell, b->nrows * b->ncols);
			ck_assert_uint_le(c->at + c->len, tl);
			ck_assert_uint_le(c->from + c->len, strlen(b->cells[c->cell]));
			ck_assert_int_eq(memcmp(l->text + c->at, b->cells[c->cell] + c->from, c->len), 0);
			if (k)
				ck_assert_uint_le(l->cells[k - 1].at + l->cells[k - 1].len, c->at);
		}
		if (!l->src_len)
			continue;
		const char *src = b ? b->text : pg->title;
		ck_assert_ptr_nonnull(src);
		ck_assert(!b || b->kind != BLOCK_TABLE);
		ck_assert_uint_le(l->src_at + l->src_len, tl);
		ck_assert_uint_le(l->pos + l->src_len, strlen(src));
		ck_assert_msg(memcmp(l->text + l->src_at, src + l->pos, l->src_len) == 0,
		              "line %zu does not show block text where it says: %s", i, l->text);
		if (l->block != block) {
			check_tail(shown, next);
			block = l->block;
			next = 0;
		}
		for (size_t k = next; k < l->pos; k++)
			ck_assert_msg(src[k] == ' ', "block text lost before line %zu: %s", i, l->text);
		next = l->pos + l->src_len;
		shown = src;
	}
	check_tail(shown, next);
}

START_TEST(real_content_every_width)
{
	load_content();
	for (size_t p = 0; p < content.npages; p++) {
		/* Paragraph texts wrap by the rules... */
		for (size_t b = 0; b < content.pages[p].nblocks; b++) {
			const struct block *bl = &content.pages[p].blocks[b];
			if (bl->kind == BLOCK_PARA && (_i == 20 || _i == 37 || _i == 80 || _i == 120))
				check_wrap(bl->text, (size_t)_i);
		}
		/* ...and whole pages, with tables, frames and indents, never overflow. */
		struct layout lo;
		ck_assert_int_eq(layout_page(&lo, &content, (int)p, _i), 0);
		for (size_t l = 0; l < lo.nlines; l++) {
			size_t w = text_width(lo.lines[l].text, strlen(lo.lines[l].text));
			ck_assert_msg(w <= (size_t)_i, "page %s line %zu: %zu columns at width %d: %s",
			              content.pages[p].id, l, w, _i, lo.lines[l].text);
		}
		check_sources(&content.pages[p], &lo);
		layout_free(&lo);
	}
}
END_TEST

static struct doc parse(const char *text)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	doc_parse_buffer(&d, "t.txt", text, strlen(text));
	doc_finish(&d);
	return d;
}

static const char table_src[] =
	"@chapter c\n@page p 表\n"
	"| 法令 | 条項 | 処罰など |\n|---|---|---|\n"
	"| 個人情報保護法 | 83条 個人情報データベース等不正提供罪 | 1年以下の懲役又は50万円以下の罰金 |\n"
	"| | 84条 委員会からの命令に違反 | 6月以下の懲役又は30万円以下の罰金 |\n";

START_TEST(table_columns_where_they_fit)
{
	struct doc d = parse(table_src);
	struct layout lo;
	ck_assert_uint_eq(d.ndiags, 0);
	layout_page(&lo, &d, 0, 80);
	int header = 0, rows = 0;
	for (size_t i = 0; i < lo.nlines; i++) {
		const char *t = lo.lines[i].text;
		ck_assert_uint_le(text_width(t, strlen(t)), 80);
		if (lo.lines[i].style == LINE_TABLE_HEAD && strstr(t, "法令") && strstr(t, " | "))
			header++;
		if (strstr(t, "83条") && strstr(t, " | "))
			rows++;
	}
	ck_assert_int_eq(header, 1);
	ck_assert_int_eq(rows, 1);
	layout_free(&lo);
	doc_free(&d);
}
END_TEST

START_TEST(table_stacks_when_narrow)
{
	struct doc d = parse(table_src);
	struct layout lo;
	layout_page(&lo, &d, 0, 30);
	int stacked = 0;
	for (size_t i = 0; i < lo.nlines; i++) {
		const char *t = lo.lines[i].text;
		ck_assert_uint_le(text_width(t, strlen(t)), 30);
		ck_assert_msg(!strstr(t, " | "), "a narrow table still has columns: %s", t);
		stacked += strncmp(t, "処罰など: ", strlen("処罰など: ")) == 0;
	}
	ck_assert_int_eq(stacked, 2);
	layout_free(&lo);
	doc_free(&d);
}
END_TEST

START_TEST(frames_are_ascii)
{
	struct doc d = parse("@chapter c\n@page p t\n@aside 情報セキュリティガバナンス\n"
	                     "経営者が企業戦略として情報セキュリティ向上に取り組むための枠組みです。\n\n"
	                     "- 方向付け\n@end\n\n本文[^1]。\n\n[^1]: 注の本文です。\n");
	struct layout lo;
	ck_assert_uint_eq(d.ndiags, 0);
	layout_page(&lo, &d, 0, 40);
	int framed = 0;
	for (size_t i = 0; i < lo.nlines; i++) {
		const char *t = lo.lines[i].text;
		if (t[0] == '+' || t[0] == '|') {
			framed++;
			ck_assert_uint_eq(text_width(t, strlen(t)), 40);
			ck_assert(t[strlen(t) - 1] == '+' || t[strlen(t) - 1] == '|');
		}
		/* No box-drawing (U+2500..257F) or block characters anywhere. */
		ck_assert(!strstr(t, "\xE2\x94") && !strstr(t, "\xE2\x95") && !strstr(t, "\xE2\x96"));
	}
	ck_assert_int_ge(framed, 7);
	layout_free(&lo);
	doc_free(&d);
}
END_TEST

START_TEST(lists_hang_under_their_marker)
{
	struct doc d = parse(
		"@chapter c\n@page p t\n"
		"- 取引先などから預かった機密情報や個人情報を万一漏えいさせてしまった場合は大きな損失です\n"
		"(1) 取引先などから預かった機密情報や個人情報を万一漏えいさせてしまった場合\n"
		"@group g action 取組\n"
		"[ ] a-1 取引先などから預かった機密情報や個人情報を万一漏えいさせてしまった場合\n");
	struct layout lo;
	ck_assert_uint_eq(d.ndiags, 0);
	layout_page(&lo, &d, 0, 30);
	for (size_t i = 0; i < lo.nlines; i++) {
		const struct line *l = &lo.lines[i];
		if (l->block < 0 || l->style == LINE_BLANK)
			continue;
		const struct block *b = &d.pages[0].blocks[l->block];
		size_t indent = b->kind == BLOCK_BULLET ? 3 : b->kind == BLOCK_NUMBERED ? 5 : 4;
		if (!l->first && l->pos > 0) {
			for (size_t k = 0; k < indent; k++)
				ck_assert_msg(l->text[k] == ' ', "continuation not indented: '%s'",
				              l->text);
			ck_assert(l->text[indent] != ' ');
		}
		if (b->kind == BLOCK_ITEM)
			ck_assert_int_eq(l->item, 0);
	}
	layout_free(&lo);
	doc_free(&d);
}
END_TEST

START_TEST(reflow_keeps_the_place)
{
	load_content();
	int p = doc_find_page(&content, "table-1");
	ck_assert_int_ge(p, 0);
	struct layout wide, narrow;
	layout_page(&wide, &content, p, 120);
	layout_page(&narrow, &content, p, 40);
	/* Take a line in the middle of the wide layout; after the reflow the top shows the same block. */
	for (size_t i = 0; i < wide.nlines; i += 3) {
		const struct line *l = &wide.lines[i];
		size_t top = layout_find_anchor(&narrow, l->block, l->pos);
		ck_assert_int_eq(narrow.lines[top].block, l->block);
		/* At or before the place, or the block's first line where it starts later here. */
		ck_assert(narrow.lines[top].pos <= l->pos || top == 0 ||
		          narrow.lines[top - 1].block != l->block);
		/* Never a blank line when the place was text. */
		if (l->style != LINE_BLANK)
			ck_assert_int_ne(narrow.lines[top].style, LINE_BLANK);
	}
	layout_free(&wide);
	layout_free(&narrow);
}
END_TEST

static void teardown_content(void)
{
	if (content_loaded) {
		doc_free(&content);
		content_loaded = 0;
	}
}

Suite *layout_suite(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("wrap");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, NULL, teardown_content);
	tcase_add_test(tc, kinsoku_on_article_sentences);
	tcase_add_test(tc, urls_and_words_stay_whole);
	tcase_add_loop_test(tc, real_content_every_width, 20, 121);
	tcase_add_test(tc, table_columns_where_they_fit);
	tcase_add_test(tc, table_stacks_when_narrow);
	tcase_add_test(tc, frames_are_ascii);
	tcase_add_test(tc, lists_hang_under_their_marker);
	tcase_add_test(tc, reflow_keeps_the_place);
	suite_add_tcase(s, tc);
	return s;
}
