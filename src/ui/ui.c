/*
 * ui: terminal setup and teardown, the main loop, the screen stack,
 * resize, signals and the too-small screen (see ui.h).  Signal handlers only set a flag; the loop
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
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "core/doc_cache.h"
#include "core/i18n.h"
#include "core/layout.h"
#include "core/resume.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/input.h"
#include "ui/prompt.h"
#include "ui/ui.h"

/* Last: term.h defines macros (lines, columns) that would rename our fields. */
#include <term.h>

/* Only a flag and a byte down the self-pipe (input.c): the loop acts on it. */
static void on_signal(int sig)
{
	input_signal(sig);
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

/*
 * Every other signal whose default ends the process (C-\ sends SIGQUIT;
 * kill -USR1, an alarm or a CPU limit do the rest) must not leave the
 * terminal raw either.  One that the parent told us to ignore stays
 * ignored.
 */
static const int killing_signals[] = {
	SIGQUIT,   SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGTRAP, SIGSYS,
#ifdef SIGPOLL
	SIGPOLL,
#endif
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
#ifdef SIGPWR
	SIGPWR,
#endif
};

/*
 * SIGBUS: a read of the index cache's mapping after another program
 * truncated the file (doc_cache.h) is recovered; any other goes on to
 * what handled SIGBUS before (on_fatal, or AddressSanitizer's).
 */
static struct sigaction bus_next;

static void on_bus(int sig, siginfo_t *si, void *uctx)
{
	(void)uctx;
	if (si && si->si_code > 0 && doc_cache_fault(si->si_addr))
		return; /* the read is made again, of zeroes */
	sigaction(sig, &bus_next, NULL);
	/*
	 * A fault is raised again by returning; one sent with kill is not, nor
	 * a machine check about memory nobody was reading.
	 */
	if (!si || si->si_code <= 0)
		raise(sig);
#ifdef BUS_MCEERR_AO
	else if (si->si_code == BUS_MCEERR_AO)
		raise(sig);
#endif
}

void ui_guard_cache_faults(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_bus;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, &bus_next);
}

static void install_fatal_handlers(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof killing_signals / sizeof killing_signals[0]; i++)
		if (sigaction(killing_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(killing_signals[i], &sa, NULL);
#ifdef SIGRTMIN
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(sig, &sa, NULL);
#endif
#ifndef __SANITIZE_ADDRESS__
	/* AddressSanitizer's own handler reports a crash; ours would hide it. */
	sigaction(SIGSEGV, &sa, NULL);
	struct sigaction now;
	if (sigaction(SIGBUS, NULL, &now) == 0 && (now.sa_flags & SA_SIGINFO) &&
	    now.sa_sigaction == on_bus)
		bus_next = sa; /* on_bus hands on_fatal what is not the cache's */
	else
		sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
#endif
}

/* Every screen (UI_SCREENS in ui.h), for the keys that show them. */
#define UI_SCREEN_ADDRESS(name) &name,
const struct screen *const ui_screens[] = { UI_SCREENS(UI_SCREEN_ADDRESS) NULL };

int ui_text_rows(const struct ui *ui)
{
	return ui->rows - 1;
}

void ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *raw = xvasprintf(fmt, ap);
	va_end(ap);
	/* Whatever a message quotes (a path, a line of a file) is shown, never sent. */
	char *m = text_sanitize(raw, strlen(raw));
	free(raw);
	free(ui->message);
	ui->message = m;
	if (*m)
		scr_messages_keep(m);
}

void ui_message_clear(struct ui *ui)
{
	ui->message[0] = '\0';
}

void ui_message_safe(struct ui *ui, const char *prefix, const char *text)
{
	char *safe = text_sanitize(text ? text : "", text ? strlen(text) : 0);
	ui_message(ui, "%s%s", prefix, safe);
	free(safe);
}

const struct screen *ui_top(const struct ui *ui)
{
	return ui->depth ? ui->stack[ui->depth - 1] : NULL;
}

static void enter_top(struct ui *ui)
{
	const struct screen *s = ui_top(ui);
	if (s && s->enter)
		s->enter(ui);
}

static void close_top(struct ui *ui)
{
	const struct screen *t = ui->stack[--ui->depth];
	if (t->leave)
		t->leave(ui);
}

void ui_show(struct ui *ui, const struct screen *s)
{
	if (ui_top(ui) == s)
		return;
	if (ui->depth && ui_top(ui)->passing)
		close_top(ui);
	/* How many screens stay: up to s where it is open, else all. */
	size_t keep = ui->depth;
	for (size_t i = 0; i < ui->depth; i++)
		if (ui->stack[i] == s)
			keep = i + 1;
	while (ui->depth > keep)
		close_top(ui);
	if (ui_top(ui) != s && ui->depth < UI_STACK_MAX)
		ui->stack[ui->depth++] = s;
	enter_top(ui);
}

void ui_pop(struct ui *ui)
{
	if (ui->depth <= 1) {
		ui->quit = 1;
		return;
	}
	close_top(ui);
	enter_top(ui);
}

/*
 * A message too long for the status line (a save error that names a long
 * path) is shown whole, wrapped on the rows just above it, so nothing the
 * user must read is cut off; M shows every message again.
 */
static void draw_long_message(const struct ui *ui)
{
	int width = ui->cols - 2;
	size_t len = strlen(ui->message);

	/* Only when the status line could not hold it (the screen drew it there). */
	if (!len || !draw_status_cut())
		return;
	char *safe = text_sanitize(ui->message, len);
	struct wrap_line *wl;
	size_t n = layout_wrap(safe, strlen(safe), (size_t)width, &wl);
	size_t max = (size_t)(ui->rows / 2);
	size_t first = n > max ? n - max : 0;
	int y = ui->rows - 1 - (int)(n - first);
	for (size_t i = first; i < n; i++, y++) {
		char *line = xstrndup(safe + wl[i].start, wl[i].len);
		draw_fill(y, 0, A_REVERSE);
		draw_text(y, 1, line, width, A_REVERSE | A_BOLD);
		free(line);
	}
	free(wl);
	free(safe);
}

/*
 * The session being edited is named at the start of every screen's status
 * line ("[2026-12-06]", or "[2026-12-01 閲覧のみ]" when changes are
 * refused), so nobody changes an old review thinking it is today's.  The
 * screens draw their own status line with draw_status, which puts the name
 * in front of it within the line's room (a long message is then cut with
 * its mark, never pushed off the line).
 */
static void set_session_label(const struct ui *ui)
{
	if (!ui->answers || !ui->answers->path) {
		draw_status_label(NULL);
		return;
	}
	const char *base = strrchr(ui->answers->path, '/');
	base = base ? base + 1 : ui->answers->path;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".txt") == 0)
		n -= 4;
	char *raw = xasprintf("[%.*s%s] ", (int)n, base, ui->answers->readonly ? " 閲覧のみ" : "");
	char *label = text_sanitize(raw, strlen(raw));
	free(raw);
	/* Only where it leaves the screen's own words room. */
	draw_status_label((int)text_width(label, strlen(label)) < ui->cols / 2 ? label : NULL);
	free(label);
}

static void draw(struct ui *ui)
{
	erase();
	draw_status_message(ui->message[0] != '\0');
	draw_cursor_reset();
	if (ui->cols < UI_MIN_COLS || ui->rows < UI_MIN_ROWS) {
		draw_too_small(UI_MIN_COLS, UI_MIN_ROWS);
	} else {
		set_session_label(ui);
		ui_top(ui)->draw(ui);
		draw_long_message(ui);
	}
	/* Last, so the hardware cursor ends on the focused row after every refresh. */
	draw_cursor_place();
	refresh();
}

/* The action for a key on the top screen: its keymaps in order, those that are on now. */
static enum action lookup(struct ui *ui, int key, int is_code)
{
	const struct screen *s = ui_top(ui);

	for (const enum keymap *km = s->keymaps; *km != KEYMAP_END; km++) {
		if (s->keymap_on && !s->keymap_on(ui, *km))
			continue;
		enum action a = keys_lookup(key, is_code, *km);
		if (a != ACT_NONE)
			return a;
	}
	return ACT_NONE;
}

/* Act once on what a screen handed back. */
static void request(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_QUIT:
	case ACT_CANCEL:
		ui->contents_over_page = 0;
		ui_pop(ui);
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	case ACT_SEARCH:
		scr_page_search(ui, -1);
		break;
	default:
		break;
	}
}

static void handle_key(struct ui *ui, int key, int is_code)
{
	enum action a = lookup(ui, key, is_code);

	if (a == ACT_NONE) {
		for (const struct screen *const *s = ui_screens; *s; s++)
			if (!is_code && (*s)->key == key) {
				if (*s == &scr_contents)
					ui->contents_over_page = ui_top(ui) == &scr_page;
				ui_show(ui, *s);
				return;
			}
		return;
	}
	a = ui_top(ui)->action(ui, a);
	if (a != ACT_NONE)
		request(ui, a);
}

/*
 * The size the terminal has now, asked of the terminal itself.  A key
 * typed just after the window grew can be read before curses has seen
 * the resize; without this it would be taken as a key for the
 * too-small screen and lost.
 */
static void catch_up_resize(struct ui *ui)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != ui->rows || ws.ws_col != ui->cols)) {
		resize_term(ws.ws_row, ws.ws_col);
		getmaxyx(stdscr, ui->rows, ui->cols);
	}
}

/*
 * Refuse terminals that cannot be driven: no TERM, one terminfo does not
 * know, or one without cursor addressing ("dumb" would print every screen
 * on one line).  Returns a message, marked N_() and translated by the
 * caller, or NULL when the terminal will do.
 */
static const char *terminal_problem(void)
{
	const char *term = getenv("TERM");
	int err = 0;

	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))
		return N_("standard input and output must be a terminal");
	if (!term || !*term)
		return N_("TERM is not set");
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return N_("the terminal type in TERM is not known to terminfo");
	int ok = tigetstr("cup") != NULL && tigetstr("cup") != (char *)-1;
	del_curterm(cur_term);
	if (!ok)
		return N_("the terminal in TERM cannot move the cursor (TERM=dumb?)");
	return NULL;
}

int ui_check_terminal(void)
{
	const char *problem = terminal_problem();

	if (!problem)
		return 0;
	/* Each way in that needs no cursor addressing: the line mode answers, the others read. */
	fprintf(stderr, _("mamori: %s.\n"), _(problem));
	fputs(_("mamori: to answer the questions line by line, try 'mamori --ask all'; to read,\n"
	        "mamori: try 'mamori --dump all', 'mamori --list' or 'mamori --progress'.\n"),
	      stderr);
	return 2;
}

static int too_small(const struct ui *ui)
{
	return ui->cols < UI_MIN_COLS || ui->rows < UI_MIN_ROWS;
}

/*
 * A key typed on the too-small screen, kept for a moment: the terminal may
 * deliver a key typed right after the window grew before it tells of the
 * resize.  It is used only when a resize to a usable size follows at once.
 */
struct held_key {
	int set, key, is_code;
	struct timespec at;
};

#define HELD_KEY_MS 500

static void hold_key(struct held_key *h, int key, int is_code)
{
	h->set = 1;
	h->key = key;
	h->is_code = is_code;
	clock_gettime(CLOCK_MONOTONIC, &h->at);
}

static int held_key_fresh(const struct held_key *h)
{
	struct timespec now;

	if (!h->set)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - h->at.tv_sec) * 1000 + (now.tv_nsec - h->at.tv_nsec) / 1000000;
	return ms >= 0 && ms <= HELD_KEY_MS;
}

/* "2026-12-02" from ".../2026-12-02.txt": the session's name as the sessions screen shows it. */
static char *session_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".txt") == 0)
		n -= 4;
	return xstrndup(base, n);
}

/*
 * The first screens: --page wins (that page at the bottom: q leaves, as in
 * less); else the contents, with the page where the last run stopped over
 * it, at its place; on a first run, はじめての方へ on top of all.
 */
static void open_first(struct ui *ui, const struct ui_options *opts)
{
	const struct resume *rs = opts->resume;
	int start = opts->start_page ? doc_find_page(ui->doc, opts->start_page) : -1;

	if (start >= 0) {
		scr_page_show(ui, start);
		return;
	}
	int page = rs && rs->page ? doc_find_page(ui->doc, rs->page) : -1;
	if (page >= 0)
		scr_page_restore(ui, page, rs->block, rs->pos, rs->focus_block);
	ui_show(ui, &scr_contents);
	if (page >= 0 && !rs->on_contents)
		ui_show(ui, &scr_page);
	if (opts->first_run)
		ui_show(ui, &scr_welcome);
	/* A note about the files (a problem, read-only) matters more than where we were. */
	if (opts->resumed && !ui->message[0] && ui->answers && ui->answers->path) {
		char *name = session_name(ui->answers->path);
		ui_message(ui, "前回 %s の続き %zu/%zu", name, ui->prog.done, ui->prog.applicable);
		free(name);
	}
}

/* Where this run stopped, for the next one (main.c saves it). */
static void keep_place(struct ui *ui, struct resume *rs)
{
	int block = 0, focus = -1;
	size_t pos = 0;
	int page = scr_page_place(ui, &block, &pos, &focus);

	if (page >= 0) {
		free(rs->page);
		rs->page = xstrdup(ui->doc->pages[page].id);
		rs->block = block;
		rs->pos = pos;
		rs->focus_block = focus;
	}
	/* Left on the contents before any page was read: open the contents again. */
	rs->on_contents = !rs->page;
	/* The session last used, when it is one of the sessions directory's (not --answers FILE). */
	const char *path = ui->answers ? ui->answers->path : NULL;
	const char *base = path ? strrchr(path, '/') : NULL;
	size_t dlen = ui->sessions_dir ? strlen(ui->sessions_dir) : 0;
	if (base && ui->sessions_dir && (size_t)(base - path) == dlen &&
	    strncmp(path, ui->sessions_dir, dlen) == 0) {
		free(rs->session);
		rs->session = xstrdup(base + 1);
	}
}

/*
 * On a terminal without an alternate screen (vt100, the Linux console) the
 * last frame stays on the screen after endwin, and the shell's prompt would
 * be written over the status line: clear that line and leave the cursor at
 * its start, so the prompt has a clean line.
 */
static void leave_clean_line(void)
{
	const char *smcup = tigetstr("smcup");

	if (smcup && smcup != (char *)-1 && *smcup)
		return;
	move(LINES - 1, 0);
	clrtoeol();
	refresh();
}

int ui_run(const struct doc *doc, const struct ui_options *opts)
{
	struct ui ui;
	struct held_key held = { 0 };

	memset(&ui, 0, sizeof ui);
	ui.doc = doc;
	ui.message = xstrdup("");

	if (input_init() < 0) {
		fprintf(stderr, _("mamori: cannot set up the input: %s\n"), strerror(errno));
		return 1;
	}
	install_signals();
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		fprintf(stderr, _("mamori: cannot start the terminal (TERM=%s)\n"), getenv("TERM"));
		return 2;
	}
	set_term(scr);
	install_fatal_handlers();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	input_define_keys();
	set_escdelay(25);
	/*
	 * No colour pair is ever used: a terminal with colours only gets links
	 * drawn bold as well as underlined.  So start_color() is not called:
	 * it would cost 75 K instructions of the start and send the
	 * terminal a colour reset (`op`) that nothing needs.
	 */
	ui.color = !opts->no_color && has_colors();
	getmaxyx(stdscr, ui.rows, ui.cols);
	ui.answers = opts->answers;
	ui.sessions_dir = opts->sessions_dir;
	ui.sessions_dirfd = opts->sessions_dir ? opts->sessions_dirfd : -1;
	ui_state_init(&ui);
	if (opts->note)
		ui_message(&ui, "%s", opts->note);

	open_first(&ui, opts);

	/*
	 * The first frame is drawn before any key is read: getch() on a window
	 * never refreshed refreshes it first, which would clear and send the
	 * empty screen, a whole second update before the first page.
	 */
	int drawn = 0;
	while (!ui.quit) {
		struct input_key k;
		/* Keys already typed (a paste, key repeat) are taken before the next redraw. */
		enum input_result r = drawn ? input_read(&k, 0) : INPUT_NONE;
		drawn = 1;
		if (r == INPUT_NONE) {
			/* A page parsed when first shown may have had problems: say so (doc.h). */
			char *late = doc_late_problems(ui.doc);
			if (late)
				ui_message(&ui, "%s", late);
			free(late);
			draw(&ui);
			/* The index cache's texts are read while drawing: a fault there is told at once. */
			const char *lost = doc_cache_lost();
			if (lost) {
				ui_message(
					&ui,
					"索引キャッシュ %s が使用中に書き換えられました。題名などが空のときは "
					"mamori を起動し直してください / the index cache was changed while in "
					"use: start mamori again",
					lost);
				draw(&ui);
			}
			r = input_read(&k, 1);
		}
		if (r != INPUT_KEY)
			break; /* a signal, or the terminal is gone */
		if (k.is_code && k.key == KEY_RESIZE) {
			getmaxyx(stdscr, ui.rows, ui.cols);
			/* The key that came just before the window grew was meant for it. */
			if (held_key_fresh(&held) && !too_small(&ui)) {
				ui_message_clear(&ui);
				handle_key(&ui, held.key, held.is_code);
			}
			held.set = 0;
			continue;
		}
		if (too_small(&ui))
			catch_up_resize(&ui);
		if (too_small(&ui)) {
			if (!k.is_code && k.key == 'q')
				break;
			hold_key(&held, k.key, k.is_code);
			continue;
		}
		held.set = 0;
		ui_message_clear(&ui);
		handle_key(&ui, k.key, k.is_code);
	}
	if (opts->resume)
		keep_place(&ui, opts->resume);
	leave_clean_line();
	while (ui.depth > 0)
		close_top(&ui);
	for (const struct screen *const *s = ui_screens; *s; s++)
		if ((*s)->fini)
			(*s)->fini(&ui);
	endwin();
	delscreen(scr);
	ui_state_free(&ui);
	free(ui.message);
	int sig = input_stopped();
	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
		return 128 + sig;
	return 0;
}
