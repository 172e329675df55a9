// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: raw descriptor mode (BIFURC_OPT_RAW_DESC): the library
 * reads 82599 write-back descriptors from the read-only descriptor region,
 * decodes status and packet type (every combination of their bits), and
 * hands slots back through the
 * completion ring's consumer index; privilege and size errors.
 */
#include "fixture.h"

static int raw_rx(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_meta m = { .hash = 0x1234,
			      .flags = BIFURC_RX_F_HASH | BIFURC_RX_F_VLAN |
				       BIFURC_RX_F_L3_CSUM_OK |
				       BIFURC_RX_F_L4_CSUM_OK | BIFURC_RX_F_FLOW,
			      .ptype = BIFURC_PTYPE_L3_IPV4 | BIFURC_PTYPE_L4_UDP,
			      .vlan = 7 };
	struct sim_dev *d = fx_dev();
	struct bifurc_queue_info qi;
	struct bifurc_queue *q;
	struct bifurc_pkt p[4];
	struct bifurc_stats st;

	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(qi.comp_entries, 64);
	CHECK_EQ(qi.flags, BIFURC_OPT_RAW_DESC);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), 0);
	CHECK_EQ(sim_rx(d, FX_Q, "raw!", 4, &m), 1);
	CHECK_EQ(bifurc_wait(q, 0), 1);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), 1);
	CHECK_EQ(p[0].len, 4);
	CHECK(memcmp(p[0].data, "raw!", 4) == 0);
	CHECK_EQ(p[0].hash, 0x1234);
	CHECK_EQ(p[0].vlan_tci, 7);
	CHECK_EQ(p[0].flags, BIFURC_PKT_EOP | BIFURC_PKT_HASH | BIFURC_PKT_VLAN |
			     BIFURC_PKT_L3_CSUM_OK | BIFURC_PKT_L4_CSUM_OK |
			     BIFURC_PKT_FLOW);
	CHECK_EQ(p[0].ptype, BIFURC_PKT_L3_IPV4 | BIFURC_PKT_L4_UDP);
	CHECK_EQ(bifurc_rx_release(q, p, 1), 0);
	/* The kernel counts raw packets when it reclaims the slot. */
	CHECK_EQ(sim_rx(d, FX_Q, "x", 1, NULL), 1);
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.rx_packets, 1);
	CHECK_EQ(bifurc_rx_burst(q, p, 4), 1);
	CHECK_EQ(p[0].flags, BIFURC_PKT_EOP);
	CHECK_EQ(p[0].ptype, 0);
	CHECK_EQ(bifurc_rx_release(q, p, 1), 0);
	bifurc_close(q);
	return 0;
}

static int raw_ptypes(void)
{
	static const uint16_t pt[] = {
		BIFURC_PTYPE_L3_IPV4_EXT | BIFURC_PTYPE_L4_TCP,
		BIFURC_PTYPE_L3_IPV6 | BIFURC_PTYPE_L4_SCTP,
		BIFURC_PTYPE_L3_IPV6_EXT | BIFURC_PTYPE_L4_UDP,
		BIFURC_PTYPE_L3_IPV4,
	};
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p;
	struct sim_meta m;
	size_t i;

	d->info_flags |= BIFURC_INFO_F_IOMMU;	/* no privilege needed */
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	for (i = 0; i < ARRAY_SIZE(pt); i++) {
		memset(&m, 0, sizeof(m));
		m.ptype = pt[i];
		m.flags = i == 0 ? BIFURC_RX_F_CSUM_BAD : 0;
		CHECK_EQ(sim_rx(d, FX_Q, "y", 1, &m), 1);
		CHECK_EQ(bifurc_rx_burst(q, &p, 1), 1);
		CHECK_EQ(p.ptype, pt[i]);
		CHECK_EQ(p.flags & BIFURC_PKT_CSUM_BAD,
			 i == 0 ? BIFURC_PKT_CSUM_BAD : 0);
		CHECK_EQ(bifurc_rx_release(q, &p, 1), 0);
	}
	bifurc_close(q);
	return 0;
}

/* What the 82599 datasheet (7.1.6.2) says a write-back descriptor means. */
static uint16_t ref_flags(uint32_t st, uint16_t info)
{
	uint16_t f = 0;

	if (st & BIFURC_RXD_STAT_EOP)
		f |= BIFURC_PKT_EOP;
	if (info & BIFURC_RXD_PKTINFO_RSSTYPE_MASK)
		f |= BIFURC_PKT_HASH;
	if (st & BIFURC_RXD_STAT_VP)
		f |= BIFURC_PKT_VLAN;
	if (st & BIFURC_RXD_STAT_FLM)
		f |= BIFURC_PKT_FLOW;
	if ((st & BIFURC_RXD_STAT_IPCS) && !(st & BIFURC_RXD_ERR_IPE))
		f |= BIFURC_PKT_L3_CSUM_OK;
	if ((st & BIFURC_RXD_STAT_L4CS) && !(st & BIFURC_RXD_ERR_TCPE))
		f |= BIFURC_PKT_L4_CSUM_OK;
	if (((st & BIFURC_RXD_STAT_IPCS) && (st & BIFURC_RXD_ERR_IPE)) ||
	    ((st & BIFURC_RXD_STAT_L4CS) && (st & BIFURC_RXD_ERR_TCPE)))
		f |= BIFURC_PKT_CSUM_BAD;
	return f;
}

static uint16_t ref_ptype(uint16_t info)
{
	uint16_t t = 0;

	if (info & BIFURC_RXD_PKTTYPE_IPV4_EX)
		t = BIFURC_PKT_L3_IPV4_EXT;
	else if (info & BIFURC_RXD_PKTTYPE_IPV4)
		t = BIFURC_PKT_L3_IPV4;
	else if (info & BIFURC_RXD_PKTTYPE_IPV6_EX)
		t = BIFURC_PKT_L3_IPV6_EXT;
	else if (info & BIFURC_RXD_PKTTYPE_IPV6)
		t = BIFURC_PKT_L3_IPV6;
	if (info & BIFURC_RXD_PKTTYPE_TCP)
		t |= BIFURC_PKT_L4_TCP;
	else if (info & BIFURC_RXD_PKTTYPE_UDP)
		t |= BIFURC_PKT_L4_UDP;
	else if (info & BIFURC_RXD_PKTTYPE_SCTP)
		t |= BIFURC_PKT_L4_SCTP;
	return t;
}

/*
 * Every combination of the status and error bits that make flags, and
 * every combination of packet type bits (tunnels set several), decode as
 * the datasheet says.
 */
static int raw_decode_all(void)
{
	static const uint32_t bits[] = {
		BIFURC_RXD_STAT_FLM, BIFURC_RXD_STAT_VP, BIFURC_RXD_STAT_L4CS,
		BIFURC_RXD_STAT_IPCS, BIFURC_RXD_ERR_TCPE, BIFURC_RXD_ERR_IPE,
	};
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p;
	struct sim_meta m;
	uint32_t st, i, k;
	uint16_t info;

	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	for (i = 0; i < 1U << ARRAY_SIZE(bits); i++) {
		memset(&m, 0, sizeof(m));
		for (k = 0; k < ARRAY_SIZE(bits); k++)
			if (i & (1U << k))
				m.raw_status |= bits[k];
		m.raw_info = BIFURC_RXD_PKTTYPE_IPV4 | (i & 1);
		st = m.raw_status | BIFURC_RXD_STAT_DD | BIFURC_RXD_STAT_EOP;
		CHECK_EQ(sim_rx(d, FX_Q, "s", 1, &m), 1);
		CHECK_EQ(bifurc_rx_burst(q, &p, 1), 1);
		CHECK_EQ(p.flags, ref_flags(st, m.raw_info));
		CHECK_EQ(bifurc_rx_release(q, &p, 1), 0);
	}
	for (i = 0; i < 128; i++) {
		memset(&m, 0, sizeof(m));
		info = (uint16_t)(i << 4);
		m.raw_info = info ? info : BIFURC_RXD_PKTTYPE_IPV4;
		CHECK_EQ(sim_rx(d, FX_Q, "t", 1, &m), 1);
		CHECK_EQ(bifurc_rx_burst(q, &p, 1), 1);
		CHECK_EQ(p.ptype, ref_ptype(m.raw_info));
		CHECK_EQ(bifurc_rx_release(q, &p, 1), 0);
	}
	bifurc_close(q);
	return 0;
}

/* Many rounds through a small ring: slots and buffers recycle. */
static int raw_recycle(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p[64];
	struct bifurc_stats st;
	struct bifurc_queue *q;
	int round, n, got;

	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	for (round = 0; round < 100; round++) {
		CHECK_EQ(sim_rx_many(d, FX_Q, 40, 128), 40);
		got = 0;
		while ((n = bifurc_rx_burst(q, p + got, 64)) > 0)
			got += n;
		CHECK_EQ(n, 0);
		CHECK_EQ(got, 40);
		CHECK_EQ(bifurc_rx_release(q, p, 40), 0);
	}
	CHECK_EQ(bifurc_stats(q, &st), 0);
	CHECK_EQ(st.rx_no_buf, 0);
	CHECK_EQ(st.rx_ring_err, 0);
	CHECK_EQ(st.rx_bad_id, 0);
	bifurc_close(q);
	return 0;
}

static int raw_needs_privilege(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EPERM);
	d->info_flags &= ~BIFURC_INFO_F_RAW_DESC;
	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EOPNOTSUPP);
	return 0;
}

static int raw_comp_size(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->cap_sys_admin = 1;
	o.comp_entries = 128;		/* must equal rx_desc (64) */
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EINVAL);
	o.comp_entries = 64;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	bifurc_close(q);
	return 0;
}

/* The descriptor ring is read-only for the application. */
static int raw_desc_read_only(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct sim_att *a;
	struct bifurc_queue *q;

	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(a->reg[SIM_R_DESC].prot, BIFURC_PROT_READ);
	CHECK_EQ(a->mappings, 5);
	bifurc_close(q);
	return 0;
}

static int raw_reset(void)
{
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct bifurc_pkt p;

	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	sim_reset(d);
	CHECK_EQ(bifurc_rx_burst(q, &p, 1), -ENETRESET);
	CHECK_EQ(bifurc_wait(q, 0), -ENETRESET);
	bifurc_close(q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "RAW_COMP_SIZE", raw_comp_size },
	{ "RAW_DESC_READ_ONLY", raw_desc_read_only },
	{ "RAW_NEEDS_PRIVILEGE", raw_needs_privilege },
	{ "RAW_PTYPES", raw_ptypes },
	{ "RAW_DECODE_ALL", raw_decode_all },
	{ "RAW_RECYCLE", raw_recycle },
	{ "RAW_RESET", raw_reset },
	{ "RAW_RX", raw_rx },
};

int main(void)
{
	return tap_run("Description: raw descriptor mode", cases,
		       ARRAY_SIZE(cases));
}
