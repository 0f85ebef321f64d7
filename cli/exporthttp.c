// SPDX-License-Identifier: GPL-2.0-only
/*
 * `svmtop export`: the HTTP side.  One thread, one poll() loop over
 * non-blocking sockets; it only ever copies a prepared exposition out, so
 * no client can hold up collection, and no client can hold up another:
 *
 * - a request head must arrive whole within --read-timeout of its first
 *   byte (slow-loris), else 408 and close; idle keep-alive connections
 *   close after --idle-timeout; a response not taken within
 *   HTTP_WRITE_TIMEOUT closes;
 * - a head longer than HTTP_MAX_HEADER gets 431, a malformed one 400,
 *   another method 405, another path 404, another HTTP version 505;
 *   error responses close the connection after a short lingering read,
 *   so the client sees the status rather than a reset;
 * - at --max-connections, accepting a new client closes the oldest idle
 *   one (or the oldest at all): new scrapes win over stale connections;
 * - partial writes continue on POLLOUT from where they stopped; the
 *   exposition they send stays alive (refcount) while newer ones publish.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "prom.h"

#define HTTP_WRITE_TIMEOUT	30.0	/* seconds to take a whole response */
#define HTTP_LINGER		2.0	/* seconds of reading after an error */
#define HTTP_ACCEPT_BATCH	64	/* accepts per loop turn */

static const char CT_TEXT[] = "text/plain; version=0.0.4; charset=utf-8";
static const char CT_OM[] =
	"application/openmetrics-text; version=1.0.0; charset=utf-8";

/* ---- request parsing (pure) --------------------------------------------- */

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c);
}

/* q of a media range's parameters ";a=b;q=0.5": default 1. */
static double media_q(const char *p, const char *end)
{
	while (p < end) {
		const char *semi = memchr(p, ';', end - p);

		if (!semi)
			break;
		p = semi + 1;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			char num[16];
			size_t n = 0;

			p += 2;
			while (p < end && n < sizeof(num) - 1 &&
			       ((*p >= '0' && *p <= '9') || *p == '.'))
				num[n++] = *p++;
			num[n] = '\0';
			return n ? strtod(num, NULL) : 0;
		}
	}
	return 1;
}

bool http_accept_openmetrics(const char *accept)
{
	double q_om = 0, q_text = 0;
	const char *p = accept;

	while (*p) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		const char *m = p, *mend;

		while (m < end && (*m == ' ' || *m == '\t'))
			m++;
		mend = m;
		while (mend < end && *mend != ';' && *mend != ' ' &&
		       *mend != '\t')
			mend++;
		if ((size_t)(mend - m) == 28 &&
		    !strncasecmp(m, "application/openmetrics-text", 28)) {
			double q = media_q(mend, end);

			if (q > q_om)
				q_om = q;
		} else if ((size_t)(mend - m) == 10 &&
			   !strncasecmp(m, "text/plain", 10)) {
			double q = media_q(mend, end);

			if (q > q_text)
				q_text = q;
		}
		p = comma ? comma + 1 : end;
	}
	/* Prometheus asks for OpenMetrics at q=1 and text at q=0.5 */
	return q_om > 0 && q_om >= q_text;
}

/* Next line of buf[p..len): its end (before \r\n or \n), or NULL. */
static const char *line_end(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', end - p);

	if (!nl)
		return NULL;
	*next = nl + 1;
	return nl > p && nl[-1] == '\r' ? nl - 1 : nl;
}

static int parse_request_line(const char *p, const char *e,
			      struct http_req *r)
{
	const char *m = p, *sp1, *sp2, *t, *q;
	size_t n;

	while (p < e && is_tchar(*p))
		p++;
	if (p == m || p >= e || *p != ' ')
		return -400;
	n = p - m;
	r->method = n == 3 && !memcmp(m, "GET", 3) ? HTTP_GET :
		    n == 4 && !memcmp(m, "HEAD", 4) ? HTTP_HEAD : HTTP_OTHER;
	sp1 = p;
	sp2 = memchr(sp1 + 1, ' ', e - sp1 - 1);
	if (!sp2 || sp2 == sp1 + 1)
		return -400;
	t = sp1 + 1;
	for (q = t; q < sp2; q++)
		if ((unsigned char)*q <= ' ' || *q == 0x7f)
			return -400;
	if (*t != '/' && !(sp2 - t == 1 && *t == '*'))
		return -400;
	/* version */
	if (e - sp2 - 1 != 8 || memcmp(sp2 + 1, "HTTP/", 5))
		return e - sp2 - 1 >= 5 && !memcmp(sp2 + 1, "HTTP/", 5) ?
			-505 : -400;
	if (sp2[6] != '1' || sp2[7] != '.' ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return sp2[6] >= '0' && sp2[6] <= '9' ? -505 : -400;
	r->http10 = sp2[8] == '0';
	r->conn_close = r->http10;
	/* path and ?format= */
	q = memchr(t, '?', sp2 - t);
	n = (q ? q : sp2) - t;
	if (n < sizeof(r->path)) {
		memcpy(r->path, t, n);
		r->path[n] = '\0';
	} else {
		snprintf(r->path, sizeof(r->path), "/?too-long");
	}
	while (q && q < sp2) {
		const char *a = q + 1, *amp = memchr(a, '&', sp2 - a);
		const char *aend = amp ? amp : sp2;

		if (aend - a > 7 && !memcmp(a, "format=", 7) &&
		    (size_t)(aend - a - 7) < sizeof(r->format)) {
			memcpy(r->format, a + 7, aend - a - 7);
			r->format[aend - a - 7] = '\0';
		}
		q = amp;
	}
	return 0;
}

/* Does the comma-separated header value v[0..n) hold token tok? */
static bool has_token(const char *v, size_t n, const char *tok)
{
	size_t tl = strlen(tok), i = 0;

	while (i < n) {
		size_t s, e;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == tl && !strncasecmp(v + s, tok, tl))
			return true;
	}
	return false;
}

int http_parse_request(const char *buf, size_t len, struct http_req *r)
{
	const char *p = buf, *end = buf + len, *e, *next;
	int ret;

	memset(r, 0, sizeof(*r));
	/* tolerate blank lines before the request line (RFC 9112 2.2) */
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	e = line_end(p, end, &next);
	if (!e)
		return len >= HTTP_MAX_HEADER ? -431 : 0;
	if ((size_t)(next - buf) > HTTP_MAX_HEADER)
		return -431;
	ret = parse_request_line(p, e, r);
	if (ret)
		return ret;
	for (p = next;;) {
		const char *colon, *v, *ve;
		size_t nl;

		e = line_end(p, end, &next);
		if (!e)
			return len >= HTTP_MAX_HEADER ? -431 : 0;
		if ((size_t)(next - buf) > HTTP_MAX_HEADER)
			return -431;
		if (e == p)
			return (int)(next - buf);	/* blank line: done */
		if (*p == ' ' || *p == '\t')
			return -400;	/* obsolete line folding */
		colon = memchr(p, ':', e - p);
		if (!colon || colon == p)
			return -400;
		for (v = p; v < colon; v++)
			if (!is_tchar(*v))
				return -400;
		for (v = colon + 1; v < e; v++)
			if (((unsigned char)*v < ' ' && *v != '\t') ||
			    *v == 0x7f)
				return -400;
		nl = colon - p;
		v = colon + 1;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		ve = e;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (nl == 6 && !strncasecmp(p, "Accept", 6)) {
			char a[1024];
			size_t n = ve - v < (long)sizeof(a) - 1 ?
				   (size_t)(ve - v) : sizeof(a) - 1;

			memcpy(a, v, n);
			a[n] = '\0';
			r->openmetrics |= http_accept_openmetrics(a);
		} else if (nl == 10 && !strncasecmp(p, "Connection", 10)) {
			if (has_token(v, ve - v, "close"))
				r->conn_close = true;
			else if (has_token(v, ve - v, "keep-alive"))
				r->conn_close = false;
		} else if (nl == 14 && !strncasecmp(p, "Content-Length", 14)) {
			const char *d;

			if (v == ve)
				return -400;
			for (d = v; d < ve; d++)
				if (*d < '0' || *d > '9')
					return -400;
				else if (*d != '0')
					r->has_body = true;
		} else if (nl == 17 &&
			   !strncasecmp(p, "Transfer-Encoding", 17)) {
			r->has_body = true;
		}
		p = next;
	}
}

/* ---- listening ---------------------------------------------------------- */

int http_listen(const char *spec)
{
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	char host[256], port[16];
	const char *colon;
	int fd = -1, err = 0, one = 1, r;
	size_t hl;
	char *end;
	long pn;

	if (spec[0] == '[') {
		const char *rb = strchr(spec, ']');

		if (!rb || rb[1] != ':')
			goto bad;
		hl = rb - spec - 1;
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, spec + 1, hl);
		colon = rb + 1;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || memchr(spec, ':', colon - spec))
			goto bad;	/* bare IPv6 needs brackets */
		hl = colon - spec;
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, spec, hl);
	}
	host[hl] = '\0';
	errno = 0;
	pn = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || pn < 0 || pn > 65535)
		goto bad;
	snprintf(port, sizeof(port), "%ld", pn);

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	r = getaddrinfo(hl ? host : NULL, port, &hints, &res);
	if (r) {
		fprintf(stderr, "svmtop: export: cannot listen on %s: %s\n",
			spec, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family,
			    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 512) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		fprintf(stderr, "svmtop: export: cannot listen on %s: %s%s\n",
			spec, strerror(err),
			err == EADDRINUSE ? " (another svmtop export or another exporter holds the port); choose another with --listen ADDR:PORT" :
			err == EACCES ? " (ports below 1024 need CAP_NET_BIND_SERVICE); choose another with --listen ADDR:PORT" :
			err == EADDRNOTAVAIL ? " (no such local address)" : "");
		return -1;
	}
	return fd;
bad:
	fprintf(stderr, "svmtop: export: bad --listen '%s': give ADDR:PORT, e.g. 127.0.0.1:9862, [::1]:9862 or :9862 (every address)\n",
		spec);
	return -2;
}

char *http_local_addr(int fd, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN + 1], port[8];

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) ||
	    getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), port,
			sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, ss.ss_family == AF_INET6 ? "[%s]:%s" :
			 "%s:%s", host, port);
	return buf;
}

/* ---- connections -------------------------------------------------------- */

enum cstate { C_READ, C_WRITE, C_LINGER };

struct conn {
	int fd;
	enum cstate st;
	double born;			/* accept time, for "oldest" */
	double deadline;
	size_t in_len;
	size_t head_len;		/* of the request being answered */
	bool close_after;
	struct expo *expo;		/* keeps body alive while sending */
	char hdr[512];
	size_t hdr_len;
	const char *body;
	size_t body_len;
	char *tail;			/* own families (+ "# EOF"), malloc'd */
	size_t tail_len;
	size_t sent;
	char in[HTTP_MAX_HEADER];
};

static const int codes[] = { 200, 400, 404, 405, 408, 431, 503, 505 };
#define N_CODES (sizeof(codes) / sizeof(codes[0]))

struct server {
	struct conn **c;
	size_t n;
	struct expo_store *st;
	const struct export_opts *o;
	uint64_t requests[N_CODES];
	uint64_t accepted;
	uint64_t closed_limit, closed_timeout, closed_idle;
};

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void conn_release(struct server *s, struct conn *c)
{
	expo_put(s->st, c->expo);
	c->expo = NULL;
	free(c->tail);
	c->tail = NULL;
	c->body = NULL;
	c->body_len = c->tail_len = c->hdr_len = c->sent = 0;
}

static void conn_close(struct server *s, size_t i)
{
	struct conn *c = s->c[i];

	conn_release(s, c);
	close(c->fd);
	free(c);
	s->c[i] = s->c[--s->n];
}

static const char *reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 431: return "Request Header Fields Too Large";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

static void count(struct server *s, int code)
{
	size_t i;

	for (i = 0; i < N_CODES; i++)
		if (codes[i] == code)
			s->requests[i]++;
}

/* svmtop's HTTP families, at response time (so they count this request). */
static void http_families(struct server *s, const struct expo *e, FILE *f)
{
	struct prom_label l[1];
	char code[8], v[32];
	size_t i;

	prom_family(f, "svmtop_collection_age_seconds", "gauge",
		    "Seconds since the data served was collected: stays below the collection interval (-i) unless the collector is stuck.");
	snprintf(v, sizeof(v), "%.3f", mono() - e->t_mono);
	prom_sample(f, "svmtop_collection_age_seconds", NULL, 0, v);

	prom_family(f, "svmtop_http_requests_total", "counter",
		    "HTTP requests answered by svmtop export, by status code.");
	for (i = 0; i < N_CODES; i++) {
		snprintf(code, sizeof(code), "%d", codes[i]);
		l[0] = (struct prom_label){ "code", code };
		prom_sample_u64(f, "svmtop_http_requests_total", l, 1,
				s->requests[i]);
	}
	prom_family(f, "svmtop_http_connections_total", "counter",
		    "TCP connections accepted.");
	prom_sample_u64(f, "svmtop_http_connections_total", NULL, 0,
			s->accepted);
	prom_family(f, "svmtop_http_connections_closed_total", "counter",
		    "Connections svmtop closed itself: limit (--max-connections reached, the oldest made room), timeout (request not received in time, or response not taken), idle (keep-alive unused).");
	l[0] = (struct prom_label){ "reason", "limit" };
	prom_sample_u64(f, "svmtop_http_connections_closed_total", l, 1,
			s->closed_limit);
	l[0] = (struct prom_label){ "reason", "timeout" };
	prom_sample_u64(f, "svmtop_http_connections_closed_total", l, 1,
			s->closed_timeout);
	l[0] = (struct prom_label){ "reason", "idle" };
	prom_sample_u64(f, "svmtop_http_connections_closed_total", l, 1,
			s->closed_idle);
	prom_family(f, "svmtop_http_open_connections", "gauge",
		    "Connections open now (this one included).");
	prom_sample_u64(f, "svmtop_http_open_connections", NULL, 0, s->n);
}

static const char INDEX[] =
	"<!DOCTYPE html>\n<html><head><title>svmtop export</title></head>\n"
	"<body><h1>svmtop export</h1>\n"
	"<p>GPU shared virtual memory (SVM) metrics for Prometheus.</p>\n"
	"<p><a href=\"/metrics\">/metrics</a> (text format 0.0.4; OpenMetrics"
	" 1.0.0 when Accept asks for it, or <a href=\"/metrics?format=openmetrics\">"
	"?format=openmetrics</a>)</p>\n</body></html>\n";

/* Prepare the response; the connection moves to C_WRITE. */
static void respond(struct server *s, struct conn *c, int code,
		    const struct http_req *r)
{
	const char *ct = "text/plain; charset=utf-8", *extra = "";
	bool head = r && r->method == HTTP_HEAD;
	char errbody[96];
	size_t clen;

	conn_release(s, c);
	c->close_after = !r || r->conn_close || r->has_body || code >= 400;
	if (code == 200 && !strcmp(r->path, "/metrics")) {
		bool om = r->format[0] ? !strcmp(r->format, "openmetrics") :
					 r->openmetrics;
		FILE *f;
		char *text = NULL;
		size_t text_len = 0;

		c->expo = expo_get(s->st);
		if (!c->expo) {
			code = 503;
			goto error;
		}
		count(s, 200);
		f = open_memstream(&text, &text_len);
		if (f) {
			http_families(s, c->expo, f);
			fclose(f);
		}
		if (om) {
			f = open_memstream(&c->tail, &c->tail_len);
			if (f) {
				if (text)
					expo_to_openmetrics(text, text_len, f);
				fputs("# EOF\n", f);
				fclose(f);
			}
			free(text);
			c->body = c->expo->om;
			c->body_len = c->expo->om_len;
			ct = CT_OM;
		} else {
			c->tail = text;
			c->tail_len = text ? text_len : 0;
			c->body = c->expo->text;
			c->body_len = c->expo->text_len;
			ct = CT_TEXT;
		}
	} else if (code == 200) {
		count(s, 200);
		c->body = INDEX;
		c->body_len = sizeof(INDEX) - 1;
		ct = "text/html; charset=utf-8";
	} else {
error:
		count(s, code);
		if (code == 405)
			extra = "Allow: GET, HEAD\r\n";
		snprintf(errbody, sizeof(errbody), "%d %s\n", code,
			 reason(code));
		c->tail = strdup(errbody);
		c->tail_len = c->tail ? strlen(c->tail) : 0;
		c->close_after = true;
	}
	clen = c->body_len + c->tail_len;
	c->hdr_len = snprintf(c->hdr, sizeof(c->hdr),
			      "HTTP/1.1 %d %s\r\n"
			      "Content-Type: %s\r\n"
			      "Content-Length: %zu\r\n"
			      "Cache-Control: no-store\r\n"
			      "%s"
			      "Connection: %s\r\n\r\n",
			      code, reason(code), ct, clen, extra,
			      c->close_after ? "close" : "keep-alive");
	if (head) {
		c->body_len = 0;
		c->tail_len = 0;
	}
	c->sent = 0;
	c->st = C_WRITE;
	c->deadline = mono() + HTTP_WRITE_TIMEOUT;
}

/* Answer what c->in holds, if a whole head is there. */
static void process_input(struct server *s, struct conn *c)
{
	struct http_req r;
	int n;

	if (!c->in_len)
		return;
	n = http_parse_request(c->in, c->in_len, &r);
	if (n == 0) {
		if (c->in_len >= sizeof(c->in))
			respond(s, c, 431, NULL);
		return;
	}
	if (n < 0) {
		c->head_len = c->in_len;
		respond(s, c, -n, NULL);
		return;
	}
	c->head_len = n;
	if (r.method == HTTP_OTHER)
		respond(s, c, 405, &r);
	else if (!strcmp(r.path, "/metrics") || !strcmp(r.path, "/"))
		respond(s, c, 200, &r);
	else
		respond(s, c, 404, &r);
}

/* The response is out: close, linger, or wait for the next request. */
static bool write_done(struct server *s, struct conn *c)
{
	conn_release(s, c);
	if (c->close_after) {
		/* let the client read the status before we close: a close
		 * with unread input would send it a reset instead */
		shutdown(c->fd, SHUT_WR);
		c->st = C_LINGER;
		c->deadline = mono() + HTTP_LINGER;
		return true;
	}
	memmove(c->in, c->in + c->head_len, c->in_len - c->head_len);
	c->in_len -= c->head_len;
	c->head_len = 0;
	c->st = C_READ;
	c->deadline = mono() + (c->in_len ? s->o->read_timeout :
					    s->o->idle_timeout);
	process_input(s, c);		/* a pipelined request */
	return true;
}

/* Send what the socket takes.  false: the connection is dead. */
static bool do_write(struct server *s, struct conn *c)
{
	for (;;) {
		const struct { const char *p; size_t n; } seg[3] = {
			{ c->hdr, c->hdr_len },
			{ c->body, c->body_len },
			{ c->tail, c->tail_len },
		};
		struct iovec iov[3];
		struct msghdr mh = { 0 };
		size_t off = c->sent, k = 0, j;
		ssize_t w;

		for (j = 0; j < 3; j++) {
			if (off >= seg[j].n) {
				off -= seg[j].n;
				continue;
			}
			iov[k].iov_base = (char *)seg[j].p + off;
			iov[k++].iov_len = seg[j].n - off;
			off = 0;
		}
		if (!k)
			return write_done(s, c);
		mh.msg_iov = iov;
		mh.msg_iovlen = k;
		w = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK;
		}
		c->sent += w;
	}
}

/* Read what is there.  false: the connection is done. */
static bool do_read(struct server *s, struct conn *c)
{
	for (;;) {
		char sink[4096];
		ssize_t r;

		if (c->st == C_LINGER) {
			r = read(c->fd, sink, sizeof(sink));
		} else {
			if (c->in_len >= sizeof(c->in)) {
				process_input(s, c);
				return true;
			}
			r = read(c->fd, c->in + c->in_len,
				 sizeof(c->in) - c->in_len);
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK;
		}
		if (r == 0)
			return false;	/* peer closed */
		if (c->st == C_LINGER)
			continue;
		if (!c->in_len)		/* a request starts: its clock too */
			c->deadline = mono() + s->o->read_timeout;
		c->in_len += r;
		process_input(s, c);
		if (c->st != C_READ)
			return c->st == C_WRITE ? do_write(s, c) : true;
	}
}

/* Make room for a new connection: the oldest idle one, else the oldest. */
static void evict_oldest(struct server *s)
{
	size_t i, best = s->n;

	for (i = 0; i < s->n; i++)
		if (s->c[i]->st == C_READ && !s->c[i]->in_len &&
		    (best == s->n || s->c[i]->born < s->c[best]->born))
			best = i;
	if (best == s->n)
		for (i = 0; i < s->n; i++)
			if (best == s->n || s->c[i]->born < s->c[best]->born)
				best = i;
	if (best < s->n) {
		s->closed_limit++;
		conn_close(s, best);
	}
}

/* Accept what is pending; false when out of descriptors (pause). */
static bool do_accept(struct server *s, int lfd)
{
	int k;

	for (k = 0; k < HTTP_ACCEPT_BATCH; k++) {
		struct conn *c;
		int fd = accept4(lfd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return !(errno == EMFILE || errno == ENFILE ||
				 errno == ENOBUFS || errno == ENOMEM);
		}
		if (s->n >= (size_t)s->o->max_conns)
			evict_oldest(s);
		c = malloc(sizeof(*c));
		if (!c) {
			close(fd);
			return false;
		}
		memset(c, 0, offsetof(struct conn, in));
		c->fd = fd;
		c->st = C_READ;
		c->born = mono();
		c->deadline = c->born + s->o->read_timeout;
		s->c[s->n++] = c;
		s->accepted++;
	}
	return true;
}

int http_serve(int lfd, int sigfd, struct expo_store *st,
	       const struct export_opts *o)
{
	struct server s = { .st = st, .o = o };
	struct pollfd *pfd;
	double accept_pause = 0;
	size_t i;

	s.c = calloc(o->max_conns + 1, sizeof(*s.c));
	pfd = calloc(o->max_conns + 2, sizeof(*pfd));
	if (!s.c || !pfd) {
		fprintf(stderr, "svmtop: export: out of memory\n");
		free(s.c);
		free(pfd);
		return -1;
	}
	for (;;) {
		double now = mono(), next = now + 3600;
		size_t np = 0;
		int timeout, r;
		bool listening = now >= accept_pause;

		pfd[np++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		pfd[np++] = (struct pollfd){ .fd = listening ? lfd : -1,
					     .events = POLLIN };
		if (!listening && accept_pause < next)
			next = accept_pause;
		for (i = 0; i < s.n; i++) {
			pfd[np++] = (struct pollfd){
				.fd = s.c[i]->fd,
				.events = s.c[i]->st == C_WRITE ? POLLOUT : POLLIN,
			};
			if (s.c[i]->deadline < next)
				next = s.c[i]->deadline;
		}
		timeout = next <= now ? 0 : (int)((next - now) * 1000) + 1;
		r = poll(pfd, np, timeout);
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "svmtop: export: poll: %s\n",
				strerror(errno));
			break;
		}
		if (r > 0 && (pfd[0].revents & POLLIN)) {
			struct signalfd_siginfo si;

			if (read(sigfd, &si, sizeof(si)) == sizeof(si))
				fprintf(stderr, "svmtop: export: %s, stopping\n",
					strsignal(si.ssi_signo));
			break;
		}
		/* connections first (in poll order), then new ones */
		now = mono();
		for (i = s.n; i-- > 0;) {
			struct conn *c = s.c[i];
			short re = r > 0 ? pfd[2 + i].revents : 0;
			bool alive = true;

			if (re & (POLLERR | POLLNVAL))
				alive = false;
			else if (re & POLLOUT)
				alive = do_write(&s, c);
			else if (re & (POLLIN | POLLHUP))
				alive = do_read(&s, c);
			if (alive && c->deadline <= now) {
				if (c->st == C_READ && c->in_len) {
					s.closed_timeout++;
					respond(&s, c, 408, NULL);
					alive = do_write(&s, c);
				} else {
					if (c->st == C_READ)
						s.closed_idle++;
					else if (c->st == C_WRITE)
						s.closed_timeout++;
					alive = false;
				}
			}
			if (!alive)
				conn_close(&s, i);
		}
		if (r > 0 && listening && (pfd[1].revents & POLLIN) &&
		    !do_accept(&s, lfd)) {
			fprintf(stderr, "svmtop: export: cannot accept: %s; pausing 100 ms\n",
				strerror(errno));
			accept_pause = mono() + 0.1;
		}
	}
	while (s.n)
		conn_close(&s, s.n - 1);
	free(s.c);
	free(pfd);
	return 0;
}
