// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmsim: a simulated SVM GPU for svmtop.  A DRM render device on a
 * platform device, with one tile of two GTs, device-private VRAM and the
 * SVM fault path of xe modelled on the kernel's real HMM primitives.
 * Its debugfs directory /sys/kernel/debug/dri/<minor>/ holds gt0/ and gt1/
 * with "stats" and "svm_latency"; its tracepoints are TRACE_SYSTEM xe_svm.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>

#include "svmsim.h"

unsigned int svmsim_vram_mb = 64;
module_param_named(vram_mb, svmsim_vram_mb, uint, 0444);
MODULE_PARM_DESC(vram_mb, "Device-private VRAM in MiB (0: none, default 64)");

unsigned int svmsim_copy_mbps;
module_param_named(copy_mbps, svmsim_copy_mbps, uint, 0644);
MODULE_PARM_DESC(copy_mbps, "Copy-engine throttle in MB/s (0: unthrottled)");

static struct xe_device *svmsim_xe;

static int svmsim_query_ioctl(struct drm_device *dev, void *data,
			      struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct drm_svmsim_query *args = data;

	if (args->pad || memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return -EINVAL;
	args->uapi_version = SVMSIM_UAPI_VERSION;
	args->num_gts = SVMSIM_NUM_GTS;
	args->vram_size = (u64)xe->vram.npages << PAGE_SHIFT;
	args->vram_free = xe->vram.npages ? svmsim_vram_free_bytes(xe) : 0;
	args->range_sizes = SZ_4K | SZ_64K | SZ_2M;
	args->migrate_min_size = SVMSIM_MIGRATE_MIN;
	args->copy_chunk_max = SVMSIM_COPY_CHUNK_MAX;
	args->devmem_attempts = SVMSIM_DEVMEM_ATTEMPTS;
	return 0;
}

static int svmsim_vm_create_ioctl(struct drm_device *dev, void *data,
				  struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_svmsim_vm_create *args = data;
	struct xe_vm *vm;
	u32 id;
	int err;

	if (args->flags != DRM_SVMSIM_VM_CREATE_FLAG_FAULT_MODE || args->pad ||
	    args->vm_id || args->asid ||
	    memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return -EINVAL;

	vm = svmsim_vm_create(xe, xef);
	if (IS_ERR(vm))
		return PTR_ERR(vm);

	mutex_lock(&xef->vm.lock);
	err = xa_alloc(&xef->vm.xa, &id, vm, XA_LIMIT(1, SVMSIM_MAX_VMS_PER_FILE),
		       GFP_KERNEL);
	mutex_unlock(&xef->vm.lock);
	if (err) {
		svmsim_vm_close(vm);
		svmsim_vm_put(vm);
		return err == -EBUSY ? -ENOSPC : err;
	}
	vm->id = id;
	args->vm_id = id;
	args->asid = vm->usm.asid;
	return 0;
}

static int svmsim_vm_destroy_ioctl(struct drm_device *dev, void *data,
				   struct drm_file *file)
{
	struct xe_file *xef = file->driver_priv;
	struct drm_svmsim_vm_destroy *args = data;
	struct xe_vm *vm;

	if (args->pad || memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return -EINVAL;
	mutex_lock(&xef->vm.lock);
	vm = xa_erase(&xef->vm.xa, args->vm_id);
	mutex_unlock(&xef->vm.lock);
	if (!vm)
		return -ENOENT;
	svmsim_vm_close(vm);
	svmsim_vm_put(vm);
	return 0;
}

static int svmsim_open(struct drm_device *dev, struct drm_file *file)
{
	struct xe_file *xef;

	xef = kzalloc(sizeof(*xef), GFP_KERNEL);
	if (!xef)
		return -ENOMEM;
	xef->process_name = kstrdup(current->comm, GFP_KERNEL);
	if (!xef->process_name) {
		kfree(xef);
		return -ENOMEM;
	}
	xef->xe = to_xe_device(dev);
	xef->drm = file;
	xef->pid = task_tgid_nr(current);
	xa_init_flags(&xef->vm.xa, XA_FLAGS_ALLOC1);
	mutex_init(&xef->vm.lock);
	file->driver_priv = xef;
	return 0;
}

static void svmsim_postclose(struct drm_device *dev, struct drm_file *file)
{
	struct xe_file *xef = file->driver_priv;
	struct xe_vm *vm;
	unsigned long id;

	/* the file is going away: no ioctl can race with this */
	xa_for_each(&xef->vm.xa, id, vm) {
		xa_erase(&xef->vm.xa, id);
		svmsim_vm_close(vm);
		svmsim_vm_put(vm);
	}
	xa_destroy(&xef->vm.xa);
	kfree(xef->process_name);
	kfree(xef);
}

static const struct drm_ioctl_desc svmsim_ioctls[] = {
	DRM_IOCTL_DEF_DRV(SVMSIM_QUERY, svmsim_query_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMSIM_VM_CREATE, svmsim_vm_create_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMSIM_VM_DESTROY, svmsim_vm_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMSIM_EXEC, svmsim_exec_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMSIM_PREFETCH, svmsim_prefetch_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(SVMSIM_MADVISE, svmsim_madvise_ioctl, DRM_RENDER_ALLOW),
};

static const struct file_operations svmsim_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.compat_ioctl = drm_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.fop_flags = FOP_UNSIGNED_OFFSET,
};

static const struct drm_driver svmsim_driver = {
	.driver_features = DRIVER_RENDER,
	.open = svmsim_open,
	.postclose = svmsim_postclose,
	.ioctls = svmsim_ioctls,
	.num_ioctls = ARRAY_SIZE(svmsim_ioctls),
	.fops = &svmsim_fops,
	.name = "svmsim",
	.desc = "svmtop simulated SVM GPU",
	.date = "20260101",
	.major = 1,
	.minor = SVMSIM_UAPI_VERSION,
};

static void svmsim_gts_fini(struct xe_device *xe)
{
	int i;

	for (i = 0; i < SVMSIM_NUM_GTS; i++)
		if (xe->gts[i].usm.pf_wq)
			destroy_workqueue(xe->gts[i].usm.pf_wq);
}

static int svmsim_gts_init(struct xe_device *xe)
{
	int i;

	xe->tile.xe = xe;
	xe->tile.id = 0;
	xe->tile.primary_gt = &xe->gts[0];
	xe->migrate.tile = &xe->tile;
	mutex_init(&xe->migrate.job_mutex);
	for (i = 0; i < SVMSIM_NUM_GTS; i++) {
		struct xe_gt *gt = &xe->gts[i];

		gt->info.id = i;
		gt->tile = &xe->tile;
		gt->usm.pf_wq = alloc_workqueue("xe_gt_page_fault_work_queue",
						WQ_UNBOUND | WQ_HIGHPRI, 0);
		if (!gt->usm.pf_wq) {
			svmsim_gts_fini(xe);
			return -ENOMEM;
		}
	}
	return 0;
}

static int __init svmsim_init(void)
{
	struct platform_device *pdev;
	struct xe_device *xe;
	int i, err;

	pdev = platform_device_register_simple("svmsim", -1, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	if (!devres_open_group(&pdev->dev, NULL, GFP_KERNEL)) {
		err = -ENOMEM;
		goto err_unregister;
	}
	xe = devm_drm_dev_alloc(&pdev->dev, &svmsim_driver, struct xe_device, drm);
	if (IS_ERR(xe)) {
		err = PTR_ERR(xe);
		goto err_devres;
	}
	xe->pdev = pdev;
	xa_init_flags(&xe->asid_xa, XA_FLAGS_ALLOC1);
	mutex_init(&xe->vms_lock);
	INIT_LIST_HEAD(&xe->vms);

	err = svmsim_gts_init(xe);
	if (err)
		goto err_devres;
	err = svmsim_vram_init(xe);
	if (err)
		goto err_gts;
	err = drm_dev_register(&xe->drm, 0);
	if (err)
		goto err_vram;
	xe->minor = xe->drm.primary->index;
	for (i = 0; i < SVMSIM_NUM_GTS; i++)
		svmsim_gt_debugfs_register(&xe->gts[i], xe->drm.debugfs_root);

	svmsim_xe = xe;
	drm_info(&xe->drm, "svmsim: minor %d, %u MiB VRAM, %d GTs\n",
		 xe->minor, svmsim_vram_mb, SVMSIM_NUM_GTS);
	return 0;

err_vram:
	svmsim_vram_fini(xe);
err_gts:
	svmsim_gts_fini(xe);
err_devres:
	devres_release_group(&pdev->dev, NULL);
err_unregister:
	platform_device_unregister(pdev);
	return err;
}

static void __exit svmsim_exit(void)
{
	struct xe_device *xe = svmsim_xe;
	struct platform_device *pdev = xe->pdev;

	/* open files pin the module, so no VM is left; pages may be */
	drm_dev_unregister(&xe->drm);
	svmsim_vram_fini(xe);
	svmsim_gts_fini(xe);
	xa_destroy(&xe->asid_xa);
	devres_release_group(&pdev->dev, NULL);
	platform_device_unregister(pdev);
}

module_init(svmsim_init);
module_exit(svmsim_exit);

MODULE_DESCRIPTION("svmtop simulated SVM GPU: xe-shaped SVM fault path over HMM");
MODULE_LICENSE("GPL");
