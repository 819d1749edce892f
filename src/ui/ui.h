/*
 * ui: the full-screen program.  ui.c owns the terminal (setup, the main
 * loop, resize, signals, the one fatal path that restores the terminal);
 * each screen lives in its own scr_*.c with a draw and an action function.
 * This is the only part of mamori that includes curses.
 */
#ifndef MAMORI_UI_H
#define MAMORI_UI_H

#include <stddef.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/layout.h"
#include "core/nav.h"
#include "core/progress.h"
#include "ui/keys.h"

/* Smaller than this, the screen only says it is too small. */
#define UI_MIN_COLS 40
#define UI_MIN_ROWS 10

enum ui_screen { SCR_CONTENTS, SCR_PAGE, SCR_HELP, SCR_DASHBOARD, SCR_SESSIONS };

struct ui_options {
	const char *start_page;  /* page id to open first, or NULL for the contents */
	int no_color;
	struct answers *answers; /* the open session (ui_run may switch it), or NULL */
	const char *sessions_dir;/* where sessions live, or NULL (no sessions screen) */
	const char *note;        /* a message for the first status line, or NULL */
};

struct ui {
	const struct doc *doc;
	enum ui_screen screen;
	enum ui_screen help_return;  /* where q goes back to from the help */
	int rows, cols;
	int color;

	/* contents */
	int toc_cursor;           /* selected page */
	size_t toc_top;           /* first entry row shown */
	int *toc;                 /* rows: a page index, or -1 - chapter for a heading */
	size_t ntoc;
	int *toc_row;             /* the row of each page */
	int toc_bar_width;        /* columns of the widest bar, or -1 after a change */

	/* facts about pages, worked out once so a key press never walks the whole doc */
	int *page_group;          /* the group a page declares, or -1 */
	unsigned char *page_questions; /* 1 for a page with 自社診断 questions */

	/* page */
	int page;
	struct layout lo;         /* the page laid out at lo_width */
	int lo_page, lo_width;
	size_t top;               /* first line shown */
	int focus;                /* focused link or item line, or -1 */
	struct nav_history history;

	/* help */
	size_t help_top;

	/* search: the needle, and whether n/N step through hits */
	char search[256];
	int searching;
	int hit_page, hit_line;   /* the current hit, where n/N go on from */

	char message[256];        /* one-shot status line message */
	int quit;

	/* the session: its answers, their progress and the previous session's */
	struct answers *answers;
	const char *sessions_dir;
	struct progress prog;
	struct progress prev;
	int have_prev;
	char prev_name[64];       /* the previous session's name, for "+2 since ..." */

	/* dashboard and sessions screens */
	size_t dash_top;
	int dash_cursor;          /* selected group row */
	int sess_cursor;
	enum ui_screen back_to;   /* where q goes from the dashboard or the sessions */
};

/*
 * 0 when the terminal can run the full-screen program; else print why,
 * with what to use instead, and return 2 (the exit status).
 */
int ui_check_terminal(void);

/* Run the full-screen program; returns the process exit status. */
int ui_run(const struct doc *doc, const struct ui_options *opts);

/* Rows left for text above the status line. */
int ui_text_rows(const struct ui *ui);

/* Set a one-shot message for the status line (printf-style). */
void ui_message(struct ui *ui, const char *fmt, ...);

/* Read a line of text at the bottom of the screen; returns 1 on Enter, 0 on Esc. */
int ui_prompt(struct ui *ui, const char *label, char *buf, size_t size);

/* state.c: the session and its progress, shared by the screens */
void ui_state_init(struct ui *ui);
void ui_state_free(struct ui *ui);
void ui_recompute(struct ui *ui);
/* Change an item's state (and note, unless NULL), saving at once; messages go to the status line. */
int ui_set_answer(struct ui *ui, int item, enum answer_state st, const char *note);
/* Open the session file at path instead of the current one. Returns 0 or -errno. */
int ui_switch_session(struct ui *ui, const char *path);
/* The 3-column marker of an item's state: "[x]", "[-]", "[1]"... */
const char *ui_item_marker(const struct ui *ui, int item);

/* screens: each draws the whole screen and handles its actions */
void scr_dashboard_draw(struct ui *ui);
void scr_dashboard_action(struct ui *ui, enum action a);
void scr_sessions_draw(struct ui *ui);
void scr_sessions_action(struct ui *ui, enum action a);
void scr_contents_draw(struct ui *ui);
void scr_contents_action(struct ui *ui, enum action a);
void scr_page_open(struct ui *ui, int page, int push_history);
void scr_page_draw(struct ui *ui);
void scr_page_action(struct ui *ui, enum action a);
/* 1 when a checklist item is focused and on screen (its keys then come first). */
int scr_page_item_focused(const struct ui *ui);
void scr_help_draw(struct ui *ui);
void scr_help_action(struct ui *ui, enum action a);

#endif
