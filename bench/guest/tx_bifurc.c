// SPDX-License-Identifier: GPL-2.0
/*
 * bifurc: the queue bench/guest/run.sh reserved, attached through libbifurc
 * with BIFURC_OPT_TX as a transmit-only queue (every buffer of the pool in
 * the TX reserve, none posted for reception).  The sender keeps the
 * buffers it holds on a stack: bifurc_tx_alloc gives it the whole reserve
 * once, bifurc_tx_complete the sent ones back, and it writes a frame into
 * each before bifurc_tx_burst queues it.  The library kicks the kernel
 * only when nothing is in flight (the tx ring's need-wakeup flag); the
 * kernel's NAPI poll, run by the queue's completion interrupt, reclaims
 * and submits the rest.  With every buffer out, the sender sleeps in
 * bifurc_wait_tx (poll() for POLLWRBAND) until sent ones are back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <bifurc.h>

#include "tx.h"

#define POOL	1024

struct bt_state {
	struct bifurc_queue *q;
	uint32_t rx_headroom;
	unsigned int nfree, total;
	uint64_t kicks_seen;	/* lib_kicks already in ctx->syscalls */
	struct bifurc_pkt free[POOL];
	struct bifurc_tx tx[TX_BATCH];
};

static int bt_setup(struct tx_ctx *ctx)
{
	struct bifurc_opts o = {
		.size = sizeof(o),
		.flags = BIFURC_OPT_TX |
			 (ctx->busy_poll ? BIFURC_OPT_BUSY_POLL : 0),
		/* the NIC rings as deep as the kernel's (ixgbe's 512) */
		.rx_desc = 512,
		.tx_desc = 512,
		.buf_count = POOL,
		.tx_buf_count = POOL,	/* transmit only */
	};
	struct bifurc_queue_info qi;
	struct bt_state *s;
	int err, n;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = bifurc_open(&s->q, ctx->ifname, ctx->queue, &o);
	if (err) {
		fprintf(stderr, "bench-tx: bifurc_open %s queue %u: %s\n",
			ctx->ifname, ctx->queue, bifurc_strerror(err));
		free(s);
		return err;
	}
	err = bifurc_queue_info(s->q, &qi);
	n = err ? err : bifurc_tx_alloc(s->q, s->free, POOL);
	if (n <= 0) {
		fprintf(stderr, "bench-tx: bifurc_tx_alloc: %s\n",
			n ? bifurc_strerror(n) : "no buffer");
		bifurc_close(s->q);
		free(s);
		return n ? n : -ENOBUFS;
	}
	s->rx_headroom = qi.rx_headroom;
	s->nfree = s->total = (unsigned int)n;
	ctx->priv = s;
	return 0;
}

/* Take sent buffers back onto the stack. */
static int bt_reclaim(struct bt_state *s)
{
	int n = bifurc_tx_complete(s->q, s->free + s->nfree, POOL - s->nfree);

	if (n > 0)
		s->nfree += (unsigned int)n;
	return n < 0 ? n : 0;
}

static int bt_send(struct tx_ctx *ctx, unsigned int n)
{
	struct bt_state *s = ctx->priv;
	struct bifurc_pkt *p;
	unsigned int i;
	int err, queued;

	if (s->nfree < n) {
		err = bt_reclaim(s);
		if (err)
			return err;
	}
	if (n > s->nfree)
		n = s->nfree;
	if (!n)
		return 0;
	/* from the top of the stack: the buffers freed last */
	for (i = 0; i < n; i++) {
		p = &s->free[s->nfree - 1 - i];
		tx_write_frame(ctx, p->data);
		s->tx[i] = (struct bifurc_tx){ .buf = p->buf,
			.offset = s->rx_headroom, .len = TX_FRAME_LEN };
	}
	queued = bifurc_tx_burst(s->q, s->tx, n);
	if (queued < 0)
		return queued;
	/* the queued ones were the top of the stack; the rest stay free */
	s->nfree -= (unsigned int)queued;
	ctx->sent += (uint64_t)queued;
	return queued;
}

static int bt_wait(struct tx_ctx *ctx)
{
	struct bt_state *s = ctx->priv;
	int r;

	ctx->syscalls++;	/* its poll(); a kick shows in lib_kicks */
	r = bifurc_wait_tx(s->q, TX_WAIT_MS);
	return r < 0 ? r : 0;
}

static uint64_t bt_outstanding(struct tx_ctx *ctx)
{
	struct bt_state *s = ctx->priv;

	bt_reclaim(s);
	return s->total - s->nfree;
}

static void bt_sync(struct tx_ctx *ctx)
{
	struct bt_state *s = ctx->priv;
	struct bifurc_stats st;

	if (bifurc_stats(s->q, &st))
		return;
	ctx->syscalls += st.lib_kicks - s->kicks_seen;
	s->kicks_seen = st.lib_kicks;
}

static void bt_teardown(struct tx_ctx *ctx)
{
	struct bt_state *s = ctx->priv;

	bifurc_close(s->q);
	free(s);
}

const struct tx_method tx_bifurc = {
	.name = "bifurc",
	.what = "libbifurc TX on a reserved queue (tx_burst, tx_complete)",
	.setup = bt_setup,
	.send = bt_send,
	.wait = bt_wait,
	.outstanding = bt_outstanding,
	.sync = bt_sync,
	.teardown = bt_teardown,
};
