/*
 * policy: the draft of a 情報セキュリティ基本方針 that `mamori
 * --policy-draft` writes for SECURITY ACTION's 二つ星.  It follows the
 * headings of the sample in the guideline's 付録2 (the owner's
 * responsibility, the organisation, the employees' efforts, laws and
 * contracts, violations and incidents; then the date, the company and
 * the representative), in our own words, with a note on top saying it is
 * a draft to edit and publish.  Only the text is built here: writing it
 * (stdout or a file, --force) is cli.c's.
 */
#ifndef MAMORI_POLICY_H
#define MAMORI_POLICY_H

enum policy_format {
	POLICY_TEXT,    /* plain text, wrapped (kinsoku) to width columns */
	POLICY_MARKDOWN /* headings and lists; a paragraph is one line, as renderers join lines */
};

/* The columns of the text draft when width is 0. */
#define POLICY_DEFAULT_WIDTH 80

/* What the draft is built from.  Strings are UTF-8 and may hold anything: they are made visible. */
struct policy_input {
	const char *company;        /* NULL or "": the placeholder 【会社名】 */
	const char *representative; /* title and name as printed; NULL or "": placeholders */
	int year, month, day;       /* the date of 制定 (the owner changes it when they adopt it) */
	enum policy_format format;
	int width; /* POLICY_TEXT: columns per line (0: POLICY_DEFAULT_WIDTH, at least 20) */
};

/* The placeholders the owner fills in, as they appear in the draft. */
#define POLICY_PH_COMPANY "【会社名】"
#define POLICY_PH_REPRESENTATIVE "【代表者の役職】 【代表者名】"

/*
 * The draft as a malloc'd UTF-8 string ending in a newline (caller frees).
 * Text lines are at most width columns (text_width) and use no East Asian
 * ambiguous-width character of ours; the company and representative are
 * sanitised (text_sanitize), and escaped for Markdown.  Never fails.
 */
char *policy_draft(const struct policy_input *in);

#endif
