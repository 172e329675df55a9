// SPDX-License-Identifier: GPL-2.0
/*
 * Description: ixgbe bifurc, zero-copy receive next to kernel traffic:
 * through libbifurc in ring, busy-poll and raw descriptor mode, and raw
 * mode from raw system calls.
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
#include <unistd.h>

#include <linux/bifurc.h>
#include <linux/capability.h>

#include "bifurc_harness.h"
#include "bifurc_app.h"

FIXTURE(rx) {
	bool link_down;		/* RAW_RING: set the link up again */
};

FIXTURE_SETUP(rx)
{
	bifurc_setup(_metadata);
}

FIXTURE_TEARDOWN(rx)
{
	if (self->link_down)
		run("ip link set dev %s up", bt.ifname);
	bifurc_teardown(_metadata);
}

/* Interrupts of the queue's vector ("<if>-TxRx-<q>"), all CPUs. */
static long queue_irqs(void)
{
	char want[64], line[1024], *p, *end;
	long sum = -1, v;
	FILE *f;

	snprintf(want, sizeof(want), " %s-TxRx-%u\n", bt.ifname, bt.queue);
	f = fopen("/proc/interrupts", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, want))
			continue;
		p = strchr(line, ':');
		for (sum = 0; p; p = end) {
			v = strtol(p + 1, &end, 10);
			if (end == p + 1)
				break;
			sum += v;
		}
		break;
	}
	fclose(f);
	return sum;
}

/* With bounced DMA: raw ATTACH is EOPNOTSUPP, a plain one still works. */
static void raw_refused_bounced(struct __test_metadata *_metadata)
{
	struct bifurc_attach a;
	int fd;

	fd = open_node();
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	attach_args(&a, bt.queue);
	a.flags = BIFURC_ATTACH_RAW_DESC;
	ASSERT_EQ(-EOPNOTSUPP, xioctl(fd, BIFURC_IOC_ATTACH, &a));
	attach_args(&a, bt.queue);
	ASSERT_EQ(0, xioctl(fd, BIFURC_IOC_ATTACH, &a));
	close(fd);
	TH_LOG("swiotlb=force: raw mode refused (EOPNOTSUPP), ring mode attaches");
}

/* What receive() returned: all COUNT datagrams, none bad. */
static void all_received(struct __test_metadata *_metadata, int got,
			 unsigned int count, unsigned int bad)
{
	ASSERT_EQ((int)count, got)
		TH_LOG("received %d/%u, %u bad", got, count, bad);
	ASSERT_FALSE(bad) TH_LOG("received %d/%u, %u bad", got, count, bad);
}

/*
 * In a child without CAP_SYS_ADMIN (without_cap()): EXPECTs, since an
 * ASSERT would jump back into the case's frame in the harness; the
 * misses are the exit status, which RAW_RING asserts.
 */
static int raw_attach_refused(void *arg)
{
	struct __test_metadata *_metadata = arg;
	struct bifurc_attach a;
	int fd, bad = 0;

	fd = open_node();
	EXPECT_LE(0, fd)
		return 1;
	attach_args(&a, bt.queue);
	a.flags = BIFURC_ATTACH_RAW_DESC;
	EXPECT_EQ(-EPERM, xioctl(fd, BIFURC_IOC_ATTACH, &a)) {
		TH_LOG("raw attach without CAP_SYS_ADMIN");
		bad++;
	}
	attach_args(&a, bt.queue);
	EXPECT_EQ(0, xioctl(fd, BIFURC_IOC_ATTACH, &a)) {
		TH_LOG("plain attach without CAP_SYS_ADMIN");
		bad++;
	}
	close(fd);
	return bad;
}

/* Moves the raw consumer index to CONS; what KICK(HARVEST) then took. */
static int raw_consume(int fd, struct bifurc_ring_hdr *comp, uint32_t cons,
		       uint32_t *taken)
{
	struct bifurc_kick k;
	int err;

	__atomic_store_n(&comp->consumer, cons, __ATOMIC_RELEASE);
	err = kick(fd, BIFURC_KICK_RX_HARVEST, &k);
	*taken = k.rx_completed;
	return err;
}

/*
 * RX_FLOW: owned rule for one UDP flow; N datagrams arrive in the pool
 * intact, in order, zero copy, while ping and a TCP stream to the same
 * port keep working; syscalls per packet from the kernel's kick count
 */
TEST_F_TIMEOUT(rx, flow, 300)
{
	const unsigned int count = 300;
	unsigned int bad = 0, waits = 0;
	struct kernel_traffic kt;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	pid_t sender;
	int got, err;

	if (!need_peer(_metadata))
		return;
	err = open_with_rule(&q, PORT_FLOW, NULL);
	ASSERT_EQ(0, err) TH_LOG("attach + rule: %s", bifurc_strerror(err));

	/* kernel traffic on the same port, at the same time */
	kernel_traffic_start(&kt, PORT_TCP, 4, 8);
	sender = send_flow(PORT_FLOW, count, 200);

	got = receive(q, PORT_FLOW, count, 60, &bad, &waits);
	err = bifurc_stats(q, &st);
	reap(sender);
	TH_LOG("received %d/%u datagrams, %u bad, zero copy from the pool", got,
	       count, bad);
	if (!err && st.rx_packets) {
		TH_LOG("syscalls: %llu kicks + %u poll = %.3f per packet",
		       (unsigned long long)st.kicks, waits,
		       (double)(st.kicks + waits) / st.rx_packets);
		TH_LOG("%llu packets, %llu wakeups, %llu no-buffer drops",
		       (unsigned long long)st.rx_packets,
		       (unsigned long long)st.wakeups,
		       (unsigned long long)st.rx_no_buf);
	}
	run("ethtool -S %s | grep bifurc_", bt.ifname);
	run("ethtool -n %s | grep -A1 '^Filter'", bt.ifname);

	EXPECT_EQ(0, reap(kt.ping)) TH_LOG("ping through the kernel failed");
	EXPECT_EQ(0, reap(kt.client))
		TH_LOG("TCP stream through the kernel failed");
	if (kt.server > 0) {
		kill(kt.server, SIGTERM);
		reap(kt.server);
	}
	bifurc_close(q);
	ASSERT_EQ(count, got) TH_LOG("%u bad", bad);
	ASSERT_EQ(0, bad);
}

/*
 * RX_BATCH: a burst that arrives while the app sleeps is read with at most
 * one system call per 32 packets
 *
 * The application sleeps while a burst arrives: NAPI harvests it into the
 * comp ring and refills from the fill ring, so the whole burst is read with
 * (almost) no system call: the design's "at most one per 32 packets".
 */
TEST_F_TIMEOUT(rx, batch, 300)
{
	const unsigned int count = 400;
	struct bifurc_opts o = { .size = sizeof(o), .buf_count = 2048 };
	unsigned int bad = 0, waits = 0;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	pid_t sender;
	int got, err;

	if (!need_peer(_metadata))
		return;
	err = open_with_rule(&q, PORT_FLOW, &o);
	ASSERT_EQ(0, err) TH_LOG("attach + rule: %s", bifurc_strerror(err));
	sender = send_flow(PORT_FLOW, count, 128);
	reap(sender);
	sleep(1);
	got = receive(q, PORT_FLOW, count, 30, &bad, &waits);
	err = bifurc_stats(q, &st);
	bifurc_close(q);
	ASSERT_EQ(0, err) TH_LOG("stats: %s", bifurc_strerror(err));
	TH_LOG("burst: %d/%u datagrams, %llu kicks + %u poll = %.4f syscalls per packet",
	       got, count, (unsigned long long)st.kicks, waits,
	       (double)(st.kicks + waits) / (got ? got : 1));
	all_received(_metadata, got, count, bad);
	ASSERT_GE((uint64_t)count, (st.kicks + waits) * 32)
		TH_LOG("%llu syscalls for %u packets",
		       (unsigned long long)(st.kicks + waits), count);
}

/*
 * RX_BUSY_POLL: busy-poll attach: the queue's vector never fires, KICKs
 * move every datagram
 *
 * The vector stays masked for the whole attachment, KICKs alone move the
 * data, and nothing is lost.
 */
TEST_F_TIMEOUT(rx, busy_poll, 300)
{
	const unsigned int count = 200;
	struct bifurc_opts o = { .size = sizeof(o),
				 .flags = BIFURC_OPT_BUSY_POLL };
	unsigned int bad = 0, waits = 0;
	struct bifurc_queue *q;
	long before, after;
	pid_t sender;
	int got, err;

	if (!need_peer(_metadata))
		return;
	err = open_with_rule(&q, PORT_FLOW, &o);
	if (err == -EOPNOTSUPP)
		SKIP(return, "the queue's vector is shared");
	ASSERT_EQ(0, err) TH_LOG("attach + rule: %s", bifurc_strerror(err));
	before = queue_irqs();
	sender = send_flow(PORT_FLOW, count, 128);
	got = receive(q, PORT_FLOW, count, 60, &bad, &waits);
	reap(sender);
	after = queue_irqs();
	bifurc_close(q);
	TH_LOG("busy poll: %d/%u datagrams, vector interrupts %ld -> %ld", got,
	       count, before, after);
	all_received(_metadata, got, count, bad);
	ASSERT_LE(0, before) TH_LOG("no interrupt count for the vector");
	ASSERT_EQ(before, after)
		TH_LOG("the vector fired: %ld -> %ld interrupts",
		       before, after);
}

/*
 * RX_RAW: raw descriptor mode through libbifurc: N datagrams intact,
 * counted by the kernel once consumed, no ring error
 */
TEST_F_TIMEOUT(rx, raw, 300)
{
	const unsigned int count = 200;
	struct bifurc_opts o = { .size = sizeof(o),
				 .flags = BIFURC_OPT_RAW_DESC };
	unsigned int bad = 0, waits = 0;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	pid_t sender;
	int got, err;

	if (!need_peer(_metadata))
		return;
	err = open_with_rule(&q, PORT_RAW, &o);
	if (dma_bounced()) {
		ASSERT_EQ(-EOPNOTSUPP, err);
		raw_refused_bounced(_metadata);
		return;
	}
	ASSERT_EQ(0, err) TH_LOG("raw attach + rule: %s", bifurc_strerror(err));
	sender = send_flow(PORT_RAW, count, 256);
	got = receive(q, PORT_RAW, count, 60, &bad, &waits);
	reap(sender);
	/* the kernel counts what it took back: poll() takes back the rest */
	bifurc_wait(q, 0);
	err = bifurc_stats(q, &st);
	bifurc_close(q);
	TH_LOG("raw: %d/%u datagrams, %u waits, kernel counted %llu, ring errors %llu",
	       got, count, waits, (unsigned long long)st.rx_packets,
	       (unsigned long long)st.rx_ring_err);
	all_received(_metadata, got, count, bad);
	/* the log line above has the kernel's counts */
	ASSERT_FALSE(err) TH_LOG("stats: %s", bifurc_strerror(err));
	ASSERT_EQ(count, st.rx_packets);
	ASSERT_FALSE(st.rx_ring_err);
}

/*
 * RAW_RING: raw descriptor mode from raw system calls: INFO offers it; a
 * read-only desc region whose slot table names the posted buffers; a
 * datagram read straight from a written-back descriptor; a consumer beyond
 * the posted descriptors, or past an unwritten one, is a ring error that
 * hands over nothing; without CAP_SYS_ADMIN, EPERM; a datagram consumed by
 * the index alone is taken back by a KICK with RX_REFILL only, so its id
 * refills (not refused as double use); after ip link set down the region
 * stays readable until munmap.  Both raw cases, where the kernel bounces
 * DMA (swiotlb=force): raw ATTACH is EOPNOTSUPP, a plain one works
 */
TEST_F_TIMEOUT(rx, raw_ring, 300)
{
	const struct bifurc_counters *cn;
	struct bifurc_ring_hdr *fill, *comp;
	const struct bifurc_rx_desc *desc;
	struct bifurc_flow_rule rule;
	const uint32_t *slots;
	struct bifurc_attach a;
	struct bifurc_info info;
	struct bifurc_kick k;
	struct pollfd pfd;
	uint64_t errs;
	uint32_t taken, seq, *ids, i;
	const uint8_t *pool, *f;
	pid_t sender;
	int fd;

	if (dma_bounced()) {
		raw_refused_bounced(_metadata);
		return;
	}
	fd = open_node();
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, get_info(fd, &info));
	ASSERT_TRUE(info.flags & BIFURC_INFO_F_RAW_DESC);
	/* privilege: bus addresses show in unwritten descriptors */
	if (!(info.flags & BIFURC_INFO_F_IOMMU))
		ASSERT_EQ(0, without_cap(CAP_SYS_ADMIN, raw_attach_refused,
					 _metadata));
	attach_args(&a, bt.queue);
	a.flags = BIFURC_ATTACH_RAW_DESC;
	ASSERT_EQ(0, xioctl(fd, BIFURC_IOC_ATTACH, &a));
	ASSERT_EQ(BIFURC_DESC_FMT_IXGBE_ADV, a.desc_format);
	ASSERT_EQ(BIFURC_PROT_READ, a.desc.prot);
	ASSERT_EQ(a.rx_desc, a.desc.entries);
	ASSERT_LE(BIFURC_RAW_SLOTS_OFFSET(a.rx_desc) +
		  a.rx_desc * sizeof(uint32_t), a.desc.length);
	ASSERT_EQ(EACCES, mmap_errno(fd, a.desc.length, PROT_READ | PROT_WRITE,
				     MAP_SHARED, a.desc.offset));
	desc = map_region(fd, &a.desc, PROT_READ);
	fill = map_region(fd, &a.fill, PROT_READ | PROT_WRITE);
	comp = map_region(fd, &a.comp, PROT_READ | PROT_WRITE);
	cn = map_region(fd, &a.counters, PROT_READ);
	pool = map_region(fd, &a.pool, PROT_READ | PROT_WRITE);
	ASSERT_NE(NULL, desc);
	ASSERT_NE(NULL, fill);
	ASSERT_NE(NULL, comp);
	ASSERT_NE(NULL, cn);
	ASSERT_NE(NULL, pool);
	ASSERT_GT(0,
		  mprotect((void *)desc, a.desc.length, PROT_READ | PROT_WRITE))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	ASSERT_EQ(EACCES, errno) TH_LOG("%s", strerror(errno));
	slots = (const uint32_t *)((const uint8_t *)desc +
				   BIFURC_RAW_SLOTS_OFFSET(a.rx_desc));

	/* eight buffers, ids 7..0: the slot table says which went where */
	ids = (uint32_t *)((uint8_t *)fill + BIFURC_RING_ENTRIES_OFFSET);
	for (i = 0; i < 8; i++)
		ids[i] = 7 - i;
	__atomic_store_n(&fill->producer, 8, __ATOMIC_RELEASE);
	ASSERT_EQ(0, kick(fd, BIFURC_KICK_RX_REFILL, &k));
	ASSERT_EQ(8, k.rx_refilled);
	ASSERT_EQ(8, __atomic_load_n(&comp->producer, __ATOMIC_ACQUIRE));
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(7 - i, slots[i]);
		ASSERT_EQ(0, desc[i].status_error);
	}

	/* lies: beyond what was posted, past what the NIC has not written */
	errs = cn->rx_ring_err;
	ASSERT_EQ(0, raw_consume(fd, comp, 9, &taken));
	ASSERT_EQ(0, taken);
	ASSERT_EQ(errs + 1, cn->rx_ring_err);
	ASSERT_EQ(0, raw_consume(fd, comp, 1, &taken));
	ASSERT_EQ(0, taken);
	ASSERT_EQ(errs + 2, cn->rx_ring_err);
	ASSERT_EQ(0, raw_consume(fd, comp, 0, &taken));
	ASSERT_EQ(0, taken);
	ASSERT_EQ(errs + 2, cn->rx_ring_err);

	/* one datagram, read from its descriptor and the pool */
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (have_peer()) {
		udp_rule(&rule, PORT_RAW);
		ASSERT_EQ(0, xioctl(fd, BIFURC_IOC_FLOW_ADD, &rule));
		sender = send_flow(PORT_RAW, 1, 100);
		ASSERT_EQ(1, poll(&pfd, 1, 20000))
			TH_LOG("errno %d: %s", errno, strerror(errno));
		ASSERT_TRUE(pfd.revents & POLLIN)
			TH_LOG("errno %d: %s", errno, strerror(errno));
		reap(sender);
		ASSERT_TRUE(desc[0].status_error & BIFURC_RXD_STAT_DD);
		ASSERT_TRUE(desc[0].status_error & BIFURC_RXD_STAT_EOP);
		f = pool + (size_t)slots[0] * a.buf_size;
		ASSERT_EQ(42 + 100, desc[0].length);
		ASSERT_EQ(17, f[23]);
		ASSERT_EQ(PORT_RAW, ((f[36] << 8) | f[37]));
		ASSERT_TRUE(payload_ok(f + 42, 100, &seq));
		ASSERT_EQ(0, seq);
		ASSERT_EQ(0, raw_consume(fd, comp, 1, &taken));
		ASSERT_EQ(1, taken);
		ASSERT_EQ(1, cn->rx_packets);
		ASSERT_EQ(errs + 2, cn->rx_ring_err);

		/*
		 * A second one, consumed by the index alone: a refill first
		 * takes back what the consumer passed, so both buffers go
		 * straight back to the NIC (uapi: KICK, RX_REFILL).
		 */
		sender = send_flow(PORT_RAW, 1, 100);
		ASSERT_EQ(1, poll(&pfd, 1, 20000))
			TH_LOG("errno %d: %s", errno, strerror(errno));
		ASSERT_TRUE(pfd.revents & POLLIN)
			TH_LOG("errno %d: %s", errno, strerror(errno));
		reap(sender);
		ASSERT_TRUE(desc[1].status_error & BIFURC_RXD_STAT_DD);
		__atomic_store_n(&comp->consumer, 2, __ATOMIC_RELEASE);
		ids[8 & (a.fill.entries - 1)] = slots[0];
		ids[9 & (a.fill.entries - 1)] = slots[1];
		__atomic_store_n(&fill->producer, 10, __ATOMIC_RELEASE);
		errs = cn->rx_bad_id;
		ASSERT_EQ(0, kick(fd, BIFURC_KICK_RX_REFILL, &k));
		TH_LOG("raw: refill after consuming 2: %u refilled, %u rejected",
		       k.rx_refilled, k.rx_rejected);
		ASSERT_EQ(2, k.rx_refilled);
		ASSERT_EQ(0, k.rx_rejected);
		ASSERT_EQ(errs, cn->rx_bad_id);
		ASSERT_EQ(2, cn->rx_packets);
		ASSERT_EQ(10,
			  __atomic_load_n(&comp->producer, __ATOMIC_ACQUIRE));
	}

	/* the attachment dies; what is mapped stays readable until munmap */
	self->link_down = true;
	ASSERT_EQ(0, run("ip link set dev %s down", bt.ifname));
	ASSERT_EQ(1, poll(&pfd, 1, 5000))
		TH_LOG("errno %d: %s", errno, strerror(errno));
	ASSERT_TRUE(pfd.revents & POLLERR)
		TH_LOG("errno %d: %s", errno, strerror(errno));
	ASSERT_EQ(BIFURC_STATUS_RESET, cn->status);
	ASSERT_EQ(5, slots[2]);
	ASSERT_EQ(0, desc[2].status_error);
	close(fd);
	munmap((void *)desc, a.desc.length);
	munmap(fill, a.fill.length);
	munmap(comp, a.comp.length);
	munmap((void *)cn, a.counters.length);
	munmap((void *)pool, a.pool.length);
	ASSERT_EQ(0, run("ip link set dev %s up", bt.ifname));
	self->link_down = false;
	ASSERT_TRUE(wait_until(link_up, 30));
	ASSERT_FALSE(queue_attached());
}

TEST_HARNESS_MAIN
