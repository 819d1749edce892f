/*
 * main: options and dispatch.  The command line and the non-interactive
 * modes are cli.c's; here is only the wiring of the interactive mode:
 * content, terminal, session, then the UI.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ask.h"
#include "cli.h"
#include "core/answers.h"
#include "core/charset.h"
#include "core/doc.h"
#include "core/doc_cache.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "core/resume.h"
#include "core/sessions.h"
#include "core/text.h"
#include "core/util.h"
#include "ui/draw.h"
#include "ui/ui.h"

/*
 * What the user most needs to know when the screen starts, for the first
 * status line: a read-only session, then problems in the answers file, then
 * in the content (shown as written, see doc_problems_line), then the locale.
 */
static char *first_note(const struct answers *a, const struct doc *d, const char *locale_note)
{
	char *note;
	size_t lines = 0, first = 0;

	/* Problems on the file's lines come first; a note on the whole file (its mode) after. */
	for (size_t i = a->ndiags; i-- > 0;)
		if (a->diags[i].line > 0) {
			lines++;
			first = i;
		}
	if (a->readonly)
		note = xasprintf("読み取り専用で開きました: %s",
		                 a->readonly_reason ? a->readonly_reason : "");
	else if (lines)
		note = xasprintf("回答ファイルに %zu 件の問題 (行は保存時も残します): %s", lines,
		                 a->diags[first].msg);
	else if (a->ndiags)
		note = xstrdup(a->diags[0].msg);
	else if (d->ndiags)
		note = doc_problems_line(d);
	else
		return locale_note ? xstrdup(locale_note) : NULL;
	/* The answers file's messages quote its lines: nothing raw reaches the status line. */
	char *safe = text_sanitize(note, strlen(note));
	free(note);
	return safe;
}

/* The reader: content, terminal, session, then the screen. */
static int run_ui(const struct cli_options *o, const char *locale_note)
{
	struct doc d;
	struct answers a;
	struct sessions_choice choice = { o->answers, o->pick, 0, time(NULL) };
	struct ui_options uo = { .start_page = o->page, .no_color = o->no_color };
	char *dir = NULL, *path = NULL, *msg = NULL, *note = NULL;
	int dirfd = -1;
	struct resume rs = { .focus_block = -1 };
	char *state_dir = NULL, *state_msg = NULL;
	int had_state = 0, picked = 0;
	doc_set_lazy(1);     /* an index at start, each page parsed when first shown (doc.h) */
	doc_cache_enable(1); /* that index kept between runs (doc_cache.h) */
	ui_guard_cache_faults();
	int status = cli_load_content(&d, o);

	if (status != 0)
		goto out;
	if (o->page && doc_find_page(&d, o->page) < 0) {
		cli_error_arg("no such page id (see mamori --list):", o->page);
		status = 2;
		goto out;
	}
	/* Before any session file is made: a run that cannot start should leave nothing behind. */
	if ((status = cli_check_terminal_size()) != 0 || (status = ui_check_terminal()) != 0)
		goto out;
	/* Where the last run stopped: state, not data; a problem with it is told once, then ignored. */
	if (resume_default_dir(&state_dir, &state_msg) == 0)
		had_state = resume_load(&rs, state_dir, &state_msg);
	if (sessions_choose_at(&choice, &d, &dir, &path, &dirfd, &msg) < 0) {
		cli_error("", msg);
		status = 1;
		goto out;
	}
	/* The session last used, rather than merely the newest file, while it is there. */
	if (!o->answers && o->pick == SESSIONS_LATEST && dirfd >= 0)
		picked = resume_pick_session(&rs, dirfd, dir, &path);
	/* In the directory checked when it was chosen: its path is not looked up again. */
	const char *base = strrchr(path, '/');
	int r = dirfd >= 0 ? answers_openat(&a, dirfd, base ? base + 1 : path, path, &d, ANSWERS_CREATE)
	                   : answers_open(&a, path, &d, ANSWERS_CREATE);
	if (r < 0) {
		cli_error("", answers_error(&a));
		answers_close(&a);
		status = 1;
		goto out;
	}
	cli_answers_diags(&a);
	uo.note = note = first_note(&a, &d, locale_note);
	if (!note && (had_state < 0 || picked < 0)) {
		char *n = had_state < 0
		                  ? xasprintf("前回の位置を読めないため無視しました: %s", state_msg)
		                  : xasprintf("前回のセッション %s がないため、最新のものを開きました",
		                              rs.session);
		uo.note = note = text_sanitize(n, strlen(n));
		free(n);
	}
	uo.resume = state_dir ? &rs : NULL;
	uo.first_run = had_state == 0 && a.n == 0;
	uo.resumed = had_state == 1 && !o->answers && o->pick == SESSIONS_LATEST;
	uo.answers = &a;
	uo.sessions_dir = dir;
	uo.sessions_dirfd = dirfd;
	draw_set_fold(cli_converting(), o->ambiguous_wide);
	status = ui_run(&d, &uo);
	answers_close(&a);
	if (uo.resume && resume_save(&rs, state_dir, &state_msg) < 0)
		cli_error(_("cannot keep the reading position: "), state_msg);
out:
	if (dirfd >= 0)
		close(dirfd);
	free(note);
	resume_free(&rs);
	free(state_dir);
	free(state_msg);
	free(dir);
	free(path);
	free(msg);
	doc_free(&d);
	return status;
}

/*
 * The locale, and the message catalogue in its language (LC_MESSAGES),
 * always as UTF-8: every string in mamori is UTF-8 until cli's output
 * converts it to the locale's charset (EUC-JP, Shift_JIS) on the way out.
 * A binary in the build tree reads the build tree's catalogues, as it
 * reads the source tree's content (paths_content_dir), so the tests need
 * no install.
 */
static void main_i18n_init(void)
{
	/* The locale as cli_start will set it, so that the options' errors are translated too. */
	charset_setup(NULL, NULL);
	cli_messages_locale();
#if defined(ENABLE_NLS) && ENABLE_NLS
	int in_build_tree = strcmp(paths_content_dir(NULL), MAMORI_SRCDIR "/content") == 0;
	bindtextdomain(PACKAGE, in_build_tree ? MAMORI_BUILDDIR "/locale" : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	/* strerror's messages too (glibc's own catalogue), or EUC-JP ones would be converted twice. */
	bind_textdomain_codeset("libc", "UTF-8");
	textdomain(PACKAGE);
#endif
}

int main(int argc, char **argv)
{
	struct cli_options o;
	char *locale_note = NULL;
	int status;

	main_i18n_init();
	if ((status = cli_parse(&o, argc, argv)) != 0)
		return status;
	if ((status = cli_start(&o, &locale_note)) != 0)
		return status;
	switch (o.mode) {
	case CLI_HELP:
		status = cli_help();
		break;
	case CLI_VERSION:
		status = cli_version();
		break;
	case CLI_CHECK:
		status = cli_check_content(&o);
		break;
	case CLI_LIST:
		status = cli_list(&o);
		break;
	case CLI_DUMP:
		status = cli_dump(&o);
		break;
	case CLI_PROGRESS:
		status = cli_progress(&o);
		break;
	case CLI_POLICY_DRAFT:
		status = cli_policy_draft(&o);
		break;
	case CLI_REPORT:
		status = cli_report(&o);
		break;
	case CLI_MERGE:
		status = cli_merge(&o);
		break;
	case CLI_ASK:
		status = ask_run(&o);
		break;
	case CLI_UI:
		status = run_ui(&o, locale_note);
		break;
	}
	free(locale_note);
	return cli_finish(status);
}
