// SPDX-License-Identifier: GPL-2.0-only
/*
 * The four outputs of `svmtop stat`: table, NDJSON, Prometheus, CSV.
 *
 * All of them take one struct stat_sample (every GT read at one instant,
 * plus the previous read when rates are wanted) so that the unit tests can
 * feed fixed samples and compare the exact bytes.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "derived.h"
#include "json.h"
#include "prom.h"
#include "stat.h"
#include "statmeta.h"
#include "units.h"

enum stat_delta stat_delta(const struct stat_sample *s, size_t g,
			   const struct gt_stat *st, uint64_t *delta)
{
	const struct gt_stat *p;

	if (!s->prev || s->interval <= 0 || s->prev[g].err)
		return DELTA_NONE;
	p = gtstats_find(&s->prev[g].st, st->name);
	if (!p)
		return DELTA_NONE;
	if (st->value < p->value)
		return DELTA_RESET;
	*delta = st->value - p->value;
	return DELTA_OK;
}

static bool have_rates(const struct stat_sample *s)
{
	return s->prev && s->interval > 0;
}

/* ---- table ---------------------------------------------------------- */

static char *human_value(char *buf, size_t len, const char *name, uint64_t v)
{
	switch (stat_unit_of(name)) {
	case UNIT_US:
		return units_duration_us(buf, len, (double)v);
	case UNIT_KIB:
		return units_bytes(buf, len, (double)v * 1024.0);
	default:
		snprintf(buf, len, "%" PRIu64, v);
		return buf;
	}
}

static char *human_rate(char *buf, size_t len, const char *name, uint64_t d,
			double secs)
{
	char tmp[32];

	switch (stat_unit_of(name)) {
	case UNIT_US:
		snprintf(buf, len, "%s/s", units_duration_us(tmp, sizeof(tmp),
							     d / secs));
		break;
	case UNIT_KIB:
		snprintf(buf, len, "%s/s", units_bytes(tmp, sizeof(tmp),
							d * 1024.0 / secs));
		break;
	default:
		snprintf(buf, len, "%.1f/s", d / secs);
	}
	return buf;
}

static char *human_derived(char *buf, size_t len, const struct derived *d)
{
	char tmp[32];

	if (!d->defined)
		snprintf(buf, len, "-");
	else if (d->kind == DERIVED_US)
		units_duration_us(buf, len, d->value);
	else if (d->kind == DERIVED_RATIO)
		snprintf(buf, len, "%.1f%%", d->value * 100);
	else
		snprintf(buf, len, "%s/s", units_bytes(tmp, sizeof(tmp), d->value));
	return buf;
}

static const struct derived *find_derived(const struct derived *d, size_t n,
					  const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(d[i].name, name))
			return &d[i];
	return NULL;
}

/* Rows of the per-page-size matrix: a raw counter or a derived figure. */
static const struct {
	const char *label, *raw, *derived;
} matrix[] = {
	{ "faults", "svm_{S}_pagefault_count", NULL },
	{ "valid faults", NULL, "svm_{S}_valid_pagefault_ratio" },
	{ "fault latency avg", NULL, "svm_{S}_pagefault_avg_us" },
	{ "migrations", "svm_{S}_migrate_count", NULL },
	{ "migration time avg", NULL, "svm_{S}_migrate_avg_us" },
	{ "copy to VRAM", NULL, "svm_{S}_device_copy_bytes_per_second" },
	{ "copy to RAM", NULL, "svm_{S}_cpu_copy_bytes_per_second" },
};

/* printf + newline, without the trailing blanks of empty cells */
__attribute__((format(printf, 2, 3)))
static void line_rtrim(FILE *f, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	fprintf(f, "%.*s\n", n, buf);
}

static void table_matrix(FILE *f, const struct stat_sample *s, size_t g,
			 const struct derived *d, size_t nd)
{
	bool header = false;
	size_t r, z;

	for (r = 0; r < sizeof(matrix) / sizeof(matrix[0]); r++) {
		char cell[STAT_N_SIZES][32], name[64];
		bool any = false;

		for (z = 0; z < STAT_N_SIZES; z++) {
			cell[z][0] = '\0';
			if (matrix[r].raw) {
				const struct gt_stat *st;
				uint64_t delta;

				stat_expand(name, sizeof(name), matrix[r].raw,
					    stat_sizes[z]);
				st = gtstats_find(&s->cur[g].st, name);
				if (!st)
					continue;
				if (!have_rates(s))
					snprintf(cell[z], 32, "%" PRIu64, st->value);
				else if (stat_delta(s, g, st, &delta) == DELTA_OK)
					snprintf(cell[z], 32, "%.1f/s",
						 delta / s->interval);
				else
					snprintf(cell[z], 32, "-");
			} else {
				const struct derived *x;

				stat_expand(name, sizeof(name),
					    matrix[r].derived, stat_sizes[z]);
				x = find_derived(d, nd, name);
				if (!x)
					continue;
				human_derived(cell[z], 32, x);
			}
			any = true;
		}
		if (!any)
			continue;
		if (!header) {
			fprintf(f, "\n  %-28s %12s %12s %12s\n",
				have_rates(s) ? "PER PAGE SIZE (interval)" :
						"PER PAGE SIZE",
				stat_sizes[0], stat_sizes[1], stat_sizes[2]);
			header = true;
		}
		line_rtrim(f, "  %-28s %12s %12s %12s", matrix[r].label,
			   cell[0], cell[1], cell[2]);
	}
}

static void table_gt(FILE *f, const struct stat_sample *s, size_t g)
{
	const struct gt_source *src = &s->gts->v[g];
	const struct stat_gt_sample *c = &s->cur[g];
	struct derived d[DERIVED_MAX];
	char v[40], r[40];
	size_t i, nd;
	bool first = true;

	fprintf(f, "%s %s", src->driver, src->device);
	if (src->minor >= 0)
		fprintf(f, "  minor %d", src->minor);
	if (src->tile >= 0)
		fprintf(f, "  tile %d", src->tile);
	fprintf(f, "  gt%d  (%s)\n", src->gt, src->path);
	if (c->err) {
		fprintf(f, "  unreadable: %s\n", strerror(-c->err));
		return;
	}
	if (!c->st.n) {
		fprintf(f, "  no stats in the file\n");
		return;
	}
	if (have_rates(s))
		fprintf(f, "  %-40s %20s %16s\n", "STAT", "TOTAL", "PER SECOND");
	else
		fprintf(f, "  %-40s %20s\n", "STAT", "VALUE");
	for (i = 0; i < c->st.n; i++) {
		const struct gt_stat *st = &c->st.v[i];
		uint64_t delta;

		human_value(v, sizeof(v), st->name, st->value);
		if (!have_rates(s)) {
			fprintf(f, "  %-40s %20s\n", st->name, v);
			continue;
		}
		switch (stat_delta(s, g, st, &delta)) {
		case DELTA_OK:
			human_rate(r, sizeof(r), st->name, delta, s->interval);
			break;
		case DELTA_RESET:
			snprintf(r, sizeof(r), "reset");
			break;
		default:
			snprintf(r, sizeof(r), "new");
		}
		fprintf(f, "  %-40s %20s %16s\n", st->name, v, r);
	}
	nd = derived_compute(&c->st, have_rates(s) && !s->prev[g].err ?
				     &s->prev[g].st : NULL, d);
	table_matrix(f, s, g, d, nd);
	for (i = 0; i < nd; i++) {
		if (d[i].size)
			continue;
		if (first)
			fputc('\n', f);
		first = false;
		fprintf(f, "  %-40s %20s\n", d[i].label,
			human_derived(v, sizeof(v), &d[i]));
	}
}

void stat_write_table(FILE *f, const struct stat_sample *s)
{
	size_t g;

	if (have_rates(s))
		fprintf(f, "--- sample %lu: rates over %.2fs ---\n", s->seq,
			s->interval);
	for (g = 0; g < s->gts->n; g++) {
		if (g)
			fputc('\n', f);
		table_gt(f, s, g);
	}
	fflush(f);
}

/* ---- JSON ----------------------------------------------------------- */

static void json_derived(struct json_writer *w, const struct derived *d)
{
	if (!d->defined)
		json_null(w, d->name);
	else
		json_double(w, d->name, d->value,
			    d->kind == DERIVED_US ? 3 :
			    d->kind == DERIVED_RATIO ? 6 : 0);
}

static void json_gt(struct json_writer *w, const struct stat_sample *s,
		    size_t g)
{
	const struct gt_source *src = &s->gts->v[g];
	const struct stat_gt_sample *c = &s->cur[g];
	struct derived d[DERIVED_MAX];
	size_t i, nd;
	uint64_t delta;

	json_obj_begin(w, NULL);
	json_str(w, "device", src->device);
	json_str(w, "driver", src->driver);
	if (src->minor >= 0)
		json_i64(w, "minor", src->minor);
	else
		json_null(w, "minor");
	if (src->tile >= 0)
		json_i64(w, "tile", src->tile);
	else
		json_null(w, "tile");
	json_i64(w, "gt", src->gt);
	json_str(w, "path", src->path);
	json_bool(w, "ok", !c->err);
	if (c->err) {
		json_str(w, "error", strerror(-c->err));
		json_obj_end(w);
		return;
	}
	json_u64(w, "malformed_lines", c->st.n_bad);
	json_obj_begin(w, "stats");
	for (i = 0; i < c->st.n; i++)
		json_u64(w, c->st.v[i].name, c->st.v[i].value);
	json_obj_end(w);
	if (have_rates(s)) {
		json_obj_begin(w, "rates");
		for (i = 0; i < c->st.n; i++)
			if (stat_delta(s, g, &c->st.v[i], &delta) == DELTA_OK)
				json_double(w, c->st.v[i].name,
					    delta / s->interval, 3);
		json_obj_end(w);
		json_arr_begin(w, "resets");
		for (i = 0; i < c->st.n; i++)
			if (stat_delta(s, g, &c->st.v[i], &delta) == DELTA_RESET)
				json_str(w, NULL, c->st.v[i].name);
		json_arr_end(w);
	}
	nd = derived_compute(&c->st, have_rates(s) && !s->prev[g].err ?
				     &s->prev[g].st : NULL, d);
	json_obj_begin(w, "derived");
	for (i = 0; i < nd; i++)
		json_derived(w, &d[i]);
	json_obj_end(w);
	json_obj_end(w);
}

void stat_write_json(FILE *f, const struct stat_sample *s)
{
	struct json_writer w;
	size_t g;

	json_init(&w, f);
	json_obj_begin(&w, NULL);
	json_u64(&w, "sample", s->seq);
	json_double(&w, "time", s->time, 3);
	if (have_rates(s))
		json_double(&w, "interval_s", s->interval, 3);
	else
		json_null(&w, "interval_s");
	json_arr_begin(&w, "gts");
	for (g = 0; g < s->gts->n; g++)
		json_gt(&w, s, g);
	json_arr_end(&w);
	json_obj_end(&w);
	json_line_end(&w);
}

/* ---- Prometheus ----------------------------------------------------- */

#define PROM_BASE_LABELS 4

static void base_labels(const struct gt_source *src, struct prom_label *l,
			char *tile, char *gt)
{
	sprintf(tile, "%d", src->tile);
	sprintf(gt, "%d", src->gt);
	l[0] = (struct prom_label){ "device", src->device };
	l[1] = (struct prom_label){ "driver", src->driver };
	l[2] = (struct prom_label){ "tile", src->tile >= 0 ? tile : NULL };
	l[3] = (struct prom_label){ "gt", gt };
}

static void prom_stat(FILE *f, const char *family, struct prom_label *l,
		      const struct gt_stat *st, bool convert)
{
	char v[64];

	if (!convert)
		snprintf(v, sizeof(v), "%" PRIu64, st->value);
	else if (stat_unit_of(st->name) == UNIT_US)
		units_exact(v, sizeof(v), st->value, 1, 6);	/* seconds */
	else if (stat_unit_of(st->name) == UNIT_KIB)
		units_exact(v, sizeof(v), st->value, 1024, 0);	/* bytes */
	else
		snprintf(v, sizeof(v), "%" PRIu64, st->value);
	prom_sample(f, family, l, PROM_BASE_LABELS + 3, v);
}

/* Family and page size of every stat of every GT, looked up once. */
struct prom_lookup {
	const struct stat_prom **fam;	/* [gt][stat], flattened */
	const char **size;
	size_t *base;			/* index of GT g's first stat */
};

/* Emit every sample of one family (fam NULL: the generic family). */
static void prom_one_family(FILE *f, const struct stat_sample *s,
			    const struct prom_lookup *lk,
			    const struct stat_prom *fam)
{
	bool header = false;
	size_t g, i;

	for (g = 0; g < s->gts->n; g++) {
		struct prom_label l[PROM_BASE_LABELS + 3];
		char tile[16], gt[16];

		if (s->cur[g].err)
			continue;
		base_labels(&s->gts->v[g], l, tile, gt);
		for (i = 0; i < s->cur[g].st.n; i++) {
			const struct gt_stat *st = &s->cur[g].st.v[i];
			const struct stat_prom *p = lk->fam[lk->base[g] + i];

			if (fam ? (!p || strcmp(p->family, fam->family)) : !!p)
				continue;
			if (!header) {
				if (fam)
					prom_family(f, fam->family, "counter",
						    fam->help);
				else
					prom_family(f, STAT_PROM_GENERIC, "untyped",
						    "xe GT stat svmtop has no family for yet: raw value in the unit its name says.");
				header = true;
			}
			l[4] = (struct prom_label){ "page_size",
						    lk->size[lk->base[g] + i] };
			l[5] = (struct prom_label){ p ? p->xlabel : NULL,
						    p ? p->xvalue : NULL };
			l[6] = (struct prom_label){ "name",
						    p ? NULL : st->name };
			prom_stat(f, fam ? fam->family : STAT_PROM_GENERIC, l,
				  st, fam != NULL);
		}
	}
}

void stat_write_prom(FILE *f, const struct stat_sample *s)
{
	prom_build_info(f);
	stat_write_prom_families(f, s);
}

void stat_write_prom_families(FILE *f, const struct stat_sample *s)
{
	struct prom_lookup lk = { 0 };
	size_t g, i, j, total = 0;

	prom_family(f, "svmtop_gt_stats_read_ok", "gauge",
		    "1 if the GT stats file was read, 0 if the read failed (no data is not zero).");
	for (g = 0; g < s->gts->n; g++) {
		struct prom_label l[PROM_BASE_LABELS];
		char tile[16], gt[16];

		base_labels(&s->gts->v[g], l, tile, gt);
		prom_sample(f, "svmtop_gt_stats_read_ok", l, PROM_BASE_LABELS,
			    s->cur[g].err ? "0" : "1");
	}
	prom_family(f, "svmtop_gt_stats_malformed_lines", "gauge",
		    "Lines of the GT stats file svmtop could not parse.");
	for (g = 0; g < s->gts->n; g++) {
		struct prom_label l[PROM_BASE_LABELS];
		char tile[16], gt[16];

		if (s->cur[g].err)
			continue;
		base_labels(&s->gts->v[g], l, tile, gt);
		prom_sample_u64(f, "svmtop_gt_stats_malformed_lines", l,
				PROM_BASE_LABELS, s->cur[g].st.n_bad);
	}

	lk.base = calloc(s->gts->n + 1, sizeof(*lk.base));
	for (g = 0; lk.base && g < s->gts->n; g++) {
		lk.base[g] = total;
		total += s->cur[g].err ? 0 : s->cur[g].st.n;
	}
	lk.fam = calloc(total + 1, sizeof(*lk.fam));
	lk.size = calloc(total + 1, sizeof(*lk.size));
	if (!lk.base || !lk.fam || !lk.size) {
		fprintf(stderr, "svmtop: out of memory\n");
		goto out;
	}
	for (g = 0; g < s->gts->n; g++)
		for (i = 0; !s->cur[g].err && i < s->cur[g].st.n; i++)
			lk.fam[lk.base[g] + i] =
				stat_prom_lookup(s->cur[g].st.v[i].name,
						 &lk.size[lk.base[g] + i]);

	for (i = 0; i < stat_prom_count; i++) {
		/* several table rows share a family: emit it at its first */
		for (j = 0; j < i; j++)
			if (!strcmp(stat_prom_table[j].family,
				    stat_prom_table[i].family))
				break;
		if (j == i)
			prom_one_family(f, s, &lk, &stat_prom_table[i]);
	}
	prom_one_family(f, s, &lk, NULL);
out:
	free(lk.base);
	free(lk.fam);
	free(lk.size);
	fflush(f);
}

/* ---- CSV ------------------------------------------------------------ */

void stat_write_csv_header(FILE *f)
{
	static const char *const cols[] = {
		"sample", "time", "device", "driver", "minor", "tile", "gt",
		"stat", "unit", "value", "rate_per_second",
	};
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		csv_field(f, cols[i], i == 0);
	csv_row_end(f);
	fflush(f);
}

static void csv_row(FILE *f, const struct stat_sample *s, size_t g,
		    const char *stat, const char *unit, const char *value,
		    const char *rate)
{
	const struct gt_source *src = &s->gts->v[g];
	char seq[24], t[32], minor[16], tile[16], gt[16];

	snprintf(seq, sizeof(seq), "%lu", s->seq);
	snprintf(t, sizeof(t), "%.3f", s->time);
	snprintf(minor, sizeof(minor), "%d", src->minor);
	snprintf(tile, sizeof(tile), "%d", src->tile);
	snprintf(gt, sizeof(gt), "%d", src->gt);
	csv_field(f, seq, true);
	csv_field(f, t, false);
	csv_field(f, src->device, false);
	csv_field(f, src->driver, false);
	csv_field(f, src->minor >= 0 ? minor : NULL, false);
	csv_field(f, src->tile >= 0 ? tile : NULL, false);
	csv_field(f, gt, false);
	csv_field(f, stat, false);
	csv_field(f, unit, false);
	csv_field(f, value, false);
	csv_field(f, rate, false);
	csv_row_end(f);
}

void stat_write_csv(FILE *f, const struct stat_sample *s)
{
	struct derived d[DERIVED_MAX];
	char v[48], r[48];
	size_t g, i, nd;

	for (g = 0; g < s->gts->n; g++) {
		const struct stat_gt_sample *c = &s->cur[g];

		if (c->err) {
			csv_row(f, s, g, "read_error", NULL,
				strerror(-c->err), NULL);
			continue;
		}
		for (i = 0; i < c->st.n; i++) {
			const struct gt_stat *st = &c->st.v[i];
			uint64_t delta;
			enum stat_delta k = stat_delta(s, g, st, &delta);

			snprintf(v, sizeof(v), "%" PRIu64, st->value);
			if (k == DELTA_OK)
				snprintf(r, sizeof(r), "%.3f",
					 delta / s->interval);
			else
				snprintf(r, sizeof(r), "%s",
					 k == DELTA_RESET ? "reset" : "");
			csv_row(f, s, g, st->name,
				stat_unit_name(stat_unit_of(st->name)), v,
				r[0] ? r : NULL);
		}
		nd = derived_compute(&c->st, have_rates(s) && !s->prev[g].err ?
					     &s->prev[g].st : NULL, d);
		for (i = 0; i < nd; i++) {
			if (d[i].defined)
				snprintf(v, sizeof(v), "%.*f",
					 d[i].kind == DERIVED_US ? 3 :
					 d[i].kind == DERIVED_RATIO ? 6 : 0,
					 d[i].value);
			csv_row(f, s, g, d[i].name, derived_unit(d[i].kind),
				d[i].defined ? v : NULL, NULL);
		}
	}
	fflush(f);	/* whole samples only, as with NDJSON */
}
