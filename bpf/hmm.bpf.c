// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmtop's generic HMM backend: the mm layer every SVM driver sits on
 * (xe, amdgpu, nouveau, lib/test_hmm).
 *
 *   hmm_range_fault()          calls, pages requested, result, latency
 *   migrate_vma_setup()        migrations by direction, pages requested and
 *   migrate_vma_pages()        collected, pages actually migrated, latency
 *   migrate_vma_finalize()     setup -> finalize, CPU-fault migrations
 *   migrate_device_range()     device memory evicted by pfn range (no vma,
 *   migrate_device_pages()     no process): pages requested, collected,
 *   migrate_device_finalize()  migrated
 *
 * Each function has an fentry/fexit and a kprobe/kretprobe variant; user
 * space (cli/hmm.c) keeps one per function and disables the other.  Both
 * variants run the same code: the entry program saves what the exit needs
 * in hmm_calls, keyed by thread and function.
 *
 * Counts are charged to the process that owns the memory (mm->owner), not
 * to current: drivers such as xe call these functions from kworkers.  Only
 * a CPU-fault migration (migrate_to_ram) is charged to current, which is
 * the faulting task there by construction.
 *
 * Everything is aggregated here, in per-CPU monotonic counters keyed by
 * tgid; no events go to user space.
 */
#include "core/core.h"
#include "core/sched.h"
#include "core/mm.h"
#include "core/hmm.h"

#include "hmm.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by user space before load. */
const volatile __u32 page_shift = 12;	/* log2(PAGE_SIZE) of the kernel */
const volatile __u32 filter_tgid;	/* count only this process; 0: all */
const volatile bool count_migrated = true; /* inspect src[] at finalize */

#define E_PERM	1
#define E_FAULT	14
#define E_BUSY	16

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, HMM_MAX_PROCS + 1);	/* + HMM_TGID_OTHER */
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* pay only for seen processes */
	__type(key, __u32);
	__type(value, struct hmm_proc_stats);
} hmm_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HMM_MAX_PROCS + 1);
	__type(key, __u32);
	__type(value, struct hmm_comm);
} hmm_comms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hmm_health);
} hmm_health SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hmm_evict_stats);
} hmm_evict SEC(".maps");

/* Never written: the zeroed value new hmm_procs entries are created from. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hmm_proc_stats);
} hmm_zero SEC(".maps");

enum { FN_HRF, FN_MVS, FN_MVF, FN_MDR, FN_MDF };

struct call_key {
	__u32 tid;
	__u32 fn;
};

struct call_val {
	__u64 arg;	/* the function's pointer argument */
	__u64 ts;	/* entry time, ns */
	__u64 a;	/* function-specific */
	__u64 b;
};

/* Calls in flight: entry program -> exit program of the same thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct call_key);
	__type(value, struct call_val);
} hmm_calls SEC(".maps");

struct mig_pending {
	__u64 t_setup;		/* migrate_vma_setup() entry */
	__u64 t_collected;	/* migrate_vma_setup() return */
	__u64 t_pages;		/* migrate_vma_pages() entry */
	__u32 tgid;
	__u8 dir;
	__u8 cpu_fault;
	__u8 pages_called;
	__u8 evict;		/* migrate_device_range(): key is src[] */
};

/*
 * Migrations between setup and finalize, keyed by struct migrate_vma *
 * (migrate_vma_*) or by the src[] array (migrate_device_*).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct mig_pending);
} hmm_migs SEC(".maps");

struct walk_state {
	__u64 mm;
	__u64 start;
	__u64 end;
};

/*
 * The operation each thread's last page-table walk belonged to.  LRU: a
 * thread evicted here merely starts a new operation at its next walk.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct walk_state);
} hmm_walks SEC(".maps");

/*
 * Per-CPU values still get atomic adds: tracing programs can be preempted
 * on preemptible kernels, and an exact count must not lose an increment.
 */
#define ADD(field, v) __sync_fetch_and_add(&(field), (v))

static __always_inline struct hmm_health *health(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&hmm_health, &zero);
}

#define HEALTH_INC(f)					\
	do {						\
		struct hmm_health *__h = health();	\
		if (__h)				\
			ADD(__h->f, 1);			\
	} while (0)

/* floor(log2(v)), clamped to the last slot; slot 0 also holds v == 0. */
static __always_inline __u32 hist_slot(__u64 v)
{
	__u32 k = 0;

	__u32 step;

	/* Binary search for the top bit: a bounded loop the verifier likes. */
	for (step = 32; step; step >>= 1) {
		if (v >= (1ULL << step)) {
			v >>= step;
			k += step;
		}
	}
	if (k >= HMM_HIST_SLOTS)
		k = HMM_HIST_SLOTS - 1;
	return k & (HMM_HIST_SLOTS - 1);
}

static __always_inline __u32 current_tgid(struct task_struct **leader)
{
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task();

	*leader = BPF_CORE_READ(cur, group_leader);
	return bpf_get_current_pid_tgid() >> 32;
}

/*
 * The process whose address space this is: mm->owner (CONFIG_MEMCG).
 * Without an owner, current only when it runs on this very mm (a thread
 * of the process, by construction); otherwise the work is unattributed.
 */
static __always_inline __u32 mm_tgid(struct mm_struct *mm,
				     struct task_struct **leader)
{
	struct task_struct *owner = NULL;
	struct task_struct *cur;

	*leader = NULL;
	if (bpf_core_field_exists(mm->owner))
		owner = BPF_CORE_READ(mm, owner);
	if (owner) {
		*leader = BPF_CORE_READ(owner, group_leader);
		return BPF_CORE_READ(owner, tgid);
	}
	cur = (struct task_struct *)bpf_get_current_task();
	if (mm && BPF_CORE_READ(cur, mm) == mm)
		return current_tgid(leader);
	HEALTH_INC(unattributed);
	return HMM_TGID_UNKNOWN;
}

static __always_inline bool filtered(__u32 tgid)
{
	return filter_tgid && tgid != filter_tgid;
}

/*
 * The counters of process tgid, created on first use.  When the map is
 * full the counts go to the HMM_TGID_OTHER entry, which user space creates
 * before attaching, so nothing is lost; proc_overflow says how much.
 */
static __always_inline struct hmm_proc_stats *
proc_get(__u32 tgid, struct task_struct *leader)
{
	struct hmm_proc_stats *s, *zero;
	__u32 key0 = 0, other = HMM_TGID_OTHER;

	s = bpf_map_lookup_elem(&hmm_procs, &tgid);
	if (s)
		return s;
	zero = bpf_map_lookup_elem(&hmm_zero, &key0);
	if (!zero)
		return NULL;
	if (!bpf_map_update_elem(&hmm_procs, &tgid, zero, BPF_NOEXIST)) {
		struct hmm_comm c = {};

		if (leader)
			bpf_core_read_str(c.comm, sizeof(c.comm), &leader->comm);
		bpf_map_update_elem(&hmm_comms, &tgid, &c, BPF_ANY);
	}
	s = bpf_map_lookup_elem(&hmm_procs, &tgid);
	if (s)
		return s;
	s = bpf_map_lookup_elem(&hmm_procs, &other);
	if (s)
		HEALTH_INC(proc_overflow);
	else
		HEALTH_INC(proc_lost);
	return s;
}

static __always_inline void call_enter(__u32 fn, __u64 arg, __u64 a, __u64 b)
{
	struct call_key k = { .tid = (__u32)bpf_get_current_pid_tgid(),
			      .fn = fn };
	struct call_val v = { .arg = arg, .ts = bpf_ktime_get_ns(),
			      .a = a, .b = b };

	if (!bpf_map_update_elem(&hmm_calls, &k, &v, BPF_NOEXIST))
		return;
	/* A previous entry of this thread never saw its return. */
	if (bpf_map_lookup_elem(&hmm_calls, &k)) {
		HEALTH_INC(call_lost_return);
		bpf_map_update_elem(&hmm_calls, &k, &v, BPF_EXIST);
	} else {
		HEALTH_INC(call_stash_full);
	}
}

static __always_inline bool call_exit(__u32 fn, struct call_val *out)
{
	struct call_key k = { .tid = (__u32)bpf_get_current_pid_tgid(),
			      .fn = fn };
	struct call_val *v;

	v = bpf_map_lookup_elem(&hmm_calls, &k);
	if (!v) {
		HEALTH_INC(call_orphan_return);
		return false;
	}
	*out = *v;
	bpf_map_delete_elem(&hmm_calls, &k);
	return true;
}

/* Account one page-table walk of [start, end) on mm; see include/hmm.h. */
static __always_inline void walk_note(struct hmm_proc_stats *s, __u64 mm,
				      __u64 start, __u64 end)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct walk_state *w, n = { .mm = mm, .start = start, .end = end };

	ADD(s->walks, 1);
	w = bpf_map_lookup_elem(&hmm_walks, &tid);
	if (w && w->mm == mm && start < w->end && end > w->start) {
		if (start < w->start)
			w->start = start;
		if (end > w->end)
			w->end = end;
		return;
	}
	ADD(s->walk_ops, 1);
	bpf_map_update_elem(&hmm_walks, &tid, &n, BPF_ANY);
}

/* ---- hmm_range_fault() ------------------------------------------------ */

static __always_inline void hrf_enter(struct hmm_range *range)
{
	call_enter(FN_HRF, (__u64)range, 0, 0);
}

static __always_inline __u32 hrf_res(int ret)
{
	switch (ret) {
	case 0:
		return HMM_RES_OK;
	case -E_BUSY:
		return HMM_RES_EBUSY;
	case -E_FAULT:
		return HMM_RES_EFAULT;
	case -E_PERM:
		return HMM_RES_EPERM;
	default:
		return HMM_RES_OTHER;
	}
}

static __always_inline void hrf_exit(int ret)
{
	struct hmm_range *range;
	struct task_struct *leader;
	struct hmm_proc_stats *s;
	struct mm_struct *mm;
	struct call_val c;
	__u64 start, end, ns;
	__u32 tgid;

	if (!call_exit(FN_HRF, &c))
		return;
	ns = bpf_ktime_get_ns() - c.ts;
	range = (struct hmm_range *)c.arg;
	mm = BPF_CORE_READ(range, notifier, mm);
	tgid = mm_tgid(mm, &leader);
	if (filtered(tgid))
		return;
	s = proc_get(tgid, leader);
	if (!s)
		return;
	start = BPF_CORE_READ(range, start);
	end = BPF_CORE_READ(range, end);

	ADD(s->hrf_calls, 1);
	if (end > start)
		ADD(s->hrf_pages, (end - start) >> page_shift);
	ADD(s->hrf_result[hrf_res(ret)], 1);
	ADD(s->hrf_ns_sum, ns);
	ADD(s->hrf_hist[hist_slot(ns)], 1);
	walk_note(s, (__u64)mm, start, end);
}

/* ---- migrate_vma_setup() ---------------------------------------------- */

static __always_inline void mvs_enter(struct migrate_vma *args)
{
	/* start/end before setup aligns them and trims end to the walk. */
	call_enter(FN_MVS, (__u64)args, BPF_CORE_READ(args, start),
		   BPF_CORE_READ(args, end));
}

static __always_inline void mvs_exit(int ret)
{
	struct mig_pending p = {};
	struct task_struct *leader;
	struct hmm_proc_stats *s;
	struct migrate_vma *args;
	struct hmm_mig_stats *m;
	struct mm_struct *mm;
	struct call_val c;
	__u64 flags, now, start, npages;
	bool cpu_fault;
	__u32 tgid;

	if (!call_exit(FN_MVS, &c))
		return;
	now = bpf_ktime_get_ns();
	args = (struct migrate_vma *)c.arg;
	flags = BPF_CORE_READ(args, flags);
	cpu_fault = BPF_CORE_READ(args, fault_page) != NULL;
	mm = BPF_CORE_READ(args, vma, vm_mm);
	/* migrate_to_ram runs in the faulting task: that is the process. */
	if (cpu_fault)
		tgid = current_tgid(&leader);
	else
		tgid = mm_tgid(mm, &leader);
	if (filtered(tgid))
		return;
	s = proc_get(tgid, leader);
	if (!s)
		return;

	p.dir = (flags & MIGRATE_VMA_SELECT_SYSTEM) ? HMM_DIR_TO_DEVICE
						    : HMM_DIR_TO_SYSTEM;
	m = &s->mig[p.dir & 1];
	ADD(m->setups, 1);
	if (c.b > c.a)
		ADD(m->pages_requested, (c.b - c.a) >> page_shift);
	if (ret) {
		ADD(m->setup_errors, 1);
		return;
	}
	ADD(m->pages_collected, BPF_CORE_READ(args, cpages));
	if (cpu_fault)
		ADD(s->cpu_faults, 1);

	start = BPF_CORE_READ(args, start);
	npages = BPF_CORE_READ(args, npages);
	walk_note(s, (__u64)mm, start, start + (npages << page_shift));

	p.t_setup = c.ts;
	p.t_collected = now;
	p.tgid = tgid;
	p.cpu_fault = cpu_fault;
	if (bpf_map_update_elem(&hmm_migs, &c.arg, &p, BPF_ANY))
		HEALTH_INC(mig_pending_full);
}

/* ---- migrate_vma_pages() ---------------------------------------------- */

static __always_inline void mvp_enter(struct migrate_vma *args)
{
	__u64 key = (__u64)args;
	struct hmm_proc_stats *s;
	struct mig_pending *p;

	p = bpf_map_lookup_elem(&hmm_migs, &key);
	if (!p) {
		HEALTH_INC(mig_orphan);
		return;
	}
	p->t_pages = bpf_ktime_get_ns();
	p->pages_called = 1;
	s = proc_get(p->tgid, NULL);
	if (s)
		ADD(s->mig[p->dir & 1].pages_calls, 1);
}

/* ---- migrate_vma_finalize() ------------------------------------------- */

struct count_ctx {
	const unsigned long *src;
	__u64 n;
	__u64 migrated;
};

#define COUNT_CHUNK 32

/* bpf_loop callback: count MIGRATE_PFN_MIGRATE in src[idx*32 ...]. */
static long count_chunk(__u32 idx, void *data)
{
	struct count_ctx *c = data;
	unsigned long buf[COUNT_CHUNK];
	__u64 base = (__u64)idx * COUNT_CHUNK, left;
	__u32 i;

	if (base >= c->n)
		return 1;
	left = c->n - base;
	if (left > COUNT_CHUNK)
		left = COUNT_CHUNK;
	__builtin_memset(buf, 0, sizeof(buf));
	if (bpf_probe_read_kernel(buf, left * sizeof(buf[0]), c->src + base))
		return 1;
	for (i = 0; i < COUNT_CHUNK; i++) {
		if (i >= left)
			break;
		if (buf[i] & MIGRATE_PFN_MIGRATE)
			c->migrated++;
	}
	return 0;
}

/* How many of src[0..n) have MIGRATE_PFN_MIGRATE. */
static __always_inline __u64 count_migrate(const unsigned long *src, __u64 n)
{
	struct count_ctx cc = { .src = src, .n = n };

	if (cc.n > HMM_MAX_COUNT_PAGES) {
		cc.n = HMM_MAX_COUNT_PAGES;
		HEALTH_INC(mig_count_truncated);
	}
	bpf_loop((cc.n + COUNT_CHUNK - 1) / COUNT_CHUNK, count_chunk, &cc, 0);
	return cc.migrated;
}

static __always_inline void mvf_enter(struct migrate_vma *args)
{
	call_enter(FN_MVF, (__u64)args, 0, 0);
}

static __always_inline void mvf_done(struct migrate_vma *args)
{
	__u64 key = (__u64)args;
	struct hmm_proc_stats *s;
	struct hmm_mig_stats *m;
	struct mig_pending *pp, p;
	__u64 now, ns, n;

	pp = bpf_map_lookup_elem(&hmm_migs, &key);
	if (!pp) {
		HEALTH_INC(mig_orphan);
		return;
	}
	p = *pp;
	bpf_map_delete_elem(&hmm_migs, &key);
	s = proc_get(p.tgid, NULL);
	if (!s)
		return;
	m = &s->mig[p.dir & 1];

	now = bpf_ktime_get_ns();
	ns = now - p.t_setup;
	ADD(m->finalizes, 1);
	ADD(m->ns_sum, ns);
	ADD(m->hist[hist_slot(ns)], 1);
	ADD(m->collect_ns_sum, p.t_collected - p.t_setup);
	if (p.pages_called)
		ADD(m->copy_ns_sum, p.t_pages - p.t_collected);

	/* Without migrate_vma_pages() nothing moved, whatever src[] says. */
	if (!p.pages_called || !count_migrated)
		return;
	n = count_migrate(BPF_CORE_READ(args, src), BPF_CORE_READ(args, npages));
	ADD(m->pages_migrated, n);
	if (p.cpu_fault)
		ADD(s->cpu_fault_pages, n);
}

static __always_inline void mvf_exit(void)
{
	struct call_val c;

	if (call_exit(FN_MVF, &c))
		mvf_done((struct migrate_vma *)c.arg);
}

/* ---- migrate_device_range/pages/finalize(): eviction by pfn ---------- */

static __always_inline struct hmm_evict_stats *evict_stats(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&hmm_evict, &zero);
}

static __always_inline void mdr_enter(unsigned long *src, __u64 npages)
{
	call_enter(FN_MDR, (__u64)src, npages, 0);
}

static __always_inline void mdr_exit(int ret)
{
	struct mig_pending p = { .evict = 1 };
	struct hmm_evict_stats *e;
	struct call_val c;

	if (!call_exit(FN_MDR, &c))
		return;
	e = evict_stats();
	if (!e)
		return;
	ADD(e->ranges, 1);
	ADD(e->pages_requested, c.a);
	if (ret) {
		ADD(e->range_errors, 1);
		return;
	}
	ADD(e->pages_collected, count_migrate((const unsigned long *)c.arg, c.a));
	p.t_setup = c.ts;
	p.t_collected = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&hmm_migs, &c.arg, &p, BPF_ANY))
		HEALTH_INC(mig_pending_full);
}

static __always_inline void mdp_enter(unsigned long *src)
{
	__u64 key = (__u64)src;
	struct hmm_evict_stats *e;
	struct mig_pending *p;

	p = bpf_map_lookup_elem(&hmm_migs, &key);
	if (!p || !p->evict) {
		HEALTH_INC(mig_orphan);
		return;
	}
	p->t_pages = bpf_ktime_get_ns();
	p->pages_called = 1;
	e = evict_stats();
	if (e)
		ADD(e->pages_calls, 1);
}

/*
 * migrate_vma_finalize() and migrate_device_coherent_folio() call
 * migrate_device_finalize() too: only src[] arrays seen at
 * migrate_device_range() count here.
 */
static __always_inline void mdf_done(unsigned long *src, __u64 npages)
{
	__u64 key = (__u64)src;
	struct hmm_evict_stats *e;
	struct mig_pending *pp;
	bool pages_called;
	__u64 t_setup;

	pp = bpf_map_lookup_elem(&hmm_migs, &key);
	if (!pp || !pp->evict)
		return;
	pages_called = pp->pages_called;
	t_setup = pp->t_setup;
	bpf_map_delete_elem(&hmm_migs, &key);
	e = evict_stats();
	if (!e)
		return;
	ADD(e->finalizes, 1);
	ADD(e->ns_sum, bpf_ktime_get_ns() - t_setup);
	if (pages_called && count_migrated)
		ADD(e->pages_migrated, count_migrate(src, npages));
}

static __always_inline void mdf_exit(void)
{
	struct call_val c;

	if (call_exit(FN_MDF, &c))
		mdf_done((unsigned long *)c.arg, c.a);
}

/* ---- fentry/fexit variants -------------------------------------------- */

SEC("fentry/hmm_range_fault")
int BPF_PROG(hrf_fentry, struct hmm_range *range)
{
	hrf_enter(range);
	return 0;
}

SEC("fexit/hmm_range_fault")
int BPF_PROG(hrf_fexit, struct hmm_range *range, int ret)
{
	hrf_exit(ret);
	return 0;
}

SEC("fentry/migrate_vma_setup")
int BPF_PROG(mvs_fentry, struct migrate_vma *args)
{
	mvs_enter(args);
	return 0;
}

SEC("fexit/migrate_vma_setup")
int BPF_PROG(mvs_fexit, struct migrate_vma *args, int ret)
{
	mvs_exit(ret);
	return 0;
}

SEC("fentry/migrate_vma_pages")
int BPF_PROG(mvp_fentry, struct migrate_vma *args)
{
	mvp_enter(args);
	return 0;
}

/* fexit sees the argument: no entry program needed. */
SEC("fexit/migrate_vma_finalize")
int BPF_PROG(mvf_fexit, struct migrate_vma *args)
{
	mvf_done(args);
	return 0;
}

SEC("fentry/migrate_device_range")
int BPF_PROG(mdr_fentry, unsigned long *src, unsigned long start,
	     unsigned long npages)
{
	mdr_enter(src, npages);
	return 0;
}

SEC("fexit/migrate_device_range")
int BPF_PROG(mdr_fexit, unsigned long *src, unsigned long start,
	     unsigned long npages, int ret)
{
	mdr_exit(ret);
	return 0;
}

SEC("fentry/migrate_device_pages")
int BPF_PROG(mdp_fentry, unsigned long *src)
{
	mdp_enter(src);
	return 0;
}

SEC("fexit/migrate_device_finalize")
int BPF_PROG(mdf_fexit, unsigned long *src, unsigned long *dst,
	     unsigned long npages)
{
	mdf_done(src, npages);
	return 0;
}

/* ---- kprobe/kretprobe variants ---------------------------------------- */

SEC("kprobe/hmm_range_fault")
int BPF_KPROBE(hrf_kprobe, struct hmm_range *range)
{
	hrf_enter(range);
	return 0;
}

SEC("kretprobe/hmm_range_fault")
int BPF_KRETPROBE(hrf_kretprobe, int ret)
{
	hrf_exit(ret);
	return 0;
}

SEC("kprobe/migrate_vma_setup")
int BPF_KPROBE(mvs_kprobe, struct migrate_vma *args)
{
	mvs_enter(args);
	return 0;
}

SEC("kretprobe/migrate_vma_setup")
int BPF_KRETPROBE(mvs_kretprobe, int ret)
{
	mvs_exit(ret);
	return 0;
}

SEC("kprobe/migrate_vma_pages")
int BPF_KPROBE(mvp_kprobe, struct migrate_vma *args)
{
	mvp_enter(args);
	return 0;
}

SEC("kprobe/migrate_vma_finalize")
int BPF_KPROBE(mvf_kprobe, struct migrate_vma *args)
{
	mvf_enter(args);
	return 0;
}

SEC("kretprobe/migrate_vma_finalize")
int BPF_KRETPROBE(mvf_kretprobe)
{
	mvf_exit();
	return 0;
}

SEC("kprobe/migrate_device_range")
int BPF_KPROBE(mdr_kprobe, unsigned long *src, unsigned long start,
	       unsigned long npages)
{
	mdr_enter(src, npages);
	return 0;
}

SEC("kretprobe/migrate_device_range")
int BPF_KRETPROBE(mdr_kretprobe, int ret)
{
	mdr_exit(ret);
	return 0;
}

SEC("kprobe/migrate_device_pages")
int BPF_KPROBE(mdp_kprobe, unsigned long *src)
{
	mdp_enter(src);
	return 0;
}

SEC("kprobe/migrate_device_finalize")
int BPF_KPROBE(mdf_kprobe, unsigned long *src, unsigned long *dst,
	       unsigned long npages)
{
	call_enter(FN_MDF, (__u64)src, npages, 0);
	return 0;
}

SEC("kretprobe/migrate_device_finalize")
int BPF_KRETPROBE(mdf_kretprobe)
{
	mdf_exit();
	return 0;
}
