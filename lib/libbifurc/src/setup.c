// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Setup and teardown: find the device node, attach, map the regions.
 * Cold code; the data path is in rx.c.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#define SYSFS_NET	"/sys/class/net/"

/* Read a small sysfs file into buf (NUL terminated); length or -errno. */
static int read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	return (int)n;
}

/*
 * The one entry of /sys/class/net/<if>/device/bifurc/ (the discovery rule
 * of <linux/bifurc.h> section 1).  No directory: the driver has no bifurc
 * support (-EOPNOTSUPP).
 */
static int find_class_dev(const char *ifname, char *name, size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	int fd, found = 0;
	DIR *dir;

	snprintf(path, sizeof(path), SYSFS_NET "%s/device/" BIFURC_CLASS_NAME,
		 ifname);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -EOPNOTSUPP : -errno;
	dir = fdopendir(fd);
	if (!dir) {
		found = -errno;
		close(fd);
		return found;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (found++ == 0)
			snprintf(name, len, "%s", de->d_name);
	}
	closedir(dir);
	if (found != 1)
		return found ? -EIO : -EOPNOTSUPP;
	return 0;
}

/*
 * Resolve an interface name to its bifurc device node.  ifindex is read
 * from sysfs (not if_nametoindex(), which needs a socket) so that a
 * missing interface is -ENODEV.
 */
static int resolve(const char *ifname, char *node, size_t len,
		   uint32_t *ifindex)
{
	char path[PATH_MAX], buf[512], name[256];
	const char *dev;
	char *end;
	long idx;
	int err;

	if (ifname[0] == '\0' || strlen(ifname) >= 16 ||
	    strcmp(ifname, ".") == 0 || strcmp(ifname, "..") == 0)
		return -EINVAL;

	snprintf(path, sizeof(path), SYSFS_NET "%s/ifindex", ifname);
	err = read_small(path, buf, sizeof(buf));
	if (err < 0)
		return err == -ENOENT ? -ENODEV : err;
	idx = strtol(buf, &end, 10);
	if (end == buf || idx <= 0 || idx > INT_MAX)
		return -EIO;
	*ifindex = (uint32_t)idx;

	err = find_class_dev(ifname, name, sizeof(name));
	if (err)
		return err;

	snprintf(path, sizeof(path), SYSFS_NET "%s/device/" BIFURC_CLASS_NAME
		 "/%s/uevent", ifname, name);
	err = read_small(path, buf, sizeof(buf));
	if (err < 0)
		return err;
	for (dev = buf; dev; dev = strchr(dev, '\n')) {
		if (*dev == '\n')
			dev++;
		if (strncmp(dev, "DEVNAME=", 8) == 0)
			break;
	}
	if (!dev)
		return -EIO;
	dev += 8;
	end = strchr(dev, '\n');
	if (end)
		*end = '\0';
	if (dev[0] == '\0' || strstr(dev, ".."))
		return -EIO;
	snprintf(node, len, "/dev/%s", dev);
	return 0;
}

static int parse_opts(const struct bifurc_opts *in, struct bifurc_opts *o)
{
	const unsigned char *tail;
	size_t i;

	memset(o, 0, sizeof(*o));
	if (!in)
		return 0;
	if (in->size < offsetof(struct bifurc_opts, flags) + sizeof(in->flags))
		return -EINVAL;
	if (in->size > sizeof(*o)) {
		/* A newer caller: what we do not know must be zero. */
		tail = (const unsigned char *)in;
		for (i = sizeof(*o); i < in->size; i++)
			if (tail[i])
				return -E2BIG;
	}
	memcpy(o, in, in->size < sizeof(*o) ? in->size : sizeof(*o));
	o->size = sizeof(*o);
	if ((o->flags & ~(BIFURC_OPT_BUSY_POLL | BIFURC_OPT_RAW_DESC |
			  BIFURC_OPT_TX)) || o->reserved0 || o->reserved1)
		return -EINVAL;
	/* TX sizes without TX would be silently ignored: refuse them. */
	if (!(o->flags & BIFURC_OPT_TX) &&
	    (o->tx_desc || o->tx_entries || o->txc_entries || o->tx_buf_count))
		return -EINVAL;
	return 0;
}

static uint32_t pow2_roundup(uint32_t v)
{
	uint32_t p = 1;

	while (p < v && p < (1U << 31))
		p <<= 1;
	return p;
}

static uint32_t clamp_u32(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Library defaults for fields left 0; explicit values go to the kernel. */
static void fill_attach(struct bifurc_attach *a, const struct bifurc_opts *o,
			const struct bifurc_info *info, uint32_t queue)
{
	uint32_t ring_max = info->max_ring_entries;

	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->abi_version = BIFURC_ABI_VERSION;
	a->queue = queue;
	if (o->flags & BIFURC_OPT_BUSY_POLL)
		a->flags |= BIFURC_ATTACH_BUSY_POLL;
	if (o->flags & BIFURC_OPT_RAW_DESC)
		a->flags |= BIFURC_ATTACH_RAW_DESC;
	if (o->flags & BIFURC_OPT_TX)
		a->flags |= BIFURC_ATTACH_TX;

	a->rx_desc = o->rx_desc ? o->rx_desc :
		clamp_u32(BF_DEFAULT_RX_DESC, info->min_rx_desc,
			  info->max_rx_desc);
	a->buf_size = o->buf_size ? o->buf_size :
		clamp_u32(BF_DEFAULT_BUF_SIZE, info->min_buf_size,
			  info->max_buf_size);
	a->buf_count = o->buf_count ? o->buf_count :
		clamp_u32(2 * a->rx_desc, 1, info->max_buf_count);
	a->fill_entries = o->fill_entries ? o->fill_entries :
		clamp_u32(pow2_roundup(a->buf_count), BF_MIN_RING, ring_max);
	if (a->flags & BIFURC_ATTACH_RAW_DESC)
		a->comp_entries = o->comp_entries ? o->comp_entries :
			a->rx_desc;
	else
		a->comp_entries = o->comp_entries ? o->comp_entries :
			clamp_u32(pow2_roundup(a->buf_count), BF_MIN_RING,
				  ring_max);
	if (!(a->flags & BIFURC_ATTACH_TX))
		return;
	/*
	 * tx_desc 0 is the kernel's own default (rx_desc).  A tx ring of
	 * buf_count entries takes every buffer the application can hold, and
	 * a txc ring of buf_count entries never holds back TX (section 4a).
	 */
	a->tx_desc = o->tx_desc;
	a->tx_entries = o->tx_entries ? o->tx_entries :
		clamp_u32(pow2_roundup(a->buf_count), BF_MIN_RING, ring_max);
	a->txc_entries = o->txc_entries ? o->txc_entries :
		clamp_u32(pow2_roundup(a->buf_count), BF_MIN_RING, ring_max);
}

/* mmap one region with exactly the protection the kernel offers. */
static int map_region(int fd, const struct bifurc_region *r, void **out)
{
	int prot = PROT_READ;
	void *p;

	if (r->length == 0 || (r->length & 4095) ||
	    !(r->prot & BIFURC_PROT_READ) || r->length > SIZE_MAX ||
	    r->offset > (uint64_t)INT64_MAX)
		return -EPROTO;
	if (r->prot & BIFURC_PROT_WRITE)
		prot |= PROT_WRITE;
	p = mmap(NULL, (size_t)r->length, prot, MAP_SHARED, fd,
		 (off_t)r->offset);
	if (p == MAP_FAILED)
		return -errno;
	*out = p;
	return 0;
}

/* Set up a ring view over a mapped ring region. */
static int map_ring(int fd, const struct bifurc_region *r, uint32_t want,
		    size_t entry_size, struct bf_ring *ring)
{
	uint8_t *base;
	int err;

	if (r->entries != want || (want & (want - 1)) || want == 0)
		return -EPROTO;
	if (entry_size &&
	    r->length < BIFURC_RING_ENTRIES_OFFSET + (uint64_t)want * entry_size)
		return -EPROTO;
	err = map_region(fd, r, &ring->map);
	if (err)
		return err;
	ring->map_len = (size_t)r->length;
	base = ring->map;
	ring->producer = (uint32_t *)(base + BIFURC_RING_PRODUCER_OFFSET);
	ring->consumer = (uint32_t *)(base + BIFURC_RING_CONSUMER_OFFSET);
	ring->flags = (uint32_t *)(base + BIFURC_RING_FLAGS_OFFSET);
	ring->entries = entry_size ? base + BIFURC_RING_ENTRIES_OFFSET : NULL;
	ring->size = want;
	ring->mask = want - 1;
	/*
	 * Start from the indices as published: zero after ATTACH, but reading
	 * them keeps us right if the kernel ever starts elsewhere.
	 */
	ring->cached_prod = bf_load_acquire(ring->producer);
	ring->cached_cons = bf_load_acquire(ring->consumer);
	return 0;
}

static int map_all(struct bifurc_queue *q, const struct bifurc_attach *a)
{
	void *p;
	int err;

	err = map_region(q->fd, &a->pool, &p);
	if (err)
		return err;
	q->pool = p;
	q->pool_len = (size_t)a->pool.length;
	if (a->pool.length < (uint64_t)a->buf_size * a->buf_count)
		return -EPROTO;

	err = map_ring(q->fd, &a->fill, a->fill_entries, sizeof(uint32_t),
		       &q->fill);
	if (err)
		return err;
	err = map_ring(q->fd, &a->comp, a->comp_entries,
		       (q->opt_flags & BIFURC_OPT_RAW_DESC) ? 0 :
		       sizeof(struct bifurc_rx_comp), &q->comp);
	if (err)
		return err;

	if (q->opt_flags & BIFURC_OPT_TX) {
		err = map_ring(q->fd, &a->tx, a->tx_entries,
			       sizeof(struct bifurc_tx_entry), &q->tx);
		if (err)
			return err;
		err = map_ring(q->fd, &a->txc, a->txc_entries,
			       sizeof(uint32_t), &q->txc);
		if (err)
			return err;
	}

	if (q->opt_flags & BIFURC_OPT_RAW_DESC) {
		if (a->desc_format != BIFURC_DESC_FMT_IXGBE_ADV ||
		    a->desc.length < BIFURC_RAW_SLOTS_OFFSET(a->rx_desc) +
				     (uint64_t)a->rx_desc * sizeof(uint32_t))
			return -EPROTO;
		err = map_region(q->fd, &a->desc, &q->desc_map);
		if (err)
			return err;
		q->desc_len = (size_t)a->desc.length;
		q->desc = q->desc_map;
		q->slots = (const uint32_t *)((const uint8_t *)q->desc_map +
			BIFURC_RAW_SLOTS_OFFSET(a->rx_desc));
	}

	if (a->counters.length < sizeof(struct bifurc_counters))
		return -EPROTO;
	err = map_region(q->fd, &a->counters, &p);
	if (err)
		return err;
	q->counters = p;
	q->counters_len = (size_t)a->counters.length;
	return 0;
}

int bifurc_int_kick(struct bifurc_queue *q, uint32_t flags)
{
	struct bifurc_kick k;

	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.flags = flags;
	bf_count(&q->lib_kicks, 1);
	if (ioctl(q->fd, BIFURC_IOC_KICK, &k) < 0)
		return -errno;
	return 0;
}

int bifurc_int_dead_status(const struct bifurc_queue *q)
{
	/* Pairs with the kernel's store-release of status. */
	uint32_t s = __atomic_load_n(&q->counters->status, __ATOMIC_ACQUIRE);

	if (s & BIFURC_STATUS_REMOVED)
		return -ENODEV;
	if (s & BIFURC_STATUS_RESET)
		return -ENETRESET;
	if (s & BIFURC_STATUS_REVOKED)
		return -EACCES;
	return 0;
}

static void unmap(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}

/*
 * Frames still in the tx ring or on the NIC are not waited for: closing
 * the file detaches, and the kernel stops the queues and frees the pool
 * only once DMA is quiesced (section 1).
 */
void bifurc_close(struct bifurc_queue *q)
{
	if (!q)
		return;
	unmap(q->pool, q->pool_len);
	unmap(q->fill.map, q->fill.map_len);
	unmap(q->comp.map, q->comp.map_len);
	unmap(q->tx.map, q->tx.map_len);
	unmap(q->txc.map, q->txc.map_len);
	unmap(q->desc_map, q->desc_len);
	unmap((void *)q->counters, q->counters_len);
	if (q->fd >= 0)
		close(q->fd);
	free(q->owner);
	free(q->stash);
	free(q);
}

/*
 * Attach the open device file fd to queue and set the queue up, for both
 * opens.  The queue owns fd from here on, failure included: after ATTACH
 * only closing the file detaches.  ifindex: the interface the caller
 * named, 0 if it named none.
 */
static int open_queue(struct bifurc_queue **qp, int fd, uint32_t ifindex,
		      unsigned int queue, const struct bifurc_opts *o)
{
	struct bifurc_attach a;
	struct bifurc_info info;
	struct bifurc_queue *q;
	uint32_t i;
	int err;

	q = calloc(1, sizeof(*q));
	if (!q) {
		close(fd);
		return -ENOMEM;
	}
	q->fd = fd;
	q->ifindex = ifindex;
	q->queue = queue;
	q->opt_flags = o->flags;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ioctl(q->fd, BIFURC_IOC_INFO, &info) < 0) {
		err = -errno;
		goto fail;
	}
	if (info.abi_version != BIFURC_ABI_VERSION) {
		err = -EPROTO;
		goto fail;
	}
	if (q->ifindex && info.ifindex != q->ifindex) {
		/* The name moved to another device while we looked. */
		err = -ENODEV;
		goto fail;
	}
	memcpy(q->ifname, info.ifname, sizeof(q->ifname));
	q->ifname[sizeof(q->ifname) - 1] = '\0';
	if (o->flags & BIFURC_OPT_TX) {
		/* An older kernel: no TX, and max_tx_frame reads 0. */
		if (!(info.flags & BIFURC_INFO_F_TX)) {
			err = -EOPNOTSUPP;
			goto fail;
		}
		if (info.max_tx_frame < BIFURC_TX_MIN_FRAME) {
			err = -EPROTO;
			goto fail;
		}
		q->max_tx_frame = info.max_tx_frame;
		q->tx_wait = !!(info.flags & BIFURC_INFO_F_TX_WAIT);
	}

	fill_attach(&a, o, &info, queue);
	/* Ours, not the kernel's to check: refuse it before attaching. */
	if (o->tx_buf_count > a.buf_count) {
		err = -EINVAL;
		goto fail;
	}
	if (ioctl(q->fd, BIFURC_IOC_ATTACH, &a) < 0) {
		err = -errno;
		goto fail;
	}
	q->buf_size = a.buf_size;
	q->buf_count = a.buf_count;
	q->rx_desc = a.rx_desc;
	q->rx_headroom = a.rx_headroom;
	q->tx_desc = a.tx_desc ? a.tx_desc : a.rx_desc;
	if (a.rx_headroom >= a.buf_size) {
		err = -EPROTO;
		goto fail;
	}
	err = map_all(q, &a);
	if (err)
		goto fail;
	q->rx_data = q->pool + q->rx_headroom;
	q->rx_max_len = q->buf_size - q->rx_headroom;

	q->owner = calloc(q->buf_count, 1);
	q->stash = calloc(q->buf_count, sizeof(*q->stash));
	if (!q->owner || !q->stash) {
		err = -ENOMEM;
		goto fail;
	}
	/*
	 * After ATTACH every buffer is ours (section 4), and the kernel takes
	 * for TX any id we hold, so the ones we never post stay free for
	 * transmission.  Stash the rest, lowest id on top; the reserve gets
	 * the highest ids, its lowest on top too.
	 */
	q->tx_first = q->buf_count - o->tx_buf_count;
	q->tx_free = q->stash + q->tx_first;
	for (i = 0; i < q->tx_first; i++)
		q->stash[i] = q->tx_first - 1 - i;
	q->stash_n = q->tx_first;
	for (i = 0; i < o->tx_buf_count; i++)
		q->tx_free[i] = q->buf_count - 1 - i;
	q->tx_free_n = o->tx_buf_count;
	bifurc_int_fill_from_stash(q);
	/* The fill ring starts with NEED_WAKEUP set: one kick to start. */
	err = bifurc_int_kick(q, BIFURC_KICK_RX_REFILL);
	if (err)
		goto fail;

	*qp = q;
	return 0;
fail:
	bifurc_close(q);
	return err;
}

int bifurc_open(struct bifurc_queue **qp, const char *ifname,
		unsigned int queue, const struct bifurc_opts *opts)
{
	struct bifurc_opts o;
	char node[PATH_MAX];
	uint32_t ifindex = 0;
	int err, fd;

	if (!qp)
		return -EINVAL;
	*qp = NULL;
	if (!ifname)
		return -EINVAL;
	err = parse_opts(opts, &o);
	if (err)
		return err;

	if (strchr(ifname, '/')) {
		/* A device node path: no interface name to check against. */
		snprintf(node, sizeof(node), "%s", ifname);
	} else {
		err = resolve(ifname, node, sizeof(node), &ifindex);
		if (err)
			return err;
	}
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return open_queue(qp, fd, ifindex, queue, &o);
}

int bifurc_open_fd(struct bifurc_queue **qp, int fd, unsigned int queue,
		   const struct bifurc_opts *opts)
{
	struct bifurc_opts o;
	int err;

	if (qp)
		*qp = NULL;
	if (fd < 0)
		return -EBADF;
	err = qp ? parse_opts(opts, &o) : -EINVAL;
	/* Like ours from open(): not inherited across exec. */
	if (!err && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return open_queue(qp, fd, 0, queue, &o);
}

int bifurc_fd(const struct bifurc_queue *q)
{
	return q ? q->fd : -EINVAL;
}

int bifurc_queue_info(const struct bifurc_queue *q,
		      struct bifurc_queue_info *info)
{
	if (!q || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	memcpy(info->ifname, q->ifname, sizeof(info->ifname));
	info->ifindex = q->ifindex;
	info->queue = q->queue;
	info->flags = q->opt_flags;
	info->rx_desc = q->rx_desc;
	info->fill_entries = q->fill.size;
	info->comp_entries = q->comp.size;
	info->buf_size = q->buf_size;
	info->buf_count = q->buf_count;
	info->rx_headroom = q->rx_headroom;
	info->pool = q->pool;
	info->pool_len = q->pool_len;
	if (q->opt_flags & BIFURC_OPT_TX) {
		info->tx_desc = q->tx_desc;
		info->tx_entries = q->tx.size;
		info->txc_entries = q->txc.size;
		info->max_tx_frame = q->max_tx_frame;
	}
	return 0;
}
