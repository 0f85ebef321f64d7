// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of `svmtop top`'s model (cli/topmodel.c), keys (cli/topkeys.c)
 * and text (cli/topfmt.c): hand-made cumulative snapshots go in, exact
 * rates, smoothed values, orders, filters and report lines come out.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "top.h"

#define MiB (1ull << 20)

static struct svm_entry E[8];

/* A snapshot of n entries from E[]. */
static struct svm_snapshot snap(size_t n)
{
	struct svm_snapshot s = { .backend = SVM_BACKEND_TP, .n = n, .v = E };

	return s;
}

static void entry(int i, int dev, int gt, uint32_t tgid, const char *comm)
{
	memset(&E[i], 0, sizeof(E[i]));
	E[i].key.dev = dev;
	E[i].key.gt = gt;
	E[i].key.tgid = tgid;
	snprintf(E[i].comm, sizeof(E[i].comm), "%s", comm);
}

/* faults: n faults of which v valid, each in latency slot k */
static void faults(struct svm_stats *s, uint64_t n, uint64_t v, int k)
{
	s->faults[SVM_ACC_RW][SVM_OUT_VALID] += v;
	s->faults[SVM_ACC_RW][SVM_OUT_MIGRATED] += n - v;
	s->fault.count += n;
	s->fault.hist[k] += n;
}

static const struct top_proc *proc(const struct top_model *m, uint32_t tgid)
{
	size_t i;

	for (i = 0; i < m->nprocs; i++)
		if (m->procs[i].tgid == tgid)
			return &m->procs[i];
	return NULL;
}

static void test_rates_exact(void **state)
{
	struct svm_stats d = { 0 };
	struct top_rates r;

	faults(&d, 10, 3, 12);
	d.mig[SVM_DIR_TO_VRAM][SVM_TRIG_GPU_FAULT].bytes = 4 * MiB;
	d.mig[SVM_DIR_TO_VRAM][SVM_TRIG_PREFETCH].bytes = 2 * MiB;
	d.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].bytes = 1 * MiB;
	d.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].count = 4;
	d.retries[SVM_RETRY_BIND] = 6;
	d.retries[SVM_RETRY_GC] = 2;
	d.gc_runs = 5;
	d.gc_ranges = 9;
	d.inval = 7;
	top_rates_of(&d, 2.0, &r);
	assert_true(r.faults == 5.0);
	assert_true(r.valid_pct == 30.0);
	assert_true(r.to_vram_bps == 3.0 * MiB);
	assert_true(r.to_sys_bps == 0.5 * MiB);
	assert_true(r.retry[SVM_RETRY_BIND] == 3.0);
	assert_true(r.retry[SVM_RETRY_GC] == 1.0);
	assert_true(r.retries == 4.0);
	assert_true(r.gc_runs == 2.5);
	assert_true(r.gc_ranges == 4.5);
	assert_true(r.inval == 3.5);
	assert_true(r.cpu_mig == 2.0);
	/* slot 12 holds [4096, 8192) ns: the upper bound, never lower */
	assert_int_equal(r.p50_ns, 8192);
	assert_int_equal(r.p99_ns, 8192);
	top_rates_of(&d, 0, &r);
	assert_true(r.faults == 0 && r.p99_ns == 0);
}

static void test_quantiles_split(void **state)
{
	struct svm_stats d = { 0 };
	struct top_rates r;

	faults(&d, 98, 0, 10);	/* 98 faults in [1024, 2048) */
	faults(&d, 2, 0, 20);	/* 2 slow ones in [1 Mi, 2 Mi) ns */
	top_rates_of(&d, 1.0, &r);
	assert_int_equal(r.p50_ns, 2048);
	assert_int_equal(r.p99_ns, 2ull << 20);
}

static void test_baseline_then_interval(void **state)
{
	struct top_model m;
	struct svm_snapshot s;

	top_model_init(&m, 3.0);
	entry(0, 0, 0, 100, "busy");
	faults(&E[0].st, 50, 0, 10);	/* before the baseline: not a rate */
	s = snap(1);
	assert_int_equal(top_model_update(&m, &s, 123), 0);
	assert_int_equal(m.samples, 0);
	assert_int_equal(m.nprocs, 1);
	assert_true(m.procs[0].rate.faults == 0);
	assert_false(m.procs[0].has_ewma);

	faults(&E[0].st, 20, 5, 10);
	s = snap(1);
	assert_int_equal(top_model_update(&m, &s, 2.0), 0);
	assert_int_equal(m.samples, 1);
	assert_true(m.last_dt == 2.0);
	assert_true(m.procs[0].rate.faults == 10.0);
	assert_true(m.procs[0].rate.valid_pct == 25.0);
	/* first interval: the EWMA starts at the rate, not at 0 */
	assert_true(m.procs[0].ewma.faults == 10.0);
	assert_int_equal(svm_faults_total(&m.procs[0].cum), 70);
	assert_int_equal(svm_faults_total(&m.procs[0].last), 20);
	assert_true(m.total.faults == 10.0);
	assert_true(m.procs[0].active);
	top_model_free(&m);
}

static void test_ewma(void **state)
{
	struct top_model m;
	struct svm_snapshot s;
	double a = top_alpha(1.0, 3.0), want;

	assert_true(fabs(a - (1 - exp(-1.0 / 3.0))) < 1e-12);
	assert_true(top_alpha(1.0, 0) == 1.0);
	assert_true(top_alpha(0, 3.0) == 0);
	top_model_init(&m, 3.0);
	entry(0, 0, 0, 7, "x");
	s = snap(1);
	top_model_update(&m, &s, 0);
	faults(&E[0].st, 100, 0, 1);
	top_model_update(&m, &s, 1.0);	/* 100/s */
	top_model_update(&m, &s, 1.0);	/* 0/s */
	want = 100 + a * (0 - 100);
	assert_true(fabs(m.procs[0].ewma.faults - want) < 1e-9);
	assert_true(m.procs[0].rate.faults == 0);
	assert_false(m.procs[0].active);
	faults(&E[0].st, 300, 0, 1);
	top_model_update(&m, &s, 1.0);	/* 300/s */
	want = want + a * (300 - want);
	assert_true(fabs(m.procs[0].ewma.faults - want) < 1e-9);
	top_model_free(&m);
}

static void test_backwards_and_new_keys(void **state)
{
	struct top_model m;
	struct svm_snapshot s;

	top_model_init(&m, 3.0);
	entry(0, 0, 0, 1, "a");
	faults(&E[0].st, 40, 0, 1);
	s = snap(1);
	top_model_update(&m, &s, 0);
	/* counters reset to 10 (< 40): that interval counts 0, not 2^64 */
	memset(&E[0].st, 0, sizeof(E[0].st));
	faults(&E[0].st, 10, 0, 1);
	/* a key that appears after the baseline: all of it is new */
	entry(1, 0, 1, 2, "b");
	faults(&E[1].st, 6, 0, 1);
	s = snap(2);
	top_model_update(&m, &s, 1.0);
	assert_true(proc(&m, 1)->rate.faults == 0);
	assert_true(proc(&m, 2)->rate.faults == 6);
	assert_true(m.total.faults == 6);
	top_model_free(&m);
}

static void test_aggregation(void **state)
{
	struct top_model m;
	struct svm_snapshot s;

	top_model_init(&m, 3.0);
	/* pid 10 on both GTs, device-wide work; pid 20 on gt1 */
	entry(0, 0, SVM_GT_NONE, 10, "p10");
	entry(1, 0, 0, 10, "p10");
	entry(2, 0, 1, 10, "p10");
	entry(3, 0, 1, 20, "p20");
	s = snap(4);
	top_model_update(&m, &s, 0);
	E[0].st.gc_runs = 3;
	E[0].st.gc_ranges = 12;
	E[0].st.inval = 4;
	E[0].st.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].count = 2;
	E[0].st.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].bytes = 128 << 10;
	faults(&E[1].st, 4, 0, 1);
	faults(&E[2].st, 6, 0, 1);
	faults(&E[3].st, 1, 0, 1);
	E[1].st.mig[SVM_DIR_TO_VRAM][SVM_TRIG_GPU_FAULT].bytes = 8 * MiB;
	top_model_update(&m, &s, 1.0);
	assert_int_equal(m.nprocs, 2);
	assert_true(proc(&m, 10)->rate.faults == 10);
	assert_true(proc(&m, 20)->rate.faults == 1);
	assert_int_equal(proc(&m, 10)->cum.gc_ranges, 12);
	/* GTs sorted, the device-wide row after the GTs */
	assert_int_equal(m.ngts, 3);
	assert_int_equal(m.gts[0].gt, 0);
	assert_int_equal(m.gts[1].gt, 1);
	assert_int_equal(m.gts[2].gt, SVM_GT_NONE);
	assert_true(m.gts[0].rate.faults == 4);
	assert_true(m.gts[1].rate.faults == 7);
	assert_true(m.gts[2].rate.gc_runs == 3);
	assert_true(m.gts[2].rate.inval == 4);
	assert_true(m.gts[2].rate.to_sys_bps == 128 << 10);
	assert_true(m.total.faults == 11);
	assert_true(m.total.to_vram_bps == 8 * MiB);
	top_model_free(&m);
}

/* pids 5 (slow), 6 (busy), 7 (medium) */
static void three(struct top_model *m)
{
	struct svm_snapshot s;

	top_model_init(m, 3.0);
	entry(0, 0, 0, 5, "Slow");
	entry(1, 0, 0, 6, "busy");
	entry(2, 0, 0, 7, "medium");
	s = snap(3);
	top_model_update(m, &s, 0);
	faults(&E[0].st, 1, 0, 1);
	faults(&E[1].st, 100, 0, 1);
	faults(&E[2].st, 10, 0, 1);
	E[0].st.retries[SVM_RETRY_MIGRATE] = 9;
	top_model_update(m, &s, 1.0);
}

static void order(const struct top_model *m, uint32_t a, uint32_t b, uint32_t c)
{
	size_t idx[8], n = top_model_view(m, idx);

	assert_int_equal(n, 3);
	assert_int_equal(m->procs[idx[0]].tgid, a);
	assert_int_equal(m->procs[idx[1]].tgid, b);
	assert_int_equal(m->procs[idx[2]].tgid, c);
}

static void test_sort(void **state)
{
	struct top_model m;

	three(&m);
	order(&m, 6, 7, 5);		/* default: faults/s, biggest first */
	m.reverse = true;
	order(&m, 5, 7, 6);
	m.reverse = false;
	m.sort = TOP_COL_PID;
	order(&m, 5, 6, 7);
	m.reverse = true;
	order(&m, 7, 6, 5);
	m.reverse = false;
	m.sort = TOP_COL_COMM;		/* case-insensitive */
	order(&m, 6, 7, 5);
	m.sort = TOP_COL_RETRIES;	/* ties (0, 0) by PID */
	order(&m, 5, 6, 7);
	top_model_free(&m);
}

static void test_filter(void **state)
{
	struct top_model m;
	size_t idx[8];

	three(&m);
	snprintf(m.filter, sizeof(m.filter), "SLO");
	assert_int_equal(top_model_view(&m, idx), 1);
	assert_int_equal(m.procs[idx[0]].tgid, 5);
	snprintf(m.filter, sizeof(m.filter), "7");	/* PID prefix */
	assert_int_equal(top_model_view(&m, idx), 1);
	assert_int_equal(m.procs[idx[0]].tgid, 7);
	snprintf(m.filter, sizeof(m.filter), "e");	/* medium, Slow? no */
	assert_int_equal(top_model_view(&m, idx), 1);
	snprintf(m.filter, sizeof(m.filter), "nothing");
	assert_int_equal(top_model_view(&m, idx), 0);
	m.filter[0] = 0;
	assert_int_equal(top_model_view(&m, idx), 3);
	top_model_free(&m);
}

static void test_history_sparkline(void **state)
{
	struct top_model m;
	struct svm_snapshot s;
	char buf[256];
	int i;

	top_model_init(&m, 3.0);
	entry(0, 0, 0, 1, "a");
	s = snap(1);
	top_model_update(&m, &s, 0);
	for (i = 0; i <= 7; i++) {	/* 0, 1, ... 7 faults/s */
		faults(&E[0].st, i, 0, 1);
		top_model_update(&m, &s, 1.0);
	}
	assert_int_equal(m.hlen, 8);
	assert_true(top_gt_hist(&m, &m.gts[0], TOP_M_FAULTS, 0) == 7);
	assert_true(top_gt_hist(&m, &m.gts[0], TOP_M_FAULTS, 7) == 0);
	assert_true(isnan(top_gt_hist(&m, &m.gts[0], TOP_M_FAULTS, 8)));
	top_sparkline(buf, sizeof(buf), &m, &m.gts[0], TOP_M_FAULTS, 10, true);
	/* two empty slots, then 0 (lowest), then 1..7 scaled to 7 levels */
	assert_string_equal(buf, "  _.-:=+*#");
	top_sparkline(buf, sizeof(buf), &m, &m.gts[0], TOP_M_FAULTS, 2, false);
	assert_string_equal(buf, "\u2587\u2588");
	/* the ring wraps: TOP_HISTORY more samples keep the newest */
	for (i = 0; i < TOP_HISTORY; i++) {
		faults(&E[0].st, 2, 0, 1);
		top_model_update(&m, &s, 1.0);
	}
	assert_int_equal(m.hlen, TOP_HISTORY);
	assert_true(top_gt_hist(&m, &m.gts[0], TOP_M_FAULTS, TOP_HISTORY - 1) == 2);
	top_model_free(&m);
}

static void test_format(void **state)
{
	char b[32];

	assert_string_equal(top_fmt_rate(b, sizeof(b), 0), "0");
	assert_string_equal(top_fmt_rate(b, sizeof(b), 7.5), "7.50");
	assert_string_equal(top_fmt_rate(b, sizeof(b), 123.45), "123.5");
	assert_string_equal(top_fmt_rate(b, sizeof(b), 12345), "12.3k");
	assert_string_equal(top_fmt_rate(b, sizeof(b), 2.5e6), "2.5M");
	assert_string_equal(top_fmt_ns(b, sizeof(b), 0), "-");
	assert_string_equal(top_fmt_ns(b, sizeof(b), 512), "512ns");
	assert_string_equal(top_fmt_ns(b, sizeof(b), 8192), "8us");
	assert_string_equal(top_fmt_ns(b, sizeof(b), 33554432), "33.6ms");
	assert_string_equal(top_fmt_ns(b, sizeof(b), 268435456), "268ms");
	assert_string_equal(top_fmt_ns(b, sizeof(b), 4294967296ull), "4.3s");
	assert_string_equal(top_fmt_mb(b, sizeof(b), 2 * MiB), "2.1");
	assert_int_equal(top_col_parse("p99"), TOP_COL_P99);
	assert_int_equal(top_col_parse("FAULTS/s"), TOP_COL_FAULTS_S);
	assert_int_equal(top_col_parse("nope"), -1);
}

static void test_plain_report(void **state)
{
	struct top_ui ui;
	struct svm_snapshot s;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	top_ui_init(&ui, 1.0);
	ui.st.backend = "tp";
	ui.st.nprobes = 7;
	ui.st.nattached = 6;
	ui.st.bpf_stats = true;
	snprintf(ui.st.missing, sizeof(ui.st.missing), "xe_svm_gc");
	entry(0, 0, 0, 42, "svm-workload");
	s = snap(1);
	s.bpf_run_ns = 1000;
	s.bpf_run_cnt = 10;
	top_model_update(&ui.m, &s, 0);
	faults(&E[0].st, 4, 1, 12);
	E[0].st.mig[SVM_DIR_TO_VRAM][SVM_TRIG_GPU_FAULT].bytes = 6 * MiB;
	s.bpf_run_ns = 5000;
	s.bpf_run_cnt = 30;
	s.health.key_lost = 3;
	top_model_update(&ui.m, &s, 2.0);
	f = open_memstream(&text, &len);
	top_plain_report(f, &ui, "T");
	fclose(f);
	assert_string_equal(text,
		"svmtop T interval 2.00s backend tp probes 6/7 cost 200ns/event cpu 0.0% lost 3\n"
		"not attached: xe_svm_gc\n"
		"DEVICE      FAULTS/s VALID% VRAM_MB/s  SYS_MB/s  RETRY/s    GC/s  INVAL/s     P50     P99\n"
		"dev0 gt0        2.00   25.0      3.15         0        0       0        0     8us     8us\n"
		"total           2.00   25.0      3.15         0        0       0        0     8us     8us\n"
		"retries/s: migrate 0 get_pages 0 bind_eagain 0 vma_split 0 gc 0\n"
		"    PID  COMM             FAULTS/s    FAULTS      P99  VRAM_MB   SYS_MB  RETRIES  CPU_MIG  GC_RNG\n"
		"     42  svm-workload         2.00         4      8us      6.3        0        0        0       0\n"
		"\n");
	free(text);
	top_model_free(&ui.m);
}

static void test_keys(void **state)
{
	struct top_ui ui;

	three(&ui.m);
	{
		struct top_model keep = ui.m;

		top_ui_init(&ui, 1.0);
		top_model_free(&ui.m);
		ui.m = keep;
	}
	top_ui_fix_selection(&ui);
	assert_int_equal(ui.sel_tgid, 6);	/* first row: the busiest */
	assert_int_equal(top_key(&ui, 'j'), TOP_ACT_REDRAW);
	assert_int_equal(ui.sel_tgid, 7);
	assert_int_equal(top_key(&ui, KEY_DOWN), TOP_ACT_REDRAW);
	assert_int_equal(top_key(&ui, KEY_DOWN), TOP_ACT_REDRAW);
	assert_int_equal(ui.sel_tgid, 5);	/* stays on the last row */
	/* the chooser: from FAULTS/s up two to PID; selection follows PID 5 */
	top_key(&ui, 's');
	assert_int_equal(ui.view, TOP_VIEW_SORT);
	top_key(&ui, 'k');
	top_key(&ui, 'k');
	top_key(&ui, '\r');
	assert_int_equal(ui.view, TOP_VIEW_MAIN);
	assert_int_equal(ui.m.sort, TOP_COL_PID);
	assert_int_equal(ui.sel_tgid, 5);
	assert_int_equal(ui.sel, 0);
	top_key(&ui, '>');
	assert_int_equal(ui.m.sort, TOP_COL_COMM);
	top_key(&ui, '<');
	top_key(&ui, '<');
	assert_int_equal(ui.m.sort, TOP_COL_MAX - 1);
	top_key(&ui, 'r');
	assert_true(ui.m.reverse);
	/* filter: typed, live, Enter keeps; 'q' is a letter while typing */
	top_key(&ui, '/');
	assert_true(ui.editing);
	top_key(&ui, 'q');
	top_key(&ui, 'u');
	assert_string_equal(ui.m.filter, "qu");
	top_key(&ui, KEY_BACKSPACE);
	top_key(&ui, KEY_BACKSPACE);
	top_key(&ui, 'b');
	top_key(&ui, '\n');
	assert_false(ui.editing);
	assert_string_equal(ui.m.filter, "b");
	assert_int_equal(ui.sel_tgid, 6);
	top_key(&ui, 27);		/* Esc clears the filter */
	assert_string_equal(ui.m.filter, "");
	/* views */
	top_key(&ui, 'h');
	assert_int_equal(ui.view, TOP_VIEW_HIST);
	top_key(&ui, 27);
	assert_int_equal(ui.view, TOP_VIEW_MAIN);
	top_key(&ui, 'd');
	assert_int_equal(ui.view, TOP_VIEW_DETAIL);
	top_key(&ui, 'd');
	assert_int_equal(ui.view, TOP_VIEW_MAIN);
	top_key(&ui, '?');
	assert_int_equal(ui.view, TOP_VIEW_HELP);
	top_key(&ui, 'x');
	assert_int_equal(ui.view, TOP_VIEW_MAIN);
	/* pause, refresh */
	top_key(&ui, 'p');
	assert_true(ui.paused);
	top_key(&ui, 'p');
	assert_false(ui.paused);
	assert_int_equal(top_key(&ui, '+'), TOP_ACT_INTERVAL);
	assert_true(ui.interval == 2);
	top_key(&ui, '-');
	top_key(&ui, '-');
	assert_true(ui.interval == 0.5);
	assert_true(top_interval_step(0.25, -1) == 0.25);
	assert_true(top_interval_step(60, 1) == 60);
	assert_true(top_interval_step(1.5, 1) == 2);
	assert_int_equal(top_key(&ui, KEY_RESIZE), TOP_ACT_REDRAW);
	assert_int_equal(top_key(&ui, 'Z'), TOP_ACT_NONE);
	assert_int_equal(top_key(&ui, 'q'), TOP_ACT_QUIT);
	top_model_free(&ui.m);
}

static void test_cost_and_health(void **state)
{
	struct top_model m;
	struct svm_snapshot s;

	top_model_init(&m, 3.0);
	entry(0, 0, 0, 1, "a");
	s = snap(1);
	assert_true(top_ns_per_event(&m) < 0);	/* nothing ran */
	s.bpf_run_ns = 900;
	s.bpf_run_cnt = 3;
	top_model_update(&m, &s, 0);
	assert_true(top_ns_per_event(&m) == 300);	/* since start */
	s.bpf_run_ns = 1900;
	s.bpf_run_cnt = 13;
	s.health.key_lost = 2;
	s.health.state_full = 5;
	s.health.key_overflow = 100;	/* counted in "other": not lost */
	top_model_update(&m, &s, 1);
	assert_true(top_ns_per_event(&m) == 100);	/* last interval */
	assert_int_equal(top_health_lost(&m.health_cum), 7);
	assert_int_equal(top_health_lost(&m.health_last), 7);
	top_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_exact),
		cmocka_unit_test(test_quantiles_split),
		cmocka_unit_test(test_baseline_then_interval),
		cmocka_unit_test(test_ewma),
		cmocka_unit_test(test_backwards_and_new_keys),
		cmocka_unit_test(test_aggregation),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_history_sparkline),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_plain_report),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_cost_and_health),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
