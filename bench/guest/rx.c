// SPDX-License-Identifier: GPL-2.0
/*
 * bench-rx: receive one UDP flow from one NIC queue for a fixed time and
 * say what it cost the whole machine.
 *
 *   bench-rx -m METHOD -i IFNAME -q QUEUE -p PORT [-b] [-r] [-c CPU]
 *            [-w WARMUP] [-t SECONDS] [-s START_TIMEOUT] [-I IDLE] [-W]
 *
 * Methods: bifurc (libbifurc, -r for raw descriptor mode), recvmmsg
 * (kernel UDP socket, batches of 32), afpacket (TPACKET_V3 ring), afxdp
 * (AF_XDP zero-copy, libxdp); -b busy-polls (not afpacket).
 *
 * Timeline (bench/guest/run.sh starts the packet source after "ready"):
 *
 *   setup, "ready" | wait for the first frame | WARMUP s | measured window
 *   of SECONDS s | keep receiving until IDLE s pass without a frame
 *
 * -W (whole run) measures from before the first frame to the end of the
 * tail instead, with no snapshot while frames arrive: a snapshot takes
 * the receiving thread a few ms (/proc/timer_list), long enough for a
 * busy poller, which nothing else harvests for, to overflow its ring at
 * a few 100,000 frames/s.  The saturation search uses it.
 *
 * The window starts after a warm-up so that ring fill, ITR adaptation and
 * page faults are not billed to the steady state, and the tail is received
 * (not measured) so that the run's totals account for every frame the
 * source offered.  At both ends of the window the program snapshots
 * every CPU's exact idle time (/proc/timer_list; its complement is the
 * busy time, see cpu_busy()), /proc/stat (the user, nice, system, irq and
 * softirq tick samples for the breakdown, context switches, interrupts),
 * the interrupt count of the queue's vector, its own thread's run time
 * from /proc/thread-self/schedstat and its packet, drop and system call
 * counters.  One JSON object on a line starting "result " reports the
 * deltas; "ns_per_pkt" is all CPUs' busy time per frame received in the
 * window.  Two profile marks (prof_mark()) bracket the window.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpu.h"
#include "rx.h"

static const struct rx_method *const methods[] = {
	&rx_bifurc, &rx_recvmmsg, &rx_afpacket, &rx_afxdp,
};

static volatile sig_atomic_t stop;
static char vec_name[64];

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static cpu_set_t home_cpus;
static int online_cpus;

static void snapshot(const struct rx_method *m, struct rx_ctx *ctx,
		     struct snap *s)
{
	memset(s, 0, sizeof(*s));
	/* first: a method may bring ctx's counters up to date here */
	s->drops = m->drops(ctx);
	s->pkts = ctx->pkts;
	s->other = ctx->other;
	s->syscalls = ctx->syscalls;
	s->work_ns = ctx->work_ns;
	snap_machine(s, vec_name, online_cpus, &home_cpus);
}

static double per_pkt(uint64_t v, uint64_t pkts)
{
	return pkts ? (double)v / (double)pkts : 0.0;
}

static void print_result(const struct rx_method *m, const struct rx_ctx *ctx,
			 const struct snap *a, const struct snap *b,
			 const struct snap *start, int cpu)
{
	uint64_t pkts = b->pkts - a->pkts;
	uint64_t window = b->t_ns - a->t_ns;
	uint64_t ticked = ticks_ns(busy_ticks(b->cpu) - busy_ticks(a->cpu));
	uint64_t thread = b->thread_ns - a->thread_ns;
	uint64_t per[MAX_CPUS] = { 0 }, busy;
	int i, c;

	busy = cpu_busy(a, b, per);
	printf("result {\"method\": \"%s%s\", \"cpu_pin\": %d, "
	       "\"window_start_s\": %.3f, "
	       "\"window_ns\": %" PRIu64 ", \"pkts\": %" PRIu64
	       ", \"other\": %" PRIu64 ", \"drops\": %" PRIu64
	       ", \"syscalls\": %" PRIu64 ", \"busy_ns\": %" PRIu64
	       ", \"thread_ns\": %" PRIu64 ", \"ctxt\": %" PRIu64
	       ", \"intr\": %" PRIu64 ", \"vec_irqs\": %" PRId64,
	       m->name, ctx->busy_poll ? "-busy" : ctx->raw_desc ? "-raw" : "",
	       cpu, (double)a->t_ns / 1e9,
	       window, pkts, b->other - a->other,
	       b->drops - a->drops, b->syscalls - a->syscalls, busy, thread,
	       b->ctxt - a->ctxt, b->intr - a->intr,
	       a->vec_irqs < 0 || b->vec_irqs < 0 ? -1 :
	       b->vec_irqs - a->vec_irqs);
	printf(", \"ticked_busy_ns\": %" PRIu64 ", \"exact_idle\": %s"
	       ", \"ncpu\": %d", ticked,
	       a->kt_ok && b->kt_ok ? "true" : "false", b->ncpu);
	printf(", \"ns_per_pkt\": %.1f, \"thread_ns_per_pkt\": %.1f",
	       per_pkt(busy, pkts), per_pkt(thread, pkts));
	if (m->sleeps_in_work)
		printf(", \"work_ns_per_pkt\": null");
	else
		printf(", \"work_ns_per_pkt\": %.1f",
		       per_pkt(b->work_ns - a->work_ns, pkts));
	printf(", \"cpu_ns\": {");
	for (i = 0; i < NR_FIELDS; i++)
		printf("%s\"%s\": %" PRIu64, i ? ", " : "", field_name[i],
		       ticks_ns(b->cpu[i] - a->cpu[i]));
	printf("}, \"percpu_busy_ns\": [");
	for (c = 0; c < b->ncpu && c < MAX_CPUS; c++)
		printf("%s%" PRIu64, c ? ", " : "", per[c]);
	printf("], \"total_pkts\": %" PRIu64 ", \"total_drops\": %" PRIu64
	       ", \"total_other\": %" PRIu64 ", \"total_ns\": %" PRIu64 "}\n",
	       ctx->pkts, m->drops((struct rx_ctx *)ctx), ctx->other,
	       now_ns() - start->t_ns);
	fflush(stdout);
}

static int usage(void)
{
	size_t i;

	fprintf(stderr, "usage: bench-rx -m METHOD -i IFNAME -q QUEUE -p PORT "
		"[-b] [-r] [-c CPU] [-w WARMUP] [-t SECONDS] [-s START_TIMEOUT] "
		"[-I IDLE] [-W]\n       bench-rx -M   (one profile mark and exit)\n"
		"methods:\n");
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		fprintf(stderr, "  %-9s %s\n", methods[i]->name,
			methods[i]->what);
	return 2;
}

/*
 * One step of the receive loop; false on error (message printed).  A call
 * that returned frames never slept, so its duration is CPU time spent
 * taking frames from the method (ring handling, or the syscall and copy):
 * summed as work_ns, the part of the cost that scales with the frames
 * rather than with the wakeups.
 */
static int step(const struct rx_method *m, struct rx_ctx *ctx)
{
	uint64_t seen = ctx->pkts + ctx->other, t0 = now_ns();
	int err = m->poll(ctx);

	if (ctx->pkts + ctx->other != seen)
		ctx->work_ns += now_ns() - t0;

	if (err && err != -EINTR && err != -EAGAIN) {
		fprintf(stderr, "bench-rx: %s: %s\n", m->name, strerror(-err));
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	double warm = 0.5, secs = 3, start_to = 30, idle = 0.5;
	struct rx_ctx ctx = { .queue = 1 };
	const struct rx_method *m = NULL;
	struct snap start, a, b;
	uint64_t t, deadline, last_pkts, last_seen;
	struct sigaction sa;
	int opt, cpu = -1, ok = 1, whole = 0;
	size_t i;

	while ((opt = getopt(argc, argv, "m:i:q:p:brc:w:t:s:I:MW")) != -1) {
		switch (opt) {
		case 'M':
			if (argc != 2)
				return usage();
			prof_mark();
			return 0;
		case 'm':
			for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
				if (strcmp(optarg, methods[i]->name) == 0)
					m = methods[i];
			if (!m)
				return usage();
			break;
		case 'i': ctx.ifname = optarg; break;
		case 'q': ctx.queue = (unsigned int)atoi(optarg); break;
		case 'p': ctx.port = (uint16_t)atoi(optarg); break;
		case 'b': ctx.busy_poll = 1; break;
		case 'r': ctx.raw_desc = 1; break;
		case 'c': cpu = atoi(optarg); break;
		case 'w': warm = atof(optarg); break;
		case 't': secs = atof(optarg); break;
		case 's': start_to = atof(optarg); break;
		case 'I': idle = atof(optarg); break;
		case 'W': whole = 1; break;
		default: return usage();
		}
	}
	if (!m || !ctx.ifname || !ctx.port || secs <= 0 || warm < 0 ||
	    optind != argc)
		return usage();
	if ((ctx.raw_desc && m != &rx_bifurc) ||
	    (ctx.busy_poll && m == &rx_afpacket)) {
		fprintf(stderr, "bench-rx: -r is for bifurc only, -b not for afpacket\n");
		return 2;
	}
	/* ixgbe names its vectors "<ifname>-TxRx-<queue>" */
	snprintf(vec_name, sizeof(vec_name), " %s-TxRx-%u", ctx.ifname,
		 ctx.queue);

	online_cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (cpu >= 0) {
		CPU_ZERO(&home_cpus);
		CPU_SET(cpu, &home_cpus);
		if (sched_setaffinity(0, sizeof(home_cpus), &home_cpus)) {
			perror("bench-rx: sched_setaffinity");
			return 1;
		}
	} else if (sched_getaffinity(0, sizeof(home_cpus), &home_cpus)) {
		perror("bench-rx: sched_getaffinity");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: end blocking waits */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (m->setup(&ctx))
		return 1;
	/* No frame yet: taken before "ready" starts the source. */
	snapshot(m, &ctx, &start);
	printf("ready\n");
	fflush(stdout);

	deadline = start.t_ns + (uint64_t)(start_to * 1e9);
	while (ok && !stop && ctx.pkts == 0 && now_ns() < deadline)
		ok = step(m, &ctx);
	if (!ok || stop || ctx.pkts == 0) {
		fprintf(stderr, "bench-rx: %s: no frame within %.0f s\n",
			m->name, start_to);
		m->teardown(&ctx);
		return 1;
	}

	if (whole) {
		a = start;
	} else {
		deadline = now_ns() + (uint64_t)(warm * 1e9);
		while (ok && !stop && now_ns() < deadline)
			ok = step(m, &ctx);
		snapshot(m, &ctx, &a);
		prof_mark();
		deadline = a.t_ns + (uint64_t)(secs * 1e9);
		while (ok && !stop && now_ns() < deadline)
			ok = step(m, &ctx);
		prof_mark();
		snapshot(m, &ctx, &b);
	}

	/* The tail: keep receiving until the source has been quiet a while. */
	last_pkts = ctx.pkts;
	last_seen = now_ns();
	while (ok && !stop) {
		ok = step(m, &ctx);
		t = now_ns();
		if (ctx.pkts != last_pkts) {
			last_pkts = ctx.pkts;
			last_seen = t;
		} else if (t - last_seen >= (uint64_t)(idle * 1e9)) {
			break;
		}
	}
	if (whole)
		snapshot(m, &ctx, &b);
	if (ok)
		print_result(m, &ctx, &a, &b, &start, cpu);
	m->teardown(&ctx);
	return ok ? 0 : 1;
}
