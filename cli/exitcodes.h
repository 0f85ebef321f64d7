/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svmtop exit codes; documented in --help, man/svmtop.8 and README.md.
 * Keep the three in step with this list.
 */
#ifndef SVMTOP_EXITCODES_H
#define SVMTOP_EXITCODES_H

enum svmtop_exit {
	EXIT_OK		= 0,	/* success */
	EXIT_FAIL	= 1,	/* runtime error not covered below */
	EXIT_USAGE	= 2,	/* bad command line */
	EXIT_NOPERM	= 3,	/* needs root (or CAP_SYS_ADMIN/CAP_BPF) */
	EXIT_NODEBUGFS	= 4,	/* debugfs not mounted / root not found */
	EXIT_NODEVICE	= 5,	/* no DRM device under debugfs */
	EXIT_NOSTATS	= 6,	/* DRM devices but no GT stats files */
	EXIT_NORESET	= 7,	/* --reset: kernel's stats file is read-only */
	EXIT_NOBPF	= 8,	/* BPF backend requested but none could attach */
};

#endif
