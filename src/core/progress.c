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

/* Readiness for one group kind: every item done (checklist) or answered (questions). */
static void progress_ready(struct progress *p, const struct doc *d, const struct answers *a,
                           enum group_kind kind, int stars, size_t *cap, int *ready)
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
			if (d->items[it].question) {
				if (answers_state_is_question(st))
					continue;
				why = PROGRESS_UNANSWERED;
			} else {
				if (st == ANSWER_DONE)
					continue;
				why = st == ANSWER_NA ? PROGRESS_NA : PROGRESS_NOT_DONE;
			}
			*ready = 0;
			progress_add_missing(p, cap, stars, why, (int)it, (int)kind);
		}
	}
	if (!any) {
		*ready = 0;
		progress_add_missing(p, cap, stars, PROGRESS_NO_GROUP, -1, (int)kind);
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
			if (st != ANSWER_NONE)
				pg->answered++;
			if (d->items[it].question) {
				p->questions++;
				if (answers_state_is_question(st)) {
					pg->done++;
					p->answered++;
					pg->points += answers_state_points(st);
				}
				if (st == ANSWER_UNKNOWN) {
					pg->unknown++;
					p->unknown = xgrow(p->unknown, &ucap, p->nunknown + 1,
					                   sizeof *p->unknown);
					p->unknown[p->nunknown++] = it;
				}
			} else if (st == ANSWER_DONE) {
				pg->done++;
			} else if (st == ANSWER_NA) {
				pg->na++;
			}
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
		p->band = progress_band_of(p->score);
	} else {
		p->band = PROGRESS_BAND_NONE;
	}
	size_t mcap = 0;
	p->star1 = p->star2 = 1;
	progress_ready(p, d, a, GROUP_ARTICLE, 1, &mcap, &p->star1);
	progress_ready(p, d, a, GROUP_DIAGNOSIS, 2, &mcap, &p->star2);
	progress_ready(p, d, a, GROUP_POLICY, 2, &mcap, &p->star2);
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

int progress_score_bar(char *out, size_t size, int score, int width)
{
	char tail[32];
	snprintf(tail, sizeof tail, " %4d/100", score);
	if (width < 1)
		width = 1;
	int fill = score <= 0 ? 0 : score >= 100 ? width : (int)((long)score * width / 100);
	return progress_draw(out, size, fill, width, tail);
}

long progress_group_delta(const struct progress *cur, const struct progress *prev, size_t g)
{
	if (!cur || !prev || g >= cur->ngroups || g >= prev->ngroups)
		return 0;
	return (long)cur->groups[g].done - (long)prev->groups[g].done;
}
