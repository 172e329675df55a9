// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_stats: kernel counters (snapshot through
 * BIFURC_IOC_STATS) plus the handle's own counters, and its errors.
 */
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

static const struct tap_case cases[] = {
	{ "STATS_COUNTS", stats_counts },
	{ "STATS_ERRORS", stats_errors },
	{ "STATS_PAGE", stats_page },
};

int main(void)
{
	return tap_run("Description: bifurc_stats", cases, ARRAY_SIZE(cases));
}
