// SPDX-License-Identifier: GPL-2.0
/*
 * bifurc: the queue bench/guest/run.sh reserved, attached through
 * libbifurc, with an owned flow rule for the benchmark's UDP port (the
 * rule goes away with the queue).  Interrupt mode sleeps in bifurc_wait
 * (poll() on the char device) when the completion ring is empty; busy-poll
 * mode never arms the interrupt and calls bifurc_rx_burst in a loop, which
 * harvests the NIC ring with a kick when it finds the ring empty.  Raw
 * mode (-r) reads the NIC's descriptors instead of the kernel's comp ring.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bifurc.h>

#include "rx.h"

#define BURST		64

struct bf_state {
	struct bifurc_queue *q;
	uint64_t waits;		/* bifurc_wait calls: one poll() each */
	struct bifurc_pkt pkts[BURST];
};

static int bf_setup(struct rx_ctx *ctx)
{
	struct bifurc_opts o = {
		.size = sizeof(o),
		.flags = (ctx->busy_poll ? BIFURC_OPT_BUSY_POLL : 0) |
			 (ctx->raw_desc ? BIFURC_OPT_RAW_DESC : 0),
		/*
		 * The NIC ring as deep as the kernel methods' (ixgbe's
		 * default 512) and a pool twice that, the library default.
		 */
		.rx_desc = 512,
	};
	struct bf_state *s;
	int err, rule;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = bifurc_open(&s->q, ctx->ifname, ctx->queue, &o);
	if (err) {
		fprintf(stderr, "bench-rx: bifurc_open %s queue %u: %s\n",
			ctx->ifname, ctx->queue, bifurc_strerror(err));
		free(s);
		return err;
	}
	rule = bifurc_flow_add(s->q, &(struct bifurc_flow){
		.size = sizeof(struct bifurc_flow),
		.proto = IPPROTO_UDP, .dst_port = htons(ctx->port) });
	if (rule < 0) {
		fprintf(stderr, "bench-rx: bifurc_flow_add udp %u: %s\n",
			ctx->port, bifurc_strerror(rule));
		bifurc_close(s->q);
		free(s);
		return rule;
	}
	ctx->priv = s;
	return 0;
}

static int bf_poll(struct rx_ctx *ctx)
{
	struct bf_state *s = ctx->priv;
	int i, n, err;

	n = bifurc_rx_burst(s->q, s->pkts, BURST);
	if (n < 0)
		return n;
	if (n == 0) {
		if (ctx->busy_poll)
			return 0;	/* rx_burst kicked the NIC already */
		s->waits++;
		err = bifurc_wait(s->q, RX_WAIT_MS);
		return err < 0 ? err : 0;
	}
	for (i = 0; i < n; i++)
		rx_count_frame(ctx, s->pkts[i].data, s->pkts[i].len);
	return bifurc_rx_release(s->q, s->pkts, (unsigned int)n);
}

/*
 * The library's own kick count plus our poll() calls: every system call
 * the receive path made.  Updated on the way, read by the driver.
 */
static uint64_t bf_drops(struct rx_ctx *ctx)
{
	struct bf_state *s = ctx->priv;
	struct bifurc_stats st;

	if (bifurc_stats(s->q, &st))
		return 0;
	ctx->syscalls = st.lib_kicks + s->waits;
	return st.rx_no_buf;
}

static void bf_teardown(struct rx_ctx *ctx)
{
	struct bf_state *s = ctx->priv;

	bifurc_close(s->q);
	free(s);
}

const struct rx_method rx_bifurc = {
	.name = "bifurc",
	.what = "libbifurc on a reserved queue (-b: busy-poll, -r: raw)",
	.setup = bf_setup,
	.poll = bf_poll,
	.drops = bf_drops,
	.teardown = bf_teardown,
};
