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
#include "core/util.h"

#define ANSWERS_HEADER "mamori-answers"
/*
 * Still 1 with the company line: a mamori that does not know the line
 * keeps it verbatim as a line it cannot read and says so once, so nothing
 * is lost either way, and files without it stay byte for byte the same.
 */
#define ANSWERS_VERSION 1
/* The header word of the company line (reserved: never an item id). */
#define ANSWERS_COMPANY "company"
#define ANSWERS_HELP "# id state time note    states: done todo na | yes partly no unknown | open"
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
	return comments->len ? buf_take(comments) : NULL;
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

/* Parse one answer line: it becomes an entry, or is kept as a malformed line and reported. */
static void answers_parse_line(struct answers *a, const char *s, size_t len, int lineno,
                               struct buf *comments)
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
		answers_keep_raw(a, s, len, lineno, comments);
		return;
	}
	long k = answers_format_push(a);
	struct answer *e = &a->v[k];
	e->id = id;
	e->state = (enum answer_state)st;
	e->time = tmend > tmbeg ? xstrndup(s + tmbeg, tmend - tmbeg) : xstrdup("-");
	e->note = answers_unescape(s + notebeg, noteend - notebeg);
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

/* Parse the header line. */
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
	if (ok && ver == ANSWERS_VERSION)
		return;
	if (ok && ver > ANSWERS_VERSION) {
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

/* The company line, after its keyword: one per file; a second is kept as it was and reported. */
static void answers_parse_company(struct answers *a, const char *s, size_t len, int lineno,
                                  struct buf *comments)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t end = len;
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	if (a->company || end == i) {
		answers_add_diag(a, lineno, "%s (the line is kept as it is)",
		                 a->company ? "a second company line" : "a company line with no name");
		answers_keep_raw(a, s - strlen(ANSWERS_COMPANY), len + strlen(ANSWERS_COMPANY), lineno,
		                 comments);
		return;
	}
	a->company = answers_unescape(s + i, end - i);
	/* Comments above it stay above the next line: the company line is rewritten in its place. */
}

void answers_format_set_company(struct answers *a, const char *name)
{
	free(a->company);
	a->company = NULL;
	if (!name)
		return;
	size_t i = 0, end = strlen(name);
	while (name[i] == ' ' || name[i] == '\t')
		i++;
	while (end > i && (name[end - 1] == ' ' || name[end - 1] == '\t'))
		end--;
	if (end > i)
		a->company = xstrndup(name + i, end - i);
}

void answers_format_reset(struct answers *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct answer *e = &a->v[i];
		free(e->id);
		free(e->time);
		free(e->note);
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
	a->company = NULL;
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
		if (s[k] == '#' && !memchr(s, '\0', n)) {
			/* The help line is ours: written on every save, so not kept twice. */
			if (!(n == strlen(ANSWERS_HELP) && memcmp(s, ANSWERS_HELP, n) == 0)) {
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
		size_t cl = strlen(ANSWERS_COMPANY);
		if (n - k > cl && memcmp(s + k, ANSWERS_COMPANY, cl) == 0 &&
		    (s[k + cl] == ' ' || s[k + cl] == '\t') && !memchr(s, '\0', n)) {
			answers_parse_company(a, s + k + cl, n - k - cl, lineno, &comments);
			continue;
		}
		answers_parse_line(a, s, n, lineno, &comments);
	}
	a->trailing = answers_take_comments(&comments);
	a->id_upto = a->n;
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

/* Serialise one entry (its comments, then its line). */
static void answers_put(struct buf *b, const struct answer *e)
{
	if (e->comments)
		buf_adds(b, e->comments);
	if (e->raw) {
		buf_add(b, e->raw, e->raw_len);
		buf_addc(b, '\n');
		return;
	}
	/*
	 * An unanswered item with no note has nothing to say: dropped when this
	 * run emptied it, but an "open" line read from the file is kept, so a
	 * second line for the same id stays the duplicate it was.
	 */
	if (!e->id || (e->state == ANSWER_NONE && (!e->note || !*e->note) && e->line == 0))
		return;
	buf_printf(b, "%s %s %s", e->id, answers_state_name(e->state),
	           e->time && *e->time ? e->time : "-");
	if (e->note && *e->note) {
		buf_addc(b, ' ');
		answers_escape(b, e->note);
	}
	buf_addc(b, '\n');
}

int answers_serialize(const struct answers *a, char **out, size_t *len)
{
	struct buf b = { 0 };
	buf_printf(&b, "%s %d\n%s\n", ANSWERS_HEADER, ANSWERS_VERSION, ANSWERS_HELP);
	if (a->company) {
		buf_adds(&b, ANSWERS_COMPANY " ");
		answers_escape(&b, a->company);
		buf_addc(&b, '\n');
	}
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
