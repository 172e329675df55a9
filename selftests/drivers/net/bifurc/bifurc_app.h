/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The feature programs' application side, through libbifurc: attach the
 * queue with one UDP rule, receive and check flows.py's datagrams.
 */
#ifndef BIFURC_SELFTEST_APP_H
#define BIFURC_SELFTEST_APP_H

#include <bifurc.h>

int open_with_rule(struct bifurc_queue **q, unsigned int port,
		   const struct bifurc_opts *o);
int receive(struct bifurc_queue *q, unsigned int port, unsigned int count,
	    double seconds, unsigned int *bad, unsigned int *waits);

#endif /* BIFURC_SELFTEST_APP_H */
