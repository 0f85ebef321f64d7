// SPDX-License-Identifier: GPL-2.0-only
/*
 * `svmtop export` collector for the SVM fault path (cli/svm.h): faults by
 * access and outcome, latency histograms, migrations by direction and
 * trigger (evictions are trigger="eviction"), retries by reason, the
 * garbage collector and invalidations, per (device, GT); per process only
 * with --per-process[=N] (the N processes with the most faults).
 *
 * Labels: device is the PCI BDF from dri/<minor>/name (as the gt
 * collector names it, so the two join), else the minor; gt is the GT
 * number, or "none" for device-wide work (invalidations, the garbage
 * collector, CPU-fault and eviction migrations: include/svm.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "exportsvm.h"
#include "gtstats.h"
#include "prom.h"
#include "svm.h"
#include "units.h"

#define SVMX_MINORS	64
#define SVMX_PROCS_MAX	100

struct svmx_priv {
	struct svm_collector *c;
	int nprocs;
	char dev[SVMX_MINORS][64];	/* label of each minor, "" unknown */
	char root[256];
};

/* dri/<minor>/name -> BDF; read while privileged (open), cached. */
static const char *dev_label(struct svmx_priv *p, int32_t dev, char *buf,
			     size_t len)
{
	char path[300], body[256], drv[32], bdf[64];
	ssize_t n;
	int fd;

	if (dev < 0) {
		snprintf(buf, len, "unknown");
		return buf;
	}
	if (dev < SVMX_MINORS && p->dev[dev][0])
		return p->dev[dev];
	snprintf(buf, len, "%" PRId32, dev);
	snprintf(path, sizeof(path), "%s/dri/%" PRId32 "/name", p->root, dev);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return buf;
	n = read(fd, body, sizeof(body) - 1);
	close(fd);
	if (n <= 0)
		return buf;
	body[n] = '\0';
	gtdisc_parse_name(body, drv, sizeof(drv), bdf, sizeof(bdf));
	if (bdf[0])
		snprintf(buf, len, "%s", bdf);
	if (dev < SVMX_MINORS)
		snprintf(p->dev[dev], sizeof(p->dev[dev]), "%s", buf);
	return buf;
}

static void svmx_close(struct collector *c)
{
	struct svmx_priv *p = c->priv;

	if (!p)
		return;
	svm_close(p->c);
	free(p);
	c->priv = NULL;
}

static int svmx_open(struct collector *c, const struct export_opts *o)
{
	struct svmx_priv *p = calloc(1, sizeof(*p));
	struct svm_opts so = { .backend = SVM_BACKEND_AUTO };
	char tmp[64];
	int r, m;

	if (!p)
		return -ENOMEM;
	snprintf(p->root, sizeof(p->root), "%s",
		 o->debugfs ? o->debugfs : "/sys/kernel/debug");
	so.debugfs = o->debugfs;
	p->nprocs = o->per_process > SVMX_PROCS_MAX ? SVMX_PROCS_MAX :
						      o->per_process;
	/* svm_open prints the line that says why it failed */
	r = svm_open(&so, &p->c);
	if (r != EXIT_OK) {
		snprintf(c->why, sizeof(c->why), "%s",
			 r == EXIT_NOPERM ? "the SVM collector needs root (CAP_BPF, CAP_PERFMON) or readable GT stats" :
					    "no SVM backend works here (see the line above; svmtop probes tells more)");
		snprintf(c->logged, sizeof(c->logged), "%s", c->why);
		free(p);
		return -ENOENT;
	}
	c->priv = p;
	/* device names now, while debugfs is still readable */
	for (m = 0; m < SVMX_MINORS; m++)
		dev_label(p, m, tmp, sizeof(tmp));
	return 0;
}

/* One (device, GT) or one process: its label values and summed stats. */
struct svmx_row {
	struct prom_label l[3];
	size_t n;
	struct svm_stats st;
	char dev[64], gt[16], pid[16];
	uint64_t faults;
};

static void hist(FILE *f, const char *family, struct prom_label *l,
		 size_t n, const struct svm_lat *lat)
{
	char name[128], le[48], v[48];
	uint64_t cum = 0;
	int k;

	snprintf(name, sizeof(name), "%s_bucket", family);
	for (k = 0; k < SVM_HIST_SLOTS - 1; k++) {
		cum += lat->hist[k];
		l[n] = (struct prom_label){ "le",
			units_exact(le, sizeof(le), 2ULL << k, 1, 9) };
		prom_sample_u64(f, name, l, n + 1, cum);
	}
	cum += lat->hist[SVM_HIST_SLOTS - 1];
	l[n] = (struct prom_label){ "le", "+Inf" };
	prom_sample_u64(f, name, l, n + 1, cum);
	snprintf(name, sizeof(name), "%s_sum", family);
	prom_sample(f, name, l, n, units_exact(v, sizeof(v), lat->ns_sum, 1, 9));
	snprintf(name, sizeof(name), "%s_count", family);
	prom_sample_u64(f, name, l, n, cum);
}

static void seconds(FILE *f, const char *name, const struct prom_label *l,
		    size_t n, uint64_t ns)
{
	char v[48];

	prom_sample(f, name, l, n, units_exact(v, sizeof(v), ns, 1, 9));
}

static int cmp_faults(const void *a, const void *b)
{
	const struct svmx_row *x = a, *y = b;

	return x->faults < y->faults ? 1 : x->faults > y->faults ? -1 : 0;
}

#define EACH(rows, n, i) for (i = 0; i < (n); i++)

static void write_gt(FILE *f, struct svmx_row *r, size_t nr)
{
	struct prom_label l[6];
	size_t i;
	int a, o, d, t, k;

	prom_family(f, "svmtop_svm_faults_total", "counter",
		    "GPU faults handled (one per handler call, whatever its retries), by access type and outcome.");
	EACH(r, nr, i) for (a = 0; a < SVM_ACC_MAX; a++)
		for (o = 0; o < SVM_OUT_MAX; o++) {
			memcpy(l, r[i].l, sizeof(r[i].l));
			l[2] = (struct prom_label){ "access", svm_access_name[a] };
			l[3] = (struct prom_label){ "outcome", svm_outcome_name[o] };
			prom_sample_u64(f, "svmtop_svm_faults_total", l, 4,
					r[i].st.faults[a][o]);
		}
	prom_family(f, "svmtop_svm_fault_latency_seconds", "histogram",
		    "GPU fault handler latency, entry to exit (log2 buckets, le = upper bound: never understated).");
	EACH(r, nr, i) {
		memcpy(l, r[i].l, sizeof(r[i].l));
		hist(f, "svmtop_svm_fault_latency_seconds", l, 2, &r[i].st.fault);
	}
	prom_family(f, "svmtop_svm_retries_total", "counter",
		    "Fault retries (another pass of the handler's loop), by the reason it had to retry.");
	EACH(r, nr, i) for (k = 0; k < SVM_RETRY_MAX; k++) {
		memcpy(l, r[i].l, sizeof(r[i].l));
		l[2] = (struct prom_label){ "reason", svm_retry_name[k] };
		prom_sample_u64(f, "svmtop_svm_retries_total", l, 3,
				r[i].st.retries[k]);
	}
	static const char *const mig_fam[3][2] = {
		{ "svmtop_svm_migrations_total", "Successful migrations, by direction and trigger (trigger=\"eviction\": evictions)." },
		{ "svmtop_svm_migrated_bytes_total", "Bytes moved by successful migrations, by direction and trigger." },
		{ "svmtop_svm_migration_failures_total", "Migrations that failed (moved nothing usable), by direction and trigger." },
	};
	for (k = 0; k < 3; k++) {
		prom_family(f, mig_fam[k][0], "counter", mig_fam[k][1]);
		EACH(r, nr, i) for (d = 0; d < SVM_DIR_MAX; d++)
			for (t = 0; t < SVM_TRIG_MAX; t++) {
				const struct svm_mig *m = &r[i].st.mig[d][t];

				memcpy(l, r[i].l, sizeof(r[i].l));
				l[2] = (struct prom_label){ "direction", svm_dir_name[d] };
				l[3] = (struct prom_label){ "trigger", svm_trigger_name[t] };
				prom_sample_u64(f, mig_fam[k][0], l, 4,
						k == 0 ? m->count : k == 1 ? m->bytes : m->failed);
			}
	}
	prom_family(f, "svmtop_svm_migration_latency_seconds", "histogram",
		    "Migration latency by direction (log2 buckets, le = upper bound).");
	EACH(r, nr, i) for (d = 0; d < SVM_DIR_MAX; d++) {
		memcpy(l, r[i].l, sizeof(r[i].l));
		l[2] = (struct prom_label){ "direction", svm_dir_name[d] };
		hist(f, "svmtop_svm_migration_latency_seconds", l, 3,
		     &r[i].st.mig_lat[d]);
	}
	prom_family(f, "svmtop_svm_get_pages_latency_seconds", "histogram",
		    "Getting the CPU pages of a range (hmm_range_fault), latency (log2 buckets, le = upper bound).");
	EACH(r, nr, i) {
		memcpy(l, r[i].l, sizeof(r[i].l));
		hist(f, "svmtop_svm_get_pages_latency_seconds", l, 2,
		     &r[i].st.get_pages);
	}
	prom_family(f, "svmtop_svm_bind_latency_seconds", "histogram",
		    "Binding a range into the GPU page tables, latency (log2 buckets, le = upper bound).");
	EACH(r, nr, i) {
		memcpy(l, r[i].l, sizeof(r[i].l));
		hist(f, "svmtop_svm_bind_latency_seconds", l, 2, &r[i].st.bind);
	}
#define SIMPLE(name, help, field) do {					\
		prom_family(f, name, "counter", help);			\
		EACH(r, nr, i)						\
			prom_sample_u64(f, name, r[i].l, 2, r[i].st.field); \
	} while (0)
#define SECS(name, help, field) do {					\
		prom_family(f, name, "counter", help);			\
		EACH(r, nr, i)						\
			seconds(f, name, r[i].l, 2, r[i].st.field);	\
	} while (0)
	SIMPLE("svmtop_svm_gc_runs_total",
	       "Garbage-collector runs that removed at least one range.", gc_runs);
	SIMPLE("svmtop_svm_gc_ranges_total",
	       "Ranges removed by the garbage collector.", gc_ranges);
	SIMPLE("svmtop_svm_gc_bytes_total",
	       "Bytes of the ranges removed by the garbage collector.", gc_bytes);
	SECS("svmtop_svm_gc_seconds_total",
	     "Time the garbage collector ran.", gc_ns);
	SIMPLE("svmtop_svm_invalidations_total",
	       "MMU-notifier invalidation callbacks that hit at least one range.", inval);
	SIMPLE("svmtop_svm_invalidated_ranges_total",
	       "Ranges hit by invalidation callbacks.", inval_ranges);
	SIMPLE("svmtop_svm_tlb_invalidations_total",
	       "GPU TLB invalidations issued for invalidations (tp backend only).", inval_tlb);
	SECS("svmtop_svm_invalidation_seconds_total",
	     "Time spent in invalidation callbacks.", inval_ns);
#undef SIMPLE
#undef SECS
}

static void write_procs(FILE *f, struct svmx_row *r, size_t nr)
{
	struct prom_label l[6];
	size_t i;
	int d, t;

	prom_family(f, "svmtop_svm_process_faults_total", "counter",
		    "GPU faults of the process (--per-process: the N with the most faults).");
	EACH(r, nr, i)
		prom_sample_u64(f, "svmtop_svm_process_faults_total", r[i].l, 2,
				r[i].faults);
	prom_family(f, "svmtop_svm_process_fault_seconds_total", "counter",
		    "Time the process' GPU faults took to handle.");
	EACH(r, nr, i)
		seconds(f, "svmtop_svm_process_fault_seconds_total", r[i].l, 2,
			r[i].st.fault.ns_sum);
	prom_family(f, "svmtop_svm_process_retries_total", "counter",
		    "Fault retries of the process, all reasons.");
	EACH(r, nr, i)
		prom_sample_u64(f, "svmtop_svm_process_retries_total", r[i].l, 2,
				svm_retries_total(&r[i].st));
	prom_family(f, "svmtop_svm_process_migrated_bytes_total", "counter",
		    "Bytes migrated for the process, by direction (every trigger).");
	EACH(r, nr, i) for (d = 0; d < SVM_DIR_MAX; d++) {
		uint64_t b = 0;

		for (t = 0; t < SVM_TRIG_MAX; t++)
			b += r[i].st.mig[d][t].bytes;
		memcpy(l, r[i].l, sizeof(r[i].l));
		l[2] = (struct prom_label){ "direction", svm_dir_name[d] };
		prom_sample_u64(f, "svmtop_svm_process_migrated_bytes_total", l, 3, b);
	}
	prom_family(f, "svmtop_svm_process_gc_ranges_total", "counter",
		    "Ranges of the process removed by the garbage collector.");
	EACH(r, nr, i)
		prom_sample_u64(f, "svmtop_svm_process_gc_ranges_total", r[i].l, 2,
				r[i].st.gc_ranges);
}

static int svmx_collect(struct collector *c, FILE *f)
{
	struct svmx_priv *p = c->priv;
	struct svm_snapshot s = { 0 };
	struct svmx_row *gt = NULL, *pr = NULL;
	const struct svm_probe *pb;
	size_t ngt = 0, npr = 0, i, j, n;
	int r;

	r = svm_read(p->c, &s);
	if (r) {
		snprintf(c->why, sizeof(c->why),
			 "reading the SVM collector failed: %s", strerror(-r));
		return r;
	}
	gt = calloc(s.n ? s.n : 1, sizeof(*gt));
	pr = calloc(s.n ? s.n : 1, sizeof(*pr));
	if (!gt || !pr) {
		snprintf(c->why, sizeof(c->why), "out of memory");
		r = -ENOMEM;
		goto out;
	}
	/* entries are sorted by dev, gt, tgid: (dev, gt) rows are runs */
	for (i = 0; i < s.n; i++) {
		const struct svm_entry *e = &s.v[i];
		struct svmx_row *row;
		char tmp[64];

		if (ngt && i && s.v[i - 1].key.dev == e->key.dev &&
		    s.v[i - 1].key.gt == e->key.gt) {
			row = &gt[ngt - 1];
		} else {
			row = &gt[ngt++];
			snprintf(row->dev, sizeof(row->dev), "%s",
				 dev_label(p, e->key.dev, tmp, sizeof(tmp)));
			if (e->key.gt == SVM_GT_NONE)
				snprintf(row->gt, sizeof(row->gt), "none");
			else
				snprintf(row->gt, sizeof(row->gt), "%" PRId32,
					 e->key.gt);
			row->l[0] = (struct prom_label){ "device", row->dev };
			row->l[1] = (struct prom_label){ "gt", row->gt };
			row->n = 2;
		}
		svm_stats_add(&row->st, &e->st);
		if (!p->nprocs || e->key.tgid == SVM_TGID_UNKNOWN)
			continue;
		/* per process: summed over devices and GTs */
		for (j = 0; j < npr; j++)
			if (pr[j].faults == (uint64_t)e->key.tgid)
				break;
		if (j == npr) {
			pr[npr].faults = e->key.tgid;	/* tgid while merging */
			if (e->key.tgid == SVM_TGID_OTHER)
				snprintf(pr[npr].pid, sizeof(pr[npr].pid), "other");
			else
				snprintf(pr[npr].pid, sizeof(pr[npr].pid),
					 "%" PRIu32, e->key.tgid);
			snprintf(pr[npr].dev, sizeof(pr[npr].dev), "%s", e->comm);
			pr[npr].l[0] = (struct prom_label){ "pid", pr[npr].pid };
			pr[npr].l[1] = (struct prom_label){ "comm", pr[npr].dev };
			pr[npr].n = 2;
			npr++;
		}
		svm_stats_add(&pr[j].st, &e->st);
	}
	for (j = 0; j < npr; j++)
		pr[j].faults = svm_faults_total(&pr[j].st);
	qsort(pr, npr, sizeof(*pr), cmp_faults);
	if (npr > (size_t)p->nprocs)
		npr = p->nprocs;
	while (npr && !pr[npr - 1].faults && !svm_retries_total(&pr[npr - 1].st))
		npr--;

	c->why[0] = '\0';
	pb = svm_probes(p->c, &n);
	c->n_probes = 0;
	for (i = 0; i < n && i < EXPORT_MAX_PROBES; i++) {
		c->probes[i].probe = pb[i].target;
		c->probes[i].kind = pb[i].kind;
		c->probes[i].attached = pb[i].attached;
		c->n_probes++;
	}
	c->has_loss = true;
	c->lost = s.health.key_lost + s.health.state_full +
		  s.health.orphan_return;
	c->overflow = s.health.key_overflow;

	{
		struct prom_label l[1] = { { "backend", svm_backend_name(s.backend) } };

		prom_family(f, "svmtop_svm_backend_info", "gauge",
			    "1, labelled with the SVM backend in use (tp, fentry, kprobe, debugfs).");
		prom_sample_u64(f, "svmtop_svm_backend_info", l, 1, 1);
	}
	prom_family(f, "svmtop_svm_backend_problems_total", "counter",
		    "Events the SVM backend could not account normally, by kind (include/svm.h, struct svm_health).");
#define PH(k) do {							\
		struct prom_label l[1] = { { "kind", #k } };		\
		prom_sample_u64(f, "svmtop_svm_backend_problems_total", l, 1, \
				s.health.k);				\
	} while (0)
	PH(key_overflow); PH(key_lost); PH(state_full); PH(orphan_return);
	PH(unattributed);
#undef PH
	if (ngt)
		write_gt(f, gt, ngt);
	if (npr)
		write_procs(f, pr, npr);
	r = 0;
out:
	free(gt);
	free(pr);
	svm_snapshot_free(&s);
	return r;
}

const struct collector_ops export_svm_collector = {
	.name = "svm",
	.open = svmx_open,
	.collect = svmx_collect,
	.close = svmx_close,
};
