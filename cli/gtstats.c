// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parser of one xe GT stats file ("<name>: <decimal>\n" per line, printed
 * by the kernel with "%s: %lld\n").
 *
 * Pure over its buffer so that the libFuzzer harness (tests/fuzz/) drives
 * exactly the code the tool runs.  The kernel's own format is strict, so
 * anything else is reported and skipped rather than guessed at: a wrong
 * number shown to a user is worse than a missing one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gtstats.h"

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int push(struct gt_stats *st, const char *name, size_t nlen,
		uint64_t val)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct gt_stat *v = realloc(st->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		st->v = v;
		st->cap = cap;
	}
	memcpy(st->v[st->n].name, name, nlen);
	st->v[st->n].name[nlen] = '\0';
	st->v[st->n].value = val;
	st->n++;
	return 0;
}

/* Linear scan: files hold ~50 names, and order must be kept anyway. */
static bool have_name(const struct gt_stats *st, const char *name, size_t nlen)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strncmp(st->v[i].name, name, nlen) &&
		    st->v[i].name[nlen] == '\0')
			return true;
	return false;
}

/* Parse one line (no '\n'); NULL on success, else why it is malformed. */
static const char *parse_line(const char *p, const char *end,
			      const char **name, size_t *nlen, uint64_t *val)
{
	const char *s = p;
	uint64_t v = 0;
	bool digits = false, neg = false;

	while (p < end && is_name_char(*p))
		p++;
	*name = s;
	*nlen = p - s;
	if (*nlen == 0)
		return "expected 'name: value'";
	if (*nlen > GTSTATS_NAME_MAX)
		return "stat name too long";
	if (p == end || *p != ':')
		return "expected ':' after the stat name";
	p++;
	while (p < end && is_blank(*p))
		p++;
	/*
	 * The kernel prints its atomic64_t counters with %lld, so a counter
	 * past 2^63 shows up negative: take the two's-complement bits back as
	 * the u64 they are (rates then stay right across the wrap).
	 */
	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	while (p < end && *p >= '0' && *p <= '9') {
		unsigned int d = *p - '0';

		if (v > (UINT64_MAX - d) / 10)
			return "value does not fit in 64 bits";
		v = v * 10 + d;
		digits = true;
		p++;
	}
	if (!digits)
		return "value is not a decimal number";
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return "value does not fit in 64 bits";
		v = -v;		/* u64 of the s64 the kernel printed */
	}
	while (p < end && is_blank(*p))
		p++;
	if (p != end)
		return "unexpected text after the value";
	*val = v;
	return NULL;
}

int gtstats_parse(const char *buf, size_t len, struct gt_stats *out,
		  gtstats_err_fn err, void *ctx)
{
	const char *p = buf, *end = buf + len;
	unsigned int line = 0;

	out->n = 0;
	out->n_bad = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *le = eol ? eol : end;
		const char *name, *why, *q;
		size_t nlen;
		uint64_t val;

		line++;
		if (line > GTSTATS_MAX_LINES) {
			if (err)
				err(ctx, line, "too many lines, rest of file ignored");
			out->n_bad++;
			break;
		}
		for (q = p; q < le && is_blank(*q); q++)
			;
		if (q == le) {			/* blank line */
			p = eol ? eol + 1 : end;
			continue;
		}
		why = parse_line(p, le, &name, &nlen, &val);
		if (!eol)	/* a cut value would be a wrong number */
			why = "last line has no newline (file truncated?)";
		if (!why && have_name(out, name, nlen))
			why = "duplicate stat name, first value kept";
		if (why) {
			out->n_bad++;
			if (err)
				err(ctx, line, why);
		} else if (push(out, name, nlen, val)) {
			return -ENOMEM;
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

const struct gt_stat *gtstats_find(const struct gt_stats *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].name, name))
			return &st->v[i];
	return NULL;
}

bool gtstats_get(const struct gt_stats *st, const char *name, uint64_t *val)
{
	const struct gt_stat *s = gtstats_find(st, name);

	if (s && val)
		*val = s->value;
	return s != NULL;
}

void gtstats_free(struct gt_stats *st)
{
	free(st->v);
	memset(st, 0, sizeof(*st));
}

/*
 * Read from offset 0 with pread, so the same descriptor can be read again
 * and again (debugfs seq_files regenerate from offset 0): `svmtop export`
 * opens the files once, then drops the privileges that opened them.
 */
int gtstats_read_fd(int fd, struct gt_stats *out, gtstats_err_fn err,
		    void *ctx)
{
	char *buf;
	size_t len = 0;
	int ret = 0;

	/* debugfs files report size 0: read until EOF, up to a cap. */
	buf = malloc(GTSTATS_MAX_FILE);
	if (!buf)
		return -ENOMEM;
	while (len < GTSTATS_MAX_FILE) {
		ssize_t r = pread(fd, buf + len, GTSTATS_MAX_FILE - len, len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (r == 0)
			break;
		len += r;
	}
	if (!ret)
		ret = gtstats_parse(buf, len, out, err, ctx);
	free(buf);
	return ret;
}

int gtstats_read_file(const char *path, struct gt_stats *out,
		      gtstats_err_fn err, void *ctx)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = gtstats_read_fd(fd, out, err, ctx);
	close(fd);
	return ret;
}
