/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-tx: one sender, three ways of putting 60-byte UDP frames (64 on
 * the wire) on one NIC queue (bench/guest/tx.c drives them).
 *
 * Every method follows the same contract so that the CPU cost per frame
 * compares like with like: it writes each frame whole before it sends it
 * (tx_write_frame: the template and a sequence number, as an application
 * that builds its packets would), sends at most the frames asked for, and
 * counts every system call its send path makes.
 */
#ifndef BENCH_TX_H
#define BENCH_TX_H

#include <stdint.h>

#define TX_FRAME_LEN	60	/* without FCS: 64 on the wire */
#define TX_BATCH	32	/* the issue asks sendmmsg for a batch of 32 */
#define TX_WAIT_MS	100

struct tx_ctx {
	/* set by the driver before setup */
	const char *ifname;
	unsigned int queue;
	int busy_poll;
	/* the whole frame: Ethernet, IPv4, UDP, payload; tx.c builds it */
	uint8_t frame[TX_FRAME_LEN];
	uint32_t dst_ip, src_ip;	/* network order, for sendmmsg */
	uint16_t dst_port, src_port;	/* host order */

	/* counted by the method */
	uint64_t sent;		/* frames handed to the NIC's path */
	uint64_t syscalls;	/* system calls the send path made */
	uint64_t seq;		/* next sequence number (tx_write_frame) */

	void *priv;		/* the method's own state */
};

struct tx_method {
	const char *name;
	const char *what;	/* one line for the usage text */
	int (*setup)(struct tx_ctx *ctx);
	/* queue up to n frames: how many (0: no buffer free now), or -errno */
	int (*send)(struct tx_ctx *ctx, unsigned int n);
	/* send gave 0: wait (at most TX_WAIT_MS) for buffers: 0 or -errno */
	int (*wait)(struct tx_ctx *ctx);
	/* frames not yet back from the NIC (after the run: 0 once drained) */
	uint64_t (*outstanding)(struct tx_ctx *ctx);
	/* bring ctx->syscalls up to date (a library's own count); may be NULL */
	void (*sync)(struct tx_ctx *ctx);
	void (*teardown)(struct tx_ctx *ctx);
};

extern const struct tx_method tx_bifurc, tx_afxdp, tx_sendmmsg;

/* Write the next frame (template + sequence number) at dst. */
void tx_write_frame(struct tx_ctx *ctx, void *dst);
/* The payload only (what sendmmsg hands the kernel): UDP data, 18 bytes */
#define TX_PAYLOAD_OFF	42
#define TX_PAYLOAD_LEN	(TX_FRAME_LEN - TX_PAYLOAD_OFF)
void tx_write_payload(struct tx_ctx *ctx, void *dst);

#endif /* BENCH_TX_H */
