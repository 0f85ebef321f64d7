// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmtop trace: one ring-buffer record per xe_svm tracepoint hit
 * (include/trace.h has the record and what each field means).
 *
 * Kept apart from bpf/svm.bpf.c: the aggregating backends never pay for a
 * ring buffer, and this object is only loaded while someone follows the
 * stream.  A record that does not fit (reader too slow, buffer full) is
 * counted in trace_lost[type] on this CPU and dropped, never waited for:
 * the programs run in the fault path.
 */
#include "core/core.h"

#include "trace.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 filter_tgid;	/* 0: every process */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	/* user space sets the size (--ringbuf-pages) before load */
	__uint(max_entries, TRACE_RINGBUF_PAGES * 4096);
} trace_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TRACE_TYPE_MAX);
	__type(key, __u32);
	__type(value, __u64);
} trace_lost SEC(".maps");

/* Reserve a record of type t for process tgid; NULL: filtered or lost. */
static __always_inline struct trace_event *ev_new(__u32 t, int dev, int gt,
						  __u32 asid, int tgid)
{
	struct trace_event *e;
	__u64 *lost;
	__u32 cur;

	if (filter_tgid && (__u32)tgid != filter_tgid)
		return NULL;
	e = bpf_ringbuf_reserve(&trace_events, sizeof(*e), 0);
	if (!e) {
		lost = bpf_map_lookup_elem(&trace_lost, &t);
		if (lost)
			__sync_fetch_and_add(lost, 1);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	cur = bpf_get_current_pid_tgid() >> 32;
	e->ts = bpf_ktime_get_ns();
	e->type = t;
	e->dev = dev;
	e->gt = gt;
	e->asid = asid;
	e->tgid = tgid;
	e->cur_tgid = cur;
	/* Faults run in kworkers: only the process's own task names it. */
	if (cur == (__u32)tgid)
		bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

SEC("tp_btf/xe_svm_fault_begin")
int BPF_PROG(tr_fault_begin, int dev, int gt, u32 asid, int tgid, u64 addr,
	     u8 access)
{
	struct trace_event *e = ev_new(TRACE_FAULT_BEGIN, dev, gt, asid, tgid);

	if (!e)
		return 0;
	e->addr = addr;
	e->code = access;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/xe_svm_fault_end")
int BPF_PROG(tr_fault_end, int dev, int gt, u32 asid, int tgid, u64 addr,
	     u8 access, u64 range_start, u64 range_size, int err, u8 outcome,
	     u32 retries, u64 duration_ns)
{
	struct trace_event *e = ev_new(TRACE_FAULT_END, dev, gt, asid, tgid);

	if (!e)
		return 0;
	e->addr = addr;
	e->start = range_start;
	e->size = range_size;
	e->err = err;
	e->count = retries;
	e->duration_ns = duration_ns;
	e->code = access;
	e->code2 = outcome;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/xe_svm_fault_retry")
int BPF_PROG(tr_fault_retry, int dev, int gt, u32 asid, int tgid, u64 addr,
	     u8 reason, u32 attempt, int err)
{
	struct trace_event *e = ev_new(TRACE_FAULT_RETRY, dev, gt, asid, tgid);

	if (!e)
		return 0;
	e->addr = addr;
	e->code = reason;
	e->count = attempt;
	e->err = err;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/xe_svm_migrate")
int BPF_PROG(tr_migrate, int dev, int gt, u32 asid, int tgid, u8 dir,
	     u8 trigger, u64 start, u64 size, u64 bytes, u64 duration_ns,
	     int result)
{
	struct trace_event *e = ev_new(TRACE_MIGRATE, dev, gt, asid, tgid);

	if (!e)
		return 0;
	e->addr = start;
	e->start = start;
	e->size = size;
	e->bytes = bytes;
	e->duration_ns = duration_ns;
	e->err = result;
	e->code = dir;
	e->code2 = trigger;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/xe_svm_get_pages")
int BPF_PROG(tr_get_pages, int dev, int gt, u32 asid, int tgid, u64 start,
	     u64 size, u8 devmem, u64 duration_ns, int result)
{
	struct trace_event *e = ev_new(TRACE_GET_PAGES, dev, gt, asid, tgid);

	if (!e)
		return 0;
	e->addr = start;
	e->start = start;
	e->size = size;
	e->duration_ns = duration_ns;
	e->err = result;
	e->code = devmem;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/xe_svm_bind")
int BPF_PROG(tr_bind, int dev, int gt, u32 asid, int tgid, u64 start,
	     u64 size, u64 duration_ns, int result)
{
	struct trace_event *e = ev_new(TRACE_BIND, dev, gt, asid, tgid);

	if (!e)
		return 0;
	e->addr = start;
	e->start = start;
	e->size = size;
	e->duration_ns = duration_ns;
	e->err = result;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/xe_svm_invalidate")
int BPF_PROG(tr_invalidate, int dev, int gt, u32 asid, int tgid, u64 start,
	     u64 end, u8 mmu_event, u32 ranges, u32 tlb_invals, u64 duration_ns)
{
	struct trace_event *e = ev_new(TRACE_INVALIDATE, dev, gt, asid, tgid);

	if (!e)
		return 0;
	e->addr = start;
	e->start = start;
	e->size = end - start;
	e->duration_ns = duration_ns;
	e->count = ranges;
	e->aux = tlb_invals;
	e->code = mmu_event;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/xe_svm_gc")
int BPF_PROG(tr_gc, int dev, int gt, u32 asid, int tgid, u32 ranges,
	     u64 bytes, u64 duration_ns, int result)
{
	struct trace_event *e = ev_new(TRACE_GC, dev, gt, asid, tgid);

	if (!e)
		return 0;
	e->size = bytes;
	e->bytes = bytes;
	e->duration_ns = duration_ns;
	e->count = ranges;
	e->err = result;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
