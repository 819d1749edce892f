/*
 * fuzz_charset: libFuzzer target for charset folding and output
 * conversion.  The first byte chooses the locale (C.UTF-8, and ja_JP
 * EUC-JP and Shift_JIS when installed: `localedef -i ja_JP -f EUC-JP
 * ja_JP.EUC-JP`, `localedef -i ja_JP -f SHIFT_JIS --no-warnings=ascii
 * ja_JP.SJIS`) and whether ambiguous-width characters are wide; the rest
 * is any bytes.  It checks what charset.h promises: charset_fold gives
 * valid UTF-8 that folds to itself (every character of a fold can be
 * shown), and charset_to_locale gives bytes that are valid in the locale's
 * codeset.  Built and run by tests/fuzz/run.sh.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/charset.h"
#include "core/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_locale_names[][4] = {
	{ "C.UTF-8", "C.utf8", "en_US.UTF-8", NULL },
	{ "ja_JP.EUC-JP", "ja_JP.eucjp", "ja_JP.eucJP", NULL },
	{ "ja_JP.SJIS", "ja_JP.sjis", "ja_JP.SHIFT_JIS", NULL },
};
#define FUZZ_NLOCALES (sizeof fuzz_locale_names / sizeof fuzz_locale_names[0])

/* The installed name of each locale, or NULL. */
static const char *fuzz_locales[FUZZ_NLOCALES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < FUZZ_NLOCALES; i++) {
		for (size_t k = 0; fuzz_locale_names[i][k] && !fuzz_locales[i]; k++)
			if (setlocale(LC_ALL, fuzz_locale_names[i][k]))
				fuzz_locales[i] = fuzz_locale_names[i][k];
		if (i > 0 && !fuzz_locales[i])
			fprintf(stderr, "fuzz_charset: no %s locale: not fuzzed in it\n",
			        fuzz_locale_names[i][0]);
	}
	if (!fuzz_locales[0] || !setlocale(LC_ALL, fuzz_locales[0])) {
		fprintf(stderr, "fuzz_charset: no C.UTF-8 locale\n");
		exit(1);
	}
	return 0;
}

static void fail(const char *what, const char *loc, int wide, const char *s, size_t len)
{
	fprintf(stderr, "fuzz_charset: %s (locale %s, ambiguous_wide %d):", what, loc, wide);
	for (size_t i = 0; i < len && i < 64; i++)
		fprintf(stderr, " %02x", (unsigned char)s[i]);
	fprintf(stderr, "\n");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned sel = data[0];
	size_t li = (sel & 3) % FUZZ_NLOCALES;
	if (!fuzz_locales[li])
		li = 0;
	const char *loc = fuzz_locales[li];
	int wide = (sel >> 2) & 1;
	const char *in = (const char *)data + 1;
	size_t len = size - 1;

	if (!setlocale(LC_ALL, loc))
		abort();
	if ((sel & 0x18) == 0x18)
		charset_free(); /* the caches must refill from nothing */

	/* The small helpers on the same bytes. */
	char name[32];
	size_t nl = len < sizeof name - 1 ? len : sizeof name - 1;
	memcpy(name, in, nl);
	name[nl] = '\0';
	int k = charset_parse_name(name);
	if (k != -EINVAL && (k < 0 || k > CHARSET_OTHER))
		fail("charset_parse_name out of range", loc, wide, in, nl);
	if (charset_codeset() == NULL)
		fail("no codeset", loc, wide, in, 0);

	char *f = charset_fold(in, len, wide);
	if (!f)
		abort();
	/* NULs pass through (they are text_sanitize's business): check up to the first. */
	size_t flen = strlen(f);
	if (!text_valid_utf8(f, flen))
		fail("charset_fold gave invalid UTF-8", loc, wide, in, len);
	for (size_t i = 0; i < flen;) {
		size_t at = i;
		uint32_t cp = text_decode(f, flen, &i);
		(void)charset_is_ambiguous(cp);
		const char *again = charset_fold_cp(cp, wide);
		if (again)
			fail("a character of a fold folds again", loc, wide, f + at, i - at);
	}
	char *ff = charset_fold(f, flen, wide);
	if (!ff || strcmp(ff, f) != 0)
		fail("charset_fold is not idempotent", loc, wide, f, flen);
	free(ff);
	free(f);

	char *out = NULL;
	size_t outlen = 0;
	int r = charset_to_locale(in, len, wide, &out, &outlen);
	if (r < 0)
		fail("charset_to_locale failed", loc, wide, in, len);
	if (!out || out[outlen] != '\0')
		fail("charset_to_locale: no NUL after the text", loc, wide, in, len);
	/* Every byte must be valid in the codeset: convert it back. */
	iconv_t cd = iconv_open("UTF-8", charset_codeset());
	if (cd != (iconv_t)-1) {
		char *ip = out, buf[4096];
		size_t left = outlen;
		while (left > 0) {
			char *op = buf;
			size_t oleft = sizeof buf;
			if (iconv(cd, &ip, &left, &op, &oleft) == (size_t)-1 && errno != E2BIG)
				fail("charset_to_locale gave bytes the codeset does not have", loc, wide,
				     ip, left);
		}
		iconv_close(cd);
	}
	free(out);
	return 0;
}
