/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Figures users compute by hand from the GT stats: average fault latency
 * and valid-fault ratio per page size, average migration time, copy
 * throughput each way, TLB invalidation average.
 *
 * A figure whose inputs are absent (older kernel) is not produced at all;
 * one whose denominator is zero is produced with defined = false (shown
 * as "-" / null).  Over an interval (prev != NULL) the figures use the
 * deltas, so "average latency" means "of the faults in this interval".
 */
#ifndef SVMTOP_DERIVED_H
#define SVMTOP_DERIVED_H

#include <stdbool.h>
#include <stddef.h>

#include "gtstats.h"

enum derived_kind {
	DERIVED_US,		/* average duration, microseconds */
	DERIVED_RATIO,		/* fraction 0..1 */
	DERIVED_BYTES_PER_S,	/* throughput */
};

struct derived {
	char name[64];		/* machine name, e.g. svm_4K_pagefault_avg_us */
	const char *label;	/* for people, e.g. "fault latency avg" */
	const char *size;	/* "4K"/"64K"/"2M", or NULL */
	enum derived_kind kind;
	bool defined;		/* false: zero denominator or counter reset */
	double value;
};

/* Upper bound of figures derived_compute() can return. */
#define DERIVED_MAX 32

/* Fills out[] (room for DERIVED_MAX) and returns the count. */
size_t derived_compute(const struct gt_stats *cur, const struct gt_stats *prev,
		       struct derived *out);

/* Unit word for machine outputs: "us", "ratio", "bytes_per_second". */
const char *derived_unit(enum derived_kind k);

#endif
