// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_open_fd: attach through a device descriptor opened
 * by someone else (a broker that passed it over a unix socket), which the
 * queue then owns: closed by bifurc_close, and closed on every failure,
 * so that no attached file is left behind.
 */
#include <fcntl.h>
#include <unistd.h>

#include "fixture.h"

/* The broker's part: open the node, without O_CLOEXEC. */
static int broker_fd(void)
{
	return open(FX_NODE, O_RDWR);
}

static int fd_closed(int fd)
{
	return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

static int open_fd(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_TX);
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 53);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue_info qi;
	struct bifurc_pkt p[8];
	struct bifurc_queue *q;
	int fd, id;

	fd = broker_fd();
	CHECK(fd >= 0);
	CHECK_EQ(bifurc_open_fd(&q, fd, FX_Q, &o), 0);
	CHECK_EQ(bifurc_fd(q), fd);
	/* The library's rule for its descriptors: not inherited by exec. */
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(qi.queue, FX_Q);
	CHECK_EQ(strcmp(qi.ifname, FX_IF), 0);
	CHECK_EQ(qi.ifindex, 0);		/* no interface name was given */
	CHECK_EQ(qi.rx_desc, 64);
	CHECK_EQ(qi.buf_count, 128);
	CHECK_EQ(qi.flags, BIFURC_OPT_TX);
	CHECK_EQ(sim_posted(sim_att_of(d, FX_Q)), 63);
	id = bifurc_flow_add(q, &f);
	CHECK(id >= 0);
	CHECK(d->rules[id].used);
	CHECK_EQ(fx_rx_all(d, q, 8, 60, p), 8);
	CHECK_EQ(bifurc_rx_release(q, p, 8), 0);
	bifurc_close(q);
	CHECK(fd_closed(fd));
	CHECK(!d->rules[id].used);
	CHECK(sim_att_of(d, FX_Q) == NULL);
	return 0;
}

/*
 * Every failure closes fd: after an ATTACH only that detaches, and the
 * caller cannot tell whether the failure came before or after it.
 */
static int open_fd_errors(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q = (void *)&o, *q2;
	int fd;

	CHECK_EQ(bifurc_open_fd(&q, -1, FX_Q, NULL), -EBADF);
	CHECK(q == NULL);

	fd = broker_fd();
	CHECK_EQ(bifurc_open_fd(NULL, fd, FX_Q, NULL), -EINVAL);
	CHECK(fd_closed(fd));

	fd = broker_fd();
	o.flags = 1U << 31;
	CHECK_EQ(bifurc_open_fd(&q, fd, FX_Q, &o), -EINVAL);
	CHECK(q == NULL);
	CHECK(fd_closed(fd));
	o.flags = 0;

	/* Not a bifurc device at all. */
	fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0);
	CHECK_EQ(bifurc_open_fd(&q, fd, FX_Q, NULL), -ENOTTY);
	CHECK(fd_closed(fd));
	CHECK(strstr(bifurc_strerror(-ENOTTY), "not a bifurc device"));

	fd = broker_fd();
	CHECK_EQ(bifurc_open_fd(&q, fd, 1, NULL), -EADDRNOTAVAIL);
	CHECK(fd_closed(fd));

	/* After ATTACH: the mapping fails, the file must not stay attached. */
	fd = broker_fd();
	d->fail_mmap = ENOMEM;
	CHECK_EQ(bifurc_open_fd(&q, fd, FX_Q, &o), -ENOMEM);
	CHECK(fd_closed(fd));
	CHECK(sim_att_of(d, FX_Q) == NULL);

	/* The queue is busy; the second file is refused and closed. */
	CHECK_EQ(bifurc_open_fd(&q2, broker_fd(), FX_Q, &o), 0);
	fd = broker_fd();
	CHECK_EQ(bifurc_open_fd(&q, fd, FX_Q, &o), -EBUSY);
	CHECK(fd_closed(fd));
	bifurc_close(q2);

	sim_remove(d);
	CHECK_EQ(bifurc_open_fd(&q, broker_fd(), FX_Q, NULL), -EBADF);
	return 0;
}

static const struct tap_case cases[] = {
	{ "OPEN_FD", open_fd },
	{ "OPEN_FD_ERRORS", open_fd_errors },
};

int main(void)
{
	return tap_run("Description: bifurc_open_fd", cases, ARRAY_SIZE(cases));
}
