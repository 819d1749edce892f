/*
 * check_rows: the one list of progress rows and the --progress reports
 * written from it.  A group's bar counts its done and applicable items,
 * the change since the previous session is on the row it belongs to, the
 * wording the dashboard shows is the wording --progress prints (every
 * label of the rows appears in the text, once per row), and the TSV keeps
 * its columns.  Content strings are shown in visible form, never raw.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/progress.h"
#include "core/report.h"
#include "core/rows.h"
#include "core/text.h"
#include "core/util.h"
#include "docfix.h"
#include "suites.h"
#include "testutil.h"

/* principle p1 (5 items), action a1 (2), article art (5), two diagnosis parts (1 + 1), policy (1). */
static void build(struct doc *d)
{
	memset(d, 0, sizeof *d);
	docfix_items(d, "p1", docfix_group(d, "p1", GROUP_PRINCIPLE, "原則1"), 5);
	docfix_items(d, "a1", docfix_group(d, "a1", GROUP_ACTION, "取組1"), 2);
	docfix_items(d, "art", docfix_group(d, "art", GROUP_ARTICLE, "5か条"), 5);
	docfix_items(d, "da", docfix_group(d, "diag-1", GROUP_DIAGNOSIS, "Part 1"), 1);
	docfix_items(d, "db", docfix_group(d, "diag-2", GROUP_DIAGNOSIS, "Part 2"), 1);
	docfix_items(d, "pol", docfix_group(d, "sa2", GROUP_POLICY, "基本方針"), 1);
}

/* Answers from a NULL-ended list of "id state" pairs. */
static void load(struct answers *a, const struct doc *d, const char *const *pairs)
{
	char buf[4096];
	size_t len = (size_t)snprintf(buf, sizeof buf, "mamori-answers 1\n");
	for (size_t i = 0; pairs[i]; i += 2)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s %s -\n", pairs[i], pairs[i + 1]);
	ck_assert_uint_lt(len, sizeof buf);
	ck_assert_int_eq(answers_parse_buffer(a, "t.txt", buf, len, d), 0);
	ck_assert_uint_eq(a->ndiags, 0);
}

/* What report_progress_text writes for r, as a string the caller frees. */
static char *text_of(const struct doc *d, const struct rows *r)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(report_progress_text(f, d, r, 0), 0);
	fclose(f);
	return out;
}

/* The row of group g, or NULL. */
static const struct row *group_row(const struct rows *r, int g)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind == ROWS_GROUP && r->v[i].group == g)
			return &r->v[i];
	return NULL;
}

/* The first row whose label starts with s, or NULL. */
static const struct row *row_starting(const struct rows *r, const char *s)
{
	for (size_t i = 0; i < r->n; i++)
		if (strncmp(r->v[i].label, s, strlen(s)) == 0)
			return &r->v[i];
	return NULL;
}

/* Every row's label, and its bar and change, are on one line of the text, in the rows' order. */
static void assert_text_has_rows(const char *text, const struct rows *r)
{
	const char *at = text;
	for (size_t i = 0; i < r->n; i++) {
		const struct row *row = &r->v[i];
		const char *eol = strchr(at, '\n');
		ck_assert_msg(eol != NULL, "row %zu (%s) has no line", i, row->label);
		char *line = strndup(at, (size_t)(eol - at));
		ck_assert_msg(strstr(line, row->label) != NULL, "row %zu: '%s' not in '%s'", i, row->label,
		              line);
		if (row->bar[0]) {
			ck_assert_msg(strncmp(line, row->bar, strlen(row->bar)) == 0, "bar of row %zu", i);
			if (row->change[0])
				ck_assert_msg(strstr(line, row->change) != NULL, "change of row %zu", i);
		}
		free(line);
		at = eol + 1;
	}
	ck_assert_str_eq(at, "");
}

START_TEST(test_group_bars_and_changes)
{
	struct doc d;
	build(&d);
	static const char *const before[] = { "p1-1", "done", "art-1", "done", "art-2",
		                              "done", "da-1", "no",    NULL };
	static const char *const now[] = { "p1-1", "done",    "p1-2", "done", "p1-3",
		                           "na",   "art-1",   "done", "da-1", "yes",
		                           "db-1", "unknown", "a1-1", "done", NULL };
	struct answers a, b;
	struct progress cur, prev;
	load(&b, &d, before);
	load(&a, &d, now);
	progress_compute(&cur, &d, &a);
	progress_compute(&prev, &d, &b);

	struct rows r;
	rows_build(&r, &d, &cur, &prev, "2026-11-24", 10);
	/*
	 * Each checklist's bar counts its own done / applicable (n/a left out);
	 * a 自社診断 part's is its points of 4 a question, with the answered
	 * count in its label.
	 */
	for (size_t g = 0; g < d.ngroups; g++) {
		const struct row *row = group_row(&r, (int)g);
		ck_assert_ptr_nonnull(row);
		char want[64], label[128];
		if (d.groups[g].kind == GROUP_DIAGNOSIS) {
			snprintf(want, sizeof want, " %4d/%dpt", cur.groups[g].points,
			         cur.groups[g].max_points);
			snprintf(label, sizeof label, "%s (回答 %zu/%zu)", d.groups[g].title,
			         cur.groups[g].answered, cur.groups[g].total);
		} else {
			snprintf(want, sizeof want, "  %zu/%zu", cur.groups[g].done,
			         cur.groups[g].applicable);
			snprintf(label, sizeof label, "%s", d.groups[g].title);
		}
		size_t bl = strlen(row->bar), wl = strlen(want);
		ck_assert_msg(bl > wl && strcmp(row->bar + bl - wl, want) == 0, "group %zu: %s", g,
		              row->bar);
		ck_assert_int_eq(row->level, 1);
		ck_assert_str_eq(row->label, label);
	}
	ck_assert_str_eq(group_row(&r, 3)->bar, "[##########]    4/4pt");
	ck_assert_str_eq(group_row(&r, 4)->bar, "[----------]   -1/4pt");
	ck_assert_str_eq(group_row(&r, 0)->bar, "[#####-----]  50%  2/4");
	ck_assert_str_eq(group_row(&r, 1)->bar, "[#####-----]  50%  1/2");
	/* The change since the previous session, on the group it belongs to. */
	ck_assert_str_eq(group_row(&r, 0)->change, "+1");
	ck_assert_str_eq(group_row(&r, 2)->change, "-1");
	/* A part's change is in points: 実施していない (0) to 実施している (4), none to わからない. */
	ck_assert_str_eq(group_row(&r, 3)->change, "+4");
	ck_assert_str_eq(group_row(&r, 4)->change, "-1");
	/* A row Enter can open has a page; a heading has none and is bold. */
	const struct row *h = row_starting(&r, "3原則");
	ck_assert_ptr_nonnull(h);
	ck_assert(h->bold);
	ck_assert_int_eq(h->page, -1);
	ck_assert_int_eq(h->kind, ROWS_HEADING);
	/* What +/- compares with, by name. */
	ck_assert_ptr_nonnull(row_starting(&r, "+/- は前回のセッション 2026-11-24 から"));
	/* The score: 4 + (-1) of 8 points, scaled to 100 = 37, up 37 from the 0 of "no". */
	const struct row *sc = row_starting(&r, "得点: ");
	ck_assert_ptr_nonnull(sc);
	ck_assert_str_eq(sc->bar, "[###-------]   37/100pt");
	ck_assert_str_eq(sc->change, "+37");
	const struct row *u = row_starting(&r, "わからない: ");
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(u->kind, ROWS_IMPROVE);
	ck_assert_str_eq(u->label, "わからない: 項目 db-1");
	ck_assert_str_eq(d.items[u->item].id, "db-1");
	/* Readiness in one wording, whatever draws it. */
	ck_assert_ptr_nonnull(row_starting(&r, "一つ星: まだ足りないものがあります"));
	ck_assert_ptr_nonnull(row_starting(&r, "- 項目 art-2 (未実施)"));
	ck_assert_ptr_nonnull(row_starting(&r, "- 項目 pol-1 (未実施)"));
	const struct row *all = row_starting(&r, "全体");
	ck_assert_ptr_nonnull(all);
	ck_assert_str_eq(all->change, "+2");

	/* --progress says the same things, row for row, with the ids that name what counts. */
	char *text = text_of(&d, &r);
	assert_text_has_rows(text, &r);
	ck_assert_ptr_nonnull(strstr(text, "  +1  principle p1  原則1\n"));
	ck_assert_ptr_nonnull(strstr(text, "  -1  article art  5か条\n"));
	ck_assert_ptr_nonnull(strstr(text, "  +4  diagnosis-part diag-1  Part 1 (回答 1/1)\n"));
	ck_assert_ptr_nonnull(strstr(text, " +37  diagnosis  得点: "));
	ck_assert_ptr_nonnull(strstr(text, "star-1  一つ星: まだ足りないものがあります\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n    - 項目 art-2 (未実施)\n"));
	free(text);
	rows_free(&r);

	/* Without a previous session: no change anywhere and no line about it. */
	rows_build(&r, &d, &cur, NULL, NULL, 20);
	for (size_t i = 0; i < r.n; i++)
		ck_assert_str_eq(r.v[i].change, "");
	ck_assert_ptr_null(row_starting(&r, "+/-"));
	ck_assert_str_eq(group_row(&r, 0)->bar, "[##########----------]  50%  2/4");
	text = text_of(&d, &r);
	assert_text_has_rows(text, &r);
	/* Every bar starts its line and the labels line up. */
	const char *p1 = strstr(text, "principle p1"), *ov = strstr(text, "overall  全体");
	ck_assert_ptr_nonnull(p1);
	ck_assert_ptr_nonnull(ov);
	const char *l1 = p1, *l2 = ov;
	while (l1 > text && l1[-1] != '\n')
		l1--;
	while (l2 > text && l2[-1] != '\n')
		l2--;
	ck_assert_int_eq(p1 - l1, ov - l2);
	free(text);
	rows_free(&r);
	progress_free(&cur);
	progress_free(&prev);
	answers_close(&a);
	answers_close(&b);
	doc_free(&d);
}
END_TEST

START_TEST(test_ready_and_missing_kinds)
{
	/* Content with no article, diagnosis or policy group: never ready, and it says why. */
	struct doc d;
	memset(&d, 0, sizeof d);
	docfix_items(&d, "p1", docfix_group(&d, "p1", GROUP_PRINCIPLE, "原則1"), 1);
	struct progress p;
	progress_compute(&p, &d, NULL);
	struct rows r;
	rows_build(&r, &d, &p, NULL, NULL, 10);
	ck_assert_ptr_nonnull(row_starting(&r, "- 情報セキュリティ5か条 (内容にない)"));
	ck_assert_ptr_nonnull(row_starting(&r, "- 情報セキュリティ基本方針 (内容にない)"));
	ck_assert_ptr_null(row_starting(&r, "得点: ")); /* no questions, no score */
	rows_free(&r);
	progress_free(&p);
	doc_free(&d);

	/* Everything done and answered: both stars ready; unanswered questions are counted, not listed. */
	build(&d);
	static const char *const done[] = { "art-1", "done",  "art-2", "done",  "art-3",
		                            "done",  "art-4", "done",  "art-5", "done",
		                            "pol-1", "done",  "da-1",  "yes",   NULL };
	struct answers a;
	load(&a, &d, done);
	progress_compute(&p, &d, &a);
	rows_build(&r, &d, &p, NULL, NULL, 10);
	ck_assert_ptr_nonnull(row_starting(&r, "一つ星: 宣言の準備ができています"));
	ck_assert_ptr_nonnull(row_starting(&r, "二つ星: まだ足りないものがあります"));
	ck_assert_ptr_nonnull(row_starting(&r, "- 自社診断の未回答 1 問"));
	ck_assert_ptr_nonnull(row_starting(&r, "未回答が 1 問あります"));
	rows_free(&r);
	progress_free(&p);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_tsv_and_hostile_titles)
{
	struct doc d;
	build(&d);
	free(d.groups[1].title);
	d.groups[1].title = strdup("悪い\x1b[2J\tタイトル");
	static const char *const ans[] = { "p1-1", "done", "p1-2", "na",      "a1-1", "done",
		                           "da-1", "yes",  "db-1", "unknown", NULL };
	struct answers a;
	load(&a, &d, ans);
	struct progress p;
	progress_compute(&p, &d, &a);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(report_progress_tsv(f, &d, &p), 0);
	fclose(f);
	/* One row per group with exact kinds, in content order, then the diagnosis and the overall row. */
	static const char *const kinds[] = { "kind",    "principle",      "action",
		                             "article", "diagnosis-part", "diagnosis-part",
		                             "policy",  "diagnosis",      "overall" };
	size_t nrows = 0;
	char *row = out;
	for (char *nl; (nl = strchr(row, '\n')) != NULL; row = nl + 1, nrows++) {
		ck_assert_uint_lt(nrows, sizeof kinds / sizeof kinds[0]);
		size_t k = strlen(kinds[nrows]);
		ck_assert_msg(strncmp(row, kinds[nrows], k) == 0 && row[k] == '\t', "row %zu", nrows);
		int tabs = 0;
		for (char *c = row; c < nl; c++)
			tabs += *c == '\t';
		ck_assert_int_eq(tabs, 5);
	}
	ck_assert_uint_eq(nrows, sizeof kinds / sizeof kinds[0]);
	ck_assert_ptr_nonnull(strstr(out, "principle\tp1\t原則1\t1\t4\t25\n"));
	/* A part's done is its questions answered 実施している: わからない is not done. */
	ck_assert_ptr_nonnull(strstr(out, "diagnosis-part\tdiag-1\tPart 1\t1\t1\t100\n"));
	ck_assert_ptr_nonnull(strstr(out, "diagnosis-part\tdiag-2\tPart 2\t0\t1\t0\n"));
	/* 3 points of 8, scaled: 37. */
	ck_assert_ptr_nonnull(strstr(out, "diagnosis\tdiagnosis\t自社診断\t37\t100\t37\n"));
	ck_assert_ptr_nonnull(strstr(out, "overall\toverall\t全体\t3\t14\t21\n"));
	/* The control bytes in the title are shown, not sent. */
	ck_assert_ptr_null(strchr(out, '\x1b'));
	ck_assert_ptr_nonnull(strstr(out, "action\ta1\t悪い^[[2J"));
	free(out);

	struct rows r;
	rows_build(&r, &d, &p, NULL, NULL, 20);
	for (size_t i = 0; i < r.n; i++)
		ck_assert_ptr_null(strchr(r.v[i].label, '\x1b'));
	out = text_of(&d, &r);
	ck_assert_ptr_null(strchr(out, '\x1b'));
	ck_assert_ptr_nonnull(strstr(out, "悪い^[[2J"));
	ck_assert_ptr_nonnull(strstr(out, "[#####---------------]  25%  1/4"));
	ck_assert_ptr_nonnull(strstr(out, "事故がいつ起きても不思議ではない / 早急に改善"));
	free(out);
	rows_free(&r);
	progress_free(&p);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

START_TEST(test_real_content)
{
	/* The shipped content, every other item answered: bars count what progress counts. */
	struct doc d;
	memset(&d, 0, sizeof d);
	int rc = doc_load(&d, test_content_dir());
	ck_assert_msg(rc == 0, "content: %s", d.ndiags ? d.diags[0].msg : "?");
	char buf[16384];
	size_t len = (size_t)snprintf(buf, sizeof buf, "mamori-answers 1\n");
	for (size_t i = 0; i < d.nitems; i += 2)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s %s -\n", d.items[i].id,
		                        d.items[i].question ? "unknown" : "done");
	ck_assert_uint_lt(len, sizeof buf);
	struct answers a;
	ck_assert_int_eq(answers_parse_buffer(&a, "t.txt", buf, len, &d), 0);
	struct progress p;
	progress_compute(&p, &d, &a);
	struct rows r;
	rows_build(&r, &d, &p, NULL, NULL, 10);
	size_t groups = 0, improve = 0;
	for (size_t i = 0; i < r.n; i++) {
		const struct row *row = &r.v[i];
		if (row->kind == ROWS_IMPROVE)
			improve++;
		if (row->kind != ROWS_GROUP)
			continue;
		groups++;
		const struct progress_group *pg = &p.groups[row->group];
		const char *tail = strrchr(row->bar, ' ');
		ck_assert_ptr_nonnull(tail);
		if (d.groups[row->group].kind == GROUP_DIAGNOSIS) {
			int pts, max;
			ck_assert_int_eq(sscanf(tail, " %d/%dpt", &pts, &max), 2);
			ck_assert_int_eq(pts, pg->points);
			ck_assert_int_eq(max, 4 * (int)pg->total);
		} else {
			size_t done, app;
			ck_assert_int_eq(sscanf(tail, " %zu/%zu", &done, &app), 2);
			ck_assert_uint_eq(done, pg->done);
			ck_assert_uint_eq(app, pg->applicable);
		}
		/* Enter on a group opens the page the group is declared on. */
		ck_assert_int_eq(row->page, d.groups[row->group].page);
	}
	ck_assert_uint_eq(groups, d.ngroups);
	ck_assert_uint_eq(improve, p.nimprove);
	ck_assert_uint_gt(improve, 0);
	/* Principles are named by their page title, which numbers them. */
	ck_assert_ptr_nonnull(row_starting(&r, "原則1 "));
	char *text = text_of(&d, &r);
	assert_text_has_rows(text, &r);
	free(text);
	rows_free(&r);
	progress_free(&p);
	answers_close(&a);
	doc_free(&d);
}
END_TEST

/*
 * --progress at a width: no line passes it (columns, as the terminal
 * counts them), and each group's first line still holds its bar and its id
 * (scripts grep those); every label's text is all there, wrapped.
 */
START_TEST(test_text_fits_width)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	ck_assert_int_ge(doc_load(&d, test_content_dir()), 0);
	struct progress p;
	progress_compute(&p, &d, NULL);
	struct rows r;
	rows_build(&r, &d, &p, NULL, NULL, 20);
	/* From the width its bar, change and id need (about 70 with 20 cells) up. */
	static const int widths[] = { 72, 80, 100, 120 };
	for (size_t w = 0; w < 4; w++) {
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		ck_assert_int_eq(report_progress_text(f, &d, &r, widths[w]), 0);
		fclose(f);
		for (char *line = out, *nl; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			ck_assert_ptr_nonnull(nl);
			ck_assert_msg(text_width(line, (size_t)(nl - line)) <= (size_t)widths[w],
			              "a line of %zu columns at width %d: %.*s",
			              text_width(line, (size_t)(nl - line)), widths[w], (int)(nl - line),
			              line);
		}
		for (size_t g = 0; g < d.ngroups; g++)
			ck_assert_msg(strstr(out, d.groups[g].id), "group %s is missing", d.groups[g].id);
		free(out);
	}
	rows_free(&r);
	progress_free(&p);
	doc_free(&d);
}
END_TEST

/*
 * Fixture sessions over the shipped content, one per case the issue found
 * wrong: the rows must now say what is true.  ids is a NULL-ended list of
 * "id state" pairs; "diag-*" expands to every question.
 */
struct fixture {
	struct doc d;
	struct answers a;
	struct progress p;
	struct rows r, sum;
};

static void fixture_load(struct fixture *f, const char *const *pairs)
{
	memset(f, 0, sizeof *f);
	int rc = doc_load(&f->d, test_content_dir());
	ck_assert_msg(rc == 0, "content: %s", f->d.ndiags ? f->d.diags[0].msg : "?");
	struct buf b = { 0 };
	buf_adds(&b, "mamori-answers 1\n");
	for (size_t i = 0; pairs[i]; i += 2) {
		if (strcmp(pairs[i], "diag-*") != 0) {
			buf_printf(&b, "%s %s -\n", pairs[i], pairs[i + 1]);
			continue;
		}
		for (size_t it = 0; it < f->d.nitems; it++)
			if (f->d.items[it].question)
				buf_printf(&b, "%s %s -\n", f->d.items[it].id, pairs[i + 1]);
	}
	ck_assert_int_eq(answers_parse_buffer(&f->a, "t.txt", b.s, b.len, &f->d), 0);
	ck_assert_uint_eq(f->a.ndiags, 0);
	buf_free(&b);
	progress_compute(&f->p, &f->d, &f->a);
	rows_build(&f->r, &f->d, &f->p, NULL, NULL, 10);
	rows_summary(&f->sum, &f->d, &f->p, 10);
}

static void fixture_free(struct fixture *f)
{
	rows_free(&f->r);
	rows_free(&f->sum);
	progress_free(&f->p);
	answers_close(&f->a);
	doc_free(&f->d);
}

/* The row of the group with this id. */
static const struct row *group_row_id(const struct fixture *f, const char *id)
{
	int g = doc_find_group(&f->d, id);
	ck_assert_int_ge(g, 0);
	const struct row *row = group_row(&f->r, g);
	ck_assert_ptr_nonnull(row);
	return row;
}

/* The row of star 1 or 2 (ROWS_READY in r, ROWS_SUMMARY in the summary). */
static const struct row *star_row(const struct rows *r, int stars)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].stars == stars)
			return &r->v[i];
	ck_abort_msg("no row for star %d", stars);
	return NULL;
}

static size_t count_kind(const struct rows *r, enum rows_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->v[i].kind == k;
	return n;
}

/* Part3 answered 実施していない seven times: answered in full, but no points: an empty bar. */
START_TEST(test_fixture_part3_all_no)
{
	static const char *const ans[] = { "diag-19", "no",      "diag-20", "no",      "diag-21",
		                           "no",      "diag-22", "no",      "diag-23", "no",
		                           "diag-24", "no",      "diag-25", "no",      NULL };
	struct fixture f;
	fixture_load(&f, ans);
	const struct row *row = group_row_id(&f, "diagnosis-part3");
	ck_assert_str_eq(row->bar, "[----------]    0/28pt");
	ck_assert_ptr_nonnull(strstr(row->label, "(回答 7/7)"));
	ck_assert_ptr_null(strstr(row->bar, "100%"));
	/* The untouched parts say nothing was answered, not 0 points. */
	ck_assert_str_eq(group_row_id(&f, "diagnosis-part1")->bar, "[----------]    -/20pt");
	/* What to improve: the seven, in content order, by their answer in words. */
	ck_assert_uint_eq(count_kind(&f.r, ROWS_IMPROVE), 7);
	const struct row *first = row_starting(&f.r, "実施していない: No.19 ");
	ck_assert_ptr_nonnull(first);
	ck_assert_int_eq(first->kind, ROWS_IMPROVE);
	ck_assert_str_eq(f.d.items[first->item].id, "diag-19");
	ck_assert_int_eq(first->page, doc_find_page(&f.d, "diagnosis-part3"));
	ck_assert_ptr_nonnull(row_starting(&f.r, "改善すること"));
	/* A score of 0 from seven answers is a band (the rest count as 0 points). */
	ck_assert_ptr_nonnull(row_starting(&f.r, "得点: 事故がいつ起きても不思議ではない"));
	ck_assert_ptr_nonnull(row_starting(&f.r, "未回答が 18 問あります"));
	/* Overall: no question is done. */
	ck_assert_uint_eq(f.p.done, 0);
	fixture_free(&f);
}
END_TEST

/* Only the policy ticked, the 25 questions open: two stars is far from ready, nowhere 100%. */
START_TEST(test_fixture_star2_policy_only)
{
	static const char *const ans[] = { "sa2-policy", "done", NULL };
	struct fixture f;
	fixture_load(&f, ans);
	ck_assert_int_eq(f.p.star2, 0);
	char want[64];
	snprintf(want, sizeof want, "%zu/%zu", (size_t)1, f.p.questions + 1);
	const struct row *star = star_row(&f.r, 2);
	ck_assert_int_eq(star->kind, ROWS_READY);
	ck_assert_ptr_nonnull(strstr(star->bar, want));
	ck_assert_ptr_null(strstr(star->bar, "100%"));
	ck_assert_str_eq(star->bar, "[----------]   3%  1/26");
	ck_assert_ptr_nonnull(row_starting(&f.r, "二つ星: まだ足りないものがあります"));
	ck_assert_ptr_nonnull(row_starting(&f.r, "- 自社診断の未回答 25 問"));
	/* The contents' summary says the same. */
	ck_assert_str_eq(star_row(&f.sum, 2)->bar, star->bar);
	ck_assert_int_eq(star_row(&f.sum, 2)->page, doc_find_page(&f.d, "sa-two-star"));
	fixture_free(&f);
}
END_TEST

/* Nothing answered: 未回答, not the lowest band; no points, not 0 points. */
START_TEST(test_fixture_nothing_answered)
{
	static const char *const ans[] = { NULL };
	struct fixture f;
	fixture_load(&f, ans);
	const struct row *sc = row_starting(&f.r, "得点: ");
	ck_assert_ptr_nonnull(sc);
	ck_assert_str_eq(sc->label, "得点: 未回答 (まだどの設問にも答えていません)");
	ck_assert_str_eq(sc->bar, "[----------]    -/100pt");
	for (size_t i = 0; i < f.r.n; i++)
		ck_assert_msg(!strstr(f.r.v[i].label, progress_band_title(PROGRESS_BAND_DANGER)),
		              "row %zu: %s", i, f.r.v[i].label);
	ck_assert_ptr_nonnull(strstr(group_row_id(&f, "diagnosis-part2")->label, "(回答 0/13)"));
	ck_assert_uint_eq(count_kind(&f.r, ROWS_IMPROVE), 0);
	ck_assert_uint_eq(count_kind(&f.r, ROWS_NOTE), 0);
	ck_assert_ptr_nonnull(strstr(star_row(&f.sum, 1)->bar, "  0%  0/5"));
	const struct row *ds = &f.sum.v[f.sum.n - 1];
	ck_assert_str_eq(ds->label, "自社診断の得点 (回答 0/25)");
	ck_assert_str_eq(ds->bar, "[----------]    -/100pt");
	fixture_free(&f);
}
END_TEST

/* Everything done and every answer 実施している: 100 everywhere, nothing to improve. */
START_TEST(test_fixture_all_yes)
{
	struct fixture f;
	struct doc d;
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(doc_load(&d, test_content_dir()), 0);
	const char **ans = calloc(2 * d.nitems + 1, sizeof *ans);
	for (size_t i = 0; i < d.nitems; i++) {
		ans[2 * i] = d.items[i].id;
		ans[2 * i + 1] = d.items[i].question ? "yes" : "done";
	}
	fixture_load(&f, ans);
	free(ans);
	doc_free(&d);
	ck_assert_int_eq(f.p.score, 100);
	ck_assert_ptr_nonnull(row_starting(&f.r, "得点: 入門レベルのセキュリティ対策は達成"));
	ck_assert_str_eq(row_starting(&f.r, "得点: ")->bar, "[##########]  100/100pt");
	ck_assert_str_eq(group_row_id(&f, "diagnosis-part3")->bar, "[##########]   28/28pt");
	for (int stars = 1; stars <= 2; stars++)
		ck_assert_ptr_nonnull(strstr(star_row(&f.r, stars)->bar, "100%"));
	ck_assert_ptr_nonnull(row_starting(&f.r, "二つ星: 宣言の準備ができています"));
	ck_assert_ptr_nonnull(strstr(row_starting(&f.r, "全体")->bar, "100%"));
	ck_assert_uint_eq(count_kind(&f.r, ROWS_IMPROVE), 0);
	ck_assert_uint_eq(count_kind(&f.r, ROWS_CONFLICT), 0);
	ck_assert_uint_eq(count_kind(&f.r, ROWS_MISSING), 0);
	for (size_t i = 0; i < f.sum.n; i++)
		ck_assert_msg(strstr(f.sum.v[i].bar, "100"), "summary %s: %s", f.sum.v[i].label,
		              f.sum.v[i].bar);
	fixture_free(&f);
}
END_TEST

/* 5か条 art-1 ticked done while No.1 (the same subject) says 実施していない: said first. */
START_TEST(test_fixture_conflict)
{
	static const char *const ans[] = { "art-1",   "done", "art-2",   "done", "diag-01", "no",
		                           "diag-02", "yes",  "diag-03", "no",   NULL };
	struct fixture f;
	fixture_load(&f, ans);
	ck_assert_uint_eq(count_kind(&f.r, ROWS_CONFLICT), 1);
	const struct row *c = &f.r.v[0];
	ck_assert_int_eq(c->kind, ROWS_CONFLICT);
	ck_assert_str_eq(c->label, "要確認: 5か条の1つ目は済なのに、自社診断 No.1 は「実施していない」");
	ck_assert(c->bold);
	ck_assert_str_eq(f.d.items[c->item].id, "diag-01");
	ck_assert_int_eq(c->page, doc_find_page(&f.d, "diagnosis-part1"));
	/* The improve list: worst first (No.1, No.3 実施していない), 一部 and yes not in it. */
	const struct row *imp = row_starting(&f.r, "実施していない: No.1 ");
	ck_assert_ptr_nonnull(imp);
	ck_assert_uint_lt((size_t)(imp - f.r.v) + 1, f.r.n);
	ck_assert(strncmp(imp[1].label, "実施していない: No.3 ", strlen("実施していない: No.3 ")) == 0);
	ck_assert_uint_eq(count_kind(&f.r, ROWS_IMPROVE), 2);
	fixture_free(&f);

	/* No.1 実施している: no warning. */
	static const char *const fine[] = { "art-1", "done", "diag-01", "yes", NULL };
	fixture_load(&f, fine);
	ck_assert_uint_eq(count_kind(&f.r, ROWS_CONFLICT), 0);
	fixture_free(&f);
}
END_TEST

Suite *rows_suite(void)
{
	Suite *s = suite_create("rows");
	TCase *tc = tcase_create("rows");
	tcase_add_test(tc, test_group_bars_and_changes);
	tcase_add_test(tc, test_ready_and_missing_kinds);
	tcase_add_test(tc, test_tsv_and_hostile_titles);
	tcase_add_test(tc, test_real_content);
	tcase_add_test(tc, test_text_fits_width);
	tcase_add_test(tc, test_fixture_part3_all_no);
	tcase_add_test(tc, test_fixture_star2_policy_only);
	tcase_add_test(tc, test_fixture_nothing_answered);
	tcase_add_test(tc, test_fixture_all_yes);
	tcase_add_test(tc, test_fixture_conflict);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
