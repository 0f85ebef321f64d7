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
 *
 * On kernels without the tracepoints (stock xe), fentry/fexit or
 * kprobe/kretprobe on xe_svm_handle_pagefault give fault_begin and
 * fault_end: device, GT, ASID, the VM's process, address, atomic or not,
 * -errno and duration; outcome and retries are not known there
 * (TRACE_UNKNOWN).  User space keeps one set of programs.
 */
#include "core/core.h"
#include "core/sched.h"
#include "core/mm.h"
#include "core/xe.h"

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

/* ==== stock kernels: xe_svm_handle_pagefault ============================ */

struct pf_start {
	__u64 ts;
	__u64 addr;
	__s32 dev;
	__s32 gt;
	__u32 asid;
	__u32 tgid;
	__u8 access;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);	/* fault workers in flight */
	__type(key, __u32);
	__type(value, struct pf_start);
} trace_pf SEC(".maps");

/* The VM's process: vm->xef->pid, else the owner of the mirrored mm. */
static __always_inline __u32 vm_tgid(struct xe_vm *vm)
{
	struct xe_file *xef = BPF_CORE_READ(vm, xef);
	struct mm_struct *mm;
	struct task_struct *owner = NULL;
	__u32 t = 0;

	if (xef)
		t = BPF_CORE_READ(xef, pid);
	if (t)
		return t;
	mm = BPF_CORE_READ(vm, svm.gpusvm.mm);
	if (mm && bpf_core_field_exists(mm->owner))
		owner = BPF_CORE_READ(mm, owner);
	return owner ? BPF_CORE_READ(owner, tgid) : 0;
}

static __always_inline void pf_begin(struct xe_vm *vm, struct xe_gt *gt,
				     __u64 addr, bool atomic)
{
	struct pf_start f = {};
	struct xe_device *xe = BPF_CORE_READ(vm, xe);
	struct trace_event *e;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	f.ts = bpf_ktime_get_ns();
	f.addr = addr;
	f.dev = xe ? BPF_CORE_READ(xe, drm.primary, index) : -1;
	f.gt = gt ? BPF_CORE_READ(gt, info.id) : -1;
	f.asid = BPF_CORE_READ(vm, usm.asid);
	f.tgid = vm_tgid(vm);
	/* read or write: the handler only knows "atomic" */
	f.access = atomic ? TRACE_ACC_ATOMIC : TRACE_ACC_RW;
	if (filter_tgid && f.tgid != filter_tgid)
		return;
	bpf_map_update_elem(&trace_pf, &tid, &f, BPF_ANY);
	e = ev_new(TRACE_FAULT_BEGIN, f.dev, f.gt, f.asid, f.tgid);
	if (!e)
		return;
	e->addr = addr;
	e->code = f.access;
	bpf_ringbuf_submit(e, 0);
}

static __always_inline void pf_end(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pf_start *f = bpf_map_lookup_elem(&trace_pf, &tid);
	struct trace_event *e;

	if (!f)
		return;
	e = ev_new(TRACE_FAULT_END, f->dev, f->gt, f->asid, f->tgid);
	if (e) {
		e->addr = f->addr;
		e->err = ret;
		e->duration_ns = bpf_ktime_get_ns() - f->ts;
		e->code = f->access;
		e->code2 = TRACE_UNKNOWN;
		e->count = (__u32)-1;
		bpf_ringbuf_submit(e, 0);
	}
	bpf_map_delete_elem(&trace_pf, &tid);
}

SEC("fentry/xe_svm_handle_pagefault")
int BPF_PROG(tr_pf_fentry, struct xe_vm *vm, void *vma, struct xe_gt *gt,
	     u64 addr, bool atomic)
{
	pf_begin(vm, gt, addr, atomic);
	return 0;
}

SEC("fexit/xe_svm_handle_pagefault")
int BPF_PROG(tr_pf_fexit, struct xe_vm *vm, void *vma, struct xe_gt *gt,
	     u64 addr, bool atomic, int ret)
{
	pf_end(ret);
	return 0;
}

SEC("kprobe/xe_svm_handle_pagefault")
int BPF_KPROBE(tr_pf_kprobe, struct xe_vm *vm, void *vma, struct xe_gt *gt,
	       u64 addr, bool atomic)
{
	pf_begin(vm, gt, addr, atomic);
	return 0;
}

SEC("kretprobe/xe_svm_handle_pagefault")
int BPF_KRETPROBE(tr_pf_kretprobe, int ret)
{
	pf_end(ret);
	return 0;
}
