// SPDX-License-Identifier: GPL-2.0-only
/*
 * The screens of `svmtop top`, drawn with ncurses from struct top_ui:
 * main (header per device and GT with sparklines, process table, status
 * line), latency histogram (h), per-GT detail (d), help (?), and the sort
 * column chooser (s).  Nothing here changes state except ui->rows (how
 * many table rows fit) and the scroll position that follows from it.
 */
#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "top.h"

enum { C_TITLE = 1, C_HEAD, C_SPARK, C_WARN, C_SEL, C_DIM };

static int W, H;

static attr_t att(const struct top_ui *ui, int pair, attr_t mono)
{
	if (ui->color)
		return COLOR_PAIR(pair) | (mono & A_BOLD);
	return mono;
}

/* printf at (y, x), clipped to the screen width; ASCII text only. */
static int put(int y, int x, attr_t a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n, room = W - x;

	if (y < 0 || y >= H || room <= 0)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	if (n > room)
		n = room;
	if (a)
		attron(a);
	mvaddnstr(y, x, buf, n);
	if (a)
		attroff(a);
	return n;
}

/* A string that may hold UTF-8, cells counted by the caller. */
static void put_cells(int y, int x, attr_t a, const char *s, int cells)
{
	if (y < 0 || y >= H || x >= W || cells <= 0)
		return;
	if (a)
		attron(a);
	mvaddstr(y, x, s);
	if (a)
		attroff(a);
}

static void hline_at(const struct top_ui *ui, int y)
{
	int x;

	if (y >= H)
		return;
	move(y, 0);
	for (x = 0; x < W; x++)
		addstr(ui->ascii ? "-" : "\u2500");
}

static void title(const struct top_ui *ui)
{
	char t[16] = "";
	time_t now = time(NULL);
	struct tm tm;
	int x;

	if (localtime_r(&now, &tm))
		strftime(t, sizeof(t), "%H:%M:%S", &tm);
	move(0, 0);
	clrtoeol();
	x = put(0, 0, att(ui, C_TITLE, A_BOLD), "svmtop %s", SVMTOP_VERSION);
	x += put(0, x, 0, "  %s  every %gs%s", t, ui->interval,
		 ui->paused ? "  " : "");
	if (ui->paused)
		x += put(0, x, att(ui, C_WARN, A_BOLD | A_REVERSE), "PAUSED");
	x += put(0, x, 0, "  sort %s %s", top_cols[ui->m.sort].name,
		 ui->m.reverse ? (ui->ascii ? "^" : "\u25b2") :
				 (ui->ascii ? "v" : "\u25bc"));
	if (ui->m.filter[0])
		put(0, x, att(ui, C_WARN, A_BOLD), "  filter '%s'", ui->m.filter);
}

static void status_line(const struct top_ui *ui)
{
	const struct top_model *m = &ui->m;
	double ns = top_ns_per_event(m);
	uint64_t lost = top_health_lost(&m->health_cum);
	char cost[32];
	int y = H - 1, x;

	move(y, 0);
	clrtoeol();
	if (ui->editing) {
		x = put(y, 0, A_BOLD, "filter (comm or PID, Enter keeps, Esc cancels): ");
		put(y, x, 0, "%s", ui->edit);
		move(y, x + (int)strlen(ui->edit));
		return;
	}
	if (ns >= 0 && ui->st.bpf_stats)
		snprintf(cost, sizeof(cost), "%.0f ns/event", ns);
	else if (!strcmp(ui->st.backend ? ui->st.backend : "", "debugfs"))
		snprintf(cost, sizeof(cost), "no BPF");
	else
		snprintf(cost, sizeof(cost), "ns/event n/a");
	x = put(y, 0, att(ui, C_HEAD, A_REVERSE), " backend %s %zu/%zu probes ",
		ui->st.backend ? ui->st.backend : "?", ui->st.nattached,
		ui->st.nprobes);
	x += put(y, x, 0, " cost %s, cpu %.1f%%", cost, ui->st.cpu_pct);
	x += put(y, x, lost ? att(ui, C_WARN, A_BOLD) : 0, "  lost %llu",
		 (unsigned long long)lost);
	if (ui->st.missing[0])
		x += put(y, x, att(ui, C_WARN, A_BOLD), "  not attached: %s",
			 ui->st.missing);
	if (ui->msg[0])
		x += put(y, x, A_BOLD, "  %s", ui->msg);
	put(y, x, 0, "  ? help");
}

/* Header: one row per (device, GT), the total, retries by reason. */
static int header(const struct top_ui *ui, int y)
{
	const struct top_model *m = &ui->m;
	char a[16], b[16], c[16], d[16], e[16], g[16], p5[16], p9[16], name[32];
	char spark[TOP_HISTORY * 4 + 1];
	size_t i;
	int sw, r, x;

	put(y, 0, att(ui, C_HEAD, A_BOLD),
	    "%-8s %9s %6s %9s %8s %7s %5s %7s %6s %6s", "DEVICE", "FAULTS/s",
	    "VALID%", "VRAM_MB/s", "SYS_MB/s", "RETRY/s", "GC/s", "INVAL/s",
	    "P50", "P99");
	/* 80 columns hold the numbers; the history gets what is left */
	sw = W - 82;
	if (sw > TOP_HISTORY)
		sw = TOP_HISTORY;
	if (sw >= 4)
		put(y, 82, att(ui, C_HEAD, A_BOLD), "faults/s history");
	y++;
	if (!m->samples) {
		put(y++, 0, A_BOLD, "measuring the first %gs interval ...",
		    ui->interval);
		return y;
	}
	for (i = 0; i <= m->ngts && y < H - 4; i++) {
		const struct top_gt *gt = i < m->ngts ? &m->gts[i] : NULL;
		const struct top_rates *rt = gt ? &gt->rate : &m->total;

		if (!gt && m->ngts < 2)
			break;	/* the total of one row is that row */
		put(y, 0, gt ? 0 : A_BOLD,
		    "%-8s %9s %5.1f%% %9s %8s %7s %5s %7s %6s %6s",
		    gt ? top_gt_name(name, sizeof(name), gt) : "total",
		    top_fmt_rate(a, sizeof(a), rt->faults), rt->valid_pct,
		    top_fmt_rate(b, sizeof(b), rt->to_vram_bps / 1e6),
		    top_fmt_rate(c, sizeof(c), rt->to_sys_bps / 1e6),
		    top_fmt_rate(d, sizeof(d), rt->retries),
		    top_fmt_rate(e, sizeof(e), rt->gc_runs),
		    top_fmt_rate(g, sizeof(g), rt->inval),
		    top_fmt_ns(p5, sizeof(p5), rt->p50_ns),
		    top_fmt_ns(p9, sizeof(p9), rt->p99_ns));
		if (gt && sw >= 4) {
			top_sparkline(spark, sizeof(spark), m, gt, TOP_M_FAULTS,
				      sw, ui->ascii);
			put_cells(y, 82, att(ui, C_SPARK, 0), spark, sw);
		}
		y++;
	}
	x = put(y, 0, 0, "retries/s by reason:");
	for (r = 0; r < SVM_RETRY_MAX; r++)
		x += put(y, x, 0, " %s %s", svm_retry_name[r],
			 top_fmt_rate(a, sizeof(a), m->total.retry[r]));
	return y + 1;
}

/* Which columns fit in the width, in order. */
static int fit_cols(int *cols)
{
	int c, n = 0, used = 0;

	for (c = 0; c < TOP_COL_MAX; c++) {
		int w = top_cols[c].width + (c ? 1 : 0) + (c == TOP_COL_COMM);

		if (used + w > W)
			continue;
		used += w;
		cols[n++] = c;
	}
	return n;
}

static void table(struct top_ui *ui, int y)
{
	const struct top_model *m = &ui->m;
	size_t n, i, idx[m->nprocs ? m->nprocs : 1];
	int cols[TOP_COL_MAX], nc = fit_cols(cols), k, x;
	char cell[32];

	move(y, 0);
	clrtoeol();
	if (ui->color)
		attron(COLOR_PAIR(C_HEAD));
	else
		attron(A_REVERSE);
	mvhline(y, 0, ' ', W);
	for (k = 0, x = 0; k < nc; k++) {
		const struct top_col_info *ci = &top_cols[cols[k]];
		bool sorted = cols[k] == (int)m->sort;

		if (sorted)
			attron(A_BOLD | A_UNDERLINE);
		if (cols[k] == TOP_COL_COMM)
			x += put(y, x, 0, "  %-*s", ci->width, ci->name);
		else
			x += put(y, x, 0, "%s%*s", k ? " " : "", ci->width,
				 ci->name);
		if (sorted)
			attroff(A_BOLD | A_UNDERLINE);
	}
	if (ui->color)
		attroff(COLOR_PAIR(C_HEAD));
	else
		attroff(A_REVERSE);
	y++;
	ui->rows = H - 1 - y;
	if (ui->rows < 1)
		ui->rows = 1;
	top_ui_fix_selection(ui);
	n = top_model_view(m, idx);
	if (!n)
		put(y, 2, 0, m->samples ? (m->filter[0] ?
			"no process matches the filter (Esc clears it)" :
			"no SVM activity yet") : "");
	for (i = ui->top; i < n && y < H - 1; i++, y++) {
		const struct top_proc *p = &m->procs[idx[i]];
		bool sel = (int)i == ui->sel;
		attr_t a = sel ? att(ui, C_SEL, A_REVERSE) :
			   (!p->active ? att(ui, C_DIM, 0) : 0);

		if (sel) {
			attron(a);
			mvhline(y, 0, ' ', W);
			attroff(a);
		}
		for (k = 0, x = 0; k < nc; k++) {
			const struct top_col_info *ci = &top_cols[cols[k]];

			top_cell(cell, sizeof(cell), p, cols[k]);
			if (cols[k] == TOP_COL_COMM)
				x += put(y, x, a, "  %-*.*s", ci->width,
					 ci->width, cell);
			else
				x += put(y, x, a, "%s%*s", k ? " " : "",
					 ci->width, cell);
		}
	}
}

static const struct top_proc *selected(const struct top_ui *ui)
{
	size_t n, idx[ui->m.nprocs ? ui->m.nprocs : 1];

	n = top_model_view(&ui->m, idx);
	if (!n || ui->sel < 0 || ui->sel >= (int)n)
		return NULL;
	return &ui->m.procs[idx[ui->sel]];
}

static int lat_line(const struct top_ui *ui, int y, const char *what,
		    const struct svm_lat *l)
{
	char a[16], b[16], c[16];

	put(y, 2, 0, "%-16s count %-10llu avg %-8s p50 %-8s p99 %-8s errors %llu",
	    what, (unsigned long long)l->count,
	    top_fmt_ns(a, sizeof(a), l->count ? l->ns_sum / l->count : 0),
	    top_fmt_ns(b, sizeof(b), svm_hist_quantile((const uint64_t *)l->hist, 0.5)),
	    top_fmt_ns(c, sizeof(c), svm_hist_quantile((const uint64_t *)l->hist, 0.99)),
	    (unsigned long long)l->errors);
	return y + 1;
}

static void hist_view(struct top_ui *ui)
{
	const struct top_proc *p = selected(ui);
	const struct svm_lat *l;
	uint64_t max = 0;
	char lo[16], hi[16];
	int y = 2, k, first = -1, last = -1, bw;
	bool sparse;

	if (!p) {
		put(y, 0, A_BOLD, "no process selected (h or Esc: back)");
		return;
	}
	l = &p->cum.fault;
	put(1, 0, att(ui, C_TITLE, A_BOLD),
	    "Fault latency histogram of PID %u (%s), since start   h/Esc: back, j/k: other process",
	    p->tgid, top_proc_name(p));
	for (k = 0; k < SVM_HIST_SLOTS; k++) {
		if (!l->hist[k])
			continue;
		if (first < 0)
			first = k;
		last = k;
		if (l->hist[k] > max)
			max = l->hist[k];
	}
	y = lat_line(ui, y, "GPU fault", l);
	y = lat_line(ui, y, "  last interval", &p->last.fault);
	y = lat_line(ui, y, "migrate to VRAM", &p->cum.mig_lat[SVM_DIR_TO_VRAM]);
	y = lat_line(ui, y, "migrate to sys", &p->cum.mig_lat[SVM_DIR_TO_SYSMEM]);
	y = lat_line(ui, y, "get pages", &p->cum.get_pages);
	y = lat_line(ui, y, "bind", &p->cum.bind);
	y++;
	if (first < 0) {
		put(y, 2, 0, "no faults with a latency histogram yet%s",
		    ui->st.backend && !strcmp(ui->st.backend, "debugfs") ?
		    " (the debugfs backend has no histograms)" : "");
		return;
	}
	put(y++, 2, A_BOLD, "%21s : %-10s distribution", "latency", "count");
	bw = W - 40;
	if (bw > 50)
		bw = 50;
	/* all slots from first to last if they fit, else the non-empty ones */
	sparse = last - first + 1 > H - 1 - y;
	for (k = first; k <= last && y < H - 1; k++) {
		int stars = max ? (int)((double)l->hist[k] * bw / max + 0.5) : 0;
		char bar[64];

		if (sparse && !l->hist[k])
			continue;

		if (stars > bw)
			stars = bw;
		if (l->hist[k] && !stars)
			stars = 1;
		memset(bar, '*', stars);
		bar[stars] = 0;
		/* slot k holds [2^k, 2^(k+1)) ns; slot 0 also holds 0 */
		put(y++, 2, 0, "%9s -> %-8s : %-10llu |%-*s|",
		    k ? top_fmt_ns(lo, sizeof(lo), 1ull << k) : "0",
		    top_fmt_ns(hi, sizeof(hi), 2ull << k),
		    (unsigned long long)l->hist[k], bw, bar);
	}
}

static void detail_view(struct top_ui *ui)
{
	static const char *const mname[TOP_M_MAX] = {
		"faults/s", "already valid %", "to VRAM MB/s", "to sysmem MB/s",
		"retries/s", "GC runs/s", "invalidations/s", "p50 latency",
		"p99 latency",
	};
	const struct top_model *m = &ui->m;
	char v[16], name[32], spark[TOP_HISTORY * 4 + 1];
	size_t i;
	int y = 1, k, r, x, sw = W - 40;

	if (sw > TOP_HISTORY)
		sw = TOP_HISTORY;
	put(y++, 0, att(ui, C_TITLE, A_BOLD),
	    "Per-GT detail: last interval and history   d/Esc: back");
	if (!m->samples) {
		put(y, 0, A_BOLD, "measuring the first %gs interval ...",
		    ui->interval);
		return;
	}
	for (i = 0; i < m->ngts && y < H - 2; i++) {
		const struct top_gt *g = &m->gts[i];
		const struct svm_stats *c = &g->cum;

		put(y++, 0, att(ui, C_HEAD, A_BOLD), "%s%s",
		    top_gt_name(name, sizeof(name), g),
		    g->gt == SVM_GT_NONE ?
		    " (device-wide: invalidations, GC, CPU-fault migrations, evictions)" : "");
		for (k = 0; k < TOP_M_MAX && y < H - 2; k++, y++) {
			double val = top_rates_metric(&g->rate, k);

			if (k == TOP_M_P50 || k == TOP_M_P99)
				top_fmt_ns(v, sizeof(v), (uint64_t)val);
			else if (k == TOP_M_TO_VRAM || k == TOP_M_TO_SYS)
				top_fmt_rate(v, sizeof(v), val / 1e6);
			else if (k == TOP_M_VALID)
				snprintf(v, sizeof(v), "%.1f", val);
			else
				top_fmt_rate(v, sizeof(v), val);
			put(y, 2, 0, "%-18s %10s", mname[k], v);
			if (sw >= 4) {
				top_sparkline(spark, sizeof(spark), m, g, k, sw,
					      ui->ascii);
				put_cells(y, 34, att(ui, C_SPARK, 0), spark, sw);
			}
		}
		if (y < H - 2) {
			x = put(y, 2, 0, "retries/s by reason:");
			for (r = 0; r < SVM_RETRY_MAX; r++)
				x += put(y, 2 + x, 0, " %s %s", svm_retry_name[r],
					 top_fmt_rate(v, sizeof(v), g->rate.retry[r]));
			y++;
		}
		if (y < H - 2)
			put(y++, 2, 0,
			    "since start: %llu faults, %.1f MB to VRAM, %.1f MB to sysmem, %llu retries, %llu GC runs (%llu ranges), %llu invalidations",
			    (unsigned long long)svm_faults_total(c),
			    (c->mig[0][0].bytes + c->mig[0][1].bytes +
			     c->mig[0][2].bytes + c->mig[0][3].bytes) / 1e6,
			    (c->mig[1][0].bytes + c->mig[1][1].bytes +
			     c->mig[1][2].bytes + c->mig[1][3].bytes) / 1e6,
			    (unsigned long long)svm_retries_total(c),
			    (unsigned long long)c->gc_runs,
			    (unsigned long long)c->gc_ranges,
			    (unsigned long long)c->inval);
	}
}

static void help_view(const struct top_ui *ui)
{
	static const char *const keys[] = {
		"q            quit",
		"j k, arrows  select a process (PgUp PgDn g G)",
		"s  F6        sort column chooser (Enter picks, again: reverse)",
		"< >          sort by the previous / next column",
		"r            reverse the sort order",
		"/  f         filter by COMM substring or PID prefix (Esc clears)",
		"p  space     pause / resume sampling",
		"+ -          refresh interval up / down",
		"h  Enter     latency histogram of the selected process",
		"d            per-GT detail with history",
		"?  F1        this help",
	};
	size_t i;
	int y = 1, c;

	put(y++, 0, att(ui, C_TITLE, A_BOLD), "svmtop top: keys (any key: back)");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		put(y++, 2, 0, "%s", keys[i]);
	y++;
	put(y++, 0, A_BOLD, "Columns");
	for (c = 0; c < TOP_COL_MAX && y < H - 2; c++)
		put(y++, 2, 0, "%-10s %s", top_cols[c].name, top_cols[c].help);
	if (y < H - 2)
		put(y++, 0, 0,
		    "Rates are over the last interval (FAULTS/s smoothed, EWMA tau %gs); "
		    "counts since svmtop started.", ui->m.tau);
	if (y < H - 2)
		put(y++, 0, 0,
		    "Header rows 'devN all' hold device-wide work: invalidations, "
		    "GC, CPU-fault migrations.");
}

static void chooser(const struct top_ui *ui)
{
	int c, x = W - 42, y = 2;

	if (x < 0)
		x = 0;
	put(y++, x, A_REVERSE | A_BOLD, " %-40s ", "Sort by (Enter picks, Esc cancels)");
	for (c = 0; c < TOP_COL_MAX && y < H - 1; c++, y++)
		put(y, x, c == ui->chooser ? att(ui, C_SEL, A_REVERSE) : A_REVERSE,
		    " %c %-9s %-28.28s ", c == (int)ui->m.sort ? '*' : ' ',
		    top_cols[c].name, top_cols[c].help);
}

void top_render(struct top_ui *ui)
{
	static bool colors_set;
	int y;

	getmaxyx(stdscr, H, W);
	if (ui->color && !colors_set) {
		use_default_colors();
		init_pair(C_TITLE, COLOR_CYAN, -1);
		init_pair(C_HEAD, COLOR_BLACK, COLOR_GREEN);
		init_pair(C_SPARK, COLOR_GREEN, -1);
		init_pair(C_WARN, COLOR_RED, -1);
		init_pair(C_SEL, COLOR_BLACK, COLOR_CYAN);
		init_pair(C_DIM, COLOR_BLUE, -1);
		colors_set = true;
	}
	erase();
	title(ui);
	switch (ui->view) {
	case TOP_VIEW_HIST:
		hist_view(ui);
		break;
	case TOP_VIEW_DETAIL:
		detail_view(ui);
		break;
	case TOP_VIEW_HELP:
		help_view(ui);
		break;
	case TOP_VIEW_MAIN:
	case TOP_VIEW_SORT:
		y = header(ui, 1);
		hline_at(ui, y++);
		table(ui, y);
		if (ui->view == TOP_VIEW_SORT)
			chooser(ui);
		break;
	}
	status_line(ui);
	if (!ui->editing)
		move(H - 1, W - 1);
	refresh();
}
