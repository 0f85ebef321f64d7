// SPDX-License-Identifier: GPL-2.0-only
/*
 * Options of `svmtop stat`: what each command line turns into, and the
 * command lines that must be refused.
 */
#include "testutil.h"

#include "stat.h"

/* argv from a string; getopt permutes argv, so build it fresh each time */
static int parse(const char *line, struct stat_opts *o)
{
	char buf[256], *argv[32], *save = NULL, *tok;
	int argc = 0, r;
	FILE *saved = stderr;

	snprintf(buf, sizeof(buf), "stat %s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	stderr = fopen("/dev/null", "w");	/* usage errors are expected */
	r = stat_parse_args(argc, argv, o);
	fclose(stderr);
	stderr = saved;
	return r;
}

static void t_defaults(void **state)
{
	struct stat_opts o;

	assert_int_equal(parse("", &o), 0);
	assert_string_equal(o.debugfs, STAT_DEFAULT_DEBUGFS);
	assert_false(o.debugfs_given);
	assert_true(o.interval == 0);
	assert_int_equal(o.count, 0);
	assert_int_equal(o.format, STAT_FMT_TABLE);
	assert_false(o.reset);
}

static void t_options(void **state)
{
	struct stat_opts o;

	assert_int_equal(parse("-i 2.5 -n 7 --json --debugfs /x", &o), 0);
	assert_true(o.interval == 2.5);
	assert_int_equal(o.count, 7);
	assert_int_equal(o.format, STAT_FMT_JSON);
	assert_string_equal(o.debugfs, "/x");
	assert_true(o.debugfs_given);
	assert_int_equal(parse("--interval 1 --count 3 --prom", &o), 0);
	assert_true(o.interval == 1);
	assert_int_equal(o.count, 3);
	assert_int_equal(o.format, STAT_FMT_PROM);
	assert_int_equal(parse("--csv --reset", &o), 0);
	assert_int_equal(o.format, STAT_FMT_CSV);
	assert_true(o.reset);
	/* BCC-style positional interval and count */
	assert_int_equal(parse("0.5 4", &o), 0);
	assert_true(o.interval == 0.5);
	assert_int_equal(o.count, 4);
	assert_int_equal(parse("3", &o), 0);
	assert_true(o.interval == 3);
	assert_int_equal(o.count, 0);
}

static void t_refused(void **state)
{
	static const char *const bad[] = {
		"--json --csv", "--prom --json", "-i 0", "-i -1", "-i 86401",
		"-i 1x", "-i nan", "-n 0", "-n -2", "-n 2", "-i 1 -n 1.5",
		"--bogus", "-z", "1 2 3", "--debugfs",
	};
	struct stat_opts o;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &o) != -1)
			fail_msg("'%s' was accepted", bad[i]);
	}
}

static void t_help(void **state)
{
	struct stat_opts o;
	FILE *saved = stdout;
	int r1, r2;

	stdout = fopen("/dev/null", "w");	/* the usage text */
	r1 = parse("--help", &o);
	r2 = parse("-i 1 -h", &o);
	fclose(stdout);
	stdout = saved;
	assert_int_equal(r1, 1);
	assert_int_equal(r2, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_defaults),
		cmocka_unit_test(t_options),
		cmocka_unit_test(t_refused),
		cmocka_unit_test(t_help),
	};

	return cmocka_run_group_tests_name("statargs", tests, NULL, NULL);
}
