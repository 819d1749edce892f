/*
 * cli: options, the output of the non-interactive modes, and those modes
 * (see cli.h).  Everything that can go wrong before the screen starts
 * (options, locale, content) is told here as plain text, so most errors
 * never meet a half-initialised terminal.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/answers.h"
#include "core/charset.h"
#include "core/doc.h"
#include "core/layout.h"
#include "core/paths.h"
#include "core/progress.h"
#include "core/report.h"
#include "core/rows.h"
#include "core/sessions.h"
#include "core/text.h"
#include "core/util.h"

/* Cells between the brackets of a --progress bar (the dashboard's are narrower). */
#define CLI_BAR_CELLS 20

static void cli_usage(FILE *out)
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
	      "or a terminal that cannot be used.\n",
	      out);
}

/* ------------------------------------------------------------------ output */

/*
 * Where the modes write: stdout and stderr, or, under EUC-JP, Shift_JIS or
 * --ambiguous-width=2, the charset module's memory streams, written out
 * folded and converted by cli_finish (charset_output_begin/_end).
 */
static FILE *cli_out, *cli_err;
static int cli_convert, cli_ambiguous_wide;

int cli_converting(void)
{
	return cli_convert;
}

int cli_start(const struct cli_options *o, char **note)
{
	*note = NULL;
	if (charset_setup(o->charset, note) < 0) {
		char *safe = text_sanitize(*note ? *note : "", *note ? strlen(*note) : 0);
		fprintf(stderr, "mamori: %s\n", safe);
		free(safe);
		free(*note);
		*note = NULL;
		return 2;
	}
	cli_ambiguous_wide = o->ambiguous_wide;
	int r = charset_output_begin(cli_ambiguous_wide, &cli_out, &cli_err);
	if (r < 0) {
		fprintf(stderr, "mamori: %s\n", strerror(-r));
		return 1;
	}
	cli_convert = r;
	return 0;
}

int cli_finish(int status)
{
	int r = charset_output_end();
	if (r < 0 && status == 0) {
		fprintf(stderr, "mamori: writing the output failed: %s\n", strerror(-r));
		status = 1;
	}
	return status;
}

void cli_error(const char *prefix, const char *msg)
{
	char *safe = text_sanitize(msg ? msg : "", msg ? strlen(msg) : 0);
	fprintf(cli_err, "mamori: %s%s\n", prefix, safe);
	free(safe);
}

void cli_error_arg(const char *what, const char *arg)
{
	char *safe = charset_from_locale(arg, strlen(arg));
	fprintf(cli_err, "mamori: %s '%s'\n", what, safe);
	free(safe);
}

void cli_answers_diags(const struct answers *a)
{
	for (size_t i = 0; i < a->ndiags; i++)
		cli_error("", a->diags[i].msg);
}

/*
 * A usage error: what is wrong, then the offending argument made safe to
 * print, in the locale's charset.  Options are read before the output is
 * set up, so this sets up the charset and converts by itself.
 */
static int cli_fail_usage(const char *what, const char *arg)
{
	charset_setup(NULL, NULL);
	char *safe = arg ? charset_from_locale(arg, strlen(arg)) : NULL; /* NULL: nothing to quote */
	char *msg = xasprintf("mamori: %s%s%s%s\nTry 'mamori --help' for more information.\n", what,
	                      safe ? " '" : "", safe ? safe : "", safe ? "'" : "");
	if (charset_fputs(msg, stderr, 0) < 0)
		fputs(msg, stderr);
	charset_free();
	free(safe);
	free(msg);
	return 2;
}

/* ------------------------------------------------------------------ options */

int cli_parse(struct cli_options *o, int argc, char **argv)
{
	enum {
		OPT_PAGE = 256,
		OPT_LIST,
		OPT_DUMP,
		OPT_WIDTH,
		OPT_CONTENT,
		OPT_CHECK,
		OPT_NO_COLOR,
		OPT_ANSWERS,
		OPT_NEW_SESSION,
		OPT_PROGRESS,
		OPT_FORMAT,
		OPT_CHARSET,
		OPT_AMBIGUOUS
	};
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
	int c, new_session = 0;

	memset(o, 0, sizeof *o);
	o->mode = CLI_UI;
	o->pick = SESSIONS_LATEST;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PAGE:
			o->page = optarg;
			break;
		case OPT_LIST:
			o->mode = CLI_LIST;
			break;
		case OPT_DUMP:
			o->mode = CLI_DUMP;
			o->dump = optarg;
			break;
		case OPT_WIDTH: {
			char *end;
			errno = 0;
			long w = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || w < LAYOUT_MIN_WIDTH || w > 1000)
				return cli_fail_usage(
					"--width takes a number of columns from 20 to 1000, not", optarg);
			o->width = (int)w;
			break;
		}
		case OPT_CONTENT:
			o->content = optarg;
			break;
		case OPT_CHECK:
			o->mode = CLI_CHECK;
			/* "--check-content DIR" as well as "--check-content=DIR". */
			if (optarg)
				o->content = optarg;
			else if (optind < argc && argv[optind][0] != '-')
				o->content = argv[optind++];
			break;
		case OPT_NO_COLOR:
			o->no_color = 1;
			break;
		case OPT_ANSWERS:
			o->answers = optarg;
			break;
		case OPT_NEW_SESSION:
			new_session = 1;
			if (!optarg || strcmp(optarg, "empty") == 0)
				o->pick = SESSIONS_NEW_EMPTY;
			else if (strcmp(optarg, "carry") == 0)
				o->pick = SESSIONS_NEW_CARRY;
			else
				return cli_fail_usage("--new-session takes 'empty' or 'carry', not",
				                      optarg);
			break;
		case OPT_PROGRESS:
			o->mode = CLI_PROGRESS;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "tsv") == 0)
				o->tsv = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_fail_usage("--format takes 'text' or 'tsv', not", optarg);
			break;
		case OPT_CHARSET:
			if (charset_parse_name(optarg) < 0)
				return cli_fail_usage("--charset takes UTF-8, EUC-JP or SHIFT_JIS, not",
				                      optarg);
			o->charset = optarg;
			break;
		case OPT_AMBIGUOUS:
			if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0)
				return cli_fail_usage("--ambiguous-width takes 1 or 2, not", optarg);
			o->ambiguous_wide = optarg[0] == '2';
			break;
		case 'h':
			o->mode = CLI_HELP;
			break;
		case 'V':
			o->mode = CLI_VERSION;
			break;
		case '?':
		default:
			/* getopt has moved past the bad word: name it as the user typed it. */
			if (optopt > 0 && optopt < 256 && argv[optind - 1][1] != '-')
				return cli_fail_usage("unknown option, or one that needs an argument:",
				                      (char[]){ '-', (char)optopt, 0 });
			return cli_fail_usage("unknown option, or one that needs an argument:",
			                      argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_fail_usage("unexpected argument", argv[optind]);
	if (o->answers && new_session)
		return cli_fail_usage("--answers and --new-session do not go together", NULL);
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		o->no_color = 1;
	return 0;
}

/* ------------------------------------------------------------------ modes */

static char *cli_fold_text(const char *text, void *ctx)
{
	(void)ctx;
	return charset_fold(text, strlen(text), cli_ambiguous_wide);
}

int cli_load_content(struct doc *d, const struct cli_options *o)
{
	memset(d, 0, sizeof *d);
	if (doc_load(d, paths_content_dir(o->content)) != 0) {
		report_diags(cli_err, d);
		fprintf(cli_err, "mamori: the content has %zu problem%s (see above)\n", d->ndiags,
		        d->ndiags == 1 ? "" : "s");
		return 1;
	}
	/* Fold what the terminal cannot show before anything is laid out. */
	if (cli_convert)
		doc_map_text(d, cli_fold_text, NULL);
	return 0;
}

int cli_help(void)
{
	cli_usage(cli_out);
	return 0;
}

int cli_version(void)
{
	fprintf(cli_out,
	        "mamori %s\n"
	        "Content: 『中小企業の情報セキュリティ対策ガイドライン』(IPA) as summarised in\n"
	        "『中小企業いばらき』2022年9月号 (No.767), restated; see the 参考・出典 page.\n",
	        PACKAGE_VERSION);
	return 0;
}

int cli_check_content(const struct cli_options *o)
{
	struct doc d;
	const char *dir = paths_content_dir(o->content);
	int status = 0;

	memset(&d, 0, sizeof d);
	if (doc_load(&d, dir) != 0) {
		report_diags(cli_out, &d);
		fprintf(cli_err, "mamori: %zu problem%s in %s\n", d.ndiags, d.ndiags == 1 ? "" : "s", dir);
		status = 1;
	} else {
		fprintf(cli_out, "%s: %zu pages, %zu groups, %zu checklist items: OK\n", dir, d.npages,
		        d.ngroups, d.nitems);
	}
	doc_free(&d);
	return status;
}

int cli_list(const struct cli_options *o)
{
	struct doc d;
	int status = cli_load_content(&d, o);

	if (status == 0)
		report_list(cli_out, &d);
	doc_free(&d);
	return status;
}

/* --dump's default width: the terminal's, else $COLUMNS, else 80. */
static int cli_terminal_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols && atoi(cols) > 0)
		return atoi(cols);
	return 80;
}

int cli_dump(const struct cli_options *o)
{
	struct doc d;
	int status = cli_load_content(&d, o);
	int width = o->width ? o->width : cli_terminal_width();

	if (status != 0) {
		doc_free(&d);
		return status;
	}
	if (strcmp(o->dump, "all") == 0) {
		for (size_t i = 0; i < d.npages && status == 0; i++) {
			if (i)
				fputs("\n\n", cli_out);
			status = report_dump_page(cli_out, &d, (int)i, width) ? 1 : 0;
		}
	} else {
		int page = doc_find_page(&d, o->dump);
		if (page < 0) {
			cli_error_arg("no such page id (see mamori --list):", o->dump);
			fputs("Try 'mamori --help' for more information.\n", cli_err);
			doc_free(&d);
			return 2;
		}
		status = report_dump_page(cli_out, &d, page, width) ? 1 : 0;
	}
	if (fflush(cli_out) != 0 || status) {
		fprintf(cli_err, "mamori: writing the dump failed: %s\n", strerror(errno));
		status = 1;
	}
	doc_free(&d);
	return status;
}

/* Write the progress of the answers in path (NULL: nothing answered yet) as o asks. */
static int cli_write_progress(const struct cli_options *o, const struct doc *d, const struct answers *a,
                              const char *dir, const char *path)
{
	struct progress p, prev;
	char *prev_name = NULL;
	int r;

	progress_compute(&p, d, a);
	if (o->tsv) {
		r = report_progress_tsv(cli_out, d, &p);
	} else {
		struct rows rows;
		int have_prev = sessions_previous_progress(dir, path, d, &prev, &prev_name);
		rows_build(&rows, d, &p, have_prev ? &prev : NULL, prev_name, CLI_BAR_CELLS);
		r = report_progress_text(cli_out, d, &rows);
		rows_free(&rows);
		progress_free(&prev);
		free(prev_name);
	}
	progress_free(&p);
	if (r < 0) {
		fprintf(cli_err, "mamori: writing the progress failed: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}

int cli_progress(const struct cli_options *o)
{
	struct doc d;
	struct answers a;
	struct sessions_choice choice = { o->answers, SESSIONS_LATEST, 1, time(NULL) };
	char *dir = NULL, *path = NULL, *msg = NULL;
	int status = cli_load_content(&d, o);

	if (status != 0)
		goto out;
	if (sessions_choose(&choice, &d, &dir, &path, &msg) < 0) {
		cli_error("", msg);
		status = 1;
	} else if (!path) {
		status = cli_write_progress(o, &d, NULL, dir, NULL);
	} else if (answers_open(&a, path, &d, ANSWERS_READONLY) < 0) {
		cli_error("", answers_error(&a));
		answers_close(&a);
		status = 1;
	} else {
		cli_answers_diags(&a);
		status = cli_write_progress(o, &d, &a, dir, path);
		answers_close(&a);
	}
out:
	free(dir);
	free(path);
	free(msg);
	doc_free(&d);
	return status;
}
