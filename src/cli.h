/*
 * cli: the command line.  Parsing the options, the output every mode
 * writes through (stdout and stderr, in the locale's charset), and one
 * function per non-interactive mode (--help, --version, --check-content,
 * --list, --dump, --progress, --policy-draft, --report, --merge).  The interactive mode is main.c's: it is
 * the only one that needs the UI.  Each mode returns the exit status:
 * 0 on success, 1 on bad content or a failed write, 2 on bad usage or a
 * terminal that cannot be used.  A pipe closed by its reader (`| head`)
 * ends a mode quietly with 0.  Content with only warnings (see
 * doc_load) is shown, with one line about it on stderr; --check-content
 * alone fails on warnings.
 */
#ifndef MAMORI_CLI_H
#define MAMORI_CLI_H

#include "core/sessions.h"

struct answers;
struct doc;

enum cli_mode {
	CLI_UI,
	CLI_LIST,
	CLI_DUMP,
	CLI_CHECK,
	CLI_PROGRESS,
	CLI_POLICY_DRAFT,
	CLI_REPORT,
	CLI_ASK,
	CLI_MERGE,
	CLI_HELP,
	CLI_VERSION
};

/* What the command line asked for; the strings point into argv. */
struct cli_options {
	enum cli_mode mode;
	const char *content;     /* --content DIR or --check-content DIR, or NULL for the default */
	const char *dump;        /* --dump: a page id or "all" */
	int width;               /* --width in columns, or 0 for the terminal's */
	const char *page;        /* --page ID, or NULL */
	int no_color;            /* --no-color, or NO_COLOR set and not empty */
	const char *answers;     /* --answers FILE, or NULL */
	enum sessions_pick pick; /* --new-session[=empty|carry], else SESSIONS_LATEST */
	int tsv;                 /* --format tsv */
	const char *charset;     /* --charset NAME, or NULL */
	int ambiguous_wide;      /* --ambiguous-width=2 */
	int markdown;            /* --format md */
	const char *company;     /* --company NAME (the locale's charset), or NULL */
	const char *output;      /* --output FILE, or NULL for stdout */
	int force;               /* --force: --output may replace an existing file */
	const char *format;      /* --format as given (--report reads it: text, md, html, csv), or NULL */
	int cp932;          /* --report --format csv with --charset SHIFT_JIS/CP932: the CSV in CP932 */
	const char *ask;    /* --ask GROUP|all (see ask.h), or NULL */
	int with_answers;   /* --dump --with-answers: each item's state, id and note */
	char **merge_files; /* --merge FILE...: the answers files to combine (into argv) */
	int nmerge;
	const char *into;  /* --merge --into FILE, or NULL */
	int merge_session; /* --merge --new-session: into a new session */
	int show;          /* --merge --show: print the departments side by side */
};

/*
 * Parse argv into o.  Returns 0, or 2 (the exit status) after telling on
 * stderr what is wrong, the offending argument made safe.
 */
int cli_parse(struct cli_options *o, int argc, char **argv);

/*
 * After charset_setup: when the locale the environment names is not
 * installed but a UTF-8 one stood in for it, messages still come in its
 * language (LC_MESSAGES and LANGUAGE, see cli.c).  cli_start and the usage
 * errors call it; main calls it before the first message is translated.
 */
void cli_messages_locale(void);

/*
 * Set up the locale (o->charset) and the output.  *note is NULL or a
 * malloc'd line for the first status line (the locale fallback; caller
 * frees).  Returns 0, or the exit status after telling why.
 */
int cli_start(const struct cli_options *o, char **note);

/*
 * Write out what the modes wrote (converted to the locale's charset when
 * that is not UTF-8) and release the charset.  Returns status, or 1 when
 * writing failed and status was 0.
 */
int cli_finish(int status);

/* 1 when the output is folded and converted (a legacy charset, or --ambiguous-width=2). */
int cli_converting(void);

/*
 * A write of what (a noun for the message: "the questions") failed with
 * err, an errno value: says so on stderr and returns 1, or returns 0
 * quietly when the reader of a pipe went away (EPIPE), which cli_finish
 * then does not report either.  For modes that write stdout themselves.
 */
int cli_write_failed(const char *what, int err);

/*
 * Load the content o names into d, folded for the output when
 * cli_converting().  Returns 0, or 1 with the problems told.  Call
 * doc_free(d) in every case.
 */
int cli_load_content(struct doc *d, const struct cli_options *o);

/* Tell "mamori: PREFIXMSG" on the error output; msg (UTF-8, may be NULL) is made safe. */
void cli_error(const char *prefix, const char *msg);

/* Tell "mamori: WHAT 'ARG'", arg as typed on the command line (in the locale's charset). */
void cli_error_arg(const char *what, const char *arg);

/* Tell each problem answers_open found in the answers file ("FILE:LINE: ..."). */
void cli_answers_diags(const struct answers *a);

/* The largest terminal, in lines and in columns, that mamori agrees to draw. */
#define CLI_MAX_TERMINAL 1000

/*
 * Refuse an impossible terminal size before anything is drawn: LINES or
 * COLUMNS above CLI_MAX_TERMINAL (curses would allocate for it: 30000 x
 * 30000 cells is 24 GB), or a terminal that says it is that large.
 * Returns 0, or 2 (the exit status) after a message that names the size.
 */
int cli_check_terminal_size(void);

/* The modes. */
int cli_help(void);
int cli_version(void);
int cli_check_content(const struct cli_options *o);
int cli_list(const struct cli_options *o);
int cli_dump(const struct cli_options *o);
int cli_progress(const struct cli_options *o);
int cli_policy_draft(const struct cli_options *o);
int cli_report(const struct cli_options *o);
int cli_merge(const struct cli_options *o);

#endif
