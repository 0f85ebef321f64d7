// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exact output of every format for every fixture tree (golden files in
 * tests/fixtures/expected/), for a rates sample (deltas, a counter reset,
 * a new name) and for a GT whose read failed.
 */
#include "testutil.h"

#include "stat.h"

#define T0 1700000000.25	/* fixed wall clock: goldens stay exact */

struct snap {
	struct gt_list l;
	struct stat_gt_sample *cur;
};

static void snap_read(struct snap *s, const char *tree)
{
	char root[256];
	size_t g;

	snprintf(root, sizeof(root), FIXTURES "/%s", tree);
	assert_int_equal(gtdisc_find(root, false, &s->l), GTDISC_OK);
	s->cur = calloc(s->l.n, sizeof(*s->cur));
	assert_non_null(s->cur);
	for (g = 0; g < s->l.n; g++)
		s->cur[g].err = gtstats_read_file(s->l.v[g].path, &s->cur[g].st,
						  NULL, NULL);
}

static void snap_free(struct snap *s)
{
	size_t g;

	for (g = 0; g < s->l.n; g++)
		gtstats_free(&s->cur[g].st);
	free(s->cur);
	gtdisc_free(&s->l);
}

/*
 * build_info carries version and git revision: keep them out of goldens.
 * Masked by pattern, not by this file's macros: the library object may
 * have been compiled at another commit than the test.
 */
static void mask_label(char **out, const char *label, const char *to)
{
	char *p = strstr(*out, label), *q, *n;
	size_t ll = strlen(label), tl = strlen(to);

	if (!p || !(q = strchr(p + ll, '"')))
		return;
	n = malloc(strlen(*out) + tl + 1);
	assert_non_null(n);
	memcpy(n, *out, p + ll - *out);
	memcpy(n + (p + ll - *out), to, tl);
	strcpy(n + (p + ll - *out) + tl, q);
	free(*out);
	*out = n;
}

static void mask_revision(char **out)
{
	mask_label(out, "{version=\"", "VERSION");
	mask_label(out, ",revision=\"", "REV");
}

static void golden_all(const char *tag, const struct stat_sample *s)
{
	struct capture c;
	char name[128], *out;

	stat_write_table(capture_open(&c), s);
	out = capture_close(&c);
	snprintf(name, sizeof(name), "%s.table", tag);
	expect_golden(name, out);
	free(out);

	stat_write_json(capture_open(&c), s);
	out = capture_close(&c);
	snprintf(name, sizeof(name), "%s.json", tag);
	expect_golden(name, out);
	/* NDJSON: exactly one line per sample */
	assert_non_null(strchr(out, '\n'));
	assert_int_equal(strchr(out, '\n')[1], '\0');
	free(out);

	stat_write_prom(capture_open(&c), s);
	out = capture_close(&c);
	mask_revision(&out);
	snprintf(name, sizeof(name), "%s.prom", tag);
	expect_golden(name, out);
	free(out);

	c.f = capture_open(&c);
	stat_write_csv_header(c.f);
	stat_write_csv(c.f, s);
	out = capture_close(&c);
	snprintf(name, sizeof(name), "%s.csv", tag);
	expect_golden(name, out);
	free(out);
}

static void one_tree(const char *tree)
{
	struct snap sn;
	struct stat_sample s = { 0 };

	snap_read(&sn, tree);
	s.time = T0;
	s.gts = &sn.l;
	s.cur = sn.cur;
	golden_all(tree, &s);
	snap_free(&sn);
}

static void t_v615(void **state) { one_tree("v6.15"); }
static void t_v618(void **state) { one_tree("v6.18"); }
static void t_newest(void **state) { one_tree("newest"); }
static void t_two_tile(void **state) { one_tree("two-tile"); }
static void t_two_devices(void **state) { one_tree("two-devices"); }
static void t_malformed(void **state) { one_tree("malformed"); }

static void set(struct gt_stats *st, const char *name, uint64_t v)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].name, name)) {
			st->v[i].value = v;
			return;
		}
	fail_msg("no stat %s", name);
}

/*
 * Rates over 2 s on the 6.18 tree: +100 4K faults taking +10000 us (avg
 * 100us, 50.0/s), +20 64K migrations taking +8000 us (400us), 2 MiB
 * copied to VRAM in 1000 us, tlb_inval_count reset to 5, and a name that
 * appears only in the second read.
 */
static void t_rates(void **state)
{
	struct snap a, b;
	struct stat_sample s = { 0 };
	struct gt_stats *c;
	struct capture cap;
	char *with_prev, *without;
	const char *extra = "svm_pagefault_count: 1\nsvm_new_thing_count: 77\n";
	struct gt_stats tmp = { 0 };

	snap_read(&a, "v6.18");
	snap_read(&b, "v6.18");
	c = &b.cur[0].st;
	set(c, "svm_pagefault_count", 1100);
	set(c, "tlb_inval_count", 5);
	set(c, "svm_4K_pagefault_count", 900);
	set(c, "svm_4K_valid_pagefault_count", 250);
	set(c, "svm_4K_pagefault_us", 106000);
	set(c, "svm_64K_migrate_count", 140);
	set(c, "svm_64K_migrate_us", 44000);
	set(c, "svm_device_copy_kb", 409600 + 2048);
	set(c, "svm_device_copy_us", 51000);
	/* append a new name the way a newer kernel would */
	assert_int_equal(gtstats_parse(extra, strlen(extra), &tmp, NULL, NULL), 0);
	c->v = realloc(c->v, (c->n + 1) * sizeof(*c->v));
	c->v[c->n++] = tmp.v[1];
	gtstats_free(&tmp);

	s.seq = 1;
	s.time = T0 + 2;
	s.interval = 2.0;
	s.gts = &b.l;
	s.cur = b.cur;
	s.prev = a.cur;
	golden_all("rates-v6.18", &s);

	/* Prometheus stays cumulative: same bytes with and without prev */
	stat_write_prom(capture_open(&cap), &s);
	with_prev = capture_close(&cap);
	s.prev = NULL;
	s.interval = 0;
	stat_write_prom(capture_open(&cap), &s);
	without = capture_close(&cap);
	assert_string_equal(with_prev, without);
	free(with_prev);
	free(without);
	snap_free(&a);
	snap_free(&b);
}

/* A GT whose read failed is shown as such, never as zeros. */
static void t_read_error(void **state)
{
	struct snap sn;
	struct stat_sample s = { 0 };

	snap_read(&sn, "two-tile");
	gtstats_free(&sn.cur[1].st);
	sn.cur[1].err = -EACCES;
	s.time = T0;
	s.gts = &sn.l;
	s.cur = sn.cur;
	golden_all("read-error", &s);
	snap_free(&sn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_v615),
		cmocka_unit_test(t_v618),
		cmocka_unit_test(t_newest),
		cmocka_unit_test(t_two_tile),
		cmocka_unit_test(t_two_devices),
		cmocka_unit_test(t_malformed),
		cmocka_unit_test(t_rates),
		cmocka_unit_test(t_read_error),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
