// SPDX-License-Identifier: GPL-2.0-only
/*
 * `svmtop stat`: the xe GT stats of every GPU, as a table, NDJSON,
 * Prometheus text or CSV, once or as rates over intervals.
 *
 * Rates are right from the first report: a baseline is read before the
 * first interval and each report shows the change since the one before.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "exitcodes.h"
#include "hmm.h"
#include "stat.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: svmtop stat [OPTIONS] [INTERVAL [COUNT]]\n"
"Show the xe GT stats of every GPU (SVM page faults, migrations, copies,\n"
"TLB invalidations) from debugfs, with units made readable and the figures\n"
"people compute by hand: average fault latency and valid-fault ratio per\n"
"page size, average migration time, copy throughput, TLB invalidation\n"
"average.\n\n"
"Options:\n"
"  -i, --interval SECS  report per-second rates every SECS seconds\n"
"  -n, --count N        stop after N reports (default: until interrupted)\n"
"      --json           NDJSON: one object per sample, flushed per line\n"
"      --prom           Prometheus text format 0.0.4 (cumulative counters,\n"
"                       base units; with -i one exposition per interval,\n"
"                       separated by a blank line)\n"
"      --csv            CSV: one row per sample, GT and stat\n"
"      --reset          zero the counters (newer kernels only) and exit\n"
"      --debugfs DIR    debugfs root to read (default %s),\n"
"                       or a copied snapshot (man svmtop: FILES)\n"
"      --bpf            HMM counters per process from BPF probes\n"
"                       (see svmtop stat --bpf --help)\n"
"  -h, --help           this help\n\n"
"Examples:\n"
"  sudo svmtop stat                     # table of every GPU's GT stats\n"
"  sudo svmtop stat -i 1 -n 10          # per-second rates, ten reports\n"
"  sudo svmtop stat --json -i 5         # NDJSON every 5 s\n"
"  sudo svmtop stat --prom > /var/lib/node_exporter/svmtop.prom.tmp &&\n"
"    mv /var/lib/node_exporter/svmtop.prom.tmp \\\n"
"       /var/lib/node_exporter/svmtop.prom\n"
"  sudo svmtop stat --reset             # zero the counters\n"
"  svmtop stat --debugfs ./snapshot     # read a copied debugfs tree\n\n"
"Exit codes: 0 ok, 1 error, 2 usage, 3 not permitted (run as root),\n"
"4 debugfs not mounted, 5 no DRM device, 6 no GT stats,\n"
"7 counters not resettable on this kernel.\n",
		STAT_DEFAULT_DEBUGFS);
}

static int parse_interval(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0.01 && v <= 86400)) {
		fprintf(stderr, "svmtop: bad interval '%s': give seconds between 0.01 and 86400\n",
			s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_count(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1) {
		fprintf(stderr, "svmtop: bad count '%s': give a number >= 1\n", s);
		return -1;
	}
	*out = v;
	return 0;
}

enum { OPT_JSON = 256, OPT_PROM, OPT_CSV, OPT_RESET, OPT_DEBUGFS };

int stat_parse_args(int argc, char **argv, struct stat_opts *o)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "prom", no_argument, NULL, OPT_PROM },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "reset", no_argument, NULL, OPT_RESET },
		{ "debugfs", required_argument, NULL, OPT_DEBUGFS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, formats = 0;

	memset(o, 0, sizeof(*o));
	o->debugfs = STAT_DEFAULT_DEBUGFS;
	optind = 0;	/* 0, not 1: glibc then also resets its internal state */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+i:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (parse_interval(optarg, &o->interval))
				return -1;
			break;
		case 'n':
			if (parse_count(optarg, &o->count))
				return -1;
			break;
		case OPT_JSON:
			o->format = STAT_FMT_JSON;
			formats++;
			break;
		case OPT_PROM:
			o->format = STAT_FMT_PROM;
			formats++;
			break;
		case OPT_CSV:
			o->format = STAT_FMT_CSV;
			formats++;
			break;
		case OPT_RESET:
			o->reset = true;
			break;
		case OPT_DEBUGFS:
			o->debugfs = optarg;
			o->debugfs_given = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "svmtop: stat: bad option '%s'; see 'svmtop stat --help'\n",
				argv[optind - 1]);
			return -1;
		}
	}
	/* libbpf-tools style positional [interval [count]] */
	if (optind < argc && parse_interval(argv[optind++], &o->interval))
		return -1;
	if (optind < argc && parse_count(argv[optind++], &o->count))
		return -1;
	if (optind < argc) {
		fprintf(stderr, "svmtop: stat: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (formats > 1) {
		fprintf(stderr, "svmtop: stat: choose one of --json, --prom, --csv\n");
		return -1;
	}
	if (o->count && !o->interval) {
		fprintf(stderr, "svmtop: stat: -n needs -i SECS\n");
		return -1;
	}
	return 0;
}

/* One line per failure of discovery, with the fix; returns EXIT_*. */
static int discovery_error(enum gtdisc_result r, const struct stat_opts *o,
			   const struct gt_list *l)
{
	const char *root = o->debugfs;

	switch (r) {
	case GTDISC_NOROOT:
		if (o->debugfs_given) {
			fprintf(stderr, "svmtop: %s: no such directory; --debugfs wants a debugfs root or a copy of one (holding dri/)\n",
				root);
			return EXIT_NODEBUGFS;
		}
		/* fall through */
	case GTDISC_NOTDEBUGFS:
		fprintf(stderr, "svmtop: debugfs is not mounted at %s; mount it: mount -t debugfs none %s\n",
			root, root);
		return EXIT_NODEBUGFS;
	case GTDISC_NOPERM:
		fprintf(stderr, "svmtop: permission denied reading %s/dri: run as root (sudo svmtop stat)\n",
			root);
		return EXIT_NOPERM;
	case GTDISC_NODEVICE:
		fprintf(stderr, "svmtop: no DRM device under %s/dri: load the GPU driver (modprobe xe) or check that a GPU is present\n",
			root);
		return EXIT_NODEVICE;
	case GTDISC_NOSTATS:
		fprintf(stderr, "svmtop: no GT stats under %s/dri (driver %s, minor %d): they need the xe driver and a kernel built with CONFIG_DEBUG_FS\n",
			root, l->first_driver, l->first_minor);
		return EXIT_NOSTATS;
	case GTDISC_NOMEM:
		fprintf(stderr, "svmtop: out of memory\n");
		return EXIT_FAIL;
	default:
		return EXIT_OK;
	}
}

/* Per-GT state across samples, so each problem is reported once. */
struct gt_state {
	bool parsed_once;
	int last_err;
};

struct read_ctx {
	const char *path;
	bool quiet;
};

static void parse_err(void *ctx, unsigned int line, const char *msg)
{
	struct read_ctx *c = ctx;

	if (!c->quiet)
		fprintf(stderr, "svmtop: %s:%u: %s\n", c->path, line, msg);
}

/* Read every GT; returns how many were read. */
static size_t read_all(const struct gt_list *l, struct stat_gt_sample *v,
		       struct gt_state *state)
{
	size_t g, ok = 0;

	for (g = 0; g < l->n; g++) {
		struct read_ctx c = { l->v[g].path, state[g].parsed_once };
		int err = gtstats_read_file(l->v[g].path, &v[g].st,
					    parse_err, &c);

		v[g].err = err;
		if (err && err != state[g].last_err)
			fprintf(stderr, "svmtop: %s: %s%s\n", l->v[g].path,
				strerror(-err),
				(err == -EACCES || err == -EPERM) && geteuid() ?
					"; run as root" :
				err == -EPERM ?
					"; kernel lockdown blocks debugfs? (cat /sys/kernel/security/lockdown)" :
					"");
		else if (!err && state[g].last_err)
			fprintf(stderr, "svmtop: %s: readable again\n",
				l->v[g].path);
		state[g].last_err = err;
		if (!err) {
			state[g].parsed_once = true;
			ok++;
		}
	}
	return ok;
}

static int do_reset(const struct gt_list *l, FILE *out)
{
	size_t g, done = 0;
	bool perm = false;

	for (g = 0; g < l->n; g++) {
		const char *p = l->v[g].path;
		struct stat st;
		int fd;

		if (stat(p, &st) == 0 && !(st.st_mode & 0222)) {
			fprintf(stderr, "svmtop: %s is read-only (mode %04o): this kernel does not support resetting GT stats\n",
				p, st.st_mode & 07777);
			continue;
		}
		fd = open(p, O_WRONLY | O_CLOEXEC);
		if (fd >= 0 && write(fd, "1", 1) == 1) {
			close(fd);
			fprintf(out, "reset %s\n", p);
			done++;
			continue;
		}
		if ((errno == EACCES || errno == EPERM) && geteuid()) {
			fprintf(stderr, "svmtop: %s: %s: run as root\n", p,
				strerror(errno));
			perm = true;
		} else if (errno == EACCES || errno == EPERM || errno == EINVAL ||
			 errno == EROFS)
			fprintf(stderr, "svmtop: %s: cannot write (%s): this kernel does not support resetting GT stats\n",
				p, strerror(errno));
		else
			fprintf(stderr, "svmtop: %s: reset failed: %s\n", p,
				strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	fflush(out);
	return done ? EXIT_OK : perm ? EXIT_NOPERM : EXIT_NORESET;
}

static void emit(FILE *out, enum stat_format fmt, const struct stat_sample *s)
{
	switch (fmt) {
	case STAT_FMT_JSON:
		stat_write_json(out, s);
		break;
	case STAT_FMT_PROM:
		if (s->seq)
			fputc('\n', out);	/* blank line between expositions */
		stat_write_prom(out, s);
		break;
	case STAT_FMT_CSV:
		stat_write_csv(out, s);
		break;
	default:
		if (s->seq > 1)		/* blank line between reports */
			fputc('\n', out);
		stat_write_table(out, s);
	}
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep until absolute monotonic time t; false if interrupted to stop. */
static bool sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - floor(t)) * 1e9) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		if (stop)
			return false;
	return !stop;
}

static int run_debugfs(const struct stat_opts *o, FILE *out)
{
	struct stat_gt_sample *a = NULL, *b = NULL, *cur, *prev;
	struct gt_state *state = NULL;
	struct stat_sample s = { 0 };
	struct gt_list l;
	enum gtdisc_result r;
	double t_prev, next;
	size_t g, ok;
	long reports = 0;
	int ret = EXIT_OK;

	r = gtdisc_find(o->debugfs, !o->debugfs_given, &l);
	if (r != GTDISC_OK) {
		ret = discovery_error(r, o, &l);
		gtdisc_free(&l);
		return ret;
	}
	if (o->reset) {
		ret = do_reset(&l, out);
		gtdisc_free(&l);
		return ret;
	}
	a = calloc(l.n, sizeof(*a));
	b = calloc(l.n, sizeof(*b));
	state = calloc(l.n, sizeof(*state));
	if (!a || !b || !state) {
		fprintf(stderr, "svmtop: out of memory\n");
		ret = EXIT_FAIL;
		goto out;
	}
	cur = a;
	prev = b;
	s.gts = &l;

	ok = read_all(&l, cur, state);
	t_prev = mono_now();
	if (!ok) {
		bool perm = false;

		for (g = 0; g < l.n; g++)
			perm |= cur[g].err == -EACCES || cur[g].err == -EPERM;
		ret = perm ? EXIT_NOPERM : EXIT_FAIL;
		goto out;
	}
	if (o->format == STAT_FMT_CSV)
		stat_write_csv_header(out);
	s.time = wall_now();
	s.cur = cur;
	/* One shot, or Prometheus (cumulative): report the first read now. */
	if (!o->interval || o->format == STAT_FMT_PROM) {
		emit(out, o->format, &s);
		reports++;
		if (!o->interval || (o->count && reports >= o->count))
			goto out;
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	next = t_prev;
	while (!stop) {
		struct stat_gt_sample *tmp;
		double t;

		next += o->interval;
		if (!sleep_until(next))
			break;
		tmp = prev;
		prev = cur;
		cur = tmp;
		read_all(&l, cur, state);
		t = mono_now();
		s.seq++;
		s.time = wall_now();
		s.cur = cur;
		if (o->format != STAT_FMT_PROM) {
			s.prev = prev;
			s.interval = t - t_prev;
		}
		t_prev = t;
		emit(out, o->format, &s);
		if (ferror(out)) {
			/* the reader went away (| head): a normal end */
			if (errno != EPIPE) {
				fprintf(stderr, "svmtop: write error: %s\n",
					strerror(errno));
				ret = EXIT_FAIL;
			}
			break;
		}
		if (o->count && ++reports >= o->count)
			break;
		if (next < t)	/* we fell behind (suspend): don't burst */
			next = t;
	}
out:
	for (g = 0; a && b && g < l.n; g++) {
		gtstats_free(&a[g].st);
		gtstats_free(&b[g].st);
	}
	free(a);
	free(b);
	free(state);
	gtdisc_free(&l);
	return ret;
}

int stat_run(const struct stat_opts *o, FILE *out)
{
	return run_debugfs(o, out);
}

int cmd_stat(int argc, char **argv)
{
	struct stat_opts o;
	int r;

	if (stat_wants_bpf(argc, argv))	/* --bpf: cli/bpfstat.c */
		return cmd_stat_bpf(argc, argv);
	r = stat_parse_args(argc, argv, &o);
	if (r < 0)
		return EXIT_USAGE;
	if (r > 0)
		return EXIT_OK;
	/* A closed pipe (svmtop stat -i 1 | head) ends the run quietly. */
	signal(SIGPIPE, SIG_IGN);
	return stat_run(&o, stdout);
}
