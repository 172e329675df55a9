// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: the ABI as seen from raw system calls, against the
 * simulated kernel.  These cases state what the real kernel must do (the
 * same calls belong in selftests/ on the emulated 82599): extensible
 * struct rules, reserved and out fields, attach state errors, mmap rules,
 * and the kernel's validation of every buffer id and index from user space.
 */
#include <fcntl.h>
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
	a.reserved0 = 1;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	attach_args(&a, FX_Q);
	a.pool.length = 4096;		/* out field on input */
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	attach_args(&a, FX_Q);
	a.flags = 0x100;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EINVAL);
	attach_args(&a, FX_Q);
	a.flags = BIFURC_ATTACH_TX;
	CHECK_EQ(xioctl(fd, BIFURC_IOC_ATTACH, &a), -EOPNOTSUPP);
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

static const struct tap_case cases[] = {
	{ "ATTACH_RULES", attach_rules },
	{ "COMP_CONSUMER_GARBAGE", comp_consumer_garbage },
	{ "FILL_VALIDATION", fill_validation },
	{ "INFO_SIZES", info_sizes },
	{ "MMAP_RULES", mmap_rules },
	{ "RAW_CONSUMER_GARBAGE", raw_consumer_garbage },
};

int main(void)
{
	return tap_run("Description: raw ABI conformance (simulated kernel)",
		       cases, ARRAY_SIZE(cases));
}
