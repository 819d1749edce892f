/*
 * rows: the progress rows that the dashboard and --progress share (see
 * rows.h).  Every word a user reads about progress is chosen here.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	row->bold = kind == ROWS_HEADING || kind == ROWS_SCORE || kind == ROWS_OVERALL;
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
		struct row *row = rows_add(b, ROWS_GROUP, 1, gr->page, "%s", rows_group_label(d, gr));
		row->group = (int)g;
		progress_bar(row->bar, sizeof row->bar, pg->done, pg->applicable, b->cells);
		rows_change(row, b->prev, progress_group_delta(b->p, b->prev, g));
	}
}

static void rows_score(struct rows_builder *b)
{
	const struct doc *d = b->d;
	const struct progress *p = b->p;

	if (p->questions == 0)
		return;
	struct row *row = rows_add(b, ROWS_SCORE, 1, -1, "得点: %s / %s", progress_band_title(p->band),
	                           progress_band_advice(p->band));
	progress_score_bar(row->bar, sizeof row->bar, p->score, b->cells);
	rows_change(row, b->prev, b->prev ? (long)p->score - b->prev->score : 0);
	if (p->answered < p->questions)
		rows_add(b, ROWS_NOTE, 1, -1, "未回答が %zu 問あります。未回答は 0 点として数えています",
		         p->questions - p->answered);
	for (size_t i = 0; i < p->nunknown; i++) {
		const struct item *it = &d->items[p->unknown[i]];
		row = rows_add(b, ROWS_UNKNOWN, 1, it->page, "わからない: %s", it->text);
		row->item = (int)p->unknown[i];
	}
}

static void rows_readiness(struct rows_builder *b)
{
	const struct doc *d = b->d;
	const struct progress *p = b->p;

	rows_add(b, ROWS_HEADING, 0, -1, "SECURITY ACTION の準備状況");
	for (int stars = 1; stars <= 2; stars++) {
		int ready = stars == 1 ? p->star1 : p->star2;
		size_t unanswered = 0;
		rows_add(b, ROWS_READY, 1, -1, "%s: %s", stars == 1 ? "一つ星" : "二つ星",
		         ready ? "宣言の準備ができています" : "まだ足りないものがあります");
		for (size_t i = 0; i < p->nmissing; i++) {
			const struct progress_missing *m = &p->missing[i];
			if (m->stars != stars)
				continue;
			if (m->reason == PROGRESS_UNANSWERED) {
				/* Every question is one: a count reads better than 25 lines. */
				unanswered++;
			} else if (m->item >= 0) {
				const struct item *it = &d->items[m->item];
				struct row *row = rows_add(b, ROWS_MISSING, 2, it->page, "- %s (%s)",
				                           it->text, progress_reason_name(m->reason));
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
	for (size_t k = 0; k < sizeof rows_kind_order / sizeof rows_kind_order[0]; k++)
		rows_groups(&b, rows_kind_order[k]);
	rows_score(&b);

	rows_add(&b, ROWS_BLANK, 0, -1, "%s", "");
	struct row *all = rows_add(&b, ROWS_OVERALL, 0, -1, "全体");
	progress_bar(all->bar, sizeof all->bar, p->done, p->applicable, bar_cells);
	rows_change(all, b.prev, b.prev ? (long)p->done - (long)b.prev->done : 0);

	rows_add(&b, ROWS_BLANK, 0, -1, "%s", "");
	rows_readiness(&b);

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
