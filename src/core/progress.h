/*
 * progress: the arithmetic over a doc and its answers: done / applicable
 * per group and overall, the diagnosis score and its band, SECURITY ACTION
 * readiness (one and two stars) with what is missing, the change since the
 * previous session and an ASCII bar.  No output: what is shown of it is
 * rows.c's (the dashboard and --progress), how it is written report.c's.
 *
 * Rules (also in the man page):
 * - A checklist item counts as done when its state is done; n/a items are
 *   left out of applicable; todo and unanswered items are applicable, not done.
 * - A diagnosis question counts as done (for the overall bar, and as a
 *   part's done count) only when answered 実施している.  Answered is
 *   counted apart and never drawn as done: a part's bar is its points of
 *   its possible points (4 a question), with the answered count beside it.
 * - Score: the sum of points (4 / 2 / 0 / -1; unanswered questions give 0).
 *   With 25 questions that is the IPA score, -25..100.  With another count
 *   it is scaled to 100 (floor of sum * 100 / (4 * questions)), so the bands
 *   keep their meaning and 100 still means every answer is 実施している.
 * - Bands: 100; 70-99; 50-69; 49 or less; with no question answered at all
 *   the band is 未回答, never the lowest.
 * - One star: every item of every article group done (n/a does not count).
 *   Two stars: every diagnosis question answered and every policy item done
 *   (the content's policy items: set the 基本方針 and publish it).  Each
 *   readiness is also a count, conditions met of conditions, that reaches
 *   100% only when every one is met; a kind of group the content lacks is
 *   one condition that can never be met.
 * - To improve: the questions answered 実施していない, わからない, then
 *   一部実施している (the report's order), content order within each.
 * - A conflict: a 5か条 item ticked done while the 自社診断 question on the
 *   same subject is answered 実施していない.  Which question matches which
 *   article is a table of ids in progress.c (the content format has no
 *   attribute for it); a pair whose ids the content lacks is skipped.
 */
#ifndef MAMORI_PROGRESS_H
#define MAMORI_PROGRESS_H

#include <stddef.h>

struct doc;
struct answers;

struct progress_group {
	size_t total;      /* items in the group */
	size_t done;       /* done items (questions answered 実施している in a diagnosis part) */
	size_t na;         /* 該当しない items */
	size_t applicable; /* total - na */
	size_t answered;   /* items with any state (not counting open) */
	int points;        /* diagnosis parts: sum of points, else 0 */
	int max_points;    /* diagnosis parts: 4 a question, else 0 */
	size_t unknown;    /* diagnosis parts: わからない answers */
};

enum progress_band {
	PROGRESS_BAND_NONE,         /* the content has no diagnosis questions */
	PROGRESS_BAND_FULL,         /* 100 */
	PROGRESS_BAND_PARTIAL,      /* 70-99 */
	PROGRESS_BAND_INSUFFICIENT, /* 50-69 */
	PROGRESS_BAND_DANGER,       /* 49 or less */
	PROGRESS_BAND_UNANSWERED    /* no question answered yet: no score to judge */
};

enum progress_reason {
	PROGRESS_NOT_DONE,   /* a checklist item that is not done (todo or unanswered) */
	PROGRESS_NA,         /* marked 該当しない where the star needs it done */
	PROGRESS_UNANSWERED, /* a diagnosis question with no answer */
	PROGRESS_NO_GROUP    /* the content has no group of this kind at all */
};

struct progress_missing {
	int stars; /* 1 or 2: which readiness it holds back */
	enum progress_reason reason;
	int item; /* index in doc.items, -1 for PROGRESS_NO_GROUP */
	int kind; /* enum group_kind, for PROGRESS_NO_GROUP */
};

/* A 5か条 item done while the question on its subject says 実施していない. */
struct progress_conflict {
	size_t article;  /* index in doc.items of the article item */
	size_t question; /* index in doc.items of the question */
};

/* A question to improve and its answer. */
struct progress_improve {
	size_t item; /* index in doc.items */
	int state;   /* enum answer_state: ANSWER_NO, ANSWER_UNKNOWN or ANSWER_PARTLY */
};

/* A readiness as a count: conditions met of conditions (see the rules). */
struct progress_ready {
	size_t met, total;
};

struct progress {
	struct progress_group *groups; /* one per doc.groups, same order */
	size_t ngroups;
	size_t done, applicable;    /* overall: every item of every group */
	size_t questions, answered; /* diagnosis questions */
	int points;                 /* raw sum of points */
	int score;                  /* see the rules above */
	int score_min;              /* -25 with 25 questions */
	enum progress_band band;
	size_t *unknown; /* items answered わからない, content order */
	size_t nunknown;
	int star1, star2;                     /* 1 when ready */
	struct progress_ready ready1, ready2; /* the same as counts; ready when met == total */
	struct progress_missing *missing;     /* content order, star 1 first */
	size_t nmissing;
	struct progress_improve *improve; /* questions to improve, worst first */
	size_t nimprove;
	struct progress_conflict *conflicts; /* content order of the articles */
	size_t nconflicts;
};

/*
 * Compute p from d and a (a may be NULL: nothing answered).  Returns 0
 * (out of memory aborts).  Free with progress_free (safe on a zeroed struct).
 */
int progress_compute(struct progress *p, const struct doc *d, const struct answers *a);
void progress_free(struct progress *p);

/*
 * Percent done of applicable, rounded down (100 only when all are done);
 * -1 when applicable is 0.
 */
int progress_percent(size_t done, size_t applicable);

/* The score's band, and its two lines: the verdict and what to do next. */
enum progress_band progress_band_of(int score);
const char *progress_band_title(enum progress_band b);  /* e.g. "対策が不十分" */
const char *progress_band_advice(enum progress_band b); /* e.g. "低い項目から改善" */

/*
 * Render "[######----]  60%  3/5" into out (size bytes, always
 * NUL-terminated; ASCII only).  width is the number of cells between the
 * brackets (at least 1).  With applicable 0 the bar is empty and the
 * percent shows as "  -".  Returns the length it needed, as snprintf does.
 */
int progress_bar(char *out, size_t size, size_t done, size_t applicable, int width);

/*
 * A bar of points: "[######----]   16/20pt" (a negative sum draws empty),
 * for a diagnosis part (its points of 4 a question) and the score (of
 * 100).  With answered 0 the number is "-": nothing answered has no
 * points, not the lowest.  ASCII only; returns what snprintf would.
 */
int progress_points_bar(char *out, size_t size, int points, int max, size_t answered, int width);

/*
 * Change of group g since prev: cur done - prev done (for a diagnosis part
 * the questions answered 実施している; its points' change is the
 * difference of the groups' points, the score's cur->score - prev->score).
 * Both must come from the same doc; 0 when prev is NULL.
 */
long progress_group_delta(const struct progress *cur, const struct progress *prev, size_t g);

/* A short Japanese label for a missing reason: "未実施", "未回答", ... */
const char *progress_reason_name(enum progress_reason r);

#endif
