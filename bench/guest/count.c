// SPDX-License-Identifier: GPL-2.0
/*
 * The per-frame work every frame-based method does: read the Ethernet,
 * IPv4 and UDP headers and count the frame as ours if it is UDP to the
 * benchmark's port.  The packet source sends exactly that flow, so this is
 * the least an application would look at; the UDP socket method gets the
 * same demultiplexing from the kernel and reads its payload instead.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <string.h>

#include "rx.h"

void rx_count_frame(struct rx_ctx *ctx, const void *frame, uint32_t len)
{
	const unsigned char *p = frame;
	const struct iphdr *ip = (const void *)(p + ETH_HLEN);
	const struct udphdr *udp;
	uint16_t proto;

	if (len < ETH_HLEN + sizeof(*ip) + sizeof(*udp))
		goto other;
	memcpy(&proto, p + 12, sizeof(proto));
	if (proto != htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		goto other;
	if (len < ETH_HLEN + ip->ihl * 4u + sizeof(*udp))
		goto other;
	udp = (const void *)(p + ETH_HLEN + ip->ihl * 4u);
	if (udp->dest != htons(ctx->port))
		goto other;
	ctx->pkts++;
	return;
other:
	ctx->other++;
}
