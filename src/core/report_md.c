/*
 * report_md: `mamori --report --format md`, Markdown for a wiki, a mail or
 * pandoc (see report_write.h): headings and pipe tables.  Every text from
 * the content or the answers file is escaped, so a note can neither start
 * markup nor smuggle raw HTML into a renderer that passes it through.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/merge.h"
#include "core/progress.h"
#include "core/report_model.h"
#include "core/report_write.h"

/* s as Markdown text: punctuation that could start markup backslashed, < > & as entities. */
static void report_md_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '\\':
		case '`':
		case '*':
		case '_':
		case '[':
		case ']':
		case '|':
		case '#':
		case '!':
		case '~':
			fputc('\\', out);
			fputc(*s, out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static void report_md_change(FILE *out, int has_prev, long delta)
{
	if (!has_prev)
		fputs(" | ", out);
	else if (delta == 0)
		fputs(" | = ", out);
	else
		fprintf(out, " | %+ld ", delta);
}

static void report_md_head(FILE *out, const struct report_model *m)
{
	fputs("# 情報セキュリティ対策 報告書", out);
	if (*m->company) {
		fputs("：", out);
		report_md_text(out, m->company);
	}
	fputs("\n\n| 項目 | 内容 |\n|---|---|\n| 会社名 | ", out);
	report_md_text(out, *m->company ? m->company : "（未設定）");
	fputs(" |\n| セッション | ", out);
	report_md_text(out, *m->session ? m->session : "（なし）");
	if (*m->respondent) {
		fputs(" |\n| 回答者 | ", out);
		report_md_text(out, m->respondent);
	}
	fputs(" |\n| 作成日時 | ", out);
	report_md_text(out, m->written_text);
	fputs(" |\n| ガイドライン | ", out);
	report_md_text(out, m->edition);
	fputs(" |\n| 内容の出典 | ", out);
	report_md_text(out, m->source);
	fputs(" |\n", out);
}

static void report_md_score(FILE *out, const struct report_model *m)
{
	if (!m->questions)
		return;
	fputs("\n## ", out);
	report_md_text(out, report_model_kind_title(GROUP_DIAGNOSIS));
	fputs("\n\n", out);
	if (!m->answered) {
		fprintf(out, "**得点：未回答**（%zu 問すべてが未回答です）\n", m->questions);
		return;
	}
	fprintf(out, "| 得点 | 判定 | 次の一手 | 回答 |\n|---|---|---|---|\n| %d 点（%d〜100）", m->score,
	        m->score_min);
	if (m->has_prev_score)
		fprintf(out, " 前回から %+d", m->score - m->prev_score);
	fputs(" | ", out);
	report_md_text(out, m->band_title);
	fputs(" | ", out);
	report_md_text(out, m->band_advice);
	fprintf(out, " | %zu / %zu 問 |\n", m->answered, m->questions);
}

static void report_md_stars(FILE *out, const struct report_model *m)
{
	fputs("\n## SECURITY ACTION の準備状況\n", out);
	for (int stars = 1; stars <= 2; stars++) {
		int ready = stars == 1 ? m->star1 : m->star2;
		fprintf(out, "\n**%s：%s**\n\n", stars == 1 ? "一つ星" : "二つ星",
		        ready ? "宣言の準備ができています" : "まだ足りないものがあります");
		for (size_t i = 0; i < m->nlacks; i++) {
			const struct report_lack *l = &m->lacks[i];
			if (l->stars != stars)
				continue;
			fputs("- ", out);
			report_md_text(out, l->title);
			if (!l->count)
				fprintf(out, "（%s）", l->reason);
			fputc('\n', out);
		}
	}
}

static void report_md_bars(FILE *out, const struct report_model *m)
{
	size_t nk;
	const enum group_kind *kinds = report_model_kind_order(&nk);

	fputs("\n## 取組の進み具合\n", out);
	if (m->has_prev) {
		fputs("\n前回の欄は前回のセッション ", out);
		report_md_text(out, m->prev_name);
		fputs(" からの変化です。\n", out);
	}
	for (size_t k = 0; k < nk; k++) {
		int heading = 0;
		for (size_t g = 0; g < m->ngroups; g++) {
			const struct report_group *rg = &m->groups[g];
			if (rg->kind != kinds[k])
				continue;
			if (!heading++) {
				fputs("\n### ", out);
				report_md_text(out, report_model_kind_title(kinds[k]));
				fputs("\n\n| 項目 | 実施 / 対象 | 割合 | 該当しない | 前回から |\n|---|--:|--:|--:|--:|\n",
				      out);
			}
			fputs("| ", out);
			report_md_text(out, rg->title);
			fprintf(out, " | %zu / %zu | ", rg->done, rg->applicable);
			if (rg->percent >= 0)
				fprintf(out, "%d%%", rg->percent);
			else
				fputs("-", out);
			fprintf(out, " | %zu", rg->na);
			report_md_change(out, rg->has_prev, rg->delta);
			fputs("|\n", out);
		}
	}
	int pct = progress_percent(m->done, m->applicable);
	fprintf(out, "\n**全体：%zu / %zu", m->done, m->applicable);
	if (pct >= 0)
		fprintf(out, "（%d%%）", pct);
	fputs("**\n", out);
}

static void report_md_improve(FILE *out, const struct report_model *m)
{
	fputs("\n## 改善すること（優先度の高い順）\n\n", out);
	if (!m->nimprove && !m->nunticked) {
		fputs("ありません。\n", out);
		return;
	}
	if (m->nimprove) {
		fputs("| No. | 設問 | 回答 | はじめの一歩 |\n|--:|---|---|---|\n", out);
		for (size_t i = 0; i < m->nimprove; i++) {
			const struct report_item *it = &m->items[m->improve[i].item];
			fprintf(out, "| %d | ", it->number);
			report_md_text(out, it->text);
			fprintf(out, " | %s | ", it->state_name);
			report_md_text(out, m->improve[i].first_step);
			fputs(" |\n", out);
		}
	}
	if (m->nunticked) {
		fprintf(out, "\n### まだチェックしていない項目（%zu 件）\n\n| 項目 | 区分 |\n|---|---|\n",
		        m->nunticked);
		for (size_t i = 0; i < m->nunticked; i++) {
			const struct report_item *it = &m->items[m->unticked[i]];
			fputs("| ", out);
			report_md_text(out, it->text);
			fputs(" | ", out);
			report_md_text(out, m->groups[it->group].title);
			fputs(" |\n", out);
		}
	}
}

static void report_md_notes(FILE *out, const struct report_model *m)
{
	if (!m->nnotes)
		return;
	fputs("\n## メモ\n\n| 項目 | メモ | 担当 | 期限 |\n|---|---|---|---|\n", out);
	for (size_t i = 0; i < m->nnotes; i++) {
		const struct report_item *it = &m->items[m->notes[i].item];
		fputs("| ", out);
		report_md_text(out, it->text);
		fputs(" | ", out);
		report_md_text(out, it->note);
		fputs(" | ", out);
		report_md_text(out, it->owner);
		fputs(" | ", out);
		report_md_text(out, it->due);
		if (m->notes[i].overdue)
			fputs("（期限切れ）", out);
		fputs(" |\n", out);
	}
}

/* "メモ：A → B<br>" when from and to differ; nothing when they do not. */
static void report_md_field_change(FILE *out, const char *what, const char *from, const char *to)
{
	if (strcmp(from, to) == 0)
		return;
	fprintf(out, "%s：", what);
	report_md_text(out, *from ? from : "（なし）");
	fputs(" → ", out);
	report_md_text(out, *to ? to : "（なし）");
	fputs("<br>", out);
}

static void report_md_changes(FILE *out, const struct report_model *m)
{
	if (!m->has_prev)
		return;
	fputs("\n## 前回からの変化\n\n前回のセッション：", out);
	report_md_text(out, m->prev_name);
	fputs("\n", out);
	if (m->has_prev_score && m->answered)
		fprintf(out, "\n自社診断の得点：%d → %d（%+d）\n", m->prev_score, m->score,
		        m->score - m->prev_score);
	fputs("\n| グループ | 前回 | 今回 | 変化 |\n|---|--:|--:|--:|\n", out);
	for (size_t g = 0; g < m->ngroups; g++) {
		const struct report_group *rg = &m->groups[g];
		fputs("| ", out);
		report_md_text(out, rg->title);
		fprintf(out, " | %zu / %zu | %zu / %zu", rg->prev_done, rg->prev_applicable, rg->done,
		        rg->applicable);
		report_md_change(out, 1, rg->delta);
		fputs("|\n", out);
	}
	if (!m->nchanges) {
		fputs("\n変わった回答はありません。\n", out);
		return;
	}
	fputs("\n| 項目 | 前回 | 今回 | メモ・担当・期限の変化 |\n|---|---|---|---|\n", out);
	for (size_t i = 0; i < m->nchanges; i++) {
		const struct report_change *c = &m->changes[i];
		const struct report_item *it = &m->items[c->item];
		fputs("| ", out);
		if (it->number)
			fprintf(out, "No.%d ", it->number);
		report_md_text(out, it->text);
		fprintf(out, " | %s | %s | ", c->from_name, c->to_name);
		report_md_field_change(out, "メモ", c->note_from, c->note_to);
		report_md_field_change(out, "担当", c->owner_from, c->owner_to);
		report_md_field_change(out, "期限", c->due_from, c->due_to);
		fputs(" |\n", out);
	}
}

/* The 部門別 table of a merged session: each department's answer side by side, differing rows marked. */
static void report_md_departments(FILE *out, const struct report_model *m)
{
	if (!m->merged)
		return;
	fprintf(out, "\n## 部門別の回答\n\nこのセッションは %zu 部門の回答を合わせたものです。\n\n",
	        m->ndepartments);
	for (size_t i = 0; i < m->ndepartments; i++) {
		fputs("- ", out);
		report_md_text(out, m->departments[i]);
		fputs("：", out);
		report_md_text(out, m->sources[i]);
		fputc('\n', out);
	}
	if (!m->ndept_rows) {
		fputs("\n部門ごとの表は出せません：", out);
		report_md_text(out, m->merge_error);
		fputc('\n', out);
		return;
	}
	fprintf(out, "\n回答が部門で違う項目：%zu 件（違い の欄に %c）\n\n| 違い | 項目 |", m->ndiffer,
	        MERGE_DIFFER_MARK);
	for (size_t i = 0; i < m->ndepartments; i++) {
		fputc(' ', out);
		report_md_text(out, m->departments[i]);
		fputs(" |", out);
	}
	fputs(" 結果 |\n|---|---|", out);
	for (size_t i = 0; i <= m->ndepartments; i++)
		fputs("---|", out);
	fputc('\n', out);
	for (size_t r = 0; r < m->ndept_rows; r++) {
		const struct report_dept_row *dr = &m->dept_rows[r];
		const struct report_item *it = &m->items[dr->item];
		fprintf(out, "| %s | ", dr->differ ? "\\*" : "");
		if (it->number)
			fprintf(out, "No.%d ", it->number);
		report_md_text(out, it->text);
		fputs(" |", out);
		for (size_t i = 0; i < m->ndepartments; i++)
			fprintf(out, " %s |", report_model_state_name(dr->states[i], it->question));
		fprintf(out, " %s |\n", report_model_state_name(dr->merged, it->question));
	}
}

static void report_md_strays(FILE *out, const struct report_model *m)
{
	if (!m->nstrays)
		return;
	fputs("\n## 回答ファイルのうち報告に含められなかった行\n\n| 行 | 種類 | 内容 |\n|--:|---|---|\n",
	      out);
	for (size_t i = 0; i < m->nstrays; i++) {
		const struct report_stray *s = &m->strays[i];
		fprintf(out, "| %d | %s | ", s->line, s->known ? "内容にない項目" : "読めない行");
		if (s->known) {
			report_md_text(out, s->id);
			fputc(' ', out);
		}
		report_md_text(out, s->text);
		fputs(" |\n", out);
	}
}

int report_write_md(FILE *out, const struct report_model *m)
{
	errno = 0;
	report_md_head(out, m);
	report_md_score(out, m);
	report_md_stars(out, m);
	report_md_bars(out, m);
	report_md_departments(out, m);
	report_md_improve(out, m);
	report_md_notes(out, m);
	report_md_changes(out, m);
	report_md_strays(out, m);
	if (fflush(out) == EOF || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}
