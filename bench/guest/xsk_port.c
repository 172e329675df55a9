// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_XDP socket of the receiver and the echo: see xsk_port.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xsk_port.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#define SO_BUSY_POLL_BUDGET	70
#endif

/* r2 = rx_queue_index; return bpf_redirect_map(xsks, r2, XDP_PASS) */
static int load_prog(int map_fd, const char *name)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_W | BPF_MEM, .dst_reg = BPF_REG_2,
		  .src_reg = BPF_REG_1,
		  .off = offsetof(struct xdp_md, rx_queue_index) },
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd },
		{ 0 },	/* second half of the 64-bit immediate */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect_map },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_XDP, name, "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), NULL);
}

static int busy_poll(int fd)
{
	int one = 1, usecs = 20, budget = XSK_PORT_BURST;

	if (setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &usecs, sizeof(usecs)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget,
		       sizeof(budget)))
		return -errno;
	return 0;
}

static int attach(struct xsk_port *p, const char *name)
{
	p->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "bench_xsks",
				   sizeof(int), sizeof(int), 64, NULL);
	if (p->map_fd < 0)
		return -errno;
	p->prog_fd = load_prog(p->map_fd, name);
	if (p->prog_fd < 0 || xsk_socket__update_xskmap(p->xsk, p->map_fd) ||
	    bpf_xdp_attach((int)p->ifindex, p->prog_fd, XDP_FLAGS_DRV_MODE,
			   NULL))
		return -errno;
	return 0;
}

int xsk_port_open(struct xsk_port *p, const char *ifname, unsigned int queue,
		  int tx, int busy, const char *name)
{
	struct xsk_socket_config cfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP,
	};
	struct xsk_umem_config ucfg = {
		.fill_size = XSK_PORT_FRAMES,
		.comp_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.frame_size = XSK_PORT_FRAME_SIZE,
	};
	const size_t size = (size_t)XSK_PORT_FRAMES * XSK_PORT_FRAME_SIZE;
	uint32_t idx, i;
	int err;

	memset(p, 0, sizeof(*p));
	p->prog_fd = p->map_fd = -1;
	p->ifindex = if_nametoindex(ifname);
	if (!p->ifindex)
		return -ENODEV;
	if (posix_memalign(&p->area, (size_t)getpagesize(), size))
		return -ENOMEM;
	err = xsk_umem__create(&p->umem, p->area, size, &p->fill, &p->comp,
			       &ucfg);
	if (!err)
		err = xsk_socket__create(&p->xsk, ifname, queue, p->umem,
					 &p->rx, tx ? &p->tx : NULL, &cfg);
	if (!err && busy)
		err = busy_poll(xsk_socket__fd(p->xsk));
	if (!err)
		err = attach(p, name);
	/* the NIC gets every frame; the RX ring can hold half */
	if (!err && xsk_ring_prod__reserve(&p->fill, XSK_PORT_FRAMES, &idx) !=
		    XSK_PORT_FRAMES)
		err = -ENOSPC;
	if (err) {
		xsk_port_close(p);
		return err < 0 ? err : -err;
	}
	for (i = 0; i < XSK_PORT_FRAMES; i++)
		*xsk_ring_prod__fill_addr(&p->fill, idx + i) =
			(uint64_t)i * XSK_PORT_FRAME_SIZE;
	xsk_ring_prod__submit(&p->fill, XSK_PORT_FRAMES);
	return 0;
}

void xsk_port_close(struct xsk_port *p)
{
	if (p->prog_fd >= 0) {
		bpf_xdp_detach((int)p->ifindex, XDP_FLAGS_DRV_MODE, NULL);
		close(p->prog_fd);
	}
	if (p->map_fd >= 0)
		close(p->map_fd);
	if (p->xsk)
		xsk_socket__delete(p->xsk);
	if (p->umem)
		xsk_umem__delete(p->umem);
	free(p->area);
	memset(p, 0, sizeof(*p));
	p->prog_fd = p->map_fd = -1;
}
