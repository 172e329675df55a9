/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * libbifurc private state.  Not installed.
 */
#ifndef LIBBIFURC_INTERNAL_H
#define LIBBIFURC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bifurc.h>

#include "bifurc.h"
#include "ring.h"

/*
 * A steady stream costs at most one kick per BF_KICK_BATCH buffers given
 * back (design rule 2): rx_release only kicks once this many buffers wait
 * in the fill ring for a kernel that asked for a wakeup.
 */
#define BF_KICK_BATCH		32U

/* Library defaults (bifurc_opts fields left 0). */
#define BF_DEFAULT_RX_DESC	512U
#define BF_DEFAULT_BUF_SIZE	2048U
#define BF_MIN_RING		64U

/* bifurc_queue.owner[id]: who holds buffer id, as the library sees it. */
enum {
	BF_OWN_LIB = 0,		/* in the stash or free in the TX reserve:
				 * the library holds it */
	BF_OWN_KERNEL = 1,	/* put in the fill ring: the kernel holds it */
	BF_OWN_APP = 2,		/* handed out by rx_burst, tx_complete or
				 * tx_alloc */
	BF_OWN_TX = 3,		/* put in the tx ring, not yet back in txc */
};

struct bifurc_queue {
	int       fd;
	uint32_t  queue;
	uint32_t  opt_flags;	/* BIFURC_OPT_* in effect */
	uint32_t  ifindex;
	char      ifname[16];

	/* Buffer pool (rw mapping). */
	uint8_t  *pool;
	size_t    pool_len;
	uint32_t  buf_size;
	uint32_t  buf_count;
	uint32_t  rx_headroom;
	uint32_t  rx_desc;
	/*
	 * For rx_burst, set at attach.  Loaded rather than computed per
	 * burst: GCC would split the sum back into its two terms, a
	 * register and an addition more per packet.
	 */
	uint8_t  *rx_data;	/* pool + rx_headroom */
	uint32_t  rx_max_len;	/* buf_size - rx_headroom */

	struct bf_ring fill;	/* we produce */
	struct bf_ring comp;	/* we consume (raw mode: header only) */
	struct bf_ring tx;	/* we produce (BIFURC_OPT_TX only) */
	struct bf_ring txc;	/* we consume (BIFURC_OPT_TX only) */
	uint32_t  tx_desc;	/* NIC TX descriptors in effect */
	uint32_t  max_tx_frame;	/* from BIFURC_IOC_INFO */
	int       tx_wait;	/* poll() has POLLWRBAND (INFO_F_TX_WAIT) */

	/* Raw mode: descriptor ring and slot table (read-only mapping). */
	const struct bifurc_rx_desc *desc;
	const uint32_t *slots;
	void     *desc_map;
	size_t    desc_len;

	/* Counters page (read-only mapping). */
	const struct bifurc_counters *counters;
	size_t    counters_len;

	/*
	 * Buffer bookkeeping.  owner[] catches double release and foreign ids
	 * before the kernel has to; stash[] holds ids the library owns that
	 * did not fit in the fill ring (at most buf_count, so it never
	 * overflows).
	 *
	 * The TX reserve (bifurc_opts.tx_buf_count) is the ids tx_first ..
	 * buf_count - 1.  They never enter the stash or the fill ring, so the
	 * stash needs only tx_first slots, and the reserve's free ids live in
	 * the rest of the same array: tx_free = stash + tx_first.
	 */
	uint8_t  *owner;
	uint32_t *stash;
	uint32_t  stash_n;
	uint32_t  tx_first;	/* buf_count - tx_buf_count */
	uint32_t *tx_free;	/* free ids of the TX reserve, a stack */
	uint32_t  tx_free_n;
	uint32_t  kernel_held;	/* ids with owner BF_OWN_KERNEL */
	uint32_t  tx_held;	/* ids with owner BF_OWN_TX */

	/* Written by the data path only, with bf_count(); bifurc_stats. */
	uint64_t  lib_kicks;
	uint64_t  lib_bad_comp;
};

/*
 * Count n more in one of the handle's own counters.  bifurc_stats may
 * read them from another thread: relaxed atomics keep that free of data
 * races and torn values.  One writer, so a load and a store will do, no
 * locked read-modify-write: on x86-64 the same two plain moves as "+=".
 */
static inline void bf_count(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

/*
 * Symbol versions (libbifurc.map): "internal" is the default version of
 * "api" at node "ver", what programs linked from now on get; or an older
 * version that programs linked before "api" changed keep binding to.  In
 * the static library the default one is simply "api".
 */
#define BF_DEFAULT_VERSION(internal, api, ver) \
	__asm__(".symver " #internal ", " #api "@@" #ver);
#define BF_COMPAT_VERSION(internal, api, ver) \
	__asm__(".symver " #internal ", " #api "@" #ver);

/*
 * struct bifurc_flow of 0.1 and 0.2: the 0.3 one without size and
 * reserved1, for the 0.1 versions of bifurc_flow_add and bifurc_flow_mask.
 */
struct bifurc_flow_v0_1 {
	uint8_t  proto;
	uint8_t  family;
	uint16_t reserved;
	uint16_t src_port;
	uint16_t dst_port;
	uint16_t src_port_mask;
	uint16_t dst_port_mask;
	union bifurc_addr src;
	union bifurc_addr dst;
	union bifurc_addr src_mask;
	union bifurc_addr dst_mask;
};

struct bifurc_flow_mask_info_v0_1 {
	uint32_t flags;
	uint32_t rules;
	uint32_t owned;
	uint32_t reserved;
	struct bifurc_flow_v0_1 mask;
};

/* The shortest struct bifurc_flow taken: up to proto (cf. bifurc_opts). */
#define BF_FLOW_SIZE_MIN \
	(offsetof(struct bifurc_flow, proto) + sizeof(uint8_t))

/* flow.c: the versions of bifurc_flow_add and bifurc_flow_mask */
int bifurc_flow_add_v0_3(struct bifurc_queue *q,
			 const struct bifurc_flow *flow);
int bifurc_flow_add_v0_1(struct bifurc_queue *q,
			 const struct bifurc_flow_v0_1 *flow);
int bifurc_flow_mask_v0_3(struct bifurc_queue *q,
			  struct bifurc_flow_mask_info *info);
int bifurc_flow_mask_v0_1(struct bifurc_queue *q,
			  struct bifurc_flow_mask_info_v0_1 *info);

/* setup.c */
int bifurc_int_kick(struct bifurc_queue *q, uint32_t flags);
int bifurc_int_dead_status(const struct bifurc_queue *q);
/* CLOCK_MONOTONIC in ms, for the wait calls' deadlines. */
int64_t bifurc_int_now_ms(void);

/* rx.c */
void bifurc_int_fill_from_stash(struct bifurc_queue *q);

static inline int bifurc_int_busy_poll(const struct bifurc_queue *q)
{
	return (q->opt_flags & BIFURC_OPT_BUSY_POLL) != 0;
}

#endif /* LIBBIFURC_INTERNAL_H */
