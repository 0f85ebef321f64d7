/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svmtop trace: the event stream, shared by bpf/trace.bpf.c and cli/trace.c.
 *
 * A separate BPF object from bpf/svm.bpf.c so that the aggregation path
 * (stat, hist, export) carries no ring buffer at all.  One record per
 * xe_svm tracepoint hit goes into the BPF ring buffer "trace_events";
 * when bpf_ringbuf_reserve() fails the event is counted, per event type,
 * in the per-CPU array "trace_lost", so delivered + lost = emitted exactly.
 *
 * Only fixed-size integer types here: compiled for BPF and user space.
 */
#ifndef SVMTOP_TRACE_H
#define SVMTOP_TRACE_H

#include <linux/types.h>

#define TRACE_COMM_LEN		16
#define TRACE_RINGBUF_PAGES	64	/* default: 256 KiB with 4 KiB pages */

/* fault access as the function backends see it (enum svm_access values) */
#define TRACE_ACC_ATOMIC	2
#define TRACE_ACC_RW		4
/* code2 / count not known (function backends): outcome, retries */
#define TRACE_UNKNOWN		0xff

enum trace_type {
	TRACE_FAULT_BEGIN,
	TRACE_FAULT_END,
	TRACE_FAULT_RETRY,
	TRACE_MIGRATE,
	TRACE_GET_PAGES,
	TRACE_BIND,
	TRACE_INVALIDATE,
	TRACE_GC,
	TRACE_TYPE_MAX,
};

/*
 * One event.  Fields a type does not have stay zero; which ones each type
 * fills is listed in cli/trace.c (and man/svmtop.8).
 *   addr     fault address (fault_*), else the range start
 *   size     range size; invalidate: end - start; gc: bytes removed
 *   bytes    migrate: bytes moved
 *   err      fault_end / retry: -errno; migrate/get_pages/bind/gc: result
 *   count    fault_end: retries; retry: attempt; invalidate/gc: ranges
 *   aux      invalidate: TLB invalidations
 *   code     fault_*: access; retry: reason; migrate: direction;
 *            get_pages: devmem; invalidate: mmu_event
 *   code2    fault_end: outcome; migrate: trigger
 */
struct trace_event {
	__u64 ts;		/* bpf_ktime_get_ns() (CLOCK_MONOTONIC) */
	__u64 addr;
	__u64 start;		/* fault_end: range start */
	__u64 size;
	__u64 bytes;
	__u64 duration_ns;
	__s32 dev;
	__s32 gt;
	__u32 asid;
	__u32 tgid;		/* the VM's process (not the kworker) */
	__u32 cur_tgid;		/* the task the event ran in */
	__s32 err;
	__u32 count;
	__u32 aux;
	__u8 type;		/* enum trace_type */
	__u8 code;
	__u8 code2;
	__u8 pad[5];
	char comm[TRACE_COMM_LEN];	/* current's comm when it is tgid */
};

#endif
