/*
 * Intel 82599 10GbE controller model: device core shared by the glue
 * (ixgbe.c) and the functional units (rx, tx, filter, nvm, pktgen).
 *
 * The core knows nothing about QOM; ixgbe.c owns the PCI device, the BARs
 * and the NetClientState and hands the core a pointer to each.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IXGBE_CORE_H
#define HW_NET_IXGBE_CORE_H

#include "qemu/units.h"
#include "qemu/queue.h"
#include "hw/pci/pci.h"
#include "migration/vmstate.h"
#include "net/net.h"
#include "qemu/timer.h"
#include "ixgbe_regs.h"

#define IXGBE_MMIO_SIZE         0x20000     /* BAR0: CSR space */
#define IXGBE_MSIX_SIZE         0x4000      /* BAR4: MSI-X table + PBA */
#define IXGBE_MSIX_TABLE        0x0000
#define IXGBE_MSIX_PBA          0x2000
#define IXGBE_MSIX_VECTORS      64
#define IXGBE_NUM_QUEUES        128
#define IXGBE_NUM_STAT_IDX      16
#define IXGBE_NUM_RAR           128
#define IXGBE_NVM_WORDS         1024        /* EEC.SIZE = 4 */
#define IXGBE_NVM_SIZE_FIELD    4

/* Device IDs the model can present (8086:xxxx), see ixgbe.c */
#define IXGBE_DEV_ID_82599_KX4  0x10F7
#define IXGBE_DEV_ID_82599_KR   0x1517

/*
 * Largest frame the model moves in one piece.  RX: MAXFRS.MFS is 16 bits, so
 * no legal frame is longer than 64 KiB.  TX: a TSO request carries at most
 * 256 KiB of payload (7.2.4.1) plus headers.
 */
#define IXGBE_RX_MAX_FRAME      0x10000
#define IXGBE_TX_MAX_PKT        (256 * KiB + 512)
#define IXGBE_TX_MAX_DESC       256         /* per packet, guest-error bound */
#define IXGBE_FDIR_MAX_FILTERS  8192        /* 2 bytes of soft id, bounded */

typedef struct IXGBECore IXGBECore;
typedef struct IXGBERxPbFrame IXGBERxPbFrame;

typedef struct IXGBETxContext {
    uint32_t vlan_macip_lens;
    uint32_t type_tucmd;
    uint32_t mss_l4len;
} IXGBETxContext;

typedef struct IXGBEFdirFilter {
    uint16_t soft_id;
    uint16_t bucket;
    uint32_t sip;       /* raw network-order bytes read little-endian */
    uint32_t dip;
    uint16_t sport;
    uint16_t dport;
    uint16_t vlan;
    uint16_t flex;
    uint32_t cmd;       /* FDIRCMD as written: type, queue, drop, pool */
} IXGBEFdirFilter;

/* Test-only traffic source (ixgbe_pktgen.c), configured through QOM */
typedef struct IXGBEPktGen {
    QEMUTimer *timer;
    bool running;
    /* configuration */
    char *dst_mac;
    char *src_mac;
    char *dst_ip;
    char *src_ip;
    uint32_t dst_port;
    uint32_t src_port;
    uint32_t flows;
    uint32_t size;
    uint64_t rate;
    uint64_t count;
    uint64_t duration_ms;
    bool paced;
    bool stamp;
    /*
     * What the running source uses: the configuration as it was at the
     * start, so a qom-set while it runs changes nothing until the next
     * start.
     */
    struct {
        uint32_t flows;
        uint32_t src_port;
        uint64_t rate;
        uint64_t count;
        uint64_t duration_ms;
        bool paced;
        bool stamp;
    } run;
    /* state */
    uint8_t *frame;
    uint32_t frame_len;
    uint32_t payload_sum;
    uint32_t next_flow;
    int64_t start_ns;
    int64_t last_ns;
    uint64_t credit;        /* frames * 1e9: fractions carry over ticks */
    uint32_t base_sip;
    uint64_t sent_this_run;
    /* paced: frame n is due at start_ns + n * gap_num / gap_den ns */
    uint32_t gap_num;
    uint32_t gap_den;
    uint64_t slot;          /* frames due so far, offered or not */
    uint32_t run_id;        /* in each stamp: echoes of this run only */
    uint32_t rest_sum;      /* checksum of the payload after the stamp */
    /* round trips of stamped frames seen leaving the port */
    uint64_t *rtt_hist;
    uint64_t rtt_count;
    uint64_t rtt_min;
    uint64_t rtt_max;
    /* counters, readable with qom-get */
    uint64_t offered;
    uint64_t delivered;
    uint64_t dropped;
} IXGBEPktGen;

struct IXGBECore {
    /* BAR0 backing store; special registers override through the tables */
    uint32_t mac[IXGBE_MMIO_SIZE / 4];

    PCIDevice *owner;
    NICState *nic;
    uint8_t perm_mac[6];
    uint16_t device_id;
    uint16_t nvm[IXGBE_NVM_WORDS];
    bool link_up;

    /*
     * Interrupt state (7.3).  Vector causes 0..63 live in ex_*, the
     * "other" causes (EICR bits 31:16) in misc_*.  EICR/EIMS/EICS[15:0]
     * alias ex_*[15:0].  *_signalled remembers causes already sent so a
     * cause that is neither auto-cleared nor acknowledged fires once.
     */
    uint64_t ex_cause;
    uint64_t ex_mask;
    uint64_t ex_automask;
    uint64_t ex_signalled;
    uint32_t misc_cause;
    uint32_t misc_mask;
    uint32_t misc_automask;
    uint32_t misc_signalled;
    bool intx_level;

    /* 7.3.2.1 interrupt throttling: earliest next firing per vector */
    int64_t eitr_next[IXGBE_MSIX_VECTORS];
    QEMUTimer *eitr_timer[IXGBE_MSIX_VECTORS];

    /* TX */
    IXGBETxContext txctx[IXGBE_NUM_QUEUES][2];
    bool tx_stall;          /* x-tx-stall (ixgbe_faults.c) */
    uint8_t *tx_buf;
    uint8_t *tx_seg;
    uint8_t *lb_buf;        /* a looped-back frame, flattened */

    /* RX */
    uint64_t rx_stuck;      /* x-rx-stuck (ixgbe_faults.c) */
    uint8_t *rx_buf;
    uint8_t *rx_wire;       /* a frame as the wire has it: padded, FCS */
    /*
     * The receive packet buffer (RXPBSIZE[0]): frames that wait, oldest
     * first, for descriptors of a queue without SRRCTL.DROP_EN, and every
     * frame behind them.  See ixgbe_rx.c.
     */
    QSIMPLEQ_HEAD(, IXGBERxPbFrame) rx_pb;
    uint32_t rx_pb_bytes;
    bool rx_draining;
    bool rx_backpressure;   /* x-rx-backpressure: park, never miss */
    bool rx_held;           /* a frame is parked in the net queue */
    uint8_t *rx_pb_blob;    /* the packet buffer while it migrates */
    uint32_t rx_pb_blob_len;

    /* 36-bit byte counters: L read returns 31:0 and latches 35:32 into H */
    uint64_t gorc, gotc, tor;
    uint64_t qbrc[IXGBE_NUM_STAT_IDX];
    uint64_t qbtc[IXGBE_NUM_STAT_IDX];
    uint32_t gorc_hi, gotc_hi, tor_hi;
    uint32_t qbrc_hi[IXGBE_NUM_STAT_IDX];
    uint32_t qbtc_hi[IXGBE_NUM_STAT_IDX];

    /* Flow Director perfect filters, unordered; keyed by soft id */
    IXGBEFdirFilter *fdir;
    uint32_t fdir_count;

    /* offsets (and MRQC.MRQE modes) already reported as unimplemented */
    unsigned long *unimp_logged;
    uint16_t mrqe_logged;

    IXGBEPktGen gen;
};

/* Frame-source tags for ixgbe_rx_frame() */
typedef enum {
    IXGBE_RX_SRC_WIRE,      /* from the QEMU network backend */
    IXGBE_RX_SRC_GEN,       /* from the built-in packet source */
    IXGBE_RX_SRC_LOOPBACK,  /* MAC loopback of our own transmit */
} IXGBERxSource;

typedef enum {
    IXGBE_RX_DELIVERED,
    IXGBE_RX_DROPPED,
    IXGBE_RX_BUFFERED,      /* waits in the packet buffer */
    IXGBE_RX_NO_ROOM,       /* x-rx-backpressure: the caller may retry */
} IXGBERxResult;

/* Parsed L2-L4 view of a frame, filled by ixgbe_parse_frame() */
typedef struct IXGBEPktInfo {
    bool vlan;
    uint16_t tci;
    uint16_t ethertype;     /* after an 802.1Q tag, if any */
    size_t l3off;
    int ipver;              /* 0, 4 or 6 */
    bool ip_frag;
    bool ip6_ext;
    size_t l4off;
    uint8_t l4proto;
    bool l4hdr;             /* full L4 header present (ports valid) */
    uint8_t sip[16];
    uint8_t dip[16];
    uint16_t sport;
    uint16_t dport;
    uint8_t tcp_flags;
    size_t l3end;           /* end of the IP datagram within the frame */
} IXGBEPktInfo;

/* ixgbe_core.c: lifecycle, MMIO dispatch, interrupts */
void ixgbe_core_realize(IXGBECore *c, PCIDevice *owner, NICState *nic,
                        const uint8_t *macaddr, uint16_t device_id);
void ixgbe_core_unrealize(IXGBECore *c);
void ixgbe_core_reset(IXGBECore *c, const char *why);
uint64_t ixgbe_core_read(IXGBECore *c, hwaddr addr, unsigned size);
void ixgbe_core_write(IXGBECore *c, hwaddr addr, uint64_t val, unsigned size);
void ixgbe_core_set_link(IXGBECore *c, bool up);
void ixgbe_core_pci_master_changed(IXGBECore *c);

void ixgbe_irq_queue(IXGBECore *c, unsigned queue, bool tx);
void ixgbe_irq_misc(IXGBECore *c, uint32_t cause);
void ixgbe_irq_update(IXGBECore *c);

/* PCI Command.BME: without it the device may not touch memory */
static inline bool ixgbe_dma_allowed(const IXGBECore *c)
{
    return c->owner->config[PCI_COMMAND] & PCI_COMMAND_MASTER;
}

/*
 * Work that starts outside an access to our BARs (a timer, a QOM setter, a
 * config-space write) engages the device's reentrancy guard as QEMU's MMIO
 * dispatch does: a DMA that the guest aimed at our own BARs is then
 * refused (an error, which costs the frame) instead of re-entering us.
 * Returns whether this call engaged it, for ixgbe_guard_release().
 */
static inline bool ixgbe_guard_engage(IXGBECore *c)
{
    MemReentrancyGuard *g = &DEVICE(c->owner)->mem_reentrancy_guard;

    if (g->engaged_in_io) {
        return false;
    }
    g->engaged_in_io = true;
    return true;
}

static inline void ixgbe_guard_release(IXGBECore *c, bool engaged)
{
    if (engaged) {
        DEVICE(c->owner)->mem_reentrancy_guard.engaged_in_io = false;
    }
}

static inline uint32_t ixgbe_reg(const IXGBECore *c, uint32_t off)
{
    return c->mac[off >> 2];
}

static inline void ixgbe_reg_set(IXGBECore *c, uint32_t off, uint32_t val)
{
    c->mac[off >> 2] = val;
}

static inline void ixgbe_stat_add(IXGBECore *c, uint32_t off, uint32_t n)
{
    c->mac[off >> 2] += n;
}

static inline uint32_t ixgbe_rxq_base(unsigned q)
{
    return q < 64 ? IXGBE_RXQ_BASE_LO + q * IXGBE_QUEUE_STRIDE
                  : IXGBE_RXQ_BASE_HI + (q - 64) * IXGBE_QUEUE_STRIDE;
}

static inline uint32_t ixgbe_txq_base(unsigned q)
{
    return IXGBE_TXQ_BASE + q * IXGBE_QUEUE_STRIDE;
}

/* queue number of a per-queue register offset (either RX bank or TX) */
static inline unsigned ixgbe_rxq_of(uint32_t off)
{
    return off >= IXGBE_RXQ_BASE_HI
           ? 64 + (off - IXGBE_RXQ_BASE_HI) / IXGBE_QUEUE_STRIDE
           : (off - IXGBE_RXQ_BASE_LO) / IXGBE_QUEUE_STRIDE;
}

static inline unsigned ixgbe_txq_of(uint32_t off)
{
    return (off - IXGBE_TXQ_BASE) / IXGBE_QUEUE_STRIDE;
}

/* ixgbe_vmstate.c, ixgbe_pktgen.c */
extern const VMStateDescription vmstate_ixgbe_core;
extern const VMStateDescription vmstate_ixgbe_pktgen;

/* ixgbe_nvm.c */
void ixgbe_nvm_build(uint16_t *nvm, unsigned words, const uint8_t *mac,
                     uint16_t device_id);
uint32_t ixgbe_nvm_autoc_default(uint16_t device_id);

/* ixgbe_rx.c */
IXGBERxResult ixgbe_rx_frame(IXGBECore *c, const uint8_t *buf, size_t len,
                             IXGBERxSource src);
ssize_t ixgbe_rx_receive_iov(IXGBECore *c, const struct iovec *iov,
                             int iovcnt);
void ixgbe_rx_kick(IXGBECore *c);
void ixgbe_rx_pb_flush(IXGBECore *c);
uint8_t *ixgbe_rx_pb_save(IXGBECore *c, uint32_t *len);
bool ixgbe_rx_pb_load(IXGBECore *c, const uint8_t *blob, uint32_t len);
void ixgbe_parse_frame(const uint8_t *buf, size_t len, uint16_t vet,
                       IXGBEPktInfo *pi);
void ixgbe_w_rdt(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_rdbal(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_rdlen(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_rxdctl(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_rxctrl(IXGBECore *c, uint32_t off, uint32_t val);
uint32_t ixgbe_r_srrctl_alias(IXGBECore *c, uint32_t off);
void ixgbe_w_srrctl_alias(IXGBECore *c, uint32_t off, uint32_t val);

/* ixgbe_tx.c */
void ixgbe_tx_process(IXGBECore *c, unsigned q);
void ixgbe_tx_kick_all(IXGBECore *c);
void ixgbe_w_tdt(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_tdbal(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_tdlen(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_txdctl(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_dmatxctl(IXGBECore *c, uint32_t off, uint32_t val);

/* ixgbe_filter.c */
bool ixgbe_l2_accept(IXGBECore *c, const uint8_t *frame,
                     const IXGBEPktInfo *pi);
bool ixgbe_rss_hash(IXGBECore *c, const IXGBEPktInfo *pi, uint32_t *hash,
                    uint8_t *rsstype);
unsigned ixgbe_rss_queue(IXGBECore *c, uint32_t hash);
bool ixgbe_queue_filter(IXGBECore *c, const IXGBEPktInfo *pi, int *queue);
bool ixgbe_fdir_lookup(IXGBECore *c, const uint8_t *frame, size_t len,
                       const IXGBEPktInfo *pi, int *queue);
void ixgbe_fdir_clear(IXGBECore *c);
void ixgbe_w_fdirctrl(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_fdircmd(IXGBECore *c, uint32_t off, uint32_t val);
void ixgbe_w_rar(IXGBECore *c, uint32_t off, uint32_t val);
uint32_t ixgbe_r_ral_alias(IXGBECore *c, uint32_t off);
void ixgbe_w_ral_alias(IXGBECore *c, uint32_t off, uint32_t val);

/* ixgbe_faults.c */
void ixgbe_faults_init(IXGBECore *c, Object *owner);

/* ixgbe_pktgen.c */
void ixgbe_pktgen_init(IXGBECore *c, Object *owner);
void ixgbe_pktgen_realize(IXGBECore *c);
void ixgbe_pktgen_unrealize(IXGBECore *c);
void ixgbe_pktgen_fini(IXGBECore *c);
void ixgbe_pktgen_stop(IXGBECore *c);
void ixgbe_pktgen_settle(IXGBECore *c, bool delivered);
void ixgbe_pktgen_tx_seen(IXGBECore *c, const uint8_t *frame, size_t len);

#endif
