/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The generic HMM backend: types shared by bpf/hmm.bpf.c and cli/hmm.c.
 *
 * Everything is aggregated in the kernel, per CPU and per process (tgid),
 * in monotonic counters; user space sums the CPUs and computes rates.
 * Only fixed-size integer types here: this header is compiled both for the
 * BPF target and for user space.
 */
#ifndef SVMTOP_HMM_H
#define SVMTOP_HMM_H

#include <linux/types.h>

/* Processes tracked individually; the rest share the "other" entry. */
#define HMM_MAX_PROCS		1024
/* Key of the entry that absorbs counts once HMM_MAX_PROCS are tracked. */
#define HMM_TGID_OTHER		0xffffffffu
/* Key for work whose process could not be determined (no mm owner). */
#define HMM_TGID_UNKNOWN	0u

/* log2 latency slots: slot k holds [2^k, 2^(k+1)) ns; the last is open. */
#define HMM_HIST_SLOTS		32

#define HMM_COMM_LEN		16

/* hmm_range_fault() results. */
enum hmm_res {
	HMM_RES_OK,		/* 0 */
	HMM_RES_EBUSY,		/* -EBUSY: range invalidated, caller retries */
	HMM_RES_EFAULT,		/* -EFAULT: no vma or no access */
	HMM_RES_EPERM,		/* -EPERM: write to a read-only mapping */
	HMM_RES_OTHER,		/* any other error */
	HMM_RES_MAX,
};

/*
 * Migration direction, from migrate_vma.flags: a selection that includes
 * system pages (MIGRATE_VMA_SELECT_SYSTEM) moves memory to the device;
 * one that selects only device pages (DEVICE_PRIVATE, DEVICE_COHERENT)
 * moves it back to system RAM.
 */
enum hmm_dir {
	HMM_DIR_TO_DEVICE,
	HMM_DIR_TO_SYSTEM,
	HMM_DIR_MAX,
};

/* One direction of migrate_vma_setup() -> _pages() -> _finalize(). */
struct hmm_mig_stats {
	__u64 setups;		/* migrate_vma_setup() calls */
	__u64 setup_errors;	/* ... that returned an error */
	__u64 pages_requested;	/* (end - start) / PAGE_SIZE at setup */
	__u64 pages_collected;	/* cpages after a successful setup */
	__u64 pages_calls;	/* migrate_vma_pages() calls */
	__u64 finalizes;	/* migrate_vma_finalize() calls */
	__u64 pages_migrated;	/* src[i] & MIGRATE_PFN_MIGRATE at finalize */
	__u64 ns_sum;		/* setup entry -> finalize return */
	__u64 collect_ns_sum;	/* setup entry -> setup return */
	__u64 copy_ns_sum;	/* setup return -> migrate_vma_pages() */
	__u64 hist[HMM_HIST_SLOTS]; /* setup entry -> finalize return, ns */
};

/* Per process (tgid): the value of the per-CPU hash "hmm_procs". */
struct hmm_proc_stats {
	/* hmm_range_fault() */
	__u64 hrf_calls;
	__u64 hrf_pages;	/* (end - start) / PAGE_SIZE requested */
	__u64 hrf_result[HMM_RES_MAX];
	__u64 hrf_ns_sum;
	__u64 hrf_hist[HMM_HIST_SLOTS];

	struct hmm_mig_stats mig[HMM_DIR_MAX];

	/*
	 * Migrations started by a CPU fault on a device page (migrate_to_ram,
	 * migrate_vma.fault_page != NULL); also counted in mig[TO_SYSTEM].
	 */
	__u64 cpu_faults;
	__u64 cpu_fault_pages;	/* pages migrated back by those faults */

	/*
	 * Page-table walks: every hmm_range_fault() call plus every
	 * successful migrate_vma_setup() call.  walk_ops counts operations:
	 * a walk starts a new operation unless the same thread's previous
	 * walk was on the same mm and the range overlaps the operation's
	 * range so far (then it is a re-walk of that operation).  See
	 * tests/vm/hmm-expected.md.
	 */
	__u64 walks;
	__u64 walk_ops;
};

/* Backend-wide health counters (per-CPU array "hmm_health", one entry). */
struct hmm_health {
	__u64 proc_overflow;	/* events counted in the "other" entry */
	__u64 proc_lost;	/* events lost: "other" entry missing */
	__u64 call_stash_full;	/* entry->exit state could not be saved */
	__u64 call_lost_return;	/* entry seen twice without its return */
	__u64 call_orphan_return; /* return without its entry (attach race) */
	__u64 mig_pending_full;	/* migration state could not be saved */
	__u64 mig_orphan;	/* pages()/finalize() without a seen setup */
	__u64 mig_count_truncated; /* src[] longer than the counting bound */
	__u64 unattributed;	/* events whose mm has no owner */
};

/*
 * Device-wide (per-CPU array "hmm_evict", one entry): a driver migrating
 * its own device memory back without a vma, by pfn range
 * (migrate_device_range() -> migrate_device_pages() ->
 * migrate_device_finalize()): eviction, device removal.  No mm, so no
 * process to charge.
 */
struct hmm_evict_stats {
	__u64 ranges;		/* migrate_device_range() calls */
	__u64 range_errors;	/* ... that returned an error */
	__u64 pages_requested;	/* npages */
	__u64 pages_collected;	/* src[i] & MIGRATE_PFN_MIGRATE after the call */
	__u64 pages_calls;	/* migrate_device_pages() calls */
	__u64 finalizes;	/* migrate_device_finalize() of those ranges */
	__u64 pages_migrated;	/* src[i] & MIGRATE_PFN_MIGRATE at finalize */
	__u64 ns_sum;		/* range entry -> finalize return */
};

/* Value of the hash "hmm_comms": the process name, set once per tgid. */
struct hmm_comm {
	char comm[HMM_COMM_LEN];
};

/* Bound on src[] entries inspected per finalize (4 GiB of 4K pages). */
#define HMM_MAX_COUNT_PAGES	(1u << 20)

#endif
