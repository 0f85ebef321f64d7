/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheduler types (include/linux/sched.h): the task fields svmtop reads to
 * name a process.
 */
#ifndef SVMTOP_BPF_CORE_SCHED_H
#define SVMTOP_BPF_CORE_SCHED_H

#define TASK_COMM_LEN 16

struct mm_struct;

struct task_struct {
	pid_t pid;			/* thread id */
	pid_t tgid;			/* process id */
	char comm[TASK_COMM_LEN];	/* thread name */
	struct mm_struct *mm;		/* NULL for kernel threads */
	struct task_struct *group_leader; /* main thread of the process */
} __core;

#endif
