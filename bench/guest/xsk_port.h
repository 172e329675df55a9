/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the AF_XDP receiver (rx_afxdp.c) and echo (echo_afxdp.c) share: a
 * libxdp socket bound in zero-copy mode with XDP_USE_NEED_WAKEUP to one
 * queue, UMEM of XSK_PORT_FRAMES frames, all of them on the fill ring
 * (XSK_PORT_FRAMES long); RX, TX and completion rings of 2048.  Busy poll
 * as the kernel's xdpsock -B: SO_PREFER_BUSY_POLL, SO_BUSY_POLL 20 us,
 * SO_BUSY_POLL_BUDGET XSK_PORT_BURST.
 *
 * The XDP program redirects each frame to the socket of its RX queue in
 * the XSKMAP, if there is one, and passes it up the stack otherwise; it
 * is six instructions built here (libxdp's default program would need its
 * object file and a BTF-enabled kernel, neither of which changes the
 * per-packet cost).  Attaching it restarts the port, which drops every
 * ntuple rule: bench/guest/run.sh steers the flow after "ready".
 */
#ifndef BENCH_XSK_PORT_H
#define BENCH_XSK_PORT_H

#include <xdp/xsk.h>

#define XSK_PORT_FRAMES		4096
#define XSK_PORT_FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define XSK_PORT_BURST		64

struct xsk_port {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp, rx;
	unsigned int ifindex;
	int prog_fd, map_fd;
};

/*
 * The socket on IFNAME's QUEUE, with a TX ring if TX, busy-polling if
 * BUSY, the program loaded as NAME and attached: 0, or a negative errno
 * (P closed again).
 */
int xsk_port_open(struct xsk_port *p, const char *ifname, unsigned int queue,
		  int tx, int busy, const char *name);
/* Detaches the program, closes the socket, frees the UMEM */
void xsk_port_close(struct xsk_port *p);

#endif
