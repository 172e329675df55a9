// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the messages for the errno values the kernel's sysfs
 * attributes return (ixgbe_bifurc.c reserve_store/release_store), the
 * queue-list parser for "reserved"/"attached", and number parsing.
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
	{ "PARSE_U32", t_parse_u32 },
	{ "QLIST", t_qlist },
	{ "RESERVE_ERRMSG", t_reserve_errmsg },
	{ "STRERROR_PERM", t_strerror_perm },
};

int main(void)
{
	return tap_run("Description: errno messages and small parsers", cases,
		       ARRAY_SIZE(cases));
}
