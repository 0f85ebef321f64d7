// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmtop probes: what this kernel offers the SVM collector, backend by
 * backend, probe by probe: would it attach, and if not why not.  Nothing
 * stays loaded: every check is a lookup or a trial attach of an empty
 * program (BTF alone does not prove that fentry works).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bpfutil.h"
#include "exitcodes.h"
#include "svm.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: svmtop probes [--debugfs DIR]\n"
		"For each SVM backend (tp, fentry, kprobe, debugfs) list its probes:\n"
		"'yes' when it would attach on this kernel, else why not; then the\n"
		"backend 'svmtop' would pick.  Needs root for the BPF checks.\n"
		"Exit status 0 when some backend works, 8 when none does.\n");
}

int cmd_probes(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "debugfs", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const enum svm_backend order[] = {
		SVM_BACKEND_TP, SVM_BACKEND_FENTRY, SVM_BACKEND_KPROBE,
		SVM_BACKEND_DEBUGFS,
	};
	const char *debugfs = NULL;
	enum svm_backend chosen = SVM_BACKEND_NONE;
	bool caps = bpf_caps();
	size_t i, j;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			debugfs = optarg;
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
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		struct svm_probe p[16];
		bool ok = false;
		size_t n = 0;

		if (order[i] != SVM_BACKEND_DEBUGFS && !caps) {
			printf("backend %-7s no: needs root (CAP_BPF and CAP_PERFMON)\n",
			       svm_backend_name(order[i]));
			continue;
		}
		n = svm_probe_backend(order[i], p, 16, &ok, debugfs);
		printf("backend %-7s %s\n", svm_backend_name(order[i]),
		       ok ? "yes" : "no: a required probe cannot attach");
		for (j = 0; j < n; j++)
			printf("  %-7s %-34s %-3s %s%s\n", p[j].kind, p[j].target,
			       p[j].attached ? "yes" : "no", p[j].why,
			       p[j].required ? " [required]" : "");
		if (ok && chosen == SVM_BACKEND_NONE)
			chosen = order[i];
	}
	if (chosen == SVM_BACKEND_NONE) {
		printf("auto: none; svmtop cannot observe the SVM fault path here\n");
		return EXIT_NOBPF;
	}
	printf("auto: %s\n", svm_backend_name(chosen));
	return EXIT_OK;
}
