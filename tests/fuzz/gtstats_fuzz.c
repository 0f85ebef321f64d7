// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the GT stats parser, and for everything that
 * consumes its result: derived figures and the four output writers (they
 * see names and values an attacker-free but buggy kernel could produce).
 *
 * The input is split in two at the first 0xff byte (not valid in a stats
 * file anyway): the first part is the current read, the second the
 * previous one, so rates, resets and interval figures get fuzzed too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtstats.h"
#include "stat.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct gt_stats *st, size_t len)
{
	size_t i;

	/* invariants the rest of svmtop relies on */
	if (st->n > GTSTATS_MAX_LINES || st->n > len / 3 + 1)
		__builtin_trap();
	for (i = 0; i < st->n; i++) {
		size_t nl = strlen(st->v[i].name);

		if (nl == 0 || nl > GTSTATS_NAME_MAX ||
		    strspn(st->v[i].name, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != nl)
			__builtin_trap();
	}
}

/*
 * Round trip: what was accepted, printed back the way the kernel prints
 * it, must parse to exactly the same names and values, with no complaint.
 */
static void round_trip(const struct gt_stats *st)
{
	struct gt_stats again = { 0 };
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	for (i = 0; i < st->n; i++)
		fprintf(f, "%s: %llu\n", st->v[i].name,
			(unsigned long long)st->v[i].value);
	fclose(f);
	if (gtstats_parse(buf, len, &again, NULL, NULL) == 0) {
		if (again.n != st->n || again.n_bad)
			__builtin_trap();
		for (i = 0; i < st->n; i++)
			if (strcmp(again.v[i].name, st->v[i].name) ||
			    again.v[i].value != st->v[i].value)
				__builtin_trap();
	}
	free(buf);
	gtstats_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *sep = memchr(buf, 0xff, size);
	size_t len1 = sep ? (size_t)(sep - buf) : size;
	struct gt_stats cur = { 0 }, prev = { 0 };
	struct stat_gt_sample cs = { 0 }, ps = { 0 };
	struct gt_source src = {
		.path = "fuzz/dri/0/gt0/stats", .device = "0000:03:00.0",
		.driver = "xe", .minor = 0, .tile = 0, .gt = 0,
	};
	struct gt_list l = { .v = &src, .n = 1 };
	struct stat_sample s = { .time = 1.5, .gts = &l };

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (gtstats_parse(buf, len1, &cur, NULL, NULL))
		goto out;
	check(&cur, len1);
	round_trip(&cur);
	cs.st = cur;
	s.cur = &cs;
	if (sep) {
		if (gtstats_parse(sep + 1, size - len1 - 1, &prev, NULL, NULL))
			goto out;
		check(&prev, size - len1 - 1);
		ps.st = prev;
		s.prev = &ps;
		s.interval = 0.75;
	}
	stat_write_table(devnull, &s);
	stat_write_json(devnull, &s);
	stat_write_prom(devnull, &s);
	stat_write_csv(devnull, &s);
out:
	gtstats_free(&cur);
	gtstats_free(&prev);
	return 0;
}
