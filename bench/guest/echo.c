// SPDX-License-Identifier: GPL-2.0
/*
 * bench-echo: the kernel's UDP echo, the latency comparison's baseline:
 * every datagram to PORT goes back to its sender with its payload.
 *
 *   bench-echo -p PORT [-b] [-c CPU]
 *
 * recvmmsg and sendmmsg in batches of 32.  Without -b the first datagram
 * of a batch is waited for in recvmmsg (MSG_WAITFORONE); with -b the
 * socket busy-polls the NIC queue (SO_BUSY_POLL 50 us, SO_PREFER_BUSY_POLL,
 * SO_BUSY_POLL_BUDGET 32) and the loop never sleeps.  Prints "ready" once
 * bound and "echoed N" when SIGINT or SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL	69
#define SO_BUSY_POLL_BUDGET	70
#endif

#define BATCH	32
#define MAX_LEN	2048

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int setopt(int fd, int name, int val)
{
	if (setsockopt(fd, SOL_SOCKET, name, &val, sizeof(val)) == 0)
		return 0;
	fprintf(stderr, "bench-echo: setsockopt %d: %s\n", name, strerror(errno));
	return -1;
}

int main(int argc, char **argv)
{
	static char bufs[BATCH][MAX_LEN];
	struct sockaddr_in from[BATCH], addr = { .sin_family = AF_INET };
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long long echoed = 0;
	int opt, fd, n, i, busy = 0, cpu = -1, port = 0;

	while ((opt = getopt(argc, argv, "p:bc:")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'b': busy = 1; break;
		case 'c': cpu = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench-echo -p PORT [-b] [-c CPU]\n");
			return 2;
		}
	}
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "bench-echo: -p PORT (1..65535) is required\n");
		return 2;
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("bench-echo: sched_setaffinity");
			return 1;
		}
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	addr.sin_port = htons(port);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("bench-echo: socket/bind");
		return 1;
	}
	if (setopt(fd, SO_RCVBUF, 4 << 20) ||
	    (busy && (setopt(fd, SO_BUSY_POLL, 50) ||
		      setopt(fd, SO_PREFER_BUSY_POLL, 1) ||
		      setopt(fd, SO_BUSY_POLL_BUDGET, BATCH))))
		return 1;
	printf("ready\n");
	fflush(stdout);

	while (!stop) {
		for (i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){ bufs[i], MAX_LEN };
			msgs[i].msg_hdr = (struct msghdr){
				.msg_name = &from[i], .msg_namelen = sizeof(from[i]),
				.msg_iov = &iov[i], .msg_iovlen = 1,
			};
		}
		n = recvmmsg(fd, msgs, BATCH, busy ? MSG_DONTWAIT : MSG_WAITFORONE,
			     NULL);
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				perror("bench-echo: recvmmsg");
				return 1;
			}
			continue;
		}
		for (i = 0; i < n; i++)
			iov[i].iov_len = msgs[i].msg_len;
		n = sendmmsg(fd, msgs, n, 0);
		if (n > 0)
			echoed += n;
	}
	printf("echoed %llu\n", echoed);
	return 0;
}
