/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The model behind `svmtop top`: pure computation, no terminal, no BPF, so
 * the host unit tests (tests/top/) drive it with hand-made snapshots.
 *
 *   struct top_model m;
 *   top_model_init(&m, 3.0);              // EWMA time constant, seconds
 *   top_model_update(&m, &snap0, 0);      // baseline: nothing to show yet
 *   top_model_update(&m, &snap1, 1.0);    // first interval: rates
 *   n = top_model_view(&m, idx);          // filtered, sorted process rows
 *   top_model_free(&m);
 *
 * Rates are per second over the last interval (counter deltas between two
 * cumulative snapshots, cli/svm.h).  Process rows also keep an EWMA of
 * each rate so the table does not jump; sorting uses the smoothed value.
 * Latency quantiles come from the interval's log2 histogram (upper bound
 * of the slot: never understated).
 */
#ifndef SVMTOP_CLI_TOPMODEL_H
#define SVMTOP_CLI_TOPMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svm.h"

#define TOP_HISTORY	64	/* samples kept for sparklines */

/* Rates over one interval (or their EWMA). */
struct top_rates {
	double faults;			/* GPU faults/s */
	double valid_pct;		/* % of the faults that found the range valid */
	double to_vram_bps;		/* bytes/s migrated to VRAM */
	double to_sys_bps;		/* bytes/s migrated to system memory */
	double retries;			/* retries/s, all reasons */
	double retry[SVM_RETRY_MAX];	/* retries/s by reason */
	double gc_runs;			/* garbage-collector runs/s */
	double gc_ranges;		/* ranges collected/s */
	double inval;			/* invalidation callbacks/s */
	double cpu_mig;			/* CPU-fault migrations back/s */
	uint64_t p50_ns, p99_ns;	/* fault latency; 0: no fault */
};

/* Metrics with a history (sparklines), in header order. */
enum top_metric {
	TOP_M_FAULTS,
	TOP_M_VALID,
	TOP_M_TO_VRAM,
	TOP_M_TO_SYS,
	TOP_M_RETRIES,
	TOP_M_GC,
	TOP_M_INVAL,
	TOP_M_P50,
	TOP_M_P99,
	TOP_M_MAX,
};

/* One (device, GT) pair; gt == SVM_GT_NONE is the device-wide work. */
struct top_gt {
	int dev, gt;
	struct svm_stats cum;		/* since svmtop started */
	struct svm_stats last;		/* last interval */
	struct top_rates rate;		/* last interval */
	double hist[TOP_M_MAX][TOP_HISTORY];	/* ring, newest at hpos-1 */
};

/* One process, summed over devices and GTs. */
struct top_proc {
	uint32_t tgid;
	char comm[SVM_COMM_LEN];
	struct svm_stats cum;		/* since svmtop started */
	struct svm_stats last;		/* last interval */
	struct top_rates rate;		/* last interval */
	struct top_rates ewma;		/* smoothed rates (sorting, table) */
	bool has_ewma;
	bool active;			/* any event in the last interval */
};

/* Table columns: what the table shows and what it can sort by. */
enum top_col {
	TOP_COL_PID,
	TOP_COL_COMM,
	TOP_COL_FAULTS_S,	/* faults/s (EWMA) */
	TOP_COL_FAULTS,		/* faults since start */
	TOP_COL_P99,		/* p99 fault latency, last interval */
	TOP_COL_TO_VRAM,	/* MB migrated to VRAM since start */
	TOP_COL_TO_SYS,		/* MB migrated to system memory since start */
	TOP_COL_RETRIES,	/* retries since start */
	TOP_COL_CPU_MIG,	/* CPU-fault migrations back since start */
	TOP_COL_GC,		/* ranges garbage-collected since start */
	TOP_COL_MAX,
};

struct top_col_info {
	const char *name;	/* header text */
	const char *key;	/* --sort name */
	int width;		/* characters, right-aligned except COMM */
	const char *help;
};

extern const struct top_col_info top_cols[TOP_COL_MAX];

struct top_model {
	double tau;			/* EWMA time constant, seconds */
	unsigned long samples;		/* intervals seen (0: only a baseline) */
	double last_dt;			/* length of the last interval, s */
	double elapsed;			/* seconds since the baseline */
	int hpos, hlen;			/* history ring position and fill */

	struct svm_entry *prev;		/* previous snapshot */
	size_t nprev;

	struct top_proc *procs;
	size_t nprocs, cap_procs;
	struct top_gt *gts;
	size_t ngts, cap_gts;

	struct top_rates total;		/* all devices, last interval */
	/* health and own cost, last interval */
	struct svm_health health_cum, health_last;
	uint64_t bpf_ns_last, bpf_cnt_last;
	uint64_t bpf_ns_cum, bpf_cnt_cum;

	/* view */
	enum top_col sort;
	bool reverse;			/* ascending instead of descending */
	char filter[64];
};

void top_model_init(struct top_model *m, double tau);
void top_model_free(struct top_model *m);

/*
 * Feed a cumulative snapshot taken dt seconds after the previous one.  The
 * first call only records the baseline (dt ignored).  Counters that went
 * backwards (a reset, a process gone from a debugfs file) count as zero.
 */
int top_model_update(struct top_model *m, const struct svm_snapshot *s,
		     double dt);

/* Take s as the new baseline without computing rates (after a pause). */
int top_model_rebase(struct top_model *m, const struct svm_snapshot *s);

/* Rates of a delta over dt seconds (dt <= 0: all zero). */
void top_rates_of(const struct svm_stats *d, double dt, struct top_rates *r);
/* EWMA step: avg += alpha * (cur - avg), alpha = 1 - exp(-dt/tau). */
void top_rates_ewma(struct top_rates *avg, const struct top_rates *cur,
		    double dt, double tau);
double top_alpha(double dt, double tau);

/* Does a process match the filter?  Empty filter: yes.  Otherwise a
 * case-insensitive substring of COMM, or a prefix of the PID's digits. */
bool top_filter_match(const struct top_proc *p, const char *filter);

/* Compare two rows by the model's sort column (ties: by PID, ascending). */
int top_proc_cmp(const struct top_model *m, const struct top_proc *a,
		 const struct top_proc *b);

/*
 * Indices into m->procs of the rows to show, filtered and sorted; returns
 * how many.  idx must have room for m->nprocs entries.
 */
size_t top_model_view(const struct top_model *m, size_t *idx);

/* Value of a history metric i samples ago (0 = newest); NAN if none. */
double top_gt_hist(const struct top_model *m, const struct top_gt *g,
		   enum top_metric k, int ago);
double top_rates_metric(const struct top_rates *r, enum top_metric k);

/* Column by --sort name or header text, case-insensitive; -1 if none. */
int top_col_parse(const char *s);

/* The lost events of a snapshot's health (not counted anywhere). */
uint64_t top_health_lost(const struct svm_health *h);

/* Average ns per BPF program run over the last interval, else since start;
 * negative when nothing ran or stats are off. */
double top_ns_per_event(const struct top_model *m);

#endif
