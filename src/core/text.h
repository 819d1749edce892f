/*
 * text: UTF-8 decoding, column widths and sanitising.  Everything the
 * screen measures is measured here, in columns, with the C library's
 * wcwidth in the active locale: the same function ncursesw uses, so the
 * layout and the screen always agree.  Nothing here draws or prints.
 */
#ifndef MAMORI_TEXT_H
#define MAMORI_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_REPLACEMENT 0xFFFDu

/*
 * Decode the code point at s[*i] (len bytes in all) and advance *i past it.
 * Invalid or truncated sequences, overlongs and surrogates decode as
 * U+FFFD and advance by one byte, so every input makes progress.
 */
uint32_t text_decode(const char *s, size_t len, size_t *i);

/* Append the UTF-8 encoding of cp to out (at least 4 bytes); returns bytes written. */
size_t text_encode(uint32_t cp, char *out);

/* 1 when s holds len bytes of valid UTF-8. */
int text_valid_utf8(const char *s, size_t len);

/*
 * The one rule for what must not reach a terminal as it is: 1 for C0
 * controls, DEL, C1 controls, format characters (bidi overrides such as
 * U+202E, zero-width characters such as U+200B, the BOM U+FEFF), U+2028
 * and U+2029, surrogates, private-use and unassigned code points; 0 for
 * everything else.  It depends on Unicode alone, not on the locale (what
 * a charset lacks is charset_fold's business).  Sanitising shows these by
 * number (see text_visible_form), and charset_fold leaves them to it.
 */
int text_must_escape(uint32_t cp);

/*
 * If text_must_escape(cp), write its visible form to out ("^[" for C0
 * controls and DEL, else "<U+202E>", NUL-terminated, at most 16 bytes) and
 * return 1; else return 0.
 */
int text_visible_form(uint32_t cp, char out[16]);

/* Columns cp takes on the screen: wcwidth, never negative (0 for combining marks). */
int text_cp_width(uint32_t cp);

/* Columns the len bytes of s take once sanitised (see text_sanitize). */
size_t text_width(const char *s, size_t len);

/*
 * A copy of len bytes of s that is safe to show: invalid UTF-8 becomes
 * U+FFFD, tabs become spaces to the next multiple of 8 columns, and every
 * character text_must_escape names is replaced by its visible form.
 * Returns a NUL-terminated string the caller frees (never NULL: out of
 * memory aborts, see util.h).
 */
char *text_sanitize(const char *s, size_t len);

/* What text_sanitize_report found in its input (bits). */
#define TEXT_FOUND_INVALID 1u /* bytes that are not UTF-8 */
#define TEXT_FOUND_CONTROL 2u /* a C0 control other than tab, DEL, or a C1 control */

/*
 * text_sanitize, also telling what it found: *found gets TEXT_FOUND_* bits
 * and *first_control the first control character (either may be NULL).
 * The content parser reports these; everything else just shows them.
 */
char *text_sanitize_report(const char *s, size_t len, unsigned *found, uint32_t *first_control);

/*
 * The same into *bufp, a malloc'd buffer of *capp bytes that is grown as
 * needed and reused across calls (the parser sanitises every line); what
 * it held before is not kept.  Returns *bufp (never NULL).
 */
char *text_sanitize_into(const char *s, size_t len, char **bufp, size_t *capp, unsigned *found,
                         uint32_t *first_control);

/*
 * Fit s (already sanitised) into at most cols columns: returns the number
 * of bytes of s that fit, never splitting a character.
 */
size_t text_fit(const char *s, size_t len, size_t cols);

#endif
