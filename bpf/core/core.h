/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Common preamble of svmtop's BPF programs.
 *
 * svmtop builds without vmlinux.h: each kernel type a program reads is
 * declared in bpf/core/<area>.h with only the fields svmtop uses, marked
 * __core (preserve_access_index) so libbpf relocates every access against
 * the running kernel's BTF at load time.  Field order and sizes in these
 * declarations do not matter; names and types must match the kernel's.
 */
#ifndef SVMTOP_BPF_CORE_H
#define SVMTOP_BPF_CORE_H

#include <linux/types.h>
#include <linux/bpf.h>

/*
 * The kernel's own integer names, as they appear in its BTF.  Only used in
 * the declarations below; programs use the __u* names of <linux/types.h>.
 */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef int pid_t;
typedef _Bool bool;
#define true 1
#define false 0

#define __core __attribute__((preserve_access_index))

/*
 * bpf_tracing.h picks the kernel's pt_regs register names (di, si, ...)
 * when it believes vmlinux.h is in use; bpf/core/regs.h supplies exactly
 * that kernel layout, so tell it so.
 */
#define __VMLINUX_H__ 1

#include "core/regs.h"

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#endif
