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
 * Create dir with mkdir -p semantics (directories it creates are 0700)
 * and make sure it is fit to hold answers: a real directory, not a symlink
 * (-ELOOP), owned by us (-EPERM), mode 0700 (a wider mode is narrowed with
 * chmod).  Returns 0 or -errno with *msg set.
 */
int sessions_prepare_dir(const char *dir, char **msg);

/*
 * List the session files in dir (regular files named YYYY-MM-DD.txt or
 * YYYY-MM-DD-N.txt; anything else is ignored), oldest first.  A missing dir
 * is an empty list.  Free with sessions_free.  Returns 0 or -errno.
 */
int sessions_list(struct sessions *s, const char *dir, char **msg);
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
 * link; never overwrites), mode 0600.  When carry_from is not NULL its
 * answers (states, times, notes, unknown ids and malformed lines) are
 * copied, in d's order when d is not NULL; else the session starts empty.
 * *path is malloc'd.  Returns 0 or -errno with *msg set.
 */
int sessions_new(const char *dir, const char *carry_from, const struct doc *d, time_t now, char **path,
                 char **msg);

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
 * else, in the default sessions directory (prepared unless readonly), the
 * latest session, or a new one as c->pick says (carrying from the latest
 * when there is one).  *path is the file and *dir the sessions directory,
 * both malloc'd; *dir is NULL with c->answers.  Read-only with no session
 * yet returns 0 with *path NULL: nothing is answered.  Read-only with a
 * new pick is -EINVAL.  Returns 0 or -errno with *msg set, *dir and *path
 * NULL.
 */
int sessions_choose(const struct sessions_choice *c, const struct doc *d, char **dir, char **path,
                    char **msg);

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
