/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * Shared fixture: one simulated 82599 "sim0" (0000:03:00.0) with 8 RX
 * queues, queues 2 and 3 reserved for bifurc.
 */
#ifndef BIFURC_TEST_FIXTURE_H
#define BIFURC_TEST_FIXTURE_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "bifurc.h"
#include "tap.h"

#define FX_IF	"sim0"
#define FX_BDF	"0000:03:00.0"
#define FX_NODE	"/dev/bifurc/" FX_BDF
#define FX_Q	3

static inline struct sim_dev *fx_dev(void)
{
	struct sim_dev *d = sim_dev_new(FX_IF, FX_BDF, 8);

	sim_reserve(d, 2);
	sim_reserve(d, 3);
	return d;
}

/* Small rings so that tests can fill and wrap them quickly. */
static inline struct bifurc_opts fx_small(uint32_t flags)
{
	struct bifurc_opts o;

	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.flags = flags;
	o.rx_desc = 64;
	o.buf_count = 128;
	return o;
}

/* A flow of proto to destination port dport (host order; 0: any). */
static inline struct bifurc_flow fx_flow(uint8_t proto, uint16_t dport)
{
	struct bifurc_flow f;

	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	f.proto = proto;
	f.dst_port = htons(dport);
	return f;
}

/* Deliver count frames of len bytes and take them all (count <= 256). */
static inline int fx_rx_all(struct sim_dev *d, struct bifurc_queue *q,
			    unsigned int count, size_t len,
			    struct bifurc_pkt *pkts)
{
	int got = 0, n;

	if (sim_rx_many(d, FX_Q, count, len) != (int)count)
		return -1;
	while (got < (int)count) {
		n = bifurc_rx_burst(q, pkts + got, count - (unsigned int)got);
		if (n <= 0)
			return n < 0 ? n : -2;
		got += n;
	}
	return got;
}

#endif /* BIFURC_TEST_FIXTURE_H */
