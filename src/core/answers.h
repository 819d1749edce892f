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
 * are not checked and saving keeps file order).  The directory part of path
 * is opened once, here (symlinks in it are followed: it is the caller's
 * path); every later operation is relative to it, so moving that directory
 * or swapping it for a symlink afterwards never redirects a save.  The file
 * itself is opened with O_NOFOLLOW (a symlink is -ELOOP) and must be a
 * regular file (-EINVAL, -EISDIR).  Without ANSWERS_READONLY the writer
 * takes an exclusive flock on ".NAME.lock" beside the file (created 0600,
 * removed by answers_close; it outlives any replace of NAME by rename, ours
 * or an editor's); when another process holds it ("in use by another mamori"),
 * or the file or its directory is not writable, or it was written by a
 * newer format version, the open still succeeds with a->readonly set and
 * a->readonly_reason saying why (show it).  ANSWERS_READONLY sets
 * a->readonly too ("opened read-only").  The writer removes stale temp
 * files of ours (".NAME.tmp.XXXXXX" whose writer is gone, see safefile.h)
 * and narrows a file with group or other bits to 0600.  A missing file is
 * -ENOENT unless ANSWERS_CREATE, which creates it with a header line (mode
 * 0600 whatever the umask).
 * Problems in the content of the file never fail the open: they are in
 * a->diags (malformed lines, unknown ids: each reported once, here), after
 * notes about the whole file (line 0): the mode narrowed to 0600, a file
 * that belongs to another user.  Show them all once.
 * Returns 0 or -errno with a->error set.  Call answers_close in every case.
 */
int answers_open(struct answers *a, const char *path, const struct doc *d, unsigned flags);

/*
 * answers_open for the file name (one component, no '/') in the directory
 * dirfd (dup'ed: the caller keeps and closes its own), e.g. the sessions
 * directory that sessions_choose_at opened and checked; path is the name
 * messages use.  Everything else as answers_open.
 */
int answers_openat(struct answers *a, int dirfd, const char *name, const char *path, const struct doc *d,
                   unsigned flags);

/* Release the lock, close the file and free everything.  Safe on a zeroed struct. */
void answers_close(struct answers *a);

/* Flags in the non-negative result of answers_save and answers_set. */
#define ANSWERS_SAVED_RELOADED \
	0x1                         /* the file had been changed by someone else: it was read
				      again and the change applied on top of it (say so) */
#define ANSWERS_SAVED_RECREATED 0x2 /* the file had been removed: written again from memory */
#define ANSWERS_SAVED_UNSYNCED \
	0x4 /* saved (the change IS in the file and in memory), but the
				      directory fsync failed: a power cut could still lose it;
				      answers_error says so */

/*
 * Write the file atomically: first, when the file on disk is not what we
 * last read or wrote (inode, size, mtime or bytes), read it again (its
 * version replaces memory); then a temp file in the same directory
 * (O_EXCL, O_NOFOLLOW, 0600), write, fsync, rename over the name, fsync the
 * directory.  On any error before the rename the old file is untouched and
 * the temp file removed.  Returns 0 or ANSWERS_SAVED_* flags (>0) when
 * saved; -EROFS when read-only, or -errno, with a->error saying what failed.
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
 * ANSWER_NONE with an empty note removes the line (unless an owner or due
 * date keeps it, as "open").  id must pass
 * doc_id_valid and st be a state (-EINVAL).  With a doc, id must
 * be one of its items (-ENOENT) and the state must fit it: done/todo/na for
 * checklist items, yes/partly/no/unknown for diagnosis questions, or
 * ANSWER_NONE (-EINVAL).  A file changed on disk by someone else since
 * our last read or write is read again first and the change applied on top
 * of it, so neither side is lost (ANSWERS_SAVED_RELOADED: the model was
 * replaced, so pointers from answers_find are stale; tell the user).  When
 * saving fails the change is undone in memory too, so memory always
 * matches the file.  Returns 0 or ANSWERS_SAVED_* flags (>0) when the
 * change is saved, or -errno with a->error set.
 */
int answers_set(struct answers *a, const char *id, enum answer_state st, const char *note, time_t now);

/*
 * Set the note, owner and due date of id, leaving its state alone, and
 * save at once (all as answers_set: checks, reload and re-apply, undo on
 * failure, the result).  For each of note, owner and due: NULL leaves it
 * as it is, "" clears it, anything else replaces it (leading and trailing
 * blanks dropped; any length, any bytes but NUL: the file escapes them).
 * due must be a real date YYYY-MM-DD (answers_date_check): else -EINVAL
 * and a->error is its message ("2027-02-30: February 2027 has 28 days").
 * The answer's time is kept (a new line gets now): editing who and by when
 * does not confirm an answer.  An item left with no state, note, owner or
 * due loses its line; one with only an owner or due is written "open".
 */
int answers_set_fields(struct answers *a, const char *id, const char *note, const char *owner,
                       const char *due, time_t now);

/*
 * Confirm id's answer unchanged in this session: its time becomes now, its
 * state, note, owner and due are kept; saved at once as answers_set.
 * -ENOENT when id has no answer (no line, or state open).
 */
int answers_confirm(struct answers *a, const char *id, time_t now);

/*
 * 1 when e is 未確認 in this session: the file has a started line, e is an
 * answer (state not open), and its time is older than started or unknown
 * ("-").  Derived, never recorded: a new or changed answer, or
 * answers_confirm, stamps now, which is not older.  0 for e NULL.
 */
int answers_unconfirmed(const struct answers *a, const struct answer *e);

/* How many answers of doc group group (index into a->doc->groups) are 未確認; 0 without a doc. */
size_t answers_count_unconfirmed(const struct answers *a, size_t group);

/*
 * Set (not NULL and not empty: blanks at the ends dropped) or remove the
 * department and respondent lines, in memory only, like
 * answers_format_set_company: the caller saves (answers_save; a reload
 * there keeps them).  Returns 0, or -EROFS with a->error when read-only.
 */
int answers_set_header(struct answers *a, const char *department, const char *respondent);

/* Message for the last failed call (or the ANSWERS_SAVED_UNSYNCED warning), or "" (never NULL). */
const char *answers_error(const struct answers *a);

#endif
