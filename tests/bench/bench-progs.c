// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-progs: the per-event cost of svmtop's BPF programs against an
 * empty program on the same hook, measured by the kernel in the same run.
 *
 *   bench-progs --backend tp|fentry|kprobe|hmm-fentry|hmm-kprobe \
 *               --empty OBJ [--passes N] -- COMMAND [ARGS...]
 *
 * Attaches svmtop's collector for that backend exactly as svmtop does
 * (svm_open / hmm_backend_open from libsvmtop.a), and beside it every
 * program of OBJ (tests/bench/gen-empty.sh: same sections, same names,
 * empty bodies) whose kind belongs to the backend, each loaded on its own
 * so that a hook this kernel lacks only skips that pair.  Then runs
 * COMMAND 1 + N times (default 5) with BPF run-time statistics on
 * (BPF_ENABLE_STATS) and prints, for each run but the first, one
 * tab-separated line per hook:
 *
 *   backend pass section name svm_runs svm_ns empty_runs empty_ns
 *
 * (svm_* summed over the programs of that name that are not ours; "-"
 * when svmtop did not attach there.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../../cli/exitcodes.h"
#include "../../cli/hmm.h"
#include "../../cli/svm.h"

#define MAXP 128

struct pair {
	char name[64];
	char sec[128];
	struct bpf_object *obj;
	struct bpf_link *link;
	__u32 id;			/* the empty program's id */
	__u64 e_runs, e_ns, s_runs, s_ns;
	__u64 b_e_runs, b_e_ns, b_s_runs, b_s_ns;	/* after the warm-up */
	int s_progs;
};

static int run(char **cmd)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -1;
}

/* Every program in the system: ours by id, svmtop's by name. */
static void read_stats(struct pair *pairs, int np)
{
	__u32 id = 0;
	int i;

	for (i = 0; i < np; i++) {
		pairs[i].e_runs = pairs[i].e_ns = 0;
		pairs[i].s_runs = pairs[i].s_ns = 0;
		pairs[i].s_progs = 0;
	}
	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
			for (i = 0; i < np; i++) {
				struct pair *p = &pairs[i];

				if (strncmp(info.name, p->name, sizeof(info.name) - 1))
					continue;
				if (info.id == p->id) {
					p->e_runs = info.run_cnt;
					p->e_ns = info.run_time_ns;
				} else {
					p->s_runs += info.run_cnt;
					p->s_ns += info.run_time_ns;
					p->s_progs++;
				}
			}
		}
		close(fd);
	}
}

static int quiet(enum libbpf_print_level l, const char *f, va_list ap)
{
	return 0;
}

static bool kind_of(const char *backend, const char *sec)
{
	bool hmm = !strncmp(backend, "hmm-", 4);
	const char *b = hmm ? backend + 4 : backend;

	if (!strcmp(b, "tp"))
		return !strncmp(sec, "tp_btf/", 7);
	if (!strcmp(b, "fentry"))
		return !strncmp(sec, "fentry/", 7) || !strncmp(sec, "fexit/", 6);
	if (!strcmp(b, "kprobe"))
		return !strncmp(sec, "kprobe/", 7) || !strncmp(sec, "kretprobe/", 10);
	return false;
}

/* Load and attach only program idx of the object file. */
static int load_one(const char *path, const char *name, struct pair *p)
{
	struct bpf_program *prog, *me = NULL;
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	p->obj = bpf_object__open_file(path, NULL);
	if (!p->obj)
		return -errno;
	bpf_object__for_each_program(prog, p->obj) {
		bool it = !strcmp(bpf_program__name(prog), name);

		bpf_program__set_autoload(prog, it);
		if (it)
			me = prog;
	}
	if (!me || bpf_object__load(p->obj))
		return -ENOENT;
	p->link = bpf_program__attach(me);
	if (!p->link)
		return -errno;
	if (bpf_obj_get_info_by_fd(bpf_program__fd(me), &info, &len))
		return -errno;
	p->id = info.id;
	return 0;
}

int main(int argc, char **argv)
{
	const char *backend = NULL, *empty = NULL;
	struct svm_collector *sc = NULL;
	struct hmm_backend *hb = NULL;
	static struct pair pairs[MAXP];
	struct bpf_object *tmpl;
	struct bpf_program *prog;
	int np = 0, i, stats_fd, rc, pass, passes = 5;

	while (argc > 1 && strcmp(argv[1], "--")) {
		if (!strcmp(argv[1], "--backend") && argc > 2)
			backend = argv[2];
		else if (!strcmp(argv[1], "--empty") && argc > 2)
			empty = argv[2];
		else if (!strcmp(argv[1], "--passes") && argc > 2)
			passes = atoi(argv[2]);
		else
			break;
		argc -= 2;
		argv += 2;
	}
	if (!backend || !empty || passes < 1 || argc < 3 || strcmp(argv[1], "--")) {
		fprintf(stderr, "usage: bench-progs --backend B --empty OBJ [--passes N] -- COMMAND...\n");
		return 2;
	}
	libbpf_set_print(quiet);
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		fprintf(stderr, "bench-progs: BPF_ENABLE_STATS: %s\n", strerror(-stats_fd));
		return 1;
	}
	if (!strncmp(backend, "hmm-", 4)) {
		struct hmm_opts o = {
			.mode = !strcmp(backend, "hmm-kprobe") ? HMM_MODE_KPROBE
							       : HMM_MODE_FENTRY,
		};
		rc = hmm_backend_open(&o, &hb);
	} else {
		struct svm_opts o = { .backend = svm_backend_parse(backend) };

		rc = (int)o.backend < 0 ? EXIT_USAGE : svm_open(&o, &sc);
	}
	if (rc != EXIT_OK) {
		fprintf(stderr, "bench-progs: svmtop's %s backend did not attach\n", backend);
		return 1;
	}

	tmpl = bpf_object__open_file(empty, NULL);
	if (!tmpl) {
		fprintf(stderr, "bench-progs: cannot open %s\n", empty);
		return 1;
	}
	bpf_object__for_each_program(prog, tmpl) {
		const char *sec = bpf_program__section_name(prog);
		struct pair *p = &pairs[np];

		if (!kind_of(backend, sec) || np == MAXP)
			continue;
		snprintf(p->name, sizeof(p->name), "%s", bpf_program__name(prog));
		snprintf(p->sec, sizeof(p->sec), "%s", sec);
		if (load_one(empty, p->name, p)) {
			fprintf(stderr, "bench-progs: empty %s (%s) did not attach: skipped\n",
				p->name, sec);
			bpf_link__destroy(p->link);
			bpf_object__close(p->obj);
			continue;
		}
		np++;
	}
	bpf_object__close(tmpl);

	/*
	 * A warm-up run that does not count: it pays one-time costs that
	 * would swamp a few dozen events (under qemu TCG the first execution
	 * of freshly JITed code is translated; the first insert of each map
	 * key, cold caches).  Then PASSES measured runs, each reported on its
	 * own so that the reader can take a median: a host that deschedules
	 * the emulator in the middle of one program run inflates that pass.
	 */
	if (run(argv + 2))
		fprintf(stderr, "bench-progs: the warm-up run failed\n");
	for (pass = 1; pass <= passes; pass++) {
		read_stats(pairs, np);
		for (i = 0; i < np; i++) {
			pairs[i].b_e_runs = pairs[i].e_runs;
			pairs[i].b_e_ns = pairs[i].e_ns;
			pairs[i].b_s_runs = pairs[i].s_runs;
			pairs[i].b_s_ns = pairs[i].s_ns;
		}
		if (run(argv + 2))
			fprintf(stderr, "bench-progs: measured run %d failed\n", pass);
		read_stats(pairs, np);
		for (i = 0; i < np; i++) {
			struct pair *p = &pairs[i];

			if (p->s_progs)
				printf("%s\t%d\t%s\t%s\t%llu\t%llu\t%llu\t%llu\n",
				       backend, pass, p->sec, p->name,
				       (unsigned long long)(p->s_runs - p->b_s_runs),
				       (unsigned long long)(p->s_ns - p->b_s_ns),
				       (unsigned long long)(p->e_runs - p->b_e_runs),
				       (unsigned long long)(p->e_ns - p->b_e_ns));
			else
				printf("%s\t%d\t%s\t%s\t-\t-\t%llu\t%llu\n",
				       backend, pass, p->sec, p->name,
				       (unsigned long long)(p->e_runs - p->b_e_runs),
				       (unsigned long long)(p->e_ns - p->b_e_ns));
		}
	}
	for (i = 0; i < np; i++) {
		bpf_link__destroy(pairs[i].link);
		bpf_object__close(pairs[i].obj);
	}
	if (sc)
		svm_close(sc);
	if (hb)
		hmm_backend_close(hb);
	close(stats_fd);
	return 0;
}
