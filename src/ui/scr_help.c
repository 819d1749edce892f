/*
 * scr_help: the key help, drawn from the key table (keys.c) and the keys
 * that show each screen (ui_screens), so it always says what the keys
 * really do.  One section per keymap, in the order a screen tries them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "ui/draw.h"
#include "ui/list.h"
#include "ui/ui.h"

/* A row: a section title (help NULL), or the keys that share a help text. */
struct help_row {
	char *keys;
	const char *help;
};

static struct help_row *rows;
static size_t nrows, cap;
static struct list list;

static void add(char *keys, const char *help)
{
	rows = xgrow(rows, &cap, nrows + 1, sizeof *rows);
	rows[nrows++] = (struct help_row){ keys, help };
}

/* Another key for the same thing: shown on the same row. */
static void join(struct help_row *r, const char *label)
{
	char *keys = xasprintf("%s, %s", r->keys, label);
	free(r->keys);
	r->keys = keys;
}

/* The keys everyone needs first; every other keymap after them, so a new one is never left out. */
static const enum keymap first[] = { KEYMAP_GLOBAL, KEYMAP_LIST, KEYMAP_READER, KEYMAP_ITEM,
	                             KEYMAP_SEARCH };

static int in_first(enum keymap km)
{
	for (size_t k = 0; k < sizeof first / sizeof first[0]; k++)
		if (first[k] == km)
			return 1;
	return 0;
}

static void build(void)
{
	enum keymap order[KEYMAP_COUNT];
	size_t norder = 0;
	for (size_t k = 0; k < sizeof first / sizeof first[0]; k++)
		order[norder++] = first[k];
	for (int km = 0; km < KEYMAP_COUNT; km++)
		if (km != KEYMAP_END && !in_first((enum keymap)km))
			order[norder++] = (enum keymap)km;
	for (size_t k = 0; k < norder; k++) {
		enum keymap km = order[k];
		int any = 0;
		for (const struct key_binding *b = keys_table; b->key && !any; b++)
			any = b->keymap == km;
		if (!any && km != KEYMAP_GLOBAL)
			continue;
		if (nrows)
			add(xstrdup(""), NULL);
		add(xstrdup(keys_keymap_title(km)), NULL);
		for (const struct key_binding *b = keys_table; b->key; b++) {
			if (b->keymap != km)
				continue;
			if (b->help)
				add(xstrdup(b->label), b->help);
			else if (nrows && !strstr(rows[nrows - 1].keys, b->label))
				join(&rows[nrows - 1], b->label);
		}
		if (km == KEYMAP_GLOBAL)
			for (const struct screen *const *s = ui_screens; *s; s++)
				if ((*s)->key)
					add(xstrdup((*s)->key_label), (*s)->key_help);
	}
	list_set_count(&list, nrows);
}

static int height(const struct ui *ui)
{
	return ui_text_rows(ui) - 2;
}

static void help_enter(struct ui *ui)
{
	(void)ui;
	if (!rows)
		build();
}

static void help_draw(struct ui *ui)
{
	list_fix(&list, (size_t)height(ui));
	draw_text(0, 0, "mamori のキー操作", ui->cols, A_BOLD);
	for (int y = 0; y < height(ui) && list.top + (size_t)y < nrows; y++) {
		const struct help_row *r = &rows[list.top + (size_t)y];
		if (!r->help) {
			draw_text(y + 2, 0, r->keys, ui->cols, A_BOLD);
			continue;
		}
		draw_text(y + 2, 1, r->keys, 18, A_BOLD);
		draw_text(y + 2, 20, r->help, ui->cols - 21, A_NORMAL);
	}
	draw_status(ui->message[0] ? ui->message : "ヘルプ", "q/Esc: 閉じる");
}

static enum action help_action(struct ui *ui, enum action a)
{
	if (list_action(&list, a, (size_t)height(ui)))
		return ACT_NONE;
	return a;
}

static void help_fini(struct ui *ui)
{
	(void)ui;
	for (size_t i = 0; i < nrows; i++)
		free(rows[i].keys);
	free(rows);
	rows = NULL;
	nrows = cap = 0;
}

static const enum keymap help_keymaps[] = { KEYMAP_LIST, KEYMAP_GLOBAL, KEYMAP_END };

const struct screen scr_help = {
	.name = "help",
	.key = '?',
	.key_label = "?",
	.key_help = "このヘルプ",
	.passing = 1,
	.keymaps = help_keymaps,
	.enter = help_enter,
	.draw = help_draw,
	.action = help_action,
	.fini = help_fini,
};
