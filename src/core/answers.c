/*
 * answers: the answers file of one session, on disk (see answers.h): open,
 * the one-writer lock, atomic saving, changes that are saved at once, and
 * noticing a file changed by someone else before a save.  The line format
 * itself (parse, serialise, escape, time) is in answers_format.c.
 *
 * Every file operation is relative to the file's directory, opened once by
 * answers_open: a directory renamed, or swapped for a symlink, after the
 * open cannot redirect a save.  The one-writer lock is a flock on
 * ".NAME.lock" beside the file, a name that a save (which renames a new
 * file over NAME) or an editor's or rsync's replace never touches.  It is
 * created 0600 and removed by the writer as it lets go, while still holding
 * it; an opener checks after its flock that the name is still the inode it
 * locked, so a removal never lets two writers in.  After a kill -9 it stays,
 * unlocked, and the next writer takes it over.  No output here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
#include "core/i18n.h"
#include "core/safefile.h"
#include "core/util.h"

#define ANSWERS_MAX_BYTES (64u << 20)

/*
 * The file side of one open answers file: its directory, its lock, and
 * what the file on disk was when we last read or wrote it.  struct answers
 * (answers_format.h) has no member for it yet, so it lives in a table here
 * keyed by a->fd, which is unique among open files and survives a copy of
 * the struct (the UI copies it when it switches sessions).
 */
struct answers_file {
	int fd;         /* the key: a->fd of the answers it belongs to */
	int dirfd;      /* the file's directory, opened once */
	int lockfd;     /* ".NAME.lock", flock'ed while we are the writer; else -1 */
	char *name;     /* the file's name in dirfd (one component) */
	char *lockname; /* ".NAME.lock" */
	dev_t dev;      /* what the file was when we last read or wrote it */
	ino_t ino;
	off_t size;
	struct timespec mtime;
	uint64_t hash; /* FNV-1a of its bytes */
};

static struct answers_file **answers_files;
static size_t answers_nfiles, answers_files_cap;

static struct answers_file *answers_file_of(const struct answers *a)
{
	if (!a || a->fd < 0)
		return NULL;
	for (size_t i = 0; i < answers_nfiles; i++)
		if (answers_files[i]->fd == a->fd)
			return answers_files[i];
	return NULL;
}

static void answers_unlock(struct answers_file *f);

static void answers_file_free(struct answers_file *f)
{
	if (!f)
		return;
	answers_unlock(f);
	if (f->dirfd >= 0)
		close(f->dirfd);
	free(f->name);
	free(f->lockname);
	free(f);
}

static void answers_file_forget(struct answers_file *f)
{
	for (size_t i = 0; i < answers_nfiles; i++)
		if (answers_files[i] == f) {
			answers_files[i] = answers_files[--answers_nfiles];
			break;
		}
	answers_file_free(f);
}

static uint64_t answers_hash(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

/* Remember st and the bytes as what the file is now. */
static void answers_file_record(struct answers_file *f, const struct stat *st, const char *text,
                                size_t len)
{
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->size = st->st_size;
	f->mtime = st->st_mtim;
	f->hash = answers_hash(text, len);
}

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

/* A note about the whole file, shown once: before the line diagnostics, after earlier notes. */
static void answers_note(struct answers *a, size_t *at, const char *fmt, ...) UTIL_PRINTF(3, 4);

static void answers_note(struct answers *a, size_t *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	a->diags = xreallocarray(a->diags, a->ndiags + 1, sizeof *a->diags);
	memmove(&a->diags[*at + 1], &a->diags[*at], (a->ndiags - *at) * sizeof *a->diags);
	a->diags[*at].line = 0;
	a->diags[*at].msg = xasprintf("%s: %s", a->path, msg);
	a->ndiags++;
	(*at)++;
	free(msg);
}

const char *answers_error(const struct answers *a)
{
	return a && a->error ? a->error : "";
}

static void answers_set_readonly(struct answers *a, const char *why)
{
	a->readonly = 1;
	if (!a->readonly_reason)
		a->readonly_reason = xstrdup(why);
}

/*
 * Stop being the writer: let another mamori have the file.  The lock file
 * goes first, while we still hold it (see answers_lock), and only when the
 * name is still ours.
 */
static void answers_unlock(struct answers_file *f)
{
	if (f->lockfd < 0)
		return;
	struct stat st, now;
	if (fstat(f->lockfd, &st) == 0 && fstatat(f->dirfd, f->lockname, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    now.st_dev == st.st_dev && now.st_ino == st.st_ino)
		unlinkat(f->dirfd, f->lockname, 0);
	close(f->lockfd);
	f->lockfd = -1;
}

/*
 * Read the file now at the name: the open fd (O_RDWR when it may be, else
 * O_RDONLY), its bytes and its stat.  -errno when it cannot be read,
 * -EINVAL when it is not a regular file.
 */
static int answers_read_current(struct answers_file *f, int *fd, char **buf, size_t *len, struct stat *st)
{
	const int common = O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	int xfd = openat(f->dirfd, f->name, O_RDWR | common);
	if (xfd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM))
		xfd = openat(f->dirfd, f->name, O_RDONLY | common);
	if (xfd < 0)
		return -errno;
	if (fstat(xfd, st) < 0 || !S_ISREG(st->st_mode)) {
		int e = S_ISREG(st->st_mode) ? -errno : -EINVAL;
		close(xfd);
		return e;
	}
	int fl = fcntl(xfd, F_GETFL);
	if (fl >= 0)
		fcntl(xfd, F_SETFL, fl & ~O_NONBLOCK);
	int r = util_read_fd(xfd, ANSWERS_MAX_BYTES, buf, len);
	if (r < 0) {
		close(xfd);
		return r;
	}
	*fd = xfd;
	return 0;
}

/* Swap the file's fd in a and in the table key. */
static void answers_take_fd(struct answers *a, struct answers_file *f, int fd)
{
	if (a->fd >= 0 && a->fd != fd)
		close(a->fd);
	a->fd = fd;
	f->fd = fd;
}

/*
 * The header fields set in memory since the last read or save (see
 * header_dirty), moved into keep, so that a reload does not lose them;
 * answers_restore_header puts them back on top of what was read.
 */
static void answers_keep_header(struct answers *a, struct answers *keep)
{
	memset(keep, 0, sizeof *keep);
	keep->header_dirty = a->header_dirty;
	if (a->header_dirty & ANSWERS_DIRTY_COMPANY) {
		keep->company = a->company;
		a->company = NULL;
	}
	if (a->header_dirty & ANSWERS_DIRTY_HEADER) {
		keep->department = a->department;
		keep->respondent = a->respondent;
		a->department = a->respondent = NULL;
	}
	if (a->header_dirty & ANSWERS_DIRTY_SOURCES) {
		keep->sources = a->sources;
		keep->nsources = a->nsources;
		a->sources = NULL;
		a->nsources = 0;
	}
	if (a->header_dirty & ANSWERS_DIRTY_STARTED) {
		keep->started = a->started;
		a->started = NULL;
	}
}

static void answers_restore_header(struct answers *a, struct answers *keep)
{
	unsigned d = keep->header_dirty;
	if (d & ANSWERS_DIRTY_COMPANY) {
		answers_format_set_company(a, keep->company);
		free(keep->company);
	}
	if (d & ANSWERS_DIRTY_HEADER) {
		answers_format_set_header(a, keep->department, keep->respondent);
		free(keep->department);
		free(keep->respondent);
	}
	if (d & ANSWERS_DIRTY_SOURCES) {
		answers_format_set_sources(a, keep->sources, keep->nsources);
		for (size_t i = 0; i < keep->nsources; i++) {
			free(keep->sources[i].department);
			free(keep->sources[i].path);
		}
		free(keep->sources);
	}
	if (d & ANSWERS_DIRTY_STARTED) {
		answers_format_set_started(a, keep->started);
		free(keep->started);
	}
	a->header_dirty = d;
}

/*
 * Before a save: has the file changed since we last read or wrote it (by
 * inode, size, mtime or content)?  When it has, read it again into a (the
 * model is replaced by what is on disk) and add ANSWERS_SAVED_RELOADED to
 * *flags; when it is gone, keep memory (it is written back) and add
 * ANSWERS_SAVED_RECREATED.  Returns 0 or -errno with a->error set (then
 * nothing may be saved: the file is there but unreadable, or no longer a
 * regular file).
 */
static int answers_sync_with_disk(struct answers *a, struct answers_file *f, int *flags)
{
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int fd = -1;
	int r = answers_read_current(f, &fd, &buf, &len, &st);
	if (r == -ENOENT) {
		*flags |= ANSWERS_SAVED_RECREATED;
		return 0;
	}
	if (r < 0) {
		answers_set_error(a, _("cannot check %s before saving: %s: not saved"), a->path,
		                  r == -EINVAL  ? "it is no longer a regular file"
		                  : r == -ELOOP ? "it was replaced by a symbolic link"
		                                : strerror(-r));
		return r;
	}
	if (st.st_dev == f->dev && st.st_ino == f->ino && st.st_size == f->size &&
	    st.st_mtim.tv_sec == f->mtime.tv_sec && st.st_mtim.tv_nsec == f->mtime.tv_nsec &&
	    answers_hash(buf, len) == f->hash) {
		close(fd);
		free(buf);
		return 0;
	}
	/* Changed by someone else: their version is the base, our change goes on top. */
	int was_ro = a->readonly;
	struct answers keep;
	answers_keep_header(a, &keep);
	answers_format_parse(a, buf, len);
	answers_restore_header(a, &keep);
	answers_file_record(f, &st, buf, len);
	answers_take_fd(a, f, fd);
	free(buf);
	*flags |= ANSWERS_SAVED_RELOADED;
	if (a->readonly && !was_ro) {
		answers_set_error(a, _("%s was changed on disk (%s) and read again: not saved"), a->path,
		                  a->readonly_reason ? a->readonly_reason : "read-only");
		return -EROFS;
	}
	return 0;
}

/*
 * The save proper.  *committed tells the caller whether the rename
 * happened (then the new contents are on disk even if an error follows).
 * Returns 0, ANSWERS_SAVED_UNSYNCED, or -errno.
 */
static int answers_save_inner(struct answers *a, struct answers_file *f, int *committed)
{
	*committed = 0;
	if (a->readonly || !f) {
		answers_set_error(a, _("%s is open read-only (%s): not saved"), a->path,
		                  a->readonly_reason ? a->readonly_reason : "read-only");
		return -EROFS;
	}
	char *text = NULL, *tmp = NULL;
	size_t len = 0;
	int r;
	answers_serialize(a, &text, &len);
	const char *step = "create a temp file";
	/* The temp file is flock'ed from its creation; that lock lasts past the rename. */
	int fd = safefile_temp(f->dirfd, f->name, text, len, &tmp, &step);
	if (fd < 0) {
		r = fd;
		goto fail;
	}
	struct stat st;
	step = "stat";
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto fail;
	}
	step = "rename";
	if (renameat(f->dirfd, tmp, f->dirfd, f->name) < 0) {
		r = -errno;
		goto fail;
	}
	*committed = 1;
	a->header_dirty = 0; /* in the file now: a reload reads them back */
	answers_take_fd(a, f, fd);
	answers_file_record(f, &st, text, len);
	r = safefile_sync_dir(f->dirfd);
	if (r < 0) {
		answers_set_error(a,
		                  _("saved %s, but its directory could not be synced (%s): the change "
		                    "is in the file, but a power cut now could still lose it"),
		                  a->path, strerror(-r));
		r = ANSWERS_SAVED_UNSYNCED;
	}
	free(tmp);
	free(text);
	return r;
fail:
	answers_set_error(a, _("cannot save %s: %s: %s (the file is unchanged)"), a->path, step,
	                  strerror(-r));
	if (fd >= 0) {
		unlinkat(f->dirfd, tmp, 0);
		close(fd);
	}
	free(tmp);
	free(text);
	return r;
}

int answers_save(struct answers *a)
{
	struct answers_file *f = answers_file_of(a);
	int committed, flags = 0;
	if (f && !a->readonly) {
		int r = answers_sync_with_disk(a, f, &flags);
		if (r < 0)
			return r;
	}
	int r = answers_save_inner(a, f, &committed);
	return r < 0 ? r : r | flags;
}

/*
 * Take the one-writer lock: flock ".NAME.lock" in the file's directory.
 * The lock file is removed by its holder when it lets go, so an opener that
 * got the lock checks that the name is still the inode it locked (else it
 * locked a file just removed, and tries again).  Returns 1 when we hold it,
 * 0 when we may not write (a->readonly and its reason set), -errno on an
 * error worth failing the open for.
 */
static int answers_lock(struct answers *a, struct answers_file *f)
{
	const int how = O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	for (int tries = 0; tries < 20; tries++) {
		int fd = openat(f->dirfd, f->lockname, how, 0600);
		int e = fd < 0 ? errno : 0;
		if (fd < 0) {
			if (e == EACCES || e == EROFS || e == EPERM)
				answers_set_readonly(a, _("its directory is not writable"));
			else if (e == ELOOP || e == ENXIO || e == EISDIR)
				answers_set_readonly(a, _("its lock file is not a regular file"));
			else {
				answers_set_error(a, _("cannot lock %s: %s"), a->path, strerror(e));
				return -e;
			}
			return 0;
		}
		struct stat st, now;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			answers_set_readonly(a, _("its lock file is not a regular file"));
			return 0;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			e = errno;
			close(fd);
			if (e != EWOULDBLOCK && e != EINTR) {
				answers_set_error(a, _("cannot lock %s: %s"), a->path, strerror(e));
				return -e;
			}
			answers_set_readonly(a, _("in use by another mamori"));
			return 0;
		}
		if (fstatat(f->dirfd, f->lockname, &now, AT_SYMLINK_NOFOLLOW) < 0 ||
		    now.st_dev != st.st_dev || now.st_ino != st.st_ino) {
			close(fd); /* its holder removed it as we opened it: take the new one */
			continue;
		}
		if (st.st_uid == geteuid() && (st.st_mode & 077))
			fchmod(fd, 0600);
		f->lockfd = fd;
		return 1;
	}
	answers_set_error(a, _("cannot lock %s: its lock file keeps changing; try again"), a->path);
	return -EAGAIN;
}

/* The error of a failed open of the answers file itself. */
static int answers_open_error(struct answers *a, int e)
{
	if (e == ELOOP)
		answers_set_error(a, _("%s is a symbolic link: not followed (give the real file)"),
		                  a->path);
	else if (e == EISDIR)
		answers_set_error(a, _("%s is a directory, not an answers file"), a->path);
	else if (e == EINVAL)
		answers_set_error(a, _("%s is not a regular file"), a->path);
	else
		answers_set_error(a, _("cannot open %s: %s"), a->path, strerror(e));
	return -e;
}

int answers_openat(struct answers *a, int dirfd, const char *name, const char *path, const struct doc *d,
                   unsigned flags)
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	a->doc = d;
	a->path = xstrdup(path ? path : name);
	int ro = (flags & ANSWERS_READONLY) != 0, created = 0, fd = -1, r;
	const int common = O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	struct stat st;

	if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return answers_open_error(a, EISDIR);
	struct answers_file *f = xcalloc(1, sizeof *f);
	f->lockfd = -1;
	f->name = xstrdup(name);
	f->lockname = xasprintf(".%s.lock", name);
	f->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (f->dirfd < 0) {
		r = -errno;
		answers_set_error(a, _("cannot open the directory of %s: %s"), a->path, strerror(-r));
		goto fail;
	}
	/* What is not a file we could use is refused before a lock file is made for it. */
	if (fstatat(f->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT || ro || !(flags & ANSWERS_CREATE)) {
			r = answers_open_error(a, errno);
			goto fail;
		}
	} else if (!S_ISREG(st.st_mode)) {
		r = answers_open_error(a, S_ISLNK(st.st_mode)   ? ELOOP
		                          : S_ISDIR(st.st_mode) ? (ro ? EINVAL : EISDIR)
		                                                : EINVAL);
		goto fail;
	}
	if (!ro && (r = answers_lock(a, f)) < 0)
		goto fail;
	if (ro)
		answers_set_readonly(a, _("opened read-only"));
	/* Under the lock no mamori replaces the file: what we open now is what we will save over. */
	for (int tries = 0;; tries++) {
		if (tries == 20) {
			answers_set_error(a, _("%s keeps changing under us; try again"), a->path);
			r = -EAGAIN;
			goto fail;
		}
		fd = openat(f->dirfd, name, (a->readonly ? O_RDONLY : O_RDWR) | common);
		if (fd < 0 && !a->readonly && (errno == EACCES || errno == EROFS || errno == EPERM)) {
			fd = openat(f->dirfd, name, O_RDONLY | common);
			if (fd >= 0) {
				answers_set_readonly(a, _("the file is not writable"));
				answers_unlock(f);
			}
		}
		if (fd < 0 && errno == ENOENT && f->lockfd >= 0 && (flags & ANSWERS_CREATE)) {
			fd = openat(f->dirfd, name, O_RDWR | O_CREAT | O_EXCL | common, 0600);
			if (fd < 0 && errno == EEXIST)
				continue;
			created = fd >= 0;
		}
		break;
	}
	if (fd < 0) {
		r = answers_open_error(a, errno);
		goto fail;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = answers_open_error(a, S_ISREG(st.st_mode) ? errno : EINVAL);
		close(fd);
		goto fail;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	a->fd = fd;
	f->fd = fd;
	if (created && fchmod(fd, 0600) < 0) {
		r = -errno;
		answers_set_error(a, _("cannot chmod %s: %s"), a->path, strerror(-r));
		goto fail;
	}
	char *buf = NULL;
	size_t len = 0;
	/* From the open fd: the name may already be another file's. */
	if ((r = util_read_fd(fd, ANSWERS_MAX_BYTES, &buf, &len)) < 0) {
		answers_set_error(a, _("cannot read %s: %s"), a->path,
		                  r == -EFBIG ? "too large for an answers file" : strerror(-r));
		goto fail;
	}
	answers_format_parse(a, buf, len);
	answers_file_record(f, &st, buf, len);
	free(buf);
	if (f->lockfd >= 0 && a->readonly)
		answers_unlock(
			f); /* a newer format: we will not write it, so let another mamori have it */
	if (f->lockfd >= 0 && faccessat(f->dirfd, ".", W_OK, AT_EACCESS) < 0 &&
	    (errno == EACCES || errno == EROFS)) {
		/* Saving renames a new file into the directory: say so now, not at the first change. */
		answers_set_readonly(a, _("its directory is not writable"));
		answers_unlock(f);
	}
	size_t at = 0;
	if (st.st_uid != geteuid())
		answers_note(a, &at, _("belongs to another user (uid %ld)%s"), (long)st.st_uid,
		             a->readonly ? "" : ": a save replaces it with a file of yours, mode 0600");
	if (f->lockfd >= 0 && (st.st_mode & 077)) {
		/* Readable by others until now: narrow it at once, not at the first change. */
		if (fchmod(fd, 0600) == 0)
			answers_note(a, &at,
			             _("was readable or writable by others (mode %04o): narrowed to 0600"),
			             (unsigned)(st.st_mode & 07777));
		else
			answers_note(
				a, &at,
				"is readable or writable by others (mode %04o) and cannot be narrowed: %s",
				(unsigned)(st.st_mode & 07777), strerror(errno));
		fstat(fd, &st);
		f->mtime = st.st_mtim; /* chmod leaves mtime alone, but keep the record exact */
	}
	answers_files =
		xgrow(answers_files, &answers_files_cap, answers_nfiles + 1, sizeof *answers_files);
	answers_files[answers_nfiles++] = f;
	if (f->lockfd >= 0) {
		safefile_clean_temps(f->dirfd, f->name);
		if (created && (r = answers_save(a)) < 0)
			return r;
	}
	return 0;
fail:
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	answers_file_free(f);
	return r;
}

int answers_open(struct answers *a, const char *path, const struct doc *d, unsigned flags)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *dir = !slash          ? xstrdup(".")
	            : slash == path ? xstrdup("/")
	                            : xstrndup(path, (size_t)(slash - path));
	/* The directory part is the user's own path (symlinks in it are followed), opened once. */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dfd < 0) {
		int e = errno;
		memset(a, 0, sizeof *a);
		a->fd = -1;
		a->doc = d;
		a->path = xstrdup(path);
		return answers_open_error(a, e);
	}
	int r = answers_openat(a, dfd, *base ? base : ".", path, d, flags);
	close(dfd);
	return r;
}

void answers_close(struct answers *a)
{
	if (!a)
		return;
	struct answers_file *f = answers_file_of(a);
	if (f)
		answers_file_forget(f);
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
	return answers_format_empty(e) ? NULL : e;
}

const struct answer *answers_find(const struct answers *a, const char *id)
{
	if (!a || !id)
		return NULL;
	long k = answers_format_index(a, id);
	if (k < 0)
		return NULL;
	const struct answer *e = &a->v[k];
	return e->raw || answers_format_empty(e) ? NULL : e;
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

/* A copy of s without leading and trailing blanks. */
static char *answers_trim(const char *s)
{
	size_t b = 0, e = strlen(s);
	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	return xstrndup(s + b, e - b);
}

/* One change to one item: what answers_set, answers_set_fields and answers_confirm do. */
struct answers_edit {
	int set_state; /* 1: state := st */
	enum answer_state st;
	const char *note, *owner, *due; /* NULL: kept; else the new value (trimmed here) */
	int stamp;                      /* 1: time := now; 0: kept (a new line gets now) */
	int need_answer;                /* 1: the item must have an answer (confirm) */
};

/* The checks every change makes before touching anything; 0 or -errno with a->error set. */
static int answers_check_change(struct answers *a, const char *id, const struct answers_edit *ed,
                                int *item)
{
	free(a->error);
	a->error = NULL;
	*item = -1;
	if (a->readonly) {
		answers_set_error(a, _("%s is open read-only (%s): the change was not made"), a->path,
		                  a->readonly_reason ? a->readonly_reason : "read-only");
		return -EROFS;
	}
	if ((unsigned)ed->st >= ANSWER_STATE_COUNT || !id || !doc_id_valid(id, strlen(id))) {
		answers_set_error(a, _("invalid item id or state"));
		return -EINVAL;
	}
	if (a->doc) {
		*item = doc_find_item(a->doc, id);
		if (*item < 0) {
			answers_set_error(a, _("no item '%s' in the content"), id);
			return -ENOENT;
		}
		if (ed->set_state && !answers_format_state_fits(ed->st, a->doc->items[*item].question)) {
			answers_set_error(a, _("'%s' does not fit %s"), answers_state_name(ed->st),
			                  a->doc->items[*item].question ? "a diagnosis question"
			                                                : "a checklist item");
			return -EINVAL;
		}
	}
	if (ed->due) {
		char *d = answers_trim(ed->due);
		const char *why = NULL;
		int bad = *d && answers_date_check(d, &why) < 0;
		free(d);
		if (bad) {
			answers_set_error(a, "%s", why);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Apply ed to id and save at once: a file changed on disk since our last
 * read or write is read again first and the change goes on top of it;
 * when saving fails the change is undone in memory too.
 */
static int answers_edit(struct answers *a, const char *id, const struct answers_edit *ed, time_t now)
{
	int item, r;
	if ((r = answers_check_change(a, id, ed, &item)) < 0)
		return r;
	struct answers_file *f = answers_file_of(a);
	int flags = 0;
	/* Someone else's edit since our last read or write is the base the change goes on. */
	if (f && (r = answers_sync_with_disk(a, f, &flags)) < 0)
		return r;
	long k = answers_format_index(a, id);
	if (ed->need_answer && (k < 0 || a->v[k].state == ANSWER_NONE)) {
		answers_set_error(a, _("'%s' has no answer to confirm"), id);
		return -ENOENT;
	}
	int added = 0;
	if (k < 0) {
		k = answers_format_push(a);
		a->v[k].id = xstrdup(id);
		a->v[k].item = item;
		a->v[k].state = ANSWER_NONE; /* its fields are filled below, from NULL */
		if (item >= 0)
			a->by_item[item] = (int)k;
		added = 1;
	}
	struct answer *e = &a->v[k];
	struct answer old = *e;
	char tbuf[32];
	answers_format_time(now, tbuf);
	if (ed->set_state)
		e->state = ed->st;
	/* Entries pushed by other code may still have NULL fields: read as "" (and "-"). */
	e->time = xstrdup(ed->stamp || added ? tbuf : old.time ? old.time : "-");
	e->note = ed->note ? answers_trim(ed->note) : xstrdup(old.note ? old.note : "");
	e->owner = ed->owner ? answers_trim(ed->owner) : xstrdup(old.owner ? old.owner : "");
	e->due = ed->due ? answers_trim(ed->due) : xstrdup(old.due ? old.due : "");
	/* A new owner or due replaces the lines of its kind kept from the file (see there). */
	e->attrs_raw = answers_format_attrs_without(old.attrs_raw, ed->owner != NULL, ed->due != NULL);
	if (answers_format_empty(e))
		e->line = 0; /* emptied here: the line goes (see answers_put) */
	int committed;
	r = answers_save_inner(a, f, &committed);
	e = &a->v[k]; /* not moved, but keep the pointer honest */
	if (r < 0 && !committed) {
		free(e->time);
		free(e->note);
		free(e->owner);
		free(e->due);
		free(e->attrs_raw);
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
	free(old.owner);
	free(old.due);
	free(old.attrs_raw);
	return r < 0 ? r : r | flags;
}

int answers_set(struct answers *a, const char *id, enum answer_state st, const char *note, time_t now)
{
	struct answers_edit ed = { .set_state = 1, .st = st, .note = note, .stamp = 1 };
	return answers_edit(a, id, &ed, now);
}

int answers_set_fields(struct answers *a, const char *id, const char *note, const char *owner,
                       const char *due, time_t now)
{
	struct answers_edit ed = { .note = note, .owner = owner, .due = due };
	return answers_edit(a, id, &ed, now);
}

int answers_confirm(struct answers *a, const char *id, time_t now)
{
	struct answers_edit ed = { .stamp = 1, .need_answer = 1 };
	return answers_edit(a, id, &ed, now);
}

int answers_unconfirmed(const struct answers *a, const struct answer *e)
{
	time_t started, t;
	if (!a || !e || !a->started || !e->id || e->raw || e->state == ANSWER_NONE ||
	    answers_time_parse(a->started, &started) < 0)
		return 0;
	/* "-" (or a time we cannot read) is older than any start. */
	return answers_time_parse(e->time, &t) < 0 || t < started;
}

size_t answers_count_unconfirmed(const struct answers *a, size_t group)
{
	if (!a || !a->doc || !a->started || group >= a->doc->ngroups)
		return 0;
	const struct group *g = &a->doc->groups[group];
	size_t n = 0;
	for (size_t i = 0; i < g->nitems; i++)
		n += (size_t)answers_unconfirmed(a, answers_find_item(a, g->items[i]));
	return n;
}

int answers_set_header(struct answers *a, const char *department, const char *respondent)
{
	if (a->readonly) {
		answers_set_error(a, _("%s is open read-only (%s): the change was not made"), a->path,
		                  a->readonly_reason ? a->readonly_reason : "read-only");
		return -EROFS;
	}
	answers_format_set_header(a, department, respondent);
	return 0;
}
