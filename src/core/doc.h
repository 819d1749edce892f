/*
 * doc: the content model (chapters, pages, blocks, checklist items, groups)
 * and its parser for the format described in content/README.md.
 * No curses and no output here: errors come back as diagnostics that carry
 * FILE:LINE, and the caller decides how to show them.
 *
 * Two ways to load.  Eagerly (doc_load, the default): every page and
 * explanation is parsed, sanitised and checked before doc_load returns;
 * --check-content, --dump, --report and the tests load so.  Lazily (after
 * doc_set_lazy(1), the reader): doc_load makes one pass that reads only
 * the structure (@-lines and checklist item lines: chapters, page ids and
 * titles, groups, items with their text, explanations' item ids) and
 * remembers where each page and explanation stands in its file; a page's
 * blocks are parsed the first time it is laid out (doc_page_load) and an
 * explanation's the first time it is asked for (doc_item_explain), then
 * kept.  What a lazily loaded page holds is byte for byte what an eager
 * load gives.  Problems in a page's body are found when it is parsed and
 * kept apart (doc_late_problems), so the reader can say so then.
 */
#ifndef MAMORI_DOC_H
#define MAMORI_DOC_H

#include <stddef.h>

enum block_kind {
	BLOCK_HEADING,     /* text; level 2 or 3 */
	BLOCK_PARA,        /* text */
	BLOCK_BULLET,      /* text */
	BLOCK_NUMBERED,    /* marker ("1.", "(1)", "①") and text */
	BLOCK_TABLE,       /* ncols x nrows cells, row 0 is the header */
	BLOCK_FOOTNOTE,    /* marker (the footnote's label) and text */
	BLOCK_LINK,        /* target page index and text (the label) */
	BLOCK_ITEM,        /* target item index; text is the item's text */
	BLOCK_ASIDE_BEGIN, /* text is the aside's title */
	BLOCK_ASIDE_END
};

struct block {
	enum block_kind kind;
	int level;    /* heading level */
	char *text;   /* UTF-8, footnote references already rendered */
	char *marker; /* numbered list marker or footnote label, else NULL */
	int target;   /* page index (links) or item index (items), else -1 */
	size_t ncols, nrows;
	char **cells; /* row-major, nrows * ncols strings ("" when empty) */
	int line;     /* source line, for diagnostics */
};

enum group_kind {
	GROUP_PRINCIPLE,
	GROUP_ACTION,
	GROUP_ARTICLE,
	GROUP_DIAGNOSIS,
	GROUP_POLICY,
	GROUP_KIND_COUNT
};

struct group {
	char *id;
	enum group_kind kind;
	char *title;
	int page;      /* page where the group was declared */
	size_t *items; /* indices into doc.items, in content order */
	size_t nitems;
	size_t cap_items; /* allocated length of items; the parser's business */
};

struct item {
	char *id;
	char *text;
	int group;    /* index into doc.groups */
	int page;     /* index into doc.pages */
	int question; /* 1 when the group is a diagnosis part (four answers) */
	int explain;  /* index into doc.explains (its 解説), or -1; set by doc_finish */
	const char *file;
	int line;
};

struct page {
	char *id;
	char *title;
	int chapter; /* index into doc.chapters */
	struct block *blocks;
	size_t nblocks;
	const char *file;
	int line;
};

/*
 * An explanation attached to an item: `@explain ITEM-ID` ... `@end`, for a
 * diagnosis question its 解説.  It may stand in any file, inside a page or
 * outside every page, and holds ordinary body blocks (paragraphs, lists,
 * links, headings, tables, footnotes), never a checklist item or an aside.
 * A file of nothing but explanations is not a chapter (see doc_parse_buffer).
 */
struct explain {
	char *item_id; /* as written after @explain; NULL when that was not a valid id */
	int item;      /* index into doc.items, or -1 (unknown id, or a second @explain) */
	struct block *blocks;
	size_t nblocks;
	char *file; /* owned here: a file of explanations has no chapter to own it */
	int line;   /* the @explain line */
};

struct chapter {
	char *title;
	char *file; /* path as given to the parser; owned here */
	int first_page;
	size_t npages;
};

/*
 * How bad a problem is.  A warning leaves the model whole: the text is
 * shown as written, with the problem in a visible form (a control byte as
 * ^[, invalid UTF-8 as U+FFFD, a broken link as plain text, a missing
 * title as the id).  An error means the parser had to drop a line or guess
 * what it meant, an id is ambiguous, a file could not be read, or there is
 * nothing to show: the reader stops there.  --check-content reports both.
 */
enum doc_severity {
	DOC_ERROR,
	DOC_WARNING
};

struct doc_diag {
	char *file; /* sanitised (text_sanitize): safe to print as it is */
	int line;   /* 0 when the problem is about the whole file */
	char *msg;  /* sanitised too, whatever it quotes */
	enum doc_severity severity;
	size_t seq; /* order found, to keep the sort stable */
};

struct doc_lazy;
struct doc_id_hash;
struct doc_strings;

struct doc {
	struct chapter *chapters;
	size_t nchapters;
	struct page *pages;
	size_t npages;
	struct item *items;
	size_t nitems;
	struct group *groups;
	size_t ngroups;
	struct explain *explains; /* in file order; an item points at its own (item.explain) */
	size_t nexplains;
	struct doc_diag *diags; /* every problem found, in file order */
	size_t ndiags;
	size_t nerrors; /* how many of diags are DOC_ERROR; the rest are warnings */
	/* Allocated lengths of the arrays above; the parser's business. */
	size_t cap_chapters, cap_pages, cap_items, cap_groups, cap_diags, cap_explains;
	/*
	 * Look-ups by id, built by doc_finish (doc.c's business): a hash table
	 * per kind whose ids are unique, else (an id used twice, an error) the
	 * indices sorted by id, for a binary search; NULL before doc_finish.
	 * Each index holds the entries there were then (*_indexed): one added
	 * since is found by a scan until the next doc_finish.
	 */
	struct doc_id_hash *page_hash, *item_hash, *group_hash;
	size_t *page_index, *item_index, *group_index;
	size_t pages_indexed, items_indexed, groups_indexed;
	/* While loading: group index + 1 by hash of its id, for @group lines (doc.c's business). */
	size_t *groups_seen;
	size_t groups_seen_cap, groups_seen_n;
	/* Where the page and item ids are kept (doc.c's business). */
	struct doc_strings *strings;
	/* NULL when loaded eagerly; else where the unparsed pages stand (doc.c's business). */
	struct doc_lazy *lazy;
};

/* A content file is a chapter of prose: one larger than this, in bytes, is refused. */
#define DOC_MAX_FILE_BYTES (16u << 20)

/*
 * Load every *.txt file in dir (README.md is not read), in the order of
 * their names, then resolve links and check the whole.  Only regular files
 * (or symlinks to them) of at most DOC_MAX_FILE_BYTES are read; anything
 * else (a FIFO, a device, a directory) is a FILE:0 error, found without
 * reading or waiting.  Returns 0 when there is no diagnostic, 1 when there
 * are only warnings (the content can be shown), -1 when there is an error
 * (see d->diags; a missing or unreadable directory gives one error naming
 * it).  The doc must be freed with doc_free whatever the result.
 */
int doc_load(struct doc *d, const char *dir);

/*
 * Whether doc_load builds an index only (lazy 1) or parses everything (0,
 * the default) from now on.  Only the interactive reader asks for the
 * index: a mode that prints or checks the content must see all of it.
 */
void doc_set_lazy(int lazy);

/* doc_load as doc_set_lazy(1) makes it: the index, the bodies on demand. */
int doc_load_lazy(struct doc *d, const char *dir);

/*
 * Parse page index page's blocks when d was loaded lazily and they are not
 * parsed yet (a no-op otherwise, and for an index past the loaded pages).
 * Takes a const doc because it fills a cache: the page's blocks, its
 * links resolved, folded by doc_map_text's function, exactly as an eager
 * load has them.  A problem found is kept for doc_late_problems; a file
 * changed or gone since the index was made is such a problem (the page is
 * left empty).  Returns how many problems parsing found (0 when none or
 * nothing was parsed).
 */
size_t doc_page_load(const struct doc *d, int page);

/* Parse every page and explanation not parsed yet (the search reads them all). */
void doc_load_all(const struct doc *d);

/*
 * Problems found by doc_page_load and doc_item_explain since the last
 * call, as one line like doc_problems_line's (malloc'd, sanitised; caller
 * frees), or NULL when there are none.
 */
char *doc_late_problems(const struct doc *d);

/* Every problem found after the index, in the order found (owned by d). */
size_t doc_late_diags(const struct doc *d, const struct doc_diag **diags);

/*
 * Parse one chapter from a buffer of len bytes, named name in diagnostics,
 * appending to d.  A buffer with no @chapter and no @page that holds
 * @explain blocks is a file of explanations: it adds no chapter.  Call
 * doc_finish once after the last chapter.  Used by doc_load, the tests and
 * the fuzzer.
 */
void doc_parse_buffer(struct doc *d, const char *name, const char *buf, size_t len);

/*
 * Resolve links, attach each explanation to its item, and check cross-file
 * rules.  Once the content explains any diagnosis question, one left
 * without a 解説 is a warning.  Returns 0 when d has no diagnostics, 1
 * when it has only warnings, -1 when it has an error.
 */
int doc_finish(struct doc *d);

/*
 * One line that sums up d's problems for a status line or stderr:
 * "content has N problems; first: FILE:LINE: message" (errors counted
 * first, the first error quoted if any, else the first warning).  Returns
 * a malloc'd, sanitised string (caller frees), or NULL when d has none.
 */
char *doc_problems_line(const struct doc *d);

void doc_free(struct doc *d);

/*
 * Replace every piece of text a reader sees (titles, block texts, markers,
 * table cells, item texts) by fn(text, ctx), a malloc'd string (NULL keeps
 * that text as it is); used to fold characters the terminal cannot show
 * before anything is laid out.  On a lazily loaded doc, fn and ctx are
 * kept and applied to each page and explanation as it is parsed: ctx must
 * live as long as d.  Returns 0 (out of memory aborts).
 */
int doc_map_text(struct doc *d, char *(*fn)(const char *text, void *ctx), void *ctx);

/* The longest id a page, group or item may have, in bytes. */
#define DOC_ID_MAX 64

/*
 * 1 when the len bytes of s are an id: 1 to DOC_ID_MAX ASCII letters,
 * digits, '-', '_' or '.'.  The one rule for page, group and item ids in
 * the content and for item ids in an answers file.
 */
int doc_id_valid(const char *s, size_t len);

/* Index of the page, item or group with this id, or -1 (O(log n) once doc_finish has run). */
int doc_find_page(const struct doc *d, const char *id);
int doc_find_item(const struct doc *d, const char *id);
int doc_find_group(const struct doc *d, const char *id);

/*
 * The explanation attached to item index item (its 解説), or NULL when it
 * has none.  Valid once doc_finish has run; owned by d.  On a lazily
 * loaded doc its blocks are parsed on the first call (see doc_page_load).
 */
const struct explain *doc_item_explain(const struct doc *d, int item);

/* "principle", "action", ... for a group kind; and back (-1 when unknown). */
const char *doc_group_kind_name(enum group_kind k);
int doc_group_kind_parse(const char *name);

#endif
