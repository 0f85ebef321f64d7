// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel feature probes for the BPF backends (see bpfutil.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfutil.h"

int kbtfs_load(struct kbtfs *k)
{
	struct btf *vmlinux;
	__u32 id = 0;

	memset(k, 0, sizeof(*k));
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return -errno ? -errno : -ENOENT;
	k->v[0].btf = vmlinux;
	snprintf(k->v[0].name, sizeof(k->v[0].name), "vmlinux");
	k->n = 1;
	/* Module BTFs: walk the kernel's BTF objects (needs CAP_SYS_ADMIN). */
	while (k->n < sizeof(k->v) / sizeof(k->v[0]) &&
	       !bpf_btf_get_next_id(id, &id)) {
		struct bpf_btf_info info = { 0 };
		__u32 len = sizeof(info);
		char name[64] = "";
		int fd;

		fd = bpf_btf_get_fd_by_id(id);
		if (fd < 0)
			continue;
		info.name = (__u64)(unsigned long)name;
		info.name_len = sizeof(name);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || !info.kernel_btf ||
		    !strcmp(name, "vmlinux") || !name[0]) {
			close(fd);
			continue;
		}
		k->v[k->n].btf = btf__load_from_kernel_by_id_split(id, vmlinux);
		if (!k->v[k->n].btf) {
			close(fd);
			continue;
		}
		k->v[k->n].fd = fd;
		snprintf(k->v[k->n].name, sizeof(k->v[k->n].name), "%s", name);
		k->n++;
	}
	return 0;
}

void kbtfs_free(struct kbtfs *k)
{
	size_t i;

	/* split BTFs before their base */
	for (i = k->n; i-- > 0;) {
		btf__free(k->v[i].btf);
		if (k->v[i].fd > 0)
			close(k->v[i].fd);
	}
	k->n = 0;
}

int kbtfs_find(const struct kbtfs *k, const char *name, int kind, int *fd,
	       const char **where)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		int id = btf__find_by_name_kind(k->v[i].btf, name, kind);

		if (id > 0) {
			if (fd)
				*fd = k->v[i].fd;
			if (where)
				*where = k->v[i].name;
			return id;
		}
	}
	return -ENOENT;
}

int bpf_trial_attach(int btf_id, int btf_fd, enum bpf_attach_type type)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = type,
		    .attach_btf_id = btf_id, .attach_btf_obj_fd = btf_fd);
	int prog, link, err = 0;

	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "svmtop_trial", "GPL",
			     insns, 2, &opts);
	if (prog < 0)
		return -errno;
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0)
		err = -errno;
	else
		close(link);
	close(prog);
	return err;
}

#define KSYM_MAX 64
static const char *ksym_names[KSYM_MAX];
static bool ksym_found[KSYM_MAX];
static size_t ksym_n;
static bool ksym_scanned;

void ksym_want(const char *const *names, size_t n)
{
	size_t i, j;

	for (i = 0; i < n && ksym_n < KSYM_MAX; i++) {
		for (j = 0; j < ksym_n; j++)
			if (!strcmp(ksym_names[j], names[i]))
				break;
		if (j == ksym_n) {
			ksym_names[ksym_n++] = names[i];
			ksym_scanned = false;
		}
	}
}

/* One pass over /proc/kallsyms (large, slow under emulation). */
bool ksym_exists(const char *func)
{
	char line[512], name[256];
	size_t i;
	FILE *f;

	ksym_want(&func, 1);
	if (!ksym_scanned) {
		ksym_scanned = true;
		memset(ksym_found, 0, sizeof(ksym_found));
		f = fopen("/proc/kallsyms", "re");
		while (f && fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%*s %*s %255s", name) != 1)
				continue;
			for (i = 0; i < ksym_n; i++)
				if (!strcmp(name, ksym_names[i]))
					ksym_found[i] = true;
		}
		if (f)
			fclose(f);
	}
	for (i = 0; i < ksym_n; i++)
		if (!strcmp(func, ksym_names[i]))
			return ksym_found[i];
	return false;
}

/* kprobes through the perf PMU (libbpf's default) or legacy tracefs. */
bool kprobes_supported(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", R_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", W_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", W_OK);
}

bool bpf_caps(void)
{
	unsigned long long eff = 0;
	char line[256];
	FILE *f;

	if (geteuid() == 0)
		return true;
	f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> 21 & 1) || ((eff >> 38 & 1) && (eff >> 39 & 1));
}
