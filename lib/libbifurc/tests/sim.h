/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * An in-process model of the kernel side of <linux/bifurc.h>, for host
 * tests that need no VM.
 *
 * The test programs are linked with
 *   -Wl,--wrap=open,--wrap=close,--wrap=ioctl,--wrap=mmap,--wrap=munmap,
 *   --wrap=poll
 * so the unmodified library code calls __wrap_open() etc. here.  Calls on
 * anything that is not a simulated device go to the real functions, with
 * one exception: paths under /sys/class/net/ are redirected to a fake
 * sysfs tree in a temporary directory.
 *
 * What the model does, as the real kernel must (the ABI header is the
 * spec; where this file and the header disagree, the header wins):
 *   - /sys discovery tree and /dev/bifurc/<bdf> nodes;
 *   - every ioctl with the extensible-struct rules, reserved/out-field
 *     checks and the errno conventions of section 8;
 *   - regions backed by a memfd, mapped with real mmap(); read-only regions
 *     come from an O_RDONLY descriptor, so PROT_WRITE and mprotect() fail
 *     with EACCES as with the kernel's VM_MAYWRITE cleared;
 *   - pages outlive close() until the last mapping is gone;
 *   - a NIC: posted descriptors, DMA of frames into buffers, no-buffer
 *     drops, multi-descriptor frames, raw write-back descriptors;
 *   - NAPI: in interrupt mode, after every simulated interrupt
 *     (sim_rx*), harvest into the comp ring and refill from the fill ring,
 *     validating each id (range, ownership, double use);
 *   - TX (section 4a): frames taken whole from the tx ring, every id and
 *     frame checked (tx_bad_id / tx_bad_frame, refused buffers back in
 *     txc with BIFURC_TXC_F_REFUSED), the NIC-ring and txc capacity rule
 *     (tx_ring_full), the tx ring's NEED_WAKEUP, a NIC that sends only
 *     when the test says so (sim_tx_send) and NAPI reclaim + submit after
 *     its completion interrupt;
 *   - flow rules owned by files, one mask per port, admin rules;
 *   - per-queue grants and the port rule for a caller without
 *     CAP_NET_ADMIN (no_net_admin);
 *   - reset and removal with ENETRESET / ENODEV / POLLERR, TX hang.
 *
 * "The kernel" runs inside the test's own calls, so the acquire/release
 * pairs are exercised for their values, not for races.  One lock (sim.c)
 * covers ioctl, poll and the NIC's events, so that bifurc_stats may run
 * in a second thread, as applications may run it.
 */
#ifndef BIFURC_TEST_SIM_H
#define BIFURC_TEST_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bifurc.h>

#define SIM_MAX_RULES	64
#define SIM_NREGIONS	7	/* pool fill comp desc tx txc counters */

enum { SIM_R_POOL, SIM_R_FILL, SIM_R_COMP, SIM_R_DESC, SIM_R_TX, SIM_R_TXC,
       SIM_R_COUNTERS };

struct sim_meta {		/* what the NIC reports for one frame */
	uint32_t hash;
	uint16_t flags;		/* BIFURC_RX_F_* except EOP (set by the NIC) */
	uint16_t ptype;		/* BIFURC_PTYPE_* */
	uint16_t vlan;
	uint32_t raw_status;	/* raw mode: status/error bits added as is */
	uint16_t raw_info;	/* raw mode: pkt_info as is, if not 0 */
};

struct sim_dev;
struct sim_file;

struct sim_region {
	uint64_t fake_off;	/* what ATTACH returns */
	uint64_t mem_off;	/* where it lives in the memfd */
	uint64_t len;
	uint32_t entries;
	uint32_t prot;
};

struct sim_att {
	struct sim_dev  *dev;
	struct sim_file *file;	/* NULL once the file is released */
	unsigned int     queue;
	uint32_t         flags;	/* BIFURC_ATTACH_* */
	uint32_t         rx_desc, fill_n, comp_n, buf_size, buf_count;
	int              dead;	/* 0, ENETRESET or ENODEV */
	int              memfd, ro_fd;
	uint8_t         *kmem;	/* the kernel's own rw view */
	size_t           kmem_len;
	struct sim_region reg[SIM_NREGIONS];
	int              mappings;	/* live user mappings */

	uint8_t         *pool;
	struct bifurc_ring_hdr *fill_h, *comp_h;
	uint32_t        *fill_e;
	struct bifurc_rx_comp *comp_e;
	struct bifurc_rx_desc *desc;
	uint32_t        *slots;
	struct bifurc_counters *cnt;

	uint8_t         *state;		/* per buffer: 0 USER, 1 KERNEL */
	uint32_t        *hw_slot;	/* buffer posted in descriptor i */
	struct { uint16_t len, eop; struct sim_meta m; } *hw_meta;
	uint32_t         hw_tail;	/* descriptors posted (RDT side) */
	uint32_t         hw_head;	/* descriptors written by the NIC */
	uint32_t         hw_clean;	/* descriptors harvested/reclaimed */
	uint32_t         kcons;		/* private fill consumer */
	uint32_t         kprod;		/* private comp producer */

	/* TX (BIFURC_ATTACH_TX), section 4a */
	uint32_t         tx_n, txc_n, tx_desc;
	struct bifurc_ring_hdr *tx_h, *txc_h;
	struct bifurc_tx_entry *tx_e;
	uint32_t        *txc_e;
	struct sim_txd { uint32_t id, offset, len, eop; } *txd; /* NIC ring */
	uint32_t         tx_tail;	/* descriptors posted (TDT side) */
	uint32_t         tx_head;	/* descriptors the NIC has sent */
	uint32_t         tx_clean;	/* descriptors reclaimed into txc */
	uint32_t         ktx_cons;	/* private tx consumer */
	uint32_t         ktxc_prod;	/* private txc producer */
	int              tx_discard;	/* inside an over-long frame */
};

struct sim_rule {
	int      used;
	uint32_t id;
	struct sim_file *owner;	/* NULL: admin rule (ethtool -N) */
	unsigned int queue;
	struct bifurc_flow_match value, mask;
};

struct sim_dev {
	char     ifname[16];
	char     bdf[16];
	uint32_t ifindex;
	unsigned int nqueues;
	uint64_t reserved[2], attached[2];
	int      removed;

	/* struct bifurc_info answers; tests may change them */
	uint32_t abi_version;
	uint32_t info_flags;
	uint32_t info_ifindex;	/* what INFO reports (rename race) */
	uint32_t min_rx_desc, max_rx_desc, max_ring, min_buf, max_buf;
	uint32_t max_buf_count, max_flows, fdir_capacity;
	uint32_t max_tx_frame;	/* INFO answer and the TX check (1518) */
	int      tx_refuse;	/* ATTACH_TX fails EOPNOTSUPP (old kernel) */

	/* privileges of the caller */
	int      cap_sys_admin;
	int      deny_open;	/* open() fails with EACCES */
	/*
	 * The caller lacks CAP_NET_ADMIN (0: it has it, as in every older
	 * test): ATTACH needs the queue in granted[] (EPERM), and FLOW_ADD
	 * a rule comparing one whole destination port of 1024 or above
	 * (EACCES; no CAP_NET_BIND_SERVICE, the default port start).
	 */
	int      no_net_admin;
	uint64_t granted[2];

	/* fault injection: next call of that kind fails with this errno */
	int      fail_attach;
	int      fail_mmap;
	int      fail_poll;
	int      fail_kick;
	int      corrupt_attach;	/* 1: wrong fill entries; 2: bad prot;
					 * 3: short pool; 4: desc format */

	/* wire frames that "arrive" while a poll() sleeps */
	int      wire_n;
	uint8_t  wire[8][256];
	size_t   wire_len[8];

	/*
	 * Called when an application sleeps in poll() on attachment a with
	 * nothing ready, before the wire frames arrive: the rest of the world
	 * moves (frames, sends, a reset), as the harness of the man page
	 * examples needs (tests/example.c).  NULL: nothing happens.
	 */
	void   (*on_sleep)(struct sim_dev *d, struct sim_att *a, void *arg);
	void    *on_sleep_arg;

	/* the last frame the NIC sent (sim_tx_send), for content checks */
	uint8_t  tx_last[9216];
	size_t   tx_last_len;
	unsigned long tx_sent;	/* frames sent, all queues */

	/* flow director */
	struct sim_rule rules[SIM_MAX_RULES];
	int      mask_set;
	struct bifurc_flow_match mask;

	/* ioctl call counts by _IOC_NR, polls */
	unsigned long n_ioctl[8];
	unsigned long n_poll;
	unsigned long n_kick_harvest;	/* KICKs done with RX_HARVEST */

	struct sim_att *att[BIFURC_MAX_QUEUES];
};

struct sim_file {
	int fd;
	struct sim_dev *dev;
	struct sim_att *att;
};

/* Create the fake sysfs tree; every test case starts with this. */
void sim_begin(void);
/* Destroy all devices and the tree; returns the number of leaks found
 * (open device files, live mappings, attachments not freed). */
int sim_end(void);

/* A bifurc-capable interface with nqueues RX queues. */
struct sim_dev *sim_dev_new(const char *ifname, const char *bdf,
			    unsigned int nqueues);
/* An interface whose driver has no bifurc support. */
void sim_plain_netdev(const char *ifname);
/* Overwrite one sysfs file below the tree root (for malformed trees). */
void sim_sysfs_write(const char *relpath, const char *content);

void sim_reserve(struct sim_dev *d, unsigned int queue);

/* The NIC receives frames on a queue, then (interrupt mode) NAPI runs.
 * Returns how many frames were written (the rest: no-buffer drops). */
int sim_rx(struct sim_dev *d, unsigned int queue, const void *frame,
	   size_t len, const struct sim_meta *m);
int sim_rx_many(struct sim_dev *d, unsigned int queue, unsigned int count,
		size_t len);

/* Queue a frame that arrives while the application sleeps in poll(). */
void sim_wire_queue(struct sim_dev *d, const void *frame, size_t len);

/* Adapter reset (attachments die with ENETRESET) and surprise removal. */
void sim_reset(struct sim_dev *d);
void sim_remove(struct sim_dev *d);
/* The queue's grant changed: its attachment ends with EACCES. */
void sim_revoke(struct sim_dev *d, unsigned int queue);
/* The hang check found a stuck TX queue: status TX_HANG | RESET. */
void sim_tx_hang(struct sim_dev *d);

/*
 * The NIC sends up to "frames" frames from the queue's TX descriptor ring
 * (counting tx_packets/tx_bytes, keeping the last in tx_last), then, in
 * interrupt mode, raises the completion interrupt: NAPI reclaims into
 * txc and submits what waits in the tx ring.  Returns the frames sent.
 */
int sim_tx_send(struct sim_dev *d, unsigned int queue, unsigned int frames);

/* An admin rule (ethtool -N ... action queue); returns its id or -errno. */
int sim_admin_rule(struct sim_dev *d, const struct bifurc_flow_match *v,
		   const struct bifurc_flow_match *m, unsigned int queue);
/* Which queue a 5-tuple would be steered to, -1 for RSS (no rule). */
int sim_steer(struct sim_dev *d, const struct bifurc_flow_match *pkt);

/* Inject a completion that names buffer id (a buggy kernel). */
void sim_inject_comp(struct sim_att *a, uint32_t id, uint16_t len);
/* Inject a raw txc entry (id | BIFURC_TXC_F_REFUSED), a buggy kernel. */
void sim_inject_txc(struct sim_att *a, uint32_t v);

/* Introspection. */
struct sim_att *sim_att_of(struct sim_dev *d, unsigned int queue);
uint32_t sim_posted(const struct sim_att *a);	/* buffers the NIC may fill */
uint32_t sim_tx_in_flight(const struct sim_att *a); /* TX descs not reclaimed */
int sim_live_mappings(void);
int sim_live_atts(void);

#endif /* BIFURC_TEST_SIM_H */
