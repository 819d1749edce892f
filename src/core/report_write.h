/*
 * report_write: the writers of `mamori --report` over one report_model
 * (report_model.h): plain text (report_text.c), Markdown (report_md.c) and
 * CSV (report_csv.c); HTML is report_html.h's.  Each writes UTF-8 to a
 * FILE* it is given (the CSV may be CP932, see below), and report_write_file
 * writes any format to a new file of mode 0600.  No curses.
 */
#ifndef MAMORI_REPORT_WRITE_H
#define MAMORI_REPORT_WRITE_H

#include <stdio.h>

struct report_model;

enum report_format {
	REPORT_TEXT,
	REPORT_MD,
	REPORT_HTML,
	REPORT_CSV
};

/* "text", "md", "html", "csv" and back (-1 when unknown; "markdown" is md too). */
const char *report_format_name(enum report_format f);
int report_format_parse(const char *name);

/* How a report is written.  Zeroed means: 80 columns, CSV in UTF-8 with a BOM. */
struct report_options {
	int width; /* text: columns, at least 40 (0: 80) */
	int cp932; /* csv: CP932 (Windows Shift_JIS) without a BOM, for older Excel */
};

/*
 * Every writer returns 0, or -errno when a write failed (EPIPE included),
 * or -EILSEQ when the CSV could not be converted to CP932.
 *
 * text: every line at most width columns (measured as the terminal does),
 * wrapped with the reader's kinsoku rules; sections in the order of the
 * model.  md: headings and pipe tables.  csv: RFC 4180, CRLF, a header row
 * then one row per item (see report_csv.c for the columns).
 */
int report_write_text(FILE *out, const struct report_model *m, int width);
int report_write_md(FILE *out, const struct report_model *m);
int report_write_csv(FILE *out, const struct report_model *m, int cp932);

/* Any format to out (REPORT_HTML: report_write_html, report_html.h). */
int report_write(FILE *out, const struct report_model *m, enum report_format f,
                 const struct report_options *o);

/*
 * Write the report in format f to a new file at path, mode 0600 whatever the
 * umask (O_CREAT | O_EXCL | O_NOFOLLOW: an existing file or a symlink is
 * -EEXIST), or, with force, over an existing regular file (through a temp
 * file in the same directory, renamed over it: a failure leaves the old
 * file whole).  Returns 0 or -errno.
 */
int report_write_file(const char *path, const struct report_model *m, enum report_format f,
                      const struct report_options *o, int force);

/*
 * Where the dashboard puts a report when the user does not say: beside the
 * sessions directory (its parent, $XDG_DATA_HOME/mamori), named
 * report-SESSION.EXT.  malloc'd.
 */
char *report_default_path(const char *sessions_dir, const char *session, enum report_format f);

#endif
