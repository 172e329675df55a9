// SPDX-License-Identifier: GPL-2.0
/*
 * Description: hairpin every frame of an interface with XDP_TX, for
 * isolation.sh's HIDDEN_XDP_TX: the frames leave from the driver's XDP
 * rings, and the test checks that a reserved queue's TX ring saw none.
 *
 *   xdp_tx IFNAME
 *
 * Loads a 17-instruction XDP program (below) in driver mode, prints
 * "xdp_tx: IFNAME attached" and waits for SIGINT or SIGTERM, then detaches
 * it.  The program is assembled here, not compiled from C: it needs no
 * clang and no kernel BTF (the debug guest's kernel has none, and
 * xdp-tools' programs want it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>

#define INSN(c, d, s, o, i)	((struct bpf_insn){ .code = (c), .dst_reg = (d), \
				  .src_reg = (s), .off = (o), .imm = (i) })
#define LDX(sz, d, s, o)	INSN(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o)	INSN(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define MOV_REG(d, s)		INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ADD_IMM(d, i)		INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define MOV_IMM(d, i)		INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define JGT_REG(d, s, o)	INSN(BPF_JMP | BPF_JGT | BPF_X, d, s, o, 0)
#define EXIT()			INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/*
 * r2 = data, r3 = data_end; a frame shorter than two MAC addresses
 * passes to the stack; else the destination and source MAC addresses
 * trade places and the frame goes back out (XDP_TX).
 */
static const struct bpf_insn prog[] = {
	LDX(BPF_W, 2, 1, offsetof(struct xdp_md, data)),
	LDX(BPF_W, 3, 1, offsetof(struct xdp_md, data_end)),
	MOV_REG(4, 2),
	ADD_IMM(4, 12),
	JGT_REG(4, 3, 10),		/* to the XDP_PASS below */
	LDX(BPF_W, 5, 2, 0),		/* destination */
	LDX(BPF_H, 6, 2, 4),
	LDX(BPF_W, 7, 2, 6),		/* source */
	LDX(BPF_H, 8, 2, 10),
	STX(BPF_W, 2, 7, 0),
	STX(BPF_H, 2, 8, 4),
	STX(BPF_W, 2, 5, 6),
	STX(BPF_H, 2, 6, 10),
	MOV_IMM(0, XDP_TX),
	EXIT(),
	MOV_IMM(0, XDP_PASS),
	EXIT(),
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char log[4096] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log,
		    .log_size = sizeof(log), .log_level = 1);
	unsigned int ifindex;
	int fd, err;

	if (argc != 2) {
		fprintf(stderr, "usage: xdp_tx IFNAME\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "xdp_tx: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "xdp_tx", "GPL", prog,
			   sizeof(prog) / sizeof(prog[0]), &opts);
	if (fd < 0) {
		fprintf(stderr, "xdp_tx: program load: %s\n%s", strerror(-fd),
			log);
		return 1;
	}
	err = bpf_xdp_attach((int)ifindex, fd, XDP_FLAGS_DRV_MODE, NULL);
	if (err) {
		fprintf(stderr, "xdp_tx: attach to %s: %s\n", argv[1],
			strerror(-err));
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("xdp_tx: %s attached\n", argv[1]);
	fflush(stdout);
	while (!stop)
		sleep(1);	/* a signal ends the sleep */
	err = bpf_xdp_detach((int)ifindex, XDP_FLAGS_DRV_MODE, NULL);
	if (err)
		fprintf(stderr, "xdp_tx: detach from %s: %s\n", argv[1],
			strerror(-err));
	close(fd);
	return err ? 1 : 0;
}
