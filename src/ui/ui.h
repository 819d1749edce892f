/*
 * ui: the full-screen program.  ui.c owns the terminal (setup, the main
 * loop, the screen stack, resize, signals, the too-small screen and the
 * one fatal path that restores the terminal).  Each screen lives in its
 * own scr_*.c as a const struct screen with its state private to that
 * file; a screen hands back what it cannot handle and ui.c acts on it
 * once.  This is the only part of mamori that includes curses.
 */
#ifndef MAMORI_UI_H
#define MAMORI_UI_H

#include <stddef.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/progress.h"
#include "ui/keys.h"

/* Smaller than this, the screen only says it is too small. */
#define UI_MIN_COLS 40
#define UI_MIN_ROWS 10

/* The deepest the screen stack goes (each screen is on it at most once). */
#define UI_STACK_MAX 16

struct resume;

struct ui_options {
	const char *start_page; /* page id to open first, or NULL for the contents */
	int no_color;
	struct answers *answers;  /* the open session (ui_run may switch it), or NULL */
	const char *sessions_dir; /* where sessions live, or NULL (no sessions screen) */
	int sessions_dirfd;       /* that directory as opened and checked at start, or -1 */
	const char *note;         /* a message for the first status line, or NULL */
	/*
	 * Where the last run stopped (resume.h), or NULL: the page and place to
	 * open (unless start_page); filled in at the end with where this run
	 * stopped and the session it used.
	 */
	struct resume *resume;
	int resumed;   /* 1: say in the status line which session was resumed, and how far it is */
	int first_run; /* 1: no session and no state yet: show はじめての方へ first */
};

struct ui;

/*
 * A screen.  draw paints the whole screen from memory (no I/O, no
 * change); action takes an action and returns ACT_NONE when it handled
 * it, or an action for ui.c (a request such as ACT_QUIT or ACT_HELP).
 * key shows the screen from anywhere (ui_show), unless the screen on top
 * binds that key itself.  enter runs when the screen comes to the top of the stack (pushed, or
 * uncovered), leave when it is popped; changed after any change to the
 * answers or the session, on every screen in the stack; fini once at the
 * end, to free what the screen kept for the whole run.  Any may be NULL
 * but draw and action.  keymaps lists the
 * key sets it uses, most specific first, ended by KEYMAP_END; keymap_on
 * (may be NULL) says whether a conditional one (item, search) is on now.
 */
struct screen {
	const char *name;
	/* The key that shows this screen from any other (0: none), as the help shows it. */
	int key;
	const char *key_label, *key_help;
	/* 1 for a passing screen (the help): showing another from it closes it first. */
	int passing;
	const enum keymap *keymaps;
	int (*keymap_on)(struct ui *, enum keymap);
	void (*enter)(struct ui *);
	void (*draw)(struct ui *);
	enum action (*action)(struct ui *, enum action);
	void (*leave)(struct ui *);
	void (*changed)(struct ui *);
	void (*fini)(struct ui *);
};

/*
 * Every screen, by the name of its const struct screen: this list is the
 * one line a new screen adds (with its scr_*.c in Makefile.am).  It
 * declares them all, and ui_screens[] (ui.c) lists them for the keys that
 * show them and for ui_recompute.
 */
#define UI_SCREENS(X)                                                                             \
	X(scr_contents)                                                                           \
	X(scr_page)                                                                               \
	X(scr_help) X(scr_dashboard) X(scr_sessions) X(scr_messages) X(scr_explain) X(scr_owners) \
		X(scr_departments) X(scr_changes) X(scr_welcome)

#define UI_SCREEN_DECLARE(name) extern const struct screen name;
UI_SCREENS(UI_SCREEN_DECLARE)
extern const struct screen *const ui_screens[]; /* ended by NULL */

/* What every screen shares. */
struct ui {
	const struct doc *doc;
	int rows, cols;
	int color;

	const struct screen *stack[UI_STACK_MAX];
	size_t depth;
	int quit;

	char *message; /* one-shot status line message, "" for none; never NULL while running */

	/* the session: its answers, their progress and the previous session's */
	struct answers *answers;
	const char *sessions_dir;
	int sessions_dirfd; /* sessions_dir as opened and checked at start, or -1 */
	struct progress prog;
	struct progress prev;
	int have_prev;
	char prev_name[64];     /* the previous session's name, for "+2 since ..." */
	int contents_over_page; /* the contents were opened from a page: Esc, h and BS go back to it */
};

/*
 * 0 when the terminal can run the full-screen program; else print why,
 * with what to use instead, and return 2 (the exit status).
 */
int ui_check_terminal(void);

/*
 * Before the content is loaded: a SIGBUS from the index cache's mapping
 * (a file truncated by another program, doc_cache.h) empties its texts
 * instead of killing mamori, and the next frame says so.  Any other
 * SIGBUS goes where it went before.
 */
void ui_guard_cache_faults(void);

/* Run the full-screen program; returns the process exit status. */
int ui_run(const struct doc *doc, const struct ui_options *opts);

/* The screen on top of the stack. */
const struct screen *ui_top(const struct ui *ui);

/*
 * Show screen s: pop back to it when it is already on the stack (it keeps
 * its state), else push it.  A passing screen on top (the help) is
 * closed first.
 */
void ui_show(struct ui *ui, const struct screen *s);

/* Close the top screen; from the bottom one, leave the program. */
void ui_pop(struct ui *ui);

/* Rows left for text above the status line. */
int ui_text_rows(const struct ui *ui);

/* Set a one-shot message for the status line (printf-style). */
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Forget the one-shot message (a key was pressed). */
void ui_message_clear(struct ui *ui);

/* scr_messages: keep a message for the messages screen (every message set is kept). */
void scr_messages_keep(const char *text);

/* Set the message to prefix and text, text made safe to show (it may quote a file). */
void ui_message_safe(struct ui *ui, const char *prefix, const char *text);

/* state.c: the session and its progress, shared by the screens */
void ui_state_init(struct ui *ui);
void ui_state_free(struct ui *ui);
/* Work out the progress again and tell every screen on the stack. */
void ui_recompute(struct ui *ui);
/* Change an item's state (and note, unless NULL), saving at once; messages go to the status line. */
int ui_set_answer(struct ui *ui, int item, enum answer_state st, const char *note);
/* Open the session file at path instead of the current one. Returns 0 or -errno. */
int ui_switch_session(struct ui *ui, const char *path);
/* What an item's row shows of its state: "[ ]", "[_]", "[x]", "[-]" (3 columns) or 実施 一部 なし 不明 (4). */
const char *ui_item_marker(const struct ui *ui, int item);

/* scr_explain: show item's 解説; 0 (nothing shown) when it has none. */
int scr_explain_show(struct ui *ui, int item);
/* scr_page: the page the reader is on, or -1 before one was opened. */
int scr_page_current(const struct ui *ui);
/* scr_page: open page (remembering where the reader was) and show the page screen. */
void scr_page_show(struct ui *ui, int page);
/* scr_page: open item's page with the item focused, and show the page screen. */
void scr_page_show_item(struct ui *ui, int item);
/* scr_page: open page at a place kept by resume (the top line's block and position, the focused block); not shown. */
void scr_page_restore(struct ui *ui, int page, int block, size_t pos, int focus_block);
/* scr_page: the page the reader is on (-1 before one was opened) and its place, for resume. */
int scr_page_place(const struct ui *ui, int *block, size_t *pos, int *focus_block);
/* scr_welcome: the first task's page (the 5か条), or -1. */
int scr_welcome_first_task(const struct doc *d);
/* scr_page: search from page's start (or from where the reader is, page < 0); 1 when found. */
int scr_page_search(struct ui *ui, int page);

#endif
