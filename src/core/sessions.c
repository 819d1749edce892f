/*
 * sessions: the sessions directory and its files, one per pass through the
 * guideline, named by local date (YYYY-MM-DD.txt, YYYY-MM-DD-N.txt).  Here:
 * where the directory is, opening it once and safely (component by
 * component, never through a symlink, ours, 0700), listing, and creating a
 * new session without ever overwriting one.  After the open every
 * operation is relative to the directory fd, so a parent or the directory
 * itself swapped for a symlink later cannot redirect anything.  What is
 * inside a file is the business of answers.  No output here.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/i18n.h"
#include "core/progress.h"
#include "core/safefile.h"
#include "core/sessions.h"
#include "core/util.h"

/* The highest session number of a day: a name is YYYY-MM-DD-N.txt with N of at most six digits. */
#define SESSIONS_MAX_SEQ 999999

/* Set *msg (when msg is not NULL) to a formatted message; returns r. */
UTIL_PRINTF(3, 4) static int sessions_fail(char **msg, int r, const char *fmt, ...)
{
	if (!msg)
		return r;
	va_list ap;
	va_start(ap, fmt);
	free(*msg);
	*msg = xvasprintf(fmt, ap);
	va_end(ap);
	return r;
}

static char *sessions_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	return xasprintf("%s%s%s", a, la == 0 || a[la - 1] != '/' ? "/" : "", b);
}

int sessions_default_dir(char **out, char **msg)
{
	const char *x = getenv("XDG_DATA_HOME");
	const char *tail = "mamori/sessions";
	char *base;
	/* The XDG spec says relative paths are invalid and must be ignored. */
	if (x && x[0] == '/') {
		base = xstrdup(x);
	} else {
		const char *home = getenv("HOME");
		if (!home || home[0] != '/')
			return sessions_fail(
				msg, -ENOENT,
				_("HOME is not set (or not absolute) and XDG_DATA_HOME is not "
			          "set: cannot find the sessions directory; use --answers FILE"));
		base = sessions_join(home, ".local/share");
	}
	*out = sessions_join(base, tail);
	free(base);
	return 0;
}

/* dir without trailing slashes (but "/" stays), malloc'd. */
static char *sessions_trim(const char *dir)
{
	char *p = xstrdup(dir);
	size_t len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		p[--len] = '\0';
	return p;
}

/* How many of dir's last components mamori makes and relies on: mamori/sessions in the default place. */
static int sessions_strict_count(const char *dir)
{
	char *def = NULL, *want = sessions_trim(dir);
	int n = 1;
	if (sessions_default_dir(&def, NULL) == 0 && strcmp(def, want) == 0)
		n = 2;
	free(def);
	free(want);
	return n;
}

/* mkdir -p of p by path, each directory made here 0700 whatever the umask. */
static int sessions_mkdirs(char *p, char **msg)
{
	size_t len = strlen(p);
	for (size_t i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0700) == 0) {
			if (chmod(p, 0700) < 0) {
				int e = errno;
				sessions_fail(msg, -e, _("cannot chmod %s: %s"), p, strerror(e));
				p[i] = c;
				return -e;
			}
		} else if (errno != EEXIST) {
			int e = errno;
			sessions_fail(msg, -e, _("cannot create %s: %s"), p, strerror(e));
			p[i] = c;
			return -e;
		}
		p[i] = c;
	}
	return 0;
}

/*
 * Open the component name (shown as shown) in the directory fd strictly:
 * never through a symlink, ours, not writable by others.  When create, a
 * missing one is made 0700 and a wider mode is narrowed (to 0700 for the
 * last, the sessions directory, which holds answers; by its group and
 * other write bits for a parent): nobody else can undo that, since it is
 * ours, and what was already planted inside is met by the same checks
 * further down.  Read-only (create 0) changes nothing and lets a mode
 * pass.  Returns the new fd or -errno with *msg set.
 */
static int sessions_open_strict(int fd, const char *name, const char *shown, int create, int last,
                                char **msg)
{
	int made = 0;
	int nfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (nfd < 0 && errno == ENOENT && create) {
		if (mkdirat(fd, name, 0700) < 0 && errno != EEXIST) {
			int e = errno;
			return sessions_fail(msg, -e, _("cannot create %s: %s"), shown, strerror(e));
		}
		made = 1;
		nfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (nfd < 0) {
		int e = errno;
		struct stat st;
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
			return sessions_fail(msg, -ELOOP,
			                     _("%s is a symbolic link: refusing to keep answers there "
			                       "(make it a real directory of yours)"),
			                     shown);
		if (e == ENOTDIR)
			return sessions_fail(msg, -ENOTDIR, _("%s is not a directory"), shown);
		return sessions_fail(msg, -e, _("cannot open %s: %s"), shown, strerror(e));
	}
	struct stat st;
	int r = 0;
	if (fstat(nfd, &st) < 0) {
		r = -errno;
		sessions_fail(msg, r, _("cannot stat %s: %s"), shown, strerror(-r));
	} else if (st.st_uid != geteuid()) {
		r = sessions_fail(msg, -EPERM,
		                  _("%s belongs to another user (uid %ld): refusing to keep answers there"),
		                  shown, (long)st.st_uid);
	} else if (create) {
		mode_t want = last || made ? 0700 : (st.st_mode & 07777 & ~(mode_t)022);
		if ((st.st_mode & 07777) != want && fchmod(nfd, want) < 0) {
			r = -errno;
			sessions_fail(msg, r, _("%s is %s and cannot be narrowed to %04o: %s"), shown,
			              st.st_mode & 022 ? "writable by others" : "readable by others",
			              (unsigned)want, strerror(-r));
		}
	}
	if (r < 0) {
		close(nfd);
		return r;
	}
	return nfd;
}

/*
 * Open dir once, for good: the leading part as a path (made with mkdir -p
 * when create), then each of the last `strict` components with
 * sessions_open_strict.  Returns the directory fd or -errno with *msg set
 * (-ENOENT without a message when !create and something is missing).
 */
static int sessions_open(const char *dir, int strict, int create, char **msg)
{
	if (!dir || !*dir)
		return sessions_fail(msg, -EINVAL, _("empty sessions directory name"));
	char *p = sessions_trim(dir);
	/* The strict tail: the last `strict` components, from p[tail]; the lead is what is before. */
	size_t len = strlen(p), cut = len, tail = len;
	for (int n = 0; n < strict; n++) {
		size_t i = cut;
		while (i > 0 && p[i - 1] != '/')
			i--;
		if (i == cut)
			break; /* nothing but slashes left */
		tail = i;
		cut = i;
		while (cut > 0 && p[cut - 1] == '/')
			cut--;
		if (cut == 0)
			break;
	}
	int r = 0, fd;
	char *lead = cut > 0 ? xstrndup(p, cut) : xstrdup(p[0] == '/' ? "/" : ".");
	if (create && strcmp(lead, ".") != 0 && (r = sessions_mkdirs(lead, msg)) < 0)
		goto out;
	fd = open(lead, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT && !create)
			goto out;
		sessions_fail(msg, r, _("cannot open %s: %s"), lead, strerror(-r));
		goto out;
	}
	while (p[tail]) {
		char *slash = strchr(p + tail, '/');
		size_t end = slash ? (size_t)(slash - p) : len;
		char c = p[end];
		p[end] = '\0';
		int last = c == '\0';
		/* p cut after this component names it in messages. */
		int nfd = end == tail ? fd : sessions_open_strict(fd, p + tail, p, create, last, msg);
		p[end] = c;
		if (nfd != fd)
			close(fd);
		if (nfd < 0) {
			r = nfd;
			if (r == -ENOENT && !create && msg) {
				free(*msg);
				*msg = NULL;
			}
			goto out;
		}
		fd = nfd;
		tail = c ? end + 1 : end;
	}
	r = fd;
out:
	free(lead);
	free(p);
	return r;
}

int sessions_open_dir(const char *dir, int create, char **msg)
{
	return sessions_open(dir, sessions_strict_count(dir), create, msg);
}

int sessions_prepare_dir(const char *dir, char **msg)
{
	int fd = sessions_open_dir(dir, 1, msg);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* Parse exactly n decimal digits of s; -1 when they are not. */
static int sessions_num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int sessions_parse_name(const char *name, int *year, int *month, int *day, int *seq)
{
	size_t len = strlen(name);
	if (len < 14 || strcmp(name + len - 4, ".txt") != 0 || name[4] != '-' || name[7] != '-')
		return 0;
	int y = sessions_num(name, 4), m = sessions_num(name + 5, 2), d = sessions_num(name + 8, 2);
	if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	int n = 1;
	size_t rest = len - 4 - 10; /* what stands between the date and ".txt" */
	if (rest > 0) {
		/* "-N": N from 2, no leading zero, at most 6 digits */
		if (rest < 2 || rest > 7 || name[10] != '-' || name[11] == '0')
			return 0;
		n = sessions_num(name + 11, rest - 1);
		if (n < 2)
			return 0;
	}
	*year = y;
	*month = m;
	*day = d;
	*seq = n;
	return 1;
}

static int sessions_cmp(const void *pa, const void *pb)
{
	const struct session *a = pa, *b = pb;
	long ka = (long)a->year * 10000 + a->month * 100 + a->day;
	long kb = (long)b->year * 10000 + b->month * 100 + b->day;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

void sessions_free(struct sessions *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].path);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int sessions_list_at(struct sessions *s, int dirfd, const char *dir, char **msg)
{
	s->v = NULL;
	s->n = 0;
	int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dp = dfd < 0 ? NULL : fdopendir(dfd);
	if (!dp) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		return sessions_fail(msg, -e, _("cannot read %s: %s"), dir, strerror(e));
	}
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(dp)) != NULL) {
		struct session ss;
		struct stat st;
		if (!sessions_parse_name(de->d_name, &ss.year, &ss.month, &ss.day, &ss.seq))
			continue;
		/* Only regular files of ours: nothing another user could have planted. */
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid())
			continue;
		s->v = xgrow(s->v, &cap, s->n + 1, sizeof *s->v);
		ss.name = xstrndup(de->d_name, strlen(de->d_name) - 4);
		ss.path = sessions_join(dir, de->d_name);
		s->v[s->n++] = ss;
	}
	closedir(dp);
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, sessions_cmp);
	return 0;
}

int sessions_list(struct sessions *s, const char *dir, char **msg)
{
	s->v = NULL;
	s->n = 0;
	int fd = sessions_open_dir(dir, 0, msg);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	int r = sessions_list_at(s, fd, dir, msg);
	close(fd);
	return r;
}

int sessions_latest(const char *dir, char **path, char **msg)
{
	struct sessions s;
	int r = sessions_list(&s, dir, msg);
	if (r < 0)
		return r;
	if (s.n == 0) {
		sessions_free(&s);
		return sessions_fail(msg, -ENOENT, _("no sessions in %s"), dir);
	}
	*path = s.v[s.n - 1].path;
	s.v[s.n - 1].path = NULL;
	sessions_free(&s);
	return 0;
}

/*
 * The index in s (listed from dirfd) of the session just before the file at
 * path, or -1.  The file is matched by inode, so any spelling of its path works.
 */
static long sessions_index_before(const struct sessions *s, int dirfd, const char *path)
{
	struct stat want;
	if (stat(path, &want) < 0)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		struct stat st;
		char *file = xasprintf("%s.txt", s->v[i].name);
		int ok = fstatat(dirfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == want.st_dev &&
		         st.st_ino == want.st_ino;
		free(file);
		if (ok)
			return (long)i - 1;
	}
	return -1;
}

int sessions_previous(const char *dir, const char *path, char **prev, char **msg)
{
	int fd = sessions_open_dir(dir, 0, msg);
	if (fd < 0)
		return fd == -ENOENT ? sessions_fail(msg, -ENOENT, _("no session before %s"), path) : fd;
	struct sessions s;
	int r = sessions_list_at(&s, fd, dir, msg);
	if (r == 0) {
		long i = sessions_index_before(&s, fd, path);
		if (i >= 0) {
			*prev = s.v[i].path;
			s.v[i].path = NULL;
		} else {
			r = sessions_fail(msg, -ENOENT, _("no session before %s"), path);
		}
	}
	sessions_free(&s);
	close(fd);
	return r;
}

/*
 * The text of the new session: the carried answers (carry_name in
 * carry_dirfd, or the path carry_from: states, times, notes, owners, due
 * dates, company, department and respondent, unknown ids and malformed
 * lines), or just the header; either way started = now (or just after the
 * latest carried answer), so every carried answer is 未確認 until confirmed
 * or changed.  A merge's source lines are
 * not carried: the new session is not the merge itself.
 */
static int sessions_text(int carry_dirfd, const char *carry_name, const char *carry_from,
                         const struct doc *d, time_t now, char **text, size_t *len, char **msg)
{
	struct answers a;
	int r = !carry_from  ? answers_parse_buffer(&a, "new session", "", 0, d)
	        : carry_name ? answers_openat(&a, carry_dirfd, carry_name, carry_from, d, ANSWERS_READONLY)
	                     : answers_open(&a, carry_from, d, ANSWERS_READONLY);
	if (r < 0) {
		sessions_fail(msg, r, "%s",
		              carry_from && *answers_error(&a) ? answers_error(&a) : strerror(-r));
		answers_close(&a);
		return r;
	}
	/*
	 * Times are whole seconds and 未確認 is "older than started": a carry in
	 * the same second as the last answer (or from a clock ahead of ours)
	 * would leave that answer confirmed.  So started is later than every
	 * carried answer, by the second it takes.
	 */
	time_t start = now;
	for (size_t i = 0; i < a.n; i++) {
		time_t t;
		if (a.v[i].id && a.v[i].time && answers_time_parse(a.v[i].time, &t) == 0 && t >= start)
			start = t + 1;
	}
	char started[32];
	answers_format_time(start, started);
	answers_format_set_started(&a, started);
	answers_format_set_sources(&a, NULL, 0);
	r = answers_serialize(&a, text, len);
	answers_close(&a);
	return r < 0 ? sessions_fail(msg, r, _("cannot copy the answers: %s"), strerror(-r)) : 0;
}

/* Give the finished temp file the name; never replaces an existing file. */
static int sessions_link(int dirfd, const char *tmp, const char *target)
{
	if (linkat(dirfd, tmp, dirfd, target, 0) == 0)
		return 0;
	int e = errno;
	if (e != EPERM && e != ENOTSUP && e != EOPNOTSUPP && e != ENOSYS)
		return -e;
	/* No hard links here (some FUSE and FAT mounts): reserve the name, then rename over it. */
	int fd = openat(dirfd, target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	if (renameat(dirfd, tmp, dirfd, target) < 0) {
		e = errno;
		unlinkat(dirfd, target, 0);
		return -e;
	}
	return 0;
}

/*
 * sessions_new_at with the carried session given by name in dirfd (or by
 * path when carry_name is NULL).  first_only: only the day's first name
 * (YYYY-MM-DD.txt) may be taken; -EEXIST when it is taken already (another
 * mamori starting at the same moment made it: use that one).
 */
static int sessions_create(int dirfd, const char *dir, const char *carry_name, const char *carry_from,
                           const struct doc *d, time_t now, int first_only, char **path, char **msg)
{
	struct tm tm;
	if (!localtime_r(&now, &tm))
		return sessions_fail(msg, -EINVAL, _("cannot convert the time to a date"));
	char date[16];
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900 ||
	    strftime(date, sizeof date, "%Y-%m-%d", &tm) != 10)
		return sessions_fail(msg, -EINVAL, _("the date is out of range"));
	char *text = NULL;
	size_t len = 0;
	int r;
	if ((r = sessions_text(dirfd, carry_name, carry_from, d, now, &text, &len, msg)) < 0)
		return r;

	/* After the last session of the day, so the new one is always the latest. */
	struct sessions s;
	int seq = 1;
	if ((r = sessions_list_at(&s, dirfd, dir, msg)) < 0) {
		free(text);
		return r;
	}
	for (size_t i = 0; i < s.n; i++)
		if (strncmp(s.v[i].name, date, 10) == 0 && s.v[i].seq >= seq)
			seq = s.v[i].seq + 1;
	sessions_free(&s);

	char name[40];
	snprintf(name, sizeof name, "%s.txt", date);
	char *tmp = NULL;
	const char *step = "name the file";
	int fd = -1;
	if (first_only && seq != 1) {
		r = -EEXIST;
		goto out;
	}
	fd = safefile_temp(dirfd, name, text, len, &tmp, &step);
	if (fd < 0) {
		r = fd;
		goto out;
	}
	step = "name the file";
	for (int tries = 0; tries < 1000; tries++, seq++) {
		if (seq > SESSIONS_MAX_SEQ) {
			/* A longer name would not be listed: the new session would be lost from view. */
			step = "number the session";
			r = -EOVERFLOW;
			break;
		}
		if (seq == 1)
			snprintf(name, sizeof name, "%s.txt", date);
		else
			snprintf(name, sizeof name, "%s-%d.txt", date, seq);
		r = sessions_link(dirfd, tmp, name);
		if (r != -EEXIST || first_only)
			break;
	}
	if (r == 0)
		safefile_sync_dir(dirfd); /* best effort: the session exists either way */
out:
	if (fd >= 0) {
		unlinkat(dirfd, tmp, 0); /* before close: our lock keeps the cleaners off it */
		close(fd);
	}
	free(tmp);
	free(text);
	if (r == -EEXIST && first_only)
		return r;
	if (r < 0) {
		if (r == -EOVERFLOW)
			return sessions_fail(
				msg, r,
				_("cannot start a new session in %s: %s already has %d sessions "
			          "(the most a day)"),
				dir, date, SESSIONS_MAX_SEQ);
		return sessions_fail(msg, r, _("cannot start a new session in %s: %s: %s"), dir, step,
		                     strerror(-r));
	}
	*path = sessions_join(dir, name);
	return 0;
}

int sessions_new_at(int dirfd, const char *dir, const char *carry_from, const struct doc *d, time_t now,
                    char **path, char **msg)
{
	return sessions_create(dirfd, dir, NULL, carry_from, d, now, 0, path, msg);
}

int sessions_new(const char *dir, const char *carry_from, const struct doc *d, time_t now, char **path,
                 char **msg)
{
	int fd = sessions_open_dir(dir, 1, msg);
	if (fd < 0)
		return fd;
	int r = sessions_new_at(fd, dir, carry_from, d, now, path, msg);
	close(fd);
	return r;
}

/* The newest session's file name in s ("2026-11-25.txt", malloc'd), or NULL. */
static char *sessions_latest_name(const struct sessions *s)
{
	return s->n ? xasprintf("%s.txt", s->v[s->n - 1].name) : NULL;
}

int sessions_choose_at(const struct sessions_choice *c, const struct doc *d, char **dir, char **path,
                       int *dirfd, char **msg)
{
	*dir = NULL;
	*path = NULL;
	*dirfd = -1;
	if (c->answers) {
		*path = xstrdup(c->answers);
		return 0;
	}
	if (c->readonly && c->pick != SESSIONS_LATEST)
		return sessions_fail(msg, -EINVAL, _("a new session cannot be started read-only"));
	int r = sessions_default_dir(dir, msg);
	if (r < 0)
		goto fail;
	/* The same checks for a reader and for --progress; only the reader makes or narrows. */
	int fd = sessions_open(*dir, 2, !c->readonly, msg);
	if (fd == -ENOENT && c->readonly)
		return 0; /* no directory yet, and nothing may be made: nothing is answered */
	if (fd < 0) {
		r = fd;
		goto fail;
	}
	struct sessions s;
	for (int tries = 0;; tries++) {
		if ((r = sessions_list_at(&s, fd, *dir, msg)) < 0)
			break; /* an unreadable directory: say so, rather than start another first session */
		if (c->pick == SESSIONS_LATEST && s.n > 0) {
			*path = s.v[s.n - 1].path;
			s.v[s.n - 1].path = NULL;
			sessions_free(&s);
			*dirfd = fd;
			return 0;
		}
		if (c->readonly) {
			sessions_free(&s);
			*dirfd = fd;
			return 0; /* no session yet, and nothing may be made: nothing is answered */
		}
		char *carry = c->pick == SESSIONS_NEW_CARRY ? sessions_latest_name(&s) : NULL;
		char *carry_path = carry ? sessions_join(*dir, carry) : NULL;
		sessions_free(&s);
		/*
		 * The first session is only ever the day's first name: when another
		 * mamori starting at the same moment made it first, open that one
		 * (then read-only: it is in use) rather than a second "first" one.
		 */
		int first_only = c->pick == SESSIONS_LATEST && tries < 3;
		r = sessions_create(fd, *dir, carry, carry_path, d, c->now, first_only, path, msg);
		free(carry);
		free(carry_path);
		if (r != -EEXIST || !first_only)
			break;
	}
	if (r == 0) {
		*dirfd = fd;
		return 0;
	}
	close(fd);
fail:
	free(*dir);
	*dir = NULL;
	return r;
}

int sessions_choose(const struct sessions_choice *c, const struct doc *d, char **dir, char **path,
                    char **msg)
{
	int fd;
	int r = sessions_choose_at(c, d, dir, path, &fd, msg);
	if (fd >= 0)
		close(fd);
	return r;
}

int sessions_previous_progress(const char *dir, const char *path, const struct doc *d,
                               struct progress *prev, char **name)
{
	int found = 0;

	memset(prev, 0, sizeof *prev);
	if (name)
		*name = NULL;
	if (!dir || !path)
		return 0;
	int fd = sessions_open_dir(dir, 0, NULL);
	if (fd < 0)
		return 0;
	struct sessions s;
	if (sessions_list_at(&s, fd, dir, NULL) < 0) {
		close(fd);
		return 0;
	}
	long i = sessions_index_before(&s, fd, path);
	if (i >= 0) {
		struct answers a;
		char *file = xasprintf("%s.txt", s.v[i].name);
		if (answers_openat(&a, fd, file, s.v[i].path, d, ANSWERS_READONLY) == 0 &&
		    progress_compute(prev, d, &a) == 0) {
			found = 1;
			if (name)
				*name = xstrdup(s.v[i].name);
		}
		answers_close(&a);
		free(file);
	}
	sessions_free(&s);
	close(fd);
	return found;
}

/*
 * Take the one-writer lock of the session file name in dirfd the way
 * answers_open does (flock on ".NAME.lock", checked to still be the name
 * after the flock).  Returns the lock fd, or -EBUSY when another mamori
 * holds it, or -errno.
 */
static int sessions_lock(int dirfd, const char *lockname)
{
	const int how = O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	for (int tries = 0; tries < 20; tries++) {
		int fd = openat(dirfd, lockname, how, 0600);
		if (fd < 0)
			return -errno;
		struct stat st, now;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return -EINVAL;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int e = errno;
			close(fd);
			return e == EWOULDBLOCK || e == EINTR ? -EBUSY : -e;
		}
		if (fstatat(dirfd, lockname, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_dev == st.st_dev &&
		    now.st_ino == st.st_ino)
			return fd;
		close(fd); /* its holder removed it as we opened it: take the new one */
	}
	return -EAGAIN;
}

/* Remove the lock file we hold (only when the name is still ours), then let it go. */
static void sessions_unlock(int dirfd, const char *lockname, int fd)
{
	struct stat st, now;
	if (fstat(fd, &st) == 0 && fstatat(dirfd, lockname, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    now.st_dev == st.st_dev && now.st_ino == st.st_ino)
		unlinkat(dirfd, lockname, 0);
	close(fd);
}

/* 1 when the session file open at fd holds anything a person wrote: answers, notes, comments, lines. */
static int sessions_has_answers(int fd, const char *name, int *err)
{
	char *buf = NULL;
	size_t len = 0;
	*err = util_read_fd(fd, 64u << 20, &buf, &len);
	if (*err < 0)
		return 1;
	struct answers a;
	answers_parse_buffer(&a, name, buf, len, NULL);
	int has = a.n > 0 || a.trailing || a.orphans;
	answers_close(&a);
	free(buf);
	return has;
}

int sessions_delete_at(int dirfd, const char *name, int allow_nonempty, char **err)
{
	int y, m, d, seq;
	size_t nl = name ? strlen(name) : 0;
	char *file = nl > 4 && strcmp(name + nl - 4, ".txt") == 0 ? xstrdup(name)
	                                                          : xasprintf("%s.txt", name ? name : "");
	if (!sessions_parse_name(file, &y, &m, &d, &seq)) {
		int r = sessions_fail(err, -EINVAL, _("'%s' is not the name of a session"),
		                      name ? name : "");
		free(file);
		return r;
	}
	char *lockname = xasprintf(".%s.lock", file);
	int r = 0, fd = -1;
	int lockfd = sessions_lock(dirfd, lockname);
	if (lockfd < 0) {
		r = lockfd == -EBUSY
		            ? sessions_fail(err, -EBUSY, _("%s is in use by another mamori: not deleted"),
		                            file)
		            : sessions_fail(err, lockfd, _("cannot lock %s: %s: not deleted"), file,
		                            strerror(-lockfd));
		goto out;
	}
	/* Under the lock no mamori writes it: what we check is what we remove. */
	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	if (fd < 0) {
		r = -errno;
		if (r == -ELOOP)
			sessions_fail(err, r, _("%s is a symbolic link: not deleted"), file);
		else
			sessions_fail(err, r, _("cannot open %s: %s"), file, strerror(-r));
		goto unlock;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		r = sessions_fail(err, -EINVAL, _("%s is not a session file of yours: not deleted"), file);
		goto unlock;
	}
	int rerr = 0;
	int has = sessions_has_answers(fd, file, &rerr);
	if (rerr < 0) {
		r = sessions_fail(err, rerr, _("cannot read %s: %s: not deleted"), file, strerror(-rerr));
		goto unlock;
	}
	if (has && !allow_nonempty) {
		r = sessions_fail(err, -ENOTEMPTY, _("%s has answers: not deleted"), file);
		goto unlock;
	}
	/*
	 * The session first, while we hold its lock, so that no mamori can open
	 * it in between; then what a killed writer left (temp files), then the
	 * lock file.  A crash after the first step leaves only a stale lock
	 * file, which the next writer of that name takes over and a second
	 * delete removes.
	 */
	if (unlinkat(dirfd, file, 0) < 0) {
		r = -errno;
		sessions_fail(err, r, _("cannot delete %s: %s"), file, strerror(-r));
		goto unlock;
	}
	safefile_clean_temps(dirfd, file);
	safefile_sync_dir(dirfd);
unlock:
	if (fd >= 0)
		close(fd);
	/* A session already gone (a delete cut short) still loses its lock file. */
	sessions_unlock(dirfd, lockname, lockfd);
	if (r == 0 || r == -ENOENT)
		safefile_sync_dir(dirfd);
out:
	free(lockname);
	free(file);
	return r;
}
