// SPDX-License-Identifier: GPL-2.0
/*
 * Description: send frames of one's own making through a bifurc TX queue
 * with libbifurc, from whatever source the caller names, and report what
 * the kernel did with them.  isolation.sh uses it to show that a granted,
 * unprivileged attachment sends only as itself (issue 17).
 *
 *   bifurc_txsrc -i IFACE -q QUEUE --src-mac MAC --dst-mac MAC
 *                --src ADDR --dst ADDR --sport PORT --dport PORT
 *                --rule-port PORT -n COUNT [--size BYTES]
 *                [--vlan VID | --arp] [--frags N [--head BYTES]]
 *                [--ready FILE] [--timeout SECONDS]
 *
 * Buffers.  The queue is opened with a TX reserve of COUNT buffers
 * (bifurc_opts.tx_buf_count), which bifurc_tx_alloc hands out: a sender
 * need not receive first.  The program still steers UDP to --rule-port
 * to the queue, which gives the attachment a port held by one of its own
 * rules, the port a grantee may send from.  It then creates FILE
 * (--ready) and sends.
 *
 * Frames.  Frame i (0 <= i < COUNT) is UDP/IPv4 from MAC, ADDR:PORT to
 * MAC, ADDR:PORT, TTL 64, DF, with correct IPv4 and UDP checksums.  Its
 * payload is flows.py's payload(i, BYTES) (default 64 bytes): i as a
 * big-endian 32-bit number, then bytes (i + k) & 0xff.  So "flows.py
 * recv" on the peer counts them and checks them byte-exact.  --vlan VID
 * puts an 802.1Q tag with VID (priority 0) in front of the IPv4 header.
 * --arp sends an ARP request from MAC/ADDR for the destination ADDR
 * instead (60 bytes, the ports and BYTES unused).  One tx entry per frame,
 * or N with --frags: the first holds the frame's first BYTES (--head,
 * default an N-th), the rest of the frame is cut evenly between the other
 * N - 1, each in a buffer of its own (uapi section 4a: all but the last
 * entry with MORE).  So a frame's headers can be kept in, or cut out of,
 * its first entry, where the kernel checks an unprivileged sender's.
 *
 * All COUNT frames are submitted with bifurc_tx_burst.  The program then
 * takes every buffer back with bifurc_tx_complete.  --timeout SECONDS
 * (default 20) bounds submitting the frames and taking their buffers
 * back.  It prints one
 * line on stdout:
 *
 *   sent N refused M tx_packets X tx_bad_frame Y
 *
 * N and M count the frames whose buffers are back from tx_complete: N
 * sent, M flagged BIFURC_PKT_TX_REFUSED (buffers / N with --frags).  X and Y are what the queue's counters
 * (bifurc_stats) grew by over the run.  Diagnostics go to stderr, and a
 * frame not back in time is reported there.
 *
 * Exit status: 0 once the frames were submitted (the caller judges the
 * numbers), 1 on a setup or runtime error (open, rule, fewer than COUNT
 * buffers from tx_alloc, tx_burst refusing its arguments), 2 on bad
 * arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bifurc.h>

#include "util.h"

#define MAX_BUFS	256
#define MAX_FRAGS	8	/* BIFURC_TX_MAX_FRAGS of the uapi, at least */
#define BURST		64

#define ETH_ALEN	6
#define ETH_HLEN	14
#define VLAN_HLEN	4
#define ETH_P_IPV4	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_8021Q	0x8100
#define IPV4_HLEN	20
#define UDP_HLEN	8
#define ARP_LEN		28
#define MIN_FRAME	60	/* without FCS; the NIC adds that */

struct frame_spec {
	uint8_t  src_mac[ETH_ALEN];
	uint8_t  dst_mac[ETH_ALEN];
	struct in_addr src, dst;
	uint16_t sport, dport;
	unsigned int size;	/* UDP payload bytes */
	int      vlan;		/* VID, or -1: untagged */
	bool     arp;
};

static int usage(void)
{
	fprintf(stderr,
		"usage: bifurc_txsrc -i IFACE -q QUEUE --src-mac MAC --dst-mac MAC\n"
		"                    --src ADDR --dst ADDR --sport PORT --dport PORT\n"
		"                    --rule-port PORT -n COUNT [--size BYTES]\n"
		"                    [--vlan VID | --arp] [--frags N [--head BYTES]]\n"
		"                    [--ready FILE] [--timeout SECONDS]\n");
	return 2;
}

/* A whole decimal number in [min, max], or -1. */
static long long parse_num(const char *s, long long min, long long max)
{
	long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	return v;
}

/* "aa:bb:cc:dd:ee:ff" into mac; false if it is anything else. */
static bool parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[ETH_ALEN];
	int i, end = -1;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2],
		   &b[3], &b[4], &b[5], &end) != ETH_ALEN || end < 0 || s[end])
		return false;
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = (uint8_t)b[i];
	return true;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Ones' complement sum of len bytes (network order), not yet folded. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Bytes frame_build writes for s. */
static uint32_t frame_len(const struct frame_spec *s)
{
	uint32_t len;

	if (s->arp)
		return MIN_FRAME;
	len = ETH_HLEN + (s->vlan >= 0 ? VLAN_HLEN : 0) + IPV4_HLEN +
	      UDP_HLEN + s->size;
	return len < MIN_FRAME ? MIN_FRAME : len;
}

/*
 * Frame seq of s at f (frame_len(s) bytes): the Ethernet header (and
 * tag), then an ARP request or an IPv4/UDP datagram whose payload is
 * flows.py's payload(seq, size).  Returns the length.
 */
static uint32_t frame_build(uint8_t *f, const struct frame_spec *s,
			    uint32_t seq)
{
	uint32_t len = frame_len(s), sum, i;
	uint16_t udp_len = (uint16_t)(UDP_HLEN + s->size);
	uint8_t *ip, *udp, *pl;

	memset(f, 0, len);
	memcpy(f, s->dst_mac, ETH_ALEN);
	memcpy(f + ETH_ALEN, s->src_mac, ETH_ALEN);
	ip = f + 12;
	if (s->vlan >= 0) {
		put16(ip, ETH_P_8021Q);
		put16(ip + 2, (uint16_t)s->vlan);
		ip += VLAN_HLEN;
	}
	if (s->arp) {
		put16(ip, ETH_P_ARP);
		ip += 2;
		put16(ip, 1);			/* Ethernet */
		put16(ip + 2, ETH_P_IPV4);
		ip[4] = ETH_ALEN;
		ip[5] = 4;
		put16(ip + 6, 1);		/* request */
		memcpy(ip + 8, s->src_mac, ETH_ALEN);
		memcpy(ip + 14, &s->src, 4);
		memcpy(ip + 24, &s->dst, 4);	/* target MAC left zero */
		return len;
	}
	put16(ip, ETH_P_IPV4);
	ip += 2;

	ip[0] = 0x45;				/* version 4, 20 bytes */
	put16(ip + 2, (uint16_t)(IPV4_HLEN + udp_len));
	put16(ip + 4, (uint16_t)seq);		/* identification */
	put16(ip + 6, 0x4000);			/* DF, offset 0 */
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &s->src, 4);
	memcpy(ip + 16, &s->dst, 4);
	put16(ip + 10, csum_fold(csum_add(0, ip, IPV4_HLEN)));

	udp = ip + IPV4_HLEN;
	put16(udp, s->sport);
	put16(udp + 2, s->dport);
	put16(udp + 4, udp_len);
	pl = udp + UDP_HLEN;
	pl[0] = (uint8_t)(seq >> 24);
	pl[1] = (uint8_t)(seq >> 16);
	pl[2] = (uint8_t)(seq >> 8);
	pl[3] = (uint8_t)seq;
	for (i = 0; i + 4 < s->size; i++)
		pl[4 + i] = (uint8_t)(seq + i);

	/* pseudo header (addresses, protocol, length), header, payload */
	sum = csum_add(0, ip + 12, 8);
	sum += IPPROTO_UDP + udp_len;
	sum = csum_add(sum, udp, udp_len);
	sum = csum_fold(sum);
	put16(udp + 6, sum ? (uint16_t)sum : 0xffff);
	return len;
}

/* Bytes of entry k when a len-byte frame is cut into frags entries. */
static uint32_t piece_len(uint32_t len, unsigned int frags, uint32_t head,
			  unsigned int k)
{
	uint32_t rest = len - head, n = frags - 1;

	if (k == 0)
		return head;
	return rest / n + (k - 1 < rest % n ? 1 : 0);
}

/*
 * The len-byte frame f into the frags buffers of held, as the entries tx:
 * a chain whose entries but the last have MORE (uapi section 4a).
 */
static void frame_cut(struct bifurc_tx *tx, const struct bifurc_pkt *held,
		      const struct bifurc_queue_info *info, const uint8_t *f,
		      uint32_t len, unsigned int frags, uint32_t head)
{
	uint32_t off = 0, piece;
	unsigned int k;

	for (k = 0; k < frags; k++) {
		uint8_t *base = (uint8_t *)info->pool +
				(size_t)held[k].buf * info->buf_size;

		piece = piece_len(len, frags, head, k);
		memcpy(held[k].data, f + off, piece);
		tx[k].buf = held[k].buf;
		tx[k].offset = (uint32_t)((uint8_t *)held[k].data - base);
		tx[k].len = piece;
		tx[k].flags = k + 1 < frags ? BIFURC_TX_MORE : 0;
		off += piece;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

struct tally {
	unsigned int back;	/* buffers back from tx_complete */
	unsigned int sent;	/* of those, sent */
	unsigned int refused;	/* of those, BIFURC_PKT_TX_REFUSED */
};

/*
 * Take back what the kernel is done with and return it to the receive
 * side.  0 or -errno.
 */
static int reap_tx(struct bifurc_queue *q, struct tally *t)
{
	struct bifurc_pkt done[BURST];
	int n, i;

	n = bifurc_tx_complete(q, done, BURST);
	if (n <= 0)
		return n;
	for (i = 0; i < n; i++) {
		if (done[i].flags & BIFURC_PKT_TX_REFUSED)
			t->refused++;
		else
			t->sent++;
	}
	t->back += (unsigned int)n;
	return bifurc_rx_release(q, done, (unsigned int)n);
}

enum {
	OPT_SRC_MAC = 256, OPT_DST_MAC, OPT_SRC, OPT_DST, OPT_SPORT, OPT_DPORT,
	OPT_RULE_PORT, OPT_SIZE, OPT_VLAN, OPT_ARP, OPT_READY, OPT_TIMEOUT,
	OPT_FRAGS, OPT_HEAD,
};

static const struct option long_opts[] = {
	{ "src-mac",	required_argument, NULL, OPT_SRC_MAC },
	{ "dst-mac",	required_argument, NULL, OPT_DST_MAC },
	{ "src",	required_argument, NULL, OPT_SRC },
	{ "dst",	required_argument, NULL, OPT_DST },
	{ "sport",	required_argument, NULL, OPT_SPORT },
	{ "dport",	required_argument, NULL, OPT_DPORT },
	{ "rule-port",	required_argument, NULL, OPT_RULE_PORT },
	{ "size",	required_argument, NULL, OPT_SIZE },
	{ "vlan",	required_argument, NULL, OPT_VLAN },
	{ "arp",	no_argument,	   NULL, OPT_ARP },
	{ "ready",	required_argument, NULL, OPT_READY },
	{ "timeout",	required_argument, NULL, OPT_TIMEOUT },
	{ "frags",	required_argument, NULL, OPT_FRAGS },
	{ "head",	required_argument, NULL, OPT_HEAD },
	{ NULL, 0, NULL, 0 }
};

int main(int argc, char **argv)
{
	struct bifurc_opts opts = {
		.size = sizeof(opts), .flags = BIFURC_OPT_TX,
	};
	struct bifurc_flow flow = { .size = sizeof(flow), .proto = IPPROTO_UDP };
	struct frame_spec spec = { .size = 64, .vlan = -1 };
	static uint8_t frame[ETH_HLEN + VLAN_HLEN + IPV4_HLEN + UDP_HLEN + 9000];
	static struct bifurc_pkt held[MAX_BUFS];
	static struct bifurc_tx tx[MAX_BUFS];
	struct bifurc_stats st0, st1;
	struct bifurc_queue_info info;
	struct bifurc_queue *q = NULL;
	struct tally t = { 0 };
	const char *ifname = NULL, *ready = NULL;
	long long queue = -1, count = -1, rule_port = -1, timeout = 20, v;
	unsigned int have = 0, queued = 0, i, set = 0, frags = 1, bufs;
	uint32_t head = 0, len;
	uint64_t d_packets, d_bad;
	double end;
	int opt, err, n, rule, fd, ret = 1;

	/* which of the required options were given */
	enum { S_SMAC = 1, S_DMAC = 2, S_SRC = 4, S_DST = 8, S_SPORT = 16,
	       S_DPORT = 32, S_ALL = 63 };

	while ((opt = getopt_long(argc, argv, "i:q:n:", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			ifname = optarg;
			break;
		case 'q':
			queue = parse_num(optarg, 0, UINT16_MAX);
			if (queue < 0)
				return usage();
			break;
		case 'n':
			count = parse_num(optarg, 1, MAX_BUFS);
			if (count < 0)
				return usage();
			break;
		case OPT_SRC_MAC:
			if (!parse_mac(optarg, spec.src_mac))
				return usage();
			set |= S_SMAC;
			break;
		case OPT_DST_MAC:
			if (!parse_mac(optarg, spec.dst_mac))
				return usage();
			set |= S_DMAC;
			break;
		case OPT_SRC:
			if (inet_pton(AF_INET, optarg, &spec.src) != 1)
				return usage();
			set |= S_SRC;
			break;
		case OPT_DST:
			if (inet_pton(AF_INET, optarg, &spec.dst) != 1)
				return usage();
			set |= S_DST;
			break;
		case OPT_SPORT:
			v = parse_num(optarg, 0, UINT16_MAX);
			if (v < 0)
				return usage();
			spec.sport = (uint16_t)v;
			set |= S_SPORT;
			break;
		case OPT_DPORT:
			v = parse_num(optarg, 1, UINT16_MAX);
			if (v < 0)
				return usage();
			spec.dport = (uint16_t)v;
			set |= S_DPORT;
			break;
		case OPT_RULE_PORT:
			rule_port = parse_num(optarg, 1, UINT16_MAX);
			if (rule_port < 0)
				return usage();
			break;
		case OPT_SIZE:
			v = parse_num(optarg, 4, 9000);
			if (v < 0)
				return usage();
			spec.size = (unsigned int)v;
			break;
		case OPT_VLAN:
			spec.vlan = (int)parse_num(optarg, 0, 4095);
			if (spec.vlan < 0)
				return usage();
			break;
		case OPT_ARP:
			spec.arp = true;
			break;
		case OPT_FRAGS:
			v = parse_num(optarg, 1, MAX_FRAGS);
			if (v < 0)
				return usage();
			frags = (unsigned int)v;
			break;
		case OPT_HEAD:
			v = parse_num(optarg, 1, 9000);
			if (v < 0)
				return usage();
			head = (uint32_t)v;
			break;
		case OPT_READY:
			ready = optarg;
			break;
		case OPT_TIMEOUT:
			timeout = parse_num(optarg, 1, 3600);
			if (timeout < 0)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (!ifname || !*ifname || queue < 0 || count < 0 || optind != argc ||
	    (set & S_ALL) != S_ALL || (spec.arp && spec.vlan >= 0))
		return usage();
	if (rule_port < 0) {
		fprintf(stderr, "bifurc_txsrc: --rule-port is needed: a "
			"grantee sends only from a port its rules hold\n");
		return usage();
	}
	len = frame_len(&spec);
	if (!head)
		head = frags > 1 ? len / frags : len;
	bufs = (unsigned int)count * frags;
	if (bufs > MAX_BUFS || head > len - (frags - 1) ||
	    (frags == 1 && head != len)) {
		fprintf(stderr, "bifurc_txsrc: %lld frames of %u bytes cannot "
			"be cut into %u entries with a first of %u (at most "
			"%d buffers)\n", count, len, frags, head, MAX_BUFS);
		return usage();
	}
	opts.tx_buf_count = bufs;

	err = bifurc_open(&q, ifname, (unsigned int)queue, &opts);
	if (err) {
		fprintf(stderr, "bifurc_txsrc: %s queue %lld with TX: %s\n",
			ifname, queue, bifurc_strerror(err));
		return 1;
	}
	err = bifurc_queue_info(q, &info);
	if (err) {
		fprintf(stderr, "bifurc_txsrc: queue info: %s\n",
			bifurc_strerror(err));
		goto out;
	}
	for (i = 0; i < frags; i++)
		if (info.rx_headroom + piece_len(len, frags, head, i) >
		    info.buf_size)
			break;
	if (len > info.max_tx_frame || i < frags) {
		fprintf(stderr, "bifurc_txsrc: a %u-byte frame in %u entries "
			"does not fit (max_tx_frame %u, buffers of %u with %u "
			"headroom)\n", len, frags, info.max_tx_frame,
			info.buf_size, info.rx_headroom);
		goto out;
	}
	if (info.buf_count < bufs) {
		fprintf(stderr, "bifurc_txsrc: %u buffers, the pool has %u\n",
			bufs, info.buf_count);
		goto out;
	}

	flow.dst_port = htons((uint16_t)rule_port);
	rule = bifurc_flow_add(q, &flow);
	if (rule < 0) {
		fprintf(stderr, "bifurc_txsrc: rule for udp dport %lld: %s\n",
			rule_port, bifurc_strerror(rule));
		goto out;
	}
	err = bifurc_stats(q, &st0);
	if (err) {
		fprintf(stderr, "bifurc_txsrc: stats: %s\n",
			bifurc_strerror(err));
		goto out;
	}
	if (ready) {
		fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			fprintf(stderr, "bifurc_txsrc: %s: %s\n", ready,
				strerror(errno));
			goto out;
		}
		close(fd);
	}

	/* the buffers from the reserve: nothing else holds them yet */
	n = bifurc_tx_alloc(q, held, bufs);
	if (n < 0 || (unsigned int)n != bufs) {
		fprintf(stderr, "bifurc_txsrc: tx_alloc gave %d of %u "
			"buffers%s%s\n", n, bufs, n < 0 ? ": " : "",
			n < 0 ? bifurc_strerror(n) : "");
		if (n > 0) {
			have = (unsigned int)n;
			goto out_release;
		}
		goto out;
	}
	have = (unsigned int)n;

	for (i = 0; i < count; i++)
		frame_cut(tx + i * frags, held + i * frags, &info, frame,
			  frame_build(frame, &spec, i), frags, head);
	/* inet_ntoa has one buffer: one address per call */
	fprintf(stderr, "bifurc_txsrc: %s queue %lld, rule %d: %lld %s "
		"frames of %u bytes in %u entries (first %u) from %s",
		info.ifname, queue, rule, count,
		spec.arp ? "ARP" : spec.vlan >= 0 ? "VLAN UDP" : "UDP",
		len, frags, head, inet_ntoa(spec.src));
	if (spec.arp)
		fprintf(stderr, " for %s\n", inet_ntoa(spec.dst));
	else
		fprintf(stderr, ":%u to %s:%u\n", spec.sport,
			inet_ntoa(spec.dst), spec.dport);

	/*
	 * Submit all; a full tx ring frees up as completions are taken.
	 * From here the buffers are accounted for by the tally: what is not
	 * queued is still held, what is queued comes back through reap_tx.
	 */
	end = now() + (double)timeout;
	while (queued < have && now() < end) {
		n = bifurc_tx_burst(q, tx + queued, have - queued);
		if (n < 0) {
			fprintf(stderr, "bifurc_txsrc: tx: %s\n",
				bifurc_strerror(n));
			break;
		}
		queued += (unsigned int)n;
		if (queued < have) {
			err = reap_tx(q, &t);
			if (err) {
				fprintf(stderr, "bifurc_txsrc: tx complete: %s\n",
					bifurc_strerror(err));
				break;
			}
			sleep_ms(1);
		}
	}
	if (queued < have) {
		fprintf(stderr, "bifurc_txsrc: %u of %u frames submitted\n",
			queued, have);
		/* the unsent buffers go back; the run is a runtime error */
		for (i = queued; i < have; i++)
			held[i - queued] = held[i];
		have -= queued;
		goto out_release;
	}
	have = 0;

	/* every buffer back, within the same deadline */
	while (t.back < queued && now() < end) {
		err = reap_tx(q, &t);
		if (err) {
			fprintf(stderr, "bifurc_txsrc: tx complete: %s\n",
				bifurc_strerror(err));
			break;
		}
		if (t.back < queued)
			sleep_ms(1);
	}
	if (t.back < queued)
		fprintf(stderr, "bifurc_txsrc: %u of %u buffers not back from "
			"tx_complete\n", queued - t.back, queued);

	/*
	 * The counters may be published just after the buffers: give them
	 * up to a second to account for every buffer back.
	 */
	end = now() + 1;
	do {
		err = bifurc_stats(q, &st1);
		if (err) {
			fprintf(stderr, "bifurc_txsrc: stats: %s\n",
				bifurc_strerror(err));
			goto out;
		}
		d_packets = st1.tx_packets - st0.tx_packets;
		d_bad = st1.tx_bad_frame - st0.tx_bad_frame;
		if (d_packets + d_bad >= t.back / frags)
			break;
		sleep_ms(10);
	} while (now() < end);

	if (t.sent % frags || t.refused % frags)
		fprintf(stderr, "bifurc_txsrc: %u buffers sent and %u refused "
			"is not whole frames of %u\n", t.sent, t.refused,
			frags);
	printf("sent %u refused %u tx_packets %llu tx_bad_frame %llu\n",
	       t.sent / frags, t.refused / frags, (unsigned long long)d_packets,
	       (unsigned long long)d_bad);
	fflush(stdout);
	ret = 0;
	goto out;

out_release:
	if (have)
		bifurc_rx_release(q, held, have);
out:
	bifurc_close(q);
	return ret;
}
