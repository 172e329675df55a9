// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * rxdrop: receive from a bifurc queue, count, drop, print the rate.
 *
 *   rxdrop IFNAME QUEUE [udp|tcp DST_PORT] [-b] [-r] [-t SECONDS]
 *
 * -b busy-poll, -r raw descriptor mode (root), -t stop after SECONDS.
 * With a protocol and port, rxdrop first steers that flow to its queue
 * (the rule goes away when rxdrop exits).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
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
	struct bifurc_flow flow = { 0 };
	struct bifurc_pkt pkts[BURST];
	unsigned long long pkts_total = 0, bytes_total = 0, last_pkts = 0;
	double start, last, t, seconds = 0;
	struct bifurc_queue *q;
	struct bifurc_stats st;
	int i, n, err, opt, rule = -1;
	char *end;
	long queue;

	while ((opt = getopt(argc, argv, "brt:")) != -1) {
		switch (opt) {
		case 'b': opts.flags |= BIFURC_OPT_BUSY_POLL; break;
		case 'r': opts.flags |= BIFURC_OPT_RAW_DESC; break;
		case 't': seconds = strtod(optarg, NULL); break;
		default: return usage();
		}
	}
	if (argc - optind != 2 && argc - optind != 4)
		return usage();
	queue = strtol(argv[optind + 1], &end, 10);
	if (*end || queue < 0)
		return usage();
	if (argc - optind == 4) {
		if (strcmp(argv[optind + 2], "udp") == 0)
			flow.proto = IPPROTO_UDP;
		else if (strcmp(argv[optind + 2], "tcp") == 0)
			flow.proto = IPPROTO_TCP;
		else
			return usage();
		flow.dst_port = htons((uint16_t)atoi(argv[optind + 3]));
	}

	err = bifurc_open(&q, argv[optind], (unsigned int)queue, &opts);
	if (err) {
		fprintf(stderr, "rxdrop: %s queue %ld: %s\n", argv[optind],
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
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	start = last = now();
	while (!stop) {
		n = bifurc_rx_burst(q, pkts, BURST);
		if (n < 0) {
			fprintf(stderr, "rxdrop: %s\n", bifurc_strerror(n));
			break;
		}
		if (n == 0) {
			err = bifurc_wait(q, 100);
			if (err < 0 && err != -EINTR) {
				fprintf(stderr, "rxdrop: %s\n",
					bifurc_strerror(err));
				break;
			}
		}
		for (i = 0; i < n; i++)
			bytes_total += pkts[i].len;
		pkts_total += (unsigned long long)n;
		if (n > 0 && (err = bifurc_rx_release(q, pkts, (unsigned)n))) {
			fprintf(stderr, "rxdrop: %s\n", bifurc_strerror(err));
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
	return 0;
}
