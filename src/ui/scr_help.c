/*
 * scr_help: the key help, drawn from the key table (keys.c) so it always
 * says what the keys really do.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/nav.h"
#include "ui/draw.h"
#include "ui/ui.h"

/* One help row per help text: the labels of the bindings that share it. */
struct help_row {
	char keys[64];
	const char *help;
};

static size_t help_rows(struct help_row *rows, size_t max)
{
	size_t n = 0;

	for (const struct key_binding *b = keys_table; b->key && n < max; b++) {
		if (b->help) {
			snprintf(rows[n].keys, sizeof rows[n].keys, "%s", b->label);
			rows[n].help = b->help;
			n++;
		} else if (n > 0 && !strstr(rows[n - 1].keys, b->label)) {
			size_t l = strlen(rows[n - 1].keys);
			snprintf(rows[n - 1].keys + l, sizeof rows[n - 1].keys - l, ", %s", b->label);
		}
	}
	return n;
}

void scr_help_draw(struct ui *ui)
{
	struct help_row rows[64];
	size_t n = help_rows(rows, 64);
	int height = ui_text_rows(ui) - 2;
	size_t max_top = nav_max_top(n, (size_t)height);

	if (ui->help_top > max_top)
		ui->help_top = max_top;
	draw_text(0, 0, "mamori のキー操作", ui->cols, A_BOLD);
	for (int y = 0; y < height && ui->help_top + (size_t)y < n; y++) {
		const struct help_row *r = &rows[ui->help_top + (size_t)y];
		draw_text(y + 2, 1, r->keys, 18, A_BOLD);
		draw_text(y + 2, 20, r->help, ui->cols - 21, A_NORMAL);
	}
	draw_status("ヘルプ", "q/Esc: 閉じる");
}

void scr_help_action(struct ui *ui, enum action a)
{
	int height = ui_text_rows(ui) - 2;

	switch (a) {
	case ACT_QUIT:
	case ACT_CANCEL:
	case ACT_BACK:
		ui->screen = ui->help_return;
		break;
	case ACT_CONTENTS:
		ui->screen = SCR_CONTENTS;
		break;
	case ACT_DOWN:
		ui->help_top++;
		break;
	case ACT_UP:
		if (ui->help_top > 0)
			ui->help_top--;
		break;
	case ACT_PAGE_DOWN:
		ui->help_top += (size_t)height;
		break;
	case ACT_PAGE_UP:
		ui->help_top = ui->help_top > (size_t)height ? ui->help_top - (size_t)height : 0;
		break;
	case ACT_TOP:
		ui->help_top = 0;
		break;
	case ACT_BOTTOM:
		ui->help_top = (size_t)-1 / 2;
		break;
	default:
		break;
	}
}
