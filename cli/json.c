// SPDX-License-Identifier: GPL-2.0-only
/*
 * Streaming JSON writer (see json.h).
 */
#include <inttypes.h>
#include <math.h>

#include "json.h"

#define JSON_MAX_DEPTH 32

void json_init(struct json_writer *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	w->nonempty = 0;
}

void json_escape(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Comma and key before a member. */
static void member(struct json_writer *w, const char *key)
{
	uint32_t bit = 1u << (w->depth % JSON_MAX_DEPTH);

	if (w->nonempty & bit)
		fputc(',', w->f);
	w->nonempty |= bit;
	if (key) {
		json_escape(w->f, key);
		fputc(':', w->f);
	}
}

static void open_level(struct json_writer *w, const char *key, char c)
{
	member(w, key);
	fputc(c, w->f);
	if (w->depth < JSON_MAX_DEPTH - 1)
		w->depth++;
	w->nonempty &= ~(1u << w->depth);
}

static void close_level(struct json_writer *w, char c)
{
	fputc(c, w->f);
	if (w->depth)
		w->depth--;
}

void json_obj_begin(struct json_writer *w, const char *key)
{
	open_level(w, key, '{');
}

void json_obj_end(struct json_writer *w)
{
	close_level(w, '}');
}

void json_arr_begin(struct json_writer *w, const char *key)
{
	open_level(w, key, '[');
}

void json_arr_end(struct json_writer *w)
{
	close_level(w, ']');
}

void json_str(struct json_writer *w, const char *key, const char *s)
{
	member(w, key);
	json_escape(w->f, s);
}

void json_u64(struct json_writer *w, const char *key, uint64_t v)
{
	member(w, key);
	fprintf(w->f, "%" PRIu64, v);
}

void json_i64(struct json_writer *w, const char *key, int64_t v)
{
	member(w, key);
	fprintf(w->f, "%" PRId64, v);
}

void json_bool(struct json_writer *w, const char *key, bool v)
{
	member(w, key);
	fputs(v ? "true" : "false", w->f);
}

void json_null(struct json_writer *w, const char *key)
{
	member(w, key);
	fputs("null", w->f);
}

void json_double(struct json_writer *w, const char *key, double v,
		 int decimals)
{
	member(w, key);
	if (isfinite(v))
		fprintf(w->f, "%.*f", decimals, v);
	else
		fputs("null", w->f);
}

void json_line_end(struct json_writer *w)
{
	fputc('\n', w->f);
	fflush(w->f);
	w->depth = 0;
	w->nonempty = 0;
}
