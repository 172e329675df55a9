/*
 * Intel 82599 10GbE controller model: register dispatch, reset, link and
 * interrupt logic.
 *
 * Every BAR0 offset is backed by c->mac[].  A static table names each
 * register the 82599 driver uses and attaches read/write handlers where the
 * hardware does more than store a value (self-clearing bits, read-to-clear
 * counters, write-1-to-clear causes, doorbells).  Offsets missing from the
 * table still store what is written, and are reported once as LOG_UNIMP.
 *
 * Section numbers refer to the Intel 82599 10 GbE Controller Datasheet
 * (331520), chapter 8.2.3 unless stated otherwise.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bitmap.h"
#include "qemu/host-utils.h"
#include "qemu/log.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "net/eth.h"
#include "ixgbe_core.h"
#include "trace.h"

typedef uint32_t (*IXGBEReadFn)(IXGBECore *c, uint32_t off);
typedef void (*IXGBEWriteFn)(IXGBECore *c, uint32_t off, uint32_t val);

typedef struct IXGBERegDesc {
    const char *name;
    uint32_t base;      /* byte offset of element 0 */
    uint16_t count;     /* number of elements */
    uint16_t stride;    /* bytes between elements */
    IXGBEReadFn read;   /* NULL: return the stored value */
    IXGBEWriteFn write; /* NULL: store the written value */
} IXGBERegDesc;

/* ---------------------------------------------------------------------- */
/* Generic handlers                                                        */

/* Read-only registers: the write is a guest mistake we ignore */
static void ixgbe_w_ro(IXGBECore *c, uint32_t off, uint32_t val)
{
    trace_ixgbe_wrn_ro_write(off, val);
}

/* 8.2.3.23: statistics registers clear on read */
static uint32_t ixgbe_r_rc(IXGBECore *c, uint32_t off)
{
    uint32_t v = ixgbe_reg(c, off);

    ixgbe_reg_set(c, off, 0);
    return v;
}

/* Write-only registers read back as zero */
static uint32_t ixgbe_r_zero(IXGBECore *c, uint32_t off)
{
    return 0;
}

/* ---------------------------------------------------------------------- */
/* General control                                                         */

/* 8.2.3.1.1 CTRL - Device Control Register */
static void ixgbe_w_ctrl(IXGBECore *c, uint32_t off, uint32_t val)
{
    /*
     * RST and LNK_RST complete before the driver's 1 ms poll ends, so they
     * are never observed set.  Both restore CSR defaults (4.6.3.2); the
     * PCI function, the NVM and the link itself survive.
     */
    if (val & (IXGBE_CTRL_RST | IXGBE_CTRL_LNK_RST)) {
        ixgbe_core_reset(c, val & IXGBE_CTRL_RST ? "CTRL.RST" : "CTRL.LNK_RST");
        return;
    }
    ixgbe_reg_set(c, IXGBE_CTRL, val);
}

static uint32_t ixgbe_r_ctrl(IXGBECore *c, uint32_t off)
{
    return ixgbe_reg(c, IXGBE_CTRL);
}

/* 8.2.3.1.2 STATUS - Device Status Register */
static uint32_t ixgbe_r_status(IXGBECore *c, uint32_t off)
{
    uint32_t v = 0;     /* LAN ID 0: this model is function 0 of one port */

    if (c->link_up) {
        v |= IXGBE_STATUS_LINKUP;
    }
    /*
     * GIO master enable status drops as soon as CTRL.GIO_DIS is set: the
     * model has no outstanding PCIe requests to wait for (5.2.5.3.2).
     */
    if (!(ixgbe_reg(c, IXGBE_CTRL) & IXGBE_CTRL_GIO_DIS)) {
        v |= IXGBE_STATUS_GIO;
    }
    return v;
}

/* ---------------------------------------------------------------------- */
/* EEPROM and firmware interface                                           */

#define IXGBE_EEC_RW_BITS (IXGBE_EEC_SK | IXGBE_EEC_CS | IXGBE_EEC_DI | \
                           (3u << 4) | IXGBE_EEC_REQ)

/* 8.2.3.2.1 EEC - EEPROM/Flash Control Register */
static uint32_t ixgbe_r_eec(IXGBECore *c, uint32_t off)
{
    /*
     * PRES and ARD: the NVM exists and was auto-read.  GNT is never given:
     * software bit-banging of the SPI part is not modelled, and the driver
     * then falls back to EERD for every read it needs.
     */
    return (ixgbe_reg(c, IXGBE_EEC) & IXGBE_EEC_RW_BITS) |
           IXGBE_EEC_PRES | IXGBE_EEC_ARD |
           (IXGBE_NVM_SIZE_FIELD << IXGBE_EEC_SIZE_SHIFT);
}

static void ixgbe_w_eec(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, IXGBE_EEC, val & IXGBE_EEC_RW_BITS);
}

/* 8.2.3.2.2 EERD - EEPROM Read Register */
static void ixgbe_w_eerd(IXGBECore *c, uint32_t off, uint32_t val)
{
    uint32_t addr = (val >> IXGBE_EERD_ADDR_SHIFT) & IXGBE_EERD_ADDR_MASK;
    uint16_t data = 0xffff;

    if (!(val & IXGBE_EERD_START)) {
        ixgbe_reg_set(c, IXGBE_EERD, val & ~IXGBE_EERD_DONE);
        return;
    }
    /* the read finishes at once; words past the part read as erased */
    if (addr < IXGBE_NVM_WORDS) {
        data = c->nvm[addr];
    } else {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "ixgbe: EERD word 0x%x beyond the %u-word NVM\n",
                      addr, IXGBE_NVM_WORDS);
    }
    trace_ixgbe_nvm_read(addr, data);
    ixgbe_reg_set(c, IXGBE_EERD, ((uint32_t)data << IXGBE_EERD_DATA_SHIFT) |
                  (addr << IXGBE_EERD_ADDR_SHIFT) | IXGBE_EERD_DONE);
}

/* 8.2.3.4.10 FWSM - Firmware Semaphore Register */
static uint32_t ixgbe_r_fwsm(IXGBECore *c, uint32_t off)
{
    /* valid firmware, no manageability mode, no error indication */
    return IXGBE_FWSM_FW_VAL;
}

/* 8.2.3.4.11 SW_FW_SYNC - Software-Firmware Synchronization */
static void ixgbe_w_sw_fw_sync(IXGBECore *c, uint32_t off, uint32_t val)
{
    /* there is no firmware, so its ownership bits never read as taken */
    ixgbe_reg_set(c, off, val & ~IXGBE_SW_FW_SYNC_FW_BITS);
}

/* 8.2.3.24.3 WUS - Wake Up Status Register (write 1 to clear) */
static void ixgbe_w_wus(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, ixgbe_reg(c, off) & ~val);
}

/* 8.2.3.12.2/8.2.3.12.6 SECTXSTAT/SECRXSTAT - Security Tx/Rx Status */
static uint32_t ixgbe_r_secstat(IXGBECore *c, uint32_t off)
{
    /*
     * Ready, and the IPsec engine fused off: the driver then keeps ESP
     * offload disabled instead of handing us unencrypted packets.
     */
    return IXGBE_SECSTAT_RDY | IXGBE_SECSTAT_OFF_DIS;
}

/* 8.2.3.8.8 RDRXCTL - Receive DMA Control Register */
static uint32_t ixgbe_r_rdrxctl(IXGBECore *c, uint32_t off)
{
    /* DMA init is instantaneous in the model */
    return ixgbe_reg(c, off) | IXGBE_RDRXCTL_DMAIDONE;
}

/* 8.2.3.26 TSYNCRXCTL/TSYNCTXCTL - Rx/Tx Time Sync Control */
static uint32_t ixgbe_r_tsyncctl(IXGBECore *c, uint32_t off)
{
    /* bit 0 (valid time stamp) stays clear: time stamping is not modelled */
    return ixgbe_reg(c, off) & ~1u;
}

/* ---------------------------------------------------------------------- */
/* MAC / link                                                              */

/* 8.2.3.22.11 MSCA - MDI Single Command and Address */
static void ixgbe_w_msca(IXGBECore *c, uint32_t off, uint32_t val)
{
    /*
     * No MDIO device sits on the bus of a backplane port; the command
     * completes at once and MSRWD returns 0, which reads as "no PHY".
     */
    ixgbe_reg_set(c, off, val & ~IXGBE_MSCA_MDI_COMMAND);
}

/* 8.2.3.22.12 MSRWD - MDI Single Read and Write Data */
static uint32_t ixgbe_r_msrwd(IXGBECore *c, uint32_t off)
{
    return ixgbe_reg(c, off) & 0xffff;
}

/* 8.2.3.22.19 AUTOC - Auto Negotiation Control Register */
static void ixgbe_w_autoc(IXGBECore *c, uint32_t off, uint32_t val)
{
    /* restart_AN is self clearing; negotiation "completes" immediately */
    ixgbe_reg_set(c, off, val & ~IXGBE_AUTOC_AN_RESTART);
}

/* 8.2.3.22.20 LINKS - Link Status Register */
static uint32_t ixgbe_r_links(IXGBECore *c, uint32_t off)
{
    return c->link_up ? IXGBE_LINKS_KX_AN_COMP | IXGBE_LINKS_UP |
                        IXGBE_LINKS_SPEED_10G : 0;
}

/* 8.2.3.22 LINKS2 - Link Status Register 2 */
static uint32_t ixgbe_r_links2(IXGBECore *c, uint32_t off)
{
    return c->link_up ? IXGBE_LINKS2_AN_SUPPORTED : 0;
}

/* 8.2.3.22.23 ANLP1 - Auto Negotiation Link Partner Link Control Word 1 */
static uint32_t ixgbe_r_anlp1(IXGBECore *c, uint32_t off)
{
    /*
     * A partner that finished KX/KR negotiation and advertises symmetric
     * and asymmetric pause; the driver polls AN_STATE after each AUTOC
     * write (pipeline reset) and resolves flow control from the pause bits.
     */
    return IXGBE_ANLP1_AN_STATE_1 | IXGBE_ANLP1_SYM_PAUSE |
           IXGBE_ANLP1_ASM_PAUSE;
}

/* ---------------------------------------------------------------------- */
/* 8.2.3.23 Statistics: 36-bit byte counters (GORC, GOTC, TOR, QBRC, QBTC) */

static uint32_t ixgbe_split36(uint64_t *acc, uint32_t *hi_latch)
{
    uint64_t v = *acc;

    *acc = 0;
    *hi_latch = (v >> 32) & 0xf;
    return (uint32_t)v;
}

static uint32_t ixgbe_r_gorcl(IXGBECore *c, uint32_t off)
{
    return ixgbe_split36(&c->gorc, &c->gorc_hi);
}

static uint32_t ixgbe_r_gorch(IXGBECore *c, uint32_t off)
{
    uint32_t v = c->gorc_hi;

    c->gorc_hi = 0;
    return v;
}

static uint32_t ixgbe_r_gotcl(IXGBECore *c, uint32_t off)
{
    return ixgbe_split36(&c->gotc, &c->gotc_hi);
}

static uint32_t ixgbe_r_gotch(IXGBECore *c, uint32_t off)
{
    uint32_t v = c->gotc_hi;

    c->gotc_hi = 0;
    return v;
}

static uint32_t ixgbe_r_torl(IXGBECore *c, uint32_t off)
{
    return ixgbe_split36(&c->tor, &c->tor_hi);
}

static uint32_t ixgbe_r_torh(IXGBECore *c, uint32_t off)
{
    uint32_t v = c->tor_hi;

    c->tor_hi = 0;
    return v;
}

/* QBRC_L/H(i) at 0x1034/0x1038 + 0x40*i */
static uint32_t ixgbe_r_qbrc_l(IXGBECore *c, uint32_t off)
{
    unsigned i = (off - IXGBE_QBRC_L0) / IXGBE_QUEUE_STRIDE;

    return ixgbe_split36(&c->qbrc[i], &c->qbrc_hi[i]);
}

static uint32_t ixgbe_r_qbrc_h(IXGBECore *c, uint32_t off)
{
    unsigned i = (off - IXGBE_QBRC_H0) / IXGBE_QUEUE_STRIDE;
    uint32_t v = c->qbrc_hi[i];

    c->qbrc_hi[i] = 0;
    return v;
}

/* QBTC_L/H(i) at 0x8700/0x8704 + 8*i */
static uint32_t ixgbe_r_qbtc_l(IXGBECore *c, uint32_t off)
{
    unsigned i = (off - IXGBE_QBTC_L0) / 8;

    return ixgbe_split36(&c->qbtc[i], &c->qbtc_hi[i]);
}

static uint32_t ixgbe_r_qbtc_h(IXGBECore *c, uint32_t off)
{
    unsigned i = (off - IXGBE_QBTC_H0) / 8;
    uint32_t v = c->qbtc_hi[i];

    c->qbtc_hi[i] = 0;
    return v;
}

/* ---------------------------------------------------------------------- */
/* Interrupts (7.3)                                                        */

static void ixgbe_msix_fire(IXGBECore *c, unsigned vector)
{
    if (vector >= IXGBE_MSIX_VECTORS) {
        qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: IVAR names vector %u\n",
                      vector);
        return;
    }
    trace_ixgbe_irq_msix(vector);
    msix_notify(c->owner, vector);
}

static uint32_t ixgbe_eitr_off(unsigned v)
{
    return v < 24 ? IXGBE_EITR_LO + 4 * v : IXGBE_EITR_HI + 4 * (v - 24);
}

/*
 * 8.2.3.5.12 EITR: a vector fires at most once per interval (bits 11:3,
 * 2 us units).  A cause that arrives sooner stays pending and the vector
 * fires when the interval has passed.  Interval 0 means no throttling.
 */
static bool ixgbe_eitr_defer(IXGBECore *c, unsigned v, int64_t now)
{
    uint32_t eitr = ixgbe_reg(c, ixgbe_eitr_off(v));
    int64_t ival = ((eitr & IXGBE_EITR_INTERVAL_MASK) >> 3) * 2 * SCALE_US;

    if (!ival) {
        return false;
    }
    if (now < c->eitr_next[v]) {
        if (!timer_pending(c->eitr_timer[v])) {
            trace_ixgbe_irq_throttled(v, c->eitr_next[v] - now);
            timer_mod(c->eitr_timer[v], c->eitr_next[v]);
        }
        return true;
    }
    c->eitr_next[v] = now + ival;
    return false;
}

static void ixgbe_eitr_expired(void *opaque)
{
    IXGBECore *c = opaque;
    bool guard = ixgbe_guard_engage(c);

    ixgbe_irq_update(c);
    ixgbe_guard_release(c, guard);
}

/*
 * 8.2.3.5.18 GPIE.MSIX_MODE picks the interrupt mode, not the PCI MSI-X
 * enable bit: a driver may enable MSI-X in config space and still run the
 * device in legacy mode, with one vector (DPDK's ixgbe PMD under vfio does
 * until it sets up per-queue interrupts).
 */
static bool ixgbe_msix_mode(IXGBECore *c)
{
    return ixgbe_reg(c, IXGBE_GPIE) & IXGBE_GPIE_MSIX_MODE;
}

/*
 * Deliver whatever became deliverable.  MSI-X mode (7.3.4): a vector fires
 * when it has an enabled cause not yet signalled; firing applies auto-mask
 * (GPIE.EIAME with EIAM) and auto-clear (EIAC for vectors 0..15, always for
 * 16..63, which have no EIAC bit).  The "other" causes use the vector in
 * IVAR_MISC.  Legacy mode: any enabled cause in EICR raises the one
 * interrupt, throttled by EITR[0]: MSI-X vector 0 or MSI (an edge, when
 * enabled in config space), else INTx (a level).
 */
void ixgbe_irq_update(IXGBECore *c)
{
    uint32_t gpie = ixgbe_reg(c, IXGBE_GPIE);
    uint32_t eiac = ixgbe_reg(c, IXGBE_EIAC);
    bool eiame = gpie & IXGBE_GPIE_EIAME;

    if (ixgbe_msix_mode(c)) {
        uint64_t pend = c->ex_cause & c->ex_mask & ~c->ex_signalled;
        uint32_t misc = c->misc_cause & c->misc_mask & ~c->misc_signalled;
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

        while (pend) {
            unsigned v = ctz64(pend);
            uint64_t bit = 1ull << v;

            pend &= ~bit;
            if (ixgbe_eitr_defer(c, v, now)) {
                continue;
            }
            if (eiame && (c->ex_automask & bit)) {
                c->ex_mask &= ~bit;
            }
            if (v >= 16 || (eiac & bit)) {
                c->ex_cause &= ~bit;
            } else {
                c->ex_signalled |= bit;
            }
            ixgbe_msix_fire(c, v);
        }

        if (misc) {
            uint32_t ent = (ixgbe_reg(c, IXGBE_IVAR_MISC) >> 8) & 0xff;

            if ((ent & IXGBE_IVAR_VALID) &&
                !ixgbe_eitr_defer(c, ent & IXGBE_IVAR_VECTOR_MASK, now)) {
                if (eiame) {
                    c->misc_mask &= ~(c->misc_automask & misc);
                }
                c->misc_cause &= ~(eiac & misc);
                c->misc_signalled |= misc & c->misc_cause;
                ixgbe_msix_fire(c, ent & IXGBE_IVAR_VECTOR_MASK);
            }
        }
        if (c->intx_level) {
            c->intx_level = false;
            pci_set_irq(c->owner, 0);
        }
        return;
    }

    {
        uint32_t eicr = (c->ex_cause & IXGBE_EICR_RTX_QUEUE) | c->misc_cause;
        uint32_t eims = (c->ex_mask & IXGBE_EICR_RTX_QUEUE) | c->misc_mask;
        bool level = (eicr & eims) != 0;
        bool edge = msix_enabled(c->owner) || msi_enabled(c->owner);

        if (level == c->intx_level) {
            return;
        }
        /* an edge waits out EITR[0]; the timer calls us back */
        if (level && edge &&
            ixgbe_eitr_defer(c, 0, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL))) {
            return;
        }
        c->intx_level = level;
        if (edge) {
            /*
             * MSI is an edge: one message when a cause becomes enabled.
             * The driver masks everything (EIMC) first thing in its
             * handler and unmasks at the end, which re-arms the edge.
             */
            if (level && msix_enabled(c->owner)) {
                ixgbe_msix_fire(c, 0);
            } else if (level) {
                trace_ixgbe_irq_msi();
                msi_notify(c->owner, 0);
            }
        } else {
            trace_ixgbe_irq_intx(level);
            pci_set_irq(c->owner, level);
        }
    }
}

/* Raise the cause an RX or TX queue maps to through IVAR (8.2.3.5.16) */
void ixgbe_irq_queue(IXGBECore *c, unsigned queue, bool tx)
{
    uint32_t ivar = ixgbe_reg(c, IXGBE_IVAR0 + 4 * (queue >> 1));
    unsigned shift = ((queue & 1) * 16) + (tx ? 8 : 0);
    uint32_t ent = (ivar >> shift) & 0xff;
    unsigned v;

    if (!(ent & IXGBE_IVAR_VALID)) {
        return;
    }
    v = ent & IXGBE_IVAR_VECTOR_MASK;
    /* in legacy mode the vector field picks an EICR bit, so only 0..15 */
    if (!ixgbe_msix_mode(c)) {
        v &= 0xf;
    }
    c->ex_cause |= 1ull << v;
    trace_ixgbe_irq_cause(queue, tx, v);
    ixgbe_irq_update(c);
}

void ixgbe_irq_misc(IXGBECore *c, uint32_t cause)
{
    c->misc_cause |= cause & IXGBE_EICR_MISC_MASK;
    trace_ixgbe_irq_misc(cause);
    ixgbe_irq_update(c);
}

static uint32_t ixgbe_eicr_value(IXGBECore *c)
{
    return (c->ex_cause & IXGBE_EICR_RTX_QUEUE) | c->misc_cause;
}

static void ixgbe_eicr_clear(IXGBECore *c, uint32_t bits)
{
    c->ex_cause &= ~(uint64_t)(bits & IXGBE_EICR_RTX_QUEUE);
    c->ex_signalled &= ~(uint64_t)(bits & IXGBE_EICR_RTX_QUEUE);
    c->misc_cause &= ~(bits & IXGBE_EICR_MISC_MASK);
    c->misc_signalled &= ~(bits & IXGBE_EICR_MISC_MASK);
}

/* 8.2.3.5.1 EICR - Extended Interrupt Cause Register (read clears) */
static uint32_t ixgbe_r_eicr(IXGBECore *c, uint32_t off)
{
    uint32_t v = ixgbe_eicr_value(c);

    ixgbe_eicr_clear(c, v);
    ixgbe_irq_update(c);
    return v;
}

static void ixgbe_w_eicr(IXGBECore *c, uint32_t off, uint32_t val)
{
    /* write 1 to clear */
    ixgbe_eicr_clear(c, val);
    ixgbe_irq_update(c);
}

/* 8.2.3.5.2 EICS - Extended Interrupt Cause Set Register */
static uint32_t ixgbe_r_eics(IXGBECore *c, uint32_t off)
{
    /* reads EICR without the read-to-clear side effect */
    return ixgbe_eicr_value(c);
}

static void ixgbe_w_eics(IXGBECore *c, uint32_t off, uint32_t val)
{
    c->ex_cause |= val & IXGBE_EICR_RTX_QUEUE;
    c->misc_cause |= val & IXGBE_EICR_MISC_MASK;
    ixgbe_irq_update(c);
}

/* 8.2.3.5.3 EIMS - Extended Interrupt Mask Set/Read Register */
static uint32_t ixgbe_r_eims(IXGBECore *c, uint32_t off)
{
    return (c->ex_mask & IXGBE_EICR_RTX_QUEUE) | c->misc_mask;
}

static void ixgbe_w_eims(IXGBECore *c, uint32_t off, uint32_t val)
{
    /* re-enabling a cause re-arms it: a pending cause fires now */
    c->ex_mask |= val & IXGBE_EICR_RTX_QUEUE;
    c->ex_signalled &= ~(uint64_t)(val & IXGBE_EICR_RTX_QUEUE);
    c->misc_mask |= val & IXGBE_EICR_MISC_MASK;
    c->misc_signalled &= ~(val & IXGBE_EICR_MISC_MASK);
    ixgbe_irq_update(c);
}

/* 8.2.3.5.4 EIMC - Extended Interrupt Mask Clear Register */
static void ixgbe_w_eimc(IXGBECore *c, uint32_t off, uint32_t val)
{
    c->ex_mask &= ~(uint64_t)(val & IXGBE_EICR_RTX_QUEUE);
    c->misc_mask &= ~(val & IXGBE_EICR_MISC_MASK);
    ixgbe_irq_update(c);
}

/* 8.2.3.5.6 EIAM - Extended Interrupt Auto Mask Enable Register */
static uint32_t ixgbe_r_eiam(IXGBECore *c, uint32_t off)
{
    return (c->ex_automask & IXGBE_EICR_RTX_QUEUE) | c->misc_automask;
}

static void ixgbe_w_eiam(IXGBECore *c, uint32_t off, uint32_t val)
{
    c->ex_automask = (c->ex_automask & ~(uint64_t)IXGBE_EICR_RTX_QUEUE) |
                     (val & IXGBE_EICR_RTX_QUEUE);
    c->misc_automask = val & IXGBE_EICR_MISC_MASK;
}

static unsigned ixgbe_ex_shift(uint32_t off, uint32_t base)
{
    return ((off - base) / 4) * 32;
}

/* 8.2.3.5.7 EICS[n] - Extended Interrupt Cause Set Registers */
static uint32_t ixgbe_r_eics_ex(IXGBECore *c, uint32_t off)
{
    return c->ex_cause >> ixgbe_ex_shift(off, IXGBE_EICS_EX0);
}

static void ixgbe_w_eics_ex(IXGBECore *c, uint32_t off, uint32_t val)
{
    c->ex_cause |= (uint64_t)val << ixgbe_ex_shift(off, IXGBE_EICS_EX0);
    ixgbe_irq_update(c);
}

/* 8.2.3.5.8 EIMS[n] - Extended Interrupt Mask Set/Read Registers */
static uint32_t ixgbe_r_eims_ex(IXGBECore *c, uint32_t off)
{
    return c->ex_mask >> ixgbe_ex_shift(off, IXGBE_EIMS_EX0);
}

static void ixgbe_w_eims_ex(IXGBECore *c, uint32_t off, uint32_t val)
{
    uint64_t bits = (uint64_t)val << ixgbe_ex_shift(off, IXGBE_EIMS_EX0);

    /* NAPI completion lands here; a cause latched meanwhile fires now */
    c->ex_mask |= bits;
    c->ex_signalled &= ~bits;
    ixgbe_irq_update(c);
}

/* 8.2.3.5.9 EIMC[n] - Extended Interrupt Mask Clear Registers */
static void ixgbe_w_eimc_ex(IXGBECore *c, uint32_t off, uint32_t val)
{
    c->ex_mask &= ~((uint64_t)val << ixgbe_ex_shift(off, IXGBE_EIMC_EX0));
    ixgbe_irq_update(c);
}

/* 8.2.3.5.10 EIAM[n] - Extended Interrupt Auto Mask Enable Registers */
static uint32_t ixgbe_r_eiam_ex(IXGBECore *c, uint32_t off)
{
    return c->ex_automask >> ixgbe_ex_shift(off, IXGBE_EIAM_EX0);
}

static void ixgbe_w_eiam_ex(IXGBECore *c, uint32_t off, uint32_t val)
{
    unsigned sh = ixgbe_ex_shift(off, IXGBE_EIAM_EX0);

    c->ex_automask = (c->ex_automask & ~(0xffffffffull << sh)) |
                     ((uint64_t)val << sh);
}

/*
 * 8.2.3.5.16 IVAR, 8.2.3.5.17 IVAR_MISC, 8.2.3.5.18 GPIE: storage, but a
 * cause that waited for a vector assignment or for MSI-X mode may now go.
 */
static void ixgbe_w_irq_routing(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, val);
    ixgbe_irq_update(c);
}

/* ---------------------------------------------------------------------- */
/* The register table                                                      */

#define R1(n, o, r, w)          { n, o, 1, 4, r, w }
#define RN(n, o, cnt, st, r, w) { n, o, cnt, st, r, w }
#define S1(n, o)                R1(n, o, NULL, NULL)
#define SN(n, o, cnt, st)       RN(n, o, cnt, st, NULL, NULL)
#define RC1(n, o)               R1(n, o, ixgbe_r_rc, ixgbe_w_ro)
#define RCN(n, o, cnt, st)      RN(n, o, cnt, st, ixgbe_r_rc, ixgbe_w_ro)
/* RX queues 0..63 and 64..127 live in two banks with the same layout */
#define RXQ_LO(n, reg, r, w) \
    RN(n, IXGBE_RXQ_BASE_LO + (reg), 64, IXGBE_QUEUE_STRIDE, r, w)
#define RXQ_HI(n, reg, r, w) \
    RN(n, IXGBE_RXQ_BASE_HI + (reg), 64, IXGBE_QUEUE_STRIDE, r, w)
#define TXQ(n, reg, r, w) \
    RN(n, IXGBE_TXQ_BASE + (reg), 128, IXGBE_QUEUE_STRIDE, r, w)

static const IXGBERegDesc ixgbe_regs[] = {
    /* 8.2.3.1 General control */
    R1("CTRL", IXGBE_CTRL, ixgbe_r_ctrl, ixgbe_w_ctrl),
    R1("CTRL", IXGBE_CTRL_ALIAS, ixgbe_r_ctrl, ixgbe_w_ctrl),
    R1("STATUS", IXGBE_STATUS, ixgbe_r_status, ixgbe_w_ro),
    S1("CTRL_EXT", IXGBE_CTRL_EXT),
    S1("ESDP", IXGBE_ESDP),
    S1("I2CCTL", IXGBE_I2CCTL),
    S1("LEDCTL", IXGBE_LEDCTL),
    S1("TSSDP", IXGBE_TSSDP),

    /* 8.2.3.2 EEPROM/flash */
    R1("EEC", IXGBE_EEC, ixgbe_r_eec, ixgbe_w_eec),
    R1("EERD", IXGBE_EERD, NULL, ixgbe_w_eerd),
    S1("EEWR", IXGBE_EEWR),
    S1("FLA", IXGBE_FLA),
    S1("EEMNGCTL", IXGBE_EEMNGCTL),
    S1("EEMNGDATA", IXGBE_EEMNGDATA),
    S1("FLMNGCTL", IXGBE_FLMNGCTL),
    S1("FLMNGDATA", IXGBE_FLMNGDATA),
    S1("FLMNGCNT", IXGBE_FLMNGCNT),
    S1("FLOP", IXGBE_FLOP),

    /* 8.2.3.4 PCIe and firmware interface */
    S1("GCR", IXGBE_GCR),
    S1("GCR_EXT", IXGBE_GCR_EXT),
    S1("PBACL", IXGBE_PBACL),
    S1("DCA_ID", IXGBE_DCA_ID),
    S1("DCA_CTRL", IXGBE_DCA_CTRL),
    S1("SWSM", IXGBE_SWSM),
    R1("FWSM", IXGBE_FWSM, ixgbe_r_fwsm, ixgbe_w_ro),
    S1("FACTPS", IXGBE_FACTPS),
    R1("SW_FW_SYNC", IXGBE_SW_FW_SYNC, NULL, ixgbe_w_sw_fw_sync),
    S1("MANC", IXGBE_MANC),
    S1("MMNGC", IXGBE_MMNGC),
    S1("HICR", IXGBE_HICR),
    S1("FWSTS", IXGBE_FWSTS),
    SN("FLEX_MNG", IXGBE_FLEX_MNG, 448, 4),
    S1("CORECTL", IXGBE_CORECTL),

    /* 8.2.3.5 Interrupts */
    R1("EICR", IXGBE_EICR, ixgbe_r_eicr, ixgbe_w_eicr),
    R1("EICS", IXGBE_EICS, ixgbe_r_eics, ixgbe_w_eics),
    S1("EIAC", IXGBE_EIAC),
    SN("EITR", IXGBE_EITR_LO, 24, 4),
    SN("EITR", IXGBE_EITR_HI, 40, 4),
    R1("EIMS", IXGBE_EIMS, ixgbe_r_eims, ixgbe_w_eims),
    R1("EIMC", IXGBE_EIMC, ixgbe_r_zero, ixgbe_w_eimc),
    R1("EIAM", IXGBE_EIAM, ixgbe_r_eiam, ixgbe_w_eiam),
    S1("EITRSEL", IXGBE_EITRSEL),
    R1("GPIE", IXGBE_GPIE, NULL, ixgbe_w_irq_routing),
    RN("IVAR", IXGBE_IVAR0, 64, 4, NULL, ixgbe_w_irq_routing),
    R1("IVAR_MISC", IXGBE_IVAR_MISC, NULL, ixgbe_w_irq_routing),
    RN("EICS_EX", IXGBE_EICS_EX0, 2, 4, ixgbe_r_eics_ex, ixgbe_w_eics_ex),
    RN("EIMS_EX", IXGBE_EIMS_EX0, 2, 4, ixgbe_r_eims_ex, ixgbe_w_eims_ex),
    RN("EIMC_EX", IXGBE_EIMC_EX0, 2, 4, ixgbe_r_zero, ixgbe_w_eimc_ex),
    RN("EIAM_EX", IXGBE_EIAM_EX0, 2, 4, ixgbe_r_eiam_ex, ixgbe_w_eiam_ex),
    SN("RSCINT", IXGBE_RSCINT0, 64, 4),

    /* 8.2.3.7 Receive filters */
    S1("RXCSUM", IXGBE_RXCSUM),
    S1("RFCTL", IXGBE_RFCTL),
    S1("FCTRL", IXGBE_FCTRL),
    S1("VLNCTRL", IXGBE_VLNCTRL),
    S1("MCSTCTRL", IXGBE_MCSTCTRL),
    S1("MRQC", IXGBE_MRQC),
    S1("RQTC", 0x0EC70),
    SN("MTA", IXGBE_MTA0, 128, 4),
    RN("RAL_RAH", IXGBE_RAL_LO0, 32, 4, ixgbe_r_ral_alias, ixgbe_w_ral_alias),
    RN("RAL_RAH", IXGBE_RAL0, 256, 4, NULL, ixgbe_w_rar),
    SN("MPSAR", IXGBE_MPSAR0, 256, 4),
    SN("VFTA", IXGBE_VFTA0, 128, 4),
    SN("PSRTYPE", IXGBE_PSRTYPE0, 16, 4),
    SN("PSRTYPE", 0x0EA00, 64, 4),
    SN("RETA", IXGBE_RETA0, 32, 4),
    SN("RSSRK", IXGBE_RSSRK0, 10, 4),
    SN("ERETA", 0x0EE80, 96, 4),
    SN("ETQF", IXGBE_ETQF0, 8, 4),
    SN("ETQS", IXGBE_ETQS0, 8, 4),
    S1("PFVTCTL", IXGBE_PFVTCTL),
    SN("PFVFRE", IXGBE_PFVFRE0, 2, 4),
    SN("PFVFTE", 0x08110, 2, 4),
    SN("PFVML2FLT", IXGBE_PFVML2FLT0, 64, 4),
    SN("PFVLVF", IXGBE_PFVLVF0, 64, 4),
    SN("PFVLVFB", IXGBE_PFVLVFB0, 128, 4),
    SN("PFUTA", IXGBE_PFUTA0, 128, 4),
    SN("SAQF", IXGBE_SAQF0, 128, 4),
    SN("DAQF", IXGBE_DAQF0, 128, 4),
    SN("SDPQF", IXGBE_SDPQF0, 128, 4),
    SN("FTQF", IXGBE_FTQF0, 128, 4),
    SN("L34T_IMIR", IXGBE_L34T_IMIR0, 128, 4),
    S1("SYNQF", IXGBE_SYNQF),
    S1("RXFECCERR0", IXGBE_RXFECCERR0),
    S1("WUC", IXGBE_WUC),
    S1("WUFC", IXGBE_WUFC),
    R1("WUS", IXGBE_WUS, NULL, ixgbe_w_wus),
    S1("IPAV", IXGBE_IPAV),
    SN("IP4AT", IXGBE_IP4AT, 8, 4),
    SN("IP6AT", IXGBE_IP6AT, 4, 4),
    SN("FHFT", IXGBE_FHFT0, 256, 4),
    SN("FHFT_EXT", 0x09800, 128, 4),

    /* 8.2.3.8 Receive DMA */
    RXQ_LO("RDBAL", IXGBE_RXQ_RDBAL, NULL, ixgbe_w_rdbal),
    RXQ_HI("RDBAL", IXGBE_RXQ_RDBAL, NULL, ixgbe_w_rdbal),
    RXQ_LO("RDBAH", IXGBE_RXQ_RDBAH, NULL, NULL),
    RXQ_HI("RDBAH", IXGBE_RXQ_RDBAH, NULL, NULL),
    RXQ_LO("RDLEN", IXGBE_RXQ_RDLEN, NULL, ixgbe_w_rdlen),
    RXQ_HI("RDLEN", IXGBE_RXQ_RDLEN, NULL, ixgbe_w_rdlen),
    RXQ_LO("DCA_RXCTRL", IXGBE_RXQ_DCA_RXCTRL, NULL, NULL),
    RXQ_HI("DCA_RXCTRL", IXGBE_RXQ_DCA_RXCTRL, NULL, NULL),
    RXQ_LO("RDH", IXGBE_RXQ_RDH, NULL, NULL),
    RXQ_HI("RDH", IXGBE_RXQ_RDH, NULL, NULL),
    RXQ_LO("SRRCTL", IXGBE_RXQ_SRRCTL, NULL, NULL),
    RXQ_HI("SRRCTL", IXGBE_RXQ_SRRCTL, NULL, NULL),
    RXQ_LO("RDT", IXGBE_RXQ_RDT, NULL, ixgbe_w_rdt),
    RXQ_HI("RDT", IXGBE_RXQ_RDT, NULL, ixgbe_w_rdt),
    RXQ_LO("RXDCTL", IXGBE_RXQ_RXDCTL, NULL, ixgbe_w_rxdctl),
    RXQ_HI("RXDCTL", IXGBE_RXQ_RXDCTL, NULL, ixgbe_w_rxdctl),
    RXQ_LO("RSCCTL", IXGBE_RXQ_RSCCTL, NULL, NULL),
    RXQ_HI("RSCCTL", IXGBE_RXQ_RSCCTL, NULL, NULL),
    RN("SRRCTL", IXGBE_SRRCTL_ALIAS0, 16, 4,
       ixgbe_r_srrctl_alias, ixgbe_w_srrctl_alias),
    SN("DCA_RXCTRL", IXGBE_DCA_RXCTRL_ALIAS0, 16, 4),
    SN("RQSMR", IXGBE_RQSMR0, 32, 4),
    R1("RDRXCTL", IXGBE_RDRXCTL, ixgbe_r_rdrxctl, NULL),
    S1("PFQDE", IXGBE_PFQDE),
    R1("RXCTRL", IXGBE_RXCTRL, NULL, ixgbe_w_rxctrl),
    S1("RSCDBU", IXGBE_RSCDBU),
    SN("RXPBSIZE", IXGBE_RXPBSIZE0, 8, 4),
    S1("DRECCCTL", IXGBE_DRECCCTL),

    /* 8.2.3.9 Transmit DMA */
    TXQ("TDBAL", IXGBE_TXQ_TDBAL, NULL, ixgbe_w_tdbal),
    TXQ("TDBAH", IXGBE_TXQ_TDBAH, NULL, NULL),
    TXQ("TDLEN", IXGBE_TXQ_TDLEN, NULL, ixgbe_w_tdlen),
    TXQ("DCA_TXCTRL", IXGBE_TXQ_DCA_TXCTRL, NULL, NULL),
    TXQ("TDH", IXGBE_TXQ_TDH, NULL, NULL),
    TXQ("TDT", IXGBE_TXQ_TDT, NULL, ixgbe_w_tdt),
    TXQ("TXDCTL", IXGBE_TXQ_TXDCTL, NULL, ixgbe_w_txdctl),
    TXQ("TDWBAL", IXGBE_TXQ_TDWBAL, NULL, NULL),
    TXQ("TDWBAH", IXGBE_TXQ_TDWBAH, NULL, NULL),
    S1("DTXMXSZRQ", IXGBE_DTXMXSZRQ),
    S1("MTQC", IXGBE_MTQC),
    SN("TQSM", IXGBE_TQSM0, 32, 4),
    R1("DMATXCTL", IXGBE_DMATXCTL, NULL, ixgbe_w_dmatxctl),
    S1("DTXTCPFLGL", IXGBE_DTXTCPFLGL),
    S1("DTXTCPFLGH", IXGBE_DTXTCPFLGH),
    SN("TXPBSIZE", IXGBE_TXPBSIZE0, 8, 4),
    SN("TXPBTHRESH", IXGBE_TXPBTHRESH0, 8, 4),
    S1("MNGTXMAP", IXGBE_MNGTXMAP),
    S1("PFDTXGSWC", IXGBE_PFDTXGSWC),

    /* 8.2.3.10 DCB (storage: one traffic class is all the model does) */
    S1("RTRPCS", IXGBE_RTRPCS),
    S1("RTRUP2TC", IXGBE_RTRUP2TC),
    SN("RTRPT4C", IXGBE_RTRPT4C0, 8, 4),
    SN("RTRPT4S", 0x02160, 8, 4),
    S1("RTTDCS", IXGBE_RTTDCS),
    S1("RTTDQSEL", IXGBE_RTTDQSEL),
    S1("RTTDT1C", IXGBE_RTTDT1C),
    SN("RTTDT2C", IXGBE_RTTDT2C0, 8, 4),
    S1("RTTBCNRC", IXGBE_RTTBCNRC),
    S1("RTTPCS", IXGBE_RTTPCS),
    SN("RTTPT2C", IXGBE_RTTPT2C0, 8, 4),
    S1("RTTUP2TC", IXGBE_RTTUP2TC),
    S1("PFCTOP", IXGBE_PFCTOP),

    /* 8.2.3.3 Flow control */
    SN("FCTTV", IXGBE_FCTTV0, 4, 4),
    SN("FCRTL", IXGBE_FCRTL0, 8, 4),
    SN("FCRTH", IXGBE_FCRTH0, 8, 4),
    S1("FCRTV", IXGBE_FCRTV),
    S1("FCCFG", IXGBE_FCCFG),
    S1("MFLCN", IXGBE_MFLCN),

    /* 8.2.3.12 Security */
    S1("SECTXCTRL", IXGBE_SECTXCTRL),
    R1("SECTXSTAT", IXGBE_SECTXSTAT, ixgbe_r_secstat, ixgbe_w_ro),
    S1("SECTXBUFFAF", IXGBE_SECTXBUFFAF),
    S1("SECTXMINIFG", IXGBE_SECTXMINIFG),
    S1("SECRXCTRL", IXGBE_SECRXCTRL),
    R1("SECRXSTAT", IXGBE_SECRXSTAT, ixgbe_r_secstat, ixgbe_w_ro),

    /* 8.2.3.21 Flow Director */
    R1("FDIRCTRL", IXGBE_FDIRCTRL, NULL, ixgbe_w_fdirctrl),
    SN("FDIRSIPv6", IXGBE_FDIRSIPV6_0, 3, 4),
    S1("FDIRIPSA", IXGBE_FDIRIPSA),
    S1("FDIRIPDA", IXGBE_FDIRIPDA),
    S1("FDIRPORT", IXGBE_FDIRPORT),
    S1("FDIRVLAN", IXGBE_FDIRVLAN),
    S1("FDIRHASH", IXGBE_FDIRHASH),
    R1("FDIRCMD", IXGBE_FDIRCMD, NULL, ixgbe_w_fdircmd),
    S1("FDIRFREE", IXGBE_FDIRFREE),
    S1("FDIRDIP4M", IXGBE_FDIRDIP4M),
    S1("FDIRSIP4M", IXGBE_FDIRSIP4M),
    S1("FDIRTCPM", IXGBE_FDIRTCPM),
    S1("FDIRUDPM", IXGBE_FDIRUDPM),
    RC1("FDIRLEN", IXGBE_FDIRLEN),
    RC1("FDIRUSTAT", IXGBE_FDIRUSTAT),
    RC1("FDIRFSTAT", IXGBE_FDIRFSTAT),
    RC1("FDIRMATCH", IXGBE_FDIRMATCH),
    RC1("FDIRMISS", IXGBE_FDIRMISS),
    S1("FDIRHKEY", IXGBE_FDIRHKEY),
    S1("FDIRSKEY", IXGBE_FDIRSKEY),
    S1("FDIRM", IXGBE_FDIRM),
    S1("FDIRIP6M", IXGBE_FDIRIP6M),

    /* 8.2.3.22 MAC */
    S1("PCS1GCFIG", IXGBE_PCS1GCFIG),
    S1("PCS1GLCTL", IXGBE_PCS1GLCTL),
    S1("PCS1GLSTA", IXGBE_PCS1GLSTA),
    S1("PCS1GANA", IXGBE_PCS1GANA),
    S1("PCS1GANLP", IXGBE_PCS1GANLP),
    S1("HLREG0", IXGBE_HLREG0),
    S1("HLREG1", IXGBE_HLREG1),
    S1("PAP", IXGBE_PAP),
    R1("MSCA", IXGBE_MSCA, NULL, ixgbe_w_msca),
    R1("MSRWD", IXGBE_MSRWD, ixgbe_r_msrwd, NULL),
    S1("MAXFRS", IXGBE_MAXFRS),
    R1("AUTOC", IXGBE_AUTOC, NULL, ixgbe_w_autoc),
    R1("LINKS", IXGBE_LINKS, ixgbe_r_links, ixgbe_w_ro),
    S1("AUTOC2", IXGBE_AUTOC2),
    S1("AUTOC3", IXGBE_AUTOC3),
    R1("ANLP1", IXGBE_ANLP1, ixgbe_r_anlp1, ixgbe_w_ro),
    S1("ANLP2", IXGBE_ANLP2),
    S1("MACC", IXGBE_MACC),
    R1("LINKS2", IXGBE_LINKS2, ixgbe_r_links2, ixgbe_w_ro),

    /* 8.2.3.23 Statistics (read to clear) */
    RC1("CRCERRS", IXGBE_CRCERRS),
    RC1("ILLERRC", IXGBE_ILLERRC),
    RC1("ERRBC", IXGBE_ERRBC),
    RC1("MSPDC", IXGBE_MSPDC),
    RCN("MPC", IXGBE_MPC0, 8, 4),
    RC1("MLFC", IXGBE_MLFC),
    RC1("MRFC", IXGBE_MRFC),
    RC1("RLEC", IXGBE_RLEC),
    RC1("SSVPC", IXGBE_SSVPC),
    RC1("LXONTXC", IXGBE_LXONTXC),
    RC1("LXOFFTXC", IXGBE_LXOFFTXC),
    RC1("LXONRXCNT", IXGBE_LXONRXCNT),
    RC1("LXOFFRXCNT", IXGBE_LXOFFRXCNT),
    RCN("PXONTXC", IXGBE_PXONTXC0, 8, 4),
    RCN("PXOFFTXC", IXGBE_PXOFFTXC0, 8, 4),
    RCN("PXONRXCNT", IXGBE_PXONRXCNT0, 8, 4),
    RCN("PXOFFRXCNT", IXGBE_PXOFFRXCNT0, 8, 4),
    RCN("PXON2OFFCNT", IXGBE_PXON2OFFCNT0, 8, 4),
    RC1("PRC64", IXGBE_PRC64),
    RC1("PRC127", IXGBE_PRC127),
    RC1("PRC255", IXGBE_PRC255),
    RC1("PRC511", IXGBE_PRC511),
    RC1("PRC1023", IXGBE_PRC1023),
    RC1("PRC1522", IXGBE_PRC1522),
    RC1("GPRC", IXGBE_GPRC),
    RC1("BPRC", IXGBE_BPRC),
    RC1("MPRC", IXGBE_MPRC),
    RC1("GPTC", IXGBE_GPTC),
    R1("GORCL", IXGBE_GORCL, ixgbe_r_gorcl, ixgbe_w_ro),
    R1("GORCH", IXGBE_GORCH, ixgbe_r_gorch, ixgbe_w_ro),
    R1("GOTCL", IXGBE_GOTCL, ixgbe_r_gotcl, ixgbe_w_ro),
    R1("GOTCH", IXGBE_GOTCH, ixgbe_r_gotch, ixgbe_w_ro),
    RC1("RXNFGPC", IXGBE_RXNFGPC),
    RC1("RXNFGBCL", IXGBE_RXNFGBCL),
    RC1("RXNFGBCH", IXGBE_RXNFGBCH),
    RC1("RXDGPC", IXGBE_RXDGPC),
    RC1("RXDGBCL", IXGBE_RXDGBCL),
    RC1("RXDGBCH", IXGBE_RXDGBCH),
    RC1("RXDDGPC", IXGBE_RXDDGPC),
    RC1("RXDDGBCL", IXGBE_RXDDGBCL),
    RC1("RXDDGBCH", IXGBE_RXDDGBCH),
    RC1("RXLPBKGPC", IXGBE_RXLPBKGPC),
    RC1("RXLPBKGBCL", IXGBE_RXLPBKGBCL),
    RC1("RXLPBKGBCH", IXGBE_RXLPBKGBCH),
    RC1("RXDLPBKGPC", IXGBE_RXDLPBKGPC),
    RC1("RXDLPBKGBCL", IXGBE_RXDLPBKGBCL),
    RC1("RXDLPBKGBCH", IXGBE_RXDLPBKGBCH),
    RC1("TXDGPC", IXGBE_TXDGPC),
    RC1("TXDGBCL", IXGBE_TXDGBCL),
    RC1("TXDGBCH", IXGBE_TXDGBCH),
    RC1("RUC", IXGBE_RUC),
    RC1("RFC", IXGBE_RFC),
    RC1("ROC", IXGBE_ROC),
    RC1("RJC", IXGBE_RJC),
    RC1("MNGPRC", IXGBE_MNGPRC),
    RC1("MNGPDC", IXGBE_MNGPDC),
    RC1("MNGPTC", IXGBE_MNGPTC),
    R1("TORL", IXGBE_TORL, ixgbe_r_torl, ixgbe_w_ro),
    R1("TORH", IXGBE_TORH, ixgbe_r_torh, ixgbe_w_ro),
    RC1("TPR", IXGBE_TPR),
    RC1("TPT", IXGBE_TPT),
    RC1("PTC64", IXGBE_PTC64),
    RC1("PTC127", IXGBE_PTC127),
    RC1("PTC255", IXGBE_PTC255),
    RC1("PTC511", IXGBE_PTC511),
    RC1("PTC1023", IXGBE_PTC1023),
    RC1("PTC1522", IXGBE_PTC1522),
    RC1("MPTC", IXGBE_MPTC),
    RC1("BPTC", IXGBE_BPTC),
    RC1("XEC", IXGBE_XEC),
    RC1("FCCRC", IXGBE_FCCRC),
    RC1("FCOERPDC", IXGBE_FCOERPDC),
    RC1("FCLAST", IXGBE_FCLAST),
    RC1("FCOEPRC", IXGBE_FCOEPRC),
    RC1("FCOEDWRC", IXGBE_FCOEDWRC),
    RC1("FCOEPTC", IXGBE_FCOEPTC),
    RC1("FCOEDWTC", IXGBE_FCOEDWTC),
    RCN("QPRC", IXGBE_QPRC0, 16, IXGBE_QUEUE_STRIDE),
    RN("QBRC_L", IXGBE_QBRC_L0, 16, IXGBE_QUEUE_STRIDE,
       ixgbe_r_qbrc_l, ixgbe_w_ro),
    RN("QBRC_H", IXGBE_QBRC_H0, 16, IXGBE_QUEUE_STRIDE,
       ixgbe_r_qbrc_h, ixgbe_w_ro),
    RCN("QPRDC", IXGBE_QPRDC0, 16, IXGBE_QUEUE_STRIDE),
    RCN("QPTC", IXGBE_QPTC0, 16, IXGBE_QUEUE_STRIDE),
    RN("QBTC_L", IXGBE_QBTC_L0, 16, 8, ixgbe_r_qbtc_l, ixgbe_w_ro),
    RN("QBTC_H", IXGBE_QBTC_H0, 16, 8, ixgbe_r_qbtc_h, ixgbe_w_ro),

    /* 8.2.3.26 Time sync (the PTP clock does not run) */
    R1("TSYNCRXCTL", IXGBE_TSYNCRXCTL, ixgbe_r_tsyncctl, NULL),
    S1("RXSTMPL", IXGBE_RXSTMPL),
    S1("RXSTMPH", IXGBE_RXSTMPH),
    S1("RXSATRL", IXGBE_RXSATRL),
    S1("RXSATRH", IXGBE_RXSATRH),
    S1("RXMTRL", IXGBE_RXMTRL),
    R1("TSYNCTXCTL", IXGBE_TSYNCTXCTL, ixgbe_r_tsyncctl, NULL),
    S1("TXSTMPL", IXGBE_TXSTMPL),
    S1("TXSTMPH", IXGBE_TXSTMPH),
    S1("SYSTIML", IXGBE_SYSTIML),
    S1("SYSTIMH", IXGBE_SYSTIMH),
    S1("TIMINCA", IXGBE_TIMINCA),
    S1("TIMADJL", IXGBE_TIMADJL),
    S1("TIMADJH", IXGBE_TIMADJH),
    S1("TSAUXC", IXGBE_TSAUXC),
    SN("TRGTTIM_AUX", IXGBE_TRGTTIML0, 10, 4),
};

/*
 * Offset -> table index + 1 (0: not in the table), built once.  One u16 per
 * dword of BAR0 keeps the lookup O(1) for the per-packet doorbells.
 */
static uint16_t ixgbe_reg_index[IXGBE_MMIO_SIZE / 4];

static void ixgbe_build_reg_index(void)
{
    static bool built;
    size_t i;

    if (built) {
        return;
    }
    QEMU_BUILD_BUG_ON(ARRAY_SIZE(ixgbe_regs) >= UINT16_MAX);
    for (i = 0; i < ARRAY_SIZE(ixgbe_regs); i++) {
        const IXGBERegDesc *d = &ixgbe_regs[i];
        unsigned n;

        for (n = 0; n < d->count; n++) {
            uint32_t off = d->base + n * d->stride;

            assert(off < IXGBE_MMIO_SIZE && !(off & 3));
            assert(!ixgbe_reg_index[off >> 2]);
            ixgbe_reg_index[off >> 2] = i + 1;
        }
    }
    built = true;
}

static const IXGBERegDesc *ixgbe_reg_desc(uint32_t off, unsigned *elem)
{
    uint16_t idx = ixgbe_reg_index[off >> 2];
    const IXGBERegDesc *d;

    if (!idx) {
        return NULL;
    }
    d = &ixgbe_regs[idx - 1];
    *elem = d->stride ? (off - d->base) / d->stride : 0;
    return d;
}

static void ixgbe_log_unimp(IXGBECore *c, uint32_t off, bool write,
                            uint32_t val)
{
    if (write) {
        trace_ixgbe_wrn_unimp_write(off, val);
    } else {
        trace_ixgbe_wrn_unimp_read(off);
    }
    if (!test_and_set_bit(off >> 2, c->unimp_logged)) {
        qemu_log_mask(LOG_UNIMP, "ixgbe: unimplemented register 0x%05x "
                      "(first %s), treated as storage\n",
                      off, write ? "write" : "read");
    }
}

uint64_t ixgbe_core_read(IXGBECore *c, hwaddr addr, unsigned size)
{
    uint32_t off = addr & (IXGBE_MMIO_SIZE - 4);
    const IXGBERegDesc *d;
    unsigned elem = 0;
    uint32_t val;

    d = ixgbe_reg_desc(off, &elem);
    if (!d) {
        ixgbe_log_unimp(c, off, false, 0);
        val = ixgbe_reg(c, off);
    } else {
        val = d->read ? d->read(c, off) : ixgbe_reg(c, off);
    }
    trace_ixgbe_mmio_read(off, d ? d->name : "?", elem, val);
    return val;
}

void ixgbe_core_write(IXGBECore *c, hwaddr addr, uint64_t val64,
                      unsigned size)
{
    uint32_t off = addr & (IXGBE_MMIO_SIZE - 4);
    uint32_t val = val64;
    const IXGBERegDesc *d;
    unsigned elem = 0;

    d = ixgbe_reg_desc(off, &elem);
    trace_ixgbe_mmio_write(off, d ? d->name : "?", elem, val);
    if (!d) {
        ixgbe_log_unimp(c, off, true, val);
        ixgbe_reg_set(c, off, val);
    } else if (d->write) {
        d->write(c, off, val);
    } else {
        ixgbe_reg_set(c, off, val);
    }
}

/* ---------------------------------------------------------------------- */
/* Reset, link and lifecycle                                               */

/*
 * Power-on values of the registers that do not reset to zero (chapter 8
 * register tables; the RXPBSIZE/VLNCTRL values are ones the driver reads
 * before it programs them).
 */
static void ixgbe_set_defaults(IXGBECore *c)
{
    unsigned q;

    memset(c->mac, 0, sizeof(c->mac));

    ixgbe_reg_set(c, IXGBE_EEC, IXGBE_EEC_FWE_DIS);
    ixgbe_reg_set(c, IXGBE_AUTOC, ixgbe_nvm_autoc_default(c->device_id));
    ixgbe_reg_set(c, IXGBE_HLREG0, IXGBE_HLREG0_TXCRCEN |
                  IXGBE_HLREG0_RXCRCSTRP | IXGBE_HLREG0_TXPADEN);
    ixgbe_reg_set(c, IXGBE_MAXFRS, 1518u << IXGBE_MAXFRS_MFS_SHIFT);
    ixgbe_reg_set(c, IXGBE_RXPBSIZE0, IXGBE_RXPBSIZE_512KB);
    ixgbe_reg_set(c, IXGBE_TXPBSIZE0, 160u << 10);
    ixgbe_reg_set(c, IXGBE_VLNCTRL, ETH_P_VLAN);
    ixgbe_reg_set(c, IXGBE_DMATXCTL, (uint32_t)ETH_P_VLAN <<
                  IXGBE_DMATXCTL_VT_SHIFT);
    /* TSO flag masks: FIN/PSH only on the last segment, CWR on the first */
    ixgbe_reg_set(c, IXGBE_DTXTCPFLGL, 0x0ff60ff6);
    ixgbe_reg_set(c, IXGBE_DTXTCPFLGH, 0x00000f7f);
    for (q = 0; q < 64; q++) {
        /* BSIZEHEADER 256 B, BSIZEPACKET 2 KiB, legacy descriptors */
        ixgbe_reg_set(c, ixgbe_rxq_base(q) + IXGBE_RXQ_SRRCTL, 0x402);
        ixgbe_reg_set(c, ixgbe_rxq_base(q + 64) + IXGBE_RXQ_SRRCTL, 0x402);
    }
    /* 8.2.3.7.8/9: receive address 0 is loaded from the NVM at reset */
    ixgbe_reg_set(c, IXGBE_RAL0, ldl_le_p(c->perm_mac));
    ixgbe_reg_set(c, IXGBE_RAL0 + 4, lduw_le_p(c->perm_mac + 4) |
                  IXGBE_RAH_AV);
}

void ixgbe_core_reset(IXGBECore *c, const char *why)
{
    unsigned v;

    trace_ixgbe_reset(why);

    ixgbe_set_defaults(c);

    c->ex_cause = c->ex_mask = c->ex_automask = c->ex_signalled = 0;
    c->misc_cause = c->misc_mask = c->misc_automask = c->misc_signalled = 0;
    for (v = 0; v < IXGBE_MSIX_VECTORS; v++) {
        c->eitr_next[v] = 0;
        timer_del(c->eitr_timer[v]);
    }
    memset(c->txctx, 0, sizeof(c->txctx));
    c->gorc = c->gotc = c->tor = 0;
    c->gorc_hi = c->gotc_hi = c->tor_hi = 0;
    memset(c->qbrc, 0, sizeof(c->qbrc));
    memset(c->qbtc, 0, sizeof(c->qbtc));
    memset(c->qbrc_hi, 0, sizeof(c->qbrc_hi));
    memset(c->qbtc_hi, 0, sizeof(c->qbtc_hi));
    ixgbe_fdir_clear(c);
    ixgbe_rx_pb_flush(c);
    ixgbe_irq_update(c);
    /* parked frames now meet a disabled receiver and are dropped */
    ixgbe_rx_kick(c);
}

void ixgbe_core_set_link(IXGBECore *c, bool up)
{
    if (c->link_up == up) {
        return;
    }
    c->link_up = up;
    trace_ixgbe_link(up);
    /* 8.2.3.5.1: EICR.LSC on every link status change */
    ixgbe_irq_misc(c, IXGBE_EICR_LSC);
}

void ixgbe_core_pci_master_changed(IXGBECore *c)
{
    bool guard = ixgbe_guard_engage(c);

    /* DMA may work again: parked frames and pending transmits can move */
    ixgbe_rx_kick(c);
    ixgbe_tx_kick_all(c);
    ixgbe_guard_release(c, guard);
}

void ixgbe_core_realize(IXGBECore *c, PCIDevice *owner, NICState *nic,
                        const uint8_t *macaddr, uint16_t device_id)
{
    unsigned v;

    ixgbe_build_reg_index();

    c->owner = owner;
    c->nic = nic;
    c->device_id = device_id;
    memcpy(c->perm_mac, macaddr, sizeof(c->perm_mac));
    ixgbe_nvm_build(c->nvm, IXGBE_NVM_WORDS, macaddr, device_id);
    c->link_up = !qemu_get_queue(nic)->link_down;
    QSIMPLEQ_INIT(&c->rx_pb);

    c->tx_buf = g_malloc(IXGBE_TX_MAX_PKT);
    c->tx_seg = g_malloc(IXGBE_TX_MAX_PKT);
    c->lb_buf = g_malloc(IXGBE_RX_MAX_FRAME);
    c->rx_buf = g_malloc(IXGBE_RX_MAX_FRAME);
    c->rx_wire = g_malloc(IXGBE_RX_MAX_FRAME + 4);
    c->fdir = g_new0(IXGBEFdirFilter, IXGBE_FDIR_MAX_FILTERS);
    c->unimp_logged = bitmap_new(IXGBE_MMIO_SIZE / 4);
    for (v = 0; v < IXGBE_MSIX_VECTORS; v++) {
        c->eitr_timer[v] = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                        ixgbe_eitr_expired, c);
    }

    ixgbe_core_reset(c, "power-on");
}

void ixgbe_core_unrealize(IXGBECore *c)
{
    unsigned v;

    ixgbe_pktgen_unrealize(c);
    ixgbe_rx_pb_flush(c);
    for (v = 0; v < IXGBE_MSIX_VECTORS; v++) {
        timer_free(c->eitr_timer[v]);
        c->eitr_timer[v] = NULL;
    }
    g_free(c->tx_buf);
    g_free(c->tx_seg);
    g_free(c->rx_buf);
    g_free(c->rx_wire);
    g_free(c->lb_buf);
    g_free(c->fdir);
    g_free(c->unimp_logged);
    c->tx_buf = c->tx_seg = c->rx_buf = c->rx_wire = c->lb_buf = NULL;
    c->fdir = NULL;
    c->unimp_logged = NULL;
}
