/*
 * keyin: the bytes typed at the keyboard, turned into characters in the
 * locale's charset (UTF-8, EUC-JP, Shift_JIS), one byte at a time.  An
 * invalid sequence ends at the first byte that cannot continue it: the
 * bytes before are dropped, and that byte starts afresh as a key of its
 * own.  A terminal set to the wrong charset (Shift_JIS typed into a UTF-8
 * locale) then loses a character, never the keys after it.  No curses.
 */
#ifndef MAMORI_KEYIN_H
#define MAMORI_KEYIN_H

#include <limits.h>
#include <stddef.h>
#include <wchar.h>

struct keyin {
	mbstate_t state;
	size_t pending; /* bytes of an unfinished character taken so far */
};

/* Start from { 0 } or call this: nothing pending. */
void keyin_reset(struct keyin *k);

/*
 * Feed one byte.  Returns 1 with *wc set when a character is complete, 0
 * when more bytes are needed or the byte was dropped.  *dropped (may be
 * NULL) is set to the number of bytes this call threw away as invalid
 * (0 when none), for an editor that shows U+FFFD in their place.
 */
int keyin_feed(struct keyin *k, unsigned char byte, wchar_t *wc, size_t *dropped);

/* 1 while a character is unfinished. */
int keyin_pending(const struct keyin *k);

#endif
