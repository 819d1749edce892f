/*
 * safefile: a complete, synced temp file in a directory, and a directory
 * fsync (see safefile.h).  Renaming or linking the temp file into place is
 * left to answers and sessions, which do it differently.  No output here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Open a new ".BASE.tmp.XXXXXX" in dir; the fd (and *tmp, malloc'd) or -errno. */
static int safefile_create(const char *dir, const char *base, char **tmp)
{
	for (int tries = 0; tries < 100; tries++) {
		char rnd[7];
		safefile_random_name(rnd, 6);
		char *p = xasprintf("%s/.%s.tmp.%s", dir, base, rnd);
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0) {
			*tmp = p;
			return fd;
		}
		int e = errno;
		free(p);
		if (e != EEXIST)
			return -e;
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

int safefile_temp(const char *dir, const char *base, const char *text, size_t len, char **tmp_path,
                  const char **failed_step)
{
	char *tmp = NULL;
	int r;
	*tmp_path = NULL;
	*failed_step = "create a temp file";
	int fd = safefile_create(dir, base, &tmp);
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
	*tmp_path = tmp;
	return fd;
fail:
	close(fd);
	unlink(tmp);
	free(tmp);
	return r;
}

int safefile_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = 0;
	if (fsync(fd) < 0 && errno != EINVAL && errno != EROFS)
		r = -errno;
	close(fd);
	return r;
}
