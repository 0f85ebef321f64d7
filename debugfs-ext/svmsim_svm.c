// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SVM fault path, shaped after drivers/gpu/drm/xe/xe_svm.c (6.15..6.17):
 * xe_svm_handle_pagefault() runs in the GT's fault worker with vm->lock
 * held, collects garbage, finds or inserts the range, migrates it to VRAM
 * when policy says so, gets its pages and binds them, retrying on the same
 * conditions as xe.  Every step is timed into the GT stats, the latency
 * histograms and the xe_svm tracepoints.
 *
 * Probe targets are non-static and noinline: pahole leaves clones out of
 * BTF, and fentry needs BTF.
 */
#include <linux/dma-fence.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>

#include "svmsim.h"
#include "xe_svm_trace.h"

static u64 now_ns(void)
{
	return ktime_get_ns();
}

static int svm_gt_id(struct xe_gt *gt)
{
	return gt ? gt->info.id : -1;
}

static struct xe_gt *migrate_gt(struct xe_vm *vm)
{
	/* upstream charges copies to the migrate engine's GT: the primary */
	return vm->xe->tile.primary_gt;
}

/*
 * Invalidation callback, mirrors xe_svm_invalidate() (6.15): called under
 * notifier_lock (write) by the notifier, in whatever task changed the CPU
 * mapping.  Zaps the GPU PTEs of every range hit, issues one TLB
 * invalidation per GT of the tile when any of them was bound, and queues
 * unmapped ranges to the garbage collector.
 */
noinline void xe_svm_invalidate(struct drm_gpusvm *gpusvm,
				struct drm_gpusvm_notifier *notifier,
				const struct mmu_notifier_range *mmu_range)
{
	struct xe_vm *vm = gpusvm_to_vm(gpusvm);
	struct interval_tree_node *it;
	unsigned long start = max(mmu_range->start, notifier->itree.start);
	unsigned long end = min(mmu_range->end, notifier->itree.last + 1);
	u64 t0 = now_ns(), dt;
	u32 ranges = 0, tlb = 0;
	bool queue_gc = false;
	u8 tile_mask = 0;
	int i;

	if (start >= end)
		return;

	for (it = interval_tree_iter_first(&notifier->root, start, end - 1); it;
	     it = interval_tree_iter_next(it, start, end - 1)) {
		struct drm_gpusvm_range *r =
			container_of(it, struct drm_gpusvm_range, itree);
		struct xe_svm_range *range = to_xe_range(r);

		ranges++;
		if (range->tile_present) {
			tile_mask |= range->tile_present;
			for (i = 0; i < (xe_svm_range_size(range) >> PAGE_SHIFT); i++)
				svmsim_pt_set(vm, xe_svm_range_start(range) +
					      ((u64)i << PAGE_SHIFT), 0);
			range->tile_invalidated |= range->tile_present;
			range->tile_present = 0;
		}
		r->flags.has_dma_mapping = 0;
		r->flags.has_devmem_pages = 0;
		if (mmu_range->event == MMU_NOTIFY_UNMAP && !r->flags.unmapped) {
			drm_gpusvm_range_set_unmapped(r, mmu_range);
			spin_lock(&vm->svm.garbage_collector.lock);
			if (list_empty(&range->garbage_collector_link))
				list_add_tail(&range->garbage_collector_link,
					      &vm->svm.garbage_collector.range_list);
			spin_unlock(&vm->svm.garbage_collector.lock);
			queue_gc = true;
		}
	}
	if (!ranges)
		return;

	dt = now_ns() - t0;
	if (tile_mask) {
		/* one TLB invalidation on each GT of the (only) tile */
		for (i = 0; i < SVMSIM_NUM_GTS; i++) {
			struct xe_gt *gt = &vm->xe->gts[i];

			xe_gt_stats_incr(gt, XE_GT_STATS_ID_TLB_INVAL, 1);
			xe_gt_stats_incr(gt, XE_GT_STATS_ID_SVM_TLB_INVAL_COUNT, 1);
			xe_gt_stats_incr(gt, XE_GT_STATS_ID_SVM_TLB_INVAL_US,
					 div_u64(dt, NSEC_PER_USEC));
			tlb++;
		}
	}
	xe_gt_stats_incr(migrate_gt(vm), SVMX_STATS_ID_INVALIDATE_COUNT, 1);
	xe_gt_stats_incr(migrate_gt(vm), SVMX_STATS_ID_INVALIDATE_RANGE_COUNT, ranges);
	xe_gt_stats_incr(migrate_gt(vm), SVMX_STATS_ID_INVALIDATE_US,
			 div_u64(dt, NSEC_PER_USEC));
	trace_xe_svm_invalidate(vm->xe->minor, -1, vm->usm.asid, vm->tgid,
				start, end, mmu_range->event, ranges, tlb, dt);

	if (queue_gc && !vm->closed)
		queue_work(vm->xe->tile.primary_gt->usm.pf_wq,
			   &vm->svm.garbage_collector.work);
}

static const struct drm_gpusvm_ops xe_gpusvm_ops = {
	.invalidate = xe_svm_invalidate,
};

/*
 * Unbind a range: mirrors xe_vm_range_unbind() (6.15), returns a fence
 * like xe (here always signalled).
 */
noinline struct dma_fence *xe_vm_range_unbind(struct xe_vm *vm,
					      struct xe_svm_range *range)
{
	u64 i, n = xe_svm_range_size(range) >> PAGE_SHIFT;

	down_write(&vm->svm.gpusvm.notifier_lock);
	if (range->tile_present)
		for (i = 0; i < n; i++)
			svmsim_pt_set(vm, xe_svm_range_start(range) +
				      (i << PAGE_SHIFT), 0);
	range->tile_present = 0;
	up_write(&vm->svm.gpusvm.notifier_lock);
	return dma_fence_get_stub();
}

/*
 * Garbage collector, mirrors xe_svm_garbage_collector() (6.15, static
 * there): unbind and remove every range an MMU_NOTIFY_UNMAP queued.
 * Runs at the top of every fault iteration and from the GC worker.
 */
noinline int xe_svm_garbage_collector(struct xe_vm *vm)
{
	struct xe_svm_range *range;
	u64 t0 = now_ns(), dt, bytes = 0;
	u32 n = 0;

	lockdep_assert_held_write(&vm->lock);

	spin_lock(&vm->svm.garbage_collector.lock);
	while ((range = list_first_entry_or_null(&vm->svm.garbage_collector.range_list,
						 struct xe_svm_range,
						 garbage_collector_link))) {
		list_del_init(&range->garbage_collector_link);
		spin_unlock(&vm->svm.garbage_collector.lock);

		dma_fence_put(xe_vm_range_unbind(vm, range));
		bytes += xe_svm_range_size(range);
		n++;
		drm_gpusvm_range_remove(&vm->svm.gpusvm, &range->base);

		spin_lock(&vm->svm.garbage_collector.lock);
	}
	spin_unlock(&vm->svm.garbage_collector.lock);

	if (!n)
		return 0;
	dt = now_ns() - t0;
	xe_gt_stats_incr(migrate_gt(vm), SVMX_STATS_ID_GC_RUN_COUNT, 1);
	xe_gt_stats_incr(migrate_gt(vm), SVMX_STATS_ID_GC_RANGE_COUNT, n);
	xe_gt_stats_incr(migrate_gt(vm), SVMX_STATS_ID_GC_KB, bytes >> 10);
	xe_gt_stats_incr(migrate_gt(vm), SVMX_STATS_ID_GC_US,
			 div_u64(dt, NSEC_PER_USEC));
	trace_xe_svm_gc(vm->xe->minor, -1, vm->usm.asid, vm->tgid, n, bytes,
			dt, 0);
	return 0;
}

static void xe_svm_garbage_collector_work_func(struct work_struct *w)
{
	struct xe_vm *vm = container_of(w, struct xe_vm,
					svm.garbage_collector.work);

	down_write(&vm->lock);
	if (!vm->closed)
		xe_svm_garbage_collector(vm);
	up_write(&vm->lock);
}

int xe_svm_init(struct xe_vm *vm)
{
	spin_lock_init(&vm->svm.garbage_collector.lock);
	INIT_LIST_HEAD(&vm->svm.garbage_collector.range_list);
	INIT_WORK(&vm->svm.garbage_collector.work,
		  xe_svm_garbage_collector_work_func);
	return drm_gpusvm_init(&vm->svm.gpusvm, "svmsim SVM", &vm->xe->drm,
			       current->mm, vm->xe, &xe_gpusvm_ops);
}

/* Collect what munmap left behind, then stop the collector. */
void xe_svm_close(struct xe_vm *vm)
{
	xe_svm_garbage_collector(vm);
}

void xe_svm_fini(struct xe_vm *vm)
{
	cancel_work_sync(&vm->svm.garbage_collector.work);
	drm_gpusvm_fini(&vm->svm.gpusvm);
	/* an invalidation before the notifiers went may have queued it */
	cancel_work_sync(&vm->svm.garbage_collector.work);
}

/* mirrors xe_svm_range_get_pages() (6.16; inline in 6.15's handler) */
noinline int xe_svm_range_get_pages(struct xe_vm *vm, struct xe_svm_range *range,
				    struct drm_gpusvm_ctx *ctx)
{
	u64 t0 = now_ns(), dt;
	int err;

	err = drm_gpusvm_range_get_pages(&vm->svm.gpusvm, &range->base, ctx);
	dt = now_ns() - t0;
	if (ctx->gt) {
		static const enum xe_gt_stats_id ids[] = {
			XE_GT_STATS_ID_SVM_4K_GET_PAGES_US,
			XE_GT_STATS_ID_SVM_64K_GET_PAGES_US,
			XE_GT_STATS_ID_SVM_2M_GET_PAGES_US,
		};
		unsigned int s = svmsim_size_idx(xe_svm_range_size(range));

		if (s < ARRAY_SIZE(ids))
			xe_gt_stats_incr(ctx->gt, ids[s], div_u64(dt, NSEC_PER_USEC));
		xe_gt_stats_incr(ctx->gt, SVMX_STATS_ID_GET_PAGES_COUNT, 1);
	}
	trace_xe_svm_get_pages(vm->xe->minor, svm_gt_id(ctx->gt), vm->usm.asid, vm->tgid,
			       xe_svm_range_start(range),
			       xe_svm_range_size(range),
			       !err && range->base.flags.has_devmem_pages, dt, err);
	return err;
}

/*
 * Bind a range into the VM's GPU page table, mirrors xe_vm_range_rebind()
 * (6.15): -EAGAIN when the CPU mappings changed since get-pages.
 */
noinline struct dma_fence *xe_vm_range_rebind(struct xe_vm *vm, struct xe_vma *vma,
					      struct xe_svm_range *range, u8 tile_mask)
{
	struct drm_gpusvm *gpusvm = &vm->svm.gpusvm;
	u64 start = xe_svm_range_start(range);
	u64 i, n = xe_svm_range_size(range) >> PAGE_SHIFT;
	struct xe_gt *gt = vm->fault_gt;
	u64 t0 = now_ns(), dt;
	int err;

	err = svmsim_pt_prepare(vm, start, start + (n << PAGE_SHIFT));
	if (err)
		goto out;

	down_write(&gpusvm->notifier_lock);
	if (vm->closed) {
		err = -ENOENT;
	} else if (!range->base.flags.has_dma_mapping ||
		   mmu_interval_read_retry(&range->base.notifier->notifier,
					   range->base.notifier_seq)) {
		err = -EAGAIN;
	} else {
		for (i = 0; i < n; i++) {
			struct page *page = range->base.pages[i];
			unsigned long pte = (page_to_pfn(page) << PAGE_SHIFT) |
					    SVMSIM_PTE_VALID;

			if (range->writable)
				pte |= SVMSIM_PTE_WRITE;
			if (svmsim_is_vram_page(vm->xe, page))
				pte |= SVMSIM_PTE_DEVMEM;
			svmsim_pt_set(vm, start + (i << PAGE_SHIFT), pte);
		}
		range->tile_present |= tile_mask;
		range->tile_invalidated &= ~tile_mask;
	}
	up_write(&gpusvm->notifier_lock);
out:
	dt = now_ns() - t0;
	if (gt) {
		static const enum xe_gt_stats_id ids[] = {
			XE_GT_STATS_ID_SVM_4K_BIND_US,
			XE_GT_STATS_ID_SVM_64K_BIND_US,
			XE_GT_STATS_ID_SVM_2M_BIND_US,
		};
		unsigned int s = svmsim_size_idx(n << PAGE_SHIFT);

		if (s < ARRAY_SIZE(ids))
			xe_gt_stats_incr(gt, ids[s], div_u64(dt, NSEC_PER_USEC));
		xe_gt_stats_incr(gt, SVMX_STATS_ID_BIND_COUNT, 1);
	}
	trace_xe_svm_bind(vm->xe->minor, svm_gt_id(gt), vm->usm.asid, vm->tgid, start, n << PAGE_SHIFT, dt, err);
	return err ? ERR_PTR(err) : dma_fence_get_stub();
}

/*
 * Migrate a range to VRAM, mirrors xe_svm_alloc_vram() (6.15 argument
 * shape: vm, tile, range, ctx): allocate a VRAM block (evicting under
 * pressure) and move the pages with migrate_vma_*.  -EALREADY: the pages
 * are all in this device's memory already.
 */
noinline int xe_svm_alloc_vram(struct xe_vm *vm, struct xe_tile *tile,
			       struct xe_svm_range *range,
			       const struct drm_gpusvm_ctx *ctx)
{
	unsigned long npages = xe_svm_range_size(range) >> PAGE_SHIFT;
	struct xe_bo *bo;
	int err;

	bo = svmsim_bo_create(tile->xe, vm, npages);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	err = drm_pagemap_migrate_to_devmem(bo, vm->svm.gpusvm.mm,
					    xe_svm_range_start(range),
					    xe_svm_range_end(range), ctx->gt,
					    ctx->trigger);
	svmsim_bo_put(bo);
	return err;
}

static bool xe_svm_range_is_valid(struct xe_svm_range *range,
				  struct xe_tile *tile, bool devmem_only)
{
	return (range->tile_present & ~range->tile_invalidated & BIT(tile->id)) &&
		range->base.flags.has_dma_mapping &&
		(!devmem_only || range->base.flags.has_devmem_pages);
}

static bool xe_svm_range_needs_migrate_to_vram(struct xe_vm *vm,
					       struct xe_svm_range *range,
					       const struct drm_gpusvm_ctx *ctx)
{
	u64 size = xe_svm_range_size(range);
	u32 loc;

	if (!range->base.flags.migrate_devmem)
		return false;
	if (ctx->devmem_only)
		return true;
	loc = svmsim_preferred_loc(vm, xe_svm_range_start(range));
	if (loc == DRM_SVMSIM_PREFERRED_SYSMEM || range->skip_migrate)
		return false;
	return size >= SVMSIM_MIGRATE_MIN || loc == DRM_SVMSIM_PREFERRED_VRAM;
}

static void fault_retry(struct xe_vm *vm, struct xe_gt *gt, u64 addr,
			enum svmsim_retry_reason reason, u32 *retries, int err)
{
	static const enum xe_gt_stats_id ids[SVMSIM_RETRY_NUM] = {
		[SVMSIM_RETRY_MIGRATE] = SVMX_STATS_ID_RETRY_MIGRATE_COUNT,
		[SVMSIM_RETRY_GET_PAGES] = SVMX_STATS_ID_RETRY_GET_PAGES_COUNT,
		[SVMSIM_RETRY_BIND] = SVMX_STATS_ID_RETRY_BIND_COUNT,
		[SVMSIM_RETRY_VMA_SPLIT] = SVMX_STATS_ID_RETRY_VMA_SPLIT_COUNT,
		[SVMSIM_RETRY_GC] = SVMX_STATS_ID_RETRY_GC_COUNT,
	};

	(*retries)++;
	xe_gt_stats_incr(gt, SVMX_STATS_ID_FAULT_RETRY_COUNT, 1);
	xe_gt_stats_incr(gt, ids[reason], 1);
	trace_xe_svm_fault_retry(vm->xe->minor, svm_gt_id(gt), vm->usm.asid, vm->tgid, addr, reason, *retries,
				 err);
}

/*
 * Service one GPU page fault, mirrors xe_svm_handle_pagefault() (6.15 to
 * 6.17 argument shape: vm, vma, gt, fault_addr, atomic).  Caller holds
 * vm->lock for writing, in the GT's fault worker.
 *
 * Deviation from xe: xe retries get-pages and bind failures without bound
 * unless devmem_only; the simulation stops after SVMSIM_MAX_FAULT_LOOPS
 * iterations with -EBUSY so a livelock shows up as a failed fault.
 */
noinline int xe_svm_handle_pagefault(struct xe_vm *vm, struct xe_vma *vma,
				     struct xe_gt *gt, u64 fault_addr, bool atomic)
{
	static const enum xe_gt_stats_id fault_ids[] = {
		XE_GT_STATS_ID_SVM_4K_PAGEFAULT_COUNT,
		XE_GT_STATS_ID_SVM_64K_PAGEFAULT_COUNT,
		XE_GT_STATS_ID_SVM_2M_PAGEFAULT_COUNT,
	};
	static const enum xe_gt_stats_id valid_ids[] = {
		XE_GT_STATS_ID_SVM_4K_VALID_PAGEFAULT_COUNT,
		XE_GT_STATS_ID_SVM_64K_VALID_PAGEFAULT_COUNT,
		XE_GT_STATS_ID_SVM_2M_VALID_PAGEFAULT_COUNT,
	};
	static const enum xe_gt_stats_id us_ids[] = {
		XE_GT_STATS_ID_SVM_4K_PAGEFAULT_US,
		XE_GT_STATS_ID_SVM_64K_PAGEFAULT_US,
		XE_GT_STATS_ID_SVM_2M_PAGEFAULT_US,
	};
	static const enum xe_gt_stats_id mig_ids[] = {
		XE_GT_STATS_ID_SVM_4K_MIGRATE_COUNT,
		XE_GT_STATS_ID_SVM_64K_MIGRATE_COUNT,
		XE_GT_STATS_ID_SVM_2M_MIGRATE_COUNT,
	};
	static const enum xe_gt_stats_id mig_us_ids[] = {
		XE_GT_STATS_ID_SVM_4K_MIGRATE_US,
		XE_GT_STATS_ID_SVM_64K_MIGRATE_US,
		XE_GT_STATS_ID_SVM_2M_MIGRATE_US,
	};
	struct xe_tile *tile = gt->tile;
	struct drm_gpusvm_ctx ctx = {
		.check_pages_threshold = SZ_64K,
		.devmem_possible = vm->xe->vram.npages != 0,
		.devmem_only = atomic && vm->xe->vram.npages != 0,
		.gt = gt,
		.trigger = SVMSIM_TRIGGER_GPU_FAULT,
	};
	int migrate_try_count = ctx.devmem_only ? SVMSIM_DEVMEM_ATTEMPTS : 1;
	struct xe_svm_range *range = NULL;
	u8 access = vm->fault_access;
	u8 outcome = SVMSIM_OUTCOME_ERROR;
	u64 t0 = now_ns(), dt;
	bool migrated = false;
	u32 retries = 0, loops = 0;
	struct dma_fence *fence;
	unsigned int s = 3;
	int err;

	lockdep_assert_held_write(&vm->lock);
	vm->fault_gt = gt;

	xe_gt_stats_incr(gt, XE_GT_STATS_ID_SVM_PAGEFAULT_COUNT, 1);
	if (atomic)
		xe_gt_stats_incr(gt, SVMX_STATS_ID_FAULT_ATOMIC_COUNT, 1);
	trace_xe_svm_fault_begin(vm->xe->minor, svm_gt_id(gt), vm->usm.asid, vm->tgid, fault_addr, access);

retry:
	if (++loops > SVMSIM_MAX_FAULT_LOOPS) {
		err = -EBUSY;
		goto err_out;
	}
	/* always process UNMAPs first so the view of GPU ranges is current */
	xe_svm_garbage_collector(vm);

	range = NULL;
	{
		struct drm_gpusvm_range *r;

		r = drm_gpusvm_range_find_or_insert(&vm->svm.gpusvm, fault_addr,
						    vma->start, vma->end, &ctx);
		if (IS_ERR(r)) {
			err = PTR_ERR(r);
			goto err_out;
		}
		range = to_xe_range(r);
	}
	s = svmsim_size_idx(xe_svm_range_size(range));
	if (s < ARRAY_SIZE(fault_ids))
		xe_gt_stats_incr(gt, fault_ids[s], 1);

	if (range->base.flags.unmapped) {
		/* unmapped since the collector ran: collect it and look again */
		fault_retry(vm, gt, fault_addr, SVMSIM_RETRY_GC, &retries, -EAGAIN);
		goto retry;
	}

	if (xe_svm_range_is_valid(range, tile, ctx.devmem_only)) {
		if (s < ARRAY_SIZE(valid_ids))
			xe_gt_stats_incr(gt, valid_ids[s], 1);
		outcome = SVMSIM_OUTCOME_VALID;
		goto out;
	}

	if (--migrate_try_count >= 0 &&
	    xe_svm_range_needs_migrate_to_vram(vm, range, &ctx)) {
		u64 m0 = now_ns();

		err = xe_svm_alloc_vram(vm, tile, range, &ctx);
		if (!err) {
			u64 mdt = now_ns() - m0;

			migrated = true;
			range->skip_migrate = true;
			if (s < ARRAY_SIZE(mig_ids)) {
				xe_gt_stats_incr(gt, mig_ids[s], 1);
				xe_gt_stats_incr(gt, mig_us_ids[s],
						 div_u64(mdt, NSEC_PER_USEC));
			}
		} else if (err == -EALREADY) {
			err = 0;	/* nothing to move */
		} else if (migrate_try_count || !ctx.devmem_only) {
			fault_retry(vm, gt, fault_addr, SVMSIM_RETRY_MIGRATE,
				    &retries, err);
			goto retry;
		} else {
			goto err_out;
		}
	}

	err = xe_svm_range_get_pages(vm, range, &ctx);
	if (err == -EOPNOTSUPP || err == -EFAULT || err == -EPERM) {
		if (migrate_try_count > 0 || !ctx.devmem_only) {
			fault_retry(vm, gt, fault_addr, SVMSIM_RETRY_GET_PAGES,
				    &retries, err);
			goto retry;
		}
	}
	if (err)
		goto err_out;

	fence = xe_vm_range_rebind(vm, vma, range, BIT(tile->id));
	if (IS_ERR(fence)) {
		err = PTR_ERR(fence);
		if (err == -EAGAIN) {
			fault_retry(vm, gt, fault_addr, SVMSIM_RETRY_BIND,
				    &retries, err);
			goto retry;
		}
		goto err_out;
	}
	dma_fence_wait(fence, false);
	dma_fence_put(fence);

	if (migrated)
		outcome = SVMSIM_OUTCOME_MIGRATED;
	else if (range->base.flags.has_devmem_pages)
		outcome = SVMSIM_OUTCOME_VRAM;
	else
		outcome = SVMSIM_OUTCOME_SYSMEM;
	err = 0;
out:
	dt = now_ns() - t0;
	if (s < ARRAY_SIZE(us_ids))
		xe_gt_stats_incr(gt, us_ids[s], div_u64(dt, NSEC_PER_USEC));
	svmsim_hist_add(gt, SVMSIM_HIST_PAGEFAULT, div_u64(dt, NSEC_PER_USEC));
	trace_xe_svm_fault_end(vm->xe->minor, svm_gt_id(gt), vm->usm.asid, vm->tgid, fault_addr, access,
			       xe_svm_range_start(range), xe_svm_range_size(range),
			       0, outcome, retries, dt);
	return 0;

err_out:
	dt = now_ns() - t0;
	xe_gt_stats_incr(gt, SVMX_STATS_ID_FAULT_FAILED_COUNT, 1);
	svmsim_hist_add(gt, SVMSIM_HIST_PAGEFAULT, div_u64(dt, NSEC_PER_USEC));
	trace_xe_svm_fault_end(vm->xe->minor, svm_gt_id(gt), vm->usm.asid, vm->tgid, fault_addr, access,
			       range ? xe_svm_range_start(range) : 0,
			       range ? xe_svm_range_size(range) : 0,
			       err, SVMSIM_OUTCOME_ERROR, retries, dt);
	return err;
}

/*
 * Prefetch one range (DRM_IOCTL_SVMSIM_PREFETCH), as xe's prefetch of a
 * CPU-address-mirror VMA: migrate when asked, get pages, bind.  Sets *next
 * to the range end.  Caller holds vm->lock for writing.
 */
int svmsim_prefetch_range(struct xe_vm *vm, struct xe_gt *gt, u64 addr,
			  bool to_vram, u64 *next)
{
	struct drm_gpusvm_ctx ctx = {
		.devmem_possible = vm->xe->vram.npages != 0,
		.gt = gt,
		.trigger = SVMSIM_TRIGGER_PREFETCH,
	};
	struct drm_gpusvm_range *r;
	struct xe_svm_range *range;
	struct dma_fence *fence;
	int err, tries;

	vm->fault_gt = gt;
	for (tries = 0; tries < SVMSIM_MAX_FAULT_LOOPS; tries++) {
		xe_svm_garbage_collector(vm);
		r = drm_gpusvm_range_find_or_insert(&vm->svm.gpusvm, addr,
						    vm->svm_vma.start,
						    vm->svm_vma.end, &ctx);
		if (IS_ERR(r))
			return PTR_ERR(r);
		range = to_xe_range(r);
		*next = xe_svm_range_end(range);
		if (r->flags.unmapped)
			continue;
		if (to_vram && r->flags.migrate_devmem && !range->skip_migrate) {
			err = xe_svm_alloc_vram(vm, gt->tile, range, &ctx);
			if (!err)
				range->skip_migrate = true;
			else if (err != -EALREADY)
				continue;
		}
		err = xe_svm_range_get_pages(vm, range, &ctx);
		if (err == -EFAULT || err == -EPERM || err == -EOPNOTSUPP)
			continue;
		if (err)
			return err;
		fence = xe_vm_range_rebind(vm, &vm->svm_vma, range, BIT(gt->tile->id));
		if (IS_ERR(fence)) {
			if (PTR_ERR(fence) == -EAGAIN)
				continue;
			return PTR_ERR(fence);
		}
		dma_fence_put(fence);
		return 0;
	}
	return -EBUSY;
}
