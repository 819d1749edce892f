/*
 * keyin: keyboard bytes to characters (see keyin.h), with mbrtowc in the
 * current locale, so every charset the C library knows is decoded the
 * way ncursesw's get_wch would, minus its habit of waiting for ever on a
 * sequence that cannot be finished.
 */
#include "config.h"

#include <string.h>

#include "core/keyin.h"

void keyin_reset(struct keyin *k)
{
	memset(k, 0, sizeof *k);
}

int keyin_pending(const struct keyin *k)
{
	return k->pending > 0;
}

/*
 * Try byte on state k: 1 and *wc for a character, 0 for more, -1 when the
 * byte cannot continue the sequence, -2 when it ends one that is no character.
 */
static int step(struct keyin *k, unsigned char byte, wchar_t *wc)
{
	char c = (char)byte;
	wchar_t out = 0;
	size_t r = mbrtowc(&out, &c, 1, &k->state);

	if (r == (size_t)-2) {
		k->pending++;
		return 0;
	}
	if (r == (size_t)-1) {
		memset(&k->state, 0, sizeof k->state);
		return -1;
	}
	/* r is 1 (this byte ended a character) or 0 (a NUL). */
	k->pending = 0;
	/* glibc's UTF-8 takes the old 5- and 6-byte forms: past U+10FFFF is not Unicode. */
	if ((unsigned long)out > 0x10FFFF || (out >= 0xD800 && out <= 0xDFFF))
		return -2;
	*wc = out;
	return 1;
}

int keyin_feed(struct keyin *k, unsigned char byte, wchar_t *wc, size_t *dropped)
{
	size_t had = k->pending;
	int r = step(k, byte, wc);

	if (dropped)
		*dropped = 0;
	if (r >= 0)
		return r;
	if (r == -2) {
		/* A whole sequence that is no character: all of it goes, this byte included. */
		if (dropped)
			*dropped = had + 1;
		return 0;
	}
	/* The sequence so far is dropped; the byte that broke it starts again alone. */
	k->pending = 0;
	r = step(k, byte, wc);
	if (r >= 0) {
		if (dropped)
			*dropped = had;
		return r;
	}
	k->pending = 0;
	if (dropped)
		*dropped = had + 1;
	return 0;
}
