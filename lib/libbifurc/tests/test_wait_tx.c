// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_wait_tx: sleeps in one poll() until the NIC has
 * sent a frame and NAPI handed its buffer back (POLLWRBAND, where POLLOUT
 * would have returned at once); returns 0 at once with nothing in flight;
 * times out with one poll(); looks every millisecond on a kernel without
 * BIFURC_INFO_F_TX_WAIT; spins on reclaim kicks in busy-poll mode;
 * reports a reset; refuses a queue without TX and a NULL handle.
 */
#include "fixture.h"

#define KICKS(d)	((d)->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)])

/* on_sleep: the NIC sends after the application slept @arg times */
static void send_on_sleep(struct sim_dev *d, struct sim_att *a, void *arg)
{
	unsigned int *sleeps = arg;

	if (--*sleeps == 0)
		sim_tx_send(d, a->queue, 1000);
}

/* One frame from the TX reserve, queued on the tx ring. */
static int queue_frame(struct bifurc_queue *q)
{
	struct bifurc_pkt p;
	struct bifurc_tx t = { 0 };
	struct bifurc_queue_info qi;

	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(bifurc_tx_alloc(q, &p, 1), 1);
	memset(p.data, 0x5a, 60);
	t.buf = p.buf;
	t.offset = (uint32_t)((uint8_t *)p.data - (uint8_t *)qi.pool -
			      (size_t)p.buf * qi.buf_size);
	t.len = 60;
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), 1);
	return 0;
}

static struct bifurc_opts tx_opts(uint32_t flags)
{
	struct bifurc_opts o = fx_small(flags | BIFURC_OPT_TX);

	o.tx_buf_count = 8;
	return o;
}

static int wait_tx_sleeps(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	unsigned int sleeps = 1;
	struct bifurc_queue *q;
	struct bifurc_pkt back;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(queue_frame(q), 0);
	d->on_sleep = send_on_sleep;
	d->on_sleep_arg = &sleeps;
	d->n_poll = 0;
	CHECK_EQ(bifurc_wait_tx(q, -1), 1);
	CHECK_EQ(d->n_poll, 1);
	CHECK_EQ(bifurc_tx_complete(q, &back, 1), 1);
	d->on_sleep = NULL;
	bifurc_close(q);
	return 0;
}

static int wait_tx_nothing_in_flight(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	d->n_poll = 0;
	CHECK_EQ(bifurc_wait_tx(q, -1), 0);
	CHECK_EQ(d->n_poll, 0);
	bifurc_close(q);
	return 0;
}

static int wait_tx_timeout(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(queue_frame(q), 0);
	d->n_poll = 0;
	CHECK_EQ(bifurc_wait_tx(q, 0), 0);
	CHECK_EQ(d->n_poll, 0);
	CHECK_EQ(bifurc_wait_tx(q, 20), 0);
	CHECK_EQ(d->n_poll, 1);
	bifurc_close(q);
	return 0;
}

/* No POLLWRBAND to sleep on: a poll() per millisecond until it is back. */
static int wait_tx_old_kernel(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	unsigned int sleeps = 3;
	struct bifurc_queue *q;

	d->info_flags &= ~BIFURC_INFO_F_TX_WAIT;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(queue_frame(q), 0);
	d->on_sleep = send_on_sleep;
	d->on_sleep_arg = &sleeps;
	d->n_poll = 0;
	CHECK_EQ(bifurc_wait_tx(q, -1), 1);
	CHECK_EQ(d->n_poll, 3);
	d->on_sleep = NULL;
	bifurc_close(q);
	return 0;
}

static int wait_tx_busy_poll(void)
{
	struct bifurc_opts o = tx_opts(BIFURC_OPT_BUSY_POLL);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	uint64_t kicks;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(queue_frame(q), 0);
	kicks = KICKS(d);
	d->n_poll = 0;
	CHECK_EQ(bifurc_wait_tx(q, 20), 0);
	CHECK(KICKS(d) > kicks);
	CHECK_EQ(d->n_poll, 0);
	CHECK_EQ(sim_tx_send(d, FX_Q, 1), 1);
	CHECK_EQ(bifurc_wait_tx(q, 20), 1);
	bifurc_close(q);
	return 0;
}

static int wait_tx_reset(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(queue_frame(q), 0);
	sim_reset(d);
	CHECK_EQ(bifurc_wait_tx(q, -1), -ENETRESET);
	bifurc_close(q);
	return 0;
}

static int wait_tx_einval(void)
{
	struct bifurc_queue *q;

	fx_dev();
	CHECK_EQ(bifurc_wait_tx(NULL, 0), -EINVAL);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_wait_tx(q, 0), -EOPNOTSUPP);
	bifurc_close(q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "WAIT_TX_BUSY_POLL", wait_tx_busy_poll },
	{ "WAIT_TX_EINVAL", wait_tx_einval },
	{ "WAIT_TX_NOTHING_IN_FLIGHT", wait_tx_nothing_in_flight },
	{ "WAIT_TX_OLD_KERNEL", wait_tx_old_kernel },
	{ "WAIT_TX_RESET", wait_tx_reset },
	{ "WAIT_TX_SLEEPS", wait_tx_sleeps },
	{ "WAIT_TX_TIMEOUT", wait_tx_timeout },
};

int main(void)
{
	return tap_run("Description: bifurc_wait_tx", cases, ARRAY_SIZE(cases));
}
