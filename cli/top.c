// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmtop top: the live dashboard (cli/top.h has the map of the files).
 *
 * The loop samples on a fixed period of CLOCK_MONOTONIC deadlines; keys
 * only redraw (or change the period), so typing never shifts a sample.
 * The first read is a baseline: the first screen with numbers shows the
 * first full interval.  Signals (INT, TERM, HUP) only set a flag; the loop
 * then leaves curses with endwin(), and an atexit() handler does the same
 * on any other exit, so the terminal is restored on every path.
 */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>
#include <bpf/bpf.h>

#include "exitcodes.h"
#include "svm.h"
#include "top.h"

static volatile sig_atomic_t stop_sig;
static bool curses_on;

static void on_signal(int sig)
{
	stop_sig = sig;
}

static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = false;
		endwin();
	}
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: svmtop top [-i SECS] [-n COUNT] [--backend B] [-p PID]\n"
		"                  [--sort COL] [--filter STR] [--ascii] [--plain] [-v]\n"
		"Live dashboard of GPU shared virtual memory: per device and GT the\n"
		"fault rate, already-valid share, migrations to VRAM and to system\n"
		"memory, retries by reason, garbage collection, invalidations and\n"
		"fault latency (p50, p99), with history; below, the processes.\n"
		"When stdout is not a terminal (or with --plain) it prints a plain\n"
		"report every interval instead, flushed each time.\n\n"
		"  -i, --interval SECS  sample period (default 1)\n"
		"  -n, --count N        stop after N intervals\n"
		"  --backend B          tp, fentry, kprobe, debugfs or auto (default)\n"
		"  -p, --pid PID        only this process (BPF backends)\n"
		"  --sort COL           pid comm faults/s faults p99 vram sys retries\n"
		"                       cpumig gc (default faults/s)\n"
		"  --filter STR         show processes whose COMM contains STR or\n"
		"                       whose PID starts with it\n"
		"  --ascii              no UTF-8 sparklines or box characters\n"
		"                       (also when the locale is not UTF-8)\n"
		"  --plain              the plain report even on a terminal\n"
		"  --debugfs DIR        debugfs root for the debugfs backend\n"
		"                       (default /sys/kernel/debug)\n"
		"  -v                   libbpf debug output\n\n"
		"NO_COLOR set (non-empty) turns colours off.  Keys: q quit, j/k or\n"
		"arrows select, s sort column chooser, < > sort column, r reverse,\n"
		"/ or f filter, p pause, + - refresh, h histogram, d per-GT detail,\n"
		"? help.\n\n"
		"Examples:\n"
		"  svmtop                         # on a terminal: this dashboard\n"
		"  svmtop top -i 2 --sort p99     # slowest faults first\n"
		"  svmtop top -i 5 -n 12 > log    # a minute of plain reports\n");
}

struct top_run {
	struct svm_collector *c;
	struct top_ui ui;
	double last_t, last_cpu;
	int stats_fd;
};

/* "probe, probe" of those that did not attach; counts into st. */
static void probe_status(struct top_run *r)
{
	const struct svm_probe *p;
	size_t n, i, o = 0;
	struct top_status *st = &r->ui.st;

	p = svm_probes(r->c, &n);
	st->nprobes = n;
	st->nattached = 0;
	st->missing[0] = 0;
	for (i = 0; i < n; i++) {
		if (p[i].attached) {
			st->nattached++;
			continue;
		}
		if (o < sizeof(st->missing))
			o += snprintf(st->missing + o, sizeof(st->missing) - o,
				      "%s%s", o ? ", " : "", p[i].target);
	}
	st->backend = svm_backend_name(svm_backend_of(r->c));
}

/* bpf_run_ns needs kernel.bpf_stats_enabled: hold it on while we run. */
static bool enable_bpf_stats(struct top_run *r)
{
	char v = 0;
	FILE *f;

	r->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (r->stats_fd >= 0)
		return true;
	f = fopen("/proc/sys/kernel/bpf_stats_enabled", "re");
	if (f) {
		if (fread(&v, 1, 1, f) != 1)
			v = 0;
		fclose(f);
	}
	return v == '1';
}

/* Read and feed the model; 0 or -errno. */
static int sample(struct top_run *r, bool rebase)
{
	struct svm_snapshot s;
	double t = mono(), cpu = cpu_seconds();
	int err = svm_read(r->c, &s);

	if (err)
		return err;
	if (rebase)
		err = top_model_rebase(&r->ui.m, &s);
	else
		err = top_model_update(&r->ui.m, &s, t - r->last_t);
	svm_snapshot_free(&s);
	if (!rebase && r->ui.m.samples && t > r->last_t)
		r->ui.st.cpu_pct = 100.0 * (cpu - r->last_cpu) / (t - r->last_t);
	r->last_t = t;
	r->last_cpu = cpu;
	return err ? -ENOMEM : 0;
}

static void utc_now(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "?");
}

static int run_plain(struct top_run *r, long count)
{
	double next = r->last_t + r->ui.interval;
	long n = 0;
	char when[32];

	while (!stop_sig) {
		double now = mono();

		if (now < next) {
			double d = next - now;
			struct timespec ts = { (time_t)d,
					       (long)((d - floor(d)) * 1e9) };

			nanosleep(&ts, NULL);	/* a signal cuts it short */
			continue;
		}
		next += r->ui.interval;
		if (next < now)
			next = now + r->ui.interval;
		if (sample(r, false)) {
			fprintf(stderr, "svmtop top: reading the counters failed\n");
			return EXIT_FAIL;
		}
		utc_now(when, sizeof(when));
		top_plain_report(stdout, &r->ui, when);
		fflush(stdout);
		if (count && ++n >= count)
			break;
	}
	return EXIT_OK;
}

static int run_curses(struct top_run *r, long count)
{
	struct top_ui *ui = &r->ui;
	double next = r->last_t + ui->interval;
	bool was_paused = false;
	long n = 0;
	int rc = EXIT_OK;

	if (!initscr()) {
		fprintf(stderr, "svmtop top: cannot start curses (TERM=%s)\n",
			getenv("TERM") ? getenv("TERM") : "");
		return EXIT_FAIL;
	}
	curses_on = true;
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	if (ui->color && has_colors())
		start_color();
	else
		ui->color = false;

	while (!stop_sig) {
		double now = mono(), wait;
		int ch;
		enum top_action a;

		if (ui->paused) {
			was_paused = true;
		} else if (was_paused) {
			/* rates after a pause cover the next full interval */
			was_paused = false;
			if (sample(r, true))
				goto read_failed;
			next = r->last_t + ui->interval;
		} else if (now >= next) {
			next += ui->interval;
			if (next < now)
				next = now + ui->interval;
			if (sample(r, false))
				goto read_failed;
			if (count && ++n >= count)
				break;
		}
		ui->st.next_in = next - mono();
		top_render(ui);
		wait = next - mono();
		if (ui->paused || wait > 1)
			wait = 1;	/* the clock in the title */
		if (wait < 0.01)
			wait = 0.01;
		timeout((int)(wait * 1000));
		ch = getch();
		if (ch == ERR)
			continue;
		a = top_key(ui, ch);
		if (a == TOP_ACT_QUIT)
			break;
		if (a == TOP_ACT_INTERVAL)
			next = r->last_t + ui->interval;
	}
	restore_terminal();
	return rc;

read_failed:
	restore_terminal();
	fprintf(stderr, "svmtop top: reading the counters failed\n");
	return EXIT_FAIL;
}

int cmd_top(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "backend", required_argument, NULL, 'b' },
		{ "pid", required_argument, NULL, 'p' },
		{ "sort", required_argument, NULL, 's' },
		{ "filter", required_argument, NULL, 'f' },
		{ "ascii", no_argument, NULL, 'a' },
		{ "plain", no_argument, NULL, 'P' },
		{ "debugfs", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct svm_opts o = { .backend = SVM_BACKEND_AUTO };
	struct top_run r = { .stats_fd = -1 };
	bool plain = false, ascii = false;
	const char *nc = getenv("NO_COLOR");
	double interval = 1;
	long count = 0;
	int sort = TOP_COL_FAULTS_S, ch, rc, b;
	const char *filter = "";
	struct sigaction sa;
	char *end;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+i:n:p:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			interval = strtod(optarg, &end);
			if (*end || !(interval >= 0.1 && interval <= 3600)) {
				fprintf(stderr, "svmtop top: -i wants seconds from 0.1 to 3600\n");
				return EXIT_USAGE;
			}
			break;
		case 'n':
			count = strtol(optarg, &end, 10);
			if (*end || count <= 0) {
				fprintf(stderr, "svmtop top: -n wants a count > 0\n");
				return EXIT_USAGE;
			}
			break;
		case 'b':
			b = svm_backend_parse(optarg);
			if (b < 0) {
				fprintf(stderr, "svmtop top: unknown backend '%s' "
					"(tp, fentry, kprobe, debugfs, auto)\n", optarg);
				return EXIT_USAGE;
			}
			o.backend = b;
			break;
		case 'p':
			o.filter_tgid = strtoul(optarg, &end, 10);
			if (*end || !o.filter_tgid) {
				fprintf(stderr, "svmtop top: -p wants a PID\n");
				return EXIT_USAGE;
			}
			break;
		case 's':
			sort = top_col_parse(optarg);
			if (sort < 0) {
				fprintf(stderr, "svmtop top: unknown sort column '%s'; "
					"see 'svmtop top --help'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'f':
			filter = optarg;
			break;
		case 'a':
			ascii = true;
			break;
		case 'P':
			plain = true;
			break;
		case 'D':
			o.debugfs = optarg;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))
		plain = true;
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8"))
		ascii = true;	/* the terminal could not show the blocks */

	top_ui_init(&r.ui, interval);
	r.ui.ascii = ascii;
	r.ui.color = !(nc && *nc);
	r.ui.m.sort = sort;
	snprintf(r.ui.m.filter, sizeof(r.ui.m.filter), "%s", filter);

	rc = svm_open(&o, &r.c);	/* its problems go to stderr, before curses */
	if (rc != EXIT_OK)
		return rc;
	probe_status(&r);
	r.ui.st.bpf_stats = svm_backend_of(r.c) != SVM_BACKEND_DEBUGFS &&
			    enable_bpf_stats(&r);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: getch() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	atexit(restore_terminal);

	r.last_t = mono();
	r.last_cpu = cpu_seconds();
	if (sample(&r, false)) {	/* the baseline */
		fprintf(stderr, "svmtop top: reading the counters failed\n");
		rc = EXIT_FAIL;
	} else {
		rc = plain ? run_plain(&r, count) : run_curses(&r, count);
	}
	if (r.stats_fd >= 0)
		close(r.stats_fd);
	svm_close(r.c);
	top_model_free(&r.ui.m);
	return rc;
}
