// SPDX-License-Identifier: GPL-2.0
/*
 * afxdp: an AF_XDP socket bound in zero-copy mode to the steered queue,
 * the kernel's rxdrop sample in poll() mode: read the RX ring in batches,
 * put the frames straight back on the fill ring, and poll() when the RX
 * ring is empty.  XDP_USE_NEED_WAKEUP: the driver refills from the fill
 * ring in NAPI and asks for a wakeup (recvfrom) only when it ran dry.
 *
 * The XDP program (xsk_prog.c) redirects to the socket of the frame's RX
 * queue and passes everything else.  Attaching XDP restarts the port,
 * which drops every ntuple rule: bench/guest/run.sh steers the flow after
 * "ready".
 *
 * Busy-poll (-b), as the kernel's xdpsock -B: the socket prefers busy
 * polling (SO_PREFER_BUSY_POLL, SO_BUSY_POLL 20 us, SO_BUSY_POLL_BUDGET
 * 64), and an empty RX ring calls recvfrom(MSG_DONTWAIT), which runs the
 * queue's NAPI in this thread, instead of poll().  run.sh sets the
 * port's napi_defer_hard_irqs and gro_flush_timeout meanwhile, so the
 * interrupt stays masked while the application polls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#include "rx.h"
#include "xsk_prog.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#define SO_BUSY_POLL_BUDGET	70
#endif

#define NUM_FRAMES	4096
#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define BURST		64

struct xs_state {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp, rx;
	unsigned int ifindex;
	int prog_fd, map_fd;
};

static int xs_setup(struct rx_ctx *ctx)
{
	struct xsk_socket_config cfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP,
	};
	struct xsk_umem_config ucfg = {
		.fill_size = NUM_FRAMES,
		.comp_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.frame_size = FRAME_SIZE,
	};
	int usecs = 20, one = 1, budget = BURST;
	struct xs_state *s;
	uint32_t idx, i;
	int err, fd;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->prog_fd = s->map_fd = -1;
	s->ifindex = if_nametoindex(ctx->ifname);
	if (!s->ifindex ||
	    posix_memalign(&s->area, (size_t)getpagesize(),
			   (size_t)NUM_FRAMES * FRAME_SIZE)) {
		err = -ENODEV;
		goto fail;
	}
	err = xsk_umem__create(&s->umem, s->area,
			       (uint64_t)NUM_FRAMES * FRAME_SIZE, &s->fill,
			       &s->comp, &ucfg);
	if (err)
		goto fail;
	err = xsk_socket__create(&s->xsk, ctx->ifname, ctx->queue, s->umem,
				 &s->rx, NULL, &cfg);
	if (err)
		goto fail;
	fd = xsk_socket__fd(s->xsk);
	if (ctx->busy_poll &&
	    (setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one)) ||
	     setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &usecs, sizeof(usecs)) ||
	     setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget,
			sizeof(budget)))) {
		err = -errno;
		goto fail;
	}
	s->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "bench_xsks",
				   sizeof(int), sizeof(int), 64, NULL);
	s->prog_fd = s->map_fd < 0 ? s->map_fd :
		     xsk_redirect_prog(s->map_fd, "bench_rx");
	if (s->prog_fd < 0 || xsk_socket__update_xskmap(s->xsk, s->map_fd) ||
	    bpf_xdp_attach((int)s->ifindex, s->prog_fd, XDP_FLAGS_DRV_MODE,
			   NULL)) {
		err = -errno;
		goto fail;
	}
	/* The NIC gets every frame; the RX ring (2048) can hold half. */
	if (xsk_ring_prod__reserve(&s->fill, NUM_FRAMES, &idx) != NUM_FRAMES) {
		err = -ENOSPC;
		goto fail;
	}
	for (i = 0; i < NUM_FRAMES; i++)
		*xsk_ring_prod__fill_addr(&s->fill, idx + i) =
			(uint64_t)i * FRAME_SIZE;
	xsk_ring_prod__submit(&s->fill, NUM_FRAMES);
	ctx->priv = s;
	return 0;
fail:
	fprintf(stderr, "bench-rx: AF_XDP zero-copy on %s queue %u: %s\n",
		ctx->ifname, ctx->queue, strerror(err < 0 ? -err : err));
	if (s->prog_fd >= 0) {
		bpf_xdp_detach((int)s->ifindex, XDP_FLAGS_DRV_MODE, NULL);
		close(s->prog_fd);
	}
	if (s->map_fd >= 0)
		close(s->map_fd);
	if (s->xsk)
		xsk_socket__delete(s->xsk);
	if (s->umem)
		xsk_umem__delete(s->umem);
	free(s->area);
	free(s);
	return err < 0 ? err : -err;
}

static int xs_poll(struct rx_ctx *ctx)
{
	struct xs_state *s = ctx->priv;
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
	struct xs_state *s = ctx->priv;
	struct xdp_statistics st;
	socklen_t len = sizeof(st);

	if (getsockopt(xsk_socket__fd(s->xsk), SOL_XDP, XDP_STATISTICS, &st,
		       &len))
		return 0;
	return st.rx_dropped + st.rx_ring_full;
}

static void xs_teardown(struct rx_ctx *ctx)
{
	struct xs_state *s = ctx->priv;

	bpf_xdp_detach((int)s->ifindex, XDP_FLAGS_DRV_MODE, NULL);
	close(s->prog_fd);
	close(s->map_fd);
	xsk_socket__delete(s->xsk);
	xsk_umem__delete(s->umem);
	free(s->area);
	free(s);
}

const struct rx_method rx_afxdp = {
	.name = "afxdp",
	.what = "AF_XDP zero-copy socket on the queue (libxdp), rxdrop",
	.setup = xs_setup,
	.poll = xs_poll,
	.drops = xs_drops,
	.teardown = xs_teardown,
};
