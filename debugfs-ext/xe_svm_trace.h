/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xe_svm tracepoints: the SVM fault path of a GPU driver (xe, or svmtop's
 * simulated GPU), field by field documented in README.md beside this file.
 *
 * Every argument is a scalar so that a driver can include this header
 * unchanged, whatever its own types look like.  Every event carries:
 *   dev  - DRM primary minor (the N of /sys/kernel/debug/dri/N)
 *   gt   - GT id the event is charged to, -1 if not tied to one GT
 *   asid - the VM's address-space id
 *   tgid - thread-group id of the process that created the VM (the fault
 *          worker is a kworker, so current is not the process)
 * Durations are nanoseconds; errno values are 0 or negative.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xe_svm

#if !defined(_XE_SVM_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _XE_SVM_TRACE_H_

#include <linux/tracepoint.h>
#include <linux/types.h>

TRACE_EVENT(xe_svm_fault_begin,
	TP_PROTO(int dev, int gt, u32 asid, int tgid, u64 addr, u8 access),
	TP_ARGS(dev, gt, asid, tgid, addr, access),
	TP_STRUCT__entry(
		__field(int, dev)
		__field(int, gt)
		__field(u32, asid)
		__field(int, tgid)
		__field(u64, addr)
		__field(u8, access)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->gt = gt;
		__entry->asid = asid;
		__entry->tgid = tgid;
		__entry->addr = addr;
		__entry->access = access;
	),
	TP_printk("dev=%d gt=%d asid=%u tgid=%d addr=0x%llx access=%s",
		  __entry->dev, __entry->gt, __entry->asid,
		  __entry->tgid, __entry->addr,
		  __print_symbolic(__entry->access, { 0, "read" }, { 1, "write" },
				   { 2, "atomic" }, { 3, "prefetch" }))
);

TRACE_EVENT(xe_svm_fault_end,
	TP_PROTO(int dev, int gt, u32 asid, int tgid, u64 addr, u8 access,
		 u64 range_start, u64 range_size, int err, u8 outcome,
		 u32 retries, u64 duration_ns),
	TP_ARGS(dev, gt, asid, tgid, addr, access, range_start,
		range_size, err, outcome, retries, duration_ns),
	TP_STRUCT__entry(
		__field(int, dev)
		__field(int, gt)
		__field(u32, asid)
		__field(int, tgid)
		__field(u64, addr)
		__field(u64, range_start)
		__field(u64, range_size)
		__field(u64, duration_ns)
		__field(int, err)
		__field(u32, retries)
		__field(u8, access)
		__field(u8, outcome)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->gt = gt;
		__entry->asid = asid;
		__entry->tgid = tgid;
		__entry->addr = addr;
		__entry->range_start = range_start;
		__entry->range_size = range_size;
		__entry->duration_ns = duration_ns;
		__entry->err = err;
		__entry->retries = retries;
		__entry->access = access;
		__entry->outcome = outcome;
	),
	TP_printk("dev=%d gt=%d asid=%u tgid=%d addr=0x%llx access=%s range_start=0x%llx range_size=%llu err=%d outcome=%s retries=%u duration_ns=%llu",
		  __entry->dev, __entry->gt, __entry->asid,
		  __entry->tgid, __entry->addr,
		  __print_symbolic(__entry->access, { 0, "read" }, { 1, "write" },
				   { 2, "atomic" }, { 3, "prefetch" }),
		  __entry->range_start, __entry->range_size, __entry->err,
		  __print_symbolic(__entry->outcome, { 0, "valid" }, { 1, "migrated" }, { 2, "sysmem" },
	{ 3, "vram" }, { 4, "error" }),
		  __entry->retries, __entry->duration_ns)
);

TRACE_EVENT(xe_svm_fault_retry,
	TP_PROTO(int dev, int gt, u32 asid, int tgid, u64 addr, u8 reason, u32 attempt,
		 int err),
	TP_ARGS(dev, gt, asid, tgid, addr, reason, attempt, err),
	TP_STRUCT__entry(
		__field(int, dev)
		__field(int, gt)
		__field(u32, asid)
		__field(int, tgid)
		__field(u64, addr)
		__field(int, err)
		__field(u32, attempt)
		__field(u8, reason)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->gt = gt;
		__entry->asid = asid;
		__entry->tgid = tgid;
		__entry->addr = addr;
		__entry->err = err;
		__entry->attempt = attempt;
		__entry->reason = reason;
	),
	TP_printk("dev=%d gt=%d asid=%u tgid=%d addr=0x%llx reason=%s attempt=%u err=%d",
		  __entry->dev, __entry->gt, __entry->asid,
		  __entry->tgid, __entry->addr,
		  __print_symbolic(__entry->reason, { 0, "migrate" }, { 1, "get_pages" }, { 2, "bind_eagain" },
	{ 3, "vma_split" }, { 4, "gc" }),
		  __entry->attempt, __entry->err)
);

TRACE_EVENT(xe_svm_migrate,
	TP_PROTO(int dev, int gt, u32 asid, int tgid, u8 dir, u8 trigger, u64 start,
		 u64 size, u64 bytes, u64 duration_ns, int result),
	TP_ARGS(dev, gt, asid, tgid, dir, trigger, start, size, bytes,
		duration_ns, result),
	TP_STRUCT__entry(
		__field(int, dev)
		__field(int, gt)
		__field(u32, asid)
		__field(int, tgid)
		__field(u64, start)
		__field(u64, size)
		__field(u64, bytes)
		__field(u64, duration_ns)
		__field(int, result)
		__field(u8, dir)
		__field(u8, trigger)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->gt = gt;
		__entry->asid = asid;
		__entry->tgid = tgid;
		__entry->start = start;
		__entry->size = size;
		__entry->bytes = bytes;
		__entry->duration_ns = duration_ns;
		__entry->result = result;
		__entry->dir = dir;
		__entry->trigger = trigger;
	),
	TP_printk("dev=%d gt=%d asid=%u tgid=%d dir=%s trigger=%s start=0x%llx size=%llu bytes=%llu duration_ns=%llu result=%d",
		  __entry->dev, __entry->gt, __entry->asid,
		  __entry->tgid,
		  __print_symbolic(__entry->dir, { 0, "to_vram" }, { 1, "to_sysmem" }),
		  __print_symbolic(__entry->trigger, { 0, "gpu_fault" }, { 1, "cpu_fault" }, { 2, "eviction" },
	{ 3, "prefetch" }),
		  __entry->start, __entry->size, __entry->bytes,
		  __entry->duration_ns, __entry->result)
);

TRACE_EVENT(xe_svm_get_pages,
	TP_PROTO(int dev, int gt, u32 asid, int tgid, u64 start, u64 size, u8 devmem,
		 u64 duration_ns, int result),
	TP_ARGS(dev, gt, asid, tgid, start, size, devmem, duration_ns,
		result),
	TP_STRUCT__entry(
		__field(int, dev)
		__field(int, gt)
		__field(u32, asid)
		__field(int, tgid)
		__field(u64, start)
		__field(u64, size)
		__field(u64, duration_ns)
		__field(int, result)
		__field(u8, devmem)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->gt = gt;
		__entry->asid = asid;
		__entry->tgid = tgid;
		__entry->start = start;
		__entry->size = size;
		__entry->duration_ns = duration_ns;
		__entry->result = result;
		__entry->devmem = devmem;
	),
	TP_printk("dev=%d gt=%d asid=%u tgid=%d start=0x%llx size=%llu devmem=%u duration_ns=%llu result=%d",
		  __entry->dev, __entry->gt, __entry->asid,
		  __entry->tgid, __entry->start, __entry->size,
		  __entry->devmem, __entry->duration_ns, __entry->result)
);

TRACE_EVENT(xe_svm_bind,
	TP_PROTO(int dev, int gt, u32 asid, int tgid, u64 start, u64 size,
		 u64 duration_ns, int result),
	TP_ARGS(dev, gt, asid, tgid, start, size, duration_ns, result),
	TP_STRUCT__entry(
		__field(int, dev)
		__field(int, gt)
		__field(u32, asid)
		__field(int, tgid)
		__field(u64, start)
		__field(u64, size)
		__field(u64, duration_ns)
		__field(int, result)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->gt = gt;
		__entry->asid = asid;
		__entry->tgid = tgid;
		__entry->start = start;
		__entry->size = size;
		__entry->duration_ns = duration_ns;
		__entry->result = result;
	),
	TP_printk("dev=%d gt=%d asid=%u tgid=%d start=0x%llx size=%llu duration_ns=%llu result=%d",
		  __entry->dev, __entry->gt, __entry->asid,
		  __entry->tgid, __entry->start, __entry->size,
		  __entry->duration_ns, __entry->result)
);

TRACE_EVENT(xe_svm_invalidate,
	TP_PROTO(int dev, int gt, u32 asid, int tgid, u64 start, u64 end, u8 mmu_event,
		 u32 ranges, u32 tlb_invals, u64 duration_ns),
	TP_ARGS(dev, gt, asid, tgid, start, end, mmu_event, ranges,
		tlb_invals, duration_ns),
	TP_STRUCT__entry(
		__field(int, dev)
		__field(int, gt)
		__field(u32, asid)
		__field(int, tgid)
		__field(u64, start)
		__field(u64, end)
		__field(u64, duration_ns)
		__field(u32, ranges)
		__field(u32, tlb_invals)
		__field(u8, mmu_event)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->gt = gt;
		__entry->asid = asid;
		__entry->tgid = tgid;
		__entry->start = start;
		__entry->end = end;
		__entry->duration_ns = duration_ns;
		__entry->ranges = ranges;
		__entry->tlb_invals = tlb_invals;
		__entry->mmu_event = mmu_event;
	),
	TP_printk("dev=%d gt=%d asid=%u tgid=%d start=0x%llx end=0x%llx mmu_event=%u ranges=%u tlb_invals=%u duration_ns=%llu",
		  __entry->dev, __entry->gt, __entry->asid,
		  __entry->tgid, __entry->start, __entry->end,
		  __entry->mmu_event, __entry->ranges, __entry->tlb_invals,
		  __entry->duration_ns)
);

TRACE_EVENT(xe_svm_gc,
	TP_PROTO(int dev, int gt, u32 asid, int tgid, u32 ranges, u64 bytes,
		 u64 duration_ns, int result),
	TP_ARGS(dev, gt, asid, tgid, ranges, bytes, duration_ns, result),
	TP_STRUCT__entry(
		__field(int, dev)
		__field(int, gt)
		__field(u32, asid)
		__field(int, tgid)
		__field(u64, bytes)
		__field(u64, duration_ns)
		__field(u32, ranges)
		__field(int, result)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->gt = gt;
		__entry->asid = asid;
		__entry->tgid = tgid;
		__entry->bytes = bytes;
		__entry->duration_ns = duration_ns;
		__entry->ranges = ranges;
		__entry->result = result;
	),
	TP_printk("dev=%d gt=%d asid=%u tgid=%d ranges=%u bytes=%llu duration_ns=%llu result=%d",
		  __entry->dev, __entry->gt, __entry->asid,
		  __entry->tgid, __entry->ranges, __entry->bytes,
		  __entry->duration_ns, __entry->result)
);

#endif /* _XE_SVM_TRACE_H_ */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE xe_svm_trace
#include <trace/define_trace.h>
