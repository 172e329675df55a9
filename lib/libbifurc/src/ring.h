/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Ring fast path: cached indices over the shared rings of <linux/bifurc.h>
 * section 3.  Internal (not installed); inline so that bifurc_rx_burst and
 * bifurc_rx_release compile to straight-line code.
 *
 * Memory ordering: exactly one primitive pair, and every use names the
 * kernel-side access it pairs with.
 *   bf_load_acquire(p)     reads an index the kernel publishes; pairs with
 *                          the kernel's smp_store_release() of that index.
 *   bf_store_release(p, v) publishes an index we own; pairs with the
 *                          kernel's smp_load_acquire() of that index.
 *   bf_full_fence()        the store->load fence of the NEED_WAKEUP
 *                          protocol; pairs with the kernel's smp_mb().
 *
 * The library consumes or produces at most "size" entries per ring and the
 * cached copies only ever lag the shared ones, so a stale cache can make us
 * see less than there is, never more.
 */
#ifndef LIBBIFURC_RING_H
#define LIBBIFURC_RING_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bifurc.h>

static inline uint32_t bf_load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void bf_store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline void bf_full_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* User-side view of one ring (fill, comp, tx, txc). */
struct bf_ring {
	uint32_t *producer;	/* shared: see <linux/bifurc.h> section 3 */
	uint32_t *consumer;
	uint32_t *flags;
	void     *entries;
	uint32_t  size;		/* entries, a power of two */
	uint32_t  mask;		/* size - 1 */
	uint32_t  cached_prod;	/* our copy of producer */
	uint32_t  cached_cons;	/* our copy of consumer */
	void     *map;		/* the mmap()ed region */
	size_t    map_len;
};

/*
 * Producer side (fill, tx): how many entries may be written now, refreshing the
 * cached consumer only when the cache says fewer than "want" are free.
 */
static inline uint32_t bf_prod_free(struct bf_ring *r, uint32_t want)
{
	uint32_t used = r->cached_prod - r->cached_cons;

	if (r->size - used >= want)
		return r->size - used;
	/*
	 * Pairs with the kernel's store-release of consumer after it has read
	 * the entries: every slot below the value we load may be reused.
	 */
	r->cached_cons = bf_load_acquire(r->consumer);
	used = r->cached_prod - r->cached_cons;
	/* A consumer beyond our producer is a kernel bug: offer no room. */
	if (used > r->size)
		return 0;
	return r->size - used;
}

/* Producer side: slot for the entry "i" places after the cached producer. */
static inline uint32_t bf_prod_slot(const struct bf_ring *r, uint32_t i)
{
	return (r->cached_prod + i) & r->mask;
}

/* Producer side: publish n entries written at bf_prod_slot(r, 0 .. n-1). */
static inline void bf_prod_submit(struct bf_ring *r, uint32_t n)
{
	r->cached_prod += n;
	/*
	 * Pairs with the kernel's load-acquire of producer: the entries
	 * written above are visible to it before the new producer value.
	 */
	bf_store_release(r->producer, r->cached_prod);
}

/*
 * Consumer side (comp, txc): how many entries are ready, refreshing the cached
 * producer only when the cache holds fewer than "want".
 */
static inline uint32_t bf_cons_avail(struct bf_ring *r, uint32_t want)
{
	uint32_t avail = r->cached_prod - r->cached_cons;

	if (avail >= want && avail != 0)
		return avail;
	/*
	 * Pairs with the kernel's store-release of producer after it wrote
	 * the entries: entries below the value we load are complete.
	 */
	r->cached_prod = bf_load_acquire(r->producer);
	avail = r->cached_prod - r->cached_cons;
	/* More than the ring holds is a kernel bug: read nothing. */
	if (avail > r->size) {
		r->cached_prod = r->cached_cons;
		return 0;
	}
	return avail;
}

/* Consumer side: slot of the entry "i" places after the cached consumer. */
static inline uint32_t bf_cons_slot(const struct bf_ring *r, uint32_t i)
{
	return (r->cached_cons + i) & r->mask;
}

/* Consumer side: hand n consumed slots back to the kernel. */
static inline void bf_cons_release(struct bf_ring *r, uint32_t n)
{
	r->cached_cons += n;
	/*
	 * Pairs with the kernel's load-acquire of consumer before it reuses
	 * slots: our reads of those entries are complete.
	 */
	bf_store_release(r->consumer, r->cached_cons);
}

/*
 * NEED_WAKEUP test after publishing the producer: a full fence first, so
 * the producer store is globally visible before the flag is read.  Pairs
 * with the kernel's "set flag; smp_mb(); re-read producer" (Dekker): if we
 * read the flag clear, the kernel will see our entries without a kick.
 */
static inline int bf_needs_wakeup(const struct bf_ring *r)
{
	bf_full_fence();
	return (__atomic_load_n(r->flags, __ATOMIC_RELAXED) &
		BIFURC_RING_NEED_WAKEUP) != 0;
}

#endif /* LIBBIFURC_RING_H */
