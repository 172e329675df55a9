/*
 * Intel 82599 10GbE controller model: QOM/PCI glue.
 *
 * Device "ixgbe-82599": one port of an 82599 with a backplane (KX4 or KR)
 * interface, as the PCIe endpoint the Linux ixgbe driver expects:
 *   BAR0  64-bit memory, 128 KiB   CSRs (ixgbe_core.c)
 *   BAR4  64-bit memory, 16 KiB    MSI-X table (0x0000) and PBA (0x2000)
 *   config 0x50 MSI, 1 vector      (the driver's first fallback)
 *   config 0x70 MSI-X, 64 vectors  (the driver reads the table size at 0x72)
 *   config 0xA0 PCI Express        (the driver reads LNKSTA at 0xB2)
 * Put it behind a PCIe root port:
 *   -device pcie-root-port,id=rp0,chassis=1
 *   -device ixgbe-82599,bus=rp0,netdev=n0,mac=52:54:00:12:34:56
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/module.h"
#include "qemu/range.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "net/net.h"
#include "qom/object.h"
#include "ixgbe_core.h"
#include "trace.h"

#define TYPE_IXGBE "ixgbe-82599"
OBJECT_DECLARE_SIMPLE_TYPE(IXGBEState, IXGBE)

#define IXGBE_MMIO_BAR          0
#define IXGBE_MSIX_BAR          4
#define IXGBE_MSI_CAP           0x50
#define IXGBE_MSIX_CAP          0x70
#define IXGBE_PCIE_CAP          0xa0
#define IXGBE_SUBSYS_ID         0x000a

struct IXGBEState {
    PCIDevice parent_obj;

    NICState *nic;
    NICConf conf;
    uint16_t device_id;
    bool use_msix;          /* x-msix=off: test the driver's MSI fallback */

    MemoryRegion mmio;
    MemoryRegion msix;

    IXGBECore core;
};

static uint64_t ixgbe_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    IXGBEState *s = opaque;

    return ixgbe_core_read(&s->core, addr, size);
}

static void ixgbe_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    IXGBEState *s = opaque;

    ixgbe_core_write(&s->core, addr, val, size);
}

/*
 * All CSRs are 32 bits.  The driver's one 64-bit access (the ATR add to
 * FDIRHASH/FDIRCMD) is split by the memory core into two dword writes,
 * low address first: FDIRHASH is latched before FDIRCMD acts on it.
 */
static const MemoryRegionOps ixgbe_mmio_ops = {
    .read = ixgbe_mmio_read,
    .write = ixgbe_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 8,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static bool ixgbe_nc_can_receive(NetClientState *nc)
{
    /* frames are always taken; the core drops or parks them itself */
    return true;
}

static ssize_t ixgbe_nc_receive_iov(NetClientState *nc,
                                    const struct iovec *iov, int iovcnt)
{
    IXGBEState *s = qemu_get_nic_opaque(nc);

    return ixgbe_rx_receive_iov(&s->core, iov, iovcnt);
}

static ssize_t ixgbe_nc_receive(NetClientState *nc, const uint8_t *buf,
                                size_t size)
{
    const struct iovec iov = { .iov_base = (uint8_t *)buf, .iov_len = size };

    return ixgbe_nc_receive_iov(nc, &iov, 1);
}

static void ixgbe_nc_link_status_changed(NetClientState *nc)
{
    IXGBEState *s = qemu_get_nic_opaque(nc);

    ixgbe_core_set_link(&s->core, !nc->link_down);
}

static NetClientInfo ixgbe_net_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(NICState),
    .can_receive = ixgbe_nc_can_receive,
    .receive = ixgbe_nc_receive,
    .receive_iov = ixgbe_nc_receive_iov,
    .link_status_changed = ixgbe_nc_link_status_changed,
};

static void ixgbe_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                               int len)
{
    IXGBEState *s = IXGBE(pdev);

    pci_default_write_config(pdev, addr, val, len);
    if (range_covers_byte(addr, len, PCI_COMMAND) &&
        (pdev->config[PCI_COMMAND] & PCI_COMMAND_MASTER)) {
        ixgbe_core_pci_master_changed(&s->core);
    }
}

/* Report the 82599's PCIe link, x8 at 5 GT/s, instead of QEMU's x1 2.5 */
static void ixgbe_set_pcie_link(PCIDevice *pdev)
{
    uint8_t *exp = pdev->config + pdev->exp.exp_cap;
    uint32_t lnkcap = pci_get_long(exp + PCI_EXP_LNKCAP);
    uint16_t lnksta = pci_get_word(exp + PCI_EXP_LNKSTA);

    lnkcap &= ~(PCI_EXP_LNKCAP_SLS | PCI_EXP_LNKCAP_MLW);
    lnkcap |= QEMU_PCI_EXP_LNKCAP_MLS(QEMU_PCI_EXP_LNK_5GT) |
              QEMU_PCI_EXP_LNKCAP_MLW(QEMU_PCI_EXP_LNK_X8);
    pci_set_long(exp + PCI_EXP_LNKCAP, lnkcap);

    lnksta &= ~(PCI_EXP_LNKSTA_CLS | PCI_EXP_LNKSTA_NLW);
    lnksta |= QEMU_PCI_EXP_LNKSTA_CLS(QEMU_PCI_EXP_LNK_5GT) |
              QEMU_PCI_EXP_LNKSTA_NLW(QEMU_PCI_EXP_LNK_X8);
    pci_set_word(exp + PCI_EXP_LNKSTA, lnksta);
}

static void ixgbe_pci_realize(PCIDevice *pdev, Error **errp)
{
    IXGBEState *s = IXGBE(pdev);
    DeviceState *dev = DEVICE(pdev);
    int i;

    if (s->device_id != IXGBE_DEV_ID_82599_KX4 &&
        s->device_id != IXGBE_DEV_ID_82599_KR) {
        error_setg(errp, "device-id must be 0x%04x (82599 KX4) or "
                   "0x%04x (82599 KR)", IXGBE_DEV_ID_82599_KX4,
                   IXGBE_DEV_ID_82599_KR);
        return;
    }
    pci_config_set_device_id(pdev->config, s->device_id);
    pdev->config[PCI_CACHE_LINE_SIZE] = 0x10;
    pdev->config[PCI_INTERRUPT_PIN] = 1;
    pdev->config_write = ixgbe_write_config;

    memory_region_init_io(&s->mmio, OBJECT(s), &ixgbe_mmio_ops, s,
                          "ixgbe-mmio", IXGBE_MMIO_SIZE);
    pci_register_bar(pdev, IXGBE_MMIO_BAR, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->mmio);

    memory_region_init(&s->msix, OBJECT(s), "ixgbe-msix", IXGBE_MSIX_SIZE);
    pci_register_bar(pdev, IXGBE_MSIX_BAR, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->msix);

    if (msi_init(pdev, IXGBE_MSI_CAP, 1, true, false, errp) < 0) {
        return;
    }
    if (s->use_msix) {
        if (msix_init(pdev, IXGBE_MSIX_VECTORS, &s->msix, IXGBE_MSIX_BAR,
                      IXGBE_MSIX_TABLE, &s->msix, IXGBE_MSIX_BAR,
                      IXGBE_MSIX_PBA, IXGBE_MSIX_CAP, errp) < 0) {
            msi_uninit(pdev);
            return;
        }
        for (i = 0; i < IXGBE_MSIX_VECTORS; i++) {
            msix_vector_use(pdev, i);
        }
    }

    if (pcie_endpoint_cap_init(pdev, IXGBE_PCIE_CAP) < 0) {
        error_setg(errp, "ixgbe: cannot add the PCIe capability at 0x%x",
                   IXGBE_PCIE_CAP);
        msix_uninit(pdev, &s->msix, &s->msix);
        msi_uninit(pdev);
        return;
    }
    ixgbe_set_pcie_link(pdev);

    qemu_macaddr_default_if_unset(&s->conf.macaddr);
    s->nic = qemu_new_nic(&ixgbe_net_info, &s->conf,
                          object_get_typename(OBJECT(s)), dev->id,
                          &dev->mem_reentrancy_guard, s);
    qemu_format_nic_info_str(qemu_get_queue(s->nic), s->conf.macaddr.a);

    ixgbe_core_realize(&s->core, pdev, s->nic, s->conf.macaddr.a,
                       s->device_id);
    ixgbe_pktgen_realize(&s->core);
}

static void ixgbe_pci_uninit(PCIDevice *pdev)
{
    IXGBEState *s = IXGBE(pdev);

    ixgbe_core_unrealize(&s->core);
    qemu_del_nic(s->nic);
    pcie_cap_exit(pdev);
    msix_uninit(pdev, &s->msix, &s->msix);
    msi_uninit(pdev);
}

/* the PCI device's own reset phases, which ours chain to */
static ResettablePhases ixgbe_parent_phases;

/* Resettable hold phase: the device's state goes back to power-on values */
static void ixgbe_reset_hold(Object *obj)
{
    IXGBEState *s = IXGBE(obj);

    if (ixgbe_parent_phases.hold) {
        ixgbe_parent_phases.hold(obj);
    }

    /* a PCI reset (system reset, FLR by the bus) is a full power-on reset */
    ixgbe_core_reset(&s->core, "PCI reset");
    ixgbe_core_set_link(&s->core, !qemu_get_queue(s->nic)->link_down);
}

static void ixgbe_instance_init(Object *obj)
{
    IXGBEState *s = IXGBE(obj);

    /* test-only: fault injection and the packet source */
    ixgbe_faults_init(&s->core, obj);
    ixgbe_pktgen_init(&s->core, obj);
}

static void ixgbe_instance_finalize(Object *obj)
{
    IXGBEState *s = IXGBE(obj);

    ixgbe_pktgen_fini(&s->core);
}

static const VMStateDescription ixgbe_vmstate = {
    .name = "ixgbe-82599",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, IXGBEState),
        VMSTATE_MSIX(parent_obj, IXGBEState),
        VMSTATE_STRUCT(core, IXGBEState, 1, vmstate_ixgbe_core, IXGBECore),
        VMSTATE_END_OF_LIST()
    }
};

static Property ixgbe_properties[] = {
    DEFINE_NIC_PROPERTIES(IXGBEState, conf),
    DEFINE_PROP_UINT16("device-id", IXGBEState, device_id,
                       IXGBE_DEV_ID_82599_KX4),
    DEFINE_PROP_BOOL("x-msix", IXGBEState, use_msix, true),
    /* not an 82599 feature: QEMU's lossless back pressure, see ixgbe_rx.c */
    DEFINE_PROP_BOOL("x-rx-backpressure", IXGBEState, core.rx_backpressure,
                     false),
    DEFINE_PROP_END_OF_LIST(),
};

static void ixgbe_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = ixgbe_pci_realize;
    k->exit = ixgbe_pci_uninit;
    k->vendor_id = PCI_VENDOR_ID_INTEL;
    k->device_id = IXGBE_DEV_ID_82599_KX4;
    k->revision = 0x01;
    k->class_id = PCI_CLASS_NETWORK_ETHERNET;
    k->subsystem_vendor_id = PCI_VENDOR_ID_INTEL;
    k->subsystem_id = IXGBE_SUBSYS_ID;

    dc->desc = "Intel 82599 10 Gigabit Ethernet Controller (backplane port)";
    resettable_class_set_parent_phases(RESETTABLE_CLASS(klass), NULL,
                                       ixgbe_reset_hold, NULL,
                                       &ixgbe_parent_phases);
    dc->vmsd = &ixgbe_vmstate;
    device_class_set_props(dc, ixgbe_properties);
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static const TypeInfo ixgbe_info = {
    .name = TYPE_IXGBE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(IXGBEState),
    .instance_init = ixgbe_instance_init,
    .instance_finalize = ixgbe_instance_finalize,
    .class_init = ixgbe_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void ixgbe_register_types(void)
{
    type_register_static(&ixgbe_info);
}

type_init(ixgbe_register_types)
