/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The generic HMM backend, user side: choose fentry or kprobe per target
 * function, load and attach bpf/hmm.bpf.c, read and sum its per-CPU maps.
 */
#ifndef SVMTOP_CLI_HMM_H
#define SVMTOP_CLI_HMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The map types shared with BPF (this file shadows the name "hmm.h"). */
#include "../include/hmm.h"

enum hmm_mode {
	HMM_MODE_AUTO,		/* fentry/fexit where it attaches, else kprobe */
	HMM_MODE_FENTRY,	/* fentry/fexit only */
	HMM_MODE_KPROBE,	/* kprobe/kretprobe only */
};

enum hmm_kind {
	HMM_KIND_NONE,		/* not attached: see why */
	HMM_KIND_FENTRY,
	HMM_KIND_KPROBE,
};

#define HMM_N_TARGETS 7

struct hmm_target {
	const char *func;	/* kernel function */
	enum hmm_kind kind;	/* how it is attached */
	char why[160];		/* HMM_KIND_NONE: one line, why not */
};

struct hmm_opts {
	enum hmm_mode mode;
	uint32_t filter_tgid;	/* 0: every process */
	bool verbose;		/* libbpf debug output */
};

struct hmm_proc {
	uint32_t tgid;
	char comm[HMM_COMM_LEN];
	struct hmm_proc_stats st;
};

struct hmm_snapshot {
	size_t n;
	struct hmm_proc *v;		/* sorted by tgid */
	struct hmm_proc_stats total;	/* sum of v[] */
	struct hmm_evict_stats evict;	/* device-wide, no process */
	struct hmm_health health;
};

struct hmm_backend;

/*
 * Probe, load and attach.  Prints one line per problem (a target that
 * cannot attach is reported and skipped) and returns an EXIT_* code; on
 * EXIT_OK *out is ready to read.
 */
int hmm_backend_open(const struct hmm_opts *o, struct hmm_backend **out);
const struct hmm_target *hmm_backend_targets(const struct hmm_backend *b);
/* Read every CPU's counters; 0 or -errno. */
int hmm_backend_read(struct hmm_backend *b, struct hmm_snapshot *s);
void hmm_backend_close(struct hmm_backend *b);

void hmm_snapshot_free(struct hmm_snapshot *s);
const char *hmm_kind_name(enum hmm_kind k);

/* dst += src, field by field (every field is a __u64 counter). */
void hmm_stats_add(struct hmm_proc_stats *dst, const struct hmm_proc_stats *src);
void hmm_health_add(struct hmm_health *dst, const struct hmm_health *src);

/* Scalar counters of struct hmm_proc_stats by name, for the writers. */
struct hmm_field {
	const char *name;	/* JSON key */
	size_t off;		/* offset in struct hmm_proc_stats */
};
extern const struct hmm_field hmm_fields[];
extern const size_t hmm_n_fields;
/* The same for struct hmm_evict_stats (names without "evict_"). */
extern const struct hmm_field hmm_evict_fields[];
extern const size_t hmm_n_evict_fields;
static inline uint64_t hmm_field_get(const struct hmm_proc_stats *s,
				     const struct hmm_field *f)
{
	return *(const uint64_t *)((const char *)s + f->off);
}

/* Per-process Prometheus series (--per-process[=N]): default N, cap. */
#define HMM_PROM_PROCS_DEFAULT	10
#define HMM_PROM_PROCS_MAX	100

/*
 * The HMM backend's Prometheus families (text format 0.0.4, cumulative
 * counters, base units) for snapshot cur, without svmtop_build_info; with
 * per-process series for the nprocs busiest processes (0: none, capped at
 * HMM_PROM_PROCS_MAX).  probe_gauge adds svmtop_hmm_probe_attached (stat
 * --bpf; `svmtop export` reports probes in svmtop_probe_attached itself).
 */
struct hmm_snapshot;
void hmm_write_prom_families(FILE *f, const struct hmm_snapshot *cur,
			     const struct hmm_target *targets, int nprocs,
			     bool probe_gauge);

/* `svmtop stat --bpf` (cli/bpfstat.c): does argv ask for it, and run it. */
bool stat_wants_bpf(int argc, char **argv);
int cmd_stat_bpf(int argc, char **argv);

extern const char *const hmm_dir_name[HMM_DIR_MAX];	/* to_device, ... */
extern const char *const hmm_res_name[HMM_RES_MAX];	/* ok, ebusy, ... */

#endif
