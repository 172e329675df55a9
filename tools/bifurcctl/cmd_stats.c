// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl stats IF [queue N] [-w SECONDS]
 *
 * The per-queue bifurc counters the driver adds to "ethtool -S":
 * bifurc_q<N>_<counter>, one group per reserved queue.  The counter names
 * after the prefix are passed through as they are, so a counter the
 * kernel adds later shows up without a bifurcctl change.  With -w the
 * counters are read twice and the rates over the interval are shown too.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bifurcctl.h"

struct qstat {
	uint32_t queue;
	char counter[ETH_GSTRING_LEN];
	uint64_t value;
	double rate;		/* NAN: no rate */
};

/* "bifurc_q3_rx_packets" -> 3, "rx_packets"; false if not a bifurc counter */
static bool split_name(const char *name, uint32_t *q, const char **counter)
{
	unsigned long v;
	char *end;

	if (strncmp(name, "bifurc_q", 8) || name[8] < '0' || name[8] > '9')
		return false;
	v = strtoul(name + 8, &end, 10);
	if (*end != '_' || !end[1] || v > 0xffff)
		return false;
	*q = v;
	*counter = end + 1;
	return true;
}

static int collect(const struct bctl *b, const char *ifname, bool one,
		   uint32_t queue, struct qstat **out, size_t *nout)
{
	struct bctl_stat *st;
	struct qstat *qs;
	const char *counter;
	size_t n, i, k = 0;
	uint32_t q;
	int err;

	err = bctl_stats_get(b, ifname, &st, &n);
	if (err)
		return err;
	qs = calloc(n ? n : 1, sizeof(*qs));
	if (!qs) {
		free(st);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (!split_name(st[i].name, &q, &counter) || (one && q != queue))
			continue;
		qs[k].queue = q;
		snprintf(qs[k].counter, sizeof(qs[k].counter), "%s", counter);
		qs[k].value = st[i].value;
		qs[k].rate = NAN;
		k++;
	}
	free(st);
	*out = qs;
	*nout = k;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	v = strtod(s, &end);
	if (end == s || *end || !(v > 0) || v > 3600)
		return bctl_usage_err("-w \"%s\" is not a number of seconds in (0, 3600]", s);
	*out = v;
	return 0;
}

static void print_text(const char *ifname, const struct qstat *qs, size_t n,
		       bool rates, double secs)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!i || qs[i].queue != qs[i - 1].queue) {
			printf("%s queue %u:", ifname, qs[i].queue);
			if (rates)
				printf(" (rates over %.1f s)", secs);
			putchar('\n');
		}
		printf("    %-16s %20llu", qs[i].counter,
		       (unsigned long long)qs[i].value);
		if (rates && !isnan(qs[i].rate))
			printf(" %14.1f/s", qs[i].rate);
		putchar('\n');
	}
}

static void print_json(const struct bctl *b, const char *ifname,
		       const struct qstat *qs, size_t n, bool rates, double secs)
{
	struct bctl_json j;
	size_t i, k;

	bctl_json_init(&j, stdout, b->pretty);
	bctl_json_obj_open(&j, NULL);
	bctl_json_str(&j, "ifname", ifname);
	if (rates)
		bctl_json_double(&j, "interval", secs);
	bctl_json_arr_open(&j, "queues");
	for (i = 0; i < n; i = k) {
		bctl_json_obj_open(&j, NULL);
		bctl_json_u64(&j, "queue", qs[i].queue);
		bctl_json_obj_open(&j, "counters");
		for (k = i; k < n && qs[k].queue == qs[i].queue; k++)
			bctl_json_u64(&j, qs[k].counter, qs[k].value);
		bctl_json_obj_close(&j);
		if (rates) {
			bctl_json_obj_open(&j, "rates");
			for (k = i; k < n && qs[k].queue == qs[i].queue; k++)
				bctl_json_double(&j, qs[k].counter, qs[k].rate);
			bctl_json_obj_close(&j);
		}
		bctl_json_obj_close(&j);
	}
	bctl_json_arr_close(&j);
	bctl_json_obj_close(&j);
	bctl_json_end(&j);
}

int bctl_cmd_stats(struct bctl *b, struct bctl_args *a)
{
	static const char *const kw[] = { "queue", "-w", NULL };
	struct qstat *s0 = NULL, *s1 = NULL;
	const char *ifname, *w, *v;
	bool one = false, rates = false;
	size_t n0 = 0, n1 = 0, i, k;
	double secs = 0, t0, t1;
	struct timespec ts;
	struct bctl_dev d;
	uint32_t queue = 0;
	int err, ret = BCTL_ERR;

	if (bctl_need(a, "interface name", &ifname))
		return BCTL_USAGE;
	while ((w = bctl_next(a))) {
		if (!strcmp(w, "queue") && !one) {
			if (bctl_need(a, "queue number", &v) ||
			    bctl_parse_u32(v, "queue", 127, &queue))
				return BCTL_USAGE;
			one = true;
		} else if (!strcmp(w, "-w") && !rates) {
			if (bctl_need(a, "seconds after -w", &v) ||
			    parse_seconds(v, &secs))
				return BCTL_USAGE;
			rates = true;
		} else {
			return bctl_bad_word(w, "argument", kw);
		}
	}
	if (bctl_dev_open(b, ifname, &d, true))
		return BCTL_ERR;
	if (one && bctl_check_queue(&d, queue))
		return BCTL_ERR;
	if (one && !bctl_qbit(d.reserved, queue)) {
		bctl_err("queue %u of %s is not reserved, so it has no bifurc counters "
			 "(bifurcctl reserve %s queue %u)", queue, ifname, ifname, queue);
		return BCTL_ERR;
	}

	t0 = now();
	err = collect(b, ifname, one, queue, &s0, &n0);
	if (!err && rates) {
		ts.tv_sec = (time_t)secs;
		ts.tv_nsec = (long)((secs - ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		t1 = now();
		err = collect(b, ifname, one, queue, &s1, &n1);
		secs = t1 - t0;
		/* rate per counter present in both samples and not reset */
		for (i = 0; !err && i < n1; i++) {
			for (k = 0; k < n0; k++) {
				if (s0[k].queue != s1[i].queue ||
				    strcmp(s0[k].counter, s1[i].counter))
					continue;
				if (s1[i].value >= s0[k].value && secs > 0)
					s1[i].rate = (s1[i].value - s0[k].value) / secs;
				break;
			}
		}
	}
	if (err) {
		bctl_err("cannot read the counters of %s: %s", ifname,
			 bctl_strerror_perm(err));
		goto out;
	}
	if (rates) {
		free(s0);
		s0 = s1;
		n0 = n1;
		s1 = NULL;
	}
	if (b->json)
		print_json(b, ifname, s0, n0, rates, secs);
	else if (!n0)
		printf("%s: no reserved queue, no bifurc counters\n", ifname);
	else
		print_text(ifname, s0, n0, rates, secs);
	ret = BCTL_OK;
out:
	free(s0);
	free(s1);
	return ret;
}
