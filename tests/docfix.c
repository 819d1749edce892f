/*
 * docfix: hand-built docs and temp directories for the core tests (see
 * docfix.h).  Test support only; not part of the program.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docfix.h"

static void *docfix_grow(void *p, size_t n, size_t size)
{
	void *q = realloc(p, n * size);
	ck_assert_ptr_nonnull(q);
	return q;
}

static char *docfix_strdup(const char *s)
{
	char *p = strdup(s);
	ck_assert_ptr_nonnull(p);
	return p;
}

int docfix_group(struct doc *d, const char *id, enum group_kind kind, const char *title)
{
	d->groups = docfix_grow(d->groups, d->ngroups + 1, sizeof *d->groups);
	struct group *g = &d->groups[d->ngroups];
	memset(g, 0, sizeof *g);
	g->id = docfix_strdup(id);
	g->kind = kind;
	g->title = docfix_strdup(title);
	g->page = -1;
	return (int)d->ngroups++;
}

int docfix_item(struct doc *d, const char *id, int g, const char *text)
{
	d->items = docfix_grow(d->items, d->nitems + 1, sizeof *d->items);
	struct item *it = &d->items[d->nitems];
	memset(it, 0, sizeof *it);
	it->id = docfix_strdup(id);
	it->text = docfix_strdup(text);
	it->group = g;
	it->page = -1;
	it->question = d->groups[g].kind == GROUP_DIAGNOSIS;
	it->file = "fixture";
	struct group *gr = &d->groups[g];
	gr->items = docfix_grow(gr->items, gr->nitems + 1, sizeof *gr->items);
	gr->items[gr->nitems++] = d->nitems;
	return (int)d->nitems++;
}

void docfix_items(struct doc *d, const char *prefix, int g, int n)
{
	for (int i = 1; i <= n; i++) {
		char id[64], text[80];
		snprintf(id, sizeof id, "%s-%d", prefix, i);
		snprintf(text, sizeof text, "項目 %s-%d", prefix, i);
		docfix_item(d, id, g, text);
	}
}

void docfix_free(struct doc *d)
{
	for (size_t i = 0; i < d->nitems; i++) {
		free(d->items[i].id);
		free(d->items[i].text);
	}
	for (size_t i = 0; i < d->ngroups; i++) {
		free(d->groups[i].id);
		free(d->groups[i].title);
		free(d->groups[i].items);
	}
	free(d->items);
	free(d->groups);
	memset(d, 0, sizeof *d);
}

char *docfix_tmpdir(const char *parent)
{
	const char *t = parent ? parent : getenv("TMPDIR");
	char buf[4096];
	snprintf(buf, sizeof buf, "%s/mamori-test-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(buf));
	return docfix_strdup(buf);
}

static int docfix_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Make directories writable again first: a test may have made one read-only. */
static int docfix_open_up(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D && !S_ISLNK(st->st_mode))
		chmod(path, 0700);
	return 0;
}

void docfix_rmrf(const char *path)
{
	if (!path)
		return;
	nftw(path, docfix_open_up, 16, FTW_PHYS);
	nftw(path, docfix_rm, 16, FTW_DEPTH | FTW_PHYS);
}

char *docfix_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n - 1 == 0) {
			cap *= 2;
			buf = docfix_grow(buf, cap, 1);
		}
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int docfix_write(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, buf, len);
	int e = w < 0 ? errno : 0;
	close(fd);
	if (w < 0)
		return -e;
	return (size_t)w == len ? 0 : -EIO;
}
