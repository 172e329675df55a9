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
 * The file is a classic pcap (not pcapng): LINKTYPE_ETHERNET, microsecond
 * timestamps, snaplen 65535, in host byte order as libpcap writes it.
 * Frames go from the pool to the file with no copy in between: one
 * writev() per burst points straight into the buffers rx_burst handed out,
 * then the whole burst goes back with one rx_release.  All frames of a
 * burst carry the time the burst was taken (the library has no per-frame
 * receive time).
 *
 * Messages go to standard error, as the pcap may be on standard output:
 * one line once the queue is open and the flow steered, one summary line
 * at the end.  Exit status 0, 1 on a runtime error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <bifurc.h>

#define BURST		64
#define SNAPLEN		65535U
#define LINKTYPE_ETHERNET 1U
#define PCAP_MAGIC_US	0xa1b2c3d4U	/* microsecond timestamps */

/* pcap file header and per-record header (libpcap's savefile format). */
struct pcap_file_hdr {
	uint32_t magic;
	uint16_t version_major;
	uint16_t version_minor;
	int32_t  thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

struct pcap_rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_usec;
	uint32_t incl_len;
	uint32_t orig_len;
};

_Static_assert(sizeof(struct pcap_file_hdr) == 24, "pcap file header");
_Static_assert(sizeof(struct pcap_rec_hdr) == 16, "pcap record header");

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
 * Write every byte the iovecs describe, across short writes and EINTR.
 * The iovec array is consumed.  0 or -errno.
 */
static int write_all(int fd, struct iovec *iov, int cnt)
{
	ssize_t w;

	while (cnt > 0) {
		w = writev(fd, iov, cnt > IOV_MAX ? IOV_MAX : cnt);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		while (cnt > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct pcap_file_hdr fh = {
		.magic = PCAP_MAGIC_US, .version_major = 2, .version_minor = 4,
		.snaplen = SNAPLEN, .linktype = LINKTYPE_ETHERNET,
	};
	struct bifurc_opts opts = { .size = sizeof(opts) };
	struct bifurc_flow flow = { .size = sizeof(flow) };
	/* pkts[0..held) are the first buffers of a frame still arriving */
	struct bifurc_pkt pkts[2 * BURST];
	struct pcap_rec_hdr rec[BURST];
	struct iovec iov[3 * BURST];
	unsigned long long frames = 0, bytes = 0, count = 0, partial = 0;
	const char *ifname = NULL, *path = "-";
	long long queue = -1, v;
	unsigned int held = 0, i, first, nfr, niov, done, take;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	struct sigaction sa;
	struct timespec ts;
	int fd = STDOUT_FILENO, err, n, opt, rule = -1, ret = 0;
	uint32_t caplen, left, seg;

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

	if (strcmp(path, "-") == 0 && isatty(fd)) {
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
	if (strcmp(path, "-") != 0) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			fprintf(stderr, "dump: %s: %s\n", path, strerror(errno));
			bifurc_close(q);
			return 1;
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake bifurc_wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed reader is a write error */

	iov[0].iov_base = (void *)&fh;
	iov[0].iov_len = sizeof(fh);
	err = write_all(fd, iov, 1);
	if (err) {
		fprintf(stderr, "dump: %s: %s\n", path, strerror(-err));
		bifurc_close(q);
		return 1;
	}
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

		/*
		 * One record per frame: a header, then the frame's buffers
		 * straight from the pool.  A frame longer than one buffer is
		 * several pkts, the last with EOP.
		 */
		niov = nfr = done = 0;
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
			rec[nfr].orig_len = 0;
			for (take = first; take <= i; take++)
				rec[nfr].orig_len += pkts[take].len;
			caplen = rec[nfr].orig_len < SNAPLEN ?
				 rec[nfr].orig_len : SNAPLEN;
			rec[nfr].ts_sec = (uint32_t)ts.tv_sec;
			rec[nfr].ts_usec = (uint32_t)(ts.tv_nsec / 1000);
			rec[nfr].incl_len = caplen;
			iov[niov].iov_base = &rec[nfr];
			iov[niov++].iov_len = sizeof(rec[nfr]);
			for (take = first, left = caplen; take <= i && left;
			     take++) {
				if (niov == sizeof(iov) / sizeof(iov[0]))
					break;	/* cannot happen with BURST */
				seg = pkts[take].len < left ? pkts[take].len : left;
				iov[niov].iov_base = pkts[take].data;
				iov[niov++].iov_len = seg;
				left -= seg;
			}
			bytes += rec[nfr].orig_len;
			nfr++;
		}
		done = first < (unsigned int)n ? first : (unsigned int)n;
		if (nfr) {
			err = write_all(fd, iov, (int)niov);
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

	if (fd != STDOUT_FILENO && close(fd) && !ret) {
		fprintf(stderr, "dump: %s: %s\n", path, strerror(errno));
		ret = 1;
	}
	err = bifurc_stats(q, &st);
	fprintf(stderr, "dump: %llu frames %llu bytes written to %s, "
		"incomplete %llu, no-buffer drops %llu\n", frames, bytes, path,
		partial, err ? 0ULL : (unsigned long long)st.rx_no_buf);
	bifurc_close(q);
	return ret;
}
