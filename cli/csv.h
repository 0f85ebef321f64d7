/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CSV (RFC 4180) helpers: a field is quoted only when it holds a comma,
 * quote, CR or LF; quotes are doubled; rows end with "\n".
 *
 *   csv_field(f, "device", true); csv_field(f, "value", false); csv_row_end(f);
 */
#ifndef SVMTOP_CSV_H
#define SVMTOP_CSV_H

#include <stdbool.h>
#include <stdio.h>

/* first: no comma before the field.  NULL writes an empty field. */
void csv_field(FILE *f, const char *s, bool first);
/* Ends the row.  No flush: flush once per sample so a killed run leaves
 * whole samples without a write(2) per row. */
void csv_row_end(FILE *f);

#endif
