/*
 * charset_locale: choosing the locale at start (setlocale, the C.UTF-8
 * fallback when the environment's locale is ASCII or missing, and
 * --charset), and naming the active codeset.  Part of the charset module
 * (charset.h includes this header); folding is charset_fold.h, output
 * conversion charset.h.  Not thread-safe: it calls setlocale.
 */
#ifndef MAMORI_CHARSET_LOCALE_H
#define MAMORI_CHARSET_LOCALE_H

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

#endif
