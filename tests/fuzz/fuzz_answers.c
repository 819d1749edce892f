/*
 * fuzz_answers: libFuzzer target for the answers-file parser and writer.
 * Every input is parsed twice, without a content and with the real one
 * (content/, loaded once), and each time the round trip must be stable:
 * the text answers_serialize writes, parsed again, serialises to the same
 * bytes, and every id has the same answer (state, note, owner, due) in
 * both, as do the header fields of format 2 (company, department,
 * respondent, started, sources).  A file mamori saved and opened again
 * must come back as it was.  Then the fields are set through the API
 * (answers_set_fields' rules, in memory) with values cut from the input,
 * and the round trip must hold again with exactly those values.
 * Built and run by tests/fuzz/run.sh (which sets FUZZ_CONTENT).
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "core/doc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_CONTENT_DIR
#define FUZZ_CONTENT_DIR "content"
#endif

static struct doc fuzz_content;
static const struct doc *fuzz_doc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	const char *dir = getenv("FUZZ_CONTENT");
	if (!dir || !*dir)
		dir = FUZZ_CONTENT_DIR;
	/* The real content: without it half of the parser (ids, fits, order) is not reached. */
	if (doc_load(&fuzz_content, dir) != 0 || fuzz_content.nitems == 0) {
		fprintf(stderr, "fuzz_answers: cannot load the content from %s (set FUZZ_CONTENT)\n", dir);
		for (size_t i = 0; i < fuzz_content.ndiags && i < 5; i++)
			fprintf(stderr, "  %s:%d: %s\n", fuzz_content.diags[i].file,
			        fuzz_content.diags[i].line, fuzz_content.diags[i].msg);
		exit(1);
	}
	fuzz_doc = &fuzz_content;
	return 0;
}

/* Show where two texts part, then abort: libFuzzer saves the input as a crash. */
static void mismatch(const char *what, const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0;
	while (i < alen && i < blen && a[i] == b[i])
		i++;
	size_t from = i > 60 ? i - 60 : 0;
	fprintf(stderr, "fuzz_answers: %s: the texts differ at byte %zu (%zu vs %zu bytes)\n", what, i,
	        alen, blen);
	fprintf(stderr, "first:  ...%.*s\n", (int)((alen - from) > 120 ? 120 : alen - from), a + from);
	fprintf(stderr, "second: ...%.*s\n", (int)((blen - from) > 120 ? 120 : blen - from), b + from);
	abort();
}

/* For each id that has a line in from: the answer in a and in b is the same. */
static void same_answers(const struct answers *a, const struct answers *b, const struct answers *from,
                         const char *what)
{
	for (size_t i = 0; i < from->n; i++) {
		const char *id = from->v[i].id;
		if (!id)
			continue;
		const struct answer *f = answers_find(a, id);
		const struct answer *g = answers_find(b, id);
		if (!f != !g || (f && g &&
		                 (f->state != g->state || strcmp(f->note, g->note) != 0 ||
		                  strcmp(f->owner, g->owner) != 0 || strcmp(f->due, g->due) != 0))) {
			fprintf(stderr,
			        "fuzz_answers: %s: '%s' is %s (note '%s', owner '%s', due '%s') before "
			        "the round trip, %s (note '%s', owner '%s', due '%s') after\n",
			        what, id, f ? answers_state_name(f->state) : "absent", f ? f->note : "",
			        f ? f->owner : "", f ? f->due : "",
			        g ? answers_state_name(g->state) : "absent", g ? g->note : "",
			        g ? g->owner : "", g ? g->due : "");
			abort();
		}
	}
}

static int same_str(const char *x, const char *y)
{
	return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

/* The header fields of a and b are the same. */
static void same_header(const struct answers *a, const struct answers *b, const char *what)
{
	int ok = same_str(a->company, b->company) && same_str(a->department, b->department) &&
	         same_str(a->respondent, b->respondent) && same_str(a->started, b->started) &&
	         a->nsources == b->nsources;
	for (size_t i = 0; ok && i < a->nsources; i++)
		ok = same_str(a->sources[i].department, b->sources[i].department) &&
		     same_str(a->sources[i].path, b->sources[i].path);
	if (!ok) {
		fprintf(stderr, "fuzz_answers: %s: the header fields differ after the round trip\n", what);
		abort();
	}
}

/* Serialise a, parse it, serialise again: the same bytes, answers and header; b is the parse. */
static void check_again(const struct answers *a, struct answers *b, const struct doc *d, const char *what)
{
	char *s1 = NULL, *s2 = NULL;
	size_t n1 = 0, n2 = 0;
	if (answers_serialize(a, &s1, &n1) != 0)
		abort();
	if (answers_parse_buffer(b, "fuzz.txt", s1, n1, d) != 0)
		abort();
	if (answers_serialize(b, &s2, &n2) != 0)
		abort();
	if (n1 != n2 || memcmp(s1, s2, n1) != 0)
		mismatch(what, s1, n1, s2, n2);
	same_answers(a, b, a, what);
	same_answers(a, b, b, what);
	same_header(a, b, what);
	free(s1);
	free(s2);
}

/* A NUL-free piece of the input, from byte at for at most n bytes (caller frees). */
static char *piece(const char *buf, size_t len, size_t at, size_t n)
{
	if (at > len)
		at = len;
	if (n > len - at)
		n = len - at;
	const char *z = memchr(buf + at, '\0', n);
	return strndup(buf + at, z ? (size_t)(z - (buf + at)) : n);
}

/*
 * Set the new fields from pieces of the input, as answers_set_fields and
 * the answers_format_set_* calls would (in memory: no file here), on the
 * first entry with an id, then the round trip must keep exactly them.
 */
static void set_and_check(struct answers *a, const char *buf, size_t len, const struct doc *d,
                          const char *what)
{
	size_t third = len / 3;
	char *owner = piece(buf, len, 0, third), *dep = piece(buf, len, third, third);
	char *path = piece(buf, len, 2 * third, len - 2 * third);
	char *due = piece(buf, len, len > 10 ? len - 10 : 0, 10);
	struct answers_source src = { dep, path };
	answers_format_set_header(a, dep, owner);
	answers_format_set_company(a, path);
	answers_format_set_sources(a, &src, *path ? 1 : 0);
	answers_format_set_started(a, "2026-12-06T10:00:00+09:00");
	struct answer *e = NULL;
	for (size_t i = 0; i < a->n && !e; i++)
		if (a->v[i].id && !a->v[i].raw)
			e = &a->v[i];
	/* The rules of answers_set_fields: blanks at the ends dropped, a due date only when real. */
	char *towner = NULL;
	if (e) {
		size_t b = 0, end = strlen(owner);
		while (owner[b] == ' ' || owner[b] == '\t')
			b++;
		while (end > b && (owner[end - 1] == ' ' || owner[end - 1] == '\t'))
			end--;
		towner = strndup(owner + b, end - b);
		free(e->owner);
		e->owner = strdup(towner);
		int set_due = answers_date_check(due, NULL) == 0;
		if (set_due) {
			free(e->due);
			e->due = strdup(due);
		}
		/* As answers_set_fields: the owner (and due) set replace the lines of their kind kept. */
		char *kept = answers_format_attrs_without(e->attrs_raw, 1, set_due);
		free(e->attrs_raw);
		e->attrs_raw = kept;
	}
	struct answers b;
	check_again(a, &b, d, what);
	if (e) {
		const struct answer *f = answers_format_index(&b, e->id) >= 0
		                                 ? &b.v[answers_format_index(&b, e->id)]
		                                 : NULL;
		if (!f || strcmp(f->owner, towner) != 0 || strcmp(f->due, e->due) != 0) {
			fprintf(stderr,
			        "fuzz_answers: %s: the owner or due set on '%s' did not come back\n", what,
			        e->id);
			abort();
		}
	}
	answers_close(&b);
	free(towner);
	free(owner);
	free(dep);
	free(path);
	free(due);
}

static void round_trip(const char *buf, size_t len, const struct doc *d, const char *what)
{
	struct answers a, b;
	char *s1 = NULL, *s2 = NULL;
	size_t n1 = 0, n2 = 0;

	if (answers_parse_buffer(&a, "fuzz.txt", buf, len, d) != 0)
		abort(); /* it promises 0: out of memory aborts inside */
	if (!a.readonly)
		abort(); /* answers_parse_buffer promises a read-only result */
	for (size_t i = 0; i < a.ndiags; i++)
		if (!a.diags[i].msg)
			abort();
	if (answers_serialize(&a, &s1, &n1) != 0)
		abort();
	static const char head[] = "mamori-answers 2\n";
	if (n1 < sizeof head - 1 || memcmp(s1, head, sizeof head - 1) != 0)
		mismatch(what, s1, n1, head, sizeof head - 1);
	if (answers_parse_buffer(&b, "fuzz.txt", s1, n1, d) != 0)
		abort();
	if (answers_serialize(&b, &s2, &n2) != 0)
		abort();
	if (n1 != n2 || memcmp(s1, s2, n1) != 0)
		mismatch(what, s1, n1, s2, n2);
	/* Every id has the same answer before and after: none appears, none goes. */
	same_answers(&a, &b, &a, what);
	same_answers(&a, &b, &b, what);
	same_header(&a, &b, what);
	for (size_t i = 0; i < b.ndiags; i++)
		if (!b.diags[i].msg)
			abort();
	free(s1);
	free(s2);
	answers_close(&b);
	set_and_check(&a, buf, len, d, what);
	answers_close(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	round_trip((const char *)data, size, NULL, "without a content");
	round_trip((const char *)data, size, fuzz_doc, "with the content");
	return 0;
}
