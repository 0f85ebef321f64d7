/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svmtop top: the live dashboard.  Split by job:
 *   cli/topmodel.[ch]  rates, smoothing, sorting, filtering (pure)
 *   cli/topkeys.c      keys -> state changes (pure: no curses calls)
 *   cli/topfmt.c       number formatting, sparklines, the plain report
 *   cli/toprender.c    the ncurses screens
 *   cli/top.c          options, the sampling loop, signals, cmd_top()
 */
#ifndef SVMTOP_CLI_TOP_H
#define SVMTOP_CLI_TOP_H

#include <stdbool.h>
#include <stdio.h>

#include "topmodel.h"

enum top_view {
	TOP_VIEW_MAIN,
	TOP_VIEW_HIST,		/* h: latency histogram of the selected process */
	TOP_VIEW_DETAIL,	/* d: per-GT detail with history */
	TOP_VIEW_HELP,		/* ? */
	TOP_VIEW_SORT,		/* s: column chooser */
};

/* What the main loop must do after a key. */
enum top_action {
	TOP_ACT_NONE,		/* nothing changed */
	TOP_ACT_REDRAW,		/* state changed: draw again */
	TOP_ACT_INTERVAL,	/* the sample period changed */
	TOP_ACT_QUIT,
};

/* Everything the screens show besides the model. */
struct top_status {
	const char *backend;		/* "tp", "fentry", ... */
	size_t nprobes, nattached;
	char missing[200];		/* probes that could not attach */
	bool bpf_stats;			/* kernel.bpf_stats_enabled on */
	double cpu_pct;			/* svmtop's own CPU, last interval */
	double next_in;			/* seconds to the next sample */
};

struct top_ui {
	struct top_model m;
	struct top_status st;
	enum top_view view;
	bool ascii;			/* no UTF-8 sparklines or box characters */
	bool color;			/* NO_COLOR unset and the terminal has them */
	bool paused;
	double interval;		/* seconds between samples */
	uint32_t sel_tgid;		/* selected row (by PID: rows move) */
	int sel;			/* its index in the view */
	int top;			/* first row shown (scrolling) */
	int rows;			/* table rows that fit (set by the renderer) */
	int chooser;			/* column under the cursor in TOP_VIEW_SORT */
	bool editing;			/* typing a filter */
	char edit[64];
	char msg[80];			/* one-shot message for the status line */
};

/* Refresh steps for + and - (seconds). */
extern const double top_intervals[];
extern const int top_n_intervals;
double top_interval_step(double cur, int dir);

void top_ui_init(struct top_ui *ui, double interval);
/* Apply a key (ncurses key code or character).  Pure. */
enum top_action top_key(struct top_ui *ui, int key);
/* After the model changed: keep the selection on the same PID. */
void top_ui_fix_selection(struct top_ui *ui);

/* ---- formatting (cli/topfmt.c) ---------------------------------------- */
/* "1.23k", "12.3", "0" ... into buf of at least 16 bytes */
char *top_fmt_rate(char *buf, size_t len, double v);
/* nanoseconds: "850ns", "12us", "1.2ms", "3.4s"; 0 -> "-" */
char *top_fmt_ns(char *buf, size_t len, uint64_t ns);
/* bytes as MB (10^6) with one decimal: "12.3" */
char *top_fmt_mb(char *buf, size_t len, double bytes);
/* Sparkline of the last width samples of a GT metric, oldest left. */
char *top_sparkline(char *buf, size_t len, const struct top_model *m,
		    const struct top_gt *g, enum top_metric k, int width,
		    bool ascii);
/* Name of a (dev, gt): "dev0 gt1" or "dev0 all" for device-wide work. */
char *top_gt_name(char *buf, size_t len, const struct top_gt *g);
/* Process name for the table: comm, or what an unattributed row is. */
const char *top_proc_name(const struct top_proc *p);
/* Table cell of column c for process p (right-aligned by the caller). */
char *top_cell(char *buf, size_t len, const struct top_proc *p, enum top_col c);

/* The plain report of one interval (non-tty), flushed by the caller. */
void top_plain_report(FILE *f, const struct top_ui *ui, const char *when);

/* ---- screens (cli/toprender.c) ---------------------------------------- */
void top_render(struct top_ui *ui);

int cmd_top(int argc, char **argv);

#endif
