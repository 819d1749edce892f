/*
 * doc_internal: what a lazily loaded doc keeps of its files and spans,
 * doc.c's private state, shown to doc_cache.c only (the index cache writes
 * it out and reads it back).  Nothing else includes this header but the
 * cache's tests.
 */
#ifndef MAMORI_DOC_INTERNAL_H
#define MAMORI_DOC_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "core/doc.h"

/*
 * A copy of the n bytes at s (and a NUL) in d's string blocks, freed with
 * d (doc.c; the index pass keeps its ids there, the cache its ids too).
 */
char *doc_strndup(struct doc *d, const char *s, size_t n);

/* A content file as the index saw it: a page is read again only from the same file. */
struct lazy_file {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

/* Where a page's or an explanation's body lines stand, to parse them when first wanted. */
struct lazy_span {
	size_t start, stop;        /* bytes: the lines after the @page or @explain line */
	size_t file;               /* index into lazy.files */
	size_t first_item, nitems; /* a page's checklist items (indices into doc.items) */
	int closed;                /* an explanation ended by @end; a page by the next @page */
	int loaded;
};

struct doc_lazy {
	struct lazy_file *files;
	size_t nfiles, cap_files;
	struct lazy_span *pages, *explains; /* as many as doc.pages and doc.explains */
	size_t npages, cap_pages, nexplains, cap_explains;
	char *(*fn)(const char *, void *); /* doc_map_text's, for what is parsed later */
	void *fn_ctx;
	struct doc_diag *diags; /* problems found after the index */
	size_t ndiags, cap_diags, nreported;
	int mute; /* > 0: a line the index read, whose problems it told already */
	/*
	 * The index cache the doc was read from (doc_cache.c), when it was:
	 * its ids and texts point into these map_len bytes, so doc_free and
	 * doc_map_text free no string inside them, and doc_free unmaps them
	 * when map_owned (an mmap of map_len bytes).
	 */
	char *map;
	size_t map_len;
	int map_owned;
};

#endif
