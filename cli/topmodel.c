// SPDX-License-Identifier: GPL-2.0-only
/*
 * The model behind `svmtop top` (cli/topmodel.h): deltas between cumulative
 * snapshots, rates, EWMA smoothing, per-GT history, filtering and sorting.
 * Pure: no I/O, so tests/top/ checks every number exactly.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "topmodel.h"

const struct top_col_info top_cols[TOP_COL_MAX] = {
	[TOP_COL_PID]      = { "PID", "pid", 7, "process id (tgid)" },
	[TOP_COL_COMM]     = { "COMM", "comm", 15, "process name" },
	[TOP_COL_FAULTS_S] = { "FAULTS/s", "faults/s", 9,
			       "GPU faults per second (smoothed)" },
	[TOP_COL_FAULTS]   = { "FAULTS", "faults", 9, "GPU faults since start" },
	[TOP_COL_P99]      = { "P99", "p99", 8,
			       "p99 fault latency, last interval" },
	[TOP_COL_TO_VRAM]  = { "VRAM_MB", "vram", 8,
			       "MB migrated to VRAM since start" },
	[TOP_COL_TO_SYS]   = { "SYS_MB", "sys", 8,
			       "MB migrated to system memory since start" },
	[TOP_COL_RETRIES]  = { "RETRIES", "retries", 8,
			       "fault retries since start" },
	[TOP_COL_CPU_MIG]  = { "CPU_MIG", "cpumig", 8,
			       "CPU-fault migrations back to RAM since start" },
	[TOP_COL_GC]       = { "GC_RNG", "gc", 7,
			       "ranges garbage-collected since start" },
};

void top_model_init(struct top_model *m, double tau)
{
	memset(m, 0, sizeof(*m));
	m->tau = tau > 0 ? tau : 3.0;
	m->sort = TOP_COL_FAULTS_S;
}

void top_model_free(struct top_model *m)
{
	free(m->prev);
	free(m->procs);
	free(m->gts);
	memset(m, 0, sizeof(*m));
}

double top_alpha(double dt, double tau)
{
	if (dt <= 0)
		return 0;
	if (tau <= 0)
		return 1;
	return 1.0 - exp(-dt / tau);
}

static uint64_t all_mig_bytes(const struct svm_stats *d, enum svm_dir dir)
{
	uint64_t b = 0;
	int t;

	for (t = 0; t < SVM_TRIG_MAX; t++)
		b += d->mig[dir][t].bytes;
	return b;
}

void top_rates_of(const struct svm_stats *d, double dt, struct top_rates *r)
{
	uint64_t faults = svm_faults_total(d);
	int i;

	memset(r, 0, sizeof(*r));
	if (dt <= 0)
		return;
	r->faults = faults / dt;
	r->valid_pct = faults ? 100.0 * svm_faults_outcome(d, SVM_OUT_VALID) /
				faults : 0;
	r->to_vram_bps = all_mig_bytes(d, SVM_DIR_TO_VRAM) / dt;
	r->to_sys_bps = all_mig_bytes(d, SVM_DIR_TO_SYSMEM) / dt;
	for (i = 0; i < SVM_RETRY_MAX; i++)
		r->retry[i] = d->retries[i] / dt;
	r->retries = svm_retries_total(d) / dt;
	r->gc_runs = d->gc_runs / dt;
	r->gc_ranges = d->gc_ranges / dt;
	r->inval = d->inval / dt;
	r->cpu_mig = d->mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].count / dt;
	r->p50_ns = svm_hist_quantile((const uint64_t *)d->fault.hist, 0.50);
	r->p99_ns = svm_hist_quantile((const uint64_t *)d->fault.hist, 0.99);
}

static double ewma1(double avg, double cur, double a)
{
	return avg + a * (cur - avg);
}

void top_rates_ewma(struct top_rates *avg, const struct top_rates *cur,
		    double dt, double tau)
{
	double a = top_alpha(dt, tau);
	int i;

	avg->faults = ewma1(avg->faults, cur->faults, a);
	avg->valid_pct = ewma1(avg->valid_pct, cur->valid_pct, a);
	avg->to_vram_bps = ewma1(avg->to_vram_bps, cur->to_vram_bps, a);
	avg->to_sys_bps = ewma1(avg->to_sys_bps, cur->to_sys_bps, a);
	avg->retries = ewma1(avg->retries, cur->retries, a);
	for (i = 0; i < SVM_RETRY_MAX; i++)
		avg->retry[i] = ewma1(avg->retry[i], cur->retry[i], a);
	avg->gc_runs = ewma1(avg->gc_runs, cur->gc_runs, a);
	avg->gc_ranges = ewma1(avg->gc_ranges, cur->gc_ranges, a);
	avg->inval = ewma1(avg->inval, cur->inval, a);
	avg->cpu_mig = ewma1(avg->cpu_mig, cur->cpu_mig, a);
	/* quantiles do not average: keep the interval's */
	avg->p50_ns = cur->p50_ns;
	avg->p99_ns = cur->p99_ns;
}

/* dst = a - b field-wise; a counter that went backwards counts 0. */
static void sub_clamped(struct svm_stats *dst, const struct svm_stats *a,
			const struct svm_stats *b)
{
	const uint64_t *x = (const uint64_t *)a, *y = (const uint64_t *)b;
	uint64_t *d = (uint64_t *)dst;
	size_t i;

	for (i = 0; i < sizeof(*dst) / sizeof(uint64_t); i++)
		d[i] = x[i] >= y[i] ? x[i] - y[i] : 0;
}

static int key_cmp(const void *a, const void *b)
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

static const struct svm_entry *find_prev(const struct top_model *m,
					 const struct svm_entry *e)
{
	if (!m->nprev)
		return NULL;
	return bsearch(e, m->prev, m->nprev, sizeof(*e), key_cmp);
}

static struct top_proc *get_proc(struct top_model *m, uint32_t tgid)
{
	size_t i;

	for (i = 0; i < m->nprocs; i++)
		if (m->procs[i].tgid == tgid)
			return &m->procs[i];
	if (m->nprocs == m->cap_procs) {
		size_t cap = m->cap_procs ? 2 * m->cap_procs : 16;
		struct top_proc *v = realloc(m->procs, cap * sizeof(*v));

		if (!v)
			return NULL;
		m->procs = v;
		m->cap_procs = cap;
	}
	memset(&m->procs[m->nprocs], 0, sizeof(m->procs[0]));
	m->procs[m->nprocs].tgid = tgid;
	return &m->procs[m->nprocs++];
}

static int gt_cmp(const void *a, const void *b)
{
	const struct top_gt *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	/* device-wide (-1) after the GTs */
	if (x->gt != y->gt) {
		unsigned int gx = (unsigned int)x->gt, gy = (unsigned int)y->gt;

		return gx < gy ? -1 : 1;
	}
	return 0;
}

static struct top_gt *get_gt(struct top_model *m, int dev, int gt)
{
	struct top_gt *g;
	size_t i;
	int k, j;

	for (i = 0; i < m->ngts; i++)
		if (m->gts[i].dev == dev && m->gts[i].gt == gt)
			return &m->gts[i];
	if (m->ngts == m->cap_gts) {
		size_t cap = m->cap_gts ? 2 * m->cap_gts : 8;
		struct top_gt *v = realloc(m->gts, cap * sizeof(*v));

		if (!v)
			return NULL;
		m->gts = v;
		m->cap_gts = cap;
	}
	g = &m->gts[m->ngts++];
	memset(g, 0, sizeof(*g));
	g->dev = dev;
	g->gt = gt;
	for (k = 0; k < TOP_M_MAX; k++)
		for (j = 0; j < TOP_HISTORY; j++)
			g->hist[k][j] = NAN;
	return g;
}

double top_rates_metric(const struct top_rates *r, enum top_metric k)
{
	switch (k) {
	case TOP_M_FAULTS: return r->faults;
	case TOP_M_VALID: return r->valid_pct;
	case TOP_M_TO_VRAM: return r->to_vram_bps;
	case TOP_M_TO_SYS: return r->to_sys_bps;
	case TOP_M_RETRIES: return r->retries;
	case TOP_M_GC: return r->gc_runs;
	case TOP_M_INVAL: return r->inval;
	case TOP_M_P50: return (double)r->p50_ns;
	case TOP_M_P99: return (double)r->p99_ns;
	default: return NAN;
	}
}

double top_gt_hist(const struct top_model *m, const struct top_gt *g,
		   enum top_metric k, int ago)
{
	int i;

	if (ago < 0 || ago >= m->hlen || k >= TOP_M_MAX)
		return NAN;
	i = (m->hpos - 1 - ago + 2 * TOP_HISTORY) % TOP_HISTORY;
	return g->hist[k][i];
}

uint64_t top_health_lost(const struct svm_health *h)
{
	return h->key_lost + h->state_full;
}

static void health_sub(struct svm_health *d, const struct svm_health *a,
		       const struct svm_health *b)
{
	const uint64_t *x = (const uint64_t *)a, *y = (const uint64_t *)b;
	uint64_t *o = (uint64_t *)d;
	size_t i;

	for (i = 0; i < sizeof(*d) / sizeof(uint64_t); i++)
		o[i] = x[i] >= y[i] ? x[i] - y[i] : 0;
}

int top_model_update(struct top_model *m, const struct svm_snapshot *s,
		     double dt)
{
	bool baseline = m->prev == NULL;
	struct svm_entry *copy;
	size_t i;
	int k;

	if (baseline)
		dt = 0;
	for (i = 0; i < m->nprocs; i++) {
		memset(&m->procs[i].cum, 0, sizeof(m->procs[i].cum));
		memset(&m->procs[i].last, 0, sizeof(m->procs[i].last));
	}
	for (i = 0; i < m->ngts; i++) {
		memset(&m->gts[i].cum, 0, sizeof(m->gts[i].cum));
		memset(&m->gts[i].last, 0, sizeof(m->gts[i].last));
	}
	for (i = 0; i < s->n; i++) {
		const struct svm_entry *e = &s->v[i];
		const struct svm_entry *p = baseline ? NULL : find_prev(m, e);
		struct top_proc *pr = get_proc(m, e->key.tgid);
		struct top_gt *g = get_gt(m, e->key.dev, e->key.gt);
		struct svm_stats d;

		if (!pr || !g)
			return -1;
		if (baseline)
			memset(&d, 0, sizeof(d));
		else if (p)
			sub_clamped(&d, &e->st, &p->st);
		else
			d = e->st;	/* new key: all of it is new */
		if (e->comm[0])
			memcpy(pr->comm, e->comm, SVM_COMM_LEN);
		svm_stats_add(&pr->cum, &e->st);
		svm_stats_add(&pr->last, &d);
		svm_stats_add(&g->cum, &e->st);
		svm_stats_add(&g->last, &d);
	}
	qsort(m->gts, m->ngts, sizeof(m->gts[0]), gt_cmp);

	/* remember this snapshot for the next delta */
	copy = malloc((s->n ? s->n : 1) * sizeof(*copy));
	if (!copy)
		return -1;
	if (s->n)
		memcpy(copy, s->v, s->n * sizeof(*copy));
	qsort(copy, s->n, sizeof(*copy), key_cmp);
	free(m->prev);
	m->prev = copy;
	m->nprev = s->n;

	if (baseline) {
		m->health_cum = s->health;
		m->bpf_ns_cum = s->bpf_run_ns;
		m->bpf_cnt_cum = s->bpf_run_cnt;
		return 0;
	}
	health_sub(&m->health_last, &s->health, &m->health_cum);
	m->health_cum = s->health;
	m->bpf_ns_last = s->bpf_run_ns >= m->bpf_ns_cum ?
			 s->bpf_run_ns - m->bpf_ns_cum : 0;
	m->bpf_cnt_last = s->bpf_run_cnt >= m->bpf_cnt_cum ?
			  s->bpf_run_cnt - m->bpf_cnt_cum : 0;
	m->bpf_ns_cum = s->bpf_run_ns;
	m->bpf_cnt_cum = s->bpf_run_cnt;

	m->samples++;
	m->last_dt = dt;
	m->elapsed += dt;
	for (i = 0; i < m->nprocs; i++) {
		struct top_proc *pr = &m->procs[i];

		top_rates_of(&pr->last, dt, &pr->rate);
		if (pr->has_ewma) {
			top_rates_ewma(&pr->ewma, &pr->rate, dt, m->tau);
		} else {
			/* first interval: start from the rate, not from 0 */
			pr->ewma = pr->rate;
			pr->has_ewma = true;
		}
		pr->active = memcmp(&pr->last, &(struct svm_stats){ 0 },
				    sizeof(pr->last)) != 0;
	}
	{
		struct svm_stats tot = { 0 };

		for (i = 0; i < m->ngts; i++) {
			struct top_gt *g = &m->gts[i];

			top_rates_of(&g->last, dt, &g->rate);
			svm_stats_add(&tot, &g->last);
			for (k = 0; k < TOP_M_MAX; k++)
				g->hist[k][m->hpos] =
					top_rates_metric(&g->rate, k);
		}
		top_rates_of(&tot, dt, &m->total);
	}
	m->hpos = (m->hpos + 1) % TOP_HISTORY;
	if (m->hlen < TOP_HISTORY)
		m->hlen++;
	return 0;
}

int top_model_rebase(struct top_model *m, const struct svm_snapshot *s)
{
	struct svm_entry *copy = malloc((s->n ? s->n : 1) * sizeof(*copy));

	if (!copy)
		return -1;
	if (s->n)
		memcpy(copy, s->v, s->n * sizeof(*copy));
	qsort(copy, s->n, sizeof(*copy), key_cmp);
	free(m->prev);
	m->prev = copy;
	m->nprev = s->n;
	m->health_cum = s->health;
	m->bpf_ns_cum = s->bpf_run_ns;
	m->bpf_cnt_cum = s->bpf_run_cnt;
	return 0;
}

bool top_filter_match(const struct top_proc *p, const char *filter)
{
	char pid[16];
	size_t n;

	if (!filter || !*filter)
		return true;
	if (strcasestr(p->comm, filter))
		return true;
	n = strlen(filter);
	snprintf(pid, sizeof(pid), "%u", p->tgid);
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)filter[i]))
			return false;
	return !strncmp(pid, filter, n);
}

static double col_value(const struct top_proc *p, enum top_col c)
{
	switch (c) {
	case TOP_COL_PID: return p->tgid;
	case TOP_COL_FAULTS_S: return p->ewma.faults;
	case TOP_COL_FAULTS: return (double)svm_faults_total(&p->cum);
	case TOP_COL_P99: return (double)p->rate.p99_ns;
	case TOP_COL_TO_VRAM: return (double)all_mig_bytes(&p->cum, SVM_DIR_TO_VRAM);
	case TOP_COL_TO_SYS: return (double)all_mig_bytes(&p->cum, SVM_DIR_TO_SYSMEM);
	case TOP_COL_RETRIES: return (double)svm_retries_total(&p->cum);
	case TOP_COL_CPU_MIG:
		return (double)p->cum.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].count;
	case TOP_COL_GC: return (double)p->cum.gc_ranges;
	default: return 0;
	}
}

int top_proc_cmp(const struct top_model *m, const struct top_proc *a,
		 const struct top_proc *b)
{
	int r = 0;

	if (m->sort == TOP_COL_COMM) {
		r = strcasecmp(a->comm, b->comm);
	} else if (m->sort != TOP_COL_PID) {
		double x = col_value(a, m->sort), y = col_value(b, m->sort);

		/* numbers: biggest first */
		r = x > y ? -1 : x < y ? 1 : 0;
	}
	if (m->reverse)
		r = -r;
	if (!r)
		r = a->tgid < b->tgid ? -1 : a->tgid > b->tgid ? 1 : 0;
	if (m->sort == TOP_COL_PID && m->reverse)
		r = -r;
	return r;
}

/* qsort has no context argument: sort under a file-static model. */
static const struct top_model *sort_model;

static int idx_cmp(const void *a, const void *b)
{
	const struct top_proc *p = &sort_model->procs[*(const size_t *)a];
	const struct top_proc *q = &sort_model->procs[*(const size_t *)b];

	return top_proc_cmp(sort_model, p, q);
}

size_t top_model_view(const struct top_model *m, size_t *idx)
{
	size_t i, n = 0;

	for (i = 0; i < m->nprocs; i++)
		if (top_filter_match(&m->procs[i], m->filter))
			idx[n++] = i;
	sort_model = m;
	qsort(idx, n, sizeof(*idx), idx_cmp);
	sort_model = NULL;
	return n;
}

int top_col_parse(const char *s)
{
	int c;

	for (c = 0; c < TOP_COL_MAX; c++)
		if (!strcasecmp(s, top_cols[c].key) ||
		    !strcasecmp(s, top_cols[c].name))
			return c;
	return -1;
}

double top_ns_per_event(const struct top_model *m)
{
	if (m->bpf_cnt_last)
		return (double)m->bpf_ns_last / m->bpf_cnt_last;
	if (m->bpf_cnt_cum)
		return (double)m->bpf_ns_cum / m->bpf_cnt_cum;
	return -1;
}
