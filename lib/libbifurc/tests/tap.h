/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Tiny TAP 13 harness for the host tests.  A test program is a sorted
 * table of cases with stable upper-case names; every case runs against a
 * fresh simulated kernel (sim_begin/sim_end) and must leave no open
 * device file, mapping or attachment behind, or it fails.
 *
 *   static const struct tap_case cases[] = { { "NAME", fn }, ... };
 *   int main(void) { return tap_run("Description: ...", cases, N); }
 *
 * Inside a case, CHECK(expr) and CHECK_EQ(a, b) print a diagnostic and
 * return -1 from the case on failure.
 */
#ifndef BIFURC_TEST_TAP_H
#define BIFURC_TEST_TAP_H

#include <stdio.h>
#include <string.h>

#include "sim.h"

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
		printf("# %s:%d: %s == %lld, expected %s == %lld\n",	\
		       __FILE__, __LINE__, #a, _a, #b, _b);		\
		return -1;						\
	}								\
} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline int tap_run(const char *desc, const struct tap_case *cases,
			  unsigned int n)
{
	unsigned int i, failed = 0;
	int r, leaks;

	/* Line buffered: a sanitizer exit must not swallow results. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n# %s\n1..%u\n", desc, n);
	for (i = 0; i < n; i++) {
		fflush(stdout);
		sim_begin();
		r = cases[i].fn();
		leaks = sim_end();
		if (r == 0 && leaks) {
			printf("# %u resource(s) leaked\n", leaks);
			r = -1;
		}
		if (r > 0) {
			printf("ok %u - %s # SKIP\n", i + 1, cases[i].name);
			continue;
		}
		printf("%sok %u - %s\n", r ? "not " : "", i + 1, cases[i].name);
		failed += r != 0;
	}
	printf("# %u passed, %u failed\n", n - failed, failed);
	return failed ? 1 : 0;
}

#endif /* BIFURC_TEST_TAP_H */
