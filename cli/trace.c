// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmtop trace: follow single GPU faults, one line per event.
 *
 * Loads bpf/trace.bpf.c (tp_btf on the xe_svm tracepoints, records into a
 * BPF ring buffer) and prints each record as it arrives: NDJSON when
 * stdout is not a terminal or with --json, a short human line otherwise.
 * Every record is flushed, so a killed svmtop leaves whole lines.
 *
 * Events the ring buffer could not take are counted per type in the
 * kernel (trace_lost); the stream gets a {"event":"lost"} record whenever
 * that count grew in the last --lost-interval, and the end a summary
 * (stream and stderr): delivered + lost = every event the kernel emitted.
 *
 * Which fields each event has (besides ts, event, dev, gt, asid, tgid,
 * comm, task_tgid):
 *   fault_begin  addr access
 *   fault_end    addr access range_start range_size outcome retries
 *                duration_ns errno
 *   fault_retry  addr reason attempt errno
 *   migrate      start size bytes direction trigger duration_ns errno
 *   get_pages    start size devmem duration_ns errno
 *   bind         start size duration_ns errno
 *   invalidate   start end mmu_event ranges tlb_invals duration_ns
 *   gc           ranges bytes duration_ns errno
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/btf.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpfutil.h"
#include "commands.h"
#include "exitcodes.h"
#include "json.h"
#include "svm.h"
#include "trace.skel.h"
#include "../include/trace.h"

static const char *const type_name[TRACE_TYPE_MAX] = {
	"fault_begin", "fault_end", "fault_retry", "migrate",
	"get_pages", "bind", "invalidate", "gc",
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct trace_ctx {
	struct json_writer w;
	FILE *f;
	bool json;
	uint64_t max_events;		/* 0: no limit */
	uint64_t delivered[TRACE_TYPE_MAX];
	uint64_t ndelivered;
	uint64_t t0;			/* first event's ts, for the text view */
};

/* ---- process names ---------------------------------------------------- */

/*
 * tgid -> comm.  The BPF side fills comm only when the event ran in the
 * process itself (faults run in kworkers); otherwise ask /proc once.
 */
#define COMM_SLOTS 1024
static struct {
	uint32_t tgid;
	char comm[TRACE_COMM_LEN];
} comms[COMM_SLOTS];

static const char *comm_of(uint32_t tgid, const char *seen)
{
	unsigned int i = (tgid * 2654435761u) % COMM_SLOTS, n;
	char path[64];
	FILE *f;

	if (!tgid)
		return "";
	for (n = 0; n < COMM_SLOTS; n++, i = (i + 1) % COMM_SLOTS)
		if (!comms[i].tgid || comms[i].tgid == tgid)
			break;
	if (n == COMM_SLOTS)
		i = tgid % COMM_SLOTS;	/* full: evict */
	if (seen[0]) {
		comms[i].tgid = tgid;
		snprintf(comms[i].comm, sizeof(comms[i].comm), "%.*s",
			 TRACE_COMM_LEN - 1, seen);
		return comms[i].comm;
	}
	if (comms[i].tgid == tgid)
		return comms[i].comm;
	comms[i].tgid = tgid;
	comms[i].comm[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%u/comm", tgid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(comms[i].comm, sizeof(comms[i].comm), f))
			comms[i].comm[strcspn(comms[i].comm, "\n")] = '\0';
		fclose(f);
	}
	return comms[i].comm;
}

/* ---- output ----------------------------------------------------------- */

static const char *name_of(const char *const *names, unsigned int n,
			   unsigned int v)
{
	return v < n ? names[v] : "unknown";
}

static void json_hex(struct json_writer *w, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	json_str(w, key, buf);
}

static void print_json(struct trace_ctx *t, const struct trace_event *e,
		       const char *comm)
{
	struct json_writer *w = &t->w;

	json_obj_begin(w, NULL);
	json_u64(w, "ts", e->ts);
	json_str(w, "event", type_name[e->type]);
	json_i64(w, "dev", e->dev);
	json_i64(w, "gt", e->gt);
	json_u64(w, "asid", e->asid);
	json_u64(w, "tgid", e->tgid);
	json_str(w, "comm", comm);
	json_u64(w, "task_tgid", e->cur_tgid);
	switch (e->type) {
	case TRACE_FAULT_BEGIN:
		json_hex(w, "addr", e->addr);
		json_str(w, "access", name_of(svm_access_name, SVM_ACC_MAX, e->code));
		break;
	case TRACE_FAULT_END:
		json_hex(w, "addr", e->addr);
		json_str(w, "access", name_of(svm_access_name, SVM_ACC_MAX, e->code));
		json_hex(w, "range_start", e->start);
		json_u64(w, "range_size", e->size);
		json_str(w, "outcome", e->err ? "error" :
			 name_of(svm_outcome_name, SVM_OUT_MAX, e->code2));
		if (e->count == UINT32_MAX)	/* function backends */
			json_null(w, "retries");
		else
			json_u64(w, "retries", e->count);
		json_u64(w, "duration_ns", e->duration_ns);
		json_i64(w, "errno", e->err);
		break;
	case TRACE_FAULT_RETRY:
		json_hex(w, "addr", e->addr);
		json_str(w, "reason", name_of(svm_retry_name, SVM_RETRY_MAX, e->code));
		json_u64(w, "attempt", e->count);
		json_i64(w, "errno", e->err);
		break;
	case TRACE_MIGRATE:
		json_hex(w, "start", e->start);
		json_u64(w, "size", e->size);
		json_u64(w, "bytes", e->bytes);
		json_str(w, "direction", name_of(svm_dir_name, SVM_DIR_MAX, e->code));
		json_str(w, "trigger", name_of(svm_trigger_name, SVM_TRIG_MAX, e->code2));
		json_u64(w, "duration_ns", e->duration_ns);
		json_i64(w, "errno", e->err);
		break;
	case TRACE_GET_PAGES:
		json_hex(w, "start", e->start);
		json_u64(w, "size", e->size);
		json_bool(w, "devmem", e->code);
		json_u64(w, "duration_ns", e->duration_ns);
		json_i64(w, "errno", e->err);
		break;
	case TRACE_BIND:
		json_hex(w, "start", e->start);
		json_u64(w, "size", e->size);
		json_u64(w, "duration_ns", e->duration_ns);
		json_i64(w, "errno", e->err);
		break;
	case TRACE_INVALIDATE:
		json_hex(w, "start", e->start);
		json_hex(w, "end", e->start + e->size);
		json_u64(w, "mmu_event", e->code);
		json_u64(w, "ranges", e->count);
		json_u64(w, "tlb_invals", e->aux);
		json_u64(w, "duration_ns", e->duration_ns);
		break;
	case TRACE_GC:
		json_u64(w, "ranges", e->count);
		json_u64(w, "bytes", e->bytes);
		json_u64(w, "duration_ns", e->duration_ns);
		json_i64(w, "errno", e->err);
		break;
	}
	json_obj_end(w);
	json_line_end(w);
}

static const char *size_str(uint64_t v, char *buf, size_t n)
{
	if (v && !(v & ((1ull << 20) - 1)))
		snprintf(buf, n, "%lluM", (unsigned long long)(v >> 20));
	else if (v && !(v & 1023))
		snprintf(buf, n, "%lluK", (unsigned long long)(v >> 10));
	else
		snprintf(buf, n, "%llu", (unsigned long long)v);
	return buf;
}

static void print_text(struct trace_ctx *t, const struct trace_event *e,
		       const char *comm)
{
	char d[160] = "", s1[24];
	double us = e->duration_ns / 1000.0;

	switch (e->type) {
	case TRACE_FAULT_BEGIN:
		snprintf(d, sizeof(d), "addr=0x%llx %s",
			 (unsigned long long)e->addr,
			 name_of(svm_access_name, SVM_ACC_MAX, e->code));
		break;
	case TRACE_FAULT_END:
		snprintf(d, sizeof(d), "addr=0x%llx %s %s range=0x%llx+%s retries=%u %.1f us%s",
			 (unsigned long long)e->addr,
			 name_of(svm_access_name, SVM_ACC_MAX, e->code),
			 e->err ? "error" : name_of(svm_outcome_name, SVM_OUT_MAX, e->code2),
			 (unsigned long long)e->start, size_str(e->size, s1, sizeof(s1)),
			 e->count, us, e->err ? " err" : "");
		if (e->err)
			snprintf(d + strlen(d), sizeof(d) - strlen(d), "=%d", e->err);
		break;
	case TRACE_FAULT_RETRY:
		snprintf(d, sizeof(d), "addr=0x%llx reason=%s attempt=%u err=%d",
			 (unsigned long long)e->addr,
			 name_of(svm_retry_name, SVM_RETRY_MAX, e->code), e->count, e->err);
		break;
	case TRACE_MIGRATE:
		snprintf(d, sizeof(d), "%s by %s 0x%llx+%s moved %llu B %.1f us err=%d",
			 name_of(svm_dir_name, SVM_DIR_MAX, e->code),
			 name_of(svm_trigger_name, SVM_TRIG_MAX, e->code2),
			 (unsigned long long)e->start, size_str(e->size, s1, sizeof(s1)),
			 (unsigned long long)e->bytes, us, e->err);
		break;
	case TRACE_GET_PAGES:
	case TRACE_BIND:
		snprintf(d, sizeof(d), "0x%llx+%s%s %.1f us err=%d",
			 (unsigned long long)e->start, size_str(e->size, s1, sizeof(s1)),
			 e->type == TRACE_GET_PAGES && e->code ? " devmem" : "",
			 us, e->err);
		break;
	case TRACE_INVALIDATE:
		snprintf(d, sizeof(d), "0x%llx+%s event=%u ranges=%u tlb=%u %.1f us",
			 (unsigned long long)e->start, size_str(e->size, s1, sizeof(s1)),
			 e->code, e->count, e->aux, us);
		break;
	case TRACE_GC:
		snprintf(d, sizeof(d), "ranges=%u bytes=%s %.1f us err=%d", e->count,
			 size_str(e->bytes, s1, sizeof(s1)), us, e->err);
		break;
	}
	if (!t->t0)
		t->t0 = e->ts;
	fprintf(t->f, "%12.6f %-11s %3d %3d %7u %-15s %s\n",
		(e->ts - t->t0) / 1e9, type_name[e->type], e->dev, e->gt,
		e->tgid, comm[0] ? comm : "-", d);
	fflush(t->f);
}

static int on_event(void *ctx, void *data, size_t len)
{
	struct trace_ctx *t = ctx;
	const struct trace_event *e = data;
	const char *comm;

	if (len < sizeof(*e) || e->type >= TRACE_TYPE_MAX)
		return 0;
	if (t->max_events && t->ndelivered >= t->max_events)
		return 0;	/* -n reached: the rest of this batch is dropped */
	t->delivered[e->type]++;
	t->ndelivered++;
	comm = comm_of(e->tgid, e->comm);
	if (t->json)
		print_json(t, e, comm);
	else
		print_text(t, e, comm);
	if (t->max_events && t->ndelivered >= t->max_events)
		stop = 1;
	return 0;
}

/* ---- lost events ------------------------------------------------------ */

static int read_lost(int fd, int ncpus, uint64_t lost[TRACE_TYPE_MAX])
{
	uint64_t *v = calloc(ncpus, sizeof(*v));
	uint32_t k;
	int i;

	if (!v)
		return -ENOMEM;
	for (k = 0; k < TRACE_TYPE_MAX; k++) {
		lost[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, v))
			continue;
		for (i = 0; i < ncpus; i++)
			lost[k] += v[i];
	}
	free(v);
	return 0;
}

static uint64_t sum(const uint64_t *v)
{
	uint64_t s = 0;
	int i;

	for (i = 0; i < TRACE_TYPE_MAX; i++)
		s += v[i];
	return s;
}

static void by_type(struct json_writer *w, const char *key, const uint64_t *v)
{
	int i;

	json_obj_begin(w, key);
	for (i = 0; i < TRACE_TYPE_MAX; i++)
		json_u64(w, type_name[i], v[i]);
	json_obj_end(w);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ---- command ---------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: svmtop trace [-p PID] [--json|--text] [-n COUNT] [-d SECS]\n"
		"                    [--backend B]\n"
		"                    [--ringbuf-pages N] [--lost-interval SECS]\n"
		"                    [--ready FILE] [-v]\n"
		"Follow the SVM fault path event by event (xe_svm tracepoints):\n"
		"fault begin/end, retries, migrations, get-pages, binds,\n"
		"invalidations, garbage collection.  NDJSON when stdout is not a\n"
		"terminal (or --json), one human line per event otherwise.\n"
		"Events the ring buffer could not take are counted and reported:\n"
		"a {\"event\":\"lost\"} record when the count grew, and a summary at\n"
		"the end.  Stops on SIGINT/SIGTERM, after COUNT events or SECS.\n\n"
		"  -p, --pid PID         only this process (the VM's owner)\n"
		"      --json            NDJSON, one object per event\n"
		"      --text            one human line per event\n"
		"  -n, --count COUNT     stop after COUNT events\n"
		"  -d, --duration SECS   stop after SECS seconds\n"
		"      --backend B       tp (xe_svm tracepoints: every event), fentry or\n"
		"                        kprobe (stock xe: fault_begin/fault_end only),\n"
		"                        auto (default: the first that works)\n"
		"      --ringbuf-pages N ring buffer size in pages, a power of 2\n"
		"                        (default %d)\n"
		"      --lost-interval S check for lost events every S seconds (1)\n"
		"      --ready FILE      create FILE once attached (for scripts)\n"
		"      --pause-while FILE  do not read while FILE exists (tests the\n"
		"                        lost-event accounting)\n"
		"  -v                    libbpf debug output\n\n"
		"Examples:\n"
		"  svmtop trace -p 1234\n"
		"  svmtop trace --json | jq 'select(.event==\"fault_end\")'\n",
		TRACE_RINGBUF_PAGES);
}

static bool verbose;

static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

#define PF_FUNC "xe_svm_handle_pagefault"

/*
 * Which programs this kernel takes, libbpf-tools style: the tracepoints
 * when they exist (every event), else fentry/fexit on the fault handler
 * when BTF has it and a trial attach works, else kprobes (fault_begin and
 * fault_end only).  want: SVM_BACKEND_AUTO or one forced.
 */
static enum svm_backend choose(enum svm_backend want, char *why, size_t len)
{
	struct kbtfs *k = calloc(1, sizeof(*k));
	enum svm_backend got = SVM_BACKEND_NONE;
	const char *where;
	int fd, id;

	snprintf(why, len, "no kernel BTF");
	if (k && !kbtfs_load(k)) {
		if ((want == SVM_BACKEND_AUTO || want == SVM_BACKEND_TP) &&
		    kbtfs_find(k, "btf_trace_xe_svm_fault_end", BTF_KIND_TYPEDEF,
			       &fd, &where) >= 0)
			got = SVM_BACKEND_TP;
		else
			snprintf(why, len, "no xe_svm tracepoints");
		if (got == SVM_BACKEND_NONE &&
		    (want == SVM_BACKEND_AUTO || want == SVM_BACKEND_FENTRY)) {
			id = kbtfs_find(k, PF_FUNC, BTF_KIND_FUNC, &fd, &where);
			if (id < 0)
				snprintf(why + strlen(why), len - strlen(why),
					 ", no " PF_FUNC " in BTF");
			else if (bpf_trial_attach(id, fd, BPF_TRACE_FENTRY) ||
				 bpf_trial_attach(id, fd, BPF_TRACE_FEXIT))
				snprintf(why + strlen(why), len - strlen(why),
					 ", fentry does not attach to " PF_FUNC);
			else
				got = SVM_BACKEND_FENTRY;
		}
	}
	if (k)
		kbtfs_free(k);
	free(k);
	if (got == SVM_BACKEND_NONE &&
	    (want == SVM_BACKEND_AUTO || want == SVM_BACKEND_KPROBE)) {
		static const char *const f[] = { PF_FUNC };

		ksym_want(f, 1);
		if (!kprobes_supported())
			snprintf(why + strlen(why), len - strlen(why),
				 ", no kprobes in this kernel");
		else if (!ksym_exists(PF_FUNC))
			snprintf(why + strlen(why), len - strlen(why),
				 ", no " PF_FUNC " in kallsyms");
		else
			got = SVM_BACKEND_KPROBE;
	}
	return got;
}

static void set_backend(struct trace_bpf *skel, enum svm_backend b)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, skel->obj) {
		const char *sec = bpf_program__section_name(p);
		bool tp = !strncmp(sec, "tp_btf/", 7);
		bool fe = !strncmp(sec, "fentry/", 7) || !strncmp(sec, "fexit/", 6);

		bpf_program__set_autoload(p, b == SVM_BACKEND_TP ? tp :
					  b == SVM_BACKEND_FENTRY ? fe : !tp && !fe);
	}
}

int cmd_trace(int argc, char **argv)
{
	enum { O_JSON = 256, O_TEXT, O_PAGES, O_LOSTIV, O_READY, O_PAUSE, O_BACKEND };
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, O_JSON },
		{ "text", no_argument, NULL, O_TEXT },
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "ringbuf-pages", required_argument, NULL, O_PAGES },
		{ "lost-interval", required_argument, NULL, O_LOSTIV },
		{ "ready", required_argument, NULL, O_READY },
		{ "pause-while", required_argument, NULL, O_PAUSE },
		{ "backend", required_argument, NULL, O_BACKEND },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct trace_ctx t = { .f = stdout, .json = !isatty(STDOUT_FILENO) };
	const char *ready = NULL, *pause_file = NULL;
	unsigned long pages = TRACE_RINGBUF_PAGES, pid = 0;
	double duration = 0, lost_iv = 1;
	uint64_t lost[TRACE_TYPE_MAX] = { 0 }, reported = 0, t_end = 0, t_lost;
	struct trace_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	enum svm_backend want = SVM_BACKEND_AUTO, backend;
	char why[256];
	int c, err, ncpus, rc = EXIT_OK;
	char *end;

	while ((c = getopt_long(argc, argv, "p:n:d:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pid = strtoul(optarg, &end, 10);
			if (*end || !pid || pid > 0x7fffffff) {
				fprintf(stderr, "svmtop trace: bad PID '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_JSON:
			t.json = true;
			break;
		case O_TEXT:
			t.json = false;
			break;
		case 'n':
			t.max_events = strtoull(optarg, &end, 10);
			if (*end || !t.max_events) {
				fprintf(stderr, "svmtop trace: bad count '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'd':
			duration = strtod(optarg, &end);
			if (*end || duration <= 0) {
				fprintf(stderr, "svmtop trace: bad duration '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_PAGES:
			pages = strtoul(optarg, &end, 10);
			if (*end || !pages || (pages & (pages - 1)) || pages > 65536) {
				fprintf(stderr, "svmtop trace: --ringbuf-pages wants a power of 2 "
					"from 1 to 65536, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_LOSTIV:
			lost_iv = strtod(optarg, &end);
			if (*end || lost_iv <= 0) {
				fprintf(stderr, "svmtop trace: bad --lost-interval '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_READY:
			ready = optarg;
			break;
		case O_PAUSE:
			pause_file = optarg;
			break;
		case O_BACKEND:
			c = svm_backend_parse(optarg);
			if (c < 0 || c == SVM_BACKEND_DEBUGFS) {
				fprintf(stderr, "svmtop trace: backend '%s' unknown "
					"(tp, fentry, kprobe, auto)\n", optarg);
				return EXIT_USAGE;
			}
			want = c;
			break;
		case 'v':
			verbose = true;
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
		fprintf(stderr, "svmtop trace: unexpected argument '%s' (see --help)\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (!bpf_caps()) {
		fprintf(stderr, "svmtop trace: needs root (CAP_BPF and CAP_PERFMON)\n");
		return EXIT_NOPERM;
	}
	libbpf_set_print(print_libbpf);
	backend = choose(want, why, sizeof(why));
	if (backend == SVM_BACKEND_NONE) {
		fprintf(stderr, "svmtop trace: nothing to trace on this kernel (%s): "
			"load svmsim or xe, see svmtop probes\n", why);
		return EXIT_NOBPF;
	}
	if (backend != SVM_BACKEND_TP)
		fprintf(stderr, "svmtop trace: %s backend: fault_begin and fault_end "
			"only, without outcome and retries (%s)\n",
			svm_backend_name(backend),
			want == SVM_BACKEND_AUTO ? why : "chosen with --backend");
	ncpus = libbpf_num_possible_cpus();
	skel = trace_bpf__open();
	if (!skel || ncpus <= 0) {
		fprintf(stderr, "svmtop trace: cannot open the BPF object\n");
		return EXIT_FAIL;
	}
	skel->rodata->filter_tgid = pid;
	set_backend(skel, backend);
	bpf_map__set_max_entries(skel->maps.trace_events,
				 pages * sysconf(_SC_PAGESIZE));
	err = trace_bpf__load(skel);
	if (!err)
		err = trace_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "svmtop trace: cannot load or attach the tracepoint "
			"programs: %s (try -v)\n", strerror(-err));
		rc = EXIT_NOBPF;
		goto out;
	}
	json_init(&t.w, stdout);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.trace_events), on_event, &t, NULL);
	if (!rb) {
		fprintf(stderr, "svmtop trace: cannot open the ring buffer: %s\n",
			strerror(errno));
		rc = EXIT_FAIL;
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (ready) {
		FILE *rf = fopen(ready, "w");

		if (rf)
			fclose(rf);
		else
			fprintf(stderr, "svmtop trace: cannot create %s: %s\n", ready,
				strerror(errno));
	}
	if (!t.json) {
		printf("%12s %-11s %3s %3s %7s %-15s %s\n", "TIME(s)", "EVENT", "DEV",
		       "GT", "TGID", "COMM", "DETAILS");
		fflush(stdout);
	}
	if (duration)
		t_end = now_ns() + (uint64_t)(duration * 1e9);
	t_lost = now_ns() + (uint64_t)(lost_iv * 1e9);
	while (!stop) {
		if (pause_file && access(pause_file, F_OK) == 0) {
			usleep(20000);
		} else {
			err = ring_buffer__poll(rb, 100);
			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "svmtop trace: reading the ring buffer: %s\n",
					strerror(-err));
				rc = EXIT_FAIL;
				break;
			}
		}
		if (ferror(stdout)) {
			rc = EXIT_FAIL;
			break;
		}
		if (t_end && now_ns() >= t_end)
			break;
		if (now_ns() >= t_lost) {
			read_lost(bpf_map__fd(skel->maps.trace_lost), ncpus, lost);
			if (sum(lost) > reported) {
				if (t.json) {
					json_obj_begin(&t.w, NULL);
					json_u64(&t.w, "ts", now_ns());
					json_str(&t.w, "event", "lost");
					json_u64(&t.w, "lost", sum(lost) - reported);
					json_u64(&t.w, "lost_total", sum(lost));
					json_obj_end(&t.w);
					json_line_end(&t.w);
				} else {
					fprintf(stdout, "lost %llu events (%llu in all)\n",
						(unsigned long long)(sum(lost) - reported),
						(unsigned long long)sum(lost));
					fflush(stdout);
				}
				reported = sum(lost);
			}
			t_lost = now_ns() + (uint64_t)(lost_iv * 1e9);
		}
	}
	/* What is already in the buffer was emitted before we stopped: take it. */
	if (!t.max_events || t.ndelivered < t.max_events)
		ring_buffer__consume(rb);
	read_lost(bpf_map__fd(skel->maps.trace_lost), ncpus, lost);
	if (t.json && !ferror(stdout)) {
		json_obj_begin(&t.w, NULL);
		json_u64(&t.w, "ts", now_ns());
		json_str(&t.w, "event", "summary");
		json_str(&t.w, "backend", svm_backend_name(backend));
		json_u64(&t.w, "delivered", t.ndelivered);
		json_u64(&t.w, "lost", sum(lost));
		by_type(&t.w, "delivered_by_event", t.delivered);
		by_type(&t.w, "lost_by_event", lost);
		json_obj_end(&t.w);
		json_line_end(&t.w);
	}
	fprintf(stderr, "svmtop trace: %llu events, %llu lost%s\n",
		(unsigned long long)t.ndelivered, (unsigned long long)sum(lost),
		sum(lost) ? " (reader too slow: try --ringbuf-pages or -p)" : "");
out:
	ring_buffer__free(rb);
	trace_bpf__destroy(skel);
	return rc;
}
