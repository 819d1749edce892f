/*
 * changes: what changed from one session to the next, item by item (the
 * change list of the review screen and of the report): a state, a note,
 * an owner or a due date that is not what it was, and the progress of
 * both sessions so each group's bar can be drawn before and after.
 * No output and no curses.  Out of memory aborts.
 */
#ifndef MAMORI_CHANGES_H
#define MAMORI_CHANGES_H

#include <stddef.h>

#include "core/answers_format.h"
#include "core/progress.h"

struct doc;

/*
 * One item that changed.  The strings are borrowed from the two answers
 * (valid while they are, never NULL: "" when the item has none in that
 * session); a note, owner or due that did not change is the same in both.
 */
struct change {
	size_t item; /* index in doc.items */
	enum answer_state from, to;
	const char *note_from, *note_to;
	const char *owner_from, *owner_to;
	const char *due_from, *due_to;
};

struct change_list {
	struct change *v; /* content order */
	size_t n;
	struct progress before, after; /* prev's and cur's progress over the same doc */
};

/*
 * The items of d whose state, note, owner or due differ between prev (the
 * previous session; NULL: nothing answered) and cur (NULL likewise), in
 * content order, and both sessions' progress.  A time alone (an answer
 * confirmed unchanged) is not a change.  Free with changes_free.
 */
void changes_compute(struct change_list *c, const struct doc *d, const struct answers *prev,
                     const struct answers *cur);
void changes_free(struct change_list *c);

#endif
