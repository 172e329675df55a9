// SPDX-License-Identifier: GPL-2.0
/*
 * Description: ixgbe bifurc fault loops: faults are repeated on a reserved
 * queue while the flood hits it and the kernel carries a sequenced UDP flow
 * and a TCP stream on the same port. Every loop accounts for loss and
 * leaks.
 *
 *   bifurc_faults -i IFACE -q QUEUE -P PEER_NS -a LOCAL_ADDR -p FLOOD_PORT
 *                 -N NIC [-F FLOOD_RATE] [-k KILLS] [-n ITERS] [-c CLOSES]
 *                 [-r RATE] [-s SEED] [-t FAULT[,FAULT...]] [-K] [-v] [-l]
 *
 * Runs in the namespace of IFACE (port B) with QUEUE reserved and ntuple
 * on; faults.sh sets that up. The model's packet source of the QEMU device
 * NIC (port B) floods LOCAL_ADDR:FLOOD_PORT at FLOOD_RATE frames/s (default
 * 300) for the whole run. The kernel flows come from the
 * namespace PEER_NS (port A). Processes are forked and never exec'd:
 * exec costs about 0.3 s in the debug guest, fork almost nothing.
 *
 * Kernel flows. They run for the whole program:
 *   - UDP: RATE datagrams/s (default 200), each carrying a sequence number,
 *     from PEER_NS to LOCAL_ADDR:7901. The receiver sets a bit per sequence
 *     number, so the loss in any window of sequence numbers can be counted
 *     afterwards. That flow is never steered, so it stays on the kernel's
 *     RSS queues. A trickle of one datagram in ten also goes to FLOOD_PORT,
 *     so the app's queue gets wire frames too. That matters for pool
 *     exhaustion: a wire frame to a queue with no buffers and no DROP_EN
 *     would stall the whole port.
 *   - TCP: 50 KB/s from PEER_NS to LOCAL_ADDR:7902. Byte n of the stream is
 *     a function of n, so loss, reordering or corruption shows up. The
 *     connection must survive every fault.
 *
 * Faults (one TAP line each; -l lists them, -t picks some):
 *   KILL9        fork an app (libbifurc, small pool, TX for every other one),
 *                let it receive the flood, kill -9 it at a random moment. In
 *                one iteration of four, kill it before or during its attach.
 *                The queue must be detached and its rule gone when waitpid()
 *                returns, and the next child must attach.
 *   CLOSE        the same, with bifurc_close() while the flood arrives
 *   POOL_EXHAUST the app never gives buffers back: it ends up holding the
 *                whole pool, the NIC drops (rx_no_buf grows), and the app
 *                sees no error. Once it releases the buffers, the flood
 *                flows again without a re-attach.
 *   RMMOD_BUSY   delete_module("ixgbe", O_NONBLOCK) with an app attached
 *                must fail with EWOULDBLOCK, and the app keeps receiving.
 *   LINK_FLAP    set_link NIC off/on from the QEMU monitor (through the
 *                test bed's hostctl port, spoken in process). The
 *                carrier goes down and comes back; no frame arrives while
 *                it is down. The attachment may survive (ixgbe does not
 *                reset for a carrier loss with nothing queued) and then
 *                receives again once the link is back, or it may die with
 *                ENETRESET if the driver reset.
 *   DOWN_UP      ip link set down: ENETRESET, and a new attach while down
 *                fails with ENETDOWN; then up
 *   CHANNELS     ethtool -L combined N-1 (the reserved queue would go away)
 *                is first refused with EINVAL while the app's rule steers
 *                to the queue (the ethtool core protects ntuple rules), and
 *                the app keeps receiving. Then the app deletes its rule,
 *                and the same ethtool -L gives ENETRESET; a new attach fails
 *                with ERANGE. Then combined N.
 *   RINGS        ethtool -G rx 512 <-> 256: ENETRESET
 *   RESET        an adapter reset through the driver's own path
 *                (debugfs netdev_ops "tx_timeout", i.e. the reset subtask).
 *                Without debugfs, an MTU change. ENETRESET.
 * Each iteration then checks the rest. The app saw the error the uapi
 * promises: bifurc_wait/rx_burst/stats -ENETRESET, POLLERR, and KICK
 * ENETRESET. Its rule is gone. The app attaches again and receives the
 * flood.
 *
 * Loss. Faults that do not reconfigure the NIC (KILL9, CLOSE, POOL_EXHAUST,
 * RMMOD_BUSY) must cost the kernel's UDP flow nothing. For the others, each
 * fault is first run without an app (the baseline, same run, same count),
 * and then with one. With the app, the worst iteration may lose at most
 * twice the baseline's worst plus 0.5 s of the flow; the slack is the
 * jitter of ixgbe's link-up polling. Loss outside the fault windows must
 * be zero. The TCP stream must stay connected, carry every byte intact,
 * and catch up after every loop.
 *
 * Leaks, before and after every loop. First the driver's own count of the
 * pages bifurc attachments hold (debugfs ixgbe/bifurc_pages: pools, raw
 * and coherent descriptor rings): no app is attached before or after a
 * loop, so it must come back exactly, to the page. Without the count the
 * loop fails. Then, as a second, coarse check for other kernel memory,
 * the page cache and dentries are dropped, and the free pages
 * (nr_free_pages plus the per-CPU free lists) and the slab pages are read
 * from /proc/vmstat and /proc/zoneinfo. The pages that are neither free
 * nor slab may not grow by more than FREE_TOL (512, 2 MiB; the first loop,
 * with its 100 forks, has read +214). The slab may not grow by more than
 * SLAB_TOL pages (8 MiB). That is loose on purpose: KASAN's quarantine
 * holds freed objects back, and kmemleak is what finds a leaked object.
 * A reading that differs, or is over the tolerance, is repeated for up to
 * 5 s (a deferred fput, RCU callbacks and lazy purges return pages late in
 * a TCG guest) and then reported with the vmstat counters that moved.
 * The driver's ethtool -S counters of the queue must show no bad ids and
 * no TX from these RX-only apps, and at least the packets the apps
 * counted. The sysfs "attached" file must be empty, the ntuple rule count
 * back where it was, and /dev/kmsg free of kernel splats. -K scans
 * kmemleak at the end (about 40 s in the debug guest; the harness scans at
 * the end of every guest run anyway).
 *
 * At the end, a table (TAP comments) with one row per fault.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <linux/bifurc.h>
#include <bifurc.h>

#include "util.h"

#define PORT_UDP	7901	/* the kernel's sequenced UDP flow */
#define PORT_TCP	7902	/* the kernel's TCP stream */
#define UDP_MAGIC	0xb1f0fa17U
#define UDP_SIZE	64	/* payload bytes of a kernel-flow datagram */
#define SEQ_MAX		(1U << 24)	/* 23 h at 200/s; the bitmap is 2 MiB */
#define TCP_CHUNK	4096
#define TCP_PERIOD_MS	80	/* 50 KB/s */
#define FLOW_TICK_MS	20	/* the UDP flow's sender and receiver wake */

#define FRAMES_OK	8	/* flood frames that prove an app receives */
#define RECV_TIMEOUT	15.0	/* s to get them: the debug guest is slow */
#define LINK_TIMEOUT	30.0	/* s for the carrier to come back */

#define FREE_TOL	512	/* pages, see the header comment */
#define SLAB_TOL	2048

static const char *ifname, *peer_ns, *local_addr, *nic;
static unsigned int queue, flood_port;
static struct bifurc_dev dev;		/* ifname's class device, PCI address */
static int ctl = -1;			/* socket for interface ioctls */
static unsigned int udp_rate = 200;
static uint64_t rng;
static bool verbose;		/* -v: memory and loss per iteration */

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* xorshift64*: reproducible from the seed printed at the start */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

/* The name of an errno value, for the table (strerror() is too long). */
static const char *errname(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ ENETRESET, "ENETRESET" }, { ENETDOWN, "ENETDOWN" },
		{ ERANGE, "ERANGE" }, { EWOULDBLOCK, "EWOULDBLOCK" },
		{ ENODEV, "ENODEV" }, { EBUSY, "EBUSY" },
		{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { ETIMEDOUT, "ETIMEDOUT" },
	};
	unsigned int i;

	if (e < 0)
		e = -e;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == e)
			return names[i].name;
	return e ? "other" : "none";
}

/* ---- the interface: sysfs, ioctls, ethtool ---------------------------- */

/* The sysfs "attached" file lists no queue. */
static bool none_attached(void)
{
	char path[PATH_MAX + 16], buf[256];

	snprintf(path, sizeof(path), "%s/attached", dev.classdir);
	if (read_file(path, buf, sizeof(buf)))
		return false;
	return buf[strspn(buf, " \n")] == '\0';
}

static bool wait_detached(double seconds)
{
	double end = now() + seconds;

	while (!none_attached()) {
		if (now() > end)
			return false;
		msleep(10);
	}
	return true;
}

static int ethtool(void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(ctl, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

/* ntuple rules on the port (what "ethtool -n" counts). */
static int rule_count(void)
{
	struct ethtool_rxnfc nfc = { .cmd = ETHTOOL_GRXCLSRLCNT };
	int e = ethtool(&nfc);

	return e ? e : (int)nfc.rule_cnt;
}

static int if_flags(short *flags)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if (ioctl(ctl, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	*flags = ifr.ifr_flags;
	return 0;
}

/* ip link set up/down */
static int if_updown(bool up)
{
	struct ifreq ifr;
	short f;
	int e;

	e = if_flags(&f);
	if (e)
		return e;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	ifr.ifr_flags = up ? (f | IFF_UP) : (f & ~IFF_UP);
	return ioctl(ctl, SIOCSIFFLAGS, &ifr) < 0 ? -errno : 0;
}

static bool running(void)
{
	short f;

	/* IFF_RUNNING: up with carrier (operstate UP) */
	return !if_flags(&f) && (f & IFF_UP) && (f & IFF_RUNNING);
}

static bool wait_running(bool want, double seconds)
{
	double end = now() + seconds;

	while (running() != want) {
		if (now() > end)
			return false;
		msleep(10);
	}
	return true;
}

static int if_mtu(int *mtu, bool set)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	ifr.ifr_mtu = *mtu;
	if (ioctl(ctl, set ? SIOCSIFMTU : SIOCGIFMTU, &ifr) < 0)
		return -errno;
	*mtu = ifr.ifr_mtu;
	return 0;
}

/* The driver's counters of the queue, from ethtool -S. */
struct drv {
	uint64_t rx_packets, rx_no_buf, rx_bad_id, kicks;
	uint64_t tx_packets, tx_bad_id, tx_bad_frame;
	uint64_t tx_timeout_count;	/* ixgbe's resets by its reset task */
	bool found;			/* the queue's counters are listed */
};

static int driver_stats(struct drv *d)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t count;
	} si = { .hdr = { .cmd = ETHTOOL_GSSET_INFO,
			  .sset_mask = 1ULL << ETH_SS_STATS } };
	struct ethtool_gstrings *str = NULL;
	struct ethtool_stats *st = NULL;
	char want[ETH_GSTRING_LEN];
	uint32_t n, i;
	int e;

	memset(d, 0, sizeof(*d));
	e = ethtool(&si);
	if (e)
		return e;
	/*
	 * The count is fixed while nothing reconfigures the port, and this
	 * program is the only one that does; the slack is for safety only
	 * (ETHTOOL_GSTATS writes as many values as the driver has now).
	 */
	n = si.count;
	str = calloc(1, sizeof(*str) + (n + 64) * ETH_GSTRING_LEN);
	st = calloc(1, sizeof(*st) + (n + 64) * sizeof(uint64_t));
	if (!str || !st) {
		e = -ENOMEM;
		goto out;
	}
	str->cmd = ETHTOOL_GSTRINGS;
	str->string_set = ETH_SS_STATS;
	str->len = n;
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	e = ethtool(str);
	if (!e)
		e = ethtool(st);
	if (e)
		goto out;
	n = str->len < st->n_stats ? str->len : st->n_stats;
	for (i = 0; i < n; i++) {
		const char *s = (const char *)str->data + i * ETH_GSTRING_LEN;
		uint64_t v = st->data[i];
		int len;

		if (!strcmp(s, "tx_timeout_count")) {
			d->tx_timeout_count = v;
			continue;
		}
		len = snprintf(want, sizeof(want), "bifurc_q%u_", queue);
		if (strncmp(s, want, len))
			continue;
		s += len;
		d->found = true;
		if (!strcmp(s, "rx_packets"))
			d->rx_packets = v;
		else if (!strcmp(s, "rx_no_buf"))
			d->rx_no_buf = v;
		else if (!strcmp(s, "rx_bad_id"))
			d->rx_bad_id = v;
		else if (!strcmp(s, "kicks"))
			d->kicks = v;
		else if (!strcmp(s, "tx_packets"))
			d->tx_packets = v;
		else if (!strcmp(s, "tx_bad_id"))
			d->tx_bad_id = v;
		else if (!strcmp(s, "tx_bad_frame"))
			d->tx_bad_frame = v;
	}
out:
	free(str);
	free(st);
	return e;
}

static int channels(unsigned int *combined, bool set)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	int e;

	e = ethtool(&ch);
	if (e || !set) {
		*combined = ch.combined_count;
		return e;
	}
	ch.cmd = ETHTOOL_SCHANNELS;
	ch.combined_count = *combined;
	return ethtool(&ch);
}

static int rx_ring(unsigned int *rx, bool set)
{
	struct ethtool_ringparam rp = { .cmd = ETHTOOL_GRINGPARAM };
	int e;

	e = ethtool(&rp);
	if (e || !set) {
		*rx = rp.rx_pending;
		return e;
	}
	rp.cmd = ETHTOOL_SRINGPARAM;
	rp.rx_pending = *rx;
	return ethtool(&rp);
}

/*
 * "ip netns exec" mounts a fresh sysfs over /sys, which hides debugfs:
 * mount it again in this (private) mount namespace.
 */
static bool debugfs(void)
{
	if (!access("/sys/kernel/debug/ixgbe", F_OK) ||
	    !access("/sys/kernel/debug/kmemleak", F_OK))
		return true;
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	return !access("/sys/kernel/debug/ixgbe", F_OK);
}

/*
 * The QEMU monitor relay of the test bed (testbed/guest/hostctl), spoken
 * in process: hostctl is a bash script, and at about 1.5 s per run in the
 * debug guest, the link flaps alone would cost a minute. Protocol: one
 * request line; answer lines, "error: ..." on failure, then a line ".".
 */
static int host_fd = -1;

static int host_open(void)
{
	char path[PATH_MAX], name[64];
	struct dirent *de;
	DIR *d;

	d = opendir("/sys/class/virtio-ports");
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name",
			 de->d_name);
		if (read_file(path, name, sizeof(name)) ||
		    strcmp(name, "org.bifurc.hostctl\n"))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		host_fd = open(path, O_RDWR | O_CLOEXEC);
		break;
	}
	closedir(d);
	return host_fd < 0 ? -ENOENT : 0;
}

/* One request; the answer's first line goes to out (may be NULL). */
static int host(char *out, size_t len, const char *fmt, ...)
{
	char req[256], line[512];
	size_t n = 0;
	bool first = true, error = false;
	va_list ap;
	ssize_t r;
	char c;

	if (host_fd < 0)
		return -ENOENT;
	va_start(ap, fmt);
	vsnprintf(req, sizeof(req) - 1, fmt, ap);
	va_end(ap);
	strcat(req, "\n");
	if (write(host_fd, req, strlen(req)) != (ssize_t)strlen(req))
		return -EIO;
	if (out && len)
		out[0] = '\0';
	for (;;) {
		r = read(host_fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EIO;
		if (c != '\n') {
			if (n < sizeof(line) - 1)
				line[n++] = c;
			continue;
		}
		line[n] = '\0';
		n = 0;
		if (!strcmp(line, "."))
			break;
		if (!strncmp(line, "error:", 6))
			error = true;
		if (first && out && len)
			snprintf(out, len, "%s", line);
		first = false;
	}
	return error ? -EIO : 0;
}

/*
 * The model's packet source on port B: UDP frames to FLOOD_PORT (4 flows,
 * 60 bytes) at RATE frames/s, from inside the device, so that the flood
 * costs no guest CPU to send. Every app steers it to its queue; while none
 * does, the kernel gets it.
 */
static int flood_start(unsigned int rate)
{
	char v[32];
	const struct { const char *k; const char *v; } kv[] = {
		{ "dst-ip", local_addr }, { "src-ip", "10.77.0.100" },
		{ "flows", "4" }, { "size", "60" }, { "count", "0" },
		{ "duration-ms", "0" },
	};
	unsigned int i;
	int e;

	for (i = 0; i < ARRAY_SIZE(kv); i++) {
		e = host(NULL, 0, "qom-set %s pktgen-%s %s", nic, kv[i].k,
			 kv[i].v);
		if (e)
			return e;
	}
	snprintf(v, sizeof(v), "%u", flood_port);
	e = host(NULL, 0, "qom-set %s pktgen-dst-port %s", nic, v);
	if (!e)
		e = host(NULL, 0, "qom-set %s pktgen-rate %u", nic, rate);
	if (!e)
		e = host(NULL, 0, "qom-set %s pktgen-run true", nic);
	return e;
}

static void flood_stop(void)
{
	host(NULL, 0, "qom-set %s pktgen-run false", nic);
}

/* ---- memory and kernel log --------------------------------------------- */

#define VMSTAT_MAX	256

struct mem {
	long pool;	/* bifurc_pages(): what attachments hold, or -1 */
	long free;	/* nr_free_pages + the per-CPU free lists */
	long slab;	/* nr_slab_reclaimable + nr_slab_unreclaimable */
	long pcp;	/* of free: on the per-CPU lists */
	double secs;	/* what the reading cost */
	/* every nr_* counter, to say where pages went when they did */
	unsigned int n;
	char name[VMSTAT_MAX][40];
	long val[VMSTAT_MAX];
};

/*
 * Free pages, comparable from one reading to the next. The page cache and
 * dentries are dropped first (the 9p root and our own reads fill them).
 * Free pages on the per-CPU lists are counted too: nr_free_pages leaves
 * them out, and they swing by hundreds of pages as the lists fill and
 * drain. That swing is most of the ~1000-page noise KILL9_NO_LEAK allows
 * for. Slab caches are not shrunk: with KASAN, each kmem_cache_shrink()
 * walks the whole quarantine, and doing that for every cache costs 5 to
 * 15 s in the debug guest. So the slab figure keeps the quarantine's churn
 * (freed objects held back for a while), and kmemleak is the check that
 * finds a leaked object.
 */
static void mem_read(struct mem *m)
{
	char line[256];
	double t0 = now();
	long v;
	FILE *f;

	m->pool = bifurc_pages();
	m->free = m->slab = -1;
	write_file("/proc/sys/vm/drop_caches", "3");
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return;
	m->slab = 0;
	m->n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "nr_", 3) && m->n < VMSTAT_MAX &&
		    sscanf(line, "%39s %ld", m->name[m->n], &m->val[m->n]) == 2)
			m->n++;
		if (sscanf(line, "nr_free_pages %ld", &v) == 1)
			m->free = v;
		else if (sscanf(line, "nr_slab_reclaimable %ld", &v) == 1 ||
			 sscanf(line, "nr_slab_unreclaimable %ld", &v) == 1)
			m->slab += v;
	}
	fclose(f);
	m->pcp = 0;
	f = fopen("/proc/zoneinfo", "r");
	if (f) {
		/* "    cpu: N" then "              count: N" per pageset */
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, " count: %ld", &v) == 1)
				m->pcp += v;
		fclose(f);
	}
	m->free += m->pcp;
	m->secs = now() - t0;
}

/* The same splat patterns as testbed/splat.py. */
static const char *const splat_pat[] = {
	"BUG:", "WARNING:", "KASAN:", "UBSAN:",
	"possible circular locking", "possible recursive locking",
	"inconsistent lock state", "suspicious RCU usage",
	"DEBUG_LOCKS_WARN_ON", "detected stall", "RCU stall",
	"blocked for more than", "Oops", "general protection fault",
	"Kernel panic", "Call Trace:", "new suspected memory leak",
};

static int kmsg = -1;

/* Start of a loop: from here on, kernel messages count. */
static void kmsg_mark(void)
{
	if (kmsg < 0)
		kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
}

/* Splats logged since kmsg_mark(); the first few become diagnostics. */
static unsigned int kmsg_splats(void)
{
	unsigned int n = 0, i;
	char rec[8192], *text, *nl;
	ssize_t len;

	if (kmsg < 0)
		return 0;
	for (;;) {
		len = read(kmsg, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (len <= 0)
			break;
		rec[len] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		for (i = 0; i < ARRAY_SIZE(splat_pat); i++) {
			if (!strstr(text, splat_pat[i]))
				continue;
			if (n++ < 5)
				msg("kernel: %s", text);
			break;
		}
	}
	return n;
}

/* ---- the kernel flows ---------------------------------------------------- */

struct flows {
	uint32_t udp_next;	/* sequence numbers below went to sendto() */
	uint32_t udp_top;	/* highest sequence number received + 1 */
	uint64_t udp_send_err;
	uint64_t udp_got, udp_dup, udp_bad;
	uint64_t trickle;	/* FLOOD_PORT datagrams the kernel got */
	uint64_t tcp_sent, tcp_recv, tcp_bad;
	int tcp_tx_err, tcp_rx_err, tcp_eof;
	int stop_udp, stop_tcp, rx_ready, tcp_ready;
	uint8_t seen[SEQ_MAX / 8];
};

static struct flows *fl;
static pid_t pid_udp_tx, pid_udp_rx, pid_tcp_tx, pid_tcp_rx;

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define ADD(x, v)	__atomic_fetch_add(&(x), (v), __ATOMIC_RELAXED)

/* Byte n of the TCP stream: any shift, loss or duplicate changes it. */
static uint8_t tcp_byte(uint64_t n)
{
	return (uint8_t)(n ^ (n >> 8) ^ (n >> 16) ^ (n >> 24) ^ 0x5a);
}

static int enter_peer(void)
{
	char path[PATH_MAX];
	int fd, e;

	snprintf(path, sizeof(path), "/run/netns/%s", peer_ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	e = setns(fd, CLONE_NEWNET) ? -errno : 0;
	close(fd);
	return e;
}

static void sa_local(struct sockaddr_in *sa, unsigned int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	inet_pton(AF_INET, local_addr, &sa->sin_addr);
}

/*
 * Peer namespace: RATE datagrams/s to PORT_UDP, paced by absolute
 * deadlines and sent in ticks of FLOW_TICK_MS: a wakeup per datagram costs
 * the TCG guest CPU the faults need. After a stall, at most 32 catch up at
 * once; the rest of the debt is dropped, so no burst hits the receiver.
 */
static void udp_sender(void)
{
	struct sockaddr_in to, trickle;
	uint8_t buf[UDP_SIZE];
	struct timespec next;
	long step = 1000000000L / udp_rate;
	uint32_t seq = 0;
	int s, burst;

	if (enter_peer())
		_exit(1);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		_exit(1);
	sa_local(&to, PORT_UDP);
	sa_local(&trickle, flood_port);
	memset(buf, 0xa5, sizeof(buf));
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!LOAD(fl->stop_udp) && seq < SEQ_MAX - 1) {
		struct timespec t;

		clock_gettime(CLOCK_MONOTONIC, &t);
		for (burst = 0; burst < 32 &&
		     (t.tv_sec > next.tv_sec || (t.tv_sec == next.tv_sec &&
		      t.tv_nsec >= next.tv_nsec)); burst++) {
			uint32_t v = htonl(seq);

			memcpy(buf, &v, 4);
			v = htonl(UDP_MAGIC);
			memcpy(buf + 4, &v, 4);
			if (sendto(s, buf, sizeof(buf), 0,
				   (struct sockaddr *)&to, sizeof(to)) < 0)
				ADD(fl->udp_send_err, 1);
			if (seq % 10 == 0)
				sendto(s, buf, sizeof(buf), 0,
				       (struct sockaddr *)&trickle,
				       sizeof(trickle));
			STORE(fl->udp_next, ++seq);
			next.tv_nsec += step;
			if (next.tv_nsec >= 1000000000L) {
				next.tv_nsec -= 1000000000L;
				next.tv_sec++;
			}
		}
		if (burst == 32)
			next = t;
		t.tv_nsec += FLOW_TICK_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_nsec -= 1000000000L;
			t.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
	}
	_exit(0);
}

/*
 * This namespace: the kernel flow's socket (a deep buffer, so a slow
 * reader does not lose datagrams the wire delivered) and the FLOOD_PORT
 * socket. The flood falls back to the kernel whenever no app holds its
 * rule; without a socket, every such frame would cost an ICMP error.
 */
static void udp_receiver(void)
{
	struct sockaddr_in sa;
	struct pollfd p[2];
	uint8_t buf[2048];
	int size = 4 << 20, i;

	for (i = 0; i < 2; i++) {
		p[i].fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		p[i].events = POLLIN;
		setsockopt(p[i].fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
			   sizeof(size));
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_port = htons(i ? flood_port : PORT_UDP);
		if (bind(p[i].fd, (struct sockaddr *)&sa, sizeof(sa)))
			_exit(1);
	}
	STORE(fl->rx_ready, 1);
	while (!LOAD(fl->stop_udp)) {
		/* a tick's worth per wakeup; the 4 MiB buffers hold it */
		msleep(FLOW_TICK_MS);
		if (poll(p, 2, 200) <= 0)
			continue;
		while (recv(p[1].fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			ADD(fl->trickle, 1);
		for (;;) {
			ssize_t n = recv(p[0].fd, buf, sizeof(buf),
					 MSG_DONTWAIT);
			uint32_t seq, magic;
			uint8_t bit;

			if (n < 0)
				break;
			memcpy(&seq, buf, 4);
			memcpy(&magic, buf + 4, 4);
			seq = ntohl(seq);
			if (n != UDP_SIZE || ntohl(magic) != UDP_MAGIC ||
			    seq >= SEQ_MAX) {
				ADD(fl->udp_bad, 1);
				continue;
			}
			bit = 1U << (seq & 7);
			if (__atomic_fetch_or(&fl->seen[seq >> 3], bit,
					      __ATOMIC_RELAXED) & bit) {
				ADD(fl->udp_dup, 1);
				continue;
			}
			ADD(fl->udp_got, 1);
			if (seq + 1 > LOAD(fl->udp_top))
				STORE(fl->udp_top, seq + 1);
		}
	}
	_exit(0);
}

/* Peer namespace: the TCP stream, TCP_CHUNK bytes every TCP_PERIOD_MS. */
static void tcp_sender(void)
{
	uint8_t buf[TCP_CHUNK];
	struct sockaddr_in sa;
	uint64_t off = 0;
	int s = -1, i, e = 0;

	if (enter_peer())
		_exit(1);
	sa_local(&sa, PORT_TCP);
	for (i = 0; i < 100; i++) {
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (!connect(s, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		e = errno;
		close(s);
		s = -1;
		msleep(100);
	}
	if (s < 0) {
		STORE(fl->tcp_tx_err, e ? e : EIO);
		_exit(1);
	}
	STORE(fl->tcp_ready, 1);
	while (!LOAD(fl->stop_tcp)) {
		size_t done = 0;

		for (i = 0; i < TCP_CHUNK; i++)
			buf[i] = tcp_byte(off + i);
		while (done < sizeof(buf)) {
			ssize_t n = write(s, buf + done, sizeof(buf) - done);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				STORE(fl->tcp_tx_err, n < 0 ? errno : EPIPE);
				_exit(1);
			}
			done += n;
		}
		off += sizeof(buf);
		STORE(fl->tcp_sent, off);
		msleep(TCP_PERIOD_MS);
	}
	shutdown(s, SHUT_WR);
	/* the receiver closes once it has read everything */
	while (read(s, buf, sizeof(buf)) > 0)
		;
	close(s);
	_exit(0);
}

static void tcp_receiver(void)
{
	struct sockaddr_in sa;
	uint8_t buf[8192];
	uint64_t off = 0;
	int l, s, one = 1;
	ssize_t n, i;

	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(PORT_TCP);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(l, 1)) {
		STORE(fl->tcp_rx_err, errno);
		_exit(1);
	}
	s = accept(l, NULL, NULL);
	close(l);
	if (s < 0) {
		STORE(fl->tcp_rx_err, errno);
		_exit(1);
	}
	for (;;) {
		n = read(s, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			STORE(fl->tcp_rx_err, errno);
			_exit(1);
		}
		if (n == 0)
			break;
		for (i = 0; i < n; i++)
			if (buf[i] != tcp_byte(off + i))
				ADD(fl->tcp_bad, 1);
		off += n;
		STORE(fl->tcp_recv, off);
	}
	STORE(fl->tcp_eof, 1);
	close(s);
	_exit(0);
}

static pid_t start(void (*fn)(void))
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* no flow outlives the program, even a crashed one */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fn();
	}
	return pid;
}

static int flows_start(void)
{
	double end;

	fl = mmap(NULL, sizeof(*fl), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fl == MAP_FAILED)
		return -errno;
	pid_udp_rx = start(udp_receiver);
	pid_tcp_rx = start(tcp_receiver);
	end = now() + 10;
	while (!LOAD(fl->rx_ready) && now() < end)
		msleep(10);
	pid_udp_tx = start(udp_sender);
	pid_tcp_tx = start(tcp_sender);
	/* both flows must be moving before the first fault */
	end = now() + 30;
	while (now() < end && (LOAD(fl->udp_got) < 20 ||
			       LOAD(fl->tcp_recv) < 4 * TCP_CHUNK)) {
		if (LOAD(fl->tcp_tx_err) || LOAD(fl->tcp_rx_err))
			break;
		msleep(20);
	}
	if (LOAD(fl->udp_got) < 20)
		return -EHOSTUNREACH;
	if (LOAD(fl->tcp_recv) < 4 * TCP_CHUNK)
		return -ECONNREFUSED;
	return 0;
}

static uint32_t seq_now(void)
{
	return LOAD(fl->udp_next);
}

/* Sequence numbers in [a, b) the receiver never saw. */
static uint64_t udp_missing(uint32_t a, uint32_t b)
{
	uint64_t n = 0;
	uint32_t s;

	for (s = a; s < b; s++)
		if (!(__atomic_load_n(&fl->seen[s >> 3], __ATOMIC_RELAXED) &
		      (1U << (s & 7))))
			n++;
	return n;
}

/*
 * Wait until the flow delivers again: a datagram sent after this call
 * arrives. Whatever was sent before it is then in or lost.
 */
static bool udp_flowing(double seconds)
{
	uint32_t s = seq_now();
	double end = now() + seconds;

	while (LOAD(fl->udp_top) <= s) {
		if (now() > end)
			return false;
		msleep(10);
	}
	return true;
}

/*
 * Why the kernel's flow stopped, for the log: where the datagrams went on
 * both sides (per-queue counts, misses, the RSS table, UDP drops,
 * neighbours). One line per fact, as TAP comments.
 */
static void flow_diag(void)
{
	static const char *const cmds[] = {
		"ethtool -S %s | grep -E 'rx_queue_[0-9]+_packets|missed|no_dma|no_buf|fdir|rx_packets:'",
		"ethtool -x %s | grep -E '^ +[0-9]+:'",
		"ethtool -n %s | grep -E 'rule|Action'",
		"grep -A1 '^Udp:' /proc/net/snmp | tail -1",
		"ip -s -s link show %s",
		"ip neigh; ip netns exec %s ip neigh",
		"ip netns exec %s ip -s link",
	};
	const char *arg[] = { ifname, ifname, ifname, "", ifname, peer_ns,
			      peer_ns };
	char cmd[256], line[256];
	unsigned int i;
	FILE *p;

	msg("udp: next %u top %u got %llu", LOAD(fl->udp_next),
	    LOAD(fl->udp_top), (unsigned long long)LOAD(fl->udp_got));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		snprintf(cmd, sizeof(cmd), cmds[i], arg[i]);
		p = popen(cmd, "r");
		if (!p)
			continue;
		while (fgets(line, sizeof(line), p)) {
			line[strcspn(line, "\n")] = 0;
			msg("%s", line);
		}
		pclose(p);
	}
}

/* The stream has delivered everything written so far, intact. */
static bool tcp_caught_up(double seconds, double *took)
{
	uint64_t want = LOAD(fl->tcp_sent);
	double t0 = now(), end = t0 + seconds;

	while (LOAD(fl->tcp_recv) < want) {
		if (now() > end || LOAD(fl->tcp_rx_err) ||
		    LOAD(fl->tcp_tx_err))
			break;
		msleep(20);
	}
	*took = now() - t0;
	return LOAD(fl->tcp_recv) >= want && !LOAD(fl->tcp_bad) &&
	       !LOAD(fl->tcp_rx_err) && !LOAD(fl->tcp_tx_err);
}

/* ---- the application --------------------------------------------------- */

struct app {
	struct bifurc_queue *q;
	int rule;		/* the flood's rule, or -1 once deleted */
	uint64_t got;		/* flood frames (to FLOOD_PORT) received */
	uint64_t other;		/* anything else: must stay 0 */
};

/* Frame to FLOOD_PORT: Ethernet, IPv4 (any IHL), UDP. */
static bool is_flood(const uint8_t *f, uint32_t len)
{
	unsigned int ihl;

	if (len < 42 || f[12] != 0x08 || f[13] != 0x00 || (f[14] >> 4) != 4 ||
	    f[23] != IPPROTO_UDP)
		return false;
	ihl = (f[14] & 0xf) * 4;
	return len >= 14 + ihl + 8 &&
	       (unsigned int)((f[14 + ihl + 2] << 8) | f[14 + ihl + 3]) ==
	       flood_port;
}

static int app_open(struct app *a, const struct bifurc_opts *o)
{
	int err, rule;

	a->got = a->other = 0;
	err = bifurc_open(&a->q, ifname, queue, o);
	if (err) {
		a->q = NULL;
		return err;
	}
	rule = bifurc_flow_add(a->q, &(struct bifurc_flow){
		.size = sizeof(struct bifurc_flow),
		.proto = IPPROTO_UDP, .dst_port = htons(flood_port) });
	if (rule < 0) {
		bifurc_close(a->q);
		a->q = NULL;
		return rule;
	}
	a->rule = rule;
	return 0;
}

static void app_close(struct app *a)
{
	bifurc_close(a->q);
	a->q = NULL;
}

/*
 * Receive (and give back) until COUNT more flood frames arrived. Returns 0,
 * -ETIMEDOUT, or the error the queue reported.
 */
static int app_recv(struct app *a, unsigned int count, double seconds)
{
	struct bifurc_pkt pkts[64];
	uint64_t want = a->got + count;
	double end = now() + seconds;
	int n, i;

	while (a->got < want) {
		n = bifurc_rx_burst(a->q, pkts, ARRAY_SIZE(pkts));
		if (n < 0)
			return n;
		if (n == 0) {
			if (now() > end)
				return -ETIMEDOUT;
			n = bifurc_wait(a->q, 100);
			if (n < 0)
				return n;
			continue;
		}
		for (i = 0; i < n; i++) {
			if (is_flood(pkts[i].data, pkts[i].len))
				a->got++;
			else
				a->other++;
		}
		n = bifurc_rx_release(a->q, pkts, n);
		if (n < 0)
			return n;
	}
	return 0;
}

static int kick(struct bifurc_queue *q)
{
	struct bifurc_kick k = { .size = sizeof(k),
				 .flags = BIFURC_KICK_RX_REFILL };

	return ioctl(bifurc_fd(q), BIFURC_IOC_KICK, &k) < 0 ? -errno : 0;
}

/*
 * The queue died under the app: every way of looking says so. The data
 * path reports WANT once the completions are drained, poll() has POLLERR,
 * and KICK and STATS fail with WANT. *why gets the first disagreement.
 */
static bool app_sees_dead(struct app *a, int want, double seconds,
			  char *why, size_t len)
{
	struct bifurc_pkt pkts[64];
	struct bifurc_stats st;
	double end = now() + seconds;
	struct pollfd p;
	int n, e;

	for (;;) {
		n = bifurc_rx_burst(a->q, pkts, ARRAY_SIZE(pkts));
		if (n > 0) {
			bifurc_rx_release(a->q, pkts, n);
			continue;
		}
		if (n < 0)
			break;
		if (now() > end)
			break;
		n = bifurc_wait(a->q, 100);
		if (n < 0)
			break;
	}
	if (n != want) {
		snprintf(why, len, "data path: %s, want %s",
			 n ? strerror(-n) : "still running", strerror(-want));
		return false;
	}
	p.fd = bifurc_fd(a->q);
	p.events = POLLIN;
	p.revents = 0;
	if (poll(&p, 1, 0) != 1 || !(p.revents & POLLERR)) {
		snprintf(why, len, "poll revents 0x%x, want POLLERR", p.revents);
		return false;
	}
	e = kick(a->q);
	if (e != want) {
		snprintf(why, len, "KICK: %s, want %s", strerror(-e),
			 strerror(-want));
		return false;
	}
	e = bifurc_stats(a->q, &st);
	if (e != want) {
		snprintf(why, len, "STATS: %s, want %s", strerror(-e),
			 strerror(-want));
		return false;
	}
	return true;
}

/* The pool of the resident app: 1024 pages, so one leaked pool shows. */
static const struct bifurc_opts resident = {
	.size = sizeof(struct bifurc_opts), .rx_desc = 512, .buf_count = 2048,
};

/* ---- one loop: the accounting ------------------------------------------ */

struct loop {
	const char *name;
	const char *label;
	unsigned int iters;		/* planned */
	unsigned int done;		/* iterations that ran */
	unsigned int err_ok;		/* the app saw the expected outcome */
	unsigned int reattach_ok;	/* a fresh attach received the flood */
	char outcome[48];		/* what the app saw, for the table */
	uint64_t app_frames;		/* flood frames the apps counted */
	uint64_t app_other;
	/* UDP loss: with the app, and the baseline (no app) */
	uint64_t lost, sent, lost_max;
	uint64_t base_lost, base_sent, base_lost_max;
	bool has_base;
	uint32_t win_a[64], win_b[64];	/* per-iteration windows (max 64) */
	uint32_t bwin_a[64], bwin_b[64];
	unsigned int nwin, nbwin;
	uint32_t seq_start, seq_end;
	bool tcp_ok;
	double tcp_took;
	struct mem before, after;
	struct drv dbefore, dafter;
	int rules_before, rules_after;
	unsigned int splats;
	double seconds;
	char why[256];
	bool failed;
	bool skipped;
	/* KILL9 only */
	unsigned int early, late;
};

static void fail(struct loop *l, const char *fmt, ...)
{
	va_list ap;

	if (l->failed)
		return;		/* keep the first reason */
	l->failed = true;
	va_start(ap, fmt);
	vsnprintf(l->why, sizeof(l->why), fmt, ap);
	va_end(ap);
}

static void win_add(struct loop *l, bool base, uint32_t a, uint32_t b)
{
	if (base && l->nbwin < ARRAY_SIZE(l->bwin_a)) {
		l->bwin_a[l->nbwin] = a;
		l->bwin_b[l->nbwin++] = b;
	} else if (!base && l->nwin < ARRAY_SIZE(l->win_a)) {
		l->win_a[l->nwin] = a;
		l->win_b[l->nwin++] = b;
	}
}

/* ---- the faults ---------------------------------------------------------- */

/* What a kill -9 child tells the parent. */
struct child_state {
	int attached;
	int err;
	uint64_t got;
	double t_child;		/* the child runs */
	double t_opened;	/* bifurc_open() returned */
	double t_attached;	/* and the flow rule is in */
	double t_flood;		/* FRAMES_OK frames arrived */
};

/* Where a kill -9 iteration spends its time: sums and maxima, seconds. */
struct kill_times {
	double fork, open, rule, flood, exit, check;
	double fork_max, open_max, rule_max, flood_max, exit_max, check_max;
	unsigned int n;
};

static void kt_add(double *sum, double *max, double v)
{
	*sum += v;
	if (v > *max)
		*max = v;
}

static struct child_state *cs;

static void kill_child_main(unsigned int i, int ready)
{
	struct bifurc_opts o = { .size = sizeof(o), .rx_desc = 64,
				 .buf_count = 256 };
	struct bifurc_pkt pkts[64];
	struct app a;
	int err, n, j;

	/* every other child also owns the TX queue: that teardown too */
	if (i & 1)
		o.flags = BIFURC_OPT_TX;
	cs->t_child = now();
	err = bifurc_open(&a.q, ifname, queue, &o);
	cs->t_opened = now();
	if (!err) {
		a.rule = bifurc_flow_add(a.q, &(struct bifurc_flow){
			.size = sizeof(struct bifurc_flow),
			.proto = IPPROTO_UDP, .dst_port = htons(flood_port) });
		err = a.rule < 0 ? a.rule : 0;
	}
	if (err) {
		STORE(cs->err, err);
		_exit(1);
	}
	cs->t_attached = now();
	STORE(cs->attached, 1);
	for (;;) {
		n = bifurc_rx_burst(a.q, pkts, ARRAY_SIZE(pkts));
		if (n < 0) {
			STORE(cs->err, n);
			_exit(1);
		}
		if (n == 0) {
			bifurc_wait(a.q, 100);
			continue;
		}
		for (j = 0; j < n; j++)
			if (is_flood(pkts[j].data, pkts[j].len) &&
			    ADD(cs->got, 1) == FRAMES_OK - 1) {
				cs->t_flood = now();
				if (write(ready, "", 1) < 0)
					_exit(1);
			}
		bifurc_rx_release(a.q, pkts, n);
	}
}

/*
 * kill -9 (or, CLOSE, a clean close) of an app mid-traffic. Each iteration
 * is its own child, so the attach path is exercised every time.
 */
static void fault_kill(struct loop *l, bool graceful)
{
	double attach_sum = 0, t0, t_kill = 0, t_reaped = 0;
	unsigned int attach_n = 0, i;
	int ready[2];
	struct kill_times kt;
	pid_t pid;
	int st;

	memset(&kt, 0, sizeof(kt));
	cs = mmap(NULL, sizeof(*cs), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cs == MAP_FAILED) {
		fail(l, "mmap: %s", strerror(errno));
		return;
	}
	for (i = 0; i < l->iters; i++) {
		/*
		 * One kill in four lands during the attach, at a random
		 * point of its average duration, once that is known.
		 */
		bool early = !graceful && attach_n >= 4 && rnd() % 4 == 0;

		memset(cs, 0, sizeof(*cs));
		/* the child says "got the flood" here; EOF if it dies */
		if (pipe2(ready, O_CLOEXEC)) {
			fail(l, "pipe: %s", strerror(errno));
			break;
		}
		fflush(stdout);
		t0 = now();
		pid = fork();
		if (pid == 0) {
			/* an app that loops forever must not outlive us */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(ready[0]);
			if (!graceful)
				kill_child_main(i, ready[1]);
			else {
				struct bifurc_opts o = {
					.size = sizeof(o), .rx_desc = 64,
					.buf_count = 256 };
				struct app a;
				int e = app_open(&a, &o);

				if (!e)
					e = app_recv(&a, FRAMES_OK,
						     RECV_TIMEOUT);
				if (!e)
					STORE(cs->got, a.got);
				/* the flood is still arriving */
				app_close(&a);
				_exit(e ? 1 : 0);
			}
		}
		close(ready[1]);
		if (pid < 0) {
			close(ready[0]);
			fail(l, "fork: %s", strerror(errno));
			break;
		}
		if (graceful) {
			st = reap(pid);
			l->done++;
			if (st == 0) {
				l->reattach_ok++;
				l->err_ok++;
				l->app_frames += cs->got;
			} else {
				fail(l, "iteration %u: the app failed (%d)",
				     i, st);
			}
		} else if (early) {
			double avg = attach_sum / attach_n;

			msleep((unsigned int)(avg * 1200.0 *
					      (rnd() % 1000) / 1000.0));
			kill(pid, SIGKILL);
			st = reap(pid);
			l->done++;
			l->early++;
			l->err_ok++;
			if (st != 128 + SIGKILL && LOAD(cs->err))
				fail(l, "iteration %u: attach failed: %s", i,
				     strerror(-cs->err));
		} else {
			struct pollfd p = { .fd = ready[0], .events = POLLIN };
			bool gone = false;
			char c;

			if (poll(&p, 1, RECV_TIMEOUT * 1000) == 1 &&
			    read(ready[0], &c, 1) == 0)
				gone = waitpid(pid, &st, 0) == pid;
			if (LOAD(cs->attached)) {
				attach_sum += cs->t_attached - t0;
				attach_n++;
			}
			if (!gone) {
				/* a random point of the traffic: 0-20 ms on */
				msleep(rnd() % 21);
				t_kill = now();
				kill(pid, SIGKILL);
				reap(pid);
			}
			t_reaped = now();
			l->done++;
			l->err_ok++;
			l->app_frames += LOAD(cs->got);
			if (LOAD(cs->got) >= FRAMES_OK) {
				l->reattach_ok++;
				kt.n++;
				kt_add(&kt.fork, &kt.fork_max,
				       cs->t_child - t0);
				kt_add(&kt.open, &kt.open_max,
				       cs->t_opened - cs->t_child);
				kt_add(&kt.rule, &kt.rule_max,
				       cs->t_attached - cs->t_opened);
				kt_add(&kt.flood, &kt.flood_max,
				       cs->t_flood - cs->t_attached);
				kt_add(&kt.exit, &kt.exit_max,
				       t_reaped - t_kill);
			} else
				fail(l, "iteration %u: the app %s", i,
				     cs->err ? strerror(-cs->err) :
				     LOAD(cs->attached) ?
				     "did not receive the flood" :
				     "did not attach");
		}
		/*
		 * The file was released when the process died, before its
		 * parent could reap it: the queue is free now.
		 */
		if (!none_attached()) {
			l->late++;
			if (!wait_detached(5)) {
				fail(l, "iteration %u: still attached 5 s "
				     "after the app died", i);
				break;
			}
		}
		if (rule_count() != l->rules_before) {
			fail(l, "iteration %u: %d ntuple rules, %d before", i,
			     rule_count(), l->rules_before);
			break;
		}
		close(ready[0]);
		if (!graceful && !early)
			kt_add(&kt.check, &kt.check_max, now() - t_reaped);
		if (l->failed)
			break;
	}
	munmap(cs, sizeof(*cs));
	if (kt.n)
		msg("%s: per iteration, mean/max ms: fork %.0f/%.0f, "
		    "bifurc_open %.0f/%.0f, flow rule %.0f/%.0f, %u flood "
		    "frames %.0f/%.0f, kill to reaped %.0f/%.0f, checks "
		    "%.0f/%.0f", l->name,
		    kt.fork * 1e3 / kt.n, kt.fork_max * 1e3,
		    kt.open * 1e3 / kt.n, kt.open_max * 1e3,
		    kt.rule * 1e3 / kt.n, kt.rule_max * 1e3, FRAMES_OK,
		    kt.flood * 1e3 / kt.n, kt.flood_max * 1e3,
		    kt.exit * 1e3 / kt.n, kt.exit_max * 1e3,
		    kt.check * 1e3 / kt.n, kt.check_max * 1e3);
	if (graceful)
		snprintf(l->outcome, sizeof(l->outcome), "closed");
	else
		snprintf(l->outcome, sizeof(l->outcome),
			 "killed (%u mid-attach)", l->early);
}

static void fault_kill9(struct loop *l)
{
	fault_kill(l, false);
}

static void fault_close(struct loop *l)
{
	fault_kill(l, true);
}

/*
 * The app never refills: it takes every completion and gives nothing
 * back. The NIC must drop the flood on that queue alone (DROP_EN), and
 * count it; nothing dies. Giving the buffers back revives the queue.
 */
static void fault_exhaust(struct loop *l)
{
	struct bifurc_opts o = { .size = sizeof(o), .rx_desc = 64,
				 .buf_count = 256 };
	struct bifurc_pkt *held;
	struct bifurc_stats st;
	unsigned int i, nheld;
	struct app a;
	double end;
	int n, e;

	held = calloc(o.buf_count, sizeof(*held));
	if (!held) {
		fail(l, "out of memory");
		return;
	}
	for (i = 0; i < l->iters && !l->failed; i++) {
		e = app_open(&a, &o);
		if (e) {
			fail(l, "iteration %u: attach: %s", i, strerror(-e));
			break;
		}
		nheld = 0;
		end = now() + 30;
		/* hold everything until the NIC has dropped for a while */
		for (;;) {
			n = 0;
			if (nheld < o.buf_count)
				n = bifurc_rx_burst(a.q, held + nheld,
						    o.buf_count - nheld);
			if (n < 0)
				break;
			nheld += n;
			if (nheld == o.buf_count &&
			    !bifurc_stats(a.q, &st) && st.rx_no_buf >= 32)
				break;
			if (now() > end)
				break;
			if (n == 0)
				bifurc_wait(a.q, 100);
		}
		e = bifurc_stats(a.q, &st);
		l->done++;
		if (n < 0 || e) {
			fail(l, "iteration %u: the app saw %s", i,
			     strerror(-(n < 0 ? n : e)));
		} else if (nheld != o.buf_count || st.rx_no_buf < 32) {
			fail(l, "iteration %u: holds %u/%u buffers, "
			     "rx_no_buf %llu", i, nheld, o.buf_count,
			     (unsigned long long)st.rx_no_buf);
		} else {
			l->err_ok++;
			snprintf(l->outcome, sizeof(l->outcome),
				 "no error, rx_no_buf+");
		}
		for (n = 0; n < (int)nheld; n++)
			if (is_flood(held[n].data, held[n].len))
				l->app_frames++;
		/* give everything back: the flood flows again, same file */
		e = bifurc_rx_release(a.q, held, nheld);
		if (!e)
			e = app_recv(&a, FRAMES_OK, RECV_TIMEOUT);
		if (e)
			fail(l, "iteration %u: after release: %s", i,
			     strerror(-e));
		else
			l->reattach_ok++;
		l->app_frames += a.got;
		l->app_other += a.other;
		app_close(&a);
		if (!none_attached())
			fail(l, "iteration %u: attached after close", i);
	}
	free(held);
}

/*
 * rmmod while attached: the open file pins the module, so the unload must
 * fail with EWOULDBLOCK and leave the attachment alone. The system call
 * is made directly: rmmod(8) gives up in user space on a non-zero refcnt
 * and would never reach the kernel's check.
 */
static void fault_rmmod(struct loop *l)
{
	struct app a;
	char buf[32];
	unsigned int i;
	int e;

	e = app_open(&a, &resident);
	if (!e)
		e = app_recv(&a, FRAMES_OK, RECV_TIMEOUT);
	if (e) {
		fail(l, "attach: %s", strerror(-e));
		if (a.q)
			app_close(&a);
		return;
	}
	for (i = 0; i < l->iters; i++) {
		/* a zero refcnt here would unload the driver for real */
		if (read_file("/sys/module/ixgbe/refcnt", buf, sizeof(buf)) ||
		    atoi(buf) < 1) {
			fail(l, "ixgbe refcnt %s with a file open", buf);
			break;
		}
		l->done++;
		e = syscall(SYS_delete_module, "ixgbe", O_NONBLOCK) ? -errno :
		    0;
		if (e != -EWOULDBLOCK) {
			fail(l, "delete_module: %s, want EWOULDBLOCK",
			     e ? strerror(-e) : "success");
			break;
		}
		l->err_ok++;
		snprintf(l->outcome, sizeof(l->outcome),
			 "rmmod EWOULDBLOCK");
		e = app_recv(&a, FRAMES_OK, RECV_TIMEOUT);
		if (e) {
			fail(l, "iteration %u: the app then saw %s", i,
			     strerror(-e));
			break;
		}
		l->reattach_ok++;
	}
	l->app_frames += a.got;
	l->app_other += a.other;
	app_close(&a);
}

/* ---- reconfiguring faults --------------------------------------------- */

/*
 * A reconfiguring fault: disrupt() does it, restore() (if any) undoes it.
 * attach_err is what a fresh attach in between must fail with (0: not
 * tried). expect is what the attached app must see; 0 means "may
 * survive".
 */
struct reconf {
	int (*pre)(struct loop *l, struct app *a, unsigned int i);
	int (*disrupt)(unsigned int i);
	int (*restore)(unsigned int i);
	int attach_err;
	int expect;
};

static unsigned int orig_channels, orig_rx_ring;
static int orig_mtu;
static bool have_debugfs;

static int down_disrupt(unsigned int i)
{
	(void)i;
	return if_updown(false);
}

static int down_restore(unsigned int i)
{
	(void)i;
	return if_updown(true);
}

static int channels_disrupt(unsigned int i)
{
	unsigned int n = orig_channels - 1;

	(void)i;
	return channels(&n, true);
}

/*
 * ethtool -L may not strand an ntuple rule: the ethtool core refuses a
 * channel count at or below the highest queue a rule steers to (EINVAL,
 * "requested channel counts are too low for existing ntuple filter
 * settings"). While the app's rule exists, the fault is refused and the
 * app is unaffected. Then the app drops its rule, and the channel really
 * goes away under it.
 */
static int channels_pinned(struct loop *l, struct app *a, unsigned int i)
{
	unsigned int n = orig_channels - 1;
	int e;

	e = channels(&n, true);
	if (e != -EINVAL) {
		fail(l, "iteration %u: ethtool -L %u with the app's rule on "
		     "queue %u: %s, want EINVAL", i, n, queue,
		     e ? strerror(-e) : "success");
		return e ? e : -EPROTO;
	}
	e = app_recv(a, FRAMES_OK, RECV_TIMEOUT);
	if (e) {
		fail(l, "iteration %u: after the refused ethtool -L: %s", i,
		     strerror(-e));
		return e;
	}
	e = bifurc_flow_del(a->q, a->rule);
	if (e) {
		fail(l, "iteration %u: flow_del: %s", i, strerror(-e));
		return e;
	}
	a->rule = -1;
	return 0;
}

static int channels_restore(unsigned int i)
{
	unsigned int n = orig_channels;

	(void)i;
	return channels(&n, true);
}

/* 512 <-> 256: one reset per iteration, any parity */
static int rings_disrupt(unsigned int i)
{
	unsigned int cur, n;
	int e;

	(void)i;
	e = rx_ring(&cur, false);
	if (e)
		return e;
	n = cur == 256 ? 512 : 256;
	return rx_ring(&n, true);
}

static int reset_disrupt(unsigned int i)
{
	char path[PATH_MAX];
	struct drv d0, d1;
	double end;
	int e, mtu;

	(void)i;
	if (!have_debugfs) {
		/* ixgbe_change_mtu() resets a running adapter */
		e = if_mtu(&mtu, false);
		if (e)
			return e;
		mtu = mtu == orig_mtu ? orig_mtu - 100 : orig_mtu;
		return if_mtu(&mtu, true);
	}
	/*
	 * ndo_tx_timeout -> __IXGBE_RESET_REQUESTED -> the service task's
	 * ixgbe_reset_subtask() -> ixgbe_reinit_locked(): the path a real
	 * hang takes. It is asynchronous; tx_timeout_count goes up under
	 * RTNL together with the reinit, and ETHTOOL_GSTATS takes RTNL, so
	 * once the count has moved the reset is over.
	 */
	e = driver_stats(&d0);
	if (e)
		return e;
	snprintf(path, sizeof(path), "/sys/kernel/debug/ixgbe/%s/netdev_ops",
		 dev.pci);
	e = write_file(path, "tx_timeout");
	if (e)
		return e;
	end = now() + 20;
	do {
		msleep(20);
		e = driver_stats(&d1);
	} while (!e && d1.tx_timeout_count == d0.tx_timeout_count &&
		 now() < end);
	if (e)
		return e;
	return d1.tx_timeout_count == d0.tx_timeout_count ? -ETIMEDOUT : 0;
}

static int flap(bool up)
{
	int e;

	e = host(NULL, 0, "set_link %s %s", nic, up ? "on" : "off");
	if (e)
		return e;
	/* the driver notices the carrier in its service task */
	return wait_running(up, LINK_TIMEOUT) ? 0 : -ETIMEDOUT;
}

static int flap_disrupt(unsigned int i)
{
	(void)i;
	return flap(false);
}

static int flap_restore(unsigned int i)
{
	(void)i;
	return flap(true);
}

/*
 * -v: where a loop's pages and datagrams go, iteration by iteration. The
 * loss is provisional (datagrams may still be in flight).
 */
static void iter_report(struct loop *l, const char *what, unsigned int i,
			uint32_t a, uint32_t b)
{
	struct mem m;

	if (!verbose)
		return;
	mem_read(&m);
	msg("%s %s %u: udp lost %llu/%u; pool pages %ld, free %ld slab %ld, "
	    "not free nor slab %+ld since the loop began", l->name, what, i,
	    (unsigned long long)udp_missing(a, b), b - a, m.pool, m.free,
	    m.slab, (l->before.free - m.free) - (m.slab - l->before.slab));
}

/* One iteration without an app: what the reconfiguration itself costs. */
static int reconf_baseline(struct loop *l, const struct reconf *r,
			   unsigned int i)
{
	uint32_t a = seq_now(), b;
	int e;

	e = r->disrupt(i);
	if (!e && r->restore)
		e = r->restore(i);
	if (e) {
		fail(l, "baseline %u: %s", i, strerror(-e));
		return e;
	}
	if (!wait_running(true, LINK_TIMEOUT)) {
		fail(l, "baseline %u: no carrier after %.0f s", i,
		     LINK_TIMEOUT);
		return -ETIMEDOUT;
	}
	if (!udp_flowing(LINK_TIMEOUT)) {
		fail(l, "baseline %u: the kernel UDP flow did not resume", i);
		flow_diag();
		return -ETIMEDOUT;
	}
	b = seq_now();
	win_add(l, true, a, b);
	iter_report(l, "baseline", i, a, b);
	return 0;
}

/*
 * One iteration with the app attached and receiving. Do the fault, see the
 * app get its error (or survive), undo the fault, close, attach again, and
 * receive the flood.
 */
static int reconf_iter(struct loop *l, const struct reconf *r, unsigned int i,
		       struct app *a)
{
	char why[160];
	uint32_t s0 = seq_now(), s1;
	bool kept = false;
	struct app b;
	int e;

	l->done++;
	if (r->pre) {
		e = r->pre(l, a, i);
		if (e)
			return e;
	}
	e = r->disrupt(i);
	if (e) {
		fail(l, "iteration %u: the fault itself failed: %s", i,
		     strerror(-e));
		return e;
	}
	if (r->expect) {
		if (app_sees_dead(a, r->expect, 20, why, sizeof(why)))
			l->err_ok++;
		else
			fail(l, "iteration %u: %s", i, why);
		snprintf(l->outcome, sizeof(l->outcome), "%s%s%s%s",
			 errname(r->expect), r->attach_err ? ", attach " : "",
			 r->attach_err ? errname(r->attach_err) : "",
			 r->pre ? " (*)" : "");
	} else {
		/*
		 * A carrier loss: no frame arrives while the link is down,
		 * and the attachment either stays (STATS answers; frames come
		 * back once the link does, checked below) or is reset.
		 */
		struct bifurc_stats st;

		e = bifurc_stats(a->q, &st);
		if (!e) {
			l->err_ok++;
			kept = true;
			if (!strstr(l->outcome, "kept"))
				snprintf(l->outcome + strlen(l->outcome),
					 sizeof(l->outcome) -
					 strlen(l->outcome), "%skept running",
					 l->outcome[0] ? "/" : "");
		} else if (app_sees_dead(a, -ENETRESET, 20, why,
					 sizeof(why))) {
			l->err_ok++;
			if (!strstr(l->outcome, "ENETRESET"))
				snprintf(l->outcome + strlen(l->outcome),
					 sizeof(l->outcome) -
					 strlen(l->outcome), "%sENETRESET",
					 l->outcome[0] ? "/" : "");
		} else {
			fail(l, "iteration %u: with the carrier down: %s", i,
			     why);
		}
	}
	if (r->attach_err) {
		/* a new attach gets the same clear answer while it lasts */
		memset(&b, 0, sizeof(b));
		e = app_open(&b, &resident);
		if (!e)
			app_close(&b);
		if (e != r->attach_err)
			fail(l, "iteration %u: attach during the fault: %s, "
			     "want %s", i, e ? strerror(-e) : "success",
			     strerror(-r->attach_err));
	}
	if (r->restore) {
		e = r->restore(i);
		if (e) {
			fail(l, "iteration %u: undoing the fault: %s", i,
			     strerror(-e));
			return e;
		}
	}
	if (!wait_running(true, LINK_TIMEOUT)) {
		fail(l, "iteration %u: no carrier after %.0f s", i,
		     LINK_TIMEOUT);
		return -ETIMEDOUT;
	}
	/* an attachment that outlived the carrier loss receives again */
	if (kept) {
		e = app_recv(a, FRAMES_OK, RECV_TIMEOUT);
		if (e)
			fail(l, "iteration %u: attachment kept, but no frames "
			     "after the link came back: %s", i, strerror(-e));
	}
	l->app_frames += a->got;
	l->app_other += a->other;
	app_close(a);
	if (!none_attached())
		fail(l, "iteration %u: still attached after close", i);
	if (rule_count() != l->rules_before)
		fail(l, "iteration %u: %d ntuple rules, %d before", i,
		     rule_count(), l->rules_before);
	e = app_open(a, &resident);
	if (!e)
		e = app_recv(a, FRAMES_OK, RECV_TIMEOUT);
	if (e) {
		fail(l, "iteration %u: attach again: %s", i, strerror(-e));
		return e;
	}
	l->reattach_ok++;
	if (!udp_flowing(LINK_TIMEOUT)) {
		fail(l, "iteration %u: the kernel UDP flow did not resume", i);
		flow_diag();
		return -ETIMEDOUT;
	}
	s1 = seq_now();
	win_add(l, false, s0, s1);
	iter_report(l, "with app", i, s0, s1);
	return 0;
}

static void run_reconf(struct loop *l, const struct reconf *r)
{
	struct app a;
	unsigned int i;
	int e;

	l->has_base = true;
	for (i = 0; i < l->iters; i++)
		if (reconf_baseline(l, r, i))
			return;
	memset(&a, 0, sizeof(a));
	e = app_open(&a, &resident);
	if (!e)
		e = app_recv(&a, FRAMES_OK, RECV_TIMEOUT);
	if (e) {
		fail(l, "attach: %s", strerror(-e));
		if (a.q)
			app_close(&a);
		return;
	}
	for (i = 0; i < l->iters; i++)
		if (reconf_iter(l, r, i, &a))
			break;
	if (a.q) {
		l->app_frames += a.got;
		l->app_other += a.other;
		app_close(&a);
	}
}

static void fault_flap(struct loop *l)
{
	static const struct reconf r = {
		.disrupt = flap_disrupt, .restore = flap_restore,
		.expect = 0,
	};

	run_reconf(l, &r);
	/* a failed iteration must not leave the wire unplugged */
	if (!running())
		flap(true);
}

static void fault_down(struct loop *l)
{
	static const struct reconf r = {
		.disrupt = down_disrupt, .restore = down_restore,
		.attach_err = -ENETDOWN, .expect = -ENETRESET,
	};

	run_reconf(l, &r);
	if (!running()) {
		if_updown(true);
		wait_running(true, LINK_TIMEOUT);
	}
}

static void fault_channels(struct loop *l)
{
	static const struct reconf r = {
		.pre = channels_pinned,
		.disrupt = channels_disrupt, .restore = channels_restore,
		.attach_err = -ERANGE, .expect = -ENETRESET,
	};
	unsigned int n;

	if (channels(&orig_channels, false) || orig_channels < 2 ||
	    queue != orig_channels - 1) {
		l->skipped = true;
		snprintf(l->why, sizeof(l->why),
			 "needs the last of >= 2 channels reserved");
		return;
	}
	run_reconf(l, &r);
	if (!channels(&n, false) && n != orig_channels) {
		n = orig_channels;
		channels(&n, true);
		wait_running(true, LINK_TIMEOUT);
	}
}

static void fault_rings(struct loop *l)
{
	static const struct reconf r = {
		.disrupt = rings_disrupt, .expect = -ENETRESET,
	};
	unsigned int cur;

	if (rx_ring(&orig_rx_ring, false)) {
		fail(l, "ETHTOOL_GRINGPARAM failed");
		return;
	}
	run_reconf(l, &r);
	/* back to where it was, outside the measured windows */
	if (!rx_ring(&cur, false) && cur != orig_rx_ring) {
		cur = orig_rx_ring;
		rx_ring(&cur, true);
		wait_running(true, LINK_TIMEOUT);
	}
}

static void fault_reset(struct loop *l)
{
	static const struct reconf r = {
		.disrupt = reset_disrupt, .expect = -ENETRESET,
	};
	int mtu;

	if_mtu(&orig_mtu, false);
	run_reconf(l, &r);
	l->label = have_debugfs ? "adapter reset (tx_timeout)" :
		   "adapter reset (MTU)";
	if (!have_debugfs && !if_mtu(&mtu, false) && mtu != orig_mtu) {
		mtu = orig_mtu;
		if_mtu(&mtu, true);
		wait_running(true, LINK_TIMEOUT);
	}
}

/* ---- the table of faults ----------------------------------------------- */

struct fault {
	const char *name;
	const char *label;
	void (*run)(struct loop *l);
	int kind;		/* iterations: 0 KILL, 1 CLOSE, 2 the rest */
	bool zero_loss;		/* does not reconfigure the NIC */
};

static const struct fault faults[] = {
	{ "KILL9", "kill -9", fault_kill9, 0, true },
	{ "CLOSE", "close", fault_close, 1, true },
	{ "POOL_EXHAUST", "pool exhaustion", fault_exhaust, 2, true },
	{ "RMMOD_BUSY", "rmmod ixgbe", fault_rmmod, 2, true },
	{ "LINK_FLAP", "link flap (QEMU)", fault_flap, 2, false },
	{ "DOWN_UP", "ip link down/up", fault_down, 2, false },
	{ "CHANNELS", "ethtool -L", fault_channels, 2, false },
	{ "RINGS", "ethtool -G", fault_rings, 2, false },
	{ "RESET", "adapter reset", fault_reset, 2, false },
};

static uint64_t max_missing(const uint32_t *a, const uint32_t *b,
			    unsigned int n, uint64_t *sum, uint64_t *sent)
{
	uint64_t m = 0, x;
	unsigned int i;

	*sum = *sent = 0;
	for (i = 0; i < n; i++) {
		x = udp_missing(a[i], b[i]);
		*sum += x;
		*sent += b[i] - a[i];
		if (x > m)
			m = x;
	}
	return m;
}

/* Loss of the whole loop's windows once the flow has moved past them. */
static void account_loss(struct loop *l, bool zero_loss)
{
	uint64_t bound;
	int i;

	/*
	 * Late is not lost: under make check's load a debug guest once
	 * delivered 39 datagrams of a loop after 5 s (they were counted lost
	 * and then arrived).  A lost datagram never arrives, so waiting
	 * longer hides nothing.
	 */
	udp_flowing(30);
	if (zero_loss) {
		for (i = 0; i < 50 && udp_missing(l->seq_start, l->seq_end);
		     i++)
			msleep(200);
		l->lost = udp_missing(l->seq_start, l->seq_end);
		l->sent = l->seq_end - l->seq_start;
		l->lost_max = l->lost;
		if (l->lost)
			fail(l, "the kernel UDP flow lost %llu of %llu "
			     "(bound 0: nothing was reconfigured)",
			     (unsigned long long)l->lost,
			     (unsigned long long)l->sent);
		return;
	}
	l->lost_max = max_missing(l->win_a, l->win_b, l->nwin, &l->lost,
				  &l->sent);
	l->base_lost_max = max_missing(l->bwin_a, l->bwin_b, l->nbwin,
				       &l->base_lost, &l->base_sent);
	/*
	 * Twice the worst baseline iteration, plus 0.5 s of the flow: the
	 * link comes back when ixgbe's service task next polls it, so two
	 * runs of the same fault differ by up to a polling interval.
	 */
	bound = 2 * l->base_lost_max + udp_rate / 2;
	if (l->lost_max > bound)
		fail(l, "the kernel UDP flow lost %llu in one iteration with "
		     "the app, bound %llu (baseline worst %llu)",
		     (unsigned long long)l->lost_max,
		     (unsigned long long)bound,
		     (unsigned long long)l->base_lost_max);
}

/*
 * Pages that left the free lists and are not slab pages either: a leaked
 * pool lands here (and so do page tables and kernel stacks). Slab pages
 * move with KASAN's quarantine, which holds freed objects, and so their
 * pages, for a while. 100 forks and exits push a couple of MiB into it,
 * and the pages come back when it drains. Those moves show up as free
 * pages one way and slab the other, so they cancel here. What is left
 * varied by -50..+214 pages from loop to loop in the debug guest. The
 * slab's own growth is judged separately, loosely; kmemleak is the check
 * that finds a leaked object.
 */
static long leaked_pages(const struct loop *l)
{
	return (l->before.free - l->after.free) -
	       (l->after.slab - l->before.slab);
}

/* The vmstat counters that moved most between two readings. */
static void mem_diff(const char *name, const struct mem *a,
		     const struct mem *b)
{
	char out[512];
	size_t len = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < a->n && i < b->n && len < sizeof(out) - 64; i++) {
		long d = b->val[i] - a->val[i];

		if (strcmp(a->name[i], b->name[i]) || (d < 64 && d > -64))
			continue;
		len += snprintf(out + len, sizeof(out) - len, " %s %+ld",
				a->name[i], d);
	}
	msg("%s: per-CPU free lists %+ld; vmstat moves over 64:%s", name,
	    b->pcp - a->pcp, out[0] ? out : " none");
}

/* Exact: bifurc's pages; coarse: the rest of the kernel's memory. */
static void account_leaks(struct loop *l)
{
	if (l->before.pool < 0 || l->after.pool < 0)
		fail(l, "no bifurc_pages (" BIFURC_PAGES_FILE ")");
	else if (l->after.pool != l->before.pool)
		fail(l, "bifurc pool pages %ld -> %ld with no app attached",
		     l->before.pool, l->after.pool);
	if (l->before.free < 0 || l->after.free < 0)
		return;
	if (leaked_pages(l) > FREE_TOL)
		mem_diff(l->name, &l->before, &l->after);
	if (leaked_pages(l) > FREE_TOL)
		fail(l, "%ld pages neither free nor slab any more (free %ld -> "
		     "%ld, slab %ld -> %ld, tolerance %d)", leaked_pages(l),
		     l->before.free, l->after.free, l->before.slab,
		     l->after.slab, FREE_TOL);
	if (l->after.slab - l->before.slab > SLAB_TOL)
		fail(l, "slab pages %ld -> %ld (tolerance %d)",
		     l->before.slab, l->after.slab, SLAB_TOL);
}

/* The driver's own counters agree with what the apps saw. */
static void account_driver(struct loop *l)
{
	struct drv *a = &l->dbefore, *b = &l->dafter;

	if (!a->found || !b->found) {
		fail(l, "ethtool -S lists no bifurc_q%u_* counters", queue);
		return;
	}
	if (b->rx_bad_id != a->rx_bad_id || b->tx_bad_id != a->tx_bad_id ||
	    b->tx_bad_frame != a->tx_bad_frame || b->tx_packets != a->tx_packets)
		fail(l, "driver counters moved: rx_bad_id %llu->%llu "
		     "tx_packets %llu->%llu tx_bad_id %llu->%llu",
		     (unsigned long long)a->rx_bad_id,
		     (unsigned long long)b->rx_bad_id,
		     (unsigned long long)a->tx_packets,
		     (unsigned long long)b->tx_packets,
		     (unsigned long long)a->tx_bad_id,
		     (unsigned long long)b->tx_bad_id);
	if (b->rx_packets < a->rx_packets + l->app_frames)
		fail(l, "driver rx_packets +%llu, the apps counted %llu",
		     (unsigned long long)(b->rx_packets - a->rx_packets),
		     (unsigned long long)l->app_frames);
	if (l->app_other)
		fail(l, "%llu frames not of the steered flow reached the app",
		     (unsigned long long)l->app_other);
}

static void run_loop(const struct fault *f, struct loop *l)
{
	double t0 = now();
	int i;

	kmsg_mark();
	mem_read(&l->before);
	driver_stats(&l->dbefore);
	l->rules_before = rule_count();
	l->seq_start = seq_now();
	f->run(l);
	l->seq_end = seq_now();
	if (l->skipped)
		return;
	if (!none_attached() && !wait_detached(5))
		fail(l, "a queue is still attached after the loop");
	l->rules_after = rule_count();
	if (l->rules_after != l->rules_before)
		fail(l, "ntuple rules %d -> %d", l->rules_before,
		     l->rules_after);
	account_loss(l, f->zero_loss);
	l->tcp_ok = tcp_caught_up(60, &l->tcp_took);
	if (!l->tcp_ok)
		fail(l, "TCP stream: sent %llu, received %llu, %llu bad "
		     "bytes, errors %d/%d", (unsigned long long)fl->tcp_sent,
		     (unsigned long long)fl->tcp_recv,
		     (unsigned long long)fl->tcp_bad, fl->tcp_tx_err,
		     fl->tcp_rx_err);
	driver_stats(&l->dafter);
	account_driver(l);
	mem_read(&l->after);
	/*
	 * Memory freed through RCU callbacks, workqueues or lazy purges comes
	 * back late, and grace periods are slow in a TCG guest; so does an
	 * attachment whose last fput was deferred to a workqueue. A real leak
	 * stays; give the rest up to 5 s to come back.
	 */
	for (i = 0; i < 5 && (leaked_pages(l) > FREE_TOL ||
			      l->after.pool != l->before.pool); i++) {
		msg("%s: pool pages %ld -> %ld, %ld pages neither free nor "
		    "slab; reading again in 1 s", l->name, l->before.pool,
		    l->after.pool, leaked_pages(l));
		mem_diff(l->name, &l->before, &l->after);
		msleep(1000);
		mem_read(&l->after);
	}
	account_leaks(l);
	l->splats = kmsg_splats();
	if (l->splats)
		fail(l, "%u kernel splats", l->splats);
	if (l->done < l->iters)
		fail(l, "%u of %u iterations ran", l->done, l->iters);
	l->seconds = now() - t0;
}

/* ---- the end: TCP, kmemleak, the table ---------------------------------- */

static int kmemleak_scan(void)
{
	char buf[65536];
	const char *p;
	int n = 0, fd;
	ssize_t len;

	/* as testbed/guest/init.sh: objects younger than 5 s are skipped */
	sleep(6);
	if (write_file("/sys/kernel/debug/kmemleak", "scan") ||
	    write_file("/sys/kernel/debug/kmemleak", "scan"))
		return -1;
	fd = open("/sys/kernel/debug/kmemleak", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = '\0';
	for (p = buf; (p = strstr(p, "unreferenced object")); p++)
		n++;
	if (n)
		msg("kmemleak: %.*s", (int)(strchr(buf, '\n') ?
				  strchr(buf, '\n') - buf : 0), buf);
	return n;
}

static void print_table(struct loop *loops, unsigned int n, int leaks,
			bool tcp_ok)
{
	unsigned int i;

	msg("%-27s %5s %-34s %9s %13s %13s %4s %10s %15s %11s %5s %6s %4s",
	    "fault", "iters", "app saw", "re-attach", "udp lost/sent",
	    "baseline", "tcp", "pool pages", "free pages", "slab pages",
	    "leak", "splats", "secs");
	for (i = 0; i < n; i++) {
		struct loop *l = &loops[i];
		char it[16], re[16], lost[32], base[32], pp[32], fp[32];
		char sp[32];
		char saw[80];

		if (!l->name)
			continue;
		if (l->skipped) {
			msg("%-27s skipped: %s", l->label, l->why);
			continue;
		}
		snprintf(it, sizeof(it), "%u", l->done);
		snprintf(saw, sizeof(saw), "%u/%u %s", l->err_ok, l->done,
			 l->outcome[0] ? l->outcome : "-");
		snprintf(re, sizeof(re), "%u/%u", l->reattach_ok,
			 l->done - l->early);
		snprintf(lost, sizeof(lost), "%llu/%llu",
			 (unsigned long long)l->lost,
			 (unsigned long long)l->sent);
		if (l->has_base)
			snprintf(base, sizeof(base), "%llu/%llu",
				 (unsigned long long)l->base_lost,
				 (unsigned long long)l->base_sent);
		else
			snprintf(base, sizeof(base), "- (bound 0)");
		snprintf(pp, sizeof(pp), "%ld/%ld", l->before.pool,
			 l->after.pool);
		snprintf(fp, sizeof(fp), "%ld/%ld", l->before.free,
			 l->after.free);
		snprintf(sp, sizeof(sp), "%ld/%ld", l->before.slab,
			 l->after.slab);
		msg("%-27s %5s %-34s %9s %13s %13s %4s %10s %15s %11s %5ld "
		    "%6u %4.0f", l->label, it, saw, re, lost, base,
		    l->tcp_ok ? "ok" : "FAIL", pp, fp, sp, leaked_pages(l),
		    l->splats, l->seconds);
	}
	msg("app saw: iterations in which the app saw what the uapi "
	    "promises / iterations, and what it was");
	msg("udp lost/sent: the kernel flow's datagrams lost in the fault "
	    "windows, with the app; baseline: the same fault without an app");
	msg("kill -9: re-attach counts the children that attached and got "
	    "the flood after the one before was killed; those killed "
	    "mid-attach are not in it");
	msg("(*) first, while the app's rule steered to the queue, ethtool "
	    "-L was refused with EINVAL and the app kept receiving");
	msg("pool pages: debugfs ixgbe/bifurc_pages before/after the loop, "
	    "what bifurc attachments hold (pools, descriptor rings); must "
	    "come back exactly");
	msg("free pages: nr_free_pages + per-CPU lists, page cache dropped; "
	    "slab: reclaimable + unreclaimable (KASAN quarantine included); "
	    "leak: pages neither free nor slab after the loop that were "
	    "before (tolerance %d)", FREE_TOL);
	if (leaks >= 0)
		msg("kmemleak: %d suspected leaks (whole boot)", leaks);
	else
		msg("kmemleak: not scanned here (-K); the harness scans at "
		    "the end");
	msg("TCP stream end to end: %s, %llu bytes, %llu bad", tcp_ok ?
	    "intact" : "BROKEN", (unsigned long long)fl->tcp_recv,
	    (unsigned long long)fl->tcp_bad);
}

static void flows_stop(void)
{
	if (pid_udp_tx > 0) {
		STORE(fl->stop_udp, 1);
		kill(pid_udp_tx, SIGKILL);
	}
	if (pid_tcp_tx > 0)
		kill(pid_tcp_tx, SIGKILL);
	if (pid_udp_rx > 0)
		kill(pid_udp_rx, SIGKILL);
	if (pid_tcp_rx > 0)
		kill(pid_tcp_rx, SIGKILL);
	reap(pid_udp_tx);
	reap(pid_tcp_tx);
	reap(pid_udp_rx);
	reap(pid_tcp_rx);
	pid_udp_tx = pid_tcp_tx = pid_udp_rx = pid_tcp_rx = 0;
}

/* The stream ends cleanly: every byte sent arrived, in order, intact. */
static bool tcp_finish(void)
{
	double end;

	STORE(fl->stop_tcp, 1);
	end = now() + 60;
	while (!LOAD(fl->tcp_eof) && !LOAD(fl->tcp_rx_err) && now() < end)
		msleep(20);
	if (!LOAD(fl->tcp_eof)) {
		kill(pid_tcp_tx, SIGKILL);
		kill(pid_tcp_rx, SIGKILL);
	}
	reap(pid_tcp_tx);
	reap(pid_tcp_rx);
	pid_tcp_tx = pid_tcp_rx = 0;
	return LOAD(fl->tcp_eof) && LOAD(fl->tcp_recv) == LOAD(fl->tcp_sent) &&
	       !LOAD(fl->tcp_bad) && !LOAD(fl->tcp_tx_err) &&
	       !LOAD(fl->tcp_rx_err);
}

static void cleanup(int sig)
{
	(void)sig;
	if (fl)
		flows_stop();
	_exit(130);
}

static int usage(void)
{
	fprintf(stderr, "usage: bifurc_faults -i IFACE -q QUEUE -P PEER_NS "
		"-a LOCAL_ADDR -p FLOOD_PORT -N NIC [-F FLOOD_RATE] [-k KILLS] "
		"[-n ITERS] [-c CLOSES] [-r RATE] [-s SEED] [-t FAULT,...] "
		"[-K] [-v] [-l]\n");
	return 2;
}

static bool selected(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	if (!list)
		return true;
	for (p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') &&
		    (p[len] == '\0' || p[len] == ','))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned int kills = 100, iters = 3, closes = 10, i, planned = 0;
	unsigned int flood_rate = 300;
	unsigned int passes = 0, fails = 0, skips = 0, num = 0;
	struct loop loops[ARRAY_SIZE(faults)];
	const char *only = NULL;
	bool scan = false, tcp_ok;
	uint64_t in_windows = 0, outside;
	uint32_t first_seq = 0, last_seq = 0;
	int opt, err, leaks = -1;
	double t0 = now();

	rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((opt = getopt(argc, argv, "i:q:P:a:p:N:F:k:n:c:r:s:t:Klv")) != -1) {
		switch (opt) {
		case 'i':
			ifname = optarg;
			break;
		case 'q':
			queue = strtoul(optarg, NULL, 0);
			break;
		case 'P':
			peer_ns = optarg;
			break;
		case 'a':
			local_addr = optarg;
			break;
		case 'p':
			flood_port = strtoul(optarg, NULL, 0);
			break;
		case 'N':
			nic = optarg;
			break;
		case 'F':
			flood_rate = strtoul(optarg, NULL, 0);
			break;
		case 'k':
			kills = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			iters = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			closes = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			udp_rate = strtoul(optarg, NULL, 0);
			break;
		case 's':
			rng = strtoull(optarg, NULL, 0);
			break;
		case 't':
			only = optarg;
			break;
		case 'K':
			scan = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'l':
			for (i = 0; i < ARRAY_SIZE(faults); i++)
				printf("%s\n", faults[i].name);
			return 0;
		default:
			return usage();
		}
	}
	if (!ifname || !peer_ns || !local_addr || !flood_port || !nic ||
	    !udp_rate || udp_rate > 10000 || iters > 64)
		return usage();
	if (!rng)
		rng = 1;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, cleanup);
	signal(SIGTERM, cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (i = 0; i < ARRAY_SIZE(faults); i++)
		planned += selected(only, faults[i].name);
	if (!planned) {
		fprintf(stderr, "no fault named in %s (-l lists them)\n", only);
		return 2;
	}
	/* one line per fault, the kernel flows end to end, kmemleak */
	printf("TAP version 13\n1..%u\n", planned + 2);
	msg("seed 0x%llx (-s repeats the kill schedule)",
	    (unsigned long long)rng);
	err = bifurc_discover(ifname, &dev);
	if (err) {
		printf("Bail out! %s has no bifurc device: %s\n", ifname,
		       strerror(-err));
		return KSFT_FAIL;
	}
	ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	have_debugfs = debugfs();
	msg("%s (%s), queue %u; flood %u/s to port %u (%s); kernel UDP "
	    "%u/s to port %u, TCP to port %u; kill -9 x%u, close x%u, "
	    "others x%u", ifname, dev.pci, queue, flood_rate, flood_port, nic,
	    udp_rate, PORT_UDP, PORT_TCP, kills, closes, iters);
	if (!none_attached()) {
		printf("Bail out! a queue is attached before the first fault\n");
		return KSFT_FAIL;
	}
	if (host_open()) {
		printf("Bail out! no hostctl port: not a test-bed guest\n");
		return KSFT_FAIL;
	}
	err = flood_start(flood_rate);
	if (err) {
		printf("Bail out! the packet source of %s: %s\n", nic,
		       strerror(-err));
		return KSFT_FAIL;
	}
	err = flows_start();
	if (err) {
		flows_stop();
		flood_stop();
		printf("Bail out! the kernel flows do not run: %s\n",
		       strerror(-err));
		return KSFT_FAIL;
	}

	memset(loops, 0, sizeof(loops));
	for (i = 0; i < ARRAY_SIZE(faults); i++) {
		const struct fault *f = &faults[i];
		struct loop *l = &loops[i];

		if (!selected(only, f->name))
			continue;
		l->name = f->name;
		l->label = f->label;
		l->iters = f->kind == 0 ? kills : f->kind == 1 ? closes : iters;
		run_loop(f, l);
		num++;
		if (l->skipped) {
			skips++;
			printf("ok %u %s # SKIP %s\n", num, f->name, l->why);
			continue;
		}
		msg("%s: %u iterations in %.1f s; udp lost %llu/%llu "
		    "(baseline %llu/%llu); pool %ld->%ld free %ld->%ld slab "
		    "%ld->%ld (read in %.1f+%.1f s); app frames %llu; tcp "
		    "caught up in %.1f s", f->name, l->done, l->seconds,
		    (unsigned long long)l->lost, (unsigned long long)l->sent,
		    (unsigned long long)l->base_lost,
		    (unsigned long long)l->base_sent, l->before.pool,
		    l->after.pool, l->before.free,
		    l->after.free, l->before.slab, l->after.slab,
		    l->before.secs, l->after.secs,
		    (unsigned long long)l->app_frames, l->tcp_took);
		msg("%s: driver counters of queue %u: rx_packets +%llu, "
		    "rx_no_buf +%llu, kicks +%llu, rx_bad_id +%llu, "
		    "tx_packets +%llu; rules %d -> %d", f->name, queue,
		    (unsigned long long)(l->dafter.rx_packets -
					 l->dbefore.rx_packets),
		    (unsigned long long)(l->dafter.rx_no_buf -
					 l->dbefore.rx_no_buf),
		    (unsigned long long)(l->dafter.kicks - l->dbefore.kicks),
		    (unsigned long long)(l->dafter.rx_bad_id -
					 l->dbefore.rx_bad_id),
		    (unsigned long long)(l->dafter.tx_packets -
					 l->dbefore.tx_packets),
		    l->rules_before, l->rules_after);
		if (f->kind == 0)
			msg("%s: %u killed during the attach, %u detached "
			    "only after waitpid()", f->name, l->early, l->late);
		if (l->failed) {
			fails++;
			printf("not ok %u %s # %s\n", num, f->name, l->why);
		} else {
			passes++;
			printf("ok %u %s\n", num, f->name);
		}
	}

	/*
	 * Between the fault windows nothing may be lost: not while the apps
	 * attach, not while the memory is settled, not while nothing happens.
	 */
	for (i = 0; i < ARRAY_SIZE(loops); i++) {
		struct loop *l = &loops[i];

		if (!l->name || l->skipped)
			continue;
		if (!first_seq)
			first_seq = l->seq_start;
		last_seq = l->seq_end;
		in_windows += l->lost + l->base_lost;
	}
	outside = udp_missing(first_seq, last_seq) - in_windows;
	tcp_ok = tcp_finish();
	num++;
	if (tcp_ok && !outside && !fl->udp_dup && !fl->udp_bad) {
		passes++;
		printf("ok %u KERNEL_FLOWS\n", num);
	} else if (!tcp_ok) {
		fails++;
		printf("not ok %u KERNEL_FLOWS # TCP: sent %llu received %llu, "
		       "%llu bad, eof %d, errors %d/%d\n", num,
		       (unsigned long long)fl->tcp_sent,
		       (unsigned long long)fl->tcp_recv,
		       (unsigned long long)fl->tcp_bad, fl->tcp_eof,
		       fl->tcp_tx_err, fl->tcp_rx_err);
	} else {
		fails++;
		printf("not ok %u KERNEL_FLOWS # UDP: %llu lost outside the "
		       "fault windows, %llu duplicates, %llu malformed\n", num,
		       (unsigned long long)outside,
		       (unsigned long long)fl->udp_dup,
		       (unsigned long long)fl->udp_bad);
	}
	flows_stop();
	flood_stop();
	msg("kernel UDP flow: %llu datagrams sent, %llu received, %llu lost "
	    "in fault windows, %llu outside them, %llu duplicates, %llu "
	    "malformed, %llu send errors; the kernel got %llu flood/trickle "
	    "datagrams while no rule held them",
	    (unsigned long long)fl->udp_next,
	    (unsigned long long)fl->udp_got,
	    (unsigned long long)in_windows, (unsigned long long)outside,
	    (unsigned long long)fl->udp_dup,
	    (unsigned long long)fl->udp_bad,
	    (unsigned long long)fl->udp_send_err,
	    (unsigned long long)fl->trickle);

	num++;
	if (!scan) {
		skips++;
		printf("ok %u KMEMLEAK # SKIP not asked (-K); the harness "
		       "scans at the end\n", num);
	} else {
		leaks = kmemleak_scan();
		if (leaks == 0) {
			passes++;
			printf("ok %u KMEMLEAK\n", num);
		} else if (leaks < 0) {
			skips++;
			printf("ok %u KMEMLEAK # SKIP no kmemleak\n", num);
		} else {
			fails++;
			printf("not ok %u KMEMLEAK # %d suspected leaks\n",
			       num, leaks);
		}
	}

	print_table(loops, ARRAY_SIZE(loops), leaks, tcp_ok);
	msg("bifurc_faults ran %.0f s", now() - t0);
	printf("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:0\n",
	       passes, fails, skips);
	if (fails)
		return KSFT_FAIL;
	return passes ? KSFT_PASS : KSFT_SKIP;
}
