// SPDX-License-Identifier: GPL-2.0-only
/*
 * CSV writer (see csv.h).
 */
#include <string.h>

#include "csv.h"

void csv_field(FILE *f, const char *s, bool first)
{
	if (!first)
		fputc(',', f);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void csv_row_end(FILE *f)
{
	fputc('\n', f);
}
