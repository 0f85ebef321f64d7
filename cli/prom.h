/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Prometheus text exposition format 0.0.4 helpers.
 *
 *   prom_family(f, "svmtop_gt_svm_pagefaults_total", "counter", "help...");
 *   struct prom_label l[] = { { "device", "0000:03:00.0" }, { "gt", "0" } };
 *   prom_sample_u64(f, "svmtop_gt_svm_pagefaults_total", l, 2, 42);
 *
 * Call prom_family() once per family, before its samples, and keep a
 * family's samples together (the format requires both).  Labels with a
 * NULL value are skipped, so optional labels need no special casing.
 * Names are the caller's business (use [a-zA-Z_:][a-zA-Z0-9_:]*); HELP
 * text and label values are escaped here.  Base units: seconds, bytes.
 */
#ifndef SVMTOP_PROM_H
#define SVMTOP_PROM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct prom_label {
	const char *name;
	const char *value;	/* NULL: label left out */
};

/* "# HELP name help" and "# TYPE name type" (counter, gauge, untyped...). */
void prom_family(FILE *f, const char *name, const char *type,
		 const char *help);
/* One sample line; value is written verbatim (already formatted). */
void prom_sample(FILE *f, const char *name, const struct prom_label *l,
		 size_t n, const char *value);
void prom_sample_u64(FILE *f, const char *name, const struct prom_label *l,
		     size_t n, uint64_t v);
/* %.17g; NaN and infinities spelled NaN, +Inf, -Inf as the format wants. */
void prom_sample_double(FILE *f, const char *name,
			const struct prom_label *l, size_t n, double v);
/* svmtop_build_info{version,revision} 1, with its HELP/TYPE. */
void prom_build_info(FILE *f);

#endif
