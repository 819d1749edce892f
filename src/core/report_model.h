/*
 * report_model: the one model of `mamori --report`, built from a doc and a
 * session's answers (and, optionally, the previous session's answers), that
 * every writer draws from: text, Markdown and CSV (report_write.h), HTML
 * (report_html.h).  A writer decides only the layout; every fact and every
 * Japanese word of it (state names, band wording, headings of the kinds)
 * is decided here.  No output and no curses.
 *
 * Strings: every char * in the model is UTF-8 and sanitised (text_sanitize:
 * no control or bidi characters), never NULL ("" when absent), and NOT
 * escaped for any format: a writer escapes for its own syntax (HTML, CSV,
 * Markdown).  Notes are typed by users: treat them as hostile.  Strings
 * and arrays are owned by the model (report_model_free), even those that
 * read like the doc's.  The model does not point into the doc or the
 * answers: both may be freed once it is built.
 */
#ifndef MAMORI_REPORT_MODEL_H
#define MAMORI_REPORT_MODEL_H

#include <stddef.h>
#include <time.h>

#include "core/answers_format.h"
#include "core/doc.h"
#include "core/progress.h"

struct answers;
struct merge;

/* One group (a principle, an action, the 5か条, the policy, a 自社診断 part): a bar. */
struct report_group {
	int group;            /* index in doc.groups */
	enum group_kind kind; /* which heading it comes under (see report_model_kind_title) */
	char *id;             /* "principle-1" (for scripts and CSV; never shown alone) */
	char *title;  /* "原則1 ..." for principles and actions (their page title), else the group's */
	size_t total; /* items in the group */
	size_t done;  /* done items (answered questions for a 自社診断 part) */
	size_t applicable; /* total - na */
	size_t na;         /* 該当しない */
	int percent;       /* progress_percent(done, applicable): -1 when applicable is 0 */
	int has_prev;      /* 1 when the previous session is known: then prev_done and delta hold */
	size_t prev_done;
	size_t prev_applicable; /* the previous session's applicable: its bar is prev_done of this */
	long delta;             /* done - prev_done */
};

/* One item of the content, in content order (the CSV's rows). */
struct report_item {
	int item;     /* index in doc.items */
	int group;    /* index into m->groups (same order as doc.groups) */
	char *id;     /* "diag-07" */
	int number;   /* the No. of a 自社診断 question ("No.7 ..." in its text), else 0 */
	char *text;   /* the item's text (for a question, without its "No.N " prefix) */
	int question; /* 1 for a 自社診断 question */
	enum answer_state state;
	const char *state_name; /* Japanese: "実施していない", "済", "未回答", ... (static) */
	int points;             /* questions with an answer: 4 / 2 / 0 / -1 */
	int has_points;         /* 1 when points holds (an answered question) */
	char *note;             /* "" when none */
	char *owner;            /* "" until the answers file carries owners */
	char *due;              /* "" or YYYY-MM-DD, as written */
	char *time;             /* last change, ISO 8601 as written; "" when never answered */
};

/* A question to improve, worst first: 実施していない, then わからない, then 一部実施している. */
struct report_improve {
	size_t item; /* index into m->items */
	enum answer_state state;
	char *first_step; /* the はじめの一歩 from its 解説 ("" when the content has none), prefix removed */
};

/* What a star still lacks. */
struct report_lack {
	int stars;   /* 1 or 2 */
	char *title; /* an item's text, or the kind of group that is missing, by title */
	const char *reason; /* progress_reason_name: "未実施", "該当しないにしている", ... (static) */
	int item;     /* index into m->items, or -1 (a count of unanswered questions, a missing kind) */
	size_t count; /* for unanswered questions: how many (then item is -1); else 0 */
};

/* A note, overdue ones first, then content order. */
struct report_note {
	size_t item; /* index into m->items (its note, owner, due are there) */
	int overdue; /* 1 when due is before the day the report is written */
};

/*
 * An item that changed since the previous session (changes.h): its answer,
 * note, owner or due date.  The strings are sanitised copies, "" when the
 * item had none; a field that did not change is the same on both sides.
 */
struct report_change {
	size_t item; /* index into m->items */
	enum answer_state from, to;
	const char *from_name, *to_name; /* Japanese, static */
	char *note_from, *note_to;
	char *owner_from, *owner_to;
	char *due_from, *due_to;
};

/* One item of a merged session with each department's answer (the 部門別 table). */
struct report_dept_row {
	size_t item;               /* index into m->items */
	enum answer_state *states; /* one per department (m->departments order) */
	enum answer_state merged;  /* what the merge rules made of them (merge.h) */
	int differ;                /* 1 when the departments' answers are not all the same */
};

/* A line of the answers file the report could not place: an unknown id, or an unreadable line. */
struct report_stray {
	int line;   /* line in the file, 0 when unknown */
	int known;  /* 1: an id the content does not know (id set); 0: a line it could not read */
	char *id;   /* the unknown id, or "" */
	char *text; /* the state and note of an unknown id, or the unreadable line, sanitised */
};

struct report_model {
	/* Who, what, when. */
	char *company;      /* "" when not given */
	char *session;      /* session name ("2026-11-25-2") or the answers file's name; "" when none */
	char *respondent;   /* "" unless the answers file carries one */
	time_t written;     /* when the report is written (passed in) */
	char *written_text; /* "2026年11月25日 09:30" (local time) */
	char *edition;      /* the guideline's edition the content follows */
	char *source;       /* the content's source line */

	/* The 自社診断. */
	size_t questions;        /* 0: the content has none (then nothing below about it holds) */
	size_t answered;         /* answered questions; 0 means 未回答, not the lowest band */
	int score, score_min;    /* as progress.h computes; meaningful only when answered > 0 */
	enum progress_band band; /* PROGRESS_BAND_NONE when questions or answered is 0 */
	char *band_title;        /* progress_band_title, or "未回答" when answered is 0 */
	char *band_advice;       /* progress_band_advice, or "" when answered is 0 */
	int has_prev_score;      /* the previous session had answered questions */
	int prev_score;

	/* SECURITY ACTION readiness. */
	int star1, star2;          /* 1 when ready */
	struct report_lack *lacks; /* star 1 first, content order */
	size_t nlacks;

	/* Bars: every group in content order (writers group them by kind), then the whole. */
	struct report_group *groups;
	size_t ngroups;
	size_t done, applicable; /* overall */
	long delta;              /* overall done - previous overall done (has_prev) */

	struct report_item *items; /* every item, content order */
	size_t nitems;

	struct report_improve *improve; /* worst first, then content order */
	size_t nimprove;
	size_t *unticked; /* checklist items (not questions) neither done nor 該当しない: indices into items */
	size_t nunticked;
	struct report_note *notes;
	size_t nnotes;

	/* The change since the previous session. */
	int has_prev;
	char *prev_name; /* "2026-10-25" or "" */
	struct report_change *changes;
	size_t nchanges;

	struct report_stray *strays; /* file order */
	size_t nstrays;

	/*
	 * A merged session (its answers file has source lines, see merge.h):
	 * the departments' answers side by side, re-read from the sources.
	 */
	int merged;                        /* 1 when the session is a merge */
	char *department;                  /* the session's own department line, "" when none */
	size_t ndepartments;               /* the sources, in the file's order */
	char **departments;                /* each source's department */
	char **sources;                    /* each source's path, as recorded */
	struct report_dept_row *dept_rows; /* every item, content order; none when merge_error */
	size_t ndept_rows;
	size_t ndiffer;    /* rows whose departments differ */
	char *merge_error; /* "" or why the table is missing (a source cannot be read), sanitised */
};

/* What report_model_build reads. */
struct report_input {
	const struct doc *d;
	const struct answers *a;    /* the session; NULL: nothing answered */
	const struct answers *prev; /* the previous session over the same d, or NULL */
	const char *prev_name;      /* its name, or NULL */
	const char *session;        /* this session's name, or NULL */
	const char *company;        /* overrides the answers file's company line, or NULL */
	time_t now;                 /* when the report is written */
};

/* Build m from in.  Out of memory aborts.  Free with report_model_free (safe on a zeroed struct). */
void report_model_build(struct report_model *m, const struct report_input *in);
void report_model_free(struct report_model *m);

/*
 * The 部門別 table of a merged session (m->merged, built from answers with
 * source lines) from mg, merge_from_session's table over the same doc; or,
 * when mg is NULL, why there is none (err, e.g. a source that cannot be
 * read), which the report says instead.  report_model_session calls it.
 */
void report_model_set_merge(struct report_model *m, const struct merge *mg, const char *err);

/*
 * The model of the session at path in the sessions directory dir (may be
 * NULL: then no previous session), as the dashboard's report key and
 * --report need it: the previous session is found with sessions_previous,
 * read-only, and compared item by item; a merged session's sources are
 * read again (merge_from_session, read-only) for the 部門別 table.  a is the session's answers when
 * the caller has them open (the dashboard), else NULL: then path is opened
 * read-only (path NULL too: nothing answered).  company may be NULL (the
 * file's is used).  Returns 0, or -errno when path cannot be read (*msg
 * set, malloc'd, not sanitised; msg may be NULL); m is built in every case.
 */
int report_model_session(struct report_model *m, const struct doc *d, const struct answers *a,
                         const char *dir, const char *path, const char *company, time_t now, char **msg);

/* The heading of a kind of group: "3原則", "重要7項目の取組", ... (static). */
const char *report_model_kind_title(enum group_kind k);

/* The order the kinds are reported in (the guideline's; the 自社診断 last); count in *n. */
const enum group_kind *report_model_kind_order(size_t *n);

/* The Japanese name of a state, for a question (1) or a checklist item (0) (static). */
const char *report_model_state_name(enum answer_state st, int question);

#endif
