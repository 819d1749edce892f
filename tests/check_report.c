/*
 * check_report: the one model of `mamori --report` and its text, Markdown
 * and CSV writers.  The model on fixture answer files (empty, full,
 * partial, with notes, with unknown ids and unreadable lines, with a
 * previous session); the company line of the answers file; the 解説's
 * はじめの一歩 from the real content; text that never passes its width;
 * CSV that a spreadsheet reads back one row per item; files written 0600
 * and never over an existing one without force.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/layout.h"
#include "core/report_model.h"
#include "core/report_write.h"
#include "core/text.h"
#include "docfix.h"
#include "suites.h"
#include "testutil.h"

/* A fixed moment, so the model is the same on every run: 2026-11-25 00:30 UTC. */
#define T0 ((time_t)1795566600)

/* principle p1 (3 items), article art (2), diagnosis part d (4 questions), policy pol (1). */
static void build(struct doc *d)
{
	memset(d, 0, sizeof *d);
	docfix_items(d, "p1", docfix_group(d, "principle-1", GROUP_PRINCIPLE, "原則1"), 3);
	docfix_items(d, "art", docfix_group(d, "articles", GROUP_ARTICLE, "5か条"), 2);
	int g = docfix_group(d, "diag-part1", GROUP_DIAGNOSIS, "Part1");
	docfix_item(d, "q1", g, "No.1 更新していますか？");
	docfix_item(d, "q2", g, "No.2 ウイルス対策をしていますか？");
	docfix_item(d, "q3", g, "No.3 パスワードは強いですか？");
	docfix_item(d, "q4", g, "No.4 共有設定を確かめましたか？");
	docfix_items(d, "pol", docfix_group(d, "policy", GROUP_POLICY, "基本方針"), 1);
	for (size_t i = 0; i < d->nitems; i++)
		d->items[i].explain = -1;
}

static void parse(struct answers *a, const struct doc *d, const char *text)
{
	ck_assert_int_eq(answers_parse_buffer(a, "t.txt", text, strlen(text), d), 0);
}

static void model_of(struct report_model *m, const struct doc *d, const struct answers *a,
                     const struct answers *prev)
{
	struct report_input in = { d, a, prev, prev ? "2026-10-25" : NULL, "2026-11-25", NULL, T0 };
	report_model_build(m, &in);
}

/* The writer's output for m, as a string the caller frees. */
static char *written(const struct report_model *m, enum report_format f, int width, int cp932, size_t *len)
{
	char *out = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&out, &n);
	struct report_options o = { width, cp932 };
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(report_write(fp, m, f, &o), 0);
	fclose(fp);
	if (len)
		*len = n;
	return out;
}

static const char FULL[] = "mamori-answers 1\n"
			   "p1-1 done -\np1-2 done -\np1-3 done -\nart-1 done -\nart-2 done -\n"
			   "q1 yes -\nq2 yes -\nq3 yes -\nq4 yes -\npol-1 done -\n";

START_TEST(test_empty)
{
	struct doc d;
	struct report_model m;
	build(&d);
	model_of(&m, &d, NULL, NULL);
	/* Nothing answered is 未回答, not the lowest band. */
	ck_assert_uint_eq(m.questions, 4);
	ck_assert_uint_eq(m.answered, 0);
	ck_assert_int_eq(m.band, PROGRESS_BAND_NONE);
	ck_assert_str_eq(m.band_title, "未回答");
	ck_assert_int_eq(m.star1, 0);
	ck_assert_int_eq(m.star2, 0);
	ck_assert_uint_eq(m.nimprove, 0);
	/* Every checklist item is unticked, no question is. */
	ck_assert_uint_eq(m.nunticked, 6);
	ck_assert_uint_eq(m.nnotes, 0);
	ck_assert_int_eq(m.has_prev, 0);
	ck_assert_uint_eq(m.nstrays, 0);
	ck_assert_str_eq(m.company, "");
	ck_assert_uint_eq(m.nitems, d.nitems);
	/* The two stars lack the articles by title and the open questions as one count. */
	int counted = 0;
	for (size_t i = 0; i < m.nlacks; i++)
		if (m.lacks[i].count) {
			ck_assert_uint_eq(m.lacks[i].count, 4);
			ck_assert_int_eq(m.lacks[i].stars, 2);
			counted++;
		}
	ck_assert_int_eq(counted, 1);
	ck_assert_str_eq(m.lacks[0].title, "項目 art-1");
	ck_assert_str_eq(m.lacks[0].reason, "未実施");
	report_model_free(&m);
	doc_free(&d);
}
END_TEST

START_TEST(test_full)
{
	struct doc d;
	struct answers a;
	struct report_model m;
	build(&d);
	parse(&a, &d, FULL);
	model_of(&m, &d, &a, NULL);
	ck_assert_int_eq(m.score, 100);
	ck_assert_int_eq(m.band, PROGRESS_BAND_FULL);
	ck_assert_str_eq(m.band_title, progress_band_title(PROGRESS_BAND_FULL));
	ck_assert_str_eq(m.band_advice, progress_band_advice(PROGRESS_BAND_FULL));
	ck_assert_int_eq(m.star1, 1);
	ck_assert_int_eq(m.star2, 1);
	ck_assert_uint_eq(m.nlacks, 0);
	ck_assert_uint_eq(m.nimprove, 0);
	ck_assert_uint_eq(m.nunticked, 0);
	ck_assert_uint_eq(m.done, m.applicable);
	for (size_t g = 0; g < m.ngroups; g++)
		ck_assert_int_eq(m.groups[g].percent, 100);
	/* A question's number is taken off its text into its own field. */
	ck_assert_int_eq(m.items[5].number, 1);
	ck_assert_str_eq(m.items[5].text, "更新していますか？");
	ck_assert_int_eq(m.items[5].points, 4);
	ck_assert_str_eq(m.items[5].state_name, "実施している");
	report_model_free(&m);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_partial_worst_first)
{
	struct doc d;
	struct answers a;
	struct report_model m;
	build(&d);
	parse(&a, &d,
	      "mamori-answers 1\np1-1 done -\np1-2 na -\nart-1 todo -\n"
	      "q1 partly -\nq2 no -\nq3 unknown -\nq4 yes -\n");
	model_of(&m, &d, &a, NULL);
	ck_assert_uint_eq(m.answered, 4);
	ck_assert_int_eq(m.score, (2 + 0 - 1 + 4) * 100 / 16);
	/* 実施していない, then わからない, then 一部実施している; yes is not there. */
	ck_assert_uint_eq(m.nimprove, 3);
	ck_assert_str_eq(m.items[m.improve[0].item].id, "q2");
	ck_assert_str_eq(m.items[m.improve[1].item].id, "q3");
	ck_assert_str_eq(m.items[m.improve[2].item].id, "q1");
	ck_assert_str_eq(m.improve[0].first_step, "");
	/* Unticked: neither done nor 該当しない (p1-3, art-1, art-2, pol-1). */
	ck_assert_uint_eq(m.nunticked, 4);
	ck_assert_str_eq(m.items[m.unticked[0]].id, "p1-3");
	/* The principle's bar leaves its 該当しない item out of applicable. */
	ck_assert_uint_eq(m.groups[0].done, 1);
	ck_assert_uint_eq(m.groups[0].applicable, 2);
	ck_assert_uint_eq(m.groups[0].na, 1);
	ck_assert_int_eq(m.groups[0].percent, 50);
	report_model_free(&m);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_notes_and_strays)
{
	struct doc d;
	struct answers a;
	struct report_model m;
	build(&d);
	parse(&a, &d,
	      "mamori-answers 1\n"
	      "q2 no - 担当者に聞く\n"
	      "p1-1 done - <script>alert(1)</script> \\x1b[31m\n"
	      "gone-1 done - 消えた項目\n"
	      "this line is nonsense\n");
	model_of(&m, &d, &a, NULL);
	/* Notes in content order, as typed (a writer escapes), controls made visible. */
	ck_assert_uint_eq(m.nnotes, 2);
	ck_assert_str_eq(m.items[m.notes[0].item].id, "p1-1");
	const char *note = m.items[m.notes[0].item].note;
	ck_assert_ptr_nonnull(strstr(note, "<script>"));
	ck_assert_ptr_null(strchr(note, '\x1b'));
	ck_assert_str_eq(m.items[m.notes[1].item].note, "担当者に聞く");
	ck_assert_str_eq(m.items[m.notes[1].item].owner, "");
	/* Nothing left out silently: the unknown id and the unreadable line, with their lines. */
	ck_assert_uint_eq(m.nstrays, 2);
	ck_assert_int_eq(m.strays[0].known, 1);
	ck_assert_str_eq(m.strays[0].id, "gone-1");
	ck_assert_int_eq(m.strays[0].line, 4);
	ck_assert_ptr_nonnull(strstr(m.strays[0].text, "消えた項目"));
	ck_assert_int_eq(m.strays[1].known, 0);
	ck_assert_int_eq(m.strays[1].line, 5);
	ck_assert_str_eq(m.strays[1].text, "this line is nonsense");
	report_model_free(&m);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_previous_session)
{
	struct doc d;
	struct answers a, prev;
	struct report_model m;
	build(&d);
	parse(&prev, &d, "mamori-answers 1\np1-1 done -\nq1 no -\nq2 no -\n");
	parse(&a, &d, "mamori-answers 1\np1-1 done -\np1-2 done -\nq1 yes -\nq2 no -\nart-1 na -\n");
	model_of(&m, &d, &a, &prev);
	ck_assert_int_eq(m.has_prev, 1);
	ck_assert_str_eq(m.prev_name, "2026-10-25");
	/* Item by item: what changed, from what to what; q2 and p1-1 did not change. */
	ck_assert_uint_eq(m.nchanges, 3);
	ck_assert_str_eq(m.items[m.changes[0].item].id, "p1-2");
	ck_assert_str_eq(m.changes[0].from_name, "未回答");
	ck_assert_str_eq(m.changes[0].to_name, "実施済み");
	ck_assert_str_eq(m.items[m.changes[1].item].id, "art-1");
	ck_assert_str_eq(m.changes[1].to_name, "該当しない");
	ck_assert_str_eq(m.items[m.changes[2].item].id, "q1");
	ck_assert_str_eq(m.changes[2].from_name, "実施していない");
	ck_assert_str_eq(m.changes[2].to_name, "実施している");
	/* Per group: the principle gained one. */
	ck_assert_int_eq(m.groups[0].has_prev, 1);
	ck_assert_int_eq(m.groups[0].delta, 1);
	ck_assert_int_eq(m.has_prev_score, 1);
	ck_assert_int_eq(m.prev_score, 0);
	ck_assert_int_eq(m.score, 25);
	/* The text names the change by title, never by a bare id. */
	char *text = written(&m, REPORT_TEXT, 80, 0, NULL);
	ck_assert_ptr_nonnull(strstr(text, "前回からの変化"));
	ck_assert_ptr_nonnull(strstr(text, "更新していますか？：実施していない → 実施している"));
	ck_assert_ptr_nonnull(strstr(text, "前回比"));
	free(text);
	report_model_free(&m);
	answers_close(&a);
	answers_close(&prev);
	doc_free(&d);
}
END_TEST

START_TEST(test_company_line)
{
	struct doc d;
	struct answers a;
	struct report_model m;
	char *out;
	size_t len;
	build(&d);
	parse(&a, &d, "mamori-answers 1\ncompany  株式会社サンプル \np1-1 done -\n");
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_str_eq(a.company, "株式会社サンプル");
	model_of(&m, &d, &a, NULL);
	ck_assert_str_eq(m.company, "株式会社サンプル");
	report_model_free(&m);
	/* Written as format 2 (a save writes the current format), the company after the header. */
	ck_assert_int_eq(answers_serialize(&a, &out, &len), 0);
	ck_assert_int_eq(strncmp(out, "mamori-answers 2\n", 17), 0);
	ck_assert_ptr_nonnull(strstr(out, "\ncompany 株式会社サンプル\np1-1 done -\n"));
	free(out);
	answers_format_set_company(&a, NULL);
	ck_assert_int_eq(answers_serialize(&a, &out, &len), 0);
	ck_assert_ptr_null(strstr(out, "company"));
	free(out);
	/* A name with a line break cannot add a line: it is escaped as a note is. */
	answers_format_set_company(&a, "A社\nq1 yes -");
	ck_assert_int_eq(answers_serialize(&a, &out, &len), 0);
	answers_close(&a);
	parse(&a, &d, out);
	ck_assert_str_eq(a.company, "A社\nq1 yes -");
	ck_assert_int_eq(answers_get(&a, "q1"), ANSWER_NONE);
	free(out);
	answers_close(&a);
	/* A second company line is kept as it was and reported; --company overrides the file. */
	parse(&a, &d, "mamori-answers 1\ncompany A\ncompany B\n");
	ck_assert_uint_eq(a.ndiags, 1);
	ck_assert_str_eq(a.company, "A");
	struct report_input in = { &d, &a, NULL, NULL, NULL, "  C社  ", T0 };
	report_model_build(&m, &in);
	ck_assert_str_eq(m.company, "C社");
	report_model_free(&m);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_first_step_from_content)
{
	struct doc d;
	struct answers a;
	struct report_model m;
	memset(&d, 0, sizeof d);
	ck_assert_int_ge(doc_load(&d, test_content_dir()), 0);
	ck_assert_int_ge(doc_find_item(&d, "diag-01"), 0);
	parse(&a, &d, "mamori-answers 1\ndiag-01 no -\n");
	model_of(&m, &d, &a, NULL);
	ck_assert_uint_eq(m.nimprove, 1);
	const char *step = m.improve[0].first_step;
	/* The はじめの一歩 of its 解説, without the label. */
	ck_assert_uint_gt(strlen(step), 0);
	ck_assert_ptr_null(strstr(step, "はじめの一歩"));
	const struct explain *ex = doc_item_explain(&d, doc_find_item(&d, "diag-01"));
	int found = 0;
	for (size_t i = 0; i < ex->nblocks; i++)
		if (ex->blocks[i].text && strstr(ex->blocks[i].text, step))
			found = 1;
	ck_assert_int_eq(found, 1);
	/* Principles are named by their page title, which numbers them. */
	ck_assert_int_eq(strncmp(m.groups[0].title, "原則1", strlen("原則1")), 0);
	report_model_free(&m);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

/* Every line of s at most width columns. */
static void assert_fits(const char *s, size_t width)
{
	const char *p = s;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (text_width(p, n) > width)
			ck_abort_msg("line wider than %zu: %.*s", width, (int)n, p);
		p += n + (nl != NULL);
	}
}

START_TEST(test_text_fits_width)
{
	static const int widths[] = { 40, 60, 80, 132 };
	struct doc d;
	struct answers a;
	struct report_model m;
	memset(&d, 0, sizeof d);
	ck_assert_int_ge(doc_load(&d, test_content_dir()), 0);
	/* Long notes and every kind of section, on the real content. */
	parse(&a, &d,
	      "mamori-answers 1\ncompany 株式会社とても長い名前のサンプル商事ホールディングス\n"
	      "diag-01 no - 担当者に聞くこと。来月までに全部のパソコンを確認し、結果を社長に報告する。\n"
	      "diag-02 unknown -\ndiag-03 partly -\np1-1 done -\nart-3 todo -\n");
	model_of(&m, &d, &a, NULL);
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		char *text = written(&m, REPORT_TEXT, widths[i], 0, NULL);
		assert_fits(text, (size_t)widths[i]);
		/* The missing article by its title. */
		ck_assert_ptr_nonnull(strstr(text, "【SECURITY ACTION の準備状況】"));
		free(text);
	}
	report_model_free(&m);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_md)
{
	struct doc d;
	struct answers a;
	struct report_model m;
	build(&d);
	parse(&a, &d, "mamori-answers 1\ncompany A|B社\nq1 no - <b>x</b> | y\n");
	model_of(&m, &d, &a, NULL);
	char *md = written(&m, REPORT_MD, 0, 0, NULL);
	ck_assert_ptr_nonnull(strstr(md, "# 情報セキュリティ対策 報告書"));
	ck_assert_ptr_nonnull(strstr(md, "\n## "));
	ck_assert_ptr_nonnull(strstr(md, "|---|"));
	/* A pipe in a cell does not split it; markup in a note is text. */
	ck_assert_ptr_nonnull(strstr(md, "A\\|B社"));
	ck_assert_ptr_null(strstr(md, "<b>"));
	ck_assert_ptr_nonnull(strstr(md, "&lt;b&gt;"));
	free(md);
	report_model_free(&m);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_csv)
{
	struct doc d;
	struct answers a;
	struct report_model m;
	size_t len;
	build(&d);
	parse(&a, &d, "mamori-answers 1\nq1 no 2026-11-25T09:30:00+09:00 a, \"b\"\np1-1 done - =1+1\n");
	model_of(&m, &d, &a, NULL);
	char *csv = written(&m, REPORT_CSV, 0, 0, &len);
	/* UTF-8 with a BOM, a header, one CRLF record per item, no bare LF. */
	ck_assert_int_eq(memcmp(csv, "\xEF\xBB\xBF", 3), 0);
	size_t crlf = 0;
	for (size_t i = 0; i < len; i++)
		if (csv[i] == '\n') {
			ck_assert(i > 0 && csv[i - 1] == '\r');
			crlf++;
		}
	ck_assert_uint_eq(crlf, d.nitems + 1);
	ck_assert_ptr_nonnull(
		strstr(csv, "グループ,項目ID,No.,内容,状態,点数,担当,期限,メモ,最終更新\r\n"));
	/* RFC 4180 quoting; the score of a question; a formula typed as a note is not run. */
	ck_assert_ptr_nonnull(strstr(csv,
	                             "Part1,q1,1,更新していますか？,実施していない,0,,,\"a, \"\"b\"\"\","
	                             "2026-11-25T09:30:00+09:00\r\n"));
	ck_assert_ptr_nonnull(strstr(csv, ",'=1+1,"));
	free(csv);
	/* CP932: no BOM, the Japanese in Shift_JIS (グ is 0x83 0x4F). */
	csv = written(&m, REPORT_CSV, 0, 1, &len);
	ck_assert_int_eq(memcmp(csv, "\x83\x4f", 2), 0);
	free(csv);
	report_model_free(&m);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_write_file)
{
	struct doc d;
	struct report_model m;
	struct stat st;
	build(&d);
	model_of(&m, &d, NULL, NULL);
	char *p = testutil_path(testutil_root(), "r.txt");
	umask(022);
	ck_assert_int_eq(report_write_file(p, &m, REPORT_TEXT, NULL, 0), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* Never over an existing file without force; with force, replaced and still 0600. */
	ck_assert_int_eq(testutil_write(p, "mine", 4), 0);
	ck_assert_int_eq(report_write_file(p, &m, REPORT_CSV, NULL, 0), -EEXIST);
	size_t len;
	char *kept = testutil_slurp(p, &len);
	ck_assert_str_eq(kept, "mine");
	free(kept);
	ck_assert_int_eq(report_write_file(p, &m, REPORT_CSV, NULL, 1), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_gt(st.st_size, 4);
	/* A symlink is not followed, even with force. */
	char *l = testutil_path(testutil_root(), "link.txt");
	ck_assert_int_eq(symlink(p, l), 0);
	ck_assert_int_lt(report_write_file(l, &m, REPORT_TEXT, NULL, 1), 0);
	ck_assert_int_lt(report_write_file(l, &m, REPORT_TEXT, NULL, 0), 0);
	/* Where the dashboard puts it: beside the sessions directory. */
	char *def = report_default_path("/home/u/.local/share/mamori/sessions", "2026-11-25", REPORT_CSV);
	ck_assert_str_eq(def, "/home/u/.local/share/mamori/report-2026-11-25.csv");
	free(def);
	free(l);
	free(p);
	report_model_free(&m);
	doc_free(&d);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("model");
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_partial_worst_first);
	tcase_add_test(tc, test_notes_and_strays);
	tcase_add_test(tc, test_previous_session);
	tcase_add_test(tc, test_company_line);
	tcase_add_test(tc, test_first_step_from_content);
	suite_add_tcase(s, tc);
	tc = tcase_create("writers");
	tcase_set_timeout(tc, 30);
	tcase_add_unchecked_fixture(tc, testutil_root_setup, testutil_root_teardown);
	tcase_add_test(tc, test_text_fits_width);
	tcase_add_test(tc, test_md);
	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_write_file);
	suite_add_tcase(s, tc);
	return s;
}
