/*
 * cli: options, the output of the non-interactive modes, and those modes
 * (see cli.h).  Everything that can go wrong before the screen starts
 * (options, locale, content) is told here as plain text, so most errors
 * never meet a half-initialised terminal.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/answers.h"
#include "core/charset.h"
#include "core/doc.h"
#include "core/i18n.h"
#include "core/layout.h"
#include "core/merge.h"
#include "core/paths.h"
#include "core/policy.h"
#include "core/progress.h"
#include "core/report.h"
#include "core/report_model.h"
#include "core/report_write.h"
#include "core/rows.h"
#include "core/safefile.h"
#include "core/sessions.h"
#include "core/text.h"
#include "core/util.h"

/* Cells between the brackets of a --progress bar (the dashboard's are narrower). */
#define CLI_BAR_CELLS 20

/*
 * --help, one entry an option (or a paragraph), so that a changed option
 * leaves the other entries' translations in place.  In po/ja.po the
 * descriptions start in the same column; a line stays within 80 columns
 * (a Japanese character takes two).
 */
static const char *const cli_usage_text[] = {
	N_("Usage: mamori [OPTION]...\n"
	   "A terminal guide to IPA's SME information-security guideline\n"
	   "(中小企業の情報セキュリティ対策ガイドライン).\n"),
	N_("  --page ID            open at page ID (see --list)\n"),
	N_("  --list               print every page as ID<TAB>TITLE, in reading order\n"),
	N_("  --dump ID|all        print a page, or all pages, as laid-out text\n"),
	N_("  --with-answers       with --dump: each item with its state, id and note\n"),
	N_("  --width N            width of --dump in columns (default: the terminal's, else 80)\n"),
	N_("  --content DIR        read the guideline from DIR instead of the installed content\n"),
	N_("  --check-content [DIR]  check the content and report problems as FILE:LINE: message\n"),
	N_("  --answers FILE       keep answers in FILE (created when missing) instead of\n"
	   "                       the latest session under $XDG_DATA_HOME/mamori/sessions\n"),
	N_("  --new-session[=empty|carry]  start a new session, empty (the default) or\n"
	   "                       carrying over the latest session's answers\n"),
	N_("  --ask GROUP|all      answer questions line by line (screen readers, scripts):\n"
	   "                       GROUP is diagnosis, five-articles, principles, actions,\n"
	   "                       policy or a group id; each answer is saved at once\n"),
	N_("  --progress           print progress per principle and action, the 自社診断\n"
	   "                       score and SECURITY ACTION readiness, then exit\n"),
	N_("  --format text|tsv    the format of --progress (default text)\n"),
	N_("  --policy-draft       write a draft 情報セキュリティ基本方針 (for SECURITY ACTION's\n"
	   "                       二つ星) to edit and publish; --format text|md\n"),
	N_("  --report             print the report: score, SECURITY ACTION readiness, what\n"
	   "                       to improve, notes, changes; --format text|md|html|csv\n"),
	N_("  --merge FILE...      combine departments' answers files (never changed) into\n"
	   "                       --into FILE (a new file; --force replaces one) or a\n"
	   "                       --new-session; --show prints them side by side\n"),
	N_("  --company NAME       the company's name, for --policy-draft and --report\n"
	   "                       (--report keeps it in the session's answers)\n"),
	N_("  --output FILE        write --policy-draft or --report to FILE, not stdout; an\n"
	   "                       existing FILE is kept unless --force is given\n"),
	N_("  --charset CP932      with --report --format csv: Shift_JIS for older Excel\n"),
	N_("  --charset NAME       show text as UTF-8, EUC-JP or SHIFT_JIS, whatever the locale\n"),
	N_("  --ambiguous-width=1|2  2 when the terminal draws ambiguous characters such as\n"
	   "                       ※ ○ ① ─ two columns wide (see the man page)\n"),
	N_("  --no-color           do not use colour (NO_COLOR in the environment does the same)\n"),
	N_("  -h, --help           show this help and exit\n"),
	N_("  -V, --version        show the version and exit\n"),
	N_("Keys in the reader: ? shows them all; q quits.\n"
	   "Exit status: 0 on success, 1 on bad content or a failed write, 2 on bad usage\n"
	   "or a terminal that cannot be used.\n"),
};

static void cli_usage(FILE *out)
{
	for (size_t i = 0; i < sizeof cli_usage_text / sizeof cli_usage_text[0]; i++) {
		/* A blank line after the title and before the closing paragraph. */
		if (i == 1 || i + 1 == sizeof cli_usage_text / sizeof cli_usage_text[0])
			fputc('\n', out);
		fputs(_(cli_usage_text[i]), out);
	}
}

/* ------------------------------------------------------------------ output */

/*
 * Where the modes write: stdout and stderr, or, under EUC-JP, Shift_JIS or
 * --ambiguous-width=2, the charset module's memory streams, written out
 * folded and converted by cli_finish (charset_output_begin/_end).
 */
static FILE *cli_out, *cli_err;
static int cli_convert, cli_ambiguous_wide;
/* Set when a write met a closed pipe: the rest is not an error (see cli_write_failed). */
static int cli_pipe_closed;

/*
 * A write of what failed with err (an errno value, 0 for "unknown").
 * Returns the exit status: 1 after saying so on stderr, or 0, quietly,
 * when the reader of a pipe went away (`mamori --dump all | head -1`).
 * That is the reader's choice, not a failure of ours: tools that die by
 * SIGPIPE say nothing either, but their status 141 fails a pipeline
 * under `set -o pipefail`, which is why the non-interactive modes ignore
 * SIGPIPE (cli_start) and end here with 0.
 */
int cli_write_failed(const char *what, int err)
{
	if (err == EPIPE || cli_pipe_closed) {
		cli_pipe_closed = 1;
		return 0;
	}
	fprintf(cli_err, _("mamori: writing %s failed: %s\n"), what, strerror(err ? err : EIO));
	return 1;
}

int cli_converting(void)
{
	return cli_convert;
}

/*
 * Messages in the language the environment asks for even when its locale
 * is not installed (LANG=ja_JP.UTF-8 on a machine with only C.UTF-8):
 * charset_setup then shows text in a UTF-8 locale it found, but LC_MESSAGES
 * stays "C", where glibc's gettext translates nothing.  LC_MESSAGES goes to
 * that UTF-8 locale and LANGUAGE, when unset, to the asked-for name, which
 * gettext reads in any locale but C.
 */
void cli_messages_locale(void)
{
#if defined(ENABLE_NLS) && ENABLE_NLS
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *cur = setlocale(LC_MESSAGES, NULL), *want = NULL, *language = getenv("LANGUAGE");

	if (!cur || (strcmp(cur, "C") != 0 && strcmp(cur, "POSIX") != 0) ||
	    charset_current() != CHARSET_UTF8)
		return;
	for (size_t k = 0; k < sizeof vars / sizeof vars[0] && !want; k++) {
		const char *v = getenv(vars[k]);
		if (v && *v)
			want = v;
	}
	if (!want || strcmp(want, "C") == 0 || strcmp(want, "POSIX") == 0 || strncmp(want, "C.", 2) == 0)
		return;
	if (!setlocale(LC_MESSAGES, setlocale(LC_CTYPE, NULL)))
		return;
	if (!language || !*language)
		setenv("LANGUAGE", want, 1);
#endif
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
	cli_messages_locale();
	cli_ambiguous_wide = o->ambiguous_wide;
	/* A closed pipe is a write error to handle (cli_write_failed), not a death. */
	if (o->mode != CLI_UI)
		signal(SIGPIPE, SIG_IGN);
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
	/* An earlier failed flush leaves only the error flag: the last fflush may succeed. */
	if (r == 0 && ferror(stdout))
		r = -EIO;
	if (r < 0 && status == 0 && (r != -EPIPE && !cli_pipe_closed)) {
		fprintf(stderr, _("mamori: writing the output failed: %s\n"), strerror(-r));
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
	cli_messages_locale();
	char *safe = arg ? charset_from_locale(arg, strlen(arg)) : NULL; /* NULL: nothing to quote */
	char *msg = xasprintf("mamori: %s%s%s%s\n%s", what, safe ? " '" : "", safe ? safe : "",
	                      safe ? "'" : "", _("Try 'mamori --help' for more information.\n"));
	if (charset_fputs(msg, stderr, 0) < 0)
		fputs(msg, stderr);
	charset_free();
	free(safe);
	free(msg);
	return 2;
}

/* ------------------------------------------------------------------ options */

/*
 * The modes that do one thing and exit.  Two of them on one command line
 * contradict each other: that is refused rather than letting the last one
 * win, so `mamori --list --dump all` never silently does half of what was
 * asked.  --help and --version win over everything, as in GNU tools.
 */
struct cli_modes {
	enum cli_mode mode; /* CLI_UI until a mode option is seen */
	const char *opt;    /* the option that chose it, for the message */
	const char *clash;  /* a second, different mode option, or NULL */
	int help, version;
};

static void cli_set_mode(struct cli_modes *m, enum cli_mode mode, const char *opt)
{
	if (m->mode != CLI_UI && m->mode != mode && !m->clash)
		m->clash = opt;
	if (m->mode == CLI_UI)
		m->opt = opt;
	if (m->mode == CLI_UI || !m->clash)
		m->mode = mode;
}

/* What each option that takes an argument needs, for the message when it is missing. */
static const struct {
	const char *name;
	const char *what;
} cli_arguments[] = {
	{ "page", N_("a page id (see mamori --list)") },
	{ "dump", N_("a page id (see mamori --list) or all") },
	{ "ask",
	  N_("a group (all, diagnosis, five-articles, principles, actions, policy or a group id)") },
	{ "width", N_("a number of columns") },
	{ "content", N_("a directory") },
	{ "answers", N_("a file") },
	{ "format", N_("a format (text, tsv, md, html or csv)") },
	{ "charset", N_("a charset (UTF-8, EUC-JP or SHIFT_JIS)") },
	{ "ambiguous-width", N_("1 or 2") },
	{ "company", N_("a name") },
	{ "output", N_("a file") },
	{ "into", N_("a file") },
};

/* The usage error for --name given without its argument. */
static int cli_fail_needs(const char *name)
{
	const char *what = NULL;

	for (size_t i = 0; i < sizeof cli_arguments / sizeof cli_arguments[0] && !what; i++)
		if (strcmp(cli_arguments[i].name, name) == 0)
			what = _(cli_arguments[i].what);
	char *msg = what ? xasprintf(_("--%s needs %s"), name, what)
	                 : xasprintf(_("--%s needs an argument"), name);
	int r = cli_fail_usage(msg, NULL);
	free(msg);
	return r;
}

/* 1 when an option's argument is the next option instead (`--page --list`): it was left out. */
static int cli_missing(const char *arg)
{
	return arg[0] == '-' && arg[1] == '-';
}

/*
 * --content DIR as parsed, for --version: main.c calls cli_version without
 * the options, and the edition it names is that of the content this
 * command line would read.
 */
static const char *cli_version_content;

int cli_parse(struct cli_options *o, int argc, char **argv)
{
	enum {
		OPT_PAGE = 256,
		OPT_ASK,
		OPT_WITH_ANSWERS,
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
		OPT_AMBIGUOUS,
		OPT_POLICY_DRAFT,
		OPT_COMPANY,
		OPT_OUTPUT,
		OPT_FORCE,
		OPT_REPORT,
		OPT_MERGE,
		OPT_INTO,
		OPT_SHOW
	};
	static const struct option longopts[] = {
		{ "page", required_argument, NULL, OPT_PAGE },
		{ "ask", required_argument, NULL, OPT_ASK },
		{ "with-answers", no_argument, NULL, OPT_WITH_ANSWERS },
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
		{ "policy-draft", no_argument, NULL, OPT_POLICY_DRAFT },
		{ "company", required_argument, NULL, OPT_COMPANY },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "report", no_argument, NULL, OPT_REPORT },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "into", required_argument, NULL, OPT_INTO },
		{ "show", no_argument, NULL, OPT_SHOW },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, new_session = 0;
	struct cli_modes m = { CLI_UI, NULL, NULL, 0, 0 };

	memset(o, 0, sizeof *o);
	o->mode = CLI_UI;
	o->pick = SESSIONS_LATEST;
	opterr = 0;
	/* ':' first: a missing argument is told as such (cli_fail_needs), not as an unknown option. */
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PAGE:
			if (cli_missing(optarg))
				return cli_fail_needs("page");
			o->page = optarg;
			break;
		case OPT_ASK:
			if (cli_missing(optarg))
				return cli_fail_needs("ask");
			cli_set_mode(&m, CLI_ASK, "--ask");
			o->ask = optarg;
			break;
		case OPT_WITH_ANSWERS:
			o->with_answers = 1;
			break;
		case OPT_LIST:
			cli_set_mode(&m, CLI_LIST, "--list");
			break;
		case OPT_DUMP:
			if (cli_missing(optarg))
				return cli_fail_needs("dump");
			/* Two pages to dump are two modes as well: which one was meant? */
			if (o->dump && strcmp(o->dump, optarg) != 0 && !m.clash)
				m.clash = "--dump";
			cli_set_mode(&m, CLI_DUMP, "--dump");
			o->dump = optarg;
			break;
		case OPT_WIDTH: {
			char *end;
			errno = 0;
			long w = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || w < LAYOUT_MIN_WIDTH || w > 1000)
				return cli_fail_usage(
					_("--width takes a number of columns from 20 to 1000, not"),
					optarg);
			o->width = (int)w;
			break;
		}
		case OPT_CONTENT:
			o->content = optarg;
			break;
		case OPT_CHECK:
			cli_set_mode(&m, CLI_CHECK, "--check-content");
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
				return cli_fail_usage(_("--new-session takes 'empty' or 'carry', not"),
				                      optarg);
			break;
		case OPT_PROGRESS:
			cli_set_mode(&m, CLI_PROGRESS, "--progress");
			break;
		case OPT_FORMAT:
			o->format = optarg;
			/* html and csv are --report's alone: told below if it is not --report. */
			if (strcmp(optarg, "html") == 0 || strcmp(optarg, "csv") == 0)
				;
			else if (strcmp(optarg, "tsv") == 0)
				o->tsv = 1;
			else if (strcmp(optarg, "md") == 0)
				o->markdown = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_fail_usage(_("--format takes text, tsv, md, html or csv, not"),
				                      optarg);
			break;
		case OPT_POLICY_DRAFT:
			cli_set_mode(&m, CLI_POLICY_DRAFT, "--policy-draft");
			break;
		case OPT_COMPANY:
			o->company = optarg;
			break;
		case OPT_OUTPUT:
			o->output = optarg;
			break;
		case OPT_FORCE:
			o->force = 1;
			break;
		case OPT_MERGE:
			cli_set_mode(&m, CLI_MERGE, "--merge");
			break;
		case OPT_INTO:
			o->into = optarg;
			break;
		case OPT_SHOW:
			o->show = 1;
			break;
		case OPT_REPORT:
			cli_set_mode(&m, CLI_REPORT, "--report");
			break;
		case OPT_CHARSET:
			if (charset_parse_name(optarg) < 0)
				return cli_fail_usage(_("--charset takes UTF-8, EUC-JP or SHIFT_JIS, not"),
				                      optarg);
			o->charset = optarg;
			break;
		case OPT_AMBIGUOUS:
			if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0)
				return cli_fail_usage(_("--ambiguous-width takes 1 or 2, not"), optarg);
			o->ambiguous_wide = optarg[0] == '2';
			break;
		case 'h':
			m.help = 1;
			break;
		case 'V':
			m.version = 1;
			break;
		case ':':
			for (size_t i = 0; longopts[i].name; i++)
				if (longopts[i].val == optopt)
					return cli_fail_needs(longopts[i].name);
			return cli_fail_usage(_("an option needs an argument:"), argv[optind - 1]);
		case '?':
		default:
			/* getopt has moved past the bad word: name it as the user typed it. */
			if (optopt > 0 && optopt < 256 && argv[optind - 1][1] != '-')
				return cli_fail_usage(_("unknown option, or one that needs an argument:"),
				                      (char[]){ '-', (char)optopt, 0 });
			return cli_fail_usage(_("unknown option, or one that needs an argument:"),
			                      argv[optind - 1]);
		}
	}
	/* --merge takes the files that are not options (getopt put them last). */
	if (m.mode == CLI_MERGE && !m.clash) {
		o->merge_files = argv + optind;
		o->nmerge = argc - optind;
		optind = argc;
	}
	if (optind < argc)
		return cli_fail_usage(_("unexpected argument"), argv[optind]);
	o->mode = m.help ? CLI_HELP : m.version ? CLI_VERSION : m.mode;
	cli_version_content = o->content;
	if (!m.help && !m.version && m.clash) {
		char *what =
			strcmp(m.opt, m.clash) == 0
				? xasprintf(_("%s given twice with different pages: choose one"), m.opt)
				: xasprintf(_("%s and %s do not go together: choose one"), m.opt, m.clash);
		int r = cli_fail_usage(what, NULL);
		free(what);
		return r;
	}
	if (o->answers && new_session)
		return cli_fail_usage(_("--answers and --new-session do not go together"), NULL);
	/* Each format where it means something, rather than one silently ignored. */
	int info = o->mode == CLI_HELP || o->mode == CLI_VERSION;
	if (o->with_answers && o->mode != CLI_DUMP && !info)
		return cli_fail_usage(_("--with-answers goes with --dump"), NULL);
	if (o->mode == CLI_MERGE && !info) {
		o->merge_session = new_session;
		if (o->nmerge == 0)
			return cli_fail_usage(_("--merge needs the answers files to combine"), NULL);
		if (o->into && new_session)
			return cli_fail_usage(_("--into and --new-session do not go together: choose one"),
			                      NULL);
		if (new_session && o->pick != SESSIONS_NEW_EMPTY)
			return cli_fail_usage(_("--merge makes a new session of its own: not"),
			                      "--new-session=carry");
		if (!o->into && !new_session && !o->show)
			return cli_fail_usage(_("--merge needs --into FILE, --new-session or --show"),
			                      NULL);
		if (o->answers)
			return cli_fail_usage(_("--merge and --answers do not go together"), NULL);
	} else if ((o->into || o->show) && !info) {
		return cli_fail_usage(_("--into and --show go with --merge"), NULL);
	}
	if (o->mode == CLI_REPORT && o->format && report_format_parse(o->format) < 0)
		return cli_fail_usage(_("--report takes --format text, md, html or csv, not"), o->format);
	if (o->format && o->mode != CLI_REPORT && !info &&
	    (strcmp(o->format, "html") == 0 || strcmp(o->format, "csv") == 0))
		return cli_fail_usage(_("--format html and csv go with --report"), NULL);
	/*
	 * With --report --format csv, --charset names the file's charset, not the
	 * screen's: UTF-8 (with a BOM) or Shift_JIS, written as CP932 for Excel.
	 */
	if (o->mode == CLI_REPORT && o->format && strcmp(o->format, "csv") == 0 && o->charset) {
		o->cp932 = strcasecmp(o->charset, "UTF-8") != 0 && strcasecmp(o->charset, "UTF8") != 0;
		o->charset = NULL;
	}
	if (o->markdown && o->mode != CLI_POLICY_DRAFT && o->mode != CLI_REPORT && !info)
		return cli_fail_usage(_("--format md goes with --policy-draft or --report"), NULL);
	if (o->tsv && o->mode == CLI_POLICY_DRAFT)
		return cli_fail_usage(_("--policy-draft takes --format text or md, not"), "tsv");
	if ((o->output || (o->force && !o->into)) && o->mode != CLI_POLICY_DRAFT &&
	    o->mode != CLI_REPORT && !info)
		return cli_fail_usage(_("--output and --force go with --policy-draft or --report"), NULL);
	if (o->force && !o->output && !o->into)
		return cli_fail_usage(_("--force goes with --output FILE or --into FILE"), NULL);
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
	int r = doc_load(d, paths_content_dir(o->content));
	if (r < 0) {
		report_diags(cli_err, d);
		fprintf(cli_err,
		        ngettext_("mamori: the content has %zu problem (see above)\n",
		                  "mamori: the content has %zu problems (see above)\n", d->ndiags),
		        d->ndiags);
		return 1;
	}
	/*
	 * Only warnings: the text is shown as written, the problems in visible
	 * form, as less would show it; one line says so (--check-content has them all).
	 */
	if (r > 0) {
		char *line = doc_problems_line(d);
		fprintf(cli_err, _("mamori: warning: %s (mamori --check-content lists them)\n"), line);
		free(line);
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

/*
 * The value of the line "key: value" in text (the content's EDITION file,
 * see content/EDITION), sanitised, or NULL when there is none.  The file
 * is read here rather than by the parser: it is not a chapter, and
 * --version must work on content too broken to load.
 */
static char *cli_edition_field(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == ':') {
			const char *v = p + klen + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t vlen = n - (size_t)(v - p);
			while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
				vlen--;
			return vlen ? text_sanitize(v, vlen) : NULL;
		}
		p += end ? n + 1 : n;
	}
	return NULL;
}

int cli_version(void)
{
	const char *dir = paths_content_dir(cli_version_content);
	char *path = xasprintf("%s/EDITION", dir);
	char *shown = charset_from_locale(dir, strlen(dir));
	char *text = NULL;
	size_t len;

	fprintf(cli_out, "mamori %s\n", PACKAGE_VERSION);
	/* An administrator asks which edition is installed: it is in the content, not the binary. */
	if (util_read_file(path, 64 * 1024, &text, &len) == 0) {
		char *edition = cli_edition_field(text, "edition");
		char *date = cli_edition_field(text, "date");
		char *source = cli_edition_field(text, "source");
		fprintf(cli_out, _("Content: %s (%s), in %s\n"),
		        edition ? edition : _("edition not stated"), date ? date : _("date not stated"),
		        shown);
		if (source)
			fprintf(cli_out, _("Source: %s\n"), source);
		free(edition);
		free(date);
		free(source);
	} else {
		fprintf(cli_out,
		        _("Content: in %s, which has no EDITION file (edition and date unknown)\n"),
		        shown);
	}
	fputs(_("The content restates IPA's guideline in its own words: it is not IPA's text.\n"
	        "See its 参考・出典 page for the sources.\n"),
	      cli_out);
	free(text);
	free(shown);
	free(path);
	return 0;
}

int cli_check_content(const struct cli_options *o)
{
	struct doc d;
	const char *dir = paths_content_dir(o->content);
	/* The directory as typed (the locale's charset), made safe: it is any bytes at all. */
	char *shown = charset_from_locale(dir, strlen(dir));
	int status = 0, r;

	memset(&d, 0, sizeof d);
	/* Warnings count here: this is where an editor of the content looks. */
	if (doc_load(&d, dir) != 0) {
		r = report_diags(cli_out, &d);
		fprintf(cli_err,
		        ngettext_("mamori: %zu problem in %s\n", "mamori: %zu problems in %s\n", d.ndiags),
		        d.ndiags, shown);
		status = 1;
	} else {
		fprintf(cli_out, _("%s: %zu pages, %zu groups, %zu checklist items: OK\n"), shown,
		        d.npages, d.ngroups, d.nitems);
		errno = 0;
		r = fflush(cli_out) == 0 && !ferror(cli_out) ? 0 : errno ? -errno : -EIO;
	}
	if (r < 0 && cli_write_failed(_("the report"), -r) && status == 0)
		status = 1;
	free(shown);
	doc_free(&d);
	return status;
}

int cli_list(const struct cli_options *o)
{
	struct doc d;
	int status = cli_load_content(&d, o);

	if (status == 0) {
		int r = report_list(cli_out, &d);
		if (r < 0)
			status = cli_write_failed(_("the list"), -r);
	}
	doc_free(&d);
	return status;
}

/*
 * A size from the environment: the number in name, 0 when it is unset or
 * not a plain number (curses ignores those too), or CLI_MAX_TERMINAL + 1
 * for one too large to hold in a long.
 */
static long cli_env_size(const char *name)
{
	const char *v = getenv(name);
	char *end;

	if (!v || !*v)
		return 0;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (end == v || *end)
		return 0;
	if (errno == ERANGE || n > CLI_MAX_TERMINAL)
		return CLI_MAX_TERMINAL + 1L;
	return n > 0 ? n : 0;
}

/* Refuse the size in the environment variable name, quoting it as it is set. */
static int cli_size_refused(const char *name)
{
	const char *v = getenv(name);
	char *shown = charset_from_locale(v, strlen(v));
	fprintf(cli_err,
	        _("mamori: %s=%s is not a terminal size mamori can use (at most %d); correct or unset "
	          "%s\n"),
	        name, shown, CLI_MAX_TERMINAL, name);
	free(shown);
	return 2;
}

int cli_check_terminal_size(void)
{
	struct winsize ws;
	const char *names[] = { "LINES", "COLUMNS" };

	for (size_t i = 0; i < 2; i++)
		if (cli_env_size(names[i]) > CLI_MAX_TERMINAL)
			return cli_size_refused(names[i]);
	int fds[] = { STDOUT_FILENO, STDIN_FILENO };
	for (size_t i = 0; i < 2; i++)
		if (isatty(fds[i]) && ioctl(fds[i], TIOCGWINSZ, &ws) == 0 &&
		    (ws.ws_row > CLI_MAX_TERMINAL || ws.ws_col > CLI_MAX_TERMINAL)) {
			fprintf(cli_err,
			        _("mamori: the terminal says it is %u lines by %u columns, more than mamori "
			          "can use (at most %d of each)\n"),
			        (unsigned)ws.ws_row, (unsigned)ws.ws_col, CLI_MAX_TERMINAL);
			return 2;
		}
	return 0;
}

/* --dump's default width: the terminal's, else $COLUMNS, else 80 (the sizes checked first). */
static int cli_terminal_width(void)
{
	struct winsize ws;
	long cols = cli_env_size("COLUMNS");

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols > 0)
		return (int)cols;
	return 80;
}

/* One page for --dump: with --with-answers, each item's answer in a (NULL: none yet) under it. */
static int cli_dump_page(const struct cli_options *o, const struct doc *d, int page, int width,
                         const struct answers *a)
{
	return o->with_answers ? report_dump_page_answers(cli_out, d, page, width, a)
	                       : report_dump_page(cli_out, d, page, width);
}

int cli_dump(const struct cli_options *o)
{
	struct doc d;
	struct answers a;
	struct sessions_choice choice = { o->answers, SESSIONS_LATEST, 1, time(NULL) };
	char *dir = NULL, *path = NULL, *msg = NULL;
	int status, width = o->width, have_answers = 0;

	/* The terminal's width is used only without --width: only then can it be refused. */
	if (!width && (status = cli_check_terminal_size()) != 0)
		return status;
	if (!width)
		width = cli_terminal_width();
	if ((status = cli_load_content(&d, o)) != 0) {
		doc_free(&d);
		return status;
	}
	int r = 0, page = strcmp(o->dump, "all") == 0 ? -1 : doc_find_page(&d, o->dump);
	if (page < 0 && strcmp(o->dump, "all") != 0) {
		cli_error_arg(_("no such page id (see mamori --list):"), o->dump);
		fputs(_("Try 'mamori --help' for more information.\n"), cli_err);
		doc_free(&d);
		return 2;
	}
	/* --with-answers: the session --progress reads, only read (no session yet: nothing answered). */
	if (o->with_answers) {
		if (sessions_choose(&choice, &d, &dir, &path, &msg) < 0) {
			cli_error("", msg);
			status = 1;
			goto out;
		}
		if (path && answers_open(&a, path, &d, ANSWERS_READONLY) < 0) {
			cli_error("", answers_error(&a));
			answers_close(&a);
			status = 1;
			goto out;
		}
		if (path) {
			have_answers = 1;
			cli_answers_diags(&a);
		}
	}
	if (page < 0) {
		for (size_t i = 0; i < d.npages && r == 0; i++) {
			if (i)
				fputs("\n\n", cli_out);
			r = cli_dump_page(o, &d, (int)i, width, have_answers ? &a : NULL);
		}
	} else {
		r = cli_dump_page(o, &d, page, width, have_answers ? &a : NULL);
	}
	if (r == 0 && (fflush(cli_out) != 0 || ferror(cli_out)))
		r = errno ? -errno : -EIO;
	if (r < 0)
		status = cli_write_failed(_("the dump"), -r);
	if (have_answers)
		answers_close(&a);
out:
	free(dir);
	free(path);
	free(msg);
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
		/* A terminal's width, or --width; piped to a script, one line a row as before. */
		int width = o->width ? o->width : isatty(STDOUT_FILENO) ? cli_terminal_width() : 0;
		r = report_progress_text(cli_out, d, &rows, width);
		rows_free(&rows);
		progress_free(&prev);
		free(prev_name);
	}
	progress_free(&p);
	return r < 0 ? cli_write_failed(_("the progress"), -r) : 0;
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

/*
 * Put the len bytes of text in the file path, mode 0644 less the umask: a
 * complete temp file beside it (safefile_temp) takes the name by link,
 * which fails with -EEXIST on an existing name, or with force by rename,
 * which replaces it.  So the name never holds half a draft, and no race
 * between a check and the write can clobber a file.  Returns 0 or -errno
 * with *step saying what failed.
 */
static int cli_write_new_file(const char *path, const char *text, size_t len, int force, const char **step)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	char *tmp = NULL;
	int r = 0, fd = -1;
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	free(dir);
	*step = "open its directory";
	if (dirfd < 0)
		return -errno;
	if (!*base) {
		r = -EISDIR;
		goto out;
	}
	safefile_clean_temps(dirfd, base);
	if ((fd = safefile_temp(dirfd, base, text, len, &tmp, step)) < 0) {
		r = fd;
		goto out;
	}
	/* A policy is meant to be read by everyone: the umask decides, as for any new document. */
	mode_t mask = umask(0);
	umask(mask);
	*step = "chmod";
	if (fchmod(fd, 0644 & ~mask) < 0) {
		r = -errno;
	} else if (force) {
		*step = "rename";
		if (renameat(dirfd, tmp, dirfd, base) < 0)
			r = -errno;
	} else {
		*step = "link";
		if (linkat(dirfd, tmp, dirfd, base, 0) < 0)
			r = -errno;
	}
	/* Before close: the lock keeps other cleaners off a temp still in use. */
	if (r < 0 || !force)
		unlinkat(dirfd, tmp, 0);
	if (r == 0) {
		*step = "sync its directory";
		r = safefile_sync_dir(dirfd);
	}
out:
	if (fd >= 0)
		close(fd);
	free(tmp);
	close(dirfd);
	return r;
}

int cli_policy_draft(const struct cli_options *o)
{
	time_t now = time(NULL);
	struct tm tm;
	struct stat st;

	/* Refused before anything is written: the owner's edited draft is worth more than ours. */
	if (o->output && lstat(o->output, &st) == 0) {
		if (!o->force) {
			cli_error_arg(_("will not overwrite an existing file (--force replaces it):"),
			              o->output);
			return 1;
		}
		if (!S_ISREG(st.st_mode)) {
			cli_error_arg(_("will not replace what is not a regular file:"), o->output);
			return 1;
		}
	}
	localtime_r(&now, &tm);
	/* The name as typed is in the locale's charset; the draft is UTF-8. */
	char *company = o->company ? charset_from_locale(o->company, strlen(o->company)) : NULL;
	struct policy_input in = {
		.company = company,
		.year = tm.tm_year + 1900,
		.month = tm.tm_mon + 1,
		.day = tm.tm_mday,
		.format = o->markdown ? POLICY_MARKDOWN : POLICY_TEXT,
		.width = o->width ? o->width : POLICY_DEFAULT_WIDTH,
	};
	char *draft = policy_draft(&in);
	int status = 0;

	free(company);
	if (!o->output) {
		/* Converted to the locale's charset like every other output (cli_out). */
		fputs(draft, cli_out);
		errno = 0;
		if (fflush(cli_out) != 0 || ferror(cli_out))
			status = cli_write_failed(_("the draft"), errno);
	} else {
		/* A file is UTF-8 whatever the locale: it goes to an editor, a wiki or a web page. */
		const char *step = NULL;
		int r = cli_write_new_file(o->output, draft, strlen(draft), o->force, &step);
		char *shown = charset_from_locale(o->output, strlen(o->output));
		if (r == -EEXIST && !o->force) {
			fprintf(cli_err,
			        _("mamori: will not overwrite an existing file (--force replaces it): '%s'\n"),
			        shown);
			status = 1;
		} else if (r < 0) {
			fprintf(cli_err, _("mamori: writing '%s' failed (%s): %s\n"), shown, step,
			        strerror(-r));
			status = 1;
		} else {
			fprintf(cli_out, _("mamori: wrote the draft to '%s': edit it, then publish it.\n"),
			        shown);
		}
		free(shown);
	}
	free(draft);
	return status;
}

/*
 * --company NAME into the session's answers when it can be written (the
 * next sessions carry it): told on stderr when it cannot.  a is opened here,
 * writable but not created; on return it is open (read-only or not) or
 * zeroed with -errno returned.
 */
static int cli_report_open(struct answers *a, const struct doc *d, const char *path, const char *company)
{
	int r = answers_open(a, path, d, company ? 0 : ANSWERS_READONLY);

	if (r < 0 || !company)
		return r;
	if (a->readonly) {
		cli_error(_("the company name is not kept in the session: "), a->readonly_reason);
		return 0;
	}
	if (a->company && strcmp(a->company, company) == 0)
		return 0;
	answers_format_set_company(a, company);
	if (answers_save(a) < 0)
		cli_error(_("the company name is not kept in the session: "), answers_error(a));
	return 0;
}

int cli_report(const struct cli_options *o)
{
	struct doc d;
	struct answers a;
	struct report_model m;
	struct sessions_choice choice = { o->answers, SESSIONS_LATEST, 1, time(NULL) };
	struct report_options ro = { o->width ? o->width : 80, o->cp932 };
	enum report_format f =
		o->format ? (enum report_format)report_format_parse(o->format) : REPORT_TEXT;
	char *dir = NULL, *path = NULL, *msg = NULL;
	/* The name as typed is in the locale's charset; the model is UTF-8. */
	char *company = o->company ? charset_from_locale(o->company, strlen(o->company)) : NULL;
	int status = cli_load_content(&d, o), r;

	memset(&a, 0, sizeof a);
	a.fd = -1;
	memset(&m, 0, sizeof m);
	if (status != 0)
		goto out;
	if (sessions_choose(&choice, &d, &dir, &path, &msg) < 0) {
		cli_error("", msg);
		status = 1;
		goto out;
	}
	if (path && cli_report_open(&a, &d, path, company) < 0) {
		cli_error("", answers_error(&a));
		status = 1;
		goto out;
	}
	if (!path && company)
		cli_error("", "no session yet: the company name is used for this report only");
	cli_answers_diags(&a);
	report_model_session(&m, &d, path ? &a : NULL, dir, path, company, time(NULL), NULL);
	if (o->output) {
		r = report_write_file(o->output, &m, f, &ro, o->force);
		char *shown = charset_from_locale(o->output, strlen(o->output));
		if (r == -EEXIST)
			fprintf(cli_err,
			        _("mamori: will not overwrite an existing file (--force replaces it): '%s'\n"),
			        shown);
		else if (r < 0)
			fprintf(cli_err, _("mamori: writing '%s' failed: %s\n"), shown, strerror(-r));
		else
			fprintf(cli_out, _("mamori: wrote the report to '%s'\n"), shown);
		free(shown);
		status = r < 0;
	} else {
		/* Text and Markdown are read: in the locale's charset.  CSV and HTML declare their own. */
		FILE *out = f == REPORT_TEXT || f == REPORT_MD ? cli_out : stdout;
		r = report_write(out, &m, f, &ro);
		if (r < 0) {
			status = cli_write_failed(_("the report"), -r);
		}
	}
out:
	report_model_free(&m);
	answers_close(&a);
	free(company);
	free(dir);
	free(path);
	free(msg);
	doc_free(&d);
	return status;
}

/* ------------------------------------------------------------------ --merge */

/*
 * Tell each line of msg (problems found in the inputs, one a line,
 * "FILE:LINE: message"), made safe.
 */
static void cli_merge_problems(const char *msg)
{
	while (msg && *msg) {
		const char *nl = strchr(msg, '\n');
		size_t n = nl ? (size_t)(nl - msg) : strlen(msg);
		char *line = xstrndup(msg, n);
		cli_error("", line);
		free(line);
		msg += nl ? n + 1 : n;
	}
}

/*
 * Write the merged answers (text, len bytes) to path as a new file, mode
 * 0600 like every answers file: a complete temp file beside it takes the
 * name by link (never over an existing name) or, with force, by rename
 * (which replaces the name itself: a symlink there is refused before, so
 * nothing is written through one).  Returns 0 or -errno with *step set.
 */
static int cli_merge_write(const char *path, const char *text, size_t len, int force, const char **step)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	char *tmp = NULL;
	int r = 0, fd = -1;
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	free(dir);
	*step = "open its directory";
	if (dirfd < 0)
		return -errno;
	if (!*base) {
		r = -EISDIR;
		goto out;
	}
	safefile_clean_temps(dirfd, base);
	if ((fd = safefile_temp(dirfd, base, text, len, &tmp, step)) < 0) {
		r = fd;
		goto out;
	}
	if (force) {
		*step = "rename";
		if (renameat(dirfd, tmp, dirfd, base) < 0)
			r = -errno;
	} else {
		*step = "link";
		if (linkat(dirfd, tmp, dirfd, base, 0) < 0)
			r = -errno;
	}
	/* Before close: the lock keeps other cleaners off a temp still in use. */
	if (r < 0 || !force)
		unlinkat(dirfd, tmp, 0);
	if (r == 0) {
		*step = "sync its directory";
		r = safefile_sync_dir(dirfd);
	}
out:
	if (fd >= 0)
		close(fd);
	free(tmp);
	close(dirfd);
	return r;
}

/*
 * Whether --into may take path: refused (1, told) when it is one of the
 * inputs, not a regular file (a symlink included), held by a running
 * mamori, or exists without --force.
 */
static int cli_merge_into_refused(const struct cli_options *o, const struct answers *in, size_t n)
{
	struct stat st, ist;

	if (lstat(o->into, &st) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (stat(in[i].path, &ist) == 0 && ist.st_dev == st.st_dev && ist.st_ino == st.st_ino) {
			cli_error_arg(_("will not write over one of the files being merged:"), o->into);
			return 1;
		}
	if (!S_ISREG(st.st_mode)) {
		cli_error_arg(_("will not replace what is not a regular file:"), o->into);
		return 1;
	}
	if (!o->force) {
		cli_error_arg(_("will not overwrite an existing file (--force replaces it):"), o->into);
		return 1;
	}
	struct answers probe;
	char *err = NULL;
	if (merge_load(&probe, AT_FDCWD, o->into, NULL, &err) == -EBUSY) {
		cli_error("", err);
		answers_close(&probe);
		free(err);
		return 1;
	}
	answers_close(&probe);
	free(err);
	return 0;
}

/* The merged answers into --into FILE.  Returns the exit status. */
static int cli_merge_into(const struct cli_options *o, const struct doc *d, const struct merge *m,
                          struct answers *const *p)
{
	static const char header[] = "mamori-answers 2\n";
	struct answers out;
	char *text = NULL;
	size_t len = 0;
	const char *step = NULL;

	answers_parse_buffer(&out, o->into, header, sizeof header - 1, d);
	merge_apply(m, d, p, &out);
	answers_serialize(&out, &text, &len);
	answers_close(&out);
	int r = cli_merge_write(o->into, text, len, o->force, &step);
	free(text);
	char *shown = charset_from_locale(o->into, strlen(o->into));
	if (r == -EEXIST)
		fprintf(cli_err,
		        _("mamori: will not overwrite an existing file (--force replaces it): '%s'\n"),
		        shown);
	else if (r < 0)
		fprintf(cli_err, _("mamori: writing '%s' failed (%s): %s\n"), shown, step, strerror(-r));
	else
		fprintf(cli_out, _("mamori: merged %zu files into '%s' (%zu items differ)\n"), m->ninputs,
		        shown, m->ndiffer);
	free(shown);
	return r < 0;
}

/* The merged answers as a new session in the sessions directory.  Returns the exit status. */
static int cli_merge_session(const struct doc *d, const struct merge *m, struct answers *const *p)
{
	struct answers out;
	char *dir = NULL, *path = NULL, *msg = NULL;
	int status = 1, dirfd = -1, created = 0, r;

	memset(&out, 0, sizeof out);
	out.fd = -1;
	if ((r = sessions_default_dir(&dir, &msg)) < 0 || (dirfd = sessions_open_dir(dir, 1, &msg)) < 0 ||
	    (r = sessions_new_at(dirfd, dir, NULL, d, time(NULL), &path, &msg)) < 0) {
		cli_error("", msg);
		goto out;
	}
	const char *base = strrchr(path, '/');
	created = 1;
	if (answers_openat(&out, dirfd, base ? base + 1 : path, path, d, 0) < 0 || out.readonly) {
		cli_error(_("cannot write the new session: "),
		          out.readonly ? out.readonly_reason : answers_error(&out));
		goto out;
	}
	merge_apply(m, d, p, &out);
	if ((r = answers_save(&out)) < 0) {
		cli_error("", answers_error(&out));
		goto out;
	}
	created = 0;
	char *shown = text_sanitize(path, strlen(path));
	fprintf(cli_out, _("mamori: merged %zu files into the new session '%s' (%zu items differ)\n"),
	        m->ninputs, shown, m->ndiffer);
	free(shown);
	status = 0;
out:
	answers_close(&out);
	/* A session made for the merge that did not get it: not left behind empty. */
	if (created) {
		const char *name = strrchr(path, '/');
		sessions_delete_at(dirfd, name ? name + 1 : path, 0, NULL);
	}
	if (dirfd >= 0)
		close(dirfd);
	free(dir);
	free(path);
	free(msg);
	return status;
}

int cli_merge(const struct cli_options *o)
{
	struct doc d;
	size_t n = (size_t)o->nmerge, loaded = 0;
	struct answers *in = xcalloc(n, sizeof *in);
	struct answers **p = xcalloc(n, sizeof *p);
	struct merge m;
	char *err = NULL;
	int status = cli_load_content(&d, o);

	memset(&m, 0, sizeof m);
	if (status != 0)
		goto out;
	/* Every input is read, and every problem told, before anything is written. */
	size_t ok = 0;
	for (; loaded < n; loaded++) {
		if (merge_load(&in[loaded], AT_FDCWD, o->merge_files[loaded], &d, &err) < 0) {
			cli_error("", err);
			status = 1;
		} else {
			p[ok++] = &in[loaded];
		}
	}
	/* The problems inside the files that could be read are told too (then nothing is merged). */
	if (ok && merge_build(&m, &d, p, ok, &err) < 0) {
		cli_merge_problems(err);
		status = 1;
	}
	if (status != 0) {
		cli_error("", _("nothing merged, nothing written: correct the inputs above"));
		goto out;
	}
	/* The absolute path goes in the source line, so a re-merge finds it from anywhere. */
	for (size_t i = 0; i < n; i++) {
		char *abs = realpath(o->merge_files[i], NULL);
		if (abs) {
			free(m.paths[i]);
			m.paths[i] = abs;
		}
	}
	if (o->show) {
		struct buf b = { 0 };
		int width = o->width ? o->width : isatty(STDOUT_FILENO) ? cli_terminal_width() : 80;
		merge_show(&b, &m, &d, width);
		fputs(b.s, cli_out);
		buf_free(&b);
		errno = 0;
		if (fflush(cli_out) != 0 || ferror(cli_out))
			status = cli_write_failed(_("the table"), errno);
	}
	if (status == 0 && o->into && !cli_merge_into_refused(o, in, n))
		status = cli_merge_into(o, &d, &m, p);
	else if (status == 0 && o->into)
		status = 1;
	else if (status == 0 && o->merge_session)
		status = cli_merge_session(&d, &m, p);
out:
	merge_free(&m);
	for (size_t i = 0; i < loaded; i++)
		answers_close(&in[i]);
	free(in);
	free(p);
	free(err);
	doc_free(&d);
	return status;
}
