/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM collector: svmtop's view of the SVM fault path, for every view
 * (svmtop dump, hist, trace, top, export, stat --bpf).
 *
 *   struct svm_collector *c;
 *   struct svm_opts o = { .backend = SVM_BACKEND_AUTO };
 *   if (svm_open(&o, &c) == EXIT_OK) {
 *           struct svm_snapshot s = { 0 };
 *           svm_read(c, &s);          // cumulative since svm_open()
 *           ... s.v[i].key.{dev,gt,tgid}, s.v[i].comm, s.v[i].st ...
 *           svm_snapshot_free(&s);
 *           svm_close(c);
 *   }
 *
 * Backends (include/svm.h has the counters and what they mean):
 *   tp      tp_btf on the xe_svm tracepoints (a kernel with svmtop's
 *           debugfs-ext, or the simulated GPU svmsim);
 *   fentry  fentry/fexit on xe's SVM functions (stock kernels);
 *   kprobe  kprobe/kretprobe on the same functions;
 *   debugfs the kernel's GT stats files only, when BPF is not possible
 *           (not root, no BTF): per (device, GT), tgid SVM_TGID_UNKNOWN,
 *           no histograms, and fault outcomes only as the stats tell them.
 * What the function backends cannot see: the read/write split of
 * non-atomic faults (SVM_ACC_RW), the GT of prefetches and of steps run
 * outside a fault (SVM_GT_NONE; tp has it), invalidations that hit no
 * range (they count every callback; tp only those with ranges), TLB
 * invalidations.  Retries: each find_or_insert after the first within one
 * handler call is a retry, its reason the step that failed before it (or
 * "gc": the range was unmapped); on xe ~6.18+ a VMA-split re-entry of the
 * inner handler is counted as "gc".
 * AUTO takes the first that works, in that order.  Each probe of the
 * chosen backend is reported (svm_probes()): attached, or why not.  A
 * missing optional probe disables only the counters it feeds.
 *
 * Snapshots are cumulative and monotonic (BPF maps are never cleared):
 * compute rates with svm_stats_sub() between two reads.  Not thread-safe:
 * one collector per thread.
 */
#ifndef SVMTOP_CLI_SVM_H
#define SVMTOP_CLI_SVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The map types shared with BPF (this file shadows the name "svm.h"). */
#include "../include/svm.h"

enum svm_backend {
	SVM_BACKEND_AUTO,
	SVM_BACKEND_TP,
	SVM_BACKEND_FENTRY,
	SVM_BACKEND_KPROBE,
	SVM_BACKEND_DEBUGFS,
	SVM_BACKEND_NONE,
};

struct svm_opts {
	enum svm_backend backend;	/* AUTO, or force one (tests) */
	uint32_t filter_tgid;		/* BPF backends: only this process */
	bool verbose;			/* libbpf debug output */
	const char *debugfs;		/* debugfs root; NULL: /sys/kernel/debug */
	bool quiet;			/* no messages on stderr */
};

/* One probe (program) of a backend and its state. */
struct svm_probe {
	const char *target;	/* tracepoint or kernel function */
	const char *kind;	/* "tp_btf", "fentry", "fexit", "kprobe", ... */
	bool required;		/* the backend does not work without it */
	bool attached;
	char why[160];		/* not attached: one line, why */
	const char *feeds;	/* which counters it feeds */
};

struct svm_entry {
	struct svm_key key;	/* dev, gt (SVM_GT_NONE), tgid */
	char comm[SVM_COMM_LEN];	/* "" when unknown */
	struct svm_stats st;
};

struct svm_snapshot {
	enum svm_backend backend;
	size_t n;
	struct svm_entry *v;		/* sorted by dev, gt, tgid */
	struct svm_health health;
	uint64_t bpf_run_ns;		/* summed run_time_ns of our programs */
	uint64_t bpf_run_cnt;		/* (needs kernel.bpf_stats_enabled) */
};

struct svm_collector;

/*
 * Choose, load, attach.  Prints one line per problem on stderr and returns
 * an EXIT_* code (cli/exitcodes.h); on EXIT_OK *out is ready to read.
 */
int svm_open(const struct svm_opts *o, struct svm_collector **out);
enum svm_backend svm_backend_of(const struct svm_collector *c);
/* The probes of the chosen backend; *n set to their number. */
const struct svm_probe *svm_probes(const struct svm_collector *c, size_t *n);
/* Read everything; 0 or -errno.  Free with svm_snapshot_free(). */
int svm_read(struct svm_collector *c, struct svm_snapshot *s);
void svm_close(struct svm_collector *c);
void svm_snapshot_free(struct svm_snapshot *s);

/*
 * What each backend would do on this kernel, without loading anything
 * permanent (svmtop probes): fills up to max probes of backend b, returns
 * how many, and sets *usable.
 */
size_t svm_probe_backend(enum svm_backend b, struct svm_probe *p, size_t max,
			 bool *usable, const char *debugfs);

const char *svm_backend_name(enum svm_backend b);
/* "tp", "fentry", "kprobe", "debugfs", "auto" -> enum; -1 if unknown. */
int svm_backend_parse(const char *s);

/* Field-wise arithmetic on counters (every field is a __u64). */
void svm_stats_add(struct svm_stats *dst, const struct svm_stats *src);
void svm_stats_sub(struct svm_stats *dst, const struct svm_stats *src);

/* Sums of a struct svm_stats that views and tests use. */
uint64_t svm_faults_total(const struct svm_stats *s);
uint64_t svm_faults_outcome(const struct svm_stats *s, enum svm_outcome o);
uint64_t svm_faults_access(const struct svm_stats *s, enum svm_access a);
uint64_t svm_retries_total(const struct svm_stats *s);
/* Value below which fraction q (0..1) of a log2 histogram (a __u64
 * [SVM_HIST_SLOTS] array of struct svm_lat) lies: the upper bound 2^(k+1)
 * of the slot that holds it (never understates); 0 if empty. */
uint64_t svm_hist_quantile(const void *hist, double q);

extern const char *const svm_access_name[SVM_ACC_MAX];	/* read, write... */
extern const char *const svm_outcome_name[SVM_OUT_MAX];	/* valid, ... */
extern const char *const svm_retry_name[SVM_RETRY_MAX];	/* migrate, ... */
extern const char *const svm_dir_name[SVM_DIR_MAX];	/* to_vram, to_sysmem */
extern const char *const svm_trigger_name[SVM_TRIG_MAX]; /* gpu_fault, ... */

/*
 * The SVM part of `svmtop stat --bpf` (cli/svmstat.c): open a BPF backend
 * (NULL when none works: then stat --bpf shows HMM only) and a debugfs one
 * for the kernel's own counters; print totals since open side by side and
 * one row per (device, GT, process).
 */
struct svm_side;
struct svm_side *svm_side_open(bool verbose);
void svm_side_table(FILE *f, struct svm_side *side);
void svm_side_close(struct svm_side *side);

/* `svmtop probes` and `svmtop dump` (cli/probes.c, cli/svmdump.c). */
int cmd_probes(int argc, char **argv);
int cmd_dump(int argc, char **argv);

#endif
