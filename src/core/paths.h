/*
 * paths: where mamori finds its content.  An installed binary reads
 * $(pkgdatadir)/content; a binary run from the build tree reads the source
 * tree's content/, so a developer never runs against stale installed files.
 */
#ifndef MAMORI_PATHS_H
#define MAMORI_PATHS_H

/*
 * The content directory: override when not NULL, else the source tree's
 * content/ for a binary in the build tree, else the installed one.
 * Returns a static string or override itself.
 */
const char *paths_content_dir(const char *override);

#endif
