/*
 * charset: the locale's output charset and what to do about characters it
 * lacks.  Choosing the locale at start (with the C.UTF-8 fallback and
 * --charset), folding characters a charset cannot hold (① in EUC-JP, ～ in
 * Shift_JIS) or that a terminal draws wider than wcwidth says (East Asian
 * ambiguous width, --ambiguous-width=2) into ones it can show, and
 * converting UTF-8 to the locale's charset for the non-interactive outputs.
 * Text stays UTF-8 everywhere else; nothing here draws or prints except to
 * a FILE* the caller gives.  Not thread-safe: it calls setlocale and keeps
 * converters and folds in static caches (charset_free releases them).
 */
#ifndef MAMORI_CHARSET_H
#define MAMORI_CHARSET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum charset_kind {
	CHARSET_UTF8,
	CHARSET_EUCJP,
	CHARSET_SJIS,
	CHARSET_OTHER
};

/*
 * Set up the locale: setlocale(LC_ALL, ""), then, when the codeset is
 * ASCII (LANG unset, C, POSIX or a locale that is not installed), switch
 * LC_CTYPE to an installed UTF-8 locale (C.UTF-8 first) and set *note to a
 * one-line Japanese and English message for the status line.  forced (the
 * --charset NAME, or NULL) sets LC_CTYPE to an installed locale of that
 * charset instead.  Returns the enum charset_kind now active; -EINVAL for
 * an unknown forced name; -ENOENT when no locale of the forced charset is
 * installed (*note then gives the localedef command that makes one, and
 * the locale is left as without forced).  *note is NULL or malloc'd
 * (caller frees); note may be NULL.
 */
int charset_setup(const char *forced, char **note);

/*
 * The --charset name as an enum charset_kind: UTF-8/UTF8, EUC-JP/EUCJP,
 * SHIFT_JIS/SJIS/CP932 in any case; -EINVAL for anything else.
 */
int charset_parse_name(const char *name);

/* The active LC_CTYPE codeset ("UTF-8", "EUC-JP", "SHIFT_JIS", ...); valid until the locale changes. */
const char *charset_codeset(void);

/* The enum charset_kind of the active codeset. */
enum charset_kind charset_current(void);

/*
 * 1 when cp is East Asian ambiguous width, 0 otherwise: libunistring's
 * width in a CJK encoding (EUC-JP) differs from its width in UTF-8.  That
 * counts everything from U+00A1 below the half-width forms that is not
 * wide everywhere (accented Latin, Greek, Cyrillic, ※ ○ ■ ─ “ ” …).
 */
int charset_is_ambiguous(uint32_t cp);

/*
 * NULL when cp can be shown as it is in the active locale: wcrtomb takes
 * it, wcwidth knows it, and, when ambiguous_wide is set, it is not an
 * ambiguous character that wcwidth measures 1 column wide (such a
 * character would overflow on a terminal that draws it 2 wide); in EUC-JP
 * a character that only JIS X 0212 holds (～ as 0x8F 0xA2 0xB7, which few
 * terminals show) is folded when the table has a JIS X 0208 one.  ASCII,
 * C0/C1 controls and invisible format, private-use and unassigned code
 * points are always NULL: showing those is text_sanitize's job, so fold
 * before sanitising.  Otherwise a non-empty UTF-8 replacement that can be
 * shown under the same rules: from the fold table ("①" -> "(1)", "█" ->
 * "■" or "#", …), else from iconv //TRANSLIT to the codeset or to ASCII,
 * else "?".  The string is static or cached: do not free it; it stays
 * valid until charset_free.
 */
const char *charset_fold_cp(uint32_t cp, int ambiguous_wide);

/*
 * A copy of len bytes of utf8 with every character folded as by
 * charset_fold_cp; invalid UTF-8 becomes U+FFFD (or its fold).  Returns a
 * NUL-terminated string the caller frees, or NULL on ENOMEM.
 */
char *charset_fold(const char *utf8, size_t len, int ambiguous_wide);

/*
 * len bytes of utf8 folded (charset_fold) and converted to the locale's
 * codeset: in a UTF-8 locale a folded copy.  On success *out is a
 * NUL-terminated malloc'd buffer (caller frees) of *outlen bytes, not
 * counting the NUL; anything still not convertible (a control character
 * the charset lacks) becomes "?".  Returns 0 or -errno.
 */
int charset_to_locale(const char *utf8, size_t len, int ambiguous_wide,
		      char **out, size_t *outlen);

/* Write the NUL-terminated utf8 to f in the locale's charset (charset_to_locale); 0 or -errno. */
int charset_fputs(const char *utf8, FILE *f, int ambiguous_wide);

/*
 * len bytes of s in the locale's charset (a command-line argument, say)
 * as sanitised UTF-8, ready to quote in a message: bytes the charset does
 * not know become U+FFFD.  Returns a string the caller frees, or NULL.
 */
char *charset_from_locale(const char *s, size_t len);

/* Close the cached converters and free the cached folds. */
void charset_free(void);

#endif
