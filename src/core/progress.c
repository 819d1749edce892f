/*
 * progress: counts, score, band and readiness computed from a doc and its
 * answers, plus the ASCII bar and the text/TSV reports of --progress.
 * The rules are in progress.h.  Output goes only to the FILE* given, and
 * every string from the content or the answers passes text_sanitize.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/progress.h"
#include "core/text.h"

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
	case PROGRESS_BAND_FULL: return "入門レベルのセキュリティ対策は達成";
	case PROGRESS_BAND_PARTIAL: return "部分的な対策が不十分";
	case PROGRESS_BAND_INSUFFICIENT: return "対策が不十分";
	case PROGRESS_BAND_DANGER: return "事故がいつ起きても不思議ではない";
	default: return "診断の設問がない";
	}
}

const char *progress_band_advice(enum progress_band b)
{
	switch (b) {
	case PROGRESS_BAND_FULL: return "さらに強化";
	case PROGRESS_BAND_PARTIAL: return "100点満点への挑戦";
	case PROGRESS_BAND_INSUFFICIENT: return "低い項目から改善";
	case PROGRESS_BAND_DANGER: return "早急に改善";
	default: return "";
	}
}

const char *progress_reason_name(enum progress_reason r)
{
	switch (r) {
	case PROGRESS_NOT_DONE: return "未実施";
	case PROGRESS_NA: return "該当しないにしている";
	case PROGRESS_UNANSWERED: return "未回答";
	case PROGRESS_NO_GROUP: return "内容にない";
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

static int progress_add_missing(struct progress *p, size_t *cap, int stars,
                                enum progress_reason r, int item, int kind)
{
	if (p->nmissing == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct progress_missing *v = realloc(p->missing, c * sizeof *v);
		if (!v)
			return -ENOMEM;
		p->missing = v;
		*cap = c;
	}
	p->missing[p->nmissing++] = (struct progress_missing){stars, r, item, kind};
	return 0;
}

/* Readiness for one group kind: every item done (checklist) or answered (questions). */
static int progress_ready(struct progress *p, const struct doc *d, const struct answers *a,
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
			if (progress_add_missing(p, cap, stars, why, (int)it, (int)kind) < 0)
				return -ENOMEM;
		}
	}
	if (!any) {
		*ready = 0;
		if (progress_add_missing(p, cap, stars, PROGRESS_NO_GROUP, -1, (int)kind) < 0)
			return -ENOMEM;
	}
	return 0;
}

int progress_compute(struct progress *p, const struct doc *d, const struct answers *a)
{
	memset(p, 0, sizeof *p);
	if (d->ngroups) {
		p->groups = calloc(d->ngroups, sizeof *p->groups);
		if (!p->groups)
			return -ENOMEM;
	}
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
					if (p->nunknown == ucap) {
						ucap = ucap ? ucap * 2 : 8;
						size_t *v = realloc(p->unknown, ucap * sizeof *v);
						if (!v) {
							progress_free(p);
							return -ENOMEM;
						}
						p->unknown = v;
					}
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
	if (progress_ready(p, d, a, GROUP_ARTICLE, 1, &mcap, &p->star1) < 0 ||
	    progress_ready(p, d, a, GROUP_DIAGNOSIS, 2, &mcap, &p->star2) < 0 ||
	    progress_ready(p, d, a, GROUP_POLICY, 2, &mcap, &p->star2) < 0) {
		progress_free(p);
		return -ENOMEM;
	}
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

/* Write s sanitised; returns -1 when it could not be. */
static int progress_puts_safe(FILE *f, const char *s)
{
	char *t = text_sanitize(s ? s : "", s ? strlen(s) : 0);
	if (!t)
		return -1;
	fputs(t, f);
	free(t);
	return 0;
}

static int progress_finish(FILE *f, int r)
{
	if (r < 0)
		return -ENOMEM;
	if (fflush(f) == EOF || ferror(f))
		return -EIO;
	return 0;
}

static void progress_delta_str(char *buf, size_t size, long delta, int have_prev)
{
	if (!have_prev)
		buf[0] = '\0';
	else if (delta == 0)
		snprintf(buf, size, "=");
	else
		snprintf(buf, size, "%+ld", delta);
}

#define PROGRESS_WIDTH 20

int progress_write_text(FILE *f, const struct doc *d, const struct progress *p,
                        const struct progress *prev)
{
	int r = 0;
	char bar[128], delta[24];
	int have_prev = prev && prev->ngroups == p->ngroups;
	/* Pad the bars to one width, so every title starts in the same column. */
	int bw = 0;
	for (size_t g = 0; g <= p->ngroups; g++) {
		int w = g < p->ngroups
		            ? progress_bar(bar, sizeof bar, p->groups[g].done, p->groups[g].applicable,
		                           PROGRESS_WIDTH)
		            : progress_bar(bar, sizeof bar, p->done, p->applicable, PROGRESS_WIDTH);
		if (w > bw)
			bw = w;
	}
	for (size_t g = 0; g < p->ngroups && r == 0; g++) {
		const struct group *gr = &d->groups[g];
		progress_bar(bar, sizeof bar, p->groups[g].done, p->groups[g].applicable,
		             PROGRESS_WIDTH);
		progress_delta_str(delta, sizeof delta, progress_group_delta(p, prev, g), have_prev);
		fprintf(f, "%-*s %4s  %s ", bw, bar, delta,
		        gr->kind == GROUP_DIAGNOSIS ? "diagnosis-part" : doc_group_kind_name(gr->kind));
		r |= progress_puts_safe(f, gr->id);
		fputs("  ", f);
		r |= progress_puts_safe(f, gr->title);
		fputc('\n', f);
	}
	progress_bar(bar, sizeof bar, p->done, p->applicable, PROGRESS_WIDTH);
	progress_delta_str(delta, sizeof delta, prev ? (long)p->done - (long)prev->done : 0,
	                   prev != NULL);
	fprintf(f, "%-*s %4s  overall  全体\n", bw, bar, delta);

	if (p->questions) {
		progress_score_bar(bar, sizeof bar, p->score, PROGRESS_WIDTH);
		progress_delta_str(delta, sizeof delta, prev ? (long)p->score - prev->score : 0,
		                   prev != NULL);
		fprintf(f, "\n%-*s %4s  diagnosis  自社診断: %d点 (%d..100), %zu/%zu 回答\n", bw, bar,
		        delta, p->score, p->score_min, p->answered, p->questions);
		fprintf(f, "  %s / %s\n", progress_band_title(p->band), progress_band_advice(p->band));
		if (p->answered < p->questions)
			fprintf(f, "  未回答の設問は0点として数えています\n");
		for (size_t i = 0; i < p->nunknown && r == 0; i++) {
			const struct item *it = &d->items[p->unknown[i]];
			fputs("  わからない: ", f);
			r |= progress_puts_safe(f, it->id);
			fputs("  ", f);
			r |= progress_puts_safe(f, it->text);
			fputc('\n', f);
		}
	}

	fprintf(f, "\nSECURITY ACTION 一つ星: %s\n", p->star1 ? "宣言の準備ができています" : "まだ");
	fprintf(f, "SECURITY ACTION 二つ星: %s\n", p->star2 ? "宣言の準備ができています" : "まだ");
	for (size_t i = 0; i < p->nmissing && r == 0; i++) {
		const struct progress_missing *m = &p->missing[i];
		fprintf(f, "  %s: ", m->stars == 1 ? "一つ星" : "二つ星");
		if (m->item < 0) {
			fprintf(f, "%s (%s)\n", doc_group_kind_name((enum group_kind)m->kind),
			        progress_reason_name(m->reason));
			continue;
		}
		r |= progress_puts_safe(f, d->items[m->item].id);
		fprintf(f, " (%s)\n", progress_reason_name(m->reason));
	}
	return progress_finish(f, r);
}

static void progress_tsv_row(FILE *f, const char *kind, const char *id, const char *title,
                             long done, long applicable, int pct, int *r)
{
	fprintf(f, "%s\t", kind);
	*r |= progress_puts_safe(f, id);
	fputc('\t', f);
	*r |= progress_puts_safe(f, title);
	if (pct == -1 && applicable == 0)
		fprintf(f, "\t%ld\t%ld\t-\n", done, applicable);
	else
		fprintf(f, "\t%ld\t%ld\t%d\n", done, applicable, pct);
}

int progress_write_tsv(FILE *f, const struct doc *d, const struct progress *p)
{
	int r = 0;
	fputs("kind\tid\ttitle\tdone\tapplicable\tpercent\n", f);
	for (size_t g = 0; g < p->ngroups; g++) {
		const struct group *gr = &d->groups[g];
		const struct progress_group *pg = &p->groups[g];
		progress_tsv_row(f,
		                 gr->kind == GROUP_DIAGNOSIS ? "diagnosis-part"
		                                             : doc_group_kind_name(gr->kind),
		                 gr->id, gr->title, (long)pg->done, (long)pg->applicable,
		                 progress_percent(pg->done, pg->applicable), &r);
	}
	if (p->questions)
		progress_tsv_row(f, "diagnosis", "diagnosis", "自社診断", p->score, 100, p->score, &r);
	progress_tsv_row(f, "overall", "overall", "全体", (long)p->done, (long)p->applicable,
	                 progress_percent(p->done, p->applicable), &r);
	return progress_finish(f, r);
}
