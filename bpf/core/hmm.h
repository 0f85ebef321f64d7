/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Heterogeneous memory management and device migration types
 * (include/linux/hmm.h, include/linux/mmu_notifier.h,
 * include/linux/migrate.h) and the flag values of their uapi-like
 * contracts, which are stable since their introduction.
 */
#ifndef SVMTOP_BPF_CORE_HMM_H
#define SVMTOP_BPF_CORE_HMM_H

struct mm_struct;
struct vm_area_struct;
struct page;

/* A driver's subscription to invalidations of a range of one mm. */
struct mmu_interval_notifier {
	struct mm_struct *mm;
} __core;

/* Argument of hmm_range_fault(): the range [start, end) to fault/snapshot. */
struct hmm_range {
	struct mmu_interval_notifier *notifier;
	unsigned long start;
	unsigned long end;
	unsigned long default_flags;
} __core;

/*
 * Argument of migrate_vma_setup/pages/finalize.  npages and cpages are
 * outputs of migrate_vma_setup(): entries walked and pages collected
 * (isolated and unmapped, ready to copy).  fault_page is set by a
 * dev_pagemap_ops.migrate_to_ram() handler: a CPU fault on a
 * device-private page.
 */
struct migrate_vma {
	struct vm_area_struct *vma;
	unsigned long *dst;
	unsigned long *src;
	unsigned long cpages;
	unsigned long npages;
	unsigned long start;
	unsigned long end;
	unsigned long flags;
	struct page *fault_page;
} __core;

/* migrate_vma.flags: which source pages migrate_vma_setup() collects. */
#define MIGRATE_VMA_SELECT_SYSTEM		(1UL << 0)
#define MIGRATE_VMA_SELECT_DEVICE_PRIVATE	(1UL << 1)
#define MIGRATE_VMA_SELECT_DEVICE_COHERENT	(1UL << 2)

/* Bits of each src[]/dst[] entry. */
#define MIGRATE_PFN_VALID	(1UL << 0)
#define MIGRATE_PFN_MIGRATE	(1UL << 1)

#endif
