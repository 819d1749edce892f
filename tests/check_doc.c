/*
 * check_doc: the content parser on good and bad files.  Every bad input
 * must give a diagnostic naming the right file and line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
#include "suites.h"

static struct doc parse(const char *text)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	doc_parse_buffer(&d, "ch.txt", text, strlen(text));
	doc_finish(&d);
	return d;
}

static const char good[] =
	"\xEF\xBB\xBF// a comment\r\n"
	"@chapter 3. 経営者は何をやらなければならないのか\r\n"
	"@page principle-1 原則1 情報セキュリティ対策は経営者のリーダーシップで進める\n"
	"経営者は、IT活用を推進する中で\n"
	"情報セキュリティ対策の重要性を認識します[^1]。\n"
	"Latin words\n"
	"joined\n"
	"\n"
	"## チェックリスト\n"
	"@group principle-1 principle 情報セキュリティ対策は経営者のリーダーシップで進める\n"
	"[ ] p1-1 経営者自身が\n"
	"  理解した。\n"
	"[ ] p1-2 主導している。\n"
	"\n"
	"- 箇条書き\n"
	"(1) 番号付き\n"
	"1. 番号付き\n"
	"=> principle-2 次へ\n"
	"=> principle-2\n"
	"\n"
	"[^1]: 注です。\n"
	"@aside 情報セキュリティガバナンス\n"
	"枠の中の文。\n"
	"@end\n"
	"@page principle-2 原則2 委託先の情報セキュリティ対策まで考慮する\n"
	"| a | b |\n"
	"|---|---|\n"
	"| 1 |  |\n";

START_TEST(parses_a_good_chapter)
{
	struct doc d = parse(good);
	for (size_t i = 0; i < d.ndiags; i++)
		fprintf(stderr, "%s:%d: %s\n", d.diags[i].file, d.diags[i].line, d.diags[i].msg);
	ck_assert_uint_eq(d.ndiags, 0);
	ck_assert_uint_eq(d.nchapters, 1);
	ck_assert_str_eq(d.chapters[0].title, "3. 経営者は何をやらなければならないのか");
	ck_assert_uint_eq(d.npages, 2);
	ck_assert_int_eq(doc_find_page(&d, "principle-2"), 1);
	const struct page *p = &d.pages[0];
	ck_assert_str_eq(p->title, "原則1 情報セキュリティ対策は経営者のリーダーシップで進める");

	/* Japanese lines join directly, footnote references become (注N), Latin lines get a space. */
	ck_assert_int_eq(p->blocks[0].kind, BLOCK_PARA);
	ck_assert_str_eq(
		p->blocks[0].text,
		"経営者は、IT活用を推進する中で情報セキュリティ対策の重要性を認識します(注1)。Latin words joined");
	ck_assert_int_eq(p->blocks[1].kind, BLOCK_HEADING);
	ck_assert_int_eq(p->blocks[1].level, 2);

	/* Items, their group and their continuation lines. */
	ck_assert_uint_eq(d.ngroups, 1);
	ck_assert_int_eq(d.groups[0].kind, GROUP_PRINCIPLE);
	ck_assert_uint_eq(d.groups[0].nitems, 2);
	ck_assert_uint_eq(d.nitems, 2);
	ck_assert_str_eq(d.items[0].id, "p1-1");
	ck_assert_str_eq(d.items[0].text, "経営者自身が理解した。");
	ck_assert_int_eq(d.items[0].line, 11);
	ck_assert_int_eq(d.items[0].question, 0);

	/* Lists, links (with a default label), footnote and aside. */
	int kinds[16] = { 0 };
	for (size_t b = 0; b < p->nblocks; b++)
		kinds[p->blocks[b].kind]++;
	ck_assert_int_eq(kinds[BLOCK_BULLET], 1);
	ck_assert_int_eq(kinds[BLOCK_NUMBERED], 2);
	ck_assert_int_eq(kinds[BLOCK_LINK], 2);
	ck_assert_int_eq(kinds[BLOCK_FOOTNOTE], 1);
	ck_assert_int_eq(kinds[BLOCK_ASIDE_BEGIN], 1);
	ck_assert_int_eq(kinds[BLOCK_ASIDE_END], 1);
	for (size_t b = 0; b < p->nblocks; b++)
		if (p->blocks[b].kind == BLOCK_LINK) {
			ck_assert_int_eq(p->blocks[b].target, 1);
			ck_assert(p->blocks[b].text[0] != '\0');
		}

	/* The table: header and one row with an empty cell. */
	const struct block *t = &d.pages[1].blocks[0];
	ck_assert_int_eq(t->kind, BLOCK_TABLE);
	ck_assert_uint_eq(t->ncols, 2);
	ck_assert_uint_eq(t->nrows, 2);
	ck_assert_str_eq(t->cells[2], "1");
	ck_assert_str_eq(t->cells[3], "");
	doc_free(&d);
}
END_TEST

/* One bad input and the line its diagnostic must name. */
struct bad_case {
	const char *text;
	int line;
	const char *says;
};

static const struct bad_case bad_cases[] = {
	{ "@chapter c\n@page a t\n@page a t2\n", 3, "used twice" },
	{ "@chapter c\n@page a t\n\n=> nosuch リンク\n", 4, "does not exist" },
	{ "@chapter c\n@page a t\n[ ] x-1 group がない\n", 3, "not in a group" },
	{ "@chapter c\n@page a t\nok\nbad \xFF byte\n", 4, "invalid UTF-8" },
	{ "@chapter c\n@page a t\n\nesc \x1b[31m\n", 4, "control byte" },
	{ "@chapter c\n@page a t\n@frobnicate\n", 3, "unknown directive" },
	{ "@chapter c\n@page a t\n@aside box\ntext\n", 3, "not closed" },
	{ "@chapter c\n@page a t\n@group g widget 題\n", 3, "unknown group kind" },
	{ "@chapter c\n@page a t\n本文[^9]。\n", 3, "no definition" },
	{ "@chapter c\n@page a t\n| a | b |\n| 1 |\n", 4, "cells" },
	{ "@chapter c\n本文\n", 2, "before the first @page" },
	{ "@chapter c\n@page a t\n@group g action 取組\n", 2, "no checklist items" },
	{ "@page a t\n", 1, "no @chapter" },
	{ "@chapter c\n@page a t\n@end\n", 3, "without an @aside" },
	{ "@chapter c\n@page a t\n@group g article 5か条\n[ ] i-1 one\n[ ] i-1 two\n", 5, "used twice" },
	{ "@chapter c\n@page bad/id t\n", 2, "needs an id" },
	/* 65 characters: one more than DOC_ID_MAX, the limit the answers file shares. */
	{ "@chapter c\n@page a t\n@group g article 5か条\n"
	  "[ ] i-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa text\n",
	  4, "needs an id" },
};

START_TEST(bad_input_names_file_and_line)
{
	const struct bad_case *c = &bad_cases[_i];
	struct doc d = parse(c->text);
	int found = 0;
	ck_assert_msg(d.ndiags > 0, "case %d: no diagnostic", _i);
	for (size_t i = 0; i < d.ndiags; i++) {
		ck_assert_str_eq(d.diags[i].file, "ch.txt");
		if (d.diags[i].line == c->line && strstr(d.diags[i].msg, c->says))
			found = 1;
	}
	ck_assert_msg(found, "case %d: expected line %d '%s', got %d '%s'", _i, c->line, c->says,
	              d.diags[0].line, d.diags[0].msg);
	doc_free(&d);
}
END_TEST

START_TEST(hostile_bytes_are_stored_visible)
{
	struct doc d = parse("@chapter c\n@page a \xE2\x80\xAEtitle\nesc\x1b]0;pwned\x07 here\n");
	ck_assert_str_eq(d.pages[0].title, "<U+202E>title");
	ck_assert_str_eq(d.pages[0].blocks[0].text, "esc^[]0;pwned^G here");
	doc_free(&d);
}
END_TEST

START_TEST(missing_directory)
{
	struct doc d;
	ck_assert_int_ne(doc_load(&d, "/nonexistent/mamori-content"), 0);
	ck_assert_uint_eq(d.ndiags, 1);
	ck_assert_str_eq(d.diags[0].file, "/nonexistent/mamori-content");
	doc_free(&d);
}
END_TEST

START_TEST(shipped_content_is_clean)
{
	struct doc d;
	int r = doc_load(&d, test_content_dir());
	for (size_t i = 0; i < d.ndiags; i++)
		fprintf(stderr, "%s:%d: %s\n", d.diags[i].file, d.diags[i].line, d.diags[i].msg);
	ck_assert_int_eq(r, 0);
	ck_assert_uint_gt(d.npages, 0);
	/* Group sizes come from the content: each principle and action has 3-6 items. */
	for (size_t g = 0; g < d.ngroups; g++)
		if (d.groups[g].kind == GROUP_PRINCIPLE || d.groups[g].kind == GROUP_ACTION)
			ck_assert_msg(d.groups[g].nitems >= 3 && d.groups[g].nitems <= 6,
			              "group %s has %zu items", d.groups[g].id, d.groups[g].nitems);
	doc_free(&d);
}
END_TEST

Suite *doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, parses_a_good_chapter);
	tcase_add_loop_test(tc, bad_input_names_file_and_line, 0,
	                    (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_test(tc, hostile_bytes_are_stored_visible);
	tcase_add_test(tc, missing_directory);
	tcase_add_test(tc, shipped_content_is_clean);
	suite_add_tcase(s, tc);
	return s;
}
