// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_rx_burst in completion-ring mode: zero-copy views,
 * metadata, empty ring without syscalls, multi-buffer frames, completion
 * ring backpressure, buggy-kernel completions, reset and removal.
 */
#include <stdlib.h>

#include "fixture.h"

static int rx_basic(void)
{
	struct sim_meta m = { .hash = 0xdeadbeef,
			      .flags = BIFURC_RX_F_HASH | BIFURC_RX_F_VLAN |
				       BIFURC_RX_F_L3_CSUM_OK |
				       BIFURC_RX_F_L4_CSUM_OK | BIFURC_RX_F_FLOW,
			      .ptype = BIFURC_PTYPE_L3_IPV4 | BIFURC_PTYPE_L4_UDP,
			      .vlan = 42 };
	struct bifurc_queue_info qi;
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[4];
	uint8_t *pool;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	pool = qi.pool;
	CHECK_EQ(sim_rx(d, FX_Q, "hello, bifurc", 13, &m), 1);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), 1);
	CHECK_EQ(p[0].len, 13);
	CHECK(memcmp(p[0].data, "hello, bifurc", 13) == 0);
	/* Zero copy: the view points into the pool, at the buffer's start. */
	CHECK((uint8_t *)p[0].data == pool + (size_t)p[0].buf * qi.buf_size);
	CHECK_EQ(p[0].hash, 0xdeadbeef);
	CHECK_EQ(p[0].vlan_tci, 42);
	CHECK_EQ(p[0].flags, BIFURC_PKT_EOP | BIFURC_PKT_HASH | BIFURC_PKT_VLAN |
			     BIFURC_PKT_L3_CSUM_OK | BIFURC_PKT_L4_CSUM_OK |
			     BIFURC_PKT_FLOW);
	CHECK_EQ(p[0].ptype, BIFURC_PKT_L3_IPV4 | BIFURC_PKT_L4_UDP);
	CHECK_EQ(bifurc_rx_release(q, p, 1), 0);
	bifurc_close(q);
	return 0;
}

static int rx_many_in_order(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[64];
	struct bifurc_queue *q;
	uint32_t i, seq;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(fx_rx_all(d, q, 50, 60, p), 50);
	for (i = 0; i < 50; i++) {
		memcpy(&seq, p[i].data, sizeof(seq));
		CHECK_EQ(seq, i);
		CHECK_EQ(p[i].len, 60);
	}
	CHECK_EQ(bifurc_rx_release(q, p, 50), 0);
	bifurc_close(q);
	return 0;
}

static int rx_empty_no_syscall(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[8];
	unsigned long before;
	int i;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	before = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
	for (i = 0; i < 1000; i++)
		CHECK_EQ(bifurc_rx_burst(q, p, 8), 0);
	/* The NIC has buffers: NEED_WAKEUP is clear, nothing to kick. */
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)], before);
	CHECK_EQ(bifurc_rx_burst(q, p, 0), 0);
	bifurc_close(q);
	return 0;
}

static int rx_null_args(void)
{
	struct bifurc_queue *q;
	struct bifurc_pkt p;

	fx_dev();
	CHECK_EQ(bifurc_rx_burst(NULL, &p, 1), -EINVAL);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_rx_burst(q, NULL, 1), -EINVAL);
	CHECK_EQ(bifurc_rx_burst(q, NULL, 0), 0);
	bifurc_close(q);
	return 0;
}

static int rx_burst_limit(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[40];
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(sim_rx_many(d, FX_Q, 40, 64), 40);
	CHECK_EQ(bifurc_rx_burst(q, p, 16), 16);
	CHECK_EQ(bifurc_rx_burst(q, p + 16, 16), 16);
	CHECK_EQ(bifurc_rx_burst(q, p + 32, 16), 8);
	CHECK_EQ(bifurc_rx_release(q, p, 40), 0);
	bifurc_close(q);
	return 0;
}

static int rx_multi_buffer_frame(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[4];
	static uint8_t frame[3000];
	size_t i;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(sim_rx(d, FX_Q, frame, sizeof(frame), NULL), 1);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), 2);
	CHECK_EQ(p[0].len, 2048);
	CHECK_EQ(p[0].flags & BIFURC_PKT_EOP, 0);
	CHECK_EQ(p[1].len, 3000 - 2048);
	CHECK_EQ(p[1].flags & BIFURC_PKT_EOP, BIFURC_PKT_EOP);
	CHECK(memcmp(p[0].data, frame, 2048) == 0);
	CHECK(memcmp(p[1].data, frame + 2048, 3000 - 2048) == 0);
	CHECK_EQ(bifurc_rx_release(q, p, 2), 0);
	bifurc_close(q);
	return 0;
}

/* Every buffer goes round many times; nothing is lost or duplicated. */
static int rx_recycle(void)
{
	struct bifurc_opts o = fx_small(0);
	struct bifurc_stats st;
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[32];
	struct bifurc_queue *q;
	int round, n;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	for (round = 0; round < 200; round++) {
		n = fx_rx_all(d, q, 32, 100, p);
		CHECK_EQ(n, 32);
		CHECK_EQ(bifurc_rx_release(q, p, 32), 0);
	}
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.rx_packets, 200 * 32);
	CHECK_EQ(st.rx_no_buf, 0);
	CHECK_EQ(st.rx_bad_id, 0);
	CHECK_EQ(st.lib_bad_comp, 0);
	bifurc_close(q);
	return 0;
}

/* A small completion ring holds the kernel back; nothing is lost. */
static int comp_ring_backpressure(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[128];
	struct bifurc_queue *q;
	struct sim_att *a;
	int n, got = 0;

	o.comp_entries = 64;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	/* 63 descriptors posted; 63 frames fill the NIC, 64 fit the ring. */
	CHECK_EQ(sim_rx_many(d, FX_Q, 63, 64), 63);
	/* The next interrupt finds no buffer: dropped, counted. */
	CHECK_EQ(sim_rx_many(d, FX_Q, 70, 64), 63);
	CHECK(a->cnt->rx_comp_full > 0);
	CHECK(a->cnt->rx_no_buf > 0);
	while ((n = bifurc_rx_burst(q, p + got, 128 - (unsigned int)got)) > 0)
		got += n;
	CHECK_EQ(n, 0);
	/* rx_burst on the empty ring kicked nothing (no NEED_WAKEUP)... */
	CHECK_EQ(got, 64);
	CHECK_EQ(bifurc_rx_release(q, p, (unsigned int)got), 0);
	/* ...and the next interrupt harvests the rest. */
	CHECK_EQ(sim_rx_many(d, FX_Q, 0, 64), 0);
	got = 0;
	while ((n = bifurc_rx_burst(q, p + got, 128 - (unsigned int)got)) > 0)
		got += n;
	CHECK_EQ(got, 126 - 64);
	CHECK_EQ(bifurc_rx_release(q, p, (unsigned int)got), 0);
	bifurc_close(q);
	return 0;
}

/* A kernel that names a buffer it does not hold is not believed. */
static int bad_completion(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_stats st;
	struct bifurc_queue *q;
	struct bifurc_pkt p[4];
	struct sim_att *a;

	o.fill_entries = 64;		/* ids 64..127 stay in the stash */
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	sim_inject_comp(a, 5000, 60);		/* out of range */
	sim_inject_comp(a, 100, 60);		/* never given to the kernel */
	CHECK_EQ(sim_rx(d, FX_Q, "x", 1, NULL), 1);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), 1);
	CHECK_EQ(p[0].len, 1);
	sim_inject_comp(a, p[0].buf, 60);	/* the app holds it */
	sim_inject_comp(a, 8, 60000);		/* longer than a buffer */
	CHECK_EQ(bifurc_rx_burst(q, p + 1, 3), 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.lib_bad_comp, 4);
	CHECK_EQ(bifurc_rx_release(q, p, 1), 0);
	bifurc_close(q);
	return 0;
}

/*
 * A burst across the end of the completion ring, with a bad entry after
 * the wrap: every field of every packet as the kernel wrote it, the
 * reserved ones zero, the bad entry skipped and counted, and nothing
 * written past the packets returned.
 */
static int comp_wrap_fields(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue_info qi;
	struct bifurc_stats st;
	struct bifurc_pkt p[64];
	struct bifurc_queue *q;
	struct sim_att *a;
	struct sim_meta m;
	uint8_t frame[80], *pool, junk[sizeof(p[0])];
	unsigned int i, k;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(qi.comp_entries, 128);
	pool = qi.pool;
	a = sim_att_of(d, FX_Q);
	/* Move the consumer to slot 120. */
	for (i = 0; i < 2; i++) {
		CHECK_EQ(fx_rx_all(d, q, 60, 64, p), 60);
		CHECK_EQ(bifurc_rx_release(q, p, 60), 0);
	}
	/*
	 * Slots 120..127, 2..4 good; 0 out of range, 1 a buffer the kernel
	 * holds but longer than a buffer.
	 */
	for (i = 0; i < 11; i++) {
		if (i == 8) {
			sim_inject_comp(a, 5000, 60);
			sim_inject_comp(a, a->hw_slot[a->hw_head % a->rx_desc],
					60000);
		}
		memset(&m, 0, sizeof(m));
		m.hash = 0x1000 + i;
		m.flags = (i & 1) ? BIFURC_RX_F_HASH | BIFURC_RX_F_VLAN :
				    BIFURC_RX_F_L3_CSUM_OK;
		m.ptype = (i & 1) ? BIFURC_PTYPE_L3_IPV6 | BIFURC_PTYPE_L4_TCP :
				    BIFURC_PTYPE_L3_IPV4 | BIFURC_PTYPE_L4_UDP;
		m.vlan = (uint16_t)(100 + i);
		memset(frame, (int)i, sizeof(frame));
		CHECK_EQ(sim_rx(d, FX_Q, frame, 60 + i, &m), 1);
	}
	memset(p, 0xa5, sizeof(p));
	memset(junk, 0xa5, sizeof(junk));
	CHECK_EQ(bifurc_rx_burst(q, p, 64), 11);
	for (i = 0; i < 11; i++) {
		CHECK_EQ(p[i].len, 60 + i);
		CHECK(p[i].buf < qi.buf_count);
		CHECK((uint8_t *)p[i].data == pool + (size_t)p[i].buf *
						qi.buf_size);
		for (k = 0; k < p[i].len; k++)
			CHECK_EQ(((uint8_t *)p[i].data)[k], i);
		CHECK_EQ(p[i].hash, 0x1000 + i);
		CHECK_EQ(p[i].flags, BIFURC_PKT_EOP | ((i & 1) ?
			 BIFURC_PKT_HASH | BIFURC_PKT_VLAN :
			 BIFURC_PKT_L3_CSUM_OK));
		CHECK_EQ(p[i].ptype, (i & 1) ?
			 BIFURC_PKT_L3_IPV6 | BIFURC_PKT_L4_TCP :
			 BIFURC_PKT_L3_IPV4 | BIFURC_PKT_L4_UDP);
		CHECK_EQ(p[i].vlan_tci, 100 + i);
		CHECK_EQ(p[i].reserved0, 0);
		CHECK_EQ(p[i].reserved1, 0);
	}
	for (i = 11; i < 64; i++)
		CHECK(memcmp(&p[i], junk, sizeof(junk)) == 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.lib_bad_comp, 2);
	CHECK_EQ(bifurc_rx_release(q, p, 11), 0);
	bifurc_close(q);
	return 0;
}

/* A kernel producer beyond the ring size is ignored, not read. */
static int comp_producer_garbage(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[4];
	struct sim_att *a;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	a = sim_att_of(d, FX_Q);
	a->comp_h->producer = 100000;
	CHECK_EQ(bifurc_rx_burst(q, p, 4), 0);
	a->comp_h->producer = 0;
	CHECK_EQ(sim_rx(d, FX_Q, "x", 1, NULL), 1);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), 1);
	CHECK_EQ(bifurc_rx_release(q, p, 1), 0);
	bifurc_close(q);
	return 0;
}

static int reset_while_receiving(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[4];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(sim_rx(d, FX_Q, "a", 1, NULL), 1);
	CHECK_EQ(sim_rx(d, FX_Q, "b", 1, NULL), 1);
	sim_reset(d);
	/* What was completed before the reset is still delivered... */
	CHECK_EQ(bifurc_rx_burst(q, p, 1), 1);
	CHECK_EQ(bifurc_rx_burst(q, p + 1, 1), 1);
	/* ...then the error. */
	CHECK_EQ(bifurc_rx_burst(q, p + 2, 1), -ENETRESET);
	CHECK_EQ(bifurc_rx_release(q, p, 2), 0);
	bifurc_close(q);
	/* A new attachment after the reset works. */
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	bifurc_close(q);
	return 0;
}

static int removed_while_receiving(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[4];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	sim_remove(d);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), -ENODEV);
	bifurc_close(q);
	return 0;
}

static int revoked_while_receiving(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[4];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	sim_revoke(d, FX_Q);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), -EACCES);
	CHECK_EQ(bifurc_wait(q, 0), -EACCES);
	bifurc_close(q);
	return 0;
}

static int need_wakeup_kick_on_empty(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[128], extra[2];
	struct bifurc_queue *q;
	struct sim_att *a;
	unsigned long kicks;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	/* 128 buffers: 63 on the NIC, 65 waiting in the fill ring. */
	CHECK_EQ(sim_posted(a), 63);
	CHECK_EQ(fx_rx_all(d, q, 63, 64, p), 63);
	/* NAPI refilled the NIC by itself: no wakeup needed, no kick. */
	CHECK_EQ(sim_posted(a), 63);
	CHECK(!(a->fill_h->flags & BIFURC_RING_NEED_WAKEUP));
	CHECK_EQ(fx_rx_all(d, q, 63, 64, p + 63), 63);
	CHECK_EQ(sim_posted(a), 2);
	CHECK_EQ(fx_rx_all(d, q, 2, 64, p + 126), 2);
	/* The application holds every buffer; the NIC has none. */
	CHECK_EQ(sim_posted(a), 0);
	CHECK(a->fill_h->flags & BIFURC_RING_NEED_WAKEUP);
	kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
	CHECK_EQ(kicks, 1);
	/* Release fewer than a batch: no kick yet. */
	CHECK_EQ(bifurc_rx_release(q, p, 10), 0);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)], kicks);
	/* The completion ring is empty: rx_burst makes the one kick. */
	CHECK_EQ(bifurc_rx_burst(q, extra, 2), 0);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)], kicks + 1);
	CHECK_EQ(sim_posted(a), 10);
	/* The NIC is not full: the kernel still wants buffers... */
	CHECK(a->fill_h->flags & BIFURC_RING_NEED_WAKEUP);
	/* ...but the fill ring is empty: nothing to kick for. */
	CHECK_EQ(bifurc_rx_burst(q, extra, 2), 0);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)], kicks + 1);
	/* A full batch: one kick fills the NIC and clears the flag. */
	CHECK_EQ(bifurc_rx_release(q, p + 10, 118), 0);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)], kicks + 2);
	CHECK_EQ(sim_posted(a), 63);
	CHECK(!(a->fill_h->flags & BIFURC_RING_NEED_WAKEUP));
	bifurc_close(q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "BAD_COMPLETION", bad_completion },
	{ "COMP_PRODUCER_GARBAGE", comp_producer_garbage },
	{ "COMP_RING_BACKPRESSURE", comp_ring_backpressure },
	{ "COMP_WRAP_FIELDS", comp_wrap_fields },
	{ "NEED_WAKEUP_KICK_ON_EMPTY", need_wakeup_kick_on_empty },
	{ "REMOVED_WHILE_RECEIVING", removed_while_receiving },
	{ "REVOKED_WHILE_RECEIVING", revoked_while_receiving },
	{ "RESET_WHILE_RECEIVING", reset_while_receiving },
	{ "RX_BASIC", rx_basic },
	{ "RX_BURST_LIMIT", rx_burst_limit },
	{ "RX_EMPTY_NO_SYSCALL", rx_empty_no_syscall },
	{ "RX_MANY_IN_ORDER", rx_many_in_order },
	{ "RX_MULTI_BUFFER_FRAME", rx_multi_buffer_frame },
	{ "RX_NULL_ARGS", rx_null_args },
	{ "RX_RECYCLE", rx_recycle },
};

int main(void)
{
	return tap_run("Description: bifurc_rx_burst (completion ring mode)",
		       cases, ARRAY_SIZE(cases));
}
