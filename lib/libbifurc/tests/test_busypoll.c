// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: busy-poll mode (BIFURC_OPT_BUSY_POLL): no interrupt ever
 * harvests, so rx_burst kicks HARVEST (+ REFILL) when the completion ring
 * is empty and bifurc_wait spins on the kick until its timeout.  With
 * BIFURC_OPT_RAW_DESC the library reads the descriptors itself: it spins
 * on them and kicks only to refill, or when nothing is posted.
 */
#include "fixture.h"

#define KICKS(d)	((d)->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)])

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

/*
 * Raw mode: the NIC writes its descriptors where the library reads them,
 * and the comp producer counts the descriptors the kernel posted, so a
 * harvest kick would only check what the library consumed.  An idle
 * poller spins on the descriptors and kicks only to refill (a batch the
 * NIC has room for, or a NIC down to less than a batch), or when no
 * posted descriptor is left beyond its consumer: then it harvests and
 * refills as in comp mode, and cannot stall.
 */
static int busy_raw_spins_on_memory(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_BUSY_POLL |
					BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[128], extra;
	unsigned long kicks, harvests, pkts = 0;
	struct bifurc_queue *q;
	struct sim_att *a;
	int round, got, n;

	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK(a->flags & BIFURC_ATTACH_BUSY_POLL);
	CHECK(a->flags & BIFURC_ATTACH_RAW_DESC);
	/* 128 buffers: 63 posted, which the comp producer counts, 65 in fill. */
	CHECK_EQ(sim_posted(a), 63);
	CHECK_EQ(a->comp_h->producer, 63);

	/* Idle with descriptors posted: no kick, and no poll() either. */
	kicks = KICKS(d);
	CHECK_EQ(bifurc_wait(q, 0), 0);
	CHECK_EQ(bifurc_wait(q, 5), 0);
	CHECK_EQ(bifurc_rx_burst(q, p, 64), 0);
	printf("# idle: %lu kicks\n", KICKS(d) - kicks);
	CHECK(KICKS(d) - kicks <= 1);
	CHECK_EQ(d->n_poll, 0);

	/* A stream: no harvest kick per burst, a refill kick per batch. */
	kicks = KICKS(d);
	harvests = d->n_kick_harvest;
	for (round = 0; round < 100; round++) {
		CHECK_EQ(sim_rx_many(d, FX_Q, 16, 64), 16);
		CHECK_EQ(bifurc_wait(q, 0), 1);
		got = 0;
		while ((n = bifurc_rx_burst(q, p + got, 64)) > 0)
			got += n;
		CHECK_EQ(n, 0);
		CHECK_EQ(got, 16);
		pkts += (unsigned long)got;
		CHECK_EQ(bifurc_rx_release(q, p, 16), 0);
	}
	kicks = KICKS(d) - kicks;
	printf("# %lu packets, %lu kicks\n", pkts, kicks);
	CHECK_EQ(d->n_kick_harvest, harvests);
	CHECK(kicks > 0);
	CHECK(kicks * 32 <= pkts + 32);
	/* The refills kept the NIC stocked. */
	CHECK_EQ(sim_posted(a), 63);

	/* Hold every posted buffer: nothing is left beyond the consumer... */
	CHECK_EQ(fx_rx_all(d, q, 63, 64, p), 63);
	CHECK_EQ(sim_posted(a), 0);
	/* ...so it kicks, harvest and refill, and the NIC gets buffers. */
	kicks = KICKS(d);
	harvests = d->n_kick_harvest;
	CHECK_EQ(bifurc_wait(q, 0), 0);
	CHECK_EQ(KICKS(d), kicks + 1);
	CHECK_EQ(d->n_kick_harvest, harvests + 1);
	CHECK_EQ(sim_posted(a), 63);
	CHECK_EQ(fx_rx_all(d, q, 63, 64, p + 63), 63);
	CHECK_EQ(bifurc_wait(q, 0), 0);
	CHECK_EQ(sim_posted(a), 2);
	CHECK_EQ(fx_rx_all(d, q, 2, 64, p + 126), 2);
	/* Every buffer held, none posted: still a kick per empty burst. */
	kicks = KICKS(d);
	CHECK_EQ(bifurc_rx_burst(q, &extra, 1), 0);
	CHECK_EQ(KICKS(d), kicks + 1);

	/* Less than a batch back: no kick; a batch: one refill kick. */
	kicks = KICKS(d);
	harvests = d->n_kick_harvest;
	CHECK_EQ(bifurc_rx_release(q, p, 16), 0);
	CHECK_EQ(KICKS(d), kicks);
	CHECK_EQ(bifurc_rx_release(q, p + 16, 16), 0);
	CHECK_EQ(KICKS(d), kicks + 1);
	CHECK_EQ(d->n_kick_harvest, harvests);
	CHECK_EQ(sim_posted(a), 32);
	/* Posted again: back to spinning on the descriptors. */
	kicks = KICKS(d);
	CHECK_EQ(bifurc_wait(q, 5), 0);
	CHECK(KICKS(d) - kicks <= 1);
	CHECK_EQ(fx_rx_all(d, q, 32, 64, p), 32);
	CHECK_EQ(bifurc_rx_release(q, p, 128), 0);
	bifurc_close(q);
	return 0;
}

/* Spinning without kicks, it still sees the reset in the status word. */
static int busy_raw_reset(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_BUSY_POLL |
					BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p;

	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_wait(q, 0), 0);
	sim_reset(d);
	CHECK_EQ(bifurc_wait(q, 5), -ENETRESET);
	CHECK_EQ(bifurc_rx_burst(q, &p, 1), -ENETRESET);
	bifurc_close(q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "BUSY_KICK_ERROR", busy_kick_error },
	{ "BUSY_RAW_RESET", busy_raw_reset },
	{ "BUSY_RAW_SPINS_ON_MEMORY", busy_raw_spins_on_memory },
	{ "BUSY_RX", busy_rx },
	{ "BUSY_UNSUPPORTED", busy_unsupported },
	{ "BUSY_WAIT_READY", busy_wait_ready },
	{ "BUSY_WAIT_TIMEOUT", busy_wait_timeout },
};

int main(void)
{
	return tap_run("Description: busy-poll mode", cases, ARRAY_SIZE(cases));
}
