/*
 * progress: counts, score, band and readiness computed from a doc and its
 * answers, and the ASCII bars.  The rules are in progress.h; what is shown
 * of them is in rows.c, how it is written out in report.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/progress.h"
#include "core/util.h"

void progress_free(struct progress *p)
{
	if (!p)
		return;
	free(p->groups);
	free(p->unknown);
	free(p->missing);
	free(p->improve);
	free(p->conflicts);
	memset(p, 0, sizeof *p);
}

/* Floor of a / b for b > 0, also for negative a. */
static long progress_floor_div(long a, long b)
{
	long q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

enum progress_band progress_band_of(int score)
{
	if (score >= 100)
		return PROGRESS_BAND_FULL;
	if (score >= 70)
		return PROGRESS_BAND_PARTIAL;
	if (score >= 50)
		return PROGRESS_BAND_INSUFFICIENT;
	return PROGRESS_BAND_DANGER;
}

const char *progress_band_title(enum progress_band b)
{
	switch (b) {
	case PROGRESS_BAND_FULL:
		return "入門レベルのセキュリティ対策は達成";
	case PROGRESS_BAND_PARTIAL:
		return "部分的な対策が不十分";
	case PROGRESS_BAND_INSUFFICIENT:
		return "対策が不十分";
	case PROGRESS_BAND_DANGER:
		return "事故がいつ起きても不思議ではない";
	case PROGRESS_BAND_UNANSWERED:
		return "未回答";
	default:
		return "診断の設問がない";
	}
}

const char *progress_band_advice(enum progress_band b)
{
	switch (b) {
	case PROGRESS_BAND_FULL:
		return "さらに強化";
	case PROGRESS_BAND_PARTIAL:
		return "100点満点への挑戦";
	case PROGRESS_BAND_INSUFFICIENT:
		return "低い項目から改善";
	case PROGRESS_BAND_DANGER:
		return "早急に改善";
	case PROGRESS_BAND_UNANSWERED:
		return "自社診断の設問に答える";
	default:
		return "";
	}
}

const char *progress_reason_name(enum progress_reason r)
{
	switch (r) {
	case PROGRESS_NOT_DONE:
		return "未実施";
	case PROGRESS_NA:
		return "該当しないにしている";
	case PROGRESS_UNANSWERED:
		return "未回答";
	case PROGRESS_NO_GROUP:
		return "内容にない";
	}
	return "?";
}

/* The state of item it; by index when a was loaded with this doc, else by id. */
static enum answer_state progress_state(const struct doc *d, const struct answers *a, size_t it)
{
	if (!a)
		return ANSWER_NONE;
	return a->doc == d ? answers_get_item(a, it) : answers_get(a, d->items[it].id);
}

static void progress_add_missing(struct progress *p, size_t *cap, int stars, enum progress_reason r,
                                 int item, int kind)
{
	p->missing = xgrow(p->missing, cap, p->nmissing + 1, sizeof *p->missing);
	p->missing[p->nmissing++] = (struct progress_missing){ stars, r, item, kind };
}

/*
 * Readiness for one group kind: every item done (checklist) or answered
 * (questions), each item one condition of *count.
 */
static void progress_ready(struct progress *p, const struct doc *d, const struct answers *a,
                           enum group_kind kind, int stars, size_t *cap, int *ready,
                           struct progress_ready *count)
{
	int any = 0;
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct group *gr = &d->groups[g];
		if (gr->kind != kind)
			continue;
		any = 1;
		for (size_t k = 0; k < gr->nitems; k++) {
			size_t it = gr->items[k];
			enum answer_state st = progress_state(d, a, it);
			enum progress_reason why;
			count->total++;
			if (d->items[it].question) {
				if (answers_state_is_question(st)) {
					count->met++;
					continue;
				}
				why = PROGRESS_UNANSWERED;
			} else {
				if (st == ANSWER_DONE) {
					count->met++;
					continue;
				}
				why = st == ANSWER_NA ? PROGRESS_NA : PROGRESS_NOT_DONE;
			}
			*ready = 0;
			progress_add_missing(p, cap, stars, why, (int)it, (int)kind);
		}
	}
	if (!any) {
		/* A kind the content lacks is a condition nothing can meet. */
		count->total++;
		*ready = 0;
		progress_add_missing(p, cap, stars, PROGRESS_NO_GROUP, -1, (int)kind);
	}
}

/* The questions to improve: 実施していない, わからない, 一部実施している; content order within. */
static void progress_improve(struct progress *p, const struct doc *d, const struct answers *a)
{
	static const enum answer_state order[] = { ANSWER_NO, ANSWER_UNKNOWN, ANSWER_PARTLY };
	size_t cap = 0;

	for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
		for (size_t it = 0; it < d->nitems; it++) {
			if (!d->items[it].question || progress_state(d, a, it) != order[o])
				continue;
			p->improve = xgrow(p->improve, &cap, p->nimprove + 1, sizeof *p->improve);
			p->improve[p->nimprove++] = (struct progress_improve){ it, (int)order[o] };
		}
}

/*
 * Which 5か条 item and which 自社診断 question are on the same subject.
 * The pairing is the guideline's own (Part1 No.1-5 check the five
 * articles, in order), but the content format has no attribute to say so
 * and doc.c is not to grow one now: so a table of ids, and a pair whose
 * ids the content lacks is skipped.  Nothing here counts items.
 */
static const char *const progress_same_subject[][2] = {
	{ "art-1", "diag-01" }, /* OS and software updates */
	{ "art-2", "diag-02" }, /* antivirus and its definitions */
	{ "art-3", "diag-03" }, /* strong passwords */
	{ "art-4", "diag-04" }, /* sharing and access limited */
	{ "art-5", "diag-05" }, /* learning of threats and sharing them */
};

static void progress_conflicts(struct progress *p, const struct doc *d, const struct answers *a)
{
	size_t cap = 0;

	for (size_t i = 0; i < sizeof progress_same_subject / sizeof progress_same_subject[0]; i++) {
		int art = doc_find_item(d, progress_same_subject[i][0]);
		int q = doc_find_item(d, progress_same_subject[i][1]);
		if (art < 0 || q < 0 || d->items[art].question || !d->items[q].question)
			continue;
		if (progress_state(d, a, (size_t)art) != ANSWER_DONE ||
		    progress_state(d, a, (size_t)q) != ANSWER_NO)
			continue;
		p->conflicts = xgrow(p->conflicts, &cap, p->nconflicts + 1, sizeof *p->conflicts);
		p->conflicts[p->nconflicts++] = (struct progress_conflict){ (size_t)art, (size_t)q };
	}
}

int progress_compute(struct progress *p, const struct doc *d, const struct answers *a)
{
	memset(p, 0, sizeof *p);
	if (d->ngroups)
		p->groups = xcalloc(d->ngroups, sizeof *p->groups);
	p->ngroups = d->ngroups;
	size_t ucap = 0;
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct group *gr = &d->groups[g];
		struct progress_group *pg = &p->groups[g];
		pg->total = gr->nitems;
		for (size_t k = 0; k < gr->nitems; k++) {
			size_t it = gr->items[k];
			enum answer_state st = progress_state(d, a, it);
			if (d->items[it].question) {
				p->questions++;
				pg->max_points += 4;
				if (answers_state_is_question(st)) {
					pg->answered++;
					p->answered++;
					pg->points += answers_state_points(st);
				}
				/* Done is 実施している: an answer is not a measure in place. */
				if (st == ANSWER_YES)
					pg->done++;
				if (st == ANSWER_UNKNOWN) {
					pg->unknown++;
					p->unknown = xgrow(p->unknown, &ucap, p->nunknown + 1,
					                   sizeof *p->unknown);
					p->unknown[p->nunknown++] = it;
				}
				continue;
			}
			if (st != ANSWER_NONE)
				pg->answered++;
			if (st == ANSWER_DONE)
				pg->done++;
			else if (st == ANSWER_NA)
				pg->na++;
		}
		pg->applicable = pg->total - pg->na;
		p->done += pg->done;
		p->applicable += pg->applicable;
		p->points += pg->points;
	}
	if (p->questions) {
		long max = 4L * (long)p->questions;
		p->score = (int)progress_floor_div((long)p->points * 100, max);
		p->score_min = (int)progress_floor_div(-(long)p->questions * 100, max);
		/* Nothing answered is no answer, not the lowest band. */
		p->band = p->answered ? progress_band_of(p->score) : PROGRESS_BAND_UNANSWERED;
	} else {
		p->band = PROGRESS_BAND_NONE;
	}
	size_t mcap = 0;
	p->star1 = p->star2 = 1;
	progress_ready(p, d, a, GROUP_ARTICLE, 1, &mcap, &p->star1, &p->ready1);
	progress_ready(p, d, a, GROUP_DIAGNOSIS, 2, &mcap, &p->star2, &p->ready2);
	progress_ready(p, d, a, GROUP_POLICY, 2, &mcap, &p->star2, &p->ready2);
	progress_improve(p, d, a);
	progress_conflicts(p, d, a);
	return 0;
}

int progress_percent(size_t done, size_t applicable)
{
	if (applicable == 0)
		return -1;
	if (done >= applicable)
		return 100;
	return (int)((unsigned long long)done * 100 / applicable);
}

/* Append c to out while there is room, counting what would be needed. */
static void progress_put(char *out, size_t size, size_t *n, char c)
{
	if (*n + 1 < size)
		out[*n] = c;
	(*n)++;
}

static int progress_draw(char *out, size_t size, int fill, int width, const char *tail)
{
	size_t n = 0;
	if (width < 1)
		width = 1;
	if (fill < 0)
		fill = 0;
	if (fill > width)
		fill = width;
	progress_put(out, size, &n, '[');
	for (int i = 0; i < width; i++)
		progress_put(out, size, &n, i < fill ? '#' : '-');
	progress_put(out, size, &n, ']');
	for (const char *t = tail; *t; t++)
		progress_put(out, size, &n, *t);
	if (size)
		out[n < size ? n : size - 1] = '\0';
	return (int)n;
}

int progress_bar(char *out, size_t size, size_t done, size_t applicable, int width)
{
	char tail[64];
	int pct = progress_percent(done, applicable);
	if (pct < 0)
		snprintf(tail, sizeof tail, "    -  %zu/%zu", done, applicable);
	else
		snprintf(tail, sizeof tail, " %3d%%  %zu/%zu", pct, done, applicable);
	if (width < 1)
		width = 1;
	int fill = 0;
	if (applicable)
		fill = done >= applicable ? width
		                          : (int)((unsigned long long)done * (unsigned)width / applicable);
	return progress_draw(out, size, fill, width, tail);
}

int progress_points_bar(char *out, size_t size, int points, int max, size_t answered, int width)
{
	char tail[48];
	if (answered)
		snprintf(tail, sizeof tail, " %4d/%dpt", points, max);
	else
		snprintf(tail, sizeof tail, "    -/%dpt", max);
	if (width < 1)
		width = 1;
	int fill = points <= 0 || max <= 0 ? 0 : points >= max ? width : (int)((long)points * width / max);
	return progress_draw(out, size, fill, width, tail);
}

long progress_group_delta(const struct progress *cur, const struct progress *prev, size_t g)
{
	if (!cur || !prev || g >= cur->ngroups || g >= prev->ngroups)
		return 0;
	return (long)cur->groups[g].done - (long)prev->groups[g].done;
}
