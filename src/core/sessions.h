/*
 * sessions: the directory of session files ($XDG_DATA_HOME/mamori/sessions,
 * one answers file per pass through the guideline, named by its local date:
 * 2026-11-25.txt, then 2026-11-25-2.txt, ...).  Finding, listing and
 * creating them; the files themselves are read and written by answers.
 * Errors come back as -errno plus a message: on failure *msg is set to a
 * malloc'd string (a previous *msg is freed first, so start with NULL; the
 * caller frees it; pass msg NULL when not wanted).  It may quote paths:
 * sanitise before showing.  Nothing is printed.
 */
#ifndef MAMORI_SESSIONS_H
#define MAMORI_SESSIONS_H

#include <stddef.h>
#include <time.h>

struct doc;
struct progress;

struct session {
	char *name; /* "2026-11-25-2" (file name without ".txt") */
	char *path; /* dir + "/" + name + ".txt" */
	int year, month, day;
	int seq; /* 1 for YYYY-MM-DD.txt, n for YYYY-MM-DD-n.txt */
};

struct sessions {
	struct session *v; /* oldest first: by date, then seq */
	size_t n;
};

/*
 * The sessions directory: $XDG_DATA_HOME/mamori/sessions when XDG_DATA_HOME
 * is set to an absolute path, else $HOME/.local/share/mamori/sessions.
 * *out is malloc'd.  Returns 0 or -ENOENT (no usable HOME).
 * Nothing is created.
 */
int sessions_default_dir(char **out, char **msg);

/*
 * Open dir once and check it for answers: the leading part is a path (made
 * with mkdir -p, 0700 for what is made, when create); the components mamori
 * makes and relies on (mamori/sessions when dir is sessions_default_dir's,
 * else the last one) are opened one by one with O_NOFOLLOW relative to
 * their parent: a symlink is -ELOOP, not a directory -ENOTDIR, one owned by
 * another user -EPERM, each with a message naming it.  With create, missing
 * ones are made 0700, the last is narrowed to 0700 and a parent writable by
 * group or other loses those bits (they are ours: nobody else can undo it).
 * Without create nothing is made or changed, and anything missing is
 * -ENOENT with no message.  Returns the directory fd (caller closes; use it
 * with the *_at functions and answers_openat) or -errno with *msg set.
 */
int sessions_open_dir(const char *dir, int create, char **msg);

/* sessions_open_dir with create, closed again: 0 or -errno with *msg set. */
int sessions_prepare_dir(const char *dir, char **msg);

/*
 * List the session files in dir (regular files of ours named YYYY-MM-DD.txt
 * or YYYY-MM-DD-N.txt, N from 2 to 999999; anything else is ignored, files
 * of other users too), oldest first.  dir is checked as sessions_open_dir
 * does, without create; a missing dir is an empty list.  Free with
 * sessions_free.  Returns 0 or -errno.  sessions_list_at lists the
 * directory dirfd, dir being its name for the paths.
 */
int sessions_list(struct sessions *s, const char *dir, char **msg);
int sessions_list_at(struct sessions *s, int dirfd, const char *dir, char **msg);
void sessions_free(struct sessions *s);

/* Path of the newest session in dir (*path malloc'd), or -ENOENT when none. */
int sessions_latest(const char *dir, char **path, char **msg);

/*
 * Path of the session just before the one at path in dir's order (for
 * "change since the previous session"), or -ENOENT when it is the first
 * or not a session of dir.  *prev is malloc'd.
 */
int sessions_previous(const char *dir, const char *path, char **prev, char **msg);

/*
 * Start a new session in dir (prepared with sessions_prepare_dir first):
 * named by now's local date, with the next free suffix.  The file is
 * written completely before it appears under its name (temp file, fsync,
 * link; never overwrites), mode 0600, with a started line = now (the
 * answers carried are 未確認 until confirmed: answers_unconfirmed).  When
 * carry_from is not NULL its answers (states, times, notes, owners, due
 * dates, company, department, respondent, unknown ids and malformed lines;
 * not a merge's source lines) are copied, in d's order when d is not NULL;
 * else the session starts empty.
 * A day has at most 999999 sessions: past that it is -EOVERFLOW (a longer
 * name would never be listed).  *path is malloc'd.  Returns 0 or -errno
 * with *msg set.  sessions_new_at makes it in the directory dirfd (from
 * sessions_open_dir), dir being its name for *path.
 */
int sessions_new(const char *dir, const char *carry_from, const struct doc *d, time_t now, char **path,
                 char **msg);
int sessions_new_at(int dirfd, const char *dir, const char *carry_from, const struct doc *d, time_t now,
                    char **path, char **msg);

/*
 * Delete the session name ("2026-11-25-2" or "2026-11-25-2.txt", a
 * session name only) in the directory dirfd, with its lock file and any
 * temp files a killed writer left.  It takes the session's one-writer lock
 * first, as answers_open does, so a session open in a mamori (this one
 * too: close it first) is refused (-EBUSY, "in use by another mamori").
 * A session that holds anything but its header lines (answers, notes,
 * owners, comments, lines mamori cannot read) is refused (-ENOTEMPTY)
 * unless allow_nonempty.  Crash-safe: the file goes first, under the
 * lock; a crash after that leaves a stale lock file that a second call
 * (-ENOENT) removes.  Returns 0 or -errno with *err set (as *msg above).
 */
int sessions_delete_at(int dirfd, const char *name, int allow_nonempty, char **err);

/*
 * Parse a session file name ("2026-11-25.txt", "2026-11-25-2.txt") into
 * its date and seq; returns 1 when it is one, else 0.
 */
int sessions_parse_name(const char *name, int *year, int *month, int *day, int *seq);

/* Which session a run opens when no --answers FILE is given. */
enum sessions_pick {
	SESSIONS_LATEST,    /* the newest session; a first, empty one when there is none */
	SESSIONS_NEW_EMPTY, /* a new session with no answers (--new-session) */
	SESSIONS_NEW_CARRY  /* a new one carrying the newest one's answers (--new-session=carry) */
};

struct sessions_choice {
	const char *answers; /* --answers FILE: exactly that file, nothing looked at; or NULL */
	enum sessions_pick pick;
	int readonly; /* only look: make no directory and no session (--progress) */
	time_t now;   /* when a new session starts: it is named by this date */
};

/*
 * The one policy for which answers file a run uses: c->answers as given;
 * else, in the default sessions directory (opened with sessions_open_dir's
 * checks, read-only or not; made and narrowed unless readonly), the latest
 * session, or a new one as c->pick says (carrying from the latest when
 * there is one).  Two runs that start at the same moment with no session
 * get the same first session (the second then opens it read-only: in use).  *path is the file and *dir the sessions directory,
 * both malloc'd; *dir is NULL with c->answers.  Read-only with no session
 * yet returns 0 with *path NULL: nothing is answered.  Read-only with a
 * new pick is -EINVAL.  Returns 0 or -errno with *msg set, *dir and *path
 * NULL.
 */
int sessions_choose(const struct sessions_choice *c, const struct doc *d, char **dir, char **path,
                    char **msg);

/*
 * sessions_choose, also handing back the checked sessions directory as
 * *dirfd (caller closes; -1 with --answers or on failure), so the session
 * can be opened relative to it: answers_openat(a, *dirfd, basename of
 * *path, *path, ...).  Then nothing is looked up by path again.
 */
int sessions_choose_at(const struct sessions_choice *c, const struct doc *d, char **dir, char **path,
                       int *dirfd, char **msg);

/*
 * The progress of the session just before path in dir (what "change since
 * the previous session" compares with), computed over d, and its name
 * ("2026-11-25-2", malloc'd; pass name NULL when not wanted).  Returns 1
 * when there is one; 0 when there is none (dir or path NULL, path is the
 * first session or not one of dir's, or the previous file cannot be read),
 * with *prev zeroed and *name NULL.  Free *prev with progress_free.
 */
int sessions_previous_progress(const char *dir, const char *path, const struct doc *d,
                               struct progress *prev, char **name);

#endif
