// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SVM part of `svmtop stat --bpf`: the SVM collector's totals since
 * start beside the kernel's own GT stats over the same time, then one row
 * per process.  The two columns count the same things, so a difference
 * is a finding (a missing probe, a kernel that counts per retry).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "exitcodes.h"
#include "svm.h"

struct svm_side {
	struct svm_collector *bpf;
	struct svm_collector *kernel;	/* debugfs backend; NULL if none */
};

struct svm_side *svm_side_open(bool verbose)
{
	/* quiet: without an SVM device stat --bpf shows HMM as before */
	struct svm_opts o = { .backend = SVM_BACKEND_AUTO, .verbose = verbose,
			      .quiet = true };
	struct svm_side *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (svm_open(&o, &s->bpf) != EXIT_OK ||
	    svm_backend_of(s->bpf) == SVM_BACKEND_DEBUGFS) {
		svm_close(s->bpf);
		free(s);
		return NULL;
	}
	o.backend = SVM_BACKEND_DEBUGFS;
	if (svm_open(&o, &s->kernel) != EXIT_OK)
		s->kernel = NULL;
	return s;
}

void svm_side_close(struct svm_side *s)
{
	if (!s)
		return;
	svm_close(s->bpf);
	svm_close(s->kernel);
	free(s);
}

static void sum(const struct svm_snapshot *s, struct svm_stats *t)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		svm_stats_add(t, &s->v[i].st);
}

static uint64_t mig_bytes(const struct svm_stats *s, int dir, int trig)
{
	return s->mig[dir][trig].bytes;
}

static void line(FILE *f, const char *what, uint64_t a, bool have_k, uint64_t k)
{
	char kb[32] = "-";

	if (have_k)
		snprintf(kb, sizeof(kb), "%" PRIu64, k);
	fprintf(f, "  %-34s %12" PRIu64 " %12s%s\n", what, a, kb,
		have_k && a != k ? "  <- differs" : "");
}

void svm_side_table(FILE *f, struct svm_side *side)
{
	struct svm_snapshot b = { 0 }, k = { 0 };
	struct svm_stats tb = { 0 }, tk = { 0 };
	bool hk = false;
	size_t i;
	int r;

	if (!side || svm_read(side->bpf, &b))
		return;
	if (side->kernel && !svm_read(side->kernel, &k)) {
		hk = true;
		sum(&k, &tk);
	}
	sum(&b, &tb);
	fprintf(f, "SVM fault path (%s backend), totals since start\n",
		svm_backend_name(b.backend));
	fprintf(f, "  %-34s %12s %12s\n", "", "svmtop", "kernel");
	line(f, "GPU faults", svm_faults_total(&tb), hk, svm_faults_total(&tk));
	line(f, "  already valid", svm_faults_outcome(&tb, SVM_OUT_VALID), hk,
	     svm_faults_outcome(&tk, SVM_OUT_VALID));
	line(f, "  failed", svm_faults_outcome(&tb, SVM_OUT_ERROR), hk,
	     svm_faults_outcome(&tk, SVM_OUT_ERROR));
	line(f, "  atomic", svm_faults_access(&tb, SVM_ACC_ATOMIC), false, 0);
	for (r = 0; r < SVM_RETRY_MAX; r++) {
		char what[48];

		snprintf(what, sizeof(what), "retries: %s", svm_retry_name[r]);
		line(f, what, tb.retries[r], hk, tk.retries[r]);
	}
	line(f, "KiB to VRAM on GPU faults",
	     mig_bytes(&tb, SVM_DIR_TO_VRAM, SVM_TRIG_GPU_FAULT) >> 10, hk,
	     mig_bytes(&tk, SVM_DIR_TO_VRAM, SVM_TRIG_GPU_FAULT) >> 10);
	line(f, "KiB to VRAM by prefetch",
	     mig_bytes(&tb, SVM_DIR_TO_VRAM, SVM_TRIG_PREFETCH) >> 10, hk,
	     mig_bytes(&tk, SVM_DIR_TO_VRAM, SVM_TRIG_PREFETCH) >> 10);
	line(f, "CPU-fault migrations back",
	     tb.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].count, hk,
	     tk.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].count);
	line(f, "KiB back on CPU faults",
	     mig_bytes(&tb, SVM_DIR_TO_SYSMEM, SVM_TRIG_CPU_FAULT) >> 10, hk,
	     mig_bytes(&tk, SVM_DIR_TO_SYSMEM, SVM_TRIG_CPU_FAULT) >> 10);
	line(f, "evictions", tb.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_EVICTION].count,
	     hk, tk.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_EVICTION].count);
	line(f, "KiB evicted",
	     mig_bytes(&tb, SVM_DIR_TO_SYSMEM, SVM_TRIG_EVICTION) >> 10, hk,
	     mig_bytes(&tk, SVM_DIR_TO_SYSMEM, SVM_TRIG_EVICTION) >> 10);
	line(f, "garbage-collector runs", tb.gc_runs, hk, tk.gc_runs);
	line(f, "garbage-collected ranges", tb.gc_ranges, hk, tk.gc_ranges);
	line(f, "get pages", tb.get_pages.count, hk, tk.get_pages.count);
	line(f, "binds", tb.bind.count, hk, tk.bind.count);

	fprintf(f, "%8s %-15s %4s %3s %8s %6s %6s %7s %9s %9s %9s %6s %6s\n",
		"TGID", "COMM", "DEV", "GT", "FAULTS", "VALID", "FAILED",
		"RETRIES", "P99_US", ">VRAM_KB", ">SYS_KB", "EVICT", "GC_RNG");
	for (i = 0; i < b.n; i++) {
		const struct svm_entry *e = &b.v[i];
		const struct svm_stats *s = &e->st;
		char tgid[16], gt[8];

		snprintf(tgid, sizeof(tgid), "%" PRIu32, e->key.tgid);
		if (e->key.tgid == SVM_TGID_OTHER)
			snprintf(tgid, sizeof(tgid), "-");
		snprintf(gt, sizeof(gt), "%d", e->key.gt);
		if (e->key.gt == SVM_GT_NONE)
			snprintf(gt, sizeof(gt), "-");
		fprintf(f, "%8s %-15.15s %4d %3s %8" PRIu64 " %6" PRIu64 " %6" PRIu64
			" %7" PRIu64 " %9.1f %9" PRIu64 " %9" PRIu64 " %6" PRIu64
			" %6" PRIu64 "\n",
			tgid, e->comm, e->key.dev, gt, svm_faults_total(s),
			svm_faults_outcome(s, SVM_OUT_VALID),
			svm_faults_outcome(s, SVM_OUT_ERROR), svm_retries_total(s),
			svm_hist_quantile(s->fault.hist, 0.99) / 1000.0,
			(mig_bytes(s, SVM_DIR_TO_VRAM, SVM_TRIG_GPU_FAULT) +
			 mig_bytes(s, SVM_DIR_TO_VRAM, SVM_TRIG_PREFETCH)) >> 10,
			(mig_bytes(s, SVM_DIR_TO_SYSMEM, SVM_TRIG_CPU_FAULT) +
			 mig_bytes(s, SVM_DIR_TO_SYSMEM, SVM_TRIG_EVICTION)) >> 10,
			(uint64_t)s->mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_EVICTION].count,
			(uint64_t)s->gc_ranges);
	}
	if (b.health.key_overflow)
		fprintf(f, "note: more than %d (device, GT, process) entries; "
			"%" PRIu64 " events counted under '-'\n", SVM_MAX_KEYS,
			(uint64_t)b.health.key_overflow);
	fflush(f);
	svm_snapshot_free(&b);
	svm_snapshot_free(&k);
}
