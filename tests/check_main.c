/*
 * check_main: the Check runners.  Every core suite is added here, in one
 * of two runners (see main), each printing one summary line ("N%: Checks:
 * N, Failures: 0, Errors: 0"); build.sh adds the two up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <locale.h>

#include "suites.h"

const char *test_content_dir(void)
{
	const char *d = getenv("MAMORI_CONTENT");
	return d ? d : "content";
}

const char *test_data_dir(void)
{
	static char buf[4096];
	const char *d = getenv("TESTS_SRCDIR");
	snprintf(buf, sizeof buf, "%s/data", d ? d : "tests");
	return buf;
}

int main(void)
{
	/* Widths are measured with wcwidth, which needs a UTF-8 LC_CTYPE. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");

	/*
	 * Two runners from this file: check_mamori_slow holds the two suites
	 * that walk the whole content at every width and at 100x, and
	 * check_mamori the rest, so `make -j2 check` runs them side by side
	 * (under ASan the slow two take longer than all the others together).
	 */
	Suite *(*const suites[])(void) = {
#ifdef CHECK_MAMORI_SLOW
		layout_suite,
		lazy_suite,
#else
		text_suite,     search_suite,    doc_suite,    answers_suite, answers_format_suite,
		sessions_suite, progress_suite,  rows_suite,   charset_suite, reader_suite,
		keyin_suite,    policy_suite,    report_suite, resume_suite,  merge_suite,
		changes_suite,  doc_cache_suite,
#endif
	};
	SRunner *sr = srunner_create(NULL);
	for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
