// SPDX-License-Identifier: GPL-2.0
/* Copyright(c) 2026 The bifurc authors. */

/*
 * bifurc data path.  Three callers drive one attached queue: NAPI (the
 * queue's MSI-X vector, interrupt mode only), BIFURC_IOC_KICK and poll().
 * All of them work under ixgbe_bifurc_att::lock, so a refill or harvest
 * pass is never run twice at once.
 *
 * The NIC ring follows 82599 7.1.9, "Receive Descriptor Queue Structure":
 * software owns the descriptors from RDH up to RDT, the NIC those from RDT
 * up to RDH.  The driver keeps one slot empty, because RDT == RDH means
 * "no descriptor for the NIC", so at most rx_desc - 1 are posted.
 *
 *   hw_clean            hw_tail
 *      |  posted to NIC   |   free (kernel)   |
 *
 * hw_clean and hw_tail are free running; slot = index & (rx_desc - 1).
 *
 * In raw mode (uapi section 5) user space reads the descriptors itself and
 * reports in the comp ring's consumer index how far it got; "harvest" then
 * only checks what it consumed and hands the buffers over, and the comp
 * producer index is hw_tail.
 */

#include <linux/dma-mapping.h>
#include <linux/poll.h>

#include "ixgbe.h"
#include "ixgbe_bifurc.h"

u16 ixgbe_bifurc_flags_lut[IXGBE_BIFURC_FLAGS_LUT_SIZE] __ro_after_init;
u8 ixgbe_bifurc_ptype_lut[IXGBE_BIFURC_PTYPE_LUT_SIZE] __ro_after_init;

/**
 * ixgbe_bifurc_init_luts - fill the harvest's decoding tables
 *
 * Each flags entry is ixgbe_bifurc_rx_flags() of the descriptor that
 * ixgbe_bifurc_flags_idx() maps to it, each packet type entry
 * ixgbe_bifurc_ptype() of its pkt_info bits.
 *
 * Context: module load, before any attachment.
 */
void ixgbe_bifurc_init_luts(void)
{
	u32 i;

	for (i = 0; i < IXGBE_BIFURC_FLAGS_LUT_SIZE; i++)
		ixgbe_bifurc_flags_lut[i] =
			ixgbe_bifurc_rx_flags(ror32(i & IXGBE_BIFURC_FLAGS_IDX_STATERR, 2) |
					      IXGBE_RXD_STAT_DD,
					      !!(i & IXGBE_BIFURC_FLAGS_IDX_HASH));
	for (i = 0; i < IXGBE_BIFURC_PTYPE_LUT_SIZE; i++)
		ixgbe_bifurc_ptype_lut[i] = ixgbe_bifurc_ptype(i << 4);
}

/*
 * The attachment's counters, and the ring's, which ip -s link, ethtool -S
 * rx_queue_<n>_* and netdev qstats read: the queue's traffic is the
 * interface's, whoever reads it.
 */
static void ixgbe_bifurc_count_rx(struct ixgbe_bifurc_att *att, u64 packets,
				  u64 bytes)
{
	struct ixgbe_ring *ring = att->ring;

	ixgbe_bifurc_add(&att->cnt->rx_bytes, bytes);
	ixgbe_bifurc_add(&att->cnt->rx_packets, packets);
	u64_stats_update_begin(&ring->syncp);
	ring->stats.packets += packets;
	ring->stats.bytes += bytes;
	u64_stats_update_end(&ring->syncp);
}

/*
 * Raw mode's harvest: user space read the descriptors from hw_clean up to
 * its consumer index.  A consumer beyond hw_tail, or one that passed a
 * descriptor the NIC had not written back, is a ring error; the buffers
 * before the bad descriptor are the user's, the rest stay with the NIC.
 */
static void ixgbe_bifurc_raw_harvest(struct ixgbe_bifurc_att *att, u32 max,
				     u32 *done)
{
	/* copies, for the reason given in ixgbe_bifurc_harvest() */
	const union ixgbe_adv_rx_desc *rxd, *desc = att->desc;
	u32 clean = att->hw_clean, mask = att->rx_desc - 1;
	const u32 *slot = att->slot;
	u8 *owner = att->owner;
	u64 bytes = 0, packets = 0;
	u32 ucons, staterr, n;

	/* pairs with the user's store-release of the consumer index */
	ucons = smp_load_acquire(&att->comp.hdr->consumer);
	if (ucons - clean > att->hw_tail - clean) {
		ixgbe_bifurc_add(&att->cnt->rx_ring_err, 1);
		att->comp_blocked = true;
		return;
	}

	for (n = 0; clean != ucons && n < max; n++, clean++) {
		rxd = &desc[clean & mask];
		staterr = le32_to_cpu(READ_ONCE(rxd->wb.upper.status_error));
		if (!(staterr & IXGBE_RXD_STAT_DD)) {
			ixgbe_bifurc_add(&att->cnt->rx_ring_err, 1);
			att->comp_blocked = true;
			break;
		}
		/* the length after DD, as in ixgbe_bifurc_harvest() */
		dma_rmb();
		bytes += le16_to_cpu(rxd->wb.upper.length);
		packets += !!(staterr & IXGBE_RXD_STAT_EOP);
		owner[slot[clean & mask]] = IXGBE_BIFURC_BUF_USER;
	}

	att->hw_clean = clean;
	if (n) {
		ixgbe_bifurc_count_rx(att, packets, bytes);
	}
	*done = n;
}

/**
 * ixgbe_bifurc_harvest - written-back descriptors to the comp ring
 * @att: a live attachment, lock held
 * @max: most descriptors to take (NAPI's budget; KICK and poll() take
 *	a ring's worth)
 * @done: out, descriptors taken
 *
 * Stops at the first descriptor the NIC still owns, after @max, or when
 * the comp ring is full (user space has not consumed).  A comp
 * consumer index that claims more than the ring holds is a ring error:
 * nothing is written and the NIC keeps the buffers until user space
 * behaves.
 * In raw mode, takes back what user space consumed instead.
 *
 * Context: NAPI or process context, @att->lock held.
 */
void ixgbe_bifurc_harvest(struct ixgbe_bifurc_att *att, u32 max, u32 *done)
{
	struct ixgbe_bifurc_uring *comp = &att->comp;
	struct bifurc_rx_comp *e, *ring = comp->entries;
	/*
	 * The loop works on copies: its stores through @ring and the u8
	 * owner[] may alias any field of @att as far as the compiler knows,
	 * and would make it reload every one of them for every descriptor.
	 */
	union ixgbe_adv_rx_desc *rxd, *desc = att->desc;
	u32 clean = att->hw_clean, tail = att->hw_tail;
	u32 mask = att->rx_desc - 1, comp_mask = comp->size - 1;
	u32 kidx = comp->kidx, buf_size = att->buf_size;
	const dma_addr_t *buf_dma = att->buf_dma;
	struct device *dev = att->dma_dev;
	bool sync = dma_dev_need_sync(dev);
	const u32 *slot = att->slot;
	u8 *owner = att->owner;
	bool mid = att->rx_mid_frame, mirror;
	u32 ucons, room, staterr, id, n;
	u64 bytes = 0, packets = 0;
	u16 len, pkt_info;

	lockdep_assert_held(&att->lock);
	*done = 0;
	att->comp_blocked = false;
	if (ixgbe_bifurc_raw(att)) {
		ixgbe_bifurc_raw_harvest(att, max, done);
		return;
	}

	/* pairs with the user's store-release of the consumer index */
	ucons = smp_load_acquire(&comp->hdr->consumer);
	if (!ixgbe_bifurc_ring_used(kidx, ucons, comp->size, &room)) {
		ixgbe_bifurc_add(&att->cnt->rx_ring_err, 1);
		att->comp_blocked = true;
		return;
	}
	room = comp->size - room;
	mirror = ixgbe_bifurc_mirroring(att);

	for (n = 0; clean != tail && n < max; n++, clean++) {
		rxd = &desc[clean & mask];
		/*
		 * The NIC writes the whole descriptor back at once (7.1.6.2);
		 * like ixgbe_clean_rx_irq(), test the length word first: the
		 * read format left it zero (upper half of hdr_addr).
		 */
		len = le16_to_cpu(READ_ONCE(rxd->wb.upper.length));
		if (!len)
			break;
		/*
		 * This memory barrier is needed to keep us from reading any
		 * other fields out of the descriptor until we know that it
		 * has been written back.
		 */
		dma_rmb();
		staterr = le32_to_cpu(rxd->wb.upper.status_error);
		if (!(staterr & IXGBE_RXD_STAT_DD))
			break;
		if (n == room) {
			ixgbe_bifurc_add(&att->cnt->rx_comp_full, 1);
			att->comp_blocked = true;
			break;
		}

		id = slot[clean & mask];
		len = min_t(u16, len, buf_size);
		if (sync)
			dma_sync_single_for_cpu(dev, buf_dma[id], len,
						DMA_FROM_DEVICE);

		pkt_info = le16_to_cpu(rxd->wb.lower.lo_dword.hs_rss.pkt_info);
		e = &ring[(kidx + n) & comp_mask];
		e->buf = id;
		e->len = len;
		e->vlan_tci = (staterr & IXGBE_RXD_STAT_VP) ?
			      le16_to_cpu(rxd->wb.upper.vlan) : 0;
		e->rss_hash = (pkt_info & IXGBE_RXDADV_RSSTYPE_MASK) ?
			      le32_to_cpu(rxd->wb.lower.hi_dword.rss) : 0;
		e->flags = ixgbe_bifurc_flags_lut[ixgbe_bifurc_flags_idx(staterr,
									 pkt_info)];
		e->ptype = ixgbe_bifurc_ptype_lut[ixgbe_bifurc_ptype_idx(pkt_info)];
		/* frames of one buffer: a frame's first buffers may be gone */
		if (unlikely(mirror) && !mid && (staterr & IXGBE_RXD_STAT_EOP)) {
			struct bifurc_tx_entry frag = { .buf = id, .len = len };

			ixgbe_bifurc_mirror(att, &frag, 1, rxd, NULL);
		}
		mid = !(staterr & IXGBE_RXD_STAT_EOP);

		owner[id] = IXGBE_BIFURC_BUF_USER;
		bytes += len;
		packets += !!(staterr & IXGBE_RXD_STAT_EOP);
	}

	att->hw_clean = clean;
	att->rx_mid_frame = mid;
	comp->kidx = kidx + n;
	if (n) {
		ixgbe_bifurc_count_rx(att, packets, bytes);
	}
	/* entries before index: pairs with the user's load-acquire */
	smp_store_release(&comp->hdr->producer, comp->kidx);
	*done = n;
}

/*
 * Posts validated fill ids; returns the number of descriptors written, or
 * -EPROTO when the fill producer index is not believable.
 */
static int ixgbe_bifurc_post(struct ixgbe_bifurc_att *att, u32 *rejected)
{
	struct ixgbe_bifurc_uring *fill = &att->fill;
	/* copies, for the reason given in ixgbe_bifurc_harvest() */
	const u32 *ids = fill->entries;
	union ixgbe_adv_rx_desc *rxd, *desc = att->desc;
	u32 kidx = fill->kidx, fill_mask = fill->size - 1;
	u32 tail = att->hw_tail, mask = att->rx_desc - 1;
	u32 buf_count = att->buf_count, buf_size = att->buf_size;
	const dma_addr_t *buf_dma = att->buf_dma;
	struct device *dev = att->dma_dev;
	bool sync = dma_dev_need_sync(dev);
	u32 *slot = att->slot;
	u8 *owner = att->owner;
	u32 uprod, avail, room, id, bad = 0, posted = 0;
	dma_addr_t dma;

	/* pairs with the user's store-release of the producer index */
	uprod = smp_load_acquire(&fill->hdr->producer);
	if (!ixgbe_bifurc_ring_used(uprod, kidx, fill->size, &avail)) {
		ixgbe_bifurc_add(&att->cnt->rx_ring_err, 1);
		return -EPROTO;
	}
	room = mask - (tail - att->hw_clean);

	for (; avail && room; avail--) {
		id = READ_ONCE(ids[kidx++ & fill_mask]);
		if (ixgbe_bifurc_take_id(owner, buf_count, id)) {
			bad++;
			continue;
		}
		slot[tail & mask] = id;
		dma = buf_dma[id];
		if (sync)
			dma_sync_single_for_device(dev, dma, buf_size,
						   DMA_FROM_DEVICE);
		/*
		 * Read format (7.1.6.1): packet buffer address, no header
		 * buffer.  The zero header address also clears the DD bit and
		 * the length the previous write-back left.
		 */
		rxd = &desc[tail & mask];
		rxd->read.pkt_addr = cpu_to_le64(dma);
		rxd->read.hdr_addr = 0;
		tail++;
		room--;
		posted++;
	}

	fill->kidx = kidx;
	att->hw_tail = tail;
	if (bad) {
		ixgbe_bifurc_add(&att->cnt->rx_bad_id, bad);
		*rejected += bad;
	}
	/* the ids are read: the user may reuse the slots (release) */
	smp_store_release(&fill->hdr->consumer, fill->kidx);
	if (ixgbe_bifurc_raw(att))
		/* descriptors and slots before the index (uapi section 5) */
		smp_store_release(&att->comp.hdr->producer, tail);

	if (posted) {
		/*
		 * Force memory writes to complete before letting h/w know
		 * there are new descriptors to fetch: 82599 8.2.3.8.5 RDT.
		 */
		wmb();
		writel(tail & mask, att->tail);
	}
	return posted;
}

/**
 * ixgbe_bifurc_refill - fill ring to RX descriptors, and the wakeup flag
 * @att: a live attachment, lock held
 * @refilled: out, buffers handed to the NIC
 * @rejected: out, fill ids dropped (range or double use)
 *
 * Sets BIFURC_RING_NEED_WAKEUP on the fill ring when the NIC does not hold
 * a full ring of empty buffers after the pass (or the comp ring blocked the
 * last harvest, or the queue is busy-polled), clears it otherwise.  After
 * setting it, the producer is read again behind a full barrier (the
 * Dekker pairing of uapi section 3), so buffers user space added while it
 * still saw the flag clear are not left behind.
 *
 * Context: NAPI or process context, @att->lock held.
 */
void ixgbe_bifurc_refill(struct ixgbe_bifurc_att *att, u32 *refilled,
			 u32 *rejected)
{
	u32 flags, pass;
	int posted;

	lockdep_assert_held(&att->lock);
	*refilled = 0;
	*rejected = 0;
	for (pass = 0; pass < 2; pass++) {
		posted = ixgbe_bifurc_post(att, rejected);
		if (posted > 0)
			*refilled += posted;

		flags = 0;
		if ((att->flags & BIFURC_ATTACH_BUSY_POLL) ||
		    att->comp_blocked ||
		    att->hw_tail - att->hw_clean < att->rx_desc - 1)
			flags = BIFURC_RING_NEED_WAKEUP;
		WRITE_ONCE(att->fill.hdr->flags, flags);
		/* nothing more to gain from a second look at a bad index */
		if (!flags || posted < 0)
			break;
		/* flag store before producer load; pairs with the user's
		 * producer store + full fence + flag load
		 */
		smp_mb();
		if (READ_ONCE(att->fill.hdr->producer) == att->fill.kidx)
			break;
	}
}

/*
 * Whether user space has frames to read: comp entries it has not consumed,
 * or in raw mode a written-back descriptor at its consumer index.
 */
static bool ixgbe_bifurc_rx_ready(struct ixgbe_bifurc_att *att)
{
	u32 ucons = READ_ONCE(att->comp.hdr->consumer);
	const union ixgbe_adv_rx_desc *rxd;

	if (!ixgbe_bifurc_raw(att))
		return att->comp.kidx != ucons;
	if (ucons - att->hw_clean >= att->hw_tail - att->hw_clean)
		return false;
	rxd = &att->desc[ucons & (att->rx_desc - 1)];
	return le32_to_cpu(READ_ONCE(rxd->wb.upper.status_error)) &
	       IXGBE_RXD_STAT_DD;
}

/**
 * ixgbe_bifurc_kick - BIFURC_IOC_KICK: the batched doorbell
 * @att: the file's attachment
 * @k: the request; the counts are filled in
 *
 * Context: process context, no lock held; takes @att->lock.
 * Return: 0, or the attachment's death errno (-ENETRESET, -ENODEV).
 */
long ixgbe_bifurc_kick(struct ixgbe_bifurc_att *att, struct bifurc_kick *k)
{
	spin_lock_bh(&att->lock);
	if (att->dead) {
		spin_unlock_bh(&att->lock);
		return att->dead;
	}
	ixgbe_bifurc_add(&att->cnt->kicks, 1);
	/* raw mode: a refill first takes back the slots user space passed
	 * (uapi), or their ids would be refused as still the NIC's
	 */
	if ((k->flags & BIFURC_KICK_RX_HARVEST) ||
	    ((k->flags & BIFURC_KICK_RX_REFILL) && ixgbe_bifurc_raw(att)))
		ixgbe_bifurc_harvest(att, att->rx_desc, &k->rx_completed);
	if (k->flags & BIFURC_KICK_RX_REFILL)
		ixgbe_bifurc_refill(att, &k->rx_refilled, &k->rx_rejected);
	if (k->flags & BIFURC_KICK_TX_RECLAIM)
		ixgbe_bifurc_tx_reclaim(att, &k->tx_completed);
	if (k->flags & BIFURC_KICK_TX_SUBMIT)
		ixgbe_bifurc_tx_submit(att, &k->tx_submitted, &k->tx_rejected);
	spin_unlock_bh(&att->lock);
	return 0;
}

/**
 * ixgbe_bifurc_poll_att - poll() of an attached file
 * @att: the file's attachment; the caller registered on @att->wq
 *
 * Runs one refill and harvest pass, and with TX a reclaim and submit
 * pass, as a KICK would, then reports.
 *
 * Context: process context; takes @att->lock.
 * Return: the poll mask.
 */
__poll_t ixgbe_bifurc_poll_att(struct ixgbe_bifurc_att *att)
{
	__poll_t mask = 0;
	u32 done, refilled, rejected, used;

	spin_lock_bh(&att->lock);
	if (att->dead) {
		mask = EPOLLERR;
		if (att->dead == -ENODEV)
			mask |= EPOLLHUP;
		goto out;
	}
	ixgbe_bifurc_harvest(att, att->rx_desc, &done);
	ixgbe_bifurc_refill(att, &refilled, &rejected);
	if (ixgbe_bifurc_rx_ready(att))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (att->tx_ring) {
		ixgbe_bifurc_tx_reclaim(att, &done);
		ixgbe_bifurc_tx_submit(att, &done, &rejected);
		/* free tx slots (user producer vs kernel consumer) */
		if (ixgbe_bifurc_ring_used(READ_ONCE(att->tx.hdr->producer),
					   att->tx.kidx, att->tx.size, &used) &&
		    used < att->tx.size)
			mask |= EPOLLOUT | EPOLLWRNORM;
		/* txc not empty: POLLOUT, and the only source of POLLWRBAND */
		if (att->txc.kidx != READ_ONCE(att->txc.hdr->consumer))
			mask |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
	}
out:
	spin_unlock_bh(&att->lock);
	return mask;
}

/**
 * ixgbe_bifurc_clean_rx_irq - NAPI work of an attached ring
 * @q_vector: the vector being polled
 * @ring: an RX ring with ixgbe_bifurc_ring(@ring) set
 * @budget: NAPI's budget
 *
 * Interrupt mode: harvest at most @budget descriptors and refill.  Below
 * the budget the ring is done: wake a sleeping poll() if there is
 * something to read (raw mode: a written-back descriptor at the user's
 * consumer index, which no harvest reports).  At the budget NAPI polls
 * again, and that last pass wakes the reader, once.
 *
 * Busy-poll mode never gets here from an interrupt (the vector is masked);
 * if NAPI runs anyway (netpoll, another ring's interrupt on a shared
 * vector) it leaves the ring to KICK.
 *
 * Context: NAPI (softirq).
 * Return: descriptors taken, at most @budget; @budget asks for a repoll.
 */
int ixgbe_bifurc_clean_rx_irq(struct ixgbe_q_vector *q_vector,
			      struct ixgbe_ring *ring, int budget)
{
	struct ixgbe_bifurc_att *att = ixgbe_bifurc_ring(ring);
	u32 done = 0, refilled, rejected;
	u64 packets, bytes;
	bool wake = false;

	if (att->flags & BIFURC_ATTACH_BUSY_POLL || budget <= 0)
		return 0;

	spin_lock(&att->lock);
	if (!att->dead) {
		packets = att->cnt->rx_packets;
		bytes = att->cnt->rx_bytes;
		ixgbe_bifurc_harvest(att, budget, &done);
		/* what adaptive ITR weighs (ixgbe_update_itr()) */
		q_vector->rx.total_packets += att->cnt->rx_packets - packets;
		q_vector->rx.total_bytes += att->cnt->rx_bytes - bytes;
		ixgbe_bifurc_refill(att, &refilled, &rejected);
		/* wq_has_sleeper() has the barrier against poll_wait() */
		if (done < (u32)budget && ixgbe_bifurc_rx_ready(att) &&
		    wq_has_sleeper(att->wq)) {
			ixgbe_bifurc_add(&att->cnt->wakeups, 1);
			wake = true;
		}
	}
	spin_unlock(&att->lock);

	if (wake)
		wake_up_interruptible(att->wq);
	return done;
}
