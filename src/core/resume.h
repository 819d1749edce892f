/*
 * resume: where the reader stopped, kept between runs so mamori opens
 * there again: the session last used, the page and the place on it, and
 * whether the program was left on the contents.  It is state, not data
 * (losing it loses nothing): one small text file, "resume", in
 * $XDG_STATE_HOME/mamori (default ~/.local/state/mamori), the directory
 * 0700 and the file 0600, written crash-safe (safefile.h) and never
 * through a symlink.  A file that cannot be read as ours is reported once
 * and then ignored.  The format (THE RESUME FILE in doc/mamori.1):
 *
 *   mamori-resume 1
 *   session 2026-12-02.txt          the file name in the sessions directory
 *   page sa-one-star 12 0 -1        page id, top block, position, focused block
 *   screen page                     or "contents"
 *
 * Unknown keys are skipped (a later version may add some).  No output, no
 * curses; errors come back as -errno with a malloc'd message (*msg: a
 * previous one is freed first, so start with NULL; caller frees; it may
 * quote a path: sanitise before showing).
 */
#ifndef MAMORI_RESUME_H
#define MAMORI_RESUME_H

#include <stddef.h>

/* The name of the file in the state directory. */
#define RESUME_FILE "resume"

/* The largest file read; anything bigger is not ours. */
#define RESUME_MAX_BYTES 4096

struct resume {
	char *session;   /* "2026-12-02.txt": a session file name (sessions_parse_name), or NULL */
	char *page;      /* page id (letters, digits, '.', '_', '-'), or NULL */
	int block;       /* the top line's block on that page (see reader_pos; -1: the title) */
	size_t pos;      /* byte position in that block */
	int focus_block; /* the focused link's or item's block, or -1 */
	int on_contents; /* 1 when the program was left on the contents */
};

/*
 * The state directory: $XDG_STATE_HOME/mamori when XDG_STATE_HOME is
 * absolute, else $HOME/.local/state/mamori.  *out is malloc'd.  Returns 0
 * or -ENOENT (no usable HOME) with *msg set.  Nothing is created.
 */
int resume_default_dir(char **out, char **msg);

/* Free what r holds and zero it (focus_block -1). Safe on a zeroed struct. */
void resume_free(struct resume *r);

/*
 * Read text (len bytes) into r, which is freed first.  Returns 0, or
 * -EINVAL with *msg saying what is wrong (then r is empty).
 */
int resume_parse(struct resume *r, const char *text, size_t len, char **msg);

/* r as the file's text (malloc'd, NUL-terminated). */
char *resume_format(const struct resume *r);

/*
 * Load dir/resume into r (freed first).  Returns 1 when read, 0 when there
 * is none (no directory, no file: the first run), or -errno with *msg set
 * and r empty: a symlink (-ELOOP), not a regular file, not ours (-EPERM),
 * too big (-EFBIG), garbage (-EINVAL), or the directory itself unsafe.
 */
int resume_load(struct resume *r, const char *dir, char **msg);

/*
 * Write r to dir/resume: dir is made (0700) when missing, the file is
 * written to a synced temp file (0600) and renamed over the name, which
 * replaces a symlink there instead of following it.  Returns 0 or -errno
 * with *msg set; on failure the old file is untouched.
 */
int resume_save(const struct resume *r, const char *dir, char **msg);

/*
 * The session to resume: when r names a session that is still a regular
 * file of ours in the sessions directory dirfd (dir being its name), set
 * *path (freed first) to dir/name and return 1; 0 when r names none;
 * -ENOENT when the one it names is gone (the caller keeps the newest).
 */
int resume_pick_session(const struct resume *r, int dirfd, const char *dir, char **path);

#endif
