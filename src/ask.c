/*
 * ask: the line mode, `mamori --ask GROUP|all` (see ask.h): choosing the
 * questions, the prompts, reading and understanding the answer lines, and
 * saving each one at once.  Nothing here knows a terminal: it writes
 * lines and reads lines, so a screen reader, a braille display, TERM=dumb
 * and a pipe all get the same plain text.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "ask.h"
#include "cli.h"
#include "core/answers.h"
#include "core/charset.h"
#include "core/doc.h"
#include "core/i18n.h"
#include "core/progress.h"
#include "core/resume.h"
#include "core/sessions.h"
#include "core/text.h"
#include "core/util.h"

/* One answer a question takes: the number, the word, what it means. */
struct ask_choice {
	const char *number, *word;
	enum answer_state state;
	const char *label; /* English, translated where shown */
};

/* The diagnosis' four answers, in the order and with the numbers of IPA's sheet. */
static const struct ask_choice ask_question_choices[] = {
	{ "1", "yes", ANSWER_YES, N_("in place") },
	{ "2", "partly", ANSWER_PARTLY, N_("partly") },
	{ "3", "no", ANSWER_NO, N_("not in place") },
	{ "4", "unknown", ANSWER_UNKNOWN, N_("don't know") },
};

/* A checklist item's three answers. */
static const struct ask_choice ask_check_choices[] = {
	{ "1", "done", ANSWER_DONE, N_("done") },
	{ "2", "todo", ANSWER_TODO, N_("not yet") },
	{ "3", "na", ANSWER_NA, N_("not applicable") },
};

/* Names for several groups at once, by kind (a group id is tried first). */
static const struct {
	const char *name;
	enum group_kind kind;
} ask_kind_names[] = {
	{ "diagnosis", GROUP_DIAGNOSIS }, { "principles", GROUP_PRINCIPLE },
	{ "principle", GROUP_PRINCIPLE }, { "actions", GROUP_ACTION },
	{ "action", GROUP_ACTION },       { "articles", GROUP_ARTICLE },
	{ "article", GROUP_ARTICLE },     { "policy", GROUP_POLICY },
};

/* What one line says. */
enum ask_verdict {
	ASK_BAD,   /* not an answer to this question */
	ASK_SET,   /* a state (and maybe a note) */
	ASK_SKIP,  /* s, or an empty line: leave it as it is */
	ASK_STOP,  /* q */
	ASK_CLEAR, /* c: no answer any more (the note stays) */
};

struct ask {
	const struct doc *d;
	struct answers *a;
	int ambiguous_wide; /* fold for --ambiguous-width=2 */
	int tty_in;         /* stdin is a terminal: a bad line is asked again */
	size_t *items, nitems;
	long line; /* lines read so far */
	char *raw; /* getline's buffer */
	size_t raw_cap;
	size_t saved, notes, skipped, bad;
	int out_failed; /* stdout is gone (a closed pipe): stop asking */
	int out_status; /* and the exit status that makes: 0 for a closed pipe, else 1 */
};

/*
 * Print a formatted UTF-8 line to f in the locale's charset, at once: the
 * reader must see the question before mamori waits for its answer.
 */
static void ask_say(struct ask *k, FILE *f, const char *fmt, ...) UTIL_PRINTF(3, 4);
static void ask_say(struct ask *k, FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	errno = 0;
	if ((charset_fputs(s, f, k->ambiguous_wide) < 0 || fflush(f) != 0) && f == stdout &&
	    !k->out_failed) {
		/* A reader that went away (`| head`) is no failure of ours: status 0, nothing said. */
		k->out_status = cli_write_failed(_("the questions"), errno);
		k->out_failed = 1;
	}
	free(s);
}

/* A string from a file or the user, made safe to print (controls in visible form). */
static char *ask_safe(const char *s)
{
	return text_sanitize(s, strlen(s));
}

/*
 * The items o->ask names, in content order: the groups first (all, a group
 * id, or a kind's name), then their items.  Returns 0, or -1 when the name
 * names nothing.
 */
static int ask_select(struct ask *k, const char *name)
{
	const struct doc *d = k->d;
	int kind = -1, one = -1;

	if (strcmp(name, "all") != 0 && (one = doc_find_group(d, name)) < 0) {
		for (size_t i = 0; i < sizeof ask_kind_names / sizeof ask_kind_names[0]; i++)
			if (strcasecmp(name, ask_kind_names[i].name) == 0)
				kind = (int)ask_kind_names[i].kind;
		if (kind < 0)
			return -1;
	}
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct group *gr = &d->groups[g];
		if ((one >= 0 && (size_t)one != g) || (kind >= 0 && (int)gr->kind != kind))
			continue;
		k->items = xreallocarray(k->items, k->nitems + gr->nitems, sizeof *k->items);
		memcpy(k->items + k->nitems, gr->items, gr->nitems * sizeof *gr->items);
		k->nitems += gr->nitems;
	}
	return 0;
}

static const struct ask_choice *ask_choices(int question, size_t *n)
{
	*n = question ? sizeof ask_question_choices / sizeof ask_question_choices[0]
	              : sizeof ask_check_choices / sizeof ask_check_choices[0];
	return question ? ask_question_choices : ask_check_choices;
}

/* The label of a state the item can have, translated. */
static const char *ask_state_label(enum answer_state st, int question)
{
	size_t n;
	const struct ask_choice *c = ask_choices(question, &n);

	for (size_t i = 0; i < n; i++)
		if (c[i].state == st)
			return _(c[i].label);
	return _("not answered");
}

/* The choices line: "1 in place / 2 partly / ... / s skip / q stop". */
static void ask_say_choices(struct ask *k, int question)
{
	size_t n;
	const struct ask_choice *c = ask_choices(question, &n);
	struct buf b = { 0 };

	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s %s / ", c[i].number, _(c[i].label));
	buf_printf(&b, "%s\n", _("c clear / s skip / q stop"));
	ask_say(k, stdout, "%s", b.s);
	buf_free(&b);
}

/* The question numbered i (0-based) of the selection, with its group when that changes. */
static void ask_say_question(struct ask *k, size_t i)
{
	const struct item *it = &k->d->items[k->items[i]];
	const struct group *g = &k->d->groups[it->group];
	const struct answer *e = answers_find_item(k->a, k->items[i]);

	if (i == 0 || k->d->items[k->items[i - 1]].group != it->group) {
		char *title = ask_safe(g->title);
		ask_say(k, stdout, "\n== %s (%s) ==\n", title, g->id);
		free(title);
	}
	char *text = ask_safe(it->text);
	ask_say(k, stdout, "\n[%zu/%zu] %s\n%s\n", i + 1, k->nitems, it->id, text);
	free(text);
	ask_say(k, stdout, _("Now: %s\n"), ask_state_label(e ? e->state : ANSWER_NONE, it->question));
	if (e && e->note && *e->note) {
		char *note = ask_safe(e->note);
		ask_say(k, stdout, _("Note: %s\n"), note);
		free(note);
	}
	ask_say_choices(k, it->question);
}

/* Bytes of the blank (ASCII space or U+3000 IDEOGRAPHIC SPACE) at s, or 0. */
static size_t ask_blank(const char *s)
{
	if (*s == ' ')
		return 1;
	if (strncmp(s, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

/*
 * The answer word at the start of s, with full-width letters and digits
 * (what a Japanese input method types: "１", "ｑ") made ASCII and lowered,
 * into word (at most size - 1 bytes; a longer word is cut and so never
 * matches).  Returns where the word ends in s.
 */
static const char *ask_word(const char *s, char *word, size_t size)
{
	size_t o = 0;

	while (*s && !ask_blank(s)) {
		size_t i = 0;
		uint32_t cp = text_decode(s, strlen(s), &i);
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		if (o + 1 < size)
			word[o++] = cp < 0x80 ? (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp) : '\x7f';
		s += i ? i : 1;
	}
	word[o] = '\0';
	return s;
}

/*
 * What the line (UTF-8, sanitised, no newline) says to the item: *st and
 * *note (a pointer into line, "" when none) for ASK_SET.
 */
static enum ask_verdict ask_parse(char *line, int question, enum answer_state *st, const char **note)
{
	char word[16];
	size_t n, b;
	const struct ask_choice *c = ask_choices(question, &n);

	while ((b = ask_blank(line)) > 0)
		line += b;
	const char *rest = ask_word(line, word, sizeof word);
	while ((b = ask_blank(rest)) > 0)
		rest += b;
	/* The note ends before trailing blanks (answers_set drops them too). */
	*note = rest;
	if (!*word)
		return ASK_SKIP;
	if (strcmp(word, "s") == 0 || strcmp(word, "skip") == 0)
		return *rest ? ASK_BAD : ASK_SKIP;
	if (strcmp(word, "q") == 0 || strcmp(word, "quit") == 0)
		return *rest ? ASK_BAD : ASK_STOP;
	if (strcmp(word, "c") == 0 || strcmp(word, "clear") == 0)
		return *rest ? ASK_BAD : ASK_CLEAR;
	for (size_t i = 0; i < n; i++)
		if (strcmp(word, c[i].number) == 0 || strcmp(word, c[i].word) == 0) {
			*st = c[i].state;
			return ASK_SET;
		}
	return ASK_BAD;
}

/*
 * Save st (and note when not NULL) for item i of the selection, as the
 * reader saves.  Returns 0, or -1 after saying why it could not be saved.
 */
static int ask_save(struct ask *k, size_t i, enum answer_state st, const char *note)
{
	const struct item *it = &k->d->items[k->items[i]];
	int r = answers_set(k->a, it->id, st, note, time(NULL));

	if (r < 0) {
		char *why = ask_safe(answers_error(k->a));
		ask_say(k, stderr, _("mamori: %s was not saved: %s\n"), it->id, why);
		free(why);
		return -1;
	}
	if (r & ANSWERS_SAVED_UNSYNCED) {
		char *why = ask_safe(answers_error(k->a));
		ask_say(k, stderr, _("mamori: warning: %s\n"), why);
		free(why);
	} else if (r & ANSWERS_SAVED_RELOADED) {
		ask_say(k, stderr,
		        _("mamori: the answers file had been changed by someone else: it was read "
		          "again and this answer saved on top of it\n"));
	}
	k->saved++;
	if (note && *note)
		k->notes++;
	return 0;
}

/*
 * Read one line from stdin into *buf as sanitised UTF-8 without its line
 * end (tabs become blanks: they separate the note as blanks do).  Returns
 * 1, or 0 at the end of the input (or a read error: there is nothing more
 * to read either way).
 */
static int ask_read(struct ask *k, char **buf)
{
	ssize_t n = getline(&k->raw, &k->raw_cap, stdin);
	char *raw = k->raw;

	free(*buf);
	*buf = NULL;
	if (n < 0)
		return 0;
	k->line++;
	while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (raw[i] == '\t')
			raw[i] = ' ';
	*buf = charset_from_locale(raw, (size_t)n);
	return 1;
}

/* The closing lines: what was saved where, and the score when questions were asked. */
static void ask_report(struct ask *k, size_t asked, int stopped)
{
	char *where = ask_safe(k->a->path ? k->a->path : "");
	int questions = 0;

	ask_say(k, stdout, "\n");
	if (stopped)
		ask_say(k, stdout, _("Stopped at question %zu of %zu.\n"), asked + 1, k->nitems);
	else if (asked < k->nitems)
		ask_say(k, stdout, _("The input ended at question %zu of %zu.\n"), asked + 1, k->nitems);
	if (k->saved)
		ask_say(k, stdout,
		        ngettext_("Saved %zu answer (%zu with a note) in %s.\n",
		                  "Saved %zu answers (%zu with a note) in %s.\n", k->saved),
		        k->saved, k->notes, where);
	else
		ask_say(k, stdout, _("Nothing was saved in %s.\n"), where);
	if (k->skipped || k->bad)
		ask_say(k, stdout, _("Skipped: %zu; not understood: %zu.\n"), k->skipped, k->bad);
	for (size_t i = 0; i < k->nitems; i++)
		questions |= k->d->items[k->items[i]].question;
	if (questions) {
		struct progress p;
		progress_compute(&p, k->d, k->a);
		if (p.answered)
			ask_say(k, stdout,
			        _("自社診断 score: %d (of %d to 100); %zu of %zu questions answered.\n"),
			        p.score, p.score_min, p.answered, p.questions);
		progress_free(&p);
	}
	free(where);
}

/* Ask every item of the selection in turn; the exit status (see ask.h). */
static int ask_loop(struct ask *k)
{
	char *line = NULL;
	size_t i = 0;
	int status = 0, stopped = 0, again = 0;

	ask_say(k, stdout,
	        _("mamori --ask: %zu questions. Answer each with its number or word; s skips, "
	          "q stops. A note may follow the answer after a blank. Each answer is saved at "
	          "once.\n"),
	        k->nitems);
	while (i < k->nitems && !k->out_failed) {
		const struct item *it = &k->d->items[k->items[i]];
		enum answer_state st = ANSWER_NONE;
		const char *note = NULL;

		if (again)
			ask_say_choices(k, it->question);
		else
			ask_say_question(k, i);
		ask_say(k, stdout, "> ");
		again = 0;
		if (!ask_read(k, &line)) {
			if (ferror(stdin)) {
				ask_say(k, stderr, _("mamori: reading the answers failed: %s\n"),
				        strerror(errno ? errno : EIO));
				status = 1;
			}
			break;
		}
		/* A pipe's line is not echoed by a terminal: show it, so the transcript reads. */
		if (!k->tty_in)
			ask_say(k, stdout, "%s\n", line);
		switch (ask_parse(line, it->question, &st, &note)) {
		case ASK_STOP:
			stopped = 1;
			break;
		case ASK_SKIP:
			k->skipped++;
			i++;
			break;
		case ASK_CLEAR:
			st = ANSWER_NONE;
			note = NULL;
			/* fall through */
		case ASK_SET:
			if (ask_save(k, i, st, note && *note ? note : NULL) < 0) {
				status = 1;
				stopped = 1;
				break;
			}
			i++;
			break;
		case ASK_BAD:
			k->bad++;
			if (k->tty_in) {
				ask_say(k, stderr,
				        _("mamori: line %ld: '%s' is not an answer to %s; "
				          "answer again\n"),
				        k->line, line, it->id);
				again = 1;
			} else {
				ask_say(k, stderr,
				        _("mamori: line %ld: '%s' is not an answer to %s; it is skipped\n"),
				        k->line, line, it->id);
				status = 1;
				i++;
			}
			break;
		}
		if (stopped)
			break;
	}
	free(line);
	if (!k->out_failed)
		ask_report(k, i, stopped);
	return status;
}

int ask_run(const struct cli_options *o)
{
	struct doc d;
	struct answers a;
	struct sessions_choice choice = { o->answers, o->pick, 0, time(NULL) };
	struct ask k = { 0 };
	char *dir = NULL, *path = NULL, *msg = NULL;
	int dirfd = -1, status = cli_load_content(&d, o);

	memset(&a, 0, sizeof a);
	a.fd = -1;
	if (status != 0)
		goto out;
	k.d = &d;
	k.a = &a;
	k.ambiguous_wide = o->ambiguous_wide;
	k.tty_in = isatty(STDIN_FILENO);
	if (ask_select(&k, o->ask) < 0) {
		cli_error_arg(_("--ask takes all, diagnosis, five-articles, principles, actions, "
		                "policy or a group id, not"),
		              o->ask);
		status = 2;
		goto out;
	}
	if (k.nitems == 0) {
		cli_error_arg(_("the content has no question to ask in"), o->ask);
		status = 1;
		goto out;
	}
	/* The session the reader would open, found and opened the way the reader does. */
	if (sessions_choose_at(&choice, &d, &dir, &path, &dirfd, &msg) < 0) {
		cli_error("", msg);
		status = 1;
		goto out;
	}
	/* The session the reader used last while it is there, as the reader picks it (main.c). */
	if (!o->answers && o->pick == SESSIONS_LATEST && dirfd >= 0) {
		struct resume rs = { .focus_block = -1 };
		char *state_dir = NULL, *state_msg = NULL;
		if (resume_default_dir(&state_dir, &state_msg) == 0 &&
		    resume_load(&rs, state_dir, &state_msg) == 1)
			resume_pick_session(&rs, dirfd, dir, &path);
		resume_free(&rs);
		free(state_dir);
		free(state_msg);
	}
	const char *base = strrchr(path, '/');
	int r = dirfd >= 0 ? answers_openat(&a, dirfd, base ? base + 1 : path, path, &d, ANSWERS_CREATE)
	                   : answers_open(&a, path, &d, ANSWERS_CREATE);
	if (r < 0) {
		cli_error("", answers_error(&a));
		status = 1;
		goto out;
	}
	cli_answers_diags(&a);
	if (a.readonly) {
		cli_error(_("the answers cannot be saved: "), a.readonly_reason);
		status = 1;
		goto out;
	}
	status = ask_loop(&k);
	if (k.out_status && status == 0)
		status = k.out_status;
out:
	answers_close(&a);
	if (dirfd >= 0)
		close(dirfd);
	free(k.items);
	free(k.raw);
	free(dir);
	free(path);
	free(msg);
	doc_free(&d);
	return status;
}
