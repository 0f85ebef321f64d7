// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmtop hist: log2 latency histograms of the SVM fault path, the way
 * bcc's runqlat/biolatency print them, with count, average and
 * percentiles beside each.
 *
 * Grouping (bcc merges everything; a GPU has several GTs):
 *   default  one histogram per (device, GT), every process merged
 *   -P       one per (device, GT, process)
 *   -p PID   only that process (filtered in BPF)
 * What:
 *   default     GPU fault latency (handler entry -> exit, retries included)
 *   --migrate   migration latency, one histogram per direction
 *   --get-pages get-pages latency;  --bind  bind latency
 *
 * Without [interval] it prints once, at SIGINT/SIGTERM, everything since
 * start.  With [interval [count]] each report is the delta since the one
 * before, computed from cumulative snapshots (svm_read): the BPF maps are
 * never cleared, so other readers (export, dump) see monotonic counters.
 *
 * Slots are floor(log2(ns)): slot k holds [2^k, 2^(k+1)) ns (slot 0 also
 * holds 0).  The table prints each slot's bounds converted to the chosen
 * unit; percentiles are the upper bound of the slot that holds them
 * (never understated).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "exitcodes.h"
#include "json.h"
#include "svm.h"

enum hist_what { H_FAULT, H_MIGRATE, H_GET_PAGES, H_BIND };

struct hist_opts {
	enum hist_what what;
	bool per_process;
	bool json;
	bool timestamps;
	double unit_ns;			/* 1, 1e3 or 1e6 */
	const char *unit;		/* "nsecs", "usecs", "msecs" */
};

/* One histogram group: the summed deltas of the entries that map to it. */
struct group {
	struct svm_key key;		/* tgid 0 when processes are merged */
	char comm[SVM_COMM_LEN];
	struct svm_stats st;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const struct svm_entry *find(const struct svm_snapshot *s,
				    const struct svm_key *k)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!memcmp(&s->v[i].key, k, sizeof(*k)))
			return &s->v[i];
	return NULL;
}

static int key_cmp(const void *a, const void *b)
{
	const struct svm_key *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->gt != y->gt)
		return x->gt < y->gt ? -1 : 1;
	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

/* cur - prev per entry, summed into groups; returns the number of groups. */
static size_t make_groups(const struct svm_snapshot *cur,
			  const struct svm_snapshot *prev, bool per_process,
			  struct group **out)
{
	struct group *g = calloc(cur->n ? cur->n : 1, sizeof(*g));
	size_t i, j, n = 0;

	*out = g;
	if (!g)
		return 0;
	for (i = 0; i < cur->n; i++) {
		const struct svm_entry *e = &cur->v[i];
		const struct svm_entry *p = prev ? find(prev, &e->key) : NULL;
		struct svm_key k = e->key;
		struct svm_stats d = e->st;

		if (p)
			svm_stats_sub(&d, &p->st);
		if (!per_process)
			k.tgid = 0;
		for (j = 0; j < n; j++)
			if (!memcmp(&g[j].key, &k, sizeof(k)))
				break;
		if (j == n) {
			g[n].key = k;
			if (per_process)
				memcpy(g[n].comm, e->comm, sizeof(g[n].comm));
			n++;
		}
		svm_stats_add(&g[j].st, &d);
	}
	qsort(g, n, sizeof(*g), key_cmp);
	return n;
}

/* The histograms a group shows for the chosen --what, with their names. */
static size_t lats(const struct hist_opts *o, const struct svm_stats *s,
		   const struct svm_lat **l, const char **name)
{
	switch (o->what) {
	case H_MIGRATE:
		l[0] = &s->mig_lat[SVM_DIR_TO_VRAM];
		name[0] = "migrate to_vram";
		l[1] = &s->mig_lat[SVM_DIR_TO_SYSMEM];
		name[1] = "migrate to_sysmem";
		return 2;
	case H_GET_PAGES:
		l[0] = &s->get_pages;
		name[0] = "get_pages";
		return 1;
	case H_BIND:
		l[0] = &s->bind;
		name[0] = "bind";
		return 1;
	default:
		l[0] = &s->fault;
		name[0] = "fault";
		return 1;
	}
}

static uint64_t hist_total(const struct svm_lat *l)
{
	uint64_t t = 0;
	int k;

	for (k = 0; k < SVM_HIST_SLOTS; k++)
		t += l->hist[k];
	return t;
}

static void print_stars(uint64_t v, uint64_t max, int width)
{
	int n = max ? (int)((v * width + max - 1) / max) : 0, i;

	if (n > width)
		n = width;
	putchar('|');
	for (i = 0; i < width; i++)
		putchar(i < n ? '*' : ' ');
	putchar('|');
}

static void print_one(const struct hist_opts *o, const struct svm_lat *l)
{
	int k, lo = -1, hi = -1;
	uint64_t max = 0, total = hist_total(l);
	double u = o->unit_ns;
	int prec = u == 1 ? 0 : 3;

	for (k = 0; k < SVM_HIST_SLOTS; k++) {
		if (!l->hist[k])
			continue;
		if (lo < 0)
			lo = k;
		hi = k;
		if (l->hist[k] > max)
			max = l->hist[k];
	}
	printf("%10s%-22s : count    distribution\n", "", o->unit);
	for (k = lo; k >= 0 && k <= hi; k++) {
		double a = k ? (double)(1ull << k) / u : 0;	/* 0 lands in slot 0 */
		double b = (double)(2ull << k) / u;

		if (k == SVM_HIST_SLOTS - 1)
			printf("%14.*f -> %-14s : %-8llu ", prec, a, "inf",
			       (unsigned long long)l->hist[k]);
		else
			printf("%14.*f -> %-14.*f : %-8llu ", prec, a, prec, b,
			       (unsigned long long)l->hist[k]);
		print_stars(l->hist[k], max, 40);
		putchar('\n');
	}
	printf("count %llu", (unsigned long long)total);
	if (l->errors)
		printf(" (%llu failed)", (unsigned long long)l->errors);
	if (l->count)
		printf("  avg %.3f  p50 <= %.3f  p90 <= %.3f  p99 <= %.3f %s\n",
		       (double)l->ns_sum / l->count / u,
		       svm_hist_quantile(l->hist, 0.50) / u,
		       svm_hist_quantile(l->hist, 0.90) / u,
		       svm_hist_quantile(l->hist, 0.99) / u, o->unit);
	else
		putchar('\n');
}

static void group_title(const struct hist_opts *o, const struct group *g,
			char *buf, size_t len)
{
	int n = snprintf(buf, len, "dev %d", g->key.dev);

	if (g->key.gt == SVM_GT_NONE)
		n += snprintf(buf + n, len - n, " (device-wide)");
	else
		n += snprintf(buf + n, len - n, " gt %d", g->key.gt);
	if (!o->per_process)
		snprintf(buf + n, len - n, ", all processes");
	else if (g->key.tgid == SVM_TGID_OTHER)
		snprintf(buf + n, len - n, ", other processes (key table full)");
	else if (g->key.tgid == SVM_TGID_UNKNOWN)
		snprintf(buf + n, len - n, ", no process (kernel VM)");
	else
		snprintf(buf + n, len - n, ", pid %u (%s)", g->key.tgid,
			 g->comm[0] ? g->comm : "?");
}

static void report_text(const struct hist_opts *o, const struct group *g,
			size_t n)
{
	const struct svm_lat *l[2];
	const char *name[2];
	char title[128];
	size_t i, j, m, shown = 0;

	if (o->timestamps) {
		time_t now = time(NULL);
		char ts[16];

		strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&now));
		printf("%s\n", ts);
	}
	for (i = 0; i < n; i++) {
		m = lats(o, &g[i].st, l, name);
		for (j = 0; j < m; j++) {
			if (!hist_total(l[j]))
				continue;
			group_title(o, &g[i], title, sizeof(title));
			printf("\n%s: %s latency\n", title, name[j]);
			print_one(o, l[j]);
			shown++;
		}
	}
	if (!shown)
		printf("(no events)\n");
	putchar('\n');
	fflush(stdout);
}

static void report_json(const struct hist_opts *o, struct json_writer *w,
			const struct group *g, size_t n, double secs)
{
	const struct svm_lat *l[2];
	const char *name[2];
	size_t i, j, m;
	int k;

	json_obj_begin(w, NULL);
	json_u64(w, "ts", (uint64_t)time(NULL));
	json_double(w, "seconds", secs, 3);
	json_arr_begin(w, "histograms");
	for (i = 0; i < n; i++) {
		m = lats(o, &g[i].st, l, name);
		for (j = 0; j < m; j++) {
			uint64_t total = hist_total(l[j]);

			if (!total)
				continue;
			json_obj_begin(w, NULL);
			json_str(w, "name", name[j]);
			json_i64(w, "dev", g[i].key.dev);
			json_i64(w, "gt", g[i].key.gt);
			if (o->per_process) {
				json_u64(w, "tgid", g[i].key.tgid);
				json_str(w, "comm", g[i].comm);
			}
			json_u64(w, "count", total);
			json_u64(w, "errors", l[j]->errors);
			json_u64(w, "ns_sum", l[j]->ns_sum);
			json_double(w, "avg_ns", l[j]->count ?
				    (double)l[j]->ns_sum / l[j]->count : 0, 1);
			json_u64(w, "p50_ns", svm_hist_quantile(l[j]->hist, 0.50));
			json_u64(w, "p90_ns", svm_hist_quantile(l[j]->hist, 0.90));
			json_u64(w, "p99_ns", svm_hist_quantile(l[j]->hist, 0.99));
			json_arr_begin(w, "slots");
			for (k = 0; k < SVM_HIST_SLOTS; k++) {
				if (!l[j]->hist[k])
					continue;
				json_obj_begin(w, NULL);
				json_u64(w, "low_ns", k ? 1ull << k : 0);
				if (k < SVM_HIST_SLOTS - 1)
					json_u64(w, "high_ns", 2ull << k);
				else
					json_null(w, "high_ns");
				json_u64(w, "count", l[j]->hist[k]);
				json_obj_end(w);
			}
			json_arr_end(w);
			json_obj_end(w);
		}
	}
	json_arr_end(w);
	json_obj_end(w);
	json_line_end(w);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: svmtop hist [-p PID] [-P] [-m|-u|--ns] [--migrate|--get-pages|--bind]\n"
		"                   [-T] [--json] [--backend B] [--ready FILE] [-v]\n"
		"                   [interval [count]]\n"
		"Log2 latency histograms of the SVM fault path with count, average\n"
		"and p50/p90/p99 (upper bounds of their log2 slot).  Without an\n"
		"interval: one report at Ctrl-C of everything since start; with\n"
		"one: each report is the delta since the previous one.\n\n"
		"  -p, --pid PID   only this process (the GPU VM's owner)\n"
		"  -P, --per-process  one histogram per process (default: all\n"
		"                  processes merged per device and GT)\n"
		"  -m              milliseconds;  -u microseconds (default);  --ns\n"
		"  --migrate       migration latency, per direction (to_vram,\n"
		"                  to_sysmem) instead of GPU fault latency\n"
		"  --get-pages     get-pages latency;  --bind  bind latency\n"
		"  -T, --timestamp print the time before each report\n"
		"  --json          NDJSON, one object per report, in nanoseconds\n"
		"  --backend B     tp, fentry, kprobe or auto (default)\n"
		"  --ready FILE    create FILE once attached (for scripts)\n"
		"  -v              libbpf debug output\n\n"
		"Examples:\n"
		"  svmtop hist                  # GPU fault latency until Ctrl-C\n"
		"  svmtop hist -P 1 10          # per process, every second, 10 times\n"
		"  svmtop hist --migrate -m -p 1234\n");
}

/* Sleep until deadline (CLOCK_MONOTONIC ns) or a signal asks to stop. */
static void sleep_until(uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = deadline / 1000000000ull,
		.tv_nsec = deadline % 1000000000ull,
	};

	while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int cmd_hist(int argc, char **argv)
{
	enum { O_MIGRATE = 256, O_GP, O_BIND, O_JSON, O_BACKEND, O_READY, O_NS };
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "per-process", no_argument, NULL, 'P' },
		{ "milliseconds", no_argument, NULL, 'm' },
		{ "microseconds", no_argument, NULL, 'u' },
		{ "ns", no_argument, NULL, O_NS },
		{ "migrate", no_argument, NULL, O_MIGRATE },
		{ "get-pages", no_argument, NULL, O_GP },
		{ "bind", no_argument, NULL, O_BIND },
		{ "timestamp", no_argument, NULL, 'T' },
		{ "json", no_argument, NULL, O_JSON },
		{ "backend", required_argument, NULL, O_BACKEND },
		{ "ready", required_argument, NULL, O_READY },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct hist_opts o = { .unit_ns = 1e3, .unit = "usecs" };
	struct svm_opts so = { .backend = SVM_BACKEND_AUTO };
	struct svm_snapshot prev = { 0 }, cur = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct svm_collector *c = NULL;
	struct json_writer w;
	const char *ready = NULL;
	double interval = 0;
	unsigned long count = 0, done = 0, v;
	uint64_t t_prev, deadline;
	int ch, rc, b;
	char *end;

	while ((ch = getopt_long(argc, argv, "p:PmuTvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			v = strtoul(optarg, &end, 10);
			if (*end || !v || v > 0x7fffffff) {
				fprintf(stderr, "svmtop hist: bad PID '%s'\n", optarg);
				return EXIT_USAGE;
			}
			so.filter_tgid = v;
			break;
		case 'P':
			o.per_process = true;
			break;
		case 'm':
			o.unit_ns = 1e6;
			o.unit = "msecs";
			break;
		case 'u':
			o.unit_ns = 1e3;
			o.unit = "usecs";
			break;
		case O_NS:
			o.unit_ns = 1;
			o.unit = "nsecs";
			break;
		case O_MIGRATE:
			o.what = H_MIGRATE;
			break;
		case O_GP:
			o.what = H_GET_PAGES;
			break;
		case O_BIND:
			o.what = H_BIND;
			break;
		case 'T':
			o.timestamps = true;
			break;
		case O_JSON:
			o.json = true;
			break;
		case O_BACKEND:
			b = svm_backend_parse(optarg);
			if (b < 0) {
				fprintf(stderr, "svmtop hist: unknown backend '%s' "
					"(tp, fentry, kprobe, auto)\n", optarg);
				return EXIT_USAGE;
			}
			so.backend = b;
			break;
		case O_READY:
			ready = optarg;
			break;
		case 'v':
			so.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		interval = strtod(argv[optind], &end);
		if (*end || interval <= 0 || interval > 86400) {
			fprintf(stderr, "svmtop hist: bad interval '%s' (seconds)\n",
				argv[optind]);
			return EXIT_USAGE;
		}
		optind++;
	}
	if (optind < argc) {
		count = strtoul(argv[optind], &end, 10);
		if (*end || !count) {
			fprintf(stderr, "svmtop hist: bad count '%s'\n", argv[optind]);
			return EXIT_USAGE;
		}
		optind++;
	}
	if (optind < argc) {
		fprintf(stderr, "svmtop hist: unexpected argument '%s' (see --help)\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (so.backend == SVM_BACKEND_DEBUGFS) {
		fprintf(stderr, "svmtop hist: the debugfs backend has no histograms; "
			"use tp, fentry or kprobe (needs root)\n");
		return EXIT_USAGE;
	}
	rc = svm_open(&so, &c);
	if (rc != EXIT_OK)
		return rc;
	if (svm_backend_of(c) == SVM_BACKEND_DEBUGFS) {
		fprintf(stderr, "svmtop hist: no BPF backend could attach (only the "
			"debugfs stats, which have no histograms): see svmtop probes\n");
		svm_close(c);
		return EXIT_NOBPF;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	json_init(&w, stdout);
	if (svm_read(c, &prev)) {
		fprintf(stderr, "svmtop hist: cannot read the BPF maps\n");
		svm_close(c);
		return EXIT_FAIL;
	}
	if (ready) {
		FILE *f = fopen(ready, "we");

		if (f)
			fclose(f);
		else
			fprintf(stderr, "svmtop hist: cannot create %s: %s\n", ready,
				strerror(errno));
	}
	if (!o.json)
		fprintf(stderr, "Tracing SVM %s latency (%s backend)... %s\n",
			o.what == H_MIGRATE ? "migration" : o.what == H_GET_PAGES ?
			"get-pages" : o.what == H_BIND ? "bind" : "GPU fault",
			svm_backend_name(svm_backend_of(c)),
			interval ? "" : "Hit Ctrl-C to end.");
	t_prev = mono_ns();
	deadline = t_prev;
	rc = EXIT_OK;
	while (1) {
		struct group *g;
		size_t n;
		uint64_t t;

		if (interval) {
			deadline += (uint64_t)(interval * 1e9);
			sleep_until(deadline);
		} else {
			while (!stop)
				usleep(100000);
		}
		t = mono_ns();
		if (svm_read(c, &cur)) {
			fprintf(stderr, "svmtop hist: cannot read the BPF maps\n");
			rc = EXIT_FAIL;
			break;
		}
		/* interval mode: the delta; otherwise prev is the start */
		n = make_groups(&cur, &prev, o.per_process, &g);
		if (o.json)
			report_json(&o, &w, g, n, (t - t_prev) / 1e9);
		else
			report_text(&o, g, n);
		free(g);
		svm_snapshot_free(&prev);
		prev = cur;
		memset(&cur, 0, sizeof(cur));
		t_prev = t;
		if (ferror(stdout)) {
			rc = EXIT_FAIL;
			break;
		}
		if (stop || !interval || (count && ++done >= count))
			break;
	}
	svm_snapshot_free(&prev);
	svm_snapshot_free(&cur);
	svm_close(c);
	return rc;
}
