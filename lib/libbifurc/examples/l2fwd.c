// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * l2fwd: forward every frame one bifurc queue receives out of another.
 *
 *   l2fwd [-s] [-b] [-t SECONDS] IF1 Q1 IF2 Q2 [udp|tcp DST_PORT]
 *
 * Frames received on queue Q1 of IF1 leave through TX queue Q2 of IF2 (two
 * queues of one port, or of two ports), as they came, or with -s with
 * their destination and source MAC addresses swapped.  With a protocol
 * and port, l2fwd first steers that flow to Q1 (the rule goes away when
 * l2fwd exits).  -b busy-poll, -t stop after SECONDS.
 *
 * Copy or zero copy.  The ABI gives every attachment its own buffer pool
 * (<linux/bifurc.h> section 3: one open file, one attachment, one pool,
 * freed with it), and a tx entry names a buffer by its id in the
 * attachment's own pool, checked against that pool's size and that
 * file's ownership record (section 4a).  There is no way to name a
 * buffer of queue A's pool on queue B's tx ring, and no shared pool
 * (nothing like AF_XDP's XDP_SHARED_UMEM).  So between two queues l2fwd
 * copies: the received frame goes, with one memcpy, into a buffer of
 * Q2's TX reserve (bifurc_tx_alloc; Q2 is opened transmit-only), and the
 * received buffer goes straight back to Q1's fill ring.  Only when both
 * are the same queue (IF1 Q1 = IF2 Q2: out of the port it came in) is the
 * received buffer itself transmitted, with no copy at all, as udp-echo
 * does.  The first line printed says which ("copy" or "zero copy").
 *
 * The frame leaves as it arrived: a frame of several buffers is sent
 * whole, and an 802.1Q tag the NIC stripped (BIFURC_PKT_VLAN) is put
 * back.  A frame longer than Q2 may send (max_tx_frame, IF2's MTU), or,
 * in zero copy mode, a tagged frame without room for its tag, counts as
 * "too long"; one for which Q2 has no free buffer or no tx ring room is
 * dropped, as a switch drops at a busy port.  Without CAP_NET_RAW the
 * kernel sends only frames from IF2's own addresses (libbifurc(7),
 * Permissions); the others come back refused and count as "refused".
 *
 * Prints one line once the queues are open (and the flow steered), the
 * rate once a second, and a "total" line at the end (SIGINT, SIGTERM or
 * -t).  Frames still queued then are dropped with the queue.  Exit status
 * 0, 1 on a runtime error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bifurc.h>

#define BURST		64
#define MAX_FRAGS	8	/* buffers in one transmitted frame */
#define MIN_FRAME	60	/* without FCS; the NIC adds that */
#define ETH_ADDRS	12	/* destination and source MAC */
#define VLAN_HLEN	4
#define OUT_BUFS	1024	/* Q2's pool, all of it the TX reserve */
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: l2fwd [-s] [-b] [-t SECONDS] IF1 Q1 IF2 Q2 "
		"[udp|tcp DST_PORT]\n");
	return 2;
}

/* A whole decimal number in [min, max], or -1. */
static long parse_num(const char *s, long min, long max)
{
	char *end;
	long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	return v;
}

struct l2fwd {
	struct bifurc_queue *in, *out;	/* the same queue: zero copy */
	struct bifurc_queue_info ii, oi;
	bool swap;
	unsigned long long frames, bytes;	/* handed to Q2 */
	unsigned long long dropped;	/* no TX buffer or tx ring room */
	unsigned long long too_long;
	/*
	 * One burst's tx entries and the buffers they name (Q2's, or in zero
	 * copy mode the received ones).  A copied frame may take one buffer
	 * more than it came in (its tag back on a full buffer).
	 */
	struct bifurc_tx tx[4 * BURST];
	struct bifurc_pkt txb[4 * BURST];
	unsigned int ntx;
	unsigned int frame_end[2 * BURST];	/* frames end at these entries */
	unsigned int nframes;
	uint32_t frame_len[2 * BURST];
	/* received buffers to give back after the burst */
	struct bifurc_pkt back[2 * BURST];
	unsigned int nback;
};

/* A frame being copied into Q2's buffers: txb[cur], tx[cur] fill next. */
struct out_frame {
	struct l2fwd *f;
	unsigned int cur;
};

static void put(struct out_frame *o, const uint8_t *src, uint32_t len)
{
	uint32_t room = o->f->oi.buf_size - o->f->oi.rx_headroom, chunk;
	struct bifurc_tx *t;

	while (len) {
		t = &o->f->tx[o->cur];
		if (t->len == room) {
			o->cur++;
			continue;
		}
		chunk = room - t->len < len ? room - t->len : len;
		memcpy((uint8_t *)o->f->txb[o->cur].data + t->len, src, chunk);
		t->len += chunk;
		src += chunk;
		len -= chunk;
	}
}

/* The first ETH_ADDRS bytes as they leave: swapped with -s. */
static void addrs(const struct l2fwd *f, const uint8_t *in, uint8_t *out)
{
	memcpy(out, f->swap ? in + 6 : in, 6);
	memcpy(out + 6, f->swap ? in : in + 6, 6);
}

/* Bytes of the frame in seg[0..nseg) as received. */
static uint32_t in_len(const struct bifurc_pkt *seg, unsigned int nseg)
{
	uint32_t len = 0;
	unsigned int i;

	for (i = 0; i < nseg; i++)
		len += seg[i].len;
	return len;
}

/* ... and as it leaves: with its stripped tag back, padded to 60. */
static uint32_t out_len(const struct bifurc_pkt *seg, unsigned int nseg)
{
	uint32_t len = in_len(seg, nseg);

	if (seg[nseg - 1].flags & BIFURC_PKT_VLAN)
		len += VLAN_HLEN;
	return len < MIN_FRAME ? MIN_FRAME : len;
}

/*
 * Copy mode: the frame in seg[0..nseg) of Q1 into fresh buffers of Q2's
 * reserve, as tx entries.  The received buffers go back at once.
 */
static void copy_frame(struct l2fwd *f, const struct bifurc_pkt *seg,
		       unsigned int nseg)
{
	static const uint8_t zeros[MIN_FRAME];
	const struct bifurc_pkt *last = &seg[nseg - 1];
	uint32_t room = f->oi.buf_size - f->oi.rx_headroom;
	uint32_t len = out_len(seg, nseg), hlen = ETH_ADDRS;
	struct out_frame o = { f, f->ntx };
	uint8_t hdr[ETH_ADDRS + VLAN_HLEN];
	unsigned int need, i;
	int got;

	memcpy(f->back + f->nback, seg, nseg * sizeof(*seg));
	f->nback += nseg;
	need = (len + room - 1) / room;
	if (len > f->oi.max_tx_frame || need > MAX_FRAGS ||
	    seg[0].len < ETH_ADDRS) {
		f->too_long++;
		return;
	}
	got = need <= ARRAY_LEN(f->tx) - f->ntx ?
	      bifurc_tx_alloc(f->out, f->txb + f->ntx, need) : 0;
	if (got < (int)need) {
		/* all in flight: back to the reserve, the frame is dropped */
		if (got > 0)
			bifurc_rx_release(f->out, f->txb + f->ntx,
					  (unsigned int)got);
		f->dropped++;
		return;
	}
	for (i = 0; i < need; i++)
		f->tx[f->ntx + i] = (struct bifurc_tx){
			.buf = f->txb[f->ntx + i].buf,
			.offset = f->oi.rx_headroom,
			.flags = i + 1 < need ? BIFURC_TX_MORE : 0 };
	addrs(f, seg[0].data, hdr);
	if (last->flags & BIFURC_PKT_VLAN) {
		hdr[12] = 0x81;
		hdr[13] = 0x00;
		hdr[14] = (uint8_t)(last->vlan_tci >> 8);
		hdr[15] = (uint8_t)last->vlan_tci;
		hlen += VLAN_HLEN;
	}
	put(&o, hdr, hlen);
	put(&o, (const uint8_t *)seg[0].data + ETH_ADDRS,
	    seg[0].len - ETH_ADDRS);
	for (i = 1; i < nseg; i++)
		put(&o, seg[i].data, seg[i].len);
	put(&o, zeros, len - (hlen - ETH_ADDRS) - in_len(seg, nseg));
	f->ntx += need;
	f->frame_end[f->nframes] = f->ntx;
	f->frame_len[f->nframes++] = len;
}

/*
 * Zero copy mode: the received buffers themselves become the tx entries,
 * rewritten in place (addresses, tag, padding) where they must change.
 */
static void send_in_place(struct l2fwd *f, const struct bifurc_pkt *seg,
			  unsigned int nseg)
{
	uint32_t room = f->ii.buf_size - f->ii.rx_headroom;
	uint32_t len = out_len(seg, nseg), len0 = seg[0].len;
	const struct bifurc_pkt *last = &seg[nseg - 1];
	uint8_t *d = seg[0].data, hdr[ETH_ADDRS];
	unsigned int i;

	/* A tag or padding goes in place: only into a frame of one buffer. */
	if (len > f->oi.max_tx_frame || nseg > MAX_FRAGS ||
	    len0 < ETH_ADDRS ||
	    (len != in_len(seg, nseg) && (nseg > 1 || len > room))) {
		memcpy(f->back + f->nback, seg, nseg * sizeof(*seg));
		f->nback += nseg;
		f->too_long++;
		return;
	}
	addrs(f, d, hdr);
	memcpy(d, hdr, ETH_ADDRS);
	if (last->flags & BIFURC_PKT_VLAN) {
		memmove(d + ETH_ADDRS + VLAN_HLEN, d + ETH_ADDRS,
			len0 - ETH_ADDRS);
		d[12] = 0x81;
		d[13] = 0x00;
		d[14] = (uint8_t)(last->vlan_tci >> 8);
		d[15] = (uint8_t)last->vlan_tci;
		len0 += VLAN_HLEN;
	}
	if (nseg == 1 && len0 < len) {
		memset(d + len0, 0, len - len0);
		len0 = len;
	}
	for (i = 0; i < nseg; i++) {
		f->txb[f->ntx] = seg[i];
		f->tx[f->ntx++] = (struct bifurc_tx){
			.buf = seg[i].buf,
			.offset = f->ii.rx_headroom,
			.len = i ? seg[i].len : len0,
			.flags = i + 1 < nseg ? BIFURC_TX_MORE : 0 };
	}
	f->frame_end[f->nframes] = f->ntx;
	f->frame_len[f->nframes++] = len;
}

/*
 * Hand the burst's entries to Q2; what does not fit is dropped.  Copy
 * mode: the received buffers and Q2's unsent ones go back; zero copy:
 * the unsent received buffers go back.  0 or a negative errno value.
 */
static int flush(struct l2fwd *f)
{
	bool zc = f->in == f->out;
	unsigned int i, sent = 0;
	int n, err = 0;

	if (f->ntx) {
		n = bifurc_tx_burst(f->out, f->tx, f->ntx);
		if (n < 0)
			err = n;
		else
			sent = (unsigned int)n;
	}
	for (i = 0; i < f->nframes; i++) {
		if (f->frame_end[i] <= sent) {
			f->frames++;
			f->bytes += f->frame_len[i];
		} else if (!err) {
			f->dropped++;
		}
	}
	if (sent < f->ntx) {
		if (zc) {
			memcpy(f->back + f->nback, f->txb + sent,
			       (f->ntx - sent) * sizeof(f->txb[0]));
			f->nback += f->ntx - sent;
		} else {
			bifurc_rx_release(f->out, f->txb + sent, f->ntx - sent);
		}
	}
	if (f->nback)
		bifurc_rx_release(f->in, f->back, f->nback);
	f->ntx = f->nframes = f->nback = 0;
	return err;
}

/* Sent buffers back: to Q2's reserve (copy) or to the fill ring. */
static int reclaim(struct l2fwd *f)
{
	struct bifurc_pkt done[BURST];
	int n;

	n = bifurc_tx_complete(f->out, done, BURST);
	if (n > 0)
		bifurc_rx_release(f->out, done, (unsigned int)n);
	return n;
}

int main(int argc, char **argv)
{
	struct bifurc_opts in_opts = { .size = sizeof(in_opts) };
	struct bifurc_opts out_opts = { .size = sizeof(out_opts),
		.flags = BIFURC_OPT_TX, .buf_count = OUT_BUFS,
		.tx_buf_count = OUT_BUFS };
	struct bifurc_flow flow = { .size = sizeof(flow) };
	/* pkts[0..held) are the first buffers of a frame still arriving */
	struct bifurc_pkt pkts[2 * BURST];
	unsigned long long last_frames = 0;
	struct bifurc_stats in_st, out_st;
	double start, last, t, seconds = 0;
	unsigned int held = 0, first, i, done;
	struct l2fwd f = { .swap = false };
	const char *if1, *if2;
	long q1, q2, port;
	struct sigaction sa;
	int n, m, err, opt, rule = -1, ret = 0;
	char *end;

	while ((opt = getopt(argc, argv, "+sbt:")) != -1) {
		switch (opt) {
		case 's': f.swap = true; break;
		case 'b':
			in_opts.flags |= BIFURC_OPT_BUSY_POLL;
			out_opts.flags |= BIFURC_OPT_BUSY_POLL;
			break;
		case 't':
			seconds = strtod(optarg, &end);
			if (end == optarg || *end || !isfinite(seconds) ||
			    seconds <= 0)
				return usage();
			break;
		default: return usage();
		}
	}
	if (argc - optind != 4 && argc - optind != 6)
		return usage();
	if1 = argv[optind];
	if2 = argv[optind + 2];
	q1 = parse_num(argv[optind + 1], 0, UINT16_MAX);
	q2 = parse_num(argv[optind + 3], 0, UINT16_MAX);
	if (!*if1 || !*if2 || q1 < 0 || q2 < 0)
		return usage();
	if (argc - optind == 6) {
		if (strcmp(argv[optind + 4], "udp") == 0)
			flow.proto = IPPROTO_UDP;
		else if (strcmp(argv[optind + 4], "tcp") == 0)
			flow.proto = IPPROTO_TCP;
		else
			return usage();
		port = parse_num(argv[optind + 5], 1, UINT16_MAX);
		if (port < 0)
			return usage();
		flow.dst_port = htons((uint16_t)port);
	}

	/* One queue cannot be attached twice: out where it came in. */
	if (strcmp(if1, if2) == 0 && q1 == q2) {
		in_opts.flags |= BIFURC_OPT_TX;
		err = bifurc_open(&f.in, if1, (unsigned int)q1, &in_opts);
		f.out = f.in;
	} else {
		err = bifurc_open(&f.in, if1, (unsigned int)q1, &in_opts);
		if (err == 0) {
			/* transmit-only: every buffer is Q2's TX reserve */
			err = bifurc_open(&f.out, if2, (unsigned int)q2,
					  &out_opts);
			if (err) {
				fprintf(stderr, "l2fwd: %s queue %ld: %s\n",
					if2, q2, bifurc_strerror(err));
				bifurc_close(f.in);
				return 1;
			}
		}
	}
	if (err) {
		fprintf(stderr, "l2fwd: %s queue %ld: %s\n", if1, q1,
			bifurc_strerror(err));
		return 1;
	}
	bifurc_queue_info(f.in, &f.ii);
	bifurc_queue_info(f.out, &f.oi);
	if (flow.proto) {
		rule = bifurc_flow_add(f.in, &flow);
		if (rule < 0) {
			fprintf(stderr, "l2fwd: flow: %s\n",
				bifurc_strerror(rule));
			ret = 1;
			goto out;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake bifurc_wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("l2fwd: %s queue %ld -> %s queue %ld, %s%s", if1, q1, if2, q2,
	       f.in == f.out ? "zero copy" : "copy",
	       f.swap ? ", MACs swapped" : "");
	if (flow.proto)
		printf(", %s dst-port %u steered (rule %d)",
		       flow.proto == IPPROTO_UDP ? "udp" : "tcp",
		       ntohs(flow.dst_port), rule);
	printf("\n");
	fflush(stdout);

	start = last = now();
	while (!stop) {
		m = reclaim(&f);
		if (m < 0) {
			fprintf(stderr, "l2fwd: %s\n", bifurc_strerror(m));
			ret = 1;
			break;
		}
		n = bifurc_rx_burst(f.in, pkts + held, BURST);
		if (n < 0) {
			fprintf(stderr, "l2fwd: %s\n", bifurc_strerror(n));
			ret = 1;
			break;
		}
		if (n == 0 && m == 0) {
			err = bifurc_wait(f.in, 100);
			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "l2fwd: %s\n",
					bifurc_strerror(err));
				ret = 1;
				break;
			}
		}
		n += (int)held;

		/* A frame of several buffers is several pkts, EOP on the last. */
		for (first = 0; first < (unsigned int)n; first = i + 1) {
			for (i = first; i < (unsigned int)n - 1 &&
			     !(pkts[i].flags & BIFURC_PKT_EOP); i++)
				;
			if (!(pkts[i].flags & BIFURC_PKT_EOP))
				break;	/* the rest comes in the next burst */
			if (f.in == f.out)
				send_in_place(&f, pkts + first, i - first + 1);
			else
				copy_frame(&f, pkts + first, i - first + 1);
		}
		done = first < (unsigned int)n ? first : (unsigned int)n;
		err = flush(&f);
		if (err) {
			fprintf(stderr, "l2fwd: %s\n", bifurc_strerror(err));
			ret = 1;
		}
		held = (unsigned int)n - done;
		if (held >= BURST) {
			/* a frame of more than BURST buffers: not a real one */
			bifurc_rx_release(f.in, pkts, held);
			f.too_long++;
			held = 0;
		} else if (held && done) {
			memmove(pkts, pkts + done, held * sizeof(pkts[0]));
		}
		if (ret)
			break;
		t = now();
		if (t - last >= 1.0) {
			printf("%.0f pkt/s  %llu packets  %llu bytes\n",
			       (double)(f.frames - last_frames) / (t - last),
			       f.frames, f.bytes);
			fflush(stdout);
			last = t;
			last_frames = f.frames;
		}
		if (seconds > 0 && t - start >= seconds)
			break;
	}
	if (held)
		bifurc_rx_release(f.in, pkts, held);
	memset(&in_st, 0, sizeof(in_st));
	memset(&out_st, 0, sizeof(out_st));
	bifurc_stats(f.in, &in_st);
	bifurc_stats(f.out, &out_st);
	printf("total %llu packets %llu bytes forwarded, %llu dropped, "
	       "%llu too long, %llu refused, no-buffer drops %llu\n",
	       f.frames, f.bytes, f.dropped, f.too_long,
	       (unsigned long long)out_st.tx_bad_frame,
	       (unsigned long long)in_st.rx_no_buf);
out:
	if (f.out != f.in)
		bifurc_close(f.out);
	bifurc_close(f.in);
	return ret;
}
