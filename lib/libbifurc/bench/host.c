// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: native host microbenchmark of the libbifurc data path
 * (issue 9): cycles, instructions and system calls per packet of
 * bifurc_rx_burst + bifurc_rx_release and of bifurc_tx_burst +
 * bifurc_tx_complete, for bursts of 1, 8, 32 and 64, against the
 * in-process simulated kernel of tests/sim.c.
 *
 *   host [--json PATH] [--reps N] [--packets N] [--only SUBSTR]
 *        [--insn auto|perf|callgrind|none]
 *
 * Method.  The simulated "NIC" (tests/sim.c: a memcpy of every frame into
 * its buffer, then the NAPI pass) costs several times what the library
 * does, so it never runs inside a timed region:
 *   - RX: sim_rx_many() delivers a chunk of CHUNK frames and runs NAPI
 *     (harvest into the comp ring, refill from the fill ring) untimed;
 *     then one timed region takes the chunk with rx_burst + rx_release
 *     in bursts of "batch".
 *   - TX, NIC busy (NEED_WAKEUP clear): timed tx_burst of a chunk; the
 *     NIC sends the previous chunk and NAPI reclaims it and submits the
 *     new one (sim_tx_send, untimed); timed tx_complete of the chunk
 *     the NIC sent.  One chunk always stays in flight, as under load.
 *   - Whenever the library makes a system call, the simulated kernel's
 *     work inside it is timed separately (the __wrap_ioctl below wraps
 *     the simulator's, renamed bench_sim_ioctl at compile time) and
 *     subtracted: "cycles" are the library's user-space cost, without
 *     the kernel side and without the syscall entry/exit, which the sim
 *     does not have.  The real cost of a syscall on this machine is
 *     measured once (an ioctl on /dev/null) and printed for reference.
 *   - TX, NIC idle (NEED_WAKEUP set): every tx_burst finds nothing in
 *     flight and kicks; the NIC sends at once inside that kick
 *     (sim_tx_send in the wrapper, subtracted like the rest of it) and
 *     tx_complete takes the burst back.
 *   - RX with NEED_WAKEUP set: buf_count (512) < rx_desc (1024), so the
 *     NIC never holds a full ring and the kernel always asks for a
 *     wakeup; rx_release kicks once per 32 buffers (BF_KICK_BATCH).
 * The library objects are built with -O2 -g, no sanitizers, and linked
 * statically (no PLT).  Timed regions use lfence; rdtsc; lfence at the
 * start and rdtscp; lfence at the end; the median cost of an empty
 * region, and what an empty exclusion adds to one, are subtracted.  TSC
 * ticks are reference cycles (the nominal clock), not core cycles.
 *
 * Noise.  The machine may be busy (other VMs): a chunk during which this
 * thread was descheduled (getrusage context switches, read outside the
 * timed region) is not counted and another is run instead ("preempt"
 * column); interrupts and hypervisor steal time cannot be seen and stay
 * in.  Each configuration is repeated "reps" times, each time on a fresh
 * simulated device and queue, round robin over the configurations so
 * that slow periods spread over all of them; the figure is the median
 * over repetitions of cycles per packet, with min and max; "chunk-p50"
 * is the median over the chunks of the median repetition.
 *
 * Instructions per packet: perf_event_open(PERF_COUNT_HW_INSTRUCTIONS,
 * user only) if this machine has a PMU; else the program runs itself
 * under valgrind --tool=callgrind with collection toggled on only inside
 * the timed regions (and off inside the simulated kernel) and reads the
 * totals of one dump per configuration; else none.  Either way the count
 * includes the benchmark's own loop around the calls (a few
 * instructions per call).
 *
 * System calls per packet: the ioctls and polls the simulated kernel
 * saw (struct sim_dev n_ioctl[], n_poll) during every chunk after the
 * warm-up, counted or not.
 *
 * Output: a table on stdout and, with --json, the same figures and the
 * machine facts as JSON.  Exit status 0, 1 if a configuration failed, 2
 * on bad arguments.  Not a test: nothing here is pass/fail.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "bifurc.h"
#include "sim.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif
#ifndef HAVE_CALLGRIND
#define HAVE_CALLGRIND 0
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_TOGGLE_COLLECT do { } while (0)
#define CALLGRIND_ZERO_STATS do { } while (0)
#define CALLGRIND_DUMP_STATS_AT(s) do { (void)(s); } while (0)
#endif

#ifndef BENCH_CFLAGS
#define BENCH_CFLAGS "?"
#endif

#define IFNAME		"sim0"
#define BDF		"0000:03:00.0"
#define QUEUE		3
#define FRAME_LEN	60	/* a 64-byte frame without its FCS */
/*
 * Frames per chunk: a multiple of every batch, and at most what the NIC
 * holds at the library's default rx_desc of 512 (511 posted).
 */
#define CHUNK		448
#define WARM_CHUNKS	32
#define INSN_CHUNKS	128

/* ---- timing ---------------------------------------------------------- */

/* Start: earlier instructions done, later ones not yet started. */
static inline uint64_t tsc_begin(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence\n\trdtsc\n\tlfence"
			     : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* End: rdtscp waits for the region's instructions; lfence fences after. */
static inline uint64_t tsc_end(void)
{
	uint32_t lo, hi, aux;

	__asm__ __volatile__("rdtscp\n\tlfence"
			     : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/*
 * The meter: what a timed region measures.  TSC in the timing pass;
 * user-space instructions (perf) or a callgrind collection toggle in the
 * instruction pass.  Exclusions (the simulated kernel inside a syscall)
 * are measured the same way and subtracted from the enclosing region.
 */
enum meter_mode { M_TSC, M_PERF, M_CALLGRIND };

static struct {
	enum meter_mode mode;
	int      perf_fd;
	int      in_region;
	uint64_t r0, x0, excl;
	uint64_t ov_region;	/* cost of an empty region */
	uint64_t ov_excl;	/* what an empty exclusion adds to a region */
} m = { .perf_fd = -1 };

static uint64_t perf_read(void)
{
	uint64_t v = 0;

	if (read(m.perf_fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

static inline uint64_t meter_now_begin(void)
{
	return m.mode == M_PERF ? perf_read() : tsc_begin();
}

static inline uint64_t meter_now_end(void)
{
	return m.mode == M_PERF ? perf_read() : tsc_end();
}

static void region_begin(void)
{
	m.excl = 0;
	m.in_region = 1;
	if (m.mode == M_CALLGRIND) {
		CALLGRIND_TOGGLE_COLLECT;
		return;
	}
	m.r0 = meter_now_begin();
}

/* Net cost of the region just ended (0 in callgrind mode). */
static uint64_t region_end(void)
{
	uint64_t r1, d;

	if (m.mode == M_CALLGRIND) {
		CALLGRIND_TOGGLE_COLLECT;
		m.in_region = 0;
		return 0;
	}
	r1 = meter_now_end();
	m.in_region = 0;
	d = r1 - m.r0;
	d = d > m.excl ? d - m.excl : 0;
	return d > m.ov_region ? d - m.ov_region : 0;
}

static void excl_begin(void)
{
	if (!m.in_region)
		return;
	if (m.mode == M_CALLGRIND) {
		CALLGRIND_TOGGLE_COLLECT;
		return;
	}
	m.x0 = meter_now_begin();
}

static void excl_end(void)
{
	if (!m.in_region)
		return;
	if (m.mode == M_CALLGRIND) {
		CALLGRIND_TOGGLE_COLLECT;
		return;
	}
	m.excl += meter_now_end() - m.x0 + m.ov_excl;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_dbl(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_dbl);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median cost of an empty region (and, for perf, of an exclusion). */
static void meter_calibrate(void)
{
	enum { N = 20001 };
	static uint64_t s[N];
	unsigned int i;

	m.ov_region = 0;
	m.ov_excl = 0;
	if (m.mode == M_CALLGRIND)
		return;
	for (i = 0; i < N; i++) {
		region_begin();
		s[i] = region_end();
	}
	qsort(s, N, sizeof(s[0]), cmp_u64);
	m.ov_region = s[N / 2];
	/*
	 * What an empty exclusion leaves in its region: the fences (TSC) or
	 * the read() instructions (perf) outside its own measurement.
	 */
	for (i = 0; i < N; i++) {
		region_begin();
		excl_begin();
		excl_end();
		s[i] = region_end();
	}
	qsort(s, N, sizeof(s[0]), cmp_u64);
	m.ov_excl = s[N / 2];
}

static double tsc_mhz(void)
{
	struct timespec t0, t1;
	uint64_t c0, c1;
	double ns;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	c0 = tsc_begin();
	do
		clock_gettime(CLOCK_MONOTONIC, &t1);
	while ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec) < 2e8);
	c1 = tsc_end();
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	return (double)(c1 - c0) * 1e3 / ns;
}

/* TSC cycles of one real ioctl (ENOTTY on /dev/null): entry + exit. */
static double syscall_cycles(void)
{
	enum { N = 5001 };
	static uint64_t s[N];
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), x = 0;
	unsigned int i;
	uint64_t t0;

	if (fd < 0)
		return 0;
	for (i = 0; i < N; i++) {
		t0 = tsc_begin();
		(void)syscall(SYS_ioctl, fd, BIFURC_IOC_KICK, &x);
		s[i] = tsc_end() - t0;
	}
	close(fd);
	qsort(s, N, sizeof(s[0]), cmp_u64);
	return s[N / 2] > m.ov_region ? (double)(s[N / 2] - m.ov_region) : 0;
}

/* ---- the syscall wrapper around the simulated kernel -------------------- */

int bench_sim_ioctl(int fd, unsigned long req, ...);	/* tests/sim.c */
int __wrap_ioctl(int fd, unsigned long req, ...);

static struct sim_dev *cur_dev;
static int nic_on_kick;		/* TX with NEED_WAKEUP set: send at once */

/*
 * Every ioctl of the library goes through here.  The simulated kernel's
 * work is excluded from the enclosing timed region; the syscall itself
 * is counted by the simulator (n_ioctl).
 */
int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int r, e;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	excl_begin();
	r = bench_sim_ioctl(fd, req, arg);
	e = errno;
	if (nic_on_kick && req == BIFURC_IOC_KICK && r == 0)
		sim_tx_send(cur_dev, QUEUE, UINT_MAX);
	errno = e;
	excl_end();
	return r;
}

/* ---- configurations ------------------------------------------------------ */

enum kind { RX_CLEAR, RX_SET, TX_CLEAR, TX_SET, NKINDS };

static const struct scenario {
	const char *path;	/* rx, tx */
	const char *wakeup;	/* NEED_WAKEUP: clear, set */
	const char *what;
} scenarios[NKINDS] = {
	[RX_CLEAR] = { "rx", "clear", "rx_burst + rx_release; NIC ring kept "
		       "full (rx_desc 512, buf_count 1024): no kick" },
	[RX_SET] = { "rx", "set", "rx_burst + rx_release; rx_desc 1024 > "
		     "buf_count 512: kernel asks for wakeups, a kick per 32" },
	[TX_CLEAR] = { "tx", "clear", "tx_burst + tx_complete; one chunk in "
		       "flight (NIC busy): no kick" },
	[TX_SET] = { "tx", "set", "tx_burst + tx_complete; NIC idle at every "
		     "burst: one kick per tx_burst" },
};

static const unsigned int batches[] = { 1, 8, 32, 64 };
#define NBATCH	(sizeof(batches) / sizeof(batches[0]))
#define NCFG	(NKINDS * NBATCH)

struct config {
	char name[32];
	enum kind kind;
	unsigned int batch;
	int selected;
};

static struct config cfgs[NCFG];

struct run {
	uint64_t packets;	/* in the counted chunks */
	uint64_t cost;		/* net cycles or instructions */
	uint64_t syscalls;	/* ioctls + polls the sim saw */
	uint64_t sys_packets;	/* packets of all chunks, counted or not */
	uint64_t kicks;
	uint64_t discarded;	/* chunks not counted: preempted */
	double   chunk_p50;	/* median cost per packet over chunks */
};

static double chunk_cost[1 << 16];

/* Context switches of this thread so far (voluntary + involuntary). */
static uint64_t ctx_switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return (uint64_t)ru.ru_nvcsw + (uint64_t)ru.ru_nivcsw;
}

static uint64_t sim_syscalls(const struct sim_dev *d)
{
	uint64_t n = d->n_poll;
	unsigned int i;

	for (i = 0; i < 8; i++)
		n += d->n_ioctl[i];
	return n;
}

struct ctx {
	struct sim_dev *d;
	struct bifurc_queue *q;
	unsigned int batch;
	struct bifurc_pkt pkts[2 * CHUNK];
	struct bifurc_tx tx[2 * CHUNK];
	unsigned int cur;	/* TX: next entry of tx[] to send */
	char err[160];
};

static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* RX: the NIC step untimed, then take the chunk in bursts. */
static int rx_chunk(struct ctx *c, uint64_t *cost)
{
	unsigned int k, b = c->batch;
	int n;

	n = sim_rx_many(c->d, QUEUE, CHUNK, FRAME_LEN);
	if (n != CHUNK)
		return fail(c, "sim_rx_many delivered %d of %d", n, CHUNK);
	region_begin();
	for (k = 0; k < CHUNK; k += b) {
		n = bifurc_rx_burst(c->q, c->pkts, b);
		if (n != (int)b)
			break;
		n = bifurc_rx_release(c->q, c->pkts, b);
		if (n != 0)
			break;
	}
	*cost = region_end();
	if (k != CHUNK)
		return fail(c, "rx at %u of %u: %d", k, CHUNK, n);
	return 0;
}

/*
 * TX setup: take 2 * CHUNK buffers from RX (the application then holds
 * them) and describe them once in tx[]; completions come back in send
 * order, so tx[] never changes.
 */
static int tx_setup(struct ctx *c)
{
	struct bifurc_queue_info qi;
	unsigned int i, got = 0;
	int n;

	if (bifurc_queue_info(c->q, &qi))
		return fail(c, "queue_info");
	for (i = 0; i < 2; i++) {
		if (sim_rx_many(c->d, QUEUE, CHUNK, FRAME_LEN) != CHUNK)
			return fail(c, "tx setup: rx");
		while (got < (i + 1) * CHUNK) {
			n = bifurc_rx_burst(c->q, c->pkts + got,
					    (i + 1) * CHUNK - got);
			if (n <= 0)
				return fail(c, "tx setup: rx_burst %d", n);
			got += (unsigned int)n;
		}
	}
	for (i = 0; i < 2 * CHUNK; i++) {
		c->tx[i].buf = c->pkts[i].buf;
		c->tx[i].offset = qi.rx_headroom;
		c->tx[i].len = FRAME_LEN;
		c->tx[i].flags = 0;
	}
	c->cur = 0;
	return 0;
}

/* TX, NIC busy: the previous chunk is in flight while we queue this one. */
static int tx_clear_chunk(struct ctx *c, uint64_t *cost)
{
	unsigned int k, b = c->batch;
	int n = 0;

	region_begin();
	for (k = 0; k < CHUNK; k += b) {
		n = bifurc_tx_burst(c->q, &c->tx[c->cur + k], b);
		if (n != (int)b)
			break;
	}
	*cost = region_end();
	if (k != CHUNK)
		return fail(c, "tx_burst at %u: %d", k, n);
	/* The NIC sends the chunk in flight; NAPI reclaims, submits ours. */
	n = sim_tx_send(c->d, QUEUE, CHUNK);
	if (n != CHUNK)
		return fail(c, "sim_tx_send sent %d", n);
	region_begin();
	for (k = 0; k < CHUNK; k += b) {
		n = bifurc_tx_complete(c->q, c->pkts, b);
		if (n != (int)b)
			break;
	}
	*cost += region_end();
	if (k != CHUNK)
		return fail(c, "tx_complete at %u: %d", k, n);
	c->cur = (c->cur + CHUNK) % (2 * CHUNK);
	return 0;
}

/* TX, NIC idle: each burst kicks, the NIC sends inside the kick. */
static int tx_set_chunk(struct ctx *c, uint64_t *cost)
{
	unsigned int k, b = c->batch;
	int n = 0, m2 = 0;

	region_begin();
	for (k = 0; k < CHUNK; k += b) {
		n = bifurc_tx_burst(c->q, &c->tx[c->cur + k], b);
		if (n != (int)b)
			break;
		m2 = bifurc_tx_complete(c->q, c->pkts, b);
		if (m2 != (int)b)
			break;
	}
	*cost = region_end();
	if (k != CHUNK)
		return fail(c, "tx at %u: burst %d complete %d", k, n, m2);
	c->cur = (c->cur + CHUNK) % (2 * CHUNK);
	return 0;
}

static int chunk(struct ctx *c, enum kind k, uint64_t *cost)
{
	switch (k) {
	case RX_CLEAR:
	case RX_SET:
		return rx_chunk(c, cost);
	case TX_CLEAR:
		return tx_clear_chunk(c, cost);
	default:
		return tx_set_chunk(c, cost);
	}
}

/*
 * One repetition of one configuration on a fresh simulated device:
 * WARM_CHUNKS untimed chunks, then "chunks" measured ones.
 */
static int run_config(const struct config *cf, unsigned int chunks,
		      struct run *r, char *err, size_t errlen)
{
	static struct ctx c;
	struct bifurc_opts o;
	struct bifurc_stats st;
	uint64_t sys0 = 0, kick0 = 0, cost = 0, csw0;
	unsigned int i, done;
	int ret = -1, leaks;

	memset(&c, 0, sizeof(c));
	memset(r, 0, sizeof(*r));
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	switch (cf->kind) {
	case RX_CLEAR:		/* library defaults: 512 descriptors, 1024 bufs */
		break;
	case RX_SET:
		o.rx_desc = 1024;
		o.buf_count = 512;
		break;
	default:		/* 2 * CHUNK held by TX + 511 on the NIC */
		o.flags = BIFURC_OPT_TX;
		o.buf_count = 2048;
		break;
	}
	c.batch = cf->batch;
	sim_begin();
	c.d = sim_dev_new(IFNAME, BDF, 8);
	sim_reserve(c.d, QUEUE);
	cur_dev = c.d;
	if (bifurc_open(&c.q, IFNAME, QUEUE, &o)) {
		fail(&c, "bifurc_open failed");
		goto out;
	}
	if ((cf->kind == TX_CLEAR || cf->kind == TX_SET) && tx_setup(&c))
		goto out;
	if (cf->kind == TX_CLEAR) {
		/* Put one chunk in flight: the NIC stays busy from now on. */
		if (bifurc_tx_burst(c.q, c.tx, CHUNK) != CHUNK) {
			fail(&c, "tx prime");
			goto out;
		}
		c.cur = CHUNK;
	}
	nic_on_kick = cf->kind == TX_SET;
	/*
	 * A chunk during which this thread was descheduled (a context switch
	 * in getrusage, read outside the timed region) measures the other
	 * load on the machine, not the library: it is not counted, and
	 * another chunk is run in its place.
	 */
	for (i = 0, done = 0; done < chunks; i++) {
		if (i == WARM_CHUNKS) {
			sys0 = sim_syscalls(c.d);
			kick0 = c.d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)];
			if (m.mode == M_CALLGRIND)
				CALLGRIND_ZERO_STATS;
		}
		if (i >= WARM_CHUNKS + 4 * chunks) {
			fail(&c, "preempted in %u of %u chunks", i - done, i);
			goto out;
		}
		csw0 = ctx_switches();
		if (chunk(&c, cf->kind, &cost))
			goto out;
		if (i < WARM_CHUNKS)
			continue;
		if (m.mode == M_TSC && ctx_switches() != csw0) {
			r->discarded++;
			continue;
		}
		r->cost += cost;
		if (done < sizeof(chunk_cost) / sizeof(chunk_cost[0]))
			chunk_cost[done] = (double)cost / CHUNK;
		done++;
	}
	r->packets = (uint64_t)chunks * CHUNK;
	/* Syscalls: over every chunk run, counted or not. */
	r->syscalls = sim_syscalls(c.d) - sys0;
	r->sys_packets = (uint64_t)(i - WARM_CHUNKS) * CHUNK;
	r->kicks = c.d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)] - kick0;
	nic_on_kick = 0;
	if (chunks)
		r->chunk_p50 = median_dbl(chunk_cost,
			chunks < sizeof(chunk_cost) / sizeof(chunk_cost[0]) ?
			chunks : sizeof(chunk_cost) / sizeof(chunk_cost[0]));
	/* The run is valid only if nothing was refused or dropped. */
	if (bifurc_stats(c.q, &st)) {
		fail(&c, "bifurc_stats");
		goto out;
	}
	if (st.lib_bad_comp || st.rx_bad_id || st.rx_no_buf || st.tx_bad_id ||
	    st.tx_bad_frame || st.rx_ring_err || st.tx_ring_err) {
		fail(&c, "counters: bad_comp %llu rx_bad_id %llu no_buf %llu "
		     "tx_bad_id %llu bad_frame %llu",
		     (unsigned long long)st.lib_bad_comp,
		     (unsigned long long)st.rx_bad_id,
		     (unsigned long long)st.rx_no_buf,
		     (unsigned long long)st.tx_bad_id,
		     (unsigned long long)st.tx_bad_frame);
		goto out;
	}
	ret = 0;
out:
	nic_on_kick = 0;
	bifurc_close(c.q);
	leaks = sim_end();
	if (!ret && leaks) {
		fail(&c, "sim: %d leaks", leaks);
		ret = -1;
	}
	if (ret)
		snprintf(err, errlen, "%s", c.err);
	return ret;
}

/* ---- instruction counts ---------------------------------------------------- */

struct insn {
	double per_pkt;
	int valid;
};

static struct insn insns[NCFG];
static char insn_source[64] = "none";
static char insn_note[512] = "";

/* perf_event_open for user-space instructions; fd or -errno. */
static int perf_open(void)
{
	struct perf_event_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : (int)fd;
}

static int insn_perf(void)
{
	char err[160];
	struct run r;
	unsigned int i;
	uint64_t a, b;
	int fd = perf_open();

	if (fd < 0) {
		snprintf(insn_note, sizeof(insn_note),
			 "perf_event_open(PERF_COUNT_HW_INSTRUCTIONS): %s",
			 strerror(-fd));
		return -1;
	}
	m.perf_fd = fd;
	a = perf_read();
	for (i = 0; i < 1000; i++)
		__asm__ __volatile__("" : : : "memory");
	b = perf_read();
	if (b <= a) {
		snprintf(insn_note, sizeof(insn_note),
			 "perf_event_open(PERF_COUNT_HW_INSTRUCTIONS) opens "
			 "but does not count");
		close(fd);
		m.perf_fd = -1;
		return -1;
	}
	m.mode = M_PERF;
	meter_calibrate();
	for (i = 0; i < NCFG; i++) {
		if (!cfgs[i].selected)
			continue;
		if (run_config(&cfgs[i], INSN_CHUNKS, &r, err, sizeof(err)) == 0 &&
		    r.packets) {
			insns[i].per_pkt = (double)r.cost / (double)r.packets;
			insns[i].valid = 1;
		}
	}
	m.mode = M_TSC;
	close(fd);
	m.perf_fd = -1;
	snprintf(insn_source, sizeof(insn_source), "perf_event_open");
	snprintf(insn_note, sizeof(insn_note),
		 "PERF_COUNT_HW_INSTRUCTIONS, user space only, %d packets per "
		 "configuration", INSN_CHUNKS * CHUNK);
	return 0;
}

/* Under callgrind: one dump per configuration, named "<name> <packets>". */
static int insn_child(void)
{
	char err[160], tag[96];
	struct run r;
	unsigned int i;
	int bad = 0;

	if (!RUNNING_ON_VALGRIND) {
		fprintf(stderr, "host: --insn-child needs valgrind\n");
		return 1;
	}
	m.mode = M_CALLGRIND;
	for (i = 0; i < NCFG; i++) {
		if (!cfgs[i].selected)
			continue;
		if (run_config(&cfgs[i], INSN_CHUNKS, &r, err, sizeof(err))) {
			fprintf(stderr, "host: %s: %s\n", cfgs[i].name, err);
			bad = 1;
			continue;
		}
		snprintf(tag, sizeof(tag), "%.31s %llu", cfgs[i].name,
			 (unsigned long long)r.packets);
		CALLGRIND_DUMP_STATS_AT(tag);
	}
	return bad;
}

/* Parse one callgrind dump: its trigger tag and its total Ir. */
static void insn_parse(const char *path)
{
	char line[512], name[64] = "";
	unsigned long long total = 0, pk = 0;
	int have = 0;
	unsigned int i;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "desc: Trigger: Client Request: %63s %llu",
			   name, &pk) == 2)
			have |= 1;
		else if (sscanf(line, "totals: %llu", &total) == 1)
			have |= 2;
	}
	fclose(f);
	if (have != 3 || !pk)
		return;
	for (i = 0; i < NCFG; i++) {
		if (strcmp(cfgs[i].name, name) == 0) {
			insns[i].per_pkt = (double)total / (double)pk;
			insns[i].valid = 1;
		}
	}
}

static int insn_callgrind(const char *dir, const char *only)
{
	char self[PATH_MAX], out[PATH_MAX + 64], log[PATH_MAX + 64];
	char path[PATH_MAX + 300], ver[64] = "valgrind";
	struct dirent *de;
	DIR *dd;
	FILE *p;
	pid_t pid;
	ssize_t n;
	int st;

	if (!HAVE_CALLGRIND) {
		snprintf(insn_note + strlen(insn_note),
			 sizeof(insn_note) - strlen(insn_note),
			 "; built without <valgrind/callgrind.h>");
		return -1;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return -1;
	self[n] = '\0';
	dd = opendir(dir);
	if (!dd)
		return -1;
	while ((de = readdir(dd)) != NULL) {
		if (strncmp(de->d_name, "callgrind.out", 13) == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	}
	closedir(dd);
	snprintf(out, sizeof(out), "--callgrind-out-file=%s/callgrind.out", dir);
	snprintf(log, sizeof(log), "--log-file=%s/valgrind.log", dir);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("valgrind", "valgrind", "--tool=callgrind",
		       "--collect-atstart=no", "--dump-instr=yes", out, log,
		       self, "--insn-child", "--only", only ? only : "",
		       (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) == 127) {
		snprintf(insn_note + strlen(insn_note),
			 sizeof(insn_note) - strlen(insn_note),
			 "; valgrind did not run");
		return -1;
	}
	dd = opendir(dir);
	if (!dd)
		return -1;
	while ((de = readdir(dd)) != NULL) {
		if (strncmp(de->d_name, "callgrind.out.", 14) == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			insn_parse(path);
		}
	}
	closedir(dd);
	p = popen("valgrind --version 2>/dev/null", "r");
	if (p) {
		if (fgets(ver, sizeof(ver), p))
			ver[strcspn(ver, "\n")] = '\0';
		pclose(p);
	}
	snprintf(insn_source, sizeof(insn_source), "callgrind (%.40s)", ver);
	snprintf(insn_note + strlen(insn_note),
		 sizeof(insn_note) - strlen(insn_note),
		 "; counted by %s, collection on only in the timed regions, "
		 "%d packets per configuration; dumps in %.200s",
		 ver, INSN_CHUNKS * CHUNK, dir);
	return 0;
}

/* ---- machine facts and output ------------------------------------------- */

struct facts {
	char cpu[128];
	int family, model, stepping, hypervisor;
	long ncpu;
	double mhz;
	char kernel[160];
	char date[32];
	char load0[64], load1[64];
	double sys_cyc;
};

static void read_cpuinfo(struct facts *f)
{
	char line[4096];
	int got = 0;
	FILE *c = fopen("/proc/cpuinfo", "r");

	snprintf(f->cpu, sizeof(f->cpu), "unknown");
	if (!c)
		return;
	while (fgets(line, sizeof(line), c) && got != 0x1f) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		v += 1 + (v[1] == ' ');
		v[strcspn(v, "\n")] = '\0';
		if (!(got & 1) && strncmp(line, "model name", 10) == 0) {
			snprintf(f->cpu, sizeof(f->cpu), "%.127s", v);
			got |= 1;
		} else if (!(got & 2) && strncmp(line, "cpu family", 10) == 0) {
			f->family = atoi(v);
			got |= 2;
		} else if (!(got & 4) && strncmp(line, "model\t", 6) == 0) {
			f->model = atoi(v);
			got |= 4;
		} else if (!(got & 8) && strncmp(line, "stepping", 8) == 0) {
			f->stepping = atoi(v);
			got |= 8;
		} else if (!(got & 16) && strncmp(line, "flags", 5) == 0) {
			f->hypervisor = strstr(v, " hypervisor") != NULL;
			got |= 16;
		}
	}
	fclose(c);
}

static void read_load(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	snprintf(buf, len, "?");
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

struct result {
	double med, min, max, chunk_p50;
	double reps[64];	/* cycles per packet, per repetition */
	double chunk_reps[64];	/* chunk median, per repetition */
	unsigned int nreps;
	double sys_per_pkt;
	uint64_t kicks, packets, sys_packets;
	uint64_t discarded;	/* preempted chunks, all repetitions */
	int ok;
	char err[160];
};

static struct result res[NCFG];

static const char *met(int ok)
{
	return ok ? "met" : "NOT met";
}

/* The targets, at batch 32. */
#define TARGET_CYC	30.0
#define TARGET_SYS32	1.0

static int cfg_index(enum kind k, unsigned int batch)
{
	unsigned int i;

	for (i = 0; i < NCFG; i++)
		if (cfgs[i].kind == k && cfgs[i].batch == batch)
			return (int)i;
	return -1;
}

static void print_table(const struct facts *f, unsigned int reps,
			unsigned int chunks)
{
	unsigned int i;
	int k;

	printf("libbifurc host microbenchmark (issue 9), %s\n", f->date);
	printf("machine: %s (family %d model %d stepping %d)%s, %ld CPUs, "
	       "TSC %.1f MHz, kernel %s\n", f->cpu, f->family, f->model,
	       f->stepping, f->hypervisor ? ", virtual machine" : "", f->ncpu,
	       f->mhz, f->kernel);
	printf("load average at start: %s; at end: %s\n", f->load0, f->load1);
	printf("compiler: gcc %s, %s, no sanitizers, library linked "
	       "statically\n", __VERSION__, BENCH_CFLAGS);
	printf("method: the simulated NIC and kernel run outside the timed "
	       "regions (chunks of %d frames\n"
	       "  delivered untimed; the sim's work inside each syscall timed "
	       "and subtracted), so cycles\n"
	       "  are the library's user-space cost; TSC reference cycles; "
	       "timer overhead subtracted\n"
	       "  (%llu per region, %llu per syscall); median of %u reps x "
	       "%llu packets, round robin,\n  each on a fresh queue.\n",
	       CHUNK, (unsigned long long)m.ov_region,
	       (unsigned long long)m.ov_excl, reps,
	       (unsigned long long)chunks * CHUNK);
	printf("instructions: %s\n", insn_source);
	printf("syscalls: ioctls + polls seen by the simulated kernel; a real "
	       "ioctl round trip costs\n  %.0f cycles here (entry/exit only); "
	       "\"+sys\" = cycles + syscalls/pkt x that.\n\n", f->sys_cyc);
	printf("%-4s %-6s %5s %8s %7s %7s %9s %6s %8s %8s %9s %6s %7s\n",
	       "path", "wakeup", "batch", "cyc/pkt", "min", "max", "chunk-p50",
	       "ns/pkt", "insn/pkt", "sys/pkt", "sys/32pkt", "+sys",
	       "preempt");
	for (i = 0; i < NCFG; i++) {
		const struct result *r = &res[i];
		char ins[16];

		if (!cfgs[i].selected)
			continue;
		if (!r->ok) {
			printf("%-4s %-6s %5u  FAILED: %s\n",
			       scenarios[cfgs[i].kind].path,
			       scenarios[cfgs[i].kind].wakeup, cfgs[i].batch,
			       r->err);
			continue;
		}
		if (insns[i].valid)
			snprintf(ins, sizeof(ins), "%.1f", insns[i].per_pkt);
		else
			snprintf(ins, sizeof(ins), "n/a");
		printf("%-4s %-6s %5u %8.1f %7.1f %7.1f %9.1f %6.1f %8s %8.4f "
		       "%9.3f %6.1f %7llu\n",
		       scenarios[cfgs[i].kind].path,
		       scenarios[cfgs[i].kind].wakeup, cfgs[i].batch, r->med,
		       r->min, r->max, r->chunk_p50, r->med * 1e3 / f->mhz, ins,
		       r->sys_per_pkt, r->sys_per_pkt * 32,
		       r->med + r->sys_per_pkt * f->sys_cyc,
		       (unsigned long long)r->discarded);
	}
	printf("\ntargets (issue 9), batch 32: <= %.0f cycles/packet and <= "
	       "%.0f syscall per 32 packets\n", TARGET_CYC, TARGET_SYS32);
	for (k = 0; k < NKINDS; k++) {
		int j = cfg_index((enum kind)k, 32);
		const struct result *r;

		if (j < 0 || !cfgs[j].selected)
			continue;
		r = &res[j];
		if (!r->ok) {
			printf("  %s %-5s: failed\n", scenarios[k].path,
			       scenarios[k].wakeup);
			continue;
		}
		printf("  %s %-5s: %5.1f cycles/packet (%s), %.3f syscalls per "
		       "32 packets (%s)\n", scenarios[k].path,
		       scenarios[k].wakeup, r->med, met(r->med <= TARGET_CYC),
		       r->sys_per_pkt * 32,
		       met(r->sys_per_pkt * 32 <= TARGET_SYS32 + 1e-9));
	}
}

static int write_json(const char *path, const struct facts *f,
		      unsigned int reps, unsigned int chunks)
{
	unsigned int i, j;
	int first = 1, k;
	FILE *o = fopen(path, "w");

	if (!o) {
		fprintf(stderr, "host: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(o, "{\n  \"benchmark\": \"libbifurc host microbenchmark\",\n");
	fprintf(o, "  \"issue\": 9,\n  \"date\": ");
	json_str(o, f->date);
	fprintf(o, ",\n  \"machine\": {\n    \"cpu_model\": ");
	json_str(o, f->cpu);
	fprintf(o, ",\n    \"cpu_family\": %d,\n    \"cpu_model_number\": %d,"
		"\n    \"cpu_stepping\": %d,\n    \"virtual_machine\": %s,\n"
		"    \"cpus\": %ld,\n    \"tsc_mhz\": %.1f,\n    \"kernel\": ",
		f->family, f->model, f->stepping,
		f->hypervisor ? "true" : "false", f->ncpu, f->mhz);
	json_str(o, f->kernel);
	fprintf(o, ",\n    \"loadavg_start\": ");
	json_str(o, f->load0);
	fprintf(o, ",\n    \"loadavg_end\": ");
	json_str(o, f->load1);
	fprintf(o, "\n  },\n  \"compiler\": ");
	json_str(o, "gcc " __VERSION__);
	fprintf(o, ",\n  \"cflags\": ");
	json_str(o, BENCH_CFLAGS);
	fprintf(o, ",\n  \"method\": {\n    \"cycles\": ");
	json_str(o, "TSC reference cycles (lfence;rdtsc;lfence .. rdtscp;"
		 "lfence) of the library calls only: the simulated NIC runs "
		 "between timed regions, the simulated kernel inside each "
		 "syscall is timed and subtracted, as is an empty region");
	fprintf(o, ",\n    \"statistic\": ");
	json_str(o, "median over repetitions of cycles per packet, with min "
		 "and max; chunk_median: median over the chunks of the median "
		 "repetition");
	fprintf(o, ",\n    \"repetitions\": %u,\n    \"packets_per_repetition\":"
		" %llu,\n    \"chunk_packets\": %d,\n    \"frame_bytes\": %d,\n"
		"    \"timer_overhead_cycles\": %llu,\n"
		"    \"timer_overhead_per_syscall_cycles\": %llu,\n"
		"    \"syscall_cycles\": %.0f,\n    \"syscall_cycles_note\": ",
		reps, (unsigned long long)chunks * CHUNK, CHUNK, FRAME_LEN,
		(unsigned long long)m.ov_region,
		(unsigned long long)m.ov_excl, f->sys_cyc);
	json_str(o, "median TSC cycles of one real ioctl (ENOTTY on /dev/null) "
		 "on this machine: syscall entry and exit, none of the kernel "
		 "side's work");
	fprintf(o, ",\n    \"instructions\": ");
	json_str(o, insn_source);
	fprintf(o, ",\n    \"instructions_note\": ");
	json_str(o, insn_note);
	fprintf(o, ",\n    \"syscalls\": ");
	json_str(o, "ioctls and polls the simulated kernel saw during the "
		 "measured chunks");
	fprintf(o, "\n  },\n  \"results\": [");
	for (i = 0; i < NCFG; i++) {
		const struct result *r = &res[i];

		if (!cfgs[i].selected)
			continue;
		fprintf(o, "%s\n    {\"name\": \"%s\", \"path\": \"%s\", "
			"\"need_wakeup\": \"%s\", \"batch\": %u, \"ok\": %s,\n"
			"     \"scenario\": ", first ? "" : ",", cfgs[i].name,
			scenarios[cfgs[i].kind].path,
			scenarios[cfgs[i].kind].wakeup, cfgs[i].batch,
			r->ok ? "true" : "false");
		first = 0;
		json_str(o, scenarios[cfgs[i].kind].what);
		if (!r->ok) {
			fprintf(o, ", \"error\": ");
			json_str(o, r->err);
			fprintf(o, "}");
			continue;
		}
		fprintf(o, ",\n     \"cycles_per_packet\": {\"median\": %.2f, "
			"\"min\": %.2f, \"max\": %.2f, \"chunk_median\": %.2f, "
			"\"reps\": [", r->med, r->min, r->max, r->chunk_p50);
		for (j = 0; j < r->nreps; j++)
			fprintf(o, "%s%.2f", j ? ", " : "", r->reps[j]);
		fprintf(o, "]},\n     \"ns_per_packet\": %.3f,\n"
			"     \"instructions_per_packet\": ",
			r->med * 1e3 / f->mhz);
		if (insns[i].valid)
			fprintf(o, "%.2f", insns[i].per_pkt);
		else
			fprintf(o, "null");
		fprintf(o, ",\n     \"syscalls_per_packet\": %.6f, "
			"\"syscalls_per_32_packets\": %.4f, \"kicks\": %llu, "
			"\"syscall_packets\": %llu,\n"
			"     \"packets_per_repetition\": %llu, "
			"\"preempted_chunks_discarded\": %llu,\n"
			"     \"cycles_per_packet_with_syscall_entry_exit\": %.2f}",
			r->sys_per_pkt, r->sys_per_pkt * 32,
			(unsigned long long)r->kicks,
			(unsigned long long)r->sys_packets,
			(unsigned long long)r->packets,
			(unsigned long long)r->discarded,
			r->med + r->sys_per_pkt * f->sys_cyc);
	}
	fprintf(o, "\n  ],\n  \"targets\": {\"batch\": 32, "
		"\"max_cycles_per_packet\": %.0f, "
		"\"max_syscalls_per_32_packets\": %.0f, \"verdicts\": [",
		TARGET_CYC, TARGET_SYS32);
	first = 1;
	for (k = 0; k < NKINDS; k++) {
		int x = cfg_index((enum kind)k, 32);
		const struct result *r;

		if (x < 0 || !cfgs[x].selected || !res[x].ok)
			continue;
		r = &res[x];
		fprintf(o, "%s\n    {\"name\": \"%s\", \"cycles_met\": %s, "
			"\"syscalls_met\": %s}", first ? "" : ",", cfgs[x].name,
			r->med <= TARGET_CYC ? "true" : "false",
			r->sys_per_pkt * 32 <= TARGET_SYS32 + 1e-9 ?
			"true" : "false");
		first = 0;
	}
	fprintf(o, "\n  ]}\n}\n");
	if (fclose(o)) {
		fprintf(stderr, "host: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: host [--json PATH] [--reps N] [--packets N] "
		"[--only SUBSTR]\n"
		"            [--insn auto|perf|callgrind|none]\n");
}

int main(int argc, char **argv)
{
	const char *json = NULL, *only = NULL, *insn = "auto";
	unsigned long reps = 11, packets = 1000000;
	unsigned int i, r, chunks, child = 0, bad = 0;
	char dir[PATH_MAX], err[160];
	struct facts f;
	struct utsname u;
	struct tm tm;
	time_t now;
	struct run rr;

	for (i = 1; i < (unsigned int)argc; i++) {
		const char *a = argv[i], *v = i + 1 < (unsigned int)argc ?
					      argv[i + 1] : NULL;

		if (strcmp(a, "--insn-child") == 0) {
			child = 1;
			continue;
		}
		if (!v) {
			usage();
			return 2;
		}
		i++;
		if (strcmp(a, "--json") == 0)
			json = v;
		else if (strcmp(a, "--only") == 0)
			only = *v ? v : NULL;
		else if (strcmp(a, "--insn") == 0)
			insn = v;
		else if (strcmp(a, "--reps") == 0)
			reps = strtoul(v, NULL, 10);
		else if (strcmp(a, "--packets") == 0)
			packets = strtoul(v, NULL, 10);
		else {
			usage();
			return 2;
		}
	}
	if (reps < 1 || reps > 64 || packets < CHUNK ||
	    packets > (unsigned long)CHUNK * 60000) {
		usage();
		return 2;
	}
	if (strcmp(insn, "auto") && strcmp(insn, "perf") &&
	    strcmp(insn, "callgrind") && strcmp(insn, "none")) {
		usage();
		return 2;
	}
	chunks = (unsigned int)((packets + CHUNK - 1) / CHUNK);

	for (i = 0; i < NCFG; i++) {
		struct config *c = &cfgs[i];

		c->kind = (enum kind)(i / NBATCH);
		c->batch = batches[i % NBATCH];
		snprintf(c->name, sizeof(c->name), "%s_%s_%u",
			 scenarios[c->kind].path, scenarios[c->kind].wakeup,
			 c->batch);
		c->selected = !only || strstr(c->name, only);
	}
	if (child)
		return insn_child();

	memset(&f, 0, sizeof(f));
	read_cpuinfo(&f);
	f.ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (uname(&u) == 0)
		snprintf(f.kernel, sizeof(f.kernel), "%.40s %.70s %.20s", u.sysname,
			 u.release, u.machine);
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(f.date, sizeof(f.date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	read_load(f.load0, sizeof(f.load0));
	f.mhz = tsc_mhz();
	m.mode = M_TSC;
	meter_calibrate();
	f.sys_cyc = syscall_cycles();

	/* The timing pass: round robin over the configurations. */
	for (r = 0; r < reps; r++) {
		for (i = 0; i < NCFG; i++) {
			struct result *x = &res[i];

			if (!cfgs[i].selected || (r && !x->ok))
				continue;
			if (run_config(&cfgs[i], chunks, &rr, err, sizeof(err))) {
				x->ok = 0;
				snprintf(x->err, sizeof(x->err), "%s", err);
				bad = 1;
				continue;
			}
			x->ok = 1;
			x->chunk_reps[x->nreps] = rr.chunk_p50;
			x->reps[x->nreps++] = (double)rr.cost / (double)rr.packets;
			/* Syscalls are deterministic: the last rep's count. */
			x->sys_per_pkt = (double)rr.syscalls /
					 (double)rr.sys_packets;
			x->discarded += rr.discarded;
			x->kicks = rr.kicks;
			x->packets = rr.packets;
			x->sys_packets = rr.sys_packets;
		}
	}
	for (i = 0; i < NCFG; i++) {
		struct result *x = &res[i];
		double sorted[64];
		unsigned int j, mid;

		if (!cfgs[i].selected || !x->ok)
			continue;
		memcpy(sorted, x->reps, x->nreps * sizeof(double));
		qsort(sorted, x->nreps, sizeof(double), cmp_dbl);
		x->min = sorted[0];
		x->max = sorted[x->nreps - 1];
		x->med = median_dbl(sorted, x->nreps);
		/* chunk-p50 of the repetition whose figure is the median. */
		mid = 0;
		for (j = 0; j < x->nreps; j++)
			if (x->reps[j] == sorted[(x->nreps - 1) / 2])
				mid = j;
		x->chunk_p50 = x->chunk_reps[mid];
	}
	read_load(f.load1, sizeof(f.load1));

	/* The instruction pass. */
	/* Callgrind dumps go next to the JSON file. */
	snprintf(dir, sizeof(dir), "%s", json && strchr(json, '/') ? json :
		 "./host.json");
	*strrchr(dir, '/') = '\0';
	if (!*dir)
		snprintf(dir, sizeof(dir), "/");
	if (strcmp(insn, "none") == 0) {
		snprintf(insn_note, sizeof(insn_note), "not counted (--insn none)");
	} else if (strcmp(insn, "callgrind") == 0 ||
		   (insn_perf() < 0 && strcmp(insn, "perf") != 0)) {
		char cg[PATH_MAX + 16];

		snprintf(cg, sizeof(cg), "%s/callgrind", dir);
		if (mkdir(cg, 0755) == 0 || errno == EEXIST)
			insn_callgrind(cg, only);
	}
	if (strcmp(insn_source, "none") == 0 && !insn_note[0])
		snprintf(insn_note, sizeof(insn_note), "no method worked");

	print_table(&f, (unsigned int)reps, chunks);
	printf("instruction method: %s\n", insn_note);
	if (json && write_json(json, &f, (unsigned int)reps, chunks))
		bad = 1;
	if (json)
		printf("json: %s\n", json);
	return bad;
}
