/*
 * input: keys from the terminal.  Bytes are decoded by the core's keyin
 * (so an invalid sequence never swallows the keys after it), function
 * keys come from curses (keypad), and the wait for a key is a poll on the
 * terminal and a self-pipe that the signal handler writes to, so a signal
 * ends the wait whenever it arrives, even just before the wait begins.
 */
#ifndef MAMORI_INPUT_H
#define MAMORI_INPUT_H

#include <signal.h>

enum input_result {
	INPUT_KEY,  /* a key was read */
	INPUT_NONE, /* nothing typed yet (only when not waiting) */
	INPUT_STOP  /* a signal asked to leave, or the terminal is gone */
};

struct input_key {
	int key;     /* a character (Unicode) or a KEY_* code */
	int is_code; /* 1 for a KEY_* code */
	int dropped; /* bytes of an invalid sequence dropped before this key */
};

/* Make the self-pipe; call before the signal handlers go in. Returns 0 or -errno. */
int input_init(void);

/*
 * Teach curses the Home, End, PgUp, PgDn and Delete sequences that Tera
 * Term, PuTTY, Windows Terminal, the Linux console and screen/tmux send
 * whatever TERM says, where the terminfo entry lacks them (key_defined,
 * then define_key).  Call once after keypad().
 */
void input_define_keys(void);

/* From a signal handler: remember sig and wake a waiting input_read. Async-signal-safe. */
void input_signal(int sig);

/* The signal that asked to leave, or 0. */
int input_stopped(void);

/*
 * Read one key into *k.  With wait, block until a key, a signal or the
 * end of the terminal; without, return INPUT_NONE at once when nothing
 * is pending (a paste is taken in without a redraw per key this way).
 */
enum input_result input_read(struct input_key *k, int wait);

#endif
