// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * rxdrop: receive from a bifurc queue, count, drop, print the rate.
 *
 *   rxdrop IFNAME QUEUE [udp|tcp DST_PORT] [-b] [-r] [-t SECONDS]
 *
 * -b busy-poll, -r raw descriptor mode (root), -t stop after SECONDS.
 * With a protocol and port, rxdrop first steers that flow to its queue
 * (the rule goes away when rxdrop exits).
 *
 * Prints one line once the queue is open (and the flow steered), the
 * rate once a second, and a "total" line at the end (SIGINT, SIGTERM or
 * -t).  Exit status 0, 1 on a runtime error, 2 on bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bifurc.h>

#define BURST 64

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
	fprintf(stderr, "usage: rxdrop IFNAME QUEUE [udp|tcp DST_PORT] "
		"[-b] [-r] [-t SECONDS]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct bifurc_opts opts = { .size = sizeof(opts) };
	struct bifurc_flow flow = { .size = sizeof(flow) };
	struct bifurc_pkt pkts[BURST];
	unsigned long long pkts_total = 0, bytes_total = 0, last_pkts = 0;
	double start, last, t, seconds = 0;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	int i, n, err, opt, rule = -1, ret = 0, nargs = 0;
	struct sigaction sa;
	char *end, *args[4];
	long queue, port;

	/*
	 * Options may follow the operands, as the usage line has them.  Only
	 * glibc's getopt() moves operands out of the way; "+" asks every C
	 * library to stop at the first one instead, and the loop collects it
	 * and goes on.
	 */
	while (optind < argc) {
		opt = getopt(argc, argv, "+brt:");
		if (opt == -1) {
			if (nargs == 4)
				return usage();
			args[nargs++] = argv[optind++];
			continue;
		}
		switch (opt) {
		case 'b': opts.flags |= BIFURC_OPT_BUSY_POLL; break;
		case 'r': opts.flags |= BIFURC_OPT_RAW_DESC; break;
		case 't':
			seconds = strtod(optarg, &end);
			if (end == optarg || *end || !isfinite(seconds) ||
			    seconds <= 0)
				return usage();
			break;
		default: return usage();
		}
	}
	if (nargs != 2 && nargs != 4)
		return usage();
	errno = 0;
	queue = strtol(args[1], &end, 10);
	if (!*args[0] || end == args[1] || *end || errno ||
	    queue < 0 || queue > UINT16_MAX)
		return usage();
	if (nargs == 4) {
		if (strcmp(args[2], "udp") == 0)
			flow.proto = IPPROTO_UDP;
		else if (strcmp(args[2], "tcp") == 0)
			flow.proto = IPPROTO_TCP;
		else
			return usage();
		errno = 0;
		port = strtol(args[3], &end, 10);
		if (end == args[3] || *end || errno || port < 1 ||
		    port > UINT16_MAX)
			return usage();
		flow.dst_port = htons((uint16_t)port);
	}

	err = bifurc_open(&q, args[0], (unsigned int)queue, &opts);
	if (err) {
		fprintf(stderr, "rxdrop: %s queue %ld: %s\n", args[0],
			queue, bifurc_strerror(err));
		return 1;
	}
	if (flow.proto) {
		rule = bifurc_flow_add(q, &flow);
		if (rule < 0) {
			fprintf(stderr, "rxdrop: flow: %s\n",
				bifurc_strerror(rule));
			bifurc_close(q);
			return 1;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: wake bifurc_wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (flow.proto)
		printf("rxdrop: %s queue %ld, %s dst-port %u steered (rule %d)\n",
		       args[0], queue,
		       flow.proto == IPPROTO_UDP ? "udp" : "tcp",
		       ntohs(flow.dst_port), rule);
	else
		printf("rxdrop: %s queue %ld\n", args[0], queue);
	fflush(stdout);

	start = last = now();
	while (!stop) {
		n = bifurc_rx_burst(q, pkts, BURST);
		if (n < 0) {
			fprintf(stderr, "rxdrop: %s\n", bifurc_strerror(n));
			ret = 1;
			break;
		}
		if (n == 0) {
			err = bifurc_wait(q, 100);
			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "rxdrop: %s\n",
					bifurc_strerror(err));
				ret = 1;
				break;
			}
		}
		for (i = 0; i < n; i++)
			bytes_total += pkts[i].len;
		pkts_total += (unsigned long long)n;
		if (n > 0 && (err = bifurc_rx_release(q, pkts, (unsigned)n))) {
			fprintf(stderr, "rxdrop: %s\n", bifurc_strerror(err));
			ret = 1;
			break;
		}
		t = now();
		if (t - last >= 1.0) {
			printf("%.0f pkt/s  %llu packets  %llu bytes\n",
			       (double)(pkts_total - last_pkts) / (t - last),
			       pkts_total, bytes_total);
			fflush(stdout);
			last = t;
			last_pkts = pkts_total;
		}
		if (seconds > 0 && t - start >= seconds)
			break;
	}
	if (bifurc_stats(q, &st) == 0)
		printf("total %llu packets %llu bytes, no-buffer drops %llu, "
		       "kicks %llu\n", pkts_total, bytes_total,
		       (unsigned long long)st.rx_no_buf,
		       (unsigned long long)st.lib_kicks);
	bifurc_close(q);
	return ret;
}
