/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-rx: one receiver, five ways of getting UDP frames from one NIC
 * queue into an application (bench/guest/rx.c drives them).
 *
 * Every method follows the same contract so that the CPU cost per packet
 * compares like with like: it counts a frame only after reading the UDP
 * destination port out of the packet data (a real application must at
 * least look at what it got), gives the buffer back at once, and, when
 * nothing is ready, blocks for at most RX_WAIT_MS (or, in busy-poll mode,
 * spins) so that the driver can end the measured window on time.
 */
#ifndef BENCH_RX_H
#define BENCH_RX_H

#include <stdint.h>

#define RX_WAIT_MS	100
#define RX_BATCH	32	/* the issue asks recvmmsg for a batch of 32 */

struct rx_ctx {
	/* set by the driver before setup */
	const char *ifname;
	unsigned int queue;
	uint16_t port;		/* UDP destination port, host order */
	int busy_poll;
	int raw_desc;		/* bifurc: read the NIC's descriptors (-r) */

	/* counted by the method */
	uint64_t pkts;		/* frames of our flow */
	uint64_t other;		/* anything else the method saw */
	uint64_t syscalls;	/* system calls the receive loop made */
	uint64_t work_ns;	/* inside poll calls that returned frames */

	void *priv;		/* the method's own state */
};

struct rx_method {
	const char *name;
	const char *what;	/* one line for the usage text */
	/* poll() may sleep in a call that then returns frames: no work_ns */
	int sleeps_in_work;
	int (*setup)(struct rx_ctx *ctx);
	/* receive one batch, or wait for one: 0 or -errno */
	int (*poll)(struct rx_ctx *ctx);
	/* drops the method itself saw, cumulative since setup */
	uint64_t (*drops)(struct rx_ctx *ctx);
	void (*teardown)(struct rx_ctx *ctx);
};

extern const struct rx_method rx_bifurc, rx_recvmmsg, rx_afpacket, rx_afxdp;

/* Count one frame that starts with its Ethernet header. */
void rx_count_frame(struct rx_ctx *ctx, const void *frame, uint32_t len);

#endif /* BENCH_RX_H */
