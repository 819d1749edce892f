/*
 * i18n: the one place messages meet GNU gettext.  Every message mamori
 * prints outside the full screen (errors, --help, the CLI modes' lines) is
 * written in English in the source and wrapped in _() where it is printed,
 * or N_() where it is only stored; po/ja.po gives the Japanese.  The
 * screen's own text is Japanese in the source and is not translated.
 * Without NLS (configure --disable-nls) both macros are the identity.
 */
#ifndef MAMORI_I18N_H
#define MAMORI_I18N_H

#if defined(ENABLE_NLS) && ENABLE_NLS
#include <libintl.h>
#define _(msgid) gettext(msgid)
#define ngettext_(one, many, n) ngettext(one, many, n)
#else
#define _(msgid) ((const char *)(msgid))
#define ngettext_(one, many, n) ((n) == 1 ? (const char *)(one) : (const char *)(many))
#endif
#define N_(msgid) msgid

#endif
