/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `svmtop stat`: options, samples and the four output formats.
 *
 * This is the debugfs source.  `stat --bpf` (the HMM BPF backend,
 * cli/bpfstat.c) is handed the command line before these options are parsed
 * (see cmd_stat) and prints with the same json.h / prom.h helpers.
 */
#ifndef SVMTOP_STAT_H
#define SVMTOP_STAT_H

#include <stdbool.h>
#include <stdio.h>

#include "gtstats.h"

#define STAT_DEFAULT_DEBUGFS "/sys/kernel/debug"

enum stat_format {
	STAT_FMT_TABLE,		/* default: human table */
	STAT_FMT_JSON,		/* --json: NDJSON, one object per sample */
	STAT_FMT_PROM,		/* --prom: Prometheus text format 0.0.4 */
	STAT_FMT_CSV,		/* --csv: one row per (sample, gt, stat) */
};

struct stat_opts {
	const char *debugfs;	/* debugfs root; STAT_DEFAULT_DEBUGFS */
	bool debugfs_given;	/* --debugfs: skip the "is it debugfs" check */
	double interval;	/* -i seconds; 0: one cumulative report */
	long count;		/* -n reports; 0: until interrupted */
	enum stat_format format;
	bool reset;		/* --reset: zero the counters and exit */
};

/*
 * Parse argv (argv[0] = "stat") into o.  Returns -1 after a usage error
 * (message printed), 1 after --help, 0 to run.
 */
int stat_parse_args(int argc, char **argv, struct stat_opts *o);
/* Run with parsed options; returns an EXIT_* code. */
int stat_run(const struct stat_opts *o, FILE *out);

/* ---- samples and writers (library API, used by the unit tests) -------- */

struct stat_gt_sample {
	struct gt_stats st;
	int err;		/* 0, or -errno of this read */
};

struct stat_sample {
	unsigned long seq;		/* 0, 1, 2 ... */
	double time;			/* wall clock, Unix seconds */
	double interval;		/* seconds the rates cover; 0: none */
	const struct gt_list *gts;
	const struct stat_gt_sample *cur;	/* [gts->n] */
	const struct stat_gt_sample *prev;	/* [gts->n], NULL: no rates */
};

enum stat_delta {
	DELTA_NONE,	/* no rate: one-shot, or name new since last sample */
	DELTA_OK,
	DELTA_RESET,	/* counter went backwards: reset, no rate */
};

/* Change of stat st of GT g since the previous sample. */
enum stat_delta stat_delta(const struct stat_sample *s, size_t g,
			   const struct gt_stat *st, uint64_t *delta);

void stat_write_table(FILE *f, const struct stat_sample *s);
void stat_write_json(FILE *f, const struct stat_sample *s);
/* Cumulative values only, even with -i: Prometheus computes rates. */
void stat_write_prom(FILE *f, const struct stat_sample *s);
/* The same without svmtop_build_info: the GT families only (for export). */
void stat_write_prom_families(FILE *f, const struct stat_sample *s);
void stat_write_csv_header(FILE *f);
void stat_write_csv(FILE *f, const struct stat_sample *s);

#endif
