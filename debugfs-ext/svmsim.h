/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svmsim: a simulated SVM GPU that follows xe's SVM fault path on the
 * kernel's own HMM primitives.
 *
 * Linux 6.12 has neither drm_gpusvm nor drm_pagemap (both arrived in 6.15),
 * so this module carries minimal equivalents.  Types and functions that
 * svmtop probes keep xe's names, member paths and argument shapes (the
 * comment on each names the upstream version it mirrors), so that the same
 * fentry/kprobe programs attach to this module as to xe:
 *   vm->xef->pid, vm->xef->process_name, vm->usm.asid, gt->info.id,
 *   vm->svm.gpusvm.mm, range->base.itree.start / .last.
 * Everything else is private to the simulation.
 */
#ifndef _SVMSIM_H_
#define _SVMSIM_H_

#include <linux/interval_tree.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/memremap.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <uapi/drm/svmsim_drm.h>

#include "svmsim_stats.h"

struct dma_fence;
struct drm_file;
struct vm_fault;

#define SVMSIM_NUM_GTS		2
#define SVMSIM_NOTIFIER_SIZE	SZ_512M	/* xe_svm_init()'s notifier size */
#define SVMSIM_MIGRATE_MIN	SZ_64K	/* smaller ranges stay in sysmem */
#define SVMSIM_COPY_CHUNK_MAX	SZ_8M	/* one copy-engine blit at most */
#define SVMSIM_DEVMEM_ATTEMPTS	3	/* migrations for a devmem_only fault */
#define SVMSIM_MAX_FAULT_LOOPS	16	/* safety cap, see xe_svm_handle_pagefault */
#define SVMSIM_MAX_HINTS	64
#define SVMSIM_MAX_VMS_PER_FILE	256

/* Why a fault went round its retry loop again (trace + stats). */
enum svmsim_retry_reason {
	SVMSIM_RETRY_MIGRATE,	/* VRAM allocation / migration failed */
	SVMSIM_RETRY_GET_PAGES,	/* get pages: -EOPNOTSUPP/-EFAULT/-EPERM */
	SVMSIM_RETRY_BIND,	/* bind saw the notifier move: -EAGAIN */
	SVMSIM_RETRY_VMA_SPLIT,	/* VMA split under us (xe ~6.18); unused */
	SVMSIM_RETRY_GC,	/* found a range the collector must remove */
	SVMSIM_RETRY_NUM,
};

/* What a GPU fault asked for (trace field "access"). */
enum svmsim_access {
	SVMSIM_ACCESS_READ,
	SVMSIM_ACCESS_WRITE,
	SVMSIM_ACCESS_ATOMIC,
	SVMSIM_ACCESS_PREFETCH,
};

/* How a serviced fault ended (trace field "outcome"). */
enum svmsim_outcome {
	SVMSIM_OUTCOME_VALID,		/* range was already valid */
	SVMSIM_OUTCOME_MIGRATED,	/* migrated to VRAM and bound */
	SVMSIM_OUTCOME_SYSMEM,		/* bound from system memory */
	SVMSIM_OUTCOME_VRAM,		/* bound from VRAM, no migration */
	SVMSIM_OUTCOME_ERROR,		/* failed; see errno */
};

enum svmsim_migrate_dir {
	SVMSIM_TO_VRAM,
	SVMSIM_TO_SYSMEM,
};

enum svmsim_migrate_trigger {
	SVMSIM_TRIGGER_GPU_FAULT,
	SVMSIM_TRIGGER_CPU_FAULT,
	SVMSIM_TRIGGER_EVICTION,
	SVMSIM_TRIGGER_PREFETCH,
};

struct xe_device;
struct xe_vm;

/* mirrors struct xe_gt (6.15+): svmtop reads gt->info.id */
struct xe_gt {
	struct {
		u8 id;
	} info;
	struct xe_tile *tile;
	struct {
		/* per-GT fault queue, as xe_gt_page_fault_work_queue (6.15..6.18) */
		struct workqueue_struct *pf_wq;
	} usm;
	struct svmsim_gt_stats stats;
	struct dentry *debugfs;
};

/* mirrors struct xe_tile: one tile, two GTs sharing its page tables */
struct xe_tile {
	struct xe_device *xe;
	u8 id;
	struct xe_gt *primary_gt;
};

/* the copy engine; mirrors the role of struct xe_migrate */
struct xe_migrate {
	struct xe_tile *tile;
	struct mutex job_mutex;		/* one blit at a time, like a ring */
};

/* device-private "VRAM": one dev_pagemap, system pages hold the data */
struct svmsim_vram {
	struct dev_pagemap pagemap;
	struct resource *res;
	unsigned long base_pfn;
	unsigned long npages;
	struct page **backing;		/* data of VRAM page i */
	unsigned long *used;		/* bitmap of allocated VRAM pages */
	unsigned long nfree;
	spinlock_t lock;		/* used, nfree, lru, bo->live */
	struct list_head lru;		/* xe_bo, oldest first */
	struct mutex evict_lock;	/* one evictor at a time */
	bool removing;
};

/* mirrors struct drm_pagemap_devmem (6.16+) */
struct drm_pagemap_devmem {
	struct device *dev;
	struct mm_struct *mm;
	size_t size;
};

/* mirrors struct xe_bo for SVM VRAM (6.15+): one contiguous VRAM block */
struct xe_bo {
	struct drm_pagemap_devmem devmem_allocation;
	struct xe_device *xe;
	struct kref refcount;
	struct list_head lru_link;
	unsigned long first;		/* first VRAM page index */
	unsigned long npages;
	unsigned long live;		/* pages not yet freed by the core mm */
	bool on_lru;
	/* attribution copied from the VM: the VM may be gone when evicted */
	u32 asid;
	pid_t tgid;
};

/* mirrors struct xe_file: svmtop reads xef->pid and xef->process_name */
struct xe_file {
	struct xe_device *xe;
	struct drm_file *drm;
	struct {
		struct xarray xa;
		struct mutex lock;
	} vm;
	char *process_name;
	pid_t pid;
};

/* mirrors struct xe_device */
struct xe_device {
	struct drm_device drm;
	struct platform_device *pdev;
	struct xe_tile tile;
	struct xe_gt gts[SVMSIM_NUM_GTS];
	struct xe_migrate migrate;
	struct svmsim_vram vram;
	struct xarray asid_xa;		/* asid -> xe_vm, like xe's usm.asid_to_vm */
	u32 next_asid;
	struct mutex vms_lock;
	struct list_head vms;		/* every live VM, for unload */
	int minor;			/* primary minor, the "device" of events */
};

static inline struct xe_device *to_xe_device(struct drm_device *dev)
{
	return container_of(dev, struct xe_device, drm);
}

struct drm_gpusvm;
struct drm_gpusvm_notifier;
struct drm_gpusvm_range;

/* mirrors struct drm_gpusvm_ctx (6.15) */
struct drm_gpusvm_ctx {
	unsigned int check_pages_threshold;
	unsigned int in_notifier:1;
	unsigned int read_only:1;
	unsigned int devmem_possible:1;
	unsigned int devmem_only:1;
	/* simulation only */
	struct xe_gt *gt;
	u8 trigger;
};

/* mirrors struct drm_gpusvm_ops (6.15): keeps xe_svm_invalidate address-taken */
struct drm_gpusvm_ops {
	void (*invalidate)(struct drm_gpusvm *gpusvm,
			   struct drm_gpusvm_notifier *notifier,
			   const struct mmu_notifier_range *mmu_range);
};

/* mirrors struct drm_gpusvm (6.15) */
struct drm_gpusvm {
	const char *name;
	const struct drm_gpusvm_ops *ops;
	struct drm_device *drm;
	struct mm_struct *mm;
	void *device_private_page_owner;
	unsigned long mm_start;
	unsigned long mm_range;
	unsigned long notifier_size;
	const unsigned long *chunk_sizes;
	int num_chunks;
	struct rw_semaphore notifier_lock;
	struct rb_root_cached root;	/* notifiers */
	struct list_head notifier_list;
};

/* mirrors struct drm_gpusvm_notifier (6.15) */
struct drm_gpusvm_notifier {
	struct drm_gpusvm *gpusvm;
	struct mmu_interval_notifier notifier;
	struct interval_tree_node itree;
	struct list_head entry;
	struct rb_root_cached root;	/* ranges */
	struct list_head range_list;
};

/* mirrors struct drm_gpusvm_range_flags (6.15) */
struct drm_gpusvm_range_flags {
	union {
		struct {
			u16 migrate_devmem : 1;
			u16 unmapped : 1;
			u16 partial_unmap : 1;
			u16 has_devmem_pages : 1;
			u16 has_dma_mapping : 1;
		};
		u16 __flags;
	};
};

/* mirrors struct drm_gpusvm_range (6.15): svmtop reads base.itree */
struct drm_gpusvm_range {
	struct drm_gpusvm *gpusvm;
	struct drm_gpusvm_notifier *notifier;
	struct kref refcount;
	struct interval_tree_node itree;
	struct list_head entry;
	unsigned long notifier_seq;
	struct page **pages;		/* from the last get-pages */
	struct drm_gpusvm_range_flags flags;
};

/* mirrors struct xe_svm_range (6.15) */
struct xe_svm_range {
	struct drm_gpusvm_range base;
	struct list_head garbage_collector_link;
	u8 tile_present;		/* tiles with a live GPU mapping */
	u8 tile_invalidated;
	bool skip_migrate;		/* migrated once already */
	bool writable;
};

/* mirrors the CPU-address-mirror struct xe_vma the handler receives */
struct xe_vma {
	struct xe_vm *vm;
	u64 start;
	u64 end;
	bool cpu_addr_mirror;
};

struct svmsim_hint {
	u64 start;
	u64 end;
	u32 loc;
};

/* leaf of the simulated GPU page table: one per 2M of address space */
#define SVMSIM_PTE_VALID	BIT(0)
#define SVMSIM_PTE_WRITE	BIT(1)
#define SVMSIM_PTE_DEVMEM	BIT(2)
struct svmsim_pt_leaf {
	unsigned long pte[SZ_2M / PAGE_SIZE];	/* pfn << PAGE_SHIFT | flags */
};

/* mirrors struct xe_vm (6.15+) for the members svmtop reads */
struct xe_vm {
	struct xe_device *xe;
	struct xe_file *xef;
	struct {
		u32 asid;
	} usm;
	struct {
		struct drm_gpusvm gpusvm;
		struct {
			spinlock_t lock;
			struct list_head range_list;
			struct work_struct work;
		} garbage_collector;
	} svm;
	struct rw_semaphore lock;	/* xe's vm->lock: faults, GC, bind */
	struct kref refcount;
	u32 id;
	pid_t tgid;			/* process that created the VM */
	bool closed;
	struct xe_vma svm_vma;
	struct xarray pt;		/* (addr >> 21) -> svmsim_pt_leaf */
	struct svmsim_hint hints[SVMSIM_MAX_HINTS];
	int nhints;
	struct mutex hints_lock;
	struct list_head dev_link;
	/* the fault being handled (under lock): for stats and trace only */
	struct xe_gt *fault_gt;
	u8 fault_access;
};

static inline struct xe_vm *gpusvm_to_vm(struct drm_gpusvm *gpusvm)
{
	return container_of(gpusvm, struct xe_vm, svm.gpusvm);
}

static inline struct xe_svm_range *to_xe_range(struct drm_gpusvm_range *r)
{
	return container_of(r, struct xe_svm_range, base);
}

static inline u64 xe_svm_range_start(struct xe_svm_range *range)
{
	return range->base.itree.start;
}

static inline u64 xe_svm_range_end(struct xe_svm_range *range)
{
	return range->base.itree.last + 1;
}

static inline u64 xe_svm_range_size(struct xe_svm_range *range)
{
	return xe_svm_range_end(range) - xe_svm_range_start(range);
}

/* svmsim_drv.c */
extern unsigned int svmsim_vram_mb;
extern unsigned int svmsim_copy_mbps;
int svmsim_dev_minor(struct xe_device *xe);

/* svmsim_vm.c: VMs, the GPU page table, the "GPU" that runs jobs */
struct xe_vm *svmsim_vm_create(struct xe_device *xe, struct xe_file *xef);
void svmsim_vm_close(struct xe_vm *vm);
void svmsim_vm_put(struct xe_vm *vm);
struct xe_vm *svmsim_vm_lookup(struct xe_file *xef, u32 id);
int svmsim_exec_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int svmsim_prefetch_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int svmsim_madvise_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
u32 svmsim_preferred_loc(struct xe_vm *vm, u64 addr);
int svmsim_pt_prepare(struct xe_vm *vm, u64 start, u64 end);
void svmsim_pt_set(struct xe_vm *vm, u64 addr, unsigned long pte);
void svmsim_pt_free(struct xe_vm *vm);

/* svmsim_gpusvm.c: drm_gpusvm equivalents (6.15 drm_gpusvm.c) */
int drm_gpusvm_init(struct drm_gpusvm *gpusvm, const char *name,
		    struct drm_device *drm, struct mm_struct *mm,
		    void *device_private_page_owner,
		    const struct drm_gpusvm_ops *ops);
void drm_gpusvm_fini(struct drm_gpusvm *gpusvm);
struct drm_gpusvm_range *
drm_gpusvm_range_find_or_insert(struct drm_gpusvm *gpusvm, unsigned long fault_addr,
				unsigned long gpuva_start, unsigned long gpuva_end,
				const struct drm_gpusvm_ctx *ctx);
int drm_gpusvm_range_get_pages(struct drm_gpusvm *gpusvm,
			       struct drm_gpusvm_range *range,
			       const struct drm_gpusvm_ctx *ctx);
void drm_gpusvm_range_remove(struct drm_gpusvm *gpusvm,
			     struct drm_gpusvm_range *range);
void drm_gpusvm_range_set_unmapped(struct drm_gpusvm_range *range,
				   const struct mmu_notifier_range *mmu_range);

/* svmsim_svm.c: xe_svm.c equivalents */
int xe_svm_init(struct xe_vm *vm);
void xe_svm_close(struct xe_vm *vm);
void xe_svm_fini(struct xe_vm *vm);
void xe_svm_invalidate(struct drm_gpusvm *gpusvm,
		       struct drm_gpusvm_notifier *notifier,
		       const struct mmu_notifier_range *mmu_range);
int xe_svm_garbage_collector(struct xe_vm *vm);
int xe_svm_handle_pagefault(struct xe_vm *vm, struct xe_vma *vma,
			    struct xe_gt *gt, u64 fault_addr, bool atomic);
int xe_svm_range_get_pages(struct xe_vm *vm, struct xe_svm_range *range,
			   struct drm_gpusvm_ctx *ctx);
int xe_svm_alloc_vram(struct xe_vm *vm, struct xe_tile *tile,
		      struct xe_svm_range *range,
		      const struct drm_gpusvm_ctx *ctx);
struct dma_fence *xe_vm_range_rebind(struct xe_vm *vm, struct xe_vma *vma,
				     struct xe_svm_range *range, u8 tile_mask);
struct dma_fence *xe_vm_range_unbind(struct xe_vm *vm,
				     struct xe_svm_range *range);
int svmsim_prefetch_range(struct xe_vm *vm, struct xe_gt *gt, u64 addr,
			  bool to_vram, u64 *next);
int svmsim_gpu_fault(struct xe_vm *vm, struct xe_gt *gt, u64 addr, bool write,
		     bool atomic);

/* svmsim_vram.c: device memory, the copy engine, migration */
int svmsim_vram_init(struct xe_device *xe);
void svmsim_vram_fini(struct xe_device *xe);
struct page *svmsim_vram_backing(struct xe_device *xe, struct page *page);
bool svmsim_is_vram_page(struct xe_device *xe, struct page *page);
struct xe_bo *svmsim_bo_create(struct xe_device *xe, struct xe_vm *vm,
			       unsigned long npages);
void svmsim_bo_put(struct xe_bo *bo);
int drm_pagemap_migrate_to_devmem(struct xe_bo *bo, struct mm_struct *mm,
				  unsigned long start, unsigned long end,
				  struct xe_gt *gt, u8 trigger);
vm_fault_t drm_pagemap_migrate_to_ram(struct vm_fault *vmf);
int drm_pagemap_evict_to_ram(struct drm_pagemap_devmem *devmem_allocation);
int xe_svm_bo_evict(struct xe_bo *bo);
int xe_svm_copy_to_devmem(struct page **pages, dma_addr_t *dma_addr,
			  unsigned long npages);
int xe_svm_copy_to_ram(struct page **pages, dma_addr_t *dma_addr,
		       unsigned long npages);
int xe_migrate_to_vram(struct xe_migrate *m, unsigned long npages,
		       dma_addr_t *src_addr, u64 dst_addr);
int xe_migrate_from_vram(struct xe_migrate *m, unsigned long npages,
			 u64 src_addr, dma_addr_t *dst_addr);
u64 svmsim_vram_free_bytes(struct xe_device *xe);

#endif /* _SVMSIM_H_ */
