/*
 * check_text: UTF-8 decoding, column widths and sanitising.  These decide
 * what reaches the terminal, so hostile bytes are tested here one by one.
 */
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "suites.h"

START_TEST(decode_valid_and_invalid)
{
	size_t i = 0;
	const char s[] = "a\xE6\x97\xA5\xF0\x9F\x98\x80";
	ck_assert_uint_eq(text_decode(s, strlen(s), &i), 'a');
	ck_assert_uint_eq(text_decode(s, strlen(s), &i), 0x65E5);
	ck_assert_uint_eq(text_decode(s, strlen(s), &i), 0x1F600);
	ck_assert_uint_eq(i, strlen(s));

	/* Overlong, surrogate, truncated, stray continuation: one U+FFFD per bad byte. */
	const char *bad[] = { "\xC0\xAF", "\xED\xA0\x80", "\xE3\x81", "\x80", "\xFF" };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		i = 0;
		ck_assert_uint_eq(text_decode(bad[k], strlen(bad[k]), &i), TEXT_REPLACEMENT);
		ck_assert_uint_eq(i, 1);
		ck_assert(!text_valid_utf8(bad[k], strlen(bad[k])));
	}
	ck_assert(text_valid_utf8("日本語\xEF\xBF\xBD", strlen("日本語") + 3));
}
END_TEST

START_TEST(encode_round_trip)
{
	uint32_t cps[] = { 0x41, 0xE9, 0x3042, 0xFFFD, 0x10FFFF };
	for (size_t k = 0; k < sizeof cps / sizeof cps[0]; k++) {
		char buf[4];
		size_t n = text_encode(cps[k], buf), i = 0;
		ck_assert_uint_eq(text_decode(buf, n, &i), cps[k]);
		ck_assert_uint_eq(i, n);
	}
}
END_TEST

START_TEST(widths_in_columns)
{
	ck_assert_uint_eq(text_width("abc", 3), 3);
	ck_assert_uint_eq(text_width("日本語", strlen("日本語")), 6);
	ck_assert_uint_eq(text_width("ｱｲｳ", strlen("ｱｲｳ")), 3); /* half-width kana */
	ck_assert_uint_eq(text_width("a\tb", 3), 9);            /* tab to column 8 */
	ck_assert_uint_eq(text_width("\x1b", 1), 2);            /* shown as ^[ */
	ck_assert_uint_eq(text_width("e\xCC\x81", 3), 1);       /* combining accent */
}
END_TEST

START_TEST(sanitize_shows_controls)
{
	struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "a\x1b[31mb", "a^[[31mb" },
		{ "x\x7fy", "x^?y" },
		{ "\r\n", "^M^J" },
		{ "\x07", "^G" },
		{ "\xC2\x85", "<U+0085>" }, /* C1 NEL */
		{ "\xC2\x9B"
		  "2J",
		  "<U+009B>2J" }, /* C1 CSI */
		{ "\xE2\x80\xAE"
		  "abc",
		  "<U+202E>abc" },              /* RIGHT-TO-LEFT OVERRIDE */
		{ "\xE2\x81\xA6", "<U+2066>" }, /* LEFT-TO-RIGHT ISOLATE */
		{ "a\xE2\x80\x8B"
		  "b",
		  "a<U+200B>b" },               /* ZERO WIDTH SPACE */
		{ "\xEF\xBB\xBF", "<U+FEFF>" }, /* BOM inside text */
		{ "\xFF", "\xEF\xBF\xBD" },     /* invalid byte -> U+FFFD */
		{ "\t", "        " },
		{ "ab\tc", "ab      c" },
		{ "日本語", "日本語" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char *s = text_sanitize(cases[k].in, strlen(cases[k].in));
		ck_assert_str_eq(s, cases[k].out);
		free(s);
	}
}
END_TEST

/*
 * The one "must not reach a terminal as it is" rule, against code points
 * written out by hand (not against the Unicode categories the rule uses).
 */
START_TEST(must_escape_rule)
{
	static const uint32_t escaped[] = {
		0x00,   0x01,   0x07,     0x08,   0x09,   0x0A, 0x0D, 0x1B, 0x1F, /* C0 */
		0x7F,                                                             /* DEL */
		0x80,   0x85,   0x9B,     0x9F,                                   /* C1 */
		0x202E, 0x202D, 0x2066,   0x200E,                                 /* bidi */
		0x200B, 0x200D, 0x2060,   0xFEFF, 0x00AD,                         /* invisible, BOM */
		0x2028, 0x2029,           /* line, paragraph separator */
		0xE000, 0xF8FF, 0x10FFFD, /* private use */
		0x0378, 0xFFFF, 0xE0080,  /* unassigned */
	};
	static const uint32_t shown[] = {
		'A',    'z',     '0',     ' ',    '~',    '\\',   /* ASCII */
		0xA0,   0xA9,    0xE9,                            /* NBSP, ©, é */
		0x3042, 0x3093,  0x30AB,  0x30FC, 0x3001, 0x3002, /* kana, ー, 、。 */
		0xFF71, 0xFF9E,                                   /* half-width kana */
		0x65E5, 0x672C,  0x8A9E,  0x6F22,                 /* 日本語漢 */
		0xFF11, 0xFF21,  0x203B,  0x2460, 0x3000,         /* １ Ａ ※ ① ideographic space */
		0xFFFD, 0x1F600, 0x20B9F,                         /* replacement, emoji, 𠮟 */
	};
	char vis[16];

	for (size_t k = 0; k < sizeof escaped / sizeof escaped[0]; k++) {
		ck_assert_msg(text_must_escape(escaped[k]), "U+%04X not escaped", (unsigned)escaped[k]);
		ck_assert_msg(text_visible_form(escaped[k], vis), "U+%04X has no visible form",
		              (unsigned)escaped[k]);
	}
	for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
		ck_assert_msg(!text_must_escape(shown[k]), "U+%04X escaped", (unsigned)shown[k]);
		ck_assert_msg(!text_visible_form(shown[k], vis), "U+%04X given a visible form",
		              (unsigned)shown[k]);
	}
	/* The forms: ^X for C0 and DEL, the number for the rest. */
	ck_assert(text_visible_form(0x1B, vis));
	ck_assert_str_eq(vis, "^[");
	ck_assert(text_visible_form(0x7F, vis));
	ck_assert_str_eq(vis, "^?");
	ck_assert(text_visible_form(0x85, vis));
	ck_assert_str_eq(vis, "<U+0085>");
	ck_assert(text_visible_form(0x202E, vis));
	ck_assert_str_eq(vis, "<U+202E>");
	ck_assert(text_visible_form(0x10FFFD, vis));
	ck_assert_str_eq(vis, "<U+10FFFD>");
}
END_TEST

/*
 * What text_sanitize must give for a string without tabs, character by
 * character from the public pieces (decode, visible form): the oracle
 * for its fast path, which copies runs of safe bytes without decoding.
 */
static char *reference_sanitize(const char *s, size_t len)
{
	char *out = malloc(len * 12 + 1), vis[16];
	size_t i = 0, o = 0;

	ck_assert_ptr_nonnull(out);
	while (i < len) {
		size_t at = i;
		uint32_t cp = text_decode(s, len, &i);
		if (cp == TEXT_REPLACEMENT && i - at != 3) {
			o += text_encode(cp, out + o);
		} else if (text_visible_form(cp, vis)) {
			memcpy(out + o, vis, strlen(vis));
			o += strlen(vis);
		} else {
			memcpy(out + o, s + at, i - at);
			o += i - at;
		}
	}
	out[o] = '\0';
	return out;
}

START_TEST(sanitize_fast_path_matches_the_rule)
{
	/* Pieces that meet every branch: safe runs, escapes, bad bytes at any offset. */
	static const char *const pieces[] = {
		"a",
		"Zq",
		"01234567",
		" ",
		"~",
		"\x7f",
		"\x1f",
		"\x1b[",
		"\x01",
		"日",
		"本語",
		"ー",
		"、",
		"\xE2\x80\xAE",
		"\xE2\x80\x8B",
		"\xEF\xBB\xBF",
		"\xED\xA0\x80", /* a surrogate: never copied, even after many safe characters */
		"\xE0\x80\x80", /* overlong */
		"\xE6\x97",
		"\x80",
		"\xFF",
		"\xC2\x85",
		"é",
		"\xF0\x9F\x98\x80",
		"\xEF\xBF\xBD",
		"\xEE\x80\x80", /* private use */
	};
	const size_t npieces = sizeof pieces / sizeof pieces[0];
	unsigned seed = 12345;
	char in[512];

	for (int round = 0; round < 4000; round++) {
		size_t n = 0;
		seed = seed * 1103515245u + 12345u;
		size_t count = (seed >> 16) % 24;
		for (size_t k = 0; k < count; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % npieces];
			memcpy(in + n, p, strlen(p));
			n += strlen(p);
		}
		char *want = reference_sanitize(in, n);
		char *got = text_sanitize(in, n);
		ck_assert_str_eq(got, want);
		free(got);
		free(want);
	}
	/* One bad byte at every place of a run of ASCII longer than a word, and cut anywhere. */
	for (size_t at = 0; at < 20; at++)
		for (int bad = 0; bad < 3; bad++) {
			char run[21];
			memcpy(run, "abcdefghijklmnopqrst", 20);
			run[at] = bad == 0 ? '\x7f' : bad == 1 ? '\x1f' : '\x80';
			for (size_t len = 0; len <= 20; len++) {
				char *want = reference_sanitize(run, len);
				char *got = text_sanitize(run, len);
				ck_assert_str_eq(got, want);
				free(got);
				free(want);
			}
		}
}
END_TEST

START_TEST(sanitized_output_has_no_control_bytes)
{
	char in[256];
	for (int b = 0; b < 256; b++)
		in[b] = (char)b;
	char *s = text_sanitize(in + 1, 255);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p != 0x7F, "byte 0x%02x left raw", *p);
	ck_assert(text_valid_utf8(s, strlen(s)));
	free(s);
}
END_TEST

START_TEST(fit_never_splits_a_character)
{
	const char *s = "日本語abc";
	ck_assert_uint_eq(text_fit(s, strlen(s), 5), 6); /* 日本 = 4 columns */
	ck_assert_uint_eq(text_fit(s, strlen(s), 6), 9);
	ck_assert_uint_eq(text_fit(s, strlen(s), 100), strlen(s));
	ck_assert_uint_eq(text_fit(s, strlen(s), 1), 0);
}
END_TEST

Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, decode_valid_and_invalid);
	tcase_add_test(tc, encode_round_trip);
	tcase_add_test(tc, widths_in_columns);
	tcase_add_test(tc, sanitize_shows_controls);
	tcase_add_test(tc, must_escape_rule);
	tcase_add_test(tc, sanitize_fast_path_matches_the_rule);
	tcase_add_test(tc, sanitized_output_has_no_control_bytes);
	tcase_add_test(tc, fit_never_splits_a_character);
	suite_add_tcase(s, tc);
	return s;
}
