// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_flow_add, bifurc_flow_del, bifurc_flow_mask: owned
 * rules steering to the queue, the zero-mask convenience rule, the single
 * flow mask per port (EBUSY and how to read it), the port rule for a
 * caller without CAP_NET_ADMIN, struct bifurc_flow's size (0.3) and the
 * 0.1 versions for programs built without it, and every error path.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <sys/socket.h>

#include "fixture.h"
#include "internal.h"		/* the 0.1 versions of flow_add, flow_mask */

static struct bifurc_flow_match pkt4(uint8_t proto, const char *src,
				     const char *dst, uint16_t sp, uint16_t dp)
{
	struct bifurc_flow_match m;

	memset(&m, 0, sizeof(m));
	m.proto = proto;
	m.family = BIFURC_FLOW_IPV4;
	inet_pton(AF_INET, src, &m.src_addr[0]);
	inet_pton(AF_INET, dst, &m.dst_addr[0]);
	m.src_port = htons(sp);
	m.dst_port = htons(dp);
	return m;
}

static int flow_udp_dport(void)
{
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 53);
	struct bifurc_flow_match pk;
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	int id;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	id = bifurc_flow_add(q, &f);
	CHECK(id >= 0);
	CHECK(d->rules[id].used && d->rules[id].owner != NULL);
	CHECK_EQ(d->rules[id].mask.dst_port, 0xffff);
	CHECK_EQ(d->rules[id].mask.src_port, 0);
	CHECK_EQ(d->rules[id].mask.src_addr[0], 0);
	pk = pkt4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 4000, 53);
	CHECK_EQ(sim_steer(d, &pk), FX_Q);
	pk = pkt4(IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 4000, 54);
	CHECK_EQ(sim_steer(d, &pk), -1);
	pk = pkt4(IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 4000, 53);
	CHECK_EQ(sim_steer(d, &pk), -1);
	CHECK_EQ(bifurc_flow_del(q, id), 0);
	CHECK(!d->rules[id].used);
	CHECK_EQ(d->mask_set, 0);
	bifurc_close(q);
	return 0;
}

static int flow_explicit_mask(void)
{
	struct bifurc_flow f;
	struct bifurc_flow_match pk;
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	int id;

	f = fx_flow(0, 0);
	f.proto = IPPROTO_TCP;
	f.family = AF_INET;
	inet_pton(AF_INET, "192.168.1.0", &f.src.v4);
	inet_pton(AF_INET, "255.255.255.0", &f.src_mask.v4);
	f.dst_port = htons(80);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	id = bifurc_flow_add(q, &f);
	CHECK(id >= 0);
	pk = pkt4(IPPROTO_TCP, "192.168.1.77", "1.2.3.4", 999, 80);
	CHECK_EQ(sim_steer(d, &pk), FX_Q);
	pk = pkt4(IPPROTO_TCP, "192.168.2.77", "1.2.3.4", 999, 80);
	CHECK_EQ(sim_steer(d, &pk), -1);
	bifurc_close(q);
	/* Closing the queue removed its rule. */
	CHECK(!d->rules[id].used);
	return 0;
}

static int flow_bad_rules(void)
{
	struct bifurc_flow f;
	struct bifurc_queue *q;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_flow_add(NULL, &f), -EINVAL);
	CHECK_EQ(bifurc_flow_add(q, NULL), -EINVAL);
	/* Value bits outside an explicit mask. */
	f = fx_flow(0, 0);
	f.proto = IPPROTO_UDP;
	f.dst_port = htons(0x1234);
	f.dst_port_mask = htons(0xff00);
	CHECK_EQ(bifurc_flow_add(q, &f), -EINVAL);
	/* Empty mask: would steer every UDP flow. */
	f = fx_flow(0, 0);
	f.proto = IPPROTO_UDP;
	CHECK_EQ(bifurc_flow_add(q, &f), -EINVAL);
	/* Unknown family, reserved field, protocol. */
	f.dst_port = htons(53);
	f.family = 99;
	CHECK_EQ(bifurc_flow_add(q, &f), -EINVAL);
	f.family = AF_INET;
	f.reserved = 1;
	CHECK_EQ(bifurc_flow_add(q, &f), -EINVAL);
	f.reserved = 0;
	f.proto = IPPROTO_ICMP;
	CHECK_EQ(bifurc_flow_add(q, &f), -EINVAL);
	f.proto = IPPROTO_SCTP;
	CHECK_EQ(bifurc_flow_add(q, &f), -EOPNOTSUPP);
	bifurc_close(q);
	return 0;
}

static int flow_ipv6(void)
{
	struct bifurc_flow f;
	struct sim_dev *d = fx_dev();
	struct bifurc_flow_mask_info mi;
	struct bifurc_queue *q;
	int id;

	f = fx_flow(0, 0);
	f.proto = IPPROTO_UDP;
	f.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &f.dst.v6);
	f.dst_port = htons(53);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	/* 82599 v1: IPv6 perfect filters are not offered. */
	CHECK_EQ(bifurc_flow_add(q, &f), -EOPNOTSUPP);
	d->info_flags |= BIFURC_INFO_F_FLOW_IPV6;
	id = bifurc_flow_add(q, &f);
	CHECK(id >= 0);
	CHECK_EQ(d->rules[id].mask.dst_addr[3], 0xffffffff);
	mi.mask.size = sizeof(mi.mask);
	CHECK_EQ(bifurc_flow_mask(q, &mi), 0);
	CHECK_EQ(mi.mask.family, AF_INET6);
	bifurc_close(q);
	return 0;
}

/* The 82599 has one mask per port: a second shape of rule is EBUSY. */
static int flow_mask_conflict(void)
{
	struct bifurc_flow udp = fx_flow(IPPROTO_UDP, 53);
	struct bifurc_flow udp2 = fx_flow(IPPROTO_UDP, 123);
	struct bifurc_flow tcp = fx_flow(IPPROTO_TCP, 0);
	struct bifurc_flow_match v, m;
	struct bifurc_flow_mask_info mi;
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q, *q2;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_open(&q2, FX_IF, 2, NULL), 0);
	mi.mask.size = sizeof(mi.mask);
	CHECK_EQ(bifurc_flow_mask(q, &mi), 0);
	CHECK_EQ(mi.flags, 0);
	CHECK_EQ(mi.rules, 0);
	/* An admin rule (ethtool -N) sets the mask: dst-port only. */
	v = pkt4(IPPROTO_UDP, "0.0.0.0", "0.0.0.0", 0, 5000);
	memset(&m, 0, sizeof(m));
	m.dst_port = 0xffff;
	CHECK(sim_admin_rule(d, &v, &m, 1) >= 0);
	CHECK(bifurc_flow_add(q, &udp) >= 0);
	CHECK(bifurc_flow_add(q2, &udp2) >= 0);
	inet_pton(AF_INET, "10.1.1.1", &tcp.src.v4);
	CHECK_EQ(bifurc_flow_add(q, &tcp), -EBUSY);
	CHECK_EQ(bifurc_flow_mask(q, &mi), 0);
	CHECK_EQ(mi.flags, BIFURC_FLOW_MASK_SET);
	CHECK_EQ(mi.rules, 3);
	CHECK_EQ(mi.owned, 1);
	CHECK_EQ(mi.mask.family, AF_INET);
	CHECK_EQ(mi.mask.dst_port_mask, 0xffff);
	CHECK_EQ(mi.mask.src_port_mask, 0);
	CHECK_EQ(mi.mask.src_mask.v4.s_addr, 0);
	bifurc_close(q2);
	bifurc_close(q);
	return 0;
}

static int flow_duplicate(void)
{
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 53);
	struct bifurc_queue *q, *q2;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_open(&q2, FX_IF, 2, NULL), 0);
	CHECK(bifurc_flow_add(q, &f) >= 0);
	CHECK_EQ(bifurc_flow_add(q, &f), -EEXIST);
	CHECK_EQ(bifurc_flow_add(q2, &f), -EEXIST);
	bifurc_close(q2);
	bifurc_close(q);
	return 0;
}

static int flow_limits(void)
{
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q, *q2;
	int i;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_open(&q2, FX_IF, 2, NULL), 0);
	for (i = 0; i < 8; i++) {
		f.dst_port = htons((uint16_t)(1000 + i));
		CHECK(bifurc_flow_add(q, &f) >= 0);
	}
	f.dst_port = htons(2000);
	CHECK_EQ(bifurc_flow_add(q, &f), -ENOSPC);	/* per-file limit */
	d->fdir_capacity = 10;
	CHECK(bifurc_flow_add(q2, &f) >= 0);
	f.dst_port = htons(2001);
	CHECK(bifurc_flow_add(q2, &f) >= 0);
	f.dst_port = htons(2002);
	CHECK_EQ(bifurc_flow_add(q2, &f), -ENOSPC);	/* table full */
	bifurc_close(q2);
	bifurc_close(q);
	return 0;
}

static int flow_del_errors(void)
{
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 53);
	struct bifurc_queue *q, *q2;
	int id;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_open(&q2, FX_IF, 2, NULL), 0);
	id = bifurc_flow_add(q, &f);
	CHECK(id >= 0);
	CHECK_EQ(bifurc_flow_del(NULL, id), -EINVAL);
	CHECK_EQ(bifurc_flow_del(q, -1), -EINVAL);
	CHECK_EQ(bifurc_flow_del(q, 40), -ENOENT);	/* no such rule */
	CHECK_EQ(bifurc_flow_del(q, 1000), -ENOENT);
	CHECK_EQ(bifurc_flow_del(q2, id), -ENOENT);	/* not the owner */
	CHECK_EQ(bifurc_flow_del(q, id), 0);
	CHECK_EQ(bifurc_flow_del(q, id), -ENOENT);	/* already gone */
	bifurc_close(q2);
	bifurc_close(q);
	return 0;
}

static int flow_ntuple_off(void)
{
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 53);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->info_flags &= ~BIFURC_INFO_F_NTUPLE;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_flow_add(q, &f), -EOPNOTSUPP);
	bifurc_close(q);
	return 0;
}

static int flow_after_reset(void)
{
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 53);
	struct bifurc_flow_mask_info mi;
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	int id;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	id = bifurc_flow_add(q, &f);
	CHECK(id >= 0);
	sim_reset(d);
	CHECK(!d->rules[id].used);
	CHECK_EQ(bifurc_flow_add(q, &f), -ENETRESET);
	CHECK_EQ(bifurc_flow_del(q, id), -ENETRESET);
	mi.mask.size = sizeof(mi.mask);
	CHECK_EQ(bifurc_flow_mask(q, &mi), -ENETRESET);
	bifurc_close(q);
	return 0;
}

static int flow_mask_null(void)
{
	struct bifurc_flow_mask_info mi;
	struct bifurc_queue *q;
	struct sim_dev *d = fx_dev();

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	mi.mask.size = sizeof(mi.mask);
	CHECK_EQ(bifurc_flow_mask(NULL, &mi), -EINVAL);
	CHECK_EQ(bifurc_flow_mask(q, NULL), -EINVAL);
	sim_remove(d);
	CHECK_EQ(bifurc_flow_mask(q, &mi), -ENODEV);
	bifurc_close(q);
	return 0;
}

/*
 * Without CAP_NET_ADMIN a rule must compare one whole destination port
 * the caller could bind (1024 and up here): the library's derived mask
 * qualifies, a partial mask, a low port or no destination port do not.
 */
static int flow_unprivileged(void)
{
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 5353);
	struct bifurc_flow g;
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	int id;

	d->no_net_admin = 1;
	d->granted[FX_Q / 64] |= 1ULL << (FX_Q % 64);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	id = bifurc_flow_add(q, &f);
	CHECK(id >= 0);
	CHECK_EQ(d->rules[id].mask.dst_port, 0xffff);
	CHECK_EQ(bifurc_flow_add(q, &f), -EEXIST);

	g = f;
	g.dst_port = htons(53);
	CHECK_EQ(bifurc_flow_add(q, &g), -EACCES);
	g.dst_port = htons(0x1400);
	g.dst_port_mask = htons(0xff00);
	CHECK_EQ(bifurc_flow_add(q, &g), -EACCES);
	g = fx_flow(0, 0);
	g.proto = IPPROTO_UDP;
	g.src_port = htons(5353);
	CHECK_EQ(bifurc_flow_add(q, &g), -EACCES);
	CHECK(strstr(bifurc_strerror(-EACCES), "rules without CAP_NET_ADMIN "
		     "must name one destination port inside the port range"));
	CHECK_EQ(bifurc_flow_del(q, id), 0);
	bifurc_close(q);
	return 0;
}

/*
 * struct bifurc_flow carries its size (0.3), by the rules of struct
 * bifurc_opts: none is -EINVAL, a shorter one reads zero past its end, a
 * longer one must have a zero tail (-E2BIG), reserved fields are zero.
 */
static int flow_size(void)
{
	struct {
		struct bifurc_flow f;
		uint64_t next;		/* a field of a newer library */
	} big;
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 53);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	int id;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	f.size = 0;
	CHECK_EQ(bifurc_flow_add(q, &f), -EINVAL);
	f.size = offsetof(struct bifurc_flow, proto);
	CHECK_EQ(bifurc_flow_add(q, &f), -EINVAL);
	f.size = sizeof(f);
	f.reserved1 = 1;
	CHECK_EQ(bifurc_flow_add(q, &f), -EINVAL);
	f.reserved1 = 0;

	/* Shorter: what lies past size is not read, whatever it holds. */
	f.size = offsetof(struct bifurc_flow, src_port_mask);
	f.src_port_mask = htons(0xffff);	/* would be EINVAL: src 0 */
	inet_pton(AF_INET, "255.0.0.0", &f.dst_mask.v4);
	id = bifurc_flow_add(q, &f);
	CHECK(id >= 0);
	CHECK_EQ(d->rules[id].mask.dst_port, 0xffff);
	CHECK_EQ(d->rules[id].mask.src_port, 0);
	CHECK_EQ(d->rules[id].mask.dst_addr[0], 0);
	CHECK_EQ(bifurc_flow_del(q, id), 0);

	/* Longer: a zero tail is fine, anything else is not understood. */
	memset(&big, 0, sizeof(big));
	big.f = fx_flow(IPPROTO_UDP, 53);
	big.f.size = sizeof(big);
	id = bifurc_flow_add(q, &big.f);
	CHECK(id >= 0);
	CHECK_EQ(bifurc_flow_del(q, id), 0);
	big.next = 1;
	CHECK_EQ(bifurc_flow_add(q, &big.f), -E2BIG);
	bifurc_close(q);
	return 0;
}

/*
 * bifurc_flow_mask writes no more of info->mask than its size says, and
 * leaves there the size it wrote.
 */
static int flow_mask_size(void)
{
	struct {
		struct bifurc_flow_mask_info mi;
		uint8_t canary[8];
	} b;
	struct bifurc_flow f = fx_flow(IPPROTO_UDP, 53);
	struct bifurc_queue *q;
	size_t end;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK(bifurc_flow_add(q, &f) >= 0);
	memset(&b, 0xa5, sizeof(b));
	b.mi.mask.size = 0;
	CHECK_EQ(bifurc_flow_mask(q, &b.mi), -EINVAL);
	CHECK_EQ(b.mi.flags, 0xa5a5a5a5);	/* nothing written */

	/* A caller that knows mask only up to dst_port_mask. */
	end = offsetof(struct bifurc_flow, src);
	b.mi.mask.size = end;
	CHECK_EQ(bifurc_flow_mask(q, &b.mi), 0);
	CHECK_EQ(b.mi.flags, BIFURC_FLOW_MASK_SET);
	CHECK_EQ(b.mi.owned, 1);
	CHECK_EQ(b.mi.mask.size, end);
	CHECK_EQ(b.mi.mask.dst_port_mask, 0xffff);
	CHECK_EQ(b.mi.mask.src.v4.s_addr, 0xa5a5a5a5);	/* past its size */

	/* A newer caller: its size is bigger; ours comes back. */
	b.mi.mask.size = sizeof(b.mi.mask) + sizeof(b.canary);
	CHECK_EQ(bifurc_flow_mask(q, &b.mi), 0);
	CHECK_EQ(b.mi.mask.size, sizeof(b.mi.mask));
	CHECK_EQ(b.mi.mask.src.v4.s_addr, 0);
	CHECK_EQ(b.mi.mask.family, AF_INET);
	CHECK_EQ(b.canary[0], 0xa5);
	CHECK_EQ(b.canary[7], 0xa5);
	bifurc_close(q);
	return 0;
}

/*
 * Programs built against 0.1 and 0.2 pass the flow without size; the
 * shared library binds them to these versions (bifurc_flow_add@LIBBIFURC_0.1,
 * tests/check-symbols.sh), which must behave as 0.2 did.
 */
static int flow_v0_1(void)
{
	struct {
		struct bifurc_flow_mask_info_v0_1 mi;
		uint8_t canary[8];
	} b;
	struct bifurc_flow_v0_1 old;
	struct bifurc_flow_match pk;
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	int id;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	memset(&old, 0, sizeof(old));
	old.proto = IPPROTO_TCP;
	inet_pton(AF_INET, "192.168.1.0", &old.src.v4);
	inet_pton(AF_INET, "255.255.255.0", &old.src_mask.v4);
	old.dst_port = htons(80);
	id = bifurc_flow_add_v0_1(q, &old);
	CHECK(id >= 0);
	pk = pkt4(IPPROTO_TCP, "192.168.1.77", "1.2.3.4", 999, 80);
	CHECK_EQ(sim_steer(d, &pk), FX_Q);
	pk = pkt4(IPPROTO_TCP, "192.168.2.77", "1.2.3.4", 999, 80);
	CHECK_EQ(sim_steer(d, &pk), -1);
	old.reserved = 1;
	CHECK_EQ(bifurc_flow_add_v0_1(q, &old), -EINVAL);
	CHECK_EQ(bifurc_flow_add_v0_1(q, NULL), -EINVAL);

	memset(&b, 0xa5, sizeof(b));
	CHECK_EQ(bifurc_flow_mask_v0_1(q, &b.mi), 0);
	CHECK_EQ(b.mi.flags, BIFURC_FLOW_MASK_SET);
	CHECK_EQ(b.mi.rules, 1);
	CHECK_EQ(b.mi.owned, 1);
	CHECK_EQ(b.mi.reserved, 0);
	CHECK_EQ(b.mi.mask.family, AF_INET);
	CHECK_EQ(b.mi.mask.proto, 0);
	CHECK_EQ(b.mi.mask.dst_port_mask, 0xffff);
	CHECK_EQ(b.mi.mask.src_mask.v4.s_addr, htonl(0xffffff00));
	CHECK_EQ(b.canary[0], 0xa5);	/* the old struct is 16 + 76 bytes */
	CHECK_EQ(b.canary[7], 0xa5);
	CHECK_EQ(bifurc_flow_mask_v0_1(q, NULL), -EINVAL);
	bifurc_close(q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "FLOW_AFTER_RESET", flow_after_reset },
	{ "FLOW_BAD_RULES", flow_bad_rules },
	{ "FLOW_DEL_ERRORS", flow_del_errors },
	{ "FLOW_DUPLICATE", flow_duplicate },
	{ "FLOW_EXPLICIT_MASK", flow_explicit_mask },
	{ "FLOW_IPV6", flow_ipv6 },
	{ "FLOW_LIMITS", flow_limits },
	{ "FLOW_MASK_CONFLICT", flow_mask_conflict },
	{ "FLOW_MASK_NULL", flow_mask_null },
	{ "FLOW_MASK_SIZE", flow_mask_size },
	{ "FLOW_NTUPLE_OFF", flow_ntuple_off },
	{ "FLOW_SIZE", flow_size },
	{ "FLOW_UDP_DPORT", flow_udp_dport },
	{ "FLOW_UNPRIVILEGED", flow_unprivileged },
	{ "FLOW_V0_1", flow_v0_1 },
};

int main(void)
{
	return tap_run("Description: bifurc_flow_add/del/mask", cases,
		       ARRAY_SIZE(cases));
}
