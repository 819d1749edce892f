/*
 * draw: the few drawing primitives every screen shares.  Text handed to
 * them is UTF-8 that the core has already sanitised; they decode it to
 * wide characters themselves, so the locale's multibyte charset never
 * matters, and they clip by columns, never by bytes.
 */
#ifndef MAMORI_DRAW_H
#define MAMORI_DRAW_H

#include <curses.h>

/*
 * Fold characters the terminal cannot show (charset.c) as they are drawn:
 * for text that was not folded when it was loaded, such as notes and
 * messages.  Off by default; on for legacy charsets and --ambiguous-width=2.
 */
void draw_set_fold(int fold, int ambiguous_wide);

/* Draw s at (y, x), clipped to maxcols columns; returns the columns used. */
int draw_text(int y, int x, const char *s, int maxcols, attr_t attr);

/*
 * The page's fast path: draw s, a laid-out line that the core sanitised and
 * measured to fit the columns left on the row (the caller checks the
 * layout's width against them), with one call to curses, without measuring
 * it again.  Returns 0, or -1 having drawn nothing when s holds anything
 * draw_text would change (a character to fold or show in visible form) or
 * is too long for the buffer: the caller then draws it with draw_text.
 */
int draw_laid_out(int y, int x, const char *s, attr_t attr);

/* Fill row y from column x to the right edge with blanks in attr. */
void draw_fill(int y, int x, attr_t attr);

/*
 * A label that draw_status puts in bold before its left text from now on
 * (the session being edited), or NULL for none.  Copied.
 */
void draw_status_label(const char *label);

/* Whether the status line's left side this frame is a message (1) or the screen's title (0). */
void draw_status_message(int is_message);

/* The status line: the label, left-aligned text and right-aligned text, in reverse video. */
void draw_status(const char *left, const char *right);

/* 1 when the last draw_status had to cut its left text short. */
int draw_status_cut(void);

/*
 * The terminal cursor, for screen readers and braille displays (as mutt's
 * braille_friendly): a screen calls draw_cursor_at with the start of its
 * focused row or selected line while it draws; ui.c starts each frame with
 * draw_cursor_reset and ends it with draw_cursor_place, which moves the
 * visible cursor there last (to the top left when no screen said where).
 */
void draw_cursor_at(int y, int x);
void draw_cursor_reset(void);
void draw_cursor_place(void);

/* The message shown when the terminal is smaller than the program needs. */
void draw_too_small(int min_cols, int min_rows);

#endif
