/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every bifurc selftest program needs: kselftest's exit codes, TAP
 * diagnostics, a monotonic clock, small sysfs files, child processes, the
 * interface's bifurc device and the driver's count of the pages
 * attachments hold.  Static inline, so a program carries what it uses.
 */
#ifndef BIFURC_SELFTEST_UTIL_H
#define BIFURC_SELFTEST_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* kselftest's exit codes (kselftest.h has the same, for the harness) */
#ifndef KSFT_PASS
#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* kselftest.h's, token for token, for the programs without it */
#ifndef __printf
#define __printf(a, b)   __attribute__((format(printf, a, b)))
#endif

/* One TAP diagnostic line, "# ...", flushed: a guest may die next. */
static inline __printf(1, 2) void msg(const char *fmt, ...)
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

/* An interface's bifurc device (uapi section 1). */
struct bifurc_dev {
	char pci[64];			/* PCI address of the interface */
	char classdir[PATH_MAX];	/* the class device in sysfs */
	char node[PATH_MAX];		/* /dev/bifurc/<bdf> */
};

/* Resolve IFNAME to its bifurc device: 0 or -errno. */
static inline int bifurc_discover(const char *ifname, struct bifurc_dev *d)
{
	char path[512], link[PATH_MAX], ev[PATH_MAX + 8], buf[512], *dev, *nl;
	struct dirent *de;
	ssize_t n;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device", ifname);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	snprintf(d->pci, sizeof(d->pci), "%s", strrchr(link, '/') + 1);

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/bifurc",
		 ifname);
	dir = opendir(path);
	if (!dir)
		return -errno;
	d->classdir[0] = '\0';
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.')
			snprintf(d->classdir, sizeof(d->classdir), "%s/%s",
				 path, de->d_name);
	closedir(dir);
	if (!d->classdir[0])
		return -ENOENT;
	snprintf(ev, sizeof(ev), "%s/uevent", d->classdir);
	if (read_file(ev, buf, sizeof(buf)))
		return -EIO;
	dev = strstr(buf, "DEVNAME=");
	if (!dev)
		return -EIO;
	dev += 8;
	nl = strchr(dev, '\n');
	if (nl)
		*nl = '\0';
	snprintf(d->node, sizeof(d->node), "/dev/%s", dev);
	return 0;
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
