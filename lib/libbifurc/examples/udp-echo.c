// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * udp-echo: answer a steered UDP/IPv4 flow with the payload it sent.
 *
 *   udp-echo -i IFNAME -q QUEUE -p PORT [-a ADDR] [-c COUNT] [-b] [-k]
 *
 * Steers UDP to PORT (and to ADDR with -a) to the queue, then sends every
 * UDP/IPv4 datagram that arrives there for that port back to its sender,
 * from ADDR:PORT (without -a, from the address it was sent to).  -c stop
 * after answering COUNT datagrams (default: until SIGINT or SIGTERM), -b
 * busy-poll, -k answer through a kernel socket even if bifurc TX exists.
 *
 * Two ways to answer, chosen at start and named in the first line printed
 * ("mode tx" or "mode socket"):
 *
 *   tx      the kernel has bifurc TX (bifurc_open with BIFURC_OPT_TX):
 *           the request is turned into the reply in its own buffer (MAC,
 *           IPv4 address and port swapped, checksums recomputed) and that
 *           buffer is transmitted; no byte is copied.  bifurc_tx_complete
 *           hands the buffer back and bifurc_rx_release returns it to the
 *           receive side.
 *   socket  the kernel has no bifurc TX (bifurc_open with BIFURC_OPT_TX
 *           returns -EOPNOTSUPP) or -k: the payload goes out through an
 *           ordinary UDP socket bound to PORT, with the request's
 *           destination address as the source (IP_PKTINFO); the receive
 *           buffer goes straight back with rx_release.
 *
 * Datagrams that are not UDP/IPv4 to PORT (to ADDR), IP fragments, frames
 * the NIC found a bad checksum in and frames longer than one buffer are
 * counted as ignored and not answered.  The last line is a summary.
 * Exit status 0, 1 on a runtime error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <bifurc.h>

#define BURST		64
#define ETH_HLEN	14
#define ETH_P_IPV4	0x0800
#define IPV4_HLEN	20
#define UDP_HLEN	8
#define MIN_FRAME	60	/* without FCS; the NIC adds that */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: udp-echo -i IFNAME -q QUEUE -p PORT [-a ADDR] "
		"[-c COUNT] [-b] [-k]\n");
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

struct counts {
	unsigned long long received;	/* frames taken from the queue */
	unsigned long long answered;	/* replies sent (tx: completed) */
	unsigned long long ignored;	/* not a datagram for us */
	unsigned long long errors;	/* sendmsg failures, tx refusals */
};

/* One request, located in a received frame. */
struct req {
	uint8_t  *eth;
	uint8_t  *ip;		/* IPv4 header */
	uint8_t  *udp;		/* UDP header */
	uint32_t  ip_len;	/* IPv4 total length */
	uint32_t  ip_hlen;
	uint32_t  payload_len;
};

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

/*
 * Is this frame a UDP/IPv4 datagram to port (and addr, unless INADDR_ANY)
 * that we can answer?  Fills *r.
 */
static bool parse(const struct bifurc_pkt *p, uint16_t port,
		  struct in_addr addr, struct req *r)
{
	uint8_t *f = p->data;
	uint32_t udp_len;

	if (!(p->flags & BIFURC_PKT_EOP) || (p->flags & BIFURC_PKT_CSUM_BAD) ||
	    (p->flags & BIFURC_PKT_VLAN) || p->len < ETH_HLEN + IPV4_HLEN + UDP_HLEN)
		return false;
	if (get16(f + 12) != ETH_P_IPV4)
		return false;
	r->eth = f;
	r->ip = f + ETH_HLEN;
	r->ip_hlen = (r->ip[0] & 0x0f) * 4U;
	r->ip_len = get16(r->ip + 2);
	if ((r->ip[0] >> 4) != 4 || r->ip_hlen < IPV4_HLEN ||
	    r->ip_len < r->ip_hlen + UDP_HLEN || r->ip_len > p->len - ETH_HLEN)
		return false;
	if (csum_fold(csum_add(0, r->ip, r->ip_hlen)) != 0)
		return false;			/* bad header checksum */
	if (r->ip[9] != IPPROTO_UDP || (get16(r->ip + 6) & 0x3fff))
		return false;			/* not UDP, or a fragment */
	if (addr.s_addr != htonl(INADDR_ANY) &&
	    memcmp(r->ip + 16, &addr.s_addr, 4) != 0)
		return false;
	/* a source we must not answer: 0.0.0.0, multicast, broadcast */
	if (r->ip[12] == 0 || r->ip[12] >= 224)
		return false;
	r->udp = r->ip + r->ip_hlen;
	if (get16(r->udp + 2) != port)
		return false;
	udp_len = get16(r->udp + 4);
	if (udp_len < UDP_HLEN || udp_len > r->ip_len - r->ip_hlen)
		return false;
	r->payload_len = udp_len - UDP_HLEN;
	return true;
}

/* Answer through the kernel: sendmsg from the request's destination. */
static void reply_socket(int sock, const struct req *r, struct counts *c)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct iovec iov = {
		.iov_base = r->udp + UDP_HLEN, .iov_len = r->payload_len,
	};
	struct msghdr msg = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct in_pktinfo pi = { 0 };
	struct cmsghdr *cm;

	memcpy(&to.sin_addr, r->ip + 12, 4);
	memcpy(&to.sin_port, r->udp, 2);
	memcpy(&pi.ipi_spec_dst, r->ip + 16, 4);
	memset(ctl.buf, 0, sizeof(ctl.buf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	if (sendmsg(sock, &msg, 0) == (ssize_t)r->payload_len) {
		c->answered++;
	} else {
		if (c->errors++ == 0)
			fprintf(stderr, "udp-echo: sendmsg: %s\n",
				strerror(errno));
	}
}

#ifdef BIFURC_OPT_TX
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Turn the request into its reply in place: swap the addresses, recompute
 * both checksums, and drop any Ethernet padding.  Returns the frame length
 * to transmit.
 */
static uint32_t make_reply(const struct bifurc_pkt *p, const struct req *r)
{
	uint8_t tmp[6];
	uint32_t len, sum;
	uint16_t udp_len = (uint16_t)(r->payload_len + UDP_HLEN);

	memcpy(tmp, r->eth, 6);			/* MAC */
	memcpy(r->eth, r->eth + 6, 6);
	memcpy(r->eth + 6, tmp, 6);
	memcpy(tmp, r->ip + 12, 4);		/* IPv4 address */
	memcpy(r->ip + 12, r->ip + 16, 4);
	memcpy(r->ip + 16, tmp, 4);
	memcpy(tmp, r->udp, 2);			/* UDP port */
	memcpy(r->udp, r->udp + 2, 2);
	memcpy(r->udp + 2, tmp, 2);

	r->ip[8] = 64;				/* a fresh TTL */
	put16(r->ip + 10, 0);
	put16(r->ip + 10, csum_fold(csum_add(0, r->ip, r->ip_hlen)));

	/* UDP checksum: pseudo header (addresses, protocol, length) + data */
	put16(r->udp + 6, 0);
	sum = csum_add(0, r->ip + 12, 8);
	sum += IPPROTO_UDP + udp_len;
	sum = csum_add(sum, r->udp, udp_len);
	sum = csum_fold(sum);
	put16(r->udp + 6, sum ? (uint16_t)sum : 0xffff);

	/* the request's padding, if any, is not ours to send back */
	len = ETH_HLEN + r->ip_len;
	if (len < MIN_FRAME && p->len >= MIN_FRAME) {
		memset(r->eth + len, 0, MIN_FRAME - len);
		len = MIN_FRAME;
	}
	return len;
}

/* Buffers back from the TX side go back to the RX side.  -errno or 0. */
static int reap(struct bifurc_queue *q, struct counts *c,
		unsigned long long *inflight)
{
	struct bifurc_pkt done[BURST];
	int n, i, err;

	n = bifurc_tx_complete(q, done, BURST);
	if (n <= 0)
		return n;
	for (i = 0; i < n; i++) {
		if (done[i].flags & BIFURC_PKT_TX_REFUSED)
			c->errors++;
		else
			c->answered++;
	}
	*inflight -= (unsigned long long)n;
	err = bifurc_rx_release(q, done, (unsigned int)n);
	return err;
}
#endif

int main(int argc, char **argv)
{
	struct bifurc_opts opts = { .size = sizeof(opts) };
	struct bifurc_flow flow = { .size = sizeof(flow), .proto = IPPROTO_UDP };
	struct bifurc_pkt pkts[BURST], drop[BURST];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct in_addr addr = { .s_addr = htonl(INADDR_ANY) };
	struct counts c = { 0 };
	unsigned long long count = 0, inflight = 0;
	const char *ifname = NULL, *why = "";
	long long queue = -1, port = -1, v;
	bool force_socket = false, tx = false, cont = false;
	struct bifurc_queue *q = NULL;
	unsigned int ndrop, ntx, i;
	int n, err, opt, rule, sock = -1, ret = 0, one = 1;
	struct sigaction sa;
	struct req r;
#ifdef BIFURC_OPT_TX
	struct bifurc_queue_info info;
	struct bifurc_tx txe[BURST];
	unsigned int queued;
	int tries;
#endif

	while ((opt = getopt(argc, argv, "+i:q:p:a:c:bk")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'q':
			queue = parse_num(optarg, 0, UINT16_MAX);
			if (queue < 0)
				return usage();
			break;
		case 'p':
			port = parse_num(optarg, 1, UINT16_MAX);
			if (port < 0)
				return usage();
			break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &addr) != 1 ||
			    addr.s_addr == htonl(INADDR_ANY))
				return usage();
			break;
		case 'c':
			v = parse_num(optarg, 1, LLONG_MAX);
			if (v < 0)
				return usage();
			count = (unsigned long long)v;
			break;
		case 'b': opts.flags |= BIFURC_OPT_BUSY_POLL; break;
		case 'k': force_socket = true; break;
		default: return usage();
		}
	}
	if (!ifname || !*ifname || queue < 0 || port < 0 || optind != argc)
		return usage();
	flow.dst_port = htons((uint16_t)port);
	flow.dst = (union bifurc_addr){ .v4 = addr };

	/* TX if the kernel has it, else the kernel socket */
	err = -EOPNOTSUPP;
#ifdef BIFURC_OPT_TX
	if (!force_socket) {
		struct bifurc_opts txo = opts;

		txo.flags |= BIFURC_OPT_TX;
		err = bifurc_open(&q, ifname, (unsigned int)queue, &txo);
		tx = err == 0;
		if (tx && (err = bifurc_queue_info(q, &info))) {
			fprintf(stderr, "udp-echo: queue info: %s\n",
				bifurc_strerror(err));
			bifurc_close(q);
			return 1;
		}
	}
#endif
#ifdef BIFURC_OPT_TX
	why = "no bifurc TX in this kernel";
#else
	why = "libbifurc built without TX";
#endif
	if (force_socket)
		why = "-k";
	if (!tx && err == -EOPNOTSUPP)
		err = bifurc_open(&q, ifname, (unsigned int)queue, &opts);
	if (err) {
		fprintf(stderr, "udp-echo: %s queue %lld: %s\n", ifname, queue,
			bifurc_strerror(err));
		return 1;
	}
	if (!tx) {
		sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		sin.sin_addr = addr;
		sin.sin_port = htons((uint16_t)port);
		if (sock < 0 ||
		    setsockopt(sock, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) ||
		    bind(sock, (struct sockaddr *)&sin, sizeof(sin))) {
			fprintf(stderr, "udp-echo: UDP socket on port %lld: %s\n",
				port, strerror(errno));
			bifurc_close(q);
			return 1;
		}
	}
	rule = bifurc_flow_add(q, &flow);
	if (rule < 0) {
		fprintf(stderr, "udp-echo: flow: %s\n", bifurc_strerror(rule));
		ret = 1;
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake bifurc_wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	printf("udp-echo: %s queue %lld, udp dst %s:%lld steered (rule %d), ",
	       ifname, queue, addr.s_addr ? inet_ntoa(addr) : "*", port, rule);
	if (tx)
		printf("mode tx: replies are the request buffers, sent with "
		       "bifurc_tx_burst (zero copy)\n");
	else
		printf("mode socket: %s, replies go through a kernel UDP "
		       "socket\n", why);
	fflush(stdout);

	while (!stop && (!count || c.answered + inflight < count)) {
#ifdef BIFURC_OPT_TX
		if (tx && (err = reap(q, &c, &inflight))) {
			fprintf(stderr, "udp-echo: tx: %s\n", bifurc_strerror(err));
			ret = 1;
			break;
		}
#endif
		n = bifurc_rx_burst(q, pkts, BURST);
		if (n < 0) {
			fprintf(stderr, "udp-echo: %s\n", bifurc_strerror(n));
			ret = 1;
			break;
		}
		if (n == 0) {
			err = bifurc_wait(q, tx && inflight ? 1 : 100);
			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "udp-echo: %s\n",
					bifurc_strerror(err));
				ret = 1;
				break;
			}
			continue;
		}
		c.received += (unsigned long long)n;
		ndrop = ntx = 0;
		for (i = 0; i < (unsigned int)n; i++) {
			/* the rest of a frame longer than one buffer */
			bool part = cont;

			cont = !(pkts[i].flags & BIFURC_PKT_EOP);
			if (part ||
			    (count && c.answered + inflight + ntx >= count) ||
			    !parse(&pkts[i], (uint16_t)port, addr, &r)) {
				if (!part)
					c.ignored++;
				drop[ndrop++] = pkts[i];
				continue;
			}
			if (!tx) {
				reply_socket(sock, &r, &c);
				drop[ndrop++] = pkts[i];
				continue;
			}
#ifdef BIFURC_OPT_TX
			txe[ntx].buf = pkts[i].buf;
			txe[ntx].offset = (uint32_t)((uint8_t *)pkts[i].data -
				((uint8_t *)info.pool +
				 (size_t)pkts[i].buf * info.buf_size));
			txe[ntx].len = make_reply(&pkts[i], &r);
			txe[ntx].flags = 0;
			ntx++;
#endif
		}
		if (ndrop && (err = bifurc_rx_release(q, drop, ndrop))) {
			fprintf(stderr, "udp-echo: %s\n", bifurc_strerror(err));
			ret = 1;
			break;
		}
#ifdef BIFURC_OPT_TX
		/*
		 * Queue every reply; a full TX ring frees up as completions
		 * are reaped.  What still does not fit after a while is given
		 * back unsent and counted as an error.
		 */
		for (queued = 0, tries = 0; queued < ntx && tries < 1000;
		     tries++) {
			n = bifurc_tx_burst(q, txe + queued, ntx - queued);
			if (n < 0) {
				fprintf(stderr, "udp-echo: tx: %s\n",
					bifurc_strerror(n));
				ret = 1;
				break;
			}
			queued += (unsigned int)n;
			inflight += (unsigned int)n;
			if (queued < ntx && (err = reap(q, &c, &inflight))) {
				fprintf(stderr, "udp-echo: tx: %s\n",
					bifurc_strerror(err));
				ret = 1;
				break;
			}
		}
		if (queued < ntx) {
			for (i = 0, ndrop = 0; queued + i < ntx; i++) {
				drop[ndrop].buf = txe[queued + i].buf;
				ndrop++;
			}
			c.errors += ndrop;
			bifurc_rx_release(q, drop, ndrop);
		}
		if (ret)
			break;
#endif
	}

#ifdef BIFURC_OPT_TX
	/* wait up to a second for the last replies to leave */
	for (i = 0; tx && inflight && i < 1000; i++)
		if (reap(q, &c, &inflight) ||
		    (inflight && bifurc_wait_tx(q, 1000) <= 0))
			break;
	if (tx && inflight)
		fprintf(stderr, "udp-echo: %llu replies not completed\n", inflight);
#endif
	printf("udp-echo: %llu received, %llu answered, %llu ignored, "
	       "%llu errors\n", c.received, c.answered, c.ignored, c.errors);
	if (c.errors)
		ret = 1;
out:
	bifurc_close(q);
	if (sock >= 0)
		close(sock);
	return ret;
}
