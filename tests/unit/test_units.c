// SPDX-License-Identifier: GPL-2.0-only
/*
 * Units: readable durations and sizes for the table, exact base units
 * for Prometheus, derived figures (exact values from hand-made inputs).
 */
#include <math.h>

#include "testutil.h"

#include "derived.h"
#include "statmeta.h"
#include "units.h"

static void t_duration(void **state)
{
	static const struct { double us; const char *want; } c[] = {
		{ 0, "0us" }, { 7, "7us" }, { 999, "999us" }, { 2.5, "2.50us" },
		{ 12.34, "12.3us" }, { 999.96, "1.00ms" }, { 1000, "1.00ms" },
		{ 12346, "12.35ms" }, { 999994, "999.99ms" },
		{ 999995, "1.000s" }, { 1234567, "1.235s" },
		{ 59999400, "59.999s" }, { 60e6, "1m00s" },
		{ 725e6, "12m05s" }, { 10927e6, "3h02m07s" },
		{ 187860e6, "2d04h11m" }, { -1, "-" }, { NAN, "-" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		assert_string_equal(units_duration_us(buf, sizeof(buf), c[i].us),
				    c[i].want);
}

static void t_bytes(void **state)
{
	static const struct { double b; const char *want; } c[] = {
		{ 0, "0 B" }, { 1023, "1023 B" }, { 1024, "1.0 KiB" },
		{ 1536, "1.5 KiB" }, { 48040.0 * 1024, "46.9 MiB" },
		{ 409600.0 * 1024, "400.0 MiB" },
		{ 1024.0 * 1024 * 1024 * 3, "3.0 GiB" },
		{ 18446744073709551615.0, "16.0 EiB" }, { -5, "-" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		assert_string_equal(units_bytes(buf, sizeof(buf), c[i].b),
				    c[i].want);
}

static void t_exact(void **state)
{
	char buf[64];

	assert_string_equal(units_exact(buf, sizeof(buf), 0, 1, 6), "0");
	assert_string_equal(units_exact(buf, sizeof(buf), 1500000, 1, 6), "1.5");
	assert_string_equal(units_exact(buf, sizeof(buf), 70040, 1, 6), "0.07004");
	assert_string_equal(units_exact(buf, sizeof(buf), 1, 1, 6), "0.000001");
	assert_string_equal(units_exact(buf, sizeof(buf), 8004000, 1, 6), "8.004");
	assert_string_equal(units_exact(buf, sizeof(buf), 7006, 1024, 0),
			    "7174144");
	/* no overflow and no float rounding at the top of u64 */
	assert_string_equal(units_exact(buf, sizeof(buf), UINT64_MAX, 1024, 0),
			    "18889465931478580853760");
	assert_string_equal(units_exact(buf, sizeof(buf), UINT64_MAX, 1, 6),
			    "18446744073709.551615");
	/* truncation keeps the string terminated */
	assert_string_equal(units_exact(buf, 4, 123456, 1, 0), "12");
}

static void t_unit_of(void **state)
{
	assert_int_equal(stat_unit_of("svm_4K_pagefault_us"), UNIT_US);
	assert_int_equal(stat_unit_of("vma_pagefault_kb"), UNIT_KIB);
	assert_int_equal(stat_unit_of("svm_pagefault_count"), UNIT_COUNT);
	assert_int_equal(stat_unit_of("_us"), UNIT_COUNT);
	assert_int_equal(stat_unit_of("x"), UNIT_COUNT);
}

static void t_prom_lookup(void **state)
{
	const struct stat_prom *p;
	const char *size;

	p = stat_prom_lookup("svm_64K_pagefault_count", &size);
	assert_non_null(p);
	assert_string_equal(p->family, "svmtop_gt_svm_pagefaults_total");
	assert_string_equal(size, "64K");
	p = stat_prom_lookup("svm_pagefault_count", &size);
	assert_string_equal(p->family, "svmtop_gt_svm_pagefaults_handled_total");
	assert_null(size);
	p = stat_prom_lookup("prl_2m_entry_count", &size);
	assert_string_equal(p->family, "svmtop_gt_prl_entries_total");
	assert_string_equal(size, "2M");
	p = stat_prom_lookup("svm_2M_cpu_copy_kb", &size);
	assert_string_equal(p->family, "svmtop_gt_svm_copy_by_size_bytes_total");
	assert_string_equal(p->xvalue, "to_ram");
	assert_null(stat_prom_lookup("svm_8K_pagefault_count", &size));
	assert_null(stat_prom_lookup("svm__pagefault_count", &size));
	assert_null(stat_prom_lookup("svm_future_widget_count", &size));
	assert_null(size);
}

static void parse(const char *s, struct gt_stats *st)
{
	assert_int_equal(gtstats_parse(s, strlen(s), st, NULL, NULL), 0);
}

static const struct derived *get(const struct derived *d, size_t n,
				 const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(d[i].name, name))
			return &d[i];
	return NULL;
}

static void t_derived(void **state)
{
	struct gt_stats cur = { 0 }, prev = { 0 };
	struct derived d[DERIVED_MAX];
	const struct derived *x;
	size_t n;

	parse("svm_4K_pagefault_count: 800\nsvm_4K_valid_pagefault_count: 200\n"
	      "svm_4K_pagefault_us: 96000\nsvm_2M_migrate_count: 0\n"
	      "svm_2M_migrate_us: 0\nsvm_device_copy_kb: 409600\n"
	      "svm_device_copy_us: 50000\nsvm_tlb_inval_count: 400\n"
	      "svm_tlb_inval_us: 10000\n", &cur);
	n = derived_compute(&cur, NULL, d);
	/* valid ratio 4K, latency 4K, migrate avg 2M, copy all, tlb avg */
	assert_int_equal(n, 5);
	x = get(d, n, "svm_4K_valid_pagefault_ratio");
	assert_true(x->defined);
	assert_true(x->value == 0.25);
	assert_string_equal(x->size, "4K");
	x = get(d, n, "svm_4K_pagefault_avg_us");
	assert_true(x->value == 120.0);
	x = get(d, n, "svm_2M_migrate_avg_us");
	assert_false(x->defined);		/* 0 / 0 */
	x = get(d, n, "svm_device_copy_bytes_per_second");
	assert_true(x->value == 409600.0 * 1024 / 0.05);
	x = get(d, n, "svm_tlb_inval_avg_us");
	assert_true(x->value == 25.0);
	/* missing inputs: no figure at all */
	assert_null(get(d, n, "svm_64K_pagefault_avg_us"));
	assert_null(get(d, n, "svm_cpu_copy_bytes_per_second"));

	/* over an interval: deltas; a reset input makes it undefined */
	parse("svm_4K_pagefault_count: 700\nsvm_4K_valid_pagefault_count: 250\n"
	      "svm_4K_pagefault_us: 86000\nsvm_tlb_inval_count: 390\n"
	      "svm_tlb_inval_us: 9000\n", &prev);
	n = derived_compute(&cur, &prev, d);
	x = get(d, n, "svm_4K_pagefault_avg_us");
	assert_true(x->defined);
	assert_true(x->value == 100.0);		/* 10000 us / 100 faults */
	x = get(d, n, "svm_4K_valid_pagefault_ratio");
	assert_false(x->defined);		/* valid count went down */
	x = get(d, n, "svm_tlb_inval_avg_us");
	assert_true(x->value == 100.0);		/* 1000 us / 10 */
	x = get(d, n, "svm_device_copy_bytes_per_second");
	assert_false(x->defined);		/* not in prev: new */
	gtstats_free(&cur);
	gtstats_free(&prev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_duration),
		cmocka_unit_test(t_bytes),
		cmocka_unit_test(t_exact),
		cmocka_unit_test(t_unit_of),
		cmocka_unit_test(t_prom_lookup),
		cmocka_unit_test(t_derived),
	};

	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
