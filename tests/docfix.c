/*
 * docfix: hand-built docs for the core tests (see docfix.h); temp
 * directories are in testutil.  Test support only; not part of the program.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
