/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct pt_regs as the kernel names it (arch/<arch>/include/asm/ptrace.h),
 * for kprobe/kretprobe programs: PT_REGS_PARM1() and friends of
 * bpf_tracing.h read these fields.  Only the registers that carry function
 * arguments, the return value and the stack/frame/instruction pointers.
 */
#ifndef SVMTOP_BPF_CORE_REGS_H
#define SVMTOP_BPF_CORE_REGS_H

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long bp;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long r8;
	unsigned long r9;
	unsigned long ip;
	unsigned long sp;
} __core;
#else
#error "add this architecture's struct pt_regs here"
#endif

#endif
