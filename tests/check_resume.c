/*
 * check_resume: the reader's place between runs: the file round-trips,
 * garbage of every kind is refused with a message (and nothing kept), the
 * directory and file are made 0700 and 0600 under any umask, a symlink
 * planted as the file is neither followed on load nor written through on
 * save, and the session last used is picked only while it still exists.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/resume.h"
#include "suites.h"
#include "testutil.h"

static char *tmp;

static void setup(void)
{
	tmp = testutil_tmpdir(testutil_root());
}

static void teardown(void)
{
	testutil_rmrf(tmp);
	free(tmp);
	tmp = NULL;
}

static mode_t mode_of(const char *p)
{
	struct stat st;
	ck_assert_int_eq(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

static void sample(struct resume *r)
{
	memset(r, 0, sizeof *r);
	r->session = strdup("2026-12-02-3.txt");
	r->page = strdup("sa-one-star");
	r->block = 12;
	r->pos = 345;
	r->focus_block = 14;
	r->on_contents = 0;
}

START_TEST(test_round_trip)
{
	struct resume a, b = { 0 };
	char *msg = NULL;

	sample(&a);
	char *text = resume_format(&a);
	ck_assert_int_eq(resume_parse(&b, text, strlen(text), &msg), 0);
	ck_assert_str_eq(b.session, "2026-12-02-3.txt");
	ck_assert_str_eq(b.page, "sa-one-star");
	ck_assert_int_eq(b.block, 12);
	ck_assert_uint_eq(b.pos, 345);
	ck_assert_int_eq(b.focus_block, 14);
	ck_assert_int_eq(b.on_contents, 0);
	free(text);

	/* Left on the contents, with no page yet and no focus. */
	resume_free(&a);
	a.on_contents = 1;
	text = resume_format(&a);
	ck_assert_int_eq(resume_parse(&b, text, strlen(text), &msg), 0);
	ck_assert_ptr_null(b.session);
	ck_assert_ptr_null(b.page);
	ck_assert_int_eq(b.on_contents, 1);
	ck_assert_int_eq(b.focus_block, -1);
	free(text);

	/* At the top of a page the top line is its title, block -1. */
	const char *title = "mamori-resume 1\npage intro -1 0 -1\n";
	ck_assert_int_eq(resume_parse(&b, title, strlen(title), &msg), 0);
	ck_assert_int_eq(b.block, -1);

	/* A later version's keys are skipped; CRLF from an editor is read. */
	const char *later = "mamori-resume 1\r\nzoom 3\r\nsession 2026-01-05.txt\r\n\r\n";
	ck_assert_int_eq(resume_parse(&b, later, strlen(later), &msg), 0);
	ck_assert_str_eq(b.session, "2026-01-05.txt");
	ck_assert_ptr_null(msg);
	resume_free(&a);
	resume_free(&b);
}
END_TEST

START_TEST(test_garbage_refused)
{
	static const char *const bad[] = {
		"",
		"\n",
		"mamori-answers 1\n",
		"mamori-resume 2\n",
		"mamori-resume 1\nsession ../../etc/passwd\n",
		"mamori-resume 1\nsession 2026-13-01.txt\n",
		"mamori-resume 1\nsession 2026-12-01.txt extra\n",
		"mamori-resume 1\npage a/b 1 2 3\n",
		"mamori-resume 1\npage p\xe3\x81\x82 1 2 3\n",
		"mamori-resume 1\npage intro -2 0 -1\n",
		"mamori-resume 1\npage intro 1 0\n",
		"mamori-resume 1\npage intro 1 x -1\n",
		"mamori-resume 1\npage intro 99999999999 0 -1\n",
		"mamori-resume 1\npage intro 1 0 -2\n",
		"mamori-resume 1\nscreen sideways\n",
		"\x1b[31mmamori-resume 1\n",
	};
	struct resume r = { 0 };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *msg = NULL;
		ck_assert_msg(resume_parse(&r, bad[i], strlen(bad[i]), &msg) == -EINVAL, "case %zu", i);
		ck_assert_msg(msg && *msg, "case %zu has a message", i);
		ck_assert_ptr_null(r.session);
		ck_assert_ptr_null(r.page);
		free(msg);
	}
	/* A NUL in the middle is refused too (the length says it is there). */
	char *msg = NULL;
	ck_assert_int_eq(resume_parse(&r, "mamori-resume 1\n\0x\n", 19, &msg), -EINVAL);
	free(msg);
}
END_TEST

START_TEST(test_save_load_modes)
{
	char *dir = testutil_path(tmp, "state/mamori");
	struct resume a, b = { 0 };
	char *msg = NULL;

	/* Nothing there yet: the first run, not an error, and nothing made. */
	ck_assert_int_eq(resume_load(&b, dir, &msg), 0);
	ck_assert_int_eq(access(dir, F_OK), -1);

	sample(&a);
	mode_t old = umask(0);
	int rc = resume_save(&a, dir, &msg);
	umask(old);
	ck_assert_msg(rc == 0, "%s", msg ? msg : "");
	char *file = testutil_path(dir, RESUME_FILE);
	ck_assert_int_eq(mode_of(dir), 0700);
	ck_assert_int_eq(mode_of(file), 0600);
	ck_assert_int_eq(resume_load(&b, dir, &msg), 1);
	ck_assert_str_eq(b.page, "sa-one-star");
	ck_assert_uint_eq(b.pos, 345);

	/* Saved again over the old one: the new place wins, no temp file is left. */
	a.pos = 7;
	ck_assert_int_eq(resume_save(&a, dir, &msg), 0);
	ck_assert_int_eq(resume_load(&b, dir, &msg), 1);
	ck_assert_uint_eq(b.pos, 7);
	char *ls = testutil_path(tmp, "ls.out");
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "ls -A '%s' > '%s'", dir, ls);
	ck_assert_int_eq(system(cmd), 0);
	char *listing = testutil_slurp(ls, NULL);
	ck_assert_str_eq(listing, RESUME_FILE "\n");

	/* Garbage in the file: a message, and nothing taken from it. */
	ck_assert_int_eq(testutil_write(file, "\x89PNG\r\n", 6), 0);
	ck_assert_int_eq(resume_load(&b, dir, &msg), -EINVAL);
	ck_assert_ptr_nonnull(strstr(msg, "not a mamori resume file"));
	ck_assert_ptr_null(b.page);

	/* Too big to be ours. */
	char big[RESUME_MAX_BYTES + 10];
	memset(big, '\n', sizeof big);
	memcpy(big, "mamori-resume 1\n", 16);
	ck_assert_int_eq(testutil_write(file, big, sizeof big), 0);
	ck_assert_int_eq(resume_load(&b, dir, &msg), -EFBIG);

	free(msg);
	free(listing);
	free(ls);
	free(file);
	free(dir);
	resume_free(&a);
	resume_free(&b);
}
END_TEST

START_TEST(test_symlinks)
{
	char *dir = testutil_path(tmp, "mamori");
	char *file = testutil_path(dir, RESUME_FILE);
	char *victim = testutil_path(tmp, "victim");
	struct resume a, b = { 0 };
	char *msg = NULL;

	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(testutil_write(victim, "mamori-resume 1\nscreen contents\n", 32), 0);
	ck_assert_int_eq(symlink(victim, file), 0);
	/* Not read through the link... */
	ck_assert_int_eq(resume_load(&b, dir, &msg), -ELOOP);
	ck_assert_ptr_nonnull(strstr(msg, "symbolic link"));
	/* ...and not written through it: the link is replaced, the victim untouched. */
	sample(&a);
	ck_assert_int_eq(resume_save(&a, dir, &msg), 0);
	struct stat st;
	ck_assert_int_eq(lstat(file, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	char *v = testutil_slurp(victim, NULL);
	ck_assert_str_eq(v, "mamori-resume 1\nscreen contents\n");
	free(v);

	/* The state directory itself a symlink: refused, nothing written there. */
	char *real = testutil_path(tmp, "real");
	char *linked = testutil_path(tmp, "linked");
	ck_assert_int_eq(mkdir(real, 0700), 0);
	ck_assert_int_eq(symlink(real, linked), 0);
	ck_assert_int_lt(resume_save(&a, linked, &msg), 0);
	char *inreal = testutil_path(real, RESUME_FILE);
	ck_assert_int_eq(access(inreal, F_OK), -1);

	free(inreal);
	free(real);
	free(linked);
	free(msg);
	free(victim);
	free(file);
	free(dir);
	resume_free(&a);
	resume_free(&b);
}
END_TEST

START_TEST(test_pick_session)
{
	struct resume r = { 0 };
	char *path = strdup("/x/2026-12-05.txt");
	int dirfd = open(tmp, O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(dirfd, 0);
	/* Nothing recorded: the newest stays. */
	ck_assert_int_eq(resume_pick_session(&r, dirfd, tmp, &path), 0);
	ck_assert_str_eq(path, "/x/2026-12-05.txt");

	/* The session last used, still there: it wins over the newest. */
	r.session = strdup("2026-12-02.txt");
	char *f = testutil_path(tmp, "2026-12-02.txt");
	ck_assert_int_eq(testutil_write(f, "mamori-answers 1\n", 17), 0);
	ck_assert_int_eq(resume_pick_session(&r, dirfd, tmp, &path), 1);
	char *want = testutil_path(tmp, "2026-12-02.txt");
	ck_assert_str_eq(path, want);

	/* Gone: said so, and the path is left as it was. */
	ck_assert_int_eq(unlink(f), 0);
	free(path);
	path = strdup("/x/2026-12-05.txt");
	ck_assert_int_eq(resume_pick_session(&r, dirfd, tmp, &path), -ENOENT);
	ck_assert_str_eq(path, "/x/2026-12-05.txt");

	/* A symlink by that name is not a session. */
	ck_assert_int_eq(symlink("/etc/passwd", f), 0);
	ck_assert_int_eq(resume_pick_session(&r, dirfd, tmp, &path), -ENOENT);

	close(dirfd);
	free(want);
	free(f);
	free(path);
	resume_free(&r);
}
END_TEST

START_TEST(test_default_dir)
{
	char *dir = NULL, *msg = NULL;
	char *saved_x = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
	char *saved_h = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	setenv("XDG_STATE_HOME", "/s/state", 1);
	ck_assert_int_eq(resume_default_dir(&dir, &msg), 0);
	ck_assert_str_eq(dir, "/s/state/mamori");
	free(dir);
	/* Relative: ignored, as the XDG spec says. */
	setenv("XDG_STATE_HOME", "rel", 1);
	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(resume_default_dir(&dir, &msg), 0);
	ck_assert_str_eq(dir, "/home/u/.local/state/mamori");
	free(dir);
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	ck_assert_int_eq(resume_default_dir(&dir, &msg), -ENOENT);
	ck_assert_ptr_nonnull(msg);
	free(msg);
	if (saved_x)
		setenv("XDG_STATE_HOME", saved_x, 1);
	if (saved_h)
		setenv("HOME", saved_h, 1);
	free(saved_x);
	free(saved_h);
}
END_TEST

Suite *resume_suite(void)
{
	Suite *s = suite_create("resume");
	TCase *tc = tcase_create("resume");

	tcase_add_unchecked_fixture(tc, testutil_root_setup, testutil_root_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_garbage_refused);
	tcase_add_test(tc, test_save_load_modes);
	tcase_add_test(tc, test_symlinks);
	tcase_add_test(tc, test_pick_session);
	tcase_add_test(tc, test_default_dir);
	suite_add_tcase(s, tc);
	return s;
}
