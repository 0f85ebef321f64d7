/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What svmtop knows about xe GT stat names: their unit (from the suffix)
 * and the Prometheus family each known name is exported as.  Unknown names
 * are still shown everywhere; in Prometheus they go to the generic
 * svmtop_gt_stat{name="..."} family (STAT_PROM_GENERIC).
 */
#ifndef SVMTOP_STATMETA_H
#define SVMTOP_STATMETA_H

#include <stddef.h>

enum stat_unit {
	UNIT_COUNT,	/* plain event count */
	UNIT_US,	/* cumulative microseconds ("_us") */
	UNIT_KIB,	/* cumulative KiB ("_kb") */
};

/* Unit from the name's suffix: _us, _kb, anything else is a count. */
enum stat_unit stat_unit_of(const char *name);
const char *stat_unit_name(enum stat_unit u);	/* "count", "us", "KiB" */

/* Page sizes of the per-size families, in display order. */
#define STAT_N_SIZES 3
extern const char *const stat_sizes[STAT_N_SIZES];	/* "4K","64K","2M" */

struct stat_prom {
	const char *pattern;	/* stat name; "{S}" stands for a page size */
	const char *family;	/* metric name, base units */
	const char *help;
	const char *xlabel;	/* extra constant label, or NULL */
	const char *xvalue;
};

#define STAT_PROM_GENERIC "svmtop_gt_stat"

extern const struct stat_prom stat_prom_table[];
extern const size_t stat_prom_count;

/*
 * Family of a stat name, or NULL if unknown.  *size gets the page size
 * label ("4K", "64K", "2M": prl_4k_... is normalised) or NULL.
 */
const struct stat_prom *stat_prom_lookup(const char *name, const char **size);

/*
 * Expand a "{S}" pattern with size (or copy it when it has none).  Returns
 * false when it does not fit.
 */
int stat_expand(char *buf, size_t len, const char *pattern, const char *size);

#endif
