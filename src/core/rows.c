/*
 * rows: the progress rows that the dashboard and --progress share (see
 * rows.h).  Every word a user reads about progress is chosen here.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers_format.h"
#include "core/doc.h"
#include "core/progress.h"
#include "core/rows.h"
#include "core/text.h"
#include "core/util.h"

/* What each kind of group is called as a heading, and where a star misses a whole kind. */
static const char *const rows_kind_heading[GROUP_KIND_COUNT] = {
	[GROUP_PRINCIPLE] = "3原則",
	[GROUP_ACTION] = "重要7項目の取組",
	[GROUP_ARTICLE] = "情報セキュリティ5か条",
	[GROUP_DIAGNOSIS] = "5分でできる！情報セキュリティ自社診断",
	[GROUP_POLICY] = "情報セキュリティ基本方針",
};

/* The order the kinds are shown in: the guideline's, with the diagnosis and its score last. */
static const enum group_kind rows_kind_order[] = { GROUP_PRINCIPLE, GROUP_ACTION, GROUP_ARTICLE,
	                                           GROUP_POLICY, GROUP_DIAGNOSIS };

struct rows_builder {
	struct rows *r;
	size_t cap;
	const struct doc *d;
	const struct progress *p, *prev;
	int cells;
};

/* Add a row whose label is fmt, sanitised: content reaches here already clean, but a label is shown as is. */
UTIL_PRINTF(5, 6)
static struct row *rows_add(struct rows_builder *b, enum rows_kind kind, int level, int page,
                            const char *fmt, ...)
{
	struct rows *r = b->r;
	r->v = xgrow(r->v, &b->cap, r->n + 1, sizeof *r->v);
	struct row *row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	va_list ap;
	va_start(ap, fmt);
	char *raw = xvasprintf(fmt, ap);
	va_end(ap);
	row->label = text_sanitize(raw, strlen(raw));
	free(raw);
	row->kind = kind;
	row->level = level;
	row->bold = kind == ROWS_HEADING || kind == ROWS_SCORE || kind == ROWS_OVERALL ||
	            kind == ROWS_CONFLICT;
	row->page = page;
	row->group = -1;
	row->item = -1;
	return row;
}

static void rows_change(struct row *row, const struct progress *prev, long delta)
{
	if (!prev)
		row->change[0] = '\0';
	else if (delta == 0)
		snprintf(row->change, sizeof row->change, "=");
	else
		snprintf(row->change, sizeof row->change, "%+ld", delta);
}

/* What a group is called: principles and actions by their page title ("原則1 ..."), which numbers them. */
static const char *rows_group_label(const struct doc *d, const struct group *g)
{
	if ((g->kind == GROUP_PRINCIPLE || g->kind == GROUP_ACTION) && g->page >= 0 &&
	    (size_t)g->page < d->npages)
		return d->pages[g->page].title;
	return g->title;
}

int rows_group_bar(char *out, size_t size, const struct doc *d, const struct progress *p, size_t g,
                   int bar_cells)
{
	const struct progress_group *pg = &p->groups[g];
	if (d->groups[g].kind == GROUP_DIAGNOSIS)
		return progress_points_bar(out, size, pg->points, pg->max_points, pg->answered, bar_cells);
	return progress_bar(out, size, pg->done, pg->applicable, bar_cells);
}

long rows_group_change(const struct doc *d, const struct progress *p, const struct progress *prev,
                       size_t g)
{
	if (!prev || g >= p->ngroups || g >= prev->ngroups)
		return 0;
	if (d->groups[g].kind == GROUP_DIAGNOSIS)
		return (long)p->groups[g].points - prev->groups[g].points;
	return progress_group_delta(p, prev, g);
}

static void rows_groups(struct rows_builder *b, enum group_kind kind)
{
	const struct doc *d = b->d;
	int heading = 0;

	for (size_t g = 0; g < d->ngroups; g++) {
		const struct group *gr = &d->groups[g];
		const struct progress_group *pg = &b->p->groups[g];
		if (gr->kind != kind)
			continue;
		if (!heading++)
			rows_add(b, ROWS_HEADING, 0, -1, "%s", rows_kind_heading[kind]);
		struct row *row;
		if (kind == GROUP_DIAGNOSIS)
			/* Answered is a count beside the points, never drawn as done. */
			row = rows_add(b, ROWS_GROUP, 1, gr->page, "%s (回答 %zu/%zu)",
			               rows_group_label(d, gr), pg->answered, pg->total);
		else
			row = rows_add(b, ROWS_GROUP, 1, gr->page, "%s", rows_group_label(d, gr));
		row->group = (int)g;
		rows_group_bar(row->bar, sizeof row->bar, d, b->p, g, b->cells);
		rows_change(row, b->prev, rows_group_change(d, b->p, b->prev, g));
	}
}

static void rows_score(struct rows_builder *b)
{
	const struct progress *p = b->p;

	if (p->questions == 0)
		return;
	struct row *row;
	if (p->answered)
		row = rows_add(b, ROWS_SCORE, 1, -1, "得点: %s / %s", progress_band_title(p->band),
		               progress_band_advice(p->band));
	else
		/* No answer is no score: not the lowest band. */
		row = rows_add(b, ROWS_SCORE, 1, -1, "得点: 未回答 (まだどの設問にも答えていません)");
	progress_points_bar(row->bar, sizeof row->bar, p->score, 100, p->answered, b->cells);
	/* A change needs a score on both sides. */
	const struct progress *prev = b->prev && b->prev->answered && p->answered ? b->prev : NULL;
	rows_change(row, prev, prev ? (long)p->score - prev->score : 0);
	if (p->answered && p->answered < p->questions)
		rows_add(b, ROWS_NOTE, 1, -1, "未回答が %zu 問あります。未回答は 0 点として数えています",
		         p->questions - p->answered);
}

/* "No.1" from a question's text "No.1 ...", else its id. */
static char *rows_question_name(const struct item *it)
{
	const char *t = it->text;
	if (strncmp(t, "No.", 3) == 0) {
		size_t n = strcspn(t, " \t");
		if (n > 3 && n < 16)
			return xstrndup(t, n);
	}
	return xstrdup(it->id);
}

/* Where a 5か条 item and the question on its subject disagree: first, so it is seen. */
static void rows_conflicts(struct rows_builder *b)
{
	const struct doc *d = b->d;
	const struct progress *p = b->p;

	for (size_t i = 0; i < p->nconflicts; i++) {
		const struct item *art = &d->items[p->conflicts[i].article];
		const struct item *q = &d->items[p->conflicts[i].question];
		const struct group *g = &d->groups[art->group];
		size_t nth = 0;
		for (size_t k = 0; k < g->nitems; k++)
			if (g->items[k] == p->conflicts[i].article)
				nth = k + 1;
		char *name = rows_question_name(q);
		struct row *row =
			rows_add(b, ROWS_CONFLICT, 0, q->page,
		                 "要確認: 5か条の%zuつ目は済なのに、自社診断 %s は「実施していない」", nth,
		                 name);
		free(name);
		row->item = (int)p->conflicts[i].question;
	}
	if (p->nconflicts)
		rows_add(b, ROWS_BLANK, 0, -1, "%s", "");
}

static const char *rows_answer_name(enum answer_state st)
{
	switch (st) {
	case ANSWER_NO:
		return "実施していない";
	case ANSWER_UNKNOWN:
		return "わからない";
	case ANSWER_PARTLY:
		return "一部実施している";
	default:
		return "?";
	}
}

static void rows_improve(struct rows_builder *b)
{
	const struct doc *d = b->d;
	const struct progress *p = b->p;

	if (!p->nimprove)
		return;
	rows_add(b, ROWS_BLANK, 0, -1, "%s", "");
	rows_add(b, ROWS_HEADING, 0, -1, "改善すること (優先度の高い順)");
	for (size_t i = 0; i < p->nimprove; i++) {
		size_t it = p->improve[i].item;
		struct row *row = rows_add(b, ROWS_IMPROVE, 1, d->items[it].page, "%s: %s",
		                           rows_answer_name((enum answer_state)p->improve[i].state),
		                           d->items[it].text);
		row->item = (int)it;
	}
}

static void rows_readiness(struct rows_builder *b)
{
	const struct doc *d = b->d;
	const struct progress *p = b->p;

	rows_add(b, ROWS_HEADING, 0, -1, "SECURITY ACTION の準備状況");
	for (int stars = 1; stars <= 2; stars++) {
		int ready = stars == 1 ? p->star1 : p->star2;
		const struct progress_ready *count = stars == 1 ? &p->ready1 : &p->ready2;
		size_t unanswered = 0;
		struct row *row =
			rows_add(b, ROWS_READY, 1, -1, "%s: %s", stars == 1 ? "一つ星" : "二つ星",
		                 ready ? "宣言の準備ができています" : "まだ足りないものがあります");
		row->stars = stars;
		/* Conditions met of conditions: 100% only when nothing is missing. */
		progress_bar(row->bar, sizeof row->bar, count->met, count->total, b->cells);
		for (size_t i = 0; i < p->nmissing; i++) {
			const struct progress_missing *m = &p->missing[i];
			if (m->stars != stars)
				continue;
			if (m->reason == PROGRESS_UNANSWERED) {
				/* Every question is one: a count reads better than 25 lines. */
				unanswered++;
			} else if (m->item >= 0) {
				const struct item *it = &d->items[m->item];
				row = rows_add(b, ROWS_MISSING, 2, it->page, "- %s (%s)", it->text,
				               progress_reason_name(m->reason));
				row->item = m->item;
			} else {
				rows_add(b, ROWS_MISSING, 2, -1, "- %s (%s)",
				         m->kind >= 0 && m->kind < GROUP_KIND_COUNT
				                 ? rows_kind_heading[m->kind]
				                 : "?",
				         progress_reason_name(m->reason));
			}
		}
		if (unanswered)
			rows_add(b, ROWS_MISSING, 2, -1, "- 自社診断の未回答 %zu 問", unanswered);
	}
}

static void rows_widths(struct rows *r);

void rows_build(struct rows *r, const struct doc *d, const struct progress *p, const struct progress *prev,
                const char *prev_name, int bar_cells)
{
	struct rows_builder b = {
		r, 0, d, p, prev && prev->ngroups == p->ngroups ? prev : NULL, bar_cells
	};

	memset(r, 0, sizeof *r);
	if (b.prev) {
		if (prev_name)
			rows_add(&b, ROWS_INFO, 0, -1, "+/- は前回のセッション %s からの変化です",
			         prev_name);
		else
			rows_add(&b, ROWS_INFO, 0, -1, "+/- は前回のセッションからの変化です");
		rows_add(&b, ROWS_BLANK, 0, -1, "%s", "");
	}
	rows_conflicts(&b);
	for (size_t k = 0; k < sizeof rows_kind_order / sizeof rows_kind_order[0]; k++)
		rows_groups(&b, rows_kind_order[k]);
	rows_score(&b);

	rows_add(&b, ROWS_BLANK, 0, -1, "%s", "");
	struct row *all = rows_add(&b, ROWS_OVERALL, 0, -1, "全体");
	progress_bar(all->bar, sizeof all->bar, p->done, p->applicable, bar_cells);
	rows_change(all, b.prev, b.prev ? (long)p->done - (long)b.prev->done : 0);

	rows_add(&b, ROWS_BLANK, 0, -1, "%s", "");
	rows_readiness(&b);
	rows_improve(&b);
	rows_widths(r);
}

/* The width of the widest bar (ASCII: bytes are columns). */
static void rows_widths(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		int w = (int)strlen(r->v[i].bar);
		if (w > r->bar_width)
			r->bar_width = w;
	}
}

void rows_free(struct rows *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].label);
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* The page where a kind's first group is declared, or -1. */
static int rows_kind_page(const struct doc *d, enum group_kind kind)
{
	for (size_t g = 0; g < d->ngroups; g++)
		if (d->groups[g].kind == kind)
			return d->groups[g].page;
	return -1;
}

void rows_summary(struct rows *r, const struct doc *d, const struct progress *p, int bar_cells)
{
	static const struct {
		enum group_kind kind;
		const char *label;
	} kinds[] = { { GROUP_PRINCIPLE, "3原則" }, { GROUP_ACTION, "重要7項目" } };
	struct rows_builder b = { r, 0, d, p, NULL, bar_cells };

	memset(r, 0, sizeof *r);
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		int page = rows_kind_page(d, kinds[k].kind);
		if (page < 0)
			continue;
		size_t done = 0, applicable = 0;
		for (size_t g = 0; g < d->ngroups; g++)
			if (d->groups[g].kind == kinds[k].kind) {
				done += p->groups[g].done;
				applicable += p->groups[g].applicable;
			}
		struct row *row = rows_add(&b, ROWS_SUMMARY, 0, page, "%s", kinds[k].label);
		progress_bar(row->bar, sizeof row->bar, done, applicable, bar_cells);
	}
	/* The stars: conditions met, so a star is never full while one is open. */
	for (int stars = 1; stars <= 2; stars++) {
		const struct progress_ready *count = stars == 1 ? &p->ready1 : &p->ready2;
		int page = rows_kind_page(d, stars == 1 ? GROUP_ARTICLE : GROUP_POLICY);
		struct row *row = rows_add(&b, ROWS_SUMMARY, 0, page, "%s",
		                           stars == 1 ? "一つ星 (5か条)" : "二つ星");
		row->stars = stars;
		progress_bar(row->bar, sizeof row->bar, count->met, count->total, bar_cells);
	}
	if (p->questions) {
		struct row *row = rows_add(&b, ROWS_SCORE, 0, rows_kind_page(d, GROUP_DIAGNOSIS),
		                           "自社診断の得点 (回答 %zu/%zu)", p->answered, p->questions);
		progress_points_bar(row->bar, sizeof row->bar, p->score, 100, p->answered, bar_cells);
	}
	rows_widths(r);
}
