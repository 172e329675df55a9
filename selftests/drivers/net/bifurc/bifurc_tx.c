// SPDX-License-Identifier: GPL-2.0
/*
 * Description: ixgbe bifurc, zero-copy transmit: raw TX rings, waiting
 * for sent buffers, an echo through libbifurc, the rate next to the
 * kernel's, bad entries, kill -9 and a hung queue.
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

#include "bifurc_harness.h"
#include "bifurc_app.h"

static int peer_pause(const char *dev, const char *how);

/* Every case sends to the peer, most through a raw TX attachment. */
FIXTURE(tx) {
	struct txq t;		/* closed by the teardown */
	bool stalled;		/* TX_HANG: the model's transmit stalled */
	char paused[64];	/* TX_RATE: the peer's port without pause */
};

FIXTURE_SETUP(tx)
{
	self->t.fd = -1;
	if (!bifurc_setup(_metadata))
		return;
	need_peer(_metadata);
}

FIXTURE_TEARDOWN(tx)
{
	if (self->stalled)
		run("hostctl qom-set nic1 x-tx-stall false");
	if (self->paused[0])
		peer_pause(self->paused, "autoneg on rx on tx on");
	tx_close(&self->t);
	bifurc_teardown(_metadata);
}

/* poll() for @events for at most @ms: the revents, 0 on timeout. */
static short poll_for(int fd, short events, int ms, double *took)
{
	struct pollfd p = { .fd = fd, .events = events };
	double t0 = now();
	int r = poll(&p, 1, ms);

	*took = now() - t0;
	return r == 1 ? p.revents : 0;
}

/* The second thread of TX_WAIT: 0.2 s on, publish the frames and kick. */
struct tx_wait_late {
	int fd;
	struct bifurc_ring_hdr *tx;
	uint32_t prod;
	int err;
	uint32_t submitted;
};

static void *tx_wait_submit(void *arg)
{
	struct tx_wait_late *l = arg;
	struct bifurc_kick k;

	usleep(200 * 1000);
	__atomic_store_n(&l->tx->producer, l->prod, __ATOMIC_RELEASE);
	l->err = kick(l->fd, BIFURC_KICK_TX_SUBMIT, &k);
	l->submitted = k.tx_submitted;
	return NULL;
}

/* Swap Ethernet, IPv4 and UDP addresses in place; the checksums hold. */
static bool echo_swap(uint8_t *f, uint32_t len, unsigned int port)
{
	uint8_t t[6];
	unsigned int ihl;

	if (len < 42 || f[12] != 0x08 || f[13] != 0x00 || (f[14] >> 4) != 4 ||
	    f[23] != 17)
		return false;
	ihl = (f[14] & 0xf) * 4;
	if (len < 14 + ihl + 8 ||
	    (unsigned int)((f[14 + ihl + 2] << 8) | f[14 + ihl + 3]) != port)
		return false;
	memcpy(t, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, t, 6);
	memcpy(t, f + 26, 4);
	memcpy(f + 26, f + 30, 4);
	memcpy(f + 30, t, 4);
	memcpy(t, f + 14 + ihl, 2);
	memcpy(f + 14 + ihl, f + 14 + ihl + 2, 2);
	memcpy(f + 14 + ihl + 2, t, 2);
	return true;
}

/* Frames the NIC sent per second through raw TX; *kicks the syscalls. */
static double rate_bifurc(struct txq *t, double seconds, uint64_t *frames,
			  uint64_t *kicks)
{
	uint32_t prod = 0, ids[64], i;
	unsigned int refused = 0, n, len;
	uint64_t k0 = t->c->kicks;
	struct bifurc_kick k;
	double t0, end;

	len = tx_build(t, 0, 0, 18);	/* 60-byte frames */
	for (i = 1; i < 64; i++)
		tx_build(t, i, i, 18);
	for (i = 0; i < 63; i++)
		tx_put(t, &prod, i, 0, len, 0);
	__atomic_store_n(&t->tx->producer, prod, __ATOMIC_RELEASE);
	kick(t->fd, BIFURC_KICK_TX_SUBMIT, &k);
	t0 = now();
	end = t0 + seconds;
	while (now() < end) {
		n = txc_take(t, &refused, ids, 64);
		for (i = 0; i < n; i++)
			tx_put(t, &prod, ids[i], 0, len, 0);
		if (!n)
			continue;
		__atomic_store_n(&t->tx->producer, prod, __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (t->tx->flags & BIFURC_RING_NEED_WAKEUP)
			kick(t->fd, BIFURC_KICK_TX_SUBMIT, &k);
	}
	*frames = t->c->tx_packets;
	*kicks = t->c->kicks - k0;
	return *frames / (now() - t0);
}

/* Datagrams per second through sendmmsg, 32 per call, 18-byte payload. */
static double rate_kernel(double seconds, uint64_t *sent, uint64_t *calls)
{
	struct mmsghdr m[32];
	struct iovec iov[32];
	struct sockaddr_in dst = { .sin_family = AF_INET,
				   .sin_port = htons(PORT_TX) };
	char buf[18] = { 0 };
	double t0, end;
	int fd, i, n;

	*sent = 0;
	*calls = 0;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || inet_pton(AF_INET, bt.peer_addr, &dst.sin_addr) != 1)
		return -1;
	memset(m, 0, sizeof(m));
	for (i = 0; i < 32; i++) {
		iov[i] = (struct iovec){ buf, sizeof(buf) };
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_hdr.msg_name = &dst;
		m[i].msg_hdr.msg_namelen = sizeof(dst);
	}
	t0 = now();
	end = t0 + seconds;
	while (now() < end) {
		n = sendmmsg(fd, m, 32, 0);
		(*calls)++;
		if (n > 0)
			*sent += n;
	}
	close(fd);
	return *sent / (now() - t0);
}

/*
 * What the peer's driver counted: frames it took from its rings and their
 * bytes (FCS stripped), and frames its NIC lost: missed for a full packet
 * buffer (MPC) or dropped by a queue without a descriptor (QPRDC).
 */
struct peer_rx {
	unsigned long long pkts, bytes, missed;
};

static int peer_counts(const char *dev, struct peer_rx *n)
{
	char cmd[256], line[128], key[64];
	unsigned long long v;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ip netns exec %s ethtool -S %s",
		 bt.peer_ns, dev);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	memset(n, 0, sizeof(*n));
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, " %63[^:]: %llu", key, &v) == 2) {
			if (!strcmp(key, "rx_packets"))
				n->pkts = v;
			else if (!strcmp(key, "rx_bytes"))
				n->bytes = v;
			else if (!strcmp(key, "rx_missed_errors") ||
				 !strcmp(key, "rx_no_dma_resources"))
				n->missed += v;
		}
	return pclose(p) ? -1 : 0;
}

/*
 * The peer's counts once nothing more arrives (two readings 0.5 s apart
 * agree, within 10 s): frames of the tests before may still be on their
 * way, and they are not ours.
 */
static int peer_settle(const char *dev, struct peer_rx *n)
{
	struct peer_rx prev;
	double end = now() + 10;
	int e;

	e = peer_counts(dev, &prev);
	while (!e && now() < end) {
		usleep(500 * 1000);
		e = peer_counts(dev, n);
		if (!e && n->pkts == prev.pkts && n->missed == prev.missed)
			return 0;
		prev = *n;
	}
	return e ? e : -ETIMEDOUT;
}

/* Pause frames on or off at the peer's port; its link back up. */
static int peer_pause(const char *dev, const char *how)
{
	return run("ip netns exec %s bash -c 'ethtool -A %s %s && "
		   "for i in $(seq 300); do [ $(cat /sys/class/net/%s/carrier) "
		   "= 1 ] && exit 0; sleep 0.1; done; exit 1'", bt.peer_ns, dev,
		   how, dev);
}

/* The prologue of the TX cases: a TX attachment and a frame template. */
static void tx_start(struct __test_metadata *_metadata, struct txq *t,
		     unsigned int payload)
{
	int e;

	e = tx_attach(t, 0);
	ASSERT_EQ(0, e) TH_LOG("TX attach: %s", strerror(-e));
	ASSERT_EQ(0, tx_template(t, payload, PORT_TX))
		TH_LOG("no frame template: the peer's MAC or addresses");
}

/*
 * TX_SEND's check, which TX_KILL9 and TX_HANG end with (the queue sends
 * again): COUNT frames through raw TX on @t, to flows.py in the peer.
 */
static void tx_send_frames(struct __test_metadata *_metadata, struct txq *t)
{
	const unsigned int count = 200, payload = 100;
	const char *ready = "/tmp/bifurc-tx-ready";
	unsigned int sent = 0, back = 0, refused = 0, got = 0, bad = 0;
	uint32_t prod = 0, i, ids[64];
	struct bifurc_kick k;
	char line[64] = "";
	double end;
	int rfd;
	pid_t rx;

	tx_start(_metadata, t, payload);
	ASSERT_EQ(t->a.rx_desc, t->a.tx_desc);
	ASSERT_EQ((BIFURC_PROT_READ | BIFURC_PROT_WRITE), t->a.tx.prot);
	ASSERT_TRUE(t->tx->flags & BIFURC_RING_NEED_WAKEUP);
	unlink(ready);
	rx = peer_recv(PORT_TX, count, &rfd, ready);
	ASSERT_LT(0, rx);
	ASSERT_TRUE(ready_file_exists(ready));

	/*
	 * Buffers 0..7 go round: build, submit, get back from txc.  Kick
	 * only when the kernel asks (NEED_WAKEUP); with frames in flight the
	 * completion interrupt's NAPI run takes new entries by itself.  Eight
	 * in flight and a pause per round keep the peer's Python receiver
	 * (slow under TCG) from overflowing its socket buffer.
	 */
	for (i = 0; i < 8 && sent < count; i++, sent++)
		tx_put(t, &prod, i, 0, tx_build(t, i, sent, payload), 0);
	__atomic_store_n(&t->tx->producer, prod, __ATOMIC_RELEASE);
	ASSERT_EQ(0, kick(t->fd, BIFURC_KICK_TX_SUBMIT, &k));
	ASSERT_EQ(8, k.tx_submitted);
	ASSERT_EQ(0, k.tx_rejected);
	end = now() + 30;
	while (back < count && now() < end) {
		unsigned int n = txc_take(t, &refused, ids, 64), j;

		back += n;
		for (j = 0; j < n && sent < count; j++, sent++)
			tx_put(t, &prod, ids[j], 0,
			       tx_build(t, ids[j], sent, payload), 0);
		if (n) {
			__atomic_store_n(&t->tx->producer, prod,
					 __ATOMIC_RELEASE);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (t->tx->flags & BIFURC_RING_NEED_WAKEUP)
				kick(t->fd, BIFURC_KICK_TX_SUBMIT, &k);
		}
		usleep(5000);
	}
	if (read(rfd, line, sizeof(line) - 1) > 0)
		sscanf(line, "%u %u", &got, &bad);
	reap(rx);
	close(rfd);
	TH_LOG("sent %u frames of %u bytes, %u back from txc (%u refused)",
	       sent, 42 + payload, back, refused);
	TH_LOG("peer received %u (bad %u); %llu kicks for %u frames", got, bad,
	       (unsigned long long)t->c->kicks, count);
	ASSERT_EQ(count, back);
	ASSERT_EQ(0, refused);
	ASSERT_EQ(count, got);
	ASSERT_EQ(0, bad);
	ASSERT_EQ(count, t->c->tx_packets);
	ASSERT_EQ((uint64_t)count * (42 + payload), t->c->tx_bytes);
	ASSERT_EQ(0, t->c->tx_bad_id);
	ASSERT_EQ(0, t->c->tx_bad_frame);
	/* nothing in flight any more: the next submit needs a kick */
	ASSERT_TRUE(t->tx->flags & BIFURC_RING_NEED_WAKEUP);
	tx_close(t);
}

/*
 * TX_SEND: raw TX: N frames built in the pool reach a socket in the peer
 * namespace intact; NAPI hands every buffer back through txc with no
 * reclaim kick; counters
 */
TEST_F_TIMEOUT(tx, send, 300)
{
	tx_send_frames(_metadata, &self->t);
}

/*
 * TX_WAIT: waiting for sent buffers sleeps (uapi section 7): with nothing
 * in flight POLLOUT is set at once but a 300 ms poll for POLLWRBAND times
 * out; after 8 frames and one kick, every POLLWRBAND poll returns with
 * buffers in txc until all 8 are back; a poll that sleeps with nothing in
 * flight is woken by the NAPI poll of 8 frames another thread submits 0.2
 * s later; then it times out again; INFO says TX_WAIT
 */
TEST_F_TIMEOUT(tx, wait, 300)
{
	struct txq *t = &self->t;
	const unsigned int frames = 8, payload = 100;
	unsigned int back = 0, refused = 0, polls = 0, n;
	struct bifurc_info info;
	struct bifurc_kick k;
	uint32_t prod = 0, i;
	struct tx_wait_late late = { 0 };
	double took, slept = 0;
	pthread_t thread;
	short ev;

	tx_start(_metadata, t, payload);
	/* POLLOUT: the tx ring has room, so it cannot be waited for */
	ev = poll_for(t->fd, POLLOUT, 300, &took);
	ASSERT_TRUE(ev & POLLOUT);
	ASSERT_GT(0.25, took);
	ev = poll_for(t->fd, POLLWRBAND, 300, &took);
	ASSERT_EQ(0, ev)
		TH_LOG("POLLWRBAND (revents %#x) with nothing sent", ev);

	for (i = 0; i < frames; i++)
		tx_put(t, &prod, i, 0, tx_build(t, i, i, payload), 0);
	__atomic_store_n(&t->tx->producer, prod, __ATOMIC_RELEASE);
	ASSERT_EQ(0, kick(t->fd, BIFURC_KICK_TX_SUBMIT, &k));
	ASSERT_EQ(frames, k.tx_submitted);
	while (back < frames) {
		ev = poll_for(t->fd, POLLWRBAND, 5000, &took);
		slept += took;
		polls++;
		n = txc_take(t, &refused, NULL, 0);
		ASSERT_TRUE(ev & POLLWRBAND)
			TH_LOG("poll %u for POLLWRBAND: revents %#x after %.2f s",
			       polls, ev, took);
		ASSERT_NE(0, n)
			TH_LOG("poll %u for POLLWRBAND: no buffer in txc, %u of %u back",
			       polls, back, frames);
		back += n;
	}

	/*
	 * A poll that sleeps first: nothing is in flight when it starts, a
	 * second thread submits 8 frames 0.2 s later with a KICK (which
	 * wakes nobody), and only the completion interrupt's NAPI poll can
	 * wake the first with buffers in txc.
	 */
	for (i = 0; i < frames; i++)
		tx_put(t, &prod, i, 0, tx_build(t, i, frames + i, payload), 0);
	late.fd = t->fd;
	late.tx = t->tx;
	late.prod = prod;
	ASSERT_EQ(0, pthread_create(&thread, NULL, tx_wait_submit, &late));
	ev = poll_for(t->fd, POLLWRBAND, 10000, &took);
	pthread_join(thread, NULL);
	n = txc_take(t, &refused, NULL, 0);
	ASSERT_EQ(0, late.err);
	ASSERT_EQ(frames, late.submitted);
	TH_LOG("the sleeping poll for POLLWRBAND returned %#x after %.2f s, %u buffers in txc",
	       ev, took, n);
	ASSERT_TRUE(ev & POLLWRBAND);
	ASSERT_NE(0, n);
	/* it slept until the NAPI poll, not just until the KICK */
	ASSERT_LE(0.15, took);
	TH_LOG("a sleeping poll woken after %.2f s with %u of %u back", took, n,
	       frames);
	for (back = n; back < frames; back += n) {
		ev = poll_for(t->fd, POLLWRBAND, 5000, &took);
		n = txc_take(t, &refused, NULL, 0);
		ASSERT_TRUE(ev & POLLWRBAND)
			TH_LOG("after the wakeup: %u of %u back, then revents %#x",
			       back, frames, ev);
		ASSERT_NE(0, n)
			TH_LOG("after the wakeup: %u of %u back, then no buffer",
			       back, frames);
	}
	ev = poll_for(t->fd, POLLWRBAND, 300, &took);
	ASSERT_FALSE(ev);
	ASSERT_LE(0.25, took);
	ASSERT_EQ(0, get_info(t->fd, &info));
	TH_LOG("%u frames back in %u POLLWRBAND polls (%.3f s asleep), refused %u",
	       back, polls, slept, refused);
	ASSERT_EQ(0, refused);
	ASSERT_TRUE(info.flags & BIFURC_INFO_F_TX_WAIT);
	tx_close(t);
}

/*
 * TX_ECHO: libbifurc answers a UDP client in the peer namespace from the
 * received buffers (swapped in place, zero copy): every reply byte-exact
 * while ping and a TCP stream use the same port; syscalls per packet
 */
TEST_F_TIMEOUT(tx, echo, 300)
{
	const unsigned int count = 120;
	struct bifurc_opts o = { .size = sizeof(o), .flags = BIFURC_OPT_TX };
	struct bifurc_pkt pkts[32], back[32], drop[32];
	unsigned int sent = 0, ignored = 0, waits = 0, ndrop, i;
	char line[128] = "", dir[PATH_MAX];
	struct bifurc_queue_info qi;
	struct bifurc_tx tx[32];
	struct kernel_traffic kt;
	struct bifurc_queue *q;
	pid_t peer;
	struct bifurc_stats st;
	unsigned int r_sent = 0, r_replies = 0, r_exact = 0;
	double end;
	int n, err, pfd[2];

	err = open_with_rule(&q, PORT_ECHO, &o);
	ASSERT_EQ(0, err)
		TH_LOG("attach with TX + rule: %s", bifurc_strerror(err));
	bifurc_queue_info(q, &qi);

	kernel_traffic_start(&kt, PORT_TCP, 6, 12);
	snprintf(dir, sizeof(dir), "%s", bt.flows);
	*strrchr(dir, '/') = '\0';
	ASSERT_FALSE(pipe(pfd)) TH_LOG("errno %d: %s", errno, strerror(errno));
	fflush(stdout);
	peer = fork();
	if (peer == 0) {
		char cmd[PATH_MAX + 256];

		dup2(pfd[1], 1);
		snprintf(cmd, sizeof(cmd),
			 "ip netns exec %s python3 -S %s/examples.py echo %s %u %u",
			 bt.peer_ns, dir, bt.local_addr, PORT_ECHO, count);
		execl("/bin/bash", "bash", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);

	end = now() + 90;
	while (now() < end && waitpid(peer, NULL, WNOHANG) == 0) {
		n = bifurc_rx_burst(q, pkts, 32);
		ASSERT_LE(0, n) TH_LOG("rx_burst: %s", bifurc_strerror(n));
		ndrop = 0;
		for (i = 0; i < (unsigned int)n; i++) {
			uint8_t *f = pkts[i].data;

			if (!echo_swap(f, pkts[i].len, PORT_ECHO)) {
				drop[ndrop++] = pkts[i];
				ignored++;
				continue;
			}
			tx[i - ndrop] = (struct bifurc_tx){
				.buf = pkts[i].buf,
				.offset = (uint32_t)(f - ((uint8_t *)qi.pool +
					  (size_t)pkts[i].buf * qi.buf_size)),
				.len = pkts[i].len };
		}
		if (ndrop)
			bifurc_rx_release(q, drop, ndrop);
		if ((unsigned int)n > ndrop) {
			err = bifurc_tx_burst(q, tx, n - ndrop);
			ASSERT_EQ(n - (int)ndrop, err)
				TH_LOG("tx_burst: %d of %u", err, n - ndrop);
			sent += err;
		}
		n = bifurc_tx_complete(q, back, 32);
		if (n > 0)
			bifurc_rx_release(q, back, n);
		if (!n && !ndrop) {
			waits++;
			bifurc_wait(q, 50);
		}
	}
	if (read(pfd[0], line, sizeof(line) - 1) > 0)
		sscanf(line, "sent %u replies %u exact %u", &r_sent,
		       &r_replies, &r_exact);
	close(pfd[0]);
	reap(peer);
	bifurc_stats(q, &st);
	TH_LOG("echoed %u datagrams (%u other frames); client: %s", sent,
	       ignored, line);
	TH_LOG("syscalls: %llu kicks + %u poll for %llu received and %llu sent",
	       (unsigned long long)st.kicks, waits,
	       (unsigned long long)st.rx_packets,
	       (unsigned long long)st.tx_packets);
	TH_LOG("syscalls: %.3f per echoed packet",
	       st.tx_packets ? (double)(st.kicks + waits) / st.tx_packets : 0);
	run("ethtool -S %s | grep bifurc_", bt.ifname);
	bifurc_close(q);

	EXPECT_EQ(0, reap(kt.ping)) TH_LOG("ping through the kernel failed");
	EXPECT_EQ(0, reap(kt.client)) TH_LOG("the TCP stream failed");
	reap(kt.server);
	ASSERT_EQ(count, r_sent);
	ASSERT_EQ(count, r_replies);
	ASSERT_EQ(count, r_exact);
	ASSERT_LE(count, st.tx_packets);
	ASSERT_EQ(0, st.tx_bad_id);
	ASSERT_EQ(0, st.tx_bad_frame);
}

/*
 * TX_RATE: frames per second and syscalls per frame of raw TX next to the
 * kernel's UDP sendmmsg (batch 32), same frame size, same run; at the peer
 * (pause off: its NIC drops and counts what it cannot place, where QEMU
 * would lose it) every frame the app counted sent was taken (60 bytes
 * each) or missed
 */
TEST_F_TIMEOUT(tx, rate, 300)
{
	struct txq *t = &self->t;
	const char *ready = "/tmp/bifurc-tx-ready";
	unsigned long long took = 0, missed = 0, tbytes = 0;
	uint64_t frames, bytes, kicks, sent, calls, prev;
	struct peer_rx n0, n1;
	double pps_b, pps_k, end;
	char dev[64];
	pid_t sink;
	int e;

	tx_start(_metadata, t, 18);
	/*
	 * Every frame the app counts sent must reach the peer.  Without
	 * pause frames ixgbe sets DROP_EN there: a frame it has no
	 * descriptor for is dropped and counted (QPRDC), not held in the
	 * packet buffer until that is full (MPC).  A socket bound to the
	 * port, never read (a reader would take the CPU the sender
	 * measures), keeps the peer from answering (ICMP, then ARP): every
	 * frame it counts is the app's.
	 */
	ASSERT_FALSE(peer_dev(dev));
	ASSERT_EQ(0, peer_pause(dev, "autoneg off rx off tx off"));
	snprintf(self->paused, sizeof(self->paused), "%s", dev);
	unlink(ready);
	sink = spawn("exec ip netns exec %s python3 -S -c 'import socket, "
		     "time; s = socket.socket(socket.AF_INET, "
		     "socket.SOCK_DGRAM); s.bind((\"\", %u)); open(\"%s\", "
		     "\"w\"); time.sleep(600)'", bt.peer_ns, PORT_TX, ready);
	ASSERT_LT(0, sink);
	ASSERT_TRUE(ready_file_exists(ready));
	e = peer_settle(dev, &n0);
	pps_b = rate_bifurc(t, 4, &frames, &kicks);
	/* the up to 63 frames still in the ring go out too: count them */
	do {
		prev = t->c->tx_packets;
		usleep(300 * 1000);
	} while (t->c->tx_packets != prev);
	frames = t->c->tx_packets;
	bytes = t->c->tx_bytes;
	tx_close(t);
	/* until the peer's driver has drained its ring */
	for (end = now() + 10; !e && now() < end; usleep(200 * 1000)) {
		e = peer_counts(dev, &n1);
		took = n1.pkts - n0.pkts;
		tbytes = n1.bytes - n0.bytes;
		missed = n1.missed - n0.missed;
		if (took + missed >= frames)
			break;
	}
	kill(sink, SIGKILL);
	reap(sink);
	pps_k = rate_kernel(4, &sent, &calls);
	self->paused[0] = '\0';
	ASSERT_EQ(0, peer_pause(dev, "autoneg on rx on tx on"))
		TH_LOG("the peer's pause frames did not come back");
	ASSERT_FALSE(e);
	TH_LOG("bifurc raw TX: %.0f frames/s, %llu frames, %.4f syscalls/frame",
	       pps_b, (unsigned long long)frames,
	       frames ? (double)kicks / frames : 0);
	TH_LOG("the peer took %llu frames (%llu bytes) and missed %llu", took,
	       tbytes, missed);
	TH_LOG("kernel UDP sendmmsg(32): %.0f datagrams/s, %llu datagrams, %.4f syscalls/datagram",
	       pps_k, (unsigned long long)sent,
	       sent ? (double)calls / sent : 0);
	TH_LOG("ratio bifurc/kernel: %.2f (60-byte frames, TCG guest)",
	       pps_k > 0 ? pps_b / pps_k : 0);
	ASSERT_LT(0, frames);
	ASSERT_LT(0, sent);
	ASSERT_EQ(frames * 60, bytes);
	ASSERT_EQ(frames, took + missed);
	ASSERT_EQ(took * 60, tbytes);
}

/*
 * TX_BAD_ENTRIES: id out of range, a buffer the NIC holds, a double
 * submit, offset + len beyond the buffer, a runt, a giant, unknown flags,
 * a MORE chain longer than BIFURC_TX_MAX_FRAGS: each is refused and
 * counted, nothing is sent, the caller's buffers come back marked REFUSED,
 * good frames around them go out
 */
TEST_F_TIMEOUT(tx, bad_entries, 300)
{
	struct txq *t = &self->t;
	uint32_t prod = 0, fprod, ids[64], *fill;
	unsigned int refused = 0, n, len, i;
	struct bifurc_kick k;

	tx_start(_metadata, t, 100);
	len = tx_build(t, 1, 0, 100);
	tx_build(t, 2, 1, 100);

	/* buffer 5 goes to the NIC for reception: TX may not take it */
	fill = (uint32_t *)((uint8_t *)t->fill + BIFURC_RING_ENTRIES_OFFSET);
	fill[0] = 5;
	fprod = 1;
	__atomic_store_n(&t->fill->producer, fprod, __ATOMIC_RELEASE);
	ASSERT_EQ(0, kick(t->fd, BIFURC_KICK_RX_REFILL, &k));
	ASSERT_EQ(1, k.rx_refilled);

	tx_put(t, &prod, t->a.buf_count + 3, 0, len, 0);	/* range */
	tx_put(t, &prod, 5, 0, len, 0);			/* NIC's */
	tx_put(t, &prod, 1, 0, len, 0);			/* good */
	tx_put(t, &prod, 1, 0, len, 0);			/* double */
	tx_put(t, &prod, 3, 2000, 100, 0);		/* off + len */
	tx_put(t, &prod, 4, 0, 59, 0);			/* runt */
	tx_put(t, &prod, 6, 0, 2048, BIFURC_TX_F_MORE);	/* giant: */
	tx_put(t, &prod, 7, 0, 100, 0);			/* 2148 B */
	tx_put(t, &prod, 8, 0, len, 0x80);		/* flags */
	for (i = 0; i < BIFURC_TX_MAX_FRAGS + 1; i++)	/* 10 frags */
		tx_put(t, &prod, 10 + i, 0, 60, BIFURC_TX_F_MORE);
	tx_put(t, &prod, 19, 0, 60, 0);
	tx_put(t, &prod, 2, 0, len, 0);			/* good */
	__atomic_store_n(&t->tx->producer, prod, __ATOMIC_RELEASE);
	ASSERT_EQ(0, kick(t->fd, BIFURC_KICK_TX_SUBMIT, &k));
	TH_LOG("submitted %u entries: %u frames sent, %u entries rejected",
	       prod, k.tx_submitted, k.tx_rejected);
	/*
	 * Sent: buffer 1 (first time) and 2.  Dropped (tx_bad_id): the id
	 * out of range, buffer 5, the second buffer 1.  Refused
	 * (tx_bad_frame, buffers back): off+len, runt, giant (2 buffers),
	 * flags, and the overlong chain as one frame (its 10 buffers).
	 */
	ASSERT_EQ(2, k.tx_submitted);
	ASSERT_EQ(prod - 2, k.tx_rejected);
	ASSERT_EQ(3, t->c->tx_bad_id);
	ASSERT_EQ(5, t->c->tx_bad_frame);
	ASSERT_EQ(prod, t->tx->consumer);
	/*
	 * Refused buffers come back at once, marked; the good ones once the
	 * NIC sent them (NAPI may already have reclaimed them).
	 */
	n = txc_take(t, &refused, ids, 64);
	ASSERT_LE(15, n);
	ASSERT_EQ(15, refused);
	for (i = 0; i < 100 && n < 17; i++) {
		usleep(20 * 1000);
		kick(t->fd, BIFURC_KICK_TX_RECLAIM, &k);
		n += txc_take(t, &refused, ids, 64);
	}
	ASSERT_EQ(17, n);
	ASSERT_EQ(15, refused);
	ASSERT_EQ(2, t->c->tx_packets);
	ASSERT_EQ(2ULL * len, t->c->tx_bytes);
	/* a producer that claims more than the ring holds */
	__atomic_store_n(&t->tx->producer, prod + 65, __ATOMIC_RELEASE);
	ASSERT_EQ(0, kick(t->fd, BIFURC_KICK_TX_SUBMIT, &k));
	ASSERT_EQ(0, k.tx_submitted);
	ASSERT_EQ(1, t->c->tx_ring_err);
	ASSERT_EQ(prod, t->tx->consumer);
	tx_close(t);
}

/*
 * TX_KILL9: kill -9 while TX is in flight: the pages bifurc holds rose by
 * at least the pool and come back to the baseline exactly, the queue is
 * idle and sends again
 */
TEST_F_TIMEOUT(tx, kill9, 300)
{
	long pool, base, during, after;
	uint32_t *shared, sent;
	struct bifurc_attach a;
	pid_t child;
	int i;

	/* the pool tx_attach() asks for; its rings come on top */
	attach_args(&a, bt.queue);
	pool = (long)a.buf_count * a.buf_size / sysconf(_SC_PAGESIZE);
	base = pages_baseline(_metadata);
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared) TH_LOG("mmap: %s", strerror(errno));
	child = fork();
	if (child == 0) {
		uint32_t prod = 0, ids[64], j;
		unsigned int refused = 0, n;
		struct bifurc_kick k;
		struct txq t;

		if (tx_attach(&t, 0) || tx_template(&t, 1000, PORT_TX))
			_exit(1);
		/* flood: every buffer that comes back goes out again */
		for (j = 0; j < 60; j++)
			tx_put(&t, &prod, j, 0, tx_build(&t, j, j, 1000), 0);
		for (;;) {
			__atomic_store_n(&t.tx->producer, prod,
					 __ATOMIC_RELEASE);
			kick(t.fd, BIFURC_KICK_TX_SUBMIT |
			     BIFURC_KICK_TX_RECLAIM, &k);
			__atomic_store_n(shared, t.c->tx_packets,
					 __ATOMIC_RELAXED);
			n = txc_take(&t, &refused, ids, 64);
			for (j = 0; j < n; j++)
				tx_put(&t, &prod, ids[j], 0, 1042, 0);
		}
	}
	ASSERT_LT(0, child);
	for (i = 0; i < 300 && __atomic_load_n(shared, __ATOMIC_RELAXED) < 500;
	     i++)
		usleep(100 * 1000);
	during = bifurc_pages();
	kill(child, SIGKILL);		/* frames in flight */
	reap(child);
	sent = __atomic_load_n(shared, __ATOMIC_RELAXED);
	ASSERT_LE(500, sent);
	/* as in KILL9_NO_LEAK: the file went with the child */
	after = bifurc_pages_settle(base, 5);
	TH_LOG("%u frames sent before kill -9; bifurc pages %ld baseline, %ld attached, %ld after",
	       sent, base, during, after);
	ASSERT_FALSE(queue_attached());
	pages_back(_metadata, pool, base, during, after);
	/* the queue sends again */
	tx_send_frames(_metadata, &self->t);
}

/*
 * TX_HANG: the model stalls the queue's transmit (x-tx-stall): the kernel
 * reports the hang, resets the adapter, the file sees ENETRESET with
 * status TX_HANG; attach again
 */
TEST_F_TIMEOUT(tx, hang, 300)
{
	uint32_t prod = 0, want = BIFURC_STATUS_RESET | BIFURC_STATUS_TX_HANG;
	struct bifurc_kick k;
	struct txq *t = &self->t;
	double end;
	int e;

	ASSERT_EQ(0, run("hostctl qom-get nic1 x-tx-stall"))
		TH_LOG("the model has no x-tx-stall knob");
	e = tx_attach(t, 0);
	ASSERT_EQ(0, e) TH_LOG("TX attach: %s", strerror(-e));
	ASSERT_EQ(0, tx_template(t, 100, PORT_TX));
	self->stalled = true;
	ASSERT_EQ(0, run("hostctl qom-set nic1 x-tx-stall true"));
	tx_put(t, &prod, 0, 0, tx_build(t, 0, 0, 100), 0);
	__atomic_store_n(&t->tx->producer, prod, __ATOMIC_RELEASE);
	e = kick(t->fd, BIFURC_KICK_TX_SUBMIT, &k);
	/* two hang checks of the watchdog (2 s apart), then the reset */
	end = now() + 30;
	while (now() < end &&
	       __atomic_load_n(&t->c->status, __ATOMIC_ACQUIRE) != want)
		usleep(100 * 1000);
	run("hostctl qom-set nic1 x-tx-stall false");
	self->stalled = false;
	ASSERT_EQ(0, e);
	ASSERT_EQ(1, k.tx_submitted);
	ASSERT_EQ(want, t->c->status)
		TH_LOG("status 0x%x after 30 s, want 0x%x", t->c->status, want);
	ASSERT_EQ(-ENETRESET, kick(t->fd, BIFURC_KICK_TX_RECLAIM, &k));
	ASSERT_EQ(0, run("dmesg | grep -q 'bifurc: queue %u TX hang'",
			 bt.queue));
	tx_close(t);
	ASSERT_TRUE(wait_until(link_up, 30))
		TH_LOG("the link did not come back after the reset");
	tx_send_frames(_metadata, t);
}

TEST_HARNESS_MAIN
