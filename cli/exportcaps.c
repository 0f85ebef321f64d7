// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dropping capabilities after `svmtop export` has attached its BPF
 * programs and opened the debugfs files: from then on it only reads maps
 * through descriptors it holds and pread()s files it has open, which need
 * no privilege (Linux >= 6.5 checks BPF privileges at map creation and
 * program load, not at map lookup), so a compromised exporter holds no
 * CAP_BPF / CAP_PERFMON / CAP_SYS_ADMIN.  Raw capget/capset (no libcap
 * dependency): capabilities are per thread, so call before pthread_create.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "export.h"

static int cap_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d) ? -errno : 0;
}

uint64_t caps_permitted(void)
{
	struct __user_cap_data_struct d[2];

	if (cap_get(d))
		return 0;
	return (uint64_t)d[1].permitted << 32 | d[0].permitted;
}

int caps_set(uint64_t keep_effective, uint64_t keep_permitted)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint64_t perm = caps_permitted();

	keep_permitted &= perm;
	keep_effective &= keep_permitted;
	/* ambient capabilities must go first: they need permitted ones */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL)
		return -errno;
	memset(d, 0, sizeof(d));
	d[0].effective = (uint32_t)keep_effective;
	d[1].effective = (uint32_t)(keep_effective >> 32);
	d[0].permitted = (uint32_t)keep_permitted;
	d[1].permitted = (uint32_t)(keep_permitted >> 32);
	/* inheritable: none, nothing is executed */
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

char *caps_names(char *buf, size_t len, uint64_t mask)
{
	static const struct { int cap; const char *name; } known[] = {
		{ CAP_DAC_OVERRIDE, "cap_dac_override" },
		{ CAP_DAC_READ_SEARCH, "cap_dac_read_search" },
		{ CAP_NET_BIND_SERVICE, "cap_net_bind_service" },
		{ CAP_SYS_ADMIN, "cap_sys_admin" },
		{ CAP_SYS_RESOURCE, "cap_sys_resource" },
		{ CAP_PERFMON, "cap_perfmon" },
		{ CAP_BPF, "cap_bpf" },
	};
	size_t i, o = 0;
	int others = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (mask & (1ULL << known[i].cap)) {
			o += snprintf(buf + o, o < len ? len - o : 0, "%s%s",
				      o ? "," : "", known[i].name);
			mask &= ~(1ULL << known[i].cap);
		}
	while (mask) {
		others += mask & 1;
		mask >>= 1;
	}
	if (others)
		o += snprintf(buf + o, o < len ? len - o : 0, "%s%d more",
			      o ? " and " : "", others);
	if (!o)
		snprintf(buf, len, "none");
	return buf;
}
