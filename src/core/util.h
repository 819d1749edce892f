/*
 * util: the one memory policy of mamori and the one growable buffer.
 * Running out of memory aborts, everywhere: the crash path restores the
 * terminal, and no caller has to carry an -ENOMEM branch it cannot test.
 * I/O keeps returning -errno, where a caller can do something about it.
 */
#ifndef MAMORI_UTIL_H
#define MAMORI_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define UTIL_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* malloc, calloc and realloc that abort instead of returning NULL (never NULL, even for 0). */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* realloc for n elements of size bytes, aborting on overflow as well as on failure. */
void *xreallocarray(void *p, size_t n, size_t size);

/* Copies of s, of its first n bytes (NUL-terminated), or of len bytes that may hold NULs. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t len);

/* A malloc'd formatted string. */
char *xasprintf(const char *fmt, ...) UTIL_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) UTIL_PRINTF(1, 0);

/*
 * Grow an array of *cap elements of size bytes so it holds at least need
 * (doubling, from 16).  Returns the array, which may have moved.
 */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);

/*
 * A growable byte buffer, always NUL-terminated once anything was added.
 * Start from { 0 }; free with buf_free, or take the string with buf_take.
 */
struct buf {
	char *s;
	size_t len, cap;
};

void buf_add(struct buf *b, const void *p, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) UTIL_PRINTF(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) UTIL_PRINTF(2, 0);
/* Forget the contents, keep the memory. */
void buf_reset(struct buf *b);
/* The string built so far ("" when empty); the buffer is left empty. Caller frees. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);

/*
 * Read a whole file into a malloc'd, NUL-terminated buffer (*len bytes, not
 * counting the NUL).  Refuses more than max bytes (-EFBIG).  Returns 0 or
 * -errno.  fd variant reads from an open descriptor and leaves it open.
 */
int util_read_file(const char *path, size_t max, char **out, size_t *len);
int util_read_fd(int fd, size_t max, char **out, size_t *len);

#endif
