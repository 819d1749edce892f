/*
 * check_doc: the content parser on good and bad files.  Every bad input
 * must give a diagnostic naming the right file and line.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/doc.h"
#include "core/explain.h"
#include "core/layout.h"
#include "core/text.h"
#include "core/util.h"
#include "suites.h"
#include "testutil.h"

/* One chapter named ch.txt, finished; *verdict (if not NULL) gets doc_finish's result. */
static struct doc parse_v(const char *text, int *verdict)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	doc_parse_buffer(&d, "ch.txt", text, strlen(text));
	int r = doc_finish(&d);
	if (verdict)
		*verdict = r;
	return d;
}

static struct doc parse(const char *text)
{
	return parse_v(text, NULL);
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

/* One bad input, the line its diagnostic must name, and whether it stops the reader. */
struct bad_case {
	const char *text;
	int line;
	const char *says;
	enum doc_severity severity;
};

#define E DOC_ERROR
#define W DOC_WARNING

static const struct bad_case bad_cases[] = {
	{ "@chapter c\n@page a t\n@page a t2\n", 3, "used twice", E },
	{ "@chapter c\n@page a t\n\n=> nosuch リンク\n", 4, "does not exist", W },
	{ "@chapter c\n@page a t\n[ ] x-1 group がない\n", 3, "not in a group", E },
	{ "@chapter c\n@page a t\nok\nbad \xFF byte\n", 4, "invalid UTF-8", W },
	{ "@chapter c\n@page a t\n\nesc \x1b[31m\n", 4, "control byte", W },
	{ "@chapter c\n@page a t\n@frobnicate\n", 3, "unknown directive", E },
	{ "@chapter c\n@page a t\n@aside box\ntext\n", 3, "not closed", W },
	{ "@chapter c\n@page a t\n@group g widget 題\n", 3, "unknown group kind", E },
	{ "@chapter c\n@page a t\n本文[^9]。\n", 3, "no definition", W },
	{ "@chapter c\n@page a t\n| a | b |\n| 1 |\n", 4, "cells", W },
	{ "@chapter c\n本文\n", 2, "before the first @page", E },
	{ "@chapter c\n@page a t\n@group g action 取組\n", 2, "no checklist items", W },
	{ "@page a t\n", 1, "no @chapter", W },
	{ "@chapter c\n@page a t\n@end\n", 3, "without an @aside", E },
	{ "@chapter c\n@page a t\n@group g article 5か条\n[ ] i-1 one\n[ ] i-1 two\n", 5, "used twice",
	  E },
	{ "@chapter c\n@page bad/id t\n", 2, "needs an id", E },
	/* 65 characters: one more than DOC_ID_MAX, the limit the answers file shares. */
	{ "@chapter c\n@page a t\n@group g article 5か条\n"
	  "[ ] i-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa text\n",
	  4, "needs an id", E },
};

START_TEST(bad_input_names_file_and_line)
{
	const struct bad_case *c = &bad_cases[_i];
	int verdict;
	struct doc d = parse_v(c->text, &verdict);
	int found = 0;
	ck_assert_msg(d.ndiags > 0, "case %d: no diagnostic", _i);
	for (size_t i = 0; i < d.ndiags; i++) {
		ck_assert_str_eq(d.diags[i].file, "ch.txt");
		if (d.diags[i].line == c->line && strstr(d.diags[i].msg, c->says)) {
			found = 1;
			ck_assert_msg(d.diags[i].severity == c->severity, "case %d: '%s' is an %s", _i,
			              d.diags[i].msg,
			              d.diags[i].severity == DOC_ERROR ? "error" : "warning");
		}
	}
	ck_assert_msg(found, "case %d: expected line %d '%s', got %d '%s'", _i, c->line, c->says,
	              d.diags[0].line, d.diags[0].msg);
	/* doc_finish's verdict follows the worst problem: an error stops the reader. */
	ck_assert_int_eq(verdict, d.nerrors ? -1 : 1);
	if (c->severity == DOC_ERROR)
		ck_assert_uint_gt(d.nerrors, 0);
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

/* 1 when s holds a byte a terminal acts on: C0, DEL, or a C1 control in UTF-8 (C2 80..9F). */
static int has_raw_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return 1;
	return 0;
}

#define HOSTILE_NAME "01-\x1b]0;PWNED\x07\x1b[2J\xC2\x9B.txt"

/* Every diagnostic's file and message, and every chapter title, are safe to print. */
static void assert_nothing_raw(const struct doc *d)
{
	for (size_t i = 0; i < d->ndiags; i++) {
		ck_assert_msg(!has_raw_control(d->diags[i].file), "diag %zu: raw byte in its file", i);
		ck_assert_msg(!has_raw_control(d->diags[i].msg), "diag %zu: raw byte in '%s'", i,
		              d->diags[i].msg);
	}
	for (size_t i = 0; i < d->nchapters; i++)
		ck_assert_msg(!has_raw_control(d->chapters[i].title), "chapter %zu: raw title", i);
	char *line = doc_problems_line(d);
	ck_assert_msg(!line || !has_raw_control(line), "raw byte in the problems line");
	free(line);
}

START_TEST(hostile_file_name_never_reaches_a_message_raw)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	/* The first use of the id is in the hostile file: "first at FILE" quotes it. */
	const char *a = "@page dup t\n";
	const char *b = "@chapter c\n@page dup t\n";
	doc_parse_buffer(&d, HOSTILE_NAME, a, strlen(a));
	doc_parse_buffer(&d, "02-b.txt", b, strlen(b));
	ck_assert_int_eq(doc_finish(&d), -1);
	int dup = 0;
	for (size_t i = 0; i < d.ndiags; i++)
		dup |= strstr(d.diags[i].msg,
		              "used twice (first at 01-^[]0;PWNED^G^[[2J<U+009B>.txt:1)") != NULL;
	ck_assert_msg(dup, "the duplicate names the first file, in visible form");
	assert_nothing_raw(&d);
	doc_free(&d);
}
END_TEST

START_TEST(hostile_file_name_in_a_content_directory)
{
	char *dir = testutil_tmpdir(NULL);
	char *p1 = testutil_path(dir, HOSTILE_NAME), *p2 = testutil_path(dir, "02-b.txt");
	ck_assert_int_eq(testutil_write(p1, "@page dup t\n", strlen("@page dup t\n")), 0);
	ck_assert_int_eq(testutil_write(p2, "@chapter c\n@page dup t\n",
	                                strlen("@chapter c\n@page dup t\n")),
	                 0);
	struct doc d;
	ck_assert_int_eq(doc_load(&d, dir), -1);
	ck_assert_uint_ge(d.ndiags, 2);
	assert_nothing_raw(&d);
	doc_free(&d);
	testutil_rmrf(dir);
	free(p1);
	free(p2);
	free(dir);
}
END_TEST

START_TEST(warnings_leave_the_content_usable)
{
	int verdict;
	struct doc d = parse_v("@chapter c\n@page a t\nesc \x1b[2J here\n=> nosuch リンク\n", &verdict);
	ck_assert_int_eq(verdict, 1);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_uint_eq(d.ndiags, 2);
	ck_assert_int_eq(d.npages, 1);
	char *line = doc_problems_line(&d);
	ck_assert_str_eq(line, "content has 2 problems; first: ch.txt:3: control byte 0x1B (shown as ^[)");
	free(line);
	doc_free(&d);

	/* An error is quoted first, wherever it is, and counted. */
	d = parse_v("@chapter c\n@page a t\nesc \x1b[2J\n@page a u\n", &verdict);
	ck_assert_int_eq(verdict, -1);
	line = doc_problems_line(&d);
	ck_assert_ptr_nonnull(strstr(line, "(1 error); first: ch.txt:4: page id 'a' is used twice"));
	free(line);
	doc_free(&d);

	d = parse("@chapter c\n@page a t\n");
	ck_assert_ptr_null(doc_problems_line(&d));
	doc_free(&d);
}
END_TEST

/*
 * A *.txt that is not a regular file is refused at once, by its type or
 * size, without reading it: a FIFO would hang, /dev/zero and a 10 GB sparse
 * file would fill memory.  The good file beside them is still read.
 */
START_TEST(only_regular_files_are_read)
{
	char *dir = testutil_tmpdir(NULL);
	char *goodf = testutil_path(dir, "00-good.txt"), *fifo = testutil_path(dir, "01-fifo.txt");
	char *zero = testutil_path(dir, "02-zero.txt"), *sub = testutil_path(dir, "03-dir.txt");
	char *sparse = testutil_path(dir, "04-sparse.txt");
	ck_assert_int_eq(testutil_write(goodf, "@chapter c\n@page a t\n",
	                                strlen("@chapter c\n@page a t\n")),
	                 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(symlink("/dev/zero", zero), 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	int fd = open(sparse, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)10 << 30), 0);
	close(fd);

	struct doc d;
	time_t t0 = time(NULL);
	ck_assert_int_eq(doc_load(&d, dir), -1);
	ck_assert_int_le(time(NULL) - t0, 1);
	const char *names[] = { "01-fifo.txt", "02-zero.txt", "03-dir.txt", "04-sparse.txt" };
	const char *says[] = { "a FIFO, not a regular file", "a device, not a regular file",
		               "a directory, not a regular file", "larger than 16 MiB" };
	for (size_t k = 0; k < 4; k++) {
		int found = 0;
		for (size_t i = 0; i < d.ndiags; i++) {
			size_t fl = strlen(d.diags[i].file), nl = strlen(names[k]);
			if (fl >= nl && strcmp(d.diags[i].file + fl - nl, names[k]) == 0 &&
			    d.diags[i].line == 0 && d.diags[i].severity == DOC_ERROR &&
			    strstr(d.diags[i].msg, says[k]))
				found = 1;
		}
		ck_assert_msg(found, "%s: no '%s' error", names[k], says[k]);
	}
	ck_assert_uint_eq(d.nerrors, 4);
	ck_assert_int_eq(doc_find_page(&d, "a"), 0);
	doc_free(&d);

	/* A symlink to a regular file is read like the file. */
	testutil_rmrf(dir);
	free(dir);
	dir = testutil_tmpdir(NULL);
	char *target = testutil_path(dir, "real"), *link = testutil_path(dir, "00-link.txt");
	ck_assert_int_eq(testutil_write(target, "@chapter c\n@page a t\n",
	                                strlen("@chapter c\n@page a t\n")),
	                 0);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(doc_load(&d, dir), 0);
	ck_assert_uint_eq(d.npages, 1);
	doc_free(&d);
	testutil_rmrf(dir);
	free(target);
	free(link);
	free(dir);
	free(goodf);
	free(fifo);
	free(zero);
	free(sub);
	free(sparse);
}
END_TEST

/* No *.txt at all: one error naming the directory (and, under UBSan, no qsort of NULL). */
START_TEST(directory_without_content_files)
{
	char *dir = testutil_tmpdir(NULL);
	char *readme = testutil_path(dir, "README.md");
	ck_assert_int_eq(testutil_write(readme, "x\n", strlen("x\n")), 0);
	struct doc d;
	ck_assert_int_eq(doc_load(&d, dir), -1);
	ck_assert_uint_ge(d.ndiags, 1);
	ck_assert_str_eq(d.diags[0].file, dir);
	ck_assert_ptr_nonnull(strstr(d.diags[0].msg, "no content files"));
	doc_free(&d);
	testutil_rmrf(dir);
	free(readme);
	free(dir);
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

/*
 * Ids are found by a search in an index sorted at load: ids that share
 * their first eight bytes or more, that end inside them or are a prefix
 * of another, in any order, each found as itself; an id used three times
 * is reported twice, each time naming the use just before it.
 */
START_TEST(every_id_is_found_whatever_it_shares)
{
	static const char *const ids[] = {
		"abcdefgh",   "abcdefg",  "abcdefghi", "abcdefgh-2", "abcdefgh-10", "abcdefgh-1",
		"b",          "a",        "A",         "Z9",         "abcdefgi",    "abcdefgg",
		"zzzzzzzzzz", "zzzzzzzz", "0",         "abcdefgh_",  "abcdefgh.",   "abc",
	};
	const size_t n = sizeof ids / sizeof ids[0];
	struct buf text = { 0 };

	buf_adds(&text, "@chapter c\n");
	for (size_t k = 0; k < n; k++)
		buf_printf(&text, "@page p-%s t\n@group g-%s article t\n[ ] %s one\n", ids[k], ids[k],
		           ids[k]);
	/* Groups found again by id once there are many (a table, not a scan). */
	buf_adds(&text, "@page p-last t\n@group g-abcdefgh\n[ ] last-item x\n@group g-b article again\n");
	struct doc d = parse(text.s);
	ck_assert_uint_eq(d.ndiags, 1);
	ck_assert_str_eq(d.diags[0].msg, "group id 'g-b' is declared twice");
	int last = doc_find_item(&d, "last-item");
	ck_assert_int_eq(last, (int)n);
	ck_assert_int_eq(d.items[last].group, 0);
	ck_assert_uint_eq(d.groups[0].nitems, 2);
	ck_assert_uint_eq(d.ngroups, n);
	for (size_t k = 0; k < n; k++) {
		char *pid = xasprintf("p-%s", ids[k]), *gid = xasprintf("g-%s", ids[k]);
		ck_assert_int_eq(doc_find_item(&d, ids[k]), (int)k);
		ck_assert_int_eq(doc_find_page(&d, pid), (int)k);
		ck_assert_int_eq(doc_find_group(&d, gid), (int)k);
		free(pid);
		free(gid);
	}
	ck_assert_int_eq(doc_find_item(&d, "abcdefgh-"), -1);
	ck_assert_int_eq(doc_find_item(&d, "abcdefghij"), -1);
	ck_assert_int_eq(doc_find_item(&d, ""), -1);
	doc_free(&d);
	buf_free(&text);

	d = parse("@chapter c\n@page abcdefghij t\n@page x t\n@page abcdefghij t\n"
	          "@page abcdefghij t\n");
	ck_assert_uint_eq(d.ndiags, 2);
	ck_assert_str_eq(d.diags[0].msg, "page id 'abcdefghij' is used twice (first at ch.txt:2)");
	ck_assert_int_eq(d.diags[0].line, 4);
	ck_assert_str_eq(d.diags[1].msg, "page id 'abcdefghij' is used twice (first at ch.txt:4)");
	ck_assert_int_eq(d.diags[1].line, 5);
	/* The other ids are still found, and the one used twice is found as one of its uses. */
	ck_assert_int_eq(doc_find_page(&d, "x"), 1);
	int twice = doc_find_page(&d, "abcdefghij");
	ck_assert(twice == 0 || twice == 2 || twice == 3);
	ck_assert_int_eq(doc_find_page(&d, "abcdefghi"), -1);
	doc_free(&d);

	/* Content added after a doc_finish is found (by a search) until the next one. */
	d = parse("@chapter c\n@page one t\n");
	doc_parse_buffer(&d, "ch2.txt", "@chapter d\n@page two t\n", strlen("@chapter d\n@page two t\n"));
	ck_assert_int_eq(doc_find_page(&d, "two"), 1);
	ck_assert_int_eq(doc_finish(&d), 0);
	ck_assert_int_eq(doc_find_page(&d, "two"), 1);
	ck_assert_int_eq(doc_find_page(&d, "one"), 0);
	doc_free(&d);
	/* The same with a sorted index (an id used twice): it is not searched past its end. */
	d = parse("@chapter c\n@page a t\n@page a t\n");
	static const char more[] = "@chapter d\n@page b t\n@page c t\n@page zz t\n";
	doc_parse_buffer(&d, "ch2.txt", more, sizeof more - 1);
	ck_assert_int_eq(doc_find_page(&d, "zz"), 4);
	ck_assert_int_eq(doc_find_page(&d, "b"), 2);
	ck_assert_int_eq(doc_find_page(&d, "nope"), -1);
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

/*
 * Explanations (@explain ITEM ... @end): a file of them parsed before the
 * chapter whose items they explain, and one inside a page.
 */
static const char explain_notes[] = "// 解説だけのファイル\n"
				    "@explain q-1\n"
				    "なぜ大切か。\n"
				    "続きの行。\n"
				    "\n"
				    "- 実施している：全部。\n"
				    "- 一部実施している：一部。\n"
				    "=> p2 関連ページ\n"
				    "@end\n";

static const char explain_chapter[] = "@chapter 診断\n"
				      "@page p1 設問\n"
				      "@group part1 diagnosis Part1\n"
				      "[ ] q-1 一つ目の設問？\n"
				      "[ ] q-2 二つ目の設問？\n"
				      "@explain q-2\n"
				      "ページの中の解説。\n"
				      "@end\n"
				      "ページの続き。\n"
				      "@page p2 次のページ\n"
				      "本文。\n";

static struct doc parse_explained(const char *notes, const char *chapter, int *verdict)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	doc_parse_buffer(&d, "notes.txt", notes, strlen(notes));
	doc_parse_buffer(&d, "ch.txt", chapter, strlen(chapter));
	*verdict = doc_finish(&d);
	return d;
}

START_TEST(explain_attaches_to_its_item)
{
	int verdict;
	struct doc d = parse_explained(explain_notes, explain_chapter, &verdict);
	for (size_t i = 0; i < d.ndiags; i++)
		fprintf(stderr, "%s:%d: %s\n", d.diags[i].file, d.diags[i].line, d.diags[i].msg);
	ck_assert_int_eq(verdict, 0);
	/* The notes file is not a chapter: the contents would show it empty. */
	ck_assert_uint_eq(d.nchapters, 1);
	ck_assert_str_eq(d.chapters[0].title, "診断");
	ck_assert_uint_eq(d.nexplains, 2);

	int q1 = doc_find_item(&d, "q-1"), q2 = doc_find_item(&d, "q-2");
	const struct explain *e1 = doc_item_explain(&d, q1), *e2 = doc_item_explain(&d, q2);
	ck_assert_ptr_nonnull(e1);
	ck_assert_ptr_nonnull(e2);
	ck_assert_int_eq(e1->item, q1);
	ck_assert_str_eq(e1->file, "notes.txt");
	ck_assert_int_eq(e1->line, 2);
	/* Ordinary body blocks: a joined paragraph, two bullets, a resolved link. */
	ck_assert_uint_eq(e1->nblocks, 4);
	ck_assert_int_eq(e1->blocks[0].kind, BLOCK_PARA);
	ck_assert_str_eq(e1->blocks[0].text, "なぜ大切か。続きの行。");
	ck_assert_int_eq(e1->blocks[1].kind, BLOCK_BULLET);
	ck_assert_int_eq(e1->blocks[2].kind, BLOCK_BULLET);
	ck_assert_int_eq(e1->blocks[3].kind, BLOCK_LINK);
	ck_assert_int_eq(e1->blocks[3].target, doc_find_page(&d, "p2"));

	/* Inside a page: the explanation takes its lines, the page keeps the rest. */
	ck_assert_str_eq(e2->file, "ch.txt");
	ck_assert_uint_eq(e2->nblocks, 1);
	ck_assert_str_eq(e2->blocks[0].text, "ページの中の解説。");
	const struct page *p1 = &d.pages[doc_find_page(&d, "p1")];
	ck_assert_uint_eq(p1->nblocks, 3); /* two items and the paragraph after @end */
	ck_assert_int_eq(p1->blocks[2].kind, BLOCK_PARA);
	ck_assert_str_eq(p1->blocks[2].text, "ページの続き。");

	ck_assert_ptr_null(doc_item_explain(&d, -1));
	ck_assert_ptr_null(doc_item_explain(&d, (int)d.nitems));
	doc_free(&d);
}
END_TEST

/* Each broken @explain, with the FILE:LINE its diagnostic must name. */
struct explain_bad_case {
	const char *notes;   /* parsed as notes.txt, before ch.txt */
	const char *chapter; /* ch.txt */
	const char *file;
	int line;
	const char *says;
	enum doc_severity severity;
};

#define EXPLAIN_CH "@chapter c\n@page p t\n@group g diagnosis D\n[ ] q-1 one\n[ ] q-2 two\n"

static const struct explain_bad_case explain_bad_cases[] = {
	/* An item that does not exist: its explanation could never be shown. */
	{ "@explain q-9\ntext\n@end\n", EXPLAIN_CH, "notes.txt", 1, "does not exist", E },
	/* Two for one item: which one is meant? */
	{ "@explain q-1\na\n@end\n@explain q-2\nb\n@end\n\n@explain q-1\nc\n@end\n", EXPLAIN_CH,
	  "notes.txt", 8, "a second @explain for item 'q-1' (first at notes.txt:1)", E },
	/* Not closed at the end of the file, or before the next @page. */
	{ "@explain q-1\ntext\n", EXPLAIN_CH, "notes.txt", 1, "not closed", E },
	{ "", EXPLAIN_CH "@explain q-1\ntext\n@page p2 t2\nbody\n", "ch.txt", 6, "not closed", E },
	/* A link inside that goes nowhere: shown as text, like one on a page. */
	{ "@explain q-1\ntext\n\n=> nosuch どこか\n@end\n", EXPLAIN_CH, "notes.txt", 4, "does not exist",
	  W },
	/* Once questions are explained, one left without is a gap. */
	{ "@explain q-1\ntext\n@end\n", EXPLAIN_CH, "ch.txt", 5, "question 'q-2' has no 解説", W },
	{ "@explain\ntext\n@end\n", EXPLAIN_CH, "notes.txt", 1, "needs the id", E },
	{ "@explain q-1\n[ ] q-3 設問\n@end\n", EXPLAIN_CH, "notes.txt", 2, "cannot stand inside", E },
	{ "@explain q-1\n@aside 枠\n@end\n", EXPLAIN_CH, "notes.txt", 2, "@aside inside @explain", E },
	{ "@explain q-1\n@explain q-2\n@end\n", EXPLAIN_CH, "notes.txt", 2, "inside an @explain", E },
	{ "@explain q-1\n\n@end\n", EXPLAIN_CH, "notes.txt", 1, "has no text", W },
	{ "@explain q-1\n本文[^3]。\n@end\n", EXPLAIN_CH, "notes.txt", 2, "no definition", W },
};

START_TEST(explain_errors_name_file_and_line)
{
	const struct explain_bad_case *c = &explain_bad_cases[_i];
	int verdict;
	struct doc d = parse_explained(c->notes, c->chapter, &verdict);
	int found = 0;
	for (size_t i = 0; i < d.ndiags; i++)
		if (strcmp(d.diags[i].file, c->file) == 0 && d.diags[i].line == c->line &&
		    strstr(d.diags[i].msg, c->says)) {
			found = 1;
			ck_assert_msg(d.diags[i].severity == c->severity, "case %d: '%s' is an %s", _i,
			              d.diags[i].msg,
			              d.diags[i].severity == DOC_ERROR ? "error" : "warning");
		}
	ck_assert_msg(found, "case %d: expected %s:%d '%s', got %zu diagnostics, first %s:%d '%s'", _i,
	              c->file, c->line, c->says, d.ndiags, d.ndiags ? d.diags[0].file : "-",
	              d.ndiags ? d.diags[0].line : 0, d.ndiags ? d.diags[0].msg : "-");
	ck_assert_int_eq(verdict, d.nerrors ? -1 : 1);
	doc_free(&d);
}
END_TEST

/* Content that explains no question is not held to the rule (older content, small fixtures). */
START_TEST(explain_rule_only_once_questions_are_explained)
{
	int verdict;
	struct doc d = parse_v(EXPLAIN_CH, &verdict);
	ck_assert_int_eq(verdict, 0);
	ck_assert_ptr_null(doc_item_explain(&d, 0));
	doc_free(&d);
}
END_TEST

/* The lines a reader or --dump shows for an explanation, at a width. */
START_TEST(explain_layout_frames_and_fits)
{
	int verdict;
	struct doc d = parse_explained(explain_notes, explain_chapter, &verdict);
	struct layout lo;
	int q1 = doc_find_item(&d, "q-1");

	for (int width = 20; width <= 60; width += 7) {
		ck_assert_int_eq(explain_layout(&lo, &d, q1, width), 1);
		ck_assert_uint_gt(lo.nlines, 4);
		/* A frame around it, titled, nothing of a page's title or blank lines around. */
		ck_assert_int_eq(lo.lines[0].style, LINE_FRAME);
		ck_assert_int_eq(lo.lines[lo.nlines - 1].style, LINE_FRAME);
		ck_assert_ptr_nonnull(strstr(lo.lines[1].text, EXPLAIN_TITLE));
		int link = 0, para = 0;
		for (size_t i = 0; i < lo.nlines; i++) {
			const struct line *l = &lo.lines[i];
			ck_assert_uint_le(text_width(l->text, strlen(l->text)), (size_t)width);
			ck_assert(l->block >= -1 && l->block < (int)doc_item_explain(&d, q1)->nblocks);
			link |= l->link == doc_find_page(&d, "p2");
			para |= l->block == 0;
		}
		ck_assert_msg(link, "width %d: the link line keeps its target", width);
		ck_assert_msg(para, "width %d: the paragraph is block 0", width);
		layout_free(&lo);
	}
	/* An item without one: nothing, and nothing to free. */
	d.items[q1].explain = -1;
	ck_assert_int_eq(explain_layout(&lo, &d, q1, 40), 0);
	ck_assert_uint_eq(lo.nlines, 0);
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
	tcase_add_test(tc, hostile_file_name_never_reaches_a_message_raw);
	tcase_add_test(tc, hostile_file_name_in_a_content_directory);
	tcase_add_test(tc, warnings_leave_the_content_usable);
	tcase_add_test(tc, only_regular_files_are_read);
	tcase_add_test(tc, directory_without_content_files);
	tcase_add_test(tc, every_id_is_found_whatever_it_shares);
	tcase_add_test(tc, shipped_content_is_clean);
	tcase_add_test(tc, explain_attaches_to_its_item);
	tcase_add_loop_test(tc, explain_errors_name_file_and_line, 0,
	                    (int)(sizeof explain_bad_cases / sizeof explain_bad_cases[0]));
	tcase_add_test(tc, explain_rule_only_once_questions_are_explained);
	tcase_add_test(tc, explain_layout_frames_and_fits);
	suite_add_tcase(s, tc);
	return s;
}
