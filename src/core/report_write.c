/*
 * report_write: the format names, one entry point for every format, and
 * writing a report to a file of its own, mode 0600 (see report_write.h).
 * The writers themselves are report_text.c, report_md.c, report_csv.c and
 * report_html.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/report_html.h"
#include "core/report_model.h"
#include "core/report_write.h"
#include "core/safefile.h"
#include "core/util.h"

static const char *const report_format_names[] = {
	[REPORT_TEXT] = "text",
	[REPORT_MD] = "md",
	[REPORT_HTML] = "html",
	[REPORT_CSV] = "csv",
};

/* What a file of each format is called: text as .txt, for the reader on Windows. */
static const char *const report_format_exts[] = {
	[REPORT_TEXT] = "txt",
	[REPORT_MD] = "md",
	[REPORT_HTML] = "html",
	[REPORT_CSV] = "csv",
};

const char *report_format_name(enum report_format f)
{
	return (unsigned)f <= REPORT_CSV ? report_format_names[f] : "?";
}

int report_format_parse(const char *name)
{
	for (int i = REPORT_TEXT; i <= REPORT_CSV; i++)
		if (strcmp(name, report_format_names[i]) == 0)
			return i;
	return strcmp(name, "markdown") == 0 ? REPORT_MD : -1;
}

int report_write(FILE *out, const struct report_model *m, enum report_format f,
                 const struct report_options *o)
{
	static const struct report_options none = { 0, 0 };

	if (!o)
		o = &none;
	switch (f) {
	case REPORT_TEXT:
		return report_write_text(out, m, o->width);
	case REPORT_MD:
		return report_write_md(out, m);
	case REPORT_CSV:
		return report_write_csv(out, m, o->cp932);
	case REPORT_HTML:
		return report_write_html(out, m);
	}
	return -EINVAL;
}

/* Write the report to the open fd; closes it.  Returns 0 or -errno. */
static int report_write_fd(int fd, const struct report_model *m, enum report_format f,
                           const struct report_options *o)
{
	FILE *out = fdopen(fd, "w");
	if (!out) {
		int e = errno;
		close(fd);
		return -e;
	}
	int r = report_write(out, m, f, o);
	if (r == 0 && fsync(fileno(out)) < 0 && errno != EINVAL)
		r = -errno;
	if (fclose(out) == EOF && r == 0)
		r = errno ? -errno : -EIO;
	return r;
}

int report_write_file(const char *path, const struct report_model *m, enum report_format f,
                      const struct report_options *o, int force)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd >= 0) {
		/* 0600 whatever the umask said: a report is the company's weak spots. */
		if (fchmod(fd, 0600) < 0) {
			int e = errno;
			close(fd);
			unlink(path);
			return -e;
		}
		int r = report_write_fd(fd, m, f, o);
		if (r < 0)
			unlink(path);
		return r;
	}
	if (errno != EEXIST || !force)
		return -errno;

	/* --force: only over a regular file, through a temp file renamed over it. */
	struct stat st;
	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST;
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dirfd < 0)
		return -errno;
	char *tmp = NULL;
	const char *step = NULL;
	int tfd = safefile_temp(dirfd, base, "", 0, &tmp, &step);
	if (tfd < 0) {
		close(dirfd);
		return tfd;
	}
	/* safefile_temp's fd carries the temp file's lock: write through a dup, close both. */
	int wfd = dup(tfd);
	int r = wfd < 0 ? -errno : report_write_fd(wfd, m, f, o);
	if (r == 0 && renameat(dirfd, tmp, dirfd, base) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dirfd, tmp, 0);
	else
		safefile_sync_dir(dirfd);
	close(tfd);
	close(dirfd);
	free(tmp);
	return r;
}

char *report_default_path(const char *sessions_dir, const char *session, enum report_format f)
{
	const char *ext = (unsigned)f <= REPORT_CSV ? report_format_exts[f] : "txt";
	const char *name = session && *session ? session : "report";
	size_t len = sessions_dir ? strlen(sessions_dir) : 0;

	while (len > 1 && sessions_dir[len - 1] == '/')
		len--;
	/* The parent of the sessions directory: $XDG_DATA_HOME/mamori. */
	while (len > 0 && sessions_dir[len - 1] != '/')
		len--;
	while (len > 1 && sessions_dir[len - 1] == '/')
		len--;
	if (len == 0)
		return xasprintf("report-%s.%s", name, ext);
	return xasprintf("%.*s/report-%s.%s", (int)len, sessions_dir, name, ext);
}
