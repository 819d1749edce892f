/*
 * prompt: the one-line editor at the bottom of the screen, for search
 * patterns and notes, with the keys people know from a shell and a
 * history for Up/Down.  The text has no length limit but memory.
 */
#ifndef MAMORI_PROMPT_H
#define MAMORI_PROMPT_H

#include <stddef.h>

#include "core/util.h"

struct ui;

/* Earlier entries, oldest first; start from { 0 }. */
struct prompt_history {
	char **v;
	size_t n, cap;
};

/*
 * Edit text (it may hold a value to edit, such as a note) after label.
 * Returns 1 on Enter (text holds the result), 0 on Esc, a signal or a lost
 * terminal (text is then as it was).  With a history, Up/Down recall its
 * entries and a non-empty result is added to it.
 */
int prompt_read(struct ui *ui, const char *label, struct buf *text, struct prompt_history *h);

void prompt_history_free(struct prompt_history *h);

#endif
