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

static void draw_prompt(const struct ui *ui, const char *label, const struct buf *b, size_t cur)
{
	int y = ui->rows - 1;
	const char *s = b->s ? b->s : "";

	draw_fill(y, 0, A_NORMAL);
	int used = draw_text(y, 0, label, ui->cols - 1, A_BOLD);
	/* Scroll the text so the cursor stays on the line. */
	size_t from = 0;
	int room = ui->cols - used - 1;
	while (room > 0 && (int)text_width(s + from, cur - from) >= room)
		from = step(s, b->len, from, 1);
	char *safe = text_sanitize(s + from, b->len - from);
	/* What is drawn after the cursor is clipped; before it, it fits by the loop above. */
	draw_text(y, used, safe, room, A_NORMAL);
	char *before = text_sanitize(s + from, cur - from);
	move(y, used + (int)text_width(before, strlen(before)));
	free(safe);
	free(before);
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
		draw_prompt(ui, label, &b, cur);
		wint_t ch;
		errno = 0;
		int r = get_wch(&ch);
		if (prompt_interrupted() || (r == ERR && errno != EINTR))
			break;
		if (r == ERR)
			continue;
		int key = r == KEY_CODE_YES ? -(int)ch : (int)ch;
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
		if (key < 0x20 || key == 0x7F || (key >= 0x80 && key < 0xA0))
			continue;
		char enc[4];
		size_t n = text_encode((uint32_t)key, enc);
		/* Insert at the cursor: grow, shift the tail, copy the character in. */
		buf_add(&b, enc, n);
		memmove(b.s + cur + n, b.s + cur, b.len - n - cur);
		memcpy(b.s + cur, enc, n);
		b.s[b.len] = '\0';
		cur += n;
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
