// SPDX-License-Identifier: GPL-2.0
/*
 * The feature programs' libbifurc helpers (bifurc_app.h), apart from
 * bifurc_lib.c so that the fuzzer, raw calls only, links without libbifurc.
 */
#include <netinet/in.h>
#include <stdlib.h>

#include "bifurc_lib.h"
#include "bifurc_app.h"

/*
 * Receive COUNT datagrams of flow PORT from q, checking each payload and
 * that it was read in place from the pool.  Returns the number received.
 */
int receive(struct bifurc_queue *q, unsigned int port, unsigned int count,
	    double seconds, unsigned int *bad, unsigned int *waits)
{
	struct bifurc_queue_info qi;
	struct bifurc_pkt pkts[64];
	uint8_t *seen = calloc(count, 1);
	unsigned int got = 0;
	double end = now() + seconds;
	uint32_t seq;
	int n, i;

	*bad = 0;
	bifurc_queue_info(q, &qi);
	while (got < count && now() < end && seen) {
		n = bifurc_rx_burst(q, pkts, ARRAY_SIZE(pkts));
		if (n < 0) {
			free(seen);
			return n;
		}
		if (n == 0) {
			(*waits)++;
			bifurc_wait(q, 200);
			continue;
		}
		for (i = 0; i < n; i++) {
			const uint8_t *f = pkts[i].data;
			size_t len = pkts[i].len;
			bool in_pool = f >= (uint8_t *)qi.pool &&
				       f + len <= (uint8_t *)qi.pool +
				       qi.pool_len;
			unsigned int dport;

			/* Ethernet + IPv4 (IHL 5) + UDP to PORT */
			if (!in_pool || len < 46 || f[12] != 0x08 ||
			    f[13] != 0x00 || f[14] != 0x45 || f[23] != 17) {
				(*bad)++;
				continue;
			}
			dport = (f[36] << 8) | f[37];
			if (dport != port ||
			    !payload_ok(f + 42, len - 42, &seq) ||
			    seq >= count || seen[seq]) {
				(*bad)++;
				continue;
			}
			seen[seq] = 1;
			got++;
		}
		bifurc_rx_release(q, pkts, n);
	}
	free(seen);
	return got;
}

int open_with_rule(struct bifurc_queue **q, unsigned int port,
		   const struct bifurc_opts *o)
{
	int err, rule;

	err = bifurc_open(q, bt.ifname, bt.queue, o);
	if (err)
		return err;
	rule = bifurc_flow_add(*q, &(struct bifurc_flow){
		.size = sizeof(struct bifurc_flow),
		.proto = IPPROTO_UDP, .dst_port = htons(port) });
	if (rule < 0) {
		bifurc_close(*q);
		*q = NULL;
		return rule;
	}
	return 0;
}
