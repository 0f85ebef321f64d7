// SPDX-License-Identifier: GPL-2.0-only
/*
 * hmm-drive: drive lib/test_hmm (/dev/hmm_dmirror0) through its ioctls in
 * patterns whose HMM calls are known exactly, for svmtop's VM tests.
 *
 *   hmm-drive attrib   a child works on its parent's memory through the
 *                      parent's mirror (like a driver's kworker): every
 *                      count must land on the parent's tgid
 *   hmm-drive rewalk   snapshot, migrate, snapshot the same range (one
 *                      operation, three walks), then fault another range
 *   hmm-drive errors   hmm_range_fault() on PROT_NONE (-EFAULT) and
 *                      migrate_vma_setup() on a VM_MIXEDMAP vma (-EINVAL)
 *
 * Prints "key=value" lines (pids) on stdout; exits 0 when every ioctl gave
 * what test_hmm documents, 1 otherwise.  The numbers each scenario must
 * produce in svmtop are derived in tests/vm/hmm-expected.md.
 *
 * Build: cc -O2 -I<kernel source>/lib hmm-drive.c (test_hmm's uapi
 * header comes from the kernel source, never copied here).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <test_hmm_uapi.h>

static long psz;
static int failures;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "hmm-drive: FAIL %s:%d: ",	\
				__func__, __LINE__);			\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			failures++;					\
		}							\
	} while (0)

static int dm_open(void)
{
	int fd = open("/dev/hmm_dmirror0", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror("hmm-drive: /dev/hmm_dmirror0 (is test_hmm loaded?)");
		exit(2);
	}
	return fd;
}

/* One test_hmm command; 0 or -errno, *out gets cpages/faults. */
static int dm_cmd(int fd, unsigned long req, void *addr, void *ptr,
		  unsigned long npages, struct hmm_dmirror_cmd *out)
{
	struct hmm_dmirror_cmd c = {
		.addr = (uintptr_t)addr,
		.ptr = (uintptr_t)ptr,
		.npages = npages,
	};

	while (ioctl(fd, req, &c)) {
		if (errno != EINTR)
			return -errno;
	}
	if (out)
		*out = c;
	return 0;
}

static void *map_anon(unsigned long npages)
{
	void *p = mmap(NULL, npages * psz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("hmm-drive: mmap");
		exit(2);
	}
	return p;
}

/* Make every page present with a known value. */
static void fill(void *buf, unsigned long npages, unsigned int seed)
{
	unsigned int *v = buf;
	unsigned long i, n = npages * psz / sizeof(*v);

	for (i = 0; i < n; i++)
		v[i] = seed + i;
}

/*
 * Touch one word per page (a CPU fault each when the page is on the
 * device) and check it; returns how many pages were wrong.
 */
static unsigned long touch(void *buf, unsigned long npages, unsigned int seed)
{
	unsigned long i, bad = 0;

	for (i = 0; i < npages; i++) {
		unsigned int *v = (unsigned int *)((char *)buf + i * psz);

		if (*v != seed + i * (psz / sizeof(*v)))
			bad++;
	}
	return bad;
}

/*
 * The parent's mirror, used by a forked child: test_hmm works on the mm
 * the file was opened in (the parent's), in the child's context.
 */
static int attrib(void)
{
	struct hmm_dmirror_cmd c;
	void *buf, *mirror;
	int fd, go[2], st;
	pid_t child;
	char x = 0;

	fd = dm_open();
	buf = map_anon(128);
	mirror = malloc(128 * psz);
	if (!mirror || pipe(go))
		return 2;
	child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		int r;

		close(go[1]);
		if (read(go[0], &x, 1) != 1)
			_exit(2);
		r = dm_cmd(fd, HMM_DMIRROR_MIGRATE_TO_DEV, buf, mirror, 64, &c);
		CHECK(r == 0 && c.cpages == 64, "migrate: %d cpages %llu", r,
		      (unsigned long long)c.cpages);
		r = dm_cmd(fd, HMM_DMIRROR_READ, (char *)buf + 64 * psz, mirror,
			   64, &c);
		CHECK(r == 0 && c.cpages == 64 && c.faults == 1,
		      "read: %d cpages %llu faults %llu", r,
		      (unsigned long long)c.cpages,
		      (unsigned long long)c.faults);
		_exit(failures ? 1 : 0);
	}
	close(go[0]);
	/* Fill after the fork: these pages are the parent's alone. */
	fill(buf, 128, 1000);
	if (write(go[1], &x, 1) != 1)
		return 2;
	waitpid(child, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child failed");
	/* 64 CPU faults on device pages, in the parent. */
	CHECK(touch(buf, 64, 1000) == 0, "data after migrating back");
	printf("parent=%d\nchild=%d\n", (int)getpid(), (int)child);
	close(fd);
	return failures ? 1 : 0;
}

static int rewalk(void)
{
	struct hmm_dmirror_cmd c;
	unsigned char *perm;
	void *buf;
	int fd, r;
	unsigned long i, local = 0;

	fd = dm_open();
	buf = map_anon(128);
	perm = malloc(128 * psz);
	if (!perm)
		return 2;
	fill(buf, 128, 7);

	/* The xe pattern: look, migrate, get pages, all on one range. */
	r = dm_cmd(fd, HMM_DMIRROR_SNAPSHOT, buf, perm, 64, &c);
	CHECK(r == 0 && c.cpages == 64, "snapshot 1: %d", r);
	r = dm_cmd(fd, HMM_DMIRROR_MIGRATE_TO_DEV, buf, perm, 64, &c);
	CHECK(r == 0 && c.cpages == 64, "migrate: %d cpages %llu", r,
	      (unsigned long long)c.cpages);
	r = dm_cmd(fd, HMM_DMIRROR_SNAPSHOT, buf, perm, 64, &c);
	CHECK(r == 0 && c.cpages == 64, "snapshot 2: %d", r);
	for (i = 0; i < 64; i++)
		local += perm[i] == (HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL |
				     HMM_DMIRROR_PROT_WRITE);
	CHECK(local == 64, "snapshot 2 sees %lu device pages, want 64", local);
	/* Another range: a new operation. */
	r = dm_cmd(fd, HMM_DMIRROR_READ, (char *)buf + 64 * psz, perm, 64, &c);
	CHECK(r == 0 && c.cpages == 64 && c.faults == 1, "read: %d", r);
	printf("pid=%d\n", (int)getpid());
	close(fd);
	return failures ? 1 : 0;
}

static int errors(void)
{
	void *none, *mixed, *mirror;
	int fd, r;

	fd = dm_open();
	mirror = malloc(16 * psz);
	none = map_anon(16);
	fill(none, 16, 3);
	if (!mirror || mprotect(none, 16 * psz, PROT_NONE))
		return 2;
	r = dm_cmd(fd, HMM_DMIRROR_READ, none, mirror, 16, NULL);
	CHECK(r == -EFAULT, "read of PROT_NONE gave %d, want -EFAULT", r);

	/* test_hmm's own mmap inserts pages: VM_MIXEDMAP, not migratable. */
	mixed = mmap(NULL, 4 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (mixed == MAP_FAILED)
		return 2;
	r = dm_cmd(fd, HMM_DMIRROR_MIGRATE_TO_DEV, mixed, mirror, 4, NULL);
	CHECK(r == -EINVAL, "migrate of a mixed map gave %d, want -EINVAL", r);
	printf("pid=%d\n", (int)getpid());
	munmap(mixed, 4 * psz);
	close(fd);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	psz = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "attrib"))
		return attrib();
	if (argc == 2 && !strcmp(argv[1], "rewalk"))
		return rewalk();
	if (argc == 2 && !strcmp(argv[1], "errors"))
		return errors();
	fprintf(stderr, "usage: hmm-drive attrib|rewalk|errors\n");
	return 2;
}
