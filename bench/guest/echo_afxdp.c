// SPDX-License-Identifier: GPL-2.0
/*
 * bench-xdp-echo: the AF_XDP echo of the latency comparison: every frame
 * that reaches queue Q of IF goes back out of IF's queue Q with its
 * Ethernet addresses, IPv4 addresses and UDP ports swapped (the checksums
 * stay valid: a swap changes no sum), payload untouched, from the same
 * UMEM frame it arrived in: RX ring -> TX ring, no copy.
 *
 *   bench-xdp-echo -i IF -q Q [-b]
 *
 * One socket bound in zero-copy mode with XDP_USE_NEED_WAKEUP, UMEM of
 * 4096 frames, all of them on the fill ring at first (fill ring 4096, RX,
 * TX and completion rings 2048): a frame echoed comes back on the
 * completion ring and goes straight back to the fill ring.  The XDP
 * program is the receivers' (xsk_prog.c).
 *
 * Without -b: sendto(MSG_DONTWAIT) after a batch goes on the TX ring when
 * the ring asks for a wakeup (ixgbe sends XSK frames from the queue's NAPI,
 * and the wakeup of an idle NAPI fires the queue's interrupt), recvfrom
 * when the fill ring asks, and poll() when the RX ring is empty.  With
 * -b, as the receivers' AF_XDP busy poll: SO_PREFER_BUSY_POLL,
 * SO_BUSY_POLL 20 us, SO_BUSY_POLL_BUDGET 64; after each batch sendto runs
 * the queue's NAPI in this thread (it sends the batch and cleans the
 * ring), and an empty RX ring calls recvfrom(MSG_DONTWAIT), which runs it
 * too; the loop never sleeps.
 *
 * Attaching XDP restarts the port and drops its ntuple rules: run.sh
 * steers the flow after "ready".  Prints "ready" once attached and
 * "echoed N syscalls S" when SIGINT or SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#include "xsk_prog.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#define SO_BUSY_POLL_BUDGET	70
#endif

#define NUM_FRAMES	4096
#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define RING		2048
#define BURST		64
#define WAIT_MS		100

struct echo {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp, rx;
	unsigned int ifindex;
	int prog_fd, map_fd, busy;
	unsigned long long echoed, syscalls;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void swap(unsigned char *a, unsigned char *b, size_t n)
{
	unsigned char t;

	while (n--) {
		t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Ethernet, IPv4 and UDP source and destination swapped in place */
static void reflect(unsigned char *f, uint32_t len)
{
	unsigned int l4;

	swap(f, f + 6, 6);
	if (len < 14 + 20 || f[12] != 0x08 || f[13] != 0x00 ||
	    f[14] >> 4 != 4)
		return;
	swap(f + 14 + 12, f + 14 + 16, 4);
	l4 = 14 + (f[14] & 0xf) * 4u;
	if (f[14 + 9] == IPPROTO_UDP && len >= l4 + 8)
		swap(f + l4, f + l4 + 2, 2);
}

static void teardown(struct echo *e)
{
	if (e->prog_fd >= 0) {
		bpf_xdp_detach((int)e->ifindex, XDP_FLAGS_DRV_MODE, NULL);
		close(e->prog_fd);
	}
	if (e->map_fd >= 0)
		close(e->map_fd);
	if (e->xsk)
		xsk_socket__delete(e->xsk);
	if (e->umem)
		xsk_umem__delete(e->umem);
	free(e->area);
}

static int setup(struct echo *e, const char *ifname, unsigned int queue)
{
	struct xsk_socket_config cfg = {
		.rx_size = RING,
		.tx_size = RING,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP,
	};
	struct xsk_umem_config ucfg = {
		.fill_size = NUM_FRAMES,
		.comp_size = RING,
		.frame_size = FRAME_SIZE,
	};
	int usecs = 20, one = 1, budget = BURST, fd, err;
	uint32_t idx, i;

	e->ifindex = if_nametoindex(ifname);
	if (!e->ifindex)
		return -ENODEV;
	if (posix_memalign(&e->area, (size_t)getpagesize(),
			   (size_t)NUM_FRAMES * FRAME_SIZE))
		return -ENOMEM;
	err = xsk_umem__create(&e->umem, e->area,
			       (uint64_t)NUM_FRAMES * FRAME_SIZE, &e->fill,
			       &e->comp, &ucfg);
	if (err)
		return err;
	err = xsk_socket__create(&e->xsk, ifname, queue, e->umem, &e->rx,
				 &e->tx, &cfg);
	if (err)
		return err;
	fd = xsk_socket__fd(e->xsk);
	if (e->busy &&
	    (setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one)) ||
	     setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &usecs, sizeof(usecs)) ||
	     setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget,
			sizeof(budget))))
		return -errno;
	e->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "bench_xsks",
				   sizeof(int), sizeof(int), 64, NULL);
	if (e->map_fd < 0)
		return -errno;
	e->prog_fd = xsk_redirect_prog(e->map_fd, "bench_echo");
	if (e->prog_fd < 0 || xsk_socket__update_xskmap(e->xsk, e->map_fd) ||
	    bpf_xdp_attach((int)e->ifindex, e->prog_fd, XDP_FLAGS_DRV_MODE,
			   NULL))
		return -errno;
	if (xsk_ring_prod__reserve(&e->fill, NUM_FRAMES, &idx) != NUM_FRAMES)
		return -ENOSPC;
	for (i = 0; i < NUM_FRAMES; i++)
		*xsk_ring_prod__fill_addr(&e->fill, idx + i) =
			(uint64_t)i * FRAME_SIZE;
	xsk_ring_prod__submit(&e->fill, NUM_FRAMES);
	return 0;
}

/* Sent frames back to the fill ring, which has room for every frame. */
static void complete(struct echo *e)
{
	uint32_t idx_comp, idx_fill, i, n;

	n = xsk_ring_cons__peek(&e->comp, RING, &idx_comp);
	if (!n)
		return;
	while (xsk_ring_prod__reserve(&e->fill, n, &idx_fill) != n)
		;
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&e->fill, idx_fill + i) =
			*xsk_ring_cons__comp_addr(&e->comp, idx_comp + i);
	xsk_ring_prod__submit(&e->fill, n);
	xsk_ring_cons__release(&e->comp, n);
}

/* sendto: the driver sends what the TX ring holds (busy poll: in this
 * thread) */
static int kick_tx(struct echo *e)
{
	if (!e->busy && !xsk_ring_prod__needs_wakeup(&e->tx))
		return 0;
	e->syscalls++;
	if (sendto(xsk_socket__fd(e->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
	    errno != EAGAIN && errno != EBUSY && errno != ENOBUFS &&
	    errno != ENETDOWN)
		return -errno;
	return 0;
}

static int echo_once(struct echo *e)
{
	uint32_t idx_rx, idx_tx, i, n;
	struct pollfd pfd;
	int err;

	complete(e);
	n = xsk_ring_cons__peek(&e->rx, BURST, &idx_rx);
	if (!n) {
		if (e->busy || xsk_ring_prod__needs_wakeup(&e->fill)) {
			/* busy: the queue's NAPI, run here; otherwise the
			 * driver's refill, which ran dry */
			e->syscalls++;
			recvfrom(xsk_socket__fd(e->xsk), NULL, 0, MSG_DONTWAIT,
				 NULL, NULL);
			if (e->busy)
				return 0;
		}
		e->syscalls++;
		pfd = (struct pollfd){ .fd = xsk_socket__fd(e->xsk),
				       .events = POLLIN };
		return poll(&pfd, 1, WAIT_MS) < 0 && errno != EINTR ? -errno : 0;
	}
	/* The TX ring is as large as the RX ring; it is full only while
	 * the NIC has not sent what it holds. */
	while (xsk_ring_prod__reserve(&e->tx, n, &idx_tx) != n) {
		err = kick_tx(e);
		if (err)
			return err;
		complete(e);
		if (stop)
			return 0;
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d =
			xsk_ring_cons__rx_desc(&e->rx, idx_rx + i);
		struct xdp_desc *t = xsk_ring_prod__tx_desc(&e->tx, idx_tx + i);

		reflect(xsk_umem__get_data(e->area, d->addr), d->len);
		t->addr = d->addr;
		t->len = d->len;
		t->options = 0;
	}
	xsk_ring_prod__submit(&e->tx, n);
	xsk_ring_cons__release(&e->rx, n);
	e->echoed += n;
	return kick_tx(e);
}

int main(int argc, char **argv)
{
	struct echo e = { .prog_fd = -1, .map_fd = -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	const char *ifname = NULL;
	int opt, err, queue = -1;

	while ((opt = getopt(argc, argv, "i:q:b")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'q': queue = atoi(optarg); break;
		case 'b': e.busy = 1; break;
		default:
			fprintf(stderr, "usage: bench-xdp-echo -i IF -q QUEUE [-b]\n");
			return 2;
		}
	}
	if (!ifname || queue < 0) {
		fprintf(stderr, "bench-xdp-echo: -i IF and -q QUEUE are required\n");
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	err = setup(&e, ifname, (unsigned int)queue);
	if (err) {
		fprintf(stderr, "bench-xdp-echo: AF_XDP zero-copy on %s queue %d: %s\n",
			ifname, queue, strerror(-err));
		teardown(&e);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop && !err)
		err = echo_once(&e);
	if (err)
		fprintf(stderr, "bench-xdp-echo: %s\n", strerror(-err));
	printf("echoed %llu syscalls %llu\n", e.echoed, e.syscalls);
	teardown(&e);
	return err ? 1 : 0;
}
