/*
 * fuzz_doc_cache: libFuzzer target for the index cache's reader
 * (doc_cache_parse).  At start a real cache is made from a few chapters of
 * the content in a temp directory; each input is a list of edits to it
 * (3 bytes each: a 16-bit offset and a byte to XOR there, then, when one
 * byte is left, a cut at that fraction of the length), after which the
 * checksum is put right, so the edits reach every check behind it.  A
 * cache that is taken must then survive doc_finish, every page and
 * explanation parsed from its spans, and doc_free.  Built and run by
 * tests/fuzz/run.sh (no seeds needed: the real cache is the start).
 */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/doc.h"
#include "core/doc_cache.h"
#include "core/doc_internal.h"
#include "core/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *good;
static size_t good_len;
static struct doc_cache_key *key;
static char *names[8];
static size_t nnames;

static const char chapter[] = "@chapter Fuzz\n"
			      "@page p1 First\n"
			      "@group g1 diagnosis Questions\n"
			      "[ ] q1 a question that\n"
			      "  goes on\n"
			      "- a list\n"
			      "  [ ] not an item\n"
			      "| a | b |\n"
			      "| 1 | 2 | 3 |\n"
			      "@aside Box\n"
			      "=> p2 a link\n"
			      "@end\n"
			      "@explain q1\n"
			      "why[^1]\n"
			      "[^1]: a note\n"
			      "@end\n"
			      "@page p2 Second \x01\n"
			      "[ ] i2 \xff bad bytes\n"
			      "@explain nope\n"
			      "open to the end\n";

static const char notes[] = "@explain i2\n"
			    "=> p1\n"
			    "@end\n"
			    "@explain q1\n"
			    "twice\n"
			    "@end\n";

static void die(const char *what)
{
	fprintf(stderr, "fuzz_doc_cache: %s\n", what);
	abort();
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		die("cannot write the content");
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	utimensat(AT_FDCWD, p, ts, 0);
	free(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	char tmpl[] = "/tmp/fuzz-doc-cache.XXXXXX";
	char *root = mkdtemp(tmpl);
	if (!root)
		die("mkdtemp");
	char *dir = xasprintf("%s/content", root), *cache = xasprintf("%s/cache", root);
	if (mkdir(dir, 0700) != 0)
		die("mkdir");
	write_file(dir, "01-fuzz.txt", chapter);
	write_file(dir, "02-notes.txt", notes);
	names[nnames++] = xstrdup("01-fuzz.txt");
	names[nnames++] = xstrdup("02-notes.txt");
	setenv("XDG_CACHE_HOME", cache, 1);
	unsetenv("MAMORI_NO_INDEX_CACHE");
	doc_cache_enable(1);
	struct doc d;
	doc_load_lazy(&d, dir);
	doc_free(&d);
	if (doc_cache_last() != DOC_CACHE_WRITTEN)
		die("no cache was written");
	char *path = doc_cache_file(dir);
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		die("cannot open the cache");
	good = xmalloc(1 << 20);
	good_len = fread(good, 1, 1 << 20, f);
	fclose(f);
	key = doc_cache_key_make(dir, names, nnames);
	if (!key || good_len < 24)
		die("no key");
	free(path);
	free(cache);
	free(dir);
	/* The directory stays: a taken cache's pages are read from it. */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = good_len;
	char *buf = xmalloc(len);
	memcpy(buf, good, len);
	size_t i = 0;
	for (; i + 3 <= size; i += 3) {
		size_t off = ((size_t)data[i] << 8 | data[i + 1]) % len;
		buf[off] ^= (char)data[i + 2];
	}
	if (i < size)
		len = len * data[i] / 255;
	if (len >= 24) {
		uint64_t sum = doc_cache_checksum(buf + 24, len - 24);
		for (int k = 0; k < 8; k++)
			buf[16 + k] = (char)(unsigned char)(sum >> (8 * k));
	}
	/* An exact-size copy: a read past the end is the sanitizer's to catch. */
	char *exact = xmalloc(len ? len : 1);
	memcpy(exact, buf, len);
	free(buf);
	struct doc d = { 0 };
	d.lazy = xcalloc(1, sizeof *d.lazy);
	if (doc_cache_parse(&d, key, exact, len)) {
		doc_finish(&d);
		doc_load_all(&d);
		free(doc_late_problems(&d));
		char *line = doc_problems_line(&d);
		free(line);
		for (size_t k = 0; k < d.nitems; k++)
			doc_item_explain(&d, (int)k);
	}
	doc_free(&d);
	free(exact);
	return 0;
}
