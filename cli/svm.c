// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SVM collector (cli/svm.h): choose a backend, load bpf/svm.bpf.c with
 * only that backend's programs (the others get set_autoload(false)),
 * attach, and read the per-CPU maps; or read the GT stats files when BPF
 * is not possible.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfutil.h"
#include "exitcodes.h"
#include "gtstats.h"
#include "svm.h"
#include "svm.skel.h"

const char *const svm_access_name[SVM_ACC_MAX] = {
	"read", "write", "atomic", "prefetch", "rw"
};
const char *const svm_outcome_name[SVM_OUT_MAX] = {
	"valid", "migrated", "sysmem", "vram", "error"
};
const char *const svm_retry_name[SVM_RETRY_MAX] = {
	"migrate", "get_pages", "bind_eagain", "vma_split", "gc"
};
const char *const svm_dir_name[SVM_DIR_MAX] = { "to_vram", "to_sysmem" };
const char *const svm_trigger_name[SVM_TRIG_MAX] = {
	"gpu_fault", "cpu_fault", "eviction", "prefetch"
};

/* ---- what each backend attaches ---------------------------------------- */

struct tp_target {
	const char *tp;		/* tracepoint */
	const char *prog;
	bool required;
	const char *feeds;
};

static const struct tp_target tp_targets[] = {
	{ "xe_svm_fault_end", "tp_fault_end", true,
	  "faults by access and outcome, fault latency" },
	{ "xe_svm_fault_retry", "tp_fault_retry", false, "retries by reason" },
	{ "xe_svm_migrate", "tp_migrate", false,
	  "migrations, bytes, latency by direction and trigger" },
	{ "xe_svm_get_pages", "tp_get_pages", false, "get-pages latency" },
	{ "xe_svm_bind", "tp_bind", false, "bind latency" },
	{ "xe_svm_invalidate", "tp_invalidate", false, "invalidations" },
	{ "xe_svm_gc", "tp_gc", false, "garbage collector" },
};
#define N_TP (sizeof(tp_targets) / sizeof(tp_targets[0]))

struct fn_target {
	const char *func;
	const char *fentry[2];	/* entry, exit; NULL: not needed */
	const char *kprobe[2];
	bool required;
	const char *feeds;
};

static const struct fn_target fn_targets[] = {
	{ "xe_svm_handle_pagefault", { "pf_fentry", "pf_fexit" },
	  { "pf_kprobe", "pf_kretprobe" }, true,
	  "faults, outcomes, fault latency" },
	{ "drm_gpusvm_range_find_or_insert", { NULL, "foi_fexit" },
	  { NULL, "foi_kretprobe" }, false, "retries (loop iterations)" },
	{ "xe_svm_alloc_vram", { "alloc_fentry", "alloc_fexit" },
	  { "alloc_kprobe", "alloc_kretprobe" }, false,
	  "migrations to VRAM, migrate retries" },
	{ "xe_svm_range_get_pages", { "gp_fentry", "gp_fexit" },
	  { "gp_kprobe", "gp_kretprobe" }, false,
	  "get-pages latency and retries, VRAM/sysmem outcome" },
	{ "xe_vm_range_rebind", { "bind_fentry", "bind_fexit" },
	  { "bind_kprobe", "bind_kretprobe" }, false,
	  "bind latency, bind -EAGAIN retries, valid faults" },
	{ "drm_pagemap_migrate_to_ram", { "cpuf_fentry", "cpuf_fexit" },
	  { "cpuf_kprobe", "cpuf_kretprobe" }, false,
	  "CPU-fault migrations back" },
	{ "drm_pagemap_evict_to_ram", { "evict_fentry", "evict_fexit" },
	  { "evict_kprobe", "evict_kretprobe" }, false, "evictions" },
	{ "xe_svm_copy_to_ram", { "copy_fentry", NULL },
	  { "copy_kprobe", NULL }, false, "bytes migrated to system memory" },
	{ "xe_svm_garbage_collector", { "gc_fentry", "gc_fexit" },
	  { "gc_kprobe", "gc_kretprobe" }, false, "garbage collector runs" },
	{ "drm_gpusvm_range_remove", { "remove_fentry", NULL },
	  { "remove_kprobe", NULL }, false, "garbage-collected ranges, bytes" },
	{ "xe_svm_invalidate", { "inval_fentry", "inval_fexit" },
	  { "inval_kprobe", "inval_kretprobe" }, false,
	  "invalidation callbacks" },
};
#define N_FN (sizeof(fn_targets) / sizeof(fn_targets[0]))
#define MAX_PROBES (N_TP > N_FN ? N_TP : N_FN)

struct svm_collector {
	enum svm_backend backend;
	struct svm_bpf *skel;
	struct bpf_link *links[MAX_PROBES][2];
	struct svm_probe probes[MAX_PROBES];
	size_t nprobes;
	int ncpus;
	void *buf;
	/* debugfs backend */
	char debugfs[256];
	struct svm_entry *base;		/* counters at open */
	size_t nbase;
};

const char *svm_backend_name(enum svm_backend b)
{
	static const char *const n[] = { "auto", "tp", "fentry", "kprobe",
					 "debugfs", "none" };

	return b <= SVM_BACKEND_NONE ? n[b] : "?";
}

int svm_backend_parse(const char *s)
{
	int b;

	for (b = SVM_BACKEND_AUTO; b < SVM_BACKEND_NONE; b++)
		if (!strcmp(s, svm_backend_name(b)))
			return b;
	if (!strcmp(s, "tp_btf") || !strcmp(s, "tracepoint"))
		return SVM_BACKEND_TP;
	return -1;
}

void svm_stats_add(struct svm_stats *dst, const struct svm_stats *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;
	size_t i;

	for (i = 0; i < sizeof(*dst) / sizeof(uint64_t); i++)
		d[i] += s[i];
}

void svm_stats_sub(struct svm_stats *dst, const struct svm_stats *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;
	size_t i;

	for (i = 0; i < sizeof(*dst) / sizeof(uint64_t); i++)
		d[i] -= s[i];
}

uint64_t svm_faults_total(const struct svm_stats *s)
{
	uint64_t n = 0;
	int a, o;

	for (a = 0; a < SVM_ACC_MAX; a++)
		for (o = 0; o < SVM_OUT_MAX; o++)
			n += s->faults[a][o];
	return n;
}

uint64_t svm_faults_outcome(const struct svm_stats *s, enum svm_outcome o)
{
	uint64_t n = 0;
	int a;

	for (a = 0; a < SVM_ACC_MAX; a++)
		n += s->faults[a][o];
	return n;
}

uint64_t svm_faults_access(const struct svm_stats *s, enum svm_access a)
{
	uint64_t n = 0;
	int o;

	for (o = 0; o < SVM_OUT_MAX; o++)
		n += s->faults[a][o];
	return n;
}

uint64_t svm_retries_total(const struct svm_stats *s)
{
	uint64_t n = 0;
	int r;

	for (r = 0; r < SVM_RETRY_MAX; r++)
		n += s->retries[r];
	return n;
}

uint64_t svm_hist_quantile(const void *slots, double q)
{
	const __u64 *hist = slots;
	uint64_t total = 0, acc = 0;
	int k;

	for (k = 0; k < SVM_HIST_SLOTS; k++)
		total += hist[k];
	if (!total)
		return 0;
	for (k = 0; k < SVM_HIST_SLOTS; k++) {
		acc += hist[k];
		if ((double)acc >= q * (double)total)
			break;
	}
	if (k >= SVM_HIST_SLOTS)
		k = SVM_HIST_SLOTS - 1;
	return 2ull << k;
}

/* ---- probing ----------------------------------------------------------- */

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void set_probe(struct svm_probe *p, const char *target,
		      const char *kind, bool required, const char *feeds)
{
	memset(p, 0, sizeof(*p));
	p->target = target;
	p->kind = kind;
	p->required = required;
	p->feeds = feeds;
}

/* Can tp_btf attach to each xe_svm tracepoint?  Fills p[]. */
static size_t probe_tp(const struct kbtfs *k, struct svm_probe *p)
{
	size_t i;

	for (i = 0; i < N_TP; i++) {
		const struct tp_target *t = &tp_targets[i];
		char name[128];
		const char *where = NULL;
		int id, fd = 0, err;

		set_probe(&p[i], t->tp, "tp_btf", t->required, t->feeds);
		snprintf(name, sizeof(name), "btf_trace_%s", t->tp);
		id = k ? kbtfs_find(k, name, BTF_KIND_TYPEDEF, &fd, &where) : -ENOENT;
		if (!k) {
			snprintf(p[i].why, sizeof(p[i].why), "no kernel BTF");
			continue;
		}
		if (id < 0) {
			snprintf(p[i].why, sizeof(p[i].why),
				 "no such tracepoint (kernel without svmtop's "
				 "xe_svm tracepoints, or module not loaded)");
			continue;
		}
		err = bpf_trial_attach(id, fd, BPF_TRACE_RAW_TP);
		if (err) {
			snprintf(p[i].why, sizeof(p[i].why),
				 "tp_btf does not attach (%s)", strerror(-err));
			continue;
		}
		p[i].attached = true;	/* "would attach" until really attached */
		snprintf(p[i].why, sizeof(p[i].why), "in %s", where);
	}
	return N_TP;
}

/* fentry/fexit (fentry=true) or kprobe/kretprobe on each function. */
static size_t probe_fn(const struct kbtfs *k, bool fentry, struct svm_probe *p)
{
	const char *names[N_FN];
	size_t i;
	bool kp = !fentry && kprobes_supported();

	for (i = 0; i < N_FN; i++)
		names[i] = fn_targets[i].func;
	ksym_want(names, N_FN);
	for (i = 0; i < N_FN; i++) {
		const struct fn_target *t = &fn_targets[i];
		const char *where = NULL;
		int id = -ENOENT, fd = 0, err = 0;

		set_probe(&p[i], t->func, fentry ? "fentry" : "kprobe",
			  t->required, t->feeds);
		if (k)
			id = kbtfs_find(k, t->func, BTF_KIND_FUNC, &fd, &where);
		if (fentry) {
			if (!k) {
				snprintf(p[i].why, sizeof(p[i].why),
					 "no kernel BTF, so no fentry");
				continue;
			}
			if (id < 0) {
				snprintf(p[i].why, sizeof(p[i].why), "%s",
					 ksym_exists(t->func) ?
					 "in kallsyms but not in BTF (static/cloned?)" :
					 "not in this kernel (xe not loaded?)");
				continue;
			}
			if (t->fentry[0])
				err = bpf_trial_attach(id, fd, BPF_TRACE_FENTRY);
			if (!err && t->fentry[1])
				err = bpf_trial_attach(id, fd, BPF_TRACE_FEXIT);
			if (err) {
				snprintf(p[i].why, sizeof(p[i].why),
					 "fentry/fexit does not attach here (%s)",
					 strerror(-err));
				continue;
			}
			p[i].attached = true;
			snprintf(p[i].why, sizeof(p[i].why), "in %s", where);
		} else {
			if (!ksym_exists(t->func)) {
				snprintf(p[i].why, sizeof(p[i].why),
					 "not in kallsyms (xe not loaded?)");
				continue;
			}
			if (!kp) {
				snprintf(p[i].why, sizeof(p[i].why),
					 "this kernel has no kprobes (CONFIG_KPROBES)");
				continue;
			}
			p[i].attached = true;
			snprintf(p[i].why, sizeof(p[i].why), "in kallsyms");
		}
	}
	return N_FN;
}

static bool debugfs_has_svm(const char *root, char *why, size_t len)
{
	struct gt_list l = { 0 };
	enum gtdisc_result r = gtdisc_find(root, false, &l);
	size_t i, found = 0;

	for (i = 0; r == GTDISC_OK && i < l.n; i++) {
		struct gt_stats st = { 0 };
		uint64_t v;

		if (!gtstats_read_file(l.v[i].path, &st, NULL, NULL) &&
		    gtstats_get(&st, "svm_pagefault_count", &v))
			found++;
		gtstats_free(&st);
	}
	gtdisc_free(&l);
	if (found)
		snprintf(why, len, "%zu GT stats files with svm_pagefault_count", found);
	else if (r == GTDISC_OK)
		snprintf(why, len, "GT stats without SVM counters");
	else
		snprintf(why, len, "no GT stats under %s/dri (%s)", root,
			 r == GTDISC_NOPERM ? "permission denied" :
			 r == GTDISC_NOROOT ? "debugfs not mounted" :
			 r == GTDISC_NODEVICE ? "no DRM device" : "no stats files");
	return found > 0;
}

static bool usable(const struct svm_probe *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i].required && !p[i].attached)
			return false;
	return n > 0;
}

size_t svm_probe_backend(enum svm_backend b, struct svm_probe *p, size_t max,
			 bool *ok, const char *debugfs)
{
	struct kbtfs *k = NULL;
	size_t n = 0;

	*ok = false;
	if (max < MAX_PROBES)
		return 0;
	if (b == SVM_BACKEND_DEBUGFS) {
		set_probe(&p[0], "gt*/stats", "debugfs", true,
			  "per-GT totals, no process attribution");
		p[0].attached = debugfs_has_svm(debugfs ? debugfs : "/sys/kernel/debug",
						p[0].why, sizeof(p[0].why));
		*ok = p[0].attached;
		return 1;
	}
	k = calloc(1, sizeof(*k));
	if (k && kbtfs_load(k)) {
		free(k);
		k = NULL;
	}
	if (b == SVM_BACKEND_TP)
		n = probe_tp(k, p);
	else if (b == SVM_BACKEND_FENTRY || b == SVM_BACKEND_KPROBE)
		n = probe_fn(k, b == SVM_BACKEND_FENTRY, p);
	if (k) {
		kbtfs_free(k);
		free(k);
	}
	*ok = usable(p, n);
	return n;
}

/* ---- BPF backends ------------------------------------------------------ */

static void prog_autoload(struct bpf_object *obj, const char *name, bool on)
{
	struct bpf_program *p;

	if (!name)
		return;
	p = bpf_object__find_program_by_name(obj, name);
	if (p)
		bpf_program__set_autoload(p, on);
}

static int page_shift(void)
{
	long sz = sysconf(_SC_PAGESIZE);
	int s = 0;

	while (sz > 1) {
		sz >>= 1;
		s++;
	}
	return s;
}

static struct bpf_link *attach_prog(struct svm_collector *c, const char *name)
{
	struct bpf_program *p;

	if (!name)
		return NULL;
	p = bpf_object__find_program_by_name(c->skel->obj, name);
	return p ? bpf_program__attach(p) : NULL;
}

static int open_bpf(struct svm_collector *c, enum svm_backend b,
		    const struct svm_opts *o)
{
	struct bpf_program *prog;
	size_t i, n;
	bool ok;
	int err, j;

	n = svm_probe_backend(b, c->probes, MAX_PROBES, &ok, NULL);
	c->nprobes = n;
	if (!ok)
		return -ENOENT;
	c->skel = svm_bpf__open();
	if (!c->skel)
		return -errno;
	bpf_object__for_each_program(prog, c->skel->obj)
		bpf_program__set_autoload(prog, false);
	for (i = 0; i < n; i++) {
		if (!c->probes[i].attached)
			continue;
		if (b == SVM_BACKEND_TP) {
			prog_autoload(c->skel->obj, tp_targets[i].prog, true);
		} else {
			const char *const *nm = b == SVM_BACKEND_FENTRY ?
				fn_targets[i].fentry : fn_targets[i].kprobe;

			prog_autoload(c->skel->obj, nm[0], true);
			prog_autoload(c->skel->obj, nm[1], true);
		}
	}
	c->skel->rodata->page_shift = page_shift();
	c->skel->rodata->filter_tgid = o->filter_tgid;
	err = svm_bpf__load(c->skel);
	if (err) {
		if (!o->quiet)
			fprintf(stderr, "svmtop: loading the %s programs failed "
				"(%s); run with -v for the verifier log\n",
				svm_backend_name(b), strerror(-err));
		svm_bpf__destroy(c->skel);
		c->skel = NULL;
		return err;
	}
	for (i = 0; i < n; i++) {
		struct svm_probe *p = &c->probes[i];
		const char *names[2] = { NULL, NULL };

		if (!p->attached)
			continue;
		if (b == SVM_BACKEND_TP) {
			names[0] = tp_targets[i].prog;
		} else {
			const char *const *nm = b == SVM_BACKEND_FENTRY ?
				fn_targets[i].fentry : fn_targets[i].kprobe;

			names[0] = nm[0];
			names[1] = nm[1];
		}
		for (j = 0; j < 2; j++) {
			if (!names[j])
				continue;
			c->links[i][j] = attach_prog(c, names[j]);
			if (!c->links[i][j]) {
				p->attached = false;
				snprintf(p->why, sizeof(p->why), "attach failed (%s)",
					 strerror(errno));
			}
		}
		if (!p->attached)
			for (j = 0; j < 2; j++) {
				bpf_link__destroy(c->links[i][j]);
				c->links[i][j] = NULL;
			}
	}
	if (!usable(c->probes, n)) {
		for (i = 0; i < n; i++)
			for (j = 0; j < 2; j++) {
				bpf_link__destroy(c->links[i][j]);
				c->links[i][j] = NULL;
			}
		svm_bpf__destroy(c->skel);
		c->skel = NULL;
		return -ENOENT;
	}
	c->ncpus = libbpf_num_possible_cpus();
	if (c->ncpus <= 0)
		return -EINVAL;
	c->buf = calloc(c->ncpus, sizeof(struct svm_stats));
	return c->buf ? 0 : -ENOMEM;
}

/* ---- debugfs backend --------------------------------------------------- */

static uint64_t gs(const struct gt_stats *st, const char *name)
{
	uint64_t v = 0;

	gtstats_get(st, name, &v);
	return v;
}

/* svm_4K_<what> + svm_64K_<what> + svm_2M_<what> */
static uint64_t gs3(const struct gt_stats *st, const char *what)
{
	static const char *const sz[] = { "4K", "64K", "2M" };
	char name[64];
	uint64_t v = 0;
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "svm_%s_%s", sz[i], what);
		v += gs(st, name);
	}
	return v;
}

/* What the GT stats tell, in svm_stats terms (see cli/svm.h). */
static void stats_from_gt(struct svm_stats *s, const struct gt_stats *st)
{
	uint64_t faults = gs(st, "svm_pagefault_count");
	uint64_t failed = gs(st, "svmx_fault_failed_count");
	uint64_t valid = gs3(st, "valid_pagefault_count");
	uint64_t mig = gs3(st, "migrate_count");
	uint64_t atomic = gs(st, "svmx_fault_atomic_count");
	uint64_t rest;

	memset(s, 0, sizeof(*s));
	/*
	 * Only totals are known, not their joint distribution: atomics go
	 * to "atomic/migrated" first, the rest split by outcome under "rw".
	 */
	if (failed > faults)
		failed = faults;
	s->faults[SVM_ACC_RW][SVM_OUT_ERROR] = failed;
	rest = faults - failed;
	valid = valid < rest ? valid : rest;
	s->faults[SVM_ACC_RW][SVM_OUT_VALID] = valid;
	rest -= valid;
	mig = mig < rest ? mig : rest;
	atomic = atomic < mig ? atomic : mig;
	s->faults[SVM_ACC_ATOMIC][SVM_OUT_MIGRATED] = atomic;
	s->faults[SVM_ACC_RW][SVM_OUT_MIGRATED] = mig - atomic;
	s->faults[SVM_ACC_RW][SVM_OUT_SYSMEM] = rest - mig;
	s->fault.count = faults;
	s->fault.errors = failed;
	s->fault.ns_sum = gs3(st, "pagefault_us") * 1000;
	s->retries[SVM_RETRY_MIGRATE] = gs(st, "svmx_retry_migrate_count");
	s->retries[SVM_RETRY_GET_PAGES] = gs(st, "svmx_retry_get_pages_count");
	s->retries[SVM_RETRY_BIND] = gs(st, "svmx_retry_bind_count");
	s->retries[SVM_RETRY_VMA_SPLIT] = gs(st, "svmx_retry_vma_split_count");
	s->retries[SVM_RETRY_GC] = gs(st, "svmx_retry_gc_count");
	s->mig[SVM_DIR_TO_VRAM][SVM_TRIG_GPU_FAULT].count = mig;
	s->mig[SVM_DIR_TO_VRAM][SVM_TRIG_GPU_FAULT].bytes =
		gs(st, "svmx_gpu_fault_migrate_kb") << 10;
	s->mig[SVM_DIR_TO_VRAM][SVM_TRIG_GPU_FAULT].failed =
		gs(st, "svmx_migrate_failed_count");
	s->mig[SVM_DIR_TO_VRAM][SVM_TRIG_PREFETCH].count =
		gs(st, "svmx_prefetch_migrate_count");
	s->mig[SVM_DIR_TO_VRAM][SVM_TRIG_PREFETCH].bytes =
		gs(st, "svmx_prefetch_migrate_kb") << 10;
	s->mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].count =
		gs(st, "svmx_cpu_fault_migrate_count");
	s->mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].bytes =
		gs(st, "svmx_cpu_fault_migrate_kb") << 10;
	s->mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_EVICTION].count =
		gs(st, "svmx_evict_count");
	s->mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_EVICTION].bytes =
		gs(st, "svmx_evict_kb") << 10;
	s->mig_lat[SVM_DIR_TO_VRAM].ns_sum = gs3(st, "migrate_us") * 1000;
	s->mig_lat[SVM_DIR_TO_SYSMEM].ns_sum =
		(gs(st, "svmx_cpu_fault_migrate_us") + gs(st, "svmx_evict_us")) * 1000;
	s->get_pages.count = gs(st, "svmx_get_pages_count");
	s->get_pages.ns_sum = gs3(st, "get_pages_us") * 1000;
	s->bind.count = gs(st, "svmx_bind_count");
	s->bind.ns_sum = gs3(st, "bind_us") * 1000;
	s->gc_runs = gs(st, "svmx_gc_run_count");
	s->gc_ranges = gs(st, "svmx_gc_range_count");
	s->gc_bytes = gs(st, "svmx_gc_kb") << 10;
	s->gc_ns = gs(st, "svmx_gc_us") * 1000;
	s->inval = gs(st, "svmx_invalidate_count");
	s->inval_ranges = gs(st, "svmx_invalidate_range_count");
	s->inval_tlb = gs(st, "svm_tlb_inval_count");
	s->inval_ns = gs(st, "svmx_invalidate_us") * 1000;
}

static int read_debugfs(const char *root, struct svm_entry **out, size_t *n)
{
	struct gt_list l = { 0 };
	struct svm_entry *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (gtdisc_find(root, false, &l) != GTDISC_OK)
		return -ENOENT;
	v = calloc(l.n ? l.n : 1, sizeof(*v));
	if (!v) {
		gtdisc_free(&l);
		return -ENOMEM;
	}
	for (i = 0; i < l.n; i++) {
		struct gt_stats st = { 0 };

		if (gtstats_read_file(l.v[i].path, &st, NULL, NULL))
			continue;
		if (gtstats_find(&st, "svm_pagefault_count")) {
			struct svm_entry *e = &v[(*n)++];

			e->key.dev = l.v[i].minor;
			e->key.gt = l.v[i].gt;
			e->key.tgid = SVM_TGID_UNKNOWN;
			stats_from_gt(&e->st, &st);
		}
		gtstats_free(&st);
	}
	gtdisc_free(&l);
	*out = v;
	return 0;
}

static int open_debugfs(struct svm_collector *c, const struct svm_opts *o)
{
	bool ok;

	snprintf(c->debugfs, sizeof(c->debugfs), "%s",
		 o->debugfs ? o->debugfs : "/sys/kernel/debug");
	c->nprobes = svm_probe_backend(SVM_BACKEND_DEBUGFS, c->probes,
				       MAX_PROBES, &ok, c->debugfs);
	if (!ok)
		return -ENOENT;
	/* counters since open, like the BPF backends */
	return read_debugfs(c->debugfs, &c->base, &c->nbase);
}

/* ---- open / read / close ----------------------------------------------- */

static void print_probe_problems(const struct svm_collector *c)
{
	size_t i;

	for (i = 0; i < c->nprobes; i++)
		if (!c->probes[i].attached)
			fprintf(stderr, "svmtop: %s %s not attached: %s%s\n",
				c->probes[i].kind, c->probes[i].target,
				c->probes[i].why,
				c->probes[i].required ? "" : " (its counters stay 0)");
}

int svm_open(const struct svm_opts *o, struct svm_collector **out)
{
	static const enum svm_backend order[] = {
		SVM_BACKEND_TP, SVM_BACKEND_FENTRY, SVM_BACKEND_KPROBE,
		SVM_BACKEND_DEBUGFS,
	};
	struct svm_collector *c;
	size_t i;
	int err = -ENOENT;

	verbose = o->verbose;
	libbpf_set_print(libbpf_print);
	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return EXIT_FAIL;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		enum svm_backend b = order[i];

		if (o->backend != SVM_BACKEND_AUTO && o->backend != b)
			continue;
		if (b != SVM_BACKEND_DEBUGFS && !bpf_caps()) {
			if (o->backend == b) {
				if (!o->quiet)
					fprintf(stderr, "svmtop: the %s backend "
						"needs root (CAP_BPF and "
						"CAP_PERFMON)\n",
						svm_backend_name(b));
				free(c);
				return EXIT_NOPERM;
			}
			continue;
		}
		err = b == SVM_BACKEND_DEBUGFS ? open_debugfs(c, o)
					       : open_bpf(c, b, o);
		if (!err) {
			c->backend = b;
			if (!o->quiet)
				print_probe_problems(c);
			*out = c;
			return EXIT_OK;
		}
		if (o->backend == b && !o->quiet) {
			print_probe_problems(c);
			fprintf(stderr, "svmtop: the %s backend cannot run here; "
				"'svmtop probes' tells why\n", svm_backend_name(b));
		}
		memset(c, 0, sizeof(*c));
	}
	if (o->backend == SVM_BACKEND_AUTO && !o->quiet)
		fprintf(stderr, "svmtop: no SVM backend works here (no xe_svm "
			"tracepoints, no xe functions, no GT stats); "
			"'svmtop probes' tells why\n");
	free(c);
	return EXIT_NOBPF;
}

enum svm_backend svm_backend_of(const struct svm_collector *c)
{
	return c->backend;
}

const struct svm_probe *svm_probes(const struct svm_collector *c, size_t *n)
{
	*n = c->nprobes;
	return c->probes;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct svm_key *x = &((const struct svm_entry *)a)->key;
	const struct svm_key *y = &((const struct svm_entry *)b)->key;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->gt != y->gt)
		return x->gt < y->gt ? -1 : 1;
	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return 0;
}

static void proc_comm(uint32_t tgid, char *comm)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/comm", tgid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(comm, SVM_COMM_LEN, f))
		comm[strcspn(comm, "\n")] = 0;
	fclose(f);
}

static int read_bpf(struct svm_collector *c, struct svm_snapshot *s)
{
	int stats_fd = bpf_map__fd(c->skel->maps.svm_stats);
	int comm_fd = bpf_map__fd(c->skel->maps.svm_comms);
	int health_fd = bpf_map__fd(c->skel->maps.svm_health);
	struct svm_key key, next, *prev = NULL;
	struct bpf_program *prog;
	size_t cap = 0;
	__u32 zero = 0;
	int i;

	while (!bpf_map_get_next_key(stats_fd, prev, &next)) {
		const struct svm_stats *per = c->buf;
		struct svm_entry *e;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(stats_fd, &key, c->buf))
			continue;	/* deleted meanwhile: cannot happen */
		if (s->n == cap) {
			struct svm_entry *v;

			cap = cap ? 2 * cap : 16;
			v = realloc(s->v, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			s->v = v;
		}
		e = &s->v[s->n++];
		memset(e, 0, sizeof(*e));
		e->key = key;
		for (i = 0; i < c->ncpus; i++)
			svm_stats_add(&e->st, &per[i]);
	}
	for (size_t k = 0; k < s->n; k++) {
		struct svm_comm cm;
		__u32 t = s->v[k].key.tgid;

		if (t == SVM_TGID_OTHER || t == SVM_TGID_UNKNOWN)
			continue;
		if (!bpf_map_lookup_elem(comm_fd, &t, &cm))
			memcpy(s->v[k].comm, cm.comm, SVM_COMM_LEN);
		else
			proc_comm(t, s->v[k].comm);
		s->v[k].comm[SVM_COMM_LEN - 1] = 0;
	}
	{
		struct svm_health *h = calloc(c->ncpus, sizeof(*h));

		if (h && !bpf_map_lookup_elem(health_fd, &zero, h))
			for (i = 0; i < c->ncpus; i++) {
				uint64_t *d = (uint64_t *)&s->health;
				const uint64_t *x = (const uint64_t *)&h[i];

				for (size_t f = 0; f < sizeof(*h) / 8; f++)
					d[f] += x[f];
			}
		free(h);
	}
	bpf_object__for_each_program(prog, c->skel->obj) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		s->bpf_run_ns += info.run_time_ns;
		s->bpf_run_cnt += info.run_cnt;
	}
	return 0;
}

static int read_gt(struct svm_collector *c, struct svm_snapshot *s)
{
	size_t i, j;
	int err = read_debugfs(c->debugfs, &s->v, &s->n);

	if (err)
		return err;
	for (i = 0; i < s->n; i++)
		for (j = 0; j < c->nbase; j++)
			if (!cmp_entry(&s->v[i], &c->base[j]))
				svm_stats_sub(&s->v[i].st, &c->base[j].st);
	return 0;
}

int svm_read(struct svm_collector *c, struct svm_snapshot *s)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->backend = c->backend;
	err = c->backend == SVM_BACKEND_DEBUGFS ? read_gt(c, s) : read_bpf(c, s);
	if (err) {
		svm_snapshot_free(s);
		return err;
	}
	if (s->n)
		qsort(s->v, s->n, sizeof(s->v[0]), cmp_entry);
	return 0;
}

void svm_snapshot_free(struct svm_snapshot *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void svm_close(struct svm_collector *c)
{
	size_t i;
	int j;

	if (!c)
		return;
	for (i = 0; i < MAX_PROBES; i++)
		for (j = 0; j < 2; j++)
			bpf_link__destroy(c->links[i][j]);
	svm_bpf__destroy(c->skel);
	free(c->buf);
	free(c->base);
	free(c);
}
