// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_strerror: a distinct sentence for every errno the
 * ABI and the library document, either sign, and a fallback.
 */
#include <limits.h>

#include "fixture.h"

static const int documented[] = {
	EINVAL, E2BIG, ENODEV, EOPNOTSUPP, ERANGE, EADDRNOTAVAIL, EBUSY,
	EISCONN, ENOTCONN, EPROTO, EPERM, EACCES, ENOMEM, EEXIST, ENOSPC,
	ENOENT, ENETRESET, EBADF, EINTR, EIO, EADDRINUSE, ENOBUFS,
};

static int strerror_documented(void)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(documented); i++) {
		const char *s = bifurc_strerror(-documented[i]);

		CHECK(s && *s);
		CHECK(s == bifurc_strerror(documented[i]));
		for (j = 0; j < i; j++)
			CHECK(strcmp(s, bifurc_strerror(-documented[j])) != 0);
	}
	CHECK(strstr(bifurc_strerror(-EADDRNOTAVAIL), "reserve") != NULL);
	CHECK(strstr(bifurc_strerror(-EOPNOTSUPP), "ntuple on") != NULL);
	CHECK(strstr(bifurc_strerror(-EBUSY), "mask") != NULL);
	CHECK(strstr(bifurc_strerror(-EPERM), "bifurcctl grant") != NULL);
	CHECK(strstr(bifurc_strerror(-EACCES), "destination port") != NULL);
	return 0;
}

static int strerror_fallback(void)
{
	CHECK(strcmp(bifurc_strerror(0), "success") == 0);
	CHECK(strlen(bifurc_strerror(-ETIMEDOUT)) > 0);
	CHECK(strcmp(bifurc_strerror(-100000), "unknown error") == 0);
	CHECK(strcmp(bifurc_strerror(INT_MIN), "unknown error") == 0);
	return 0;
}

static const struct tap_case cases[] = {
	{ "STRERROR_DOCUMENTED", strerror_documented },
	{ "STRERROR_FALLBACK", strerror_fallback },
};

int main(void)
{
	return tap_run("Description: bifurc_strerror", cases, ARRAY_SIZE(cases));
}
