/*
 * answers_format: the line format of an answers file (see answers_format.h
 * and THE ANSWERS FILE in doc/mamori.1): parse, serialise, escape, time.
 * No file is opened here; answers.c opens, locks and saves.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/answers_format.h"
#include "core/doc.h"
#include "core/i18n.h"
#include "core/util.h"

#define ANSWERS_HEADER "mamori-answers"
/*
 * 2: attribute lines (owner, due) below an item, and the department,
 * respondent, started and source header lines.  Version 1 files are still
 * read, and written as version 2 only when a change saves them.  (The
 * company line came with version 1: an older mamori kept it verbatim.)
 */
#define ANSWERS_VERSION 2
/* The header words (reserved: never an item id at the start of a line). */
#define ANSWERS_COMPANY "company"
#define ANSWERS_DEPARTMENT "department"
#define ANSWERS_RESPONDENT "respondent"
#define ANSWERS_STARTED "started"
#define ANSWERS_SOURCE "source"
/* The attribute words, on lines indented below their item line. */
#define ANSWERS_OWNER "owner"
#define ANSWERS_DUE "due"
#define ANSWERS_INDENT "  "
#define ANSWERS_HELP "# id state time note    states: done todo na | yes partly no unknown | open"
#define ANSWERS_HELP2 "#   owner NAME / due YYYY-MM-DD: indented lines below their item"
/* DOC_ID_MAX as text, for a message. */
#define ANSWERS_STR(x) #x
#define ANSWERS_XSTR(x) ANSWERS_STR(x)
#define ANSWERS_ID_MAX_TEXT ANSWERS_XSTR(DOC_ID_MAX)

static const char *const answers_names[ANSWER_STATE_COUNT] = {
	[ANSWER_NONE] = "open", [ANSWER_DONE] = "done",       [ANSWER_TODO] = "todo",
	[ANSWER_NA] = "na",     [ANSWER_YES] = "yes",         [ANSWER_PARTLY] = "partly",
	[ANSWER_NO] = "no",     [ANSWER_UNKNOWN] = "unknown",
};

/* The comment lines gathered so far, for the entry they stand before (NULL when none). */
static char *answers_take_comments(struct buf *comments)
{
	if (comments->len)
		return buf_take(comments);
	buf_free(comments); /* emptied by an attribute line, with its memory kept */
	return NULL;
}

const char *answers_state_name(enum answer_state st)
{
	return (unsigned)st < ANSWER_STATE_COUNT ? answers_names[st] : "?";
}

int answers_state_parse(const char *word, size_t len)
{
	for (int i = 0; i < ANSWER_STATE_COUNT; i++)
		if (strlen(answers_names[i]) == len && memcmp(answers_names[i], word, len) == 0)
			return i;
	return -1;
}

int answers_state_is_question(enum answer_state st)
{
	return st == ANSWER_YES || st == ANSWER_PARTLY || st == ANSWER_NO || st == ANSWER_UNKNOWN;
}

int answers_state_points(enum answer_state st)
{
	switch (st) {
	case ANSWER_YES:
		return 4;
	case ANSWER_PARTLY:
		return 2;
	case ANSWER_UNKNOWN:
		return -1;
	default:
		return 0;
	}
}

int answers_format_state_fits(enum answer_state st, int question)
{
	if (st == ANSWER_NONE)
		return 1;
	return question ? answers_state_is_question(st) : !answers_state_is_question(st);
}

size_t answers_format_time(time_t t, char out[32])
{
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		memcpy(out, "-", 2);
		return 1;
	}
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	long off = tm.tm_gmtoff;
	if (off == 0) {
		out[n++] = 'Z';
		out[n] = '\0';
		return n;
	}
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	int w = snprintf(out + n, 32 - n, "%c%02ld:%02ld", sign, (off / 3600) % 100, (off / 60) % 60);
	return n + (w > 0 ? (size_t)w : 0);
}

static int answers_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int answers_time_valid(const char *s, size_t len)
{
	/* YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM|+HHMM|-HHMM) */
	if (len < 20 || !answers_digits(s, 4) || s[4] != '-' || !answers_digits(s + 5, 2) || s[7] != '-' ||
	    !answers_digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !answers_digits(s + 11, 2) ||
	    s[13] != ':' || !answers_digits(s + 14, 2) || s[16] != ':' || !answers_digits(s + 17, 2))
		return 0;
	int mon = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
	int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
	int ss = (s[17] - '0') * 10 + (s[18] - '0');
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
		return 0;
	size_t i = 19;
	if (i < len && s[i] == '.') {
		size_t start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return 0;
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z'))
		return i + 1 == len;
	if (i >= len || (s[i] != '+' && s[i] != '-'))
		return 0;
	i++;
	if (len - i == 5 && answers_digits(s + i, 2) && s[i + 2] == ':' && answers_digits(s + i + 3, 2))
		return 1;
	return len - i == 4 && answers_digits(s + i, 4);
}

/* Days from 1970-01-01 to the proleptic Gregorian y-m-d (Howard Hinnant's days_from_civil). */
static long long answers_days(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int answers_num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int answers_time_parse(const char *s, time_t *out)
{
	size_t len = s ? strlen(s) : 0;
	if (!answers_time_valid(s, len))
		return -1;
	long long t =
		answers_days(answers_num(s, 4), answers_num(s + 5, 2), answers_num(s + 8, 2)) * 86400 +
		answers_num(s + 11, 2) * 3600 + answers_num(s + 14, 2) * 60 + answers_num(s + 17, 2);
	size_t i = 19;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (s[i] == '+' || s[i] == '-') {
		/* +HH:MM or +HHMM */
		int hh = answers_num(s + i + 1, 2);
		int mm = answers_num(s + i + (s[i + 3] == ':' ? 4 : 3), 2);
		long long off = hh * 3600LL + mm * 60LL;
		t -= s[i] == '+' ? off : -off;
	}
	*out = (time_t)t;
	return 0;
}

static int answers_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int answers_date_check(const char *s, const char **why)
{
	static const char *const months[12] = {
		N_("January"),   N_("February"), N_("March"),    N_("April"),
		N_("May"),       N_("June"),     N_("July"),     N_("August"),
		N_("September"), N_("October"),  N_("November"), N_("December"),
	};
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	/* Static, per thread: the message names the date, so it cannot be a constant. */
	static _Thread_local char msg[200];
	const char *w = NULL;
	size_t len = s ? strlen(s) : 0;
	if (len != 10 || !answers_digits(s, 4) || s[4] != '-' || !answers_digits(s + 5, 2) ||
	    s[7] != '-' || !answers_digits(s + 8, 2)) {
		snprintf(msg, sizeof msg, _("%.40s: expected a date like 2027-03-31 (YYYY-MM-DD)"),
		         s ? s : "");
		w = msg;
	} else {
		int y = answers_num(s, 4), m = answers_num(s + 5, 2), d = answers_num(s + 8, 2);
		if (y < 1) {
			snprintf(msg, sizeof msg, _("%s: there is no year 0000"), s);
			w = msg;
		} else if (m < 1 || m > 12) {
			snprintf(msg, sizeof msg, _("%s: there is no month %02d (01 to 12)"), s, m);
			w = msg;
		} else {
			int max = mdays[m - 1] + (m == 2 && answers_leap(y));
			if (d < 1) {
				snprintf(msg, sizeof msg, _("%s: there is no day 00"), s);
				w = msg;
			} else if (d > max && m == 2) {
				snprintf(msg, sizeof msg, _("%s: February %d has %d days"), s, y, max);
				w = msg;
			} else if (d > max) {
				snprintf(msg, sizeof msg, _("%s: %s has %d days"), s, _(months[m - 1]),
				         max);
				w = msg;
			}
		}
	}
	if (why)
		*why = w;
	return w ? -1 : 0;
}

static int answers_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Undo the file's escapes (\\ \t \n \r \xHH).  Any other backslash is kept
 * as it is, so a hand-written "C:\Users" survives; \x00 is kept as text,
 * since a note is a C string.
 */
static char *answers_unescape(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			out[o++] = s[i];
			continue;
		}
		char c = s[i + 1];
		if (c == '\\' || c == 't' || c == 'n' || c == 'r') {
			out[o++] = c == '\\' ? '\\' : c == 't' ? '\t' : c == 'n' ? '\n' : '\r';
			i++;
		} else if (c == 'x' && i + 3 < n && answers_hex(s[i + 2]) >= 0 &&
		           answers_hex(s[i + 3]) >= 0 &&
		           (answers_hex(s[i + 2]) | answers_hex(s[i + 3])) != 0) {
			out[o++] = (char)(answers_hex(s[i + 2]) * 16 + answers_hex(s[i + 3]));
			i += 3;
		} else {
			out[o++] = '\\';
		}
	}
	out[o] = '\0';
	return out;
}

static void answers_escape(struct buf *b, const char *s)
{
	const unsigned char *first = (const unsigned char *)s;
	const unsigned char *last = first + strlen(s) - (*s ? 1 : 0);
	for (const unsigned char *p = first; *p; p++) {
		/*
		 * A space at either end is escaped: the reader trims blanks there,
		 * so a note that really begins or ends with one (written \x20)
		 * must come back the same after a save.
		 */
		if (*p == ' ' && (p == first || p == last))
			buf_adds(b, "\\x20");
		else if (*p == '\\')
			buf_adds(b, "\\\\");
		else if (*p == '\t')
			buf_adds(b, "\\t");
		else if (*p == '\n')
			buf_adds(b, "\\n");
		else if (*p == '\r')
			buf_adds(b, "\\r");
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\x%02x", *p);
		else
			buf_addc(b, (char)*p);
	}
}

static void answers_add_diag(struct answers *a, int line, const char *fmt, ...) UTIL_PRINTF(3, 4);

static void answers_add_diag(struct answers *a, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	a->diags = xreallocarray(a->diags, a->ndiags + 1, sizeof *a->diags);
	struct answers_diag *dg = &a->diags[a->ndiags++];
	dg->line = line;
	dg->msg =
		line > 0 ? xasprintf("%s:%d: %s", a->path, line, msg) : xasprintf("%s: %s", a->path, msg);
	free(msg);
}

long answers_format_push(struct answers *a)
{
	a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
	memset(&a->v[a->n], 0, sizeof a->v[a->n]);
	a->v[a->n].item = -1;
	return (long)a->n++;
}

/* FNV-1a: short ASCII ids, no adversary to speak of (a bad file only costs its owner time). */
static size_t answers_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)(h ^ (h >> 32));
}

static void answers_hash_put(size_t *slots, size_t cap, const struct answer *v, size_t k)
{
	size_t i = answers_hash(v[k].id) & (cap - 1);
	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = k + 1;
}

/* Index entry k of a->v (it has an id that by_item does not hold). */
static void answers_index_add(struct answers *a, size_t k)
{
	/* At most half full, so a probe ends soon. */
	if (2 * (a->id_count + 1) > a->id_cap) {
		size_t cap = a->id_cap ? 2 * a->id_cap : 64;
		size_t *slots = xcalloc(cap, sizeof *slots);
		for (size_t i = 0; i < a->id_cap; i++)
			if (a->id_slots[i])
				answers_hash_put(slots, cap, a->v, a->id_slots[i] - 1);
		free(a->id_slots);
		a->id_slots = slots;
		a->id_cap = cap;
	}
	answers_hash_put(a->id_slots, a->id_cap, a->v, k);
	a->id_count++;
}

long answers_format_index(const struct answers *a, const char *id)
{
	if (a->doc && a->by_item) {
		int it = doc_find_item(a->doc, id);
		if (it >= 0)
			return a->by_item[it];
	}
	if (a->id_cap) {
		for (size_t i = answers_hash(id) & (a->id_cap - 1); a->id_slots[i];
		     i = (i + 1) & (a->id_cap - 1)) {
			size_t k = a->id_slots[i] - 1;
			/* answers.c may have popped entries since: check before trusting a slot. */
			if (k < a->n && a->v[k].id && strcmp(a->v[k].id, id) == 0)
				return (long)k;
		}
	}
	/* Entries pushed after parsing (answers_set of a new id) are few: one by one. */
	for (size_t i = a->id_upto < a->n ? a->id_upto : a->n; i < a->n; i++)
		if (a->v[i].id && strcmp(a->v[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* Keep a line the parser could not use, verbatim (it may hold NUL bytes). */
static void answers_keep_raw(struct answers *a, const char *line, size_t len, int lineno,
                             struct buf *comments)
{
	long k = answers_format_push(a); /* before a->v is read: the push may move it */
	struct answer *e = &a->v[k];
	e->raw = xmalloc(len + 1);
	memcpy(e->raw, line, len);
	e->raw[len] = '\0';
	e->raw_len = len;
	e->line = lineno;
	e->comments = answers_take_comments(comments);
}

/* 1 when the n bytes at s are exactly the word w. */
static int answers_word_is(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && memcmp(s, w, n) == 0;
}

/* Skip spaces and tabs from *i; return the end of the next field. */
static size_t answers_field(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
	size_t j = *i;
	while (j < len && s[j] != ' ' && s[j] != '\t')
		j++;
	return j;
}

static void answers_append_raw(char **dst, struct buf *comments, const char *s, size_t len);

/*
 * Parse one answer line: it becomes an entry, or is kept as a malformed
 * line and reported.  indented: a format 1 line that starts with a blank
 * (read as an item line there); when it cannot be read it is kept below the
 * line before it, as format 2 keeps a bad attribute line, since a save
 * writes format 2, where it will be read as one.
 */
static void answers_parse_line(struct answers *a, const char *s, size_t len, int lineno,
                               struct buf *comments, int indented)
{
	size_t i = 0;
	size_t idend = answers_field(s, len, &i), idbeg = i;
	i = idend;
	size_t stend = answers_field(s, len, &i), stbeg = i;
	i = stend;
	size_t tmend = answers_field(s, len, &i), tmbeg = i;
	i = tmend;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t notebeg = i, noteend = len;
	while (noteend > notebeg && (s[noteend - 1] == ' ' || s[noteend - 1] == '\t'))
		noteend--;

	const char *why = NULL;
	char whybuf[160];
	int st = -1, item = -1;
	if (memchr(s, '\0', len))
		why = "a NUL byte in the line";
	else if (!doc_id_valid(s + idbeg, idend - idbeg))
		why = "expected an item id (1 to " ANSWERS_ID_MAX_TEXT " letters, digits, '-', '_', '.') "
		      "first";
	else if (idend - idbeg == strlen(ANSWERS_HEADER) &&
	         memcmp(s + idbeg, ANSWERS_HEADER, idend - idbeg) == 0)
		/* Reserved: a bad header kept in the file must not read as an item next time. */
		why = "a second header line";
	else if (stend == stbeg)
		why = "expected a state after the id (done, todo, na, yes, partly, no, unknown, open)";
	else if ((st = answers_state_parse(s + stbeg, stend - stbeg)) < 0) {
		snprintf(whybuf, sizeof whybuf,
		         "unknown state '%.*s' (expected done, todo, na, yes, partly, no, unknown "
		         "or open)",
		         (int)(stend - stbeg > 40 ? 40 : stend - stbeg), s + stbeg);
		why = whybuf;
	} else if (tmend > tmbeg && !(tmend - tmbeg == 1 && s[tmbeg] == '-') &&
	           !answers_time_valid(s + tmbeg, tmend - tmbeg))
		why = "expected a time like 2026-11-25T09:30:00+09:00 (or '-') after the state";
	char *id = NULL;
	if (!why) {
		id = xstrndup(s + idbeg, idend - idbeg);
		long dup = answers_format_index(a, id);
		if (dup >= 0) {
			snprintf(whybuf, sizeof whybuf,
			         "'%.60s' already has a line (line %d); this one is kept but not used", id,
			         a->v[dup].line);
			why = whybuf;
		} else if (a->doc) {
			item = doc_find_item(a->doc, id);
			if (item >= 0 && !answers_format_state_fits((enum answer_state)st,
			                                            a->doc->items[item].question)) {
				snprintf(whybuf, sizeof whybuf,
				         "'%.60s' is %s: state '%s' does not fit it", id,
				         a->doc->items[item].question ? "a diagnosis question"
				                                      : "a checklist item",
				         answers_names[st]);
				why = whybuf;
			}
		}
	}
	if (why) {
		free(id);
		answers_add_diag(a, lineno, "%s (the line is kept as it is)", why);
		if (indented && a->n)
			answers_append_raw(&a->v[a->n - 1].attrs_raw, comments, s, len);
		else if (indented)
			answers_append_raw(&a->orphans, comments, s, len);
		else
			answers_keep_raw(a, s, len, lineno, comments);
		return;
	}
	long k = answers_format_push(a);
	struct answer *e = &a->v[k];
	e->id = id;
	e->state = (enum answer_state)st;
	e->time = tmend > tmbeg ? xstrndup(s + tmbeg, tmend - tmbeg) : xstrdup("-");
	e->note = answers_unescape(s + notebeg, noteend - notebeg);
	e->owner = xstrdup("");
	e->due = xstrdup("");
	e->line = lineno;
	e->item = item;
	e->comments = answers_take_comments(comments);
	if (item >= 0)
		a->by_item[item] = (int)k;
	else
		answers_index_add(a, (size_t)k);
	if (item < 0 && a->doc)
		answers_add_diag(a, lineno, "unknown item id '%.60s' (kept in the file)", id);
}

/* Parse the header line: sets a->version. */
static void answers_parse_header(struct answers *a, const char *s, size_t len, int lineno,
                                 struct buf *comments)
{
	size_t hl = strlen(ANSWERS_HEADER);
	size_t i = hl;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t end = len;
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	long ver = 0;
	int ok = i > hl && end > i && end - i <= 6 && answers_digits(s + i, end - i);
	/* By hand, not strtol: the line is a slice of the file, with no NUL after it. */
	for (size_t k = i; ok && k < end; k++)
		ver = ver * 10 + (s[k] - '0');
	if (ok && ver >= 1 && ver <= ANSWERS_VERSION) {
		a->version = (int)ver;
		return;
	}
	if (ok && ver > ANSWERS_VERSION) {
		a->version = (int)ver;
		free(a->readonly_reason);
		a->readonly_reason = xasprintf("written by a newer mamori (format %ld)", ver);
		a->readonly = 1;
		answers_add_diag(a, lineno,
		                 "format %ld is newer than this mamori reads (%d); opened read-only", ver,
		                 ANSWERS_VERSION);
		return;
	}
	answers_add_diag(a, lineno, "bad header: expected '%s %d' (the line is kept as it is)",
	                 ANSWERS_HEADER, ANSWERS_VERSION);
	answers_keep_raw(a, s, len, lineno, comments);
}

/* The header lines after the version line: one word, then a value. */
enum answers_field_kind {
	ANSWERS_F_COMPANY,
	ANSWERS_F_DEPARTMENT,
	ANSWERS_F_RESPONDENT,
	ANSWERS_F_STARTED,
	ANSWERS_F_SOURCE,
	ANSWERS_F_COUNT
};

static const char *const answers_field_words[ANSWERS_F_COUNT] = {
	[ANSWERS_F_COMPANY] = ANSWERS_COMPANY,       [ANSWERS_F_DEPARTMENT] = ANSWERS_DEPARTMENT,
	[ANSWERS_F_RESPONDENT] = ANSWERS_RESPONDENT, [ANSWERS_F_STARTED] = ANSWERS_STARTED,
	[ANSWERS_F_SOURCE] = ANSWERS_SOURCE,
};

/* The header field whose word starts the len bytes at s (followed by a blank), or -1. */
static int answers_field_kind(const char *s, size_t len)
{
	for (int f = 0; f < ANSWERS_F_COUNT; f++) {
		size_t wl = strlen(answers_field_words[f]);
		if (len > wl && memcmp(s, answers_field_words[f], wl) == 0 &&
		    (s[wl] == ' ' || s[wl] == '\t'))
			return f;
	}
	return -1;
}

/* The slot of a one-per-file header field. */
static char **answers_field_slot(struct answers *a, int f)
{
	switch (f) {
	case ANSWERS_F_COMPANY:
		return &a->company;
	case ANSWERS_F_DEPARTMENT:
		return &a->department;
	case ANSWERS_F_RESPONDENT:
		return &a->respondent;
	default:
		return &a->started;
	}
}

static void answers_add_source(struct answers *a, char *department, char *path)
{
	a->sources = xreallocarray(a->sources, a->nsources + 1, sizeof *a->sources);
	a->sources[a->nsources].department = department;
	a->sources[a->nsources].path = path;
	a->nsources++;
}

/*
 * A header line (s, len: the whole line; k: where its word starts).  One
 * of each per file (sources: any number); a line that is a second one, or
 * has no value or a bad one, is kept as it was and reported.  Comments
 * above it stay above the next line: the header lines are rewritten in
 * their own place.
 */
static void answers_parse_field(struct answers *a, int f, const char *s, size_t len, size_t k, int lineno,
                                struct buf *comments)
{
	const char *word = answers_field_words[f];
	size_t i = k + strlen(word);
	/* The source line's TAB separates its two parts: only spaces lead its value. */
	while (i < len && (s[i] == ' ' || (s[i] == '\t' && f != ANSWERS_F_SOURCE)))
		i++;
	size_t end = len;
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	const char *why = NULL;
	if (f == ANSWERS_F_SOURCE) {
		const char *tab = memchr(s + i, '\t', end - i);
		if (!tab || tab + 1 == s + end)
			why = "a source line needs a department and a path, separated by a TAB";
		else {
			/* The department ends before the TAB; blanks before it are the department's own (escaped when ours). */
			size_t dend = (size_t)(tab - s), pbeg = dend + 1;
			while (pbeg < end && s[pbeg] == ' ')
				pbeg++;
			if (pbeg == end)
				why = "a source line needs a department and a path, separated by a TAB";
			else {
				answers_add_source(a, answers_unescape(s + i, dend - i),
				                   answers_unescape(s + pbeg, end - pbeg));
				return;
			}
		}
	} else {
		char **slot = answers_field_slot(a, f);
		if (*slot)
			why = f == ANSWERS_F_COMPANY      ? "a second company line"
			      : f == ANSWERS_F_DEPARTMENT ? "a second department line"
			      : f == ANSWERS_F_RESPONDENT ? "a second respondent line"
			                                  : "a second started line";
		else if (end == i)
			why = f == ANSWERS_F_COMPANY      ? "a company line with no name"
			      : f == ANSWERS_F_DEPARTMENT ? "a department line with no name"
			      : f == ANSWERS_F_RESPONDENT ? "a respondent line with no name"
			                                  : "a started line with no time";
		else if (f == ANSWERS_F_STARTED && !answers_time_valid(s + i, end - i))
			why = "expected a time like 2026-12-06T10:00:00+09:00 after 'started'";
		else {
			*slot = f == ANSWERS_F_STARTED ? xstrndup(s + i, end - i)
			                               : answers_unescape(s + i, end - i);
			return;
		}
	}
	answers_add_diag(a, lineno, "%s (the line is kept as it is)", why);
	/*
	 * Indented (format 1 only: from format 2 on an indented line is an
	 * attribute line): kept below the line before it, as a bad attribute
	 * line is, since that is how the format 2 a save writes will read it.
	 * As a line of its own it could move (entries are written in content
	 * order) below another item and be read as that item's attribute.
	 */
	if (k > 0)
		answers_append_raw(a->n ? &a->v[a->n - 1].attrs_raw : &a->orphans, comments, s, len);
	else
		answers_keep_raw(a, s, len, lineno, comments);
}

/* Append the gathered comments and the line (with a newline) to *dst. */
static void answers_append_raw(char **dst, struct buf *comments, const char *s, size_t len)
{
	struct buf b = { 0 };
	if (*dst)
		buf_adds(&b, *dst);
	if (comments->len)
		buf_add(&b, comments->s, comments->len);
	buf_reset(comments);
	buf_add(&b, s, len);
	buf_addc(&b, '\n');
	free(*dst);
	*dst = buf_take(&b);
}

/*
 * An attribute line (indented; no NUL byte in it): it belongs to the last
 * entry read.  A good one fills that entry's owner or due; a bad one (no
 * item line above it, unknown word, bad date, a second one) is reported
 * and kept verbatim under that entry, or among the orphans when there is
 * no entry yet, so that it comes back where it stood.
 */
static void answers_parse_attr(struct answers *a, const char *s, size_t len, int lineno,
                               struct buf *comments)
{
	size_t i = 0;
	size_t wend = answers_field(s, len, &i), wbeg = i;
	i = wend;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t end = len;
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	struct answer *e = a->n ? &a->v[a->n - 1] : NULL;
	size_t wl = wend - wbeg;
	int owner = wl == strlen(ANSWERS_OWNER) && memcmp(s + wbeg, ANSWERS_OWNER, wl) == 0;
	int due = wl == strlen(ANSWERS_DUE) && memcmp(s + wbeg, ANSWERS_DUE, wl) == 0;
	char whybuf[200];
	const char *why = NULL;
	if (!e || e->raw)
		why = e ? "an attribute line below a line that is not read (kept with it)"
		        : "an attribute line with no item line above it";
	else if (!owner && !due) {
		snprintf(whybuf, sizeof whybuf, "unknown attribute '%.*s' (expected owner or due)",
		         (int)(wl > 40 ? 40 : wl), s + wbeg);
		why = whybuf;
	} else if (end == i)
		why = owner ? "an owner line with no name" : "a due line with no date";
	else if (owner && *e->owner)
		why = "a second owner line";
	else if (due && *e->due)
		why = "a second due line";
	else if (due) {
		char *d = xstrndup(s + i, end - i);
		const char *w = NULL;
		if (answers_date_check(d, &w) < 0) {
			snprintf(whybuf, sizeof whybuf, "bad due date: %s", w);
			why = whybuf;
		} else {
			free(e->due);
			e->due = d;
			d = NULL;
		}
		free(d);
	} else {
		free(e->owner);
		e->owner = answers_unescape(s + i, end - i);
	}
	if (why) {
		answers_add_diag(a, lineno, "%s (the line is kept as it is)", why);
		answers_append_raw(e ? &e->attrs_raw : &a->orphans, comments, s, len);
		return;
	}
	/* Comments above an attribute line move above its item line. */
	if (comments->len) {
		struct buf b = { 0 };
		if (e->comments)
			buf_adds(&b, e->comments);
		buf_add(&b, comments->s, comments->len);
		buf_reset(comments);
		free(e->comments);
		e->comments = buf_take(&b);
	}
}

/* A copy of s without leading and trailing blanks, or NULL when nothing is left (or s is NULL). */
static char *answers_trimmed(const char *s)
{
	if (!s)
		return NULL;
	size_t i = 0, end = strlen(s);
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	return end > i ? xstrndup(s + i, end - i) : NULL;
}

/*
 * A header field removed in memory takes with it the lines of its kind kept
 * from the file as ones not read (a second department line, ...): else the
 * next read would take such a line as the field, and what was removed
 * would come back.  The comments and attribute lines kept with them stay in
 * the file, above every entry, as they would be read there.
 */
static void answers_drop_field_lines(struct answers *a, int f)
{
	for (size_t i = 0; i < a->n; i++) {
		struct answer *e = &a->v[i];
		size_t k = 0;
		if (!e->raw)
			continue;
		while (k < e->raw_len && (e->raw[k] == ' ' || e->raw[k] == '\t'))
			k++;
		if (memchr(e->raw, '\0', e->raw_len) ||
		    answers_field_kind(e->raw + k, e->raw_len - k) != f)
			continue;
		struct buf b = { 0 };
		if (a->orphans)
			buf_adds(&b, a->orphans);
		if (e->comments)
			buf_adds(&b, e->comments);
		if (e->attrs_raw)
			buf_adds(&b, e->attrs_raw);
		free(a->orphans);
		a->orphans = b.len ? buf_take(&b) : NULL;
		buf_free(&b);
		free(e->raw);
		free(e->comments);
		free(e->attrs_raw);
		e->raw = e->comments = e->attrs_raw = NULL;
		e->raw_len = 0; /* no id, no raw: an entry that writes nothing */
	}
}

char *answers_format_attrs_without(const char *attrs, int owner, int due)
{
	if (!attrs)
		return NULL;
	struct buf b = { 0 };
	for (const char *s = attrs; *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s), i = 0;
		size_t wend = answers_field(s, n, &i);
		int drop = (owner && answers_word_is(s + i, wend - i, ANSWERS_OWNER)) ||
		           (due && answers_word_is(s + i, wend - i, ANSWERS_DUE));
		if (!drop) {
			buf_add(&b, s, n);
			buf_addc(&b, '\n');
		}
		s += nl ? n + 1 : n;
	}
	char *out = b.len ? buf_take(&b) : NULL;
	buf_free(&b);
	return out;
}

/* Set *slot to value trimmed, or remove it (and the kept lines of its kind, f). */
static void answers_set_field(struct answers *a, char **slot, int f, const char *value)
{
	free(*slot);
	*slot = answers_trimmed(value);
	if (!*slot)
		answers_drop_field_lines(a, f);
}

void answers_format_set_company(struct answers *a, const char *name)
{
	answers_set_field(a, &a->company, ANSWERS_F_COMPANY, name);
	a->header_dirty |= ANSWERS_DIRTY_COMPANY;
}

void answers_format_set_header(struct answers *a, const char *department, const char *respondent)
{
	answers_set_field(a, &a->department, ANSWERS_F_DEPARTMENT, department);
	answers_set_field(a, &a->respondent, ANSWERS_F_RESPONDENT, respondent);
	a->header_dirty |= ANSWERS_DIRTY_HEADER;
}

static void answers_free_sources(struct answers *a)
{
	for (size_t i = 0; i < a->nsources; i++) {
		free(a->sources[i].department);
		free(a->sources[i].path);
	}
	free(a->sources);
	a->sources = NULL;
	a->nsources = 0;
}

void answers_format_set_sources(struct answers *a, const struct answers_source *v, size_t n)
{
	/* Copy first: v may be a's own array. */
	struct answers_source *c = n ? xreallocarray(NULL, n, sizeof *c) : NULL;
	for (size_t i = 0; i < n; i++) {
		c[i].department = xstrdup(v[i].department ? v[i].department : "");
		c[i].path = xstrdup(v[i].path ? v[i].path : "");
	}
	answers_free_sources(a);
	a->sources = c;
	a->nsources = n;
	a->header_dirty |= ANSWERS_DIRTY_SOURCES;
}

void answers_format_set_started(struct answers *a, const char *iso_time)
{
	/* Only a time the reader takes back: anything else would come back as a line not read. */
	int ok = iso_time && answers_time_valid(iso_time, strlen(iso_time));
	answers_set_field(a, &a->started, ANSWERS_F_STARTED, ok ? iso_time : NULL);
	a->header_dirty |= ANSWERS_DIRTY_STARTED;
}

void answers_format_reset(struct answers *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct answer *e = &a->v[i];
		free(e->id);
		free(e->time);
		free(e->note);
		free(e->owner);
		free(e->due);
		free(e->attrs_raw);
		free(e->raw);
		free(e->comments);
	}
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
	for (size_t i = 0; i < a->ndiags; i++)
		free(a->diags[i].msg);
	free(a->diags);
	a->diags = NULL;
	a->ndiags = 0;
	free(a->trailing);
	a->trailing = NULL;
	free(a->company);
	free(a->department);
	free(a->respondent);
	free(a->started);
	free(a->orphans);
	a->company = a->department = a->respondent = a->started = a->orphans = NULL;
	answers_free_sources(a);
	a->version = ANSWERS_VERSION;
	free(a->by_item);
	a->by_item = NULL;
	free(a->id_slots);
	a->id_slots = NULL;
	a->id_cap = a->id_count = a->id_upto = 0;
}

/*
 * The length of the line at s (rest bytes left), without its end, and move
 * *pos past the end.  A line ends at LF, at CR LF (and CR CR LF, left by a
 * double conversion), or at a CR followed by anything else: an old Mac
 * file, or one saved by an editor set that way, has CR alone.  A CR is
 * never part of a line we wrote (notes escape it as \r).
 */
static size_t answers_line_end(const char *s, size_t rest, size_t *pos)
{
	size_t i = 0;
	while (i < rest && s[i] != '\n' && s[i] != '\r')
		i++;
	size_t n = i;
	if (i < rest && s[i] == '\r') {
		size_t j = i;
		while (j < rest && s[j] == '\r')
			j++;
		/* CR+ LF is one line end; a CR not followed by LF ends the line by itself. */
		i = j < rest && s[j] == '\n' ? j : i;
	}
	*pos += i < rest ? i + 1 : rest;
	return n;
}

void answers_format_parse(struct answers *a, const char *buf, size_t len)
{
	answers_format_reset(a);
	if (a->doc && a->doc->nitems) {
		a->by_item = xreallocarray(NULL, a->doc->nitems, sizeof *a->by_item);
		for (size_t i = 0; i < a->doc->nitems; i++)
			a->by_item[i] = -1;
	}
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	int header = 0, lineno = 0;
	struct buf comments = { 0 };
	size_t pos = 0;
	while (pos < len) {
		const char *s = buf + pos;
		size_t n = answers_line_end(s, len - pos, &pos);
		lineno++;
		/* Every entry so far is indexed: a duplicate is found by hash, not by a scan. */
		a->id_upto = a->n;
		size_t k = 0;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k == n)
			continue;
		int nul = memchr(s, '\0', n) != NULL;
		if (s[k] == '#' && !nul) {
			/* The help lines are ours: written on every save, so not kept twice. */
			if (!answers_word_is(s, n, ANSWERS_HELP) &&
			    !answers_word_is(s, n, ANSWERS_HELP2)) {
				buf_add(&comments, s, n);
				buf_addc(&comments, '\n');
			}
			continue;
		}
		size_t hl = strlen(ANSWERS_HEADER);
		if (!header && n >= hl && memcmp(s, ANSWERS_HEADER, hl) == 0 &&
		    (n == hl || s[hl] == ' ' || s[hl] == '\t')) {
			header = 1;
			answers_parse_header(a, s, n, lineno, &comments);
			continue;
		}
		if (!header) {
			header = 1;
			answers_add_diag(a, lineno, "no '%s %d' header line; read as format %d",
			                 ANSWERS_HEADER, ANSWERS_VERSION, ANSWERS_VERSION);
		}
		if (k > 0 && !nul) {
			/*
			 * An indented line is an attribute line from format 2 on; in a
			 * format 1 file only when it starts with an attribute word
			 * (there an indented line was read as an item line).
			 */
			size_t w = 0, wend = answers_field(s, n, &w);
			if (a->version >= 2 || answers_word_is(s + w, wend - w, ANSWERS_OWNER) ||
			    answers_word_is(s + w, wend - w, ANSWERS_DUE)) {
				answers_parse_attr(a, s, n, lineno, &comments);
				continue;
			}
		}
		int f = nul ? -1 : answers_field_kind(s + k, n - k);
		if (f >= 0) {
			answers_parse_field(a, f, s, n, k, lineno, &comments);
			continue;
		}
		answers_parse_line(a, s, n, lineno, &comments, k > 0 && !nul);
	}
	a->trailing = answers_take_comments(&comments);
	a->id_upto = a->n;
	a->header_dirty = 0;
}

int answers_parse_buffer(struct answers *a, const char *name, const char *buf, size_t len,
                         const struct doc *d)
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	a->doc = d;
	a->readonly = 1;
	a->path = xstrdup(name ? name : "(answers)");
	a->readonly_reason = xstrdup("parsed from memory");
	answers_format_parse(a, buf, len);
	a->readonly = 1;
	return 0;
}

/* 1 when an entry with an id has nothing to say: no state, note, owner or due. */
int answers_format_empty(const struct answer *e)
{
	return e->state == ANSWER_NONE && (!e->note || !*e->note) && (!e->owner || !*e->owner) &&
	       (!e->due || !*e->due);
}

/* Serialise one entry (its comments, then its line, then its attribute lines). */
static void answers_put(struct buf *b, const struct answer *e)
{
	if (e->raw) {
		if (e->comments)
			buf_adds(b, e->comments);
		buf_add(b, e->raw, e->raw_len);
		buf_addc(b, '\n');
		if (e->attrs_raw)
			buf_adds(b, e->attrs_raw);
		return;
	}
	if (e->comments)
		buf_adds(b, e->comments);
	/*
	 * An item with nothing to say: dropped when this run emptied it (its
	 * comments stay, above the next line), but a line read from the file
	 * is kept, so a second line for the same id stays the duplicate it was;
	 * so is one with attribute lines kept below it.
	 */
	if (!e->id || (answers_format_empty(e) && e->line == 0 && !e->attrs_raw))
		return;
	buf_printf(b, "%s %s %s", e->id, answers_state_name(e->state),
	           e->time && *e->time ? e->time : "-");
	if (e->note && *e->note) {
		buf_addc(b, ' ');
		answers_escape(b, e->note);
	}
	buf_addc(b, '\n');
	if (e->owner && *e->owner) {
		buf_adds(b, ANSWERS_INDENT ANSWERS_OWNER " ");
		answers_escape(b, e->owner);
		buf_addc(b, '\n');
	}
	if (e->due && *e->due)
		buf_printf(b, ANSWERS_INDENT ANSWERS_DUE " %s\n", e->due);
	if (e->attrs_raw)
		buf_adds(b, e->attrs_raw);
}

/* "WORD VALUE\n" with the value escaped like a note, when value is set. */
static void answers_put_field(struct buf *b, const char *word, const char *value)
{
	if (!value || !*value)
		return;
	buf_adds(b, word);
	buf_addc(b, ' ');
	answers_escape(b, value);
	buf_addc(b, '\n');
}

int answers_serialize(const struct answers *a, char **out, size_t *len)
{
	struct buf b = { 0 };
	buf_printf(&b, "%s %d\n%s\n%s\n", ANSWERS_HEADER, ANSWERS_VERSION, ANSWERS_HELP, ANSWERS_HELP2);
	answers_put_field(&b, ANSWERS_COMPANY, a->company);
	answers_put_field(&b, ANSWERS_DEPARTMENT, a->department);
	answers_put_field(&b, ANSWERS_RESPONDENT, a->respondent);
	/* A time has no blanks or escapes to write (answers_time_valid), and set_started is trusted. */
	if (a->started && *a->started)
		buf_printf(&b, "%s %s\n", ANSWERS_STARTED, a->started);
	for (size_t i = 0; i < a->nsources; i++) {
		const struct answers_source *src = &a->sources[i];
		if (!src->path || !*src->path)
			continue; /* not a source line the reader would take back */
		buf_adds(&b, ANSWERS_SOURCE " ");
		answers_escape(&b, src->department ? src->department : "");
		buf_addc(&b, '\t');
		answers_escape(&b, src->path);
		buf_addc(&b, '\n');
	}
	if (a->orphans)
		buf_adds(&b, a->orphans);
	if (a->by_item) {
		for (size_t i = 0; i < a->doc->nitems; i++)
			if (a->by_item[i] >= 0)
				answers_put(&b, &a->v[a->by_item[i]]);
		for (size_t i = 0; i < a->n; i++)
			if (a->v[i].item < 0)
				answers_put(&b, &a->v[i]);
	} else {
		for (size_t i = 0; i < a->n; i++)
			answers_put(&b, &a->v[i]);
	}
	if (a->trailing)
		buf_adds(&b, a->trailing);
	*len = b.len;
	*out = buf_take(&b);
	return 0;
}
