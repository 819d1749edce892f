/*
 * main: options, locale and wiring.  Everything that can go wrong before
 * the screen starts (options, locale, content) is checked here and told as
 * plain text, so most errors never meet a half-initialised terminal.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/charset.h"
#include "core/doc.h"
#include "core/paths.h"
#include "core/progress.h"
#include "core/sessions.h"
#include "core/report.h"
#include "core/text.h"
#include "ui/draw.h"
#include "ui/ui.h"

enum mode { MODE_UI, MODE_LIST, MODE_DUMP, MODE_CHECK, MODE_PROGRESS, MODE_HELP, MODE_VERSION };

static void usage(FILE *out)
{
	fputs("Usage: mamori [OPTION]...\n"
	      "A terminal guide to IPA's SME information-security guideline\n"
	      "(中小企業の情報セキュリティ対策ガイドライン).\n"
	      "\n"
	      "  --page ID            open at page ID (see --list)\n"
	      "  --list               print every page as ID<TAB>TITLE, in reading order\n"
	      "  --dump ID|all        print a page, or all pages, as laid-out text\n"
	      "  --width N            width of --dump in columns (default: the terminal's, else 80)\n"
	      "  --content DIR        read the guideline from DIR instead of the installed content\n"
	      "  --check-content [DIR]  check the content and report problems as FILE:LINE: message\n"
	      "  --answers FILE       keep answers in FILE (created when missing) instead of\n"
	      "                       the latest session under $XDG_DATA_HOME/mamori/sessions\n"
	      "  --new-session[=empty|carry]  start a new session, empty (the default) or\n"
	      "                       carrying over the latest session's answers\n"
	      "  --progress           print progress per principle and action, the 自社診断\n"
	      "                       score and SECURITY ACTION readiness, then exit\n"
	      "  --format text|tsv    the format of --progress (default text)\n"
	      "  --charset NAME       show text as UTF-8, EUC-JP or SHIFT_JIS, whatever the locale\n"
	      "  --ambiguous-width=1|2  2 when the terminal draws ambiguous characters such as\n"
	      "                       ※ ○ ① ─ two columns wide (see the man page)\n"
	      "  --no-color           do not use colour (NO_COLOR in the environment does the same)\n"
	      "  -h, --help           show this help and exit\n"
	      "  -V, --version        show the version and exit\n"
	      "\n"
	      "Keys in the reader: ? shows them all; q quits.\n"
	      "Exit status: 0 on success, 1 on bad content or a failed write, 2 on bad usage\n"
	      "or a terminal that cannot be used.\n", out);
}

/*
 * Report a usage error: what is wrong, then the offending argument made
 * safe to print, in the locale's charset (options are read before the
 * output is set up, so this converts by itself).
 */
static int fail_usage(const char *what, const char *arg)
{
	char msg[1024];

	charset_setup(NULL, NULL);
	char *safe = arg ? charset_from_locale(arg, strlen(arg)) : NULL;
	snprintf(msg, sizeof msg, "mamori: %s%s%s%s\nTry 'mamori --help' for more information.\n",
		 what, safe ? " '" : "", safe ? safe : "", safe ? "'" : "");
	if (charset_fputs(msg, stderr, 0) < 0)
		fputs(msg, stderr);
	charset_free();
	free(safe);
	return 2;
}

/*
 * Where non-interactive output goes.  In a UTF-8 locale that is stdout and
 * stderr themselves; under EUC-JP or Shift_JIS, or with
 * --ambiguous-width=2, it is collected and written out folded and
 * converted to the locale's charset (finish_output), so a legacy terminal
 * never gets bytes it cannot show.
 */
static FILE *out, *err;
static char *out_buf, *err_buf;
static size_t out_len, err_len;
static int converting, ambiguous_wide;

static int start_output(void)
{
	out = stdout;
	err = stderr;
	converting = charset_current() != CHARSET_UTF8 || ambiguous_wide;
	if (!converting)
		return 0;
	out = open_memstream(&out_buf, &out_len);
	err = open_memstream(&err_buf, &err_len);
	if (!out || !err) {
		perror("mamori");
		return -1;
	}
	return 0;
}

/* Write what was collected in the locale's charset; returns -1 when writing failed. */
static int finish_output(void)
{
	int r = 0;

	if (converting) {
		fclose(out);
		fclose(err);
		if (out_len && charset_fputs(out_buf, stdout, ambiguous_wide) < 0)
			r = -1;
		if (err_len)
			charset_fputs(err_buf, stderr, ambiguous_wide);
		free(out_buf);
		free(err_buf);
	}
	if (fflush(stdout) != 0)
		r = -1;
	charset_free();
	return r;
}

static char *fold_text(const char *text, void *ctx)
{
	(void)ctx;
	return charset_fold(text, strlen(text), ambiguous_wide);
}

static int terminal_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols && atoi(cols) > 0)
		return atoi(cols);
	return 80;
}

/* Print a core message that may quote a path or a file's bytes, made safe. */
static void print_safe(const char *prefix, const char *msg)
{
	char *safe = text_sanitize(msg ? msg : "", msg ? strlen(msg) : 0);
	fprintf(err, "mamori: %s%s\n", prefix, safe ? safe : "");
	free(safe);
}

/*
 * Which answers file this run uses: --answers FILE as given, else a new
 * session (--new-session), else the latest session, else a first one.
 * *dir is the sessions directory (NULL with --answers).  Returns 0 or 1
 * with the reason printed.
 */
static int choose_answers(const char *answers_opt, int new_session, const struct doc *d,
			  int readonly, char **dir, char **path)
{
	char *msg = NULL;
	int r = 0;

	*dir = NULL;
	*path = NULL;
	if (answers_opt) {
		*path = strdup(answers_opt);
		return *path ? 0 : 1;
	}
	if (sessions_default_dir(dir, &msg) < 0) {
		print_safe("", msg);
		free(msg);
		return 1;
	}
	if (!readonly && sessions_prepare_dir(*dir, &msg) < 0) {
		print_safe("", msg);
		free(msg);
		return 1;
	}
	if (new_session) {
		char *carry = NULL;
		if (new_session == 2 && sessions_latest(*dir, &carry, &msg) < 0) {
			free(msg);
			msg = NULL;
		}
		r = sessions_new(*dir, carry, d, time(NULL), path, &msg);
		free(carry);
	} else {
		r = sessions_latest(*dir, path, &msg);
		if (r == -ENOENT && !readonly) {
			free(msg);
			msg = NULL;
			r = sessions_new(*dir, NULL, d, time(NULL), path, &msg);
		}
	}
	if (r < 0) {
		print_safe("", msg);
		free(msg);
		return 1;
	}
	free(msg);
	return 0;
}

/* An id from the command line, made safe, then a newline, to err. */
static void print_id(const char *id)
{
	char *safe = charset_from_locale(id, strlen(id));
	fprintf(err, "'%s'\n", safe ? safe : "");
	free(safe);
}

static void print_answers_diags(const struct answers *a)
{
	for (size_t i = 0; i < a->ndiags; i++)
		print_safe("", a->diags[i].msg);
}

/* Load the content and fold what the terminal cannot show, before anything is laid out. */
static int load_content(struct doc *d, const char *dir, int quiet_ok)
{
	int r = doc_load(d, dir);
	if (r != 0) {
		report_diags(err, d);
		if (!quiet_ok)
			fprintf(err, "mamori: the content has %zu problem%s (see above)\n",
				d->ndiags, d->ndiags == 1 ? "" : "s");
		return r;
	}
	if (converting && doc_map_text(d, fold_text, NULL) < 0) {
		fprintf(err, "mamori: out of memory\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_PAGE = 256, OPT_LIST, OPT_DUMP, OPT_WIDTH, OPT_CONTENT, OPT_CHECK, OPT_NO_COLOR,
	       OPT_ANSWERS, OPT_NEW_SESSION, OPT_PROGRESS, OPT_FORMAT, OPT_CHARSET, OPT_AMBIGUOUS };
	static const struct option longopts[] = {
		{ "page", required_argument, NULL, OPT_PAGE },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "dump", required_argument, NULL, OPT_DUMP },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "content", required_argument, NULL, OPT_CONTENT },
		{ "check-content", optional_argument, NULL, OPT_CHECK },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "answers", required_argument, NULL, OPT_ANSWERS },
		{ "new-session", optional_argument, NULL, OPT_NEW_SESSION },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "charset", required_argument, NULL, OPT_CHARSET },
		{ "ambiguous-width", required_argument, NULL, OPT_AMBIGUOUS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum mode mode = MODE_UI;
	const char *content = NULL, *dump = NULL;
	struct ui_options uo = { 0 };
	int width = 0, c, new_session = 0, tsv = 0;
	const char *answers_opt = NULL, *charset_opt = NULL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PAGE:
			uo.start_page = optarg;
			break;
		case OPT_LIST:
			mode = MODE_LIST;
			break;
		case OPT_DUMP:
			mode = MODE_DUMP;
			dump = optarg;
			break;
		case OPT_WIDTH: {
			char *end;
			errno = 0;
			long w = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || w < LAYOUT_MIN_WIDTH || w > 1000)
				return fail_usage("--width takes a number of columns from 20 to 1000, not", optarg);
			width = (int)w;
			break;
		}
		case OPT_CONTENT:
			content = optarg;
			break;
		case OPT_CHECK:
			mode = MODE_CHECK;
			/* "--check-content DIR" as well as "--check-content=DIR". */
			if (optarg)
				content = optarg;
			else if (optind < argc && argv[optind][0] != '-')
				content = argv[optind++];
			break;
		case OPT_NO_COLOR:
			uo.no_color = 1;
			break;
		case OPT_ANSWERS:
			answers_opt = optarg;
			break;
		case OPT_NEW_SESSION:
			if (!optarg || strcmp(optarg, "empty") == 0)
				new_session = 1;
			else if (strcmp(optarg, "carry") == 0)
				new_session = 2;
			else
				return fail_usage("--new-session takes 'empty' or 'carry', not", optarg);
			break;
		case OPT_PROGRESS:
			mode = MODE_PROGRESS;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "tsv") == 0)
				tsv = 1;
			else if (strcmp(optarg, "text") != 0)
				return fail_usage("--format takes 'text' or 'tsv', not", optarg);
			break;
		case OPT_CHARSET:
			if (charset_parse_name(optarg) < 0)
				return fail_usage("--charset takes UTF-8, EUC-JP or SHIFT_JIS, not", optarg);
			charset_opt = optarg;
			break;
		case OPT_AMBIGUOUS:
			if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0)
				return fail_usage("--ambiguous-width takes 1 or 2, not", optarg);
			ambiguous_wide = optarg[0] == '2';
			break;
		case 'h':
			mode = MODE_HELP;
			break;
		case 'V':
			mode = MODE_VERSION;
			break;
		case '?':
		default:
			/* getopt has moved past the bad word: name it as the user typed it. */
			if (optopt > 0 && optopt < 256 && argv[optind - 1][1] != '-')
				return fail_usage("unknown option, or one that needs an argument:",
						  (char[]){ '-', (char)optopt, 0 });
			return fail_usage("unknown option, or one that needs an argument:", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail_usage("unexpected argument", argv[optind]);
	if (answers_opt && new_session)
		return fail_usage("--answers and --new-session do not go together", NULL);
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		uo.no_color = 1;

	char *locale_note = NULL;
	if (charset_setup(charset_opt, &locale_note) < 0) {
		char *safe = text_sanitize(locale_note ? locale_note : "", locale_note ? strlen(locale_note) : 0);
		fprintf(stderr, "mamori: %s\n", safe ? safe : "");
		free(safe);
		free(locale_note);
		return 2;
	}
	if (start_output() < 0)
		return 1;

	struct doc d;
	const char *dir = paths_content_dir(content);
	int status = 0;

	memset(&d, 0, sizeof d);
	switch (mode) {
	case MODE_HELP:
		usage(out);
		break;
	case MODE_VERSION:
		fprintf(out, "mamori %s\n"
			"Content: 『中小企業の情報セキュリティ対策ガイドライン』(IPA) as summarised in\n"
			"『中小企業いばらき』2022年9月号 (No.767), restated; see the 参考・出典 page.\n",
			PACKAGE_VERSION);
		break;
	case MODE_CHECK:
		if (doc_load(&d, dir) != 0) {
			report_diags(out, &d);
			fprintf(err, "mamori: %zu problem%s in %s\n", d.ndiags,
				d.ndiags == 1 ? "" : "s", dir);
			status = 1;
		} else {
			fprintf(out, "%s: %zu pages, %zu groups, %zu checklist items: OK\n",
			       dir, d.npages, d.ngroups, d.nitems);
		}
		break;
	case MODE_LIST:
		if (load_content(&d, dir, 0) != 0) {
			status = 1;
			break;
		}
		report_list(out, &d);
		break;
	case MODE_DUMP: {
		if (load_content(&d, dir, 0) != 0) {
			status = 1;
			break;
		}
		int w = width ? width : terminal_width();
		if (strcmp(dump, "all") == 0) {
			for (size_t i = 0; i < d.npages && status == 0; i++) {
				if (i)
					fputs("\n\n", out);
				status = report_dump_page(out, &d, (int)i, w, NULL, NULL) ? 1 : 0;
			}
		} else {
			int p = doc_find_page(&d, dump);
			if (p < 0) {
				doc_free(&d);
				return fail_usage("no such page id (see mamori --list):", dump);
			}
			status = report_dump_page(out, &d, p, w, NULL, NULL) ? 1 : 0;
		}
		if (fflush(out) != 0 || status) {
			fprintf(err, "mamori: writing the dump failed: %s\n", strerror(errno));
			status = 1;
		}
		break;
	}
	case MODE_PROGRESS: {
		char *sdir = NULL, *path = NULL, *prev_path = NULL, *msg = NULL;
		struct answers a, prev_a;
		struct progress p, prev;
		int have_prev = 0;
		memset(&p, 0, sizeof p);
		if (load_content(&d, dir, 0) != 0) {
			status = 1;
			break;
		}
		if (!answers_opt && sessions_default_dir(&sdir, &msg) == 0 &&
		    sessions_latest(sdir, &path, &msg) == -ENOENT) {
			/* No session yet: the progress of nothing answered. */
			free(msg);
			msg = NULL;
			progress_compute(&p, &d, NULL);
			status = (tsv ? progress_write_tsv(out, &d, &p)
				      : progress_write_text(out, &d, &p, NULL)) < 0 ? 1 : 0;
			progress_free(&p);
			free(sdir);
			break;
		}
		free(sdir);
		free(path);
		free(msg);
		msg = NULL;
		if (choose_answers(answers_opt, 0, &d, 1, &sdir, &path) != 0) {
			status = 1;
			break;
		}
		if (answers_open(&a, path, &d, ANSWERS_READONLY) < 0) {
			print_safe("", answers_error(&a));
			status = 1;
		} else {
			print_answers_diags(&a);
			if (sdir && sessions_previous(sdir, path, &prev_path, &msg) == 0 &&
			    answers_open(&prev_a, prev_path, &d, ANSWERS_READONLY) == 0) {
				have_prev = progress_compute(&prev, &d, &prev_a) == 0;
				answers_close(&prev_a);
			}
			progress_compute(&p, &d, &a);
			int r = tsv ? progress_write_tsv(out, &d, &p)
				    : progress_write_text(out, &d, &p, have_prev ? &prev : NULL);
			if (r < 0 || fflush(out) != 0) {
				fprintf(err, "mamori: writing the progress failed: %s\n", strerror(errno));
				status = 1;
			}
		}
		answers_close(&a);
		progress_free(&p);
		if (have_prev)
			progress_free(&prev);
		free(sdir);
		free(path);
		free(prev_path);
		free(msg);
		break;
	}
	case MODE_UI: {
		char *sdir = NULL, *path = NULL;
		struct answers a;
		char note[600] = "";
		if (load_content(&d, dir, 0) != 0) {
			status = 1;
			break;
		}
		if (uo.start_page && doc_find_page(&d, uo.start_page) < 0) {
			fprintf(err, "mamori: no such page id (see mamori --list): ");
			print_id(uo.start_page);
			status = 2;
			break;
		}
		/* Before any session file is made: a run that cannot start should leave nothing behind. */
		if ((status = ui_check_terminal()) != 0)
			break;
		if (choose_answers(answers_opt, new_session, &d, 0, &sdir, &path) != 0) {
			status = 1;
			break;
		}
		if (answers_open(&a, path, &d, ANSWERS_CREATE) < 0) {
			print_safe("", answers_error(&a));
			answers_close(&a);
			free(sdir);
			free(path);
			status = 1;
			break;
		}
		print_answers_diags(&a);
		/* The first status line says what the user most needs to know now. */
		if (a.readonly)
			snprintf(note, sizeof note, "読み取り専用で開きました: %s",
				 a.readonly_reason ? a.readonly_reason : "");
		else if (a.ndiags)
			snprintf(note, sizeof note, "回答ファイルに %zu 件の問題 (行は保存時も残します): %s",
				 a.ndiags, a.diags[0].msg);
		else if (locale_note)
			snprintf(note, sizeof note, "%s", locale_note);
		uo.note = note[0] ? note : NULL;
		uo.answers = &a;
		uo.sessions_dir = sdir;
		draw_set_fold(converting, ambiguous_wide);
		status = ui_run(&d, &uo);
		answers_close(&a);
		free(sdir);
		free(path);
		break;
	}
	}
	doc_free(&d);
	free(locale_note);
	if (finish_output() < 0 && status == 0) {
		fprintf(stderr, "mamori: writing the output failed: %s\n", strerror(errno));
		status = 1;
	}
	return status;
}
