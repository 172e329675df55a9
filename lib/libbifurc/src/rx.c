// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The receive data path: rx_burst, rx_release, wait.  bifurc_wait is RX
 * only: it polls for POLLIN and never kicks TX (tx.c).
 *
 * Ownership (<linux/bifurc.h> section 4): the kernel produces the
 * completion ring and we consume it; we produce the fill ring and the
 * kernel consumes it.  In raw mode the NIC writes descriptors and we read
 * them; the kernel only reclaims slots behind our consumer index.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* Move stashed ids into the fill ring, as many as fit.  No syscall. */
void bifurc_int_fill_from_stash(struct bifurc_queue *q)
{
	uint32_t *ring = q->fill.entries, *stash = q->stash;
	uint32_t n, i, prod = q->fill.cached_prod, mask = q->fill.mask;
	uint32_t top = q->stash_n;
	uint8_t *owner = q->owner;

	if (top == 0)
		return;
	n = bf_prod_free(&q->fill, top);
	if (n > top)
		n = top;
	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		uint32_t id = stash[top - 1 - i];

		owner[id] = BF_OWN_KERNEL;
		ring[(prod + i) & mask] = id;
	}
	q->stash_n -= n;
	q->kernel_held += n;
	bf_prod_submit(&q->fill, n);
}

/* Fill entries the kernel has not consumed yet. */
static uint32_t fill_pending(struct bifurc_queue *q)
{
	/* Pairs with the kernel's store-release of the fill consumer. */
	q->fill.cached_cons = bf_load_acquire(q->fill.consumer);
	return q->fill.cached_prod - q->fill.cached_cons;
}

/*
 * Raw mode: how many of the "pending" fill entries a refill kick could
 * post now.  The kernel posts at most rx_desc - 1 descriptors past the
 * ones we consumed (the kick takes those back first), and the comp
 * producer counts the posted ones.  With more buffers than descriptors
 * (the default pool is twice the ring) the fill ring always holds a
 * batch, and a kick while the NIC's ring is full would post nothing.
 */
static inline uint32_t raw_postable(struct bifurc_queue *q, uint32_t pending)
{
	/* Pairs with the kernel's store-release of the comp producer. */
	uint32_t posted = bf_load_acquire(q->comp.producer) -
			  q->comp.cached_cons;
	uint32_t room = posted < q->rx_desc - 1 ? q->rx_desc - 1 - posted : 0;

	return pending < room ? pending : room;
}

/*
 * Is a refill kick due?  Only for a full batch, or when the NIC itself is
 * down to less than a batch of buffers (an interrupt may then never come
 * to refill it), and then only if the kernel asked for one (NEED_WAKEUP).
 * In raw mode the batch counts only the buffers the NIC has room for.
 * "min_pending" lets the caller demand a full batch regardless.  The
 * counts come first: most calls end there, without the fence of
 * bf_needs_wakeup.  A stale consumer only overstates "pending".
 */
static inline int refill_due(struct bifurc_queue *q, uint32_t min_pending)
{
	uint32_t pending = fill_pending(q), useful = pending;

	if (pending && (q->opt_flags & BIFURC_OPT_RAW_DESC))
		useful = raw_postable(q, pending);
	if (useful == 0 || useful < min_pending)
		return 0;
	if (useful < BF_KICK_BATCH &&
	    q->kernel_held - pending >= BF_KICK_BATCH)
		return 0;
	return bf_needs_wakeup(&q->fill);
}

/*
 * Nothing to receive: report a dead attachment, push stashed buffers, and
 * make the one syscall the kernel needs, if any.  Busy-poll: harvest (and
 * refill) by hand, that is the mode's contract.  Except in raw mode while
 * a posted descriptor is left past our consumer: the NIC writes it back
 * where we read it, and the kernel's harvest would only check what we
 * consumed (a refill kick does that first anyway), so we spin on the
 * descriptor and kick only to refill.  With none left we kick as in comp
 * mode: only a kick posts more.
 */
static int rx_idle(struct bifurc_queue *q)
{
	uint32_t flags = 0;
	int err;

	err = bifurc_int_dead_status(q);
	if (err)
		return err;
	bifurc_int_fill_from_stash(q);
	if (bifurc_int_busy_poll(q) &&
	    (!(q->opt_flags & BIFURC_OPT_RAW_DESC) ||
	     bf_cons_avail(&q->comp, 1) == 0))
		flags = BIFURC_KICK_RX_HARVEST;
	if (refill_due(q, 1))
		flags |= BIFURC_KICK_RX_REFILL;
	return flags ? bifurc_int_kick(q, flags) : 0;
}

/*
 * Raw descriptor decoding, by table, with the kernel's answers for its comp
 * entries.  RAW_FLAGS_IDX is the status word rotated left by 2, which
 * brings the error bits down next to the status bits: TCPE (30) to bit 0,
 * IPE (31) to 1, EOP (1) to 3, FLM (2) to 4, VP (3) to 5, L4CS (5) to 7
 * and IPCS (6) to 8.  DD (0), always set here, would land on bit 2, which
 * says instead that the RSS type is not 0 (a hash is there).
 */
#define RAW_FLAGS_IDX(s, hash)						\
	(((((s) << 2) | ((s) >> 30)) & 0x1bbU) | ((hash) ? 0x04U : 0))
#define RAW_FLAGS(i)							\
	(((i) & 0x008 ? BIFURC_PKT_EOP : 0) |				\
	 ((i) & 0x004 ? BIFURC_PKT_HASH : 0) |				\
	 ((i) & 0x010 ? BIFURC_PKT_FLOW : 0) |				\
	 ((i) & 0x020 ? BIFURC_PKT_VLAN : 0) |				\
	 ((i) & 0x100 ? ((i) & 0x002 ? BIFURC_PKT_CSUM_BAD :		\
			 BIFURC_PKT_L3_CSUM_OK) : 0) |			\
	 ((i) & 0x080 ? ((i) & 0x001 ? BIFURC_PKT_CSUM_BAD :		\
			 BIFURC_PKT_L4_CSUM_OK) : 0))

/*
 * Packet type bits 4-10 (IPV4, IPV4_EX, IPV6, IPV6_EX, TCP, UDP, SCTP);
 * of several (a tunnel), the first of IPV4_EX, IPV4, IPV6_EX, IPV6 and of
 * TCP, UDP, SCTP names the frame.
 */
#define RAW_PTYPE(i)							\
	(((i) & 0x02 ? BIFURC_PKT_L3_IPV4_EXT : (i) & 0x01 ? BIFURC_PKT_L3_IPV4 : \
	  (i) & 0x08 ? BIFURC_PKT_L3_IPV6_EXT :				\
	  (i) & 0x04 ? BIFURC_PKT_L3_IPV6 : 0) |			\
	 ((i) & 0x10 ? BIFURC_PKT_L4_TCP : (i) & 0x20 ? BIFURC_PKT_L4_UDP :	\
	  (i) & 0x40 ? BIFURC_PKT_L4_SCTP : 0))

/* 128 and 512 entries from one macro, without writing them out */
#define RAW_X4(f, i)	f(i), f((i) + 1), f((i) + 2), f((i) + 3)
#define RAW_X16(f, i)	RAW_X4(f, i), RAW_X4(f, (i) + 4), RAW_X4(f, (i) + 8), \
			RAW_X4(f, (i) + 12)
#define RAW_X64(f, i)	RAW_X16(f, i), RAW_X16(f, (i) + 16), \
			RAW_X16(f, (i) + 32), RAW_X16(f, (i) + 48)

static const uint8_t raw_flags[512] = {
	RAW_X64(RAW_FLAGS, 0), RAW_X64(RAW_FLAGS, 64),
	RAW_X64(RAW_FLAGS, 128), RAW_X64(RAW_FLAGS, 192),
	RAW_X64(RAW_FLAGS, 256), RAW_X64(RAW_FLAGS, 320),
	RAW_X64(RAW_FLAGS, 384), RAW_X64(RAW_FLAGS, 448),
};

static const uint8_t raw_ptype[128] = {
	RAW_X64(RAW_PTYPE, 0), RAW_X64(RAW_PTYPE, 64),
};

_Static_assert(BIFURC_RXD_STAT_DD == 0x01 &&
	       BIFURC_RXD_STAT_EOP == 0x02 && BIFURC_RXD_STAT_FLM == 0x04 &&
	       BIFURC_RXD_STAT_VP == 0x08 && BIFURC_RXD_STAT_L4CS == 0x20 &&
	       BIFURC_RXD_STAT_IPCS == 0x40 &&
	       BIFURC_RXD_ERR_TCPE == 1U << 30 && BIFURC_RXD_ERR_IPE == 1U << 31,
	       "RAW_FLAGS_IDX moves these status bits");
_Static_assert(BIFURC_RXD_PKTTYPE_IPV4 == 0x10 &&
	       BIFURC_RXD_PKTTYPE_IPV4_EX == 0x20 &&
	       BIFURC_RXD_PKTTYPE_IPV6 == 0x40 &&
	       BIFURC_RXD_PKTTYPE_IPV6_EX == 0x80 &&
	       BIFURC_RXD_PKTTYPE_TCP == 0x100 &&
	       BIFURC_RXD_PKTTYPE_UDP == 0x200 &&
	       BIFURC_RXD_PKTTYPE_SCTP == 0x400,
	       "raw_ptype is indexed by these packet type bits");

/*
 * One raw 82599 write-back descriptor (DD set, STATUS read) into P, the
 * buffer's own fields (data, buf) aside.
 */
static inline void raw_decode(const struct bifurc_rx_desc *d, uint32_t status,
			      struct bifurc_pkt *p)
{
	uint32_t info = le16toh(d->pkt_info);
	bool hash = info & BIFURC_RXD_PKTINFO_RSSTYPE_MASK;

	p->hash = hash ? le32toh(d->rss_hash) : 0;
	p->flags = raw_flags[RAW_FLAGS_IDX(status, hash)];
	p->ptype = raw_ptype[(info >> 4) & 0x7f];
	p->vlan_tci = (status & BIFURC_RXD_STAT_VP) ? le16toh(d->vlan) : 0;
}

/*
 * Make the compiler forget what it knows of var (the kernel's
 * OPTIMIZER_HIDE_VAR).  The per-packet loops put it between the check of
 * owner[id] and the store to it: without it GCC computes owner + id once,
 * into a register of its own, for both, an instruction more per packet
 * (two in rx_burst, where id then needs a copy too).
 */
#define BF_HIDE_VAR(var)	__asm__("" : "+r"(var))

/*
 * The pool as rx_burst reads it, loaded once per burst: owner[] is a byte
 * array, so each store to it could alias the queue's fields, and the
 * compiler would reload them for every packet.
 */
struct rx_pool {
	uint8_t *owner;
	uint8_t *data;		/* pool + rx_headroom */
	uint32_t count;
	uint32_t buf_size;
	uint32_t max_len;	/* buf_size - rx_headroom */
};

static inline struct rx_pool rx_pool(const struct bifurc_queue *q)
{
	return (struct rx_pool){
		.owner = q->owner,
		.data = q->rx_data,
		.count = q->buf_count,
		.buf_size = q->buf_size,
		.max_len = q->rx_max_len,
	};
}

/*
 * Hand buffer id to the application as p; false if the id is bogus.  The
 * caller moves q->kernel_held once per burst.
 */
static inline bool take_buf(const struct rx_pool *b, uint32_t id,
			    uint32_t len, struct bifurc_pkt *p)
{
	if (id >= b->count || b->owner[id] != BF_OWN_KERNEL || len > b->max_len)
		return false;	/* a kernel bug: never hand out such a buffer */
	b->owner[id] = BF_OWN_APP;
	p->data = b->data + (size_t)id * b->buf_size;
	p->len = len;
	p->buf = id;
	p->reserved0 = 0;
	p->reserved1 = 0;
	return true;
}

/*
 * A comp entry ends in the same three fields, in the same order, as
 * bifurc_pkt's middle: one 8-byte copy moves them.
 */
#define COMP_TAIL	offsetof(struct bifurc_rx_comp, rss_hash)
#define PKT_TAIL	offsetof(struct bifurc_pkt, hash)
_Static_assert(offsetof(struct bifurc_rx_comp, flags) == COMP_TAIL + 4 &&
	       offsetof(struct bifurc_rx_comp, ptype) == COMP_TAIL + 6 &&
	       sizeof(struct bifurc_rx_comp) == COMP_TAIL + 8 &&
	       offsetof(struct bifurc_pkt, flags) == PKT_TAIL + 4 &&
	       offsetof(struct bifurc_pkt, ptype) == PKT_TAIL + 6,
	       "rss_hash, flags, ptype are copied as one 8-byte block");

/*
 * vlan_tci, reserved0 and reserved1, the last 8 bytes of a bifurc_pkt, as
 * one store of a value built in a register.
 */
static inline void pkt_set_vlan(struct bifurc_pkt *p, uint16_t vlan_tci)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v = vlan_tci;
#else
	uint64_t v = (uint64_t)vlan_tci << 48;
#endif

	memcpy(&p->vlan_tci, &v, sizeof(v));
}
_Static_assert(offsetof(struct bifurc_pkt, reserved0) ==
	       offsetof(struct bifurc_pkt, vlan_tci) + 2 &&
	       offsetof(struct bifurc_pkt, reserved1) ==
	       offsetof(struct bifurc_pkt, vlan_tci) + 4 &&
	       sizeof(struct bifurc_pkt) ==
	       offsetof(struct bifurc_pkt, vlan_tci) + 8,
	       "pkt_set_vlan writes vlan_tci and the reserved fields");

/*
 * Comp entries e .. end - 1, contiguous in the ring, into p onwards, as
 * take_buf but with a pointer walking the ring instead of an index masked
 * per entry, and with the fewest stores the layouts allow.  Returns the
 * packet after the last one written.  Not inlined: on its own, the loop
 * keeps every value it needs in a register.
 */
static __attribute__((noinline)) struct bifurc_pkt *
comp_take(const struct bifurc_queue *q, const struct bifurc_rx_comp *e,
	  const struct bifurc_rx_comp *end, struct bifurc_pkt *p)
{
	const struct rx_pool b = rx_pool(q);

	for (; e != end; e++) {
		size_t id = e->buf;
		uint32_t len = e->len;

		if (id >= b.count || len > b.max_len ||
		    b.owner[id] != BF_OWN_KERNEL)
			continue;	/* a kernel bug: never hand it out */
		/*
		 * The owner store between those of len and buf keeps GCC
		 * from pairing them into a vector store, two instructions
		 * more than the plain ones.
		 */
		p->len = len;
		BF_HIDE_VAR(id);
		b.owner[id] = BF_OWN_APP;
		p->buf = (uint32_t)id;
		p->data = b.data + id * b.buf_size;
		memcpy((unsigned char *)p + PKT_TAIL,
		       (const unsigned char *)e + COMP_TAIL, 8);
		pkt_set_vlan(p, e->vlan_tci);
		p++;
	}
	return p;
}

/*
 * Raw mode: our consumer index walks the NIC's descriptor ring.  The
 * kernel publishes in comp.producer how many descriptors it posted; a
 * posted descriptor is ours once the NIC has set DD in it.
 */
static unsigned int rx_burst_raw(struct bifurc_queue *q,
				 struct bifurc_pkt *pkts, unsigned int n)
{
	const struct bifurc_rx_desc *desc = q->desc, *d;
	const uint32_t *slots = q->slots;
	const struct rx_pool b = rx_pool(q);
	uint32_t cons = q->comp.cached_cons, mask = q->comp.mask;
	struct bifurc_pkt *p = pkts;
	uint32_t avail, i, slot, status;
	unsigned int got;

	avail = bf_cons_avail(&q->comp, n);
	if (avail > n)
		avail = n;
	for (i = 0; i < avail; i++) {
		slot = (cons + i) & mask;
		d = &desc[slot];
		/*
		 * The NIC writes DD last.  Acquire keeps the reads of the other
		 * descriptor fields and of the slot table after it (the
		 * kernel's dma_rmb(); x86 only, see <linux/bifurc.h> sect. 5).
		 */
		status = le32toh(__atomic_load_n(&d->status_error,
						 __ATOMIC_ACQUIRE));
		if (!(status & BIFURC_RXD_STAT_DD))
			break;
		if (!take_buf(&b, slots[slot], le16toh(d->length), p))
			continue;
		raw_decode(d, status, p);
		p++;
	}
	got = (unsigned int)(p - pkts);
	q->kernel_held -= got;
	bf_count(&q->lib_bad_comp, i - got);
	if (i)
		bf_cons_release(&q->comp, i);
	return got;
}

/* Up to the end of the ring, then from its start: once per lap. */
static __attribute__((noinline)) struct bifurc_pkt *
comp_take_wrap(const struct bifurc_queue *q, uint32_t head, uint32_t run,
	       uint32_t avail, struct bifurc_pkt *p)
{
	const struct bifurc_rx_comp *ring = q->comp.entries;

	p = comp_take(q, ring + head, ring + head + run, p);
	return comp_take(q, ring, ring + (avail - run), p);
}

/* Comp mode: inline, all but the loop, into bifurc_rx_burst. */
static inline unsigned int rx_burst_comp(struct bifurc_queue *q,
					 struct bifurc_pkt *pkts,
					 unsigned int n)
{
	const struct bifurc_rx_comp *ring = q->comp.entries;
	uint32_t avail, head, run;
	struct bifurc_pkt *p;
	unsigned int got;

	avail = bf_cons_avail(&q->comp, n);
	if (avail > n)
		avail = n;
	if (avail == 0)
		return 0;
	head = bf_cons_slot(&q->comp, 0);
	run = q->comp.size - head;
	if (run >= avail)
		p = comp_take(q, ring + head, ring + head + avail, pkts);
	else
		p = comp_take_wrap(q, head, run, avail, pkts);
	got = (unsigned int)(p - pkts);
	q->kernel_held -= got;
	if (got != avail)
		bf_count(&q->lib_bad_comp, avail - got);
	bf_cons_release(&q->comp, avail);
	return got;
}

static inline unsigned int rx_take(struct bifurc_queue *q,
				   struct bifurc_pkt *pkts, unsigned int n)
{
	if (q->opt_flags & BIFURC_OPT_RAW_DESC)
		return rx_burst_raw(q, pkts, n);
	return rx_burst_comp(q, pkts, n);
}

int bifurc_rx_burst(struct bifurc_queue *q, struct bifurc_pkt *pkts,
		    unsigned int n)
{
	unsigned int got;
	int err;

	if (!q || (!pkts && n))
		return -EINVAL;
	if (n == 0)
		return 0;
	if (n > 1U << 30)
		n = 1U << 30;
	got = rx_take(q, pkts, n);
	if (got)
		return (int)got;
	err = rx_idle(q);
	if (err)
		return err;
	/*
	 * Busy-poll may just have harvested (raw: posted more); interrupt
	 * mode may have raced NAPI.
	 */
	return (int)rx_take(q, pkts, n);
}

/*
 * The checking half of rx_release, over p .. end - 1: each id must be one
 * the application holds; it is given owner "to" and written to the next
 * slot of dst, which nobody reads before the caller publishes it.  Stops
 * at the first bad id (this also catches an id twice in the batch: its
 * first copy changed the owner) and returns where.
 */
static inline const struct bifurc_pkt *
take_back(uint8_t *owner, size_t count, const struct bifurc_pkt *p,
	  const struct bifurc_pkt *end, uint8_t to, uint32_t *dst)
{
	for (; p != end; p++, dst++) {
		size_t id = p->buf;

		if (id >= count || owner[id] != BF_OWN_APP)
			break;
		*dst = (uint32_t)id;
		BF_HIDE_VAR(id);
		owner[id] = to;
	}
	return p;
}

/* A batch with a bad id at "bad": give back what take_back took. */
static int untake(uint8_t *owner, const struct bifurc_pkt *pkts,
		  const struct bifurc_pkt *bad)
{
	while (bad-- != pkts)
		owner[bad->buf] = BF_OWN_APP;
	return -EINVAL;
}

/*
 * Straight into the fill ring, which has room for n, all or nothing, in
 * one pass: ids and owners are set as they are checked, the producer
 * index moves once at the end, and on a bad id the owners are put back
 * and the written slots stay unpublished.
 */
static inline int release_fill(struct bifurc_queue *q,
			       const struct bifurc_pkt *pkts, unsigned int n)
{
	const struct bifurc_pkt *p, *end = pkts + n;
	uint32_t *ring = q->fill.entries;
	uint32_t head = bf_prod_slot(&q->fill, 0);
	uint32_t run = q->fill.size - head;
	uint8_t *owner = q->owner;
	size_t count = q->buf_count;

	if (run >= n) {
		p = take_back(owner, count, pkts, end, BF_OWN_KERNEL,
			      ring + head);
	} else {
		/* Up to the end of the ring, then from its start. */
		p = take_back(owner, count, pkts, pkts + run, BF_OWN_KERNEL,
			      ring + head);
		if (p == pkts + run)
			p = take_back(owner, count, p, end, BF_OWN_KERNEL,
				      ring);
	}
	if (p != end)
		return untake(owner, pkts, p);
	q->kernel_held += n;
	bf_prod_submit(&q->fill, n);
	return 0;
}

/* Through the stash, when the fill ring is short of room or not empty. */
static int release_stash(struct bifurc_queue *q,
			 const struct bifurc_pkt *pkts, unsigned int n)
{
	const struct bifurc_pkt *p;

	/* The stash holds at most buf_count ids: each id once. */
	p = take_back(q->owner, q->buf_count, pkts, pkts + n, BF_OWN_LIB,
		      q->stash + q->stash_n);
	if (p != pkts + n)
		return untake(q->owner, pkts, p);
	q->stash_n += n;
	bifurc_int_fill_from_stash(q);
	return 0;
}

/*
 * With a TX reserve: every id goes back to the side it belongs to, reserve
 * ids to tx_free and the others through the stash to the fill ring, so
 * that neither RX nor the sender ever runs out because of the other.  All
 * or nothing, as release_fill().
 */
static int release_split(struct bifurc_queue *q,
			 const struct bifurc_pkt *pkts, unsigned int n)
{
	uint8_t *owner = q->owner;
	unsigned int i;
	uint32_t id;

	for (i = 0; i < n; i++) {
		id = pkts[i].buf;
		if (id >= q->buf_count || owner[id] != BF_OWN_APP)
			break;
		owner[id] = BF_OWN_LIB;
	}
	if (i < n) {
		while (i--)
			owner[pkts[i].buf] = BF_OWN_APP;
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		id = pkts[i].buf;
		if (id >= q->tx_first)
			q->tx_free[q->tx_free_n++] = id;
		else
			q->stash[q->stash_n++] = id;
	}
	bifurc_int_fill_from_stash(q);
	return 0;
}

int bifurc_rx_release(struct bifurc_queue *q, const struct bifurc_pkt *pkts,
		      unsigned int n)
{
	int err;

	if (!q || (!pkts && n))
		return -EINVAL;
	if (n == 0)
		return 0;
	if (q->tx_first < q->buf_count)
		err = release_split(q, pkts, n);
	else if (q->stash_n == 0 && bf_prod_free(&q->fill, n) >= n)
		err = release_fill(q, pkts, n);
	else
		err = release_stash(q, pkts, n);
	if (err)
		return err;

	/*
	 * One kick per BF_KICK_BATCH buffers, and only when the kernel asked
	 * for it; smaller remainders are kicked by rx_burst/wait when the
	 * completion ring runs dry.  Its result is not ours to return: the
	 * ids are taken, and an error would leave the caller unsure who
	 * holds them.  A failed kick leaves the ids pending with NEED_WAKEUP
	 * set, so the next call that kicks repeats it and reports a failure
	 * that lasts, and rx_burst/wait report a dead queue (as tx_burst).
	 */
	if (refill_due(q, BF_KICK_BATCH))
		(void)bifurc_int_kick(q, BIFURC_KICK_RX_REFILL);
	return 0;
}

/* Packets ready now (raw mode: 1 if the next descriptor is done). */
static int rx_ready(struct bifurc_queue *q)
{
	uint32_t status;

	if (!(q->opt_flags & BIFURC_OPT_RAW_DESC))
		return (int)bf_cons_avail(&q->comp, 1);
	if (bf_cons_avail(&q->comp, 1) == 0)
		return 0;
	/* Same pairing as in rx_burst_raw. */
	status = le32toh(__atomic_load_n(
		&q->desc[bf_cons_slot(&q->comp, 0)].status_error,
		__ATOMIC_ACQUIRE));
	return (status & BIFURC_RXD_STAT_DD) ? 1 : 0;
}

/*
 * Busy-poll: there is no interrupt to sleep on; spin on the kick, or in
 * raw mode on the descriptor at our consumer (rx_idle kicks only when it
 * must).
 */
static int wait_busy(struct bifurc_queue *q, int timeout_ms)
{
	int64_t deadline = bifurc_int_now_ms() + timeout_ms;
	int ready, err;

	for (;;) {
		err = rx_idle(q);
		if (err)
			return err;
		ready = rx_ready(q);
		if (ready)
			return ready;
		if (timeout_ms == 0 || (timeout_ms > 0 && bifurc_int_now_ms() >= deadline))
			return 0;
	}
}

int bifurc_wait(struct bifurc_queue *q, int timeout_ms)
{
	struct pollfd pfd;
	int ready, err, r;

	if (!q)
		return -EINVAL;
	ready = rx_ready(q);
	if (ready)
		return ready;
	err = bifurc_int_dead_status(q);
	if (err)
		return err;
	if (bifurc_int_busy_poll(q))
		return wait_busy(q, timeout_ms);

	/* poll() refills from the fill ring itself: no kick needed first. */
	bifurc_int_fill_from_stash(q);
	pfd.fd = q->fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return -errno;
	if (r == 0)
		return 0;
	if (pfd.revents & POLLNVAL)
		return -EBADF;
	if (pfd.revents & (POLLERR | POLLHUP)) {
		/*
		 * The kernel publishes the status word once the queue has
		 * stopped, after poll() already reports the death: until
		 * then a kick returns its reason.
		 */
		err = bifurc_int_dead_status(q);
		if (!err)
			err = bifurc_int_kick(q, BIFURC_KICK_RX_HARVEST);
		return err ? err : -EIO;
	}
	return rx_ready(q);
}
