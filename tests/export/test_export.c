// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmocka unit tests of `svmtop export`'s pure parts: the HTTP request
 * parser, Accept negotiation, the 0.0.4 -> OpenMetrics conversion, the
 * exposition store's reference counting and the GT collector on a fixture.
 * The sockets, Prometheus and the textfile mode are tested for real by
 * the Python suites next to this file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "export.h"

static int parse(const char *s, struct http_req *r)
{
	return http_parse_request(s, strlen(s), r);
}

static void t_parse_ok(void **state)
{
	const char *s = "GET /metrics?format=openmetrics&x=1 HTTP/1.1\r\n"
			"Host: a\r\nAccept: text/plain\r\n"
			"Connection: keep-alive\r\n\r\nGET / HTTP/1.1";
	struct http_req r;

	assert_int_equal(parse(s, &r), (int)(strstr(s, "\r\n\r\n") + 4 - s));
	assert_int_equal(r.method, HTTP_GET);
	assert_string_equal(r.path, "/metrics");
	assert_string_equal(r.format, "openmetrics");
	assert_false(r.http10);
	assert_false(r.conn_close);
	assert_false(r.openmetrics);
	assert_false(r.has_body);

	/* bare \n line ends, HEAD, HTTP/1.0 closes */
	assert_int_equal(parse("HEAD / HTTP/1.0\n\n", &r), 17);
	assert_int_equal(r.method, HTTP_HEAD);
	assert_true(r.http10);
	assert_true(r.conn_close);
	assert_int_equal(parse("POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", &r),
			 45);
	assert_int_equal(r.method, HTTP_OTHER);
	assert_true(r.has_body);
	assert_int_equal(parse("GET / HTTP/1.1\r\nConnection: Keep-Alive, CLOSE\r\n\r\n",
			       &r), 49);
	assert_true(r.conn_close);
	/* leading blank lines are tolerated (RFC 9112 2.2) */
	assert_int_equal(parse("\r\nGET / HTTP/1.1\r\n\r\n", &r), 20);
}

static void t_parse_incomplete(void **state)
{
	struct http_req r;

	assert_int_equal(parse("", &r), 0);
	assert_int_equal(parse("GET /metrics HT", &r), 0);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: a\r\n", &r), 0);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: a\r\n\r", &r), 0);
}

static void t_parse_bad(void **state)
{
	static const struct { const char *s; int want; } v[] = {
		{ "GARBAGE\r\n\r\n", -400 },
		{ "GET\r\n\r\n", -400 },
		{ "GET /metrics\r\n\r\n", -400 },
		{ "GET  /metrics HTTP/1.1\r\n\r\n", -400 },
		{ "GET metrics HTTP/1.1\r\n\r\n", -400 },
		{ "GET /a\x01 HTTP/1.1\r\n\r\n", -400 },
		{ "G(T / HTTP/1.1\r\n\r\n", -400 },
		{ "GET / HTTP/2.0\r\n\r\n", -505 },
		{ "GET / HTTP/1.2\r\n\r\n", -505 },
		{ "GET / HTTP/1.1x\r\n\r\n", -505 },
		{ "GET / FTP/1.1\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nNoColon\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\n: empty name\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nA: b\x7f\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", -400 },
		{ "GET / HTTP/1.1\r\nContent-Length:\r\n\r\n", -400 },
	};
	struct http_req r;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int got = parse(v[i].s, &r);

		if (got != v[i].want)
			fail_msg("case %zu (%s): got %d, want %d", i, v[i].s,
				 got, v[i].want);
	}
	/* malformed request line is answered before the head is complete */
	assert_int_equal(parse("BAD\r\n", &r), -400);
}

static void t_parse_oversized(void **state)
{
	char *buf = malloc(HTTP_MAX_HEADER + 64);
	struct http_req r;
	size_t n;

	/* a head of exactly HTTP_MAX_HEADER bytes is fine, one more is not */
	n = snprintf(buf, HTTP_MAX_HEADER + 64, "GET / HTTP/1.1\r\nX: ");
	memset(buf + n, 'a', HTTP_MAX_HEADER - n - 4);
	memcpy(buf + HTTP_MAX_HEADER - 4, "\r\n\r\n", 4);
	assert_int_equal(http_parse_request(buf, HTTP_MAX_HEADER, &r),
			 HTTP_MAX_HEADER);
	memset(buf + n, 'a', HTTP_MAX_HEADER - n - 3);
	memcpy(buf + HTTP_MAX_HEADER - 3, "\r\n\r\n", 4);
	assert_int_equal(http_parse_request(buf, HTTP_MAX_HEADER + 1, &r), -431);
	/* a full buffer without the end of the head */
	memset(buf, 'a', HTTP_MAX_HEADER);
	memcpy(buf, "GET / HTTP/1.1\r\nX: ", 19);
	assert_int_equal(http_parse_request(buf, HTTP_MAX_HEADER, &r), -431);
	memset(buf, 'a', HTTP_MAX_HEADER);
	assert_int_equal(http_parse_request(buf, HTTP_MAX_HEADER, &r), -431);
	free(buf);
}

static void t_accept(void **state)
{
	/* Prometheus 2.x's scrape Accept header */
	assert_true(http_accept_openmetrics(
		"application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
	assert_true(http_accept_openmetrics("application/openmetrics-text"));
	assert_true(http_accept_openmetrics("Application/OpenMetrics-Text; version=1.0.0"));
	assert_true(http_accept_openmetrics("text/plain;q=0.3, application/openmetrics-text;q=0.4"));
	assert_false(http_accept_openmetrics(""));
	assert_false(http_accept_openmetrics("*/*"));
	assert_false(http_accept_openmetrics("text/plain"));
	assert_false(http_accept_openmetrics("application/openmetrics-text;q=0"));
	assert_false(http_accept_openmetrics("application/openmetrics-text;q=0.2,text/plain"));
	assert_false(http_accept_openmetrics("application/openmetrics-textual"));
}

static char *to_om(const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(expo_to_openmetrics(in, strlen(in), f), 0);
	fclose(f);
	return buf;
}

static void t_openmetrics(void **state)
{
	char *om = to_om(
		"# HELP a_total Things.\n# TYPE a_total counter\n"
		"a_total{x=\"1\"} 3\na_total{x=\"2\"} 4\n"
		"# HELP g Gauge.\n# TYPE g gauge\ng 1\n"
		"\n"
		"# HELP u Raw.\n# TYPE u untyped\nu{name=\"q\"} 7\n"
		"# HELP c Counter without _total.\n# TYPE c counter\nc 5\n"
		"# HELP h_seconds Lat.\n# TYPE h_seconds histogram\n"
		"h_seconds_bucket{le=\"+Inf\"} 0\nh_seconds_sum 0\nh_seconds_count 0\n");

	assert_string_equal(om,
		"# HELP a Things.\n# TYPE a counter\n"
		"a_total{x=\"1\"} 3\na_total{x=\"2\"} 4\n"
		"# HELP g Gauge.\n# TYPE g gauge\ng 1\n"
		"# HELP u Raw.\n# TYPE u unknown\nu{name=\"q\"} 7\n"
		"# HELP c Counter without _total.\n# TYPE c unknown\nc 5\n"
		"# HELP h_seconds Lat.\n# TYPE h_seconds histogram\n"
		"h_seconds_bucket{le=\"+Inf\"} 0\nh_seconds_sum 0\nh_seconds_count 0\n");
	free(om);
	/* TYPE without HELP; a sample of another (untyped) family after it */
	om = to_om("# TYPE b_total counter\nb_total 2\nb_totalx 1\n");
	assert_string_equal(om, "# TYPE b counter\nb_total 2\nb_totalx 1\n");
	free(om);
	/* no trailing newline, HELP without TYPE */
	om = to_om("# HELP z z.\nz 1");
	assert_string_equal(om, "# HELP z z.\nz 1\n");
	free(om);
}

static void t_store(void **state)
{
	struct expo_store st = { PTHREAD_MUTEX_INITIALIZER, NULL };
	struct expo *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct expo *got;

	assert_null(expo_get(&st));
	a->text = strdup("a");
	b->text = strdup("b");
	expo_publish(&st, a);
	got = expo_get(&st);		/* a reader holds a */
	assert_ptr_equal(got, a);
	assert_int_equal(a->refs, 2);
	expo_publish(&st, b);		/* a stays alive for its reader */
	assert_int_equal(a->refs, 1);
	assert_string_equal(got->text, "a");
	expo_put(&st, got);		/* freed now (ASan/LSan would tell) */
	got = expo_get(&st);
	assert_ptr_equal(got, b);
	expo_put(&st, got);
	expo_put(&st, st.cur);
}

/* The GT collector on a fixture, and the families export puts first. */
static void t_collect_fixture(void **state)
{
	struct export_opts o = { .debugfs = "tests/fixtures/newest",
				 .debugfs_given = true };
	struct collector c[2] = { { .ops = &export_gt_collector },
				  { .ops = &export_gt_collector } };
	struct expo *e;

	assert_int_equal(c[0].ops->open(&c[0], &o), 0);
	c[0].opened = true;
	o.debugfs = "tests/fixtures/no-such-tree";
	assert_int_not_equal(c[1].ops->open(&c[1], &o), 0);
	assert_non_null(strstr(c[1].why, "no debugfs tree there"));
	e = export_collect(c, 2);
	assert_non_null(e);
	assert_true(c[0].up);
	assert_false(c[1].up);
	assert_non_null(strstr(e->text,
		"svmtop_collector_up{collector=\"gt\"} 1\nsvmtop_collector_up{collector=\"gt\"} 0\n"));
	assert_non_null(strstr(e->text,
		"svmtop_gt_svm_pagefaults_handled_total{device=\"0000:03:00.0\",driver=\"xe\",tile=\"0\",gt=\"0\"} 7001\n"));
	assert_non_null(strstr(e->om,
		"# TYPE svmtop_gt_svm_pagefaults_handled counter\n"));
	assert_null(strstr(e->text, "svmtop_probe_attached"));
	assert_int_equal(strncmp(e->text, "# HELP svmtop_build_info ", 25), 0);
	expo_free(e);
	c[0].ops->close(&c[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_parse_ok),
		cmocka_unit_test(t_parse_incomplete),
		cmocka_unit_test(t_parse_bad),
		cmocka_unit_test(t_parse_oversized),
		cmocka_unit_test(t_accept),
		cmocka_unit_test(t_openmetrics),
		cmocka_unit_test(t_store),
		cmocka_unit_test(t_collect_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
