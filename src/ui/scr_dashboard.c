/*
 * scr_dashboard: progress at a glance.  A bar per principle and action,
 * the 5か条, the 自社診断's score and band with its わからない items, the
 * overall bar, the change since the previous session, and SECURITY ACTION
 * readiness with what is still missing.  Bars are ASCII and no character
 * here is East Asian ambiguous-width (no ★ or ■), so it reads the same on
 * every terminal.  Enter on a group opens its page.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/nav.h"
#include "ui/draw.h"
#include "ui/ui.h"

#define BAR_CELLS 10

struct dash_row {
	char left[512];
	char right[96];
	attr_t attr;
	int page;          /* page Enter opens, or -1 */
};

struct dash {
	struct dash_row *v;
	size_t n, cap;
};

static struct dash_row *add(struct dash *d, attr_t attr, int page, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct dash_row *add(struct dash *d, attr_t attr, int page, const char *fmt, ...)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		struct dash_row *v = realloc(d->v, d->cap * sizeof *v);
		if (!v)
			abort();
		d->v = v;
	}
	struct dash_row *r = &d->v[d->n++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->left, sizeof r->left, fmt, ap);
	va_end(ap);
	r->right[0] = '\0';
	r->attr = attr;
	r->page = page;
	return r;
}

static const char *const kind_heading[GROUP_KIND_COUNT] = {
	"3原則", "重要7項目の取組", "情報セキュリティ5か条", "5分でできる！情報セキュリティ自社診断",
	"情報セキュリティ基本方針"
};

/* What a group is called here: principles and actions by their page title ("原則1 ..."). */
static const char *group_label(const struct doc *d, const struct group *g)
{
	if (g->kind == GROUP_PRINCIPLE || g->kind == GROUP_ACTION)
		return d->pages[g->page].title;
	return g->title;
}

static void group_rows(struct ui *ui, struct dash *dash, enum group_kind kind)
{
	const struct doc *d = ui->doc;
	int heading = 0;

	for (size_t g = 0; g < d->ngroups; g++) {
		const struct group *gr = &d->groups[g];
		const struct progress_group *pg = &ui->prog.groups[g];
		if (gr->kind != kind)
			continue;
		if (!heading++)
			add(dash, A_BOLD, -1, "%s", kind_heading[kind]);
		struct dash_row *r = add(dash, A_NORMAL, gr->page, "  %s", group_label(d, gr));
		int n = kind == GROUP_DIAGNOSIS
			? progress_bar(r->right, sizeof r->right, pg->answered, pg->total, BAR_CELLS)
			: progress_bar(r->right, sizeof r->right, pg->done, pg->applicable, BAR_CELLS);
		if (ui->have_prev && n > 0 && (size_t)n < sizeof r->right)
			snprintf(r->right + n, sizeof r->right - (size_t)n, " %+4ld",
				 progress_group_delta(&ui->prog, &ui->prev, g));
	}
}

static void build(struct ui *ui, struct dash *dash)
{
	const struct doc *d = ui->doc;
	const struct progress *p = &ui->prog;

	if (ui->answers) {
		const char *base = strrchr(ui->answers->path, '/');
		add(dash, A_NORMAL, -1, "回答ファイル: %s%s", base ? base + 1 : ui->answers->path,
		    ui->answers->readonly ? " (読み取り専用)" : "");
	}
	if (ui->have_prev)
		add(dash, A_NORMAL, -1, "右端の +/- は前回のセッション %s からの変化です", ui->prev_name);
	add(dash, A_NORMAL, -1, "%s", "");
	group_rows(ui, dash, GROUP_PRINCIPLE);
	group_rows(ui, dash, GROUP_ACTION);
	group_rows(ui, dash, GROUP_ARTICLE);
	group_rows(ui, dash, GROUP_POLICY);
	group_rows(ui, dash, GROUP_DIAGNOSIS);

	if (p->questions > 0) {
		struct dash_row *r = add(dash, A_BOLD, -1, "  得点: %s / %s", progress_band_title(p->band),
					 progress_band_advice(p->band));
		progress_score_bar(r->right, sizeof r->right, p->score, BAR_CELLS);
		if (ui->have_prev)
			snprintf(r->right + strlen(r->right), sizeof r->right - strlen(r->right), " %+4d",
				 p->score - ui->prev.score);
		if (p->answered < p->questions)
			add(dash, A_NORMAL, -1, "  (未回答が %zu 問あります。未回答は 0 点として数えています)",
			    p->questions - p->answered);
		for (size_t i = 0; i < p->nunknown; i++)
			add(dash, A_NORMAL, d->items[p->unknown[i]].page, "  わからない: %s",
			    d->items[p->unknown[i]].text);
	}

	add(dash, A_NORMAL, -1, "%s", "");
	struct dash_row *all = add(dash, A_BOLD, -1, "全体");
	progress_bar(all->right, sizeof all->right, p->done, p->applicable, BAR_CELLS);

	add(dash, A_NORMAL, -1, "%s", "");
	add(dash, A_BOLD, -1, "SECURITY ACTION の準備状況");
	for (int stars = 1; stars <= 2; stars++) {
		int ready = stars == 1 ? p->star1 : p->star2;
		size_t unanswered = 0, shown = 0;
		add(dash, A_NORMAL, -1, "  %s: %s", stars == 1 ? "一つ星" : "二つ星",
		    ready ? "宣言の準備ができています" : "まだ足りないものがあります");
		for (size_t i = 0; i < p->nmissing; i++) {
			const struct progress_missing *m = &p->missing[i];
			if (m->stars != stars)
				continue;
			if (m->reason == PROGRESS_UNANSWERED) {
				unanswered++;
			} else if (m->item >= 0) {
				add(dash, A_NORMAL, d->items[m->item].page, "    - %s (%s)",
				    d->items[m->item].text, progress_reason_name(m->reason));
				shown++;
			} else {
				add(dash, A_NORMAL, -1, "    - %s (%s)", kind_heading[m->kind],
				    progress_reason_name(m->reason));
			}
		}
		if (unanswered)
			add(dash, A_NORMAL, -1, "    - 自社診断の未回答 %zu 問", unanswered);
	}
}

void scr_dashboard_draw(struct ui *ui)
{
	struct dash dash = { 0 };
	build(ui, &dash);
	int height = ui_text_rows(ui) - 2;
	size_t max_top = nav_max_top(dash.n, (size_t)height);

	/* The cursor rests only on rows that open a page. */
	if (ui->dash_cursor >= (int)dash.n)
		ui->dash_cursor = (int)dash.n - 1;
	if (ui->dash_top > max_top)
		ui->dash_top = max_top;
	if (ui->dash_cursor >= 0 && (size_t)ui->dash_cursor < ui->dash_top)
		ui->dash_top = (size_t)ui->dash_cursor;
	if (ui->dash_cursor >= 0 && (size_t)ui->dash_cursor >= ui->dash_top + (size_t)height)
		ui->dash_top = (size_t)ui->dash_cursor - (size_t)height + 1;

	/* One column for every bar, so they line up whatever their counts. */
	int rw_max = 0;
	for (size_t i = 0; i < dash.n; i++)
		if ((int)strlen(dash.v[i].right) > rw_max)
			rw_max = (int)strlen(dash.v[i].right); /* ASCII only */
	draw_text(0, 0, "進捗ダッシュボード", ui->cols, A_BOLD);
	for (int y = 0; y < height && ui->dash_top + (size_t)y < dash.n; y++) {
		size_t i = ui->dash_top + (size_t)y;
		const struct dash_row *r = &dash.v[i];
		attr_t a = r->attr;
		if ((int)i == ui->dash_cursor && r->page >= 0) {
			a |= A_REVERSE;
			draw_fill(y + 2, 0, A_REVERSE);
		}
		int rw = r->right[0] ? rw_max : 0;
		draw_text(y + 2, 0, r->left, ui->cols - 1 - (rw ? rw + 1 : 0), a);
		if (rw)
			draw_text(y + 2, ui->cols - rw - 1, r->right, rw, a);
	}
	draw_status(ui->message[0] ? ui->message : "進捗  Enter:そのページへ",
		    "q/Esc:戻る ?:ヘルプ");
	free(dash.v);
}

/* Move the cursor to the next row that opens a page, in direction dir. */
static void move_cursor(struct ui *ui, const struct dash *dash, int dir, int steps)
{
	int i = ui->dash_cursor;
	while (steps-- > 0) {
		int j = i + dir;
		while (j >= 0 && j < (int)dash->n && dash->v[j].page < 0)
			j += dir;
		if (j < 0 || j >= (int)dash->n)
			break;
		i = j;
	}
	ui->dash_cursor = i;
	if (i < 0 || dash->v[i].page < 0) {
		/* Nothing selectable that way: scroll instead, so every row can be read. */
		if (dir > 0)
			ui->dash_top++;
		else if (ui->dash_top > 0)
			ui->dash_top--;
	}
}

void scr_dashboard_action(struct ui *ui, enum action a)
{
	struct dash dash = { 0 };
	build(ui, &dash);
	int height = ui_text_rows(ui) - 2;
	int before = ui->dash_cursor;

	if (ui->dash_cursor < 0 || ui->dash_cursor >= (int)dash.n || dash.v[ui->dash_cursor].page < 0) {
		ui->dash_cursor = -1;
		move_cursor(ui, &dash, 1, 1);
	}
	switch (a) {
	case ACT_QUIT:
	case ACT_CANCEL:
		ui->screen = ui->back_to;
		break;
	case ACT_CONTENTS:
		ui->screen = SCR_CONTENTS;
		break;
	case ACT_SESSIONS:
		ui->back_to = SCR_DASHBOARD;
		ui->screen = SCR_SESSIONS;
		break;
	case ACT_DOWN:
		if (before >= 0)
			move_cursor(ui, &dash, 1, 1);
		break;
	case ACT_UP:
		move_cursor(ui, &dash, -1, 1);
		break;
	case ACT_PAGE_DOWN:
		move_cursor(ui, &dash, 1, height);
		ui->dash_top += (size_t)height;
		break;
	case ACT_PAGE_UP:
		move_cursor(ui, &dash, -1, height);
		ui->dash_top = ui->dash_top > (size_t)height ? ui->dash_top - (size_t)height : 0;
		break;
	case ACT_TOP:
		ui->dash_top = 0;
		ui->dash_cursor = -1;
		move_cursor(ui, &dash, 1, 1);
		break;
	case ACT_BOTTOM:
		ui->dash_top = dash.n;
		ui->dash_cursor = (int)dash.n;
		move_cursor(ui, &dash, -1, 1);
		break;
	case ACT_FOLLOW:
		if (ui->dash_cursor >= 0 && dash.v[ui->dash_cursor].page >= 0)
			scr_page_open(ui, dash.v[ui->dash_cursor].page, 1);
		break;
	default:
		break;
	}
	free(dash.v);
}
