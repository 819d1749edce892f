/*
 * keys: the one key table.  Every key is listed once per keymap with its
 * action and help text; screens name the keymaps they use (struct screen),
 * dispatch and the help screen both read this table, so the help can
 * never drift from what the keys do.  Adding a screen adds no bit here.
 */
#ifndef MAMORI_KEYS_H
#define MAMORI_KEYS_H

enum action {
	ACT_NONE,
	/* Requests: a screen hands these back and ui.c acts on them. */
	ACT_QUIT,   /* q: close this screen (from the bottom one: leave) */
	ACT_CANCEL, /* Esc: the same, after a screen had its say (a search ends first) */
	ACT_REDRAW,
	ACT_SEARCH, /* / : ask for a pattern and search the guideline */
	/* Moving in a list or a page */
	ACT_DOWN,
	ACT_UP,
	ACT_PAGE_DOWN,
	ACT_PAGE_UP,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_FOLLOW,
	/* The reader */
	ACT_NEXT_PAGE,
	ACT_PREV_PAGE,
	ACT_NEXT_FOCUS,
	ACT_PREV_FOCUS,
	ACT_BACK,
	ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV,
	ACT_FIRST_ITEM,
	/* A focused checklist item */
	ACT_TOGGLE,
	ACT_NA,
	ACT_NOTE,
	ACT_EXPLAIN,
	ACT_ANSWER_1, /* 実施している; ACT_ANSWER_1 + n for the n-th answer */
	ACT_ANSWER_2,
	ACT_ANSWER_3,
	ACT_ANSWER_4,
	ACT_CONFIRM, /* the answer stays as it is, confirmed in this session (未確認 no more) */
	ACT_CLEAR,   /* the answer is taken back: not answered */
	/* The sessions screen */
	/* The dashboard */
	ACT_REPORT,
	ACT_NEW_EMPTY,
	ACT_NEW_CARRY,
	ACT_DELETE, /* delete the selected session (after asking) */
	ACT_REOPEN, /* open the selected past session for editing (after asking) */
	/* The owners screen */
	ACT_SORT /* sort by the other key (due date, owner) */
};

/*
 * A keymap is a set of bindings that go together.  A screen lists the
 * keymaps it uses, most specific first; the first binding found wins.
 */
enum keymap {
	KEYMAP_END,    /* ends a screen's list */
	KEYMAP_ITEM,   /* while a checklist item is focused on a page */
	KEYMAP_SEARCH, /* while search hits are shown on a page */
	KEYMAP_SESSIONS,
	KEYMAP_DASHBOARD,
	KEYMAP_CONTENTS, /* the contents */
	KEYMAP_OWNERS,   /* the 担当と期限 screen */
	KEYMAP_READER,
	KEYMAP_LIST,   /* moving in any list or page */
	KEYMAP_GLOBAL, /* every screen */
	KEYMAP_COUNT
};

struct key_binding {
	int key;        /* a character or a KEY_* code */
	int is_keycode; /* 1 when key is a KEY_* function key code */
	enum action action;
	enum keymap keymap;
	const char *label; /* how the help shows the key */
	const char *help;  /* what it does, for the help screen (NULL: shown with the previous row) */
};

/* The table, ended by an entry with key 0. */
extern const struct key_binding keys_table[];

/* What the help calls a keymap ("どの画面でも", ...). */
const char *keys_keymap_title(enum keymap km);

/* The action bound to key in keymap km, or ACT_NONE. */
enum action keys_lookup(int key, int is_keycode, enum keymap km);

#endif
