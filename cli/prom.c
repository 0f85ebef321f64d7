// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prometheus text format 0.0.4 writer (see prom.h).
 */
#include <inttypes.h>
#include <math.h>

#include "prom.h"

/* HELP escapes \ and newline; label values also escape ". */
static void escaped(FILE *f, const char *s, int quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (quote && *s == '"')
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

void prom_family(FILE *f, const char *name, const char *type,
		 const char *help)
{
	fprintf(f, "# HELP %s ", name);
	escaped(f, help, 0);
	fprintf(f, "\n# TYPE %s %s\n", name, type);
}

void prom_sample(FILE *f, const char *name, const struct prom_label *l,
		 size_t n, const char *value)
{
	size_t i;
	int first = 1;

	fputs(name, f);
	for (i = 0; i < n; i++) {
		if (!l[i].value)
			continue;
		fprintf(f, "%s%s=\"", first ? "{" : ",", l[i].name);
		escaped(f, l[i].value, 1);
		fputc('"', f);
		first = 0;
	}
	if (!first)
		fputc('}', f);
	fprintf(f, " %s\n", value);
}

void prom_sample_u64(FILE *f, const char *name, const struct prom_label *l,
		     size_t n, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	prom_sample(f, name, l, n, buf);
}

void prom_sample_double(FILE *f, const char *name,
			const struct prom_label *l, size_t n, double v)
{
	char buf[40];

	if (isnan(v))
		snprintf(buf, sizeof(buf), "NaN");
	else if (isinf(v))
		snprintf(buf, sizeof(buf), v > 0 ? "+Inf" : "-Inf");
	else
		snprintf(buf, sizeof(buf), "%.17g", v);
	prom_sample(f, name, l, n, buf);
}

void prom_build_info(FILE *f)
{
	const struct prom_label l[] = {
		{ "version", SVMTOP_VERSION },
		{ "revision", SVMTOP_GIT_REV },
	};

	prom_family(f, "svmtop_build_info", "gauge",
		    "svmtop build; constant 1, version in the labels.");
	prom_sample(f, "svmtop_build_info", l, 2, "1");
}
