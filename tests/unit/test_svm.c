// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SVM collector's host-testable parts (cli/svm.c): names, sums, log2
 * quantiles, and the debugfs backend end to end on a GT stats tree that
 * the test writes and then changes (counters since open, mapped to
 * struct svm_stats).  The BPF backends are tested in the VM
 * (tests/vm/cases/4*-svm-*.sh).
 */
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "exitcodes.h"
#include "../../cli/svm.h"	/* not include/svm.h, found first */

static void t_names(void **state)
{
	int b;

	for (b = SVM_BACKEND_AUTO; b < SVM_BACKEND_NONE; b++)
		assert_int_equal(svm_backend_parse(svm_backend_name(b)), b);
	assert_int_equal(svm_backend_parse("tp_btf"), SVM_BACKEND_TP);
	assert_int_equal(svm_backend_parse("bogus"), -1);
	assert_string_equal(svm_retry_name[SVM_RETRY_BIND], "bind_eagain");
	assert_string_equal(svm_outcome_name[SVM_OUT_VALID], "valid");
	assert_string_equal(svm_trigger_name[SVM_TRIG_EVICTION], "eviction");
}

static void t_quantile(void **state)
{
	__u64 h[SVM_HIST_SLOTS] = { 0 };

	assert_int_equal(svm_hist_quantile(h, 0.5), 0);
	h[3] = 10;		/* [8, 16) ns */
	h[10] = 90;		/* [1024, 2048) ns */
	/* the upper bound of the slot: never understates */
	assert_int_equal(svm_hist_quantile(h, 0.05), 16);
	assert_int_equal(svm_hist_quantile(h, 0.10), 16);
	assert_int_equal(svm_hist_quantile(h, 0.11), 2048);
	assert_int_equal(svm_hist_quantile(h, 0.99), 2048);
	assert_int_equal(svm_hist_quantile(h, 1.0), 2048);
}

static void t_sums(void **state)
{
	struct svm_stats a = { 0 }, b = { 0 };

	a.faults[SVM_ACC_ATOMIC][SVM_OUT_MIGRATED] = 3;
	a.faults[SVM_ACC_RW][SVM_OUT_VALID] = 2;
	a.faults[SVM_ACC_READ][SVM_OUT_ERROR] = 1;
	a.retries[SVM_RETRY_GC] = 4;
	a.retries[SVM_RETRY_MIGRATE] = 1;
	assert_int_equal(svm_faults_total(&a), 6);
	assert_int_equal(svm_faults_access(&a, SVM_ACC_ATOMIC), 3);
	assert_int_equal(svm_faults_outcome(&a, SVM_OUT_VALID), 2);
	assert_int_equal(svm_retries_total(&a), 5);
	svm_stats_add(&b, &a);
	svm_stats_add(&b, &a);
	assert_int_equal(svm_faults_total(&b), 12);
	svm_stats_sub(&b, &a);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void t_debugfs(void **state)
{
	char root[] = "/tmp/svmtop-test-svm.XXXXXX", p[256];
	struct svm_opts o = { .backend = SVM_BACKEND_DEBUGFS, .quiet = true };
	struct svm_collector *c;
	struct svm_snapshot s;
	const struct svm_stats *st;

	assert_non_null(mkdtemp(root));
	snprintf(p, sizeof(p), "%s/dri", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/dri/0", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/dri/0/name", root);
	put(p, "svmsim dev=svmsim unique=svmsim\n");
	snprintf(p, sizeof(p), "%s/dri/0/gt1", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/dri/0/gt1/stats", root);
	put(p, "svm_pagefault_count: 100\nsvmx_gc_range_count: 7\n");

	o.debugfs = root;
	assert_int_equal(svm_open(&o, &c), EXIT_OK);
	assert_int_equal(svm_backend_of(c), SVM_BACKEND_DEBUGFS);

	/* 10 faults: 1 failed, 2 valid, 4 migrated (1 atomic), 3 sysmem */
	put(p, "svm_pagefault_count: 110\n"
	       "svmx_fault_failed_count: 1\n"
	       "svm_4K_valid_pagefault_count: 1\nsvm_2M_valid_pagefault_count: 1\n"
	       "svm_64K_migrate_count: 1\nsvm_2M_migrate_count: 3\n"
	       "svmx_fault_atomic_count: 1\n"
	       "svmx_retry_gc_count: 2\nsvmx_retry_bind_count: 1\n"
	       "svmx_gpu_fault_migrate_kb: 6208\n"
	       "svmx_cpu_fault_migrate_count: 2\nsvmx_cpu_fault_migrate_kb: 4096\n"
	       "svmx_evict_count: 1\nsvmx_evict_kb: 2048\n"
	       "svmx_gc_run_count: 2\nsvmx_gc_range_count: 10\nsvmx_gc_kb: 6144\n"
	       "an_unknown_new_stat: 5\n");
	assert_int_equal(svm_read(c, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.v[0].key.dev, 0);
	assert_int_equal(s.v[0].key.gt, 1);
	assert_int_equal(s.v[0].key.tgid, SVM_TGID_UNKNOWN);
	st = &s.v[0].st;
	assert_int_equal(svm_faults_total(st), 10);
	assert_int_equal(svm_faults_outcome(st, SVM_OUT_ERROR), 1);
	assert_int_equal(svm_faults_outcome(st, SVM_OUT_VALID), 2);
	assert_int_equal(svm_faults_outcome(st, SVM_OUT_MIGRATED), 4);
	assert_int_equal(svm_faults_outcome(st, SVM_OUT_SYSMEM), 3);
	assert_int_equal(svm_faults_access(st, SVM_ACC_ATOMIC), 1);
	assert_int_equal(st->retries[SVM_RETRY_GC], 2);
	assert_int_equal(st->retries[SVM_RETRY_BIND], 1);
	assert_int_equal(st->mig[SVM_DIR_TO_VRAM][SVM_TRIG_GPU_FAULT].bytes, 6208 << 10);
	assert_int_equal(st->mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].count, 2);
	assert_int_equal(st->mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_EVICTION].bytes, 2 << 20);
	/* since open: 10 - 7 */
	assert_int_equal(st->gc_ranges, 3);
	assert_int_equal(st->gc_runs, 2);
	svm_snapshot_free(&s);
	svm_close(c);

	unlink(p);
	snprintf(p, sizeof(p), "%s/dri/0/gt1", root);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/dri/0/name", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/dri/0", root);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/dri", root);
	rmdir(p);
	rmdir(root);
}

/* No SVM counters: the debugfs backend refuses, and says what exists. */
static void t_debugfs_none(void **state)
{
	struct svm_opts o = { .backend = SVM_BACKEND_DEBUGFS, .quiet = true,
			      .debugfs = FIXTURES "/no-device" };
	struct svm_probe p[16];
	struct svm_collector *c;
	bool ok = true;

	assert_int_equal(svm_open(&o, &c), EXIT_NOBPF);
	assert_null(c);
	assert_int_equal(svm_probe_backend(SVM_BACKEND_DEBUGFS, p, 16, &ok,
					   FIXTURES "/no-device"), 1);
	assert_false(ok);
	assert_false(p[0].attached);
	/* v6.15 has svm_pagefault_count on two GTs */
	assert_int_equal(svm_probe_backend(SVM_BACKEND_DEBUGFS, p, 16, &ok,
					   FIXTURES "/v6.15"), 1);
	assert_true(ok);
	assert_string_equal(p[0].why, "2 GT stats files with svm_pagefault_count");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_names),
		cmocka_unit_test(t_quantile),
		cmocka_unit_test(t_sums),
		cmocka_unit_test(t_debugfs),
		cmocka_unit_test(t_debugfs_none),
	};

	return cmocka_run_group_tests_name("svm", tests, NULL, NULL);
}
