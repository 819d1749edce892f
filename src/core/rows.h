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
 * previous session); a warning for each 5か条 item ticked done while the
 * 自社診断 question on its subject says 実施していない; per kind of group
 * (3原則, 重要7項目の取組, 5か条, 基本方針, 自社診断) a bold heading and
 * one row per group with its bar (a 自社診断 part: points of possible
 * points, the answered count in its label, never answered drawn as done);
 * for the 自社診断 the score and its band (未回答 while nothing is
 * answered) and how many questions are unanswered; 全体; SECURITY ACTION
 * readiness, one row per star with its bar of conditions met and what
 * holds it back; then what to improve: the questions answered
 * 実施していない, わからない and 一部実施している, worst first.  Blank rows
 * separate the sections.
 *
 * The contents screen shows a shorter list, the summary (rows_summary):
 * one row per kind that carries a checklist, the two stars and the score.
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
	ROWS_GROUP,   /* one group: bar of done / applicable, or a part's points of possible points */
	ROWS_SCORE,   /* the 自社診断 score and its band: points bar of 100; bold */
	ROWS_NOTE,    /* how many questions are unanswered (counted as 0 points) */
	ROWS_OVERALL, /* 全体: bar of every item (a question done when 実施している); bold */
	ROWS_READY,   /* 一つ星 / 二つ星: ready or not, bar of conditions met */
	ROWS_MISSING, /* what holds a star back: item, a missing kind, or the unanswered count */
	ROWS_CONFLICT, /* a 5か条 item done, its question 実施していない: item is the question; bold */
	ROWS_IMPROVE, /* a question to improve: item */
	ROWS_SUMMARY  /* rows_summary: a kind or a star, with its bar */
};

/* Room for a bar: "[" + cells + "]" + " 100%  9999/9999", NUL included. */
#define ROWS_BAR_SIZE 160

struct row {
	enum rows_kind kind;
	int level;               /* indent step: 0, 1 or 2 (two columns a step on the dashboard) */
	char *label;             /* UTF-8, sanitised, never NULL ("" on a blank row) */
	char bar[ROWS_BAR_SIZE]; /* ASCII: "[####------]  40%  2/5", "[###-------]   30/100pt", or "" */
	char change[16];         /* ASCII change since prev: "+2", "-1", "=", or "" (no prev, no bar) */
	int bold;
	int page;  /* the page Enter opens (index in doc.pages), or -1 */
	int group; /* ROWS_GROUP: index in doc.groups; else -1 */
	int stars; /* ROWS_READY, and a star's ROWS_SUMMARY: 1 or 2; else 0 */
	int item;  /* ROWS_IMPROVE, ROWS_CONFLICT, ROWS_MISSING of an item: index in doc.items; else -1 */
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

/*
 * The contents' summary of p: a ROWS_SUMMARY row for 3原則 and 重要7項目
 * (done / applicable over all their groups), 一つ星 and 二つ星 (conditions
 * met), and a ROWS_SCORE row for the 自社診断 score (points of 100, the
 * answered count in its label, the longest: it comes last).  Each is
 * there only when the content has that kind (a star always is); page is
 * where Enter goes.  Labels but the score's are at most 14 columns, so
 * two entries fit on a line of 80.
 */
void rows_summary(struct rows *r, const struct doc *d, const struct progress *p, int bar_cells);

/*
 * The bar of group g as every screen draws it: done / applicable for a
 * checklist, points of possible points for a 自社診断 part (progress_bar,
 * progress_points_bar).  Returns the length it needed, as snprintf does.
 */
int rows_group_bar(char *out, size_t size, const struct doc *d, const struct progress *p, size_t g,
                   int bar_cells);

/* The change of group g since prev in its bar's unit (points for a 自社診断 part); 0 without prev. */
long rows_group_change(const struct doc *d, const struct progress *p, const struct progress *prev,
                       size_t g);

#endif
