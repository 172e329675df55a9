// SPDX-License-Identifier: GPL-2.0
/*
 * sendmmsg: a kernel UDP socket connected to the receiving port's
 * address, sendmmsg() of 32 datagrams of 18 bytes each (60-byte frames),
 * blocking, with the default send buffer: a full buffer puts the sender
 * to sleep until the driver frees sent skbs, before the qdisc's queue
 * could overflow.  bench/guest/run.sh points the socket's CPU at the
 * measured queue (XPS) and gives the kernel the receiver's MAC address
 * (a permanent neighbour entry).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tx.h"

struct sm_state {
	int fd;
	uint8_t data[TX_BATCH][TX_PAYLOAD_LEN];
	struct iovec iov[TX_BATCH];
	struct mmsghdr msgs[TX_BATCH];
};

static int sm_setup(struct tx_ctx *ctx)
{
	struct sockaddr_in src = { .sin_family = AF_INET,
		.sin_port = htons(ctx->src_port), .sin_addr.s_addr = ctx->src_ip };
	struct sockaddr_in dst = { .sin_family = AF_INET,
		.sin_port = htons(ctx->dst_port), .sin_addr.s_addr = ctx->dst_ip };
	struct sm_state *s;
	int i, err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&src, sizeof(src)) ||
	    connect(s->fd, (struct sockaddr *)&dst, sizeof(dst))) {
		err = -errno;
		fprintf(stderr, "bench-tx: UDP socket: %s\n", strerror(errno));
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return err;
	}
	for (i = 0; i < TX_BATCH; i++) {
		s->iov[i].iov_base = s->data[i];
		s->iov[i].iov_len = TX_PAYLOAD_LEN;
		s->msgs[i].msg_hdr.msg_iov = &s->iov[i];
		s->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	ctx->priv = s;
	return 0;
}

static int sm_send(struct tx_ctx *ctx, unsigned int n)
{
	struct sm_state *s = ctx->priv;
	unsigned int i;
	int r;

	if (n > TX_BATCH)
		n = TX_BATCH;
	for (i = 0; i < n; i++)
		tx_write_payload(ctx, s->data[i]);
	ctx->syscalls++;
	r = sendmmsg(s->fd, s->msgs, n, 0);
	if (r < 0)
		return errno == ENOBUFS || errno == EAGAIN || errno == EINTR ?
		       0 : -errno;
	/* the datagrams not taken are written again next time */
	ctx->seq -= n - (unsigned int)r;
	ctx->sent += (uint64_t)r;
	return r;
}

static int sm_wait(struct tx_ctx *ctx)
{
	struct sm_state *s = ctx->priv;
	struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };

	ctx->syscalls++;
	return poll(&pfd, 1, 1) < 0 ? -errno : 0;
}

/* bytes the socket still has in flight (SIOCOUTQ) */
static uint64_t sm_outstanding(struct tx_ctx *ctx)
{
	struct sm_state *s = ctx->priv;
	int bytes = 0;

	return ioctl(s->fd, SIOCOUTQ, &bytes) || bytes < 0 ? 0 :
	       (uint64_t)bytes;
}

static void sm_teardown(struct tx_ctx *ctx)
{
	struct sm_state *s = ctx->priv;

	close(s->fd);
	free(s);
}

const struct tx_method tx_sendmmsg = {
	.name = "sendmmsg",
	.what = "kernel UDP socket, sendmmsg of 32 datagrams",
	.setup = sm_setup,
	.send = sm_send,
	.wait = sm_wait,
	.outstanding = sm_outstanding,
	.teardown = sm_teardown,
};
