/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bifurc feature programs (bifurc_abi, _flows, _grants, _rx, _tx,
 * _teardown) are kselftest_harness.h programs: the harness owns argv (-l,
 * -t, -T, -f, ...), so the interface and queue come from the environment
 * (bifurc_lib.h, struct bifurc_env).  kselftest_harness.h is not in this
 * tree: selftests/Makefile takes it from the kernel source at build time.
 */
#ifndef BIFURC_SELFTEST_HARNESS_H
#define BIFURC_SELFTEST_HARNESS_H

/*
 * The header's SIGALRM handler has the three-argument signature and does
 * not use its ucontext: -Wextra's -Wunused-parameter, for this header only.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop
#include "bifurc_lib.h"

/*
 * Ports of the traffic cases: one each, so a late frame is not taken
 * for the next case's.
 */
#define PORT_FLOW	7801
#define PORT_OTHER	7802
#define PORT_TCP	7803
#define PORT_KILL	7804
#define PORT_TX		7805
#define PORT_ECHO	7806
#define PORT_RAW	7807

/*
 * Every fixture's setup: the environment, or a skip without it (the
 * program run by hand); a queue left attached by the case before (a
 * process of it still exiting) must have gone within 5 s.
 */
static inline bool bifurc_setup(struct __test_metadata *_metadata)
{
	const char *why = NULL;
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	err = bifurc_env_init(&why);
	if (err == -EINVAL)
		SKIP(return false, "%s", why);
	ASSERT_EQ(0, err) TH_LOG("%s: %s", why, strerror(-err));
	ASSERT_TRUE(wait_until_detached(5))
		TH_LOG("queue %u still attached before the case", bt.queue);
	return true;
}

/* Every fixture's teardown: what the case started and did not reap. */
static inline void bifurc_teardown(struct __test_metadata *_metadata)
{
	(void)_metadata;
	spawn_kill_all();
}

/* A peer namespace, or skip: the traffic cases need one. */
static inline bool need_peer(struct __test_metadata *_metadata)
{
	if (!have_peer())
		SKIP(return false, "no peer (BIFURC_PEER_NS etc. unset)");
	return true;
}

/*
 * The pages all bifurc attachments hold (bifurc_pages()) before a case
 * attaches: a driver without the count fails the case.
 */
static inline long pages_baseline(struct __test_metadata *_metadata)
{
	long base = driver_pages();

	ASSERT_LE(0, base)
		TH_LOG("no " BIFURC_PAGES_FILE ": a driver without the count?");
	return base;
}

/*
 * After kill -9 of the attached process: the pages rose by at least POOL
 * while it was attached and are back at BASE exactly.
 */
static inline void pages_back(struct __test_metadata *_metadata, long pool,
			      long base, long during, long after)
{
	ASSERT_LE(pool, during - base)
		TH_LOG("bifurc pages rose by %ld with the queue attached",
		       during - base);
	ASSERT_EQ(base, after) TH_LOG("bifurc pages after kill -9");
}

#endif /* BIFURC_SELFTEST_HARNESS_H */
