/*
 * prompt: the one-line editor, for search patterns, notes, owners and
 * dates, with the keys people know from a shell and a history for
 * Up/Down.  The text has no length limit but memory: a long one scrolls
 * sideways, nothing is ever cut.  prompt_read edits one line at the
 * bottom of the screen; struct prompt_line is the same editor as a
 * value, for screens that hold several (form.c); prompt_yes_no asks a
 * question that y answers.
 */
#ifndef MAMORI_PROMPT_H
#define MAMORI_PROMPT_H

#include <curses.h>
#include <stddef.h>

#include "core/util.h"

struct ui;
struct input_key;

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

/*
 * Ask question on the status line (" (y/N)" is added); returns 1 when the
 * answer is y or Y, 0 for any other key, a signal or a lost terminal.
 */
int prompt_yes_no(struct ui *ui, const char *question);

/* One line being edited: its bytes (UTF-8), the cursor (a byte offset), its history. */
struct prompt_line {
	struct buf b;
	size_t cur;
	struct prompt_history *h; /* may be NULL */
	size_t hpos;              /* where Up/Down are in h (h->n: the line being typed) */
	char *typed;              /* what was typed before Up went into the history */
};

/* What a key did to a line. */
enum prompt_key {
	PROMPT_KEY_EDITED, /* handled: the text or the cursor may have changed */
	PROMPT_KEY_ENTER,
	PROMPT_KEY_CANCEL, /* Esc */
	PROMPT_KEY_OTHER   /* not the editor's (Tab, a resize): the caller's */
};

/* Start editing text (NULL: empty), the cursor at its end.  Free with prompt_line_free. */
void prompt_line_init(struct prompt_line *l, const char *text, struct prompt_history *h);
void prompt_line_free(struct prompt_line *l);

/* Apply one key (from input_read) to l. */
enum prompt_key prompt_line_key(struct prompt_line *l, const struct input_key *k);

/*
 * Draw l on row y from column x in room columns (scrolled so the cursor
 * shows; only what fits is sanitised and drawn, however long the text).
 * Returns the column of the cursor.
 */
int prompt_line_draw(const struct prompt_line *l, int y, int x, int room, attr_t attr);

/* Add a result to a history (not an empty one, nor the last one again). */
void prompt_history_add(struct prompt_history *h, const char *s);

#endif
