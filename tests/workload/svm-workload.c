// SPDX-License-Identifier: GPL-2.0-only
/*
 * svm-workload: drives svmsim, the simulated SVM GPU (debugfs-ext/), with
 * realistic access patterns and prints its own ground truth as one JSON
 * object per scenario: accesses made, GPU faults the driver must have
 * seen, bytes that must have moved, and the exact per-GT stats deltas the
 * kernel must report ("expect").  Every scenario also checks the data:
 * what the GPU wrote the CPU reads back and the other way round.
 *
 *   svm-workload [-g GT] [-s MiB] [-t STRIDE] [-n N] [-P PROCS] [-T THREADS]
 *                SCENARIO
 *
 * Exact scenarios (run in a fresh VM with all VRAM free; "expect" holds):
 *   stream   CPU init, GPU write, GPU check, CPU check, GPU check, munmap
 *   random   stream with GPU accesses in shuffled order
 *   oversub  stream over more memory than VRAM: evictions
 *   sizes    64K and 4K ranges in small VMAs
 *   atomic   GPU atomics (need VRAM) on CPU-initialized memory
 *   prefetch prefetch to VRAM, then GPU write without faults
 *   madvise  preferred location sysmem: no migration
 *   churn    N x (mmap, GPU write, munmap): garbage collection
 *   multi    PROCS processes x THREADS threads, each its own buffer
 * Correctness-only scenarios (timing dependent counts):
 *   contend  CPU and GPU atomics on the same words
 *   fork     GPU data survives fork; child's COW writes stay private
 *   retry    CPU atomics race GPU atomics until a fault retries
 *   hold     data left in VRAM after close survives a module unload
 *   holdopen same with the device and VM open: the unload must fail
 *   badinput every ioctl with bad input: errno checked, never an oops
 *
 * Exit status: 0 when the data and every job's own results are right,
 * 1 otherwise, 2 for usage errors.  Expectations on kernel stats are
 * checked by the caller (tests/workload/check-stats.py).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uapi/drm/svmsim_drm.h"

#define SZ_4K	4096ull
#define SZ_64K	(64ull << 10)
#define SZ_2M	(2ull << 20)
#define SZ_512M	(512ull << 20)
#define NGT	2

static int opt_gt;
static uint64_t opt_size = 8ull << 20;
static uint64_t opt_stride = 256;
static int opt_iters = 4;
static int opt_procs = 2;
static int opt_threads = 2;
static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "svm-workload: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	failures++;
}

/* ---- the device ---------------------------------------------------------- */

static int open_svmsim(void)
{
	glob_t g;
	size_t i;
	int fd = -1;

	if (glob("/dev/dri/renderD*", 0, NULL, &g))
		return -1;
	for (i = 0; i < g.gl_pathc && fd < 0; i++) {
		char name[32] = "";
		struct drm_version v = { .name_len = sizeof(name) - 1, .name = name };
		int f = open(g.gl_pathv[i], O_RDWR | O_CLOEXEC);

		if (f < 0)
			continue;
		if (!ioctl(f, DRM_IOCTL_VERSION, &v) && !strcmp(name, "svmsim"))
			fd = f;
		else
			close(f);
	}
	globfree(&g);
	return fd;
}

static uint32_t vm_create(int fd)
{
	struct drm_svmsim_vm_create c = {
		.flags = DRM_SVMSIM_VM_CREATE_FLAG_FAULT_MODE,
	};

	if (ioctl(fd, DRM_IOCTL_SVMSIM_VM_CREATE, &c)) {
		perror("svm-workload: VM_CREATE");
		exit(1);
	}
	return c.vm_id;
}

static void vm_destroy(int fd, uint32_t vm)
{
	struct drm_svmsim_vm_destroy d = { .vm_id = vm };

	if (ioctl(fd, DRM_IOCTL_SVMSIM_VM_DESTROY, &d))
		fail("VM_DESTROY %u: %s", vm, strerror(errno));
}

/* Totals every scenario reports. */
struct truth {
	uint64_t accesses;	/* GPU accesses completed */
	uint64_t faults;	/* GPU faults the jobs reported */
	uint64_t errors;
	uint64_t mismatches;	/* GPU reads that saw the wrong value */
	uint64_t cpu_mismatches;	/* CPU reads that saw the wrong value */
	uint64_t bytes;		/* bytes the GPU touched (8 per access) */
	uint64_t faults_expected;
};

static struct truth T;

/* Run a pattern job and fold its results into the ground truth. */
static struct drm_svmsim_exec run_pattern(int fd, uint32_t vm, int gt,
					  uint32_t op, uint32_t flags, void *addr,
					  uint64_t size, uint64_t stride,
					  uint64_t value, uint64_t seed)
{
	struct drm_svmsim_exec e = {
		.vm_id = vm,
		.gt_id = gt,
		.flags = DRM_SVMSIM_EXEC_PATTERN,
		.pattern = {
			.addr = (uintptr_t)addr,
			.size = size,
			.stride = stride,
			.value = value,
			.seed = seed,
			.op = op,
			.flags = flags,
		},
	};

	if (ioctl(fd, DRM_IOCTL_SVMSIM_EXEC, &e)) {
		fail("EXEC pattern: %s", strerror(errno));
		return e;
	}
	T.accesses += e.accesses_done;
	T.faults += e.faults;
	T.errors += e.errors;
	T.mismatches += e.mismatches;
	T.bytes += e.accesses_done * 8;
	return e;
}

static void expect_faults(const struct drm_svmsim_exec *e, uint64_t want,
			  const char *what)
{
	T.faults_expected += want;
	if (e->faults != want)
		fail("%s: %" PRIu64 " GPU faults, expected %" PRIu64, what,
		     (uint64_t)e->faults, want);
	if (e->errors)
		fail("%s: %" PRIu64 " failed accesses, first %d at 0x%" PRIx64,
		     what, (uint64_t)e->errors, e->first_error,
		     (uint64_t)e->first_error_addr);
	if (e->mismatches)
		fail("%s: %" PRIu64 " GPU reads saw wrong data", what,
		     (uint64_t)e->mismatches);
}

/* ---- memory -------------------------------------------------------------- */

/*
 * A buffer at a 2M-aligned address between PROT_NONE guards, so its VMA
 * never merges with a neighbour and range sizes are predictable; no THP so
 * migration sees 4K pages.
 */
struct buf {
	void *res;
	size_t res_len;
	uint8_t *p;
	uint64_t len;
};

static struct buf buf_map(uint64_t len, int prot)
{
	struct buf b = { .res_len = len + 3 * SZ_2M, .len = len };
	uintptr_t a;

	b.res = mmap(NULL, b.res_len, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (b.res == MAP_FAILED) {
		perror("svm-workload: mmap");
		exit(1);
	}
	a = ((uintptr_t)b.res + 2 * SZ_2M - 1) & ~(SZ_2M - 1);
	b.p = mmap((void *)a, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		   -1, 0);
	if (b.p == MAP_FAILED) {
		perror("svm-workload: mmap fixed");
		exit(1);
	}
	madvise(b.p, len, MADV_NOHUGEPAGE);
	return b;
}

static void buf_unmap(struct buf *b)
{
	munmap(b->res, b->res_len);
}

/* 512M notifier regions a buffer spans: one invalidation callback each. */
static uint64_t notifiers(const struct buf *b)
{
	uintptr_t s = (uintptr_t)b->p, e = s + b->len - 1;

	return (e / SZ_512M) - (s / SZ_512M) + 1;
}

static uint64_t cpu_word(uint64_t i)
{
	return 0xc0de000000000000ull ^ i;
}

static void cpu_init(struct buf *b)
{
	uint64_t *w = (uint64_t *)b->p, i;

	for (i = 0; i < b->len / 8; i++)
		w[i] = cpu_word(i);
}

/*
 * Check with the CPU what a GPU write pattern (value + element index every
 * stride bytes) left; every other word must still hold cpu_word().
 */
static void cpu_check(struct buf *b, uint64_t stride, uint64_t value)
{
	uint64_t *w = (uint64_t *)b->p, i, bad = 0;

	for (i = 0; i < b->len / 8; i++) {
		uint64_t want = (i * 8) % stride ? cpu_word(i) :
				value + (i * 8) / stride;

		if (w[i] != want && bad++ < 3)
			fprintf(stderr, "svm-workload: CPU read 0x%" PRIx64
				" at +0x%" PRIx64 ", expected 0x%" PRIx64 "\n",
				w[i], i * 8, want);
	}
	if (bad)
		fail("CPU check: %" PRIu64 " words wrong", bad);
	T.cpu_mismatches += bad;
}

/* ---- expectations -------------------------------------------------------- */

#define MAXEXP 48
struct expect {
	const char *name[NGT][MAXEXP];
	int64_t val[NGT][MAXEXP];
	int n[NGT];
};

static struct expect X;

static void ex(int gt, const char *name, int64_t add)
{
	int i;

	for (i = 0; i < X.n[gt]; i++) {
		if (!strcmp(X.name[gt][i], name)) {
			X.val[gt][i] += add;
			return;
		}
	}
	if (X.n[gt] < MAXEXP) {
		X.name[gt][X.n[gt]] = name;
		X.val[gt][X.n[gt]++] = add;
	}
}

static void ex_both(const char *name, int64_t add)
{
	ex(0, name, add);
	ex(1, name, add);
}

/* Stats a scenario leaves untouched are expected to stay zero. */
static void ex_zero_defaults(void)
{
	static const char *const zero[] = {
		"svmx_fault_failed_count", "svmx_fault_retry_count",
		"svmx_migrate_failed_count", "svm_4K_valid_pagefault_count",
		"svm_64K_valid_pagefault_count", "svm_2M_valid_pagefault_count",
		"vma_pagefault_count",
	};
	size_t i;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		ex_both(zero[i], 0);
}

static void print_json(const char *scenario, double secs)
{
	int g, i;

	printf("{\"scenario\":\"%s\",\"pid\":%d,\"gt\":%d,\"accesses\":%" PRIu64
	       ",\"bytes\":%" PRIu64 ",\"faults\":%" PRIu64
	       ",\"faults_expected\":%" PRIu64 ",\"errors\":%" PRIu64
	       ",\"mismatches\":%" PRIu64 ",\"cpu_mismatches\":%" PRIu64
	       ",\"seconds\":%.3f,\"ok\":%s,\"expect\":{",
	       scenario, getpid(), opt_gt, T.accesses, T.bytes, T.faults,
	       T.faults_expected, T.errors, T.mismatches, T.cpu_mismatches, secs,
	       failures ? "false" : "true");
	for (g = 0; g < NGT; g++) {
		printf("%s\"gt%d\":{", g ? "," : "", g);
		for (i = 0; i < X.n[g]; i++)
			printf("%s\"%s\":%" PRId64, i ? "," : "", X.name[g][i],
			       X.val[g][i]);
		printf("}");
	}
	printf("}}\n");
	fflush(stdout);
}

/* ---- exact scenarios ----------------------------------------------------- */

/*
 * The life of one buffer of 2M ranges on GT g, all in one VM:
 *   1 CPU init      every page touched, so migrations copy every byte
 *   2 GPU write     one fault per 2M range, each migrates to VRAM
 *   3 GPU check     no faults, every word right
 *   4 CPU check     one CPU fault per range migrates it back (TLB inval)
 *   5 GPU check     one fault per range again, bound from sysmem (a range
 *                   migrates once)
 *   6 munmap        one invalidation per 512M notifier, GC of every range
 * With vram_ranges < ranges ("oversub") step 2 evicts the oldest ranges,
 * step 3 faults them back from sysmem and step 4 migrates only the ones
 * still in VRAM.
 */
static void buffer_life(int fd, uint32_t vm, uint64_t size, uint32_t pflags,
			uint64_t vram_ranges, uint64_t seed)
{
	struct buf b = buf_map(size, PROT_READ | PROT_WRITE);
	uint64_t nr = size / SZ_2M, n = size / opt_stride;
	uint64_t nv = vram_ranges < nr ? vram_ranges : nr, ev = nr - nv;
	uint64_t kb = size >> 10, nn = notifiers(&b);
	struct drm_svmsim_exec e;
	int g = opt_gt;

	cpu_init(&b);
	e = run_pattern(fd, vm, g, DRM_SVMSIM_OP_WRITE, pflags, b.p, size,
			opt_stride, 1000, seed);
	expect_faults(&e, nr, "GPU write");
	e = run_pattern(fd, vm, g, DRM_SVMSIM_OP_READ,
			pflags | DRM_SVMSIM_ACCESS_CHECK, b.p, size, opt_stride,
			1000, seed + 1);
	expect_faults(&e, ev, "GPU check");
	cpu_check(&b, opt_stride, 1000);
	e = run_pattern(fd, vm, g, DRM_SVMSIM_OP_READ,
			pflags | DRM_SVMSIM_ACCESS_CHECK, b.p, size, opt_stride,
			1000, seed + 2);
	expect_faults(&e, nv, "GPU check after CPU");
	buf_unmap(&b);

	/* GPU faults, on the job's GT */
	ex(g, "svm_pagefault_count", nr + ev + nv);
	ex(g, "svm_2M_pagefault_count", nr + ev + nv);
	ex(g, "svm_2M_migrate_count", nr);
	ex(g, "svmx_gpu_fault_migrate_kb", kb);
	ex(g, "svmx_get_pages_count", nr + ev + nv);
	ex(g, "svmx_bind_count", nr + ev + nv);
	ex(g, "svmx_access_count", 3 * n);
	/* copies, CPU faults, evictions, GC: the migrate engine's GT 0 */
	ex(0, "svm_device_copy_kb", kb);
	ex(0, "svm_2M_device_copy_kb", kb);
	ex(0, "svm_cpu_copy_kb", kb);
	ex(0, "svm_2M_cpu_copy_kb", kb);
	ex(0, "svmx_cpu_fault_migrate_count", nv);
	ex(0, "svmx_cpu_fault_migrate_kb", nv * (SZ_2M >> 10));
	ex(0, "svmx_evict_count", ev);
	ex(0, "svmx_evict_kb", ev * (SZ_2M >> 10));
	ex(0, "svmx_gc_range_count", nr);
	ex(0, "svmx_gc_kb", kb);
	/*
	 * Invalidation callbacks: one per migration in, one per page evicted
	 * (migrate_device_range() unmaps page by page through the rmap), one
	 * per CPU-fault migration back, one per notifier at munmap.
	 */
	ex(0, "svmx_invalidate_count", nr + ev * (SZ_2M / SZ_4K) + nv + nn);
	ex(0, "svmx_invalidate_range_count", nr + ev * (SZ_2M / SZ_4K) + nv + nr);
	/* TLB invalidations on both GTs: every invalidation of bound ranges */
	ex_both("tlb_inval_count", ev + nv + nn);
	ex_both("svm_tlb_inval_count", ev + nv + nn);
}

static void scen_stream(int fd, bool random, bool oversub)
{
	struct drm_svmsim_query q = { 0 };
	uint32_t vm = vm_create(fd);
	uint64_t vram_ranges;

	if (ioctl(fd, DRM_IOCTL_SVMSIM_QUERY, &q)) {
		fail("QUERY: %s", strerror(errno));
		return;
	}
	if (q.vram_free != q.vram_size)
		fail("VRAM not all free at start (%" PRIu64 " of %" PRIu64
		     "): eviction counts would not be exact", (uint64_t)q.vram_free,
		     (uint64_t)q.vram_size);
	vram_ranges = q.vram_size / SZ_2M;
	if (oversub && opt_size <= q.vram_size)
		opt_size = q.vram_size * 2;
	if (!oversub && opt_size > q.vram_size) {
		fail("-s %" PRIu64 " MiB is more than VRAM; use oversub",
		     opt_size >> 20);
		return;
	}
	buffer_life(fd, vm, opt_size, random ? DRM_SVMSIM_PATTERN_RANDOM : 0,
		    vram_ranges, 42);
	ex_zero_defaults();
	vm_destroy(fd, vm);
}

/* A 128K VMA holds two 64K ranges (migrate), a 12K VMA three 4K (never). */
static void scen_sizes(int fd)
{
	uint32_t vm = vm_create(fd);
	struct buf a = buf_map(128 << 10, PROT_READ | PROT_WRITE);
	struct buf c = buf_map(12 << 10, PROT_READ | PROT_WRITE);
	struct drm_svmsim_exec e;
	int g = opt_gt;

	cpu_init(&a);
	cpu_init(&c);
	e = run_pattern(fd, vm, g, DRM_SVMSIM_OP_WRITE, 0, a.p, a.len, 64, 7, 0);
	expect_faults(&e, 2, "GPU write 128K");
	e = run_pattern(fd, vm, g, DRM_SVMSIM_OP_WRITE, 0, c.p, c.len, 64, 7, 0);
	expect_faults(&e, 3, "GPU write 12K");
	cpu_check(&a, 64, 7);
	cpu_check(&c, 64, 7);
	buf_unmap(&a);
	buf_unmap(&c);

	ex(g, "svm_pagefault_count", 5);
	ex(g, "svm_64K_pagefault_count", 2);
	ex(g, "svm_4K_pagefault_count", 3);
	ex(g, "svm_2M_pagefault_count", 0);
	ex(g, "svm_64K_migrate_count", 2);
	ex(g, "svm_4K_migrate_count", 0);
	ex(g, "svmx_access_count", (128 << 10) / 64 + (12 << 10) / 64);
	ex(0, "svm_64K_device_copy_kb", 128);
	ex(0, "svm_device_copy_kb", 128);
	ex(0, "svm_64K_cpu_copy_kb", 128);
	ex(0, "svmx_cpu_fault_migrate_count", 2);
	ex(0, "svmx_gc_range_count", 5);
	ex(0, "svmx_gc_kb", 128 + 12);
	ex_zero_defaults();
	vm_destroy(fd, vm);
}

/* Atomics need VRAM: the first pass migrates every range, the second hits. */
static void scen_atomic(int fd)
{
	uint32_t vm = vm_create(fd);
	struct buf b = buf_map(opt_size, PROT_READ | PROT_WRITE);
	uint64_t nr = opt_size / SZ_2M, n = opt_size / opt_stride, i, bad = 0;
	struct drm_svmsim_exec e;
	int g = opt_gt;

	memset(b.p, 0, b.len);
	e = run_pattern(fd, vm, g, DRM_SVMSIM_OP_ATOMIC_ADD, 0, b.p, b.len,
			opt_stride, 1, 0);
	expect_faults(&e, nr, "GPU atomic");
	e = run_pattern(fd, vm, g, DRM_SVMSIM_OP_ATOMIC_ADD,
			DRM_SVMSIM_PATTERN_RANDOM, b.p, b.len, opt_stride, 1, 9);
	expect_faults(&e, 0, "GPU atomic again");
	for (i = 0; i < b.len / 8; i++)
		if (((uint64_t *)b.p)[i] != ((i * 8) % opt_stride ? 0 : 2))
			bad++;
	if (bad)
		fail("atomic: %" PRIu64 " words wrong", bad);
	T.cpu_mismatches += bad;
	buf_unmap(&b);

	ex(g, "svm_pagefault_count", nr);
	ex(g, "svmx_fault_atomic_count", nr);
	ex(g, "svm_2M_migrate_count", nr);
	ex(g, "svmx_access_count", 2 * n);
	ex(0, "svm_device_copy_kb", opt_size >> 10);
	ex(0, "svmx_cpu_fault_migrate_count", nr);
	ex(0, "svmx_gc_range_count", nr);
	ex_zero_defaults();
	vm_destroy(fd, vm);
}

static void scen_prefetch(int fd)
{
	uint32_t vm = vm_create(fd);
	struct buf b = buf_map(opt_size, PROT_READ | PROT_WRITE);
	struct drm_svmsim_prefetch p = {
		.vm_id = vm, .region = DRM_SVMSIM_REGION_VRAM,
		.addr = (uintptr_t)b.p, .size = b.len,
	};
	uint64_t nr = opt_size / SZ_2M;
	struct drm_svmsim_exec e;

	cpu_init(&b);
	if (ioctl(fd, DRM_IOCTL_SVMSIM_PREFETCH, &p))
		fail("PREFETCH: %s", strerror(errno));
	e = run_pattern(fd, vm, opt_gt, DRM_SVMSIM_OP_WRITE, 0, b.p, b.len,
			opt_stride, 5, 0);
	expect_faults(&e, 0, "GPU write after prefetch");
	cpu_check(&b, opt_stride, 5);
	buf_unmap(&b);

	ex(opt_gt, "svm_pagefault_count", 0);
	ex(0, "svmx_prefetch_migrate_count", nr);
	ex(0, "svmx_prefetch_migrate_kb", opt_size >> 10);
	ex(0, "svm_device_copy_kb", opt_size >> 10);
	ex(0, "svmx_cpu_fault_migrate_count", nr);
	ex_zero_defaults();
	vm_destroy(fd, vm);
}

static void scen_madvise(int fd)
{
	uint32_t vm = vm_create(fd);
	struct buf b = buf_map(opt_size, PROT_READ | PROT_WRITE);
	struct drm_svmsim_madvise m = {
		.vm_id = vm, .preferred_loc = DRM_SVMSIM_PREFERRED_SYSMEM,
		.addr = (uintptr_t)b.p, .size = b.len,
	};
	uint64_t nr = opt_size / SZ_2M;
	struct drm_svmsim_exec e;

	cpu_init(&b);
	if (ioctl(fd, DRM_IOCTL_SVMSIM_MADVISE, &m))
		fail("MADVISE: %s", strerror(errno));
	e = run_pattern(fd, vm, opt_gt, DRM_SVMSIM_OP_WRITE, 0, b.p, b.len,
			opt_stride, 5, 0);
	expect_faults(&e, nr, "GPU write, sysmem preferred");
	cpu_check(&b, opt_stride, 5);
	buf_unmap(&b);

	ex(opt_gt, "svm_pagefault_count", nr);
	ex(opt_gt, "svm_2M_migrate_count", 0);
	ex(0, "svm_device_copy_kb", 0);
	ex(0, "svmx_cpu_fault_migrate_count", 0);
	ex(0, "svmx_gc_range_count", nr);
	ex_zero_defaults();
	vm_destroy(fd, vm);
}

/* munmap/remap churn: every cycle's ranges go through the collector. */
static void scen_churn(int fd)
{
	uint32_t vm = vm_create(fd);
	uint64_t nr = opt_size / SZ_2M, tlb = 0;
	struct drm_svmsim_exec e;
	int i;

	for (i = 0; i < opt_iters; i++) {
		struct buf b = buf_map(opt_size, PROT_READ | PROT_WRITE);

		cpu_init(&b);
		e = run_pattern(fd, vm, opt_gt, DRM_SVMSIM_OP_WRITE, 0, b.p, b.len,
				opt_stride, i, 0);
		expect_faults(&e, nr, "churn write");
		e = run_pattern(fd, vm, opt_gt, DRM_SVMSIM_OP_READ,
				DRM_SVMSIM_ACCESS_CHECK, b.p, b.len, opt_stride, i, 0);
		expect_faults(&e, 0, "churn check");
		tlb += notifiers(&b);
		buf_unmap(&b);
	}
	ex(opt_gt, "svm_pagefault_count", opt_iters * nr);
	ex(opt_gt, "svm_2M_migrate_count", opt_iters * nr);
	ex(0, "svmx_gc_range_count", opt_iters * nr);
	ex(0, "svmx_gc_kb", opt_iters * (opt_size >> 10));
	ex(0, "svmx_evict_count", 0);
	ex_both("tlb_inval_count", tlb);
	ex_zero_defaults();
	vm_destroy(fd, vm);
}

struct thread_arg {
	int fd;
	uint32_t vm;
	int gt;
	uint64_t faults;
	int bad;
};

static void *multi_thread(void *p)
{
	struct thread_arg *a = p;
	struct buf b = buf_map(opt_size, PROT_READ | PROT_WRITE);
	struct drm_svmsim_exec e = {
		.vm_id = a->vm, .gt_id = a->gt, .flags = DRM_SVMSIM_EXEC_PATTERN,
		.pattern = { .addr = (uintptr_t)b.p, .size = b.len,
			     .stride = opt_stride, .value = 77,
			     .op = DRM_SVMSIM_OP_WRITE },
	};
	uint64_t i;

	cpu_init(&b);
	if (ioctl(a->fd, DRM_IOCTL_SVMSIM_EXEC, &e) || e.errors)
		a->bad++;
	a->faults += e.faults;
	e.pattern.op = DRM_SVMSIM_OP_READ;
	e.pattern.flags = DRM_SVMSIM_ACCESS_CHECK;
	if (ioctl(a->fd, DRM_IOCTL_SVMSIM_EXEC, &e) || e.errors || e.mismatches)
		a->bad++;
	a->faults += e.faults;
	for (i = 0; i < b.len / 8; i++)
		if (((uint64_t *)b.p)[i] != ((i * 8) % opt_stride ? cpu_word(i) :
					     77 + (i * 8) / opt_stride))
			a->bad++;
	buf_unmap(&b);
	return NULL;
}

/* One process: its own fd and VM, THREADS threads alternating GTs. */
static int multi_proc(void)
{
	int fd = open_svmsim(), t, bad = 0;
	pthread_t th[64];
	struct thread_arg a[64];
	uint64_t nr = opt_size / SZ_2M, faults = 0;
	uint32_t vm;

	if (fd < 0)
		return 1;
	vm = vm_create(fd);
	for (t = 0; t < opt_threads; t++) {
		a[t] = (struct thread_arg){ .fd = fd, .vm = vm, .gt = t % NGT };
		pthread_create(&th[t], NULL, multi_thread, &a[t]);
	}
	for (t = 0; t < opt_threads; t++) {
		pthread_join(th[t], NULL);
		bad += a[t].bad;
		faults += a[t].faults;
	}
	close(fd);
	if (bad)
		return 1;	/* wrong data or a failed job */
	if (faults != opt_threads * nr) {
		fprintf(stderr, "svm-workload: pid %d: %" PRIu64 " GPU faults, expected %"
			PRIu64 "\n", getpid(), faults, opt_threads * nr);
		return 2;
	}
	return 0;
}

static void scen_multi(void)
{
	uint64_t nr = opt_size / SZ_2M, per_gt[NGT] = { 0 };
	int p, t, st;

	if (opt_threads > 64)
		opt_threads = 64;
	for (p = 0; p < opt_procs; p++)
		if (fork() == 0)
			_exit(multi_proc());
	for (p = 0; p < opt_procs; p++) {
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) == 1)
			fail("multi: a process saw wrong data or a failed job");
		else if (WEXITSTATUS(st) == 2)
			fail("multi: a process had other GPU faults, expected none extra");
	}
	for (t = 0; t < opt_threads; t++)
		per_gt[t % NGT] += opt_procs * nr;
	T.faults_expected = opt_procs * opt_threads * nr;
	T.faults = failures ? 0 : T.faults_expected;
	T.accesses = 2ull * opt_procs * opt_threads * (opt_size / opt_stride);
	T.bytes = T.accesses * 8;
	for (t = 0; t < NGT; t++) {
		ex(t, "svm_pagefault_count", per_gt[t]);
		ex(t, "svm_2M_migrate_count", per_gt[t]);
	}
	ex(0, "svmx_gc_range_count", opt_procs * opt_threads * nr);
	ex(0, "svmx_cpu_fault_migrate_count", opt_procs * opt_threads * nr);
	/*
	 * No zero expectations here: threads of one VM share its notifier, so
	 * a CPU fault of one thread can make another's bind retry (-EAGAIN),
	 * as on xe.
	 */
}

/* ---- correctness-only scenarios ------------------------------------------ */

struct contend_arg {
	volatile uint64_t *w;
	uint64_t n;
	uint64_t adds;
	volatile int stop;
};

static void *cpu_adder(void *p)
{
	struct contend_arg *a = p;
	uint64_t i = 0;

	while (!a->stop) {
		__atomic_fetch_add(&a->w[(i * 8) % a->n], 1, __ATOMIC_SEQ_CST);
		a->adds++;
		i++;
		if (!(i % 64))
			usleep(100);
	}
	return NULL;
}

/* CPU and GPU add to the same words: each add lands exactly once. */
static void scen_contend(int fd)
{
	uint32_t vm = vm_create(fd);
	struct buf b = buf_map(SZ_64K * 2, PROT_READ | PROT_WRITE);
	struct contend_arg a = { .w = (uint64_t *)b.p, .n = b.len / 8 };
	uint64_t sum = 0, gpu_ok = 0, i;
	pthread_t th;
	int k;

	memset(b.p, 0, b.len);
	pthread_create(&th, NULL, cpu_adder, &a);
	for (k = 0; k < opt_iters * 4; k++) {
		struct drm_svmsim_exec e = run_pattern(fd, vm, opt_gt,
			DRM_SVMSIM_OP_ATOMIC_ADD, 0, b.p, b.len, 512, 1, 0);

		gpu_ok += e.accesses_done;
	}
	a.stop = 1;
	pthread_join(th, NULL);
	for (i = 0; i < b.len / 8; i++)
		sum += ((uint64_t *)b.p)[i];
	if (sum != gpu_ok + a.adds)
		fail("contend: words sum to %" PRIu64 ", CPU added %" PRIu64
		     " and GPU %" PRIu64, sum, a.adds, gpu_ok);
	T.errors = 0;	/* failed GPU atomics are legal here: 3 attempts */
	buf_unmap(&b);
	vm_destroy(fd, vm);
}

/* GPU data survives fork; the child's COW writes stay in the child. */
static void scen_fork(int fd)
{
	uint32_t vm = vm_create(fd);
	struct buf b = buf_map(opt_size, PROT_READ | PROT_WRITE);
	struct drm_svmsim_exec e;
	pid_t pid;
	int st;

	cpu_init(&b);
	e = run_pattern(fd, vm, opt_gt, DRM_SVMSIM_OP_WRITE, 0, b.p, b.len,
			opt_stride, 300, 0);
	expect_faults(&e, opt_size / SZ_2M, "GPU write before fork");
	pid = fork();
	if (pid == 0) {
		uint64_t *w = (uint64_t *)b.p, i;

		failures = 0;
		cpu_check(&b, opt_stride, 300);
		for (i = 0; i < b.len / 8; i++)
			w[i] = 0xdeadull;
		_exit(failures ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		fail("fork: the child saw wrong data");
	e = run_pattern(fd, vm, opt_gt, DRM_SVMSIM_OP_READ, DRM_SVMSIM_ACCESS_CHECK,
			b.p, b.len, opt_stride, 300, 0);
	if (e.errors || e.mismatches)
		fail("fork: GPU sees %" PRIu64 " wrong words, %" PRIu64
		     " errors after the child's writes",
		     (uint64_t)e.mismatches, (uint64_t)e.errors);
	cpu_check(&b, opt_stride, 300);
	buf_unmap(&b);
	vm_destroy(fd, vm);
}

static const char *opt_dri;	/* -d: debugfs dir, for "retry" */

static uint64_t read_stat(int gt, const char *name)
{
	char path[256], line[128];
	uint64_t v = 0;
	size_t n = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "%s/gt%d/stats", opt_dri, gt);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':')
			v = strtoull(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

struct hammer {
	volatile uint64_t *w;
	uint64_t n;
	uint64_t adds;
	volatile int stop;
};

static void *cpu_hammer(void *p)
{
	struct hammer *h = p;
	uint64_t i = 0;

	while (!h->stop) {
		__atomic_fetch_add(&h->w[(i * 64) % h->n], 1, __ATOMIC_SEQ_CST);
		h->adds++;
		i++;
	}
	return NULL;
}

/*
 * Provoke fault retries the way they happen on hardware: GPU atomics need
 * the range in VRAM while a CPU thread keeps adding to the same words, so
 * CPU faults pull pages back between the migration and get-pages (or lock
 * them during the migration) and the handler goes round again.  Runs until
 * the kernel reports a retry (stats under -d DRI) or 60 s pass; every add
 * of both sides must land exactly once.
 */
static void scen_retry(int fd)
{
	uint32_t vm = vm_create(fd);
	struct buf b = buf_map(SZ_64K, PROT_READ | PROT_WRITE);
	struct hammer h = { .w = (uint64_t *)b.p, .n = b.len / 8 };
	time_t end = time(NULL) + 60;
	uint64_t gpu_ok = 0, sum = 0, i, rounds = 0;
	pthread_t th;

	if (!opt_dri) {
		fail("retry needs -d /sys/kernel/debug/dri/N");
		return;
	}
	memset(b.p, 0, b.len);
	pthread_create(&th, NULL, cpu_hammer, &h);
	while (!read_stat(opt_gt, "svmx_fault_retry_count") && time(NULL) < end) {
		struct drm_svmsim_exec e = run_pattern(fd, vm, opt_gt,
			DRM_SVMSIM_OP_ATOMIC_ADD, 0, b.p, b.len, 512, 1, 0);

		gpu_ok += e.accesses_done;
		rounds++;
	}
	h.stop = 1;
	pthread_join(th, NULL);
	for (i = 0; i < h.n; i++)
		sum += h.w[i];
	if (sum != gpu_ok + h.adds)
		fail("retry: words sum to %" PRIu64 ", CPU added %" PRIu64
		     " and GPU %" PRIu64, sum, h.adds, gpu_ok);
	if (!read_stat(opt_gt, "svmx_fault_retry_count"))
		fail("retry: no retry in 60 s (%" PRIu64 " rounds)", rounds);
	T.errors = 0;	/* atomics may fail after 3 migration attempts */
	buf_unmap(&b);
	vm_destroy(fd, vm);
}

/*
 * Unload safety: leave data in VRAM in a process that closed the device,
 * tell the caller ("ready" on stdout), wait for a line on stdin (the
 * caller unloads the module meanwhile), then check the data on the CPU:
 * the module must have moved it back to system memory.
 */
static void scen_hold(int fd, bool keep_open)
{
	uint32_t vm = vm_create(fd);
	struct buf b = buf_map(opt_size, PROT_READ | PROT_WRITE);
	struct drm_svmsim_exec e;
	char line[16];

	cpu_init(&b);
	e = run_pattern(fd, vm, opt_gt, DRM_SVMSIM_OP_WRITE, 0, b.p, b.len,
			opt_stride, 4000, 0);
	expect_faults(&e, opt_size / SZ_2M, "GPU write");
	if (!keep_open)
		close(fd);
	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		fail("hold: no go-ahead on stdin");
	if (keep_open) {
		/* the module stayed: the VM still works */
		e = run_pattern(fd, vm, opt_gt, DRM_SVMSIM_OP_READ,
				DRM_SVMSIM_ACCESS_CHECK, b.p, b.len, opt_stride,
				4000, 0);
		expect_faults(&e, 0, "GPU check after failed unload");
	}
	cpu_check(&b, opt_stride, 4000);
	buf_unmap(&b);
}

/* ---- bad input ------------------------------------------------------------ */

static int bi_pass, bi_fail;

static void bi(const char *what, int fd, unsigned long req, void *arg, int want)
{
	int rc = ioctl(fd, req, arg), got = rc ? errno : 0;

	if (got == want) {
		bi_pass++;
		return;
	}
	bi_fail++;
	fprintf(stderr, "svm-workload: badinput %s: got %s, expected %s\n", what,
		got ? strerror(got) : "success", want ? strerror(want) : "success");
}

static void scen_badinput(int fd)
{
	uint32_t vm = vm_create(fd), vm2;
	struct buf b = buf_map(SZ_2M, PROT_READ | PROT_WRITE);
	struct buf ro = buf_map(SZ_64K, PROT_READ);
	struct buf none = buf_map(SZ_64K, PROT_NONE);
	struct drm_svmsim_access acc[2];
	struct drm_svmsim_query q;
	struct drm_svmsim_vm_create c;
	struct drm_svmsim_vm_destroy d;
	struct drm_svmsim_exec e;
	struct drm_svmsim_prefetch pf;
	struct drm_svmsim_madvise m;
	uintptr_t gone;
	int i;

#define RESET(x) memset(&(x), 0, sizeof(x))
	RESET(q); q.reserved[1] = 1;
	bi("query reserved", fd, DRM_IOCTL_SVMSIM_QUERY, &q, EINVAL);
	RESET(q); q.pad = 1;
	bi("query pad", fd, DRM_IOCTL_SVMSIM_QUERY, &q, EINVAL);
	RESET(q);
	bi("query", fd, DRM_IOCTL_SVMSIM_QUERY, &q, 0);
	bi_fail += q.uapi_version != SVMSIM_UAPI_VERSION;

	RESET(c);
	bi("vm_create no flags", fd, DRM_IOCTL_SVMSIM_VM_CREATE, &c, EINVAL);
	RESET(c); c.flags = DRM_SVMSIM_VM_CREATE_FLAG_FAULT_MODE | 2;
	bi("vm_create unknown flag", fd, DRM_IOCTL_SVMSIM_VM_CREATE, &c, EINVAL);
	RESET(c); c.flags = DRM_SVMSIM_VM_CREATE_FLAG_FAULT_MODE; c.reserved[0] = 1;
	bi("vm_create reserved", fd, DRM_IOCTL_SVMSIM_VM_CREATE, &c, EINVAL);
	RESET(c); c.flags = DRM_SVMSIM_VM_CREATE_FLAG_FAULT_MODE; c.pad = 3;
	bi("vm_create pad", fd, DRM_IOCTL_SVMSIM_VM_CREATE, &c, EINVAL);
	RESET(c); c.flags = DRM_SVMSIM_VM_CREATE_FLAG_FAULT_MODE; c.vm_id = 5;
	bi("vm_create vm_id set", fd, DRM_IOCTL_SVMSIM_VM_CREATE, &c, EINVAL);

	RESET(d); d.vm_id = 0;
	bi("vm_destroy id 0", fd, DRM_IOCTL_SVMSIM_VM_DESTROY, &d, ENOENT);
	RESET(d); d.vm_id = 99999;
	bi("vm_destroy unknown", fd, DRM_IOCTL_SVMSIM_VM_DESTROY, &d, ENOENT);
	RESET(d); d.vm_id = vm; d.reserved[1] = 1;
	bi("vm_destroy reserved", fd, DRM_IOCTL_SVMSIM_VM_DESTROY, &d, EINVAL);
	vm2 = vm_create(fd);
	RESET(d); d.vm_id = vm2;
	bi("vm_destroy", fd, DRM_IOCTL_SVMSIM_VM_DESTROY, &d, 0);
	bi("vm_destroy twice", fd, DRM_IOCTL_SVMSIM_VM_DESTROY, &d, ENOENT);

#define EXEC_PAT(op_, addr_, size_, stride_) do {			\
		RESET(e); e.vm_id = vm; e.flags = DRM_SVMSIM_EXEC_PATTERN;	\
		e.pattern.op = (op_); e.pattern.addr = (addr_);		\
		e.pattern.size = (size_); e.pattern.stride = (stride_);	\
	} while (0)
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4096, 8);
	e.vm_id = vm2;
	bi("exec destroyed vm", fd, DRM_IOCTL_SVMSIM_EXEC, &e, ENOENT);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4096, 8); e.vm_id = 0;
	bi("exec vm 0", fd, DRM_IOCTL_SVMSIM_EXEC, &e, ENOENT);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4096, 8); e.gt_id = 2;
	bi("exec gt 2", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4096, 8); e.flags |= 0x80;
	bi("exec unknown flag", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4096, 8); e.reserved[3] = 1;
	bi("exec reserved", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4096, 8); e.num_accesses = 1;
	bi("exec pattern with list", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(7, (uintptr_t)b.p, 4096, 8);
	bi("exec bad op", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4096, 8);
	e.pattern.flags = DRM_SVMSIM_ACCESS_CHECK;
	bi("exec check on write", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4096, 0);
	bi("exec stride 0", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4092, 12);
	bi("exec stride 12", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 4100, 8);
	bi("exec size not multiple", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 0, 8);
	bi("exec size 0", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p + 4, 4096, 8);
	bi("exec unaligned", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)b.p, 1ull << 40, 8);
	bi("exec too many elements", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, 0xffff888000000000ull, 4096, 8);
	bi("exec kernel address", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	/* the top of a 5-level address space, past any TASK_SIZE */
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (1ull << 56) - 4096, 1ull << 20, 8);
	bi("exec past TASK_SIZE", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, ~0ull - 7, 16, 8);
	bi("exec wrapping", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);

	/* list mode */
	RESET(e); e.vm_id = vm;
	bi("exec list empty", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	RESET(e); e.vm_id = vm; e.num_accesses = 1;
	bi("exec list NULL", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	RESET(e); e.vm_id = vm; e.num_accesses = DRM_SVMSIM_MAX_ACCESSES + 1;
	e.accesses = (uintptr_t)acc;
	bi("exec list too long", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	RESET(e); e.vm_id = vm; e.num_accesses = 1; e.accesses = 0x1000;
	bi("exec list bad pointer", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EFAULT);
	RESET(e); e.vm_id = vm; e.num_accesses = 1; e.accesses = (uintptr_t)acc;
	e.pattern.size = 8;
	bi("exec list with pattern", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	memset(acc, 0, sizeof(acc));
	acc[0].addr = (uintptr_t)b.p + 3; acc[0].op = DRM_SVMSIM_OP_READ;
	RESET(e); e.vm_id = vm; e.num_accesses = 1; e.accesses = (uintptr_t)acc;
	bi("exec list unaligned", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	memset(acc, 0, sizeof(acc));
	acc[0].addr = (uintptr_t)b.p; acc[0].op = DRM_SVMSIM_OP_READ; acc[0].pad = 1;
	bi("exec list pad", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	memset(acc, 0, sizeof(acc));
	acc[0].addr = (uintptr_t)b.p; acc[0].op = DRM_SVMSIM_OP_READ; acc[0].flags = 4;
	bi("exec list flag", fd, DRM_IOCTL_SVMSIM_EXEC, &e, EINVAL);
	memset(acc, 0, sizeof(acc));
	acc[0].addr = (uintptr_t)b.p; acc[0].op = DRM_SVMSIM_OP_WRITE; acc[0].value = 11;
	acc[1].addr = (uintptr_t)b.p; acc[1].op = DRM_SVMSIM_OP_READ;
	acc[1].flags = DRM_SVMSIM_ACCESS_CHECK; acc[1].value = 11;
	RESET(e); e.vm_id = vm; e.num_accesses = 2; e.accesses = (uintptr_t)acc;
	bi("exec list write+check", fd, DRM_IOCTL_SVMSIM_EXEC, &e, 0);
	bi_fail += e.accesses_done != 2 || e.mismatches || acc[1].result != 11 ||
		   *(uint64_t *)b.p != 11;

	/* addresses the GPU cannot reach: the job runs, the access fails */
	gone = (uintptr_t)b.p;
	buf_unmap(&b);
	EXEC_PAT(DRM_SVMSIM_OP_READ, gone, 4096, 8);
	bi("exec unmapped runs", fd, DRM_IOCTL_SVMSIM_EXEC, &e, 0);
	bi_fail += e.errors != 512 || e.first_error != -EFAULT ||
		   e.first_error_addr != gone;
	EXEC_PAT(DRM_SVMSIM_OP_WRITE, (uintptr_t)ro.p, 64, 8);
	bi("exec write read-only runs", fd, DRM_IOCTL_SVMSIM_EXEC, &e, 0);
	bi_fail += e.errors != 8 || e.first_error != -EPERM;
	EXEC_PAT(DRM_SVMSIM_OP_READ, (uintptr_t)ro.p, 64, 8);
	bi("exec read read-only", fd, DRM_IOCTL_SVMSIM_EXEC, &e, 0);
	bi_fail += e.errors != 0 || e.accesses_done != 8;
	EXEC_PAT(DRM_SVMSIM_OP_READ, (uintptr_t)none.p, 64, 8);
	bi("exec PROT_NONE runs", fd, DRM_IOCTL_SVMSIM_EXEC, &e, 0);
	bi_fail += e.errors != 8 || e.first_error != -EPERM;

	RESET(pf); pf.vm_id = vm; pf.region = 2; pf.addr = (uintptr_t)ro.p; pf.size = 4096;
	bi("prefetch bad region", fd, DRM_IOCTL_SVMSIM_PREFETCH, &pf, EINVAL);
	RESET(pf); pf.vm_id = vm; pf.addr = (uintptr_t)ro.p + 8; pf.size = 4096;
	bi("prefetch unaligned", fd, DRM_IOCTL_SVMSIM_PREFETCH, &pf, EINVAL);
	RESET(pf); pf.vm_id = vm; pf.addr = (uintptr_t)ro.p;
	bi("prefetch size 0", fd, DRM_IOCTL_SVMSIM_PREFETCH, &pf, EINVAL);
	RESET(pf); pf.vm_id = 777; pf.addr = (uintptr_t)ro.p; pf.size = 4096;
	bi("prefetch unknown vm", fd, DRM_IOCTL_SVMSIM_PREFETCH, &pf, ENOENT);
	RESET(pf); pf.vm_id = vm; pf.addr = (uintptr_t)ro.p; pf.size = 4096;
	pf.reserved[0] = 9;
	bi("prefetch reserved", fd, DRM_IOCTL_SVMSIM_PREFETCH, &pf, EINVAL);
	RESET(pf); pf.vm_id = vm; pf.addr = gone; pf.size = 4096;
	bi("prefetch unmapped", fd, DRM_IOCTL_SVMSIM_PREFETCH, &pf, EFAULT);

	RESET(m); m.vm_id = vm; m.preferred_loc = 3; m.addr = (uintptr_t)ro.p; m.size = 4096;
	bi("madvise bad loc", fd, DRM_IOCTL_SVMSIM_MADVISE, &m, EINVAL);
	RESET(m); m.vm_id = 4242; m.addr = (uintptr_t)ro.p; m.size = 4096;
	bi("madvise unknown vm", fd, DRM_IOCTL_SVMSIM_MADVISE, &m, ENOENT);
	RESET(m); m.vm_id = vm; m.addr = (uintptr_t)ro.p; m.size = 100;
	bi("madvise unaligned size", fd, DRM_IOCTL_SVMSIM_MADVISE, &m, EINVAL);
	for (i = 0; i < 64; i++) {
		RESET(m); m.vm_id = vm; m.addr = (uintptr_t)ro.p; m.size = 4096;
		bi("madvise hint", fd, DRM_IOCTL_SVMSIM_MADVISE, &m, 0);
	}
	bi("madvise 65th hint", fd, DRM_IOCTL_SVMSIM_MADVISE, &m, ENOSPC);

	/* unknown ioctl numbers in the driver range */
	RESET(q);
	bi("unknown ioctl", fd, DRM_IOWR(DRM_COMMAND_BASE + 0x3f,
					 struct drm_svmsim_query), &q, EINVAL);

	/* random garbage: any errno is fine, the kernel must not oops */
	srand(1234);
	for (i = 0; i < 300; i++) {
		unsigned char *p = (unsigned char *)&e;
		size_t k;

		for (k = 0; k < sizeof(e); k++)
			p[k] = rand();
		e.vm_id = (rand() % 3) ? vm : e.vm_id;
		e.pattern.size &= 0xffff;
		if (rand() % 2) {
			e.pattern.addr = (uintptr_t)ro.p + (rand() % 8) * 8;
			e.pattern.size = (rand() % 64) * 8;
		}
		ioctl(fd, DRM_IOCTL_SVMSIM_EXEC, &e);
	}
	bi_pass++;	/* survived */

	buf_unmap(&ro);
	buf_unmap(&none);
	vm_destroy(fd, vm);
	/* a VM left alive on purpose: closing the fd must clean it up */
	vm_create(fd);
	failures += bi_fail;
}

/* ---- main ----------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: svm-workload [-d DRI_DIR] [-g GT] [-s MiB] [-t STRIDE] [-n ITERS] [-P PROCS] [-T THREADS] SCENARIO\n"
		"scenarios: stream random oversub sizes atomic prefetch madvise churn multi\n"
		"           contend fork retry hold holdopen badinput\n"
		"Prints one JSON line of ground truth; exit 1 when data or job results are wrong.\n");
}

int main(int argc, char **argv)
{
	const char *s;
	struct timespec t0, t1;
	int fd = -1, c;

	while ((c = getopt(argc, argv, "d:g:s:t:n:P:T:h")) != -1) {
		switch (c) {
		case 'd': opt_dri = optarg; break;
		case 'g': opt_gt = atoi(optarg); break;
		case 's': opt_size = strtoull(optarg, NULL, 0) << 20; break;
		case 't': opt_stride = strtoull(optarg, NULL, 0); break;
		case 'n': opt_iters = atoi(optarg); break;
		case 'P': opt_procs = atoi(optarg); break;
		case 'T': opt_threads = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1 || opt_gt < 0 || opt_gt >= NGT || !opt_size ||
	    opt_size % SZ_2M || !opt_stride || opt_stride % 8 || opt_procs < 1 ||
	    opt_threads < 1 || opt_iters < 1) {
		usage(stderr);
		return 2;
	}
	s = argv[optind];
	if (strcmp(s, "multi")) {
		fd = open_svmsim();
		if (fd < 0) {
			fprintf(stderr, "svm-workload: no svmsim render node in /dev/dri: load svmsim.ko first\n");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!strcmp(s, "stream"))
		scen_stream(fd, false, false);
	else if (!strcmp(s, "random"))
		scen_stream(fd, true, false);
	else if (!strcmp(s, "oversub"))
		scen_stream(fd, false, true);
	else if (!strcmp(s, "sizes"))
		scen_sizes(fd);
	else if (!strcmp(s, "atomic"))
		scen_atomic(fd);
	else if (!strcmp(s, "prefetch"))
		scen_prefetch(fd);
	else if (!strcmp(s, "madvise"))
		scen_madvise(fd);
	else if (!strcmp(s, "churn"))
		scen_churn(fd);
	else if (!strcmp(s, "multi"))
		scen_multi();
	else if (!strcmp(s, "contend"))
		scen_contend(fd);
	else if (!strcmp(s, "fork"))
		scen_fork(fd);
	else if (!strcmp(s, "badinput"))
		scen_badinput(fd);
	else if (!strcmp(s, "retry"))
		scen_retry(fd);
	else if (!strcmp(s, "hold")) {
		scen_hold(fd, false);
		fd = -1;	/* closed while holding */
	} else if (!strcmp(s, "holdopen"))
		scen_hold(fd, true);
	else {
		usage(stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (fd >= 0)
		close(fd);
	if (!strcmp(s, "badinput")) {
		printf("{\"scenario\":\"badinput\",\"passed\":%d,\"failed\":%d,\"ok\":%s}\n",
		       bi_pass, bi_fail, bi_fail ? "false" : "true");
		return bi_fail ? 1 : 0;
	}
	print_json(s, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return failures ? 1 : 0;
}
