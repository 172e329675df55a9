// SPDX-License-Identifier: GPL-2.0
/*
 * Description: ixgbe bifurc on a real or emulated 82599: the character
 * device ABI from raw system calls, zero-copy receive through libbifurc
 * next to kernel traffic, and every teardown path.
 *
 *   bifurc_test -i IFACE -q QUEUE [-l] [-t CASE] [-e N]
 *
 * Runs in the namespace of IFACE, with QUEUE reserved (bifurc.sh does
 * both).  Traffic cases need a peer, named by the environment:
 * BIFURC_PEER_NS (its namespace), BIFURC_PEER_ADDR, BIFURC_LOCAL_ADDR
 * and BIFURC_FLOWS (selftests/lib/flows.py); without them they skip.
 * -e: the plan counts N results the caller prints after these
 * (bifurc.sh's RMMOD_CLEAN).
 *
 * Cases, one TAP line each (-l lists them, -t runs one):
 *
 *   INFO_SIZES        extensible-struct rules on INFO: size below VER0
 *                     EINVAL, zero tail accepted, non-zero tail and >4096
 *                     E2BIG, out field set EINVAL, unknown nr, wrong
 *                     direction or an _IOC_SIZE below VER0 ENOTTY (a
 *                     bigger one works), NULL EFAULT; INFO reports the
 *                     interface and QUEUE
 *   NOT_ATTACHED      KICK/FLOW/STATS ENOTCONN, mmap EINVAL, poll POLLERR
 *   ATTACH_ERRORS     wrong ABI EPROTO, no such queue ERANGE, unreserved
 *                     queue EADDRNOTAVAIL, raw EOPNOTSUPP, bad sizes
 *                     (TX rings too), reserved or out fields EINVAL
 *   ATTACH_BUSY       second ATTACH on a file EISCONN, second file EBUSY
 *   RTNL_FREE         user memory is not touched under RTNL: while an INFO
 *                     waits on a userfaultfd fault of its argument (copy
 *                     in), and an ATTACH on a write-protect fault (copy
 *                     out, after its pool is built), INFO on another file,
 *                     which takes RTNL, returns; both then succeed
 *   MMAP_RULES        wrong length/offset/MAP_PRIVATE EINVAL, PROT_WRITE
 *                     on the counters EACCES, mprotect() cannot add it,
 *                     the pool is writable, the counters say ATTACHED
 *   KICK_ARGS         flags 0/unknown EINVAL, TX on an RX-only attachment
 *                     EOPNOTSUPP, out field set
 *   FILL_VALIDATION   ids out of range, double use and ~0 are rejected and
 *                     counted, a lying producer is a ring error, a user
 *                     write to the kernel's consumer index is ignored
 *   FLOW_RULES        IPv6/SCTP EOPNOTSUPP, empty mask and value outside
 *                     the mask EINVAL, duplicate EEXIST, other mask EBUSY,
 *                     FLOW_MASK, FLOW_DEL of a foreign id ENOENT
 *   PERMISSIONS       nobody cannot open the 0600 node (EACCES); root
 *                     without CAP_NET_ADMIN cannot reserve, release or
 *                     grant (EPERM, before EALREADY could answer); bad
 *                     queues ERANGE/EADDRNOTAVAIL/EALREADY; a closed fd
 *                     is EBADF
 *   GRANTS            per-queue grants: with the node open to all, a user
 *                     without a grant cannot attach (EPERM), reserve or
 *                     grant (EACCES: the attributes are root's 0200 and
 *                     0644); a user grant lets that uid attach the queue
 *                     and add rules for ports it could bind (not 22, not
 *                     without a destination port: EACCES; not an admin's
 *                     flow: EEXIST), and nobody else (EPERM); a group
 *                     grant lets a member in; "none" and a release end a
 *                     grant (EPERM after each); root of a user namespace
 *                     of its own is still refused (EPERM, EACCES: its
 *                     capabilities do not reach the netdev)
 *   RESERVE_RSS       ethtool -x never shows the reserved queue, ethtool -X
 *                     cannot put it back (EBUSY) but weight 0 works,
 *                     ethtool -L cannot leave RSS only reserved queues,
 *                     the last RSS queue cannot be reserved (ENOSPC)
 *   RX_FLOW           owned rule for one UDP flow; N datagrams arrive in the
 *                     pool intact, in order, zero copy, while ping and a TCP
 *                     stream to the same port keep working; syscalls per
 *                     packet from the kernel's kick count
 *   RX_BATCH          a burst that arrives while the app sleeps is read
 *                     with at most one system call per 32 packets
 *   RX_BUSY_POLL      busy-poll attach: the queue's vector never fires,
 *                     KICKs move every datagram
 *   RX_RAW            raw descriptor mode through libbifurc: N datagrams
 *                     intact, counted by the kernel once consumed, no ring
 *                     error
 *   RAW_RING          raw descriptor mode from raw system calls: INFO
 *                     offers it; a read-only desc region whose slot table
 *                     names the posted buffers; a datagram read straight
 *                     from a written-back descriptor; a consumer beyond
 *                     the posted descriptors, or past an unwritten one, is
 *                     a ring error that hands over nothing; without
 *                     CAP_SYS_ADMIN, EPERM; a datagram consumed by the
 *                     index alone is taken back by a KICK with RX_REFILL
 *                     only, so its id refills (not refused as double
 *                     use); after ip link set down the region stays
 *                     readable until munmap.  Both raw cases, where the
 *                     kernel bounces DMA (swiotlb=force): raw ATTACH is
 *                     EOPNOTSUPP, a plain one works
 *   UNSTEERED_FLOW    a second flow reaches a kernel socket, not the app
 *   CLOSE_CLEANUP     after close the rule is gone from ethtool -n, the
 *                     queue is idle, attaching again works
 *   KILL9_NO_LEAK     kill -9 mid-traffic: the pages bifurc holds
 *                     (debugfs ixgbe/bifurc_pages) rose by at least the
 *                     16 MiB pool and come back to the baseline exactly;
 *                     with a memory controller, the pool was charged to
 *                     the cgroup and is uncharged; the queue is idle, no
 *                     rule left
 *   DOWN_ENETRESET    ip link set down: POLLERR, ENETRESET, status RESET;
 *                     attach again once up
 *   CHANNELS_ENETRESET ethtool -L: same, and the reservation survives
 *   RINGS_ENETRESET   ethtool -G: same
 *   RESET_ENETRESET   an adapter reset (MTU change): same
 *   RELEASE_ENETRESET the queue is released under the app: same
 *   RMMOD_BUSY        rmmod ixgbe is refused while a file is attached and
 *                     the attachment keeps working
 *   REMOVE_ENODEV     PCI remove: POLLERR|POLLHUP, ENODEV everywhere,
 *                     status REMOVED, mapped pages stay readable; a
 *                     rescan brings the port back within 30 s (bound to
 *                     ixgbe, bifurc device, netdev in the init namespace)
 *   TX_ECHO           libbifurc answers a UDP client in the peer namespace
 *                     from the received buffers (swapped in place, zero
 *                     copy): every reply byte-exact while ping and a TCP
 *                     stream use the same port; syscalls per packet
 *   TX_RATE           frames per second and syscalls per frame of raw TX
 *                     next to the kernel's UDP sendmmsg (batch 32), same
 *                     frame size, same run; at the peer (pause off: its
 *                     NIC drops and counts what it cannot place, where
 *                     QEMU would lose it) every frame the app counted
 *                     sent was taken (60 bytes each) or missed
 *   TX_SEND           raw TX: N frames built in the pool reach a socket in
 *                     the peer namespace intact; NAPI hands every buffer
 *                     back through txc with no reclaim kick; counters
 *   TX_WAIT           waiting for sent buffers sleeps (uapi section 7):
 *                     with nothing in flight POLLOUT is set at once but a
 *                     300 ms poll for POLLWRBAND times out; after 8 frames
 *                     and one kick, every POLLWRBAND poll returns with
 *                     buffers in txc until all 8 are back; a poll that
 *                     sleeps with nothing in flight is woken by the NAPI
 *                     poll of 8 frames another thread submits 0.2 s
 *                     later; then it times out again; INFO says TX_WAIT
 *   TX_BAD_ENTRIES    id out of range, a buffer the NIC holds, a double
 *                     submit, offset + len beyond the buffer, a runt, a
 *                     giant, unknown flags, a MORE chain longer than
 *                     BIFURC_TX_MAX_FRAGS: each is refused and counted,
 *                     nothing is sent, the caller's buffers come back
 *                     marked REFUSED, good frames around them go out
 *   TX_KILL9          kill -9 while TX is in flight: the pages bifurc
 *                     holds rose by at least the pool and come back to the
 *                     baseline exactly, the queue is idle and sends again
 *   TX_HANG           the model stalls the queue's transmit (x-tx-stall):
 *                     the kernel reports the hang, resets the adapter, the
 *                     file sees ENETRESET with status TX_HANG; attach again
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/bifurc.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/userfaultfd.h>
#include <bifurc.h>

#include "util.h"

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Ports of the traffic cases. */
#define PORT_FLOW	7801
#define PORT_OTHER	7802
#define PORT_TCP	7803
#define PORT_KILL	7804
#define PORT_TX		7805
#define PORT_ECHO	7806
#define PORT_RAW	7807

static const char *ifname;
static unsigned int queue;
static char node[PATH_MAX];	/* /dev/bifurc/<bdf> */
static char classdir[PATH_MAX];	/* the class device in sysfs */
static char pci[64];		/* PCI address of ifname */
static const char *peer_ns, *peer_addr, *local_addr, *flows;
static char *why;		/* reason of the current failure or skip,
				 * shared with the case's child process */
#define WHY_LEN		256

/* ---- small helpers ----------------------------------------------------- */

#define FAIL(...)	do { snprintf(why, WHY_LEN, __VA_ARGS__); \
			     return KSFT_FAIL; } while (0)
#define SKIP(...)	do { snprintf(why, WHY_LEN, __VA_ARGS__); \
			     return KSFT_SKIP; } while (0)
#define CHECK(cond)	do { if (!(cond)) FAIL("%s:%d: %s (errno %d)", \
				__func__, __LINE__, #cond, errno); } while (0)
#define CHECK_ERR(expr, err) do { int __e = (expr);			\
		if (__e != -(err))					\
			FAIL("%s:%d: %s = %d, want %d", __func__,	\
			     __LINE__, #expr, __e, -(err));		\
	} while (0)

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

/* Start a bash command in the background; its pid. */
static pid_t spawn(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	pid_t pid;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/bin/bash", "bash", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Run a bash command; its output becomes TAP diagnostics. */
static int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return reap(spawn("(%s) 2>&1 | sed 's/^/#   /'; exit ${PIPESTATUS[0]}",
			  cmd));
}

static int class_attr(const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", classdir, attr);
	return read_file(path, buf, len);
}

static int class_write(const char *attr, unsigned int q)
{
	char path[PATH_MAX + 32], v[16];

	snprintf(path, sizeof(path), "%s/%s", classdir, attr);
	snprintf(v, sizeof(v), "%u", q);
	return write_file(path, v);
}

/* Is QUEUE listed in the class device's "attached" file? */
static bool queue_attached(void)
{
	char buf[256], *tok, *save = NULL;

	if (class_attr("attached", buf, sizeof(buf)))
		return false;
	for (tok = strtok_r(buf, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save))
		if ((unsigned int)atoi(tok) == queue)
			return true;
	return false;
}

/* Number of ntuple rules on the interface, from ethtool -n. */
static int ntuple_rules(void)
{
	char cmd[256], line[256];
	int n = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ethtool -n %s 2>/dev/null", ifname);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "Total %d rules", &n) == 1)
			break;
	pclose(p);
	return n;
}

static bool link_up(void)
{
	char path[PATH_MAX], buf[16];

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", ifname);
	return read_file(path, buf, sizeof(buf)) == 0 && buf[0] == '1';
}

static bool wait_until(bool (*cond)(void), double seconds)
{
	double end = now() + seconds;

	while (now() < end) {
		if (cond())
			return true;
		usleep(100 * 1000);
	}
	return cond();
}

/* Resolve IFACE to its device node and class device (uapi section 1). */
static int discover(void)
{
	char path[PATH_MAX], link[PATH_MAX], buf[512], *dev, *nl;
	struct dirent *de;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device", ifname);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	snprintf(pci, sizeof(pci), "%s", strrchr(link, '/') + 1);

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/bifurc",
		 ifname);
	d = opendir(path);
	if (!d)
		return -errno;
	classdir[0] = '\0';
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			snprintf(classdir, sizeof(classdir), "%s/%s", path,
				 de->d_name);
	closedir(d);
	if (!classdir[0])
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/uevent", classdir);
	if (read_file(path, buf, sizeof(buf)))
		return -EIO;
	dev = strstr(buf, "DEVNAME=");
	if (!dev)
		return -EIO;
	dev += 8;
	nl = strchr(dev, '\n');
	if (nl)
		*nl = '\0';
	snprintf(node, sizeof(node), "/dev/%s", dev);
	return 0;
}

static bool have_peer(void)
{
	return peer_ns && peer_addr && local_addr && flows;
}

/* flows.py send: COUNT datagrams of SIZE bytes to PORT, from the peer. */
static pid_t send_flow(unsigned int port, unsigned int count,
		       unsigned int size)
{
	return spawn("ip netns exec %s python3 -S %s send %s %u %u --size %u",
		     peer_ns, flows, local_addr, port, count, size);
}

/* The payload flows.py puts in datagram SEQ. */
static bool payload_ok(const uint8_t *p, size_t len, uint32_t *seq)
{
	uint32_t s;
	size_t i;

	if (len < 4)
		return false;
	s = ((uint32_t)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
	for (i = 4; i < len; i++)
		if (p[i] != (uint8_t)(s + i - 4))
			return false;
	*seq = s;
	return true;
}

/* ---- raw attach helpers ------------------------------------------------ */

static void attach_args(struct bifurc_attach *a, unsigned int q)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->abi_version = BIFURC_ABI_VERSION;
	a->queue = q;
	a->rx_desc = 64;
	a->fill_entries = 64;
	a->comp_entries = 64;
	a->buf_size = 2048;
	a->buf_count = 64;
}

static int open_node(void)
{
	return open(node, O_RDWR | O_CLOEXEC);
}

static int kick(int fd, uint32_t flags, struct bifurc_kick *k)
{
	memset(k, 0, sizeof(*k));
	k->size = sizeof(*k);
	k->flags = flags;
	return xioctl(fd, BIFURC_IOC_KICK, k);
}

static int get_info(int fd, struct bifurc_info *i)
{
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	return xioctl(fd, BIFURC_IOC_INFO, i);
}

/* ---- ABI cases --------------------------------------------------------- */

static int info_sizes(void)
{
	struct { struct bifurc_info i; uint8_t tail[16]; } big;
	struct bifurc_info i;
	int fd;

	fd = open_node();
	CHECK(fd >= 0);
	memset(&i, 0, sizeof(i));
	i.size = 64;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_INFO, &i), EINVAL);
	memset(&big, 0, sizeof(big));
	big.i.size = sizeof(big);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_INFO, &big), 0);
	CHECK(big.i.size == sizeof(struct bifurc_info));
	CHECK(big.i.abi_version == BIFURC_ABI_VERSION);
	CHECK(!strcmp(big.i.ifname, ifname));
	CHECK(big.i.reserved_queues[queue / 64] & (1ULL << (queue % 64)));
	CHECK(!(big.i.attached_queues[queue / 64] & (1ULL << (queue % 64))));
	CHECK(big.i.flags & BIFURC_INFO_F_NTUPLE);
	CHECK(big.i.flags & BIFURC_INFO_F_TX);
	CHECK(big.i.max_tx_frame == 1500 + 18);
	CHECK(queue < big.i.num_rx_queues);
	memset(&big, 0, sizeof(big));
	big.i.size = sizeof(big);
	big.tail[3] = 1;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_INFO, &big), E2BIG);
	memset(&i, 0, sizeof(i));
	i.size = 8192;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_INFO, &i), E2BIG);
	memset(&i, 0, sizeof(i));
	i.size = sizeof(i);
	i.flags = 1;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_INFO, &i), EINVAL);
	CHECK_ERR(xioctl(fd, _IOWR(BIFURC_IOC_TYPE, 0x20, struct bifurc_info),
			 &i), ENOTTY);
	CHECK_ERR(xioctl(fd, _IOWR('T', 0x00, struct bifurc_info), &i),
		  ENOTTY);
	/* the number is checked whole but for a size of another version */
	CHECK_ERR(xioctl(fd, _IOR(BIFURC_IOC_TYPE, 0x00, struct bifurc_info),
			 &i), ENOTTY);
	CHECK_ERR(xioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, BIFURC_IOC_TYPE, 0,
				  BIFURC_INFO_SIZE_VER0 - 8), &i), ENOTTY);
	memset(&i, 0, sizeof(i));
	i.size = sizeof(i);
	CHECK_ERR(xioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, BIFURC_IOC_TYPE, 0,
				  sizeof(big)), &i), 0);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_INFO, NULL), EFAULT);
	close(fd);
	return KSFT_PASS;
}

static int not_attached(void)
{
	struct bifurc_flow_rule r;
	struct bifurc_counters c;
	struct bifurc_kick k;
	struct pollfd pfd;
	int fd;

	fd = open_node();
	CHECK(fd >= 0);
	CHECK_ERR(kick(fd, BIFURC_KICK_RX_REFILL, &k), ENOTCONN);
	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), ENOTCONN);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_STATS, &c), ENOTCONN);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 1ULL << 32) ==
	      MAP_FAILED && errno == EINVAL);
	pfd.fd = fd;
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR));
	close(fd);
	return KSFT_PASS;
}

static int attach_errors(void)
{
	struct bifurc_attach a;
	struct bifurc_info i;
	unsigned int other = UINT_MAX, q;
	int fd;

	fd = open_node();
	CHECK(fd >= 0);
	CHECK_ERR(get_info(fd, &i), 0);
	for (q = 0; q < i.num_rx_queues; q++)
		if (!(i.reserved_queues[q / 64] & (1ULL << (q % 64))))
			other = q;
	attach_args(&a, queue);
	a.abi_version = BIFURC_ABI_VERSION + 1;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EPROTO);
	attach_args(&a, i.num_rx_queues);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), ERANGE);
	if (other != UINT_MAX) {
		attach_args(&a, other);
		CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EADDRNOTAVAIL);
	}
	attach_args(&a, queue);
	a.flags = BIFURC_ATTACH_TX;	/* without ring sizes */
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.flags = BIFURC_ATTACH_TX;
	a.tx_entries = 100;
	a.txc_entries = 64;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	a.tx_entries = 64;
	a.tx_desc = 32;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.tx_desc = 64;			/* TX field without the TX flag */
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.flags = BIFURC_ATTACH_RAW_DESC;	/* comp indices count descs */
	a.comp_entries = a.rx_desc * 2;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.flags = 0x100;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.rx_desc = 100;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.buf_size = 1024;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.buf_count = 0;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.reserved[0] = 1;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.pool.length = 4096;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.tx_entries = 64;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	attach_args(&a, queue);
	a.size = 16;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EINVAL);
	/* nothing above attached the file */
	CHECK(!queue_attached());
	close(fd);
	return KSFT_PASS;
}

static int attach_busy(void)
{
	struct bifurc_attach a;
	int fd, fd2;

	fd = open_node();
	fd2 = open_node();
	CHECK(fd >= 0 && fd2 >= 0);
	attach_args(&a, queue);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);
	CHECK(queue_attached());
	attach_args(&a, queue);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EISCONN);
	attach_args(&a, queue);
	CHECK_ERR(xioctl(fd2, BIFURC_IOC_ATTACH, &a), EBUSY);
	close(fd);
	CHECK(!queue_attached());
	/* the queue is free again: the second file may take it */
	attach_args(&a, queue);
	CHECK_ERR(xioctl(fd2, BIFURC_IOC_ATTACH, &a), 0);
	close(fd2);
	return KSFT_PASS;
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

/* Whether @fd (an eventfd, a userfaultfd) becomes readable within 30 s:
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
 * (RTNL) returns: 0, or why not (in why).  Leaves the fault pending.
 */
static int rtnl_free_while(struct bg_ioctl *blocked, int uffd, bool wp,
			   const char *what)
{
	struct bifurc_info info;
	struct bg_ioctl probe;
	int fd;

	if (!uffd_fault(uffd, wp))
		FAIL("%s: no userfaultfd fault within 30 s", what);
	fd = open_node();
	CHECK(fd >= 0);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	CHECK(bg_ioctl_start(&probe, fd, BIFURC_IOC_INFO, &info) == 0);
	if (!readable(probe.done)) {
		/* RTNL is held by @blocked: the probe returns once it is resolved */
		snprintf(why, WHY_LEN, "%s holds RTNL while it waits on user memory: INFO on another file blocked 30 s",
			 what);
		pthread_detach(probe.thread);
		return KSFT_FAIL;
	}
	pthread_join(probe.thread, NULL);
	close(probe.done);
	close(fd);
	CHECK_ERR(probe.ret, 0);
	/* and the blocked call had not gone past its fault */
	CHECK(__atomic_load_n(&blocked->ret, __ATOMIC_ACQUIRE) == -EINPROGRESS);
	return KSFT_PASS;
}

static int rtnl_free(void)
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
	int uffd, fd, r;
	char *mem;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	CHECK(uffd >= 0);
	CHECK(ioctl(uffd, UFFDIO_API, &api) == 0);
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mem != MAP_FAILED);
	fd = open_node();
	CHECK(fd >= 0);

	/* INFO: its argument is a missing page, filled in once INFO waits */
	reg = (struct uffdio_register){
		.range = { .start = (unsigned long)mem, .len = page },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	CHECK(ioctl(uffd, UFFDIO_REGISTER, &reg) == 0);
	CHECK(bg_ioctl_start(&bg, fd, BIFURC_IOC_INFO, mem) == 0);
	r = rtnl_free_while(&bg, uffd, false, "INFO copying its argument in");
	/* the page the fault gets: an INFO request (the second page is plain
	 * memory until the ATTACH part)
	 */
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	memcpy(mem + page, &info, sizeof(info));
	cp = (struct uffdio_copy){
		.dst = (unsigned long)mem, .src = (unsigned long)mem + page,
		.len = page,
	};
	CHECK(ioctl(uffd, UFFDIO_COPY, &cp) == 0);
	pthread_join(bg.thread, NULL);
	close(bg.done);
	if (r != KSFT_PASS)
		return r;
	CHECK_ERR(bg.ret, 0);
	CHECK(strcmp(((struct bifurc_info *)mem)->ifname, ifname) == 0);

	/* ATTACH: its argument is write-protected, so copying out waits */
	attach_args(&a, queue);
	memcpy(mem + page, &a, sizeof(a));
	reg = (struct uffdio_register){
		.range = { .start = (unsigned long)mem + page, .len = page },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	CHECK(ioctl(uffd, UFFDIO_REGISTER, &reg) == 0);
	wp = (struct uffdio_writeprotect){
		.range = reg.range, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};
	CHECK(ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) == 0);
	CHECK(bg_ioctl_start(&bg, fd, BIFURC_IOC_ATTACH, mem + page) == 0);
	r = rtnl_free_while(&bg, uffd, true, "ATTACH copying its result out");
	wp.mode = 0;
	CHECK(ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) == 0);
	pthread_join(bg.thread, NULL);
	close(bg.done);
	if (r != KSFT_PASS)
		return r;
	CHECK_ERR(bg.ret, 0);
	CHECK(queue_attached());
	close(fd);
	CHECK(!queue_attached());
	munmap(mem, 2 * page);
	close(uffd);
	return KSFT_PASS;
}

static int mmap_rules(void)
{
	struct bifurc_counters *c;
	struct bifurc_attach a;
	uint8_t *pool;
	int fd;

	fd = open_node();
	CHECK(fd >= 0);
	attach_args(&a, queue);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);
	CHECK(a.counters.prot == BIFURC_PROT_READ);
	CHECK(a.pool.prot == (BIFURC_PROT_READ | BIFURC_PROT_WRITE));
	CHECK(a.desc.length == 0 && a.tx.length == 0 && a.txc.length == 0);
	CHECK(a.pool.length >= (uint64_t)a.buf_size * a.buf_count);
	CHECK(mmap(NULL, a.fill.length * 2, PROT_READ, MAP_SHARED, fd,
		   a.fill.offset) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		   a.fill.offset + 4096) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, a.fill.length, PROT_READ, MAP_PRIVATE, fd,
		   a.fill.offset) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, a.counters.length, PROT_READ | PROT_WRITE,
		   MAP_SHARED, fd, a.counters.offset) == MAP_FAILED &&
	      errno == EACCES);
	c = mmap(NULL, a.counters.length, PROT_READ, MAP_SHARED, fd,
		 a.counters.offset);
	CHECK(c != MAP_FAILED);
	CHECK(mprotect(c, a.counters.length, PROT_READ | PROT_WRITE) < 0 &&
	      errno == EACCES);
	CHECK(c->size == sizeof(*c));
	CHECK(c->status == BIFURC_STATUS_ATTACHED);
	pool = mmap(NULL, a.pool.length, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, a.pool.offset);
	CHECK(pool != MAP_FAILED);
	/* kernel-allocated and zeroed, and the application may write it */
	CHECK(pool[0] == 0 && pool[a.pool.length - 1] == 0);
	pool[100] = 0x5a;
	CHECK(pool[100] == 0x5a);
	/* a mapping keeps the file, so the attachment, alive */
	close(fd);
	CHECK(queue_attached());
	CHECK(c->status == BIFURC_STATUS_ATTACHED);
	munmap(pool, a.pool.length);
	munmap(c, a.counters.length);
	CHECK(!queue_attached());
	return KSFT_PASS;
}

static int kick_args(void)
{
	struct bifurc_attach a;
	struct bifurc_kick k;
	int fd;

	fd = open_node();
	CHECK(fd >= 0);
	attach_args(&a, queue);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);
	CHECK_ERR(kick(fd, 0, &k), EINVAL);
	CHECK_ERR(kick(fd, 0x10, &k), EINVAL);
	CHECK_ERR(kick(fd, BIFURC_KICK_TX_SUBMIT, &k), EOPNOTSUPP);
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.flags = BIFURC_KICK_RX_REFILL;
	k.rx_refilled = 5;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_KICK, &k), EINVAL);
	CHECK_ERR(kick(fd, BIFURC_KICK_RX_REFILL | BIFURC_KICK_RX_HARVEST,
		       &k), 0);
	close(fd);
	return KSFT_PASS;
}

static int fill_validation(void)
{
	struct bifurc_counters c;
	struct bifurc_ring_hdr *h;
	struct bifurc_attach a;
	struct bifurc_kick k;
	uint32_t *e;
	int fd;

	fd = open_node();
	CHECK(fd >= 0);
	attach_args(&a, queue);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);
	h = mmap(NULL, a.fill.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 a.fill.offset);
	CHECK(h != MAP_FAILED);
	CHECK(h->flags & BIFURC_RING_NEED_WAKEUP);
	e = (uint32_t *)((uint8_t *)h + BIFURC_RING_ENTRIES_OFFSET);
	e[0] = 1;
	e[1] = 64;		/* == buf_count */
	e[2] = 1;		/* double use */
	e[3] = 0xffffffff;
	e[4] = 2;
	__atomic_store_n(&h->producer, 5, __ATOMIC_RELEASE);
	CHECK_ERR(kick(fd, BIFURC_KICK_RX_REFILL, &k), 0);
	CHECK(k.rx_refilled == 2);
	CHECK(k.rx_rejected == 3);
	CHECK(h->consumer == 5);
	/* a producer that claims more than the ring holds: nothing taken */
	h->producer = 5 + 65;
	CHECK_ERR(kick(fd, BIFURC_KICK_RX_REFILL, &k), 0);
	CHECK(k.rx_refilled == 0 && h->consumer == 5);
	/* a user write to the kernel's index is overwritten */
	h->producer = 5;
	h->consumer = 1000;
	CHECK_ERR(kick(fd, BIFURC_KICK_RX_REFILL, &k), 0);
	CHECK(h->consumer == 5);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_STATS, &c), 0);
	CHECK(c.rx_bad_id == 3);
	CHECK(c.rx_ring_err == 1);
	CHECK(c.kicks == 3);
	CHECK(c.status == BIFURC_STATUS_ATTACHED);
	munmap(h, a.fill.length);
	close(fd);
	return KSFT_PASS;
}

static void udp_rule(struct bifurc_flow_rule *r, uint16_t port)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->value.proto = IPPROTO_UDP;
	r->value.family = BIFURC_FLOW_IPV4;
	r->value.dst_port = htons(port);
	r->mask.dst_port = 0xffff;
}

static int flow_rules(void)
{
	struct bifurc_flow_rule r, r2;
	struct bifurc_flow_mask m;
	struct bifurc_flow_del d;
	struct bifurc_attach a;
	int fd, before;

	before = ntuple_rules();
	fd = open_node();
	CHECK(fd >= 0);
	attach_args(&a, queue);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);

	udp_rule(&r, 9);
	r.value.family = BIFURC_FLOW_IPV6;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), EOPNOTSUPP);
	udp_rule(&r, 9);
	r.value.proto = IPPROTO_SCTP;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), EOPNOTSUPP);
	udp_rule(&r, 0);
	r.mask.dst_port = 0;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), EINVAL);
	udp_rule(&r, 9);
	r.value.src_port = htons(1);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), EINVAL);
	udp_rule(&r, 9);
	r.rule_id = 3;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), EINVAL);

	udp_rule(&r, 9);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), 0);
	CHECK(ntuple_rules() == before + 1);
	udp_rule(&r2, 9);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r2), EEXIST);
	/* one mask per port: a source-address rule cannot join */
	memset(&r2, 0, sizeof(r2));
	r2.size = sizeof(r2);
	r2.value.proto = IPPROTO_UDP;
	r2.value.family = BIFURC_FLOW_IPV4;
	r2.value.src_addr[0] = htonl(0x0a4d0001);
	r2.mask.src_addr[0] = 0xffffffff;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r2), before ? 0 : EBUSY);

	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_MASK, &m), 0);
	CHECK(m.flags & BIFURC_MASK_F_SET);
	CHECK(m.owned == 1 && m.rules == (uint32_t)before + 1);
	CHECK(m.mask.dst_port == 0xffff && m.mask.src_port == 0);

	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.rule_id = r.rule_id - 1;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_DEL, &d), ENOENT);
	d.rule_id = r.rule_id;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_DEL, &d), 0);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_DEL, &d), ENOENT);
	CHECK(ntuple_rules() == before);
	/* a rule still owned at close goes with the file */
	udp_rule(&r, 10);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), 0);
	close(fd);
	CHECK(ntuple_rules() == before);
	return KSFT_PASS;
}

/* ---- permissions, per-queue grants ------------------------------------ */

/* No passwd entries needed: the kernel compares ids. */
#define GRANT_UID	4242
#define OTHER_UID	4343
#define GRANT_GID	4444
#define PORT_GRANT	9300	/* a port a user may bind */
#define PORT_ADMIN	9302	/* steered by the administrator */

/*
 * FN in a child with uid and gid ID, supplementary group EXTRA (0: none)
 * and, since every uid leaves 0, no capabilities.  FN's KSFT code.
 */
static int as_user(uid_t id, gid_t extra, int (*fn)(void))
{
	gid_t groups[1] = { extra };
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* dumpable again, or /proc/self stays root's (uid_map) */
		if (setgroups(extra ? 1 : 0, groups) ||
		    setresgid(id, id, id) || setresuid(id, id, id) ||
		    prctl(PR_SET_DUMPABLE, 1)) {
			snprintf(why, WHY_LEN, "dropping to uid %u: %s", id,
				 strerror(errno));
			_exit(KSFT_FAIL);
		}
		_exit(fn());
	}
	return reap(pid);
}

/* FN in a child that is still root but lacks CAP (effective set). */
static int without_cap(int cap, int (*fn)(void))
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (syscall(SYS_capget, &h, d)) {
			snprintf(why, WHY_LEN, "capget: %s", strerror(errno));
			_exit(KSFT_FAIL);
		}
		d[cap / 32].effective &= ~(1U << (cap % 32));
		if (syscall(SYS_capset, &h, d)) {
			snprintf(why, WHY_LEN, "capset: %s", strerror(errno));
			_exit(KSFT_FAIL);
		}
		_exit(fn());
	}
	return reap(pid);
}

static int grant(const char *line)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/grant", classdir);
	return write_file(path, line);
}

/* The 0600 root-owned node: the file mode refuses, EACCES. */
static int open_refused(void)
{
	CHECK(open_node() < 0 && errno == EACCES);
	return KSFT_PASS;
}

/*
 * Without CAP_NET_ADMIN every write is EPERM, asked first: a reserved
 * queue would otherwise say EALREADY, a release would succeed.
 */
static int admin_refused(void)
{
	char line[32];

	CHECK_ERR(class_write("reserve", queue), EPERM);
	CHECK_ERR(class_write("release", queue), EPERM);
	snprintf(line, sizeof(line), "%u none", queue);
	CHECK_ERR(grant(line), EPERM);
	return KSFT_PASS;
}

static int permissions(void)
{
	int fd;

	/* the children say why */
	if (as_user(65534, 0, open_refused) ||
	    without_cap(CAP_NET_ADMIN, admin_refused))
		return KSFT_FAIL;
	CHECK(class_write("reserve", 4096) == -ERANGE);
	CHECK(class_write("release", 4096) == -EADDRNOTAVAIL);
	CHECK(class_write("reserve", queue) == -EALREADY);
	/* a closed descriptor is not a bifurc file any more */
	fd = open_node();
	CHECK(fd >= 0);
	close(fd);
	CHECK(ioctl(fd, BIFURC_IOC_INFO, &(struct bifurc_info){
		.size = sizeof(struct bifurc_info) }) < 0 && errno == EBADF);
	return KSFT_PASS;
}

/* Open the node and attach QUEUE: 0 or -errno; the file in *fd. */
static int user_attach(int *fd, unsigned int q)
{
	struct bifurc_attach a;
	int err;

	*fd = open_node();
	if (*fd < 0)
		return -errno;
	attach_args(&a, q);
	err = xioctl(*fd, BIFURC_IOC_ATTACH, &a);
	if (err) {
		close(*fd);
		*fd = -1;
	}
	return err;
}

/* With the node open to all, the queue's grant is what refuses: EPERM. */
static int attach_refused(void)
{
	int fd;

	CHECK_ERR(user_attach(&fd, queue), EPERM);
	return KSFT_PASS;
}

/*
 * Is ID (in group EXTRA) refused QUEUE with EPERM, the grant's answer?
 * Any other outcome is a diagnostic line.
 */
static bool refused(uid_t id, gid_t extra)
{
	if (as_user(id, extra, attach_refused) == KSFT_PASS)
		return true;
	msg("uid %u, group %u: %s", id, extra, why);
	return false;
}

static int user_refused(void)
{
	char line[32];
	int fd;

	CHECK_ERR(user_attach(&fd, queue), EPERM);
	if (queue)
		CHECK_ERR(user_attach(&fd, 0), EADDRNOTAVAIL);
	snprintf(line, sizeof(line), "%u user %u", queue, getuid());
	CHECK_ERR(grant(line), EACCES);
	CHECK_ERR(class_write("reserve", queue), EACCES);
	return KSFT_PASS;
}

/* As root of a new user namespace, with every capability there. */
static int userns_root_refused(void)
{
	char uid_map[32], gid_map[32], line[32];
	int fd;

	/* the ids as the parent namespace sees them, before they are gone */
	snprintf(uid_map, sizeof(uid_map), "0 %u 1", getuid());
	snprintf(gid_map, sizeof(gid_map), "0 %u 1", getgid());
	if (unshare(CLONE_NEWUSER))
		SKIP("unshare(CLONE_NEWUSER): %s", strerror(errno));
	CHECK(write_file("/proc/self/uid_map", uid_map) == 0);
	CHECK(write_file("/proc/self/setgroups", "deny") == 0);
	CHECK(write_file("/proc/self/gid_map", gid_map) == 0);
	CHECK(getuid() == 0);
	CHECK_ERR(user_attach(&fd, queue), EPERM);
	snprintf(line, sizeof(line), "%u user 0", queue);
	CHECK_ERR(grant(line), EACCES);
	CHECK_ERR(class_write("reserve", queue), EACCES);
	return KSFT_PASS;
}

static int user_granted(void)
{
	struct bifurc_flow_rule r;
	struct bifurc_flow_mask m;
	int fd;

	CHECK_ERR(user_attach(&fd, queue), 0);
	udp_rule(&r, 22);		/* below ip_unprivileged_port_start */
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), EACCES);
	udp_rule(&r, 0);		/* every port of one source */
	r.mask.dst_port = 0;
	r.value.src_addr[0] = htonl(0x0a4d0001);
	r.mask.src_addr[0] = 0xffffffff;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), EACCES);
	udp_rule(&r, PORT_GRANT & 0xff00);	/* 256 ports at once */
	r.mask.dst_port = htons(0xff00);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), EACCES);
	udp_rule(&r, PORT_ADMIN);	/* the administrator's flow */
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), EEXIST);
	udp_rule(&r, PORT_GRANT);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &r), 0);
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_MASK, &m), 0);
	CHECK(m.owned == 1);
	close(fd);
	return KSFT_PASS;
}

static int user_attaches(void)
{
	int fd;

	CHECK_ERR(user_attach(&fd, queue), 0);
	close(fd);
	return KSFT_PASS;
}

static int grants(void)
{
	char line[64], buf[256];
	int err = KSFT_FAIL;

	/* the node open to everyone: only the queue's grant stands between */
	CHECK(chmod(node, 0666) == 0);
	if (as_user(GRANT_UID, 0, user_refused)) {
		msg("without a grant: %s", why);
		goto out;
	}
	err = as_user(GRANT_UID, 0, userns_root_refused);
	if (err == KSFT_SKIP) {
		msg("no user namespaces: %s", why);
	} else if (err) {
		msg("user namespace root: %s", why);
		err = KSFT_FAIL;
		goto out;
	}
	err = KSFT_FAIL;
	snprintf(line, sizeof(line), "%u user", queue);
	if (grant(line) != -EINVAL || grant("9999 user 1") != -ERANGE ||
	    (queue && grant("0 user 1") != -EADDRNOTAVAIL)) {
		snprintf(why, WHY_LEN, "bad grant lines were not refused");
		goto out;
	}
	snprintf(line, sizeof(line), "%u user %u", queue, GRANT_UID);
	if (grant(line) || class_attr("grant", buf, sizeof(buf)) ||
	    strncmp(buf, line, strlen(line))) {
		snprintf(why, WHY_LEN, "grant \"%s\" reads back \"%s\"", line,
			 buf);
		goto out;
	}
	if (run("ethtool -N %s flow-type udp4 dst-port %u action 0 loc 1",
		ifname, PORT_ADMIN)) {
		snprintf(why, WHY_LEN, "ethtool -N: no administrator's rule");
		goto out;
	}
	err = as_user(GRANT_UID, 0, user_granted);
	run("ethtool -N %s delete 1", ifname);
	if (err) {
		msg("granted user: %s", why);
		goto out;
	}
	err = KSFT_FAIL;
	if (!refused(OTHER_UID, 0)) {
		snprintf(why, WHY_LEN, "uid %u was not refused a queue granted "
			 "to %u", OTHER_UID, GRANT_UID);
		goto out;
	}
	snprintf(line, sizeof(line), "%u group %u", queue, GRANT_GID);
	if (grant(line) || as_user(OTHER_UID, GRANT_GID, user_attaches) ||
	    !refused(GRANT_UID, 0)) {
		snprintf(why, WHY_LEN, "group grant: a member could not attach, "
			 "or the replaced user grant was not refused");
		goto out;
	}
	snprintf(line, sizeof(line), "%u none", queue);
	if (grant(line) || !refused(OTHER_UID, GRANT_GID)) {
		snprintf(why, WHY_LEN, "\"%s\" did not revoke the grant", line);
		goto out;
	}
	/* a grant ends with its reservation */
	snprintf(line, sizeof(line), "%u group %u", queue, GRANT_GID);
	if (grant(line) || class_write("release", queue) ||
	    class_write("reserve", queue) ||
	    class_attr("grant", buf, sizeof(buf)) || buf[0] ||
	    !refused(OTHER_UID, GRANT_GID)) {
		snprintf(why, WHY_LEN, "the grant outlived a release: \"%s\"",
			 buf);
		goto out;
	}
	err = KSFT_PASS;
out:
	chmod(node, 0600);
	snprintf(line, sizeof(line), "%u none", queue);
	grant(line);
	return err;
}

/* Does "ethtool -x" show QUEUE anywhere in the indirection table? */
static int reta_has_queue(void)
{
	char cmd[256], line[512], *p, *end;
	int found = 0, rows = 0;
	long v;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ethtool -x %s", ifname);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = strchr(line, ':');
		/*
		 * Table rows look like "   16:      0     1 ...".  The RSS key
		 * line that follows ("25:01:6d:...") has the same shape when
		 * its first byte is all decimal digits, but is not indented.
		 */
		if (!p || line[0] != ' ' ||
		    strspn(line, " 0123456789") != (size_t)(p - line))
			continue;
		rows++;
		for (p++;; p = end) {
			v = strtol(p, &end, 10);
			if (end == p)
				break;
			found |= v == (long)queue;
		}
	}
	pclose(f);
	return rows ? found : -1;
}

/*
 * RSS without the reserved queue: "ethtool -x" never shows it, "ethtool
 * -X" cannot put it back, ethtool -L cannot leave RSS only reserved
 * queues, and the last RSS queue cannot be reserved.
 */
static int reserve_rss(void)
{
	struct bifurc_info i;
	int fd, err = KSFT_PASS;

	fd = open_node();
	CHECK(fd >= 0);
	CHECK_ERR(get_info(fd, &i), 0);
	close(fd);
	if (queue == 0 || i.num_rx_queues != queue + 1)
		SKIP("needs the last queue reserved");
	CHECK(reta_has_queue() == 0);
	if (run("ethtool -X %s equal %u", ifname, i.num_rx_queues) == 0)
		FAIL("ethtool -X equal %u put the reserved queue back",
		     i.num_rx_queues);
	CHECK(reta_has_queue() == 0);
	/* weight 0 for the reserved queue is the way to configure RSS */
	if (run("ethtool -X %s weight %s 0", ifname,
		i.num_rx_queues == 2 ? "1" : i.num_rx_queues == 3 ? "1 1" :
		"1 1 1"))
		FAIL("ethtool -X with weight 0 for queue %u failed", queue);
	/* the last RSS queue cannot be reserved, and -L cannot strand RSS */
	if (i.num_rx_queues == 2) {
		CHECK(class_write("reserve", 0) == -ENOSPC);
		CHECK(class_write("release", queue) == 0);
		CHECK(class_write("reserve", 0) == 0);
		if (run("ethtool -L %s combined 1 2>/dev/null", ifname) == 0)
			err = KSFT_FAIL, snprintf(why, WHY_LEN,
				"ethtool -L 1 left RSS only a reserved queue");
		CHECK(class_write("release", 0) == 0);
		CHECK(class_write("reserve", queue) == 0);
	}
	run("ethtool -X %s default 2>/dev/null || true", ifname);
	return err;
}

/* ---- traffic cases (libbifurc) ----------------------------------------- */

/*
 * Receive COUNT datagrams of flow PORT from q, checking each payload and
 * that it was read in place from the pool.  Returns the number received.
 */
static int receive(struct bifurc_queue *q, unsigned int port,
		   unsigned int count, double seconds, unsigned int *bad,
		   unsigned int *waits)
{
	struct bifurc_queue_info qi;
	struct bifurc_pkt pkts[64];
	uint8_t *seen = calloc(count, 1);
	unsigned int got = 0;
	double end = now() + seconds;
	uint32_t seq;
	int n, i;

	*bad = 0;
	bifurc_queue_info(q, &qi);
	while (got < count && now() < end && seen) {
		n = bifurc_rx_burst(q, pkts, ARRAY_SIZE(pkts));
		if (n < 0) {
			free(seen);
			return n;
		}
		if (n == 0) {
			(*waits)++;
			bifurc_wait(q, 200);
			continue;
		}
		for (i = 0; i < n; i++) {
			const uint8_t *f = pkts[i].data;
			size_t len = pkts[i].len;
			bool in_pool = f >= (uint8_t *)qi.pool &&
				       f + len <= (uint8_t *)qi.pool +
				       qi.pool_len;
			unsigned int dport;

			/* Ethernet + IPv4 (IHL 5) + UDP to PORT */
			if (!in_pool || len < 46 || f[12] != 0x08 ||
			    f[13] != 0x00 || f[14] != 0x45 || f[23] != 17) {
				(*bad)++;
				continue;
			}
			dport = (f[36] << 8) | f[37];
			if (dport != port || !payload_ok(f + 42, len - 42, &seq) ||
			    seq >= count || seen[seq]) {
				(*bad)++;
				continue;
			}
			seen[seq] = 1;
			got++;
		}
		bifurc_rx_release(q, pkts, n);
	}
	free(seen);
	return got;
}

static int open_with_rule(struct bifurc_queue **q, unsigned int port,
			  const struct bifurc_opts *o)
{
	int err, rule;

	err = bifurc_open(q, ifname, queue, o);
	if (err)
		return err;
	rule = bifurc_flow_add(*q, &(struct bifurc_flow){
		.size = sizeof(struct bifurc_flow),
		.proto = IPPROTO_UDP, .dst_port = htons(port) });
	if (rule < 0) {
		bifurc_close(*q);
		*q = NULL;
		return rule;
	}
	return 0;
}

static int rx_flow(void)
{
	const unsigned int count = 300;
	unsigned int bad = 0, waits = 0;
	pid_t ping, server, client, sender;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	int got, err;

	if (!have_peer())
		SKIP("no peer (BIFURC_PEER_NS etc. unset)");
	err = open_with_rule(&q, PORT_FLOW, NULL);
	if (err)
		FAIL("attach + rule: %s", bifurc_strerror(err));

	/* kernel traffic on the same port, at the same time */
	server = spawn("exec iperf3 -s -1 -p %u >/dev/null 2>&1", PORT_TCP);
	usleep(500 * 1000);
	client = spawn("ip netns exec %s iperf3 -c %s -p %u -t 4 "
		       ">/dev/null 2>&1", peer_ns, local_addr, PORT_TCP);
	ping = spawn("ip netns exec %s ping -q -c 8 -i 0.3 %s >/dev/null",
		     peer_ns, local_addr);
	sender = send_flow(PORT_FLOW, count, 200);

	got = receive(q, PORT_FLOW, count, 60, &bad, &waits);
	err = bifurc_stats(q, &st);
	reap(sender);
	msg("received %d/%u datagrams, %u bad, zero copy from the pool", got,
	    count, bad);
	if (!err && st.rx_packets)
		msg("syscalls: %llu kicks + %u poll = %.3f per packet "
		    "(%llu packets, %llu wakeups, %llu no-buffer drops)",
		    (unsigned long long)st.kicks, waits,
		    (double)(st.kicks + waits) / st.rx_packets,
		    (unsigned long long)st.rx_packets,
		    (unsigned long long)st.wakeups,
		    (unsigned long long)st.rx_no_buf);
	run("ethtool -S %s | grep bifurc_", ifname);
	run("ethtool -n %s | grep -A1 '^Filter'", ifname);

	err = 0;
	if (reap(ping) != 0)
		err = snprintf(why, WHY_LEN, "ping through the kernel failed");
	if (reap(client) != 0)
		err = snprintf(why, WHY_LEN, "TCP stream through the kernel failed");
	if (server > 0) {
		kill(server, SIGTERM);
		reap(server);
	}
	bifurc_close(q);
	if (got != (int)count || bad)
		FAIL("received %d/%u, %u bad", got, count, bad);
	return err ? KSFT_FAIL : KSFT_PASS;
}

/*
 * The application sleeps while a burst arrives: NAPI harvests it into the
 * comp ring and refills from the fill ring, so the whole burst is read with
 * (almost) no system call: the design's "at most one per 32 packets".
 */
static int rx_batch(void)
{
	const unsigned int count = 400;
	struct bifurc_opts o = { .size = sizeof(o), .buf_count = 2048 };
	unsigned int bad = 0, waits = 0;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	pid_t sender;
	int got, err;

	if (!have_peer())
		SKIP("no peer");
	err = open_with_rule(&q, PORT_FLOW, &o);
	if (err)
		FAIL("attach + rule: %s", bifurc_strerror(err));
	sender = send_flow(PORT_FLOW, count, 128);
	reap(sender);
	sleep(1);
	got = receive(q, PORT_FLOW, count, 30, &bad, &waits);
	err = bifurc_stats(q, &st);
	bifurc_close(q);
	if (err)
		FAIL("stats: %s", bifurc_strerror(err));
	msg("burst: %d/%u datagrams, %llu kicks + %u poll = %.4f syscalls "
	    "per packet", got, count, (unsigned long long)st.kicks, waits,
	    (double)(st.kicks + waits) / (got ? got : 1));
	if (got != (int)count || bad)
		FAIL("received %d/%u, %u bad", got, count, bad);
	if ((st.kicks + waits) * 32 > (uint64_t)count)
		FAIL("%llu syscalls for %u packets",
		     (unsigned long long)(st.kicks + waits), count);
	return KSFT_PASS;
}

/* Interrupts of the queue's vector ("<if>-TxRx-<q>"), all CPUs. */
static long queue_irqs(void)
{
	char want[64], line[1024], *p, *end;
	long sum = -1, v;
	FILE *f;

	snprintf(want, sizeof(want), " %s-TxRx-%u\n", ifname, queue);
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

/*
 * Busy-poll attach: the queue's vector stays masked for the whole
 * attachment, KICKs alone move the data, and nothing is lost.
 */
static int rx_busy_poll(void)
{
	const unsigned int count = 200;
	struct bifurc_opts o = { .size = sizeof(o),
				 .flags = BIFURC_OPT_BUSY_POLL };
	unsigned int bad = 0, waits = 0;
	struct bifurc_queue *q;
	long before, after;
	pid_t sender;
	int got, err;

	if (!have_peer())
		SKIP("no peer");
	err = open_with_rule(&q, PORT_FLOW, &o);
	if (err == -EOPNOTSUPP)
		SKIP("the queue's vector is shared");
	if (err)
		FAIL("attach + rule: %s", bifurc_strerror(err));
	before = queue_irqs();
	sender = send_flow(PORT_FLOW, count, 128);
	got = receive(q, PORT_FLOW, count, 60, &bad, &waits);
	reap(sender);
	after = queue_irqs();
	bifurc_close(q);
	msg("busy poll: %d/%u datagrams, vector interrupts %ld -> %ld", got,
	    count, before, after);
	if (got != (int)count || bad)
		FAIL("received %d/%u, %u bad", got, count, bad);
	if (before < 0 || after != before)
		FAIL("the vector fired: %ld -> %ld interrupts", before, after);
	return KSFT_PASS;
}

static int unsteered_flow(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(PORT_OTHER) };
	struct timeval tv = { .tv_sec = 1 };
	unsigned int bad = 0, waits = 0, kernel = 0;
	struct bifurc_queue *q;
	char buf[2048];
	pid_t sender;
	int s, err, app;
	double end;

	if (!have_peer())
		SKIP("no peer");
	err = open_with_rule(&q, PORT_FLOW, NULL);
	if (err)
		FAIL("attach + rule: %s", bifurc_strerror(err));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0);
	CHECK(bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	sender = send_flow(PORT_OTHER, 50, 64);
	end = now() + 60;
	while (kernel < 50 && now() < end) {
		if (recv(s, buf, sizeof(buf), 0) > 0)
			kernel++;
		else if (waitpid(sender, NULL, WNOHANG) == sender)
			break;	/* sent everything and 1 s of silence */
	}
	if (kernel == 50)
		reap(sender);
	/* nothing of it reached the application */
	app = receive(q, PORT_OTHER, 50, 2, &bad, &waits);
	close(s);
	bifurc_close(q);
	msg("kernel socket got %u/50, the application %d (+%u other)",
	    kernel, app, bad);
	if (kernel != 50 || app != 0 || bad)
		FAIL("kernel %u/50, app %d, other %u", kernel, app, bad);
	return KSFT_PASS;
}

static int close_cleanup(void)
{
	struct bifurc_queue *q;
	int before, err;

	before = ntuple_rules();
	err = open_with_rule(&q, PORT_FLOW, NULL);
	if (err)
		FAIL("attach + rule: %s", bifurc_strerror(err));
	CHECK(ntuple_rules() == before + 1);
	CHECK(queue_attached());
	bifurc_close(q);
	CHECK(ntuple_rules() == before);
	CHECK(!queue_attached());
	err = open_with_rule(&q, PORT_FLOW, NULL);
	if (err)
		FAIL("attach again: %s", bifurc_strerror(err));
	bifurc_close(q);
	CHECK(!queue_attached());
	return KSFT_PASS;
}

static long memcg_current(const char *cg)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), "%s/memory.current", cg);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	return atol(buf);
}

/*
 * The cgroup v2 root.  "ip netns exec" mounts a fresh sysfs over /sys,
 * which hides /sys/fs/cgroup: mount the hierarchy again privately.
 */
static const char *cgroup_root(void)
{
	static const char *alt = "/tmp/bifurc-cgroup";

	if (!access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		return "/sys/fs/cgroup";
	mkdir(alt, 0755);
	if (access("/tmp/bifurc-cgroup/cgroup.controllers", F_OK) &&
	    mount("none", alt, "cgroup2", 0, NULL))
		return NULL;
	return alt;
}

/*
 * bifurc_pages(), the pages all attachments hold.  "ip netns exec" mounts
 * a fresh sysfs over /sys, which hides debugfs: mount it again in this
 * (private) mount namespace.
 */
static long driver_pages(void)
{
	struct statfs sf;

	if (statfs("/sys/kernel/debug", &sf) || sf.f_type != DEBUGFS_MAGIC)
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	return bifurc_pages();
}

/*
 * The kill -9 cases' page count: it rose by at least the pool's pages
 * while attached and came back to the baseline exactly.
 */
static int pages_back(long base, long during, long after, long pool)
{
	if (during - base < pool)
		FAIL("bifurc pages rose by %ld with the queue attached, want "
		     ">= %ld", during - base, pool);
	if (after != base)
		FAIL("bifurc pages %ld after kill -9, baseline %ld: %+ld",
		     after, base, after - base);
	return KSFT_PASS;
}

static int kill9_no_leak(void)
{
	const char *root = cgroup_root();
	char cg[PATH_MAX];
	struct bifurc_opts o = { .size = sizeof(o), .buf_count = 8192,
				 .fill_entries = 8192, .comp_entries = 8192 };
	/* 8192 buffers of libbifurc's default 2048 bytes: 16 MiB */
	long pool = (16L << 20) / sysconf(_SC_PAGESIZE);
	long base, during, after, cg_during = -1, cg_after = -1;
	char pid[32], path[PATH_MAX];
	pid_t child, sender;
	int before, i;

	if (!have_peer())
		SKIP("no peer");
	base = driver_pages();
	if (base < 0)
		FAIL("no " BIFURC_PAGES_FILE ": a driver without the count?");
	/*
	 * The pool is charged to the attaching process's memory cgroup: with
	 * a memory controller, check that the charge comes and goes too.
	 */
	cg[0] = '\0';
	if (root) {
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", root);
		write_file(path, "+memory");
		snprintf(cg, sizeof(cg), "%s/bifurc-kill9", root);
		rmdir(cg);
		if ((mkdir(cg, 0755) && errno != EEXIST) || memcg_current(cg) < 0) {
			rmdir(cg);
			cg[0] = '\0';
		}
	}
	before = ntuple_rules();

	child = fork();
	if (child == 0) {
		struct bifurc_pkt pkts[64];
		struct bifurc_queue *q;
		int n;

		snprintf(pid, sizeof(pid), "%d", getpid());
		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		if ((cg[0] && write_file(path, pid)) ||
		    open_with_rule(&q, PORT_KILL, &o))
			_exit(1);
		for (;;) {
			n = bifurc_rx_burst(q, pkts, 64);
			if (n > 0)
				bifurc_rx_release(q, pkts, n);
			else
				bifurc_wait(q, 100);
		}
	}
	CHECK(child > 0);
	if (!wait_until(queue_attached, 30)) {
		kill(child, SIGKILL);
		reap(child);
		FAIL("the child did not attach");
	}
	sender = send_flow(PORT_KILL, 2000, 512);
	sleep(2);
	during = bifurc_pages();
	cg_during = cg[0] ? memcg_current(cg) : -1;
	kill(child, SIGKILL);		/* mid-traffic */
	reap(child);
	reap(sender);
	/*
	 * The child's exit closed its file and tore down its mappings before
	 * waitpid() returned, so the driver has freed the attachment; the
	 * settle only covers an fput deferred to a workqueue.
	 */
	after = bifurc_pages_settle(base, 5);
	/* the child's other charges (task, files) go after RCU grace periods */
	for (i = 0; cg[0] && i < 50; i++) {
		cg_after = memcg_current(cg);
		if (cg_after >= 0 && cg_after < (2 << 20))
			break;
		usleep(100 * 1000);
	}
	msg("bifurc pages: %ld baseline, %ld with the 16 MiB pool attached, "
	    "%ld after kill -9", base, during, after);
	if (cg[0]) {
		msg("memory cgroup: %ld KiB with the pool attached, %ld KiB "
		    "after kill -9", cg_during >> 10, cg_after >> 10);
		rmdir(cg);
	}
	CHECK(!queue_attached());
	CHECK(ntuple_rules() == before);
	if (pages_back(base, during, after, pool))
		return KSFT_FAIL;
	if (cg[0]) {
		CHECK(cg_during >= 16L << 20);
		CHECK(cg_after >= 0 && cg_after < (2 << 20));
	}
	return KSFT_PASS;
}

/* ---- teardown cases ---------------------------------------------------- */

/* Attach with raw system calls; the counters page is mapped to *cp. */
static int raw_attach(int *fdp, struct bifurc_counters **cp)
{
	struct bifurc_attach a;
	struct bifurc_kick k;
	int fd, err;

	fd = open_node();
	if (fd < 0)
		return -errno;
	attach_args(&a, queue);
	err = xioctl(fd, BIFURC_IOC_ATTACH, &a);
	if (!err)
		err = kick(fd, BIFURC_KICK_RX_REFILL, &k);
	if (!err) {
		*cp = mmap(NULL, a.counters.length, PROT_READ, MAP_SHARED, fd,
			   a.counters.offset);
		if (*cp == MAP_FAILED)
			err = -errno;
	}
	if (err) {
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}

/*
 * Attach, run ACTION (a shell command), expect the attachment to die with
 * ERR and the matching status bit, run RECOVER, then attach again.
 */
static int teardown(const char *action, const char *recover, int err,
		    bool reattach)
{
	struct bifurc_counters *c;
	struct bifurc_counters st;
	struct bifurc_kick k;
	struct pollfd pfd;
	uint32_t want;
	int e, fd;

	e = raw_attach(&fd, &c);
	if (e)
		FAIL("attach: %s", strerror(-e));
	if (run("%s", action)) {
		munmap(c, 4096);
		close(fd);
		FAIL("'%s' failed", action);
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	e = poll(&pfd, 1, 5000);
	want = err == -ENODEV ? BIFURC_STATUS_REMOVED : BIFURC_STATUS_RESET;
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	if (e != 1 || !(pfd.revents & POLLERR) ||
	    (err == -ENODEV) != !!(pfd.revents & POLLHUP)) {
		snprintf(why, WHY_LEN, "poll: %d revents 0x%x", e,
			 pfd.revents);
		e = KSFT_FAIL;
	} else if (kick(fd, BIFURC_KICK_RX_REFILL, &k) != err ||
		   xioctl(fd, BIFURC_IOC_STATS, &st) != err) {
		snprintf(why, WHY_LEN, "KICK/STATS do not say %s",
			 strerror(-err));
		e = KSFT_FAIL;
	} else if (__atomic_load_n(&c->status, __ATOMIC_ACQUIRE) != want) {
		snprintf(why, WHY_LEN, "status 0x%x, want 0x%x",
			 c->status, want);
		e = KSFT_FAIL;
	} else {
		e = KSFT_PASS;
	}
	/* the mapped page outlives the attachment */
	munmap(c, 4096);
	close(fd);
	if (e != KSFT_PASS)
		return e;
	CHECK(!queue_attached() || err == -ENODEV);
	if (recover && run("%s", recover))
		FAIL("'%s' failed", recover);
	if (!reattach)
		return KSFT_PASS;
	if (!wait_until(link_up, 30))
		FAIL("the link did not come back");
	e = raw_attach(&fd, &c);
	if (e)
		FAIL("attach again: %s", strerror(-e));
	munmap(c, 4096);
	close(fd);
	return KSFT_PASS;
}

static int down_enetreset(void)
{
	char a[128], r[128];

	snprintf(a, sizeof(a), "ip link set dev %s down", ifname);
	snprintf(r, sizeof(r), "ip link set dev %s up", ifname);
	return teardown(a, r, -ENETRESET, true);
}

static int channels_enetreset(void)
{
	struct bifurc_info i;
	char a[128], r[128];
	int fd;

	fd = open_node();
	CHECK(fd >= 0);
	CHECK_ERR(get_info(fd, &i), 0);
	close(fd);
	if (i.num_rx_queues < 2)
		SKIP("one channel");
	/* one channel less (the reserved queue may go away), then back */
	snprintf(a, sizeof(a), "ethtool -L %s combined %u", ifname,
		 i.num_rx_queues - 1);
	snprintf(r, sizeof(r), "ethtool -L %s combined %u", ifname,
		 i.num_rx_queues);
	return teardown(a, r, -ENETRESET, true);
}

static int rings_enetreset(void)
{
	char a[128], r[128];

	snprintf(a, sizeof(a), "ethtool -G %s rx 256", ifname);
	snprintf(r, sizeof(r), "ethtool -G %s rx 512", ifname);
	return teardown(a, r, -ENETRESET, true);
}

static int reset_enetreset(void)
{
	char a[128], r[128];

	/* ixgbe_change_mtu() resets a running adapter */
	snprintf(a, sizeof(a), "ip link set dev %s mtu 1400", ifname);
	snprintf(r, sizeof(r), "ip link set dev %s mtu 1500", ifname);
	return teardown(a, r, -ENETRESET, true);
}

static int release_enetreset(void)
{
	char a[PATH_MAX + 64], r[PATH_MAX + 64];

	snprintf(a, sizeof(a), "echo %u > %s/release", queue, classdir);
	snprintf(r, sizeof(r), "echo %u > %s/reserve", queue, classdir);
	return teardown(a, r, -ENETRESET, true);
}

static int rmmod_busy(void)
{
	struct bifurc_counters *c;
	struct bifurc_kick k;
	int e, fd;

	e = raw_attach(&fd, &c);
	if (e)
		FAIL("attach: %s", strerror(-e));
	e = run("rmmod ixgbe");
	if (e == 0)
		FAIL("rmmod ixgbe worked with a file attached");
	e = kick(fd, BIFURC_KICK_RX_REFILL, &k);
	munmap(c, 4096);
	close(fd);
	if (e)
		FAIL("the attachment broke: %s", strerror(-e));
	return KSFT_PASS;
}

/*
 * The rescanned port is whole: bound to ixgbe, its bifurc device back and
 * its netdev registered (in the init namespace, a new device's home).
 */
static bool port_back(void)
{
	char path[PATH_MAX], want[96], line[4096];
	bool up = false;
	ssize_t n;
	FILE *p;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", pci);
	n = readlink(path, line, sizeof(line) - 1);
	if (n < 6 || memcmp(line + n - 6, "/ixgbe", 6))
		return false;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/bifurc/bifurc-%s",
		 pci, pci);
	if (access(path, F_OK))
		return false;
	p = popen("nsenter --net=/proc/1/ns/net ip -o -d link show", "r");
	if (!p)
		return false;
	snprintf(want, sizeof(want), "parentdev %s ", pci);
	while (fgets(line, sizeof(line), p))
		up |= strstr(line, want) != NULL;
	pclose(p);
	return up;
}

static int remove_enodev(void)
{
	char a[PATH_MAX];
	int fd, e;

	snprintf(a, sizeof(a), "echo 1 > /sys/bus/pci/devices/%s/remove", pci);
	fd = open_node();
	CHECK(fd >= 0);
	e = teardown(a, NULL, -ENODEV, false);
	/* every later call on an old file is ENODEV */
	if (e == KSFT_PASS) {
		struct bifurc_info i;

		if (get_info(fd, &i) != -ENODEV)
			e = KSFT_FAIL, snprintf(why, WHY_LEN,
						"INFO after remove is not ENODEV");
	}
	close(fd);
	/* without the port, bifurc.sh's unload and the next tests fail */
	write_file("/sys/bus/pci/rescan", "1");
	if (!wait_until(port_back, 30) && e == KSFT_PASS)
		FAIL("rescan did not bring %s back (ixgbe, bifurc device, "
		     "netdev)", pci);
	return e;
}

/* ---- transmit cases ---------------------------------------------------- */

/* A raw TX attachment with every region mapped. */
struct txq {
	int fd;
	struct bifurc_attach a;
	uint8_t *pool;
	struct bifurc_ring_hdr *fill, *tx, *txc;
	struct bifurc_counters *c;
	uint8_t frame[64];	/* Ethernet + IPv4 + UDP header template */
};

static void *map_region(int fd, const struct bifurc_region *r, int prot)
{
	void *p = mmap(NULL, r->length, prot, MAP_SHARED, fd, r->offset);

	return p == MAP_FAILED ? NULL : p;
}

/* ---- raw descriptor mode ----------------------------------------------- */

/*
 * Whether the kernel bounces DMA through the swiotlb (the DMA-API guest of
 * testbed/vm.py boots with swiotlb=force): then nobody could sync what user
 * space reads from the NIC in raw mode, and ATTACH refuses it (uapi section
 * 5).
 */
static bool dma_bounced(void)
{
	char line[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	return strstr(line, "swiotlb=force");
}

/* With bounced DMA: raw ATTACH is EOPNOTSUPP, and a plain one still works. */
static int raw_refused_bounced(void)
{
	struct bifurc_attach a;
	int fd;

	fd = open_node();
	CHECK(fd >= 0);
	attach_args(&a, queue);
	a.flags = BIFURC_ATTACH_RAW_DESC;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), EOPNOTSUPP);
	attach_args(&a, queue);
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);
	close(fd);
	msg("swiotlb=force: raw mode refused (EOPNOTSUPP), ring mode attaches");
	return KSFT_PASS;
}

static int rx_raw(void)
{
	const unsigned int count = 200;
	struct bifurc_opts o = { .size = sizeof(o),
				 .flags = BIFURC_OPT_RAW_DESC };
	unsigned int bad = 0, waits = 0;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	pid_t sender;
	int got, err;

	if (!have_peer())
		SKIP("no peer");
	err = open_with_rule(&q, PORT_RAW, &o);
	if (dma_bounced()) {
		CHECK_ERR(err, EOPNOTSUPP);
		return raw_refused_bounced();
	}
	if (err)
		FAIL("raw attach + rule: %s", bifurc_strerror(err));
	sender = send_flow(PORT_RAW, count, 256);
	got = receive(q, PORT_RAW, count, 60, &bad, &waits);
	reap(sender);
	/* the kernel counts what it took back: poll() takes back the rest */
	bifurc_wait(q, 0);
	err = bifurc_stats(q, &st);
	bifurc_close(q);
	msg("raw: %d/%u datagrams, %u waits, kernel counted %llu, ring "
	    "errors %llu", got, count, waits,
	    (unsigned long long)st.rx_packets,
	    (unsigned long long)st.rx_ring_err);
	if (got != (int)count || bad)
		FAIL("received %d/%u, %u bad", got, count, bad);
	if (err || st.rx_packets != count || st.rx_ring_err)
		FAIL("stats: %d, rx_packets %llu, rx_ring_err %llu", err,
		     (unsigned long long)st.rx_packets,
		     (unsigned long long)st.rx_ring_err);
	return KSFT_PASS;
}

static int raw_attach_refused(void)
{
	struct bifurc_attach a;
	int fd, err;

	fd = open_node();
	if (fd < 0)
		return KSFT_FAIL;
	attach_args(&a, queue);
	a.flags = BIFURC_ATTACH_RAW_DESC;
	err = xioctl(fd, BIFURC_IOC_ATTACH, &a);
	if (err != -EPERM) {
		snprintf(why, WHY_LEN, "raw attach without CAP_SYS_ADMIN: %s",
			 strerror(-err));
		return KSFT_FAIL;
	}
	attach_args(&a, queue);
	err = xioctl(fd, BIFURC_IOC_ATTACH, &a);
	close(fd);
	if (err) {
		snprintf(why, WHY_LEN, "plain attach without CAP_SYS_ADMIN: %s",
			 strerror(-err));
		return KSFT_FAIL;
	}
	return KSFT_PASS;
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

static int raw_ring(void)
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

	if (dma_bounced())
		return raw_refused_bounced();
	fd = open_node();
	CHECK(fd >= 0);
	CHECK(get_info(fd, &info) == 0);
	CHECK(info.flags & BIFURC_INFO_F_RAW_DESC);
	/* privilege: bus addresses show in unwritten descriptors */
	if (!(info.flags & BIFURC_INFO_F_IOMMU) &&
	    without_cap(CAP_SYS_ADMIN, raw_attach_refused) != KSFT_PASS)
		return KSFT_FAIL;	/* the child said why */
	attach_args(&a, queue);
	a.flags = BIFURC_ATTACH_RAW_DESC;
	CHECK_ERR(xioctl(fd, BIFURC_IOC_ATTACH, &a), 0);
	CHECK(a.desc_format == BIFURC_DESC_FMT_IXGBE_ADV);
	CHECK(a.desc.prot == BIFURC_PROT_READ && a.desc.entries == a.rx_desc);
	CHECK(a.desc.length >= BIFURC_RAW_SLOTS_OFFSET(a.rx_desc) +
			       a.rx_desc * sizeof(uint32_t));
	CHECK(mmap(NULL, a.desc.length, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, a.desc.offset) == MAP_FAILED && errno == EACCES);
	desc = map_region(fd, &a.desc, PROT_READ);
	fill = map_region(fd, &a.fill, PROT_READ | PROT_WRITE);
	comp = map_region(fd, &a.comp, PROT_READ | PROT_WRITE);
	cn = map_region(fd, &a.counters, PROT_READ);
	pool = map_region(fd, &a.pool, PROT_READ | PROT_WRITE);
	CHECK(desc && fill && comp && cn && pool);
	CHECK(mprotect((void *)desc, a.desc.length, PROT_READ | PROT_WRITE) < 0 &&
	      errno == EACCES);
	slots = (const uint32_t *)((const uint8_t *)desc +
				   BIFURC_RAW_SLOTS_OFFSET(a.rx_desc));

	/* eight buffers, ids 7..0: the slot table says which went where */
	ids = (uint32_t *)((uint8_t *)fill + BIFURC_RING_ENTRIES_OFFSET);
	for (i = 0; i < 8; i++)
		ids[i] = 7 - i;
	__atomic_store_n(&fill->producer, 8, __ATOMIC_RELEASE);
	CHECK_ERR(kick(fd, BIFURC_KICK_RX_REFILL, &k), 0);
	CHECK(k.rx_refilled == 8);
	CHECK(__atomic_load_n(&comp->producer, __ATOMIC_ACQUIRE) == 8);
	for (i = 0; i < 8; i++)
		CHECK(slots[i] == 7 - i && desc[i].status_error == 0);

	/* lies: beyond what was posted, past what the NIC has not written */
	errs = cn->rx_ring_err;
	CHECK_ERR(raw_consume(fd, comp, 9, &taken), 0);
	CHECK(taken == 0 && cn->rx_ring_err == errs + 1);
	CHECK_ERR(raw_consume(fd, comp, 1, &taken), 0);
	CHECK(taken == 0 && cn->rx_ring_err == errs + 2);
	CHECK_ERR(raw_consume(fd, comp, 0, &taken), 0);
	CHECK(taken == 0 && cn->rx_ring_err == errs + 2);

	/* one datagram, read from its descriptor and the pool */
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (have_peer()) {
		udp_rule(&rule, PORT_RAW);
		CHECK_ERR(xioctl(fd, BIFURC_IOC_FLOW_ADD, &rule), 0);
		sender = send_flow(PORT_RAW, 1, 100);
		CHECK(poll(&pfd, 1, 20000) == 1 && (pfd.revents & POLLIN));
		reap(sender);
		CHECK(desc[0].status_error & BIFURC_RXD_STAT_DD);
		CHECK(desc[0].status_error & BIFURC_RXD_STAT_EOP);
		f = pool + (size_t)slots[0] * a.buf_size;
		CHECK(desc[0].length == 42 + 100 && f[23] == 17);
		CHECK(((f[36] << 8) | f[37]) == PORT_RAW);
		CHECK(payload_ok(f + 42, 100, &seq) && seq == 0);
		CHECK_ERR(raw_consume(fd, comp, 1, &taken), 0);
		CHECK(taken == 1 && cn->rx_packets == 1 &&
		      cn->rx_ring_err == errs + 2);

		/*
		 * A second one, consumed by the index alone: a refill first
		 * takes back what the consumer passed, so both buffers go
		 * straight back to the NIC (uapi: KICK, RX_REFILL).
		 */
		sender = send_flow(PORT_RAW, 1, 100);
		CHECK(poll(&pfd, 1, 20000) == 1 && (pfd.revents & POLLIN));
		reap(sender);
		CHECK(desc[1].status_error & BIFURC_RXD_STAT_DD);
		__atomic_store_n(&comp->consumer, 2, __ATOMIC_RELEASE);
		ids[8 & (a.fill.entries - 1)] = slots[0];
		ids[9 & (a.fill.entries - 1)] = slots[1];
		__atomic_store_n(&fill->producer, 10, __ATOMIC_RELEASE);
		errs = cn->rx_bad_id;
		CHECK_ERR(kick(fd, BIFURC_KICK_RX_REFILL, &k), 0);
		msg("raw: refill after consuming 2: %u refilled, %u rejected",
		    k.rx_refilled, k.rx_rejected);
		CHECK(k.rx_refilled == 2 && k.rx_rejected == 0 &&
		      cn->rx_bad_id == errs && cn->rx_packets == 2);
		CHECK(__atomic_load_n(&comp->producer, __ATOMIC_ACQUIRE) == 10);
	}

	/* the attachment dies; what is mapped stays readable until munmap */
	CHECK(run("ip link set dev %s down", ifname) == 0);
	CHECK(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLERR));
	CHECK(cn->status == BIFURC_STATUS_RESET);
	CHECK(slots[2] == 5 && desc[2].status_error == 0);
	close(fd);
	munmap((void *)desc, a.desc.length);
	munmap(fill, a.fill.length);
	munmap(comp, a.comp.length);
	munmap((void *)cn, a.counters.length);
	munmap((void *)pool, a.pool.length);
	CHECK(run("ip link set dev %s up", ifname) == 0);
	CHECK(wait_until(link_up, 30));
	CHECK(!queue_attached());
	return KSFT_PASS;
}

static uint16_t ip_csum(const uint8_t *h, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < len; i += 2)
		sum += (h[i] << 8) | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static int mac_of(const char *ns, const char *dev, uint8_t mac[6])
{
	char cmd[256], line[64];
	FILE *p;
	int n;

	snprintf(cmd, sizeof(cmd), "%s%s cat /sys/class/net/%s/address",
		 ns ? "ip netns exec " : "", ns ? ns : "", dev);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fgets(line, sizeof(line), p) ? sscanf(line,
		"%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2],
		&mac[3], &mac[4], &mac[5]) : 0;
	pclose(p);
	return n == 6 ? 0 : -1;
}

/* The peer's interface: the one that holds BIFURC_PEER_ADDR. */
static int peer_dev(char dev[64])
{
	char cmd[256];
	FILE *p;
	int n;

	snprintf(cmd, sizeof(cmd), "ip netns exec %s ip -o -4 addr show to %s",
		 peer_ns, peer_addr);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fscanf(p, "%*d: %63s", dev);
	pclose(p);
	return n == 1 ? 0 : -1;
}

static int peer_mac(uint8_t mac[6])
{
	char dev[64];

	return peer_dev(dev) ? -1 : mac_of(peer_ns, dev, mac);
}

/* Ethernet/IPv4/UDP header for a datagram of PAYLOAD bytes to the peer. */
static int tx_template(struct txq *t, unsigned int payload)
{
	uint8_t *f = t->frame;
	struct in_addr src, dst;
	uint16_t ip_len = 20 + 8 + payload, udp_len = 8 + payload;

	if (peer_mac(f) || mac_of(NULL, ifname, f + 6) ||
	    inet_pton(AF_INET, local_addr, &src) != 1 ||
	    inet_pton(AF_INET, peer_addr, &dst) != 1)
		return -1;
	f[12] = 0x08;
	f[13] = 0x00;
	memset(f + 14, 0, 28);
	f[14] = 0x45;
	f[16] = ip_len >> 8;
	f[17] = ip_len & 0xff;
	f[22] = 64;			/* TTL */
	f[23] = 17;			/* UDP */
	memcpy(f + 26, &src, 4);
	memcpy(f + 30, &dst, 4);
	f[24] = ip_csum(f + 14, 20) >> 8;
	f[25] = ip_csum(f + 14, 20) & 0xff;
	f[34] = PORT_TX >> 8;
	f[35] = PORT_TX & 0xff;
	f[36] = PORT_TX >> 8;
	f[37] = PORT_TX & 0xff;
	f[38] = udp_len >> 8;
	f[39] = udp_len & 0xff;		/* UDP checksum 0: none (IPv4) */
	return 0;
}

/* Datagram SEQ of PAYLOAD bytes (flows.py's pattern) into buffer ID. */
static unsigned int tx_build(struct txq *t, uint32_t id, uint32_t seq,
			     unsigned int payload)
{
	uint8_t *f = t->pool + (size_t)id * t->a.buf_size;
	unsigned int i;

	memcpy(f, t->frame, 42);
	f[42] = seq >> 24;
	f[43] = seq >> 16;
	f[44] = seq >> 8;
	f[45] = seq;
	for (i = 4; i < payload; i++)
		f[42 + i] = (uint8_t)(seq + i - 4);
	return 42 + payload;
}

static int tx_attach(struct txq *t, uint32_t extra_flags)
{
	memset(t, 0, sizeof(*t));
	t->fd = open_node();
	if (t->fd < 0)
		return -errno;
	attach_args(&t->a, queue);
	t->a.flags = BIFURC_ATTACH_TX | extra_flags;
	t->a.tx_entries = 64;
	t->a.txc_entries = 64;
	if (xioctl(t->fd, BIFURC_IOC_ATTACH, &t->a))
		return -errno;
	t->pool = map_region(t->fd, &t->a.pool, PROT_READ | PROT_WRITE);
	t->fill = map_region(t->fd, &t->a.fill, PROT_READ | PROT_WRITE);
	t->tx = map_region(t->fd, &t->a.tx, PROT_READ | PROT_WRITE);
	t->txc = map_region(t->fd, &t->a.txc, PROT_READ | PROT_WRITE);
	t->c = map_region(t->fd, &t->a.counters, PROT_READ);
	return t->pool && t->fill && t->tx && t->txc && t->c ? 0 : -ENOMEM;
}

/* The prologue of the TX cases: a peer, a TX attachment, a template. */
static int tx_start(struct txq *t, unsigned int payload)
{
	int e;

	if (!have_peer())
		SKIP("no peer");
	e = tx_attach(t, 0);
	if (e)
		FAIL("TX attach: %s", strerror(-e));
	CHECK(!tx_template(t, payload));
	return KSFT_PASS;
}

static struct bifurc_tx_entry *tx_ent(struct txq *t, uint32_t n)
{
	struct bifurc_tx_entry *e = (void *)((uint8_t *)t->tx +
					     BIFURC_RING_ENTRIES_OFFSET);

	return &e[n & (t->a.tx.entries - 1)];
}

/* Queue one entry at the producer (not yet published). */
static void tx_put(struct txq *t, uint32_t *prod, uint32_t id, uint32_t off,
		   uint32_t len, uint32_t flags)
{
	*tx_ent(t, (*prod)++) = (struct bifurc_tx_entry){
		.buf = id, .offset = off, .len = len, .flags = flags };
}

/* Take what the txc ring holds: count ids and REFUSED marks. */
static unsigned int txc_take(struct txq *t, unsigned int *refused,
			     uint32_t *ids, unsigned int max)
{
	uint32_t *e = (void *)((uint8_t *)t->txc + BIFURC_RING_ENTRIES_OFFSET);
	uint32_t p = __atomic_load_n(&t->txc->producer, __ATOMIC_ACQUIRE);
	uint32_t c = t->txc->consumer;
	unsigned int n = 0;

	for (; c != p; c++, n++) {
		uint32_t v = e[c & (t->a.txc.entries - 1)];

		if (v & BIFURC_TXC_F_REFUSED)
			(*refused)++;
		if (ids && n < max)
			ids[n] = v & BIFURC_TXC_ID_MASK;
	}
	__atomic_store_n(&t->txc->consumer, c, __ATOMIC_RELEASE);
	return n;
}

static void tx_close(struct txq *t)
{
	if (t->pool)
		munmap(t->pool, t->a.pool.length);
	if (t->fill)
		munmap(t->fill, t->a.fill.length);
	if (t->tx)
		munmap(t->tx, t->a.tx.length);
	if (t->txc)
		munmap(t->txc, t->a.txc.length);
	if (t->c)
		munmap(t->c, t->a.counters.length);
	close(t->fd);
}

/* flows.py recv in the peer namespace; its "received bad" line. */
static pid_t peer_recv(unsigned int port, unsigned int expect, int *outfd,
		       const char *ready)
{
	int pfd[2];
	pid_t pid;

	if (pipe(pfd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char cmd[512];

		dup2(pfd[1], 1);
		close(pfd[0]);
		snprintf(cmd, sizeof(cmd),
			 "ip netns exec %s python3 -S %s recv %u 60 --expect %u --ready %s",
			 peer_ns, flows, port, expect, ready);
		execl("/bin/bash", "bash", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	*outfd = pfd[0];
	return pid;
}

static bool ready_file_exists(const char *path)
{
	double end = now() + 20;

	while (now() < end) {
		if (!access(path, F_OK))
			return true;
		usleep(50 * 1000);
	}
	return false;
}

static int tx_send(void)
{
	const unsigned int count = 200, payload = 100;
	const char *ready = "/tmp/bifurc-tx-ready";
	unsigned int sent = 0, back = 0, refused = 0, got = 0, bad = 0;
	uint32_t prod = 0, i, ids[64];
	struct bifurc_kick k;
	char line[64] = "";
	struct txq t;
	int rfd, e;
	pid_t rx;

	e = tx_start(&t, payload);
	if (e)
		return e;
	CHECK(t.a.tx_desc == t.a.rx_desc);
	CHECK(t.a.tx.prot == (BIFURC_PROT_READ | BIFURC_PROT_WRITE));
	CHECK(t.tx->flags & BIFURC_RING_NEED_WAKEUP);
	unlink(ready);
	rx = peer_recv(PORT_TX, count, &rfd, ready);
	CHECK(rx > 0 && ready_file_exists(ready));

	/*
	 * Buffers 0..7 go round: build, submit, get back from txc.  Kick
	 * only when the kernel asks (NEED_WAKEUP); with frames in flight the
	 * completion interrupt's NAPI run takes new entries by itself.  Eight
	 * in flight and a pause per round keep the peer's Python receiver
	 * (slow under TCG) from overflowing its socket buffer.
	 */
	for (i = 0; i < 8 && sent < count; i++, sent++)
		tx_put(&t, &prod, i, 0, tx_build(&t, i, sent, payload), 0);
	__atomic_store_n(&t.tx->producer, prod, __ATOMIC_RELEASE);
	CHECK_ERR(kick(t.fd, BIFURC_KICK_TX_SUBMIT, &k), 0);
	CHECK(k.tx_submitted == 8 && k.tx_rejected == 0);
	{
		double end = now() + 30;

		while (back < count && now() < end) {
			unsigned int n = txc_take(&t, &refused, ids, 64), j;

			back += n;
			for (j = 0; j < n && sent < count; j++, sent++)
				tx_put(&t, &prod, ids[j], 0,
				       tx_build(&t, ids[j], sent, payload), 0);
			if (n) {
				__atomic_store_n(&t.tx->producer, prod,
						 __ATOMIC_RELEASE);
				__atomic_thread_fence(__ATOMIC_SEQ_CST);
				if (t.tx->flags & BIFURC_RING_NEED_WAKEUP)
					kick(t.fd, BIFURC_KICK_TX_SUBMIT, &k);
			}
			usleep(5000);
		}
	}
	if (read(rfd, line, sizeof(line) - 1) > 0)
		sscanf(line, "%u %u", &got, &bad);
	reap(rx);
	close(rfd);
	msg("sent %u frames of %u bytes, %u back from txc (%u refused), "
	    "peer received %u (bad %u); %llu kicks for %u frames",
	    sent, 42 + payload, back, refused, got, bad,
	    (unsigned long long)t.c->kicks, count);
	CHECK(back == count && refused == 0);
	CHECK(got == count && bad == 0);
	CHECK(t.c->tx_packets == count);
	CHECK(t.c->tx_bytes == (uint64_t)count * (42 + payload));
	CHECK(t.c->tx_bad_id == 0 && t.c->tx_bad_frame == 0);
	/* nothing in flight any more: the next submit needs a kick */
	CHECK(t.tx->flags & BIFURC_RING_NEED_WAKEUP);
	tx_close(&t);
	return KSFT_PASS;
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

static int tx_wait(void)
{
	const unsigned int frames = 8, payload = 100;
	unsigned int back = 0, refused = 0, polls = 0, n;
	struct bifurc_info info;
	struct bifurc_kick k;
	uint32_t prod = 0, i;
	struct tx_wait_late late = { 0 };
	double took, slept = 0;
	pthread_t thread;
	struct txq t;
	short ev;
	int e;

	e = tx_start(&t, payload);
	if (e)
		return e;
	/* POLLOUT: the tx ring has room, so it cannot be waited for */
	ev = poll_for(t.fd, POLLOUT, 300, &took);
	CHECK((ev & POLLOUT) && took < 0.25);
	ev = poll_for(t.fd, POLLWRBAND, 300, &took);
	if (ev)
		FAIL("POLLWRBAND (revents %#x) with nothing sent", ev);

	for (i = 0; i < frames; i++)
		tx_put(&t, &prod, i, 0, tx_build(&t, i, i, payload), 0);
	__atomic_store_n(&t.tx->producer, prod, __ATOMIC_RELEASE);
	CHECK_ERR(kick(t.fd, BIFURC_KICK_TX_SUBMIT, &k), 0);
	CHECK(k.tx_submitted == frames);
	while (back < frames) {
		ev = poll_for(t.fd, POLLWRBAND, 5000, &took);
		slept += took;
		polls++;
		n = txc_take(&t, &refused, NULL, 0);
		if (!(ev & POLLWRBAND) || !n)
			FAIL("poll %u for POLLWRBAND: revents %#x after %.2f s, "
			     "%u buffers in txc, %u of %u back", polls, ev,
			     took, n, back, frames);
		back += n;
	}

	/*
	 * A poll that sleeps first: nothing is in flight when it starts, a
	 * second thread submits 8 frames 0.2 s later with a KICK (which
	 * wakes nobody), and only the completion interrupt's NAPI poll can
	 * wake the first with buffers in txc.
	 */
	for (i = 0; i < frames; i++)
		tx_put(&t, &prod, i, 0, tx_build(&t, i, frames + i, payload), 0);
	late.fd = t.fd;
	late.tx = t.tx;
	late.prod = prod;
	CHECK(!pthread_create(&thread, NULL, tx_wait_submit, &late));
	ev = poll_for(t.fd, POLLWRBAND, 10000, &took);
	pthread_join(thread, NULL);
	n = txc_take(&t, &refused, NULL, 0);
	CHECK(late.err == 0 && late.submitted == frames);
	if (!(ev & POLLWRBAND) || !n || took < 0.15)
		FAIL("sleeping poll for POLLWRBAND returned %#x after %.2f s, "
		     "%u buffers in txc", ev, took, n);
	msg("a sleeping poll woken after %.2f s with %u of %u back", took, n,
	    frames);
	for (back = n; back < frames; back += n) {
		ev = poll_for(t.fd, POLLWRBAND, 5000, &took);
		n = txc_take(&t, &refused, NULL, 0);
		if (!(ev & POLLWRBAND) || !n)
			FAIL("after the wakeup: %u of %u back, then revents %#x",
			     back, frames, ev);
	}
	ev = poll_for(t.fd, POLLWRBAND, 300, &took);
	CHECK(!ev && took >= 0.25);
	CHECK_ERR(get_info(t.fd, &info), 0);
	msg("%u frames back in %u POLLWRBAND polls (%.3f s asleep), refused %u",
	    back, polls, slept, refused);
	CHECK(refused == 0);
	CHECK(info.flags & BIFURC_INFO_F_TX_WAIT);
	tx_close(&t);
	return KSFT_PASS;
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

static int tx_echo(void)
{
	const unsigned int count = 120;
	struct bifurc_opts o = { .size = sizeof(o), .flags = BIFURC_OPT_TX };
	struct bifurc_pkt pkts[32], back[32], drop[32];
	unsigned int sent = 0, ignored = 0, waits = 0, ndrop, i;
	char line[128] = "", dir[PATH_MAX];
	struct bifurc_queue_info qi;
	struct bifurc_tx tx[32];
	pid_t ping, server, client, peer;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	unsigned int r_sent = 0, r_replies = 0, r_exact = 0;
	double end;
	int n, err, pfd[2];

	if (!have_peer())
		SKIP("no peer");
	err = open_with_rule(&q, PORT_ECHO, &o);
	if (err)
		FAIL("attach with TX + rule: %s", bifurc_strerror(err));
	bifurc_queue_info(q, &qi);

	server = spawn("exec iperf3 -s -1 -p %u >/dev/null 2>&1", PORT_TCP);
	usleep(500 * 1000);
	client = spawn("ip netns exec %s iperf3 -c %s -p %u -t 6 "
		       ">/dev/null 2>&1", peer_ns, local_addr, PORT_TCP);
	ping = spawn("ip netns exec %s ping -q -c 12 -i 0.3 %s >/dev/null",
		     peer_ns, local_addr);
	snprintf(dir, sizeof(dir), "%s", flows);
	*strrchr(dir, '/') = '\0';
	CHECK(!pipe(pfd));
	fflush(stdout);
	peer = fork();
	if (peer == 0) {
		char cmd[PATH_MAX + 256];

		dup2(pfd[1], 1);
		snprintf(cmd, sizeof(cmd),
			 "ip netns exec %s python3 -S %s/examples.py echo %s %u %u",
			 peer_ns, dir, local_addr, PORT_ECHO, count);
		execl("/bin/bash", "bash", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);

	end = now() + 90;
	while (now() < end && waitpid(peer, NULL, WNOHANG) == 0) {
		n = bifurc_rx_burst(q, pkts, 32);
		if (n < 0)
			FAIL("rx_burst: %s", bifurc_strerror(n));
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
			if (err != n - (int)ndrop)
				FAIL("tx_burst: %d of %u", err, n - ndrop);
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
	msg("echoed %u datagrams (%u other frames); client: %s", sent,
	    ignored, line);
	msg("syscalls: %llu kicks + %u poll for %llu received and %llu sent "
	    "= %.3f per echoed packet", (unsigned long long)st.kicks, waits,
	    (unsigned long long)st.rx_packets,
	    (unsigned long long)st.tx_packets,
	    st.tx_packets ? (double)(st.kicks + waits) / st.tx_packets : 0);
	run("ethtool -S %s | grep bifurc_", ifname);
	bifurc_close(q);

	err = 0;
	if (reap(ping) != 0)
		err = snprintf(why, WHY_LEN, "ping through the kernel failed");
	if (reap(client) != 0 && !err)
		err = snprintf(why, WHY_LEN, "the TCP stream failed");
	reap(server);
	if (err)
		return KSFT_FAIL;
	CHECK(r_sent == count && r_replies == count && r_exact == count);
	CHECK(st.tx_packets >= count && st.tx_bad_id == 0 &&
	      st.tx_bad_frame == 0);
	return KSFT_PASS;
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
	if (fd < 0 || inet_pton(AF_INET, peer_addr, &dst.sin_addr) != 1)
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

	snprintf(cmd, sizeof(cmd), "ip netns exec %s ethtool -S %s", peer_ns,
		 dev);
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
		   "= 1 ] && exit 0; sleep 0.1; done; exit 1'", peer_ns, dev,
		   how, dev);
}

static int tx_rate(void)
{
	const char *ready = "/tmp/bifurc-tx-ready";
	unsigned long long took = 0, missed = 0, tbytes = 0;
	uint64_t frames, bytes, kicks, sent, calls, prev;
	struct peer_rx n0, n1;
	double pps_b, pps_k, end;
	char dev[64];
	struct txq t;
	pid_t sink;
	int e;

	e = tx_start(&t, 18);
	if (e)
		return e;
	/*
	 * Every frame the app counts sent must reach the peer.  Without
	 * pause frames ixgbe sets DROP_EN there: a frame it has no
	 * descriptor for is dropped and counted (QPRDC), not held in the
	 * packet buffer until that is full (MPC).  A
	 * socket bound to the port, never read (a reader would take the
	 * CPU the sender measures), keeps the peer from answering (ICMP,
	 * then ARP): every frame it counts is the app's.
	 */
	CHECK(!peer_dev(dev));
	CHECK(!peer_pause(dev, "autoneg off rx off tx off"));
	unlink(ready);
	sink = spawn("exec ip netns exec %s python3 -S -c 'import socket, "
		     "time; s = socket.socket(socket.AF_INET, "
		     "socket.SOCK_DGRAM); s.bind((\"\", %u)); open(\"%s\", "
		     "\"w\"); time.sleep(600)'", peer_ns, PORT_TX, ready);
	CHECK(sink > 0 && ready_file_exists(ready));
	e = peer_settle(dev, &n0);
	pps_b = rate_bifurc(&t, 4, &frames, &kicks);
	/* the up to 63 frames still in the ring go out too: count them */
	do {
		prev = t.c->tx_packets;
		usleep(300 * 1000);
	} while (t.c->tx_packets != prev);
	frames = t.c->tx_packets;
	bytes = t.c->tx_bytes;
	tx_close(&t);
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
	if (peer_pause(dev, "autoneg on rx on tx on"))
		FAIL("the peer's pause frames did not come back");
	CHECK(!e);
	msg("bifurc raw TX: %.0f frames/s, %llu frames, %.4f syscalls/frame",
	    pps_b, (unsigned long long)frames,
	    frames ? (double)kicks / frames : 0);
	msg("the peer took %llu frames (%llu bytes) and missed %llu", took,
	    tbytes, missed);
	msg("kernel UDP sendmmsg(32): %.0f datagrams/s, %llu datagrams, "
	    "%.4f syscalls/datagram", pps_k, (unsigned long long)sent,
	    sent ? (double)calls / sent : 0);
	msg("ratio bifurc/kernel: %.2f (60-byte frames, TCG guest)",
	    pps_k > 0 ? pps_b / pps_k : 0);
	CHECK(frames > 0 && sent > 0 && bytes == frames * 60);
	CHECK(took + missed == frames && tbytes == took * 60);
	return KSFT_PASS;
}

static int tx_bad_entries(void)
{
	uint32_t prod = 0, fprod, ids[64], *fill;
	unsigned int refused = 0, n, len, i;
	struct bifurc_kick k;
	struct txq t;
	int e;

	e = tx_start(&t, 100);
	if (e)
		return e;
	len = tx_build(&t, 1, 0, 100);
	tx_build(&t, 2, 1, 100);

	/* buffer 5 goes to the NIC for reception: TX may not take it */
	fill = (uint32_t *)((uint8_t *)t.fill + BIFURC_RING_ENTRIES_OFFSET);
	fill[0] = 5;
	fprod = 1;
	__atomic_store_n(&t.fill->producer, fprod, __ATOMIC_RELEASE);
	CHECK_ERR(kick(t.fd, BIFURC_KICK_RX_REFILL, &k), 0);
	CHECK(k.rx_refilled == 1);

	tx_put(&t, &prod, t.a.buf_count + 3, 0, len, 0);	/* range */
	tx_put(&t, &prod, 5, 0, len, 0);			/* NIC's */
	tx_put(&t, &prod, 1, 0, len, 0);			/* good */
	tx_put(&t, &prod, 1, 0, len, 0);			/* double */
	tx_put(&t, &prod, 3, 2000, 100, 0);		/* off + len */
	tx_put(&t, &prod, 4, 0, 59, 0);			/* runt */
	tx_put(&t, &prod, 6, 0, 2048, BIFURC_TX_F_MORE);	/* giant: */
	tx_put(&t, &prod, 7, 0, 100, 0);			/* 2148 B */
	tx_put(&t, &prod, 8, 0, len, 0x80);		/* flags */
	for (i = 0; i < BIFURC_TX_MAX_FRAGS + 1; i++)	/* 10 frags */
		tx_put(&t, &prod, 10 + i, 0, 60, BIFURC_TX_F_MORE);
	tx_put(&t, &prod, 19, 0, 60, 0);
	tx_put(&t, &prod, 2, 0, len, 0);			/* good */
	__atomic_store_n(&t.tx->producer, prod, __ATOMIC_RELEASE);
	CHECK_ERR(kick(t.fd, BIFURC_KICK_TX_SUBMIT, &k), 0);
	msg("submitted %u entries: %u frames sent, %u entries rejected",
	    prod, k.tx_submitted, k.tx_rejected);
	/*
	 * Sent: buffer 1 (first time) and 2.  Dropped (tx_bad_id): the id
	 * out of range, buffer 5, the second buffer 1.  Refused
	 * (tx_bad_frame, buffers back): off+len, runt, giant (2 buffers),
	 * flags, and the overlong chain as one frame (its 10 buffers).
	 */
	CHECK(k.tx_submitted == 2);
	CHECK(k.tx_rejected == prod - 2);
	CHECK(t.c->tx_bad_id == 3);
	CHECK(t.c->tx_bad_frame == 5);
	CHECK(t.tx->consumer == prod);
	/*
	 * Refused buffers come back at once, marked; the good ones once the
	 * NIC sent them (NAPI may already have reclaimed them).
	 */
	n = txc_take(&t, &refused, ids, 64);
	CHECK(n >= 15 && refused == 15);
	for (i = 0; i < 100 && n < 17; i++) {
		usleep(20 * 1000);
		kick(t.fd, BIFURC_KICK_TX_RECLAIM, &k);
		n += txc_take(&t, &refused, ids, 64);
	}
	CHECK(n == 17 && refused == 15);
	CHECK(t.c->tx_packets == 2);
	CHECK(t.c->tx_bytes == 2ULL * len);
	/* a producer that claims more than the ring holds */
	__atomic_store_n(&t.tx->producer, prod + 65, __ATOMIC_RELEASE);
	CHECK_ERR(kick(t.fd, BIFURC_KICK_TX_SUBMIT, &k), 0);
	CHECK(k.tx_submitted == 0 && t.c->tx_ring_err == 1);
	CHECK(t.tx->consumer == prod);
	tx_close(&t);
	return KSFT_PASS;
}

static int tx_kill9(void)
{
	long pool, base, during, after;
	volatile uint32_t *shared;
	struct bifurc_attach a;
	pid_t child;
	int i;

	if (!have_peer())
		SKIP("no peer");
	/* the pool tx_attach() asks for; its rings come on top */
	attach_args(&a, queue);
	pool = (long)a.buf_count * a.buf_size / sysconf(_SC_PAGESIZE);
	base = driver_pages();
	if (base < 0)
		FAIL("no " BIFURC_PAGES_FILE ": a driver without the count?");
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(shared != MAP_FAILED);
	child = fork();
	if (child == 0) {
		uint32_t prod = 0, ids[64], j;
		unsigned int refused = 0, n;
		struct bifurc_kick k;
		struct txq t;

		if (tx_attach(&t, 0) || tx_template(&t, 1000))
			_exit(1);
		/* flood: every buffer that comes back goes out again */
		for (j = 0; j < 60; j++)
			tx_put(&t, &prod, j, 0, tx_build(&t, j, j, 1000), 0);
		for (;;) {
			__atomic_store_n(&t.tx->producer, prod,
					 __ATOMIC_RELEASE);
			kick(t.fd, BIFURC_KICK_TX_SUBMIT |
			     BIFURC_KICK_TX_RECLAIM, &k);
			shared[0] = t.c->tx_packets;
			n = txc_take(&t, &refused, ids, 64);
			for (j = 0; j < n; j++)
				tx_put(&t, &prod, ids[j], 0, 1042, 0);
		}
	}
	CHECK(child > 0);
	for (i = 0; i < 300 && shared[0] < 500; i++)
		usleep(100 * 1000);
	during = bifurc_pages();
	kill(child, SIGKILL);		/* frames in flight */
	reap(child);
	CHECK(shared[0] >= 500);
	/* as in KILL9_NO_LEAK: the file went with the child */
	after = bifurc_pages_settle(base, 5);
	msg("%u frames sent before kill -9; bifurc pages %ld baseline, %ld "
	    "attached, %ld after", shared[0], base, during, after);
	CHECK(!queue_attached());
	if (pages_back(base, during, after, pool))
		return KSFT_FAIL;
	/* the queue sends again */
	return tx_send();
}

static int tx_hang(void)
{
	uint32_t prod = 0, want = BIFURC_STATUS_RESET | BIFURC_STATUS_TX_HANG;
	struct bifurc_kick k;
	struct txq t;
	double end;
	int e;

	if (!have_peer())
		SKIP("no peer");
	if (run("hostctl qom-get nic1 x-tx-stall"))
		FAIL("the model has no x-tx-stall knob");
	e = tx_attach(&t, 0);
	if (e)
		FAIL("TX attach: %s", strerror(-e));
	CHECK(!tx_template(&t, 100));
	CHECK(!run("hostctl qom-set nic1 x-tx-stall true"));
	tx_put(&t, &prod, 0, 0, tx_build(&t, 0, 0, 100), 0);
	__atomic_store_n(&t.tx->producer, prod, __ATOMIC_RELEASE);
	e = kick(t.fd, BIFURC_KICK_TX_SUBMIT, &k);
	/* two hang checks of the watchdog (2 s apart), then the reset */
	end = now() + 30;
	while (now() < end &&
	       __atomic_load_n(&t.c->status, __ATOMIC_ACQUIRE) != want)
		usleep(100 * 1000);
	run("hostctl qom-set nic1 x-tx-stall false");
	CHECK(e == 0 && k.tx_submitted == 1);
	if (t.c->status != want)
		FAIL("status 0x%x after 30 s, want 0x%x", t.c->status, want);
	CHECK_ERR(kick(t.fd, BIFURC_KICK_TX_RECLAIM, &k), ENETRESET);
	CHECK(!run("dmesg | grep -q 'bifurc: queue %u TX hang'", queue));
	tx_close(&t);
	if (!wait_until(link_up, 30))
		FAIL("the link did not come back after the reset");
	return tx_send();
}

/* ---- the table --------------------------------------------------------- */

struct test_case {
	const char *name;
	int (*fn)(void);
};

static const struct test_case cases[] = {
	{ "INFO_SIZES", info_sizes },
	{ "NOT_ATTACHED", not_attached },
	{ "ATTACH_ERRORS", attach_errors },
	{ "ATTACH_BUSY", attach_busy },
	{ "RTNL_FREE", rtnl_free },
	{ "MMAP_RULES", mmap_rules },
	{ "KICK_ARGS", kick_args },
	{ "FILL_VALIDATION", fill_validation },
	{ "FLOW_RULES", flow_rules },
	{ "PERMISSIONS", permissions },
	{ "GRANTS", grants },
	{ "RESERVE_RSS", reserve_rss },
	{ "RX_FLOW", rx_flow },
	{ "RX_BATCH", rx_batch },
	{ "RX_BUSY_POLL", rx_busy_poll },
	{ "RX_RAW", rx_raw },
	{ "RAW_RING", raw_ring },
	{ "UNSTEERED_FLOW", unsteered_flow },
	{ "CLOSE_CLEANUP", close_cleanup },
	{ "KILL9_NO_LEAK", kill9_no_leak },
	{ "DOWN_ENETRESET", down_enetreset },
	{ "CHANNELS_ENETRESET", channels_enetreset },
	{ "RINGS_ENETRESET", rings_enetreset },
	{ "RESET_ENETRESET", reset_enetreset },
	{ "RELEASE_ENETRESET", release_enetreset },
	{ "RMMOD_BUSY", rmmod_busy },
	{ "TX_SEND", tx_send },
	{ "TX_WAIT", tx_wait },
	{ "TX_ECHO", tx_echo },
	{ "TX_RATE", tx_rate },
	{ "TX_BAD_ENTRIES", tx_bad_entries },
	{ "TX_KILL9", tx_kill9 },
	{ "TX_HANG", tx_hang },
	{ "REMOVE_ENODEV", remove_enodev },
};

static int usage(void)
{
	fprintf(stderr, "usage: bifurc_test -i IFACE -q QUEUE [-l] [-t CASE] "
		"[-e N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	unsigned int i, planned = 0, fails = 0, passes = 0, extra = 0;
	int opt, r, err;
	pid_t child;

	while ((opt = getopt(argc, argv, "i:q:lt:e:")) != -1) {
		switch (opt) {
		case 'i':
			ifname = optarg;
			break;
		case 'q':
			queue = strtoul(optarg, NULL, 0);
			break;
		case 'l':
			for (i = 0; i < ARRAY_SIZE(cases); i++)
				printf("%s\n", cases[i].name);
			return 0;
		case 't':
			only = optarg;
			break;
		case 'e':
			extra = strtoul(optarg, NULL, 0);
			break;
		default:
			return usage();
		}
	}
	if (!ifname)
		return usage();
	peer_ns = getenv("BIFURC_PEER_NS");
	peer_addr = getenv("BIFURC_PEER_ADDR");
	local_addr = getenv("BIFURC_LOCAL_ADDR");
	flows = getenv("BIFURC_FLOWS");
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		planned += !only || !strcmp(only, cases[i].name);
	if (!planned) {
		fprintf(stderr, "no case named %s (-l lists them)\n", only);
		return 2;
	}
	printf("TAP version 13\n1..%u\n", planned + extra);
	err = discover();
	if (err) {
		printf("Bail out! %s has no bifurc device: %s\n", ifname,
		       strerror(-err));
		return KSFT_FAIL;
	}
	msg("%s: %s, %s, queue %u", ifname, node, pci, queue);

	why = mmap(NULL, WHY_LEN, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (why == MAP_FAILED)
		return KSFT_FAIL;
	for (i = 0, planned = 0; i < ARRAY_SIZE(cases); i++) {
		double start = now();

		if (only && strcmp(only, cases[i].name))
			continue;
		why[0] = '\0';
		/*
		 * Each case runs in a child: whatever a failing case leaves
		 * open or mapped is released (detached) before the next one.
		 */
		child = fork();
		if (child == 0)
			_exit(cases[i].fn());
		r = reap(child);
		planned++;
		if (r == KSFT_PASS) {
			passes++;
			printf("ok %u %s\n", planned, cases[i].name);
		} else if (r == KSFT_SKIP) {
			printf("ok %u %s # SKIP %s\n", planned, cases[i].name,
			       why);
		} else {
			fails++;
			printf("not ok %u %s # %s\n", planned, cases[i].name,
			       why[0] ? why : "crashed or exited early");
		}
		/* where a slow guest spends its time */
		msg("%s took %.1f s", cases[i].name, now() - start);
	}
	printf("# Totals: pass:%u fail:%u skip:%u\n", passes, fails,
	       planned - passes - fails);
	if (fails)
		return KSFT_FAIL;
	return passes ? KSFT_PASS : KSFT_SKIP;
}
