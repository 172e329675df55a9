// SPDX-License-Identifier: GPL-2.0
/*
 * Description: seeded, reproducible fuzzer of the ixgbe bifurc character
 * device ABI (include/uapi/linux/bifurc.h), from raw system calls.
 *
 *   bifurc_fuzz -i IFACE -q QUEUE [-s SEED] [-n CALLS] [-t SECONDS]
 *               [-p PHASE[,PHASE...]] [-u PORT] [-C] [-U UID] [-v] [-l]
 *
 * Runs in the namespace of IFACE with QUEUE reserved (fuzz.sh does both)
 * and nothing else using the queue.  The seed is printed first; the same
 * seed and -n replay the same calls (-p runs one phase alone, -v prints
 * every call).  Only the RACE phase and what the NIC does with frames
 * depend on timing.  -n is the total of fuzzed system calls, split between
 * the phases by weight; -t stops every phase at a share of SECONDS.  -u:
 * UDP datagrams to PORT keep arriving at IFACE (fuzz.sh sends them from
 * the peer port), for the RINGS and RACE rounds that steer them to the
 * queue.  -C: chaos while RINGS and RACE run (below).  -U UID: IOCTL,
 * ATTACH and RINGS once more as UID (UIOCTL, UATTACH, URINGS), with no
 * capability, after the fuzzer (root) granted UID the queue with ports
 * 7990-7999 and opened the node to everyone; the model then knows a
 * grantee's rules: rules only on a whole granted port (EACCES), that port
 * held as by a bound socket (EADDRINUSE), raw mode refused (EPERM) and
 * every frame it sends checked for its source (refused here).
 *
 * Every call's result is checked against the errno set the ABI allows for
 * its arguments: a model of uapi sections 2, 3, 4, 4a, 6 and 8 computes,
 * for each call, which errors the arguments and the file's state make
 * possible (one per rule broken, the union when several are), and whether
 * success is possible at all.  An unexpected success or errno is a
 * failure.  Each phase runs in a child process, so a fuzzer crash is a
 * failure of its phase and not the end of the run.
 *
 * First line, EPOLL: a descriptor added to an epoll set before ATTACH is
 * woken by its attachment's events (a bug this fuzzer found; see
 * epoll_before_attach()).
 *
 * Phases, three TAP lines each: the phase (no unexpected result, no
 * crash, every event it counts seen at least seen_min[] times, scaled to
 * its calls: a check never reached would pass); PAGES (once the phase's
 * processes are gone, the pages bifurc attachments hold, debugfs
 * ixgbe/bifurc_pages, are back to what they were before it, exactly);
 * then SANITY (a fresh file attaches the queue with TX, maps it, refills,
 * sends a frame, every kick of a clean attachment succeeds, no flow rule,
 * no attachment and no page of it was left behind):
 *
 *   IOCTL   every ioctl (INFO, ATTACH, KICK, FLOW_ADD, FLOW_DEL, FLOW_MASK,
 *           STATS, unknown numbers and random _IOC_DIR/_IOC_SIZE bits) on
 *           a file that is attached and one that is not: valid structures
 *           with 0-3 field mutations (every field, reserved and out fields
 *           set, wrong ABI version, random flags, random queue), sizes
 *           below, at and above VER0 with zero and non-zero tails, above
 *           4096; pointers NULL, unmapped, kernel, straddling an unmapped
 *           page, read-only; read(), write() and lseek() of the node.
 *           Outputs are checked (INFO, STATS counts, FLOW_MASK against a
 *           model of the port's rules); the kernel writes nothing past its
 *           structure.  A FLOW_ADD whose answer cannot be written back
 *           fails with EFAULT and leaves no rule (flow_add_ro()).
 *   ATTACH  random valid and invalid ATTACH sizes (RX and TX rings, tx_desc,
 *           busy poll, buf_count <= 256): a valid one succeeds and returns
 *           sane regions, an invalid or read-only one fails and leaves no
 *           attachment, close detaches.
 *   MMAP    mmap at right and wrong offsets, lengths, protections, with
 *           MAP_PRIVATE; PROT_WRITE on the counters EACCES, mprotect() cannot
 *           add it; a store to the counters page faults, and writes through
 *           /proc/self/mem and process_vm_writev() fail; mremap() cannot
 *           grow a region; two mappings of one region see the same bytes;
 *           mappings outlive close() and the last munmap() detaches.
 *   RINGS   fill and tx rings with random ids, offsets, lengths, flags and
 *           MORE chains, honest and lying producer and consumer indices,
 *           writes to the kernel's own indices, kicks with random flags,
 *           with and without a rule steering -u's datagrams to the queue.
 *           Busy-poll attachments are checked against an exact model of
 *           the kernel's ownership rules (every kick's counts, every index
 *           the kernel publishes, every comp and txc entry, every
 *           counter); interrupt-mode ones against invariants.  Without a
 *           rule no frame may reach the queue.  Raw-mode attachments
 *           (section 5): user space reads the descriptors while DD is
 *           set and checks them (a slot of the pool, length, EOP, the
 *           datagram -u sent) and, now and then, lies with its consumer;
 *           busy-poll ones are modelled exactly (every reclaim, the slot
 *           table against the posted ids, the producer the kernel
 *           republishes, the counters) while the consumer is honest;
 *           all of them against invariants (the kernel holds at most
 *           rx_desc - 1 slots past the consumer, each a distinct buffer
 *           of the pool; a posted descriptor has no DD and length 0
 *           unless a rule steers here).
 *   RACE    threads kick, poll, epoll_wait, mmap/munmap, add and delete
 *           flow rules, ATTACH, dup and close one file while its rings are
 *           scribbled; the file is attached under them (exactly one ATTACH
 *           wins) or before, and closed under them; then the queue is
 *           free.  Most rounds steer -u's datagrams to the queue, so
 *           that NAPI harvests while the file is closed and attached.
 *   FORK    fork() with the queue mapped: the child touches the mappings
 *           (absent, or reading right, without MADV_DOFORK; shared with
 *           it, the counters still read-only), uses the inherited file and
 *           exits or is killed; the parent keeps working; a child holding
 *           the last mapping keeps the attachment alive until it exits.
 *
 * RINGS, RACE and FORK attach in raw descriptor mode (30 %) when INFO
 * offers it.  Chaos (-C): while RINGS and RACE run, a process of the
 * fuzzer, every 0.05-0.4 s, releases the queue and reserves it again,
 * reserves it while reserved (EALREADY), resets the adapter (ethtool -G,
 * the ring size toggled) or takes the link down and up; then puts the
 * port back.  Only then may a call meet what an attachment ended by a
 * reset returns (uapi section 8): ENETRESET from every ioctl and mmap,
 * POLLERR, status RESET, a second ATTACH EISCONN (checked whole for each
 * RINGS attachment that dies), and ATTACH ENETDOWN or EADDRNOTAVAIL for a
 * while.  A phase under chaos goes on past its calls until eight
 * reconfigurations, each kind once, ran and one ended an attachment
 * under a call (RACE takes a few seconds), three minutes at most; it
 * fails unless attachments died under them.
 *
 * KLOG: the calls added at most KLOG_MAX lines to the kernel log (any
 * user the queue is granted to may make them, so none may flood it; the
 * series' attach message did, 534 lines in one run); the lines chaos's
 * reconfigurations log are counted apart, at most 6 each.  A last line checks
 * the number of calls made against -n.  A KASAN, lockdep or kmemleak
 * report in the console fails the run as well (the harness scans it).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <linux/bifurc.h>
#include <linux/magic.h>

#include "util.h"

#define PAGE		4096UL
#define PAGE_ALIGN(x)	(((x) + PAGE - 1) & ~(PAGE - 1))

/* Buffers the fuzzer asks for: small, so a valid ATTACH stays cheap. */
#define MAX_BUFS	256
/* errno histogram slots; larger values land in the last one */
#define NERR		160
/* failure messages printed per phase; the rest are only counted */
#define MAX_MSGS	12
/* kernel log lines a whole run may add (KLOG) */
#define KLOG_MAX	50

enum {
	PH_IOCTL, PH_ATTACH, PH_MMAP, PH_RINGS, PH_RACE, PH_FORK,
	/* -U: the same phases again as a grantee without capabilities */
	PH_UIOCTL, PH_UATTACH, PH_URINGS, NPHASE
};
#define PH_FIRST_UNPRIV	PH_UIOCTL
#define NSEEN		16
/* what the chaos process (-C) did, one count per kind */
enum { C_RELEASE, C_RESERVE, C_RING, C_FLAP, NCHAOS };
/* calls made by the sanity checks, counted apart from the phases */
#define PH_SANITY	NPHASE

/*
 * Counts shared by every process of the run: phases run in children and
 * fork grandchildren, threads update them concurrently.
 */
struct stats {
	uint64_t calls[NPHASE + 1];
	uint64_t fails[NPHASE + 1];
	uint64_t errs[NERR];
	uint64_t seen[NPHASE][NSEEN];	/* what a phase exercised */
	double secs[NPHASE];
	uint64_t aux;		/* a child's report to its parent (FORK) */
	uint64_t chaos[NPHASE][NCHAOS];	/* reconfigurations per phase */
};

/*
 * Events each phase counts, printed after it: evidence that the checks
 * that could fail were reached (a model that is never consulted passes).
 */
enum {
	/* IOCTL */
	S_RULE_ADD = 0, S_RULE_DEL, S_RULE_EEXIST, S_RULE_EBUSY,
	S_RULE_ENOSPC, S_KICK_OK, S_STATS_OK, S_REATTACH, S_RW,
	S_RULE_EACCES, S_RULE_EADDRINUSE,
	/* ATTACH */
	S_ATT_RX = 0, S_ATT_TX, S_ATT_BUSY, S_ATT_REFUSED, S_ATT_ROLLBACK,
	S_ATT_MAPPED, S_ATT_MAXRING, S_ATT_RAW, S_ATT_RAW_EPERM,
	/* MMAP */
	S_MAP_OK = 0, S_MAP_REFUSED, S_MAP_EACCES, S_MPROT_EACCES,
	S_MREMAP_GROW, S_MREMAP_MOVE, S_RO_WRITES, S_OUTLIVE,
	/* RINGS */
	S_R_BUSY = 0, S_R_IRQ, S_R_EXACT, S_R_REFILLED, S_R_FILL_BAD,
	S_R_RECEIVED, S_R_SENT, S_R_TX_REFUSED, S_R_RING_ERR, S_R_TX_FULL,
	S_R_TXC, S_R_RAW, S_R_RAW_DESC, S_R_RAW_RX, S_R_CHAOS_DEAD,
	S_R_CHAOS_REFUSED,
	/* RACE */
	S_RACE_CLOSE = 0, S_RACE_ATTACH, S_RACE_EPOLL, S_RACE_EBADF,
	S_RACE_RAW, S_RACE_TRAFFIC, S_RACE_RX, S_RACE_CHAOS_DEAD,
	S_RACE_CHAOS_REFUSED,
	/* FORK */
	S_FORK_PLAIN = 0, S_FORK_DOFORK, S_FORK_LAST, S_FORK_KILLED,
	S_FORK_RAW,
};

#define SEEN_IOCTL \
	{ "rules added", "rules deleted", "EEXIST", "EBUSY (mask)", \
	  "ENOSPC (max_flows)", "kicks", "STATS checked", "re-attaches", \
	  "read/write/lseek", "EACCES (steering)", "EADDRINUSE (held port)" }
#define SEEN_ATTACH \
	{ "RX attached", "TX attached", "busy-poll attached", "refused", \
	  "rolled back (EFAULT)", "mapped and read", "max ring or desc", \
	  "raw descriptors attached", "raw EPERM" }
#define SEEN_RINGS \
	{ "busy-poll attachments", "interrupt attachments", "kicks checked " \
	  "exactly", "buffers refilled", "fill ids rejected", "frames " \
	  "received", "frames sent", "tx entries refused", "ring errors", \
	  "tx ring full", "txc entries checked", "raw attachments", \
	  "raw descriptors checked", "raw frames read", "attachments ended " \
	  "by chaos", "ATTACHes refused by chaos" }

static const char *const seen_names[NPHASE][NSEEN] = {
	SEEN_IOCTL,
	SEEN_ATTACH,
	{ "mapped", "refused", "EACCES", "mprotect EACCES", "mremap grow "
	  "refused", "mremap moved", "read-only write probes",
	  "mappings outliving close" },
	SEEN_RINGS,
	{ "rounds closed under the threads", "rounds attached under the "
	  "threads", "epoll waits", "calls after close (EBADF)", "raw rounds",
	  "rounds with traffic", "frames received", "attachments ended by "
	  "chaos", "ATTACHes refused by chaos" },
	{ "plain forks", "MADV_DOFORK forks", "children holding the last "
	  "mapping", "children killed", "raw forks" },
	SEEN_IOCTL,
	SEEN_ATTACH,
	SEEN_RINGS,
};

/*
 * The least of each event a phase must see, per 100,000 calls of the run
 * (-n's default), scaled to the calls it made: about a tenth of what a
 * debug guest's runs count.  Below it the phase's checks were barely
 * reached, and the phase fails.  0: timing decides (RACE's rounds and
 * late calls).  Frames received need -u.
 */
static const unsigned int seen_min[NPHASE][NSEEN] = {
	{ 80, 50, 15, 15, 4, 130, 60, 1, 50 },
	{ 8, 10, 5, 12, 1, 4, 3, 3 },
	{ 90, 300, 10, 3, 15, 15, 1, 15 },
	{ 9, 3, 2500, 800, 10000, 20, 400, 5000, 1200, 20, 2400, 3, 100, 5,
	  3, 0 },
	{ 0, 0, 60, 0, 1, 2, 5, 2, 0 },
	{ 1, 1, 1, 1, 1 },
	/* a grantee: rules only inside its ports, raw mode refused */
	{ 20, 10, 0, 0, 0, 30, 15, 1, 10, 15, 10 },
	{ 2, 2, 1, 3, 0, 1, 0, 0, 1 },
	{ 2, 1, 500, 150, 2000, 5, 0, 1000, 250, 4, 500, 0, 0, 0, 0, 0 },
};

static struct stats *st;
static int phase = PH_SANITY;	/* what this process is doing */
static uint64_t budget;		/* calls this phase may make */
static double deadline;		/* and until when */
static bool verbose;
static uint64_t seed;

static const char *ifname;
static unsigned int queue;
static struct bifurc_dev dev;		/* ifname's node and class device */
static struct bifurc_info info0;	/* limits, at start */
static uint32_t admin_rules;		/* flow rules of other owners */
static struct bifurc_flow_match admin_mask;
static bool admin_other;		/* BIFURC_MASK_F_OTHER at start */
static bool noexec;			/* the node's mount forbids PROT_EXEC */
static uint16_t rx_port;		/* -u: UDP datagrams to it arrive */
/*
 * -C: a chaos process reconfigures the port while RINGS and RACE run;
 * chaos is set in their children, where an attachment may die under a
 * call (ENETRESET) and ATTACH may find the port down (ENETDOWN) or the
 * queue released (EADDRNOTAVAIL).
 */
static bool chaos_opt, chaos;
/* -U: the grantee the last three phases run as, and whether this does */
static uid_t grantee;
static bool unpriv;
/* the grant's ports (fuzz.sh's packet source sends to the top one) */
#define GRANT_LO	7990
#define GRANT_HI	7999

static const char *const phase_names[] = {
	"IOCTL", "ATTACH", "MMAP", "RINGS", "RACE", "FORK", "UIOCTL",
	"UATTACH", "URINGS", "SANITY",
};

/*
 * Share of -n per phase, per mille, chosen so that each phase takes a
 * similar part of a TCG guest's time: an ATTACH that succeeds or a fork()
 * costs hundreds of ioctls.
 */
static const unsigned int phase_weight[NPHASE] = {
	[PH_IOCTL] = 340, [PH_ATTACH] = 25, [PH_MMAP] = 80,
	[PH_RINGS] = 400, [PH_RACE] = 140, [PH_FORK] = 15,
	[PH_UIOCTL] = 60, [PH_UATTACH] = 6, [PH_URINGS] = 80,
};

/* ---- random numbers ---------------------------------------------------- */

/*
 * splitmix64: a 64-bit state and no warm-up, so that every phase, round
 * and thread gets its own stream from (seed, phase, round, thread) and a
 * phase replays alone with -p.
 */
struct rng {
	uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rseed(struct rng *r, uint64_t a, uint64_t b, uint64_t c)
{
	r->s = a ^ (b * 0xd1342543de82ef95ULL) ^ (c * 0x2545f4914f6cdd1dULL);
	rnext(r);
}

static uint32_t rbelow(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnext(r) >> 32) * (uint64_t)n) >> 32);
}

static bool rpct(struct rng *r, unsigned int pct)
{
	return rbelow(r, 100) < pct;
}

/* A u32 that tends to sit on a boundary the kernel checks. */
static uint32_t rval32(struct rng *r)
{
	static const uint32_t tbl[] = {
		0, 1, 2, 3, 7, 8, 31, 32, 63, 64, 65, 100, 127, 128, 255, 256,
		257, 511, 512, 1023, 1024, 2047, 2048, 2049, 4095, 4096, 4097,
		8191, 8192, 8193, 16383, 16384, 16385, 32767, 32768, 32769,
		65535, 65536, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	switch (rbelow(r, 4)) {
	case 0:
		return tbl[rbelow(r, ARRAY_SIZE(tbl))];
	case 1:
		return 1U << rbelow(r, 32);
	case 2:
		return (1U << rbelow(r, 32)) + rbelow(r, 3) - 1;
	default:
		return (uint32_t)rnext(r);
	}
}

/* A power of two in [lo, hi], small ones far more likely. */
static uint32_t rpow2(struct rng *r, uint32_t lo, uint32_t hi)
{
	uint32_t v = lo;

	if (rpct(r, 3))		/* now and then the largest */
		return hi;
	while (v < hi && rpct(r, 40))
		v <<= 1;
	return v;
}

/* ---- accounting and expectations --------------------------------------- */

/* A set of errno values, bit 0 standing for success. */
typedef unsigned __int128 eset;
#define OK	((eset)1)
#define E(e)	((eset)1 << (e))

static void tally(int err)
{
	__atomic_add_fetch(&st->calls[phase], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&st->errs[err >= 0 && err < NERR ? err : NERR - 1],
			   1, __ATOMIC_RELAXED);
}

/* Result of a system call that returns -1/errno: 0 or the errno. */
static int sys_err(long ret)
{
	int err = ret < 0 ? errno : 0;

	tally(err);
	return err;
}

static const char *ename(int err)
{
	const char *s;

	if (!err)
		return "0";
	s = err < NERR ? strerrorname_np(err) : NULL;
	return s ? s : "E?";
}

static char *eset_str(eset s, char *buf, size_t len)
{
	size_t n = 0;
	int e;

	buf[0] = '\0';
	for (e = 0; e < 128 && n < len; e++)
		if (s & E(e))
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
				      ename(e));
	return buf;
}

static void fail(const char *fmt, ...)
{
	uint64_t n = __atomic_add_fetch(&st->fails[phase], 1, __ATOMIC_RELAXED);
	char buf[768];
	va_list ap;

	if (n > MAX_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s: %s\n", phase_names[phase], buf);
	if (n == MAX_MSGS)
		printf("# %s: further failures are only counted\n",
		       phase_names[phase]);
	fflush(stdout);
}

static void seen(int what, uint64_t n)
{
	__atomic_add_fetch(&st->seen[phase][what], n, __ATOMIC_RELAXED);
}

static void vlog(const char *fmt, ...)
{
	char buf[768];
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s %llu: %s\n", phase_names[phase],
	       (unsigned long long)st->calls[phase], buf);
}

/* Is GOT in WANT?  Reports the call described by FMT if not. */
static bool expect(int got, eset want, const char *fmt, ...)
{
	char what[512], ws[256];
	va_list ap;

	if (got >= 0 && got < 128 && (want & E(got)))
		return true;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fail("%s: got %s, want %s", what, ename(got),
	     eset_str(want, ws, sizeof(ws)));
	return false;
}

static double phase_t0;		/* when this phase began */

/*
 * Under chaos, has the chaos process made enough reconfigurations (each
 * kind once, eight in all) and has one of them ended an attachment under
 * a call?  A phase of a few seconds (RACE) would see one or two, often
 * between its rounds, so it goes on until then, three minutes at most
 * (then its minimum of attachments ended by chaos fails it).
 */
static bool chaos_enough(void)
{
	uint64_t n = 0;
	int k;

	if (!chaos || now() > phase_t0 + 180)
		return true;
	if (!st->seen[phase][phase == PH_RACE ? S_RACE_CHAOS_DEAD :
			     S_R_CHAOS_DEAD])
		return false;
	for (k = 0; k < NCHAOS; k++) {
		if (!st->chaos[phase][k])
			return false;
		n += st->chaos[phase][k];
	}
	return n >= 8;
}

/* Has this phase used its calls or its time (and chaos had its turn)? */
static bool done(void)
{
	return st->fails[phase] > 1000 ||
	       ((st->calls[phase] >= budget || now() > deadline) &&
		chaos_enough());
}

/* The non-zero 32-bit words of a structure, for failure messages. */
static char *words(const void *p, size_t n, char *buf, size_t len)
{
	const uint8_t *b = p;
	size_t i, o = 0;
	uint32_t w;

	buf[0] = '\0';
	for (i = 0; i + 4 <= n && o + 24 < len; i += 4) {
		memcpy(&w, b + i, 4);
		if (w)
			o += snprintf(buf + o, len - o, " [%zu]=%#x", i, w);
	}
	return buf;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static bool qbit(const __u64 *m, uint32_t q)
{
	return q < BIFURC_MAX_QUEUES && (m[q / 64] >> (q % 64)) & 1;
}

/* ---- the device -------------------------------------------------------- */

static int open_node(void)
{
	int fd = open(dev.node, O_RDWR | O_CLOEXEC);

	sys_err(fd);
	return fd;
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	return sys_err(ioctl(fd, req, arg));
}

/* FLOW_ADD of "UDP to port, any address"; 0 or the errno */
static int add_udp_rule(int fd, uint16_t port, struct bifurc_flow_rule *fr)
{
	memset(fr, 0, sizeof(*fr));
	fr->size = sizeof(*fr);
	fr->value.proto = IPPROTO_UDP;
	fr->value.family = BIFURC_FLOW_IPV4;
	fr->value.dst_port = htons(port);
	fr->mask.dst_port = 0xffff;
	return xioctl(fd, BIFURC_IOC_FLOW_ADD, fr);
}

static int get_info(int fd, struct bifurc_info *i)
{
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	return xioctl(fd, BIFURC_IOC_INFO, i);
}

/* Is QUEUE attached by anyone?  -1 if INFO fails. */
static int queue_attached(int fd)
{
	struct bifurc_info i;

	if (get_info(fd, &i))
		return -1;
	return qbit(i.attached_queues, queue);
}

static int kick(int fd, uint32_t flags, struct bifurc_kick *k)
{
	memset(k, 0, sizeof(*k));
	k->size = sizeof(*k);
	k->flags = flags;
	return xioctl(fd, BIFURC_IOC_KICK, k);
}

static int get_stats(int fd, struct bifurc_counters *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	return xioctl(fd, BIFURC_IOC_STATS, c);
}

static bool pow2_in(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v && !(v & (v - 1)) && v >= lo && v <= hi;
}

/* The smallest attachment, with FLAGS. */
static void attach_args(struct bifurc_attach *a, uint32_t flags)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->abi_version = BIFURC_ABI_VERSION;
	a->queue = queue;
	a->flags = flags;
	a->rx_desc = 64;
	a->fill_entries = 64;
	a->comp_entries = 64;
	a->buf_size = 2048;
	a->buf_count = 64;
	if (flags & BIFURC_ATTACH_TX) {
		a->tx_entries = 64;
		a->txc_entries = 64;
	}
}

/* A random valid attachment of QUEUE, pool at most MAX_BUFS buffers. */
static void rand_cfg(struct rng *r, struct bifurc_attach *a, int tx_pct,
		     int busy_pct)
{
	uint32_t flags = 0;

	if (rpct(r, tx_pct) && (info0.flags & BIFURC_INFO_F_TX))
		flags |= BIFURC_ATTACH_TX;
	if (rpct(r, busy_pct) && (info0.flags & BIFURC_INFO_F_BUSY_POLL))
		flags |= BIFURC_ATTACH_BUSY_POLL;
	attach_args(a, flags);
	a->rx_desc = rpow2(r, info0.min_rx_desc, info0.max_rx_desc);
	a->fill_entries = rpow2(r, 64, info0.max_ring_entries);
	a->comp_entries = rpow2(r, 64, info0.max_ring_entries);
	a->buf_size = rpow2(r, info0.min_buf_size, info0.max_buf_size);
	a->buf_count = 1 + rbelow(r, MAX_BUFS);
	if (flags & BIFURC_ATTACH_TX) {
		a->tx_entries = rpow2(r, 64, info0.max_ring_entries);
		a->txc_entries = rpow2(r, 64, info0.max_ring_entries);
		if (rpct(r, 60))
			a->tx_desc = rpow2(r, info0.min_rx_desc,
					   info0.max_rx_desc);
	}
}

/* Regions in the order of struct bifurc_attach. */
enum { R_POOL, R_FILL, R_COMP, R_DESC, R_TX, R_TXC, R_CNT, NREGIONS };
static const char *const region_names[] = {
	"pool", "fill", "comp", "desc", "tx", "txc", "counters",
};

static const struct bifurc_region *region(const struct bifurc_attach *a,
					  int i)
{
	static const size_t off[] = {
		offsetof(struct bifurc_attach, pool),
		offsetof(struct bifurc_attach, fill),
		offsetof(struct bifurc_attach, comp),
		offsetof(struct bifurc_attach, desc),
		offsetof(struct bifurc_attach, tx),
		offsetof(struct bifurc_attach, txc),
		offsetof(struct bifurc_attach, counters),
	};

	return (const struct bifurc_region *)((const uint8_t *)a + off[i]);
}

static void *map_region(int fd, const struct bifurc_attach *a, int i,
			int prot)
{
	const struct bifurc_region *rg = region(a, i);
	void *p = mmap(NULL, rg->length, prot, MAP_SHARED, fd, rg->offset);

	sys_err(p == MAP_FAILED ? -1 : 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Every region of an attachment, mapped as its prot allows. */
struct maps {
	void *r[NREGIONS];
};

static int map_all(int fd, const struct bifurc_attach *a, struct maps *m,
		   bool pool)
{
	int i, prot;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < NREGIONS; i++) {
		if (!region(a, i)->length || (i == R_POOL && !pool))
			continue;
		prot = PROT_READ;
		if (region(a, i)->prot & BIFURC_PROT_WRITE)
			prot |= PROT_WRITE;
		m->r[i] = map_region(fd, a, i, prot);
		if (!m->r[i])
			return -1;
	}
	return 0;
}

static void unmap_all(const struct bifurc_attach *a, struct maps *m)
{
	int i;

	for (i = 0; i < NREGIONS; i++)
		if (m->r[i])
			sys_err(munmap(m->r[i], region(a, i)->length));
	memset(m, 0, sizeof(*m));
}

/* Raw descriptor mode for PCT per cent of the attachments that may have it. */
static void maybe_raw(struct rng *r, struct bifurc_attach *a, int pct)
{
	if (!rpct(r, pct) || !(info0.flags & BIFURC_INFO_F_RAW_DESC) ||
	    (unpriv && !(info0.flags & BIFURC_INFO_F_IOMMU)))
		return;
	a->flags |= BIFURC_ATTACH_RAW_DESC;
	a->comp_entries = a->rx_desc;
}

static bool in_eset(int err, eset s)
{
	return err >= 0 && err < 128 && (s & E(err));
}

/* What ATTACH of a free reserved queue meets only under chaos (-C). */
#define CHAOS_ATTACH	(E(ENETDOWN) | E(EADDRNOTAVAIL))

/*
 * ATTACH of a queue nobody else holds: under chaos, the port may be down
 * or the queue released for a while (counted in SEEN), so it is tried
 * again for up to 30 s.  0 or the errno.
 */
static int attach_free(int fd, struct bifurc_attach *a, int seen_refused)
{
	struct bifurc_attach in = *a;
	double end = now() + 30;
	int got;

	for (;;) {
		*a = in;
		got = xioctl(fd, BIFURC_IOC_ATTACH, a);
		if (!chaos || !in_eset(got, CHAOS_ATTACH) || now() > end)
			return got;
		seen(seen_refused, 1);
		usleep(20000);
	}
}

/*
 * An attachment chaos ended (uapi sections 3, 7, 8): status RESET on the
 * counters page (when mapped, CNT), every ioctl ENETRESET, poll()
 * POLLERR alone, mmap() ENETRESET, a second ATTACH of the file EISCONN.
 * False, with WHY, if not.
 */
static bool check_dead(int fd, const struct bifurc_attach *a,
		       const struct bifurc_counters *cnt, char *why,
		       size_t len)
{
	struct bifurc_flow_mask fm = { .size = sizeof(fm) };
	struct bifurc_attach a2;
	struct bifurc_counters c;
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	struct bifurc_kick k;
	double end = now() + 2;
	uint32_t st = 0;
	int got;
	void *p;

	/* the death (ENETRESET) comes first, the status right after it */
	while (cnt && (st = __atomic_load_n(&cnt->status, __ATOMIC_ACQUIRE)) ==
	       BIFURC_STATUS_ATTACHED && now() < end)
		usleep(1000);
	if (cnt && st != BIFURC_STATUS_RESET)
		return snprintf(why, len, "status %#x, want RESET", st), false;
	if ((got = kick(fd, BIFURC_KICK_RX_HARVEST, &k)) != ENETRESET ||
	    (got = get_stats(fd, &c)) != ENETRESET ||
	    (got = xioctl(fd, BIFURC_IOC_FLOW_MASK, &fm)) != ENETRESET)
		return snprintf(why, len, "an ioctl returned %s, want "
				"ENETRESET", ename(got)), false;
	got = sys_err(poll(&pfd, 1, 0));
	if (got || pfd.revents != POLLERR)
		return snprintf(why, len, "poll: %s, revents %#x, want POLLERR",
				ename(got), pfd.revents), false;
	p = mmap(NULL, a->counters.length, PROT_READ, MAP_SHARED, fd,
		 a->counters.offset);
	got = sys_err(p == MAP_FAILED ? -1 : 0);
	if (!got)
		munmap(p, a->counters.length);
	if (got != ENETRESET)
		return snprintf(why, len, "mmap: %s, want ENETRESET",
				ename(got)), false;
	attach_args(&a2, 0);
	got = xioctl(fd, BIFURC_IOC_ATTACH, &a2);
	if (got != EISCONN)
		return snprintf(why, len, "ATTACH of the dead file: %s, want "
				"EISCONN", ename(got)), false;
	return true;
}

static struct bifurc_ring_hdr *hdr(const struct maps *m, int i)
{
	return m->r[i];
}

static void *entries(const struct maps *m, int i)
{
	return (uint8_t *)m->r[i] + BIFURC_RING_ENTRIES_OFFSET;
}

/* ---- reading memory that may not be there ------------------------------ */

static sigjmp_buf probe_jmp;

static void probe_handler(int sig)
{
	siglongjmp(probe_jmp, sig);
}

/*
 * Reads (or writes, WRITE >= 0) one byte at P; 0 or the signal it raised.
 * Single-threaded callers only.
 */
static int probe(volatile uint8_t *p, int write, uint8_t *val)
{
	struct sigaction sa = { .sa_handler = probe_handler }, o1, o2;
	int sig;

	sigaction(SIGSEGV, &sa, &o1);
	sigaction(SIGBUS, &sa, &o2);
	sig = sigsetjmp(probe_jmp, 1);
	if (!sig) {
		if (write >= 0)
			*p = (uint8_t)write;
		else
			*val = *p;
	}
	sigaction(SIGSEGV, &o1, NULL);
	sigaction(SIGBUS, &o2, NULL);
	return sig;
}

/* ---- IOCTL phase ------------------------------------------------------- */

/*
 * Where an ioctl argument lives.  The arena is two read-write pages
 * followed by an unmapped guard page; ro_page is read-only while a call
 * uses it.
 */
enum { P_OK, P_CROSS, P_RO, P_NULL, P_UNMAPPED, P_KERNEL, P_LOW, NKINDS };
static const char *const kind_names[] = {
	"ok", "cross", "ro", "null", "unmapped", "kernel", "low",
};

#define ARENA		(2 * PAGE)
#define CANARY		16
static uint8_t *arena, *ro_page;

struct arg {
	int kind;
	uint8_t *p;
	size_t readable;	/* bytes the kernel can read at p */
	size_t len;		/* bytes of the image placed there */
};

/* The argument as built: structure, tail up to 4096, then spare. */
static uint8_t img[BIFURC_MAX_STRUCT_SIZE + 64];

static int setup_arena(void)
{
	arena = mmap(NULL, ARENA + PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (arena == MAP_FAILED || ro_page == MAP_FAILED)
		return -1;
	return mprotect(arena + ARENA, PAGE, PROT_NONE);
}

static int pick_kind(struct rng *r)
{
	uint32_t n = rbelow(r, 1000);

	if (n < 850)
		return P_OK;
	if (n < 900)
		return P_CROSS;
	if (n < 950)
		return P_RO;
	if (n < 962)
		return P_NULL;
	if (n < 975)
		return P_UNMAPPED;
	if (n < 988)
		return P_KERNEL;
	return P_LOW;
}

/* Puts LEN bytes of img where the pointer kind says. */
static void place(struct rng *r, int kind, size_t len, struct arg *a)
{
	size_t off;

	a->kind = kind;
	a->readable = 0;
	a->len = len;
	switch (kind) {
	case P_OK:
		off = rbelow(r, ARENA - len - CANARY + 1);
		if (rpct(r, 85))
			off &= ~7UL;
		a->p = arena + off;
		memcpy(a->p, img, len);
		memset(a->p + len, 0xa5, CANARY);
		a->readable = len;
		break;
	case P_CROSS:
		/* the argument runs into the guard page */
		off = rbelow(r, len);
		a->p = arena + ARENA - off;
		memcpy(a->p, img, off);
		a->readable = off;
		break;
	case P_RO:
		off = rbelow(r, PAGE - len + 1) & ~7UL;
		mprotect(ro_page, PAGE, PROT_READ | PROT_WRITE);
		memcpy(ro_page + off, img, len);
		mprotect(ro_page, PAGE, PROT_READ);
		a->p = ro_page + off;
		a->readable = len;
		break;
	case P_NULL:
		a->p = NULL;
		break;
	case P_UNMAPPED:
		a->p = arena + ARENA + rbelow(r, PAGE);
		break;
	case P_KERNEL:
		/* the direct map and the kernel image: never readable */
		a->p = (uint8_t *)(uintptr_t)(rpct(r, 50) ?
			0xffff888000000000ULL + ((uint64_t)rnext(r) & 0xffffff8ULL) :
			0xffffffff81000000ULL + rbelow(r, 1 << 24));
		break;
	default:
		a->p = (uint8_t *)(uintptr_t)rbelow(r, 65536);
		break;
	}
}

/*
 * copy_struct_from_user() and the size rules of uapi section 2.  0 when
 * the structure gets through to the ioctl's own checks.
 */
static eset model_copy_in(const struct arg *a, uint32_t ksize, uint32_t ver0)
{
	uint32_t usize;
	bool nz = false;
	size_t i;

	if (a->readable < 4)
		return E(EFAULT);
	memcpy(&usize, img, 4);
	if (usize < ver0)
		return E(EINVAL);
	if (usize > BIFURC_MAX_STRUCT_SIZE)
		return E(E2BIG);
	if (a->readable < ksize)
		return E(EFAULT);
	if (usize > ksize) {
		for (i = ksize; i < usize && i < a->readable; i++)
			nz |= img[i] != 0;
		/* the tail check stops at the first non-zero word */
		if (a->readable < usize)
			return E(EFAULT) | (nz ? E(E2BIG) : 0);
		if (nz)
			return E(E2BIG);
	}
	return 0;
}

/* What the model knows about one open file. */
struct fstate {
	int fd;
	bool attached;
	bool tx;		/* attached with BIFURC_ATTACH_TX */
	uint64_t kicks;		/* successful KICKs: the counters' kicks */
};

/* The port's perfect-filter rules, as far as this file is concerned. */
#define MAX_OWNED	64
struct flowm {
	struct bifurc_flow_match mask;	/* in force while rules exist */
	unsigned int n;			/* rules this file owns */
	struct {
		uint32_t id;
		struct bifurc_flow_match v;
	} r[MAX_OWNED];
};

struct ictx {
	struct fstate idle, att;
	struct bifurc_attach acfg;	/* att's attachment */
	struct flowm fm;
	uint64_t reattach_at;
};

enum {
	OP_INFO, OP_ATTACH, OP_KICK, OP_FLOW_ADD, OP_FLOW_DEL, OP_FLOW_MASK,
	OP_STATS, OP_UNKNOWN, NOPS
};

static const struct {
	const char *name;
	unsigned long req;
	uint32_t ksize, ver0;
	bool wb;		/* writes the structure back */
	bool needs_att;		/* ENOTCONN on an unattached file */
	unsigned int weight;
} ops[NOPS] = {
	[OP_INFO] = { "INFO", BIFURC_IOC_INFO, sizeof(struct bifurc_info),
		      BIFURC_INFO_SIZE_VER0, true, false, 10 },
	[OP_ATTACH] = { "ATTACH", BIFURC_IOC_ATTACH,
			sizeof(struct bifurc_attach), BIFURC_ATTACH_SIZE_VER0,
			true, false, 18 },
	[OP_KICK] = { "KICK", BIFURC_IOC_KICK, sizeof(struct bifurc_kick),
		      BIFURC_KICK_SIZE_VER0, true, true, 18 },
	[OP_FLOW_ADD] = { "FLOW_ADD", BIFURC_IOC_FLOW_ADD,
			  sizeof(struct bifurc_flow_rule),
			  BIFURC_FLOW_RULE_SIZE_VER0, true, true, 16 },
	[OP_FLOW_DEL] = { "FLOW_DEL", BIFURC_IOC_FLOW_DEL,
			  sizeof(struct bifurc_flow_del),
			  BIFURC_FLOW_DEL_SIZE_VER0, false, true, 10 },
	[OP_FLOW_MASK] = { "FLOW_MASK", BIFURC_IOC_FLOW_MASK,
			   sizeof(struct bifurc_flow_mask),
			   BIFURC_FLOW_MASK_SIZE_VER0, true, true, 7 },
	[OP_STATS] = { "STATS", BIFURC_IOC_STATS,
		       sizeof(struct bifurc_counters),
		       BIFURC_COUNTERS_SIZE_VER0, true, true, 9 },
	[OP_UNKNOWN] = { "UNKNOWN", 0, 0, 0, false, false, 12 },
};

static int pick_op(struct rng *r)
{
	unsigned int total = 0, n, i;

	for (i = 0; i < NOPS; i++)
		total += ops[i].weight;
	n = rbelow(r, total);
	for (i = 0; n >= ops[i].weight; i++)
		n -= ops[i].weight;
	return i;
}

/* Flow matches compare as the kernel's perfect filter does (IPv4). */
static bool same_mask(const struct bifurc_flow_match *a,
		      const struct bifurc_flow_match *b)
{
	return a->src_port == b->src_port && a->dst_port == b->dst_port &&
	       a->src_addr[0] == b->src_addr[0] &&
	       a->dst_addr[0] == b->dst_addr[0];
}

static bool same_value(const struct bifurc_flow_match *a,
		       const struct bifurc_flow_match *b)
{
	return a->proto == b->proto && same_mask(a, b);
}

static int owned_rule(const struct flowm *fm, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < fm->n; i++)
		if (fm->r[i].id == id)
			return i;
	return -1;
}

static uint32_t port_rules(const struct flowm *fm)
{
	return admin_rules + fm->n;
}

/* A random IPv4 TCP or UDP rule the model expects to be accepted or, at
 * worst, to meet EEXIST/EBUSY/ENOSPC.
 */
static void gen_flow(struct rng *r, const struct flowm *fm,
		     struct bifurc_flow_rule *x)
{
	struct bifurc_flow_match *m = &x->mask, *v = &x->value;

	memset(x, 0, sizeof(*x));
	x->size = sizeof(*x);
	if (port_rules(fm) && rpct(r, 85)) {
		*m = fm->mask;
	} else {
		/* one of the masks ethtool users pick, or random bits */
		switch (rbelow(r, 5)) {
		case 0:
			m->dst_port = 0xffff;
			break;
		case 1:
			m->src_port = 0xffff;
			m->dst_port = 0xffff;
			break;
		case 2:
			m->dst_addr[0] = 0xffffffff;
			break;
		case 3:
			m->src_addr[0] = htonl(0xffffff00);
			m->dst_port = 0xffff;
			break;
		default:
			m->src_port = (uint16_t)rnext(r);
			m->dst_port = (uint16_t)rnext(r);
			m->src_addr[0] = (uint32_t)rnext(r);
			m->dst_addr[0] = (uint32_t)rnext(r);
			break;
		}
		if (!m->src_port && !m->dst_port && !m->src_addr[0] &&
		    !m->dst_addr[0])
			m->dst_port = 0xffff;
	}
	/* a grantee: mostly what its grant allows, a whole granted port */
	if (unpriv && !port_rules(fm) && rpct(r, 80)) {
		memset(m, 0, sizeof(*m));
		m->dst_port = 0xffff;
		if (rpct(r, 30))
			m->dst_addr[0] = 0xffffffff;
	}
	m->family = 0;
	m->proto = 0;
	if (fm->n && rpct(r, 15)) {
		/* the value of a rule that exists: EEXIST */
		*v = fm->r[rbelow(r, fm->n)].v;
	} else {
		v->proto = rpct(r, 50) ? IPPROTO_UDP : IPPROTO_TCP;
		v->src_port = (uint16_t)rnext(r) & m->src_port;
		v->dst_port = (uint16_t)rnext(r) & m->dst_port;
		v->src_addr[0] = (uint32_t)rnext(r) & m->src_addr[0];
		v->dst_addr[0] = (uint32_t)rnext(r) & m->dst_addr[0];
		if (unpriv && m->dst_port == 0xffff && rpct(r, 85))
			v->dst_port = htons(GRANT_LO +
					    rbelow(r, GRANT_HI - GRANT_LO + 1));
		/* the port is held by a bind to it: a unicast address */
		if (unpriv && m->dst_addr[0] == 0xffffffff)
			v->dst_addr[0] = htonl(0x0a4d0000 + rbelow(r, 256));
	}
	v->family = BIFURC_FLOW_IPV4;
}

/* A valid structure of OP for the file F: the starting point. */
static void gen_valid(struct rng *r, int op, struct ictx *c,
		      const struct fstate *f)
{
	struct bifurc_flow_del *d = (void *)img;
	struct bifurc_kick *k = (void *)img;
	struct bifurc_attach *a = (void *)img;
	uint32_t flags;

	switch (op) {
	case OP_ATTACH:
		rand_cfg(r, a, 50, 30);
		if (rpct(r, 12))
			a->queue = rpct(r, 50) ? info0.num_rx_queues +
				   rbelow(r, 4) : rbelow(r, info0.num_rx_queues);
		break;
	case OP_KICK:
		flags = BIFURC_KICK_RX_REFILL | BIFURC_KICK_RX_HARVEST;
		if (f->tx)
			flags |= BIFURC_KICK_TX_SUBMIT | BIFURC_KICK_TX_RECLAIM;
		do
			k->flags = (uint32_t)rnext(r) & flags;
		while (!k->flags);
		break;
	case OP_FLOW_ADD:
		gen_flow(r, &c->fm, (void *)img);
		break;
	case OP_FLOW_DEL:
		if (c->fm.n && rpct(r, 60))
			d->rule_id = c->fm.r[rbelow(r, c->fm.n)].id;
		else if (c->fm.n && rpct(r, 50))
			d->rule_id = c->fm.r[rbelow(r, c->fm.n)].id +
				     rbelow(r, 3) - 1;
		else
			d->rule_id = rval32(r);
		break;
	default:
		break;
	}
	memcpy(img, &ops[op].ksize, 4);
}

/* One change that (usually) breaks one rule of OP's structure. */
static void mutate(struct rng *r, int op)
{
	struct bifurc_flow_rule *fr = (void *)img;
	struct bifurc_attach *a = (void *)img;
	uint32_t ksize = ops[op].ksize, w, *p;
	uint8_t *b;

	switch (rbelow(r, 4)) {
	case 0:		/* any word but size */
		w = 1 + rbelow(r, ksize / 4 - 1);
		p = (uint32_t *)img + w;
		*p = rval32(r);
		return;
	case 1:		/* one bit */
		w = 32 + rbelow(r, (ksize - 4) * 8);
		img[w / 8] ^= 1 << (w % 8);
		return;
	case 2:		/* everything but size random */
		if (rpct(r, 30)) {
			for (w = 4; w < ksize; w++)
				img[w] = (uint8_t)rnext(r);
			return;
		}
		break;
	default:
		break;
	}
	/* the fields each structure's rules are about */
	switch (op) {
	case OP_ATTACH:
		/* a field from abi_version to rx_headroom (words 1..12) */
		w = 1 + rbelow(r, 12);
		p = (uint32_t *)img + w;
		if (rpct(r, 25))
			*p = rval32(r);
		else if (w * 4 == offsetof(struct bifurc_attach, flags))
			*p = rpct(r, 50) ? (uint32_t)rnext(r) :
			     1U << rbelow(r, 32);
		else if (w * 4 == offsetof(struct bifurc_attach, abi_version))
			*p = BIFURC_ABI_VERSION + (rpct(r, 50) ? 1 : -1);
		else if (w * 4 == offsetof(struct bifurc_attach, queue))
			*p = rval32(r);
		else	/* a neighbour of a valid size: x2, /2, /2+1 */
			*p = rpct(r, 50) ? *p * 2 : *p / 2 + rbelow(r, 2);
		if (rpct(r, 10))
			a->reserved[rbelow(r, 8)] = rval32(r);
		if (rpct(r, 10))
			a->rx_headroom = rval32(r);
		if (rpct(r, 10))
			((uint32_t *)(img + offsetof(struct bifurc_attach,
						     pool)))[rbelow(r, 42)] =
				rval32(r);
		break;
	case OP_FLOW_ADD:
		b = (uint8_t *)img;
		switch (rbelow(r, 12)) {
		case 0:
			fr->value.family = rpct(r, 50) ? BIFURC_FLOW_IPV6 :
					   (uint8_t)rnext(r);
			break;
		case 1:
			fr->value.proto = rpct(r, 50) ? IPPROTO_SCTP :
					  (uint8_t)rnext(r);
			break;
		case 2:
			b[offsetof(struct bifurc_flow_rule, mask) +
			  rbelow(r, 4)] = 1 + rbelow(r, 255);
			break;
		case 3:
			fr->value.reserved = 1 + rbelow(r, 0xffff);
			break;
		case 4:
			fr->value.src_addr[1 + rbelow(r, 3)] = rval32(r) | 1;
			break;
		case 5:
			fr->mask.dst_addr[1 + rbelow(r, 3)] = rval32(r) | 1;
			break;
		case 6:		/* a value bit outside the mask */
			fr->value.dst_port |= ~fr->mask.dst_port &
					      (uint16_t)rnext(r);
			fr->value.src_addr[0] |= ~fr->mask.src_addr[0] &
						 (uint32_t)rnext(r);
			break;
		case 7:
			memset(&fr->mask, 0, sizeof(fr->mask));
			break;
		case 8:
			fr->flags = rval32(r);
			break;
		case 9:
			fr->reserved[rbelow(r, 3)] = rval32(r);
			break;
		case 10:
			fr->rule_id = rval32(r);
			break;
		default:
			fr->value.family = BIFURC_FLOW_IPV6;
			fr->value.src_addr[1] = (uint32_t)rnext(r);
			break;
		}
		break;
	case OP_KICK:
		p = (uint32_t *)img + 1;
		*p = rpct(r, 70) ? rbelow(r, 32) : rval32(r);
		if (rpct(r, 30))
			((uint32_t *)img)[2 + rbelow(r, 14)] = rval32(r);
		break;
	default:
		/* INFO, STATS, FLOW_MASK: out fields; FLOW_DEL: reserved */
		w = 4 + rbelow(r, ksize - 4);
		img[w] = 1 + rbelow(r, 255);
		break;
	}
}

/* "size": mostly VER0, else below, above with zero/non-zero tail, huge. */
static uint32_t pick_size(struct rng *r, uint32_t ksize)
{
	uint32_t n = rbelow(r, 100), s;

	if (n < 70)
		return ksize;
	if (n < 78)
		return rbelow(r, ksize);
	if (n < 88)
		return ksize + 1 + rbelow(r, BIFURC_MAX_STRUCT_SIZE - ksize);
	if (n < 94) {
		s = ksize + 1 + rbelow(r, BIFURC_MAX_STRUCT_SIZE - ksize);
		img[ksize + rbelow(r, s - ksize)] = 1 + rbelow(r, 255);
		return s;
	}
	if (n < 97)
		return BIFURC_MAX_STRUCT_SIZE + 1 + rbelow(r, 8192);
	return rval32(r);
}

static eset model_attach(const struct bifurc_attach *a,
			 const struct fstate *f, const struct ictx *c)
{
	const struct bifurc_info *i = &info0;
	bool tx = a->flags & BIFURC_ATTACH_TX;
	eset e = 0;

	/* out and reserved fields */
	if (!all_zero(a->reserved, sizeof(a->reserved)) || a->rx_headroom ||
	    a->desc_format || !all_zero(&a->pool, 7 * sizeof(a->pool)))
		e |= E(EINVAL);
	if (a->flags & ~BIFURC_ATTACH_FLAGS_ALL)
		e |= E(EINVAL);
	if (a->abi_version != BIFURC_ABI_VERSION)
		e |= E(EPROTO);
	if (a->flags & BIFURC_ATTACH_RAW_DESC) {
		if (!(i->flags & BIFURC_INFO_F_RAW_DESC))
			e |= E(EOPNOTSUPP);
		if (a->comp_entries != a->rx_desc)
			e |= E(EINVAL);
		/* unwritten descriptors hold bus addresses (uapi section 5) */
		if (unpriv && !(i->flags & BIFURC_INFO_F_IOMMU))
			e |= E(EPERM);
	}
	if (!pow2_in(a->rx_desc, i->min_rx_desc, i->max_rx_desc) ||
	    !pow2_in(a->fill_entries, 64, i->max_ring_entries) ||
	    !pow2_in(a->comp_entries, 64, i->max_ring_entries) ||
	    !pow2_in(a->buf_size, i->min_buf_size, i->max_buf_size) ||
	    !a->buf_count || a->buf_count > i->max_buf_count)
		e |= E(EINVAL);
	if (!tx && (a->tx_entries || a->txc_entries || a->tx_desc))
		e |= E(EINVAL);
	if (tx && (!pow2_in(a->tx_entries, 64, i->max_ring_entries) ||
		   !pow2_in(a->txc_entries, 64, i->max_ring_entries) ||
		   (a->tx_desc && !pow2_in(a->tx_desc, i->min_rx_desc,
					   i->max_rx_desc))))
		e |= E(EINVAL);
	if (tx && !(i->flags & BIFURC_INFO_F_TX))
		e |= E(EOPNOTSUPP);
	/* the file's and the queue's state */
	if (f->attached)
		e |= E(EISCONN);
	if (a->queue >= i->num_rx_queues)
		e |= E(ERANGE);
	else if (!qbit(i->reserved_queues, a->queue))
		e |= E(EADDRNOTAVAIL);
	else if (unpriv && a->queue != queue)	/* granted one queue only */
		e |= E(EPERM);
	else if (c && c->att.attached && a->queue == queue)
		e |= E(EBUSY);
	else if (tx && a->queue >= i->num_tx_queues)
		e |= E(EOPNOTSUPP);
	if ((uint64_t)a->buf_size * a->buf_count > (256ULL << 20))
		e |= E(ENOMEM);
	return e ? e : OK;
}

static eset model_flow_add(const struct bifurc_flow_rule *x,
			   const struct fstate *f, const struct flowm *fm)
{
	const struct bifurc_flow_match *v = &x->value, *m = &x->mask;
	const uint8_t *vb = (const void *)v, *mb = (const void *)m;
	size_t i, hdr = offsetof(struct bifurc_flow_match, src_port);
	unsigned int j;
	eset e = 0;

	/*
	 * A grantee steers only a whole destination port inside its grant,
	 * checked before the rule's form (uapi section 6, BIFURC_IOC_FLOW_ADD).
	 */
	if (unpriv && f->attached && !x->rule_id &&
	    (m->dst_port != 0xffff || ntohs(v->dst_port) < GRANT_LO ||
	     ntohs(v->dst_port) > GRANT_HI))
		return E(EACCES);
	if (x->rule_id || x->flags || !all_zero(x->reserved, sizeof(x->reserved)) ||
	    v->reserved || m->proto || m->family || m->reserved)
		e |= E(EINVAL);
	if (v->family == BIFURC_FLOW_IPV6) {
		e |= E(EOPNOTSUPP);
	} else if (v->family != BIFURC_FLOW_IPV4) {
		e |= E(EINVAL);
	} else if (!all_zero(&v->src_addr[1], 12) || !all_zero(&v->dst_addr[1], 12) ||
		   !all_zero(&m->src_addr[1], 12) || !all_zero(&m->dst_addr[1], 12)) {
		e |= E(EINVAL);
	}
	if (v->proto == IPPROTO_SCTP)
		e |= E(EOPNOTSUPP);
	else if (v->proto != IPPROTO_UDP && v->proto != IPPROTO_TCP)
		e |= E(EINVAL);
	for (i = hdr; i < sizeof(*v); i++)
		if (vb[i] & ~mb[i])
			e |= E(EINVAL);
	if (all_zero(mb + hdr, sizeof(*m) - hdr))
		e |= E(EINVAL);
	if (!f->attached)
		e |= E(ENOTCONN);
	else if (!(info0.flags & BIFURC_INFO_F_NTUPLE))
		e |= E(EOPNOTSUPP);
	if (e)
		return e;
	/* a well-formed rule: what the port's rules allow */
	if (port_rules(fm) && (admin_other || !same_mask(m, &fm->mask)))
		e |= E(EBUSY);
	for (j = 0; j < fm->n; j++)
		if (same_value(&fm->r[j].v, v))
			e |= E(EEXIST);
	if (admin_rules)
		e |= E(EEXIST) | OK;	/* their values are unknown */
	if (fm->n >= info0.max_flows)
		e |= E(ENOSPC);
	/*
	 * A grantee's rule holds its port as a bound socket would: another
	 * of its rules on the port and protocol has it, unless both name
	 * different destination addresses (uapi, EADDRINUSE).
	 */
	for (j = 0; unpriv && j < fm->n; j++) {
		const struct bifurc_flow_match *o = &fm->r[j].v;

		if (o->proto != v->proto || o->dst_port != v->dst_port)
			continue;
		/* 0.0.0.0 is a wildcard bind, which every address meets */
		if (m->dst_addr[0] == 0xffffffff && o->dst_addr[0] &&
		    v->dst_addr[0] && o->dst_addr[0] != v->dst_addr[0])
			continue;
		e |= E(EADDRINUSE);
	}
	return e ? e : OK;
}

/* The model's errno set for one known ioctl on F. */
static eset model_op(int op, const struct fstate *f, const struct ictx *c)
{
	const struct bifurc_flow_del *d = (const void *)img;
	const struct bifurc_kick *k = (const void *)img;
	eset e = 0;

	switch (op) {
	case OP_INFO:
		return all_zero(img + 4, ops[op].ksize - 4) ? OK : E(EINVAL);
	case OP_ATTACH:
		return model_attach((const void *)img, f, c);
	case OP_KICK:
		if (!all_zero(&k->rx_refilled,
			      sizeof(*k) - offsetof(struct bifurc_kick,
						    rx_refilled)))
			e |= E(EINVAL);
		if (!k->flags || (k->flags & ~BIFURC_KICK_FLAGS_ALL))
			e |= E(EINVAL);
		if (!f->attached)
			e |= E(ENOTCONN);
		else if ((k->flags & (BIFURC_KICK_TX_SUBMIT |
				      BIFURC_KICK_TX_RECLAIM)) && !f->tx)
			e |= E(EOPNOTSUPP);
		return e ? e : OK;
	case OP_FLOW_ADD:
		return model_flow_add((const void *)img, f, &c->fm);
	case OP_FLOW_DEL:
		if (!all_zero(d->reserved, sizeof(d->reserved)))
			e |= E(EINVAL);
		if (!f->attached)
			e |= E(ENOTCONN);
		if (e)
			return e;
		return f == &c->att && owned_rule(&c->fm, d->rule_id) >= 0 ?
		       OK : E(ENOENT);
	default:	/* FLOW_MASK, STATS: everything but size is out */
		if (!all_zero(img + 4, ops[op].ksize - 4))
			e |= E(EINVAL);
		if (!f->attached)
			e |= E(ENOTCONN);
		return e ? e : OK;
	}
}

/* Checks what a successful call wrote back, and moves the model on. */
static void after_ok(int op, struct ictx *c, struct fstate *f,
		     const uint8_t *out, const char *what)
{
	const struct bifurc_flow_rule *fr = (const void *)out;
	const struct bifurc_flow_mask *fmk = (const void *)out;
	const struct bifurc_counters *cn = (const void *)out;
	const struct bifurc_info *i = (const void *)out;
	const struct bifurc_kick *k = (const void *)out;
	const struct bifurc_flow_del *d = (const void *)img;
	uint32_t size;
	int j;

	memcpy(&size, out, 4);
	if (op != OP_FLOW_DEL && size != ops[op].ksize)
		fail("%s: size %u written back, want %u", what, size,
		     ops[op].ksize);
	switch (op) {
	case OP_INFO:
		if (i->abi_version != BIFURC_ABI_VERSION ||
		    strncmp(i->ifname, ifname, sizeof(i->ifname)) ||
		    i->num_rx_queues != info0.num_rx_queues ||
		    !qbit(i->reserved_queues, queue) ||
		    qbit(i->attached_queues, queue) != c->att.attached ||
		    !all_zero(i->reserved, sizeof(i->reserved)))
			fail("%s: abi %u if %.16s rxq %u queue %u reserved %d "
			     "attached %d (want %d)", what, i->abi_version,
			     i->ifname, i->num_rx_queues, queue,
			     qbit(i->reserved_queues, queue),
			     qbit(i->attached_queues, queue), c->att.attached);
		break;
	case OP_ATTACH:
		/* only another reserved queue can be free: give it back */
		fail("%s: attached queue %u", what,
		     ((const struct bifurc_attach *)out)->queue);
		sys_err(close(f->fd));
		f->fd = open_node();
		break;
	case OP_KICK:
		f->kicks++;
		seen(S_KICK_OK, 1);
		/* the rings of both files stay empty in this phase */
		if (!all_zero(&k->rx_refilled, sizeof(*k) - 8))
			fail("%s: counts %u %u %u %u %u %u on empty rings",
			     what, k->rx_refilled, k->rx_completed,
			     k->rx_rejected, k->tx_submitted, k->tx_completed,
			     k->tx_rejected);
		break;
	case OP_FLOW_ADD:
		if (owned_rule(&c->fm, fr->rule_id) >= 0 ||
		    c->fm.n >= MAX_OWNED) {
			fail("%s: rule id %u given twice", what, fr->rule_id);
			break;
		}
		seen(S_RULE_ADD, 1);
		if (!port_rules(&c->fm))
			c->fm.mask = fr->mask;
		c->fm.r[c->fm.n].id = fr->rule_id;
		c->fm.r[c->fm.n++].v = fr->value;
		break;
	case OP_FLOW_DEL:
		j = owned_rule(&c->fm, d->rule_id);
		if (j >= 0)
			c->fm.r[j] = c->fm.r[--c->fm.n];
		seen(S_RULE_DEL, 1);
		break;
	case OP_FLOW_MASK:
		if (fmk->rules != port_rules(&c->fm) || fmk->owned != c->fm.n ||
		    !(fmk->flags & BIFURC_MASK_F_SET) != !port_rules(&c->fm) ||
		    (port_rules(&c->fm) && (!same_mask(&fmk->mask, &c->fm.mask) ||
		     fmk->mask.family != BIFURC_FLOW_IPV4)))
			fail("%s: flags %#x rules %u owned %u dst_port %#x, "
			     "model: rules %u owned %u dst_port %#x", what,
			     fmk->flags, fmk->rules, fmk->owned,
			     fmk->mask.dst_port, port_rules(&c->fm), c->fm.n,
			     c->fm.mask.dst_port);
		break;
	case OP_STATS:
		seen(S_STATS_OK, 1);
		if (cn->status != BIFURC_STATUS_ATTACHED ||
		    cn->kicks != f->kicks || cn->rx_packets || cn->rx_bad_id ||
		    cn->rx_ring_err || cn->tx_packets || cn->tx_bad_id ||
		    cn->tx_ring_err || cn->tx_bad_frame ||
		    !all_zero(cn->reserved, sizeof(cn->reserved)))
			fail("%s: status %#x kicks %llu (want %llu) rx %llu "
			     "bad %llu/%llu", what, cn->status,
			     (unsigned long long)cn->kicks,
			     (unsigned long long)f->kicks,
			     (unsigned long long)cn->rx_packets,
			     (unsigned long long)cn->rx_bad_id,
			     (unsigned long long)cn->tx_bad_id);
		break;
	}
}

/* ioctl numbers the VFS handles itself before the driver sees them */
static bool vfs_type(unsigned int type)
{
	return type == 0x00 || type == 0x12 || type == 0x15 || type == 'T' ||
	       type == 'X' || type == 'f' || type == 0x94;
}

static void unknown_one(struct rng *r, struct fstate *f)
{
	unsigned int type, nr;
	unsigned long req;
	struct arg a;
	int got;

	if (rpct(r, 15)) {	/* the node has no read, write or seek */
		seen(S_RW, 1);
		switch (rbelow(r, 3)) {
		case 0:
			got = sys_err(read(f->fd, arena, rbelow(r, 3 * PAGE)));
			expect(got, E(EINVAL), "read of the node");
			break;
		case 1:
			got = sys_err(write(f->fd, arena, rbelow(r, 3 * PAGE)));
			expect(got, E(EINVAL), "write to the node");
			break;
		default:
			got = sys_err(lseek(f->fd, rval32(r), SEEK_SET));
			expect(got, E(ESPIPE), "lseek on the node");
			break;
		}
		return;
	}
	if (rpct(r, 60)) {
		type = BIFURC_IOC_TYPE;
		nr = 7 + rbelow(r, 249);
	} else {
		do
			type = rbelow(r, 256);
		while (type == BIFURC_IOC_TYPE || vfs_type(type));
		nr = rbelow(r, 256);
	}
	req = _IOC(rbelow(r, 4), type, nr, rbelow(r, 1 << 14));
	memset(img, 0, 256);
	img[0] = (uint8_t)rnext(r);
	place(r, pick_kind(r), 256, &a);
	vlog("ioctl(%d, %#lx, %s)", f->fd, req, kind_names[a.kind]);
	got = xioctl(f->fd, req, a.p);
	expect(got, E(ENOTTY), "ioctl %#lx (%s arg) on %s file", req,
	       kind_names[a.kind], f->attached ? "an attached" : "a new");
}

static void ioctl_one(struct rng *r, struct ictx *c, struct fstate *f)
{
	int op = pick_op(r), kind, got, n;
	uint32_t ksize = ops[op].ksize, usize;
	char what[512], ws[300];
	unsigned long req;
	struct arg a;
	eset want;
	size_t len;

	if (op == OP_UNKNOWN) {
		unknown_one(r, f);
		return;
	}
	memset(img, 0, sizeof(img));
	gen_valid(r, op, c, f);
	if (rpct(r, 50))
		for (n = 1 + rbelow(r, 3); n; n--)
			mutate(r, op);
	usize = pick_size(r, ksize);
	memcpy(img, &usize, 4);
	len = usize > ksize && usize <= BIFURC_MAX_STRUCT_SIZE ? usize : ksize;

	kind = pick_kind(r);
	if (kind == P_RO && len > PAGE)
		kind = P_OK;
	/*
	 * A rule added through a read-only argument stays installed under an
	 * id the caller never learns (EFAULT after the fact), which the
	 * model cannot follow: read-only FLOW_ADDs are only the failing ones.
	 */
	if (kind == P_RO && op == OP_FLOW_ADD) {
		struct arg t = { .readable = len };

		if (!model_copy_in(&t, ksize, ops[op].ver0) &&
		    (model_op(op, f, c) & OK))
			kind = P_OK;
	}
	place(r, kind, len, &a);

	/*
	 * The kernel checks a request's direction and wants _IOC_SIZE at
	 * least the first version's (uapi section 2): any other size works.
	 */
	req = ops[op].req;
	if (rpct(r, 10))
		req = _IOC(rbelow(r, 4), BIFURC_IOC_TYPE, _IOC_NR(req),
			   rbelow(r, 1 << 14));
	if (_IOC_DIR(req) != _IOC_DIR(ops[op].req) ||
	    _IOC_SIZE(req) < ops[op].ver0) {
		want = E(ENOTTY);
	} else {
		want = model_copy_in(&a, ksize, ops[op].ver0);
		if (!want)
			want = model_op(op, f, c);
		else if (ops[op].needs_att && !f->attached)
			want |= E(ENOTCONN);
		if (a.kind == P_RO && ops[op].wb && (want & OK))
			want = (want & ~OK) | E(EFAULT);
	}
	/* described only when needed: formatting costs more than the call */
#define DESCRIBE() snprintf(what, sizeof(what), "%s req %#lx size %u %s " \
		"arg, %s file:%s", ops[op].name, req, usize, \
		kind_names[a.kind], f->attached ? "attached" : "new", \
		words(img + 4, ksize - 4, ws, sizeof(ws)))
	if (verbose) {
		DESCRIBE();
		vlog("%s", what);
	}
	got = xioctl(f->fd, req, a.p);
	if (got >= 128 || !(want & E(got))) {
		DESCRIBE();
		expect(got, want, "%s", what);
		return;
	}
	if (a.kind == P_RO && op == OP_KICK && got == EFAULT)
		f->kicks++;	/* kicked, then the counts could not be written */
	if (op == OP_FLOW_ADD && got == EEXIST)
		seen(S_RULE_EEXIST, 1);
	if (op == OP_FLOW_ADD && got == EBUSY)
		seen(S_RULE_EBUSY, 1);
	if (op == OP_FLOW_ADD && got == ENOSPC)
		seen(S_RULE_ENOSPC, 1);
	if (op == OP_FLOW_ADD && got == EACCES)
		seen(S_RULE_EACCES, 1);
	if (op == OP_FLOW_ADD && got == EADDRINUSE)
		seen(S_RULE_EADDRINUSE, 1);
	if (got)
		return;
	if (a.kind == P_OK && (memcmp(a.p + ksize, img + ksize, len - ksize) ||
			       a.p[len] != 0xa5 || a.p[len + CANARY - 1] != 0xa5)) {
		DESCRIBE();
		fail("%s: the kernel wrote past its %u bytes", what, ksize);
	}
	after_ok(op, c, f, a.p, ops[op].name);
#undef DESCRIBE
}

/* (Re)attaches the fuzzed file with a random small configuration. */
static int ictx_attach(struct rng *r, struct ictx *c)
{
	struct bifurc_flow_mask m;
	int err;

	if (c->att.fd > 0)
		sys_err(close(c->att.fd));
	memset(&c->att, 0, sizeof(c->att));
	memset(&c->fm, 0, sizeof(c->fm));
	c->att.fd = open_node();
	rand_cfg(r, &c->acfg, 50, 30);
	err = xioctl(c->att.fd, BIFURC_IOC_ATTACH, &c->acfg);
	if (err) {
		fail("attach %s: %s", c->acfg.flags & BIFURC_ATTACH_TX ?
		     "with TX" : "RX", ename(err));
		return -1;
	}
	c->att.attached = true;
	c->att.tx = c->acfg.flags & BIFURC_ATTACH_TX;
	/* the previous file's rules went with it */
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	if (xioctl(c->att.fd, BIFURC_IOC_FLOW_MASK, &m) ||
	    m.rules != admin_rules || m.owned)
		fail("after close and attach: %u rules on the port, %u owned "
		     "(want %u, 0)", m.rules, m.owned, admin_rules);
	c->fm.mask = admin_mask;
	seen(S_REATTACH, 1);
	c->reattach_at = st->calls[phase] + 1500 + rbelow(r, 3000);
	return 0;
}

/*
 * FLOW_ADD whose answer cannot be written back (the argument is in
 * read-only memory): the kernel adds the rule, then copy_to_user() fails.
 * A caller that gets EFAULT never learns the rule id and could not delete
 * the rule until it closed the file, so the kernel must take the rule
 * back.  A bug this fuzzer found: the first series left it installed.
 */
static void flow_add_ro(void)
{
	struct bifurc_flow_rule *x = (void *)ro_page;
	struct bifurc_flow_mask m;
	struct bifurc_attach a;
	int fd, got;

	fd = open_node();
	attach_args(&a, 0);
	if (xioctl(fd, BIFURC_IOC_ATTACH, &a)) {
		fail("flow_add_ro: ATTACH: %s", strerror(errno));
		close(fd);
		return;
	}
	mprotect(ro_page, PAGE, PROT_READ | PROT_WRITE);
	memset(x, 0, sizeof(*x));
	x->size = sizeof(*x);
	x->value.proto = IPPROTO_UDP;
	x->value.family = BIFURC_FLOW_IPV4;
	x->value.dst_port = htons(unpriv ? GRANT_LO : 4242);
	x->mask.dst_port = 0xffff;
	mprotect(ro_page, PAGE, PROT_READ);
	got = xioctl(fd, BIFURC_IOC_FLOW_ADD, x);
	expect(got, E(EFAULT), "FLOW_ADD with a read-only argument");
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	got = xioctl(fd, BIFURC_IOC_FLOW_MASK, &m);
	expect(got, OK, "FLOW_MASK after FLOW_ADD with a read-only argument");
	if (!got && m.owned)
		fail("FLOW_ADD with a read-only argument returned EFAULT and "
		     "left %u rule(s) installed under an id the caller never "
		     "learned", m.owned);
	sys_err(close(fd));
}

static int phase_ioctl(struct rng *r)
{
	struct ictx c = { .att.fd = -1 };

	c.idle.fd = open_node();
	if (c.idle.fd < 0 || ictx_attach(r, &c))
		return -1;
	while (!done()) {
		if (st->calls[phase] >= c.reattach_at && ictx_attach(r, &c))
			return -1;
		ioctl_one(r, &c, rpct(r, 30) ? &c.idle : &c.att);
	}
	sys_err(close(c.att.fd));
	sys_err(close(c.idle.fd));
	flow_add_ro();
	return 0;
}

/* ---- ATTACH phase ------------------------------------------------------ */

/* The regions a successful ATTACH returned (uapi section 3). */
static bool regions_ok(const struct bifurc_attach *in,
		       const struct bifurc_attach *out, char *why, size_t len)
{
	bool tx = in->flags & BIFURC_ATTACH_TX;
	bool raw = in->flags & BIFURC_ATTACH_RAW_DESC;
	/* raw mode: a comp region of the ring header alone (uapi sect. 5) */
	const uint32_t esize[NREGIONS] = { 0, 4, raw ? 0 : 16, 0, 16, 4, 0 };
	const struct bifurc_region *rg, *o;
	uint32_t want_entries[NREGIONS] = {
		0, in->fill_entries, in->comp_entries, raw ? in->rx_desc : 0,
		tx ? in->tx_entries : 0, tx ? in->txc_entries : 0, 0,
	};
	int i, j;

	if (out->size != sizeof(*out) || out->rx_headroom ||
	    out->desc_format != (raw ? BIFURC_DESC_FMT_IXGBE_ADV :
				 BIFURC_DESC_FMT_NONE) ||
	    !all_zero(out->reserved, sizeof(out->reserved)))
		return snprintf(why, len, "size %u headroom %u format %u",
				out->size, out->rx_headroom,
				out->desc_format), false;
	if (out->tx_desc != (tx ? in->tx_desc ?: in->rx_desc : 0))
		return snprintf(why, len, "tx_desc %u", out->tx_desc), false;
	for (i = 0; i < NREGIONS; i++) {
		rg = region(out, i);
		if ((i == R_DESC && !raw) ||
		    (!tx && (i == R_TX || i == R_TXC))) {
			if (!all_zero(rg, sizeof(*rg)))
				return snprintf(why, len, "absent region %s "
						"not zero", region_names[i]),
				       false;
			continue;
		}
		if ((rg->offset | rg->length) & (PAGE - 1) || !rg->length ||
		    rg->entries != want_entries[i] ||
		    rg->prot != (i == R_CNT || i == R_DESC ? BIFURC_PROT_READ :
				 BIFURC_PROT_READ | BIFURC_PROT_WRITE) ||
		    (i == R_DESC && rg->length <
				    BIFURC_RAW_SLOTS_OFFSET(in->rx_desc) +
				    (uint64_t)in->rx_desc * sizeof(uint32_t)) ||
		    (i == R_POOL && rg->length < (uint64_t)in->buf_size *
						 in->buf_count) ||
		    (i == R_CNT && rg->length < sizeof(struct bifurc_counters)) ||
		    (esize[i] && rg->length < BIFURC_RING_ENTRIES_OFFSET +
					      (uint64_t)esize[i] * rg->entries))
			return snprintf(why, len, "region %s: offset %#llx "
					"length %llu entries %u prot %u",
					region_names[i],
					(unsigned long long)rg->offset,
					(unsigned long long)rg->length,
					rg->entries, rg->prot), false;
		for (j = 0; j < i; j++) {
			o = region(out, j);
			if (o->length && rg->offset < o->offset + o->length &&
			    o->offset < rg->offset + rg->length)
				return snprintf(why, len, "regions %s and %s "
						"overlap", region_names[j],
						region_names[i]), false;
		}
	}
	return true;
}

static void attach_mutate(struct rng *r, struct bifurc_attach *a)
{
	memset(img, 0, sizeof(*a));
	memcpy(img, a, sizeof(*a));
	mutate(r, OP_ATTACH);
	memcpy(a, img, sizeof(*a));
}

static int phase_attach(struct rng *r)
{
	struct bifurc_attach in, out;
	struct maps m;
	char why[256], ws[300];
	int infofd, fd, got, att, i;
	bool ro;
	eset want;

	infofd = open_node();
	if (infofd < 0)
		return -1;
	while (!done()) {
		struct fstate f = { 0 };

		fd = open_node();
		if (fd < 0)
			return -1;
		rand_cfg(r, &in, 50, 30);
		if (rpct(r, 20) && (info0.flags & BIFURC_INFO_F_RAW_DESC)) {
			in.flags |= BIFURC_ATTACH_RAW_DESC;
			in.comp_entries = in.rx_desc;
		}
		if (rpct(r, 40))
			attach_mutate(r, &in);
		/* a pool above the driver's limit: ENOMEM, nothing allocated */
		if (rpct(r, 3) && (uint64_t)info0.max_buf_size *
		    info0.max_buf_count > (256ULL << 20)) {
			in.buf_size = info0.max_buf_size;
			in.buf_count = info0.max_buf_count;
		}
		want = model_attach(&in, &f, NULL);
		/* the result goes back through a read-only page: EFAULT */
		ro = rpct(r, 8);
		if (ro && (want & OK))
			want = E(EFAULT);
		if (ro) {
			mprotect(ro_page, PAGE, PROT_READ | PROT_WRITE);
			memcpy(ro_page, &in, sizeof(in));
			mprotect(ro_page, PAGE, PROT_READ);
		}
		out = in;
		got = xioctl(fd, BIFURC_IOC_ATTACH, ro ? (void *)ro_page : &out);
		snprintf(why, sizeof(why), "ATTACH%s:%s", ro ? " (read-only)" : "",
			 words(&in, sizeof(in), ws, sizeof(ws)));
		vlog("%s", why);
		expect(got, want, "%s", why);
		if ((in.flags & BIFURC_ATTACH_RAW_DESC) && got == EPERM)
			seen(S_ATT_RAW_EPERM, 1);
		if (got && !(ro && got == EFAULT && (model_attach(&in, &f, NULL)
						     & OK)))
			seen(S_ATT_REFUSED, 1);
		else if (got)
			seen(S_ATT_ROLLBACK, 1);
		if (in.rx_desc == info0.max_rx_desc ||
		    in.fill_entries == info0.max_ring_entries ||
		    in.comp_entries == info0.max_ring_entries ||
		    in.tx_entries == info0.max_ring_entries ||
		    in.txc_entries == info0.max_ring_entries ||
		    in.tx_desc == info0.max_rx_desc)
			seen(S_ATT_MAXRING, 1);
		att = queue_attached(infofd);
		if (att != !got)
			fail("%s returned %s but INFO says attached=%d", why,
			     ename(got), att);
		if (!got) {
			seen(in.flags & BIFURC_ATTACH_TX ? S_ATT_TX : S_ATT_RX,
			     1);
			if (in.flags & BIFURC_ATTACH_BUSY_POLL)
				seen(S_ATT_BUSY, 1);
			if (in.flags & BIFURC_ATTACH_RAW_DESC)
				seen(S_ATT_RAW, 1);
			if (!regions_ok(&in, &out, why, sizeof(why)))
				fail("ATTACH regions: %s", why);
			/* a second ATTACH on the file */
			in.size = sizeof(in);
			expect(xioctl(fd, BIFURC_IOC_ATTACH, &in),
			       E(EISCONN) | (model_attach(&in, &f, NULL) & ~OK),
			       "ATTACH on an attached file");
			if (rpct(r, 25) && !map_all(fd, &out, &m, true)) {
				const struct bifurc_counters *cn = m.r[R_CNT];

				seen(S_ATT_MAPPED, 1);
				if (cn->size != sizeof(*cn) ||
				    cn->status != BIFURC_STATUS_ATTACHED ||
				    !(hdr(&m, R_FILL)->flags &
				      BIFURC_RING_NEED_WAKEUP))
					fail("new attachment: counters size %u "
					     "status %#x, fill flags %#x",
					     cn->size, cn->status,
					     hdr(&m, R_FILL)->flags);
				for (i = 0; i < 64 && i < (int)out.pool.length;
				     i += 7)
					if (((uint8_t *)m.r[R_POOL])[i * 61])
						fail("pool not zeroed");
				/* nothing posted yet: no bus address to see */
				if (m.r[R_DESC] &&
				    !all_zero(m.r[R_DESC], out.desc.length))
					fail("raw desc region not zeroed");
				unmap_all(&out, &m);
			}
		}
		sys_err(close(fd));
		if (queue_attached(infofd) != 0)
			fail("queue still attached after close");
	}
	sys_err(close(infofd));
	return 0;
}

/* ---- MMAP phase -------------------------------------------------------- */

#define NMAP	24
struct mapping {
	uint8_t *addr;
	size_t len;
	size_t skip;		/* bytes of the region before addr */
	int region;
	int prot;
};

struct mctx {
	int fd, infofd;
	bool open;
	struct bifurc_attach a;
	struct mapping m[NMAP];
	unsigned int n;
	uint8_t probe_val[16];	/* what the pool holds at probe_off() */
};

/* Sixteen bytes spread over the pool, one per 256 KiB at most. */
static size_t probe_off(const struct mctx *c, unsigned int j)
{
	return (size_t)region(&c->a, R_POOL)->length / 16 * j + j * 97 % 1000;
}

static eset model_mmap(const struct mctx *c, uint64_t off, size_t len,
		       int prot, int flags)
{
	const struct bifurc_region *rg = NULL;
	eset e = 0;
	int i;

	if (!c->open)
		return E(EBADF);
	if (!len || (off & (PAGE - 1)))
		return E(EINVAL);
	/* no room in the address space, or an offset past the end */
	if (len > (1ULL << 40))
		return E(ENOMEM) | E(EINVAL) | E(EOVERFLOW);
	if (off >= (1ULL << 62))
		e |= E(EOVERFLOW);
	if ((flags & MAP_TYPE) != MAP_SHARED &&
	    (flags & MAP_TYPE) != MAP_SHARED_VALIDATE)
		e |= E(EINVAL);
	for (i = 0; i < NREGIONS; i++)
		if (region(&c->a, i)->length && region(&c->a, i)->offset == off)
			rg = region(&c->a, i);
	if (!rg || PAGE_ALIGN(len) != rg->length)
		e |= E(EINVAL);
	else if ((prot & PROT_WRITE) && !(rg->prot & BIFURC_PROT_WRITE))
		e |= E(EACCES);
	if ((prot & PROT_EXEC) && noexec)
		e |= E(EPERM);
	return e ? e : OK;
}

/* What a mapping must show when read. */
static void check_mapping(struct mctx *c, const struct mapping *m)
{
	const struct bifurc_counters *cn = (const void *)m->addr;
	const struct bifurc_ring_hdr *h = (const void *)m->addr;
	unsigned int j;
	size_t off;

	if (!(m->prot & PROT_READ))
		return;
	switch (m->region) {
	case R_CNT:
		if (!m->skip && (cn->size != sizeof(*cn) ||
				 cn->status != BIFURC_STATUS_ATTACHED))
			fail("counters mapping: size %u status %#x", cn->size,
			     cn->status);
		break;
	case R_POOL:
		for (j = 0; j < 16; j++) {
			off = probe_off(c, j);
			if (off >= m->skip && off - m->skip < m->len &&
			    m->addr[off - m->skip] != c->probe_val[j])
				fail("pool byte %zu reads %#x through one "
				     "mapping, %#x was written", off,
				     m->addr[off - m->skip], c->probe_val[j]);
		}
		break;
	case R_FILL:
		/* nothing is ever refilled in this phase */
		if (!m->skip && h->flags != BIFURC_RING_NEED_WAKEUP)
			fail("fill ring flags %#x before any refill", h->flags);
		break;
	}
}

/* A byte of the pool written through one mapping, read through others. */
static void write_pool(struct rng *r, struct mctx *c, struct mapping *m)
{
	unsigned int j = rbelow(r, 16);
	size_t off = probe_off(c, j);

	if (m->region != R_POOL || !(m->prot & PROT_WRITE) || off < m->skip ||
	    off - m->skip >= m->len)
		return;
	c->probe_val[j] = (uint8_t)rnext(r);
	m->addr[off - m->skip] = c->probe_val[j];
}

/* Writes to the counters page must fail in every way user space has. */
static void ro_writes(const struct mapping *m)
{
	struct bifurc_counters *cn = (void *)m->addr;
	struct iovec local, remote;
	uint64_t v = 0x4141414141414141ULL, before = cn->rx_bytes;
	int memfd, err, sig;

	/* a store: SIGSEGV, the mapping cannot be written */
	sig = probe((volatile uint8_t *)&cn->rx_packets, 0x41, NULL);
	tally(sig ? EFAULT : 0);
	if (sig != SIGSEGV)
		fail("a store to the read-only counters page: signal %d, want "
		     "SIGSEGV", sig);
	/* FOLL_FORCE writes through /proc/self/mem */
	memfd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	if (memfd >= 0) {
		err = sys_err(pwrite(memfd, &v, sizeof(v),
				     (off_t)(uintptr_t)&cn->rx_packets));
		expect(err, E(EIO) | E(EFAULT) | E(EPERM),
		       "pwrite of /proc/self/mem into the counters page");
		close(memfd);
	}
	local.iov_base = &v;
	local.iov_len = sizeof(v);
	remote.iov_base = &cn->rx_bytes;
	remote.iov_len = sizeof(v);
	err = sys_err(process_vm_writev(getpid(), &local, 1, &remote, 1, 0));
	expect(err, E(EFAULT) | E(EPERM),
	       "process_vm_writev into the counters page");
	if (cn->size != sizeof(*cn) || cn->rx_packets || cn->rx_bytes != before)
		fail("the counters page was written from user space");
}

static void drop_mapping(struct mctx *c, unsigned int i)
{
	c->m[i] = c->m[--c->n];
}

static void mmap_new(struct rng *r, struct mctx *c)
{
	const struct bifurc_region *rg;
	struct mapping *m;
	int prot, flags, got, ri, i;
	uint64_t off;
	size_t len;
	eset want;
	void *p;

	ri = rbelow(r, NREGIONS);
	rg = region(&c->a, ri);
	off = rg->offset;
	switch (rbelow(r, 10)) {
	case 0:		/* inside the region */
		off += PAGE * (1 + rbelow(r, 16));
		break;
	case 1:
		off = rpct(r, 50) ? ((uint64_t)rbelow(r, 16) << 32) :
		      (uint64_t)rval32(r) << rbelow(r, 33);
		break;
	case 2:		/* not page aligned */
		off += 1 + rbelow(r, PAGE - 1);
		break;
	case 3:
		off = rnext(r) & ~(PAGE - 1);
		break;
	}
	len = rg->length;
	switch (rbelow(r, 10)) {
	case 0:		/* the same number of pages: the same region */
		len -= rbelow(r, PAGE);
		break;
	case 1:
		len += PAGE * (1 + rbelow(r, 4));
		break;
	case 2:
		len = len > PAGE ? len - PAGE : 0;
		break;
	case 3:
		len = rpct(r, 50) ? rbelow(r, 3 * PAGE) : (size_t)rnext(r);
		break;
	}
	prot = PROT_READ;
	switch (rbelow(r, 8)) {
	case 0:
		prot = PROT_NONE;
		break;
	case 1:
		prot = PROT_WRITE;
		break;
	case 2:
		prot |= PROT_EXEC;
		break;
	case 3: case 4: case 5:
		prot |= PROT_WRITE;
		break;
	}
	flags = MAP_SHARED;
	switch (rbelow(r, 12)) {
	case 0:
		flags = MAP_PRIVATE;
		break;
	case 1:
		flags = MAP_SHARED_VALIDATE;
		break;
	case 2:
		flags |= MAP_POPULATE;
		break;
	case 3:
		flags |= MAP_NORESERVE;
		break;
	}
	want = model_mmap(c, off, len, prot, flags);
	vlog("mmap(%zu, prot %#x, flags %#x, off %#llx)", len, prot, flags,
	     (unsigned long long)off);
	p = mmap(NULL, len, prot, flags, c->fd, off);
	got = sys_err(p == MAP_FAILED ? -1 : 0);
	expect(got, want, "mmap near %s: offset %#llx length %zu prot %#x "
	       "flags %#x", region_names[ri], (unsigned long long)off, len,
	       prot, flags);
	seen(got ? S_MAP_REFUSED : S_MAP_OK, 1);
	if (got == EACCES)
		seen(S_MAP_EACCES, 1);
	if (got)
		return;
	for (i = 0; i < NREGIONS; i++)
		if (region(&c->a, i)->length && region(&c->a, i)->offset == off)
			ri = i;
	if (c->n == NMAP) {
		sys_err(munmap(p, PAGE_ALIGN(len)));
		return;
	}
	m = &c->m[c->n++];
	m->addr = p;
	m->len = PAGE_ALIGN(len);
	m->skip = 0;
	m->region = ri;
	m->prot = prot;
	check_mapping(c, m);
	write_pool(r, c, m);
}

static void mmap_one(struct rng *r, struct mctx *c)
{
	static const int advice[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
		MADV_DONTFORK, MADV_DOFORK, MADV_DONTDUMP, MADV_DODUMP,
	};
	const struct bifurc_region *rg;
	int prot, got, i, op = rbelow(r, 100);
	struct mapping *m;
	uint8_t *p, *q;
	eset want;

	if (op < 45 || !c->n) {
		mmap_new(r, c);
		return;
	}
	i = rbelow(r, c->n);
	m = &c->m[i];
	rg = region(&c->a, m->region);
	if (op < 60) {		/* munmap: whole, first or last page */
		switch (rbelow(r, 3)) {
		case 0:
			got = sys_err(munmap(m->addr, m->len));
			expect(got, OK, "munmap of a %s mapping",
			       region_names[m->region]);
			drop_mapping(c, i);
			break;
		case 1:
			got = sys_err(munmap(m->addr, PAGE));
			expect(got, OK, "munmap of the first page of %s",
			       region_names[m->region]);
			m->addr += PAGE;
			m->skip += PAGE;
			m->len -= PAGE;
			if (!m->len)
				drop_mapping(c, i);
			break;
		default:
			got = sys_err(munmap(m->addr + m->len - PAGE, PAGE));
			expect(got, OK, "munmap of the last page of %s",
			       region_names[m->region]);
			m->len -= PAGE;
			if (!m->len)
				drop_mapping(c, i);
			break;
		}
	} else if (op < 75) {	/* mprotect */
		prot = rbelow(r, 8);
		want = OK;
		if ((prot & PROT_WRITE) && !(rg->prot & BIFURC_PROT_WRITE))
			want = E(EACCES);	/* VM_MAYWRITE is gone */
		if ((prot & PROT_EXEC) && noexec)
			want = E(EACCES);
		got = sys_err(mprotect(m->addr, m->len, prot));
		expect(got, want, "mprotect(%#x) of a %s mapping", prot,
		       region_names[m->region]);
		if (got == EACCES)
			seen(S_MPROT_EACCES, 1);
		if (!got)
			m->prot = prot;
		check_mapping(c, m);
	} else if (op < 85) {	/* mremap */
		switch (rbelow(r, 4)) {
		case 0:		/* cannot grow: VM_DONTEXPAND */
			q = mremap(m->addr, m->len, m->len + PAGE *
				   (1 + rbelow(r, 4)), rpct(r, 50) ?
				   MREMAP_MAYMOVE : 0);
			got = sys_err(q == MAP_FAILED ? -1 : 0);
			expect(got, E(EFAULT), "mremap growing a %s mapping",
			       region_names[m->region]);
			seen(S_MREMAP_GROW, 1);
			if (!got)
				drop_mapping(c, i);
			break;
		case 1:
			if (m->len <= PAGE)
				break;
			q = mremap(m->addr, m->len, m->len - PAGE, 0);
			got = sys_err(q == MAP_FAILED ? -1 : 0);
			expect(got, OK, "mremap shrinking a %s mapping",
			       region_names[m->region]);
			if (!got)
				m->len -= PAGE;
			break;
		case 2:		/* move it whole */
			p = mmap(NULL, m->len, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				break;
			q = mremap(m->addr, m->len, m->len,
				   MREMAP_MAYMOVE | MREMAP_FIXED, p);
			got = sys_err(q == MAP_FAILED ? -1 : 0);
			expect(got, OK, "mremap moving a %s mapping",
			       region_names[m->region]);
			if (got) {
				munmap(p, m->len);
				break;
			}
			m->addr = q;
			seen(S_MREMAP_MOVE, 1);
			check_mapping(c, m);
			break;
		default:	/* DONTUNMAP is for private anonymous memory */
			q = mremap(m->addr, m->len, m->len,
				   MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
			got = sys_err(q == MAP_FAILED ? -1 : 0);
			expect(got, E(EINVAL), "mremap(MREMAP_DONTUNMAP) of a "
			       "%s mapping", region_names[m->region]);
			if (!got)
				munmap(q, m->len);
			break;
		}
	} else if (op < 92) {	/* madvise */
		i = advice[rbelow(r, ARRAY_SIZE(advice))];
		got = sys_err(madvise(m->addr, m->len, i));
		expect(got, i == MADV_DONTFORK || i == MADV_DOFORK ? OK :
		       OK | E(EINVAL), "madvise(%d) of a %s mapping", i,
		       region_names[m->region]);
	} else if (op < 95 && m->region == R_CNT && !m->skip &&
		   (m->prot & PROT_READ)) {
		seen(S_RO_WRITES, 1);
		ro_writes(m);
	} else {
		check_mapping(c, m);
		write_pool(r, c, m);
	}
}

static int phase_mmap(struct rng *r)
{
	struct mctx c = { 0 };
	struct statvfs sv;
	uint64_t round_end;
	unsigned int i;
	int got;

	noexec = !statvfs(dev.node, &sv) && (sv.f_flag & ST_NOEXEC);
	c.infofd = open_node();
	if (c.infofd < 0)
		return -1;
	while (!done()) {
		c.fd = open_node();
		if (c.fd < 0)
			return -1;
		c.open = true;
		rand_cfg(r, &c.a, 50, 30);
		if (xioctl(c.fd, BIFURC_IOC_ATTACH, &c.a)) {
			fail("attach for mmap: %s", strerror(errno));
			return -1;
		}
		memset(c.probe_val, 0, sizeof(c.probe_val));
		round_end = st->calls[phase] + 200 + rbelow(r, 400);
		while (!done() && st->calls[phase] < round_end)
			mmap_one(r, &c);

		/* mappings outlive close(); the last munmap() detaches */
		got = sys_err(close(c.fd));
		c.open = false;
		expect(got, OK, "close of a mapped file");
		got = sys_err(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, c.fd,
				   c.a.counters.offset) == MAP_FAILED ? -1 : 0);
		expect(got, E(EBADF), "mmap of a closed file");
		seen(S_OUTLIVE, c.n);
		for (i = 0; i < c.n; i++)
			check_mapping(&c, &c.m[i]);
		got = queue_attached(c.infofd);
		if (got != (c.n > 0))
			fail("closed file with %u mappings: INFO says "
			     "attached=%d", c.n, got);
		while (c.n) {
			got = sys_err(munmap(c.m[c.n - 1].addr,
					     c.m[c.n - 1].len));
			expect(got, OK, "munmap after close");
			c.n--;
			if (c.n && queue_attached(c.infofd) != 1)
				fail("detached with %u mappings left", c.n);
		}
		if (queue_attached(c.infofd) != 0)
			fail("queue still attached after the last munmap");
	}
	sys_err(close(c.infofd));
	return 0;
}

/* ---- RINGS phase ------------------------------------------------------- */

#define OWN_USER	0
#define OWN_KERNEL	1

struct flight {
	uint32_t id, len;
	bool eop;
};

/* One attachment driven through its rings, and the model of it. */
struct rq {
	int fd;
	struct bifurc_attach a;
	struct maps m;
	bool busy, tx;
	struct bifurc_ring_hdr *fill, *comp, *txr, *txc;
	uint32_t *fille, *txce;
	struct bifurc_tx_entry *txe;
	const struct bifurc_counters *cnt;
	struct bifurc_rx_comp *compe;
	uint8_t *pool;			/* traffic rounds only */
	uint32_t fmask, tmask, cmask;
	bool traffic;			/* a rule steers -u PORT here */
	/*
	 * Raw mode (uapi section 5): the descriptors and the slot table;
	 * ucons is what user space has read (honest: up to the first
	 * descriptor without DD), lied whether it ever stored anything
	 * else, which ends the busy-poll model's exactness.
	 */
	bool raw, lied;
	const struct bifurc_rx_desc *desc;
	const uint32_t *slot;
	uint32_t ucons;
	uint16_t *raw_len;		/* per slot: length read, EOP in bit 15 */
	bool dead;			/* ended by chaos, checked */
	/* what user space has written */
	uint32_t fill_u, tx_u;
	/* the kernel's private state (busy-poll model) */
	uint8_t owner[MAX_BUFS];
	uint32_t fill_k, comp_k, tx_k, txc_k;
	uint32_t *rxq;			/* ids on the NIC, in posting order */
	uint32_t rx_head, rx_tail;
	bool discard;
	struct flight *fl;	/* frames on the NIC, oldest first */
	uint32_t fl_head, fl_tail, fl_size;
	struct bifurc_counters x;	/* expected counters */
	uint64_t kicks;
	bool broken;		/* the model lost track: end the round */
	/* scratch: txc entries the model expects one kick to write */
	uint32_t exp_txc[2 * 32768 + 64];
	uint32_t nexp;
};

/* An id: mostly one user space owns, else any. */
static uint32_t rand_id(struct rng *r, const struct rq *q)
{
	uint32_t id, t;

	switch (rbelow(r, 12)) {
	case 0:
		return q->a.buf_count + rbelow(r, 3);
	case 1:
		return rval32(r);
	case 2:
		return rbelow(r, q->a.buf_count);	/* anyone's */
	default:
		for (t = 0; t < 8; t++) {
			id = rbelow(r, q->a.buf_count);
			if (q->owner[id] == OWN_USER)
				break;
		}
		return id;
	}
}

/* A producer index that claims more than the ring can hold. */
static uint32_t lying(struct rng *r, uint32_t kidx, uint32_t size)
{
	switch (rbelow(r, 3)) {
	case 0:
		return kidx + size + 1 + rbelow(r, 1000);
	case 1:
		return kidx - 1 - rbelow(r, 1000);
	default:
		return (uint32_t)rnext(r);
	}
}

static void scribble_fill(struct rng *r, struct rq *q)
{
	uint32_t room, n, i;

	if (rpct(r, 8)) {
		__atomic_store_n(&q->fill->producer,
				 lying(r, q->fill_k, q->a.fill_entries),
				 __ATOMIC_RELEASE);
		return;
	}
	room = q->a.fill_entries - (q->fill_u - q->fill_k);
	if (q->fill_u - q->fill_k > q->a.fill_entries) {
		q->fill_u = q->fill_k;	/* the last lie is over */
		room = q->a.fill_entries;
	}
	n = rpct(r, 10) ? rbelow(r, room + 1) : rbelow(r, room < 12 ? room + 1 : 12);
	for (i = 0; i < n; i++)
		q->fille[q->fill_u++ & q->fmask] = rand_id(r, q);
	__atomic_store_n(&q->fill->producer, q->fill_u, __ATOMIC_RELEASE);
}

/* One frame's entries: valid, or broken in one of the ways 4a lists. */
static unsigned int gen_frame(struct rng *r, struct rq *q,
			      struct bifurc_tx_entry *e, bool *open_end)
{
	uint32_t bs = q->a.buf_size, maxf = info0.max_tx_frame, total, i, n;
	unsigned int kind = rbelow(r, 20);

	n = kind == 1 ? BIFURC_TX_MAX_FRAGS + 1 + rbelow(r, 4) :
	    1 + (rpct(r, 60) ? 0 : rbelow(r, BIFURC_TX_MAX_FRAGS));
	total = BIFURC_TX_MIN_FRAME + rbelow(r, maxf - BIFURC_TX_MIN_FRAME + 1);
	for (i = 0; i < n; i++) {
		uint32_t left = total > n - i ? total - (n - i - 1) : 1;
		uint32_t len = i == n - 1 ? left : 1 + rbelow(r, left / 2 + 1);

		if (len > bs)
			len = bs;
		total -= len < total ? len : total;
		e[i].buf = rand_id(r, q);
		e[i].len = len;
		e[i].offset = rbelow(r, bs - len + 1);
		e[i].flags = i < n - 1 ? BIFURC_TX_F_MORE : 0;
	}
	i = rbelow(r, n);
	switch (kind) {
	case 2:
		e[i].offset = bs - e[i].len + 1 + rbelow(r, 64);
		break;
	case 3:
		e[i].len = 0;
		break;
	case 4:
		e[i].flags |= 1U << (1 + rbelow(r, 31));
		break;
	case 5:		/* a runt */
		for (i = 0; i < n; i++)
			e[i].len = 1;
		break;
	case 6:
		e[i].len = rval32(r);
		break;
	case 7:
		e[i].offset = rval32(r);
		break;
	case 8:
		if (n > 1)
			e[1].buf = e[0].buf;	/* one id twice in a frame */
		break;
	}
	*open_end = kind == 9;
	if (*open_end)		/* the frame's end is not produced yet */
		e[n - 1].flags |= BIFURC_TX_F_MORE;
	return n;
}

static void scribble_tx(struct rng *r, struct rq *q)
{
	struct bifurc_tx_entry e[BIFURC_TX_MAX_FRAGS + 4];
	uint32_t frames, n, i, room;
	bool open_end;

	if (rpct(r, 8)) {
		__atomic_store_n(&q->txr->producer,
				 lying(r, q->tx_k, q->a.tx_entries),
				 __ATOMIC_RELEASE);
		return;
	}
	if (q->tx_u - q->tx_k > q->a.tx_entries)
		q->tx_u = q->tx_k;
	for (frames = rbelow(r, 4); frames; frames--) {
		room = q->a.tx_entries - (q->tx_u - q->tx_k);
		n = gen_frame(r, q, e, &open_end);
		if (n > room)
			break;
		for (i = 0; i < n; i++)
			q->txe[q->tx_u++ & q->tmask] = e[i];
		if (open_end)
			break;
	}
	__atomic_store_n(&q->txr->producer, q->tx_u, __ATOMIC_RELEASE);
}

static void raw_consume(struct rq *q);

/* User-owned consumer indices (comp, txc), honest or not. */
static void scribble_consumers(struct rng *r, struct rq *q)
{
	uint32_t c;

	if (q->raw) {
		/*
		 * Raw mode: the consumer says which descriptors user space
		 * has read.  Mostly honest; a lie beyond the producer or past
		 * a descriptor without DD is a ring error.
		 */
		if (rpct(r, 8)) {
			c = rpct(r, 50) ? (uint32_t)rnext(r) : q->ucons + 1 +
			    rbelow(r, q->a.rx_desc);
			__atomic_store_n(&q->comp->consumer, c,
					 __ATOMIC_RELEASE);
			/* the busy-poll model ends here: invariants only */
			if (q->busy && !q->lied)
				q->kicks = q->x.kicks;
			q->lied = true;
		} else {
			raw_consume(q);
		}
	} else {
		switch (rbelow(r, 10)) {
		case 0:		/* a lie */
			c = (uint32_t)rnext(r);
			break;
		case 1:		/* consumes nothing: the ring fills up */
		case 2:
			c = __atomic_load_n(&q->comp->consumer,
					    __ATOMIC_RELAXED);
			break;
		default:
			c = __atomic_load_n(&q->comp->producer,
					    __ATOMIC_ACQUIRE);
			break;
		}
		__atomic_store_n(&q->comp->consumer, c, __ATOMIC_RELEASE);
	}
	if (!q->tx)
		return;
	c = __atomic_load_n(&q->txc->producer, __ATOMIC_ACQUIRE);
	switch (rbelow(r, 20)) {
	case 0:		/* claims more than the ring holds */
		c = lying(r, c, q->a.txc_entries);
		break;
	case 1:		/* legal, but hands nothing back */
		c -= rbelow(r, q->a.txc_entries + 1);
		break;
	case 2:		/* consumes nothing */
		c = __atomic_load_n(&q->txc->consumer, __ATOMIC_RELAXED);
		break;
	}
	__atomic_store_n(&q->txc->consumer, c, __ATOMIC_RELEASE);
}

/* Writes to what only the kernel writes: overwritten or ignored. */
static void scribble_kernel(struct rng *r, struct rq *q)
{
	struct bifurc_ring_hdr *h[4] = { q->fill, q->comp, q->txr, q->txc };
	struct bifurc_ring_hdr *x = h[rbelow(r, q->tx ? 4 : 2)];
	uint32_t v = rval32(r);

	switch (rbelow(r, 4)) {
	case 0:
		if (x == q->fill || x == q->txr)
			x->consumer = v;
		else if (x != q->comp || (q->busy && !q->raw) ||
			 (!q->traffic && !q->raw) || (q->busy && !q->lied))
			/*
			 * Not with NAPI harvesting into the comp ring: the
			 * invariant checks read its producer as the kernel's.
			 */
			x->producer = v;
		break;
	case 1:
		x->flags = v;
		break;
	case 2:
		x->reserved[rbelow(r, 32)] = v;
		break;
	default:
		x->pad1[rbelow(r, 31)] = v;
		break;
	}
}

/* ixgbe_bifurc_ring_used(): prod - cons within [0, size] */
static bool ring_used(uint32_t prod, uint32_t cons, uint32_t size,
		      uint32_t *used)
{
	if (prod - cons > size)
		return false;
	*used = prod - cons;
	return true;
}

/* Section 4: takes an id from user space; false if range or owner fail. */
static bool take(struct rq *q, uint32_t id)
{
	if (id >= q->a.buf_count || q->owner[id] != OWN_USER)
		return false;
	q->owner[id] = OWN_KERNEL;
	return true;
}

/* Refill pass of the model: -1 on a ring error, else buffers posted. */
static int sim_post(struct rq *q, uint32_t *rejected)
{
	uint32_t uprod = q->fill->producer, avail, room, id;
	int posted = 0;

	if (!ring_used(uprod, q->fill_k, q->a.fill_entries, &avail)) {
		q->x.rx_ring_err++;
		return -1;
	}
	room = q->a.rx_desc - 1 - (q->rx_tail - q->rx_head);
	while (avail && room) {
		id = q->fille[q->fill_k++ & q->fmask];
		avail--;
		if (!take(q, id)) {
			q->x.rx_bad_id++;
			(*rejected)++;
			continue;
		}
		q->rxq[q->rx_tail++ % q->a.rx_desc] = id;
		room--;
		posted++;
	}
	return posted;
}

static bool frame_ok(const struct bifurc_tx_entry *e, uint32_t n,
		     uint32_t buf_size)
{
	uint32_t i, total = 0;

	if (!n || n > BIFURC_TX_MAX_FRAGS)
		return false;
	for (i = 0; i < n; i++) {
		if (e[i].flags & ~BIFURC_TX_F_MORE)
			return false;
		if (!(e[i].flags & BIFURC_TX_F_MORE) != (i == n - 1))
			return false;
		if (!e[i].len || e[i].offset > buf_size ||
		    e[i].len > buf_size - e[i].offset)
			return false;
		total += e[i].len;
	}
	/*
	 * A grantee (no CAP_NET_RAW) sends only frames from the port's MAC
	 * and address (uapi 4a): the pool holds zeroes or frames the peer
	 * sent, never such a frame, so every frame is refused.
	 */
	return total >= BIFURC_TX_MIN_FRAME && total <= info0.max_tx_frame &&
	       !unpriv;
}

/*
 * The NIC filled COMPLETED buffers (the kick says how many; the traffic
 * decides): the comp ring must list the posted ids in posting order
 * (82599 7.1.9: descriptors complete in order), within the ring's room,
 * with a length and the datagram -u sent.  -1 on a mismatch, 0 on a
 * lying comp consumer (nothing harvested, nothing published), else 1.
 */
static int sim_harvest(struct rq *q, uint32_t completed, char *why,
		       size_t len)
{
	const struct bifurc_rx_comp *e;
	uint32_t used, i, id;
	const uint8_t *f;

	if (!ring_used(q->comp_k, q->comp->consumer, q->a.comp_entries,
		       &used)) {
		q->x.rx_ring_err++;
		if (completed)
			return snprintf(why, len, "harvest with a lying comp "
					"consumer gave %u", completed), -1;
		return 0;
	}
	if (completed && !q->traffic)
		return snprintf(why, len, "%u frames reached the hidden queue "
				"with no rule steering there", completed), -1;
	if (completed > q->rx_tail - q->rx_head ||
	    completed > q->a.comp_entries - used)
		return snprintf(why, len, "%u completed, %u posted, room %u",
				completed, q->rx_tail - q->rx_head,
				q->a.comp_entries - used), -1;
	for (i = 0; i < completed; i++) {
		e = &q->compe[(q->comp_k + i) & (q->a.comp_entries - 1)];
		id = q->rxq[q->rx_head % q->a.rx_desc];
		if (e->buf != id || !e->len || e->len > q->a.buf_size ||
		    !(e->flags & BIFURC_RX_F_EOP) || (e->flags & ~0x7fU) ||
		    (e->ptype & 0xff00))
			return snprintf(why, len, "comp entry %u: buf %u (posted "
					"%u) len %u flags %#x ptype %#x",
					q->comp_k + i, e->buf, id, e->len,
					e->flags, e->ptype), -1;
		/* zero copy: the datagram is in the buffer the entry names */
		f = q->pool + (size_t)id * q->a.buf_size;
		if (q->pool && e->len >= 38 && ((f[36] << 8) | f[37]) != rx_port)
			return snprintf(why, len, "buffer %u holds a frame to "
					"port %u, not %u", id,
					(f[36] << 8) | f[37], rx_port), -1;
		q->owner[id] = OWN_USER;
		q->rx_head++;
		q->x.rx_packets++;
		q->x.rx_bytes += e->len;
	}
	q->comp_k += completed;
	return 1;
}

/* Does buffer ID hold a datagram to -u's port (zero copy)? */
static bool rx_frame_ok(const struct rq *q, uint32_t id, uint32_t len)
{
	const uint8_t *f;

	if (!q->pool || len < 38)
		return true;
	f = q->pool + (size_t)id * q->a.buf_size;
	return ((f[36] << 8) | f[37]) == rx_port;
}

/*
 * Raw mode, what user space does (uapi section 5): reads descriptors from
 * its consumer while DD is set, checks them, then publishes the consumer.
 * The kernel's producer is the model's in busy-poll mode (the page's may
 * hold a scribble), else the page's.
 */
static void raw_consume(struct rq *q)
{
	uint32_t mask = q->a.rx_desc - 1, prod, st, id, i, len;
	const struct bifurc_rx_desc *d;

	prod = q->busy && !q->lied ? q->rx_tail :
	       __atomic_load_n(&q->comp->producer, __ATOMIC_ACQUIRE);
	while (q->ucons != prod && prod - q->ucons <= q->a.rx_desc) {
		i = q->ucons & mask;
		d = &q->desc[i];
		st = __atomic_load_n(&d->status_error, __ATOMIC_ACQUIRE);
		if (!(st & BIFURC_RXD_STAT_DD))
			break;
		id = q->slot[i];
		len = d->length;
		seen(S_R_RAW_RX, 1);
		if (!q->traffic) {
			fail("raw: descriptor %u written back (length %u) with "
			     "no rule steering to the hidden queue", q->ucons,
			     len);
			q->broken = true;
			return;
		}
		if (id >= q->a.buf_count || !len || len > q->a.buf_size ||
		    !(st & BIFURC_RXD_STAT_EOP) ||
		    (q->busy && !q->lied &&
		     id != q->rxq[q->ucons % q->a.rx_desc]) ||
		    !rx_frame_ok(q, id, len)) {
			fail("raw descriptor %u: slot %u (posted %u) length %u "
			     "status %#x", q->ucons, id, q->busy && !q->lied ?
			     q->rxq[q->ucons % q->a.rx_desc] : id, len, st);
			q->broken = true;
			return;
		}
		q->raw_len[i] = len | 0x8000;
		q->ucons++;
	}
	__atomic_store_n(&q->comp->consumer, q->ucons, __ATOMIC_RELEASE);
}

/*
 * Raw mode, what holds after any kick (NAPI too) while the consumer is
 * honest: the kernel never holds more than rx_desc - 1 slots past it,
 * every slot it holds names a distinct buffer of the pool, and a posted
 * descriptor is not written back unless a rule steers here (the kernel
 * clears status_error when it posts: no DD, length 0).
 */
static bool raw_invariants(struct rq *q, char *why, size_t len)
{
	uint32_t mask = q->a.rx_desc - 1, prod, n, id, st;
	static uint8_t held[MAX_BUFS];

	if (q->lied)
		return true;
	/* busy poll: the page's producer may hold a scribble until a refill */
	prod = q->busy ? q->rx_tail :
	       __atomic_load_n(&q->comp->producer, __ATOMIC_ACQUIRE);
	if (prod - q->ucons > q->a.rx_desc - 1)
		return snprintf(why, len, "raw: producer %u, consumer %u, "
				"rx_desc %u", prod, q->ucons, q->a.rx_desc),
		       false;
	memset(held, 0, sizeof(held));
	for (n = q->ucons; n != prod; n++) {
		id = q->slot[n & mask];
		st = __atomic_load_n(&q->desc[n & mask].status_error,
				     __ATOMIC_ACQUIRE);
		seen(S_R_RAW_DESC, 1);
		if (id >= q->a.buf_count || held[id]++)
			return snprintf(why, len, "raw: slot %u names buffer "
					"%u (%s)", n, id, id >= q->a.buf_count ?
					"not in the pool" : "twice"), false;
		if (!q->traffic && (st || q->desc[n & mask].length))
			return snprintf(why, len, "raw: posted descriptor %u "
					"status %#x length %u with no rule "
					"steering here", n, st,
					q->desc[n & mask].length), false;
	}
	return true;
}

/* The txc ring's room (4a): false on a lying user consumer. */
static bool sim_txc_room(struct rq *q, uint32_t *room)
{
	uint32_t used;

	if (!ring_used(q->txc_k, q->txc->consumer, q->a.txc_entries, &used)) {
		q->x.tx_ring_err++;
		return false;
	}
	used += q->fl_tail - q->fl_head;
	*room = used < q->a.txc_entries ? q->a.txc_entries - used : 0;
	return true;
}

static void txc_put(struct rq *q, uint32_t entry)
{
	q->owner[entry & BIFURC_TXC_ID_MASK] = OWN_USER;
	q->exp_txc[q->nexp++] = entry;
	q->txc_k++;
}

/* One submit pass of the model (uapi 4a); false on a ring error. */
static bool sim_tx_pass(struct rq *q, uint32_t *sub, uint32_t *rej)
{
	struct bifurc_tx_entry e[BIFURC_TX_MAX_FRAGS];
	uint32_t avail, room, nic_room, n, max, taken, i;
	bool last;

	if (!ring_used(q->txr->producer, q->tx_k, q->a.tx_entries, &avail)) {
		q->x.tx_ring_err++;
		return false;
	}
	if (!sim_txc_room(q, &room))
		return false;
	while (avail) {
		max = q->discard ? 1 : BIFURC_TX_MAX_FRAGS;
		for (n = 0; n < avail && n < max; n++) {
			e[n] = q->txe[(q->tx_k + n) & q->tmask];
			if (!(e[n].flags & BIFURC_TX_F_MORE)) {
				n++;
				goto whole;
			}
		}
		if (n < max)
			break;		/* the end is not produced yet */
whole:
		nic_room = q->fl_size - 1 - (q->fl_tail - q->fl_head);
		if (n > room || n > nic_room) {
			q->x.tx_ring_full++;
			break;
		}
		q->tx_k += n;
		avail -= n;
		last = !(e[n - 1].flags & BIFURC_TX_F_MORE);
		for (i = 0, taken = 0; i < n; i++) {
			if (!take(q, e[i].buf)) {
				q->x.tx_bad_id++;
				continue;
			}
			e[taken++] = e[i];
		}
		if (!q->discard && taken == n &&
		    frame_ok(e, n, q->a.buf_size)) {
			for (i = 0; i < n; i++) {
				struct flight *f = &q->fl[q->fl_tail++ %
							  q->fl_size];

				f->id = e[i].buf;
				f->len = e[i].len;
				f->eop = i == n - 1;
			}
			room -= n;
			*sub += n;
			continue;
		}
		if (taken == n && !q->discard)
			q->x.tx_bad_frame++;
		q->discard = !last;
		for (i = 0; i < taken; i++)
			txc_put(q, e[i].buf | BIFURC_TXC_F_REFUSED);
		room -= taken;
		*rej += n;
	}
	return true;
}

/*
 * The NIC finished COMPLETED buffers (the kick says how many): they must
 * be whole frames from the head of the in-flight list.  Returns -1 on a
 * mismatch, 0 on a lying txc consumer (nothing reclaimed, nothing
 * published), 1 when the kernel published its txc producer.
 */
static int sim_reclaim(struct rq *q, uint32_t completed, char *why,
		       size_t len)
{
	uint32_t room, n = 0, bytes, h;

	if (!sim_txc_room(q, &room)) {
		if (completed)
			return snprintf(why, len, "reclaim with a lying txc "
					"consumer handed back %u", completed),
			       -1;
		return 0;
	}
	while (n < completed) {
		if (q->fl_head == q->fl_tail)
			return snprintf(why, len, "%u completed, %u were in "
					"flight", completed, n), -1;
		bytes = 0;
		for (h = q->fl_head;; h++) {
			bytes += q->fl[h % q->fl_size].len;
			txc_put(q, q->fl[h % q->fl_size].id);
			n++;
			if (q->fl[h % q->fl_size].eop)
				break;
		}
		q->fl_head = h + 1;
		q->x.tx_packets++;
		q->x.tx_bytes += bytes;
	}
	if (n != completed)
		return snprintf(why, len, "%u completed: not whole frames",
				completed), -1;
	return 1;
}

#define CMP(field)	do { if (c->field != q->x.field) { \
	snprintf(why, len, #field " %llu, model %llu", \
		 (unsigned long long)c->field, \
		 (unsigned long long)q->x.field); return false; } } while (0)

static bool counters_match(const struct rq *q, char *why, size_t len)
{
	const struct bifurc_counters *c = q->cnt;

	CMP(rx_packets);
	CMP(rx_bytes);
	CMP(rx_bad_id);
	CMP(rx_ring_err);
	CMP(rx_comp_full);
	CMP(kicks);
	CMP(wakeups);
	CMP(tx_packets);
	CMP(tx_bytes);
	CMP(tx_bad_id);
	CMP(tx_ring_err);
	CMP(tx_bad_frame);
	CMP(tx_ring_full);
	if (c->status != BIFURC_STATUS_ATTACHED)
		return snprintf(why, len, "status %#x", c->status), false;
	return true;
}

/*
 * Busy poll: nothing but KICK moves the rings, so the kick's results
 * follow from the model (uapi sections 3, 4, 4a), except which frames the
 * NIC finished, which the kick reports.
 */
static bool check_busy_kick(struct rq *q, uint32_t flags,
			    const struct bifurc_kick *k, char *why, size_t len)
{
	uint32_t refilled = 0, rejected = 0, sub = 0, rej = 0, pass;
	uint32_t txc_start = q->txc_k, i, got;
	bool fill_pub = false, comp_pub = false, txc_pub = false, ok;
	int posted;

	q->nexp = 0;
	q->x.kicks++;
	if (q->raw && (flags & (BIFURC_KICK_RX_HARVEST |
				BIFURC_KICK_RX_REFILL))) {
		/* the kernel takes back what the honest consumer passed */
		if (k->rx_completed != q->ucons - q->rx_head)
			return snprintf(why, len, "raw: reclaimed %u, the "
					"consumer passed %u", k->rx_completed,
					q->ucons - q->rx_head), false;
		for (; q->rx_head != q->ucons; q->rx_head++) {
			i = q->raw_len[q->rx_head & (q->a.rx_desc - 1)];
			q->owner[q->rxq[q->rx_head % q->a.rx_desc]] = OWN_USER;
			q->x.rx_packets += !!(i & 0x8000);
			q->x.rx_bytes += i & 0x7fff;
		}
	} else if (q->raw && k->rx_completed) {
		return snprintf(why, len, "raw: rx_completed %u without "
				"HARVEST or REFILL", k->rx_completed), false;
	} else if (q->raw) {
		/* nothing */
	} else if (flags & BIFURC_KICK_RX_HARVEST) {
		posted = sim_harvest(q, k->rx_completed, why, len);
		if (posted < 0)
			return false;
		comp_pub = posted;
	} else if (k->rx_completed) {
		return snprintf(why, len, "rx_completed %u without HARVEST",
				k->rx_completed), false;
	}
	/* how often a full comp ring stopped a harvest is the NIC's timing */
	if (q->cnt->rx_comp_full < q->x.rx_comp_full || (!q->traffic &&
						       q->cnt->rx_comp_full))
		return snprintf(why, len, "rx_comp_full %llu",
				(unsigned long long)q->cnt->rx_comp_full),
		       false;
	q->x.rx_comp_full = q->cnt->rx_comp_full;
	if (flags & BIFURC_KICK_RX_REFILL) {
		for (pass = 0; pass < 2; pass++) {
			posted = sim_post(q, &rejected);
			if (posted < 0)
				break;
			fill_pub = true;
			refilled += posted;
			if (q->fill->producer == q->fill_k)
				break;
		}
	}
	if (flags & BIFURC_KICK_TX_RECLAIM) {
		posted = sim_reclaim(q, k->tx_completed, why, len);
		if (posted < 0)
			return false;
		txc_pub = posted;
	} else if (k->tx_completed) {
		return snprintf(why, len, "tx_completed %u without RECLAIM",
				k->tx_completed), false;
	}
	if (flags & BIFURC_KICK_TX_SUBMIT) {
		for (pass = 0; pass < 2; pass++) {
			ok = sim_tx_pass(q, &sub, &rej);
			if (!ok || q->txr->producer == q->tx_k)
				break;
		}
		txc_pub = true;
	}

	if (k->rx_refilled != refilled ||
	    k->rx_rejected != rejected || k->tx_submitted != sub ||
	    k->tx_rejected != rej)
		return snprintf(why, len, "kick %#x: refilled %u rejected %u "
				"submitted %u rejected %u; model: %u %u %u "
				"%u", flags, k->rx_refilled, k->rx_rejected,
				k->tx_submitted, k->tx_rejected, refilled,
				rejected, sub, rej), false;
	/* the indices the kernel publishes are its own, not what we wrote */
	if (q->raw && fill_pub && q->comp->producer != q->rx_tail)
		return snprintf(why, len, "raw: comp producer %u, %u "
				"descriptors posted", q->comp->producer,
				q->rx_tail), false;
	if ((fill_pub && q->fill->consumer != q->fill_k) ||
	    (comp_pub && q->comp->producer != q->comp_k) ||
	    ((flags & BIFURC_KICK_TX_SUBMIT) && q->txr->consumer != q->tx_k) ||
	    (txc_pub && q->txc->producer != q->txc_k))
		return snprintf(why, len, "published fill consumer %u (model "
				"%u), comp producer %u (%u), tx consumer %u "
				"(%u), txc producer %u (%u)",
				q->fill->consumer, q->fill_k,
				q->comp->producer, q->comp_k,
				q->txr ? q->txr->consumer : 0, q->tx_k,
				q->txc ? q->txc->producer : 0, q->txc_k),
		       false;
	if (((flags & BIFURC_KICK_RX_REFILL) &&
	     q->fill->flags != BIFURC_RING_NEED_WAKEUP) ||
	    ((flags & BIFURC_KICK_TX_SUBMIT) &&
	     q->txr->flags != BIFURC_RING_NEED_WAKEUP))
		return snprintf(why, len, "busy poll: ring flags fill %#x tx "
				"%#x, want NEED_WAKEUP", q->fill->flags,
				q->txr ? q->txr->flags : 0), false;
	for (i = 0; i < q->nexp; i++) {
		got = q->txce[(txc_start + i) & q->cmask];
		if (got != q->exp_txc[i])
			return snprintf(why, len, "txc entry %u: %#x, model "
					"%#x", txc_start + i, got,
					q->exp_txc[i]), false;
	}
	if (!counters_match(q, why, len))
		return false;
	if (q->raw) {
		/* the slot table names what the model posted, in order */
		for (i = q->rx_head; i != q->rx_tail; i++) {
			got = q->slot[i & (q->a.rx_desc - 1)];
			if (got != q->rxq[i % q->a.rx_desc])
				return snprintf(why, len, "raw: slot %u holds "
						"buffer %u, model %u", i, got,
						q->rxq[i % q->a.rx_desc]),
				       false;
			seen(S_R_RAW_DESC, 1);
		}
		if (!raw_invariants(q, why, len))
			return false;
	}
	seen(S_R_EXACT, 1);
	seen(S_R_TXC, q->nexp);
	return true;
}

/*
 * Interrupt mode: NAPI moves the rings too, so only invariants hold: no
 * frame reaches the hidden queue unasked, ids handed back are buffers of
 * the pool, counts stay within what the rings held.
 */
static bool check_irq_kick(struct rq *q, uint32_t flags,
			   const struct bifurc_kick *k, char *why, size_t len)
{
	const struct bifurc_counters *c = q->cnt;
	uint32_t p, i;

	q->kicks++;
	if (!q->traffic && (k->rx_completed || c->rx_packets))
		return snprintf(why, len, "%u frames reached the hidden "
				"queue with no rule steering there",
				k->rx_completed), false;
	if (q->raw) {
		if (k->rx_completed > q->a.rx_desc)
			return snprintf(why, len, "raw: reclaimed %u of %u "
					"descriptors", k->rx_completed,
					q->a.rx_desc), false;
		if (!raw_invariants(q, why, len))
			return false;
	} else if ((flags & BIFURC_KICK_RX_HARVEST) && q->traffic) {
		p = __atomic_load_n(&q->comp->producer, __ATOMIC_ACQUIRE);
		for (i = q->comp_k; i != p && i - q->comp_k <=
		     q->a.comp_entries; i++) {
			const struct bifurc_rx_comp *e =
				&q->compe[i & (q->a.comp_entries - 1)];

			if (e->buf >= q->a.buf_count || !e->len ||
			    e->len > q->a.buf_size)
				return snprintf(why, len, "comp entry: buf %u "
						"len %u", e->buf, e->len),
				       false;
		}
		q->comp_k = p;
	}
	if (k->rx_refilled > q->a.rx_desc - 1 ||
	    k->rx_refilled + k->rx_rejected > 2 * q->a.fill_entries ||
	    k->tx_submitted + k->tx_rejected > 2 * q->a.tx_entries + 2 *
	    BIFURC_TX_MAX_FRAGS)
		return snprintf(why, len, "counts refilled %u rejected %u "
				"submitted %u rejected %u exceed the rings",
				k->rx_refilled, k->rx_rejected,
				k->tx_submitted, k->tx_rejected), false;
	if (c->kicks != q->kicks || c->status != BIFURC_STATUS_ATTACHED)
		return snprintf(why, len, "kicks %llu want %llu, status %#x",
				(unsigned long long)c->kicks,
				(unsigned long long)q->kicks, c->status),
		       false;
	/* a SUBMIT publishes the txc producer: what we wrote there is gone */
	if (flags & BIFURC_KICK_TX_SUBMIT) {
		p = __atomic_load_n(&q->txc->producer, __ATOMIC_ACQUIRE);
		for (i = q->txc_k; i != p && i - q->txc_k <= q->a.txc_entries;
		     i++)
			if ((q->txce[i & q->cmask] & BIFURC_TXC_ID_MASK) >=
			    q->a.buf_count)
				return snprintf(why, len, "txc entry %#x is no "
						"buffer of the pool",
						q->txce[i & q->cmask]), false;
		q->txc_k = p;
	}
	return true;
}

/* The attachment died under a call (chaos): check it and end the round. */
static void rq_dead(struct rq *q)
{
	char why[256];

	q->broken = true;
	if (q->dead)
		return;
	q->dead = true;
	seen(S_R_CHAOS_DEAD, 1);
	if (!check_dead(q->fd, &q->a, q->cnt, why, sizeof(why)))
		fail("attachment ended by chaos (%s%s): %s", q->raw ? "raw " :
		     "", q->busy ? "busy-poll" : "interrupt mode", why);
}

/* Under chaos: has the attachment died (its status page says so)? */
static bool rq_died(struct rq *q)
{
	if (!chaos || !q->cnt || __atomic_load_n(&q->cnt->status,
			__ATOMIC_ACQUIRE) == BIFURC_STATUS_ATTACHED)
		return false;
	rq_dead(q);
	return true;
}

/* 0: attached and mapped, 1: chaos ended it first (closed), -1: failed */
static int rq_attach(struct rng *r, struct rq *q)
{
	struct bifurc_flow_rule fr;
	int got;

	memset(q->owner, 0, sizeof(q->owner));
	q->fill_k = q->comp_k = q->tx_k = q->txc_k = 0;
	q->rx_head = q->rx_tail = 0;
	q->fill_u = q->tx_u = 0;
	q->discard = q->broken = false;
	q->fl_head = q->fl_tail = 0;
	q->kicks = 0;
	q->ucons = 0;
	q->lied = q->dead = false;
	q->cnt = NULL;
	memset(&q->x, 0, sizeof(q->x));
	q->fd = open_node();
	if (q->fd < 0)
		return -1;
	rand_cfg(r, &q->a, 75, 75);
	maybe_raw(r, &q->a, 30);
	got = attach_free(q->fd, &q->a, S_R_CHAOS_REFUSED);
	if (got) {
		fail("attach for rings: %s", ename(got));
		return -1;
	}
	q->busy = q->a.flags & BIFURC_ATTACH_BUSY_POLL;
	q->tx = q->a.flags & BIFURC_ATTACH_TX;
	q->raw = q->a.flags & BIFURC_ATTACH_RAW_DESC;
	/* half the rounds receive -u PORT's datagrams, the rest nothing */
	q->traffic = false;
	if (rx_port && rpct(r, 50)) {
		got = add_udp_rule(q->fd, rx_port, &fr);
		q->traffic = !got;
		if (got && !(chaos && got == ENETRESET))
			fail("FLOW_ADD steering UDP port %u: %s", rx_port,
			     ename(got));
	}
	if (map_all(q->fd, &q->a, &q->m, q->traffic)) {
		got = errno;
		unmap_all(&q->a, &q->m);
		if (chaos && got == ENETRESET) {
			rq_dead(q);
			sys_err(close(q->fd));
			return 1;
		}
		fail("mapping the rings: %s", ename(got));
		return -1;
	}
	q->fill = hdr(&q->m, R_FILL);
	q->comp = hdr(&q->m, R_COMP);
	q->fille = entries(&q->m, R_FILL);
	q->cnt = q->m.r[R_CNT];
	q->fmask = q->a.fill_entries - 1;
	q->txr = q->tx ? hdr(&q->m, R_TX) : NULL;
	q->txc = q->tx ? hdr(&q->m, R_TXC) : NULL;
	q->txe = q->tx ? entries(&q->m, R_TX) : NULL;
	q->txce = q->tx ? entries(&q->m, R_TXC) : NULL;
	q->tmask = q->a.tx_entries - 1;
	q->cmask = q->a.txc_entries - 1;
	q->compe = entries(&q->m, R_COMP);
	q->pool = q->m.r[R_POOL];
	q->fl_size = q->tx ? q->a.tx_desc : 1;
	free(q->fl);
	free(q->rxq);
	q->fl = calloc(q->fl_size, sizeof(*q->fl));
	q->rxq = calloc(q->a.rx_desc, sizeof(*q->rxq));
	free(q->raw_len);
	q->raw_len = calloc(q->a.rx_desc, sizeof(*q->raw_len));
	q->desc = q->m.r[R_DESC];
	q->slot = q->raw ? (const uint32_t *)((const uint8_t *)q->desc +
			   BIFURC_RAW_SLOTS_OFFSET(q->a.rx_desc)) : NULL;
	return q->fl && q->rxq && q->raw_len ? 0 : -1;
}

static void rq_close(struct rq *q)
{
	const struct bifurc_counters *c = q->cnt;

	seen(q->busy ? S_R_BUSY : S_R_IRQ, 1);
	if (q->raw)
		seen(S_R_RAW, 1);
	seen(S_R_RECEIVED, c->rx_packets);
	seen(S_R_FILL_BAD, c->rx_bad_id);
	seen(S_R_SENT, c->tx_packets);
	seen(S_R_RING_ERR, c->rx_ring_err + c->tx_ring_err);
	seen(S_R_TX_FULL, c->tx_ring_full);
	unmap_all(&q->a, &q->m);
	sys_err(close(q->fd));
}

static void rings_one(struct rng *r, struct rq *q)
{
	uint32_t flags, all = BIFURC_KICK_RX_REFILL | BIFURC_KICK_RX_HARVEST;
	struct bifurc_counters sc;
	struct bifurc_kick k;
	char why[512];
	bool exact = q->busy && !q->lied;
	int got, n;
	eset want;

	for (n = 1 + rbelow(r, 3); n; n--) {
		switch (rbelow(r, 10)) {
		case 0: case 1: case 2: case 3:
			scribble_fill(r, q);
			break;
		case 4: case 5: case 6: case 7:
			if (q->tx)
				scribble_tx(r, q);
			else
				scribble_fill(r, q);
			break;
		case 8:
			scribble_consumers(r, q);
			break;
		default:
			scribble_kernel(r, q);
			break;
		}
	}
	if (q->tx)
		all |= BIFURC_KICK_TX_SUBMIT | BIFURC_KICK_TX_RECLAIM;
	want = OK;
	if (rpct(r, 3)) {	/* a kick the kernel must refuse, untouched */
		flags = rpct(r, 50) ? 0 : 1U << (4 + rbelow(r, 28));
		if (!q->tx && rpct(r, 50))
			flags = BIFURC_KICK_TX_SUBMIT;
		want = flags & ~BIFURC_KICK_FLAGS_ALL || !flags ? E(EINVAL) :
		       E(EOPNOTSUPP);
	} else {
		do
			flags = (uint32_t)rnext(r) & all;
		while (!flags);
	}
	vlog("kick %#x: fill prod %u tx prod %u", flags, q->fill->producer,
	     q->txr ? q->txr->producer : 0);
	got = kick(q->fd, flags, &k);
	if (chaos && want == OK && got == ENETRESET) {
		rq_dead(q);
		return;
	}
	if (!expect(got, want, "KICK %#x on a %s%s%s attachment", flags,
		    q->raw ? "raw " : "", q->busy ? "busy-poll" :
		    "interrupt-mode", q->tx ? " TX" : "")) {
		q->broken = true;
		return;
	}
	/* it ran before the attachment died: nothing left to compare */
	if (rq_died(q))
		return;
	exact = q->busy && !q->lied;
	if (got) {
		if (exact && !counters_match(q, why, sizeof(why)) &&
		    !rq_died(q)) {
			fail("refused KICK %#x changed the counters: %s", flags,
			     why);
			q->broken = true;
		}
		return;
	}
	seen(S_R_REFILLED, k.rx_refilled);
	seen(S_R_TX_REFUSED, k.tx_rejected);
	if (exact ? !check_busy_kick(q, flags, &k, why, sizeof(why)) :
	    !check_irq_kick(q, flags, &k, why, sizeof(why))) {
		/* a death after the status was read explains a mismatch */
		if (rq_died(q))
			return;
		fail("%s%s kick %#x (%s, rx_desc %u fill %u tx %u/%u txc %u "
		     "bufs %u): %s", q->raw ? "raw " : "", q->busy ?
		     "busy-poll" : "interrupt",
		     flags, q->tx ? "TX" : "RX only", q->a.rx_desc,
		     q->a.fill_entries, q->a.tx_entries, q->a.tx_desc,
		     q->a.txc_entries, q->a.buf_count, why);
		q->broken = true;
		return;
	}
	if (rpct(r, 4)) {	/* the snapshot agrees with the page */
		got = get_stats(q->fd, &sc);
		if (chaos && got == ENETRESET) {
			rq_dead(q);
			return;
		}
		if (got || sc.kicks != q->cnt->kicks ||
		    (exact && (sc.rx_bad_id != q->x.rx_bad_id ||
				 sc.tx_bad_id != q->x.tx_bad_id ||
				 sc.tx_packets != q->x.tx_packets ||
				 (sc.rx_no_buf && !q->traffic))))
			fail("STATS: %s, kicks %llu (page %llu) rx_bad_id %llu "
			     "(%llu) rx_no_buf %llu", ename(got),
			     (unsigned long long)sc.kicks,
			     (unsigned long long)q->cnt->kicks,
			     (unsigned long long)sc.rx_bad_id,
			     (unsigned long long)q->x.rx_bad_id,
			     (unsigned long long)sc.rx_no_buf);
	}
}

static int phase_rings(struct rng *r)
{
	struct rq *q = calloc(1, sizeof(*q));
	uint64_t round_end;
	int got;

	if (!q)
		return -1;
	while (!done()) {
		got = rq_attach(r, q);
		if (got < 0)
			return -1;
		if (got)	/* chaos ended it before it was mapped */
			continue;
		round_end = st->calls[phase] + 100 + rbelow(r, 400);
		while (!done() && !q->broken && st->calls[phase] < round_end)
			rings_one(r, q);
		rq_close(q);
	}
	free(q->fl);
	free(q->rxq);
	free(q->raw_len);
	free(q);
	return 0;
}

/* ---- RACE phase -------------------------------------------------------- */

#define RACE_THREADS	5

/*
 * One round: five threads on one file, for a quota of calls.  Either the
 * file is attached before they start, or it is attached under them (the
 * main thread and a racer both ATTACH; exactly one may win).  Half way
 * through the quota a racer closes the file under the others; the
 * mappings the main thread holds keep the attachment alive until the
 * threads are done.
 */
struct race {
	int fd, fd2;
	bool late;			/* attached under the threads */
	bool early_close;		/* may close before anyone attached */
	uint64_t start, quota;		/* the round's calls */
	struct bifurc_attach cfg;	/* what every ATTACH asks for */
	struct bifurc_attach a;		/* the winner's answer */
	struct maps m;			/* the main thread's mappings */
	int won;			/* a is valid */
	int ready;			/* m is valid */
	int winners;			/* ATTACHes that returned 0 */
	int closed;			/* set before fd is closed */
	int running;			/* racers not finished */
	int epfd;			/* the poller's epoll instance */
};

struct racer {
	struct race *rc;
	int id;
	struct rng r;
};

static bool race_flag(int *flag)
{
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

/*
 * A call on the raced file.  EBADF is right once it was closed; BEFORE
 * (ENOTCONN, EINVAL, ...) while it was not attached when the call began.
 */
static void race_expect(struct race *rc, bool attached, int got, eset want,
			eset before, const char *what)
{
	if (got == EBADF && race_flag(&rc->closed)) {
		seen(S_RACE_EBADF, 1);
		return;
	}
	/* chaos ended the attachment: what every later call returns */
	if (chaos && got == ENETRESET) {
		seen(S_RACE_CHAOS_DEAD, 1);
		return;
	}
	expect(got, attached ? want : want | before, "%s (%s)", what,
	       attached ? "attached" : "maybe not attached yet");
}

/* ATTACH of the raced file: exactly one winner. */
static int race_attach(struct race *rc)
{
	struct bifurc_attach a = rc->cfg;
	int got;

	got = xioctl(rc->fd, BIFURC_IOC_ATTACH, &a);
	if (got == EBADF && race_flag(&rc->closed))
		return got;
	if (chaos && in_eset(got, CHAOS_ATTACH) && !race_flag(&rc->won)) {
		seen(S_RACE_CHAOS_REFUSED, 1);
		return got;
	}
	expect(got, race_flag(&rc->won) ? E(EISCONN) : OK | E(EISCONN),
	       "racing ATTACH");
	if (!got && __atomic_add_fetch(&rc->winners, 1, __ATOMIC_ACQ_REL) == 1) {
		rc->a = a;
		/* the round's quota counts from the attachment on */
		if (!rc->early_close)
			__atomic_store_n(&rc->start, st->calls[phase],
					 __ATOMIC_RELAXED);
		__atomic_store_n(&rc->won, 1, __ATOMIC_RELEASE);
	}
	return got;
}

static void race_scribble(struct racer *t)
{
	struct race *rc = t->rc;
	struct bifurc_ring_hdr *h;
	uint32_t *e, i, n, p;

	h = hdr(&rc->m, R_FILL);
	e = entries(&rc->m, R_FILL);
	p = h->producer;
	for (n = rbelow(&t->r, 16), i = 0; i < n; i++)
		e[(p + i) & (rc->a.fill_entries - 1)] = rbelow(&t->r,
							rc->a.buf_count + 2);
	__atomic_store_n(&h->producer, rpct(&t->r, 5) ? rval32(&t->r) : p + n,
			 __ATOMIC_RELEASE);
	/* what arrived is consumed (raw: a lie past undone descriptors) */
	h = hdr(&rc->m, R_COMP);
	__atomic_store_n(&h->consumer, __atomic_load_n(&h->producer,
			 __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
	if (!rc->m.r[R_TX])
		return;
	{
		struct bifurc_tx_entry *te = entries(&rc->m, R_TX);

		h = hdr(&rc->m, R_TX);
		p = h->producer;
		for (n = rbelow(&t->r, 8), i = 0; i < n; i++) {
			struct bifurc_tx_entry *x = &te[(p + i) &
						(rc->a.tx_entries - 1)];

			x->buf = rbelow(&t->r, rc->a.buf_count + 2);
			x->offset = rbelow(&t->r, 64);
			x->len = 60 + rbelow(&t->r, 200);
			x->flags = rpct(&t->r, 20) ? BIFURC_TX_F_MORE : 0;
		}
		__atomic_store_n(&h->producer, rpct(&t->r, 5) ?
				 rval32(&t->r) : p + n, __ATOMIC_RELEASE);
		h = hdr(&rc->m, R_TXC);
		__atomic_store_n(&h->consumer, rpct(&t->r, 5) ? rval32(&t->r) :
				 __atomic_load_n(&h->producer, __ATOMIC_ACQUIRE),
				 __ATOMIC_RELEASE);
	}
}

static void race_poll(struct racer *t, bool att)
{
	struct race *rc = t->rc;
	struct epoll_event ev[2];
	struct pollfd pfd;
	unsigned int bad;
	int n, i;

	if (rpct(&t->r, 50)) {
		pfd.fd = rc->fd;
		pfd.events = rbelow(&t->r, 8) & (POLLIN | POLLOUT | POLLPRI);
		n = poll(&pfd, 1, rbelow(&t->r, 2));
		sys_err(n);
		bad = POLLERR | POLLHUP | POLLNVAL;
		if (!att || chaos)
			bad &= ~POLLERR;	/* not attached (yet), or dead */
		if (race_flag(&rc->closed))
			bad &= ~POLLNVAL;
		if (n > 0 && (pfd.revents & bad))
			fail("poll (%s): revents %#x", att ? "attached" :
			     "maybe not attached yet", pfd.revents);
		return;
	}
	seen(S_RACE_EPOLL, 1);
	n = epoll_wait(rc->epfd, ev, 2, rbelow(&t->r, 2));
	sys_err(n);
	for (i = 0; i < n; i++)
		if ((ev[i].events & (EPOLLERR | EPOLLHUP)) && att &&
		    !(chaos && ev[i].events == EPOLLERR))
			fail("epoll_wait: events %#x on a live attachment",
			     ev[i].events);
}

static void *racer_main(void *arg)
{
	struct racer *t = arg;
	struct race *rc = t->rc;
	uint32_t flags, all = BIFURC_KICK_RX_REFILL | BIFURC_KICK_RX_HARVEST;
	struct bifurc_flow_rule fr;
	struct bifurc_flow_del fd;
	struct bifurc_counters c;
	struct bifurc_kick k;
	uint32_t ids[8];
	unsigned int nids = 0;
	int got, ri, d;
	bool att, ready;
	void *p;

	if (rc->cfg.flags & BIFURC_ATTACH_TX)
		all |= BIFURC_KICK_TX_SUBMIT | BIFURC_KICK_TX_RECLAIM;
	for (;;) {
		uint64_t calls = st->calls[phase] -
				 __atomic_load_n(&rc->start, __ATOMIC_RELAXED);

		if (calls >= rc->quota || done())
			break;
		/*
		 * The first racer past half the quota closes the file, in
		 * most rounds only once it is attached: ATTACH is slow.
		 */
		if (calls >= rc->quota / 2 && !race_flag(&rc->closed) &&
		    (rc->early_close || race_flag(&rc->won) ||
		     calls >= rc->quota - 1) &&
		    !__atomic_exchange_n(&rc->closed, 1, __ATOMIC_ACQ_REL))
			expect(sys_err(close(rc->fd)), OK,
			       "close under the racers");
		att = race_flag(&rc->won);
		ready = race_flag(&rc->ready);
		switch (t->id) {
		case 0:
		case 1:		/* scribble and kick */
			if (ready)
				race_scribble(t);
			do
				flags = (uint32_t)rnext(&t->r) & all;
			while (!flags);
			race_expect(rc, att, kick(rc->fd, flags, &k), OK,
				    E(ENOTCONN), "KICK");
			break;
		case 2:
			race_poll(t, att);
			break;
		case 3:		/* map, touch, unmap */
			ri = rbelow(&t->r, NREGIONS);
			if (!ready) {
				/* where a region will be: EINVAL until then */
				p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED,
					 rc->fd, (uint64_t)(1 + ri) << 32);
				got = sys_err(p == MAP_FAILED ? -1 : 0);
				race_expect(rc, false, got, E(EINVAL), OK,
					    "mmap");
				if (!got)
					sys_err(munmap(p, PAGE));
				break;
			}
			if (!region(&rc->a, ri)->length)
				break;
			p = mmap(NULL, region(&rc->a, ri)->length, PROT_READ,
				 MAP_SHARED, rc->fd, region(&rc->a, ri)->offset);
			got = sys_err(p == MAP_FAILED ? -1 : 0);
			race_expect(rc, true, got, OK, 0, "mmap");
			if (got)
				break;
			if (ri == R_CNT && (((struct bifurc_counters *)p)->status !=
					    BIFURC_STATUS_ATTACHED) &&
			    !(chaos && ((struct bifurc_counters *)p)->status ==
			      BIFURC_STATUS_RESET))
				fail("counters status %#x under a live mapping",
				     ((struct bifurc_counters *)p)->status);
			sys_err(munmap(p, region(&rc->a, ri)->length));
			break;
		default:	/* everything else the file answers */
			switch (rbelow(&t->r, 6)) {
			case 0:
				race_expect(rc, att, get_stats(rc->fd, &c), OK,
					    E(ENOTCONN), "STATS");
				break;
			case 1:
				got = add_udp_rule(rc->fd, (uint16_t)(20000 +
						   rbelow(&t->r, 64)), &fr);
				race_expect(rc, att, got, OK | E(EEXIST) |
					    E(ENOSPC) | E(EBUSY), E(ENOTCONN),
					    "FLOW_ADD");
				if (!got && nids < ARRAY_SIZE(ids))
					ids[nids++] = fr.rule_id;
				break;
			case 2:
				if (!nids)
					break;
				memset(&fd, 0, sizeof(fd));
				fd.size = sizeof(fd);
				fd.rule_id = ids[--nids];
				race_expect(rc, true, xioctl(rc->fd,
					    BIFURC_IOC_FLOW_DEL, &fd), OK, 0,
					    "FLOW_DEL");
				break;
			case 3:	/* a second descriptor of the file */
				d = dup(rc->fd);
				got = sys_err(d);
				race_expect(rc, true, got, OK, 0, "dup");
				if (d < 0)
					break;
				race_expect(rc, att, kick(d,
					    BIFURC_KICK_RX_HARVEST, &k), OK,
					    E(ENOTCONN), "KICK through a dup");
				sys_err(close(d));
				break;
			case 4:
				race_attach(rc);
				break;
			default:
				got = queue_attached(rc->fd);
				if (got < 0)
					race_expect(rc, true, errno, OK, 0,
						    "INFO");
				else if (!got && att && !chaos)
					fail("INFO: queue not attached under "
					     "a live file");
				break;
			}
			break;
		}
		/*
		 * Before the late ATTACH of a round that waits for it, calls
		 * do not count against the quota.
		 */
		if (rc->late && !rc->early_close && !race_flag(&rc->won))
			__atomic_store_n(&rc->start, st->calls[phase],
					 __ATOMIC_RELAXED);
	}
	__atomic_sub_fetch(&rc->running, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * The attachment is won: the main thread maps it and, in most rounds,
 * steers -u's datagrams to it, so NAPI harvests under the racers' kicks,
 * polls and close.  Chaos may end it first (ENETRESET): not ready then.
 */
static void race_ready(struct rng *r, struct race *rc)
{
	struct bifurc_flow_rule fr;
	int got;

	if (map_all(rc->fd, &rc->a, &rc->m, rpct(r, 30))) {
		got = errno;
		unmap_all(&rc->a, &rc->m);
		if (!(chaos && got == ENETRESET) &&
		    !(got == EBADF && race_flag(&rc->closed)))
			fail("mapping the raced file: %s", ename(got));
		return;
	}
	__atomic_store_n(&rc->ready, 1, __ATOMIC_RELEASE);
	if (!rx_port || !rpct(r, 70))
		return;
	got = add_udp_rule(rc->fd, rx_port, &fr);
	race_expect(rc, true, got, OK, 0, "FLOW_ADD steering -u's port");
	if (!got)
		seen(S_RACE_TRAFFIC, 1);
}

static int phase_race(struct rng *r)
{
	struct racer t[RACE_THREADS];
	pthread_t th[RACE_THREADS];
	struct bifurc_attach a2;
	struct epoll_event ev;
	bool fd2_attached;
	struct race rc;
	double next;
	uint64_t round;
	int infofd, i, got;

	infofd = open_node();
	if (infofd < 0)
		return -1;
	for (round = 0; !done(); round++) {
		memset(&rc, 0, sizeof(rc));
		rc.fd = open_node();
		rc.fd2 = open_node();
		rc.epfd = epoll_create1(EPOLL_CLOEXEC);
		rand_cfg(r, &rc.cfg, 70, 20);
		maybe_raw(r, &rc.cfg, 30);
		if (rc.cfg.flags & BIFURC_ATTACH_RAW_DESC)
			seen(S_RACE_RAW, 1);
		rc.late = rpct(r, 40);
		rc.early_close = rpct(r, 20);
		ev.events = EPOLLIN | EPOLLOUT;
		ev.data.u64 = 0;
		expect(sys_err(epoll_ctl(rc.epfd, EPOLL_CTL_ADD, rc.fd, &ev)),
		       OK, "EPOLL_CTL_ADD of the file");
		if (!rc.late) {
			rc.a = rc.cfg;
			got = attach_free(rc.fd, &rc.a, S_RACE_CHAOS_REFUSED);
			if (got) {
				fail("ATTACH before the racers: %s", ename(got));
				return -1;
			}
			rc.winners = 1;
			rc.won = 1;
			race_ready(r, &rc);
		}
		seen(rc.late ? S_RACE_ATTACH : S_RACE_CLOSE, 1);
		rc.start = st->calls[phase];
		rc.quota = 100 + rbelow(r, 500);
		rc.running = RACE_THREADS;
		for (i = 0; i < RACE_THREADS; i++) {
			t[i].rc = &rc;
			t[i].id = i;
			rseed(&t[i].r, seed, PH_RACE * 1000 + i, round + 1);
			pthread_create(&th[i], NULL, racer_main, &t[i]);
		}
		if (rc.late) {
			/*
			 * Until someone wins, or the racers are done (their
			 * budget can run out while chaos refuses every
			 * ATTACH, and nobody would close the file then);
			 * chaos refuses for a while, so this thread tries
			 * again too.
			 */
			race_attach(&rc);
			for (next = now() + 0.02; !race_flag(&rc.won) &&
			     !race_flag(&rc.closed) && race_flag(&rc.running);
			     sched_yield())
				if (chaos && now() > next) {
					race_attach(&rc);
					next = now() + 0.02;
				}
			/* mapped unless the file was closed first */
			if (race_flag(&rc.won))
				race_ready(r, &rc);
		}
		/* another file wants the queue meanwhile */
		fd2_attached = false;
		while (!race_flag(&rc.closed) && race_flag(&rc.running) &&
		       !done()) {
			if (!race_flag(&rc.won)) {	/* the queue is free */
				sched_yield();
				continue;
			}
			attach_args(&a2, 0);
			got = xioctl(rc.fd2, BIFURC_IOC_ATTACH, &a2);
			/* nothing held it, or chaos ended the attachment */
			if (!got && ((race_flag(&rc.closed) &&
				      !race_flag(&rc.ready)) || chaos)) {
				fd2_attached = true;
				break;
			}
			if (chaos && in_eset(got, CHAOS_ATTACH)) {
				seen(S_RACE_CHAOS_REFUSED, 1);
				usleep(200);
				continue;
			}
			expect(got, E(EBUSY), "ATTACH of a busy queue");
			usleep(200);
		}
		for (i = 0; i < RACE_THREADS; i++)
			pthread_join(th[i], NULL);
		if (rc.winners > 1 || (!rc.winners && rc.ready))
			fail("%d ATTACHes of one file succeeded", rc.winners);
		/*
		 * The main thread's mappings hold the attachment, nothing
		 * else; chaos may have ended it.
		 */
		got = queue_attached(infofd);
		if (got != (rc.ready || fd2_attached) && !(chaos && !got))
			fail("after the threads: attached %d, main thread "
			     "mapped %d", got, rc.ready);
		if (!race_flag(&rc.closed))	/* done() cut the round short */
			sys_err(close(rc.fd));
		if (rc.m.r[R_CNT])
			seen(S_RACE_RX, ((struct bifurc_counters *)
					 rc.m.r[R_CNT])->rx_packets);
		unmap_all(&rc.a, &rc.m);
		/* released while still in an epoll set: it leaves the set */
		if (!fd2_attached && queue_attached(infofd) != 0)
			fail("queue attached after close and the last munmap");
		got = sys_err(epoll_wait(rc.epfd, &ev, 1, 0));
		expect(got, OK, "epoll_wait after the file's release");
		sys_err(close(rc.epfd));
		if (!fd2_attached) {
			attach_args(&a2, 0);
			expect(attach_free(rc.fd2, &a2, S_RACE_CHAOS_REFUSED),
			       OK, "ATTACH once the raced file is gone");
		}
		sys_err(close(rc.fd2));
	}
	sys_err(close(infofd));
	return 0;
}

/* ---- FORK phase -------------------------------------------------------- */

/* The child's side of a fork with the queue mapped; its exit status. */
static int fork_child(struct rng *r, int fd, const struct bifurc_attach *a,
		      struct maps *m, bool dofork, int pipefd)
{
	const struct bifurc_counters *cn = m->r[R_CNT];
	uint8_t v = 0, *pool = m->r[R_POOL];
	struct bifurc_kick k;
	struct maps own;
	int sig, err = 0;
	char c;

	/*
	 * The mappings: copied with MADV_DOFORK; without it the kernel marks
	 * them VM_DONTCOPY (absent, SIGSEGV), which the ABI does not
	 * promise, so a copy that reads right is accepted too.
	 */
	sig = probe((volatile uint8_t *)&cn->size, -1, &v);
	tally(sig ? EFAULT : 0);
	if ((dofork || sig != SIGSEGV) &&
	    (sig || cn->size != sizeof(*cn) ||
	     cn->status != BIFURC_STATUS_ATTACHED)) {
		fail("child: counters mapping read: signal %d size %u (copied "
		     "with MADV_DOFORK: %d)", sig, sig ? 0 : cn->size, dofork);
		err = 1;
	}
	if (dofork) {
		if (pool[17] != 0x5a) {
			fail("child: pool byte 17 reads %#x, parent wrote 0x5a",
			     pool[17]);
			err = 1;
		}
		pool[18] = 0xa5;	/* MAP_SHARED: the parent sees it */
		sig = probe((volatile uint8_t *)&cn->rx_packets, 0x41, NULL);
		if (sig != SIGSEGV) {
			fail("child: a store to the counters page: signal %d",
			     sig);
			err = 1;
		}
	}
	/* the inherited descriptor is the same attached file */
	if (expect(kick(fd, BIFURC_KICK_RX_REFILL | BIFURC_KICK_RX_HARVEST, &k),
		   OK, "child: KICK on the inherited file"))
		__atomic_add_fetch(&st->aux, 1, __ATOMIC_RELAXED);
	if (!map_all(fd, a, &own, false)) {
		uint32_t *fe = entries(&own, R_FILL), i, p;

		p = hdr(&own, R_FILL)->producer;
		for (i = 0; i < 4; i++)
			fe[(p + i) & (a->fill_entries - 1)] =
				rbelow(r, a->buf_count + 1);
		__atomic_store_n(&hdr(&own, R_FILL)->producer, p + i,
				 __ATOMIC_RELEASE);
		if (expect(kick(fd, BIFURC_KICK_RX_REFILL, &k), OK,
			   "child: KICK after refilling"))
			__atomic_add_fetch(&st->aux, 1, __ATOMIC_RELAXED);
	} else {
		fail("child: cannot map the inherited file: %s",
		     strerror(errno));
		err = 1;
	}
	if (pipefd >= 0)	/* wait for the parent's go */
		(void)!read(pipefd, &c, 1);
	switch (rbelow(r, 3)) {
	case 0:
		raise(SIGKILL);
		break;
	case 1:
		unmap_all(a, &own);
		sys_err(close(fd));
		break;
	}
	/* exit with the mappings and the descriptor still open */
	return err;
}

static int phase_fork(struct rng *r)
{
	struct bifurc_attach a, a2;
	struct bifurc_counters c;
	struct bifurc_kick k;
	int infofd, fd, fd2, variant, i, status, p[2];
	uint64_t kicks;
	struct maps m;
	uint8_t *pool;
	bool dofork;
	pid_t pid;

	infofd = open_node();
	if (infofd < 0)
		return -1;
	while (!done()) {
		fd = open_node();
		rand_cfg(r, &a, 60, 40);
		maybe_raw(r, &a, 30);
		if (a.flags & BIFURC_ATTACH_RAW_DESC)
			seen(S_FORK_RAW, 1);
		if (xioctl(fd, BIFURC_IOC_ATTACH, &a) || map_all(fd, &a, &m, true)) {
			fail("attach for fork: %s", strerror(errno));
			return -1;
		}
		pool = m.r[R_POOL];
		pool[17] = 0x5a;
		pool[18] = 0;
		variant = rbelow(r, 3);
		dofork = variant > 0;
		seen(variant == 0 ? S_FORK_PLAIN : variant == 1 ?
		     S_FORK_DOFORK : S_FORK_LAST, 1);
		if (dofork)
			for (i = 0; i < NREGIONS; i++)
				if (m.r[i])
					expect(sys_err(madvise(m.r[i],
						region(&a, i)->length,
						MADV_DOFORK)), OK,
					       "madvise(MADV_DOFORK) of %s",
					       region_names[i]);
		if (pipe2(p, O_CLOEXEC))
			return -1;
		__atomic_store_n(&st->aux, 0, __ATOMIC_RELAXED);
		kicks = 0;
		fflush(stdout);
		pid = fork();
		sys_err(pid);
		if (pid == 0) {
			close(p[1]);
			close(infofd);
			_exit(fork_child(r, fd, &a, &m, dofork,
					 variant == 2 ? p[0] : -1));
		}
		close(p[0]);
		if (variant == 2) {
			/* the child's mappings are the last references */
			unmap_all(&a, &m);
			expect(sys_err(close(fd)), OK, "close while a child "
			       "maps the queue");
			if (queue_attached(infofd) != 1)
				fail("attachment gone while a child maps it");
			fd2 = open_node();
			attach_args(&a2, 0);
			expect(xioctl(fd2, BIFURC_IOC_ATTACH, &a2), E(EBUSY),
			       "ATTACH while a child maps the queue");
			sys_err(close(fd2));
		} else {
			/* the parent keeps working meanwhile */
			for (i = 0; i < 20; i++)
				if (expect(kick(fd, BIFURC_KICK_RX_HARVEST |
						BIFURC_KICK_RX_REFILL, &k), OK,
					   "KICK beside a child"))
					kicks++;
		}
		close(p[1]);
		status = reap(pid);
		if (status == 128 + SIGKILL)
			seen(S_FORK_KILLED, 1);
		if (status != 0 && status != 128 + SIGKILL)
			fail("child (variant %d) exited %d", variant, status);
		if (variant == 2) {
			if (queue_attached(infofd) != 0)
				fail("queue still attached after the child "
				     "holding the last mapping exited");
		} else {
			if (dofork && pool[18] != 0xa5)
				fail("the child's write to the shared pool is "
				     "not visible: %#x", pool[18]);
			expect(get_stats(fd, &c), OK, "STATS after the child");
			if (c.status != BIFURC_STATUS_ATTACHED ||
			    c.kicks < kicks + st->aux)
				fail("after the child: status %#x kicks %llu, "
				     "want >= %llu", c.status,
				     (unsigned long long)c.kicks,
				     (unsigned long long)(kicks + st->aux));
			expect(kick(fd, BIFURC_KICK_RX_HARVEST, &k), OK,
			       "KICK after the child");
			unmap_all(&a, &m);
			sys_err(close(fd));
		}
	}
	sys_err(close(infofd));
	return 0;
}

/* ---- sanity, after every phase ----------------------------------------- */

/*
 * The device answers sanely: no attachment and no rule was left behind, a
 * fresh file attaches the queue with TX, every kick of the clean
 * attachment succeeds, eight buffers are refilled and one frame is sent;
 * unmapped and closed, the attachment gives back every page it took.
 */
static int sanity(char *why, size_t len)
{
	long pages = bifurc_pages(), after;
	struct bifurc_tx_entry *te;
	struct bifurc_flow_mask fm;
	struct bifurc_counters *cn;
	struct bifurc_attach a;
	struct bifurc_kick k;
	struct bifurc_info i;
	struct maps m = { 0 };
	uint32_t *fe, *ce;
	int fd, err = -1, n;

	fd = open_node();
	if (fd < 0)
		return snprintf(why, len, "open: %s", strerror(errno)), -1;
	if (get_info(fd, &i) || qbit(i.attached_queues, queue) ||
	    !qbit(i.reserved_queues, queue)) {
		snprintf(why, len, "INFO: %s, queue reserved %d attached %d",
			 strerror(errno), qbit(i.reserved_queues, queue),
			 qbit(i.attached_queues, queue));
		goto out;
	}
	attach_args(&a, BIFURC_ATTACH_TX | BIFURC_ATTACH_BUSY_POLL);
	if (xioctl(fd, BIFURC_IOC_ATTACH, &a) || map_all(fd, &a, &m, false)) {
		snprintf(why, len, "attach and map: %s", strerror(errno));
		goto unmap;	/* what map_all() mapped would hold the file */
	}
	cn = m.r[R_CNT];
	if (cn->status != BIFURC_STATUS_ATTACHED || cn->size != sizeof(*cn)) {
		snprintf(why, len, "counters status %#x size %u", cn->status,
			 cn->size);
		goto unmap;
	}
	if (kick(fd, BIFURC_KICK_FLAGS_ALL, &k) ||
	    !all_zero(&k.rx_refilled, 6 * 4)) {
		snprintf(why, len, "KICK of a clean attachment: %s",
			 strerror(errno));
		goto unmap;
	}
	fe = entries(&m, R_FILL);
	for (n = 0; n < 8; n++)
		fe[n] = n;
	__atomic_store_n(&hdr(&m, R_FILL)->producer, 8, __ATOMIC_RELEASE);
	if (kick(fd, BIFURC_KICK_RX_REFILL, &k) || k.rx_refilled != 8 ||
	    k.rx_rejected || hdr(&m, R_FILL)->consumer != 8) {
		snprintf(why, len, "refill of 8: %s, refilled %u rejected %u",
			 strerror(errno), k.rx_refilled, k.rx_rejected);
		goto unmap;
	}
	te = entries(&m, R_TX);
	te[0] = (struct bifurc_tx_entry){ .buf = 8, .len = 60 };
	__atomic_store_n(&hdr(&m, R_TX)->producer, 1, __ATOMIC_RELEASE);
	if (kick(fd, BIFURC_KICK_TX_SUBMIT, &k) || k.tx_submitted != 1) {
		snprintf(why, len, "TX submit: %s, submitted %u rejected %u",
			 strerror(errno), k.tx_submitted, k.tx_rejected);
		goto unmap;
	}
	ce = entries(&m, R_TXC);
	for (n = 0; n < 200 && hdr(&m, R_TXC)->producer != 1; n++) {
		if (kick(fd, BIFURC_KICK_TX_RECLAIM, &k))
			break;
		usleep(10000);
	}
	if (hdr(&m, R_TXC)->producer != 1 || ce[0] != 8 || cn->tx_packets != 1) {
		snprintf(why, len, "the frame did not come back: txc producer "
			 "%u entry %#x, tx_packets %llu",
			 hdr(&m, R_TXC)->producer, ce[0],
			 (unsigned long long)cn->tx_packets);
		goto unmap;
	}
	memset(&fm, 0, sizeof(fm));
	fm.size = sizeof(fm);
	if (xioctl(fd, BIFURC_IOC_FLOW_MASK, &fm) || fm.rules != admin_rules) {
		snprintf(why, len, "FLOW_MASK: %u rules on the port, want %u",
			 fm.rules, admin_rules);
		goto unmap;
	}
	err = 0;
unmap:
	unmap_all(&a, &m);
out:
	sys_err(close(fd));
	fd = open_node();
	if (!err && queue_attached(fd) != 0) {
		snprintf(why, len, "queue attached after close");
		err = -1;
	}
	sys_err(close(fd));
	/* without the count, the phase's PAGES line has failed already */
	if (!err && pages >= 0 &&
	    (after = bifurc_pages_settle(pages, 5)) != pages) {
		snprintf(why, len, "bifurc pages %ld after close, %ld before "
			 "the attach", after, pages);
		err = -1;
	}
	return err;
}

/* ---- epoll registered before ATTACH ------------------------------------ */

/*
 * Two bugs this fuzzer found, checked on every run.  epoll collects a
 * file's wait queues only in epoll_ctl(EPOLL_CTL_ADD), and the first
 * series' ixgbe_bifurc_poll() called poll_wait() only once the file was
 * attached: a descriptor added to an epoll set before ATTACH was on no
 * wait queue and never woken again.  And ATTACH itself did not wake the
 * file, so an edge-triggered waiter, which had already seen EPOLLERR,
 * heard of the attachment only at the queue's next interrupt.  The
 * control, a registration made after ATTACH, is woken by the same TX
 * completion.  0: woken, -1: not woken, 1: inconclusive (the control was
 * not woken).
 */
static int epoll_before_attach(char *why, size_t len)
{
	struct epoll_event reg = { .events = EPOLLIN | EPOLLOUT | EPOLLET };
	struct epoll_event ev;
	struct bifurc_tx_entry *te;
	struct bifurc_attach a;
	struct bifurc_kick k;
	int fd, epa, epb, i, na, nb, err = -1;
	struct maps m = { 0 };

	fd = open_node();
	epa = epoll_create1(EPOLL_CLOEXEC);
	epb = epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0 || epa < 0 || epb < 0 ||
	    sys_err(epoll_ctl(epa, EPOLL_CTL_ADD, fd, &reg))) {
		snprintf(why, len, "set-up: %s", strerror(errno));
		goto out;
	}
	/* unattached: EPOLLERR, reported once (edge-triggered) */
	na = epoll_wait(epa, &ev, 1, 0);
	if (na != 1 || !(ev.events & EPOLLERR)) {
		snprintf(why, len, "unattached file: epoll_wait %d, events %#x, "
			 "want EPOLLERR", na, na == 1 ? ev.events : 0);
		goto out;
	}
	attach_args(&a, BIFURC_ATTACH_TX);
	if (xioctl(fd, BIFURC_IOC_ATTACH, &a)) {
		snprintf(why, len, "attach: %s", strerror(errno));
		goto out;
	}
	/* the state changed, so the edge-triggered waiter hears of it */
	na = epoll_wait(epa, &ev, 1, 100);
	if (na != 1 || (ev.events & EPOLLERR)) {
		snprintf(why, len, "ATTACH does not wake a waiter that saw "
			 "EPOLLERR: epoll_wait %d, events %#x", na,
			 na == 1 ? ev.events : 0);
		goto out;
	}
	if (map_all(fd, &a, &m, false) ||
	    sys_err(epoll_ctl(epb, EPOLL_CTL_ADD, fd, &reg))) {
		snprintf(why, len, "map: %s", strerror(errno));
		goto out;
	}
	/* what each set found ready when the file was added: drained */
	for (i = 0; i < 2; i++) {
		sys_err(epoll_wait(epa, &ev, 1, 0));
		sys_err(epoll_wait(epb, &ev, 1, 0));
	}
	/* one frame; its completion interrupt's NAPI run wakes the file */
	te = entries(&m, R_TX);
	te[0] = (struct bifurc_tx_entry){ .buf = 0, .len = 60 };
	__atomic_store_n(&hdr(&m, R_TX)->producer, 1, __ATOMIC_RELEASE);
	if (kick(fd, BIFURC_KICK_TX_SUBMIT, &k) || k.tx_submitted != 1) {
		snprintf(why, len, "TX submit: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < 200 && hdr(&m, R_TXC)->producer != 1; i++)
		usleep(10000);
	nb = epoll_wait(epb, &ev, 1, 1000);
	sys_err(nb);
	na = epoll_wait(epa, &ev, 1, 1000);
	sys_err(na);
	if (nb != 1) {
		snprintf(why, len, "inconclusive: the registration made after "
			 "ATTACH was not woken either (txc producer %u)",
			 hdr(&m, R_TXC)->producer);
		err = 1;
	} else if (na != 1) {
		snprintf(why, len, "a descriptor added to an epoll set before "
			 "ATTACH is never woken (one added after ATTACH was): "
			 "ixgbe_bifurc_poll() skips poll_wait() on an unattached "
			 "file");
	} else {
		err = 0;
	}
out:
	if (m.r[R_CNT])
		unmap_all(&a, &m);
	if (fd >= 0)
		sys_err(close(fd));
	if (epa >= 0)
		close(epa);
	if (epb >= 0)
		close(epb);
	return err;
}

/* ---- main -------------------------------------------------------------- */

/*
 * For bifurc_pages(): "ip netns exec" mounts a fresh sysfs over /sys,
 * which hides debugfs; mount it again in this (private) mount namespace.
 */
static void mount_debugfs(void)
{
	struct statfs sf;

	if (statfs("/sys/kernel/debug", &sf) || sf.f_type != DEBUGFS_MAGIC)
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
}

static int (*const phase_fn[NPHASE])(struct rng *r) = {
	[PH_IOCTL] = phase_ioctl, [PH_ATTACH] = phase_attach,
	[PH_MMAP] = phase_mmap, [PH_RINGS] = phase_rings,
	[PH_RACE] = phase_race, [PH_FORK] = phase_fork,
	[PH_UIOCTL] = phase_ioctl, [PH_UATTACH] = phase_attach,
	[PH_URINGS] = phase_rings,
};

/*
 * What the port holds before the fuzzer adds anything: the rules of other
 * owners and their mask, which every FLOW_ADD of the model must respect.
 */
static int preflight(void)
{
	struct bifurc_flow_mask m;
	struct bifurc_attach a;
	int fd, err;

	fd = open_node();
	if (fd < 0)
		return -errno;
	err = get_info(fd, &info0);
	if (err)
		goto out;
	err = ENOENT;
	if (!qbit(info0.reserved_queues, queue) ||
	    qbit(info0.attached_queues, queue))
		goto out;
	attach_args(&a, 0);
	err = xioctl(fd, BIFURC_IOC_ATTACH, &a);
	if (err)
		goto out;
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	err = xioctl(fd, BIFURC_IOC_FLOW_MASK, &m);
	admin_rules = m.rules;
	admin_mask = m.mask;
	admin_mask.family = 0;
	admin_other = m.flags & BIFURC_MASK_F_OTHER;
out:
	close(fd);
	return -err;
}

/* ---- chaos (-C) --------------------------------------------------------- */

/* A command's exit status (through sh: fuzz.sh's PATH, the namespace). */
static int run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int status, n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	/* the TAP stream is stdout: the command says nothing there */
	snprintf(cmd + n, sizeof(cmd) - n, " >/dev/null 2>&1");
	vlog("chaos: %s", cmd);
	fflush(stdout);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* A write of QUEUE to a reservation attribute: 0 or the errno. */
static int chaos_queue(const char *attr)
{
	char path[sizeof(dev.classdir) + 32], q[16];

	snprintf(path, sizeof(path), "%s/%s", dev.classdir, attr);
	snprintf(q, sizeof(q), "%u", queue);
	return -write_file(path, q);
}

/* The port's RX ring size now (ethtool -g), 0 if unknown. */
static unsigned int ring_size(void)
{
	char cmd[128], line[256];
	unsigned int v = 0;
	bool cur = false;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ethtool -g %s 2>/dev/null", ifname);
	f = popen(cmd, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "Current"))
			cur = true;
		if (cur && !v && sscanf(line, "RX: %u", &v) == 1)
			break;
	}
	pclose(f);
	return v;
}

static bool carrier_up(void)
{
	char path[PATH_MAX], buf[8];

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", ifname);
	return !read_file(path, buf, sizeof(buf)) && buf[0] == '1';
}

/*
 * The chaos process: until STOP reads end of file, every 0.05-0.4 s one
 * reconfiguration an administrator may make under an attachment:
 * release of the queue (its attachment ends, ENETRESET) and reserve
 * again, reserve of the reserved queue (EALREADY), ethtool -G (an
 * adapter reset), link down and up.  Each must succeed (or fail) as the
 * ABI says; then the port is put back: up, carrier on, the ring size it
 * had, the queue reserved.  Its failures are the phase's.
 */
static void chaos_main(int ph, int stop)
{
	unsigned int orig = ring_size(), other;
	struct pollfd p = { .fd = stop, .events = POLLIN };
	struct rng r;
	unsigned int n = 0;
	double end;
	int err, k;

	rseed(&r, seed, 100 + ph, 0);
	other = orig == 1024 ? 512 : 1024;
	while (!poll(&p, 1, 50 + rbelow(&r, 350))) {
		/*
		 * Every kind once first, the quick ones first: a phase of a
		 * few seconds sees them all (a reset takes a second or more).
		 */
		static const int first[] = { 35, 0, 80, 50 };

		k = n < ARRAY_SIZE(first) ? first[n] : (int)rbelow(&r, 100);
		n++;
		if (k < 30) {
			k = C_RELEASE;
			err = chaos_queue("release");
			if (err)
				fail("chaos: release of queue %u: %s", queue,
				     ename(err));
			usleep(rbelow(&r, 100000));
			err = chaos_queue("reserve");
			if (err)
				fail("chaos: reserve of the released queue "
				     "%u: %s", queue, ename(err));
		} else if (k < 40) {
			k = C_RESERVE;
			err = chaos_queue("reserve");
			if (err != EALREADY)
				fail("chaos: reserve of the reserved queue %u: "
				     "%s, want EALREADY", queue, ename(err));
		} else if (k < 70) {
			k = C_RING;
			if (!orig) {
				fail("chaos: no ring size in ethtool -g");
				break;
			}
			if (run("ethtool -G %s rx %u tx %u", ifname, other,
				other))
				fail("chaos: ethtool -G %s rx %u tx %u failed",
				     ifname, other, other);
			other = other == orig ? (orig == 1024 ? 512 : 1024) :
				orig;
		} else {
			k = C_FLAP;
			if (run("ip link set %s down", ifname))
				fail("chaos: ip link set %s down failed",
				     ifname);
			usleep(20000 + rbelow(&r, 300000));
			if (run("ip link set %s up", ifname))
				fail("chaos: ip link set %s up failed", ifname);
		}
		__atomic_add_fetch(&st->chaos[ph][k], 1, __ATOMIC_RELAXED);
	}
	/* the port as the phase found it, for SANITY and the next phase */
	run("ip link set %s up", ifname);
	if (orig && ring_size() != orig &&
	    run("ethtool -G %s rx %u tx %u", ifname, orig, orig))
		fail("chaos: cannot put ring size %u back", orig);
	err = chaos_queue("reserve");
	if (err && err != EALREADY)
		fail("chaos: cannot reserve queue %u again: %s", queue,
		     ename(err));
	for (end = now() + 20; !carrier_up() && now() < end; )
		usleep(50000);
	if (!carrier_up())
		fail("chaos: no carrier 20 s after the last link up");
}

static pid_t chaos_start(int ph, int *stop)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		phase = ph;
		chaos_main(ph, p[0]);
		_exit(0);
	}
	close(p[0]);
	*stop = p[1];
	return pid;
}

/* ---- unprivileged (-U) --------------------------------------------------- */

/*
 * The grantee: GRANTEE's uid and gid, no supplementary group, no
 * capability left (setresuid() from root clears them all).  Its locked
 * memory is not limited: RLIMIT_MEMLOCK's ENOBUFS is not what this pass
 * is about, and ATTACH would meet it at random pool sizes.
 */
static int drop_privileges(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	char buf[4096], *cap;

	if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgroups(0, NULL) ||
	    setresgid(grantee, grantee, grantee) ||
	    setresuid(grantee, grantee, grantee))
		return -1;
	if (read_file("/proc/self/status", buf, sizeof(buf)))
		return -1;
	cap = strstr(buf, "CapEff:");
	if (!cap || strncmp(cap + 7, "\t0000000000000000", 17)) {
		fail("capabilities left after dropping to uid %u", grantee);
		return -1;
	}
	return 0;
}

/* Grant QUEUE to the grantee (ports GRANT_LO-GRANT_HI) and open the node. */
static int grant_setup(bool on)
{
	char path[sizeof(dev.classdir) + 32], g[96];
	int err;

	snprintf(path, sizeof(path), "%s/grant", dev.classdir);
	if (on)
		snprintf(g, sizeof(g), "%u user %u ports %u-%u", queue, grantee,
			 GRANT_LO, GRANT_HI);
	else
		snprintf(g, sizeof(g), "%u none", queue);
	err = write_file(path, g);
	if (err)
		return err;
	return chmod(dev.node, on ? 0666 : 0600) ? -errno : 0;
}

/*
 * Runs one phase in a child; its TAP line, its PAGES line and the sanity
 * line after.  Returns the number of failed lines.
 */
/* Can this run see event I of phase PH at all? */
static bool needed(int ph, unsigned int i)
{
	bool raw = (info0.flags & BIFURC_INFO_F_RAW_DESC) &&
		   (ph < PH_FIRST_UNPRIV || (info0.flags & BIFURC_INFO_F_IOMMU));

	switch (ph) {
	case PH_ATTACH:
	case PH_UATTACH:
		return i == S_ATT_RAW ? raw : i == S_ATT_RAW_EPERM ?
		       (info0.flags & BIFURC_INFO_F_RAW_DESC) && !raw : true;
	case PH_RINGS:
	case PH_URINGS:
		if (i == S_R_RAW || i == S_R_RAW_DESC)
			return raw;
		if (i == S_R_RAW_RX)
			return raw && rx_port;
		if (i == S_R_CHAOS_DEAD || i == S_R_CHAOS_REFUSED)
			return chaos_opt && ph == PH_RINGS;
		return i != S_R_RECEIVED || rx_port;
	case PH_RACE:
		if (i == S_RACE_RAW)
			return raw;
		if (i == S_RACE_TRAFFIC || i == S_RACE_RX)
			return rx_port;
		return (i != S_RACE_CHAOS_DEAD && i != S_RACE_CHAOS_REFUSED) ||
		       chaos_opt;
	case PH_FORK:
		return i != S_FORK_RAW || raw;
	default:
		return true;
	}
}

static unsigned int run_phase(int ph, unsigned int *num, uint64_t calls,
			      double until)
{
	uint64_t before = st->calls[ph], made, need;
	long pages = bifurc_pages(), after;
	char why[512] = "", line[1024], low[512] = "";
	struct rng r;
	double t0 = now();
	unsigned int fails, i;
	size_t n, nl = 0;
	pid_t pid, cpid = -1;
	int status, cstatus = 0, stop = -1;

	chaos = chaos_opt && (ph == PH_RINGS || ph == PH_RACE);
	printf("# %s: %llu calls%s%s%s\n", phase_names[ph],
	       (unsigned long long)calls, until < 1e300 ? " at most" : "",
	       chaos ? ", under chaos" : "", ph >= PH_FIRST_UNPRIV ?
	       ", as the grantee" : "");
	fflush(stdout);
	if (chaos)
		cpid = chaos_start(ph, &stop);
	pid = fork();
	if (pid == 0) {
		phase = ph;
		budget = calls;
		deadline = until;
		phase_t0 = now();
		rseed(&r, seed, ph + 1, 0);
		unpriv = ph >= PH_FIRST_UNPRIV;
		if (unpriv && drop_privileges())
			_exit(KSFT_FAIL);
		_exit(phase_fn[ph](&r) ? KSFT_FAIL : KSFT_PASS);
	}
	status = reap(pid);
	if (chaos) {
		/* end of file on its pipe: it puts the port back and exits */
		close(stop);
		cstatus = reap(cpid);
		printf("# %s chaos: %llu releases, %llu reserves, %llu ring "
		       "resets, %llu link flaps%s\n", phase_names[ph],
		       (unsigned long long)st->chaos[ph][C_RELEASE],
		       (unsigned long long)st->chaos[ph][C_RESERVE],
		       (unsigned long long)st->chaos[ph][C_RING],
		       (unsigned long long)st->chaos[ph][C_FLAP],
		       cstatus ? " (the chaos process failed)" : "");
		for (i = 0; i < NCHAOS; i++)
			if (!st->chaos[ph][i])
				cstatus = 1;	/* a kind never ran */
	}
	chaos = false;
	st->secs[ph] = now() - t0;
	fails = status != KSFT_PASS || st->fails[ph] || cstatus;
	if (status > 128)
		snprintf(why, sizeof(why), " # crashed (signal %d)",
			 status - 128);
	else if (status)
		snprintf(why, sizeof(why), " # could not run (see above)");
	made = st->calls[ph] - before;
	for (i = 0, n = 0; i < NSEEN && seen_names[ph][i]; i++) {
		n += snprintf(line + n, sizeof(line) - n, "%s %s %llu",
			      i ? "," : "", seen_names[ph][i],
			      (unsigned long long)st->seen[ph][i]);
		/* calls past the share (chaos's extension) earn nothing */
		need = seen_min[ph][i] * (made < calls ? made : calls) /
		       (100 * phase_weight[ph]);
		if (!needed(ph, i))
			need = 0;
		if (st->seen[ph][i] < need && nl < sizeof(low))
			nl += snprintf(low + nl, sizeof(low) - nl, "%s %s %llu "
				       "< %llu", nl ? "," : "",
				       seen_names[ph][i],
				       (unsigned long long)st->seen[ph][i],
				       (unsigned long long)need);
	}
	printf("# %s exercised:%s\n", phase_names[ph], line);
	if (cstatus && !why[0])
		snprintf(why, sizeof(why), " # chaos failed or left a kind "
			 "out");
	if (low[0] && !why[0])
		snprintf(why, sizeof(why), " # exercised too little:%s", low);
	if (low[0])
		fails = 1;
	printf("%sok %u %s: %llu calls in %.1f s, %llu unexpected%s\n",
	       fails ? "not " : "", ++*num, phase_names[ph],
	       (unsigned long long)made, st->secs[ph],
	       (unsigned long long)st->fails[ph], why);

	/*
	 * Every bifurc file of the phase is closed now: the parent holds none
	 * (preflight, EPOLL and SANITY close theirs), and the child, its
	 * threads and the FORK children it reaped released theirs on exit,
	 * mappings included, before waitpid() returned.  The settle covers a
	 * deferred fput and a FORK child orphaned by a crash, which exits once
	 * its pipe closes.
	 */
	after = bifurc_pages_settle(pages, 5);
	printf("# pool pages: phase %s baseline %ld, after %ld\n",
	       phase_names[ph], pages, after);
	if (pages < 0) {
		printf("not ok %u %s: PAGES # no %s\n", ++*num,
		       phase_names[ph], BIFURC_PAGES_FILE);
		fails++;
	} else if (after != pages) {
		printf("not ok %u %s: PAGES # %+ld pages held after the phase\n",
		       ++*num, phase_names[ph], after - pages);
		fails++;
	} else {
		printf("ok %u %s: PAGES\n", ++*num, phase_names[ph]);
	}

	phase = PH_SANITY;
	why[0] = '\0';
	if (sanity(why, sizeof(why))) {
		printf("not ok %u %s: SANITY # %s\n", ++*num, phase_names[ph],
		       why);
		fails++;
	} else {
		printf("ok %u %s: SANITY\n", ++*num, phase_names[ph]);
	}
	fflush(stdout);
	return fails;
}

static void print_stats(double elapsed, uint64_t total)
{
	char line[2048];
	size_t n = 0;
	int i;

	for (i = 0; i < NPHASE; i++)
		n += snprintf(line + n, sizeof(line) - n, " %s %llu (%.0f s)",
			      phase_names[i], (unsigned long long)st->calls[i],
			      st->secs[i]);
	printf("# calls per phase:%s\n", line);
	printf("# calls: %llu fuzzed + %llu sanity, seed 0x%016llx, elapsed "
	       "%.1f s (%.0f calls/s)\n", (unsigned long long)total,
	       (unsigned long long)st->calls[PH_SANITY],
	       (unsigned long long)seed, elapsed, total / elapsed);
	for (i = 0, n = 0; i < NERR; i++)
		if (st->errs[i])
			n += snprintf(line + n, sizeof(line) - n, " %s %llu",
				      i == NERR - 1 ? "other" : ename(i),
				      (unsigned long long)st->errs[i]);
	printf("# errno histogram (every call, sanity checks too):%s\n",
	       line);
}

static int usage(void)
{
	fprintf(stderr, "usage: bifurc_fuzz -i IFACE -q QUEUE [-s SEED] "
		"[-n CALLS] [-t SECONDS] [-p PHASE] [-u PORT] [-v] [-l]\n");
	return 2;
}

/* The kernel log from now on: /dev/kmsg at its end, or -errno. */
static int klog_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

/*
 * Lines the kernel logged since klog_open() (one record per read), echoed
 * as diagnostics, or -1 when they cannot be told (no /dev/kmsg, or the
 * ring overran them: that many is a failure too).
 */
static int klog_lines(int fd, unsigned int *chaos_lines)
{
	/* what -C's reconfigurations make the driver and the stack log */
	static const char *const admin[] = {
		" reserved\n", " released\n",
		" detached by the adapter going down\n", "NIC Link is",
		"link becomes ready", "removed PHC on", "registered PHC "
		"device on", "adding VLAN 0 to HW filter",
	};
	char rec[1024];
	unsigned int i;
	ssize_t n;
	int lines = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0) {
		rec[n] = '\0';
		for (i = 0; chaos_opt && i < ARRAY_SIZE(admin); i++)
			if (strstr(rec, admin[i]) && (i > 2 ||
			    strstr(rec, ": bifurc: queue ")))
				break;
		if (chaos_opt && i < ARRAY_SIZE(admin)) {
			if (++*chaos_lines <= 5)
				msg("kernel (chaos): %.*s",
				    (int)strcspn(rec, "\n"), rec);
			continue;
		}
		if (++lines <= 10)
			msg("kernel: %.*s", (int)strcspn(rec, "\n"), rec);
	}
	close(fd);
	return n < 0 && errno != EAGAIN ? -1 : lines;
}

int main(int argc, char **argv)
{
	uint64_t calls = 0, total = 0, share, wsum = 0;
	unsigned int num = 0, fails = 0, planned, i;
	double seconds = 0, t0, until, wdone = 0;
	char line[512];
	uint64_t nchaos = 0;
	bool granted = false;
	unsigned int k;
	bool seeded = false;
	unsigned int only = 0, chaos_lines = 0, nph = 0;
	int opt, err, kmsg;
	char *tok;

	while ((opt = getopt(argc, argv, "i:q:s:n:t:p:u:U:Cvl")) != -1) {
		switch (opt) {
		case 'C':
			chaos_opt = true;
			break;
		case 'U':
			grantee = strtoul(optarg, NULL, 0);
			break;
		case 'u':
			rx_port = strtoul(optarg, NULL, 0);
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'q':
			queue = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'n':
			calls = strtoull(optarg, NULL, 0);
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		case 'p':	/* PHASE[,PHASE...] */
			for (tok = strtok(optarg, ","); tok;
			     tok = strtok(NULL, ",")) {
				for (i = 0; i < NPHASE; i++)
					if (!strcasecmp(tok, phase_names[i]))
						break;
				if (i == NPHASE)
					return usage();
				only |= 1U << i;
			}
			break;
		case 'v':
			verbose = true;
			break;
		case 'l':
			for (i = 0; i < NPHASE; i++)
				printf("%s\n", phase_names[i]);
			return 0;
		default:
			return usage();
		}
	}
	if (!ifname)
		return usage();
	/* the grantee's phases need -U, the others run unless -p says */
	if (!only)
		only = (1U << NPHASE) - 1;
	if (!grantee)
		only &= (1U << PH_FIRST_UNPRIV) - 1;
	for (i = 0; i < NPHASE; i++)
		nph += !!(only & (1U << i));
	if (!calls && !seconds)
		calls = 100000;
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ts.tv_sec * 1000000007ULL ^ ts.tv_nsec ^
		       ((uint64_t)getpid() << 40);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	snprintf(line, sizeof(line), "%s%s", chaos_opt ? " -C" : "",
		 grantee ? " -U " : "");
	if (grantee)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 "%u", grantee);
	if (rx_port)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 " -u %u", rx_port);
	printf("# seed 0x%016llx: replay with bifurc_fuzz -i %s -q %u -s "
	       "0x%016llx -n %llu%s [-p PHASE[,PHASE]]%s\n",
	       (unsigned long long)seed, ifname, queue,
	       (unsigned long long)seed, (unsigned long long)calls, line,
	       seconds ? " (-t cut it short)" : "");
	planned = nph * 3 + 3;
	printf("1..%u\n", planned);

	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED || setup_arena()) {
		printf("Bail out! no memory\n");
		return KSFT_FAIL;
	}
	err = bifurc_discover(ifname, &dev);
	if (err) {
		printf("Bail out! %s has no bifurc device: %s\n", ifname,
		       strerror(-err));
		return KSFT_FAIL;
	}
	mount_debugfs();
	err = preflight();
	if (err) {
		printf("Bail out! %s queue %u: %s (reserved and free?)\n",
		       dev.node, queue, strerror(-err));
		return KSFT_FAIL;
	}
	printf("# %s %s queue %u of %u, max_flows %u, max_tx_frame %u, %u "
	       "rules on the port\n", ifname, dev.node, queue,
	       info0.num_rx_queues, info0.max_flows, info0.max_tx_frame,
	       admin_rules);

	err = epoll_before_attach(line, sizeof(line));
	printf("%sok %u EPOLL: a descriptor added to epoll before ATTACH is "
	       "woken by ATTACH and by its events%s%s\n", err < 0 ? "not " : "", ++num,
	       err ? (err > 0 ? " # SKIP " : " # ") : "", err ? line : "");
	fails += err < 0;

	for (i = 0; i < NPHASE; i++)
		if (only & (1U << i))
			wsum += phase_weight[i];
	kmsg = klog_open();
	t0 = now();
	for (i = 0; i < NPHASE; i++) {
		if (!(only & (1U << i)))
			continue;
		/* the grantee's node and grant, before its first phase */
		if (i >= PH_FIRST_UNPRIV && !granted) {
			granted = true;
			err = grant_setup(true);
			if (err)
				printf("# grant of queue %u to uid %u: %s\n",
				       queue, grantee, strerror(-err));
		}
		share = calls ? calls * phase_weight[i] / wsum : UINT64_MAX;
		wdone += (double)phase_weight[i] / wsum;
		until = seconds ? t0 + seconds * wdone : 1e308;
		fails += run_phase(i, &num, share, until);
		total += st->calls[i];
	}
	if (granted && (err = grant_setup(false)))
		printf("# taking the grant back: %s\n", strerror(-err));
	print_stats(now() - t0, total);
	for (i = 0; i < NPHASE; i++)
		for (k = 0; k < NCHAOS; k++)
			nchaos += st->chaos[i][k];
	err = klog_lines(kmsg, &chaos_lines);
	/*
	 * What the administrator's reconfigurations log (reserve, release,
	 * link up and down, the detach, PTP clock and VLAN 0 filter lines of
	 * the down and up they cause) is counted apart: a few lines each, not
	 * the fuzzed calls' doing.
	 */
	if (err < 0 || err > KLOG_MAX || chaos_lines > 6 * nchaos) {
		printf("not ok %u KLOG: %d kernel log lines (at most %d), %u "
		       "for %llu reconfigurations (at most %llu)%s\n", ++num,
		       err, KLOG_MAX, chaos_lines, (unsigned long long)nchaos,
		       (unsigned long long)6 * nchaos,
		       err < 0 ? ": /dev/kmsg unreadable or overrun" : "");
		fails++;
	} else {
		printf("ok %u KLOG: %d kernel log lines (at most %d), %u for "
		       "%llu reconfigurations\n", ++num, err, KLOG_MAX,
		       chaos_lines, (unsigned long long)nchaos);
	}
	/* -n is a promise: fewer calls (a -t cut) is a failure */
	if (calls && total < calls) {
		printf("not ok %u CALLS: %llu of %llu\n", ++num,
		       (unsigned long long)total, (unsigned long long)calls);
		fails++;
	} else {
		printf("ok %u CALLS: %llu\n", ++num, (unsigned long long)total);
	}
	printf("# Totals: pass:%u fail:%u\n", num - fails, fails);
	return fails ? KSFT_FAIL : KSFT_PASS;
}
