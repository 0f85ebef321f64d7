// SPDX-License-Identifier: GPL-2.0-only
/*
 * Discovery of xe GT stats files under a debugfs root.
 *
 * Two layouts exist in the wild:
 *   old: dri/<minor>/gt<N>/stats                   (real directories)
 *   new: dri/<BDF>/tile<T>/gt<N>/stats, with dri/<minor> -> <BDF> and
 *        dri/<BDF>/gt<N> -> tile<T>/gt<N> symlinks
 * Walking every path would count a GT two or three times, so each stats file
 * is identified by st_dev/st_ino (debugfs gives every file its own inode)
 * and kept once; tiles are walked first so the tile number is known.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "gtstats.h"

/* a/b into buf[PATH_MAX]; false when it does not fit (entry skipped) */
static bool pjoin(char *buf, const char *a, const char *b)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", a, b);

	return n >= 0 && n < PATH_MAX;
}

struct devdir {
	char name[256];		/* entry of dri/ used to reach it */
	char real[256];		/* entry that is the real directory, if any */
	dev_t dev;
	ino_t ino;
	int minor;
};

/* "<prefix><digits>" -> digits as int, else -1. */
static int numbered(const char *s, const char *prefix)
{
	size_t pl = strlen(prefix);
	long v;
	char *end;

	if (strncmp(s, prefix, pl) || !isdigit((unsigned char)s[pl]))
		return -1;
	errno = 0;
	v = strtol(s + pl, &end, 10);
	if (*end || errno || v > 1000000)
		return -1;
	return (int)v;
}

void gtdisc_parse_name(const char *body, char *driver, size_t dlen,
		       char *bdf, size_t blen)
{
	const char *p = body, *s;
	size_t n;

	driver[0] = '\0';
	bdf[0] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	for (s = p; *p && !isspace((unsigned char)*p); p++)
		;
	n = p - s;
	/* A first word with '=' is a label, not a driver name. */
	if (n && !memchr(s, '=', n)) {
		if (n >= dlen)
			n = dlen - 1;
		memcpy(driver, s, n);
		driver[n] = '\0';
	}
	/* Prefer unique= (the bus id DRM uses), fall back to dev=. */
	for (int pass = 0; pass < 2 && !bdf[0]; pass++) {
		const char *key = pass ? "dev=" : "unique=";

		for (p = body; (p = strstr(p, key)); p++) {
			if (p != body && !isspace((unsigned char)p[-1]))
				continue;
			s = p + strlen(key);
			for (p = s; *p && !isspace((unsigned char)*p); p++)
				;
			n = p - s;
			if (n >= blen)
				n = blen - 1;
			memcpy(bdf, s, n);
			bdf[n] = '\0';
			break;
		}
	}
}

static void read_name_file(const char *dir, char *driver, size_t dlen,
			   char *bdf, size_t blen, bool *found)
{
	char path[PATH_MAX], body[512];
	FILE *f;
	size_t n;

	*found = false;
	driver[0] = bdf[0] = '\0';
	if (!pjoin(path, dir, "name"))
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	n = fread(body, 1, sizeof(body) - 1, f);
	fclose(f);
	body[n] = '\0';
	*found = true;
	gtdisc_parse_name(body, driver, dlen, bdf, blen);
}

/*
 * GTs of the device being scanned start at l->n_scan_first.  A GT id is
 * unique within a device, which also dedupes snapshots copied with
 * symlinks dereferenced (cp -rL), where gt0 and tile0/gt0 are two files.
 */
static int add_gt(struct gt_list *l, const char *path, const struct stat *st,
		  int tile, int gt, size_t first)
{
	struct gt_source *g;
	size_t i;

	for (i = 0; i < l->n; i++)
		if ((l->v[i].st_dev == st->st_dev &&
		     l->v[i].st_ino == st->st_ino) ||
		    (i >= first && l->v[i].gt == gt))
			return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct gt_source *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	g = &l->v[l->n++];
	memset(g, 0, sizeof(*g));
	snprintf(g->path, sizeof(g->path), "%s", path);
	g->tile = tile;
	g->gt = gt;
	g->st_dev = st->st_dev;
	g->st_ino = st->st_ino;
	return 1;
}

/* Try <dir>/gt<N>/stats; returns 1 if added, 0 if absent/dup, -ENOMEM. */
static int try_gt(struct gt_list *l, const char *dir, const char *gtname,
		  int tile, int gt, size_t first)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s/stats", dir, gtname) >=
	    (int)sizeof(path))
		return 0;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	return add_gt(l, path, &st, tile, gt, first);
}

/* tile number from a gt<N> symlink target such as "tile1/gt2" */
static int tile_of_link(const char *linkpath)
{
	char target[PATH_MAX], *slash;
	ssize_t n = readlink(linkpath, target, sizeof(target) - 1);

	if (n <= 0)
		return -1;
	target[n] = '\0';
	slash = strrchr(target, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	slash = strrchr(target, '/');
	return numbered(slash ? slash + 1 : target, "tile");
}

static int scan_device(struct gt_list *l, const char *dir, size_t *added)
{
	size_t first = l->n;
	struct dirent *de;
	DIR *d;
	int pass, r;

	*added = 0;
	/* Pass 0: tile<T>/gt<N> (tile known); pass 1: gt<N> at the top. */
	for (pass = 0; pass < 2; pass++) {
		d = opendir(dir);
		if (!d)
			return -errno;
		while ((de = readdir(d))) {
			int t = numbered(de->d_name, "tile");
			int g = numbered(de->d_name, "gt");
			char sub[PATH_MAX], link[PATH_MAX];

			if (pass == 0 && t >= 0) {
				struct dirent *ge;
				DIR *td;

				if (!pjoin(sub, dir, de->d_name))
					continue;
				td = opendir(sub);
				if (!td)
					continue;
				while ((ge = readdir(td))) {
					g = numbered(ge->d_name, "gt");
					if (g < 0)
						continue;
					r = try_gt(l, sub, ge->d_name, t, g, first);
					if (r < 0) {
						closedir(td);
						closedir(d);
						return r;
					}
					*added += r;
				}
				closedir(td);
			} else if (pass == 1 && g >= 0) {
				if (!pjoin(link, dir, de->d_name))
					continue;
				r = try_gt(l, dir, de->d_name, tile_of_link(link), g,
					   first);
				if (r < 0) {
					closedir(d);
					return r;
				}
				*added += r;
			}
		}
		closedir(d);
	}
	return 0;
}

static int cmp_devdir(const void *a, const void *b)
{
	const struct devdir *x = a, *y = b;

	if ((x->minor < 0) != (y->minor < 0))
		return x->minor < 0 ? 1 : -1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_gt(const void *a, const void *b)
{
	const struct gt_source *x = a, *y = b;

	if ((x->minor < 0) != (y->minor < 0))
		return x->minor < 0 ? 1 : -1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	if (strcmp(x->device, y->device))
		return strcmp(x->device, y->device);
	if (x->tile != y->tile)
		return x->tile < y->tile ? -1 : 1;
	return (x->gt > y->gt) - (x->gt < y->gt);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Collect dri/ entries that are (or lead to) directories, one per dir. */
static enum gtdisc_result list_devdirs(const char *dri, struct devdir **out,
				       size_t *nout)
{
	struct devdir *v = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d = opendir(dri);

	if (!d)
		return (errno == EACCES || errno == EPERM) ? GTDISC_NOPERM :
							      GTDISC_NODEVICE;
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		struct stat st, lst;
		int minor;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= 256)
			continue;
		if (!pjoin(path, dri, de->d_name) || stat(path, &st) || !S_ISDIR(st.st_mode) ||
		    lstat(path, &lst))
			continue;
		minor = all_digits(de->d_name) ? atoi(de->d_name) : -1;
		for (i = 0; i < n; i++)
			if (v[i].dev == st.st_dev && v[i].ino == st.st_ino)
				break;
		if (i == n) {
			if (n == cap) {
				struct devdir *nv;

				cap = cap ? cap * 2 : 8;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					free(v);
					closedir(d);
					return GTDISC_NOMEM;
				}
				v = nv;
			}
			memset(&v[n], 0, sizeof(v[n]));
			snprintf(v[n].name, sizeof(v[n].name), "%s", de->d_name);
			v[n].dev = st.st_dev;
			v[n].ino = st.st_ino;
			v[n].minor = minor;
			n++;
		} else if (minor >= 0 &&
			   (v[i].minor < 0 || minor < v[i].minor)) {
			/* Reach the device by its minor: the path users know. */
			v[i].minor = minor;
			snprintf(v[i].name, sizeof(v[i].name), "%s", de->d_name);
		}
		if (!S_ISLNK(lst.st_mode))
			snprintf(v[i].real, sizeof(v[i].real), "%s", de->d_name);
	}
	closedir(d);
	*out = v;
	*nout = n;
	return GTDISC_OK;
}

enum gtdisc_result gtdisc_find(const char *root, bool require_debugfs,
			       struct gt_list *out)
{
	char dri[PATH_MAX], dir[PATH_MAX];
	struct devdir *dd = NULL;
	char (*seen)[64];
	size_t ndd = 0, nseen = 0, i, j;
	enum gtdisc_result res;
	struct statfs sfs;
	struct stat st;

	memset(out, 0, sizeof(*out));
	out->first_minor = -1;
	if (stat(root, &st))
		return (errno == EACCES || errno == EPERM) ? GTDISC_NOPERM :
							      GTDISC_NOROOT;
	if (!S_ISDIR(st.st_mode))
		return GTDISC_NOROOT;
	if (require_debugfs &&
	    (statfs(root, &sfs) || sfs.f_type != DEBUGFS_MAGIC_NUMBER))
		return GTDISC_NOTDEBUGFS;
	if (!pjoin(dri, root, "dri"))
		return GTDISC_NOROOT;
	res = list_devdirs(dri, &dd, &ndd);
	if (res != GTDISC_OK)
		return res;
	qsort(dd, ndd, sizeof(*dd), cmp_devdir);
	/* BDFs seen: a snapshot copied with cp -rL holds dri/<minor> and
	 * dri/<BDF> as two real directories of one device. */
	seen = calloc(ndd + 1, sizeof(*seen));
	if (!seen) {
		free(dd);
		return GTDISC_NOMEM;
	}

	for (i = 0; i < ndd; i++) {
		char driver[32], bdf[64];
		size_t first = out->n, added;
		bool has_name;
		int r;

		if (!pjoin(dir, dri, dd[i].name))
			continue;
		read_name_file(dir, driver, sizeof(driver), bdf, sizeof(bdf),
			       &has_name);
		for (j = 0; bdf[0] && j < nseen; j++)
			if (!strcmp(seen[j], bdf))
				break;
		if (bdf[0] && j < nseen)
			continue;	/* same device again */
		r = scan_device(out, dir, &added);
		if (r == -ENOMEM) {
			free(dd);
			free(seen);
			return GTDISC_NOMEM;
		}
		if (!has_name && !added)
			continue;	/* not a DRM device directory */
		if (bdf[0])
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", bdf);
		if (!out->n_devices++) {
			snprintf(out->first_driver, sizeof(out->first_driver),
				 "%s", driver[0] ? driver : "unknown");
			out->first_minor = dd[i].minor;
		}
		/* Device label: BDF from name, else the real dir's name. */
		if (!bdf[0] && dd[i].real[0] && !all_digits(dd[i].real))
			snprintf(bdf, sizeof(bdf), "%s", dd[i].real);
		for (j = first; j < out->n; j++) {
			struct gt_source *g = &out->v[j];

			g->minor = dd[i].minor;
			snprintf(g->driver, sizeof(g->driver), "%s",
				 driver[0] ? driver : "unknown");
			if (bdf[0])
				snprintf(g->device, sizeof(g->device), "%s", bdf);
			else if (dd[i].minor >= 0)
				snprintf(g->device, sizeof(g->device), "%d",
					 dd[i].minor);
			else
				snprintf(g->device, sizeof(g->device), "%.63s",
					 dd[i].name);
		}
	}
	free(dd);
	free(seen);
	if (!out->n_devices)
		return GTDISC_NODEVICE;
	if (!out->n)
		return GTDISC_NOSTATS;
	qsort(out->v, out->n, sizeof(*out->v), cmp_gt);
	return GTDISC_OK;
}

void gtdisc_free(struct gt_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
