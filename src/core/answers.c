/*
 * answers: the answers file of one session, on disk (see answers.h): open,
 * the one-writer lock, atomic saving, and changes that are saved at once.
 * The line format itself (parse, serialise, escape, time) is in
 * answers_format.c.  The lock is a flock on the answers file itself; since
 * a save renames a new file over the old one, the new file is locked before
 * the rename, and an opener checks that the file it locked is still the
 * one at the path.  No output here.
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
#include "core/doc.h"
#include "core/safefile.h"
#include "core/util.h"

#define ANSWERS_MAX_BYTES (64u << 20)

/* Replace a->error. */
static void answers_set_error(struct answers *a, const char *fmt, ...) UTIL_PRINTF(2, 3);

static void answers_set_error(struct answers *a, const char *fmt, ...)
{
	va_list ap;
	free(a->error);
	va_start(ap, fmt);
	a->error = xvasprintf(fmt, ap);
	va_end(ap);
}

const char *answers_error(const struct answers *a)
{
	return a && a->error ? a->error : "";
}

/* Split path into its directory (malloc'd) and its last component (pointer into path). */
static char *answers_dirname(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		*base = path;
		return xstrdup(".");
	}
	*base = slash + 1;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
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
	int r;
	answers_serialize(a, &text, &len);
	const char *base;
	char *dir = answers_dirname(a->path, &base);
	char *tmp = NULL;
	const char *step = "create a temp file";
	int fd = safefile_temp(dir, base, text, len, &tmp, &step);
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
	char *prefix = xasprintf(".%s.tmp.", base);
	DIR *dp = opendir(dir);
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
	int r = 1;
	if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) < 0)
		r = errno == EACCES || errno == EROFS ? 0 : -1;
	free(dir);
	return r;
}

static void answers_set_readonly(struct answers *a, const char *why)
{
	a->readonly = 1;
	if (!a->readonly_reason)
		a->readonly_reason = xstrdup(why);
}

int answers_open(struct answers *a, const char *path, const struct doc *d, unsigned flags)
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	a->doc = d;
	a->path = xstrdup(path);
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
			if (fd >= 0)
				answers_set_readonly(a, "the file is not writable");
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
				answers_set_error(
					a, "%s is a symbolic link: not followed (give the real file)",
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
			answers_set_readonly(a, "opened read-only");
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
			answers_set_readonly(a, "in use by another mamori");
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
	/* From the open, locked fd: the name may already be another file's. */
	if ((r = util_read_fd(fd, ANSWERS_MAX_BYTES, &buf, &len)) < 0) {
		answers_set_error(a, "cannot read %s: %s", path,
		                  r == -EFBIG ? "too large for an answers file" : strerror(-r));
		return r;
	}
	answers_format_parse(a, buf, len);
	free(buf);
	if (locked && a->readonly) {
		/* A newer format: we will not write it, so let another mamori have it. */
		flock(fd, LOCK_UN);
		locked = 0;
	}
	if (locked && answers_dir_writable(path) == 0) {
		/* Saving renames a new file into the directory: say so now, not at the first change. */
		answers_set_readonly(a, "its directory is not writable");
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
	answers_format_reset(a);
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
	long k = answers_format_index(a, id);
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
	return xstrndup(note + b, e - b);
}

int answers_set(struct answers *a, const char *id, enum answer_state st, const char *note, time_t now)
{
	free(a->error);
	a->error = NULL;
	if (a->readonly) {
		answers_set_error(a, "%s is open read-only (%s): the change was not made", a->path,
		                  a->readonly_reason ? a->readonly_reason : "read-only");
		return -EROFS;
	}
	if ((unsigned)st >= ANSWER_STATE_COUNT || !id || !doc_id_valid(id, strlen(id))) {
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
		if (!answers_format_state_fits(st, a->doc->items[item].question)) {
			answers_set_error(a, "'%s' does not fit %s", answers_state_name(st),
			                  a->doc->items[item].question ? "a diagnosis question"
			                                               : "a checklist item");
			return -EINVAL;
		}
	}
	char tbuf[32];
	answers_format_time(now, tbuf);
	char *newtime = xstrdup(tbuf);
	long k = answers_format_index(a, id);
	char *newnote = note ? answers_trim(note) : xstrdup(k >= 0 && a->v[k].note ? a->v[k].note : "");
	int added = 0;
	if (k < 0) {
		k = answers_format_push(a);
		a->v[k].id = xstrdup(id);
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
