/*
 * form: the editor of an item's note, owner and due date, and the one way
 * the screens change them or confirm an answer unchanged.  Several fields
 * on the rows above the status line, each the real line editor (prompt.h:
 * sideways scrolling, history, no length limit); Tab and Shift-Tab move
 * between them, Enter checks every field and saves them all at once, Esc
 * cancels.  A field that does not pass its check keeps the focus and the
 * form stays open with the reason shown, so nothing typed is lost.
 */
#ifndef MAMORI_FORM_H
#define MAMORI_FORM_H

#include <stddef.h>

#include "ui/prompt.h"

struct ui;
struct answer;

struct form_field {
	const char *label;              /* "メモ", shown before the text */
	const char *hint;               /* shown while the field is focused, or NULL */
	char *value;                    /* in: the text to start from; out (on 1): the result, malloc'd */
	struct prompt_history *history; /* may be NULL */
	/* 0 when s will do, else -1 with *why (English, translated with _()); NULL: anything does */
	int (*check)(const char *s, const char **why);
};

/*
 * Edit the n fields under title, the focus first on field first.  Returns
 * 1 on Enter with every check passed (each value replaced by the edited
 * text; the caller frees the values in every case), 0 on Esc, a signal or
 * a lost terminal (values unchanged).
 */
int form_run(struct ui *ui, const char *title, struct form_field *f, size_t n, size_t first);

/* Which field of the item form to focus first. */
enum form_item_field {
	FORM_NOTE,
	FORM_OWNER,
	FORM_DUE
};

/*
 * Edit item's note, owner and due date and save them (answers_set_fields;
 * the state is kept).  Refused, with the reason on the status line, when
 * the session is read-only.  Returns 1 when something was saved.
 */
int form_edit_item(struct ui *ui, int item, enum form_item_field first);

/*
 * Confirm item's answer unchanged in this session (answers_confirm: it is
 * stamped with now, so it is no longer 未確認).  Returns 1 when saved.
 */
int form_confirm_item(struct ui *ui, int item);

/* Today's local date as YYYY-MM-DD, for overdue checks (a due before it is overdue). */
void form_today(char out[11]);

/* 1 when due (YYYY-MM-DD, may be "" or NULL) is before today (form_today). */
int form_overdue(const char *due, const char *today);

/*
 * 1 when an's due date is before today and the answer is not yet what the
 * item asks for (done, 該当しない or 実施している): overdue work.
 */
int form_answer_overdue(const struct answer *an, const char *today);

/* Free the fields' histories (kept for the whole run); once, at the end. */
void form_fini(void);

#endif
