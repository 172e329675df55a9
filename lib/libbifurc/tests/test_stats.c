// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_stats: kernel counters (snapshot through
 * BIFURC_IOC_STATS) plus the handle's own counters, and its errors; it
 * may run in another thread while the data path updates the handle's
 * counters (this program also runs under ThreadSanitizer).
 */
#include <pthread.h>

#include "fixture.h"

static int stats_counts(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[128];
	struct bifurc_stats st;
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.rx_packets, 0);
	CHECK_EQ(st.kicks, 1);
	CHECK_EQ(st.lib_kicks, 1);
	CHECK_EQ(fx_rx_all(d, q, 20, 100, p), 20);
	/* 128 buffers: 63 + 65; a 200-frame burst overruns the NIC. */
	CHECK_EQ(sim_rx_many(d, FX_Q, 200, 100), 63);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.rx_packets, 83);
	CHECK_EQ(st.rx_bytes, 8300);
	CHECK_EQ(st.rx_no_buf, 137);
	CHECK_EQ(st.rx_bad_id, 0);
	CHECK_EQ(st.lib_bad_comp, 0);
	CHECK_EQ(st.tx_packets, 0);
	CHECK_EQ(st.reserved[0], 0);
	CHECK_EQ(bifurc_rx_release(q, p, 20), 0);
	bifurc_close(q);
	return 0;
}

static int stats_errors(void)
{
	struct bifurc_stats st;
	struct bifurc_queue *q;
	struct sim_dev *d = fx_dev();

	CHECK_EQ(bifurc_stats(NULL, &st), -EINVAL);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_stats(q, NULL), -EINVAL);
	sim_reset(d);
	CHECK_EQ(bifurc_stats(q, &st), -ENETRESET);
	bifurc_close(q);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	sim_remove(d);
	CHECK_EQ(bifurc_stats(q, &st), -ENODEV);
	bifurc_close(q);
	return 0;
}

/* The counters page agrees with the ioctl snapshot. */
static int stats_page(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_stats st;
	struct bifurc_queue *q;
	struct sim_att *a;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(sim_rx_many(d, FX_Q, 5, 60), 5);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(a->cnt->rx_packets, st.rx_packets);
	CHECK_EQ(a->cnt->status, BIFURC_STATUS_ATTACHED);
	CHECK_EQ(a->cnt->size, sizeof(struct bifurc_counters));
	bifurc_close(q);
	return 0;
}

struct reader {
	struct bifurc_queue *q;
	int stop;			/* atomic */
	unsigned long calls;		/* atomic */
	uint64_t kicks, bad;		/* the last values seen */
	int err;
};

static void *stats_reader(void *arg)
{
	struct reader *r = arg;
	struct bifurc_stats st;
	int err;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		err = bifurc_stats(r->q, &st);
		if (err) {
			r->err = err;
			break;
		}
		/* Counters never go back. */
		if (st.lib_kicks < r->kicks || st.lib_bad_comp < r->bad) {
			r->err = -ERANGE;
			break;
		}
		r->kicks = st.lib_kicks;
		r->bad = st.lib_bad_comp;
		__atomic_fetch_add(&r->calls, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * bifurc_stats in a second thread while the data path counts kicks and
 * refused completions in the first: no data race (ThreadSanitizer), and
 * the counts read back are the ones made.
 */
static int stats_concurrent(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct reader r = { 0 };
	struct bifurc_pkt p[64];
	struct bifurc_stats st;
	unsigned long kicks, round;
	pthread_t t;
	int n;

	o.buf_count = 64;		/* the NIC runs dry: rx_release kicks */
	CHECK_EQ(bifurc_open(&r.q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(pthread_create(&t, NULL, stats_reader, &r), 0);
	for (round = 0; round < 200 ||
	     __atomic_load_n(&r.calls, __ATOMIC_ACQUIRE) < 100; round++) {
		if (round == 1000000)
			break;
		sim_inject_comp(sim_att_of(d, FX_Q), 1000, 64); /* bogus */
		sim_rx_many(d, FX_Q, 32, 64);
		while ((n = bifurc_rx_burst(r.q, p, 64)) > 0)
			bifurc_rx_release(r.q, p, (unsigned int)n);
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	CHECK_EQ(pthread_join(t, NULL), 0);
	printf("# %lu rounds, %lu bifurc_stats calls\n", round, r.calls);
	CHECK_EQ(r.err, 0);
	CHECK(r.calls >= 100);
	kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
	CHECK_EQ(bifurc_stats(r.q, &st), 0);
	CHECK_EQ(st.lib_kicks, kicks);
	CHECK(st.lib_kicks > round / 2);
	CHECK_EQ(st.lib_bad_comp, round);
	bifurc_close(r.q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "STATS_CONCURRENT", stats_concurrent },
	{ "STATS_COUNTS", stats_counts },
	{ "STATS_ERRORS", stats_errors },
	{ "STATS_PAGE", stats_page },
};

int main(void)
{
	return tap_run("Description: bifurc_stats", cases, ARRAY_SIZE(cases));
}
