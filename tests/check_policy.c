/*
 * check_policy: the 情報セキュリティ基本方針 draft.  Both formats hold the
 * five headings of 付録2's sample in order, the date of 制定, the company
 * (or the placeholder when none is given) and the note that it is a draft
 * to publish; the text fits its width; what the user typed is shown, never
 * acted on (controls made visible, Markdown escaped).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/text.h"
#include "suites.h"

static const char *const headings[] = {
	"経営者の責任",       "社内体制の整備", "従業員の取り組み", "法令・契約上の要求事項の遵守",
	"違反・事故への対応",
};

static char *draft(const char *company, const char *rep, enum policy_format f, int width)
{
	struct policy_input in = { company, rep, 2027, 4, 1, f, width };
	char *s = policy_draft(&in);
	ck_assert_ptr_nonnull(s);
	ck_assert(text_valid_utf8(s, strlen(s)));
	ck_assert_uint_gt(strlen(s), 0);
	ck_assert_int_eq(s[strlen(s) - 1], '\n');
	return s;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

/* s with its line breaks and the indentation after them removed: the text variant's words wrap. */
static char *flat(const char *s)
{
	char *f = malloc(strlen(s) + 1), *o = f;
	ck_assert_ptr_nonnull(f);
	for (const char *p = s; *p; p++) {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			continue;
		}
		*o++ = *p;
	}
	*o = 0;
	return f;
}

/* Each heading once, in 付録2's order, as a heading of the format; then the date. */
static void assert_structure(const char *s, enum policy_format f)
{
	const char *at = s;
	for (size_t i = 0; i < sizeof headings / sizeof headings[0]; i++) {
		char want[256];
		if (f == POLICY_MARKDOWN)
			snprintf(want, sizeof want, "\n## %zu. %s\n", i + 1, headings[i]);
		else
			snprintf(want, sizeof want, "\n%zu. %s\n", i + 1, headings[i]);
		const char *h = strstr(at, want);
		ck_assert_msg(h != NULL, "heading %zu (%s) missing or out of order", i + 1, headings[i]);
		ck_assert_uint_eq(count(s, headings[i]), 1);
		at = h + 1;
	}
	/* The date after the last section: the signature closes the policy. */
	ck_assert_ptr_nonnull(strstr(at, "2027年4月1日 制定"));
	ck_assert_ptr_nonnull(strstr(s, f == POLICY_MARKDOWN ? "# 情報セキュリティ基本方針\n"
	                                                     : "情報セキュリティ基本方針\n"));
}

START_TEST(test_headings_company_date)
{
	for (int f = POLICY_TEXT; f <= POLICY_MARKDOWN; f++) {
		char *s = draft("株式会社サンプル", "代表取締役 山田太郎", f, 0);
		assert_structure(s, f);
		/* The company in the preamble and the signature; no placeholder left for it. */
		ck_assert_uint_eq(count(s, "株式会社サンプル"), 2);
		ck_assert_ptr_null(strstr(s, POLICY_PH_COMPANY));
		ck_assert_ptr_null(strstr(s, "【代表者名】"));
		ck_assert_ptr_nonnull(strstr(s, "代表取締役 山田太郎\n"));
		/* The signature ends the draft: date, company, representative. */
		const char *date = strstr(s, "2027年4月1日 制定");
		ck_assert_ptr_nonnull(strstr(date, "株式会社サンプル"));
		/* The note: a draft, its source, publishing, and what 二つ星 asks. */
		char *fl = flat(s);
		ck_assert_ptr_nonnull(strstr(fl, "下書き"));
		ck_assert_ptr_nonnull(
			strstr(fl, "IPA『中小企業の情報セキュリティ対策ガイドライン』付録2"));
		ck_assert_ptr_nonnull(strstr(fl, "従業員全員に知らせ"));
		ck_assert_ptr_nonnull(strstr(fl, "社外にも公開"));
		ck_assert_ptr_nonnull(strstr(fl, "情報セキュリティ自社診断」で自社の現状"));
		ck_assert_ptr_nonnull(strstr(fl, "二つ星"));
		free(fl);
		/* The note comes before the policy it is about. */
		ck_assert(strstr(s, "下書き") < strstr(s, "情報セキュリティ基本方針\n"));
		free(s);
	}
}
END_TEST

START_TEST(test_placeholders_without_company)
{
	for (int f = POLICY_TEXT; f <= POLICY_MARKDOWN; f++) {
		const char *none[] = { NULL, "" };
		for (size_t i = 0; i < 2; i++) {
			char *s = draft(none[i], none[i], f, 0);
			assert_structure(s, f);
			ck_assert_uint_eq(count(s, POLICY_PH_COMPANY), 2);
			ck_assert_uint_eq(count(s, "【代表者名】"), 1);
			ck_assert_uint_eq(count(s, "【代表者の役職】"), 1);
			/* The note tells what the brackets mean. */
			char *fl = flat(s);
			ck_assert_ptr_nonnull(strstr(fl, "【】で囲んだところ"));
			free(fl);
			free(s);
		}
	}
}
END_TEST

/* Every line of s at most width columns. */
static void assert_fits(const char *s, int width)
{
	for (const char *p = s; *p;) {
		const char *nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		size_t w = text_width(p, (size_t)(nl - p));
		ck_assert_msg(w <= (size_t)width, "line of %zu columns at width %d: %.*s", w, width,
		              (int)(nl - p), p);
		p = nl + 1;
	}
}

START_TEST(test_text_fits_width)
{
	const int widths[] = { 20, 40, 60, 80, 120 };
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		char *s = draft("とても長い名前の株式会社サンプル情報セキュリティ推進本部", NULL,
		                POLICY_TEXT, widths[i]);
		assert_fits(s, widths[i]);
		free(s);
	}
	/* 0 means 80; narrower than 20 is laid out at 20. */
	char *s = draft(NULL, NULL, POLICY_TEXT, 0), *t = draft(NULL, NULL, POLICY_TEXT, 80);
	ck_assert_str_eq(s, t);
	assert_fits(s, 80);
	free(s);
	free(t);
	s = draft(NULL, NULL, POLICY_TEXT, 5);
	assert_fits(s, 20);
	free(s);
}
END_TEST

START_TEST(test_markdown_paragraphs_one_line)
{
	/* A renderer joins a paragraph's lines with a space: each body stays on one line. */
	char *s = draft(NULL, NULL, POLICY_MARKDOWN, 20);
	ck_assert_ptr_nonnull(strstr(s, "\n当社の経営者は、"));
	const char *body = strstr(s, "当社の経営者は、");
	const char *nl = strchr(body, '\n');
	ck_assert_ptr_nonnull(strstr(body, "続くようにします。"));
	ck_assert(strstr(body, "続くようにします。") < nl);
	/* The note is a block quote with a list, before the title. */
	ck_assert_ptr_nonnull(strstr(s, "> **【下書き】"));
	ck_assert_ptr_nonnull(strstr(s, "\n> - "));
	free(s);
}
END_TEST

START_TEST(test_hostile_names)
{
	/* Controls never reach the output: the text is sanitised. */
	char *s = draft("悪い\033[2J会社\n# 見出し", "社長\r\a", POLICY_TEXT, 80);
	for (const char *p = s; *p; p++)
		ck_assert_msg(*p == '\n' || (unsigned char)*p >= 0x20, "control byte 0x%02x", *p);
	ck_assert_ptr_null(strstr(s, "\n# 見出し"));
	free(s);
	/* Markdown: typed punctuation is escaped, so it cannot become markup. */
	s = draft("*株式会社* <script>x</script> [a](b) #1", "- 代表 _x_", POLICY_MARKDOWN, 0);
	ck_assert_ptr_null(strstr(s, "<script>"));
	ck_assert_ptr_nonnull(strstr(s, "\\*株式会社\\* \\<script\\>x\\</script\\> \\[a\\](b) #1"));
	/* At the start of the signature's line a '-' would start a list. */
	ck_assert_ptr_nonnull(strstr(s, "\n\\- 代表 \\_x\\_\n"));
	free(s);
}
END_TEST

Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");
	tcase_add_test(tc, test_headings_company_date);
	tcase_add_test(tc, test_placeholders_without_company);
	tcase_add_test(tc, test_text_fits_width);
	tcase_add_test(tc, test_markdown_paragraphs_one_line);
	tcase_add_test(tc, test_hostile_names);
	suite_add_tcase(s, tc);
	return s;
}
