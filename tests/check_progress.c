/*
 * check_progress: the arithmetic (done / applicable with 該当しない items),
 * the diagnosis score and its bands at their edges, scaling for another
 * number of questions, readiness for one and two stars, the change since
 * the previous session and the ASCII bar.  What is shown of it, and the
 * --progress reports, are check_rows.c's.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/progress.h"
#include "docfix.h"
#include "suites.h"
#include "testutil.h"

/* An answers file text built line by line. */
struct lines {
	char buf[65536];
	size_t len;
};

static void lines_init(struct lines *l)
{
	l->len = (size_t)snprintf(l->buf, sizeof l->buf, "mamori-answers 1\n");
}

static void lines_add(struct lines *l, const char *id, const char *state)
{
	int n = snprintf(l->buf + l->len, sizeof l->buf - l->len, "%s %s -\n", id, state);
	ck_assert_int_gt(n, 0);
	l->len += (size_t)n;
	ck_assert_uint_lt(l->len, sizeof l->buf);
}

static void load(struct answers *a, const struct lines *l, const struct doc *d)
{
	ck_assert_int_eq(answers_parse_buffer(a, "t.txt", l->buf, l->len, d), 0);
	ck_assert_uint_eq(a->ndiags, 0);
}

/* principle p1 (5 items), action a1 (2), article art (5), diagnosis (n questions), policy (1). */
static void build(struct doc *d, int questions)
{
	memset(d, 0, sizeof *d);
	docfix_items(d, "p1", docfix_group(d, "p1", GROUP_PRINCIPLE, "原則1"), 5);
	docfix_items(d, "a1", docfix_group(d, "a1", GROUP_ACTION, "取組1"), 2);
	docfix_items(d, "art", docfix_group(d, "art", GROUP_ARTICLE, "5か条"), 5);
	if (questions > 0) {
		/* Two parts, to check that the score is over all of them. */
		int half = questions / 2;
		docfix_items(d, "da", docfix_group(d, "diag-1", GROUP_DIAGNOSIS, "Part 1"), half);
		docfix_items(d, "db", docfix_group(d, "diag-2", GROUP_DIAGNOSIS, "Part 2"),
		             questions - half);
	}
	docfix_items(d, "pol", docfix_group(d, "sa2", GROUP_POLICY, "基本方針"), 1);
}

START_TEST(test_counts_with_na)
{
	struct doc d;
	build(&d, 4);
	struct lines l;
	lines_init(&l);
	lines_add(&l, "p1-1", "done");
	lines_add(&l, "p1-2", "done");
	lines_add(&l, "p1-3", "na");
	lines_add(&l, "p1-4", "todo");
	/* p1-5 not answered */
	lines_add(&l, "a1-1", "na");
	lines_add(&l, "a1-2", "na");
	lines_add(&l, "da-1", "yes");
	lines_add(&l, "db-2", "unknown");
	struct answers a;
	load(&a, &l, &d);
	struct progress p;
	ck_assert_int_eq(progress_compute(&p, &d, &a), 0);
	ck_assert_uint_eq(p.ngroups, d.ngroups);
	const struct progress_group *g = &p.groups[0];
	ck_assert_uint_eq(g->total, 5);
	ck_assert_uint_eq(g->done, 2);
	ck_assert_uint_eq(g->na, 1);
	ck_assert_uint_eq(g->applicable, 4);
	ck_assert_uint_eq(g->answered, 4);
	ck_assert_int_eq(progress_percent(g->done, g->applicable), 50);
	/* A group that is all 該当しない has nothing applicable: no percent at all. */
	g = &p.groups[1];
	ck_assert_uint_eq(g->applicable, 0);
	ck_assert_uint_eq(g->done, 0);
	ck_assert_int_eq(progress_percent(g->done, g->applicable), -1);
	/*
	 * A diagnosis part: done is 実施している only; answered (わからない
	 * included) is its own count, and points are of 4 a question.
	 */
	ck_assert_uint_eq(p.groups[3].done, 1);
	ck_assert_uint_eq(p.groups[3].answered, 1);
	ck_assert_int_eq(p.groups[3].points, 4);
	ck_assert_int_eq(p.groups[3].max_points, 8);
	ck_assert_uint_eq(p.groups[4].done, 0);
	ck_assert_uint_eq(p.groups[4].answered, 1);
	ck_assert_int_eq(p.groups[4].points, -1);
	ck_assert_int_eq(p.groups[4].max_points, 8);
	ck_assert_uint_eq(p.groups[4].unknown, 1);
	/* Overall: 5+2+5+4+1 items, 3 of them n/a; done 2 + 1 question answered 実施している. */
	ck_assert_uint_eq(p.applicable, 17 - 3);
	ck_assert_uint_eq(p.done, 3);
	ck_assert_uint_eq(p.questions, 4);
	ck_assert_uint_eq(p.answered, 2);
	ck_assert_int_eq(p.points, 3);
	/* 4 questions: 3 points of 16, scaled to 100 and rounded down: 18. */
	ck_assert_int_eq(p.score, 18);
	ck_assert_int_eq(p.score_min, -25);
	ck_assert_int_eq(p.band, PROGRESS_BAND_DANGER);
	ck_assert_uint_eq(p.nunknown, 1);
	ck_assert_str_eq(d.items[p.unknown[0]].id, "db-2");
	progress_free(&p);
	/* No answers at all. */
	ck_assert_int_eq(progress_compute(&p, &d, NULL), 0);
	ck_assert_uint_eq(p.done, 0);
	ck_assert_uint_eq(p.applicable, 17);
	ck_assert_int_eq(p.score, 0);
	/* Nothing answered is 未回答, not the lowest band. */
	ck_assert_int_eq(p.band, PROGRESS_BAND_UNANSWERED);
	ck_assert_str_eq(progress_band_title(p.band), "未回答");
	ck_assert_uint_eq(p.groups[3].answered, 0);
	progress_free(&p);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_percent_rounding)
{
	ck_assert_int_eq(progress_percent(0, 3), 0);
	ck_assert_int_eq(progress_percent(1, 3), 33);
	ck_assert_int_eq(progress_percent(2, 3), 66);
	ck_assert_int_eq(progress_percent(199, 200), 99); /* never 100 until all are done */
	ck_assert_int_eq(progress_percent(200, 200), 100);
	ck_assert_int_eq(progress_percent(0, 0), -1);
}
END_TEST

/*
 * Answer the 25 questions so the points add up to target: y yes, p partly,
 * u unknown, the rest no.  Returns 0 when no such answers exist.
 */
static int answers_for(int target, int n, int *y, int *p, int *u)
{
	for (*y = 0; *y <= n; (*y)++)
		for (*p = 0; *y + *p <= n; (*p)++)
			for (*u = 0; *y + *p + *u <= n; (*u)++)
				if (4 * *y + 2 * *p - *u == target)
					return 1;
	return 0;
}

static int score_with(struct doc *d, int y, int p, int u)
{
	struct lines l;
	lines_init(&l);
	size_t q = 0;
	for (size_t i = 0; i < d->nitems; i++) {
		if (!d->items[i].question)
			continue;
		const char *st = q < (size_t)y             ? "yes"
		                 : q < (size_t)(y + p)     ? "partly"
		                 : q < (size_t)(y + p + u) ? "unknown"
		                                           : "no";
		lines_add(&l, d->items[i].id, st);
		q++;
	}
	struct answers a;
	load(&a, &l, d);
	struct progress pr;
	ck_assert_int_eq(progress_compute(&pr, d, &a), 0);
	ck_assert_uint_eq(pr.answered, q);
	ck_assert_int_eq(pr.points, 4 * y + 2 * p - u);
	ck_assert_uint_eq(pr.nunknown, (size_t)u);
	int score = pr.score;
	ck_assert_int_eq(pr.band, progress_band_of(score));
	progress_free(&pr);
	answers_close(&a);
	return score;
}

START_TEST(test_band_edges)
{
	static const struct {
		int score;
		enum progress_band band;
	} edges[] = {
		{ -25, PROGRESS_BAND_DANGER },      { 49, PROGRESS_BAND_DANGER },
		{ 50, PROGRESS_BAND_INSUFFICIENT }, { 69, PROGRESS_BAND_INSUFFICIENT },
		{ 70, PROGRESS_BAND_PARTIAL },      { 99, PROGRESS_BAND_PARTIAL },
		{ 100, PROGRESS_BAND_FULL },
	};
	struct doc d;
	build(&d, 25);
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
		ck_assert_int_eq(progress_band_of(edges[i].score), edges[i].band);
		/* Reach the score with real answers where 25 questions can (99 cannot). */
		int y, p, u;
		if (!answers_for(edges[i].score, 25, &y, &p, &u)) {
			ck_assert_int_eq(edges[i].score, 99);
			continue;
		}
		/* With 25 questions the score is the raw sum of points. */
		ck_assert_int_eq(score_with(&d, y, p, u), edges[i].score);
	}
	ck_assert_str_eq(progress_band_title(PROGRESS_BAND_FULL), "入門レベルのセキュリティ対策は達成");
	ck_assert_str_eq(progress_band_advice(PROGRESS_BAND_FULL), "さらに強化");
	ck_assert_str_eq(progress_band_title(PROGRESS_BAND_PARTIAL), "部分的な対策が不十分");
	ck_assert_str_eq(progress_band_advice(PROGRESS_BAND_PARTIAL), "100点満点への挑戦");
	ck_assert_str_eq(progress_band_title(PROGRESS_BAND_INSUFFICIENT), "対策が不十分");
	ck_assert_str_eq(progress_band_advice(PROGRESS_BAND_INSUFFICIENT), "低い項目から改善");
	ck_assert_str_eq(progress_band_title(PROGRESS_BAND_DANGER), "事故がいつ起きても不思議ではない");
	ck_assert_str_eq(progress_band_advice(PROGRESS_BAND_DANGER), "早急に改善");
	doc_free(&d);
}
END_TEST

START_TEST(test_score_scaling)
{
	/* Another number of questions: scaled to 100, rounded down. */
	struct doc d;
	build(&d, 100);
	ck_assert_int_eq(score_with(&d, 100, 0, 0), 100);
	ck_assert_int_eq(score_with(&d, 99, 1, 0), 99); /* 398/400: not 100 */
	ck_assert_int_eq(score_with(&d, 0, 0, 100), -25);
	ck_assert_int_eq(score_with(&d, 49, 1, 0), 49); /* 198/400 = 49.5 */
	doc_free(&d);
	build(&d, 3);
	ck_assert_int_eq(score_with(&d, 0, 0, 1), -9); /* -1/12 = -8.3: floor */
	ck_assert_int_eq(score_with(&d, 3, 0, 0), 100);
	ck_assert_int_eq(score_with(&d, 2, 0, 0), 66);
	doc_free(&d);
	/* No questions: no band. */
	build(&d, 0);
	struct progress p;
	ck_assert_int_eq(progress_compute(&p, &d, NULL), 0);
	ck_assert_int_eq(p.band, PROGRESS_BAND_NONE);
	ck_assert_uint_eq(p.questions, 0);
	progress_free(&p);
	doc_free(&d);
}
END_TEST

static int has_missing(const struct progress *p, const struct doc *d, int stars, enum progress_reason r,
                       const char *id)
{
	for (size_t i = 0; i < p->nmissing; i++) {
		const struct progress_missing *m = &p->missing[i];
		if (m->stars == stars && m->reason == r &&
		    (id ? m->item >= 0 && strcmp(d->items[m->item].id, id) == 0 : m->item < 0))
			return 1;
	}
	return 0;
}

START_TEST(test_readiness)
{
	struct doc d;
	build(&d, 2);
	struct lines l;
	struct answers a;
	struct progress p;
	lines_init(&l);
	load(&a, &l, &d);
	ck_assert_int_eq(progress_compute(&p, &d, &a), 0);
	ck_assert_int_eq(p.star1, 0);
	ck_assert_int_eq(p.star2, 0);
	ck_assert_uint_eq(p.nmissing, 5 + 2 + 1);
	/* Readiness as counts: 5 articles; 2 questions and 1 policy item. */
	ck_assert_uint_eq(p.ready1.met, 0);
	ck_assert_uint_eq(p.ready1.total, 5);
	ck_assert_uint_eq(p.ready2.met, 0);
	ck_assert_uint_eq(p.ready2.total, 3);
	ck_assert(has_missing(&p, &d, 1, PROGRESS_NOT_DONE, "art-1"));
	ck_assert(has_missing(&p, &d, 2, PROGRESS_UNANSWERED, "db-1"));
	ck_assert(has_missing(&p, &d, 2, PROGRESS_NOT_DONE, "pol-1"));
	/* Star one first, in content order. */
	ck_assert_int_eq(p.missing[0].stars, 1);
	ck_assert_str_eq(d.items[p.missing[0].item].id, "art-1");
	progress_free(&p);
	answers_close(&a);

	/* Four articles done and one 該当しない: not ready, and the reason says why. */
	lines_init(&l);
	for (int i = 1; i <= 4; i++) {
		char id[16];
		snprintf(id, sizeof id, "art-%d", i);
		lines_add(&l, id, "done");
	}
	lines_add(&l, "art-5", "na");
	lines_add(&l, "da-1", "unknown");
	lines_add(&l, "db-1", "no");
	lines_add(&l, "pol-1", "done");
	load(&a, &l, &d);
	ck_assert_int_eq(progress_compute(&p, &d, &a), 0);
	ck_assert_int_eq(p.star1, 0);
	ck_assert_uint_eq(p.nmissing, 1);
	ck_assert(has_missing(&p, &d, 1, PROGRESS_NA, "art-5"));
	/* 該当しない is not met: 4 of 5, never shown full. */
	ck_assert_uint_eq(p.ready1.met, 4);
	ck_assert_uint_eq(p.ready1.total, 5);
	ck_assert_int_lt(progress_percent(p.ready1.met, p.ready1.total), 100);
	/* Every question answered (わからない counts) and the policy done: two stars. */
	ck_assert_int_eq(p.star2, 1);
	ck_assert_uint_eq(p.ready2.met, 3);
	ck_assert_uint_eq(p.ready2.total, 3);
	progress_free(&p);
	answers_close(&a);

	/* The policy item not done blocks star two only. */
	lines_init(&l);
	for (int i = 1; i <= 5; i++) {
		char id[16];
		snprintf(id, sizeof id, "art-%d", i);
		lines_add(&l, id, "done");
	}
	lines_add(&l, "da-1", "yes");
	lines_add(&l, "db-1", "yes");
	lines_add(&l, "pol-1", "todo");
	load(&a, &l, &d);
	ck_assert_int_eq(progress_compute(&p, &d, &a), 0);
	ck_assert_int_eq(p.star1, 1);
	ck_assert_int_eq(p.star2, 0);
	ck_assert_uint_eq(p.nmissing, 1);
	ck_assert(has_missing(&p, &d, 2, PROGRESS_NOT_DONE, "pol-1"));
	progress_free(&p);
	answers_close(&a);
	doc_free(&d);

	/* Content with no article, diagnosis or policy group: never ready, and it says so. */
	memset(&d, 0, sizeof d);
	docfix_items(&d, "p1", docfix_group(&d, "p1", GROUP_PRINCIPLE, "原則1"), 1);
	ck_assert_int_eq(progress_compute(&p, &d, NULL), 0);
	ck_assert_int_eq(p.star1, 0);
	ck_assert_int_eq(p.star2, 0);
	ck_assert_uint_eq(p.nmissing, 3);
	ck_assert(has_missing(&p, &d, 1, PROGRESS_NO_GROUP, NULL));
	/* A kind the content lacks is a condition that is never met. */
	ck_assert_uint_eq(p.ready1.met, 0);
	ck_assert_uint_eq(p.ready1.total, 1);
	ck_assert_uint_eq(p.ready2.total, 2);
	ck_assert_int_eq(p.missing[0].kind, GROUP_ARTICLE);
	progress_free(&p);
	doc_free(&d);
}
END_TEST

START_TEST(test_delta)
{
	struct doc d;
	build(&d, 2);
	struct lines l;
	struct answers a, b;
	struct progress cur, prev;
	lines_init(&l);
	lines_add(&l, "p1-1", "done");
	lines_add(&l, "art-1", "done");
	lines_add(&l, "art-2", "done");
	lines_add(&l, "da-1", "no");
	load(&b, &l, &d);
	lines_init(&l);
	lines_add(&l, "p1-1", "done");
	lines_add(&l, "p1-2", "done");
	lines_add(&l, "p1-3", "done");
	lines_add(&l, "art-1", "done");
	lines_add(&l, "da-1", "yes");
	lines_add(&l, "db-1", "partly");
	load(&a, &l, &d);
	ck_assert_int_eq(progress_compute(&cur, &d, &a), 0);
	ck_assert_int_eq(progress_compute(&prev, &d, &b), 0);
	ck_assert_int_eq(progress_group_delta(&cur, &prev, 0), 2);  /* p1: +2 done */
	ck_assert_int_eq(progress_group_delta(&cur, &prev, 1), 0);  /* a1 */
	ck_assert_int_eq(progress_group_delta(&cur, &prev, 2), -1); /* art */
	/* A part's done is 実施している: 実施していない -> 実施している is +1, */
	ck_assert_int_eq(progress_group_delta(&cur, &prev, 3), 1);
	/* and a new 一部実施している answer is no more done than before. */
	ck_assert_int_eq(progress_group_delta(&cur, &prev, 4), 0);
	ck_assert_int_eq(progress_group_delta(&cur, NULL, 0), 0);
	ck_assert_int_eq(cur.score - prev.score, 75 - 0);
	progress_free(&cur);
	progress_free(&prev);
	answers_close(&a);
	answers_close(&b);
	doc_free(&d);
}
END_TEST

START_TEST(test_bar)
{
	char buf[128];
	ck_assert_int_eq(progress_bar(buf, sizeof buf, 3, 5, 10), 22);
	ck_assert_str_eq(buf, "[######----]  60%  3/5");
	progress_bar(buf, sizeof buf, 0, 4, 10);
	ck_assert_str_eq(buf, "[----------]   0%  0/4");
	progress_bar(buf, sizeof buf, 2, 3, 10);
	ck_assert_str_eq(buf, "[######----]  66%  2/3");
	progress_bar(buf, sizeof buf, 199, 200, 10);
	ck_assert_str_eq(buf, "[#########-]  99%  199/200");
	progress_bar(buf, sizeof buf, 5, 5, 10);
	ck_assert_str_eq(buf, "[##########] 100%  5/5");
	progress_bar(buf, sizeof buf, 0, 0, 4);
	ck_assert_str_eq(buf, "[----]    -  0/0");
	progress_bar(buf, sizeof buf, 1, 2, 0); /* width at least 1 */
	ck_assert_str_eq(buf, "[-]  50%  1/2");
	/* Truncated like snprintf: always terminated, returns what it needed. */
	char small[6];
	ck_assert_int_eq(progress_bar(small, sizeof small, 3, 5, 10), 22);
	ck_assert_str_eq(small, "[####");
	/* Points: of their possible points, "-" while nothing is answered. */
	ck_assert_int_eq(progress_points_bar(buf, sizeof buf, 60, 100, 20, 10), 23);
	ck_assert_str_eq(buf, "[######----]   60/100pt");
	progress_points_bar(buf, sizeof buf, -25, 100, 25, 10);
	ck_assert_str_eq(buf, "[----------]  -25/100pt");
	progress_points_bar(buf, sizeof buf, 0, 28, 7, 10);
	ck_assert_str_eq(buf, "[----------]    0/28pt");
	progress_points_bar(buf, sizeof buf, 27, 28, 7, 10);
	ck_assert_str_eq(buf, "[#########-]   27/28pt");
	progress_points_bar(buf, sizeof buf, 0, 20, 0, 10);
	ck_assert_str_eq(buf, "[----------]    -/20pt");
	progress_points_bar(buf, sizeof buf, 100, 100, 25, 10);
	ck_assert_str_eq(buf, "[##########]  100/100pt");
	/* ASCII only. */
	for (const char *c = buf; *c; c++)
		ck_assert((unsigned char)*c < 0x80);
}
END_TEST

START_TEST(test_real_content)
{
	/* The shipped content and an answers file written through answers_set. */
	struct doc d;
	memset(&d, 0, sizeof d);
	int r = doc_load(&d, test_content_dir());
	ck_assert_msg(r == 0, "content: %s", d.ndiags ? d.diags[0].msg : "?");
	ck_assert_uint_gt(d.nitems, 0);
	struct progress p;
	ck_assert_int_eq(progress_compute(&p, &d, NULL), 0);
	size_t items = 0;
	for (size_t g = 0; g < d.ngroups; g++)
		items += d.groups[g].nitems;
	ck_assert_uint_eq(p.applicable, items);
	ck_assert_uint_eq(p.done, 0);
	progress_free(&p);
	char *dir = testutil_tmpdir(testutil_root()), path[4200];
	snprintf(path, sizeof path, "%s/a.txt", dir);
	struct answers a;
	ck_assert_int_eq(answers_open(&a, path, &d, ANSWERS_CREATE), 0);
	size_t set = 0;
	for (size_t i = 0; i < d.nitems; i += 2) {
		ck_assert_int_eq(answers_set(&a, d.items[i].id,
		                             d.items[i].question ? ANSWER_PARTLY : ANSWER_DONE, NULL,
		                             (time_t)1795566600),
		                 0);
		set += !d.items[i].question;
	}
	answers_close(&a);
	ck_assert_int_eq(answers_open(&a, path, &d, ANSWERS_READONLY), 0);
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_int_eq(progress_compute(&p, &d, &a), 0);
	/* Checklist items done count; a question answered 一部実施している does not. */
	ck_assert_uint_eq(p.done, set);
	progress_free(&p);
	answers_close(&a);
	testutil_rmrf(dir);
	free(dir);
	doc_free(&d);
}
END_TEST

/*
 * What to improve, worst first (実施していない, わからない, 一部), and the
 * conflict of a 5か条 item done with the question on its subject
 * 実施していない, by the ids the shipped content uses.
 */
START_TEST(test_improve_and_conflicts)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	int art = docfix_group(&d, "five", GROUP_ARTICLE, "5か条");
	docfix_item(&d, "art-1", art, "更新");
	docfix_item(&d, "art-2", art, "ウイルス対策");
	docfix_item(&d, "art-3", art, "パスワード");
	int q = docfix_group(&d, "part1", GROUP_DIAGNOSIS, "Part1");
	docfix_item(&d, "diag-01", q, "No.1 更新");
	docfix_item(&d, "diag-02", q, "No.2 ウイルス対策");
	docfix_item(&d, "diag-03", q, "No.3 パスワード");
	docfix_item(&d, "diag-04", q, "No.4 アクセス");
	struct lines l;
	lines_init(&l);
	lines_add(&l, "art-1", "done");
	lines_add(&l, "art-2", "done");
	lines_add(&l, "art-3", "todo");
	lines_add(&l, "diag-01", "no");      /* art-1 done: a conflict */
	lines_add(&l, "diag-02", "partly");  /* art-2 done but only 一部: no conflict */
	lines_add(&l, "diag-03", "no");      /* art-3 not done: no conflict */
	lines_add(&l, "diag-04", "unknown"); /* art-4 is not in the content: skipped */
	struct answers a;
	load(&a, &l, &d);
	struct progress p;
	ck_assert_int_eq(progress_compute(&p, &d, &a), 0);
	ck_assert_uint_eq(p.nimprove, 4);
	static const char *const want[] = { "diag-01", "diag-03", "diag-04", "diag-02" };
	static const enum answer_state states[] = { ANSWER_NO, ANSWER_NO, ANSWER_UNKNOWN, ANSWER_PARTLY };
	for (size_t i = 0; i < 4; i++) {
		ck_assert_str_eq(d.items[p.improve[i].item].id, want[i]);
		ck_assert_int_eq(p.improve[i].state, states[i]);
	}
	ck_assert_uint_eq(p.nconflicts, 1);
	ck_assert_str_eq(d.items[p.conflicts[0].article].id, "art-1");
	ck_assert_str_eq(d.items[p.conflicts[0].question].id, "diag-01");
	progress_free(&p);
	answers_close(&a);
	/* All 実施している: nothing to improve, no conflict. */
	lines_init(&l);
	lines_add(&l, "art-1", "done");
	for (int i = 1; i <= 4; i++) {
		char id[16];
		snprintf(id, sizeof id, "diag-%02d", i);
		lines_add(&l, id, "yes");
	}
	load(&a, &l, &d);
	ck_assert_int_eq(progress_compute(&p, &d, &a), 0);
	ck_assert_uint_eq(p.nimprove, 0);
	ck_assert_uint_eq(p.nconflicts, 0);
	ck_assert_int_eq(p.score, 100);
	ck_assert_int_eq(p.band, PROGRESS_BAND_FULL);
	progress_free(&p);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

Suite *progress_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("progress");
	tcase_add_unchecked_fixture(tc, testutil_root_setup, testutil_root_teardown);
	tcase_add_test(tc, test_counts_with_na);
	tcase_add_test(tc, test_percent_rounding);
	tcase_add_test(tc, test_band_edges);
	tcase_add_test(tc, test_score_scaling);
	tcase_add_test(tc, test_readiness);
	tcase_add_test(tc, test_delta);
	tcase_add_test(tc, test_bar);
	tcase_add_test(tc, test_real_content);
	tcase_add_test(tc, test_improve_and_conflicts);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
