// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reusable JSON, Prometheus and CSV helpers: exact bytes, escaping.
 */
#include <math.h>

#include "testutil.h"

#include "csv.h"
#include "json.h"
#include "prom.h"

static void t_json(void **state)
{
	struct capture c;
	struct json_writer w;
	char *out;

	json_init(&w, capture_open(&c));
	json_obj_begin(&w, NULL);
	json_u64(&w, "a", UINT64_MAX);
	json_i64(&w, "b", -3);
	json_str(&w, "s", "q\"b\\n\nt\tc\x01\x7f\xc2\xb5");
	json_arr_begin(&w, "arr");
	json_str(&w, NULL, "x");
	json_obj_begin(&w, NULL);
	json_obj_end(&w);
	json_arr_begin(&w, NULL);
	json_arr_end(&w);
	json_null(&w, NULL);
	json_arr_end(&w);
	json_bool(&w, "t", true);
	json_double(&w, "d", 1.23456, 3);
	json_double(&w, "nan", NAN, 3);
	json_double(&w, "inf", INFINITY, 3);
	json_obj_end(&w);
	json_line_end(&w);
	json_obj_begin(&w, NULL);	/* a second record starts clean */
	json_u64(&w, "n", 2);
	json_obj_end(&w);
	json_line_end(&w);
	out = capture_close(&c);
	assert_string_equal(out,
		"{\"a\":18446744073709551615,\"b\":-3,"
		"\"s\":\"q\\\"b\\\\n\\nt\\tc\\u0001\\u007f\xc2\xb5\","
		"\"arr\":[\"x\",{},[],null],\"t\":true,\"d\":1.235,"
		"\"nan\":null,\"inf\":null}\n{\"n\":2}\n");
	free(out);
}

static void t_prom(void **state)
{
	const struct prom_label l[] = {
		{ "device", "0000:03:00.0" }, { "tile", NULL },
		{ "name", "we\"ird\\x\ny" },
	};
	struct capture c;
	char *out;
	FILE *f = capture_open(&c);

	prom_family(f, "svmtop_x_total", "counter", "Help with \\ and\nnewline.");
	prom_sample_u64(f, "svmtop_x_total", l, 3, 42);
	prom_sample_u64(f, "svmtop_x_total", NULL, 0, 0);
	prom_sample_double(f, "svmtop_y", l, 1, 0.5);
	prom_sample_double(f, "svmtop_y", l, 1, NAN);
	prom_sample_double(f, "svmtop_y", l, 1, -INFINITY);
	prom_sample(f, "svmtop_z", l + 1, 1, "7");	/* only NULL label */
	out = capture_close(&c);
	assert_string_equal(out,
		"# HELP svmtop_x_total Help with \\\\ and\\nnewline.\n"
		"# TYPE svmtop_x_total counter\n"
		"svmtop_x_total{device=\"0000:03:00.0\",name=\"we\\\"ird\\\\x\\ny\"} 42\n"
		"svmtop_x_total 0\n"
		"svmtop_y{device=\"0000:03:00.0\"} 0.5\n"
		"svmtop_y{device=\"0000:03:00.0\"} NaN\n"
		"svmtop_y{device=\"0000:03:00.0\"} -Inf\n"
		"svmtop_z 7\n");
	free(out);
}

/* The revision is checked by shape: objects may predate the last commit. */
static void t_build_info(void **state)
{
	static const char head[] =
		"# HELP svmtop_build_info svmtop build; constant 1, version in the labels.\n"
		"# TYPE svmtop_build_info gauge\n"
		"svmtop_build_info{version=\"" SVMTOP_VERSION "\",revision=\"";
	struct capture c;
	char *out, *rev;

	prom_build_info(capture_open(&c));
	out = capture_close(&c);
	assert_memory_equal(out, head, sizeof(head) - 1);
	rev = out + sizeof(head) - 1;
	assert_int_equal(strspn(rev, "0123456789abcdefunkow"), strlen(rev) - 5);
	assert_string_equal(rev + strlen(rev) - 5, "\"} 1\n");
	free(out);
}

static void t_csv(void **state)
{
	struct capture c;
	char *out;
	FILE *f = capture_open(&c);

	csv_field(f, "plain", true);
	csv_field(f, "a,b", false);
	csv_field(f, "say \"hi\"", false);
	csv_field(f, NULL, false);
	csv_field(f, "two\nlines", false);
	csv_row_end(f);
	csv_field(f, NULL, true);
	csv_field(f, "", false);
	csv_row_end(f);
	out = capture_close(&c);
	assert_string_equal(out,
		"plain,\"a,b\",\"say \"\"hi\"\"\",,\"two\nlines\"\n,\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_json),
		cmocka_unit_test(t_prom),
		cmocka_unit_test(t_build_info),
		cmocka_unit_test(t_csv),
	};

	return cmocka_run_group_tests_name("writers", tests, NULL, NULL);
}
