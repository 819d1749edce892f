/*
 * check_doc_cache: the reader's index cache (doc_cache.h).  A start from
 * the cache must give exactly what the index pass gives (every field, the
 * problems, the pages parsed later); any change to the content's files
 * must miss it; a damaged cache must be ignored, never crash, and be
 * written again; a cache directory that is not safely ours is not used;
 * MAMORI_NO_INDEX_CACHE=1 and eager loads write nothing.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/doc.h"
#include "core/doc_cache.h"
#include "core/doc_internal.h"
#include "core/util.h"
#include "suites.h"
#include "testutil.h"

/* Each test's own directory (under the tcase's temp root) and its $XDG_CACHE_HOME in it. */
static char *work_dir, *cache_home;

static void cache_setup(void)
{
	work_dir = testutil_tmpdir(testutil_root());
	cache_home = testutil_path(work_dir, "cache");
	setenv("XDG_CACHE_HOME", cache_home, 1);
	unsetenv("MAMORI_NO_INDEX_CACHE");
	doc_cache_enable(1);
}

static void cache_teardown(void)
{
	doc_cache_enable(0);
	free(cache_home);
	testutil_rmrf(work_dir);
	free(work_dir);
	work_dir = cache_home = NULL;
}

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const char *nn(const char *s)
{
	return s ? s : "(null)";
}

static void assert_blocks_equal(const struct block *a, size_t na, const struct block *b, size_t nb,
                                const char *where)
{
	ck_assert_msg(na == nb, "%s: %zu blocks vs %zu", where, na, nb);
	for (size_t i = 0; i < na; i++) {
		const struct block *x = &a[i], *y = &b[i];
		ck_assert_msg(x->kind == y->kind && x->level == y->level && x->target == y->target &&
		                      x->line == y->line && x->ncols == y->ncols && x->nrows == y->nrows,
		              "%s: block %zu differs", where, i);
		ck_assert_msg(str_eq(x->text, y->text), "%s: block %zu text '%s' vs '%s'", where, i,
		              nn(x->text), nn(y->text));
		ck_assert_msg(str_eq(x->marker, y->marker), "%s: block %zu marker", where, i);
		for (size_t c = 0; c < x->nrows * x->ncols; c++)
			ck_assert_msg(str_eq(x->cells[c], y->cells[c]), "%s: block %zu cell %zu", where, i,
			              c);
	}
}

static void assert_diags_equal(const struct doc_diag *a, size_t na, const struct doc_diag *b, size_t nb,
                               const char *what)
{
	ck_assert_msg(na == nb, "%s: %zu problems vs %zu", what, na, nb);
	for (size_t i = 0; i < na; i++)
		ck_assert_msg(strcmp(a[i].file, b[i].file) == 0 && a[i].line == b[i].line &&
		                      strcmp(a[i].msg, b[i].msg) == 0 && a[i].severity == b[i].severity &&
		                      a[i].seq == b[i].seq,
		              "%s %zu: %s:%d: %s vs %s:%d: %s", what, i, a[i].file, a[i].line, a[i].msg,
		              b[i].file, b[i].line, b[i].msg);
}

static void assert_span_equal(const struct lazy_span *x, const struct lazy_span *y, const char *what,
                              size_t i)
{
	ck_assert_msg(x->start == y->start && x->stop == y->stop && x->file == y->file &&
	                      x->first_item == y->first_item && x->nitems == y->nitems &&
	                      x->closed == y->closed && x->loaded == y->loaded,
	              "%s %zu: span differs", what, i);
}

/* Every field of two lazily loaded docs, then every page and explanation parsed and compared. */
static void assert_docs_equal(const struct doc *a, const struct doc *b)
{
	ck_assert_uint_eq(a->nchapters, b->nchapters);
	for (size_t i = 0; i < a->nchapters; i++) {
		ck_assert(str_eq(a->chapters[i].title, b->chapters[i].title));
		ck_assert_str_eq(a->chapters[i].file, b->chapters[i].file);
		ck_assert_int_eq(a->chapters[i].first_page, b->chapters[i].first_page);
		ck_assert_uint_eq(a->chapters[i].npages, b->chapters[i].npages);
	}
	ck_assert_uint_eq(a->npages, b->npages);
	for (size_t i = 0; i < a->npages; i++) {
		const struct page *x = &a->pages[i], *y = &b->pages[i];
		ck_assert_str_eq(x->id, y->id);
		ck_assert_str_eq(x->title, y->title);
		ck_assert_int_eq(x->chapter, y->chapter);
		ck_assert_str_eq(x->file, y->file);
		ck_assert_int_eq(x->line, y->line);
		ck_assert_uint_eq(x->nblocks, y->nblocks);
	}
	ck_assert_uint_eq(a->nitems, b->nitems);
	for (size_t i = 0; i < a->nitems; i++) {
		const struct item *x = &a->items[i], *y = &b->items[i];
		ck_assert_str_eq(x->id, y->id);
		ck_assert_msg(str_eq(x->text, y->text), "item %s: '%s' vs '%s'", x->id, nn(x->text),
		              nn(y->text));
		ck_assert_int_eq(x->group, y->group);
		ck_assert_int_eq(x->page, y->page);
		ck_assert_int_eq(x->question, y->question);
		ck_assert_int_eq(x->explain, y->explain);
		ck_assert_str_eq(x->file, y->file);
		ck_assert_int_eq(x->line, y->line);
	}
	ck_assert_uint_eq(a->ngroups, b->ngroups);
	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *x = &a->groups[i], *y = &b->groups[i];
		ck_assert_str_eq(x->id, y->id);
		ck_assert_int_eq(x->kind, y->kind);
		ck_assert_str_eq(x->title, y->title);
		ck_assert_int_eq(x->page, y->page);
		ck_assert_uint_eq(x->nitems, y->nitems);
		for (size_t k = 0; k < x->nitems; k++)
			ck_assert_uint_eq(x->items[k], y->items[k]);
	}
	ck_assert_uint_eq(a->nexplains, b->nexplains);
	for (size_t i = 0; i < a->nexplains; i++) {
		const struct explain *x = &a->explains[i], *y = &b->explains[i];
		ck_assert(str_eq(x->item_id, y->item_id));
		ck_assert_int_eq(x->item, y->item);
		ck_assert_str_eq(x->file, y->file);
		ck_assert_int_eq(x->line, y->line);
	}
	ck_assert_uint_eq(a->nerrors, b->nerrors);
	assert_diags_equal(a->diags, a->ndiags, b->diags, b->ndiags, "problem");
	/* What doc_page_load reads again: the files as indexed, the spans. */
	const struct doc_lazy *x = a->lazy, *y = b->lazy;
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(y);
	ck_assert_uint_eq(x->nfiles, y->nfiles);
	for (size_t i = 0; i < x->nfiles; i++) {
		const struct lazy_file *f = &x->files[i], *g = &y->files[i];
		ck_assert_str_eq(f->path, g->path);
		ck_assert(f->dev == g->dev && f->ino == g->ino && f->size == g->size &&
		          f->mtime.tv_sec == g->mtime.tv_sec && f->mtime.tv_nsec == g->mtime.tv_nsec);
	}
	ck_assert_uint_eq(x->npages, y->npages);
	for (size_t i = 0; i < x->npages; i++)
		assert_span_equal(&x->pages[i], &y->pages[i], "page", i);
	ck_assert_uint_eq(x->nexplains, y->nexplains);
	for (size_t i = 0; i < x->nexplains; i++)
		assert_span_equal(&x->explains[i], &y->explains[i], "explanation", i);
	/* The bodies, parsed on demand from the same spans. */
	doc_load_all(a);
	doc_load_all(b);
	for (size_t i = 0; i < a->npages; i++)
		assert_blocks_equal(a->pages[i].blocks, a->pages[i].nblocks, b->pages[i].blocks,
		                    b->pages[i].nblocks, a->pages[i].id);
	for (size_t i = 0; i < a->nexplains; i++)
		assert_blocks_equal(a->explains[i].blocks, a->explains[i].nblocks, b->explains[i].blocks,
		                    b->explains[i].nblocks, "an explanation");
	const struct doc_diag *la, *lb;
	size_t nla = doc_late_diags(a, &la), nlb = doc_late_diags(b, &lb);
	assert_diags_equal(la, nla, lb, nlb, "late problem");
}

/* A lazy load with the cache off: what the index pass gives. */
static int load_uncached(struct doc *d, const char *dir)
{
	doc_cache_enable(0);
	int r = doc_load_lazy(d, dir);
	doc_cache_enable(1);
	ck_assert_int_eq(doc_cache_last(), DOC_CACHE_UNUSED);
	return r;
}

/* Load dir lazily with the cache, check what the cache did and that d is the index pass's. */
static void load_expect(const char *dir, enum doc_cache_status want)
{
	struct doc c, u;
	int rc = doc_load_lazy(&c, dir);
	enum doc_cache_status got = doc_cache_last();
	int ru = load_uncached(&u, dir);
	ck_assert_msg(got == want, "cache status %d, wanted %d", (int)got, (int)want);
	ck_assert_int_eq(rc, ru);
	assert_docs_equal(&u, &c);
	doc_free(&c);
	doc_free(&u);
}

/* Every file in dir an hour old: a file written just now is not cached (DOC_CACHE_RACY_SECONDS). */
static void age_tree(const char *dir, int seconds_ago)
{
	DIR *dp = opendir(dir);
	ck_assert_ptr_nonnull(dp);
	struct timespec ts[2];
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= seconds_ago;
	ts[1] = ts[0];
	for (struct dirent *e; (e = readdir(dp));) {
		if (e->d_name[0] == '.')
			continue;
		ck_assert_int_eq(utimensat(dirfd(dp), e->d_name, ts, 0), 0);
	}
	closedir(dp);
}

/* A copy of the shipped content (its files' times ours to set). */
static char *copy_content(void)
{
	char *dir = testutil_path(work_dir, "content");
	char *cmd = xasprintf("cp -R '%s' '%s'", test_content_dir(), dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	age_tree(dir, 3600);
	return dir;
}

/* The cache file for dir, read whole (malloc'd), or NULL when there is none. */
static char *cache_bytes(const char *dir, size_t *len)
{
	char *path = doc_cache_file(dir);
	ck_assert_ptr_nonnull(path);
	char *b = testutil_slurp(path, len);
	free(path);
	return b;
}

START_TEST(hit_is_the_index_pass_on_the_shipped_content)
{
	char *dir = copy_content();
	load_expect(dir, DOC_CACHE_WRITTEN);
	char *path = doc_cache_file(dir);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	char *cdir = doc_cache_dir();
	struct stat dst;
	ck_assert_int_eq(stat(cdir, &dst), 0);
	ck_assert_uint_eq(dst.st_mode & 0777, 0700);
	load_expect(dir, DOC_CACHE_HIT);
	load_expect(dir, DOC_CACHE_HIT);
	/* A hit writes nothing: the same file. */
	struct stat st2;
	ck_assert_int_eq(stat(path, &st2), 0);
	ck_assert(st.st_ino == st2.st_ino && st.st_mtim.tv_nsec == st2.st_mtim.tv_nsec);
	free(cdir);
	free(path);
	free(dir);
}
END_TEST

/* A folding function applied after a hit frees no string of the cache (run under ASan). */
static char *fold_all(const char *text, void *ctx)
{
	(void)ctx;
	return xasprintf("<%s>", text);
}

START_TEST(hit_then_folded_is_folded_index)
{
	char *dir = copy_content();
	load_expect(dir, DOC_CACHE_WRITTEN);
	struct doc c, u;
	ck_assert_int_eq(doc_load_lazy(&c, dir), 0);
	ck_assert_int_eq(doc_cache_last(), DOC_CACHE_HIT);
	load_uncached(&u, dir);
	doc_map_text(&c, fold_all, NULL);
	doc_map_text(&u, fold_all, NULL);
	assert_docs_equal(&u, &c);
	ck_assert_str_eq(c.pages[0].title, u.pages[0].title);
	ck_assert(c.pages[0].title[0] == '<');
	doc_free(&c);
	doc_free(&u);
	free(dir);
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

static void write_file(const char *dir, const char *name, const char *text)
{
	char *p = testutil_path(dir, name);
	ck_assert_int_eq(testutil_write(p, text, strlen(text)), 0);
	free(p);
}

/* Problems found at start (errors and warnings) and later come back from the cache as they were. */
START_TEST(hit_keeps_the_problems)
{
	char *dir = testutil_path(work_dir, "tricky");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	write_file(dir, "01-tricky.txt", tricky);
	write_file(dir, "02-second.txt", second);
	write_file(dir, "03-notes.txt", explains_only);
	write_file(dir, "04-bad\x1b[1m.txt", "@chapter \xff\xfe bad \x01 bytes\n@page b1 B\ntext\n");
	char *fifo = testutil_path(dir, "05-fifo.txt");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	free(fifo);
	age_tree(dir, 3600);
	load_expect(dir, DOC_CACHE_WRITTEN);
	struct doc c;
	ck_assert_int_eq(doc_load_lazy(&c, dir), -1);
	ck_assert_int_eq(doc_cache_last(), DOC_CACHE_HIT);
	ck_assert_uint_gt(c.ndiags, 5);
	ck_assert_uint_gt(c.nerrors, 0);
	ck_assert_uint_lt(c.nerrors, c.ndiags);
	char *line = doc_problems_line(&c);
	ck_assert_ptr_nonnull(line);
	free(line);
	doc_free(&c);
	load_expect(dir, DOC_CACHE_HIT);
	free(dir);
}
END_TEST

/* bench/scale.py's 10x tree: 490 pages in 100 files. */
START_TEST(hit_is_the_index_pass_at_10x)
{
	const char *src = getenv("TESTS_SRCDIR");
	if (!src || access("/usr/bin/python3", X_OK) != 0) {
		fprintf(stderr, "check_doc_cache: no python3 or TESTS_SRCDIR: 10x not tested\n");
		return;
	}
	char *dir = testutil_path(work_dir, "x10");
	char *cmd = xasprintf("python3 '%s/../bench/scale.py' '%s' '%s' 10 >/dev/null", src,
	                      test_content_dir(), dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	age_tree(dir, 3600);
	load_expect(dir, DOC_CACHE_WRITTEN);
	load_expect(dir, DOC_CACHE_HIT);
	free(dir);
}
END_TEST

/* Change the tree as test i says (size, time, a new file, one removed, one renamed). */
static void change_tree(const char *dir, int i)
{
	char *first = testutil_path(dir, "01-tricky.txt");
	struct timespec ts[2];
	switch (i) {
	case 0: { /* one more byte, the time kept */
		struct stat st;
		ck_assert_int_eq(stat(first, &st), 0);
		FILE *f = fopen(first, "a");
		ck_assert_ptr_nonnull(f);
		fputs("x", f);
		fclose(f);
		ts[0] = st.st_atim;
		ts[1] = st.st_mtim;
		ck_assert_int_eq(utimensat(AT_FDCWD, first, ts, 0), 0);
		break;
	}
	case 1: /* the time only */
		clock_gettime(CLOCK_REALTIME, &ts[0]);
		ts[0].tv_sec -= 7200;
		ts[1] = ts[0];
		ck_assert_int_eq(utimensat(AT_FDCWD, first, ts, 0), 0);
		break;
	case 2:
		write_file(dir, "02-added.txt", "@chapter Added\n@page added Added\ntext\n");
		break;
	case 3:
		ck_assert_int_eq(unlink(first), 0);
		break;
	case 4: {
		char *to = testutil_path(dir, "09-renamed.txt");
		ck_assert_int_eq(rename(first, to), 0);
		free(to);
		break;
	}
	case 5: { /* the same size and times, another inode (a copy kept with cp -p) */
		char *tmp = testutil_path(dir, "tmp");
		char *cmd = xasprintf("cp -p '%s' '%s' && mv '%s' '%s'", first, tmp, tmp, first);
		ck_assert_int_eq(system(cmd), 0);
		free(cmd);
		free(tmp);
		break;
	}
	}
	free(first);
}

START_TEST(any_change_to_the_files_misses)
{
	char *dir = testutil_path(work_dir, "tree");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	write_file(dir, "01-tricky.txt", tricky);
	write_file(dir, "03-second.txt", second);
	age_tree(dir, 3600);
	load_expect(dir, DOC_CACHE_WRITTEN);
	load_expect(dir, DOC_CACHE_HIT);
	change_tree(dir, _i);
	/* Indexed again: the new content, not the cached one (a file just changed is not cached). */
	struct doc c;
	doc_load_lazy(&c, dir);
	ck_assert_int_ne(doc_cache_last(), DOC_CACHE_HIT);
	doc_free(&c);
	age_tree(dir, 1800);
	load_expect(dir, DOC_CACHE_WRITTEN);
	load_expect(dir, DOC_CACHE_HIT);
	free(dir);
}
END_TEST

/* A file changed after a start from the cache is told when its page is opened, as without it. */
START_TEST(file_changed_after_a_hit_is_told)
{
	char *dir = copy_content();
	load_expect(dir, DOC_CACHE_WRITTEN);
	struct doc c;
	ck_assert_int_eq(doc_load_lazy(&c, dir), 0);
	ck_assert_int_eq(doc_cache_last(), DOC_CACHE_HIT);
	const char *file = c.pages[c.npages - 1].file;
	FILE *f = fopen(file, "a");
	ck_assert_ptr_nonnull(f);
	fputs("\nmore\n", f);
	fclose(f);
	doc_page_load(&c, (int)c.npages - 1);
	char *late = doc_late_problems(&c);
	ck_assert_ptr_nonnull(late);
	ck_assert_msg(strstr(late, "changed after mamori started"), "%s", late);
	free(late);
	doc_free(&c);
	free(dir);
}
END_TEST

/* The UI's SIGBUS handler (ui.c's on_bus), cut down: what is not the cache's kills the test. */
static void test_on_bus(int sig, siginfo_t *si, void *uctx)
{
	(void)uctx;
	if (si->si_code > 0 && doc_cache_fault(si->si_addr))
		return;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* rsync --inplace or `: > file` on the cache while a mamori has it mapped. */
START_TEST(file_truncated_while_mapped_reads_empty)
{
	char *dir = copy_content();
	load_expect(dir, DOC_CACHE_WRITTEN);
	struct doc c, u;
	ck_assert_int_eq(doc_load(&u, dir), 0); /* what the ids are (an eager load: no cache) */
	ck_assert_int_eq(doc_load_lazy(&c, dir), 0);
	ck_assert_int_eq(doc_cache_last(), DOC_CACHE_HIT);
	ck_assert_ptr_null(doc_cache_lost());
	/* The titles are read from the mapping, not copied. */
	const char *title = c.pages[0].title;
	ck_assert(title >= c.lazy->map && title < c.lazy->map + c.lazy->map_len);
	ck_assert_uint_gt(strlen(title), 0);
	ck_assert_int_eq(doc_cache_fault(&c), 0); /* not the cache's: left alone */

	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = test_on_bus;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_SIGINFO;
	ck_assert_int_eq(sigaction(SIGBUS, &sa, &old), 0);
	char *file = doc_cache_file(dir);
	ck_assert_int_eq(truncate(file, 0), 0);

	/* Every title of the cache now reads as empty; nothing crashes; the ids were copied off it. */
	ck_assert_int_eq(doc_cache_was_lost(), 0);
	for (size_t i = 0; i < c.npages; i++) {
		ck_assert_str_eq(c.pages[i].title, "");
		ck_assert_str_eq(c.pages[i].id, u.pages[i].id);
	}
	for (size_t i = 0; i < c.nitems; i++)
		ck_assert_str_eq(c.items[i].id, u.items[i].id);
	for (size_t i = 0; i < c.ngroups; i++)
		ck_assert_str_eq(c.groups[i].id, u.groups[i].id);
	ck_assert_int_eq(doc_find_page(&c, u.pages[1].id), 1);
	ck_assert_int_eq(doc_cache_was_lost(), 1);
	const char *lost = doc_cache_lost();
	ck_assert_ptr_nonnull(lost);
	ck_assert_str_eq(lost, file);
	ck_assert_ptr_null(doc_cache_lost());      /* told once */
	ck_assert_int_eq(doc_cache_was_lost(), 1); /* and remembered */
	/* A page is still parsed from its own file, and freeing unmaps the zeroes. */
	doc_page_load(&c, 1);
	free(doc_late_problems(&c));
	doc_free(&c);
	doc_free(&u);
	sigaction(SIGBUS, &old, NULL);
	free(file);
	free(dir);
}
END_TEST

/* doc_cache_parse on buf, which must fail or succeed without harm; returns its result. */
static int parse_copy(const struct doc_cache_key *key, const char *buf, size_t len)
{
	/* An exact-size copy: ASan catches a read past the end. */
	char *copy = xmalloc(len ? len : 1);
	memcpy(copy, buf, len);
	struct doc d = { 0 };
	d.lazy = xcalloc(1, sizeof *d.lazy);
	int r = doc_cache_parse(&d, key, copy, len);
	if (r) {
		ck_assert_int_ge(doc_finish(&d), -1);
		doc_load_all(&d);
	}
	doc_free(&d);
	free(copy);
	return r;
}

/* The key load_dir would make for dir. */
static struct doc_cache_key *key_of(const char *dir)
{
	DIR *dp = opendir(dir);
	ck_assert_ptr_nonnull(dp);
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(dp));) {
		size_t l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0 && e->d_name[0] != '.') {
			names = xgrow(names, &cap, n + 1, sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
	}
	closedir(dp);
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			char *t = names[k];
			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	struct doc_cache_key *key = doc_cache_key_make(dir, names, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	ck_assert_ptr_nonnull(key);
	return key;
}

/* Put the checksum right again, so a change reaches the checks behind it. */
static void reseal(char *buf, size_t len)
{
	if (len < 24)
		return;
	uint64_t sum = doc_cache_checksum(buf + 24, len - 24);
	for (int i = 0; i < 8; i++)
		buf[16 + i] = (char)(unsigned char)(sum >> (8 * i));
}

START_TEST(damaged_caches_are_refused_never_crash)
{
	char *dir = testutil_path(work_dir, "tricky");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	write_file(dir, "01-tricky.txt", tricky);
	write_file(dir, "02-second.txt", second);
	write_file(dir, "03-notes.txt", explains_only);
	age_tree(dir, 3600);
	load_expect(dir, DOC_CACHE_WRITTEN);
	size_t len;
	char *good = cache_bytes(dir, &len);
	ck_assert_ptr_nonnull(good);
	struct doc_cache_key *key = key_of(dir);
	ck_assert_int_eq(parse_copy(key, good, len), 1);
	char *buf = xmalloc(len);
	/* Every truncation. */
	for (size_t n = 0; n < len; n++) {
		ck_assert_int_eq(parse_copy(key, good, n), 0);
		memcpy(buf, good, n);
		reseal(buf, n);
		ck_assert_int_eq(parse_copy(key, buf, n), 0);
	}
	/*
	 * Every bit flipped: the checksum refuses it.  Resealed, it reaches the
	 * checks behind it, which keep the model whole (many flips, a line
	 * number or a letter of a title, still make a whole model: those are
	 * the checksum's business) and nothing may crash, then or later.
	 */
	for (size_t i = 0; i < len; i++)
		for (int bit = 0; bit < 8; bit++) {
			memcpy(buf, good, len);
			buf[i] ^= (char)(1 << bit);
			ck_assert_int_eq(parse_copy(key, buf, len), 0);
			if (i >= 16 && i < 24)
				continue;
			reseal(buf, len);
			parse_copy(key, buf, len);
		}
	/* Random bytes over random places, resealed. */
	srand(15);
	for (int round = 0; round < 3000; round++) {
		memcpy(buf, good, len);
		int k = 1 + rand() % 4;
		for (int j = 0; j < k; j++)
			buf[24 + (size_t)rand() % (len - 24)] = (char)(rand() & 0xFF);
		reseal(buf, len);
		parse_copy(key, buf, len);
	}
	doc_cache_key_free(key);
	free(buf);

	/* Through the file: a damaged cache is not used, and is written again. */
	char *path = doc_cache_file(dir);
	char *bad = xmemdup(good, len);
	bad[len / 2] ^= 0x20;
	ck_assert_int_eq(testutil_write(path, bad, len), 0);
	load_expect(dir, DOC_CACHE_WRITTEN);
	load_expect(dir, DOC_CACHE_HIT);
	ck_assert_int_eq(testutil_write(path, good, len / 3), 0);
	load_expect(dir, DOC_CACHE_WRITTEN);
	ck_assert_int_eq(testutil_write(path, "", 0), 0);
	load_expect(dir, DOC_CACHE_WRITTEN);
	load_expect(dir, DOC_CACHE_HIT);
	free(bad);
	free(path);
	free(good);
	free(dir);
}
END_TEST

/*
 * The rule for texts read from a cache (sanitised text: UTF-8, no C0, DEL
 * or C1 control): the item text "an item that goes on" (20 bytes) swapped
 * for test bytes of the same length, resealed, must be refused or taken.
 */
START_TEST(cache_texts_must_be_sanitised_text)
{
	static const struct {
		const char *bytes; /* 20 bytes */
		int ok;
	} cases[] = {
		{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99"
		  "aaaaa",
		  1 },
		{ "aaaaa\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99", 1 },
		{ "\xe6\x97\xa5\xe6\x9c\x41\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99"
		  "aaaaa",
		  0 },
		{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99"
		  "aaaa\x1b",
		  0 },
		{ "\xe6\x97\xa5\xe6\x9c\xac"
		  "aaaaaaaaaaaa\x7f\x41",
		  0 },
		{ "\xe6\x97\xa5\xe6\x9c\xac\xc2\x85"
		  "aaaaaaaaaaaa",
		  0 },
		{ "\xe6\x97\xa5\xe6\x9c\xac\xc2\xa0"
		  "aaaaaaaaaaaa",
		  1 },
		{ "\xe6\x97\xa5\xe6\x9c\xac\xc0\xaf"
		  "aaaaaaaaaaaa",
		  0 },
		{ "\xe6\x97\xa5\xe0\x80\x80"
		  "aaaaaaaaaaaaaa",
		  0 },
		{ "\xe0\x80\x80\xe6\x97\xa5"
		  "aaaaaaaaaaaaaa",
		  0 },
		{ "\xe6\x97\xa5\xed\xa0\x80"
		  "aaaaaaaaaaaaaa",
		  0 },
		{ "\xed\xa0\x80\xe6\x97\xa5"
		  "aaaaaaaaaaaaaa",
		  0 },
		{ "\xe6\x97\xa5\xed\x9f\xbf"
		  "aaaaaaaaaaaaaa",
		  1 },
		{ "\xe6\x97\xa5\xe0\xa0\x80"
		  "aaaaaaaaaaaaaa",
		  1 },
		{ "\xf0\x9f\x98\x80\xe6\x97\xa5"
		  "aaaaaaaaaaaaa",
		  1 },
		{ "\xf4\x90\x80\x80\xe6\x97\xa5"
		  "aaaaaaaaaaaaa",
		  0 },
		{ "aaaaaaaaaaaaaaaaaa\xe3\x81", 0 },
		{ "aaaaaaaaaaaaaaaaaaa\xff", 0 },
		{ "aaaaaaaaa\taaaaaaaaaa", 0 },
		{ "aaaaaaaaa\x80"
		  "aaaaaaaaaa",
		  0 },
	};
	char *dir = testutil_path(work_dir, "tricky");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	write_file(dir, "01-tricky.txt", tricky);
	age_tree(dir, 3600);
	load_expect(dir, DOC_CACHE_WRITTEN);
	size_t len;
	char *good = cache_bytes(dir, &len);
	struct doc_cache_key *key = key_of(dir);
	const char *want = "an item that goes on";
	char *at = memmem(good, len, want, strlen(want));
	ck_assert_ptr_nonnull(at);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_uint_eq(strlen(cases[i].bytes), 20);
		char *buf = xmemdup(good, len);
		memcpy(buf + (at - good), cases[i].bytes, 20);
		reseal(buf, len);
		ck_assert_msg(parse_copy(key, buf, len) == cases[i].ok, "case %zu", i);
		free(buf);
	}
	doc_cache_key_free(key);
	free(good);
	free(dir);
}
END_TEST

/* A cache directory that is a symlink, or writable by group or others, is not used. */
START_TEST(unsafe_cache_dir_is_not_used)
{
	char *dir = copy_content();
	char *cdir = doc_cache_dir();
	char *elsewhere = testutil_path(work_dir, "elsewhere");
	ck_assert_int_eq(mkdir(cache_home, 0700), 0);
	ck_assert_int_eq(mkdir(elsewhere, 0700), 0);
	ck_assert_int_eq(symlink(elsewhere, cdir), 0);
	load_expect(dir, DOC_CACHE_NOT_WRITTEN);
	DIR *dp = opendir(elsewhere);
	int files = 0;
	for (struct dirent *e; (e = readdir(dp));)
		files += e->d_name[0] != '.';
	closedir(dp);
	ck_assert_int_eq(files, 0);
	ck_assert_int_eq(unlink(cdir), 0);

	ck_assert_int_eq(mkdir(cdir, 0700), 0);
	ck_assert_int_eq(chmod(cdir, 0770), 0);
	load_expect(dir, DOC_CACHE_NOT_WRITTEN);
	char *path = doc_cache_file(dir);
	ck_assert_int_ne(access(path, F_OK), 0);
	/* Nor read: a cache written while it was safe is left alone once it is not. */
	ck_assert_int_eq(chmod(cdir, 0700), 0);
	load_expect(dir, DOC_CACHE_WRITTEN);
	load_expect(dir, DOC_CACHE_HIT);
	ck_assert_int_eq(chmod(cdir, 0702), 0);
	load_expect(dir, DOC_CACHE_NOT_WRITTEN);
	struct stat st;
	ck_assert_int_eq(stat(cdir, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0702);
	ck_assert_int_eq(chmod(cdir, 0700), 0);

	/* A cache file that is a symlink is not followed, and is replaced, not written through. */
	char *target = testutil_path(elsewhere, "target");
	ck_assert_int_eq(testutil_write(target, "keep", 4), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink(target, path), 0);
	load_expect(dir, DOC_CACHE_WRITTEN);
	size_t n;
	char *t = testutil_slurp(target, &n);
	ck_assert_str_eq(t, "keep");
	struct stat lst;
	ck_assert_int_eq(lstat(path, &lst), 0);
	ck_assert(S_ISREG(lst.st_mode));
	load_expect(dir, DOC_CACHE_HIT);
	free(t);
	free(target);
	free(path);
	free(elsewhere);
	free(cdir);
	free(dir);
}
END_TEST

/* MAMORI_NO_INDEX_CACHE=1 turns it off: nothing read, nothing written, no directory made. */
START_TEST(no_index_cache_writes_nothing)
{
	char *dir = copy_content();
	setenv("MAMORI_NO_INDEX_CACHE", "1", 1);
	ck_assert_ptr_null(doc_cache_dir());
	load_expect(dir, DOC_CACHE_UNUSED);
	load_expect(dir, DOC_CACHE_UNUSED);
	ck_assert_int_ne(access(cache_home, F_OK), 0);
	/* "0" or empty leaves it on. */
	setenv("MAMORI_NO_INDEX_CACHE", "0", 1);
	load_expect(dir, DOC_CACHE_WRITTEN);
	load_expect(dir, DOC_CACHE_HIT);
	free(dir);
}
END_TEST

/* Eager loads (--check-content, --dump, --report) and a reader that did not enable it: nothing. */
START_TEST(eager_loads_never_use_it)
{
	char *dir = copy_content();
	struct doc d;
	ck_assert_int_eq(doc_load(&d, dir), 0);
	ck_assert_ptr_null(d.lazy);
	doc_free(&d);
	doc_cache_enable(0);
	ck_assert_int_eq(doc_load_lazy(&d, dir), 0);
	doc_free(&d);
	ck_assert_int_eq(doc_cache_last(), DOC_CACHE_UNUSED);
	ck_assert_int_ne(access(cache_home, F_OK), 0);
	free(dir);
}
END_TEST

/* A file modified in the last seconds is not cached: a change in the same clock tick could hide. */
START_TEST(racy_files_are_not_cached)
{
	char *dir = copy_content();
	age_tree(dir, 0);
	load_expect(dir, DOC_CACHE_NOT_WRITTEN);
	age_tree(dir, DOC_CACHE_RACY_SECONDS + 1);
	load_expect(dir, DOC_CACHE_WRITTEN);
	load_expect(dir, DOC_CACHE_HIT);
	free(dir);
}
END_TEST

Suite *doc_cache_suite(void)
{
	Suite *s = suite_create("doc_cache");
	TCase *tc = tcase_create("doc_cache");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, testutil_root_setup, testutil_root_teardown);
	tcase_add_checked_fixture(tc, cache_setup, cache_teardown);
	tcase_add_test(tc, hit_is_the_index_pass_on_the_shipped_content);
	tcase_add_test(tc, hit_then_folded_is_folded_index);
	tcase_add_test(tc, hit_keeps_the_problems);
	tcase_add_test(tc, hit_is_the_index_pass_at_10x);
	tcase_add_loop_test(tc, any_change_to_the_files_misses, 0, 6);
	tcase_add_test(tc, file_changed_after_a_hit_is_told);
	tcase_add_test(tc, file_truncated_while_mapped_reads_empty);
	tcase_add_test(tc, damaged_caches_are_refused_never_crash);
	tcase_add_test(tc, cache_texts_must_be_sanitised_text);
	tcase_add_test(tc, unsafe_cache_dir_is_not_used);
	tcase_add_test(tc, no_index_cache_writes_nothing);
	tcase_add_test(tc, eager_loads_never_use_it);
	tcase_add_test(tc, racy_files_are_not_cached);
	suite_add_tcase(s, tc);
	return s;
}
