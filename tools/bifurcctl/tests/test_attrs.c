// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the test backend answers writes to the class device's
 * attributes as ixgbe_bifurc.c does (reserve_store, release_store,
 * grant_store), errno for errno, so that the shell tests exercise the
 * same answers as on a NIC.  The command line checks most refusals from
 * sysfs before it writes; these are the kernel's own answers behind them.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "fake.h"

#define CD	"class/net/eth1/device/bifurc/bifurc-0000:00:04.0"

static char root[PATH_MAX];
static struct bctl b = { .bk = &bctl_backend_fake };

static void put(const char *rel, const char *content)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(content, f);
	fclose(f);
}

static void rm(const char *rel)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

/* The attribute's content, trailing newline kept; "" if absent. */
static const char *get(const char *rel)
{
	static char buf[4096];
	char path[PATH_MAX * 2];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

static int wr(const char *attr, const char *val)
{
	char rel[128];

	snprintf(rel, sizeof(rel), CD "/%s", attr);
	return b.bk->attr_write(&b, rel, val);
}

/* eth1: 4 RX queues, queue 2 reserved, nothing attached, no grant. */
static void tree(void)
{
	char cmd[PATH_MAX * 3 + 128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s/" CD
		 "' '%s/fake-ethtool/eth1'", root, root, root);
	if (system(cmd)) {
		fprintf(stderr, "cannot make the tree under %s\n", root);
		exit(1);
	}
	put("fake-ethtool/eth1/rings", "4\n");
	put(CD "/reserved", "2\n");
	put(CD "/attached", "\n");
	put(CD "/grant", "");
	put(CD "/reserve", "");
	put(CD "/release", "");
}

static int t_grant(void)
{
	static const char *const bad[] = {
		"", "2", "2 user", "2 user x", "2 user -1", "2 user 4294967295",
		"2 usr 5", "2 none 5", "2  user 5", "x none", "-2 none",
		"2 user 5 6", "2 user 5\n\n7",
	};
	static const char *const bad_ports[] = {
		"2 user 5 ports", "2 user 5 ports 0", "2 user 5 ports 0-5",
		"2 user 5 ports 65536", "2 user 5 ports 5-65536",
		"2 user 5 ports 5399-5300", "2 user 5 ports x", "2 user 5 ports 5-",
		"2 user 5 ports -5", "2 user 5 ports 5-6-7", "2 user 5 port 5",
		"2 user 5 ports  5", "2 user 5 ports 5 6", "2 none ports 5",
		"2 user 5 ports +5",
	};
	size_t i;

	tree();
	CHECK_EQ(wr("grant", "2 user 1000\n"), 0);
	CHECK_STR(get(CD "/grant"), "2 user 1000\n");
	CHECK_EQ(wr("grant", " 2 group 100 \n\n"), 0);	/* replaces */
	CHECK_STR(get(CD "/grant"), "2 group 100\n");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (wr("grant", bad[i]) != -EINVAL) {
			printf("# \"%s\" not EINVAL\n", bad[i]);
			return -1;
		}
	}
	CHECK_EQ(wr("grant", "3 user 5"), -EADDRNOTAVAIL);
	CHECK_EQ(wr("grant", "4 user 5"), -ERANGE);
	put("fake-ethtool/eth1/grant_errno", "1\n");
	CHECK_EQ(wr("grant", "2 none"), -EPERM);
	CHECK_EQ(wr("grant", "2 bogus"), -EINVAL);	/* the line comes first */
	rm("fake-ethtool/eth1/grant_errno");
	CHECK_STR(get(CD "/grant"), "2 group 100\n");
	CHECK_EQ(wr("grant", "2 none"), 0);
	CHECK_STR(get(CD "/grant"), "");
	put(CD "/grant", "2 user 7\n");
	/* the v7 series: an optional port range, shown as lo-hi */
	CHECK_EQ(wr("grant", "2 user 1000 ports 5300-5399\n"), 0);
	CHECK_STR(get(CD "/grant"), "2 user 1000 ports 5300-5399\n");
	CHECK_EQ(wr("grant", "2 group 100 ports 53"), 0);
	CHECK_STR(get(CD "/grant"), "2 group 100 ports 53-53\n");
	CHECK_EQ(wr("grant", "2 user 5 ports 1-65535"), 0);
	CHECK_STR(get(CD "/grant"), "2 user 5 ports 1-65535\n");
	for (i = 0; i < ARRAY_SIZE(bad_ports); i++) {
		if (wr("grant", bad_ports[i]) != -EINVAL) {
			printf("# \"%s\" not EINVAL\n", bad_ports[i]);
			return -1;
		}
	}
	CHECK_STR(get(CD "/grant"), "2 user 5 ports 1-65535\n");
	CHECK_EQ(wr("grant", "2 user 5"), 0);	/* a new grant drops ports */
	CHECK_STR(get(CD "/grant"), "2 user 5\n");
	put(CD "/grant", "2 user 7\n");
	/* a kernel before the v3 series has no attribute to open */
	rm(CD "/grant");
	CHECK_EQ(wr("grant", "2 user 5"), -ENOENT);
	return 0;
}

static int t_reserve_release(void)
{
	tree();
	put(CD "/grant", "2 user 7\n");
	CHECK_EQ(wr("reserve", "3"), 0);
	CHECK_STR(get(CD "/reserved"), "2 3\n");
	CHECK_STR(get(CD "/reserve"), "3");
	CHECK_EQ(wr("reserve", "3"), -EALREADY);
	CHECK_EQ(wr("reserve", "4"), -ERANGE);
	CHECK_EQ(wr("reserve", "x"), -EINVAL);
	CHECK_EQ(wr("reserve", "0x1\n"), 0);	/* kstrtou32 base 0 */
	CHECK_EQ(wr("reserve", "0"), -ENOSPC);	/* the stack keeps one */
	CHECK_STR(get(CD "/reserved"), "1 2 3\n");

	put(CD "/attached", "3\n");
	CHECK_EQ(wr("release", "3"), 0);
	CHECK_STR(get(CD "/attached"), "\n");
	CHECK_STR(get(CD "/grant"), "2 user 7\n");	/* another queue's */
	CHECK_EQ(wr("release", "2"), 0);		/* ends its grant */
	CHECK_STR(get(CD "/grant"), "");
	CHECK_STR(get(CD "/reserved"), "1\n");
	CHECK_STR(get(CD "/release"), "2");
	CHECK_EQ(wr("release", "2"), -EADDRNOTAVAIL);
	CHECK_EQ(wr("release", "200"), -EADDRNOTAVAIL);
	CHECK_EQ(wr("grant", "2 user 5"), -EADDRNOTAVAIL);
	return 0;
}

static const struct tap_case cases[] = {
	{ "FAKE_GRANT", t_grant },
	{ "FAKE_RESERVE_RELEASE", t_reserve_release },
};

int main(void)
{
	char cmd[PATH_MAX + 16];
	const char *tmp = getenv("TMPDIR");
	int ret;

	snprintf(root, sizeof(root), "%s/bifurcctl-attrs.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		perror(root);
		return 1;
	}
	b.sysfs_root = root;
	ret = tap_run("Description: the fake backend's class device attributes",
		      cases, ARRAY_SIZE(cases));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		ret = 1;
	return ret;
}
