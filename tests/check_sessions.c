/*
 * check_sessions: the sessions directory: where it is, making it safe
 * (0700, ours, no symlink) under any umask, naming and listing sessions,
 * starting a new one empty or from the previous one's answers, the one
 * policy that chooses a run's session (latest, new empty, new carried,
 * --answers, read-only), and the previous session's progress; planted or
 * swapped parent directories, 40 concurrent starts, the session number limit.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/doc.h"
#include "core/progress.h"
#include "core/sessions.h"
#include "docfix.h"
#include "suites.h"
#include "testutil.h"

/* 2026-11-25T00:30:00Z and a day later; dates are taken in TZ=UTC0 here. */
#define T0 ((time_t)1795566600)
#define DAY ((time_t)86400)

static char *tmp; /* per test, inside testutil_root() */
static char *saved_tz;

static void setup(void)
{
	tmp = testutil_tmpdir(testutil_root());
	const char *tz = getenv("TZ");
	saved_tz = tz ? strdup(tz) : NULL;
	setenv("TZ", "UTC0", 1);
	tzset();
}

static void teardown(void)
{
	if (saved_tz)
		setenv("TZ", saved_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved_tz);
	saved_tz = NULL;
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

static const char *base_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

START_TEST(test_parse_name)
{
	int y, m, d, n;
	ck_assert(sessions_parse_name("2026-11-25.txt", &y, &m, &d, &n));
	ck_assert(y == 2026 && m == 11 && d == 25 && n == 1);
	ck_assert(sessions_parse_name("2026-11-25-2.txt", &y, &m, &d, &n));
	ck_assert_int_eq(n, 2);
	ck_assert(sessions_parse_name("2026-01-01-123456.txt", &y, &m, &d, &n));
	ck_assert_int_eq(n, 123456);
	static const char *const bad[] = {
		"2026-11-25.txt~",
		"2026-11-25",
		".2026-11-25.txt.tmp.abcdef",
		"2026-13-01.txt",
		"2026-11-00.txt",
		"2026-11-25-1.txt",
		"2026-11-25-02.txt",
		"2026-11-25-.txt",
		"2026-11-25-x.txt",
		"2026-11-25-1234567.txt",
		"26-11-25.txt",
		"2026-11-25.TXT",
		"2026_11_25.txt",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!sessions_parse_name(bad[i], &y, &m, &d, &n), "%s", bad[i]);
}
END_TEST

START_TEST(test_default_dir)
{
	char *old_x = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
	char *old_h = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *d = NULL, *msg = NULL;
	setenv("XDG_DATA_HOME", "/x/data", 1);
	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(sessions_default_dir(&d, &msg), 0);
	ck_assert_str_eq(d, "/x/data/mamori/sessions");
	free(d);
	/* A relative XDG_DATA_HOME is invalid by the spec: ignored. */
	setenv("XDG_DATA_HOME", "rel/data", 1);
	ck_assert_int_eq(sessions_default_dir(&d, &msg), 0);
	ck_assert_str_eq(d, "/home/u/.local/share/mamori/sessions");
	free(d);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u/", 1);
	ck_assert_int_eq(sessions_default_dir(&d, &msg), 0);
	ck_assert_str_eq(d, "/home/u/.local/share/mamori/sessions");
	free(d);
	unsetenv("HOME");
	ck_assert_int_eq(sessions_default_dir(&d, &msg), -ENOENT);
	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(strstr(msg, "--answers"));
	free(msg);
	if (old_x)
		setenv("XDG_DATA_HOME", old_x, 1);
	if (old_h)
		setenv("HOME", old_h, 1);
	free(old_x);
	free(old_h);
}
END_TEST

static void check_prepare(mode_t mask)
{
	mode_t old = umask(mask);
	char *top = testutil_path(tmp, "data"), *dir = testutil_path(tmp, "data/mamori/sessions");
	char *mid = testutil_path(tmp, "data/mamori");
	char *msg = NULL;
	ck_assert_int_eq(sessions_prepare_dir(dir, &msg), 0);
	ck_assert_uint_eq(mode_of(top), 0700);
	ck_assert_uint_eq(mode_of(mid), 0700);
	ck_assert_uint_eq(mode_of(dir), 0700);
	/* Again (it exists now), and with a trailing slash. */
	char *slash = malloc(strlen(dir) + 2);
	ck_assert_ptr_nonnull(slash);
	sprintf(slash, "%s/", dir);
	ck_assert_int_eq(sessions_prepare_dir(slash, &msg), 0);
	/* A wider mode on the sessions directory is narrowed. */
	ck_assert_int_eq(chmod(dir, 0755), 0);
	ck_assert_int_eq(sessions_prepare_dir(dir, &msg), 0);
	ck_assert_uint_eq(mode_of(dir), 0700);
	/* New session files are 0600. */
	char *p = NULL;
	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0, &p, &msg), 0);
	ck_assert_uint_eq(mode_of(p), 0600);
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p, NULL, 0), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0), 0);
	answers_close(&a);
	ck_assert_uint_eq(mode_of(p), 0600);
	ck_assert_uint_eq(mode_of(dir), 0700);
	free(p);
	free(msg);
	free(slash);
	free(top);
	free(mid);
	free(dir);
	umask(old);
}

START_TEST(test_prepare_umask_000)
{
	check_prepare(0);
}
END_TEST

START_TEST(test_prepare_umask_077)
{
	check_prepare(077);
}
END_TEST

START_TEST(test_prepare_refuses)
{
	char *real = testutil_path(tmp, "real"), *link = testutil_path(tmp, "link");
	char *file = testutil_path(tmp, "file");
	char *under = testutil_path(tmp, "file/sessions"), *msg = NULL;
	ck_assert_int_eq(mkdir(real, 0700), 0);
	ck_assert_int_eq(symlink(real, link), 0);
	ck_assert_int_eq(sessions_prepare_dir(link, &msg), -ELOOP);
	ck_assert_ptr_nonnull(strstr(msg, "symbolic link"));
	/* And sessions_new, which prepares the directory itself, refuses too. */
	char *p = NULL;
	ck_assert_int_eq(sessions_new(link, NULL, NULL, T0, &p, &msg), -ELOOP);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(testutil_write(file, "x", 1), 0);
	ck_assert_int_eq(sessions_prepare_dir(file, &msg), -ENOTDIR);
	ck_assert_int_eq(sessions_prepare_dir(under, &msg), -ENOTDIR);
	ck_assert_ptr_nonnull(strstr(msg, "file"));
	/* Owned by someone else: only root can set that up. */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(real, 65534, 65534), 0);
		ck_assert_int_eq(sessions_prepare_dir(real, &msg), -EPERM);
		ck_assert_ptr_nonnull(strstr(msg, "another user"));
	}
	free(msg);
	free(real);
	free(link);
	free(file);
	free(under);
}
END_TEST

START_TEST(test_new_names_and_order)
{
	char *dir = testutil_path(tmp, "s"), *msg = NULL, *p1 = NULL, *p2 = NULL, *p3 = NULL, *p0 = NULL;
	char *latest = NULL;
	/* A missing directory is an empty list, and has no latest session. */
	struct sessions s;
	ck_assert_int_eq(sessions_list(&s, dir, &msg), 0);
	ck_assert_uint_eq(s.n, 0);
	sessions_free(&s);
	ck_assert_int_eq(sessions_latest(dir, &latest, &msg), -ENOENT);

	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0, &p1, &msg), 0);
	ck_assert_str_eq(base_of(p1), "2026-11-25.txt");
	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0 + 60, &p2, &msg), 0);
	ck_assert_str_eq(base_of(p2), "2026-11-25-2.txt");
	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0 - DAY, &p0, &msg), 0);
	ck_assert_str_eq(base_of(p0), "2026-11-24.txt");
	/* The latest is by name (date, then number), not by creation time. */
	ck_assert_int_eq(sessions_latest(dir, &latest, &msg), 0);
	ck_assert_str_eq(latest, p2);
	free(latest);
	/* With the day's first session gone, a new one still sorts last. */
	ck_assert_int_eq(unlink(p1), 0);
	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0, &p3, &msg), 0);
	ck_assert_str_eq(base_of(p3), "2026-11-25-3.txt");

	/* Things that are not session files are ignored. */
	char junk[4200];
	snprintf(junk, sizeof junk, "%s/notes.txt", dir);
	ck_assert_int_eq(testutil_write(junk, "x", 1), 0);
	snprintf(junk, sizeof junk, "%s/2027-01-01.txt", dir);
	ck_assert_int_eq(mkdir(junk, 0700), 0);
	snprintf(junk, sizeof junk, "%s/2027-01-02.txt", dir);
	ck_assert_int_eq(symlink(p0, junk), 0);
	snprintf(junk, sizeof junk, "%s/.2026-11-25.txt.tmp.abcdef", dir);
	ck_assert_int_eq(testutil_write(junk, "x", 1), 0);

	ck_assert_int_eq(sessions_list(&s, dir, &msg), 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_str_eq(s.v[0].name, "2026-11-24");
	ck_assert_str_eq(s.v[1].name, "2026-11-25-2");
	ck_assert_str_eq(s.v[2].name, "2026-11-25-3");
	ck_assert_str_eq(s.v[2].path, p3);
	ck_assert_int_eq(s.v[1].year, 2026);
	ck_assert_int_eq(s.v[1].month, 11);
	ck_assert_int_eq(s.v[1].day, 25);
	ck_assert_int_eq(s.v[1].seq, 2);
	sessions_free(&s);

	/* The previous session, for the change since then. */
	char *prev = NULL;
	ck_assert_int_eq(sessions_previous(dir, p3, &prev, &msg), 0);
	ck_assert_str_eq(prev, p2);
	free(prev);
	prev = NULL;
	ck_assert_int_eq(sessions_previous(dir, p0, &prev, &msg), -ENOENT);
	ck_assert_ptr_null(prev);
	ck_assert_int_eq(sessions_previous(dir, junk, &prev, &msg), -ENOENT);

	/* Each new session is a valid, empty answers file. */
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p3, NULL, 0), 0);
	ck_assert_uint_eq(a.n, 0);
	ck_assert_uint_eq(a.ndiags, 0);
	answers_close(&a);
	/* No temp files of ours are left behind. */
	ck_assert_int_eq(unlink(junk), 0);
	ck_assert_int_eq(sessions_list(&s, dir, &msg), 0);
	sessions_free(&s);
	free(msg);
	free(p0);
	free(p1);
	free(p2);
	free(p3);
	free(dir);
}
END_TEST

START_TEST(test_new_carries_answers)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	int g = docfix_group(&d, "p1", GROUP_PRINCIPLE, "原則1");
	docfix_items(&d, "p1", g, 3);
	int dg = docfix_group(&d, "diag", GROUP_DIAGNOSIS, "診断");
	docfix_items(&d, "diag", dg, 2);
	char *dir = testutil_path(tmp, "s"), *msg = NULL, *first = NULL, *second = NULL, *empty = NULL;
	ck_assert_int_eq(sessions_new(dir, NULL, &d, T0, &first, &msg), 0);
	struct answers a;
	ck_assert_int_eq(answers_open(&a, first, &d, 0), 0);
	ck_assert_int_eq(answers_set(&a, "p1-2", ANSWER_DONE, "メモ", T0), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_NA, NULL, T0), 0);
	ck_assert_int_eq(answers_set(&a, "diag-2", ANSWER_UNKNOWN, NULL, T0), 0);
	answers_close(&a);
	/* An unknown id and a malformed line, added by hand, are carried too. */
	FILE *f = fopen(first, "a");
	ck_assert_ptr_nonnull(f);
	fputs("old-1 done 2026-01-01T00:00:00Z\nbroken line here\n", f);
	fclose(f);
	const struct answer *e;
	ck_assert_int_eq(sessions_new(dir, first, &d, T0 + DAY, &second, &msg), 0);
	ck_assert_str_eq(base_of(second), "2026-11-26.txt");
	ck_assert_uint_eq(mode_of(second), 0600);
	ck_assert_int_eq(answers_open(&a, second, &d, 0), 0);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_NA);
	ck_assert_int_eq(answers_get(&a, "p1-2"), ANSWER_DONE);
	ck_assert_int_eq(answers_get(&a, "diag-2"), ANSWER_UNKNOWN);
	ck_assert_int_eq(answers_get(&a, "old-1"), ANSWER_DONE);
	e = answers_find(&a, "p1-2");
	ck_assert_str_eq(e->note, "メモ");
	ck_assert_uint_eq(a.ndiags, 2); /* old-1 unknown, the broken line */
	/* The copy is independent of the original. */
	ck_assert_int_eq(answers_set(&a, "p1-3", ANSWER_DONE, NULL, T0 + DAY), 0);
	answers_close(&a);
	ck_assert_int_eq(answers_open(&a, first, &d, ANSWERS_READONLY), 0);
	ck_assert_int_eq(answers_get(&a, "p1-3"), ANSWER_NONE);
	answers_close(&a);
	char *text = testutil_slurp(second, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\nbroken line here\n"));
	free(text);
	/* Carrying from a file that is not there fails and creates nothing. */
	char *missing = testutil_path(tmp, "nope.txt");
	ck_assert_int_eq(sessions_new(dir, missing, &d, T0 + 2 * DAY, &empty, &msg), -ENOENT);
	ck_assert_ptr_null(empty);
	struct sessions s;
	ck_assert_int_eq(sessions_list(&s, dir, &msg), 0);
	ck_assert_uint_eq(s.n, 2);
	sessions_free(&s);
	free(missing);
	free(msg);
	free(first);
	free(second);
	free(dir);
	doc_free(&d);
}
END_TEST

/* Point the default sessions directory into tmp; returns it (caller frees). */
static char *use_data_home(char **saved)
{
	const char *x = getenv("XDG_DATA_HOME");
	*saved = x ? strdup(x) : NULL;
	char *home = testutil_path(tmp, "data");
	setenv("XDG_DATA_HOME", home, 1);
	free(home);
	return testutil_path(tmp, "data/mamori/sessions");
}

static void restore_data_home(char *saved)
{
	if (saved)
		setenv("XDG_DATA_HOME", saved, 1);
	else
		unsetenv("XDG_DATA_HOME");
	free(saved);
}

static size_t count_sessions(const char *dir)
{
	struct sessions s;
	ck_assert_int_eq(sessions_list(&s, dir, NULL), 0);
	size_t n = s.n;
	sessions_free(&s);
	return n;
}

START_TEST(test_choose)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	docfix_items(&d, "p1", docfix_group(&d, "p1", GROUP_PRINCIPLE, "原則1"), 3);
	char *saved, *want = use_data_home(&saved), *dir = NULL, *path = NULL, *msg = NULL;
	struct stat st;
	struct answers a;

	/* Read-only with no session yet: nothing answered, and nothing made, not even the directory. */
	struct sessions_choice c = { NULL, SESSIONS_LATEST, 1, T0 };
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), 0);
	ck_assert_ptr_null(path);
	ck_assert_str_eq(dir, want);
	ck_assert_int_eq(stat(want, &st), -1);
	free(dir);
	/* Read-only never starts a session. */
	c.pick = SESSIONS_NEW_EMPTY;
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), -EINVAL);
	ck_assert_ptr_null(dir);
	ck_assert_int_eq(stat(want, &st), -1);

	/* The first run: a first, empty session in a new 0700 directory. */
	c = (struct sessions_choice){ NULL, SESSIONS_LATEST, 0, T0 };
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), 0);
	ck_assert_str_eq(dir, want);
	ck_assert_str_eq(base_of(path), "2026-11-25.txt");
	ck_assert_uint_eq(mode_of(dir), 0700);
	ck_assert_int_eq(answers_open(&a, path, &d, 0), 0);
	ck_assert_uint_eq(a.n, 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0), 0);
	answers_close(&a);
	char *first = path;
	free(dir);

	/* The next run resumes it, a day later too, and makes nothing new. */
	c.now = T0 + DAY;
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), 0);
	ck_assert_str_eq(path, first);
	ck_assert_uint_eq(count_sessions(want), 1);
	free(dir);
	free(path);
	/* So does a read-only run. */
	c.readonly = 1;
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), 0);
	ck_assert_str_eq(path, first);
	free(dir);
	free(path);

	/* A new empty session: the latest from now on, with nothing answered. */
	c = (struct sessions_choice){ NULL, SESSIONS_NEW_EMPTY, 0, T0 + DAY };
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), 0);
	ck_assert_str_eq(base_of(path), "2026-11-26.txt");
	ck_assert_int_eq(answers_open(&a, path, &d, ANSWERS_READONLY), 0);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_NONE);
	answers_close(&a);
	free(dir);
	free(path);

	/* A new carried session copies the latest one's answers (the empty one just made). */
	c.pick = SESSIONS_NEW_CARRY;
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), 0);
	ck_assert_str_eq(base_of(path), "2026-11-26-2.txt");
	ck_assert_int_eq(answers_open(&a, path, &d, 0), 0);
	ck_assert_int_eq(answers_get(&a, "p1-1"), ANSWER_NONE);
	ck_assert_int_eq(answers_set(&a, "p1-2", ANSWER_DONE, "carry me", T0 + DAY), 0);
	answers_close(&a);
	free(dir);
	free(path);
	c.now = T0 + 2 * DAY;
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), 0);
	ck_assert_str_eq(base_of(path), "2026-11-27.txt");
	ck_assert_int_eq(answers_open(&a, path, &d, ANSWERS_READONLY), 0);
	ck_assert_int_eq(answers_get(&a, "p1-2"), ANSWER_DONE);
	ck_assert_str_eq(answers_find(&a, "p1-2")->note, "carry me");
	answers_close(&a);
	ck_assert_uint_eq(count_sessions(want), 4);

	/* The previous session's progress and name, for the change since then. */
	struct progress prev;
	char *name = NULL;
	ck_assert_int_eq(sessions_previous_progress(dir, path, &d, &prev, &name), 1);
	ck_assert_str_eq(name, "2026-11-26-2");
	ck_assert_uint_eq(prev.done, 1);
	progress_free(&prev);
	free(name);
	ck_assert_int_eq(sessions_previous_progress(dir, first, &d, &prev, &name), 0);
	ck_assert_ptr_null(name);
	ck_assert_ptr_null(prev.groups);
	ck_assert_int_eq(sessions_previous_progress(NULL, path, &d, &prev, NULL), 0);
	free(dir);
	free(path);

	/* --answers FILE: exactly that file, no sessions directory, nothing made or looked at. */
	char *file = testutil_path(tmp, "mine.txt");
	c = (struct sessions_choice){ file, SESSIONS_LATEST, 0, T0 };
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), 0);
	ck_assert_ptr_null(dir);
	ck_assert_str_eq(path, file);
	ck_assert_int_eq(stat(file, &st), -1);
	ck_assert_uint_eq(count_sessions(want), 4);
	free(path);

	/* No usable place for sessions: an error that points to --answers, and no path. */
	unsetenv("XDG_DATA_HOME");
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	unsetenv("HOME");
	c = (struct sessions_choice){ NULL, SESSIONS_LATEST, 1, T0 };
	ck_assert_int_eq(sessions_choose(&c, &d, &dir, &path, &msg), -ENOENT);
	ck_assert_ptr_null(dir);
	ck_assert_ptr_null(path);
	ck_assert_ptr_nonnull(strstr(msg, "--answers"));
	if (home)
		setenv("HOME", home, 1);
	free(home);

	free(msg);
	free(file);
	free(first);
	free(want);
	restore_data_home(saved);
	doc_free(&d);
}
END_TEST

START_TEST(test_planted_parents_refused)
{
	char *saved, *want = use_data_home(&saved), *dir = NULL, *path = NULL, *msg = NULL;
	char *data = testutil_path(tmp, "data"), *mamori = testutil_path(tmp, "data/mamori");
	char *evil = testutil_path(tmp, "evil"), *evil_sessions = testutil_path(tmp, "evil/sessions");
	struct sessions_choice c = { NULL, SESSIONS_LATEST, 0, T0 };
	ck_assert_int_eq(mkdir(data, 01777), 0);
	ck_assert_int_eq(mkdir(evil, 0777), 0);
	ck_assert_int_eq(mkdir(evil_sessions, 0700), 0);
	/* A planted session, for the read-only look to find if it followed the link. */
	char *bait = testutil_path(evil_sessions, "2026-11-20.txt");
	ck_assert_int_eq(testutil_write(bait, "mamori-answers 1\n", 17), 0);
	/* $XDG_DATA_HOME/mamori is a symlink planted in a shared sticky directory. */
	ck_assert_int_eq(symlink(evil, mamori), 0);
	ck_assert_int_eq(sessions_choose(&c, NULL, &dir, &path, &msg), -ELOOP);
	ck_assert_ptr_null(path);
	ck_assert_ptr_nonnull(strstr(msg, mamori));
	ck_assert_ptr_nonnull(strstr(msg, "symbolic link"));
	ck_assert_uint_eq(count_sessions(evil_sessions), 1); /* nothing made there */
	/* --progress applies the same checks. */
	c.readonly = 1;
	ck_assert_int_eq(sessions_choose(&c, NULL, &dir, &path, &msg), -ELOOP);
	ck_assert_ptr_null(path);
	/* A sessions list of the default directory refuses too. */
	struct sessions s;
	ck_assert_int_eq(sessions_list(&s, want, &msg), -ELOOP);
	ck_assert_int_eq(unlink(mamori), 0);
	/* A real directory owned by someone else (root only can set it up). */
	if (geteuid() == 0) {
		ck_assert_int_eq(mkdir(mamori, 0777), 0);
		ck_assert_int_eq(chown(mamori, 65534, 65534), 0);
		c.readonly = 0;
		ck_assert_int_eq(sessions_choose(&c, NULL, &dir, &path, &msg), -EPERM);
		ck_assert_ptr_nonnull(strstr(msg, mamori));
		ck_assert_ptr_nonnull(strstr(msg, "another user"));
		c.readonly = 1;
		ck_assert_int_eq(sessions_choose(&c, NULL, &dir, &path, &msg), -EPERM);
		ck_assert_int_eq(rmdir(mamori), 0);
	}
	/* Ours but writable by others: narrowed, then used. */
	ck_assert_int_eq(mkdir(mamori, 0777), 0);
	ck_assert_int_eq(chmod(mamori, 0777), 0);
	c.readonly = 0;
	ck_assert_int_eq(sessions_choose(&c, NULL, &dir, &path, &msg), 0);
	ck_assert_uint_eq(mode_of(mamori), 0755);
	ck_assert_uint_eq(mode_of(want), 0700);
	free(dir);
	free(path);
	free(bait);
	free(msg);
	free(data);
	free(mamori);
	free(evil);
	free(evil_sessions);
	free(want);
	restore_data_home(saved);
}
END_TEST

START_TEST(test_swap_after_start)
{
	/* The sessions directory swapped for a symlink mid-session: saves stay where they were. */
	char *saved, *want = use_data_home(&saved), *dir = NULL, *path = NULL, *msg = NULL;
	char *real = testutil_path(tmp, "data/mamori/sessions.real"), *evil = testutil_path(tmp, "evil");
	struct sessions_choice c = { NULL, SESSIONS_LATEST, 0, T0 };
	int dfd;
	ck_assert_int_eq(sessions_choose_at(&c, NULL, &dir, &path, &dfd, &msg), 0);
	ck_assert_int_ge(dfd, 0);
	struct answers a, b;
	ck_assert_int_eq(answers_openat(&a, dfd, base_of(path), path, NULL, 0), 0);
	ck_assert_int_eq(answers_open(&b, path, NULL, ANSWERS_READONLY), 0);
	answers_close(&b);
	ck_assert_int_eq(mkdir(evil, 0777), 0);
	ck_assert_int_eq(rename(want, real), 0);
	ck_assert_int_eq(symlink(evil, want), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0), 0);
	char *moved = testutil_path(real, base_of(path));
	char *text = testutil_slurp(moved, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "\np1-1 done "));
	free(text);
	char *planted = testutil_path(evil, base_of(path));
	ck_assert_int_eq(access(planted, F_OK), -1);
	answers_close(&a);
	/* The next start refuses the symlink rather than open an empty session there. */
	char *dir2 = NULL, *path2 = NULL;
	ck_assert_int_eq(sessions_choose(&c, NULL, &dir2, &path2, &msg), -ELOOP);
	ck_assert_ptr_nonnull(strstr(msg, want));
	close(dfd);
	free(planted);
	free(moved);
	free(dir);
	free(path);
	free(msg);
	free(real);
	free(evil);
	free(want);
	restore_data_home(saved);
}
END_TEST

/*
 * n processes start at the same moment, as main() does: choose the session,
 * open it.  Returns how many failed; *writers is how many got it writable.
 */
static int concurrent_starts(int n, enum sessions_pick pick, int *writers)
{
	int gate[2], report[2], release[2];
	ck_assert_int_eq(pipe(gate), 0);
	ck_assert_int_eq(pipe(report), 0);
	ck_assert_int_eq(pipe(release), 0);
	pid_t pids[64];
	ck_assert_int_le(n, 64);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			char ch = '1';
			close(gate[1]);
			close(report[0]);
			close(release[1]);
			if (read(gate[0], &ch, 1) < 0)
				_exit(1);
			struct sessions_choice c = { NULL, pick, 0, T0 };
			char *dir = NULL, *path = NULL, *msg = NULL;
			struct answers a;
			ch = '1';
			if (sessions_choose(&c, NULL, &dir, &path, &msg) == 0 &&
			    answers_open(&a, path, NULL, ANSWERS_CREATE) == 0)
				ch = a.readonly ? '2' : '0';
			/* Say how it went, and hold the file until all have said, as running mamoris do. */
			if (write(report[1], &ch, 1) != 1 || read(release[0], &ch, 1) < 0)
				_exit(1);
			_exit(0);
		}
	}
	close(gate[0]);
	close(report[1]);
	close(release[0]);
	close(gate[1]); /* all go */
	int failed = 0;
	*writers = 0;
	for (int i = 0; i < n; i++) {
		char ch;
		ck_assert_int_eq(read(report[0], &ch, 1), 1);
		failed += ch == '1';
		*writers += ch == '0';
	}
	close(release[1]); /* all may go */
	for (int i = 0; i < n; i++) {
		int status;
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert(WIFEXITED(status));
	}
	close(report[0]);
	return failed;
}

START_TEST(test_concurrent_starts)
{
	char *saved, *want = use_data_home(&saved);
	int writers;
	/* 40 first starts at once: one first session, no failure, one writer. */
	for (int round = 0; round < 3; round++) {
		char cmd[4200];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", want);
		ck_assert_int_eq(system(cmd), 0);
		ck_assert_int_eq(concurrent_starts(40, SESSIONS_LATEST, &writers), 0);
		ck_assert_uint_eq(count_sessions(want), 1);
		ck_assert_int_eq(writers, 1);
	}
	/* 40 new sessions at once: 40 sessions, no failure, each its own writer. */
	ck_assert_int_eq(concurrent_starts(40, SESSIONS_NEW_EMPTY, &writers), 0);
	ck_assert_uint_eq(count_sessions(want), 41);
	ck_assert_int_eq(writers, 40);
	/* And no temp file is left. */
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '\\.tmp\\.' | grep -qx 0", want);
	ck_assert_int_eq(system(cmd), 0);
	free(want);
	restore_data_home(saved);
}
END_TEST

START_TEST(test_session_number_limit)
{
	char *dir = testutil_path(tmp, "s"), *msg = NULL, *p = NULL;
	ck_assert_int_eq(sessions_prepare_dir(dir, &msg), 0);
	char *last = testutil_path(dir, "2026-11-25-999999.txt");
	char *over = testutil_path(dir, "2026-11-25-1000000.txt");
	ck_assert_int_eq(testutil_write(last, "mamori-answers 1\n", 17), 0);
	/* Past 999999 a name would not be listed: refused, and nothing made. */
	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0, &p, &msg), -EOVERFLOW);
	ck_assert_ptr_null(p);
	ck_assert_ptr_nonnull(strstr(msg, "999999"));
	ck_assert_int_eq(access(over, F_OK), -1);
	/* One made by hand is not a session. */
	ck_assert_int_eq(testutil_write(over, "mamori-answers 1\n", 17), 0);
	struct sessions s;
	ck_assert_int_eq(sessions_list(&s, dir, &msg), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_int_eq(s.v[0].seq, 999999);
	sessions_free(&s);
	/* The next day starts afresh. */
	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0 + DAY, &p, &msg), 0);
	ck_assert_str_eq(base_of(p), "2026-11-26.txt");
	/* A session file of another user is not listed (root only can set it up). */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(p, 65534, 65534), 0);
		ck_assert_uint_eq(count_sessions(dir), 1);
	}
	free(p);
	free(msg);
	free(last);
	free(over);
	free(dir);
}
END_TEST

/*
 * Issue 13: a new session and a carried one get started = now; carrying
 * keeps owners, due dates, company, department and respondent (not a
 * merge's sources), and every carried answer is 未確認 in the new session
 * until confirmed.
 */
START_TEST(test_carry_keeps_fields_and_starts)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	int g = docfix_group(&d, "p1", GROUP_PRINCIPLE, "原則1");
	docfix_items(&d, "p1", g, 3);
	doc_finish(&d);
	char *dir = testutil_path(tmp, "s"), *msg = NULL, *first = NULL, *second = NULL;
	ck_assert_int_eq(sessions_new(dir, NULL, &d, T0, &first, &msg), 0);
	char *text = testutil_slurp(first, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\nstarted 2026-11-25T00:30:00Z\n"));
	free(text);
	struct answers a;
	ck_assert_int_eq(answers_open(&a, first, &d, 0), 0);
	ck_assert_str_eq(a.started, "2026-11-25T00:30:00Z");
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, "メモ", T0 + 60), 0);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-1")), 0);
	ck_assert_int_eq(answers_set_fields(&a, "p1-1", NULL, "情シス佐藤", "2027-03-31", T0 + 60), 0);
	ck_assert_int_eq(answers_set_fields(&a, "p1-2", NULL, NULL, "2027-01-31", T0 + 60), 0);
	answers_format_set_company(&a, "サンプル");
	ck_assert_int_eq(answers_set_header(&a, "総務部", "佐藤"), 0);
	struct answers_source src = { (char *)"営業部", (char *)"sessions/x.txt" };
	answers_format_set_sources(&a, &src, 1);
	ck_assert_int_eq(answers_save(&a), 0);
	answers_close(&a);

	ck_assert_int_eq(sessions_new(dir, first, &d, T0 + DAY, &second, &msg), 0);
	ck_assert_int_eq(answers_open(&a, second, &d, 0), 0);
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_str_eq(a.started, "2026-11-26T00:30:00Z");
	ck_assert_str_eq(a.company, "サンプル");
	ck_assert_str_eq(a.department, "総務部");
	ck_assert_str_eq(a.respondent, "佐藤");
	ck_assert_uint_eq(a.nsources, 0);
	const struct answer *e = answers_find(&a, "p1-1");
	ck_assert_int_eq(e->state, ANSWER_DONE);
	ck_assert_str_eq(e->note, "メモ");
	ck_assert_str_eq(e->owner, "情シス佐藤");
	ck_assert_str_eq(e->due, "2027-03-31");
	ck_assert_str_eq(answers_find(&a, "p1-2")->due, "2027-01-31");
	ck_assert_int_eq(answers_unconfirmed(&a, e), 1);
	ck_assert_uint_eq(answers_count_unconfirmed(&a, (size_t)g), 1); /* p1-2 has no answer */
	ck_assert_int_eq(answers_confirm(&a, "p1-1", T0 + DAY + 60), 0);
	ck_assert_uint_eq(answers_count_unconfirmed(&a, (size_t)g), 0);
	answers_close(&a);
	/* The first session is as it was. */
	ck_assert_int_eq(answers_open(&a, first, &d, ANSWERS_READONLY), 0);
	ck_assert_str_eq(a.started, "2026-11-25T00:30:00Z");
	ck_assert_uint_eq(a.nsources, 1);
	answers_close(&a);
	free(msg);
	free(first);
	free(second);
	free(dir);
	doc_free(&d);
}
END_TEST

/*
 * A carry in the same second as the last answer (times are whole seconds)
 * still leaves that answer 未確認: started is put just after it.
 */
START_TEST(test_carry_same_second_is_unconfirmed)
{
	struct doc d;
	memset(&d, 0, sizeof d);
	int g = docfix_group(&d, "p1", GROUP_PRINCIPLE, "原則1");
	docfix_items(&d, "p1", g, 2);
	doc_finish(&d);
	char *dir = testutil_path(tmp, "s"), *msg = NULL, *first = NULL, *second = NULL;
	ck_assert_int_eq(sessions_new(dir, NULL, &d, T0, &first, &msg), 0);
	struct answers a;
	ck_assert_int_eq(answers_open(&a, first, &d, 0), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0 + DAY), 0);
	answers_close(&a);
	ck_assert_int_eq(sessions_new(dir, first, &d, T0 + DAY, &second, &msg), 0);
	ck_assert_int_eq(answers_open(&a, second, &d, 0), 0);
	ck_assert_str_eq(a.started, "2026-11-26T00:30:01Z");
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-1")), 1);
	/* An answer given after the carry is confirmed. */
	ck_assert_int_eq(answers_set(&a, "p1-2", ANSWER_DONE, NULL, T0 + DAY + 2), 0);
	ck_assert_int_eq(answers_unconfirmed(&a, answers_find(&a, "p1-2")), 0);
	answers_close(&a);
	free(msg);
	free(first);
	free(second);
	free(dir);
	doc_free(&d);
}
END_TEST

/*
 * sessions_delete_at: an empty session goes, with its lock file and stale
 * temp files; one with answers only when allowed; one open in a mamori
 * never; a name that is not a session's is refused; a delete cut short
 * after the file went leaves a lock file that the next call removes.
 */
START_TEST(test_delete)
{
	char *dir = testutil_path(tmp, "s"), *msg = NULL, *p1 = NULL, *p2 = NULL;
	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0, &p1, &msg), 0);
	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0, &p2, &msg), 0);
	ck_assert_str_eq(base_of(p2), "2026-11-25-2.txt");
	int fd = sessions_open_dir(dir, 0, &msg);
	ck_assert_int_ge(fd, 0);
	struct answers a;
	ck_assert_int_eq(answers_open(&a, p1, NULL, 0), 0);
	ck_assert_int_eq(answers_set(&a, "p1-1", ANSWER_DONE, NULL, T0), 0);
	/* Open in a mamori (this one): refused, nothing removed. */
	ck_assert_int_eq(sessions_delete_at(fd, "2026-11-25", 1, &msg), -EBUSY);
	ck_assert_ptr_nonnull(strstr(msg, "in use by another mamori"));
	ck_assert_int_eq(access(p1, F_OK), 0);
	answers_close(&a);
	/* With answers: refused unless allowed. */
	ck_assert_int_eq(sessions_delete_at(fd, "2026-11-25.txt", 0, &msg), -ENOTEMPTY);
	ck_assert_ptr_nonnull(strstr(msg, "has answers"));
	ck_assert_int_eq(access(p1, F_OK), 0);
	/* Not a session name. */
	ck_assert_int_eq(sessions_delete_at(fd, "../etc", 1, &msg), -EINVAL);
	ck_assert_int_eq(sessions_delete_at(fd, "notes.txt", 1, &msg), -EINVAL);
	/* The empty one goes, with a stale temp file and its lock file. */
	char *stale = testutil_path(dir, ".2026-11-25-2.txt.tmp.abcdef");
	ck_assert_int_eq(testutil_write(stale, "x", 1), 0);
	ck_assert_int_eq(sessions_delete_at(fd, "2026-11-25-2", 0, &msg), 0);
	ck_assert_int_eq(access(p2, F_OK), -1);
	ck_assert_int_eq(access(stale, F_OK), -1);
	char *lock2 = testutil_path(dir, ".2026-11-25-2.txt.lock");
	ck_assert_int_eq(access(lock2, F_OK), -1);
	/* Gone already: -ENOENT, and a lock file left by a cut-short delete goes too. */
	ck_assert_int_eq(testutil_write(lock2, "", 0), 0);
	ck_assert_int_eq(sessions_delete_at(fd, "2026-11-25-2", 0, &msg), -ENOENT);
	ck_assert_int_eq(access(lock2, F_OK), -1);
	/* Allowed: the session with answers goes. */
	ck_assert_int_eq(sessions_delete_at(fd, "2026-11-25", 1, &msg), 0);
	ck_assert_int_eq(access(p1, F_OK), -1);
	struct sessions s;
	ck_assert_int_eq(sessions_list_at(&s, fd, dir, &msg), 0);
	ck_assert_uint_eq(s.n, 0);
	sessions_free(&s);
	/* Only comments: a person wrote them, so not empty. */
	char *p3 = NULL;
	ck_assert_int_eq(sessions_new(dir, NULL, NULL, T0, &p3, &msg), 0);
	FILE *f = fopen(p3, "a");
	ck_assert_ptr_nonnull(f);
	fputs("# 来週やる\n", f);
	fclose(f);
	ck_assert_int_eq(sessions_delete_at(fd, base_of(p3), 0, &msg), -ENOTEMPTY);
	/* A symlink in its place is not followed. */
	ck_assert_int_eq(unlink(p3), 0);
	ck_assert_int_eq(symlink("/etc/passwd", p3), 0);
	ck_assert_int_lt(sessions_delete_at(fd, base_of(p3), 1, &msg), 0);
	ck_assert_int_eq(access("/etc/passwd", F_OK), 0);
	close(fd);
	free(stale);
	free(lock2);
	free(msg);
	free(p1);
	free(p2);
	free(p3);
	free(dir);
}
END_TEST

Suite *sessions_suite(void)
{
	Suite *s = suite_create("sessions");
	TCase *tc = tcase_create("sessions");
	tcase_add_unchecked_fixture(tc, testutil_root_setup, testutil_root_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_parse_name);
	tcase_add_test(tc, test_default_dir);
	tcase_add_test(tc, test_prepare_umask_000);
	tcase_add_test(tc, test_prepare_umask_077);
	tcase_add_test(tc, test_prepare_refuses);
	tcase_add_test(tc, test_new_names_and_order);
	tcase_add_test(tc, test_new_carries_answers);
	tcase_add_test(tc, test_choose);
	tcase_add_test(tc, test_planted_parents_refused);
	tcase_add_test(tc, test_swap_after_start);
	tcase_add_test(tc, test_concurrent_starts);
	tcase_add_test(tc, test_session_number_limit);
	tcase_add_test(tc, test_carry_keeps_fields_and_starts);
	tcase_add_test(tc, test_carry_same_second_is_unconfirmed);
	tcase_add_test(tc, test_delete);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
