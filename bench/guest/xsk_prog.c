// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_XDP receivers' XDP program, six instructions built here (libxdp's
 * default program would need its object file and a BTF-enabled kernel,
 * neither of which changes the per-packet cost).
 */
#include <stddef.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>

#include "xsk_prog.h"

/* r2 = rx_queue_index; return bpf_redirect_map(xsks, r2, XDP_PASS) */
int xsk_redirect_prog(int map_fd, const char *name)
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
