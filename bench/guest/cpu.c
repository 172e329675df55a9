// SPDX-License-Identifier: GPL-2.0
/*
 * What the whole machine did between two snapshots: every CPU's exact busy
 * time (/proc/timer_list), /proc/stat's tick samples, context switches and
 * interrupts, one MSI-X vector's interrupts, this thread's run time.
 * Shared by bench-rx (rx.c) and bench-tx (tx.c).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpu.h"

const char *const field_name[NR_FIELDS] = {
	"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal",
};

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Whole small /proc file into buf; bytes read or -1. */
ssize_t slurp(const char *path, char *buf, size_t size)
{
	ssize_t n, got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)got < size - 1 &&
	       (n = read(fd, buf + got, size - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

static void parse_fields(const char *p, uint64_t *out)
{
	char *end;
	int i;

	for (i = 0; i < NR_FIELDS; i++) {
		out[i] = strtoull(p, &end, 10);
		p = end;
	}
}

void read_proc_stat(struct snap *s)
{
	static char buf[65536];
	char *line, *save;
	int cpu;

	if (slurp("/proc/stat", buf, sizeof(buf)) <= 0)
		return;
	s->ncpu = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "cpu ", 4) == 0) {
			parse_fields(line + 4, s->cpu);
		} else if (sscanf(line, "cpu%d ", &cpu) == 1 && cpu >= 0 &&
			   cpu < MAX_CPUS) {
			parse_fields(strchr(line, ' '), s->percpu[cpu]);
			if (cpu + 1 > s->ncpu)
				s->ncpu = cpu + 1;
		} else if (strncmp(line, "ctxt ", 5) == 0) {
			s->ctxt = strtoull(line + 5, NULL, 10);
		} else if (strncmp(line, "intr ", 5) == 0) {
			s->intr = strtoull(line + 5, NULL, 10);
		}
	}
}

/* Interrupts of the vector vec_name (" IF-TxRx-Q"), summed over CPUs; -1: none. */
int64_t read_vec_irqs(const char *vec_name)
{
	static char buf[65536];
	char *line, *save, *p, *end;
	int64_t sum;

	if (slurp("/proc/interrupts", buf, sizeof(buf)) <= 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		p = strstr(line, vec_name);
		if (!p || p[strlen(vec_name)] != '\0')
			continue;
		p = strchr(line, ':');
		if (!p)
			return -1;
		for (sum = 0, p++;; p = end) {
			long long v = strtoll(p, &end, 10);

			if (end == p)
				break;
			sum += v;
		}
		return sum;
	}
	return -1;
}

/*
 * Exact idle time of every CPU, in ns.  /proc/stat has it too, but only in
 * USER_HZ (10 ms) units, too coarse for a receiver that is busy for a few
 * tens of ms per second; /proc/timer_list prints each CPU's tick_sched
 * idle_sleeptime and iowait_sleeptime in ns.  Those are brought up to date
 * only when the CPU leaves idle, so we run on each CPU in turn (the
 * migration wakes it) and read the file there, with the "now" it prints.
 * Returns 0 or -1; leaves the thread on the CPUs of "home".
 */
int read_idle(struct snap *s, int ncpu, const cpu_set_t *home)
{
	static char buf[1 << 20];
	char *line, *save, *p;
	int cpu, sec, ok = 0;
	uint64_t now = 0;
	cpu_set_t one;

	for (cpu = 0; cpu < ncpu && cpu < MAX_CPUS; cpu++) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) ||
		    slurp("/proc/timer_list", buf, sizeof(buf)) <= 0)
			break;
		sec = -1;
		s->kt_idle[cpu] = 0;
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (sscanf(line, "now at %" SCNu64, &now) == 1)
				s->kt_now[cpu] = now;
			else if (sscanf(line, "cpu: %d", &sec) == 1)
				continue;
			else if (sec == cpu &&
				 ((p = strstr(line, ".idle_sleeptime")) ||
				  (p = strstr(line, ".iowait_sleeptime")))) {
				p = strchr(p, ':');
				if (p)
					s->kt_idle[cpu] += strtoull(p + 1, NULL, 10);
				ok |= 1;
			}
		}
	}
	sched_setaffinity(0, sizeof(*home), home);
	return cpu == ncpu && ok ? 0 : -1;
}

uint64_t read_thread_ns(void)
{
	char buf[128];

	if (slurp("/proc/thread-self/schedstat", buf, sizeof(buf)) <= 0)
		return 0;
	return strtoull(buf, NULL, 10);
}

/* /proc/stat counts in USER_HZ ticks. */
uint64_t ticks_ns(uint64_t ticks)
{
	static long hz;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	return ticks * (1000000000ull / (uint64_t)hz);
}

/* the definition of busy: user + nice + system + irq + softirq */
uint64_t busy_ticks(const uint64_t *f)
{
	return f[F_USER] + f[F_NICE] + f[F_SYSTEM] + f[F_IRQ] + f[F_SOFTIRQ];
}

/*
 * Busy time of each CPU over the window, into per[]; returns the sum.
 * Busy is what a CPU did not spend idle.  The user, system, irq and
 * softirq fields of /proc/stat are tick samples, and on a NO_HZ kernel
 * the tick is off while a CPU idles, so the short bursts of an
 * interrupt-driven receiver (wake, handle, sleep before the next tick) go
 * mostly unsampled: with multi-threaded TCG they summed to only 80-85 %
 * of the wall time.  Idle time is measured with ktime at idle entry and
 * exit, so its complement is exact: from /proc/timer_list in ns if both
 * snapshots have it, else from /proc/stat in 10 ms units.
 */
uint64_t cpu_busy(const struct snap *a, const struct snap *b,
			 uint64_t *per)
{
	uint64_t window = b->t_ns - a->t_ns, idle, span, sum = 0;
	int c;

	for (c = 0; c < b->ncpu && c < MAX_CPUS; c++) {
		if (a->kt_ok && b->kt_ok) {
			span = b->kt_now[c] - a->kt_now[c];
			idle = b->kt_idle[c] - a->kt_idle[c];
		} else {
			span = window;
			idle = ticks_ns(b->percpu[c][F_IDLE] +
					b->percpu[c][F_IOWAIT] -
					a->percpu[c][F_IDLE] -
					a->percpu[c][F_IOWAIT]);
		}
		per[c] = span > idle ? span - idle : 0;
		sum += per[c];
	}
	return sum;
}

/*
 * Both ends of the window, for `make bench`'s profile: the QEMU plugin
 * bench/prof/insnprof.c snapshots its instruction counts when the guest
 * executes this no-op; without the plugin it does nothing.
 */
void prof_mark(void)
{
#if defined(__x86_64__)
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
#endif
}

void snap_machine(struct snap *s, const char *vec_name, int ncpu,
		  const cpu_set_t *home)
{
	s->t_ns = now_ns();
	s->thread_ns = read_thread_ns();
	read_proc_stat(s);
	s->vec_irqs = read_vec_irqs(vec_name);
	s->kt_ok = read_idle(s, ncpu, home) == 0;
}
