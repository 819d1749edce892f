/*
 * resume: the reader's place between runs (see resume.h): its file
 * format, and reading and writing it under the state directory with the
 * same care as the sessions directory (opened component by component,
 * ours, 0700; the file 0600, replaced by rename).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/resume.h"
#include "core/safefile.h"
#include "core/sessions.h"
#include "core/util.h"

#define RESUME_HEADER "mamori-resume 1"

UTIL_PRINTF(3, 4) static int resume_fail(char **msg, int r, const char *fmt, ...)
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

int resume_default_dir(char **out, char **msg)
{
	const char *x = getenv("XDG_STATE_HOME");

	/* The XDG spec says relative paths are invalid and must be ignored. */
	if (x && x[0] == '/') {
		*out = xasprintf("%s%smamori", x, x[strlen(x) - 1] == '/' ? "" : "/");
		return 0;
	}
	const char *home = getenv("HOME");
	if (!home || home[0] != '/')
		return resume_fail(msg, -ENOENT,
		                   "HOME is not set (or not absolute) and XDG_STATE_HOME is not set: "
		                   "the reading position is not kept");
	*out = xasprintf("%s%s.local/state/mamori", home, home[strlen(home) - 1] == '/' ? "" : "/");
	return 0;
}

void resume_free(struct resume *r)
{
	free(r->session);
	free(r->page);
	memset(r, 0, sizeof *r);
	r->focus_block = -1;
}

/* A page id as the content allows it: what is written back is never more than that. */
static int id_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* A decimal number in [lo, hi] that is the whole of s; 1 when it is. */
static int number(const char *s, long long lo, long long hi, long long *out)
{
	char *end;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return 0;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return 0;
	*out = v;
	return 1;
}

/* One "key value..." line into r; 0 when it is malformed. */
static int parse_line(struct resume *r, char *line)
{
	char *f[6];
	size_t n = 0;

	for (char *save = NULL, *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == sizeof f / sizeof f[0])
			return 0;
		f[n++] = t;
	}
	if (n == 0)
		return 1;
	if (strcmp(f[0], "session") == 0) {
		int y, m, d, seq;
		if (n != 2 || !sessions_parse_name(f[1], &y, &m, &d, &seq))
			return 0;
		free(r->session);
		r->session = xstrdup(f[1]);
	} else if (strcmp(f[0], "page") == 0) {
		long long block, pos, focus;
		if (n != 5 || !id_ok(f[1], strlen(f[1])) || !number(f[2], -1, INT_MAX, &block) ||
		    !number(f[3], 0, LLONG_MAX, &pos) || !number(f[4], -1, INT_MAX, &focus))
			return 0;
		free(r->page);
		r->page = xstrdup(f[1]);
		r->block = (int)block;
		r->pos = (size_t)pos;
		r->focus_block = (int)focus;
	} else if (strcmp(f[0], "screen") == 0) {
		if (n != 2 || (strcmp(f[1], "page") != 0 && strcmp(f[1], "contents") != 0))
			return 0;
		r->on_contents = strcmp(f[1], "contents") == 0;
	}
	/* Any other key is a later version's: skipped, not an error. */
	return 1;
}

int resume_parse(struct resume *r, const char *text, size_t len, char **msg)
{
	resume_free(r);
	if (memchr(text, '\0', len))
		return resume_fail(msg, -EINVAL, "not a mamori resume file (it holds NUL bytes)");
	char *copy = xstrndup(text, len);
	size_t lineno = 0;
	int rc = 0;

	for (char *line = copy, *next; *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[--l] = '\0';
		if (lineno == 1) {
			if (strcmp(line, RESUME_HEADER) != 0) {
				rc = resume_fail(msg, -EINVAL,
				                 "not a mamori resume file (line 1 is not '" RESUME_HEADER
				                 "')");
				break;
			}
			continue;
		}
		if (!parse_line(r, line)) {
			rc = resume_fail(msg, -EINVAL, "line %zu cannot be read", lineno);
			break;
		}
	}
	if (rc == 0 && lineno == 0)
		rc = resume_fail(msg, -EINVAL, "the file is empty");
	free(copy);
	if (rc < 0)
		resume_free(r);
	return rc;
}

char *resume_format(const struct resume *r)
{
	struct buf b = { 0 };

	buf_adds(&b, RESUME_HEADER "\n");
	if (r->session)
		buf_printf(&b, "session %s\n", r->session);
	if (r->page)
		buf_printf(&b, "page %s %d %zu %d\n", r->page, r->block, r->pos, r->focus_block);
	buf_printf(&b, "screen %s\n", r->on_contents ? "contents" : "page");
	return buf_take(&b);
}

int resume_load(struct resume *r, const char *dir, char **msg)
{
	char *text = NULL;
	size_t len = 0;

	resume_free(r);
	int dirfd = sessions_open_dir(dir, 0, msg);
	if (dirfd == -ENOENT)
		return 0;
	if (dirfd < 0)
		return dirfd;
	int fd = openat(dirfd, RESUME_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int e = errno;
	close(dirfd);
	if (fd < 0) {
		if (e == ENOENT)
			return 0;
		if (e == ELOOP)
			return resume_fail(msg, -ELOOP, "%s/%s is a symbolic link: ignored", dir,
			                   RESUME_FILE);
		return resume_fail(msg, -e, "cannot open %s/%s: %s", dir, RESUME_FILE, strerror(e));
	}
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0)
		rc = resume_fail(msg, -errno, "cannot read %s/%s: %s", dir, RESUME_FILE, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = resume_fail(msg, -EINVAL, "%s/%s is not a regular file: ignored", dir, RESUME_FILE);
	else if (st.st_uid != geteuid())
		rc = resume_fail(msg, -EPERM, "%s/%s belongs to another user: ignored", dir, RESUME_FILE);
	else if ((rc = util_read_fd(fd, RESUME_MAX_BYTES, &text, &len)) < 0)
		rc = resume_fail(msg, rc, "cannot read %s/%s: %s", dir, RESUME_FILE,
		                 rc == -EFBIG ? "too big for a resume file" : strerror(-rc));
	close(fd);
	if (rc == 0) {
		char *why = NULL;
		rc = resume_parse(r, text, len, &why);
		if (rc < 0)
			resume_fail(msg, rc, "%s/%s: %s: ignored", dir, RESUME_FILE, why);
		free(why);
	}
	free(text);
	return rc < 0 ? rc : 1;
}

int resume_save(const struct resume *r, const char *dir, char **msg)
{
	int dirfd = sessions_open_dir(dir, 1, msg);
	if (dirfd < 0)
		return dirfd;
	safefile_clean_temps(dirfd, RESUME_FILE);
	char *text = resume_format(r), *tmp = NULL;
	const char *step = NULL;
	int rc = 0;
	int fd = safefile_temp(dirfd, RESUME_FILE, text, strlen(text), &tmp, &step);
	if (fd < 0) {
		rc = resume_fail(msg, fd, "cannot save %s/%s (%s): %s", dir, RESUME_FILE, step,
		                 strerror(-fd));
	} else {
		/* rename replaces whatever has the name, a symlink included, and never follows it. */
		if (renameat(dirfd, tmp, dirfd, RESUME_FILE) < 0) {
			rc = resume_fail(msg, -errno, "cannot save %s/%s: %s", dir, RESUME_FILE,
			                 strerror(errno));
			unlinkat(dirfd, tmp, 0);
		} else {
			safefile_sync_dir(dirfd);
		}
		close(fd);
	}
	free(tmp);
	free(text);
	close(dirfd);
	return rc;
}

int resume_pick_session(const struct resume *r, int dirfd, const char *dir, char **path)
{
	struct stat st;

	if (!r->session)
		return 0;
	if (fstatat(dirfd, r->session, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid())
		return -ENOENT;
	free(*path);
	*path = xasprintf("%s/%s", dir, r->session);
	return 1;
}
