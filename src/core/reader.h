/*
 * reader: everything the page screen does that is not drawing.  The
 * reading position (kept as block and position, so it survives a reflow
 * to another width), scrolling, focus moves between links and checklist
 * items, following links and going back, "next question" after an
 * answer, and searching the whole guideline.  No curses: the viewport is
 * two numbers the screen hands in, and the tests drive it directly.
 *
 * Units: width in columns; top, focus and line numbers index the page's
 * laid-out lines (struct layout); pos is a byte offset in a block's text.
 */
#ifndef MAMORI_READER_H
#define MAMORI_READER_H

#include <stddef.h>

#include "core/doc.h"
#include "core/layout.h"
#include "core/search.h"

/* A place to come back to: independent of width. */
struct reader_pos {
	int page;
	int block;       /* block of the top line */
	size_t pos;      /* position in that block (see struct line) */
	int focus_block; /* block of the focused link or item, or -1 */
};

/* What a search step did. */
enum reader_found {
	READER_NOT_FOUND, /* no hit anywhere: the reader has not moved */
	READER_FOUND,
	READER_WRAPPED /* found, after going round from the end to the start (or back) */
};

struct reader {
	const struct doc *doc;
	int page;             /* the page shown, or -1 before the first open */
	int width;            /* layout width, columns */
	size_t rows;          /* rows for text on ordinary pages */
	size_t question_rows; /* rows taken from those on a page with 自社診断 questions */
	struct layout lo;     /* page laid out at width */
	int lo_page, lo_width;
	size_t top; /* first line shown */
	int focus;  /* focused link or item line (its first line), or -1 */

	struct reader_pos *history;
	size_t nhistory, cap_history;

	unsigned char *page_questions; /* 1 for a page with 自社診断 questions */

	struct search search; /* the last search (its pattern stays for n/N) */
	int searching;        /* hits are shown and n/N step through them */
	long hit;             /* the current hit, or -1 */
};

/* Start a reader over d (kept, not owned) with no page open. Free with reader_free. */
void reader_init(struct reader *r, const struct doc *d);
void reader_free(struct reader *r);

/*
 * The viewport: width columns and rows text rows, of which question_rows
 * are taken on pages with diagnosis questions (the screen shows the
 * running score there).  A change of width lays the page out again and
 * keeps the reader's place (the block and position of the top line, and
 * the focused block).
 */
void reader_set_view(struct reader *r, int width, size_t rows, size_t question_rows);

/* Rows of text on the current page. */
size_t reader_height(const struct reader *r);

/* 1 when page holds 自社診断 questions. */
int reader_page_has_questions(const struct reader *r, int page);

/* Where the reader is now (page -1 before anything was opened). */
struct reader_pos reader_here(const struct reader *r);

/* Open page at its top; with remember, push where the reader was for reader_back. */
void reader_open(struct reader *r, int page, int remember);

/* Go back to the last remembered place: 1, or 0 when there is none (nothing changes). */
int reader_back(struct reader *r);

/* Scrolling; each clamps and drops a focus that left the screen. */
void reader_scroll(struct reader *r, long lines);
/* One screen on, except that a heading is never left alone on the last row. */
void reader_page_down(struct reader *r);
void reader_page_up(struct reader *r);
void reader_home(struct reader *r);
void reader_end(struct reader *r);

/* 1 when the last line of the page is on screen. */
int reader_at_end(const struct reader *r);

/*
 * Move the focus to the next (dir > 0) or previous link or item, starting
 * from the edge of the screen when the focus is not on it; scrolls so the
 * whole of it shows where it fits.  Returns 0 (nothing moves) when there is none.
 */
int reader_move_focus(struct reader *r, int dir);

/* Focus the page's first checklist item: 1, or 0 when it has none. */
int reader_first_item(struct reader *r);

/* The focused item, or link target, when on screen; else -1. */
int reader_focused_item(const struct reader *r);
int reader_focused_link(const struct reader *r);

/* 1 when line i belongs to the focused link or item. */
int reader_in_focus(const struct reader *r, size_t i);

/*
 * After a question is answered: focus the next question, on this page or
 * the first one of the next page that has questions.  Returns 1 when it
 * moved, 0 when the answered one was the last.
 */
int reader_next_question(struct reader *r);

/*
 * Search the whole guideline for pattern (folded: see search.h), from the
 * top of the screen (or the start of the page when none is open), and go
 * to the first hit at or after it.  An empty pattern repeats the last
 * search.  The page changes when the hit is on another page (remembered
 * for reader_back).  READER_NOT_FOUND leaves the reader where it was.
 */
enum reader_found reader_search(struct reader *r, const char *pattern);

/* The next (dir > 0) or previous hit, wrapping around the guideline. */
enum reader_found reader_search_next(struct reader *r, int dir);

/* Stop showing hits (the pattern is kept for an empty search). */
void reader_search_stop(struct reader *r);

/* The current hit's number (1-based) and the total, for "3/12"; 0 and the total without one. */
size_t reader_hit_number(const struct reader *r);
size_t reader_hit_count(const struct reader *r);

#endif
