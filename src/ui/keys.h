/*
 * keys: the one key table.  Every key a screen accepts is listed here with
 * its action and help text; dispatch and the help screen both read this
 * table, so the help can never drift from what the keys do.
 */
#ifndef MAMORI_KEYS_H
#define MAMORI_KEYS_H

enum action {
	ACT_NONE,
	ACT_QUIT,
	ACT_HELP,
	ACT_DOWN,
	ACT_UP,
	ACT_PAGE_DOWN,
	ACT_PAGE_UP,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_NEXT_PAGE,
	ACT_PREV_PAGE,
	ACT_NEXT_FOCUS,
	ACT_PREV_FOCUS,
	ACT_FOLLOW,
	ACT_BACK,
	ACT_CONTENTS,
	ACT_SEARCH,
	ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV,
	ACT_CANCEL,
	ACT_REDRAW,
	ACT_FIRST_ITEM,
	ACT_TOGGLE,
	ACT_NA,
	ACT_NOTE,
	ACT_ANSWER_1,   /* 実施している; ACT_ANSWER_1 + n for the n-th answer */
	ACT_ANSWER_2,
	ACT_ANSWER_3,
	ACT_ANSWER_4,
	ACT_DASHBOARD,
	ACT_SESSIONS,
	ACT_NEW_EMPTY,
	ACT_NEW_CARRY
};

/* Which screens a binding applies to (a bit mask). */
enum {
	KS_CONTENTS = 1,
	KS_PAGE = 2,
	KS_HELP = 4,
	KS_DASHBOARD = 8,
	KS_SESSIONS = 16,
	KS_ALL = 31,
	KS_SEARCH = 32, /* the page screen while a search is active: tried first */
	KS_ITEM = 64    /* the page screen while a checklist item is focused: tried first */
};

struct key_binding {
	int key;            /* a character or a KEY_* code */
	int is_keycode;     /* 1 when key is a KEY_* function key code */
	enum action action;
	unsigned screens;
	const char *label;  /* how the help shows the key */
	const char *help;   /* what it does, for the help screen (NULL: shown with the previous row) */
};

/* The table, ended by an entry with key 0. */
extern const struct key_binding keys_table[];

/*
 * The action for key (is_keycode tells a KEY_* code from a character) on
 * screen (one KS_* bit), or ACT_NONE.
 */
enum action keys_lookup(int key, int is_keycode, unsigned screen);

#endif
