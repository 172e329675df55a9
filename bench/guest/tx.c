// SPDX-License-Identifier: GPL-2.0
/*
 * bench-tx: send one UDP flow of 60-byte frames (64 on the wire) from one
 * NIC queue for a fixed time, count them where they arrive, on the other
 * port, and say what sending them cost the whole machine.
 *
 *   bench-tx -m METHOD -i IFNAME -q QUEUE -A NETNS:IFNAME -D DST_MAC
 *            -d DST_IP -s SRC_IP -p PORT [-r RATE] [-b] [-c CPU]
 *            [-P IRQ_CPU] [-w WARMUP] [-t SECONDS] [-M MAPS_FILE]
 *   bench-tx -m none -A NETNS:IFNAME [-c CPU] [-w WARMUP] [-t SECONDS]
 *
 * Methods: bifurc (libbifurc's TX on a reserved queue), afxdp (AF_XDP
 * zero-copy TX, libxdp), sendmmsg (kernel UDP socket, batches of 32);
 * none sends nothing and only measures, while another program (DPDK's
 * testpmd txonly) sends.  -c pins the sender, -P the queue's vector (the
 * port's others to the other CPU of two).  -M copies our memory map
 * there after setup, for the profile; profile marks (prof_mark(), as in
 * bench-rx) bracket the window.
 *
 * RATE 0 (the default) is saturation: batches of 32 as fast as the method
 * takes them.  Otherwise a batch of 32 every 32 / RATE s, the sender
 * sleeping in clock_nanosleep(TIMER_ABSTIME) in between, as a paced
 * application would.
 *
 * Timeline: setup | WARMUP s of sending | measured window of SECONDS s |
 * no more frames, wait up to 1 s for the NIC to give every buffer back.
 *
 * The frames are counted on the receiving port (-A): bench/guest/run.sh
 * steers them to its Flow Director drop action, so no CPU of the guest
 * handles them, and the 82599's good-frames counter (ethtool -S
 * rx_pkts_nic: GPRC - MPC) counts them.  The program reads it itself
 * (SIOCETHTOOL on a socket opened in that port's network namespace) at
 * both ends of the window, next to its CPU snapshots (cpu.c, as bench-rx:
 * every CPU's exact busy time, interrupts, context switches), and
 * "ns_per_pkt" is all CPUs' busy time per frame delivered in the window.
 * One JSON object on a line starting "result " reports the deltas.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cpu.h"
#include "tx.h"

static const struct tx_method *const methods[] = {
	&tx_bifurc, &tx_afxdp, &tx_sendmmsg,
};

static volatile sig_atomic_t stop;
static char vec_name[64] = " (none)";
static cpu_set_t home_cpus;
static int online_cpus;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

void tx_write_frame(struct tx_ctx *ctx, void *dst)
{
	memcpy(dst, ctx->frame, TX_FRAME_LEN);
	memcpy((uint8_t *)dst + TX_PAYLOAD_OFF, &ctx->seq, sizeof(ctx->seq));
	ctx->seq++;
}

void tx_write_payload(struct tx_ctx *ctx, void *dst)
{
	memcpy(dst, ctx->frame + TX_PAYLOAD_OFF, TX_PAYLOAD_LEN);
	memcpy(dst, &ctx->seq, sizeof(ctx->seq));
	ctx->seq++;
}

/* ---- the counting port ---------------------------------------------- */

struct count_port {
	int fd;			/* a socket in the port's namespace */
	char ifname[IFNAMSIZ];
	uint32_t n;		/* ethtool -S counters */
	int rx, fdir;		/* rx_pkts_nic, fdir_match (-1: none) */
	struct ethtool_stats *st;
};

static int ethtool(struct count_port *p, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, p->ifname, sizeof(ifr.ifr_name));
	ifr.ifr_data = cmd;
	return ioctl(p->fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* "NETNS:IFNAME": a socket there, and where its two counters are. */
static int port_open(struct count_port *p, const char *spec)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t len;
	} si = { .hdr = { .cmd = ETHTOOL_GSSET_INFO,
			  .sset_mask = 1ULL << ETH_SS_STATS } };
	struct ethtool_gstrings *names;
	char path[128], ns[64];
	const char *colon = strchr(spec, ':');
	int self, there, err = 0;
	uint32_t i;

	if (!colon || (size_t)(colon - spec) >= sizeof(ns) ||
	    strlen(colon + 1) >= IFNAMSIZ)
		return -EINVAL;
	memcpy(ns, spec, (size_t)(colon - spec));
	ns[colon - spec] = '\0';
	strcpy(p->ifname, colon + 1);
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	there = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || there < 0 || setns(there, CLONE_NEWNET)) {
		err = -errno;
	} else {
		p->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (p->fd < 0)
			err = -errno;
		if (setns(self, CLONE_NEWNET) && !err)
			err = -errno;
	}
	if (self >= 0)
		close(self);
	if (there >= 0)
		close(there);
	if (err)
		return err;
	err = ethtool(p, &si);
	if (err)
		return err;
	p->n = si.len;
	names = calloc(1, sizeof(*names) + (size_t)p->n * ETH_GSTRING_LEN);
	p->st = calloc(1, sizeof(*p->st) + (size_t)p->n * sizeof(uint64_t));
	if (!names || !p->st)
		return -ENOMEM;
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = p->n;
	err = ethtool(p, names);
	p->rx = p->fdir = -1;
	for (i = 0; !err && i < p->n; i++) {
		const char *s = (const char *)names->data + i * ETH_GSTRING_LEN;

		if (strcmp(s, "rx_pkts_nic") == 0)
			p->rx = (int)i;
		else if (strcmp(s, "fdir_match") == 0)
			p->fdir = (int)i;
	}
	free(names);
	if (!err && p->rx < 0)
		err = -ENOENT;
	return err;
}

struct port_count {
	uint64_t rx, fdir;
};

static int port_read(struct count_port *p, struct port_count *c)
{
	int err;

	memset(p->st, 0, sizeof(*p->st));
	p->st->cmd = ETHTOOL_GSTATS;
	p->st->n_stats = p->n;
	err = ethtool(p, p->st);
	if (err) {
		fprintf(stderr, "bench-tx: ethtool -S %s: %s\n", p->ifname,
			strerror(-err));
		return err;
	}
	c->rx = p->st->data[p->rx];
	c->fdir = p->fdir >= 0 ? p->st->data[p->fdir] : 0;
	return 0;
}

/*
 * The sending port's vectors ("IFNAME-TxRx-N"): the queue's on irq_cpu,
 * every other one on the other CPU of two, as run.sh's pin_irqs.  Done
 * here, after setup, because an XDP attach re-requests the vectors.
 */
static void pin_vectors(const char *ifname, unsigned int queue, int irq_cpu)
{
	static char buf[65536];
	char *line, *save, *p, name[64], path[64], mine[64];
	int irq, fd, cpu;

	if (slurp("/proc/interrupts", buf, sizeof(buf)) <= 0)
		return;
	snprintf(name, sizeof(name), "%s-TxRx-", ifname);
	snprintf(mine, sizeof(mine), "%s-TxRx-%u", ifname, queue);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		p = strrchr(line, ' ');
		if (!p || strncmp(p + 1, name, strlen(name)) ||
		    sscanf(line, " %d:", &irq) != 1)
			continue;
		cpu = strcmp(p + 1, mine) == 0 ? irq_cpu : 1 - irq_cpu;
		snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list",
			 irq);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			dprintf(fd, "%d\n", cpu);
			close(fd);
		}
	}
}

/* For the profile (bench/prof/report.py): where our code is mapped. */
static void copy_maps(const char *path)
{
	static char buf[65536];
	ssize_t n = slurp("/proc/self/maps", buf, sizeof(buf));
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd >= 0 && n > 0 && write(fd, buf, (size_t)n) != n)
		fprintf(stderr, "bench-tx: %s: short write\n", path);
	if (fd >= 0)
		close(fd);
}

/* ---- the frame ------------------------------------------------------ */

static int parse_mac(const char *s, uint8_t *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -EINVAL;
}

static uint16_t ip_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Ethernet to the receiving port's MAC from this port's, IPv4 (DF, TTL
 * 64), UDP without checksum (allowed over IPv4), 18 bytes of payload.
 */
static int build_frame(struct tx_ctx *ctx, const uint8_t *dst_mac)
{
	uint8_t *f = ctx->frame, *ip = f + 14, *udp = ip + 20;
	char path[128], buf[64];
	uint16_t csum;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ctx->ifname);
	if (slurp(path, buf, sizeof(buf)) <= 0 || parse_mac(buf, f + 6))
		return -ENODEV;
	memset(f, 0, TX_FRAME_LEN);
	parse_mac(buf, f + 6);
	memcpy(f, dst_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = TX_FRAME_LEN - 14;
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &ctx->src_ip, 4);
	memcpy(ip + 16, &ctx->dst_ip, 4);
	csum = ip_csum(ip, 20);
	ip[10] = (uint8_t)(csum >> 8);
	ip[11] = (uint8_t)csum;
	udp[0] = (uint8_t)(ctx->src_port >> 8);
	udp[1] = (uint8_t)ctx->src_port;
	udp[2] = (uint8_t)(ctx->dst_port >> 8);
	udp[3] = (uint8_t)ctx->dst_port;
	udp[5] = TX_FRAME_LEN - 34;
	return 0;
}

/* ---- sending -------------------------------------------------------- */

struct pace {
	uint64_t rate;		/* frames/s; 0: saturation */
	uint64_t next;		/* when the next batch is due */
};

/*
 * Send until "until": a batch of TX_BATCH frames at a time, paced or not.
 * 0 or -errno (message printed).
 */
static int pump(const struct tx_method *m, struct tx_ctx *ctx,
		struct pace *pc, uint64_t until)
{
	struct timespec ts;
	unsigned int left;
	int n, err;

	while (!stop && now_ns() < until) {
		left = TX_BATCH;
		while (left && !stop) {
			n = m->send(ctx, left);
			if (n < 0) {
				fprintf(stderr, "bench-tx: %s: send: %s\n",
					m->name, strerror(-n));
				return n;
			}
			left -= (unsigned int)n;
			if (n)
				continue;
			/* no buffer free: wait for the NIC to give some back */
			err = m->wait(ctx);
			if (err && err != -EINTR && err != -EAGAIN) {
				fprintf(stderr, "bench-tx: %s: wait: %s\n",
					m->name, strerror(-err));
				return err;
			}
			if (!pc->rate || now_ns() >= until)
				break;
		}
		if (pc->rate) {
			pc->next += TX_BATCH * 1000000000ull / pc->rate;
			ts.tv_sec = (time_t)(pc->next / 1000000000ull);
			ts.tv_nsec = (long)(pc->next % 1000000000ull);
			ctx->syscalls++;
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		}
	}
	return 0;
}

/* After the run: every buffer back from the NIC, or 1 s passed. */
static uint64_t drain(const struct tx_method *m, struct tx_ctx *ctx)
{
	uint64_t deadline = now_ns() + 1000000000ull, left;

	while ((left = m->outstanding(ctx)) && now_ns() < deadline)
		m->wait(ctx);
	return left;
}

static void snapshot(const struct tx_method *m, struct tx_ctx *ctx,
		     struct snap *s)
{
	memset(s, 0, sizeof(*s));
	if (m && m->sync)
		m->sync(ctx);
	s->pkts = ctx->sent;
	s->syscalls = ctx->syscalls;
	snap_machine(s, vec_name, online_cpus, &home_cpus);
}

static double per(uint64_t v, uint64_t pkts)
{
	return pkts ? (double)v / (double)pkts : 0.0;
}

static void print_result(const char *name, const struct tx_ctx *ctx,
			 uint64_t rate, const struct snap *a,
			 const struct snap *b, const struct port_count *pa,
			 const struct port_count *pb,
			 const struct port_count *p0,
			 const struct port_count *p1, uint64_t left, int cpu)
{
	uint64_t window = b->t_ns - a->t_ns, delivered = pb->rx - pa->rx;
	uint64_t cpus[MAX_CPUS] = { 0 }, busy;
	int c;

	busy = cpu_busy(a, b, cpus);
	printf("result {\"method\": \"%s%s\", \"rate\": %" PRIu64
	       ", \"cpu_pin\": %d, \"window_ns\": %" PRIu64
	       ", \"sent\": %" PRIu64 ", \"delivered\": %" PRIu64
	       ", \"delivered_fdir\": %" PRIu64 ", \"busy_ns\": %" PRIu64
	       ", \"thread_ns\": %" PRIu64 ", \"syscalls\": %" PRIu64
	       ", \"ctxt\": %" PRIu64 ", \"intr\": %" PRIu64
	       ", \"vec_irqs\": %" PRId64 ", \"exact_idle\": %s",
	       name, ctx->busy_poll ? "-busy" : "", rate, cpu, window,
	       b->pkts - a->pkts, delivered, pb->fdir - pa->fdir, busy,
	       b->thread_ns - a->thread_ns, b->syscalls - a->syscalls,
	       b->ctxt - a->ctxt, b->intr - a->intr,
	       a->vec_irqs < 0 || b->vec_irqs < 0 ? -1 :
	       b->vec_irqs - a->vec_irqs,
	       a->kt_ok && b->kt_ok ? "true" : "false");
	printf(", \"pps\": %.0f, \"ns_per_pkt\": %.1f, \"percpu_busy_ns\": [",
	       window ? (double)delivered * 1e9 / (double)window : 0.0,
	       per(busy, delivered));
	for (c = 0; c < b->ncpu && c < MAX_CPUS; c++)
		printf("%s%" PRIu64, c ? ", " : "", cpus[c]);
	printf("], \"total_sent\": %" PRIu64 ", \"total_delivered\": %" PRIu64
	       ", \"outstanding\": %" PRIu64 "}\n", ctx->sent, p1->rx - p0->rx,
	       left);
	fflush(stdout);
}

static int usage(void)
{
	size_t i;

	fprintf(stderr, "usage: bench-tx -m METHOD -i IFNAME -q QUEUE "
		"-A NETNS:IFNAME -D DST_MAC -d DST_IP -s SRC_IP -p PORT "
		"[-r RATE] [-b] [-c CPU] [-P IRQ_CPU] [-w WARMUP] [-t SECONDS]\n"
		"                [-M MAPS_FILE]\n"
		"       bench-tx -m none -A NETNS:IFNAME [-c CPU] [-w WARMUP] "
		"[-t SECONDS]\nmethods:\n");
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		fprintf(stderr, "  %-9s %s\n", methods[i]->name,
			methods[i]->what);
	fprintf(stderr, "  %-9s %s\n", "none", "measure only (another "
		"program sends)");
	return 2;
}

int main(int argc, char **argv)
{
	struct tx_ctx ctx = { .queue = 1, .src_port = 9200 };
	struct port_count p0, pa, pb, p1;
	const struct tx_method *m = NULL;
	struct count_port port = { .fd = -1 };
	const char *count_spec = NULL, *name = NULL, *maps = NULL;
	double warm = 0.2, secs = 1;
	uint8_t dst_mac[6];
	int opt, cpu = -1, irq_cpu = -1, err, have_mac = 0;
	struct pace pc = { 0 };
	struct sigaction sa;
	struct snap a, b;
	uint64_t t, left = 0;
	size_t i;

	while ((opt = getopt(argc, argv, "m:i:q:A:D:d:s:p:r:bc:P:w:t:M:")) != -1) {
		switch (opt) {
		case 'm':
			name = optarg;
			for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
				if (strcmp(optarg, methods[i]->name) == 0)
					m = methods[i];
			if (!m && strcmp(optarg, "none"))
				return usage();
			break;
		case 'i': ctx.ifname = optarg; break;
		case 'q': ctx.queue = (unsigned int)atoi(optarg); break;
		case 'A': count_spec = optarg; break;
		case 'D':
			if (parse_mac(optarg, dst_mac))
				return usage();
			have_mac = 1;
			break;
		case 'd':
			if (inet_pton(AF_INET, optarg, &ctx.dst_ip) != 1)
				return usage();
			break;
		case 's':
			if (inet_pton(AF_INET, optarg, &ctx.src_ip) != 1)
				return usage();
			break;
		case 'p': ctx.dst_port = (uint16_t)atoi(optarg); break;
		case 'r': pc.rate = strtoull(optarg, NULL, 10); break;
		case 'b': ctx.busy_poll = 1; break;
		case 'c': cpu = atoi(optarg); break;
		case 'P': irq_cpu = atoi(optarg); break;
		case 'w': warm = atof(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'M': maps = optarg; break;
		default: return usage();
		}
	}
	if (!name || !count_spec || secs <= 0 || warm < 0 || optind != argc ||
	    (m && (!ctx.ifname || !have_mac || !ctx.dst_ip || !ctx.src_ip ||
		   !ctx.dst_port)))
		return usage();
	if (ctx.ifname)
		snprintf(vec_name, sizeof(vec_name), " %s-TxRx-%u",
			 ctx.ifname, ctx.queue);

	/* before any thread exists (libxdp's): setns is per thread */
	err = port_open(&port, count_spec);
	if (err) {
		fprintf(stderr, "bench-tx: counting port %s: %s\n", count_spec,
			strerror(-err));
		return 1;
	}
	online_cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (cpu >= 0) {
		CPU_ZERO(&home_cpus);
		CPU_SET(cpu, &home_cpus);
		if (sched_setaffinity(0, sizeof(home_cpus), &home_cpus)) {
			perror("bench-tx: sched_setaffinity");
			return 1;
		}
	} else if (sched_getaffinity(0, sizeof(home_cpus), &home_cpus)) {
		perror("bench-tx: sched_getaffinity");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (m && (build_frame(&ctx, dst_mac) || m->setup(&ctx)))
		return 1;
	if (m && irq_cpu >= 0)
		pin_vectors(ctx.ifname, ctx.queue, irq_cpu);
	if (maps)
		copy_maps(maps);
	if (port_read(&port, &p0))
		goto fail;

	t = now_ns();
	pc.next = t;
	if (!m)
		usleep((useconds_t)(warm * 1e6));
	else if (pump(m, &ctx, &pc, t + (uint64_t)(warm * 1e9)))
		goto fail;
	if (port_read(&port, &pa))
		goto fail;
	snapshot(m, &ctx, &a);
	prof_mark();
	if (m) {
		if (pump(m, &ctx, &pc, a.t_ns + (uint64_t)(secs * 1e9)))
			goto fail;
	} else {
		usleep((useconds_t)(secs * 1e6));
	}
	prof_mark();
	snapshot(m, &ctx, &b);
	if (port_read(&port, &pb))
		goto fail;
	if (m)
		left = drain(m, &ctx);
	if (port_read(&port, &p1))
		goto fail;
	print_result(name, &ctx, pc.rate, &a, &b, &pa, &pb, &p0, &p1, left,
		     cpu);
	if (m)
		m->teardown(&ctx);
	return 0;
fail:
	fprintf(stderr, "bench-tx: %s: failed\n", name);
	if (m)
		m->teardown(&ctx);
	return 1;
}
