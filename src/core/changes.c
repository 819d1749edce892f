/*
 * changes: the item-by-item change list between two sessions (see
 * changes.h).  One pass over the content's items: its cost is the
 * number of items, whatever the number of changes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/changes.h"
#include "core/doc.h"
#include "core/util.h"

static const char *changes_str(const char *s)
{
	return s ? s : "";
}

void changes_compute(struct change_list *c, const struct doc *d, const struct answers *prev,
                     const struct answers *cur)
{
	size_t cap = 0;

	memset(c, 0, sizeof *c);
	progress_compute(&c->before, d, prev);
	progress_compute(&c->after, d, cur);
	for (size_t i = 0; i < d->nitems; i++) {
		const struct answer *a = prev ? answers_find_item(prev, i) : NULL;
		const struct answer *b = cur ? answers_find_item(cur, i) : NULL;
		struct change ch = {
			.item = i,
			.from = a ? a->state : ANSWER_NONE,
			.to = b ? b->state : ANSWER_NONE,
			.note_from = changes_str(a ? a->note : NULL),
			.note_to = changes_str(b ? b->note : NULL),
			.owner_from = changes_str(a ? a->owner : NULL),
			.owner_to = changes_str(b ? b->owner : NULL),
			.due_from = changes_str(a ? a->due : NULL),
			.due_to = changes_str(b ? b->due : NULL),
		};
		if (ch.from == ch.to && strcmp(ch.note_from, ch.note_to) == 0 &&
		    strcmp(ch.owner_from, ch.owner_to) == 0 && strcmp(ch.due_from, ch.due_to) == 0)
			continue;
		c->v = xgrow(c->v, &cap, c->n + 1, sizeof *c->v);
		c->v[c->n++] = ch;
	}
}

void changes_free(struct change_list *c)
{
	if (!c)
		return;
	free(c->v);
	progress_free(&c->before);
	progress_free(&c->after);
	memset(c, 0, sizeof *c);
}
