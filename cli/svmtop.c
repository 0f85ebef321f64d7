// SPDX-License-Identifier: GPL-2.0-only
/*
 * svmtop: observability for GPU shared virtual memory (SVM).
 *
 * main() only dispatches to a subcommand; each subcommand parses its own
 * options (cli/<name>.c).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "exitcodes.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "stat", cmd_stat, "GT stats from debugfs (and BPF totals with --bpf)" },
	{ "probes", cmd_probes, "what the SVM backends can attach to on this kernel" },
	{ "dump", cmd_dump, "SVM fault-path counters per device, GT, process (NDJSON)" },
	{ "export", cmd_export, "Prometheus exporter (HTTP /metrics, or a textfile)" },
	{ "hist", cmd_hist, "SVM latency histograms (faults, migrations) per GT or process" },
	{ "top", cmd_top, "live dashboard (the default on a terminal)" },
	{ "trace", cmd_trace, "SVM fault-path event stream (one line or NDJSON object per event)" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: svmtop [COMMAND] [OPTIONS]\n"
		"Observability for GPU shared virtual memory (SVM): page faults,\n"
		"migrations between system RAM and VRAM, retries, invalidations.\n\n"
		"Commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\nWithout a command and without options, svmtop runs 'top' (the live\n"
		"dashboard) when stdout is a terminal, otherwise 'stat'; with options\n"
		"and no command it runs 'stat'.\n"
		"'svmtop COMMAND --help' describes each command.\n\n"
		"Examples:\n"
		"  svmtop                         # on a terminal: the live dashboard\n"
		"  svmtop stat                    # table of every GPU's GT stats\n"
		"  svmtop stat -i 1 -n 10         # per-second rates, ten samples\n"
		"  svmtop stat --json             # one NDJSON object per sample\n"
		"  svmtop stat --prom             # Prometheus text format\n"
		"  svmtop export                  # serve http://127.0.0.1:9862/metrics\n\n"
		"Exit codes: 0 ok, 1 error, 2 usage, 3 not permitted (run as root),\n"
		"4 debugfs not mounted, 5 no DRM device, 6 no GT stats,\n"
		"7 counters not resettable, 8 no BPF backend could attach.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "-h") ||
				  !strcmp(argv[1], "--help"))) {
			usage(stdout);
			return EXIT_OK;
		}
		if (argc >= 2 && (!strcmp(argv[1], "-V") ||
				  !strcmp(argv[1], "--version"))) {
			printf("svmtop %s (%s)\n", SVMTOP_VERSION, SVMTOP_GIT_REV);
			return EXIT_OK;
		}
		/* No command: the dashboard on a terminal, else stat (whose
		 * options these are). */
		if (argc < 2 && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO)) {
			argv[0] = (char *)"top";
			return cmd_top(argc, argv);
		}
		argv[0] = (char *)"stat";
		return cmd_stat(argc, argv);
	}

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);

	fprintf(stderr, "svmtop: unknown command '%s'; see 'svmtop --help'\n",
		argv[1]);
	return EXIT_USAGE;
}
