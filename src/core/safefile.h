/*
 * safefile: the first half of writing a file safely, shared by answers
 * (rename over the old file) and sessions (link under a new name): a
 * complete, synced temp file in a directory held open by the caller, the
 * directory fsync after it has its name, and removing the temp files a
 * killed writer left behind.  Everything is relative to a directory fd, so
 * a directory renamed or swapped for a symlink after it was opened cannot
 * redirect a write.  Giving the file its name, and the one-writer lock, is
 * the caller's business.  No output here.
 *
 * A live temp file is always flock'ed (LOCK_EX) by the process writing it,
 * from just after its creation until it has its name or is removed: that
 * is how safefile_clean_temps tells a live temp from a stale one without
 * trusting clocks.
 */
#ifndef MAMORI_SAFEFILE_H
#define MAMORI_SAFEFILE_H

#include <stddef.h>

/*
 * Create ".BASE.tmp.XXXXXX" in the directory dirfd (X: six of [A-Za-z0-9])
 * with O_EXCL|O_NOFOLLOW|O_CLOEXEC, mode 0600 whatever the umask, flock it
 * (LOCK_EX), write the len bytes of text and fsync it.  Returns the open fd
 * (read-write, holding the lock) with *tmp_name (the name in dirfd) malloc'd:
 * the caller gives it its name, or unlinks it (unlinkat, before closing the
 * fd), and frees *tmp_name.  On failure returns -errno with *tmp_name NULL,
 * the temp file removed and *failed_step naming what failed ("create a temp
 * file", "chmod", "write", "fsync") for a message.
 */
int safefile_temp(int dirfd, const char *base, const char *text, size_t len, char **tmp_name,
                  const char **failed_step);

/*
 * safefile_temp's first half, for a writer that streams its text: the
 * temp file created (mode 0600 whatever the umask) and flock'ed, empty.
 * Returns the fd, *tmp_name malloc'd, or -errno with *tmp_name NULL; the
 * caller writes, fsyncs, and names or unlinks it (before closing the fd).
 */
int safefile_temp_open(int dirfd, const char *base, char **tmp_name);

/*
 * fsync the directory dirfd, so a name just made in it lasts; file systems
 * that cannot do it (EINVAL, EROFS) are not an error.  Returns 0 or -errno.
 */
int safefile_sync_dir(int dirfd);

/*
 * Remove the stale temp files ".BASE.tmp.XXXXXX" in dirfd: regular files of
 * ours whose flock is free (their writer is gone).  A temp whose lock is
 * held is being written and is left alone.  Returns how many were removed.
 */
int safefile_clean_temps(int dirfd, const char *base);

#endif
