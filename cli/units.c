// SPDX-License-Identifier: GPL-2.0-only
/*
 * Human-readable and exact unit conversions (see units.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "units.h"

char *units_duration_us(char *buf, size_t len, double us)
{
	unsigned long long s;

	if (isnan(us) || us < 0)
		snprintf(buf, len, "-");
	else if (us < 1000 && us == floor(us))
		snprintf(buf, len, "%.0fus", us);
	else if (us < 10)
		snprintf(buf, len, "%.2fus", us);
	else if (us < 999.95)
		snprintf(buf, len, "%.1fus", us);
	else if (us < 999995)
		snprintf(buf, len, "%.2fms", us / 1e3);
	else if (us < 59999500)
		snprintf(buf, len, "%.3fs", us / 1e6);
	else if ((s = (unsigned long long)(us / 1e6 + 0.5)) < 3600)
		snprintf(buf, len, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum%02llus", s / 3600,
			 s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%llud%02lluh%02llum", s / 86400,
			 s / 3600 % 24, s / 60 % 60);
	return buf;
}

char *units_bytes(char *buf, size_t len, double bytes)
{
	static const char *const pfx[] = { "KiB", "MiB", "GiB", "TiB",
					    "PiB", "EiB" };
	int i = -1;

	if (isnan(bytes) || bytes < 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (bytes < 1024) {
		snprintf(buf, len, "%.0f B", bytes);
		return buf;
	}
	while (bytes >= 1024 && i < 5) {
		bytes /= 1024;
		i++;
	}
	snprintf(buf, len, "%.1f %s", bytes, pfx[i]);
	return buf;
}

char *units_exact(char *buf, size_t len, uint64_t v, uint32_t mul,
		  unsigned int decimals)
{
	unsigned __int128 x = (unsigned __int128)v * mul;
	char tmp[64];
	int n = 0, i, o = 0;

	if (decimals > 30)
		decimals = 30;
	/* digits, least significant first, at least decimals+1 of them */
	do {
		tmp[n++] = '0' + (int)(x % 10);
		x /= 10;
	} while (x || n <= (int)decimals);
	/* trim trailing fractional zeros */
	i = 0;
	while (i < (int)decimals && tmp[i] == '0')
		i++;
	for (int k = n - 1; k >= i && o + 2 < (int)len; k--) {
		buf[o++] = tmp[k];
		if (k == (int)decimals && k > i)
			buf[o++] = '.';
	}
	if (len)
		buf[o < (int)len ? o : (int)len - 1] = '\0';
	return buf;
}
