/*
 * safefile: the first half of writing a file safely, shared by answers
 * (rename over the old file) and sessions (link under a new name): a
 * complete, synced temp file next to where the file will go, and the
 * directory fsync after it has its name.  Giving it the name, and any
 * locking, is the caller's business.  No output here.
 */
#ifndef MAMORI_SAFEFILE_H
#define MAMORI_SAFEFILE_H

#include <stddef.h>

/*
 * Create ".BASE.tmp.XXXXXX" in dir (X: six of [A-Za-z0-9]; answers_open
 * removes stale ones by that pattern) with O_EXCL|O_NOFOLLOW|O_CLOEXEC,
 * mode 0600 whatever the umask, write the len bytes of text and fsync it.
 * Returns the open fd (write-only) with *tmp_path malloc'd (caller unlinks
 * it if the file never gets its name, and frees it), or -errno with
 * *tmp_path NULL, the temp file removed and *failed_step naming what
 * failed ("create a temp file", "chmod", "write", "fsync") for a message.
 */
int safefile_temp(const char *dir, const char *base, const char *text, size_t len, char **tmp_path,
                  const char **failed_step);

/*
 * fsync the directory dir, so a name just made in it lasts; file systems
 * that cannot do it (EINVAL, EROFS) are not an error.  Returns 0 or -errno.
 */
int safefile_sync_dir(const char *dir);

#endif
