// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * examples/l2fwd linked against the simulator (tests/check-l2fwd.sh).
 * Before l2fwd's main runs, this sets up eth0 (0000:04:00.0) and eth1
 * (0000:04:00.1) with queues 2 and 3 reserved on each and a jumbo MTU
 * (frames up to 9018 bytes go out).
 *
 * Whenever l2fwd sleeps in bifurc_wait on its input queue, the world
 * first lets every TX queue send, one frame at a time, and compares each
 * frame with the one expected next; then, for L2FWD_SIM_ROUNDS rounds
 * (default 20), 8 frames arrive on the queue l2fwd sleeps on: 5 of 100
 * bytes, one of 56 whose 802.1Q tag the NIC stripped (TCI 0x0123: 60
 * bytes out, tag back in place), one of 3000 (two buffers in, two out)
 * and one of 60.  Once every frame has arrived and come out, the world
 * sends l2fwd SIGTERM.  Frame k carries k in bytes 14..17, then bytes
 * (k + i) & 0xff; the expected copy is the same with the MAC addresses
 * swapped if L2FWD_SIM_SWAP is 1.
 *
 * At exit it prints "l2fwd-sim: N frames in, M out" and "as sent" or the
 * first difference, and fails the run (exit status 3) on a difference, on
 * M != N, on a frame the NIC could not take, or if l2fwd left a device
 * file, mapping or attachment behind.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bifurc.h"
#include "sim.h"

#define PER_ROUND	8
#define TCI		0x0123

static struct sim_dev *devs[2];
static unsigned int rounds = 20, swap;
static unsigned long in, out;
static int failed, signalled;

/* Frame k as it arrives (tag stripped), its length and its meta. */
static size_t frame_in(unsigned long k, uint8_t *f, struct sim_meta *m)
{
	static const size_t lens[PER_ROUND] = {
		100, 100, 100, 100, 100, 56, 3000, 60 };
	size_t len = lens[k % PER_ROUND], i;

	memset(m, 0, sizeof(*m));
	if (k % PER_ROUND == 5) {
		m->flags = BIFURC_RX_F_VLAN;
		m->vlan = TCI;
	}
	memcpy(f, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00", 14);
	f[14] = (uint8_t)(k >> 24);
	f[15] = (uint8_t)(k >> 16);
	f[16] = (uint8_t)(k >> 8);
	f[17] = (uint8_t)k;
	for (i = 18; i < len; i++)
		f[i] = (uint8_t)(k + i);
	return len;
}

/* Frame k as it must leave. */
static size_t frame_out(unsigned long k, uint8_t *f)
{
	uint8_t raw[4096], mac[6];
	struct sim_meta m;
	size_t len = frame_in(k, raw, &m);

	memcpy(f, raw, 12);
	if (swap) {
		memcpy(mac, f, 6);
		memcpy(f, f + 6, 6);
		memcpy(f + 6, mac, 6);
	}
	if (m.flags & BIFURC_RX_F_VLAN) {
		f[12] = 0x81;
		f[13] = 0x00;
		f[14] = TCI >> 8;
		f[15] = TCI & 0xff;
		memcpy(f + 16, raw + 12, len - 12);
		len += 4;
	} else {
		memcpy(f + 12, raw + 12, len - 12);
	}
	return len;
}

static void check_sent(struct sim_dev *d)
{
	uint8_t want[4096];
	size_t len, i;

	len = frame_out(out, want);
	if (!failed && (d->tx_last_len != len ||
			memcmp(d->tx_last, want, len) != 0)) {
		for (i = 0; i < len && i < d->tx_last_len; i++)
			if (d->tx_last[i] != want[i])
				break;
		fprintf(stderr, "l2fwd-sim: frame %lu out of %s: %zu bytes, "
			"want %zu; first difference at byte %zu\n", out,
			d->ifname, d->tx_last_len, len, i);
		failed = 1;
	}
	out++;
}

static void world(struct sim_dev *d, struct sim_att *a, void *arg)
{
	struct sim_meta m;
	uint8_t f[4096];
	unsigned int i, q;
	size_t len;

	(void)arg;
	for (i = 0; i < 2; i++)
		for (q = 2; q <= 3; q++) {
			struct sim_att *t = sim_att_of(devs[i], q);

			if (!t || !(t->flags & BIFURC_ATTACH_TX))
				continue;
			while (sim_tx_send(devs[i], q, 1) == 1)
				check_sent(devs[i]);
		}
	if (in < (unsigned long)rounds * PER_ROUND) {
		for (i = 0; i < PER_ROUND; i++, in++) {
			len = frame_in(in, f, &m);
			if (sim_rx(d, a->queue, f, len, &m) != 1) {
				fprintf(stderr, "l2fwd-sim: frame %lu: no "
					"buffer on %s queue %u\n", in,
					d->ifname, a->queue);
				failed = 1;
			}
		}
	} else if (out >= in && !signalled) {
		signalled = 1;
		raise(SIGTERM);
	}
}

static void __attribute__((constructor)) l2fwd_sim_begin(void)
{
	const char *s;
	unsigned int i;

	s = getenv("L2FWD_SIM_ROUNDS");
	if (s)
		rounds = (unsigned int)atoi(s);
	s = getenv("L2FWD_SIM_SWAP");
	swap = s && strcmp(s, "1") == 0;
	sim_begin();
	devs[0] = sim_dev_new("eth0", "0000:04:00.0", 8);
	devs[1] = sim_dev_new("eth1", "0000:04:00.1", 8);
	for (i = 0; i < 2; i++) {
		sim_reserve(devs[i], 2);
		sim_reserve(devs[i], 3);
		devs[i]->max_tx_frame = 9018;
		devs[i]->on_sleep = world;
	}
}

static void __attribute__((destructor)) l2fwd_sim_end(void)
{
	int leaks = sim_end();

	fprintf(stderr, "l2fwd-sim: %lu frames in, %lu out, %s\n", in, out,
		failed ? "NOT as sent" : "as sent");
	if (leaks || failed || in != out)
		_exit(3);
}
