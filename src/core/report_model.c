/*
 * report_model: the facts of `mamori --report`, gathered once from a doc
 * and its answers (see report_model.h).  Every Japanese word a report
 * shows that is not the content's own is chosen here; the writers only
 * lay it out.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/changes.h"
#include "core/doc.h"
#include "core/merge.h"
#include "core/progress.h"
#include "core/report_model.h"
#include "core/sessions.h"
#include "core/text.h"
#include "core/util.h"

/*
 * The guideline's edition and where the content comes from.  The content
 * has no header for them yet (its 参考・出典 page says it in prose), so
 * they are stated once here, as --version states them.
 */
#define REPORT_MODEL_EDITION "IPA『中小企業の情報セキュリティ対策ガイドライン』第3版（2019年3月）"
#define REPORT_MODEL_SOURCE \
	"『中小企業いばらき』2022年9月号（No.767）の記事をもとに言い換えてまとめたもの（参考・出典のページを参照）"

/* The prefix of the paragraph or list item of a 解説 that says where to start. */
#define REPORT_MODEL_FIRST_STEP "はじめの一歩"

static const char *const report_model_kind_titles[GROUP_KIND_COUNT] = {
	[GROUP_PRINCIPLE] = "3原則",
	[GROUP_ACTION] = "重要7項目の取組",
	[GROUP_ARTICLE] = "情報セキュリティ5か条",
	[GROUP_DIAGNOSIS] = "5分でできる！情報セキュリティ自社診断",
	[GROUP_POLICY] = "情報セキュリティ基本方針",
};

static const enum group_kind report_model_kinds[] = { GROUP_PRINCIPLE, GROUP_ACTION, GROUP_ARTICLE,
	                                              GROUP_POLICY, GROUP_DIAGNOSIS };

const char *report_model_kind_title(enum group_kind k)
{
	return (unsigned)k < GROUP_KIND_COUNT ? report_model_kind_titles[k] : "?";
}

const enum group_kind *report_model_kind_order(size_t *n)
{
	*n = sizeof report_model_kinds / sizeof report_model_kinds[0];
	return report_model_kinds;
}

const char *report_model_state_name(enum answer_state st, int question)
{
	switch (st) {
	case ANSWER_NONE:
		return "未回答";
	case ANSWER_DONE:
		return "実施済み";
	case ANSWER_TODO:
		return "未実施";
	case ANSWER_NA:
		return "該当しない";
	case ANSWER_YES:
		return "実施している";
	case ANSWER_PARTLY:
		return "一部実施している";
	case ANSWER_NO:
		return "実施していない";
	case ANSWER_UNKNOWN:
		return "わからない";
	case ANSWER_STATE_COUNT:
		break;
	}
	(void)question;
	return "?";
}

static char *report_model_safe(const char *s)
{
	return s ? text_sanitize(s, strlen(s)) : xstrdup("");
}

/* Drop leading and trailing blanks, ASCII and the ideographic space. */
static char *report_model_trimmed(const char *s)
{
	size_t len = strlen(s);
	for (;;) {
		if (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		} else if (len >= 3 && memcmp(s, "\u3000", 3) == 0) {
			s += 3;
			len -= 3;
		} else {
			break;
		}
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return text_sanitize(s, len);
}

/* "No.7 text": the number, and the text after "No.N " (*rest); 0 when the text has no number. */
static int report_model_number(const char *text, const char **rest)
{
	*rest = text;
	if (strncmp(text, "No.", 3) != 0)
		return 0;
	const char *p = text + 3;
	int n = 0;
	while (*p >= '0' && *p <= '9' && n < 100000)
		n = n * 10 + (*p++ - '0');
	if (p == text + 3 || (*p != ' ' && *p != '\0'))
		return 0;
	while (*p == ' ')
		p++;
	*rest = p;
	return n;
}

/* The はじめの一歩 of item's 解説, without its label, or "" when it has none. */
static char *report_model_first_step(const struct doc *d, int item)
{
	/* Checked here as well: a doc built by hand may leave explain at 0 with no explanations. */
	int e = item >= 0 && (size_t)item < d->nitems ? d->items[item].explain : -1;
	const struct explain *ex = e >= 0 && (size_t)e < d->nexplains ? doc_item_explain(d, item) : NULL;
	size_t pl = strlen(REPORT_MODEL_FIRST_STEP);

	for (size_t i = 0; ex && i < ex->nblocks; i++) {
		const struct block *b = &ex->blocks[i];
		if ((b->kind != BLOCK_PARA && b->kind != BLOCK_BULLET && b->kind != BLOCK_NUMBERED) ||
		    !b->text || strncmp(b->text, REPORT_MODEL_FIRST_STEP, pl) != 0)
			continue;
		const char *s = b->text + pl;
		/* The label's colon: full-width or not. */
		if (strncmp(s, "：", strlen("：")) == 0)
			s += strlen("：");
		else if (*s == ':')
			s++;
		return report_model_trimmed(s);
	}
	return xstrdup("");
}

/* A YYYY-MM-DD due date before the local day of now. */
static int report_model_overdue(const char *due, time_t now)
{
	struct tm tm;
	char today[16];

	if (strlen(due) < 10 || !localtime_r(&now, &tm))
		return 0;
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	return strncmp(due, today, 10) < 0;
}

static void report_model_items(struct report_model *m, const struct report_input *in)
{
	const struct doc *d = in->d;

	m->nitems = d->nitems;
	m->items = xcalloc(d->nitems ? d->nitems : 1, sizeof *m->items);
	for (size_t i = 0; i < d->nitems; i++) {
		const struct item *it = &d->items[i];
		struct report_item *ri = &m->items[i];
		const struct answer *e = in->a ? answers_find_item(in->a, i) : NULL;
		const char *rest;
		ri->item = (int)i;
		ri->group = it->group;
		ri->id = report_model_safe(it->id);
		ri->question = it->question;
		ri->number = it->question ? report_model_number(it->text, &rest) : 0;
		ri->text = report_model_safe(ri->number ? rest : it->text);
		ri->state = e ? e->state : ANSWER_NONE;
		ri->state_name = report_model_state_name(ri->state, it->question);
		ri->has_points = it->question && answers_state_is_question(ri->state);
		ri->points = ri->has_points ? answers_state_points(ri->state) : 0;
		ri->note = report_model_safe(e ? e->note : NULL);
		ri->owner = report_model_safe(e ? e->owner : NULL);
		ri->due = report_model_safe(e ? e->due : NULL);
		ri->time = report_model_safe(e && e->time && strcmp(e->time, "-") != 0 ? e->time : NULL);
	}
}

static void report_model_groups(struct report_model *m, const struct report_input *in,
                                const struct progress *p, const struct progress *prev)
{
	const struct doc *d = in->d;

	m->ngroups = d->ngroups;
	m->groups = xcalloc(d->ngroups ? d->ngroups : 1, sizeof *m->groups);
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct group *gr = &d->groups[g];
		const struct progress_group *pg = &p->groups[g];
		struct report_group *rg = &m->groups[g];
		/* Principles and actions by their page title ("原則1 ..."), which numbers them. */
		int by_page = (gr->kind == GROUP_PRINCIPLE || gr->kind == GROUP_ACTION) && gr->page >= 0 &&
		              (size_t)gr->page < d->npages;
		rg->group = (int)g;
		rg->kind = gr->kind;
		rg->id = report_model_safe(gr->id);
		rg->title = report_model_safe(by_page ? d->pages[gr->page].title : gr->title);
		rg->total = pg->total;
		rg->done = pg->done;
		rg->applicable = pg->applicable;
		rg->na = pg->na;
		rg->percent = progress_percent(pg->done, pg->applicable);
		if (prev) {
			rg->has_prev = 1;
			rg->prev_done = prev->groups[g].done;
			rg->prev_applicable = prev->groups[g].applicable;
			rg->delta = progress_group_delta(p, prev, g);
		}
	}
	m->done = p->done;
	m->applicable = p->applicable;
	m->delta = prev ? (long)p->done - (long)prev->done : 0;
}

static void report_model_score(struct report_model *m, const struct progress *p,
                               const struct progress *prev)
{
	m->questions = p->questions;
	m->answered = p->answered;
	m->score = p->score;
	m->score_min = p->score_min;
	if (p->questions && p->answered) {
		m->band = p->band;
		m->band_title = xstrdup(progress_band_title(p->band));
		m->band_advice = xstrdup(progress_band_advice(p->band));
	} else {
		/* Nothing answered is not the lowest band: it is no answer at all. */
		m->band = PROGRESS_BAND_NONE;
		m->band_title = xstrdup(p->questions ? "未回答" : "");
		m->band_advice = xstrdup("");
	}
	if (prev && prev->questions && prev->answered) {
		m->has_prev_score = 1;
		m->prev_score = prev->score;
	}
}

static void report_model_lacks(struct report_model *m, const struct report_input *in,
                               const struct progress *p)
{
	size_t cap = 0;

	m->star1 = p->star1;
	m->star2 = p->star2;
	for (int stars = 1; stars <= 2; stars++) {
		size_t unanswered = 0;
		for (size_t i = 0; i < p->nmissing; i++) {
			const struct progress_missing *pm = &p->missing[i];
			if (pm->stars != stars)
				continue;
			if (pm->reason == PROGRESS_UNANSWERED) {
				/* Every open question is one: a count reads better than 25 lines. */
				unanswered++;
				continue;
			}
			m->lacks = xgrow(m->lacks, &cap, m->nlacks + 1, sizeof *m->lacks);
			struct report_lack *l = &m->lacks[m->nlacks++];
			l->stars = stars;
			l->reason = progress_reason_name(pm->reason);
			l->item = pm->item;
			l->count = 0;
			l->title = pm->item >= 0
			                   ? xstrdup(m->items[pm->item].text)
			                   : xstrdup(report_model_kind_title((enum group_kind)pm->kind));
		}
		if (unanswered) {
			m->lacks = xgrow(m->lacks, &cap, m->nlacks + 1, sizeof *m->lacks);
			struct report_lack *l = &m->lacks[m->nlacks++];
			l->stars = stars;
			l->reason = progress_reason_name(PROGRESS_UNANSWERED);
			l->item = -1;
			l->count = unanswered;
			l->title = xasprintf("%s の未回答 %zu 問",
			                     report_model_kind_title(GROUP_DIAGNOSIS), unanswered);
		}
	}
	(void)in;
}

/* Worst first: 実施していない, わからない, 一部実施している; then checklist items left open. */
static void report_model_improve(struct report_model *m, const struct report_input *in)
{
	static const enum answer_state order[] = { ANSWER_NO, ANSWER_UNKNOWN, ANSWER_PARTLY };
	size_t cap = 0, ucap = 0;

	for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
		for (size_t i = 0; i < m->nitems; i++) {
			if (!m->items[i].question || m->items[i].state != order[o])
				continue;
			m->improve = xgrow(m->improve, &cap, m->nimprove + 1, sizeof *m->improve);
			struct report_improve *ri = &m->improve[m->nimprove++];
			ri->item = i;
			ri->state = order[o];
			ri->first_step = report_model_first_step(in->d, (int)i);
		}
	for (size_t i = 0; i < m->nitems; i++) {
		const struct report_item *it = &m->items[i];
		if (it->question || it->state == ANSWER_DONE || it->state == ANSWER_NA)
			continue;
		m->unticked = xgrow(m->unticked, &ucap, m->nunticked + 1, sizeof *m->unticked);
		m->unticked[m->nunticked++] = i;
	}
}

static void report_model_notes(struct report_model *m, time_t now)
{
	size_t cap = 0;

	/* Two passes keep content order within the overdue ones and within the rest. */
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < m->nitems; i++) {
			const struct report_item *it = &m->items[i];
			if (!*it->note && !*it->owner && !*it->due)
				continue;
			int overdue = report_model_overdue(it->due, now);
			if (overdue != pass)
				continue;
			m->notes = xgrow(m->notes, &cap, m->nnotes + 1, sizeof *m->notes);
			m->notes[m->nnotes].item = i;
			m->notes[m->nnotes++].overdue = overdue;
		}
}

/* Item by item what changed: the answer, the note, the owner, the due date (changes.h). */
static void report_model_changes(struct report_model *m, const struct report_input *in)
{
	struct change_list cl;

	changes_compute(&cl, in->d, in->prev, in->a);
	m->nchanges = cl.n;
	m->changes = xcalloc(cl.n ? cl.n : 1, sizeof *m->changes);
	for (size_t i = 0; i < cl.n; i++) {
		const struct change *ch = &cl.v[i];
		struct report_change *c = &m->changes[i];
		int q = m->items[ch->item].question;
		c->item = ch->item;
		c->from = ch->from;
		c->to = ch->to;
		c->from_name = report_model_state_name(ch->from, q);
		c->to_name = report_model_state_name(ch->to, q);
		c->note_from = report_model_safe(ch->note_from);
		c->note_to = report_model_safe(ch->note_to);
		c->owner_from = report_model_safe(ch->owner_from);
		c->owner_to = report_model_safe(ch->owner_to);
		c->due_from = report_model_safe(ch->due_from);
		c->due_to = report_model_safe(ch->due_to);
	}
	changes_free(&cl);
}

/* A merged session's departments and sources, from its source lines; the table comes later. */
static void report_model_departments(struct report_model *m, const struct answers *a)
{
	m->department = report_model_safe(a ? a->department : NULL);
	m->merge_error = xstrdup("");
	if (!a || !a->nsources)
		return;
	m->merged = 1;
	m->ndepartments = a->nsources;
	m->departments = xcalloc(a->nsources, sizeof *m->departments);
	m->sources = xcalloc(a->nsources, sizeof *m->sources);
	for (size_t i = 0; i < a->nsources; i++) {
		m->departments[i] = report_model_safe(a->sources[i].department);
		m->sources[i] = report_model_safe(a->sources[i].path);
	}
}

void report_model_set_merge(struct report_model *m, const struct merge *mg, const char *err)
{
	if (!m->merged)
		return;
	if (!mg || mg->ninputs != m->ndepartments || mg->nrows != m->nitems) {
		free(m->merge_error);
		m->merge_error =
			report_model_safe(err && *err ? err : "部門ごとの回答ファイルを読めませんでした");
		return;
	}
	m->ndept_rows = mg->nrows;
	m->ndiffer = mg->ndiffer;
	m->dept_rows = xcalloc(mg->nrows ? mg->nrows : 1, sizeof *m->dept_rows);
	for (size_t r = 0; r < mg->nrows; r++) {
		struct report_dept_row *dr = &m->dept_rows[r];
		dr->item = mg->rows[r].item;
		dr->states = xmemdup(mg->rows[r].states, mg->ninputs * sizeof *dr->states);
		dr->merged = mg->rows[r].merged;
		dr->differ = mg->rows[r].differ;
	}
}

/* What the answers file holds that the report cannot place: nothing is left out silently. */
static void report_model_strays(struct report_model *m, const struct answers *a)
{
	size_t cap = 0;

	for (size_t i = 0; a && i < a->n; i++) {
		const struct answer *e = &a->v[i];
		if (e->item >= 0)
			continue;
		m->strays = xgrow(m->strays, &cap, m->nstrays + 1, sizeof *m->strays);
		struct report_stray *s = &m->strays[m->nstrays++];
		s->line = e->line;
		if (e->id) {
			s->known = 1;
			s->id = report_model_safe(e->id);
			char *t = xasprintf("%s %s", answers_state_name(e->state), e->note ? e->note : "");
			s->text = report_model_trimmed(t);
			free(t);
		} else {
			s->known = 0;
			s->id = xstrdup("");
			s->text = e->raw ? text_sanitize(e->raw, e->raw_len) : xstrdup("");
		}
	}
}

void report_model_build(struct report_model *m, const struct report_input *in)
{
	struct progress p, prev;
	struct tm tm;
	char when[64] = "";

	memset(m, 0, sizeof *m);
	progress_compute(&p, in->d, in->a);
	if (in->prev)
		progress_compute(&prev, in->d, in->prev);

	const char *company = in->company ? in->company : in->a ? in->a->company : NULL;
	m->company = company ? report_model_trimmed(company) : xstrdup("");
	m->session = report_model_safe(in->session);
	m->respondent = report_model_safe(in->a ? in->a->respondent : NULL);
	m->written = in->now;
	if (localtime_r(&in->now, &tm))
		strftime(when, sizeof when, "%Y年%m月%d日 %H:%M", &tm);
	m->written_text = xstrdup(when);
	m->edition = xstrdup(REPORT_MODEL_EDITION);
	m->source = xstrdup(REPORT_MODEL_SOURCE);

	report_model_items(m, in);
	report_model_groups(m, in, &p, in->prev ? &prev : NULL);
	report_model_score(m, &p, in->prev ? &prev : NULL);
	report_model_lacks(m, in, &p);
	report_model_improve(m, in);
	report_model_notes(m, in->now);
	m->has_prev = in->prev != NULL;
	m->prev_name = report_model_safe(in->prev ? in->prev_name : NULL);
	if (in->prev)
		report_model_changes(m, in);
	report_model_strays(m, in->a);
	report_model_departments(m, in->a);

	progress_free(&p);
	if (in->prev)
		progress_free(&prev);
}

void report_model_free(struct report_model *m)
{
	if (!m)
		return;
	free(m->company);
	free(m->session);
	free(m->respondent);
	free(m->written_text);
	free(m->edition);
	free(m->source);
	free(m->band_title);
	free(m->band_advice);
	for (size_t i = 0; i < m->nlacks; i++)
		free(m->lacks[i].title);
	free(m->lacks);
	for (size_t i = 0; i < m->ngroups; i++) {
		free(m->groups[i].id);
		free(m->groups[i].title);
	}
	free(m->groups);
	for (size_t i = 0; i < m->nitems; i++) {
		struct report_item *it = &m->items[i];
		free(it->id);
		free(it->text);
		free(it->note);
		free(it->owner);
		free(it->due);
		free(it->time);
	}
	free(m->items);
	for (size_t i = 0; i < m->nimprove; i++)
		free(m->improve[i].first_step);
	free(m->improve);
	free(m->unticked);
	free(m->notes);
	free(m->prev_name);
	for (size_t i = 0; i < m->nchanges; i++) {
		struct report_change *c = &m->changes[i];
		free(c->note_from);
		free(c->note_to);
		free(c->owner_from);
		free(c->owner_to);
		free(c->due_from);
		free(c->due_to);
	}
	free(m->changes);
	for (size_t i = 0; i < m->nstrays; i++) {
		free(m->strays[i].id);
		free(m->strays[i].text);
	}
	free(m->strays);
	free(m->department);
	for (size_t i = 0; i < m->ndepartments; i++) {
		free(m->departments[i]);
		free(m->sources[i]);
	}
	free(m->departments);
	free(m->sources);
	for (size_t r = 0; r < m->ndept_rows; r++)
		free(m->dept_rows[r].states);
	free(m->dept_rows);
	free(m->merge_error);
	memset(m, 0, sizeof *m);
}

/* "2026-11-25-2" from ".../2026-11-25-2.txt": the name a session goes by. */
static char *report_model_session_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".txt") == 0)
		len -= 4;
	return xstrndup(base, len);
}

int report_model_session(struct report_model *m, const struct doc *d, const struct answers *a,
                         const char *dir, const char *path, const char *company, time_t now, char **msg)
{
	struct answers own, prev;
	char *prev_path = NULL, *prev_name = NULL, *name = path ? report_model_session_name(path) : NULL;
	int r = 0, have_prev = 0;

	memset(&own, 0, sizeof own);
	own.fd = -1;
	if (!a && path) {
		r = answers_open(&own, path, d, ANSWERS_READONLY);
		if (r < 0 && msg) {
			free(*msg);
			*msg = xstrdup(answers_error(&own));
		}
		if (r == 0)
			a = &own;
	}
	/* The previous session, read-only: a report changes nothing. */
	if (dir && path && sessions_previous(dir, path, &prev_path, NULL) == 0) {
		if (answers_open(&prev, prev_path, d, ANSWERS_READONLY) == 0) {
			have_prev = 1;
			prev_name = report_model_session_name(prev_path);
		} else {
			answers_close(&prev);
		}
	}
	/* A merged session: its sources read again, read-only, for the 部門別 table. */
	struct merge mg;
	char *merr = NULL;
	int have_merge = 0;
	memset(&mg, 0, sizeof mg);
	if (a && a->nsources && path) {
		const char *slash = strrchr(path, '/');
		char *pdir = !slash          ? xstrdup(".")
		             : slash == path ? xstrdup("/")
		                             : xstrndup(path, (size_t)(slash - path));
		int dfd = open(pdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(pdir);
		have_merge = dfd >= 0 && merge_from_session(&mg, d, a, dfd, &merr) == 0;
		if (dfd >= 0)
			close(dfd);
	}
	struct report_input in = { d, a, have_prev ? &prev : NULL, prev_name, name, company, now };
	report_model_build(m, &in);
	report_model_set_merge(m, have_merge ? &mg : NULL, merr);
	merge_free(&mg);
	free(merr);
	if (have_prev)
		answers_close(&prev);
	answers_close(&own);
	free(prev_path);
	free(prev_name);
	free(name);
	return r;
}
