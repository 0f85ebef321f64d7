// SPDX-License-Identifier: GPL-2.0-only
/*
 * Formatting for `svmtop top`: numbers in fixed widths, sparklines, the
 * table cells, and the plain periodic report used when stdout is not a
 * terminal.  No curses here: the unit tests check the exact text.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "top.h"

char *top_fmt_rate(char *buf, size_t len, double v)
{
	if (isnan(v) || v < 0)
		snprintf(buf, len, "-");
	else if (v == 0)
		snprintf(buf, len, "0");
	else if (v < 10)
		snprintf(buf, len, "%.2f", v);
	else if (v < 1000)
		snprintf(buf, len, "%.1f", v);
	else if (v < 1e6)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else if (v < 1e9)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else
		snprintf(buf, len, "%.1fG", v / 1e9);
	return buf;
}

char *top_fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (!ns)
		snprintf(buf, len, "-");
	else if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.0fus", ns / 1e3);
	else if (ns < 100000000)	/* at most 6 characters: "99.9ms" */
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.0fms", ns / 1e6);
	else if (ns < 100000000000ull)
		snprintf(buf, len, "%.1fs", ns / 1e9);
	else
		snprintf(buf, len, "%.0fs", ns / 1e9);
	return buf;
}

char *top_fmt_mb(char *buf, size_t len, double bytes)
{
	if (bytes <= 0)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%.1f", bytes / 1e6);
	return buf;
}

char *top_sparkline(char *buf, size_t len, const struct top_model *m,
		    const struct top_gt *g, enum top_metric k, int width,
		    bool ascii)
{
	static const char *const utf8[] = { "\u2581", "\u2582", "\u2583",
		"\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ramp[] = "_.-:=+*#";
	double max = 0, v;
	size_t o = 0;
	int i;

	for (i = 0; i < width; i++) {
		v = top_gt_hist(m, g, k, i);
		if (!isnan(v) && v > max)
			max = v;
	}
	buf[0] = 0;
	for (i = width - 1; i >= 0; i--) {
		const char *c;
		char one[2] = { 0, 0 };
		int lvl;

		v = top_gt_hist(m, g, k, i);
		if (isnan(v)) {
			c = " ";
		} else {
			/* 0 is the lowest bar; any activity at least the second */
			lvl = v <= 0 || max <= 0 ? 0 : 1 + (int)(6.999 * v / max);
			if (lvl > 7)
				lvl = 7;
			if (ascii) {
				one[0] = ramp[lvl];
				c = one;
			} else {
				c = utf8[lvl];
			}
		}
		if (o + strlen(c) + 1 > len)
			break;
		memcpy(buf + o, c, strlen(c));
		o += strlen(c);
		buf[o] = 0;
	}
	return buf;
}

char *top_gt_name(char *buf, size_t len, const struct top_gt *g)
{
	char dev[16];

	if (g->dev == SVM_DEV_UNKNOWN)
		snprintf(dev, sizeof(dev), "dev?");
	else
		snprintf(dev, sizeof(dev), "dev%d", g->dev);
	if (g->gt == SVM_GT_NONE)
		snprintf(buf, len, "%s all", dev);
	else
		snprintf(buf, len, "%s gt%d", dev, g->gt);
	return buf;
}

const char *top_proc_name(const struct top_proc *p)
{
	if (p->tgid == SVM_TGID_OTHER)
		return "(other)";
	if (p->tgid == SVM_TGID_UNKNOWN)
		return "(unattributed)";
	return p->comm[0] ? p->comm : "?";
}

static uint64_t mig_bytes(const struct svm_stats *s, enum svm_dir d)
{
	uint64_t b = 0;
	int t;

	for (t = 0; t < SVM_TRIG_MAX; t++)
		b += s->mig[d][t].bytes;
	return b;
}

char *top_cell(char *buf, size_t len, const struct top_proc *p, enum top_col c)
{
	switch (c) {
	case TOP_COL_PID:
		if (p->tgid == SVM_TGID_OTHER || p->tgid == SVM_TGID_UNKNOWN)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%u", p->tgid);
		break;
	case TOP_COL_COMM:
		snprintf(buf, len, "%s", top_proc_name(p));
		break;
	case TOP_COL_FAULTS_S:
		top_fmt_rate(buf, len, p->ewma.faults);
		break;
	case TOP_COL_FAULTS:
		snprintf(buf, len, "%llu",
			 (unsigned long long)svm_faults_total(&p->cum));
		break;
	case TOP_COL_P99:
		top_fmt_ns(buf, len, p->rate.p99_ns);
		break;
	case TOP_COL_TO_VRAM:
		top_fmt_mb(buf, len, (double)mig_bytes(&p->cum, SVM_DIR_TO_VRAM));
		break;
	case TOP_COL_TO_SYS:
		top_fmt_mb(buf, len, (double)mig_bytes(&p->cum, SVM_DIR_TO_SYSMEM));
		break;
	case TOP_COL_RETRIES:
		snprintf(buf, len, "%llu",
			 (unsigned long long)svm_retries_total(&p->cum));
		break;
	case TOP_COL_CPU_MIG:
		snprintf(buf, len, "%llu", (unsigned long long)
			 p->cum.mig[SVM_DIR_TO_SYSMEM][SVM_TRIG_CPU_FAULT].count);
		break;
	case TOP_COL_GC:
		snprintf(buf, len, "%llu", (unsigned long long)p->cum.gc_ranges);
		break;
	default:
		snprintf(buf, len, "?");
	}
	return buf;
}

/* One row per GT (and the total) of the plain report. */
static void plain_gt(FILE *f, const char *name, const struct top_rates *r)
{
	char a[16], b[16], c[16], d[16], e[16], g[16], p5[16], p9[16];

	fprintf(f, "%-10s %9s %6.1f %9s %9s %8s %7s %8s %7s %7s\n", name,
		top_fmt_rate(a, sizeof(a), r->faults), r->valid_pct,
		top_fmt_rate(b, sizeof(b), r->to_vram_bps / 1e6),
		top_fmt_rate(c, sizeof(c), r->to_sys_bps / 1e6),
		top_fmt_rate(d, sizeof(d), r->retries),
		top_fmt_rate(e, sizeof(e), r->gc_runs),
		top_fmt_rate(g, sizeof(g), r->inval),
		top_fmt_ns(p5, sizeof(p5), r->p50_ns),
		top_fmt_ns(p9, sizeof(p9), r->p99_ns));
}

void top_plain_report(FILE *f, const struct top_ui *ui, const char *when)
{
	const struct top_model *m = &ui->m;
	size_t n, i, idx[m->nprocs ? m->nprocs : 1];
	char buf[32], name[32];
	double ns = top_ns_per_event(m);
	int c, r;

	fprintf(f, "svmtop %s interval %.2fs backend %s probes %zu/%zu",
		when, m->last_dt, ui->st.backend ? ui->st.backend : "?",
		ui->st.nattached, ui->st.nprobes);
	if (ns >= 0 && ui->st.bpf_stats)
		fprintf(f, " cost %.0fns/event", ns);
	else
		fprintf(f, " cost -");
	fprintf(f, " cpu %.1f%% lost %llu\n", ui->st.cpu_pct,
		(unsigned long long)top_health_lost(&m->health_last));
	if (ui->st.missing[0])
		fprintf(f, "not attached: %s\n", ui->st.missing);
	fprintf(f, "%-10s %9s %6s %9s %9s %8s %7s %8s %7s %7s\n", "DEVICE",
		"FAULTS/s", "VALID%", "VRAM_MB/s", "SYS_MB/s", "RETRY/s",
		"GC/s", "INVAL/s", "P50", "P99");
	for (i = 0; i < m->ngts; i++)
		plain_gt(f, top_gt_name(name, sizeof(name), &m->gts[i]),
			 &m->gts[i].rate);
	plain_gt(f, "total", &m->total);
	fprintf(f, "retries/s:");
	for (r = 0; r < SVM_RETRY_MAX; r++)
		fprintf(f, " %s %s", svm_retry_name[r],
			top_fmt_rate(buf, sizeof(buf), m->total.retry[r]));
	fprintf(f, "\n");
	for (c = 0; c < TOP_COL_MAX; c++)
		if (c == TOP_COL_COMM)
			fprintf(f, "  %-*s", top_cols[c].width, top_cols[c].name);
		else
			fprintf(f, "%s%*s", c ? " " : "", top_cols[c].width,
				top_cols[c].name);
	fprintf(f, "\n");
	n = top_model_view(m, idx);
	for (i = 0; i < n; i++) {
		const struct top_proc *p = &m->procs[idx[i]];

		for (c = 0; c < TOP_COL_MAX; c++) {
			top_cell(buf, sizeof(buf), p, c);
			if (c == TOP_COL_COMM)
				fprintf(f, "  %-*.*s", top_cols[c].width,
					top_cols[c].width, buf);
			else
				fprintf(f, "%s%*s", c ? " " : "",
					top_cols[c].width, buf);
		}
		fprintf(f, "\n");
	}
	fprintf(f, "\n");
}
