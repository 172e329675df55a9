// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * examples/dump linked against the simulator (tests/check-dump.sh): this
 * sets up "eth0" with queue 3 reserved before dump's main runs, and fails
 * the run (exit 3) if dump left a device file, mapping or attachment
 * behind.  Whenever dump sleeps in bifurc_wait, the NIC receives 4 frames
 * of 100 bytes, then 2 of 3000 (two buffers each), as sim_rx_many writes
 * them: frame i of a call is bytes i & 0xff, its first 4 bytes i.  With
 * DUMP_SIM_VLAN set, it receives instead one frame of 100 bytes and one of
 * 3000 whose 802.1Q tag (TCI 0x2064) the NIC stripped: bytes 0xab.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bifurc.h"
#include "sim.h"

static void world(struct sim_dev *d, struct sim_att *a, void *arg)
{
	(void)arg;
	sim_rx_many(d, a->queue, 4, 100);
	sim_rx_many(d, a->queue, 2, 3000);
}

static void world_vlan(struct sim_dev *d, struct sim_att *a, void *arg)
{
	static unsigned char frame[3000];
	const struct sim_meta m = { .flags = BIFURC_RX_F_VLAN,
				    .vlan = 0x2064 };

	(void)arg;
	memset(frame, 0xab, sizeof(frame));
	sim_rx(d, a->queue, frame, 100, &m);
	sim_rx(d, a->queue, frame, sizeof(frame), &m);
}

static void __attribute__((constructor)) dump_sim_begin(void)
{
	struct sim_dev *d;

	sim_begin();
	d = sim_dev_new("eth0", "0000:04:00.0", 8);
	sim_reserve(d, 3);
	d->on_sleep = getenv("DUMP_SIM_VLAN") ? world_vlan : world;
}

static void __attribute__((destructor)) dump_sim_end(void)
{
	if (sim_end())
		_exit(3);
}
