/*
 * rows: the one list of progress rows that the dashboard and `mamori
 * --progress` draw from, so the two can never word the same fact
 * differently.  A row is a line: an indent level, a label (its wording,
 * decided here and only here), a right-hand column (an ASCII bar and the
 * change since the previous session), bold or not, and the page Enter
 * opens.  Built from a doc, its progress and, optionally, the previous
 * session's progress.  No output and no curses: the dashboard draws the
 * rows, report.c writes them as text.
 *
 * The rows, in order: a note on what +/- compares with (only with a
 * previous session); per kind of group (3原則, 重要7項目の取組, 5か条,
 * 基本方針, 自社診断) a bold heading and one row per group with its bar;
 * for the 自社診断 the score and its band, how many questions are
 * unanswered, and each わからない answer; 全体; then SECURITY ACTION
 * readiness, one row per star and what holds it back.  Blank rows
 * separate the sections.
 */
#ifndef MAMORI_ROWS_H
#define MAMORI_ROWS_H

#include <stddef.h>

struct doc;
struct progress;

enum rows_kind {
	ROWS_BLANK,   /* an empty line between sections */
	ROWS_INFO,    /* what the +/- column compares with */
	ROWS_HEADING, /* a kind of group, or the readiness section: bold */
	ROWS_GROUP,   /* one group: bar of done / applicable (answered questions for a part) */
	ROWS_SCORE,   /* the 自社診断 score and its band: score bar; bold */
	ROWS_NOTE,    /* how many questions are unanswered (counted as 0 points) */
	ROWS_UNKNOWN, /* a question answered わからない: item */
	ROWS_OVERALL, /* 全体: bar of every item; bold */
	ROWS_READY,   /* 一つ星 / 二つ星: ready or not */
	ROWS_MISSING  /* what holds a star back: item, a missing kind, or the unanswered count */
};

/* Room for a bar: "[" + cells + "]" + " 100%  9999/9999", NUL included. */
#define ROWS_BAR_SIZE 160

struct row {
	enum rows_kind kind;
	int level;               /* indent step: 0, 1 or 2 (two columns a step on the dashboard) */
	char *label;             /* UTF-8, sanitised, never NULL ("" on a blank row) */
	char bar[ROWS_BAR_SIZE]; /* ASCII: "[####------]  40%  2/5", "[###-------]   30/100", or "" */
	char change[16];         /* ASCII change since prev: "+2", "-1", "=", or "" (no prev, no bar) */
	int bold;
	int page;  /* the page Enter opens (index in doc.pages), or -1 */
	int group; /* ROWS_GROUP: index in doc.groups; else -1 */
	int item;  /* ROWS_UNKNOWN, ROWS_MISSING of an item: index in doc.items; else -1 */
};

struct rows {
	struct row *v;
	size_t n;
	int bar_width; /* columns of the widest bar (bars are ASCII: bytes = columns) */
};

/*
 * Build the rows of p (computed over d).  prev, the previous session's
 * progress over the same d, may be NULL: then every change is "" and
 * there is no ROWS_INFO row; prev_name (may be NULL) names it in that row.
 * bar_cells is the number of cells between a bar's brackets (the
 * dashboard uses 10, --progress 20).  Out of memory aborts.  Free with
 * rows_free (safe on a zeroed struct).
 */
void rows_build(struct rows *r, const struct doc *d, const struct progress *p, const struct progress *prev,
                const char *prev_name, int bar_cells);
void rows_free(struct rows *r);

#endif
