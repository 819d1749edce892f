/*
 * input: keys from the terminal (see input.h).  curses reads the bytes
 * and recognises function keys; characters are put together here, by
 * keyin, instead of by get_wch, which waits for ever on a multibyte
 * sequence that an invalid byte has broken.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "core/keyin.h"
#include "ui/input.h"

static int wake[2] = { -1, -1 };
static volatile sig_atomic_t stop_signal;
static struct keyin decoder;

void input_define_keys(void)
{
	static const struct {
		const char *seq;
		int code;
	} extra[] = {
		/* Tera Term, PuTTY, the Linux console, screen and tmux */
		{ "\033[1~", KEY_HOME },
		{ "\033[4~", KEY_END },
		/* rxvt */
		{ "\033[7~", KEY_HOME },
		{ "\033[8~", KEY_END },
		/* xterm and Windows Terminal, normal and application mode */
		{ "\033[H", KEY_HOME },
		{ "\033[F", KEY_END },
		{ "\033OH", KEY_HOME },
		{ "\033OF", KEY_END },
		/* all of them */
		{ "\033[5~", KEY_PPAGE },
		{ "\033[6~", KEY_NPAGE },
		{ "\033[3~", KEY_DC },
	};

	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
		/* 0: nothing has it yet; a sequence terminfo knows (or a prefix of one) stays as it is. */
		if (key_defined(extra[i].seq) == 0)
			define_key(extra[i].seq, extra[i].code);
}

int input_init(void)
{
	if (wake[0] >= 0)
		return 0;
	if (pipe(wake) < 0)
		return -errno;
	for (int i = 0; i < 2; i++) {
		fcntl(wake[i], F_SETFL, fcntl(wake[i], F_GETFL) | O_NONBLOCK);
		fcntl(wake[i], F_SETFD, FD_CLOEXEC);
	}
	keyin_reset(&decoder);
	return 0;
}

void input_signal(int sig)
{
	int saved = errno;

	stop_signal = sig;
	if (wake[1] >= 0 && write(wake[1], "", 1) < 0) {
		/* The pipe is full: a wake-up is already waiting. */
	}
	errno = saved;
}

int input_stopped(void)
{
	return stop_signal;
}

/*
 * Wait until the terminal or the self-pipe is readable.  Returns 1 when
 * the terminal is readable, 2 after a resize (curses then has a
 * KEY_RESIZE), 0 after a signal that asks to leave, -1 when the terminal
 * is gone.
 */
static int wait_for_input(void)
{
	struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
		               { .fd = wake[0], .events = POLLIN } };

	for (;;) {
		if (stop_signal)
			return 0;
		int n = poll(p, wake[0] >= 0 ? 2 : 1, -1);
		if (n < 0) {
			if (errno == EINTR)
				return 2;
			return -1;
		}
		if (wake[0] >= 0 && (p[1].revents & POLLIN)) {
			char drain[64];
			while (read(wake[0], drain, sizeof drain) > 0)
				;
			if (stop_signal)
				return 0;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			return 1;
		if (p[0].revents & POLLNVAL)
			return -1;
	}
}

enum input_result input_read(struct input_key *k, int wait)
{
	int empty_reads = 0;
	size_t dropped = 0;

	k->dropped = 0;
	for (;;) {
		if (stop_signal)
			return INPUT_STOP;
		timeout(0);
		errno = 0;
		int c = getch();
		if (c == ERR) {
			/*
			 * Nothing pending.  A terminal that polls readable and still
			 * gives nothing is gone (EOF, EIO after a hangup).
			 */
			if (errno == EIO || empty_reads >= 3)
				return INPUT_STOP;
			if (!wait)
				return INPUT_NONE;
			int w = wait_for_input();
			if (w <= 0)
				return INPUT_STOP;
			/* Count only a readable terminal that then gave nothing, not a resize. */
			empty_reads += w == 1;
			continue;
		}
		empty_reads = 0;
		if (c >= KEY_MIN) {
			/* A function key ends any character that was being put together. */
			k->dropped = (int)decoder.pending;
			keyin_reset(&decoder);
			k->key = c;
			k->is_code = 1;
			return INPUT_KEY;
		}
		wchar_t wc;
		size_t lost = 0;
		int got = keyin_feed(&decoder, (unsigned char)c, &wc, &lost);
		dropped += lost;
		if (got) {
			k->key = (int)wc;
			k->is_code = 0;
			k->dropped = (int)dropped;
			return INPUT_KEY;
		}
	}
}
