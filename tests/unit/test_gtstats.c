// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parser of the xe GT stats file: exact values, every kind of malformed
 * line reported once with its line number, truncated and empty input.
 */
#include "testutil.h"

#include "gtstats.h"

struct errlog {
	unsigned int n;
	unsigned int line[64];
	char msg[64][80];
};

static void log_err(void *ctx, unsigned int line, const char *msg)
{
	struct errlog *e = ctx;

	if (e->n < 64) {
		e->line[e->n] = line;
		snprintf(e->msg[e->n], sizeof(e->msg[0]), "%s", msg);
	}
	e->n++;
}

static void parse_str(const char *s, struct gt_stats *st, struct errlog *e)
{
	memset(e, 0, sizeof(*e));
	assert_int_equal(gtstats_parse(s, strlen(s), st, log_err, e), 0);
}

static void t_basic(void **state)
{
	struct gt_stats st = { 0 };
	struct errlog e;
	uint64_t v;

	parse_str("svm_pagefault_count: 1501\ntlb_inval_count: 2602\n"
		  "vma_pagefault_count: 3703\nvma_pagefault_kb: 48040\n", &st, &e);
	assert_int_equal(e.n, 0);
	assert_int_equal(st.n, 4);
	assert_int_equal(st.n_bad, 0);
	assert_string_equal(st.v[0].name, "svm_pagefault_count");
	assert_int_equal(st.v[0].value, 1501);
	assert_string_equal(st.v[3].name, "vma_pagefault_kb");
	assert_int_equal(st.v[3].value, 48040);
	assert_true(gtstats_get(&st, "tlb_inval_count", &v));
	assert_int_equal(v, 2602);
	assert_false(gtstats_get(&st, "svm_tlb_inval_count", &v));
	gtstats_free(&st);
}

static void t_u64_limits(void **state)
{
	struct gt_stats st = { 0 };
	struct errlog e;

	parse_str("a: 18446744073709551615\nb: 18446744073709551616\n"
		  "c: 0\nd: 00042\n", &st, &e);
	assert_int_equal(st.n, 3);
	assert_true(st.v[0].value == UINT64_MAX);
	assert_string_equal(st.v[1].name, "c");
	assert_int_equal(st.v[1].value, 0);
	assert_int_equal(st.v[2].value, 42);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.line[0], 2);
	assert_string_equal(e.msg[0], "value does not fit in 64 bits");

	/* %lld of an atomic64_t past 2^63: the bits, as u64 */
	parse_str("a: -1\nb: -9223372036854775808\nc: -9223372036854775809\n"
		  "d: -\ne: -0\nf: --1\n", &st, &e);
	assert_int_equal(st.n, 3);
	assert_true(st.v[0].value == UINT64_MAX);
	assert_true(st.v[1].value == (uint64_t)1 << 63);
	assert_string_equal(st.v[2].name, "e");
	assert_int_equal(st.v[2].value, 0);
	assert_int_equal(e.n, 3);
	assert_string_equal(e.msg[0], "value does not fit in 64 bits");
	assert_int_equal(e.line[1], 4);
	assert_string_equal(e.msg[1], "value is not a decimal number");
	assert_int_equal(e.line[2], 6);
	gtstats_free(&st);
}

/* Unknown names are kept, in file order, with their values. */
static void t_unknown_kept(void **state)
{
	struct gt_stats st = { 0 };
	struct errlog e;

	parse_str("svm_pagefault_count: 1\nsvm_future_widget_count: 4242\n"
		  "Mixed_Case_9: 7\n", &st, &e);
	assert_int_equal(e.n, 0);
	assert_int_equal(st.n, 3);
	assert_string_equal(st.v[1].name, "svm_future_widget_count");
	assert_int_equal(st.v[1].value, 4242);
	assert_string_equal(st.v[2].name, "Mixed_Case_9");
	gtstats_free(&st);
}

/* The malformed fixture: each bad line reported once, with its number. */
static void t_malformed_fixture(void **state)
{
	static const struct { unsigned int line; const char *msg; } want[] = {
		{ 2, "expected ':' after the stat name" },
		{ 3, "value is not a decimal number" },
		{ 5, "value does not fit in 64 bits" },
		{ 7, "duplicate stat name, first value kept" },
		{ 8, "unexpected text after the value" },
		{ 9, "expected ':' after the stat name" },
		{ 10, "expected 'name: value'" },
		{ 13, "stat name too long" },
		{ 14, "last line has no newline (file truncated?)" },
	};
	struct gt_stats st = { 0 };
	struct errlog e = { 0 };
	size_t i;

	assert_int_equal(gtstats_read_file(FIXTURES "/malformed/dri/0/gt0/stats",
					   &st, log_err, &e), 0);
	assert_int_equal(e.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < e.n; i++) {
		assert_int_equal(e.line[i], want[i].line);
		assert_string_equal(e.msg[i], want[i].msg);
	}
	assert_int_equal(st.n_bad, 9);
	assert_int_equal(st.n, 4);
	assert_string_equal(st.v[0].name, "svm_pagefault_count");
	assert_int_equal(st.v[0].value, 501);	/* not the duplicate 999 */
	assert_string_equal(st.v[1].name, "vma_pagefault_kb");
	assert_true(st.v[1].value == UINT64_MAX - 4);	/* "-5" from %lld */
	assert_string_equal(st.v[2].name, "svm_2M_pagefault_count");
	assert_int_equal(st.v[2].value, 502);	/* blanks around the value */
	assert_string_equal(st.v[3].name, "svm_tlb_inval_count");
	assert_true(st.v[3].value == UINT64_MAX);
	gtstats_free(&st);
}

static void t_empty_and_truncated(void **state)
{
	struct gt_stats st = { 0 };
	struct errlog e = { 0 };

	assert_int_equal(gtstats_read_file(FIXTURES "/malformed/dri/0/gt1/stats",
					   &st, log_err, &e), 0);
	assert_int_equal(st.n, 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(gtstats_read_file(FIXTURES "/malformed/dri/0/gt2/stats",
					   &st, log_err, &e), 0);
	assert_int_equal(st.n, 2);
	assert_int_equal(st.v[1].value, 602);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.line[0], 3);
	assert_string_equal(e.msg[0], "last line has no newline (file truncated?)");
	/* zero-length buffer, NULL error callback */
	assert_int_equal(gtstats_parse("", 0, &st, NULL, NULL), 0);
	assert_int_equal(st.n, 0);
	/* a value cut mid-number is not taken */
	assert_int_equal(gtstats_parse("a: 1\nb: 12", 10, &st, NULL, NULL), 0);
	assert_int_equal(st.n, 1);
	assert_int_equal(st.n_bad, 1);
	gtstats_free(&st);
}

/* The parser must not read past len: the buffer is not NUL-terminated. */
static void t_no_overread(void **state)
{
	struct gt_stats st = { 0 };
	char *buf = malloc(8);

	memcpy(buf, "ab: 12\nc", 8);
	assert_int_equal(gtstats_parse(buf, 8, &st, NULL, NULL), 0);
	assert_int_equal(st.n, 1);
	assert_int_equal(st.v[0].value, 12);
	assert_int_equal(st.n_bad, 1);
	free(buf);
	gtstats_free(&st);
}

static void t_whitespace_and_blank(void **state)
{
	struct gt_stats st = { 0 };
	struct errlog e;

	parse_str("\n  \na:\t5\r\nb:7\n\n", &st, &e);
	assert_int_equal(e.n, 0);
	assert_int_equal(st.n, 2);
	assert_int_equal(st.v[0].value, 5);
	assert_int_equal(st.v[1].value, 7);
	gtstats_free(&st);
}

static void t_nul_bytes(void **state)
{
	struct gt_stats st = { 0 };
	struct errlog e = { 0 };
	static const char buf[] = "a: 1\nb\0: 2\nc: 3\0\nd: 4\n";

	assert_int_equal(gtstats_parse(buf, sizeof(buf) - 1, &st, log_err, &e), 0);
	assert_int_equal(st.n, 2);
	assert_string_equal(st.v[1].name, "d");
	assert_int_equal(e.n, 2);
	assert_int_equal(e.line[0], 2);
	assert_int_equal(e.line[1], 3);
	gtstats_free(&st);
}

/* More than GTSTATS_MAX_LINES lines: the rest is ignored, reported once. */
static void t_line_cap(void **state)
{
	struct gt_stats st = { 0 };
	struct errlog e = { 0 };
	size_t cap = (GTSTATS_MAX_LINES + 100) * 16, len = 0, i;
	char *buf = malloc(cap);

	for (i = 0; i < GTSTATS_MAX_LINES + 100; i++)
		len += snprintf(buf + len, cap - len, "s%zu: %zu\n", i, i);
	assert_int_equal(gtstats_parse(buf, len, &st, log_err, &e), 0);
	assert_int_equal(st.n, GTSTATS_MAX_LINES);
	assert_int_equal(st.v[GTSTATS_MAX_LINES - 1].value,
			 GTSTATS_MAX_LINES - 1);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.line[0], GTSTATS_MAX_LINES + 1);
	assert_string_equal(e.msg[0], "too many lines, rest of file ignored");
	free(buf);
	gtstats_free(&st);
}

/* Re-parsing into the same struct replaces its content. */
static void t_reparse(void **state)
{
	struct gt_stats st = { 0 };
	struct errlog e;

	parse_str("a: 1\nb: 2\nc: 3\n", &st, &e);
	parse_str("z: 9\n", &st, &e);
	assert_int_equal(st.n, 1);
	assert_string_equal(st.v[0].name, "z");
	gtstats_free(&st);
}

static void t_name_max(void **state)
{
	struct gt_stats st = { 0 };
	char buf[256];

	memset(buf, 'x', GTSTATS_NAME_MAX);
	snprintf(buf + GTSTATS_NAME_MAX, sizeof(buf) - GTSTATS_NAME_MAX, ": 5\n");
	assert_int_equal(gtstats_parse(buf, strlen(buf), &st, NULL, NULL), 0);
	assert_int_equal(st.n, 1);
	assert_int_equal(strlen(st.v[0].name), GTSTATS_NAME_MAX);
	memset(buf, 'x', GTSTATS_NAME_MAX + 1);
	snprintf(buf + GTSTATS_NAME_MAX + 1, 8, ": 5\n");
	assert_int_equal(gtstats_parse(buf, strlen(buf), &st, NULL, NULL), 0);
	assert_int_equal(st.n, 0);
	assert_int_equal(st.n_bad, 1);
	gtstats_free(&st);
}

static void t_read_missing(void **state)
{
	struct gt_stats st = { 0 };

	assert_int_equal(gtstats_read_file(FIXTURES "/nonexistent/stats", &st,
					   NULL, NULL), -ENOENT);
	gtstats_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_basic),
		cmocka_unit_test(t_u64_limits),
		cmocka_unit_test(t_unknown_kept),
		cmocka_unit_test(t_malformed_fixture),
		cmocka_unit_test(t_empty_and_truncated),
		cmocka_unit_test(t_no_overread),
		cmocka_unit_test(t_whitespace_and_blank),
		cmocka_unit_test(t_nul_bytes),
		cmocka_unit_test(t_line_cap),
		cmocka_unit_test(t_reparse),
		cmocka_unit_test(t_name_max),
		cmocka_unit_test(t_read_missing),
	};

	return cmocka_run_group_tests_name("gtstats", tests, NULL, NULL);
}
