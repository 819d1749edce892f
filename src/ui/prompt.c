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

static void history_add(struct prompt_history *h, const char *s)
{
	if (!*s || (h->n && strcmp(h->v[h->n - 1], s) == 0))
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

static void draw_prompt(const struct ui *ui, const char *label, const struct buf *b, size_t cur)
{
	int y = ui->rows - 1;
	const char *s = b->s ? b->s : "";

	draw_fill(y, 0, A_NORMAL);
	int used = draw_text(y, 0, label, ui->cols - 1, A_BOLD);
	int room = ui->cols - used - 1;
	size_t from = room > 0 ? first_shown(s, cur, room) : cur;
	/* Only what can be on the line is sanitised and drawn, however long the text. */
	size_t to = cur;
	for (int cols = 0; to < b->len && cols < room * 4 + 64; cols++)
		to = step(s, b->len, to, 1);
	char *before = text_sanitize(s + from, cur - from);
	char *after = text_sanitize(s + cur, to - cur);
	int x = used + draw_text(y, used, before, room, A_NORMAL);
	draw_text(y, x, after, ui->cols - 1 - x, A_NORMAL);
	move(y, x);
	free(before);
	free(after);
	refresh();
}

int prompt_read(struct ui *ui, const char *label, struct buf *text, struct prompt_history *h)
{
	struct buf b = { 0 };
	size_t cur, hpos = h ? h->n : 0;
	char *typed = NULL; /* what was being typed before Up went into the history */
	int result = 0;

	buf_add(&b, text->s ? text->s : "", text->len);
	cur = b.len;
	curs_set(1);
	for (;;) {
		struct input_key k;
		/* A paste arrives as many keys at once: redraw only when none is waiting. */
		enum input_result r = input_read(&k, 0);
		if (r == INPUT_NONE) {
			draw_prompt(ui, label, &b, cur);
			r = input_read(&k, 1);
		}
		if (r != INPUT_KEY)
			break;
		/* Bytes that made no character show as one U+FFFD where they were typed. */
		if (k.dropped)
			insert(&b, &cur, 0xFFFD);
		int key = k.is_code ? -k.key : k.key;
		size_t to;
		switch (key) {
		case -KEY_RESIZE:
			getmaxyx(stdscr, ui->rows, ui->cols);
			continue;
		case 27:
			goto out;
		case '\n':
		case '\r':
		case -KEY_ENTER:
			result = 1;
			goto out;
		case -KEY_UP:
		case 16: /* C-p */
			if (!h || hpos == 0)
				continue;
			if (hpos == h->n) {
				free(typed);
				typed = xstrdup(b.s ? b.s : "");
			}
			set_text(&b, h->v[--hpos]);
			cur = b.len;
			continue;
		case -KEY_DOWN:
		case 14: /* C-n */
			if (!h || hpos >= h->n)
				continue;
			hpos++;
			set_text(&b, hpos == h->n ? (typed ? typed : "") : h->v[hpos]);
			cur = b.len;
			continue;
		case -KEY_LEFT:
		case 2: /* C-b */
			cur = step(b.s, b.len, cur, -1);
			continue;
		case -KEY_RIGHT:
		case 6: /* C-f */
			cur = step(b.s, b.len, cur, 1);
			continue;
		case -KEY_HOME:
		case 1: /* C-a */
			cur = 0;
			continue;
		case -KEY_END:
		case 5: /* C-e */
			cur = b.len;
			continue;
		case -KEY_BACKSPACE:
		case 127:
		case 8:
			to = cur;
			cur = step(b.s, b.len, cur, -1);
			memmove(b.s + cur, b.s + to, b.len - to + 1);
			b.len -= to - cur;
			continue;
		case -KEY_DC:
		case 4: /* C-d */
			to = step(b.s, b.len, cur, 1);
			memmove(b.s + cur, b.s + to, b.len - to + 1);
			b.len -= to - cur;
			continue;
		case 21: /* C-u */
			memmove(b.s, b.s + cur, b.len - cur + 1);
			b.len -= cur;
			cur = 0;
			continue;
		case 11: /* C-k */
			b.len = cur;
			b.s[b.len] = '\0';
			continue;
		default:
			break;
		}
		if (key < 0x20 || key == 0x7F || (key >= 0x80 && key < 0xA0) || key > 0x10FFFF)
			continue;
		insert(&b, &cur, (uint32_t)key);
	}
out:
	curs_set(0);
	if (result) {
		set_text(text, b.s ? b.s : "");
		if (h)
			history_add(h, text->s);
	}
	buf_free(&b);
	free(typed);
	return result;
}
