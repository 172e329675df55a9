// SPDX-License-Identifier: GPL-2.0
/*
 * recvmmsg: a kernel UDP socket bound to the benchmark's port, read with
 * recvmmsg() in batches of 32.  MSG_WAITFORONE makes the call block for
 * the first datagram only and return with whatever else is queued, the
 * usual way to batch without adding latency; SO_RCVTIMEO bounds the block
 * (recvmmsg's own timeout is only checked between datagrams).  The socket
 * buffer is forced to 4 MiB so that a burst after a slow wakeup is queued,
 * not dropped; the drops it still sees come from SO_MEMINFO.
 *
 * Busy-poll (-b): the socket polls its NIC queue from recvmmsg itself
 * (SO_BUSY_POLL 50 us, SO_PREFER_BUSY_POLL, SO_BUSY_POLL_BUDGET 32) and
 * the loop calls it with MSG_DONTWAIT, never sleeping.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "rx.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#define SO_BUSY_POLL_BUDGET	70
#endif

#define BUF_SIZE	2048

struct mm_state {
	int fd;
	struct mmsghdr msgs[RX_BATCH];
	struct iovec iov[RX_BATCH];
	unsigned char bufs[RX_BATCH][BUF_SIZE];
};

static int mm_setup(struct rx_ctx *ctx)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(ctx->port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct timeval tv = { .tv_usec = RX_WAIT_MS * 1000 };
	int rcvbuf = 4 << 20, usecs = 50, one = 1, budget = RX_BATCH;
	struct mm_state *s;
	int i;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0 ||
	    (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
			sizeof(rcvbuf)) &&
	     setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			sizeof(rcvbuf))) ||
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    (ctx->busy_poll &&
	     (setsockopt(s->fd, SOL_SOCKET, SO_BUSY_POLL, &usecs, sizeof(usecs)) ||
	      setsockopt(s->fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one)) ||
	      setsockopt(s->fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget,
			 sizeof(budget)))) ||
	    bind(s->fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("bench-rx: recvmmsg socket");
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return -errno;
	}
	for (i = 0; i < RX_BATCH; i++) {
		s->iov[i].iov_base = s->bufs[i];
		s->iov[i].iov_len = BUF_SIZE;
		s->msgs[i].msg_hdr.msg_iov = &s->iov[i];
		s->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	ctx->priv = s;
	return 0;
}

static int mm_poll(struct rx_ctx *ctx)
{
	struct mm_state *s = ctx->priv;
	int i, n;

	ctx->syscalls++;
	n = recvmmsg(s->fd, s->msgs, RX_BATCH,
		     ctx->busy_poll ? MSG_DONTWAIT : MSG_WAITFORONE, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	/*
	 * The kernel matched the port already; read the payload's first
	 * byte as the frame methods read the header.
	 */
	for (i = 0; i < n; i++) {
		if (s->msgs[i].msg_len > 0 && s->bufs[i][0] != 0xff)
			ctx->pkts++;
		else
			ctx->other++;
	}
	return 0;
}

static uint64_t mm_drops(struct rx_ctx *ctx)
{
	struct mm_state *s = ctx->priv;
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	socklen_t len = sizeof(mem);

	if (getsockopt(s->fd, SOL_SOCKET, SO_MEMINFO, mem, &len))
		return 0;
	return mem[SK_MEMINFO_DROPS];
}

static void mm_teardown(struct rx_ctx *ctx)
{
	struct mm_state *s = ctx->priv;

	close(s->fd);
	free(s);
}

const struct rx_method rx_recvmmsg = {
	.name = "recvmmsg",
	.what = "kernel UDP socket, recvmmsg() batches of 32",
	.sleeps_in_work = 1,	/* MSG_WAITFORONE blocks for the first */
	.setup = mm_setup,
	.poll = mm_poll,
	.drops = mm_drops,
	.teardown = mm_teardown,
};
