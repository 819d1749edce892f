/*
 * check_keyin: keyboard bytes to characters.  An invalid sequence ends at
 * the first byte that cannot continue it and that byte counts again on its
 * own, so no key after a broken character is ever swallowed; in UTF-8 and,
 * where the test locales exist, EUC-JP and Shift_JIS.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/keyin.h"
#include "suites.h"

/* Feed hex bytes; write the characters out (0 ended) and the bytes dropped. */
static size_t feed(const unsigned char *bytes, size_t n, wchar_t *out, size_t *dropped)
{
	struct keyin k;
	size_t got = 0, lost = 0;

	keyin_reset(&k);
	for (size_t i = 0; i < n; i++) {
		wchar_t wc;
		size_t d = 0;
		if (keyin_feed(&k, bytes[i], &wc, &d))
			out[got++] = wc;
		lost += d;
	}
	out[got] = 0;
	*dropped = lost;
	return got;
}

#define FEED(bytes, out, dropped) feed((const unsigned char *)(bytes), sizeof(bytes) - 1, out, dropped)

START_TEST(test_utf8)
{
	wchar_t out[16];
	size_t dropped;

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	/* Valid text goes through whole. */
	ck_assert_uint_eq(FEED("a\xe3\x81\x82z", out, &dropped), 3);
	ck_assert(out[0] == L'a' && out[1] == 0x3042 && out[2] == L'z' && dropped == 0);
	/* 0xFF is dropped; the key after it is a key. */
	ck_assert_uint_eq(FEED("\xffj", out, &dropped), 1);
	ck_assert(out[0] == L'j' && dropped == 1);
	/* C3 then 'A': C3 is dropped, 'A' is a key of its own. */
	ck_assert_uint_eq(FEED("\xc3"
	                       "A",
	                       out, &dropped),
	                  1);
	ck_assert(out[0] == L'A' && dropped == 1);
	/* A truncated E3 81 then q: q still arrives. */
	ck_assert_uint_eq(FEED("\xe3\x81q", out, &dropped), 1);
	ck_assert(out[0] == L'q' && dropped == 2);
	/* Above U+10FFFF, a surrogate, lone continuation bytes: nothing comes out, Enter after does. */
	ck_assert_uint_eq(FEED("\xf4\x90\x80\x80\n", out, &dropped), 1);
	ck_assert(out[0] == L'\n' && dropped == 4);
	ck_assert_uint_eq(FEED("\xed\xa0\x80\n", out, &dropped), 1);
	ck_assert(out[0] == L'\n' && dropped == 3);
	/* A broken sequence followed by the start of a good one: the good one survives. */
	ck_assert_uint_eq(FEED("\xe3\xe3\x81\x82", out, &dropped), 1);
	ck_assert(out[0] == 0x3042 && dropped == 1);
	/* 1,000 keys after a stray byte all arrive. */
	unsigned char many[1001];
	many[0] = 0xff;
	memset(many + 1, 'j', 1000);
	wchar_t lots[1001];
	ck_assert_uint_eq(feed(many, sizeof many, lots, &dropped), 1000);
}
END_TEST

/* Under a legacy locale, where the test machine has it. */
static int use_locale(const char *name)
{
	if (setlocale(LC_CTYPE, name))
		return 1;
	printf("SKIP: locale %s is not installed (sh build.sh test makes it)\n", name);
	return 0;
}

START_TEST(test_legacy)
{
	wchar_t out[16];
	size_t dropped;

	if (use_locale("ja_JP.EUC-JP")) {
		/* あ is A4 A2; A4 then a digit is broken: the digit is a key. */
		ck_assert_uint_eq(FEED("\xa4\xa2"
		                       "x",
		                       out, &dropped),
		                  2);
		ck_assert(out[0] == 0x3042 && out[1] == L'x' && dropped == 0);
		ck_assert_uint_eq(FEED("\xa4"
		                       "1",
		                       out, &dropped),
		                  1);
		ck_assert(out[0] == L'1' && dropped == 1);
		ck_assert_uint_eq(FEED("\xffq", out, &dropped), 1);
		ck_assert(out[0] == L'q' && dropped == 1);
	}
	if (use_locale("ja_JP.SJIS")) {
		/* あ is 82 A0; 81 then a digit is broken (no trail byte below 0x40). */
		ck_assert_uint_eq(FEED("\x82\xa0"
		                       "x",
		                       out, &dropped),
		                  2);
		ck_assert(out[0] == 0x3042 && out[1] == L'x' && dropped == 0);
		ck_assert_uint_eq(FEED("\x81"
		                       "1",
		                       out, &dropped),
		                  1);
		ck_assert(out[0] == L'1' && dropped == 1);
	}
	setlocale(LC_CTYPE, "C.UTF-8");
}
END_TEST

Suite *keyin_suite(void)
{
	Suite *s = suite_create("keyin");
	TCase *tc = tcase_create("keyin");
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_legacy);
	suite_add_tcase(s, tc);
	return s;
}
