/*
 * check_merge: departments' answers combined, on the fixtures in
 * tests/data/merge (three departments that disagree, わからない, two
 * files of one department, an unknown id, a file that is not answers, a
 * file named for its department): the rules item by item, notes, owners
 * and due dates kept with their department, the source lines, a merged
 * session merged again from its sources, and inputs that are refused
 * (each with FILE:LINE) or left exactly as they were (locked ones too).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/merge.h"
#include "core/report_model.h"
#include "core/report_write.h"
#include "core/text.h"
#include "suites.h"
#include "testutil.h"

static struct doc doc;

static void setup(void)
{
	memset(&doc, 0, sizeof doc);
	ck_assert_int_ge(doc_load(&doc, test_content_dir()), 0);
}

static void teardown(void)
{
	doc_free(&doc);
}

static char *fixture(const char *name)
{
	return testutil_path(test_data_dir(), name);
}

/* "merge/NAME" loaded with merge_load into a; fails the test when refused. */
static void load(struct answers *a, const char *name)
{
	char *rel = testutil_path("merge", name);
	char *path = fixture(rel);
	char *err = NULL;
	int r = merge_load(a, AT_FDCWD, path, &doc, &err);
	ck_assert_msg(r == 0, "%s: %s", name, err ? err : "?");
	free(err);
	free(path);
	free(rel);
}

static size_t item(const char *id)
{
	int i = doc_find_item(&doc, id);
	ck_assert_msg(i >= 0, "no item %s in the content", id);
	return (size_t)i;
}

/* The three departments' fixtures, loaded and built. */
struct three {
	struct answers a[3];
	struct answers *p[3];
	struct merge m;
};

static void three_build(struct three *t)
{
	static const char *const names[] = { "soumu.txt", "eigyo.txt", "seizo.txt" };
	char *err = NULL;

	for (size_t i = 0; i < 3; i++) {
		load(&t->a[i], names[i]);
		t->p[i] = &t->a[i];
	}
	int r = merge_build(&t->m, &doc, t->p, 3, &err);
	ck_assert_msg(r == 0, "merge_build: %s", err ? err : "?");
	free(err);
}

static void three_free(struct three *t)
{
	merge_free(&t->m);
	for (size_t i = 0; i < 3; i++)
		answers_close(&t->a[i]);
}

START_TEST(test_rules_three_departments)
{
	struct three t;
	three_build(&t);
	struct merge *m = &t.m;

	ck_assert_uint_eq(m->ninputs, 3);
	ck_assert_str_eq(m->departments[0], "総務部");
	ck_assert_str_eq(m->departments[1], "営業部");
	ck_assert_str_eq(m->departments[2], "製造部");
	ck_assert_uint_eq(m->nrows, doc.nitems);
	/* Diagnosis: the lowest score wins; わからない (-1) below 実施していない (0). */
	ck_assert_int_eq(m->rows[item("diag-01")].merged, ANSWER_PARTLY);
	ck_assert_int_eq(m->rows[item("diag-02")].merged, ANSWER_UNKNOWN);
	ck_assert_int_eq(m->rows[item("diag-03")].merged, ANSWER_NO);
	/* 営業部 left diag-04 open: the others' answer stands, but the row differs. */
	ck_assert_int_eq(m->rows[item("diag-04")].merged, ANSWER_YES);
	ck_assert_int_eq(m->rows[item("diag-04")].differ, 1);
	ck_assert_int_eq(m->rows[item("diag-04")].states[1], ANSWER_NONE);
	/* Checklist: done only when all have it done; 該当しない only when all say so. */
	ck_assert_int_eq(m->rows[item("p1-1")].merged, ANSWER_DONE);
	ck_assert_int_eq(m->rows[item("p1-1")].differ, 0);
	ck_assert_int_eq(m->rows[item("p1-2")].merged, ANSWER_TODO);
	ck_assert_int_eq(m->rows[item("p1-2")].differ, 1);
	ck_assert_int_eq(m->rows[item("p1-3")].merged, ANSWER_NA);
	ck_assert_int_eq(m->rows[item("p1-3")].differ, 0);
	ck_assert_int_eq(m->rows[item("a1-1")].merged, ANSWER_TODO);
	/* Nobody answered it: nothing. */
	ck_assert_int_eq(m->rows[item("diag-25")].merged, ANSWER_NONE);
	ck_assert_int_eq(m->rows[item("diag-25")].differ, 0);
	size_t differ = 0;
	for (size_t r = 0; r < m->nrows; r++)
		differ += m->rows[r].differ;
	ck_assert_uint_eq(m->ndiffer, differ);
	ck_assert_uint_eq(m->ndiffer, 6); /* diag-01..04, p1-2, a1-1 */
	three_free(&t);
}
END_TEST

/* わからない surfaces whatever the others say, even against 実施していない. */
START_TEST(test_unknown_always_surfaces)
{
	static const char *const text[] = {
		"mamori-answers 2\ndepartment A\ndiag-05 no -\ndiag-06 yes -\np1-4 done -\n",
		"mamori-answers 2\ndepartment B\ndiag-05 unknown -\ndiag-06 yes -\np1-4 done -\n",
		"mamori-answers 2\ndepartment C\ndiag-05 yes -\ndiag-06 unknown -\n",
	};
	struct answers a[3], *p[3];
	struct merge m;
	char *err = NULL;

	for (size_t i = 0; i < 3; i++) {
		answers_parse_buffer(&a[i], "x.txt", text[i], strlen(text[i]), &doc);
		p[i] = &a[i];
	}
	ck_assert_int_eq(merge_build(&m, &doc, p, 3, &err), 0);
	ck_assert_int_eq(m.rows[item("diag-05")].merged, ANSWER_UNKNOWN);
	ck_assert_int_eq(m.rows[item("diag-06")].merged, ANSWER_UNKNOWN);
	/* A checklist item one department left open is not done for the company. */
	ck_assert_int_eq(m.rows[item("p1-4")].merged, ANSWER_TODO);
	merge_free(&m);
	for (size_t i = 0; i < 3; i++)
		answers_close(&a[i]);
	free(err);
}
END_TEST

START_TEST(test_apply_notes_owners_sources)
{
	struct three t;
	struct answers out;
	three_build(&t);

	answers_parse_buffer(&out, "merged.txt", "mamori-answers 2\n", 17, &doc);
	ck_assert_int_eq(merge_apply(&t.m, &doc, t.p, &out), 0);
	const struct answer *e = answers_find(&out, "p1-1");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->state, ANSWER_DONE);
	/* Owners differ: each kept with its department.  The earliest due wins; the other is noted. */
	ck_assert_str_eq(e->owner, "[総務部] 情シス佐藤 [営業部] 情シス佐藤 [製造部] 製造鈴木");
	ck_assert_str_eq(e->due, "2027-03-31");
	ck_assert_str_eq(e->note, "[総務部] 社長が全員に説明した [営業部] 期限 2027-04-30");
	/* The latest of the departments' times. */
	ck_assert_str_eq(e->time, "2026-12-03T10:00:00+09:00");
	e = answers_find(&out, "diag-03");
	ck_assert_int_eq(e->state, ANSWER_NO);
	ck_assert_str_eq(e->note, "[総務部] 総務は全台で実施 [営業部] 営業の持ち出しPCは未対応");
	ck_assert_str_eq(e->owner, "");
	e = answers_find(&out, "diag-02");
	ck_assert_int_eq(e->state, ANSWER_UNKNOWN);
	ck_assert_str_eq(e->note, "[営業部] 担当者に聞く");
	ck_assert_ptr_null(answers_find(&out, "diag-25"));
	/* Where it came from, the earliest start, the company; no department of its own. */
	ck_assert_uint_eq(out.nsources, 3);
	ck_assert_str_eq(out.sources[1].department, "営業部");
	ck_assert_ptr_nonnull(strstr(out.sources[1].path, "merge/eigyo.txt"));
	ck_assert_str_eq(out.started, "2026-12-01T09:00:00+09:00");
	ck_assert_str_eq(out.company, "株式会社サンプル");
	ck_assert_ptr_null(out.department);

	/* Through the file format and back: the same answers and sources. */
	char *text;
	size_t len;
	struct answers back;
	answers_serialize(&out, &text, &len);
	answers_parse_buffer(&back, "merged.txt", text, len, &doc);
	ck_assert_uint_eq(back.ndiags, 0);
	ck_assert_uint_eq(back.nsources, 3);
	ck_assert_str_eq(back.sources[2].department, "製造部");
	ck_assert_str_eq(answers_find(&back, "p1-1")->owner, answers_find(&out, "p1-1")->owner);
	ck_assert_str_eq(answers_find(&back, "p1-1")->due, "2027-03-31");
	for (size_t r = 0; r < t.m.nrows; r++)
		ck_assert_int_eq(answers_get_item(&back, r), t.m.rows[r].merged);
	free(text);
	answers_close(&back);
	answers_close(&out);
	three_free(&t);
}
END_TEST

/* A merged session's table again from its source lines, as the 部門別 screen and the report need it. */
START_TEST(test_from_session)
{
	struct three t;
	struct answers out;
	struct merge again;
	char *err = NULL;
	three_build(&t);

	answers_parse_buffer(&out, "merged.txt", "mamori-answers 2\n", 17, &doc);
	merge_apply(&t.m, &doc, t.p, &out);
	ck_assert_int_eq(merge_from_session(&again, &doc, &out, AT_FDCWD, &err), 0);
	ck_assert_uint_eq(again.ninputs, 3);
	ck_assert_str_eq(again.departments[2], "製造部");
	ck_assert_uint_eq(again.ndiffer, t.m.ndiffer);
	for (size_t r = 0; r < again.nrows; r++) {
		ck_assert_int_eq(again.rows[r].merged, t.m.rows[r].merged);
		for (size_t i = 0; i < 3; i++)
			ck_assert_int_eq(again.rows[r].states[i], t.m.rows[r].states[i]);
	}
	merge_free(&again);
	/* Not a merged session: said so. */
	ck_assert_int_eq(merge_from_session(&again, &doc, &t.a[0], AT_FDCWD, &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "not a merged session"));
	free(err);
	answers_close(&out);
	three_free(&t);
}
END_TEST

START_TEST(test_refused_unknown_id)
{
	struct answers a[2], *p[2] = { &a[0], &a[1] };
	struct merge m;
	char *err = NULL;

	load(&a[0], "soumu.txt");
	load(&a[1], "unknown-id.txt");
	ck_assert_int_eq(merge_build(&m, &doc, p, 2, &err), -EINVAL);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, "unknown-id.txt:4:") && strstr(err, "zz-99"), "%s", err);
	ck_assert_uint_eq(m.nrows, 0);
	free(err);
	answers_close(&a[0]);
	answers_close(&a[1]);
}
END_TEST

START_TEST(test_refused_same_department)
{
	struct answers a[2], *p[2] = { &a[0], &a[1] };
	struct merge m;
	char *err = NULL;

	load(&a[0], "soumu.txt");
	load(&a[1], "soumu-again.txt");
	ck_assert_int_eq(merge_build(&m, &doc, p, 2, &err), -EINVAL);
	ck_assert_msg(strstr(err, "soumu-again.txt:") && strstr(err, "総務部") && strstr(err, "soumu.txt"),
	              "%s", err);
	free(err);
	answers_close(&a[0]);
	answers_close(&a[1]);
}
END_TEST

START_TEST(test_refused_not_answers)
{
	struct answers a;
	char *path = fixture("merge/not-answers.txt");
	char *err = NULL;

	ck_assert_int_eq(merge_load(&a, AT_FDCWD, path, &doc, &err), -EINVAL);
	/* Line 2: the first line that is not a comment. */
	ck_assert_msg(strstr(err, "not-answers.txt:2: not an answers file"), "%s", err);
	answers_close(&a);
	free(err);
	err = NULL;
	free(path);
	path = fixture("merge/no-such-file.txt");
	ck_assert_int_eq(merge_load(&a, AT_FDCWD, path, &doc, &err), -ENOENT);
	ck_assert_msg(strstr(err, "no-such-file.txt: cannot open"), "%s", err);
	answers_close(&a);
	free(err);
	free(path);
}
END_TEST

START_TEST(test_department_from_file_name)
{
	struct answers a;
	load(&a, "kaihatsu.txt");
	char *dep = merge_department(&a);
	ck_assert_str_eq(dep, "kaihatsu");
	free(dep);
	answers_close(&a);
}
END_TEST

/* A file a running mamori holds is refused; the inputs are never changed, no lock file is made. */
START_TEST(test_locked_and_untouched)
{
	char *dir = testutil_tmpdir(NULL);
	char *src = fixture("merge/soumu.txt");
	char *path = testutil_path(dir, "soumu.txt");
	char *lock = testutil_path(dir, ".soumu.txt.lock");
	size_t len, len2;
	char *text = testutil_slurp(src, &len);
	struct answers a;
	struct stat before, after;
	char *err = NULL;

	ck_assert_int_eq(testutil_write(path, text, len), 0);
	chmod(path, 0644);
	ck_assert_int_eq(stat(path, &before), 0);
	ck_assert_int_eq(merge_load(&a, AT_FDCWD, path, &doc, &err), 0);
	answers_close(&a);
	ck_assert_int_eq(access(lock, F_OK), -1); /* no lock file made */

	int fd = open(lock, O_RDWR | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	ck_assert_int_eq(merge_load(&a, AT_FDCWD, path, &doc, &err), -EBUSY);
	ck_assert_msg(strstr(err, "soumu.txt: in use by a running mamori"), "%s", err);
	answers_close(&a);
	close(fd); /* the writer is gone: its stale lock file no longer stops a merge */
	ck_assert_int_eq(merge_load(&a, AT_FDCWD, path, &doc, &err), 0);
	answers_close(&a);

	char *now = testutil_slurp(path, &len2);
	ck_assert_uint_eq(len2, len);
	ck_assert_int_eq(memcmp(now, text, len), 0);
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert_int_eq(after.st_mode & 07777, 0644); /* not narrowed */
	ck_assert_int_eq(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	free(now);
	free(text);
	free(err);
	free(lock);
	free(path);
	free(src);
	testutil_rmrf(dir);
	free(dir);
}
END_TEST

/* The report of a merged session: the 部門別 table in text, Markdown and CSV. */
START_TEST(test_report_departments)
{
	struct three t;
	struct answers out;
	struct report_model rm;
	char *buf = NULL;
	size_t len = 0;
	three_build(&t);

	answers_parse_buffer(&out, "merged.txt", "mamori-answers 2\n", 17, &doc);
	merge_apply(&t.m, &doc, t.p, &out);
	struct report_input in = { &doc, &out, NULL, NULL, "merged", NULL, 0 };
	report_model_build(&rm, &in);
	ck_assert_int_eq(rm.merged, 1);
	ck_assert_uint_eq(rm.ndepartments, 3);
	ck_assert_uint_eq(rm.ndept_rows, 0); /* the table itself comes from the sources */
	report_model_set_merge(&rm, &t.m, NULL);
	ck_assert_uint_eq(rm.ndept_rows, doc.nitems);
	ck_assert_uint_eq(rm.ndiffer, 6);

	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(report_write_text(f, &rm, 80), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "【部門別の回答】"));
	ck_assert_ptr_nonnull(strstr(buf, "    2 営業部："));
	ck_assert_msg(strstr(buf, "  * p1-2       済     未     済     未\n"), "%s",
	              strstr(buf, "部門別"));
	ck_assert_ptr_nonnull(strstr(buf, "    p1-3       対象外 対象外 対象外 対象外\n"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(report_write_csv(f, &rm, 0), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "最終更新,総務部,営業部,製造部\r\n"));
	free(buf);
	report_model_free(&rm);

	/* Sources that cannot be read: the report says so instead of a table. */
	report_model_build(&rm, &in);
	report_model_set_merge(&rm, NULL, "soumu.txt: cannot open");
	buf = NULL;
	f = open_memstream(&buf, &len);
	report_write_text(f, &rm, 80);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "部門ごとの表は出せません：soumu.txt: cannot open"));
	free(buf);
	report_model_free(&rm);
	answers_close(&out);
	three_free(&t);
}
END_TEST

/* 100 departments: the table comes in panels, every line within the width. */
START_TEST(test_show_panels)
{
	enum {
		N = 100
	};
	struct answers a[N], *p[N];
	struct merge m;
	struct buf b = { 0 };
	char *err = NULL;

	for (size_t i = 0; i < N; i++) {
		char *text = xasprintf("mamori-answers 2\ndepartment 部門%03zu\ndiag-01 %s -\n", i,
		                       i == 42 ? "unknown" : "yes");
		answers_parse_buffer(&a[i], "d.txt", text, strlen(text), &doc);
		free(text);
		p[i] = &a[i];
	}
	ck_assert_int_eq(merge_build(&m, &doc, p, N, &err), 0);
	ck_assert_int_eq(m.rows[item("diag-01")].merged, ANSWER_UNKNOWN);
	merge_show(&b, &m, &doc, 80);
	ck_assert_ptr_nonnull(strstr(b.s, "部門 1-"));
	ck_assert_ptr_nonnull(strstr(b.s, "/ 100\n"));
	size_t lines = 0;
	for (char *line = b.s; *line;) {
		char *nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(text_width(line, (size_t)(nl - line)) <= 80, "%.*s", (int)(nl - line), line);
		line = nl + 1;
		lines++;
	}
	ck_assert_uint_gt(lines, 5 * doc.nitems); /* several panels of every row */
	buf_free(&b);
	merge_free(&m);
	for (size_t i = 0; i < N; i++)
		answers_close(&a[i]);
	free(err);
}
END_TEST

START_TEST(test_state_short)
{
	/* Every state has a short name; only the unanswered one is "-". */
	for (int s = 0; s < ANSWER_STATE_COUNT; s++) {
		const char *n = merge_state_short((enum answer_state)s);
		ck_assert_ptr_nonnull(n);
		ck_assert_int_eq(strcmp(n, "-") == 0, s == ANSWER_NONE);
	}
}
END_TEST

Suite *merge_suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_rules_three_departments);
	tcase_add_test(tc, test_unknown_always_surfaces);
	tcase_add_test(tc, test_apply_notes_owners_sources);
	tcase_add_test(tc, test_from_session);
	tcase_add_test(tc, test_refused_unknown_id);
	tcase_add_test(tc, test_refused_same_department);
	tcase_add_test(tc, test_refused_not_answers);
	tcase_add_test(tc, test_department_from_file_name);
	tcase_add_test(tc, test_locked_and_untouched);
	tcase_add_test(tc, test_state_short);
	tcase_add_test(tc, test_report_departments);
	tcase_add_test(tc, test_show_panels);
	suite_add_tcase(s, tc);
	return s;
}
