/*
 * safefile: a complete, synced, locked temp file in a directory held open,
 * a directory fsync, and the cleaner of stale temps (see safefile.h).
 * Renaming or linking the temp file into place is left to answers and
 * sessions, which do it differently.  No output here.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "core/safefile.h"
#include "core/util.h"

/* Fill buf with n random characters from [A-Za-z0-9]. */
static void safefile_random_name(char *buf, size_t n)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long counter;
	unsigned char raw[16];
	size_t got = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r = read(fd, raw, n < sizeof raw ? n : sizeof raw);
		got = r > 0 ? (size_t)r : 0;
		close(fd);
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^ ++counter;
	for (size_t i = 0; i < n; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		unsigned v = (unsigned)(x >> 33) ^ (i < got ? raw[i] : 0);
		buf[i] = set[v % (sizeof set - 1)];
	}
	buf[n] = '\0';
}

/*
 * Open a new ".BASE.tmp.XXXXXX" in dirfd, flock'ed; the fd (and *tmp, the
 * malloc'd name) or -errno.  A cleaner may have taken the lock of the new
 * name between our open and our flock and removed it: then the flock fails,
 * or the file has no name left (st_nlink 0), and we try another name.
 */
static int safefile_create(int dirfd, const char *base, char **tmp)
{
	for (int tries = 0; tries < 100; tries++) {
		char rnd[7];
		safefile_random_name(rnd, 6);
		char *p = xasprintf(".%s.tmp.%s", base, rnd);
		int fd = openat(dirfd, p, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			int e = errno;
			free(p);
			if (e != EEXIST)
				return -e;
			continue;
		}
		struct stat st;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &st) == 0 && st.st_nlink > 0) {
			*tmp = p;
			return fd;
		}
		close(fd);
		free(p);
	}
	return -EEXIST;
}

/* write(2) until all n bytes are out, through EINTR and short writes; 0 or -errno. */
static int safefile_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int safefile_temp_open(int dirfd, const char *base, char **tmp_name)
{
	*tmp_name = NULL;
	int fd = safefile_create(dirfd, base, tmp_name);
	if (fd < 0)
		return fd;
	/* The umask may have taken bits from the 0600 given to open. */
	if (fchmod(fd, 0600) < 0) {
		int r = -errno;
		unlinkat(dirfd, *tmp_name, 0);
		close(fd);
		free(*tmp_name);
		*tmp_name = NULL;
		return r;
	}
	return fd;
}

int safefile_temp(int dirfd, const char *base, const char *text, size_t len, char **tmp_name,
                  const char **failed_step)
{
	char *tmp = NULL;
	int r;
	*tmp_name = NULL;
	*failed_step = "create a temp file";
	int fd = safefile_create(dirfd, base, &tmp);
	if (fd < 0)
		return fd;
	/* The umask may have taken bits from the 0600 given to open. */
	*failed_step = "chmod";
	if (fchmod(fd, 0600) < 0) {
		r = -errno;
		goto fail;
	}
	*failed_step = "write";
	if ((r = safefile_write_all(fd, text, len)) < 0)
		goto fail;
	*failed_step = "fsync";
	if (fsync(fd) < 0) {
		r = -errno;
		goto fail;
	}
	*tmp_name = tmp;
	return fd;
fail:
	/* Unlink before close: the lock keeps a cleaner off it until it is gone. */
	unlinkat(dirfd, tmp, 0);
	close(fd);
	free(tmp);
	return r;
}

int safefile_sync_dir(int dirfd)
{
	if (fsync(dirfd) < 0 && errno != EINVAL && errno != EROFS)
		return -errno;
	return 0;
}

int safefile_clean_temps(int dirfd, const char *base)
{
	int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	DIR *dp = fdopendir(dfd);
	if (!dp) {
		close(dfd);
		return 0;
	}
	char *prefix = xasprintf(".%s.tmp.", base);
	size_t pl = strlen(prefix);
	int removed = 0;
	struct dirent *de;
	while ((de = readdir(dp)) != NULL) {
		if (strncmp(de->d_name, prefix, pl) != 0 || strlen(de->d_name) != pl + 6)
			continue;
		int fd = openat(dirfd, de->d_name,
		                O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			continue;
		struct stat st, now;
		/* Stale: ours, regular, nobody holds its lock, and the name is still this file. */
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0 &&
		    fstatat(dirfd, de->d_name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
		    now.st_dev == st.st_dev && now.st_ino == st.st_ino &&
		    unlinkat(dirfd, de->d_name, 0) == 0)
			removed++;
		close(fd); /* the lock goes with it, after the unlink */
	}
	closedir(dp);
	free(prefix);
	return removed;
}
