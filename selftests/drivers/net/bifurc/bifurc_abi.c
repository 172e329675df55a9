// SPDX-License-Identifier: GPL-2.0
/*
 * Description: ixgbe bifurc, the character device ABI from raw system
 * calls: INFO, ATTACH, mmap, KICK and the fill ring's checks, and no user
 * memory under RTNL.
 *
 * A kselftest_harness.h program of bifurc.sh: run with BIFURC_IFACE and
 * BIFURC_QUEUE (a reserved queue) set, in the interface's namespace;
 * traffic cases need the peer (BIFURC_PEER_NS, bifurc_lib.h) or skip.
 * Each case's contract is the comment above its TEST_F.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/bifurc.h>
#include <linux/userfaultfd.h>

#include "bifurc_harness.h"
#include "bifurc_app.h"

/* Every case starts from a file of the node, not attached. */
FIXTURE(abi) {
	int fd;
};

FIXTURE_SETUP(abi)
{
	self->fd = -1;
	if (!bifurc_setup(_metadata))
		return;
	self->fd = open_node();
	ASSERT_LE(0, self->fd)
		TH_LOG("open %s: %s", bt.dev.node, strerror(errno));
}

FIXTURE_TEARDOWN(abi)
{
	if (self->fd >= 0)
		close(self->fd);
	bifurc_teardown(_metadata);
}

/* ---- RTNL_FREE ------------------------------------------------------- */

/* An ioctl in a thread of its own; @done is an eventfd it signals. */
struct bg_ioctl {
	pthread_t thread;
	int fd, done, ret;
	unsigned long req;
	void *arg;
};

static void *bg_ioctl_run(void *p)
{
	struct bg_ioctl *b = p;

	__atomic_store_n(&b->ret, xioctl(b->fd, b->req, b->arg),
			 __ATOMIC_RELEASE);
	eventfd_write(b->done, 1);
	return NULL;
}

static int bg_ioctl_start(struct bg_ioctl *b, int fd, unsigned long req,
			  void *arg)
{
	b->fd = fd;
	b->req = req;
	b->arg = arg;
	b->ret = -EINPROGRESS;
	b->done = eventfd(0, EFD_CLOEXEC);
	if (b->done < 0)
		return -1;
	return pthread_create(&b->thread, NULL, bg_ioctl_run, b) ? -1 : 0;
}

/*
 * Whether @fd (an eventfd, a userfaultfd) becomes readable within 30 s:
 * only a broken kernel makes a test wait that long.
 */
static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 30000) == 1;
}

static bool uffd_fault(int uffd, bool wp)
{
	struct uffd_msg m;

	return readable(uffd) && read(uffd, &m, sizeof(m)) == sizeof(m) &&
	       m.event == UFFD_EVENT_PAGEFAULT &&
	       !!(m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) == wp;
}

/*
 * While @blocked waits on a fault of @uffd, INFO on a file of its own
 * (RTNL) returns.  Leaves the fault pending, for the caller to resolve
 * and join @blocked before it asserts: NULL, or what went wrong.
 */
static const char *rtnl_free_while(struct bg_ioctl *blocked, int uffd,
				   bool wp)
{
	struct bifurc_info info;
	struct bg_ioctl probe;
	int fd;

	if (!uffd_fault(uffd, wp))
		return "no userfaultfd fault within 30 s";
	fd = open_node();
	if (fd < 0)
		return "cannot open the node";
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (bg_ioctl_start(&probe, fd, BIFURC_IOC_INFO, &info))
		return "cannot start the INFO thread";
	if (!readable(probe.done)) {
		/* @blocked holds RTNL: the probe returns once it is resolved */
		pthread_detach(probe.thread);
		return "holds RTNL waiting on user memory: INFO on another file blocked 30 s";
	}
	pthread_join(probe.thread, NULL);
	close(probe.done);
	close(fd);
	if (probe.ret)
		return "INFO on another file failed";
	/* and the blocked call had not gone past its fault */
	if (__atomic_load_n(&blocked->ret, __ATOMIC_ACQUIRE) != -EINPROGRESS)
		return "returned before its fault was resolved";
	return NULL;
}

/*
 * INFO_SIZES: extensible-struct rules on INFO: size below VER0 EINVAL,
 * zero tail accepted, non-zero tail and >4096 E2BIG, out field set EINVAL,
 * unknown nr, wrong direction or an _IOC_SIZE below VER0 ENOTTY (a bigger
 * one works), NULL EFAULT; INFO reports the interface and QUEUE
 */
TEST_F(abi, info_sizes)
{
	struct {
		struct bifurc_info i;
		uint8_t tail[16];
	} big;
	uint64_t bit = 1ULL << (bt.queue % 64);
	struct bifurc_info i;
	unsigned long req;

	memset(&i, 0, sizeof(i));
	i.size = 64;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_INFO, &i));
	memset(&big, 0, sizeof(big));
	big.i.size = sizeof(big);
	ASSERT_EQ(0, xioctl(self->fd, BIFURC_IOC_INFO, &big));
	ASSERT_EQ(sizeof(struct bifurc_info), big.i.size);
	ASSERT_EQ(BIFURC_ABI_VERSION, big.i.abi_version);
	ASSERT_STREQ(bt.ifname, big.i.ifname);
	ASSERT_TRUE(big.i.reserved_queues[bt.queue / 64] & bit);
	ASSERT_FALSE(big.i.attached_queues[bt.queue / 64] & bit);
	ASSERT_TRUE(big.i.flags & BIFURC_INFO_F_NTUPLE);
	ASSERT_TRUE(big.i.flags & BIFURC_INFO_F_TX);
	ASSERT_EQ(1500 + 18, big.i.max_tx_frame);
	ASSERT_GT(big.i.num_rx_queues, bt.queue);
	memset(&big, 0, sizeof(big));
	big.i.size = sizeof(big);
	big.tail[3] = 1;
	ASSERT_EQ(-E2BIG, xioctl(self->fd, BIFURC_IOC_INFO, &big));
	memset(&i, 0, sizeof(i));
	i.size = 8192;
	ASSERT_EQ(-E2BIG, xioctl(self->fd, BIFURC_IOC_INFO, &i));
	memset(&i, 0, sizeof(i));
	i.size = sizeof(i);
	i.flags = 1;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_INFO, &i));
	req = _IOWR(BIFURC_IOC_TYPE, 0x20, struct bifurc_info);
	ASSERT_EQ(-ENOTTY, xioctl(self->fd, req, &i));
	req = _IOWR('T', 0x00, struct bifurc_info);
	ASSERT_EQ(-ENOTTY, xioctl(self->fd, req, &i));
	/* the number is checked whole but for a size of another version */
	req = _IOR(BIFURC_IOC_TYPE, 0x00, struct bifurc_info);
	ASSERT_EQ(-ENOTTY, xioctl(self->fd, req, &i));
	req = _IOC(_IOC_READ | _IOC_WRITE, BIFURC_IOC_TYPE, 0,
		   BIFURC_INFO_SIZE_VER0 - 8);
	ASSERT_EQ(-ENOTTY, xioctl(self->fd, req, &i));
	memset(&i, 0, sizeof(i));
	i.size = sizeof(i);
	req = _IOC(_IOC_READ | _IOC_WRITE, BIFURC_IOC_TYPE, 0, sizeof(big));
	ASSERT_EQ(0, xioctl(self->fd, req, &i));
	ASSERT_EQ(-EFAULT, xioctl(self->fd, BIFURC_IOC_INFO, NULL));
}

/*
 * NOT_ATTACHED: KICK/FLOW/STATS ENOTCONN, mmap EINVAL, poll POLLERR
 */
TEST_F(abi, not_attached)
{
	struct bifurc_flow_rule r;
	struct bifurc_counters c;
	struct bifurc_kick k;
	struct pollfd pfd;

	ASSERT_EQ(-ENOTCONN, kick(self->fd, BIFURC_KICK_RX_REFILL, &k));
	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	ASSERT_EQ(-ENOTCONN, xioctl(self->fd, BIFURC_IOC_FLOW_ADD, &r));
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	ASSERT_EQ(-ENOTCONN, xioctl(self->fd, BIFURC_IOC_STATS, &c));
	ASSERT_EQ(EINVAL, mmap_errno(self->fd, 4096, PROT_READ, MAP_SHARED,
				     1ULL << 32));
	pfd.fd = self->fd;
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 0))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	ASSERT_TRUE(pfd.revents & POLLERR)
		TH_LOG("errno %d: %s", errno, strerror(errno));
}

/*
 * ATTACH_ERRORS: wrong ABI EPROTO, no such queue ERANGE, unreserved queue
 * EADDRNOTAVAIL, raw EOPNOTSUPP, bad sizes (TX rings too), reserved or out
 * fields EINVAL
 */
TEST_F(abi, attach_errors)
{
	struct bifurc_attach a;
	struct bifurc_info i;
	unsigned int other = UINT_MAX, q;

	ASSERT_EQ(0, get_info(self->fd, &i));
	for (q = 0; q < i.num_rx_queues; q++)
		if (!(i.reserved_queues[q / 64] & (1ULL << (q % 64))))
			other = q;
	attach_args(&a, bt.queue);
	a.abi_version = BIFURC_ABI_VERSION + 1;
	ASSERT_EQ(-EPROTO, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, i.num_rx_queues);
	ASSERT_EQ(-ERANGE, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	if (other != UINT_MAX) {
		attach_args(&a, other);
		ASSERT_EQ(-EADDRNOTAVAIL,
			  xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	}
	attach_args(&a, bt.queue);
	a.flags = BIFURC_ATTACH_TX;	/* without ring sizes */
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.flags = BIFURC_ATTACH_TX;
	a.tx_entries = 100;
	a.txc_entries = 64;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	a.tx_entries = 64;
	a.tx_desc = 32;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.tx_desc = 64;			/* TX field without the TX flag */
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.flags = BIFURC_ATTACH_RAW_DESC;	/* comp indices count descs */
	a.comp_entries = a.rx_desc * 2;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.flags = 0x100;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.rx_desc = 100;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.buf_size = 1024;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.buf_count = 0;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.reserved[0] = 1;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.pool.length = 4096;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.tx_entries = 64;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	a.size = 16;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	/* nothing above attached the file */
	ASSERT_FALSE(queue_attached());
}

/*
 * ATTACH_BUSY: second ATTACH on a file EISCONN, second file EBUSY
 */
TEST_F(abi, attach_busy)
{
	struct bifurc_attach a;
	int fd2;

	fd2 = open_node();
	ASSERT_LE(0, fd2);
	attach_args(&a, bt.queue);
	ASSERT_EQ(0, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	ASSERT_TRUE(queue_attached());
	attach_args(&a, bt.queue);
	ASSERT_EQ(-EISCONN, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	ASSERT_EQ(-EBUSY, xioctl(fd2, BIFURC_IOC_ATTACH, &a));
	close(self->fd);
	self->fd = -1;
	ASSERT_FALSE(queue_attached());
	/* the queue is free again: the second file may take it */
	attach_args(&a, bt.queue);
	ASSERT_EQ(0, xioctl(fd2, BIFURC_IOC_ATTACH, &a));
	close(fd2);
}

/*
 * RTNL_FREE: user memory is not touched under RTNL: while an INFO waits on
 * a userfaultfd fault of its argument (copy in), and an ATTACH on a
 * write-protect fault (copy out, after its pool is built), INFO on another
 * file, which takes RTNL, returns; both then succeed
 */
TEST_F_TIMEOUT(abi, rtnl_free, 120)
{
	struct uffdio_api api = {
		.api = UFFD_API, .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	};
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_writeprotect wp;
	struct uffdio_register reg;
	struct bifurc_info info;
	struct bifurc_attach a;
	struct uffdio_copy cp;
	struct bg_ioctl bg;
	const char *why;
	int uffd;
	char *mem;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	ASSERT_LE(0, uffd) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem) TH_LOG("mmap: %s", strerror(errno));

	/* INFO: its argument is a missing page, filled in once INFO waits */
	reg = (struct uffdio_register){
		.range = { .start = (unsigned long)mem, .len = page },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	ASSERT_EQ(0, bg_ioctl_start(&bg, self->fd, BIFURC_IOC_INFO, mem));
	why = rtnl_free_while(&bg, uffd, false);
	/*
	 * The page the fault gets: an INFO request (the second page is plain
	 * memory until the ATTACH part).
	 */
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	memcpy(mem + page, &info, sizeof(info));
	cp = (struct uffdio_copy){
		.dst = (unsigned long)mem, .src = (unsigned long)mem + page,
		.len = page,
	};
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_COPY, &cp))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	pthread_join(bg.thread, NULL);
	close(bg.done);
	ASSERT_NULL(why) TH_LOG("INFO copying its argument in: %s", why);
	ASSERT_EQ(0, bg.ret);
	ASSERT_STREQ(bt.ifname, ((struct bifurc_info *)mem)->ifname);

	/* ATTACH: its argument is write-protected, so copying out waits */
	attach_args(&a, bt.queue);
	memcpy(mem + page, &a, sizeof(a));
	reg = (struct uffdio_register){
		.range = { .start = (unsigned long)mem + page, .len = page },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	wp = (struct uffdio_writeprotect){
		.range = reg.range, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	ASSERT_EQ(0, bg_ioctl_start(&bg, self->fd, BIFURC_IOC_ATTACH,
				    mem + page));
	why = rtnl_free_while(&bg, uffd, true);
	wp.mode = 0;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	pthread_join(bg.thread, NULL);
	close(bg.done);
	ASSERT_NULL(why) TH_LOG("ATTACH copying its result out: %s", why);
	ASSERT_EQ(0, bg.ret);
	ASSERT_TRUE(queue_attached());
	close(self->fd);
	self->fd = -1;
	ASSERT_FALSE(queue_attached());
	munmap(mem, 2 * page);
	close(uffd);
}

/*
 * MMAP_RULES: wrong length/offset/MAP_PRIVATE EINVAL, PROT_WRITE on the
 * counters EACCES, mprotect() cannot add it, the pool is writable, the
 * counters say ATTACHED
 */
TEST_F(abi, mmap_rules)
{
	struct bifurc_counters *c;
	struct bifurc_attach a;
	uint8_t *pool;

	attach_args(&a, bt.queue);
	ASSERT_EQ(0, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	ASSERT_EQ(BIFURC_PROT_READ, a.counters.prot);
	ASSERT_EQ((BIFURC_PROT_READ | BIFURC_PROT_WRITE), a.pool.prot);
	ASSERT_EQ(0, a.desc.length);
	ASSERT_EQ(0, a.tx.length);
	ASSERT_EQ(0, a.txc.length);
	ASSERT_LE((uint64_t)a.buf_size * a.buf_count, a.pool.length);
	ASSERT_EQ(EINVAL, mmap_errno(self->fd, a.fill.length * 2, PROT_READ,
				     MAP_SHARED, a.fill.offset));
	ASSERT_EQ(EINVAL, mmap_errno(self->fd, 4096, PROT_READ, MAP_SHARED,
				     a.fill.offset + 4096));
	ASSERT_EQ(EINVAL, mmap_errno(self->fd, a.fill.length, PROT_READ,
				     MAP_PRIVATE, a.fill.offset));
	ASSERT_EQ(EACCES, mmap_errno(self->fd, a.counters.length,
				     PROT_READ | PROT_WRITE, MAP_SHARED,
				     a.counters.offset));
	c = mmap(NULL, a.counters.length, PROT_READ, MAP_SHARED, self->fd,
		 a.counters.offset);
	ASSERT_NE(MAP_FAILED, c) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_GT(0, mprotect(c, a.counters.length, PROT_READ | PROT_WRITE))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	ASSERT_EQ(EACCES, errno) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(sizeof(*c), c->size);
	ASSERT_EQ(BIFURC_STATUS_ATTACHED, c->status);
	pool = mmap(NULL, a.pool.length, PROT_READ | PROT_WRITE, MAP_SHARED,
		    self->fd, a.pool.offset);
	ASSERT_NE(MAP_FAILED, pool) TH_LOG("mmap: %s", strerror(errno));
	/* kernel-allocated and zeroed, and the application may write it */
	ASSERT_EQ(0, pool[0]);
	ASSERT_EQ(0, pool[a.pool.length - 1]);
	pool[100] = 0x5a;
	ASSERT_EQ(0x5a, pool[100]);
	/* a mapping keeps the file, so the attachment, alive */
	close(self->fd);
	self->fd = -1;
	ASSERT_TRUE(queue_attached());
	ASSERT_EQ(BIFURC_STATUS_ATTACHED, c->status);
	munmap(pool, a.pool.length);
	munmap(c, a.counters.length);
	ASSERT_FALSE(queue_attached());
}

/*
 * KICK_ARGS: flags 0/unknown EINVAL, TX on an RX-only attachment
 * EOPNOTSUPP, out field set
 */
TEST_F(abi, kick_args)
{
	struct bifurc_attach a;
	struct bifurc_kick k;

	attach_args(&a, bt.queue);
	ASSERT_EQ(0, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	ASSERT_EQ(-EINVAL, kick(self->fd, 0, &k));
	ASSERT_EQ(-EINVAL, kick(self->fd, 0x10, &k));
	ASSERT_EQ(-EOPNOTSUPP, kick(self->fd, BIFURC_KICK_TX_SUBMIT, &k));
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.flags = BIFURC_KICK_RX_REFILL;
	k.rx_refilled = 5;
	ASSERT_EQ(-EINVAL, xioctl(self->fd, BIFURC_IOC_KICK, &k));
	ASSERT_EQ(0, kick(self->fd,
			  BIFURC_KICK_RX_REFILL | BIFURC_KICK_RX_HARVEST, &k));
}

/*
 * FILL_VALIDATION: ids out of range, double use and ~0 are rejected and
 * counted, a lying producer is a ring error, a user write to the kernel's
 * consumer index is ignored
 */
TEST_F(abi, fill_validation)
{
	struct bifurc_counters c;
	struct bifurc_ring_hdr *h;
	struct bifurc_attach a;
	struct bifurc_kick k;
	uint32_t *e;

	attach_args(&a, bt.queue);
	ASSERT_EQ(0, xioctl(self->fd, BIFURC_IOC_ATTACH, &a));
	h = mmap(NULL, a.fill.length, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->fd, a.fill.offset);
	ASSERT_NE(MAP_FAILED, h) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_TRUE(h->flags & BIFURC_RING_NEED_WAKEUP);
	e = (uint32_t *)((uint8_t *)h + BIFURC_RING_ENTRIES_OFFSET);
	e[0] = 1;
	e[1] = 64;		/* == buf_count */
	e[2] = 1;		/* double use */
	e[3] = 0xffffffff;
	e[4] = 2;
	__atomic_store_n(&h->producer, 5, __ATOMIC_RELEASE);
	ASSERT_EQ(0, kick(self->fd, BIFURC_KICK_RX_REFILL, &k));
	ASSERT_EQ(2, k.rx_refilled);
	ASSERT_EQ(3, k.rx_rejected);
	ASSERT_EQ(5, h->consumer);
	/* a producer that claims more than the ring holds: nothing taken */
	h->producer = 5 + 65;
	ASSERT_EQ(0, kick(self->fd, BIFURC_KICK_RX_REFILL, &k));
	ASSERT_EQ(0, k.rx_refilled);
	ASSERT_EQ(5, h->consumer);
	/* a user write to the kernel's index is overwritten */
	h->producer = 5;
	h->consumer = 1000;
	ASSERT_EQ(0, kick(self->fd, BIFURC_KICK_RX_REFILL, &k));
	ASSERT_EQ(5, h->consumer);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	ASSERT_EQ(0, xioctl(self->fd, BIFURC_IOC_STATS, &c));
	ASSERT_EQ(3, c.rx_bad_id);
	ASSERT_EQ(1, c.rx_ring_err);
	ASSERT_EQ(3, c.kicks);
	ASSERT_EQ(BIFURC_STATUS_ATTACHED, c.status);
	munmap(h, a.fill.length);
}

TEST_HARNESS_MAIN
