/*
 * testutil: temp directories and small file helpers shared by the Check
 * suites that touch the file system (answers, sessions, progress).  Test
 * support only; hand-built docs are in docfix.
 */
#ifndef MAMORI_TESTS_TESTUTIL_H
#define MAMORI_TESTS_TESTUTIL_H

#include <stddef.h>

/*
 * An unchecked fixture pair for a tcase: setup makes a fresh temp directory
 * (testutil_root), teardown removes it with all inside.  An unchecked
 * teardown runs even when a test fails in its child process, so a suite
 * that makes its temp files below the root leaves nothing behind.
 */
void testutil_root_setup(void);
void testutil_root_teardown(void);

/* The directory testutil_root_setup made (NULL outside the fixture). */
const char *testutil_root(void);

/*
 * A new temp directory in parent, or in $TMPDIR (else /tmp) when parent is
 * NULL (malloc'd; aborts the test on failure); and rm -rf of it (NULL is a
 * no-op; read-only directories inside are made writable first).
 */
char *testutil_tmpdir(const char *parent);
void testutil_rmrf(const char *path);

/* "DIR/NAME", malloc'd. */
char *testutil_path(const char *dir, const char *name);

/* Read a whole file into a malloc'd buffer (NUL-terminated); NULL when missing, fails the test on other errors. */
char *testutil_slurp(const char *path, size_t *len);

/* Write len bytes to path (created 0600 or truncated); 0 or -errno. */
int testutil_write(const char *path, const char *buf, size_t len);

#endif
