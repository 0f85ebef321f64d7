/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel feature probes shared by svmtop's BPF backends: which kernel BTF
 * (vmlinux or a module) describes a function or tracepoint, whether a
 * tracing program really attaches there (BTF alone does not prove it),
 * kallsyms and kprobe support, capabilities.
 */
#ifndef SVMTOP_CLI_BPFUTIL_H
#define SVMTOP_CLI_BPFUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <bpf/bpf.h>

struct btf;

/* vmlinux and every loaded module's BTF, as the kernel holds them. */
struct kbtfs {
	size_t n;
	struct {
		struct btf *btf;
		int fd;			/* kernel BTF object fd (0: vmlinux) */
		char name[64];		/* "vmlinux" or the module name */
	} v[256];
};

/* Load them all; 0 or -errno (no kernel BTF). */
int kbtfs_load(struct kbtfs *k);
void kbtfs_free(struct kbtfs *k);
/*
 * Find name of BTF kind in any of them: its type id, *fd the BTF object
 * to attach through, *where the owner's name; -ENOENT when none has it.
 */
int kbtfs_find(const struct kbtfs *k, const char *name, int kind, int *fd,
	       const char **where);

/*
 * Load an empty tracing program of this attach type on type id (in the
 * BTF object fd) and attach it: 0 when this kernel can, else -errno.
 */
int bpf_trial_attach(int btf_id, int btf_fd, enum bpf_attach_type type);

/* Is func in /proc/kallsyms (vmlinux or a module)?  Reads the file once
 * per list of names: pass every name you will ask about first. */
bool ksym_exists(const char *func);
void ksym_want(const char *const *names, size_t n);
bool kprobes_supported(void);
/* CAP_SYS_ADMIN, or CAP_BPF + CAP_PERFMON, effective. */
bool bpf_caps(void);

#endif
