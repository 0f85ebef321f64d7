// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known xe GT stat names -> units and Prometheus families.
 *
 * Per-size stats become one family with a page_size label, so PromQL can
 * sum or compare sizes.  The size-less aggregates (svm_pagefault_count,
 * svm_device_copy_kb...) get families of their own: putting them in the
 * same family as the per-size series would make sum() count twice, and
 * their meaning differs (per-size fault counts grow on every retry).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "statmeta.h"

const char *const stat_sizes[STAT_N_SIZES] = { "4K", "64K", "2M" };

/* prl_* spell sizes in lower case; matched case-insensitively below. */
const struct stat_prom stat_prom_table[] = {
	{ "svm_pagefault_count", "svmtop_gt_svm_pagefaults_handled_total",
	  "SVM GPU page faults handled (one per fault; retries not counted).",
	  NULL, NULL },
	{ "tlb_inval_count", "svmtop_gt_tlb_invalidations_total",
	  "GT TLB invalidations issued.", NULL, NULL },
	{ "svm_tlb_inval_count", "svmtop_gt_svm_tlb_invalidations_total",
	  "TLB invalidations issued for SVM ranges.", NULL, NULL },
	{ "svm_tlb_inval_us", "svmtop_gt_svm_tlb_invalidation_seconds_total",
	  "Time spent in SVM TLB invalidations.", NULL, NULL },
	{ "vma_pagefault_count", "svmtop_gt_vma_pagefaults_total",
	  "GPU page faults on buffer-object VMAs.", NULL, NULL },
	{ "vma_pagefault_kb", "svmtop_gt_vma_pagefault_bytes_total",
	  "Bytes bound by buffer-object VMA page faults.", NULL, NULL },
	{ "invalid_prefetch_pagefault_count",
	  "svmtop_gt_invalid_prefetch_pagefaults_total",
	  "Page faults on invalid prefetch addresses.", NULL, NULL },
	{ "svm_{S}_pagefault_count", "svmtop_gt_svm_pagefaults_total",
	  "SVM page fault handler iterations by range size (retries included).",
	  NULL, NULL },
	{ "svm_{S}_valid_pagefault_count",
	  "svmtop_gt_svm_valid_pagefaults_total",
	  "SVM faults that found the range already valid, by range size.",
	  NULL, NULL },
	{ "svm_{S}_pagefault_us", "svmtop_gt_svm_pagefault_seconds_total",
	  "Time spent servicing SVM page faults, by range size.", NULL, NULL },
	{ "svm_{S}_migrate_count", "svmtop_gt_svm_migrations_total",
	  "SVM range migrations to VRAM, by range size.", NULL, NULL },
	{ "svm_{S}_migrate_us", "svmtop_gt_svm_migration_seconds_total",
	  "Time spent migrating SVM ranges to VRAM, by range size.",
	  NULL, NULL },
	{ "svm_device_copy_us", "svmtop_gt_svm_copy_seconds_total",
	  "Copy engine time moving SVM pages, by direction (all sizes).",
	  "direction", "to_vram" },
	{ "svm_cpu_copy_us", "svmtop_gt_svm_copy_seconds_total",
	  "Copy engine time moving SVM pages, by direction (all sizes).",
	  "direction", "to_ram" },
	{ "svm_device_copy_kb", "svmtop_gt_svm_copy_bytes_total",
	  "Bytes of SVM pages copied, by direction (all sizes).",
	  "direction", "to_vram" },
	{ "svm_cpu_copy_kb", "svmtop_gt_svm_copy_bytes_total",
	  "Bytes of SVM pages copied, by direction (all sizes).",
	  "direction", "to_ram" },
	{ "svm_{S}_device_copy_us", "svmtop_gt_svm_copy_by_size_seconds_total",
	  "Copy engine time for copies of exactly 1, 16 or 512 pages.",
	  "direction", "to_vram" },
	{ "svm_{S}_cpu_copy_us", "svmtop_gt_svm_copy_by_size_seconds_total",
	  "Copy engine time for copies of exactly 1, 16 or 512 pages.",
	  "direction", "to_ram" },
	{ "svm_{S}_device_copy_kb", "svmtop_gt_svm_copy_by_size_bytes_total",
	  "Bytes copied by copies of exactly 1, 16 or 512 pages.",
	  "direction", "to_vram" },
	{ "svm_{S}_cpu_copy_kb", "svmtop_gt_svm_copy_by_size_bytes_total",
	  "Bytes copied by copies of exactly 1, 16 or 512 pages.",
	  "direction", "to_ram" },
	{ "svm_{S}_get_pages_us", "svmtop_gt_svm_get_pages_seconds_total",
	  "Time spent getting pages (hmm_range_fault) for SVM faults.",
	  NULL, NULL },
	{ "svm_{S}_bind_us", "svmtop_gt_svm_bind_seconds_total",
	  "Time spent binding SVM ranges into the GPU page tables.",
	  NULL, NULL },
	{ "hw_engine_group_suspend_lr_queue_count",
	  "svmtop_gt_hw_engine_group_lr_queue_suspends_total",
	  "Long-running queues suspended to run a dma-fence job.", NULL, NULL },
	{ "hw_engine_group_skip_lr_queue_count",
	  "svmtop_gt_hw_engine_group_lr_queue_skips_total",
	  "Long-running queue suspensions skipped.", NULL, NULL },
	{ "hw_engine_group_wait_dma_queue_count",
	  "svmtop_gt_hw_engine_group_dma_queue_waits_total",
	  "Waits for dma-fence queues before resuming long-running ones.",
	  NULL, NULL },
	{ "hw_engine_group_suspend_lr_queue_us",
	  "svmtop_gt_hw_engine_group_lr_queue_suspend_seconds_total",
	  "Time spent suspending long-running queues.", NULL, NULL },
	{ "hw_engine_group_wait_dma_queue_us",
	  "svmtop_gt_hw_engine_group_dma_queue_wait_seconds_total",
	  "Time spent waiting for dma-fence queues.", NULL, NULL },
	{ "prl_{S}_entry_count", "svmtop_gt_prl_entries_total",
	  "Page reclaim list entries, by page size.", NULL, NULL },
	{ "prl_issued_count", "svmtop_gt_prl_issued_total",
	  "Page reclaim lists issued.", NULL, NULL },
	{ "prl_aborted_count", "svmtop_gt_prl_aborted_total",
	  "Page reclaim lists aborted.", NULL, NULL },
};

const size_t stat_prom_count = sizeof(stat_prom_table) /
			       sizeof(stat_prom_table[0]);

enum stat_unit stat_unit_of(const char *name)
{
	size_t n = strlen(name);

	if (n > 3 && !strcmp(name + n - 3, "_us"))
		return UNIT_US;
	if (n > 3 && !strcmp(name + n - 3, "_kb"))
		return UNIT_KIB;
	return UNIT_COUNT;
}

const char *stat_unit_name(enum stat_unit u)
{
	return u == UNIT_US ? "us" : u == UNIT_KIB ? "KiB" : "count";
}

/* name == pattern with {S} replaced by one of stat_sizes (any case). */
static int match(const char *pattern, const char *name, const char **size)
{
	const char *ph = strstr(pattern, "{S}");
	size_t pre, i;

	*size = NULL;
	if (!ph)
		return !strcmp(pattern, name);
	pre = ph - pattern;
	if (strncmp(pattern, name, pre))
		return 0;
	for (i = 0; i < STAT_N_SIZES; i++) {
		size_t sl = strlen(stat_sizes[i]);

		if (!strncasecmp(name + pre, stat_sizes[i], sl) &&
		    !strcmp(name + pre + sl, ph + 3)) {
			*size = stat_sizes[i];
			return 1;
		}
	}
	return 0;
}

const struct stat_prom *stat_prom_lookup(const char *name, const char **size)
{
	size_t i;

	for (i = 0; i < stat_prom_count; i++)
		if (match(stat_prom_table[i].pattern, name, size))
			return &stat_prom_table[i];
	*size = NULL;
	return NULL;
}

int stat_expand(char *buf, size_t len, const char *pattern, const char *size)
{
	const char *ph = strstr(pattern, "{S}");
	int n;

	if (!ph)
		n = snprintf(buf, len, "%s", pattern);
	else
		n = snprintf(buf, len, "%.*s%s%s", (int)(ph - pattern), pattern,
			     size ? size : "", ph + 3);
	return n >= 0 && (size_t)n < len;
}
