// SPDX-License-Identifier: GPL-2.0-only
/*
 * Discovery over the fixture trees: both dri layouts, symlinks followed
 * but each GT counted once, several devices and tiles, entries that are
 * not devices ignored, deterministic order, and the error results.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "gtstats.h"

static void expect_gt(const struct gt_source *g, const char *device,
		      const char *driver, int minor, int tile, int gt,
		      const char *path)
{
	assert_string_equal(g->device, device);
	assert_string_equal(g->driver, driver);
	assert_int_equal(g->minor, minor);
	assert_int_equal(g->tile, tile);
	assert_int_equal(g->gt, gt);
	assert_string_equal(g->path, path);
}

static void t_v615_old_layout(void **state)
{
	struct gt_list l;

	assert_int_equal(gtdisc_find(FIXTURES "/v6.15", false, &l), GTDISC_OK);
	/* dri/0 (two GTs); dri/128, the render minor of the same device
	 * (same BDF in its name file), is not counted again */
	assert_int_equal(l.n_devices, 1);
	assert_int_equal(l.n, 2);
	expect_gt(&l.v[0], "0000:00:02.0", "xe", 0, -1, 0,
		  FIXTURES "/v6.15/dri/0/gt0/stats");
	expect_gt(&l.v[1], "0000:00:02.0", "xe", 0, -1, 1,
		  FIXTURES "/v6.15/dri/0/gt1/stats");
	gtdisc_free(&l);
}

static void t_newest_symlinks(void **state)
{
	struct gt_list l;

	/* dri/0 -> 0000:03:00.0 and gt0 -> tile0/gt0: three paths, one GT */
	assert_int_equal(gtdisc_find(FIXTURES "/newest", false, &l), GTDISC_OK);
	assert_int_equal(l.n_devices, 1);
	assert_int_equal(l.n, 1);
	expect_gt(&l.v[0], "0000:03:00.0", "xe", 0, 0, 0,
		  FIXTURES "/newest/dri/0/tile0/gt0/stats");
	gtdisc_free(&l);
}

static void t_two_tiles(void **state)
{
	struct gt_list l;

	/* render minor 128 links to the same device: still 2 GTs */
	assert_int_equal(gtdisc_find(FIXTURES "/two-tile", false, &l), GTDISC_OK);
	assert_int_equal(l.n_devices, 1);
	assert_int_equal(l.n, 2);
	expect_gt(&l.v[0], "0000:8c:00.0", "xe", 0, 0, 0,
		  FIXTURES "/two-tile/dri/0/tile0/gt0/stats");
	expect_gt(&l.v[1], "0000:8c:00.0", "xe", 0, 1, 1,
		  FIXTURES "/two-tile/dri/0/tile1/gt1/stats");
	gtdisc_free(&l);
}

/* The same tree copied with cp -rL: every link became a real copy. */
static void t_snapshot_cp_L(void **state)
{
	struct gt_list l;

	assert_int_equal(gtdisc_find(FIXTURES "/snapshot-cp-L", false, &l),
			 GTDISC_OK);
	assert_int_equal(l.n_devices, 1);
	assert_int_equal(l.n, 2);
	expect_gt(&l.v[0], "0000:8c:00.0", "xe", 0, 0, 0,
		  FIXTURES "/snapshot-cp-L/dri/0/tile0/gt0/stats");
	expect_gt(&l.v[1], "0000:8c:00.0", "xe", 0, 1, 1,
		  FIXTURES "/snapshot-cp-L/dri/0/tile1/gt1/stats");
	gtdisc_free(&l);
}

static void t_two_devices(void **state)
{
	struct gt_list l;

	/* i915 at minor 0 (no stats), xe at 1 and 2, dri/ttm no device */
	assert_int_equal(gtdisc_find(FIXTURES "/two-devices", false, &l),
			 GTDISC_OK);
	assert_int_equal(l.n_devices, 3);
	assert_int_equal(l.n, 2);
	expect_gt(&l.v[0], "0000:03:00.0", "xe", 1, 0, 0,
		  FIXTURES "/two-devices/dri/1/tile0/gt0/stats");
	expect_gt(&l.v[1], "0000:83:00.0", "xe", 2, 0, 0,
		  FIXTURES "/two-devices/dri/2/tile0/gt0/stats");
	gtdisc_free(&l);
}

/* No name file: driver "unknown", device named by its minor. */
static void t_missing_name(void **state)
{
	struct gt_list l;

	assert_int_equal(gtdisc_find(FIXTURES "/malformed", false, &l),
			 GTDISC_OK);
	assert_int_equal(l.n, 3);
	expect_gt(&l.v[2], "0", "unknown", 0, -1, 2,
		  FIXTURES "/malformed/dri/0/gt2/stats");
	gtdisc_free(&l);
}

static void t_errors(void **state)
{
	struct gt_list l;

	assert_int_equal(gtdisc_find(FIXTURES "/does-not-exist", false, &l),
			 GTDISC_NOROOT);
	gtdisc_free(&l);
	assert_int_equal(gtdisc_find(FIXTURES "/no-dri/README", false, &l),
			 GTDISC_NOROOT);
	gtdisc_free(&l);
	assert_int_equal(gtdisc_find(FIXTURES "/no-dri", false, &l),
			 GTDISC_NODEVICE);
	gtdisc_free(&l);
	assert_int_equal(gtdisc_find(FIXTURES "/no-device", false, &l),
			 GTDISC_NODEVICE);
	assert_int_equal(l.n_devices, 0);
	gtdisc_free(&l);
	assert_int_equal(gtdisc_find(FIXTURES "/i915-only", false, &l),
			 GTDISC_NOSTATS);
	assert_int_equal(l.n_devices, 1);
	assert_string_equal(l.first_driver, "i915");
	assert_int_equal(l.first_minor, 0);
	gtdisc_free(&l);
	/* the fixtures live on a real file system, not debugfs */
	assert_int_equal(gtdisc_find(FIXTURES "/v6.18", true, &l),
			 GTDISC_NOTDEBUGFS);
	gtdisc_free(&l);
}

static void t_parse_name(void **state)
{
	char drv[32], bdf[64];

	gtdisc_parse_name("xe dev=0000:03:00.0 unique=0000:03:00.0\n",
			  drv, sizeof(drv), bdf, sizeof(bdf));
	assert_string_equal(drv, "xe");
	assert_string_equal(bdf, "0000:03:00.0");
	/* master= between them; unique= wins over dev= */
	gtdisc_parse_name("xe dev=0000:83:00.0 master=pci:0000:83:00.0 unique=pci:0000:83:00.0",
			  drv, sizeof(drv), bdf, sizeof(bdf));
	assert_string_equal(bdf, "pci:0000:83:00.0");
	/* old kernels: no unique= */
	gtdisc_parse_name("i915 dev=0000:00:02.0\n", drv, sizeof(drv), bdf,
			  sizeof(bdf));
	assert_string_equal(drv, "i915");
	assert_string_equal(bdf, "0000:00:02.0");
	/* driver only */
	gtdisc_parse_name("virtio_gpu", drv, sizeof(drv), bdf, sizeof(bdf));
	assert_string_equal(drv, "virtio_gpu");
	assert_string_equal(bdf, "");
	/* empty file, and a label where the driver should be */
	gtdisc_parse_name("", drv, sizeof(drv), bdf, sizeof(bdf));
	assert_string_equal(drv, "");
	gtdisc_parse_name("dev=0000:01:00.0", drv, sizeof(drv), bdf, sizeof(bdf));
	assert_string_equal(drv, "");
	assert_string_equal(bdf, "0000:01:00.0");
	/* "xdev=" is not "dev=" */
	gtdisc_parse_name("xe xdev=1 dev=2", drv, sizeof(drv), bdf, sizeof(bdf));
	assert_string_equal(bdf, "2");
	/* overlong driver name is truncated, not overflowed */
	gtdisc_parse_name("abcdefghijklmnopqrstuvwxyzabcdefghijklmnop dev=1",
			  drv, 8, bdf, sizeof(bdf));
	assert_string_equal(drv, "abcdefg");
}

/* A device reached only through its BDF directory (no minor link). */
static void t_bdf_without_minor(void **state)
{
	char tmpl[] = "/tmp/svmtop-disc-XXXXXX", p[512];
	struct gt_list l;
	FILE *f;

	assert_non_null(mkdtemp(tmpl));
	snprintf(p, sizeof(p), "mkdir -p %s/dri/0000:05:00.0/tile0/gt3", tmpl);
	assert_int_equal(system(p), 0);
	snprintf(p, sizeof(p), "%s/dri/0000:05:00.0/tile0/gt3/stats", tmpl);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("svm_pagefault_count: 5\n", f);
	fclose(f);
	assert_int_equal(gtdisc_find(tmpl, false, &l), GTDISC_OK);
	assert_int_equal(l.n, 1);
	expect_gt(&l.v[0], "0000:05:00.0", "unknown", -1, 0, 3, p);
	gtdisc_free(&l);
	snprintf(p, sizeof(p), "rm -rf %s", tmpl);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_v615_old_layout),
		cmocka_unit_test(t_newest_symlinks),
		cmocka_unit_test(t_two_tiles),
		cmocka_unit_test(t_snapshot_cp_L),
		cmocka_unit_test(t_two_devices),
		cmocka_unit_test(t_missing_name),
		cmocka_unit_test(t_errors),
		cmocka_unit_test(t_parse_name),
		cmocka_unit_test(t_bdf_without_minor),
	};

	return cmocka_run_group_tests_name("gtdisc", tests, NULL, NULL);
}
