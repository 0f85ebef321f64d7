/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the cmocka unit tests.  Tests run from the top of the
 * tree (make does), so fixtures are "tests/fixtures/...".
 *
 * Golden files: expect_golden() compares output with
 * tests/fixtures/expected/<name> byte for byte.  With SVMTOP_UPDATE_GOLDEN=1
 * in the environment it rewrites the file instead (then review the diff by
 * hand: a golden file is only as good as the eyes that checked it).
 */
#ifndef SVMTOP_TESTUTIL_H
#define SVMTOP_TESTUTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define FIXTURES "tests/fixtures"
#define EXPECTED FIXTURES "/expected"

/* Output captured in memory. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static inline FILE *capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

/* Closes the stream; c->buf is NUL-terminated, free() it. */
static inline char *capture_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

static inline void expect_golden(const char *name, const char *got)
{
	char path[512];
	char *want;

	snprintf(path, sizeof(path), "%s/%s", EXPECTED, name);
	if (getenv("SVMTOP_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	want = slurp(path, NULL);
	if (!want)
		fail_msg("missing golden file %s (SVMTOP_UPDATE_GOLDEN=1 writes it)",
			 path);
	if (strcmp(want, got))
		print_error("output differs from %s; got:\n%s\n", path, got);
	assert_string_equal(got, want);
	free(want);
}

#endif
