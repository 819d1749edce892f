/*
 * draw: shared drawing primitives (see draw.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "core/charset.h"
#include "core/text.h"
#include "ui/draw.h"

static int fold_on, fold_ambiguous;

void draw_set_fold(int fold, int ambiguous_wide)
{
	fold_on = fold;
	fold_ambiguous = ambiguous_wide;
}

/*
 * Characters are gathered into runs and handed to curses a run at a time:
 * a call per character was a third of the cost of a page turn.
 */
struct run {
	wchar_t wc[256];
	int n;
};

static void run_flush(struct run *r)
{
	if (r->n)
		addnwstr(r->wc, r->n);
	r->n = 0;
}

/* Add one character (already known to be safe) if it fits; returns its columns or -1. */
static int run_add(struct run *r, uint32_t cp, int room)
{
	int w = cp < 0x7F ? 1 : text_cp_width(cp);

	if (w > room)
		return -1;
	if (r->n == (int)(sizeof r->wc / sizeof r->wc[0]))
		run_flush(r);
	r->wc[r->n++] = (wchar_t)cp;
	return w;
}

/* draw_text without the mark: *cut says whether something did not fit. */
static int draw_clip(int y, int x, const char *s, int maxcols, attr_t attr, int *cut)
{
	size_t len = strlen(s), i = 0;
	int used = 0;

	*cut = 0;
	struct run run = { .n = 0 };

	if (maxcols <= 0 || y < 0 || y >= LINES)
		return 0;
	move(y, x);
	attr_set(attr, 0, NULL);
	while (i < len) {
		uint32_t cp = text_decode(s, len, &i);
		char vis[16];
		/* The core sanitised this text; this is the last guard before the terminal. */
		if (text_visible_form(cp, vis)) {
			int n = (int)strlen(vis);
			if (used + n > maxcols) {
				*cut = 1;
				break;
			}
			run_flush(&run);
			addstr(vis);
			used += n;
			continue;
		}
		const char *f = fold_on && cp >= 0x80 ? charset_fold_cp(cp, fold_ambiguous) : NULL;
		if (f) {
			/* A fold is made of characters the terminal can show. */
			size_t fl = strlen(f), k = 0;
			if (text_width(f, fl) > (size_t)(maxcols - used)) {
				*cut = 1;
				break;
			}
			while (k < fl)
				used += run_add(&run, text_decode(f, fl, &k), maxcols - used);
			continue;
		}
		int w = run_add(&run, cp, maxcols - used);
		if (w < 0) {
			*cut = 1;
			break;
		}
		used += w;
	}
	run_flush(&run);
	attr_set(A_NORMAL, 0, NULL);
	return used;
}

int draw_laid_out(int y, int x, const char *s, attr_t attr)
{
	wchar_t wc[512];
	size_t len = strlen(s), i = 0;
	int n = 0;

	if (y < 0 || y >= LINES)
		return 0;
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		if (n == (int)(sizeof wc / sizeof wc[0]))
			return -1;
		if (b >= 0x20 && b < 0x7F) {
			wc[n++] = b;
			i++;
			continue;
		}
		uint32_t cp = text_decode(s, len, &i);
		/* What draw_clip would not draw as it is: it takes those, in visible form or folded. */
		if (cp < 0xA0 || fold_on || text_must_escape(cp))
			return -1;
		wc[n++] = (wchar_t)cp;
	}
	move(y, x);
	attr_set(attr, 0, NULL);
	if (n)
		addnwstr(wc, n);
	attr_set(A_NORMAL, 0, NULL);
	return 0;
}

/*
 * Text cut to fit ends with '>' (as less marks a chopped line): ASCII, one
 * column in every locale, so a cut is never silent and never overflows.
 */
int draw_text(int y, int x, const char *s, int maxcols, attr_t attr)
{
	int cut;
	int used = draw_clip(y, x, s, maxcols, attr, &cut);

	if (!cut || maxcols < 2)
		return used;
	int shown = draw_clip(y, x, s, maxcols - 1, attr, &cut);
	attr_set(attr, 0, NULL);
	addch('>');
	/* Blank what the first try drew past the mark (half of a wide character, say). */
	for (int k = shown + 1; k < used; k++)
		addch(' ');
	attr_set(A_NORMAL, 0, NULL);
	return used > shown + 1 ? used : shown + 1;
}

static int cursor_y = -1, cursor_x;

void draw_cursor_at(int y, int x)
{
	cursor_y = y;
	cursor_x = x;
}

void draw_fill(int y, int x, attr_t attr)
{
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	/*
	 * A whole row in reverse video above the status line is a selected line:
	 * the cursor goes to the first one, unless the screen said where.
	 */
	if (cursor_y < 0 && x == 0 && (attr & A_REVERSE) && y < LINES - 1)
		draw_cursor_at(y, 0);
	attr_set(attr, 0, NULL);
	mvhline(y, x, ' ', COLS - x);
	attr_set(A_NORMAL, 0, NULL);
}

static int status_cut;
static char status_label[128];
static int status_is_message;

void draw_status_message(int is_message)
{
	status_is_message = is_message;
}

void draw_status_label(const char *label)
{
	snprintf(status_label, sizeof status_label, "%s", label ? label : "");
}

void draw_status(const char *left, const char *right)
{
	int y = LINES - 1;
	int rw = (int)text_width(right, strlen(right));
	int lw = (int)text_width(left, strlen(left));
	int bw = (int)text_width(status_label, strlen(status_label));

	draw_fill(y, 0, A_REVERSE);
	int room = COLS - rw - 2;
	if (room < 10) {
		/* Too narrow for both: the position matters less than the title. */
		draw_text(y, 0, left, COLS - 1, A_REVERSE);
		status_cut = lw > COLS - 1;
		return;
	}
	/* The label only where the text keeps 10 columns. */
	int x = room - bw >= 10 ? draw_text(y, 0, status_label, bw, A_REVERSE | A_BOLD) : 0;
	if (x && status_is_message && lw > room - x && lw <= COLS - 1 - x) {
		/*
		 * The label pushed a message over: the position gives way, not the
		 * words.  A title is cut with its mark instead, so the page's
		 * position and "?:ヘルプ" stay on the line.
		 */
		draw_text(y, x, left, COLS - 1 - x, A_REVERSE);
		status_cut = 0;
		return;
	}
	draw_text(y, x, left, room - x, A_REVERSE);
	draw_text(y, COLS - rw - 1, right, rw, A_REVERSE);
	status_cut = lw > room - x;
}

int draw_status_cut(void)
{
	return status_cut;
}

void draw_cursor_reset(void)
{
	cursor_y = -1;
}

void draw_cursor_place(void)
{
	int y = cursor_y >= 0 && cursor_y < LINES ? cursor_y : 0;
	int x = cursor_y >= 0 && cursor_x >= 0 && cursor_x < COLS ? cursor_x : 0;

	/* Shown: some screen readers ignore a hidden cursor. The line editor hides it on its way out. */
	curs_set(1);
	leaveok(stdscr, FALSE);
	move(y, x);
}

void draw_too_small(int min_cols, int min_rows)
{
	char buf[128];

	erase();
	snprintf(buf, sizeof buf, "画面が小さすぎます (%dx%d 以上にしてください)", min_cols, min_rows);
	draw_text(0, 0, buf, COLS, A_BOLD);
	if (LINES > 1) {
		snprintf(buf, sizeof buf, "Terminal too small: %dx%d, need %dx%d. q quits.", COLS, LINES,
		         min_cols, min_rows);
		draw_text(1, 0, buf, COLS, A_NORMAL);
	}
}
