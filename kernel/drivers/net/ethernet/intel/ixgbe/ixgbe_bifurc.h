/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright(c) 2026 The bifurc authors. */

/*
 * bifurc: reserved RX queues of an ixgbe adapter handed to user space
 * through a character device.  The user/kernel ABI is
 * include/uapi/linux/bifurc.h; the design and the safety model are in
 * Documentation/networking/device_drivers/ethernet/intel/bifurc.rst.
 *
 * Register writes cite the Intel 82599 10 GbE Controller Datasheet,
 * order number 331520, revision 3.3.
 */

#ifndef _IXGBE_BIFURC_H_
#define _IXGBE_BIFURC_H_

#include <linux/bitmap.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/bifurc.h>

#include "ixgbe.h"

struct netlink_ext_ack;

/* Limits reported by BIFURC_IOC_INFO. */
#define IXGBE_BIFURC_MIN_RX_DESC	64
#define IXGBE_BIFURC_MAX_RX_DESC	8192
#define IXGBE_BIFURC_MIN_RING		64
#define IXGBE_BIFURC_MAX_RING		32768
#define IXGBE_BIFURC_MIN_BUF_SIZE	2048
#define IXGBE_BIFURC_MAX_BUF_SIZE	16384
#define IXGBE_BIFURC_MAX_BUF_COUNT	32768
#define IXGBE_BIFURC_MAX_POOL_BYTES	(256U << 20)
#define IXGBE_BIFURC_MAX_FLOWS		32

/* Bytes of a frame's first tx entry copied and checked for its source. */
#define IXGBE_BIFURC_TX_HDR		128

/* BIFURC_IOC_STATS reads the statistics registers at most this often. */
#define IXGBE_BIFURC_STATS_MS		100

/* Number of ethtool -S counters per reserved queue. */
#define IXGBE_BIFURC_QUEUE_STATS	10

/* Buffer ownership, one byte per buffer id (uapi section 4). */
#define IXGBE_BIFURC_BUF_USER		0
#define IXGBE_BIFURC_BUF_KERNEL		1

/**
 * struct ixgbe_bifurc_txslot - what one TX descriptor slot carries
 * @id: buffer id
 * @len: bytes sent from the buffer
 * @eop: last descriptor of its frame (the one with RS set)
 * @no_id: the slot sends a kernel copy of the frame's headers; its buffer
 *	goes back with another slot
 *
 * The NIC's write-back overwrites the descriptor (82599 7.2.3.2.4), so
 * the reclaim pass finds the buffer and the frame boundaries here.
 */
struct ixgbe_bifurc_txslot {
	u32 id;
	u16 len;
	bool eop;
	bool no_id;
};

/**
 * struct ixgbe_bifurc_tx_source - who a transmitted frame claims to be
 * @mac: Ethernet source
 * @family: AF_INET or AF_INET6
 * @addr: IP source; IPv4 in @addr[0]
 * @port: UDP or TCP source port
 */
struct ixgbe_bifurc_tx_source {
	u8 mac[ETH_ALEN];
	u8 family;
	__be32 addr[4];
	u16 port;
};

/**
 * struct ixgbe_bifurc_uring - kernel side of one ring shared with user space
 * @hdr: ring header, start of the vmalloc_user() region user space maps
 * @entries: entry array, BIFURC_RING_ENTRIES_OFFSET bytes after @hdr
 * @size: number of entries, a power of two
 * @kidx: the index the kernel owns (fill: consumer, comp: producer); the
 *	copy in @hdr is only ever written from this one, never read back
 * @len: region length in bytes, page aligned
 */
struct ixgbe_bifurc_uring {
	struct bifurc_ring_hdr *hdr;
	void *entries;
	u32 size;
	u32 kidx;
	size_t len;
};

/* Regions of an attachment, in mmap offset order. */
enum ixgbe_bifurc_region {
	IXGBE_BIFURC_R_POOL,
	IXGBE_BIFURC_R_FILL,
	IXGBE_BIFURC_R_COMP,
	IXGBE_BIFURC_R_COUNTERS,
	IXGBE_BIFURC_R_TX,
	IXGBE_BIFURC_R_TXC,
	IXGBE_BIFURC_R_DESC,
	IXGBE_BIFURC_R_NUM,
};

/* Each region starts at (index + 1) << 32 in the file's mmap space. */
#define IXGBE_BIFURC_REGION_SHIFT	32

/**
 * struct ixgbe_bifurc_held_port - a port a grantee's rule holds
 * @rule_id: the rule's ntuple location
 * @port: the port, host order
 * @sock: a socket bound to the rule's port on the netdev, never read
 */
struct ixgbe_bifurc_held_port {
	u32 rule_id;
	u16 port;
	struct socket *sock;
};

/**
 * struct ixgbe_bifurc_att - one attachment: one open file driving one queue
 * @bdev: per-adapter state; the file holds a reference on its device
 * @queue: RX queue index (netdev numbering)
 * @flags: BIFURC_ATTACH_* given to ATTACH
 * @lock: protects @dead, the kernel indices of @fill and @comp, @owner,
 *	@slot, @hw_tail, @hw_clean, @comp_blocked and every write to @cnt.
 *	Taken from NAPI (softirq) and with spin_lock_bh() from process
 *	context.  Never held across a sleep, an ixgbe call or RTNL.
 * @dead: 0 while the queue runs; -ENETRESET, -ENODEV or -ENOTCONN once it
 *	was stopped.  Written under @lock with RTNL held, so either lock
 *	is enough to read it.
 * @ring: the adapter's RX ring; valid while !@dead
 * @dma_dev: device of the DMA mappings; valid while !@dead
 * @desc: NIC RX descriptor ring: dma_alloc_coherent(), valid while !@dead;
 *	in raw mode the start of @raw_pages, which live until the file goes
 * @desc_dma: bus address of @desc
 * @rx_desc: descriptors in @desc, a power of two
 * @tail: RDT register of the queue (82599 8.2.3.8.5)
 * @hw_tail: descriptors handed to the NIC, free running
 * @hw_clean: descriptors taken back from the NIC, free running
 * @rx_mid_frame: the last descriptor harvested did not end its frame
 * @comp_blocked: the last harvest stopped on a full comp ring
 * @slot: buffer id held by each descriptor slot (raw mode: the slot table
 *	in @raw_pages, read-only to user space)
 * @buf_size: bytes per buffer
 * @buf_count: buffers in the pool
 * @chunk_order: page order of one DMA chunk (max(PAGE_SIZE, @buf_size))
 * @bufs_per_chunk: buffers in one chunk, a power of two
 * @chunk_shift: log2(@bufs_per_chunk)
 * @nr_chunks: chunks in the pool
 * @pages: the pool's pages, order 0, @nr_chunks << @chunk_order of them
 * @buf_dma: bus address of each buffer; valid while !@dead
 * @owner: IXGBE_BIFURC_BUF_* per buffer id
 * @fill: fill ring (user produces buffer ids)
 * @comp: comp ring (kernel produces struct bifurc_rx_comp)
 * @cnt: counters page, read-only to user space
 * @cnt_len: length of the counters region
 * @stat_idx: queue statistics index given to the queue in RQSMR, 0: none
 * @no_buf_base: the stat index's drop count when the attachment started
 * @wq: poll() waiters: the file's wait queue, which exists before the
 *	attachment, so that an epoll set the file joined earlier is woken
 * @dma_dir: direction of the pool mappings (bidirectional with TX)
 * @tx_ring: the adapter's TX ring of the same index; NULL without TX
 * @txd: NIC TX descriptor ring (dma_alloc_coherent()); valid while !@dead
 * @txd_dma: bus address of @txd
 * @tx_ndesc: descriptors in @txd, a power of two
 * @tx_tail: TDT register of the queue (82599 8.2.3.9.9)
 * @tx_next: descriptors handed to the NIC, free running
 * @tx_clean: descriptors taken back from the NIC, free running
 * @tx_clean_seen: @tx_clean at the adapter's last hang check
 * @tx_hung: a TX hang was detected; the reset that follows reports it
 * @tx_discard: refusing the rest of a chain longer than BIFURC_TX_MAX_FRAGS
 * @tx_slot: buffer, length and frame end of each TX descriptor slot
 * @tx: tx ring (user produces struct bifurc_tx_entry)
 * @txc: txc ring (kernel produces buffer ids)
 * @max_tx_frame: largest frame accepted, fixed at attach (MTU + 18)
 * @raw_pages: raw mode (uapi section 5): the desc region, the descriptor
 *	ring followed by the slot table, order-0 pages of one zeroed block
 * @raw_len: length of the desc region, page aligned
 * @privileged: the attaching task had CAP_NET_ADMIN: no grant bounds it
 * @user: whose RLIMIT_MEMLOCK the attachment is charged to; NULL when the
 *	attaching task had CAP_IPC_LOCK
 * @locked_pages: pages charged to @user
 * @held: ports held by the rules of an unprivileged file; changed under
 *	RTNL and @lock, read under either
 * @nr_held: entries in @held
 * @tx_src_check: the attaching task lacked CAP_NET_RAW: every frame's
 *	source is checked on a kernel copy of its headers
 * @port_lo: the grant's port range at attach time (0: none)
 * @port_hi: its last port
 * @tx_hdr: with TX, IXGBE_BIFURC_TX_HDR bytes per TX descriptor slot for
 *	those copies (dma_alloc_coherent()); allocated before RTNL is taken,
 *	so before @tx_src_check is known
 * @tx_hdr_dma: bus address of @tx_hdr
 * @stray: on the adapter's @stray list: the queue did not stop when the
 *	attachment ended, so its DMA side waits for the adapter's reset.
 *	Protected by RTNL, like @orphan.
 * @orphan: the file is gone too: the reset frees the attachment
 * @owner_pid: the attaching process (its thread group), for the owners
 *	attribute
 * @owner_uid: its fsuid at attach time
 * @owner_comm: its command name at attach time
 * @since: CLOCK_BOOTTIME seconds at attach time
 * @mirrored: frames handed to the packet taps; written under @lock, read
 *	locklessly
 */
struct ixgbe_bifurc_att {
	struct ixgbe_bifurc *bdev;
	u32 queue;
	u32 flags;

	spinlock_t lock;	/* the data path, see @lock above */
	int dead;

	struct ixgbe_ring *ring;
	struct device *dma_dev;
	union ixgbe_adv_rx_desc *desc;
	dma_addr_t desc_dma;
	u32 rx_desc;
	u8 __iomem *tail;
	u32 hw_tail;
	u32 hw_clean;
	bool rx_mid_frame;
	bool comp_blocked;
	u32 *slot;

	u32 buf_size;
	u32 buf_count;
	unsigned int chunk_order;
	u32 bufs_per_chunk;
	u32 chunk_shift;
	u32 nr_chunks;
	struct page **pages;
	dma_addr_t *buf_dma;
	u8 *owner;

	struct ixgbe_bifurc_uring fill;
	struct ixgbe_bifurc_uring comp;
	struct bifurc_counters *cnt;
	size_t cnt_len;

	u8 stat_idx;
	u64 no_buf_base;
	wait_queue_head_t *wq;

	enum dma_data_direction dma_dir;
	struct ixgbe_ring *tx_ring;
	union ixgbe_adv_tx_desc *txd;
	dma_addr_t txd_dma;
	u32 tx_ndesc;
	u8 __iomem *tx_tail;
	u32 tx_next;
	u32 tx_clean;
	u32 tx_clean_seen;
	bool tx_hung;
	bool tx_discard;
	struct ixgbe_bifurc_txslot *tx_slot;
	struct ixgbe_bifurc_uring tx;
	struct ixgbe_bifurc_uring txc;
	u32 max_tx_frame;
	struct page **raw_pages;
	size_t raw_len;
	bool privileged;
	struct user_struct *user;
	unsigned long locked_pages;
	struct ixgbe_bifurc_held_port held[IXGBE_BIFURC_MAX_FLOWS];
	u32 nr_held;
	bool tx_src_check;
	u16 port_lo;
	u16 port_hi;
	u8 *tx_hdr;
	dma_addr_t tx_hdr_dma;
	struct list_head stray;
	bool orphan;
	struct pid *owner_pid;
	kuid_t owner_uid;
	char owner_comm[TASK_COMM_LEN];
	time64_t since;
	u64 mirrored;
};

/**
 * struct ixgbe_bifurc_totals - counters of past attachments of a queue
 * @rx_packets: frames delivered
 * @rx_bytes: bytes delivered
 * @rx_no_buf: frames dropped for lack of buffers
 * @rx_bad_id: fill ids rejected
 * @kicks: BIFURC_IOC_KICK calls
 * @tx_packets: frames sent
 * @tx_bytes: bytes sent
 * @tx_bad_id: tx ids rejected
 * @tx_bad_frame: frames refused
 * @mirrored: frames handed to the packet taps
 */
struct ixgbe_bifurc_totals {
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_no_buf;
	u64 rx_bad_id;
	u64 kicks;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_bad_id;
	u64 tx_bad_frame;
	u64 mirrored;
};

/* Who, besides CAP_NET_ADMIN, may attach a reserved queue. */
enum ixgbe_bifurc_grant_kind {
	IXGBE_BIFURC_GRANT_NONE,
	IXGBE_BIFURC_GRANT_USER,
	IXGBE_BIFURC_GRANT_GROUP,
};

/**
 * struct ixgbe_bifurc_grant - an administrator's grant of one queue
 * @kind: nobody (only CAP_NET_ADMIN), a user or a group
 * @uid: the user, compared with the caller's fsuid
 * @gid: the group, one of the caller's groups
 * @port_lo: lowest destination port the grantee may steer; 0: the grant
 *	names no ports, and any port the grantee could bind is allowed
 * @port_hi: highest such port
 */
struct ixgbe_bifurc_grant {
	enum ixgbe_bifurc_grant_kind kind;
	kuid_t uid;
	kgid_t gid;
	u16 port_lo;
	u16 port_hi;
};

/**
 * struct ixgbe_bifurc_grant_line - a parsed line of the "grant" attribute
 * @queue: the queue
 * @kind: what is granted
 * @id: the uid or gid as the writer sees it; 0 for "none"
 * @port_lo: first port of "ports LO[-HI]", 0 without
 * @port_hi: last port, 0 without
 */
struct ixgbe_bifurc_grant_line {
	u32 queue;
	enum ixgbe_bifurc_grant_kind kind;
	u32 id;
	u16 port_lo;
	u16 port_hi;
};

/**
 * struct ixgbe_bifurc - bifurc state of one adapter
 * @dev: the class device "bifurc-<pci bdf>", child of the PCI device
 * @cdev: the character device; its kobject pins @dev while a file is open
 * @adapter: the adapter; NULL once the PCI device is gone.  Written under
 *	RTNL; read under RTNL or with READ_ONCE() to test for removal.
 *	The adapter's own pointer to this structure is cleared, followed by
 *	synchronize_net(), before the structure can go away, so the lockless
 *	readers (TX queue selection, NAPI) run inside an RCU-BH section.
 * @reserved: queues reserved for bifurc.  Written under RTNL; the stack's
 *	TX path reads it locklessly with test_bit().
 * @mirror: reserved queues whose frames also go to the netdev's packet
 *	taps.  Written under RTNL, read by the data path without a lock.
 * @att: attachment of each queue.  Protected by RTNL.
 * @grant: who may attach each reserved queue without CAP_NET_ADMIN; it
 *	ends with the reservation.  Protected by RTNL.
 * @totals: per-queue counters of finished attachments.  Protected by RTNL.
 * @stat_used: RQSMR statistics indices in use.  Protected by RTNL.
 * @quiet_vectors: MSI-X vectors masked for busy-poll attachments.
 *	Written under RTNL, read locklessly by ixgbe_irq_enable_queues().
 * @stray: ended attachments whose queue did not stop; their pools stay
 *	allocated and mapped until a MAC reset stops it.  Protected by RTNL.
 * @srrctl_lock: serialises ixgbe's SRRCTL read-modify-writes (the service
 *	task's DROP_EN updates run without RTNL) with bifurc's SRRCTL write
 * @attach_lock: serialises ATTACHes, which build their pools without
 *	RTNL, with each other and with ixgbe_bifurc_remove(); taken before
 *	RTNL
 */
struct ixgbe_bifurc {
	struct device dev;
	struct cdev cdev;
	struct ixgbe_adapter *adapter;
	DECLARE_BITMAP(reserved, BIFURC_MAX_QUEUES);
	DECLARE_BITMAP(mirror, BIFURC_MAX_QUEUES);
	struct ixgbe_bifurc_att *att[BIFURC_MAX_QUEUES];
	struct ixgbe_bifurc_grant grant[BIFURC_MAX_QUEUES];
	struct ixgbe_bifurc_totals totals[BIFURC_MAX_QUEUES];
	unsigned long stat_used;
	unsigned long stats_jiffies;	/* last ixgbe_update_stats() by STATS */
	u64 quiet_vectors;
	struct list_head stray;
	spinlock_t srrctl_lock;	/* ixgbe_bifurc_srrctl_rmw() */
	struct mutex attach_lock;	/* ixgbe_bifurc_ioc_attach() */
};

/* Counter update; user space reads the page concurrently (uapi section 6). */
static inline void ixgbe_bifurc_add(u64 *counter, u64 n)
{
	WRITE_ONCE(*counter, *counter + n);
}

/* Descriptor packet type (82599 7.1.6.2) to the adapter-neutral ABI value. */
static inline u16 ixgbe_bifurc_ptype(u16 pkt_info)
{
	u16 ptype = BIFURC_PTYPE_L3_NONE;

	if (pkt_info & IXGBE_RXDADV_PKTTYPE_IPV4_EX)
		ptype = BIFURC_PTYPE_L3_IPV4_EXT;
	else if (pkt_info & IXGBE_RXDADV_PKTTYPE_IPV4)
		ptype = BIFURC_PTYPE_L3_IPV4;
	else if (pkt_info & IXGBE_RXDADV_PKTTYPE_IPV6_EX)
		ptype = BIFURC_PTYPE_L3_IPV6_EXT;
	else if (pkt_info & IXGBE_RXDADV_PKTTYPE_IPV6)
		ptype = BIFURC_PTYPE_L3_IPV6;

	if (pkt_info & IXGBE_RXDADV_PKTTYPE_TCP)
		ptype |= BIFURC_PTYPE_L4_TCP;
	else if (pkt_info & IXGBE_RXDADV_PKTTYPE_UDP)
		ptype |= BIFURC_PTYPE_L4_UDP;
	else if (pkt_info & IXGBE_RXDADV_PKTTYPE_SCTP)
		ptype |= BIFURC_PTYPE_L4_SCTP;
	return ptype;
}

/* Descriptor status and errors (82599 7.1.6.2) to BIFURC_RX_F_*. */
static inline u16 ixgbe_bifurc_rx_flags(u32 staterr, u16 pkt_info)
{
	u16 flags = 0;

	if (staterr & IXGBE_RXD_STAT_EOP)
		flags |= BIFURC_RX_F_EOP;
	if (pkt_info & IXGBE_RXDADV_RSSTYPE_MASK)
		flags |= BIFURC_RX_F_HASH;
	if (staterr & IXGBE_RXD_STAT_VP)
		flags |= BIFURC_RX_F_VLAN;
	if (staterr & IXGBE_RXD_STAT_FLM)
		flags |= BIFURC_RX_F_FLOW;
	if ((staterr & IXGBE_RXD_STAT_IPCS) &&
	    !(staterr & IXGBE_RXDADV_ERR_IPE))
		flags |= BIFURC_RX_F_L3_CSUM_OK;
	if ((staterr & IXGBE_RXD_STAT_L4CS) &&
	    !(staterr & IXGBE_RXDADV_ERR_TCPE))
		flags |= BIFURC_RX_F_L4_CSUM_OK;
	if (staterr & (IXGBE_RXDADV_ERR_IPE | IXGBE_RXDADV_ERR_TCPE))
		flags |= BIFURC_RX_F_CSUM_BAD;
	return flags;
}

/*
 * The harvest reads both answers from tables, filled at module load from
 * the two functions above.  The flags index is the status word rotated
 * left by 2, which brings the error bits down next to the status bits:
 * TCPE (30) to bit 0, IPE (31) to 1, EOP (1) to 3, FLM (2) to 4, VP (3)
 * to 5, L4CS (5) to 7 and IPCS (6) to 8.  DD (0), set in every descriptor
 * the harvest reads, would land on bit 2, which says instead whether the
 * RSS type is not 0.  The packet type index is bits 4-10 of pkt_info.
 */
#define IXGBE_BIFURC_FLAGS_LUT_SIZE	512
#define IXGBE_BIFURC_FLAGS_IDX_STATERR	0x1bbU	/* the bits named above */
#define IXGBE_BIFURC_FLAGS_IDX_HASH	0x004U
#define IXGBE_BIFURC_PTYPE_LUT_SIZE	128

static inline u32 ixgbe_bifurc_flags_idx(u32 staterr, u16 pkt_info)
{
	return (rol32(staterr, 2) & IXGBE_BIFURC_FLAGS_IDX_STATERR) |
	       ((pkt_info & IXGBE_RXDADV_RSSTYPE_MASK) ?
		IXGBE_BIFURC_FLAGS_IDX_HASH : 0);
}

static inline u32 ixgbe_bifurc_ptype_idx(u16 pkt_info)
{
	return (pkt_info >> 4) & (IXGBE_BIFURC_PTYPE_LUT_SIZE - 1);
}

/**
 * ixgbe_bifurc_take_id - move a buffer id from user space to the kernel
 * @owner: ownership byte per buffer id
 * @buf_count: buffers in the pool
 * @id: buffer id read from a user-written ring
 *
 * Design rule 1: no id reaches the NIC without this check.
 *
 * Context: any; the caller serialises access to @owner.
 * Return: 0 and the id is now kernel-owned; -ERANGE if @id is not a
 * buffer of the pool; -EBUSY if the kernel already holds it (double use).
 */
static inline int ixgbe_bifurc_take_id(u8 *owner, u32 buf_count, u32 id)
{
	if (id >= buf_count)
		return -ERANGE;
	if (owner[id] != IXGBE_BIFURC_BUF_USER)
		return -EBUSY;
	owner[id] = IXGBE_BIFURC_BUF_KERNEL;
	return 0;
}

#if IS_ENABLED(CONFIG_IXGBE_BIFURC)

int ixgbe_bifurc_init(void);
void ixgbe_bifurc_exit(void);
void ixgbe_bifurc_probe(struct ixgbe_adapter *adapter);
void ixgbe_bifurc_remove(struct ixgbe_adapter *adapter);
void ixgbe_bifurc_down(struct ixgbe_adapter *adapter);
void ixgbe_bifurc_reset_done(struct ixgbe_adapter *adapter);
void ixgbe_bifurc_srrctl_rmw(struct ixgbe_adapter *adapter,
			     struct ixgbe_ring *ring, u32 clear, u32 set);
bool ixgbe_bifurc_queue_reserved(struct ixgbe_adapter *adapter,
				 unsigned int queue);
u16 ixgbe_bifurc_select_queue(struct ixgbe_adapter *adapter, u16 txq);
netdev_tx_t ixgbe_bifurc_xmit_hidden(struct sk_buff *skb,
				     struct ixgbe_adapter *adapter);
void ixgbe_bifurc_filter_reta(struct ixgbe_adapter *adapter, u8 *tbl,
			      u32 entries);
int ixgbe_bifurc_check_reta(struct ixgbe_adapter *adapter, const u32 *indir,
			    u32 entries, struct netlink_ext_ack *extack);
int ixgbe_bifurc_check_channels(struct ixgbe_adapter *adapter,
				unsigned int count);
void ixgbe_bifurc_configure_rx_ring(struct ixgbe_adapter *adapter,
				    struct ixgbe_ring *ring);
int ixgbe_bifurc_clean_rx_irq(struct ixgbe_q_vector *q_vector,
			      struct ixgbe_ring *ring, int budget);
void ixgbe_bifurc_configure_tx_ring(struct ixgbe_adapter *adapter,
				    struct ixgbe_ring *ring);
bool ixgbe_bifurc_clean_tx_irq(struct ixgbe_q_vector *q_vector,
			       struct ixgbe_ring *ring, int budget);
int ixgbe_bifurc_get_sset_count(struct ixgbe_adapter *adapter);
void ixgbe_bifurc_get_strings(struct ixgbe_adapter *adapter, u8 **p);
void ixgbe_bifurc_get_ethtool_stats(struct ixgbe_adapter *adapter,
				    u64 *data);
unsigned long ixgbe_bifurc_pages_held(void);

/* Pure helpers, shared by the datapath and the KUnit suite. */
bool ixgbe_bifurc_ring_used(u32 prod, u32 cons, u32 size, u32 *used);
int ixgbe_bifurc_reta_filter(u8 *tbl, u32 entries, u32 nq,
			     const unsigned long *reserved);
int ixgbe_bifurc_check_reserve(u32 queue, u32 nr_queues, u32 rss_queues,
			       const unsigned long *reserved);
int ixgbe_bifurc_parse_grant(const char *buf,
			     struct ixgbe_bifurc_grant_line *line);
int ixgbe_bifurc_parse_mirror(const char *buf, u32 *queue, bool *on);
unsigned long ixgbe_bifurc_att_pages(const struct bifurc_attach *a);
u16 ixgbe_bifurc_pick_txq(u16 txq, u16 nr_txq, const unsigned long *reserved);
int ixgbe_bifurc_check_attach(const struct bifurc_attach *a);
int ixgbe_bifurc_check_flow(const struct bifurc_flow_rule *r);
int ixgbe_bifurc_parse_tx_source(const u8 *hdr, u32 len,
				 struct ixgbe_bifurc_tx_source *src);

/**
 * ixgbe_bifurc_check_tx_frame - validate one frame of tx entries
 * @e: the frame's entries, as copied from the tx ring
 * @n: number of entries, >= 1
 * @buf_size: bytes per buffer
 * @max_frame: largest frame length accepted
 *
 * Checks everything about a frame except its buffer ids (uapi section 4a):
 * the shape of the MORE chain, every entry's offset and length within its
 * buffer, and the total length.
 *
 * Inline: it runs for every frame sent, and for a frame of one entry,
 * the common case, it reduces to a few comparisons.
 *
 * Context: any.
 * Return: 0 if the frame may be sent, -EINVAL otherwise.
 */
static inline int ixgbe_bifurc_check_tx_frame(const struct bifurc_tx_entry *e,
					      u32 n, u32 buf_size,
					      u32 max_frame)
{
	u32 i, total = 0;

	if (!n || n > BIFURC_TX_MAX_FRAGS)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (e[i].flags & ~BIFURC_TX_F_MORE)
			return -EINVAL;
		/* MORE on every entry but the last */
		if (!(e[i].flags & BIFURC_TX_F_MORE) != (i == n - 1))
			return -EINVAL;
		if (!e[i].len || e[i].offset > buf_size ||
		    e[i].len > buf_size - e[i].offset)
			return -EINVAL;
		total += e[i].len;
	}
	if (total < BIFURC_TX_MIN_FRAME || total > max_frame)
		return -EINVAL;
	return 0;
}

/* Raw descriptor mode: user space reads the NIC's ring (uapi section 5). */
static inline bool ixgbe_bifurc_raw(const struct ixgbe_bifurc_att *att)
{
	return att->flags & BIFURC_ATTACH_RAW_DESC;
}

/* The kernel address of buffer @id; a chunk is contiguous. */
static inline u8 *ixgbe_bifurc_buf_va(const struct ixgbe_bifurc_att *att,
				      u32 id)
{
	return (u8 *)page_address(att->pages[(id >> att->chunk_shift) <<
					     att->chunk_order]) +
	       (size_t)(id & (att->bufs_per_chunk - 1)) * att->buf_size;
}

/*
 * Whether this harvest or submit pass copies frames to the packet taps:
 * the queue is mirrored and the netdev has a tap.  Read once per pass, so
 * the administrator switches the mirror between passes, never within one.
 */
static inline bool ixgbe_bifurc_mirroring(const struct ixgbe_bifurc_att *att)
{
	return test_bit(att->queue, att->bdev->mirror) &&
	       dev_nit_active(att->bdev->adapter->netdev);
}

/* ixgbe_bifurc_mirror.c */
void ixgbe_bifurc_mirror(struct ixgbe_bifurc_att *att,
			 const struct bifurc_tx_entry *frag, u32 n,
			 const union ixgbe_adv_rx_desc *rxd, const u8 *hdr);

/* ixgbe_bifurc_rx.c */
extern u16 ixgbe_bifurc_flags_lut[IXGBE_BIFURC_FLAGS_LUT_SIZE];
extern u8 ixgbe_bifurc_ptype_lut[IXGBE_BIFURC_PTYPE_LUT_SIZE];
void ixgbe_bifurc_init_luts(void);
void ixgbe_bifurc_harvest(struct ixgbe_bifurc_att *att, u32 max, u32 *done);
void ixgbe_bifurc_refill(struct ixgbe_bifurc_att *att, u32 *refilled,
			 u32 *rejected);
long ixgbe_bifurc_kick(struct ixgbe_bifurc_att *att, struct bifurc_kick *k);
__poll_t ixgbe_bifurc_poll_att(struct ixgbe_bifurc_att *att);

/* ixgbe_bifurc_tx.c */
void ixgbe_bifurc_tx_reclaim(struct ixgbe_bifurc_att *att, u32 *done);
void ixgbe_bifurc_tx_submit(struct ixgbe_bifurc_att *att, u32 *submitted,
			    u32 *rejected);
void ixgbe_bifurc_tx_stop_hw(struct ixgbe_bifurc_att *att);

/* ixgbe_bifurc_flow.c */
long ixgbe_bifurc_flow_add(struct ixgbe_bifurc_att *att,
			   struct bifurc_flow_rule *r, bool hold);
long ixgbe_bifurc_flow_del(struct ixgbe_bifurc_att *att, u32 rule_id);
void ixgbe_bifurc_flow_mask(struct ixgbe_bifurc_att *att,
			    struct bifurc_flow_mask *m);
void ixgbe_bifurc_flow_flush(struct ixgbe_bifurc_att *att);

#else /* CONFIG_IXGBE_BIFURC */

static inline int ixgbe_bifurc_init(void)
{
	return 0;
}

static inline void ixgbe_bifurc_exit(void)
{
}

static inline void ixgbe_bifurc_probe(struct ixgbe_adapter *adapter)
{
}

static inline void ixgbe_bifurc_remove(struct ixgbe_adapter *adapter)
{
}

static inline void ixgbe_bifurc_down(struct ixgbe_adapter *adapter)
{
}

static inline void ixgbe_bifurc_reset_done(struct ixgbe_adapter *adapter)
{
}

static inline void ixgbe_bifurc_srrctl_rmw(struct ixgbe_adapter *adapter,
					   struct ixgbe_ring *ring, u32 clear,
					   u32 set)
{
	struct ixgbe_hw *hw = &adapter->hw;
	u32 srrctl = IXGBE_READ_REG(hw, IXGBE_SRRCTL(ring->reg_idx));

	IXGBE_WRITE_REG(hw, IXGBE_SRRCTL(ring->reg_idx),
			(srrctl & ~clear) | set);
}

static inline bool ixgbe_bifurc_queue_reserved(struct ixgbe_adapter *adapter,
					       unsigned int queue)
{
	return false;
}

static inline u16 ixgbe_bifurc_select_queue(struct ixgbe_adapter *adapter,
					    u16 txq)
{
	return txq;
}

static inline netdev_tx_t ixgbe_bifurc_xmit_hidden(struct sk_buff *skb,
						   struct ixgbe_adapter *adapter)
{
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static inline void ixgbe_bifurc_filter_reta(struct ixgbe_adapter *adapter,
					    u8 *tbl, u32 entries)
{
}

static inline int ixgbe_bifurc_check_reta(struct ixgbe_adapter *adapter,
					  const u32 *indir, u32 entries,
					  struct netlink_ext_ack *extack)
{
	return 0;
}

static inline int ixgbe_bifurc_check_channels(struct ixgbe_adapter *adapter,
					      unsigned int count)
{
	return 0;
}

static inline void ixgbe_bifurc_configure_rx_ring(struct ixgbe_adapter *adapter,
						  struct ixgbe_ring *ring)
{
}

static inline int ixgbe_bifurc_clean_rx_irq(struct ixgbe_q_vector *q_vector,
					    struct ixgbe_ring *ring, int budget)
{
	return 0;
}

static inline void ixgbe_bifurc_configure_tx_ring(struct ixgbe_adapter *adapter,
						  struct ixgbe_ring *ring)
{
}

static inline bool ixgbe_bifurc_clean_tx_irq(struct ixgbe_q_vector *q_vector,
					     struct ixgbe_ring *ring,
					     int budget)
{
	return true;
}

static inline int ixgbe_bifurc_get_sset_count(struct ixgbe_adapter *adapter)
{
	return 0;
}

static inline void ixgbe_bifurc_get_strings(struct ixgbe_adapter *adapter,
					    u8 **p)
{
}

static inline void ixgbe_bifurc_get_ethtool_stats(struct ixgbe_adapter *adapter,
						  u64 *data)
{
}

#endif /* CONFIG_IXGBE_BIFURC */

/**
 * ixgbe_bifurc_ring - the attachment that drives an RX or TX ring
 * @ring: an RX or TX ring of the adapter
 *
 * The pointer only changes while the ring is stopped (NAPI disabled,
 * RXDCTL.ENABLE clear), so NAPI and the ring setup code read it plainly.
 *
 * Context: NAPI, or process context with RTNL held.
 * Return: the attachment, or NULL for a ring the kernel stack owns.
 */
static inline struct ixgbe_bifurc_att *
ixgbe_bifurc_ring(const struct ixgbe_ring *ring)
{
	return IS_ENABLED(CONFIG_IXGBE_BIFURC) ? ring->bifurc : NULL;
}

/**
 * ixgbe_bifurc_quiet_vectors - MSI-X vectors kept masked for busy polling
 * @adapter: the adapter
 *
 * Context: any.
 * Return: a mask of vector indices that must not be re-enabled.
 */
static inline u64 ixgbe_bifurc_quiet_vectors(struct ixgbe_adapter *adapter)
{
	struct ixgbe_bifurc *bdev;

	if (!IS_ENABLED(CONFIG_IXGBE_BIFURC))
		return 0;
	bdev = READ_ONCE(adapter->bifurc);
	return bdev ? READ_ONCE(bdev->quiet_vectors) : 0;
}

#endif /* _IXGBE_BIFURC_H_ */
