/*
 * testutil: temp directories and file helpers for the core tests (see
 * testutil.h).  Test support only; not part of the program.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "testutil.h"

static char *testutil_root_dir; /* per tcase, see testutil_root_setup */

void testutil_root_setup(void)
{
	testutil_root_dir = testutil_tmpdir(NULL);
}

void testutil_root_teardown(void)
{
	testutil_rmrf(testutil_root_dir);
	free(testutil_root_dir);
	testutil_root_dir = NULL;
}

const char *testutil_root(void)
{
	return testutil_root_dir;
}

char *testutil_tmpdir(const char *parent)
{
	const char *t = parent ? parent : getenv("TMPDIR");
	char buf[4096];
	snprintf(buf, sizeof buf, "%s/mamori-test-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(buf));
	return xstrdup(buf);
}

static int testutil_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Make directories writable again first: a test may have made one read-only. */
static int testutil_open_up(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D && !S_ISLNK(st->st_mode))
		chmod(path, 0700);
	return 0;
}

void testutil_rmrf(const char *path)
{
	if (!path)
		return;
	nftw(path, testutil_open_up, 16, FTW_PHYS);
	nftw(path, testutil_rm, 16, FTW_DEPTH | FTW_PHYS);
}

char *testutil_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

char *testutil_slurp(const char *path, size_t *len)
{
	char *buf;
	size_t n;
	int r = util_read_file(path, SIZE_MAX - 1, &buf, &n);
	if (r == -ENOENT)
		return NULL;
	ck_assert_msg(r == 0, "cannot read %s: %s", path, strerror(-r));
	if (len)
		*len = n;
	return buf;
}

int testutil_write(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, buf, len);
	int e = w < 0 ? errno : 0;
	close(fd);
	if (w < 0)
		return -e;
	return (size_t)w == len ? 0 : -EIO;
}
