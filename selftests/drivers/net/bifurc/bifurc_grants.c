// SPDX-License-Identifier: GPL-2.0
/*
 * Description: ixgbe bifurc, who may use the queue: file mode,
 * CAP_NET_ADMIN and the per-queue grants to a user or a group.
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

FIXTURE(grants) {
	bool opened;		/* GRANTS: the node is 0666 */
	bool admin_rule;	/* GRANTS: ethtool's rule at loc 1 */
};

FIXTURE_SETUP(grants)
{
	bifurc_setup(_metadata);
}

/* The node back to 0600, no grant, no administrator's rule. */
FIXTURE_TEARDOWN(grants)
{
	char line[32];

	if (self->admin_rule)
		run("ethtool -N %s delete 1", bt.ifname);
	if (self->opened) {
		chmod(bt.dev.node, 0600);
		snprintf(line, sizeof(line), "%u none", bt.queue);
		grant(line);
	}
	bifurc_teardown(_metadata);
}

/* No passwd entries needed: the kernel compares ids. */
#define GRANT_UID	4242
#define OTHER_UID	4343
#define GRANT_GID	4444
#define PORT_GRANT	9300	/* a port a user may bind */
#define PORT_ADMIN	9302	/* steered by the administrator */

/*
 * The checks below run in a child of another uid or without a capability
 * (as_user(), without_cap()).  An ASSERT there would jump back into the
 * harness's frame of the case and run its teardown as that user, so they
 * EXPECT (the result is the case's, in memory the harness shares) and
 * count the misses, which become the child's exit status: the case
 * asserts that, and stops where it stopped before.
 */

/* The 0600 root-owned node: the file mode refuses, EACCES. */
static int open_refused(void *arg)
{
	struct __test_metadata *_metadata = arg;
	int bad = 0, fd;

	fd = open_node();
	EXPECT_EQ(-1, fd) bad++;
	EXPECT_EQ(EACCES, errno) bad++;
	return bad;
}

/*
 * Without CAP_NET_ADMIN every write is EPERM, asked first: a reserved
 * queue would otherwise say EALREADY, a release would succeed.
 */
static int admin_refused(void *arg)
{
	struct __test_metadata *_metadata = arg;
	char line[32];
	int bad = 0;

	EXPECT_EQ(-EPERM, class_write("reserve", bt.queue)) bad++;
	EXPECT_EQ(-EPERM, class_write("release", bt.queue)) bad++;
	snprintf(line, sizeof(line), "%u none", bt.queue);
	EXPECT_EQ(-EPERM, grant(line)) bad++;
	return bad;
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
static int attach_refused(void *arg)
{
	struct __test_metadata *_metadata = arg;
	int bad = 0, fd;

	EXPECT_EQ(-EPERM, user_attach(&fd, bt.queue)) {
		TH_LOG("uid %u, group %u", getuid(), getgid());
		bad++;
	}
	return bad;
}

static int user_refused(void *arg)
{
	struct __test_metadata *_metadata = arg;
	char line[32];
	int bad = 0, fd;

	EXPECT_EQ(-EPERM, user_attach(&fd, bt.queue)) bad++;
	if (bt.queue)
		EXPECT_EQ(-EADDRNOTAVAIL, user_attach(&fd, 0)) bad++;
	snprintf(line, sizeof(line), "%u user %u", bt.queue, getuid());
	EXPECT_EQ(-EACCES, grant(line)) bad++;
	EXPECT_EQ(-EACCES, class_write("reserve", bt.queue)) bad++;
	return bad;
}

/* As root of a new user namespace, with every capability there. */
static int userns_root_refused(void *arg)
{
	struct __test_metadata *_metadata = arg;
	char uid_map[32], gid_map[32], line[32];
	int bad = 0, fd;

	/* the ids as the parent namespace sees them, before they are gone */
	snprintf(uid_map, sizeof(uid_map), "0 %u 1", getuid());
	snprintf(gid_map, sizeof(gid_map), "0 %u 1", getgid());
	if (unshare(CLONE_NEWUSER)) {
		TH_LOG("no user namespaces: unshare(CLONE_NEWUSER): %s",
		       strerror(errno));
		return KSFT_SKIP;
	}
	EXPECT_EQ(0, write_file("/proc/self/uid_map", uid_map)) bad++;
	EXPECT_EQ(0, write_file("/proc/self/setgroups", "deny")) bad++;
	EXPECT_EQ(0, write_file("/proc/self/gid_map", gid_map)) bad++;
	EXPECT_EQ(0, getuid()) bad++;
	if (bad)
		return bad;
	EXPECT_EQ(-EPERM, user_attach(&fd, bt.queue)) bad++;
	snprintf(line, sizeof(line), "%u user 0", bt.queue);
	EXPECT_EQ(-EACCES, grant(line)) bad++;
	EXPECT_EQ(-EACCES, class_write("reserve", bt.queue)) bad++;
	return bad;
}

static int user_granted(void *arg)
{
	struct __test_metadata *_metadata = arg;
	struct bifurc_flow_rule r;
	struct bifurc_flow_mask m;
	int bad = 0, fd;

	EXPECT_EQ(0, user_attach(&fd, bt.queue))
		return 1;
	udp_rule(&r, 22);		/* below ip_unprivileged_port_start */
	EXPECT_EQ(-EACCES, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r)) bad++;
	udp_rule(&r, 0);		/* every port of one source */
	r.mask.dst_port = 0;
	r.value.src_addr[0] = htonl(0x0a4d0001);
	r.mask.src_addr[0] = 0xffffffff;
	EXPECT_EQ(-EACCES, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r)) bad++;
	udp_rule(&r, PORT_GRANT & 0xff00);	/* 256 ports at once */
	r.mask.dst_port = htons(0xff00);
	EXPECT_EQ(-EACCES, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r)) bad++;
	udp_rule(&r, PORT_ADMIN);	/* the administrator's flow */
	EXPECT_EQ(-EEXIST, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r)) bad++;
	udp_rule(&r, PORT_GRANT);
	EXPECT_EQ(0, xioctl(fd, BIFURC_IOC_FLOW_ADD, &r)) bad++;
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	EXPECT_EQ(0, xioctl(fd, BIFURC_IOC_FLOW_MASK, &m)) bad++;
	EXPECT_EQ(1, m.owned) bad++;
	close(fd);
	return bad;
}

static int user_attaches(void *arg)
{
	struct __test_metadata *_metadata = arg;
	int fd;

	EXPECT_EQ(0, user_attach(&fd, bt.queue))
		return 1;
	close(fd);
	return 0;
}

/*
 * PERMISSIONS: nobody cannot open the 0600 node (EACCES); root without
 * CAP_NET_ADMIN cannot reserve, release or grant (EPERM, before EALREADY
 * could answer); bad queues ERANGE/EADDRNOTAVAIL/EALREADY; a closed fd is
 * EBADF
 */
TEST_F(grants, permissions)
{
	int fd;

	ASSERT_EQ(0, as_user(65534, 0, open_refused, _metadata))
		TH_LOG("nobody and the 0600 node");
	ASSERT_EQ(0, without_cap(CAP_NET_ADMIN, admin_refused, _metadata))
		TH_LOG("root without CAP_NET_ADMIN");
	ASSERT_EQ(-ERANGE, class_write("reserve", 4096));
	ASSERT_EQ(-EADDRNOTAVAIL, class_write("release", 4096));
	ASSERT_EQ(-EALREADY, class_write("reserve", bt.queue));
	/* a closed descriptor is not a bifurc file any more */
	fd = open_node();
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	close(fd);
	ASSERT_EQ(-EBADF, xioctl(fd, BIFURC_IOC_INFO, &(struct bifurc_info){
		.size = sizeof(struct bifurc_info) }));
}

/*
 * GRANTS: per-queue grants: with the node open to all, a user without a
 * grant cannot attach (EPERM), reserve or grant (EACCES: the attributes
 * are root's 0200 and 0644); a user grant lets that uid attach the queue
 * and add rules for ports it could bind (not 22, not without a destination
 * port: EACCES; not an admin's flow: EEXIST), and nobody else (EPERM); a
 * group grant lets a member in; "none" and a release end a grant (EPERM
 * after each); root of a user namespace of its own is still refused
 * (EPERM, EACCES: its capabilities do not reach the netdev)
 */
TEST_F_TIMEOUT(grants, grants, 120)
{
	char line[64], buf[256] = "";
	int err;

	/* the node open to everyone: only the queue's grant stands between */
	ASSERT_EQ(0, chmod(bt.dev.node, 0666)) TH_LOG("%s", strerror(errno));
	self->opened = true;
	ASSERT_EQ(0, as_user(GRANT_UID, 0, user_refused, _metadata))
		TH_LOG("without a grant");
	err = as_user(GRANT_UID, 0, userns_root_refused, _metadata);
	if (err != KSFT_SKIP)
		ASSERT_EQ(0, err) TH_LOG("user namespace root");
	snprintf(line, sizeof(line), "%u user", bt.queue);
	ASSERT_EQ(-EINVAL, grant(line));
	ASSERT_EQ(-ERANGE, grant("9999 user 1"));
	if (bt.queue)
		ASSERT_EQ(-EADDRNOTAVAIL, grant("0 user 1"));
	snprintf(line, sizeof(line), "%u user %u", bt.queue, GRANT_UID);
	ASSERT_EQ(0, grant(line));
	ASSERT_EQ(0, class_attr("grant", buf, sizeof(buf)));
	ASSERT_EQ(0, strncmp(buf, line, strlen(line)))
		TH_LOG("grant \"%s\" reads back \"%s\"", line, buf);
	err = run("ethtool -N %s flow-type udp4 dst-port %u action 0 loc 1",
		  bt.ifname, PORT_ADMIN);
	ASSERT_EQ(0, err) TH_LOG("ethtool -N: no administrator's rule");
	self->admin_rule = true;
	err = as_user(GRANT_UID, 0, user_granted, _metadata);
	run("ethtool -N %s delete 1", bt.ifname);
	self->admin_rule = false;
	ASSERT_EQ(0, err) TH_LOG("the granted user");
	ASSERT_EQ(0, as_user(OTHER_UID, 0, attach_refused, _metadata))
		TH_LOG("uid %u was not refused a queue granted to %u",
		       OTHER_UID, GRANT_UID);
	snprintf(line, sizeof(line), "%u group %u", bt.queue, GRANT_GID);
	ASSERT_EQ(0, grant(line));
	ASSERT_EQ(0, as_user(OTHER_UID, GRANT_GID, user_attaches, _metadata))
		TH_LOG("group grant: a member could not attach");
	ASSERT_EQ(0, as_user(GRANT_UID, 0, attach_refused, _metadata))
		TH_LOG("group grant: the replaced user grant was not refused");
	snprintf(line, sizeof(line), "%u none", bt.queue);
	ASSERT_EQ(0, grant(line));
	ASSERT_EQ(0, as_user(OTHER_UID, GRANT_GID, attach_refused, _metadata))
		TH_LOG("\"%s\" did not revoke the grant", line);
	/* a grant ends with its reservation */
	snprintf(line, sizeof(line), "%u group %u", bt.queue, GRANT_GID);
	ASSERT_EQ(0, grant(line));
	ASSERT_EQ(0, class_write("release", bt.queue));
	ASSERT_EQ(0, class_write("reserve", bt.queue));
	ASSERT_EQ(0, class_attr("grant", buf, sizeof(buf)));
	ASSERT_STREQ("", buf) TH_LOG("the grant outlived a release");
	ASSERT_EQ(0, as_user(OTHER_UID, GRANT_GID, attach_refused, _metadata))
		TH_LOG("the grant outlived a release");
}

TEST_HARNESS_MAIN
