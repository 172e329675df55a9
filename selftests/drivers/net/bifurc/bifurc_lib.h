/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the bifurc selftest programs share, from raw system calls only (no
 * libbifurc, so the fuzzer may use it too): finding an interface's bifurc
 * device, the environment the feature programs run in, bash commands in
 * the background, the class device's attributes, attach arguments, other
 * users and capabilities, the peer namespace and a raw TX attachment.
 */
#ifndef BIFURC_SELFTEST_LIB_H
#define BIFURC_SELFTEST_LIB_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/bifurc.h>

#include "util.h"

/*
 * The feature programs' environment (bifurc.sh sets it): BIFURC_IFACE and
 * BIFURC_QUEUE, a reserved queue of it; for the traffic cases the peer,
 * BIFURC_PEER_NS (its namespace), BIFURC_PEER_ADDR, BIFURC_LOCAL_ADDR and
 * BIFURC_FLOWS (selftests/lib/flows.py).
 */
struct bifurc_env {
	const char *ifname;
	unsigned int queue;
	struct bifurc_dev dev;
	const char *peer_ns, *peer_addr, *local_addr, *flows;
};

extern struct bifurc_env bt;

/* Fill bt from the environment: 0, or -EINVAL/-errno with *why set. */
int bifurc_env_init(const char **why);
bool have_peer(void);

/* ioctl(): 0 or -errno. */
int xioctl(int fd, unsigned long req, void *arg);

/* bash -c in the background, and in the foreground (output as "#   "). */
pid_t spawn(const char *fmt, ...) __printf(1, 2);
int run(const char *fmt, ...) __printf(1, 2);
/* Kill what spawn() started and nobody reaped (a test that failed). */
void spawn_kill_all(void);

int class_attr(const char *attr, char *buf, size_t len);
int class_write(const char *attr, unsigned int q);
int grant(const char *line);
bool queue_attached(void);
bool wait_until_detached(double seconds);
int ntuple_rules(void);
bool link_up(void);
bool wait_until(bool (*cond)(void), double seconds);
long driver_pages(void);
bool dma_bounced(void);

/* Raw attach: arguments for QUEUE's RX ring, open, kick, INFO. */
void attach_args(struct bifurc_attach *a, unsigned int q);
int open_node(void);
int kick(int fd, uint32_t flags, struct bifurc_kick *k);
int get_info(int fd, struct bifurc_info *i);
int node_info(struct bifurc_info *i);
void udp_rule(struct bifurc_flow_rule *r, uint16_t port);
void *map_region(int fd, const struct bifurc_region *r, int prot);
int mmap_errno(int fd, size_t len, int prot, int flags, off_t off);

/*
 * FN(ARG) in a child as uid/gid ID with supplementary group EXTRA (0:
 * none), and so no capabilities; or as root without CAP.  The child's exit
 * status: FN's return, or 1 if it could not drop.
 */
int as_user(uid_t id, gid_t extra, int (*fn)(void *), void *arg);
int without_cap(int cap, int (*fn)(void *), void *arg);

/*
 * Kernel traffic next to the application's, from the peer: an iperf3 TCP
 * stream to a port of this side, and pings.
 */
struct kernel_traffic {
	pid_t server, client, ping;
};

void kernel_traffic_start(struct kernel_traffic *kt, unsigned int port,
			  unsigned int seconds, unsigned int pings);

/* The peer: flows.py send and recv, its interface and MACs. */
pid_t send_flow(unsigned int port, unsigned int count, unsigned int size);
pid_t peer_recv(unsigned int port, unsigned int expect, int *outfd,
		const char *ready);
bool ready_file_exists(const char *path);
bool payload_ok(const uint8_t *p, size_t len, uint32_t *seq);
int mac_of(const char *ns, const char *dev, uint8_t mac[6]);
int peer_dev(char dev[64]);

/* A raw TX attachment with every region mapped. */
struct txq {
	int fd;
	struct bifurc_attach a;
	uint8_t *pool;
	struct bifurc_ring_hdr *fill, *tx, *txc;
	struct bifurc_counters *c;
	uint8_t frame[64];	/* Ethernet + IPv4 + UDP header template */
};

int tx_attach(struct txq *t, uint32_t extra_flags);
int tx_template(struct txq *t, unsigned int payload, uint16_t port);
unsigned int tx_build(struct txq *t, uint32_t id, uint32_t seq,
		      unsigned int payload);
void tx_put(struct txq *t, uint32_t *prod, uint32_t id, uint32_t off,
	    uint32_t len, uint32_t flags);
unsigned int txc_take(struct txq *t, unsigned int *refused, uint32_t *ids,
		      unsigned int max);
void tx_close(struct txq *t);

#endif /* BIFURC_SELFTEST_LIB_H */
