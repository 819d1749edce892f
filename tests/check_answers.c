/*
 * check_answers: the answers file: parsing and saving round trips (CRLF,
 * BOM, comments, unknown ids, malformed lines, invalid UTF-8, long lines,
 * empty and missing files), file modes under any umask (narrowed at open),
 * atomic saves that fail without touching the old file, saves that stay in
 * the directory opened, a file changed on disk read again before a save,
 * the one-writer lock across a replace, and live temp files left alone.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/doc.h"
#include "docfix.h"
#include "suites.h"
#include "testutil.h"

/* 2026-11-25T00:30:00Z, a fixed "now". */
#define T0 ((time_t)1795566600)

static struct doc fx;
static void assert_unchanged(const char *p, const char *before, size_t len);
static char *tmp; /* per test, inside testutil_root() */

static void setup(void)
{
	memset(&fx, 0, sizeof fx);
	int p1 = docfix_group(&fx, "p1", GROUP_PRINCIPLE, "原則1");
	docfix_items(&fx, "p1", p1, 3);
	int art = docfix_group(&fx, "art", GROUP_ARTICLE, "5か条");
	docfix_items(&fx, "art", art, 5);
	int dg = docfix_group(&fx, "diag-part1", GROUP_DIAGNOSIS, "診断 Part 1");
	docfix_item(&fx, "diag-01", dg, "設問1");
	docfix_item(&fx, "diag-02", dg, "設問2");
	int pol = docfix_group(&fx, "sa2", GROUP_POLICY, "基本方針");
	docfix_item(&fx, "sa2-policy", pol, "基本方針を定めた");
	tmp = testutil_tmpdir(testutil_root());
}

static void teardown(void)
{
	testutil_rmrf(tmp);
	free(tmp);
	tmp = NULL;
	doc_free(&fx);
}

/* Serialise a into a fresh string. */
static char *ser(const struct answers *a)
{
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(answers_serialize(a, &out, &len), 0);
	ck_assert_uint_eq(strlen(out), len);
	return out;
}

/* Parse s (as a file named "f.txt") against the fixture doc. */
static void parse(struct answers *a, const char *s, size_t len)
{
	ck_assert_int_eq(answers_parse_buffer(a, "f.txt", s, len, &fx), 0);
}

/* 1 when some diagnostic starts with "f.txt:LINE: " and contains what. */
static int has_diag(const struct answers *a, int line, const char *what)
{
	char prefix[32];
	snprintf(prefix, sizeof prefix, "f.txt:%d: ", line);
	for (size_t i = 0; i < a->ndiags; i++)
		if (a->diags[i].line == line && strncmp(a->diags[i].msg, prefix, strlen(prefix)) == 0 &&
		    strstr(a->diags[i].msg, what))
			return 1;
	return 0;
}

static const char BASIC[] = "mamori-answers 1\n"
			    "# 最初の確認\n"
			    "p1-1 done 2026-11-25T09:30:00+09:00 社長が確認した\n"
			    "p1-2 na 2026-11-25T09:31:00+09:00\n"
			    "p1-3 todo -\n"
			    "diag-01 yes 2026-11-25T00:00:00Z\n"
			    "diag-02 unknown 2026-11-25T00:00:00.123+0900 担当に聞く\n"
			    "# 終わり\n";

START_TEST(test_parse_basic)
{
	struct answers a;
	parse(&a, BASIC, strlen(BASIC));
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_DONE);
	ck_assert_int_eq(answers_get(&a, "p1-2"), ANSWER_NA);
	ck_assert_int_eq(answers_get(&a, "p1-3"), ANSWER_TODO);
	ck_assert_int_eq(answers_get(&a, "art-1"), ANSWER_NONE);
	ck_assert_int_eq(answers_get(&a, "diag-01"), ANSWER_YES);
	ck_assert_int_eq(answers_get_item(&a, 9), ANSWER_UNKNOWN); /* diag-02 */
	const struct answer *e = answers_find(&a, "p1-1");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->note, "社長が確認した");
	ck_assert_str_eq(e->time, "2026-11-25T09:30:00+09:00");
	ck_assert_str_eq(e->comments, "# 最初の確認\n");
	ck_assert_int_eq(e->line, 3);
	ck_assert_str_eq(answers_find(&a, "p1-3")->time, "-");
	ck_assert_str_eq(answers_find(&a, "p1-2")->note, "");
	ck_assert_str_eq(a.trailing, "# 終わり\n");
	/* Saving it gives the same lines back (plus the help comment). */
	char *out = ser(&a);
	ck_assert_ptr_nonnull(
		strstr(out, "# 最初の確認\np1-1 done 2026-11-25T09:30:00+09:00 社長が確認した\n"));
	ck_assert_ptr_nonnull(strstr(out, "diag-02 unknown 2026-11-25T00:00:00.123+0900 担当に聞く\n"));
	ck_assert_int_eq(strncmp(out, "mamori-answers 2\n", 17), 0);
	/* And a second round trip is byte-identical. */
	struct answers b;
	parse(&b, out, strlen(out));
	ck_assert_uint_eq(b.ndiags, 0);
	char *out2 = ser(&b);
	ck_assert_str_eq(out, out2);
	free(out);
	free(out2);
	answers_close(&a);
	answers_close(&b);
}
END_TEST

START_TEST(test_crlf_bom)
{
	/* The same file with a BOM, CRLF line ends and blank lines reads the same. */
	size_t n = strlen(BASIC);
	char *crlf = malloc(3 + 2 * n + 16);
	ck_assert_ptr_nonnull(crlf);
	size_t o = 0;
	memcpy(crlf, "\xEF\xBB\xBF", 3);
	o = 3;
	for (size_t i = 0; i < n; i++) {
		if (BASIC[i] == '\n') {
			crlf[o++] = '\r';
			crlf[o++] = '\n';
			if (i == 16) { /* a blank CRLF line after the header */
				crlf[o++] = '\r';
				crlf[o++] = '\n';
			}
			continue;
		}
		crlf[o++] = BASIC[i];
	}
	memcpy(crlf + o, "  \t\r\n", 5);
	o += 5;
	struct answers a, b;
	parse(&a, BASIC, n);
	parse(&b, crlf, o);
	ck_assert_uint_eq(b.ndiags, 0);
	ck_assert_str_eq(answers_find(&b, "p1-1")->note, "社長が確認した");
	ck_assert_str_eq(answers_find(&b, "diag-02")->note, "担当に聞く");
	char *sa = ser(&a), *sb = ser(&b);
	ck_assert_str_eq(sa, sb);
	ck_assert_ptr_null(strchr(sb, '\r'));
	ck_assert_int_eq(memcmp(sb, "\xEF\xBB\xBF", 3) != 0, 1);
	free(sa);
	free(sb);
	free(crlf);
	answers_close(&a);
	answers_close(&b);
}
END_TEST

START_TEST(test_content_order_and_unknown_ids)
{
	static const char s[] = "mamori-answers 1\n"
				"sa2-policy done -\n"
				"old-item done - 削除された項目\n"
				"p1-2 done -\n"
				"art-1 done -\n"
				"gone-2 todo -\n";
	struct answers a;
	parse(&a, s, sizeof s - 1);
	/* Each unknown id is reported once, at its line, and kept. */
	ck_assert_uint_eq(a.ndiags, 2);
	ck_assert(has_diag(&a, 3, "unknown item id 'old-item'"));
	ck_assert(has_diag(&a, 6, "unknown item id 'gone-2'"));
	ck_assert_int_eq(answers_find(&a, "old-item")->item, -1);
	ck_assert_int_eq(answers_get(&a, "old-item"), ANSWER_DONE);
	char *out = ser(&a);
	/* Known ids in content order, then unknown ones in file order. */
	const char *p12 = strstr(out, "p1-2 done"), *a1 = strstr(out, "art-1 done"),
		   *pol = strstr(out, "sa2-policy done"),
		   *old = strstr(out, "old-item done - 削除された項目"),
		   *gone = strstr(out, "gone-2 todo");
	ck_assert(p12 && a1 && pol && old && gone);
	ck_assert(p12 < a1 && a1 < pol && pol < old && old < gone);
	/* Reading the saved text reports the same unknown ids again, nothing else. */
	struct answers b;
	parse(&b, out, strlen(out));
	ck_assert_uint_eq(b.ndiags, 2);
	free(out);
	answers_close(&a);
	answers_close(&b);
}
END_TEST

START_TEST(test_malformed_lines_kept)
{
	static const char s[] = "mamori-answers 1\n"
				"p1-1 dnoe 2026-11-25T09:30:00+09:00\n" /* 2: bad state */
				"p1-2 done yesterday\n"                 /* 3: bad time */
				"p1-3\n"                                /* 4: no state */
				"ｐ1-1 done -\n"                        /* 5: bad id */
				"art-1 done -\n"                        /* 6: fine */
				"art-1 todo -\n"                        /* 7: duplicate */
				"diag-01 done -\n"                      /* 8: state does not fit */
				"art-2 yes -\n"                         /* 9: state does not fit */
				"p1-2 done 2026-13-01T00:00:00Z\n";     /* 10: month 13 */
	struct answers a;
	parse(&a, s, sizeof s - 1);
	ck_assert(has_diag(&a, 2, "unknown state 'dnoe'"));
	ck_assert(has_diag(&a, 3, "expected a time"));
	ck_assert(has_diag(&a, 4, "expected a state"));
	ck_assert(has_diag(&a, 5, "expected an item id"));
	ck_assert(has_diag(&a, 7, "already has a line (line 6)"));
	ck_assert(has_diag(&a, 8, "diagnosis question"));
	ck_assert(has_diag(&a, 9, "checklist item"));
	ck_assert(has_diag(&a, 10, "expected a time"));
	ck_assert_uint_eq(a.ndiags, 8);
	ck_assert_int_eq(answers_get(&a, "art-1"), ANSWER_DONE);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_NONE);
	ck_assert_int_eq(answers_get(&a, "diag-01"), ANSWER_NONE);
	/* Every malformed line is written back verbatim, in file order. */
	char *out = ser(&a);
	const char *prev = out;
	static const char *const kept[] = {
		"p1-1 dnoe 2026-11-25T09:30:00+09:00\n",
		"p1-2 done yesterday\n",
		"p1-3\n",
		"ｐ1-1 done -\n",
		"art-1 todo -\n",
		"diag-01 done -\n",
		"art-2 yes -\n",
		"p1-2 done 2026-13-01T00:00:00Z\n",
	};
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		const char *at = strstr(out, kept[i]);
		ck_assert_msg(at != NULL, "line %zu not kept: %s", i, kept[i]);
		ck_assert_msg(at >= prev, "line %zu out of order", i);
		prev = at;
	}
	free(out);
	answers_close(&a);
}
END_TEST

START_TEST(test_id_rule_shared_with_content)
{
	/*
	 * One id rule for the content and the answers file (doc_id_valid): an id
	 * the content could never have, too long or with a '/', is a line kept
	 * as it is and reported as FILE:LINE, never dropped.
	 */
	char id64[DOC_ID_MAX + 1], id65[DOC_ID_MAX + 2], s[512];
	memset(id64, 'a', DOC_ID_MAX);
	id64[DOC_ID_MAX] = '\0';
	memset(id65, 'b', DOC_ID_MAX + 1);
	id65[DOC_ID_MAX + 1] = '\0';
	ck_assert(doc_id_valid(id64, strlen(id64)));
	ck_assert(!doc_id_valid(id65, strlen(id65)));
	snprintf(s, sizeof s, "mamori-answers 1\n%s done -\n%s done - 長い\np1/1 done -\np1-1 done -\n",
	         id64, id65);
	struct answers a;
	ck_assert_int_eq(answers_parse_buffer(&a, "f.txt", s, strlen(s), NULL), 0);
	ck_assert_int_eq(answers_get(&a, id64), ANSWER_DONE);
	ck_assert(has_diag(&a, 3, "expected an item id"));
	ck_assert(has_diag(&a, 4, "expected an item id"));
	ck_assert_uint_eq(a.ndiags, 2);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_DONE);
	char *out = ser(&a);
	char line[256];
	snprintf(line, sizeof line, "\n%s done - 長い\n", id65);
	ck_assert_ptr_nonnull(strstr(out, line));
	ck_assert_ptr_nonnull(strstr(out, "\np1/1 done -\n"));
	free(out);
	answers_close(&a);

	/* And answers_set refuses such an id before it could reach the file. */
	char *p = testutil_path(tmp, "ids.txt");
	ck_assert_int_eq(answers_open(&a, p, NULL, ANSWERS_CREATE), 0);
	ck_assert_int_eq(answers_set(&a, id65, ANSWER_DONE, NULL, T0), -EINVAL);
	ck_assert_int_eq(answers_set(&a, id64, ANSWER_DONE, NULL, T0), 0);
	answers_close(&a);
	free(p);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	/* Bytes that are not UTF-8 in a note are kept as they are; in an id the line is kept. */
	static const char s[] = "mamori-answers 1\n"
				"p1-1 done - bad \xff\xfe bytes \xe3\x81\n"
				"p1-\xc3\x28 done -\n"
				"\xed\xa0\x80 \x80\x80 \xc0\xaf\n";
	struct answers a;
	parse(&a, s, sizeof s - 1);
	ck_assert_str_eq(answers_find(&a, "p1-1")->note, "bad \xff\xfe bytes \xe3\x81");
	ck_assert(has_diag(&a, 3, "expected an item id"));
	ck_assert(has_diag(&a, 4, "expected an item id"));
	char *out = ser(&a);
	ck_assert_ptr_nonnull(strstr(out, "p1-1 done - bad \xff\xfe bytes \xe3\x81\n"));
	ck_assert_ptr_nonnull(strstr(out, "p1-\xc3\x28 done -\n"));
	ck_assert_ptr_nonnull(strstr(out, "\xed\xa0\x80 \x80\x80 \xc0\xaf\n"));
	free(out);
	answers_close(&a);
}
END_TEST

START_TEST(test_nul_bytes)
{
	/* A NUL byte cannot be in a note or a comment: the line is kept byte for byte. */
	static const char s[] = "mamori-answers 1\np1-1 done - a\0b\n# c\0d\np1-2 done -\n";
	struct answers a;
	parse(&a, s, sizeof s - 1);
	ck_assert(has_diag(&a, 2, "NUL"));
	ck_assert(has_diag(&a, 3, "NUL"));
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_NONE);
	ck_assert_int_eq(answers_get(&a, "p1-2"), ANSWER_DONE);
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(answers_serialize(&a, &out, &len), 0);
	ck_assert_ptr_nonnull(memmem(out, len, "p1-1 done - a\0b\n", 16));
	ck_assert_ptr_nonnull(memmem(out, len, "# c\0d\n", 6));
	free(out);
	answers_close(&a);
}
END_TEST

START_TEST(test_newer_format_file)
{
	/* Read, never written, and not locked: a second opener is told the same reason. */
	char *p = testutil_path(tmp, "v3.txt");
	static const char v2[] = "mamori-answers 3\np1-1 done - 新しい形式\n";
	ck_assert_int_eq(testutil_write(p, v2, sizeof v2 - 1), 0);
	struct answers a, b;
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(a.readonly, 1);
	ck_assert_ptr_nonnull(strstr(a.readonly_reason, "newer"));
	ck_assert_int_eq(answers_open(&b, p, &fx, 0), 0);
	ck_assert_ptr_nonnull(strstr(b.readonly_reason, "newer"));
	ck_assert_int_eq(answers_set(&a, "p1-2", ANSWER_DONE, NULL, T0), -EROFS);
	answers_close(&a);
	answers_close(&b);
	assert_unchanged(p, v2, sizeof v2 - 1);
	free(p);
}
END_TEST

START_TEST(test_long_lines)
{
	/* A 100 KB note and a 100 KB malformed line survive a round trip. */
	size_t big = 100 * 1024;
	char *s = malloc(2 * big + 256);
	ck_assert_ptr_nonnull(s);
	size_t o = (size_t)sprintf(s, "mamori-answers 1\np1-1 done - ");
	for (size_t i = 0; i < big; i++)
		s[o++] = i % 3 == 0 ? '\xe3' : i % 3 == 1 ? '\x81' : '\x82'; /* あ */
	s[o++] = '\n';
	for (size_t i = 0; i < big; i++)
		s[o++] = 'x';
	s[o++] = '\n';
	struct answers a;
	parse(&a, s, o);
	ck_assert_uint_eq(strlen(answers_find(&a, "p1-1")->note), big);
	/* 100 KB of letters is no id (at most DOC_ID_MAX): kept as a malformed line. */
	ck_assert(has_diag(&a, 3, "expected an item id"));
	char *out = ser(&a);
	struct answers b;
	parse(&b, out, strlen(out));
	ck_assert_str_eq(answers_find(&b, "p1-1")->note, answers_find(&a, "p1-1")->note);
	char *out2 = ser(&b);
	ck_assert_str_eq(out, out2);
	ck_assert_uint_ge(strlen(out), 2 * big);
	free(out);
	free(out2);
	free(s);
	answers_close(&a);
	answers_close(&b);
}
END_TEST

START_TEST(test_empty_and_headerless)
{
	struct answers a;
	parse(&a, "", 0);
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_uint_eq(a.n, 0);
	char *out = ser(&a);
	/* Just the header and the help comment. */
	ck_assert_int_eq(strncmp(out, "mamori-answers 2\n#", 18), 0);
	size_t lines = 0;
	for (const char *q = out; *q; q++)
		lines += *q == '\n';
	ck_assert_uint_eq(lines, 3);
	free(out);
	answers_close(&a);

	/* No header: reported at the first line, the lines are still read. */
	static const char s[] = "# hand-made\n\np1-1 done -\n";
	parse(&a, s, sizeof s - 1);
	ck_assert(has_diag(&a, 3, "header"));
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_DONE);
	answers_close(&a);

	/* A newer format is read but never written. */
	static const char v2[] = "mamori-answers 3\np1-1 done -\n";
	parse(&a, v2, sizeof v2 - 1);
	ck_assert(has_diag(&a, 1, "newer"));
	ck_assert_ptr_nonnull(strstr(a.readonly_reason, "newer"));
	answers_close(&a);
}
END_TEST

START_TEST(test_note_escapes)
{
	char *p = testutil_path(tmp, "a.txt");
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	const char *note = "  tab\there\nnew line \\ back\x1b[31m esc \r end  ";
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, note, T0), 0);
	/* Leading and trailing blanks are dropped; the rest is kept. */
	ck_assert_str_eq(answers_find(&a, "p1-1")->note, "tab\there\nnew line \\ back\x1b[31m esc \r end");
	answers_close(&a);
	char *text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(strstr(text, " tab\\there\\nnew line \\\\ back\\x1b[31m esc \\r end\n"));
	/* One line per answer, and no control bytes in the file. */
	for (const char *q = text; *q; q++)
		ck_assert(*q == '\n' || (unsigned char)*q >= 0x20);
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_str_eq(answers_find(&a, "p1-1")->note, "tab\there\nnew line \\ back\x1b[31m esc \r end");
	answers_close(&a);
	/* Hand-written backslashes that are not escapes are kept. */
	static const char s[] = "mamori-answers 1\np1-1 done - C:\\Users\\q \\x00 \\x4a\\\n";
	parse(&a, s, sizeof s - 1);
	ck_assert_str_eq(answers_find(&a, "p1-1")->note, "C:\\Users\\q \\x00 J\\");
	answers_close(&a);
	free(text);
	free(p);
}
END_TEST

START_TEST(test_set_saves_at_once)
{
	char *p = testutil_path(tmp, "s.txt");
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_int_eq(a.readonly, 0);
	ck_assert_int_eq(answers_set(&a, "art-2", ANSWER_DONE, "済み", T0), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_NA, "対象外", T0 + 60), 0);
	ck_assert_int_eq(answers_set(&a, "diag-02", ANSWER_PARTLY, NULL, T0), 0);
	/* The file already holds them, in content order, with valid times. */
	char *text = testutil_slurp(p, NULL);
	const char *l1 = strstr(text, "\np1-1 na "), *l2 = strstr(text, "\nart-2 done "),
		   *l3 = strstr(text, "\ndiag-02 partly ");
	ck_assert(l1 && l2 && l3 && l1 < l2 && l2 < l3);
	const struct answer *e = answers_find(&a, "art-2");
	ck_assert(answers_time_valid(e->time, strlen(e->time)));
	ck_assert_ptr_nonnull(strstr(text, e->time));
	free(text);
	/* A state that does not fit the item, or an id the content lacks, is refused. */
	ck_assert_int_eq(answers_set(&a, "diag-01", ANSWER_DONE, NULL, T0), -EINVAL);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_YES, NULL, T0), -EINVAL);
	ck_assert_int_eq(answers_set(&a, "p9-9", ANSWER_DONE, NULL, T0), -ENOENT);
	ck_assert_str_ne(answers_error(&a), "");
	/* Back to not answered: the line goes, unless a note keeps it as "open". */
	ck_assert_int_eq(answers_set(&a, "art-2", ANSWER_NONE, "", T0), 0);
	ck_assert_ptr_null(answers_find(&a, "art-2"));
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_NONE, NULL, T0), 0);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_NONE);
	ck_assert_ptr_nonnull(answers_find(&a, "p1-1"));
	answers_close(&a);
	text = testutil_slurp(p, NULL);
	ck_assert_ptr_null(strstr(text, "art-2"));
	ck_assert_ptr_nonnull(strstr(text, "\np1-1 open "));
	free(text);
	/* The file reads back the same. */
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_int_eq(answers_get(&a, "diag-02"), ANSWER_PARTLY);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_NONE);
	answers_close(&a);
	free(p);
}
END_TEST

START_TEST(test_missing_file)
{
	char *p = testutil_path(tmp, "none.txt");
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), -ENOENT);
	ck_assert_ptr_nonnull(strstr(answers_error(&a), "none.txt"));
	answers_close(&a);
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE | ANSWERS_READONLY), -ENOENT);
	answers_close(&a);
	ck_assert_int_eq(access(p, F_OK), -1);
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_uint_eq(a.n, 0);
	answers_close(&a);
	char *text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(strncmp(text, "mamori-answers 2\n", 17), 0);
	free(text);
	free(p);
}
END_TEST

static void check_modes(mode_t mask)
{
	mode_t old = umask(mask);
	char *p = testutil_path(tmp, "m.txt");
	struct answers a;
	struct stat st;
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	answers_close(&a);
	/* A hand-made file with a wide mode is 0600 after the first save. */
	char *q = testutil_path(tmp, "wide.txt");
	ck_assert_int_eq(testutil_write(q, "mamori-answers 1\n", 17), 0);
	ck_assert_int_eq(chmod(q, 0666), 0);
	ck_assert_int_eq(answers_open(&a, q, &fx, 0), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0), 0);
	ck_assert_int_eq(stat(q, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	answers_close(&a);
	umask(old);
	free(p);
	free(q);
}

START_TEST(test_modes_umask_000)
{
	check_modes(0);
}
END_TEST

START_TEST(test_modes_umask_077)
{
	check_modes(077);
}
END_TEST

/* Names in tmp/sub that look like our temp files. */
static int count_temps(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '\\.tmp\\.' || true", dir);
	FILE *f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	int n = -1;
	ck_assert_int_eq(fscanf(f, "%d", &n), 1);
	pclose(f);
	return n;
}

/* Open p, answer p1-1, and return the file's bytes. */
static char *prepare_saved(struct answers *a, const char *p, size_t *len)
{
	ck_assert_int_eq(answers_open(a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_int_eq(answers_set(a, "p1-1", ANSWER_DONE, "前の内容", T0), 0);
	char *before = testutil_slurp(p, len);
	ck_assert_ptr_nonnull(before);
	return before;
}

static void assert_unchanged(const char *p, const char *before, size_t len)
{
	size_t n;
	char *after = testutil_slurp(p, &n);
	ck_assert_ptr_nonnull(after);
	ck_assert_uint_eq(n, len);
	ck_assert_int_eq(memcmp(before, after, len), 0);
	free(after);
}

START_TEST(test_failed_save_fsize)
{
	/* RLIMIT_FSIZE stops the write even for root: the save must fail cleanly. */
	char *p = testutil_path(tmp, "f.txt");
	struct answers a;
	size_t len;
	char *before = prepare_saved(&a, p, &len);
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit old, lim;
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 64;
	char note[200];
	memset(note, 'n', sizeof note - 1);
	note[sizeof note - 1] = '\0';
	int lr = setrlimit(RLIMIT_FSIZE, &lim);
	int r = answers_set(&a, "art-1", ANSWER_DONE, note, T0);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert_int_eq(lr, 0);
	ck_assert_int_eq(r, -EFBIG);
	ck_assert_ptr_nonnull(strstr(answers_error(&a), "unchanged"));
	assert_unchanged(p, before, len);
	ck_assert_int_eq(count_temps(tmp), 0);
	/* Memory matches the file: the change was undone. */
	ck_assert_int_eq(answers_get(&a, "art-1"), ANSWER_NONE);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_DONE);
	/* And a changed item keeps its old state and note. */
	signal(SIGXFSZ, SIG_IGN);
	/* No assertions while the limit holds: Check itself writes to a file. */
	lr = setrlimit(RLIMIT_FSIZE, &lim);
	r = answers_set(&a, "p1-1", ANSWER_TODO, note, T0 + 5);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert_int_eq(lr, 0);
	ck_assert_int_lt(r, 0);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_DONE);
	ck_assert_str_eq(answers_find(&a, "p1-1")->note, "前の内容");
	assert_unchanged(p, before, len);
	/* With the limit gone, saving works again. */
	ck_assert_int_eq(answers_set(&a, "art-1", ANSWER_DONE, note, T0), 0);
	answers_close(&a);
	free(before);
	free(p);
}
END_TEST

START_TEST(test_save_stays_in_opened_dir)
{
	/*
	 * The file's directory is moved away and a plain file put in its place:
	 * the save goes on in the directory that was opened (now "moved"), and
	 * nothing is created at the old path.  Before, every save resolved the
	 * path again, so a swapped directory (or a symlink) redirected it.
	 */
	char *sub = testutil_path(tmp, "sub"), *moved = testutil_path(tmp, "moved");
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	char p[4200], oldp[4200];
	snprintf(p, sizeof p, "%s/a.txt", sub);
	snprintf(oldp, sizeof oldp, "%s/a.txt", moved);
	struct answers a;
	size_t len;
	char *before = prepare_saved(&a, p, &len);
	ck_assert_int_eq(rename(sub, moved), 0);
	ck_assert_int_eq(testutil_write(sub, "not a dir", 9), 0);
	ck_assert_int_eq(answers_set(&a, "p1-2", ANSWER_DONE, NULL, T0), 0);
	char *after = testutil_slurp(oldp, NULL);
	ck_assert_ptr_nonnull(strstr(after, "\np1-2 done "));
	ck_assert_ptr_nonnull(strstr(after, "前の内容"));
	free(after);
	after = testutil_slurp(sub, NULL);
	ck_assert_str_eq(after, "not a dir");
	free(after);
	/* Swapped for a symlink to another directory: the same. */
	char *evil = testutil_path(tmp, "evil");
	ck_assert_int_eq(mkdir(evil, 0777), 0);
	ck_assert_int_eq(unlink(sub), 0);
	ck_assert_int_eq(symlink(evil, sub), 0);
	ck_assert_int_eq(answers_set(&a, "p1-3", ANSWER_DONE, NULL, T0), 0);
	after = testutil_slurp(oldp, NULL);
	ck_assert_ptr_nonnull(strstr(after, "\np1-3 done "));
	free(after);
	ck_assert_int_eq(count_temps(evil), 0);
	char *planted = testutil_path(evil, "a.txt");
	ck_assert_int_eq(access(planted, F_OK), -1);
	ck_assert_int_eq(count_temps(moved), 0);
	answers_close(&a);
	free(planted);
	free(evil);
	free(before);
	free(sub);
	free(moved);
}
END_TEST

START_TEST(test_failed_save_readonly_dir)
{
	if (geteuid() == 0)
		return; /* root writes into a 0500 directory: covered by the tests above */
	char *sub = testutil_path(tmp, "ro");
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	char p[4200];
	snprintf(p, sizeof p, "%s/a.txt", sub);
	struct answers a;
	size_t len;
	char *before = prepare_saved(&a, p, &len);
	ck_assert_int_eq(chmod(sub, 0500), 0);
	ck_assert_int_eq(answers_set(&a, "p1-2", ANSWER_DONE, NULL, T0), -EACCES);
	assert_unchanged(p, before, len);
	answers_close(&a);
	/* Opened now, it says so at once and takes no lock. */
	struct answers b;
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(a.readonly, 1);
	ck_assert_ptr_nonnull(strstr(a.readonly_reason, "directory"));
	ck_assert_int_eq(answers_open(&b, p, &fx, 0), 0);
	ck_assert_ptr_nonnull(strstr(b.readonly_reason, "directory"));
	answers_close(&b);
	answers_close(&a);
	chmod(sub, 0700);
	free(before);
	free(sub);
}
END_TEST

START_TEST(test_lock_second_open_readonly)
{
	char *p = testutil_path(tmp, "l.txt");
	struct answers a, b, c;
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_int_eq(a.readonly, 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0), 0);
	/* flock is per open file description, so this works within one process. */
	ck_assert_int_eq(answers_open(&b, p, &fx, 0), 0);
	ck_assert_int_eq(b.readonly, 1);
	ck_assert_ptr_nonnull(strstr(b.readonly_reason, "another mamori"));
	ck_assert_int_eq(answers_get(&b, "p1-1"), ANSWER_DONE);
	size_t len;
	char *before = testutil_slurp(p, &len);
	ck_assert_int_eq(answers_set(&b, "p1-2", ANSWER_DONE, NULL, T0), -EROFS);
	ck_assert_int_eq(answers_save(&b), -EROFS);
	ck_assert_int_eq(answers_get(&b, "p1-2"), ANSWER_NONE);
	assert_unchanged(p, before, len);
	free(before);
	/* A save renames a new file over the old one: the lock must move with it. */
	ck_assert_int_eq(answers_set(&a, "p1-3", ANSWER_DONE, NULL, T0), 0);
	ck_assert_int_eq(answers_open(&c, p, &fx, 0), 0);
	ck_assert_int_eq(c.readonly, 1);
	ck_assert_int_eq(answers_get(&c, "p1-3"), ANSWER_DONE);
	answers_close(&c);
	/* A read-only open (--progress) takes no lock and never writes. */
	ck_assert_int_eq(answers_open(&c, p, &fx, ANSWERS_READONLY), 0);
	ck_assert_int_eq(c.readonly, 1);
	ck_assert_int_eq(answers_set(&c, "p1-2", ANSWER_DONE, NULL, T0), -EROFS);
	answers_close(&c);
	/* When the writer leaves, the next open may write. */
	answers_close(&a);
	answers_close(&b);
	ck_assert_int_eq(answers_open(&c, p, &fx, 0), 0);
	ck_assert_int_eq(c.readonly, 0);
	ck_assert_int_eq(answers_set(&c, "p1-2", ANSWER_DONE, NULL, T0), 0);
	answers_close(&c);
	free(p);
}
END_TEST

START_TEST(test_stale_temps_and_symlinks)
{
	char *p = testutil_path(tmp, "t.txt");
	char *stale = testutil_path(tmp, ".t.txt.tmp.AbC123");
	char *other = testutil_path(tmp, ".t.txt.tmp.long1234");
	char *foreign = testutil_path(tmp, ".u.txt.tmp.AbC123");
	ck_assert_int_eq(testutil_write(p, "mamori-answers 1\np1-1 done -\n", 29), 0);
	ck_assert_int_eq(testutil_write(stale, "half", 4), 0);
	ck_assert_int_eq(testutil_write(other, "x", 1), 0);
	ck_assert_int_eq(testutil_write(foreign, "x", 1), 0);
	struct answers a, b;
	/* A read-only opener must not touch them (the writer may be mid-save). */
	ck_assert_int_eq(answers_open(&b, p, &fx, ANSWERS_READONLY), 0);
	ck_assert_int_eq(access(stale, F_OK), 0);
	answers_close(&b);
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(access(stale, F_OK), -1);
	ck_assert_int_eq(access(other, F_OK), 0);
	ck_assert_int_eq(access(foreign, F_OK), 0);
	answers_close(&a);

	/* A symlink is never followed, whatever it points to. */
	char *link = testutil_path(tmp, "link.txt");
	ck_assert_int_eq(symlink(p, link), 0);
	ck_assert_int_eq(answers_open(&a, link, &fx, ANSWERS_CREATE), -ELOOP);
	ck_assert_ptr_nonnull(strstr(answers_error(&a), "symbolic link"));
	answers_close(&a);
	ck_assert_int_eq(answers_open(&a, tmp, &fx, 0), -EISDIR);
	ck_assert_ptr_nonnull(strstr(answers_error(&a), "directory"));
	answers_close(&a);
	ck_assert_int_eq(answers_open(&a, tmp, &fx, ANSWERS_READONLY), -EINVAL);
	answers_close(&a);
	char *fifo = testutil_path(tmp, "fifo");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(answers_open(&a, fifo, &fx, ANSWERS_READONLY), -EINVAL);
	answers_close(&a);
	free(fifo);
	free(link);
	free(p);
	free(stale);
	free(other);
	free(foreign);
}
END_TEST

START_TEST(test_time_format)
{
	char buf[32];
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	setenv("TZ", "UTC0", 1);
	tzset();
	answers_format_time(T0, buf);
	ck_assert_str_eq(buf, "2026-11-25T00:30:00Z");
	setenv("TZ", "JST-9", 1);
	tzset();
	answers_format_time(T0, buf);
	ck_assert_str_eq(buf, "2026-11-25T09:30:00+09:00");
	setenv("TZ", "EST5", 1);
	tzset();
	answers_format_time(T0, buf);
	ck_assert_str_eq(buf, "2026-11-24T19:30:00-05:00");
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
	static const char *const good[] = { "2026-11-25T09:30:00+09:00", "2026-11-25T00:30:00Z",
		                            "2026-11-25T00:30:00.5-0330", "2026-02-28t23:59:60z" };
	static const char *const bad[] = { "2026-11-25",
		                           "2026-11-25T09:30:00",
		                           "2026-11-25 09:30:00Z",
		                           "2026-11-25T24:00:00Z",
		                           "2026-00-25T09:30:00Z",
		                           "2026-11-25T09:30:00+9",
		                           "2026-11-25T09:30:00Zx",
		                           "2026-11-25T09:30:00.Z" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(answers_time_valid(good[i], strlen(good[i])), "%s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!answers_time_valid(bad[i], strlen(bad[i])), "%s", bad[i]);
}
END_TEST

START_TEST(test_state_names)
{
	for (int s = 0; s < ANSWER_STATE_COUNT; s++) {
		const char *w = answers_state_name((enum answer_state)s);
		ck_assert_int_eq(answers_state_parse(w, strlen(w)), s);
	}
	ck_assert_int_eq(answers_state_parse("Done", 4), -1);
	ck_assert_int_eq(answers_state_parse("don", 3), -1);
	ck_assert_int_eq(answers_state_points(ANSWER_YES), 4);
	ck_assert_int_eq(answers_state_points(ANSWER_PARTLY), 2);
	ck_assert_int_eq(answers_state_points(ANSWER_NO), 0);
	ck_assert_int_eq(answers_state_points(ANSWER_UNKNOWN), -1);
	ck_assert_int_eq(answers_state_points(ANSWER_DONE), 0);
}
END_TEST

START_TEST(test_no_doc)
{
	/* Without a doc, every well-formed id is kept and saving keeps file order. */
	static const char s[] = "mamori-answers 1\nz-9 done -\na-1 yes -\n";
	struct answers a;
	ck_assert_int_eq(answers_parse_buffer(&a, "f.txt", s, sizeof s - 1, NULL), 0);
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_int_eq(answers_get(&a, "a-1"), ANSWER_YES);
	char *out = ser(&a);
	ck_assert(strstr(out, "z-9 done") < strstr(out, "a-1 yes"));
	free(out);
	answers_close(&a);
}
END_TEST

/* Replace the bytes of p in place (same inode), then give it back the mtime it had. */
static void rewrite_keep_mtime(const char *p, const char *text)
{
	struct stat st;
	ck_assert_int_eq(stat(p, &st), 0);
	FILE *f = fopen(p, "r+");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	struct timespec ts[2] = { st.st_atim, st.st_mtim };
	ck_assert_int_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
}

START_TEST(test_changed_on_disk_reloaded)
{
	char *p = testutil_path(tmp, "e.txt");
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, "mine", T0), 0);
	/* A line appended by hand while mamori runs. */
	FILE *f = fopen(p, "a");
	ck_assert_ptr_nonnull(f);
	fputs("art-1 done 2026-11-25T00:00:00Z by hand\n", f);
	fclose(f);
	int r = answers_set(&a, "p1-2", ANSWER_NA, NULL, T0);
	ck_assert_int_eq(r, ANSWERS_SAVED_RELOADED);
	char *text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\np1-1 done "));
	ck_assert_ptr_nonnull(strstr(text, "\np1-2 na "));
	ck_assert_ptr_nonnull(strstr(text, "\nart-1 done 2026-11-25T00:00:00Z by hand\n"));
	free(text);
	ck_assert_int_eq(answers_get(&a, "art-1"), ANSWER_DONE);
	/* Unchanged since: a plain save, no reload. */
	ck_assert_int_eq(answers_set(&a, "p1-3", ANSWER_DONE, NULL, T0), 0);

	/* An editor's save: a new file renamed over the name. */
	text = testutil_slurp(p, NULL);
	char *edited = malloc(strlen(text) + 64);
	ck_assert_ptr_nonnull(edited);
	sprintf(edited, "%sart-2 todo - editor\n", text);
	char *side = testutil_path(tmp, "e.txt.new");
	ck_assert_int_eq(testutil_write(side, edited, strlen(edited)), 0);
	ck_assert_int_eq(rename(side, p), 0);
	ck_assert_int_eq(answers_set(&a, "art-3", ANSWER_DONE, NULL, T0), ANSWERS_SAVED_RELOADED);
	free(text);
	text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\nart-2 todo - editor\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nart-3 done "));
	ck_assert_ptr_nonnull(strstr(text, "\np1-3 done "));

	/* Same size, same inode, mtime put back: only the bytes tell. */
	char *q = strstr(text, "p1-3 done");
	ck_assert_ptr_nonnull(q);
	memcpy(q, "p1-3 todo", 9);
	rewrite_keep_mtime(p, text);
	ck_assert_int_eq(answers_set(&a, "art-4", ANSWER_DONE, NULL, T0), ANSWERS_SAVED_RELOADED);
	ck_assert_int_eq(answers_get(&a, "p1-3"), ANSWER_TODO);
	free(text);
	text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\np1-3 todo "));
	ck_assert_ptr_nonnull(strstr(text, "\nart-4 done "));
	free(text);

	/* Removed by someone: memory is written back, and that is said too. */
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(answers_set(&a, "art-5", ANSWER_DONE, NULL, T0), ANSWERS_SAVED_RECREATED);
	text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\nart-4 done "));
	ck_assert_ptr_nonnull(strstr(text, "\nart-5 done "));
	free(text);

	/* Replaced by a newer format: read again, and then nothing is written. */
	ck_assert_int_eq(testutil_write(p, "mamori-answers 9\np1-1 todo -\n", 29), 0);
	ck_assert_int_eq(answers_set(&a, "p1-2", ANSWER_DONE, NULL, T0), -EROFS);
	ck_assert_ptr_nonnull(strstr(answers_error(&a), "changed on disk"));
	text = testutil_slurp(p, NULL);
	ck_assert_str_eq(text, "mamori-answers 9\np1-1 todo -\n");
	free(text);
	answers_close(&a);
	free(edited);
	free(side);
	free(p);
}
END_TEST

/* In a child process: open p for writing; exit 0 when it is the writer, 2 read-only, 1 failed. */
static int child_open(const char *p)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct answers b;
		int r = answers_open(&b, p, &fx, 0);
		int code = r < 0 ? 1 : b.readonly ? 2 : 0;
		if (code == 0 && answers_set(&b, "art-1", ANSWER_DONE, "child", T0) < 0)
			code = 1;
		_exit(code);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(test_lock_survives_replace)
{
	char *p = testutil_path(tmp, "r.txt"), *side = testutil_path(tmp, "r.new");
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0), 0);
	ck_assert_int_eq(child_open(p), 2);
	/* `mv new file` (rsync, an editor): the name now is another inode. */
	ck_assert_int_eq(testutil_write(side, "mamori-answers 1\np1-2 done -\n", 29), 0);
	ck_assert_int_eq(rename(side, p), 0);
	ck_assert_int_eq(child_open(p), 2);
	char *text = testutil_slurp(p, NULL);
	ck_assert_ptr_null(strstr(text, "child"));
	free(text);
	/* Our own saves keep it too. */
	ck_assert_int_eq(answers_set(&a, "p1-3", ANSWER_DONE, NULL, T0), ANSWERS_SAVED_RELOADED);
	ck_assert_int_eq(child_open(p), 2);
	/* The lock file is beside it, 0600, while held; gone when the writer closes. */
	char *lock = testutil_path(tmp, ".r.txt.lock");
	struct stat st;
	ck_assert_int_eq(lstat(lock, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	answers_close(&a);
	ck_assert_int_eq(lstat(lock, &st), -1);
	/* Once the writer is gone, the next one may write. */
	ck_assert_int_eq(child_open(p), 0);
	text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\nart-1 done "));
	ck_assert_ptr_nonnull(strstr(text, "\np1-2 done "));
	ck_assert_ptr_nonnull(strstr(text, "\np1-3 done "));
	free(text);
	/* A lock file left by a killed writer (no flock on it) is taken over. */
	ck_assert_int_eq(testutil_write(lock, "", 0), 0);
	ck_assert_int_eq(child_open(p), 0);
	free(lock);
	free(side);
	free(p);
}
END_TEST

START_TEST(test_live_temp_kept)
{
	/* A temp file whose writer still holds its lock is live: never removed. */
	char *p = testutil_path(tmp, "v.txt"), *live = testutil_path(tmp, ".v.txt.tmp.LiVe12");
	char *dead = testutil_path(tmp, ".v.txt.tmp.DeAd12");
	ck_assert_int_eq(testutil_write(p, "mamori-answers 1\n", 17), 0);
	ck_assert_int_eq(testutil_write(live, "x", 1), 0);
	ck_assert_int_eq(testutil_write(dead, "x", 1), 0);
	int fd = open(live, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(a.readonly, 0);
	ck_assert_int_eq(access(live, F_OK), 0);
	ck_assert_int_eq(access(dead, F_OK), -1);
	answers_close(&a);
	close(fd);
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(access(live, F_OK), -1);
	answers_close(&a);
	free(dead);
	free(live);
	free(p);
}
END_TEST

/* 1 when some line-0 diagnostic of a contains what. */
static int has_note(const struct answers *a, const char *what)
{
	for (size_t i = 0; i < a->ndiags; i++)
		if (a->diags[i].line == 0 && strstr(a->diags[i].msg, what))
			return 1;
	return 0;
}

START_TEST(test_wide_mode_narrowed_at_open)
{
	char *p = testutil_path(tmp, "w.txt");
	struct answers a;
	struct stat st;
	ck_assert_int_eq(testutil_write(p, "mamori-answers 1\np1-1 done -\nbad line\n", 38), 0);
	ck_assert_int_eq(chmod(p, 0644), 0);
	/* A read-only look changes nothing. */
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_READONLY), 0);
	answers_close(&a);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	/* The writer narrows it at open, before any change, and says so once, first. */
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert(has_note(&a, "narrowed to 0600"));
	ck_assert(has_note(&a, "0644"));
	ck_assert_int_eq(a.diags[0].line, 0);
	ck_assert_ptr_nonnull(strstr(a.diags[0].msg, "w.txt: "));
	ck_assert_uint_eq(a.ndiags, 2); /* and the bad line */
	answers_close(&a);
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert(!has_note(&a, "narrowed"));
	answers_close(&a);
	/* 0666 too. */
	ck_assert_int_eq(chmod(p, 0666), 0);
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert(has_note(&a, "0666"));
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	answers_close(&a);
	/* Another user's file (only root can set that up): a warning. */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(p, 65534, 65534), 0);
		ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
		ck_assert(has_note(&a, "belongs to another user (uid 65534)"));
		answers_close(&a);
		ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_READONLY), 0);
		ck_assert(has_note(&a, "belongs to another user"));
		answers_close(&a);
	}
	free(p);
}
END_TEST

START_TEST(test_dir_fsync_fails_after_rename)
{
	/*
	 * fsync of an O_PATH directory fd fails (EBADF), while renameat through it
	 * works: the rename is done, so the change is kept, with a distinct result.
	 */
	int dfd = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dfd, 0);
	struct answers a;
	ck_assert_int_eq(answers_openat(&a, dfd, "s.txt", "s.txt", &fx, ANSWERS_CREATE), 0);
	close(dfd);
	ck_assert_int_eq(a.readonly, 0);
	int r = answers_set(&a, "p1-1", ANSWER_DONE, "kept", T0);
	ck_assert_int_eq(r, ANSWERS_SAVED_UNSYNCED);
	ck_assert_ptr_nonnull(strstr(answers_error(&a), "saved"));
	ck_assert_ptr_null(strstr(answers_error(&a), "unchanged"));
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_DONE);
	char *p = testutil_path(tmp, "s.txt");
	char *text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\np1-1 done "));
	free(text);
	/* And the next change is not taken for someone else's edit. */
	ck_assert_int_eq(answers_set(&a, "p1-2", ANSWER_DONE, NULL, T0), ANSWERS_SAVED_UNSYNCED);
	answers_close(&a);
	free(p);
}
END_TEST

/*
 * answers_set_fields: NULL keeps a field, "" clears it, the state and the
 * time stay, a bad date is refused with its message and changes nothing,
 * everything is saved at once and read back.  An item with only an owner
 * is written "open"; clearing everything removes its line.
 */
START_TEST(test_set_fields)
{
	char *p = testutil_path(tmp, "fields.txt");
	struct answers a, b;
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, "メモ", T0), 0);
	ck_assert_int_eq(answers_set_fields(&a, "p1-1", NULL, "情シス佐藤", "2027-03-31", T0 + 60), 0);
	const struct answer *e = answers_find(&a, "p1-1");
	ck_assert_int_eq(e->state, ANSWER_DONE);
	ck_assert_str_eq(e->note, "メモ");
	ck_assert_str_eq(e->owner, "情シス佐藤");
	ck_assert_str_eq(e->due, "2027-03-31");
	char t0[32];
	answers_format_time(T0, t0);
	ck_assert_str_eq(e->time, t0); /* who and by when do not confirm the answer */
	/* A bad date: refused, with the message, and nothing changed on disk or in memory. */
	char *before = testutil_slurp(p, NULL);
	ck_assert_int_eq(answers_set_fields(&a, "p1-1", "別のメモ", "", "2027-02-30", T0), -EINVAL);
	ck_assert_str_eq(answers_error(&a), "2027-02-30: February 2027 has 28 days");
	assert_unchanged(p, before, strlen(before));
	free(before);
	e = answers_find(&a, "p1-1");
	ck_assert_str_eq(e->note, "メモ");
	ck_assert_str_eq(e->owner, "情シス佐藤");
	/* "" clears, NULL keeps, blanks at the ends go. */
	ck_assert_int_eq(answers_set_fields(&a, "p1-1", "", NULL, " 2028-02-29 ", T0), 0);
	e = answers_find(&a, "p1-1");
	ck_assert_str_eq(e->note, "");
	ck_assert_str_eq(e->owner, "情シス佐藤");
	ck_assert_str_eq(e->due, "2028-02-29");
	/* Only an owner on an unanswered item: an "open" line. */
	ck_assert_int_eq(answers_set_fields(&a, "p1-2", NULL, "総務部", NULL, T0), 0);
	ck_assert_int_eq(answers_get(&a, "p1-2"), ANSWER_NONE);
	char *text = testutil_slurp(p, NULL);
	ck_assert_int_eq(strncmp(text, "mamori-answers 2\n", 17), 0);
	ck_assert_ptr_nonnull(strstr(text, "\np1-1 done "));
	ck_assert_ptr_nonnull(strstr(text, "\n  owner 情シス佐藤\n  due 2028-02-29\np1-2 open "));
	ck_assert_ptr_nonnull(strstr(text, "\n  owner 総務部\n"));
	free(text);
	/* Read back by another opener (after this one lets go). */
	answers_close(&a);
	ck_assert_int_eq(answers_open(&b, p, &fx, ANSWERS_READONLY), 0);
	ck_assert_uint_eq(b.ndiags, 0);
	ck_assert_str_eq(answers_find(&b, "p1-1")->due, "2028-02-29");
	ck_assert_str_eq(answers_find(&b, "p1-2")->owner, "総務部");
	answers_close(&b);
	/* Clearing the owner of a line with nothing else removes it. */
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(answers_set_fields(&a, "p1-2", NULL, "", NULL, T0), 0);
	ck_assert_ptr_null(answers_find(&a, "p1-2"));
	text = testutil_slurp(p, NULL);
	ck_assert_ptr_null(strstr(text, "p1-2"));
	free(text);
	/* Clearing the state keeps a line that still has an owner. */
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_NONE, "", T0), 0);
	ck_assert_ptr_nonnull(answers_find(&a, "p1-1"));
	ck_assert_str_eq(answers_find(&a, "p1-1")->owner, "情シス佐藤");
	/* Errors: unknown item, read-only. */
	ck_assert_int_eq(answers_set_fields(&a, "zz-9", "x", NULL, NULL, T0), -ENOENT);
	answers_close(&a);
	ck_assert_int_eq(answers_open(&b, p, &fx, ANSWERS_READONLY), 0);
	ck_assert_int_eq(answers_set_fields(&b, "p1-1", "x", NULL, NULL, T0), -EROFS);
	answers_close(&b);
	free(p);
}
END_TEST

/*
 * An owner or due set from mamori replaces every line of its kind: a second
 * owner line kept from the file (reported, not read) goes with the change,
 * or clearing the owner would bring it back as the owner on the next read.
 * Other kept lines and comments stay.
 */
START_TEST(test_set_fields_replaces_kept_lines)
{
	char *p = testutil_path(tmp, "kept.txt");
	static const char text0[] = "mamori-answers 2\n"
				    "p1-1 done -\n"
				    "  owner 総務部\n"
				    "  owner 二人目\n"   /* a second owner: kept, not read */
				    "  due 2027-02-30\n" /* not a date: kept */
				    "  colour 赤\n";
	ck_assert_int_eq(testutil_write(p, text0, sizeof text0 - 1), 0);
	struct answers a, b;
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_str_eq(answers_find(&a, "p1-1")->owner, "総務部");
	ck_assert_int_eq(answers_set_fields(&a, "p1-1", NULL, "", NULL, T0), 0);
	char *text = testutil_slurp(p, NULL);
	ck_assert_ptr_null(strstr(text, "\n  owner"));
	ck_assert_ptr_nonnull(strstr(text, "p1-1 done -\n  due 2027-02-30\n  colour 赤\n"));
	free(text);
	answers_close(&a);
	ck_assert_int_eq(answers_open(&b, p, &fx, ANSWERS_READONLY), 0);
	ck_assert_str_eq(answers_find(&b, "p1-1")->owner, "");
	answers_close(&b);
	/* A due set replaces the kept due line; the owner, not set, is untouched. */
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(answers_set_fields(&a, "p1-1", NULL, NULL, "2027-03-31", T0), 0);
	text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(strstr(text, "p1-1 done -\n  due 2027-03-31\n  colour 赤\n"));
	ck_assert_ptr_null(strstr(text, "2027-02-30"));
	free(text);
	answers_close(&a);
	free(p);
}
END_TEST

/* A note and an owner of 100 kB go through the file whole: no cut anywhere. */
START_TEST(test_long_fields_saved_whole)
{
	char *p = testutil_path(tmp, "long.txt");
	size_t n = 100 * 1024;
	char *note = malloc(n + 1), *owner = malloc(n + 1);
	for (size_t i = 0; i < n; i += 3)
		memcpy(note + i, i + 3 <= n ? "長" : "xxx", i + 3 <= n ? 3 : n - i);
	note[n] = '\0';
	for (size_t i = 0; i < n; i++)
		owner[i] = "ab\\\t\n c"[i % 7];
	owner[0] = 'o';
	owner[n - 1] = 'z';
	owner[n] = '\0';
	struct answers a, b;
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_int_eq(answers_set(&a, "diag-01", ANSWER_PARTLY, note, T0), 0);
	ck_assert_int_eq(answers_set_fields(&a, "diag-01", NULL, owner, NULL, T0), 0);
	answers_close(&a);
	ck_assert_int_eq(answers_open(&b, p, &fx, ANSWERS_READONLY), 0);
	ck_assert_str_eq(answers_find(&b, "diag-01")->note, note);
	ck_assert_str_eq(answers_find(&b, "diag-01")->owner, owner);
	answers_close(&b);
	free(note);
	free(owner);
	free(p);
}
END_TEST

/*
 * A version 1 file is opened and used without being rewritten; the first
 * change saves it as version 2, with everything it held.
 */
START_TEST(test_v1_rewritten_only_on_change)
{
	char *p = testutil_path(tmp, "v1.txt");
	static const char v1[] =
		"mamori-answers 1\n"
		"# id state time note    states: done todo na | yes partly no unknown | open\n"
		"company サンプル\n"
		"# 手書き\n"
		"p1-1 done 2026-11-25T09:30:00+09:00 メモ\n"
		"zz-old todo -\n";
	ck_assert_int_eq(testutil_write(p, v1, sizeof v1 - 1), 0);
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(a.readonly, 0);
	ck_assert_int_eq(a.version, 1);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_DONE);
	answers_close(&a);
	assert_unchanged(p, v1, sizeof v1 - 1);
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_int_eq(answers_set_fields(&a, "p1-1", NULL, "総務部", NULL, T0), 0);
	answers_close(&a);
	char *text = testutil_slurp(p, NULL);
	ck_assert_int_eq(strncmp(text, "mamori-answers 2\n", 17), 0);
	ck_assert_ptr_nonnull(strstr(text, "\ncompany サンプル\n"));
	ck_assert_ptr_nonnull(
		strstr(text, "\n# 手書き\np1-1 done 2026-11-25T09:30:00+09:00 メモ\n  owner 総務部\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nzz-old todo -\n"));
	/* The old help line is ours: not kept twice as a comment. */
	ck_assert_ptr_nonnull(strstr(text, "# id state"));
	ck_assert_ptr_null(strstr(strstr(text, "# id state") + 1, "# id state"));
	free(text);
	free(p);
}
END_TEST

/*
 * 未確認: with a started line, an answer older than it (or with no time)
 * is unconfirmed; confirming stamps now and keeps everything else; a
 * changed answer is confirmed by its change; the count per group follows.
 */
START_TEST(test_unconfirmed_and_confirm)
{
	char *p = testutil_path(tmp, "q.txt");
	static const char s[] = "mamori-answers 2\n"
				"started 2026-12-06T10:00:00+09:00\n"
				"p1-1 done 2026-11-25T09:30:00+09:00 古い\n"
				"  owner 佐藤\n"
				"p1-2 todo -\n"
				"p1-3 done 2026-12-06T01:00:00Z\n" /* the start itself: not older */
				"art-1 open - メモだけ\n"
				"diag-01 no 2026-12-06T23:59:59Z\n";
	ck_assert_int_eq(testutil_write(p, s, sizeof s - 1), 0);
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, &fx, 0), 0);
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-1")), 1);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-2")), 1);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-3")), 0);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "art-1")), 0); /* not an answer */
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "diag-01")), 0);
	ck_assert_int_eq(answers_unconfirmed(&a, NULL), 0);
	int gp = doc_find_group(&fx, "p1"), gd = doc_find_group(&fx, "diag-part1");
	ck_assert_uint_eq(answers_count_unconfirmed(&a, (size_t)gp), 2);
	ck_assert_uint_eq(answers_count_unconfirmed(&a, (size_t)gd), 0);
	ck_assert_uint_eq(answers_count_unconfirmed(&a, 999), 0);
	/* Confirm: time = now, the rest kept, saved. */
	time_t now = T0 + 20 * 86400; /* after the start */
	ck_assert_int_eq(answers_confirm(&a, "p1-1", now), 0);
	const struct answer *e = answers_find(&a, "p1-1");
	ck_assert_int_eq(e->state, ANSWER_DONE);
	ck_assert_str_eq(e->note, "古い");
	ck_assert_str_eq(e->owner, "佐藤");
	ck_assert_int_eq(answers_unconfirmed(&a, e), 0);
	ck_assert_uint_eq(answers_count_unconfirmed(&a, (size_t)gp), 1);
	/* A change confirms too. */
	ck_assert_int_eq(answers_set(&a, "p1-2", ANSWER_DONE, NULL, now), 0);
	ck_assert_uint_eq(answers_count_unconfirmed(&a, (size_t)gp), 0);
	/* Nothing to confirm. */
	ck_assert_int_eq(answers_confirm(&a, "art-1", now), -ENOENT);
	ck_assert_int_eq(answers_confirm(&a, "art-2", now), -ENOENT);
	answers_close(&a);
	/* It is in the file: derived again on the next open. */
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_READONLY), 0);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-1")), 0);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-2")), 0);
	ck_assert_str_eq(a.started, "2026-12-06T10:00:00+09:00");
	ck_assert_int_eq(answers_confirm(&a, "p1-1", now), -EROFS);
	answers_close(&a);
	/* No started line: nothing is 未確認. */
	parse(&a, "mamori-answers 2\np1-1 done -\n", 29);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-1")), 0);
	answers_close(&a);
	free(p);
}
END_TEST

/*
 * Someone else changes the file (a new owner, a confirmation, a header
 * line) while it is open: the next change of ours is made on top of their
 * version, and header fields we set in memory survive that reload.
 */
START_TEST(test_reload_keeps_new_fields)
{
	char *p = testutil_path(tmp, "x.txt");
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, &fx, ANSWERS_CREATE), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0), 0);
	/* An editor adds an owner, a due date and a department. */
	static const char theirs[] = "mamori-answers 2\n"
				     "department 営業部\n"
				     "p1-1 done 2026-11-25T09:30:00+09:00\n"
				     "  owner 鈴木\n"
				     "  due 2027-01-31\n";
	char *side = testutil_path(tmp, "x.new");
	ck_assert_int_eq(testutil_write(side, theirs, sizeof theirs - 1), 0);
	ck_assert_int_eq(rename(side, p), 0);
	/* Ours: the respondent in memory, then a change saved. */
	ck_assert_int_eq(answers_set_header(&a, "営業部", "田中"), 0);
	ck_assert_int_eq(answers_set_fields(&a, "p1-2", "新しい", NULL, "2027-02-28", T0),
	                 ANSWERS_SAVED_RELOADED);
	ck_assert_str_eq(a.respondent, "田中");
	ck_assert_str_eq(answers_find(&a, "p1-1")->owner, "鈴木");
	ck_assert_str_eq(answers_find(&a, "p1-1")->due, "2027-01-31");
	char *text = testutil_slurp(p, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\ndepartment 営業部\nrespondent 田中\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n  owner 鈴木\n  due 2027-01-31\np1-2 open "));
	ck_assert_ptr_nonnull(strstr(text, " 新しい\n  due 2027-02-28\n"));
	free(text);
	/* Header removed with NULL and "". */
	ck_assert_int_eq(answers_set_header(&a, NULL, ""), 0);
	ck_assert_int_eq(answers_save(&a), 0);
	text = testutil_slurp(p, NULL);
	ck_assert_ptr_null(strstr(text, "department"));
	ck_assert_ptr_null(strstr(text, "respondent"));
	free(text);
	/* A confirmation made after someone else's change lands on their version. */
	static const char again[] = "mamori-answers 2\n"
				    "started 2026-12-01T00:00:00Z\n"
				    "p1-1 done 2026-11-25T09:30:00+09:00\n"
				    "  owner 山田\n";
	ck_assert_int_eq(testutil_write(side, again, sizeof again - 1), 0);
	ck_assert_int_eq(rename(side, p), 0);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-1")), 0); /* no started yet */
	ck_assert_int_eq(answers_confirm(&a, "p1-1", T0 + 30 * 86400), ANSWERS_SAVED_RELOADED);
	ck_assert_str_eq(a.started, "2026-12-01T00:00:00Z");
	ck_assert_str_eq(answers_find(&a, "p1-1")->owner, "山田");
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-1")), 0);
	ck_assert_ptr_null(answers_find(&a, "p1-2")); /* their version: no p1-2 */
	answers_close(&a);
	free(side);
	free(p);
}
END_TEST

Suite *answers_suite(void)
{
	Suite *s = suite_create("answers");
	TCase *tc = tcase_create("parse");
	tcase_add_unchecked_fixture(tc, testutil_root_setup, testutil_root_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_parse_basic);
	tcase_add_test(tc, test_crlf_bom);
	tcase_add_test(tc, test_content_order_and_unknown_ids);
	tcase_add_test(tc, test_malformed_lines_kept);
	tcase_add_test(tc, test_id_rule_shared_with_content);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_empty_and_headerless);
	tcase_add_test(tc, test_time_format);
	tcase_add_test(tc, test_state_names);
	tcase_add_test(tc, test_no_doc);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_unchecked_fixture(tc, testutil_root_setup, testutil_root_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_note_escapes);
	tcase_add_test(tc, test_set_saves_at_once);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_modes_umask_000);
	tcase_add_test(tc, test_modes_umask_077);
	tcase_add_test(tc, test_failed_save_fsize);
	tcase_add_test(tc, test_save_stays_in_opened_dir);
	tcase_add_test(tc, test_failed_save_readonly_dir);
	tcase_add_test(tc, test_lock_second_open_readonly);
	tcase_add_test(tc, test_stale_temps_and_symlinks);
	tcase_add_test(tc, test_newer_format_file);
	tcase_add_test(tc, test_changed_on_disk_reloaded);
	tcase_add_test(tc, test_lock_survives_replace);
	tcase_add_test(tc, test_live_temp_kept);
	tcase_add_test(tc, test_wide_mode_narrowed_at_open);
	tcase_add_test(tc, test_dir_fsync_fails_after_rename);
	tcase_add_test(tc, test_set_fields);
	tcase_add_test(tc, test_set_fields_replaces_kept_lines);
	tcase_add_test(tc, test_long_fields_saved_whole);
	tcase_add_test(tc, test_v1_rewritten_only_on_change);
	tcase_add_test(tc, test_unconfirmed_and_confirm);
	tcase_add_test(tc, test_reload_keeps_new_fields);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
