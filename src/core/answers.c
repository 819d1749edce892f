/*
 * answers: the answers file of one session.  Parsing (lenient: every line
 * it cannot read is reported and kept verbatim), serialising in content
 * order, atomic saving, and the one-writer lock.  The lock is a flock on
 * the answers file itself; since a save renames a new file over the old
 * one, the new file is locked before the rename, and an opener checks that
 * the file it locked is still the one at the path.  No output here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/safefile.h"

#define ANSWERS_HEADER "mamori-answers"
#define ANSWERS_VERSION 1
#define ANSWERS_HELP "# id state time note    states: done todo na | yes partly no unknown | open"
#define ANSWERS_MAX_BYTES (64u << 20)

static const char *const answers_names[ANSWER_STATE_COUNT] = {
	[ANSWER_NONE] = "open",   [ANSWER_DONE] = "done",     [ANSWER_TODO] = "todo",
	[ANSWER_NA] = "na",       [ANSWER_YES] = "yes",       [ANSWER_PARTLY] = "partly",
	[ANSWER_NO] = "no",       [ANSWER_UNKNOWN] = "unknown",
};

/* A growable byte buffer; on ENOMEM it remembers the failure and stops. */
struct answers_buf {
	char *p;
	size_t len, cap;
	int failed;
};

static void answers_buf_add(struct answers_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void answers_buf_str(struct answers_buf *b, const char *s)
{
	answers_buf_add(b, s, strlen(s));
}

static char *answers_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* printf into a fresh string, or NULL. */
__attribute__((format(printf, 1, 2))) static char *answers_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = malloc((size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Replace a->error; keeps a generic text when memory runs out. */
__attribute__((format(printf, 2, 3))) static void answers_set_error(struct answers *a,
                                                                    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	free(a->error);
	a->error = NULL;
	if (n < 0)
		return;
	a->error = malloc((size_t)n + 1);
	if (!a->error)
		return;
	va_start(ap, fmt);
	vsnprintf(a->error, (size_t)n + 1, fmt, ap);
	va_end(ap);
}

const char *answers_error(const struct answers *a)
{
	return a && a->error ? a->error : "";
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
	case ANSWER_YES: return 4;
	case ANSWER_PARTLY: return 2;
	case ANSWER_UNKNOWN: return -1;
	default: return 0;
	}
}

/* 1 when st may be given to an item that is (question) or is not a diagnosis question. */
static int answers_state_fits(enum answer_state st, int question)
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
	if (len < 20 || !answers_digits(s, 4) || s[4] != '-' || !answers_digits(s + 5, 2) ||
	    s[7] != '-' || !answers_digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') ||
	    !answers_digits(s + 11, 2) || s[13] != ':' || !answers_digits(s + 14, 2) ||
	    s[16] != ':' || !answers_digits(s + 17, 2))
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

static int answers_id_valid(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
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
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
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

static void answers_escape(struct answers_buf *b, const char *s)
{
	const unsigned char *first = (const unsigned char *)s;
	const unsigned char *last = first + strlen(s) - (*s ? 1 : 0);
	for (const unsigned char *p = first; *p; p++) {
		char tmp[5];
		/*
		 * A space at either end is escaped: the reader trims blanks there,
		 * so a note that really begins or ends with one (written \x20)
		 * must come back the same after a save.
		 */
		if (*p == ' ' && (p == first || p == last))
			answers_buf_add(b, "\\x20", 4);
		else if (*p == '\\')
			answers_buf_add(b, "\\\\", 2);
		else if (*p == '\t')
			answers_buf_add(b, "\\t", 2);
		else if (*p == '\n')
			answers_buf_add(b, "\\n", 2);
		else if (*p == '\r')
			answers_buf_add(b, "\\r", 2);
		else if (*p < 0x20 || *p == 0x7f) {
			snprintf(tmp, sizeof tmp, "\\x%02x", *p);
			answers_buf_add(b, tmp, 4);
		} else
			answers_buf_add(b, (const char *)p, 1);
	}
}

static int answers_add_diag(struct answers *a, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int answers_add_diag(struct answers *a, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[512];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct answers_diag *v = realloc(a->diags, (a->ndiags + 1) * sizeof *v);
	if (!v)
		return -ENOMEM;
	a->diags = v;
	char *full = line > 0 ? answers_fmt("%s:%d: %s", a->path, line, msg)
	                      : answers_fmt("%s: %s", a->path, msg);
	if (!full)
		return -ENOMEM;
	v[a->ndiags].line = line;
	v[a->ndiags].msg = full;
	a->ndiags++;
	return 0;
}

/* Append a zeroed entry; returns its index or -ENOMEM. */
static long answers_push(struct answers *a)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		struct answer *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	memset(&a->v[a->n], 0, sizeof a->v[a->n]);
	a->v[a->n].item = -1;
	return (long)a->n++;
}

static void answers_entry_free(struct answer *e)
{
	free(e->id);
	free(e->time);
	free(e->note);
	free(e->raw);
	free(e->comments);
}

/* Index in a->v of the entry for id, or -1. */
static long answers_index(const struct answers *a, const char *id)
{
	if (a->doc && a->by_item) {
		int it = doc_find_item(a->doc, id);
		if (it >= 0)
			return a->by_item[it];
	}
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].id && strcmp(a->v[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* Keep a line the parser could not use, verbatim. */
static int answers_keep_raw(struct answers *a, const char *line, size_t len, int lineno,
                            char **comments)
{
	long k = answers_push(a);
	if (k < 0)
		return (int)k;
	struct answer *e = &a->v[k];
	e->raw = answers_strndup(line, len);
	e->raw_len = len;
	e->line = lineno;
	e->comments = *comments;
	*comments = NULL;
	return e->raw ? 0 : -ENOMEM;
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

/*
 * Parse one answer line.  Returns 1 when it was used, 0 when it was kept
 * as a malformed line (and reported), or -ENOMEM.
 */
static int answers_parse_line(struct answers *a, const char *s, size_t len, int lineno,
                              char **comments)
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
	else if (!answers_id_valid(s + idbeg, idend - idbeg))
		why = "expected an item id (letters, digits, '-', '_', '.') first";
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
		id = answers_strndup(s + idbeg, idend - idbeg);
		if (!id)
			return -ENOMEM;
		long dup = answers_index(a, id);
		if (dup >= 0) {
			snprintf(whybuf, sizeof whybuf,
			         "'%.60s' already has a line (line %d); this one is kept but not used",
			         id, a->v[dup].line);
			why = whybuf;
		} else if (a->doc) {
			item = doc_find_item(a->doc, id);
			if (item >= 0 && !answers_state_fits((enum answer_state)st,
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
		if (answers_add_diag(a, lineno, "%s (the line is kept as it is)", why) < 0)
			return -ENOMEM;
		int r = answers_keep_raw(a, s, len, lineno, comments);
		return r < 0 ? r : 0;
	}
	long k = answers_push(a);
	if (k < 0) {
		free(id);
		return -ENOMEM;
	}
	struct answer *e = &a->v[k];
	e->id = id;
	e->state = (enum answer_state)st;
	e->time = tmend > tmbeg ? answers_strndup(s + tmbeg, tmend - tmbeg) : strdup("-");
	e->note = answers_unescape(s + notebeg, noteend - notebeg);
	e->line = lineno;
	e->item = item;
	e->comments = *comments;
	*comments = NULL;
	if (!e->time || !e->note)
		return -ENOMEM;
	if (item >= 0)
		a->by_item[item] = (int)k;
	else if (a->doc &&
	         answers_add_diag(a, lineno, "unknown item id '%.60s' (kept in the file)", id) < 0)
		return -ENOMEM;
	return 1;
}

/* Parse the header line; returns 0, or -ENOMEM. */
static int answers_parse_header(struct answers *a, const char *s, size_t len, int lineno,
                                char **comments)
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
		return 0;
	if (ok && ver > ANSWERS_VERSION) {
		free(a->readonly_reason);
		a->readonly_reason = answers_fmt("written by a newer mamori (format %ld)", ver);
		a->readonly = 1;
		if (!a->readonly_reason)
			return -ENOMEM;
		return answers_add_diag(a, lineno,
		                        "format %ld is newer than this mamori reads (%d); "
		                        "opened read-only",
		                        ver, ANSWERS_VERSION);
	}
	if (answers_add_diag(a, lineno, "bad header: expected '%s %d' (the line is kept as it is)",
	                     ANSWERS_HEADER, ANSWERS_VERSION) < 0)
		return -ENOMEM;
	return answers_keep_raw(a, s, len, lineno, comments);
}

static void answers_reset(struct answers *a)
{
	for (size_t i = 0; i < a->n; i++)
		answers_entry_free(&a->v[i]);
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
	free(a->by_item);
	a->by_item = NULL;
}

/* Parse buf into a (whose path and doc are set); the old contents are dropped. */
static int answers_parse(struct answers *a, const char *buf, size_t len)
{
	answers_reset(a);
	if (a->doc && a->doc->nitems) {
		a->by_item = malloc(a->doc->nitems * sizeof *a->by_item);
		if (!a->by_item)
			return -ENOMEM;
		for (size_t i = 0; i < a->doc->nitems; i++)
			a->by_item[i] = -1;
	}
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	int header = 0, lineno = 0, r = 0;
	struct answers_buf comments = {0};
	size_t pos = 0;
	while (pos < len && r >= 0) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		const char *s = buf + pos;
		size_t n = end - pos;
		pos = nl ? end + 1 : len;
		lineno++;
		while (n > 0 && s[n - 1] == '\r') /* CRLF, and CRCRLF from a double conversion */
			n--;
		size_t k = 0;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k == n)
			continue;
		if (s[k] == '#' && !memchr(s, '\0', n)) {
			/* The help line is ours: written on every save, so not kept twice. */
			if (!(n == strlen(ANSWERS_HELP) && memcmp(s, ANSWERS_HELP, n) == 0)) {
				answers_buf_add(&comments, s, n);
				answers_buf_add(&comments, "\n", 1);
			}
			continue;
		}
		if (comments.failed) {
			r = -ENOMEM;
			break;
		}
		size_t hl = strlen(ANSWERS_HEADER);
		if (!header && n >= hl && memcmp(s, ANSWERS_HEADER, hl) == 0 &&
		    (n == hl || s[hl] == ' ' || s[hl] == '\t')) {
			header = 1;
			r = answers_parse_header(a, s, n, lineno, &comments.p);
			if (!comments.p)
				comments.len = comments.cap = 0;
			continue;
		}
		if (!header) {
			header = 1;
			r = answers_add_diag(a, lineno, "no '%s %d' header line; read as format %d",
			                     ANSWERS_HEADER, ANSWERS_VERSION, ANSWERS_VERSION);
			if (r < 0)
				break;
		}
		r = answers_parse_line(a, s, n, lineno, &comments.p);
		if (!comments.p)
			comments.len = comments.cap = 0;
	}
	if (comments.failed && r >= 0)
		r = -ENOMEM;
	if (r >= 0) {
		a->trailing = comments.p;
		comments.p = NULL;
	}
	free(comments.p);
	return r < 0 ? r : 0;
}

int answers_parse_buffer(struct answers *a, const char *name, const char *buf, size_t len,
                         const struct doc *d)
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	a->doc = d;
	a->readonly = 1;
	a->path = strdup(name ? name : "(answers)");
	a->readonly_reason = strdup("parsed from memory");
	if (!a->path || !a->readonly_reason)
		return -ENOMEM;
	int r = answers_parse(a, buf, len);
	a->readonly = 1;
	return r;
}

/* Serialise one entry (its comments, then its line). */
static void answers_put(struct answers_buf *b, const struct answer *e)
{
	if (e->comments)
		answers_buf_str(b, e->comments);
	if (e->raw) {
		answers_buf_add(b, e->raw, e->raw_len);
		answers_buf_add(b, "\n", 1);
		return;
	}
	/*
	 * An unanswered item with no note has nothing to say: dropped when this
	 * run emptied it, but an "open" line read from the file is kept, so a
	 * second line for the same id stays the duplicate it was.
	 */
	if (!e->id || (e->state == ANSWER_NONE && (!e->note || !*e->note) && e->line == 0))
		return;
	answers_buf_str(b, e->id);
	answers_buf_add(b, " ", 1);
	answers_buf_str(b, answers_state_name(e->state));
	answers_buf_add(b, " ", 1);
	answers_buf_str(b, e->time && *e->time ? e->time : "-");
	if (e->note && *e->note) {
		answers_buf_add(b, " ", 1);
		answers_escape(b, e->note);
	}
	answers_buf_add(b, "\n", 1);
}

int answers_serialize(const struct answers *a, char **out, size_t *len)
{
	struct answers_buf b = {0};
	char head[160];
	snprintf(head, sizeof head, "%s %d\n%s\n", ANSWERS_HEADER, ANSWERS_VERSION, ANSWERS_HELP);
	answers_buf_str(&b, head);
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
		answers_buf_str(&b, a->trailing);
	if (b.failed) {
		free(b.p);
		return -ENOMEM;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}

/* Split path into its directory (malloc'd) and its last component (pointer into path). */
static char *answers_dirname(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		*base = path;
		return strdup(".");
	}
	*base = slash + 1;
	if (slash == path)
		return strdup("/");
	return answers_strndup(path, (size_t)(slash - path));
}

/*
 * The save proper.  *committed tells the caller whether the rename
 * happened (then the new contents are on disk even if an error follows).
 */
static int answers_save_inner(struct answers *a, int *committed)
{
	*committed = 0;
	if (a->readonly) {
		answers_set_error(a, "%s is open read-only (%s): not saved", a->path,
		                  a->readonly_reason ? a->readonly_reason : "read-only");
		return -EROFS;
	}
	char *text = NULL;
	size_t len = 0;
	int r = answers_serialize(a, &text, &len);
	if (r < 0) {
		answers_set_error(a, "cannot save %s: out of memory (the file is unchanged)", a->path);
		return r;
	}
	const char *base;
	char *dir = answers_dirname(a->path, &base);
	char *tmp = NULL;
	const char *step = "create a temp file";
	int fd = -1;
	if (!dir) {
		r = -ENOMEM;
		goto fail;
	}
	fd = safefile_temp(dir, base, text, len, &tmp, &step);
	if (fd < 0) {
		r = fd;
		goto fail;
	}
	/* Lock the new file before it takes the name, so the lock never lapses. */
	step = "lock";
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = -errno;
		goto fail;
	}
	step = "rename";
	if (rename(tmp, a->path) < 0) {
		r = -errno;
		goto fail;
	}
	*committed = 1;
	if (a->fd >= 0)
		close(a->fd);
	a->fd = fd;
	fd = -1;
	r = safefile_sync_dir(dir);
	if (r < 0)
		answers_set_error(a, "saved %s, but could not fsync its directory: %s", a->path,
		                  strerror(-r));
	free(tmp);
	free(dir);
	free(text);
	return r;
fail:
	answers_set_error(a, "cannot save %s: %s: %s (the file is unchanged)", a->path, step,
	                  strerror(-r));
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(dir);
	free(text);
	return r;
}

int answers_save(struct answers *a)
{
	int committed;
	return answers_save_inner(a, &committed);
}

/* Remove our stale temp files (".BASE.tmp.XXXXXX", regular, ours) next to path. */
static void answers_clean_temps(const char *path)
{
	const char *base;
	char *dir = answers_dirname(path, &base);
	if (!dir)
		return;
	char *prefix = answers_fmt(".%s.tmp.", base);
	DIR *dp = prefix ? opendir(dir) : NULL;
	if (dp) {
		size_t pl = strlen(prefix);
		struct dirent *de;
		while ((de = readdir(dp)) != NULL) {
			struct stat st;
			if (strncmp(de->d_name, prefix, pl) != 0 || strlen(de->d_name) != pl + 6)
				continue;
			if (fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISREG(st.st_mode) && st.st_uid == geteuid())
				unlinkat(dirfd(dp), de->d_name, 0);
		}
		closedir(dp);
	}
	free(prefix);
	free(dir);
}

/* 1 when we may create files in path's directory, 0 when not, -1 when unknown. */
static int answers_dir_writable(const char *path)
{
	const char *base;
	char *dir = answers_dirname(path, &base);
	if (!dir)
		return -1;
	int r = 1;
	if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) < 0)
		r = errno == EACCES || errno == EROFS ? 0 : -1;
	free(dir);
	return r;
}

/* Read the whole of fd into a malloc'd buffer. */
static int answers_read_fd(int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap >= ANSWERS_MAX_BYTES) {
				free(buf);
				return -EFBIG;
			}
			char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
			cap *= 2;
		}
		ssize_t r = pread(fd, buf + n, cap - n, (off_t)n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int answers_set_readonly(struct answers *a, const char *why)
{
	a->readonly = 1;
	if (!a->readonly_reason)
		a->readonly_reason = strdup(why);
	return a->readonly_reason ? 0 : -ENOMEM;
}

int answers_open(struct answers *a, const char *path, const struct doc *d, unsigned flags)
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	a->doc = d;
	a->path = strdup(path);
	if (!a->path)
		return -ENOMEM;
	int ro = (flags & ANSWERS_READONLY) != 0, created = 0, locked = 0, fd = -1, r;
	const int common = O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

	for (int tries = 0;; tries++) {
		if (tries == 20) {
			answers_set_error(a, "%s keeps changing under us; try again", path);
			return -EAGAIN;
		}
		fd = open(path, (ro ? O_RDONLY : O_RDWR) | common);
		if (fd < 0 && !ro && (errno == EACCES || errno == EROFS || errno == EPERM)) {
			fd = open(path, O_RDONLY | common);
			if (fd >= 0 && (r = answers_set_readonly(a, "the file is not writable")) < 0) {
				close(fd);
				return r;
			}
		}
		if (fd < 0 && errno == ENOENT && !ro && (flags & ANSWERS_CREATE)) {
			fd = open(path, O_RDWR | O_CREAT | O_EXCL | common, 0600);
			if (fd < 0 && errno == EEXIST)
				continue;
			created = fd >= 0;
		}
		if (fd < 0) {
			int e = errno;
			if (e == ELOOP)
				answers_set_error(a, "%s is a symbolic link: not followed (give the real file)",
				                  path);
			else if (e == EISDIR)
				answers_set_error(a, "%s is a directory, not an answers file", path);
			else
				answers_set_error(a, "cannot open %s: %s", path, strerror(e));
			return -e;
		}
		struct stat st, st2;
		if (fstat(fd, &st) < 0) {
			int e = errno;
			close(fd);
			answers_set_error(a, "cannot open %s: %s", path, strerror(e));
			return -e;
		}
		if (!S_ISREG(st.st_mode)) {
			close(fd);
			answers_set_error(a, "%s is not a regular file", path);
			return -EINVAL;
		}
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		if (ro) {
			if ((r = answers_set_readonly(a, "opened read-only")) < 0) {
				close(fd);
				return r;
			}
			break;
		}
		if (a->readonly)
			break;
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			if (errno != EWOULDBLOCK && errno != EINTR) {
				int e = errno;
				close(fd);
				answers_set_error(a, "cannot lock %s: %s", path, strerror(e));
				return -e;
			}
			if ((r = answers_set_readonly(a, "in use by another mamori")) < 0) {
				close(fd);
				return r;
			}
			break;
		}
		/* The lock holder may have renamed a new file over the one we opened. */
		if (lstat(path, &st2) == 0 && st2.st_dev == st.st_dev && st2.st_ino == st.st_ino) {
			locked = 1;
			break;
		}
		close(fd);
		fd = -1;
		created = 0;
	}
	a->fd = fd;
	if (created && fchmod(fd, 0600) < 0) {
		r = -errno;
		answers_set_error(a, "cannot chmod %s: %s", path, strerror(errno));
		return r;
	}
	char *buf = NULL;
	size_t len = 0;
	if ((r = answers_read_fd(fd, &buf, &len)) < 0) {
		answers_set_error(a, "cannot read %s: %s", path,
		                  r == -EFBIG ? "too large for an answers file" : strerror(-r));
		return r;
	}
	r = answers_parse(a, buf, len);
	free(buf);
	if (r < 0) {
		answers_set_error(a, "cannot read %s: %s", path, strerror(-r));
		return r;
	}
	if (locked && a->readonly) {
		/* A newer format: we will not write it, so let another mamori have it. */
		flock(fd, LOCK_UN);
		locked = 0;
	}
	if (locked && answers_dir_writable(path) == 0) {
		/* Saving renames a new file into the directory: say so now, not at the first change. */
		if ((r = answers_set_readonly(a, "its directory is not writable")) < 0)
			return r;
		flock(fd, LOCK_UN);
		locked = 0;
	}
	if (locked) {
		answers_clean_temps(path);
		if (created && (r = answers_save(a)) < 0)
			return r;
	}
	return 0;
}

void answers_close(struct answers *a)
{
	if (!a)
		return;
	answers_reset(a);
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	free(a->path);
	free(a->readonly_reason);
	free(a->error);
	a->path = a->readonly_reason = a->error = NULL;
}

const struct answer *answers_find_item(const struct answers *a, size_t item)
{
	if (!a || !a->by_item || !a->doc || item >= a->doc->nitems || a->by_item[item] < 0)
		return NULL;
	const struct answer *e = &a->v[a->by_item[item]];
	return e->state == ANSWER_NONE && (!e->note || !*e->note) ? NULL : e;
}

const struct answer *answers_find(const struct answers *a, const char *id)
{
	if (!a || !id)
		return NULL;
	long k = answers_index(a, id);
	if (k < 0)
		return NULL;
	const struct answer *e = &a->v[k];
	return e->state == ANSWER_NONE && (!e->note || !*e->note) ? NULL : e;
}

enum answer_state answers_get(const struct answers *a, const char *id)
{
	const struct answer *e = answers_find(a, id);
	return e ? e->state : ANSWER_NONE;
}

enum answer_state answers_get_item(const struct answers *a, size_t item)
{
	const struct answer *e = answers_find_item(a, item);
	return e ? e->state : ANSWER_NONE;
}

/* A copy of note without leading and trailing blanks. */
static char *answers_trim(const char *note)
{
	size_t b = 0, e = strlen(note);
	while (b < e && (note[b] == ' ' || note[b] == '\t'))
		b++;
	while (e > b && (note[e - 1] == ' ' || note[e - 1] == '\t'))
		e--;
	return answers_strndup(note + b, e - b);
}

int answers_set(struct answers *a, const char *id, enum answer_state st, const char *note,
                time_t now)
{
	free(a->error);
	a->error = NULL;
	if (a->readonly) {
		answers_set_error(a, "%s is open read-only (%s): the change was not made", a->path,
		                  a->readonly_reason ? a->readonly_reason : "read-only");
		return -EROFS;
	}
	if ((unsigned)st >= ANSWER_STATE_COUNT || !id || !answers_id_valid(id, strlen(id))) {
		answers_set_error(a, "invalid item id or state");
		return -EINVAL;
	}
	int item = -1;
	if (a->doc) {
		item = doc_find_item(a->doc, id);
		if (item < 0) {
			answers_set_error(a, "no item '%s' in the content", id);
			return -ENOENT;
		}
		if (!answers_state_fits(st, a->doc->items[item].question)) {
			answers_set_error(a, "'%s' does not fit %s", answers_state_name(st),
			                  a->doc->items[item].question ? "a diagnosis question"
			                                               : "a checklist item");
			return -EINVAL;
		}
	}
	char tbuf[32];
	answers_format_time(now, tbuf);
	char *newtime = strdup(tbuf);
	long k = answers_index(a, id);
	char *newnote = note ? answers_trim(note)
	                     : strdup(k >= 0 && a->v[k].note ? a->v[k].note : "");
	if (!newtime || !newnote) {
		free(newtime);
		free(newnote);
		answers_set_error(a, "out of memory");
		return -ENOMEM;
	}
	int added = 0;
	if (k < 0) {
		char *nid = strdup(id);
		if (!nid || (k = answers_push(a)) < 0) {
			free(nid);
			free(newtime);
			free(newnote);
			answers_set_error(a, "out of memory");
			return -ENOMEM;
		}
		a->v[k].id = nid;
		a->v[k].item = item;
		a->v[k].state = ANSWER_NONE;
		if (item >= 0)
			a->by_item[item] = (int)k;
		added = 1;
	}
	struct answer *e = &a->v[k];
	struct answer old = *e;
	e->state = st;
	e->time = newtime;
	e->note = newnote;
	if (st == ANSWER_NONE && !*newnote)
		e->line = 0; /* emptied here: the line goes (see answers_put) */
	int committed;
	int r = answers_save_inner(a, &committed);
	e = &a->v[k]; /* not moved, but keep the pointer honest */
	if (r < 0 && !committed) {
		free(e->time);
		free(e->note);
		if (added) {
			free(e->id);
			free(e->comments);
			if (item >= 0)
				a->by_item[item] = -1;
			a->n--;
		} else {
			*e = old;
		}
		return r;
	}
	free(old.time);
	free(old.note);
	return r;
}
