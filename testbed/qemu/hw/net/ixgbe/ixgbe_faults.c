/*
 * Intel 82599 10GbE controller model: test-only fault injection.
 *
 * Not 82599 features.  Two QOM properties, settable at run time with
 * qom-set (a qdev property could only be set before realize), make the
 * device fail the way real hardware sometimes does, so a driver's
 * recovery paths can be tested:
 *   x-tx-stall  (bool) the transmit DMA freezes: TDT writes are stored,
 *               nothing is fetched, sent or written back, no TX cause is
 *               raised (a hung transmit unit); false resumes every queue
 *               from TDH.  ixgbe_tx.c holds the queues while it is set.
 *   x-rx-stuck  (uint64) a mask of RX queues 0-63 whose RXDCTL.ENABLE,
 *               once set, does not clear until a reset (a queue that
 *               fails to stop); ixgbe_rx.c applies it on RXDCTL writes.
 * Both survive device resets: a driver's reset does not cure them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/visitor.h"
#include "hw/qdev-core.h"
#include "ixgbe_core.h"
#include "trace.h"

static void ixgbe_get_tx_stall(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    IXGBECore *c = opaque;
    bool stall = c->tx_stall;

    visit_type_bool(v, name, &stall, errp);
}

static void ixgbe_set_tx_stall(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    IXGBECore *c = opaque;
    bool stall, guard;

    if (!visit_type_bool(v, name, &stall, errp) || c->tx_stall == stall) {
        return;
    }
    c->tx_stall = stall;
    trace_ixgbe_tx_stall(stall);
    /* before realize (-device ...,x-tx-stall=on) there is nothing to run */
    if (!stall && DEVICE(obj)->realized) {
        guard = ixgbe_guard_engage(c);
        ixgbe_tx_kick_all(c);
        ixgbe_guard_release(c, guard);
    }
}

void ixgbe_faults_init(IXGBECore *c, Object *obj)
{
    object_property_add(obj, "x-tx-stall", "bool", ixgbe_get_tx_stall,
                        ixgbe_set_tx_stall, NULL, c);
    object_property_set_description(obj, "x-tx-stall",
                                    "freeze the transmit DMA (TX hang "
                                    "injection); false resumes from TDH");
    object_property_add_uint64_ptr(obj, "x-rx-stuck", &c->rx_stuck,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_set_description(obj, "x-rx-stuck",
                                    "mask of RX queues 0-63 whose "
                                    "RXDCTL.ENABLE does not clear until "
                                    "a reset (stuck queue injection)");
}
