// SPDX-License-Identifier: GPL-2.0
/*
 * bifurcctl stats IF [queue N] [-w SECONDS]
 * bifurcctl top [IF] [-d SECONDS] [-n COUNT]
 *
 * The per-queue bifurc counters the driver adds to "ethtool -S":
 * bifurc_q<N>_<counter>, one group per reserved queue.  The counter names
 * after the prefix are passed through as they are, so a counter the
 * kernel adds later shows up without a bifurcctl change.  With -w the
 * counters are read twice and the rates over the interval are shown too.
 *
 * top is the live view of the same counters: every interval, one line per
 * reserved queue with what an operator watches (packets and bits per
 * second, frames dropped for want of buffers, ids and frames the kernel
 * refused, kicks), or with -j one JSON object per interval for scripts.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bifurcctl.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

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

static int parse_seconds(const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	v = strtod(s, &end);
	if (end == s || *end || !(v > 0) || v > 3600)
		return bctl_usage_err("%s \"%s\" is not a number of seconds in (0, 3600]",
				      opt, s);
	*out = v;
	return 0;
}

static void sleep_for(double secs)
{
	struct timespec ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Rate of each counter of @s1 present in @s0 and not reset since. */
static void set_rates(struct qstat *s1, size_t n1, const struct qstat *s0,
		      size_t n0, double secs)
{
	size_t i, k;

	for (i = 0; i < n1; i++) {
		s1[i].rate = NAN;
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
	size_t n0 = 0, n1 = 0;
	double secs = 0, t0, t1;
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
			    parse_seconds("-w", v, &secs))
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
		sleep_for(secs);
		t1 = now();
		err = collect(b, ifname, one, queue, &s1, &n1);
		secs = t1 - t0;
		if (!err)
			set_rates(s1, n1, s0, n0, secs);
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

/* ---- top ---------------------------------------------------------------- */

/* The columns of top: a rate, or the sum of several counters' rates. */
struct top_col {
	const char *key;		/* JSON key and text heading */
	const char *const counters[4];	/* summed; NULL-terminated */
	double scale;			/* bytes -> bits */
};

static const struct top_col top_cols[] = {
	{ "rx_pps", { "rx_packets" }, 1 },
	{ "rx_bps", { "rx_bytes" }, 8 },
	{ "tx_pps", { "tx_packets" }, 1 },
	{ "tx_bps", { "tx_bytes" }, 8 },
	{ "no_buf_ps", { "rx_no_buf" }, 1 },
	{ "refused_ps", { "rx_bad_id", "tx_bad_id", "tx_bad_frame" }, 1 },
	{ "kicks_ps", { "kicks" }, 1 },
};

/* -j only: exact counts over the interval, for scripts that add them up */
static const struct top_col top_counts[] = {
	{ "rx_packets", { "rx_packets" }, 1 },
	{ "tx_packets", { "tx_packets" }, 1 },
};

static volatile sig_atomic_t top_stop;

static void top_on_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

/* One queue's value of @col over the interval; NAN if no counter had a rate. */
static double top_value(const struct top_col *col, const struct qstat *qs,
			size_t n, uint32_t queue)
{
	double v = NAN;
	size_t i, c;

	for (c = 0; c < 4 && col->counters[c]; c++)
		for (i = 0; i < n; i++)
			if (qs[i].queue == queue && !isnan(qs[i].rate) &&
			    !strcmp(qs[i].counter, col->counters[c]))
				v = (isnan(v) ? 0 : v) + qs[i].rate * col->scale;
	return v;
}

struct top_if {
	char name[IF_NAMESIZE];
	struct qstat *prev, *cur;
	size_t nprev, ncur;
	int err;
};

static void top_text(const struct top_if *ifs, size_t nif, double secs,
		     bool tty)
{
	static const char *const head[] = { "rx pkt/s", "rx bit/s", "tx pkt/s",
					    "tx bit/s", "no-buf/s", "refused/s",
					    "kicks/s" };
	size_t i, k, c;
	double v;

	if (tty)
		fputs("\033[H\033[J", stdout);	/* home, clear: a redraw */
	printf("%-16s %5s", "interface", "queue");
	for (c = 0; c < ARRAY_LEN(head); c++)
		printf(" %12s", head[c]);
	printf("   (over %.2f s)\n", secs);
	for (i = 0; i < nif; i++) {
		if (ifs[i].err || !ifs[i].ncur) {
			printf("%-16s %s\n", ifs[i].name, ifs[i].err ?
			       bctl_strerror_perm(ifs[i].err) : "no reserved queue");
			continue;
		}
		for (k = 0; k < ifs[i].ncur; k++) {
			if (k && ifs[i].cur[k].queue == ifs[i].cur[k - 1].queue)
				continue;
			printf("%-16s %5u", ifs[i].name, ifs[i].cur[k].queue);
			for (c = 0; c < ARRAY_LEN(top_cols); c++) {
				v = top_value(&top_cols[c], ifs[i].cur,
					      ifs[i].ncur, ifs[i].cur[k].queue);
				if (isnan(v))
					printf(" %12s", "-");
				else
					printf(" %12.0f", v);
			}
			putchar('\n');
		}
	}
	fflush(stdout);
}

/*
 * One column of a queue's JSON object: its rate, or with @secs the count
 * over the interval (a rate times its interval gives the step back).
 */
static void top_json_col(struct bctl_json *j, const struct top_col *col,
			 const struct top_if *ifp, uint32_t queue, double secs)
{
	double v = top_value(col, ifp->cur, ifp->ncur, queue);

	if (isnan(v))
		bctl_json_null(j, col->key);
	else if (secs)
		bctl_json_u64(j, col->key, (uint64_t)llround(v * secs));
	else
		bctl_json_double(j, col->key, v);
}

static void top_json(const struct bctl *b, const struct top_if *ifs,
		     size_t nif, double secs)
{
	struct bctl_json j;
	size_t i, k, c;

	bctl_json_init(&j, stdout, b->pretty);
	bctl_json_obj_open(&j, NULL);
	bctl_json_double(&j, "interval", secs);
	bctl_json_arr_open(&j, "queues");
	for (i = 0; i < nif; i++) {
		for (k = 0; !ifs[i].err && k < ifs[i].ncur; k++) {
			if (k && ifs[i].cur[k].queue == ifs[i].cur[k - 1].queue)
				continue;
			bctl_json_obj_open(&j, NULL);
			bctl_json_str(&j, "ifname", ifs[i].name);
			bctl_json_u64(&j, "queue", ifs[i].cur[k].queue);
			for (c = 0; c < ARRAY_LEN(top_cols); c++)
				top_json_col(&j, &top_cols[c], &ifs[i],
					     ifs[i].cur[k].queue, 0);
			for (c = 0; c < ARRAY_LEN(top_counts); c++)
				top_json_col(&j, &top_counts[c], &ifs[i],
					     ifs[i].cur[k].queue, secs);
			bctl_json_obj_close(&j);
		}
	}
	bctl_json_arr_close(&j);
	bctl_json_obj_close(&j);
	bctl_json_end(&j);
	fflush(stdout);
}

/* The interfaces top watches: @ifname, or every adapter with bifurc. */
static int top_ifs(const struct bctl *b, const char *ifname,
		   struct top_if **out, size_t *nout)
{
	struct bctl_link *links = NULL;
	struct top_if *ifs;
	struct bctl_dev d;
	size_t n = 0, i, k = 0;
	int err;

	if (ifname) {
		if (bctl_dev_open(b, ifname, &d, true))
			return BCTL_ERR;
		ifs = calloc(1, sizeof(*ifs));
		if (!ifs)
			return BCTL_ERR;
		bctl_strlcpy(ifs->name, ifname, sizeof(ifs->name));
		*out = ifs;
		*nout = 1;
		return BCTL_OK;
	}
	err = b->bk->link_list(b, &links, &n);
	if (err) {
		bctl_err("cannot list interfaces: %s", strerror(-err));
		return BCTL_ERR;
	}
	ifs = calloc(n ? n : 1, sizeof(*ifs));
	for (i = 0; ifs && i < n; i++) {
		memset(&d, 0, sizeof(d));
		d.link = links[i];
		bctl_dev_fill(b, &d);
		if (d.classdev[0])
			bctl_strlcpy(ifs[k++].name, links[i].name,
				     sizeof(ifs->name));
	}
	free(links);
	if (!ifs)
		return BCTL_ERR;
	if (!k) {
		free(ifs);
		bctl_err("no adapter with bifurc (see: bifurcctl dev)");
		return BCTL_ERR;
	}
	*out = ifs;
	*nout = k;
	return BCTL_OK;
}

int bctl_cmd_top(struct bctl *b, struct bctl_args *a)
{
	static const char *const kw[] = { "-d", "-n", NULL };
	const char *ifname = NULL, *w, *v;
	double secs = 1, t0, t1;
	struct sigaction sa = { .sa_handler = top_on_signal };
	struct top_if *ifs = NULL;
	uint32_t count = 0, done;
	size_t nif = 0, i;
	bool tty;

	while ((w = bctl_next(a))) {
		if (!strcmp(w, "-d")) {
			if (bctl_need(a, "seconds after -d", &v) ||
			    parse_seconds("-d", v, &secs))
				return BCTL_USAGE;
		} else if (!strcmp(w, "-n")) {
			if (bctl_need(a, "count after -n", &v) ||
			    bctl_parse_u32(v, "-n", 1000000, &count))
				return BCTL_USAGE;
		} else if (!ifname && w[0] != '-') {
			ifname = w;
		} else {
			return bctl_bad_word(w, "argument", kw);
		}
	}
	if (top_ifs(b, ifname, &ifs, &nif))
		return BCTL_ERR;

	/* SIGINT ends the loop after the line being drawn, exit status 0 */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	tty = !b->json && isatty(STDOUT_FILENO);
	t0 = now();
	for (i = 0; i < nif; i++)
		ifs[i].err = collect(b, ifs[i].name, false, 0, &ifs[i].prev,
				     &ifs[i].nprev);
	for (done = 0; !top_stop && (!count || done < count); done++) {
		sleep_for(secs);
		if (top_stop)
			break;
		t1 = now();
		for (i = 0; i < nif; i++) {
			free(ifs[i].cur);
			ifs[i].cur = NULL;
			ifs[i].ncur = 0;
			ifs[i].err = collect(b, ifs[i].name, false, 0,
					     &ifs[i].cur, &ifs[i].ncur);
			if (!ifs[i].err)
				set_rates(ifs[i].cur, ifs[i].ncur, ifs[i].prev,
					  ifs[i].nprev, t1 - t0);
		}
		if (b->json)
			top_json(b, ifs, nif, t1 - t0);
		else
			top_text(ifs, nif, t1 - t0, tty);
		for (i = 0; i < nif; i++) {
			free(ifs[i].prev);
			ifs[i].prev = ifs[i].cur;
			ifs[i].nprev = ifs[i].ncur;
			ifs[i].cur = NULL;
			ifs[i].ncur = 0;
		}
		t0 = t1;
	}
	for (i = 0; i < nif; i++) {
		free(ifs[i].prev);
		free(ifs[i].cur);
	}
	free(ifs);
	return BCTL_OK;
}
