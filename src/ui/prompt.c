/*
 * prompt: the line editor (see prompt.h).  It scrolls the text
 * horizontally so the cursor stays on the line, and moves by whole
 * characters, so wide characters and pasted UTF-8 go in as they are.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "ui/draw.h"
#include "ui/input.h"
#include "ui/prompt.h"
#include "ui/ui.h"

/* Byte offset of the character before (dir < 0) or after (dir > 0) offset at in s. */
static size_t step(const char *s, size_t len, size_t at, int dir)
{
	if (dir < 0) {
		while (at > 0 && ((unsigned char)s[--at] & 0xC0) == 0x80)
			;
		return at;
	}
	if (at < len)
		text_decode(s, len, &at);
	return at;
}

/* Insert a character at the cursor: grow, shift the tail, copy it in. */
static void insert(struct buf *b, size_t *cur, uint32_t cp)
{
	char enc[4];
	size_t n = text_encode(cp, enc);

	buf_add(b, enc, n);
	memmove(b->s + *cur + n, b->s + *cur, b->len - n - *cur);
	memcpy(b->s + *cur, enc, n);
	b->s[b->len] = '\0';
	*cur += n;
}

static void set_text(struct buf *b, const char *s)
{
	buf_reset(b);
	buf_adds(b, s);
}

void prompt_history_add(struct prompt_history *h, const char *s)
{
	if (!h || !*s || (h->n && strcmp(h->v[h->n - 1], s) == 0))
		return;
	h->v = xgrow(h->v, &h->cap, h->n + 1, sizeof *h->v);
	h->v[h->n++] = xstrdup(s);
}

void prompt_history_free(struct prompt_history *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->v[i]);
	free(h->v);
	memset(h, 0, sizeof *h);
}

/*
 * The first byte to show so that the cursor (at byte cur) stays on a line
 * of room columns: walk back from the cursor, so a long text costs only
 * what fits on the line, not its whole length.
 */
static size_t first_shown(const char *s, size_t cur, int room)
{
	size_t from = cur;
	int cols = 0;

	while (from > 0) {
		size_t prev = step(s, cur, from, -1), at = prev;
		uint32_t cp = text_decode(s, cur, &at);
		int w = text_cp_width(cp);
		if (cols + (w > 0 ? w : 1) >= room)
			break;
		cols += w > 0 ? w : 1;
		from = prev;
	}
	return from;
}

int prompt_line_draw(const struct prompt_line *l, int y, int x0, int room, attr_t attr)
{
	const struct buf *b = &l->b;
	const char *s = b->s ? b->s : "";
	size_t cur = l->cur;

	if (room <= 0)
		return x0;
	size_t from = first_shown(s, cur, room);
	/* Only what can be on the line is sanitised and drawn, however long the text. */
	size_t to = cur;
	for (int cols = 0; to < b->len && cols < room * 4 + 64; cols++)
		to = step(s, b->len, to, 1);
	char *before = text_sanitize(s + from, cur - from);
	char *after = text_sanitize(s + cur, to - cur);
	int x = x0 + draw_text(y, x0, before, room, attr);
	draw_text(y, x, after, room - (x - x0), attr);
	free(before);
	free(after);
	return x;
}

static void draw_prompt(const struct ui *ui, const char *label, const struct prompt_line *l)
{
	int y = ui->rows - 1;

	draw_fill(y, 0, A_NORMAL);
	int used = draw_text(y, 0, label, ui->cols - 1, A_BOLD);
	int x = prompt_line_draw(l, y, used, ui->cols - used - 1, A_NORMAL);
	move(y, x);
	refresh();
}

void prompt_line_init(struct prompt_line *l, const char *text, struct prompt_history *h)
{
	memset(l, 0, sizeof *l);
	buf_adds(&l->b, text ? text : "");
	l->cur = l->b.len;
	l->h = h;
	l->hpos = h ? h->n : 0;
}

void prompt_line_free(struct prompt_line *l)
{
	buf_free(&l->b);
	free(l->typed);
	l->typed = NULL;
}

enum prompt_key prompt_line_key(struct prompt_line *l, const struct input_key *k)
{
	struct buf *b = &l->b;
	struct prompt_history *h = l->h;

	if (!b->s)
		buf_adds(b, "");
	/* Bytes that made no character show as one U+FFFD where they were typed. */
	if (k->dropped)
		insert(b, &l->cur, 0xFFFD);
	int key = k->is_code ? -k->key : k->key;
	size_t to;
	switch (key) {
	case 27:
		return PROMPT_KEY_CANCEL;
	case '\n':
	case '\r':
	case -KEY_ENTER:
		return PROMPT_KEY_ENTER;
	case -KEY_UP:
	case 16: /* C-p */
		if (!h || l->hpos == 0)
			return PROMPT_KEY_EDITED;
		if (l->hpos == h->n) {
			free(l->typed);
			l->typed = xstrdup(b->s);
		}
		set_text(b, h->v[--l->hpos]);
		l->cur = b->len;
		return PROMPT_KEY_EDITED;
	case -KEY_DOWN:
	case 14: /* C-n */
		if (!h || l->hpos >= h->n)
			return PROMPT_KEY_EDITED;
		l->hpos++;
		set_text(b, l->hpos == h->n ? (l->typed ? l->typed : "") : h->v[l->hpos]);
		l->cur = b->len;
		return PROMPT_KEY_EDITED;
	case -KEY_LEFT:
	case 2: /* C-b */
		l->cur = step(b->s, b->len, l->cur, -1);
		return PROMPT_KEY_EDITED;
	case -KEY_RIGHT:
	case 6: /* C-f */
		l->cur = step(b->s, b->len, l->cur, 1);
		return PROMPT_KEY_EDITED;
	case -KEY_HOME:
	case 1: /* C-a */
		l->cur = 0;
		return PROMPT_KEY_EDITED;
	case -KEY_END:
	case 5: /* C-e */
		l->cur = b->len;
		return PROMPT_KEY_EDITED;
	case -KEY_BACKSPACE:
	case 127:
	case 8:
		to = l->cur;
		l->cur = step(b->s, b->len, l->cur, -1);
		memmove(b->s + l->cur, b->s + to, b->len - to + 1);
		b->len -= to - l->cur;
		return PROMPT_KEY_EDITED;
	case -KEY_DC:
	case 4: /* C-d */
		to = step(b->s, b->len, l->cur, 1);
		memmove(b->s + l->cur, b->s + to, b->len - to + 1);
		b->len -= to - l->cur;
		return PROMPT_KEY_EDITED;
	case 21: /* C-u */
		memmove(b->s, b->s + l->cur, b->len - l->cur + 1);
		b->len -= l->cur;
		l->cur = 0;
		return PROMPT_KEY_EDITED;
	case 11: /* C-k */
		b->len = l->cur;
		b->s[b->len] = '\0';
		return PROMPT_KEY_EDITED;
	default:
		break;
	}
	if (key < 0)
		return PROMPT_KEY_OTHER;
	if (key == '\t')
		return PROMPT_KEY_OTHER;
	if (key < 0x20 || key == 0x7F || (key >= 0x80 && key < 0xA0) || key > 0x10FFFF)
		return PROMPT_KEY_EDITED;
	insert(b, &l->cur, (uint32_t)key);
	return PROMPT_KEY_EDITED;
}

int prompt_read(struct ui *ui, const char *label, struct buf *text, struct prompt_history *h)
{
	struct prompt_line l;
	int result = 0;

	prompt_line_init(&l, text->s, h);
	curs_set(1);
	for (;;) {
		struct input_key k;
		/* A paste arrives as many keys at once: redraw only when none is waiting. */
		enum input_result r = input_read(&k, 0);
		if (r == INPUT_NONE) {
			draw_prompt(ui, label, &l);
			r = input_read(&k, 1);
		}
		if (r != INPUT_KEY)
			break;
		if (k.is_code && k.key == KEY_RESIZE) {
			getmaxyx(stdscr, ui->rows, ui->cols);
			continue;
		}
		enum prompt_key pk = prompt_line_key(&l, &k);
		if (pk == PROMPT_KEY_CANCEL)
			break;
		if (pk == PROMPT_KEY_ENTER) {
			result = 1;
			break;
		}
	}
	curs_set(0);
	if (result) {
		set_text(text, l.b.s ? l.b.s : "");
		prompt_history_add(h, text->s);
	}
	prompt_line_free(&l);
	return result;
}

int prompt_yes_no(struct ui *ui, const char *question)
{
	int y = ui->rows - 1;

	for (;;) {
		struct input_key k;
		draw_fill(y, 0, A_REVERSE);
		int x = draw_text(y, 0, question, ui->cols - 8, A_REVERSE | A_BOLD);
		x += draw_text(y, x, " (y/N)", ui->cols - 1 - x, A_REVERSE | A_BOLD);
		move(y, x < ui->cols - 1 ? x + 1 : ui->cols - 1);
		curs_set(1);
		refresh();
		enum input_result r = input_read(&k, 1);
		curs_set(0);
		if (r != INPUT_KEY)
			return 0;
		if (k.is_code && k.key == KEY_RESIZE) {
			getmaxyx(stdscr, ui->rows, ui->cols);
			y = ui->rows - 1;
			continue;
		}
		return !k.is_code && (k.key == 'y' || k.key == 'Y');
	}
}
