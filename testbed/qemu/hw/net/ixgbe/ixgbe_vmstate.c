/*
 * Intel 82599 10GbE controller model: what migrates.
 *
 * Everything the device would hold in silicon: the register file, the
 * interrupt causes and masks with their throttle timers, the transmit
 * context slots, the wide statistics counters, the Flow Director perfect
 * filters and the frames waiting in the receive packet buffer.  The NVM
 * is rebuilt from the same mac= and device-id= on the destination.  Frames
 * parked in QEMU's net queue (x-rx-backpressure) stay behind, like frames
 * on the wire.  The test-only packet source migrates its run
 * (ixgbe_pktgen.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "migration/vmstate.h"
#include "ixgbe_core.h"

static const VMStateDescription vmstate_ixgbe_txctx = {
    .name = "ixgbe-82599/txctx",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(vlan_macip_lens, IXGBETxContext),
        VMSTATE_UINT32(type_tucmd, IXGBETxContext),
        VMSTATE_UINT32(mss_l4len, IXGBETxContext),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_ixgbe_fdir_filter = {
    .name = "ixgbe-82599/fdir-filter",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT16(soft_id, IXGBEFdirFilter),
        VMSTATE_UINT16(bucket, IXGBEFdirFilter),
        VMSTATE_UINT32(sip, IXGBEFdirFilter),
        VMSTATE_UINT32(dip, IXGBEFdirFilter),
        VMSTATE_UINT16(sport, IXGBEFdirFilter),
        VMSTATE_UINT16(dport, IXGBEFdirFilter),
        VMSTATE_UINT16(vlan, IXGBEFdirFilter),
        VMSTATE_UINT16(flex, IXGBEFdirFilter),
        VMSTATE_UINT32(cmd, IXGBEFdirFilter),
        VMSTATE_END_OF_LIST()
    }
};

static bool ixgbe_fdir_count_valid(void *opaque, int version_id)
{
    IXGBECore *c = opaque;

    return c->fdir_count <= IXGBE_FDIR_MAX_FILTERS;
}

static int ixgbe_core_pre_save(void *opaque)
{
    IXGBECore *c = opaque;

    g_free(c->rx_pb_blob);
    c->rx_pb_blob = ixgbe_rx_pb_save(c, &c->rx_pb_blob_len);
    return 0;
}

static int ixgbe_core_post_save(void *opaque)
{
    IXGBECore *c = opaque;

    g_free(c->rx_pb_blob);
    c->rx_pb_blob = NULL;
    c->rx_pb_blob_len = 0;
    return 0;
}

static int ixgbe_core_pre_load(void *opaque)
{
    /* the blob is allocated by the load itself */
    return ixgbe_core_post_save(opaque);
}

static int ixgbe_core_post_load(void *opaque, int version_id)
{
    IXGBECore *c = opaque;
    bool ok = ixgbe_rx_pb_load(c, c->rx_pb_blob, c->rx_pb_blob_len);

    ixgbe_core_post_save(c);
    return ok ? 0 : -EINVAL;
}

const VMStateDescription vmstate_ixgbe_core = {
    .name = "ixgbe-82599/core",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = ixgbe_core_pre_save,
    .post_save = ixgbe_core_post_save,
    .pre_load = ixgbe_core_pre_load,
    .post_load = ixgbe_core_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32_ARRAY(mac, IXGBECore, IXGBE_MMIO_SIZE / 4),
        VMSTATE_BOOL(link_up, IXGBECore),
        VMSTATE_UINT64(ex_cause, IXGBECore),
        VMSTATE_UINT64(ex_mask, IXGBECore),
        VMSTATE_UINT64(ex_automask, IXGBECore),
        VMSTATE_UINT64(ex_signalled, IXGBECore),
        VMSTATE_UINT32(misc_cause, IXGBECore),
        VMSTATE_UINT32(misc_mask, IXGBECore),
        VMSTATE_UINT32(misc_automask, IXGBECore),
        VMSTATE_UINT32(misc_signalled, IXGBECore),
        VMSTATE_BOOL(intx_level, IXGBECore),
        VMSTATE_INT64_ARRAY(eitr_next, IXGBECore, IXGBE_MSIX_VECTORS),
        VMSTATE_TIMER_PTR_ARRAY(eitr_timer, IXGBECore, IXGBE_MSIX_VECTORS),
        VMSTATE_STRUCT_2DARRAY(txctx, IXGBECore, IXGBE_NUM_QUEUES, 2, 1,
                               vmstate_ixgbe_txctx, IXGBETxContext),
        VMSTATE_BOOL(tx_stall, IXGBECore),
        VMSTATE_UINT64(rx_stuck, IXGBECore),
        VMSTATE_UINT64(gorc, IXGBECore),
        VMSTATE_UINT64(gotc, IXGBECore),
        VMSTATE_UINT64(tor, IXGBECore),
        VMSTATE_UINT64_ARRAY(qbrc, IXGBECore, IXGBE_NUM_STAT_IDX),
        VMSTATE_UINT64_ARRAY(qbtc, IXGBECore, IXGBE_NUM_STAT_IDX),
        VMSTATE_UINT32(gorc_hi, IXGBECore),
        VMSTATE_UINT32(gotc_hi, IXGBECore),
        VMSTATE_UINT32(tor_hi, IXGBECore),
        VMSTATE_UINT32_ARRAY(qbrc_hi, IXGBECore, IXGBE_NUM_STAT_IDX),
        VMSTATE_UINT32_ARRAY(qbtc_hi, IXGBECore, IXGBE_NUM_STAT_IDX),
        VMSTATE_UINT32(fdir_count, IXGBECore),
        VMSTATE_VALIDATE("Flow Director filter count", ixgbe_fdir_count_valid),
        VMSTATE_STRUCT_VARRAY_POINTER_UINT32(fdir, IXGBECore, fdir_count,
                                             vmstate_ixgbe_fdir_filter,
                                             IXGBEFdirFilter),
        VMSTATE_UINT32(rx_pb_blob_len, IXGBECore),
        VMSTATE_VBUFFER_ALLOC_UINT32(rx_pb_blob, IXGBECore, 0, NULL,
                                     rx_pb_blob_len),
        VMSTATE_STRUCT(gen, IXGBECore, 1, vmstate_ixgbe_pktgen, IXGBEPktGen),
        VMSTATE_END_OF_LIST()
    }
};
