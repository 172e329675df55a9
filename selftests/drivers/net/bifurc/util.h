/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every bifurc selftest program needs: TAP diagnostics, a monotonic
 * clock, small sysfs files, child processes and the driver's count of the
 * pages attachments hold.  Static inline, so a program carries what it
 * uses.
 */
#ifndef BIFURC_SELFTEST_UTIL_H
#define BIFURC_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One TAP diagnostic line, "# ...", flushed: a guest may die next. */
static inline __attribute__((format(printf, 1, 2)))
void msg(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* CLOCK_MONOTONIC in seconds. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A small file (sysfs, procfs) into buf, NUL-terminated; 0 or -errno. */
static inline int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* One write of s to path (a sysfs attribute); 0 or -errno. */
static inline int write_file(const char *path, const char *s)
{
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Wait for child pid: its exit status, 128 + its signal, or -1. */
static inline int reap(pid_t pid)
{
	int status;

	if (pid <= 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status);
}

/*
 * Pages all bifurc attachments hold (pools, raw and coherent descriptor
 * rings), which kmemleak cannot see: debugfs ixgbe/bifurc_pages, or -1
 * without it (debugfs not mounted, a driver without bifurc).
 */
#define BIFURC_PAGES_FILE	"/sys/kernel/debug/ixgbe/bifurc_pages"

static inline long bifurc_pages(void)
{
	char buf[32];

	return read_file(BIFURC_PAGES_FILE, buf, sizeof(buf)) ? -1 :
	       atol(buf);
}

/*
 * Wait up to secs for bifurc_pages() to come back to base (a killed
 * process's mappings go with its last reference); the last reading.
 */
static inline long bifurc_pages_settle(long base, double secs)
{
	double end = now() + secs;
	long v;

	while ((v = bifurc_pages()) != base && now() < end)
		usleep(100 * 1000);
	return v;
}

#endif /* BIFURC_SELFTEST_UTIL_H */
