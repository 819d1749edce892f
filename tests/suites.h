/*
 * suites: one constructor per core module's Check suite.  check_main.c runs
 * them all in one SRunner so `make check` prints exactly one summary line.
 */
#ifndef MAMORI_TESTS_SUITES_H
#define MAMORI_TESTS_SUITES_H

#include <check.h>

Suite *text_suite(void);
Suite *layout_suite(void);
Suite *search_suite(void);
Suite *doc_suite(void);
Suite *lazy_suite(void);
Suite *doc_cache_suite(void);
Suite *answers_suite(void);
Suite *answers_format_suite(void);
Suite *sessions_suite(void);
Suite *resume_suite(void);
Suite *progress_suite(void);
Suite *rows_suite(void);
Suite *charset_suite(void);
Suite *reader_suite(void);
Suite *keyin_suite(void);
Suite *report_suite(void);
Suite *policy_suite(void);
Suite *merge_suite(void);
Suite *changes_suite(void);

/* Where the source tree's content/ and tests/data/ are (from the environment). */
const char *test_content_dir(void);
const char *test_data_dir(void);

#endif
