/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Subcommands of the svmtop binary.  Each lives in its own cli/<name>.c and
 * gets argc/argv with argv[0] set to the subcommand's name.
 */
#ifndef SVMTOP_COMMANDS_H
#define SVMTOP_COMMANDS_H

int cmd_stat(int argc, char **argv);
int cmd_probes(int argc, char **argv);	/* cli/probes.c */
int cmd_dump(int argc, char **argv);	/* cli/svmdump.c */
int cmd_export(int argc, char **argv);
int cmd_hist(int argc, char **argv);	/* cli/hist.c */
int cmd_trace(int argc, char **argv);	/* cli/trace.c */
int cmd_top(int argc, char **argv);	/* cli/top.c */

#endif
