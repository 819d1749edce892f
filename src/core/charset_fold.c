/*
 * charset_fold: character folds (see charset_fold.h).  What a charset can
 * hold is asked of the C library (wcrtomb and wcwidth in the active
 * locale, as ncursesw does when it draws), what is ambiguous of
 * libunistring, and close equivalents of iconv //TRANSLIT; the fold table
 * below only holds what TRANSLIT lacks or gets wrong for a Japanese text
 * on a Japanese terminal.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <uninorm.h>
#include <uniwidth.h>

#include "core/charset_fold.h"
#include "core/charset_locale.h"
#include "core/text.h"
#include "core/util.h"

#define CHARSET_NO_CD ((iconv_t)-1)

/* Tables laid out by hand, their comments in one column: kept as they are. */
/* clang-format off */

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
	int translit_tried, ascii_tried;
	struct charset_memo *memo;
	size_t memo_cap, memo_used;
	char **owned;
	size_t owned_len, owned_cap;
} charset_cache = { NULL, CHARSET_NO_CD, CHARSET_NO_CD, 0, 0, NULL, 0, 0, NULL, 0, 0 };

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

/* clang-format on */

/* The box drawing block (U+2500..U+257F) as ASCII lines and corners. */
static const char *charset_box(uint32_t cp)
{
	static const uint16_t horiz[] = { 0x00, 0x01, 0x04, 0x05, 0x08, 0x09, 0x4C,
		                          0x4D, 0x74, 0x76, 0x78, 0x7A, 0x7C, 0x7E };
	static const uint16_t vert[] = { 0x02, 0x03, 0x06, 0x07, 0x0A, 0x0B, 0x4E, 0x4F,
		                         0x51, 0x75, 0x77, 0x79, 0x7B, 0x7D, 0x7F };
	unsigned low = cp - 0x2500;

	for (size_t k = 0; k < sizeof horiz / sizeof horiz[0]; k++)
		if (low == horiz[k])
			return "-";
	for (size_t k = 0; k < sizeof vert / sizeof vert[0]; k++)
		if (low == vert[k])
			return "|";
	switch (low) {
	case 0x50:
		return "=";
	case 0x71:
		return "/";
	case 0x72:
		return "\\";
	case 0x73:
		return "X";
	default:
		return "+";
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

/* Make the caches belong to the active LC_CTYPE. */
static void charset_sync(void)
{
	const char *now = setlocale(LC_CTYPE, NULL);

	if (!now)
		now = "";
	if (charset_cache.locale && strcmp(charset_cache.locale, now) == 0)
		return;
	charset_close(&charset_cache.translit, &charset_cache.translit_tried);
	charset_close(&charset_cache.ascii, &charset_cache.ascii_tried);
	if (charset_cache.memo)
		memset(charset_cache.memo, 0, charset_cache.memo_cap * sizeof charset_cache.memo[0]);
	charset_cache.memo_used = 0;
	free(charset_cache.locale);
	charset_cache.locale = xstrdup(now);
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

/* Remember fold for key. */
static void charset_memo_put(uint32_t key, const char *fold)
{
	if ((charset_cache.memo_used + 1) * 2 > charset_cache.memo_cap) {
		size_t cap = charset_cache.memo_cap ? charset_cache.memo_cap * 2 : 256;
		struct charset_memo *old = charset_cache.memo;
		size_t old_cap = charset_cache.memo_cap;
		struct charset_memo *m = xcalloc(cap, sizeof *m);
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

/* Keep s until charset_free; returns s. */
static char *charset_own(char *s)
{
	charset_cache.owned = xgrow(charset_cache.owned, &charset_cache.owned_cap,
	                            charset_cache.owned_len + 1, sizeof *charset_cache.owned);
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
		cd = charset_cd(&charset_cache.ascii, &charset_cache.ascii_tried, "ASCII//TRANSLIT");
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
		if (r == 0 || r > n - i || wc < 0 || (uint32_t)wc > 0x10FFFF || blen + 4 >= sizeof back)
			return NULL;
		blen += text_encode((uint32_t)wc, back + blen);
		i += r;
	}
	if (!charset_usable(back, blen, ambiguous_wide))
		return NULL;
	return xstrndup(back, blen);
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
			return xstrdup(buf);
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
	if (charset_showable(cp, ambiguous_wide) && (n == 0 || !charset_supplementary(cp)))
		return NULL;
	for (int k = 0; k < n; k++)
		if (charset_usable(alt[k], strlen(alt[k]), ambiguous_wide))
			return alt[k];
	/* What text_sanitize shows in a visible form is not ours to fold. */
	if (charset_showable(cp, ambiguous_wide) || text_must_escape(cp))
		return NULL;

	charset_sync();
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
	const char *fold = s ? charset_own(s) : "?";
	charset_memo_put(key, fold);
	return fold;
}

char *charset_fold_len(const char *utf8, size_t len, int ambiguous_wide, size_t *outlen)
{
	struct buf b = { 0 };
	size_t i = 0;

	while (i < len) {
		size_t at = i;
		uint32_t cp = text_decode(utf8, len, &i);
		const char *f = charset_fold_cp(cp, ambiguous_wide);
		char enc[4];

		if (f)
			buf_adds(&b, f);
		else if (cp == TEXT_REPLACEMENT && i - at != 3)
			buf_add(&b, enc, text_encode(cp, enc));
		else
			buf_add(&b, utf8 + at, i - at);
	}
	*outlen = b.len;
	return buf_take(&b);
}

char *charset_fold(const char *utf8, size_t len, int ambiguous_wide)
{
	size_t n;

	return charset_fold_len(utf8, len, ambiguous_wide, &n);
}

void charset_fold_free(void)
{
	charset_close(&charset_cache.translit, &charset_cache.translit_tried);
	charset_close(&charset_cache.ascii, &charset_cache.ascii_tried);
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
