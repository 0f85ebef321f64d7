/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM fault-path backends: types shared by bpf/svm.bpf.c and cli/svm.c
 * (and, through cli/svm.h, by every view: hist, trace, top, export).
 *
 * One BPF object carries three ways to see the same fault path:
 *   tp    tp_btf programs on the xe_svm tracepoints (debugfs-ext/xe_svm_trace.h)
 *   fentry fentry/fexit on the stock xe / drm_gpusvm / drm_pagemap functions
 *   kprobe kprobe/kretprobe on the same functions
 * All of them fill the same per-CPU hash "svm_stats" keyed by
 * (device, GT, tgid), with monotonic counters only: views compute deltas.
 *
 * Identity:
 *   dev  - the DRM primary minor, the N of /sys/kernel/debug/dri/N and of
 *          /dev/dri/cardN.  Tracepoints carry it; the function backends
 *          read vm->xe->drm.primary->index, or for copies the pages'
 *          dev_pagemap owner (the xe device).  SVM_DEV_UNKNOWN when it
 *          cannot be read.
 *   gt   - the GT the event is charged to; SVM_GT_NONE (-1) for work that
 *          belongs to the device rather than one GT: invalidations, the
 *          garbage collector, CPU-fault migrations and evictions.  (The
 *          kernel's GT stats charge those to the migrate engine's GT 0.)
 *   tgid - the process that owns the VM (vm->xef->pid, else the owner of
 *          the VM's mm), never the kworker that serviced the fault.  A CPU
 *          fault migrating VRAM back is charged to the faulting task.
 *
 * Bounds: at most SVM_MAX_KEYS (device, GT, tgid) entries, preallocated
 * (~1.9 KiB each per possible CPU: 288 entries ~ 0.55 MiB per CPU); once full, new
 * keys are counted in the entry { dev, gt, SVM_TGID_OTHER } (created on
 * demand from a reserved slot, so it always fits) and svm_health.key_overflow
 * says how many events went there.
 *
 * Only fixed-size integer types here: compiled for BPF and user space.
 */
#ifndef SVMTOP_SVM_H
#define SVMTOP_SVM_H

#include <linux/types.h>

#define SVM_MAX_KEYS		256	/* (dev, gt, tgid) entries tracked */
#define SVM_MAX_OTHER		32	/* reserve for the "other" entries */
#define SVM_TGID_OTHER		0xffffffffu
#define SVM_TGID_UNKNOWN	0u	/* VM without owner (kernel-internal) */
#define SVM_GT_NONE		(-1)
#define SVM_DEV_UNKNOWN		(-1)

/* log2 latency slots: slot k holds [2^k, 2^(k+1)) ns; the last is open. */
#define SVM_HIST_SLOTS		32
#define SVM_COMM_LEN		16

/* Access type of a GPU fault (tracepoint field "access"). */
enum svm_access {
	SVM_ACC_READ,
	SVM_ACC_WRITE,
	SVM_ACC_ATOMIC,
	SVM_ACC_PREFETCH,
	/*
	 * Read or write: the function backends only see the handler's
	 * "atomic" argument, not whether a non-atomic access wrote.
	 */
	SVM_ACC_RW,
	SVM_ACC_MAX,
};

/* How a fault ended (tracepoint field "outcome"). */
enum svm_outcome {
	SVM_OUT_VALID,		/* range already valid: nothing to do */
	SVM_OUT_MIGRATED,	/* migrated to VRAM and bound */
	SVM_OUT_SYSMEM,		/* bound from system memory */
	SVM_OUT_VRAM,		/* bound from VRAM without migrating */
	SVM_OUT_ERROR,		/* failed (the handler returned -errno) */
	SVM_OUT_MAX,
};

/* Why a fault went round its retry loop again. */
enum svm_retry {
	SVM_RETRY_MIGRATE,	/* VRAM allocation / migration failed */
	SVM_RETRY_GET_PAGES,	/* get pages: -EOPNOTSUPP / -EFAULT / -EPERM */
	SVM_RETRY_BIND,		/* bind: -EAGAIN (CPU mappings moved) */
	SVM_RETRY_VMA_SPLIT,	/* VMA split under the fault (xe ~6.18+) */
	SVM_RETRY_GC,		/* range was unmapped: collect, look again */
	SVM_RETRY_MAX,
};

enum svm_dir {
	SVM_DIR_TO_VRAM,
	SVM_DIR_TO_SYSMEM,
	SVM_DIR_MAX,
};

enum svm_trigger {
	SVM_TRIG_GPU_FAULT,
	SVM_TRIG_CPU_FAULT,
	SVM_TRIG_EVICTION,
	SVM_TRIG_PREFETCH,
	SVM_TRIG_MAX,
};

struct svm_key {
	__s32 dev;
	__s32 gt;
	__u32 tgid;
	__u32 pad;		/* zero */
};

/* Count, time and log2 histogram of one kind of operation. */
struct svm_lat {
	__u64 count;
	__u64 errors;		/* ... that returned an error */
	__u64 ns_sum;
	__u64 hist[SVM_HIST_SLOTS];
};

struct svm_mig {
	__u64 count;		/* successful migrations */
	__u64 bytes;		/* bytes moved by them */
	__u64 failed;		/* migrations that failed (moved nothing usable) */
};

/* The value of "svm_stats" (summed over CPUs in user space). */
struct svm_stats {
	/* GPU faults: one per call of the handler, whatever its retries */
	__u64 faults[SVM_ACC_MAX][SVM_OUT_MAX];
	struct svm_lat fault;		/* handler entry -> exit */
	__u64 retries[SVM_RETRY_MAX];

	/* migrations by direction and trigger; latency by direction */
	struct svm_mig mig[SVM_DIR_MAX][SVM_TRIG_MAX];
	struct svm_lat mig_lat[SVM_DIR_MAX];

	struct svm_lat get_pages;
	struct svm_lat bind;

	/* garbage collector runs that removed >= 1 range */
	__u64 gc_runs;
	__u64 gc_ranges;
	__u64 gc_bytes;
	__u64 gc_ns;

	/* MMU-notifier invalidation callbacks that hit >= 1 range */
	__u64 inval;
	__u64 inval_ranges;
	__u64 inval_tlb;		/* TLB invalidations issued (tp only) */
	__u64 inval_ns;
};

/* Backend-wide health (per-CPU array "svm_health", one entry). */
struct svm_health {
	__u64 events;		/* events aggregated (every program run that counted) */
	__u64 key_overflow;	/* events counted in a SVM_TGID_OTHER entry */
	__u64 key_lost;		/* events dropped: not even "other" fitted */
	__u64 state_full;	/* per-thread call state could not be saved */
	__u64 orphan_return;	/* function return without its entry */
	__u64 unattributed;	/* VM without xef and without mm owner */
};

/* Value of the hash "svm_comms", keyed by tgid. */
struct svm_comm {
	char comm[SVM_COMM_LEN];
};

#endif
