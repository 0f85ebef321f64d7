/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal streaming JSON writer for NDJSON output (one object per line).
 *
 *   struct json_writer w;
 *   json_init(&w, stdout);
 *   json_obj_begin(&w, NULL);          // top-level object: key NULL
 *   json_u64(&w, "sample", 3);
 *   json_arr_begin(&w, "gts");
 *   json_obj_begin(&w, NULL);          // array element: key NULL
 *   json_str(&w, "device", "0000:03:00.0");
 *   json_obj_end(&w);
 *   json_arr_end(&w);
 *   json_obj_end(&w);
 *   json_line_end(&w);                 // "\n" + fflush: the record is whole
 *
 * Keys are used inside objects and must be NULL inside arrays and at the
 * top.  Commas are placed by the writer.  Strings are escaped per RFC 8259
 * (control characters as \u00XX; bytes >= 0x80 pass through unchanged).
 * Non-finite doubles are written as null.  Nesting depth is capped at 32.
 */
#ifndef SVMTOP_JSON_H
#define SVMTOP_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_writer {
	FILE *f;
	unsigned int depth;
	uint32_t nonempty;	/* bit d: level d already holds a member */
};

void json_init(struct json_writer *w, FILE *f);
void json_obj_begin(struct json_writer *w, const char *key);
void json_obj_end(struct json_writer *w);
void json_arr_begin(struct json_writer *w, const char *key);
void json_arr_end(struct json_writer *w);
void json_str(struct json_writer *w, const char *key, const char *s);
void json_u64(struct json_writer *w, const char *key, uint64_t v);
void json_i64(struct json_writer *w, const char *key, int64_t v);
void json_bool(struct json_writer *w, const char *key, bool v);
void json_null(struct json_writer *w, const char *key);
/* Fixed number of decimals ("%.*f"); NaN/inf -> null. */
void json_double(struct json_writer *w, const char *key, double v,
		 int decimals);
/* Ends one NDJSON record: newline, then fflush so a kill leaves it whole. */
void json_line_end(struct json_writer *w);
/* Write s as a quoted JSON string. */
void json_escape(FILE *f, const char *s);

#endif
