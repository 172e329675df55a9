// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Description: bifurc_tx_burst before the TX kernel series: defined,
 * argument-checked, and -EOPNOTSUPP; the kernel refuses ATTACH_TX.
 */
#include "fixture.h"

static int tx_not_supported(void)
{
	struct bifurc_queue *q;
	struct bifurc_tx t = { .buf = 0, .len = 60 };

	fx_dev();
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_tx_burst(q, &t, 1), -EOPNOTSUPP);
	CHECK_EQ(bifurc_tx_burst(q, NULL, 0), -EOPNOTSUPP);
	bifurc_close(q);
	return 0;
}

static int tx_null_args(void)
{
	struct bifurc_queue *q;
	struct bifurc_tx t;

	fx_dev();
	memset(&t, 0, sizeof(t));
	CHECK_EQ(bifurc_tx_burst(NULL, &t, 1), -EINVAL);
	CHECK_EQ(bifurc_open(&q, FX_IF, FX_Q, NULL), 0);
	CHECK_EQ(bifurc_tx_burst(q, NULL, 1), -EINVAL);
	bifurc_close(q);
	return 0;
}

static const struct tap_case cases[] = {
	{ "TX_NOT_SUPPORTED", tx_not_supported },
	{ "TX_NULL_ARGS", tx_null_args },
};

int main(void)
{
	return tap_run("Description: bifurc_tx_burst", cases, ARRAY_SIZE(cases));
}
