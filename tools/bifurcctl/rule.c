// SPDX-License-Identifier: GPL-2.0
/*
 * Flow rules: "udp4 dst-ip 10.0.0.2 dst-port 53 queue 3" <-> struct
 * ethtool_rx_flow_spec, exactly as "ethtool -N IF flow-type udp4 dst-ip
 * 10.0.0.2 dst-port 53 action 3" builds it.
 *
 * Masks follow the kernel ABI (include/uapi/linux/ethtool.h): a 1 bit in
 * m_u means "compare this bit".  A field the user names is compared whole
 * (0xffffffff, 0xffff), or by prefix for "A/LEN"; a field left out has a
 * zero mask.  The 82599 keeps one such mask per port, so the mask is the
 * thing to show users when a rule is refused.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bifurcctl.h"

struct flow_name {
	uint32_t type;
	const char *name;
};

static const struct flow_name flow_names[] = {
	{ TCP_V4_FLOW, "tcp4" }, { UDP_V4_FLOW, "udp4" },
	{ SCTP_V4_FLOW, "sctp4" }, { AH_V4_FLOW, "ah4" },
	{ ESP_V4_FLOW, "esp4" }, { IPV4_USER_FLOW, "ip4" },
	{ TCP_V6_FLOW, "tcp6" }, { UDP_V6_FLOW, "udp6" },
	{ SCTP_V6_FLOW, "sctp6" }, { AH_V6_FLOW, "ah6" },
	{ ESP_V6_FLOW, "esp6" }, { IPV6_USER_FLOW, "ip6" },
	{ ETHER_FLOW, "ether" },
};

static const char *const add_flows[] = { "udp4", "tcp4", "udp6", "tcp6", NULL };
static const char *const add_words[] = {
	"src-ip", "dst-ip", "src-port", "dst-port", "queue", "drop", "loc", NULL
};

#define FLOW_BASE(t) ((t) & ~(FLOW_EXT | FLOW_MAC_EXT | FLOW_RSS))

const char *bctl_flow_name(uint32_t flow_type)
{
	size_t i;

	for (i = 0; i < sizeof(flow_names) / sizeof(flow_names[0]); i++)
		if (flow_names[i].type == FLOW_BASE(flow_type))
			return flow_names[i].name;
	return "other";
}

static bool is_v6(uint32_t flow_type)
{
	switch (FLOW_BASE(flow_type)) {
	case TCP_V6_FLOW: case UDP_V6_FLOW: case SCTP_V6_FLOW:
		return true;
	}
	return false;
}

static bool is_l4v4(uint32_t flow_type)
{
	switch (FLOW_BASE(flow_type)) {
	case TCP_V4_FLOW: case UDP_V4_FLOW: case SCTP_V4_FLOW:
		return true;
	}
	return false;
}

/* Mask of @len leading one bits over @words 32-bit words (network order). */
static void prefix_mask(__be32 *m, unsigned int words, unsigned int len)
{
	unsigned int i, bits;

	for (i = 0; i < words; i++) {
		bits = len > 32 ? 32 : len;
		len -= bits;
		m[i] = htonl(bits ? 0xffffffffU << (32 - bits) : 0);
	}
}

/* Prefix length of a mask, or -1 if the ones are not contiguous. */
static int mask_prefix(const __be32 *m, unsigned int words)
{
	unsigned int i, len = 0;
	bool ended = false;
	uint32_t w;

	for (i = 0; i < words; i++) {
		w = ntohl(m[i]);
		if (ended && w)
			return -1;
		if (w == 0xffffffffU) {
			len += 32;
			continue;
		}
		/* w must be 1...10...0 */
		if (w & (~w >> 1))
			return -1;
		len += __builtin_popcount(w);
		ended = true;
	}
	return len;
}

static int parse_addr(const char *word, const char *s, bool v6, __be32 *val,
		      __be32 *mask)
{
	unsigned int words = v6 ? 4 : 1, maxlen = v6 ? 128 : 32, i;
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	uint32_t len = maxlen;
	__be32 a[4] = { 0 };

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		if (bctl_parse_u32(slash, "prefix length", maxlen, &len))
			return BCTL_USAGE;
		if (!len)
			return bctl_usage_err("%s %s matches every address; leave %s out",
					      word, s, word);
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, a) != 1)
		goto bad;
	prefix_mask(mask, words, len);
	for (i = 0; i < words; i++) {
		if (a[i] & ~mask[i])
			return bctl_usage_err("%s %s has bits set beyond the /%u prefix",
					      word, s, len);
		val[i] = a[i];
	}
	return 0;
bad:
	return bctl_usage_err("%s \"%s\" is not an IPv%d address%s", word, s,
			      v6 ? 6 : 4, v6 ? "" : " (udp6/tcp6 take IPv6)");
}

/*
 * Parse "FLOW [MATCH]... {queue N|drop} [loc L]" into @r.  Returns 0 or
 * BCTL_USAGE (message printed).  location is RX_CLS_LOC_ANY without loc.
 */
int bctl_rule_parse(struct bctl_args *a, struct bctl_rule_spec *r)
{
	struct ethtool_rx_flow_spec *fs = &r->fs;
	bool have_action = false, v6, seen[4] = { false };
	const char *w, *v;
	uint32_t n;
	int err, i;

	memset(r, 0, sizeof(*r));
	fs->location = RX_CLS_LOC_ANY;
	if (bctl_need(a, "flow type (udp4, tcp4, udp6 or tcp6)", &w))
		return BCTL_USAGE;
	/* ethtool -N's spelling: "flow-type udp4 ... action N" */
	if (!strcmp(w, "flow-type") &&
	    bctl_need(a, "flow type (udp4, tcp4, udp6 or tcp6)", &w))
		return BCTL_USAGE;
	if (!strcmp(w, "udp4"))
		fs->flow_type = UDP_V4_FLOW;
	else if (!strcmp(w, "tcp4"))
		fs->flow_type = TCP_V4_FLOW;
	else if (!strcmp(w, "udp6"))
		fs->flow_type = UDP_V6_FLOW;
	else if (!strcmp(w, "tcp6"))
		fs->flow_type = TCP_V6_FLOW;
	else
		return bctl_bad_word(w, "flow type", add_flows);
	v6 = is_v6(fs->flow_type);

	while ((w = bctl_next(a))) {
		for (i = 0; i < 4; i++)
			if (!strcmp(w, add_words[i]))
				break;
		if (i < 4) {
			if (seen[i])
				return bctl_usage_err("\"%s\" given twice", w);
			seen[i] = true;
			if (bctl_need(a, i < 2 ? "address" : "port", &v))
				return BCTL_USAGE;
		}
		switch (i) {
		case 0:
		case 1:
			if (v6)
				err = parse_addr(w, v, true,
					i ? fs->h_u.tcp_ip6_spec.ip6dst :
					    fs->h_u.tcp_ip6_spec.ip6src,
					i ? fs->m_u.tcp_ip6_spec.ip6dst :
					    fs->m_u.tcp_ip6_spec.ip6src);
			else
				err = parse_addr(w, v, false,
					i ? &fs->h_u.tcp_ip4_spec.ip4dst :
					    &fs->h_u.tcp_ip4_spec.ip4src,
					i ? &fs->m_u.tcp_ip4_spec.ip4dst :
					    &fs->m_u.tcp_ip4_spec.ip4src);
			if (err)
				return err;
			continue;
		case 2:
		case 3:
			if (bctl_parse_u32(v, w, 65535, &n))
				return BCTL_USAGE;
			/* psrc/pdst sit at the same offsets in ip4 and ip6 */
			if (v6) {
				*(i == 2 ? &fs->h_u.tcp_ip6_spec.psrc :
				  &fs->h_u.tcp_ip6_spec.pdst) = htons(n);
				*(i == 2 ? &fs->m_u.tcp_ip6_spec.psrc :
				  &fs->m_u.tcp_ip6_spec.pdst) = 0xffff;
			} else {
				*(i == 2 ? &fs->h_u.tcp_ip4_spec.psrc :
				  &fs->h_u.tcp_ip4_spec.pdst) = htons(n);
				*(i == 2 ? &fs->m_u.tcp_ip4_spec.psrc :
				  &fs->m_u.tcp_ip4_spec.pdst) = 0xffff;
			}
			continue;
		}
		if (!strcmp(w, "queue") || !strcmp(w, "drop") ||
		    !strcmp(w, "action")) {
			if (have_action)
				return bctl_usage_err("more than one action (\"queue N\" or \"drop\")");
			have_action = true;
			if (!strcmp(w, "drop")) {
				fs->ring_cookie = RX_CLS_FLOW_DISC;
				continue;
			}
			/* ethtool's "action -1" is drop */
			if (!strcmp(w, "action") && bctl_peek(a) &&
			    !strcmp(bctl_peek(a), "-1")) {
				bctl_next(a);
				fs->ring_cookie = RX_CLS_FLOW_DISC;
				continue;
			}
			if (bctl_need(a, "queue number", &v) ||
			    bctl_parse_u32(v, "queue", 0xffff, &n))
				return BCTL_USAGE;
			fs->ring_cookie = n;
		} else if (!strcmp(w, "loc")) {
			if (r->have_loc)
				return bctl_usage_err("\"loc\" given twice");
			if (bctl_need(a, "rule location", &v) ||
			    bctl_parse_u32(v, "loc", 0xfffffffeU, &n))
				return BCTL_USAGE;
			fs->location = n;
			r->have_loc = true;
		} else if (!strcmp(w, "m")) {
			return bctl_usage_err("ethtool's \"m MASK\" is not taken: give an address as A/LEN, a port exactly");
		} else {
			return bctl_bad_word(w, "keyword", add_words);
		}
	}
	if (!have_action)
		return bctl_usage_err("missing action: \"queue N\" or \"drop\"");
	if (!seen[0] && !seen[1] && !seen[2] && !seen[3])
		return bctl_usage_err("a rule needs src-ip, dst-ip, src-port or dst-port (it would take every %s packet)",
				      bctl_flow_name(fs->flow_type));
	return 0;
}

/* The fields a rule compares, normalised for comparing masks. */
struct norm_mask {
	__be32 src[4], dst[4];
	__be16 sport, dport;
	uint8_t tos;
	uint8_t family;		/* 4, 6, or 0 (not an IP rule) */
	bool l4any;		/* ip4/ip6: any L4 protocol */
	bool other;		/* VLAN, MAC, user-def, L4 bytes, ... */
};

static void normalise(const struct ethtool_rx_flow_spec *fs,
		      struct norm_mask *m)
{
	uint32_t t = FLOW_BASE(fs->flow_type);

	memset(m, 0, sizeof(*m));
	if (is_l4v4(t) || t == IPV4_USER_FLOW) {
		m->family = 4;
		m->src[0] = fs->m_u.tcp_ip4_spec.ip4src;
		m->dst[0] = fs->m_u.tcp_ip4_spec.ip4dst;
		if (t == IPV4_USER_FLOW) {
			m->l4any = !fs->m_u.usr_ip4_spec.proto;
			m->other = fs->m_u.usr_ip4_spec.l4_4_bytes ||
				   fs->m_u.usr_ip4_spec.proto;
			m->tos = fs->m_u.usr_ip4_spec.tos;
		} else {
			m->sport = fs->m_u.tcp_ip4_spec.psrc;
			m->dport = fs->m_u.tcp_ip4_spec.pdst;
			m->tos = fs->m_u.tcp_ip4_spec.tos;
		}
	} else if (is_v6(t) || t == IPV6_USER_FLOW) {
		m->family = 6;
		memcpy(m->src, fs->m_u.tcp_ip6_spec.ip6src, sizeof(m->src));
		memcpy(m->dst, fs->m_u.tcp_ip6_spec.ip6dst, sizeof(m->dst));
		if (t == IPV6_USER_FLOW) {
			m->l4any = !fs->m_u.usr_ip6_spec.l4_proto;
			m->other = fs->m_u.usr_ip6_spec.l4_4_bytes ||
				   fs->m_u.usr_ip6_spec.l4_proto;
			m->tos = fs->m_u.usr_ip6_spec.tclass;
		} else {
			m->sport = fs->m_u.tcp_ip6_spec.psrc;
			m->dport = fs->m_u.tcp_ip6_spec.pdst;
			m->tos = fs->m_u.tcp_ip6_spec.tclass;
		}
	} else {
		m->other = true;
	}
	if (fs->flow_type & FLOW_EXT) {
		const struct ethtool_flow_ext *e = &fs->m_ext;

		m->other |= e->vlan_etype || e->vlan_tci || e->data[0] ||
			    e->data[1];
	}
	if (fs->flow_type & FLOW_MAC_EXT)
		m->other = true;
}

bool bctl_rule_same_mask(const struct ethtool_rx_flow_spec *a,
			 const struct ethtool_rx_flow_spec *b)
{
	struct norm_mask x, y;

	normalise(a, &x);
	normalise(b, &y);
	return !memcmp(&x, &y, sizeof(x));
}

__attribute__((format(printf, 4, 5)))
static size_t append(char *buf, size_t len, size_t off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (off >= len)
		return off;
	va_start(ap, fmt);
	n = vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
	return n < 0 ? off : off + n;
}

static size_t mask_field(char *buf, size_t len, size_t off, const char *name,
			 const __be32 *m, unsigned int words)
{
	char s[INET6_ADDRSTRLEN];
	unsigned int i;
	int p;

	for (i = 0; i < words; i++)
		if (m[i])
			break;
	if (i == words)
		return off;
	p = mask_prefix(m, words);
	if (p == (int)words * 32)
		return append(buf, len, off, "%s%s", off ? " " : "", name);
	if (p >= 0)
		return append(buf, len, off, "%s%s/%d", off ? " " : "", name, p);
	inet_ntop(words == 4 ? AF_INET6 : AF_INET, m, s, sizeof(s));
	return append(buf, len, off, "%s%s/%s", off ? " " : "", name, s);
}

/* "src-ip/24 dst-port": what the rule's mask compares. */
int bctl_rule_mask_desc(const struct ethtool_rx_flow_spec *fs, char *buf,
			size_t len)
{
	struct norm_mask m;
	unsigned int words;
	size_t off = 0;

	normalise(fs, &m);
	buf[0] = '\0';
	words = m.family == 6 ? 4 : 1;
	if (m.family) {
		off = mask_field(buf, len, off, "src-ip", m.src, words);
		off = mask_field(buf, len, off, "dst-ip", m.dst, words);
	}
	if (m.sport)
		off = append(buf, len, off, "%ssrc-port%s", off ? " " : "",
			     m.sport == 0xffff ? "" : "/partial");
	if (m.dport)
		off = append(buf, len, off, "%sdst-port%s", off ? " " : "",
			     m.dport == 0xffff ? "" : "/partial");
	if (m.tos)
		off = append(buf, len, off, "%stos", off ? " " : "");
	if (m.l4any)
		off = append(buf, len, off, "%s(any L4 protocol)", off ? " " : "");
	if (m.other)
		off = append(buf, len, off, "%s(other fields)", off ? " " : "");
	if (!off)
		off = append(buf, len, off, "(nothing)");
	return off < len ? 0 : -ENOSPC;
}

static size_t fmt_addr(char *buf, size_t len, size_t off, const char *name,
		       const __be32 *v, const __be32 *m, bool v6)
{
	unsigned int words = v6 ? 4 : 1, i;
	char s[INET6_ADDRSTRLEN], ms[INET6_ADDRSTRLEN];
	int p;

	for (i = 0; i < words; i++)
		if (m[i])
			break;
	if (i == words)
		return off;
	inet_ntop(v6 ? AF_INET6 : AF_INET, v, s, sizeof(s));
	p = mask_prefix(m, words);
	if (p == (int)words * 32)
		return append(buf, len, off, " %s %s", name, s);
	if (p >= 0)
		return append(buf, len, off, " %s %s/%d", name, s, p);
	inet_ntop(v6 ? AF_INET6 : AF_INET, m, ms, sizeof(ms));
	return append(buf, len, off, " %s %s m %s", name, s, ms);
}

static size_t fmt_port(char *buf, size_t len, size_t off, const char *name,
		       __be16 v, __be16 m)
{
	if (!m)
		return off;
	if (m == 0xffff)
		return append(buf, len, off, " %s %u", name, ntohs(v));
	return append(buf, len, off, " %s %u m 0x%04x", name, ntohs(v),
		      ntohs(m));
}

/* One rule as "udp4 dst-port 53 queue 3": the words "steer add" takes. */
int bctl_rule_format(const struct ethtool_rx_flow_spec *fs, char *buf,
		     size_t len)
{
	uint32_t t = FLOW_BASE(fs->flow_type);
	struct norm_mask m;
	size_t off;

	off = append(buf, len, 0, "%s", bctl_flow_name(t));
	if (is_l4v4(t) || t == IPV4_USER_FLOW) {
		off = fmt_addr(buf, len, off, "src-ip",
			       &fs->h_u.tcp_ip4_spec.ip4src,
			       &fs->m_u.tcp_ip4_spec.ip4src, false);
		off = fmt_addr(buf, len, off, "dst-ip",
			       &fs->h_u.tcp_ip4_spec.ip4dst,
			       &fs->m_u.tcp_ip4_spec.ip4dst, false);
		if (t != IPV4_USER_FLOW) {
			off = fmt_port(buf, len, off, "src-port",
				       fs->h_u.tcp_ip4_spec.psrc,
				       fs->m_u.tcp_ip4_spec.psrc);
			off = fmt_port(buf, len, off, "dst-port",
				       fs->h_u.tcp_ip4_spec.pdst,
				       fs->m_u.tcp_ip4_spec.pdst);
		}
	} else if (is_v6(t) || t == IPV6_USER_FLOW) {
		off = fmt_addr(buf, len, off, "src-ip",
			       fs->h_u.tcp_ip6_spec.ip6src,
			       fs->m_u.tcp_ip6_spec.ip6src, true);
		off = fmt_addr(buf, len, off, "dst-ip",
			       fs->h_u.tcp_ip6_spec.ip6dst,
			       fs->m_u.tcp_ip6_spec.ip6dst, true);
		if (t != IPV6_USER_FLOW) {
			off = fmt_port(buf, len, off, "src-port",
				       fs->h_u.tcp_ip6_spec.psrc,
				       fs->m_u.tcp_ip6_spec.psrc);
			off = fmt_port(buf, len, off, "dst-port",
				       fs->h_u.tcp_ip6_spec.pdst,
				       fs->m_u.tcp_ip6_spec.pdst);
		}
	}
	normalise(fs, &m);
	if (m.other || m.tos)
		off = append(buf, len, off, " (+ fields shown by ethtool -n)");
	if (fs->ring_cookie == RX_CLS_FLOW_DISC)
		off = append(buf, len, off, " drop");
	else
		off = append(buf, len, off, " queue %llu",
			     (unsigned long long)ethtool_get_flow_spec_ring(
				     fs->ring_cookie));
	return off < len ? 0 : -ENOSPC;
}

static void json_addr(struct bctl_json *j, const char *key, const __be32 *v,
		      const __be32 *m, bool v6)
{
	unsigned int words = v6 ? 4 : 1, i;
	char s[INET6_ADDRSTRLEN + 8], k[32];
	int p;

	for (i = 0; i < words; i++)
		if (m[i])
			break;
	if (i == words)
		return;
	inet_ntop(v6 ? AF_INET6 : AF_INET, v, s, INET6_ADDRSTRLEN);
	p = mask_prefix(m, words);
	if (p >= 0 && p < (int)words * 32)
		snprintf(s + strlen(s), 8, "/%d", p);
	bctl_json_str(j, key, s);
	if (p < 0) {
		inet_ntop(v6 ? AF_INET6 : AF_INET, m, s, sizeof(s));
		snprintf(k, sizeof(k), "%s_mask", key);
		bctl_json_str(j, k, s);
	}
}

static void json_port(struct bctl_json *j, const char *key, __be16 v,
		      __be16 m)
{
	char k[32];

	if (!m)
		return;
	bctl_json_u64(j, key, ntohs(v));
	if (m != 0xffff) {
		snprintf(k, sizeof(k), "%s_mask", key);
		bctl_json_u64(j, k, ntohs(m));
	}
}

/* One rule as a JSON object (inside an open array). */
void bctl_rule_json(struct bctl_json *j, const struct ethtool_rx_flow_spec *fs)
{
	uint32_t t = FLOW_BASE(fs->flow_type);
	char desc[256];
	bool v6 = is_v6(t) || t == IPV6_USER_FLOW;

	bctl_json_u64(j, "loc", fs->location);
	bctl_json_str(j, "flow", bctl_flow_name(t));
	if (is_l4v4(t) || t == IPV4_USER_FLOW || v6) {
		json_addr(j, "src_ip", v6 ? fs->h_u.tcp_ip6_spec.ip6src :
			  &fs->h_u.tcp_ip4_spec.ip4src,
			  v6 ? fs->m_u.tcp_ip6_spec.ip6src :
			  &fs->m_u.tcp_ip4_spec.ip4src, v6);
		json_addr(j, "dst_ip", v6 ? fs->h_u.tcp_ip6_spec.ip6dst :
			  &fs->h_u.tcp_ip4_spec.ip4dst,
			  v6 ? fs->m_u.tcp_ip6_spec.ip6dst :
			  &fs->m_u.tcp_ip4_spec.ip4dst, v6);
	}
	if (is_l4v4(t)) {
		json_port(j, "src_port", fs->h_u.tcp_ip4_spec.psrc,
			  fs->m_u.tcp_ip4_spec.psrc);
		json_port(j, "dst_port", fs->h_u.tcp_ip4_spec.pdst,
			  fs->m_u.tcp_ip4_spec.pdst);
	} else if (is_v6(t)) {
		json_port(j, "src_port", fs->h_u.tcp_ip6_spec.psrc,
			  fs->m_u.tcp_ip6_spec.psrc);
		json_port(j, "dst_port", fs->h_u.tcp_ip6_spec.pdst,
			  fs->m_u.tcp_ip6_spec.pdst);
	}
	if (fs->ring_cookie == RX_CLS_FLOW_DISC) {
		bctl_json_str(j, "action", "drop");
	} else {
		bctl_json_str(j, "action", "queue");
		bctl_json_u64(j, "queue",
			      ethtool_get_flow_spec_ring(fs->ring_cookie));
	}
	bctl_rule_mask_desc(fs, desc, sizeof(desc));
	bctl_json_str(j, "mask", desc);
}
