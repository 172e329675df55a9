/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * libbifurc: receive and transmit packets on a hidden ixgbe queue with no
 * copy and no per-packet system call.  Overview: libbifurc(7).  Kernel ABI:
 * <linux/bifurc.h> (kernel/include/uapi/linux/bifurc.h in the bifurc tree);
 * this header does not need it.
 *
 * Return values.  Every function that can fail returns a negative errno
 * value (-EINVAL, -ENETRESET, ...), never sets errno, never prints and
 * never exits; bifurc_strerror() turns the value into a sentence.
 *
 * Thread safety.
 *   - Different queues (struct bifurc_queue) are independent: any number of
 *     threads may each use their own queue with no locking.
 *   - One queue's data path (bifurc_rx_burst, bifurc_rx_release,
 *     bifurc_tx_alloc, bifurc_tx_burst, bifurc_tx_complete, bifurc_wait)
 *     keeps unlocked cached ring indices and one buffer ownership table
 *     shared by RX and TX, and must be called by one thread at a time; use
 *     one queue per thread (the library takes no lock anywhere).
 *   - bifurc_fd, bifurc_queue_info, bifurc_stats, bifurc_flow_add,
 *     bifurc_flow_del and bifurc_flow_mask touch no data-path state (the
 *     handle's counters that bifurc_stats reads are atomic): they may run
 *     in another thread concurrently with the data path.
 *   - bifurc_close must not race with any other call on the same queue.
 *   - bifurc_strerror is thread-safe (it returns constant strings).
 *   - No function is async-signal-safe.  After fork() only the parent may
 *     use a queue.
 *
 * Zero copy.  bifurc_rx_burst hands out views (pointer + length) into the
 * kernel's buffer pool; the buffer belongs to the application until it is
 * given back with bifurc_rx_release.  The pointer stays valid until then;
 * after release the kernel may hand the buffer to the NIC again.
 *
 * Transmit (BIFURC_OPT_TX) uses the same pool and the same ownership: a
 * buffer the application holds (from bifurc_rx_burst or
 * bifurc_tx_complete) may be sent as it is with bifurc_tx_burst, for
 * example to echo a received frame without a copy.  From then on the
 * kernel holds it, and the application must not write it, until
 * bifurc_tx_complete hands it back; then it may go to bifurc_rx_release
 * or to bifurc_tx_burst again:
 *
 *   rx_burst -> [app] -> tx_burst -> [kernel, NIC] -> tx_complete -> [app]
 *            -> rx_release -> [kernel, fill ring] -> rx_burst ...
 *
 * A sender that does not receive asks bifurc_open to keep some buffers out
 * of the fill ring (bifurc_opts.tx_buf_count, since 0.3), takes them with
 * bifurc_tx_alloc, and bifurc_rx_release puts them back there:
 *
 *   tx_alloc -> [app] -> tx_burst -> [kernel, NIC] -> tx_complete -> [app]
 *            -> rx_release -> [library, TX reserve] -> tx_alloc ...
 */
#ifndef LIBBIFURC_BIFURC_H
#define LIBBIFURC_BIFURC_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBBIFURC_VERSION_MAJOR	0
#define LIBBIFURC_VERSION_MINOR	4

/* An attached queue.  Opaque: the layout is private to the library. */
struct bifurc_queue;

/* bifurc_opts.flags */
#define BIFURC_OPT_BUSY_POLL	(1U << 0)	/* no interrupts; see bifurc_wait */
#define BIFURC_OPT_RAW_DESC	(1U << 1)	/* read NIC descriptors directly
						 * (CAP_SYS_ADMIN or IOMMU) */
#define BIFURC_OPT_TX		(1U << 2)	/* also attach the TX queue of
						 * the same index (0.2) */

/*
 * Options for bifurc_open.  Set size = sizeof(struct bifurc_opts); a zero
 * field means "library default" (chosen within the adapter's limits).  A
 * non-zero value goes to the kernel unchanged: it must be a power of two
 * within the adapter's limits, else bifurc_open returns -EINVAL.  A
 * caller built against an older, shorter struct (0.1 ended at
 * comp_entries, 0.2 at reserved0) gets the defaults for the fields it
 * does not know.  The tx_* fields must be 0 without BIFURC_OPT_TX.
 * tx_buf_count is the library's own, not the kernel's: any number up to
 * buf_count (bifurc_tx_alloc(3)).
 */
struct bifurc_opts {
	size_t   size;		/* sizeof(struct bifurc_opts) */
	uint32_t flags;		/* BIFURC_OPT_* */
	uint32_t rx_desc;	/* NIC RX descriptors; 0: 512 */
	uint32_t buf_size;	/* bytes per buffer; 0: 2048 */
	uint32_t buf_count;	/* buffers in the pool; 0: 2 * rx_desc */
	uint32_t fill_entries;	/* fill ring; 0: buf_count rounded up */
	uint32_t comp_entries;	/* completion ring; 0: buf_count rounded up
				 * (raw mode: must be 0 or rx_desc) */
	/* Since 0.2, with BIFURC_OPT_TX: */
	uint32_t tx_desc;	/* NIC TX descriptors; 0: rx_desc */
	uint32_t tx_entries;	/* tx ring; 0: buf_count rounded up */
	uint32_t txc_entries;	/* tx completion ring; 0: buf_count rounded
				 * up, so it never holds back TX */
	uint32_t reserved0;	/* zero */
	/* Since 0.3, with BIFURC_OPT_TX: */
	uint32_t tx_buf_count;	/* buffers of the pool kept for
				 * bifurc_tx_alloc, never posted for
				 * reception; 0: none, buf_count: a
				 * transmit-only queue */
	uint32_t reserved1;	/* zero */
};

/* bifurc_pkt.flags: same values as the kernel's BIFURC_RX_F_* */
#define BIFURC_PKT_EOP		(1U << 0)	/* last buffer of the frame */
#define BIFURC_PKT_HASH		(1U << 1)	/* hash is valid */
#define BIFURC_PKT_VLAN		(1U << 2)	/* vlan_tci valid (tag stripped) */
#define BIFURC_PKT_L3_CSUM_OK	(1U << 3)	/* IPv4 header checksum good */
#define BIFURC_PKT_L4_CSUM_OK	(1U << 4)	/* TCP/UDP checksum good */
#define BIFURC_PKT_CSUM_BAD	(1U << 5)	/* the NIC found a bad checksum */
#define BIFURC_PKT_FLOW		(1U << 6)	/* matched a flow rule */
/* bifurc_tx_complete only: the kernel refused the frame, nothing was sent */
#define BIFURC_PKT_TX_REFUSED	(1U << 15)

/* bifurc_pkt.ptype: same values as the kernel's BIFURC_PTYPE_* */
#define BIFURC_PKT_L3_MASK	0x000fU
#define BIFURC_PKT_L3_IPV4	0x0001U
#define BIFURC_PKT_L3_IPV4_EXT	0x0002U
#define BIFURC_PKT_L3_IPV6	0x0003U
#define BIFURC_PKT_L3_IPV6_EXT	0x0004U
#define BIFURC_PKT_L4_MASK	0x00f0U
#define BIFURC_PKT_L4_TCP	0x0010U
#define BIFURC_PKT_L4_UDP	0x0020U
#define BIFURC_PKT_L4_SCTP	0x0030U

/*
 * One buffer the application now holds, a zero-copy view into the pool:
 * a received frame (bifurc_rx_burst), or a buffer back from transmit
 * (bifurc_tx_complete: data is where a received frame would start, len 0).
 */
struct bifurc_pkt {
	void     *data;		/* first byte of the frame (Ethernet header) */
	uint32_t  len;		/* bytes at data */
	uint32_t  buf;		/* buffer id: give it back with rx_release */
	uint32_t  hash;		/* RSS hash if BIFURC_PKT_HASH */
	uint16_t  flags;	/* BIFURC_PKT_* */
	uint16_t  ptype;	/* BIFURC_PKT_L3_* | BIFURC_PKT_L4_* */
	uint16_t  vlan_tci;	/* if BIFURC_PKT_VLAN */
	uint16_t  reserved0;
	uint32_t  reserved1;
};

/* bifurc_tx.flags: same value as the kernel's BIFURC_TX_F_MORE */
#define BIFURC_TX_MORE		(1U << 0)	/* the frame continues in the
						 * next entry */

/*
 * One buffer to transmit (bifurc_tx_burst).  A frame is 1 to 8
 * consecutive entries, all but the last with BIFURC_TX_MORE; its total
 * length is 60 (Ethernet minimum without FCS, no padding is added) to
 * max_tx_frame (bifurc_queue_info) bytes.  The NIC appends the FCS.
 */
struct bifurc_tx {
	uint32_t buf;		/* buffer id the application holds */
	uint32_t offset;	/* data start from the first byte of the buffer
				 * (pool + buf * buf_size); a received frame
				 * starts at rx_headroom */
	uint32_t len;		/* bytes, >= 1; offset + len <= buf_size */
	uint32_t flags;		/* BIFURC_TX_MORE or 0 */
};

union bifurc_addr {
	struct in_addr  v4;
	struct in6_addr v6;
};

/*
 * A flow to steer to the queue.  Set size = sizeof(struct bifurc_flow)
 * (since 0.3): like struct bifurc_opts, a shorter structure gets zero for
 * the fields it lacks and a longer one is accepted if the tail this
 * library does not know is zero; programs built against 0.1 or 0.2, whose
 * structure had no size, keep working (symbol versions).  Ports and
 * addresses are in network byte order.  For each of the four fields
 * (src_port, dst_port, src, dst):
 *   - mask all zero and value zero: the field is not compared;
 *   - mask all zero and value non-zero: the field is compared exactly;
 *   - mask non-zero: compared where the mask has 1 bits; value bits outside
 *     the mask must be zero.
 * So (struct bifurc_flow){ .size = sizeof(struct bifurc_flow),
 * .proto = IPPROTO_UDP, .dst_port = htons(53) } means "UDP over IPv4 to
 * port 53, any address".
 */
struct bifurc_flow {
	size_t   size;		/* sizeof(struct bifurc_flow) (0.3) */
	uint8_t  proto;		/* IPPROTO_UDP or IPPROTO_TCP */
	uint8_t  family;	/* AF_INET (also 0) or AF_INET6 */
	uint16_t reserved;	/* zero */
	uint16_t src_port;
	uint16_t dst_port;
	uint16_t src_port_mask;
	uint16_t dst_port_mask;
	union bifurc_addr src;
	union bifurc_addr dst;
	union bifurc_addr src_mask;
	union bifurc_addr dst_mask;
	uint32_t reserved1;	/* zero; no hidden padding before a new field */
};

/* bifurc_flow_mask_info.flags */
#define BIFURC_FLOW_MASK_SET	(1U << 0)	/* a mask is in force */
#define BIFURC_FLOW_MASK_OTHER	(1U << 1)	/* it also covers fields that
						 * struct bifurc_flow cannot
						 * show (VLAN, flex bytes) */

/*
 * The port's single flow mask (82599: one per port), bifurc_flow_mask().
 * Set mask.size = sizeof(mask) before the call (since 0.3): the library
 * writes no more of mask than that, and leaves there the size it wrote.
 */
struct bifurc_flow_mask_info {
	uint32_t flags;		/* BIFURC_FLOW_MASK_* */
	uint32_t rules;		/* perfect rules on the port, any owner */
	uint32_t owned;		/* of those, owned by this queue */
	uint32_t reserved;
	struct bifurc_flow mask;	/* in: size; out: family and the
					 * *_mask fields */
};

/* Counters of one queue, bifurc_stats(). */
struct bifurc_stats {
	uint64_t rx_packets;	/* frames delivered */
	uint64_t rx_bytes;	/* bytes delivered */
	uint64_t rx_no_buf;	/* dropped by the NIC: no buffer posted */
	uint64_t rx_bad_id;	/* buffer ids the kernel refused */
	uint64_t rx_ring_err;	/* malformed ring indices seen by the kernel */
	uint64_t rx_comp_full;	/* kernel held back: completion ring full */
	uint64_t kicks;		/* kick system calls (kernel count) */
	uint64_t wakeups;	/* interrupts that woke a waiter */
	uint64_t tx_packets;	/* frames the NIC sent */
	uint64_t tx_bytes;	/* their bytes */
	uint64_t tx_bad_id;	/* tx buffer ids the kernel dropped */
	uint64_t tx_ring_err;	/* malformed tx/txc ring indices */
	uint64_t lib_kicks;	/* kick system calls made by this handle */
	uint64_t lib_bad_comp;	/* completions the library refused (RX, TX) */
	uint64_t tx_bad_frame;	/* frames the kernel refused (0.2) */
	uint64_t tx_ring_full;	/* kernel submit passes stopped by a full
				 * NIC or tx completion ring (0.2) */
	uint64_t reserved[16];
};

/* What bifurc_open actually set up, bifurc_queue_info(). */
struct bifurc_queue_info {
	char     ifname[16];	/* interface name at open time */
	uint32_t ifindex;	/* 0 if opened by device path or fd */
	uint32_t queue;
	uint32_t flags;		/* BIFURC_OPT_* in effect */
	uint32_t rx_desc;
	uint32_t fill_entries;
	uint32_t comp_entries;
	uint32_t buf_size;
	uint32_t buf_count;
	uint32_t rx_headroom;	/* data offset inside a buffer */
	uint32_t tx_desc;	/* NIC TX descriptors; 0 without TX (0.2) */
	void    *pool;		/* buffer i is at pool + i * buf_size */
	size_t   pool_len;
	uint32_t tx_entries;	/* tx ring; 0 without TX (0.2) */
	uint32_t txc_entries;	/* tx completion ring; 0 without TX (0.2) */
	uint32_t max_tx_frame;	/* longest frame tx_burst takes (sum of the
				 * entries' len; the NIC adds the FCS);
				 * 0 without TX (0.2) */
	uint32_t reserved0;
	uint64_t reserved[4];
};

/*
 * Attach to reserved RX queue "queue" of interface "ifname" (or, if ifname
 * contains a '/', of the bifurc device node at that path), and with
 * BIFURC_OPT_TX to the TX queue of the same index (-EOPNOTSUPP if the
 * kernel has no TX).  opts may be NULL.  On success *qp is set and every
 * buffer is already on its way to the NIC.  bifurc_open(3).
 */
int bifurc_open(struct bifurc_queue **qp, const char *ifname,
		unsigned int queue, const struct bifurc_opts *opts);

/*
 * As bifurc_open, on fd, a bifurc device node opened by someone else (a
 * broker that sent it over a unix socket).  The queue takes fd: closed by
 * bifurc_close, and before returning on any failure.  Since 0.3.
 * bifurc_open_fd(3).
 */
int bifurc_open_fd(struct bifurc_queue **qp, int fd, unsigned int queue,
		   const struct bifurc_opts *opts);

/*
 * Detach and free.  NULL is ignored.  Frames still queued or in flight
 * are not waited for: the kernel stops the queues and reclaims every
 * buffer.  bifurc_close(3).
 */
void bifurc_close(struct bifurc_queue *q);

/*
 * The file descriptor, for epoll (POLLIN: packets ready; with TX, POLLOUT:
 * tx ring room or buffers to take back).  bifurc_fd(3).
 */
int bifurc_fd(const struct bifurc_queue *q);

/* Fill *info with the sizes in effect.  bifurc_queue_info(3). */
int bifurc_queue_info(const struct bifurc_queue *q,
		      struct bifurc_queue_info *info);

/*
 * Steer a flow to this queue; returns the rule id (the ntuple location
 * "ethtool -n" shows), >= 0.  The rule goes away with the queue, so after
 * an -ENETRESET reopen add it again.  bifurc_flow_add(3).
 */
int bifurc_flow_add(struct bifurc_queue *q, const struct bifurc_flow *flow);

/* Remove a rule this queue added.  bifurc_flow_del(3). */
int bifurc_flow_del(struct bifurc_queue *q, int rule_id);

/* Which flow mask the port has, and how many rules hold it. */
int bifurc_flow_mask(struct bifurc_queue *q,
		     struct bifurc_flow_mask_info *info);

/*
 * Take up to n received buffers; returns how many (0: none ready), never
 * blocks.  The kernel produces the completion ring, the library consumes
 * it; in raw mode the NIC writes descriptors and the library reads them.
 * bifurc_rx_burst(3).
 */
int bifurc_rx_burst(struct bifurc_queue *q, struct bifurc_pkt *pkts,
		    unsigned int n);

/*
 * Give n buffers back: for reception, or those of the TX reserve to the
 * reserve (bifurc_tx_alloc).  All or nothing: a buffer id the application
 * does not hold fails the whole call with -EINVAL and nothing is taken;
 * otherwise all are taken and it returns 0 (a failed system call is
 * repeated and reported by the next call that kicks).  Batched: at most
 * one system call per 32 buffers in steady state.
 * bifurc_rx_release(3).
 */
int bifurc_rx_release(struct bifurc_queue *q, const struct bifurc_pkt *pkts,
		      unsigned int n);

/*
 * Queue up to n entries (whole frames only) on the tx ring; returns how
 * many entries were queued, never blocks.  All or nothing validation
 * first: a buffer the application does not hold, or an entry or frame the
 * kernel would refuse, fails the whole call with -EINVAL.  At most one
 * system call, and none while the NIC is busy sending.  Without
 * BIFURC_OPT_TX: -EOPNOTSUPP.  bifurc_tx_burst(3).
 */
int bifurc_tx_burst(struct bifurc_queue *q, const struct bifurc_tx *tx,
		    unsigned int n);

/*
 * Take back up to n transmitted (or kernel-refused: BIFURC_PKT_TX_REFUSED)
 * buffers; returns how many, never blocks.  The application holds them
 * again.  Since 0.2.  bifurc_tx_complete(3).
 */
int bifurc_tx_complete(struct bifurc_queue *q, struct bifurc_pkt *pkts,
		       unsigned int n);

/*
 * Take up to n free buffers of the TX reserve (bifurc_opts.tx_buf_count),
 * to write frames into and send; returns how many (0: none free), never
 * blocks, makes no system call.  Back from bifurc_tx_complete they are the
 * application's again; bifurc_rx_release returns them to the reserve, not
 * to the fill ring.  Since 0.3.  bifurc_tx_alloc(3).
 */
int bifurc_tx_alloc(struct bifurc_queue *q, struct bifurc_pkt *pkts,
		    unsigned int n);

/*
 * Wait until received packets are ready or timeout_ms passes (-1:
 * forever, 0: just check).  Returns > 0 when ready, 0 on timeout.  RX
 * only: bifurc_wait_tx waits for sent buffers.  bifurc_wait(3).
 */
int bifurc_wait(struct bifurc_queue *q, int timeout_ms);

/*
 * Wait until sent buffers can be taken back with bifurc_tx_complete, or
 * timeout_ms passes (-1: forever, 0: just check).  Returns how many are
 * back (> 0), 0 on timeout or when none are in flight.  Sleeps in the
 * kernel; on a kernel without BIFURC_INFO_F_TX_WAIT it looks once a
 * millisecond.  Without BIFURC_OPT_TX: -EOPNOTSUPP.  Since 0.4.
 * bifurc_wait_tx(3).
 */
int bifurc_wait_tx(struct bifurc_queue *q, int timeout_ms);

/* Snapshot of the queue's counters.  bifurc_stats(3). */
int bifurc_stats(struct bifurc_queue *q, struct bifurc_stats *st);

/* A sentence for a value returned by any bifurc function (err < 0). */
const char *bifurc_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* LIBBIFURC_BIFURC_H */
