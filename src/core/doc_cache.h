/*
 * doc_cache: a persistent cache of the reader's index (doc_load_lazy's one
 * pass over every content file), as man-db and fontconfig keep theirs, so a
 * start with unchanged content stats the files and reads one file instead
 * of reading and indexing them all.  It is an optimisation, never an
 * error: anything wrong with it (missing, stale, foreign, truncated,
 * corrupt, not ours) means the index pass runs as without it, and the
 * cache is written again, silently.
 *
 * Where: $XDG_CACHE_HOME/mamori (XDG_CACHE_HOME absolute; else
 * $HOME/.cache/mamori), the directory ours and 0700 (one that is a symlink
 * or writable by group or others is not used), one file per content
 * directory, "index-HASH" (HASH: 16 hex digits of a hash of the
 * directory's real path), 0600, never opened through a symlink, written
 * by temp file + fsync + rename (safefile.h).  MAMORI_NO_INDEX_CACHE set
 * to anything but "" or "0" turns it off.
 *
 * Key: mamori's version and the format number, the directory's real path
 * and its name as given (paths in the index are spelt as given), and for
 * each *.txt file in load_dir's order: name, device, inode, size, mode,
 * mtime and ctime (nanoseconds).  A file modified less than
 * DOC_CACHE_RACY_SECONDS before the cache would be written is not cached
 * (a change in the same clock tick could keep its times: git's "racy
 * clean" problem); the next start indexes again.
 *
 * Only lazy loads use it, and only after doc_cache_enable(1) (main.c's
 * run_ui): --check-content, --dump, --report and the tests' eager loads
 * never read or write it.  No curses, no output.
 */
#ifndef MAMORI_DOC_CACHE_H
#define MAMORI_DOC_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/doc.h"

/* The cache file's format number: bump it when what is written changes. */
#define DOC_CACHE_FORMAT 1

/* A cache file larger than this, in bytes, is not ours. */
#define DOC_CACHE_MAX_BYTES (256u << 20)

/* Seconds a content file must be older than the cache written for it. */
#define DOC_CACHE_RACY_SECONDS 2

/* Let lazy loads (doc_load_lazy) use the cache from now on (1), or not (0, the default). */
void doc_cache_enable(int on);

/*
 * The cache directory as described above (malloc'd, caller frees), or
 * NULL when MAMORI_NO_INDEX_CACHE turns the cache off or neither
 * XDG_CACHE_HOME nor HOME is absolute.  Nothing is created.
 */
char *doc_cache_dir(void);

/* The cache file for content directory dir (malloc'd), or NULL as doc_cache_dir, or no real path. */
char *doc_cache_file(const char *dir);

/* What the cache, when enabled, did in the last lazy load (for the tests). */
enum doc_cache_status {
	DOC_CACHE_UNUSED,      /* off, eager, or nothing to key (no files, a stat failed) */
	DOC_CACHE_HIT,         /* the index came from the cache */
	DOC_CACHE_WRITTEN,     /* indexed, and the cache written */
	DOC_CACHE_NOT_WRITTEN, /* indexed; the cache could not or must not be written */
};
enum doc_cache_status doc_cache_last(void);

struct doc_cache_key;

/*
 * The key of the n files names (sorted, as load_dir reads them) in dir:
 * each is stat'ed (followed, like the reader's open), nothing is opened.
 * NULL when the cache is off or not enabled, n is 0, or a stat fails
 * (then no cache is read or written).  Free with doc_cache_key_free.
 */
struct doc_cache_key *doc_cache_key_make(const char *dir, char *const *names, size_t n);
void doc_cache_key_free(struct doc_cache_key *key);

/*
 * Fill d, as load_dir left it (zeroed, an empty d->lazy), from the cache
 * when its key is key: d is then exactly as the index pass leaves it before
 * doc_finish (run doc_finish next).  Returns 1 on a hit; 0 otherwise, d as
 * it was.  Every byte is checked: no input makes it crash or read past the
 * file.
 */
int doc_cache_load(struct doc *d, const struct doc_cache_key *key);

/*
 * Write d (the index pass just made it, doc_finish not run yet) as the
 * cache for key.  Nothing is written when d is not what the key describes
 * (a file changed while it was read) or a file is too new (see above);
 * failures are silent.
 */
void doc_cache_save(const struct doc *d, const struct doc_cache_key *key);

/*
 * The cache for key parsed from the len bytes at buf into d (zeroed, an
 * empty d->lazy); 1 when it is whole and matches key, else 0 with d as it
 * was.  On success d's ids and texts point into buf, which must stay, as
 * it is, until doc_free(d); the caller frees it after.  doc_cache_load's
 * parser, for the tests and fuzzers.
 */
int doc_cache_parse(struct doc *d, const struct doc_cache_key *key, char *buf, size_t len);

/*
 * A mapped cache file truncated in place by another program (rsync
 * --inplace restoring a smaller backup, `: > file`) makes the next read of
 * a text in it raise SIGBUS, as in any mmap reader.  Like systemd's journal
 * readers, the UI's SIGBUS handler hands the fault's address to
 * doc_cache_fault(): when it lies in a cache mapping still in use, that
 * whole mapping is replaced by zeroed memory, so its titles and texts read
 * as empty strings and the program goes on; 1 is returned and the file's
 * path is kept for doc_cache_lost().  Any other address: 0, nothing done.
 * Async-signal-safe (no malloc, no locks: one mmap call).  The ids are
 * copied off the mapping when it is read, so answers, the resume state and
 * links keep working.  A file overwritten in place at the same size is not
 * noticed: its texts were checked when read, and the screen shows any
 * control byte written since in visible form; a text whose NUL was
 * overwritten runs into the page mapped after the file's end, which faults
 * and is recovered as a truncation.
 */
int doc_cache_fault(const void *addr);

/*
 * The cache file whose mapping doc_cache_fault replaced since the last
 * call (a static string: tell the user, who should start mamori again to
 * see the texts), or NULL.
 */
const char *doc_cache_lost(void);

/* 1 once doc_cache_fault has replaced a mapping in this process (what is shown may be empty). */
int doc_cache_was_lost(void);

/* Unmap a cache file's mapping made by doc_cache_load, of a file of len bytes (doc_free's end). */
void doc_cache_unmap(void *map, size_t len);

/*
 * The checksum the header holds of the n bytes after it (for the tests
 * and fuzzers, which put it right after changing a byte to reach the
 * checks behind it).
 */
uint64_t doc_cache_checksum(const void *buf, size_t n);

#endif
