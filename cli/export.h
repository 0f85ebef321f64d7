/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `svmtop export`: the Prometheus exporter.
 *
 *   collectors (one per source: GT stats, HMM BPF backend, later xe BPF)
 *        |  every -i SECS, in the collector thread
 *        v
 *   exposition (text 0.0.4 + OpenMetrics), built whole into memory and
 *   published under a lock (refcounted: a slow client keeps its own copy)
 *        |
 *        v
 *   HTTP event loop (poll, non-blocking sockets) or the textfile writer
 *
 * So HTTP never blocks collection and a scrape never waits for a read of
 * debugfs or of the BPF maps.
 */
#ifndef SVMTOP_EXPORT_H
#define SVMTOP_EXPORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hmm.h"

#define EXPORT_DEFAULT_LISTEN	"127.0.0.1:9862"
#define EXPORT_DEFAULT_INTERVAL	5.0
#define EXPORT_MAX_COLLECTORS	8
#define EXPORT_MAX_PROBES	16

struct export_opts {
	const char *listen;		/* ADDR:PORT, [v6]:PORT */
	const char *textfile;		/* node_exporter textfile mode */
	double interval;		/* seconds between collections */
	bool interval_given;
	const char *debugfs;		/* GT stats root */
	bool debugfs_given;
	unsigned int collectors;	/* bit per collector (EXPORT_COLL_*) */
	int per_process;		/* HMM series per process, top N; 0 none */
	struct hmm_opts hmm;
	int max_conns;
	double read_timeout;		/* a request must arrive within this */
	double idle_timeout;		/* keep-alive connections closed after */
	bool keep_caps;			/* do not drop capabilities */
};

enum { EXPORT_COLL_GT = 1, EXPORT_COLL_HMM = 2 };

/* ---- collectors --------------------------------------------------------- */

struct export_probe {
	const char *probe;		/* kernel function or tracepoint */
	const char *kind;		/* fentry, kprobe, tp_btf, none ... */
	bool attached;
};

struct collector;

struct collector_ops {
	const char *name;		/* value of the "collector" label */
	/*
	 * Open the source (needs the privileges that are dropped after).
	 * 0: ready; < 0: not available, c->why says why in one line (the
	 * collector is then reported with svmtop_collector_up 0).
	 */
	int (*open)(struct collector *c, const struct export_opts *o);
	/*
	 * Read the source and write its families (text format 0.0.4,
	 * HELP/TYPE included, family names unique to the collector) to f.
	 * 0, or -errno with c->why set; output of a failed call is dropped.
	 * Also refreshes c->probes, c->lost and c->overflow.
	 */
	int (*collect)(struct collector *c, FILE *f);
	void (*close)(struct collector *c);
};

struct collector {
	const struct collector_ops *ops;
	void *priv;
	bool opened;
	bool up;			/* last collect succeeded */
	char why[256];			/* why not up, one line */
	char logged[256];		/* last reason logged (log changes once) */
	double duration;		/* seconds the last collect took */
	struct export_probe probes[EXPORT_MAX_PROBES];
	size_t n_probes;
	bool has_loss;			/* lost/overflow below are meaningful */
	uint64_t lost;			/* events not (fully) counted */
	uint64_t overflow;		/* counted, but in a shared overflow entry */
};

extern const struct collector_ops export_gt_collector;
extern const struct collector_ops export_hmm_collector;

/* ---- expositions ------------------------------------------------------- */

/* One collection, in both formats; freed when the last reader lets go. */
struct expo {
	int refs;			/* under expo_store.lock */
	char *text;			/* 0.0.4 */
	size_t text_len;
	char *om;			/* OpenMetrics 1.0.0, without "# EOF" */
	size_t om_len;
	double t_mono;			/* CLOCK_MONOTONIC when collected */
};

struct expo_store {
	pthread_mutex_t lock;
	struct expo *cur;
};

struct expo *expo_get(struct expo_store *st);	/* NULL before the first */
void expo_put(struct expo_store *st, struct expo *e);
void expo_publish(struct expo_store *st, struct expo *e);

/*
 * Run every opened collector once and build the exposition: svmtop's own
 * families (build info, collector_up, scrape duration, probes, losses)
 * first, then each collector's families.  Logs a collector's failure
 * reason once per change.  NULL only when out of memory.
 */
struct expo *export_collect(struct collector *c, size_t n);
void expo_free(struct expo *e);

/*
 * Text format 0.0.4 -> OpenMetrics 1.0.0: a counter family "x_total" is
 * named "x" in HELP/TYPE (its samples keep _total), "untyped" becomes
 * "unknown", and a counter family not named _total becomes "unknown"
 * (valid rather than wrong: OpenMetrics counter samples end in _total).  No "# EOF": the caller ends the body.
 * Returns 0, or -ENOMEM.
 */
int expo_to_openmetrics(const char *in, size_t len, FILE *out);

/* ---- HTTP --------------------------------------------------------------- */

#define HTTP_MAX_HEADER		8192	/* request line + headers; else 431 */

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_req {
	enum http_method method;
	char path[256];			/* without the query */
	char format[16];		/* ?format=text|openmetrics, or "" */
	bool http10;
	bool conn_close;		/* Connection: close (or HTTP/1.0) */
	bool has_body;			/* Content-Length > 0 / chunked */
	bool openmetrics;		/* Accept prefers OpenMetrics */
};

/*
 * Parse one request head from buf[0..len).  Returns the head's length
 * (through the blank line) when complete, 0 when more bytes are needed,
 * or -400 (malformed), -431 (head longer than HTTP_MAX_HEADER), -505
 * (not HTTP/1.x).  Pure: the unit tests and the fuzz harness call it.
 */
int http_parse_request(const char *buf, size_t len, struct http_req *r);
/* Does this Accept header value prefer OpenMetrics over text 0.0.4? */
bool http_accept_openmetrics(const char *accept);

/*
 * Bind and listen on spec ("127.0.0.1:9862", "[::1]:9862", ":9862" for
 * every address; port 0: any free port, see http_local_addr).  Returns the
 * socket, or -1 (cannot bind) / -2 (bad spec) after one line on stderr.
 */
int http_listen(const char *spec);
/* "127.0.0.1:9862" / "[::1]:9862" of a bound socket (port 0 resolved). */
char *http_local_addr(int fd, char *buf, size_t len);

/*
 * Serve until a signal arrives on sigfd (signalfd of SIGINT/SIGTERM).
 * Returns 0.
 */
int http_serve(int lfd, int sigfd, struct expo_store *st,
	       const struct export_opts *o);

/* ---- textfile mode, capabilities, command -------------------------------- */

/* Write e's 0.0.4 text to path via path.tmp + rename.  0 or -errno. */
int export_write_textfile(const char *path, const struct expo *e);

/*
 * Drop every capability (effective, permitted, inheritable, ambient) but
 * those in keep (bit CAP_x).  0 or -errno.  Capabilities are per thread:
 * call before starting threads.
 */
int caps_set(uint64_t keep_effective, uint64_t keep_permitted);
/* Current permitted set, or 0 when it cannot be read. */
uint64_t caps_permitted(void);
/* "cap_bpf,cap_perfmon" for a mask (for the log). */
char *caps_names(char *buf, size_t len, uint64_t mask);

int export_parse_args(int argc, char **argv, struct export_opts *o);

#endif
