// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_open, bifurc_close, bifurc_fd, bifurc_queue_info:
 * discovery through sysfs, the attach ioctl, region mapping, defaults,
 * and every error path of setup (a queue not granted to the caller too).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fixture.h"

static int open_defaults(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue_info qi;
	struct bifurc_queue *q;
	struct sim_att *a;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	a = sim_att_of(d, FX_Q);
	CHECK(a != NULL);
	CHECK_EQ(a->rx_desc, 512);
	CHECK_EQ(a->buf_size, 2048);
	CHECK_EQ(a->buf_count, 1024);
	CHECK_EQ(a->fill_n, 1024);
	CHECK_EQ(a->comp_n, 1024);
	CHECK_EQ(a->flags, 0);
	/* One kick at open; the NIC holds rx_desc - 1 buffers. */
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)], 1);
	CHECK_EQ(sim_posted(a), 511);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK(strcmp(qi.ifname, FX_IF) == 0);
	CHECK_EQ(qi.ifindex, d->ifindex);
	CHECK_EQ(qi.queue, FX_Q);
	CHECK_EQ(qi.buf_count, 1024);
	CHECK_EQ(qi.fill_entries, 1024);
	CHECK_EQ(qi.comp_entries, 1024);
	CHECK_EQ(qi.rx_desc, 512);
	CHECK_EQ(qi.rx_headroom, 0);
	CHECK(qi.pool != NULL && qi.pool_len >= 1024 * 2048);
	CHECK_EQ(sim_live_mappings(), 4);
	bifurc_close(q);
	CHECK_EQ(sim_live_mappings(), 0);
	CHECK_EQ(sim_live_atts(), 0);
	return 0;
}

static int open_by_path(void)
{
	struct bifurc_queue_info qi;
	struct bifurc_queue *q;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_NODE, 2, NULL), 0);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	CHECK_EQ(qi.ifindex, 0);
	CHECK(strcmp(qi.ifname, FX_IF) == 0);
	bifurc_close(q);
	CHECK_EQ(bifurc_open(&q, "/dev/bifurc/0000:09:00.0", 2, NULL), -ENOENT);
	return 0;
}

static int open_explicit_opts(void)
{
	struct bifurc_opts o = fx_small(0);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct sim_att *a;

	o.buf_size = 4096;
	o.fill_entries = 64;
	o.comp_entries = 256;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(a->rx_desc, 64);
	CHECK_EQ(a->buf_size, 4096);
	CHECK_EQ(a->buf_count, 128);
	CHECK_EQ(a->fill_n, 64);
	CHECK_EQ(a->comp_n, 256);
	/* 128 buffers, 64-entry fill ring: the rest waits in the stash. */
	CHECK_EQ(sim_posted(a), 63);
	bifurc_close(q);
	return 0;
}

static int defaults_clamped(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	struct sim_att *a;

	d->max_rx_desc = 256;
	d->max_buf_count = 300;
	d->min_buf = 4096;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	a = sim_att_of(d, FX_Q);
	CHECK_EQ(a->rx_desc, 256);
	CHECK_EQ(a->buf_count, 300);
	CHECK_EQ(a->fill_n, 512);
	CHECK_EQ(a->buf_size, 4096);
	bifurc_close(q);
	return 0;
}

static int null_args(void)
{
	struct bifurc_queue *q = (void *)1;

	fx_dev();
	CHECK_EQ(bifurc_open(NULL, FX_IF, FX_Q, NULL), -EINVAL);
	CHECK_EQ(bifurc_open(&q, NULL, FX_Q, NULL), -EINVAL);
	CHECK(q == NULL);
	CHECK_EQ(bifurc_open(&q, "", FX_Q, NULL), -EINVAL);
	CHECK_EQ(bifurc_open(&q, "..", FX_Q, NULL), -EINVAL);
	CHECK_EQ(bifurc_open(&q, "averyveryverylongname", FX_Q, NULL), -EINVAL);
	CHECK_EQ(bifurc_fd(NULL), -EINVAL);
	CHECK_EQ(bifurc_queue_info(NULL, NULL), -EINVAL);
	bifurc_close(NULL);
	return 0;
}

static int opts_size(void)
{
	struct { struct bifurc_opts o; uint64_t extra; } big;
	struct bifurc_opts o = fx_small(0);
	struct bifurc_queue *q;

	fx_dev();
	o.size = 4;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EINVAL);
	/* An older, shorter struct: fields past its size take defaults. */
	o.size = offsetof(struct bifurc_opts, rx_desc);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), 0);
	bifurc_close(q);
	/* A newer, longer struct: fine while the unknown tail is zero. */
	memset(&big, 0, sizeof(big));
	big.o = fx_small(0);
	big.o.size = sizeof(big);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &big.o), 0);
	bifurc_close(q);
	big.extra = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &big.o), -E2BIG);
	return 0;
}

static int opts_bad_flags(void)
{
	struct bifurc_opts o = fx_small(0x80);
	struct bifurc_queue *q;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EINVAL);
	return 0;
}

static int bad_sizes(void)
{
	static const struct { uint32_t rx, bs, bc, fe, ce; } bad[] = {
		{ 100, 0, 0, 0, 0 },		/* not a power of two */
		{ 32, 0, 0, 0, 0 },		/* below min_rx_desc */
		{ 16384, 0, 0, 0, 0 },		/* above max_rx_desc */
		{ 0, 3000, 0, 0, 0 },		/* buf_size not pow2 */
		{ 0, 1024, 0, 0, 0 },		/* below min_buf_size */
		{ 0, 32768, 0, 0, 0 },		/* above max_buf_size */
		{ 0, 0, 70000, 0, 0 },		/* above max_buf_count */
		{ 0, 0, 0, 100, 0 },		/* fill not pow2 */
		{ 0, 0, 0, 32, 0 },		/* fill below 64 */
		{ 0, 0, 0, 0, 65536 },		/* comp above max ring */
	};
	struct bifurc_queue *q;
	struct bifurc_opts o;
	size_t i;

	fx_dev();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&o, 0, sizeof(o));
		o.size = sizeof(o);
		o.rx_desc = bad[i].rx;
		o.buf_size = bad[i].bs;
		o.buf_count = bad[i].bc;
		o.fill_entries = bad[i].fe;
		o.comp_entries = bad[i].ce;
		CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EINVAL);
	}
	return 0;
}

static int bad_queue(void)
{
	struct bifurc_queue *q;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, 8, NULL), -ERANGE);
	CHECK_EQ(bifurc_open(&q, FX_IF, 100000, NULL), -ERANGE);
	CHECK_EQ(bifurc_open(&q, FX_IF, 0, NULL), -EADDRNOTAVAIL);
	CHECK(q == NULL);
	return 0;
}

static int queue_busy(void)
{
	struct bifurc_queue *q1, *q2, *q3;

	fx_dev();
	CHECK_EQ(bifurc_open(&q1, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_open(&q2, FX_IF, FX_Q, NULL), -EBUSY);
	/* Another reserved queue of the same adapter is free. */
	CHECK_EQ(bifurc_open(&q3, FX_IF, 2, NULL), 0);
	bifurc_close(q1);
	/* Released: attachable again. */
	CHECK_EQ(bifurc_open(&q2, FX_IF, FX_Q, NULL), 0);
	bifurc_close(q2);
	bifurc_close(q3);
	return 0;
}

static int wrong_version(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->abi_version = BIFURC_ABI_VERSION + 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -EPROTO);
	CHECK_EQ(d->n_ioctl[_IOC_NR(BIFURC_IOC_ATTACH)], 0);
	return 0;
}

static int no_such_iface(void)
{
	struct bifurc_queue *q;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, "eth9", FX_Q, NULL), -ENODEV);
	return 0;
}

static int no_bifurc_support(void)
{
	struct bifurc_queue *q;

	sim_plain_netdev("eth0");
	CHECK_EQ(bifurc_open(&q, "eth0", FX_Q, NULL), -EOPNOTSUPP);
	return 0;
}

static int sysfs_malformed(void)
{
	struct bifurc_queue *q;

	fx_dev();
	sim_sysfs_write("sys/class/net/" FX_IF "/device/bifurc/bifurc-" FX_BDF
			"/uevent", "MAJOR=240\nMINOR=0\n");
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -EIO);
	sim_sysfs_write("sys/class/net/" FX_IF "/device/bifurc/bifurc-" FX_BDF
			"/uevent", "MAJOR=240\nDEVNAME=../etc/passwd\n");
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -EIO);
	sim_sysfs_write("sys/class/net/" FX_IF "/ifindex", "garbage\n");
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -EIO);
	return 0;
}

static int sysfs_two_devices(void)
{
	struct bifurc_queue *q;

	fx_dev();
	sim_dev_new("sim1", "0000:04:00.0", 8);
	/* Make sim0's class directory list two devices: ambiguous. */
	sim_sysfs_write("sys/class/net/" FX_IF "/device/bifurc/bifurc-extra",
			"");
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -EIO);
	return 0;
}

static int sysfs_uevent_lines(void)
{
	struct bifurc_queue *q;

	fx_dev();
	/* DEVNAME after an empty line and without a trailing newline. */
	sim_sysfs_write("sys/class/net/" FX_IF "/device/bifurc/bifurc-" FX_BDF
			"/uevent", "MAJOR=240\n\nDEVNAME=bifurc/" FX_BDF);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	bifurc_close(q);
	return 0;
}

static int open_denied(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->deny_open = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -EACCES);
	return 0;
}

/*
 * Without CAP_NET_ADMIN only a queue granted to the caller attaches
 * (bifurcctl grant); the others fail EPERM, after the node opened fine.
 */
static int open_not_granted(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->no_net_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -EPERM);
	CHECK(q == NULL);
	CHECK(strstr(bifurc_strerror(-EPERM), "queue <n> is not granted to "
		     "this user: bifurcctl grant <if> queue <n> user <name>"));
	d->granted[FX_Q / 64] |= 1ULL << (FX_Q % 64);
	CHECK_EQ(bifurc_open(&q, FX_IF, 2, NULL), -EPERM);
	/* not reserved is still EADDRNOTAVAIL: the kernel checks it first */
	CHECK_EQ(bifurc_open(&q, FX_IF, 5, NULL), -EADDRNOTAVAIL);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	bifurc_close(q);
	return 0;
}

static int ifindex_mismatch(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->info_ifindex = 77;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -ENODEV);
	return 0;
}

static int attach_nomem(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->fail_attach = ENOMEM;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -ENOMEM);
	CHECK_EQ(sim_live_atts(), 0);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	bifurc_close(q);
	return 0;
}

static int mmap_fails(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->fail_mmap = ENOMEM;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -ENOMEM);
	CHECK_EQ(sim_live_mappings(), 0);
	CHECK_EQ(sim_live_atts(), 0);
	return 0;
}

static int first_kick_fails(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	d->fail_kick = ENETRESET;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -ENETRESET);
	CHECK_EQ(sim_live_mappings(), 0);
	CHECK_EQ(sim_live_atts(), 0);
	return 0;
}

static int kernel_out_of_spec(void)
{
	static const int bad[] = { 1, 2, 3, 5 };
	struct bifurc_opts o = fx_small(BIFURC_OPT_RAW_DESC);
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;
	size_t i;

	/* A kernel that answers ATTACH wrongly is refused, not trusted. */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		d->corrupt_attach = bad[i];
		CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), -EPROTO);
		CHECK_EQ(sim_live_mappings(), 0);
	}
	d->corrupt_attach = 4;		/* unknown descriptor format */
	d->cap_sys_admin = 1;
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, &o), -EPROTO);
	CHECK_EQ(sim_live_mappings(), 0);
	return 0;
}

static int removed_before_open(void)
{
	struct sim_dev *d = fx_dev();
	struct bifurc_queue *q;

	sim_remove(d);
	CHECK_EQ(bifurc_open(&q, FX_NODE, FX_Q, NULL), -ENOENT);
	return 0;
}

static int fd_and_cloexec(void)
{
	struct bifurc_queue *q;
	int fd;

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	fd = bifurc_fd(q);
	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	bifurc_close(q);
	CHECK(fcntl(fd, F_GETFD) < 0);
	return 0;
}

static int ro_regions(void)
{
	struct bifurc_queue_info qi;
	struct bifurc_queue *q;
	struct sim_dev *d = fx_dev();
	struct sim_att *a;
	uint8_t *p;

	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_queue_info(q, &qi), 0);
	a = sim_att_of(d, FX_Q);
	/* The pool is writable by the application... */
	p = qi.pool;
	p[0] = 0x5a;
	CHECK_EQ(a->pool[0], 0x5a);
	bifurc_close(q);
	return 0;
}

static int two_queues_two_handles(void)
{
	struct bifurc_queue *q2, *q3;
	struct sim_dev *d = fx_dev();
	struct bifurc_pkt p;

	CHECK_EQ(bifurc_open(&q2, FX_IF, 2, NULL), 0);
	CHECK_EQ(bifurc_open(&q3, FX_IF, 3, NULL), 0);
	CHECK(bifurc_fd(q2) != bifurc_fd(q3));
	CHECK_EQ(sim_rx(d, 2, "abc", 3, NULL), 1);
	CHECK_EQ(bifurc_rx_burst(q3, &p, 1), 0);
	CHECK_EQ(bifurc_rx_burst(q2, &p, 1), 1);
	CHECK_EQ(p.len, 3);
	CHECK_EQ(bifurc_rx_release(q2, &p, 1), 0);
	bifurc_close(q3);
	bifurc_close(q2);
	return 0;
}

static const struct tap_case cases[] = {
	{ "ATTACH_NOMEM", attach_nomem },
	{ "BAD_QUEUE", bad_queue },
	{ "BAD_SIZES", bad_sizes },
	{ "DEFAULTS_CLAMPED", defaults_clamped },
	{ "FD_AND_CLOEXEC", fd_and_cloexec },
	{ "FIRST_KICK_FAILS", first_kick_fails },
	{ "IFINDEX_MISMATCH", ifindex_mismatch },
	{ "KERNEL_OUT_OF_SPEC", kernel_out_of_spec },
	{ "MMAP_FAILS", mmap_fails },
	{ "NO_BIFURC_SUPPORT", no_bifurc_support },
	{ "NO_SUCH_IFACE", no_such_iface },
	{ "NULL_ARGS", null_args },
	{ "OPEN_BY_PATH", open_by_path },
	{ "OPEN_DEFAULTS", open_defaults },
	{ "OPEN_DENIED", open_denied },
	{ "OPEN_EXPLICIT_OPTS", open_explicit_opts },
	{ "OPEN_NOT_GRANTED", open_not_granted },
	{ "OPTS_BAD_FLAGS", opts_bad_flags },
	{ "OPTS_SIZE", opts_size },
	{ "POOL_WRITABLE", ro_regions },
	{ "QUEUE_BUSY", queue_busy },
	{ "REMOVED_BEFORE_OPEN", removed_before_open },
	{ "SYSFS_MALFORMED", sysfs_malformed },
	{ "SYSFS_TWO_DEVICES", sysfs_two_devices },
	{ "SYSFS_UEVENT_LINES", sysfs_uevent_lines },
	{ "TWO_QUEUES", two_queues_two_handles },
	{ "WRONG_VERSION", wrong_version },
};

int main(void)
{
	return tap_run("Description: bifurc_open/close/fd/queue_info",
		       cases, ARRAY_SIZE(cases));
}
