/*
 * answers: one session's answers file on disk (its format is THE ANSWERS
 * FILE in doc/mamori.1, its model and line format answers_format.h, which
 * this header includes): open, look up, change, and save atomically on
 * every change, with one writer per file.  Lines it cannot read are
 * reported as FILE:LINE: message and kept verbatim; ids the content does
 * not know are kept too.  No output here: messages come back as strings
 * (not sanitised: they quote the file, so pass them through text_sanitize
 * before they reach a terminal).  Out of memory aborts; I/O returns -errno.
 */
#ifndef MAMORI_ANSWERS_H
#define MAMORI_ANSWERS_H

#include <stddef.h>
#include <time.h>

#include "core/answers_format.h"

struct doc;

/* Flags for answers_open. */
#define ANSWERS_CREATE 0x1   /* create the file (0600) when it is missing */
#define ANSWERS_READONLY 0x2 /* never write and take no lock (--progress) */

/*
 * Open, lock and load the answers file at path.  doc may be NULL (then ids
 * are not checked and saving keeps file order).  The file is opened with
 * O_NOFOLLOW (a symlink is -ELOOP) and must be a regular file (-EINVAL,
 * -EISDIR).  Without ANSWERS_READONLY an exclusive flock is taken; when
 * another process holds it ("in use by another mamori"), or the file or its
 * directory is not writable, or it was written by a newer format version,
 * the open still succeeds with a->readonly set and a->readonly_reason saying
 * why (show it).  ANSWERS_READONLY sets a->readonly too ("opened read-only").
 * With the lock held, stale temp files of ours (".NAME.tmp.XXXXXX") are removed.
 * A missing file is -ENOENT unless ANSWERS_CREATE, which creates it with a
 * header line (mode 0600 whatever the umask).
 * Problems in the content of the file never fail the open: they are in
 * a->diags (malformed lines, unknown ids: each reported once, here).
 * Returns 0 or -errno with a->error set.  Call answers_close in every case.
 */
int answers_open(struct answers *a, const char *path, const struct doc *d, unsigned flags);

/* Release the lock, close the file and free everything.  Safe on a zeroed struct. */
void answers_close(struct answers *a);

/*
 * Write the file atomically: a temp file in the same directory (O_EXCL,
 * O_NOFOLLOW, 0600), write, fsync, rename over path, fsync the directory;
 * the lock moves to the new file.  On any error before the rename the old
 * file is untouched and the temp file removed.  Returns 0, -EROFS when
 * read-only, or -errno; a->error says what failed.
 */
int answers_save(struct answers *a);

/* The entry for id (or item index), or NULL when the item has no line. */
const struct answer *answers_find(const struct answers *a, const char *id);
const struct answer *answers_find_item(const struct answers *a, size_t item);

/* The state of id (or item index): ANSWER_NONE when it has no line. */
enum answer_state answers_get(const struct answers *a, const char *id);
enum answer_state answers_get_item(const struct answers *a, size_t item);

/*
 * Set the state and, unless note is NULL, the note (one line; leading and
 * trailing blanks are dropped) of id, stamp it with now, and save at once.
 * ANSWER_NONE with an empty note removes the line.  id must pass
 * doc_id_valid and st be a state (-EINVAL).  With a doc, id must
 * be one of its items (-ENOENT) and the state must fit it: done/todo/na for
 * checklist items, yes/partly/no/unknown for diagnosis questions, or
 * ANSWER_NONE (-EINVAL).  When saving fails the change is undone in memory
 * too, so memory always matches the file.  Returns 0 or -errno, a->error set.
 */
int answers_set(struct answers *a, const char *id, enum answer_state st, const char *note, time_t now);

/* Message for the last failed call, or "" (never NULL). */
const char *answers_error(const struct answers *a);

#endif
