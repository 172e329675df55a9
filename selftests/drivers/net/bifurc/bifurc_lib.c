// SPDX-License-Identifier: GPL-2.0
/*
 * The bifurc selftests' shared helpers (bifurc_lib.h): raw system calls
 * and shell commands, nothing of libbifurc or the test harness, so the
 * fuzzer, the fault loops and the harness programs all link it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <linux/capability.h>
#include <linux/magic.h>

#include "bifurc_lib.h"

struct bifurc_env bt;

int bifurc_env_init(const char **why)
{
	const char *q = getenv("BIFURC_QUEUE");
	int err;

	bt.ifname = getenv("BIFURC_IFACE");
	if (!bt.ifname || !q) {
		*why = "BIFURC_IFACE and BIFURC_QUEUE unset (bifurc.sh sets them)";
		return -EINVAL;
	}
	bt.queue = strtoul(q, NULL, 0);
	bt.peer_ns = getenv("BIFURC_PEER_NS");
	bt.peer_addr = getenv("BIFURC_PEER_ADDR");
	bt.local_addr = getenv("BIFURC_LOCAL_ADDR");
	bt.flows = getenv("BIFURC_FLOWS");
	err = bifurc_discover(bt.ifname, &bt.dev);
	if (err)
		*why = "the interface has no bifurc device";
	return err;
}

bool have_peer(void)
{
	return bt.peer_ns && bt.peer_addr && bt.local_addr && bt.flows;
}

int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

/* fork() with nothing buffered, so the child does not print it again. */
static pid_t fork_flushed(void)
{
	fflush(stdout);
	fflush(stderr);
	return fork();
}

/* What spawn() started; reap() does not know of it, so kill checks. */
static pid_t spawned[64];

pid_t spawn(const char *fmt, ...)
{
	char cmd[1024];
	unsigned int i;
	va_list ap;
	pid_t pid;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	pid = fork_flushed();
	if (pid == 0) {
		execl("/bin/bash", "bash", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (i = 0; pid > 0 && i < ARRAY_SIZE(spawned); i++)
		if (!spawned[i]) {
			spawned[i] = pid;
			break;
		}
	return pid;
}

void spawn_kill_all(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spawned); i++) {
		/* 0: ours and still running; reaped ones are ECHILD */
		if (spawned[i] > 0 && waitpid(spawned[i], NULL, WNOHANG) == 0) {
			kill(spawned[i], SIGKILL);
			waitpid(spawned[i], NULL, 0);
		}
		spawned[i] = 0;
	}
}

int run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return reap(spawn("(%s) 2>&1 | sed 's/^/#   /'; exit ${PIPESTATUS[0]}",
			  cmd));
}

int class_attr(const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", bt.dev.classdir, attr);
	return read_file(path, buf, len);
}

int class_write(const char *attr, unsigned int q)
{
	char path[PATH_MAX + 32], v[16];

	snprintf(path, sizeof(path), "%s/%s", bt.dev.classdir, attr);
	snprintf(v, sizeof(v), "%u", q);
	return write_file(path, v);
}

int grant(const char *line)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/grant", bt.dev.classdir);
	return write_file(path, line);
}

/* Is the queue listed in the class device's "attached" file? */
bool queue_attached(void)
{
	char buf[256], *tok, *save = NULL;

	if (class_attr("attached", buf, sizeof(buf)))
		return false;
	for (tok = strtok_r(buf, "\n ", &save); tok;
	     tok = strtok_r(NULL, "\n ", &save))
		if ((unsigned int)atoi(tok) == bt.queue)
			return true;
	return false;
}

bool wait_until_detached(double seconds)
{
	double end = now() + seconds;

	while (queue_attached() && now() < end)
		usleep(100 * 1000);
	return !queue_attached();
}

/* Number of ntuple rules on the interface, from ethtool -n. */
int ntuple_rules(void)
{
	char cmd[256], line[256];
	int n = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ethtool -n %s 2>/dev/null", bt.ifname);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "Total %d rules", &n) == 1)
			break;
	pclose(p);
	return n;
}

bool link_up(void)
{
	char path[PATH_MAX], buf[16];

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", bt.ifname);
	return read_file(path, buf, sizeof(buf)) == 0 && buf[0] == '1';
}

bool wait_until(bool (*cond)(void), double seconds)
{
	double end = now() + seconds;

	while (now() < end) {
		if (cond())
			return true;
		usleep(100 * 1000);
	}
	return cond();
}

/*
 * bifurc_pages(), the pages all attachments hold.  "ip netns exec" mounts
 * a fresh sysfs over /sys, which hides debugfs: mount it again in this
 * (private) mount namespace.
 */
long driver_pages(void)
{
	struct statfs sf;

	if (statfs("/sys/kernel/debug", &sf) || sf.f_type != DEBUGFS_MAGIC)
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	return bifurc_pages();
}

/*
 * Whether the kernel bounces DMA through the swiotlb (the DMA-API guest of
 * testbed/vm.py boots with swiotlb=force): then nobody could sync what user
 * space reads from the NIC in raw mode, and ATTACH refuses it (uapi section
 * 5).
 */
bool dma_bounced(void)
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

void attach_args(struct bifurc_attach *a, unsigned int q)
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

int open_node(void)
{
	return open(bt.dev.node, O_RDWR | O_CLOEXEC);
}

int kick(int fd, uint32_t flags, struct bifurc_kick *k)
{
	memset(k, 0, sizeof(*k));
	k->size = sizeof(*k);
	k->flags = flags;
	return xioctl(fd, BIFURC_IOC_KICK, k);
}

int get_info(int fd, struct bifurc_info *i)
{
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	return xioctl(fd, BIFURC_IOC_INFO, i);
}

/* INFO through a file of its own, closed again: 0 or -errno. */
int node_info(struct bifurc_info *i)
{
	int fd, err;

	fd = open_node();
	if (fd < 0)
		return -errno;
	err = get_info(fd, i);
	close(fd);
	return err;
}

void udp_rule(struct bifurc_flow_rule *r, uint16_t port)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->value.proto = IPPROTO_UDP;
	r->value.family = BIFURC_FLOW_IPV4;
	r->value.dst_port = htons(port);
	r->mask.dst_port = 0xffff;
}

void *map_region(int fd, const struct bifurc_region *r, int prot)
{
	void *p = mmap(NULL, r->length, prot, MAP_SHARED, fd, r->offset);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * An mmap() of the file that must be refused: its errno, or 0 if it
 * mapped (unmapped again at once).
 */
int mmap_errno(int fd, size_t len, int prot, int flags, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

int as_user(uid_t id, gid_t extra, int (*fn)(void *), void *arg)
{
	gid_t groups[1] = { extra };
	pid_t pid;

	pid = fork_flushed();
	if (pid == 0) {
		/* dumpable again, or /proc/self stays root's (uid_map) */
		if (setgroups(extra ? 1 : 0, groups) ||
		    setresgid(id, id, id) || setresuid(id, id, id) ||
		    prctl(PR_SET_DUMPABLE, 1)) {
			msg("dropping to uid %u: %s", id, strerror(errno));
			_exit(1);
		}
		_exit(fn(arg));
	}
	return reap(pid);
}

int without_cap(int cap, int (*fn)(void *), void *arg)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	pid_t pid;

	pid = fork_flushed();
	if (pid == 0) {
		if (syscall(SYS_capget, &h, d)) {
			msg("capget: %s", strerror(errno));
			_exit(1);
		}
		d[cap / 32].effective &= ~(1U << (cap % 32));
		if (syscall(SYS_capset, &h, d)) {
			msg("capset: %s", strerror(errno));
			_exit(1);
		}
		_exit(fn(arg));
	}
	return reap(pid);
}

/*
 * An iperf3 server on PORT here, a client of SECONDS in the peer's
 * namespace, and PINGS pings 0.3 s apart from there.
 */
void kernel_traffic_start(struct kernel_traffic *kt, unsigned int port,
			  unsigned int seconds, unsigned int pings)
{
	kt->server = spawn("exec iperf3 -s -1 -p %u >/dev/null 2>&1", port);
	usleep(500 * 1000);
	kt->client =
		spawn("ip netns exec %s iperf3 -c %s -p %u -t %u &>/dev/null",
		      bt.peer_ns, bt.local_addr, port, seconds);
	kt->ping = spawn("ip netns exec %s ping -q -c %u -i 0.3 %s >/dev/null",
			 bt.peer_ns, pings, bt.local_addr);
}

/* flows.py send: COUNT datagrams of SIZE bytes to PORT, from the peer. */
pid_t send_flow(unsigned int port, unsigned int count, unsigned int size)
{
	return spawn("ip netns exec %s python3 -S %s send %s %u %u --size %u",
		     bt.peer_ns, bt.flows, bt.local_addr, port, count, size);
}

/* flows.py recv in the peer namespace; its "received bad" line. */
pid_t peer_recv(unsigned int port, unsigned int expect, int *outfd,
		const char *ready)
{
	int pfd[2];
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork_flushed();
	if (pid == 0) {
		char cmd[512];

		dup2(pfd[1], 1);
		close(pfd[0]);
		snprintf(cmd, sizeof(cmd),
			 "ip netns exec %s python3 -S %s recv %u 60 --expect %u --ready %s",
			 bt.peer_ns, bt.flows, port, expect, ready);
		execl("/bin/bash", "bash", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	*outfd = pfd[0];
	return pid;
}

bool ready_file_exists(const char *path)
{
	double end = now() + 20;

	while (now() < end) {
		if (!access(path, F_OK))
			return true;
		usleep(50 * 1000);
	}
	return false;
}

/* The payload flows.py puts in datagram SEQ. */
bool payload_ok(const uint8_t *p, size_t len, uint32_t *seq)
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

int mac_of(const char *ns, const char *dev, uint8_t mac[6])
{
	char cmd[256], line[64];
	FILE *p;
	int n;

	snprintf(cmd, sizeof(cmd), "%s%s cat /sys/class/net/%s/address",
		 ns ? "ip netns exec " : "", ns ? ns : "", dev);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = 0;
	if (fgets(line, sizeof(line), p))
		n = sscanf(line, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0],
			   &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]);
	pclose(p);
	return n == 6 ? 0 : -1;
}

/* The peer's interface: the one that holds BIFURC_PEER_ADDR. */
int peer_dev(char dev[64])
{
	char cmd[256];
	FILE *p;
	int n;

	snprintf(cmd, sizeof(cmd), "ip netns exec %s ip -o -4 addr show to %s",
		 bt.peer_ns, bt.peer_addr);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fscanf(p, "%*d: %63s", dev);
	pclose(p);
	return n == 1 ? 0 : -1;
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

int tx_attach(struct txq *t, uint32_t extra_flags)
{
	memset(t, 0, sizeof(*t));
	t->fd = open_node();
	if (t->fd < 0)
		return -errno;
	attach_args(&t->a, bt.queue);
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

/* Ethernet/IPv4/UDP header of PAYLOAD bytes from PORT to PORT at the peer. */
int tx_template(struct txq *t, unsigned int payload, uint16_t port)
{
	uint8_t *f = t->frame;
	struct in_addr src, dst;
	uint16_t ip_len = 20 + 8 + payload, udp_len = 8 + payload;
	char dev[64];

	if (peer_dev(dev) || mac_of(bt.peer_ns, dev, f) ||
	    mac_of(NULL, bt.ifname, f + 6) ||
	    inet_pton(AF_INET, bt.local_addr, &src) != 1 ||
	    inet_pton(AF_INET, bt.peer_addr, &dst) != 1)
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
	f[34] = port >> 8;
	f[35] = port & 0xff;
	f[36] = port >> 8;
	f[37] = port & 0xff;
	f[38] = udp_len >> 8;
	f[39] = udp_len & 0xff;		/* UDP checksum 0: none (IPv4) */
	return 0;
}

/* Datagram SEQ of PAYLOAD bytes (flows.py's pattern) into buffer ID. */
unsigned int tx_build(struct txq *t, uint32_t id, uint32_t seq,
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

static struct bifurc_tx_entry *tx_ent(struct txq *t, uint32_t n)
{
	struct bifurc_tx_entry *e = (void *)((uint8_t *)t->tx +
					     BIFURC_RING_ENTRIES_OFFSET);

	return &e[n & (t->a.tx.entries - 1)];
}

/* Queue one entry at the producer (not yet published). */
void tx_put(struct txq *t, uint32_t *prod, uint32_t id, uint32_t off,
	    uint32_t len, uint32_t flags)
{
	*tx_ent(t, (*prod)++) = (struct bifurc_tx_entry){
		.buf = id, .offset = off, .len = len, .flags = flags };
}

/* Take what the txc ring holds: count ids and REFUSED marks. */
unsigned int txc_take(struct txq *t, unsigned int *refused, uint32_t *ids,
		      unsigned int max)
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

void tx_close(struct txq *t)
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
	if (t->fd >= 0)
		close(t->fd);
	/* closed: a fixture's teardown may call it again */
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}
