/*
 * ui: terminal setup and teardown, the main loop, resize, signals and the
 * too-small screen (see ui.h).  Signal handlers only set a flag; the loop
 * acts on it, so nothing unsafe runs inside a handler.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "core/text.h"
#include "ui/draw.h"
#include "ui/ui.h"

/* Last: term.h defines macros (lines, columns) that would rename our fields. */
#include <term.h>

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/*
 * The fatal path: a crash (or an abort on running out of memory) must not
 * leave the user's terminal in raw mode on the alternate screen.  endwin is
 * not async-signal-safe, but the process is dying anyway and a usable
 * terminal matters more; then the signal is raised again so the exit
 * status and any core dump are what they would have been.
 */
static void on_fatal(int sig)
{
	endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Our own handlers go in before curses starts: ncurses installs its own
 * SIGINT/SIGTERM handlers only where they are still at their default, and
 * those would skip our cleanup.  SIGHUP is what an SSH drop sends.
 */
static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked read must return so the loop sees the flag. */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Installed only after curses is up (see ui_run): before, there is nothing to restore. */
}

static void install_fatal_handlers(void)
{
#ifdef __SANITIZE_ADDRESS__
	/* AddressSanitizer's own handler reports the crash; ours would hide it. */
	return;
#endif
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

int ui_text_rows(const struct ui *ui)
{
	return ui->rows - 1;
}

void ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
}

/* Byte offset of the character before (dir < 0) or after (dir > 0) offset at in buf. */
static size_t prompt_step(const char *buf, size_t len, size_t at, int dir)
{
	if (dir < 0) {
		while (at > 0 && ((unsigned char)buf[--at] & 0xC0) == 0x80)
			;
		return at;
	}
	if (at < len)
		text_decode(buf, len, &at);
	return at;
}

/*
 * A one-line editor at the bottom of the screen, with the keys people know
 * from a shell: Left/Right (C-b/C-f), Home/End (C-a/C-e), Backspace and
 * Delete (C-d) by whole characters, C-u and C-k to cut before or after the
 * cursor.  Wide characters and pasted UTF-8 go in as they are.
 */
int ui_prompt(struct ui *ui, const char *label, char *buf, size_t size)
{
	/* buf may hold a value to edit (a note); it is kept. */
	size_t len = strnlen(buf, size - 1), cur = len;

	buf[len] = '\0';
	curs_set(1);
	for (;;) {
		int y = ui->rows - 1;
		draw_fill(y, 0, A_NORMAL);
		int used = draw_text(y, 0, label, ui->cols - 1, A_BOLD);
		/* Scroll the text so the cursor stays on the line. */
		size_t from = 0;
		int room = ui->cols - used - 1;
		while (room > 0 && (int)text_width(buf + from, cur - from) >= room)
			from = prompt_step(buf, len, from, 1);
		draw_text(y, used, buf + from, room, A_NORMAL);
		move(y, used + (int)text_width(buf + from, cur - from));
		refresh();
		wint_t ch;
		int r = get_wch(&ch);
		if (got_signal || (r == ERR && errno != EINTR)) {
			curs_set(0);
			return 0;
		}
		if (r == ERR)
			continue;
		int key = r == KEY_CODE_YES ? -(int)ch : (int)ch;
		size_t to;
		switch (key) {
		case -KEY_RESIZE:
			getmaxyx(stdscr, ui->rows, ui->cols);
			continue;
		case 27:
			curs_set(0);
			return 0;
		case '\n':
		case '\r':
		case -KEY_ENTER:
			curs_set(0);
			return 1;
		case -KEY_LEFT:
		case 2: /* C-b */
			cur = prompt_step(buf, len, cur, -1);
			continue;
		case -KEY_RIGHT:
		case 6: /* C-f */
			cur = prompt_step(buf, len, cur, 1);
			continue;
		case -KEY_HOME:
		case 1: /* C-a */
			cur = 0;
			continue;
		case -KEY_END:
		case 5: /* C-e */
			cur = len;
			continue;
		case -KEY_BACKSPACE:
		case 127:
		case 8:
			to = cur;
			cur = prompt_step(buf, len, cur, -1);
			memmove(buf + cur, buf + to, len - to + 1);
			len -= to - cur;
			continue;
		case -KEY_DC:
		case 4: /* C-d */
			to = prompt_step(buf, len, cur, 1);
			memmove(buf + cur, buf + to, len - to + 1);
			len -= to - cur;
			continue;
		case 21: /* C-u */
			memmove(buf, buf + cur, len - cur + 1);
			len -= cur;
			cur = 0;
			continue;
		case 11: /* C-k */
			len = cur;
			buf[len] = '\0';
			continue;
		default:
			break;
		}
		if (key < 0x20 || key == 0x7F || (key >= 0x80 && key < 0xA0))
			continue;
		char enc[4];
		size_t n = text_encode((uint32_t)key, enc);
		if (len + n < size) {
			memmove(buf + cur + n, buf + cur, len - cur + 1);
			memcpy(buf + cur, enc, n);
			len += n;
			cur += n;
		}
	}
}

static void draw(struct ui *ui)
{
	erase();
	if (ui->cols < UI_MIN_COLS || ui->rows < UI_MIN_ROWS) {
		draw_too_small(UI_MIN_COLS, UI_MIN_ROWS);
	} else {
		switch (ui->screen) {
		case SCR_CONTENTS:
			scr_contents_draw(ui);
			break;
		case SCR_PAGE:
			scr_page_draw(ui);
			break;
		case SCR_HELP:
			scr_help_draw(ui);
			break;
		case SCR_DASHBOARD:
			scr_dashboard_draw(ui);
			break;
		case SCR_SESSIONS:
			scr_sessions_draw(ui);
			break;
		}
	}
	refresh();
}

static unsigned screen_bit(enum ui_screen s)
{
	switch (s) {
	case SCR_CONTENTS:
		return KS_CONTENTS;
	case SCR_PAGE:
		return KS_PAGE;
	case SCR_DASHBOARD:
		return KS_DASHBOARD;
	case SCR_SESSIONS:
		return KS_SESSIONS;
	default:
		return KS_HELP;
	}
}

static void dispatch(struct ui *ui, enum action a)
{
	if (a == ACT_REDRAW) {
		clearok(curscr, TRUE);
		return;
	}
	if (a == ACT_HELP && ui->screen != SCR_HELP) {
		ui->help_return = ui->screen;
		ui->screen = SCR_HELP;
		ui->help_top = 0;
		return;
	}
	switch (ui->screen) {
	case SCR_CONTENTS:
		scr_contents_action(ui, a);
		break;
	case SCR_PAGE:
		scr_page_action(ui, a);
		break;
	case SCR_HELP:
		scr_help_action(ui, a);
		break;
	case SCR_DASHBOARD:
		scr_dashboard_action(ui, a);
		break;
	case SCR_SESSIONS:
		scr_sessions_action(ui, a);
		break;
	}
}

/*
 * Refuse terminals that cannot be driven: no TERM, one terminfo does not
 * know, or one without cursor addressing ("dumb" would print every screen
 * on one line).  Returns a message, or NULL when the terminal will do.
 */
static const char *terminal_problem(void)
{
	const char *term = getenv("TERM");
	int err = 0;

	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))
		return "standard input and output must be a terminal";
	if (!term || !*term)
		return "TERM is not set";
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return "the terminal type in TERM is not known to terminfo";
	int ok = tigetstr("cup") != NULL && tigetstr("cup") != (char *)-1;
	del_curterm(cur_term);
	if (!ok)
		return "the terminal in TERM cannot move the cursor (TERM=dumb?)";
	return NULL;
}

int ui_check_terminal(void)
{
	const char *problem = terminal_problem();

	if (!problem)
		return 0;
	fprintf(stderr,
		"mamori: %s.\n"
		"mamori: to read without a full-screen terminal, try 'mamori --dump all', "
		"'mamori --list' or 'mamori --progress'.\n", problem);
	return 2;
}

int ui_run(const struct doc *doc, const struct ui_options *opts)
{
	struct ui ui;

	if (ui_check_terminal())
		return 2;
	memset(&ui, 0, sizeof ui);
	ui.doc = doc;
	ui.lo_page = -1;
	ui.focus = -1;
	ui.screen = SCR_CONTENTS;

	install_signals();
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		fprintf(stderr, "mamori: cannot start the terminal (TERM=%s)\n", getenv("TERM"));
		return 2;
	}
	set_term(scr);
	install_fatal_handlers();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	ui.color = !opts->no_color && has_colors();
	if (ui.color) {
		start_color();
		use_default_colors();
	}
	getmaxyx(stdscr, ui.rows, ui.cols);
	ui.answers = opts->answers;
	ui.sessions_dir = opts->sessions_dir;
	ui_state_init(&ui);
	if (opts->note)
		ui_message(&ui, "%s", opts->note);

	if (opts->start_page) {
		int p = doc_find_page(doc, opts->start_page);
		if (p >= 0) {
			ui.toc_cursor = p;
			scr_page_open(&ui, p, 0);
		}
	}

	int errors = 0;
	while (!ui.quit) {
		if (got_signal)
			break;
		draw(&ui);
		wint_t ch;
		errno = 0;
		int r = get_wch(&ch);
		if (got_signal)
			break;
		if (r == ERR) {
			/*
			 * A read error with no signal means the terminal is gone (EOF,
			 * EIO after a hangup): leave instead of spinning on it.  An
			 * interrupted read (a stop and continue) is not an error.
			 */
			if (errno == EINTR)
				continue;
			if (++errors >= 3 || errno == EIO)
				break;
			continue;
		}
		errors = 0;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			getmaxyx(stdscr, ui.rows, ui.cols);
			continue;
		}
		if (ui.cols < UI_MIN_COLS || ui.rows < UI_MIN_ROWS) {
			if (r == OK && ch == 'q')
				break;
			continue;
		}
		ui.message[0] = '\0';
		int is_code = r == KEY_CODE_YES;
		enum action a = ACT_NONE;
		/* A focused checklist item takes its keys first (Space ticks instead of scrolling). */
		if (ui.screen == SCR_PAGE && scr_page_item_focused(&ui))
			a = keys_lookup((int)ch, is_code, KS_ITEM);
		if (a == ACT_NONE && ui.searching && ui.screen == SCR_PAGE)
			a = keys_lookup((int)ch, is_code, KS_SEARCH);
		if (a == ACT_NONE)
			a = keys_lookup((int)ch, is_code, screen_bit(ui.screen));
		if (a != ACT_NONE)
			dispatch(&ui, a);
	}
	endwin();
	delscreen(scr);
	layout_free(&ui.lo);
	nav_free(&ui.history);
	ui_state_free(&ui);
	if (got_signal == SIGINT || got_signal == SIGTERM || got_signal == SIGHUP)
		return 128 + got_signal;
	return 0;
}
