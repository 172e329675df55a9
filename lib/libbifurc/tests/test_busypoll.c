// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: busy-poll mode (BIFURC_OPT_BUSY_POLL): no interrupt ever
 * harvests, so rx_burst kicks HARVEST (+ REFILL) when the completion ring
 * is empty and bifurc_wait spins on the kick until its timeout.
 */
#include "fixture.h"

static int busy_rx(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_BUSY_POLL);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[64];
	struct bifurc_queue *q;
	struct sim_att *a;
	unsigned long kicks;
	int round, got, n;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK(a->flags & BIFURC_ATTACH_BUSY_POLL);
	for (round = 0; round < 100; round++) {
		CHECK_EQ(sim_rx_many(d, FX_Q, 32, 64), 32);
		/* No NAPI: nothing is in the completion ring yet. */
		CHECK_EQ(a->comp_h->producer, a->kprod);
		kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
		got = 0;
		while ((n = bifurc_rx_burst(q, p + got, 64)) > 0)
			got += n;
		CHECK_EQ(n, 0);
		CHECK_EQ(got, 32);
		CHECK_EQ(bifurc_rx_release(q, p, 32), 0);
		/* One harvest kick, one for the empty ring, one refill. */
		CHECK(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)] - kicks <= 3);
	}
	CHECK(a->fill_h->flags & BIFURC_RING_NEED_WAKEUP);
	bifurc_close(q);
	return 0;
}

static int busy_wait_timeout(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_BUSY_POLL);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	unsigned long kicks;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
	CHECK_EQ(bifurc_wait(q, 0), 0);
	CHECK_EQ(bifurc_wait(q, 5), 0);
	/* It spun on the kick, it did not sleep in poll(). */
	CHECK(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)] - kicks >= 2);
	CHECK_EQ(d->n_poll, 0);
	bifurc_close(q);
	return 0;
}

static int busy_wait_ready(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_BUSY_POLL);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(sim_rx(d, FX_Q, "z", 1, NULL), 1);
	CHECK_EQ(bifurc_wait(q, -1), 1);
	CHECK_EQ(bifurc_wait(q, -1), 1);	/* still there: not consumed */
	CHECK_EQ(bifurc_rx_burst(q, &p, 1), 1);
	CHECK_EQ(bifurc_rx_release(q, &p, 1), 0);
	bifurc_close(q);
	return 0;
}

static int busy_kick_error(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_BUSY_POLL);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	d->fail_kick = EIO;
	CHECK_EQ(bifurc_rx_burst(q, &p, 1), -EIO);
	d->fail_kick = EIO;
	CHECK_EQ(bifurc_wait(q, 10), -EIO);
	bifurc_close(q);
	return 0;
}

static int busy_unsupported(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_BUSY_POLL);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->info_flags &= ~BIFURC_INFO_F_BUSY_POLL;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EOPNOTSUPP);
	return 0;
}

static const struct tap_case cases[] = {
	{ "BUSY_KICK_ERROR", busy_kick_error },
	{ "BUSY_RX", busy_rx },
	{ "BUSY_UNSUPPORTED", busy_unsupported },
	{ "BUSY_WAIT_READY", busy_wait_ready },
	{ "BUSY_WAIT_TIMEOUT", busy_wait_timeout },
};

int main(void)
{
	return tap_run("Description: busy-poll mode", cases, ARRAY_SIZE(cases));
}
