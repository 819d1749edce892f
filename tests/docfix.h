/*
 * docfix: small struct doc values built by hand for the answers, sessions
 * and progress tests, so they do not depend on the content parser.
 * Only groups and items are filled in (no pages or blocks).
 */
#ifndef MAMORI_TESTS_DOCFIX_H
#define MAMORI_TESTS_DOCFIX_H

#include "core/doc.h"

/* Add a group; returns its index.  Aborts the test on ENOMEM. */
int docfix_group(struct doc *d, const char *id, enum group_kind kind, const char *title);

/* Add an item to group g (question = 1 when g is a diagnosis group); returns its index. */
int docfix_item(struct doc *d, const char *id, int g, const char *text);

/* Add n items named PREFIX-1 .. PREFIX-n to group g. */
void docfix_items(struct doc *d, const char *prefix, int g, int n);

/* Free what docfix_* allocated and zero d. */
void docfix_free(struct doc *d);

/*
 * A temp directory in parent, or in $TMPDIR (else /tmp) when parent is NULL
 * (malloc'd); and rm -rf of it.  A suite makes one parent per tcase in an
 * unchecked fixture, which runs even when a test fails in its child process,
 * so nothing is left behind.
 */
char *docfix_tmpdir(const char *parent);
void docfix_rmrf(const char *path);

/* Read a whole file into a malloc'd buffer (NUL-terminated); NULL when missing. */
char *docfix_slurp(const char *path, size_t *len);

/* Write len bytes to path (created 0600 or truncated); 0 or -errno. */
int docfix_write(const char *path, const char *buf, size_t len);

#endif
