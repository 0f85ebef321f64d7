// SPDX-License-Identifier: GPL-2.0-only
/*
 * `svmtop export`: serve the SVM metrics to Prometheus over HTTP, or write
 * them for node_exporter's textfile collector.  Design in cli/export.h.
 *
 * Order of start-up, for least privilege: bind the port, open every
 * collector (BPF attach, debugfs files), drop the capabilities, then start
 * the collector thread and the HTTP loop.  A collector that cannot open is
 * reported (svmtop_collector_up 0, one line in the log) and the others go
 * on; only a port that cannot be bound or a bad command line stops us.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "exitcodes.h"
#include "export.h"
#include "exportsvm.h"
#include "stat.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: svmtop export [OPTIONS]\n"
"Serve svmtop's metrics to Prometheus: the xe GT stats (debugfs) and the\n"
"HMM BPF backend's per-process counters and latency histograms, with\n"
"svmtop's own health (collector_up, probes attached, lost events).\n\n"
"Options:\n"
"  -l, --listen ADDR:PORT   where to serve /metrics (default %s;\n"
"                           [::1]:PORT for IPv6, :PORT for every address)\n"
"      --textfile PATH      write PATH for node_exporter's textfile\n"
"                           collector instead (PATH.tmp, then rename);\n"
"                           once, or every -i SECS when -i is given\n"
"  -i, --interval SECS      collect every SECS seconds (default %g);\n"
"                           a scrape serves the latest collection\n"
"      --collectors LIST    gt,hmm,svm (default: gt,hmm; a source that\n"
"                           is not there is reported down, not fatal)\n"
"      --debugfs DIR        debugfs root for the GT stats (default %s)\n"
"      --per-process[=N]    HMM and SVM series per process, N busiest\n"
"                           (default %d when given, at most %d; off by\n"
"                           default: PID labels are unbounded)\n"
"      --backend KIND       HMM probes: auto, fentry or kprobe\n"
"      --max-connections N  open connections at most (default 256); a new\n"
"                           one then closes the oldest idle one\n"
"      --read-timeout SECS  a request must arrive within SECS (default 10)\n"
"      --idle-timeout SECS  keep-alive connections close after (default 60)\n"
"      --keep-caps          do not drop capabilities after start-up\n"
"  -v, --verbose            libbpf and verifier messages\n"
"  -h, --help               this help\n\n"
"Endpoints: /metrics (text format 0.0.4, or OpenMetrics 1.0.0 when the\n"
"Accept header asks for it or with ?format=openmetrics), / (index).\n\n"
"Examples:\n"
"  sudo svmtop export                          # http://127.0.0.1:9862/metrics\n"
"  sudo svmtop export --listen [::]:9862 --per-process=5\n"
"  sudo svmtop export --collectors gt --textfile \\\n"
"       /var/lib/prometheus/node-exporter/svmtop.prom   # e.g. from cron\n\n"
"Exit codes: 0 ok (stopped by SIGINT/SIGTERM), 1 error (port not\n"
"available, textfile not writable), 2 usage.\n",
		EXPORT_DEFAULT_LISTEN, EXPORT_DEFAULT_INTERVAL,
		STAT_DEFAULT_DEBUGFS, HMM_PROM_PROCS_DEFAULT,
		HMM_PROM_PROCS_MAX);
}

static int num(const char *what, const char *s, double lo, double hi,
	       double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi)) {
		fprintf(stderr, "svmtop: export: bad %s '%s': give a number from %g to %g\n",
			what, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_collectors(const char *s, unsigned int *out)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	*out = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "gt"))
			*out |= EXPORT_COLL_GT;
		else if (!strcmp(tok, "hmm"))
			*out |= EXPORT_COLL_HMM;
		else if (!strcmp(tok, "svm"))
			*out |= EXPORT_COLL_SVM;
		else {
			fprintf(stderr, "svmtop: export: unknown collector '%s': give gt, hmm, svm or a list (gt,svm)\n",
				tok);
			return -1;
		}
	}
	if (!*out) {
		fprintf(stderr, "svmtop: export: --collectors needs at least one of gt, hmm, svm\n");
		return -1;
	}
	return 0;
}

enum { OPT_TEXTFILE = 256, OPT_COLLECTORS, OPT_DEBUGFS, OPT_PERPROC,
       OPT_BACKEND, OPT_MAXCONN, OPT_RTIMEOUT, OPT_ITIMEOUT, OPT_KEEPCAPS };

int export_parse_args(int argc, char **argv, struct export_opts *o)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "textfile", required_argument, NULL, OPT_TEXTFILE },
		{ "interval", required_argument, NULL, 'i' },
		{ "collectors", required_argument, NULL, OPT_COLLECTORS },
		{ "debugfs", required_argument, NULL, OPT_DEBUGFS },
		{ "per-process", optional_argument, NULL, OPT_PERPROC },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "max-connections", required_argument, NULL, OPT_MAXCONN },
		{ "read-timeout", required_argument, NULL, OPT_RTIMEOUT },
		{ "idle-timeout", required_argument, NULL, OPT_ITIMEOUT },
		{ "keep-caps", no_argument, NULL, OPT_KEEPCAPS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool listen_given = false;
	double v;
	int c;

	memset(o, 0, sizeof(*o));
	o->listen = EXPORT_DEFAULT_LISTEN;
	o->interval = EXPORT_DEFAULT_INTERVAL;
	o->debugfs = STAT_DEFAULT_DEBUGFS;
	o->collectors = EXPORT_COLL_GT | EXPORT_COLL_HMM;
	o->max_conns = 256;
	o->read_timeout = 10;
	o->idle_timeout = 60;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+l:i:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o->listen = optarg;
			listen_given = true;
			break;
		case OPT_TEXTFILE:
			o->textfile = optarg;
			break;
		case 'i':
			if (num("interval", optarg, 0.05, 86400, &o->interval))
				return -1;
			o->interval_given = true;
			break;
		case OPT_COLLECTORS:
			if (parse_collectors(optarg, &o->collectors))
				return -1;
			break;
		case OPT_DEBUGFS:
			o->debugfs = optarg;
			o->debugfs_given = true;
			break;
		case OPT_PERPROC:
			v = HMM_PROM_PROCS_DEFAULT;
			if (optarg && num("--per-process", optarg, 1,
					  HMM_PROM_PROCS_MAX, &v))
				return -1;
			o->per_process = (int)v;
			break;
		case OPT_BACKEND:
			if (!strcmp(optarg, "auto"))
				o->hmm.mode = HMM_MODE_AUTO;
			else if (!strcmp(optarg, "fentry"))
				o->hmm.mode = HMM_MODE_FENTRY;
			else if (!strcmp(optarg, "kprobe"))
				o->hmm.mode = HMM_MODE_KPROBE;
			else {
				fprintf(stderr, "svmtop: export: bad --backend '%s': give auto, fentry or kprobe\n",
					optarg);
				return -1;
			}
			break;
		case OPT_MAXCONN:
			if (num("--max-connections", optarg, 1, 4096, &v))
				return -1;
			o->max_conns = (int)v;
			break;
		case OPT_RTIMEOUT:
			if (num("--read-timeout", optarg, 0.1, 3600,
				&o->read_timeout))
				return -1;
			break;
		case OPT_ITIMEOUT:
			if (num("--idle-timeout", optarg, 0.1, 86400,
				&o->idle_timeout))
				return -1;
			break;
		case OPT_KEEPCAPS:
			o->keep_caps = true;
			break;
		case 'v':
			o->hmm.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "svmtop: export: bad option '%s'; see 'svmtop export --help'\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "svmtop: export: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (o->textfile && listen_given) {
		fprintf(stderr, "svmtop: export: choose one of --listen and --textfile\n");
		return -1;
	}
	if (o->textfile && !o->textfile[0]) {
		fprintf(stderr, "svmtop: export: --textfile needs a file name\n");
		return -1;
	}
	return 0;
}

/* ---- textfile ----------------------------------------------------------- */

int export_write_textfile(const char *path, const struct expo *e)
{
	char tmp[4096];
	size_t off = 0;
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	/* same directory as path: rename() is then atomic */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (off < e->text_len) {
		ssize_t w = write(fd, e->text + off, e->text_len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		off += w;
	}
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

/* ---- collector thread --------------------------------------------------- */

struct runner {
	pthread_mutex_t m;
	pthread_cond_t cv;
	bool stop;
	struct collector *c;
	size_t n;
	struct expo_store *st;
	double interval;
};

static struct timespec ts_of(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (time_t)t) * 1e9) };

	return ts;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *collect_loop(void *arg)
{
	struct runner *r = arg;
	double next = mono() + r->interval;

	pthread_mutex_lock(&r->m);
	while (!r->stop) {
		struct timespec ts = ts_of(next);
		struct expo *e;

		if (pthread_cond_timedwait(&r->cv, &r->m, &ts) != ETIMEDOUT)
			continue;	/* woken to stop, or spurious */
		pthread_mutex_unlock(&r->m);
		e = export_collect(r->c, r->n);
		if (e)
			expo_publish(r->st, e);
		pthread_mutex_lock(&r->m);
		next += r->interval;
		if (next < mono())	/* fell behind: do not burst */
			next = mono() + r->interval;
	}
	pthread_mutex_unlock(&r->m);
	return NULL;
}

/* ---- start-up ----------------------------------------------------------- */

/*
 * Lower the effective set, try one read of every collector, and drop the
 * permitted set too unless a read needs a capability still (BPF map reads
 * on kernels before 6.5 with kernel.unprivileged_bpf_disabled): then keep
 * only CAP_BPF and CAP_SYS_ADMIN, and say so.
 */
static void drop_caps(struct collector *c, size_t n)
{
	const uint64_t bpf_caps = 1ULL << CAP_BPF | 1ULL << CAP_SYS_ADMIN;
	uint64_t perm = caps_permitted(), keep = 0;
	char names[256];
	size_t i;

	if (!perm)
		return;		/* nothing to drop: not privileged */
	if (caps_set(0, perm)) {
		fprintf(stderr, "svmtop: export: cannot change capabilities: %s; keeping them\n",
			strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f;
		int r;

		if (!c[i].opened || !(f = open_memstream(&buf, &len)))
			continue;
		r = c[i].ops->collect(&c[i], f);
		fclose(f);
		free(buf);
		if (r == -EPERM || r == -EACCES)
			keep = perm & bpf_caps;
	}
	if (caps_set(keep, keep)) {
		fprintf(stderr, "svmtop: export: cannot drop capabilities: %s; keeping them\n",
			strerror(errno));
		caps_set(perm, perm);
		return;
	}
	/* nothing we could execute may gain privileges again */
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (keep)
		fprintf(stderr, "svmtop: export: dropped capabilities but %s: this kernel checks BPF privileges on map reads\n",
			caps_names(names, sizeof(names), keep));
	else
		fprintf(stderr, "svmtop: export: dropped all capabilities (had %s)\n",
			caps_names(names, sizeof(names), perm));
}

/*
 * Every connection is a descriptor: raise the soft RLIMIT_NOFILE to fit
 * --max-connections (plus room for BPF maps, links and files), or lower
 * the cap to what fits, so that "close the oldest" is what happens at the
 * cap rather than a failing accept().
 */
static void fit_fd_limit(struct export_opts *o)
{
	const rlim_t room = 64;
	struct rlimit rl;
	rlim_t want = (rlim_t)o->max_conns + room;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want <= rl.rlim_max ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
		return;
	o->max_conns = rl.rlim_cur > room + 16 ? (int)(rl.rlim_cur - room) : 16;
	fprintf(stderr, "svmtop: export: open files limited to %llu: at most %d connections\n",
		(unsigned long long)rl.rlim_cur, o->max_conns);
}

static const struct collector_ops *const all_collectors[] = {
	&export_gt_collector,	/* EXPORT_COLL_GT */
	&export_hmm_collector,	/* EXPORT_COLL_HMM */
	&export_svm_collector,	/* EXPORT_COLL_SVM */
};

static int run(const struct export_opts *opts)
{
	struct export_opts oo = *opts;
	const struct export_opts *o = &oo;
	struct collector c[EXPORT_MAX_COLLECTORS];
	struct expo_store st = { PTHREAD_MUTEX_INITIALIZER, NULL };
	struct runner r = { .m = PTHREAD_MUTEX_INITIALIZER };
	pthread_condattr_t ca;
	pthread_t thread;
	char addr[80];
	sigset_t sigs;
	size_t n = 0, i;
	int lfd = -1, sigfd, ret = EXIT_OK;
	struct expo *e;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	/* blocked in every thread, delivered through the signalfd */
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sigfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sigfd < 0) {
		fprintf(stderr, "svmtop: export: signalfd: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	if (!o->textfile) {
		lfd = http_listen(o->listen);
		if (lfd < 0) {
			close(sigfd);
			return lfd == -2 ? EXIT_USAGE : EXIT_FAIL;
		}
	}

	memset(c, 0, sizeof(c));
	for (i = 0; i < sizeof(all_collectors) / sizeof(all_collectors[0]);
	     i++) {
		if (!(o->collectors & (1u << i)))
			continue;
		c[n].ops = all_collectors[i];
		c[n].opened = c[n].ops->open(&c[n], o) == 0;
		n++;
	}
	if (!o->keep_caps)
		drop_caps(c, n);

	e = export_collect(c, n);
	if (!e) {
		ret = EXIT_FAIL;
		goto out;
	}
	expo_publish(&st, e);

	if (o->textfile) {
		for (;;) {
			struct pollfd p = { .fd = sigfd, .events = POLLIN };
			double next = mono() + o->interval;
			int err;

			e = expo_get(&st);
			err = export_write_textfile(o->textfile, e);
			expo_put(&st, e);
			if (err) {
				fprintf(stderr, "svmtop: export: cannot write %s: %s\n",
					o->textfile, strerror(-err));
				if (!o->interval_given) {
					ret = EXIT_FAIL;
					break;
				}
			}
			if (!o->interval_given)
				break;
			while (mono() < next && poll(&p, 1,
			       (int)((next - mono()) * 1000) + 1) == 0)
				;
			if (p.revents & POLLIN)
				break;
			e = export_collect(c, n);
			if (e)
				expo_publish(&st, e);
		}
		goto out;
	}

	fit_fd_limit(&oo);
	fprintf(stderr, "svmtop: export: serving http://%s/metrics\n",
		http_local_addr(lfd, addr, sizeof(addr)));
	r.c = c;
	r.n = n;
	r.st = &st;
	r.interval = o->interval;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r.cv, &ca);
	if (pthread_create(&thread, NULL, collect_loop, &r)) {
		fprintf(stderr, "svmtop: export: cannot start the collector thread\n");
		ret = EXIT_FAIL;
		goto out;
	}
	http_serve(lfd, sigfd, &st, o);
	pthread_mutex_lock(&r.m);
	r.stop = true;
	pthread_cond_signal(&r.cv);
	pthread_mutex_unlock(&r.m);
	pthread_join(thread, NULL);
out:
	expo_put(&st, st.cur);
	for (i = 0; i < n; i++)
		if (c[i].opened)
			c[i].ops->close(&c[i]);
	if (lfd >= 0)
		close(lfd);
	close(sigfd);
	return ret;
}

int cmd_export(int argc, char **argv)
{
	struct export_opts o;
	int r = export_parse_args(argc, argv, &o);

	if (r < 0)
		return EXIT_USAGE;
	if (r > 0)
		return EXIT_OK;
	signal(SIGPIPE, SIG_IGN);
	return run(&o);
}
