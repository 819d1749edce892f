/*
 * scr_dashboard: progress at a glance.  A bar per principle and action,
 * the 5か条, the 自社診断's score and band with its わからない items, the
 * overall bar, the change since the previous session, and SECURITY ACTION
 * readiness with what is still missing.  Bars are ASCII and no character
 * here is East Asian ambiguous-width (no ★ or ■), so it reads the same on
 * every terminal.  Enter on a group opens its page.  The rows are built
 * when the screen is shown and after a change, and drawn from memory.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
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
	d->v = xgrow(d->v, &d->cap, d->n + 1, sizeof *d->v);
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

static struct dash rows;
static struct list list;
static int stale = 1;

static int selectable(const void *ctx, size_t row)
{
	(void)ctx;
	return rows.v[row].page >= 0;
}

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 2;
}

/* The rows are built when the screen is shown and after a change, never while drawing. */
static void refresh_rows(struct ui *ui)
{
	if (!stale)
		return;
	rows.n = 0;
	build(ui, &rows);
	list.selectable = selectable;
	list_set_count(&list, rows.n);
	stale = 0;
}

static void dashboard_enter(struct ui *ui)
{
	refresh_rows(ui);
	list_fix(&list, (size_t)height(ui));
}

static void dashboard_changed(struct ui *ui)
{
	(void)ui;
	stale = 1;
}

static void dashboard_draw(struct ui *ui)
{
	refresh_rows(ui);
	list_fix(&list, (size_t)height(ui));

	/* One column for every bar, so they line up whatever their counts. */
	int rw_max = 0;
	for (size_t i = 0; i < rows.n; i++)
		if ((int)strlen(rows.v[i].right) > rw_max)
			rw_max = (int)strlen(rows.v[i].right); /* ASCII only */
	draw_text(0, 0, "進捗ダッシュボード", ui->cols, A_BOLD);
	for (int y = 0; y < height(ui) && list.top + (size_t)y < rows.n; y++) {
		size_t i = list.top + (size_t)y;
		const struct dash_row *r = &rows.v[i];
		attr_t a = r->attr;
		if ((long)i == list.cursor) {
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
}

static enum action dashboard_action(struct ui *ui, enum action a)
{
	refresh_rows(ui);
	if (list_action(&list, a, (size_t)height(ui)))
		return ACT_NONE;
	if (a == ACT_FOLLOW) {
		if (list.cursor >= 0)
			scr_page_show(ui, rows.v[list.cursor].page);
		return ACT_NONE;
	}
	return a;
}

static void dashboard_fini(struct ui *ui)
{
	(void)ui;
	free(rows.v);
	memset(&rows, 0, sizeof rows);
	stale = 1;
}

static const enum keymap dashboard_keymaps[] = { KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_dashboard = {
	.name = "dashboard",
	.key = 'P',
	.key_label = "P",
	.key_help = "進捗ダッシュボード",
	.keymaps = dashboard_keymaps,
	.enter = dashboard_enter,
	.draw = dashboard_draw,
	.action = dashboard_action,
	.changed = dashboard_changed,
	.fini = dashboard_fini,
};
