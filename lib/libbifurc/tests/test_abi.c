// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: the layout of every structure in <linux/bifurc.h>, locked
 * at compile time (the kernel side repeats these as BUILD_BUG_ON), plus
 * the ioctl numbers and flag sets checked at run time.
 */
#include <assert.h>
#include <stddef.h>

#include "fixture.h"

#define OFF(t, f, o) static_assert(offsetof(struct t, f) == (o), #t "." #f)
#define SZ(t, s) static_assert(sizeof(struct t) == (s), #t " size")

SZ(bifurc_region, 24);
OFF(bifurc_region, offset, 0);
OFF(bifurc_region, length, 8);
OFF(bifurc_region, entries, 16);
OFF(bifurc_region, prot, 20);

SZ(bifurc_ring_hdr, 512);
OFF(bifurc_ring_hdr, producer, BIFURC_RING_PRODUCER_OFFSET);
OFF(bifurc_ring_hdr, consumer, BIFURC_RING_CONSUMER_OFFSET);
OFF(bifurc_ring_hdr, flags, BIFURC_RING_FLAGS_OFFSET);
static_assert(BIFURC_RING_ENTRIES_OFFSET == sizeof(struct bifurc_ring_hdr),
	      "entries follow the header");

SZ(bifurc_rx_comp, 16);
OFF(bifurc_rx_comp, buf, 0);
OFF(bifurc_rx_comp, len, 4);
OFF(bifurc_rx_comp, vlan_tci, 6);
OFF(bifurc_rx_comp, rss_hash, 8);
OFF(bifurc_rx_comp, flags, 12);
OFF(bifurc_rx_comp, ptype, 14);

SZ(bifurc_tx_entry, 16);
OFF(bifurc_tx_entry, buf, 0);
OFF(bifurc_tx_entry, offset, 4);
OFF(bifurc_tx_entry, len, 8);
OFF(bifurc_tx_entry, flags, 12);

SZ(bifurc_rx_desc, 16);
OFF(bifurc_rx_desc, pkt_info, 0);
OFF(bifurc_rx_desc, rss_hash, 4);
OFF(bifurc_rx_desc, status_error, 8);
OFF(bifurc_rx_desc, length, 12);
OFF(bifurc_rx_desc, vlan, 14);

SZ(bifurc_counters, BIFURC_COUNTERS_SIZE_VER0);
OFF(bifurc_counters, status, 4);
OFF(bifurc_counters, rx_packets, 8);
OFF(bifurc_counters, tx_packets, 72);
OFF(bifurc_counters, tx_bad_id, 88);
OFF(bifurc_counters, tx_ring_err, 96);
OFF(bifurc_counters, tx_bad_frame, 104);
OFF(bifurc_counters, tx_ring_full, 112);
OFF(bifurc_counters, reserved, 120);

SZ(bifurc_info, BIFURC_INFO_SIZE_VER0);
OFF(bifurc_info, abi_version, 4);
OFF(bifurc_info, max_flows, 48);
OFF(bifurc_info, max_tx_frame, 52);
OFF(bifurc_info, reserved_queues, 56);
OFF(bifurc_info, attached_queues, 72);
OFF(bifurc_info, ifname, 88);
OFF(bifurc_info, reserved, 104);

SZ(bifurc_attach, BIFURC_ATTACH_SIZE_VER0);
OFF(bifurc_attach, queue, 8);
OFF(bifurc_attach, tx_entries, 28);
OFF(bifurc_attach, txc_entries, 32);
OFF(bifurc_attach, buf_size, 36);
OFF(bifurc_attach, buf_count, 40);
OFF(bifurc_attach, tx_desc, 44);
OFF(bifurc_attach, rx_headroom, 48);
OFF(bifurc_attach, desc_format, 52);
OFF(bifurc_attach, pool, 56);
OFF(bifurc_attach, fill, 80);
OFF(bifurc_attach, comp, 104);
OFF(bifurc_attach, desc, 128);
OFF(bifurc_attach, tx, 152);
OFF(bifurc_attach, txc, 176);
OFF(bifurc_attach, counters, 200);
OFF(bifurc_attach, reserved, 224);

SZ(bifurc_kick, BIFURC_KICK_SIZE_VER0);
OFF(bifurc_kick, rx_refilled, 8);
OFF(bifurc_kick, tx_submitted, 20);
OFF(bifurc_kick, tx_completed, 24);
OFF(bifurc_kick, tx_rejected, 28);

/* Section 4a: a txc entry is an id and the refused bit, nothing else. */
static_assert((BIFURC_TXC_F_REFUSED & BIFURC_TXC_ID_MASK) == 0, "txc bits");
static_assert((BIFURC_TXC_F_REFUSED | BIFURC_TXC_ID_MASK) == 0xffffffffU,
	      "txc bits");
static_assert(BIFURC_TX_MAX_FRAGS == 8, "tx frags");
static_assert(BIFURC_TX_MIN_FRAME == 60, "tx min frame");

SZ(bifurc_flow_match, 40);
OFF(bifurc_flow_match, src_port, 4);
OFF(bifurc_flow_match, dst_port, 6);
OFF(bifurc_flow_match, src_addr, 8);
OFF(bifurc_flow_match, dst_addr, 24);

SZ(bifurc_flow_rule, BIFURC_FLOW_RULE_SIZE_VER0);
OFF(bifurc_flow_rule, value, 8);
OFF(bifurc_flow_rule, mask, 48);
OFF(bifurc_flow_rule, rule_id, 88);

SZ(bifurc_flow_del, BIFURC_FLOW_DEL_SIZE_VER0);
SZ(bifurc_flow_mask, BIFURC_FLOW_MASK_SIZE_VER0);
OFF(bifurc_flow_mask, mask, 16);

static int ioctl_numbers(void)
{
	static const unsigned long reqs[] = {
		BIFURC_IOC_INFO, BIFURC_IOC_ATTACH, BIFURC_IOC_KICK,
		BIFURC_IOC_FLOW_ADD, BIFURC_IOC_FLOW_DEL, BIFURC_IOC_FLOW_MASK,
		BIFURC_IOC_STATS,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		CHECK_EQ(_IOC_TYPE(reqs[i]), BIFURC_IOC_TYPE);
		CHECK_EQ(_IOC_NR(reqs[i]), i);
		CHECK(_IOC_SIZE(reqs[i]) >= 16);
	}
	CHECK_EQ(_IOC_DIR(BIFURC_IOC_FLOW_DEL), _IOC_WRITE);
	return 0;
}

static int flag_sets(void)
{
	CHECK_EQ(BIFURC_ATTACH_FLAGS_ALL, BIFURC_ATTACH_BUSY_POLL |
		 BIFURC_ATTACH_RAW_DESC | BIFURC_ATTACH_TX);
	CHECK_EQ(BIFURC_KICK_FLAGS_ALL, BIFURC_KICK_RX_REFILL |
		 BIFURC_KICK_RX_HARVEST | BIFURC_KICK_TX_SUBMIT |
		 BIFURC_KICK_TX_RECLAIM);
	CHECK_EQ(BIFURC_RAW_SLOTS_OFFSET(512), 512 * 16);
	CHECK_EQ(BIFURC_TX_F_MORE, 1);
	CHECK_EQ(BIFURC_INFO_F_TX, 1 << 3);
	CHECK_EQ(BIFURC_STATUS_TX_HANG & (BIFURC_STATUS_ATTACHED |
		 BIFURC_STATUS_RESET | BIFURC_STATUS_REMOVED), 0);
	CHECK_EQ(BIFURC_MAX_QUEUES % 64, 0);
	CHECK_EQ(BIFURC_ABI_VERSION, 1);
	return 0;
}

/* The asserts above ran at compile time; this case records that. */
static int layout(void)
{
	return 0;
}

static const struct tap_case cases[] = {
	{ "FLAG_SETS", flag_sets },
	{ "IOCTL_NUMBERS", ioctl_numbers },
	{ "LAYOUT_STATIC_ASSERTS", layout },
};

int main(void)
{
	return tap_run("Description: <linux/bifurc.h> layout", cases,
		       ARRAY_SIZE(cases));
}
