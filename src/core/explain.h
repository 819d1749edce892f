/*
 * explain: an item's explanation (its 解説, `@explain` in the content; see
 * doc.h) laid out as display lines, for the reader, --dump and reports.
 * The blocks go through layout_page, the one layout code, so an
 * explanation wraps, frames and keeps its links exactly as a page does.
 */
#ifndef MAMORI_EXPLAIN_H
#define MAMORI_EXPLAIN_H

#include "core/doc.h"
#include "core/layout.h"

/* The title of the frame around an explanation. */
#define EXPLAIN_TITLE "解説"

/*
 * Lay out the explanation of item index item at width columns (clamped as
 * layout_page clamps): a frame titled EXPLAIN_TITLE holding its blocks, with
 * no page title and no blank line before or after.  A line's block is the
 * index into the explanation's blocks (doc_item_explain(d, item)->blocks),
 * -1 for the frame and its title; link lines carry their target page as on a
 * page.  Returns 1 when the item has an explanation (free lo with
 * layout_free), 0 when it has none (lo is then empty and needs no free).
 */
int explain_layout(struct layout *lo, const struct doc *d, int item, int width);

#endif
