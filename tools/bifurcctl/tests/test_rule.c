// SPDX-License-Identifier: GPL-2.0
/*
 * Description: rule text -> struct ethtool_rx_flow_spec (values, masks,
 * action, location), usage errors of the rule syntax, and the way back
 * (format, mask description, mask comparison).
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "tap.h"
#include "bifurcctl.h"

/* Parse a space-separated rule; returns bctl_rule_parse()'s result. */
static int parse(const char *text, struct bctl_rule_spec *r)
{
	char buf[512], *argv[32], *tok, *save = NULL;
	struct bctl_args a = { 0, argv };

	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, " ", &save); tok && a.argc < 32;
	     tok = strtok_r(NULL, " ", &save))
		argv[a.argc++] = tok;
	return bctl_rule_parse(&a, r);
}

static bool zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		if (*c++)
			return false;
	return true;
}

static int t_udp4_dst_port(void)
{
	struct bctl_rule_spec r;
	const struct ethtool_tcpip4_spec *h = &r.fs.h_u.udp_ip4_spec,
					 *m = &r.fs.m_u.udp_ip4_spec;

	CHECK_EQ(parse("udp4 dst-port 53 queue 3", &r), 0);
	CHECK_EQ(r.fs.flow_type, UDP_V4_FLOW);
	CHECK_EQ(h->pdst, htons(53));
	CHECK_EQ(m->pdst, 0xffff);
	CHECK_EQ(m->psrc, 0);
	CHECK_EQ(m->ip4src, 0);
	CHECK_EQ(m->ip4dst, 0);
	CHECK_EQ(m->tos, 0);
	CHECK_EQ(h->ip4src | h->ip4dst | h->psrc, 0);
	CHECK_EQ(r.fs.ring_cookie, 3);
	CHECK_EQ(r.fs.location, RX_CLS_LOC_ANY);
	CHECK(!r.have_loc);
	CHECK(zero(&r.fs.h_ext, sizeof(r.fs.h_ext)));
	CHECK(zero(&r.fs.m_ext, sizeof(r.fs.m_ext)));
	return 0;
}

static int t_tcp4_full(void)
{
	struct bctl_rule_spec r;
	const struct ethtool_tcpip4_spec *h = &r.fs.h_u.tcp_ip4_spec,
					 *m = &r.fs.m_u.tcp_ip4_spec;

	CHECK_EQ(parse("tcp4 loc 9 src-ip 192.0.2.1 dst-ip 198.51.100.7 src-port 1000 dst-port 80 drop", &r), 0);
	CHECK_EQ(r.fs.flow_type, TCP_V4_FLOW);
	CHECK_EQ(h->ip4src, inet_addr("192.0.2.1"));
	CHECK_EQ(h->ip4dst, inet_addr("198.51.100.7"));
	CHECK_EQ(m->ip4src, 0xffffffffU);
	CHECK_EQ(m->ip4dst, 0xffffffffU);
	CHECK_EQ(h->psrc, htons(1000));
	CHECK_EQ(h->pdst, htons(80));
	CHECK_EQ(m->psrc, 0xffff);
	CHECK_EQ(r.fs.ring_cookie, RX_CLS_FLOW_DISC);
	CHECK_EQ(r.fs.location, 9);
	CHECK(r.have_loc);
	return 0;
}

static int t_ip4_prefix(void)
{
	struct bctl_rule_spec r;

	CHECK_EQ(parse("udp4 src-ip 10.1.0.0/16 queue 1", &r), 0);
	CHECK_EQ(r.fs.h_u.udp_ip4_spec.ip4src, inet_addr("10.1.0.0"));
	CHECK_EQ(r.fs.m_u.udp_ip4_spec.ip4src, htonl(0xffff0000U));
	CHECK_EQ(parse("udp4 src-ip 10.1.2.3/32 queue 1", &r), 0);
	CHECK_EQ(r.fs.m_u.udp_ip4_spec.ip4src, 0xffffffffU);
	CHECK_EQ(parse("udp4 dst-ip 128.0.0.0/1 queue 1", &r), 0);
	CHECK_EQ(r.fs.m_u.udp_ip4_spec.ip4dst, htonl(0x80000000U));
	return 0;
}

static int t_ip6(void)
{
	struct bctl_rule_spec r;
	struct in6_addr a;
	const struct ethtool_tcpip6_spec *h = &r.fs.h_u.udp_ip6_spec,
					 *m = &r.fs.m_u.udp_ip6_spec;

	CHECK_EQ(parse("udp6 dst-ip 2001:db8::1 dst-port 9 queue 1 loc 7", &r), 0);
	CHECK_EQ(r.fs.flow_type, UDP_V6_FLOW);
	inet_pton(AF_INET6, "2001:db8::1", &a);
	CHECK(!memcmp(h->ip6dst, &a, 16));
	CHECK_EQ(m->ip6dst[0] & m->ip6dst[1] & m->ip6dst[2] & m->ip6dst[3],
		 0xffffffffU);
	CHECK(zero(m->ip6src, 16));
	CHECK_EQ(h->pdst, htons(9));
	CHECK_EQ(m->pdst, 0xffff);
	CHECK_EQ(r.fs.location, 7);

	CHECK_EQ(parse("tcp6 src-ip 2001:db8:ab00::/40 queue 2", &r), 0);
	CHECK_EQ(r.fs.flow_type, TCP_V6_FLOW);
	CHECK_EQ(m->ip6src[0], 0xffffffffU);
	CHECK_EQ(m->ip6src[1], htonl(0xff000000U));
	CHECK_EQ(m->ip6src[2], 0);
	CHECK_EQ(m->ip6src[3], 0);
	return 0;
}

static int t_usage_errors(void)
{
	static const char *const bad[] = {
		"",				/* no flow type */
		"udp5 dst-port 53 queue 1",	/* typo */
		"udp4 dst-port 53",		/* no action */
		"udp4 dst-port 53 queue 1 drop",	/* two actions */
		"udp4 dst-port 53 dst-port 54 queue 1",
		"udp4 queue 1",			/* matches everything */
		"udp4 dst-prot 53 queue 1",	/* typo */
		"udp4 dst-port 65536 queue 1",
		"udp4 dst-port -1 queue 1",
		"udp4 dst-port 53 queue",
		"udp4 dst-port 53 queue x",
		"udp4 src-ip 10.0.0.5/24 queue 1",	/* host bits */
		"udp4 src-ip 10.0.0.0/0 queue 1",
		"udp4 src-ip 10.0.0.0/33 queue 1",
		"udp4 src-ip 10.0.0.256 queue 1",
		"udp6 src-ip 10.0.0.1 queue 1",	/* v4 in a v6 rule */
		"udp4 src-ip 2001:db8::1 queue 1",
		"udp4 dst-port 53 queue 1 loc 1 loc 2",
		"udp4 dst-port 53 queue 1 loc 4294967295",
		"udp4 dst-port",
	};
	struct bctl_rule_spec r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse(bad[i], &r) != BCTL_USAGE) {
			printf("# accepted: \"%s\"\n", bad[i]);
			return -1;
		}
	}
	return 0;
}

static int t_format_roundtrip(void)
{
	static const char *const rules[] = {
		"udp4 dst-port 53 queue 3",
		"tcp4 src-ip 192.0.2.1 dst-ip 198.51.100.0/24 src-port 1 dst-port 80 drop",
		"udp6 dst-ip 2001:db8::1 dst-port 9 queue 1",
		"tcp6 src-ip 2001:db8:ab00::/40 queue 2",
	};
	struct bctl_rule_spec r;
	char text[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		CHECK_EQ(parse(rules[i], &r), 0);
		CHECK_EQ(bctl_rule_format(&r.fs, text, sizeof(text)), 0);
		CHECK_STR(text, rules[i]);
	}
	return 0;
}

static int t_format_foreign(void)
{
	struct ethtool_rx_flow_spec fs;
	char text[256];

	/* a rule ethtool -N made with a non-prefix mask and a partial port */
	memset(&fs, 0, sizeof(fs));
	fs.flow_type = UDP_V4_FLOW;
	fs.h_u.udp_ip4_spec.ip4src = inet_addr("10.0.0.1");
	fs.m_u.udp_ip4_spec.ip4src = inet_addr("255.0.255.255");
	fs.h_u.udp_ip4_spec.pdst = htons(0x1200);
	fs.m_u.udp_ip4_spec.pdst = htons(0xff00);
	fs.ring_cookie = 5;
	CHECK_EQ(bctl_rule_format(&fs, text, sizeof(text)), 0);
	CHECK_STR(text, "udp4 src-ip 10.0.0.1 m 255.0.255.255 dst-port 4608 m 0xff00 queue 5");
	CHECK_EQ(bctl_rule_mask_desc(&fs, text, sizeof(text)), 0);
	CHECK_STR(text, "src-ip/255.0.255.255 dst-port/partial");

	memset(&fs, 0, sizeof(fs));
	fs.flow_type = IPV4_USER_FLOW;
	fs.m_u.usr_ip4_spec.ip4dst = 0xffffffffU;
	fs.ring_cookie = RX_CLS_FLOW_DISC;
	CHECK_EQ(bctl_rule_format(&fs, text, sizeof(text)), 0);
	CHECK_STR(text, "ip4 dst-ip 0.0.0.0 drop");
	CHECK_EQ(bctl_rule_mask_desc(&fs, text, sizeof(text)), 0);
	CHECK_STR(text, "dst-ip (any L4 protocol)");
	return 0;
}

static int t_mask_desc(void)
{
	struct bctl_rule_spec r;
	char d[128];

	CHECK_EQ(parse("udp4 src-ip 10.0.0.0/24 dst-port 53 queue 1", &r), 0);
	CHECK_EQ(bctl_rule_mask_desc(&r.fs, d, sizeof(d)), 0);
	CHECK_STR(d, "src-ip/24 dst-port");
	CHECK_EQ(parse("tcp6 dst-ip ::1 src-port 7 queue 1", &r), 0);
	CHECK_EQ(bctl_rule_mask_desc(&r.fs, d, sizeof(d)), 0);
	CHECK_STR(d, "dst-ip src-port");
	return 0;
}

static int t_same_mask(void)
{
	struct bctl_rule_spec a, b;

	CHECK_EQ(parse("udp4 dst-port 53 queue 1", &a), 0);
	CHECK_EQ(parse("tcp4 dst-port 80 drop", &b), 0);
	CHECK(bctl_rule_same_mask(&a.fs, &b.fs));	/* values differ, mask same */
	CHECK_EQ(parse("udp4 src-ip 10.0.0.1 queue 1", &b), 0);
	CHECK(!bctl_rule_same_mask(&a.fs, &b.fs));
	CHECK_EQ(parse("udp4 dst-port 53 src-port 1 queue 1", &b), 0);
	CHECK(!bctl_rule_same_mask(&a.fs, &b.fs));
	CHECK_EQ(parse("udp6 dst-port 53 queue 1", &b), 0);
	CHECK(!bctl_rule_same_mask(&a.fs, &b.fs));	/* another family */
	CHECK_EQ(parse("udp4 src-ip 10.0.0.0/24 queue 1", &a), 0);
	CHECK_EQ(parse("udp4 src-ip 10.0.1.0/24 queue 2", &b), 0);
	CHECK(bctl_rule_same_mask(&a.fs, &b.fs));
	CHECK_EQ(parse("udp4 src-ip 10.0.1.0/25 queue 2", &b), 0);
	CHECK(!bctl_rule_same_mask(&a.fs, &b.fs));
	return 0;
}

static const struct tap_case cases[] = {
	{ "FORMAT_FOREIGN", t_format_foreign },
	{ "FORMAT_ROUNDTRIP", t_format_roundtrip },
	{ "IP4_PREFIX", t_ip4_prefix },
	{ "IP6", t_ip6 },
	{ "MASK_DESC", t_mask_desc },
	{ "SAME_MASK", t_same_mask },
	{ "TCP4_FULL", t_tcp4_full },
	{ "UDP4_DST_PORT", t_udp4_dst_port },
	{ "USAGE_ERRORS", t_usage_errors },
};

int main(void)
{
	return tap_run("Description: rule spec <-> ethtool_rx_flow_spec",
		       cases, ARRAY_SIZE(cases));
}
