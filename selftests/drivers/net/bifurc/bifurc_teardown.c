// SPDX-License-Identifier: GPL-2.0
/*
 * Description: ixgbe bifurc, every way an attachment ends: close, kill
 * -9, link down, ethtool -L/-G, an adapter reset, a release, rmmod and PCI
 * remove.
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
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bifurc.h>

#include "bifurc_harness.h"
#include "bifurc_app.h"

static bool port_back(void);

/*
 * What a case leaves behind when a check fails: an attachment, a killer's
 * victim, a command that undoes the disruption, a removed port.
 */
FIXTURE(teardown) {
	int fd;				/* raw_attach()'s file */
	struct bifurc_counters *c;	/* and its counters page */
	pid_t child;			/* KILL9_NO_LEAK's attached child */
	const char *recover;		/* not run yet */
	bool removed;			/* REMOVE_ENODEV: rescan the bus */
};

FIXTURE_SETUP(teardown)
{
	self->fd = -1;
	bifurc_setup(_metadata);
}

FIXTURE_TEARDOWN(teardown)
{
	if (self->c)
		munmap(self->c, 4096);
	if (self->fd >= 0)
		close(self->fd);
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		reap(self->child);
	}
	if (self->recover)
		run("%s", self->recover);
	if (self->removed) {
		write_file("/sys/bus/pci/rescan", "1");
		wait_until(port_back, 30);
	}
	bifurc_teardown(_metadata);
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

/* Attach with raw system calls; the counters page is mapped to *cp. */
static int raw_attach(int *fdp, struct bifurc_counters **cp)
{
	struct bifurc_attach a;
	struct bifurc_kick k;
	int fd, err;

	fd = open_node();
	if (fd < 0)
		return -errno;
	attach_args(&a, bt.queue);
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
 * Attach (the file and its counters in the fixture, for the teardown to
 * release on a failure), run ACTION (a shell command), expect the
 * attachment to die with ERR and the matching status bit, run RECOVER
 * (again from the teardown if a check fails first), then attach again.
 */
static void attachment_dies(struct __test_metadata *_metadata,
			    FIXTURE_DATA(teardown) *self, const char *action,
			    const char *recover, int err, bool reattach)
{
	struct bifurc_counters st;
	struct bifurc_kick k;
	struct pollfd pfd;
	uint32_t want;
	int e;

	e = raw_attach(&self->fd, &self->c);
	ASSERT_EQ(0, e) TH_LOG("attach: %s", strerror(-e));
	self->recover = recover;
	ASSERT_EQ(0, run("%s", action)) TH_LOG("'%s' failed", action);
	pfd.fd = self->fd;
	pfd.events = POLLIN;
	want = err == -ENODEV ? BIFURC_STATUS_REMOVED : BIFURC_STATUS_RESET;
	ASSERT_EQ(1, poll(&pfd, 1, 5000));
	ASSERT_TRUE(pfd.revents & POLLERR)
		TH_LOG("revents 0x%x", pfd.revents);
	ASSERT_EQ(err == -ENODEV, !!(pfd.revents & POLLHUP))
		TH_LOG("revents 0x%x", pfd.revents);
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	ASSERT_EQ(err, kick(self->fd, BIFURC_KICK_RX_REFILL, &k));
	ASSERT_EQ(err, xioctl(self->fd, BIFURC_IOC_STATS, &st));
	ASSERT_EQ(want, __atomic_load_n(&self->c->status, __ATOMIC_ACQUIRE));
	/* the mapped page outlives the attachment */
	munmap(self->c, 4096);
	self->c = NULL;
	close(self->fd);
	self->fd = -1;
	if (err != -ENODEV)
		ASSERT_FALSE(queue_attached());
	if (recover) {
		self->recover = NULL;
		ASSERT_EQ(0, run("%s", recover)) TH_LOG("'%s' failed", recover);
	}
	if (!reattach)
		return;
	ASSERT_TRUE(wait_until(link_up, 30))
		TH_LOG("the link did not come back");
	e = raw_attach(&self->fd, &self->c);
	ASSERT_EQ(0, e) TH_LOG("attach again: %s", strerror(-e));
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

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver",
		 bt.dev.pci);
	n = readlink(path, line, sizeof(line) - 1);
	if (n < 6 || memcmp(line + n - 6, "/ixgbe", 6))
		return false;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/bifurc/bifurc-%s",
		 bt.dev.pci, bt.dev.pci);
	if (access(path, F_OK))
		return false;
	p = popen("nsenter --net=/proc/1/ns/net ip -o -d link show", "r");
	if (!p)
		return false;
	snprintf(want, sizeof(want), "parentdev %s ", bt.dev.pci);
	while (fgets(line, sizeof(line), p))
		up |= !!strstr(line, want);
	pclose(p);
	return up;
}

/*
 * CLOSE_CLEANUP: after close the rule is gone from ethtool -n, the queue
 * is idle, attaching again works
 */
TEST_F_TIMEOUT(teardown, close_cleanup, 120)
{
	struct bifurc_queue *q;
	int before, err;

	before = ntuple_rules();
	err = open_with_rule(&q, PORT_FLOW, NULL);
	ASSERT_EQ(0, err) TH_LOG("attach + rule: %s", bifurc_strerror(err));
	ASSERT_EQ(before + 1, ntuple_rules());
	ASSERT_TRUE(queue_attached());
	bifurc_close(q);
	ASSERT_EQ(before, ntuple_rules());
	ASSERT_FALSE(queue_attached());
	err = open_with_rule(&q, PORT_FLOW, NULL);
	ASSERT_EQ(0, err) TH_LOG("attach again: %s", bifurc_strerror(err));
	bifurc_close(q);
	ASSERT_FALSE(queue_attached());
}

/*
 * KILL9_NO_LEAK: kill -9 mid-traffic: the pages bifurc holds (debugfs
 * ixgbe/bifurc_pages) rose by at least the 16 MiB pool and come back to
 * the baseline exactly; with a memory controller, the pool was charged to
 * the cgroup and is uncharged; the queue is idle, no rule left
 */
TEST_F_TIMEOUT(teardown, kill9_no_leak, 300)
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

	if (!need_peer(_metadata))
		return;
	base = pages_baseline(_metadata);
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
		if ((mkdir(cg, 0755) && errno != EEXIST) ||
		    memcg_current(cg) < 0) {
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
	ASSERT_LT(0, child);
	self->child = child;
	ASSERT_TRUE(wait_until(queue_attached, 30))
		TH_LOG("the child did not attach");
	sender = send_flow(PORT_KILL, 2000, 512);
	sleep(2);
	during = bifurc_pages();
	cg_during = cg[0] ? memcg_current(cg) : -1;
	kill(child, SIGKILL);		/* mid-traffic */
	reap(child);
	self->child = 0;
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
	TH_LOG("bifurc pages: %ld baseline, %ld with the 16 MiB pool attached, %ld after kill -9",
	       base, during, after);
	if (cg[0]) {
		TH_LOG("memory cgroup: %ld KiB with the pool attached, %ld KiB after kill -9",
		       cg_during >> 10, cg_after >> 10);
		rmdir(cg);
	}
	ASSERT_FALSE(queue_attached());
	ASSERT_EQ(before, ntuple_rules());
	pages_back(_metadata, pool, base, during, after);
	if (cg[0]) {
		ASSERT_LE(16L << 20, cg_during);
		ASSERT_LE(0, cg_after);
		ASSERT_GT(2 << 20, cg_after);
	}
}

/*
 * DOWN_ENETRESET: ip link set down: POLLERR, ENETRESET, status RESET;
 * attach again once up
 */
TEST_F_TIMEOUT(teardown, down, 120)
{
	static char a[128], r[128];

	snprintf(a, sizeof(a), "ip link set dev %s down", bt.ifname);
	snprintf(r, sizeof(r), "ip link set dev %s up", bt.ifname);
	attachment_dies(_metadata, self, a, r, -ENETRESET, true);
}

/*
 * CHANNELS_ENETRESET: ethtool -L: same, and the reservation survives
 */
TEST_F_TIMEOUT(teardown, channels, 120)
{
	static char a[128], r[128];
	struct bifurc_info i;
	int err;

	err = node_info(&i);
	ASSERT_EQ(0, err) TH_LOG("INFO: %s", strerror(-err));
	if (i.num_rx_queues < 2)
		SKIP(return, "one channel");
	/* one channel less (the reserved queue may go away), then back */
	snprintf(a, sizeof(a), "ethtool -L %s combined %u", bt.ifname,
		 i.num_rx_queues - 1);
	snprintf(r, sizeof(r), "ethtool -L %s combined %u", bt.ifname,
		 i.num_rx_queues);
	attachment_dies(_metadata, self, a, r, -ENETRESET, true);
}

/*
 * RINGS_ENETRESET: ethtool -G: same
 */
TEST_F_TIMEOUT(teardown, rings, 120)
{
	static char a[128], r[128];

	snprintf(a, sizeof(a), "ethtool -G %s rx 256", bt.ifname);
	snprintf(r, sizeof(r), "ethtool -G %s rx 512", bt.ifname);
	attachment_dies(_metadata, self, a, r, -ENETRESET, true);
}

/*
 * RESET_ENETRESET: an adapter reset (MTU change): same
 */
TEST_F_TIMEOUT(teardown, reset, 120)
{
	static char a[128], r[128];

	/* ixgbe_change_mtu() resets a running adapter */
	snprintf(a, sizeof(a), "ip link set dev %s mtu 1400", bt.ifname);
	snprintf(r, sizeof(r), "ip link set dev %s mtu 1500", bt.ifname);
	attachment_dies(_metadata, self, a, r, -ENETRESET, true);
}

/*
 * RELEASE_ENETRESET: the queue is released under the app: same
 */
TEST_F_TIMEOUT(teardown, release, 120)
{
	static char a[PATH_MAX + 64], r[PATH_MAX + 64];

	snprintf(a, sizeof(a), "echo %u > %s/release", bt.queue,
		 bt.dev.classdir);
	snprintf(r, sizeof(r), "echo %u > %s/reserve", bt.queue,
		 bt.dev.classdir);
	attachment_dies(_metadata, self, a, r, -ENETRESET, true);
}

/*
 * RMMOD_BUSY: rmmod ixgbe is refused while a file is attached and the
 * attachment keeps working
 */
TEST_F_TIMEOUT(teardown, rmmod_busy, 120)
{
	struct bifurc_kick k;
	int e;

	e = raw_attach(&self->fd, &self->c);
	ASSERT_EQ(0, e) TH_LOG("attach: %s", strerror(-e));
	ASSERT_NE(0, run("rmmod ixgbe"))
		TH_LOG("rmmod ixgbe worked with a file attached");
	e = kick(self->fd, BIFURC_KICK_RX_REFILL, &k);
	ASSERT_EQ(0, e) TH_LOG("the attachment broke: %s", strerror(-e));
}

/*
 * REMOVE_ENODEV: PCI remove: POLLERR|POLLHUP, ENODEV everywhere, status
 * REMOVED, mapped pages stay readable; a rescan brings the port back
 * within 30 s (bound to ixgbe, bifurc device, netdev in the init
 * namespace)
 */
TEST_F_TIMEOUT(teardown, remove_enodev, 120)
{
	struct bifurc_info i;
	char a[PATH_MAX];
	int fd;

	snprintf(a, sizeof(a), "echo 1 > /sys/bus/pci/devices/%s/remove",
		 bt.dev.pci);
	fd = open_node();
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	self->removed = true;
	attachment_dies(_metadata, self, a, NULL, -ENODEV, false);
	/* every later call on an old file is ENODEV */
	EXPECT_EQ(-ENODEV, get_info(fd, &i))
		TH_LOG("INFO after remove is not ENODEV");
	close(fd);
	/* without the port, bifurc.sh's unload and the next tests fail */
	self->removed = false;
	write_file("/sys/bus/pci/rescan", "1");
	ASSERT_TRUE(wait_until(port_back, 30))
		TH_LOG("rescan did not bring %s back (ixgbe, bifurc device, netdev)",
		       bt.dev.pci);
}

TEST_HARNESS_MAIN
