// SPDX-License-Identifier: GPL-2.0
/*
 * afxdp: an AF_XDP socket bound in zero-copy mode to the steered queue,
 * the kernel's rxdrop sample in poll() mode: read the RX ring in batches,
 * put the frames straight back on the fill ring, and poll() when the RX
 * ring is empty.  XDP_USE_NEED_WAKEUP: the driver refills from the fill
 * ring in NAPI and asks for a wakeup (recvfrom) only when it ran dry.
 *
 * The socket, its UMEM and the XDP program: xsk_port.c (the AF_XDP
 * echo's too).
 *
 * Busy-poll (-b), as the kernel's xdpsock -B: the socket prefers busy
 * polling (xsk_port.h), and an empty RX ring calls recvfrom(MSG_DONTWAIT),
 * which runs the queue's NAPI in this thread, instead of poll().  run.sh sets the
 * port's napi_defer_hard_irqs and gro_flush_timeout meanwhile, so the
 * interrupt stays masked while the application polls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_xdp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rx.h"
#include "xsk_port.h"

#define BURST		XSK_PORT_BURST

static int xs_setup(struct rx_ctx *ctx)
{
	struct xsk_port *s;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = xsk_port_open(s, ctx->ifname, ctx->queue, 0, ctx->busy_poll,
			    "bench_rx");
	if (err) {
		fprintf(stderr, "bench-rx: AF_XDP zero-copy on %s queue %u: %s\n",
			ctx->ifname, ctx->queue, strerror(-err));
		free(s);
		return err;
	}
	ctx->priv = s;
	return 0;
}

static int xs_poll(struct rx_ctx *ctx)
{
	struct xsk_port *s = ctx->priv;
	uint32_t idx_rx, idx_fill, i, n;
	struct pollfd pfd;

	n = xsk_ring_cons__peek(&s->rx, BURST, &idx_rx);
	if (n == 0 && ctx->busy_poll) {
		/* the queue's NAPI, run here: it refills and fills the RX ring */
		ctx->syscalls++;
		recvfrom(xsk_socket__fd(s->xsk), NULL, 0, MSG_DONTWAIT, NULL,
			 NULL);
		return 0;
	}
	if (n == 0) {
		/* poll() also wakes the driver if the fill ring asked to */
		pfd.fd = xsk_socket__fd(s->xsk);
		pfd.events = POLLIN;
		pfd.revents = 0;
		ctx->syscalls++;
		return poll(&pfd, 1, RX_WAIT_MS) < 0 ? -errno : 0;
	}
	/* Every frame is ours or in the RX ring: the fill ring has room. */
	while (xsk_ring_prod__reserve(&s->fill, n, &idx_fill) != n)
		;
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d =
			xsk_ring_cons__rx_desc(&s->rx, idx_rx + i);

		rx_count_frame(ctx, xsk_umem__get_data(s->area, d->addr),
			       d->len);
		*xsk_ring_prod__fill_addr(&s->fill, idx_fill + i) =
			xsk_umem__extract_addr(d->addr);
	}
	xsk_ring_prod__submit(&s->fill, n);
	xsk_ring_cons__release(&s->rx, n);
	if (!ctx->busy_poll && xsk_ring_prod__needs_wakeup(&s->fill)) {
		ctx->syscalls++;
		recvfrom(xsk_socket__fd(s->xsk), NULL, 0, MSG_DONTWAIT, NULL,
			 NULL);
	}
	return 0;
}

static uint64_t xs_drops(struct rx_ctx *ctx)
{
	struct xsk_port *s = ctx->priv;
	struct xdp_statistics st;
	socklen_t len = sizeof(st);

	if (getsockopt(xsk_socket__fd(s->xsk), SOL_XDP, XDP_STATISTICS, &st,
		       &len))
		return 0;
	return st.rx_dropped + st.rx_ring_full;
}

static void xs_teardown(struct rx_ctx *ctx)
{
	xsk_port_close(ctx->priv);
	free(ctx->priv);
}

const struct rx_method rx_afxdp = {
	.name = "afxdp",
	.what = "AF_XDP zero-copy socket on the queue (libxdp), rxdrop",
	.setup = xs_setup,
	.poll = xs_poll,
	.drops = xs_drops,
	.teardown = xs_teardown,
};
