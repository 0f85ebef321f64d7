/* SPDX-License-Identifier: MIT */
/*
 * Copyright (c) 2026 The svmtop authors
 *
 * User-space interface of svmsim, the simulated SVM GPU of svmtop's
 * debugfs-ext/ module.  The device is a DRM render node; a process creates
 * a VM that mirrors its own address space (fault mode, as xe's
 * DRM_XE_VM_CREATE_FLAG_FAULT_MODE) and submits "GPU jobs": lists or
 * patterns of 64-bit loads, stores and atomic adds at its own addresses.
 * The GPU faults on every access its page table cannot serve; the driver
 * services the fault like xe does (hmm_range_fault, migration to device
 * memory, bind) and the job retries the access.
 *
 * Rules for every ioctl: reserved and pad fields must be zero, unknown flags
 * are rejected with -EINVAL, addresses must be 8-byte aligned user
 * addresses, an unknown vm_id gives -ENOENT and a bad user pointer -EFAULT.
 * DRM_IOCTL_SVMSIM_QUERY returns SVMSIM_UAPI_VERSION; the version grows
 * when fields are given meaning, structures only grow by using reserved
 * space.
 */
#ifndef _UAPI_SVMSIM_DRM_H_
#define _UAPI_SVMSIM_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define SVMSIM_UAPI_VERSION		1

#define DRM_SVMSIM_QUERY		0x00
#define DRM_SVMSIM_VM_CREATE		0x01
#define DRM_SVMSIM_VM_DESTROY		0x02
#define DRM_SVMSIM_EXEC			0x03
#define DRM_SVMSIM_PREFETCH		0x04
#define DRM_SVMSIM_MADVISE		0x05

#define DRM_IOCTL_SVMSIM_QUERY		DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMSIM_QUERY, struct drm_svmsim_query)
#define DRM_IOCTL_SVMSIM_VM_CREATE	DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMSIM_VM_CREATE, struct drm_svmsim_vm_create)
#define DRM_IOCTL_SVMSIM_VM_DESTROY	DRM_IOW(DRM_COMMAND_BASE + DRM_SVMSIM_VM_DESTROY, struct drm_svmsim_vm_destroy)
#define DRM_IOCTL_SVMSIM_EXEC		DRM_IOWR(DRM_COMMAND_BASE + DRM_SVMSIM_EXEC, struct drm_svmsim_exec)
#define DRM_IOCTL_SVMSIM_PREFETCH	DRM_IOW(DRM_COMMAND_BASE + DRM_SVMSIM_PREFETCH, struct drm_svmsim_prefetch)
#define DRM_IOCTL_SVMSIM_MADVISE	DRM_IOW(DRM_COMMAND_BASE + DRM_SVMSIM_MADVISE, struct drm_svmsim_madvise)

/**
 * struct drm_svmsim_query - what the device is (all fields are output)
 */
struct drm_svmsim_query {
	/** @uapi_version: SVMSIM_UAPI_VERSION of the running module */
	__u32 uapi_version;
	/** @num_gts: GTs that can run jobs (gt_id 0 .. num_gts - 1) */
	__u32 num_gts;
	/** @vram_size: bytes of device-private memory */
	__u64 vram_size;
	/** @vram_free: bytes of device memory not holding data now */
	__u64 vram_free;
	/** @range_sizes: bit mask of the SVM range (chunk) sizes in bytes */
	__u64 range_sizes;
	/** @migrate_min_size: ranges at least this big migrate to VRAM */
	__u64 migrate_min_size;
	/** @copy_chunk_max: largest single copy-engine transfer in bytes */
	__u64 copy_chunk_max;
	/** @devmem_attempts: migration attempts for an atomic fault */
	__u32 devmem_attempts;
	/** @pad: zero */
	__u32 pad;
	/** @reserved: zero on input, zero on output */
	__u64 reserved[4];
};

/* The only mode there is; must be set so that a later mode can be added. */
#define DRM_SVMSIM_VM_CREATE_FLAG_FAULT_MODE	(1u << 0)

/**
 * struct drm_svmsim_vm_create - create a VM mirroring the caller's mm
 */
struct drm_svmsim_vm_create {
	/** @flags: DRM_SVMSIM_VM_CREATE_FLAG_FAULT_MODE (required) */
	__u32 flags;
	/** @vm_id: output, the VM's id for the other ioctls (never 0) */
	__u32 vm_id;
	/** @asid: output, the VM's address-space id (as in trace events) */
	__u32 asid;
	/** @pad: zero */
	__u32 pad;
	/** @reserved: zero */
	__u64 reserved[2];
};

/**
 * struct drm_svmsim_vm_destroy - destroy a VM (waits for its faults)
 */
struct drm_svmsim_vm_destroy {
	/** @vm_id: from DRM_IOCTL_SVMSIM_VM_CREATE */
	__u32 vm_id;
	/** @pad: zero */
	__u32 pad;
	/** @reserved: zero */
	__u64 reserved[2];
};

/* Access kinds (drm_svmsim_access.op, drm_svmsim_pattern.op). */
#define DRM_SVMSIM_OP_READ		0	/* 64-bit load */
#define DRM_SVMSIM_OP_WRITE		1	/* 64-bit store of value */
#define DRM_SVMSIM_OP_ATOMIC_ADD	2	/* 64-bit atomic add; needs VRAM */

/* drm_svmsim_access.flags, drm_svmsim_pattern.flags */
#define DRM_SVMSIM_ACCESS_CHECK		(1u << 0)	/* READ: compare with value */
#define DRM_SVMSIM_PATTERN_RANDOM	(1u << 1)	/* pattern: shuffled order */

/**
 * struct drm_svmsim_access - one access of a list-mode job
 */
struct drm_svmsim_access {
	/** @addr: 8-byte aligned address in the VM's (the caller's) mm */
	__u64 addr;
	/** @value: WRITE: stored; ATOMIC_ADD: added; READ+CHECK: expected */
	__u64 value;
	/** @result: output, the value read (READ) or the old value (ATOMIC_ADD) */
	__u64 result;
	/** @op: DRM_SVMSIM_OP_* */
	__u32 op;
	/** @flags: DRM_SVMSIM_ACCESS_CHECK */
	__u32 flags;
	/** @error: output, 0 or the -errno of the GPU fault that failed */
	__s32 error;
	/** @pad: zero */
	__u32 pad;
};

/**
 * struct drm_svmsim_pattern - a pattern-mode job
 *
 * Element i (0 <= i < size / stride) is the 64-bit word at
 * addr + i * stride.  WRITE stores value + i; READ with CHECK expects
 * value + i (so a WRITE pattern followed by a READ+CHECK pattern with the
 * same value verifies every word); ATOMIC_ADD adds value to each element.
 * With DRM_SVMSIM_PATTERN_RANDOM the elements are visited once each in an
 * order shuffled by seed.
 */
struct drm_svmsim_pattern {
	/** @addr: first element, 8-byte aligned */
	__u64 addr;
	/** @size: bytes covered, a non-zero multiple of stride */
	__u64 size;
	/** @stride: bytes between elements, a multiple of 8 */
	__u64 stride;
	/** @value: see above */
	__u64 value;
	/** @seed: shuffle seed for DRM_SVMSIM_PATTERN_RANDOM */
	__u64 seed;
	/** @op: DRM_SVMSIM_OP_* */
	__u32 op;
	/** @flags: DRM_SVMSIM_ACCESS_CHECK, DRM_SVMSIM_PATTERN_RANDOM */
	__u32 flags;
};

/* drm_svmsim_exec.flags */
#define DRM_SVMSIM_EXEC_PATTERN		(1u << 0)	/* run .pattern, not .accesses */

/* Limits the driver enforces (-EINVAL beyond them). */
#define DRM_SVMSIM_MAX_ACCESSES		(1u << 20)	/* list entries per job */
#define DRM_SVMSIM_MAX_PATTERN_ELEMS	(1ull << 24)	/* pattern elements per job */

/**
 * struct drm_svmsim_exec - run a job on one GT and wait for it
 *
 * A failed access does not stop the job: it is counted in @errors and the
 * job goes on, so one job reports every failure.  The ioctl itself fails
 * only for bad input (-EINVAL, -EFAULT, -ENOENT) or a signal (-EINTR).
 */
struct drm_svmsim_exec {
	/** @vm_id: VM to run in */
	__u32 vm_id;
	/** @gt_id: GT whose engine runs the job */
	__u32 gt_id;
	/** @flags: DRM_SVMSIM_EXEC_PATTERN */
	__u32 flags;
	/** @num_accesses: list mode, entries at @accesses */
	__u32 num_accesses;
	/** @accesses: list mode, user pointer to struct drm_svmsim_access[] */
	__u64 accesses;
	/** @pattern: pattern mode */
	struct drm_svmsim_pattern pattern;
	/** @accesses_done: output, accesses that completed */
	__u64 accesses_done;
	/** @faults: output, GPU page faults the job raised */
	__u64 faults;
	/** @errors: output, accesses whose fault could not be serviced */
	__u64 errors;
	/** @mismatches: output, READ+CHECK accesses that read another value */
	__u64 mismatches;
	/** @first_error: output, -errno of the first failed access, or 0 */
	__s32 first_error;
	/** @pad: zero */
	__u32 pad;
	/** @first_error_addr: output, address of the first failed access */
	__u64 first_error_addr;
	/** @reserved: zero */
	__u64 reserved[4];
};

/* drm_svmsim_prefetch.region */
#define DRM_SVMSIM_REGION_SYSMEM	0
#define DRM_SVMSIM_REGION_VRAM		1

/**
 * struct drm_svmsim_prefetch - fault in (and maybe migrate) a range ahead
 *
 * Like xe's DRM_XE_VM_BIND_OP_PREFETCH on a CPU-address-mirror VMA: every
 * SVM range in [addr, addr + size) is created, migrated to VRAM when
 * @region is DRM_SVMSIM_REGION_VRAM, and bound.
 */
struct drm_svmsim_prefetch {
	/** @vm_id: VM */
	__u32 vm_id;
	/** @region: DRM_SVMSIM_REGION_* */
	__u32 region;
	/** @addr: page-aligned start */
	__u64 addr;
	/** @size: page-aligned, non-zero length */
	__u64 size;
	/** @reserved: zero */
	__u64 reserved[2];
};

/* drm_svmsim_madvise.preferred_loc */
#define DRM_SVMSIM_PREFERRED_DEFAULT	0	/* migrate ranges >= 64K */
#define DRM_SVMSIM_PREFERRED_SYSMEM	1	/* keep in system memory */
#define DRM_SVMSIM_PREFERRED_VRAM	2	/* migrate every range */

/**
 * struct drm_svmsim_madvise - preferred-location hint for an address range
 *
 * Atomic accesses still migrate to VRAM whatever the hint says.  A VM holds
 * at most 64 hints; the newest one covering an address wins.
 */
struct drm_svmsim_madvise {
	/** @vm_id: VM */
	__u32 vm_id;
	/** @preferred_loc: DRM_SVMSIM_PREFERRED_* */
	__u32 preferred_loc;
	/** @addr: page-aligned start */
	__u64 addr;
	/** @size: page-aligned, non-zero length */
	__u64 size;
	/** @reserved: zero */
	__u64 reserved[2];
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_SVMSIM_DRM_H_ */
