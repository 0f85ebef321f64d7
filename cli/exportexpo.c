// SPDX-License-Identifier: GPL-2.0-only
/*
 * `svmtop export`: one collection -> one exposition in both formats, and
 * the refcounted store the HTTP loop reads them from.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "prom.h"

/* ---- store -------------------------------------------------------------- */

void expo_free(struct expo *e)
{
	if (!e)
		return;
	free(e->text);
	free(e->om);
	free(e);
}

struct expo *expo_get(struct expo_store *st)
{
	struct expo *e;

	pthread_mutex_lock(&st->lock);
	e = st->cur;
	if (e)
		e->refs++;
	pthread_mutex_unlock(&st->lock);
	return e;
}

void expo_put(struct expo_store *st, struct expo *e)
{
	bool last;

	if (!e)
		return;
	pthread_mutex_lock(&st->lock);
	last = --e->refs == 0;
	pthread_mutex_unlock(&st->lock);
	if (last)
		expo_free(e);
}

void expo_publish(struct expo_store *st, struct expo *e)
{
	struct expo *old;

	e->refs = 1;			/* the store's own reference */
	pthread_mutex_lock(&st->lock);
	old = st->cur;
	st->cur = e;
	pthread_mutex_unlock(&st->lock);
	expo_put(st, old);
}

/* ---- OpenMetrics -------------------------------------------------------- */

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

/* n bytes of s (NULs included: a line is not a C string) and then end. */
static void put(FILE *out, const char *s, size_t n, const char *end)
{
	fwrite(s, 1, n, out);
	fputs(end, out);
}

int expo_to_openmetrics(const char *in, size_t len, FILE *out)
{
	const char *p = in, *end = in + len;
	const char *help = NULL;	/* held HELP line: emitted with TYPE */
	size_t help_len = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		size_t ll = eol ? (size_t)(eol - p) : (size_t)(end - p);
		const char *next = p + ll + (eol ? 1 : 0);

		if (ll > 7 && !memcmp(p, "# HELP ", 7)) {
			help = p;
			help_len = ll;
		} else if (ll > 7 && !memcmp(p, "# TYPE ", 7)) {
			const char *name = p + 7;
			const char *sp = memchr(name, ' ', ll - 7);
			size_t n = sp ? (size_t)(sp - name) : ll - 7;
			const char *type = sp ? sp + 1 : "";
			size_t tl = sp ? (size_t)(p + ll - type) : 0;
			size_t fam_n = n;
			const char *om_type;

			if (tl == 7 && !memcmp(type, "counter", 7)) {
				if (ends_with(name, n, "_total")) {
					fam_n = n - 6;
					om_type = "counter";
				} else {
					om_type = "unknown";
				}
			} else if (tl == 7 && !memcmp(type, "untyped", 7)) {
				om_type = "unknown";
			} else {
				om_type = NULL;	/* gauge, histogram: as is */
			}
			if (help) {
				const char *h = help + 7 + n;

				/* HELP of the same family: rename it too */
				if (help_len > 7 + n &&
				    !memcmp(help + 7, name, n) && *h == ' ') {
					fputs("# HELP ", out);
					put(out, name, fam_n, "");
					put(out, h, help + help_len - h, "\n");
				} else {
					put(out, help, help_len, "\n");
				}
				help = NULL;
			}
			if (om_type) {
				fputs("# TYPE ", out);
				put(out, name, fam_n, " ");
				put(out, om_type, strlen(om_type), "\n");
			} else {
				put(out, p, ll, "\n");
			}
		} else if (ll) {
			if (help) {
				put(out, help, help_len, "\n");
				help = NULL;
			}
			put(out, p, ll, "\n");
		}
		/* blank lines are not allowed in OpenMetrics: dropped */
		p = next;
	}
	if (help)
		put(out, help, help_len, "\n");
	return ferror(out) ? -ENOMEM : 0;
}

/* ---- one collection ----------------------------------------------------- */

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void log_change(struct collector *c)
{
	const char *now = c->up ? "" : c->why;

	if (!strcmp(now, c->logged))
		return;
	if (c->up)
		fprintf(stderr, "svmtop: export: collector %s is up again\n",
			c->ops->name);
	else
		fprintf(stderr, "svmtop: export: collector %s is down: %s\n",
			c->ops->name, c->why);
	snprintf(c->logged, sizeof(c->logged), "%s", now);
}

static void self_families(FILE *f, const struct collector *c, size_t n)
{
	struct prom_label l[3];
	char v[48];
	size_t i, j;
	bool any;

	prom_build_info(f);
	prom_family(f, "svmtop_collector_up", "gauge",
		    "1 if the collector's last read succeeded; 0 if it failed or its source is not available (then its families are absent, never zero). The reason is in svmtop's log.");
	for (i = 0; i < n; i++) {
		l[0] = (struct prom_label){ "collector", c[i].ops->name };
		prom_sample(f, "svmtop_collector_up", l, 1,
			    c[i].up ? "1" : "0");
	}
	prom_family(f, "svmtop_scrape_duration_seconds", "gauge",
		    "Time the collector's last read took (collection runs on its own interval, not at scrape time).");
	for (i = 0; i < n; i++) {
		if (!c[i].opened)
			continue;
		l[0] = (struct prom_label){ "collector", c[i].ops->name };
		snprintf(v, sizeof(v), "%.6f", c[i].duration);
		prom_sample(f, "svmtop_scrape_duration_seconds", l, 1, v);
	}
	for (i = 0, any = false; i < n; i++)
		any |= c[i].n_probes > 0;
	if (any) {
		prom_family(f, "svmtop_probe_attached", "gauge",
			    "1 if svmtop's probe is attached (kind says how), 0 if not: what it counts then stays 0.");
		for (i = 0; i < n; i++)
			for (j = 0; j < c[i].n_probes; j++) {
				l[0] = (struct prom_label){ "collector",
							    c[i].ops->name };
				l[1] = (struct prom_label){ "probe",
							    c[i].probes[j].probe };
				l[2] = (struct prom_label){ "kind",
							    c[i].probes[j].kind };
				prom_sample(f, "svmtop_probe_attached", l, 3,
					    c[i].probes[j].attached ? "1" : "0");
			}
	}
	for (i = 0, any = false; i < n; i++)
		any |= c[i].has_loss;
	if (any) {
		prom_family(f, "svmtop_events_lost_total", "counter",
			    "Events a BPF collector could not count (or count fully): map full, lost entry/return state. Detail per backend in its own problems family.");
		for (i = 0; i < n; i++) {
			if (!c[i].has_loss)
				continue;
			l[0] = (struct prom_label){ "collector", c[i].ops->name };
			prom_sample_u64(f, "svmtop_events_lost_total", l, 1,
					c[i].lost);
		}
		prom_family(f, "svmtop_map_overflow_total", "counter",
			    "Events counted in a shared overflow entry because the per-process map was full (totals stay right, the process is unknown).");
		for (i = 0; i < n; i++) {
			if (!c[i].has_loss)
				continue;
			l[0] = (struct prom_label){ "collector", c[i].ops->name };
			prom_sample_u64(f, "svmtop_map_overflow_total", l, 1,
					c[i].overflow);
		}
	}
}

struct expo *export_collect(struct collector *c, size_t n)
{
	char *body[EXPORT_MAX_COLLECTORS] = { 0 };
	size_t body_len[EXPORT_MAX_COLLECTORS] = { 0 };
	struct expo *e = calloc(1, sizeof(*e));
	FILE *f;
	size_t i;

	if (!e || n > EXPORT_MAX_COLLECTORS)
		goto nomem;
	for (i = 0; i < n; i++) {
		double t0;
		int r;

		if (!c[i].opened) {
			c[i].up = false;
			log_change(&c[i]);	/* once: why it could not open */
			continue;
		}
		f = open_memstream(&body[i], &body_len[i]);
		if (!f)
			goto nomem;
		t0 = mono();
		r = c[i].ops->collect(&c[i], f);
		c[i].duration = mono() - t0;
		if (fclose(f))
			r = -ENOMEM;
		c[i].up = r == 0;
		if (r) {
			if (!c[i].why[0])
				snprintf(c[i].why, sizeof(c[i].why), "%s",
					 strerror(-r));
			body_len[i] = 0;	/* half a collection: dropped */
		}
		log_change(&c[i]);
	}

	e->t_mono = mono();
	f = open_memstream(&e->text, &e->text_len);
	if (!f)
		goto nomem;
	self_families(f, c, n);
	for (i = 0; i < n; i++)
		fwrite(body[i] ? body[i] : "", 1, body_len[i], f);
	if (fclose(f))
		goto nomem;
	f = open_memstream(&e->om, &e->om_len);
	if (!f)
		goto nomem;
	expo_to_openmetrics(e->text, e->text_len, f);
	if (fclose(f))
		goto nomem;
	for (i = 0; i < n; i++)
		free(body[i]);
	return e;
nomem:
	for (i = 0; i < EXPORT_MAX_COLLECTORS; i++)
		free(body[i]);
	expo_free(e);
	fprintf(stderr, "svmtop: export: out of memory building the exposition\n");
	return NULL;
}
