/*
 * merge: departments' answers combined (see merge.h for the rules):
 * reading inputs without touching them, the side-by-side table, and the
 * merged answers written into a model the caller saves.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/i18n.h"
#include "core/layout.h"
#include "core/merge.h"
#include "core/text.h"
#include "core/util.h"

/* An answers file larger than this is not one a person wrote: refused rather than read. */
#define MERGE_MAX_BYTES (64u << 20)

static void merge_set_err(char **err, char *msg)
{
	if (!err) {
		free(msg);
		return;
	}
	free(*err);
	*err = msg;
}

const char *merge_state_short(enum answer_state st)
{
	switch (st) {
	case ANSWER_DONE:
		return "済";
	case ANSWER_TODO:
		return "未";
	case ANSWER_NA:
		return "対象外";
	case ANSWER_YES:
		return "実施";
	case ANSWER_PARTLY:
		return "一部";
	case ANSWER_NO:
		return "未実施";
	case ANSWER_UNKNOWN:
		return "不明";
	case ANSWER_NONE:
	case ANSWER_STATE_COUNT:
		break;
	}
	return "-";
}

/*
 * 1 when a running mamori holds the one-writer lock of name in dirfd
 * (".NAME.lock", see answers.h).  The lock file is only opened to ask,
 * never made: a missing one means nobody holds it.
 */
static int merge_locked(int dirfd, const char *name)
{
	char *lock = xasprintf(".%s.lock", name);
	int fd = openat(dirfd, lock, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	int held = 0;

	free(lock);
	if (fd < 0)
		return 0;
	/* A shared lock, let go at once: it only asks whether a writer holds the exclusive one. */
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		held = errno == EWOULDBLOCK;
	close(fd);
	return held;
}

/*
 * 0 when the first line of buf that is neither blank nor a comment is the
 * header "mamori-answers N"; else the number of that line (1 for an empty file).
 */
static int merge_not_answers(const char *buf, size_t len)
{
	static const char header[] = "mamori-answers";
	size_t hl = sizeof header - 1, pos = 0;
	int line = 0;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		size_t end = pos;
		while (end < len && buf[end] != '\n' && buf[end] != '\r')
			end++;
		line++;
		size_t k = pos;
		while (k < end && (buf[k] == ' ' || buf[k] == '\t'))
			k++;
		if (k < end && buf[k] != '#') {
			if (end - k < hl + 2 || memcmp(buf + k, header, hl) != 0 ||
			    (buf[k + hl] != ' ' && buf[k + hl] != '\t'))
				return line;
			size_t i = k + hl;
			while (i < end && (buf[i] == ' ' || buf[i] == '\t'))
				i++;
			if (i == end || buf[i] < '0' || buf[i] > '9')
				return line;
			return 0;
		}
		pos = end < len && buf[end] == '\r' && end + 1 < len && buf[end + 1] == '\n' ? end + 2
		                                                                             : end + 1;
	}
	return line ? line : 1;
}

int merge_load(struct answers *a, int dirfd, const char *path, const struct doc *d, char **err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = !slash          ? xstrdup(".")
	            : slash == path ? xstrdup("/")
	                            : xstrndup(path, (size_t)(slash - path));
	char *buf = NULL;
	size_t len = 0;
	int r = 0, fd = -1, dfd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	free(dir);
	memset(a, 0, sizeof *a);
	a->fd = -1;
	if (dfd < 0) {
		r = -errno;
		merge_set_err(err, xasprintf(_("%s: cannot open its directory: %s"), path, strerror(-r)));
		goto out;
	}
	if (!*base) {
		r = -EISDIR;
		merge_set_err(err, xasprintf(_("%s: not a file"), path));
		goto out;
	}
	/* Asked first: a file being written is not read at all, so nothing half-saved is merged. */
	if (merge_locked(dfd, base)) {
		r = -EBUSY;
		merge_set_err(err,
		              xasprintf(_("%s: in use by a running mamori (its lock .%s.lock is held): "
		                          "quit that mamori first, then merge"),
		                        path, base));
		goto out;
	}
	fd = openat(dfd, base, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		merge_set_err(err, xasprintf(_("%s: cannot open: %s"), path, strerror(-r)));
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		merge_set_err(err, xasprintf(_("%s: not a regular file"), path));
		goto out;
	}
	if ((r = util_read_fd(fd, MERGE_MAX_BYTES, &buf, &len)) < 0) {
		merge_set_err(err,
		              xasprintf(_("%s: cannot read: %s"), path,
		                        r == -EFBIG ? _("too large for an answers file") : strerror(-r)));
		goto out;
	}
	int line = merge_not_answers(buf, len);
	if (line) {
		r = -EINVAL;
		merge_set_err(err, xasprintf(_("%s:%d: not an answers file (expected a first line "
		                               "'mamori-answers 2')"),
		                             path, line));
		goto out;
	}
	answers_parse_buffer(a, path, buf, len, d);
out:
	if (r < 0 && !a->path)
		a->path = xstrdup(path);
	free(buf);
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	return r;
}

char *merge_department(const struct answers *a)
{
	if (a->department && *a->department)
		return xstrdup(a->department);
	const char *path = a->path ? a->path : "";
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".txt") == 0)
		len -= 4;
	return xstrndup(base, len);
}

/* What the rules make of one item's states (see merge.h). */
static enum answer_state merge_rule(const enum answer_state *st, size_t n, int question)
{
	size_t done = 0, na = 0, answered = 0;
	enum answer_state low = ANSWER_NONE;

	for (size_t i = 0; i < n; i++) {
		if (st[i] == ANSWER_NONE)
			continue;
		answered++;
		if (question) {
			if (low == ANSWER_NONE || answers_state_points(st[i]) < answers_state_points(low))
				low = st[i];
		} else {
			done += st[i] == ANSWER_DONE;
			na += st[i] == ANSWER_NA;
		}
	}
	if (!answered)
		return ANSWER_NONE;
	if (question)
		return low;
	if (done == n)
		return ANSWER_DONE;
	if (na == n)
		return ANSWER_NA;
	return ANSWER_TODO;
}

/*
 * A parser's message about an input, one line in msg: without the note
 * that the line is kept in the file, which is true of the file but not of
 * a merge (it refuses the input).
 */
static void merge_diag(struct buf *msg, const char *text)
{
	size_t len = strlen(text);
	const char *kept = strstr(text, " (kept");
	const char *as_is = strstr(text, " (the line is kept");
	const char *cut = kept ? kept : as_is;
	if (cut && text[len - 1] == ')')
		len = (size_t)(cut - text);
	buf_add(msg, text, len);
	buf_addc(msg, '\n');
}

int merge_build(struct merge *m, const struct doc *d, struct answers *const *inputs, size_t n, char **err)
{
	struct buf msg = { 0 };

	memset(m, 0, sizeof *m);
	if (n == 0) {
		merge_set_err(err, xstrdup(_("nothing to merge: name at least one answers file")));
		return -EINVAL;
	}
	m->ninputs = n;
	m->departments = xcalloc(n, sizeof *m->departments);
	m->paths = xcalloc(n, sizeof *m->paths);
	for (size_t i = 0; i < n; i++) {
		const struct answers *a = inputs[i];
		m->departments[i] = merge_department(a);
		m->paths[i] = xstrdup(a->path ? a->path : "");
		/*
		 * Whatever the parser could not place would be merged silently wrong:
		 * refused (a file of a newer format is one of these: its header's line).
		 */
		for (size_t k = 0; k < a->ndiags; k++)
			if (a->diags[k].line > 0)
				merge_diag(&msg, a->diags[k].msg);
		if (!*m->departments[i])
			buf_printf(&msg, _("%s:1: no department: give it a 'department NAME' line\n"),
			           m->paths[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(m->departments[i], m->departments[j]) == 0) {
				buf_printf(&msg,
				           _("%s:1: department '%s' again (%s is '%s' too): give each file "
				             "its own 'department NAME' line\n"),
				           m->paths[i], m->departments[i], m->paths[j], m->departments[j]);
				break;
			}
	}
	if (msg.len) {
		msg.s[--msg.len] = '\0'; /* the last newline */
		merge_set_err(err, buf_take(&msg));
		merge_free(m);
		return -EINVAL;
	}
	buf_free(&msg);
	m->nrows = d->nitems;
	m->rows = xcalloc(d->nitems ? d->nitems : 1, sizeof *m->rows);
	for (size_t it = 0; it < d->nitems; it++) {
		struct merge_row *row = &m->rows[it];
		row->item = it;
		row->states = xcalloc(n, sizeof *row->states);
		for (size_t i = 0; i < n; i++) {
			row->states[i] = answers_get_item(inputs[i], it);
			if (i && row->states[i] != row->states[0])
				row->differ = 1;
		}
		row->merged = merge_rule(row->states, n, d->items[it].question);
		m->ndiffer += row->differ;
	}
	return 0;
}

void merge_free(struct merge *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ninputs; i++) {
		free(m->departments ? m->departments[i] : NULL);
		free(m->paths ? m->paths[i] : NULL);
	}
	free(m->departments);
	free(m->paths);
	for (size_t r = 0; r < m->nrows; r++)
		free(m->rows[r].states);
	free(m->rows);
	memset(m, 0, sizeof *m);
}

static int merge_two(const char *s, int lo, int hi)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	int v = (s[0] - '0') * 10 + (s[1] - '0');
	return v < lo || v > hi ? -1 : v;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long merge_days(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * Seconds since the epoch of an answer's time (answers_time_valid's
 * forms), so times written with different offsets compare right; 0 for
 * "-" or anything else.
 */
static long long merge_seconds(const char *t)
{
	if (!t || !answers_time_valid(t, strlen(t)))
		return 0;
	long long y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
	int mo = merge_two(t + 5, 1, 12), d = merge_two(t + 8, 1, 31);
	int hh = merge_two(t + 11, 0, 23), mi = merge_two(t + 14, 0, 59), ss = merge_two(t + 17, 0, 60);
	long long s = merge_days(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
	const char *z = t + 19;
	if (*z == '.')
		for (z++; *z >= '0' && *z <= '9'; z++)
			;
	if (*z == '+' || *z == '-') {
		int oh = merge_two(z + 1, 0, 99), om = merge_two(z + (z[3] == ':' ? 4 : 3), 0, 59);
		long long off = (oh > 0 ? oh : 0) * 3600 + (om > 0 ? om : 0) * 60;
		s += *z == '+' ? -off : off;
	}
	return s;
}

/* The entry of item in out, made when it has none. */
static struct answer *merge_entry(struct answers *out, const struct doc *d, size_t item)
{
	long k = out->by_item ? out->by_item[item] : answers_format_index(out, d->items[item].id);
	if (k >= 0)
		return &out->v[k];
	k = answers_format_push(out);
	struct answer *e = &out->v[k];
	e->id = xstrdup(d->items[item].id);
	e->item = (int)item;
	e->time = xstrdup("-");
	e->note = xstrdup("");
	e->owner = xstrdup("");
	e->due = xstrdup("");
	if (out->by_item)
		out->by_item[item] = (int)k;
	return e;
}

static void merge_replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

/* One item's note, owner, due and time from the inputs that have it (see merge.h). */
static void merge_item(const struct merge *m, struct answers *const *inputs, size_t item, struct answer *e)
{
	struct buf note = { 0 }, owner = { 0 };
	const char *first_owner = NULL, *due = NULL, *time = NULL;
	int owners_differ = 0;
	long long latest = 0;

	for (size_t i = 0; i < m->ninputs; i++) {
		const struct answer *x = answers_find_item(inputs[i], item);
		if (!x)
			continue;
		if (x->owner && *x->owner) {
			if (first_owner && strcmp(first_owner, x->owner) != 0)
				owners_differ = 1;
			if (!first_owner)
				first_owner = x->owner;
		}
		if (x->due && *x->due && (!due || strcmp(x->due, due) < 0))
			due = x->due;
		long long s = merge_seconds(x->time);
		if (s && (!time || s > latest)) {
			latest = s;
			time = x->time;
		}
	}
	for (size_t i = 0; i < m->ninputs; i++) {
		const struct answer *x = answers_find_item(inputs[i], item);
		if (!x)
			continue;
		const char *dep = m->departments[i];
		if (x->note && *x->note)
			buf_printf(&note, "%s[%s] %s", note.len ? " " : "", dep, x->note);
		if (x->due && *x->due && strcmp(x->due, due) != 0)
			buf_printf(&note, "%s[%s] 期限 %s", note.len ? " " : "", dep, x->due);
		if (owners_differ && x->owner && *x->owner)
			buf_printf(&owner, "%s[%s] %s", owner.len ? " " : "", dep, x->owner);
	}
	merge_replace(&e->note, buf_take(&note));
	merge_replace(&e->owner,
	              owners_differ ? buf_take(&owner) : xstrdup(first_owner ? first_owner : ""));
	buf_free(&owner);
	merge_replace(&e->due, xstrdup(due ? due : ""));
	merge_replace(&e->time, xstrdup(time ? time : "-"));
}

int merge_apply(const struct merge *m, const struct doc *d, struct answers *const *inputs,
                struct answers *out)
{
	for (size_t r = 0; r < m->nrows; r++) {
		const struct merge_row *row = &m->rows[r];
		int any = 0;
		for (size_t i = 0; i < m->ninputs && !any; i++)
			any = answers_find_item(inputs[i], row->item) != NULL;
		if (!any)
			continue;
		struct answer *e = merge_entry(out, d, row->item);
		e->state = row->merged;
		merge_item(m, inputs, row->item, e);
	}

	struct answers_source *src = xcalloc(m->ninputs, sizeof *src);
	const char *started = NULL, *company = NULL;
	long long first = 0;
	for (size_t i = 0; i < m->ninputs; i++) {
		src[i].department = m->departments[i];
		src[i].path = m->paths[i];
		long long s = merge_seconds(inputs[i]->started);
		if (s && (!started || s < first)) {
			first = s;
			started = inputs[i]->started;
		}
		if (!company && inputs[i]->company && *inputs[i]->company)
			company = inputs[i]->company;
	}
	answers_format_set_sources(out, src, m->ninputs);
	free(src);
	answers_format_set_started(out, started);
	answers_set_header(out, NULL, NULL);
	if (company)
		answers_format_set_company(out, company);
	return 0;
}

int merge_from_session(struct merge *m, const struct doc *d, const struct answers *merged, int dirfd,
                       char **err)
{
	size_t n = merged->nsources;
	int r = 0;

	memset(m, 0, sizeof *m);
	if (!n) {
		merge_set_err(err, xasprintf(_("%s: not a merged session (it has no source lines)"),
		                             merged->path ? merged->path : "(answers)"));
		return -ENOENT;
	}
	struct answers *v = xcalloc(n, sizeof *v);
	struct answers **p = xcalloc(n, sizeof *p);
	size_t loaded = 0;
	for (; loaded < n; loaded++) {
		p[loaded] = &v[loaded];
		if ((r = merge_load(&v[loaded], dirfd, merged->sources[loaded].path, d, err)) < 0) {
			loaded++;
			break;
		}
	}
	if (r == 0)
		r = merge_build(m, d, p, n, err);
	/* The recorded department names the source, whatever the file says now. */
	for (size_t i = 0; r == 0 && i < n; i++) {
		free(m->departments[i]);
		m->departments[i] = xstrdup(merged->sources[i].department);
	}
	for (size_t i = 0; i < loaded; i++)
		answers_close(&v[i]);
	free(v);
	free(p);
	return r;
}

/* ------------------------------------------------------------------ the table */

/* Columns of a cell: wide enough for every short state name ("未実施", "対象外"). */
#define MERGE_CELL_MIN 6
/* A department's column at most: longer names are cut, with the mark. */
#define MERGE_CELL_MAX 12
/* The item id's column at most. */
#define MERGE_ID_MAX 12
/* The narrowest table: below it the text goes on a line of its own anyway. */
#define MERGE_MIN_WIDTH 40

/*
 * s (sanitised) in exactly cols columns: cut with MERGE_CUT_MARK in its
 * last column when it does not fit, padded with spaces when pad.
 */
static void merge_cell(struct buf *b, const char *s, size_t cols, int pad)
{
	size_t len = strlen(s), w = text_width(s, len);

	if (w > cols) {
		size_t fit = text_fit(s, len, cols ? cols - 1 : 0);
		buf_add(b, s, fit);
		w = text_width(s, fit);
		buf_addc(b, MERGE_CUT_MARK);
		w++;
	} else {
		buf_add(b, s, len);
	}
	for (; pad && w < cols; w++)
		buf_addc(b, ' ');
}

static void merge_spaces(struct buf *b, size_t n)
{
	while (n--)
		buf_addc(b, ' ');
}

/* Drop trailing blanks of the line just written, then end it. */
static void merge_eol(struct buf *b)
{
	while (b->len && b->s[b->len - 1] == ' ')
		b->len--;
	if (b->s)
		b->s[b->len] = '\0';
	buf_addc(b, '\n');
}

/* The title a group is known by: principles and actions by their page ("原則1 ..."). */
static const char *merge_group_title(const struct doc *d, int g)
{
	const struct group *gr = &d->groups[g];
	if ((gr->kind == GROUP_PRINCIPLE || gr->kind == GROUP_ACTION) && gr->page >= 0 &&
	    (size_t)gr->page < d->npages)
		return d->pages[gr->page].title;
	return gr->title;
}

/* text wrapped to width columns with the reader's kinsoku rules, each line ended. */
static void merge_para(struct buf *b, const char *text, size_t width)
{
	struct wrap_line *wl = NULL;
	size_t n = layout_wrap(text, strlen(text), width, &wl);
	for (size_t i = 0; i < n; i++) {
		buf_add(b, text + wl[i].start, wl[i].len);
		buf_addc(b, '\n');
	}
	free(wl);
}

void merge_show(struct buf *b, const struct merge *m, const struct doc *d, int width)
{
	size_t W = width < MERGE_MIN_WIDTH ? MERGE_MIN_WIDTH : (size_t)width;
	size_t n = m->ninputs, idw = 2;
	char **deps = xcalloc(n ? n : 1, sizeof *deps);
	size_t *cw = xcalloc(n ? n : 1, sizeof *cw);

	for (size_t i = 0; i < n; i++) {
		deps[i] = text_sanitize(m->departments[i], strlen(m->departments[i]));
		size_t w = text_width(deps[i], strlen(deps[i]));
		cw[i] = w < MERGE_CELL_MIN ? MERGE_CELL_MIN : w > MERGE_CELL_MAX ? MERGE_CELL_MAX : w;
	}
	for (size_t r = 0; r < m->nrows; r++) {
		size_t w = strlen(d->items[m->rows[r].item].id);
		if (w > idw)
			idw = w > MERGE_ID_MAX ? MERGE_ID_MAX : w;
	}

	char *head =
		xasprintf("部門別の回答：%zu 部門、%zu 項目のうち %zu 項目で回答が違います（%c の行）", n,
	                  m->nrows, m->ndiffer, MERGE_DIFFER_MARK);
	merge_para(b, head, W);
	free(head);
	head = xasprintf("記号：実施 一部 未実施 不明（自社診断）／済 未 対象外（チェック項目）／- 未回答"
	                 "／末尾の %c は省略",
	                 MERGE_CUT_MARK);
	merge_para(b, head, W);
	free(head);
	/* "M ID " before the departments; "  結果  " and the text after them. */
	size_t lead = 2 + idw + 1, tail = 2 + MERGE_CELL_MIN;
	/* Panels: as many departments as fit beside the lead and the result, at least one. */
	for (size_t from = 0; from < n;) {
		size_t to = from, used = lead + tail;
		do {
			used += cw[to] + 1;
			to++;
		} while (to < n && used + cw[to] + 1 <= W);
		if (from > 0 || to < n)
			buf_printf(b, "\n部門 %zu-%zu / %zu\n", from + 1, to, n);
		/* The header row. */
		buf_addc(b, '\n');
		merge_spaces(b, 2);
		merge_cell(b, "項目", idw, 1);
		for (size_t i = from; i < to; i++) {
			buf_addc(b, ' ');
			merge_cell(b, deps[i], cw[i], 1);
		}
		buf_adds(b, "  ");
		merge_cell(b, "結果", MERGE_CELL_MIN, 1);
		/* The text's column, when the rows have room for it beside the departments. */
		if (used < W && W - used >= 10)
			buf_adds(b, "  内容");
		merge_eol(b);
		int group = -1;
		for (size_t r = 0; r < m->nrows; r++) {
			const struct merge_row *row = &m->rows[r];
			const struct item *it = &d->items[row->item];
			if (it->group != group) {
				group = it->group;
				if (group >= 0 && (size_t)group < d->ngroups) {
					const char *t = merge_group_title(d, group);
					char *safe = text_sanitize(t, strlen(t));
					char *line = xasprintf("【%s】", safe);
					merge_cell(b, line, W, 0);
					merge_eol(b);
					free(line);
					free(safe);
				}
			}
			buf_addc(b, row->differ ? MERGE_DIFFER_MARK : ' ');
			buf_addc(b, ' ');
			merge_cell(b, it->id, idw, 1);
			for (size_t i = from; i < to; i++) {
				buf_addc(b, ' ');
				merge_cell(b, merge_state_short(row->states[i]), cw[i], 1);
			}
			buf_adds(b, "  ");
			merge_cell(b, merge_state_short(row->merged), MERGE_CELL_MIN, 1);
			char *text = text_sanitize(it->text, strlen(it->text));
			size_t room = used < W ? W - used : 0;
			if (room >= 10) {
				buf_adds(b, "  ");
				merge_cell(b, text, room - 2, 0);
			} else {
				/* No room beside the columns: the text on a line of its own. */
				merge_eol(b);
				merge_spaces(b, 4);
				merge_cell(b, text, W - 4, 0);
			}
			merge_eol(b);
			free(text);
		}
		from = to;
	}
	for (size_t i = 0; i < n; i++)
		free(deps[i]);
	free(deps);
	free(cw);
}
