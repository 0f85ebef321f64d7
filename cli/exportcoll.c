// SPDX-License-Identifier: GPL-2.0-only
/*
 * `svmtop export` collectors: the xe GT stats in debugfs and the generic
 * HMM BPF backend.  Each reuses the Prometheus families of its `svmtop
 * stat` counterpart (stat_write_prom_families, hmm_write_prom_families),
 * so stat --prom, stat --bpf --prom and export name everything alike.
 *
 * A new source (the xe BPF backends, kernel tracepoints) is one more
 * struct collector_ops here and one line in cli/export.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "export.h"
#include "gtstats.h"
#include "stat.h"

/* ---- xe GT stats (debugfs) ---------------------------------------------- */

struct gt_priv {
	struct gt_list l;
	int *fd;			/* opened once; -errno if not */
	struct stat_gt_sample *cur;
	int *last_err;
	bool *parsed_once;
};

struct parse_ctx {
	const char *path;
	bool quiet;
};

static void parse_err(void *ctx, unsigned int line, const char *msg)
{
	struct parse_ctx *p = ctx;

	if (!p->quiet)
		fprintf(stderr, "svmtop: %s:%u: %s\n", p->path, line, msg);
}

static void gt_close(struct collector *c)
{
	struct gt_priv *p = c->priv;
	size_t g;

	if (!p)
		return;
	for (g = 0; g < p->l.n; g++) {
		if (p->fd && p->fd[g] >= 0)
			close(p->fd[g]);
		if (p->cur)
			gtstats_free(&p->cur[g].st);
	}
	free(p->fd);
	free(p->cur);
	free(p->last_err);
	free(p->parsed_once);
	gtdisc_free(&p->l);
	free(p);
	c->priv = NULL;
}

static int gt_open(struct collector *c, const struct export_opts *o)
{
	struct gt_priv *p = calloc(1, sizeof(*p));
	const char *root = o->debugfs;
	enum gtdisc_result r;
	size_t g;

	if (!p)
		return -ENOMEM;
	c->priv = p;
	r = gtdisc_find(root, !o->debugfs_given, &p->l);
	switch (r) {
	case GTDISC_OK:
		break;
	case GTDISC_NOROOT:
	case GTDISC_NOTDEBUGFS:
		snprintf(c->why, sizeof(c->why), o->debugfs_given ?
			 "%s: no debugfs tree there (--debugfs wants a debugfs root or a copy of one)" :
			 "debugfs is not mounted at %s: mount -t debugfs none /sys/kernel/debug",
			 root);
		goto fail;
	case GTDISC_NOPERM:
		snprintf(c->why, sizeof(c->why),
			 "permission denied reading %s/dri: run as root (CAP_DAC_READ_SEARCH)",
			 root);
		goto fail;
	case GTDISC_NODEVICE:
		snprintf(c->why, sizeof(c->why),
			 "no DRM device under %s/dri: no GPU, or its driver is not loaded",
			 root);
		goto fail;
	case GTDISC_NOSTATS:
		snprintf(c->why, sizeof(c->why),
			 "no GT stats under %s/dri (driver %s): they need the xe driver and CONFIG_DEBUG_FS",
			 root, p->l.first_driver);
		goto fail;
	default:
		snprintf(c->why, sizeof(c->why), "out of memory");
		goto fail;
	}
	p->fd = calloc(p->l.n, sizeof(*p->fd));
	p->cur = calloc(p->l.n, sizeof(*p->cur));
	p->last_err = calloc(p->l.n, sizeof(*p->last_err));
	p->parsed_once = calloc(p->l.n, sizeof(*p->parsed_once));
	if (!p->fd || !p->cur || !p->last_err || !p->parsed_once) {
		snprintf(c->why, sizeof(c->why), "out of memory");
		goto fail;
	}
	/* Opened now, while privileged; read with pread ever after. */
	for (g = 0; g < p->l.n; g++) {
		p->fd[g] = open(p->l.v[g].path, O_RDONLY | O_CLOEXEC);
		if (p->fd[g] < 0)
			p->fd[g] = -errno;
	}
	return 0;
fail:
	gt_close(c);
	return -ENOENT;
}

static int gt_collect(struct collector *c, FILE *f)
{
	struct gt_priv *p = c->priv;
	struct stat_sample s = { 0 };
	size_t g, ok = 0;
	int first_err = 0;

	for (g = 0; g < p->l.n; g++) {
		struct parse_ctx pc = { p->l.v[g].path, p->parsed_once[g] };
		int err = p->fd[g] < 0 ? p->fd[g] :
			  gtstats_read_fd(p->fd[g], &p->cur[g].st, parse_err,
					  &pc);

		p->cur[g].err = err;
		if (err && err != p->last_err[g])
			fprintf(stderr, "svmtop: %s: %s%s\n", p->l.v[g].path,
				strerror(-err),
				err == -EACCES || err == -EPERM ?
					"; svmtop export needs root (or CAP_DAC_READ_SEARCH) when it starts" :
					"");
		else if (!err && p->last_err[g])
			fprintf(stderr, "svmtop: %s: readable again\n",
				p->l.v[g].path);
		p->last_err[g] = err;
		if (err) {
			if (!first_err)
				first_err = err;
			continue;
		}
		p->parsed_once[g] = true;
		ok++;
	}
	if (!ok) {
		snprintf(c->why, sizeof(c->why),
			 "no GT stats file could be read: %s",
			 strerror(-first_err));
		return first_err;
	}
	c->why[0] = '\0';
	s.gts = &p->l;
	s.cur = p->cur;
	stat_write_prom_families(f, &s);
	return 0;
}

const struct collector_ops export_gt_collector = {
	.name = "gt",
	.open = gt_open,
	.collect = gt_collect,
	.close = gt_close,
};

/* ---- generic HMM layer (BPF) -------------------------------------------- */

struct hmm_priv {
	struct hmm_backend *b;
	struct hmm_snapshot snap;
	int nprocs;
};

static int hmm_open(struct collector *c, const struct export_opts *o)
{
	struct hmm_priv *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return -ENOMEM;
	p->nprocs = o->per_process;
	/* hmm_backend_open prints the one line that says why it failed */
	r = hmm_backend_open(&o->hmm, &p->b);
	if (r != EXIT_OK) {
		snprintf(c->why, sizeof(c->why), "%s",
			 r == EXIT_NOPERM ? "the HMM BPF backend needs root (CAP_BPF, CAP_PERFMON)" :
			 r == EXIT_NOBPF ? "the HMM BPF backend could not attach (see the line above)" :
					   "the HMM BPF backend failed to load (see the line above)");
		/* already said: do not log it a second time */
		snprintf(c->logged, sizeof(c->logged), "%s", c->why);
		free(p);
		return -ENOENT;
	}
	c->priv = p;
	return 0;
}

static int hmm_collect(struct collector *c, FILE *f)
{
	struct hmm_priv *p = c->priv;
	const struct hmm_target *t = hmm_backend_targets(p->b);
	const struct hmm_health *h;
	size_t i;
	int r;

	hmm_snapshot_free(&p->snap);
	r = hmm_backend_read(p->b, &p->snap);
	if (r) {
		snprintf(c->why, sizeof(c->why),
			 "reading the HMM BPF maps failed: %s", strerror(-r));
		return r;
	}
	c->why[0] = '\0';
	c->n_probes = 0;
	for (i = 0; i < HMM_N_TARGETS && i < EXPORT_MAX_PROBES; i++) {
		c->probes[i].probe = t[i].func;
		c->probes[i].kind = hmm_kind_name(t[i].kind);
		c->probes[i].attached = t[i].kind != HMM_KIND_NONE;
		c->n_probes++;
	}
	h = &p->snap.health;
	c->has_loss = true;
	c->lost = h->proc_lost + h->call_stash_full + h->call_lost_return +
		  h->call_orphan_return + h->mig_pending_full + h->mig_orphan +
		  h->mig_count_truncated;
	c->overflow = h->proc_overflow;
	hmm_write_prom_families(f, &p->snap, t, p->nprocs, false);
	return 0;
}

static void hmm_close(struct collector *c)
{
	struct hmm_priv *p = c->priv;

	if (!p)
		return;
	hmm_snapshot_free(&p->snap);
	hmm_backend_close(p->b);
	free(p);
	c->priv = NULL;
}

const struct collector_ops export_hmm_collector = {
	.name = "hmm",
	.open = hmm_open,
	.collect = hmm_collect,
	.close = hmm_close,
};
