/*
 * paths: the content directory (see paths.h).  The build tree is
 * recognised by where the running binary lives (/proc/self/exe), not by
 * the current directory, so `cd /tmp && ~/src/mamori/mamori` still works.
 */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "core/paths.h"

const char *paths_content_dir(const char *override)
{
	static char exe[PATH_MAX];

	if (override)
		return override;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (strcmp(exe, MAMORI_BUILDDIR) == 0 ||
			    strcmp(exe, MAMORI_BUILDDIR "/tests") == 0)
				return MAMORI_SRCDIR "/content";
		}
	}
	return MAMORI_PKGDATADIR "/content";
}
