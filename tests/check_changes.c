/*
 * check_changes: the change list between two sessions: a state, a note,
 * an owner or a due date that changed is listed (from what to what, in
 * content order); an answer confirmed unchanged (only its time moved) is
 * not; the progress before and after comes with it.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/changes.h"
#include "core/doc.h"
#include "core/report_model.h"
#include "core/report_write.h"
#include "suites.h"

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

static void parse(struct answers *a, const char *text)
{
	answers_parse_buffer(a, "s.txt", text, strlen(text), &doc);
	ck_assert_msg(a->ndiags == 0, "%s", a->ndiags ? a->diags[0].msg : "");
}

static const struct change *find(const struct change_list *c, const char *id)
{
	int it = doc_find_item(&doc, id);
	for (size_t i = 0; i < c->n; i++)
		if ((int)c->v[i].item == it)
			return &c->v[i];
	return NULL;
}

START_TEST(test_changes_item_by_item)
{
	struct answers prev, cur;
	struct change_list c;

	parse(&prev, "mamori-answers 2\n"
	             "p1-1 todo 2026-11-01T10:00:00+09:00 まだ\n"
	             "p1-2 done 2026-11-01T10:00:00+09:00\n"
	             "  owner 佐藤\n"
	             "p1-3 done 2026-11-01T10:00:00+09:00\n"
	             "a1-1 todo 2026-11-01T10:00:00+09:00\n"
	             "  due 2027-01-31\n"
	             "diag-01 unknown 2026-11-01T10:00:00+09:00\n"
	             "diag-02 no 2026-11-01T10:00:00+09:00\n");
	parse(&cur, "mamori-answers 2\n"
	            "p1-1 done 2026-12-01T10:00:00+09:00 説明した\n"
	            "p1-2 done 2026-11-01T10:00:00+09:00\n"
	            "  owner 鈴木\n"
	            "p1-3 done 2026-12-05T10:00:00+09:00\n"
	            "a1-1 todo 2026-11-01T10:00:00+09:00\n"
	            "  due 2027-03-31\n"
	            "diag-01 yes 2026-12-01T10:00:00+09:00\n"
	            "diag-03 partly 2026-12-01T10:00:00+09:00\n");
	changes_compute(&c, &doc, &prev, &cur);
	ck_assert_uint_eq(c.n, 6); /* p1-1, p1-2, a1-1, diag-01, diag-02, diag-03; not p1-3 */
	const struct change *ch = find(&c, "p1-1");
	ck_assert_ptr_nonnull(ch);
	ck_assert_int_eq(ch->from, ANSWER_TODO);
	ck_assert_int_eq(ch->to, ANSWER_DONE);
	ck_assert_str_eq(ch->note_from, "まだ");
	ck_assert_str_eq(ch->note_to, "説明した");
	ch = find(&c, "p1-2");
	ck_assert_int_eq(ch->from, ch->to);
	ck_assert_str_eq(ch->owner_from, "佐藤");
	ck_assert_str_eq(ch->owner_to, "鈴木");
	ch = find(&c, "a1-1");
	ck_assert_str_eq(ch->due_from, "2027-01-31");
	ck_assert_str_eq(ch->due_to, "2027-03-31");
	ch = find(&c, "diag-02");
	ck_assert_int_eq(ch->from, ANSWER_NO);
	ck_assert_int_eq(ch->to, ANSWER_NONE);
	ck_assert_str_eq(ch->note_to, "");
	ck_assert_ptr_null(find(&c, "p1-3")); /* confirmed unchanged: only its time moved */
	for (size_t i = 1; i < c.n; i++)
		ck_assert_uint_lt(c.v[i - 1].item, c.v[i].item);
	/* The bars before and after: one more principle item done. */
	int g = doc.items[doc_find_item(&doc, "p1-1")].group;
	ck_assert_uint_eq(c.after.groups[g].done, c.before.groups[g].done + 1);
	ck_assert_int_gt(c.after.points, c.before.points);
	changes_free(&c);
	answers_close(&prev);
	answers_close(&cur);
}
END_TEST

START_TEST(test_changes_from_nothing)
{
	struct answers cur;
	struct change_list c;

	parse(&cur, "mamori-answers 2\np1-1 done -\ndiag-01 yes -\n");
	changes_compute(&c, &doc, NULL, &cur);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_int_eq(c.v[0].from, ANSWER_NONE);
	ck_assert_uint_eq(c.before.done, 0);
	changes_free(&c);
	/* The same session on both sides: nothing changed. */
	changes_compute(&c, &doc, &cur, &cur);
	ck_assert_uint_eq(c.n, 0);
	changes_free(&c);
	answers_close(&cur);
}
END_TEST

/* The report's change list: from what to what, with the note, owner and due; every group's bars. */
START_TEST(test_report_change_list)
{
	struct answers prev, cur;
	struct report_model m;
	char *buf = NULL;
	size_t len = 0;

	parse(&prev, "mamori-answers 2\n"
	             "p1-1 todo 2026-11-01T10:00:00+09:00 まだ\n"
	             "p1-2 done 2026-11-01T10:00:00+09:00\n"
	             "  owner 佐藤\n");
	parse(&cur, "mamori-answers 2\n"
	            "p1-1 done 2026-12-01T10:00:00+09:00 説明した\n"
	            "p1-2 done 2026-11-01T10:00:00+09:00\n"
	            "  owner 鈴木\n");
	struct report_input in = { &doc, &cur, &prev, "2026-11-01", "2026-12-01", NULL, 0 };
	report_model_build(&m, &in);
	ck_assert_uint_eq(m.nchanges, 2);
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(report_write_text(f, &m, 100), 0);
	fclose(f);
	const char *sec = strstr(buf, "【前回からの変化】");
	ck_assert_ptr_nonnull(sec);
	ck_assert_ptr_nonnull(strstr(sec, "グループごと（前回 -> 今回）"));
	/* Principle 1: one of its items more done; its bar before and after on one line. */
	ck_assert_msg(strstr(sec, "[##--------]  20%  1/5  -> [####------]  40%  2/5") &&
	                      strstr(sec, "+1  原則1"),
	              "%s", sec);
	ck_assert_ptr_nonnull(strstr(sec, "メモ：「まだ」→「説明した」"));
	ck_assert_ptr_nonnull(strstr(sec, "担当：佐藤 → 鈴木"));
	ck_assert_ptr_nonnull(strstr(sec, "（回答は同じ）"));
	free(buf);
	report_model_free(&m);
	answers_close(&prev);
	answers_close(&cur);
}
END_TEST

Suite *changes_suite(void)
{
	Suite *s = suite_create("changes");
	TCase *tc = tcase_create("changes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_changes_item_by_item);
	tcase_add_test(tc, test_changes_from_nothing);
	tcase_add_test(tc, test_report_change_list);
	suite_add_tcase(s, tc);
	return s;
}
