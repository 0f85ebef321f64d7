// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal equivalents of drm_gpusvm (drivers/gpu/drm/drm_gpusvm.c, 6.15),
 * which Linux 6.12 does not have: notifiers over 512M of address space,
 * ranges of 2M / 64K / 4K chosen within the CPU VMA, get-pages through
 * hmm_range_fault(), and the notifier lock that orders GPU page-table
 * updates against CPU invalidations.
 *
 * Locking: vm->lock (held by the fault handler, GC and prefetch) protects
 * the notifier tree and serializes range insertion/removal; range tree
 * changes also take notifier_lock for writing because the invalidation
 * callback walks ranges under it.  Order: vm->lock, mmap_lock,
 * notifier_lock.
 */
#include <linux/hmm.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/time.h>

#include "svmsim.h"

static const unsigned long svmsim_chunk_sizes[] = { SZ_2M, SZ_64K, SZ_4K };

static bool drm_gpusvm_notifier_invalidate(struct mmu_interval_notifier *mni,
					   const struct mmu_notifier_range *mmu_range,
					   unsigned long cur_seq)
{
	struct drm_gpusvm_notifier *notifier =
		container_of(mni, struct drm_gpusvm_notifier, notifier);
	struct drm_gpusvm *gpusvm = notifier->gpusvm;

	if (!mmu_notifier_range_blockable(mmu_range))
		return false;

	down_write(&gpusvm->notifier_lock);
	mmu_interval_set_seq(mni, cur_seq);
	gpusvm->ops->invalidate(gpusvm, notifier, mmu_range);
	up_write(&gpusvm->notifier_lock);

	return true;
}

static const struct mmu_interval_notifier_ops drm_gpusvm_notifier_ops = {
	.invalidate = drm_gpusvm_notifier_invalidate,
};

int drm_gpusvm_init(struct drm_gpusvm *gpusvm, const char *name,
		    struct drm_device *drm, struct mm_struct *mm,
		    void *device_private_page_owner,
		    const struct drm_gpusvm_ops *ops)
{
	gpusvm->name = name;
	gpusvm->ops = ops;
	gpusvm->drm = drm;
	gpusvm->mm = mm;
	gpusvm->device_private_page_owner = device_private_page_owner;
	gpusvm->mm_start = 0;
	gpusvm->mm_range = TASK_SIZE;
	gpusvm->notifier_size = SVMSIM_NOTIFIER_SIZE;
	gpusvm->chunk_sizes = svmsim_chunk_sizes;
	gpusvm->num_chunks = ARRAY_SIZE(svmsim_chunk_sizes);
	init_rwsem(&gpusvm->notifier_lock);
	gpusvm->root = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&gpusvm->notifier_list);
	mmgrab(mm);
	return 0;
}

static struct drm_gpusvm_notifier *
notifier_find(struct drm_gpusvm *gpusvm, unsigned long addr)
{
	struct interval_tree_node *itree;

	itree = interval_tree_iter_first(&gpusvm->root, addr, addr);
	return itree ? container_of(itree, struct drm_gpusvm_notifier, itree) : NULL;
}

static struct drm_gpusvm_range *
range_find(struct drm_gpusvm_notifier *notifier, unsigned long start,
	   unsigned long last)
{
	struct interval_tree_node *itree;

	itree = interval_tree_iter_first(&notifier->root, start, last);
	return itree ? container_of(itree, struct drm_gpusvm_range, itree) : NULL;
}

/* Called without mmap_lock: inserting may register with the mm. */
static struct drm_gpusvm_notifier *
notifier_get(struct drm_gpusvm *gpusvm, unsigned long addr)
{
	struct drm_gpusvm_notifier *notifier = notifier_find(gpusvm, addr);
	int err;

	if (notifier)
		return notifier;

	notifier = kzalloc(sizeof(*notifier), GFP_KERNEL);
	if (!notifier)
		return ERR_PTR(-ENOMEM);
	notifier->gpusvm = gpusvm;
	notifier->itree.start = ALIGN_DOWN(addr, gpusvm->notifier_size);
	notifier->itree.last = notifier->itree.start + gpusvm->notifier_size - 1;
	notifier->root = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&notifier->range_list);

	err = mmu_interval_notifier_insert(&notifier->notifier, gpusvm->mm,
					   notifier->itree.start,
					   gpusvm->notifier_size,
					   &drm_gpusvm_notifier_ops);
	if (err) {
		kfree(notifier);
		return ERR_PTR(err);
	}
	interval_tree_insert(&notifier->itree, &gpusvm->root);
	list_add_tail(&notifier->entry, &gpusvm->notifier_list);
	return notifier;
}

/*
 * Largest chunk (2M, 64K, 4K) around fault_addr that lies inside the CPU
 * VMA, the notifier and the GPU VMA and overlaps no existing range.
 */
static unsigned long range_chunk(struct drm_gpusvm *gpusvm,
				 struct drm_gpusvm_notifier *notifier,
				 struct vm_area_struct *vas,
				 unsigned long fault_addr,
				 unsigned long gpuva_start,
				 unsigned long gpuva_end)
{
	int i;

	for (i = 0; i < gpusvm->num_chunks; i++) {
		unsigned long size = gpusvm->chunk_sizes[i];
		unsigned long start = ALIGN_DOWN(fault_addr, size);
		unsigned long end = start + size;

		if (start < vas->vm_start || end > vas->vm_end ||
		    start < notifier->itree.start ||
		    end - 1 > notifier->itree.last ||
		    start < gpuva_start || end > gpuva_end)
			continue;
		if (range_find(notifier, start, end - 1))
			continue;
		return size;
	}
	return 0;
}

/* Caller holds vm->lock for writing. */
struct drm_gpusvm_range *
drm_gpusvm_range_find_or_insert(struct drm_gpusvm *gpusvm, unsigned long fault_addr,
				unsigned long gpuva_start, unsigned long gpuva_end,
				const struct drm_gpusvm_ctx *ctx)
{
	struct drm_gpusvm_notifier *notifier;
	struct drm_gpusvm_range *range;
	struct xe_svm_range *xrange;
	struct vm_area_struct *vas;
	unsigned long size, start;
	bool anon, writable;

	if (fault_addr < gpusvm->mm_start ||
	    fault_addr >= gpusvm->mm_start + gpusvm->mm_range)
		return ERR_PTR(-EINVAL);

	notifier = notifier_get(gpusvm, fault_addr);
	if (IS_ERR(notifier))
		return ERR_CAST(notifier);

	range = range_find(notifier, fault_addr, fault_addr);
	if (range)
		return range;

	mmap_read_lock(gpusvm->mm);
	vas = vma_lookup(gpusvm->mm, fault_addr);
	if (!vas) {
		mmap_read_unlock(gpusvm->mm);
		return ERR_PTR(-EFAULT);
	}
	/* hmm_range_fault() cannot mirror these: fail now, not per retry */
	if (!(vas->vm_flags & VM_READ) || (vas->vm_flags & (VM_IO | VM_PFNMAP))) {
		mmap_read_unlock(gpusvm->mm);
		return ERR_PTR(-EPERM);
	}
	size = range_chunk(gpusvm, notifier, vas, fault_addr, gpuva_start,
			   gpuva_end);
	anon = vma_is_anonymous(vas);
	writable = !!(vas->vm_flags & VM_WRITE);
	mmap_read_unlock(gpusvm->mm);
	if (!size)
		return ERR_PTR(-EINVAL);
	start = ALIGN_DOWN(fault_addr, size);

	xrange = kzalloc(sizeof(*xrange), GFP_KERNEL);
	if (!xrange)
		return ERR_PTR(-ENOMEM);
	range = &xrange->base;
	range->pages = kvcalloc(size >> PAGE_SHIFT, sizeof(*range->pages),
				GFP_KERNEL);
	if (!range->pages) {
		kfree(xrange);
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&xrange->garbage_collector_link);
	xrange->writable = writable;
	range->gpusvm = gpusvm;
	range->notifier = notifier;
	kref_init(&range->refcount);
	range->itree.start = start;
	range->itree.last = start + size - 1;
	/* migrate_vma only moves anonymous private memory */
	range->flags.migrate_devmem = ctx->devmem_possible && anon;

	down_write(&gpusvm->notifier_lock);
	interval_tree_insert(&range->itree, &notifier->root);
	list_add_tail(&range->entry, &notifier->range_list);
	up_write(&gpusvm->notifier_lock);

	return range;
}

/*
 * Fault the range's pages in through hmm_range_fault() and record them,
 * unless the notifier moved meanwhile (then walk again).  With
 * ctx->devmem_only every page must be device memory of this device, else
 * -EFAULT, as drm_gpusvm does.
 */
int drm_gpusvm_range_get_pages(struct drm_gpusvm *gpusvm,
			       struct drm_gpusvm_range *range,
			       const struct drm_gpusvm_ctx *ctx)
{
	struct xe_svm_range *xrange = to_xe_range(range);
	unsigned long start = range->itree.start;
	unsigned long end = range->itree.last + 1;
	unsigned long npages = (end - start) >> PAGE_SHIFT;
	struct hmm_range hmm_range = {
		.notifier = &range->notifier->notifier,
		.start = start,
		.end = end,
		.default_flags = HMM_PFN_REQ_FAULT |
			(xrange->writable && !ctx->read_only ? HMM_PFN_REQ_WRITE : 0),
		.dev_private_owner = gpusvm->device_private_page_owner,
	};
	unsigned long timeout = jiffies + msecs_to_jiffies(HMM_RANGE_DEFAULT_TIMEOUT);
	struct mm_struct *mm = gpusvm->mm;
	unsigned long i, devmem;
	unsigned long *pfns;
	int err;

	pfns = kvmalloc_array(npages, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	if (!mmget_not_zero(mm)) {
		kvfree(pfns);
		return -EFAULT;
	}
again:
	hmm_range.hmm_pfns = pfns;
	hmm_range.notifier_seq = mmu_interval_read_begin(hmm_range.notifier);
	mmap_read_lock(mm);
	err = hmm_range_fault(&hmm_range);
	mmap_read_unlock(mm);
	if (err == -EBUSY) {
		if (time_after(jiffies, timeout))
			goto out;
		goto again;
	}
	if (err)
		goto out;

	down_write(&gpusvm->notifier_lock);
	if (mmu_interval_read_retry(hmm_range.notifier, hmm_range.notifier_seq)) {
		up_write(&gpusvm->notifier_lock);
		goto again;
	}
	for (i = 0, devmem = 0; i < npages; i++) {
		struct page *page = hmm_pfn_to_page(pfns[i]);

		if (is_device_private_page(page)) {
			if (page->pgmap->owner != gpusvm->device_private_page_owner) {
				err = -EOPNOTSUPP;
				break;
			}
			devmem++;
		}
		range->pages[i] = page;
	}
	if (!err && ctx->devmem_only && devmem != npages)
		err = -EFAULT;
	if (!err) {
		range->notifier_seq = hmm_range.notifier_seq;
		range->flags.has_devmem_pages = devmem == npages;
		range->flags.has_dma_mapping = 1;
	}
	up_write(&gpusvm->notifier_lock);
out:
	mmput(mm);
	kvfree(pfns);
	return err;
}

/* Caller holds vm->lock for writing, or the VM is closed. */
void drm_gpusvm_range_remove(struct drm_gpusvm *gpusvm,
			     struct drm_gpusvm_range *range)
{
	struct xe_svm_range *xrange = to_xe_range(range);
	struct xe_vm *vm = gpusvm_to_vm(gpusvm);

	/* the simulation's xe_svm_range may still sit on the GC list */
	spin_lock(&vm->svm.garbage_collector.lock);
	list_del_init(&xrange->garbage_collector_link);
	spin_unlock(&vm->svm.garbage_collector.lock);

	down_write(&gpusvm->notifier_lock);
	interval_tree_remove(&range->itree, &range->notifier->root);
	list_del(&range->entry);
	up_write(&gpusvm->notifier_lock);

	kvfree(range->pages);
	kfree(xrange);
}

/* Caller holds notifier_lock for writing (inside the invalidation). */
void drm_gpusvm_range_set_unmapped(struct drm_gpusvm_range *range,
				   const struct mmu_notifier_range *mmu_range)
{
	lockdep_assert_held_write(&range->gpusvm->notifier_lock);

	range->flags.unmapped = 1;
	if (range->itree.start < mmu_range->start ||
	    range->itree.last + 1 > mmu_range->end)
		range->flags.partial_unmap = 1;
}

/*
 * Tear down: stop invalidations first (removing a notifier waits for one
 * in flight), then free the ranges nobody can reach any more.
 */
void drm_gpusvm_fini(struct drm_gpusvm *gpusvm)
{
	struct drm_gpusvm_notifier *notifier, *next;
	struct drm_gpusvm_range *range, *rnext;

	list_for_each_entry(notifier, &gpusvm->notifier_list, entry)
		mmu_interval_notifier_remove(&notifier->notifier);

	list_for_each_entry_safe(notifier, next, &gpusvm->notifier_list, entry) {
		list_for_each_entry_safe(range, rnext, &notifier->range_list, entry)
			drm_gpusvm_range_remove(gpusvm, range);
		interval_tree_remove(&notifier->itree, &gpusvm->root);
		list_del(&notifier->entry);
		kfree(notifier);
	}
	mmdrop(gpusvm->mm);
}
