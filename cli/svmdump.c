// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmtop dump: the SVM collector's counters as NDJSON, one object per
 * sample, every (device, GT, process) entry with every counter; the raw
 * material for scripts and for svmtop's own exactness tests.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "json.h"
#include "svm.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: svmtop dump [--backend B] [-p PID] [-i SECS] [-n COUNT]\n"
		"                   [--ready FILE] [-v]\n"
		"Print the SVM fault-path counters per device, GT and process as\n"
		"NDJSON: every -i SECS, and once more when stopped (SIGINT,\n"
		"SIGTERM) or after COUNT samples.  Counters are cumulative since\n"
		"start.\n\n"
		"  --backend B   tp, fentry, kprobe, debugfs or auto (default)\n"
		"  -p, --pid P   only this process (BPF backends)\n"
		"  -i SECS       sample interval (default: only at the end)\n"
		"  -n COUNT      stop after COUNT samples\n"
		"  --ready FILE  create FILE once attached (for scripts)\n"
		"  -v            libbpf debug output\n\n"
		"Example:\n"
		"  svmtop dump --backend fentry -i 1 -n 5\n");
}

static void lat(struct json_writer *w, const char *key, const struct svm_lat *l)
{
	int k, last = -1;

	json_obj_begin(w, key);
	json_u64(w, "count", l->count);
	json_u64(w, "errors", l->errors);
	json_u64(w, "ns_sum", l->ns_sum);
	for (k = 0; k < SVM_HIST_SLOTS; k++)
		if (l->hist[k])
			last = k;
	json_arr_begin(w, "hist");
	for (k = 0; k <= last; k++)
		json_u64(w, NULL, l->hist[k]);
	json_arr_end(w);
	json_obj_end(w);
}

static void svm_json_stats(struct json_writer *w, const struct svm_stats *s)
{
	int a, o, d, t;

	json_u64(w, "faults_total", svm_faults_total(s));
	json_obj_begin(w, "faults");
	for (a = 0; a < SVM_ACC_MAX; a++) {
		if (!svm_faults_access(s, a))
			continue;
		json_obj_begin(w, svm_access_name[a]);
		for (o = 0; o < SVM_OUT_MAX; o++)
			if (s->faults[a][o])
				json_u64(w, svm_outcome_name[o], s->faults[a][o]);
		json_obj_end(w);
	}
	json_obj_end(w);
	json_obj_begin(w, "outcomes");
	for (o = 0; o < SVM_OUT_MAX; o++)
		json_u64(w, svm_outcome_name[o], svm_faults_outcome(s, o));
	json_obj_end(w);
	lat(w, "fault", &s->fault);
	json_obj_begin(w, "retries");
	for (o = 0; o < SVM_RETRY_MAX; o++)
		json_u64(w, svm_retry_name[o], s->retries[o]);
	json_obj_end(w);
	json_obj_begin(w, "migrations");
	for (d = 0; d < SVM_DIR_MAX; d++) {
		json_obj_begin(w, svm_dir_name[d]);
		for (t = 0; t < SVM_TRIG_MAX; t++) {
			const struct svm_mig *m = &s->mig[d][t];

			json_obj_begin(w, svm_trigger_name[t]);
			json_u64(w, "count", m->count);
			json_u64(w, "bytes", m->bytes);
			json_u64(w, "failed", m->failed);
			json_obj_end(w);
		}
		lat(w, "latency", &s->mig_lat[d]);
		json_obj_end(w);
	}
	json_obj_end(w);
	lat(w, "get_pages", &s->get_pages);
	lat(w, "bind", &s->bind);
	json_obj_begin(w, "gc");
	json_u64(w, "runs", s->gc_runs);
	json_u64(w, "ranges", s->gc_ranges);
	json_u64(w, "bytes", s->gc_bytes);
	json_u64(w, "ns", s->gc_ns);
	json_obj_end(w);
	json_obj_begin(w, "invalidate");
	json_u64(w, "count", s->inval);
	json_u64(w, "ranges", s->inval_ranges);
	json_u64(w, "tlb", s->inval_tlb);
	json_u64(w, "ns", s->inval_ns);
	json_obj_end(w);
}

static void emit(const struct svm_collector *c, const struct svm_snapshot *s,
		 double t)
{
	struct json_writer w;
	size_t i, np;
	const struct svm_probe *p = svm_probes(c, &np);

	json_init(&w, stdout);
	json_obj_begin(&w, NULL);
	json_double(&w, "time", t, 3);
	json_str(&w, "backend", svm_backend_name(s->backend));
	json_obj_begin(&w, "probes");
	for (i = 0; i < np; i++)
		json_bool(&w, p[i].target, p[i].attached);
	json_obj_end(&w);
	json_obj_begin(&w, "health");
	json_u64(&w, "events", s->health.events);
	json_u64(&w, "key_overflow", s->health.key_overflow);
	json_u64(&w, "key_lost", s->health.key_lost);
	json_u64(&w, "state_full", s->health.state_full);
	json_u64(&w, "orphan_return", s->health.orphan_return);
	json_u64(&w, "unattributed", s->health.unattributed);
	json_u64(&w, "bpf_run_ns", s->bpf_run_ns);
	json_u64(&w, "bpf_run_cnt", s->bpf_run_cnt);
	json_obj_end(&w);
	json_arr_begin(&w, "entries");
	for (i = 0; i < s->n; i++) {
		const struct svm_entry *e = &s->v[i];

		json_obj_begin(&w, NULL);
		json_i64(&w, "dev", e->key.dev);
		json_i64(&w, "gt", e->key.gt);
		json_u64(&w, "tgid", e->key.tgid);
		json_str(&w, "comm", e->comm);
		svm_json_stats(&w, &e->st);
		json_obj_end(&w);
	}
	json_arr_end(&w);
	json_obj_end(&w);
	json_line_end(&w);
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "pid", required_argument, NULL, 'p' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "ready", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct svm_opts o = { .backend = SVM_BACKEND_AUTO };
	struct svm_collector *c;
	const char *ready = NULL;
	double interval = 0;
	long count = 0, n = 0;
	struct sigaction sa;
	char *end;
	int ch, rc, b;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+p:i:n:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			b = svm_backend_parse(optarg);
			if (b < 0) {
				fprintf(stderr, "svmtop dump: unknown backend '%s' "
					"(tp, fentry, kprobe, debugfs, auto)\n", optarg);
				return EXIT_USAGE;
			}
			o.backend = b;
			break;
		case 'p':
			o.filter_tgid = strtoul(optarg, &end, 10);
			if (*end || !o.filter_tgid) {
				fprintf(stderr, "svmtop dump: -p wants a PID\n");
				return EXIT_USAGE;
			}
			break;
		case 'i':
			interval = strtod(optarg, &end);
			if (*end || interval <= 0) {
				fprintf(stderr, "svmtop dump: -i wants seconds > 0\n");
				return EXIT_USAGE;
			}
			break;
		case 'n':
			count = strtol(optarg, &end, 10);
			if (*end || count <= 0) {
				fprintf(stderr, "svmtop dump: -n wants a count > 0\n");
				return EXIT_USAGE;
			}
			break;
		case 'r':
			ready = optarg;
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
	rc = svm_open(&o, &c);
	if (rc != EXIT_OK)
		return rc;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (ready) {
		FILE *f = fopen(ready, "we");

		if (f)
			fclose(f);
		else
			fprintf(stderr, "svmtop dump: cannot create %s: %s\n",
				ready, strerror(errno));
	}
	for (;;) {
		struct svm_snapshot s;
		double t0 = now();
		bool last;

		while (!stop && (!interval || now() - t0 < interval))
			usleep(interval ? 20000 : 50000);
		last = stop || (count && n + 1 >= count);
		if (svm_read(c, &s)) {
			fprintf(stderr, "svmtop dump: reading the counters failed\n");
			rc = EXIT_FAIL;
			break;
		}
		emit(c, &s, now());
		svm_snapshot_free(&s);
		n++;
		if (last)
			break;
	}
	svm_close(c);
	return rc;
}
