/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by svmtop's BPF programs (include after core/core.h).
 */
#ifndef SVMTOP_COMMON_BPF_H
#define SVMTOP_COMMON_BPF_H

/*
 * Per-CPU values still get atomic adds: tracing programs can be preempted
 * on preemptible kernels, and an exact count must not lose an increment.
 */
#define ADD(field, v) __sync_fetch_and_add(&(field), (v))

/* floor(log2(v)) clamped to slots - 1 (a power of two); 0 also in slot 0. */
static __always_inline __u32 log2_slot(__u64 v, __u32 slots)
{
	__u32 k = 0, step;

	/* Binary search for the top bit: a bounded loop the verifier likes. */
	for (step = 32; step; step >>= 1) {
		if (v >= (1ULL << step)) {
			v >>= step;
			k += step;
		}
	}
	if (k >= slots)
		k = slots - 1;
	return k & (slots - 1);
}

/* A kernel function's pointer return value holds -errno: IS_ERR(). */
static __always_inline long ptr_err(__u64 p)
{
	return p >= (__u64)-4095 ? (long)p : 0;
}

#endif
