// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the messages for the errno values the kernel's sysfs
 * attributes return (ixgbe_bifurc.c reserve_store/release_store/
 * grant_store), the queue-list parser for "reserved"/"attached", the
 * parser for "grant" (with and without the v7 series' " ports LO-HI"),
 * and number and port range parsing.
 */
#include <errno.h>
#include <stdlib.h>

#include "tap.h"
#include "bifurcctl.h"

static int t_reserve_errmsg(void)
{
	CHECK_STR(bctl_reserve_errmsg(-EPERM, true), "needs root (CAP_NET_ADMIN)");
	CHECK_STR(bctl_reserve_errmsg(-EACCES, false), "needs root (CAP_NET_ADMIN)");
	CHECK(strstr(bctl_reserve_errmsg(-ERANGE, true), "out of range"));
	CHECK(strstr(bctl_reserve_errmsg(-EALREADY, true), "already reserved"));
	CHECK(strstr(bctl_reserve_errmsg(-EADDRNOTAVAIL, false), "not reserved"));
	CHECK(strstr(bctl_reserve_errmsg(-ENOSPC, true), "last RSS queue"));
	CHECK(strstr(bctl_reserve_errmsg(-EBUSY, true), "AF_XDP"));
	CHECK(strstr(bctl_reserve_errmsg(-EOPNOTSUPP, true), "SR-IOV"));
	CHECK_STR(bctl_reserve_errmsg(-EIO, true), strerror(EIO));
	return 0;
}

static int t_grant_errmsg(void)
{
	CHECK_STR(bctl_grant_errmsg(-EPERM), "needs root (CAP_NET_ADMIN)");
	CHECK_STR(bctl_grant_errmsg(-EACCES), "needs root (CAP_NET_ADMIN)");
	CHECK_STR(bctl_grant_errmsg(-ENOENT),
		  "this kernel's bifurc has no per-queue grants (needs the v3 series)");
	CHECK(strstr(bctl_grant_errmsg(-EADDRNOTAVAIL), "not reserved"));
	CHECK(strstr(bctl_grant_errmsg(-ERANGE), "out of range"));
	CHECK(strstr(bctl_grant_errmsg(-EINVAL), "user namespace"));
	CHECK(strstr(bctl_grant_errmsg(-ENODEV), "going away"));
	CHECK_STR(bctl_grant_errmsg(-EIO), strerror(EIO));
	return 0;
}

static int t_grant_list(void)
{
	static const char *const bad[] = {
		"3", "3 user", "3 user x", "3 user -1", "3 user 4294967296",
		"3 users 1000", "3 none", "3  user 1000", "-3 user 1", "128 user 1",
		"3 user 1000 7", "3 user 1000\nx", " 3 user 1",
	};
	struct bctl_grant g[BIFURC_MAX_QUEUES];
	size_t i;

	CHECK_EQ(bctl_parse_grants("", g), 0);
	for (i = 0; i < BIFURC_MAX_QUEUES; i++)
		CHECK_EQ(g[i].kind, BCTL_GRANT_NONE);
	CHECK_EQ(bctl_parse_grants("2 user 1000\n127 group 0\n", g), 0);
	CHECK_EQ(g[2].kind, BCTL_GRANT_USER);
	CHECK_EQ(g[2].id, 1000);
	CHECK_EQ(g[127].kind, BCTL_GRANT_GROUP);
	CHECK_EQ(g[127].id, 0);
	CHECK_EQ(g[3].kind, BCTL_GRANT_NONE);
	CHECK_EQ(bctl_parse_grants("5 group 4294967295", g), 0);
	CHECK_EQ(g[5].id, 4294967295U);
	CHECK_EQ(g[2].kind, BCTL_GRANT_NONE);	/* every call starts afresh */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (bctl_parse_grants(bad[i], g) != -EINVAL) {
			printf("# \"%s\" accepted\n", bad[i]);
			return -1;
		}
	}
	CHECK_EQ(g[5].port_lo, 0);
	CHECK_STR(bctl_grant_kind_name(BCTL_GRANT_USER), "user");
	CHECK_STR(bctl_grant_kind_name(BCTL_GRANT_GROUP), "group");
	CHECK_STR(bctl_grant_kind_name(BCTL_GRANT_NONE), "none");
	return 0;
}

/* The v7 series' " ports LO-HI", next to lines of an older kernel. */
static int t_grant_list_ports(void)
{
	static const char *const bad[] = {
		"3 user 1000 ports", "3 user 1000 ports ", "3 user 1000 ports 53",
		"3 user 1000 ports 53-", "3 user 1000 ports -53",
		"3 user 1000 ports 0-5", "3 user 1000 ports 5-65536",
		"3 user 1000 ports 99999999999999999999-5",
		"3 user 1000 ports 5399-5300", "3 user 1000 ports 5-6-7",
		"3 user 1000 ports 5 -6", "3 user 1000 ports x-y",
		"3 user 1000 port 5-6", "3 user 1000  ports 5-6",
		"3 user 1000 ports 5-6 ", "3 user 1000 ports 5-6 7",
		"3 none ports 5-6", "3 user ports 5-6",
	};
	struct bctl_grant g[BIFURC_MAX_QUEUES];
	size_t i;

	CHECK_EQ(bctl_parse_grants("1 group 100\n2 user 1000 ports 5300-5399\n"
				   "3 user 7 ports 53-53\n"
				   "127 group 0 ports 1-65535\n", g), 0);
	CHECK_EQ(g[1].kind, BCTL_GRANT_GROUP);
	CHECK_EQ(g[1].id, 100);
	CHECK_EQ(g[1].port_lo, 0);		/* a line without ports */
	CHECK_EQ(g[1].port_hi, 0);
	CHECK_EQ(g[2].kind, BCTL_GRANT_USER);
	CHECK_EQ(g[2].id, 1000);
	CHECK_EQ(g[2].port_lo, 5300);
	CHECK_EQ(g[2].port_hi, 5399);
	CHECK_EQ(g[3].port_lo, 53);
	CHECK_EQ(g[3].port_hi, 53);
	CHECK_EQ(g[127].kind, BCTL_GRANT_GROUP);
	CHECK_EQ(g[127].port_lo, 1);
	CHECK_EQ(g[127].port_hi, 65535);
	CHECK_EQ(bctl_parse_grants("2 user 1000", g), 0);
	CHECK_EQ(g[2].port_lo, 0);	/* every call starts afresh */
	CHECK_EQ(g[3].kind, BCTL_GRANT_NONE);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (bctl_parse_grants(bad[i], g) != -EINVAL) {
			printf("# \"%s\" accepted\n", bad[i]);
			return -1;
		}
	}
	return 0;
}

/* The command line's "ports LO[-HI]" (usage errors go to stderr). */
static int t_port_range(void)
{
	static const char *const bad[] = {
		"", "0", "0-5", "5-0", "65536", "1-65536", "70000",
		"99999999999999999999", "5399-5300", "x", "53x", "5-x", "-53",
		"53-", "5-6-7", "+53", " 53", "53 ", "0x35", "5 - 6", "-",
	};
	uint16_t lo = 7, hi = 7;
	size_t i;

	CHECK_EQ(bctl_parse_port_range("53", &lo, &hi), 0);
	CHECK_EQ(lo, 53);
	CHECK_EQ(hi, 53);
	CHECK_EQ(bctl_parse_port_range("5300-5399", &lo, &hi), 0);
	CHECK_EQ(lo, 5300);
	CHECK_EQ(hi, 5399);
	CHECK_EQ(bctl_parse_port_range("1-65535", &lo, &hi), 0);
	CHECK_EQ(lo, 1);
	CHECK_EQ(hi, 65535);
	CHECK_EQ(bctl_parse_port_range("80-80", &lo, &hi), 0);
	CHECK_EQ(lo, 80);
	CHECK_EQ(hi, 80);
	CHECK_EQ(bctl_parse_port_range("053", &lo, &hi), 0);	/* decimal */
	CHECK_EQ(lo, 53);
	lo = hi = 7;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (bctl_parse_port_range(bad[i], &lo, &hi) != BCTL_USAGE) {
			printf("# \"%s\" accepted\n", bad[i]);
			return -1;
		}
	}
	CHECK(lo == 7 && hi == 7);	/* untouched on error */
	return 0;
}

static int t_strerror_perm(void)
{
	CHECK_STR(bctl_strerror_perm(-EPERM), "needs root (CAP_NET_ADMIN)");
	CHECK_STR(bctl_strerror_perm(-EACCES), "needs root (CAP_NET_ADMIN)");
	CHECK_STR(bctl_strerror_perm(-ENODEV), strerror(ENODEV));
	return 0;
}

static int t_qlist(void)
{
	uint64_t m[2];

	CHECK_EQ(bctl_parse_qlist("", m), 0);
	CHECK(!m[0] && !m[1]);
	CHECK_EQ(bctl_parse_qlist("2 3", m), 0);
	CHECK_EQ(m[0], 0xc);
	CHECK_EQ(bctl_parse_qlist("0,64 127\n", m), 0);
	CHECK_EQ(m[0], 1);
	CHECK_EQ(m[1], (1ULL << 0) | (1ULL << 63));
	CHECK(bctl_qbit(m, 127) && !bctl_qbit(m, 128) && !bctl_qbit(m, 1));
	CHECK_EQ(bctl_parse_qlist("128", m), -EINVAL);
	CHECK_EQ(bctl_parse_qlist("x", m), -EINVAL);
	return 0;
}

static int t_parse_u32(void)
{
	uint32_t v;

	CHECK_EQ(bctl_parse_u32("7", "queue", 127, &v), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(bctl_parse_u32("0x10", "queue", 127, &v), 0);
	CHECK_EQ(v, 16);
	CHECK_EQ(bctl_parse_u32("128", "queue", 127, &v), BCTL_USAGE);
	CHECK_EQ(bctl_parse_u32("-1", "queue", 127, &v), BCTL_USAGE);
	CHECK_EQ(bctl_parse_u32("3x", "queue", 127, &v), BCTL_USAGE);
	CHECK_EQ(bctl_parse_u32("", "queue", 127, &v), BCTL_USAGE);
	CHECK_EQ(bctl_parse_u32("99999999999999999999", "queue", 127, &v),
		 BCTL_USAGE);
	return 0;
}

static const struct tap_case cases[] = {
	{ "GRANT_ERRMSG", t_grant_errmsg },
	{ "GRANT_LIST", t_grant_list },
	{ "GRANT_LIST_PORTS", t_grant_list_ports },
	{ "PARSE_U32", t_parse_u32 },
	{ "PORT_RANGE", t_port_range },
	{ "QLIST", t_qlist },
	{ "RESERVE_ERRMSG", t_reserve_errmsg },
	{ "STRERROR_PERM", t_strerror_perm },
};

int main(void)
{
	return tap_run("Description: errno messages and small parsers", cases,
		       ARRAY_SIZE(cases));
}
