/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP 13 harness for the bifurcctl unit tests: a sorted table of
 * cases with stable upper-case names, one result line each.
 *
 *   static const struct tap_case cases[] = { { "NAME", fn }, ... };
 *   int main(void) { return tap_run("Description: ...", cases, N); }
 *
 * CHECK(expr) / CHECK_EQ(a, b) / CHECK_STR(a, b) print a diagnostic and
 * fail the case.
 */
#ifndef BIFURCCTL_TAP_H
#define BIFURCCTL_TAP_H

#include <stdio.h>
#include <string.h>

struct tap_case {
	const char *name;
	int (*fn)(void);
};

#define CHECK(expr) do {						\
	if (!(expr)) {							\
		printf("# %s:%d: CHECK(%s) failed\n", __FILE__,		\
		       __LINE__, #expr);				\
		return -1;						\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		printf("# %s:%d: %s == %lld, expected %lld\n",		\
		       __FILE__, __LINE__, #a, _a, _b);			\
		return -1;						\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (strcmp(_a, _b)) {						\
		printf("# %s:%d: %s == \"%s\", expected \"%s\"\n",	\
		       __FILE__, __LINE__, #a, _a, _b);			\
		return -1;						\
	}								\
} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline int tap_run(const char *desc, const struct tap_case *cases,
			  unsigned int n)
{
	unsigned int i, failed = 0;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n# %s\n1..%u\n", desc, n);
	for (i = 0; i < n; i++) {
		r = cases[i].fn();
		printf("%sok %u - %s\n", r ? "not " : "", i + 1, cases[i].name);
		failed += r != 0;
	}
	printf("# %u passed, %u failed\n", n - failed, failed);
	return failed ? 1 : 0;
}

#endif
