/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xe / drm_gpusvm / drm_pagemap types read by bpf/svm.bpf.c: only the
 * members svmtop uses, relocated against the running kernel's BTF (xe.ko,
 * or svmtop's simulated GPU svmsim.ko, which keeps xe's member paths).
 *
 * Layout moves guarded with ___flavor structs and bpf_core_field_exists():
 *   - drm_gpusvm_range flags: range->flags (6.15, 6.16) moved to
 *     range->pages.flags (~6.17+, struct drm_gpusvm_pages);
 *   - mm_struct.owner exists only with CONFIG_MEMCG (core/mm.h);
 *   - page->pgmap (6.12..6.14; the folio's pgmap in newer kernels is not
 *     read: the device is then SVM_DEV_UNKNOWN for copies).
 * Stable since 6.15 (the first kernel with xe SVM): vm->xe, vm->xef->pid,
 * vm->xef->process_name, vm->usm.asid, vm->svm.gpusvm.mm, gt->info.id,
 * xe->drm.primary->index, range->itree.start / .last, devmem->mm.
 */
#ifndef SVMTOP_BPF_CORE_XE_H
#define SVMTOP_BPF_CORE_XE_H

struct mm_struct;

struct drm_minor {
	int index;			/* the N of dri/N */
} __core;

struct drm_device {
	struct drm_minor *primary;
} __core;

struct xe_device {
	struct drm_device drm;
} __core;

struct xe_file {
	pid_t pid;			/* tgid of the process that opened it */
	char *process_name;		/* its comm at open */
} __core;

struct drm_gpusvm {
	struct drm_device *drm;
	struct mm_struct *mm;
} __core;

struct xe_vm {
	struct xe_device *xe;
	struct xe_file *xef;		/* NULL for kernel-internal VMs */
	struct {
		u32 asid;
	} usm;
	struct {
		struct drm_gpusvm gpusvm;
	} svm;
} __core;

struct xe_gt {
	struct {
		u8 id;
	} info;
} __core;

struct interval_tree_node {
	unsigned long start;
	unsigned long last;		/* inclusive */
} __core;

/* 6.15, 6.16: range->flags */
struct drm_gpusvm_range_flags {
	u16 migrate_devmem : 1;
	u16 unmapped : 1;
	u16 partial_unmap : 1;
	u16 has_devmem_pages : 1;
	u16 has_dma_mapping : 1;
} __core;

struct drm_gpusvm_range {
	struct interval_tree_node itree;
	struct drm_gpusvm_range_flags flags;
} __core;

/* ~6.17+: range->pages.flags */
struct drm_gpusvm_pages_flags {
	u16 migrate_devmem : 1;
	u16 unmapped : 1;
	u16 partial_unmap : 1;
	u16 has_devmem_pages : 1;
	u16 has_dma_mapping : 1;
} __core;

struct drm_gpusvm_pages {
	struct drm_gpusvm_pages_flags flags;
} __core;

struct drm_gpusvm_range___pages {
	struct drm_gpusvm_pages pages;
} __core;

struct drm_pagemap_devmem {
	struct mm_struct *mm;
	unsigned long size;
} __core;

struct dev_pagemap {
	void *owner;			/* xe: the xe_device */
} __core;

struct page {
	struct dev_pagemap *pgmap;	/* ZONE_DEVICE pages */
} __core;

struct vm_fault {
	struct page *page;
} __core;

#endif
