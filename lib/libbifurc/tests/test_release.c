// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_rx_release: all-or-nothing validation of buffer ids
 * (range, double release, duplicates in one batch, ids never handed out),
 * a fill ring smaller than the pool (ring full: the stash), and the
 * batching rule: at most one kick per 32 buffers in steady state.
 */
#include "fixture.h"

static int release_null_args(void)
{
	struct bifurc_queue *q;
	struct bifurc_pkt p;

	fx_dev();
	memset(&p, 0, sizeof(p));
	CHECK_EQ(bifurc_rx_release(NULL, &p, 1), -EINVAL);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_rx_release(q, NULL, 1), -EINVAL);
	CHECK_EQ(bifurc_rx_release(q, NULL, 0), 0);
	bifurc_close(q);
	return 0;
}

static int release_bad_id(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[3];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(fx_rx_all(d, q, 2, 64, p), 2);
	p[2] = p[1];
	p[2].buf = 1024;		/* == buf_count: out of range */
	CHECK_EQ(bifurc_rx_release(q, p, 3), -EINVAL);
	p[2].buf = 0xffffffffu;
	CHECK_EQ(bifurc_rx_release(q, p, 3), -EINVAL);
	/* Nothing was released: the two good ids are still ours. */
	CHECK_EQ(bifurc_rx_release(q, p, 2), 0);
	bifurc_close(q);
	return 0;
}

static int double_release(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct bifurc_pkt p[2];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(fx_rx_all(d, q, 2, 64, p), 2);
	CHECK_EQ(bifurc_rx_release(q, p, 1), 0);
	CHECK_EQ(bifurc_rx_release(q, p, 1), -EINVAL);
	/* A batch with one already-released id fails whole. */
	CHECK_EQ(bifurc_rx_release(q, p, 2), -EINVAL);
	CHECK_EQ(bifurc_rx_release(q, p + 1, 1), 0);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.rx_bad_id, 0);	/* the kernel never saw the bad ids */
	bifurc_close(q);
	return 0;
}

static int duplicate_in_batch(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[3];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(fx_rx_all(d, q, 2, 64, p), 2);
	p[2] = p[0];
	CHECK_EQ(bifurc_rx_release(q, p, 3), -EINVAL);
	CHECK_EQ(bifurc_rx_release(q, p, 2), 0);
	bifurc_close(q);
	return 0;
}

static int foreign_id(void)
{
	struct bifurc_queue *q;
	struct bifurc_pkt p;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	memset(&p, 0, sizeof(p));
	p.buf = 5;			/* valid id, but the kernel holds it */
	CHECK_EQ(bifurc_rx_release(q, &p, 1), -EINVAL);
	bifurc_close(q);
	return 0;
}

/*
 * Fill ring smaller than the pool: ids wait in the stash, none is lost,
 * and a bad batch on that path is refused whole.
 */
static int fill_ring_full(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[128];
	struct bifurc_stats st;
	struct bifurc_queue *q;
	struct sim_att *a;
	int round, n, got;

	o.fill_entries = 64;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	for (round = 0; round < 20; round++) {
		got = 0;
		CHECK_EQ(sim_rx_many(d, FX_Q, 63, 64), 63);
		while ((n = bifurc_rx_burst(q, p + got, 128)) > 0)
			got += n;
		CHECK_EQ(got, 63);
		/* The stash path is all or nothing too. */
		p[got] = p[round];
		CHECK_EQ(bifurc_rx_release(q, p, (unsigned int)got + 1), -EINVAL);
		CHECK_EQ(bifurc_rx_release(q, p, (unsigned int)got), 0);
	}
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.rx_no_buf, 0);
	CHECK_EQ(st.rx_bad_id, 0);
	CHECK_EQ(st.rx_packets, 20 * 63);
	/* The NIC is full again; the rest waits in the ring and stash. */
	CHECK_EQ(sim_posted(a), 63);
	bifurc_close(q);
	return 0;
}

/*
 * A batch that wraps around the end of the fill ring is all or nothing
 * too, wherever the bad id is: before the wrap, after it, or a duplicate
 * across it.  Nothing is published, and the good batch then goes in whole.
 */
static int release_wrap(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[64], b[16];
	struct bifurc_queue_info qi;
	struct bifurc_stats st;
	struct bifurc_queue *q;
	struct sim_att *a;
	uint32_t prod;
	int i;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(qi.fill_entries, 128);
	a = sim_att_of(d, FX_Q);
	/* 128 at open, 120 more: the next batch starts at slot 120. */
	for (i = 0; i < 2; i++) {
		CHECK_EQ(fx_rx_all(d, q, 60, 64, p), 60);
		CHECK_EQ(bifurc_rx_release(q, p, 60), 0);
	}
	prod = a->fill_h->producer;
	CHECK_EQ(prod % 128, 120);
	CHECK_EQ(fx_rx_all(d, q, 16, 64, p), 16);

	memcpy(b, p, sizeof(b));
	b[12].buf = 128;			/* out of range, wrapped */
	CHECK_EQ(bifurc_rx_release(q, b, 16), -EINVAL);
	memcpy(b, p, sizeof(b));
	b[12].buf = p[3].buf;			/* twice, over the wrap */
	CHECK_EQ(bifurc_rx_release(q, b, 16), -EINVAL);
	memcpy(b, p, sizeof(b));
	b[15].buf = a->hw_slot[a->hw_head % a->rx_desc];  /* the kernel's */
	CHECK_EQ(bifurc_rx_release(q, b, 16), -EINVAL);
	memcpy(b, p, sizeof(b));
	b[2].buf = 0xffffffffu;			/* before the wrap */
	CHECK_EQ(bifurc_rx_release(q, b, 16), -EINVAL);
	CHECK_EQ(a->fill_h->producer, prod);

	CHECK_EQ(bifurc_rx_release(q, p, 16), 0);
	CHECK_EQ(a->fill_h->producer, prod + 16);
	CHECK_EQ(bifurc_rx_release(q, p + 15, 1), -EINVAL);
	/* The kernel takes every id written across the wrap. */
	for (i = 0; i < 10; i++) {
		CHECK_EQ(fx_rx_all(d, q, 60, 64, p), 60);
		CHECK_EQ(bifurc_rx_release(q, p, 60), 0);
	}
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.rx_bad_id, 0);
	CHECK_EQ(st.rx_no_buf, 0);
	bifurc_close(q);
	return 0;
}

/* Design rule 2: a steady stream costs at most one kick per 32 packets. */
static int kicks_per_32(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[64];
	struct bifurc_stats st;
	struct bifurc_queue *q;
	unsigned long kicks, pkts = 0;
	int round, n;

	o.rx_desc = 64;
	o.buf_count = 64;		/* tight pool: the NIC runs dry often */
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
	for (round = 0; round < 2000; round++) {
		CHECK(sim_rx_many(d, FX_Q, 32, 64) >= 0);
		while ((n = bifurc_rx_burst(q, p, 64)) > 0) {
			pkts += (unsigned long)n;
			CHECK_EQ(bifurc_rx_release(q, p, (unsigned int)n), 0);
		}
		CHECK_EQ(n, 0);
	}
	kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)] - kicks;
	CHECK_EQ(bifurc_stats(q, &st), 0);
	printf("# %lu packets, %lu kicks, %llu no-buffer drops\n", pkts, kicks,
	       (unsigned long long)st.rx_no_buf);
	CHECK(pkts >= 2000 * 31);
	CHECK(kicks * 32 <= pkts + 32);
	bifurc_close(q);
	return 0;
}

/* Bursts below 32 with a starving NIC: kicks stay batched. */
static int small_batches(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[8];
	struct bifurc_queue *q;
	unsigned long kicks, pkts = 0;
	int round, n;

	o.buf_count = 64;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
	for (round = 0; round < 5000; round++) {
		CHECK(sim_rx_many(d, FX_Q, 4, 64) >= 0);
		while ((n = bifurc_rx_burst(q, p, 8)) > 0) {
			pkts += (unsigned long)n;
			CHECK_EQ(bifurc_rx_release(q, p, (unsigned int)n), 0);
		}
	}
	kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)] - kicks;
	printf("# %lu packets, %lu kicks\n", pkts, kicks);
	CHECK_EQ(pkts, 5000 * 4);
	CHECK(kicks * 32 <= pkts + 32);
	bifurc_close(q);
	return 0;
}

static int release_after_reset(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p[64];

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(fx_rx_all(d, q, 40, 64, p), 40);
	sim_reset(d);
	/* Releasing into a dead ring is harmless; kicks report the reset. */
	CHECK_EQ(bifurc_rx_release(q, p, 40), 0);
	CHECK_EQ(bifurc_rx_burst(q, p, 1), -ENETRESET);
	bifurc_close(q);
	return 0;
}

/*
 * Once the ids pass the checks they are taken and the call returns 0,
 * whatever the kick does: an error would leave the caller unsure who
 * holds the buffers.  The kick stays due; the next call that kicks
 * repeats it and reports a failure that lasts.
 */
static int release_kick_error(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[128];
	struct bifurc_queue *q;
	struct sim_att *a;
	unsigned long kicks;

	o.buf_count = 64;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	/* Take all 63 posted + 1: the NIC starves, NEED_WAKEUP is set. */
	CHECK_EQ(fx_rx_all(d, q, 63, 64, p), 63);
	CHECK_EQ(fx_rx_all(d, q, 1, 64, p + 63), 1);
	CHECK_EQ(sim_posted(a), 0);

	/* Bad ids are refused before anything is taken or kicked. */
	kicks = d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
	p[64] = p[0];
	d->fail_kick = EIO;
	CHECK_EQ(bifurc_rx_release(q, p, 65), -EINVAL);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)], kicks);

	/* The kick fails (fail_kick is still armed): the ids are taken. */
	CHECK_EQ(bifurc_rx_release(q, p, 64), 0);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)], kicks + 1);
	CHECK_EQ(sim_posted(a), 0);
	CHECK_EQ(bifurc_rx_release(q, p, 1), -EINVAL);	/* not ours now */
	CHECK_EQ(bifurc_rx_release(q, p + 63, 1), -EINVAL);

	/* The next call kicks again; a failure that lasts is reported. */
	d->fail_kick = EIO;
	CHECK_EQ(bifurc_rx_burst(q, p, 1), -EIO);
	CHECK_EQ(sim_posted(a), 0);
	CHECK_EQ(bifurc_rx_burst(q, p, 1), 0);
	CHECK_EQ(sim_posted(a), 63);
	CHECK_EQ(fx_rx_all(d, q, 63, 64, p), 63);
	CHECK_EQ(bifurc_rx_release(q, p, 63), 0);
	bifurc_close(q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "DOUBLE_RELEASE", double_release },
	{ "DUPLICATE_IN_BATCH", duplicate_in_batch },
	{ "FILL_RING_FULL", fill_ring_full },
	{ "FOREIGN_ID", foreign_id },
	{ "KICKS_PER_32", kicks_per_32 },
	{ "RELEASE_AFTER_RESET", release_after_reset },
	{ "RELEASE_BAD_ID", release_bad_id },
	{ "RELEASE_KICK_ERROR", release_kick_error },
	{ "RELEASE_NULL_ARGS", release_null_args },
	{ "RELEASE_WRAP", release_wrap },
	{ "SMALL_BATCHES", small_batches },
};

int main(void)
{
	return tap_run("Description: bifurc_rx_release", cases,
		       ARRAY_SIZE(cases));
}
