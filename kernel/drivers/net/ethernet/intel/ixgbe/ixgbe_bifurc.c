// SPDX-License-Identifier: GPL-2.0
/* Copyright(c) 2026 The bifurc authors. */

/*
 * bifurc control plane: queue reservation, the character device, attach
 * and detach, mmap() of the shared regions, statistics.
 *
 * Locking, outermost first:
 *
 *   RTNL                 reservation, attach/detach, flow rules, INFO and
 *                        STATS, every change of ixgbe_bifurc::att[] and of
 *                        a ring's ->bifurc pointer
 *   adapter->fdir_perfect_lock   the ntuple filter list (ixgbe_bifurc_flow.c)
 *   ixgbe_bifurc_att::lock       the rings and the NIC queue of one
 *                                attachment (ixgbe_bifurc_rx.c)
 *
 * mmap() runs under the caller's mmap_lock and takes none of these: it
 * only reads fields that are fixed once the attachment is published.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/iommu.h>
#include <linux/iopoll.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <net/ip.h>
#include <net/net_namespace.h>

#include "ixgbe.h"
#include "ixgbe_bifurc.h"
#include "ixgbe_txrx_common.h"

#define IXGBE_BIFURC_MINORS	64

static dev_t ixgbe_bifurc_devt;
static DEFINE_IDA(ixgbe_bifurc_minors);

/*
 * Pages that attachments hold outside kmemleak's view: pool and raw ring
 * pages from the page allocator, coherent descriptor rings.  Counted where
 * they are allocated and where bifurc lets go of them, so that a leak test
 * can come back to its baseline to the page (debugfs ixgbe/bifurc_pages).
 */
static atomic_long_t ixgbe_bifurc_pages;

/**
 * ixgbe_bifurc_pages_held - pages all attachments hold, on every adapter
 *
 * Counts pages from the page allocator (pools, raw descriptor rings) and
 * coherent DMA allocations (descriptor rings, TX header copies), which
 * kmemleak does not track.  A page still mapped by a process after its
 * attachment ended is no longer counted: bifurc has put its reference.
 *
 * Return: the number of pages.
 */
unsigned long ixgbe_bifurc_pages_held(void)
{
	return atomic_long_read(&ixgbe_bifurc_pages);
}

static_assert(sizeof(struct bifurc_region) == 24);
static_assert(sizeof(struct bifurc_ring_hdr) == BIFURC_RING_ENTRIES_OFFSET);
static_assert(offsetof(struct bifurc_ring_hdr, consumer) ==
	      BIFURC_RING_CONSUMER_OFFSET);
static_assert(offsetof(struct bifurc_ring_hdr, flags) ==
	      BIFURC_RING_FLAGS_OFFSET);
static_assert(sizeof(struct bifurc_rx_comp) == 16);
static_assert(sizeof(struct bifurc_tx_entry) == 16);
static_assert(sizeof(struct bifurc_counters) == BIFURC_COUNTERS_SIZE_VER0);
static_assert(sizeof(struct bifurc_info) == BIFURC_INFO_SIZE_VER0);
static_assert(sizeof(struct bifurc_attach) == BIFURC_ATTACH_SIZE_VER0);
static_assert(sizeof(struct bifurc_kick) == BIFURC_KICK_SIZE_VER0);
static_assert(sizeof(struct bifurc_flow_rule) == BIFURC_FLOW_RULE_SIZE_VER0);
static_assert(sizeof(struct bifurc_flow_del) == BIFURC_FLOW_DEL_SIZE_VER0);
static_assert(sizeof(struct bifurc_flow_mask) == BIFURC_FLOW_MASK_SIZE_VER0);
static_assert(sizeof(struct bifurc_rx_desc) ==
	      sizeof(union ixgbe_adv_rx_desc));
static_assert(BIFURC_MAX_QUEUES >= MAX_RX_QUEUES);
static_assert(BIFURC_MAX_QUEUES <= 64 * sizeof(u64) * 8);

/**
 * struct ixgbe_bifurc_file - one open file of the character device
 * @bdev: the adapter's bifurc state (pinned through the cdev)
 * @att: the file's attachment.  Set once, under RTNL, with
 *	smp_store_release() after the attachment is complete; read with
 *	smp_load_acquire().  Freed only when the file is released.
 * @wq: poll() waiters, for the file's whole life: epoll registers on it
 *	when the file joins the set, possibly before ATTACH
 */
struct ixgbe_bifurc_file {
	struct ixgbe_bifurc *bdev;
	struct ixgbe_bifurc_att *att;
	wait_queue_head_t wq;
};

/* The file's attachment, or NULL if it has none (yet). */
static struct ixgbe_bifurc_att *
ixgbe_bifurc_file_att(struct ixgbe_bifurc_file *bf)
{
	/* pairs with smp_store_release() in ixgbe_bifurc_attach_commit() */
	return smp_load_acquire(&bf->att);
}

/* ------------------------------------------------------------------ */
/* Pure helpers (KUnit: ixgbe_bifurc_test.c)                           */

/**
 * ixgbe_bifurc_ring_used - entries between two free-running ring indices
 * @prod: producer index
 * @cons: consumer index
 * @size: ring entries
 * @used: out, @prod - @cons when it is valid
 *
 * Indices are free-running u32 counters (uapi section 3), so the distance
 * is computed modulo 2^32 and is correct across the wrap.  A distance
 * above @size cannot come from a well-behaved peer: the caller treats it
 * as a ring error.
 *
 * Context: any.
 * Return: true if 0 <= @prod - @cons <= @size.
 */
bool ixgbe_bifurc_ring_used(u32 prod, u32 cons, u32 size, u32 *used)
{
	u32 n = prod - cons;

	if (n > size)
		return false;
	*used = n;
	return true;
}

/**
 * ixgbe_bifurc_reta_filter - steer RSS table entries off reserved queues
 * @tbl: redirection table, rewritten in place
 * @entries: entries in @tbl
 * @nq: RSS queues; entries at or above @nq are left alone
 * @reserved: bitmap of reserved queues
 *
 * Every entry that names a reserved queue is given to the unreserved RSS
 * queues in turn, so their shares stay within one entry of each other.
 *
 * Context: any.
 * Return: entries rewritten, or -ENOSPC (table unchanged) when every queue
 * below @nq is reserved.
 */
int ixgbe_bifurc_reta_filter(u8 *tbl, u32 entries, u32 nq,
			     const unsigned long *reserved)
{
	u32 i, next = 0, left = 0, moved = 0;

	nq = min_t(u32, nq, BIFURC_MAX_QUEUES);
	for (i = 0; i < nq; i++)
		left += !test_bit(i, reserved);
	if (!left)
		return -ENOSPC;

	for (i = 0; i < entries; i++) {
		if (tbl[i] >= nq || !test_bit(tbl[i], reserved))
			continue;
		while (test_bit(next, reserved))
			next = (next + 1) % nq;
		tbl[i] = next;
		next = (next + 1) % nq;
		moved++;
	}
	return moved;
}

/**
 * ixgbe_bifurc_check_reserve - may a queue be reserved?
 * @queue: queue index
 * @nr_queues: RX queues of the netdev
 * @rss_queues: queues RSS spreads over (the first @rss_queues queues)
 * @reserved: queues already reserved
 *
 * Context: any.
 * Return: 0, -ERANGE (no such queue), -EALREADY (reserved already) or
 * -ENOSPC (the last queue RSS could still use).
 */
int ixgbe_bifurc_check_reserve(u32 queue, u32 nr_queues, u32 rss_queues,
			       const unsigned long *reserved)
{
	u32 i;

	if (queue >= nr_queues || queue >= BIFURC_MAX_QUEUES)
		return -ERANGE;
	if (test_bit(queue, reserved))
		return -EALREADY;
	if (queue >= rss_queues)
		return 0;
	for (i = 0; i < rss_queues && i < BIFURC_MAX_QUEUES; i++)
		if (i != queue && !test_bit(i, reserved))
			return 0;
	return -ENOSPC;
}

/* "LO" or "LO-HI", 1 <= LO <= HI <= 65535 */
static int ixgbe_bifurc_parse_ports(char *range, u16 *lo, u16 *hi)
{
	char *first = strsep(&range, "-");

	if (kstrtou16(first, 10, lo) ||
	    kstrtou16(range ? range : first, 10, hi) ||
	    !*lo || *lo > *hi)
		return -EINVAL;
	return 0;
}

/**
 * ixgbe_bifurc_parse_grant - parse a line written to the "grant" attribute
 * @buf: "<queue> user <uid> [ports <lo>[-<hi>]]", the same with "group
 *	<gid>", or "<queue> none"; numeric ids only (user space resolves
 *	names), one optional newline
 * @line: the parsed line
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
int ixgbe_bifurc_parse_grant(const char *buf,
			     struct ixgbe_bifurc_grant_line *line)
{
	char copy[64], *rest, *q, *w, *n, *p;

	memset(line, 0, sizeof(*line));
	if (strscpy(copy, buf, sizeof(copy)) < 0)
		return -EINVAL;
	rest = strim(copy);
	q = strsep(&rest, " ");
	w = strsep(&rest, " ");
	n = strsep(&rest, " ");
	if (!w || kstrtou32(q, 10, &line->queue))
		return -EINVAL;
	if (!strcmp(w, "none")) {
		line->kind = IXGBE_BIFURC_GRANT_NONE;
		return n ? -EINVAL : 0;
	}
	if (!strcmp(w, "user"))
		line->kind = IXGBE_BIFURC_GRANT_USER;
	else if (!strcmp(w, "group"))
		line->kind = IXGBE_BIFURC_GRANT_GROUP;
	else
		return -EINVAL;
	if (!n || kstrtou32(n, 10, &line->id))
		return -EINVAL;
	if (!rest)
		return 0;
	p = strsep(&rest, " ");
	if (strcmp(p, "ports") || !rest || strchr(rest, ' '))
		return -EINVAL;
	return ixgbe_bifurc_parse_ports(rest, &line->port_lo, &line->port_hi);
}

/**
 * ixgbe_bifurc_parse_mirror - parse a line written to the "mirror" attribute
 * @buf: "<queue> on" or "<queue> off", one optional newline
 * @queue: out, the queue
 * @on: out, the mirror's new state
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
int ixgbe_bifurc_parse_mirror(const char *buf, u32 *queue, bool *on)
{
	char copy[32], *rest, *q, *w;

	if (strscpy(copy, buf, sizeof(copy)) < 0)
		return -EINVAL;
	rest = strim(copy);
	q = strsep(&rest, " ");
	w = strsep(&rest, " ");
	if (!w || rest || kstrtou32(q, 10, queue))
		return -EINVAL;
	if (!strcmp(w, "on"))
		*on = true;
	else if (!strcmp(w, "off"))
		*on = false;
	else
		return -EINVAL;
	return 0;
}

/**
 * ixgbe_bifurc_pick_txq - keep the stack's TX off reserved queues
 * @txq: queue the stack picked
 * @nr_txq: TX queues in use
 * @reserved: reserved queues
 *
 * Context: any.
 * Return: @txq if it is not reserved, else the next unreserved queue
 * (wrapping), or @txq if every queue is reserved.
 */
u16 ixgbe_bifurc_pick_txq(u16 txq, u16 nr_txq, const unsigned long *reserved)
{
	u16 i, q;

	if (txq >= BIFURC_MAX_QUEUES || !test_bit(txq, reserved))
		return txq;
	for (i = 1; i < nr_txq; i++) {
		q = (txq + i) % nr_txq;
		if (q >= BIFURC_MAX_QUEUES || !test_bit(q, reserved))
			return q;
	}
	return txq;
}

static bool ixgbe_bifurc_pow2_in(u32 v, u32 lo, u32 hi)
{
	return is_power_of_2(v) && v >= lo && v <= hi;
}

/**
 * ixgbe_bifurc_check_attach - validate the sizes and flags of an ATTACH
 * @a: the caller's request
 *
 * Checks what does not depend on the adapter's state (uapi section 6).
 *
 * Context: any.
 * Return: 0, -EINVAL (malformed) or -EPROTO (ABI version).
 */
int ixgbe_bifurc_check_attach(const struct bifurc_attach *a)
{
	if (memchr_inv(a->reserved, 0, sizeof(a->reserved)) ||
	    memchr_inv(&a->rx_headroom, 0,
		       offsetof(struct bifurc_attach, reserved) -
		       offsetof(struct bifurc_attach, rx_headroom)))
		return -EINVAL;
	if (a->flags & ~BIFURC_ATTACH_FLAGS_ALL)
		return -EINVAL;
	if (a->abi_version != BIFURC_ABI_VERSION)
		return -EPROTO;
	if (!ixgbe_bifurc_pow2_in(a->rx_desc, IXGBE_BIFURC_MIN_RX_DESC,
				  IXGBE_BIFURC_MAX_RX_DESC) ||
	    !ixgbe_bifurc_pow2_in(a->fill_entries, IXGBE_BIFURC_MIN_RING,
				  IXGBE_BIFURC_MAX_RING) ||
	    !ixgbe_bifurc_pow2_in(a->comp_entries, IXGBE_BIFURC_MIN_RING,
				  IXGBE_BIFURC_MAX_RING) ||
	    !ixgbe_bifurc_pow2_in(a->buf_size, IXGBE_BIFURC_MIN_BUF_SIZE,
				  IXGBE_BIFURC_MAX_BUF_SIZE) ||
	    !a->buf_count || a->buf_count > IXGBE_BIFURC_MAX_BUF_COUNT)
		return -EINVAL;
	/* raw mode: the comp ring's indices count descriptors (uapi sect. 5) */
	if ((a->flags & BIFURC_ATTACH_RAW_DESC) && a->comp_entries != a->rx_desc)
		return -EINVAL;
	if (!(a->flags & BIFURC_ATTACH_TX))
		return a->tx_entries || a->txc_entries || a->tx_desc ?
		       -EINVAL : 0;
	if (!ixgbe_bifurc_pow2_in(a->tx_entries, IXGBE_BIFURC_MIN_RING,
				  IXGBE_BIFURC_MAX_RING) ||
	    !ixgbe_bifurc_pow2_in(a->txc_entries, IXGBE_BIFURC_MIN_RING,
				  IXGBE_BIFURC_MAX_RING) ||
	    (a->tx_desc &&
	     !ixgbe_bifurc_pow2_in(a->tx_desc, IXGBE_BIFURC_MIN_RX_DESC,
				   IXGBE_BIFURC_MAX_RX_DESC)))
		return -EINVAL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reservation                                                          */

static struct ixgbe_bifurc *ixgbe_bifurc_of(struct ixgbe_adapter *adapter)
{
	return READ_ONCE(adapter->bifurc);
}

/**
 * ixgbe_bifurc_queue_reserved - is a queue reserved for bifurc?
 * @adapter: the adapter
 * @queue: RX queue index
 *
 * Context: process context with RTNL held, or any context for a hint.
 * Return: true if @queue is reserved.
 */
bool ixgbe_bifurc_queue_reserved(struct ixgbe_adapter *adapter,
				 unsigned int queue)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);

	return bdev && queue < BIFURC_MAX_QUEUES &&
	       test_bit(queue, bdev->reserved);
}

/**
 * ixgbe_bifurc_select_queue - keep the stack's transmit off reserved queues
 * @adapter: the adapter
 * @txq: the queue netdev_pick_tx() or FCoE chose
 *
 * Reserved queues are never used for stack TX (design rule 6): their TX
 * ring shares the interrupt vector with the RX ring an application owns,
 * and ATR would learn the flow and steer its replies to the application.
 *
 * Context: TX path, BH disabled inside rcu_read_lock_bh().
 * Return: the TX queue to use.
 */
u16 ixgbe_bifurc_select_queue(struct ixgbe_adapter *adapter, u16 txq)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);

	if (!bdev)
		return txq;
	return ixgbe_bifurc_pick_txq(txq, adapter->netdev->real_num_tx_queues,
				     bdev->reserved);
}

/**
 * ixgbe_bifurc_xmit_hidden - send a frame forced onto a reserved TX queue
 * @skb: the frame; its queue mapping names a reserved queue
 * @adapter: the adapter
 *
 * Some paths choose the TX queue themselves instead of asking
 * ndo_select_queue(): tc's skbedit queue_mapping action, pktgen, AF_XDP in
 * copy mode.  A reserved queue's TX ring is an application's, so such a
 * frame goes out on the queue ixgbe_bifurc_select_queue() would have
 * picked, under that queue's own xmit lock.  The lock is only tried: the
 * stack orders xmit locks by queue index (netif_tx_lock()), and this
 * caller already holds the reserved queue's.
 *
 * Context: ndo_start_xmit: the reserved queue's xmit lock held, BH off.
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY to have the stack retry.
 */
netdev_tx_t ixgbe_bifurc_xmit_hidden(struct sk_buff *skb,
				     struct ixgbe_adapter *adapter)
{
	u16 q = ixgbe_bifurc_select_queue(adapter, skb_get_queue_mapping(skb));
	struct net_device *netdev = adapter->netdev;
	struct netdev_queue *txq;
	struct ixgbe_ring *ring;
	netdev_tx_t ret;

	if (ixgbe_bifurc_queue_reserved(adapter, q)) {
		/* cannot happen while RSS keeps a queue; never a hidden ring */
		dev_core_stats_tx_dropped_inc(netdev);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	txq = netdev_get_tx_queue(netdev, q);
	if (!__netif_tx_trylock(txq))
		return NETDEV_TX_BUSY;
	if (netif_xmit_frozen_or_stopped(txq)) {
		__netif_tx_unlock(txq);
		return NETDEV_TX_BUSY;
	}
	ring = adapter->tx_ring[q];
	skb_set_queue_mapping(skb, q);
	ret = ixgbe_xmit_frame_ring(skb, adapter, ring);
	/*
	 * netdev_xmit_more() speaks of the reserved queue's batch, not of
	 * this ring's: hand every descriptor written to the NIC now (82599
	 * 8.2.3.9.9 TDT).
	 */
	writel(ring->next_to_use, ring->tail);
	__netif_tx_unlock(txq);
	return ret;
}

/**
 * ixgbe_bifurc_filter_reta - hardware view of the RSS table
 * @adapter: the adapter
 * @tbl: copy of adapter->rss_indir_tbl, rewritten in place
 * @entries: entries in @tbl
 *
 * adapter->rss_indir_tbl stays the administrator's table (or ixgbe's
 * default); the NIC and "ethtool -x" get this filtered copy, so releasing
 * a queue puts it back where it was.
 *
 * Context: any; callers hold RTNL or run in the ixgbe reset path.
 */
void ixgbe_bifurc_filter_reta(struct ixgbe_adapter *adapter, u8 *tbl,
			      u32 entries)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);
	u32 nq = adapter->ring_feature[RING_F_RSS].indices;

	if (!bdev || bitmap_empty(bdev->reserved, BIFURC_MAX_QUEUES))
		return;
	if (ixgbe_bifurc_reta_filter(tbl, entries, nq, bdev->reserved) < 0)
		netdev_warn(adapter->netdev,
			    "bifurc: every RSS queue is reserved, RSS table left as configured\n");
}

/**
 * ixgbe_bifurc_check_reta - refuse an RSS table that uses reserved queues
 * @adapter: the adapter
 * @indir: the table "ethtool -X" asks for
 * @entries: entries in @indir
 * @extack: netlink extended ack, may be NULL
 *
 * Context: process context, RTNL held.
 * Return: 0, or -EBUSY when an entry names a reserved queue.
 */
int ixgbe_bifurc_check_reta(struct ixgbe_adapter *adapter, const u32 *indir,
			    u32 entries, struct netlink_ext_ack *extack)
{
	u32 i;

	ASSERT_RTNL();
	for (i = 0; i < entries; i++) {
		if (!ixgbe_bifurc_queue_reserved(adapter, indir[i]))
			continue;
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "queue %u is reserved for bifurc; give it weight 0 or release it",
				       indir[i]);
		netdev_err(adapter->netdev,
			   "bifurc: RSS table names reserved queue %u; give it weight 0 or release it\n",
			   indir[i]);
		return -EBUSY;
	}
	return 0;
}

/**
 * ixgbe_bifurc_check_channels - refuse a queue count that leaves RSS nothing
 * @adapter: the adapter
 * @count: requested combined channel count
 *
 * Context: process context, RTNL held.
 * Return: 0, or -EBUSY if every queue below @count is reserved.
 */
int ixgbe_bifurc_check_channels(struct ixgbe_adapter *adapter,
				unsigned int count)
{
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < count; i++)
		if (!ixgbe_bifurc_queue_reserved(adapter, i))
			return 0;
	netdev_err(adapter->netdev,
		   "bifurc: queues 0-%u are all reserved; release one first\n",
		   count - 1);
	return -EBUSY;
}

/* bifurc needs the plain RSS/Flow Director queue layout. */
static bool ixgbe_bifurc_layout_ok(struct ixgbe_adapter *adapter)
{
	return !(adapter->flags & (IXGBE_FLAG_SRIOV_ENABLED |
				   IXGBE_FLAG_DCB_ENABLED |
				   IXGBE_FLAG_FCOE_ENABLED)) &&
	       adapter->num_rx_pools <= 1 &&
	       netdev_get_num_tc(adapter->netdev) <= 1;
}

/*
 * ATR learns flows from the stack's TX and steers their RX to the queue of
 * the same index.  Signature filters that were learnt on a queue before it
 * was reserved would keep steering there, so they are flushed the way the
 * Flow Director overflow interrupt does it: stop sampling on every ring and
 * let the service task re-initialise the signature table (82599 7.1.2.7).
 */
static void ixgbe_bifurc_flush_atr(struct ixgbe_adapter *adapter)
{
	int i;

	if (!(adapter->flags & IXGBE_FLAG_FDIR_HASH_CAPABLE) ||
	    test_bit(__IXGBE_DOWN, &adapter->state))
		return;
	for (i = 0; i < adapter->num_tx_queues; i++)
		clear_bit(__IXGBE_TX_FDIR_INIT_DONE,
			  &adapter->tx_ring[i]->state);
	adapter->flags2 |= IXGBE_FLAG2_FDIR_REQUIRES_REINIT;
	ixgbe_service_event_schedule(adapter);
}

static int ixgbe_bifurc_reserve(struct ixgbe_bifurc *bdev, u32 queue)
{
	struct ixgbe_adapter *adapter = bdev->adapter;
	struct net_device *netdev = adapter->netdev;
	int err;

	ASSERT_RTNL();
	if (!ixgbe_bifurc_layout_ok(adapter)) {
		netdev_err(netdev,
			   "bifurc: SR-IOV, DCB, FCoE and macvlan offload must be off\n");
		return -EOPNOTSUPP;
	}
	err = ixgbe_bifurc_check_reserve(queue, adapter->num_rx_queues,
					 adapter->ring_feature[RING_F_RSS].indices,
					 bdev->reserved);
	switch (err) {
	case 0:
		break;
	case -ERANGE:
		netdev_err(netdev, "bifurc: no RX queue %u (the netdev has %u)\n",
			   queue, adapter->num_rx_queues);
		return err;
	case -EALREADY:
		return err;
	default:
		netdev_err(netdev,
			   "bifurc: queue %u is the last RSS queue; the stack needs one\n",
			   queue);
		return err;
	}
	if (test_bit(queue, adapter->af_xdp_zc_qps)) {
		netdev_err(netdev, "bifurc: queue %u has an AF_XDP socket\n",
			   queue);
		return -EBUSY;
	}

	set_bit(queue, bdev->reserved);
	ixgbe_store_reta(adapter);
	ixgbe_bifurc_flush_atr(adapter);
	netdev_info(netdev, "bifurc: queue %u reserved\n", queue);
	return 0;
}

static void ixgbe_bifurc_detach(struct ixgbe_bifurc_att *att, int why);

static int ixgbe_bifurc_release_queue(struct ixgbe_bifurc *bdev, u32 queue)
{
	struct ixgbe_adapter *adapter = bdev->adapter;

	ASSERT_RTNL();
	if (queue >= BIFURC_MAX_QUEUES || !test_bit(queue, bdev->reserved))
		return -EADDRNOTAVAIL;
	if (bdev->att[queue])
		ixgbe_bifurc_detach(bdev->att[queue], -ENETRESET);
	clear_bit(queue, bdev->reserved);
	/* a grant and a mirror are for this reservation, not the next */
	bdev->grant[queue].kind = IXGBE_BIFURC_GRANT_NONE;
	clear_bit(queue, bdev->mirror);
	memset(&bdev->totals[queue], 0, sizeof(bdev->totals[queue]));
	ixgbe_store_reta(adapter);
	netdev_info(adapter->netdev, "bifurc: queue %u released\n", queue);
	return 0;
}

static struct ixgbe_bifurc *ixgbe_bifurc_from_dev(struct device *dev)
{
	return container_of(dev, struct ixgbe_bifurc, dev);
}

/* Runs a reserve or release request written to sysfs. */
static ssize_t ixgbe_bifurc_queue_store(struct device *dev, const char *buf,
					size_t count, bool reserve)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_from_dev(dev);
	struct ixgbe_adapter *adapter;
	u32 queue;
	int err;

	err = kstrtou32(buf, 0, &queue);
	if (err)
		return err;

	/*
	 * The class device is deleted without RTNL held, but deleting it
	 * waits for running sysfs methods, so never sleep on RTNL here.
	 */
	if (!rtnl_trylock())
		return restart_syscall();
	adapter = bdev->adapter;
	if (!adapter) {
		err = -ENODEV;
	} else if (!ns_capable(dev_net(adapter->netdev)->user_ns,
			       CAP_NET_ADMIN)) {
		err = -EPERM;
	} else {
		err = reserve ? ixgbe_bifurc_reserve(bdev, queue) :
				ixgbe_bifurc_release_queue(bdev, queue);
	}
	rtnl_unlock();
	return err ? err : count;
}

static ssize_t reserve_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	return ixgbe_bifurc_queue_store(dev, buf, count, true);
}
static DEVICE_ATTR_WO(reserve);

static ssize_t release_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	return ixgbe_bifurc_queue_store(dev, buf, count, false);
}
static DEVICE_ATTR_WO(release);

enum ixgbe_bifurc_show {
	IXGBE_BIFURC_SHOW_RESERVED,
	IXGBE_BIFURC_SHOW_ATTACHED,
	IXGBE_BIFURC_SHOW_MIRRORED,
};

/* Prints the reserved queues that are also @what, "2 3\n". */
static ssize_t ixgbe_bifurc_show_queues(struct device *dev, char *buf,
					enum ixgbe_bifurc_show what)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_from_dev(dev);
	int len = 0;
	u32 q, n;

	if (!rtnl_trylock())
		return restart_syscall();
	n = bdev->adapter ? bdev->adapter->num_rx_queues : 0;
	for (q = 0; q < n; q++) {
		if (!test_bit(q, bdev->reserved) ||
		    (what == IXGBE_BIFURC_SHOW_ATTACHED && !bdev->att[q]) ||
		    (what == IXGBE_BIFURC_SHOW_MIRRORED &&
		     !test_bit(q, bdev->mirror)))
			continue;
		len += sysfs_emit_at(buf, len, "%s%u", len ? " " : "", q);
	}
	rtnl_unlock();
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static ssize_t reserved_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return ixgbe_bifurc_show_queues(dev, buf, IXGBE_BIFURC_SHOW_RESERVED);
}
static DEVICE_ATTR_RO(reserved);

static ssize_t attached_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return ixgbe_bifurc_show_queues(dev, buf, IXGBE_BIFURC_SHOW_ATTACHED);
}
static DEVICE_ATTR_RO(attached);

static int ixgbe_bifurc_set_mirror(struct ixgbe_bifurc *bdev, u32 queue,
				   bool on)
{
	struct net_device *netdev = bdev->adapter->netdev;

	ASSERT_RTNL();
	if (!ns_capable(dev_net(netdev)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (queue >= bdev->adapter->num_rx_queues)
		return -ERANGE;
	if (!test_bit(queue, bdev->reserved))
		return -EADDRNOTAVAIL;
	if (on == test_bit(queue, bdev->mirror))
		return 0;
	assign_bit(queue, bdev->mirror, on);
	netdev_info(netdev, "bifurc: queue %u %s the packet taps\n", queue,
		    on ? "mirrored to" : "no longer mirrored to");
	return 0;
}

/*
 * Turns a reserved queue's mirror on or off ("3 on"); reads as the
 * mirrored queues, "3 5".
 */
static ssize_t mirror_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_from_dev(dev);
	u32 queue;
	bool on;
	int err;

	err = ixgbe_bifurc_parse_mirror(buf, &queue, &on);
	if (err)
		return err;
	if (!rtnl_trylock())	/* see ixgbe_bifurc_queue_store() */
		return restart_syscall();
	err = bdev->adapter ? ixgbe_bifurc_set_mirror(bdev, queue, on) :
			      -ENODEV;
	rtnl_unlock();
	return err ? err : count;
}

static ssize_t mirror_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return ixgbe_bifurc_show_queues(dev, buf, IXGBE_BIFURC_SHOW_MIRRORED);
}
static DEVICE_ATTR_RW(mirror);

/* May the caller attach @queue?  CAP_NET_ADMIN or the queue's grant. */
static bool ixgbe_bifurc_may_attach(struct ixgbe_bifurc *bdev, u32 queue)
{
	const struct ixgbe_bifurc_grant *g = &bdev->grant[queue];

	if (ns_capable(dev_net(bdev->adapter->netdev)->user_ns, CAP_NET_ADMIN))
		return true;
	switch (g->kind) {
	case IXGBE_BIFURC_GRANT_USER:
		return uid_eq(current_fsuid(), g->uid);
	case IXGBE_BIFURC_GRANT_GROUP:
		return in_group_p(g->gid);
	default:
		return false;
	}
}

static bool ixgbe_bifurc_grant_equal(const struct ixgbe_bifurc_grant *a,
				     const struct ixgbe_bifurc_grant *b)
{
	return a->kind == b->kind && uid_eq(a->uid, b->uid) &&
	       gid_eq(a->gid, b->gid) && a->port_lo == b->port_lo &&
	       a->port_hi == b->port_hi;
}

static int ixgbe_bifurc_set_grant(struct ixgbe_bifurc *bdev, u32 queue,
				  const struct ixgbe_bifurc_grant *g)
{
	struct net_device *netdev = bdev->adapter->netdev;
	struct ixgbe_bifurc_att *att;

	ASSERT_RTNL();
	if (!ns_capable(dev_net(netdev)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (queue >= bdev->adapter->num_rx_queues)
		return -ERANGE;
	if (!test_bit(queue, bdev->reserved))
		return -EADDRNOTAVAIL;
	/*
	 * A grant bounds a live attachment too: whatever replaces it ends
	 * the grantee's attachment, and its rules and ports go with it.
	 */
	att = bdev->att[queue];
	if (att && !att->privileged &&
	    !ixgbe_bifurc_grant_equal(&bdev->grant[queue], g))
		ixgbe_bifurc_detach(att, -EACCES);
	bdev->grant[queue] = *g;
	switch (g->kind) {
	case IXGBE_BIFURC_GRANT_USER:
		netdev_info(netdev, "bifurc: queue %u granted to uid %u, ports %u-%u\n",
			    queue, from_kuid(&init_user_ns, g->uid),
			    g->port_lo ?: 1, g->port_hi ?: U16_MAX);
		break;
	case IXGBE_BIFURC_GRANT_GROUP:
		netdev_info(netdev, "bifurc: queue %u granted to gid %u, ports %u-%u\n",
			    queue, from_kgid(&init_user_ns, g->gid),
			    g->port_lo ?: 1, g->port_hi ?: U16_MAX);
		break;
	default:
		netdev_info(netdev, "bifurc: queue %u grant revoked\n", queue);
		break;
	}
	return 0;
}

static ssize_t grant_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_from_dev(dev);
	struct ixgbe_bifurc_grant_line line;
	struct ixgbe_bifurc_grant g = {};
	int err;

	err = ixgbe_bifurc_parse_grant(buf, &line);
	if (err)
		return err;
	g.kind = line.kind;
	g.port_lo = line.port_lo;
	g.port_hi = line.port_hi;
	/* ids as the writer sees them, like chown(2) */
	if (g.kind == IXGBE_BIFURC_GRANT_USER) {
		g.uid = make_kuid(current_user_ns(), line.id);
		if (!uid_valid(g.uid))
			return -EINVAL;
	} else if (g.kind == IXGBE_BIFURC_GRANT_GROUP) {
		g.gid = make_kgid(current_user_ns(), line.id);
		if (!gid_valid(g.gid))
			return -EINVAL;
	}

	if (!rtnl_trylock())	/* see ixgbe_bifurc_queue_store() */
		return restart_syscall();
	err = bdev->adapter ? ixgbe_bifurc_set_grant(bdev, line.queue, &g) :
			      -ENODEV;
	rtnl_unlock();
	return err ? err : count;
}

static ssize_t grant_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_from_dev(dev);
	struct user_namespace *ns = current_user_ns();
	const struct ixgbe_bifurc_grant *g;
	int len = 0;
	u32 q, n;

	if (!rtnl_trylock())
		return restart_syscall();
	n = bdev->adapter ? bdev->adapter->num_rx_queues : 0;
	for (q = 0; q < n; q++) {
		g = &bdev->grant[q];
		if (!test_bit(q, bdev->reserved))
			continue;
		if (g->kind == IXGBE_BIFURC_GRANT_USER)
			len += sysfs_emit_at(buf, len, "%u user %u", q,
					     from_kuid_munged(ns, g->uid));
		else if (g->kind == IXGBE_BIFURC_GRANT_GROUP)
			len += sysfs_emit_at(buf, len, "%u group %u", q,
					     from_kgid_munged(ns, g->gid));
		else
			continue;
		if (g->port_lo)
			len += sysfs_emit_at(buf, len, " ports %u-%u",
					     g->port_lo, g->port_hi);
		len += sysfs_emit_at(buf, len, "\n");
	}
	rtnl_unlock();
	return len;
}
static DEVICE_ATTR_RW(grant);

/* The ids of the rules @att owns, "2045,2046", or "-" for none. */
static int ixgbe_bifurc_show_rules(struct ixgbe_bifurc_att *att, char *buf,
				   int len)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;
	struct ixgbe_fdir_filter *rule;
	int start = len;

	spin_lock(&adapter->fdir_perfect_lock);
	hlist_for_each_entry(rule, &adapter->fdir_filter_list, fdir_node)
		if (rule->bifurc_owner == att)
			len += sysfs_emit_at(buf, len, "%s%u",
					     len > start ? "," : "",
					     rule->sw_idx);
	spin_unlock(&adapter->fdir_perfect_lock);
	if (len == start)
		len += sysfs_emit_at(buf, len, "-");
	return len;
}

/*
 * Who holds each attached queue, one line each, the command name last
 * (it may hold spaces): "3 pid 812 uid 1000 since 5231 mode ring irq rx+tx
 * rules 2045 comm dns-fwd".  pid and uid as the reader's namespaces see
 * them (0 and the overflow uid when they do not).
 */
static ssize_t owners_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_from_dev(dev);
	struct ixgbe_bifurc_att *att;
	int len = 0;
	u32 q;

	if (!rtnl_trylock())
		return restart_syscall();
	for (q = 0; bdev->adapter && q < BIFURC_MAX_QUEUES; q++) {
		att = bdev->att[q];
		if (!att)
			continue;
		len += sysfs_emit_at(buf, len,
				     "%u pid %d uid %u since %lld mode %s %s %s rules ",
				     q, pid_vnr(att->owner_pid),
				     from_kuid_munged(current_user_ns(),
						      att->owner_uid),
				     att->since,
				     ixgbe_bifurc_raw(att) ? "raw" : "ring",
				     att->flags & BIFURC_ATTACH_BUSY_POLL ?
				     "busy-poll" : "irq",
				     att->tx_ring ? "rx+tx" : "rx");
		len = ixgbe_bifurc_show_rules(att, buf, len);
		len += sysfs_emit_at(buf, len, " comm %s\n", att->owner_comm);
	}
	rtnl_unlock();
	return len;
}
static DEVICE_ATTR_RO(owners);

static struct attribute *ixgbe_bifurc_attrs[] = {
	&dev_attr_reserve.attr,
	&dev_attr_release.attr,
	&dev_attr_reserved.attr,
	&dev_attr_attached.attr,
	&dev_attr_grant.attr,
	&dev_attr_owners.attr,
	&dev_attr_mirror.attr,
	NULL,
};
ATTRIBUTE_GROUPS(ixgbe_bifurc);

/* ------------------------------------------------------------------ */
/* Attachment memory                                                    */

static int ixgbe_bifurc_uring_alloc(struct ixgbe_bifurc_uring *r, u32 entries,
				    size_t entry_size)
{
	r->len = PAGE_ALIGN(BIFURC_RING_ENTRIES_OFFSET +
			    (size_t)entries * entry_size);
	r->hdr = vmalloc_user(r->len);
	if (!r->hdr)
		return -ENOMEM;
	r->entries = (u8 *)r->hdr + BIFURC_RING_ENTRIES_OFFSET;
	r->size = entries;
	r->kidx = 0;
	return 0;
}

/* pages user space maps: charged, zeroed, and refused rather than OOM */
#define IXGBE_BIFURC_GFP \
	(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN | __GFP_RETRY_MAYFAIL)

/*
 * The pool: chunks of max(PAGE_SIZE, buf_size) physically contiguous,
 * zeroed bytes, so that every buffer is contiguous for the NIC.  Chunks are
 * split into order-0 pages so that vm_insert_pages() can map them.  The
 * memory is charged to the caller's memory cgroup; a pool it cannot hold
 * fails the attach (__GFP_RETRY_MAYFAIL) instead of OOM-killing a task.
 */
static int ixgbe_bifurc_pool_alloc(struct ixgbe_bifurc_att *att)
{
	size_t chunk = max_t(size_t, PAGE_SIZE, att->buf_size);
	unsigned int i, j, nr_pages;
	struct page *page;

	att->chunk_order = get_order(chunk);
	att->bufs_per_chunk = chunk / att->buf_size;
	att->chunk_shift = ilog2(att->bufs_per_chunk);
	att->nr_chunks = DIV_ROUND_UP(att->buf_count, att->bufs_per_chunk);
	nr_pages = att->nr_chunks << att->chunk_order;

	att->pages = kvcalloc(nr_pages, sizeof(*att->pages), GFP_KERNEL);
	att->buf_dma = kvcalloc(att->buf_count, sizeof(*att->buf_dma),
				GFP_KERNEL);
	if (!att->pages || !att->buf_dma)
		return -ENOMEM;

	for (i = 0; i < att->nr_chunks; i++) {
		page = alloc_pages(IXGBE_BIFURC_GFP, att->chunk_order);
		if (!page)
			return -ENOMEM;
		atomic_long_add(1L << att->chunk_order, &ixgbe_bifurc_pages);
		split_page(page, att->chunk_order);
		for (j = 0; j < (1U << att->chunk_order); j++)
			att->pages[(i << att->chunk_order) + j] = page + j;
	}
	return 0;
}

static void ixgbe_bifurc_pool_free(struct ixgbe_bifurc_att *att)
{
	unsigned int i, nr_pages = att->nr_chunks << att->chunk_order;

	for (i = 0; att->pages && i < nr_pages && att->pages[i]; i++) {
		put_page(att->pages[i]);
		atomic_long_dec(&ixgbe_bifurc_pages);
	}
	kvfree(att->pages);
	kvfree(att->buf_dma);
}

static void ixgbe_bifurc_pool_unmap(struct ixgbe_bifurc_att *att, u32 mapped)
{
	size_t chunk = PAGE_SIZE << att->chunk_order;
	u32 i;

	/* a chunk's address is that of its first buffer */
	for (i = 0; i < mapped; i++)
		dma_unmap_page(att->dma_dev,
			       att->buf_dma[i << att->chunk_shift], chunk,
			       att->dma_dir);
}

static int ixgbe_bifurc_pool_map(struct ixgbe_bifurc_att *att)
{
	size_t chunk = PAGE_SIZE << att->chunk_order;
	u32 i, id, first, end;
	dma_addr_t dma;

	for (i = 0; i < att->nr_chunks; i++) {
		dma = dma_map_page(att->dma_dev,
				   att->pages[i << att->chunk_order],
				   0, chunk, att->dma_dir);
		if (dma_mapping_error(att->dma_dev, dma)) {
			ixgbe_bifurc_pool_unmap(att, i);
			return -ENOMEM;
		}
		first = i << att->chunk_shift;
		end = min(first + att->bufs_per_chunk, att->buf_count);
		for (id = first; id < end; id++)
			att->buf_dma[id] = dma + (dma_addr_t)(id - first) *
						 att->buf_size;
	}
	return 0;
}

/*
 * Raw mode's desc region: the NIC's descriptor ring and, right after it,
 * the slot table, in one zeroed block that user space maps read-only.
 * Unlike a dma_alloc_coherent() ring these pages outlive the attachment's
 * death: a mapping of them keeps the file, and so the pages, until
 * munmap(), and no other use can see what user space still reads.
 */
static int ixgbe_bifurc_raw_alloc(struct ixgbe_bifurc_att *att)
{
	unsigned int order, i, nr_pages;
	struct page *page;

	att->raw_len = PAGE_ALIGN(BIFURC_RAW_SLOTS_OFFSET(att->rx_desc) +
				  (size_t)att->rx_desc * sizeof(*att->slot));
	nr_pages = att->raw_len >> PAGE_SHIFT;
	order = get_order(att->raw_len);
	att->raw_pages = kvcalloc(nr_pages, sizeof(*att->raw_pages),
				  GFP_KERNEL);
	if (!att->raw_pages)
		return -ENOMEM;
	page = alloc_pages(IXGBE_BIFURC_GFP, order);
	if (!page)
		return -ENOMEM;
	split_page(page, order);
	for (i = 0; i < (1U << order); i++) {
		if (i < nr_pages)
			att->raw_pages[i] = page + i;
		else
			__free_page(page + i);
	}
	atomic_long_add(nr_pages, &ixgbe_bifurc_pages);
	att->desc = page_address(page);
	att->slot = (u32 *)((u8 *)att->desc +
			    BIFURC_RAW_SLOTS_OFFSET(att->rx_desc));
	return 0;
}

static void ixgbe_bifurc_raw_free(struct ixgbe_bifurc_att *att)
{
	unsigned int i, nr_pages = att->raw_len >> PAGE_SHIFT;

	for (i = 0; att->raw_pages && i < nr_pages && att->raw_pages[i]; i++) {
		put_page(att->raw_pages[i]);
		atomic_long_dec(&ixgbe_bifurc_pages);
	}
	kvfree(att->raw_pages);
}

/* Frees what ixgbe_bifurc_att_alloc() built; the DMA side is gone. */
/**
 * ixgbe_bifurc_att_pages - pages an attachment pins
 * @a: a request that passed ixgbe_bifurc_check_attach()
 *
 * The pool and every ring user space maps, as ixgbe_bifurc_att_alloc()
 * sizes them: what RLIMIT_MEMLOCK is charged with.
 *
 * Context: any.
 * Return: the number of pages.
 */
unsigned long ixgbe_bifurc_att_pages(const struct bifurc_attach *a)
{
	size_t chunk = max_t(size_t, PAGE_SIZE, a->buf_size);
	u32 per_chunk = chunk / a->buf_size;
	bool raw = a->flags & BIFURC_ATTACH_RAW_DESC;
	size_t bytes;

	bytes = (size_t)DIV_ROUND_UP(a->buf_count, per_chunk) <<
		(PAGE_SHIFT + get_order(chunk));
	bytes += PAGE_ALIGN(BIFURC_RING_ENTRIES_OFFSET +
			    (size_t)a->fill_entries * sizeof(u32));
	bytes += PAGE_ALIGN(BIFURC_RING_ENTRIES_OFFSET + (raw ? 0 :
			    (size_t)a->comp_entries *
			    sizeof(struct bifurc_rx_comp)));
	bytes += PAGE_ALIGN(sizeof(struct bifurc_counters));
	if (raw)
		bytes += PAGE_ALIGN(BIFURC_RAW_SLOTS_OFFSET(a->rx_desc) +
				    (size_t)a->rx_desc * sizeof(u32));
	if (a->flags & BIFURC_ATTACH_TX)
		bytes += PAGE_ALIGN(BIFURC_RING_ENTRIES_OFFSET +
				    (size_t)a->tx_entries *
				    sizeof(struct bifurc_tx_entry)) +
			 PAGE_ALIGN(BIFURC_RING_ENTRIES_OFFSET +
				    (size_t)a->txc_entries * sizeof(u32));
	return bytes >> PAGE_SHIFT;
}

/*
 * The pool and rings stay pinned while the file lives, like an AF_XDP
 * umem or io_uring's rings: they count against the user's locked memory,
 * unless the task may lock memory at will.
 */
static int ixgbe_bifurc_charge_memlock(unsigned long pages,
				       struct user_struct **userp)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	struct user_struct *user;
	long cur;

	*userp = NULL;
	if (capable(CAP_IPC_LOCK))
		return 0;
	user = get_uid(current_user());
	cur = atomic_long_read(&user->locked_vm);
	do {
		if (cur + pages > limit) {
			free_uid(user);
			return -ENOBUFS;
		}
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur,
					  cur + pages));
	*userp = user;
	return 0;
}

static void ixgbe_bifurc_uncharge_memlock(struct user_struct *user,
					  unsigned long pages)
{
	if (!user)
		return;
	atomic_long_sub(pages, &user->locked_vm);
	free_uid(user);
}

static void ixgbe_bifurc_att_free(struct ixgbe_bifurc_att *att)
{
	ixgbe_bifurc_uncharge_memlock(att->user, att->locked_pages);
	put_pid(att->owner_pid);
	ixgbe_bifurc_pool_free(att);
	vfree(att->fill.hdr);
	vfree(att->comp.hdr);
	vfree(att->cnt);
	vfree(att->tx.hdr);
	vfree(att->txc.hdr);
	kvfree(att->owner);
	if (ixgbe_bifurc_raw(att))
		ixgbe_bifurc_raw_free(att);
	else
		kvfree(att->slot);
	kvfree(att->tx_slot);
	kfree(att);
}

static struct ixgbe_bifurc_att *
ixgbe_bifurc_att_alloc(struct ixgbe_bifurc *bdev, const struct bifurc_attach *a)
{
	struct ixgbe_bifurc_att *att;

	att = kzalloc(sizeof(*att), GFP_KERNEL);
	if (!att)
		return NULL;
	att->bdev = bdev;
	att->queue = a->queue;
	att->flags = a->flags;
	att->rx_desc = a->rx_desc;
	att->buf_size = a->buf_size;
	att->buf_count = a->buf_count;
	spin_lock_init(&att->lock);
	INIT_LIST_HEAD(&att->stray);

	att->owner = kvzalloc(a->buf_count, GFP_KERNEL);
	if (ixgbe_bifurc_raw(att)) {
		if (ixgbe_bifurc_raw_alloc(att))
			goto err;
	} else {
		att->slot = kvcalloc(a->rx_desc, sizeof(*att->slot),
				     GFP_KERNEL);
	}
	att->cnt_len = PAGE_ALIGN(sizeof(*att->cnt));
	att->cnt = vmalloc_user(att->cnt_len);
	/* raw mode: the comp region is the ring header alone (uapi sect. 5) */
	if (!att->owner || !att->slot || !att->cnt ||
	    ixgbe_bifurc_uring_alloc(&att->fill, a->fill_entries,
				     sizeof(u32)) ||
	    ixgbe_bifurc_uring_alloc(&att->comp, a->comp_entries,
				     ixgbe_bifurc_raw(att) ? 0 :
				     sizeof(struct bifurc_rx_comp)) ||
	    ixgbe_bifurc_pool_alloc(att))
		goto err;

	att->dma_dir = DMA_FROM_DEVICE;
	if (a->flags & BIFURC_ATTACH_TX) {
		/* the NIC reads what it sent from the same pages */
		att->dma_dir = DMA_BIDIRECTIONAL;
		att->tx_ndesc = a->tx_desc ?: a->rx_desc;
		att->tx_slot = kvcalloc(att->tx_ndesc, sizeof(*att->tx_slot),
					GFP_KERNEL);
		if (!att->tx_slot ||
		    ixgbe_bifurc_uring_alloc(&att->tx, a->tx_entries,
					     sizeof(struct bifurc_tx_entry)) ||
		    ixgbe_bifurc_uring_alloc(&att->txc, a->txc_entries,
					     sizeof(u32)))
			goto err;
		att->tx.hdr->flags = BIFURC_RING_NEED_WAKEUP;
	}
	att->cnt->size = sizeof(*att->cnt);
	att->fill.hdr->flags = BIFURC_RING_NEED_WAKEUP;
	return att;

err:
	ixgbe_bifurc_att_free(att);
	return NULL;
}

/* Coherent memory, counted in ixgbe_bifurc_pages. */
static void *ixgbe_bifurc_coherent_alloc(struct ixgbe_bifurc_att *att,
					 size_t size, dma_addr_t *dma)
{
	void *p = dma_alloc_coherent(att->dma_dev, size, dma, GFP_KERNEL);

	if (p)
		atomic_long_add(PAGE_ALIGN(size) >> PAGE_SHIFT,
				&ixgbe_bifurc_pages);
	return p;
}

static void ixgbe_bifurc_coherent_free(struct ixgbe_bifurc_att *att,
				       size_t size, void *p, dma_addr_t dma)
{
	dma_free_coherent(att->dma_dev, size, p, dma);
	atomic_long_sub(PAGE_ALIGN(size) >> PAGE_SHIFT, &ixgbe_bifurc_pages);
}

/*
 * Frees the descriptor rings; NULL ones are skipped.  A raw ring is only
 * unmapped: its pages stay with the attachment (ixgbe_bifurc_raw_alloc()).
 */
static void ixgbe_bifurc_desc_free(struct ixgbe_bifurc_att *att)
{
	if (ixgbe_bifurc_raw(att))
		dma_unmap_page(att->dma_dev, att->desc_dma,
			       att->rx_desc * sizeof(*att->desc),
			       DMA_BIDIRECTIONAL);
	else if (att->desc)
		ixgbe_bifurc_coherent_free(att, att->rx_desc * sizeof(*att->desc),
					   att->desc, att->desc_dma);
	if (att->txd)
		ixgbe_bifurc_coherent_free(att,
					   att->tx_ndesc * sizeof(*att->txd),
					   att->txd, att->txd_dma);
	if (att->tx_hdr)
		ixgbe_bifurc_coherent_free(att,
					   att->tx_ndesc * IXGBE_BIFURC_TX_HDR,
					   att->tx_hdr, att->tx_hdr_dma);
	if (!ixgbe_bifurc_raw(att))
		att->desc = NULL;
	att->txd = NULL;
	att->tx_hdr = NULL;
}

/* Sets up the DMA side: descriptor rings and pool mappings. */
static int ixgbe_bifurc_att_map(struct ixgbe_bifurc_att *att,
				struct device *dma_dev)
{
	int err;

	att->dma_dev = dma_dev;
	if (ixgbe_bifurc_raw(att)) {
		/* the NIC reads the read format, writes the write-back one */
		att->desc_dma = dma_map_page(att->dma_dev, att->raw_pages[0], 0,
					     att->rx_desc * sizeof(*att->desc),
					     DMA_BIDIRECTIONAL);
		if (dma_mapping_error(att->dma_dev, att->desc_dma))
			return -ENOMEM;
	} else {
		att->desc = ixgbe_bifurc_coherent_alloc(att, att->rx_desc *
							sizeof(*att->desc),
							&att->desc_dma);
	}
	if (att->desc && att->tx_ndesc)
		att->txd = ixgbe_bifurc_coherent_alloc(att, att->tx_ndesc *
						       sizeof(*att->txd),
						       &att->txd_dma);
	if (att->txd)
		att->tx_hdr = ixgbe_bifurc_coherent_alloc(att, att->tx_ndesc *
							  IXGBE_BIFURC_TX_HDR,
							  &att->tx_hdr_dma);
	err = -ENOMEM;
	if (att->desc && (att->tx_hdr || !att->tx_ndesc))
		err = ixgbe_bifurc_pool_map(att);
	if (err)
		ixgbe_bifurc_desc_free(att);
	return err;
}

/* Tears down the DMA side; the NIC no longer accesses the queue. */
static void ixgbe_bifurc_att_unmap(struct ixgbe_bifurc_att *att)
{
	ixgbe_bifurc_pool_unmap(att, att->nr_chunks);
	ixgbe_bifurc_desc_free(att);
	att->dma_dev = NULL;
}

/* ------------------------------------------------------------------ */
/* Queue takeover and teardown                                          */

/**
 * ixgbe_bifurc_configure_rx_ring - program an RX queue for an attachment
 * @adapter: the adapter
 * @ring: the RX ring; ixgbe_bifurc_ring(@ring) is set
 *
 * Called by ixgbe_configure_rx_ring() from ixgbe_txrx_ring_enable() while
 * the ring's NAPI is disabled.  Follows 82599 4.6.7.1, "Dynamic Enabling
 * and Disabling of Receive Queues", enabling part.  Skipped steps:
 * PSRTYPE is per pool, not per queue, and stays as the kernel set it;
 * DCA_RXCTRL (8.2.3.11.1) keeps the kernel's relaxed-ordering settings;
 * RXDCTL thresholds and VLAN stripping (VME) stay as the kernel set them.
 *
 * Context: process context, RTNL held, may sleep.
 */
void ixgbe_bifurc_configure_rx_ring(struct ixgbe_adapter *adapter,
				    struct ixgbe_ring *ring)
{
	struct ixgbe_bifurc_att *att = ixgbe_bifurc_ring(ring);
	struct ixgbe_hw *hw = &adapter->hw;
	u8 reg_idx = ring->reg_idx;
	u32 rxdctl, srrctl, rqsmr;
	int err;

	ASSERT_RTNL();

	/* 4.6.7.1: the queue is off while it is programmed (8.2.3.8.6) */
	rxdctl = IXGBE_READ_REG(hw, IXGBE_RXDCTL(reg_idx));
	rxdctl &= ~IXGBE_RXDCTL_ENABLE;
	IXGBE_WRITE_REG(hw, IXGBE_RXDCTL(reg_idx), rxdctl);
	IXGBE_WRITE_FLUSH(hw);

	/* ring base and length: 8.2.3.8.1 RDBAL, 8.2.3.8.2 RDBAH,
	 * 8.2.3.8.3 RDLEN (a multiple of 128 bytes: rx_desc >= 64)
	 */
	IXGBE_WRITE_REG(hw, IXGBE_RDBAL(reg_idx),
			lower_32_bits(att->desc_dma));
	IXGBE_WRITE_REG(hw, IXGBE_RDBAH(reg_idx),
			upper_32_bits(att->desc_dma));
	IXGBE_WRITE_REG(hw, IXGBE_RDLEN(reg_idx),
			att->rx_desc * sizeof(*att->desc));
	IXGBE_WRITE_FLUSH(hw);

	/* an empty ring: 8.2.3.8.4 RDH and 8.2.3.8.5 RDT */
	IXGBE_WRITE_REG(hw, IXGBE_RDH(reg_idx), 0);
	IXGBE_WRITE_REG(hw, IXGBE_RDT(reg_idx), 0);
	att->tail = adapter->io_addr + IXGBE_RDT(reg_idx);
	ring->tail = att->tail;
	att->hw_tail = 0;
	att->hw_clean = 0;
	att->rx_mid_frame = false;

	/*
	 * 8.2.3.8.7 SRRCTL: packet buffer size in 1 KB units,
	 * advanced one-buffer descriptors, and DROP_EN: a queue whose
	 * application stopped refilling drops its own frames instead of
	 * filling the shared packet buffer and stalling every queue.
	 */
	srrctl = att->buf_size >> IXGBE_SRRCTL_BSIZEPKT_SHIFT;
	srrctl |= IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF | IXGBE_SRRCTL_DROP_EN;
	spin_lock(&att->bdev->srrctl_lock);
	IXGBE_WRITE_REG(hw, IXGBE_SRRCTL(reg_idx), srrctl);
	spin_unlock(&att->bdev->srrctl_lock);

	/* no receive side coalescing: 8.2.3.8.13 RSCCTL */
	IXGBE_WRITE_REG(hw, IXGBE_RSCCTL(reg_idx), 0);

	/* a queue statistics index of its own for QPRDC: 8.2.3.23 RQSMR */
	rqsmr = IXGBE_READ_REG(hw, IXGBE_RQSMR(reg_idx / 4));
	rqsmr &= ~(0xffU << (8 * (reg_idx % 4)));
	rqsmr |= (u32)att->stat_idx << (8 * (reg_idx % 4));
	IXGBE_WRITE_REG(hw, IXGBE_RQSMR(reg_idx / 4), rqsmr);

	/* enable, then poll until the queue reports enabled (8.2.3.8.6) */
	rxdctl |= IXGBE_RXDCTL_ENABLE;
	IXGBE_WRITE_REG(hw, IXGBE_RXDCTL(reg_idx), rxdctl);
	err = read_poll_timeout(ixgbe_read_reg, rxdctl,
				rxdctl & IXGBE_RXDCTL_ENABLE, 1000, 10000,
				false, hw, IXGBE_RXDCTL(reg_idx));
	if (err)
		netdev_err(adapter->netdev,
			   "bifurc: RXDCTL.ENABLE of queue %u did not set\n",
			   att->queue);

	/* the RDT bump of 4.6.7.1 waits for user space to refill */
}

/* Mask or unmask the queue's MSI-X vector: 82599 8.2.3.5.9 EIMC[n]. */
static void ixgbe_bifurc_quiet(struct ixgbe_bifurc_att *att, bool quiet)
{
	struct ixgbe_bifurc *bdev = att->bdev;
	struct ixgbe_adapter *adapter = bdev->adapter;
	u32 v = att->ring->q_vector->v_idx;
	u64 bit = BIT_ULL(v);

	if (quiet) {
		WRITE_ONCE(bdev->quiet_vectors, bdev->quiet_vectors | bit);
		IXGBE_WRITE_REG(&adapter->hw, IXGBE_EIMC_EX(v / 32),
				BIT(v % 32));
		IXGBE_WRITE_FLUSH(&adapter->hw);
	} else {
		WRITE_ONCE(bdev->quiet_vectors, bdev->quiet_vectors & ~bit);
	}
}

/* Gives the queue's statistics index back: 82599 8.2.3.23 RQSMR. */
static void ixgbe_bifurc_put_stat_idx(struct ixgbe_bifurc_att *att)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;
	struct ixgbe_hw *hw = &adapter->hw;
	u8 reg_idx = att->ring->reg_idx;
	u32 rqsmr;

	if (!att->stat_idx)
		return;
	rqsmr = IXGBE_READ_REG(hw, IXGBE_RQSMR(reg_idx / 4));
	rqsmr &= ~(0xffU << (8 * (reg_idx % 4)));
	IXGBE_WRITE_REG(hw, IXGBE_RQSMR(reg_idx / 4), rqsmr);
	clear_bit(att->stat_idx, &att->bdev->stat_used);
	att->stat_idx = 0;
}

/* The queue's no-buffer drops since attach, from the accumulated QPRDC. */
static u64 ixgbe_bifurc_no_buf(const struct ixgbe_bifurc_att *att)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;

	if (!att->stat_idx || !adapter)
		return 0;
	return adapter->stats.qprdc[att->stat_idx] - att->no_buf_base;
}

/*
 * Whether the queue's DMA really stopped: 82599 8.2.3.8.6 RXDCTL.ENABLE
 * and 8.2.3.9.10 TXDCTL.ENABLE read back clear once the queue is off.
 * ixgbe's disable helpers poll for that but go on when it does not come.
 */
static bool ixgbe_bifurc_hw_stopped(struct ixgbe_bifurc_att *att)
{
	struct ixgbe_hw *hw = &att->bdev->adapter->hw;

	if (ixgbe_removed(hw->hw_addr))
		return true;
	if (IXGBE_READ_REG(hw, IXGBE_RXDCTL(att->ring->reg_idx)) &
	    IXGBE_RXDCTL_ENABLE)
		return false;
	return !att->tx_ring ||
	       !(IXGBE_READ_REG(hw, IXGBE_TXDCTL(att->tx_ring->reg_idx)) &
		 IXGBE_TXDCTL_ENABLE);
}

/*
 * A queue that did not stop may still write the pool and read the rings:
 * they stay allocated and mapped, and a reset is requested.  The MAC reset
 * stops the queue; ixgbe_bifurc_reset_done() then lets them go.
 */
static void ixgbe_bifurc_keep_stray(struct ixgbe_bifurc_att *att)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;

	list_add_tail(&att->stray, &att->bdev->stray);
	netdev_err(adapter->netdev,
		   "bifurc: queue %u did not stop; its buffers are kept until the adapter resets\n",
		   att->queue);
	set_bit(__IXGBE_RESET_REQUESTED, &adapter->state);
	ixgbe_service_event_schedule(adapter);
}

/*
 * Second half of every teardown: the NIC was told to stop and NAPI cannot
 * run for the ring.  Removes the file's flow rules, releases the DMA side
 * (or keeps it while the queue still runs), folds the counters into the
 * queue's totals and tells user space.
 */
static void ixgbe_bifurc_finish(struct ixgbe_bifurc_att *att, int why)
{
	struct ixgbe_bifurc *bdev = att->bdev;
	struct ixgbe_bifurc_totals *t = &bdev->totals[att->queue];
	u32 status = 0;

	ixgbe_bifurc_flow_flush(att);
	ixgbe_bifurc_put_stat_idx(att);
	if (ixgbe_bifurc_hw_stopped(att))
		ixgbe_bifurc_att_unmap(att);
	else
		ixgbe_bifurc_keep_stray(att);

	t->rx_packets += att->cnt->rx_packets;
	t->rx_bytes += att->cnt->rx_bytes;
	t->rx_bad_id += att->cnt->rx_bad_id;
	t->rx_no_buf += att->cnt->rx_no_buf;
	t->kicks += att->cnt->kicks;
	t->tx_packets += att->cnt->tx_packets;
	t->tx_bytes += att->cnt->tx_bytes;
	t->tx_bad_id += att->cnt->tx_bad_id;
	t->tx_bad_frame += att->cnt->tx_bad_frame;
	t->mirrored += att->mirrored;
	bdev->att[att->queue] = NULL;
	att->ring = NULL;
	att->tx_ring = NULL;

	/* a plain close leaves nobody to read the page: status 0 */
	if (why == -ENETRESET)
		status = BIFURC_STATUS_RESET;
	else if (why == -ENODEV)
		status = BIFURC_STATUS_REMOVED;
	else if (why == -EACCES)
		status = BIFURC_STATUS_REVOKED;
	if (status && att->tx_hung)
		status |= BIFURC_STATUS_TX_HANG;
	/* announce the state change after it happened (uapi section 3) */
	smp_store_release(&att->cnt->status, status);
	wake_up_all(att->wq);
}

/* Marks the attachment dead, so that KICK and poll() leave the NIC alone. */
static void ixgbe_bifurc_mark_dead(struct ixgbe_bifurc_att *att, int why)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;

	/* final no-buffer count, while the statistics are still running */
	if (!test_bit(__IXGBE_DOWN, &adapter->state)) {
		ixgbe_update_stats(adapter);
		WRITE_ONCE(att->cnt->rx_no_buf, ixgbe_bifurc_no_buf(att));
	}
	spin_lock_bh(&att->lock);
	att->dead = why;
	spin_unlock_bh(&att->lock);
}

/*
 * Detach a live attachment from a running adapter: the mirror image of
 * ixgbe_bifurc_attach_queue(), in the order of ixgbe_xsk_pool_disable().
 * The queue returns to the kernel stack in the reserved-idle state.
 */
static void ixgbe_bifurc_detach(struct ixgbe_bifurc_att *att, int why)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;
	struct ixgbe_ring *ring = att->ring;

	ASSERT_RTNL();
	ixgbe_bifurc_mark_dead(att, why);

	/* IRQ off, NAPI off, RXDCTL.ENABLE clear and polled: no more DMA */
	ixgbe_txrx_ring_disable(adapter, att->queue);
	if (att->flags & BIFURC_ATTACH_BUSY_POLL)
		ixgbe_bifurc_quiet(att, false);
	ring->bifurc = NULL;
	if (att->tx_ring)
		att->tx_ring->bifurc = NULL;
	ixgbe_bifurc_finish(att, why);
	ixgbe_txrx_ring_enable(adapter, att->queue);
}

/**
 * ixgbe_bifurc_down - the adapter is going down: every attachment dies
 * @adapter: the adapter
 *
 * Called by ixgbe_down() once every RX queue is disabled and all NAPI
 * contexts are stopped, before the rings are cleaned and the MAC is reset.
 * Covers ifdown, reset, ethtool -L/-G/-K, XDP attach and suspend.  The
 * files see ENETRESET and may attach again once the adapter is up; their
 * flow rules are gone, so ixgbe_up() does not restore rules steering to a
 * dead queue.
 *
 * Context: process context, RTNL held.
 */
void ixgbe_bifurc_down(struct ixgbe_adapter *adapter)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);
	struct ixgbe_bifurc_att *att;
	u32 q;

	if (!bdev)
		return;
	ASSERT_RTNL();
	for (q = 0; q < BIFURC_MAX_QUEUES; q++) {
		att = bdev->att[q];
		if (!att)
			continue;
		ixgbe_bifurc_mark_dead(att, -ENETRESET);
		if (att->flags & BIFURC_ATTACH_BUSY_POLL)
			ixgbe_bifurc_quiet(att, false);
		att->ring->bifurc = NULL;
		if (att->tx_ring) {
			ixgbe_bifurc_tx_stop_hw(att);
			att->tx_ring->bifurc = NULL;
		}
		ixgbe_bifurc_finish(att, -ENETRESET);
		netdev_info(adapter->netdev,
			    "bifurc: queue %u detached by the adapter going down\n",
			    q);
	}
}

/**
 * ixgbe_bifurc_srrctl_rmw - change bits of a stack ring's SRRCTL
 * @adapter: the adapter
 * @ring: an RX ring
 * @clear: bits to clear
 * @set: bits to set
 *
 * ixgbe's DROP_EN updates (ixgbe_set_rx_drop_en(), from the service task
 * without RTNL) read-modify-write SRRCTL (82599 8.2.3.8.7).  Were one to
 * read a ring's SRRCTL just before bifurc programmed it for an attachment
 * and write just after, it would put the stack's buffer size back, and the
 * NIC would write frames that long into the pool's smaller buffers.  The
 * two are serialised, and a bifurc ring's SRRCTL (DROP_EN always set) is
 * left alone.
 *
 * Context: process context, any lock but @adapter's bifurc SRRCTL lock.
 */
void ixgbe_bifurc_srrctl_rmw(struct ixgbe_adapter *adapter,
			     struct ixgbe_ring *ring, u32 clear, u32 set)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);
	struct ixgbe_hw *hw = &adapter->hw;
	u32 srrctl;

	/* gone at PCI remove: no bifurc ring left to race with */
	if (!bdev) {
		srrctl = IXGBE_READ_REG(hw, IXGBE_SRRCTL(ring->reg_idx));
		IXGBE_WRITE_REG(hw, IXGBE_SRRCTL(ring->reg_idx),
				(srrctl & ~clear) | set);
		return;
	}
	spin_lock(&bdev->srrctl_lock);
	if (!ixgbe_bifurc_ring(ring)) {
		srrctl = IXGBE_READ_REG(hw, IXGBE_SRRCTL(ring->reg_idx));
		IXGBE_WRITE_REG(hw, IXGBE_SRRCTL(ring->reg_idx),
				(srrctl & ~clear) | set);
	}
	spin_unlock(&bdev->srrctl_lock);
}

/**
 * ixgbe_bifurc_reset_done - the MAC reset stopped every queue
 * @adapter: the adapter, down
 *
 * Called by ixgbe_down() after ixgbe_reset() (or when the PCI channel is
 * offline and no DMA can happen): the pools of attachments whose queue did
 * not stop are unmapped, and freed if their file is gone.
 *
 * Context: process context, RTNL held.
 */
void ixgbe_bifurc_reset_done(struct ixgbe_adapter *adapter)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);
	struct ixgbe_bifurc_att *att, *tmp;

	if (!bdev)
		return;
	ASSERT_RTNL();
	list_for_each_entry_safe(att, tmp, &bdev->stray, stray) {
		list_del_init(&att->stray);
		ixgbe_bifurc_att_unmap(att);
		if (att->orphan)
			ixgbe_bifurc_att_free(att);
	}
}

/* Is this vector used by the RX and TX ring of @queue alone? */
static bool ixgbe_bifurc_vector_private(struct ixgbe_ring *ring)
{
	struct ixgbe_q_vector *qv = ring->q_vector;

	return qv->rx.count == 1 && qv->tx.count <= 1;
}

/* Takes the queue away from the stack; ixgbe_xsk_pool_enable() order. */
static void ixgbe_bifurc_attach_queue(struct ixgbe_bifurc_att *att,
				      struct ixgbe_adapter *adapter)
{
	struct ixgbe_bifurc *bdev = att->bdev;

	ixgbe_txrx_ring_disable(adapter, att->queue);
	att->ring->bifurc = att;
	if (att->tx_ring)
		att->tx_ring->bifurc = att;
	bdev->att[att->queue] = att;
	ixgbe_txrx_ring_enable(adapter, att->queue);
	if (att->flags & BIFURC_ATTACH_BUSY_POLL)
		ixgbe_bifurc_quiet(att, true);
}

/* The argument of every ioctl but KICK: copied in before RTNL, out after. */
union ixgbe_bifurc_req {
	struct bifurc_info info;
	struct bifurc_attach attach;
	struct bifurc_flow_rule add;
	struct bifurc_flow_del del;
	struct bifurc_flow_mask mask;
	struct bifurc_counters stats;
};

/* it lives on the ioctl's stack: a struct that grows past this says so */
static_assert(sizeof(union ixgbe_bifurc_req) <= 256);

static long ixgbe_bifurc_copy_in(void *k, size_t ksize, void __user *arg,
				 u32 ver0)
{
	u32 usize;
	int err;

	if (get_user(usize, (u32 __user *)arg))
		return -EFAULT;
	if (usize < ver0)
		return -EINVAL;
	if (usize > BIFURC_MAX_STRUCT_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(k, ksize, arg, usize);
	if (err)
		return err;
	return 0;
}

static long ixgbe_bifurc_copy_out(void __user *arg, void *k, size_t ksize)
{
	u32 usize, n;

	if (get_user(usize, (u32 __user *)arg))
		return -EFAULT;
	n = min_t(u32, usize, ksize);
	*(u32 *)k = n;
	return copy_to_user(arg, k, n) ? -EFAULT : 0;
}

/* Largest frame TX takes: the MTU plus an Ethernet and a VLAN header. */
static u32 ixgbe_bifurc_max_tx_frame(const struct net_device *netdev)
{
	return netdev->mtu + ETH_HLEN + VLAN_HLEN;
}

/*
 * Whether the device's DMA goes through a translating IOMMU: then a bus
 * address in a descriptor tells user space nothing about physical memory
 * and reaches only what the device may reach anyway.
 */
static bool ixgbe_bifurc_iommu(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	return domain && (domain->type & __IOMMU_DOMAIN_PAGING);
}

static void ixgbe_bifurc_region(struct bifurc_region *r,
				enum ixgbe_bifurc_region idx, size_t len,
				u32 entries, bool writable)
{
	r->offset = (u64)(idx + 1) << IXGBE_BIFURC_REGION_SHIFT;
	r->length = len;
	r->entries = entries;
	r->prot = BIFURC_PROT_READ | (writable ? BIFURC_PROT_WRITE : 0);
}

/*
 * What ATTACH checks against the adapter's state: before the pool is built
 * (a request that cannot succeed costs no allocation) and again, under the
 * same RTNL section as the takeover, once it is (the port may have changed
 * meanwhile).
 */
static long ixgbe_bifurc_attach_allowed(struct ixgbe_bifurc_file *bf,
					const struct bifurc_attach *a)
{
	struct ixgbe_bifurc *bdev = bf->bdev;
	struct ixgbe_adapter *adapter = bdev->adapter;
	struct ixgbe_ring *ring;

	ASSERT_RTNL();
	if (!adapter)
		return -ENODEV;
	if (bf->att)
		return -EISCONN;
	if (a->queue >= adapter->num_rx_queues)
		return -ERANGE;
	if (!test_bit(a->queue, bdev->reserved))
		return -EADDRNOTAVAIL;
	if (!ixgbe_bifurc_may_attach(bdev, a->queue))
		return -EPERM;
	/* unwritten raw descriptors hold bus addresses (uapi section 5) */
	if ((a->flags & BIFURC_ATTACH_RAW_DESC) && !capable(CAP_SYS_ADMIN) &&
	    !ixgbe_bifurc_iommu(&adapter->pdev->dev))
		return -EPERM;
	if (bdev->att[a->queue])
		return -EBUSY;
	if (!netif_running(adapter->netdev) ||
	    test_bit(__IXGBE_DOWN, &adapter->state))
		return -ENETDOWN;
	if (!ixgbe_bifurc_layout_ok(adapter))
		return -EOPNOTSUPP;
	ring = adapter->rx_ring[a->queue];
	if ((a->flags & BIFURC_ATTACH_BUSY_POLL) &&
	    !ixgbe_bifurc_vector_private(ring))
		return -EOPNOTSUPP;
	/* TX pairs RX queue q with TX queue q on the same vector */
	if ((a->flags & BIFURC_ATTACH_TX) &&
	    (a->queue >= adapter->num_tx_queues ||
	     adapter->tx_ring[a->queue]->q_vector != ring->q_vector))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Builds the pool, rings and descriptor memory of a request and maps them
 * for the device, without RTNL: up to IXGBE_BIFURC_MAX_POOL_BYTES of
 * allocation and DMA mapping must not stall every other network
 * configuration on the host.  @bdev's attach_lock keeps the device from
 * going away meanwhile.  Fills in what user space learns from ATTACH.
 */
static long ixgbe_bifurc_attach_build(struct ixgbe_bifurc *bdev,
				      struct bifurc_attach *a,
				      struct ixgbe_bifurc_att **attp)
{
	struct ixgbe_bifurc_att *att;
	struct user_struct *user;
	long err;

	lockdep_assert_held(&bdev->attach_lock);
	err = ixgbe_bifurc_charge_memlock(ixgbe_bifurc_att_pages(a), &user);
	if (err)
		return err;
	att = ixgbe_bifurc_att_alloc(bdev, a);
	if (!att) {
		ixgbe_bifurc_uncharge_memlock(user, ixgbe_bifurc_att_pages(a));
		return -ENOMEM;
	}
	att->user = user;
	att->locked_pages = ixgbe_bifurc_att_pages(a);
	err = ixgbe_bifurc_att_map(att, &bdev->adapter->pdev->dev);
	if (err)
		goto err_free;
	/*
	 * Nobody syncs what user space reads in raw mode: the device's DMA
	 * must be coherent and unbounced (known once everything is mapped).
	 */
	err = -EOPNOTSUPP;
	if (ixgbe_bifurc_raw(att) && dma_dev_need_sync(att->dma_dev))
		goto err_unmap;

	a->tx_desc = att->tx_ndesc;
	a->rx_headroom = 0;
	a->desc_format = BIFURC_DESC_FMT_NONE;
	if (ixgbe_bifurc_raw(att)) {
		a->desc_format = BIFURC_DESC_FMT_IXGBE_ADV;
		ixgbe_bifurc_region(&a->desc, IXGBE_BIFURC_R_DESC, att->raw_len,
				    att->rx_desc, false);
	}
	ixgbe_bifurc_region(&a->pool, IXGBE_BIFURC_R_POOL,
			    (size_t)att->nr_chunks << (PAGE_SHIFT + att->chunk_order),
			    0, true);
	ixgbe_bifurc_region(&a->fill, IXGBE_BIFURC_R_FILL, att->fill.len,
			    att->fill.size, true);
	ixgbe_bifurc_region(&a->comp, IXGBE_BIFURC_R_COMP, att->comp.len,
			    att->comp.size, true);
	ixgbe_bifurc_region(&a->counters, IXGBE_BIFURC_R_COUNTERS, att->cnt_len,
			    0, false);
	if (att->tx_ndesc) {
		ixgbe_bifurc_region(&a->tx, IXGBE_BIFURC_R_TX, att->tx.len,
				    att->tx.size, true);
		ixgbe_bifurc_region(&a->txc, IXGBE_BIFURC_R_TXC, att->txc.len,
				    att->txc.size, true);
	}
	*attp = att;
	return 0;

err_unmap:
	ixgbe_bifurc_att_unmap(att);
err_free:
	ixgbe_bifurc_att_free(att);
	return err;
}

/* Hands the queue to a built attachment; the rest of ATTACH under RTNL. */
static void ixgbe_bifurc_attach_commit(struct ixgbe_bifurc_file *bf,
				       struct ixgbe_bifurc_att *att)
{
	struct ixgbe_bifurc *bdev = bf->bdev;
	struct ixgbe_adapter *adapter = bdev->adapter;
	struct user_namespace *ns = dev_net(adapter->netdev)->user_ns;

	ASSERT_RTNL();
	att->privileged = ns_capable(ns, CAP_NET_ADMIN);
	att->owner_pid = get_pid(task_tgid(current));
	att->owner_uid = current_fsuid();
	get_task_comm(att->owner_comm, current);
	att->since = ktime_get_boottime_seconds();
	att->ring = adapter->rx_ring[att->queue];
	att->wq = &bf->wq;
	if (att->tx_ndesc) {
		att->tx_ring = adapter->tx_ring[att->queue];
		att->max_tx_frame = ixgbe_bifurc_max_tx_frame(adapter->netdev);
		att->tx_src_check = !ns_capable(ns, CAP_NET_RAW);
		att->port_lo = bdev->grant[att->queue].port_lo;
		att->port_hi = bdev->grant[att->queue].port_hi;
	}

	/* a statistics index of its own, so that QPRDC counts this queue */
	att->stat_idx = find_next_zero_bit(&bdev->stat_used, 16, 1);
	if (att->stat_idx < 16) {
		set_bit(att->stat_idx, &bdev->stat_used);
		ixgbe_update_stats(adapter);
		att->no_buf_base = adapter->stats.qprdc[att->stat_idx];
	} else {
		att->stat_idx = 0;
	}
	att->cnt->status = BIFURC_STATUS_ATTACHED;

	ixgbe_bifurc_attach_queue(att, adapter);
	/* publish: readers of bf->att see a complete attachment */
	smp_store_release(&bf->att, att);
	/* poll() said EPOLLERR until now; an edge-triggered waiter that
	 * joined before ATTACH must hear that it changed
	 */
	wake_up_all(&bf->wq);
	/* any user may attach again and again: not for the kernel log */
	netdev_dbg(adapter->netdev, "bifurc: queue %u attached%s%s%s\n",
		   att->queue, att->tx_ndesc ? " with TX" : "",
		   (att->flags & BIFURC_ATTACH_BUSY_POLL) ? " (busy poll)" : "",
		   ixgbe_bifurc_raw(att) ? " (raw descriptors)" : "");
}

/*
 * ATTACH in three steps: the adapter's checks under RTNL, the pool built
 * and mapped without it, and the checks again with the takeover under
 * RTNL.  attach_lock serialises ATTACHes of one adapter and keeps
 * ixgbe_bifurc_remove() out until the last step is over; it is not held
 * while the result is copied out (ixgbe_bifurc_ioctl()), so that a fault
 * there cannot hold up remove or another user's ATTACH either.
 */
static long ixgbe_bifurc_ioc_attach(struct ixgbe_bifurc_file *bf,
				    struct bifurc_attach *a)
{
	struct ixgbe_bifurc *bdev = bf->bdev;
	struct ixgbe_bifurc_att *att;
	long err;

	err = ixgbe_bifurc_check_attach(a);
	if (err)
		return err;
	/* the user-space reader's barriers are x86's (uapi section 5) */
	if ((a->flags & BIFURC_ATTACH_RAW_DESC) && !IS_ENABLED(CONFIG_X86))
		return -EOPNOTSUPP;
	if ((u64)a->buf_size * a->buf_count > IXGBE_BIFURC_MAX_POOL_BYTES)
		return -ENOMEM;

	if (mutex_lock_interruptible(&bdev->attach_lock))
		return -ERESTARTSYS;
	rtnl_lock();
	err = ixgbe_bifurc_attach_allowed(bf, a);
	rtnl_unlock();
	if (err)
		goto out;

	err = ixgbe_bifurc_attach_build(bdev, a, &att);
	if (err)
		goto out;

	rtnl_lock();
	err = ixgbe_bifurc_attach_allowed(bf, a);
	if (!err)
		ixgbe_bifurc_attach_commit(bf, att);
	rtnl_unlock();
	if (err) {
		ixgbe_bifurc_att_unmap(att);
		ixgbe_bifurc_att_free(att);
	}
out:
	mutex_unlock(&bdev->attach_lock);
	return err;
}

static long ixgbe_bifurc_ioc_info(struct ixgbe_bifurc_file *bf,
				  struct bifurc_info *i)
{
	struct ixgbe_bifurc *bdev = bf->bdev;
	struct ixgbe_adapter *adapter = bdev->adapter;
	struct net_device *netdev = adapter->netdev;
	u32 q;

	if (memchr_inv((u8 *)i + sizeof(i->size), 0,
		       sizeof(*i) - sizeof(i->size)))
		return -EINVAL;

	ASSERT_RTNL();
	i->abi_version = BIFURC_ABI_VERSION;
	i->flags = BIFURC_INFO_F_BUSY_POLL | BIFURC_INFO_F_TX |
		   BIFURC_INFO_F_TX_WAIT;
	if (IS_ENABLED(CONFIG_X86))
		i->flags |= BIFURC_INFO_F_RAW_DESC;
	if (ixgbe_bifurc_iommu(&adapter->pdev->dev))
		i->flags |= BIFURC_INFO_F_IOMMU;
	if (adapter->flags & IXGBE_FLAG_FDIR_PERFECT_CAPABLE)
		i->flags |= BIFURC_INFO_F_NTUPLE;
	i->ifindex = netdev->ifindex;
	i->num_rx_queues = adapter->num_rx_queues;
	i->num_tx_queues = adapter->num_tx_queues;
	i->min_rx_desc = IXGBE_BIFURC_MIN_RX_DESC;
	i->max_rx_desc = IXGBE_BIFURC_MAX_RX_DESC;
	i->max_ring_entries = IXGBE_BIFURC_MAX_RING;
	i->min_buf_size = IXGBE_BIFURC_MIN_BUF_SIZE;
	i->max_buf_size = IXGBE_BIFURC_MAX_BUF_SIZE;
	i->max_buf_count = IXGBE_BIFURC_MAX_BUF_COUNT;
	i->max_flows = IXGBE_BIFURC_MAX_FLOWS;
	i->max_tx_frame = ixgbe_bifurc_max_tx_frame(netdev);
	for (q = 0; q < adapter->num_rx_queues; q++) {
		if (!test_bit(q, bdev->reserved))
			continue;
		i->reserved_queues[q / 64] |= BIT_ULL(q % 64);
		if (bdev->att[q])
			i->attached_queues[q / 64] |= BIT_ULL(q % 64);
	}
	strscpy(i->ifname, netdev->name, sizeof(i->ifname));
	return 0;
}

static long ixgbe_bifurc_ioc_stats(struct ixgbe_bifurc_att *att,
				   struct bifurc_counters *c)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;

	if (memchr_inv((u8 *)c + sizeof(c->size), 0,
		       sizeof(*c) - sizeof(c->size)))
		return -EINVAL;

	ASSERT_RTNL();
	/*
	 * Refresh rx_no_buf from the queue's QPRDC (82599 8.2.3.23), but
	 * read the adapter's few hundred statistics registers at most every
	 * IXGBE_BIFURC_STATS_MS: any user may call STATS in a loop, and each
	 * sweep holds RTNL.
	 */
	if (time_after(jiffies, att->bdev->stats_jiffies +
		       msecs_to_jiffies(IXGBE_BIFURC_STATS_MS))) {
		ixgbe_update_stats(adapter);
		att->bdev->stats_jiffies = jiffies;
	}
	spin_lock_bh(&att->lock);
	WRITE_ONCE(att->cnt->rx_no_buf, ixgbe_bifurc_no_buf(att));
	*c = *att->cnt;
	spin_unlock_bh(&att->lock);
	return 0;
}

/* The file's attachment, or why there is none to use. */
static long ixgbe_bifurc_live_att(struct ixgbe_bifurc_file *bf,
				  struct ixgbe_bifurc_att **attp)
{
	struct ixgbe_bifurc_att *att = ixgbe_bifurc_file_att(bf);

	if (!att)
		return -ENOTCONN;
	if (READ_ONCE(att->dead))
		return READ_ONCE(att->dead);
	*attp = att;
	return 0;
}

/*
 * Steering a port takes what binding it takes: without CAP_NET_ADMIN a
 * rule must name one destination port, inside the ports of the queue's
 * grant if it names any (the administrator chose them, privileged ones
 * included), else one the caller could bind: below
 * ip_unprivileged_port_start only with CAP_NET_BIND_SERVICE.
 * ixgbe_bifurc_flow_add() then holds the port the way a bound socket
 * would (EADDRINUSE if a socket has it), so that a grantee cannot take a
 * service's traffic away from the stack.
 */
static int ixgbe_bifurc_may_steer(struct net *net,
				  const struct ixgbe_bifurc_grant *g,
				  const struct bifurc_flow_rule *r)
{
	u16 port = ntohs(r->value.dst_port);

	if (r->mask.dst_port != htons(0xffff))
		return -EACCES;
	if (g->port_lo)
		return port >= g->port_lo && port <= g->port_hi ? 0 : -EACCES;
	if (inet_port_requires_bind_service(net, port) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;
	return 0;
}

static long ixgbe_bifurc_ioc_flow(struct ixgbe_bifurc_file *bf,
				  unsigned int nr, union ixgbe_bifurc_req *u)
{
	struct ixgbe_bifurc_att *att;
	struct net *net;
	bool admin;
	long err;

	switch (nr) {
	case _IOC_NR(BIFURC_IOC_FLOW_ADD):
		if (u->add.rule_id)
			return -EINVAL;
		break;
	case _IOC_NR(BIFURC_IOC_FLOW_DEL):
		if (memchr_inv(u->del.reserved, 0, sizeof(u->del.reserved)))
			return -EINVAL;
		break;
	default:
		if (memchr_inv((u8 *)&u->mask + sizeof(u->mask.size), 0,
			       sizeof(u->mask) - sizeof(u->mask.size)))
			return -EINVAL;
		break;
	}

	ASSERT_RTNL();
	err = ixgbe_bifurc_live_att(bf, &att);
	if (err)
		return err;

	switch (nr) {
	case _IOC_NR(BIFURC_IOC_FLOW_ADD):
		net = dev_net(att->bdev->adapter->netdev);
		admin = ns_capable(net->user_ns, CAP_NET_ADMIN);
		if (!admin)
			err = ixgbe_bifurc_may_steer(net,
						     &att->bdev->grant[att->queue],
						     &u->add);
		if (!err)
			err = ixgbe_bifurc_flow_add(att, &u->add, !admin);
		return err;
	case _IOC_NR(BIFURC_IOC_FLOW_DEL):
		return ixgbe_bifurc_flow_del(att, u->del.rule_id);
	default:
		ixgbe_bifurc_flow_mask(att, &u->mask);
		return 0;
	}
}

static long ixgbe_bifurc_ioc_kick(struct ixgbe_bifurc_file *bf,
				  void __user *arg)
{
	struct ixgbe_bifurc_att *att;
	struct bifurc_kick k;
	long err;

	err = ixgbe_bifurc_copy_in(&k, sizeof(k), arg, BIFURC_KICK_SIZE_VER0);
	if (err)
		return err;
	if (memchr_inv(&k.rx_refilled, 0,
		       sizeof(k) - offsetof(struct bifurc_kick, rx_refilled)))
		return -EINVAL;
	if (!k.flags || (k.flags & ~BIFURC_KICK_FLAGS_ALL))
		return -EINVAL;
	att = ixgbe_bifurc_file_att(bf);
	if (!att)
		return -ENOTCONN;
	if ((k.flags & (BIFURC_KICK_TX_SUBMIT | BIFURC_KICK_TX_RECLAIM)) &&
	    !(att->flags & BIFURC_ATTACH_TX))
		return -EOPNOTSUPP;
	err = ixgbe_bifurc_kick(att, &k);
	if (err)
		return err;
	return ixgbe_bifurc_copy_out(arg, &k, sizeof(k));
}

static const struct ixgbe_bifurc_cmd {
	unsigned int cmd;
	u32 size_ver0;
	u32 ksize;
} ixgbe_bifurc_cmds[] = {	/* in _IOC_NR() order */
	{ BIFURC_IOC_INFO, BIFURC_INFO_SIZE_VER0, sizeof(struct bifurc_info) },
	{ BIFURC_IOC_ATTACH, BIFURC_ATTACH_SIZE_VER0,
	  sizeof(struct bifurc_attach) },
	{ BIFURC_IOC_KICK, BIFURC_KICK_SIZE_VER0, sizeof(struct bifurc_kick) },
	{ BIFURC_IOC_FLOW_ADD, BIFURC_FLOW_RULE_SIZE_VER0,
	  sizeof(struct bifurc_flow_rule) },
	{ BIFURC_IOC_FLOW_DEL, BIFURC_FLOW_DEL_SIZE_VER0,
	  sizeof(struct bifurc_flow_del) },
	{ BIFURC_IOC_FLOW_MASK, BIFURC_FLOW_MASK_SIZE_VER0,
	  sizeof(struct bifurc_flow_mask) },
	{ BIFURC_IOC_STATS, BIFURC_COUNTERS_SIZE_VER0,
	  sizeof(struct bifurc_counters) },
};

/*
 * The command @cmd names, if it is one as <linux/bifurc.h> defines it but
 * for its size: a header of another version encodes another sizeof(), at
 * least the first one's (uapi section 2).
 */
static const struct ixgbe_bifurc_cmd *ixgbe_bifurc_cmd(unsigned int cmd)
{
	unsigned int nr = _IOC_NR(cmd);
	const struct ixgbe_bifurc_cmd *c;

	if (_IOC_TYPE(cmd) != BIFURC_IOC_TYPE ||
	    nr >= ARRAY_SIZE(ixgbe_bifurc_cmds))
		return NULL;
	c = &ixgbe_bifurc_cmds[nr];
	if (_IOC_NR(c->cmd) != nr || _IOC_DIR(cmd) != _IOC_DIR(c->cmd) ||
	    _IOC_SIZE(cmd) < c->size_ver0)
		return NULL;
	return c;
}

/*
 * Configuration runs under RTNL; the user memory of its argument is read
 * before and written after, so that a fault on it (a page of a FUSE file,
 * say) cannot hold RTNL for as long as a user likes.
 */
/*
 * A result that did not reach user space: what its owner cannot know of
 * (a rule whose id, an attachment whose regions it never learnt) is taken
 * back.  The file of such an attachment stays detached, ENOTCONN.
 */
static void ixgbe_bifurc_undo(struct ixgbe_bifurc_file *bf, unsigned int nr,
			      const union ixgbe_bifurc_req *req)
{
	struct ixgbe_bifurc_att *att;

	rtnl_lock();
	if (!ixgbe_bifurc_live_att(bf, &att)) {
		if (nr == _IOC_NR(BIFURC_IOC_ATTACH))
			ixgbe_bifurc_detach(att, -ENOTCONN);
		else if (nr == _IOC_NR(BIFURC_IOC_FLOW_ADD))
			ixgbe_bifurc_flow_del(att, req->add.rule_id);
	}
	rtnl_unlock();
}

static long ixgbe_bifurc_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	const struct ixgbe_bifurc_cmd *c = ixgbe_bifurc_cmd(cmd);
	struct ixgbe_bifurc_file *bf = file->private_data;
	void __user *uarg = (void __user *)arg;
	unsigned int nr = _IOC_NR(cmd);
	struct ixgbe_bifurc_att *att;
	union ixgbe_bifurc_req req;
	long err;

	if (!c)
		return -ENOTTY;
	if (!READ_ONCE(bf->bdev->adapter))
		return -ENODEV;

	/* the data path: no RTNL */
	if (nr == _IOC_NR(BIFURC_IOC_KICK))
		return ixgbe_bifurc_ioc_kick(bf, uarg);

	err = ixgbe_bifurc_copy_in(&req, c->ksize, uarg, c->size_ver0);
	if (err)
		return err;
	if (nr == _IOC_NR(BIFURC_IOC_ATTACH)) {
		err = ixgbe_bifurc_ioc_attach(bf, &req.attach);
		goto copy_out;
	}

	rtnl_lock();
	if (!bf->bdev->adapter) {
		err = -ENODEV;
		goto out;
	}
	switch (nr) {
	case _IOC_NR(BIFURC_IOC_INFO):
		err = ixgbe_bifurc_ioc_info(bf, &req.info);
		break;
	case _IOC_NR(BIFURC_IOC_FLOW_ADD):
	case _IOC_NR(BIFURC_IOC_FLOW_DEL):
	case _IOC_NR(BIFURC_IOC_FLOW_MASK):
		err = ixgbe_bifurc_ioc_flow(bf, nr, &req);
		break;
	default:
		err = ixgbe_bifurc_live_att(bf, &att);
		if (!err)
			err = ixgbe_bifurc_ioc_stats(att, &req.stats);
		break;
	}
out:
	rtnl_unlock();
copy_out:
	if (err || !(_IOC_DIR(cmd) & _IOC_READ))
		return err;
	err = ixgbe_bifurc_copy_out(uarg, &req, c->ksize);
	if (err)
		ixgbe_bifurc_undo(bf, nr, &req);
	return err;
}

static int ixgbe_bifurc_open(struct inode *inode, struct file *file)
{
	struct ixgbe_bifurc *bdev = container_of(inode->i_cdev,
						 struct ixgbe_bifurc, cdev);
	struct ixgbe_bifurc_file *bf;

	if (!READ_ONCE(bdev->adapter))
		return -ENODEV;
	bf = kzalloc(sizeof(*bf), GFP_KERNEL);
	if (!bf)
		return -ENOMEM;
	bf->bdev = bdev;
	init_waitqueue_head(&bf->wq);
	file->private_data = bf;
	return nonseekable_open(inode, file);
}

/*
 * Last reference gone: the descriptor and every mapping (a mapping holds
 * the file), so no page is mapped any more and everything can be freed.
 */
static int ixgbe_bifurc_file_release(struct inode *inode, struct file *file)
{
	struct ixgbe_bifurc_file *bf = file->private_data;
	struct ixgbe_bifurc_att *att = bf->att;

	if (att) {
		rtnl_lock();
		if (!att->dead)
			ixgbe_bifurc_detach(att, -ENOTCONN);
		/* a stray is freed by the reset that stops its queue */
		att->orphan = !list_empty(&att->stray);
		rtnl_unlock();
		if (!att->orphan)
			ixgbe_bifurc_att_free(att);
	}
	kfree(bf);
	return 0;
}

static __poll_t ixgbe_bifurc_poll(struct file *file, poll_table *wait)
{
	struct ixgbe_bifurc_file *bf = file->private_data;
	struct ixgbe_bifurc_att *att = ixgbe_bifurc_file_att(bf);

	/* first, whatever the state: epoll registers here only once */
	poll_wait(file, &bf->wq, wait);
	if (!READ_ONCE(bf->bdev->adapter))
		return EPOLLERR | EPOLLHUP;
	if (!att)
		return EPOLLERR;
	return ixgbe_bifurc_poll_att(att);
}

static int ixgbe_bifurc_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ixgbe_bifurc_file *bf = file->private_data;
	struct ixgbe_bifurc_att *att = ixgbe_bifurc_file_att(bf);
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	size_t len = vma->vm_end - vma->vm_start;
	struct page **pages = NULL;
	unsigned long nr;
	bool writable;
	size_t want;
	void *mem;
	int idx;

	if (!att)
		return READ_ONCE(bf->bdev->adapter) ? -EINVAL : -ENODEV;
	if (READ_ONCE(att->dead))
		return READ_ONCE(att->dead);
	if (off & (BIT_ULL(IXGBE_BIFURC_REGION_SHIFT) - 1))
		return -EINVAL;
	idx = (off >> IXGBE_BIFURC_REGION_SHIFT) - 1;

	switch (idx) {
	case IXGBE_BIFURC_R_POOL:
		want = (size_t)att->nr_chunks << (PAGE_SHIFT + att->chunk_order);
		mem = NULL;
		pages = att->pages;
		writable = true;
		break;
	case IXGBE_BIFURC_R_FILL:
		want = att->fill.len;
		mem = att->fill.hdr;
		writable = true;
		break;
	case IXGBE_BIFURC_R_COMP:
		want = att->comp.len;
		mem = att->comp.hdr;
		writable = true;
		break;
	case IXGBE_BIFURC_R_COUNTERS:
		want = att->cnt_len;
		mem = att->cnt;
		writable = false;
		break;
	case IXGBE_BIFURC_R_TX:
		want = att->tx.len;
		mem = att->tx.hdr;
		writable = true;
		break;
	case IXGBE_BIFURC_R_TXC:
		want = att->txc.len;
		mem = att->txc.hdr;
		writable = true;
		break;
	case IXGBE_BIFURC_R_DESC:
		want = att->raw_len;
		mem = NULL;
		pages = att->raw_pages;
		writable = false;
		break;
	default:
		return -EINVAL;
	}
	if (!want || len != want || !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (!writable) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vm_flags_clear(vma, VM_MAYWRITE);
	}
	vm_flags_set(vma, VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP);

	if (mem)
		return remap_vmalloc_range(vma, mem, 0);
	nr = len >> PAGE_SHIFT;
	return vm_insert_pages(vma, vma->vm_start, pages, &nr);
}

static const struct file_operations ixgbe_bifurc_fops = {
	.owner = THIS_MODULE,
	.open = ixgbe_bifurc_open,
	.release = ixgbe_bifurc_file_release,
	.unlocked_ioctl = ixgbe_bifurc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = ixgbe_bifurc_mmap,
	.poll = ixgbe_bifurc_poll,
};

/* ------------------------------------------------------------------ */
/* ethtool -S                                                           */

/**
 * ixgbe_bifurc_get_sset_count - number of bifurc counters in ethtool -S
 * @adapter: the adapter
 *
 * Context: process context, RTNL held (so the count cannot change between
 * this call and ixgbe_bifurc_get_strings()/ixgbe_bifurc_get_ethtool_stats()).
 * Return: IXGBE_BIFURC_QUEUE_STATS per reserved queue.
 */
int ixgbe_bifurc_get_sset_count(struct ixgbe_adapter *adapter)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);
	u32 q, n = 0;

	if (!bdev)
		return 0;
	for (q = 0; q < adapter->num_rx_queues; q++)
		n += test_bit(q, bdev->reserved);
	return n * IXGBE_BIFURC_QUEUE_STATS;
}

/**
 * ixgbe_bifurc_get_strings - names of the bifurc counters in ethtool -S
 * @adapter: the adapter
 * @p: string cursor, advanced past the names written
 *
 * Context: process context, RTNL held.
 */
void ixgbe_bifurc_get_strings(struct ixgbe_adapter *adapter, u8 **p)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);
	u32 q;

	if (!bdev)
		return;
	for (q = 0; q < adapter->num_rx_queues; q++) {
		if (!test_bit(q, bdev->reserved))
			continue;
		ethtool_sprintf(p, "bifurc_q%u_rx_packets", q);
		ethtool_sprintf(p, "bifurc_q%u_rx_bytes", q);
		ethtool_sprintf(p, "bifurc_q%u_rx_no_buf", q);
		ethtool_sprintf(p, "bifurc_q%u_rx_bad_id", q);
		ethtool_sprintf(p, "bifurc_q%u_kicks", q);
		ethtool_sprintf(p, "bifurc_q%u_tx_packets", q);
		ethtool_sprintf(p, "bifurc_q%u_tx_bytes", q);
		ethtool_sprintf(p, "bifurc_q%u_tx_bad_id", q);
		ethtool_sprintf(p, "bifurc_q%u_tx_bad_frame", q);
		ethtool_sprintf(p, "bifurc_q%u_mirrored", q);
	}
}

/**
 * ixgbe_bifurc_get_ethtool_stats - values of the bifurc counters
 * @adapter: the adapter; ixgbe_update_stats() just ran
 * @data: where the first value goes
 *
 * Each reserved queue reports the totals of its past attachments plus the
 * live counters of the current one.
 *
 * Context: process context, RTNL held.
 */
void ixgbe_bifurc_get_ethtool_stats(struct ixgbe_adapter *adapter, u64 *data)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);
	struct ixgbe_bifurc_totals t;
	struct ixgbe_bifurc_att *att;
	u32 q;

	if (!bdev)
		return;
	ASSERT_RTNL();
	for (q = 0; q < adapter->num_rx_queues; q++) {
		if (!test_bit(q, bdev->reserved))
			continue;
		t = bdev->totals[q];
		att = bdev->att[q];
		if (att) {
			t.rx_packets += READ_ONCE(att->cnt->rx_packets);
			t.rx_bytes += READ_ONCE(att->cnt->rx_bytes);
			t.rx_no_buf += ixgbe_bifurc_no_buf(att);
			t.rx_bad_id += READ_ONCE(att->cnt->rx_bad_id);
			t.kicks += READ_ONCE(att->cnt->kicks);
			t.tx_packets += READ_ONCE(att->cnt->tx_packets);
			t.tx_bytes += READ_ONCE(att->cnt->tx_bytes);
			t.tx_bad_id += READ_ONCE(att->cnt->tx_bad_id);
			t.tx_bad_frame += READ_ONCE(att->cnt->tx_bad_frame);
			t.mirrored += READ_ONCE(att->mirrored);
		}
		*data++ = t.rx_packets;
		*data++ = t.rx_bytes;
		*data++ = t.rx_no_buf;
		*data++ = t.rx_bad_id;
		*data++ = t.kicks;
		*data++ = t.tx_packets;
		*data++ = t.tx_bytes;
		*data++ = t.tx_bad_id;
		*data++ = t.tx_bad_frame;
		*data++ = t.mirrored;
	}
}

/* ------------------------------------------------------------------ */
/* Adapter and module lifetime                                          */

static char *ixgbe_bifurc_devnode(const struct device *dev, umode_t *mode)
{
	/* root:root 0600; a udev rule or "bifurcctl grant" opens it up */
	if (mode)
		*mode = 0600;
	return kasprintf(GFP_KERNEL, BIFURC_DEV_DIR "/%s",
			 dev_name(dev) + strlen(BIFURC_DEV_PREFIX));
}

static const struct class ixgbe_bifurc_class = {
	.name = BIFURC_CLASS_NAME,
	.devnode = ixgbe_bifurc_devnode,
};

static void ixgbe_bifurc_dev_release(struct device *dev)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_from_dev(dev);

	ida_free(&ixgbe_bifurc_minors, MINOR(dev->devt));
	mutex_destroy(&bdev->attach_lock);
	kfree(bdev);
}

/**
 * ixgbe_bifurc_probe - create the adapter's bifurc character device
 * @adapter: the adapter, its netdev registered
 *
 * Failure is logged and leaves the adapter without bifurc; the netdev
 * works as usual.
 *
 * Context: process context (PCI probe), may sleep.
 */
void ixgbe_bifurc_probe(struct ixgbe_adapter *adapter)
{
	struct pci_dev *pdev = adapter->pdev;
	struct ixgbe_bifurc *bdev;
	int minor, err;

	if (adapter->hw.mac.type != ixgbe_mac_82599EB)
		return;
	minor = ida_alloc_max(&ixgbe_bifurc_minors, IXGBE_BIFURC_MINORS - 1,
			      GFP_KERNEL);
	if (minor < 0) {
		err = minor;
		goto err_out;
	}
	bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);
	if (!bdev) {
		ida_free(&ixgbe_bifurc_minors, minor);
		err = -ENOMEM;
		goto err_out;
	}
	bdev->adapter = adapter;
	INIT_LIST_HEAD(&bdev->stray);
	spin_lock_init(&bdev->srrctl_lock);
	mutex_init(&bdev->attach_lock);
	device_initialize(&bdev->dev);
	bdev->dev.class = &ixgbe_bifurc_class;
	bdev->dev.parent = &pdev->dev;
	bdev->dev.devt = MKDEV(MAJOR(ixgbe_bifurc_devt), minor);
	bdev->dev.groups = ixgbe_bifurc_groups;
	bdev->dev.release = ixgbe_bifurc_dev_release;
	cdev_init(&bdev->cdev, &ixgbe_bifurc_fops);
	bdev->cdev.owner = THIS_MODULE;
	err = dev_set_name(&bdev->dev, BIFURC_DEV_PREFIX "%s", pci_name(pdev));
	if (!err)
		err = cdev_device_add(&bdev->cdev, &bdev->dev);
	if (err) {
		put_device(&bdev->dev);
		goto err_out;
	}
	WRITE_ONCE(adapter->bifurc, bdev);
	return;

err_out:
	dev_warn(&pdev->dev, "bifurc: no character device (%d)\n", err);
}

/**
 * ixgbe_bifurc_remove - the PCI device goes away: end every attachment
 * @adapter: the adapter, still registered and possibly running
 *
 * Attachments stop with ENODEV; open files stay valid (they pin the
 * structure through the cdev) and every later call fails with ENODEV.
 *
 * Context: process context (PCI remove), RTNL not held, may sleep.
 */
void ixgbe_bifurc_remove(struct ixgbe_adapter *adapter)
{
	struct ixgbe_bifurc *bdev = ixgbe_bifurc_of(adapter);
	u32 q;

	if (!bdev)
		return;
	/* an ATTACH building a pool maps it for this device: let it finish */
	mutex_lock(&bdev->attach_lock);
	rtnl_lock();
	for (q = 0; q < BIFURC_MAX_QUEUES; q++)
		if (bdev->att[q])
			ixgbe_bifurc_detach(bdev->att[q], -ENODEV);
	/* a queue that did not stop: reset now, the service task is ending */
	if (!list_empty(&bdev->stray)) {
		clear_bit(__IXGBE_RESET_REQUESTED, &adapter->state);
		ixgbe_reinit_locked(adapter);
	}
	bitmap_zero(bdev->reserved, BIFURC_MAX_QUEUES);
	bitmap_zero(bdev->mirror, BIFURC_MAX_QUEUES);
	WRITE_ONCE(bdev->adapter, NULL);
	WRITE_ONCE(adapter->bifurc, NULL);
	rtnl_unlock();
	mutex_unlock(&bdev->attach_lock);
	/* the TX path and NAPI may still hold the old pointer */
	synchronize_net();

	cdev_device_del(&bdev->cdev, &bdev->dev);
	put_device(&bdev->dev);
}

/**
 * ixgbe_bifurc_init - register the bifurc class and character device region
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int ixgbe_bifurc_init(void)
{
	int err;

	ixgbe_bifurc_init_luts();
	err = alloc_chrdev_region(&ixgbe_bifurc_devt, 0, IXGBE_BIFURC_MINORS,
				  BIFURC_CLASS_NAME);
	if (err)
		return err;
	err = class_register(&ixgbe_bifurc_class);
	if (err)
		unregister_chrdev_region(ixgbe_bifurc_devt,
					 IXGBE_BIFURC_MINORS);
	return err;
}

/**
 * ixgbe_bifurc_exit - undo ixgbe_bifurc_init()
 *
 * Context: module exit, after every adapter was removed.
 */
void ixgbe_bifurc_exit(void)
{
	class_unregister(&ixgbe_bifurc_class);
	unregister_chrdev_region(ixgbe_bifurc_devt, IXGBE_BIFURC_MINORS);
	ida_destroy(&ixgbe_bifurc_minors);
}
