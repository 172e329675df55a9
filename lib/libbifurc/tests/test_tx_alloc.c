// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: the TX reserve (bifurc_opts.tx_buf_count, bifurc_tx_alloc):
 * a transmit-only queue posts no buffer for reception and sends from its
 * reserve round after round without running out, whether the buffers go
 * back through rx_release or are sent again straight from tx_complete; a
 * queue with both keeps the two sets apart (received buffers back to the
 * fill ring, reserve buffers back to the reserve, all or nothing); the
 * option's checks; tx_alloc's arguments; a queue without a reserve is
 * unchanged (every buffer posted).
 */
#include <stdlib.h>

#include "fixture.h"

#define ATTACHES(d)	((d)->n_ioctl[_IOC_NR(BIFURC_IOC_ATTACH)])

/* System calls on the device so far: every ioctl and poll. */
static unsigned long syscalls(const struct sim_dev *d)
{
	unsigned long n = d->n_poll;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(d->n_ioctl); i++)
		n += d->n_ioctl[i];
	return n;
}

/* 128 buffers, tx_buf_count of them for the sender. */
static struct bifurc_opts reserve_opts(uint32_t tx_buf_count)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_TX);

	o.tx_buf_count = tx_buf_count;
	return o;
}

/* Every id the library has put in the fill ring so far is below lim. */
static int fill_ids_below(const struct sim_att *a, uint32_t lim)
{
	uint32_t i, n = a->fill_h->producer;

	if (n > a->fill_n)
		n = a->fill_n;
	for (i = 0; i < n; i++)
		if (a->fill_e[i] >= lim)
			return 0;
	return 1;
}

/* Frame k of a run: 60 bytes, none of them the same as frame k - 1's. */
static void make_frame(uint8_t *f, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < 60; i++)
		f[i] = (uint8_t)(k * 31 + i);
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

/* Write frames k0 .. k0 + n - 1 into the held buffers and queue them. */
static int send_frames(struct bifurc_queue *q, const struct bifurc_pkt *p,
		       unsigned int n, unsigned int k0)
{
	struct bifurc_queue_info qi;
	struct bifurc_tx t[64];
	unsigned int i;

	if (n > 64 || bifurc_queue_info(q, &qi))
		return -1;
	for (i = 0; i < n; i++) {
		make_frame(p[i].data, k0 + i);
		t[i].buf = p[i].buf;
		t[i].offset = qi.rx_headroom;
		t[i].len = 60;
		t[i].flags = 0;
	}
	return bifurc_tx_burst(q, t, n);
}

/*
 * A transmit-only queue: nothing posted, 128 buffers to send from, and
 * 100 rounds of 32 frames through alloc -> tx_burst -> tx_complete ->
 * rx_release never run out.
 */
static int tx_alloc_tx_only(void)
{
	struct bifurc_opts o = reserve_opts(128);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue_info qi;
	struct bifurc_pkt p[200], back[32];
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct sim_att *a;
	uint8_t want[60], seen[128];
	unsigned long calls;
	unsigned int i, round;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(qi.buf_count, 128);
	/* Not one buffer for reception: the fill ring is empty. */
	CHECK_EQ(a->fill_h->producer, 0);
	CHECK_EQ(sim_posted(a), 0);
	/* Frames steered here find no buffer: dropped, not taken. */
	CHECK_EQ(sim_rx_many(d, FX_Q, 4, 64), 0);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), 0);

	/* All 128 are the sender's, once each, without a system call. */
	calls = syscalls(d);
	CHECK_EQ(bifurc_tx_alloc(q, p, 200), 128);
	CHECK_EQ(bifurc_tx_alloc(q, p + 128, 1), 0);
	CHECK_EQ(syscalls(d), calls);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 128; i++) {
		CHECK(p[i].buf < 128 && !seen[p[i].buf]);
		seen[p[i].buf] = 1;
		CHECK(p[i].data == (uint8_t *)qi.pool +
		      (size_t)p[i].buf * qi.buf_size + qi.rx_headroom);
		CHECK_EQ(p[i].len, 0);
		CHECK_EQ(p[i].flags, 0);
	}
	/* Given back, they return to the reserve, not to the fill ring. */
	CHECK_EQ(bifurc_rx_release(q, p, 128), 0);
	CHECK_EQ(a->fill_h->producer, 0);

	for (round = 0; round < 100; round++) {
		CHECK_EQ(bifurc_tx_alloc(q, p, 32), 32);
		CHECK_EQ(send_frames(q, p, 32, round * 32), 32);
		CHECK_EQ(drain(d, q, back, 32), 32);
		make_frame(want, round * 32 + 31);
		CHECK_EQ(d->tx_last_len, 60);
		CHECK(memcmp(d->tx_last, want, 60) == 0);
		for (i = 0; i < 32; i++)
			CHECK_EQ(back[i].flags, 0);
		CHECK_EQ(bifurc_rx_release(q, back, 32), 0);
	}
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.tx_packets, 3200);
	CHECK_EQ(st.tx_bad_id + st.tx_bad_frame + st.lib_bad_comp, 0);
	CHECK_EQ(a->fill_h->producer, 0);
	CHECK_EQ(bifurc_tx_alloc(q, p, 200), 128);
	bifurc_close(q);
	return 0;
}

/* Buffers back from tx_complete may be sent again without the reserve. */
static int tx_alloc_resend(void)
{
	struct bifurc_opts o = reserve_opts(128);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[16], all[128];
	struct bifurc_queue *q;
	unsigned int round;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_tx_alloc(q, p, 16), 16);
	for (round = 0; round < 50; round++) {
		CHECK_EQ(send_frames(q, p, 16, round * 16), 16);
		CHECK_EQ(drain(d, q, p, 16), 16);
	}
	CHECK_EQ(sim_att_of(d, FX_Q)->cnt->tx_packets, 800);
	/* The other 112 never left the reserve; the 16 go back to it. */
	CHECK_EQ(bifurc_tx_alloc(q, all, 128), 112);
	CHECK_EQ(bifurc_rx_release(q, p, 16), 0);
	CHECK_EQ(bifurc_tx_alloc(q, all + 112, 128), 16);
	CHECK_EQ(bifurc_rx_release(q, all, 128), 0);
	bifurc_close(q);
	return 0;
}

/*
 * 96 buffers receive, 32 send.  An echoed buffer goes back to the fill
 * ring, a reserve buffer to the reserve, in one mixed call; a bad id in
 * a mixed call takes nothing.
 */
static int tx_alloc_mixed(void)
{
	struct bifurc_opts o = reserve_opts(32);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt rx[8], p[40], back[5], bad[3];
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct bifurc_tx t;
	struct sim_att *a;
	uint32_t fill;
	unsigned int i;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(a->fill_h->producer, 96);
	CHECK(fill_ids_below(a, 96));
	CHECK_EQ(fx_rx_all(d, q, 8, 64, rx), 8);
	CHECK_EQ(bifurc_tx_alloc(q, p, 4), 4);
	for (i = 0; i < 4; i++)
		CHECK(p[i].buf >= 96 && p[i].buf < 128);

	/* Echo rx[0], send the 4 reserve buffers. */
	t.buf = rx[0].buf;
	t.offset = 0;
	t.len = rx[0].len;
	t.flags = 0;
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), 1);
	CHECK_EQ(send_frames(q, p, 4, 0), 4);
	CHECK_EQ(drain(d, q, back, 5), 5);
	fill = a->fill_h->producer;
	CHECK_EQ(bifurc_rx_release(q, back, 5), 0);
	/* One id to the fill ring (the echoed one), four to the reserve. */
	CHECK_EQ(a->fill_h->producer, fill + 1);
	CHECK(fill_ids_below(a, 96));
	CHECK_EQ(bifurc_tx_alloc(q, p, 40), 32);

	/* All or nothing: a reserve id, a received id, a foreign id. */
	bad[0] = p[0];
	bad[1] = rx[1];
	bad[2] = rx[1];
	bad[2].buf = 5000;
	fill = a->fill_h->producer;
	CHECK_EQ(bifurc_rx_release(q, bad, 3), -EINVAL);
	bad[2] = p[0];				/* twice in the call */
	CHECK_EQ(bifurc_rx_release(q, bad, 3), -EINVAL);
	CHECK_EQ(a->fill_h->producer, fill);
	CHECK_EQ(bifurc_tx_alloc(q, back, 1), 0);	/* nothing came back */
	CHECK_EQ(bifurc_rx_release(q, bad, 2), 0);
	CHECK_EQ(bifurc_rx_release(q, bad, 1), -EINVAL);	/* released */
	CHECK_EQ(a->fill_h->producer, fill + 1);
	CHECK_EQ(bifurc_tx_alloc(q, back, 2), 1);
	CHECK_EQ(back[0].buf, p[0].buf);

	/* Received buffers keep flowing to the fill ring only. */
	CHECK_EQ(bifurc_rx_release(q, rx + 2, 6), 0);
	CHECK_EQ(bifurc_rx_release(q, p + 1, 31), 0);
	CHECK_EQ(bifurc_rx_release(q, back, 1), 0);
	for (i = 0; i < 20; i++) {
		CHECK_EQ(fx_rx_all(d, q, 8, 64, rx), 8);
		CHECK_EQ(bifurc_rx_release(q, rx, 8), 0);
	}
	CHECK(fill_ids_below(a, 96));
	CHECK_EQ(bifurc_tx_alloc(q, p, 40), 32);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.rx_bad_id + st.tx_bad_id + st.lib_bad_comp, 0);
	CHECK_EQ(st.rx_no_buf, 0);
	CHECK_EQ(bifurc_rx_release(q, p, 32), 0);
	bifurc_close(q);
	return 0;
}

static int tx_alloc_opts(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_opts o;
	struct bifurc_pkt p;
	struct sim_att *a;

	/* Without TX the reserve would be buffers nobody can use. */
	o = fx_small(0);
	o.tx_buf_count = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EINVAL);
	/* More than the pool, explicit or default (2 * rx_desc). */
	o = reserve_opts(129);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EINVAL);
	o.buf_count = 0;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EINVAL);
	o = reserve_opts(0);
	o.reserved1 = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EINVAL);
	CHECK_EQ(ATTACHES(d), 0);
	CHECK_EQ(sim_live_atts(), 0);

	o = reserve_opts(128);
	o.buf_count = 0;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(sim_att_of(d, FX_Q)->buf_count, 128);
	CHECK_EQ(bifurc_tx_alloc(q, &p, 1), 1);
	bifurc_close(q);

	/* A 0.2 caller's struct ends at reserved0: no reserve, all posted. */
	o = reserve_opts(64);
	o.size = offsetof(struct bifurc_opts, tx_buf_count);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(a->fill_h->producer, 128);
	CHECK_EQ(bifurc_tx_alloc(q, &p, 1), 0);
	bifurc_close(q);
	return 0;
}

static int tx_alloc_args(void)
{
	struct bifurc_opts o = reserve_opts(8);
	struct bifurc_pkt p[8];
	struct bifurc_queue *q;

	fx_dev();
	CHECK_EQ(bifurc_tx_alloc(NULL, p, 1), -EINVAL);
	o = fx_small(0);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_tx_alloc(q, p, 1), -EOPNOTSUPP);
	bifurc_close(q);
	/* TX without a reserve: never a buffer. */
	o = reserve_opts(0);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_tx_alloc(q, p, 8), 0);
	bifurc_close(q);

	o = reserve_opts(8);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_tx_alloc(q, NULL, 1), -EINVAL);
	CHECK_EQ(bifurc_tx_alloc(q, NULL, 0), 0);
	CHECK_EQ(bifurc_tx_alloc(q, p, 0), 0);
	CHECK_EQ(bifurc_tx_alloc(q, p, 0xffffffffU), 8);
	CHECK_EQ(bifurc_rx_release(q, p, 8), 0);
	bifurc_close(q);
	return 0;
}

/* Without a reserve every buffer goes to the fill ring, as before 0.3. */
static int tx_alloc_none(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[32];
	struct bifurc_queue *q;
	struct sim_att *a;
	uint8_t seen[128];
	unsigned int i, pass;

	for (pass = 0; pass < 2; pass++) {
		o = pass ? reserve_opts(0) : fx_small(0);
		CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
		a = sim_att_of(d, FX_Q);
		CHECK_EQ(a->fill_h->producer, 128);
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < 128; i++) {
			CHECK(a->fill_e[i] < 128 && !seen[a->fill_e[i]]);
			seen[a->fill_e[i]] = 1;
		}
		CHECK_EQ(fx_rx_all(d, q, 32, 64, p), 32);
		CHECK_EQ(bifurc_rx_release(q, p, 32), 0);
		CHECK_EQ(a->fill_h->producer, 160);
		bifurc_close(q);
	}
	return 0;
}

/* A dead queue: the sender learns it from tx_burst and tx_complete. */
static int tx_alloc_reset(void)
{
	struct bifurc_opts o = reserve_opts(128);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[2];
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_tx_alloc(q, p, 2), 2);
	CHECK_EQ(send_frames(q, p, 1, 0), 1);
	sim_reset(d);
	CHECK_EQ(send_frames(q, p + 1, 1, 1), -ENETRESET);
	CHECK_EQ(bifurc_tx_complete(q, p, 1), -ENETRESET);
	bifurc_close(q);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_tx_alloc(q, p, 2), 2);
	bifurc_close(q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "TX_ALLOC_ARGS", tx_alloc_args },
	{ "TX_ALLOC_MIXED", tx_alloc_mixed },
	{ "TX_ALLOC_NONE", tx_alloc_none },
	{ "TX_ALLOC_OPTS", tx_alloc_opts },
	{ "TX_ALLOC_RESEND", tx_alloc_resend },
	{ "TX_ALLOC_RESET", tx_alloc_reset },
	{ "TX_ALLOC_TX_ONLY", tx_alloc_tx_only },
};

int main(void)
{
	return tap_run("Description: the TX reserve (bifurc_tx_alloc)",
		       cases, ARRAY_SIZE(cases));
}
