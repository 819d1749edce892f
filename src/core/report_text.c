/*
 * report_text: `mamori --report` as plain text (see report_write.h), for a
 * terminal, a mail or an A4 page: every line at most width columns, long
 * text wrapped with the reader's kinsoku rules (layout_wrap), sections
 * marked with 【】 (wide everywhere, so no ambiguous-width glyph in the
 * chrome).  What it says is report_model.c's.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/layout.h"
#include "core/merge.h"
#include "core/progress.h"
#include "core/report_model.h"
#include "core/report_write.h"
#include "core/text.h"
#include "core/util.h"

/* Bytes for a bar and its numbers (progress_bar's output is ASCII: bytes = columns). */
#define REPORT_TEXT_BAR_SIZE 160

/* The narrowest width the text is laid out for: below it a bar and a label no longer share a line. */
#define REPORT_TEXT_MIN_WIDTH 40

struct report_text {
	FILE *out;
	int width;
	int cells;    /* cells between a bar's brackets */
	int bar_cols; /* columns of the widest bar with its numbers: the titles start in one column */
	int changes;  /* 1 when there is a previous session: a change column */
};

static void report_text_spaces(FILE *out, int n)
{
	if (n > 0)
		fprintf(out, "%*s", n, "");
}

/*
 * text wrapped to the width: the first line starts at column indent after
 * lead (ASCII or measured, lead_cols columns), the others at column
 * indent + lead_cols, so a label's text hangs under itself.
 */
static void report_text_wrap(struct report_text *t, int indent, const char *lead, const char *text)
{
	int lead_cols = (int)text_width(lead, strlen(lead));
	int avail = t->width - indent - lead_cols;
	struct wrap_line *lines = NULL;

	if (avail < 10) {
		/* No room beside the lead: the text goes below it. */
		report_text_spaces(t->out, indent);
		fprintf(t->out, "%s\n", lead);
		lead = "";
		indent += 2;
		lead_cols = 0;
		avail = t->width - indent;
	}
	size_t n = layout_wrap(text, strlen(text), (size_t)avail, &lines);
	if (n == 0) {
		report_text_spaces(t->out, indent);
		fprintf(t->out, "%s\n", lead);
	}
	for (size_t i = 0; i < n; i++) {
		report_text_spaces(t->out, i ? indent + lead_cols : indent);
		if (!i)
			fputs(lead, t->out);
		fwrite(text + lines[i].start, 1, lines[i].len, t->out);
		fputc('\n', t->out);
	}
	free(lines);
}

/* lead and text joined, wrapped as one paragraph from indent (continuations at indent + hang). */
static void report_text_line(struct report_text *t, int indent, const char *fmt, ...) UTIL_PRINTF(3, 4);

static void report_text_line(struct report_text *t, int indent, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	report_text_wrap(t, indent, "", s);
	free(s);
}

static void report_text_heading(struct report_text *t, const char *title)
{
	fputc('\n', t->out);
	report_text_line(t, 0, "【%s】", title);
}

static const char *report_text_change(char *buf, size_t size, int has_prev, long delta)
{
	if (!has_prev)
		return "";
	if (delta == 0)
		snprintf(buf, size, "=");
	else
		snprintf(buf, size, "%+ld", delta);
	return buf;
}

/* One bar: "[####----]  40%  2/5  +1  " then the title, hanging under itself. */
static void report_text_bar(struct report_text *t, int indent, size_t done, size_t applicable, size_t na,
                            int has_prev, long delta, const char *title)
{
	char bar[REPORT_TEXT_BAR_SIZE], change[24], lead[REPORT_TEXT_BAR_SIZE + 64];

	progress_bar(bar, sizeof bar, done, applicable, t->cells);
	if (t->changes)
		snprintf(lead, sizeof lead, "%-*s %4s  ", t->bar_cols, bar,
		         report_text_change(change, sizeof change, has_prev, delta));
	else
		snprintf(lead, sizeof lead, "%-*s  ", t->bar_cols, bar);
	if (na) {
		char *s = xasprintf("%s（該当しない %zu）", title, na);
		report_text_wrap(t, indent, lead, s);
		free(s);
	} else {
		report_text_wrap(t, indent, lead, title);
	}
}

static void report_text_head(struct report_text *t, const struct report_model *m)
{
	report_text_line(t, 0, "情報セキュリティ対策 報告書%s%s", *m->company ? "：" : "", m->company);
	fputc('\n', t->out);
	report_text_wrap(t, 2, "会社名：", *m->company ? m->company : "（未設定: --company で設定）");
	report_text_wrap(t, 2, "セッション：", *m->session ? m->session : "（なし）");
	if (*m->respondent)
		report_text_wrap(t, 2, "回答者：", m->respondent);
	report_text_wrap(t, 2, "作成日時：", m->written_text);
	report_text_wrap(t, 2, "ガイドライン：", m->edition);
	report_text_wrap(t, 2, "内容の出典：", m->source);
}

static void report_text_score(struct report_text *t, const struct report_model *m)
{
	char change[24];

	if (!m->questions)
		return;
	report_text_heading(t, report_model_kind_title(GROUP_DIAGNOSIS));
	if (!m->answered) {
		report_text_line(t, 2, "得点：未回答（%zu 問すべてが未回答です）", m->questions);
		return;
	}
	report_text_line(t, 2, "得点：%d 点（%d〜100 点）%s%s", m->score, m->score_min,
	                 m->has_prev_score ? "　前回から " : "",
	                 report_text_change(change, sizeof change, m->has_prev_score,
	                                    (long)m->score - m->prev_score));
	report_text_wrap(t, 2, "判定：", m->band_title);
	report_text_wrap(t, 2, "次の一手：", m->band_advice);
	report_text_line(t, 2, "回答：%zu / %zu 問%s", m->answered, m->questions,
	                 m->answered < m->questions ? "（未回答は 0 点として数えています）" : "");
}

static void report_text_stars(struct report_text *t, const struct report_model *m)
{
	report_text_heading(t, "SECURITY ACTION の準備状況");
	for (int stars = 1; stars <= 2; stars++) {
		int ready = stars == 1 ? m->star1 : m->star2;
		report_text_line(t, 2, "%s：%s", stars == 1 ? "一つ星" : "二つ星",
		                 ready ? "宣言の準備ができています" : "まだ足りないものがあります");
		for (size_t i = 0; i < m->nlacks; i++) {
			const struct report_lack *l = &m->lacks[i];
			if (l->stars != stars)
				continue;
			char *s =
				l->count ? xstrdup(l->title) : xasprintf("%s（%s）", l->title, l->reason);
			report_text_wrap(t, 4, "- ", s);
			free(s);
		}
	}
}

static void report_text_bars(struct report_text *t, const struct report_model *m)
{
	size_t nk;
	const enum group_kind *kinds = report_model_kind_order(&nk);

	report_text_heading(t, "取組の進み具合");
	if (m->has_prev)
		report_text_line(t, 2, "「前回比」の欄は前回のセッション %s からの変化です", m->prev_name);
	if (m->has_prev)
		/* "実施 / 対象" is 11 columns in 15 bytes: padded by columns, not by printf. */
		report_text_line(t, 4, "実施 / 対象%*s前回比 項目",
		                 t->bar_cols > 11 ? t->bar_cols - 11 : 0, "");
	for (size_t k = 0; k < nk; k++) {
		int heading = 0;
		for (size_t g = 0; g < m->ngroups; g++) {
			const struct report_group *rg = &m->groups[g];
			if (rg->kind != kinds[k])
				continue;
			if (!heading++)
				report_text_line(t, 2, "%s", report_model_kind_title(kinds[k]));
			report_text_bar(t, 4, rg->done, rg->applicable, rg->na, rg->has_prev, rg->delta,
			                rg->title);
		}
	}
	report_text_line(t, 2, "全体");
	report_text_bar(t, 4, m->done, m->applicable, 0, m->has_prev, m->delta, "すべての項目");
}

static void report_text_improve(struct report_text *t, const struct report_model *m)
{
	report_text_heading(t, "改善すること（優先度の高い順）");
	if (!m->nimprove && !m->nunticked) {
		report_text_line(t, 2, "ありません。");
		return;
	}
	for (size_t i = 0; i < m->nimprove; i++) {
		const struct report_improve *ri = &m->improve[i];
		const struct report_item *it = &m->items[ri->item];
		char *lead = it->number ? xasprintf("No.%d ", it->number) : xstrdup("- ");
		char *s = xasprintf("%s（%s）", it->text, it->state_name);
		report_text_wrap(t, 2, lead, s);
		if (*ri->first_step)
			report_text_wrap(t, 2 + (int)text_width(lead, strlen(lead)), "はじめの一歩：",
			                 ri->first_step);
		free(s);
		free(lead);
	}
	if (m->nunticked) {
		report_text_line(t, 2, "まだチェックしていない項目（%zu 件）", m->nunticked);
		for (size_t i = 0; i < m->nunticked; i++) {
			const struct report_item *it = &m->items[m->unticked[i]];
			const struct report_group *g = &m->groups[it->group];
			char *s = xasprintf("%s（%s）", it->text, g->title);
			report_text_wrap(t, 4, "- ", s);
			free(s);
		}
	}
}

static void report_text_notes(struct report_text *t, const struct report_model *m)
{
	if (!m->nnotes)
		return;
	report_text_heading(t, "メモ");
	for (size_t i = 0; i < m->nnotes; i++) {
		const struct report_item *it = &m->items[m->notes[i].item];
		struct buf b = { 0 };
		buf_printf(&b, "%s：%s", it->text, it->note);
		if (*it->owner)
			buf_printf(&b, "（担当：%s）", it->owner);
		if (*it->due)
			buf_printf(&b, "（期限：%s%s）", it->due, m->notes[i].overdue ? "、期限切れ" : "");
		report_text_wrap(t, 2, "- ", b.s);
		buf_free(&b);
	}
}

/* "[####------]  40%  2/5": one side of a group's change, in the narrow cells. */
static void report_text_small_bar(char *out, size_t size, size_t done, size_t applicable)
{
	progress_bar(out, size, done, applicable, 10);
}

/* What else changed on an item: its note, owner, due date (nothing when only its answer did). */
static void report_text_change_fields(struct report_text *t, int indent, const struct report_change *c)
{
	if (strcmp(c->note_from, c->note_to) != 0) {
		char *s = xasprintf("「%s」→「%s」", c->note_from, c->note_to);
		report_text_wrap(t, indent, "メモ：", s);
		free(s);
	}
	if (strcmp(c->owner_from, c->owner_to) != 0) {
		char *s = xasprintf("%s → %s", *c->owner_from ? c->owner_from : "（なし）",
		                    *c->owner_to ? c->owner_to : "（なし）");
		report_text_wrap(t, indent, "担当：", s);
		free(s);
	}
	if (strcmp(c->due_from, c->due_to) != 0) {
		char *s = xasprintf("%s → %s", *c->due_from ? c->due_from : "（なし）",
		                    *c->due_to ? c->due_to : "（なし）");
		report_text_wrap(t, indent, "期限：", s);
		free(s);
	}
}

static void report_text_changes(struct report_text *t, const struct report_model *m)
{
	char change[24], before[REPORT_TEXT_BAR_SIZE], after[REPORT_TEXT_BAR_SIZE];

	if (!m->has_prev)
		return;
	report_text_heading(t, "前回からの変化");
	report_text_line(t, 2, "前回のセッション：%s", m->prev_name);
	if (m->has_prev_score && m->answered)
		report_text_line(t, 2, "自社診断の得点：%d → %d（%s）", m->prev_score, m->score,
		                 report_text_change(change, sizeof change, 1,
		                                    (long)m->score - m->prev_score));
	/* Every group's bar before and after, so an unchanged one reads as unchanged, not as missing. */
	report_text_line(t, 2, "グループごと（前回 -> 今回）");
	int bw = 0;
	for (size_t g = 0; g < m->ngroups; g++) {
		const struct report_group *rg = &m->groups[g];
		report_text_small_bar(before, sizeof before, rg->prev_done, rg->prev_applicable);
		report_text_small_bar(after, sizeof after, rg->done, rg->applicable);
		int w = (int)(strlen(before) > strlen(after) ? strlen(before) : strlen(after));
		if (w > bw)
			bw = w;
	}
	for (size_t g = 0; g < m->ngroups; g++) {
		const struct report_group *rg = &m->groups[g];
		report_text_small_bar(before, sizeof before, rg->prev_done, rg->prev_applicable);
		report_text_small_bar(after, sizeof after, rg->done, rg->applicable);
		char *lead = xasprintf("%-*s -> %-*s %4s  ", bw, before, bw, after,
		                       report_text_change(change, sizeof change, 1, rg->delta));
		report_text_wrap(t, 4, lead, rg->title);
		free(lead);
	}
	if (!m->nchanges) {
		report_text_line(t, 2, "変わった回答はありません。");
		return;
	}
	report_text_line(t, 2, "変わった項目（%zu 件）", m->nchanges);
	for (size_t i = 0; i < m->nchanges; i++) {
		const struct report_change *c = &m->changes[i];
		const struct report_item *it = &m->items[c->item];
		char *lead = it->number ? xasprintf("No.%d ", it->number) : xstrdup("- ");
		char *s = c->from == c->to ? xasprintf("%s：%s（回答は同じ）", it->text, c->to_name)
		                           : xasprintf("%s：%s → %s", it->text, c->from_name, c->to_name);
		report_text_wrap(t, 4, lead, s);
		report_text_change_fields(t, 4 + (int)text_width(lead, strlen(lead)), c);
		free(s);
		free(lead);
	}
}

/* s in cols columns, cut with merge's mark in the last one when it does not fit, padded. */
static void report_text_cell(FILE *out, const char *s, size_t cols)
{
	size_t len = strlen(s), w = text_width(s, len);
	if (w > cols) {
		size_t fit = text_fit(s, len, cols - 1);
		fwrite(s, 1, fit, out);
		fputc(MERGE_CUT_MARK, out);
		w = text_width(s, fit) + 1;
	} else {
		fputs(s, out);
	}
	report_text_spaces(out, (int)(cols - w));
}

/*
 * The 部門別 table of a merged session: the departments numbered (their
 * names and files listed first), one row per item with each department's
 * short answer and the merged one; differing rows marked.  A row wider
 * than the page continues on the next line, under the first department.
 */
static void report_text_departments(struct report_text *t, const struct report_model *m)
{
	if (!m->merged)
		return;
	report_text_heading(t, "部門別の回答");
	report_text_line(t, 2, "このセッションは %zu 部門の回答を合わせたものです。", m->ndepartments);
	for (size_t i = 0; i < m->ndepartments; i++) {
		char *lead = xasprintf("%zu %s：", i + 1, m->departments[i]);
		report_text_wrap(t, 4, lead, m->sources[i]);
		free(lead);
	}
	if (!m->ndept_rows) {
		report_text_wrap(t, 2, "部門ごとの表は出せません：", m->merge_error);
		return;
	}
	report_text_line(t, 2,
	                 "回答が部門で違う項目：%zu 件（%c の行）。記号：実施 一部 未実施 不明／済 未 "
	                 "対象外／- 未回答",
	                 m->ndiffer, MERGE_DIFFER_MARK);
	/* "  M ID" then a 6-column cell per department, then the result. */
	const size_t cell = 6, idw = 10, lead = 4 + idw, per = cell + 1;
	size_t fit = (size_t)t->width > lead + 2 * per ? ((size_t)t->width - lead) / per - 1 : 1;
	if (fit < 1)
		fit = 1;
	report_text_spaces(t->out, 4);
	report_text_cell(t->out, "項目", idw);
	for (size_t i = 0; i < m->ndepartments; i++) {
		if (i && i % fit == 0) {
			fputc('\n', t->out);
			report_text_spaces(t->out, (int)lead);
		}
		fprintf(t->out, " %-*zu", (int)cell, i + 1);
	}
	fputs(" 結果\n", t->out);
	for (size_t r = 0; r < m->ndept_rows; r++) {
		const struct report_dept_row *dr = &m->dept_rows[r];
		const struct report_item *it = &m->items[dr->item];
		report_text_spaces(t->out, 2);
		fputc(dr->differ ? MERGE_DIFFER_MARK : ' ', t->out);
		fputc(' ', t->out);
		report_text_cell(t->out, it->id, idw);
		for (size_t i = 0; i < m->ndepartments; i++) {
			if (i && i % fit == 0) {
				fputc('\n', t->out);
				report_text_spaces(t->out, (int)lead);
			}
			fputc(' ', t->out);
			report_text_cell(t->out, merge_state_short(dr->states[i]), cell);
		}
		fputc(' ', t->out);
		fputs(merge_state_short(dr->merged), t->out);
		fputc('\n', t->out);
	}
}

static void report_text_strays(struct report_text *t, const struct report_model *m)
{
	if (!m->nstrays)
		return;
	report_text_heading(t, "回答ファイルのうち報告に含められなかった行");
	for (size_t i = 0; i < m->nstrays; i++) {
		const struct report_stray *s = &m->strays[i];
		char *lead = xasprintf("%d 行目：", s->line);
		char *text = s->known ? xasprintf("内容にない項目 %s（%s）", s->id, s->text)
		                      : xasprintf("読めない行：%s", s->text);
		report_text_wrap(t, 2, lead, text);
		free(text);
		free(lead);
	}
}

int report_write_text(FILE *out, const struct report_model *m, int width)
{
	struct report_text t = { out, width > 0 ? width : 80, 20, 0, 0 };

	if (t.width < REPORT_TEXT_MIN_WIDTH)
		t.width = REPORT_TEXT_MIN_WIDTH;
	/* A bar and its label share a line where the label keeps at least half of it. */
	if (t.width < 2 * (t.cells + 30))
		t.cells = 10;
	/* The widest bar is the overall one or a group's: measured, not guessed. */
	char bar[REPORT_TEXT_BAR_SIZE];
	t.bar_cols = progress_bar(bar, sizeof bar, m->done, m->applicable, t.cells);
	for (size_t g = 0; g < m->ngroups; g++) {
		int w = progress_bar(bar, sizeof bar, m->groups[g].done, m->groups[g].applicable, t.cells);
		if (w > t.bar_cols)
			t.bar_cols = w;
	}
	t.changes = m->has_prev;
	errno = 0;
	report_text_head(&t, m);
	report_text_score(&t, m);
	report_text_stars(&t, m);
	report_text_bars(&t, m);
	report_text_departments(&t, m);
	report_text_improve(&t, m);
	report_text_notes(&t, m);
	report_text_changes(&t, m);
	report_text_strays(&t, m);
	if (fflush(out) == EOF || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}
