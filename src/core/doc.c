/*
 * doc: the content parser and model (see doc.h and content/README.md).
 * The parser is line-oriented and never stops at the first problem: it
 * records a FILE:LINE diagnostic and goes on, so --check-content can list
 * every mistake in one run and the reader can still show what is good.
 *
 * One parser, four modes, so a lazily loaded page cannot differ from an
 * eager one: PARSE_ALL reads everything; PARSE_INDEX reads only the lines
 * that make the structure (structural_line) and steps over the rest with
 * a memchr per line, unsanitised; PARSE_PAGE and PARSE_EXPLAIN read one
 * page's or explanation's lines again later, with the structure taken
 * from the index and the index's problems not told twice (lazy->mute).
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/doc.h"
#include "core/doc_cache.h"
#include "core/doc_internal.h"
#include "core/text.h"
#include "core/util.h"

/*
 * Page and item ids, packed in blocks: one allocation per block rather
 * than per id (there are thousands at start).  An id is never changed or
 * freed alone; doc_free frees the blocks, and any id it does not find in
 * them (one a test made by hand) on its own.
 */
struct doc_strings {
	struct doc_strings *next;
	size_t used, cap;
	char data[];
};

#define DOC_STRINGS_BLOCK 16384

char *doc_strndup(struct doc *d, const char *s, size_t n)
{
	struct doc_strings *b = d->strings;
	if (!b || b->cap - b->used < n + 1) {
		size_t cap = n + 1 > DOC_STRINGS_BLOCK ? n + 1 : DOC_STRINGS_BLOCK;
		b = xmalloc(sizeof *b + cap);
		b->next = d->strings;
		b->used = 0;
		b->cap = cap;
		d->strings = b;
	}
	char *r = b->data + b->used;
	memcpy(r, s, n);
	r[n] = '\0';
	b->used += n + 1;
	return r;
}

/* 1 when p points into one of d's blocks (compared as addresses: the blocks are separate objects). */
static int doc_strings_own(const struct doc *d, const char *p)
{
	uintptr_t a = (uintptr_t)p;
	for (const struct doc_strings *b = d->strings; b; b = b->next)
		if (a >= (uintptr_t)b->data && a < (uintptr_t)b->data + b->cap)
			return 1;
	return 0;
}

/* 1 when p points into the index cache d was read from (compared as addresses, as above). */
static int doc_in_map(const struct doc *d, const char *p)
{
	const struct doc_lazy *lz = d->lazy;
	uintptr_t a = (uintptr_t)p;
	return lz && lz->map && a >= (uintptr_t)lz->map && a < (uintptr_t)lz->map + lz->map_len;
}

/* Free a string of d's model, unless the index cache or d's own string blocks hold it. */
static void doc_free_str(const struct doc *d, char *s)
{
	if (!doc_in_map(d, s) && !doc_strings_own(d, s))
		free(s);
}

/* doc_set_lazy's choice for doc_load. */
static int doc_lazy_default;

static const char *const group_kind_names[GROUP_KIND_COUNT] = { "principle", "action", "article",
	                                                        "diagnosis", "policy" };

const char *doc_group_kind_name(enum group_kind k)
{
	return (unsigned)k < GROUP_KIND_COUNT ? group_kind_names[k] : "?";
}

int doc_group_kind_parse(const char *name)
{
	for (int k = 0; k < GROUP_KIND_COUNT; k++)
		if (strcmp(name, group_kind_names[k]) == 0)
			return k;
	return -1;
}

/*
 * Record a problem.  The file name and the message are sanitised here, once:
 * a file name is whatever bytes the directory holds, and a message may quote
 * another file's name ("first at ..."), so nothing that reads a diagnostic
 * can send a raw control byte to a terminal by forgetting to.
 */
static void vdiag(struct doc *d, enum doc_severity sev, const char *file, int line, const char *fmt,
                  va_list ap) UTIL_PRINTF(5, 0);

static void vdiag(struct doc *d, enum doc_severity sev, const char *file, int line, const char *fmt,
                  va_list ap)
{
	if (d->lazy && d->lazy->mute)
		return;
	d->diags = xgrow(d->diags, &d->cap_diags, d->ndiags + 1, sizeof *d->diags);
	struct doc_diag *nd = &d->diags[d->ndiags];
	nd->file = text_sanitize(file, strlen(file));
	nd->line = line;
	char *msg = xvasprintf(fmt, ap);
	nd->msg = text_sanitize(msg, strlen(msg));
	free(msg);
	nd->severity = sev;
	nd->seq = d->ndiags++;
	if (sev == DOC_ERROR)
		d->nerrors++;
}

/* An error: the parser dropped or guessed something (see enum doc_severity). */
static void diag(struct doc *d, const char *file, int line, const char *fmt, ...) UTIL_PRINTF(4, 5);

static void diag(struct doc *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(d, DOC_ERROR, file, line, fmt, ap);
	va_end(ap);
}

/* A warning: the text is kept and shown as written, the problem visible. */
static void warn(struct doc *d, const char *file, int line, const char *fmt, ...) UTIL_PRINTF(4, 5);

static void warn(struct doc *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(d, DOC_WARNING, file, line, fmt, ap);
	va_end(ap);
}

enum {
	OPEN_NONE,
	OPEN_TEXT,
	OPEN_TABLE
};

enum parse_mode {
	PARSE_ALL,     /* everything (doc_parse_buffer, the eager doc_load) */
	PARSE_INDEX,   /* the structure only, body lines stepped over */
	PARSE_PAGE,    /* one page's lines, structure from the index */
	PARSE_EXPLAIN, /* one explanation's lines, likewise */
};

/* Parser state for one chapter file. */
struct parser {
	struct doc *d;
	enum parse_mode mode;
	int open_item;              /* the open text is a checklist item's */
	int cont;                   /* PARSE_INDEX: a list item, footnote or link is open */
	int skipping;               /* PARSE_PAGE: inside an @explain, whose lines are not the page's */
	size_t next_item, end_item; /* PARSE_PAGE: the page's items, in order */
	size_t line_at, next_at;    /* bytes: where this line and the next start */
	size_t file_index;          /* PARSE_INDEX: index into lazy.files */
	int eof;                    /* the end of the file was reached */
	const char *file;           /* owned by the chapter */
	int lineno;
	int chapter;
	int page;  /* index into d->pages, or -1 */
	int group; /* current group on this page, or -1 */
	int in_aside;
	int aside_line;
	int explain;              /* index into d->explains inside @explain ... @end, else -1 */
	size_t explain_block_cap; /* capacity of that explanation's blocks */
	int nexplains;            /* explanations begun in this file */
	size_t block_cap;         /* capacity of the current page's blocks */
	int open;                 /* OPEN_TEXT or OPEN_TABLE: the last block goes on */
	struct buf acc;           /* text being accumulated for the open block */
	size_t table_rows_cap;
};

int doc_id_valid(const char *s, size_t len)
{
	/*
	 * By hand, not isalnum: that one follows the locale, and an id must
	 * not.  A bit per ASCII byte: '-', '.', '0'-'9' below 64; 'A'-'Z',
	 * '_', 'a'-'z' from 64 (every id of the content passes here).
	 */
	static const uint64_t low = 0x03FF600000000000u, high = 0x07FFFFFE87FFFFFEu;

	if (len == 0 || len > DOC_ID_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned c = (unsigned char)s[i];
		if (!(c < 64 ? low >> c & 1 : c < 128 && high >> (c - 64) & 1))
			return 0;
	}
	return 1;
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static size_t word_len(const char *s)
{
	size_t n = 0;
	while (s[n] && s[n] != ' ' && s[n] != '\t')
		n++;
	return n;
}

/*
 * Join a continuation line: Japanese runs straight on, but two Latin words
 * split across lines need the space the line end stood for.
 */
static void acc_join(struct parser *p, const char *s)
{
	s = skip_spaces(s);
	const struct buf *a = &p->acc;
	if (a->len > 0 && (unsigned char)a->s[a->len - 1] < 0x80 && a->s[a->len - 1] != ' ' &&
	    (unsigned char)s[0] < 0x80)
		buf_addc(&p->acc, ' ');
	buf_adds(&p->acc, s);
}

/* 1 when body lines have somewhere to go: an open @explain, else the current page. */
static int has_blocks(const struct parser *p)
{
	return p->explain >= 0 || p->page >= 0;
}

/*
 * The block list body lines go to: inside @explain ... @end the
 * explanation's, else the page's.  One place decides, so every kind of
 * block parses the same way in both.
 */
static struct block **cur_blocks(struct parser *p, size_t **n, size_t **cap)
{
	if (p->explain >= 0) {
		struct explain *e = &p->d->explains[p->explain];
		*n = &e->nblocks;
		*cap = &p->explain_block_cap;
		return &e->blocks;
	}
	struct page *pg = &p->d->pages[p->page];
	*n = &pg->nblocks;
	*cap = &p->block_cap;
	return &pg->blocks;
}

static struct block *new_block(struct parser *p, enum block_kind kind)
{
	size_t *n, *cap;
	struct block **blocks = cur_blocks(p, &n, &cap);

	*blocks = xgrow(*blocks, cap, *n + 1, sizeof **blocks);
	struct block *b = &(*blocks)[(*n)++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->target = -1;
	b->line = p->lineno;
	return b;
}

static struct block *last_block(struct parser *p)
{
	size_t *n, *cap;
	struct block **blocks = cur_blocks(p, &n, &cap);
	return *n ? &(*blocks)[*n - 1] : NULL;
}

/*
 * Turn "[^N]" references into a visible "(注N)" and check that each has a
 * definition on the page: definitions may come after the reference, so the
 * check runs when the page ends (see check_footnotes).
 */
static char *render_footnote_refs_n(const char *s, size_t n)
{
	/* Most texts have no reference: one memchr per '[', then a copy of the known length. */
	const char *b = memchr(s, '[', n);
	while (b && b[1] != '^')
		b = memchr(b + 1, '[', n - (size_t)(b + 1 - s));
	if (!b) {
		char *r = xmalloc(n + 1);
		memcpy(r, s, n);
		r[n] = '\0';
		return r;
	}
	struct buf out = { 0 };

	for (size_t i = 0; i < n;) {
		if (s[i] == '[' && s[i + 1] == '^') {
			size_t j = i + 2;
			while (j < n && s[j] != ']' && j - i < 20)
				j++;
			if (j < n && s[j] == ']' && j > i + 2) {
				buf_printf(&out, "(注%.*s)", (int)(j - i - 2), s + i + 2);
				i = j + 1;
				continue;
			}
		}
		buf_addc(&out, s[i++]);
	}
	return buf_take(&out);
}

/* The same for a NUL-terminated s. */
static char *render_footnote_refs(const char *s)
{
	return render_footnote_refs_n(s, strlen(s));
}

/*
 * Close the open block: its accumulated text becomes the block's text.
 * An item's text is the item's too, set where the item is made (the
 * index, or an eager load); the index keeps no blocks.
 */
static void flush(struct parser *p)
{
	if (p->open == OPEN_TEXT && has_blocks(p)) {
		const char *acc = p->acc.s ? p->acc.s : "";
		size_t acc_len = p->acc.s ? p->acc.len : 0;
		if (p->mode == PARSE_INDEX) {
			if (p->open_item) {
				struct item *it = &p->d->items[p->d->nitems - 1];
				free(it->text);
				it->text = render_footnote_refs_n(acc, acc_len);
			}
		} else {
			struct block *b = last_block(p);
			if (b->kind == BLOCK_ITEM && p->mode == PARSE_ALL) {
				struct item *it = &p->d->items[b->target];
				free(it->text);
				it->text = render_footnote_refs_n(acc, acc_len);
			}
			free(b->text);
			b->text = render_footnote_refs_n(acc, acc_len);
		}
	}
	p->open = OPEN_NONE;
	p->open_item = 0;
	p->cont = 0;
	buf_reset(&p->acc);
}

static void open_text_block(struct parser *p, enum block_kind kind, const char *text)
{
	flush(p);
	new_block(p, kind);
	p->open = OPEN_TEXT;
	buf_adds(&p->acc, text);
}

static int need_page(struct parser *p)
{
	if (!has_blocks(p)) {
		diag(p->d, p->file, p->lineno, "text before the first @page");
		return 0;
	}
	return 1;
}

/*
 * Every footnote reference needs its definition among the same blocks
 * (where says which: "on page 'x'"); definitions may come after the
 * reference, so this runs when the page or explanation ends.
 */
static void check_footnotes(struct parser *p, const struct block *blocks, size_t n, const char *where)
{
	for (size_t i = 0; i < n; i++) {
		const char *t = blocks[i].text;
		for (const char *r = t ? strstr(t, "(注") : NULL; r; r = strstr(r + 1, "(注")) {
			const char *num = r + strlen("(注");
			const char *end = strchr(num, ')');
			if (!end)
				continue;
			int found = 0;
			for (size_t k = 0; k < n && !found; k++)
				found = blocks[k].kind == BLOCK_FOOTNOTE &&
				        strlen(blocks[k].marker) == (size_t)(end - num) &&
				        strncmp(blocks[k].marker, num, (size_t)(end - num)) == 0;
			if (!found)
				warn(p->d, p->file, blocks[i].line,
				     "footnote [^%.*s] has no definition ([^%.*s]: ...) %s",
				     (int)(end - num), num, (int)(end - num), num, where);
		}
	}
}

static void end_page(struct parser *p)
{
	flush(p);
	if (p->page < 0)
		return;
	struct page *pg = &p->d->pages[p->page];
	if (p->in_aside) {
		/* The page's business, told when its body is parsed. */
		if (p->mode != PARSE_INDEX) {
			warn(p->d, p->file, p->aside_line,
			     "@aside is not closed with @end before the page ends");
			new_block(p, BLOCK_ASIDE_END);
		}
		p->in_aside = 0;
	}
	if (p->mode == PARSE_INDEX) {
		struct lazy_span *sp = &p->d->lazy->pages[p->page];
		sp->stop = p->line_at;
		sp->nitems = p->d->nitems - sp->first_item;
		sp->closed = !p->eof;
		return;
	}
	char *where = xasprintf("on page '%s'", pg->id);
	check_footnotes(p, pg->blocks, pg->nblocks, where);
	free(where);
}

/*
 * Close the open @explain.  Reached by @end, and (as an error: the parser
 * had to guess where it ended) by @page or the end of the file, so what
 * follows is not swallowed into the explanation.
 */
static void end_explain(struct parser *p, int closed)
{
	flush(p);
	struct explain *e = &p->d->explains[p->explain];
	const char *id = e->item_id ? e->item_id : "?";
	struct doc_lazy *lz = p->d->lazy;
	if (!closed) {
		/* Told by the index; an explanation parsed later does not tell it again. */
		if (p->mode == PARSE_EXPLAIN)
			lz->mute++;
		diag(p->d, p->file, e->line, "@explain %s is not closed with @end", id);
		if (p->mode == PARSE_EXPLAIN)
			lz->mute--;
	} else if (e->nblocks == 0 && p->mode != PARSE_INDEX) {
		warn(p->d, p->file, e->line, "@explain %s has no text", id);
	}
	if (p->mode == PARSE_INDEX) {
		struct lazy_span *sp = &lz->explains[p->explain];
		sp->stop = p->line_at;
		sp->closed = closed;
		p->explain = -1;
		return;
	}
	char *where = xasprintf("in @explain %s", id);
	check_footnotes(p, e->blocks, e->nblocks, where);
	free(where);
	p->explain = -1;
}

/* Open an explanation: `@explain ITEM-ID` (the item is found in doc_finish, in any file). */
static void begin_explain(struct parser *p, const char *arg)
{
	struct doc *d = p->d;
	size_t idlen = word_len(arg);

	if (p->explain >= 0) {
		diag(d, p->file, p->lineno, "@explain inside an @explain (close the first with @end)");
		return;
	}
	if (p->in_aside) {
		diag(d, p->file, p->lineno,
		     "@explain inside an @aside (close the @aside with @end first)");
		return;
	}
	if (!doc_id_valid(arg, idlen))
		diag(d, p->file, p->lineno, "@explain needs the id of a checklist item: @explain item-id");
	else if (*skip_spaces(arg + idlen))
		warn(d, p->file, p->lineno,
		     "@explain takes only an item id; the rest of the line is ignored");
	if (p->mode == PARSE_PAGE) {
		/* The explanation is parsed on its own when asked for. */
		p->skipping = 1;
		return;
	}
	/*
	 * An explanation parsed again never opens another: its span ends at
	 * its @end.  Only a span that does not match its file (a damaged index
	 * cache) gets here, and must not grow the doc's explanations.
	 */
	if (p->mode == PARSE_EXPLAIN)
		return;
	d->explains = xgrow(d->explains, &d->cap_explains, d->nexplains + 1, sizeof *d->explains);
	struct explain *e = &d->explains[d->nexplains];
	memset(e, 0, sizeof *e);
	/* An invalid id still opens the block, so its lines are not reported one by one. */
	e->item_id = doc_id_valid(arg, idlen) ? xstrndup(arg, idlen) : NULL;
	e->item = -1;
	e->file = xstrdup(p->file);
	e->line = p->lineno;
	if (p->mode == PARSE_INDEX) {
		struct doc_lazy *lz = d->lazy;
		lz->explains =
			xgrow(lz->explains, &lz->cap_explains, lz->nexplains + 1, sizeof *lz->explains);
		struct lazy_span *sp = &lz->explains[lz->nexplains++];
		memset(sp, 0, sizeof *sp);
		sp->start = sp->stop = p->next_at;
		sp->file = p->file_index;
	}
	p->explain = (int)d->nexplains++;
	p->explain_block_cap = 0;
	p->nexplains++;
}

/* FNV-1a: group ids are short. */
static size_t id_hash(const char *s)
{
	size_t h = (size_t)1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211u;
	return h;
}

static void group_hash_insert(struct doc *d, size_t g)
{
	size_t mask = d->groups_seen_cap - 1, i = id_hash(d->groups[g].id) & mask;
	while (d->groups_seen[i])
		i = (i + 1) & mask;
	d->groups_seen[i] = g + 1;
	d->groups_seen_n = g + 1;
}

/* Every group of d in the table again, at most half full. */
static void group_hash_rebuild(struct doc *d)
{
	free(d->groups_seen);
	d->groups_seen_cap = 64;
	while (d->ngroups * 2 > d->groups_seen_cap)
		d->groups_seen_cap *= 2;
	d->groups_seen = xcalloc(d->groups_seen_cap, sizeof *d->groups_seen);
	for (size_t k = 0; k < d->ngroups; k++)
		group_hash_insert(d, k);
}

/* Group g was added (the last one): into the table, or the table made again. */
static void group_hash_add(struct doc *d, size_t g)
{
	if (d->ngroups < 16)
		return; /* found by a scan (find_group_loading) */
	if (!d->groups_seen || d->groups_seen_n != g || d->ngroups * 2 > d->groups_seen_cap)
		group_hash_rebuild(d);
	else
		group_hash_insert(d, g);
}

/*
 * A group by id while the content is read (doc_finish has not made its
 * tables yet): with thousands of groups a hash, so loading stays linear
 * in the content, eager or lazy.  A group added by hand (the tests) is
 * seen by the count, and the table made again.
 */
static int find_group_loading(struct doc *d, const char *id)
{
	if (d->ngroups < 16)
		return doc_find_group(d, id);
	if (!d->groups_seen || d->groups_seen_n != d->ngroups)
		group_hash_rebuild(d);
	size_t mask = d->groups_seen_cap - 1;
	for (size_t i = id_hash(id) & mask; d->groups_seen[i]; i = (i + 1) & mask)
		if (strcmp(d->groups[d->groups_seen[i] - 1].id, id) == 0)
			return (int)(d->groups_seen[i] - 1);
	return -1;
}

static void directive(struct parser *p, const char *line)
{
	const char *name = line + 1;
	size_t nlen = word_len(name);
	const char *arg = skip_spaces(name + nlen);

	flush(p);
	/* Parsed again later, a page or explanation takes its structure from the index. */
	int again = p->mode == PARSE_PAGE || p->mode == PARSE_EXPLAIN;
	if (nlen == 7 && strncmp(name, "chapter", 7) == 0) {
		if (again)
			return;
		struct chapter *c = &p->d->chapters[p->chapter];
		if (c->title)
			diag(p->d, p->file, p->lineno, "a second @chapter in one file");
		else if (p->page >= 0)
			diag(p->d, p->file, p->lineno, "@chapter must come before the first @page");
		else if (!*arg)
			warn(p->d, p->file, p->lineno, "@chapter needs a title");
		else
			c->title = xstrdup(arg);
	} else if (nlen == 4 && strncmp(name, "page", 4) == 0) {
		if (again)
			return; /* not reached: a page's lines end before the next @page */
		size_t idlen = word_len(arg);
		const char *title = skip_spaces(arg + idlen);
		if (p->explain >= 0)
			end_explain(p, 0);
		end_page(p);
		if (!doc_id_valid(arg, idlen)) {
			diag(p->d, p->file, p->lineno,
			     "@page needs an id of letters, digits, '-', '_' or '.' (got '%.*s')",
			     (int)(idlen > 40 ? 40 : idlen), arg);
		}
		if (!*title)
			warn(p->d, p->file, p->lineno, "@page %.*s needs a title after its id", (int)idlen,
			     arg);
		struct doc *d = p->d;
		d->pages = xgrow(d->pages, &d->cap_pages, d->npages + 1, sizeof *d->pages);
		struct page *pg = &d->pages[d->npages];
		memset(pg, 0, sizeof *pg);
		pg->id = doc_strndup(d, arg, idlen);
		pg->title = xstrdup(*title ? title : pg->id);
		pg->chapter = p->chapter;
		pg->file = p->file;
		pg->line = p->lineno;
		if (p->mode == PARSE_INDEX) {
			struct doc_lazy *lz = d->lazy;
			lz->pages = xgrow(lz->pages, &lz->cap_pages, lz->npages + 1, sizeof *lz->pages);
			struct lazy_span *sp = &lz->pages[lz->npages++];
			memset(sp, 0, sizeof *sp);
			sp->start = sp->stop = p->next_at;
			sp->file = p->file_index;
			sp->first_item = d->nitems;
		}
		p->page = (int)d->npages++;
		p->block_cap = 0;
		p->group = -1;
		struct chapter *c = &d->chapters[p->chapter];
		if (c->npages++ == 0)
			c->first_page = p->page;
	} else if (nlen == 5 && strncmp(name, "group", 5) == 0) {
		if (p->explain >= 0) {
			diag(p->d, p->file, p->lineno,
			     "@group inside @explain (an explanation holds no checklist items)");
			return;
		}
		if (!need_page(p) || again)
			return;
		size_t idlen = word_len(arg);
		const char *kind = skip_spaces(arg + idlen);
		size_t klen = word_len(kind);
		const char *title = skip_spaces(kind + klen);
		char *id = xstrndup(arg, idlen);
		int existing = find_group_loading(p->d, id);
		if (!doc_id_valid(arg, idlen)) {
			diag(p->d, p->file, p->lineno,
			     "@group needs an id of letters, digits, '-', '_' or '.'");
			free(id);
		} else if (klen == 0) {
			if (existing < 0)
				diag(p->d, p->file, p->lineno,
				     "@group %s is not declared yet (write @group %s KIND TITLE first)",
				     id, id);
			p->group = existing;
			free(id);
		} else if (existing >= 0) {
			diag(p->d, p->file, p->lineno, "group id '%s' is declared twice", id);
			p->group = existing;
			free(id);
		} else {
			char *k = xstrndup(kind, klen);
			int kk = doc_group_kind_parse(k);
			if (kk < 0)
				diag(p->d, p->file, p->lineno,
				     "unknown group kind '%s' (principle, action, article, diagnosis or policy)",
				     k);
			free(k);
			struct doc *d = p->d;
			d->groups = xgrow(d->groups, &d->cap_groups, d->ngroups + 1, sizeof *d->groups);
			struct group *g = &d->groups[d->ngroups];
			memset(g, 0, sizeof *g);
			g->id = id;
			g->kind = kk < 0 ? GROUP_POLICY : (enum group_kind)kk;
			g->title = xstrdup(*title ? title : id);
			g->page = p->page;
			if (!*title)
				warn(d, p->file, p->lineno, "@group %s needs a title", id);
			p->group = (int)d->ngroups++;
			group_hash_add(d, (size_t)p->group);
		}
	} else if (nlen == 5 && strncmp(name, "aside", 5) == 0) {
		if (p->explain >= 0) {
			diag(p->d, p->file, p->lineno,
			     "@aside inside @explain (close the @explain first)");
			return;
		}
		if (!need_page(p))
			return;
		if (p->in_aside) {
			diag(p->d, p->file, p->lineno,
			     "@aside inside an @aside (close the first with @end)");
			return;
		}
		if (p->mode != PARSE_INDEX) {
			struct block *b = new_block(p, BLOCK_ASIDE_BEGIN);
			b->text = xstrdup(arg);
		}
		p->in_aside = 1;
		p->aside_line = p->lineno;
	} else if (nlen == 7 && strncmp(name, "explain", 7) == 0) {
		begin_explain(p, arg);
	} else if (nlen == 3 && strncmp(name, "end", 3) == 0) {
		if (p->explain >= 0) {
			end_explain(p, 1);
			return;
		}
		if (!need_page(p))
			return;
		if (!p->in_aside) {
			diag(p->d, p->file, p->lineno, "@end without an @aside or @explain");
			return;
		}
		if (p->mode != PARSE_INDEX)
			new_block(p, BLOCK_ASIDE_END);
		p->in_aside = 0;
	} else {
		diag(p->d, p->file, p->lineno,
		     "unknown directive '@%.*s' (@chapter, @page, @group, @aside, @explain or @end)",
		     (int)(nlen > 40 ? 40 : nlen), name);
	}
}

/* Length of a numbered-list marker at s ("1.", "(12)", "①") followed by a space, or 0. */
static size_t numbered_marker(const char *s)
{
	size_t i = 0;

	if (isdigit((unsigned char)s[0])) {
		while (isdigit((unsigned char)s[i]))
			i++;
		if (s[i] == '.' && s[i + 1] == ' ')
			return i + 1;
		return 0;
	}
	if (s[0] == '(' && isdigit((unsigned char)s[1])) {
		i = 1;
		while (isdigit((unsigned char)s[i]))
			i++;
		if (s[i] == ')' && s[i + 1] == ' ')
			return i + 1;
		return 0;
	}
	/* ① .. ⑳ are U+2460..U+2473: E2 91 A0 .. E2 91 B3. */
	if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x91 && (unsigned char)s[2] >= 0xA0 &&
	    (unsigned char)s[2] <= 0xB3 && s[3] == ' ')
		return 3;
	return 0;
}

static int is_separator_row(const char *s)
{
	for (; *s; s++)
		if (*s != '|' && *s != '-' && *s != ':' && *s != ' ')
			return 0;
	return 1;
}

static void table_row(struct parser *p, const char *line)
{
	struct block *b = last_block(p);
	const char *s = line + 1;
	char **cells = NULL;
	size_t n = 0, cap = 0;

	if (p->open != OPEN_TABLE || !b || b->kind != BLOCK_TABLE) {
		flush(p);
		b = new_block(p, BLOCK_TABLE);
		p->table_rows_cap = 0;
		p->open = OPEN_TABLE;
	} else if (is_separator_row(line)) {
		return;
	}
	while (*s) {
		const char *bar = strchr(s, '|');
		const char *end = bar ? bar : s + strlen(s);
		if (!bar && *skip_spaces(s) == '\0')
			break;
		const char *a = skip_spaces(s), *z = end;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		cells = xgrow(cells, &cap, n + 1, sizeof *cells);
		char *raw = xstrndup(a, (size_t)(z - a));
		cells[n++] = render_footnote_refs(raw);
		free(raw);
		if (!bar)
			break;
		s = bar + 1;
	}
	if (b->nrows == 0) {
		b->ncols = n ? n : 1;
	} else if (n > b->ncols) {
		/* The cells past the header's are dropped: content lost, an error. */
		diag(p->d, p->file, p->lineno, "table row has %zu cells, the header has %zu", n, b->ncols);
	} else if (n < b->ncols) {
		warn(p->d, p->file, p->lineno, "table row has %zu cells, the header has %zu", n, b->ncols);
	}
	b->cells = xgrow(b->cells, &p->table_rows_cap, (b->nrows + 1) * b->ncols, sizeof *b->cells);
	for (size_t c = 0; c < b->ncols; c++)
		b->cells[b->nrows * b->ncols + c] = c < n ? cells[c] : xstrdup("");
	for (size_t c = b->ncols; c < n; c++)
		free(cells[c]);
	free(cells);
	b->nrows++;
}

static void item_line(struct parser *p, const char *rest)
{
	size_t idlen = word_len(rest);
	const char *text = skip_spaces(rest + idlen);
	struct doc *d = p->d;

	if (!doc_id_valid(rest, idlen)) {
		diag(d, p->file, p->lineno, "a checklist item needs an id: [ ] item-id text");
		if (p->mode != PARSE_INDEX)
			open_text_block(p, BLOCK_PARA, text);
		return;
	}
	if (p->mode == PARSE_PAGE) {
		/* The index made the page's items in this order. */
		if (p->next_item >= p->end_item) {
			open_text_block(p, BLOCK_PARA, text); /* not reached: the file is as indexed */
			return;
		}
		open_text_block(p, BLOCK_ITEM, text);
		last_block(p)->target = (int)p->next_item++;
		p->open_item = 1;
		return;
	}
	char *id = doc_strndup(d, rest, idlen);
	/* Ids used twice are found in doc_finish, by sorting: a search per item would be quadratic. */
	if (p->group < 0)
		diag(d, p->file, p->lineno,
		     "item '%s' is not in a group (put @group before it on this page)", id);
	if (!*text)
		warn(d, p->file, p->lineno, "item '%s' has no text", id);
	d->items = xgrow(d->items, &d->cap_items, d->nitems + 1, sizeof *d->items);
	struct item *it = &d->items[d->nitems];
	memset(it, 0, sizeof *it);
	it->id = id;
	it->group = p->group;
	it->page = p->page;
	it->explain = -1;
	it->file = p->file;
	it->line = p->lineno;
	if (p->group >= 0) {
		struct group *g = &d->groups[p->group];
		it->question = g->kind == GROUP_DIAGNOSIS;
		g->items = xgrow(g->items, &g->cap_items, g->nitems + 1, sizeof *g->items);
		g->items[g->nitems++] = d->nitems;
	}
	if (p->mode == PARSE_INDEX) {
		/* The item's text is all the index keeps of its lines (see flush). */
		d->nitems++;
		p->open = OPEN_TEXT;
		buf_adds(&p->acc, text);
	} else {
		open_text_block(p, BLOCK_ITEM, text);
		last_block(p)->target = (int)d->nitems;
		d->nitems++;
	}
	p->open_item = 1;
}

static void parse_line(struct parser *p, const char *line)
{
	const char *t = skip_spaces(line);
	int indented = t - line >= 2;
	struct block *b = has_blocks(p) && p->mode != PARSE_INDEX ? last_block(p) : NULL;

	if (*t == '\0') {
		flush(p);
		return;
	}
	if (strncmp(t, "//", 2) == 0 && t == line)
		return;
	if (line[0] == '@') {
		directive(p, line);
		return;
	}
	if (!need_page(p))
		return;
	/* An indented line continues a list item, footnote, link or checklist item. */
	if (indented && p->open == OPEN_TEXT &&
	    (p->mode == PARSE_INDEX ? p->open_item
	                            : b && b->kind != BLOCK_PARA && b->kind != BLOCK_HEADING)) {
		acc_join(p, t);
		return;
	}
	if (p->mode == PARSE_INDEX) {
		/* structural_line sends only items here (and directives, handled above). */
		flush(p);
		if (p->explain < 0 && strncmp(t, "[ ] ", 4) == 0)
			item_line(p, skip_spaces(t + 4));
		return;
	}
	if (strncmp(t, "### ", 4) == 0 || strncmp(t, "## ", 3) == 0) {
		int level = t[2] == '#' ? 3 : 2;
		flush(p);
		struct block *h = new_block(p, BLOCK_HEADING);
		h->level = level;
		h->text = render_footnote_refs(skip_spaces(t + level));
		return;
	}
	if (t[0] == '|') {
		table_row(p, t);
		return;
	}
	if (strncmp(t, "- ", 2) == 0) {
		open_text_block(p, BLOCK_BULLET, skip_spaces(t + 2));
		return;
	}
	size_t m = numbered_marker(t);
	if (m) {
		open_text_block(p, BLOCK_NUMBERED, skip_spaces(t + m));
		last_block(p)->marker = xstrndup(t, m);
		return;
	}
	if (strncmp(t, "[^", 2) == 0) {
		const char *close = strstr(t, "]:");
		if (close && close - t > 2 && close - t < 22) {
			open_text_block(p, BLOCK_FOOTNOTE, skip_spaces(close + 2));
			last_block(p)->marker = xstrndup(t + 2, (size_t)(close - t - 2));
			return;
		}
	}
	if (strncmp(t, "=> ", 3) == 0) {
		const char *id = skip_spaces(t + 3);
		size_t idlen = word_len(id);
		const char *label = skip_spaces(id + idlen);
		open_text_block(p, BLOCK_LINK, *label ? label : "");
		last_block(p)->marker = xstrndup(id, idlen);
		return;
	}
	if (strncmp(t, "[ ] ", 4) == 0) {
		if (p->explain >= 0) {
			/* Kept as text, so nothing is lost; but no answer can be attached to it. */
			diag(p->d, p->file, p->lineno,
			     "a checklist item cannot stand inside @explain (close it with @end first)");
			open_text_block(p, BLOCK_PARA, t);
			return;
		}
		flush(p);
		item_line(p, skip_spaces(t + 4));
		return;
	}
	if (p->open == OPEN_TEXT && b && b->kind == BLOCK_PARA) {
		acc_join(p, t);
		return;
	}
	open_text_block(p, BLOCK_PARA, t);
}

/*
 * 1 when a line is structure, what the index reads: an @-line, a line
 * outside every page and explanation (an error, found at once), a
 * checklist item's line outside explanations, or a line that goes on
 * with an item's text.  Decided from the raw bytes exactly as parse_line
 * decides on the sanitised line: sanitising changes no '@', '[', ']' or
 * space, a tab at the margin becomes spaces up to the next multiple of 8,
 * and any other byte stays something that is not a space.
 */
/*
 * 1 when indented lines go on with the open block: a list item, footnote
 * or link (parse_line's first rule; an item is open_item's business).
 * The index keeps it in p->cont (skim_body).
 */
static int open_continues(struct parser *p)
{
	if (p->mode == PARSE_INDEX)
		return p->cont;
	const struct block *b = p->open == OPEN_TEXT && has_blocks(p) ? last_block(p) : NULL;
	return b && b->kind != BLOCK_PARA && b->kind != BLOCK_HEADING && b->kind != BLOCK_ITEM;
}

static int is_space_or_tab(char c)
{
	return c == ' ' || c == '\t';
}

/* Leading blanks of a raw line: their count in bytes, and the column they reach (tabs at 8). */
static size_t margin(const char *s, size_t n, size_t *col)
{
	size_t i = 0;
	*col = 0;
	for (; i < n && is_space_or_tab(s[i]); i++)
		*col = s[i] == '\t' ? *col + 8 - *col % 8 : *col + 1;
	return i;
}

/*
 * 1 when a line is structure, what the index reads: an @-line, a line
 * outside every page and explanation (an error, found at once), a
 * checklist item's line outside explanations, or a line that goes on
 * with an item's text.  Decided from the raw bytes exactly as parse_line
 * decides on the sanitised line: sanitising changes no '@', '[', ']' or
 * space, a tab at the margin becomes spaces up to the next multiple of 8,
 * and any other byte stays something that is not a space.
 */
static int structural_line(struct parser *p, const char *s, size_t n)
{
	if (n > 0 && s[0] == '@')
		return 1;
	if (!has_blocks(p))
		return 1;
	size_t col, i = margin(s, n, &col);
	if (i == n)
		return 0;
	if (col >= 2 && open_continues(p))
		return 0; /* even "[ ] ...": it is the list item's, footnote's or link's text */
	if (p->open_item && col >= 2)
		return 1;
	return p->explain < 0 && n - i >= 4 && memcmp(s + i, "[ ]", 3) == 0 && is_space_or_tab(s[i + 3]);
}

/*
 * A body line as the index steps over it: it ends an item's text (a
 * comment at the margin does not), and it may open a list item, footnote
 * or link, whose indented lines go on with it (even one that looks like
 * a checklist item).  The same tests as parse_line's, on the raw bytes
 * (a blank after a marker may be a tab); a footnote's "]:" is looked for
 * in the sanitised line, where a control byte may have become "^]".
 */
static void skim_body(struct parser *p, const char *s, size_t n, char **buf, size_t *cap)
{
	if (p->explain >= 0 || (n >= 2 && s[0] == '/' && s[1] == '/'))
		return;
	size_t col, i = margin(s, n, &col);
	if (i < n && col >= 2 && p->cont)
		return;
	if (p->open || p->cont)
		flush(p);
	const char *t = s + i;
	size_t m = n - i, k = 0;
	if (m == 0)
		return;
	if (m >= 2 && t[0] == '-' && is_space_or_tab(t[1]))
		p->cont = 1;
	else if (m >= 3 && t[0] == '=' && t[1] == '>' && is_space_or_tab(t[2]))
		p->cont = 1;
	else if (t[0] >= '0' && t[0] <= '9') {
		while (k < m && t[k] >= '0' && t[k] <= '9')
			k++;
		p->cont = k + 1 < m && t[k] == '.' && is_space_or_tab(t[k + 1]);
	} else if (m >= 2 && t[0] == '(' && t[1] >= '0' && t[1] <= '9') {
		k = 1;
		while (k < m && t[k] >= '0' && t[k] <= '9')
			k++;
		p->cont = k + 1 < m && t[k] == ')' && is_space_or_tab(t[k + 1]);
	} else if (m >= 4 && (unsigned char)t[0] == 0xE2 && (unsigned char)t[1] == 0x91 &&
	           (unsigned char)t[2] >= 0xA0 && (unsigned char)t[2] <= 0xB3) {
		p->cont = is_space_or_tab(t[3]);
	} else if (m >= 2 && t[0] == '[' && t[1] == '^') {
		/* A printable ASCII label is the same bytes sanitised: no need to sanitise. */
		for (k = 2; k < m && k < 22 && t[k] >= 0x20 && t[k] < 0x7F; k++)
			if (t[k] == ']' && k + 1 < m && t[k + 1] == ':')
				break;
		if (k < m && k < 22 && t[k] == ']' && k + 1 < m && t[k + 1] == ':') {
			p->cont = k > 2;
		} else if (k < m && k < 22) {
			const char *line = text_sanitize_into(s, n, buf, cap, NULL, NULL);
			const char *f = skip_spaces(line), *close = strstr(f, "]:");
			p->cont = close && close - f > 2 && close - f < 22;
		}
	}
}

/*
 * First bytes after which the index must look at a line inside a page or
 * explanation: a margin, a directive, a checklist item, a list item,
 * footnote, link or comment, a numbered marker (digits, "(", or ①..⑳'s
 * 0xE2).  A line that starts with anything else is prose to step over.
 */
static const unsigned char index_special[256] = {
	['\t'] = 1, [' '] = 1, ['@'] = 1, ['['] = 1, ['-'] = 1,  ['='] = 1, ['/'] = 1,
	['('] = 1,  ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,  ['4'] = 1, ['5'] = 1,
	['6'] = 1,  ['7'] = 1, ['8'] = 1, ['9'] = 1, [0xE2] = 1,
};

/* 1 for the line "@end" (a page parsed later steps over an explanation up to it). */
static int is_end_line(const char *s, size_t n)
{
	return n >= 4 && memcmp(s, "@end", 4) == 0 && (n == 4 || s[4] == ' ' || s[4] == '\t');
}

/*
 * The lines of buf from pos to len.  The index steps over a body line
 * without sanitising it: all it can do there is end an item's text (a
 * comment at the margin does not).  A page parsed later steps over the
 * explanations inside it, and tells no problem on a structural line (the
 * index told it).
 */
static void parse_lines(struct parser *p, const char *buf, size_t pos, size_t len)
{
	struct doc *d = p->d;
	char *linebuf = NULL;
	size_t linecap = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		size_t n = end - pos;
		const char *raw = buf + pos;
		if (n > 0 && raw[n - 1] == '\r')
			n--;
		p->lineno++;
		p->line_at = pos;
		p->next_at = nl ? end + 1 : len;
		pos = p->next_at;
		if (p->skipping) {
			if (is_end_line(raw, n))
				p->skipping = 0;
			continue;
		}
		if (p->mode == PARSE_INDEX && has_blocks(p) &&
		    (n == 0 || !index_special[(unsigned char)raw[0]])) {
			/* A blank line or one of prose: all it can do is end an item's text (skim_body). */
			if (p->explain < 0 && (p->open || p->cont))
				flush(p);
			continue;
		}
		int structure = p->mode != PARSE_ALL && structural_line(p, raw, n);
		if (p->mode == PARSE_INDEX && !structure) {
			skim_body(p, raw, n, &linebuf, &linecap);
			continue;
		}
		int mute = structure && p->mode != PARSE_INDEX;
		if (mute)
			d->lazy->mute++;
		/* The model holds sanitised text, so nothing raw can reach a screen later. */
		unsigned found = 0;
		uint32_t ctl = 0;
		char *line = text_sanitize_into(raw, n, &linebuf, &linecap, &found, &ctl);
		if (found & TEXT_FOUND_INVALID)
			warn(d, p->file, p->lineno, "invalid UTF-8 (shown as U+FFFD)");
		if ((found & TEXT_FOUND_CONTROL) && ctl >= 0x80)
			warn(d, p->file, p->lineno, "C1 control character U+%04X (shown as <U+%04X>)",
			     (unsigned)ctl, (unsigned)ctl);
		else if (found & TEXT_FOUND_CONTROL)
			warn(d, p->file, p->lineno, "control byte 0x%02X (shown as ^%c)", (unsigned)ctl,
			     ctl == 0x7F ? '?' : (char)(ctl + 0x40));
		parse_line(p, line);
		if (mute)
			d->lazy->mute--;
	}
	free(linebuf);
}

static void parse_file(struct doc *d, const char *name, const char *buf, size_t len, enum parse_mode mode,
                       size_t file_index)
{
	struct parser p = { .d = d, .mode = mode, .page = -1, .group = -1, .explain = -1 };

	d->chapters = xgrow(d->chapters, &d->cap_chapters, d->nchapters + 1, sizeof *d->chapters);
	struct chapter *c = &d->chapters[d->nchapters];
	memset(c, 0, sizeof *c);
	c->file = xstrdup(name);
	c->first_page = (int)d->npages;
	p.file = c->file;
	p.chapter = (int)d->nchapters++;
	p.file_index = file_index;

	size_t pos = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	parse_lines(&p, buf, pos, len);
	p.line_at = len;
	p.eof = 1;
	if (p.explain >= 0)
		end_explain(&p, 0);
	end_page(&p);
	if (!c->title && c->npages == 0 && p.nexplains > 0) {
		/*
		 * A file of explanations only: not a chapter, or the contents
		 * would show an empty one.  Nothing points at its name (the
		 * explanations and diagnostics keep their own copies).
		 */
		free(c->file);
		d->nchapters--;
	} else if (!c->title) {
		warn(d, name, 1, "the file has no @chapter title");
		/* The title is shown in the contents: a file name is any bytes at all. */
		c->title = text_sanitize(name, strlen(name));
	}
	buf_free(&p.acc);
}

void doc_parse_buffer(struct doc *d, const char *name, const char *buf, size_t len)
{
	parse_file(d, name, buf, len, PARSE_ALL, 0);
}

/*
 * The id of element i of an array of structs whose id field is at offset
 * off: pages, items and groups all keep their id as a char *.
 */
static const char *id_at(const void *arr, size_t size, size_t off, size_t i)
{
	const char *base = arr;
	return *(const char *const *)(const void *)(base + i * size + off);
}

/*
 * An id to sort: its first eight bytes as a number (big-endian, zeros
 * after the end) decide most comparisons without a call, the same way
 * strcmp would; equal ids keep file order.
 */
struct index_rec {
	uint64_t key;
	const char *id;
	size_t i;
};

static int index_rec_cmp(const struct index_rec *a, const struct index_rec *b)
{
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	/* Eight equal bytes with no end among them: the rest decides. */
	if ((a->key & 0xFF) != 0) {
		int r = strcmp(a->id + 8, b->id + 8);
		if (r)
			return r;
	}
	return (a->i > b->i) - (a->i < b->i);
}

/* Sort r[0..n) with tmp (n records) to merge through: a merge sort, stable. */
static void index_sort(struct index_rec *r, struct index_rec *tmp, size_t n)
{
	if (n <= 12) {
		for (size_t k = 1; k < n; k++) {
			struct index_rec x = r[k];
			size_t j = k;
			for (; j > 0 && index_rec_cmp(&x, &r[j - 1]) < 0; j--)
				r[j] = r[j - 1];
			r[j] = x;
		}
		return;
	}
	size_t h = n / 2, a = 0, b = h, o = 0;
	index_sort(r, tmp, h);
	index_sort(r + h, tmp, n - h);
	if (index_rec_cmp(&r[h - 1], &r[h]) <= 0)
		return; /* already in order: content ids often are */
	while (a < h && b < n)
		tmp[o++] = index_rec_cmp(&r[b], &r[a]) < 0 ? r[b++] : r[a++];
	while (a < h)
		tmp[o++] = r[a++];
	/* What is left of the second half is in place already. */
	memcpy(r, tmp, o * sizeof *r);
}

/*
 * Indices of the n elements of arr (each size bytes, its id at offset
 * off) sorted by id, equal ids in file order: what a strcmp sort gives,
 * without a call per comparison (doc_finish sorts every id at start).
 */
static size_t *build_index(const void *arr, size_t n, size_t size, size_t off)
{
	size_t *idx = xreallocarray(NULL, n, sizeof *idx);
	struct index_rec *r = xreallocarray(NULL, n ? 2 * n : 1, sizeof *r);

	for (size_t i = 0; i < n; i++) {
		const char *id = id_at(arr, size, off, i);
		uint64_t key = 0;
		size_t k = 0;
		for (; k < 8 && id[k]; k++)
			key = key << 8 | (unsigned char)id[k];
		if (k < 8)
			key = k ? key << (8 * (8 - k)) : 0;
		r[i].key = key;
		r[i].id = id;
		r[i].i = i;
	}
	index_sort(r, r + n, n);
	for (size_t i = 0; i < n; i++)
		idx[i] = r[i].i;
	free(r);
	return idx;
}

/* FNV-1a of an id, folded to 32 bits (a slot keeps it to skip most strcmps). */
static uint32_t id_hash32(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (uint32_t)(h ^ h >> 32);
}

/* A look-up table by id (see struct doc): open addressing, at most half full. */
struct doc_id_hash {
	size_t n;    /* elements it was built for: a table for another count is not used */
	size_t mask; /* slots - 1, slots a power of two */
	struct {
		uint32_t index1; /* index + 1, 0 for an empty slot */
		uint32_t hash;
	} slot[];
};

/*
 * The table of the n ids of arr (as build_index), or NULL when an id is
 * used twice (doc_finish then sorts, to report each and to find as it
 * always did) or there are too many for the slots' 32 bits.  Unique ids
 * are found the same by either: this one takes a hash per id, not a sort.
 */
static struct doc_id_hash *id_hash_build(const void *arr, size_t n, size_t size, size_t off)
{
	if (n >= UINT32_MAX / 4)
		return NULL;
	size_t cap = 8;
	while (cap < 2 * n)
		cap *= 2;
	struct doc_id_hash *t = xcalloc(1, sizeof *t + cap * sizeof t->slot[0]);
	t->n = n;
	t->mask = cap - 1;
	for (size_t i = 0; i < n; i++) {
		const char *id = id_at(arr, size, off, i);
		uint32_t h = id_hash32(id);
		size_t k = h & t->mask;
		for (; t->slot[k].index1; k = (k + 1) & t->mask)
			if (t->slot[k].hash == h &&
			    strcmp(id_at(arr, size, off, t->slot[k].index1 - 1), id) == 0) {
				free(t);
				return NULL;
			}
		t->slot[k].index1 = (uint32_t)(i + 1);
		t->slot[k].hash = h;
	}
	return t;
}

static int id_hash_find(const struct doc_id_hash *t, const void *arr, size_t size, size_t off,
                        const char *id)
{
	uint32_t h = id_hash32(id);
	for (size_t k = h & t->mask; t->slot[k].index1; k = (k + 1) & t->mask)
		if (t->slot[k].hash == h && strcmp(id_at(arr, size, off, t->slot[k].index1 - 1), id) == 0)
			return (int)(t->slot[k].index1 - 1);
	return -1;
}

static int find_by_id(const void *arr, size_t n, size_t size, size_t off, const size_t *index,
                      size_t indexed, const struct doc_id_hash *hash, const char *id)
{
	if (hash && hash->n == n)
		return id_hash_find(hash, arr, size, off, id);
	/* An index made before entries were added would be searched past its end. */
	if (!index || indexed != n) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(id_at(arr, size, off, i), id) == 0)
				return (int)i;
		return -1;
	}
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(id_at(arr, size, off, index[mid]), id);
		if (r == 0)
			return (int)index[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int doc_find_page(const struct doc *d, const char *id)
{
	return find_by_id(d->pages, d->npages, sizeof *d->pages, offsetof(struct page, id), d->page_index,
	                  d->pages_indexed, d->page_hash, id);
}

int doc_find_item(const struct doc *d, const char *id)
{
	return find_by_id(d->items, d->nitems, sizeof *d->items, offsetof(struct item, id), d->item_index,
	                  d->items_indexed, d->item_hash, id);
}

int doc_find_group(const struct doc *d, const char *id)
{
	return find_by_id(d->groups, d->ngroups, sizeof *d->groups, offsetof(struct group, id),
	                  d->group_index, d->groups_indexed, d->group_hash, id);
}

/* Point each link block at its page; a link with no label shows the page's title. */
static void resolve_links(struct doc *d, struct block *blocks, size_t n, const char *file)
{
	for (size_t b = 0; b < n; b++) {
		struct block *bl = &blocks[b];
		if (bl->kind != BLOCK_LINK)
			continue;
		bl->target = doc_find_page(d, bl->marker);
		if (bl->target < 0)
			warn(d, file, bl->line, "link to a page that does not exist: '%s'", bl->marker);
		else if (!bl->text || !*bl->text) {
			free(bl->text);
			bl->text = xstrdup(d->pages[bl->target].title);
		}
	}
}

/*
 * Attach each explanation to its item.  An explanation that names no item,
 * or an item that already has one, cannot be shown: an error, like an id
 * used twice.  Once the content explains any question, a question left
 * without a 解説 is a warning (content written before explanations, or a
 * test's few lines, is not held to a rule it never took up).
 */
static void attach_explains(struct doc *d)
{
	int any_question = 0;

	for (size_t i = 0; i < d->nitems; i++)
		d->items[i].explain = -1;
	for (size_t i = 0; i < d->nexplains; i++) {
		struct explain *e = &d->explains[i];
		e->item = -1;
		if (!e->item_id)
			continue; /* reported where it was parsed */
		int it = doc_find_item(d, e->item_id);
		if (it < 0) {
			diag(d, e->file, e->line, "@explain for an item that does not exist: '%s'",
			     e->item_id);
			continue;
		}
		struct item *item = &d->items[it];
		if (item->explain >= 0) {
			const struct explain *first = &d->explains[item->explain];
			diag(d, e->file, e->line, "a second @explain for item '%s' (first at %s:%d)",
			     e->item_id, first->file, first->line);
			continue;
		}
		item->explain = (int)i;
		e->item = it;
		any_question |= item->question;
	}
	if (!any_question)
		return;
	for (size_t i = 0; i < d->nitems; i++) {
		const struct item *it = &d->items[i];
		if (it->question && it->explain < 0)
			warn(d, it->file, it->line, "question '%s' has no 解説 (add @explain %s ... @end)",
			     it->id, it->id);
	}
}

static void explain_load(const struct doc *d, size_t e);

const struct explain *doc_item_explain(const struct doc *d, int item)
{
	/* A doc built by hand (the tests' docfix) may leave explain at 0 with no explanations. */
	if (item < 0 || (size_t)item >= d->nitems || d->items[item].explain < 0 ||
	    (size_t)d->items[item].explain >= d->nexplains)
		return NULL;
	explain_load(d, (size_t)d->items[item].explain);
	return &d->explains[d->items[item].explain];
}

/* File order (files are read sorted by name), then line, then the order found. */
static int diag_cmp(const void *pa, const void *pb)
{
	const struct doc_diag *a = pa, *b = pb;
	int r = strcmp(a->file, b->file);
	if (r == 0)
		r = (a->line > b->line) - (a->line < b->line);
	if (r == 0)
		r = (a->seq > b->seq) - (a->seq < b->seq);
	return r;
}

int doc_finish(struct doc *d)
{
	free(d->page_index);
	free(d->item_index);
	free(d->group_index);
	free(d->page_hash);
	free(d->item_hash);
	free(d->group_hash);
	d->page_index = d->item_index = d->group_index = NULL;
	/* Loading is over: from here a group is found in group_hash. */
	free(d->groups_seen);
	d->groups_seen = NULL;
	d->groups_seen_cap = d->groups_seen_n = 0;
	/*
	 * A hash table per kind when its ids are unique (the rule, so nearly
	 * always); ids used twice are sorted instead, where each sits next to
	 * its use before, to say so (a sorted index is only made then).
	 */
	d->pages_indexed = d->npages;
	d->items_indexed = d->nitems;
	d->groups_indexed = d->ngroups;
	d->page_hash = id_hash_build(d->pages, d->npages, sizeof *d->pages, offsetof(struct page, id));
	if (!d->page_hash)
		d->page_index =
			build_index(d->pages, d->npages, sizeof *d->pages, offsetof(struct page, id));
	d->item_hash = id_hash_build(d->items, d->nitems, sizeof *d->items, offsetof(struct item, id));
	if (!d->item_hash)
		d->item_index =
			build_index(d->items, d->nitems, sizeof *d->items, offsetof(struct item, id));
	d->group_hash =
		id_hash_build(d->groups, d->ngroups, sizeof *d->groups, offsetof(struct group, id));
	if (!d->group_hash)
		d->group_index =
			build_index(d->groups, d->ngroups, sizeof *d->groups, offsetof(struct group, id));
	for (size_t i = 1; d->page_index && i < d->npages; i++) {
		const struct page *a = &d->pages[d->page_index[i - 1]], *b = &d->pages[d->page_index[i]];
		if (strcmp(a->id, b->id) == 0)
			diag(d, b->file, b->line, "page id '%s' is used twice (first at %s:%d)", b->id,
			     a->file, a->line);
	}
	for (size_t i = 1; d->item_index && i < d->nitems; i++) {
		const struct item *a = &d->items[d->item_index[i - 1]], *b = &d->items[d->item_index[i]];
		if (strcmp(a->id, b->id) == 0)
			diag(d, b->file, b->line, "item id '%s' is used twice (first at %s:%d)", b->id,
			     a->file, a->line);
	}
	for (size_t i = 0; i < d->npages; i++)
		resolve_links(d, d->pages[i].blocks, d->pages[i].nblocks, d->pages[i].file);
	for (size_t i = 0; i < d->nexplains; i++)
		resolve_links(d, d->explains[i].blocks, d->explains[i].nblocks, d->explains[i].file);
	attach_explains(d);
	for (size_t g = 0; g < d->ngroups; g++) {
		struct group *gr = &d->groups[g];
		if (gr->nitems == 0 && (gr->kind == GROUP_PRINCIPLE || gr->kind == GROUP_ACTION))
			warn(d, d->pages[gr->page].file, d->pages[gr->page].line,
			     "%s group '%s' has no checklist items", doc_group_kind_name(gr->kind),
			     gr->id);
	}
	/* Nothing to show is an error even when every file was only warned about. */
	if (d->npages == 0 && d->nerrors == 0)
		diag(d, d->nchapters ? d->chapters[0].file : "content", 0, "no pages in the content");
	/* Report in reading order, as an editor would fix them. */
	if (d->ndiags > 1)
		qsort(d->diags, d->ndiags, sizeof *d->diags, diag_cmp);
	return d->nerrors ? -1 : d->ndiags ? 1 : 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What a file that is not a regular file is, for the message. */
static const char *doc_file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/*
 * Read one content file into *buf, or record why not.  Symlinks are
 * followed: a content directory made of links (stow, a package manager's
 * alternatives) is ordinary, and reading a file the user can read anyway
 * gives nothing away.  What matters is what was opened, so the type and
 * size are checked with fstat on the open descriptor, not on the name:
 * O_NONBLOCK makes the open of a FIFO return at once (it is then refused),
 * and a size over the cap is refused before a byte is read, so neither a
 * FIFO nor a 10 GB sparse file nor /dev/zero can stall or fill memory.
 */
static int doc_read_content_file(struct doc *d, const char *path, char **buf, size_t *len,
                                 struct stat *stp)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	*buf = NULL;
	*len = 0;
	if (fd < 0) {
		diag(d, path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	int err = 0;
	if (fstat(fd, &st) < 0) {
		diag(d, path, 0, "cannot read: %s", strerror(errno));
		err = -1;
	} else if (!S_ISREG(st.st_mode)) {
		diag(d, path, 0, "cannot read: %s, not a regular file (content files are plain text)",
		     doc_file_kind(st.st_mode));
		err = -1;
	} else if (st.st_size > (off_t)DOC_MAX_FILE_BYTES) {
		err = -EFBIG;
	} else {
		/*
		 * O_NONBLOCK stays set: a regular file ignores it (reads never
		 * return EAGAIN), and two fcntl calls per file show at a thousand
		 * files.  The file may still grow while it is read: util_read_fd
		 * keeps to the cap.
		 */
		err = util_read_fd(fd, DOC_MAX_FILE_BYTES, buf, len);
		if (err && err != -EFBIG) {
			diag(d, path, 0, "cannot read: %s", strerror(-err));
			err = -1;
		}
	}
	if (err == -EFBIG)
		diag(d, path, 0, "cannot read: larger than %u MiB, too large for a content file",
		     DOC_MAX_FILE_BYTES >> 20);
	close(fd);
	if (stp)
		*stp = st;
	return err ? -1 : 0;
}

void doc_set_lazy(int lazy)
{
	doc_lazy_default = lazy;
}

static int load_dir(struct doc *d, const char *dir, int lazy)
{
	DIR *dp = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;

	memset(d, 0, sizeof *d);
	if (lazy)
		d->lazy = xcalloc(1, sizeof *d->lazy);
	if (!dp) {
		diag(d, dir, 0, "cannot open the content directory: %s", strerror(errno));
		return -1;
	}
	for (struct dirent *e; (e = readdir(dp));) {
		size_t l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0 && e->d_name[0] != '.') {
			names = xgrow(names, &cap, n + 1, sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
	}
	closedir(dp);
	/* qsort's array must not be NULL, even for no elements (C11 7.22.5). */
	if (n > 1)
		qsort(names, n, sizeof *names, name_cmp);
	if (n == 0)
		diag(d, dir, 0, "no content files (*.txt) in the directory");
	/* The reader's index may come from the cache (doc_cache.h): the files are then only stat'ed. */
	struct doc_cache_key *key = lazy ? doc_cache_key_make(dir, names, n) : NULL;
	int hit = key && doc_cache_load(d, key);
	for (size_t i = 0; hit && i < n; i++)
		free(names[i]);
	if (hit)
		n = 0;
	size_t dirlen = strlen(dir);
	for (size_t i = 0; i < n; i++) {
		/* Joined by hand: a printf per file shows at 1,000 files. */
		size_t nl = strlen(names[i]);
		char *path = xmalloc(dirlen + nl + 2), *buf;
		memcpy(path, dir, dirlen);
		path[dirlen] = '/';
		memcpy(path + dirlen + 1, names[i], nl + 1);
		size_t len;
		struct stat st;
		if (doc_read_content_file(d, path, &buf, &len, &st) == 0) {
			if (lazy) {
				struct doc_lazy *lz = d->lazy;
				lz->files = xgrow(lz->files, &lz->cap_files, lz->nfiles + 1,
				                  sizeof *lz->files);
				struct lazy_file *f = &lz->files[lz->nfiles++];
				f->path = xstrdup(path);
				f->dev = st.st_dev;
				f->ino = st.st_ino;
				f->size = st.st_size;
				f->mtime = st.st_mtim;
				parse_file(d, path, buf, len, PARSE_INDEX, lz->nfiles - 1);
			} else {
				parse_file(d, path, buf, len, PARSE_ALL, 0);
			}
		}
		free(buf);
		free(path);
		free(names[i]);
	}
	if (key && !hit)
		doc_cache_save(d, key);
	doc_cache_key_free(key);
	free(names);
	int r = doc_finish(d);
	return r;
}

int doc_load(struct doc *d, const char *dir)
{
	return load_dir(d, dir, doc_lazy_default);
}

int doc_load_lazy(struct doc *d, const char *dir)
{
	return load_dir(d, dir, 1);
}

/*
 * Read a span of a file the index read, or tell why not (into d, a
 * scratch doc).  The file must still be the one indexed (same inode,
 * size and time of change): offsets into another file would cut lines
 * anywhere.
 */
static int read_span(struct doc *d, const struct lazy_file *f, const struct lazy_span *sp,
                     const char *file, int line, char **buf, size_t *len)
{
	struct stat st;
	int fd = open(f->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	*buf = NULL;
	*len = 0;
	if (fd < 0) {
		diag(d, file, line, "cannot read this part any more: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || st.st_dev != f->dev || st.st_ino != f->ino || st.st_size != f->size ||
	    st.st_mtim.tv_sec != f->mtime.tv_sec || st.st_mtim.tv_nsec != f->mtime.tv_nsec ||
	    sp->stop < sp->start || sp->stop > (size_t)st.st_size) {
		diag(d, file, line, "the file changed after mamori started: restart mamori to read it");
		close(fd);
		return -1;
	}
	size_t n = sp->stop - sp->start, got = 0;
	char *b = xmalloc(n + 1);
	while (got < n) {
		ssize_t r = pread(fd, b + got, n - got, (off_t)(sp->start + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			diag(d, file, line, "cannot read this part any more: %s",
			     r < 0 ? strerror(errno) : "the file is shorter");
			close(fd);
			free(b);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	*buf = b;
	*len = n;
	return 0;
}

/*
 * A doc to parse into: d's arrays (the page's or explanation's blocks go
 * where d has them) with a diagnostics list of its own, moved to the
 * lazy problems afterwards by adopt_diags.
 */
static struct doc scratch_of(const struct doc *d)
{
	struct doc s = *d;
	s.diags = NULL;
	s.ndiags = s.cap_diags = s.nerrors = 0;
	return s;
}

static size_t adopt_diags(struct doc_lazy *lz, struct doc *s)
{
	size_t n = s->ndiags;
	if (n > 1)
		qsort(s->diags, n, sizeof *s->diags, diag_cmp);
	lz->diags = xgrow(lz->diags, &lz->cap_diags, lz->ndiags + n, sizeof *lz->diags);
	for (size_t i = 0; i < n; i++) {
		lz->diags[lz->ndiags] = s->diags[i];
		lz->diags[lz->ndiags].seq = lz->ndiags;
		lz->ndiags++;
	}
	free(s->diags);
	return n;
}

static void map_blocks(const struct doc *d, struct block *blocks, size_t n,
                       char *(*fn)(const char *, void *), void *ctx);

size_t doc_page_load(const struct doc *d, int page)
{
	struct doc_lazy *lz = d->lazy;

	if (!lz || page < 0 || (size_t)page >= lz->npages || lz->pages[page].loaded)
		return 0;
	struct lazy_span *sp = &lz->pages[page];
	struct doc s = scratch_of(d);
	struct page *pg = &s.pages[page]; /* d's own page: the cache is filled in place */
	char *buf;
	size_t len;

	sp->loaded = 1;
	if (read_span(&s, &lz->files[sp->file], sp, pg->file, pg->line, &buf, &len) == 0) {
		struct parser p = { .d = &s,
			            .mode = PARSE_PAGE,
			            .file = pg->file,
			            .lineno = pg->line,
			            .chapter = pg->chapter,
			            .page = page,
			            .group = -1,
			            .explain = -1,
			            .next_item = sp->first_item,
			            .end_item = sp->first_item + sp->nitems };
		parse_lines(&p, buf, 0, len);
		p.skipping = 0; /* an explanation left open ends with the page */
		p.line_at = len;
		/* An eager parse ends the page on the next @page line (an open aside's end is on it). */
		if (sp->closed)
			p.lineno++;
		end_page(&p);
		buf_free(&p.acc);
		free(buf);
		/*
		 * Folded before the links take their titles, which are folded
		 * already: an eager load folds the title's copy, to the same text.
		 */
		if (lz->fn)
			map_blocks(d, pg->blocks, pg->nblocks, lz->fn, lz->fn_ctx);
		resolve_links(&s, pg->blocks, pg->nblocks, pg->file);
	}
	return adopt_diags(lz, &s);
}

/* Parse explanation index e's blocks when d was loaded lazily (see doc_page_load). */
static void explain_load(const struct doc *d, size_t e)
{
	struct doc_lazy *lz = d->lazy;

	if (!lz || e >= lz->nexplains || lz->explains[e].loaded)
		return;
	struct lazy_span *sp = &lz->explains[e];
	struct doc s = scratch_of(d);
	struct explain *ex = &s.explains[e];
	char *buf;
	size_t len;

	sp->loaded = 1;
	if (read_span(&s, &lz->files[sp->file], sp, ex->file, ex->line, &buf, &len) == 0) {
		struct parser p = { .d = &s,
			            .mode = PARSE_EXPLAIN,
			            .file = ex->file,
			            .lineno = ex->line,
			            .chapter = -1,
			            .page = -1,
			            .group = -1,
			            .explain = (int)e };
		parse_lines(&p, buf, 0, len);
		p.line_at = len;
		if (p.explain >=
		    0) /* not closed early by a span that does not match (see begin_explain) */
			end_explain(&p, sp->closed);
		buf_free(&p.acc);
		free(buf);
		if (lz->fn)
			map_blocks(d, ex->blocks, ex->nblocks, lz->fn, lz->fn_ctx);
		resolve_links(&s, ex->blocks, ex->nblocks, ex->file);
	}
	adopt_diags(lz, &s);
}

void doc_load_all(const struct doc *d)
{
	if (!d->lazy)
		return;
	for (size_t i = 0; i < d->lazy->npages; i++)
		doc_page_load(d, (int)i);
	for (size_t i = 0; i < d->lazy->nexplains; i++)
		explain_load(d, i);
}

size_t doc_late_diags(const struct doc *d, const struct doc_diag **diags)
{
	*diags = d->lazy ? d->lazy->diags : NULL;
	return d->lazy ? d->lazy->ndiags : 0;
}

/* The line doc_problems_line describes, for the n problems at diags. */
static char *problems_line(const struct doc_diag *diags, size_t n)
{
	size_t nerrors = 0;
	for (size_t i = 0; i < n; i++)
		nerrors += diags[i].severity == DOC_ERROR;
	if (n == 0)
		return NULL;
	/* The first error if there is one: that is what stops the reader. */
	const struct doc_diag *first = &diags[0];
	for (size_t i = 0; i < n && nerrors; i++)
		if (diags[i].severity == DOC_ERROR) {
			first = &diags[i];
			break;
		}
	struct buf b = { 0 };
	buf_printf(&b, "content has %zu problem%s", n, n == 1 ? "" : "s");
	if (nerrors && nerrors < n)
		buf_printf(&b, " (%zu error%s)", nerrors, nerrors == 1 ? "" : "s");
	buf_printf(&b, "; first: %s:", first->file);
	if (first->line > 0)
		buf_printf(&b, "%d:", first->line);
	buf_printf(&b, " %s", first->msg);
	/* file and msg were sanitised when recorded. */
	return buf_take(&b);
}

char *doc_problems_line(const struct doc *d)
{
	return problems_line(d->diags, d->ndiags);
}

char *doc_late_problems(const struct doc *d)
{
	struct doc_lazy *lz = d->lazy;
	if (!lz || lz->nreported >= lz->ndiags)
		return NULL;
	char *line = problems_line(lz->diags + lz->nreported, lz->ndiags - lz->nreported);
	lz->nreported = lz->ndiags;
	return line;
}

static void free_blocks(struct block *blocks, size_t n)
{
	for (size_t b = 0; b < n; b++) {
		struct block *bl = &blocks[b];
		free(bl->text);
		free(bl->marker);
		for (size_t c = 0; c < bl->nrows * bl->ncols; c++)
			free(bl->cells[c]);
		free(bl->cells);
	}
	free(blocks);
}

void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->npages; i++) {
		struct page *pg = &d->pages[i];
		free_blocks(pg->blocks, pg->nblocks);
		if (!doc_strings_own(d, pg->id))
			doc_free_str(d, pg->id);
		doc_free_str(d, pg->title);
	}
	for (size_t i = 0; i < d->nexplains; i++) {
		struct explain *e = &d->explains[i];
		free_blocks(e->blocks, e->nblocks);
		doc_free_str(d, e->item_id);
		free(e->file);
	}
	free(d->explains);
	for (size_t i = 0; i < d->nitems; i++) {
		if (!doc_strings_own(d, d->items[i].id))
			doc_free_str(d, d->items[i].id);
		doc_free_str(d, d->items[i].text);
	}
	for (size_t i = 0; i < d->ngroups; i++) {
		doc_free_str(d, d->groups[i].id);
		doc_free_str(d, d->groups[i].title);
		free(d->groups[i].items);
	}
	for (size_t i = 0; i < d->nchapters; i++) {
		doc_free_str(d, d->chapters[i].title);
		free(d->chapters[i].file);
	}
	for (size_t i = 0; i < d->ndiags; i++) {
		doc_free_str(d, d->diags[i].file);
		doc_free_str(d, d->diags[i].msg);
	}
	free(d->pages);
	free(d->items);
	free(d->groups);
	free(d->chapters);
	free(d->diags);
	free(d->page_index);
	free(d->item_index);
	free(d->group_index);
	free(d->page_hash);
	free(d->item_hash);
	free(d->group_hash);
	free(d->groups_seen);
	for (struct doc_strings *b = d->strings, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	struct doc_lazy *lz = d->lazy;
	if (lz) {
		for (size_t i = 0; i < lz->nfiles; i++)
			free(lz->files[i].path);
		for (size_t i = 0; i < lz->ndiags; i++) {
			free(lz->diags[i].file);
			free(lz->diags[i].msg);
		}
		free(lz->files);
		free(lz->pages);
		free(lz->explains);
		free(lz->diags);
		if (lz->map_owned)
			doc_cache_unmap(lz->map, lz->map_len);
		free(lz);
	}
	memset(d, 0, sizeof *d);
}

static void map_one(const struct doc *d, char **s, char *(*fn)(const char *, void *), void *ctx)
{
	if (!*s)
		return;
	char *n = fn(*s, ctx);
	if (!n)
		return;
	doc_free_str(d, *s);
	*s = n;
}

static void map_blocks(const struct doc *d, struct block *blocks, size_t n,
                       char *(*fn)(const char *, void *), void *ctx)
{
	for (size_t b = 0; b < n; b++) {
		struct block *bl = &blocks[b];
		map_one(d, &bl->text, fn, ctx);
		/* A link's marker is the target's id, not text a reader sees. */
		if (bl->kind != BLOCK_LINK)
			map_one(d, &bl->marker, fn, ctx);
		for (size_t c = 0; c < bl->nrows * bl->ncols; c++)
			map_one(d, &bl->cells[c], fn, ctx);
	}
}

int doc_map_text(struct doc *d, char *(*fn)(const char *text, void *ctx), void *ctx)
{
	if (d->lazy) {
		/* What is parsed later is folded as it is parsed. */
		d->lazy->fn = fn;
		d->lazy->fn_ctx = ctx;
	}
	for (size_t i = 0; i < d->nchapters; i++)
		map_one(d, &d->chapters[i].title, fn, ctx);
	for (size_t i = 0; i < d->npages; i++) {
		map_one(d, &d->pages[i].title, fn, ctx);
		map_blocks(d, d->pages[i].blocks, d->pages[i].nblocks, fn, ctx);
	}
	for (size_t i = 0; i < d->nexplains; i++)
		map_blocks(d, d->explains[i].blocks, d->explains[i].nblocks, fn, ctx);
	for (size_t i = 0; i < d->nitems; i++)
		map_one(d, &d->items[i].text, fn, ctx);
	for (size_t i = 0; i < d->ngroups; i++)
		map_one(d, &d->groups[i].title, fn, ctx);
	return 0;
}
