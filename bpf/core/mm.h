/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory-management types (include/linux/mm_types.h, include/linux/mm.h).
 */
#ifndef SVMTOP_BPF_CORE_MM_H
#define SVMTOP_BPF_CORE_MM_H

struct task_struct;

/*
 * owner exists only with CONFIG_MEMCG: it points to the task that owns the
 * address space (normally the thread-group leader; moved to another thread
 * of the same process, or NULL, when that task exits).  Guard every read
 * with bpf_core_field_exists(mm->owner).
 */
struct mm_struct {
	struct task_struct *owner;
} __core;

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	struct mm_struct *vm_mm;
} __core;

/* Opaque here: svmtop only tests page pointers for NULL. */
struct page;

#endif
