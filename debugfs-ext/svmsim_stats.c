// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-GT counters and latency histograms in debugfs.
 *
 * gt<N>/stats follows xe_gt_stats.c (6.15+): one "name: value\n" line per
 * counter in enum order, mode 0600, and writing a true value (1, y, on)
 * zeroes every counter as newer xe kernels do.  The upstream names come
 * first and keep their meaning; svmtop's extension follows, each name
 * starting with "svmx_" so no new name contains an upstream one.
 */
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/log2.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "svmsim.h"

const char *const xe_gt_stats_names[__XE_GT_STATS_NUM_IDS] = {
	[XE_GT_STATS_ID_SVM_PAGEFAULT_COUNT] = "svm_pagefault_count",
	[XE_GT_STATS_ID_TLB_INVAL] = "tlb_inval_count",
	[XE_GT_STATS_ID_SVM_TLB_INVAL_COUNT] = "svm_tlb_inval_count",
	[XE_GT_STATS_ID_SVM_TLB_INVAL_US] = "svm_tlb_inval_us",
	[XE_GT_STATS_ID_VMA_PAGEFAULT_COUNT] = "vma_pagefault_count",
	[XE_GT_STATS_ID_VMA_PAGEFAULT_KB] = "vma_pagefault_kb",
	[XE_GT_STATS_ID_INVALID_PREFETCH_PAGEFAULT_COUNT] = "invalid_prefetch_pagefault_count",
	[XE_GT_STATS_ID_SVM_4K_PAGEFAULT_COUNT] = "svm_4K_pagefault_count",
	[XE_GT_STATS_ID_SVM_64K_PAGEFAULT_COUNT] = "svm_64K_pagefault_count",
	[XE_GT_STATS_ID_SVM_2M_PAGEFAULT_COUNT] = "svm_2M_pagefault_count",
	[XE_GT_STATS_ID_SVM_4K_VALID_PAGEFAULT_COUNT] = "svm_4K_valid_pagefault_count",
	[XE_GT_STATS_ID_SVM_64K_VALID_PAGEFAULT_COUNT] = "svm_64K_valid_pagefault_count",
	[XE_GT_STATS_ID_SVM_2M_VALID_PAGEFAULT_COUNT] = "svm_2M_valid_pagefault_count",
	[XE_GT_STATS_ID_SVM_4K_PAGEFAULT_US] = "svm_4K_pagefault_us",
	[XE_GT_STATS_ID_SVM_64K_PAGEFAULT_US] = "svm_64K_pagefault_us",
	[XE_GT_STATS_ID_SVM_2M_PAGEFAULT_US] = "svm_2M_pagefault_us",
	[XE_GT_STATS_ID_SVM_4K_MIGRATE_COUNT] = "svm_4K_migrate_count",
	[XE_GT_STATS_ID_SVM_64K_MIGRATE_COUNT] = "svm_64K_migrate_count",
	[XE_GT_STATS_ID_SVM_2M_MIGRATE_COUNT] = "svm_2M_migrate_count",
	[XE_GT_STATS_ID_SVM_4K_MIGRATE_US] = "svm_4K_migrate_us",
	[XE_GT_STATS_ID_SVM_64K_MIGRATE_US] = "svm_64K_migrate_us",
	[XE_GT_STATS_ID_SVM_2M_MIGRATE_US] = "svm_2M_migrate_us",
	[XE_GT_STATS_ID_SVM_DEVICE_COPY_US] = "svm_device_copy_us",
	[XE_GT_STATS_ID_SVM_4K_DEVICE_COPY_US] = "svm_4K_device_copy_us",
	[XE_GT_STATS_ID_SVM_64K_DEVICE_COPY_US] = "svm_64K_device_copy_us",
	[XE_GT_STATS_ID_SVM_2M_DEVICE_COPY_US] = "svm_2M_device_copy_us",
	[XE_GT_STATS_ID_SVM_CPU_COPY_US] = "svm_cpu_copy_us",
	[XE_GT_STATS_ID_SVM_4K_CPU_COPY_US] = "svm_4K_cpu_copy_us",
	[XE_GT_STATS_ID_SVM_64K_CPU_COPY_US] = "svm_64K_cpu_copy_us",
	[XE_GT_STATS_ID_SVM_2M_CPU_COPY_US] = "svm_2M_cpu_copy_us",
	[XE_GT_STATS_ID_SVM_DEVICE_COPY_KB] = "svm_device_copy_kb",
	[XE_GT_STATS_ID_SVM_4K_DEVICE_COPY_KB] = "svm_4K_device_copy_kb",
	[XE_GT_STATS_ID_SVM_64K_DEVICE_COPY_KB] = "svm_64K_device_copy_kb",
	[XE_GT_STATS_ID_SVM_2M_DEVICE_COPY_KB] = "svm_2M_device_copy_kb",
	[XE_GT_STATS_ID_SVM_CPU_COPY_KB] = "svm_cpu_copy_kb",
	[XE_GT_STATS_ID_SVM_4K_CPU_COPY_KB] = "svm_4K_cpu_copy_kb",
	[XE_GT_STATS_ID_SVM_64K_CPU_COPY_KB] = "svm_64K_cpu_copy_kb",
	[XE_GT_STATS_ID_SVM_2M_CPU_COPY_KB] = "svm_2M_cpu_copy_kb",
	[XE_GT_STATS_ID_SVM_4K_GET_PAGES_US] = "svm_4K_get_pages_us",
	[XE_GT_STATS_ID_SVM_64K_GET_PAGES_US] = "svm_64K_get_pages_us",
	[XE_GT_STATS_ID_SVM_2M_GET_PAGES_US] = "svm_2M_get_pages_us",
	[XE_GT_STATS_ID_SVM_4K_BIND_US] = "svm_4K_bind_us",
	[XE_GT_STATS_ID_SVM_64K_BIND_US] = "svm_64K_bind_us",
	[XE_GT_STATS_ID_SVM_2M_BIND_US] = "svm_2M_bind_us",
	[XE_GT_STATS_ID_HW_ENGINE_GROUP_SUSPEND_LR_QUEUE_COUNT] = "hw_engine_group_suspend_lr_queue_count",
	[XE_GT_STATS_ID_HW_ENGINE_GROUP_SKIP_LR_QUEUE_COUNT] = "hw_engine_group_skip_lr_queue_count",
	[XE_GT_STATS_ID_HW_ENGINE_GROUP_WAIT_DMA_QUEUE_COUNT] = "hw_engine_group_wait_dma_queue_count",
	[XE_GT_STATS_ID_HW_ENGINE_GROUP_SUSPEND_LR_QUEUE_US] = "hw_engine_group_suspend_lr_queue_us",
	[XE_GT_STATS_ID_HW_ENGINE_GROUP_WAIT_DMA_QUEUE_US] = "hw_engine_group_wait_dma_queue_us",
	[XE_GT_STATS_ID_PRL_4K_ENTRY_COUNT] = "prl_4k_entry_count",
	[XE_GT_STATS_ID_PRL_64K_ENTRY_COUNT] = "prl_64k_entry_count",
	[XE_GT_STATS_ID_PRL_2M_ENTRY_COUNT] = "prl_2m_entry_count",
	[XE_GT_STATS_ID_PRL_ISSUED_COUNT] = "prl_issued_count",
	[XE_GT_STATS_ID_PRL_ABORTED_COUNT] = "prl_aborted_count",
	[SVMX_STATS_ID_FAULT_ATOMIC_COUNT] = "svmx_fault_atomic_count",
	[SVMX_STATS_ID_FAULT_FAILED_COUNT] = "svmx_fault_failed_count",
	[SVMX_STATS_ID_FAULT_RETRY_COUNT] = "svmx_fault_retry_count",
	[SVMX_STATS_ID_RETRY_MIGRATE_COUNT] = "svmx_retry_migrate_count",
	[SVMX_STATS_ID_RETRY_GET_PAGES_COUNT] = "svmx_retry_get_pages_count",
	[SVMX_STATS_ID_RETRY_BIND_COUNT] = "svmx_retry_bind_count",
	[SVMX_STATS_ID_RETRY_VMA_SPLIT_COUNT] = "svmx_retry_vma_split_count",
	[SVMX_STATS_ID_RETRY_GC_COUNT] = "svmx_retry_gc_count",
	[SVMX_STATS_ID_MIGRATE_FAILED_COUNT] = "svmx_migrate_failed_count",
	[SVMX_STATS_ID_GC_RUN_COUNT] = "svmx_gc_run_count",
	[SVMX_STATS_ID_GC_RANGE_COUNT] = "svmx_gc_range_count",
	[SVMX_STATS_ID_GC_KB] = "svmx_gc_kb",
	[SVMX_STATS_ID_GC_US] = "svmx_gc_us",
	[SVMX_STATS_ID_CPU_FAULT_MIGRATE_COUNT] = "svmx_cpu_fault_migrate_count",
	[SVMX_STATS_ID_CPU_FAULT_MIGRATE_KB] = "svmx_cpu_fault_migrate_kb",
	[SVMX_STATS_ID_CPU_FAULT_MIGRATE_US] = "svmx_cpu_fault_migrate_us",
	[SVMX_STATS_ID_EVICT_COUNT] = "svmx_evict_count",
	[SVMX_STATS_ID_EVICT_KB] = "svmx_evict_kb",
	[SVMX_STATS_ID_EVICT_US] = "svmx_evict_us",
	[SVMX_STATS_ID_PREFETCH_MIGRATE_COUNT] = "svmx_prefetch_migrate_count",
	[SVMX_STATS_ID_PREFETCH_MIGRATE_KB] = "svmx_prefetch_migrate_kb",
	[SVMX_STATS_ID_GPU_FAULT_MIGRATE_KB] = "svmx_gpu_fault_migrate_kb",
	[SVMX_STATS_ID_GET_PAGES_COUNT] = "svmx_get_pages_count",
	[SVMX_STATS_ID_BIND_COUNT] = "svmx_bind_count",
	[SVMX_STATS_ID_INVALIDATE_COUNT] = "svmx_invalidate_count",
	[SVMX_STATS_ID_INVALIDATE_RANGE_COUNT] = "svmx_invalidate_range_count",
	[SVMX_STATS_ID_INVALIDATE_US] = "svmx_invalidate_us",
	[SVMX_STATS_ID_ACCESS_COUNT] = "svmx_access_count",
};

const char *const svmsim_hist_names[SVMSIM_HIST_NUM] = {
	[SVMSIM_HIST_PAGEFAULT] = "svmx_pagefault_us_hist",
	[SVMSIM_HIST_MIGRATE_VRAM] = "svmx_migrate_vram_us_hist",
	[SVMSIM_HIST_MIGRATE_SYSMEM] = "svmx_migrate_sysmem_us_hist",
};

void xe_gt_stats_incr(struct xe_gt *gt, enum xe_gt_stats_id id, s64 incr)
{
	if (id >= __XE_GT_STATS_NUM_IDS)
		return;
	atomic64_add(incr, &gt->stats.counters[id]);
}

void svmsim_hist_add(struct xe_gt *gt, enum svmsim_hist_id id, u64 us)
{
	unsigned int slot = us ? ilog2(us) : 0;

	if (slot >= SVMSIM_HIST_BUCKETS)
		slot = SVMSIM_HIST_BUCKETS - 1;
	atomic64_inc(&gt->stats.hist[id][slot]);
}

unsigned int svmsim_size_idx(u64 size)
{
	switch (size) {
	case SZ_4K:
		return 0;
	case SZ_64K:
		return 1;
	case SZ_2M:
		return 2;
	default:
		return 3;
	}
}

static int stats_show(struct seq_file *m, void *data)
{
	struct xe_gt *gt = m->private;
	int i;

	for (i = 0; i < __XE_GT_STATS_NUM_IDS; i++)
		seq_printf(m, "%s: %lld\n", xe_gt_stats_names[i],
			   (long long)atomic64_read(&gt->stats.counters[i]));
	return 0;
}

static int stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, stats_show, inode->i_private);
}

static ssize_t stats_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct xe_gt *gt = file_inode(file)->i_private;
	bool clear;
	int i, ret;

	ret = kstrtobool_from_user(ubuf, count, &clear);
	if (ret)
		return ret;
	if (clear)
		for (i = 0; i < __XE_GT_STATS_NUM_IDS; i++)
			atomic64_set(&gt->stats.counters[i], 0);
	return count;
}

static const struct file_operations stats_fops = {
	.owner = THIS_MODULE,
	.open = stats_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = stats_write,
};

/*
 * One line per histogram: "<name>: c0 c1 ... c31" where ck counts
 * durations d (microseconds) with 2^k <= d < 2^(k+1); d = 0 counts in c0.
 */
static int hist_show(struct seq_file *m, void *data)
{
	struct xe_gt *gt = m->private;
	int h, k;

	for (h = 0; h < SVMSIM_HIST_NUM; h++) {
		seq_printf(m, "%s:", svmsim_hist_names[h]);
		for (k = 0; k < SVMSIM_HIST_BUCKETS; k++)
			seq_printf(m, " %lld",
				   (long long)atomic64_read(&gt->stats.hist[h][k]));
		seq_putc(m, '\n');
	}
	return 0;
}

static int hist_open(struct inode *inode, struct file *file)
{
	return single_open(file, hist_show, inode->i_private);
}

static ssize_t hist_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct xe_gt *gt = file_inode(file)->i_private;
	bool clear;
	int h, k, ret;

	ret = kstrtobool_from_user(ubuf, count, &clear);
	if (ret)
		return ret;
	if (clear)
		for (h = 0; h < SVMSIM_HIST_NUM; h++)
			for (k = 0; k < SVMSIM_HIST_BUCKETS; k++)
				atomic64_set(&gt->stats.hist[h][k], 0);
	return count;
}

static const struct file_operations hist_fops = {
	.owner = THIS_MODULE,
	.open = hist_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = hist_write,
};

void svmsim_gt_debugfs_register(struct xe_gt *gt, struct dentry *root)
{
	char name[8];

	snprintf(name, sizeof(name), "gt%u", gt->info.id);
	gt->debugfs = debugfs_create_dir(name, root);
	debugfs_create_file("stats", 0600, gt->debugfs, gt, &stats_fops);
	debugfs_create_file("svm_latency", 0600, gt->debugfs, gt, &hist_fops);
}
