// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The simulated kernel side of <linux/bifurc.h>.  See sim.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim.h"

int __real_open(const char *path, int flags, ...);
int __real_close(int fd);
int __real_ioctl(int fd, unsigned long req, ...);
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off);
int __real_munmap(void *addr, size_t len);
int __real_poll(struct pollfd *fds, nfds_t n, int timeout);

int __wrap_open(const char *path, int flags, ...);
int __wrap_close(int fd);
int __wrap_ioctl(int fd, unsigned long req, ...);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off);
int __wrap_munmap(void *addr, size_t len);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);

#define PAGE		4096UL
#define PAGE_ALIGN(x)	(((x) + PAGE - 1) & ~(PAGE - 1))
#define MAX_FDS		1024
#define MAX_DEVS	4
#define MAX_MAPS	64
#define MAX_ATTS	16

/*
 * The kernel's locking, coarsely: the system calls a second application
 * thread may make (ioctl, poll) and the NIC's events (sim_rx*,
 * sim_tx_send, sim_inject_comp) hold this lock, so that a test can run
 * bifurc_stats in one thread while the data path runs in another.
 * Recursive: poll()'s on_sleep hook delivers frames.
 */
static pthread_mutex_t sim_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

static char root[64];
static struct sim_dev *devs[MAX_DEVS];
static struct sim_file *files[MAX_FDS];
static struct sim_att *atts[MAX_ATTS];
static struct {
	void *addr;
	size_t len;
	struct sim_att *att;
} maps[MAX_MAPS];

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return 0;
	return 1;
}

static void die(const char *what)
{
	perror(what);
	abort();
}

/* ---- fake sysfs ------------------------------------------------------ */

static void mkpath(const char *rel)
{
	char p[512], *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

void sim_sysfs_write(const char *rel, const char *content)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	if (!f)
		die(p);
	fputs(content, f);
	fclose(f);
}

static int rm_cb(const char *path, const struct stat *st, int flag,
		 struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void sim_begin(void)
{
	snprintf(root, sizeof(root), "/tmp/bifurc-sim-XXXXXX");
	if (!mkdtemp(root))
		die("mkdtemp");
}

void sim_plain_netdev(const char *ifname)
{
	char rel[256], buf[32];
	static int next = 100;

	snprintf(rel, sizeof(rel), "sys/class/net/%s/device", ifname);
	mkpath(rel);
	snprintf(rel, sizeof(rel), "sys/class/net/%s/ifindex", ifname);
	snprintf(buf, sizeof(buf), "%d\n", next++);
	sim_sysfs_write(rel, buf);
}

struct sim_dev *sim_dev_new(const char *ifname, const char *bdf,
			    unsigned int nqueues)
{
	struct sim_dev *d = calloc(1, sizeof(*d));
	char rel[256], buf[256];
	int i;

	if (!d)
		die("calloc");
	for (i = 0; i < MAX_DEVS && devs[i]; i++)
		;
	if (i == MAX_DEVS)
		abort();
	devs[i] = d;
	snprintf(d->ifname, sizeof(d->ifname), "%s", ifname);
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	d->ifindex = 2 + (uint32_t)i;
	d->info_ifindex = d->ifindex;
	d->nqueues = nqueues;
	d->abi_version = BIFURC_ABI_VERSION;
	d->info_flags = BIFURC_INFO_F_RAW_DESC | BIFURC_INFO_F_BUSY_POLL |
			BIFURC_INFO_F_NTUPLE | BIFURC_INFO_F_TX |
			BIFURC_INFO_F_TX_WAIT;
	d->min_rx_desc = 64;
	d->max_rx_desc = 8192;
	d->max_ring = 32768;
	d->min_buf = 2048;
	d->max_buf = 16384;
	d->max_buf_count = 65536;
	d->max_flows = 8;
	d->fdir_capacity = 32;
	d->max_tx_frame = 1518;		/* MTU 1500 + 14 + 4 (VLAN) */

	snprintf(rel, sizeof(rel), "sys/class/net/%s/device/bifurc/bifurc-%s",
		 ifname, bdf);
	mkpath(rel);
	snprintf(rel, sizeof(rel), "sys/class/net/%s/ifindex", ifname);
	snprintf(buf, sizeof(buf), "%u\n", d->ifindex);
	sim_sysfs_write(rel, buf);
	snprintf(rel, sizeof(rel),
		 "sys/class/net/%s/device/bifurc/bifurc-%s/uevent", ifname, bdf);
	snprintf(buf, sizeof(buf), "MAJOR=240\nMINOR=%d\nDEVNAME=bifurc/%s\n",
		 i, bdf);
	sim_sysfs_write(rel, buf);
	snprintf(rel, sizeof(rel),
		 "sys/class/net/%s/device/bifurc/bifurc-%s/dev", ifname, bdf);
	snprintf(buf, sizeof(buf), "240:%d\n", i);
	sim_sysfs_write(rel, buf);
	return d;
}

void sim_reserve(struct sim_dev *d, unsigned int q)
{
	d->reserved[q / 64] |= 1ULL << (q % 64);
}

static int qbit(const uint64_t *m, unsigned int q)
{
	return (m[q / 64] >> (q % 64)) & 1;
}

/* ---- attachments ----------------------------------------------------- */

static void att_free(struct sim_att *a)
{
	int i;

	for (i = 0; i < MAX_ATTS; i++)
		if (atts[i] == a)
			atts[i] = NULL;
	__real_munmap(a->kmem, a->kmem_len);
	__real_close(a->memfd);
	__real_close(a->ro_fd);
	free(a->state);
	free(a->hw_slot);
	free(a->hw_meta);
	free(a->txd);
	free(a);
}

static void rules_drop_owner(struct sim_dev *d, struct sim_file *f)
{
	int i, left = 0;

	for (i = 0; i < SIM_MAX_RULES; i++) {
		if (d->rules[i].used && d->rules[i].owner == f)
			d->rules[i].used = 0;
		left += d->rules[i].used;
	}
	if (!left)
		d->mask_set = 0;
}

/*
 * Stop the queue: give it back to the reserved-idle state.  "extra" adds
 * status bits (BIFURC_STATUS_TX_HANG) to the one the reason implies.
 */
static void att_stop(struct sim_att *a, int why, uint32_t extra)
{
	struct sim_dev *d = a->dev;
	uint32_t st;

	if (d->att[a->queue] == a) {
		d->att[a->queue] = NULL;
		d->attached[a->queue / 64] &= ~(1ULL << (a->queue % 64));
	}
	if (a->file)
		rules_drop_owner(d, a->file);
	if (why) {
		a->dead = why;
		st = why == ENODEV ? BIFURC_STATUS_REMOVED :
		     why == EACCES ? BIFURC_STATUS_REVOKED : BIFURC_STATUS_RESET;
		__atomic_store_n(&a->cnt->status, st | extra, __ATOMIC_RELEASE);
	}
}

/* File released: detach; pages live on while mapped. */
static void att_release(struct sim_att *a)
{
	att_stop(a, 0, 0);
	a->file = NULL;
	if (a->mappings == 0)
		att_free(a);
}

void sim_reset(struct sim_dev *d)
{
	unsigned int q;

	for (q = 0; q < BIFURC_MAX_QUEUES; q++)
		if (d->att[q])
			att_stop(d->att[q], ENETRESET, 0);
}

void sim_tx_hang(struct sim_dev *d)
{
	unsigned int q;

	/* Section 4a: the driver's TX hang path resets the adapter. */
	for (q = 0; q < BIFURC_MAX_QUEUES; q++)
		if (d->att[q])
			att_stop(d->att[q], ENETRESET,
				 (d->att[q]->flags & BIFURC_ATTACH_TX) ?
				 BIFURC_STATUS_TX_HANG : 0);
}

void sim_remove(struct sim_dev *d)
{
	int i;

	d->removed = 1;
	for (i = 0; i < MAX_ATTS; i++)
		if (atts[i] && atts[i]->dev == d && !atts[i]->dead)
			att_stop(atts[i], ENODEV, 0);
}

void sim_revoke(struct sim_dev *d, unsigned int queue)
{
	if (d->att[queue])
		att_stop(d->att[queue], EACCES, 0);
}

struct sim_att *sim_att_of(struct sim_dev *d, unsigned int q)
{
	return d->att[q];
}

uint32_t sim_posted(const struct sim_att *a)
{
	return a->hw_tail - a->hw_head;
}

uint32_t sim_tx_in_flight(const struct sim_att *a)
{
	return a->tx_tail - a->tx_clean;
}

int sim_live_mappings(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_MAPS; i++)
		n += maps[i].addr != NULL;
	return n;
}

int sim_live_atts(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_ATTS; i++)
		n += atts[i] != NULL;
	return n;
}

int sim_end(void)
{
	int i, leaks = 0;

	for (i = 0; i < MAX_FDS; i++) {
		if (files[i]) {
			fprintf(stderr, "# sim: device fd %d left open\n", i);
			leaks++;
			__wrap_close(i);
		}
	}
	for (i = 0; i < MAX_MAPS; i++) {
		if (maps[i].addr) {
			fprintf(stderr, "# sim: mapping %p left\n", maps[i].addr);
			leaks++;
			__wrap_munmap(maps[i].addr, maps[i].len);
		}
	}
	for (i = 0; i < MAX_ATTS; i++) {
		if (atts[i]) {
			fprintf(stderr, "# sim: attachment not freed\n");
			leaks++;
			att_free(atts[i]);
		}
	}
	for (i = 0; i < MAX_DEVS; i++) {
		free(devs[i]);
		devs[i] = NULL;
	}
	nftw(root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	return leaks;
}

/* ---- the NIC and NAPI ------------------------------------------------ */

static void set_need_wakeup(struct sim_att *a)
{
	uint32_t f = 0;

	/*
	 * Busy poll: always.  Otherwise when, after the pass, the NIC does
	 * not hold a full ring of empty buffers (fill ring ran dry, or raw
	 * slots still wait for the user consumer).
	 */
	if ((a->flags & BIFURC_ATTACH_BUSY_POLL) ||
	    a->hw_tail - a->hw_head < a->rx_desc - 1)
		f = BIFURC_RING_NEED_WAKEUP;
	__atomic_store_n(&a->fill_h->flags, f, __ATOMIC_RELAXED);
	/* The kernel follows with smp_mb() and re-reads the producer; the
	 * next refill pass does that here. */
}

/* Fill ring -> descriptors, validating each id (design rule 1). */
static void refill(struct sim_att *a, uint32_t *refilled, uint32_t *rejected)
{
	uint32_t uprod, id, slot, dmask = a->rx_desc - 1;

	uprod = __atomic_load_n(&a->fill_h->producer, __ATOMIC_ACQUIRE);
	if (uprod - a->kcons > a->fill_n) {
		a->cnt->rx_ring_err++;
		goto out;
	}
	while (a->kcons != uprod && a->hw_tail - a->hw_clean < a->rx_desc - 1) {
		id = a->fill_e[a->kcons & (a->fill_n - 1)];
		a->kcons++;
		if (id >= a->buf_count || a->state[id] != 0) {
			a->cnt->rx_bad_id++;
			if (rejected)
				(*rejected)++;
			continue;
		}
		a->state[id] = 1;
		slot = a->hw_tail & dmask;
		a->hw_slot[slot] = id;
		if (a->flags & BIFURC_ATTACH_RAW_DESC) {
			a->slots[slot] = id;
			memset(&a->desc[slot], 0, sizeof(a->desc[slot]));
		}
		a->hw_tail++;
		if (refilled)
			(*refilled)++;
	}
	__atomic_store_n(&a->fill_h->consumer, a->kcons, __ATOMIC_RELEASE);
	if (a->flags & BIFURC_ATTACH_RAW_DESC)
		__atomic_store_n(&a->comp_h->producer, a->hw_tail,
				 __ATOMIC_RELEASE);
out:
	set_need_wakeup(a);
}

/* Done descriptors -> comp ring (interrupt mode: NAPI; busy: kick). */
static uint32_t harvest(struct sim_att *a)
{
	uint32_t ucons, slot, id, done = 0, dmask = a->rx_desc - 1;
	struct bifurc_rx_comp *e;

	while (a->hw_clean != a->hw_head) {
		ucons = __atomic_load_n(&a->comp_h->consumer, __ATOMIC_ACQUIRE);
		if (a->kprod - ucons > a->comp_n) {
			a->cnt->rx_ring_err++;
			break;
		}
		if (a->kprod - ucons == a->comp_n) {
			a->cnt->rx_comp_full++;
			break;
		}
		slot = a->hw_clean & dmask;
		id = a->hw_slot[slot];
		e = &a->comp_e[a->kprod & (a->comp_n - 1)];
		e->buf = id;
		e->len = a->hw_meta[slot].len;
		e->vlan_tci = a->hw_meta[slot].m.vlan;
		e->rss_hash = a->hw_meta[slot].m.hash;
		e->flags = a->hw_meta[slot].m.flags |
			   (a->hw_meta[slot].eop ? BIFURC_RX_F_EOP : 0);
		e->ptype = a->hw_meta[slot].m.ptype;
		a->state[id] = 0;
		a->cnt->rx_bytes += e->len;
		if (a->hw_meta[slot].eop)
			a->cnt->rx_packets++;
		a->kprod++;
		a->hw_clean++;
		done++;
	}
	__atomic_store_n(&a->comp_h->producer, a->kprod, __ATOMIC_RELEASE);
	return done;
}

/* Raw mode: slots behind the user consumer go back to the user. */
static uint32_t reclaim(struct sim_att *a)
{
	uint32_t ucons, slot, done = 0, dmask = a->rx_desc - 1;
	uint32_t st;

	ucons = __atomic_load_n(&a->comp_h->consumer, __ATOMIC_ACQUIRE);
	if (ucons - a->hw_clean > a->hw_tail - a->hw_clean) {
		a->cnt->rx_ring_err++;
		return 0;
	}
	while (a->hw_clean != ucons) {
		slot = a->hw_clean & dmask;
		st = a->desc[slot].status_error;
		if (!(st & BIFURC_RXD_STAT_DD)) {
			a->cnt->rx_ring_err++;
			break;
		}
		a->state[a->hw_slot[slot]] = 0;
		a->cnt->rx_bytes += a->desc[slot].length;
		if (st & BIFURC_RXD_STAT_EOP)
			a->cnt->rx_packets++;
		a->hw_clean++;
		done++;
	}
	return done;
}

/* ---- TX (section 4a) -------------------------------------------------- */

/*
 * The tx ring's NEED_WAKEUP (section 3): set when nothing is in flight on
 * the NIC (no completion interrupt will come to run NAPI, which submits
 * on its own) or in busy-poll mode, clear otherwise.  The kernel follows
 * with smp_mb() and re-reads the tx producer; single-threaded here, the
 * next submit pass does that.
 */
static void tx_set_need_wakeup(struct sim_att *a)
{
	uint32_t f = 0;

	if ((a->flags & BIFURC_ATTACH_BUSY_POLL) || a->tx_tail == a->tx_clean)
		f = BIFURC_RING_NEED_WAKEUP;
	__atomic_store_n(&a->tx_h->flags, f, __ATOMIC_RELAXED);
}

/* Free txc slots; a user consumer claiming too much reads as full. */
static uint32_t txc_room(struct sim_att *a)
{
	uint32_t ucons, used;

	ucons = __atomic_load_n(&a->txc_h->consumer, __ATOMIC_ACQUIRE);
	used = a->ktxc_prod - ucons;
	if (used > a->txc_n) {
		a->cnt->tx_ring_err++;
		return 0;
	}
	return a->txc_n - used;
}

static void txc_put(struct sim_att *a, uint32_t v)
{
	a->txc_e[a->ktxc_prod & (a->txc_n - 1)] = v;
	a->ktxc_prod++;
}

/* Descriptors the NIC has sent -> txc; each id is USER again. */
static uint32_t tx_reclaim(struct sim_att *a)
{
	uint32_t room, id, done = 0;

	if (a->tx_clean != a->tx_head) {
		room = txc_room(a);
		while (a->tx_clean != a->tx_head && done < room) {
			id = a->txd[a->tx_clean & (a->tx_desc - 1)].id;
			a->state[id] = 0;
			txc_put(a, id);
			a->tx_clean++;
			done++;
		}
		__atomic_store_n(&a->txc_h->producer, a->ktxc_prod,
				 __ATOMIC_RELEASE);
	}
	tx_set_need_wakeup(a);
	return done;
}

/* One frame as read from the tx ring: copied once, then only the copy is
 * used (user space may rewrite the ring at any time). */
struct sim_txf {
	struct bifurc_tx_entry e[BIFURC_TX_MAX_FRAGS + 1];
	uint8_t  id_ok[BIFURC_TX_MAX_FRAGS + 1];
	uint32_t n;		/* entries */
	uint32_t good_ids;	/* entries whose id passed the id check */
	int      bad_shape;	/* len/offset/flags/frags/total check failed */
	int      cut;		/* ended by the fragment limit, not by !MORE */
};

/*
 * Read the frame at the private consumer; 0 if its last entry is not
 * produced yet (it waits).  A run of more than BIFURC_TX_MAX_FRAGS
 * entries with MORE is cut there and refused; the rest of it, up to an
 * entry without MORE, is refused the same way (tx_discard) so that no
 * tail of an over-long frame is ever sent as a frame of its own.
 */
static uint32_t tx_peek(struct sim_att *a, uint32_t avail, struct sim_txf *f)
{
	uint64_t total = 0;
	uint32_t i, j, id;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < avail && i <= BIFURC_TX_MAX_FRAGS; i++) {
		f->e[i] = a->tx_e[(a->ktx_cons + i) & (a->tx_n - 1)];
		if (!(f->e[i].flags & BIFURC_TX_F_MORE)) {
			f->n = i + 1;
			break;
		}
	}
	if (!f->n) {
		if (i <= BIFURC_TX_MAX_FRAGS)
			return 0;
		f->n = BIFURC_TX_MAX_FRAGS + 1;
		f->cut = 1;
	}
	for (i = 0; i < f->n; i++) {
		const struct bifurc_tx_entry *e = &f->e[i];

		id = e->buf;
		f->id_ok[i] = id < a->buf_count && a->state[id] == 0;
		for (j = 0; j < i && f->id_ok[i]; j++)
			if (f->id_ok[j] && f->e[j].buf == id)
				f->id_ok[i] = 0;	/* double use */
		f->good_ids += f->id_ok[i];
		if (e->len < 1 || (uint64_t)e->offset + e->len > a->buf_size ||
		    (e->flags & ~BIFURC_TX_F_MORE))
			f->bad_shape = 1;
		total += e->len;
	}
	if (f->cut || a->tx_discard || f->n > BIFURC_TX_MAX_FRAGS ||
	    total < BIFURC_TX_MIN_FRAME ||
	    total > a->dev->max_tx_frame)
		f->bad_shape = 1;
	return f->n;
}

/*
 * tx ring -> NIC descriptors (NAPI, KICK TX_SUBMIT, poll).  Frames are
 * taken whole and in order; a frame is taken only if the NIC ring (at
 * most tx_desc - 1 in flight) and the txc ring (minus the slots in-flight
 * buffers will need) have room for all its buffers, else the pass stops
 * (tx_ring_full).  A bad frame is not sent: its good ids go straight back
 * through txc with BIFURC_TXC_F_REFUSED, bad ids are dropped.
 */
static void tx_submit(struct sim_att *a, uint32_t *submitted,
		      uint32_t *rejected)
{
	uint32_t uprod, in_flight, nic_room, id, i, n, wrote = 0;
	int64_t txc_free = -1;
	struct sim_txf f;
	struct sim_txd *t;

	uprod = __atomic_load_n(&a->tx_h->producer, __ATOMIC_ACQUIRE);
	if (uprod - a->ktx_cons > a->tx_n) {
		a->cnt->tx_ring_err++;
		goto out;
	}
	while (a->ktx_cons != uprod) {
		n = tx_peek(a, uprod - a->ktx_cons, &f);
		if (!n)
			break;			/* frame not complete: waits */
		in_flight = a->tx_tail - a->tx_clean;
		nic_room = a->tx_desc - 1 - in_flight;
		if (txc_free < 0)
			txc_free = (int64_t)txc_room(a) - in_flight;
		/* the kernel looks at a frame only when both rings have room */
		if (nic_room < n || txc_free < n) {
			a->cnt->tx_ring_full++;
			break;
		}
		if (f.bad_shape || f.good_ids < n) {
			if (txc_free < f.good_ids) {
				a->cnt->tx_ring_full++;
				break;
			}
			if (f.bad_shape && !a->tx_discard)
				a->cnt->tx_bad_frame++;
			for (i = 0; i < n; i++) {
				if (f.id_ok[i]) {
					txc_put(a, f.e[i].buf |
						BIFURC_TXC_F_REFUSED);
					wrote++;
				} else {
					a->cnt->tx_bad_id++;
				}
				if (rejected)
					(*rejected)++;
			}
			txc_free -= f.good_ids;
			/* Still inside an over-long frame after this chunk? */
			a->tx_discard = f.cut;
		} else {
			if (nic_room < n || txc_free < n) {
				a->cnt->tx_ring_full++;
				break;
			}
			for (i = 0; i < n; i++) {
				id = f.e[i].buf;
				a->state[id] = 1;
				t = &a->txd[a->tx_tail & (a->tx_desc - 1)];
				t->id = id;
				t->offset = f.e[i].offset;
				t->len = f.e[i].len;
				t->eop = i == n - 1;
				a->tx_tail++;
			}
			txc_free -= n;
			if (submitted)
				*submitted += n;
		}
		a->ktx_cons += n;
	}
	__atomic_store_n(&a->tx_h->consumer, a->ktx_cons, __ATOMIC_RELEASE);
	if (wrote)
		__atomic_store_n(&a->txc_h->producer, a->ktxc_prod,
				 __ATOMIC_RELEASE);
out:
	tx_set_need_wakeup(a);
}

/* NAPI of the queue pair's vector: RX and, with TX, reclaim + submit. */
static void napi(struct sim_att *a)
{
	if (a->flags & BIFURC_ATTACH_RAW_DESC)
		reclaim(a);
	else
		harvest(a);
	refill(a, NULL, NULL);
	if (a->flags & BIFURC_ATTACH_TX) {
		tx_reclaim(a);
		tx_submit(a, NULL, NULL);
	}
}

static uint16_t raw_pkt_info(const struct sim_meta *m)
{
	uint16_t v = (m->flags & BIFURC_RX_F_HASH) ? 1 : 0;

	if (m->raw_info)
		return m->raw_info;

	switch (m->ptype & BIFURC_PTYPE_L3_MASK) {
	case BIFURC_PTYPE_L3_IPV4: v |= BIFURC_RXD_PKTTYPE_IPV4; break;
	case BIFURC_PTYPE_L3_IPV4_EXT: v |= BIFURC_RXD_PKTTYPE_IPV4_EX; break;
	case BIFURC_PTYPE_L3_IPV6: v |= BIFURC_RXD_PKTTYPE_IPV6; break;
	case BIFURC_PTYPE_L3_IPV6_EXT: v |= BIFURC_RXD_PKTTYPE_IPV6_EX; break;
	}
	switch (m->ptype & BIFURC_PTYPE_L4_MASK) {
	case BIFURC_PTYPE_L4_TCP: v |= BIFURC_RXD_PKTTYPE_TCP; break;
	case BIFURC_PTYPE_L4_UDP: v |= BIFURC_RXD_PKTTYPE_UDP; break;
	case BIFURC_PTYPE_L4_SCTP: v |= BIFURC_RXD_PKTTYPE_SCTP; break;
	}
	return v;
}

static uint32_t raw_status(const struct sim_meta *m, int eop)
{
	uint32_t s = BIFURC_RXD_STAT_DD;

	if (eop)
		s |= BIFURC_RXD_STAT_EOP;
	if (m->flags & BIFURC_RX_F_VLAN)
		s |= BIFURC_RXD_STAT_VP;
	if (m->flags & BIFURC_RX_F_FLOW)
		s |= BIFURC_RXD_STAT_FLM;
	if (m->flags & BIFURC_RX_F_L3_CSUM_OK)
		s |= BIFURC_RXD_STAT_IPCS;
	if (m->flags & BIFURC_RX_F_L4_CSUM_OK)
		s |= BIFURC_RXD_STAT_L4CS;
	if (m->flags & BIFURC_RX_F_CSUM_BAD)
		s |= BIFURC_RXD_STAT_L4CS | BIFURC_RXD_ERR_TCPE;
	return s | m->raw_status;
}

/* The NIC writes one frame; 1 if written, 0 if dropped (no buffer). */
static int nic_write(struct sim_att *a, const uint8_t *data, size_t len,
		     const struct sim_meta *m)
{
	uint32_t need = (uint32_t)((len + a->buf_size - 1) / a->buf_size);
	uint32_t slot, id, chunk, dmask = a->rx_desc - 1;
	size_t off = 0;

	if (need == 0)
		need = 1;
	if (a->hw_tail - a->hw_head < need) {
		a->cnt->rx_no_buf++;
		return 0;
	}
	while (need--) {
		slot = a->hw_head & dmask;
		id = a->hw_slot[slot];
		chunk = (uint32_t)(len - off > a->buf_size ? a->buf_size :
				   len - off);
		memcpy(a->pool + (size_t)id * a->buf_size, data + off, chunk);
		off += chunk;
		a->hw_meta[slot].len = (uint16_t)chunk;
		a->hw_meta[slot].eop = need == 0;
		a->hw_meta[slot].m = *m;
		if (a->flags & BIFURC_ATTACH_RAW_DESC) {
			struct bifurc_rx_desc *d = &a->desc[slot];

			d->pkt_info = raw_pkt_info(m);
			d->rss_hash = m->hash;
			d->length = (uint16_t)chunk;
			d->vlan = m->vlan;
			/* DD last, as the NIC's write-back does. */
			__atomic_store_n(&d->status_error,
					 raw_status(m, need == 0),
					 __ATOMIC_RELEASE);
		}
		a->hw_head++;
	}
	return 1;
}

static struct sim_att *rx_att(struct sim_dev *d, unsigned int q)
{
	struct sim_att *a = d->att[q];

	return a && !a->dead ? a : NULL;
}

int sim_rx(struct sim_dev *d, unsigned int q, const void *frame, size_t len,
	   const struct sim_meta *m)
{
	static const struct sim_meta none;
	struct sim_att *a;
	int n = -1;

	pthread_mutex_lock(&sim_lock);
	a = rx_att(d, q);
	if (a) {
		n = nic_write(a, frame, len, m ? m : &none);
		if (!(a->flags & BIFURC_ATTACH_BUSY_POLL))
			napi(a);
	}
	pthread_mutex_unlock(&sim_lock);
	return n;
}

static int rx_many(struct sim_dev *d, unsigned int q, unsigned int count,
		   size_t len)
{
	static const struct sim_meta none;
	struct sim_att *a = rx_att(d, q);
	uint8_t frame[9216];
	unsigned int i;
	int n = 0;

	if (!a || len > sizeof(frame))
		return -1;
	for (i = 0; i < count; i++) {
		memset(frame, (int)(i & 0xff), len);
		memcpy(frame, &i, sizeof(i) < len ? sizeof(i) : len);
		n += nic_write(a, frame, len, &none);
	}
	/* One interrupt for the batch (interrupt moderation). */
	if (!(a->flags & BIFURC_ATTACH_BUSY_POLL))
		napi(a);
	return n;
}

int sim_rx_many(struct sim_dev *d, unsigned int q, unsigned int count,
		size_t len)
{
	int n;

	pthread_mutex_lock(&sim_lock);
	n = rx_many(d, q, count, len);
	pthread_mutex_unlock(&sim_lock);
	return n;
}

void sim_wire_queue(struct sim_dev *d, const void *frame, size_t len)
{
	if (d->wire_n == 8 || len > sizeof(d->wire[0]))
		abort();
	memcpy(d->wire[d->wire_n], frame, len);
	d->wire_len[d->wire_n++] = len;
}

static int tx_send(struct sim_dev *d, unsigned int q, unsigned int frames)
{
	struct sim_att *a = rx_att(d, q);
	const struct sim_txd *t;
	unsigned int sent = 0;
	size_t len, chunk;

	if (!a || !(a->flags & BIFURC_ATTACH_TX))
		return -1;
	/* Descriptors of a frame are posted together: EOP is always there. */
	while (sent < frames && a->tx_head != a->tx_tail) {
		len = 0;
		do {
			t = &a->txd[a->tx_head & (a->tx_desc - 1)];
			chunk = t->len;
			if (len + chunk > sizeof(d->tx_last))
				chunk = sizeof(d->tx_last) - len;
			memcpy(d->tx_last + len, a->pool +
			       (size_t)t->id * a->buf_size + t->offset, chunk);
			len += t->len;
			a->tx_head++;
		} while (!t->eop);
		a->cnt->tx_packets++;
		a->cnt->tx_bytes += len;
		d->tx_last_len = len;
		d->tx_sent++;
		sent++;
	}
	/* The completion interrupt (interrupt mode only). */
	if (sent && !(a->flags & BIFURC_ATTACH_BUSY_POLL))
		napi(a);
	return (int)sent;
}

int sim_tx_send(struct sim_dev *d, unsigned int q, unsigned int frames)
{
	int n;

	pthread_mutex_lock(&sim_lock);
	n = tx_send(d, q, frames);
	pthread_mutex_unlock(&sim_lock);
	return n;
}

void sim_inject_txc(struct sim_att *a, uint32_t v)
{
	txc_put(a, v);
	__atomic_store_n(&a->txc_h->producer, a->ktxc_prod, __ATOMIC_RELEASE);
}

void sim_inject_comp(struct sim_att *a, uint32_t id, uint16_t len)
{
	struct bifurc_rx_comp *e;

	pthread_mutex_lock(&sim_lock);
	e = &a->comp_e[a->kprod & (a->comp_n - 1)];
	memset(e, 0, sizeof(*e));
	e->buf = id;
	e->len = len;
	e->flags = BIFURC_RX_F_EOP;
	a->kprod++;
	__atomic_store_n(&a->comp_h->producer, a->kprod, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&sim_lock);
}

/* ---- flow rules ------------------------------------------------------ */

static int match_equal(const struct bifurc_flow_match *x,
		       const struct bifurc_flow_match *y)
{
	return memcmp(x, y, sizeof(*x)) == 0;
}

/* The mask of a rule as the port sees it: ports and addresses. */
static int mask_equal(const struct bifurc_flow_match *x,
		      const struct bifurc_flow_match *y)
{
	return x->src_port == y->src_port && x->dst_port == y->dst_port &&
	       !memcmp(x->src_addr, y->src_addr, sizeof(x->src_addr)) &&
	       !memcmp(x->dst_addr, y->dst_addr, sizeof(x->dst_addr));
}

static int rule_insert(struct sim_dev *d, struct sim_file *owner,
		       const struct bifurc_flow_match *v,
		       const struct bifurc_flow_match *m, unsigned int queue)
{
	int i, owned = 0, used = 0, slot = -1;

	if (d->mask_set && !mask_equal(&d->mask, m))
		return -EBUSY;
	for (i = 0; i < SIM_MAX_RULES; i++) {
		if (!d->rules[i].used) {
			if (slot < 0 && (uint32_t)i < d->fdir_capacity)
				slot = i;
			continue;
		}
		used++;
		if (owner && d->rules[i].owner == owner)
			owned++;
		if (match_equal(&d->rules[i].value, v) &&
		    mask_equal(&d->rules[i].mask, m))
			return -EEXIST;
	}
	if (owner && (uint32_t)owned >= d->max_flows)
		return -ENOSPC;
	if (slot < 0 || (uint32_t)used >= d->fdir_capacity)
		return -ENOSPC;
	d->rules[slot].used = 1;
	d->rules[slot].id = (uint32_t)slot;
	d->rules[slot].owner = owner;
	d->rules[slot].queue = queue;
	d->rules[slot].value = *v;
	d->rules[slot].mask = *m;
	d->mask_set = 1;
	d->mask = *m;
	return slot;
}

int sim_admin_rule(struct sim_dev *d, const struct bifurc_flow_match *v,
		   const struct bifurc_flow_match *m, unsigned int queue)
{
	return rule_insert(d, NULL, v, m, queue);
}

int sim_steer(struct sim_dev *d, const struct bifurc_flow_match *pkt)
{
	const uint8_t *p, *v, *m;
	size_t k;
	int i, hit;

	for (i = 0; i < SIM_MAX_RULES; i++) {
		if (!d->rules[i].used || d->rules[i].value.proto != pkt->proto ||
		    d->rules[i].value.family != pkt->family)
			continue;
		p = (const uint8_t *)pkt;
		v = (const uint8_t *)&d->rules[i].value;
		m = (const uint8_t *)&d->rules[i].mask;
		hit = 1;
		for (k = 4; k < sizeof(*pkt); k++)
			if ((p[k] & m[k]) != v[k])
				hit = 0;
		if (hit)
			return (int)d->rules[i].queue;
	}
	return -1;
}

/* Validate a rule as the kernel must (section 8 EINVAL/EOPNOTSUPP). */
static int rule_check(struct sim_dev *d, const struct bifurc_flow_rule *r)
{
	const struct bifurc_flow_match *v = &r->value, *m = &r->mask;
	const uint8_t *vb = (const uint8_t *)v, *mb = (const uint8_t *)m;
	size_t k;

	if (r->flags || !all_zero(r->reserved, sizeof(r->reserved)) ||
	    v->reserved || m->proto || m->family || m->reserved)
		return -EINVAL;
	if (v->family == BIFURC_FLOW_IPV6) {
		if (!(d->info_flags & BIFURC_INFO_F_FLOW_IPV6))
			return -EOPNOTSUPP;
	} else if (v->family == BIFURC_FLOW_IPV4) {
		if (!all_zero(&v->src_addr[1], 12) ||
		    !all_zero(&v->dst_addr[1], 12) ||
		    !all_zero(&m->src_addr[1], 12) ||
		    !all_zero(&m->dst_addr[1], 12))
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (v->proto == IPPROTO_SCTP)
		return -EOPNOTSUPP;
	if (v->proto != IPPROTO_UDP && v->proto != IPPROTO_TCP)
		return -EINVAL;
	for (k = 4; k < sizeof(*v); k++)
		if (vb[k] & ~mb[k])
			return -EINVAL;
	if (all_zero(mb + 4, sizeof(*m) - 4))
		return -EINVAL;
	return 0;
}

/* ---- ioctls ------------------------------------------------------------ */

/* copy_struct_from_user() rules, section 2. */
static int copy_in(void *k, size_t ksize, const void *u, size_t ver0)
{
	uint32_t usize;

	memcpy(&usize, u, sizeof(usize));
	if (usize < ver0)
		return -EINVAL;
	if (usize > BIFURC_MAX_STRUCT_SIZE)
		return -E2BIG;
	if (usize > ksize && !all_zero((const uint8_t *)u + ksize,
				       usize - ksize))
		return -E2BIG;
	memset(k, 0, ksize);
	memcpy(k, u, usize < ksize ? usize : ksize);
	return 0;
}

static void copy_out(void *u, void *k, size_t ksize)
{
	uint32_t usize, n;

	memcpy(&usize, u, sizeof(usize));
	n = usize < ksize ? usize : (uint32_t)ksize;
	memcpy(k, &n, sizeof(n));
	memcpy(u, k, n);
}

static int ioc_info(struct sim_file *f, void *arg)
{
	struct sim_dev *d = f->dev;
	struct bifurc_info i;
	int err;

	err = copy_in(&i, sizeof(i), arg, BIFURC_INFO_SIZE_VER0);
	if (err)
		return err;
	if (!all_zero((uint8_t *)&i + 4, sizeof(i) - 4))
		return -EINVAL;
	i.abi_version = d->abi_version;
	i.flags = d->info_flags;
	i.ifindex = d->info_ifindex;
	i.num_rx_queues = d->nqueues;
	i.num_tx_queues = d->nqueues;
	i.min_rx_desc = d->min_rx_desc;
	i.max_rx_desc = d->max_rx_desc;
	i.max_ring_entries = d->max_ring;
	i.min_buf_size = d->min_buf;
	i.max_buf_size = d->max_buf;
	i.max_buf_count = d->max_buf_count;
	i.max_flows = d->max_flows;
	/* An old kernel (no TX) had a zero reserved field here. */
	i.max_tx_frame = (d->info_flags & BIFURC_INFO_F_TX) ?
			 d->max_tx_frame : 0;
	memcpy(i.reserved_queues, d->reserved, sizeof(d->reserved));
	memcpy(i.attached_queues, d->attached, sizeof(d->attached));
	snprintf(i.ifname, sizeof(i.ifname), "%s", d->ifname);
	copy_out(arg, &i, sizeof(i));
	return 0;
}

static int ring_ok(uint32_t n, uint32_t lo, uint32_t hi)
{
	return is_pow2(n) && n >= lo && n <= hi;
}

static int attach_check(struct sim_file *f, const struct bifurc_attach *a)
{
	struct sim_dev *d = f->dev;
	int raw = a->flags & BIFURC_ATTACH_RAW_DESC;

	if (!all_zero(a->reserved, sizeof(a->reserved)) ||
	    !all_zero(&a->rx_headroom,
		      offsetof(struct bifurc_attach, reserved) -
		      offsetof(struct bifurc_attach, rx_headroom)))
		return -EINVAL;
	if (a->flags & ~BIFURC_ATTACH_FLAGS_ALL)
		return -EINVAL;
	if (a->abi_version != d->abi_version)
		return -EPROTO;
	if (f->att)
		return -EISCONN;
	if (a->queue >= d->nqueues)
		return -ERANGE;
	if (!qbit(d->reserved, a->queue))
		return -EADDRNOTAVAIL;
	if (d->no_net_admin && !qbit(d->granted, a->queue))
		return -EPERM;
	if (qbit(d->attached, a->queue))
		return -EBUSY;
	if ((a->flags & BIFURC_ATTACH_TX) &&
	    (!(d->info_flags & BIFURC_INFO_F_TX) || d->tx_refuse))
		return -EOPNOTSUPP;
	if ((a->flags & BIFURC_ATTACH_BUSY_POLL) &&
	    !(d->info_flags & BIFURC_INFO_F_BUSY_POLL))
		return -EOPNOTSUPP;
	if (raw && !(d->info_flags & BIFURC_INFO_F_RAW_DESC))
		return -EOPNOTSUPP;
	if (!ring_ok(a->rx_desc, d->min_rx_desc, d->max_rx_desc) ||
	    !ring_ok(a->fill_entries, 64, d->max_ring) ||
	    !ring_ok(a->comp_entries, 64, d->max_ring) ||
	    !ring_ok(a->buf_size, d->min_buf, d->max_buf) ||
	    a->buf_count == 0 || a->buf_count > d->max_buf_count)
		return -EINVAL;
	if (!(a->flags & BIFURC_ATTACH_TX) &&
	    (a->tx_entries || a->txc_entries || a->tx_desc))
		return -EINVAL;
	if ((a->flags & BIFURC_ATTACH_TX) &&
	    (!ring_ok(a->tx_entries, 64, d->max_ring) ||
	     !ring_ok(a->txc_entries, 64, d->max_ring) ||
	     (a->tx_desc &&
	      !ring_ok(a->tx_desc, d->min_rx_desc, d->max_rx_desc))))
		return -EINVAL;
	if (raw && a->comp_entries != a->rx_desc)
		return -EINVAL;
	if (raw && !d->cap_sys_admin && !(d->info_flags & BIFURC_INFO_F_IOMMU))
		return -EPERM;
	return 0;
}

static void region(struct sim_att *a, int r, uint64_t *off, uint64_t len,
		   uint32_t entries, uint32_t prot)
{
	a->reg[r].fake_off = 0x10000000ULL * (uint64_t)(r + 1);
	a->reg[r].mem_off = *off;
	a->reg[r].len = PAGE_ALIGN(len);
	a->reg[r].entries = entries;
	a->reg[r].prot = prot;
	*off += a->reg[r].len;
}

static void region_out(const struct sim_att *a, int r, struct bifurc_region *o)
{
	o->offset = a->reg[r].len ? a->reg[r].fake_off : 0;
	o->length = a->reg[r].len;
	o->entries = a->reg[r].entries;
	o->prot = a->reg[r].len ? a->reg[r].prot : 0;
}

static int ioc_attach(struct sim_file *f, void *arg)
{
	const uint32_t RW = BIFURC_PROT_READ | BIFURC_PROT_WRITE;
	const uint32_t RO = BIFURC_PROT_READ;
	struct sim_dev *d = f->dev;
	struct bifurc_attach in;
	struct sim_att *a;
	char path[64];
	uint64_t off = 0;
	int err, raw, tx, i;

	err = copy_in(&in, sizeof(in), arg, BIFURC_ATTACH_SIZE_VER0);
	if (err)
		return err;
	err = attach_check(f, &in);
	if (err)
		return err;
	if (d->fail_attach) {
		err = -d->fail_attach;
		d->fail_attach = 0;
		return err;
	}
	raw = !!(in.flags & BIFURC_ATTACH_RAW_DESC);
	tx = !!(in.flags & BIFURC_ATTACH_TX);

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->dev = d;
	a->file = f;
	a->queue = in.queue;
	a->flags = in.flags;
	a->rx_desc = in.rx_desc;
	a->fill_n = in.fill_entries;
	a->comp_n = in.comp_entries;
	a->buf_size = in.buf_size;
	a->buf_count = in.buf_count;
	a->tx_n = in.tx_entries;
	a->txc_n = in.txc_entries;
	a->tx_desc = in.tx_desc ? in.tx_desc : in.rx_desc;

	region(a, SIM_R_POOL, &off, (uint64_t)in.buf_size * in.buf_count, 0, RW);
	region(a, SIM_R_FILL, &off, BIFURC_RING_ENTRIES_OFFSET +
	       (uint64_t)in.fill_entries * 4, in.fill_entries, RW);
	region(a, SIM_R_COMP, &off, BIFURC_RING_ENTRIES_OFFSET +
	       (raw ? 0 : (uint64_t)in.comp_entries *
		sizeof(struct bifurc_rx_comp)), in.comp_entries, RW);
	if (raw)
		region(a, SIM_R_DESC, &off, BIFURC_RAW_SLOTS_OFFSET(in.rx_desc) +
		       (uint64_t)in.rx_desc * 4, in.rx_desc, RO);
	if (tx) {
		region(a, SIM_R_TX, &off, BIFURC_RING_ENTRIES_OFFSET +
		       (uint64_t)in.tx_entries * sizeof(struct bifurc_tx_entry),
		       in.tx_entries, RW);
		region(a, SIM_R_TXC, &off, BIFURC_RING_ENTRIES_OFFSET +
		       (uint64_t)in.txc_entries * 4, in.txc_entries, RW);
	}
	region(a, SIM_R_COUNTERS, &off, sizeof(struct bifurc_counters), 0, RO);

	a->kmem_len = off;
	a->memfd = memfd_create("bifurc-sim", MFD_CLOEXEC);
	if (a->memfd < 0 || ftruncate(a->memfd, (off_t)off))
		die("memfd");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", a->memfd);
	a->ro_fd = __real_open(path, O_RDONLY | O_CLOEXEC);
	if (a->ro_fd < 0)
		die(path);
	a->kmem = __real_mmap(NULL, off, PROT_READ | PROT_WRITE, MAP_SHARED,
			      a->memfd, 0);
	if (a->kmem == MAP_FAILED)
		die("mmap");
	a->pool = a->kmem + a->reg[SIM_R_POOL].mem_off;
	a->fill_h = (void *)(a->kmem + a->reg[SIM_R_FILL].mem_off);
	a->fill_e = (void *)((uint8_t *)a->fill_h + BIFURC_RING_ENTRIES_OFFSET);
	a->comp_h = (void *)(a->kmem + a->reg[SIM_R_COMP].mem_off);
	a->comp_e = (void *)((uint8_t *)a->comp_h + BIFURC_RING_ENTRIES_OFFSET);
	if (raw) {
		a->desc = (void *)(a->kmem + a->reg[SIM_R_DESC].mem_off);
		a->slots = (void *)((uint8_t *)a->desc +
				    BIFURC_RAW_SLOTS_OFFSET(in.rx_desc));
	}
	if (tx) {
		a->tx_h = (void *)(a->kmem + a->reg[SIM_R_TX].mem_off);
		a->tx_e = (void *)((uint8_t *)a->tx_h +
				   BIFURC_RING_ENTRIES_OFFSET);
		a->txc_h = (void *)(a->kmem + a->reg[SIM_R_TXC].mem_off);
		a->txc_e = (void *)((uint8_t *)a->txc_h +
				    BIFURC_RING_ENTRIES_OFFSET);
		/* Nothing in flight: a submit needs a kick. */
		a->tx_h->flags = BIFURC_RING_NEED_WAKEUP;
		a->txd = calloc(a->tx_desc, sizeof(*a->txd));
		if (!a->txd)
			die("calloc");
	}
	a->cnt = (void *)(a->kmem + a->reg[SIM_R_COUNTERS].mem_off);
	a->cnt->size = sizeof(*a->cnt);
	a->cnt->status = BIFURC_STATUS_ATTACHED;
	a->fill_h->flags = BIFURC_RING_NEED_WAKEUP;
	a->state = calloc(in.buf_count, 1);
	a->hw_slot = calloc(in.rx_desc, sizeof(*a->hw_slot));
	a->hw_meta = calloc(in.rx_desc, sizeof(*a->hw_meta));
	if (!a->state || !a->hw_slot || !a->hw_meta)
		die("calloc");

	for (i = 0; i < MAX_ATTS && atts[i]; i++)
		;
	if (i == MAX_ATTS)
		abort();
	atts[i] = a;
	f->att = a;
	d->att[in.queue] = a;
	d->attached[in.queue / 64] |= 1ULL << (in.queue % 64);

	in.rx_headroom = 0;
	in.desc_format = raw ? BIFURC_DESC_FMT_IXGBE_ADV : BIFURC_DESC_FMT_NONE;
	region_out(a, SIM_R_POOL, &in.pool);
	region_out(a, SIM_R_FILL, &in.fill);
	region_out(a, SIM_R_COMP, &in.comp);
	region_out(a, SIM_R_DESC, &in.desc);
	region_out(a, SIM_R_TX, &in.tx);
	region_out(a, SIM_R_TXC, &in.txc);
	region_out(a, SIM_R_COUNTERS, &in.counters);
	switch (d->corrupt_attach) {
	case 1: in.fill.entries /= 2; break;
	case 2: in.counters.prot = 0; break;
	case 3: in.pool.length = 0; break;
	case 4: in.desc_format = 7; break;
	case 5: in.rx_headroom = in.buf_size; break;
	case 6: in.tx.entries /= 2; break;
	case 7: in.txc.length = 0; break;
	}
	copy_out(arg, &in, sizeof(in));
	return 0;
}

static int live_att(struct sim_file *f, struct sim_att **ap)
{
	if (!f->att)
		return -ENOTCONN;
	if (f->att->dead)
		return -f->att->dead;
	*ap = f->att;
	return 0;
}

static int ioc_kick(struct sim_file *f, void *arg)
{
	struct bifurc_kick k;
	struct sim_att *a;
	int err;

	err = copy_in(&k, sizeof(k), arg, BIFURC_KICK_SIZE_VER0);
	if (err)
		return err;
	if (!all_zero(&k.rx_refilled, sizeof(k) - 8))
		return -EINVAL;
	if (!k.flags || (k.flags & ~BIFURC_KICK_FLAGS_ALL))
		return -EINVAL;
	err = live_att(f, &a);
	if (err)
		return err;
	if ((k.flags & (BIFURC_KICK_TX_SUBMIT | BIFURC_KICK_TX_RECLAIM)) &&
	    !(a->flags & BIFURC_ATTACH_TX))
		return -EOPNOTSUPP;
	if (f->dev->fail_kick) {
		err = -f->dev->fail_kick;
		f->dev->fail_kick = 0;
		return err;
	}
	a->cnt->kicks++;
	if (k.flags & BIFURC_KICK_RX_HARVEST) {
		f->dev->n_kick_harvest++;
		k.rx_completed = (a->flags & BIFURC_ATTACH_RAW_DESC) ?
				 reclaim(a) : harvest(a);
	}
	if (k.flags & BIFURC_KICK_RX_REFILL) {
		if (a->flags & BIFURC_ATTACH_RAW_DESC)
			k.rx_completed += reclaim(a);
		refill(a, &k.rx_refilled, &k.rx_rejected);
	}
	if (k.flags & BIFURC_KICK_TX_RECLAIM)
		k.tx_completed = tx_reclaim(a);
	if (k.flags & BIFURC_KICK_TX_SUBMIT)
		tx_submit(a, &k.tx_submitted, &k.tx_rejected);
	copy_out(arg, &k, sizeof(k));
	return 0;
}

static int ioc_flow_add(struct sim_file *f, void *arg)
{
	struct bifurc_flow_rule r;
	struct sim_att *a;
	int err;

	err = copy_in(&r, sizeof(r), arg, BIFURC_FLOW_RULE_SIZE_VER0);
	if (err)
		return err;
	if (r.rule_id)
		return -EINVAL;
	err = live_att(f, &a);
	if (err)
		return err;
	/* ixgbe_bifurc_may_steer(): before any other check of the rule */
	if (f->dev->no_net_admin &&
	    (r.mask.dst_port != 0xffff || ntohs(r.value.dst_port) < 1024))
		return -EACCES;
	if (!(f->dev->info_flags & BIFURC_INFO_F_NTUPLE))
		return -EOPNOTSUPP;
	err = rule_check(f->dev, &r);
	if (err)
		return err;
	err = rule_insert(f->dev, f, &r.value, &r.mask, a->queue);
	if (err < 0)
		return err;
	r.rule_id = (uint32_t)err;
	copy_out(arg, &r, sizeof(r));
	return 0;
}

static int ioc_flow_del(struct sim_file *f, void *arg)
{
	struct sim_dev *d = f->dev;
	struct bifurc_flow_del r;
	struct sim_att *a;
	int err, i, left = 0;

	err = copy_in(&r, sizeof(r), arg, BIFURC_FLOW_DEL_SIZE_VER0);
	if (err)
		return err;
	if (!all_zero(r.reserved, sizeof(r.reserved)))
		return -EINVAL;
	err = live_att(f, &a);
	if (err)
		return err;
	if (r.rule_id >= SIM_MAX_RULES || !d->rules[r.rule_id].used ||
	    d->rules[r.rule_id].owner != f)
		return -ENOENT;
	d->rules[r.rule_id].used = 0;
	for (i = 0; i < SIM_MAX_RULES; i++)
		left += d->rules[i].used;
	if (!left)
		d->mask_set = 0;
	return 0;
}

static int ioc_flow_mask(struct sim_file *f, void *arg)
{
	struct sim_dev *d = f->dev;
	struct bifurc_flow_mask m;
	struct sim_att *a;
	int err, i;

	err = copy_in(&m, sizeof(m), arg, BIFURC_FLOW_MASK_SIZE_VER0);
	if (err)
		return err;
	if (!all_zero((uint8_t *)&m + 4, sizeof(m) - 4))
		return -EINVAL;
	err = live_att(f, &a);
	if (err)
		return err;
	if (d->mask_set) {
		m.flags = BIFURC_MASK_F_SET;
		m.mask = d->mask;
		m.mask.family = BIFURC_FLOW_IPV4;
		for (i = 0; i < SIM_MAX_RULES; i++) {
			if (!d->rules[i].used)
				continue;
			m.rules++;
			if (d->rules[i].owner == f)
				m.owned++;
			if (d->rules[i].value.family == BIFURC_FLOW_IPV6)
				m.mask.family = BIFURC_FLOW_IPV6;
		}
	}
	copy_out(arg, &m, sizeof(m));
	return 0;
}

static int ioc_stats(struct sim_file *f, void *arg)
{
	struct bifurc_counters c;
	struct sim_att *a;
	int err;

	err = copy_in(&c, sizeof(c), arg, BIFURC_COUNTERS_SIZE_VER0);
	if (err)
		return err;
	if (!all_zero((uint8_t *)&c + 4, sizeof(c) - 4))
		return -EINVAL;
	err = live_att(f, &a);
	if (err)
		return err;
	c = *a->cnt;
	copy_out(arg, &c, sizeof(c));
	return 0;
}

static int sim_ioctl(struct sim_file *f, unsigned long req, void *arg)
{
	unsigned int nr = _IOC_NR(req);

	if (_IOC_TYPE(req) != BIFURC_IOC_TYPE || nr > 6)
		return -ENOTTY;
	f->dev->n_ioctl[nr]++;
	if (f->dev->removed)
		return -ENODEV;
	if (!arg)
		return -EFAULT;
	switch (nr) {
	case 0: return ioc_info(f, arg);
	case 1: return ioc_attach(f, arg);
	case 2: return ioc_kick(f, arg);
	case 3: return ioc_flow_add(f, arg);
	case 4: return ioc_flow_del(f, arg);
	case 5: return ioc_flow_mask(f, arg);
	default: return ioc_stats(f, arg);
	}
}

/* ---- the wrapped system calls ------------------------------------------ */

static struct sim_file *sim_fd(int fd)
{
	return fd >= 0 && fd < MAX_FDS ? files[fd] : NULL;
}

int __wrap_open(const char *path, int flags, ...)
{
	char real[512];
	mode_t mode = 0;
	va_list ap;
	int i, fd;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (root[0] && strncmp(path, "/sys/class/net/", 15) == 0) {
		snprintf(real, sizeof(real), "%s%s", root, path);
		return __real_open(real, flags, mode);
	}
	if (root[0] && strncmp(path, "/dev/bifurc/", 12) == 0) {
		for (i = 0; i < MAX_DEVS; i++) {
			struct sim_dev *d = devs[i];
			struct sim_file *f;

			if (!d || strcmp(path + 12, d->bdf) || d->removed)
				continue;
			if (d->deny_open) {
				errno = EACCES;
				return -1;
			}
			fd = __real_open("/dev/null", flags & (O_RDWR | O_CLOEXEC));
			if (fd < 0 || fd >= MAX_FDS)
				abort();
			f = calloc(1, sizeof(*f));
			if (!f)
				abort();
			f->fd = fd;
			f->dev = d;
			files[fd] = f;
			return fd;
		}
		errno = ENOENT;
		return -1;
	}
	return __real_open(path, flags, mode);
}

int __wrap_close(int fd)
{
	struct sim_file *f = sim_fd(fd);

	if (f) {
		if (f->att)
			att_release(f->att);
		files[fd] = NULL;
		free(f);
	}
	return __real_close(fd);
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	struct sim_file *f = sim_fd(fd);
	va_list ap;
	void *arg;
	int err;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!f)
		return __real_ioctl(fd, req, arg);
	pthread_mutex_lock(&sim_lock);
	err = sim_ioctl(f, req, arg);
	pthread_mutex_unlock(&sim_lock);
	if (err < 0) {
		errno = -err;
		return -1;
	}
	return err;
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off)
{
	struct sim_file *f = sim_fd(fd);
	struct sim_region *r = NULL;
	struct sim_att *a;
	void *p;
	int i, err = 0;

	if (!f)
		return __real_mmap(addr, len, prot, flags, fd, off);
	a = f->att;
	if (f->dev->removed)
		err = ENODEV;
	else if (!a)
		err = EINVAL;
	else if (f->dev->fail_mmap)
		err = f->dev->fail_mmap;
	if (!err) {
		for (i = 0; i < SIM_NREGIONS; i++)
			if (a->reg[i].len && a->reg[i].fake_off == (uint64_t)off)
				r = &a->reg[i];
		if (!r || r->len != len || !(flags & MAP_SHARED) ||
		    (flags & MAP_PRIVATE))
			err = EINVAL;
		else if ((prot & PROT_WRITE) && !(r->prot & BIFURC_PROT_WRITE))
			err = EACCES;
	}
	if (err) {
		if (f->dev->fail_mmap == err)
			f->dev->fail_mmap = 0;
		errno = err;
		return MAP_FAILED;
	}
	p = __real_mmap(addr, len, prot, flags,
			(r->prot & BIFURC_PROT_WRITE) ? a->memfd : a->ro_fd,
			(off_t)r->mem_off);
	if (p == MAP_FAILED)
		return p;
	for (i = 0; i < MAX_MAPS && maps[i].addr; i++)
		;
	if (i == MAX_MAPS)
		abort();
	maps[i].addr = p;
	maps[i].len = len;
	maps[i].att = a;
	a->mappings++;
	return p;
}

int __wrap_munmap(void *addr, size_t len)
{
	struct sim_att *a;
	int i;

	for (i = 0; i < MAX_MAPS; i++) {
		if (maps[i].addr != addr)
			continue;
		a = maps[i].att;
		maps[i].addr = NULL;
		if (--a->mappings == 0 && !a->file)
			att_free(a);
		break;
	}
	return __real_munmap(addr, len);
}

static int ready(struct sim_att *a)
{
	uint32_t cons = __atomic_load_n(&a->comp_h->consumer, __ATOMIC_ACQUIRE);

	if (a->flags & BIFURC_ATTACH_RAW_DESC)
		return cons != a->hw_tail &&
		       (a->desc[cons & (a->rx_desc - 1)].status_error &
			BIFURC_RXD_STAT_DD);
	return cons != a->kprod;
}

/* POLLOUT (section 7): the tx ring has room, or txc holds buffers. */
static int tx_ready(struct sim_att *a)
{
	uint32_t uprod, ucons;

	if (!(a->flags & BIFURC_ATTACH_TX))
		return 0;
	uprod = __atomic_load_n(&a->tx_h->producer, __ATOMIC_ACQUIRE);
	ucons = __atomic_load_n(&a->txc_h->consumer, __ATOMIC_ACQUIRE);
	return uprod - a->ktx_cons < a->tx_n || ucons != a->ktxc_prod;
}

/* Sent buffers in txc that user space has not taken: POLLWRBAND. */
static int txc_pending(struct sim_att *a)
{
	if (!(a->flags & BIFURC_ATTACH_TX) ||
	    !(a->dev->info_flags & BIFURC_INFO_F_TX_WAIT))
		return 0;
	return __atomic_load_n(&a->txc_h->consumer, __ATOMIC_ACQUIRE) !=
	       a->ktxc_prod;
}

static short poll_mask(struct sim_att *a)
{
	return (short)((ready(a) ? POLLIN : 0) | (tx_ready(a) ? POLLOUT : 0) |
		       (txc_pending(a) ? POLLWRBAND : 0));
}

static short sim_poll(struct sim_file *f, short events, int timeout)
{
	struct sim_dev *d = f->dev;
	struct sim_att *a = f->att;
	short mask;
	int i;

	d->n_poll++;
	if (d->removed)
		return POLLERR | POLLHUP;
	if (!a || a->dead)
		return POLLERR;
	/* RX refill + harvest and, with TX, the reclaim + submit pass. */
	napi(a);
	mask = poll_mask(a);
	if (mask & events)
		return mask;
	if (timeout == 0 || (a->flags & BIFURC_ATTACH_BUSY_POLL))
		return 0;
	/* Sleep: the world moves, queued wire frames arrive (interrupt). */
	if (d->on_sleep) {
		d->on_sleep(d, a, d->on_sleep_arg);
		if (d->removed)
			return POLLERR | POLLHUP;
		if (a->dead)
			return POLLERR;
	}
	for (i = 0; i < d->wire_n; i++)
		nic_write(a, d->wire[i], d->wire_len[i],
			  &(struct sim_meta){ 0 });
	d->wire_n = 0;
	napi(a);
	mask = poll_mask(a);
	if (mask & events) {
		a->cnt->wakeups++;
		return mask;
	}
	return 0;
}

int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct sim_file *f = n == 1 ? sim_fd(fds[0].fd) : NULL;
	int err;

	if (!f)
		return __real_poll(fds, n, timeout);
	if (f->dev->fail_poll) {
		err = f->dev->fail_poll;
		f->dev->fail_poll = 0;
		errno = err;
		return -1;
	}
	pthread_mutex_lock(&sim_lock);
	fds[0].revents = sim_poll(f, fds[0].events, timeout) &
			 (fds[0].events | POLLERR | POLLHUP | POLLNVAL);
	pthread_mutex_unlock(&sim_lock);
	return fds[0].revents ? 1 : 0;
}
