/*
 * check_lazy: a doc loaded lazily (an index at start, each page parsed
 * when first laid out) must hold exactly what an eager load holds: the
 * same structure, the same blocks, the same display lines, the same
 * problems (found at start or when the page is opened), folded by the
 * same function.  At the shipped size, at 100x (bench/scale.py's tree),
 * and on a chapter written to trip every rule the index reads.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/doc.h"
#include "core/explain.h"
#include "core/layout.h"
#include "core/search.h"
#include "core/util.h"
#include "suites.h"
#include "testutil.h"

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void assert_blocks_equal(const struct block *a, size_t na, const struct block *b, size_t nb,
                                const char *where)
{
	ck_assert_msg(na == nb, "%s: %zu blocks eagerly, %zu lazily", where, na, nb);
	for (size_t i = 0; i < na; i++) {
		const struct block *x = &a[i], *y = &b[i];
		ck_assert_msg(x->kind == y->kind && x->level == y->level && x->target == y->target &&
		                      x->line == y->line && x->ncols == y->ncols && x->nrows == y->nrows,
		              "%s: block %zu differs (kind %d/%d line %d/%d target %d/%d)", where, i,
		              x->kind, y->kind, x->line, y->line, x->target, y->target);
		ck_assert_msg(str_eq(x->text, y->text), "%s: block %zu text '%s' vs '%s'", where, i,
		              x->text ? x->text : "(null)", y->text ? y->text : "(null)");
		ck_assert_msg(str_eq(x->marker, y->marker), "%s: block %zu marker", where, i);
		for (size_t c = 0; c < x->nrows * x->ncols; c++)
			ck_assert_msg(str_eq(x->cells[c], y->cells[c]), "%s: block %zu cell %zu", where, i,
			              c);
	}
}

static void assert_layouts_equal(const struct doc *e, const struct doc *l, int page, int width)
{
	struct layout a, b;
	layout_page(&a, e, page, width);
	layout_page(&b, l, page, width);
	ck_assert_msg(a.nlines == b.nlines, "page %s at %d: %zu lines vs %zu", e->pages[page].id, width,
	              a.nlines, b.nlines);
	for (size_t i = 0; i < a.nlines; i++) {
		const struct line *x = &a.lines[i], *y = &b.lines[i];
		ck_assert_msg(strcmp(x->text, y->text) == 0 && x->style == y->style &&
		                      x->block == y->block && x->pos == y->pos && x->link == y->link &&
		                      x->item == y->item && x->mark_col == y->mark_col,
		              "page %s at %d, line %zu: '%s' vs '%s'", e->pages[page].id, width, i,
		              x->text, y->text);
	}
	layout_free(&a);
	layout_free(&b);
}

/* The structure the index gives, field by field. */
static void assert_index_equal(const struct doc *e, const struct doc *l)
{
	ck_assert_uint_eq(e->nchapters, l->nchapters);
	for (size_t i = 0; i < e->nchapters; i++) {
		ck_assert_str_eq(e->chapters[i].title, l->chapters[i].title);
		ck_assert_int_eq(e->chapters[i].first_page, l->chapters[i].first_page);
		ck_assert_uint_eq(e->chapters[i].npages, l->chapters[i].npages);
	}
	ck_assert_uint_eq(e->npages, l->npages);
	for (size_t i = 0; i < e->npages; i++) {
		ck_assert_str_eq(e->pages[i].id, l->pages[i].id);
		ck_assert_str_eq(e->pages[i].title, l->pages[i].title);
		ck_assert_int_eq(e->pages[i].line, l->pages[i].line);
		ck_assert_int_eq(e->pages[i].chapter, l->pages[i].chapter);
	}
	ck_assert_uint_eq(e->nitems, l->nitems);
	for (size_t i = 0; i < e->nitems; i++) {
		const struct item *x = &e->items[i], *y = &l->items[i];
		ck_assert_str_eq(x->id, y->id);
		ck_assert_msg(str_eq(x->text, y->text), "item %s: '%s' vs '%s'", x->id, x->text,
		              y->text ? y->text : "(null)");
		ck_assert_int_eq(x->group, y->group);
		ck_assert_int_eq(x->page, y->page);
		ck_assert_int_eq(x->question, y->question);
		ck_assert_int_eq(x->explain, y->explain);
		ck_assert_int_eq(x->line, y->line);
	}
	ck_assert_uint_eq(e->ngroups, l->ngroups);
	for (size_t i = 0; i < e->ngroups; i++) {
		ck_assert_str_eq(e->groups[i].id, l->groups[i].id);
		ck_assert_str_eq(e->groups[i].title, l->groups[i].title);
		ck_assert_int_eq(e->groups[i].kind, l->groups[i].kind);
		ck_assert_uint_eq(e->groups[i].nitems, l->groups[i].nitems);
		for (size_t k = 0; k < e->groups[i].nitems; k++)
			ck_assert_uint_eq(e->groups[i].items[k], l->groups[i].items[k]);
	}
	ck_assert_uint_eq(e->nexplains, l->nexplains);
	for (size_t i = 0; i < e->nexplains; i++) {
		ck_assert(str_eq(e->explains[i].item_id, l->explains[i].item_id));
		ck_assert_int_eq(e->explains[i].item, l->explains[i].item);
		ck_assert_int_eq(e->explains[i].line, l->explains[i].line);
	}
}

static int diag_order(const void *pa, const void *pb)
{
	const struct doc_diag *a = *(const struct doc_diag *const *)pa;
	const struct doc_diag *b = *(const struct doc_diag *const *)pb;
	int r = strcmp(a->file, b->file);
	if (!r)
		r = (a->line > b->line) - (a->line < b->line);
	if (!r)
		r = strcmp(a->msg, b->msg);
	if (!r)
		r = (int)a->severity - (int)b->severity;
	return r;
}

/* The eager problems are the index's plus those found later: the same, none twice. */
static void assert_diags_equal(const struct doc *e, const struct doc *l)
{
	const struct doc_diag *late;
	size_t nlate = doc_late_diags(l, &late), n = l->ndiags + nlate;
	ck_assert_msg(e->ndiags == n, "%zu problems eagerly, %zu lazily (%zu at start)", e->ndiags, n,
	              l->ndiags);
	const struct doc_diag **x = xcalloc(n + 1, sizeof *x), **y = xcalloc(n + 1, sizeof *y);
	for (size_t i = 0; i < n; i++) {
		x[i] = &e->diags[i];
		y[i] = i < l->ndiags ? &l->diags[i] : &late[i - l->ndiags];
	}
	qsort(x, n, sizeof *x, diag_order);
	qsort(y, n, sizeof *y, diag_order);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(diag_order(&x[i], &y[i]) == 0, "problem %zu: %s:%d: %s vs %s:%d: %s", i,
		              x[i]->file, x[i]->line, x[i]->msg, y[i]->file, y[i]->line, y[i]->msg);
	free(x);
	free(y);
}

/* Every page laid out (at step 1: all; else a sample), then everything compared. */
static void assert_same(const struct doc *e, const struct doc *l, size_t step)
{
	assert_index_equal(e, l);
	for (size_t i = 0; i < e->npages; i += step) {
		assert_layouts_equal(e, l, (int)i, 80);
		if (step == 1)
			assert_layouts_equal(e, l, (int)i, 41);
	}
	if (e->npages)
		assert_layouts_equal(e, l, (int)e->npages - 1, 80);
	for (size_t i = 0; i < e->nitems; i += step) {
		struct layout a, b;
		int ra = explain_layout(&a, e, (int)i, 60), rb = explain_layout(&b, l, (int)i, 60);
		ck_assert_int_eq(ra, rb);
		ck_assert_uint_eq(a.nlines, b.nlines);
		for (size_t k = 0; k < a.nlines; k++)
			ck_assert_str_eq(a.lines[k].text, b.lines[k].text);
		layout_free(&a);
		layout_free(&b);
	}
	doc_load_all(l);
	for (size_t i = 0; i < e->npages; i++)
		assert_blocks_equal(e->pages[i].blocks, e->pages[i].nblocks, l->pages[i].blocks,
		                    l->pages[i].nblocks, e->pages[i].id);
	for (size_t i = 0; i < e->nexplains; i++)
		assert_blocks_equal(e->explains[i].blocks, e->explains[i].nblocks, l->explains[i].blocks,
		                    l->explains[i].nblocks, "an explanation");
	assert_diags_equal(e, l);
}

START_TEST(lazy_is_eager_on_the_shipped_content)
{
	struct doc e, l;
	int re = doc_load(&e, test_content_dir());
	int rl = doc_load_lazy(&l, test_content_dir());
	ck_assert_int_eq(re, 0);
	ck_assert_int_eq(rl, 0);
	ck_assert_ptr_null(e.lazy);
	ck_assert_ptr_nonnull(l.lazy);
	/* Nothing but the index until a page is laid out. */
	for (size_t i = 0; i < l.npages; i++)
		ck_assert_uint_eq(l.pages[i].nblocks, 0);
	assert_same(&e, &l, 1);
	ck_assert_ptr_null(doc_late_problems(&l));
	doc_free(&e);
	doc_free(&l);
}
END_TEST

/* A fold like --ambiguous-width=2's: applied to lazily parsed pages as to eager ones. */
static char *fold_marks(const char *text, void *ctx)
{
	(void)ctx;
	if (!strstr(text, "※") && !strchr(text, 'a'))
		return NULL;
	struct buf b = { 0 };
	for (const char *s = text; *s;) {
		if (strncmp(s, "※", strlen("※")) == 0) {
			buf_adds(&b, "*");
			s += strlen("※");
		} else {
			buf_addc(&b, *s == 'a' ? 'A' : *s);
			s++;
		}
	}
	return buf_take(&b);
}

START_TEST(lazy_pages_are_folded_like_eager_ones)
{
	struct doc e, l;
	ck_assert_int_eq(doc_load(&e, test_content_dir()), 0);
	ck_assert_int_eq(doc_load_lazy(&l, test_content_dir()), 0);
	doc_map_text(&e, fold_marks, NULL);
	doc_map_text(&l, fold_marks, NULL);
	assert_same(&e, &l, 1);
	doc_free(&e);
	doc_free(&l);
}
END_TEST

/* Everything the index must read right: items over several lines, tabs, explanations, asides. */
static const char tricky[] = "\xEF\xBB\xBF@chapter Tricky\r\n"
			     "text before any page\n"
			     "@page p1 First\n"
			     "@group g1 principle G one\n"
			     "[ ] i1 an item that\n"
			     "  goes on\n"
			     "// a comment does not end it\n"
			     "\tnor does a tab-indented line (8 columns)\n"
			     " one space ends it\n"
			     "[ ]\ti2 a tab after the brackets\n"
			     "\t[ ] i3 indented by a tab: a new item? no, it goes on with i2\n"
			     "\n"
			     "  [ ] i4 indented after a blank line\n"
			     "[ ] bad!id text\n"
			     "  continues the paragraph, not an item\n"
			     "[ ] i5 with a footnote[^1] and \x01 a control byte\n"
			     "[^1]: the note\n"
			     "[^2]: unused note with a ref [^9]\n"
			     "| a | b |\n"
			     "|---|---|\n"
			     "| 1 | 2 | 3 |\n"
			     "=> nowhere a broken link\n"
			     "=> p2\n"
			     "@aside Box\n"
			     "@explain i1\n"
			     "inside an aside: not an explanation\n"
			     "@end\n"
			     "@explain i2\n"
			     "explains i2 [^x]\n"
			     "[ ] i6 not an item inside an explanation\n"
			     "@group g2 action nope\n"
			     "@aside nested\n"
			     "=> p1\n"
			     "@end\n"
			     "after the explanation, on the page\n"
			     "@end\n"
			     "@end\n"
			     "@unknown directive\n"
			     "## heading [^1]\n"
			     "- bullet\n"
			     "  with more\n"
			     "1. one\n"
			     "@aside open at the end of the page\n"
			     "@explain i5\n"
			     "never closed, ends at the next page\n"
			     "@page p2\n"
			     "@group g1\n"
			     "[ ] i7 \xff invalid byte\n"
			     "\t\xe2\x80\xae bidi override continues it\n"
			     "@group g3 diagnosis Questions\n"
			     "[ ] q1 a question\n"
			     "[ ] i1 a second i1\n"
			     "@explain q1\n"
			     "@end\n"
			     "@explain q1\n"
			     "twice\n";

static const char second[] = "// no chapter title\n"
			     "@page p3 Third\n"
			     "=> p1\n"
			     "[ ] i8 not in a group\n"
			     "@explain nope\n"
			     "for nothing\n"
			     "@end\n";

static const char explains_only[] = "@explain i4\n"
				    "=> p3\n"
				    "text\n"
				    "@end\n";

static char *write_tree(const char *const *names, const char *const *texts, size_t n)
{
	char *dir = testutil_tmpdir(NULL);
	for (size_t i = 0; i < n; i++) {
		char *p = testutil_path(dir, names[i]);
		ck_assert_int_eq(testutil_write(p, texts[i], strlen(texts[i])), 0);
		free(p);
	}
	return dir;
}

START_TEST(lazy_is_eager_on_a_tricky_chapter)
{
	const char *names[] = { "01-tricky.txt", "02-second.txt", "03-notes.txt" };
	const char *texts[] = { tricky, second, explains_only };
	char *dir = write_tree(names, texts, 3);
	struct doc e, l;
	int re = doc_load(&e, dir), rl = doc_load_lazy(&l, dir);

	ck_assert_int_eq(re, -1);
	/* The index finds the structural errors at start too (ids used twice, bad ids). */
	ck_assert_int_eq(rl, -1);
	ck_assert_uint_lt(l.ndiags, e.ndiags);
	assert_same(&e, &l, 1);
	doc_free(&e);
	doc_free(&l);
	testutil_rmrf(dir);
	free(dir);
}
END_TEST

/* A company's own page, broken, deep in a large tree: found and told when opened. */
START_TEST(broken_page_deep_in_a_tree_is_reported_when_opened)
{
	enum {
		FILES = 60,
		PAGES = 20
	};
	char *dir = testutil_tmpdir(NULL);
	for (int f = 0; f < FILES; f++) {
		struct buf b = { 0 };
		buf_printf(&b, "@chapter Chapter %d\n", f);
		for (int p = 0; p < PAGES; p++) {
			buf_printf(&b, "@page f%d-p%d Page %d of %d\n\n", f, p, p, f);
			if (p == 0)
				buf_printf(&b, "@group g%d action Group %d\n[ ] it%d an item\n\n", f, f,
				           f);
			buf_printf(&b, "A paragraph of page %d.\n\n=> f0-p0 back\n\n", p);
			if (f == FILES - 2 && p == PAGES - 3)
				buf_printf(&b, "| a | b |\n| 1 | 2 | 3 | 4 |\n\n=> gone-page\n\n"
				               "control \x07 byte\n");
		}
		char name[32];
		snprintf(name, sizeof name, "%03d.txt", f);
		char *path = testutil_path(dir, name);
		ck_assert_int_eq(testutil_write(path, b.s, b.len), 0);
		free(path);
		buf_free(&b);
	}
	struct doc e, l;
	ck_assert_int_eq(doc_load(&e, dir), -1); /* eagerly: the reader would not start */
	ck_assert_int_eq(doc_load_lazy(&l, dir), 0);
	ck_assert_ptr_null(doc_late_problems(&l));

	int broken = doc_find_page(&l, "f58-p17");
	ck_assert_int_ge(broken, 0);
	struct layout lo;
	layout_page(&lo, &l, broken - 1, 80); /* its neighbour is fine */
	layout_free(&lo);
	ck_assert_ptr_null(doc_late_problems(&l));
	layout_page(&lo, &l, broken, 80);
	ck_assert_uint_gt(lo.nlines, 3); /* shown, as far as it goes */
	layout_free(&lo);
	char *line = doc_late_problems(&l);
	ck_assert_ptr_nonnull(line);
	ck_assert_msg(strstr(line, "content has 3 problems (1 error)") && strstr(line, "058.txt:") &&
	                      strstr(line, "table row has 4 cells"),
	              "%s", line);
	free(line);
	/* Told once; opening it again tells nothing new. */
	layout_page(&lo, &l, broken, 60);
	layout_free(&lo);
	ck_assert_ptr_null(doc_late_problems(&l));
	assert_same(&e, &l, 7);
	doc_free(&e);
	doc_free(&l);
	testutil_rmrf(dir);
	free(dir);
}
END_TEST

/* A file edited after start is not read at the old offsets: told, and the page left empty. */
START_TEST(a_file_changed_after_start_is_told_not_misread)
{
	const char text[] = "@chapter C\n@page a A\n\nfirst\n@page b B\n\nsecond\n";
	const char *names[] = { "c.txt" };
	const char *texts[] = { text };
	char *dir = write_tree(names, texts, 1);
	struct doc l;
	ck_assert_int_eq(doc_load_lazy(&l, dir), 0);
	char *p = testutil_path(dir, "c.txt");
	const char changed[] = "@chapter C\n@page b B\n\nsomething else entirely, longer\n";
	ck_assert_int_eq(testutil_write(p, changed, strlen(changed)), 0);
	struct layout lo;
	layout_page(&lo, &l, 1, 80);
	ck_assert_uint_eq(l.pages[1].nblocks, 0);
	layout_free(&lo);
	char *line = doc_late_problems(&l);
	ck_assert_ptr_nonnull(line);
	ck_assert_msg(strstr(line, "changed after mamori started"), "%s", line);
	free(line);
	/* Gone altogether: told as well. */
	unlink(p);
	layout_page(&lo, &l, 0, 80);
	layout_free(&lo);
	line = doc_late_problems(&l);
	ck_assert_ptr_nonnull(line);
	free(line);
	doc_free(&l);
	free(p);
	testutil_rmrf(dir);
	free(dir);
}
END_TEST

/* The search reads every page: on a lazy doc it finds what it finds on an eager one. */
START_TEST(search_on_a_lazy_doc_finds_every_page)
{
	struct doc e, l;
	ck_assert_int_eq(doc_load(&e, test_content_dir()), 0);
	ck_assert_int_eq(doc_load_lazy(&l, test_content_dir()), 0);
	struct search se = { 0 }, sl = { 0 };
	size_t ne = search_run(&se, &e, "パスワード"), nl = search_run(&sl, &l, "パスワード");
	ck_assert_uint_gt(ne, 3);
	ck_assert_uint_eq(ne, nl);
	for (size_t i = 0; i < ne; i++)
		ck_assert(se.hits[i].page == sl.hits[i].page && se.hits[i].block == sl.hits[i].block &&
		          se.hits[i].start == sl.hits[i].start);
	search_free(&se);
	search_free(&sl);
	doc_free(&e);
	doc_free(&l);
}
END_TEST

/*
 * Chapters made of random lines from the kinds the index must judge
 * (directives in and out of place, items, continuations by spaces and
 * tabs, comments, explanations opened and left open, asides, tables,
 * bad bytes): lazy and eager must agree on every one.
 */
START_TEST(lazy_is_eager_on_random_chapters)
{
	static const char *const kinds[] = {
		"@page p%d Page",
		"@page p%d",
		"@group g%d principle G",
		"@group g1",
		"@group g%d",
		"@aside Box",
		"@end",
		"@explain i%d",
		"@explain q%d",
		"@chapter Again",
		"@bogus",
		"[ ] i%d item text",
		"[ ]\ti%d tab item",
		"  [ ] i%d indented",
		"\t[ ] i%d tab-indented",
		"[ ] bad!id text",
		"[ ] ",
		"  goes on",
		"\tgoes on by a tab",
		" one space",
		"// comment",
		"  // indented comment",
		"",
		"",
		"plain text",
		"- bullet",
		"1. numbered",
		"| a | b |",
		"| 1 | 2 | 3 |",
		"[^1]: note",
		"see [^1] and [^7]",
		"=> p%d link",
		"=> nowhere",
		"## heading",
		"\x01 control",
		"\xff bad byte",
		"@group g%d diagnosis Q",
		"[ ] q%d a question",
		"\xe2\x80\xae override",
		"  @page p%d indented: not a directive",
		"@end\t",
		"@endx",
		"@explain",
		"\t\t",
		"[^\x1d: not a footnote, a control byte",
		"[^a\x1d]: control byte in the label",
		"[^\xe3\x81\x82]: a kana label",
		"[^]: empty label",
		"[^12345678901234567890]: too long a label",
		"  - indented bullet",
	};
	const size_t nkinds = sizeof kinds / sizeof kinds[0];
	unsigned seed = 12345u + (unsigned)_i * 7919u;
	char *dir = testutil_tmpdir(NULL);

	for (int f = 0; f < 3; f++) {
		struct buf b = { 0 };
		if (f != 2)
			buf_printf(&b, "@chapter C%d\n", f);
		if (f == 0)
			buf_adds(&b, "@page p0 First\n@group g1 action G\n");
		for (int i = 0; i < 60; i++) {
			seed = seed * 1103515245u + 12345u;
			const char *k = kinds[(seed >> 16) % nkinds];
			seed = seed * 1103515245u + 12345u;
			/* A kind's %d takes a small number, so ids collide now and then. */
			for (const char *c = k; *c; c++) {
				if (c[0] == '%' && c[1] == 'd') {
					buf_addc(&b, (char)('0' + (seed >> 16) % 6));
					c++;
				} else {
					buf_addc(&b, *c);
				}
			}
			buf_adds(&b, (seed >> 20) % 7 ? "\n" : "\r\n");
		}
		char name[16];
		snprintf(name, sizeof name, "%02d.txt", f);
		char *path = testutil_path(dir, name);
		ck_assert_int_eq(testutil_write(path, b.s ? b.s : "", b.len), 0);
		free(path);
		buf_free(&b);
	}
	struct doc e, l;
	int re = doc_load(&e, dir), rl = doc_load_lazy(&l, dir);
	/* An error the index sees stops both; one in a page's body only the eager load. */
	ck_assert(rl <= 0 || re != 0);
	if (rl < 0)
		ck_assert_int_lt(re, 0);
	assert_same(&e, &l, 1);
	doc_free(&e);
	doc_free(&l);
	testutil_rmrf(dir);
	free(dir);
}
END_TEST

/* bench/scale.py's 100x tree (4,900 pages): the same, page by page (a sample laid out). */
START_TEST(lazy_is_eager_at_100x)
{
	const char *src = getenv("TESTS_SRCDIR");
	if (!src || access("/usr/bin/python3", X_OK) != 0) {
		fprintf(stderr, "check_lazy: no python3 or TESTS_SRCDIR: 100x not tested\n");
		return;
	}
	char *dir = testutil_tmpdir(NULL);
	char *cmd = xasprintf("python3 '%s/../bench/scale.py' '%s' '%s/x' 100 >/dev/null", src,
	                      test_content_dir(), dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	char *big = xasprintf("%s/x", dir);
	struct doc e, l;
	ck_assert_int_eq(doc_load(&e, big), 0);
	ck_assert_int_eq(doc_load_lazy(&l, big), 0);
	ck_assert_uint_eq(l.npages, 4900);
	assert_same(&e, &l, 97);
	doc_free(&e);
	doc_free(&l);
	free(big);
	testutil_rmrf(dir);
	free(dir);
}
END_TEST

Suite *lazy_suite(void)
{
	Suite *s = suite_create("lazy");
	TCase *tc = tcase_create("lazy");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, lazy_is_eager_on_the_shipped_content);
	tcase_add_test(tc, lazy_pages_are_folded_like_eager_ones);
	tcase_add_test(tc, lazy_is_eager_on_a_tricky_chapter);
	tcase_add_loop_test(tc, lazy_is_eager_on_random_chapters, 0, 200);
	tcase_add_test(tc, broken_page_deep_in_a_tree_is_reported_when_opened);
	tcase_add_test(tc, a_file_changed_after_start_is_told_not_misread);
	tcase_add_test(tc, search_on_a_lazy_doc_finds_every_page);
	tcase_add_test(tc, lazy_is_eager_at_100x);
	suite_add_tcase(s, tc);
	return s;
}
