// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMs, the simulated GPU page table and the "GPU" that runs jobs.
 *
 * A job runs in the submitting task, access by access.  Each access looks
 * its page up in the VM's GPU page table under notifier_lock (read), the
 * way hardware walks page tables that invalidations zap under the same
 * lock; a miss raises a GPU page fault that is queued to the GT's fault
 * workqueue and serviced there by xe_svm_handle_pagefault() (so current is
 * a kworker, as in xe), and the access is retried.
 */
#include <linux/gcd.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>

#include "svmsim.h"

#define SVMSIM_MAX_REFAULTS	64	/* re-faults of one access: livelock */
#define SVMSIM_EXEC_CHUNK	256	/* list entries copied at a time */

/* ---- GPU page table ---------------------------------------------------- */

static struct svmsim_pt_leaf *pt_leaf(struct xe_vm *vm, u64 addr)
{
	return xa_load(&vm->pt, addr >> 21);
}

/* Allocate the leaves of [start, end) outside notifier_lock. */
int svmsim_pt_prepare(struct xe_vm *vm, u64 start, u64 end)
{
	unsigned long idx;
	int err;

	for (idx = start >> 21; idx <= (end - 1) >> 21; idx++) {
		struct svmsim_pt_leaf *leaf;

		if (xa_load(&vm->pt, idx))
			continue;
		leaf = kzalloc(sizeof(*leaf), GFP_KERNEL);
		if (!leaf)
			return -ENOMEM;
		err = xa_insert(&vm->pt, idx, leaf, GFP_KERNEL);
		if (err) {
			kfree(leaf);
			if (err != -EBUSY)
				return err;
		}
	}
	return 0;
}

/* Caller holds notifier_lock for writing. */
void svmsim_pt_set(struct xe_vm *vm, u64 addr, unsigned long pte)
{
	struct svmsim_pt_leaf *leaf = pt_leaf(vm, addr);

	if (leaf)
		WRITE_ONCE(leaf->pte[(addr >> PAGE_SHIFT) & (ARRAY_SIZE(leaf->pte) - 1)],
			   pte);
}

static unsigned long svmsim_pt_lookup(struct xe_vm *vm, u64 addr)
{
	struct svmsim_pt_leaf *leaf = pt_leaf(vm, addr);

	return leaf ? READ_ONCE(leaf->pte[(addr >> PAGE_SHIFT) &
					  (ARRAY_SIZE(leaf->pte) - 1)]) : 0;
}

static void svmsim_pt_zap(struct xe_vm *vm)
{
	struct svmsim_pt_leaf *leaf;
	unsigned long idx;

	xa_for_each(&vm->pt, idx, leaf)
		memset(leaf, 0, sizeof(*leaf));
}

void svmsim_pt_free(struct xe_vm *vm)
{
	struct svmsim_pt_leaf *leaf;
	unsigned long idx;

	xa_for_each(&vm->pt, idx, leaf)
		kfree(leaf);
	xa_destroy(&vm->pt);
}

/* ---- VMs ---------------------------------------------------------------- */

static void svmsim_vm_release(struct kref *kref)
{
	struct xe_vm *vm = container_of(kref, struct xe_vm, refcount);

	svmsim_pt_free(vm);
	kfree(vm);
}

void svmsim_vm_put(struct xe_vm *vm)
{
	kref_put(&vm->refcount, svmsim_vm_release);
}

struct xe_vm *svmsim_vm_lookup(struct xe_file *xef, u32 id)
{
	struct xe_vm *vm;

	mutex_lock(&xef->vm.lock);
	vm = xa_load(&xef->vm.xa, id);
	if (vm)
		kref_get(&vm->refcount);
	mutex_unlock(&xef->vm.lock);
	return vm;
}

/* Runs in the creating process: the VM mirrors current->mm. */
struct xe_vm *svmsim_vm_create(struct xe_device *xe, struct xe_file *xef)
{
	struct xe_vm *vm;
	int err;

	if (!current->mm)
		return ERR_PTR(-EINVAL);
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->xe = xe;
	vm->xef = xef;
	vm->tgid = current->tgid;
	kref_init(&vm->refcount);
	init_rwsem(&vm->lock);
	mutex_init(&vm->hints_lock);
	xa_init(&vm->pt);
	vm->svm_vma.vm = vm;
	vm->svm_vma.start = 0;
	vm->svm_vma.end = TASK_SIZE;
	vm->svm_vma.cpu_addr_mirror = true;

	err = xa_alloc_cyclic(&xe->asid_xa, &vm->usm.asid, vm,
			      XA_LIMIT(1, (1 << 20) - 1), &xe->next_asid,
			      GFP_KERNEL);
	if (err < 0) {
		kfree(vm);
		return ERR_PTR(err);
	}
	xe_svm_init(vm);

	mutex_lock(&xe->vms_lock);
	list_add_tail(&vm->dev_link, &xe->vms);
	mutex_unlock(&xe->vms_lock);
	return vm;
}

/* Once per VM: stop faults, collect garbage, drop the mirror. */
void svmsim_vm_close(struct xe_vm *vm)
{
	struct xe_device *xe = vm->xe;

	down_write(&vm->lock);
	down_write(&vm->svm.gpusvm.notifier_lock);
	vm->closed = true;
	svmsim_pt_zap(vm);
	up_write(&vm->svm.gpusvm.notifier_lock);
	xe_svm_close(vm);
	up_write(&vm->lock);

	xe_svm_fini(vm);
	xa_erase(&xe->asid_xa, vm->usm.asid);
	mutex_lock(&xe->vms_lock);
	list_del(&vm->dev_link);
	mutex_unlock(&xe->vms_lock);
}

/* ---- GPU faults ---------------------------------------------------------- */

struct svmsim_pf {
	struct work_struct work;
	struct completion done;
	struct xe_vm *vm;
	struct xe_gt *gt;
	u64 addr;
	u8 access;
	int err;
};

/* The GT's fault worker, as xe's handle_pagefault(): vm->lock, then SVM. */
static void svmsim_pf_work_func(struct work_struct *w)
{
	struct svmsim_pf *pf = container_of(w, struct svmsim_pf, work);
	struct xe_vm *vm = pf->vm;
	struct mm_struct *mm = vm->svm.gpusvm.mm;

	if (!mmget_not_zero(mm)) {
		pf->err = -EFAULT;
		goto done;
	}
	down_write(&vm->lock);
	if (vm->closed) {
		pf->err = -ENOENT;
	} else {
		vm->fault_access = pf->access;
		pf->err = xe_svm_handle_pagefault(vm, &vm->svm_vma, pf->gt, pf->addr,
						  pf->access == SVMSIM_ACCESS_ATOMIC);
	}
	up_write(&vm->lock);
	mmput(mm);
done:
	complete(&pf->done);
}

int svmsim_gpu_fault(struct xe_vm *vm, struct xe_gt *gt, u64 addr, bool write,
		     bool atomic)
{
	struct svmsim_pf pf = {
		.vm = vm,
		.gt = gt,
		.addr = addr,
		.access = atomic ? SVMSIM_ACCESS_ATOMIC :
			  write ? SVMSIM_ACCESS_WRITE : SVMSIM_ACCESS_READ,
	};

	INIT_WORK_ONSTACK(&pf.work, svmsim_pf_work_func);
	init_completion(&pf.done);
	queue_work(gt->usm.pf_wq, &pf.work);
	wait_for_completion(&pf.done);
	flush_work(&pf.work);
	destroy_work_on_stack(&pf.work);
	return pf.err;
}

/*
 * One 64-bit GPU access.  Returns 0 or the -errno of the fault that could
 * not be serviced; -EINTR only for a fatal signal.
 */
static int svmsim_gpu_access(struct xe_vm *vm, struct xe_gt *gt, u64 addr,
			     u32 op, u64 value, u64 *result, u64 *faults)
{
	bool write = op != DRM_SVMSIM_OP_READ;
	bool atomic = op == DRM_SVMSIM_OP_ATOMIC_ADD;
	/* without VRAM (vram_mb=0) atomics work on system memory, as on iGPUs */
	bool need_devmem = atomic && vm->xe->vram.npages;
	bool faulted = false;
	int tries, err;

	for (tries = 0; ; tries++) {
		unsigned long pte;
		bool ok;

		down_read(&vm->svm.gpusvm.notifier_lock);
		pte = vm->closed ? 0 : svmsim_pt_lookup(vm, addr);
		ok = (pte & SVMSIM_PTE_VALID) &&
		     (!write || (pte & SVMSIM_PTE_WRITE)) &&
		     (!need_devmem || (pte & SVMSIM_PTE_DEVMEM));
		if (ok) {
			struct page *page = pfn_to_page(pte >> PAGE_SHIFT);
			void *kaddr;
			u64 *p;

			if (pte & SVMSIM_PTE_DEVMEM)
				page = svmsim_vram_backing(vm->xe, page);
			kaddr = kmap_local_page(page);
			p = kaddr + offset_in_page(addr);
			switch (op) {
			case DRM_SVMSIM_OP_READ:
				*result = READ_ONCE(*p);
				break;
			case DRM_SVMSIM_OP_WRITE:
				WRITE_ONCE(*p, value);
				break;
			default:
				*result = atomic64_fetch_add(value, (atomic64_t *)p);
				break;
			}
			kunmap_local(kaddr);
		}
		up_read(&vm->svm.gpusvm.notifier_lock);
		if (ok)
			return 0;

		/* serviced, still not writable: a read-only CPU mapping */
		if (faulted && (pte & SVMSIM_PTE_VALID) && write &&
		    !(pte & SVMSIM_PTE_WRITE))
			return -EPERM;
		if (tries >= SVMSIM_MAX_REFAULTS)
			return -EBUSY;
		if (fatal_signal_pending(current))
			return -EINTR;
		(*faults)++;
		err = svmsim_gpu_fault(vm, gt, addr, write, atomic);
		if (err)
			return err;
		faulted = true;
	}
}

/* ---- ioctls -------------------------------------------------------------- */

static bool addr_ok(u64 addr, u64 len)
{
	return len && addr < TASK_SIZE && len <= TASK_SIZE - addr;
}

static int check_access(const struct drm_svmsim_access *a)
{
	if (a->op > DRM_SVMSIM_OP_ATOMIC_ADD || a->pad ||
	    (a->flags & ~DRM_SVMSIM_ACCESS_CHECK) ||
	    ((a->flags & DRM_SVMSIM_ACCESS_CHECK) && a->op != DRM_SVMSIM_OP_READ) ||
	    (a->addr & 7) || !addr_ok(a->addr, 8))
		return -EINVAL;
	return 0;
}

static int check_pattern(const struct drm_svmsim_pattern *p)
{
	if (p->op > DRM_SVMSIM_OP_ATOMIC_ADD ||
	    (p->flags & ~(DRM_SVMSIM_ACCESS_CHECK | DRM_SVMSIM_PATTERN_RANDOM)) ||
	    ((p->flags & DRM_SVMSIM_ACCESS_CHECK) && p->op != DRM_SVMSIM_OP_READ) ||
	    !p->stride || (p->stride & 7) || !p->size || p->size % p->stride ||
	    p->size / p->stride > DRM_SVMSIM_MAX_PATTERN_ELEMS ||
	    (p->addr & 7) || !addr_ok(p->addr, p->size))
		return -EINVAL;
	return 0;
}

static void note_result(struct drm_svmsim_exec *args, u64 addr, int err,
			bool check, u64 got, u64 want)
{
	if (err) {
		if (!args->errors) {
			args->first_error = err;
			args->first_error_addr = addr;
		}
		args->errors++;
		return;
	}
	args->accesses_done++;
	if (check && got != want)
		args->mismatches++;
}

static int exec_pattern(struct xe_vm *vm, struct xe_gt *gt,
			struct drm_svmsim_exec *args)
{
	const struct drm_svmsim_pattern *p = &args->pattern;
	u64 n = p->size / p->stride, k, step = 1, first = 0;
	bool check = p->flags & DRM_SVMSIM_ACCESS_CHECK;

	if (p->flags & DRM_SVMSIM_PATTERN_RANDOM) {
		/* visit every element once: first + k * step mod n, step coprime */
		step = (p->seed % n) | 1;
		while (gcd(step, n) != 1)
			step++;
		first = (p->seed >> 32) % n;
	}
	for (k = 0; k < n; k++) {
		u64 i = (first + k * step) % n;
		u64 addr = p->addr + i * p->stride;
		u64 value = p->op == DRM_SVMSIM_OP_ATOMIC_ADD ? p->value : p->value + i;
		u64 result = 0;
		int err;

		err = svmsim_gpu_access(vm, gt, addr, p->op, value, &result,
					&args->faults);
		if (err == -EINTR)
			return err;
		note_result(args, addr, err, check, result, p->value + i);
		cond_resched();
	}
	return 0;
}

static int exec_list(struct xe_vm *vm, struct xe_gt *gt,
		     struct drm_svmsim_exec *args)
{
	struct drm_svmsim_access __user *uptr = u64_to_user_ptr(args->accesses);
	struct drm_svmsim_access *buf;
	u32 done, n, i;
	int err = 0;

	buf = kmalloc_array(SVMSIM_EXEC_CHUNK, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	/* validate everything before running anything */
	for (done = 0; done < args->num_accesses; done += n) {
		n = min_t(u32, SVMSIM_EXEC_CHUNK, args->num_accesses - done);
		if (copy_from_user(buf, uptr + done, n * sizeof(*buf))) {
			err = -EFAULT;
			goto out;
		}
		for (i = 0; i < n; i++) {
			err = check_access(&buf[i]);
			if (err)
				goto out;
		}
	}

	for (done = 0; done < args->num_accesses; done += n) {
		n = min_t(u32, SVMSIM_EXEC_CHUNK, args->num_accesses - done);
		if (copy_from_user(buf, uptr + done, n * sizeof(*buf))) {
			err = -EFAULT;
			goto out;
		}
		for (i = 0; i < n; i++) {
			struct drm_svmsim_access *a = &buf[i];

			a->result = 0;
			err = svmsim_gpu_access(vm, gt, a->addr, a->op, a->value,
						&a->result, &args->faults);
			if (err == -EINTR)
				goto out;
			a->error = err;
			note_result(args, a->addr, err,
				    a->flags & DRM_SVMSIM_ACCESS_CHECK,
				    a->result, a->value);
			err = 0;
		}
		if (copy_to_user(uptr + done, buf, n * sizeof(*buf))) {
			err = -EFAULT;
			goto out;
		}
		cond_resched();
	}
out:
	kfree(buf);
	return err;
}

int svmsim_exec_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_svmsim_exec *args = data;
	static const struct drm_svmsim_pattern zero_pattern;
	struct xe_vm *vm;
	struct xe_gt *gt;
	int err;

	if ((args->flags & ~DRM_SVMSIM_EXEC_PATTERN) || args->pad ||
	    memchr_inv(args->reserved, 0, sizeof(args->reserved)) ||
	    args->gt_id >= SVMSIM_NUM_GTS)
		return -EINVAL;
	if (args->flags & DRM_SVMSIM_EXEC_PATTERN) {
		if (args->num_accesses || args->accesses)
			return -EINVAL;
		err = check_pattern(&args->pattern);
		if (err)
			return err;
	} else {
		if (!args->num_accesses ||
		    args->num_accesses > DRM_SVMSIM_MAX_ACCESSES ||
		    !args->accesses ||
		    memcmp(&args->pattern, &zero_pattern, sizeof(zero_pattern)))
			return -EINVAL;
	}

	vm = svmsim_vm_lookup(xef, args->vm_id);
	if (!vm)
		return -ENOENT;
	gt = &xe->gts[args->gt_id];

	args->accesses_done = 0;
	args->faults = 0;
	args->errors = 0;
	args->mismatches = 0;
	args->first_error = 0;
	args->first_error_addr = 0;
	if (args->flags & DRM_SVMSIM_EXEC_PATTERN)
		err = exec_pattern(vm, gt, args);
	else
		err = exec_list(vm, gt, args);
	xe_gt_stats_incr(gt, SVMX_STATS_ID_ACCESS_COUNT, args->accesses_done);
	svmsim_vm_put(vm);
	return err;
}

int svmsim_prefetch_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_svmsim_prefetch *args = data;
	struct mm_struct *mm;
	struct xe_vm *vm;
	u64 addr, next;
	int err = 0;

	if (args->region > DRM_SVMSIM_REGION_VRAM ||
	    memchr_inv(args->reserved, 0, sizeof(args->reserved)) ||
	    !PAGE_ALIGNED(args->addr) || !PAGE_ALIGNED(args->size) ||
	    !addr_ok(args->addr, args->size))
		return -EINVAL;
	vm = svmsim_vm_lookup(xef, args->vm_id);
	if (!vm)
		return -ENOENT;
	mm = vm->svm.gpusvm.mm;
	if (!mmget_not_zero(mm)) {
		svmsim_vm_put(vm);
		return -EFAULT;
	}
	down_write(&vm->lock);
	for (addr = args->addr; !err && addr < args->addr + args->size; addr = next) {
		if (vm->closed) {
			err = -ENOENT;
			break;
		}
		err = svmsim_prefetch_range(vm, xe->tile.primary_gt, addr,
					    args->region == DRM_SVMSIM_REGION_VRAM,
					    &next);
		if (fatal_signal_pending(current))
			err = -EINTR;
	}
	up_write(&vm->lock);
	mmput(mm);
	svmsim_vm_put(vm);
	return err;
}

int svmsim_madvise_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_file *xef = file->driver_priv;
	struct drm_svmsim_madvise *args = data;
	struct xe_vm *vm;
	int err = 0;

	if (args->preferred_loc > DRM_SVMSIM_PREFERRED_VRAM ||
	    memchr_inv(args->reserved, 0, sizeof(args->reserved)) ||
	    !PAGE_ALIGNED(args->addr) || !PAGE_ALIGNED(args->size) ||
	    !addr_ok(args->addr, args->size))
		return -EINVAL;
	vm = svmsim_vm_lookup(xef, args->vm_id);
	if (!vm)
		return -ENOENT;
	mutex_lock(&vm->hints_lock);
	if (vm->nhints == SVMSIM_MAX_HINTS) {
		err = -ENOSPC;
	} else {
		vm->hints[vm->nhints].start = args->addr;
		vm->hints[vm->nhints].end = args->addr + args->size;
		vm->hints[vm->nhints].loc = args->preferred_loc;
		vm->nhints++;
	}
	mutex_unlock(&vm->hints_lock);
	svmsim_vm_put(vm);
	return err;
}

u32 svmsim_preferred_loc(struct xe_vm *vm, u64 addr)
{
	u32 loc = DRM_SVMSIM_PREFERRED_DEFAULT;
	int i;

	mutex_lock(&vm->hints_lock);
	for (i = vm->nhints - 1; i >= 0; i--) {
		if (addr >= vm->hints[i].start && addr < vm->hints[i].end) {
			loc = vm->hints[i].loc;
			break;
		}
	}
	mutex_unlock(&vm->hints_lock);
	return loc;
}
