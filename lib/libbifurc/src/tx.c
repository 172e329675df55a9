// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The transmit data path: tx_alloc, tx_burst, tx_complete
 * (<linux/bifurc.h> section 4a).
 *
 * Ownership: we produce the tx ring and the kernel consumes it; the
 * kernel produces the txc ring and we consume it.  In the owner table a
 * buffer goes BF_OWN_APP -> BF_OWN_TX when its entry is written to the tx
 * ring and back to BF_OWN_APP when its id comes out of txc, sent or
 * refused.  A buffer of the TX reserve starts BF_OWN_LIB, free, and
 * tx_alloc makes it BF_OWN_APP; the kernel has counted it USER since
 * ATTACH, as every buffer, so it may go to the tx ring at once, and it
 * never goes to the fill ring (rx_release puts it back in the reserve).
 * The kernel keeps its own USER/KERNEL record and checks every id and
 * frame again; the library checks first so that a correct program never
 * has a frame refused and a wrong one learns it from -EINVAL, not from a
 * counter.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>

#include "internal.h"

/*
 * Check one call's entries as the kernel will (section 4a) and mark every
 * id BF_OWN_TX, which also catches an id twice in the call.  All or
 * nothing: on failure every mark is undone.
 */
static int tx_validate(struct bifurc_queue *q, const struct bifurc_tx *tx,
		       unsigned int n)
{
	/*
	 * In locals: the owner stores below may alias anything (uint8_t), so
	 * fields of *q would be loaded again for every entry.
	 */
	const uint32_t count = q->buf_count, buf_size = q->buf_size;
	const uint32_t max_frame = q->max_tx_frame;
	unsigned int i, frags = 0;
	uint8_t *owner = q->owner;
	uint64_t total = 0;
	uint32_t id;

	for (i = 0; i < n; i++) {
		const struct bifurc_tx *t = &tx[i];

		id = t->buf;
		if (id >= count || owner[id] != BF_OWN_APP ||
		    (uint64_t)t->offset + t->len > buf_size)
			break;
		if (t->flags == 0 && frags == 0) {
			/* a frame of one entry, the common case */
			if (t->len < BIFURC_TX_MIN_FRAME || t->len > max_frame)
				break;
		} else {
			if (t->len == 0 || (t->flags & ~BIFURC_TX_MORE) ||
			    ++frags > BIFURC_TX_MAX_FRAGS)
				break;
			total += t->len;
			if (t->flags == 0) {
				if (total < BIFURC_TX_MIN_FRAME ||
				    total > max_frame)
					break;
				frags = 0;
				total = 0;
			}
		}
		owner[id] = BF_OWN_TX;
	}
	/*
	 * Every frame must end inside the call: a queued head whose tail
	 * never comes would hold the tx ring forever (the kernel waits for it).
	 */
	if (i == n && frags == 0)
		return 0;
	while (i--)
		owner[tx[i].buf] = BF_OWN_APP;
	return -EINVAL;
}

/* Entries in the longest run of whole frames that fits in the tx ring. */
static unsigned int tx_fit(struct bifurc_queue *q, const struct bifurc_tx *tx,
			   unsigned int n)
{
	uint32_t room = bf_prod_free(&q->tx, n);
	unsigned int i, fit = 0;

	if (room >= n)
		return n;
	for (i = 0; i < room; i++)
		if (!(tx[i].flags & BIFURC_TX_MORE))
			fit = i + 1;
	return fit;
}

/*
 * The caller's bifurc_tx is the tx ring's entry, so n of them are copied
 * into the ring as they are: one memcpy, two where the ring wraps.
 */
static_assert(sizeof(struct bifurc_tx) == sizeof(struct bifurc_tx_entry) &&
	      offsetof(struct bifurc_tx, buf) ==
	      offsetof(struct bifurc_tx_entry, buf) &&
	      offsetof(struct bifurc_tx, offset) ==
	      offsetof(struct bifurc_tx_entry, offset) &&
	      offsetof(struct bifurc_tx, len) ==
	      offsetof(struct bifurc_tx_entry, len) &&
	      offsetof(struct bifurc_tx, flags) ==
	      offsetof(struct bifurc_tx_entry, flags),
	      "bifurc_tx is the layout of the tx ring's entry");

static void tx_write(struct bifurc_queue *q, const struct bifurc_tx *tx,
		     unsigned int n)
{
	struct bifurc_tx_entry *ring = q->tx.entries;
	uint32_t slot = bf_prod_slot(&q->tx, 0);
	uint32_t first = q->tx.size - slot < n ? q->tx.size - slot : n;

	memcpy(&ring[slot], tx, first * sizeof(*tx));
	if (n > first)
		memcpy(ring, tx + first, (n - first) * sizeof(*tx));
}

/* tx entries the kernel has not taken yet. */
static uint32_t tx_pending(struct bifurc_queue *q)
{
	/* Pairs with the kernel's store-release of the tx consumer. */
	q->tx.cached_cons = bf_load_acquire(q->tx.consumer);
	return q->tx.cached_prod - q->tx.cached_cons;
}

int bifurc_tx_burst(struct bifurc_queue *q, const struct bifurc_tx *tx,
		    unsigned int n)
{
	unsigned int i, queued;
	int err;

	if (!q || (!tx && n))
		return -EINVAL;
	if (!(q->opt_flags & BIFURC_OPT_TX))
		return -EOPNOTSUPP;
	if (n == 0)
		return 0;
	if (n > INT_MAX)
		return -EINVAL;
	/* A dead queue never hands buffers back: queue nothing into it. */
	err = bifurc_int_dead_status(q);
	if (err)
		return err;
	err = tx_validate(q, tx, n);
	if (err)
		return err;

	queued = tx_fit(q, tx, n);
	for (i = queued; i < n; i++)
		q->owner[tx[i].buf] = BF_OWN_APP;	/* still the caller's */
	tx_write(q, tx, queued);
	if (queued) {
		q->tx_held += queued;
		/* Store-release of the producer: the entries go first. */
		bf_prod_submit(&q->tx, queued);
	}

	/*
	 * At most one kick.  Busy-poll: always; nothing else submits or
	 * reclaims.  Interrupt mode: only when the kernel asked for it
	 * (NEED_WAKEUP: nothing in flight, so no completion interrupt will
	 * run NAPI) and entries wait.  bf_needs_wakeup() is our half of the
	 * Dekker pair (producer store; full fence; flag load) against the
	 * kernel's "set flag; smp_mb(); re-read producer": if we read the flag
	 * clear, the next NAPI run is certain to see our entries.
	 */
	if (bifurc_int_busy_poll(q) ||
	    (bf_needs_wakeup(&q->tx) && tx_pending(q))) {
		err = bifurc_int_kick(q, BIFURC_KICK_TX_SUBMIT |
					 BIFURC_KICK_TX_RECLAIM);
		/*
		 * Queued entries are in the ring whatever the kick did: report
		 * them (the buffers are the kernel's now); a dead queue shows
		 * in the next call, a lost kick is repeated by it.
		 */
		if (err && !queued)
			return err;
	}
	return (int)queued;
}

/*
 * Buffer id, back from TX or free in the reserve, as the app's packet:
 * data is pool + rx_headroom, which the callers keep in a local.
 */
static inline void tx_pkt(struct bifurc_pkt *p, unsigned char *data,
			  size_t buf_size, uint32_t id, uint16_t flags)
{
	*p = (struct bifurc_pkt){
		.data = data + id * buf_size,
		.buf = id,
		.flags = flags,
	};
}

/* Take txc entries into pkts; ids the library did not send are refused. */
static unsigned int txc_take(struct bifurc_queue *q, struct bifurc_pkt *pkts,
			     unsigned int n)
{
	/* in locals, as in tx_validate: owner[] stores may alias *q */
	const uint32_t *ring = q->txc.entries;
	const uint32_t count = q->buf_count, mask = q->txc.mask;
	const uint32_t cons = q->txc.cached_cons;
	unsigned char *data = q->pool + q->rx_headroom;
	const size_t buf_size = q->buf_size;
	struct bifurc_pkt *p = pkts;
	uint8_t *owner = q->owner;
	uint32_t avail, i, v, id;

	avail = bf_cons_avail(&q->txc, n);
	if (avail > n)
		avail = n;
	for (i = 0; i < avail; i++) {
		v = ring[(cons + i) & mask];
		id = v & BIFURC_TXC_ID_MASK;
		if (id >= count || owner[id] != BF_OWN_TX) {
			/* A kernel bug: never hand out a buffer twice. */
			bf_count(&q->lib_bad_comp, 1);
			continue;
		}
		owner[id] = BF_OWN_APP;
		tx_pkt(p++, data, buf_size, id, (v & BIFURC_TXC_F_REFUSED) ?
		       BIFURC_PKT_TX_REFUSED : 0);
	}
	q->tx_held -= (uint32_t)(p - pkts);
	/* Store-release of the consumer: our reads of the slots are done. */
	if (avail)
		bf_cons_release(&q->txc, avail);
	return (unsigned int)(p - pkts);
}

/*
 * Nothing to take back: report a dead queue; else, if buffers are out and
 * nothing else will move them (busy-poll, or NEED_WAKEUP: nothing in
 * flight, e.g. submission stopped by a full txc ring that has since been
 * drained), make the one reclaim + submit kick.  *kicked says whether
 * looking again is worth it.
 */
static int tx_idle(struct bifurc_queue *q, int *kicked)
{
	int err;

	*kicked = 0;
	err = bifurc_int_dead_status(q);
	if (err)
		return err;
	if (q->tx_held == 0)
		return 0;
	if (!bifurc_int_busy_poll(q) && !bf_needs_wakeup(&q->tx))
		return 0;
	*kicked = 1;
	return bifurc_int_kick(q, BIFURC_KICK_TX_RECLAIM |
				  BIFURC_KICK_TX_SUBMIT);
}

int bifurc_tx_complete(struct bifurc_queue *q, struct bifurc_pkt *pkts,
		       unsigned int n)
{
	unsigned int got;
	int err, kicked;

	if (!q || (!pkts && n))
		return -EINVAL;
	if (!(q->opt_flags & BIFURC_OPT_TX))
		return -EOPNOTSUPP;
	if (n == 0)
		return 0;
	if (n > 1U << 30)
		n = 1U << 30;
	got = txc_take(q, pkts, n);
	if (got)
		return (int)got;
	err = tx_idle(q, &kicked);
	if (err)
		return err;
	return kicked ? (int)txc_take(q, pkts, n) : 0;
}

/*
 * Sent buffers to take back, else 0 once nothing is in flight or the
 * deadline passed.  In interrupt mode the queue's NAPI poll takes sent
 * buffers back and wakes a poll() for POLLWRBAND (BIFURC_INFO_F_TX_WAIT);
 * POLLOUT would not do, the tx ring has room nearly always.  An older
 * kernel has no bit to sleep on: look once a millisecond (each poll()
 * runs a reclaim pass).  Busy-poll: spin on tx_idle's reclaim kick.
 */
int bifurc_wait_tx(struct bifurc_queue *q, int timeout_ms)
{
	int64_t deadline = bifurc_int_now_ms() + timeout_ms, left;
	struct pollfd pfd;
	int err, kicked, r;
	uint32_t ready;

	if (!q)
		return -EINVAL;
	if (!(q->opt_flags & BIFURC_OPT_TX))
		return -EOPNOTSUPP;
	for (;;) {
		ready = bf_cons_avail(&q->txc, 1);
		if (ready)
			return ready > INT_MAX ? INT_MAX : (int)ready;
		err = tx_idle(q, &kicked);
		if (err)
			return err;
		if (kicked && bf_cons_avail(&q->txc, 1))
			continue;
		left = timeout_ms < 0 ? -1 : deadline - bifurc_int_now_ms();
		if (q->tx_held == 0 || timeout_ms == 0 ||
		    (timeout_ms > 0 && left <= 0))
			return 0;
		if (bifurc_int_busy_poll(q))
			continue;
		pfd.fd = q->fd;
		pfd.events = q->tx_wait ? POLLWRBAND : 0;
		pfd.revents = 0;
		if (!q->tx_wait)
			left = 1;
		r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r < 0)
			return -errno;
		if (r == 0 && q->tx_wait)
			return 0;	/* slept to the deadline */
		if (pfd.revents & POLLNVAL)
			return -EBADF;
		if (pfd.revents & (POLLERR | POLLHUP)) {
			/* as bifurc_wait: the status word may come later */
			err = bifurc_int_dead_status(q);
			if (!err)
				err = bifurc_int_kick(q, BIFURC_KICK_TX_RECLAIM);
			return err ? err : -EIO;
		}
	}
}

/*
 * The reserve is a stack: the buffer freed last, whose lines are most
 * likely still in the cache, goes out first.  No system call: the kernel
 * has nothing to do with buffers user space holds.
 */
int bifurc_tx_alloc(struct bifurc_queue *q, struct bifurc_pkt *pkts,
		    unsigned int n)
{
	unsigned int i;
	uint32_t id;

	if (!q || (!pkts && n))
		return -EINVAL;
	if (!(q->opt_flags & BIFURC_OPT_TX))
		return -EOPNOTSUPP;
	if (n > q->tx_free_n)
		n = q->tx_free_n;
	if (n > 1U << 30)
		n = 1U << 30;
	for (i = 0; i < n; i++) {
		id = q->tx_free[--q->tx_free_n];
		q->owner[id] = BF_OWN_APP;
		tx_pkt(&pkts[i], q->pool + q->rx_headroom, q->buf_size, id, 0);
	}
	return (int)n;
}
