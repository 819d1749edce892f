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
#include <unistd.h>

#include "core/doc.h"
#include "core/paths.h"
#include "core/report.h"
#include "core/text.h"
#include "ui/ui.h"

enum mode { MODE_UI, MODE_LIST, MODE_DUMP, MODE_CHECK };

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
	      "  --no-color           do not use colour (NO_COLOR in the environment does the same)\n"
	      "  -h, --help           show this help and exit\n"
	      "  -V, --version        show the version and exit\n"
	      "\n"
	      "Keys in the reader: ? shows them all; q quits.\n"
	      "Exit status: 0 on success, 1 on bad content or a failed write, 2 on bad usage\n"
	      "or a terminal that cannot be used.\n", out);
}

/* Report a usage error: what is wrong, then the offending argument made safe to print. */
static int fail_usage(const char *what, const char *arg)
{
	char *safe = arg ? text_sanitize(arg, strlen(arg)) : NULL;
	fprintf(stderr, "mamori: %s%s%s%s\n", what, safe ? " '" : "", safe ? safe : "", safe ? "'" : "");
	fputs("Try 'mamori --help' for more information.\n", stderr);
	free(safe);
	return 2;
}

/*
 * With LANG unset or a locale that is not installed, the codeset is ASCII
 * and ncursesw would draw every Japanese character as nothing.  Switch the
 * character type to a UTF-8 locale that exists, and say so.
 */
static const char *fix_locale(void)
{
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	if (strcmp(cs, "ANSI_X3.4-1968") != 0 && strcmp(cs, "ASCII") != 0)
		return NULL;
	static const char *const fallbacks[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8", "ja_JP.UTF-8" };
	for (size_t i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++)
		if (setlocale(LC_CTYPE, fallbacks[i]))
			return fallbacks[i];
	return NULL;
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

static int load_content(struct doc *d, const char *dir, int quiet_ok)
{
	int r = doc_load(d, dir);
	if (r != 0) {
		report_diags(stderr, d);
		if (!quiet_ok)
			fprintf(stderr, "mamori: the content has %zu problem%s (see above)\n",
				d->ndiags, d->ndiags == 1 ? "" : "s");
	}
	return r;
}

int main(int argc, char **argv)
{
	enum { OPT_PAGE = 256, OPT_LIST, OPT_DUMP, OPT_WIDTH, OPT_CONTENT, OPT_CHECK, OPT_NO_COLOR };
	static const struct option longopts[] = {
		{ "page", required_argument, NULL, OPT_PAGE },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "dump", required_argument, NULL, OPT_DUMP },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "content", required_argument, NULL, OPT_CONTENT },
		{ "check-content", optional_argument, NULL, OPT_CHECK },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum mode mode = MODE_UI;
	const char *content = NULL, *dump = NULL;
	struct ui_options uo = { 0 };
	int width = 0, c;

	const char *switched = fix_locale();
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
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("mamori %s\n"
			       "Content: 『中小企業の情報セキュリティ対策ガイドライン』(IPA) as summarised in\n"
			       "『中小企業いばらき』2022年9月号 (No.767), restated; see the 参考・出典 page.\n",
			       PACKAGE_VERSION);
			return 0;
		case '?':
		default:
			if (optopt)
				return fail_usage("unknown option", (char[]){ '-', (char)optopt, 0 });
			return fail_usage("unknown option, or one that needs an argument:", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail_usage("unexpected argument", argv[optind]);
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		uo.no_color = 1;

	struct doc d;
	const char *dir = paths_content_dir(content);
	int status = 0;

	switch (mode) {
	case MODE_CHECK:
		if (doc_load(&d, dir) != 0) {
			report_diags(stdout, &d);
			fprintf(stderr, "mamori: %zu problem%s in %s\n", d.ndiags,
				d.ndiags == 1 ? "" : "s", dir);
			status = 1;
		} else {
			printf("%s: %zu pages, %zu groups, %zu checklist items: OK\n",
			       dir, d.npages, d.ngroups, d.nitems);
		}
		break;
	case MODE_LIST:
		if (load_content(&d, dir, 0) != 0) {
			status = 1;
			break;
		}
		report_list(stdout, &d);
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
					fputs("\n\n", stdout);
				status = report_dump_page(stdout, &d, (int)i, w, NULL, NULL) ? 1 : 0;
			}
		} else {
			int p = doc_find_page(&d, dump);
			if (p < 0) {
				doc_free(&d);
				return fail_usage("no such page id (see mamori --list):", dump);
			}
			status = report_dump_page(stdout, &d, p, w, NULL, NULL) ? 1 : 0;
		}
		if (fflush(stdout) != 0 || status) {
			fprintf(stderr, "mamori: writing the dump failed: %s\n", strerror(errno));
			status = 1;
		}
		break;
	}
	case MODE_UI:
		if (load_content(&d, dir, 0) != 0) {
			status = 1;
			break;
		}
		if (uo.start_page && doc_find_page(&d, uo.start_page) < 0) {
			doc_free(&d);
			return fail_usage("no such page id (see mamori --list):", uo.start_page);
		}
		(void)switched;
		status = ui_run(&d, &uo);
		break;
	}
	doc_free(&d);
	return status;
}
