// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for what `svmtop export` parses from the network and
 * converts: http_parse_request() (the request head), the Accept header,
 * and the 0.0.4 -> OpenMetrics conversion.  Properties beyond "no crash,
 * no sanitizer report": a complete head is never longer than the input
 * or HTTP_MAX_HEADER, errors are only 400/431/505, and the OpenMetrics
 * output has no blank line and ends with a newline.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_req r;
	char *s, *om = NULL;
	size_t om_len = 0;
	FILE *f;
	int n;

	n = http_parse_request((const char *)data, size, &r);
	if (n > 0 && ((size_t)n > size || n > HTTP_MAX_HEADER))
		abort();
	if (n < 0 && n != -400 && n != -431 && n != -505)
		abort();
	if (n > 0 && (r.path[0] != '/' && r.path[0] != '*'))
		abort();

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	http_accept_openmetrics(s);
	free(s);

	f = open_memstream(&om, &om_len);
	if (!f)
		return 0;
	expo_to_openmetrics((const char *)data, size, f);
	fclose(f);
	if (om_len && (om[om_len - 1] != '\n' || om[0] == '\n' ||
		       memmem(om, om_len, "\n\n", 2)))
		abort();
	free(om);
	return 0;
}
