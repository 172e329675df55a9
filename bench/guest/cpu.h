/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU accounting of bench-rx and bench-tx (cpu.c): snapshots of the
 * whole machine and the busy time between two of them.
 */
#ifndef BENCH_CPU_H
#define BENCH_CPU_H

#include <sched.h>
#include <stdint.h>
#include <sys/types.h>

#define MAX_CPUS	16
/* /proc/stat "cpu" fields in order; steal and the guest fields follow */
enum {
	F_USER, F_NICE, F_SYSTEM, F_IDLE, F_IOWAIT, F_IRQ, F_SOFTIRQ, F_STEAL,
	NR_FIELDS
};
extern const char *const field_name[NR_FIELDS];

struct snap {
	uint64_t t_ns;			/* CLOCK_MONOTONIC */
	uint64_t cpu[NR_FIELDS];	/* all CPUs, USER_HZ ticks */
	uint64_t percpu[MAX_CPUS][NR_FIELDS];
	int ncpu;
	uint64_t ctxt;			/* context switches, all CPUs */
	uint64_t intr;			/* interrupts, all CPUs */
	int64_t vec_irqs;		/* the queue's MSI-X vector, -1: none */
	/* per CPU, from /proc/timer_list: ktime now, idle + iowait sleep */
	uint64_t kt_now[MAX_CPUS], kt_idle[MAX_CPUS];
	int kt_ok;
	uint64_t thread_ns;		/* this thread on a CPU */
	uint64_t pkts, other, syscalls, drops, work_ns;
};

uint64_t now_ns(void);
ssize_t slurp(const char *path, char *buf, size_t size);
void read_proc_stat(struct snap *s);
int64_t read_vec_irqs(const char *vec_name);
int read_idle(struct snap *s, int ncpu, const cpu_set_t *home);
uint64_t read_thread_ns(void);
uint64_t ticks_ns(uint64_t ticks);
uint64_t busy_ticks(const uint64_t *f);
uint64_t cpu_busy(const struct snap *a, const struct snap *b, uint64_t *per);
void prof_mark(void);
/* the machine's part of s: time, /proc/stat, the vector, idle, thread */
void snap_machine(struct snap *s, const char *vec_name, int ncpu,
		  const cpu_set_t *home);

#endif /* BENCH_CPU_H */
