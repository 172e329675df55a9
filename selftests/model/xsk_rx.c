// SPDX-License-Identifier: GPL-2.0
/*
 * xsk_rx - receive one UDP flow on one queue through an AF_XDP socket bound
 * in zero-copy mode, and check every payload.
 *
 *   xsk_rx IFNAME QUEUE UDP_PORT SECONDS [EXPECT]
 *
 * Prints "received N bad M other K" (N datagrams to UDP_PORT with a payload
 * that selftests/lib/flows.py would send, M with a corrupt one, K frames of
 * other traffic) after SECONDS, or once EXPECT datagrams arrived, and exits
 * 0, or prints why the socket could not be set up
 * and exits 1.  It proves that ixgbe's ring disable/enable and zero-copy
 * paths work on the model, which the bifurc series builds on.
 *
 * The XDP program is six instructions built here, so the test needs neither
 * clang nor kernel BTF (libxdp's dispatcher wants BTF; the debug kernel has
 * none).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#define NUM_FRAMES	4096
#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define BATCH		64

struct counts {
	unsigned long received;
	unsigned long bad;
	unsigned long other;
};

/* XDP program: redirect to the XSKMAP slot of our queue, else XDP_PASS. */
static int load_redirect_prog(int map_fd)
{
	struct bpf_insn insns[] = {
		/* r2 = ctx->rx_queue_index */
		{ .code = BPF_LDX | BPF_W | BPF_MEM, .dst_reg = BPF_REG_2,
		  .src_reg = BPF_REG_1,
		  .off = offsetof(struct xdp_md, rx_queue_index) },
		/* r1 = map (two-slot 64-bit immediate load) */
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1,
		  .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd },
		{ 0 },
		/* r3 = XDP_PASS: the action when the slot is empty */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect_map },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts);

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "xsk_rx", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), &opts);
}

/* The payload selftests/lib/flows.py sends: be32 seq, then (seq + i) & 0xff. */
static int payload_ok(const unsigned char *p, size_t len)
{
	unsigned int seq;
	size_t i;

	if (len < 4)
		return 0;
	seq = (unsigned int)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	for (i = 4; i < len; i++)
		if (p[i] != (unsigned char)((seq + i - 4) & 0xff))
			return 0;
	return 1;
}

static void classify(const unsigned char *frame, size_t len, int port,
		     struct counts *c)
{
	const struct ethhdr *eth = (const void *)frame;
	const struct iphdr *ip = (const void *)(eth + 1);
	const struct udphdr *udp;
	size_t ihl;

	if (len < sizeof(*eth) + sizeof(*ip) || eth->h_proto != htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_UDP) {
		c->other++;
		return;
	}
	ihl = ip->ihl * 4u;
	udp = (const void *)((const unsigned char *)ip + ihl);
	if (len < sizeof(*eth) + ihl + sizeof(*udp) || udp->dest != htons(port)) {
		c->other++;
		return;
	}
	c->received++;
	if (ntohs(udp->len) < sizeof(*udp) ||
	    sizeof(*eth) + ihl + ntohs(udp->len) > len ||
	    !payload_ok((const unsigned char *)(udp + 1),
			ntohs(udp->len) - sizeof(*udp)))
		c->bad++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct xsk_socket_config cfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_ZEROCOPY,
	};
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp, rx;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct counts c = { 0 };
	unsigned long expect;
	unsigned int queue, ifindex, i;
	int map_fd, prog_fd, port, err;
	double end;
	void *area;
	__u32 idx;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: %s IFNAME QUEUE UDP_PORT SECONDS [EXPECT]\n",
			argv[0]);
		return 1;
	}
	ifindex = if_nametoindex(argv[1]);
	queue = atoi(argv[2]);
	port = atoi(argv[3]);
	expect = argc == 6 ? strtoul(argv[5], NULL, 0) : 0;
	if (!ifindex) {
		fprintf(stderr, "xsk_rx: no interface %s\n", argv[1]);
		return 1;
	}

	if (posix_memalign(&area, getpagesize(), NUM_FRAMES * FRAME_SIZE))
		return 1;
	err = xsk_umem__create(&umem, area, NUM_FRAMES * FRAME_SIZE, &fill,
			       &comp, NULL);
	if (err) {
		fprintf(stderr, "xsk_rx: umem: %s\n", strerror(-err));
		return 1;
	}
	err = xsk_socket__create(&xsk, argv[1], queue, umem, &rx, NULL, &cfg);
	if (err) {
		fprintf(stderr, "xsk_rx: zero-copy socket on %s queue %u: %s\n",
			argv[1], queue, strerror(-err));
		return 1;
	}

	map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "xsks", sizeof(int),
				sizeof(int), 64, NULL);
	prog_fd = map_fd < 0 ? map_fd : load_redirect_prog(map_fd);
	if (prog_fd < 0 || xsk_socket__update_xskmap(xsk, map_fd) ||
	    bpf_xdp_attach(ifindex, prog_fd, XDP_FLAGS_DRV_MODE, NULL)) {
		fprintf(stderr, "xsk_rx: XDP program: %s\n", strerror(errno));
		return 1;
	}

	/* Hand the NIC every frame but one batch's worth. */
	if (xsk_ring_prod__reserve(&fill, NUM_FRAMES / 2, &idx) != NUM_FRAMES / 2)
		return 1;
	for (i = 0; i < NUM_FRAMES / 2; i++)
		*xsk_ring_prod__fill_addr(&fill, idx + i) = (__u64)i * FRAME_SIZE;
	xsk_ring_prod__submit(&fill, NUM_FRAMES / 2);
	printf("ready\n");
	fflush(stdout);

	end = now() + atof(argv[4]);
	while (now() < end && (!expect || c.received < expect)) {
		struct pollfd pfd = { .fd = xsk_socket__fd(xsk), .events = POLLIN };
		unsigned int n;
		__u32 rx_idx, fill_idx;

		n = xsk_ring_cons__peek(&rx, BATCH, &rx_idx);
		if (!n) {
			poll(&pfd, 1, 100);
			continue;
		}
		while (xsk_ring_prod__reserve(&fill, n, &fill_idx) != n)
			;
		for (i = 0; i < n; i++) {
			const struct xdp_desc *d = xsk_ring_cons__rx_desc(&rx, rx_idx + i);

			classify(xsk_umem__get_data(area, d->addr), d->len, port, &c);
			*xsk_ring_prod__fill_addr(&fill, fill_idx + i) =
				xsk_umem__extract_addr(d->addr);
		}
		xsk_ring_prod__submit(&fill, n);
		xsk_ring_cons__release(&rx, n);
	}

	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	xsk_socket__delete(xsk);
	xsk_umem__delete(umem);
	free(area);
	printf("received %lu bad %lu other %lu\n", c.received, c.bad, c.other);
	return 0;
}
