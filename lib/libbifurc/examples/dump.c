// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * dump: write the frames a bifurc queue receives to a pcap file.
 *
 *   dump -i IFNAME -q QUEUE [-c COUNT] [-w FILE] [-b] [udp|tcp DST_PORT]
 *
 * -c stop after COUNT frames (default: until SIGINT or SIGTERM), -w the
 * file to write ("-", the default, is standard output, so
 * "dump -i eth0 -q 3 udp 53 | tcpdump -r -" works), -b busy-poll.  With a
 * protocol and port, dump first steers that flow to its queue (the rule
 * goes away when dump exits).
 *
 * libpcap writes the file: a classic pcap (not pcapng), LINKTYPE_ETHERNET,
 * nanosecond timestamps, snaplen 65535.  A frame in one buffer goes to
 * pcap_dump() straight from the pool; one that spans several, or whose
 * 802.1Q tag the NIC stripped, is gathered first (pcap_dump() takes one
 * pointer), with the tag back in place, so the file holds the frame as it
 * was on the wire.  The file is flushed once per
 * burst, then the whole burst goes back with one rx_release.  All frames
 * of a burst carry the time the burst was taken (the library has no
 * per-frame receive time).
 *
 * Messages go to standard error, as the pcap may be on standard output:
 * one line once the queue is open and the flow steered, one summary line
 * at the end.  Exit status 0, 1 on a runtime error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include <bifurc.h>

#define BURST		64
#define SNAPLEN		65535U
#define ETH_ADDRS	12	/* destination and source MAC */
#define VLAN_HLEN	4

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: dump -i IFNAME -q QUEUE [-c COUNT] [-w FILE] "
		"[-b] [udp|tcp DST_PORT]\n");
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

/*
 * Push what pcap_dump() buffered to the file: 0 or -errno.  A write that
 * failed inside pcap_dump() (stdio) leaves only the stream's error flag.
 */
static int dump_flush(pcap_dumper_t *pw)
{
	if (pcap_dump_flush(pw) || ferror(pcap_dump_file(pw)))
		return errno ? -errno : -EIO;
	return 0;
}

/* Append up to n bytes of src to the record being gathered. */
static void gather_put(unsigned char *rec, uint32_t *at, const void *src,
		       uint32_t n)
{
	if (n > SNAPLEN - *at)
		n = SNAPLEN - *at;
	memcpy(rec + *at, src, n);
	*at += n;
}

/*
 * One record: the frame of pkts[first..last], at most SNAPLEN bytes of it,
 * as it was on the wire: an 802.1Q tag the NIC stripped (BIFURC_PKT_VLAN,
 * on the frame's last buffer) goes back after the MAC addresses.  Returns
 * the frame's length.
 */
static uint32_t dump_frame(pcap_dumper_t *pw, const struct timespec *ts,
			   const struct bifurc_pkt *pkts, unsigned int first,
			   unsigned int last)
{
	static unsigned char gather[SNAPLEN];
	const struct bifurc_pkt *eop = &pkts[last];
	const unsigned char *data = pkts[first].data;
	uint8_t tag[VLAN_HLEN];
	struct pcap_pkthdr h;
	unsigned int i;
	uint32_t skip;

	h.ts.tv_sec = ts->tv_sec;
	h.ts.tv_usec = ts->tv_nsec;	/* nanoseconds: a NANO dumper */
	h.len = 0;
	for (i = first; i <= last; i++)
		h.len += pkts[i].len;
	if ((eop->flags & BIFURC_PKT_VLAN) && pkts[first].len < ETH_ADDRS)
		eop = NULL;	/* nowhere to put it back: a runt */
	if (eop && (eop->flags & BIFURC_PKT_VLAN))
		h.len += VLAN_HLEN;
	h.caplen = h.len < SNAPLEN ? h.len : SNAPLEN;
	if (first != last || h.len != pkts[first].len) {
		data = gather;
		h.caplen = 0;
		skip = 0;
		if (eop && (eop->flags & BIFURC_PKT_VLAN)) {
			tag[0] = 0x81;
			tag[1] = 0x00;
			tag[2] = (uint8_t)(eop->vlan_tci >> 8);
			tag[3] = (uint8_t)eop->vlan_tci;
			gather_put(gather, &h.caplen, pkts[first].data,
				   ETH_ADDRS);
			gather_put(gather, &h.caplen, tag, VLAN_HLEN);
			skip = ETH_ADDRS;
		}
		for (i = first; i <= last; i++, skip = 0)
			gather_put(gather, &h.caplen,
				   (const uint8_t *)pkts[i].data + skip,
				   pkts[i].len - skip);
	}
	pcap_dump((unsigned char *)pw, &h, data);
	return h.len;
}

int main(int argc, char **argv)
{
	struct bifurc_opts opts = { .size = sizeof(opts) };
	struct bifurc_flow flow = { .size = sizeof(flow) };
	/* pkts[0..held) are the first buffers of a frame still arriving */
	struct bifurc_pkt pkts[2 * BURST];
	unsigned long long frames = 0, bytes = 0, count = 0, partial = 0;
	const char *ifname = NULL, *path = "-";
	long long queue = -1, v;
	unsigned int held = 0, i, first, nfr, done;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	pcap_dumper_t *pw;
	struct sigaction sa;
	struct timespec ts;
	pcap_t *pd;
	int err, n, opt, rule = -1, ret = 0;

	while ((opt = getopt(argc, argv, "+i:q:c:w:b")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'q':
			queue = parse_num(optarg, 0, UINT16_MAX);
			if (queue < 0)
				return usage();
			break;
		case 'c':
			v = parse_num(optarg, 1, LLONG_MAX);
			if (v < 0)
				return usage();
			count = (unsigned long long)v;
			break;
		case 'w': path = optarg; break;
		case 'b': opts.flags |= BIFURC_OPT_BUSY_POLL; break;
		default: return usage();
		}
	}
	if (!ifname || !*ifname || queue < 0 || !*path)
		return usage();
	if (argc - optind == 2) {
		if (strcmp(argv[optind], "udp") == 0)
			flow.proto = IPPROTO_UDP;
		else if (strcmp(argv[optind], "tcp") == 0)
			flow.proto = IPPROTO_TCP;
		else
			return usage();
		v = parse_num(argv[optind + 1], 1, UINT16_MAX);
		if (v < 0)
			return usage();
		flow.dst_port = htons((uint16_t)v);
	} else if (argc - optind != 0) {
		return usage();
	}

	if (strcmp(path, "-") == 0 && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "dump: not writing a pcap to a terminal "
			"(-w FILE, or a pipe)\n");
		return 1;
	}

	err = bifurc_open(&q, ifname, (unsigned int)queue, &opts);
	if (err) {
		fprintf(stderr, "dump: %s queue %lld: %s\n", ifname, queue,
			bifurc_strerror(err));
		return 1;
	}
	if (flow.proto) {
		rule = bifurc_flow_add(q, &flow);
		if (rule < 0) {
			fprintf(stderr, "dump: flow: %s\n",
				bifurc_strerror(rule));
			bifurc_close(q);
			return 1;
		}
	}
	pd = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, SNAPLEN,
						  PCAP_TSTAMP_PRECISION_NANO);
	if (!pd) {
		fprintf(stderr, "dump: pcap: out of memory\n");
		bifurc_close(q);
		return 1;
	}
	/* "-" is standard output to libpcap too.  The header goes out now. */
	pw = pcap_dump_open(pd, path);
	err = pw ? dump_flush(pw) : 0;
	if (!pw || err) {
		fprintf(stderr, "dump: %s: %s\n", path,
			pw ? strerror(-err) : pcap_geterr(pd));
		if (pw)
			pcap_dump_close(pw);
		pcap_close(pd);
		bifurc_close(q);
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake bifurc_wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed reader is a write error */

	if (flow.proto)
		fprintf(stderr, "dump: capturing %s queue %lld, %s dst-port %u "
			"steered (rule %d), to %s\n", ifname, queue,
			flow.proto == IPPROTO_UDP ? "udp" : "tcp",
			ntohs(flow.dst_port), rule, path);
	else
		fprintf(stderr, "dump: capturing %s queue %lld to %s\n",
			ifname, queue, path);

	while (!stop && (!count || frames < count)) {
		n = bifurc_rx_burst(q, pkts + held, BURST);
		if (n < 0) {
			fprintf(stderr, "dump: %s\n", bifurc_strerror(n));
			ret = 1;
			break;
		}
		if (n == 0) {
			err = bifurc_wait(q, 100);
			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "dump: %s\n", bifurc_strerror(err));
				ret = 1;
				break;
			}
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		n += (int)held;

		/* A frame of several buffers is several pkts, EOP on the last. */
		nfr = 0;
		for (first = 0; first < (unsigned int)n; first = i + 1) {
			for (i = first; i < (unsigned int)n - 1 &&
			     !(pkts[i].flags & BIFURC_PKT_EOP); i++)
				;
			if (!(pkts[i].flags & BIFURC_PKT_EOP))
				break;	/* the rest comes in the next burst */
			if (count && frames + nfr == count) {
				/* enough: the rest goes back unwritten */
				first = (unsigned int)n;
				break;
			}
			bytes += dump_frame(pw, &ts, pkts, first, i);
			nfr++;
		}
		done = first < (unsigned int)n ? first : (unsigned int)n;
		if (nfr) {
			err = dump_flush(pw);
			if (err) {
				fprintf(stderr, "dump: %s: %s\n", path,
					strerror(-err));
				ret = 1;
			}
			frames += nfr;
		}
		/* every buffer of a written (or skipped) frame goes back */
		if (done) {
			err = bifurc_rx_release(q, pkts, done);
			if (err) {
				fprintf(stderr, "dump: %s\n", bifurc_strerror(err));
				ret = 1;
			}
		}
		held = (unsigned int)n - done;
		if (held >= BURST) {
			/* a frame of more than BURST buffers: not a real one */
			bifurc_rx_release(q, pkts, held);
			partial++;
			held = 0;
		} else if (held && done) {
			memmove(pkts, pkts + done, held * sizeof(pkts[0]));
		}
		if (ret)
			break;
	}
	if (held) {
		partial++;
		bifurc_rx_release(q, pkts, held);
	}

	pcap_dump_close(pw);
	pcap_close(pd);
	err = bifurc_stats(q, &st);
	fprintf(stderr, "dump: %llu frames %llu bytes written to %s, "
		"incomplete %llu, no-buffer drops %llu\n", frames, bytes, path,
		partial, err ? 0ULL : (unsigned long long)st.rx_no_buf);
	bifurc_close(q);
	return ret;
}
