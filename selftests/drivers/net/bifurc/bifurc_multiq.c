// SPDX-License-Identifier: GPL-2.0
/*
 * bifurc_multiq: one app that holds one or more bifurc queues, a thread per
 * queue, each receiving its own UDP flow; multiq.sh runs several of them
 * at once on one NIC.
 *
 *   bifurc_multiq [-d DST_PORT] IFNAME:QUEUE:SRC_PORT...
 *
 * Each queue steers UDP from SRC_PORT to DST_PORT (default 9000) to itself
 * (both ports exact: the 82599 has one flow mask per port, and every app on
 * a port uses this one) and counts what arrives: frames of its own flow,
 * and "wrong" frames (anything else, which another app's rule or the
 * stack's RSS should have had).  A queue that dies with ENETRESET (the
 * port was reset) is opened again and its rule added again, as a real app
 * must do; any other error ends the app with status 1.
 *
 * Lines on stdout, each flushed, times in CLOCK_REALTIME seconds (what the
 * test script's "date +%s.%N" reads):
 *   attached IF:Q T        the queue is open and its rule in place
 *   reset IF:Q T           the queue died with ENETRESET
 *   count IF:Q rx N wrong N resets N    on SIGUSR1, and at the end
 *   end                    after SIGINT or SIGTERM, once every thread
 *                          stopped
 * Exit status 0, 1 on a runtime error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bifurc.h>

#define MAX_QUEUES	8
#define BURST		64
#define REOPEN_SECS	60	/* a port reset under TCG takes seconds */

struct app;

struct app_queue {
	struct app *app;
	char ifname[32];
	unsigned int queue;
	uint16_t src_port, dst_port;
	pthread_t thread;
	atomic_ullong rx, wrong, resets;
	atomic_bool failed;
};

struct app {
	struct app_queue q[MAX_QUEUES];
	unsigned int nq;
	atomic_bool stop;
	pthread_mutex_t out;	/* one line at a time on stdout */
};

static double realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __attribute__((format(printf, 2, 3)))
void say(struct app *app, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&app->out);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	pthread_mutex_unlock(&app->out);
}

/* Big-endian 16 bits at p. */
static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Is the frame UDP/IPv4 (no options) from src to dst? */
static bool own_flow(const struct app_queue *aq, const struct bifurc_pkt *p)
{
	const uint8_t *f = p->data;

	return p->len >= 42 && be16(f + 12) == 0x0800 && f[14] == 0x45 &&
	       f[23] == IPPROTO_UDP && be16(f + 34) == aq->src_port &&
	       be16(f + 36) == aq->dst_port;
}

/* Open the queue and steer the flow to it; retried while the port resets. */
static int attach(struct app *app, struct app_queue *aq,
		  struct bifurc_queue **qp)
{
	struct bifurc_flow flow = {
		.size = sizeof(flow), .proto = IPPROTO_UDP,
		.src_port = htons(aq->src_port), .src_port_mask = 0xffff,
		.dst_port = htons(aq->dst_port), .dst_port_mask = 0xffff,
	};
	double give_up = realtime() + REOPEN_SECS;
	int err;

	for (;;) {
		err = bifurc_open(qp, aq->ifname, aq->queue, NULL);
		if (!err) {
			err = bifurc_flow_add(*qp, &flow);
			if (err >= 0)
				break;
			bifurc_close(*qp);
		}
		/* down, or up again but not yet running */
		if ((err != -ENETDOWN && err != -ENETRESET && err != -EAGAIN &&
		     err != -EBUSY) || realtime() > give_up ||
		    atomic_load(&app->stop)) {
			say(app, "error %s:%u: attach: %s", aq->ifname,
			    aq->queue, bifurc_strerror(err));
			return err;
		}
		usleep(50 * 1000);
	}
	say(app, "attached %s:%u %.3f", aq->ifname, aq->queue, realtime());
	return 0;
}

static void *receive(void *arg)
{
	struct app_queue *aq = arg;
	struct app *app = aq->app;
	struct bifurc_pkt pkts[BURST];
	struct bifurc_queue *q;
	int n, i, err;

	if (attach(app, aq, &q))
		goto fail;
	while (!atomic_load(&app->stop)) {
		n = bifurc_wait(q, 200);
		if (n > 0)
			n = bifurc_rx_burst(q, pkts, BURST);
		for (i = 0; i < n; i++) {
			if (own_flow(aq, &pkts[i]))
				atomic_fetch_add(&aq->rx, 1);
			else
				atomic_fetch_add(&aq->wrong, 1);
		}
		err = n > 0 ? bifurc_rx_release(q, pkts, n) : n;
		if (err >= 0)
			continue;
		if (err != -ENETRESET) {
			say(app, "error %s:%u: %s", aq->ifname, aq->queue,
			    bifurc_strerror(err));
			bifurc_close(q);
			goto fail;
		}
		atomic_fetch_add(&aq->resets, 1);
		say(app, "reset %s:%u %.3f", aq->ifname, aq->queue,
		    realtime());
		bifurc_close(q);
		if (attach(app, aq, &q))
			goto fail;
	}
	bifurc_close(q);
	return NULL;
fail:
	atomic_store(&aq->failed, true);
	return NULL;
}

static void print_counts(struct app *app)
{
	unsigned int i;

	for (i = 0; i < app->nq; i++) {
		struct app_queue *aq = &app->q[i];

		say(app, "count %s:%u rx %llu wrong %llu resets %llu",
		    aq->ifname, aq->queue, atomic_load(&aq->rx),
		    atomic_load(&aq->wrong), atomic_load(&aq->resets));
	}
}

/* "IFNAME:QUEUE:SRC_PORT" */
static int parse_queue(const char *s, struct app_queue *aq)
{
	unsigned int queue, port;
	int len = 0;

	if (sscanf(s, "%31[^:]:%u:%u%n", aq->ifname, &queue, &port,
		   &len) != 3 || s[len] || !port || port > 0xffff)
		return -1;
	aq->queue = queue;
	aq->src_port = (uint16_t)port;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bifurc_multiq [-d DST_PORT] "
		"IFNAME:QUEUE:SRC_PORT...\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct app app = { .out = PTHREAD_MUTEX_INITIALIZER };
	unsigned long dst_port = 9000;
	bool failed = false;
	unsigned int i;
	sigset_t sigs;
	char *end;
	int opt, sig;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd')
			return usage();
		dst_port = strtoul(optarg, &end, 10);
		if (*end || !dst_port || dst_port > 0xffff)
			return usage();
	}
	if (optind == argc || argc - optind > MAX_QUEUES)
		return usage();
	for (i = 0; optind + (int)i < argc; i++) {
		app.q[i].app = &app;
		app.q[i].dst_port = (uint16_t)dst_port;
		if (parse_queue(argv[optind + i], &app.q[i]))
			return usage();
	}
	app.nq = i;

	/* signals go to the main thread's sigwait() alone */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	for (i = 0; i < app.nq; i++)
		if (pthread_create(&app.q[i].thread, NULL, receive,
				   &app.q[i])) {
			perror("bifurc_multiq: pthread_create");
			return 1;
		}
	while (!sigwait(&sigs, &sig) && sig == SIGUSR1)
		print_counts(&app);
	atomic_store(&app.stop, true);
	for (i = 0; i < app.nq; i++) {
		pthread_join(app.q[i].thread, NULL);
		failed |= atomic_load(&app.q[i].failed);
	}
	print_counts(&app);
	say(&app, "end");
	return failed;
}
