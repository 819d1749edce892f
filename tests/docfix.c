/*
 * docfix: hand-built docs for the core tests (see docfix.h); temp
 * directories are in testutil.  Test support only; not part of the program.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "docfix.h"

int docfix_group(struct doc *d, const char *id, enum group_kind kind, const char *title)
{
	d->groups = xgrow(d->groups, &d->cap_groups, d->ngroups + 1, sizeof *d->groups);
	struct group *g = &d->groups[d->ngroups];
	memset(g, 0, sizeof *g);
	g->id = xstrdup(id);
	g->kind = kind;
	g->title = xstrdup(title);
	g->page = -1;
	return (int)d->ngroups++;
}

int docfix_item(struct doc *d, const char *id, int g, const char *text)
{
	d->items = xgrow(d->items, &d->cap_items, d->nitems + 1, sizeof *d->items);
	struct item *it = &d->items[d->nitems];
	memset(it, 0, sizeof *it);
	it->id = xstrdup(id);
	it->text = xstrdup(text);
	it->group = g;
	it->page = -1;
	it->question = d->groups[g].kind == GROUP_DIAGNOSIS;
	it->file = "fixture";
	struct group *gr = &d->groups[g];
	gr->items = xreallocarray(gr->items, gr->nitems + 1, sizeof *gr->items);
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
