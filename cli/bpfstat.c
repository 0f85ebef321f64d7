// SPDX-License-Identifier: GPL-2.0-only
/*
 * `svmtop stat --bpf`: the generic HMM backend's counters per process and
 * in total, as a table, NDJSON or Prometheus text.
 *
 * BPF counters exist only while svmtop is attached, so without -i svmtop
 * traces until Ctrl-C (or SIGTERM) and then reports what it saw, like the
 * libbpf-tools.  With -i it reports every interval (rates in the table,
 * cumulative counters plus rates in JSON, cumulative in Prometheus) and,
 * when stopped by a signal, one last sample so nothing seen is lost.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "hmm.h"
#include "svm.h"
#include "json.h"
#include "prom.h"
#include "units.h"

#define PROM_PROCS_DEFAULT	HMM_PROM_PROCS_DEFAULT
#define PROM_PROCS_MAX		HMM_PROM_PROCS_MAX

enum bfmt { BF_TABLE, BF_JSON, BF_PROM };

struct bpfstat_opts {
	struct hmm_opts hmm;
	double interval;
	long count;
	enum bfmt format;
	int prom_procs;		/* per-process Prometheus series; 0: none */
};

struct sample {
	unsigned long seq;
	double time;
	double interval;		/* 0: no rates */
	const struct hmm_snapshot *cur;
	const struct hmm_snapshot *prev;	/* NULL: no rates */
	const struct hmm_target *targets;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

bool stat_wants_bpf(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--bpf"))
			return true;
	}
	return false;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: svmtop stat --bpf [OPTIONS] [INTERVAL [COUNT]]\n"
"Count what GPU drivers ask of the kernel's HMM layer, per process:\n"
"hmm_range_fault() calls, pages and results; migrations to the device and\n"
"back (migrate_vma_*), pages requested, collected and migrated, CPU faults\n"
"on device memory; page-table walks per operation; latency histograms;\n"
"device memory the driver evicts by pfn range (migrate_device_*).\n"
"Works with any HMM driver (xe, amdgpu, nouveau, test_hmm).  Needs root and\n"
"a kernel with BTF, fentry or kprobes, and CONFIG_HMM_MIRROR.\n\n"
"Options:\n"
"  -i, --interval SECS  report every SECS seconds (table: per-second rates)\n"
"  -n, --count N        stop after N reports\n"
"      --json           NDJSON: one object per sample, cumulative counters\n"
"                       (and rates with -i); sample 0 right after attaching\n"
"      --prom           Prometheus text format 0.0.4, cumulative counters\n"
"      --per-process[=N] with --prom: series per process for the N busiest\n"
"                       (default %d, at most %d)\n"
"  -p, --pid PID        count only process PID\n"
"      --backend KIND   auto (default: fentry where it attaches, else\n"
"                       kprobe), fentry or kprobe\n"
"  -v, --verbose        libbpf and verifier messages\n"
"  -h, --help           this help\n\n"
"Without -i, svmtop traces until Ctrl-C and then reports.\n\n"
"Examples:\n"
"  sudo svmtop stat --bpf                  # trace, Ctrl-C, table\n"
"  sudo svmtop stat --bpf -i 1             # per-second rates\n"
"  sudo svmtop stat --bpf --json -i 5      # NDJSON every 5 s\n"
"  sudo svmtop stat --bpf --prom -i 15 --per-process=5\n\n"
"Exit codes: 0 ok, 1 error, 2 usage, 3 not permitted (run as root),\n"
"8 no BPF backend could attach (no BTF, no HMM in this kernel).\n",
		PROM_PROCS_DEFAULT, PROM_PROCS_MAX);
}

static int parse_num(const char *what, const char *s, double lo, double hi,
		     double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi)) {
		fprintf(stderr, "svmtop: bad %s '%s': give a number from %g to %g\n",
			what, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

enum { OPT_BPF = 256, OPT_JSON, OPT_PROM, OPT_BACKEND, OPT_PERPROC };

/* -1: usage error (printed), 1: --help done, 0: run. */
static int parse_args(int argc, char **argv, struct bpfstat_opts *o)
{
	static const struct option longopts[] = {
		{ "bpf", no_argument, NULL, OPT_BPF },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "prom", no_argument, NULL, OPT_PROM },
		{ "per-process", optional_argument, NULL, OPT_PERPROC },
		{ "pid", required_argument, NULL, 'p' },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, formats = 0;
	double v;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+i:n:p:vh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_BPF:
			break;
		case 'i':
			if (parse_num("interval", optarg, 0.01, 86400, &o->interval))
				return -1;
			break;
		case 'n':
			if (parse_num("count", optarg, 1, 1e9, &v))
				return -1;
			o->count = (long)v;
			break;
		case OPT_JSON:
			o->format = BF_JSON;
			formats++;
			break;
		case OPT_PROM:
			o->format = BF_PROM;
			formats++;
			break;
		case OPT_PERPROC:
			v = PROM_PROCS_DEFAULT;
			if (optarg && parse_num("--per-process", optarg, 1,
						PROM_PROCS_MAX, &v))
				return -1;
			o->prom_procs = (int)v;
			break;
		case 'p':
			if (parse_num("pid", optarg, 1, 4194304, &v))
				return -1;
			o->hmm.filter_tgid = (uint32_t)v;
			break;
		case OPT_BACKEND:
			if (!strcmp(optarg, "auto"))
				o->hmm.mode = HMM_MODE_AUTO;
			else if (!strcmp(optarg, "fentry"))
				o->hmm.mode = HMM_MODE_FENTRY;
			else if (!strcmp(optarg, "kprobe"))
				o->hmm.mode = HMM_MODE_KPROBE;
			else {
				fprintf(stderr, "svmtop: bad --backend '%s': give auto, fentry or kprobe\n",
					optarg);
				return -1;
			}
			break;
		case 'v':
			o->hmm.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "svmtop: stat --bpf: bad option '%s'; see 'svmtop stat --bpf --help'\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc &&
	    parse_num("interval", argv[optind++], 0.01, 86400, &o->interval))
		return -1;
	if (optind < argc) {
		if (parse_num("count", argv[optind++], 1, 1e9, &v))
			return -1;
		o->count = (long)v;
	}
	if (optind < argc) {
		fprintf(stderr, "svmtop: stat --bpf: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (formats > 1) {
		fprintf(stderr, "svmtop: stat --bpf: choose one of --json, --prom\n");
		return -1;
	}
	if (o->count && !o->interval) {
		fprintf(stderr, "svmtop: stat --bpf: -n needs -i SECS\n");
		return -1;
	}
	if (o->prom_procs && o->format != BF_PROM) {
		fprintf(stderr, "svmtop: stat --bpf: --per-process goes with --prom (JSON and the table always show processes)\n");
		return -1;
	}
	return 0;
}

/* ---- helpers ---------------------------------------------------------- */

static const struct hmm_proc *find_proc(const struct hmm_snapshot *s,
					uint32_t tgid)
{
	size_t lo = 0, hi = s ? s->n : 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->v[mid].tgid == tgid)
			return &s->v[mid];
		if (s->v[mid].tgid < tgid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool all_zero(const struct hmm_proc_stats *st)
{
	const uint64_t *v = (const uint64_t *)st;
	size_t i;

	for (i = 0; i < sizeof(*st) / sizeof(*v); i++)
		if (v[i])
			return false;
	return true;
}

/* cur - prev, field by field; a process new since prev counts from 0. */
static void stats_delta(struct hmm_proc_stats *d,
			const struct hmm_proc_stats *cur,
			const struct hmm_proc_stats *prev)
{
	const uint64_t *c = (const uint64_t *)cur;
	const uint64_t *p = (const uint64_t *)prev;
	uint64_t *o = (uint64_t *)d;
	size_t i;

	for (i = 0; i < sizeof(*d) / sizeof(*o); i++)
		o[i] = c[i] - (p ? p[i] : 0);
}

static uint64_t mig_done(const struct hmm_mig_stats *m)
{
	return m->setups - m->setup_errors;
}

static char *avg_us(char *buf, size_t len, uint64_t ns, uint64_t n)
{
	if (!n)
		snprintf(buf, len, "-");
	else
		units_duration_us(buf, len, (double)ns / n / 1000.0);
	return buf;
}

static uint64_t evict_get(const struct hmm_evict_stats *e,
			  const struct hmm_field *f)
{
	return *(const __u64 *)((const char *)e + f->off);
}

/* ---- table ------------------------------------------------------------ */

static void table_row(FILE *f, const char *tgid, const char *comm,
		      const struct hmm_proc_stats *st, double per)
{
	const struct hmm_mig_stats *d = &st->mig[HMM_DIR_TO_DEVICE];
	const struct hmm_mig_stats *y = &st->mig[HMM_DIR_TO_SYSTEM];
	char a1[24], a2[24], wpo[24];
	uint64_t mig = d->finalizes + y->finalizes;

	if (st->walk_ops)
		snprintf(wpo, sizeof(wpo), "%.2f",
			 (double)st->walks / st->walk_ops);
	else
		snprintf(wpo, sizeof(wpo), "-");
#define V(x) ((per) > 0 ? (double)(x) / (per) : (double)(x))
	fprintf(f, "%8s %-15.15s %9.*f %9.*f %7.*f %8s %8.*f %9.*f %8.*f %9.*f %8.*f %8s %8.*f %8.*f %5s\n",
		tgid, comm,
		per > 0, V(st->hrf_calls), per > 0, V(st->hrf_pages),
		per > 0, V(st->hrf_calls - st->hrf_result[HMM_RES_OK]),
		avg_us(a1, sizeof(a1), st->hrf_ns_sum, st->hrf_calls),
		per > 0, V(mig_done(d)), per > 0, V(d->pages_migrated),
		per > 0, V(mig_done(y)), per > 0, V(y->pages_migrated),
		per > 0, V(st->cpu_faults),
		avg_us(a2, sizeof(a2), d->ns_sum + y->ns_sum, mig),
		per > 0, V(st->walks), per > 0, V(st->walk_ops), wpo);
#undef V
}

/* Anything the backend could not account, never silently (cumulative). */
static void write_health_note(FILE *f, const struct hmm_health *h)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "proc_lost", offsetof(struct hmm_health, proc_lost) },
		{ "call_stash_full", offsetof(struct hmm_health, call_stash_full) },
		{ "call_lost_return", offsetof(struct hmm_health, call_lost_return) },
		{ "call_orphan_return", offsetof(struct hmm_health, call_orphan_return) },
		{ "mig_pending_full", offsetof(struct hmm_health, mig_pending_full) },
		{ "mig_orphan", offsetof(struct hmm_health, mig_orphan) },
		{ "mig_count_truncated", offsetof(struct hmm_health, mig_count_truncated) },
		{ "unattributed", offsetof(struct hmm_health, unattributed) },
	};
	bool any = false;
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		uint64_t v = *(const __u64 *)((const char *)h + fields[i].off);

		if (!v)
			continue;
		fprintf(f, "%s %s=%" PRIu64, any ? "" : "backend problems since attach:",
			fields[i].name, v);
		any = true;
	}
	if (any)
		fprintf(f, " (see tests/vm/hmm-expected.md)\n");
}

static void write_table(FILE *f, const struct sample *s)
{
	struct hmm_proc_stats d;
	double per = s->prev ? s->interval : 0;
	size_t i;
	int t;

	if (s->seq > 1)
		fputc('\n', f);
	fprintf(f, "HMM backend:");
	for (t = 0; t < HMM_N_TARGETS; t++)
		fprintf(f, " %s=%s", s->targets[t].func,
			hmm_kind_name(s->targets[t].kind));
	fputc('\n', f);
	if (per > 0)
		fprintf(f, "--- sample %lu: per-second rates over %.2fs; averages over the interval ---\n",
			s->seq, s->interval);
	fprintf(f, "%8s %-15s %9s %9s %7s %8s %8s %9s %8s %9s %8s %8s %8s %8s %5s\n",
		"TGID", "COMM", "RF_CALLS", "RF_PAGES", "RF_ERR", "RF_AVG",
		"MIG>DEV", "PAGES>DEV", "MIG>SYS", "PAGES>SYS", "CPU_FLT",
		"MIG_AVG", "WALKS", "OPS", "W/OP");
	for (i = 0; i < s->cur->n; i++) {
		const struct hmm_proc *p = &s->cur->v[i];
		const struct hmm_proc *q = find_proc(s->prev, p->tgid);
		char tgid[16];

		stats_delta(&d, &p->st, per > 0 && q ? &q->st : NULL);
		if (all_zero(&d))
			continue;
		snprintf(tgid, sizeof(tgid), "%" PRIu32, p->tgid);
		if (p->tgid == HMM_TGID_OTHER)
			snprintf(tgid, sizeof(tgid), "-");
		table_row(f, tgid, p->comm, &d, per);
	}
	stats_delta(&d, &s->cur->total, per > 0 ? &s->prev->total : NULL);
	table_row(f, "TOTAL", "", &d, per);
	if (s->cur->health.proc_overflow)
		fprintf(f, "note: more than %d processes; %" PRIu64 " events counted under '-' [other]\n",
			HMM_MAX_PROCS, (uint64_t)s->cur->health.proc_overflow);
	if (s->cur->evict.ranges) {
		struct hmm_evict_stats e = s->cur->evict;

		if (per > 0) {
			e.ranges -= s->prev->evict.ranges;
			e.pages_collected -= s->prev->evict.pages_collected;
			e.pages_migrated -= s->prev->evict.pages_migrated;
		}
		fprintf(f, "device evictions (migrate_device_*, no process): %" PRIu64 " ranges, %" PRIu64 " pages collected, %" PRIu64 " migrated to system%s\n",
			(uint64_t)e.ranges, (uint64_t)e.pages_collected,
			(uint64_t)e.pages_migrated,
			per > 0 ? " in the interval" : "");
	}
	write_health_note(f, &s->cur->health);
	fflush(f);
}

/* ---- JSON ------------------------------------------------------------- */

static void json_hist(struct json_writer *w, const char *key,
		      const __u64 *h)
{
	int last = HMM_HIST_SLOTS - 1, k;

	while (last >= 0 && !h[last])
		last--;
	json_arr_begin(w, key);
	for (k = 0; k <= last; k++)
		json_u64(w, NULL, h[k]);
	json_arr_end(w);
}

static void json_stats(struct json_writer *w, const struct hmm_proc_stats *st,
		       const struct hmm_proc_stats *prev, double interval)
{
	size_t i;

	for (i = 0; i < hmm_n_fields; i++)
		json_u64(w, hmm_fields[i].name, hmm_field_get(st, &hmm_fields[i]));
	/* log2 slots: element k counts latencies in [2^k, 2^(k+1)) ns */
	json_hist(w, "hrf_hist_ns", st->hrf_hist);
	json_hist(w, "to_device_hist_ns", st->mig[HMM_DIR_TO_DEVICE].hist);
	json_hist(w, "to_system_hist_ns", st->mig[HMM_DIR_TO_SYSTEM].hist);
	if (interval > 0) {
		json_obj_begin(w, "rates");
		for (i = 0; i < hmm_n_fields; i++) {
			uint64_t c = hmm_field_get(st, &hmm_fields[i]);
			uint64_t p = prev ? hmm_field_get(prev, &hmm_fields[i]) : 0;

			if (strstr(hmm_fields[i].name, "_ns_sum"))
				continue;
			json_double(w, hmm_fields[i].name, (c - p) / interval, 3);
		}
		json_obj_end(w);
	}
}

static void write_json(FILE *f, const struct sample *s)
{
	struct json_writer w;
	double iv = s->prev ? s->interval : 0;
	size_t i;
	int t;

	json_init(&w, f);
	json_obj_begin(&w, NULL);
	json_u64(&w, "sample", s->seq);
	json_double(&w, "time", s->time, 3);
	if (iv > 0)
		json_double(&w, "interval_s", iv, 3);
	else
		json_null(&w, "interval_s");
	json_str(&w, "source", "hmm-bpf");
	json_obj_begin(&w, "probes");
	for (t = 0; t < HMM_N_TARGETS; t++)
		json_str(&w, s->targets[t].func,
			 hmm_kind_name(s->targets[t].kind));
	json_obj_end(&w);
	json_obj_begin(&w, "health");
	json_u64(&w, "proc_overflow", s->cur->health.proc_overflow);
	json_u64(&w, "proc_lost", s->cur->health.proc_lost);
	json_u64(&w, "call_stash_full", s->cur->health.call_stash_full);
	json_u64(&w, "call_lost_return", s->cur->health.call_lost_return);
	json_u64(&w, "call_orphan_return", s->cur->health.call_orphan_return);
	json_u64(&w, "mig_pending_full", s->cur->health.mig_pending_full);
	json_u64(&w, "mig_orphan", s->cur->health.mig_orphan);
	json_u64(&w, "mig_count_truncated", s->cur->health.mig_count_truncated);
	json_u64(&w, "unattributed", s->cur->health.unattributed);
	json_obj_end(&w);
	/* Device-wide: memory the driver evicted by pfn range, no process. */
	json_obj_begin(&w, "evictions");
	for (i = 0; i < hmm_n_evict_fields; i++)
		json_u64(&w, hmm_evict_fields[i].name,
			 evict_get(&s->cur->evict, &hmm_evict_fields[i]));
	json_obj_end(&w);
	json_obj_begin(&w, "total");
	json_stats(&w, &s->cur->total, s->prev ? &s->prev->total : NULL, iv);
	json_obj_end(&w);
	json_arr_begin(&w, "processes");
	for (i = 0; i < s->cur->n; i++) {
		const struct hmm_proc *p = &s->cur->v[i];
		const struct hmm_proc *q = find_proc(s->prev, p->tgid);

		if (all_zero(&p->st))
			continue;
		json_obj_begin(&w, NULL);
		if (p->tgid == HMM_TGID_OTHER)
			json_str(&w, "tgid", "other");
		else
			json_u64(&w, "tgid", p->tgid);
		json_str(&w, "comm", p->comm);
		json_stats(&w, &p->st, q ? &q->st : NULL, iv);
		json_obj_end(&w);
	}
	json_arr_end(&w);
	json_obj_end(&w);
	json_line_end(&w);
}

/* ---- Prometheus ------------------------------------------------------- */

static void prom_seconds(FILE *f, const char *name, const struct prom_label *l,
			 size_t n, uint64_t ns)
{
	char v[48];

	prom_sample(f, name, l, n, units_exact(v, sizeof(v), ns, 1, 9));
}

/*
 * A floor-log2 slot k holds [2^k, 2^(k+1)) ns, so its upper bound
 * le = 2^(k+1) ns; the last slot is open and only reaches +Inf.
 */
static void prom_hist(FILE *f, const char *family, struct prom_label *l,
		      size_t n, const __u64 *h, uint64_t ns_sum)
{
	char name[128], le[48];
	uint64_t cum = 0;
	int k;

	snprintf(name, sizeof(name), "%s_bucket", family);
	for (k = 0; k < HMM_HIST_SLOTS - 1; k++) {
		cum += h[k];
		l[n] = (struct prom_label){ "le",
			units_exact(le, sizeof(le), 2ULL << k, 1, 9) };
		prom_sample_u64(f, name, l, n + 1, cum);
	}
	cum += h[HMM_HIST_SLOTS - 1];
	l[n] = (struct prom_label){ "le", "+Inf" };
	prom_sample_u64(f, name, l, n + 1, cum);
	snprintf(name, sizeof(name), "%s_sum", family);
	prom_seconds(f, name, l, n, ns_sum);
	snprintf(name, sizeof(name), "%s_count", family);
	prom_sample_u64(f, name, l, n, cum);
}

struct prom_row {
	const struct hmm_proc_stats *st;
	struct prom_label l[4];		/* pid, comm, + 2 family labels */
	size_t n;
};

static uint64_t busy(const struct hmm_proc_stats *st)
{
	return st->walks + st->mig[0].pages_migrated + st->mig[1].pages_migrated;
}

static int cmp_busy(const void *a, const void *b)
{
	uint64_t x = busy(&(*(const struct hmm_proc *const *)a)->st);
	uint64_t y = busy(&(*(const struct hmm_proc *const *)b)->st);

	return x > y ? -1 : x < y;
}

/*
 * One family for the totals (rows[0]) and, when per-process series were
 * asked for, a second family svmtop_hmm_process_* for rows[1..]: separate
 * names, so that summing a family never counts anything twice.
 */
static void prom_counter(FILE *f, const char *name, const char *help,
			 const struct prom_row *rows, size_t nrows,
			 const char *xlabel, const char *const *xvals, int nx,
			 size_t stride, size_t base_off)
{
	static const char prefix[] = "svmtop_hmm_";
	char pname[128];
	size_t r;
	int x;

	snprintf(pname, sizeof(pname), "svmtop_hmm_process_%s",
		 name + sizeof(prefix) - 1);
	for (r = 0; r < nrows; r++) {
		struct prom_label l[4];

		if (r == 0)
			prom_family(f, name, "counter", help);
		else if (r == 1)
			prom_family(f, pname, "counter", help);

		memcpy(l, rows[r].l, sizeof(l));
		for (x = 0; x < (nx ? nx : 1); x++) {
			const char *p = (const char *)rows[r].st + base_off +
					(size_t)x * stride;

			l[rows[r].n] = (struct prom_label){ xlabel,
				nx ? xvals[x] : NULL };
			prom_sample_u64(f, r ? pname : name, l, rows[r].n + 1,
					*(const uint64_t *)p);
		}
	}
}

#define OFF(m) offsetof(struct hmm_proc_stats, m)
#define MOFF(m) (OFF(mig[0]) + offsetof(struct hmm_mig_stats, m))

static void write_prom(FILE *f, const struct sample *s, int nprocs)
{
	if (s->seq)
		fputc('\n', f);
	prom_build_info(f);
	hmm_write_prom_families(f, s->cur, s->targets, nprocs, true);
}

void hmm_write_prom_families(FILE *f, const struct hmm_snapshot *cur,
			     const struct hmm_target *targets, int nprocs,
			     bool probe_gauge)
{
	static const char *const stage[] = { "requested", "collected",
					     "migrated" };
	struct prom_row rows[1 + PROM_PROCS_MAX];
	const struct hmm_proc *top[PROM_PROCS_MAX + 1];
	char pids[PROM_PROCS_MAX][16];
	size_t nrows = 1, i, ntop = 0;
	struct prom_label l[4];
	int t, d;

	if (nprocs > PROM_PROCS_MAX)
		nprocs = PROM_PROCS_MAX;
	if (probe_gauge) {
		prom_family(f, "svmtop_hmm_probe_attached", "gauge",
			    "1 if svmtop's HMM probe on this kernel function is attached (kind says how), 0 if not: its counters then stay 0.");
		for (t = 0; t < HMM_N_TARGETS; t++) {
			l[0] = (struct prom_label){ "probe", targets[t].func };
			l[1] = (struct prom_label){ "kind",
				hmm_kind_name(targets[t].kind) };
			prom_sample_u64(f, "svmtop_hmm_probe_attached", l, 2,
					targets[t].kind != HMM_KIND_NONE);
		}
	}
	prom_family(f, "svmtop_hmm_backend_problems_total", "counter",
		    "Events the HMM backend could not account normally, by kind (see tests/vm/hmm-expected.md).");
#define PH(k) do {							\
		l[0] = (struct prom_label){ "kind", #k };		\
		prom_sample_u64(f, "svmtop_hmm_backend_problems_total", l, 1, \
				cur->health.k);			\
	} while (0)
	PH(proc_overflow); PH(proc_lost); PH(call_stash_full);
	PH(call_lost_return); PH(call_orphan_return); PH(mig_pending_full);
	PH(mig_orphan); PH(mig_count_truncated); PH(unattributed);
#undef PH

	rows[0].st = &cur->total;
	rows[0].n = 0;
	if (nprocs) {
		for (i = 0; i < cur->n && ntop < PROM_PROCS_MAX + 1; i++)
			if (!all_zero(&cur->v[i].st))
				top[ntop++] = &cur->v[i];
		qsort(top, ntop, sizeof(top[0]), cmp_busy);
		if (ntop > (size_t)nprocs)
			ntop = nprocs;
		for (i = 0; i < ntop; i++) {
			struct prom_row *r = &rows[nrows++];

			snprintf(pids[i], sizeof(pids[i]), "%" PRIu32,
				 top[i]->tgid);
			r->st = &top[i]->st;
			r->l[0] = (struct prom_label){ "pid",
				top[i]->tgid == HMM_TGID_OTHER ? "other" : pids[i] };
			r->l[1] = (struct prom_label){ "comm", top[i]->comm };
			r->n = 2;
		}
	}

	prom_counter(f, "svmtop_hmm_range_fault_calls_total",
		     "hmm_range_fault() calls by result (ok, ebusy, efault, eperm, other).",
		     rows, nrows, "result", hmm_res_name, HMM_RES_MAX,
		     sizeof(uint64_t), OFF(hrf_result));
	prom_counter(f, "svmtop_hmm_range_fault_pages_total",
		     "Pages requested from hmm_range_fault(): (end - start) / PAGE_SIZE.",
		     rows, nrows, NULL, NULL, 0, 0, OFF(hrf_pages));
	prom_counter(f, "svmtop_hmm_migrate_setups_total",
		     "migrate_vma_setup() calls by direction (to_device: the selection includes system pages).",
		     rows, nrows, "direction", hmm_dir_name, HMM_DIR_MAX,
		     sizeof(struct hmm_mig_stats), MOFF(setups));
	prom_counter(f, "svmtop_hmm_migrate_setup_errors_total",
		     "migrate_vma_setup() calls that returned an error, by direction.",
		     rows, nrows, "direction", hmm_dir_name, HMM_DIR_MAX,
		     sizeof(struct hmm_mig_stats), MOFF(setup_errors));
	prom_counter(f, "svmtop_hmm_migrations_total",
		     "Migrations finalized (migrate_vma_finalize()), by direction.",
		     rows, nrows, "direction", hmm_dir_name, HMM_DIR_MAX,
		     sizeof(struct hmm_mig_stats), MOFF(finalizes));
	for (i = 0; i < 3; i++) {
		size_t off = i == 0 ? MOFF(pages_requested) :
			     i == 1 ? MOFF(pages_collected) :
				      MOFF(pages_migrated);
		char name[80];

		snprintf(name, sizeof(name), "svmtop_hmm_migrate_pages_%s_total",
			 stage[i]);
		prom_counter(f, name,
			     i == 0 ? "Pages asked of migrate_vma_setup(), by direction." :
			     i == 1 ? "Pages migrate_vma_setup() collected (cpages), by direction." :
				      "Pages actually migrated (MIGRATE_PFN_MIGRATE at finalize), by direction.",
			     rows, nrows, "direction", hmm_dir_name,
			     HMM_DIR_MAX, sizeof(struct hmm_mig_stats), off);
	}
	prom_counter(f, "svmtop_hmm_cpu_fault_migrations_total",
		     "Migrations to system RAM started by a CPU fault on device memory (migrate_to_ram).",
		     rows, nrows, NULL, NULL, 0, 0, OFF(cpu_faults));
	prom_counter(f, "svmtop_hmm_cpu_fault_pages_total",
		     "Pages migrated to system RAM by CPU faults on device memory.",
		     rows, nrows, NULL, NULL, 0, 0, OFF(cpu_fault_pages));
	prom_counter(f, "svmtop_hmm_page_table_walks_total",
		     "Page-table walks: hmm_range_fault() calls plus successful migrate_vma_setup() calls.",
		     rows, nrows, NULL, NULL, 0, 0, OFF(walks));
	prom_counter(f, "svmtop_hmm_walk_operations_total",
		     "Operations those walks belong to (a thread's walks of overlapping ranges of one mm form one operation).",
		     rows, nrows, NULL, NULL, 0, 0, OFF(walk_ops));

	prom_family(f, "svmtop_hmm_device_evictions_total", "counter",
		    "migrate_device_range() calls: device memory moved back by pfn range, without a vma (eviction, device removal).");
	prom_sample_u64(f, "svmtop_hmm_device_evictions_total", NULL, 0,
			cur->evict.ranges);
	prom_family(f, "svmtop_hmm_device_eviction_pages_total", "counter",
		    "Pages of those ranges by stage: requested (npages), collected (MIGRATE_PFN_MIGRATE after migrate_device_range()), migrated (at migrate_device_finalize()).");
	for (i = 0; i < 3; i++) {
		l[0] = (struct prom_label){ "stage", stage[i] };
		prom_sample_u64(f, "svmtop_hmm_device_eviction_pages_total", l, 1,
				i == 0 ? cur->evict.pages_requested :
				i == 1 ? cur->evict.pages_collected :
					 cur->evict.pages_migrated);
	}

	/* Histograms: totals only, to keep the series count bounded. */
	prom_family(f, "svmtop_hmm_range_fault_seconds", "histogram",
		    "hmm_range_fault() latency.");
	prom_hist(f, "svmtop_hmm_range_fault_seconds", l, 0,
		  cur->total.hrf_hist, cur->total.hrf_ns_sum);
	prom_family(f, "svmtop_hmm_migration_seconds", "histogram",
		    "Migration latency, migrate_vma_setup() entry to migrate_vma_finalize() return, by direction.");
	for (d = 0; d < HMM_DIR_MAX; d++) {
		l[0] = (struct prom_label){ "direction", hmm_dir_name[d] };
		prom_hist(f, "svmtop_hmm_migration_seconds", l, 1,
			  cur->total.mig[d].hist,
			  cur->total.mig[d].ns_sum);
	}
	fflush(f);
}

/* ---- main loop -------------------------------------------------------- */

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - floor(t)) * 1e9) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		if (stop)
			return false;
	return !stop;
}

static void emit(FILE *out, const struct bpfstat_opts *o,
		 const struct sample *s)
{
	switch (o->format) {
	case BF_JSON:
		write_json(out, s);
		break;
	case BF_PROM:
		write_prom(out, s, o->prom_procs);
		break;
	default:
		write_table(out, s);
	}
}

static int run(const struct bpfstat_opts *o, FILE *out)
{
	struct hmm_snapshot a = { 0 }, b = { 0 }, *cur = &a, *prev = &b, *tmp;
	struct hmm_backend *be;
	struct svm_side *side = NULL;
	struct sample s = { 0 };
	double t_prev, next, t;
	long reports = 0;
	int ret, t_i, err;

	ret = hmm_backend_open(&o->hmm, &be);
	if (ret != EXIT_OK)
		return ret;
	s.targets = hmm_backend_targets(be);
	fprintf(stderr, "svmtop: attached:");
	for (t_i = 0; t_i < HMM_N_TARGETS; t_i++)
		fprintf(stderr, " %s=%s", s.targets[t_i].func,
			hmm_kind_name(s.targets[t_i].kind));
	fprintf(stderr, "%s\n", o->interval ? "" : "; tracing until Ctrl-C");
	/* SVM fault-path totals beside the kernel's (cli/svmstat.c) */
	if (o->format == BF_TABLE)
		side = svm_side_open(o->hmm.verbose);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	err = hmm_backend_read(be, cur);
	t_prev = now(CLOCK_MONOTONIC);
	if (err)
		goto read_err;
	/* JSON and Prometheus: sample 0 at once, it also says "attached". */
	if (o->interval && o->format != BF_TABLE) {
		s.time = now(CLOCK_REALTIME);
		s.cur = cur;
		emit(out, o, &s);
		if (o->count && ++reports >= o->count)
			goto out;
	}
	next = t_prev;
	for (;;) {
		bool last;

		if (o->interval) {
			next += o->interval;
			last = !sleep_until(next);
		} else {
			while (!stop)
				pause();
			last = true;
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
		hmm_snapshot_free(cur);
		err = hmm_backend_read(be, cur);
		if (err)
			goto read_err;
		t = now(CLOCK_MONOTONIC);
		s.seq++;
		s.time = now(CLOCK_REALTIME);
		s.cur = cur;
		s.prev = o->interval && o->format != BF_PROM ? prev : NULL;
		s.interval = t - t_prev;
		t_prev = t;
		emit(out, o, &s);
		svm_side_table(out, side);
		if (ferror(out)) {
			/* the reader went away (| head): a normal end */
			if (errno != EPIPE) {
				fprintf(stderr, "svmtop: write error: %s\n",
					strerror(errno));
				ret = EXIT_FAIL;
			}
			break;
		}
		if (last || (o->count && ++reports >= o->count))
			break;
		if (next < t)
			next = t;
	}
	goto out;
read_err:
	fprintf(stderr, "svmtop: reading the HMM BPF maps failed: %s\n",
		strerror(-err));
	ret = EXIT_FAIL;
out:
	hmm_snapshot_free(&a);
	hmm_snapshot_free(&b);
	hmm_backend_close(be);
	svm_side_close(side);
	return ret;
}

int cmd_stat_bpf(int argc, char **argv)
{
	struct bpfstat_opts o;
	int r = parse_args(argc, argv, &o);

	if (r < 0)
		return EXIT_USAGE;
	if (r > 0)
		return EXIT_OK;
	signal(SIGPIPE, SIG_IGN);
	return run(&o, stdout);
}
