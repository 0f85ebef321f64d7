// SPDX-License-Identifier: GPL-2.0-only
/*
 * Derived figures over the GT stats (see derived.h).
 */
#include <stdio.h>
#include <string.h>

#include "derived.h"
#include "statmeta.h"

struct derived_def {
	const char *name;	/* "{S}": expanded for each page size */
	const char *label;
	const char *num, *den;
	enum derived_kind kind;
};

/* Order = display order in the table. */
static const struct derived_def defs[] = {
	{ "svm_{S}_valid_pagefault_ratio", "valid faults",
	  "svm_{S}_valid_pagefault_count", "svm_{S}_pagefault_count",
	  DERIVED_RATIO },
	{ "svm_{S}_pagefault_avg_us", "fault latency avg",
	  "svm_{S}_pagefault_us", "svm_{S}_pagefault_count", DERIVED_US },
	{ "svm_{S}_migrate_avg_us", "migration time avg",
	  "svm_{S}_migrate_us", "svm_{S}_migrate_count", DERIVED_US },
	{ "svm_{S}_device_copy_bytes_per_second", "copy to VRAM",
	  "svm_{S}_device_copy_kb", "svm_{S}_device_copy_us",
	  DERIVED_BYTES_PER_S },
	{ "svm_{S}_cpu_copy_bytes_per_second", "copy to RAM",
	  "svm_{S}_cpu_copy_kb", "svm_{S}_cpu_copy_us", DERIVED_BYTES_PER_S },
	{ "svm_device_copy_bytes_per_second", "copy to VRAM, all sizes",
	  "svm_device_copy_kb", "svm_device_copy_us", DERIVED_BYTES_PER_S },
	{ "svm_cpu_copy_bytes_per_second", "copy to RAM, all sizes",
	  "svm_cpu_copy_kb", "svm_cpu_copy_us", DERIVED_BYTES_PER_S },
	{ "svm_tlb_inval_avg_us", "SVM TLB invalidation avg",
	  "svm_tlb_inval_us", "svm_tlb_inval_count", DERIVED_US },
	{ "hw_engine_group_suspend_lr_queue_avg_us", "LR queue suspend avg",
	  "hw_engine_group_suspend_lr_queue_us",
	  "hw_engine_group_suspend_lr_queue_count", DERIVED_US },
	{ "hw_engine_group_wait_dma_queue_avg_us", "DMA queue wait avg",
	  "hw_engine_group_wait_dma_queue_us",
	  "hw_engine_group_wait_dma_queue_count", DERIVED_US },
};

const char *derived_unit(enum derived_kind k)
{
	return k == DERIVED_US ? "us" :
	       k == DERIVED_RATIO ? "ratio" : "bytes_per_second";
}

/* Value of name in cur, minus prev's when given; false if absent. */
static bool input(const struct gt_stats *cur, const struct gt_stats *prev,
		  const char *name, double *v, bool *ok)
{
	uint64_t c, p;

	if (!gtstats_get(cur, name, &c))
		return false;
	*v = (double)c;
	if (prev) {
		if (!gtstats_get(prev, name, &p) || c < p)
			*ok = false;	/* new name or counter reset */
		else
			*v = (double)(c - p);
	}
	return true;
}

static void one(const struct derived_def *d, const char *size,
		const struct gt_stats *cur, const struct gt_stats *prev,
		struct derived *out, size_t *n)
{
	char num[64], den[64];
	double a, b;
	bool ok = true;
	struct derived *o;

	if (!stat_expand(num, sizeof(num), d->num, size) ||
	    !stat_expand(den, sizeof(den), d->den, size) ||
	    !input(cur, prev, num, &a, &ok) || !input(cur, prev, den, &b, &ok) ||
	    *n >= DERIVED_MAX)
		return;
	o = &out[(*n)++];
	stat_expand(o->name, sizeof(o->name), d->name, size);
	o->label = d->label;
	o->size = size;
	o->kind = d->kind;
	o->defined = ok && b > 0;
	o->value = 0;
	if (!o->defined)
		return;
	if (d->kind == DERIVED_BYTES_PER_S)
		o->value = a * 1024.0 * 1e6 / b;	/* KiB per us */
	else
		o->value = a / b;
}

size_t derived_compute(const struct gt_stats *cur, const struct gt_stats *prev,
		       struct derived *out)
{
	size_t i, s, n = 0;

	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		if (!strstr(defs[i].name, "{S}")) {
			one(&defs[i], NULL, cur, prev, out, &n);
			continue;
		}
		for (s = 0; s < STAT_N_SIZES; s++)
			one(&defs[i], stat_sizes[s], cur, prev, out, &n);
	}
	return n;
}
