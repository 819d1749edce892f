/*
 * charset_fold: characters a charset cannot hold (① in EUC-JP, ～ in
 * Shift_JIS) or that a terminal draws wider than wcwidth says (East Asian
 * ambiguous width, --ambiguous-width=2), folded into ones it can show.
 * What a charset holds is asked of the C library in the active locale,
 * what is ambiguous of libunistring, close equivalents of iconv
 * //TRANSLIT; a small table holds what TRANSLIT lacks.  Part of the
 * charset module (charset.h includes this header).  Not thread-safe: folds
 * and converters are cached (charset_free releases them).
 */
#ifndef MAMORI_CHARSET_FOLD_H
#define MAMORI_CHARSET_FOLD_H

#include <stddef.h>
#include <stdint.h>

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
 * terminals show) is folded when the table has a JIS X 0208 one.  ASCII
 * and everything text_must_escape names (controls, invisible format,
 * private-use and unassigned code points) are always NULL: showing those
 * is text_sanitize's job, so fold before sanitising.  Otherwise a non-empty UTF-8 replacement that can be
 * shown under the same rules: from the fold table ("①" -> "(1)", "█" ->
 * "■" or "#", …), else from iconv //TRANSLIT to the codeset or to ASCII,
 * else "?".  The string is static or cached: do not free it; it stays
 * valid until charset_free.
 */
const char *charset_fold_cp(uint32_t cp, int ambiguous_wide);

/*
 * A copy of len bytes of utf8 with every character folded as by
 * charset_fold_cp; invalid UTF-8 becomes U+FFFD (or its fold).  Returns a
 * NUL-terminated string the caller frees (never NULL: out of memory aborts).
 */
char *charset_fold(const char *utf8, size_t len, int ambiguous_wide);

/* charset_fold with its length in *outlen (the input, and so the result, may hold NULs). */
char *charset_fold_len(const char *utf8, size_t len, int ambiguous_wide, size_t *outlen);

/* Free the cached folds and converters (charset_free calls it). */
void charset_fold_free(void);

#endif
