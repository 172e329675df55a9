// SPDX-License-Identifier: GPL-2.0
/*
 * Description: ixgbe bifurc, flow rules: an attachment's own rules, RSS
 * without the reserved queue, and a flow no rule steers staying with the
 * kernel.
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

FIXTURE(flows) {
	bool rss_changed;	/* RESERVE_RSS: ethtool -X default after */
};

FIXTURE_SETUP(flows)
{
	bifurc_setup(_metadata);
}

FIXTURE_TEARDOWN(flows)
{
	if (self->rss_changed)
		run("ethtool -X %s default 2>/dev/null || true", bt.ifname);
	bifurc_teardown(_metadata);
}

/* Does "ethtool -x" show QUEUE anywhere in the indirection table? */
static int reta_has_queue(void)
{
	char cmd[256], line[512], *p, *end;
	int found = 0, rows = 0;
	long v;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ethtool -x %s", bt.ifname);
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
			found |= v == (long)bt.queue;
		}
	}
	pclose(f);
	return rows ? found : -1;
}

/*
 * FLOW_RULES: IPv6/SCTP EOPNOTSUPP, empty mask and value outside the mask
 * EINVAL, duplicate EEXIST, other mask EBUSY, FLOW_MASK, FLOW_DEL of a
 * foreign id ENOENT
 */
TEST_F(flows, flow_rules)
{
	struct bifurc_flow_rule r, r2;
	struct bifurc_flow_mask m;
	struct bifurc_flow_del d;
	struct bifurc_attach a;
	int fd, before;

	before = ntuple_rules();
	fd = open_node();
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	attach_args(&a, bt.queue);
	ASSERT_EQ(0, xioctl(fd, BIFURC_IOC_ATTACH, &a));

	udp_rule(&r, 9);
	r.value.family = BIFURC_FLOW_IPV6;
	ASSERT_EQ(-EOPNOTSUPP, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r));
	udp_rule(&r, 9);
	r.value.proto = IPPROTO_SCTP;
	ASSERT_EQ(-EOPNOTSUPP, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r));
	udp_rule(&r, 0);
	r.mask.dst_port = 0;
	ASSERT_EQ(-EINVAL, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r));
	udp_rule(&r, 9);
	r.value.src_port = htons(1);
	ASSERT_EQ(-EINVAL, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r));
	udp_rule(&r, 9);
	r.rule_id = 3;
	ASSERT_EQ(-EINVAL, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r));

	udp_rule(&r, 9);
	ASSERT_EQ(0, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r));
	ASSERT_EQ(before + 1, ntuple_rules());
	udp_rule(&r2, 9);
	ASSERT_EQ(-EEXIST, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r2));
	/* one mask per port: a source-address rule cannot join */
	memset(&r2, 0, sizeof(r2));
	r2.size = sizeof(r2);
	r2.value.proto = IPPROTO_UDP;
	r2.value.family = BIFURC_FLOW_IPV4;
	r2.value.src_addr[0] = htonl(0x0a4d0001);
	r2.mask.src_addr[0] = 0xffffffff;
	ASSERT_EQ(-(before ? 0 : EBUSY), xioctl(fd, BIFURC_IOC_FLOW_ADD, &r2));

	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	ASSERT_EQ(0, xioctl(fd, BIFURC_IOC_FLOW_MASK, &m));
	ASSERT_TRUE(m.flags & BIFURC_MASK_F_SET);
	ASSERT_EQ(1, m.owned);
	ASSERT_EQ((uint32_t)before + 1, m.rules);
	ASSERT_EQ(0xffff, m.mask.dst_port);
	ASSERT_EQ(0, m.mask.src_port);

	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.rule_id = r.rule_id - 1;
	ASSERT_EQ(-ENOENT, xioctl(fd, BIFURC_IOC_FLOW_DEL, &d));
	d.rule_id = r.rule_id;
	ASSERT_EQ(0, xioctl(fd, BIFURC_IOC_FLOW_DEL, &d));
	ASSERT_EQ(-ENOENT, xioctl(fd, BIFURC_IOC_FLOW_DEL, &d));
	ASSERT_EQ(before, ntuple_rules());
	/* a rule still owned at close goes with the file */
	udp_rule(&r, 10);
	ASSERT_EQ(0, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r));
	close(fd);
	ASSERT_EQ(before, ntuple_rules());
}

/*
 * RESERVE_RSS: ethtool -x never shows the reserved queue, ethtool -X
 * cannot put it back (EBUSY) but weight 0 works, ethtool -L cannot leave
 * RSS only reserved queues, the last RSS queue cannot be reserved (ENOSPC)
 */
TEST_F_TIMEOUT(flows, reserve_rss, 120)
{
	struct bifurc_info i;
	int err, l1;

	err = node_info(&i);
	ASSERT_EQ(0, err) TH_LOG("INFO: %s", strerror(-err));
	if (bt.queue == 0 || i.num_rx_queues != bt.queue + 1)
		SKIP(return, "needs the last queue reserved");
	self->rss_changed = true;
	ASSERT_EQ(0, reta_has_queue());
	ASSERT_NE(0, run("ethtool -X %s equal %u", bt.ifname,
			 i.num_rx_queues))
		TH_LOG("ethtool -X equal %u put the reserved queue back",
		       i.num_rx_queues);
	ASSERT_EQ(0, reta_has_queue());
	/* weight 0 for the reserved queue is the way to configure RSS */
	ASSERT_EQ(0, run("ethtool -X %s weight %s 0", bt.ifname,
			 i.num_rx_queues == 2 ? "1" :
			 i.num_rx_queues == 3 ? "1 1" : "1 1 1"))
		TH_LOG("ethtool -X with weight 0 for queue %u failed",
		       bt.queue);
	/* the last RSS queue cannot be reserved, and -L cannot strand RSS */
	if (i.num_rx_queues == 2) {
		ASSERT_EQ(-ENOSPC, class_write("reserve", 0));
		ASSERT_EQ(0, class_write("release", bt.queue));
		ASSERT_EQ(0, class_write("reserve", 0));
		l1 = run("ethtool -L %s combined 1 2>/dev/null", bt.ifname);
		/* the reservation back before any verdict */
		ASSERT_EQ(0, class_write("release", 0));
		ASSERT_EQ(0, class_write("reserve", bt.queue));
		EXPECT_NE(0, l1)
			TH_LOG("ethtool -L 1 left RSS only a reserved queue");
	}
}

/*
 * UNSTEERED_FLOW: a second flow reaches a kernel socket, not the app
 */
TEST_F_TIMEOUT(flows, unsteered_flow, 120)
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

	if (!need_peer(_metadata))
		return;
	err = open_with_rule(&q, PORT_FLOW, NULL);
	ASSERT_EQ(0, err) TH_LOG("attach + rule: %s", bifurc_strerror(err));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, bind(s, (struct sockaddr *)&sa, sizeof(sa)))
		TH_LOG("bind: %s", strerror(errno));
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
	TH_LOG("kernel socket got %u/50, the application %d (+%u other)",
	       kernel, app, bad);
	ASSERT_EQ(50, kernel);
	ASSERT_EQ(0, app);
	ASSERT_EQ(0, bad);
}

TEST_HARNESS_MAIN
