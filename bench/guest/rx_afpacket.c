// SPDX-License-Identifier: GPL-2.0
/*
 * afpacket: an AF_PACKET socket with a TPACKET_V3 receive ring, bound to
 * the interface (AF_PACKET cannot bind to one queue; the steering rule
 * puts the flow on the same queue as for every other method).  The kernel
 * fills whole blocks of frames and hands a block over when it is full or
 * when RETIRE_MS pass, so one poll() wakeup covers many frames: V3's
 * answer to the per-packet syscall.
 *
 * A packet tap does not take the frame away from the stack: after the
 * copy into the ring every frame still goes up to IPv4 and UDP, where no
 * socket listens on the port and it is dropped (an ICMP port unreachable
 * at most once a second, rate limited).  That stack work is part of what
 * AF_PACKET costs and is counted.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rx.h"

#define BLOCK_SIZE	(1 << 16)	/* 64 KiB: ~580 minimum-size frames */
#define BLOCK_NR	64		/* 4 MiB, like the UDP socket buffer */
#define FRAME_SIZE	2048
#define RETIRE_MS	10

struct pk_state {
	int fd;
	unsigned char *ring;
	unsigned int block;	/* next block to read */
	uint64_t drops;		/* PACKET_STATISTICS resets on read: summed */
};

static int pk_setup(struct rx_ctx *ctx)
{
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SIZE,
		.tp_block_nr = BLOCK_NR,
		.tp_frame_size = FRAME_SIZE,
		.tp_frame_nr = BLOCK_SIZE / FRAME_SIZE * BLOCK_NR,
		.tp_retire_blk_tov = RETIRE_MS,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
	};
	int v = TPACKET_V3, one = 1;
	struct pk_state *s;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	sll.sll_ifindex = (int)if_nametoindex(ctx->ifname);
	/* ETH_P_IP, not ETH_P_ALL: our own outgoing frames stay out too */
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_IP));
	if (s->fd < 0 || !sll.sll_ifindex ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		       sizeof(one)) ||
	    setsockopt(s->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		goto fail;
	s->ring = mmap(NULL, (size_t)BLOCK_SIZE * BLOCK_NR,
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       s->fd, 0);
	if (s->ring == MAP_FAILED)
		goto fail;
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		munmap(s->ring, (size_t)BLOCK_SIZE * BLOCK_NR);
		goto fail;
	}
	ctx->priv = s;
	return 0;
fail:
	perror("bench-rx: AF_PACKET TPACKET_V3 socket");
	if (s->fd >= 0)
		close(s->fd);
	free(s);
	return -errno;
}

static int pk_poll(struct rx_ctx *ctx)
{
	struct pk_state *s = ctx->priv;
	struct tpacket_block_desc *bd;
	struct tpacket3_hdr *h;
	struct pollfd pfd;
	uint32_t i, n;

	bd = (void *)(s->ring + (size_t)s->block * BLOCK_SIZE);
	/* Pairs with the kernel's smp_wmb() before it sets TP_STATUS_USER. */
	if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
	      TP_STATUS_USER)) {
		pfd.fd = s->fd;
		pfd.events = POLLIN | POLLERR;
		pfd.revents = 0;
		ctx->syscalls++;
		if (poll(&pfd, 1, RX_WAIT_MS) < 0)
			return -errno;
		return 0;
	}
	n = bd->hdr.bh1.num_pkts;
	h = (void *)((unsigned char *)bd + bd->hdr.bh1.offset_to_first_pkt);
	for (i = 0; i < n; i++) {
		rx_count_frame(ctx, (unsigned char *)h + h->tp_mac,
			       h->tp_snaplen);
		h = (void *)((unsigned char *)h + h->tp_next_offset);
	}
	/* Give the block back only after every frame in it was read. */
	__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
			 __ATOMIC_RELEASE);
	s->block = (s->block + 1) % BLOCK_NR;
	return 0;
}

static uint64_t pk_drops(struct rx_ctx *ctx)
{
	struct pk_state *s = ctx->priv;
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);

	if (getsockopt(s->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		s->drops += st.tp_drops;
	return s->drops;
}

static void pk_teardown(struct rx_ctx *ctx)
{
	struct pk_state *s = ctx->priv;

	munmap(s->ring, (size_t)BLOCK_SIZE * BLOCK_NR);
	close(s->fd);
	free(s);
}

const struct rx_method rx_afpacket = {
	.name = "afpacket",
	.what = "AF_PACKET TPACKET_V3 ring on the interface",
	.setup = pk_setup,
	.poll = pk_poll,
	.drops = pk_drops,
	.teardown = pk_teardown,
};
