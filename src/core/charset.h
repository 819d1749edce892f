/*
 * charset: the locale's output charset and what to do about characters it
 * lacks, in three parts: locale set-up (charset_locale.h), character folds
 * (charset_fold.h), both included here, and, in this header, converting
 * UTF-8 to the locale's charset for the non-interactive outputs, including
 * the output streams that do it for a whole run.  Text stays UTF-8
 * everywhere else; nothing here draws or prints except to a FILE* the
 * caller gives or, between charset_output_begin and charset_output_end, to
 * stdout and stderr.  Not thread-safe: it calls setlocale and keeps
 * converters and folds in static caches (charset_free releases them).
 * Out of memory aborts; I/O and conversion return -errno.
 */
#ifndef MAMORI_CHARSET_H
#define MAMORI_CHARSET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/charset_fold.h"
#include "core/charset_locale.h"

/*
 * len bytes of utf8 folded (charset_fold) and converted to the locale's
 * codeset: in a UTF-8 locale a folded copy.  On success *out is a
 * NUL-terminated malloc'd buffer (caller frees) of *outlen bytes, not
 * counting the NUL; anything still not convertible (a control character
 * the charset lacks) becomes "?".  Returns 0 or -errno (-EINVAL when iconv
 * has no converter to the codeset).
 */
int charset_to_locale(const char *utf8, size_t len, int ambiguous_wide, char **out, size_t *outlen);

/* Write the NUL-terminated utf8 to f in the locale's charset (charset_to_locale); 0 or -errno. */
int charset_fputs(const char *utf8, FILE *f, int ambiguous_wide);

/*
 * len bytes of s in the locale's charset (a command-line argument, say)
 * as sanitised UTF-8, ready to quote in a message: bytes the charset does
 * not know become U+FFFD.  Returns a string the caller frees (never NULL).
 */
char *charset_from_locale(const char *s, size_t len);

/*
 * Where a non-interactive run writes (--dump, --progress, --report, ...),
 * for one run, after charset_setup.  In a UTF-8 locale with ambiguous_wide
 * 0, *out and *err are stdout and stderr themselves and 0 is returned.
 * Otherwise (EUC-JP, Shift_JIS, any other codeset, or ambiguous_wide)
 * they are memory streams that collect UTF-8, and 1 is returned: the
 * caller then also folds what it draws (charset_fold), and
 * charset_output_end writes what was collected folded and converted, so a
 * legacy terminal never gets bytes it cannot show.  Returns -errno when a
 * stream cannot be made (*out and *err are then stdout and stderr).
 */
int charset_output_begin(int ambiguous_wide, FILE **out, FILE **err);

/*
 * End the run's output: close the memory streams (if any), write what
 * they hold to stdout and stderr in the locale's charset, flush stdout,
 * and free the caches (charset_free).  Safe without a begin (then it only
 * flushes and frees).  Returns 0, or -errno when writing or flushing
 * stdout failed (a failure on stderr has nowhere to be reported).
 */
int charset_output_end(void);

/* Close the cached converters and free the cached folds. */
void charset_free(void);

#endif
