/*
 * sessions: the sessions directory and its files, one per pass through the
 * guideline, named by local date (YYYY-MM-DD.txt, YYYY-MM-DD-N.txt).  Here:
 * where the directory is, making it safe (0700, ours, not a symlink),
 * listing, and creating a new session without ever overwriting one.  What
 * is inside a file is the business of answers.  No output here.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/progress.h"
#include "core/safefile.h"
#include "core/sessions.h"
#include "core/util.h"

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
			return sessions_fail(msg, -ENOENT,
			                     "HOME is not set (or not absolute) and XDG_DATA_HOME is not "
			                     "set: cannot find the sessions directory; use --answers FILE");
		base = sessions_join(home, ".local/share");
	}
	*out = sessions_join(base, tail);
	free(base);
	return 0;
}

int sessions_prepare_dir(const char *dir, char **msg)
{
	if (!dir || !*dir)
		return sessions_fail(msg, -EINVAL, "empty sessions directory name");
	char *p = xstrdup(dir);
	size_t len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		p[--len] = '\0';
	/* mkdir -p: every missing component is created 0700, whatever the umask. */
	for (size_t i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0700) == 0) {
			if (chmod(p, 0700) < 0) {
				int e = errno;
				sessions_fail(msg, -e, "cannot chmod %s: %s", p, strerror(e));
				free(p);
				return -e;
			}
		} else if (errno != EEXIST) {
			int e = errno;
			sessions_fail(msg, -e, "cannot create %s: %s", p, strerror(e));
			free(p);
			return -e;
		}
		p[i] = c;
	}
	/* Check the last component without following it, then fix its mode through the fd. */
	int fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
			e = sessions_fail(msg, -ELOOP,
			                  "%s is a symbolic link: refusing to keep answers there "
			                  "(make it a real directory)",
			                  p);
		else if (e == ENOTDIR)
			e = sessions_fail(msg, -ENOTDIR, "%s is not a directory", p);
		else
			e = sessions_fail(msg, -e, "cannot open %s: %s", p, strerror(e));
		free(p);
		return e;
	}
	struct stat st;
	int r = 0;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		sessions_fail(msg, r, "cannot stat %s: %s", p, strerror(-r));
	} else if (st.st_uid != geteuid()) {
		r = sessions_fail(msg, -EPERM,
		                  "%s belongs to another user (uid %ld): refusing to keep answers there",
		                  p, (long)st.st_uid);
	} else if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0) {
		r = -errno;
		sessions_fail(msg, r, "cannot chmod %s to 0700: %s", p, strerror(-r));
	}
	close(fd);
	free(p);
	return r;
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

int sessions_list(struct sessions *s, const char *dir, char **msg)
{
	s->v = NULL;
	s->n = 0;
	DIR *dp = opendir(dir);
	if (!dp) {
		if (errno == ENOENT)
			return 0;
		int e = errno;
		return sessions_fail(msg, -e, "cannot read %s: %s", dir, strerror(e));
	}
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(dp)) != NULL) {
		struct session ss;
		struct stat st;
		if (!sessions_parse_name(de->d_name, &ss.year, &ss.month, &ss.day, &ss.seq))
			continue;
		if (fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
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

int sessions_latest(const char *dir, char **path, char **msg)
{
	struct sessions s;
	int r = sessions_list(&s, dir, msg);
	if (r < 0)
		return r;
	if (s.n == 0) {
		sessions_free(&s);
		return sessions_fail(msg, -ENOENT, "no sessions in %s", dir);
	}
	*path = s.v[s.n - 1].path;
	s.v[s.n - 1].path = NULL;
	sessions_free(&s);
	return 0;
}

int sessions_previous(const char *dir, const char *path, char **prev, char **msg)
{
	struct stat want;
	if (stat(path, &want) < 0) {
		int e = errno;
		return sessions_fail(msg, -e, "cannot stat %s: %s", path, strerror(e));
	}
	struct sessions s;
	int r = sessions_list(&s, dir, msg);
	if (r < 0)
		return r;
	r = sessions_fail(msg, -ENOENT, "no session before %s", path);
	for (size_t i = 0; i < s.n; i++) {
		struct stat st;
		if (stat(s.v[i].path, &st) == 0 && st.st_dev == want.st_dev && st.st_ino == want.st_ino) {
			if (i > 0) {
				*prev = s.v[i - 1].path;
				s.v[i - 1].path = NULL;
				r = 0;
			}
			break;
		}
	}
	sessions_free(&s);
	return r;
}

/* The text of the new session: the carried answers, or just the header. */
static int sessions_text(const char *carry_from, const struct doc *d, char **text, size_t *len, char **msg)
{
	struct answers a;
	int r = carry_from ? answers_open(&a, carry_from, d, ANSWERS_READONLY)
	                   : answers_parse_buffer(&a, "new session", "", 0, d);
	if (r < 0) {
		sessions_fail(msg, r, "%s",
		              carry_from && *answers_error(&a) ? answers_error(&a) : strerror(-r));
		answers_close(&a);
		return r;
	}
	r = answers_serialize(&a, text, len);
	answers_close(&a);
	return r < 0 ? sessions_fail(msg, r, "cannot copy the answers: %s", strerror(-r)) : 0;
}

/* Give the finished temp file the name; never replaces an existing file. */
static int sessions_link(const char *tmp, const char *target)
{
	if (link(tmp, target) == 0)
		return 0;
	int e = errno;
	if (e != EPERM && e != ENOTSUP && e != EOPNOTSUPP && e != ENOSYS)
		return -e;
	/* No hard links here (some FUSE and FAT mounts): reserve the name, then rename over it. */
	int fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	if (rename(tmp, target) < 0) {
		e = errno;
		unlink(target);
		return -e;
	}
	return 0;
}

int sessions_new(const char *dir, const char *carry_from, const struct doc *d, time_t now, char **path,
                 char **msg)
{
	int r = sessions_prepare_dir(dir, msg);
	if (r < 0)
		return r;
	struct tm tm;
	if (!localtime_r(&now, &tm))
		return sessions_fail(msg, -EINVAL, "cannot convert the time to a date");
	char date[16];
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900 ||
	    strftime(date, sizeof date, "%Y-%m-%d", &tm) != 10)
		return sessions_fail(msg, -EINVAL, "the date is out of range");
	char *text = NULL;
	size_t len = 0;
	if ((r = sessions_text(carry_from, d, &text, &len, msg)) < 0)
		return r;

	/* After the last session of the day, so the new one is always the latest. */
	struct sessions s;
	int seq = 1;
	if ((r = sessions_list(&s, dir, msg)) < 0) {
		free(text);
		return r;
	}
	for (size_t i = 0; i < s.n; i++)
		if (strncmp(s.v[i].name, date, 10) == 0 && s.v[i].seq >= seq)
			seq = s.v[i].seq + 1;
	sessions_free(&s);

	char name[40];
	snprintf(name, sizeof name, "%s.txt", date);
	char *tmp = NULL, *target = NULL;
	const char *step;
	int fd = safefile_temp(dir, name, text, len, &tmp, &step);
	if (fd < 0) {
		r = fd;
		goto out;
	}
	step = "name the file";
	for (int tries = 0; tries < 1000; tries++, seq++) {
		if (seq == 1)
			snprintf(name, sizeof name, "%s.txt", date);
		else
			snprintf(name, sizeof name, "%s-%d.txt", date, seq);
		free(target);
		target = sessions_join(dir, name);
		r = sessions_link(tmp, target);
		if (r != -EEXIST)
			break;
	}
	if (r == 0)
		safefile_sync_dir(dir); /* best effort: the session exists either way */
out:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(text);
	if (r < 0) {
		free(target);
		return sessions_fail(msg, r, "cannot start a new session in %s: %s: %s", dir, step,
		                     strerror(-r));
	}
	*path = target;
	return 0;
}

int sessions_choose(const struct sessions_choice *c, const struct doc *d, char **dir, char **path,
                    char **msg)
{
	*dir = NULL;
	*path = NULL;
	if (c->answers) {
		*path = xstrdup(c->answers);
		return 0;
	}
	if (c->readonly && c->pick != SESSIONS_LATEST)
		return sessions_fail(msg, -EINVAL, "a new session cannot be started read-only");
	int r = sessions_default_dir(dir, msg);
	if (r == 0 && !c->readonly)
		r = sessions_prepare_dir(*dir, msg);
	if (r < 0)
		goto fail;

	char *latest = NULL;
	int found = sessions_latest(*dir, &latest, msg);
	if (found < 0 && found != -ENOENT) {
		/* An unreadable directory: say so, rather than start another first session. */
		r = found;
		goto fail;
	}
	if (found == -ENOENT && msg) {
		free(*msg);
		*msg = NULL;
	}
	if (c->pick == SESSIONS_LATEST && found == 0) {
		*path = latest;
		return 0;
	}
	if (c->readonly)
		return 0; /* no session yet, and nothing may be made: nothing is answered */
	r = sessions_new(*dir, c->pick == SESSIONS_NEW_CARRY ? latest : NULL, d, c->now, path, msg);
	free(latest);
	if (r == 0)
		return 0;
fail:
	free(*dir);
	*dir = NULL;
	return r;
}

int sessions_previous_progress(const char *dir, const char *path, const struct doc *d,
                               struct progress *prev, char **name)
{
	char *prev_path = NULL;
	int found = 0;

	memset(prev, 0, sizeof *prev);
	if (name)
		*name = NULL;
	if (!dir || !path || sessions_previous(dir, path, &prev_path, NULL) < 0)
		return 0;
	struct answers a;
	if (answers_open(&a, prev_path, d, ANSWERS_READONLY) == 0 && progress_compute(prev, d, &a) == 0) {
		found = 1;
		if (name) {
			const char *base = strrchr(prev_path, '/');
			base = base ? base + 1 : prev_path;
			*name = xstrndup(base, strlen(base) - 4); /* a session's name ends in ".txt" */
		}
	}
	answers_close(&a);
	free(prev_path);
	return found;
}
