/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xe GT stats in debugfs: the parser of one stats file and the discovery of
 * every GT's stats file under a debugfs root.
 *
 * File format (drivers/gpu/drm/xe/xe_gt_stats.c): one "<name>: <decimal>\n"
 * line per counter, in enum order; the set of names grows with the kernel,
 * so names are kept as strings and nothing is dropped.
 */
#ifndef SVMTOP_GTSTATS_H
#define SVMTOP_GTSTATS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define GTSTATS_NAME_MAX	63	/* longest accepted stat name */
#define GTSTATS_MAX_LINES	1024	/* lines parsed per file; rest ignored */
#define GTSTATS_MAX_FILE	(256 * 1024)	/* bytes read per file */

struct gt_stat {
	char name[GTSTATS_NAME_MAX + 1];
	uint64_t value;
};

/* One parse of one stats file.  Zero-initialise before first use. */
struct gt_stats {
	struct gt_stat *v;
	size_t n, cap;
	unsigned int n_bad;	/* malformed lines skipped */
};

/*
 * Called once per malformed line (1-based line number) and once when the
 * line cap is hit; msg is a short phrase without trailing newline.
 */
typedef void (*gtstats_err_fn)(void *ctx, unsigned int line, const char *msg);

/*
 * Parse buf[0..len) (need not be NUL-terminated) into out, replacing what
 * out held.  A pure function over the buffer (the fuzz target): it never
 * reads past len, accepts "name: value" with name [A-Za-z0-9_]{1,63} and a
 * decimal u64 value (or a negative s64, which the kernel's %lld prints for
 * a counter past 2^63: its bits are taken as u64), tolerates blank lines, reports and skips anything else
 * (including a last line cut short without '\n' and duplicate names).
 * Returns 0, or -ENOMEM (out then holds what was parsed so far).
 */
int gtstats_parse(const char *buf, size_t len, struct gt_stats *out,
		  gtstats_err_fn err, void *ctx);

/* Value of name in st; false when absent. */
bool gtstats_get(const struct gt_stats *st, const char *name, uint64_t *val);
const struct gt_stat *gtstats_find(const struct gt_stats *st, const char *name);
void gtstats_free(struct gt_stats *st);

/* ---- discovery ---------------------------------------------------------- */

/* One GT stats file, counted once however many paths lead to it. */
struct gt_source {
	char path[PATH_MAX];	/* as found: <root>/dri/<minor>/gt<N>/stats */
	char device[64];	/* PCI BDF when known, else the minor number */
	char driver[32];	/* first word of dri/<minor>/name, or "unknown" */
	int minor;		/* -1 when no minor entry points at the device */
	int tile;		/* -1 on the old layout (not known) */
	int gt;
	dev_t st_dev;		/* identity used to count the file once */
	ino_t st_ino;
};

struct gt_list {
	struct gt_source *v;
	size_t n, cap;
	unsigned int n_devices;	/* DRM devices seen, with or without stats */
	char first_driver[32];	/* for the "no GT stats" message */
	int first_minor;
};

enum gtdisc_result {
	GTDISC_OK = 0,
	GTDISC_NOROOT,		/* root missing or not a directory */
	GTDISC_NOTDEBUGFS,	/* require_debugfs and root is not debugfs */
	GTDISC_NOPERM,		/* EACCES/EPERM on root or dri */
	GTDISC_NODEVICE,	/* no dri/ or no device in it */
	GTDISC_NOSTATS,		/* devices, but no gt<N>/stats */
	GTDISC_NOMEM,
};

#define DEBUGFS_MAGIC_NUMBER	0x64626720

/*
 * Find every GT stats file under root/dri: dri/<minor>/gt<N>/stats (old
 * layout, real directories) and dri/<BDF>/tile<T>/gt<N>/stats (new layout,
 * dri/<minor> and gt<N> being symlinks).  Each file is counted once (by
 * st_dev/st_ino); the list is sorted by minor, tile, gt.  Entries of dri/
 * that are neither a device directory nor a symlink to one are ignored.
 * With require_debugfs, root must be a debugfs mount (statfs magic).
 */
enum gtdisc_result gtdisc_find(const char *root, bool require_debugfs,
			       struct gt_list *out);
void gtdisc_free(struct gt_list *l);

/* Parse the driver word and the BDF out of a dri/<minor>/name file body:
 * "<driver> dev=<dev> [master=<m>] unique=<unique>".  Missing parts leave
 * the outputs empty. */
void gtdisc_parse_name(const char *body, char *driver, size_t dlen,
		       char *bdf, size_t blen);

/*
 * Read and parse one stats file.  Returns 0 or -errno (open/read failure);
 * malformed lines go to err with line numbers.
 */
int gtstats_read_file(const char *path, struct gt_stats *out,
		      gtstats_err_fn err, void *ctx);
/* The same on an open descriptor, read from offset 0 (pread): repeatable. */
int gtstats_read_fd(int fd, struct gt_stats *out, gtstats_err_fn err,
		    void *ctx);

#endif
