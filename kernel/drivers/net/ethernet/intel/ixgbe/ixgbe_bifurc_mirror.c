// SPDX-License-Identifier: GPL-2.0
/* Copyright(c) 2026 The bifurc authors. */

/*
 * tcpdump on a bypassed queue.  While the administrator has a reserved
 * queue's mirror on (the "mirror" attribute) and a packet tap is open on
 * the netdev, the data path copies each frame the queue hands to user
 * space, and each frame user space sends on it, into an skb for the taps
 * alone: the stack never processes it.  The app's zero-copy path does not
 * change; the copy is the kernel's, taken while the kernel still owns the
 * buffer (RX: after the harvest's sync for the CPU, before the comp entry
 * is published; TX: after the frame passed its checks, before the NIC gets
 * it).  Without a tap the data path pays a bit test per pass.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>

#include "ixgbe.h"
#include "ixgbe_bifurc.h"

/**
 * ixgbe_bifurc_mirror - hand a copy of one frame to the packet taps
 * @att: a live attachment, lock held
 * @frag: the frame's pieces in the pool, each within its buffer
 * @n: pieces in @frag
 * @rxd: the frame's write-back descriptor (RX), or NULL (TX)
 * @hdr: the kernel's checked copy of the frame's first bytes, which the NIC
 *	sends in place of the buffer's (TX with a source check), or NULL
 *
 * The copy goes through dev_queue_xmit_nit(), the way taps see a frame the
 * stack does not process (vrf hands the frames it receives to the taps of
 * its device the same way), so AF_PACKET sockets see it with packet type
 * PACKET_OUTGOING in either direction, and a socket that ignores outgoing
 * frames (PACKET_IGNORE_OUTGOING, tcpdump -Q in) sees none.  A failed
 * allocation loses the copy, not the frame, and is not counted.
 *
 * Context: NAPI or process context with BHs off, @att->lock held.
 */
void ixgbe_bifurc_mirror(struct ixgbe_bifurc_att *att,
			 const struct bifurc_tx_entry *frag, u32 n,
			 const union ixgbe_adv_rx_desc *rxd, const u8 *hdr)
{
	struct net_device *netdev = att->bdev->adapter->netdev;
	struct sk_buff *skb;
	u32 i, len = 0;

	for (i = 0; i < n; i++)
		len += frag[i].len;
	if (len < ETH_HLEN)
		return;
	skb = __netdev_alloc_skb(netdev, len, GFP_ATOMIC | __GFP_NOWARN);
	if (!skb)
		return;
	for (i = 0; i < n; i++)
		skb_put_data(skb, ixgbe_bifurc_buf_va(att, frag[i].buf) +
			     frag[i].offset, frag[i].len);
	/* what the wire gets, even if user space rewrote the buffer since */
	if (hdr)
		memcpy(skb->data, hdr, min_t(u32, frag[0].len,
					     IXGBE_BIFURC_TX_HDR));
	skb->protocol = eth_type_trans(skb, netdev);
	skb_reset_network_header(skb);
	skb_push(skb, ETH_HLEN);
	/* the tag the NIC stripped, trusted as ixgbe_process_skb_fields() does */
	if (rxd && (netdev->features & NETIF_F_HW_VLAN_CTAG_RX) &&
	    (le32_to_cpu(rxd->wb.upper.status_error) & IXGBE_RXD_STAT_VP))
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q),
				       le16_to_cpu(rxd->wb.upper.vlan));
	dev_queue_xmit_nit(skb, netdev);
	consume_skb(skb);
	ixgbe_bifurc_add(&att->mirrored, 1);
}
