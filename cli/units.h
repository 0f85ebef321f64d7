/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Units for people (table output) and exact base units (Prometheus).
 * Every function writes a NUL-terminated string into buf (truncated to len)
 * and returns buf, so calls can sit inside printf arguments.
 */
#ifndef SVMTOP_UNITS_H
#define SVMTOP_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Microseconds as a readable duration: "850us", "12.35ms", "1.235s",
 * "12m05s", "3h02m07s", "2d04h11m"; NaN or negative -> "-". */
char *units_duration_us(char *buf, size_t len, double us);

/* Bytes with binary prefixes: "512 B", "1.5 KiB", "12.0 MiB" ... "EiB". */
char *units_bytes(char *buf, size_t len, double bytes);

/* Exact decimal of v * mul / 10^decimals, trailing zeros trimmed: e.g.
 * (1500000, 1, 6) -> "1.5" seconds, (3, 1024, 0) -> "3072" bytes.  No
 * floating point, so counters convert without rounding. */
char *units_exact(char *buf, size_t len, uint64_t v, uint32_t mul,
		  unsigned int decimals);

#endif
