// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: the ABI as seen from raw system calls, against the
 * simulated kernel.  These cases state what the real kernel must do (the
 * same calls belong in selftests/ on the emulated 82599): extensible
 * struct rules, reserved and out fields, attach state errors, mmap rules,
 * and the kernel's validation of every buffer id and index from user space,
 * for RX and for TX (section 4a: id, entry and frame checks, refused
 * buffers back in txc, incomplete frames waiting, ring errors, POLLOUT).
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fixture.h"

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static void attach_args(struct bifurc_attach *a, uint32_t queue)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->abi_version = BIFURC_ABI_VERSION;
	a->queue = queue;
	a->rx_desc = 64;
	a->fill_entries = 64;
	a->comp_entries = 64;
	a->buf_size = 2048;
	a->buf_count = 64;
}

static int info_sizes(void)
{
	struct { struct bifurc_info i; uint8_t tail[16]; } big;
	struct bifurc_info i;
	int fd;

	fx_dev();
	fd = open(FX_NODE, O_RDWR);
	CHECK(fd >= 0);
	memset(&i, 0, sizeof(i));
	i.size = 64;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_INFO, &i), -EINVAL);
	memset(&big, 0, sizeof(big));
	big.i.size = sizeof(big);
	CHECK_EQ(xioctl(fd, BIFURC_IOC_INFO, &big), 0);
	CHECK_EQ(big.i.size, sizeof(struct bifurc_info));
	CHECK_EQ(big.i.abi_version, BIFURC_ABI_VERSION);
	CHECK_EQ(big.i.reserved_queues[0], (1 << 2) | (1 << 3));
	big.i.size = sizeof(big);
	big.i.abi_version = 0;
	big.tail[3] = 1;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_INFO, &big), -E2BIG);
	memset(&i, 0, sizeof(i));
	i.size = 8192;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_INFO, &i), -E2BIG);
	memset(&i, 0, sizeof(i));
	i.size = sizeof(i);
	i.flags = 1;			/* an out field on input */
	CHECK_EQ(xioctl(fd, BIFURC_IOC_INFO, &i), -EINVAL);
	CHECK_EQ(xioctl(fd, _IOWR(BIFURC_IOC_TYPE, 0x20, struct bifurc_info),
			&i), -ENOTTY);
	CHECK_EQ(xioctl(fd, BIFURC_IOC_INFO, NULL), -EFAULT);
	close(fd);
	return 0;
}

static int attach_rules(void)
{
	struct bifurc_attach a;
	struct bifurc_kick k;
	int fd;

	fx_dev();
	fd = open(FX_NODE, O_RDWR);
	CHECK(fd >= 0);
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.flags = BIFURC_KICK_RX_REFILL;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_KICK, &k), -ENOTCONN);
	attach_args(&a, FX_Q);
	a.tx_desc = 64;			/* TX field without BIFURC_ATTACH_TX */
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	attach_args(&a, FX_Q);
	a.reserved[7] = 1;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	attach_args(&a, FX_Q);
	a.pool.length = 4096;		/* out field on input */
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	attach_args(&a, FX_Q);
	a.flags = 0x100;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	attach_args(&a, FX_Q);
	a.flags = BIFURC_ATTACH_TX;	/* tx_entries, txc_entries required */
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	a.tx_entries = 64;
	a.txc_entries = 100;		/* not a power of two */
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	a.txc_entries = 64;
	a.tx_desc = 32;			/* below min_rx_desc */
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	a.tx_desc = 96;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	attach_args(&a, FX_Q);
	a.tx_entries = 64;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	attach_args(&a, FX_Q);
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);
	CHECK_EQ(a.counters.prot, BIFURC_PROT_READ);
	CHECK_EQ(a.pool.prot, BIFURC_PROT_READ | BIFURC_PROT_WRITE);
	CHECK_EQ(a.desc.length, 0);
	CHECK_EQ(a.tx.length, 0);
	attach_args(&a, 2);
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EISCONN);
	k.flags = 0;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_KICK, &k), -EINVAL);
	k.flags = 0x10;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_KICK, &k), -EINVAL);
	k.flags = BIFURC_KICK_TX_SUBMIT;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_KICK, &k), -EOPNOTSUPP);
	k.flags = BIFURC_KICK_RX_REFILL;
	k.rx_refilled = 5;		/* out field on input */
	CHECK_EQ(xioctl(fd, BIFURC_IOC_KICK, &k), -EINVAL);
	close(fd);
	return 0;
}

static int mmap_rules(void)
{
	struct bifurc_attach a;
	void *p;
	int fd;

	fx_dev();
	fd = open(FX_NODE, O_RDWR);
	CHECK(fd >= 0);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED);
	CHECK_EQ(errno, EINVAL);	/* not attached */
	attach_args(&a, FX_Q);
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);
	CHECK(mmap(NULL, a.fill.length * 2, PROT_READ, MAP_SHARED, fd,
		   (off_t)a.fill.offset) == MAP_FAILED);
	CHECK_EQ(errno, EINVAL);	/* wrong length */
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		   (off_t)a.fill.offset + 4096) == MAP_FAILED);
	CHECK_EQ(errno, EINVAL);	/* inside a region */
	CHECK(mmap(NULL, a.fill.length, PROT_READ, MAP_PRIVATE, fd,
		   (off_t)a.fill.offset) == MAP_FAILED);
	CHECK_EQ(errno, EINVAL);	/* private */
	CHECK(mmap(NULL, a.counters.length, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, (off_t)a.counters.offset) == MAP_FAILED);
	CHECK_EQ(errno, EACCES);	/* read-only region */
	p = mmap(NULL, a.counters.length, PROT_READ, MAP_SHARED, fd,
		 (off_t)a.counters.offset);
	CHECK(p != MAP_FAILED);
	CHECK(mprotect(p, a.counters.length, PROT_READ | PROT_WRITE) < 0);
	CHECK_EQ(errno, EACCES);	/* and cannot be made writable */
	/* Mappings outlive close(): the page is still readable. */
	close(fd);
	CHECK_EQ(((struct bifurc_counters *)p)->status, BIFURC_STATUS_ATTACHED);
	CHECK_EQ(sim_live_atts(), 1);
	munmap(p, a.counters.length);
	CHECK_EQ(sim_live_atts(), 0);
	return 0;
}

/* Design rule 1: every id from user space is checked before use. */
static int fill_validation(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_attach a;
	struct bifurc_ring_hdr *h;
	struct bifurc_kick k;
	struct sim_att *s;
	uint32_t *e;
	int fd;

	fd = open(FX_NODE, O_RDWR);
	CHECK(fd >= 0);
	attach_args(&a, FX_Q);
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);
	h = mmap(NULL, a.fill.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)a.fill.offset);
	CHECK(h != MAP_FAILED);
	CHECK(h->flags & BIFURC_RING_NEED_WAKEUP);
	e = (uint32_t *)((uint8_t *)h + BIFURC_RING_ENTRIES_OFFSET);
	e[0] = 1;
	e[1] = 64;			/* == buf_count */
	e[2] = 1;			/* double use */
	e[3] = 0xffffffff;
	e[4] = 2;
	h->producer = 5;
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.flags = BIFURC_KICK_RX_REFILL;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_KICK, &k), 0);
	CHECK_EQ(k.rx_refilled, 2);
	CHECK_EQ(k.rx_rejected, 3);
	CHECK_EQ(h->consumer, 5);
	s = sim_att_of(d, FX_Q);
	CHECK_EQ(s->cnt->rx_bad_id, 3);
	CHECK_EQ(sim_posted(s), 2);
	/* A producer claiming more than the ring holds: consume nothing. */
	h->producer = 5 + 65;
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.flags = BIFURC_KICK_RX_REFILL;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_KICK, &k), 0);
	CHECK_EQ(s->cnt->rx_ring_err, 1);
	CHECK_EQ(h->consumer, 5);
	/* A user write to the kernel's index is ignored. */
	h->producer = 5;
	h->consumer = 1000;
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.flags = BIFURC_KICK_RX_REFILL;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_KICK, &k), 0);
	CHECK_EQ(h->consumer, 5);
	munmap(h, a.fill.length);
	close(fd);
	return 0;
}

/* A bogus comp consumer only stalls the bogus user: ring error. */
static int comp_consumer_garbage(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct sim_att *s;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	s = sim_att_of(d, FX_Q);
	s->comp_h->consumer = 12345;
	CHECK_EQ(sim_rx(d, FX_Q, "x", 1, NULL), 1);
	CHECK_EQ(s->cnt->rx_ring_err, 1);
	CHECK_EQ(s->kprod, 0);
	s->comp_h->consumer = 0;
	bifurc_close(q);
	return 0;
}

/* Raw mode: a consumer beyond the posted descriptors is refused. */
static int raw_consumer_garbage(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct sim_att *s;

	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	s = sim_att_of(d, FX_Q);
	s->comp_h->consumer = 100;	/* beyond producer (63) */
	CHECK_EQ(sim_rx(d, FX_Q, "x", 1, NULL), 1);
	CHECK_EQ(s->cnt->rx_ring_err, 1);
	s->comp_h->consumer = 2;	/* slots 0 and 1 are done: fine */
	CHECK_EQ(sim_rx(d, FX_Q, "y", 1, NULL), 1);
	CHECK_EQ(s->cnt->rx_ring_err, 1);
	CHECK_EQ(s->hw_clean, 2);
	s->comp_h->consumer = 5;	/* slot 3 is posted but not done */
	CHECK_EQ(sim_rx(d, FX_Q, "z", 1, NULL), 1);
	CHECK_EQ(s->cnt->rx_ring_err, 2);
	CHECK_EQ(s->hw_clean, 3);
	s->comp_h->consumer = 0;
	bifurc_close(q);
	return 0;
}

/* ---- TX, section 4a ---------------------------------------------------- */

struct tx_maps {
	int fd;
	struct bifurc_attach a;
	struct bifurc_ring_hdr *tx, *txc;
	struct bifurc_tx_entry *te;
	uint32_t *ce;
};

static void tx_attach_args(struct bifurc_attach *a)
{
	attach_args(a, FX_Q);
	a->flags = BIFURC_ATTACH_TX;
	a->tx_entries = 64;
	a->txc_entries = 64;
}

static int tx_open(struct tx_maps *m)
{
	memset(m, 0, sizeof(*m));
	m->fd = open(FX_NODE, O_RDWR);
	if (m->fd < 0)
		return -1;
	tx_attach_args(&m->a);
	if (xioctl(m->fd, BIFURC_IOC_ATTACH, &m->a))
		return -1;
	m->tx = mmap(NULL, m->a.tx.length, PROT_READ | PROT_WRITE, MAP_SHARED,
		     m->fd, (off_t)m->a.tx.offset);
	m->txc = mmap(NULL, m->a.txc.length, PROT_READ | PROT_WRITE,
		      MAP_SHARED, m->fd, (off_t)m->a.txc.offset);
	if (m->tx == MAP_FAILED || m->txc == MAP_FAILED)
		return -1;
	m->te = (void *)((uint8_t *)m->tx + BIFURC_RING_ENTRIES_OFFSET);
	m->ce = (void *)((uint8_t *)m->txc + BIFURC_RING_ENTRIES_OFFSET);
	return 0;
}

static void tx_close(struct tx_maps *m)
{
	munmap(m->tx, m->a.tx.length);
	munmap(m->txc, m->a.txc.length);
	close(m->fd);
}

/* Write one entry at the user producer (not yet published). */
static void tx_put(struct tx_maps *m, uint32_t *prod, uint32_t buf,
		   uint32_t off, uint32_t len, uint32_t flags)
{
	struct bifurc_tx_entry *e = &m->te[*prod & 63];

	e->buf = buf;
	e->offset = off;
	e->len = len;
	e->flags = flags;
	(*prod)++;
}

static int tx_kick(struct tx_maps *m, uint32_t flags, struct bifurc_kick *k)
{
	memset(k, 0, sizeof(*k));
	k->size = sizeof(*k);
	k->flags = flags;
	return xioctl(m->fd, BIFURC_IOC_KICK, k);
}

static int tx_attach(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_info i;
	struct pollfd pfd;
	struct tx_maps m;

	CHECK_EQ(tx_open(&m), 0);
	CHECK_EQ(m.a.tx.entries, 64);
	CHECK_EQ(m.a.txc.entries, 64);
	CHECK_EQ(m.a.tx.prot, BIFURC_PROT_READ | BIFURC_PROT_WRITE);
	CHECK_EQ(m.a.txc.prot, BIFURC_PROT_READ | BIFURC_PROT_WRITE);
	CHECK(m.a.tx.length >= BIFURC_RING_ENTRIES_OFFSET + 64 * 16);
	CHECK(m.a.txc.length >= BIFURC_RING_ENTRIES_OFFSET + 64 * 4);
	/* Nothing in flight: a submit needs a kick. */
	CHECK(m.tx->flags & BIFURC_RING_NEED_WAKEUP);
	CHECK_EQ(sim_att_of(d, FX_Q)->tx_desc, 64);	/* 0: rx_desc */
	memset(&i, 0, sizeof(i));
	i.size = sizeof(i);
	CHECK_EQ(xioctl(m.fd, BIFURC_IOC_INFO, &i), 0);
	CHECK(i.flags & BIFURC_INFO_F_TX);
	CHECK_EQ(i.max_tx_frame, 1518);
	/* POLLOUT: the tx ring has room. */
	pfd.fd = m.fd;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	CHECK_EQ(poll(&pfd, 1, 0), 1);
	CHECK_EQ(pfd.revents, POLLOUT);
	tx_close(&m);
	return 0;
}

/* An old kernel (or an adapter without TX): EOPNOTSUPP, INFO says so. */
static int tx_old_kernel(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_attach a;
	struct bifurc_info i;
	int fd;

	d->info_flags &= ~BIFURC_INFO_F_TX;
	fd = open(FX_NODE, O_RDWR);
	CHECK(fd >= 0);
	memset(&i, 0, sizeof(i));
	i.size = sizeof(i);
	CHECK_EQ(xioctl(fd, BIFURC_IOC_INFO, &i), 0);
	CHECK_EQ(i.max_tx_frame, 0);
	tx_attach_args(&a);
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EOPNOTSUPP);
	d->info_flags |= BIFURC_INFO_F_TX;
	d->tx_refuse = 1;
	tx_attach_args(&a);
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EOPNOTSUPP);
	close(fd);
	return 0;
}

/* Every id and frame is checked before a descriptor is written. */
static int tx_validation(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_kick k;
	struct tx_maps m;
	struct sim_att *s;
	uint32_t p = 0;

	CHECK_EQ(tx_open(&m), 0);
	s = sim_att_of(d, FX_Q);
	tx_put(&m, &p, 1, 0, 60, 0);		/* good */
	tx_put(&m, &p, 64, 0, 60, 0);		/* id == buf_count: dropped */
	tx_put(&m, &p, 1, 0, 60, 0);		/* id 1 in flight: dropped */
	tx_put(&m, &p, 2, 0, 0, 0);		/* len 0: refused */
	tx_put(&m, &p, 3, 2000, 60, 0);	/* offset + len > 2048 */
	tx_put(&m, &p, 4, 0, 60, 2);		/* unknown flag */
	tx_put(&m, &p, 5, 0, 30, BIFURC_TX_F_MORE);
	tx_put(&m, &p, 6, 0, 20, 0);		/* total 50 < 60 */
	tx_put(&m, &p, 7, 0, 1519, 0);		/* > max_tx_frame */
	tx_put(&m, &p, 8, 0, 40, BIFURC_TX_F_MORE);
	tx_put(&m, &p, 8, 40, 40, 0);		/* id twice in one frame */
	m.tx->producer = p;
	CHECK_EQ(tx_kick(&m, BIFURC_KICK_TX_SUBMIT, &k), 0);
	CHECK_EQ(k.tx_submitted, 1);
	CHECK_EQ(k.tx_rejected, 10);
	CHECK_EQ(k.tx_completed, 0);		/* refusals are not completions */
	CHECK_EQ(m.tx->consumer, 11);
	CHECK_EQ(s->cnt->tx_bad_id, 3);
	CHECK_EQ(s->cnt->tx_bad_frame, 5);	/* the id-only frame is not */
	CHECK_EQ(m.txc->producer, 7);
	CHECK_EQ(m.ce[0], 2 | BIFURC_TXC_F_REFUSED);
	CHECK_EQ(m.ce[1], 3 | BIFURC_TXC_F_REFUSED);
	CHECK_EQ(m.ce[2], 4 | BIFURC_TXC_F_REFUSED);
	CHECK_EQ(m.ce[3], 5 | BIFURC_TXC_F_REFUSED);
	CHECK_EQ(m.ce[4], 6 | BIFURC_TXC_F_REFUSED);
	CHECK_EQ(m.ce[5], 7 | BIFURC_TXC_F_REFUSED);
	CHECK_EQ(m.ce[6], 8 | BIFURC_TXC_F_REFUSED);
	CHECK_EQ(sim_tx_in_flight(s), 1);
	CHECK(!(m.tx->flags & BIFURC_RING_NEED_WAKEUP));
	/* The NIC sends; RECLAIM hands id 1 back without the flag. */
	CHECK_EQ(sim_tx_send(d, FX_Q, 8), 1);	/* + NAPI (interrupt mode) */
	CHECK_EQ(m.txc->producer, 8);
	CHECK_EQ(m.ce[7], 1);
	CHECK_EQ(s->cnt->tx_packets, 1);
	CHECK_EQ(s->cnt->tx_bytes, 60);
	CHECK(m.tx->flags & BIFURC_RING_NEED_WAKEUP);
	m.txc->consumer = 8;
	tx_close(&m);
	return 0;
}

/* More than BIFURC_TX_MAX_FRAGS entries: all refused, none sent. */
static int tx_too_many_frags(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_kick k;
	struct tx_maps m;
	struct sim_att *s;
	uint32_t p = 0, i;

	CHECK_EQ(tx_open(&m), 0);
	s = sim_att_of(d, FX_Q);
	for (i = 0; i < 11; i++)
		tx_put(&m, &p, 10 + i, 0, 60, i < 10 ? BIFURC_TX_F_MORE : 0);
	tx_put(&m, &p, 30, 0, 60, 0);		/* the next frame is fine */
	m.tx->producer = p;
	CHECK_EQ(tx_kick(&m, BIFURC_KICK_TX_SUBMIT, &k), 0);
	CHECK_EQ(k.tx_rejected, 11);
	CHECK_EQ(k.tx_completed, 0);
	CHECK_EQ(k.tx_submitted, 1);
	CHECK_EQ(s->cnt->tx_bad_frame, 1);	/* one frame, counted once */
	CHECK_EQ(m.txc->producer, 11);
	for (i = 0; i < 11; i++)
		CHECK_EQ(m.ce[i], (10 + i) | BIFURC_TXC_F_REFUSED);
	CHECK_EQ(sim_tx_send(d, FX_Q, 8), 1);
	CHECK_EQ(d->tx_last_len, 60);
	m.txc->consumer = m.txc->producer;
	tx_close(&m);
	return 0;
}

/* A frame whose last entry is not produced yet waits; so does the ring
 * when the user's indices are malformed. */
static int tx_incomplete_and_ring_err(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_kick k;
	struct tx_maps m;
	struct sim_att *s;
	uint32_t p = 0;

	CHECK_EQ(tx_open(&m), 0);
	s = sim_att_of(d, FX_Q);
	tx_put(&m, &p, 1, 0, 40, BIFURC_TX_F_MORE);
	m.tx->producer = p;
	CHECK_EQ(tx_kick(&m, BIFURC_KICK_TX_SUBMIT, &k), 0);
	CHECK_EQ(k.tx_submitted, 0);
	CHECK_EQ(k.tx_rejected, 0);
	CHECK_EQ(m.tx->consumer, 0);
	tx_put(&m, &p, 2, 0, 40, 0);
	m.tx->producer = p;
	CHECK_EQ(tx_kick(&m, BIFURC_KICK_TX_SUBMIT, &k), 0);
	CHECK_EQ(k.tx_submitted, 2);
	CHECK_EQ(m.tx->consumer, 2);
	/* A producer claiming more than the ring holds: consume nothing. */
	m.tx->producer = 2 + 65;
	CHECK_EQ(tx_kick(&m, BIFURC_KICK_TX_SUBMIT, &k), 0);
	CHECK_EQ(s->cnt->tx_ring_err, 1);
	CHECK_EQ(m.tx->consumer, 2);
	m.tx->producer = 2;
	/* A txc consumer beyond the producer: txc reads as full. */
	m.txc->consumer = 500;
	CHECK_EQ(sim_tx_send(d, FX_Q, 1), 1);
	CHECK_EQ(s->cnt->tx_ring_err, 2);
	CHECK_EQ(m.txc->producer, 0);
	m.txc->consumer = 0;
	CHECK_EQ(tx_kick(&m, BIFURC_KICK_TX_RECLAIM, &k), 0);
	CHECK_EQ(k.tx_completed, 2);
	CHECK_EQ(m.ce[0], 1);
	CHECK_EQ(m.ce[1], 2);
	m.txc->consumer = 2;
	tx_close(&m);
	return 0;
}

static const struct tap_case cases[] = {
	{ "ATTACH_RULES", attach_rules },
	{ "COMP_CONSUMER_GARBAGE", comp_consumer_garbage },
	{ "FILL_VALIDATION", fill_validation },
	{ "INFO_SIZES", info_sizes },
	{ "MMAP_RULES", mmap_rules },
	{ "RAW_CONSUMER_GARBAGE", raw_consumer_garbage },
	{ "TX_ATTACH", tx_attach },
	{ "TX_INCOMPLETE_AND_RING_ERR", tx_incomplete_and_ring_err },
	{ "TX_OLD_KERNEL", tx_old_kernel },
	{ "TX_TOO_MANY_FRAGS", tx_too_many_frags },
	{ "TX_VALIDATION", tx_validation },
};

int main(void)
{
	return tap_run("Description: raw ABI conformance (simulated kernel)",
		       cases, ARRAY_SIZE(cases));
}
