/*
 * explain: lays out an item's explanation (see explain.h).  layout.c knows
 * pages, not explanations: rather than reach into its internals, an
 * explanation is dressed as a page of its own (its blocks inside an aside
 * titled 解説) and handed to layout_page, and the page's title lines are
 * cut off again.  Whatever layout.c learns (kinsoku, numbers with their
 * units, headings) an explanation gets for free.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/explain.h"
#include "core/util.h"

int explain_layout(struct layout *lo, const struct doc *d, int item, int width)
{
	const struct explain *e = doc_item_explain(d, item);

	memset(lo, 0, sizeof *lo);
	if (!e)
		return 0;

	/* The explanation's blocks (shared, not copied) framed by an aside. */
	size_t nb = e->nblocks + 2;
	struct block *blocks = xcalloc(nb, sizeof *blocks);
	char title[] = EXPLAIN_TITLE;
	blocks[0].kind = BLOCK_ASIDE_BEGIN;
	blocks[0].text = title;
	blocks[0].target = -1;
	blocks[0].line = e->line;
	if (e->nblocks)
		memcpy(blocks + 1, e->blocks, e->nblocks * sizeof *blocks);
	blocks[nb - 1].kind = BLOCK_ASIDE_END;
	blocks[nb - 1].target = -1;
	blocks[nb - 1].line = e->line;

	/*
	 * A copy of the doc whose pages are d's plus this one at the end, so
	 * link targets (page indices) mean what they mean in d.
	 */
	struct page *pages = xreallocarray(NULL, d->npages + 1, sizeof *pages);
	if (d->npages)
		memcpy(pages, d->pages, d->npages * sizeof *pages);
	struct page *pg = &pages[d->npages];
	memset(pg, 0, sizeof *pg);
	char empty[] = "";
	pg->id = empty;
	pg->title = empty;
	pg->chapter = d->npages ? d->pages[d->items[item].page].chapter : 0;
	pg->blocks = blocks;
	pg->nblocks = nb;
	pg->file = e->file;
	pg->line = e->line;
	struct doc tmp = *d;
	tmp.pages = pages;
	tmp.npages = d->npages + 1;

	layout_page(lo, &tmp, (int)d->npages, width);
	free(pages);
	free(blocks);

	/* Cut the page's title, its rule and the blank line above the frame. */
	size_t cut = 0;
	while (cut < lo->nlines && (lo->lines[cut].block < 0 || lo->lines[cut].style == LINE_BLANK))
		cut++;
	for (size_t i = 0; i < cut; i++) {
		free(lo->lines[i].text);
		free(lo->lines[i].cells);
	}
	memmove(lo->lines, lo->lines + cut, (lo->nlines - cut) * sizeof *lo->lines);
	lo->nlines -= cut;
	/* And anything after the frame's bottom edge (nothing today; a blank tomorrow). */
	while (lo->nlines && lo->lines[lo->nlines - 1].style == LINE_BLANK) {
		lo->nlines--;
		free(lo->lines[lo->nlines].text);
		free(lo->lines[lo->nlines].cells);
	}
	/* Block numbers as the explanation counts them; the frame is no block of it. */
	for (size_t i = 0; i < lo->nlines; i++) {
		int b = lo->lines[i].block - 1;
		lo->lines[i].block = b >= 0 && (size_t)b < e->nblocks ? b : -1;
	}
	return 1;
}
