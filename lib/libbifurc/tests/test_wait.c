// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_wait in interrupt mode: immediate return when ready,
 * timeout, sleeping until a frame arrives, POLLERR after reset or
 * removal, a signal, a descriptor closed behind the library's back.
 */
#include <unistd.h>

#include "fixture.h"

static int wait_ready(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[2];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(sim_rx(d, FX_Q, "a", 1, NULL), 1);
	CHECK_EQ(sim_rx(d, FX_Q, "b", 1, NULL), 1);
	CHECK_EQ(bifurc_wait(q, -1), 2);
	CHECK_EQ(d->n_poll, 0);		/* ready: no syscall */
	CHECK_EQ(bifurc_rx_burst(q, p, 2), 2);
	CHECK_EQ(bifurc_rx_release(q, p, 2), 0);
	bifurc_close(q);
	return 0;
}

static int wait_timeout(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_wait(q, 0), 0);
	CHECK_EQ(bifurc_wait(q, 10), 0);
	CHECK_EQ(d->n_poll, 2);
	bifurc_close(q);
	return 0;
}

static int wait_sleeps_until_frame(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_stats st;
	struct bifurc_queue *q;
	struct bifurc_pkt p;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	sim_wire_queue(d, "late", 4);
	CHECK_EQ(bifurc_wait(q, -1), 1);
	CHECK_EQ(bifurc_rx_burst(q, &p, 1), 1);
	CHECK(memcmp(p.data, "late", 4) == 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.wakeups, 1);
	CHECK_EQ(bifurc_rx_release(q, &p, 1), 0);
	bifurc_close(q);
	return 0;
}

/* poll() refills: buffers released below the kick batch reach the NIC. */
static int wait_refills(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[128];
	struct bifurc_queue *q;
	unsigned long kicks;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(fx_rx_all(d, q, 63, 64, p), 63);
	CHECK_EQ(fx_rx_all(d, q, 63, 64, p + 63), 63);
	CHECK_EQ(fx_rx_all(d, q, 2, 64, p + 126), 2);
	CHECK_EQ(sim_posted(sim_att_of(d, FX_Q)), 0);
	kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
	CHECK_EQ(bifurc_rx_release(q, p, 5), 0);
	CHECK_EQ(bifurc_wait(q, 0), 0);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)], kicks);
	CHECK_EQ(sim_posted(sim_att_of(d, FX_Q)), 5);
	CHECK_EQ(bifurc_rx_release(q, p + 5, 123), 0);
	bifurc_close(q);
	return 0;
}

static int wait_reset(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	sim_reset(d);
	CHECK_EQ(bifurc_wait(q, -1), -ENETRESET);
	bifurc_close(q);
	return 0;
}

static int wait_removed(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	sim_remove(d);
	CHECK_EQ(bifurc_wait(q, -1), -ENODEV);
	bifurc_close(q);
	return 0;
}

/*
 * POLLERR from the device while the status page says nothing yet (the
 * kernel publishes it once the queue has stopped): the kick says why.
 */
static int wait_pollerr_no_status(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct sim_att *a;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	a = sim_att_of(d, FX_Q);
	a->dead = ENETRESET;		/* the kernel's flag, page not updated */
	CHECK_EQ(bifurc_wait(q, -1), -ENETRESET);
	a->dead = EACCES;		/* a revoked grant, the same window */
	CHECK_EQ(bifurc_wait(q, -1), -EACCES);
	a->dead = 0;
	bifurc_close(q);
	return 0;
}

static int wait_signal(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	d->fail_poll = EINTR;
	CHECK_EQ(bifurc_wait(q, -1), -EINTR);
	bifurc_close(q);
	return 0;
}

/* The "closed handle" case: the fd was closed behind the library. */
static int wait_closed_fd(void)
{
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 53);

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	close(bifurc_fd(q));
	CHECK_EQ(bifurc_wait(q, 0), -EBADF);
	CHECK_EQ(bifurc_stats(q, &st), -EBADF);
	CHECK_EQ(bifurc_flow_add(q, &f), -EBADF);
	CHECK_EQ(bifurc_flow_del(q, 1), -EBADF);
	bifurc_close(q);		/* the second close() fails quietly */
	return 0;
}

static int wait_null(void)
{
	CHECK_EQ(bifurc_wait(NULL, 0), -EINVAL);
	return 0;
}

static const struct tap_case cases[] = {
	{ "WAIT_CLOSED_FD", wait_closed_fd },
	{ "WAIT_NULL", wait_null },
	{ "WAIT_POLLERR_NO_STATUS", wait_pollerr_no_status },
	{ "WAIT_READY", wait_ready },
	{ "WAIT_REFILLS", wait_refills },
	{ "WAIT_REMOVED", wait_removed },
	{ "WAIT_RESET", wait_reset },
	{ "WAIT_SIGNAL", wait_signal },
	{ "WAIT_SLEEPS_UNTIL_FRAME", wait_sleeps_until_frame },
	{ "WAIT_TIMEOUT", wait_timeout },
};

int main(void)
{
	return tap_run("Description: bifurc_wait (interrupt mode)", cases,
		       ARRAY_SIZE(cases));
}
