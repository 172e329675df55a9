// SPDX-License-Identifier: GPL-2.0
/* Copyright(c) 2026 The bifurc authors. */

/*
 * KUnit tests for the pure logic of ixgbe bifurc: ring index arithmetic
 * (including the 2^32 wrap and indices a hostile user writes), buffer id
 * validation, RX descriptor decoding, RSS table recomputation without
 * reserved queues, the reservation rules, TX queue selection and request
 * and TX frame validation.
 *
 * Run: modprobe ixgbe with CONFIG_IXGBE_BIFURC_KUNIT_TEST=y, then read
 * /sys/kernel/debug/kunit/ixgbe_bifurc/results.
 */

#include <kunit/test.h>
#include <linux/in.h>

#include "ixgbe_bifurc.h"

static void ring_used_test(struct kunit *test)
{
	u32 used = 1234;

	KUNIT_EXPECT_TRUE(test, ixgbe_bifurc_ring_used(0, 0, 64, &used));
	KUNIT_EXPECT_EQ(test, used, 0);
	KUNIT_EXPECT_TRUE(test, ixgbe_bifurc_ring_used(64, 0, 64, &used));
	KUNIT_EXPECT_EQ(test, used, 64);
	/* one more than the ring holds: a lie */
	KUNIT_EXPECT_FALSE(test, ixgbe_bifurc_ring_used(65, 0, 64, &used));
	/* consumer ahead of producer: also a lie (distance ~2^32) */
	KUNIT_EXPECT_FALSE(test, ixgbe_bifurc_ring_used(5, 6, 64, &used));
}

static void ring_used_wrap_test(struct kunit *test)
{
	u32 used = 0;

	/* the producer wrapped past 2^32, the consumer did not yet */
	KUNIT_EXPECT_TRUE(test, ixgbe_bifurc_ring_used(2, U32_MAX - 1, 64,
						       &used));
	KUNIT_EXPECT_EQ(test, used, 4);
	KUNIT_EXPECT_TRUE(test, ixgbe_bifurc_ring_used(U32_MAX, U32_MAX, 64,
						       &used));
	KUNIT_EXPECT_EQ(test, used, 0);
	KUNIT_EXPECT_TRUE(test, ixgbe_bifurc_ring_used(31, U32_MAX - 32, 64,
						       &used));
	KUNIT_EXPECT_EQ(test, used, 64);
	KUNIT_EXPECT_FALSE(test, ixgbe_bifurc_ring_used(32, U32_MAX - 32, 64,
							&used));
	/* slot arithmetic across the wrap stays inside the ring */
	KUNIT_EXPECT_EQ(test, (U32_MAX - 1) & 63, 62);
	KUNIT_EXPECT_EQ(test, (u32)(U32_MAX + 2) & 63, 1);
}

static void take_id_test(struct kunit *test)
{
	u8 owner[8] = { };

	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_take_id(owner, 8, 3), 0);
	KUNIT_EXPECT_EQ(test, owner[3], IXGBE_BIFURC_BUF_KERNEL);
	/* double use: the NIC already holds it */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_take_id(owner, 8, 3), -EBUSY);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_take_id(owner, 8, 8), -ERANGE);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_take_id(owner, 8, U32_MAX),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_take_id(owner, 8, 7), 0);
	/* given back by a completion, usable again */
	owner[3] = IXGBE_BIFURC_BUF_USER;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_take_id(owner, 8, 3), 0);
}

/* descriptor write-back to the comp entry's flags and packet type */
static void rx_decode_test(struct kunit *test)
{
	const u32 dd = IXGBE_RXD_STAT_DD, csum = IXGBE_RXD_STAT_IPCS |
		       IXGBE_RXD_STAT_L4CS;

	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_rx_flags(dd, 0), 0);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_rx_flags(dd | IXGBE_RXD_STAT_EOP |
						    csum, 1),
			BIFURC_RX_F_EOP | BIFURC_RX_F_HASH |
			BIFURC_RX_F_L3_CSUM_OK | BIFURC_RX_F_L4_CSUM_OK);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_rx_flags(dd | IXGBE_RXD_STAT_VP |
						    IXGBE_RXD_STAT_FLM, 0),
			BIFURC_RX_F_VLAN | BIFURC_RX_F_FLOW);
	/* a flagged checksum is not good, and says so */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_rx_flags(dd | csum |
						    IXGBE_RXDADV_ERR_IPE, 0),
			BIFURC_RX_F_L4_CSUM_OK | BIFURC_RX_F_CSUM_BAD);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_rx_flags(dd | csum |
						    IXGBE_RXDADV_ERR_TCPE, 0),
			BIFURC_RX_F_L3_CSUM_OK | BIFURC_RX_F_CSUM_BAD);

	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_ptype(0), BIFURC_PTYPE_L3_NONE);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_ptype(IXGBE_RXDADV_PKTTYPE_IPV4 |
						 IXGBE_RXDADV_PKTTYPE_UDP),
			BIFURC_PTYPE_L3_IPV4 | BIFURC_PTYPE_L4_UDP);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_ptype(IXGBE_RXDADV_PKTTYPE_IPV6_EX |
						 IXGBE_RXDADV_PKTTYPE_SCTP),
			BIFURC_PTYPE_L3_IPV6_EXT | BIFURC_PTYPE_L4_SCTP);
	/* a tunnel: the first of each layer's list names it */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_ptype(IXGBE_RXDADV_PKTTYPE_IPV4 |
						 IXGBE_RXDADV_PKTTYPE_IPV4_EX |
						 IXGBE_RXDADV_PKTTYPE_IPV6 |
						 IXGBE_RXDADV_PKTTYPE_UDP |
						 IXGBE_RXDADV_PKTTYPE_TCP),
			BIFURC_PTYPE_L3_IPV4_EXT | BIFURC_PTYPE_L4_TCP);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_ptype(IXGBE_RXDADV_PKTTYPE_IPV6 |
						 IXGBE_RXDADV_PKTTYPE_IPV6_EX),
			BIFURC_PTYPE_L3_IPV6_EXT);
}

static void reta_default(u8 *tbl, u32 entries, u32 nq)
{
	u32 i;

	for (i = 0; i < entries; i++)
		tbl[i] = i % nq;
}

static void reta_filter_test(struct kunit *test)
{
	DECLARE_BITMAP(reserved, BIFURC_MAX_QUEUES) = { };
	u32 i, share[4] = { };
	u8 tbl[128];

	reta_default(tbl, 128, 4);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_reta_filter(tbl, 128, 4, reserved),
			0);

	set_bit(3, reserved);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_reta_filter(tbl, 128, 4, reserved),
			32);
	for (i = 0; i < 128; i++) {
		KUNIT_ASSERT_LT(test, tbl[i], 4);
		share[tbl[i]]++;
		/* entries of unreserved queues keep their place */
		if (i % 4 != 3)
			KUNIT_EXPECT_EQ(test, tbl[i], i % 4);
	}
	KUNIT_EXPECT_EQ(test, share[3], 0);
	KUNIT_EXPECT_EQ(test, share[0] + share[1] + share[2], 128);
	KUNIT_EXPECT_LE(test, max3(share[0], share[1], share[2]) -
			min3(share[0], share[1], share[2]), 1);
}

static void reta_filter_edge_test(struct kunit *test)
{
	DECLARE_BITMAP(reserved, BIFURC_MAX_QUEUES) = { };
	u8 tbl[128], before[128];
	u32 i;

	/* queue 0 and 2 of 3 reserved: everything goes to queue 1 */
	reta_default(tbl, 128, 3);
	set_bit(0, reserved);
	set_bit(2, reserved);
	KUNIT_EXPECT_GT(test, ixgbe_bifurc_reta_filter(tbl, 128, 3, reserved),
			0);
	for (i = 0; i < 128; i++)
		KUNIT_EXPECT_EQ(test, tbl[i], 1);

	/* every RSS queue reserved: refused, table untouched */
	reta_default(tbl, 128, 2);
	memcpy(before, tbl, sizeof(tbl));
	bitmap_zero(reserved, BIFURC_MAX_QUEUES);
	set_bit(0, reserved);
	set_bit(1, reserved);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_reta_filter(tbl, 128, 2, reserved),
			-ENOSPC);
	KUNIT_EXPECT_MEMEQ(test, tbl, before, sizeof(tbl));

	/* a Flow-Director-only queue (>= nq) reserved: RSS unaffected */
	reta_default(tbl, 128, 4);
	bitmap_zero(reserved, BIFURC_MAX_QUEUES);
	set_bit(5, reserved);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_reta_filter(tbl, 128, 4, reserved),
			0);
}

static void check_reserve_test(struct kunit *test)
{
	DECLARE_BITMAP(reserved, BIFURC_MAX_QUEUES) = { };

	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_reserve(4, 4, 4, reserved),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_reserve(3, 4, 4, reserved), 0);
	set_bit(3, reserved);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_reserve(3, 4, 4, reserved),
			-EALREADY);
	set_bit(1, reserved);
	set_bit(2, reserved);
	/* queue 0 is the last one RSS could use */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_reserve(0, 4, 4, reserved),
			-ENOSPC);
	/* a single-queue netdev can never reserve */
	bitmap_zero(reserved, BIFURC_MAX_QUEUES);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_reserve(0, 1, 1, reserved),
			-ENOSPC);
	/* queues beyond RSS (Flow Director only) are always free to take */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_reserve(6, 8, 4, reserved),
			0);
}

static void parse_grant_test(struct kunit *test)
{
	static const char *const bad[] = {
		"", "3", "3 user", "3 user x", "3 user -1", "3 user 4294967296",
		"3 usr 1000", "3 users 1000", "3 user 1000 extra", "3 none 5",
		"x user 1000", "3  user 1000", "3 user 1000\n\n7",
		"3 group 1000 1001", "3 user 1000 ports", "3 user 1000 ports 0",
		"3 user 1000 ports 65536", "3 user 1000 ports 10-9",
		"3 user 1000 ports 5-", "3 user 1000 ports -5",
		"3 user 1000 ports 5-6-7", "3 user 1000 ports 5 6",
		"3 user 1000 port 5", "3 none ports 5", "3 user 1000 ports 0x10",
		"0123456789 user 0123456789 0123456789 0123456789 0123456789",
	};
	struct ixgbe_bifurc_grant_line l;
	unsigned int i;
	int err;

	err = ixgbe_bifurc_parse_grant("3 user 1000\n", &l);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, l.queue, 3);
	KUNIT_EXPECT_EQ(test, l.kind, IXGBE_BIFURC_GRANT_USER);
	KUNIT_EXPECT_EQ(test, l.id, 1000);
	KUNIT_EXPECT_EQ(test, l.port_lo, 0);
	err = ixgbe_bifurc_parse_grant("127 group 0", &l);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, l.queue, 127);
	KUNIT_EXPECT_EQ(test, l.kind, IXGBE_BIFURC_GRANT_GROUP);
	KUNIT_EXPECT_EQ(test, l.id, 0);
	err = ixgbe_bifurc_parse_grant("2 none\n", &l);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, l.queue, 2);
	KUNIT_EXPECT_EQ(test, l.kind, IXGBE_BIFURC_GRANT_NONE);
	err = ixgbe_bifurc_parse_grant("3 user 1000 ports 5300-5399\n", &l);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, l.id, 1000);
	KUNIT_EXPECT_EQ(test, l.port_lo, 5300);
	KUNIT_EXPECT_EQ(test, l.port_hi, 5399);
	err = ixgbe_bifurc_parse_grant("1 group 4294967295 ports 65535", &l);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, l.kind, IXGBE_BIFURC_GRANT_GROUP);
	KUNIT_EXPECT_EQ(test, l.port_lo, 65535);
	KUNIT_EXPECT_EQ(test, l.port_hi, 65535);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err = ixgbe_bifurc_parse_grant(bad[i], &l);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "\"%s\"", bad[i]);
	}
}

static void parse_mirror_test(struct kunit *test)
{
	static const char *const bad[] = {
		"", "3", "3 ", "3 yes", "3 ON", "3 on off", "3 on\n\n7",
		"x on", "-1 on", "4294967296 on", "0x3 on", "3  on", "on",
		"01234567890123456789012345678901 on",
	};
	unsigned int i;
	bool on = false;
	u32 q = 0;

	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_mirror("3 on\n", &q, &on), 0);
	KUNIT_EXPECT_EQ(test, q, 3);
	KUNIT_EXPECT_TRUE(test, on);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_mirror(" 127 off", &q, &on),
			0);
	KUNIT_EXPECT_EQ(test, q, 127);
	KUNIT_EXPECT_FALSE(test, on);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, ixgbe_bifurc_parse_mirror(bad[i], &q,
								    &on),
				    -EINVAL, "\"%s\"", bad[i]);
}

static void pick_txq_test(struct kunit *test)
{
	DECLARE_BITMAP(reserved, BIFURC_MAX_QUEUES) = { };

	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_pick_txq(2, 4, reserved), 2);
	set_bit(2, reserved);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_pick_txq(2, 4, reserved), 3);
	set_bit(3, reserved);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_pick_txq(2, 4, reserved), 0);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_pick_txq(3, 4, reserved), 0);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_pick_txq(1, 4, reserved), 1);
	set_bit(0, reserved);
	set_bit(1, reserved);
	/* nothing left: keep the stack's choice rather than loop */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_pick_txq(1, 4, reserved), 1);
}

static void attach_args(struct bifurc_attach *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->abi_version = BIFURC_ABI_VERSION;
	a->queue = 3;
	a->rx_desc = 512;
	a->fill_entries = 1024;
	a->comp_entries = 1024;
	a->buf_size = 2048;
	a->buf_count = 1024;
}

/* What RLIMIT_MEMLOCK is charged with, counted by hand for 4 KiB pages. */
static void att_pages_test(struct kunit *test)
{
	struct bifurc_attach a;

	if (PAGE_SIZE != 4096)
		kunit_skip(test, "counted for 4 KiB pages");
	attach_args(&a);
	/* pool 1024 x 2 KiB: 512; fill 512 + 4 KiB: 2; comp 512 + 16 KiB:
	 * 5; counters: 1
	 */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_att_pages(&a), 520);
	a.flags = BIFURC_ATTACH_TX;
	a.tx_entries = 1024;
	a.txc_entries = 1024;
	/* tx 512 + 16 KiB: 5; txc 512 + 4 KiB: 2 */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_att_pages(&a), 527);
	attach_args(&a);
	a.flags = BIFURC_ATTACH_RAW_DESC;
	a.comp_entries = 512;
	/* comp: the header page alone; desc region 512 x (16 + 4): 3 */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_att_pages(&a), 512 + 2 + 1 + 1 + 3);
	attach_args(&a);
	a.buf_size = 16384;
	a.buf_count = 3;
	/* one order-2 chunk per buffer */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_att_pages(&a), 12 + 2 + 5 + 1);
}

static void check_attach_test(struct kunit *test)
{
	struct bifurc_attach a;

	attach_args(&a);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), 0);
	a.rx_desc = 500;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	attach_args(&a);
	a.rx_desc = 32;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	attach_args(&a);
	a.buf_size = 32768;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	attach_args(&a);
	a.buf_count = 0;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	attach_args(&a);
	a.pool.length = 4096;		/* an out field on input */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	attach_args(&a);
	a.abi_version = 2;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EPROTO);
	attach_args(&a);
	a.flags = BIFURC_ATTACH_TX;	/* TX without its rings */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	a.tx_entries = 64;
	a.txc_entries = 128;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), 0);
	a.tx_desc = 1024;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), 0);
	a.tx_desc = 100;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	a.tx_desc = 0;
	a.txc_entries = 32;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	attach_args(&a);
	a.flags = BIFURC_ATTACH_RAW_DESC;
	/* raw mode's comp indices count descriptors */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	a.comp_entries = a.rx_desc;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), 0);
	attach_args(&a);
	a.flags = 0x100;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	attach_args(&a);
	a.tx_entries = 64;		/* TX rings without TX */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
	attach_args(&a);
	a.tx_desc = 64;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_attach(&a), -EINVAL);
}

static void flow_args(struct bifurc_flow_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->value.proto = IPPROTO_UDP;
	r->value.family = BIFURC_FLOW_IPV4;
	r->value.dst_port = htons(53);
	r->mask.dst_port = htons(0xffff);
}

static void check_flow_test(struct kunit *test)
{
	struct bifurc_flow_rule r;

	flow_args(&r);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_flow(&r), 0);
	r.value.src_port = htons(7);	/* value bit outside the mask */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_flow(&r), -EINVAL);
	flow_args(&r);
	r.mask.dst_port = 0;		/* empty mask */
	r.value.dst_port = 0;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_flow(&r), -EINVAL);
	flow_args(&r);
	r.value.family = BIFURC_FLOW_IPV6;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_flow(&r), -EOPNOTSUPP);
	flow_args(&r);
	r.value.proto = IPPROTO_SCTP;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_flow(&r), -EOPNOTSUPP);
	flow_args(&r);
	r.value.proto = IPPROTO_ICMP;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_flow(&r), -EINVAL);
	flow_args(&r);
	r.mask.proto = 0xff;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_flow(&r), -EINVAL);
	flow_args(&r);
	r.value.dst_addr[1] = htonl(1);	/* IPv6 words of an IPv4 rule */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_flow(&r), -EINVAL);
	flow_args(&r);
	r.flags = 1;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_flow(&r), -EINVAL);
}

/* A UDP/IPv4 frame from 02:00:00:00:00:01, 10.77.0.2:5320, into @f. */
static u32 tx_udp4(u8 *f)
{
	static const u8 frame[] = {
		2, 0, 0, 0, 0, 2,  2, 0, 0, 0, 0, 1,  0x08, 0x00,
		0x45, 0, 0, 28,  0, 0, 0x40, 0,  64, 17, 0, 0,
		10, 77, 0, 2,  10, 77, 0, 1,
		0x14, 0xc8,  0x24, 0x54,  0, 8, 0, 0,
	};

	memcpy(f, frame, sizeof(frame));
	return sizeof(frame);
}

static void parse_tx_source_test(struct kunit *test)
{
	static const u8 mac[ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };
	struct ixgbe_bifurc_tx_source src;
	u8 f[IXGBE_BIFURC_TX_HDR] = {};
	u32 len;

	len = tx_udp4(f);
	KUNIT_ASSERT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len, &src), 0);
	KUNIT_EXPECT_MEMEQ(test, src.mac, mac, ETH_ALEN);
	KUNIT_EXPECT_EQ(test, src.family, AF_INET);
	KUNIT_EXPECT_EQ(test, src.addr[0], htonl(0x0a4d0002));
	KUNIT_EXPECT_EQ(test, src.port, 5320);
	/* the ports must be inside the copy */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len - 5, &src),
			-EINVAL);
	f[23] = 6;	/* TCP */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len, &src), 0);
	f[23] = 1;	/* ICMP: no port to check */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len, &src),
			-EINVAL);

	len = tx_udp4(f);
	f[21] = 1;	/* fragment offset 8: no ports in it */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len, &src),
			-EINVAL);
	f[21] = 0;
	f[20] = 0x20;	/* MF, offset 0: the first fragment has its ports */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len, &src), 0);
	len = tx_udp4(f);
	f[14] = 0x44;	/* IHL 4 */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len, &src),
			-EINVAL);
	len = tx_udp4(f);
	f[14] = 0x46;	/* IHL 6: the ports move 4 bytes on */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len, &src), 0);
	KUNIT_EXPECT_EQ(test, src.port, 8);
	len = tx_udp4(f);
	f[12] = 0x81;	/* 802.1Q tag: refused */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len, &src),
			-EINVAL);
	f[12] = 0x08;
	f[13] = 0x06;	/* ARP */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, len, &src),
			-EINVAL);

	/* IPv6: UDP right after the fixed header, nothing else */
	memset(f, 0, sizeof(f));
	len = tx_udp4(f);
	f[12] = 0x86;
	f[13] = 0xdd;
	memset(f + 14, 0, 40);
	f[14] = 0x60;
	f[20] = 17;
	f[22] = 0xfe;
	f[23] = 0x80;
	f[37] = 9;
	f[54] = 0x14;
	f[55] = 0xc9;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, 58, &src), 0);
	KUNIT_EXPECT_EQ(test, src.family, AF_INET6);
	KUNIT_EXPECT_EQ(test, src.port, 5321);
	KUNIT_EXPECT_EQ(test, ((u8 *)src.addr)[0], 0xfe);
	KUNIT_EXPECT_EQ(test, ((u8 *)src.addr)[15], 9);
	f[20] = 0;	/* hop-by-hop options first */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, 58, &src),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_parse_tx_source(f, 13, &src),
			-EINVAL);
}

static void check_tx_frame_test(struct kunit *test)
{
	struct bifurc_tx_entry e[BIFURC_TX_MAX_FRAGS + 1] = {};
	u32 i, n;

	e[0] = (struct bifurc_tx_entry){ .buf = 1, .len = 60 };
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 1, 2048, 1518), 0);
	e[0].len = 59;			/* a runt */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 1, 2048, 1518),
			-EINVAL);
	e[0].len = 1519;		/* above the MTU */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 1, 2048, 1518),
			-EINVAL);
	e[0] = (struct bifurc_tx_entry){ .offset = 2000, .len = 60 };
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 1, 2048, 1518),
			-EINVAL);
	/* offset + len wrapping u32 must not pass */
	e[0] = (struct bifurc_tx_entry){ .offset = 0xfffffff0, .len = 0x20 };
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 1, 2048, 1518),
			-EINVAL);
	e[0] = (struct bifurc_tx_entry){ .offset = 1988, .len = 60 };
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 1, 2048, 1518), 0);
	e[0].flags = 0x2;		/* unknown flag */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 1, 2048, 1518),
			-EINVAL);

	/* two entries: MORE on the first only */
	e[0] = (struct bifurc_tx_entry){ .len = 30, .flags = BIFURC_TX_F_MORE };
	e[1] = (struct bifurc_tx_entry){ .len = 30 };
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 2, 2048, 1518), 0);
	e[1].flags = BIFURC_TX_F_MORE;	/* the last one says MORE */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 2, 2048, 1518),
			-EINVAL);
	e[0].flags = 0;			/* the first one does not */
	e[1].flags = 0;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 2, 2048, 1518),
			-EINVAL);
	e[0] = (struct bifurc_tx_entry){ .len = 30, .flags = BIFURC_TX_F_MORE };
	e[1] = (struct bifurc_tx_entry){ .len = 0 };	/* empty entry */
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 2, 2048, 1518),
			-EINVAL);

	/* at most BIFURC_TX_MAX_FRAGS entries */
	for (i = 0; i <= BIFURC_TX_MAX_FRAGS; i++)
		e[i] = (struct bifurc_tx_entry){ .len = 60,
						 .flags = BIFURC_TX_F_MORE };
	n = BIFURC_TX_MAX_FRAGS;
	e[n - 1].flags = 0;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, n, 2048, 9018), 0);
	e[n - 1].flags = BIFURC_TX_F_MORE;
	e[n].flags = 0;
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, n + 1, 2048, 9018),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ixgbe_bifurc_check_tx_frame(e, 0, 2048, 1518),
			-EINVAL);
}

/*
 * The harvest's tables give the answers of the two functions above for
 * every combination of the bits they read, whatever the other bits hold.
 */
static void rx_decode_lut_test(struct kunit *test)
{
	static const u32 read[] = {
		IXGBE_RXD_STAT_EOP, IXGBE_RXD_STAT_FLM, IXGBE_RXD_STAT_VP,
		IXGBE_RXD_STAT_L4CS, IXGBE_RXD_STAT_IPCS, IXGBE_RXDADV_ERR_IPE,
		IXGBE_RXDADV_ERR_TCPE,
	};
	u32 i, b, rss, staterr, other, bad = 0;
	u16 info;

	for (i = 0; i < BIT(ARRAY_SIZE(read)); i++) {
		other = U32_MAX;
		staterr = IXGBE_RXD_STAT_DD;
		for (b = 0; b < ARRAY_SIZE(read); b++) {
			other &= ~read[b];
			if (i & BIT(b))
				staterr |= read[b];
		}
		for (rss = 0; rss < 32; rss++) {
			/* rss 16-31: every other bit of both words set */
			info = rss & IXGBE_RXDADV_RSSTYPE_MASK;
			if (rss & 16) {
				staterr |= other;
				info |= ~IXGBE_RXDADV_RSSTYPE_MASK;
			}
			bad += ixgbe_bifurc_flags_lut[ixgbe_bifurc_flags_idx(staterr, info)] !=
			       ixgbe_bifurc_rx_flags(staterr, info);
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0);

	for (i = 0; i <= U16_MAX; i++)
		bad += ixgbe_bifurc_ptype_lut[ixgbe_bifurc_ptype_idx(i)] !=
		       ixgbe_bifurc_ptype(i);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

static struct kunit_case ixgbe_bifurc_test_cases[] = {
	KUNIT_CASE(ring_used_test),
	KUNIT_CASE(ring_used_wrap_test),
	KUNIT_CASE(take_id_test),
	KUNIT_CASE(rx_decode_test),
	KUNIT_CASE(rx_decode_lut_test),
	KUNIT_CASE(reta_filter_test),
	KUNIT_CASE(reta_filter_edge_test),
	KUNIT_CASE(check_reserve_test),
	KUNIT_CASE(parse_grant_test),
	KUNIT_CASE(parse_mirror_test),
	KUNIT_CASE(pick_txq_test),
	KUNIT_CASE(check_attach_test),
	KUNIT_CASE(att_pages_test),
	KUNIT_CASE(check_flow_test),
	KUNIT_CASE(check_tx_frame_test),
	KUNIT_CASE(parse_tx_source_test),
	{}
};

static struct kunit_suite ixgbe_bifurc_test_suite = {
	.name = "ixgbe_bifurc",
	.test_cases = ixgbe_bifurc_test_cases,
};

kunit_test_suite(ixgbe_bifurc_test_suite);
