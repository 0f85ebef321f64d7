// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmtop's SVM fault-path backends (include/svm.h describes the maps).
 *
 * Three sets of programs fill the same per-CPU map "svm_stats", keyed by
 * (DRM minor, GT, tgid of the VM's process); user space (cli/svm.c) keeps
 * one set and turns the others off with set_autoload(false):
 *
 *   tp_btf   the xe_svm tracepoints (debugfs-ext/xe_svm_trace.h): every
 *            event carries device, GT, tgid, result and duration, so each
 *            program is one map update.
 *   fentry / kprobe   the stock functions of xe, drm_gpusvm, drm_pagemap:
 *            the same numbers derived from calls.  State per thread lives
 *            between the entry and exit of the fault handler
 *            (xe_svm_handle_pagefault): every drm_gpusvm_range_find_or_insert
 *            return inside it starts one iteration of its retry loop, and
 *            the failed step of the previous iteration (migration, get
 *            pages, bind -EAGAIN; none: the range was unmapped and the
 *            garbage collector must run) is the retry's reason.
 *
 * The process is the VM's owner (vm->xef->pid, else vm->svm.gpusvm.mm's
 * owner), never current: faults are serviced in kworkers.  Only a CPU
 * fault migrating VRAM back is charged to current, the faulting task.
 */
#include "core/core.h"
#include "core/sched.h"
#include "core/mm.h"
#include "core/xe.h"
#include "common.bpf.h"

#include "svm.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 page_shift = 12;
const volatile __u32 filter_tgid;	/* 0: every process */

#define E_PERM		1
#define E_FAULT		14
#define E_AGAIN		11
#define E_ALREADY	114
#define E_OPNOTSUPP	95

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SVM_MAX_KEYS + SVM_MAX_OTHER);
	/*
	 * Preallocated: an insert then never needs memory, which fails in
	 * some of the contexts these programs run in (MMU notifiers, CPU
	 * page faults).  Costs (SVM_MAX_KEYS + SVM_MAX_OTHER) * ~1.9 KiB
	 * per possible CPU.
	 */
	__type(key, struct svm_key);
	__type(value, struct svm_stats);
} svm_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SVM_MAX_KEYS);
	__type(key, __u32);
	__type(value, struct svm_comm);
} svm_comms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct svm_health);
} svm_health SEC(".maps");

/* Never written: the zeroed value new svm_stats entries start from. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct svm_stats);
} svm_zero SEC(".maps");

/*
 * Entries in svm_stats, counted here rather than by a failed insert: the
 * last SVM_MAX_OTHER slots stay free for the "other" entries.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} svm_nkeys SEC(".maps");

static __always_inline struct svm_health *health(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&svm_health, &zero);
}

#define HEALTH_INC(f)					\
	do {						\
		struct svm_health *__h = health();	\
		if (__h)				\
			ADD(__h->f, 1);			\
	} while (0)

static __always_inline void comm_set(__u32 tgid, const char *src, bool user_str)
{
	struct svm_comm c = {};

	if (bpf_map_lookup_elem(&svm_comms, &tgid))
		return;
	bpf_probe_read_kernel_str(c.comm, sizeof(c.comm), src);
	bpf_map_update_elem(&svm_comms, &tgid, &c, BPF_NOEXIST);
}

/* Remember current's comm when current is the process itself. */
static __always_inline void comm_current(__u32 tgid)
{
	struct task_struct *cur;

	if (!tgid || bpf_get_current_pid_tgid() >> 32 != tgid)
		return;
	if (bpf_map_lookup_elem(&svm_comms, &tgid))
		return;
	cur = (struct task_struct *)bpf_get_current_task();
	cur = BPF_CORE_READ(cur, group_leader);
	if (cur)
		comm_set(tgid, cur->comm, false);
}

/*
 * The counters of key, created on first use.  Past SVM_MAX_KEYS entries
 * new keys go to { dev, gt, SVM_TGID_OTHER }.
 */
static __always_inline struct svm_stats *stats_get(struct svm_key *k)
{
	struct svm_stats *s, *zero;
	__u32 key0 = 0;
	__u64 *n;

	if (filter_tgid && k->tgid != filter_tgid)
		return NULL;
	HEALTH_INC(events);
	k->pad = 0;
	s = bpf_map_lookup_elem(&svm_stats, k);
	if (s)
		return s;
	zero = bpf_map_lookup_elem(&svm_zero, &key0);
	n = bpf_map_lookup_elem(&svm_nkeys, &key0);
	if (!zero || !n)
		return NULL;
	if (*n >= SVM_MAX_KEYS) {
		k->tgid = SVM_TGID_OTHER;
		HEALTH_INC(key_overflow);
		s = bpf_map_lookup_elem(&svm_stats, k);
		if (s)
			return s;
	}
	if (!bpf_map_update_elem(&svm_stats, k, zero, BPF_NOEXIST))
		ADD(*n, 1);
	s = bpf_map_lookup_elem(&svm_stats, k);
	if (!s)
		HEALTH_INC(key_lost);
	return s;
}

/* Keep clang from folding the bound check away: the verifier needs it. */
#define barrier_var_u32(v) asm volatile("" : "+r"(v))

static __always_inline void inc_idx(__u64 *arr, __u32 idx, __u32 n)
{
	barrier_var_u32(idx);
	if (idx < n)
		ADD(arr[idx], 1);
}

/* mig[d][t] and mig_lat[d] with indexes the verifier sees bounded. */
static __always_inline struct svm_mig *mig_slot(struct svm_stats *s, __u32 d,
						__u32 t)
{
	barrier_var_u32(d);
	barrier_var_u32(t);
	return &s->mig[d & (SVM_DIR_MAX - 1)][t & (SVM_TRIG_MAX - 1)];
}

static __always_inline struct svm_lat *mig_lat(struct svm_stats *s, __u32 d)
{
	barrier_var_u32(d);
	return &s->mig_lat[d & (SVM_DIR_MAX - 1)];
}

static __always_inline void fault_inc(struct svm_stats *s, __u32 acc, __u32 out)
{
	inc_idx(&s->faults[0][0], acc * SVM_OUT_MAX + out,
		SVM_ACC_MAX * SVM_OUT_MAX);
}

static __always_inline void lat_add(struct svm_lat *l, __u64 ns, bool err)
{
	ADD(l->count, 1);
	if (err)
		ADD(l->errors, 1);
	ADD(l->ns_sum, ns);
	ADD(l->hist[log2_slot(ns, SVM_HIST_SLOTS)], 1);
}

static __always_inline void mk_key(struct svm_key *k, int dev, int gt, __u32 tgid)
{
	k->dev = dev;
	k->gt = gt;
	k->tgid = tgid;
	k->pad = 0;
}

/* ==== tp_btf: the xe_svm tracepoints ==================================== */

SEC("tp_btf/xe_svm_fault_end")
int BPF_PROG(tp_fault_end, int dev, int gt, u32 asid, int tgid, u64 addr,
	     u8 access, u64 range_start, u64 range_size, int err, u8 outcome,
	     u32 retries, u64 duration_ns)
{
	struct svm_key k;
	struct svm_stats *s;

	mk_key(&k, dev, gt, tgid);
	s = stats_get(&k);
	if (!s)
		return 0;
	if (access >= SVM_ACC_MAX)
		access = SVM_ACC_RW;
	if (outcome >= SVM_OUT_MAX || err)
		outcome = SVM_OUT_ERROR;
	fault_inc(s, access, outcome);
	lat_add(&s->fault, duration_ns, err != 0);
	return 0;
}

SEC("tp_btf/xe_svm_fault_retry")
int BPF_PROG(tp_fault_retry, int dev, int gt, u32 asid, int tgid, u64 addr,
	     u8 reason, u32 attempt, int err)
{
	struct svm_key k;
	struct svm_stats *s;

	mk_key(&k, dev, gt, tgid);
	s = stats_get(&k);
	if (s)
		inc_idx(s->retries, reason, SVM_RETRY_MAX);
	return 0;
}

SEC("tp_btf/xe_svm_migrate")
int BPF_PROG(tp_migrate, int dev, int gt, u32 asid, int tgid, u8 dir,
	     u8 trigger, u64 start, u64 size, u64 bytes, u64 duration_ns,
	     int result)
{
	__u32 d = dir, t = trigger;
	struct svm_key k;
	struct svm_stats *s;
	struct svm_mig *m;

	barrier_var_u32(d);
	barrier_var_u32(t);
	if (d >= SVM_DIR_MAX || t >= SVM_TRIG_MAX)
		return 0;
	mk_key(&k, dev, gt, tgid);
	s = stats_get(&k);
	if (!s)
		return 0;
	if (trigger == SVM_TRIG_CPU_FAULT)
		comm_current(tgid);
	m = mig_slot(s, d, t);
	if (result || !bytes) {
		ADD(m->failed, 1);
	} else {
		ADD(m->count, 1);
		ADD(m->bytes, bytes);
	}
	lat_add(mig_lat(s, d), duration_ns, result || !bytes);
	return 0;
}

SEC("tp_btf/xe_svm_get_pages")
int BPF_PROG(tp_get_pages, int dev, int gt, u32 asid, int tgid, u64 start,
	     u64 size, u8 devmem, u64 duration_ns, int result)
{
	struct svm_key k;
	struct svm_stats *s;

	mk_key(&k, dev, gt, tgid);
	s = stats_get(&k);
	if (s)
		lat_add(&s->get_pages, duration_ns, result != 0);
	return 0;
}

SEC("tp_btf/xe_svm_bind")
int BPF_PROG(tp_bind, int dev, int gt, u32 asid, int tgid, u64 start,
	     u64 size, u64 duration_ns, int result)
{
	struct svm_key k;
	struct svm_stats *s;

	mk_key(&k, dev, gt, tgid);
	s = stats_get(&k);
	if (s)
		lat_add(&s->bind, duration_ns, result != 0);
	return 0;
}

SEC("tp_btf/xe_svm_invalidate")
int BPF_PROG(tp_invalidate, int dev, int gt, u32 asid, int tgid, u64 start,
	     u64 end, u8 mmu_event, u32 ranges, u32 tlb_invals, u64 duration_ns)
{
	struct svm_key k;
	struct svm_stats *s;

	mk_key(&k, dev, gt, tgid);
	s = stats_get(&k);
	if (!s)
		return 0;
	comm_current(tgid);
	ADD(s->inval, 1);
	ADD(s->inval_ranges, ranges);
	ADD(s->inval_tlb, tlb_invals);
	ADD(s->inval_ns, duration_ns);
	return 0;
}

SEC("tp_btf/xe_svm_gc")
int BPF_PROG(tp_gc, int dev, int gt, u32 asid, int tgid, u32 ranges,
	     u64 bytes, u64 duration_ns, int result)
{
	struct svm_key k;
	struct svm_stats *s;

	mk_key(&k, dev, gt, tgid);
	s = stats_get(&k);
	if (!s)
		return 0;
	ADD(s->gc_runs, 1);
	ADD(s->gc_ranges, ranges);
	ADD(s->gc_bytes, bytes);
	ADD(s->gc_ns, duration_ns);
	return 0;
}

/* ==== fentry / kprobe: the stock functions ============================== */

/* One GPU fault being handled by this thread. */
struct fault_state {
	__u64 ts;
	__u64 range;		/* last find_or_insert result */
	struct svm_key key;
	__u32 iters;		/* find_or_insert returns so far */
	__u8 atomic;
	__u8 pending;		/* failed step of this iteration: reason + 1 */
	__u8 got_pages;		/* get pages or bind ran in this iteration */
	__u8 migrated;		/* a migration to VRAM succeeded */
	__u8 devmem;		/* last get pages found them all in VRAM */
	__u8 devmem_known;	/* ... and get pages was probed */
	__u8 pad[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct fault_state);
} svm_faults SEC(".maps");

/* Inner calls in flight, per thread and function: entry -> exit. */
enum { FN_ALLOC, FN_GP, FN_BIND, FN_GC, FN_INVAL, FN_SYSMEM };

struct call_key {
	__u32 tid;
	__u32 fn;
};

struct call_val {
	__u64 ts;
	__u64 arg;		/* the function's first pointer argument */
	struct svm_key key;
	__u64 bytes;		/* FN_GC: bytes removed; FN_SYSMEM: copied */
	__u32 n;		/* FN_GC: ranges removed */
	__u32 trigger;		/* FN_SYSMEM */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct call_key);
	__type(value, struct call_val);
} svm_calls SEC(".maps");

static __always_inline __u32 tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

static __always_inline struct fault_state *fault_cur(void)
{
	__u32 t = tid();

	return bpf_map_lookup_elem(&svm_faults, &t);
}

static __always_inline void call_enter(__u32 fn, __u64 arg, struct svm_key *k,
				       __u32 trigger)
{
	struct call_key ck = { .tid = tid(), .fn = fn };
	struct call_val v = { .ts = bpf_ktime_get_ns(), .arg = arg,
			      .trigger = trigger };

	if (k)
		v.key = *k;
	if (bpf_map_update_elem(&svm_calls, &ck, &v, BPF_ANY))
		HEALTH_INC(state_full);
}

static __always_inline struct call_val *call_get(__u32 fn)
{
	struct call_key ck = { .tid = tid(), .fn = fn };

	return bpf_map_lookup_elem(&svm_calls, &ck);
}

static __always_inline bool call_exit(__u32 fn, struct call_val *out)
{
	struct call_key ck = { .tid = tid(), .fn = fn };
	struct call_val *v = bpf_map_lookup_elem(&svm_calls, &ck);

	if (!v) {
		HEALTH_INC(orphan_return);
		return false;
	}
	*out = *v;
	bpf_map_delete_elem(&svm_calls, &ck);
	return true;
}

static __always_inline int xe_dev(struct xe_device *xe)
{
	if (!xe)
		return SVM_DEV_UNKNOWN;
	return BPF_CORE_READ(xe, drm.primary, index);
}

static __always_inline __u32 mm_owner_tgid(struct mm_struct *mm)
{
	struct task_struct *owner = NULL;

	if (mm && bpf_core_field_exists(mm->owner))
		owner = BPF_CORE_READ(mm, owner);
	if (!owner) {
		HEALTH_INC(unattributed);
		return SVM_TGID_UNKNOWN;
	}
	return BPF_CORE_READ(owner, tgid);
}

/* The VM's process: vm->xef->pid, else the owner of the mirrored mm. */
static __always_inline __u32 vm_tgid(struct xe_vm *vm)
{
	struct xe_file *xef = BPF_CORE_READ(vm, xef);
	__u32 t;

	if (xef) {
		t = BPF_CORE_READ(xef, pid);
		if (t && !bpf_map_lookup_elem(&svm_comms, &t))
			comm_set(t, BPF_CORE_READ(xef, process_name), false);
		if (t)
			return t;
	}
	return mm_owner_tgid(BPF_CORE_READ(vm, svm.gpusvm.mm));
}

static __always_inline void vm_key(struct svm_key *k, struct xe_vm *vm, int gt)
{
	mk_key(k, xe_dev(BPF_CORE_READ(vm, xe)), gt, vm_tgid(vm));
}

static __always_inline struct xe_vm *gpusvm_vm(struct drm_gpusvm *gpusvm)
{
	__u32 off = __builtin_preserve_field_info(((struct xe_vm *)0)->svm.gpusvm,
						  BPF_FIELD_BYTE_OFFSET);

	return (struct xe_vm *)((char *)gpusvm - off);
}

/* The key of an inner step: the fault's when inside one, else the VM's. */
static __always_inline void step_key(struct svm_key *k, struct xe_vm *vm,
				     struct fault_state *f)
{
	if (f)
		*k = f->key;
	else
		vm_key(k, vm, SVM_GT_NONE);
}

/* ---- xe_svm_handle_pagefault(vm, vma, gt, fault_addr, atomic) ---------- */

static __always_inline void pf_enter(struct xe_vm *vm, struct xe_gt *gt,
				     bool atomic)
{
	struct fault_state f = {};
	__u32 t = tid();

	f.ts = bpf_ktime_get_ns();
	f.atomic = atomic;
	vm_key(&f.key, vm, gt ? BPF_CORE_READ(gt, info.id) : SVM_GT_NONE);
	if (bpf_map_update_elem(&svm_faults, &t, &f, BPF_ANY))
		HEALTH_INC(state_full);
}

static __always_inline bool range_devmem(__u64 range)
{
	struct drm_gpusvm_range *r = (struct drm_gpusvm_range *)range;
	struct drm_gpusvm_range___pages *rp = (void *)range;

	if (!range)
		return false;
	if (bpf_core_field_exists(r->flags))
		return BPF_CORE_READ_BITFIELD_PROBED(&r->flags, has_devmem_pages);
	if (bpf_core_field_exists(rp->pages))
		return BPF_CORE_READ_BITFIELD_PROBED(&rp->pages.flags,
						     has_devmem_pages);
	return false;
}

static __always_inline void pf_exit(long ret)
{
	struct fault_state *fp, f;
	struct svm_stats *s;
	__u32 t = tid(), out, acc;
	__u64 ns;

	fp = bpf_map_lookup_elem(&svm_faults, &t);
	if (!fp) {
		HEALTH_INC(orphan_return);
		return;
	}
	f = *fp;
	bpf_map_delete_elem(&svm_faults, &t);
	ns = bpf_ktime_get_ns() - f.ts;
	s = stats_get(&f.key);
	if (!s)
		return;
	if ((int)ret)
		out = SVM_OUT_ERROR;
	else if (!f.got_pages)
		out = SVM_OUT_VALID;
	else if (f.migrated)
		out = SVM_OUT_MIGRATED;
	else if (f.devmem_known ? f.devmem : range_devmem(f.range))
		out = SVM_OUT_VRAM;
	else
		out = SVM_OUT_SYSMEM;
	acc = f.atomic ? SVM_ACC_ATOMIC : SVM_ACC_RW;
	fault_inc(s, acc, out);
	lat_add(&s->fault, ns, (int)ret != 0);
}

/* ---- drm_gpusvm_range_find_or_insert(): one loop iteration ------------- */

static __always_inline void foi_exit(__u64 ret)
{
	struct fault_state *f = fault_cur();
	struct svm_stats *s;
	__u32 reason;

	if (!f || ptr_err(ret))
		return;
	if (f->iters) {
		reason = f->pending ? f->pending - 1 : SVM_RETRY_GC;
		s = stats_get(&f->key);
		if (s)
			inc_idx(s->retries, reason, SVM_RETRY_MAX);
	}
	f->iters++;
	f->pending = 0;
	f->got_pages = 0;
	f->range = ret;
}

/* ---- xe_svm_alloc_vram(vm, tile, range, ctx): migration to VRAM --------- */

static __always_inline void alloc_enter(struct xe_vm *vm,
					struct drm_gpusvm_range *range)
{
	struct fault_state *f = fault_cur();
	struct svm_key k;

	step_key(&k, vm, f);
	call_enter(FN_ALLOC, (__u64)range, &k, f ? SVM_TRIG_GPU_FAULT
						 : SVM_TRIG_PREFETCH);
}

static __always_inline void alloc_exit(long ret)
{
	struct fault_state *f;
	struct svm_stats *s;
	struct drm_gpusvm_range *r;
	struct svm_mig *m;
	struct call_val c;
	__u64 ns, size;
	int err = (int)ret;

	if (!call_exit(FN_ALLOC, &c))
		return;
	if (err == -E_ALREADY)	/* already in VRAM: nothing moved */
		return;
	ns = bpf_ktime_get_ns() - c.ts;
	f = fault_cur();
	if (f) {
		if (err)
			f->pending = SVM_RETRY_MIGRATE + 1;
		else
			f->migrated = 1;
	}
	s = stats_get(&c.key);
	if (!s)
		return;
	m = mig_slot(s, SVM_DIR_TO_VRAM, c.trigger);
	if (err) {
		ADD(m->failed, 1);
	} else {
		r = (struct drm_gpusvm_range *)c.arg;
		size = BPF_CORE_READ(r, itree.last) + 1 - BPF_CORE_READ(r, itree.start);
		ADD(m->count, 1);
		ADD(m->bytes, size);
	}
	lat_add(&s->mig_lat[SVM_DIR_TO_VRAM], ns, err != 0);
}

/* ---- xe_svm_range_get_pages(vm, range, ctx) ---------------------------- */

static __always_inline void gp_enter(struct xe_vm *vm, void *range)
{
	struct fault_state *f = fault_cur();
	struct svm_key k;

	step_key(&k, vm, f);
	call_enter(FN_GP, (__u64)range, &k, 0);
}

static __always_inline void gp_exit(long ret)
{
	struct fault_state *f = fault_cur();
	struct svm_stats *s;
	struct call_val c;
	int err = (int)ret;

	if (!call_exit(FN_GP, &c))
		return;
	if (f) {
		f->got_pages = 1;
		/* as the fault ends: where get pages found the pages */
		f->devmem = !err && range_devmem(c.arg);
		f->devmem_known = 1;
		if (err == -E_OPNOTSUPP || err == -E_FAULT || err == -E_PERM)
			f->pending = SVM_RETRY_GET_PAGES + 1;
	}
	s = stats_get(&c.key);
	if (s)
		lat_add(&s->get_pages, bpf_ktime_get_ns() - c.ts, err != 0);
}

/* ---- xe_vm_range_rebind(vm, vma, range, tile_mask) -> fence ------------ */

static __always_inline void bind_enter(struct xe_vm *vm)
{
	struct fault_state *f = fault_cur();
	struct svm_key k;

	step_key(&k, vm, f);
	call_enter(FN_BIND, 0, &k, 0);
}

static __always_inline void bind_exit(__u64 ret)
{
	struct fault_state *f = fault_cur();
	struct svm_stats *s;
	struct call_val c;
	long err = ptr_err(ret);

	if (!call_exit(FN_BIND, &c))
		return;
	/*
	 * A bind means the range was not valid.  Also seen through this
	 * when get pages has no probe (xe 6.15 calls drm_gpusvm's inline).
	 */
	if (f)
		f->got_pages = 1;
	if (f && err == -E_AGAIN)
		f->pending = SVM_RETRY_BIND + 1;
	s = stats_get(&c.key);
	if (s)
		lat_add(&s->bind, bpf_ktime_get_ns() - c.ts, err != 0);
}

/* ---- migrations back to system memory --------------------------------- */

/*
 * drm_pagemap_migrate_to_ram(vmf) (CPU fault, in the faulting task) and
 * drm_pagemap_evict_to_ram(devmem) (eviction) open a FN_SYSMEM call; the
 * xe_svm_copy_to_ram() calls inside it add the pages they copy and tell
 * the device (the pages' dev_pagemap owner is the xe device).
 */
static __always_inline void sysmem_enter(__u32 trigger, __u32 tgid)
{
	struct svm_key k;

	mk_key(&k, SVM_DEV_UNKNOWN, SVM_GT_NONE, tgid);
	call_enter(FN_SYSMEM, 0, &k, trigger);
}

static __always_inline void sysmem_exit(void)
{
	struct svm_stats *s;
	struct call_val c;
	struct svm_mig *m;

	if (!call_exit(FN_SYSMEM, &c))
		return;
	if (!c.bytes)		/* someone else moved it: nothing happened */
		return;
	s = stats_get(&c.key);
	if (!s)
		return;
	m = mig_slot(s, SVM_DIR_TO_SYSMEM, c.trigger);
	ADD(m->count, 1);
	ADD(m->bytes, c.bytes);
	lat_add(&s->mig_lat[SVM_DIR_TO_SYSMEM], bpf_ktime_get_ns() - c.ts, false);
}

struct copy_ctx {
	struct page **pages;
	__u64 *dma;
	__u64 n;
	__u64 copied;
	struct page *first;
};

#define COPY_CHUNK 16

/* bpf_loop callback: count entries with a page and a bus address. */
static long copy_chunk(__u32 idx, void *data)
{
	struct copy_ctx *c = data;
	__u64 pg[COPY_CHUNK], dma[COPY_CHUNK];
	__u64 base = (__u64)idx * COPY_CHUNK, left;
	__u32 i;

	if (base >= c->n)
		return 1;
	left = c->n - base;
	if (left > COPY_CHUNK)
		left = COPY_CHUNK;
	__builtin_memset(pg, 0, sizeof(pg));
	__builtin_memset(dma, 0, sizeof(dma));
	if (bpf_probe_read_kernel(pg, left * sizeof(pg[0]), c->pages + base) ||
	    bpf_probe_read_kernel(dma, left * sizeof(dma[0]), c->dma + base))
		return 1;
	for (i = 0; i < COPY_CHUNK; i++) {
		if (i >= left)
			break;
		if (pg[i] && dma[i]) {
			c->copied++;
			if (!c->first)
				c->first = (struct page *)pg[i];
		}
	}
	return 0;
}

#define MAX_COPY_PAGES (1u << 20)

static __always_inline void copy_to_ram_enter(struct page **pages, __u64 *dma,
					      __u64 npages)
{
	struct copy_ctx cc = { .pages = pages, .dma = dma, .n = npages };
	struct call_val *c = call_get(FN_SYSMEM);
	struct xe_device *xe;
	struct page *pg;

	if (!c)
		return;
	if (cc.n > MAX_COPY_PAGES)
		cc.n = MAX_COPY_PAGES;
	bpf_loop((cc.n + COPY_CHUNK - 1) / COPY_CHUNK, copy_chunk, &cc, 0);
	c->bytes += cc.copied << page_shift;
	pg = cc.first;
	if (pg && c->key.dev == SVM_DEV_UNKNOWN &&
	    bpf_core_field_exists(pg->pgmap)) {
		xe = BPF_CORE_READ(pg, pgmap, owner);
		c->key.dev = xe_dev(xe);
	}
}

static __always_inline void cpu_fault_enter(void)
{
	__u32 t = bpf_get_current_pid_tgid() >> 32;

	comm_current(t);
	sysmem_enter(SVM_TRIG_CPU_FAULT, t);
}

static __always_inline void evict_enter(struct drm_pagemap_devmem *devmem)
{
	sysmem_enter(SVM_TRIG_EVICTION,
		     mm_owner_tgid(BPF_CORE_READ(devmem, mm)));
}

/* ---- the garbage collector -------------------------------------------- */

static __always_inline void gc_enter(struct xe_vm *vm)
{
	struct svm_key k;

	vm_key(&k, vm, SVM_GT_NONE);
	call_enter(FN_GC, 0, &k, 0);
}

/* drm_gpusvm_range_remove(gpusvm, range), counted inside a GC run only. */
static __always_inline void range_remove(struct drm_gpusvm_range *r)
{
	struct call_val *c = call_get(FN_GC);

	if (!c)
		return;
	c->n++;
	c->bytes += BPF_CORE_READ(r, itree.last) + 1 - BPF_CORE_READ(r, itree.start);
}

static __always_inline void gc_exit(void)
{
	struct svm_stats *s;
	struct call_val c;

	if (!call_exit(FN_GC, &c) || !c.n)
		return;
	s = stats_get(&c.key);
	if (!s)
		return;
	ADD(s->gc_runs, 1);
	ADD(s->gc_ranges, c.n);
	ADD(s->gc_bytes, c.bytes);
	ADD(s->gc_ns, bpf_ktime_get_ns() - c.ts);
}

/* ---- xe_svm_invalidate(gpusvm, notifier, mmu_range) -------------------- */

static __always_inline void inval_enter(struct drm_gpusvm *gpusvm)
{
	struct svm_key k;

	vm_key(&k, gpusvm_vm(gpusvm), SVM_GT_NONE);
	comm_current(k.tgid);
	call_enter(FN_INVAL, 0, &k, 0);
}

/* Callbacks, whether or not they hit a range: ranges are not seen here. */
static __always_inline void inval_exit(void)
{
	struct svm_stats *s;
	struct call_val c;

	if (!call_exit(FN_INVAL, &c))
		return;
	s = stats_get(&c.key);
	if (!s)
		return;
	ADD(s->inval, 1);
	ADD(s->inval_ns, bpf_ktime_get_ns() - c.ts);
}

/* ---- fentry/fexit programs -------------------------------------------- */

SEC("fentry/xe_svm_handle_pagefault")
int BPF_PROG(pf_fentry, struct xe_vm *vm, void *vma, struct xe_gt *gt,
	     u64 addr, bool atomic)
{
	pf_enter(vm, gt, atomic);
	return 0;
}

SEC("fexit/xe_svm_handle_pagefault")
int BPF_PROG(pf_fexit, struct xe_vm *vm, void *vma, struct xe_gt *gt,
	     u64 addr, bool atomic, int ret)
{
	pf_exit(ret);
	return 0;
}

SEC("fexit/drm_gpusvm_range_find_or_insert")
int BPF_PROG(foi_fexit, void *gpusvm, unsigned long fault_addr,
	     unsigned long start, unsigned long end, void *ctx_, u64 ret)
{
	foi_exit(ret);
	return 0;
}

SEC("fentry/xe_svm_alloc_vram")
int BPF_PROG(alloc_fentry, struct xe_vm *vm, void *tile,
	     struct drm_gpusvm_range *range)
{
	alloc_enter(vm, range);
	return 0;
}

SEC("fexit/xe_svm_alloc_vram")
int BPF_PROG(alloc_fexit, struct xe_vm *vm, void *tile,
	     struct drm_gpusvm_range *range, void *ctx_, int ret)
{
	alloc_exit(ret);
	return 0;
}

SEC("fentry/xe_svm_range_get_pages")
int BPF_PROG(gp_fentry, struct xe_vm *vm, void *range)
{
	gp_enter(vm, range);
	return 0;
}

SEC("fexit/xe_svm_range_get_pages")
int BPF_PROG(gp_fexit, struct xe_vm *vm, void *range, void *ctx_, int ret)
{
	gp_exit(ret);
	return 0;
}

SEC("fentry/xe_vm_range_rebind")
int BPF_PROG(bind_fentry, struct xe_vm *vm)
{
	bind_enter(vm);
	return 0;
}

SEC("fexit/xe_vm_range_rebind")
int BPF_PROG(bind_fexit, struct xe_vm *vm, void *vma, void *range,
	     u8 tile_mask, u64 ret)
{
	bind_exit(ret);
	return 0;
}

SEC("fentry/drm_pagemap_migrate_to_ram")
int BPF_PROG(cpuf_fentry)
{
	cpu_fault_enter();
	return 0;
}

SEC("fexit/drm_pagemap_migrate_to_ram")
int BPF_PROG(cpuf_fexit)
{
	sysmem_exit();
	return 0;
}

SEC("fentry/drm_pagemap_evict_to_ram")
int BPF_PROG(evict_fentry, struct drm_pagemap_devmem *devmem)
{
	evict_enter(devmem);
	return 0;
}

SEC("fexit/drm_pagemap_evict_to_ram")
int BPF_PROG(evict_fexit)
{
	sysmem_exit();
	return 0;
}

/* struct page ** is no struct: the verifier refuses ctx loads of it. */
SEC("fentry/xe_svm_copy_to_ram")
int copy_fentry(__u64 *ctx)
{
	__u64 pages = 0, dma = 0, npages = 0;

	bpf_get_func_arg(ctx, 0, &pages);
	bpf_get_func_arg(ctx, 1, &dma);
	bpf_get_func_arg(ctx, 2, &npages);
	copy_to_ram_enter((struct page **)pages, (__u64 *)dma, npages);
	return 0;
}

SEC("fentry/xe_svm_garbage_collector")
int BPF_PROG(gc_fentry, struct xe_vm *vm)
{
	gc_enter(vm);
	return 0;
}

SEC("fexit/xe_svm_garbage_collector")
int BPF_PROG(gc_fexit)
{
	gc_exit();
	return 0;
}

SEC("fentry/drm_gpusvm_range_remove")
int BPF_PROG(remove_fentry, void *gpusvm, struct drm_gpusvm_range *range)
{
	range_remove(range);
	return 0;
}

SEC("fentry/xe_svm_invalidate")
int BPF_PROG(inval_fentry, struct drm_gpusvm *gpusvm)
{
	inval_enter(gpusvm);
	return 0;
}

SEC("fexit/xe_svm_invalidate")
int BPF_PROG(inval_fexit)
{
	inval_exit();
	return 0;
}

/* ---- kprobe/kretprobe programs: the same, one per fentry/fexit -------- */

SEC("kprobe/xe_svm_handle_pagefault")
int BPF_KPROBE(pf_kprobe, struct xe_vm *vm, void *vma, struct xe_gt *gt,
	       u64 addr, bool atomic)
{
	pf_enter(vm, gt, atomic);
	return 0;
}

SEC("kretprobe/xe_svm_handle_pagefault")
int BPF_KRETPROBE(pf_kretprobe, int ret)
{
	pf_exit(ret);
	return 0;
}

SEC("kretprobe/drm_gpusvm_range_find_or_insert")
int BPF_KRETPROBE(foi_kretprobe, u64 ret)
{
	foi_exit(ret);
	return 0;
}

SEC("kprobe/xe_svm_alloc_vram")
int BPF_KPROBE(alloc_kprobe, struct xe_vm *vm, void *tile,
	       struct drm_gpusvm_range *range)
{
	alloc_enter(vm, range);
	return 0;
}

SEC("kretprobe/xe_svm_alloc_vram")
int BPF_KRETPROBE(alloc_kretprobe, int ret)
{
	alloc_exit(ret);
	return 0;
}

SEC("kprobe/xe_svm_range_get_pages")
int BPF_KPROBE(gp_kprobe, struct xe_vm *vm, void *range)
{
	gp_enter(vm, range);
	return 0;
}

SEC("kretprobe/xe_svm_range_get_pages")
int BPF_KRETPROBE(gp_kretprobe, int ret)
{
	gp_exit(ret);
	return 0;
}

SEC("kprobe/xe_vm_range_rebind")
int BPF_KPROBE(bind_kprobe, struct xe_vm *vm)
{
	bind_enter(vm);
	return 0;
}

SEC("kretprobe/xe_vm_range_rebind")
int BPF_KRETPROBE(bind_kretprobe, u64 ret)
{
	bind_exit(ret);
	return 0;
}

SEC("kprobe/drm_pagemap_migrate_to_ram")
int BPF_KPROBE(cpuf_kprobe)
{
	cpu_fault_enter();
	return 0;
}

SEC("kretprobe/drm_pagemap_migrate_to_ram")
int BPF_KRETPROBE(cpuf_kretprobe)
{
	sysmem_exit();
	return 0;
}

SEC("kprobe/drm_pagemap_evict_to_ram")
int BPF_KPROBE(evict_kprobe, struct drm_pagemap_devmem *devmem)
{
	evict_enter(devmem);
	return 0;
}

SEC("kretprobe/drm_pagemap_evict_to_ram")
int BPF_KRETPROBE(evict_kretprobe)
{
	sysmem_exit();
	return 0;
}

SEC("kprobe/xe_svm_copy_to_ram")
int BPF_KPROBE(copy_kprobe, struct page **pages, __u64 *dma, unsigned long npages)
{
	copy_to_ram_enter(pages, dma, npages);
	return 0;
}

SEC("kprobe/xe_svm_garbage_collector")
int BPF_KPROBE(gc_kprobe, struct xe_vm *vm)
{
	gc_enter(vm);
	return 0;
}

SEC("kretprobe/xe_svm_garbage_collector")
int BPF_KRETPROBE(gc_kretprobe)
{
	gc_exit();
	return 0;
}

SEC("kprobe/drm_gpusvm_range_remove")
int BPF_KPROBE(remove_kprobe, void *gpusvm, struct drm_gpusvm_range *range)
{
	range_remove(range);
	return 0;
}

SEC("kprobe/xe_svm_invalidate")
int BPF_KPROBE(inval_kprobe, struct drm_gpusvm *gpusvm)
{
	inval_enter(gpusvm);
	return 0;
}

SEC("kretprobe/xe_svm_invalidate")
int BPF_KRETPROBE(inval_kretprobe)
{
	inval_exit();
	return 0;
}
