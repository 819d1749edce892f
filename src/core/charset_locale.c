/*
 * charset_locale: locale set-up and codeset names (see charset_locale.h).
 * Installed locales are found by trying them with setlocale, not by
 * reading `locale -a`, so the answer is the C library's own.
 */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/charset_locale.h"
#include "core/util.h"

static int charset_name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcasecmp(name, *list) == 0)
			return 1;
	return 0;
}

static const char *const charset_names_utf8[] = { "UTF-8", "UTF8", NULL };
static const char *const charset_names_eucjp[] = {
	"EUC-JP", "EUCJP", "UJIS", "EUC-JP-MS", "EUCJP-MS", NULL
};
static const char *const charset_names_sjis[] = { "SHIFT_JIS",   "SHIFT-JIS", "SJIS", "CP932",
	                                          "WINDOWS-31J", "MS_KANJI",  "PCK",  NULL };
static const char *const charset_names_ascii[] = { "ANSI_X3.4-1968", "ASCII", "US-ASCII", "646", NULL };

static enum charset_kind charset_kind_of(const char *codeset)
{
	if (charset_name_in(codeset, charset_names_utf8))
		return CHARSET_UTF8;
	if (charset_name_in(codeset, charset_names_eucjp))
		return CHARSET_EUCJP;
	if (charset_name_in(codeset, charset_names_sjis))
		return CHARSET_SJIS;
	return CHARSET_OTHER;
}

int charset_parse_name(const char *name)
{
	if (!name || !*name)
		return -EINVAL;
	/* The same names as codesets, except that no locale is forced to be "EUC-JP-MS" or "PCK". */
	if (charset_name_in(name, charset_names_utf8))
		return CHARSET_UTF8;
	if (strcasecmp(name, "EUC-JP") == 0 || strcasecmp(name, "EUCJP") == 0 ||
	    strcasecmp(name, "UJIS") == 0)
		return CHARSET_EUCJP;
	if (strcasecmp(name, "SHIFT_JIS") == 0 || strcasecmp(name, "SHIFT-JIS") == 0 ||
	    strcasecmp(name, "SJIS") == 0 || strcasecmp(name, "CP932") == 0 ||
	    strcasecmp(name, "WINDOWS-31J") == 0)
		return CHARSET_SJIS;
	return -EINVAL;
}

const char *charset_codeset(void)
{
	return nl_langinfo(CODESET);
}

enum charset_kind charset_current(void)
{
	return charset_kind_of(charset_codeset());
}

/* Installed locales to look for, per charset, best first. */
static const char *const charset_locales_utf8[] = { "C.UTF-8",    "C.utf8",      "ja_JP.UTF-8",
	                                            "ja_JP.utf8", "en_US.UTF-8", "en_US.utf8",
	                                            NULL };
static const char *const charset_locales_eucjp[] = { "ja_JP.EUC-JP", "ja_JP.eucJP", "ja_JP.eucjp",
	                                             "ja_JP.ujis",   "ja_JP",       NULL };
static const char *const charset_locales_sjis[] = {
	"ja_JP.SJIS",      "ja_JP.sjis",        "ja_JP.SHIFT_JIS",
	"ja_JP.Shift_JIS", "ja_JP.shiftjis",    "ja_JP.PCK",
	"ja_JP.CP932",     "ja_JP.WINDOWS-31J", NULL
};

static int charset_try_locale(const char *name, enum charset_kind kind)
{
	return setlocale(LC_CTYPE, name) && charset_current() == kind;
}

/*
 * Set LC_CTYPE to an installed locale of kind (for UTF-8, the language of
 * the environment's locale first).  Returns 1, or 0 with LC_CTYPE as it was.
 */
static int charset_switch(enum charset_kind kind, const char *lang)
{
	const char *const *list = kind == CHARSET_UTF8    ? charset_locales_utf8
	                          : kind == CHARSET_EUCJP ? charset_locales_eucjp
	                                                  : charset_locales_sjis;
	const char *cur = setlocale(LC_CTYPE, NULL);
	char *saved = cur ? xstrdup(cur) : NULL;
	char name[32];
	int found = 0;

	if (kind == CHARSET_UTF8 && *lang) {
		snprintf(name, sizeof name, "%s.UTF-8", lang);
		found = charset_try_locale(name, kind);
		if (!found) {
			snprintf(name, sizeof name, "%s.utf8", lang);
			found = charset_try_locale(name, kind);
		}
	}
	for (; !found && *list; list++)
		found = charset_try_locale(*list, kind);
	if (!found)
		setlocale(LC_CTYPE, saved ? saved : "C");
	free(saved);
	return found;
}

/* The locale name setlocale(LC_CTYPE, "") reads, as glibc picks it. */
static const char *charset_env_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++) {
		const char *v = getenv(vars[k]);
		if (v && *v)
			return v;
	}
	return "";
}

/* name cut to a short run of harmless ASCII, for a message: it comes from the environment. */
static void charset_clean_name(const char *name, char out[48])
{
	size_t o = 0;

	for (; *name && o < 40; name++) {
		unsigned char c = (unsigned char)*name;
		out[o++] = (c > 0x20 && c < 0x7F) ? (char)c : '?';
	}
	if (*name) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* "ja_JP" of "ja_JP.eucJP@mod", or "" when it does not look like a language. */
static void charset_lang(const char *name, char out[16])
{
	size_t n = 0;

	while (n < 15 && ((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z') ||
	                  name[n] == '_'))
		n++;
	if (n == 15 || (name[n] && name[n] != '.' && name[n] != '@') || (n == 1 && name[0] == 'C') ||
	    strncmp(name, "POSIX", n) == 0)
		n = 0;
	memcpy(out, name, n);
	out[n] = '\0';
}

static const char *charset_localedef(enum charset_kind kind)
{
	switch (kind) {
	case CHARSET_EUCJP:
		return "localedef -i ja_JP -f EUC-JP ja_JP.EUC-JP";
	case CHARSET_SJIS:
		return "localedef -i ja_JP -f SHIFT_JIS --no-warnings=ascii ja_JP.SJIS";
	default:
		return "localedef -i C -f UTF-8 C.UTF-8";
	}
}

static const char *charset_kind_name(enum charset_kind kind)
{
	return kind == CHARSET_UTF8    ? "UTF-8"
	       : kind == CHARSET_EUCJP ? "EUC-JP"
	       : kind == CHARSET_SJIS  ? "Shift_JIS"
	                               : "?";
}

int charset_setup(const char *forced, char **note)
{
	static const int cats[] = { LC_CTYPE, LC_COLLATE, LC_MESSAGES, LC_MONETARY, LC_NUMERIC, LC_TIME };
	const char *env = charset_env_locale();
	char shown[48], lang[16], msg[512];
	int installed = 1, rc;

	msg[0] = '\0';
	if (note)
		*note = NULL;
	charset_clean_name(env, shown);
	charset_lang(env, lang);

	/* glibc changes nothing when one category fails: set those that work. */
	if (!setlocale(LC_ALL, "")) {
		for (size_t k = 0; k < sizeof cats / sizeof cats[0]; k++) {
			if (setlocale(cats[k], ""))
				continue;
			/* As a fresh process would have it, whatever was set before. */
			setlocale(cats[k], "C");
			if (cats[k] == LC_CTYPE)
				installed = 0;
		}
	}

	rc = (int)charset_current();
	if (charset_name_in(charset_codeset(), charset_names_ascii)) {
		if (charset_switch(CHARSET_UTF8, lang)) {
			const char *now = setlocale(LC_CTYPE, NULL);
			rc = CHARSET_UTF8;
			if (!*env)
				snprintf(msg, sizeof msg,
				         "LANG が未設定のため UTF-8 (%s) で表示しています / "
				         "LANG is not set: showing UTF-8 (%s)",
				         now, now);
			else if (!installed)
				snprintf(msg, sizeof msg,
				         "ロケール %s がないため UTF-8 (%s) で表示しています / "
				         "locale %s is not installed: showing UTF-8 (%s)",
				         shown, now, shown, now);
			else
				snprintf(msg, sizeof msg,
				         "ロケール %s は ASCII のため UTF-8 (%s) で表示しています / "
				         "locale %s is ASCII: showing UTF-8 (%s)",
				         shown, now, shown, now);
		} else {
			rc = CHARSET_OTHER;
			snprintf(msg, sizeof msg,
			         "UTF-8 のロケールがないため ASCII で表示しています。作成するには / "
			         "no UTF-8 locale, showing ASCII; to make one: %s",
			         charset_localedef(CHARSET_UTF8));
		}
	}

	if (forced) {
		int want = charset_parse_name(forced);
		if (want < 0) {
			charset_clean_name(forced, shown);
			snprintf(msg, sizeof msg,
			         "文字コード %s には対応していません (UTF-8, EUC-JP, SHIFT_JIS) / "
			         "unknown charset %s (UTF-8, EUC-JP, SHIFT_JIS)",
			         shown, shown);
			rc = -EINVAL;
		} else if ((int)charset_current() == want ||
		           charset_switch((enum charset_kind)want, lang)) {
			msg[0] = '\0';
			rc = want;
		} else {
			snprintf(msg, sizeof msg,
			         "%s のロケールがありません。作成するには / "
			         "no %s locale is installed; to make one: %s",
			         charset_kind_name((enum charset_kind)want),
			         charset_kind_name((enum charset_kind)want),
			         charset_localedef((enum charset_kind)want));
			rc = -ENOENT;
		}
	}

	if (msg[0] && note)
		*note = xstrdup(msg);
	return rc;
}
