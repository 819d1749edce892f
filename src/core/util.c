/*
 * util: allocation that aborts, a growable buffer, whole-file reading
 * (see util.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

static void out_of_memory(void)
{
	/* stderr is unbuffered; abort runs the fatal path that restores the terminal. */
	static const char msg[] = "mamori: out of memory\n";
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
		/* Nothing more to do: we are about to abort anyway. */
	}
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		out_of_memory();
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		out_of_memory();
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *xmemdup(const void *p, size_t len)
{
	void *q = xmalloc(len);
	if (len)
		memcpy(q, p, len);
	return q;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	struct buf b = { 0 };
	buf_vprintf(&b, fmt, ap);
	return buf_take(&b);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 16;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			out_of_memory();
		c *= 2;
	}
	p = xreallocarray(p, c, size);
	*cap = c;
	return p;
}

static void buf_need(struct buf *b, size_t more)
{
	if (more > SIZE_MAX - b->len - 1)
		out_of_memory();
	b->s = xgrow(b->s, &b->cap, b->len + more + 1, 1);
}

void buf_add(struct buf *b, const void *p, size_t len)
{
	buf_need(b, len);
	if (len)
		memcpy(b->s + b->len, p, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return; /* an invalid format for the locale: add nothing */
	buf_need(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

char *buf_take(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

int util_read_fd(int fd, size_t max, char **out, size_t *len)
{
	struct buf b = { 0 };

	*out = NULL;
	*len = 0;
	for (;;) {
		buf_need(&b, 65536);
		ssize_t n = read(fd, b.s + b.len, b.cap - b.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			buf_free(&b);
			return -e;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (b.len > max) {
			buf_free(&b);
			return -EFBIG;
		}
	}
	b.s[b.len] = '\0';
	*len = b.len;
	*out = b.s;
	return 0;
}

int util_read_file(const char *path, size_t max, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	int r = util_read_fd(fd, max, out, len);
	close(fd);
	return r;
}
