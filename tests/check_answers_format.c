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

/* Serialise a (caller frees). */
static char *ser(const struct answers *a)
{
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(answers_serialize(a, &out, &len), 0);
	ck_assert_uint_eq(strlen(out), len);
	return out;
}

/* 1 when a has a problem at line whose message holds what. */
static int has_diag(const struct answers *a, int line, const char *what)
{
	for (size_t i = 0; i < a->ndiags; i++)
		if (a->diags[i].line == line && strstr(a->diags[i].msg, what))
			return 1;
	return 0;
}

/* Parse text, serialise, parse again, serialise again: both texts equal; returns the first (caller frees). */
static char *round_trip(const char *text, size_t len, const struct doc *d)
{
	struct answers a, b;
	answers_parse_buffer(&a, "ans.txt", text, len, d);
	char *s1 = ser(&a);
	answers_parse_buffer(&b, "ans.txt", s1, strlen(s1), d);
	char *s2 = ser(&b);
	ck_assert_str_eq(s1, s2);
	free(s2);
	answers_close(&a);
	answers_close(&b);
	return s1;
}

/*
 * Every field of format 2 comes back after a save: header lines, owner and
 * due below their item, escapes in each (tabs, newlines, backslashes, blanks
 * at the ends, a TAB-separated source), and a note and an owner of 100 kB.
 */
START_TEST(v2_fields_round_trip)
{
	struct answers a, b;
	struct buf big = { 0 }, bigowner = { 0 };
	for (int i = 0; i < 100 * 1024 / 3; i++)
		buf_adds(&big, "長");
	for (int i = 0; i < 100 * 1024; i++)
		buf_addc(&bigowner, (char)('a' + i % 26));
	answers_parse_buffer(&a, "ans.txt", "", 0, &fx);
	answers_format_set_company(&a, "株式会社 サンプル");
	answers_format_set_header(&a, " 総務部\t", "佐藤\\一郎");
	answers_format_set_started(&a, "2026-12-06T10:00:00+09:00");
	char d0[] = "営業部", p0[] = "sessions/2026-12-01.txt";
	char d1[] = " 情報\tシステム部 ", p1[] = "C:\\dir\\x y.txt";
	struct answers_source src[2] = { { d0, p0 }, { d1, p1 } };
	answers_format_set_sources(&a, src, 2);
	long k = answers_format_push(&a);
	a.v[k].id = xstrdup("p1-1");
	a.v[k].item = doc_find_item(&fx, "p1-1");
	a.by_item[a.v[k].item] = (int)k;
	a.v[k].state = ANSWER_DONE;
	a.v[k].time = xstrdup("2026-11-25T09:30:00+09:00");
	a.v[k].note = xstrdup(big.s);
	a.v[k].owner = xstrdup(" 情シス\t佐藤\n2行目\\ ");
	a.v[k].due = xstrdup("2027-03-31");
	k = answers_format_push(&a);
	a.v[k].id = xstrdup("p1-2");
	a.v[k].item = doc_find_item(&fx, "p1-2");
	a.by_item[a.v[k].item] = (int)k;
	a.v[k].state = ANSWER_NONE; /* only an owner: written "open" */
	a.v[k].time = xstrdup("-");
	a.v[k].note = xstrdup("");
	a.v[k].owner = xstrdup(bigowner.s);
	a.v[k].due = xstrdup("");
	char *s1 = ser(&a);
	ck_assert_int_eq(strncmp(s1, "mamori-answers 2\n", 17), 0);
	ck_assert_ptr_nonnull(strstr(s1, "\np1-2 open -\n  owner abc"));
	ck_assert_ptr_nonnull(strstr(s1, "\n  due 2027-03-31\n"));
	ck_assert_ptr_nonnull(strstr(s1, "\nstarted 2026-12-06T10:00:00+09:00\n"));
	ck_assert_ptr_nonnull(strstr(s1, "\nsource 営業部\tsessions/2026-12-01.txt\n"));
	answers_parse_buffer(&b, "ans.txt", s1, strlen(s1), &fx);
	ck_assert_uint_eq(b.ndiags, 0);
	ck_assert_int_eq(b.version, 2);
	ck_assert_str_eq(b.company, "株式会社 サンプル");
	ck_assert_str_eq(b.department, "総務部");
	ck_assert_str_eq(b.respondent, "佐藤\\一郎");
	ck_assert_str_eq(b.started, "2026-12-06T10:00:00+09:00");
	ck_assert_uint_eq(b.nsources, 2);
	ck_assert_str_eq(b.sources[0].department, "営業部");
	ck_assert_str_eq(b.sources[0].path, "sessions/2026-12-01.txt");
	ck_assert_str_eq(b.sources[1].department, " 情報\tシステム部 ");
	ck_assert_str_eq(b.sources[1].path, "C:\\dir\\x y.txt");
	const struct answer *e = entry(&b, "p1-1");
	ck_assert_int_eq(e->state, ANSWER_DONE);
	ck_assert_str_eq(e->note, big.s);
	ck_assert_str_eq(e->owner, " 情シス\t佐藤\n2行目\\ ");
	ck_assert_str_eq(e->due, "2027-03-31");
	e = entry(&b, "p1-2");
	ck_assert_int_eq(e->state, ANSWER_NONE);
	ck_assert_str_eq(e->owner, bigowner.s);
	ck_assert_str_eq(e->due, "");
	ck_assert_str_eq(entry(&b, "p1-2")->note, "");
	char *s2 = ser(&b);
	ck_assert_str_eq(s1, s2);
	free(s1);
	free(s2);
	answers_close(&a);
	answers_close(&b);
	buf_free(&big);
	buf_free(&bigowner);
}
END_TEST

/* A version 1 file is read as it always was; indented owner/due lines are attributes there too. */
START_TEST(v1_file_is_read)
{
	static const char v1[] = "mamori-answers 1\n"
				 "company サンプル\n"
				 "  p1-1 done - 字下げされた行\n"
				 "p1-2 todo - メモ\n"
				 "  owner 総務部\n";
	struct answers a;
	answers_parse_buffer(&a, "ans.txt", v1, sizeof v1 - 1, &fx);
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_int_eq(a.version, 1);
	ck_assert_str_eq(a.company, "サンプル");
	ck_assert_int_eq(entry(&a, "p1-1")->state, ANSWER_DONE);
	ck_assert_str_eq(entry(&a, "p1-1")->owner, "");
	ck_assert_str_eq(entry(&a, "p1-2")->owner, "総務部");
	ck_assert_ptr_null(a.started);
	char *out = ser(&a);
	ck_assert_int_eq(strncmp(out, "mamori-answers 2\n", 17), 0);
	ck_assert_ptr_nonnull(
		strstr(out, "\np1-1 done - 字下げされた行\np1-2 todo - メモ\n  owner 総務部\n"));
	free(out);
	answers_close(&a);
	/* No header at all: read as the current format. */
	answers_parse_buffer(&a, "ans.txt", "p1-1 done -\n", 12, &fx);
	ck_assert_int_eq(a.version, 2);
	ck_assert(has_diag(&a, 1, "header"));
	answers_close(&a);
}
END_TEST

/* Real calendar dates only, with a message a person can act on. */
START_TEST(due_dates_are_checked)
{
	const char *why = NULL;
	ck_assert_int_eq(answers_date_check("2027-03-31", &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(answers_date_check("2028-02-29", &why), 0);
	ck_assert_int_eq(answers_date_check("2000-02-29", NULL), 0);
	ck_assert_int_eq(answers_date_check("2027-12-31", NULL), 0);
	ck_assert_int_eq(answers_date_check("2027-02-30", &why), -1);
	ck_assert_str_eq(why, "2027-02-30: February 2027 has 28 days");
	ck_assert_int_eq(answers_date_check("2027-02-29", &why), -1);
	ck_assert_str_eq(why, "2027-02-29: February 2027 has 28 days");
	ck_assert_int_eq(answers_date_check("1900-02-29", &why), -1);
	ck_assert_str_eq(why, "1900-02-29: February 1900 has 28 days");
	ck_assert_int_eq(answers_date_check("2028-02-30", &why), -1);
	ck_assert_str_eq(why, "2028-02-30: February 2028 has 29 days");
	ck_assert_int_eq(answers_date_check("2027-04-31", &why), -1);
	ck_assert_str_eq(why, "2027-04-31: April has 30 days");
	ck_assert_int_eq(answers_date_check("2027-13-01", &why), -1);
	ck_assert_str_eq(why, "2027-13-01: there is no month 13 (01 to 12)");
	ck_assert_int_eq(answers_date_check("2027-00-01", &why), -1);
	ck_assert_int_eq(answers_date_check("2027-01-00", &why), -1);
	ck_assert_int_eq(answers_date_check("0000-01-01", &why), -1);
	ck_assert_int_eq(answers_date_check("2027-1-1", &why), -1);
	ck_assert_str_eq(why, "2027-1-1: expected a date like 2027-03-31 (YYYY-MM-DD)");
	ck_assert_int_eq(answers_date_check("2027-01-01 ", &why), -1);
	ck_assert_int_eq(answers_date_check("2027/01/01", &why), -1);
	ck_assert_int_eq(answers_date_check("", &why), -1);
	ck_assert_int_eq(answers_date_check(NULL, &why), -1);
}
END_TEST

/*
 * A bad attribute line (bad due, unknown word, a second one, one with no
 * item line above it, one below a line that is not read) is reported at
 * its line and kept verbatim where it stood, and the round trip is stable.
 */
START_TEST(bad_attribute_lines_are_kept)
{
	static const char s[] = "mamori-answers 2\n"
				"  owner 誰か\n"       /* 2: no item above */
				"p1-1 done -\n"        /* 3 */
				"  due 2027-02-30\n"   /* 4: not a date */
				"  colour 赤\n"        /* 5: unknown */
				"# 担当の注記\n"       /* 6 */
				"  owner 総務部\n"     /* 7: good, the comment goes above p1-1 */
				"  owner 二人目\n"     /* 8: a second owner */
				"p1-2 bogus -\n"       /* 9: not read */
				"  due 2027-01-01\n"   /* 10: below a line not read */
				"p1-3 na -\n"          /* 11 */
				"\tdue\t2027-06-30\n"; /* 12: good, tab-indented */
	for (int withdoc = 0; withdoc < 2; withdoc++) {
		struct answers a;
		answers_parse_buffer(&a, "ans.txt", s, sizeof s - 1, withdoc ? &fx : NULL);
		ck_assert(has_diag(&a, 2, "no item line above"));
		ck_assert(has_diag(&a, 4, "February 2027 has 28 days"));
		ck_assert(has_diag(&a, 5, "unknown attribute 'colour'"));
		ck_assert(has_diag(&a, 8, "a second owner line"));
		ck_assert(has_diag(&a, 10, "below a line that is not read"));
		ck_assert_ptr_nonnull(strstr(a.diags[0].msg, "ans.txt:2: "));
		ck_assert_uint_eq(a.ndiags, 6); /* and line 9's bad state */
		ck_assert_str_eq(entry(&a, "p1-1")->owner, "総務部");
		ck_assert_str_eq(entry(&a, "p1-1")->due, "");
		ck_assert_str_eq(entry(&a, "p1-3")->due, "2027-06-30");
		char *out = round_trip(s, sizeof s - 1, withdoc ? &fx : NULL);
		ck_assert_ptr_nonnull(strstr(out, "\n  owner 誰か\n"));
		ck_assert_ptr_nonnull(strstr(
			out,
			"# 担当の注記\np1-1 done -\n  owner 総務部\n  due 2027-02-30\n  colour 赤\n  owner 二人目\n"));
		ck_assert_ptr_nonnull(strstr(out, "p1-2 bogus -\n  due 2027-01-01\n"));
		ck_assert_ptr_nonnull(strstr(out, "p1-3 na -\n  due 2027-06-30\n"));
		/* The orphan stays above every item, where it is still an orphan. */
		ck_assert(strstr(out, "  owner 誰か") < strstr(out, "p1-"));
		free(out);
		answers_close(&a);
	}
}
END_TEST

/* Bad header lines of format 2 are reported and kept; comments, CRLF and a BOM are read as before. */
START_TEST(bad_header_lines_are_kept)
{
	static const char s[] = "\xEF\xBB\xBFmamori-answers 2\r\n"
				"department 総務部\r\n"
				"department 営業部\r\n"        /* 3: second */
				"started yesterday\r\n"        /* 4: not a time */
				"source 営業部 no-tab.txt\r\n" /* 5: no TAB */
				"respondent\r\n"               /* 6: no name: an item line "respondent" */
				"p1-1 done 2026-11-25T09:30:00Z\r\n";
	struct answers a;
	answers_parse_buffer(&a, "ans.txt", s, sizeof s - 1, &fx);
	ck_assert(has_diag(&a, 3, "a second department line"));
	ck_assert(has_diag(&a, 4, "expected a time"));
	ck_assert(has_diag(&a, 5, "TAB"));
	ck_assert(has_diag(&a, 6, "expected a state"));
	ck_assert_str_eq(a.department, "総務部");
	ck_assert_ptr_null(a.started);
	ck_assert_uint_eq(a.nsources, 0);
	ck_assert_int_eq(entry(&a, "p1-1")->state, ANSWER_DONE);
	answers_close(&a);
	char *out = round_trip(s, sizeof s - 1, &fx);
	ck_assert_ptr_nonnull(
		strstr(out, "department 営業部\nstarted yesterday\nsource 営業部 no-tab.txt\n"));
	free(out);
}
END_TEST

/* Times compare across offsets: 10:00+09:00 is 01:00Z. */
START_TEST(times_parse_to_seconds)
{
	time_t a, b, c;
	ck_assert_int_eq(answers_time_parse("2026-12-06T10:00:00+09:00", &a), 0);
	ck_assert_int_eq(answers_time_parse("2026-12-06T01:00:00Z", &b), 0);
	ck_assert_int_eq(answers_time_parse("2026-12-06T02:30:00.25+0130", &c), 0);
	ck_assert_int_eq((long long)a, (long long)b);
	ck_assert_int_eq((long long)c, (long long)b);
	ck_assert_int_eq((long long)b, 1796518800LL);
	ck_assert_int_eq(answers_time_parse("-", &a), -1);
	ck_assert_int_eq(answers_time_parse("2026-12-06", &a), -1);
}
END_TEST

/*
 * Removing a header field in memory removes the second line of its kind
 * kept from the file too: else the next read would take that line as the
 * field and the removal would not last.
 */
START_TEST(removed_field_stays_removed)
{
	static const char s[] = "mamori-answers 2\n"
				"department 総務部\n"
				"# 古い\n"
				"department 営業部\n"
				"p1-1 done -\n";
	struct answers a, b;
	answers_parse_buffer(&a, "ans.txt", s, sizeof s - 1, &fx);
	ck_assert(has_diag(&a, 4, "a second department line"));
	answers_format_set_header(&a, NULL, "佐藤");
	char *out = ser(&a);
	ck_assert_ptr_null(strstr(out, "department"));
	ck_assert_ptr_nonnull(strstr(out, "# 古い\n")); /* the comment stays */
	answers_parse_buffer(&b, "ans.txt", out, strlen(out), &fx);
	ck_assert_ptr_null(b.department);
	ck_assert_str_eq(b.respondent, "佐藤");
	free(out);
	answers_close(&a);
	answers_close(&b);
	/* Setting it (not removing) keeps the kept line as it was. */
	answers_parse_buffer(&a, "ans.txt", s, sizeof s - 1, &fx);
	answers_format_set_header(&a, "経理部", NULL);
	out = ser(&a);
	ck_assert_ptr_nonnull(strstr(out, "department 経理部\n"));
	ck_assert_ptr_nonnull(strstr(out, "department 営業部\n"));
	free(out);
	answers_close(&a);
	/* A started time the reader would refuse is not written. */
	answers_parse_buffer(&a, "ans.txt", "", 0, &fx);
	answers_format_set_started(&a, "yesterday");
	ck_assert_ptr_null(a.started);
	answers_format_set_started(&a, "2026-12-06T10:00:00Z");
	ck_assert_str_eq(a.started, "2026-12-06T10:00:00Z");
	answers_close(&a);
}
END_TEST

/*
 * A format 1 file's indented line that is not read (here a source line with
 * no TAB) stays below the line before it, where format 2 reads it as a bad
 * attribute line: kept as a line of its own it would move with the lines
 * not read, below another item, and the owner line under it would become
 * that item's owner.
 */
START_TEST(v1_indented_field_line_stays_put)
{
	static const char s[] = "mamori-answers 1\n"
				"p1-3 na -\n"
				"  source 営業部 no-tab.txt\n" /* 3: not read */
				"  owner 総務部\n"             /* 4: read: p1-3's */
				"zz-1 done -\n"                /* unknown: written after the items */
				"p1-2 todo -\n";
	struct answers a;
	answers_parse_buffer(&a, "ans.txt", s, sizeof s - 1, &fx);
	ck_assert(has_diag(&a, 3, "TAB"));
	ck_assert_str_eq(entry(&a, "p1-3")->owner, "総務部");
	ck_assert_str_eq(entry(&a, "p1-2")->owner, "");
	answers_close(&a);
	char *out = round_trip(s, sizeof s - 1, &fx);
	ck_assert_ptr_nonnull(strstr(out, "p1-3 na -\n  owner 総務部\n  source 営業部 no-tab.txt\n"));
	free(out);
	/* The helper that drops the lines an owner or due set replaces. */
	char *t = answers_format_attrs_without("  owner A\n# c\n  due x\n\tcolour y\n", 1, 0);
	ck_assert_str_eq(t, "# c\n  due x\n\tcolour y\n");
	free(t);
	t = answers_format_attrs_without("  owner A\n  due x\n", 1, 1);
	ck_assert_ptr_null(t);
	ck_assert_ptr_null(answers_format_attrs_without(NULL, 1, 1));
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
	tcase_add_test(tc, v2_fields_round_trip);
	tcase_add_test(tc, v1_file_is_read);
	tcase_add_test(tc, due_dates_are_checked);
	tcase_add_test(tc, bad_attribute_lines_are_kept);
	tcase_add_test(tc, bad_header_lines_are_kept);
	tcase_add_test(tc, times_parse_to_seconds);
	tcase_add_test(tc, removed_field_stays_removed);
	tcase_add_test(tc, v1_indented_field_line_stays_put);
	suite_add_tcase(s, tc);
	return s;
}
