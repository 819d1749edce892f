/*
 * docfix: small struct doc values built by hand for the answers, sessions
 * and progress tests, so they do not depend on the content parser.
 * Only groups and items are filled in (no pages or blocks), allocated the
 * way the parser does, so doc_free frees them.
 */
#ifndef MAMORI_TESTS_DOCFIX_H
#define MAMORI_TESTS_DOCFIX_H

#include "core/doc.h"

/* Add a group; returns its index. */
int docfix_group(struct doc *d, const char *id, enum group_kind kind, const char *title);

/* Add an item to group g (question = 1 when g is a diagnosis group); returns its index. */
int docfix_item(struct doc *d, const char *id, int g, const char *text);

/* Add n items named PREFIX-1 .. PREFIX-n to group g. */
void docfix_items(struct doc *d, const char *prefix, int g, int n);

#endif
