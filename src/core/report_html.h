/*
 * report_html: the HTML writer of `mamori --report` over one report_model
 * (report_model.h).  The other writers are report_write.h's.
 */
#ifndef MAMORI_REPORT_HTML_H
#define MAMORI_REPORT_HTML_H

#include <stdio.h>

struct report_model;

/*
 * Write m to out as one self-contained HTML5 document in UTF-8: no
 * JavaScript, no external fonts, images or style sheets; the bars are
 * inline SVG; print CSS for A4 puts the summary (company, session, date,
 * score and band, ★/★★ readiness) on page one and the details after it.
 * Every string of the model is HTML-escaped, inside SVG too, so a note
 * holding markup shows as text.  Returns 0, or -errno when a write failed
 * (EPIPE included).
 */
int report_write_html(FILE *out, const struct report_model *m);

#endif
