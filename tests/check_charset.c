/*
 * check_charset: locale set-up (the C.UTF-8 fallback with its note, and
 * --charset), folds of what EUC-JP and Shift_JIS lack, ambiguous-width
 * folds, and the conversion of output to the locale's charset.  The
 * Japanese locales must be installed; a test that needs a missing one
 * fails and names the localedef command that makes it.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <uniwidth.h>

#include "core/charset.h"
#include "core/text.h"
#include "suites.h"

#define EUCJP_LOCALE "ja_JP.EUC-JP"
#define EUCJP_MAKE "localedef -i ja_JP -f EUC-JP ja_JP.EUC-JP"
#define SJIS_LOCALE "ja_JP.SJIS"
#define SJIS_MAKE "localedef -i ja_JP -f SHIFT_JIS --no-warnings=ascii ja_JP.SJIS"

static const char *const env_vars[] = { "LC_ALL", "LC_CTYPE", "LANG", "LOCPATH" };
#define N_ENV (sizeof env_vars / sizeof env_vars[0])
static char *saved_env[N_ENV];

static void setup(void)
{
	for (size_t k = 0; k < N_ENV; k++) {
		const char *v = getenv(env_vars[k]);
		saved_env[k] = v ? strdup(v) : NULL;
	}
}

static void teardown(void)
{
	for (size_t k = 0; k < N_ENV; k++) {
		if (saved_env[k])
			setenv(env_vars[k], saved_env[k], 1);
		else
			unsetenv(env_vars[k]);
		free(saved_env[k]);
		saved_env[k] = NULL;
	}
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "C.utf8");
	charset_free();
}

/* The environment charset_setup reads: LANG only (NULL: unset). */
static void set_lang(const char *lang)
{
	unsetenv("LC_ALL");
	unsetenv("LC_CTYPE");
	if (lang)
		setenv("LANG", lang, 1);
	else
		unsetenv("LANG");
}

static void need_locale(const char *name, const char *make)
{
	if (!setlocale(LC_ALL, name))
		ck_abort_msg("locale %s is not installed: run `%s` (as root) first", name, make);
}

static void use_utf8(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8"))
		ck_abort_msg("locale C.UTF-8 is not installed: run "
		             "`localedef -i C -f UTF-8 C.UTF-8` (as root) first");
}

static void use_eucjp(void)
{
	need_locale(EUCJP_LOCALE, EUCJP_MAKE);
	ck_assert_str_eq(charset_codeset(), "EUC-JP");
}

static void use_sjis(void)
{
	need_locale(SJIS_LOCALE, SJIS_MAKE);
	ck_assert_int_eq(charset_current(), CHARSET_SJIS);
}

static uint32_t cp_of(const char *utf8)
{
	size_t i = 0;
	return text_decode(utf8, strlen(utf8), &i);
}

/*
 * The locale's charset holds cp and wcwidth knows it.  Printable ASCII
 * always goes out as it is (Shift_JIS's wcwidth calls "\\" and "~"
 * unprintable, but the terminal shows them as ¥ and ‾).
 */
static int locale_holds(uint32_t cp)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;

	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	memset(&st, 0, sizeof st);
	return wcrtomb(mb, (wchar_t)cp, &st) != (size_t)-1 && wcwidth((wchar_t)cp) >= 0;
}

/*
 * Every character of the fold s can be shown in the active locale and
 * takes at least one column in all; with ambiguous_wide, none is an
 * ambiguous character measured 1 column wide.
 */
static void assert_showable(const char *s, int ambiguous_wide, uint32_t from)
{
	size_t i = 0, len = strlen(s);
	int cols = 0;

	ck_assert_msg(len > 0, "U+%04X folds to an empty string", (unsigned)from);
	while (i < len) {
		uint32_t cp = text_decode(s, len, &i);
		ck_assert_msg(cp != TEXT_REPLACEMENT || from == TEXT_REPLACEMENT,
		              "U+%04X folds to invalid UTF-8", (unsigned)from);
		ck_assert_msg(locale_holds(cp), "U+%04X folds to \"%s\": U+%04X cannot be shown in %s",
		              (unsigned)from, s, (unsigned)cp, charset_codeset());
		if (ambiguous_wide)
			ck_assert_msg(!charset_is_ambiguous(cp) || wcwidth((wchar_t)cp) == 2,
			              "U+%04X folds to \"%s\": U+%04X is still ambiguous", (unsigned)from,
			              s, (unsigned)cp);
		cols += cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
	}
	ck_assert_msg(cols >= 1, "U+%04X folds to \"%s\", 0 columns wide", (unsigned)from, s);
}

START_TEST(parse_charset_names)
{
	ck_assert_int_eq(charset_parse_name("UTF-8"), CHARSET_UTF8);
	ck_assert_int_eq(charset_parse_name("utf8"), CHARSET_UTF8);
	ck_assert_int_eq(charset_parse_name("euc-jp"), CHARSET_EUCJP);
	ck_assert_int_eq(charset_parse_name("EUCJP"), CHARSET_EUCJP);
	ck_assert_int_eq(charset_parse_name("Shift_JIS"), CHARSET_SJIS);
	ck_assert_int_eq(charset_parse_name("sjis"), CHARSET_SJIS);
	ck_assert_int_eq(charset_parse_name("cp932"), CHARSET_SJIS);
	ck_assert_int_eq(charset_parse_name("latin1"), -EINVAL);
	ck_assert_int_eq(charset_parse_name(""), -EINVAL);
	ck_assert_int_eq(charset_parse_name(NULL), -EINVAL);
}
END_TEST

START_TEST(setup_unset_lang_falls_back_to_utf8)
{
	char *note = NULL;

	setlocale(LC_ALL, "C");
	set_lang(NULL);
	ck_assert_int_eq(charset_setup(NULL, &note), CHARSET_UTF8);
	ck_assert_str_eq(charset_codeset(), "UTF-8");
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_nonnull(strstr(note, "LANG"));
	ck_assert_ptr_nonnull(strstr(note, "UTF-8"));
	ck_assert_ptr_null(strchr(note, '\n'));
	/* Japanese now converts: the point of the fallback. */
	ck_assert(locale_holds(0x65E5));
	free(note);
}
END_TEST

START_TEST(setup_c_and_posix_fall_back_to_utf8)
{
	const char *names[] = { "C", "POSIX" };

	for (size_t k = 0; k < 2; k++) {
		char *note = NULL;
		setlocale(LC_ALL, "C");
		set_lang(names[k]);
		ck_assert_int_eq(charset_setup(NULL, &note), CHARSET_UTF8);
		ck_assert_str_eq(charset_codeset(), "UTF-8");
		ck_assert_ptr_nonnull(note);
		ck_assert_ptr_nonnull(strstr(note, "ASCII"));
		free(note);
	}
	/* LC_ALL in the environment wins over LANG, as in glibc. */
	char *note = NULL;
	set_lang("C.UTF-8");
	setenv("LC_ALL", "C", 1);
	ck_assert_int_eq(charset_setup(NULL, &note), CHARSET_UTF8);
	ck_assert_ptr_nonnull(note);
	free(note);
}
END_TEST

START_TEST(setup_missing_locale_falls_back_to_utf8)
{
	char *note = NULL;

	/* Even from a UTF-8 start, a missing locale behaves as in a fresh process. */
	use_utf8();
	set_lang("xx_YY.UTF-8");
	ck_assert_int_eq(charset_setup(NULL, &note), CHARSET_UTF8);
	ck_assert_str_eq(charset_codeset(), "UTF-8");
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_nonnull(strstr(note, "xx_YY.UTF-8"));
	ck_assert_ptr_nonnull(strstr(note, "not installed"));
	free(note);

	/* A hostile name reaches the status line cleaned and cut short. */
	set_lang("\x1b]0;evil\x07/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	ck_assert_int_eq(charset_setup(NULL, &note), CHARSET_UTF8);
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_null(strchr(note, '\x1b'));
	ck_assert_ptr_null(strchr(note, '\x07'));
	ck_assert_uint_lt(strlen(note), 300);
	free(note);

	/* note may be NULL. */
	ck_assert_int_eq(charset_setup(NULL, NULL), CHARSET_UTF8);
}
END_TEST

START_TEST(setup_installed_locale_is_kept)
{
	char *note = (char *)"untouched";

	need_locale(EUCJP_LOCALE, EUCJP_MAKE);
	setlocale(LC_ALL, "C");
	set_lang(EUCJP_LOCALE);
	ck_assert_int_eq(charset_setup(NULL, &note), CHARSET_EUCJP);
	ck_assert_str_eq(charset_codeset(), "EUC-JP");
	ck_assert_ptr_null(note);

	set_lang("C.UTF-8");
	ck_assert_int_eq(charset_setup(NULL, &note), CHARSET_UTF8);
	ck_assert_ptr_null(note);
}
END_TEST

START_TEST(setup_forced_charset)
{
	char *note = NULL;

	need_locale(EUCJP_LOCALE, EUCJP_MAKE);
	need_locale(SJIS_LOCALE, SJIS_MAKE);
	set_lang(NULL);

	ck_assert_int_eq(charset_setup("euc-jp", &note), CHARSET_EUCJP);
	ck_assert_str_eq(charset_codeset(), "EUC-JP");
	ck_assert_ptr_null(note);

	const char *sjis[] = { "SJIS", "Shift_JIS", "cp932" };
	for (size_t k = 0; k < 3; k++) {
		ck_assert_int_eq(charset_setup(sjis[k], &note), CHARSET_SJIS);
		ck_assert_int_eq(charset_current(), CHARSET_SJIS);
		ck_assert_ptr_null(note);
	}

	set_lang(EUCJP_LOCALE);
	ck_assert_int_eq(charset_setup("UTF-8", &note), CHARSET_UTF8);
	ck_assert_str_eq(charset_codeset(), "UTF-8");
	ck_assert_ptr_null(note);

	/* An unknown name is an error, said in the note; the locale is still usable. */
	set_lang(NULL);
	ck_assert_int_eq(charset_setup("latin1", &note), -EINVAL);
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_nonnull(strstr(note, "latin1"));
	ck_assert_str_eq(charset_codeset(), "UTF-8");
	free(note);
}
END_TEST

START_TEST(setup_forced_charset_missing)
{
	char *note = NULL;

	/* glibc looks for locales only under LOCPATH when it is set: none there. */
	set_lang(NULL);
	setenv("LOCPATH", "/nonexistent/mamori-test", 1);
	ck_assert_int_eq(charset_setup("EUC-JP", &note), -ENOENT);
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_nonnull(strstr(note, EUCJP_MAKE));
	free(note);

	ck_assert_int_eq(charset_setup("sjis", &note), -ENOENT);
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_nonnull(strstr(note, SJIS_MAKE));
	free(note);
	/* Whatever was found, the locale left behind is one setlocale accepted. */
	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, NULL));
}
END_TEST

START_TEST(eucjp_circled_numbers)
{
	use_eucjp();
	ck_assert_str_eq(charset_fold_cp(0x2460, 0), "(1)");
	ck_assert_str_eq(charset_fold_cp(0x2461, 0), "(2)");
	ck_assert_str_eq(charset_fold_cp(0x2473, 0), "(20)");
	/* Past ⑳ the table stops and glibc's TRANSLIT takes over. */
	ck_assert_str_eq(charset_fold_cp(0x3251, 0), "(21)");

	char *s = charset_fold("①と②", strlen("①と②"), 0);
	ck_assert_str_eq(s, "(1)と(2)");
	free(s);
}
END_TEST

START_TEST(eucjp_japanese_unchanged)
{
	const char *text = "日本語のテキスト、「カタカナ」（全角）！？ー";

	use_eucjp();
	for (int aw = 0; aw <= 1; aw++) {
		size_t i = 0, len = strlen(text);
		while (i < len) {
			uint32_t cp = text_decode(text, len, &i);
			ck_assert_msg(charset_fold_cp(cp, aw) == NULL, "U+%04X folded", (unsigned)cp);
		}
		char *s = charset_fold(text, len, aw);
		ck_assert_str_eq(s, text);
		free(s);
	}
	/* JIS X 0208 symbols stay, even the ambiguous ones: wcwidth already says 2 here. */
	ck_assert_ptr_null(charset_fold_cp(cp_of("■"), 0));
	ck_assert_ptr_null(charset_fold_cp(cp_of("※"), 1));
	ck_assert_ptr_null(charset_fold_cp(cp_of("─"), 1));
}
END_TEST

START_TEST(eucjp_wave_dash_and_blocks)
{
	const char *f;

	use_eucjp();
	/* ～ is in EUC-JP only through JIS X 0212; 〜 is in JIS X 0208. */
	f = charset_fold_cp(0xFF5E, 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f, "〜");
	assert_showable(f, 0, 0xFF5E);
	ck_assert_ptr_null(charset_fold_cp(0x301C, 0));

	f = charset_fold_cp(0x2588, 0); /* █ */
	ck_assert_ptr_nonnull(f);
	assert_showable(f, 0, 0x2588);
	ck_assert_str_eq(f, "■");
	ck_assert_ptr_nonnull(charset_fold_cp(0x00B9, 0)); /* ¹ */
	ck_assert_str_eq(charset_fold_cp(0x00B9, 0), "1");
}
END_TEST

/* len bytes of s converted with iconv from UTF-8 to to; caller frees. */
static char *iconv_ref(const char *to, const char *s, size_t *outlen)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	char *in = (char *)s, *out = malloc(256), *op = out;
	size_t inleft = strlen(s), outleft = 256;

	ck_assert(cd != (iconv_t)-1);
	ck_assert(iconv(cd, &in, &inleft, &op, &outleft) != (size_t)-1);
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	return out;
}

START_TEST(eucjp_to_locale_bytes)
{
	char *out, *ref;
	size_t n, rn;

	use_eucjp();
	ck_assert_int_eq(charset_to_locale("日本語①", strlen("日本語①"), 0, &out, &n), 0);
	ref = iconv_ref("EUC-JP", "日本語(1)", &rn);
	ck_assert_uint_eq(n, rn);
	ck_assert(memcmp(out, ref, n) == 0);
	ck_assert_int_eq(out[n], '\0');
	ck_assert_uint_eq(n, 9); /* 3 x 2 bytes + "(1)" */
	free(out);
	free(ref);

	/* Invalid UTF-8 becomes 〓, the JIS replacement. */
	ck_assert_int_eq(charset_to_locale("a\xFF", 2, 0, &out, &n), 0);
	ref = iconv_ref("EUC-JP", "a〓", &rn);
	ck_assert_uint_eq(n, rn);
	ck_assert(memcmp(out, ref, n) == 0);
	free(out);
	free(ref);

	/* A bidi override is sanitising's job, but conversion still cannot fail on it. */
	ck_assert_int_eq(charset_to_locale("x\u202Ey", strlen("x\u202Ey"), 0, &out, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(out, "x?y");
	free(out);
}
END_TEST

START_TEST(sjis_wave_dash)
{
	const char *f;
	char *out;
	size_t n;

	use_sjis();
	ck_assert(!locale_holds(0xFF5E));
	f = charset_fold_cp(0xFF5E, 0);
	ck_assert_ptr_nonnull(f);
	assert_showable(f, 0, 0xFF5E);
	ck_assert_str_eq(f, "〜");

	ck_assert_int_eq(charset_to_locale("10～20", strlen("10～20"), 0, &out, &n), 0);
	ck_assert_uint_eq(n, 6);
	ck_assert(memcmp(out,
	                 "10\x81\x60"
	                 "20",
	                 6) == 0);
	free(out);

	/* ASCII goes out as it is, even "\" and "~" (the terminal shows ¥ and ‾). */
	ck_assert_ptr_null(charset_fold_cp('\\', 0));
	ck_assert_ptr_null(charset_fold_cp('~', 0));
	ck_assert_str_eq(charset_fold_cp(0x2460, 0), "(1)");
	assert_showable(charset_fold_cp(0x2588, 0), 0, 0x2588);
}
END_TEST

/* Ambiguous in East Asian width, and common in Japanese documents. */
static const char *const ambiguous_chars[] = { "※", "○", "①", "■", "─", "“", "”", "★", "×", "°",
	                                       "◆", "△", "▽", "÷", "±", "§", "¶", "α", "Ж", "█",
	                                       "…", "→", "←", "●", "□", "☆", "│", "┌", "‘", "’",
	                                       "¹", "é", "—", "―", "·", "¥", "℃" };
#define N_AMBIGUOUS (sizeof ambiguous_chars / sizeof ambiguous_chars[0])

START_TEST(ambiguous_wide_folds_to_unambiguous)
{
	use_utf8();
	for (size_t k = 0; k < N_AMBIGUOUS; k++) {
		uint32_t cp = cp_of(ambiguous_chars[k]);
		const char *f;
		size_t i = 0;

		ck_assert_msg(charset_is_ambiguous(cp), "%s is not ambiguous", ambiguous_chars[k]);
		f = charset_fold_cp(cp, 1);
		ck_assert_msg(f != NULL, "%s is not folded", ambiguous_chars[k]);
		ck_assert_msg(strcmp(f, "?") != 0, "%s folds to \"?\"", ambiguous_chars[k]);
		while (f[i]) {
			uint32_t c = text_decode(f, strlen(f), &i);
			ck_assert_msg(uc_width(c, "EUC-JP") == uc_width(c, "UTF-8"),
			              "%s folds to \"%s\", still ambiguous", ambiguous_chars[k], f);
			ck_assert_msg(wcwidth((wchar_t)c) >= 1, "%s folds to \"%s\"", ambiguous_chars[k],
			              f);
		}
	}
	ck_assert_str_eq(charset_fold_cp(cp_of("※"), 1), "＊");
	ck_assert_str_eq(charset_fold_cp(cp_of("○"), 1), "〇");
	ck_assert_str_eq(charset_fold_cp(cp_of("①"), 1), "(1)");
	ck_assert_str_eq(charset_fold_cp(cp_of("─"), 1), "-");
	ck_assert_str_eq(charset_fold_cp(cp_of("“"), 1), "\"");

	char *s = charset_fold("※注意：①を見る", strlen("※注意：①を見る"), 1);
	ck_assert_str_eq(s, "＊注意：(1)を見る");
	free(s);
}
END_TEST

START_TEST(ambiguous_narrow_unchanged)
{
	char all[512] = "";

	use_utf8();
	for (size_t k = 0; k < N_AMBIGUOUS; k++) {
		ck_assert_msg(charset_fold_cp(cp_of(ambiguous_chars[k]), 0) == NULL, "%s folded",
		              ambiguous_chars[k]);
		strcat(all, ambiguous_chars[k]);
	}
	char *s = charset_fold(all, strlen(all), 0);
	ck_assert_str_eq(s, all);
	free(s);
}
END_TEST

START_TEST(ascii_and_kana_never_folded)
{
	static const char *const kanji = "日本語漢字情報安全対策指針組織";
	void (*const locales[])(void) = { use_utf8, use_eucjp, use_sjis };

	for (size_t l = 0; l < 3; l++) {
		locales[l]();
		for (int aw = 0; aw <= 1; aw++) {
			for (uint32_t cp = 0; cp < 0x80; cp++)
				ck_assert_msg(charset_fold_cp(cp, aw) == NULL, "%s: ASCII 0x%02X folded",
				              charset_codeset(), (unsigned)cp);
			for (uint32_t cp = 0x3041; cp <= 0x3093; cp++)
				ck_assert_msg(charset_fold_cp(cp, aw) == NULL, "%s: U+%04X folded",
				              charset_codeset(), (unsigned)cp);
			for (uint32_t cp = 0x30A1; cp <= 0x30F6; cp++)
				ck_assert_msg(charset_fold_cp(cp, aw) == NULL, "%s: U+%04X folded",
				              charset_codeset(), (unsigned)cp);
			size_t i = 0, len = strlen(kanji);
			while (i < len) {
				uint32_t cp = text_decode(kanji, len, &i);
				ck_assert_msg(charset_fold_cp(cp, aw) == NULL, "%s: U+%04X folded",
				              charset_codeset(), (unsigned)cp);
			}
		}
	}
}
END_TEST

START_TEST(invalid_utf8_becomes_replacement)
{
	char *s;

	use_utf8();
	s = charset_fold("a\xFF"
	                 "b\xE3\x81",
	                 5, 0);
	ck_assert_str_eq(s, "a\xEF\xBF\xBD"
	                    "b\xEF\xBF\xBD\xEF\xBF\xBD");
	free(s);
	/* A real U+FFFD in the input stays one. */
	s = charset_fold("\xEF\xBF\xBD", 3, 0);
	ck_assert_str_eq(s, "\xEF\xBF\xBD");
	free(s);

	use_eucjp();
	s = charset_fold("a\xFF"
	                 "b",
	                 3, 0);
	ck_assert_str_eq(s, "a〓b");
	free(s);
}
END_TEST

START_TEST(utf8_output_is_a_copy)
{
	const char text[] = "日本語①※\0x\t\n";
	char *out, buf[64];
	size_t n;

	use_utf8();
	ck_assert_int_eq(charset_to_locale(text, sizeof text - 1, 0, &out, &n), 0);
	ck_assert_uint_eq(n, sizeof text - 1);
	ck_assert(memcmp(out, text, n) == 0);
	free(out);

	ck_assert_int_eq(charset_to_locale("※①", strlen("※①"), 1, &out, &n), 0);
	ck_assert_str_eq(out, "＊(1)");
	free(out);

	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(charset_fputs("見出し①\n", f, 0), 0);
	use_eucjp();
	ck_assert_int_eq(charset_fputs("①", f, 0), 0);
	rewind(f);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	ck_assert_uint_eq(n, strlen("見出し①\n") + 3);
	ck_assert(memcmp(buf, "見出し①\n(1)", n) == 0);
}
END_TEST

START_TEST(escaped_characters_are_not_folded)
{
	/* Controls, bidi overrides, zero-width characters, the BOM, private use: text_sanitize's. */
	static const uint32_t cps[] = { 0x85, 0x9B, 0x202E, 0x200B, 0xFEFF, 0x2028, 0xE000 };
	void (*const locales[])(void) = { use_utf8, use_eucjp, use_sjis };

	for (size_t l = 0; l < 3; l++) {
		locales[l]();
		for (size_t k = 0; k < sizeof cps / sizeof cps[0]; k++)
			for (int aw = 0; aw <= 1; aw++)
				ck_assert_msg(charset_fold_cp(cps[k], aw) == NULL, "%s: U+%04X folded",
				              charset_codeset(), (unsigned)cps[k]);
	}
}
END_TEST

/*
 * Run charset_output_begin .. charset_output_end with stdout and stderr
 * sent to temp files, writing text to each stream; returns what begin
 * returned, with the bytes that reached stdout and stderr in out and err.
 */
static int run_output(int ambiguous_wide, const char *text, char *out, size_t *outlen, char *err,
                      size_t *errlen)
{
	FILE *fo = tmpfile(), *fe = tmpfile(), *o, *e;
	ck_assert_ptr_nonnull(fo);
	ck_assert_ptr_nonnull(fe);
	fflush(stdout);
	fflush(stderr);
	int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
	ck_assert_int_ge(saved_out, 0);
	ck_assert_int_ge(saved_err, 0);
	ck_assert_int_ge(dup2(fileno(fo), STDOUT_FILENO), 0);
	ck_assert_int_ge(dup2(fileno(fe), STDERR_FILENO), 0);

	int conv = charset_output_begin(ambiguous_wide, &o, &e);
	fputs(text, o);
	fputs(text, e);
	int end = charset_output_end();

	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	ck_assert_int_eq(end, 0);
	if (conv == 0) {
		ck_assert_ptr_eq(o, stdout);
		ck_assert_ptr_eq(e, stderr);
	} else {
		ck_assert_ptr_ne(o, stdout);
		ck_assert_ptr_ne(e, stderr);
	}
	rewind(fo);
	rewind(fe);
	*outlen = fread(out, 1, 255, fo);
	*errlen = fread(err, 1, 255, fe);
	fclose(fo);
	fclose(fe);
	return conv;
}

START_TEST(output_streams_convert_legacy_charsets)
{
	const char *text = "日本語①※\n";
	char out[256], err[256], *ref;
	size_t n, en, rn;

	/* UTF-8 and narrow ambiguous: the streams are stdout and stderr, bytes untouched. */
	use_utf8();
	ck_assert_int_eq(run_output(0, text, out, &n, err, &en), 0);
	ck_assert_uint_eq(n, strlen(text));
	ck_assert(memcmp(out, text, n) == 0);
	ck_assert_uint_eq(en, strlen(text));

	/* UTF-8 with --ambiguous-width=2: collected, then folded. */
	use_utf8();
	ck_assert_int_eq(run_output(1, text, out, &n, err, &en), 1);
	ck_assert_uint_eq(n, strlen("日本語(1)＊\n"));
	ck_assert(memcmp(out, "日本語(1)＊\n", n) == 0);
	ck_assert(memcmp(err, "日本語(1)＊\n", en) == 0);

	/* EUC-JP: folded and converted, on stdout and on stderr. */
	use_eucjp();
	ck_assert_int_eq(run_output(0, text, out, &n, err, &en), 1);
	ref = iconv_ref("EUC-JP", "日本語(1)※\n", &rn);
	ck_assert_uint_eq(n, rn);
	ck_assert(memcmp(out, ref, n) == 0);
	ck_assert_uint_eq(en, rn);
	ck_assert(memcmp(err, ref, en) == 0);
	free(ref);

	/* Shift_JIS: ～ (which glibc's SHIFT_JIS lacks) arrives as 〜. */
	use_sjis();
	ck_assert_int_eq(run_output(0, "10～20\n", out, &n, err, &en), 1);
	ck_assert_uint_eq(n, 7);
	ck_assert(memcmp(out,
	                 "10\x81\x60"
	                 "20\n",
	                 7) == 0);

	/* End without a begin only flushes. */
	ck_assert_int_eq(charset_output_end(), 0);
}
END_TEST

START_TEST(is_ambiguous_basics)
{
	ck_assert(charset_is_ambiguous(cp_of("※")));
	ck_assert(charset_is_ambiguous(cp_of("○")));
	ck_assert(charset_is_ambiguous(cp_of("α")));
	ck_assert(!charset_is_ambiguous('a'));
	ck_assert(!charset_is_ambiguous(cp_of("あ")));
	ck_assert(!charset_is_ambiguous(cp_of("＊")));
	ck_assert(!charset_is_ambiguous(cp_of("〇")));
	ck_assert(!charset_is_ambiguous(cp_of("ｱ"))); /* half-width kana */
}
END_TEST

/*
 * What charset_fold_cp leaves alone for text_sanitize: ASCII and the one
 * rule's code points (that rule is checked on its own in check_text).
 */
static int sanitize_business(uint32_t cp)
{
	return cp < 0x80 || text_must_escape(cp);
}

/* Its fold can be shown, or cp needs none. */
static void sweep_one(uint32_t cp, int ambiguous_wide)
{
	const char *f = charset_fold_cp(cp, ambiguous_wide);

	if (f) {
		assert_showable(f, ambiguous_wide, cp);
		return;
	}
	if (sanitize_business(cp))
		return;
	ck_assert_msg(locale_holds(cp), "%s: U+%04X not folded but cannot be shown", charset_codeset(),
	              (unsigned)cp);
	if (ambiguous_wide)
		ck_assert_msg(!charset_is_ambiguous(cp) || wcwidth((wchar_t)cp) == 2,
		              "%s: U+%04X is ambiguous and not folded", charset_codeset(), (unsigned)cp);
}

/* The whole BMP, and emoji and CJK extension B from beyond it. */
static void sweep(int ambiguous_wide)
{
	for (uint32_t cp = 0; cp < 0x10000; cp++)
		if (cp < 0xD800 || cp > 0xDFFF)
			sweep_one(cp, ambiguous_wide);
	for (uint32_t cp = 0x1F300; cp < 0x1F700; cp++)
		sweep_one(cp, ambiguous_wide);
	for (uint32_t cp = 0x20000; cp < 0x20100; cp++)
		sweep_one(cp, ambiguous_wide);
}

START_TEST(every_fold_is_showable_eucjp)
{
	use_eucjp();
	sweep(_i);
}
END_TEST

START_TEST(every_fold_is_showable_sjis)
{
	use_sjis();
	sweep(_i);
}
END_TEST

START_TEST(every_fold_is_showable_utf8_wide)
{
	use_utf8();
	sweep(1);
}
END_TEST

Suite *charset_suite(void)
{
	Suite *s = suite_create("charset");
	TCase *tc = tcase_create("setup");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, parse_charset_names);
	tcase_add_test(tc, setup_unset_lang_falls_back_to_utf8);
	tcase_add_test(tc, setup_c_and_posix_fall_back_to_utf8);
	tcase_add_test(tc, setup_missing_locale_falls_back_to_utf8);
	tcase_add_test(tc, setup_installed_locale_is_kept);
	tcase_add_test(tc, setup_forced_charset);
	tcase_add_test(tc, setup_forced_charset_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("fold");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, eucjp_circled_numbers);
	tcase_add_test(tc, eucjp_japanese_unchanged);
	tcase_add_test(tc, eucjp_wave_dash_and_blocks);
	tcase_add_test(tc, eucjp_to_locale_bytes);
	tcase_add_test(tc, sjis_wave_dash);
	tcase_add_test(tc, ambiguous_wide_folds_to_unambiguous);
	tcase_add_test(tc, ambiguous_narrow_unchanged);
	tcase_add_test(tc, ascii_and_kana_never_folded);
	tcase_add_test(tc, invalid_utf8_becomes_replacement);
	tcase_add_test(tc, utf8_output_is_a_copy);
	tcase_add_test(tc, is_ambiguous_basics);
	tcase_add_test(tc, escaped_characters_are_not_folded);
	tcase_add_test(tc, output_streams_convert_legacy_charsets);
	suite_add_tcase(s, tc);

	tc = tcase_create("sweep");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, every_fold_is_showable_eucjp, 0, 2);
	tcase_add_loop_test(tc, every_fold_is_showable_sjis, 0, 2);
	tcase_add_test(tc, every_fold_is_showable_utf8_wide);
	suite_add_tcase(s, tc);
	return s;
}
