/*
 * Intel 82599 10GbE controller model: the transmit path.
 *
 * A TDT write runs the queue synchronously: descriptors from TDH up to TDT
 * are gathered into whole packets (context descriptors update the queue's
 * two context slots), offloads are applied in software (7.2.4 TSO/USO,
 * 7.2.5 checksum insertion, 7.2.3 VLAN insertion), the frame goes to the
 * backend, and DD is written into every descriptor that asked for it with
 * RS, or, with head write-back, the new head into host memory instead.
 * Only RS descriptors raise the queue's interrupt cause.  A packet whose
 * EOP descriptor is not yet behind TDT waits.
 *
 * Ownership rule of a ring (7.2.2): hardware owns [TDH, TDT), software the
 * rest; TDH == TDT means the queue is empty.
 *
 * While the test-only x-tx-stall is set (ixgbe_faults.c) no queue runs:
 * TDT writes are stored, TDH stays where it was.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/crc32c.h"
#include "qemu/iov.h"
#include "qemu/log.h"
#include "net/checksum.h"
#include "net/eth.h"
#include "ixgbe_core.h"
#include "trace.h"

#define IXGBE_TXD_SIZE      16
#define IXGBE_FCS_LEN       4
#define IXGBE_MIN_FRAME     60      /* without FCS; HLREG0.TXPADEN pads */
#define IXGBE_TSO_MAX_HDR   512
#define IXGBE_TSO_MAX_SEGS  16384   /* 256 KiB at MSS 16 */

typedef struct IXGBETxPkt {
    size_t len;
    uint32_t cmd;           /* cmd_type_len of the first data descriptor */
    uint32_t olinfo;        /* olinfo_status of the first data descriptor */
    uint16_t legacy_vlan;   /* legacy descriptors carry the tag inline */
} IXGBETxPkt;

/* ---------------------------------------------------------------------- */
/* Offloads                                                                */

/*
 * IXSM: the IPv4 checksum over IPLEN bytes at MACLEN.  The checksum field
 * is summed as the driver left it: zero normally, or (GSO_PARTIAL) the
 * complement of the bytes between the outer IP header and the inner L4
 * header so that they cancel.
 */
static void ixgbe_tx_ipcsum(uint8_t *p, size_t len, size_t maclen,
                            size_t iplen)
{
    if (iplen < 20 || maclen + iplen > len) {
        return;
    }
    stw_be_p(p + maclen + 10,
             net_checksum_finish(net_checksum_add(iplen, p + maclen)));
}

/*
 * TXSM: the L4 checksum from 'start' to the end of the frame, seeded by the
 * pseudo-header sum software stored in the checksum field.  For TSO/USO
 * software leaves the length out of the seed and the hardware adds the
 * per-segment L4 length ('l4len', else 0).
 */
static void ixgbe_tx_l4csum(uint8_t *p, size_t len, size_t start,
                            unsigned l4t, uint32_t l4len)
{
    size_t field;
    uint16_t csum;

    switch (l4t) {
    case IXGBE_TXCTX_L4T_TCP:
        field = 16;
        break;
    case IXGBE_TXCTX_L4T_UDP:
        field = 6;
        break;
    case IXGBE_TXCTX_L4T_SCTP:
        /* SCTP carries a CRC32c over the whole packet, field zeroed */
        if (start + 12 > len) {
            return;
        }
        stl_le_p(p + start + 8, 0);
        stl_le_p(p + start + 8, crc32c(0xffffffff, p + start, len - start));
        return;
    default:
        return;
    }
    if (start + field + 2 > len) {
        return;
    }
    csum = net_checksum_finish(net_checksum_add(len - start, p + start) +
                               l4len);
    if (l4t == IXGBE_TXCTX_L4T_UDP && !csum) {
        csum = 0xffff;
    }
    stw_be_p(p + start + field, csum);
}

/* ---------------------------------------------------------------------- */
/* Emission and statistics                                                 */

static void ixgbe_tx_count(IXGBECore *c, unsigned q, const uint8_t *frame,
                           size_t len)
{
    /* 8.2.3.23 TQSM: one byte per queue, stat index in bits 3:0 */
    unsigned si = (ixgbe_reg(c, IXGBE_TQSM0 + 4 * (q / 4)) >>
                   (8 * (q % 4))) & 0xf;
    size_t wire = len + IXGBE_FCS_LEN;
    uint32_t bucket;

    ixgbe_stat_add(c, IXGBE_GPTC, 1);
    ixgbe_stat_add(c, IXGBE_TPT, 1);
    c->gotc += wire;
    if (frame[0] & 1) {
        ixgbe_stat_add(c, is_broadcast_ether_addr(frame) ? IXGBE_BPTC
                                                         : IXGBE_MPTC, 1);
    }
    bucket = wire <= 64 ? IXGBE_PTC64 : wire <= 127 ? IXGBE_PTC127 :
             wire <= 255 ? IXGBE_PTC255 : wire <= 511 ? IXGBE_PTC511 :
             wire <= 1023 ? IXGBE_PTC1023 : IXGBE_PTC1522;
    ixgbe_stat_add(c, bucket, 1);
    ixgbe_stat_add(c, IXGBE_QPTC0 + si * IXGBE_QUEUE_STRIDE, 1);
    c->qbtc[si] += len;
}

/* Put one frame on the wire, inserting an 802.1Q tag if vlan >= 0 */
static void ixgbe_tx_emit(IXGBECore *c, unsigned q, const uint8_t *p,
                          size_t len, int vlan)
{
    static const uint8_t zeros[IXGBE_MIN_FRAME];
    NetClientState *nc = qemu_get_queue(c->nic);
    uint8_t tag[4];
    struct iovec iov[4];
    int n = 0;
    size_t total;

    if (len < ETH_HLEN) {
        trace_ixgbe_tx_drop(q, "runt", len);
        return;
    }
    if (vlan >= 0) {
        /* DMATXCTL.VT is the ethertype of inserted tags */
        stw_be_p(tag, ixgbe_reg(c, IXGBE_DMATXCTL) >> IXGBE_DMATXCTL_VT_SHIFT);
        stw_be_p(tag + 2, vlan);
        iov[n++] = (struct iovec) { (void *)p, 12 };
        iov[n++] = (struct iovec) { tag, sizeof(tag) };
        iov[n++] = (struct iovec) { (void *)(p + 12), len - 12 };
        total = len + sizeof(tag);
    } else {
        iov[n++] = (struct iovec) { (void *)p, len };
        total = len;
    }
    if (total < IXGBE_MIN_FRAME) {
        iov[n++] = (struct iovec) { (void *)zeros, IXGBE_MIN_FRAME - total };
        total = IXGBE_MIN_FRAME;
    }

    ixgbe_tx_count(c, q, p, total);
    if (ixgbe_reg(c, IXGBE_HLREG0) & IXGBE_HLREG0_LPBK) {
        /* 8.2.3.22.8 HLREG0.LPBK: MAC loopback, nothing reaches the wire */
        if (total <= IXGBE_RX_MAX_FRAME) {
            iov_to_buf(iov, n, 0, c->lb_buf, total);
            trace_ixgbe_tx_frame(q, total, vlan);
            ixgbe_rx_frame(c, c->lb_buf, total, IXGBE_RX_SRC_LOOPBACK);
        }
        return;
    }
    if (!c->link_up) {
        /* completed and counted, but there is no wire */
        trace_ixgbe_tx_drop(q, "link down", total);
        return;
    }
    trace_ixgbe_tx_frame(q, total, vlan);
    ixgbe_pktgen_tx_seen(c, p, len);
    qemu_sendv_packet(nc, iov, n);
}

/* ---------------------------------------------------------------------- */
/* TSO / USO (7.2.4)                                                       */

static void ixgbe_tx_tso(IXGBECore *c, unsigned q, const IXGBETxPkt *pkt,
                         const IXGBETxContext *ctx, int vlan)
{
    const uint8_t *p = c->tx_buf;
    size_t maclen = (ctx->vlan_macip_lens >> IXGBE_TXCTX_MACLEN_SHIFT) &
                    IXGBE_TXCTX_MACLEN_MASK;
    size_t iplen = ctx->vlan_macip_lens & IXGBE_TXCTX_IPLEN_MASK;
    size_t l4len = (ctx->mss_l4len >> IXGBE_TXCTX_L4LEN_SHIFT) &
                   IXGBE_TXCTX_L4LEN_MASK;
    size_t mss = ctx->mss_l4len >> IXGBE_TXCTX_MSS_SHIFT;
    unsigned l4t = (ctx->type_tucmd >> IXGBE_TXCTX_TUCMD_L4T_SHIFT) &
                   IXGBE_TXCTX_TUCMD_L4T_MASK;
    bool ipv4 = ctx->type_tucmd & IXGBE_TXCTX_TUCMD_IPV4;
    bool tcp = l4t == IXGBE_TXCTX_L4T_TCP;
    size_t hdr = maclen + iplen + l4len;
    size_t l4off = maclen + iplen;
    uint32_t flgl = ixgbe_reg(c, IXGBE_DTXTCPFLGL);
    uint32_t flgh = ixgbe_reg(c, IXGBE_DTXTCPFLGH);
    uint16_t ip_id = 0;
    uint32_t seq = 0;
    size_t pay, off;
    unsigned nseg, i;

    if (!mss || hdr > pkt->len || hdr > IXGBE_TSO_MAX_HDR ||
        l4len < (tcp ? 20 : 8) || (l4t != IXGBE_TXCTX_L4T_TCP &&
                                   l4t != IXGBE_TXCTX_L4T_UDP) ||
        (ipv4 && iplen < 20) || (!ipv4 && iplen < 40)) {
        qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: TSO context mac %zu ip %zu "
                      "l4 %zu mss %zu for a %zu-byte packet\n",
                      maclen, iplen, l4len, mss, pkt->len);
        trace_ixgbe_tx_drop(q, "bad TSO context", pkt->len);
        return;
    }
    pay = pkt->len - hdr;
    nseg = pay ? DIV_ROUND_UP(pay, mss) : 1;
    if (nseg > IXGBE_TSO_MAX_SEGS) {
        /* a real stack never asks for this; it would only stall the host */
        qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: TSO of %zu bytes with MSS "
                      "%zu (%u segments) refused\n", pay, mss, nseg);
        trace_ixgbe_tx_drop(q, "too many TSO segments", pkt->len);
        return;
    }
    if (ipv4) {
        ip_id = lduw_be_p(p + maclen + 4);
    }
    if (tcp) {
        seq = ldl_be_p(p + l4off + 4);
    }
    trace_ixgbe_tx_tso(q, pkt->len, mss, nseg);

    for (i = 0, off = 0; i < nseg; i++) {
        size_t seg = MIN(mss, pay - off);
        size_t slen = hdr + seg;
        uint8_t *s = c->tx_seg;

        memcpy(s, p, hdr);
        memcpy(s + hdr, p + hdr + off, seg);

        if (ipv4) {
            stw_be_p(s + maclen + 2, slen - maclen);
            stw_be_p(s + maclen + 4, ip_id + i);
            if (pkt->olinfo & IXGBE_TXD_POPTS_IXSM) {
                ixgbe_tx_ipcsum(s, slen, maclen, iplen);
            }
        } else {
            stw_be_p(s + maclen + 4, slen - maclen - 40);
        }

        if (tcp) {
            uint16_t w = lduw_be_p(s + l4off + 12);
            uint32_t m;

            /*
             * 8.2.3.9.3/8.2.3.9.4 DTXTCPFLGL/H: which TCP flags the first,
             * middle and last segment keep (by default FIN/PSH only on the
             * last); a single segment keeps them all.
             */
            if (nseg == 1) {
                m = 0xfff;
            } else if (i == nseg - 1) {
                m = flgh & 0xfff;
            } else if (i == 0) {
                m = flgl & 0xfff;
            } else {
                m = (flgl >> 16) & 0xfff;
            }
            stl_be_p(s + l4off + 4, seq + off);
            stw_be_p(s + l4off + 12, (w & 0xf000) | (w & m));
        } else {
            stw_be_p(s + l4off + 4, slen - l4off);
        }
        if (pkt->olinfo & IXGBE_TXD_POPTS_TXSM) {
            ixgbe_tx_l4csum(s, slen, l4off, l4t, slen - l4off);
        }
        ixgbe_tx_emit(c, q, s, slen, vlan);
        off += seg;
    }
}

static void ixgbe_tx_send(IXGBECore *c, unsigned q, const IXGBETxPkt *pkt)
{
    uint8_t *p = c->tx_buf;
    const IXGBETxContext *ctx;
    size_t maclen, iplen;
    unsigned l4t;
    int vlan = -1;

    if (!(pkt->cmd & IXGBE_TXD_CMD_DEXT)) {
        /* legacy descriptor: no offloads beyond VLAN insertion */
        if (pkt->cmd & IXGBE_TXD_CMD_VLE) {
            vlan = pkt->legacy_vlan;
        }
        ixgbe_tx_emit(c, q, p, pkt->len, vlan);
        return;
    }

    ctx = &c->txctx[q][(pkt->olinfo >> IXGBE_TXD_IDX_SHIFT) & 1];
    if (pkt->cmd & IXGBE_TXD_CMD_VLE) {
        vlan = ctx->vlan_macip_lens >> IXGBE_TXCTX_VLAN_SHIFT;
    }
    if (pkt->cmd & IXGBE_TXD_CMD_TSE) {
        ixgbe_tx_tso(c, q, pkt, ctx, vlan);
        return;
    }

    maclen = (ctx->vlan_macip_lens >> IXGBE_TXCTX_MACLEN_SHIFT) &
             IXGBE_TXCTX_MACLEN_MASK;
    iplen = ctx->vlan_macip_lens & IXGBE_TXCTX_IPLEN_MASK;
    l4t = (ctx->type_tucmd >> IXGBE_TXCTX_TUCMD_L4T_SHIFT) &
          IXGBE_TXCTX_TUCMD_L4T_MASK;
    if (pkt->olinfo & IXGBE_TXD_POPTS_IXSM) {
        ixgbe_tx_ipcsum(p, pkt->len, maclen, iplen);
    }
    if (pkt->olinfo & IXGBE_TXD_POPTS_TXSM) {
        ixgbe_tx_l4csum(p, pkt->len, maclen + iplen, l4t, 0);
    }
    ixgbe_tx_emit(c, q, p, pkt->len, vlan);
}

/* ---------------------------------------------------------------------- */
/* Descriptor ring                                                         */

void ixgbe_tx_process(IXGBECore *c, unsigned q)
{
    uint32_t base = ixgbe_txq_base(q);
    uint32_t n = ixgbe_reg(c, base + IXGBE_TXQ_TDLEN) / IXGBE_TXD_SIZE;
    uint32_t head = ixgbe_reg(c, base + IXGBE_TXQ_TDH);
    uint32_t tail = ixgbe_reg(c, base + IXGBE_TXQ_TDT);
    dma_addr_t ring = ((uint64_t)ixgbe_reg(c, base + IXGBE_TXQ_TDBAH) << 32) |
                      (ixgbe_reg(c, base + IXGBE_TXQ_TDBAL) & ~0x7fu);
    uint16_t rs[IXGBE_TX_MAX_DESC];
    bool head_wb = ixgbe_reg(c, base + IXGBE_TXQ_TDWBAL) &
                   IXGBE_TDWBAL_HEAD_WB_EN;
    bool progress = false, done_rs = false;

    if (c->tx_stall) {
        trace_ixgbe_tx_stalled(q, head, tail);
        return;
    }
    if (!ixgbe_dma_allowed(c) ||
        !(ixgbe_reg(c, IXGBE_DMATXCTL) & IXGBE_DMATXCTL_TE) ||
        !(ixgbe_reg(c, base + IXGBE_TXQ_TXDCTL) & IXGBE_TXDCTL_ENABLE) ||
        !n) {
        return;
    }
    if (head >= n || tail >= n) {
        qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: TX queue %u head %u tail %u "
                      "outside a ring of %u\n", q, head, tail, n);
        return;
    }

    while (head != tail) {
        IXGBETxPkt pkt = { 0 };
        uint32_t idx = head;
        unsigned ndesc = 0, nrs = 0, i;
        bool eop = false, bad = false, data = false;

        while (idx != tail) {
            uint8_t desc[IXGBE_TXD_SIZE];
            uint64_t addr;
            uint32_t cmd, olinfo, dtyp;

            /* an unreadable descriptor reads as zeros: no EOP, no data */
            if (pci_dma_read(c->owner, ring + (dma_addr_t)idx * IXGBE_TXD_SIZE,
                             desc, sizeof(desc)) != MEMTX_OK) {
                memset(desc, 0, sizeof(desc));
            }
            addr = ldq_le_p(desc);
            cmd = ldl_le_p(desc + 8);
            olinfo = ldl_le_p(desc + 12);
            dtyp = (cmd >> IXGBE_TXD_DTYP_SHIFT) & IXGBE_TXD_DTYP_MASK;
            idx = (idx + 1) % n;

            if ((cmd & IXGBE_TXD_CMD_DEXT) && dtyp == IXGBE_TXD_DTYP_CTXT) {
                /* 7.2.3.2.3 advanced context descriptor */
                IXGBETxContext *ctx =
                    &c->txctx[q][(olinfo >> IXGBE_TXD_IDX_SHIFT) & 1];

                ctx->vlan_macip_lens = (uint32_t)addr;
                ctx->type_tucmd = cmd;
                ctx->mss_l4len = olinfo;
                if (!data) {
                    /* nothing of a packet is pending: consume it now */
                    head = idx;
                }
                continue;
            }
            if ((cmd & IXGBE_TXD_CMD_DEXT) && dtyp != IXGBE_TXD_DTYP_DATA) {
                qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: TX queue %u: "
                              "descriptor type %u\n", q, dtyp);
            }

            /* 7.2.3.2.4 advanced data descriptor (or 7.2.3.2.2 legacy) */
            if (!data) {
                data = true;
                pkt.cmd = cmd;
                pkt.olinfo = olinfo;
                pkt.legacy_vlan = lduw_le_p(desc + 14);
            }
            if (ndesc < IXGBE_TX_MAX_DESC) {
                if (cmd & IXGBE_TXD_CMD_RS) {
                    rs[nrs++] = (idx + n - 1) % n;
                }
            } else {
                bad = true;
            }
            ndesc++;
            if (!bad) {
                size_t dlen = cmd & IXGBE_TXD_DTALEN_MASK;

                /*
                 * A buffer the device cannot read (an IOMMU or bus error)
                 * costs the packet: what tx_buf held before must not go
                 * on the wire in its place.
                 */
                if (pkt.len + dlen > IXGBE_TX_MAX_PKT ||
                    pci_dma_read(c->owner, addr, c->tx_buf + pkt.len,
                                 dlen) != MEMTX_OK) {
                    bad = true;
                } else {
                    pkt.len += dlen;
                }
            }
            if (cmd & IXGBE_TXD_CMD_EOP) {
                eop = true;
                break;
            }
        }
        if (!eop) {
            /* the rest of this packet is not behind TDT yet */
            break;
        }

        if (bad) {
            qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: TX queue %u: packet of "
                          "%u descriptors dropped (too long, or a buffer "
                          "unreadable)\n", q, ndesc);
            trace_ixgbe_tx_drop(q, "too long or unreadable", pkt.len);
        } else {
            ixgbe_tx_send(c, q, &pkt);
        }

        /*
         * 7.2.3.5.1 descriptor done write-back into every RS descriptor;
         * with head write-back (7.2.3.5.2) the head replaces it.
         */
        done_rs |= nrs > 0;
        for (i = 0; i < nrs && !head_wb; i++) {
            uint8_t st[4];

            stl_le_p(st, IXGBE_TXD_STAT_DD);
            pci_dma_write(c->owner, ring + (dma_addr_t)rs[i] * IXGBE_TXD_SIZE
                          + 12, st, sizeof(st));
        }
        head = idx;
        progress = true;
    }

    if (head != ixgbe_reg(c, base + IXGBE_TXQ_TDH)) {
        ixgbe_reg_set(c, base + IXGBE_TXQ_TDH, head);
    }
    /* the cause follows a write-back, which only RS asks for */
    if (!progress || !done_rs) {
        return;
    }
    /* 7.2.3.5.2 head write-back */
    if (head_wb) {
        dma_addr_t wb =
            ((uint64_t)ixgbe_reg(c, base + IXGBE_TXQ_TDWBAH) << 32) |
            (ixgbe_reg(c, base + IXGBE_TXQ_TDWBAL) & ~3u);
        uint8_t h[4];

        stl_le_p(h, head);
        pci_dma_write(c->owner, wb, h, sizeof(h));
    }
    ixgbe_irq_queue(c, q, true);
}

/* ---------------------------------------------------------------------- */
/* Register handlers                                                       */

/* 8.2.3.9.9 TDT - Transmit Descriptor Tail */
void ixgbe_w_tdt(IXGBECore *c, uint32_t off, uint32_t val)
{
    unsigned q = ixgbe_txq_of(off);

    ixgbe_reg_set(c, off, val & 0xffff);
    trace_ixgbe_tx_doorbell(q, val & 0xffff);
    ixgbe_tx_process(c, q);
}

/* 8.2.3.9.5 TDBAL - Transmit Descriptor Base Address Low (128-byte aligned) */
void ixgbe_w_tdbal(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, val & ~0x7fu);
}

/* 8.2.3.9.7 TDLEN - Transmit Descriptor Length (128-byte multiple) */
void ixgbe_w_tdlen(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, val & 0x000fff80);
}

/* 8.2.3.9.10 TXDCTL - Transmit Descriptor Control */
void ixgbe_w_txdctl(IXGBECore *c, uint32_t off, uint32_t val)
{
    /*
     * ENABLE reads back as written at once; SWFLSH is self-clearing (no
     * write-back is ever held back, so there is nothing to flush).
     */
    ixgbe_reg_set(c, off, val & ~IXGBE_TXDCTL_SWFLSH);
    if (val & IXGBE_TXDCTL_ENABLE) {
        ixgbe_tx_process(c, ixgbe_txq_of(off));
    }
}

/* Run every queue that has work; used when TX may have become possible */
void ixgbe_tx_kick_all(IXGBECore *c)
{
    unsigned q;

    for (q = 0; q < IXGBE_NUM_QUEUES; q++) {
        uint32_t base = ixgbe_txq_base(q);

        if (ixgbe_reg(c, base + IXGBE_TXQ_TDH) !=
            ixgbe_reg(c, base + IXGBE_TXQ_TDT)) {
            ixgbe_tx_process(c, q);
        }
    }
}

/* 8.2.3.9.2 DMATXCTL - DMA Tx Control */
void ixgbe_w_dmatxctl(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, val);
    if (val & IXGBE_DMATXCTL_TE) {
        ixgbe_tx_kick_all(c);
    }
}
