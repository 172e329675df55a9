// SPDX-License-Identifier: GPL-2.0
/* Copyright(c) 2026 The bifurc authors. */

/*
 * bifurc transmit: the TX queue with the index of an attached RX queue,
 * driven from the file's tx ring (uapi section 4a).  The stack never
 * selects a reserved queue (ixgbe_bifurc_select_queue()), so the queue is
 * the file's alone and the stack's own traffic never waits behind it.
 *
 * The NIC ring follows 82599 7.2.2 and 7.2.3: software owns the
 * descriptors from TDT up to TDH, the NIC those from TDH up to TDT; one
 * slot stays empty so that TDT == TDH means "nothing to send".  Every
 * descriptor carries one buffer; the last one of a frame has RS set and
 * the NIC writes DD back into it when the whole frame has left
 * (7.2.3.5.1), which is when the frame's buffers go back to user space.
 *
 *   tx_clean            tx_next
 *      |  owned by NIC    |   free (kernel)   |
 *
 * Callers: NAPI (the queue's vector, interrupt mode), BIFURC_IOC_KICK and
 * poll(), all under ixgbe_bifurc_att::lock.
 */

#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/iopoll.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/unaligned.h>
#include <net/ip.h>
#include <net/addrconf.h>

#include "ixgbe.h"
#include "ixgbe_bifurc.h"

/**
 * ixgbe_bifurc_parse_tx_source - who a frame claims to be
 * @hdr: the frame's first bytes, a kernel copy
 * @len: bytes in @hdr
 * @src: filled in on success
 *
 * Only an untagged IPv4 or IPv6 frame carrying UDP or TCP, with every
 * header up to the source port inside @hdr, has a source that can be
 * checked: no IPv6 extension header, no IPv4 fragment but the first.
 *
 * Context: any.
 * Return: 0, or -EINVAL for any other frame.
 */
int ixgbe_bifurc_parse_tx_source(const u8 *hdr, u32 len,
				 struct ixgbe_bifurc_tx_source *src)
{
	const struct ethhdr *eth = (const struct ethhdr *)hdr;
	const struct ipv6hdr *ip6;
	const struct iphdr *ip;
	u32 l4;
	u8 proto;

	if (len < ETH_HLEN)
		return -EINVAL;
	memset(src, 0, sizeof(*src));
	ether_addr_copy(src->mac, eth->h_source);
	switch (eth->h_proto) {
	case htons(ETH_P_IP):
		ip = (const struct iphdr *)(hdr + ETH_HLEN);
		if (len < ETH_HLEN + sizeof(*ip) || ip->version != 4 ||
		    ip->ihl < 5 || (ip->frag_off & htons(IP_OFFSET)))
			return -EINVAL;
		src->family = AF_INET;
		memcpy(src->addr, &ip->saddr, sizeof(ip->saddr));
		proto = ip->protocol;
		l4 = ETH_HLEN + ip->ihl * 4;
		break;
	case htons(ETH_P_IPV6):
		ip6 = (const struct ipv6hdr *)(hdr + ETH_HLEN);
		if (len < ETH_HLEN + sizeof(*ip6) || ip6->version != 6)
			return -EINVAL;
		src->family = AF_INET6;
		memcpy(src->addr, &ip6->saddr, sizeof(ip6->saddr));
		proto = ip6->nexthdr;
		l4 = ETH_HLEN + sizeof(*ip6);
		break;
	default:
		return -EINVAL;
	}
	if ((proto != IPPROTO_UDP && proto != IPPROTO_TCP) || len < l4 + 4)
		return -EINVAL;
	src->port = get_unaligned_be16(hdr + l4);
	return 0;
}

/* An address of @netdev?  IPv6 only where the driver can reach IPv6. */
static bool ixgbe_bifurc_local_addr(struct net_device *netdev,
				    const struct ixgbe_bifurc_tx_source *src)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	bool found = false;

	if (src->family == AF_INET6)
		return IS_REACHABLE(CONFIG_IPV6) &&
		       ipv6_chk_addr(dev_net(netdev),
				     (const struct in6_addr *)src->addr,
				     netdev, 0);
	rcu_read_lock();
	in_dev = __in_dev_get_rcu(netdev);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (ifa->ifa_local == src->addr[0]) {
				found = true;
				break;
			}
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * The kernel's copy of the headers of the frame that starts at the next
 * descriptor slot (the one ixgbe_bifurc_tx_post() sends), or NULL when the
 * file's frames are not checked.
 */
static u8 *ixgbe_bifurc_tx_hdr(const struct ixgbe_bifurc_att *att)
{
	if (!att->tx_src_check)
		return NULL;
	return att->tx_hdr + (size_t)(att->tx_next & (att->tx_ndesc - 1)) *
			     IXGBE_BIFURC_TX_HDR;
}

/*
 * Without CAP_NET_RAW a file sends only as itself (uapi section 4a): the
 * port's MAC, an address of the interface, a source port of its grant or,
 * without a port range, of its own rules.  The check runs on a kernel
 * copy of the headers, in the TX descriptor slot the frame starts at, and
 * that copy is what the NIC sends: user space cannot change the headers
 * between the check and the DMA.
 */
static bool ixgbe_bifurc_tx_source_ok(struct ixgbe_bifurc_att *att,
				      const struct bifurc_tx_entry *e)
{
	struct net_device *netdev = att->bdev->adapter->netdev;
	u32 len = min_t(u32, e->len, IXGBE_BIFURC_TX_HDR);
	u8 *hdr = ixgbe_bifurc_tx_hdr(att);
	struct ixgbe_bifurc_tx_source src;
	u32 i;

	memcpy(hdr, ixgbe_bifurc_buf_va(att, e->buf) + e->offset, len);

	if (ixgbe_bifurc_parse_tx_source(hdr, len, &src) ||
	    !ether_addr_equal(src.mac, netdev->dev_addr))
		return false;
	if (att->port_lo) {
		if (src.port < att->port_lo || src.port > att->port_hi)
			return false;
	} else {
		for (i = 0; i < att->nr_held; i++)
			if (att->held[i].port == src.port)
				break;
		if (i == att->nr_held)
			return false;
	}
	return ixgbe_bifurc_local_addr(netdev, &src);
}

/* Hands a buffer id back to user space through the txc ring. */
static void ixgbe_bifurc_txc_put(struct ixgbe_bifurc_att *att, u32 entry)
{
	struct ixgbe_bifurc_uring *txc = &att->txc;
	u32 *ids = txc->entries;

	att->owner[entry & BIFURC_TXC_ID_MASK] = IXGBE_BIFURC_BUF_USER;
	ids[txc->kidx & (txc->size - 1)] = entry;
	txc->kidx++;
}

/*
 * Room in the txc ring for buffers not yet handed back: every buffer on
 * the NIC will need a txc slot, so they count as used already.  Returns
 * false on a user consumer index that claims too much (a ring error).
 */
static bool ixgbe_bifurc_txc_room(struct ixgbe_bifurc_att *att, u32 *room)
{
	struct ixgbe_bifurc_uring *txc = &att->txc;
	u32 ucons, used;

	/* pairs with the user's store-release of the consumer index */
	ucons = smp_load_acquire(&txc->hdr->consumer);
	if (!ixgbe_bifurc_ring_used(txc->kidx, ucons, txc->size, &used)) {
		ixgbe_bifurc_add(&att->cnt->tx_ring_err, 1);
		return false;
	}
	used += att->tx_next - att->tx_clean;
	*room = used < txc->size ? txc->size - used : 0;
	return true;
}

/* A frame whose TX never completes: report and reset, as ixgbe does. */
static void ixgbe_bifurc_tx_hang(struct ixgbe_bifurc_att *att)
{
	struct ixgbe_adapter *adapter = READ_ONCE(att->bdev->adapter);
	struct ixgbe_hw *hw;
	u8 reg_idx;

	if (!adapter || att->tx_hung)
		return;
	hw = &adapter->hw;
	reg_idx = att->tx_ring->reg_idx;
	att->tx_hung = true;
	netdev_err(adapter->netdev,
		   "bifurc: queue %u TX hang: TDH %u TDT %u, tx_clean %u tx_next %u; resetting the adapter\n",
		   att->queue, IXGBE_READ_REG(hw, IXGBE_TDH(reg_idx)),
		   IXGBE_READ_REG(hw, IXGBE_TDT(reg_idx)),
		   att->tx_clean, att->tx_next);
	/* the reset path of ixgbe_tx_timeout_reset(): outside softirq */
	adapter->tx_timeout_count++;
	set_bit(__IXGBE_RESET_REQUESTED, &adapter->state);
	ixgbe_service_event_schedule(adapter);
}

/*
 * The adapter's watchdog sets the ring's hang check flag about every two
 * seconds and fires the queue's interrupt (ixgbe_check_hang_subtask());
 * no completion between two checks with frames in flight is a hang, the
 * rule of ixgbe_check_tx_hang().
 */
static void ixgbe_bifurc_tx_check_hang(struct ixgbe_bifurc_att *att)
{
	struct ixgbe_ring *ring = att->tx_ring;

	if (!check_for_tx_hang(ring))
		return;
	clear_check_for_tx_hang(ring);
	if (att->tx_clean == att->tx_next || att->tx_clean != att->tx_clean_seen) {
		att->tx_clean_seen = att->tx_clean;
		clear_bit(__IXGBE_HANG_CHECK_ARMED, &ring->state);
		return;
	}
	if (test_and_set_bit(__IXGBE_HANG_CHECK_ARMED, &ring->state))
		ixgbe_bifurc_tx_hang(att);
}

/**
 * ixgbe_bifurc_tx_reclaim - sent frames back to user space
 * @att: a live attachment with TX, lock held
 * @done: out, buffers handed back
 *
 * Walks whole frames from tx_clean; a frame is done when the NIC wrote DD
 * into its last descriptor (82599 7.2.3.5.1).  The txc ring always has a
 * slot for each buffer (ixgbe_bifurc_tx_submit() took no more), unless
 * user space moved its consumer index backwards: then the pass stops and
 * counts a ring error.
 *
 * Context: NAPI or process context, @att->lock held.
 */
void ixgbe_bifurc_tx_reclaim(struct ixgbe_bifurc_att *att, u32 *done)
{
	/*
	 * In locals: the owner[] stores may alias any field of @att (u8),
	 * which the compiler would then load again for every buffer.
	 */
	const struct ixgbe_bifurc_txslot *slots = att->tx_slot, *s;
	u32 mask = att->tx_ndesc - 1, clean = att->tx_clean;
	u32 *ids = att->txc.entries, kidx = att->txc.kidx;
	u32 next = att->tx_next, txc_mask = att->txc.size - 1;
	u32 room, end, i, frames = 0;
	u8 *owner = att->owner;
	u64 bytes = 0;

	lockdep_assert_held(&att->lock);
	*done = 0;
	if (!ixgbe_bifurc_txc_room(att, &room))
		return;

	while (clean != next) {
		/* frames are posted whole, so an end exists before tx_next */
		for (end = clean; !slots[end & mask].eop; end++)
			;
		if (!(READ_ONCE(att->txd[end & mask].wb.status) &
		      cpu_to_le32(IXGBE_TXD_STAT_DD)))
			break;
		for (i = clean; i != end + 1; i++) {
			s = &slots[i & mask];
			bytes += s->len;
			if (s->no_id)
				continue;
			/* ixgbe_bifurc_txc_put(), on the locals */
			owner[s->id] = IXGBE_BIFURC_BUF_USER;
			ids[kidx++ & txc_mask] = s->id;
		}
		frames++;
		clean = end + 1;
	}
	*done = kidx - att->txc.kidx;
	att->txc.kidx = kidx;
	att->tx_clean = clean;
	if (frames) {
		ixgbe_bifurc_add(&att->cnt->tx_packets, frames);
		ixgbe_bifurc_add(&att->cnt->tx_bytes, bytes);
		/* the interface's view, as for RX (ixgbe_bifurc_count_rx()) */
		u64_stats_update_begin(&att->tx_ring->syncp);
		att->tx_ring->stats.packets += frames;
		att->tx_ring->stats.bytes += bytes;
		u64_stats_update_end(&att->tx_ring->syncp);
	}
	ixgbe_bifurc_tx_check_hang(att);

	/* ids before index: pairs with the user's load-acquire */
	smp_store_release(&att->txc.hdr->producer, att->txc.kidx);
}

/*
 * Copies the next frame from the tx ring into @e.  Returns its number of
 * entries; 0 when its last entry is not produced yet.  A chain that is
 * still MORE after BIFURC_TX_MAX_FRAGS entries is returned as those
 * entries: the frame check refuses it, and @att->tx_discard refuses the
 * rest of the chain.  While discarding, each entry is a "frame" of one.
 */
static u32 ixgbe_bifurc_tx_peek(struct ixgbe_bifurc_att *att, u32 avail,
				struct bifurc_tx_entry *e)
{
	const struct bifurc_tx_entry *ring = att->tx.entries;
	u32 max = att->tx_discard ? 1 : BIFURC_TX_MAX_FRAGS;
	u32 n;

	for (n = 0; n < avail && n < max; n++) {
		/* one copy: user space may change the entry under us */
		memcpy(&e[n], &ring[(att->tx.kidx + n) & (att->tx.size - 1)],
		       sizeof(e[n]));
		if (!(e[n].flags & BIFURC_TX_F_MORE))
			return n + 1;
	}
	return n == max ? n : 0;
}

/* One advanced data descriptor (82599 7.2.3.2.4) and its slot. */
static void ixgbe_bifurc_tx_desc(union ixgbe_adv_tx_desc *txd,
				 struct ixgbe_bifurc_txslot *s, dma_addr_t dma,
				 u32 len, u32 total, u32 id, bool no_id,
				 bool eop)
{
	u32 cmd = IXGBE_ADVTXD_DTYP_DATA | IXGBE_ADVTXD_DCMD_DEXT |
		  IXGBE_ADVTXD_DCMD_IFCS | len;

	if (eop)
		cmd |= IXGBE_ADVTXD_DCMD_EOP | IXGBE_ADVTXD_DCMD_RS;
	*s = (struct ixgbe_bifurc_txslot){
		.id = id,
		.len = len,
		.eop = eop,
		.no_id = no_id,
	};
	txd->read.buffer_addr = cpu_to_le64(dma);
	txd->read.cmd_type_len = cpu_to_le32(cmd);
	/* PAYLEN: the whole frame, no offload context */
	txd->read.olinfo_status = cpu_to_le32(total << IXGBE_ADVTXD_PAYLEN_SHIFT);
}

/*
 * Writes one validated frame.  With a source check its headers go out
 * from the kernel's checked copy (ixgbe_bifurc_tx_source_ok()), the rest
 * of the first entry from the buffer.  The ring's state is in locals:
 * the slots' bool stores may alias any field of @att.
 */
static void ixgbe_bifurc_tx_post(struct ixgbe_bifurc_att *att,
				 const struct bifurc_tx_entry *e, u32 n)
{
	u32 mask = att->tx_ndesc - 1, next = att->tx_next, slot;
	struct ixgbe_bifurc_txslot *slots = att->tx_slot;
	union ixgbe_adv_tx_desc *txd = att->txd;
	const dma_addr_t *buf_dma = att->buf_dma;
	struct device *dev = att->dma_dev;
	u32 total = 0, len, hlen, i;
	dma_addr_t dma;

	for (i = 0; i < n; i++)
		total += e[i].len;
	for (i = 0; i < n; i++) {
		dma = buf_dma[e[i].buf] + e[i].offset;
		len = e[i].len;
		if (i == 0 && att->tx_src_check) {
			hlen = min_t(u32, len, IXGBE_BIFURC_TX_HDR);
			slot = next++ & mask;
			ixgbe_bifurc_tx_desc(&txd[slot], &slots[slot],
					     att->tx_hdr_dma + (dma_addr_t)slot *
					     IXGBE_BIFURC_TX_HDR,
					     hlen, total, e[0].buf, hlen < len,
					     n == 1 && hlen == len);
			dma += hlen;
			len -= hlen;
			if (!len)
				continue;
		}
		dma_sync_single_for_device(dev, dma, len, DMA_TO_DEVICE);
		slot = next++ & mask;
		ixgbe_bifurc_tx_desc(&txd[slot], &slots[slot], dma, len, total,
				     e[i].buf, false, i == n - 1);
	}
	att->tx_next = next;
}

/*
 * Takes the frame's buffer ids (uapi section 4).  Ids that fail are
 * dropped and counted; returns the number that passed, with the taken
 * ones moved to the front of @e.
 */
static u32 ixgbe_bifurc_tx_take(struct ixgbe_bifurc_att *att,
				struct bifurc_tx_entry *e, u32 n)
{
	u32 i, taken = 0;

	for (i = 0; i < n; i++) {
		if (ixgbe_bifurc_take_id(att->owner, att->buf_count, e[i].buf)) {
			ixgbe_bifurc_add(&att->cnt->tx_bad_id, 1);
			continue;
		}
		e[taken++] = e[i];
	}
	return taken;
}

/*
 * The common case in one loop: a run of frames of one entry each, from a
 * file whose frames are neither source-checked nor mirrored.  Each entry
 * is copied once, checked as a frame of one by
 * ixgbe_bifurc_check_tx_frame() (inline, with n constant), its id taken
 * and its descriptor written, all on locals, as
 * xsk_tx_peek_release_desc_batch() batches AF_XDP's.  Stops before an
 * entry that fails a check, starts a longer frame or finds no room:
 * ixgbe_bifurc_tx_pass() then takes that one on its own, and refuses or
 * counts it.  Returns the entries posted.
 */
static u32 ixgbe_bifurc_tx_fast(struct ixgbe_bifurc_att *att, u32 avail,
				u32 room)
{
	const struct bifurc_tx_entry *ring = att->tx.entries;
	u32 umask = att->tx.size - 1, kidx = att->tx.kidx;
	u32 mask = att->tx_ndesc - 1, next = att->tx_next;
	u32 buf_size = att->buf_size, max_frame = att->max_tx_frame;
	u32 count = att->buf_count, max, slot, n;
	struct ixgbe_bifurc_txslot *slots = att->tx_slot;
	const dma_addr_t *buf_dma = att->buf_dma;
	union ixgbe_adv_tx_desc *txd = att->txd;
	struct device *dev = att->dma_dev;
	struct bifurc_tx_entry e;
	u8 *owner = att->owner;
	dma_addr_t dma;

	max = min3(avail, room, mask - (next - att->tx_clean));
	for (n = 0; n < max; n++) {
		/* one copy: user space may change the entry under us */
		memcpy(&e, &ring[(kidx + n) & umask], sizeof(e));
		if (ixgbe_bifurc_check_tx_frame(&e, 1, buf_size, max_frame) ||
		    ixgbe_bifurc_take_id(owner, count, e.buf))
			break;
		dma = buf_dma[e.buf] + e.offset;
		dma_sync_single_for_device(dev, dma, e.len, DMA_TO_DEVICE);
		slot = (next + n) & mask;
		ixgbe_bifurc_tx_desc(&txd[slot], &slots[slot], dma, e.len,
				     e.len, e.buf, false, true);
	}
	att->tx.kidx = kidx + n;
	att->tx_next = next + n;
	return n;
}

/* Posts whole frames from the tx ring; returns false on a ring error. */
static bool ixgbe_bifurc_tx_pass(struct ixgbe_bifurc_att *att, u32 *submitted,
				 u32 *rejected)
{
	struct bifurc_tx_entry e[BIFURC_TX_MAX_FRAGS];
	u32 uprod, avail, room, nic_room, n, taken, i;
	bool last, mirror;

	/* pairs with the user's store-release of the producer index */
	uprod = smp_load_acquire(&att->tx.hdr->producer);
	if (!ixgbe_bifurc_ring_used(uprod, att->tx.kidx, att->tx.size, &avail)) {
		ixgbe_bifurc_add(&att->cnt->tx_ring_err, 1);
		return false;
	}
	if (!ixgbe_bifurc_txc_room(att, &room))
		return false;
	mirror = ixgbe_bifurc_mirroring(att);

	while (avail) {
		if (!att->tx_src_check && !mirror && !att->tx_discard) {
			n = ixgbe_bifurc_tx_fast(att, avail, room);
			avail -= n;
			room -= n;
			*submitted += n;
			if (!avail)
				break;
		}
		n = ixgbe_bifurc_tx_peek(att, avail, e);
		if (!n)
			break;		/* the frame's end is not produced yet */
		nic_room = att->tx_ndesc - 1 - (att->tx_next - att->tx_clean);
		/* a checked frame may need one descriptor more: its headers */
		if (n > room || n + att->tx_src_check > nic_room) {
			ixgbe_bifurc_add(&att->cnt->tx_ring_full, 1);
			break;
		}
		att->tx.kidx += n;
		avail -= n;

		last = !(e[n - 1].flags & BIFURC_TX_F_MORE);
		taken = ixgbe_bifurc_tx_take(att, e, n);
		if (!att->tx_discard && taken == n &&
		    !ixgbe_bifurc_check_tx_frame(e, n, att->buf_size,
						 att->max_tx_frame) &&
		    (!att->tx_src_check || ixgbe_bifurc_tx_source_ok(att, e))) {
			if (unlikely(mirror))
				ixgbe_bifurc_mirror(att, e, n, NULL,
						    ixgbe_bifurc_tx_hdr(att));
			ixgbe_bifurc_tx_post(att, e, n);
			room -= n;
			*submitted += n;
			continue;
		}
		/* refused whole; the caller's buffers go straight back */
		if (taken == n && !att->tx_discard)
			ixgbe_bifurc_add(&att->cnt->tx_bad_frame, 1);
		/* an overlong chain is refused up to its last entry */
		att->tx_discard = !last;
		for (i = 0; i < taken; i++)
			ixgbe_bifurc_txc_put(att, e[i].buf | BIFURC_TXC_F_REFUSED);
		room -= taken;
		*rejected += n;
	}
	return true;
}

/**
 * ixgbe_bifurc_tx_submit - tx ring to TX descriptors, and the wakeup flag
 * @att: a live attachment with TX, lock held
 * @submitted: out, tx entries handed to the NIC
 * @rejected: out, tx entries dropped or refused
 *
 * Sets BIFURC_RING_NEED_WAKEUP on the tx ring when no frame is in flight
 * after the pass (no completion interrupt will run NAPI) or the queue is
 * busy-polled, with the Dekker re-check of uapi section 3, as
 * ixgbe_bifurc_refill() does for the fill ring.
 *
 * Context: NAPI or process context, @att->lock held.
 */
void ixgbe_bifurc_tx_submit(struct ixgbe_bifurc_att *att, u32 *submitted,
			    u32 *rejected)
{
	u32 before = att->tx_next, flags, pass;
	bool ok;

	lockdep_assert_held(&att->lock);
	*submitted = 0;
	*rejected = 0;
	for (pass = 0; pass < 2; pass++) {
		ok = ixgbe_bifurc_tx_pass(att, submitted, rejected);

		flags = 0;
		if ((att->flags & BIFURC_ATTACH_BUSY_POLL) ||
		    att->tx_next == att->tx_clean)
			flags = BIFURC_RING_NEED_WAKEUP;
		WRITE_ONCE(att->tx.hdr->flags, flags);
		if (!flags || !ok)
			break;
		/* flag store before producer load; pairs with the user's
		 * producer store + full fence + flag load
		 */
		smp_mb();
		if (READ_ONCE(att->tx.hdr->producer) == att->tx.kidx)
			break;
	}

	/* entries read: pairs with the user's load-acquire of the consumer */
	smp_store_release(&att->tx.hdr->consumer, att->tx.kidx);
	/* refused ids written: pairs with the user's load-acquire */
	smp_store_release(&att->txc.hdr->producer, att->txc.kidx);

	if (att->tx_next != before) {
		/*
		 * Descriptors before the doorbell: 82599 8.2.3.9.9 TDT, the
		 * wmb() of ixgbe_tx_map().
		 */
		wmb();
		writel(att->tx_next & (att->tx_ndesc - 1), att->tx_tail);
	}
}

/**
 * ixgbe_bifurc_configure_tx_ring - program a TX queue for an attachment
 * @adapter: the adapter
 * @ring: the TX ring; ixgbe_bifurc_ring(@ring) is set
 *
 * Called by ixgbe_configure_tx_ring() from ixgbe_txrx_ring_enable() while
 * the ring's NAPI is disabled.  Follows 82599 4.6.8.1, "Dynamic Enabling
 * and Disabling of Transmit Queues", with the thresholds ixgbe uses.
 *
 * Context: process context, RTNL held, may sleep.
 */
void ixgbe_bifurc_configure_tx_ring(struct ixgbe_adapter *adapter,
				    struct ixgbe_ring *ring)
{
	struct ixgbe_bifurc_att *att = ixgbe_bifurc_ring(ring);
	struct ixgbe_hw *hw = &adapter->hw;
	u8 reg_idx = ring->reg_idx;
	u32 txdctl;
	int err;

	ASSERT_RTNL();

	/* off while programmed: 8.2.3.9.10 TXDCTL */
	IXGBE_WRITE_REG(hw, IXGBE_TXDCTL(reg_idx), 0);
	IXGBE_WRITE_FLUSH(hw);

	/* 8.2.3.9.5 TDBAL, 8.2.3.9.6 TDBAH, 8.2.3.9.7 TDLEN (128 B multiple) */
	IXGBE_WRITE_REG(hw, IXGBE_TDBAL(reg_idx), lower_32_bits(att->txd_dma));
	IXGBE_WRITE_REG(hw, IXGBE_TDBAH(reg_idx), upper_32_bits(att->txd_dma));
	IXGBE_WRITE_REG(hw, IXGBE_TDLEN(reg_idx),
			att->tx_ndesc * sizeof(*att->txd));

	/* an empty ring: 8.2.3.9.8 TDH and 8.2.3.9.9 TDT */
	IXGBE_WRITE_REG(hw, IXGBE_TDH(reg_idx), 0);
	IXGBE_WRITE_REG(hw, IXGBE_TDT(reg_idx), 0);
	att->tx_tail = adapter->io_addr + IXGBE_TDT(reg_idx);
	ring->tail = att->tx_tail;
	att->tx_next = 0;
	att->tx_clean = 0;
	att->tx_clean_seen = 0;
	clear_bit(__IXGBE_HANG_CHECK_ARMED, &ring->state);

	/*
	 * PTHRESH 32, HTHRESH 1, WTHRESH 1: ixgbe's own values; a larger
	 * WTHRESH would hold DD write-backs (and buffers) back.
	 */
	txdctl = IXGBE_TXDCTL_ENABLE | (1u << 16) | (1u << 8) | 32;
	IXGBE_WRITE_REG(hw, IXGBE_TXDCTL(reg_idx), txdctl);
	err = read_poll_timeout(ixgbe_read_reg, txdctl,
				txdctl & IXGBE_TXDCTL_ENABLE, 1000, 10000,
				false, hw, IXGBE_TXDCTL(reg_idx));
	if (err)
		netdev_err(adapter->netdev,
			   "bifurc: TXDCTL.ENABLE of queue %u did not set\n",
			   att->queue);
}

/**
 * ixgbe_bifurc_tx_stop_hw - stop the NIC reading an attachment's buffers
 * @att: an attachment with TX whose adapter is going down
 *
 * ixgbe_down() disables the TX queues only after the attachments ended,
 * but their pool is unmapped when they end: flush and disable the queue
 * first (8.2.3.9.10 TXDCTL.SWFLSH, ENABLE clear, polled).
 *
 * Context: process context, RTNL held, may sleep.
 */
void ixgbe_bifurc_tx_stop_hw(struct ixgbe_bifurc_att *att)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;
	struct ixgbe_hw *hw = &adapter->hw;
	u8 reg_idx = att->tx_ring->reg_idx;
	u32 txdctl;

	IXGBE_WRITE_REG(hw, IXGBE_TXDCTL(reg_idx), IXGBE_TXDCTL_SWFLSH);
	if (read_poll_timeout(ixgbe_read_reg, txdctl,
			      !(txdctl & IXGBE_TXDCTL_ENABLE), 100, 10000,
			      false, hw, IXGBE_TXDCTL(reg_idx)))
		netdev_err(adapter->netdev,
			   "bifurc: TXDCTL.ENABLE of queue %u did not clear\n",
			   att->queue);
}

/**
 * ixgbe_bifurc_clean_tx_irq - NAPI work of an attached TX ring
 * @q_vector: the vector being polled
 * @ring: a TX ring with ixgbe_bifurc_ring(@ring) set
 * @budget: NAPI's budget; 0 from netpoll
 *
 * Interrupt mode: reclaim sent frames, submit what user space queued
 * meanwhile, and wake a poll() waiting for buffers.  Busy-poll mode
 * leaves the ring to KICK, and so does netpoll: it may run with
 * interrupts off in any context, even while this CPU holds @att->lock,
 * and it only needs the stack's rings cleaned.
 *
 * Context: NAPI (softirq), or netpoll (returns at once).
 * Return: true (no more TX work for this poll).
 */
bool ixgbe_bifurc_clean_tx_irq(struct ixgbe_q_vector *q_vector,
			       struct ixgbe_ring *ring, int budget)
{
	struct ixgbe_bifurc_att *att = ixgbe_bifurc_ring(ring);
	u32 done = 0, submitted, rejected, txc;
	u64 packets, bytes;
	bool wake = false;

	if (att->flags & BIFURC_ATTACH_BUSY_POLL || budget <= 0)
		return true;

	spin_lock(&att->lock);
	if (!att->dead) {
		txc = att->txc.kidx;
		packets = att->cnt->tx_packets;
		bytes = att->cnt->tx_bytes;
		ixgbe_bifurc_tx_reclaim(att, &done);
		/* what adaptive ITR weighs (ixgbe_update_itr()) */
		q_vector->tx.total_packets += att->cnt->tx_packets - packets;
		q_vector->tx.total_bytes += att->cnt->tx_bytes - bytes;
		ixgbe_bifurc_tx_submit(att, &submitted, &rejected);
		/*
		 * Buffers for txc, sent or refused by the submit: POLLWRBAND.
		 * wq_has_sleeper() has the barrier against poll_wait().
		 */
		wake = att->txc.kidx != txc && wq_has_sleeper(att->wq);
	}
	spin_unlock(&att->lock);

	if (wake)
		wake_up_interruptible(att->wq);
	return true;
}
