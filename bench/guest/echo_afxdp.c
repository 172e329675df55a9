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
 * The socket, its UMEM and XDP program are the AF_XDP receiver's
 * (xsk_port.c: zero copy, need-wakeup, 4096 frames all on the fill ring at
 * first), with a TX ring: a frame echoed comes back on the completion ring
 * and goes straight back to the fill ring.
 *
 * Without -b: sendto(MSG_DONTWAIT) after a batch goes on the TX ring when
 * the ring asks for a wakeup (ixgbe sends XSK frames from the queue's NAPI,
 * and the wakeup of an idle NAPI fires the queue's interrupt), recvfrom
 * when the fill ring asks, and poll() when the RX ring is empty.  With
 * -b, as the AF_XDP receiver's busy poll (xsk_port.h): after each batch
 * sendto runs the queue's NAPI in this thread (it sends the batch and
 * cleans the ring), and an empty RX ring calls recvfrom(MSG_DONTWAIT),
 * which runs it too; the loop never sleeps.
 *
 * Attaching XDP restarts the port and drops its ntuple rules: run.sh
 * steers the flow after "ready".  Prints "ready" once attached and
 * "echoed N syscalls S" when SIGINT or SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xsk_port.h"

#define RING		XSK_RING_PROD__DEFAULT_NUM_DESCS
#define BURST		XSK_PORT_BURST
#define WAIT_MS		100

struct echo {
	struct xsk_port p;
	int busy;
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

/* Sent frames back to the fill ring, which has room for every frame. */
static void complete(struct echo *e)
{
	uint32_t idx_comp, idx_fill, i, n;

	n = xsk_ring_cons__peek(&e->p.comp, RING, &idx_comp);
	if (!n)
		return;
	while (xsk_ring_prod__reserve(&e->p.fill, n, &idx_fill) != n)
		;
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&e->p.fill, idx_fill + i) =
			*xsk_ring_cons__comp_addr(&e->p.comp, idx_comp + i);
	xsk_ring_prod__submit(&e->p.fill, n);
	xsk_ring_cons__release(&e->p.comp, n);
}

/* sendto: the driver sends what the TX ring holds (busy poll: in this
 * thread) */
static int kick_tx(struct echo *e)
{
	if (!e->busy && !xsk_ring_prod__needs_wakeup(&e->p.tx))
		return 0;
	e->syscalls++;
	if (sendto(xsk_socket__fd(e->p.xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
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
	n = xsk_ring_cons__peek(&e->p.rx, BURST, &idx_rx);
	if (!n) {
		if (e->busy || xsk_ring_prod__needs_wakeup(&e->p.fill)) {
			/* busy: the queue's NAPI, run here; otherwise the
			 * driver's refill, which ran dry */
			e->syscalls++;
			recvfrom(xsk_socket__fd(e->p.xsk), NULL, 0, MSG_DONTWAIT,
				 NULL, NULL);
			if (e->busy)
				return 0;
		}
		e->syscalls++;
		pfd = (struct pollfd){ .fd = xsk_socket__fd(e->p.xsk),
				       .events = POLLIN };
		return poll(&pfd, 1, WAIT_MS) < 0 && errno != EINTR ? -errno : 0;
	}
	/* The TX ring is as large as the RX ring; it is full only while
	 * the NIC has not sent what it holds. */
	while (xsk_ring_prod__reserve(&e->p.tx, n, &idx_tx) != n) {
		err = kick_tx(e);
		if (err)
			return err;
		complete(e);
		if (stop)
			return 0;
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d =
			xsk_ring_cons__rx_desc(&e->p.rx, idx_rx + i);
		struct xdp_desc *t = xsk_ring_prod__tx_desc(&e->p.tx, idx_tx + i);

		reflect(xsk_umem__get_data(e->p.area, d->addr), d->len);
		t->addr = d->addr;
		t->len = d->len;
		t->options = 0;
	}
	xsk_ring_prod__submit(&e->p.tx, n);
	xsk_ring_cons__release(&e->p.rx, n);
	e->echoed += n;
	return kick_tx(e);
}

int main(int argc, char **argv)
{
	struct echo e = { .busy = 0 };
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

	err = xsk_port_open(&e.p, ifname, (unsigned int)queue, 1, e.busy,
			    "bench_echo");
	if (err) {
		fprintf(stderr, "bench-xdp-echo: AF_XDP zero-copy on %s queue %d: %s\n",
			ifname, queue, strerror(-err));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop && !err)
		err = echo_once(&e);
	if (err)
		fprintf(stderr, "bench-xdp-echo: %s\n", strerror(-err));
	printf("echoed %llu syscalls %llu\n", e.echoed, e.syscalls);
	xsk_port_close(&e.p);
	return err ? 1 : 0;
}
