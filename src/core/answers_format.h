/*
 * answers_format: the line format of an answers file (described in THE
 * ANSWERS FILE of doc/mamori.1; format 2, reading format 1 too) and the
 * model it fills: parsing (lenient: every line it cannot read, attribute
 * lines included, is reported as FILE:LINE: message and kept verbatim, ids
 * the content does not know are kept too), serialising in content order,
 * the note escapes, the time stamps and the due dates.  No file is opened
 * here: that is answers.h (open, lock, save, set).  Messages come back as
 * strings, not sanitised: they quote the file, so pass them through
 * text_sanitize before they reach a terminal.  Out of memory aborts.
 */
#ifndef MAMORI_ANSWERS_FORMAT_H
#define MAMORI_ANSWERS_FORMAT_H

#include <stddef.h>
#include <time.h>

struct doc;

/* The state of one item.  The word in the file is in the comment. */
enum answer_state {
	ANSWER_NONE = 0, /* "open": not answered (a line only to keep a note) */
	ANSWER_DONE,     /* "done": checklist item done */
	ANSWER_TODO,     /* "todo": checklist item explicitly not done */
	ANSWER_NA,       /* "na": 該当しない, left out of totals */
	ANSWER_YES,      /* "yes": 実施している (4 points) */
	ANSWER_PARTLY,   /* "partly": 一部実施している (2 points) */
	ANSWER_NO,       /* "no": 実施していない (0 points) */
	ANSWER_UNKNOWN,  /* "unknown": わからない (-1 point) */
	ANSWER_STATE_COUNT
};

/* One line of the file: an answer, or a malformed line kept as it was. */
struct answer {
	char *id; /* NULL for a malformed line */
	enum answer_state state;
	char *time;      /* ISO 8601 as written, or "-" when unknown */
	char *note;      /* unescaped bytes, "" when none; may be invalid UTF-8 */
	char *owner;     /* who does it (the "owner" attribute line), unescaped; "" = none.
	                   Never NULL for an entry with an id (once parsed or set) */
	char *due;       /* due date YYYY-MM-DD (the "due" attribute line); "" = none.
	                   Never NULL for an entry with an id */
	char *attrs_raw; /* attribute lines below this line that could not be read
	                   (bad due, unknown attribute, or below a malformed line),
	                   verbatim with their comments and newlines, or NULL:
	                   written back under this line */
	char *raw;       /* malformed line verbatim (no newline), else NULL */
	size_t raw_len;  /* bytes in raw (it may hold NUL bytes) */
	char *comments;  /* "# ..." lines that stood before it, with their
	                            newlines, or NULL; they move with the line */
	int line;        /* line in the file; 0 when added in this run */
	int item;        /* index in doc.items; -1 when unknown or no doc */
};

struct answers_diag {
	int line;  /* 0 when the message is about the whole file */
	char *msg; /* "FILE:LINE: message", ready to print once sanitised */
};

/*
 * One answers file in memory.  The line format fills the model (v, by_item,
 * trailing, diags); path, fd, readonly and error belong to the file side
 * (answers.h), which owns the struct.
 */
struct answers {
	char *path;            /* as given to answers_open (the name in messages) */
	const struct doc *doc; /* borrowed, may be NULL; must outlive this */
	int fd;                /* the open file (holds the lock), or -1 */
	int readonly;          /* 1: changes are refused (see readonly_reason) */
	char *readonly_reason; /* why, e.g. "in use by another mamori", or NULL */
	struct answer *v;      /* in file order (then additions) */
	size_t n, cap;
	int *by_item;               /* doc.nitems entries: index into v, or -1 */
	char *trailing;             /* comment lines after the last line, or NULL */
	struct answers_diag *diags; /* what loading found, in line order */
	size_t ndiags;
	char *error; /* message for the last failed call, or NULL */
	/*
	 * The company the answers are about: the optional "company NAME" line
	 * (note escapes; written after the header), or NULL.
	 */
	char *company;
	/*
	 * Format 2.  version: the version the file said (1 or 2; 2 for a new
	 * file or buffer with no header; a v1 file is written as v2 only when
	 * a change saves it).  department and respondent: who answered this
	 * session (escaped like a note in the file), NULL = none.  started:
	 * when this session began (ISO 8601 as written), NULL = none; an answer
	 * older than it is 未確認 (answers_unconfirmed).  sources: the inputs
	 * of a merged session, in file order (department may be "", path not).
	 */
	int version;
	char *department, *respondent, *started;
	struct answers_source {
		char *department;
		char *path;
	} * sources;
	size_t nsources;
	/*
	 * Attribute lines with no line above them to belong to (before the
	 * first entry), verbatim with their comments and newlines, or NULL:
	 * written after the header lines, where they stand above every entry.
	 */
	char *orphans;
	/*
	 * Which header fields were set in memory (answers_format_set_*) since
	 * the file was last read or saved: a reload before a save (the file was
	 * changed by someone else) puts them back on top of what it read.
	 * answers' business; answers_format_parse clears it.
	 */
	unsigned header_dirty;
	/*
	 * The ids by_item cannot find (unknown to the content, or every id when
	 * there is no doc), hashed by answers_format_parse so that a file of
	 * 80,000 unknown ids loads in linear time: open addressing, slot =
	 * index into v + 1, 0 when empty.  Entries from id_upto on (added after
	 * parsing) are searched one by one.  answers_format's business.
	 */
	size_t *id_slots;
	size_t id_cap; /* slots, 0 or a power of two */
	size_t id_count;
	size_t id_upto;
};

/* Bits of struct answers.header_dirty. */
#define ANSWERS_DIRTY_COMPANY 0x1
#define ANSWERS_DIRTY_HEADER 0x2 /* department and respondent */
#define ANSWERS_DIRTY_SOURCES 0x4
#define ANSWERS_DIRTY_STARTED 0x8

/*
 * Parse len bytes of buf as an answers file named name (for messages) into
 * a fresh a, without touching any file: the parser used by answers_open,
 * the tests and the fuzzer.  a is read-only afterwards.  An item id must
 * pass doc_id_valid; a line whose id does not is kept and reported like
 * any other line it cannot read.  Returns 0 (the int is kept for callers;
 * out of memory aborts).  Free with answers_close (answers.h).
 */
int answers_parse_buffer(struct answers *a, const char *name, const char *buf, size_t len,
                         const struct doc *d);

/*
 * The file's text as answers_save writes it: header, known ids in content
 * order, then unknown ids and malformed lines in file order, then trailing
 * comments.  *out is malloc'd (caller frees), *len its length in bytes.
 * Returns 0 (out of memory aborts).
 */
int answers_serialize(const struct answers *a, char **out, size_t *len);

/*
 * Set (name not NULL and not empty: leading and trailing blanks dropped)
 * or remove (NULL or "") the company line of a, in memory only: the
 * caller saves (answers_save).  The model is replaced as a reload replaces it.
 */
void answers_format_set_company(struct answers *a, const char *name);

/*
 * Set (not NULL and not empty) or remove department and respondent, in
 * memory only, like answers_format_set_company (answers_set_header in
 * answers.h is the same thing under its contract name).
 */
void answers_format_set_header(struct answers *a, const char *department, const char *respondent);

/* Replace the sources by copies of the n in v (n 0: none).  In memory only. */
void answers_format_set_sources(struct answers *a, const struct answers_source *v, size_t n);

/*
 * Set the started line to iso_time (as answers_format_time writes it; a
 * time answers_time_valid refuses, NULL or "" removes it).  In memory only.
 * Removing a field (here, with answers_format_set_header or _company) also
 * removes lines of its kind kept from the file as not read (a second
 * started line...), which the next read would otherwise take as the field.
 */
void answers_format_set_started(struct answers *a, const char *iso_time);

/*
 * 0 when s is a real calendar date written YYYY-MM-DD (four-digit year from
 * 0001, two-digit month and day, leap years by the Gregorian rule); else -1
 * and *why (when why is not NULL) a static English message for a person,
 * marked with N_() (translate it with _() where it is shown), e.g.
 * "February 2027 has 28 days" or "expected a date like 2027-03-31".
 */
int answers_date_check(const char *s, const char **why);

/*
 * Seconds since the epoch of an ISO 8601 time this format accepts
 * (answers_time_valid; the fraction is dropped), into *out.  Returns 0,
 * or -1 when s is not one (then *out is untouched).
 */
int answers_time_parse(const char *s, time_t *out);

/* The word in the file for st ("done", "yes", ...), and back (-1 when unknown). */
const char *answers_state_name(enum answer_state st);
int answers_state_parse(const char *word, size_t len);

/* 1 for the four diagnosis answers (yes, partly, no, unknown). */
int answers_state_is_question(enum answer_state st);

/* Points of a diagnosis answer: 4, 2, 0, -1; 0 for anything else. */
int answers_state_points(enum answer_state st);

/*
 * Write t as ISO 8601 local time with its offset ("2026-11-25T09:30:00+09:00",
 * or "...Z" when the offset is zero) into out.  Returns bytes written.
 */
size_t answers_format_time(time_t t, char out[32]);

/* 1 when the len bytes of s are a time this format accepts (see the man page). */
int answers_time_valid(const char *s, size_t len);

/*
 * For answers.c, the file side of the same module: parse buf into a (whose
 * path and doc are set; the old model is dropped; a line ends at LF, CRLF
 * or a lone CR, so a file with old Mac line ends is read too), drop the
 * model, find the entry of an id (O(1) for the ids parsed, by_item or the
 * hash; then the entries pushed since), append a zeroed entry (item -1;
 * returns its index), and
 * whether a state fits an item that is (question = 1) or is not a
 * diagnosis question (ANSWER_NONE fits both).
 */
void answers_format_parse(struct answers *a, const char *buf, size_t len);
void answers_format_reset(struct answers *a);
long answers_format_index(const struct answers *a, const char *id);
long answers_format_push(struct answers *a);
int answers_format_state_fits(enum answer_state st, int question);
/* 1 when an entry with an id says nothing: state open, no note, owner or due. */
int answers_format_empty(const struct answer *e);
/*
 * A copy of attrs (an entry's attrs_raw) without its owner lines (when
 * owner) and its due lines (when due), or NULL when nothing is left.  An
 * owner or due set from mamori replaces every line of its kind: a second
 * owner line kept from the file would otherwise be read as the owner next
 * time, once the owner set here is empty, and what was removed would come
 * back.  Comment lines stay.
 */
char *answers_format_attrs_without(const char *attrs, int owner, int due);

#endif
