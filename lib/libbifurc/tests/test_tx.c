// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: transmit (BIFURC_OPT_TX, <linux/bifurc.h> section 4a):
 * open with and without TX and against a kernel without it; echo of a
 * received buffer with no copy and the ownership cycle rx_burst ->
 * tx_burst -> tx_complete -> rx_release; multi-buffer frames; frames that
 * do not fit (tx ring: never split; NIC ring: the kernel waits); bursts
 * across the end of the tx ring; every
 * -EINVAL of tx_burst, with nothing queued; kernel-refused frames back
 * with BIFURC_PKT_TX_REFUSED; a full txc ring stalls TX without losing an
 * id; the NEED_WAKEUP kick rule (at most one kick per call, none while
 * the NIC is busy); busy-poll; stats and queue_info; reset and TX hang;
 * and system calls per packet in steady state.
 */
#include <stdlib.h>

#include "fixture.h"

#define KICKS(d)	((d)->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)])

/* Small rings, and a pool big enough to hold 193 buffers at once. */
static struct bifurc_opts tx_opts(uint32_t flags)
{
	struct bifurc_opts o = fx_small(flags | BIFURC_OPT_TX);

	o.buf_count = 256;
	return o;
}

/* The application takes n received buffers (n <= buf_count - 63). */
static int hold(struct sim_dev *d, struct bifurc_queue *q,
		struct bifurc_pkt *p, unsigned int n)
{
	unsigned int got = 0, chunk;

	while (got < n) {
		chunk = n - got > 32 ? 32 : n - got;
		if (fx_rx_all(d, q, chunk, 64, p + got) != (int)chunk)
			return -1;
		got += chunk;
	}
	return 0;
}

/* A frame (or part) of len bytes at the start of p's buffer. */
static struct bifurc_tx ent(const struct bifurc_pkt *p, uint32_t len,
			    uint32_t flags)
{
	struct bifurc_tx t;

	t.buf = p->buf;
	t.offset = 0;			/* rx_headroom is 0 here */
	t.len = len;
	t.flags = flags;
	return t;
}

/* n single-buffer frames of len bytes, one per held buffer. */
static void frames(struct bifurc_tx *t, const struct bifurc_pkt *p,
		   unsigned int n, uint32_t len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		t[i] = ent(&p[i], len, 0);
}

/* Let the NIC send everything and take back buffers until n are back. */
static int drain(struct sim_dev *d, struct bifurc_queue *q,
		 struct bifurc_pkt *p, unsigned int n)
{
	unsigned int got = 0;
	int i, r;

	for (i = 0; i < 1000 && got < n; i++) {
		if (sim_tx_send(d, FX_Q, 1000) < 0)
			return -1;
		r = bifurc_tx_complete(q, p + got, n - got);
		if (r < 0)
			return r;
		got += (unsigned int)r;
	}
	return (int)got;
}

static int tx_not_enabled(void)
{
	struct bifurc_queue_info qi;
	struct bifurc_queue *q;
	struct bifurc_pkt p;
	struct bifurc_tx t = { .buf = 0, .len = 60 };

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), -EOPNOTSUPP);
	CHECK_EQ(bifurc_tx_burst(q, NULL, 0), -EOPNOTSUPP);
	CHECK_EQ(bifurc_tx_complete(q, &p, 1), -EOPNOTSUPP);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(qi.tx_desc, 0);
	CHECK_EQ(qi.tx_entries, 0);
	CHECK_EQ(qi.txc_entries, 0);
	CHECK_EQ(qi.max_tx_frame, 0);
	CHECK_EQ(sim_live_mappings(), 4);	/* no tx, no txc */
	bifurc_close(q);
	return 0;
}

static int tx_null_args(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct bifurc_queue *q;
	struct bifurc_pkt p;
	struct bifurc_tx t;

	fx_dev();
	memset(&t, 0, sizeof(t));
	CHECK_EQ(bifurc_tx_burst(NULL, &t, 1), -EINVAL);
	CHECK_EQ(bifurc_tx_complete(NULL, &p, 1), -EINVAL);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_tx_burst(q, NULL, 1), -EINVAL);
	CHECK_EQ(bifurc_tx_complete(q, NULL, 1), -EINVAL);
	CHECK_EQ(bifurc_tx_burst(q, NULL, 0), 0);
	CHECK_EQ(bifurc_tx_complete(q, NULL, 0), 0);
	/* Refused before the array is read: the count must fit an int. */
	CHECK_EQ(bifurc_tx_burst(q, &t, 0x80000000U), -EINVAL);
	CHECK_EQ(bifurc_tx_complete(q, &p, 1), 0);
	CHECK_EQ(bifurc_tx_complete(q, &p, 0xffffffffU), 0);
	bifurc_close(q);
	return 0;
}

static int tx_open_defaults(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_TX);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue_info qi;
	struct bifurc_queue *q;
	struct sim_att *a;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK(a->flags & BIFURC_ATTACH_TX);
	CHECK_EQ(a->tx_desc, 64);		/* 0 went to the kernel: rx_desc */
	CHECK_EQ(a->tx_n, 128);			/* buf_count rounded up */
	CHECK_EQ(a->txc_n, 128);
	CHECK_EQ(sim_live_mappings(), 6);
	/* Opening kicks RX only: nothing to transmit yet. */
	CHECK_EQ(KICKS(d), 1);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(qi.flags, BIFURC_OPT_TX);
	CHECK_EQ(qi.tx_desc, 64);
	CHECK_EQ(qi.tx_entries, 128);
	CHECK_EQ(qi.txc_entries, 128);
	CHECK_EQ(qi.max_tx_frame, 1518);
	bifurc_close(q);
	CHECK_EQ(sim_live_mappings(), 0);

	/* A 0.1 caller's shorter struct with the TX flag: defaults. */
	o = fx_small(BIFURC_OPT_TX);
	o.size = offsetof(struct bifurc_opts, tx_desc);
	o.tx_desc = 4096;			/* beyond its size: not read */
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(sim_att_of(d, FX_Q)->tx_desc, 64);
	bifurc_close(q);
	return 0;
}

static int tx_queue_info(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_TX);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue_info qi;
	struct bifurc_queue *q;
	struct sim_att *a;

	o.tx_desc = 128;
	o.tx_entries = 64;
	o.txc_entries = 256;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(a->tx_desc, 128);
	CHECK_EQ(a->tx_n, 64);
	CHECK_EQ(a->txc_n, 256);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(qi.rx_desc, 64);
	CHECK_EQ(qi.tx_desc, 128);
	CHECK_EQ(qi.tx_entries, 64);
	CHECK_EQ(qi.txc_entries, 256);
	CHECK_EQ(qi.max_tx_frame, 1518);
	CHECK_EQ(qi.buf_count, 128);
	CHECK_EQ(qi.reserved0, 0);
	CHECK_EQ(qi.reserved[0], 0);
	bifurc_close(q);
	return 0;
}

static int tx_opts_invalid(void)
{
	static const struct { uint32_t flags, td, te, tce, r; } bad[] = {
		{ 0, 64, 0, 0, 0 },		/* TX sizes without TX */
		{ 0, 0, 64, 0, 0 },
		{ 0, 0, 0, 64, 0 },
		{ BIFURC_OPT_TX, 0, 0, 0, 1 },	/* reserved0 */
		{ BIFURC_OPT_TX, 32, 0, 0, 0 },	/* below min_rx_desc */
		{ BIFURC_OPT_TX, 96, 0, 0, 0 },	/* not a power of two */
		{ BIFURC_OPT_TX, 0, 100, 0, 0 },
		{ BIFURC_OPT_TX, 0, 0, 32, 0 },	/* ring below 64 */
		{ BIFURC_OPT_TX, 0, 65536, 0, 0 },	/* above max ring */
	};
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_opts o;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		o = fx_small(bad[i].flags);
		o.tx_desc = bad[i].td;
		o.tx_entries = bad[i].te;
		o.txc_entries = bad[i].tce;
		o.reserved0 = bad[i].r;
		CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EINVAL);
	}
	/* The first four never reach the kernel. */
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_ATTACH)], ARRAY_SIZE(bad) - 4);
	CHECK_EQ(sim_live_atts(), 0);
	return 0;
}

/* An old kernel: INFO has no BIFURC_INFO_F_TX; no ATTACH is tried. */
static int tx_old_kernel(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->info_flags &= ~BIFURC_INFO_F_TX;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EOPNOTSUPP);
	CHECK(q == NULL);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_ATTACH)], 0);
	/* RX alone still works there. */
	o.flags &= ~BIFURC_OPT_TX;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	bifurc_close(q);
	return 0;
}

/* INFO says TX, ATTACH_TX still fails EOPNOTSUPP (adapter, old kernel). */
static int tx_attach_refused(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->tx_refuse = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EOPNOTSUPP);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_ATTACH)], 1);
	CHECK_EQ(sim_live_atts(), 0);
	CHECK_EQ(sim_live_mappings(), 0);
	return 0;
}

/* A kernel that answers out of spec for TX is refused, not trusted. */
static int tx_out_of_spec(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->corrupt_attach = 6;			/* wrong tx entries */
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EPROTO);
	d->corrupt_attach = 7;			/* txc region absent */
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EPROTO);
	d->corrupt_attach = 0;
	d->max_tx_frame = BIFURC_TX_MIN_FRAME - 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EPROTO);
	CHECK_EQ(sim_live_mappings(), 0);
	CHECK_EQ(sim_live_atts(), 0);
	return 0;
}

/* Echo: send a received buffer as it is, get it back, refill with it. */
static int tx_echo(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue_info qi;
	struct bifurc_pkt p, back;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct bifurc_tx t;
	uint8_t frame[64];
	unsigned int i;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7 + 1);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(sim_rx(d, FX_Q, frame, sizeof(frame), NULL), 1);
	CHECK_EQ(bifurc_rx_burst(q, &p, 1), 1);
	t.buf = p.buf;
	t.offset = (uint32_t)((uint8_t *)p.data - (uint8_t *)qi.pool -
			      (size_t)p.buf * qi.buf_size);
	CHECK_EQ(t.offset, qi.rx_headroom);
	t.len = p.len;
	t.flags = 0;
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), 1);
	/* Queued, not sent: nothing comes back yet. */
	CHECK_EQ(bifurc_tx_complete(q, &back, 1), 0);
	CHECK_EQ(sim_tx_send(d, FX_Q, 1), 1);
	CHECK_EQ(d->tx_last_len, sizeof(frame));
	CHECK(memcmp(d->tx_last, frame, sizeof(frame)) == 0);
	memset(&back, 0xff, sizeof(back));
	CHECK_EQ(bifurc_tx_complete(q, &back, 1), 1);
	CHECK_EQ(back.buf, p.buf);
	CHECK(back.data == p.data);
	CHECK_EQ(back.len, 0);
	CHECK_EQ(back.flags, 0);
	CHECK_EQ(back.hash, 0);
	CHECK_EQ(back.ptype, 0);
	CHECK_EQ(back.vlan_tci, 0);
	CHECK_EQ(back.reserved0, 0);
	CHECK_EQ(back.reserved1, 0);
	CHECK_EQ(bifurc_rx_release(q, &back, 1), 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.tx_packets, 1);
	CHECK_EQ(st.tx_bytes, sizeof(frame));
	bifurc_close(q);
	return 0;
}

/* The owner table spans RX and TX: each buffer has one holder. */
static int tx_ownership(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[2], back;
	struct bifurc_queue *q;
	struct bifurc_tx t;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(hold(d, q, p, 2), 0);
	t = ent(&p[0], 60, 0);
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), 1);
	/* Queued for TX: not the application's to release or send. */
	CHECK_EQ(bifurc_rx_release(q, p, 1), -EINVAL);
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), -EINVAL);
	CHECK_EQ(drain(d, q, &back, 1), 1);
	CHECK_EQ(back.buf, p[0].buf);
	/* Back: it may go to the fill ring; then it is the kernel's. */
	CHECK_EQ(bifurc_rx_release(q, &back, 1), 0);
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), -EINVAL);
	/* A buffer may be sent again straight from tx_complete. */
	t = ent(&p[1], 60, 0);
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), 1);
	CHECK_EQ(drain(d, q, &back, 1), 1);
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), 1);
	CHECK_EQ(drain(d, q, &back, 1), 1);
	CHECK_EQ(back.buf, p[1].buf);
	CHECK_EQ(bifurc_rx_release(q, &back, 1), 0);
	bifurc_close(q);
	return 0;
}

/* A frame of three buffers (BIFURC_TX_MORE) leaves as one frame. */
static int tx_multi_buffer(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue_info qi;
	struct bifurc_pkt p[3], back[3];
	struct bifurc_queue *q;
	struct bifurc_tx t[3];
	uint8_t *b[3], want[64];
	unsigned int i;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(hold(d, q, p, 3), 0);
	for (i = 0; i < 3; i++) {
		b[i] = (uint8_t *)qi.pool + (size_t)p[i].buf * qi.buf_size;
		memset(b[i], 'a' + (int)i, qi.buf_size);
	}
	t[0] = ent(&p[0], 20, BIFURC_TX_MORE);
	t[1] = ent(&p[1], 30, BIFURC_TX_MORE);
	t[1].offset = 100;
	t[2] = ent(&p[2], 14, 0);
	memset(want, 'a', 20);
	memset(want + 20, 'b', 30);
	memset(want + 50, 'c', 14);
	CHECK_EQ(bifurc_tx_burst(q, t, 3), 3);
	CHECK_EQ(sim_tx_send(d, FX_Q, 8), 1);
	CHECK_EQ(d->tx_last_len, 64);
	CHECK(memcmp(d->tx_last, want, 64) == 0);
	/* Fewer than are ready: the rest waits for the next call. */
	CHECK_EQ(bifurc_tx_complete(q, back, 2), 2);
	CHECK_EQ(bifurc_tx_complete(q, back + 2, 3), 1);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(back[i].buf, p[i].buf);
		CHECK_EQ(back[i].flags, 0);
	}
	CHECK_EQ(sim_att_of(d, FX_Q)->cnt->tx_packets, 1);
	CHECK_EQ(bifurc_rx_release(q, back, 3), 0);
	bifurc_close(q);
	return 0;
}

/* The tx ring is full: whole frames only, the rest stays the caller's. */
static int tx_ring_no_split(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[70];
	struct bifurc_tx t[70];
	struct bifurc_queue *q;
	struct sim_att *a;
	unsigned long kicks;
	unsigned int i;

	o.tx_entries = 64;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(hold(d, q, p, 70), 0);
	t[0] = ent(&p[0], 60, 0);
	CHECK_EQ(bifurc_tx_burst(q, t, 1), 1);	/* in flight: flag clear */
	for (i = 0; i < 69; i++)		/* 23 frames of 3 buffers */
		t[i] = ent(&p[1 + i], 60, i % 3 == 2 ? 0 : BIFURC_TX_MORE);
	kicks = KICKS(d);
	CHECK_EQ(bifurc_tx_burst(q, t, 69), 63);	/* 21 frames fit */
	CHECK_EQ(KICKS(d), kicks);		/* the NIC is busy: no kick */
	CHECK_EQ(a->tx_h->producer - a->tx_h->consumer, 63);
	/* The last two frames are still the caller's; the ring is full. */
	CHECK_EQ(bifurc_tx_burst(q, t + 63, 6), 0);
	/* The completion interrupt's NAPI takes the waiting frames. */
	CHECK_EQ(sim_tx_send(d, FX_Q, 1), 1);
	CHECK_EQ(a->tx_h->consumer, a->tx_h->producer);
	CHECK_EQ(bifurc_tx_burst(q, t + 63, 6), 6);
	CHECK_EQ(drain(d, q, p, 70), 70);
	CHECK_EQ(a->cnt->tx_packets, 24);
	CHECK_EQ(bifurc_rx_release(q, p, 70), 0);
	bifurc_close(q);
	return 0;
}

/*
 * Bursts that straddle the end of the tx ring: the entries past it land at
 * its start, in order.  Every frame has a length of its own, so a lost or
 * stale entry shows in the bytes sent, the last frame or the order the
 * buffers come back in.
 */
static int tx_ring_wrap(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct bifurc_pkt p[24], back[24];
	struct sim_dev *d = fx_dev();
	unsigned int i, round, len = 0;
	struct bifurc_queue *q;
	struct bifurc_tx t[24];
	struct sim_att *a;
	uint64_t bytes = 0;

	o.tx_entries = 64;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(hold(d, q, p, 24), 0);
	/* 8 x 24 entries: bursts start at 0, 24, 48 (wraps), 8, 32, 56 ... */
	for (round = 0; round < 8; round++) {
		for (i = 0; i < 24; i++) {
			len = 60 + round * 24 + i;
			t[i] = ent(&p[i], len, 0);
			bytes += len;
		}
		CHECK_EQ(bifurc_tx_burst(q, t, 24), 24);
		CHECK_EQ(drain(d, q, back, 24), 24);
		CHECK_EQ(d->tx_last_len, len);
		CHECK_EQ(a->cnt->tx_bytes, bytes);
		for (i = 0; i < 24; i++)
			CHECK_EQ(back[i].buf, p[i].buf);
	}
	CHECK_EQ(a->cnt->tx_packets, 8 * 24);
	CHECK_EQ(bifurc_rx_release(q, p, 24), 0);
	bifurc_close(q);
	return 0;
}

/* A frame the NIC ring has no room for waits in the tx ring. */
static int tx_nic_ring_wait(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[64];
	struct bifurc_tx t[64];
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct sim_att *a;
	unsigned int i;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(hold(d, q, p, 64), 0);
	for (i = 0; i < 64; i++)		/* 8 frames of 8 x 60 bytes */
		t[i] = ent(&p[i], 60, i % 8 == 7 ? 0 : BIFURC_TX_MORE);
	CHECK_EQ(bifurc_tx_burst(q, t, 64), 64);
	/* tx_desc 64: at most 63 in flight, so 7 frames, the 8th waits. */
	CHECK_EQ(sim_tx_in_flight(a), 56);
	CHECK_EQ(a->tx_h->consumer, 56);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.tx_ring_full, 1);
	CHECK_EQ(sim_tx_send(d, FX_Q, 1), 1);
	CHECK_EQ(d->tx_last_len, 480);
	CHECK_EQ(a->tx_h->consumer, 64);
	CHECK_EQ(drain(d, q, p, 64), 64);
	CHECK_EQ(a->cnt->tx_packets, 8);
	CHECK_EQ(a->cnt->tx_bad_frame, 0);
	CHECK_EQ(bifurc_rx_release(q, p, 64), 0);
	bifurc_close(q);
	return 0;
}

/*
 * -EINVAL cases.  Each opens a TX queue holding 8 buffers, makes bad
 * calls, checks that none queued anything (the tx producer is still at
 * "mark") and that the same buffers are still the caller's (a correct
 * call with them succeeds).
 */
struct einval_fx {
	struct sim_dev *d;
	struct bifurc_queue *q;
	struct sim_att *a;
	struct bifurc_pkt p[8];
	struct bifurc_tx t[12];
	uint32_t mark;
};

static int einval_open(struct einval_fx *f)
{
	struct bifurc_opts o = tx_opts(0);

	f->d = fx_dev();
	if (bifurc_open(&f->q, FX_IF, FX_Q, &o) ||
	    hold(f->d, f->q, f->p, 8))
		return -1;
	f->a = sim_att_of(f->d, FX_Q);
	f->mark = 0;
	frames(f->t, f->p, 8, 60);
	return 0;
}

static int einval_close(struct einval_fx *f)
{
	struct bifurc_pkt back[8];

	/* Nothing queued, nothing refused; all 8 buffers still ours. */
	CHECK_EQ(f->a->tx_h->producer, f->mark);
	CHECK_EQ(f->a->cnt->tx_bad_frame + f->a->cnt->tx_bad_id, 0);
	frames(f->t, f->p, 8, 60);
	CHECK_EQ(bifurc_tx_burst(f->q, f->t, 8), 8);
	CHECK_EQ(drain(f->d, f->q, back, 8), 8);
	CHECK_EQ(bifurc_rx_release(f->q, back, 8), 0);
	bifurc_close(f->q);
	return 0;
}

static int tx_einval_not_held(void)
{
	struct einval_fx f;
	struct bifurc_pkt other;

	CHECK_EQ(einval_open(&f), 0);
	f.t[3].buf = 256;			/* == buf_count */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	f.t[3].buf = 0xffffffffU;
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	/* An id the kernel holds (in the fill ring or on the NIC). */
	CHECK_EQ(fx_rx_all(f.d, f.q, 1, 64, &other), 1);
	CHECK_EQ(bifurc_rx_release(f.q, &other, 1), 0);
	f.t[3].buf = other.buf;
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	return einval_close(&f);
}

static int tx_einval_double_queue(void)
{
	struct einval_fx f;

	CHECK_EQ(einval_open(&f), 0);
	f.t[7].buf = f.t[2].buf;		/* twice in one call */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	f.t[1] = ent(&f.p[0], 40, BIFURC_TX_MORE);
	f.t[2] = ent(&f.p[0], 40, 0);		/* twice in one frame */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t + 1, 2), -EINVAL);
	CHECK_EQ(f.a->tx_h->producer, 0);
	/* Already queued by an earlier call. */
	frames(f.t, f.p, 8, 60);
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 1), 1);
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 2), -EINVAL);
	CHECK_EQ(bifurc_tx_burst(f.q, f.t + 1, 2), 2);	/* p[1] still ours */
	f.mark = 3;
	CHECK_EQ(drain(f.d, f.q, f.p, 3), 3);
	return einval_close(&f);
}

static int tx_einval_bounds(void)
{
	struct einval_fx f;

	CHECK_EQ(einval_open(&f), 0);
	f.t[5].offset = 2048 - 59;		/* offset + len = 2049 */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	f.t[5].offset = 0xffffffc4U;		/* wraps in 32 bits */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	f.t[5].offset = 0;
	f.t[5].len = 2049;
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	/* The edge itself is fine (checked by sending it). */
	f.t[5].offset = 2048 - 60;
	f.t[5].len = 60;
	CHECK_EQ(bifurc_tx_burst(f.q, f.t + 5, 1), 1);
	CHECK_EQ(sim_tx_send(f.d, FX_Q, 1), 1);
	CHECK_EQ(bifurc_tx_complete(f.q, &f.p[5], 1), 1);
	f.mark = 1;
	return einval_close(&f);
}

static int tx_einval_len_zero(void)
{
	struct einval_fx f;

	CHECK_EQ(einval_open(&f), 0);
	f.t[0] = ent(&f.p[0], 60, BIFURC_TX_MORE);
	f.t[1] = ent(&f.p[1], 0, 0);		/* total 60, but len 0 */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 2), -EINVAL);
	return einval_close(&f);
}

static int tx_einval_flags(void)
{
	struct einval_fx f;

	CHECK_EQ(einval_open(&f), 0);
	f.t[4].flags = 1U << 1;
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	f.t[4].flags = BIFURC_PKT_TX_REFUSED;	/* not a tx flag */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	return einval_close(&f);
}

static int tx_einval_frags(void)
{
	struct einval_fx f;
	struct bifurc_pkt more[1];
	unsigned int i;

	CHECK_EQ(einval_open(&f), 0);
	CHECK_EQ(hold(f.d, f.q, more, 1), 0);
	for (i = 0; i < 8; i++)
		f.t[i] = ent(&f.p[i], 60, BIFURC_TX_MORE);
	f.t[8] = ent(&more[0], 60, 0);		/* 9 buffers in one frame */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 9), -EINVAL);
	/* 8 is the limit, and it is fine. */
	f.t[7].flags = 0;
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), 8);
	CHECK_EQ(drain(f.d, f.q, f.p, 8), 8);
	CHECK_EQ(f.a->cnt->tx_packets, 1);
	CHECK_EQ(f.a->cnt->tx_bytes, 480);
	CHECK_EQ(bifurc_rx_release(f.q, more, 1), 0);
	f.mark = 8;
	return einval_close(&f);
}

static int tx_einval_frame_len(void)
{
	struct einval_fx f;

	CHECK_EQ(einval_open(&f), 0);
	f.t[6].len = BIFURC_TX_MIN_FRAME - 1;
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	f.t[6].len = 1519;			/* max_tx_frame + 1 */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	/* The frame's total counts: 29 + 30 is short, 3 x 510 too long. */
	f.t[0] = ent(&f.p[0], 29, BIFURC_TX_MORE);
	f.t[1] = ent(&f.p[1], 30, 0);
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 2), -EINVAL);
	f.t[0] = ent(&f.p[0], 510, BIFURC_TX_MORE);
	f.t[1] = ent(&f.p[1], 510, BIFURC_TX_MORE);
	f.t[2] = ent(&f.p[2], 510, 0);
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 3), -EINVAL);
	return einval_close(&f);
}

static int tx_einval_more_last(void)
{
	struct einval_fx f;

	CHECK_EQ(einval_open(&f), 0);
	f.t[7].flags = BIFURC_TX_MORE;		/* the frame never ends */
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 8), -EINVAL);
	f.t[0].flags = BIFURC_TX_MORE;
	CHECK_EQ(bifurc_tx_burst(f.q, f.t, 1), -EINVAL);
	return einval_close(&f);
}

/* The kernel refuses what the library let through (the MTU shrank). */
static int tx_refused(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[2], back[2];
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct bifurc_tx t[2];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(hold(d, q, p, 2), 0);
	d->max_tx_frame = 100;
	t[0] = ent(&p[0], 200, 0);
	t[1] = ent(&p[1], 60, 0);
	CHECK_EQ(bifurc_tx_burst(q, t, 2), 2);
	/* The refusal is immediate; the good frame waits for the NIC. */
	CHECK_EQ(bifurc_tx_complete(q, back, 2), 1);
	CHECK_EQ(back[0].buf, p[0].buf);
	CHECK_EQ(back[0].flags, BIFURC_PKT_TX_REFUSED);
	CHECK(back[0].data == p[0].data);
	CHECK_EQ(sim_tx_send(d, FX_Q, 2), 1);
	CHECK_EQ(bifurc_tx_complete(q, back + 1, 1), 1);
	CHECK_EQ(back[1].buf, p[1].buf);
	CHECK_EQ(back[1].flags, 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.tx_bad_frame, 1);
	CHECK_EQ(st.tx_packets, 1);
	CHECK_EQ(st.tx_bad_id, 0);
	/* Refused buffers are the caller's like any other. */
	CHECK_EQ(bifurc_rx_release(q, back, 2), 0);
	bifurc_close(q);
	return 0;
}

/* Completions naming buffers the library did not send are refused. */
static int tx_complete_bad_id(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[2], back[4];
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct sim_att *a;
	struct bifurc_tx t;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(hold(d, q, p, 2), 0);
	t = ent(&p[1], 60, 0);
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), 1);
	sim_inject_txc(a, 5000);			/* out of range */
	sim_inject_txc(a, p[0].buf);			/* the app holds it */
	sim_inject_txc(a, a->hw_slot[a->hw_head & 63]);	/* on the NIC (RX) */
	sim_inject_txc(a, BIFURC_TXC_F_REFUSED | 0x7fffffffU);
	CHECK_EQ(bifurc_tx_complete(q, back, 4), 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.lib_bad_comp, 4);
	/* The real one still comes back, once. */
	CHECK_EQ(drain(d, q, back, 1), 1);
	CHECK_EQ(back[0].buf, p[1].buf);
	sim_inject_txc(a, p[1].buf);			/* twice */
	CHECK_EQ(bifurc_tx_complete(q, back + 1, 1), 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.lib_bad_comp, 5);
	CHECK_EQ(bifurc_rx_release(q, p, 1), 0);
	CHECK_EQ(bifurc_rx_release(q, back, 1), 0);
	bifurc_close(q);
	return 0;
}

/*
 * Make the txc ring full with the NIC idle: 64-entry tx and txc rings,
 * 128 frames queued, none taken back.  Afterwards 64 ids wait in txc and
 * 64 entries in the tx ring, and nothing moves until txc is drained.
 */
static int txc_jam(struct sim_dev *d, struct bifurc_queue *q,
		   struct bifurc_pkt *p)
{
	struct bifurc_tx t[128];
	struct sim_att *a = sim_att_of(d, FX_Q);

	frames(t, p, 128, 60);
	CHECK_EQ(bifurc_tx_burst(q, t, 64), 64);	/* kick: 63 taken */
	CHECK_EQ(sim_tx_send(d, FX_Q, 1000), 63);	/* NAPI: the 64th */
	CHECK_EQ(sim_tx_send(d, FX_Q, 1000), 1);	/* txc now full */
	CHECK_EQ(bifurc_tx_burst(q, t + 64, 64), 64);	/* kick: no room */
	CHECK_EQ(a->ktxc_prod - a->txc_h->consumer, 64);
	CHECK_EQ(a->tx_h->producer - a->tx_h->consumer, 64);
	CHECK_EQ(sim_tx_in_flight(a), 0);
	CHECK(a->tx_h->flags & BIFURC_RING_NEED_WAKEUP);
	CHECK_EQ(sim_tx_send(d, FX_Q, 1000), 0);
	return 0;
}

/* A full txc ring stops transmission; every id still comes back once. */
static int tx_txc_full(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[128], back[128];
	struct bifurc_queue *q;
	struct bifurc_stats st;
	uint8_t seen[256];
	unsigned long kicks;
	unsigned int i;
	int n;

	o.tx_entries = 64;
	o.txc_entries = 64;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(hold(d, q, p, 128), 0);
	CHECK_EQ(txc_jam(d, q, p), 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK(st.tx_ring_full >= 2);
	kicks = KICKS(d);
	CHECK_EQ(bifurc_tx_complete(q, back, 128), 64);	/* no kick */
	CHECK_EQ(KICKS(d), kicks);
	/* Empty txc, frames out, NIC idle: one kick restarts TX. */
	CHECK_EQ(bifurc_tx_complete(q, back + 64, 64), 0);
	CHECK_EQ(KICKS(d), kicks + 1);
	CHECK_EQ(sim_tx_in_flight(sim_att_of(d, FX_Q)), 63);
	n = drain(d, q, back + 64, 64);
	CHECK_EQ(n, 64);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 128; i++) {
		CHECK_EQ(back[i].flags, 0);
		CHECK(back[i].buf < 256 && !seen[back[i].buf]);
		seen[back[i].buf] = 1;
	}
	for (i = 0; i < 128; i++)
		CHECK(seen[p[i].buf]);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.tx_packets, 128);
	CHECK_EQ(st.tx_bad_id, 0);
	CHECK_EQ(st.tx_ring_err, 0);
	CHECK_EQ(bifurc_rx_release(q, back, 128), 0);
	bifurc_close(q);
	return 0;
}

/* NEED_WAKEUP: one kick when the NIC is idle, none while it sends. */
static int tx_kick_rule(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[48], back[48];
	struct bifurc_tx t[48];
	struct bifurc_queue *q;
	struct sim_att *a;
	unsigned long kicks;
	int round;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(hold(d, q, p, 48), 0);
	frames(t, p, 48, 60);
	CHECK(a->tx_h->flags & BIFURC_RING_NEED_WAKEUP);
	kicks = KICKS(d);
	CHECK_EQ(bifurc_tx_burst(q, t, 32), 32);
	CHECK_EQ(KICKS(d), kicks + 1);
	CHECK(!(a->tx_h->flags & BIFURC_RING_NEED_WAKEUP));
	/* Flag clear: no kick, the entries wait for the next NAPI run. */
	CHECK_EQ(bifurc_tx_burst(q, t + 32, 8), 8);
	CHECK_EQ(bifurc_tx_burst(q, t + 40, 8), 8);
	CHECK_EQ(KICKS(d), kicks + 1);
	CHECK_EQ(a->tx_h->producer - a->tx_h->consumer, 16);
	CHECK_EQ(sim_tx_send(d, FX_Q, 32), 32);	/* reclaim 32, submit 16 */
	CHECK_EQ(a->tx_h->consumer, 48);
	CHECK(!(a->tx_h->flags & BIFURC_RING_NEED_WAKEUP));
	CHECK_EQ(bifurc_tx_complete(q, back, 48), 32);
	/* Empty txc, 16 in flight, flag clear: no kick either. */
	CHECK_EQ(bifurc_tx_complete(q, back + 32, 16), 0);
	CHECK_EQ(KICKS(d), kicks + 1);
	CHECK_EQ(sim_tx_send(d, FX_Q, 16), 16);
	CHECK(a->tx_h->flags & BIFURC_RING_NEED_WAKEUP);
	CHECK_EQ(bifurc_tx_complete(q, back + 32, 16), 16);
	/* Nothing outstanding: an empty txc is no reason to kick. */
	CHECK_EQ(bifurc_tx_complete(q, back, 1), 0);
	CHECK_EQ(KICKS(d), kicks + 1);

	/* An idle NIC every time: exactly one kick per call, never two. */
	for (round = 0; round < 20; round++) {
		frames(t, back, 48, 60);
		kicks = KICKS(d);
		CHECK_EQ(bifurc_tx_burst(q, t, 48), 48);
		CHECK_EQ(KICKS(d), kicks + 1);
		CHECK_EQ(drain(d, q, back, 48), 48);
		CHECK_EQ(KICKS(d), kicks + 1);
	}
	CHECK_EQ(bifurc_rx_release(q, back, 48), 0);
	bifurc_close(q);
	return 0;
}

/* A failed kick: entries already queued are reported, the next call
 * kicks again; with nothing queued the error is returned. */
static int tx_kick_error(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[129], back[129];
	struct bifurc_queue *q;
	struct bifurc_tx t[1];
	struct sim_att *a;

	o.tx_entries = 64;
	o.txc_entries = 64;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(hold(d, q, p, 129), 0);
	frames(t, p + 128, 1, 60);
	d->fail_kick = EIO;
	CHECK_EQ(bifurc_tx_burst(q, t, 1), 1);
	CHECK_EQ(a->tx_h->consumer, 0);		/* the kernel saw nothing */
	CHECK_EQ(bifurc_tx_complete(q, back, 1), 0);	/* kicks again */
	CHECK_EQ(a->tx_h->consumer, 1);
	CHECK_EQ(drain(d, q, back, 1), 1);

	/* tx ring full and the NIC idle: the kick is all the call does. */
	CHECK_EQ(txc_jam(d, q, p), 0);
	t[0] = ent(&back[0], 60, 0);
	d->fail_kick = EIO;
	CHECK_EQ(bifurc_tx_burst(q, t, 1), -EIO);	/* nothing queued */
	CHECK_EQ(bifurc_tx_complete(q, back + 1, 64), 64);
	d->fail_kick = EIO;
	CHECK_EQ(bifurc_tx_complete(q, back + 65, 64), -EIO);
	CHECK_EQ(drain(d, q, back + 65, 64), 64);
	CHECK_EQ(bifurc_rx_release(q, back, 129), 0);
	bifurc_close(q);
	return 0;
}

/* Busy-poll: no interrupt ever reclaims; the library kicks for it. */
static int tx_busy_poll(void)
{
	struct bifurc_opts o = tx_opts(BIFURC_OPT_BUSY_POLL);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[16], back[16];
	struct bifurc_tx t[16];
	struct bifurc_queue *q;
	struct sim_att *a;
	unsigned long kicks;
	int round;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(hold(d, q, p, 16), 0);
	for (round = 0; round < 10; round++) {
		frames(t, round ? back : p, 16, 60);
		kicks = KICKS(d);
		CHECK_EQ(bifurc_tx_burst(q, t, 8), 8);
		CHECK_EQ(bifurc_tx_burst(q, t + 8, 8), 8);
		CHECK_EQ(KICKS(d), kicks + 2);	/* always, once per call */
		CHECK(a->tx_h->flags & BIFURC_RING_NEED_WAKEUP);
		CHECK_EQ(sim_tx_send(d, FX_Q, 16), 16);
		CHECK_EQ(a->txc_h->producer, a->txc_h->consumer); /* no NAPI */
		CHECK_EQ(bifurc_tx_complete(q, back, 16), 16);
		CHECK_EQ(KICKS(d), kicks + 3);
		CHECK_EQ(bifurc_tx_complete(q, back, 16), 0);
		CHECK_EQ(KICKS(d), kicks + 3);	/* nothing out: no kick */
	}
	CHECK_EQ(a->cnt->tx_packets, 160);
	CHECK_EQ(bifurc_rx_release(q, back, 16), 0);
	bifurc_close(q);
	return 0;
}

static int tx_stats(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[4], back[4];
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct bifurc_tx t[4];
	unsigned int i;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(hold(d, q, p, 4), 0);
	d->max_tx_frame = 100;
	t[0] = ent(&p[0], 200, 0);		/* refused by the kernel */
	t[1] = ent(&p[1], 60, 0);
	t[2] = ent(&p[2], 30, BIFURC_TX_MORE);
	t[3] = ent(&p[3], 40, 0);
	CHECK_EQ(bifurc_tx_burst(q, t, 4), 4);
	CHECK_EQ(drain(d, q, back, 4), 4);
	sim_inject_txc(sim_att_of(d, FX_Q), 7777);
	CHECK_EQ(bifurc_tx_complete(q, back, 4), 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.tx_packets, 2);
	CHECK_EQ(st.tx_bytes, 130);
	CHECK_EQ(st.tx_bad_frame, 1);
	CHECK_EQ(st.tx_bad_id, 0);
	CHECK_EQ(st.tx_ring_err, 0);
	CHECK_EQ(st.tx_ring_full, 0);
	CHECK_EQ(st.lib_bad_comp, 1);
	for (i = 0; i < ARRAY_SIZE(st.reserved); i++)
		CHECK_EQ(st.reserved[i], 0);
	CHECK_EQ(bifurc_rx_release(q, back, 4), 0);
	bifurc_close(q);
	return 0;
}

static int tx_reset(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[2];
	struct bifurc_queue *q;
	struct bifurc_tx t[2];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(hold(d, q, p, 2), 0);
	frames(t, p, 2, 60);
	CHECK_EQ(bifurc_tx_burst(q, t, 1), 1);
	sim_reset(d);
	CHECK_EQ(bifurc_tx_burst(q, t + 1, 1), -ENETRESET);
	CHECK_EQ(bifurc_tx_complete(q, p, 1), -ENETRESET);
	bifurc_close(q);
	return 0;
}

static int tx_hang(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[2];
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct bifurc_tx t[2];
	struct sim_att *a;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(hold(d, q, p, 2), 0);
	frames(t, p, 2, 60);
	CHECK_EQ(bifurc_tx_burst(q, t, 1), 1);
	sim_tx_hang(d);				/* the frame never completed */
	CHECK_EQ(a->cnt->status, BIFURC_STATUS_RESET | BIFURC_STATUS_TX_HANG);
	CHECK_EQ(bifurc_tx_burst(q, t + 1, 1), -ENETRESET);
	CHECK_EQ(bifurc_tx_complete(q, p, 1), -ENETRESET);
	CHECK_EQ(bifurc_stats(q, &st), -ENETRESET);
	CHECK_EQ(bifurc_rx_burst(q, p, 1), -ENETRESET);
	bifurc_close(q);
	/* The queue may be attached again. */
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	bifurc_close(q);
	return 0;
}

/* Closing with frames queued and in flight: the kernel takes them. */
static int tx_close_in_flight(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[32];
	struct bifurc_tx t[32];
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(hold(d, q, p, 32), 0);
	frames(t, p, 32, 60);
	CHECK_EQ(bifurc_tx_burst(q, t, 16), 16);
	CHECK_EQ(bifurc_tx_burst(q, t + 16, 16), 16);	/* queued only */
	CHECK_EQ(sim_tx_send(d, FX_Q, 4), 4);
	bifurc_close(q);
	CHECK_EQ(sim_live_mappings(), 0);
	CHECK_EQ(sim_live_atts(), 0);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	bifurc_close(q);
	return 0;
}

/*
 * Design rule 2 for TX: an echo loop at batch 32 costs at most one
 * system call per 32 packets.  With frames always in flight (the flag
 * clear) it costs none; with the NIC idle before every burst, one kick
 * per burst.
 */
static int tx_syscalls_per_packet(void)
{
	struct bifurc_opts o = tx_opts(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[32], back[64];
	struct bifurc_tx t[32];
	struct bifurc_queue *q;
	struct sim_att *a;
	unsigned long sys, pkts = 0;
	int round, n, got;

	o.rx_desc = 128;
	o.buf_count = 512;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	/* Warm up: 32 frames in flight. */
	CHECK_EQ(fx_rx_all(d, q, 32, 64, p), 32);
	frames(t, p, 32, 64);
	CHECK_EQ(bifurc_tx_burst(q, t, 32), 32);
	sys = KICKS(d) + d->n_poll;
	for (round = 0; round < 1000; round++) {
		CHECK_EQ(sim_rx_many(d, FX_Q, 32, 64), 32);
		for (got = 0; got < 32; got += n) {
			n = bifurc_rx_burst(q, p + got, 32 - (unsigned int)got);
			CHECK(n > 0);
		}
		CHECK(!(a->tx_h->flags & BIFURC_RING_NEED_WAKEUP));
		frames(t, p, 32, 64);
		CHECK_EQ(bifurc_tx_burst(q, t, 32), 32);
		CHECK_EQ(sim_tx_send(d, FX_Q, 32), 32);
		CHECK_EQ(bifurc_tx_complete(q, back, 64), 32);
		CHECK_EQ(bifurc_rx_release(q, back, 32), 0);
		pkts += 32;
	}
	sys = KICKS(d) + d->n_poll - sys;
	printf("# flag clear: %lu packets, %lu system calls\n", pkts, sys);
	CHECK(sys * 32 <= pkts);
	/* Not one, in fact: NAPI submits, and the NIC never starves RX. */
	CHECK_EQ(sys, 0);

	/* The NIC idle before every burst: one kick per 32 packets. */
	CHECK_EQ(drain(d, q, back, 32), 32);
	CHECK_EQ(bifurc_rx_release(q, back, 32), 0);
	sys = KICKS(d) + d->n_poll;
	pkts = 0;
	for (round = 0; round < 1000; round++) {
		CHECK_EQ(sim_rx_many(d, FX_Q, 32, 64), 32);
		for (got = 0; got < 32; got += n) {
			n = bifurc_rx_burst(q, p + got, 32 - (unsigned int)got);
			CHECK(n > 0);
		}
		frames(t, p, 32, 64);
		CHECK_EQ(bifurc_tx_burst(q, t, 32), 32);
		CHECK_EQ(sim_tx_send(d, FX_Q, 32), 32);
		CHECK_EQ(bifurc_tx_complete(q, back, 64), 32);
		CHECK_EQ(bifurc_rx_release(q, back, 32), 0);
		pkts += 32;
	}
	sys = KICKS(d) + d->n_poll - sys;
	printf("# NIC idle: %lu packets, %lu system calls\n", pkts, sys);
	CHECK(sys * 32 <= pkts);
	CHECK_EQ(a->cnt->tx_packets, 2 * 32000 + 32);
	bifurc_close(q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "TX_ATTACH_REFUSED", tx_attach_refused },
	{ "TX_BUSY_POLL", tx_busy_poll },
	{ "TX_CLOSE_IN_FLIGHT", tx_close_in_flight },
	{ "TX_COMPLETE_BAD_ID", tx_complete_bad_id },
	{ "TX_ECHO", tx_echo },
	{ "TX_EINVAL_BOUNDS", tx_einval_bounds },
	{ "TX_EINVAL_DOUBLE_QUEUE", tx_einval_double_queue },
	{ "TX_EINVAL_FLAGS", tx_einval_flags },
	{ "TX_EINVAL_FRAGS", tx_einval_frags },
	{ "TX_EINVAL_FRAME_LEN", tx_einval_frame_len },
	{ "TX_EINVAL_LEN_ZERO", tx_einval_len_zero },
	{ "TX_EINVAL_MORE_LAST", tx_einval_more_last },
	{ "TX_EINVAL_NOT_HELD", tx_einval_not_held },
	{ "TX_HANG", tx_hang },
	{ "TX_KICK_ERROR", tx_kick_error },
	{ "TX_KICK_RULE", tx_kick_rule },
	{ "TX_MULTI_BUFFER", tx_multi_buffer },
	{ "TX_NIC_RING_WAIT", tx_nic_ring_wait },
	{ "TX_NOT_ENABLED", tx_not_enabled },
	{ "TX_NULL_ARGS", tx_null_args },
	{ "TX_OLD_KERNEL", tx_old_kernel },
	{ "TX_OPEN_DEFAULTS", tx_open_defaults },
	{ "TX_OPTS_INVALID", tx_opts_invalid },
	{ "TX_OUT_OF_SPEC", tx_out_of_spec },
	{ "TX_OWNERSHIP", tx_ownership },
	{ "TX_QUEUE_INFO", tx_queue_info },
	{ "TX_REFUSED", tx_refused },
	{ "TX_RESET", tx_reset },
	{ "TX_RING_NO_SPLIT", tx_ring_no_split },
	{ "TX_RING_WRAP", tx_ring_wrap },
	{ "TX_STATS", tx_stats },
	{ "TX_SYSCALLS_PER_PACKET", tx_syscalls_per_packet },
	{ "TX_TXC_FULL", tx_txc_full },
};

int main(void)
{
	return tap_run("Description: transmit (BIFURC_OPT_TX)", cases,
		       ARRAY_SIZE(cases));
}
