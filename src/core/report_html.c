/*
 * report_html: `mamori --report --format html`, one self-contained HTML
 * file over a report_model: page one is the summary a boss reads (who,
 * when, the 自社診断 score and band, ★/★★ readiness, a bar per kind of
 * group), the details follow on the next printed page.  The look is one
 * embedded style sheet; the bars are inline SVG, so a browser's Print or a
 * PDF printer gives the same picture without fetching anything.  What the
 * report says is the model's; here is only its layout and its escaping.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "core/merge.h"
#include "core/report_html.h"
#include "core/report_model.h"

/* Width of a group's bar in CSS pixels (the SVG's own units). */
#define HTML_BAR_W 150
#define HTML_BAR_H 12

/*
 * The style sheet.  System CJK fonts only (nothing is downloaded), generic
 * fallback last.  On screen the page is an A4-wide column; in print, @page
 * sets A4 and .details starts on a new page, so page one is the summary.
 * Nothing needs colour to be understood: every bar has its numbers beside
 * it and every state is written out.
 */
static const char html_css[] =
	"@page{size:A4;margin:14mm 14mm 16mm 14mm;"
	"@bottom-right{content:counter(page) \" / \" counter(pages);font-size:8pt;color:#555}}\n"
	":root{--ink:#1a1a1a;--mute:#555;--line:#c8ccd2;--bar:#2f5fa8;--track:#e3e6ea}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"body{margin:0 auto;padding:24px 28px;max-width:820px;color:var(--ink);background:#fff;"
	"font-family:\"Noto Sans CJK JP\",\"Noto Sans JP\",\"Source Han Sans JP\",\"Hiragino Kaku Gothic ProN\","
	"\"Hiragino Sans\",\"Yu Gothic\",YuGothic,Meiryo,\"IPAexGothic\",\"IPAGothic\",sans-serif;"
	"font-size:10.5pt;line-height:1.6;line-break:strict;overflow-wrap:anywhere}\n"
	"h1{font-size:17pt;margin:0 0 2px;letter-spacing:.04em}\n"
	"h2{font-size:13pt;margin:22px 0 8px;padding-bottom:3px;border-bottom:2px solid var(--ink);"
	"break-after:avoid}\n"
	"h3{font-size:11pt;margin:14px 0 4px;break-after:avoid}\n"
	"p{margin:4px 0}\n"
	".sub{color:var(--mute);margin:0 0 14px}\n"
	".company{font-size:15pt;font-weight:bold;margin:14px 0 6px}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{text-align:left;vertical-align:top;padding:3px 6px;border-bottom:1px solid var(--line)}\n"
	"th{font-weight:bold;white-space:nowrap}\n"
	"tr,li{break-inside:avoid}\n"
	"table.meta th{width:8em;color:var(--mute);font-weight:normal}\n"
	".cards{display:flex;gap:12px;margin:14px 0}\n"
	".card{flex:1;border:1.5px solid var(--ink);border-radius:6px;padding:10px 14px}\n"
	".card h2{margin:0 0 6px;font-size:11pt;border:0;padding:0}\n"
	".score{font-size:34pt;font-weight:bold;line-height:1.1}\n"
	".score small{font-size:11pt;font-weight:normal;margin-left:4px}\n"
	".band{font-size:12pt;font-weight:bold;margin-top:4px}\n"
	".star{margin:6px 0 0}\n"
	".star .mark{display:inline-block;width:2.6em}\n"
	".ok{font-weight:bold}\n"
	".lack{margin:2px 0 6px 2.6em;padding:0 0 0 1.1em;font-size:9.5pt}\n"
	".num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
	"table.bars{table-layout:fixed}\n"
	"table.bars th{white-space:normal}\n"
	"table.bars col.bar{width:136px}table.bars col.count{width:104px}table.bars col.delta{width:80px}\n"
	"table.bars .na{display:block;font-size:8.5pt;color:var(--mute)}\n"
	"svg.bar{display:block;width:100%;height:12px;margin-top:5px}\n"
	"svg.scorebar{display:block;margin-top:6px}\n"
	".muted{color:var(--mute)}\n"
	".nw{white-space:nowrap}\n"
	".tag{display:inline-block;border:1px solid var(--ink);border-radius:3px;padding:0 4px;"
	"font-size:8.5pt;margin-right:4px;white-space:nowrap}\n"
	".tag.bad{background:#1a1a1a;color:#fff}\n"
	"ol.improve{padding-left:0;list-style:none;margin:0}\n"
	"ol.improve li{border-bottom:1px solid var(--line);padding:5px 0}\n"
	".step{margin:2px 0 0 1em;font-size:9.5pt}\n"
	".step b{font-weight:bold}\n"
	"ul.items{margin:2px 0 8px;padding-left:1.4em}\n"
	".note{white-space:pre-wrap}\n"
	"table.notes col.item{width:44%}\n"
	".details{break-before:page}\n"
	"@media print{body{max-width:none;padding:0;font-size:10pt;line-height:1.5}.cards{break-inside:avoid}"
	"h2{margin:14px 0 6px}h3{margin:10px 0 3px}th,td{padding:2px 6px}}\n";

/* Write s with the five characters that mean something to HTML escaped (in text and attributes). */
static void html_esc(FILE *o, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		fwrite(run, 1, (size_t)(s - run), o);
		fputs(rep, o);
		run = s + 1;
	}
	fwrite(run, 1, (size_t)(s - run), o);
}

/* "+3", "-2", "±0": a change, signed so it reads the same in print and on screen. */
static void html_delta(FILE *o, long delta)
{
	if (delta > 0)
		fprintf(o, "+%ld", delta);
	else if (delta < 0)
		fprintf(o, "%ld", delta);
	else
		fputs("±0", o);
}

/*
 * A bar of done over applicable as inline SVG, with the label as its
 * <title> (a tooltip on screen, the accessible name in print).  With
 * nothing applicable the track is drawn dashed and empty.
 */
static void html_bar(FILE *o, const char *label, size_t done, size_t applicable, int width)
{
	int fill = applicable ? (int)((double)done * width / (double)applicable) : 0;
	fprintf(o,
	        "<svg class=\"bar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\" preserveAspectRatio=\"none\" role=\"img\"><title>",
	        width, HTML_BAR_H, width, HTML_BAR_H);
	html_esc(o, label);
	fprintf(o, " %zu/%zu</title>", done, applicable);
	if (applicable)
		fprintf(o, "<rect width=\"%d\" height=\"%d\" rx=\"2\" fill=\"#e3e6ea\"/>", width,
		        HTML_BAR_H);
	else
		fprintf(o,
		        "<rect x=\"0.5\" y=\"0.5\" width=\"%d\" height=\"%d\" rx=\"2\" fill=\"none\" "
		        "stroke=\"#999\" stroke-dasharray=\"3 2\"/>",
		        width - 1, HTML_BAR_H - 1);
	if (fill > 0)
		fprintf(o, "<rect width=\"%d\" height=\"%d\" rx=\"2\" fill=\"#2f5fa8\"/>", fill,
		        HTML_BAR_H);
	fputs("</svg>", o);
}

/* "3/5 (60%)" or "0/0 (-)". */
static void html_count(FILE *o, size_t done, size_t applicable, int percent)
{
	if (percent < 0)
		fprintf(o, "%zu/%zu (-)", done, applicable);
	else
		fprintf(o, "%zu/%zu (%d%%)", done, applicable, percent);
}

/*
 * The score on a 0-100 scale, drawn 1:1 in CSS pixels: the bands of the
 * guideline as shades (49 or less, 50-69, 70-99, 100), their bounds
 * written under it, the score as a marker.  A negative score sits at 0;
 * the number beside the bar says what it is.
 */
#define HTML_SCORE_X 8   /* where 0 is */
#define HTML_SCORE_W 240 /* pixels from 0 to 100 */
static void html_score_bar(FILE *o, const struct report_model *m)
{
	static const struct {
		int from, to;
		const char *fill;
	} bands[] = {
		{ 0, 50, "#dadada" },
		{ 50, 70, "#c0c7d1" },
		{ 70, 100, "#9db2d0" },
		{ 100, 102, "#2f5fa8" },
	};
	static const int ticks[] = { 0, 50, 70, 100 };
	int s = m->score < 0 ? 0 : m->score > 100 ? 100 : m->score;

	fprintf(o,
	        "<svg class=\"scorebar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"36\" "
	        "viewBox=\"0 0 %d 36\" role=\"img\"><title>",
	        2 * HTML_SCORE_X + HTML_SCORE_W, 2 * HTML_SCORE_X + HTML_SCORE_W);
	fprintf(o, "自社診断 %d点（100点満点）: ", m->score);
	html_esc(o, m->band_title);
	fputs("</title>", o);
	for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++) {
		int x0 = HTML_SCORE_X + bands[i].from * HTML_SCORE_W / 100;
		int x1 = HTML_SCORE_X + bands[i].to * HTML_SCORE_W / 100;
		fprintf(o, "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"10\" fill=\"%s\"/>", x0, x1 - x0,
		        bands[i].fill);
	}
	for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++)
		fprintf(o,
		        "<text x=\"%d\" y=\"33\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">%d</text>",
		        HTML_SCORE_X + ticks[i] * HTML_SCORE_W / 100, ticks[i]);
	int x = HTML_SCORE_X + s * HTML_SCORE_W / 100;
	fprintf(o, "<path d=\"M%d 9 L%d 1 L%d 1 Z\" fill=\"#1a1a1a\"/>", x, x - 5, x + 5);
	fprintf(o, "<rect x=\"%d\" y=\"8\" width=\"2\" height=\"14\" fill=\"#1a1a1a\"/>", x - 1);
	fputs("</svg>", o);
}

static void html_head(FILE *o, const struct report_model *m)
{
	fputs("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"mamori " PACKAGE_VERSION "\">\n<title>",
	      o);
	if (*m->company) {
		html_esc(o, m->company);
		fputs(" ", o);
	}
	fputs("情報セキュリティ対策 報告書", o);
	if (*m->session) {
		fputs("（", o);
		html_esc(o, m->session);
		fputs("）", o);
	}
	fprintf(o, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", html_css);
}

static void html_meta_row(FILE *o, const char *label, const char *value)
{
	if (!*value)
		return;
	fprintf(o, "<tr><th>%s</th><td>", label);
	html_esc(o, value);
	fputs("</td></tr>\n", o);
}

static void html_diagnosis_card(FILE *o, const struct report_model *m)
{
	fputs("<div class=\"card\"><h2>自社診断</h2>\n", o);
	if (m->answered == 0) {
		fputs("<div class=\"score\">未回答</div>\n", o);
		fprintf(o, "<p>%zu問の質問にまだ答えていません。</p>\n", m->questions);
		fputs("</div>\n", o);
		return;
	}
	fprintf(o, "<div class=\"score\">%d<small>点 / 100点</small></div>\n", m->score);
	fputs("<div class=\"band\">", o);
	html_esc(o, m->band_title);
	fputs("</div>\n", o);
	if (*m->band_advice) {
		fputs("<p>対策：", o);
		html_esc(o, m->band_advice);
		fputs("</p>\n", o);
	}
	html_score_bar(o, m);
	fprintf(o, "<p>回答 %zu / %zu問", m->answered, m->questions);
	if (m->answered < m->questions)
		fputs("（未回答の質問は0点として計算）", o);
	fputs("</p>\n", o);
	if (m->has_prev_score) {
		fprintf(o, "<p>前回 %d点 → 今回 %d点（", m->prev_score, m->score);
		html_delta(o, (long)m->score - m->prev_score);
		fputs("）</p>\n", o);
	}
	fputs("</div>\n", o);
}

/* One star's line and what it still lacks, by title. */
static void html_star(FILE *o, const struct report_model *m, int stars)
{
	int ready = stars == 1 ? m->star1 : m->star2;
	fprintf(o, "<div class=\"star\"><span class=\"mark\">%s</span><b>%s</b>：",
	        stars == 1 ? "★" : "★★", stars == 1 ? "一つ星" : "二つ星");
	if (ready)
		fputs("<span class=\"ok\">宣言の準備ができています</span>", o);
	else
		fputs("まだ足りないものがあります", o);
	fputs("</div>\n", o);
	int open = 0;
	for (size_t i = 0; i < m->nlacks; i++) {
		const struct report_lack *l = &m->lacks[i];
		if (l->stars != stars)
			continue;
		if (!open)
			fputs("<ul class=\"lack\">\n", o);
		open = 1;
		fputs("<li>", o);
		html_esc(o, l->title);
		/* A count's title says it all ("... の未回答 25 問"), as in the other writers. */
		if (!l->count) {
			fputs("<span class=\"nw\">（", o);
			html_esc(o, l->reason);
			fputs("）</span>", o);
		}
		fputs("</li>\n", o);
	}
	if (open)
		fputs("</ul>\n", o);
}

/*
 * The tables of bars share their columns (title, bar, count with
 * 該当しない under it, change), fixed in width, so the bars of every table
 * line up.
 */
static void html_bars_open(FILE *o, int with_delta)
{
	fprintf(o,
	        "<table class=\"bars\"><colgroup><col><col class=\"bar\"><col class=\"count\">%s</colgroup>\n",
	        with_delta ? "<col class=\"delta\">" : "");
}

/* One row of bars.  with_delta: the table has the change column; has_delta: this row has a change. */
static void html_bar_row(FILE *o, const char *title, int heading, size_t done, size_t applicable,
                         size_t na, int with_delta, int has_delta, long delta)
{
	fputs(heading ? "<tr><th>" : "<tr><td>", o);
	html_esc(o, title);
	fputs(heading ? "</th><td>" : "</td><td>", o);
	html_bar(o, title, done, applicable, HTML_BAR_W);
	fputs("</td><td class=\"num\">", o);
	html_count(o, done, applicable, progress_percent(done, applicable));
	if (na)
		fprintf(o, "<span class=\"na\">該当しない %zu</span>", na);
	fputs("</td>", o);
	if (with_delta) {
		fputs("<td class=\"num\">", o);
		if (has_delta) {
			fputs("前回比 ", o);
			html_delta(o, delta);
		}
		fputs("</td>", o);
	}
	fputs("</tr>\n", o);
}

/* Page one's bars: one per kind of group (the sum of its groups), then the whole. */
static void html_kind_summary(FILE *o, const struct report_model *m)
{
	size_t nk;
	const enum group_kind *order = report_model_kind_order(&nk);
	fputs("<h2>取組の状況（概要）</h2>\n", o);
	html_bars_open(o, m->has_prev);
	for (size_t k = 0; k < nk; k++) {
		size_t done = 0, applicable = 0, na = 0, groups = 0;
		long delta = 0;
		int has_delta = 0;
		for (size_t g = 0; g < m->ngroups; g++) {
			const struct report_group *rg = &m->groups[g];
			if (rg->kind != order[k])
				continue;
			groups++;
			done += rg->done;
			applicable += rg->applicable;
			na += rg->na;
			if (rg->has_prev) {
				has_delta = 1;
				delta += rg->delta;
			}
		}
		if (groups)
			html_bar_row(o, report_model_kind_title(order[k]), 1, done, applicable, na,
			             m->has_prev, has_delta, delta);
	}
	size_t na = 0;
	for (size_t g = 0; g < m->ngroups; g++)
		na += m->groups[g].na;
	html_bar_row(o, "全体", 1, m->done, m->applicable, na, m->has_prev, m->has_prev, m->delta);
	fputs("</table>\n", o);
}

static void html_summary(FILE *o, const struct report_model *m)
{
	fputs("<section class=\"summary\">\n<h1>情報セキュリティ対策 報告書</h1>\n<p class=\"sub\">", o);
	if (*m->edition)
		html_esc(o, m->edition);
	else
		fputs("中小企業の情報セキュリティ対策ガイドライン", o);
	fputs(" に基づく自己点検の結果</p>\n", o);
	fputs("<p class=\"company\">", o);
	if (*m->company)
		html_esc(o, m->company);
	else
		fputs("<span class=\"muted\">（会社名の記入なし）</span>", o);
	fputs("</p>\n<table class=\"meta\">\n", o);
	html_meta_row(o, "セッション", m->session);
	html_meta_row(o, "回答者", m->respondent);
	if (m->has_prev)
		html_meta_row(o, "前回のセッション", *m->prev_name ? m->prev_name : "あり");
	fputs("<tr><th>作成日時</th><td>", o);
	html_esc(o, m->written_text);
	fputs("（mamori " PACKAGE_VERSION "）</td></tr>\n", o);
	html_meta_row(o, "出典", m->source);
	fputs("</table>\n<div class=\"cards\">\n", o);
	if (m->questions)
		html_diagnosis_card(o, m);
	fputs("<div class=\"card\"><h2>SECURITY ACTION</h2>\n", o);
	html_star(o, m, 1);
	html_star(o, m, 2);
	fputs("</div>\n</div>\n", o);
	html_kind_summary(o, m);
	fputs("<p class=\"muted\">グループごとの数、改善すること、メモ、前回からの変化は次のページから。</p>\n"
	      "</section>\n",
	      o);
}

/* Every group's bar under its kind's heading. */
static void html_groups(FILE *o, const struct report_model *m)
{
	size_t nk;
	const enum group_kind *order = report_model_kind_order(&nk);
	fputs("<h2>グループごとの状況</h2>\n", o);
	for (size_t k = 0; k < nk; k++) {
		int open = 0;
		for (size_t g = 0; g < m->ngroups; g++) {
			const struct report_group *rg = &m->groups[g];
			if (rg->kind != order[k])
				continue;
			if (!open) {
				fputs("<h3>", o);
				html_esc(o, report_model_kind_title(order[k]));
				fputs("</h3>\n", o);
				html_bars_open(o, m->has_prev);
				open = 1;
			}
			html_bar_row(o, rg->title, 0, rg->done, rg->applicable, rg->na, m->has_prev,
			             rg->has_prev, rg->delta);
		}
		if (open)
			fputs("</table>\n", o);
	}
}

/* "No.7 " before a question's text, nothing before a checklist item's. */
static void html_item_text(FILE *o, const struct report_item *it)
{
	if (it->number > 0)
		fprintf(o, "<b>No.%d</b> ", it->number);
	html_esc(o, it->text);
}

static void html_improve(FILE *o, const struct report_model *m)
{
	fputs("<h2>改善すること（悪い順）</h2>\n", o);
	if (!m->nimprove) {
		fputs(m->answered
		              ? "<p>実施していない・わからない・一部実施している と答えた質問はありません。</p>\n"
		              : "<p>自社診断の質問にまだ答えていません。</p>\n",
		      o);
	} else {
		fputs("<ol class=\"improve\">\n", o);
		for (size_t i = 0; i < m->nimprove; i++) {
			const struct report_improve *im = &m->improve[i];
			const struct report_item *it = &m->items[im->item];
			fprintf(o, "<li><span class=\"tag%s\">", im->state == ANSWER_NO ? " bad" : "");
			html_esc(o, it->state_name);
			fputs("</span>", o);
			html_item_text(o, it);
			if (*im->first_step) {
				fputs("<p class=\"step\"><b>はじめの一歩</b>：", o);
				html_esc(o, im->first_step);
				fputs("</p>", o);
			}
			fputs("</li>\n", o);
		}
		fputs("</ol>\n", o);
	}

	fputs("<h3>まだチェックのない項目</h3>\n", o);
	if (!m->nunticked) {
		fputs("<p>チェックリストの項目はすべて、済か該当しないになっています。</p>\n", o);
		return;
	}
	int group = -1;
	for (size_t i = 0; i < m->nunticked; i++) {
		const struct report_item *it = &m->items[m->unticked[i]];
		if (it->group != group) {
			if (group >= 0)
				fputs("</ul>\n", o);
			group = it->group;
			fputs("<p><b>", o);
			if (group >= 0 && (size_t)group < m->ngroups)
				html_esc(o, m->groups[group].title);
			fputs("</b></p>\n<ul class=\"items\">\n", o);
		}
		fputs("<li>", o);
		html_item_text(o, it);
		fputs(" <span class=\"muted nw\">（", o);
		html_esc(o, it->state_name);
		fputs("）</span></li>\n", o);
	}
	fputs("</ul>\n", o);
}

static void html_notes(FILE *o, const struct report_model *m)
{
	fputs("<h2>メモ</h2>\n", o);
	if (!m->nnotes) {
		fputs("<p>メモはありません。</p>\n", o);
		return;
	}
	/* Owner and due columns only when the answers file has any: show nothing if not. */
	int owners = 0, dues = 0;
	for (size_t i = 0; i < m->nnotes; i++) {
		const struct report_item *it = &m->items[m->notes[i].item];
		owners |= *it->owner != '\0';
		dues |= *it->due != '\0';
	}
	fputs("<table class=\"notes\"><colgroup><col class=\"item\"><col></colgroup>\n<tr><th>項目</th><th>メモ</th>",
	      o);
	if (owners)
		fputs("<th>担当</th>", o);
	if (dues)
		fputs("<th>期限</th>", o);
	fputs("</tr>\n", o);
	for (size_t i = 0; i < m->nnotes; i++) {
		const struct report_note *n = &m->notes[i];
		const struct report_item *it = &m->items[n->item];
		fputs("<tr><td>", o);
		html_item_text(o, it);
		fputs(" <span class=\"muted nw\">（", o);
		html_esc(o, it->state_name);
		fputs("）</span></td><td class=\"note\">", o);
		html_esc(o, it->note);
		fputs("</td>", o);
		if (owners) {
			fputs("<td>", o);
			html_esc(o, it->owner);
			fputs("</td>", o);
		}
		if (dues) {
			fputs("<td class=\"num\">", o);
			if (n->overdue)
				fputs("<span class=\"tag bad\">期限切れ</span>", o);
			html_esc(o, it->due);
			fputs("</td>", o);
		}
		fputs("</tr>\n", o);
	}
	fputs("</table>\n", o);
}

/* "メモ：A → B" on a line of its own when from and to differ; nothing when they do not. */
static void html_field_change(FILE *o, const char *what, const char *from, const char *to)
{
	if (strcmp(from, to) == 0)
		return;
	fprintf(o, "<div>%s：", what);
	html_esc(o, *from ? from : "（なし）");
	fputs(" → ", o);
	html_esc(o, *to ? to : "（なし）");
	fputs("</div>", o);
}

static void html_changes(FILE *o, const struct report_model *m)
{
	fputs("<h2>前回からの変化</h2>\n", o);
	if (!m->has_prev) {
		fputs("<p>比べる前回のセッションはありません。</p>\n", o);
		return;
	}
	fputs("<p>前回のセッション：", o);
	html_esc(o, *m->prev_name ? m->prev_name : "（名前なし）");
	fputs("。全体の済 ", o);
	html_delta(o, m->delta);
	if (m->has_prev_score) {
		fputs("、自社診断の点数 ", o);
		html_delta(o, (long)m->score - m->prev_score);
		fputs("点", o);
	}
	fputs("。</p>\n", o);

	/* Every group's bar before and after: an unchanged one reads as unchanged, not as missing. */
	fputs("<h3>グループごと</h3>\n<table class=\"bars\"><colgroup><col><col class=\"bar\">"
	      "<col class=\"bar\"><col class=\"delta\"></colgroup>\n"
	      "<tr><th>グループ</th><th>前回</th><th>今回</th><th class=\"num\">変化</th></tr>\n",
	      o);
	for (size_t g = 0; g < m->ngroups; g++) {
		const struct report_group *rg = &m->groups[g];
		fputs("<tr><td>", o);
		html_esc(o, rg->title);
		fputs("</td><td>", o);
		html_bar(o, "前回", rg->prev_done, rg->prev_applicable, HTML_BAR_W);
		fprintf(o, "<span class=\"num\">%zu/%zu</span></td><td>", rg->prev_done,
		        rg->prev_applicable);
		html_bar(o, "今回", rg->done, rg->applicable, HTML_BAR_W);
		fprintf(o, "<span class=\"num\">%zu/%zu</span></td><td class=\"num\">", rg->done,
		        rg->applicable);
		html_delta(o, rg->delta);
		fputs("</td></tr>\n", o);
	}
	fputs("</table>\n", o);

	fputs("<h3>項目ごと</h3>\n", o);
	if (!m->nchanges) {
		fputs("<p>前回から変わった答えはありません。</p>\n", o);
		return;
	}
	fputs("<table>\n<tr><th>項目</th><th>前回</th><th></th><th>今回</th><th>メモ・担当・期限</th></tr>\n",
	      o);
	for (size_t i = 0; i < m->nchanges; i++) {
		const struct report_change *c = &m->changes[i];
		fputs("<tr><td>", o);
		html_item_text(o, &m->items[c->item]);
		fputs("</td><td style=\"white-space:nowrap\">", o);
		html_esc(o, c->from_name);
		fputs("</td><td>→</td><td style=\"white-space:nowrap\">", o);
		html_esc(o, c->to_name);
		fputs("</td><td class=\"note\">", o);
		html_field_change(o, "メモ", c->note_from, c->note_to);
		html_field_change(o, "担当", c->owner_from, c->owner_to);
		html_field_change(o, "期限", c->due_from, c->due_to);
		fputs("</td></tr>\n", o);
	}
	fputs("</table>\n", o);
}

/* The 部門別 table of a merged session: each department's answer side by side, differing rows marked. */
static void html_departments(FILE *o, const struct report_model *m)
{
	if (!m->merged)
		return;
	fprintf(o,
	        "<h2>部門別の回答</h2>\n<p>このセッションは %zu 部門の回答を合わせたものです。</p>\n<ul>",
	        m->ndepartments);
	for (size_t i = 0; i < m->ndepartments; i++) {
		fputs("<li>", o);
		html_esc(o, m->departments[i]);
		fputs("：<span class=\"muted\">", o);
		html_esc(o, m->sources[i]);
		fputs("</span></li>", o);
	}
	fputs("</ul>\n", o);
	if (!m->ndept_rows) {
		fputs("<p>部門ごとの表は出せません：", o);
		html_esc(o, m->merge_error);
		fputs("</p>\n", o);
		return;
	}
	fprintf(o, "<p>回答が部門で違う項目：%zu 件（%c の行）</p>\n<table>\n<tr><th></th><th>項目</th>",
	        m->ndiffer, MERGE_DIFFER_MARK);
	for (size_t i = 0; i < m->ndepartments; i++) {
		fputs("<th>", o);
		html_esc(o, m->departments[i]);
		fputs("</th>", o);
	}
	fputs("<th>結果</th></tr>\n", o);
	for (size_t r = 0; r < m->ndept_rows; r++) {
		const struct report_dept_row *dr = &m->dept_rows[r];
		const struct report_item *it = &m->items[dr->item];
		fprintf(o, "<tr><td>%s</td><td>", dr->differ ? "*" : "");
		html_item_text(o, it);
		fputs("</td>", o);
		for (size_t i = 0; i < m->ndepartments; i++)
			fprintf(o, "<td class=\"nw\">%s</td>", merge_state_short(dr->states[i]));
		fprintf(o, "<td class=\"nw\"><b>%s</b></td></tr>\n", merge_state_short(dr->merged));
	}
	fputs("</table>\n", o);
}

/* Nothing is left out silently: what the answers file held that the report could not place. */
static void html_strays(FILE *o, const struct report_model *m)
{
	fputs("<h2>答えのファイルで使えなかった行</h2>\n", o);
	if (!m->nstrays) {
		fputs("<p>ありません。答えのファイルの行はすべて読み取れました。</p>\n", o);
		return;
	}
	fputs("<table>\n<tr><th class=\"num\">行</th><th>種類</th><th>ID</th><th>内容</th></tr>\n", o);
	for (size_t i = 0; i < m->nstrays; i++) {
		const struct report_stray *s = &m->strays[i];
		fputs("<tr><td class=\"num\">", o);
		if (s->line > 0)
			fprintf(o, "%d", s->line);
		fprintf(o, "</td><td>%s</td><td>", s->known ? "内容にないID" : "読めない行");
		html_esc(o, s->id);
		fputs("</td><td class=\"note\">", o);
		html_esc(o, s->text);
		fputs("</td></tr>\n", o);
	}
	fputs("</table>\n", o);
}

int report_write_html(FILE *out, const struct report_model *m)
{
	errno = 0;
	html_head(out, m);
	html_summary(out, m);
	fputs("<section class=\"details\">\n", out);
	html_groups(out, m);
	html_improve(out, m);
	html_notes(out, m);
	html_departments(out, m);
	html_changes(out, m);
	html_strays(out, m);
	fputs("</section>\n</body>\n</html>\n", out);
	if (fflush(out) == EOF || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}
