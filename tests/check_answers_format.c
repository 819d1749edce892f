/*
 * check_answers_format: the line format of an answers file, in memory
 * (answers_parse_buffer): line ends of every origin, and the index of the
 * ids the content does not know.  The file side (open, lock, save) is
 * check_answers.c's.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/answers_format.h"
#include "core/doc.h"
#include "docfix.h"
#include "suites.h"
#include "core/util.h"

static struct doc fx;

static void fx_setup(void)
{
	memset(&fx, 0, sizeof fx);
	int g = docfix_group(&fx, "principle-1", GROUP_PRINCIPLE, "原則1");
	docfix_items(&fx, "p1", g, 3);
	doc_finish(&fx);
}

static void fx_teardown(void)
{
	doc_free(&fx);
}

/* The entry for id, or fails the test. */
static const struct answer *entry(const struct answers *a, const char *id)
{
	long k = answers_format_index(a, id);
	ck_assert_msg(k >= 0, "no entry for %s", id);
	return &a->v[k];
}

static void parse_and_check(const char *buf, const char *what)
{
	struct answers a;
	answers_parse_buffer(&a, "ans.txt", buf, strlen(buf), &fx);
	for (size_t i = 0; i < a.ndiags; i++)
		fprintf(stderr, "%s: %s\n", what, a.diags[i].msg);
	ck_assert_msg(a.ndiags == 0, "%s: %zu problems", what, a.ndiags);
	ck_assert_int_eq(entry(&a, "p1-1")->state, ANSWER_DONE);
	ck_assert_int_eq(entry(&a, "p1-1")->line, 2);
	ck_assert_int_eq(entry(&a, "p1-2")->state, ANSWER_TODO);
	ck_assert_str_eq(entry(&a, "p1-2")->note, "メモ");
	ck_assert_int_eq(entry(&a, "p1-2")->line, 3);
	ck_assert_int_eq(entry(&a, "p1-3")->state, ANSWER_NA);
	ck_assert_int_eq(entry(&a, "p1-3")->line, 4);
	answers_close(&a);
}

/* An old Mac file (CR alone) reads like a Unix one (LF) or a Windows one (CR LF). */
START_TEST(every_line_end_is_read)
{
	parse_and_check("mamori-answers 1\np1-1 done -\np1-2 todo - メモ\np1-3 na -\n", "LF");
	parse_and_check("mamori-answers 1\r\np1-1 done -\r\np1-2 todo - メモ\r\np1-3 na -\r\n", "CR LF");
	parse_and_check("mamori-answers 1\rp1-1 done -\rp1-2 todo - メモ\rp1-3 na -\r", "CR");
	parse_and_check("mamori-answers 1\rp1-1 done -\rp1-2 todo - メモ\rp1-3 na -", "CR, no last");
	parse_and_check("mamori-answers 1\r\r\np1-1 done -\r\r\np1-2 todo - メモ\r\np1-3 na -\n",
	                "CR CR LF");
}
END_TEST

/* A CR-only file is saved with LF, and a note's own CR (escaped) survives both ways. */
START_TEST(cr_only_file_round_trips)
{
	struct answers a, b;
	const char *in = "mamori-answers 1\r# 手で書いた\rp1-1 done - 1行目\\r2行目\r";
	answers_parse_buffer(&a, "ans.txt", in, strlen(in), &fx);
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_str_eq(entry(&a, "p1-1")->note, "1行目\r2行目");
	char *out;
	size_t len;
	answers_serialize(&a, &out, &len);
	ck_assert_ptr_null(memchr(out, '\r', len));
	ck_assert_ptr_nonnull(strstr(out, "# 手で書いた\np1-1 done - 1行目\\r2行目\n"));
	answers_parse_buffer(&b, "ans.txt", out, len, &fx);
	ck_assert_uint_eq(b.ndiags, 0);
	ck_assert_str_eq(entry(&b, "p1-1")->note, "1行目\r2行目");
	free(out);
	answers_close(&a);
	answers_close(&b);
}
END_TEST

#define MANY 20000

/*
 * Ids the content does not know are indexed, not scanned: every one of
 * many is found at its own line, a second line for one of them is the
 * duplicate it is, with and without a doc.  (How fast: bench/answers_load.sh.)
 */
START_TEST(unknown_ids_are_all_found)
{
	struct buf in = { 0 };
	buf_adds(&in, "mamori-answers 1\n");
	for (int i = 0; i < MANY; i++)
		buf_printf(&in, "unk-%05d done -\n", i);
	buf_adds(&in, "p1-1 done -\nunk-00042 todo -\n");
	for (int withdoc = 0; withdoc < 2; withdoc++) {
		struct answers a;
		answers_parse_buffer(&a, "ans.txt", in.s, in.len, withdoc ? &fx : NULL);
		for (int i = 0; i < MANY; i += 997) {
			char id[16];
			snprintf(id, sizeof id, "unk-%05d", i);
			ck_assert_int_eq(entry(&a, id)->line, i + 2);
			ck_assert_int_eq(entry(&a, id)->item, -1);
		}
		ck_assert_int_eq(entry(&a, "p1-1")->line, MANY + 2);
		ck_assert_int_eq(answers_format_index(&a, "unk-99999"), -1);
		/* The duplicate: one problem, the first line wins. */
		const struct answers_diag *dup = &a.diags[a.ndiags - 1];
		ck_assert_int_eq(dup->line, MANY + 3);
		ck_assert_ptr_nonnull(strstr(dup->msg, "'unk-00042' already has a line (line 44)"));
		ck_assert_int_eq(entry(&a, "unk-00042")->state, ANSWER_DONE);
		ck_assert_uint_eq(a.ndiags, withdoc ? MANY + 1 : 1);

		/* An entry pushed after parsing (as answers_set does) is found; one popped is not. */
		long k = answers_format_push(&a);
		a.v[k].id = xstrdup("new-1");
		ck_assert_int_eq(answers_format_index(&a, "new-1"), k);
		free(a.v[k].id);
		a.v[k].id = NULL;
		a.n--;
		ck_assert_int_eq(answers_format_index(&a, "new-1"), -1);
		answers_close(&a);
	}
	buf_free(&in);
}
END_TEST

Suite *answers_format_suite(void)
{
	Suite *s = suite_create("answers_format");
	TCase *tc = tcase_create("format");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	/* Not a timing test: room for a sanitizer build on a slow machine. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_line_end_is_read);
	tcase_add_test(tc, cr_only_file_round_trips);
	tcase_add_test(tc, unknown_ids_are_all_found);
	suite_add_tcase(s, tc);
	return s;
}
