/*
 * charset: locale set-up, character folds and output conversion (see
 * charset.h).  What a charset can hold is asked of the C library (wcrtomb
 * and wcwidth in the active locale, as ncursesw does when it draws), what
 * is ambiguous of libunistring, and close equivalents of iconv //TRANSLIT;
 * the fold table below only holds what TRANSLIT lacks or gets wrong for a
 * Japanese text on a Japanese terminal.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <unictype.h>
#include <uninorm.h>
#include <uniwidth.h>

#include "core/charset.h"
#include "core/text.h"

#define CHARSET_NO_CD ((iconv_t)-1)

/* A fold found by iconv, remembered per (code point, ambiguous_wide). */
struct charset_memo {
	uint32_t key;		/* cp << 1 | ambiguous_wide, plus 1: 0 = empty slot */
	const char *fold;
};

/*
 * The caches, valid for one LC_CTYPE (locale): converters are reopened and
 * the memo emptied when it changes.  The fold strings themselves are kept
 * in owned until charset_free, so a pointer charset_fold_cp returned stays
 * valid across a locale change.
 */
static struct {
	char *locale;
	iconv_t translit;	/* UTF-8 -> codeset//TRANSLIT */
	iconv_t ascii;		/* UTF-8 -> ASCII//TRANSLIT */
	iconv_t out;		/* UTF-8 -> codeset */
	int translit_tried, ascii_tried, out_tried;
	struct charset_memo *memo;
	size_t memo_cap, memo_used;
	char **owned;
	size_t owned_len, owned_cap;
} charset_cache = { NULL, CHARSET_NO_CD, CHARSET_NO_CD, CHARSET_NO_CD,
		    0, 0, 0, NULL, 0, 0, NULL, 0, 0 };

struct charset_buf {
	char *s;
	size_t len, cap;
};

static int charset_buf_add(struct charset_buf *b, const char *s, size_t n)
{
	if (n + 1 > SIZE_MAX / 2 - b->len)
		return -ENOMEM;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p)
			return -ENOMEM;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* --- Charset names and locale set-up ---------------------------------- */

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
static const char *const charset_names_sjis[] = {
	"SHIFT_JIS", "SHIFT-JIS", "SJIS", "CP932", "WINDOWS-31J", "MS_KANJI",
	"PCK", NULL
};
static const char *const charset_names_ascii[] = {
	"ANSI_X3.4-1968", "ASCII", "US-ASCII", "646", NULL
};

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
static const char *const charset_locales_utf8[] = {
	"C.UTF-8", "C.utf8", "ja_JP.UTF-8", "ja_JP.utf8", "en_US.UTF-8",
	"en_US.utf8", NULL
};
static const char *const charset_locales_eucjp[] = {
	"ja_JP.EUC-JP", "ja_JP.eucJP", "ja_JP.eucjp", "ja_JP.ujis", "ja_JP", NULL
};
static const char *const charset_locales_sjis[] = {
	"ja_JP.SJIS", "ja_JP.sjis", "ja_JP.SHIFT_JIS", "ja_JP.Shift_JIS",
	"ja_JP.shiftjis", "ja_JP.PCK", "ja_JP.CP932", "ja_JP.WINDOWS-31J", NULL
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
	const char *const *list = kind == CHARSET_UTF8 ? charset_locales_utf8 :
				  kind == CHARSET_EUCJP ? charset_locales_eucjp :
				  charset_locales_sjis;
	const char *cur = setlocale(LC_CTYPE, NULL);
	char *saved = cur ? strdup(cur) : NULL;
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

	while (n < 15 && ((name[n] >= 'a' && name[n] <= 'z') ||
			  (name[n] >= 'A' && name[n] <= 'Z') || name[n] == '_'))
		n++;
	if (n == 15 || (name[n] && name[n] != '.' && name[n] != '@') ||
	    (n == 1 && name[0] == 'C') || strncmp(name, "POSIX", n) == 0)
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
	return kind == CHARSET_UTF8 ? "UTF-8" : kind == CHARSET_EUCJP ? "EUC-JP" :
	       kind == CHARSET_SJIS ? "Shift_JIS" : "?";
}

int charset_setup(const char *forced, char **note)
{
	static const int cats[] = { LC_CTYPE, LC_COLLATE, LC_MESSAGES,
				    LC_MONETARY, LC_NUMERIC, LC_TIME };
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
					 "LANG is not set: showing UTF-8 (%s)", now, now);
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
				 "unknown charset %s (UTF-8, EUC-JP, SHIFT_JIS)", shown, shown);
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

	if (msg[0] && note) {
		*note = strdup(msg);
		if (!*note)
			return -ENOMEM;
	}
	return rc;
}

/* --- Ambiguous width --------------------------------------------------- */

int charset_is_ambiguous(uint32_t cp)
{
	/* libunistring widens exactly the ambiguous characters in CJK encodings. */
	return uc_width((ucs4_t)cp, "EUC-JP") != uc_width((ucs4_t)cp, "UTF-8");
}

/* --- The fold table ---------------------------------------------------- */

/*
 * Each entry lists replacements best first; the first that can be shown
 * wins.  Full-width forms and CJK symbols (〇 ＊ 〜 ￥) are wide everywhere,
 * so they are never ambiguous; ASCII is the last resort of most entries.
 */
struct charset_fold_entry {
	uint32_t cp;
	const char *alt[3];
};

static const struct charset_fold_entry charset_folds[] = {
	{ 0x00A5, { "￥", "Yen" } },		/* ¥ */
	{ 0x00A6, { "|" } },			/* ¦ */
	{ 0x00A7, { "Sec." } },			/* § */
	{ 0x00A9, { "(C)" } },			/* © */
	{ 0x00AB, { "<<" } },			/* « */
	{ 0x00AE, { "(R)" } },			/* ® */
	{ 0x00B0, { "度", "deg" } },		/* ° */
	{ 0x00B1, { "+/-" } },			/* ± */
	{ 0x00B2, { "2" } },			/* ² */
	{ 0x00B3, { "3" } },			/* ³ */
	{ 0x00B4, { "'" } },			/* ´ */
	{ 0x00B6, { "Para." } },		/* ¶ */
	{ 0x00B7, { "・", "." } },		/* · */
	{ 0x00B9, { "1" } },			/* ¹ */
	{ 0x00BB, { ">>" } },			/* » */
	{ 0x00BC, { "1/4" } },			/* ¼ */
	{ 0x00BD, { "1/2" } },			/* ½ */
	{ 0x00BE, { "3/4" } },			/* ¾ */
	{ 0x00D7, { "x" } },			/* × */
	{ 0x00F7, { "/" } },			/* ÷ */
	{ 0x2010, { "-" } },			/* ‐ */
	{ 0x2011, { "-" } },			/* ‑ */
	{ 0x2012, { "-" } },			/* ‒ */
	{ 0x2013, { "-" } },			/* – */
	{ 0x2014, { "―", "－", "--" } },	/* — */
	{ 0x2015, { "－", "--" } },		/* ― */
	{ 0x2016, { "||" } },			/* ‖ */
	{ 0x2018, { "'" } },			/* ‘ */
	{ 0x2019, { "'" } },			/* ’ */
	{ 0x201A, { "," } },			/* ‚ */
	{ 0x201C, { "\"" } },			/* “ */
	{ 0x201D, { "\"" } },			/* ” */
	{ 0x201E, { "\"" } },			/* „ */
	{ 0x2020, { "+" } },			/* † */
	{ 0x2021, { "++" } },			/* ‡ */
	{ 0x2022, { "・", "*" } },		/* • */
	{ 0x2025, { ".." } },			/* ‥ */
	{ 0x2026, { "..." } },			/* … */
	{ 0x2032, { "'" } },			/* ′ */
	{ 0x2033, { "\"" } },			/* ″ */
	{ 0x203B, { "＊", "*" } },		/* ※ */
	{ 0x203E, { "~" } },			/* ‾ */
	{ 0x2070, { "0" } },			/* ⁰ */
	{ 0x2074, { "4" } },			/* ⁴ */
	{ 0x2075, { "5" } },			/* ⁵ */
	{ 0x2076, { "6" } },			/* ⁶ */
	{ 0x2077, { "7" } },			/* ⁷ */
	{ 0x2078, { "8" } },			/* ⁸ */
	{ 0x2079, { "9" } },			/* ⁹ */
	{ 0x2103, { "度", "C" } },		/* ℃ */
	{ 0x2116, { "No." } },			/* № */
	{ 0x2190, { "<-" } },			/* ← */
	{ 0x2191, { "^" } },			/* ↑ */
	{ 0x2192, { "->" } },			/* → */
	{ 0x2193, { "v" } },			/* ↓ */
	{ 0x2194, { "<->" } },			/* ↔ */
	{ 0x21D2, { "=>" } },			/* ⇒ */
	{ 0x21D4, { "<=>" } },			/* ⇔ */
	{ 0x2212, { "－", "-" } },		/* − */
	{ 0x221E, { "inf" } },			/* ∞ */
	{ 0x2225, { "||" } },			/* ∥ */
	{ 0x2252, { "~=" } },			/* ≒ */
	{ 0x2260, { "!=" } },			/* ≠ */
	{ 0x2264, { "<=" } },			/* ≤ */
	{ 0x2265, { ">=" } },			/* ≥ */
	{ 0x226A, { "<<" } },			/* ≪ */
	{ 0x226B, { ">>" } },			/* ≫ */
	{ 0x2591, { "□", "." } },		/* ░ (the rest of 2580-259F: see below) */
	{ 0x25A0, { "#" } },			/* ■ */
	{ 0x25A1, { "[ ]" } },			/* □ */
	{ 0x25B2, { "^" } },			/* ▲ */
	{ 0x25B3, { "^" } },			/* △ */
	{ 0x25B6, { ">" } },			/* ▶ */
	{ 0x25B7, { ">" } },			/* ▷ */
	{ 0x25BC, { "v" } },			/* ▼ */
	{ 0x25BD, { "v" } },			/* ▽ */
	{ 0x25C0, { "<" } },			/* ◀ */
	{ 0x25C1, { "<" } },			/* ◁ */
	{ 0x25C6, { "*" } },			/* ◆ */
	{ 0x25C7, { "o" } },			/* ◇ */
	{ 0x25CB, { "〇", "o" } },		/* ○ */
	{ 0x25CE, { "(o)" } },			/* ◎ */
	{ 0x25CF, { "*" } },			/* ● */
	{ 0x25EF, { "〇", "O" } },		/* ◯ */
	{ 0x2605, { "*" } },			/* ★ */
	{ 0x2606, { "o" } },			/* ☆ */
	{ 0x2610, { "[ ]" } },			/* ☐ */
	{ 0x2611, { "[v]" } },			/* ☑ */
	{ 0x2612, { "[x]" } },			/* ☒ */
	{ 0x2713, { "v" } },			/* ✓ */
	{ 0x2714, { "v" } },			/* ✔ */
	{ 0x2717, { "x" } },			/* ✗ */
	{ 0x2718, { "x" } },			/* ✘ */
	{ 0x301C, { "～", "~" } },		/* 〜 (CP932 has only ～) */
	{ 0xFF0D, { "−", "-" } },		/* － (glibc's EUC-JP and SJIS lack it) */
	{ 0xFF5E, { "〜", "~" } },		/* ～ (glibc's SHIFT_JIS lacks it) */
	{ 0xFFFD, { "〓", "?" } },		/* the replacement character: 〓 is the JIS one */
};

static const char *const charset_circled[20] = {
	"(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)",
	"(11)", "(12)", "(13)", "(14)", "(15)", "(16)", "(17)", "(18)", "(19)", "(20)"
};

/* Greek (U+0391..U+03C9) and Cyrillic (U+0410..U+044F) in Latin letters. */
static const char *const charset_greek_upper[25] = {
	"A", "B", "G", "D", "E", "Z", "E", "Th", "I", "K", "L", "M", "N", "X",
	"O", "P", "R", NULL, "S", "T", "Y", "Ph", "Ch", "Ps", "O"
};
static const char *const charset_greek_lower[25] = {
	"a", "b", "g", "d", "e", "z", "e", "th", "i", "k", "l", "m", "n", "x",
	"o", "p", "r", "s", "s", "t", "y", "ph", "ch", "ps", "o"
};
static const char *const charset_cyrillic_upper[32] = {
	"A", "B", "V", "G", "D", "E", "Zh", "Z", "I", "J", "K", "L", "M", "N",
	"O", "P", "R", "S", "T", "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "\"",
	"Y", "'", "E", "Yu", "Ya"
};
static const char *const charset_cyrillic_lower[32] = {
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "j", "k", "l", "m", "n",
	"o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "\"",
	"y", "'", "e", "yu", "ya"
};

/* The box drawing block (U+2500..U+257F) as ASCII lines and corners. */
static const char *charset_box(uint32_t cp)
{
	static const uint16_t horiz[] = { 0x00, 0x01, 0x04, 0x05, 0x08, 0x09, 0x4C,
					  0x4D, 0x74, 0x76, 0x78, 0x7A, 0x7C, 0x7E };
	static const uint16_t vert[] = { 0x02, 0x03, 0x06, 0x07, 0x0A, 0x0B, 0x4E,
					 0x4F, 0x51, 0x75, 0x77, 0x79, 0x7B, 0x7D, 0x7F };
	unsigned low = cp - 0x2500;

	for (size_t k = 0; k < sizeof horiz / sizeof horiz[0]; k++)
		if (low == horiz[k])
			return "-";
	for (size_t k = 0; k < sizeof vert / sizeof vert[0]; k++)
		if (low == vert[k])
			return "|";
	switch (low) {
	case 0x50: return "=";
	case 0x71: return "/";
	case 0x72: return "\\";
	case 0x73: return "X";
	default: return "+";
	}
}

/* Fill alt with cp's replacements from the table, best first; returns how many. */
static int charset_table(uint32_t cp, const char *alt[3])
{
	size_t lo = 0, hi = sizeof charset_folds / sizeof charset_folds[0];

	if (cp >= 0x2460 && cp <= 0x2473) {
		alt[0] = charset_circled[cp - 0x2460];
		return 1;
	}
	if (cp >= 0x2500 && cp <= 0x257F) {
		alt[0] = charset_box(cp);
		return 1;
	}
	if (cp >= 0x2580 && cp <= 0x259F && cp != 0x2591) {
		alt[0] = "■";
		alt[1] = "#";
		return 2;
	}
	if (cp >= 0x0391 && cp <= 0x03A9)
		return (alt[0] = charset_greek_upper[cp - 0x0391]) != NULL;
	if (cp >= 0x03B1 && cp <= 0x03C9)
		return (alt[0] = charset_greek_lower[cp - 0x03B1]) != NULL;
	if (cp >= 0x0410 && cp <= 0x042F)
		return (alt[0] = charset_cyrillic_upper[cp - 0x0410]) != NULL;
	if (cp >= 0x0430 && cp <= 0x044F)
		return (alt[0] = charset_cyrillic_lower[cp - 0x0430]) != NULL;
	if (cp == 0x0401 || cp == 0x0451) {
		alt[0] = cp == 0x0401 ? "Yo" : "yo";
		return 1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (charset_folds[mid].cp == cp) {
			int n = 0;
			while (n < 3 && charset_folds[mid].alt[n]) {
				alt[n] = charset_folds[mid].alt[n];
				n++;
			}
			return n;
		}
		if (charset_folds[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* --- Folding ----------------------------------------------------------- */

/*
 * cp goes out as it is: the locale's charset holds it, wcwidth knows it,
 * and it is not an ambiguous character measured narrow that the terminal
 * would draw wide.  ASCII always does: in Shift_JIS "\" and "~" are drawn
 * as the terminal's ¥ and ‾, which Japanese users expect.
 */
static int charset_showable(uint32_t cp, int ambiguous_wide)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	int w;

	if (cp < 0x80)
		return 1;
	memset(&st, 0, sizeof st);
	if (wcrtomb(mb, (wchar_t)cp, &st) == (size_t)-1)
		return 0;
	w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 0;
	return !(ambiguous_wide && w < 2 && charset_is_ambiguous(cp));
}

/*
 * cp is in EUC-JP only through JIS X 0212 (three bytes from SS3, 0x8F),
 * which many EUC-JP terminals cannot show: ～ (U+FF5E) is the common one.
 * Where the fold table has an equivalent in JIS X 0208 (〜), it wins.
 */
static int charset_supplementary(uint32_t cp)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;

	memset(&st, 0, sizeof st);
	return wcrtomb(mb, (wchar_t)cp, &st) == 3 && (unsigned char)mb[0] == 0x8F &&
	       charset_current() == CHARSET_EUCJP;
}

/* Characters text_sanitize shows in a visible form: not ours to fold. */
static int charset_passes(uint32_t cp)
{
	return cp < 0xA0 || cp == 0x2028 || cp == 0x2029 ||
	       uc_is_general_category((ucs4_t)cp, UC_CATEGORY_Cf) ||
	       uc_is_general_category((ucs4_t)cp, UC_CATEGORY_Co) ||
	       uc_is_general_category((ucs4_t)cp, UC_CATEGORY_Cs) ||
	       uc_is_general_category((ucs4_t)cp, UC_CATEGORY_Cn);
}

/* s (UTF-8) is a usable fold: every character showable, at least one column, no "?". */
static int charset_usable(const char *s, size_t len, int ambiguous_wide)
{
	size_t i = 0;
	int cols = 0;

	while (i < len) {
		uint32_t cp = text_decode(s, len, &i);
		const char *alt[3];
		if (cp == TEXT_REPLACEMENT || cp == '?' || cp < 0x20 || cp == 0x7F ||
		    !charset_showable(cp, ambiguous_wide))
			return 0;
		/* The same rule as charset_fold_cp: a fold must not hold what would fold again. */
		if (charset_supplementary(cp) && charset_table(cp, alt) > 0)
			return 0;
		cols += cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
	}
	return cols > 0;
}

static void charset_close(iconv_t *cd, int *tried)
{
	if (*cd != CHARSET_NO_CD)
		iconv_close(*cd);
	*cd = CHARSET_NO_CD;
	*tried = 0;
}

/* Make the caches belong to the active LC_CTYPE; 0 or -ENOMEM. */
static int charset_sync(void)
{
	const char *now = setlocale(LC_CTYPE, NULL);

	if (!now)
		now = "";
	if (charset_cache.locale && strcmp(charset_cache.locale, now) == 0)
		return 0;
	charset_close(&charset_cache.translit, &charset_cache.translit_tried);
	charset_close(&charset_cache.ascii, &charset_cache.ascii_tried);
	charset_close(&charset_cache.out, &charset_cache.out_tried);
	if (charset_cache.memo)
		memset(charset_cache.memo, 0,
		       charset_cache.memo_cap * sizeof charset_cache.memo[0]);
	charset_cache.memo_used = 0;
	free(charset_cache.locale);
	charset_cache.locale = strdup(now);
	return charset_cache.locale ? 0 : -ENOMEM;
}

static iconv_t charset_cd(iconv_t *cd, int *tried, const char *to)
{
	if (!*tried) {
		*tried = 1;
		*cd = iconv_open(to, "UTF-8");
	}
	return *cd;
}

static size_t charset_memo_slot(uint32_t key)
{
	size_t mask = charset_cache.memo_cap - 1;
	size_t k = (size_t)(key * 2654435761u) & mask;

	while (charset_cache.memo[k].key && charset_cache.memo[k].key != key)
		k = (k + 1) & mask;
	return k;
}

static const char *charset_memo_get(uint32_t key)
{
	if (!charset_cache.memo_cap)
		return NULL;
	return charset_cache.memo[charset_memo_slot(key)].fold;
}

/* Remember fold for key; on ENOMEM it is simply not remembered. */
static void charset_memo_put(uint32_t key, const char *fold)
{
	if ((charset_cache.memo_used + 1) * 2 > charset_cache.memo_cap) {
		size_t cap = charset_cache.memo_cap ? charset_cache.memo_cap * 2 : 256;
		struct charset_memo *old = charset_cache.memo;
		size_t old_cap = charset_cache.memo_cap;
		struct charset_memo *m = calloc(cap, sizeof *m);
		if (!m)
			return;
		charset_cache.memo = m;
		charset_cache.memo_cap = cap;
		for (size_t k = 0; k < old_cap; k++)
			if (old[k].key)
				m[charset_memo_slot(old[k].key)] = old[k];
		free(old);
	}
	size_t k = charset_memo_slot(key);
	if (!charset_cache.memo[k].key)
		charset_cache.memo_used++;
	charset_cache.memo[k].key = key;
	charset_cache.memo[k].fold = fold;
}

/* Keep s until charset_free; returns s, or NULL (s freed) on ENOMEM. */
static char *charset_own(char *s)
{
	if (charset_cache.owned_len == charset_cache.owned_cap) {
		size_t cap = charset_cache.owned_cap ? charset_cache.owned_cap * 2 : 64;
		char **p = realloc(charset_cache.owned, cap * sizeof *p);
		if (!p) {
			free(s);
			return NULL;
		}
		charset_cache.owned = p;
		charset_cache.owned_cap = cap;
	}
	charset_cache.owned[charset_cache.owned_len++] = s;
	return s;
}

/*
 * cp through iconv //TRANSLIT (to the codeset when to_ascii is 0, else to
 * ASCII), back in UTF-8 and usable; NULL when it is not.  glibc puts "?"
 * for what it cannot transliterate, so a "?" in the result is a failure.
 */
static char *charset_translit(uint32_t cp, int ambiguous_wide, int to_ascii)
{
	char in[4], mid[256], back[1024], *ip = in, *op = mid;
	size_t inleft = text_encode(cp, in), outleft = sizeof mid, blen = 0;
	iconv_t cd;

	if (to_ascii) {
		cd = charset_cd(&charset_cache.ascii, &charset_cache.ascii_tried,
				"ASCII//TRANSLIT");
	} else {
		char to[96];
		snprintf(to, sizeof to, "%s//TRANSLIT", charset_codeset());
		cd = charset_cd(&charset_cache.translit, &charset_cache.translit_tried, to);
	}
	if (cd == CHARSET_NO_CD)
		return NULL;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &inleft, &op, &outleft) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &outleft) == (size_t)-1)
		return NULL;

	/* Back to code points with the locale's own mbrtowc: wchar_t is UCS-4 in glibc. */
	size_t n = (size_t)(op - mid), i = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	while (i < n) {
		wchar_t wc;
		size_t r = to_ascii ? 1 : mbrtowc(&wc, mid + i, n - i, &st);
		if (to_ascii)
			wc = (unsigned char)mid[i];
		if (r == 0 || r > n - i || wc < 0 || (uint32_t)wc > 0x10FFFF ||
		    blen + 4 >= sizeof back)
			return NULL;
		blen += text_encode((uint32_t)wc, back + blen);
		i += r;
	}
	if (!charset_usable(back, blen, ambiguous_wide))
		return NULL;
	char *s = malloc(blen + 1);
	if (!s)
		return NULL;
	memcpy(s, back, blen);
	s[blen] = '\0';
	return s;
}

/* The base letter of a precomposed one (é -> e), for locales whose TRANSLIT has none (C). */
static char *charset_base_letter(uint32_t cp, int ambiguous_wide)
{
	ucs4_t d[UC_DECOMPOSITION_MAX_LENGTH];
	char buf[5];

	while (uc_canonical_decomposition((ucs4_t)cp, d) > 0) {
		cp = d[0];
		buf[text_encode(cp, buf)] = '\0';
		if (charset_usable(buf, strlen(buf), ambiguous_wide))
			return strdup(buf);
	}
	return NULL;
}

const char *charset_fold_cp(uint32_t cp, int ambiguous_wide)
{
	const char *alt[3];
	int n;

	ambiguous_wide = ambiguous_wide != 0;
	if (cp < 0xA0)
		return NULL;
	if (cp > 0x10FFFF)
		return "?";
	n = charset_table(cp, alt);
	if (charset_showable(cp, ambiguous_wide) &&
	    (n == 0 || !charset_supplementary(cp)))
		return NULL;
	for (int k = 0; k < n; k++)
		if (charset_usable(alt[k], strlen(alt[k]), ambiguous_wide))
			return alt[k];
	if (charset_showable(cp, ambiguous_wide) || charset_passes(cp))
		return NULL;

	if (charset_sync() < 0)
		return "?";
	uint32_t key = ((cp << 1) | (uint32_t)ambiguous_wide) + 1;
	const char *memo = charset_memo_get(key);
	if (memo)
		return memo;

	char *s = NULL;
	if (charset_current() != CHARSET_UTF8)
		s = charset_translit(cp, ambiguous_wide, 0);
	if (!s)
		s = charset_translit(cp, ambiguous_wide, 1);
	if (!s)
		s = charset_base_letter(cp, ambiguous_wide);
	const char *fold = s ? charset_own(s) : NULL;
	if (!fold)
		fold = "?";
	charset_memo_put(key, fold);
	return fold;
}

/* charset_fold with the length of the result in *outlen (input may hold NULs). */
static char *charset_fold_len(const char *utf8, size_t len, int ambiguous_wide,
			      size_t *outlen)
{
	struct charset_buf b = { NULL, 0, 0 };
	size_t i = 0;

	if (charset_buf_add(&b, "", 0) < 0)
		return NULL;
	while (i < len) {
		size_t at = i;
		uint32_t cp = text_decode(utf8, len, &i);
		const char *f = charset_fold_cp(cp, ambiguous_wide);
		char enc[4];
		int rc;

		if (f)
			rc = charset_buf_add(&b, f, strlen(f));
		else if (cp == TEXT_REPLACEMENT && i - at != 3)
			rc = charset_buf_add(&b, enc, text_encode(cp, enc));
		else
			rc = charset_buf_add(&b, utf8 + at, i - at);
		if (rc < 0) {
			free(b.s);
			return NULL;
		}
	}
	*outlen = b.len;
	return b.s;
}

char *charset_fold(const char *utf8, size_t len, int ambiguous_wide)
{
	size_t n;

	return charset_fold_len(utf8, len, ambiguous_wide, &n);
}

/* --- Output conversion ------------------------------------------------- */

int charset_to_locale(const char *utf8, size_t len, int ambiguous_wide,
		      char **out, size_t *outlen)
{
	struct charset_buf b = { NULL, 0, 0 };
	size_t flen, inleft;
	char *folded = charset_fold_len(utf8, len, ambiguous_wide, &flen), *in;
	int rc = 0;

	*out = NULL;
	*outlen = 0;
	if (!folded)
		return -ENOMEM;
	if (charset_current() == CHARSET_UTF8) {
		*out = folded;
		*outlen = flen;
		return 0;
	}
	if ((rc = charset_sync()) < 0)
		goto done;
	iconv_t cd = charset_cd(&charset_cache.out, &charset_cache.out_tried,
				charset_codeset());
	if (cd == CHARSET_NO_CD) {
		rc = -EINVAL;
		goto done;
	}
	if ((rc = charset_buf_add(&b, "", 0)) < 0)
		goto done;
	iconv(cd, NULL, NULL, NULL, NULL);
	in = folded;
	inleft = flen;
	for (int flushed = 0; !flushed;) {
		char chunk[4096], *op = chunk;
		size_t outleft = sizeof chunk, r;
		int e;

		if (inleft > 0) {
			r = iconv(cd, &in, &inleft, &op, &outleft);
		} else {
			r = iconv(cd, NULL, NULL, &op, &outleft);
			flushed = r != (size_t)-1;
		}
		e = errno;
		if ((rc = charset_buf_add(&b, chunk, (size_t)(op - chunk))) < 0)
			goto done;
		if (r != (size_t)-1 || e == E2BIG)
			continue;
		if ((e != EILSEQ && e != EINVAL) || inleft == 0) {
			rc = -e;
			goto done;
		}
		/* What folding passed through (a C1 control, say) and the charset lacks. */
		size_t skip = 0;
		char q[] = "?", *qp = q;
		size_t qleft = 1;
		text_decode(in, inleft, &skip);
		in += skip;
		inleft -= skip;
		op = chunk;
		outleft = sizeof chunk;
		iconv(cd, &qp, &qleft, &op, &outleft);
		if ((rc = charset_buf_add(&b, chunk, (size_t)(op - chunk))) < 0)
			goto done;
	}
	*out = b.s;
	*outlen = b.len;
	b.s = NULL;
done:
	free(b.s);
	free(folded);
	return rc;
}

int charset_fputs(const char *utf8, FILE *f, int ambiguous_wide)
{
	char *s;
	size_t n;
	int rc = charset_to_locale(utf8, strlen(utf8), ambiguous_wide, &s, &n);

	if (rc < 0)
		return rc;
	errno = 0;
	if (fwrite(s, 1, n, f) != n)
		rc = errno ? -errno : -EIO;
	free(s);
	return rc;
}

void charset_free(void)
{
	charset_close(&charset_cache.translit, &charset_cache.translit_tried);
	charset_close(&charset_cache.ascii, &charset_cache.ascii_tried);
	charset_close(&charset_cache.out, &charset_cache.out_tried);
	for (size_t k = 0; k < charset_cache.owned_len; k++)
		free(charset_cache.owned[k]);
	free(charset_cache.owned);
	free(charset_cache.memo);
	free(charset_cache.locale);
	charset_cache.owned = NULL;
	charset_cache.owned_len = charset_cache.owned_cap = 0;
	charset_cache.memo = NULL;
	charset_cache.memo_cap = charset_cache.memo_used = 0;
	charset_cache.locale = NULL;
}

char *charset_from_locale(const char *s, size_t len)
{
	const char *cs = charset_codeset();

	if (charset_current() == CHARSET_UTF8 || !cs || !*cs)
		return text_sanitize(s, len);
	iconv_t cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1)
		return text_sanitize(s, len);
	/* UTF-8 takes at most 3 bytes for a character a 1- or 2-byte charset holds. */
	size_t cap = len * 3 + 4, left = cap;
	char *utf8 = malloc(cap), *o = utf8;
	char *in = (char *)s;
	size_t inleft = len;
	if (!utf8) {
		iconv_close(cd);
		return NULL;
	}
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &left) != (size_t)-1)
			break;
		if (errno == E2BIG)
			break;
		/* A byte the charset does not know: keep it, the sanitiser shows it as U+FFFD. */
		*o++ = *in++;
		left--;
		inleft--;
	}
	iconv_close(cd);
	char *safe = text_sanitize(utf8, (size_t)(o - utf8));
	free(utf8);
	return safe;
}
