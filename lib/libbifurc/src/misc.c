// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Counters, error strings, and the compile-time checks that the public
 * constants are the kernel's.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "internal.h"

/* The public flag values are the kernel's: rx_burst copies them as is. */
static_assert(BIFURC_PKT_EOP == BIFURC_RX_F_EOP, "flag mismatch");
static_assert(BIFURC_PKT_HASH == BIFURC_RX_F_HASH, "flag mismatch");
static_assert(BIFURC_PKT_VLAN == BIFURC_RX_F_VLAN, "flag mismatch");
static_assert(BIFURC_PKT_L3_CSUM_OK == BIFURC_RX_F_L3_CSUM_OK, "flag mismatch");
static_assert(BIFURC_PKT_L4_CSUM_OK == BIFURC_RX_F_L4_CSUM_OK, "flag mismatch");
static_assert(BIFURC_PKT_CSUM_BAD == BIFURC_RX_F_CSUM_BAD, "flag mismatch");
static_assert(BIFURC_PKT_FLOW == BIFURC_RX_F_FLOW, "flag mismatch");
static_assert(BIFURC_PKT_L3_IPV4 == BIFURC_PTYPE_L3_IPV4, "ptype mismatch");
static_assert(BIFURC_PKT_L3_IPV4_EXT == BIFURC_PTYPE_L3_IPV4_EXT, "ptype mismatch");
static_assert(BIFURC_PKT_L3_IPV6 == BIFURC_PTYPE_L3_IPV6, "ptype mismatch");
static_assert(BIFURC_PKT_L3_IPV6_EXT == BIFURC_PTYPE_L3_IPV6_EXT, "ptype mismatch");
static_assert(BIFURC_PKT_L4_TCP == BIFURC_PTYPE_L4_TCP, "ptype mismatch");
static_assert(BIFURC_PKT_L4_UDP == BIFURC_PTYPE_L4_UDP, "ptype mismatch");
static_assert(BIFURC_PKT_L4_SCTP == BIFURC_PTYPE_L4_SCTP, "ptype mismatch");
static_assert(BIFURC_TX_MORE == BIFURC_TX_F_MORE, "flag mismatch");
/* TX_REFUSED must not collide with any RX flag rx_burst copies. */
static_assert(!(BIFURC_PKT_TX_REFUSED & (BIFURC_PKT_EOP | BIFURC_PKT_HASH |
	      BIFURC_PKT_VLAN | BIFURC_PKT_L3_CSUM_OK | BIFURC_PKT_L4_CSUM_OK |
	      BIFURC_PKT_CSUM_BAD | BIFURC_PKT_FLOW)), "flag collision");

/*
 * Public structures grow only into their reserved tails: sizes and the
 * offsets of 0.1 fields never change.  bifurc_stats is all 64-bit; the
 * others hold pointers, so their figures below are the LP64 ones.
 */
static_assert(sizeof(struct bifurc_stats) == 256, "stats layout");
static_assert(offsetof(struct bifurc_stats, lib_bad_comp) == 104,
	      "stats layout");
static_assert(offsetof(struct bifurc_stats, tx_bad_frame) == 112,
	      "stats layout");
#if __SIZEOF_POINTER__ == 8
static_assert(sizeof(struct bifurc_queue_info) == 120, "queue_info layout");
static_assert(offsetof(struct bifurc_queue_info, tx_desc) == 52,
	      "queue_info layout");
static_assert(offsetof(struct bifurc_queue_info, pool) == 56,
	      "queue_info layout");
static_assert(offsetof(struct bifurc_queue_info, pool_len) == 64,
	      "queue_info layout");
static_assert(offsetof(struct bifurc_queue_info, tx_entries) == 72,
	      "queue_info layout");
/*
 * struct bifurc_flow: 0.3 put size in front of the 0.1 layout, which the
 * 0.1 symbol versions of flow_add and flow_mask copy as one block.
 */
static_assert(sizeof(struct bifurc_flow_v0_1) == 76, "0.1 flow layout");
static_assert(sizeof(struct bifurc_flow_mask_info_v0_1) == 92,
	      "0.1 flow mask layout");
static_assert(offsetof(struct bifurc_flow, proto) == 8, "flow layout");
static_assert(offsetof(struct bifurc_flow, reserved1) ==
	      8 + sizeof(struct bifurc_flow_v0_1), "flow layout");
static_assert(sizeof(struct bifurc_flow) == 88, "flow layout");
static_assert(offsetof(struct bifurc_flow_mask_info, mask) == 16,
	      "flow mask layout");
/*
 * struct bifurc_opts carries its size and grows at the end: 0.1's ended
 * at comp_entries (32 bytes), 0.2's at reserved0 (48).
 */
static_assert(offsetof(struct bifurc_opts, tx_desc) == 32, "opts layout");
static_assert(offsetof(struct bifurc_opts, tx_buf_count) == 48,
	      "opts layout");
static_assert(sizeof(struct bifurc_opts) == 56, "opts layout");
#endif

int bifurc_stats(struct bifurc_queue *q, struct bifurc_stats *st)
{
	struct bifurc_counters c;

	if (!q || !st)
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	if (ioctl(q->fd, BIFURC_IOC_STATS, &c) < 0)
		return -errno;
	memset(st, 0, sizeof(*st));
	st->rx_packets = c.rx_packets;
	st->rx_bytes = c.rx_bytes;
	st->rx_no_buf = c.rx_no_buf;
	st->rx_bad_id = c.rx_bad_id;
	st->rx_ring_err = c.rx_ring_err;
	st->rx_comp_full = c.rx_comp_full;
	st->kicks = c.kicks;
	st->wakeups = c.wakeups;
	st->tx_packets = c.tx_packets;
	st->tx_bytes = c.tx_bytes;
	st->tx_bad_id = c.tx_bad_id;
	st->tx_ring_err = c.tx_ring_err;
	st->tx_bad_frame = c.tx_bad_frame;
	st->tx_ring_full = c.tx_ring_full;
	/* The data path may be counting in another thread (bf_count). */
	st->lib_kicks = __atomic_load_n(&q->lib_kicks, __ATOMIC_RELAXED);
	st->lib_bad_comp = __atomic_load_n(&q->lib_bad_comp, __ATOMIC_RELAXED);
	return 0;
}

struct bf_msg {
	int err;
	const char *msg;
};

static const struct bf_msg msgs[] = {
	{ 0, "success" },
	{ EINVAL, "invalid argument (option, size, flag, buffer id or "
		  "transmit frame)" },
	{ E2BIG, "options structure is larger than this libbifurc knows and "
		 "its unknown tail is not zero" },
	{ ENODEV, "no such interface, or the device was removed" },
	{ EOPNOTSUPP, "not supported: the interface has no bifurc device, or "
		      "the kernel or adapter lacks the feature (TX, raw mode, "
		      "IPv6 flows; flows need 'ethtool -K <if> ntuple on')" },
	{ ERANGE, "queue index is beyond the interface's RX queues" },
	{ EADDRNOTAVAIL, "queue is not reserved for bifurc "
			 "(bifurcctl reserve <if> queue <n>)" },
	{ EBUSY, "busy: the queue is attached by another process, or the "
		 "port's single flow mask is held by rules with a different "
		 "mask (see bifurc_flow_mask)" },
	{ EISCONN, "this file is already attached to a queue" },
	{ ENOTCONN, "not attached to a queue" },
	{ EPROTO, "the kernel's bifurc ABI version differs from this "
		  "libbifurc's, or the kernel answered out of spec" },
	/*
	 * Constant strings cannot name the queue: the placeholders follow
	 * EADDRNOTAVAIL's.  EPERM at ATTACH is almost always the missing
	 * grant (a v3 kernel checks it for every caller without
	 * CAP_NET_ADMIN), so it comes first; raw mode is the other cause.
	 */
	{ EPERM, "queue <n> is not granted to this user: bifurcctl grant "
		 "<if> queue <n> user <name> (or raw descriptor mode without "
		 "CAP_SYS_ADMIN or a translating IOMMU)" },
	/*
	 * open() of the node without file permission, FLOW_ADD without
	 * CAP_NET_ADMIN of a port outside the grant (<linux/bifurc.h>), or
	 * anything after the queue's grant was changed or revoked.
	 */
	{ EACCES, "permission denied: rules without CAP_NET_ADMIN must name "
		  "one destination port inside the port range of the queue's "
		  "grant (without a range: one the caller could bind, below "
		  "ip_unprivileged_port_start only with CAP_NET_BIND_SERVICE); "
		  "or the queue's grant was revoked or changed (close the queue); "
		  "at open, no permission on the bifurc device node" },
	{ EADDRINUSE, "the port is in use: a socket has it bound on this "
		      "interface or on all of them, and a rule without "
		      "CAP_NET_ADMIN may not take its traffic" },
	{ ENOBUFS, "the pool and rings exceed this user's locked-memory limit "
		   "(RLIMIT_MEMLOCK, ulimit -l) and the caller lacks "
		   "CAP_IPC_LOCK" },
	{ ENOMEM, "out of memory: the pool did not fit in free memory or "
		  "under the memory cgroup's limit (memory.max)" },
	{ EEXIST, "an identical flow rule already exists on this port" },
	{ ENOSPC, "flow table full, or this queue's rule limit reached" },
	{ ENOENT, "no flow rule with that id owned by this queue" },
	{ ENETRESET, "the adapter was reset or reconfigured (or its TX hung): "
		     "close the queue and open it again" },
	{ EBADF, "bad file descriptor: the queue's descriptor was closed" },
	{ EINTR, "interrupted by a signal" },
	{ EIO, "input/output error: unexpected answer from the device" },
	{ ENOTTY, "not a bifurc device: the path or descriptor names another "
		  "file" },
};

/*
 * The C library's sentence for err, which must be a constant string:
 * bifurc_strerror promises one, and may run in any thread.  POSIX lets
 * strerror() build its answer in a static buffer, so: glibc's
 * strerrordesc_np() (2.32 on), constant and NULL for an unknown value;
 * elsewhere strerror(), whose answers musl takes from a constant table
 * (an unknown value gets its "No error information").
 */
static const char *libc_strerror(int err)
{
#if defined(__GLIBC__) && \
	(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
	return strerrordesc_np(err);
#else
	return strerror(err);
#endif
}

const char *bifurc_strerror(int err)
{
	const char *s;
	size_t i;

	if (err == INT_MIN)
		return "unknown error";
	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (msgs[i].err == err)
			return msgs[i].msg;
	s = libc_strerror(err);
	return s ? s : "unknown error";
}

int64_t bifurc_int_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
