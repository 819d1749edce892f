/*
 * doc_cache: the reader's index kept between runs (see doc_cache.h): the
 * key, the file format, its writer and its checked reader.  The doc's
 * model lives in doc.c; what a lazy doc keeps of its files is shown here
 * through doc_internal.h.
 *
 * The file, all numbers little-endian:
 *   "mamoridx" u32 format u32 0 u64 checksum (of every byte after it)
 *   key: str version, str real path, str dir as given, u32 nfiles,
 *        per file: str name, u64 dev ino size mode, i64 mtime s, u32 ns, i64 ctime s, u32 ns
 *   u32 nlazy, per lazy file: u32 key file
 *   u32 nchapters, per chapter: u32 lazy file, str title, u32 first_page, u32 npages
 *   u32 npages, per page: str id, str title, u32 chapter, u32 line,
 *        span: u64 start stop, u32 lazy file, u32 first_item nitems, u8 closed
 *   u32 ngroups, per group: str id, u8 kind, str title, u32 page, u32 nitems, u32 items...
 *   u32 nitems, per item: str id, str text, u32 group (0xFFFFFFFF: none), u32 page,
 *        u8 question, u32 line
 *   u32 nexplains, per explanation: str item_id, u32 line, span as a page's
 *   u32 ndiags, per diagnostic: str file, u32 line, str msg, u8 severity
 * A str is u32 length (0xFFFFFFFF: NULL), its bytes and a NUL: a doc read
 * from the cache points at its strings in the mapped file.  File names of
 * chapters, pages, items and explanations are not stored: they are the
 * lazy file's path (dir/name), pointed at as the index pass does.  The
 * model is stored as it stands before doc_finish, which runs again on it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/doc_cache.h"
#include "core/doc_internal.h"
#include "core/safefile.h"
#include "core/sessions.h"
#include "core/util.h"

#define CACHE_MAGIC "mamoridx"
#define CACHE_HEADER 24 /* magic, format, 0, checksum */
#define STR_NULL 0xFFFFFFFFu

struct key_file {
	char *name;
	struct stat st;
};

struct doc_cache_key {
	char *dir;  /* as given: the index's paths are dir/name */
	char *real; /* realpath(dir) */
	struct key_file *files;
	size_t nfiles;
};

static int cache_enabled;
static enum doc_cache_status cache_last;

/*
 * The cache files mapped now, for doc_cache_fault, which runs in a signal
 * handler: fixed slots, written before a mapping is used and cleared
 * before it is unmapped.  A process maps one (the reader's doc); the
 * tests a few at most.
 */
#define CACHE_MAPS 8
static struct {
	char *volatile at;
	volatile size_t len;
	char path[PATH_MAX];
} cache_maps[CACHE_MAPS];
static volatile sig_atomic_t cache_lost_slot = -1, cache_ever_lost;
static char cache_lost_path[PATH_MAX];

static void maps_add(char *at, size_t len, const char *path)
{
	for (size_t i = 0; i < CACHE_MAPS; i++)
		if (!cache_maps[i].at) {
			snprintf(cache_maps[i].path, sizeof cache_maps[i].path, "%s", path);
			cache_maps[i].len = len;
			cache_maps[i].at = at;
			return;
		}
	/* No slot: the mapping is used unguarded, as before this existed. */
}

int doc_cache_fault(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	for (int i = 0; i < CACHE_MAPS; i++) {
		char *at = cache_maps[i].at;
		size_t len = cache_maps[i].len;
		if (!at || a < (uintptr_t)at || a - (uintptr_t)at >= len)
			continue;
		/* Zeroes where the file was, at the same address: the texts read as "". */
		if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		         0) == MAP_FAILED)
			return 0;
		cache_lost_slot = i;
		cache_ever_lost = 1;
		return 1;
	}
	return 0;
}

const char *doc_cache_lost(void)
{
	int i = cache_lost_slot;

	if (i < 0)
		return NULL;
	cache_lost_slot = -1;
	memcpy(cache_lost_path, cache_maps[i].path, sizeof cache_lost_path);
	return cache_lost_path;
}

/*
 * A cache file of len bytes is mapped with at least one whole page after
 * its end: a text whose NUL another program overwrote (in place, at the
 * same size) runs on into that page, which faults like a truncated file
 * and is recovered the same way, where it would read past the mapping.
 */
static size_t mapped_len(size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	return (len / page + 2) * page;
}

int doc_cache_was_lost(void)
{
	return cache_ever_lost;
}

void doc_cache_unmap(void *map, size_t len)
{
	for (int i = 0; i < CACHE_MAPS; i++)
		if (cache_maps[i].at == map) {
			cache_maps[i].at = NULL;
			if (cache_lost_slot == i)
				cache_lost_slot = -1;
		}
	munmap(map, mapped_len(len));
}

void doc_cache_enable(int on)
{
	cache_enabled = on;
}

enum doc_cache_status doc_cache_last(void)
{
	return cache_last;
}

char *doc_cache_dir(void)
{
	const char *off = getenv("MAMORI_NO_INDEX_CACHE");
	if (off && *off && strcmp(off, "0") != 0)
		return NULL;
	/* The XDG spec says relative paths are invalid and must be ignored. */
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && x[0] == '/')
		return xasprintf("%s%smamori", x, x[strlen(x) - 1] == '/' ? "" : "/");
	const char *home = getenv("HOME");
	if (!home || home[0] != '/')
		return NULL;
	return xasprintf("%s%s.cache/mamori", home, home[strlen(home) - 1] == '/' ? "" : "/");
}

/* FNV-1a, 64 bits: the file's name from the real path (a collision only misses, the path is in the key). */
static uint64_t cache_name_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static char *cache_base_name(const char *real)
{
	return xasprintf("index-%016llx", (unsigned long long)cache_name_hash(real));
}

char *doc_cache_file(const char *dir)
{
	char *cdir = doc_cache_dir(), *real = cdir ? realpath(dir, NULL) : NULL;
	if (!real) {
		free(cdir);
		return NULL;
	}
	char *base = cache_base_name(real);
	char *path = xasprintf("%s/%s", cdir, base);
	free(base);
	free(real);
	free(cdir);
	return path;
}

/*
 * The checksum of the body: 8 bytes a step, each mixed in by a
 * multiplication (a bijection, so one flipped bit always changes the
 * result), then the bytes left over and the length.  Catches a file
 * damaged on disk, which no bounds check would (a title's letter).  In
 * three parts so the writer can sum what it streams out.
 */
#define SUM_SEED 0x6d616d6f72696478u

static uint64_t sum_words(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15u;
		h ^= h >> 29;
	}
	return h;
}

static uint64_t sum_end(uint64_t h, const unsigned char *tail, size_t ntail, size_t total)
{
	for (size_t i = 0; i < ntail; i++) {
		h = (h ^ tail[i]) * 0x100000001B3u;
		h ^= h >> 29;
	}
	h = (h ^ total) * 0x9E3779B97F4A7C15u;
	return h ^ h >> 32;
}

uint64_t doc_cache_checksum(const void *buf, size_t n)
{
	const unsigned char *p = buf;
	size_t words = n & ~(size_t)7;
	return sum_end(sum_words(SUM_SEED, p, words), p + words, n - words, n);
}

void doc_cache_key_free(struct doc_cache_key *key)
{
	if (!key)
		return;
	for (size_t i = 0; i < key->nfiles; i++)
		free(key->files[i].name);
	free(key->files);
	free(key->dir);
	free(key->real);
	free(key);
}

struct doc_cache_key *doc_cache_key_make(const char *dir, char *const *names, size_t n)
{
	cache_last = DOC_CACHE_UNUSED;
	if (!cache_enabled || n == 0)
		return NULL;
	char *cdir = doc_cache_dir();
	if (!cdir)
		return NULL;
	free(cdir);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return NULL;
	struct doc_cache_key *key = xcalloc(1, sizeof *key);
	key->dir = xstrdup(dir);
	key->real = realpath(dir, NULL);
	key->files = xcalloc(n, sizeof *key->files);
	for (size_t i = 0; i < n && key->real; i++) {
		/* Followed, as the reader's open follows a symlink to a content file. */
		if (fstatat(dfd, names[i], &key->files[i].st, 0) < 0)
			break;
		key->files[i].name = xstrdup(names[i]);
		key->nfiles++;
	}
	close(dfd);
	if (!key->real || key->nfiles != n) {
		doc_cache_key_free(key);
		return NULL;
	}
	return key;
}

/* ---- writing ---- */

/*
 * The cache is streamed to its temp file through a small buffer: built
 * whole in memory it would be 2 MB at 100x content, each new page of it a
 * fault (about 11 us on this kind of VM).  Flushed in whole words from the
 * file's start, so the body (from byte 24, a multiple of 8) is summed as
 * doc_cache_checksum sums it.
 */
#define WR_CHUNK 65536

struct wr {
	int fd;
	int err;          /* a write failed: the file is dropped */
	unsigned char *b; /* WR_CHUNK bytes */
	size_t len;       /* bytes in b */
	size_t off;       /* bytes of the file written before b */
	uint64_t sum;     /* of the body's words written so far */
};

/* Write out b's whole words, summing those of the body; keep the rest (fewer than 8 bytes). */
static void wr_flush(struct wr *w)
{
	size_t n = w->len & ~(size_t)7, skip = w->off < CACHE_HEADER ? CACHE_HEADER - w->off : 0;
	if (skip > n)
		skip = n;
	w->sum = sum_words(w->sum, w->b + skip, n - skip);
	for (size_t done = 0; done < n && !w->err;) {
		ssize_t r = write(w->fd, w->b + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			w->err = 1;
		else
			done += (size_t)r;
	}
	memmove(w->b, w->b + n, w->len - n);
	w->len -= n;
	w->off += n;
}

static void put_bytes(struct wr *w, const void *p, size_t n)
{
	const unsigned char *s = p;
	while (n > 0) {
		if (w->len == WR_CHUNK)
			wr_flush(w);
		size_t k = WR_CHUNK - w->len < n ? WR_CHUNK - w->len : n;
		memcpy(w->b + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
}

static void put_u32(struct wr *w, uint32_t v)
{
	if (WR_CHUNK - w->len < 4)
		wr_flush(w);
	unsigned char *c = w->b + w->len;
	c[0] = (unsigned char)v;
	c[1] = (unsigned char)(v >> 8);
	c[2] = (unsigned char)(v >> 16);
	c[3] = (unsigned char)(v >> 24);
	w->len += 4;
}

static void put_u64(struct wr *w, uint64_t v)
{
	put_u32(w, (uint32_t)v);
	put_u32(w, (uint32_t)(v >> 32));
}

static void put_u8(struct wr *w, unsigned v)
{
	if (w->len == WR_CHUNK)
		wr_flush(w);
	w->b[w->len++] = (unsigned char)v;
}

static void put_str(struct wr *w, const char *s)
{
	if (!s) {
		put_u32(w, STR_NULL);
		return;
	}
	size_t n = strlen(s);
	put_u32(w, (uint32_t)n);
	put_bytes(w, s, n + 1); /* with its NUL: the doc points at it in place */
}

/* The last bytes out, the checksum into the header: 0, or -1 when a write failed. */
static int wr_finish(struct wr *w)
{
	wr_flush(w);
	size_t total = w->off + w->len;
	uint64_t sum = sum_end(w->sum, w->b, w->len, total - CACHE_HEADER);
	unsigned char s[8];
	for (int i = 0; i < 8; i++)
		s[i] = (unsigned char)(sum >> (8 * i));
	if (w->len && write(w->fd, w->b, w->len) != (ssize_t)w->len)
		w->err = 1;
	if (pwrite(w->fd, s, 8, 16) != 8)
		w->err = 1;
	return w->err ? -1 : 0;
}

static void put_span(struct wr *b, const struct lazy_span *sp)
{
	put_u64(b, sp->start);
	put_u64(b, sp->stop);
	put_u32(b, (uint32_t)sp->file);
	put_u32(b, (uint32_t)sp->first_item);
	put_u32(b, (uint32_t)sp->nitems);
	put_u8(b, sp->closed ? 1 : 0);
}

static void put_key(struct wr *b, const struct doc_cache_key *key)
{
	put_str(b, PACKAGE_VERSION);
	put_str(b, key->real);
	put_str(b, key->dir);
	put_u32(b, (uint32_t)key->nfiles);
	for (size_t i = 0; i < key->nfiles; i++) {
		const struct stat *st = &key->files[i].st;
		put_str(b, key->files[i].name);
		put_u64(b, (uint64_t)st->st_dev);
		put_u64(b, (uint64_t)st->st_ino);
		put_u64(b, (uint64_t)st->st_size);
		put_u64(b, (uint64_t)st->st_mode);
		put_u64(b, (uint64_t)st->st_mtim.tv_sec);
		put_u32(b, (uint32_t)st->st_mtim.tv_nsec);
		put_u64(b, (uint64_t)st->st_ctim.tv_sec);
		put_u32(b, (uint32_t)st->st_ctim.tv_nsec);
	}
}

/* dir/name as load_dir joins it. */
static char *key_path(const struct doc_cache_key *key, size_t i)
{
	/* Joined by hand, as load_dir does: a printf per file shows at 1,000 files. */
	size_t dl = strlen(key->dir), nl = strlen(key->files[i].name);
	char *p = xmalloc(dl + nl + 2);
	memcpy(p, key->dir, dl);
	p[dl] = '/';
	memcpy(p + dl + 1, key->files[i].name, nl + 1);
	return p;
}

/*
 * Which key file each lazy file is, and which lazy file each chapter
 * reads, or -1 when d is not what the key
 * says: a file that changed between the key's stat and its read, or a
 * model the format cannot spell (a page's file that is not its chapter's,
 * diagnostics out of order): then nothing is written.
 */
static int save_check(const struct doc *d, const struct doc_cache_key *key, uint32_t *which,
                      uint32_t *chapter_file)
{
	const struct doc_lazy *lz = d->lazy;
	size_t k = 0;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);

	for (size_t i = 0; i < key->nfiles; i++)
		if (key->files[i].st.st_mtim.tv_sec > now.tv_sec - DOC_CACHE_RACY_SECONDS)
			return -1; /* too new: a change in the same clock tick could keep its times */
	for (size_t i = 0; i < lz->nfiles; i++) {
		const struct lazy_file *f = &lz->files[i];
		int found = 0;
		for (; k < key->nfiles && !found; k++) {
			char *p = key_path(key, k);
			found = strcmp(p, f->path) == 0;
			free(p);
		}
		if (!found)
			return -1;
		const struct stat *st = &key->files[k - 1].st;
		if (st->st_dev != f->dev || st->st_ino != f->ino || st->st_size != f->size ||
		    st->st_mtim.tv_sec != f->mtime.tv_sec || st->st_mtim.tv_nsec != f->mtime.tv_nsec)
			return -1;
		which[i] = (uint32_t)(k - 1);
	}
	if (lz->npages != d->npages || lz->nexplains != d->nexplains || lz->ndiags || lz->mute)
		return -1;
	for (size_t i = 0; i < d->npages; i++)
		if (d->pages[i].chapter < 0 || (size_t)d->pages[i].chapter >= d->nchapters ||
		    d->pages[i].file != d->chapters[d->pages[i].chapter].file || d->pages[i].blocks)
			return -1;
	for (size_t i = 0; i < d->nitems; i++)
		if (d->items[i].page < 0 || (size_t)d->items[i].page >= d->npages ||
		    d->items[i].file != d->pages[d->items[i].page].file)
			return -1;
	for (size_t i = 0; i < d->nexplains; i++)
		if (lz->explains[i].file >= lz->nfiles ||
		    strcmp(d->explains[i].file, lz->files[lz->explains[i].file].path) != 0 ||
		    d->explains[i].blocks)
			return -1;
	for (size_t i = 0; i < d->ndiags; i++)
		if (d->diags[i].seq != i)
			return -1;
	/* Chapters are in file order: the search goes on from the last one found. */
	for (size_t c = 0, f = 0; c < d->nchapters; c++) {
		while (f < lz->nfiles && strcmp(lz->files[f].path, d->chapters[c].file) != 0)
			f++;
		if (f == lz->nfiles)
			return -1;
		chapter_file[c] = (uint32_t)f;
	}
	return 0;
}

/* d as the cache for key, into b (save_check passed, its answers in which and chapter_file). */
static void cache_format(const struct doc *d, const struct doc_cache_key *key, struct wr *b,
                         const uint32_t *which, const uint32_t *chapter_file)
{
	const struct doc_lazy *lz = d->lazy;
	put_bytes(b, CACHE_MAGIC, 8);
	put_u32(b, DOC_CACHE_FORMAT);
	put_u32(b, 0);
	put_u64(b, 0); /* the checksum, filled in at the end */
	put_key(b, key);
	put_u32(b, (uint32_t)lz->nfiles);
	for (size_t i = 0; i < lz->nfiles; i++)
		put_u32(b, which[i]);
	put_u32(b, (uint32_t)d->nchapters);
	for (size_t c = 0; c < d->nchapters; c++) {
		put_u32(b, chapter_file[c]);
		put_str(b, d->chapters[c].title);
		put_u32(b, (uint32_t)d->chapters[c].first_page);
		put_u32(b, (uint32_t)d->chapters[c].npages);
	}
	put_u32(b, (uint32_t)d->npages);
	for (size_t i = 0; i < d->npages; i++) {
		const struct page *pg = &d->pages[i];
		put_str(b, pg->id);
		put_str(b, pg->title);
		put_u32(b, (uint32_t)pg->chapter);
		put_u32(b, (uint32_t)pg->line);
		put_span(b, &lz->pages[i]);
	}
	put_u32(b, (uint32_t)d->ngroups);
	for (size_t i = 0; i < d->ngroups; i++) {
		const struct group *g = &d->groups[i];
		put_str(b, g->id);
		put_u8(b, (unsigned)g->kind);
		put_str(b, g->title);
		put_u32(b, (uint32_t)g->page);
		put_u32(b, (uint32_t)g->nitems);
		for (size_t k = 0; k < g->nitems; k++)
			put_u32(b, (uint32_t)g->items[k]);
	}
	put_u32(b, (uint32_t)d->nitems);
	for (size_t i = 0; i < d->nitems; i++) {
		const struct item *it = &d->items[i];
		put_str(b, it->id);
		put_str(b, it->text);
		put_u32(b, (uint32_t)it->group);
		put_u32(b, (uint32_t)it->page);
		put_u8(b, it->question ? 1 : 0);
		put_u32(b, (uint32_t)it->line);
	}
	put_u32(b, (uint32_t)d->nexplains);
	for (size_t i = 0; i < d->nexplains; i++) {
		put_str(b, d->explains[i].item_id);
		put_u32(b, (uint32_t)d->explains[i].line);
		put_span(b, &lz->explains[i]);
	}
	put_u32(b, (uint32_t)d->ndiags);
	for (size_t i = 0; i < d->ndiags; i++) {
		put_str(b, d->diags[i].file);
		put_u32(b, (uint32_t)d->diags[i].line);
		put_str(b, d->diags[i].msg);
		put_u8(b, (unsigned)d->diags[i].severity);
	}
}

/*
 * The cache directory, opened as sessions_open_dir opens the sessions
 * directory (its last component never through a symlink, ours), and not
 * writable by group or others; made 0700 when create and missing.
 * Returns the fd or -1.
 */
static int cache_open_dir(const char *cdir, int create)
{
	int fd = sessions_open_dir(cdir, 0, NULL);
	if (fd == -ENOENT && create)
		fd = sessions_open_dir(cdir, 1, NULL);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022)) {
		close(fd);
		return -1;
	}
	return fd;
}

void doc_cache_save(const struct doc *d, const struct doc_cache_key *key)
{
	cache_last = DOC_CACHE_NOT_WRITTEN;
	if (!key || !d->lazy)
		return;
	char *cdir = doc_cache_dir();
	uint32_t *which = xcalloc(d->lazy->nfiles + 1, sizeof *which);
	uint32_t *chapter_file = xcalloc(d->nchapters + 1, sizeof *chapter_file);
	int dfd = -1;
	if (cdir && save_check(d, key, which, chapter_file) == 0)
		dfd = cache_open_dir(cdir, 1);
	free(cdir);
	if (dfd >= 0) {
		char *base = cache_base_name(key->real), *tmp = NULL;
		safefile_clean_temps(dfd, base);
		struct wr w = { .fd = safefile_temp_open(dfd, base, &tmp) };
		if (w.fd >= 0) {
			w.b = xmalloc(WR_CHUNK);
			w.sum = SUM_SEED;
			cache_format(d, key, &w, which, chapter_file);
			/* rename replaces whatever has the name, a symlink included, and never follows it. */
			if (wr_finish(&w) == 0 && fsync(w.fd) == 0 && renameat(dfd, tmp, dfd, base) == 0) {
				safefile_sync_dir(dfd);
				cache_last = DOC_CACHE_WRITTEN;
			} else {
				unlinkat(dfd, tmp, 0);
			}
			close(w.fd);
			free(w.b);
		}
		free(tmp);
		free(base);
		close(dfd);
	}
	free(which);
	free(chapter_file);
}

/* ---- reading: every length and index checked, the first problem ends it ---- */

struct rd {
	unsigned char *p, *end;
	int bad;
};

static uint32_t get_u32(struct rd *r)
{
	if (r->bad || r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	const unsigned char *p = r->p;
	r->p += 4;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t lo = get_u32(r);
	return lo | (uint64_t)get_u32(r) << 32;
}

static unsigned get_u8(struct rd *r)
{
	if (r->bad || r->p == r->end) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

/* A count of elements of at least min_size bytes each: no more than the bytes left can hold. */
static size_t get_count(struct rd *r, size_t min_size)
{
	uint32_t n = get_u32(r);
	if (!r->bad && n > (size_t)(r->end - r->p) / min_size)
		r->bad = 1;
	return r->bad ? 0 : n;
}

/* An int that indexes something of n elements (or -1 when allow_none): anything else is bad. */
static int get_index(struct rd *r, size_t n, int allow_none)
{
	uint32_t v = get_u32(r);
	if (allow_none && v == 0xFFFFFFFFu)
		return -1;
	if (v >= n || v > INT_MAX)
		r->bad = 1;
	return r->bad ? 0 : (int)v;
}

/* A line number: 0 to INT_MAX. */
static int get_line(struct rd *r)
{
	uint32_t v = get_u32(r);
	if (v > INT_MAX)
		r->bad = 1;
	return r->bad ? 0 : (int)v;
}

/* A string in the buffer, *n bytes and its NUL; NULL for a stored NULL or when bad. */
static char *get_raw(struct rd *r, size_t *n, int *is_null)
{
	uint32_t len = get_u32(r);
	*n = 0;
	*is_null = !r->bad && len == STR_NULL;
	if (r->bad || *is_null)
		return NULL;
	if (len >= (size_t)(r->end - r->p) || r->p[len] != '\0') {
		r->bad = 1;
		return NULL;
	}
	char *s = (char *)r->p;
	r->p += len + 1;
	*n = len;
	return s;
}

/*
 * 1 when s could be sanitised text (text_sanitize's output): valid UTF-8
 * (no overlong form, surrogate or code point past U+10FFFF) with no C0
 * control (a tab is spaces by then), no DEL and no C1 control (U+0080..
 * U+009F, C2 80..C2 9F).  By hand, one pass: the cache's texts are most of
 * its bytes, and a decode per character cost more than reading them.
 */
static int text_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		/*
		 * Japanese two characters a step: two leads E1..EC or EE..EF (no
		 * special case) and their continuation bytes.  Eight bytes are
		 * read for six: the string's NUL (get_raw checked it) is the
		 * eighth at worst.  The masks are little-endian.
		 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (e - p >= 7) {
			uint64_t w;
			memcpy(&w, p, 8);
			if ((w & 0xC0C0F0C0C0F0u) != 0x8080E08080E0u || p[0] == 0xE0 || p[0] == 0xED ||
			    p[3] == 0xE0 || p[3] == 0xED)
				break;
			p += 6;
		}
		if (p == e)
			break;
#endif
		unsigned c = *p;
		/* E1..EC and EE..EF lead three bytes with no special case. */
		if (c - 0xE1u < 15u && c != 0xED) {
			if (e - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
				return 0;
			p += 3;
			continue;
		}
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7F)
				return 0;
			p++;
		} else if (c < 0xC2) {
			return 0; /* a continuation byte, or an overlong lead */
		} else if (c < 0xE0) {
			if (e - p < 2 || (p[1] & 0xC0) != 0x80 || (c == 0xC2 && p[1] < 0xA0))
				return 0;
			p += 2;
		} else if (c < 0xF0) {
			if (e - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
			    (c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
				return 0;
			p += 3;
		} else if (c < 0xF5) {
			if (e - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
			    (p[3] & 0xC0) != 0x80 || (c == 0xF0 && p[1] < 0x90) ||
			    (c == 0xF4 && p[1] >= 0x90))
				return 0;
			p += 4;
		} else {
			return 0;
		}
	}
	return 1;
}

enum str_rule {
	STR_TEXT, /* sanitised text, never NULL */
	STR_TEXT_OR_NULL,
	STR_ID, /* doc_id_valid, never NULL */
	STR_ID_OR_NULL,
};

/*
 * The next string, checked, where it stands in the buffer (NULL for a
 * stored NULL where allowed): the doc points into the cache, no copy.
 */
static char *get_str(struct rd *r, enum str_rule rule)
{
	size_t n;
	int is_null;
	char *s = get_raw(r, &n, &is_null);
	if (r->bad)
		return NULL;
	if (is_null) {
		if (rule != STR_TEXT_OR_NULL && rule != STR_ID_OR_NULL)
			r->bad = 1;
		return NULL;
	}
	int ok = rule == STR_ID || rule == STR_ID_OR_NULL ? doc_id_valid(s, n) : text_ok(s, n);
	if (!ok) {
		r->bad = 1;
		return NULL;
	}
	return s;
}

/* 1 when the next string is exactly want. */
static int get_same(struct rd *r, const char *want)
{
	size_t n;
	int is_null;
	const char *s = get_raw(r, &n, &is_null);
	if (r->bad || is_null || n != strlen(want) || memcmp(s, want, n) != 0)
		r->bad = 1;
	return !r->bad;
}

static void get_span(struct rd *r, struct lazy_span *sp, size_t nfiles, size_t nitems)
{
	uint64_t start = get_u64(r), stop = get_u64(r);
	memset(sp, 0, sizeof *sp);
	sp->file = (size_t)get_index(r, nfiles, 0);
	uint32_t first = get_u32(r), n = get_u32(r);
	unsigned closed = get_u8(r);
	if (r->bad || start > stop || stop > SIZE_MAX || first > nitems || n > nitems - first ||
	    closed > 1) {
		r->bad = 1;
		return;
	}
	sp->start = (size_t)start;
	sp->stop = (size_t)stop;
	sp->first_item = first;
	sp->nitems = n;
	sp->closed = (int)closed;
}

/* The key part: 1 when it is key, byte for byte. */
static int get_key(struct rd *r, const struct doc_cache_key *key)
{
	if (!get_same(r, PACKAGE_VERSION) || !get_same(r, key->real) || !get_same(r, key->dir))
		return 0;
	if (get_u32(r) != key->nfiles || r->bad)
		return 0;
	for (size_t i = 0; i < key->nfiles; i++) {
		const struct stat *st = &key->files[i].st;
		if (!get_same(r, key->files[i].name))
			return 0;
		int same = get_u64(r) == (uint64_t)st->st_dev;
		same &= get_u64(r) == (uint64_t)st->st_ino;
		same &= get_u64(r) == (uint64_t)st->st_size;
		same &= get_u64(r) == (uint64_t)st->st_mode;
		same &= get_u64(r) == (uint64_t)st->st_mtim.tv_sec;
		same &= get_u32(r) == (uint32_t)st->st_mtim.tv_nsec;
		same &= get_u64(r) == (uint64_t)st->st_ctim.tv_sec;
		same &= get_u32(r) == (uint32_t)st->st_ctim.tv_nsec;
		if (!same || r->bad)
			return 0;
	}
	return 1;
}

/* Everything after the key into t (zeroed, with an empty lazy); 0 at the first inconsistency. */
static int get_index_part(struct rd *r, struct doc *t, const struct doc_cache_key *key)
{
	struct doc_lazy *lz = t->lazy;

	size_t n = get_count(r, 4);
	lz->files = xcalloc(n + 1, sizeof *lz->files);
	lz->cap_files = n + 1;
	for (int i = 0, prev = -1; (size_t)i < n; i++) {
		int k = get_index(r, key->nfiles, 0);
		/* In key order, each file once: load_dir reads them so. */
		if (r->bad || k <= prev)
			return 0;
		prev = k;
		const struct stat *st = &key->files[k].st;
		struct lazy_file *f = &lz->files[i];
		f->path = key_path(key, (size_t)k);
		f->dev = st->st_dev;
		f->ino = st->st_ino;
		f->size = st->st_size;
		f->mtime = st->st_mtim;
		lz->nfiles++;
	}
	n = get_count(r, 16);
	t->chapters = xcalloc(n + 1, sizeof *t->chapters);
	t->cap_chapters = n + 1;
	for (size_t i = 0; i < n; i++) {
		int f = get_index(r, lz->nfiles, 0);
		char *title = get_str(r, STR_TEXT_OR_NULL);
		uint32_t first = get_u32(r), np = get_u32(r);
		if (r->bad)
			return 0;
		struct chapter *c = &t->chapters[t->nchapters++];
		c->title = title;
		c->file = xstrdup(lz->files[f].path);
		/* Checked against the pages below. */
		if (first > INT_MAX || np > INT_MAX)
			return 0;
		c->first_page = (int)first;
		c->npages = np;
	}
	n = get_count(r, 41);
	t->pages = xcalloc(n + 1, sizeof *t->pages);
	lz->pages = xcalloc(n + 1, sizeof *lz->pages);
	t->cap_pages = lz->cap_pages = n + 1;
	for (size_t i = 0; i < n; i++) {
		struct page *pg = &t->pages[i];
		pg->id = get_str(r, STR_TEXT);
		pg->title = get_str(r, STR_TEXT);
		if (r->bad)
			return 0;
		t->npages++;
		pg->chapter = get_index(r, t->nchapters, 0);
		pg->line = get_line(r);
		get_span(r, &lz->pages[i], lz->nfiles, SIZE_MAX);
		if (r->bad)
			return 0;
		lz->npages++;
		pg->file = t->chapters[pg->chapter].file;
		/* A page's body is in its chapter's file, within it. */
		const struct lazy_file *f = &lz->files[lz->pages[i].file];
		if (strcmp(f->path, pg->file) != 0 || pg->line < 1 ||
		    lz->pages[i].stop > (uint64_t)f->size)
			return 0;
	}
	/* Each chapter's pages are exactly those that name it, in a row. */
	for (size_t c = 0, next = 0; c < t->nchapters; c++) {
		const struct chapter *ch = &t->chapters[c];
		if ((size_t)ch->first_page != next || ch->npages > t->npages - next)
			return 0;
		for (size_t k = 0; k < ch->npages; k++)
			if (t->pages[ch->first_page + (int)k].chapter != (int)c)
				return 0;
		next += ch->npages;
		if (c + 1 == t->nchapters && next != t->npages)
			return 0;
	}
	if (t->nchapters == 0 && t->npages)
		return 0;
	n = get_count(r, 17);
	t->groups = xcalloc(n + 1, sizeof *t->groups);
	t->cap_groups = n + 1;
	for (size_t i = 0; i < n; i++) {
		struct group *g = &t->groups[i];
		g->id = get_str(r, STR_ID);
		unsigned kind = get_u8(r);
		g->title = get_str(r, STR_TEXT);
		t->ngroups++;
		g->page = get_index(r, t->npages, 0);
		size_t ni = get_count(r, 4);
		if (r->bad || kind >= GROUP_KIND_COUNT)
			return 0;
		g->kind = (enum group_kind)kind;
		g->items = xcalloc(ni + 1, sizeof *g->items);
		g->cap_items = ni + 1;
		for (size_t k = 0; k < ni; k++) {
			g->items[k] = get_u32(r);
			/* In content order: each after the one before (checked against items below). */
			if (r->bad || (k > 0 && g->items[k] <= g->items[k - 1]))
				return 0;
		}
		g->nitems = ni;
	}
	n = get_count(r, 21);
	t->items = xcalloc(n + 1, sizeof *t->items);
	t->cap_items = n + 1;
	for (size_t i = 0; i < n; i++) {
		struct item *it = &t->items[i];
		it->id = get_str(r, STR_ID);
		it->text = get_str(r, STR_TEXT_OR_NULL);
		if (r->bad)
			return 0;
		t->nitems++;
		it->group = get_index(r, t->ngroups, 1);
		it->page = get_index(r, t->npages, 0);
		unsigned q = get_u8(r);
		it->line = get_line(r);
		it->explain = -1;
		if (r->bad || q != (it->group >= 0 && t->groups[it->group].kind == GROUP_DIAGNOSIS))
			return 0;
		it->question = (int)q;
		it->file = t->pages[it->page].file;
	}
	/* Every item in its page's span and its group's list, once. */
	size_t spanned = 0;
	for (size_t i = 0; i < t->npages; i++) {
		const struct lazy_span *sp = &lz->pages[i];
		if (sp->first_item != spanned || sp->nitems > t->nitems - spanned)
			return 0;
		for (size_t k = sp->first_item; k < sp->first_item + sp->nitems; k++)
			if (t->items[k].page != (int)i)
				return 0;
		spanned += sp->nitems;
	}
	if (spanned != t->nitems)
		return 0;
	size_t in_groups = 0;
	for (size_t g = 0; g < t->ngroups; g++)
		for (size_t k = 0; k < t->groups[g].nitems; k++, in_groups++)
			if (t->groups[g].items[k] >= t->nitems ||
			    t->items[t->groups[g].items[k]].group != (int)g)
				return 0;
	size_t grouped = 0;
	for (size_t i = 0; i < t->nitems; i++)
		grouped += t->items[i].group >= 0;
	if (grouped != in_groups)
		return 0;
	n = get_count(r, 41);
	t->explains = xcalloc(n + 1, sizeof *t->explains);
	lz->explains = xcalloc(n + 1, sizeof *lz->explains);
	t->cap_explains = lz->cap_explains = n + 1;
	for (size_t i = 0; i < n; i++) {
		struct explain *e = &t->explains[i];
		e->item_id = get_str(r, STR_ID_OR_NULL);
		e->item = -1;
		if (r->bad)
			return 0;
		t->nexplains++;
		e->line = get_line(r);
		get_span(r, &lz->explains[i], lz->nfiles, 0);
		if (r->bad || e->line < 1 ||
		    lz->explains[i].stop > (uint64_t)lz->files[lz->explains[i].file].size)
			return 0;
		lz->nexplains++;
		e->file = xstrdup(lz->files[lz->explains[i].file].path);
	}
	n = get_count(r, 13);
	t->diags = xcalloc(n + 1, sizeof *t->diags);
	t->cap_diags = n + 1;
	for (size_t i = 0; i < n; i++) {
		struct doc_diag *g = &t->diags[i];
		g->file = get_str(r, STR_TEXT);
		g->line = get_line(r);
		g->msg = get_str(r, STR_TEXT);
		unsigned sev = get_u8(r);
		if (r->bad || sev > DOC_WARNING)
			return 0;
		g->severity = (enum doc_severity)sev;
		g->seq = i;
		t->ndiags++;
		t->nerrors += sev == DOC_ERROR;
	}
	return !r->bad && r->p == r->end;
}

/*
 * The ids copied off the mapping into t's own string blocks: they are what
 * the answers file, the resume state and links name, so they must not turn
 * into "" should the file be truncated under us (doc_cache_fault).  The
 * titles and texts stay mapped: most of the bytes, only shown.
 */
static void ids_off_the_map(struct doc *t)
{
	for (size_t i = 0; i < t->npages; i++)
		t->pages[i].id = doc_strndup(t, t->pages[i].id, strlen(t->pages[i].id));
	for (size_t i = 0; i < t->ngroups; i++)
		t->groups[i].id = doc_strndup(t, t->groups[i].id, strlen(t->groups[i].id));
	for (size_t i = 0; i < t->nitems; i++)
		t->items[i].id = doc_strndup(t, t->items[i].id, strlen(t->items[i].id));
	for (size_t i = 0; i < t->nexplains; i++)
		if (t->explains[i].item_id)
			t->explains[i].item_id =
				doc_strndup(t, t->explains[i].item_id, strlen(t->explains[i].item_id));
}

int doc_cache_parse(struct doc *d, const struct doc_cache_key *key, char *buf, size_t len)
{
	unsigned char *u = (unsigned char *)buf;
	if (!key || len < CACHE_HEADER || memcmp(buf, CACHE_MAGIC, 8) != 0)
		return 0;
	struct rd r = { u + 8, u + len, 0 };
	uint32_t format = get_u32(&r), zero = get_u32(&r);
	uint64_t sum = get_u64(&r);
	if (format != DOC_CACHE_FORMAT || zero != 0 ||
	    sum != doc_cache_checksum(u + CACHE_HEADER, len - CACHE_HEADER))
		return 0;
	if (!get_key(&r, key))
		return 0;
	struct doc t = { 0 };
	t.lazy = xcalloc(1, sizeof *t.lazy);
	/* Before anything points into buf: doc_free must not free those strings. */
	t.lazy->map = buf;
	t.lazy->map_len = len;
	if (!get_index_part(&r, &t, key)) {
		doc_free(&t);
		return 0;
	}
	ids_off_the_map(&t);
	free(d->lazy);
	*d = t;
	return 1;
}

int doc_cache_load(struct doc *d, const struct doc_cache_key *key)
{
	char *cdir = key ? doc_cache_dir() : NULL;
	if (!cdir)
		return 0;
	cache_last = DOC_CACHE_NOT_WRITTEN;
	int dfd = cache_open_dir(cdir, 0);
	char *base = cache_base_name(key->real);
	/* Its path, for the message should another program truncate it while mapped. */
	char *path = xasprintf("%s/%s", cdir, base);
	free(cdir);
	int fd = dfd < 0 ? -1
	                 : openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	free(base);
	if (dfd >= 0)
		close(dfd);
	if (fd < 0) {
		free(path);
		return 0;
	}
	/*
	 * Mapped, not read: the kernel maps the page cache's pages a few dozen
	 * at a time, where read() into new memory faults on every page (at
	 * 100x content, 2 MB: 530 faults of about 11 us on this kind of VM).
	 * Private and writable, so nothing written to a text reaches the file.
	 * mamori only ever replaces the file by rename; another program that
	 * truncates it in place would make a read of the mapping fault, which
	 * doc_cache_fault turns into empty texts (the mapping is registered
	 * before it is read).
	 */
	struct stat st;
	char *map = MAP_FAILED;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022) &&
	    st.st_size >= CACHE_HEADER && st.st_size <= (off_t)DOC_CACHE_MAX_BYTES)
		map = mmap(NULL, mapped_len((size_t)st.st_size), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
		           0);
	close(fd);
	if (map != MAP_FAILED)
		maps_add(map, mapped_len((size_t)st.st_size), path);
	free(path);
	if (map == MAP_FAILED)
		return 0;
	if (!doc_cache_parse(d, key, map, (size_t)st.st_size)) {
		doc_cache_unmap(map, (size_t)st.st_size);
		return 0;
	}
	d->lazy->map_owned = 1;
	cache_last = DOC_CACHE_HIT;
	return 1;
}
