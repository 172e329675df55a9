// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * The world a man page example runs in, and its main
 * (tests/check-examples.sh).  The example is one function: example() if
 * it opens its own queue, example_fd(fd) if it opens one from fd, eth0's
 * device node as a broker would have opened it, else example_q(q), which
 * gets queue 3 of "eth0" opened for it, with BIFURC_OPT_TX.  The
 * simulated eth0 has queue 3 reserved.  example_uses says what the
 * example calls (EX_USES_*).
 *
 * Whenever the example sleeps in poll() with nothing ready, the world
 * moves: the NIC sends what is queued, then 8 frames arrive.  After
 * EX_SLEEPS sleeps the adapter is reset; if the example opens the queue
 * again, the device is removed after EX_SLEEPS more.  So an example's
 * loop must stop or open again on an error, or it never returns and the
 * check times it out.  It fails here if it never opened a queue, if it
 * slept before taking a frame, if it receives but took none, if it adds
 * flow rules but none was in place (or fewer after opening again), or if
 * it left anything open.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bifurc.h"
#include "sim.h"

#define EX_IF		"eth0"
#define EX_BDF		"0000:04:00.0"
#define EX_NODE		"/dev/bifurc/" EX_BDF
#define EX_Q		3
#define EX_SLEEPS	4

#define EX_USES_RX	(1U << 0)	/* calls bifurc_rx_burst */
#define EX_USES_FLOW	(1U << 1)	/* calls bifurc_flow_add */

void example(void) __attribute__((weak));
void example_fd(int fd) __attribute__((weak));
void example_q(struct bifurc_queue *q) __attribute__((weak));
extern const unsigned int example_uses;
void swap_addresses(void *frame);

/* What libbifurc(7)'s echo leaves to the reader; the MACs will do here. */
void swap_addresses(void *frame)
{
	unsigned char mac[6], *f = frame;

	memcpy(mac, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, mac, 6);
}

struct world {
	struct sim_att *att;	/* the attachment of this epoch; NULL: none */
	unsigned int epoch;	/* attachments the example slept on */
	unsigned int sleeps;	/* in this epoch */
	unsigned int rules;	/* its flow rules when the last epoch ended */
	unsigned int max_rules;	/* most flow rules seen on one attachment */
	unsigned long taken;	/* frames taken in earlier epochs */
	uint32_t taken_now;	/* and in this one */
	unsigned long delivered;
	int failed;
};

static unsigned int owned_rules(const struct sim_dev *d,
				const struct sim_att *a)
{
	unsigned int i, n = 0;

	for (i = 0; a && i < SIM_MAX_RULES; i++)
		if (d->rules[i].used && d->rules[i].owner == a->file)
			n++;
	return n;
}

static void __attribute__((format(printf, 2, 3)))
fail(struct world *w, const char *fmt, ...)
{
	va_list ap;

	printf("# epoch %u, sleep %u: ", w->epoch, w->sleeps);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	w->failed = 1;
}

static void world(struct sim_dev *d, struct sim_att *a, void *arg)
{
	struct world *w = arg;
	unsigned int rules = owned_rules(d, a);

	if (w->att != a) {
		w->att = a;
		w->epoch++;
		w->sleeps = 0;
		w->taken += w->taken_now;
	}
	w->sleeps++;
	w->taken_now = __atomic_load_n(&a->comp_h->consumer, __ATOMIC_ACQUIRE);
	if (rules > w->max_rules)
		w->max_rules = rules;
	if ((example_uses & EX_USES_FLOW) && rules == 0)
		fail(w, "sleeps with no flow rule");
	if (w->epoch > 1 && rules < w->rules)
		fail(w, "%u flow rule(s) after opening again, %u before the "
		     "reset", rules, w->rules);
	/* Frames arrived at every earlier sleep: some must have been taken. */
	if (w->sleeps > 1 && w->taken_now == 0)
		fail(w, "slept %u times and took none of %u frames",
		     w->sleeps - 1, (w->sleeps - 1) * 8);
	if (a->flags & BIFURC_ATTACH_TX)
		sim_tx_send(d, a->queue, 1U << 20);
	if (w->sleeps <= EX_SLEEPS) {
		w->delivered += (unsigned long)sim_rx_many(d, a->queue, 8, 64);
		return;
	}
	w->rules = rules;
	w->att = NULL;
	printf("# epoch %u: %u frame(s) taken, %lu sent, %u flow rule(s); "
	       "%s\n", w->epoch, w->taken_now, d->tx_sent, rules,
	       w->epoch == 1 ? "adapter reset" : "device removed");
	if (w->epoch == 1)
		sim_reset(d);
	else
		sim_remove(d);
}

int main(void)
{
	struct world w = { 0 };
	struct bifurc_opts o = { .size = sizeof(o), .flags = BIFURC_OPT_TX };
	struct bifurc_queue *q;
	struct sim_dev *d;
	unsigned int rules;
	int err, leaks;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sim_begin();
	d = sim_dev_new(EX_IF, EX_BDF, 8);
	sim_reserve(d, EX_Q);
	d->on_sleep = world;
	d->on_sleep_arg = &w;
	if (example) {
		example();
	} else if (example_fd) {
		example_fd(open(EX_NODE, O_RDWR));
	} else {
		err = bifurc_open(&q, EX_IF, EX_Q, &o);
		if (err) {
			printf("# open: %s\n", bifurc_strerror(err));
			sim_end();
			return 1;
		}
		example_q(q);
		rules = owned_rules(d, sim_att_of(d, EX_Q));
		if (rules > w.max_rules)
			w.max_rules = rules;
		bifurc_close(q);
	}
	w.taken += w.taken_now;
	/* bifurc_open kicks once it has attached and mapped everything. */
	if (d->n_ioctl[_IOC_NR(BIFURC_IOC_KICK)] == 0)
		fail(&w, "never opened a queue");
	if ((example_uses & EX_USES_FLOW) && w.max_rules == 0)
		fail(&w, "added no flow rule");
	if ((example_uses & EX_USES_RX) && w.taken == 0)
		fail(&w, "took no frame");
	leaks = sim_end();
	printf("# %u epoch(s), %lu frame(s) delivered, %lu taken, %d leak(s)\n",
	       w.epoch, w.delivered, w.taken, leaks);
	return w.failed || leaks ? 1 : 0;
}
