// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device-private "VRAM", the copy engine and migration between the two.
 *
 * VRAM is one MEMORY_DEVICE_PRIVATE dev_pagemap (memremap_pages() over a
 * free physical address region); its data lives in ordinary pages
 * (vram.backing).  A migration allocates a contiguous block of VRAM pages,
 * an xe_bo, the way xe allocates a BO per SVM range; when no block fits,
 * the oldest blocks are evicted to system memory first.
 *
 * Mirrors (names and argument shapes, versions noted per function):
 * drm_pagemap_migrate_to_devmem, drm_pagemap_migrate_to_ram,
 * drm_pagemap_evict_to_ram, xe_svm_bo_evict, xe_svm_copy_to_devmem,
 * xe_svm_copy_to_ram, xe_migrate_to_vram, xe_migrate_from_vram.
 */
#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/hmm.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "svmsim.h"
#include "xe_svm_trace.h"

static struct xe_device *page_to_xe(struct page *page)
{
	return container_of(page->pgmap, struct xe_device, vram.pagemap);
}

bool svmsim_is_vram_page(struct xe_device *xe, struct page *page)
{
	return is_device_private_page(page) && page->pgmap == &xe->vram.pagemap;
}

struct page *svmsim_vram_backing(struct xe_device *xe, struct page *page)
{
	return xe->vram.backing[page_to_pfn(page) - xe->vram.base_pfn];
}

u64 svmsim_vram_free_bytes(struct xe_device *xe)
{
	u64 n;

	spin_lock(&xe->vram.lock);
	n = xe->vram.nfree;
	spin_unlock(&xe->vram.lock);
	return n << PAGE_SHIFT;
}

static void svmsim_bo_release(struct kref *kref)
{
	struct xe_bo *bo = container_of(kref, struct xe_bo, refcount);
	struct svmsim_vram *vram = &bo->xe->vram;

	spin_lock(&vram->lock);
	if (bo->on_lru)
		list_del(&bo->lru_link);
	if (!bo->live && !bo->devmem_allocation.mm) {
		/* never handed to the core mm: give the block back here */
		bitmap_clear(vram->used, bo->first, bo->npages);
		vram->nfree += bo->npages;
	}
	spin_unlock(&vram->lock);
	kfree(bo);
}

void svmsim_bo_put(struct xe_bo *bo)
{
	kref_put(&bo->refcount, svmsim_bo_release);
}

/*
 * Allocate a contiguous block of npages VRAM pages, evicting the oldest
 * blocks until one fits.  The caller's reference is returned.
 */
struct xe_bo *svmsim_bo_create(struct xe_device *xe, struct xe_vm *vm,
			       unsigned long npages)
{
	struct svmsim_vram *vram = &xe->vram;
	struct xe_bo *bo, *victim;
	unsigned long idx;
	int tries = 0;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	kref_init(&bo->refcount);
	INIT_LIST_HEAD(&bo->lru_link);
	bo->xe = xe;
	bo->npages = npages;
	bo->devmem_allocation.dev = xe->drm.dev;
	bo->devmem_allocation.size = npages << PAGE_SHIFT;
	bo->asid = vm->usm.asid;
	bo->tgid = vm->tgid;

	for (;;) {
		spin_lock(&vram->lock);
		if (vram->removing || npages > vram->npages) {
			spin_unlock(&vram->lock);
			break;
		}
		idx = bitmap_find_next_zero_area(vram->used, vram->npages, 0,
						 npages, 0);
		if (idx < vram->npages) {
			bitmap_set(vram->used, idx, npages);
			vram->nfree -= npages;
			bo->first = idx;
			spin_unlock(&vram->lock);
			return bo;
		}
		victim = list_first_entry_or_null(&vram->lru, struct xe_bo,
						  lru_link);
		if (!victim || ++tries > 64) {
			spin_unlock(&vram->lock);
			break;
		}
		/* rotate so a block that cannot move is not picked forever */
		list_move_tail(&victim->lru_link, &vram->lru);
		kref_get(&victim->refcount);
		spin_unlock(&vram->lock);

		mutex_lock(&vram->evict_lock);
		xe_svm_bo_evict(victim);
		mutex_unlock(&vram->evict_lock);
		svmsim_bo_put(victim);
	}
	kfree(bo);
	return ERR_PTR(-ENOSPC);
}

/* dev_pagemap_ops.page_free: the core mm dropped a VRAM page */
static void svmsim_page_free(struct page *page)
{
	struct xe_device *xe = page_to_xe(page);
	struct svmsim_vram *vram = &xe->vram;
	struct xe_bo *bo = page->zone_device_data;
	bool last = false;

	spin_lock(&vram->lock);
	__clear_bit(page_to_pfn(page) - vram->base_pfn, vram->used);
	vram->nfree++;
	if (bo && !--bo->live) {
		if (bo->on_lru) {
			list_del(&bo->lru_link);
			bo->on_lru = false;
		}
		last = true;
	}
	spin_unlock(&vram->lock);
	page->zone_device_data = NULL;
	if (last)
		svmsim_bo_put(bo);
}

static void svmsim_throttle(size_t bytes)
{
	unsigned int mbps = READ_ONCE(svmsim_copy_mbps);
	unsigned long us;

	if (!mbps)
		return;
	us = bytes / mbps;	/* 1 MB/s moves one byte per microsecond */
	if (us)
		fsleep(us);
}

/*
 * One copy-engine blit system -> VRAM, mirrors xe_migrate_to_vram()
 * (6.15): npages pages whose bus addresses are src_addr[], to the
 * contiguous VRAM block at byte offset dst_addr.
 */
noinline int xe_migrate_to_vram(struct xe_migrate *m, unsigned long npages,
				dma_addr_t *src_addr, u64 dst_addr)
{
	struct svmsim_vram *vram = &m->tile->xe->vram;
	unsigned long i, first = dst_addr >> PAGE_SHIFT;

	mutex_lock(&m->job_mutex);
	for (i = 0; i < npages; i++) {
		struct page *src = pfn_to_page(PHYS_PFN(src_addr[i]));

		copy_highpage(vram->backing[first + i], src);
	}
	svmsim_throttle(npages << PAGE_SHIFT);
	mutex_unlock(&m->job_mutex);
	return 0;
}

/* One blit VRAM -> system memory, mirrors xe_migrate_from_vram() (6.15). */
noinline int xe_migrate_from_vram(struct xe_migrate *m, unsigned long npages,
				  u64 src_addr, dma_addr_t *dst_addr)
{
	struct svmsim_vram *vram = &m->tile->xe->vram;
	unsigned long i, first = src_addr >> PAGE_SHIFT;

	mutex_lock(&m->job_mutex);
	for (i = 0; i < npages; i++) {
		struct page *dst = pfn_to_page(PHYS_PFN(dst_addr[i]));

		copy_highpage(dst, vram->backing[first + i]);
	}
	svmsim_throttle(npages << PAGE_SHIFT);
	mutex_unlock(&m->job_mutex);
	return 0;
}

enum svmsim_copy_dir { SVMSIM_COPY_TO_VRAM, SVMSIM_COPY_TO_SRAM };

/*
 * The copy loop of xe_svm_copy() (6.15): one blit per run of physically
 * contiguous VRAM pages, at most SVMSIM_COPY_CHUNK_MAX bytes each.  An
 * entry with dma_addr 0 has no source data (fresh anonymous memory): its
 * VRAM page is cleared, which is not counted as a copy.
 */
static int xe_svm_copy(struct page **pages, dma_addr_t *dma_addr,
		       unsigned long npages, enum svmsim_copy_dir dir)
{
	static const enum xe_gt_stats_id dev_us[] = {
		XE_GT_STATS_ID_SVM_4K_DEVICE_COPY_US,
		XE_GT_STATS_ID_SVM_64K_DEVICE_COPY_US,
		XE_GT_STATS_ID_SVM_2M_DEVICE_COPY_US,
	};
	static const enum xe_gt_stats_id dev_kb[] = {
		XE_GT_STATS_ID_SVM_4K_DEVICE_COPY_KB,
		XE_GT_STATS_ID_SVM_64K_DEVICE_COPY_KB,
		XE_GT_STATS_ID_SVM_2M_DEVICE_COPY_KB,
	};
	static const enum xe_gt_stats_id cpu_us[] = {
		XE_GT_STATS_ID_SVM_4K_CPU_COPY_US,
		XE_GT_STATS_ID_SVM_64K_CPU_COPY_US,
		XE_GT_STATS_ID_SVM_2M_CPU_COPY_US,
	};
	static const enum xe_gt_stats_id cpu_kb[] = {
		XE_GT_STATS_ID_SVM_4K_CPU_COPY_KB,
		XE_GT_STATS_ID_SVM_64K_CPU_COPY_KB,
		XE_GT_STATS_ID_SVM_2M_CPU_COPY_KB,
	};
	const unsigned long max_run = SVMSIM_COPY_CHUNK_MAX >> PAGE_SHIFT;
	struct xe_device *xe = NULL;
	unsigned long i, j, copied = 0;
	u64 t0 = ktime_get_ns(), us;
	unsigned int s;
	int err = 0;

	for (i = 0; i < npages; i++) {
		if (pages[i]) {
			xe = page_to_xe(pages[i]);
			break;
		}
	}
	if (!xe)
		return 0;

	for (i = 0; i < npages && !err; i = j) {
		unsigned long pfn, idx;

		if (!pages[i]) {
			j = i + 1;
			continue;
		}
		pfn = page_to_pfn(pages[i]);
		idx = pfn - xe->vram.base_pfn;
		if (!dma_addr[i]) {
			if (dir == SVMSIM_COPY_TO_VRAM)
				clear_highpage(xe->vram.backing[idx]);
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < npages && j - i < max_run; j++)
			if (!pages[j] || !dma_addr[j] ||
			    page_to_pfn(pages[j]) != pfn + (j - i))
				break;
		if (dir == SVMSIM_COPY_TO_VRAM)
			err = xe_migrate_to_vram(&xe->migrate, j - i, &dma_addr[i],
						 (u64)idx << PAGE_SHIFT);
		else
			err = xe_migrate_from_vram(&xe->migrate, j - i,
						   (u64)idx << PAGE_SHIFT,
						   &dma_addr[i]);
		copied += j - i;
	}

	if (!copied)
		return err;
	us = div_u64(ktime_get_ns() - t0, NSEC_PER_USEC);
	/* upstream buckets copies by size only for exactly 1, 16, 512 pages */
	s = svmsim_size_idx(npages << PAGE_SHIFT);
	if (dir == SVMSIM_COPY_TO_VRAM) {
		xe_gt_stats_incr(xe->tile.primary_gt, XE_GT_STATS_ID_SVM_DEVICE_COPY_US, us);
		xe_gt_stats_incr(xe->tile.primary_gt, XE_GT_STATS_ID_SVM_DEVICE_COPY_KB,
				 copied << (PAGE_SHIFT - 10));
		if (s < ARRAY_SIZE(dev_us)) {
			xe_gt_stats_incr(xe->tile.primary_gt, dev_us[s], us);
			xe_gt_stats_incr(xe->tile.primary_gt, dev_kb[s],
					 copied << (PAGE_SHIFT - 10));
		}
	} else {
		xe_gt_stats_incr(xe->tile.primary_gt, XE_GT_STATS_ID_SVM_CPU_COPY_US, us);
		xe_gt_stats_incr(xe->tile.primary_gt, XE_GT_STATS_ID_SVM_CPU_COPY_KB,
				 copied << (PAGE_SHIFT - 10));
		if (s < ARRAY_SIZE(cpu_us)) {
			xe_gt_stats_incr(xe->tile.primary_gt, cpu_us[s], us);
			xe_gt_stats_incr(xe->tile.primary_gt, cpu_kb[s],
					 copied << (PAGE_SHIFT - 10));
		}
	}
	return err;
}

/*
 * Copy to VRAM, mirrors xe_svm_copy_to_devmem() (6.15): pages[] are the
 * destination VRAM pages, dma_addr[] the sources' bus addresses.
 */
noinline int xe_svm_copy_to_devmem(struct page **pages, dma_addr_t *dma_addr,
				   unsigned long npages)
{
	return xe_svm_copy(pages, dma_addr, npages, SVMSIM_COPY_TO_VRAM);
}

/*
 * Copy to system memory, mirrors xe_svm_copy_to_ram() (6.15): pages[] are
 * the source VRAM pages, dma_addr[] the destinations' bus addresses.
 */
noinline int xe_svm_copy_to_ram(struct page **pages, dma_addr_t *dma_addr,
				unsigned long npages)
{
	return xe_svm_copy(pages, dma_addr, npages, SVMSIM_COPY_TO_SRAM);
}

struct svmsim_migrate_buf {
	unsigned long *src;
	unsigned long *dst;
	struct page **pages;
	dma_addr_t *dma;
};

static int migrate_buf_alloc(struct svmsim_migrate_buf *b, unsigned long npages)
{
	b->src = kvcalloc(npages, sizeof(*b->src), GFP_KERNEL);
	b->dst = kvcalloc(npages, sizeof(*b->dst), GFP_KERNEL);
	b->pages = kvcalloc(npages, sizeof(*b->pages), GFP_KERNEL);
	b->dma = kvcalloc(npages, sizeof(*b->dma), GFP_KERNEL);
	if (b->src && b->dst && b->pages && b->dma)
		return 0;
	kvfree(b->src);
	kvfree(b->dst);
	kvfree(b->pages);
	kvfree(b->dma);
	return -ENOMEM;
}

static void migrate_buf_free(struct svmsim_migrate_buf *b)
{
	kvfree(b->src);
	kvfree(b->dst);
	kvfree(b->pages);
	kvfree(b->dma);
}

static void migrate_account(struct xe_device *xe, u32 asid, pid_t tgid,
			    struct xe_gt *gt, u8 dir, u8 trigger,
			    unsigned long start, unsigned long size,
			    unsigned long moved, u64 dt, int err)
{
	struct xe_gt *mgt = xe->tile.primary_gt;
	u64 us = div_u64(dt, NSEC_PER_USEC);
	u64 kb = (u64)moved << (PAGE_SHIFT - 10);

	if (err || !moved) {
		xe_gt_stats_incr(gt ? gt : mgt, SVMX_STATS_ID_MIGRATE_FAILED_COUNT, 1);
	} else {
		switch (trigger) {
		case SVMSIM_TRIGGER_GPU_FAULT:
			xe_gt_stats_incr(gt, SVMX_STATS_ID_GPU_FAULT_MIGRATE_KB, kb);
			break;
		case SVMSIM_TRIGGER_PREFETCH:
			xe_gt_stats_incr(gt, SVMX_STATS_ID_PREFETCH_MIGRATE_COUNT, 1);
			xe_gt_stats_incr(gt, SVMX_STATS_ID_PREFETCH_MIGRATE_KB, kb);
			break;
		case SVMSIM_TRIGGER_CPU_FAULT:
			xe_gt_stats_incr(mgt, SVMX_STATS_ID_CPU_FAULT_MIGRATE_COUNT, 1);
			xe_gt_stats_incr(mgt, SVMX_STATS_ID_CPU_FAULT_MIGRATE_KB, kb);
			xe_gt_stats_incr(mgt, SVMX_STATS_ID_CPU_FAULT_MIGRATE_US, us);
			break;
		case SVMSIM_TRIGGER_EVICTION:
			xe_gt_stats_incr(mgt, SVMX_STATS_ID_EVICT_COUNT, 1);
			xe_gt_stats_incr(mgt, SVMX_STATS_ID_EVICT_KB, kb);
			xe_gt_stats_incr(mgt, SVMX_STATS_ID_EVICT_US, us);
			break;
		}
	}
	svmsim_hist_add(gt ? gt : mgt, dir == SVMSIM_TO_VRAM ?
			SVMSIM_HIST_MIGRATE_VRAM : SVMSIM_HIST_MIGRATE_SYSMEM, us);
	trace_xe_svm_migrate(xe->minor, gt ? gt->info.id : -1, asid, tgid, dir,
			     trigger, start, size, (u64)moved << PAGE_SHIFT, dt,
			     err);
}

/*
 * Are all pages of [start, end) in this device's memory already?  A
 * snapshot walk that faults nothing in (drm_gpusvm_check_pages()'s job).
 */
static bool range_all_devmem(struct xe_device *xe, struct mm_struct *mm,
			     unsigned long start, unsigned long end)
{
	unsigned long i, npages = (end - start) >> PAGE_SHIFT;
	struct mmu_interval_notifier notifier;
	struct hmm_range hmm_range = {
		.notifier = &notifier,
		.start = start,
		.end = end,
		.dev_private_owner = xe,
	};
	unsigned long *pfns;
	bool all = false;
	int err;

	/*
	 * A snapshot under mmap_lock: nothing is faulted in or mapped, so no
	 * subscription is needed; the notifier only tells hmm the mm and a
	 * sequence that never moves.
	 */
	pfns = kvcalloc(npages, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return false;
	notifier.mm = mm;
	notifier.invalidate_seq = 0;
	hmm_range.hmm_pfns = pfns;
	err = hmm_range_fault(&hmm_range);
	if (!err) {
		all = true;
		for (i = 0; i < npages; i++)
			if (!(pfns[i] & HMM_PFN_VALID) ||
			    !svmsim_is_vram_page(xe, hmm_pfn_to_page(pfns[i])))
				all = false;
	}
	kvfree(pfns);
	return all;
}

/*
 * Move [start, end) of mm into the VRAM block of bo, mirrors
 * drm_pagemap_migrate_to_devmem() (6.16; drm_gpusvm_migrate_to_devmem in
 * 6.15).  Returns 0 when pages moved, -EALREADY when they all were in
 * VRAM already, -EBUSY when some could not be collected.
 */
noinline int drm_pagemap_migrate_to_devmem(struct xe_bo *bo, struct mm_struct *mm,
					   unsigned long start, unsigned long end,
					   struct xe_gt *gt, u8 trigger)
{
	struct xe_device *xe = bo->xe;
	unsigned long i, npages = (end - start) >> PAGE_SHIFT, moved = 0;
	struct migrate_vma migrate = {
		.start = start,
		.end = end,
		.pgmap_owner = xe,
		.flags = MIGRATE_VMA_SELECT_SYSTEM,
	};
	struct svmsim_migrate_buf b;
	struct vm_area_struct *vas;
	u64 t0 = ktime_get_ns();
	int err;

	if (npages != bo->npages)
		return -EINVAL;
	err = migrate_buf_alloc(&b, npages);
	if (err)
		return err;
	if (!mmget_not_zero(mm)) {
		migrate_buf_free(&b);
		return -EFAULT;
	}
	mmap_read_lock(mm);
	vas = vma_lookup(mm, start);
	if (!vas || end > vas->vm_end) {
		err = -EFAULT;
		goto unlock;
	}
	if (!vma_is_anonymous(vas)) {
		err = -EOPNOTSUPP;
		goto unlock;
	}
	migrate.vma = vas;
	migrate.src = b.src;
	migrate.dst = b.dst;
	err = migrate_vma_setup(&migrate);
	if (err)
		goto unlock;
	if (migrate.cpages != npages) {
		/* dst is all zero: finalize puts every collected page back */
		migrate_vma_finalize(&migrate);
		err = range_all_devmem(xe, mm, start, end) ? -EALREADY : -EBUSY;
		goto unlock;
	}

	for (i = 0; i < npages; i++) {
		struct page *dpage = pfn_to_page(xe->vram.base_pfn + bo->first + i);
		struct page *spage = migrate_pfn_to_page(b.src[i]);

		zone_device_page_init(dpage);
		dpage->zone_device_data = bo;
		b.dst[i] = migrate_pfn(page_to_pfn(dpage));
		b.pages[i] = dpage;
		b.dma[i] = spage && (b.src[i] & MIGRATE_PFN_MIGRATE) ?
			   page_to_phys(spage) : 0;
	}
	/* from here on the core mm frees the block page by page */
	spin_lock(&xe->vram.lock);
	bo->live = npages;
	bo->devmem_allocation.mm = mm;
	kref_get(&bo->refcount);
	list_add_tail(&bo->lru_link, &xe->vram.lru);
	bo->on_lru = true;
	spin_unlock(&xe->vram.lock);

	err = xe_svm_copy_to_devmem(b.pages, b.dma, npages);
	migrate_vma_pages(&migrate);
	for (i = 0; i < npages; i++)
		if (b.src[i] & MIGRATE_PFN_MIGRATE)
			moved++;
	migrate_vma_finalize(&migrate);
	if (!err && moved != npages)
		err = -EBUSY;
unlock:
	mmap_read_unlock(mm);
	mmput(mm);
	migrate_buf_free(&b);
	if (err != -EALREADY)
		migrate_account(xe, bo->asid, bo->tgid, gt, SVMSIM_TO_VRAM, trigger,
				start, end - start, moved, ktime_get_ns() - t0, err);
	return err;
}

/*
 * CPU fault on a VRAM page: dev_pagemap_ops.migrate_to_ram, mirrors
 * drm_pagemap_migrate_to_ram() (6.16; drm_gpusvm_migrate_to_ram in 6.15).
 * Runs in the faulting task and moves the whole block-sized chunk around
 * the fault, clipped to the VMA, back to system memory.
 */
noinline vm_fault_t drm_pagemap_migrate_to_ram(struct vm_fault *vmf)
{
	struct page *fpage = vmf->page;
	struct xe_device *xe = page_to_xe(fpage);
	struct xe_bo *bo = fpage->zone_device_data;
	struct vm_area_struct *vas = vmf->vma;
	unsigned long size = bo ? bo->npages << PAGE_SHIFT : PAGE_SIZE;
	unsigned long start = max(ALIGN_DOWN(vmf->address, size), vas->vm_start);
	unsigned long end = min(ALIGN_DOWN(vmf->address, size) + size, vas->vm_end);
	unsigned long i, npages = (end - start) >> PAGE_SHIFT, moved = 0;
	u32 asid = bo ? bo->asid : 0;
	pid_t tgid = bo ? bo->tgid : 0;
	struct migrate_vma migrate = {
		.vma = vas,
		.start = start,
		.end = end,
		.pgmap_owner = xe,
		.flags = MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
		.fault_page = fpage,
	};
	struct svmsim_migrate_buf b;
	u64 t0 = ktime_get_ns();
	vm_fault_t ret = 0;
	int err;

	if (migrate_buf_alloc(&b, npages))
		return VM_FAULT_OOM;
	migrate.src = b.src;
	migrate.dst = b.dst;
	err = migrate_vma_setup(&migrate);
	if (err) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}
	if (!migrate.cpages)
		goto out;	/* someone else moved it; the fault retries */

	for (i = 0; i < npages; i++) {
		struct page *spage = migrate_pfn_to_page(b.src[i]);
		struct page *dpage;

		if (!spage || !(b.src[i] & MIGRATE_PFN_MIGRATE) ||
		    !svmsim_is_vram_page(xe, spage))
			continue;
		dpage = alloc_page_vma(GFP_HIGHUSER_MOVABLE, vas,
				       start + (i << PAGE_SHIFT));
		if (!dpage) {
			err = -ENOMEM;
			continue;
		}
		lock_page(dpage);
		b.dst[i] = migrate_pfn(page_to_pfn(dpage));
		b.pages[i] = spage;
		b.dma[i] = page_to_phys(dpage);
	}
	xe_svm_copy_to_ram(b.pages, b.dma, npages);
	migrate_vma_pages(&migrate);
	for (i = 0; i < npages; i++)
		if (b.dst[i] && (b.src[i] & MIGRATE_PFN_MIGRATE))
			moved++;
	migrate_vma_finalize(&migrate);
	if (err == -ENOMEM && !moved)
		ret = VM_FAULT_OOM;
	migrate_account(xe, asid, tgid, NULL, SVMSIM_TO_SYSMEM,
			SVMSIM_TRIGGER_CPU_FAULT, start, end - start, moved,
			ktime_get_ns() - t0, err);
out:
	migrate_buf_free(&b);
	return ret;
}

/*
 * Move every page of a VRAM block back to system memory wherever it is
 * mapped, mirrors drm_pagemap_evict_to_ram() (6.16).
 */
noinline int drm_pagemap_evict_to_ram(struct drm_pagemap_devmem *devmem_allocation)
{
	struct xe_bo *bo = container_of(devmem_allocation, struct xe_bo,
					devmem_allocation);
	struct xe_device *xe = bo->xe;
	unsigned long i, npages = bo->npages, moved = 0;
	struct svmsim_migrate_buf b;
	u64 t0 = ktime_get_ns();
	int err = 0;

	if (migrate_buf_alloc(&b, npages))
		return -ENOMEM;
	migrate_device_range(b.src, xe->vram.base_pfn + bo->first, npages);
	for (i = 0; i < npages; i++) {
		struct page *spage = migrate_pfn_to_page(b.src[i]);
		struct page *dpage;

		if (!spage || !(b.src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		dpage = alloc_page(GFP_HIGHUSER_MOVABLE);
		if (!dpage) {
			err = -ENOMEM;
			continue;
		}
		lock_page(dpage);
		b.dst[i] = migrate_pfn(page_to_pfn(dpage));
		b.pages[i] = spage;
		b.dma[i] = page_to_phys(dpage);
	}
	xe_svm_copy_to_ram(b.pages, b.dma, npages);
	migrate_device_pages(b.src, b.dst, npages);
	for (i = 0; i < npages; i++)
		if (b.dst[i] && (b.src[i] & MIGRATE_PFN_MIGRATE))
			moved++;
	migrate_device_finalize(b.src, b.dst, npages);
	migrate_buf_free(&b);
	if (moved || err)
		migrate_account(xe, bo->asid, bo->tgid, NULL, SVMSIM_TO_SYSMEM,
				SVMSIM_TRIGGER_EVICTION,
				(u64)bo->first << PAGE_SHIFT, npages << PAGE_SHIFT,
				moved, ktime_get_ns() - t0, err);
	return err;
}

/* mirrors xe_svm_bo_evict() (6.15) */
noinline int xe_svm_bo_evict(struct xe_bo *bo)
{
	return drm_pagemap_evict_to_ram(&bo->devmem_allocation);
}

static const struct dev_pagemap_ops svmsim_pagemap_ops = {
	.page_free = svmsim_page_free,
	.migrate_to_ram = drm_pagemap_migrate_to_ram,
};

int svmsim_vram_init(struct xe_device *xe)
{
	struct svmsim_vram *vram = &xe->vram;
	unsigned long i, size = (unsigned long)svmsim_vram_mb << 20;
	void *addr;
	int err = -ENOMEM;

	spin_lock_init(&vram->lock);
	mutex_init(&vram->evict_lock);
	INIT_LIST_HEAD(&vram->lru);
	if (!size)
		return 0;	/* no VRAM: every range stays in system memory */

	vram->npages = size >> PAGE_SHIFT;
	vram->used = bitmap_zalloc(vram->npages, GFP_KERNEL);
	vram->backing = kvcalloc(vram->npages, sizeof(*vram->backing), GFP_KERNEL);
	if (!vram->used || !vram->backing)
		goto err_free;
	for (i = 0; i < vram->npages; i++) {
		vram->backing[i] = alloc_page(GFP_HIGHUSER);
		if (!vram->backing[i])
			goto err_free;
	}

	vram->res = request_free_mem_region(&iomem_resource, size, "svmsim-vram");
	if (IS_ERR(vram->res)) {
		err = PTR_ERR(vram->res);
		vram->res = NULL;
		goto err_free;
	}
	vram->pagemap.type = MEMORY_DEVICE_PRIVATE;
	vram->pagemap.range.start = vram->res->start;
	vram->pagemap.range.end = vram->res->end;
	vram->pagemap.nr_range = 1;
	vram->pagemap.ops = &svmsim_pagemap_ops;
	vram->pagemap.owner = xe;
	addr = memremap_pages(&vram->pagemap, numa_node_id());
	if (IS_ERR(addr)) {
		err = PTR_ERR(addr);
		goto err_region;
	}
	vram->base_pfn = PHYS_PFN(vram->res->start);
	vram->nfree = vram->npages;
	return 0;

err_region:
	release_mem_region(vram->res->start, resource_size(vram->res));
	vram->res = NULL;
err_free:
	if (vram->backing)
		for (i = 0; i < vram->npages; i++)
			if (vram->backing[i])
				__free_page(vram->backing[i]);
	kvfree(vram->backing);
	bitmap_free(vram->used);
	vram->backing = NULL;
	vram->used = NULL;
	vram->npages = 0;
	return err;
}

/*
 * Unload: pages may still be mapped in processes that closed the device.
 * Move them all to system memory (as test_hmm does on removal), retrying
 * pages that were locked, before the pagemap goes away.
 */
void svmsim_vram_fini(struct xe_device *xe)
{
	struct svmsim_vram *vram = &xe->vram;
	unsigned long i;
	int round;

	if (!vram->npages)
		return;
	spin_lock(&vram->lock);
	vram->removing = true;
	spin_unlock(&vram->lock);

	for (round = 0; round < 1000; round++) {
		struct xe_bo *bo;

		spin_lock(&vram->lock);
		bo = list_first_entry_or_null(&vram->lru, struct xe_bo, lru_link);
		if (bo) {
			list_move_tail(&bo->lru_link, &vram->lru);
			kref_get(&bo->refcount);
		}
		spin_unlock(&vram->lock);
		if (!bo)
			break;
		mutex_lock(&vram->evict_lock);
		xe_svm_bo_evict(bo);
		mutex_unlock(&vram->evict_lock);
		svmsim_bo_put(bo);
		if (round % 64 == 63)
			msleep(20);
	}

	memunmap_pages(&vram->pagemap);
	release_mem_region(vram->res->start, resource_size(vram->res));
	for (i = 0; i < vram->npages; i++)
		__free_page(vram->backing[i]);
	kvfree(vram->backing);
	bitmap_free(vram->used);
}
