// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic HMM backend, user side.
 *
 * Per target function, libbpf-tools style: fentry/fexit when the function
 * is in the kernel's BTF *and* a trial program really attaches (BTF alone
 * does not prove the kernel can do fentry), else kprobe/kretprobe when the
 * symbol exists.  The losers get bpf_program__set_autoload(false), so a
 * missing function disables only its own programs.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "exitcodes.h"
#include "hmm.h"
#include "hmm.skel.h"

struct hmm_backend {
	struct hmm_bpf *skel;
	struct bpf_link *links[HMM_N_TARGETS][2];
	struct hmm_target t[HMM_N_TARGETS];
	int ncpus;
	void *buf;		/* one value per possible CPU */
};

/* Programs of each target: entry, exit (NULL: none needed). */
static const struct {
	const char *func;
	const char *fentry[2];
	const char *kprobe[2];
} targets[HMM_N_TARGETS] = {
	{ "hmm_range_fault", { "hrf_fentry", "hrf_fexit" },
	  { "hrf_kprobe", "hrf_kretprobe" } },
	{ "migrate_vma_setup", { "mvs_fentry", "mvs_fexit" },
	  { "mvs_kprobe", "mvs_kretprobe" } },
	{ "migrate_vma_pages", { "mvp_fentry", NULL },
	  { "mvp_kprobe", NULL } },
	{ "migrate_vma_finalize", { NULL, "mvf_fexit" },
	  { "mvf_kprobe", "mvf_kretprobe" } },
	{ "migrate_device_range", { "mdr_fentry", "mdr_fexit" },
	  { "mdr_kprobe", "mdr_kretprobe" } },
	{ "migrate_device_pages", { "mdp_fentry", NULL },
	  { "mdp_kprobe", NULL } },
	{ "migrate_device_finalize", { NULL, "mdf_fexit" },
	  { "mdf_kprobe", "mdf_kretprobe" } },
};

const char *const hmm_dir_name[HMM_DIR_MAX] = { "to_device", "to_system" };
const char *const hmm_res_name[HMM_RES_MAX] = {
	"ok", "ebusy", "efault", "eperm", "other"
};

#define F(name, member) { name, offsetof(struct hmm_proc_stats, member) }
#define MIG(dir, d)							\
	F(dir "_setups", mig[d].setups),				\
	F(dir "_setup_errors", mig[d].setup_errors),			\
	F(dir "_pages_requested", mig[d].pages_requested),		\
	F(dir "_pages_collected", mig[d].pages_collected),		\
	F(dir "_pages_calls", mig[d].pages_calls),			\
	F(dir "_finalizes", mig[d].finalizes),				\
	F(dir "_pages_migrated", mig[d].pages_migrated),		\
	F(dir "_ns_sum", mig[d].ns_sum),				\
	F(dir "_collect_ns_sum", mig[d].collect_ns_sum),		\
	F(dir "_copy_ns_sum", mig[d].copy_ns_sum)

const struct hmm_field hmm_fields[] = {
	F("hrf_calls", hrf_calls),
	F("hrf_pages", hrf_pages),
	F("hrf_ok", hrf_result[HMM_RES_OK]),
	F("hrf_ebusy", hrf_result[HMM_RES_EBUSY]),
	F("hrf_efault", hrf_result[HMM_RES_EFAULT]),
	F("hrf_eperm", hrf_result[HMM_RES_EPERM]),
	F("hrf_other_errors", hrf_result[HMM_RES_OTHER]),
	F("hrf_ns_sum", hrf_ns_sum),
	MIG("to_device", HMM_DIR_TO_DEVICE),
	MIG("to_system", HMM_DIR_TO_SYSTEM),
	F("cpu_faults", cpu_faults),
	F("cpu_fault_pages", cpu_fault_pages),
	F("walks", walks),
	F("walk_ops", walk_ops),
};
const size_t hmm_n_fields = sizeof(hmm_fields) / sizeof(hmm_fields[0]);

#define E(name) { #name, offsetof(struct hmm_evict_stats, name) }
const struct hmm_field hmm_evict_fields[] = {
	E(ranges), E(range_errors), E(pages_requested), E(pages_collected),
	E(pages_calls), E(finalizes), E(pages_migrated), E(ns_sum),
};
const size_t hmm_n_evict_fields =
	sizeof(hmm_evict_fields) / sizeof(hmm_evict_fields[0]);

const char *hmm_kind_name(enum hmm_kind k)
{
	switch (k) {
	case HMM_KIND_FENTRY:
		return "fentry";
	case HMM_KIND_KPROBE:
		return "kprobe";
	default:
		return "none";
	}
}

void hmm_stats_add(struct hmm_proc_stats *dst, const struct hmm_proc_stats *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;
	size_t i;

	for (i = 0; i < sizeof(*dst) / sizeof(uint64_t); i++)
		d[i] += s[i];
}

void hmm_health_add(struct hmm_health *dst, const struct hmm_health *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;
	size_t i;

	for (i = 0; i < sizeof(*dst) / sizeof(uint64_t); i++)
		d[i] += s[i];
}

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* Quiet unless -v: failures become our own one-line messages. */
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* CAP_SYS_ADMIN, or CAP_BPF + CAP_PERFMON, in the effective set. */
static bool have_bpf_caps(void)
{
	unsigned long long eff = 0;
	char line[256];
	FILE *f;

	if (geteuid() == 0)
		return true;
	f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> 21 & 1) || ((eff >> 38 & 1) && (eff >> 39 & 1));
}

/*
 * Which of the target functions kallsyms names (vmlinux or a module); one
 * pass over the file, which is large and slow to read under emulation.
 */
static bool ksym[HMM_N_TARGETS + 1];	/* [HMM_N_TARGETS]: scanned */

static bool ksym_exists(const char *func)
{
	char line[512], name[256];
	FILE *f;
	int i;

	if (!ksym[HMM_N_TARGETS]) {
		ksym[HMM_N_TARGETS] = true;
		f = fopen("/proc/kallsyms", "re");
		while (f && fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%*s %*s %255s", name) != 1)
				continue;
			for (i = 0; i < HMM_N_TARGETS; i++)
				if (!strcmp(name, targets[i].func))
					ksym[i] = true;
		}
		if (f)
			fclose(f);
	}
	for (i = 0; i < HMM_N_TARGETS; i++)
		if (!strcmp(func, targets[i].func))
			return ksym[i];
	return false;
}

/* kprobes through the perf PMU (libbpf's default) or legacy tracefs. */
static bool kprobes_supported(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", R_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", W_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", W_OK);
}

/*
 * Load a two-instruction program of the given fentry/fexit type on func
 * and attach it: the only reliable test that this kernel can do it.
 */
static int trial_attach(int btf_id, enum bpf_attach_type type)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = type,
		    .attach_btf_id = btf_id);
	int prog, link, err = 0;

	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "svmtop_trial", "GPL",
			     insns, 2, &opts);
	if (prog < 0)
		return -errno;
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0)
		err = -errno;
	else
		close(link);
	close(prog);
	return err;
}

static bool fentry_works(const struct btf *vmlinux, const char *func,
			 char *why, size_t len)
{
	int id, err;

	if (!vmlinux) {
		snprintf(why, len, "no kernel BTF, so no fentry");
		return false;
	}
	id = btf__find_by_name_kind(vmlinux, func, BTF_KIND_FUNC);
	if (id < 0) {
		snprintf(why, len, "not in the kernel's BTF");
		return false;
	}
	err = trial_attach(id, BPF_TRACE_FENTRY);
	if (!err)
		err = trial_attach(id, BPF_TRACE_FEXIT);
	if (err) {
		snprintf(why, len, "fentry/fexit does not attach here (%s)",
			 strerror(-err));
		return false;
	}
	return true;
}

static void set_autoload(struct bpf_object *obj, const char *const names[2],
			 bool on)
{
	int i;

	for (i = 0; i < 2; i++) {
		struct bpf_program *p;

		if (!names[i])
			continue;
		p = bpf_object__find_program_by_name(obj, names[i]);
		if (p)
			bpf_program__set_autoload(p, on);
	}
}

/* Pick fentry or kprobe (or nothing) for every target; returns how many. */
static int choose(struct hmm_backend *b, const struct hmm_opts *o,
		  const struct btf *vmlinux)
{
	struct bpf_object *obj = b->skel->obj;
	int i, n = 0;

	for (i = 0; i < HMM_N_TARGETS; i++) {
		struct hmm_target *t = &b->t[i];
		char why[128] = "";
		bool fentry = false, kprobe = false;

		t->func = targets[i].func;
		if (o->mode != HMM_MODE_KPROBE)
			fentry = fentry_works(vmlinux, t->func, why, sizeof(why));
		if (!fentry && o->mode != HMM_MODE_FENTRY)
			kprobe = ksym_exists(t->func) && kprobes_supported();
		t->kind = fentry ? HMM_KIND_FENTRY :
			  kprobe ? HMM_KIND_KPROBE : HMM_KIND_NONE;
		if (t->kind != HMM_KIND_NONE)
			;
		else if (!ksym_exists(t->func) &&
			 btf__find_by_name_kind(vmlinux, t->func,
						BTF_KIND_FUNC) < 0)
			snprintf(t->why, sizeof(t->why), "not in this kernel");
		else if (o->mode == HMM_MODE_FENTRY)
			snprintf(t->why, sizeof(t->why), "%s", why);
		else if (o->mode == HMM_MODE_KPROBE)
			snprintf(t->why, sizeof(t->why),
				 "this kernel has no kprobes (CONFIG_KPROBES)");
		else
			snprintf(t->why, sizeof(t->why),
				 "%s, and this kernel has no kprobes", why);
		set_autoload(obj, targets[i].fentry, t->kind == HMM_KIND_FENTRY);
		set_autoload(obj, targets[i].kprobe, t->kind == HMM_KIND_KPROBE);
		n += t->kind != HMM_KIND_NONE;
	}
	return n;
}

static int attach(struct hmm_backend *b)
{
	int i, j, n = 0;

	for (i = 0; i < HMM_N_TARGETS; i++) {
		struct hmm_target *t = &b->t[i];
		const char *const *names;

		if (t->kind == HMM_KIND_NONE)
			continue;
		names = t->kind == HMM_KIND_FENTRY ? targets[i].fentry
						   : targets[i].kprobe;
		for (j = 0; j < 2; j++) {
			struct bpf_program *p;

			if (!names[j])
				continue;
			p = bpf_object__find_program_by_name(b->skel->obj,
							     names[j]);
			b->links[i][j] = p ? bpf_program__attach(p) : NULL;
			if (!b->links[i][j]) {
				snprintf(t->why, sizeof(t->why),
					 "%s attach failed (%s)",
					 hmm_kind_name(t->kind),
					 strerror(errno));
				t->kind = HMM_KIND_NONE;
				break;
			}
		}
		if (t->kind == HMM_KIND_NONE) {
			for (j = 0; j < 2; j++) {
				bpf_link__destroy(b->links[i][j]);
				b->links[i][j] = NULL;
			}
			continue;
		}
		n++;
	}
	return n;
}

static unsigned int page_shift(void)
{
	long sz = sysconf(_SC_PAGESIZE);
	unsigned int s = 0;

	while (sz > 1) {
		sz >>= 1;
		s++;
	}
	return s ? s : 12;
}

/* The entry that absorbs counts once HMM_MAX_PROCS processes are tracked. */
static int create_other(struct hmm_backend *b)
{
	uint32_t key = HMM_TGID_OTHER;

	memset(b->buf, 0, sizeof(struct hmm_proc_stats) * b->ncpus);
	return bpf_map_update_elem(bpf_map__fd(b->skel->maps.hmm_procs), &key,
				   b->buf, BPF_NOEXIST) ? -errno : 0;
}

int hmm_backend_open(const struct hmm_opts *o, struct hmm_backend **out)
{
	struct hmm_backend *b;
	struct btf *vmlinux;
	int i, err, ret = EXIT_NOBPF;

	*out = NULL;
	verbose = o->verbose;
	libbpf_set_print(libbpf_print);

	if (!have_bpf_caps()) {
		fprintf(stderr, "svmtop: the BPF backend needs root (CAP_BPF and CAP_PERFMON): run as root (sudo svmtop stat --bpf)\n");
		return EXIT_NOPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "svmtop: this kernel has no BTF (/sys/kernel/btf/vmlinux): the BPF backend needs a kernel built with CONFIG_DEBUG_INFO_BTF=y\n");
		return EXIT_NOBPF;
	}
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux) {
		fprintf(stderr, "svmtop: cannot read the kernel's BTF: %s\n",
			strerror(errno));
		return EXIT_NOBPF;
	}

	b = calloc(1, sizeof(*b));
	if (!b)
		goto oom;
	b->ncpus = libbpf_num_possible_cpus();
	if (b->ncpus <= 0) {
		fprintf(stderr, "svmtop: cannot count the CPUs: %s\n",
			strerror(-b->ncpus));
		goto fail;
	}
	b->buf = calloc(b->ncpus, sizeof(struct hmm_proc_stats));
	b->skel = hmm_bpf__open();
	if (!b->buf || !b->skel) {
		if (!b->skel)
			fprintf(stderr, "svmtop: cannot open the HMM BPF object: %s\n",
				strerror(errno));
		goto fail;
	}

	/* Every SVM driver mirrors through hmm_range_fault(): no HMM without. */
	if (btf__find_by_name_kind(vmlinux, "hmm_range_fault",
				   BTF_KIND_FUNC) < 0 &&
	    !ksym_exists("hmm_range_fault")) {
		fprintf(stderr, "svmtop: this kernel has no HMM: hmm_range_fault() is missing (it needs CONFIG_HMM_MIRROR=y; device memory also CONFIG_DEVICE_PRIVATE=y)\n");
		goto fail;
	}
	if (!choose(b, o, vmlinux)) {
		for (i = 0; i < HMM_N_TARGETS; i++)
			fprintf(stderr, "svmtop: %s: %s\n", b->t[i].func,
				b->t[i].why);
		goto fail;
	}
	for (i = 0; i < HMM_N_TARGETS; i++)
		if (b->t[i].kind == HMM_KIND_NONE)
			fprintf(stderr, "svmtop: %s: %s; its counters stay 0\n",
				b->t[i].func, b->t[i].why);

	b->skel->rodata->page_shift = page_shift();
	b->skel->rodata->filter_tgid = o->filter_tgid;

	err = hmm_bpf__load(b->skel);
	if (err) {
		if (err == -EPERM || err == -EACCES) {
			fprintf(stderr, "svmtop: loading the HMM BPF programs was refused (%s): run as root\n",
				strerror(-err));
			ret = EXIT_NOPERM;
		} else {
			fprintf(stderr, "svmtop: loading the HMM BPF programs failed: %s (run with -v for the verifier log)\n",
				strerror(-err));
		}
		goto fail;
	}
	err = create_other(b);
	if (err)
		fprintf(stderr, "svmtop: cannot create the overflow entry: %s; processes beyond %d would go uncounted\n",
			strerror(-err), HMM_MAX_PROCS);
	if (!attach(b)) {
		for (i = 0; i < HMM_N_TARGETS; i++)
			fprintf(stderr, "svmtop: %s: %s\n", b->t[i].func,
				b->t[i].why);
		goto fail;
	}
	/* Report attach failures that came after the choice. */
	for (i = 0; i < HMM_N_TARGETS; i++)
		if (b->t[i].kind == HMM_KIND_NONE && strstr(b->t[i].why, "attach failed"))
			fprintf(stderr, "svmtop: %s: %s; its counters stay 0\n",
				b->t[i].func, b->t[i].why);
	btf__free(vmlinux);
	*out = b;
	return EXIT_OK;
oom:
	fprintf(stderr, "svmtop: out of memory\n");
fail:
	btf__free(vmlinux);
	hmm_backend_close(b);
	return ret;
}

const struct hmm_target *hmm_backend_targets(const struct hmm_backend *b)
{
	return b->t;
}

static int cmp_tgid(const void *a, const void *b)
{
	const struct hmm_proc *x = a, *y = b;

	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

int hmm_backend_read(struct hmm_backend *b, struct hmm_snapshot *s)
{
	int procs = bpf_map__fd(b->skel->maps.hmm_procs);
	int comms = bpf_map__fd(b->skel->maps.hmm_comms);
	int health = bpf_map__fd(b->skel->maps.hmm_health);
	const struct hmm_proc_stats *pcpu = b->buf;
	const struct hmm_health *hcpu = b->buf;
	const struct hmm_evict_stats *ecpu = b->buf;
	int evict = bpf_map__fd(b->skel->maps.hmm_evict);
	uint32_t key, next, zero = 0;
	size_t cap = 0;
	int c, err;
	void *prev = NULL;

	memset(s, 0, sizeof(*s));
	while (!bpf_map_get_next_key(procs, prev, &next)) {
		struct hmm_proc *p;
		struct hmm_comm comm;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(procs, &key, b->buf))
			continue;	/* deleted meanwhile: cannot happen */
		if (s->n == cap) {
			struct hmm_proc *v;

			cap = cap ? cap * 2 : 16;
			v = realloc(s->v, cap * sizeof(*v));
			if (!v) {
				hmm_snapshot_free(s);
				return -ENOMEM;
			}
			s->v = v;
		}
		p = &s->v[s->n++];
		memset(p, 0, sizeof(*p));
		p->tgid = key;
		for (c = 0; c < b->ncpus; c++)
			hmm_stats_add(&p->st, &pcpu[c]);
		hmm_stats_add(&s->total, &p->st);
		if (key == HMM_TGID_OTHER)
			snprintf(p->comm, sizeof(p->comm), "[other]");
		else if (key == HMM_TGID_UNKNOWN)
			snprintf(p->comm, sizeof(p->comm), "[unknown]");
		else if (!bpf_map_lookup_elem(comms, &key, &comm))
			memcpy(p->comm, comm.comm, sizeof(p->comm) - 1);
	}
	if (errno != ENOENT) {
		err = -errno;
		hmm_snapshot_free(s);
		return err;
	}
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_tgid);
	if (!bpf_map_lookup_elem(health, &zero, b->buf))
		for (c = 0; c < b->ncpus; c++)
			hmm_health_add(&s->health, &hcpu[c]);
	if (!bpf_map_lookup_elem(evict, &zero, b->buf))
		for (c = 0; c < b->ncpus; c++) {
			uint64_t *d = (uint64_t *)&s->evict;
			const uint64_t *v = (const uint64_t *)&ecpu[c];
			size_t i;

			for (i = 0; i < sizeof(s->evict) / sizeof(*d); i++)
				d[i] += v[i];
		}
	return 0;
}

void hmm_snapshot_free(struct hmm_snapshot *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void hmm_backend_close(struct hmm_backend *b)
{
	int i, j;

	if (!b)
		return;
	for (i = 0; i < HMM_N_TARGETS; i++)
		for (j = 0; j < 2; j++)
			bpf_link__destroy(b->links[i][j]);
	hmm_bpf__destroy(b->skel);
	free(b->buf);
	free(b);
}
