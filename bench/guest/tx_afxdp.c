// SPDX-License-Identifier: GPL-2.0
/*
 * afxdp: an AF_XDP socket bound in zero-copy mode to the queue with a TX
 * ring only, the kernel's xdpsock txonly with need-wakeup: the sender
 * keeps the free UMEM frames on a stack, takes sent ones back from the
 * completion ring, writes a frame into each before it goes on the TX
 * ring, and kicks the driver (sendto, MSG_DONTWAIT) whenever the ring
 * asks for a wakeup.  ixgbe sends XSK frames from the queue's NAPI poll:
 * a kick with NAPI idle fires the queue's interrupt (EICS).  Out of
 * frames, it kicks if asked to and looks again (xdpsock's loop).
 *
 * XSK transmission needs ixgbe's XDP rings, which exist while an XDP
 * program is attached: a two-instruction XDP_PASS program, nothing
 * redirected (the socket has no RX ring).  Attaching restarts the port;
 * setup waits for its carrier.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#include "cpu.h"
#include "tx.h"

#define NUM_FRAMES	4096
#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define RING		2048

struct xt_state {
	void *area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp;
	unsigned int ifindex;
	int prog_fd;
	unsigned int nfree;
	uint64_t free[NUM_FRAMES];
};

/* return XDP_PASS */
static int load_prog(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "bench_tx", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), NULL);
}

/* The port restarted (XDP attach): wait up to 15 s for its carrier. */
static int wait_carrier(const char *ifname)
{
	char path[128], buf[8];
	uint64_t deadline = now_ns() + 15000000000ull;

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", ifname);
	while (now_ns() < deadline) {
		if (slurp(path, buf, sizeof(buf)) > 0 && buf[0] == '1')
			return 0;
		usleep(20000);
	}
	return -ENOLINK;
}

static void xt_free(struct xt_state *s)
{
	if (s->prog_fd >= 0) {
		bpf_xdp_detach((int)s->ifindex, XDP_FLAGS_DRV_MODE, NULL);
		close(s->prog_fd);
	}
	if (s->xsk)
		xsk_socket__delete(s->xsk);
	if (s->umem)
		xsk_umem__delete(s->umem);
	free(s->area);
	free(s);
}

static int xt_setup(struct tx_ctx *ctx)
{
	struct xsk_socket_config cfg = {
		.rx_size = 0,
		.tx_size = RING,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP,
	};
	struct xsk_umem_config ucfg = {
		.fill_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.comp_size = RING,
		.frame_size = FRAME_SIZE,
	};
	struct xt_state *s;
	unsigned int i;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->prog_fd = -1;
	s->ifindex = if_nametoindex(ctx->ifname);
	if (!s->ifindex ||
	    posix_memalign(&s->area, (size_t)getpagesize(),
			   (size_t)NUM_FRAMES * FRAME_SIZE)) {
		err = -ENODEV;
		goto fail;
	}
	memset(s->area, 0, (size_t)NUM_FRAMES * FRAME_SIZE);
	err = xsk_umem__create(&s->umem, s->area,
			       (uint64_t)NUM_FRAMES * FRAME_SIZE, &s->fill,
			       &s->comp, &ucfg);
	if (err)
		goto fail;
	err = xsk_socket__create(&s->xsk, ctx->ifname, ctx->queue, s->umem,
				 NULL, &s->tx, &cfg);
	if (err)
		goto fail;
	s->prog_fd = load_prog();
	if (s->prog_fd < 0 ||
	    bpf_xdp_attach((int)s->ifindex, s->prog_fd, XDP_FLAGS_DRV_MODE,
			   NULL)) {
		err = -errno;
		goto fail;
	}
	err = wait_carrier(ctx->ifname);
	if (err)
		goto fail;
	for (i = 0; i < NUM_FRAMES; i++)
		s->free[i] = (uint64_t)(NUM_FRAMES - 1 - i) * FRAME_SIZE;
	s->nfree = NUM_FRAMES;
	ctx->priv = s;
	return 0;
fail:
	fprintf(stderr, "bench-tx: AF_XDP zero-copy TX on %s queue %u: %s\n",
		ctx->ifname, ctx->queue, strerror(err < 0 ? -err : err));
	xt_free(s);
	return err < 0 ? err : -err;
}

static void xt_reclaim(struct xt_state *s)
{
	uint32_t idx, i, n;

	n = xsk_ring_cons__peek(&s->comp, NUM_FRAMES, &idx);
	for (i = 0; i < n; i++)
		s->free[s->nfree++] = *xsk_ring_cons__comp_addr(&s->comp,
								idx + i);
	if (n)
		xsk_ring_cons__release(&s->comp, n);
}

/* sendto(): the driver's wakeup, if the TX ring asks for one */
static int xt_kick(struct tx_ctx *ctx, struct xt_state *s)
{
	if (!xsk_ring_prod__needs_wakeup(&s->tx))
		return 0;
	ctx->syscalls++;
	if (sendto(xsk_socket__fd(s->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
	    errno != EAGAIN && errno != EBUSY && errno != ENOBUFS &&
	    errno != ENETDOWN)
		return -errno;
	return 0;
}

static int xt_send(struct tx_ctx *ctx, unsigned int n)
{
	struct xt_state *s = ctx->priv;
	struct xdp_desc *d;
	uint32_t idx, i;

	if (s->nfree < n)
		xt_reclaim(s);
	if (n > s->nfree)
		n = s->nfree;
	if (!n)
		return 0;
	n = xsk_ring_prod__reserve(&s->tx, n, &idx);
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		d = xsk_ring_prod__tx_desc(&s->tx, idx + i);
		d->addr = s->free[--s->nfree];
		d->len = TX_FRAME_LEN;
		d->options = 0;
		tx_write_frame(ctx, xsk_umem__get_data(s->area, d->addr));
	}
	xsk_ring_prod__submit(&s->tx, n);
	ctx->sent += n;
	return xt_kick(ctx, s) ?: (int)n;
}

static int xt_wait(struct tx_ctx *ctx)
{
	struct xt_state *s = ctx->priv;

	xt_reclaim(s);
	return xt_kick(ctx, s);
}

static uint64_t xt_outstanding(struct tx_ctx *ctx)
{
	struct xt_state *s = ctx->priv;

	xt_reclaim(s);
	return NUM_FRAMES - s->nfree;
}

static void xt_teardown(struct tx_ctx *ctx)
{
	xt_free(ctx->priv);
}

const struct tx_method tx_afxdp = {
	.name = "afxdp",
	.what = "AF_XDP zero-copy TX on the queue (libxdp, need-wakeup)",
	.setup = xt_setup,
	.send = xt_send,
	.wait = xt_wait,
	.outstanding = xt_outstanding,
	.teardown = xt_teardown,
};
