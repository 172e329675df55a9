/*
 * Intel 82599 10GbE controller model: the receive path.
 *
 * A frame from the backend (or the built-in packet source) is checked
 * against MAXFRS, filtered (ixgbe_filter.c), given a queue (Flow Director,
 * then RSS, then queue 0), optionally VLAN-stripped, and written into the
 * queue's ring of advanced one-buffer descriptors (7.1.6).  Checksums are
 * verified so the write-back can carry IPCS/L4CS.
 *
 * Ownership rule of a ring (7.1.5): software owns [RDT, RDH), hardware owns
 * [RDH, RDT); RDH == RDT means hardware owns nothing.
 *
 * Between the MAC and the rings sits the receive packet buffer (one
 * buffer of RXPBSIZE[0] bytes without DCB): a frame whose queue has no
 * free descriptor and no SRRCTL.DROP_EN waits there, and so does every
 * frame behind it (head-of-line, as in the hardware); a frame that finds
 * the buffer full is missed (MPC).  A frame for a full ring with DROP_EN
 * is dropped at the queue (QPRDC).  Frames leave the buffer as the driver
 * gives descriptors back (RDT, RXDCTL and RXCTRL.RXEN writes).  With
 * x-rx-backpressure (not an 82599 feature) a wire frame that finds the
 * buffer full is not missed but left in QEMU's net queue, a lossless toy.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <zlib.h>
#include "qemu/iov.h"
#include "qemu/log.h"
#include "net/checksum.h"
#include "net/eth.h"
#include "ixgbe_core.h"
#include "trace.h"

#define IXGBE_RXD_SIZE      16
#define IXGBE_FCS_LEN       4
#define IXGBE_VLAN_TAG_LEN  4
#define IXGBE_IP6_MAX_EXT   8       /* extension headers walked per packet */

/* ---------------------------------------------------------------------- */
/* Parsing                                                                 */

static void ixgbe_parse_ipv4(const uint8_t *buf, size_t len, size_t off,
                             IXGBEPktInfo *pi)
{
    const uint8_t *ip = buf + off;
    size_t ihl, tot;

    if (len < off + 20 || (ip[0] >> 4) != 4) {
        return;
    }
    ihl = (ip[0] & 0xf) * 4;
    tot = lduw_be_p(ip + 2);
    if (ihl < 20 || len < off + ihl || tot < ihl) {
        return;
    }
    pi->ipver = 4;
    pi->l3end = MIN(off + tot, len);
    pi->ip_frag = lduw_be_p(ip + 6) & 0x3fff;   /* MF or an offset */
    memcpy(pi->sip, ip + 12, 4);
    memcpy(pi->dip, ip + 16, 4);
    pi->l4proto = ip[9];
    pi->l4off = off + ihl;
}

static void ixgbe_parse_ipv6(const uint8_t *buf, size_t len, size_t off,
                             IXGBEPktInfo *pi)
{
    const uint8_t *ip6 = buf + off;
    size_t p = off + 40;
    uint8_t nxt;
    int i;

    if (len < off + 40 || (ip6[0] >> 4) != 6) {
        return;
    }
    pi->ipver = 6;
    pi->l3end = MIN(off + 40 + lduw_be_p(ip6 + 4), len);
    memcpy(pi->sip, ip6 + 8, 16);
    memcpy(pi->dip, ip6 + 24, 16);
    nxt = ip6[6];

    for (i = 0; i < IXGBE_IP6_MAX_EXT; i++) {
        size_t hlen;

        switch (nxt) {
        case IP6_HOP_BY_HOP:
        case IP6_ROUTING:
        case IP6_DESTINATON:
            if (p + 8 > pi->l3end) {
                return;
            }
            hlen = (buf[p + 1] + 1) * 8;
            break;
        case IP6_AUTHENTICATION:
            if (p + 8 > pi->l3end) {
                return;
            }
            hlen = (buf[p + 1] + 2) * 4;
            break;
        case IP6_FRAGMENT:
            if (p + 8 > pi->l3end) {
                return;
            }
            pi->ip_frag = lduw_be_p(buf + p + 2) & 0xfff9;
            hlen = 8;
            break;
        default:
            pi->l4proto = nxt;
            pi->l4off = p;
            return;
        }
        pi->ip6_ext = true;
        nxt = buf[p];
        p += hlen;
    }
}

void ixgbe_parse_frame(const uint8_t *buf, size_t len, uint16_t vet,
                       IXGBEPktInfo *pi)
{
    size_t off = 14;
    uint16_t et;

    memset(pi, 0, sizeof(*pi));
    if (len < 14) {
        return;
    }
    et = lduw_be_p(buf + 12);
    if (et == vet && len >= 18) {
        pi->vlan = true;
        pi->tci = lduw_be_p(buf + 14);
        et = lduw_be_p(buf + 16);
        off = 18;
    }
    pi->ethertype = et;
    pi->l3off = off;

    if (et == ETH_P_IP) {
        ixgbe_parse_ipv4(buf, len, off, pi);
    } else if (et == ETH_P_IPV6) {
        ixgbe_parse_ipv6(buf, len, off, pi);
    }
    if (!pi->l4off || pi->ip_frag) {
        return;
    }
    switch (pi->l4proto) {
    case IP_PROTO_TCP:
        pi->l4hdr = pi->l4off + 20 <= pi->l3end;
        break;
    case IP_PROTO_UDP:
        pi->l4hdr = pi->l4off + 8 <= pi->l3end;
        break;
    case 132:   /* SCTP: common header carries the ports in the same place */
        pi->l4hdr = pi->l4off + 12 <= pi->l3end;
        break;
    }
    if (pi->l4hdr) {
        pi->sport = lduw_be_p(buf + pi->l4off);
        pi->dport = lduw_be_p(buf + pi->l4off + 2);
    }
    if (pi->l4hdr && pi->l4proto == IP_PROTO_TCP) {
        pi->tcp_flags = buf[pi->l4off + 13];
    }
}

/* ---------------------------------------------------------------------- */
/* Checksum verification (7.1.11) and packet type (7.1.6.2)                */

static uint32_t ixgbe_rx_csum_status(const uint8_t *buf,
                                     const IXGBEPktInfo *pi)
{
    uint32_t st = 0;

    if (pi->ipver == 4) {
        size_t ihl = pi->l4off - pi->l3off;

        st |= IXGBE_RXD_STAT_IPCS;
        if (net_raw_checksum((uint8_t *)buf + pi->l3off, ihl)) {
            st |= IXGBE_RXD_ERR_IPE;
        }
    }
    if (!pi->l4hdr || pi->ip_frag ||
        (pi->l4proto != IP_PROTO_TCP && pi->l4proto != IP_PROTO_UDP)) {
        return st;
    }
    {
        size_t l4len = pi->l3end - pi->l4off;
        uint8_t *l4 = (uint8_t *)buf + pi->l4off;
        size_t alen = pi->ipver == 4 ? 4 : 16;
        uint32_t sum;

        /* a zero UDP checksum over IPv4 means "not computed" */
        if (pi->l4proto == IP_PROTO_UDP && pi->ipver == 4 &&
            !lduw_be_p(l4 + 6)) {
            return st;
        }
        sum = net_checksum_add(alen, (uint8_t *)pi->sip) +
              net_checksum_add(alen, (uint8_t *)pi->dip) +
              pi->l4proto + l4len + net_checksum_add(l4len, l4);
        st |= IXGBE_RXD_STAT_L4CS;
        if (pi->l4proto == IP_PROTO_UDP) {
            st |= IXGBE_RXD_STAT_UDPCS;
        }
        if (net_checksum_finish(sum)) {
            st |= IXGBE_RXD_ERR_TCPE;
        }
    }
    return st;
}

static uint16_t ixgbe_rx_pkttype(const IXGBEPktInfo *pi)
{
    uint16_t t = 0;

    if (pi->ipver == 4) {
        t |= pi->l4off - pi->l3off > 20 ? IXGBE_RXD_PKTTYPE_IPV4_EX
                                        : IXGBE_RXD_PKTTYPE_IPV4;
    } else if (pi->ipver == 6) {
        t |= pi->ip6_ext ? IXGBE_RXD_PKTTYPE_IPV6_EX
                         : IXGBE_RXD_PKTTYPE_IPV6;
    } else {
        return 0;
    }
    if (pi->l4hdr) {
        switch (pi->l4proto) {
        case IP_PROTO_TCP:
            t |= IXGBE_RXD_PKTTYPE_TCP;
            break;
        case IP_PROTO_UDP:
            t |= IXGBE_RXD_PKTTYPE_UDP;
            break;
        case 132:
            t |= IXGBE_RXD_PKTTYPE_SCTP;
            break;
        }
    }
    return t;
}

/* ---------------------------------------------------------------------- */
/* Statistics                                                              */

static unsigned ixgbe_rx_stat_idx(IXGBECore *c, unsigned q)
{
    /* 8.2.3.23 RQSMR: one byte per queue, stat index in bits 3:0 */
    return (ixgbe_reg(c, IXGBE_RQSMR0 + 4 * (q / 4)) >> (8 * (q % 4))) & 0xf;
}

/*
 * 8.2.3.23 MAC counters: every good frame that passed the L2 filters and
 * the size check, whether it then reaches a ring or not.  This matches
 * the 82599's GPRC, which counts the frames MPC counts too (ixgbe's
 * update_stats subtracts MPC from it to "work around hardware counting
 * issue"); MPC frames are also in TPR/TOR.
 */
static void ixgbe_rx_count_mac(IXGBECore *c, const uint8_t *frame,
                               size_t len)
{
    size_t wire = len + IXGBE_FCS_LEN;
    uint32_t bucket;

    ixgbe_stat_add(c, IXGBE_GPRC, 1);
    ixgbe_stat_add(c, IXGBE_TPR, 1);
    c->gorc += wire;
    c->tor += wire;
    if (frame[0] & 1) {
        ixgbe_stat_add(c, is_broadcast_ether_addr(frame) ? IXGBE_BPRC
                                                         : IXGBE_MPRC, 1);
    }
    bucket = wire <= 64 ? IXGBE_PRC64 : wire <= 127 ? IXGBE_PRC127 :
             wire <= 255 ? IXGBE_PRC255 : wire <= 511 ? IXGBE_PRC511 :
             wire <= 1023 ? IXGBE_PRC1023 : IXGBE_PRC1522;
    ixgbe_stat_add(c, bucket, 1);
}

/* 8.2.3.23 QPRC/QBRC: frames (and their bytes in host memory) a queue took */
static void ixgbe_rx_count_queue(IXGBECore *c, unsigned q, size_t host_len)
{
    unsigned si = ixgbe_rx_stat_idx(c, q);

    ixgbe_stat_add(c, IXGBE_QPRC0 + si * IXGBE_QUEUE_STRIDE, 1);
    c->qbrc[si] += host_len;
}

/*
 * 8.2.3.23 QPRDC counts the frames a queue drops: no descriptor with
 * SRRCTL.DROP_EN (ixgbe reports them as rx_no_dma_resources), or the queue
 * disabled, such as the Flow Director drop queue.
 */
static void ixgbe_rx_count_drop(IXGBECore *c, unsigned q)
{
    ixgbe_stat_add(c, IXGBE_QPRDC0 +
                   ixgbe_rx_stat_idx(c, q) * IXGBE_QUEUE_STRIDE, 1);
}

/* ---------------------------------------------------------------------- */
/* Descriptor ring                                                         */

/*
 * The frame as the host will see it: with an 802.1Q tag stripped, bytes
 * 12..15 are skipped.  'skip' is the offset of the hole (0: none).
 */
typedef struct IXGBERxData {
    const uint8_t *buf;
    size_t len;         /* length as stored in host memory */
    size_t skip;
} IXGBERxData;

static MemTxResult ixgbe_rx_dma_data(IXGBECore *c, dma_addr_t addr,
                                     const IXGBERxData *d, size_t from,
                                     size_t n)
{
    MemTxResult r = MEMTX_OK;

    if (d->skip && from < d->skip) {
        size_t a = MIN(n, d->skip - from);

        r |= pci_dma_write(c->owner, addr, d->buf + from, a);
        addr += a;
        from += a;
        n -= a;
    }
    if (n) {
        size_t src = d->skip ? from + IXGBE_VLAN_TAG_LEN : from;

        r |= pci_dma_write(c->owner, addr, d->buf + src, n);
    }
    return r;
}

static size_t ixgbe_rx_bufsize(uint32_t srrctl)
{
    size_t kb = srrctl & IXGBE_SRRCTL_BSIZEPKT_MASK;

    /* BSIZEPACKET is in 1 KiB units; zero keeps the 2 KiB default */
    return (kb ? kb : 2) * KiB;
}

static IXGBERxResult ixgbe_rx_to_queue(IXGBECore *c, unsigned q,
                                       const uint8_t *buf, size_t len,
                                       const IXGBEPktInfo *pi, uint32_t hash,
                                       uint8_t rsstype)
{
    uint32_t base = ixgbe_rxq_base(q);
    uint32_t rxdctl = ixgbe_reg(c, base + IXGBE_RXQ_RXDCTL);
    uint32_t srrctl = ixgbe_reg(c, base + IXGBE_RXQ_SRRCTL);
    uint32_t n = ixgbe_reg(c, base + IXGBE_RXQ_RDLEN) / IXGBE_RXD_SIZE;
    uint32_t rdh = ixgbe_reg(c, base + IXGBE_RXQ_RDH);
    uint32_t rdt = ixgbe_reg(c, base + IXGBE_RXQ_RDT);
    dma_addr_t ring = ((uint64_t)ixgbe_reg(c, base + IXGBE_RXQ_RDBAH) << 32) |
                      (ixgbe_reg(c, base + IXGBE_RXQ_RDBAL) & ~0x7fu);
    unsigned desctype = (srrctl & IXGBE_SRRCTL_DESCTYPE_MASK) >>
                        IXGBE_SRRCTL_DESCTYPE_SHIFT;
    size_t bsize = ixgbe_rx_bufsize(srrctl);
    bool strip = pi->vlan && (rxdctl & IXGBE_RXDCTL_VME);
    uint32_t status, csum;
    /* one per buffer: the largest frame in the smallest (1 KB) buffers */
    dma_addr_t bufs[IXGBE_RX_MAX_FRAME / 1024];
    IXGBERxData d;
    size_t done;
    uint32_t need, avail, i;

    if (!ixgbe_dma_allowed(c)) {
        trace_ixgbe_rx_drop("bus master disabled", q, len);
        return IXGBE_RX_DROPPED;
    }
    if (!(rxdctl & IXGBE_RXDCTL_ENABLE) || !n) {
        /* a disabled queue (or the FDIR drop queue) swallows the frame */
        trace_ixgbe_rx_drop("queue disabled", q, len);
        ixgbe_rx_count_drop(c, q);
        return IXGBE_RX_DROPPED;
    }
    if (rdh >= n || rdt >= n) {
        qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: RX queue %u head %u tail %u "
                      "outside a ring of %u\n", q, rdh, rdt, n);
        trace_ixgbe_rx_drop("bad head/tail", q, len);
        return IXGBE_RX_DROPPED;
    }

    d.buf = buf;
    d.len = strip ? len - IXGBE_VLAN_TAG_LEN : len;
    d.skip = strip ? 12 : 0;
    need = DIV_ROUND_UP(d.len, bsize);
    avail = (rdt + n - rdh) % n;
    if (need > avail) {
        /* a frame no ring of this size can take would block for ever */
        if (need < n && !(srrctl & IXGBE_SRRCTL_DROP_EN)) {
            trace_ixgbe_rx_hold(q, rdh, rdt);
            return IXGBE_RX_NO_ROOM;
        }
        trace_ixgbe_rx_drop("no descriptors", q, len);
        ixgbe_rx_count_drop(c, q);
        return IXGBE_RX_DROPPED;
    }

    /*
     * Every buffer address first: a descriptor the device cannot read
     * (an IOMMU or bus error) costs the frame, never a DMA to the address
     * a zeroed descriptor would give (0).  Nothing is written back, so
     * the ring stays as the driver left it.
     */
    g_assert(need <= ARRAY_SIZE(bufs));
    for (i = 0; i < need; i++) {
        uint8_t addr[8];

        if (pci_dma_read(c->owner, ring + (dma_addr_t)((rdh + i) % n) *
                         IXGBE_RXD_SIZE, addr, sizeof(addr)) != MEMTX_OK) {
            qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: RX queue %u descriptor "
                          "%u unreadable\n", q, (rdh + i) % n);
            trace_ixgbe_rx_drop("descriptor read failed", q, len);
            ixgbe_rx_count_drop(c, q);
            return IXGBE_RX_DROPPED;
        }
        bufs[i] = ldq_le_p(addr);
    }

    /*
     * The data next, every buffer before any write-back: a buffer the
     * device cannot write costs the frame, and the ring stays as it was.
     */
    for (done = 0, i = 0; done < d.len; i++) {
        size_t chunk = MIN(bsize, d.len - done);

        if (ixgbe_rx_dma_data(c, bufs[i], &d, done, chunk) != MEMTX_OK) {
            qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: RX queue %u buffer "
                          "0x%" PRIx64 " unwritable\n", q, bufs[i]);
            trace_ixgbe_rx_drop("buffer write failed", q, len);
            ixgbe_rx_count_drop(c, q);
            return IXGBE_RX_DROPPED;
        }
        done += chunk;
    }

    status = ixgbe_rx_csum_status(buf, pi);
    if (strip) {
        status |= IXGBE_RXD_STAT_VP;
    }
    csum = ixgbe_reg(c, IXGBE_RXCSUM);

    for (done = 0, i = 0; done < d.len; i++) {
        dma_addr_t daddr = ring + (dma_addr_t)rdh * IXGBE_RXD_SIZE;
        size_t chunk = MIN(bsize, d.len - done);
        bool eop = done + chunk == d.len;
        uint8_t desc[IXGBE_RXD_SIZE], early[IXGBE_RXD_SIZE];
        uint32_t st = IXGBE_RXD_STAT_DD | (eop ? IXGBE_RXD_STAT_EOP : 0);
        size_t st_off, st_len, wb_off;
        dma_addr_t pkt = bufs[i];

        memset(desc, 0, sizeof(desc));
        if (desctype == IXGBE_SRRCTL_DESCTYPE_LEGACY) {
            /*
             * 7.1.5.1 legacy write-back: the buffer address stays; length,
             * status (the advanced layout's low byte: IPCS, L4CS, UDPCS,
             * VP), errors (IPE, TCPE in bits 7:6), VLAN tag.  The packet
             * checksum field is left 0.
             */
            stw_le_p(desc + 8, chunk);
            desc[12] = st | (eop ? status & 0xff : 0);
            desc[13] = eop ? status >> 24 : 0;
            if (eop && strip) {
                stw_le_p(desc + 14, pi->tci);
            }
            st_off = 12;        /* status byte, errors byte */
            st_len = 2;
            wb_off = 8;
        } else {
            /* 7.1.6.2 advanced one-buffer write-back */
            stw_le_p(desc + 0, rsstype | ixgbe_rx_pkttype(pi));
            if (csum & IXGBE_RXCSUM_PCSD) {
                stl_le_p(desc + 4, hash);
            }
            if (eop) {
                st |= status;
            }
            stl_le_p(desc + 8, st);
            stw_le_p(desc + 12, chunk);
            if (strip) {
                stw_le_p(desc + 14, pi->tci);
            }
            st_off = 8;         /* status_error dword */
            st_len = 4;
            wb_off = 0;
        }
        /*
         * Write-back order (the data is already in place).  Real hardware
         * makes the descriptor visible at once; here each write is a
         * separate, ordered store, so the descriptor must look whole to
         * whichever completion test the driver uses:
         *  - Linux ixgbe polls the length word (ixgbe_clean_rx_irq and
         *    ixgbe_clean_rx_irq_zc: a non-zero wb.upper.length, then
         *    dma_rmb()) and never tests DD;
         *  - DD pollers (DPDK, ixy, FreeBSD ix) poll the status DD bit.
         * So first the whole descriptor with DD still clear, bytes 12..15
         * (advanced: length) last; then the status/error word again, now
         * with DD: DD is the last bit to become visible, and the length is
         * visible only after every field the Linux driver reads.
         */
        memcpy(early, desc, sizeof(early));
        early[st_off] &= ~IXGBE_RXD_STAT_DD;
        pci_dma_write(c->owner, daddr + wb_off, early + wb_off, 12 - wb_off);
        pci_dma_write(c->owner, daddr + 12, early + 12, 4);
        pci_dma_write(c->owner, daddr + st_off, desc + st_off, st_len);
        trace_ixgbe_rx_desc(q, rdh, pkt, chunk, st);

        done += chunk;
        rdh = (rdh + 1) % n;
    }
    ixgbe_reg_set(c, base + IXGBE_RXQ_RDH, rdh);
    ixgbe_rx_count_queue(c, q, d.len);
    ixgbe_irq_queue(c, q, false);
    return IXGBE_RX_DELIVERED;
}

/* ---------------------------------------------------------------------- */
/* Packet buffer                                                           */

struct IXGBERxPbFrame {
    QSIMPLEQ_ENTRY(IXGBERxPbFrame) next;
    IXGBERxSource src;
    /* classified on arrival, as the hardware does before buffering */
    unsigned q;
    uint32_t hash;
    uint8_t rsstype;
    IXGBEPktInfo pi;
    size_t len;
    uint8_t data[];
};

/*
 * RXPBSIZE[0] (0x03C00) SIZE, bits 19:10, in KB.  A frame takes its wire
 * length; the hardware's per-frame status words are not modelled.
 */
static uint32_t ixgbe_rx_pb_size(IXGBECore *c)
{
    return ixgbe_reg(c, IXGBE_RXPBSIZE0) & IXGBE_RXPBSIZE_SIZE_MASK;
}

static bool ixgbe_rx_pb_room(IXGBECore *c, size_t len)
{
    return c->rx_pb_bytes + len + IXGBE_FCS_LEN <= ixgbe_rx_pb_size(c);
}

static void ixgbe_rx_pb_done(IXGBECore *c, IXGBERxPbFrame *f, bool delivered)
{
    c->rx_pb_bytes -= f->len + IXGBE_FCS_LEN;
    if (f->src == IXGBE_RX_SRC_GEN) {
        ixgbe_pktgen_settle(c, delivered);
    }
    g_free(f);
}

/* Move frames from the buffer to their rings while the oldest fits. */
static void ixgbe_rx_pb_drain(IXGBECore *c)
{
    IXGBERxPbFrame *f;
    IXGBERxResult r;

    /* a DMA of ours into our own BAR can ring RDT while we are here */
    if (c->rx_draining) {
        return;
    }
    c->rx_draining = true;
    while ((f = QSIMPLEQ_FIRST(&c->rx_pb))) {
        r = ixgbe_rx_to_queue(c, f->q, f->data, f->len, &f->pi, f->hash,
                              f->rsstype);
        if (r == IXGBE_RX_NO_ROOM) {
            break;
        }
        QSIMPLEQ_REMOVE_HEAD(&c->rx_pb, next);
        ixgbe_rx_pb_done(c, f, r == IXGBE_RX_DELIVERED);
    }
    c->rx_draining = false;
}

/* Reset: the buffer's contents are lost. */
void ixgbe_rx_pb_flush(IXGBECore *c)
{
    IXGBERxPbFrame *f;

    while ((f = QSIMPLEQ_FIRST(&c->rx_pb))) {
        QSIMPLEQ_REMOVE_HEAD(&c->rx_pb, next);
        ixgbe_rx_pb_done(c, f, false);
    }
}

/* A frame joins the buffer's tail, with what its classification gave. */
static void ixgbe_rx_pb_append(IXGBECore *c, const uint8_t *buf, size_t len,
                               const IXGBEPktInfo *pi, unsigned q,
                               uint32_t hash, uint8_t rsstype,
                               IXGBERxSource src)
{
    IXGBERxPbFrame *f = g_malloc(sizeof(*f) + len);

    f->src = src;
    f->q = q;
    f->hash = hash;
    f->rsstype = rsstype;
    f->pi = *pi;
    f->len = len;
    memcpy(f->data, buf, len);
    QSIMPLEQ_INSERT_TAIL(&c->rx_pb, f, next);
    c->rx_pb_bytes += len + IXGBE_FCS_LEN;
}

/*
 * Migration: the buffer's frames as one blob, oldest first; each is a
 * 12-byte header (source, queue, RSS type, pad, hash, length, all little
 * endian) and the frame.  The parsed view is rebuilt on load.
 */
#define IXGBE_PB_REC_HDR        12

uint8_t *ixgbe_rx_pb_save(IXGBECore *c, uint32_t *len)
{
    GByteArray *b = g_byte_array_new();
    IXGBERxPbFrame *f;

    QSIMPLEQ_FOREACH(f, &c->rx_pb, next) {
        uint8_t h[IXGBE_PB_REC_HDR] = { f->src, f->q, f->rsstype };

        stl_le_p(h + 4, f->hash);
        stl_le_p(h + 8, f->len);
        g_byte_array_append(b, h, sizeof(h));
        g_byte_array_append(b, f->data, f->len);
    }
    *len = b->len;
    return g_byte_array_free(b, false);
}

bool ixgbe_rx_pb_load(IXGBECore *c, const uint8_t *blob, uint32_t len)
{
    uint16_t vet = ixgbe_reg(c, IXGBE_VLNCTRL) & IXGBE_VLNCTRL_VET_MASK;
    uint32_t off = 0, flen;

    ixgbe_rx_pb_flush(c);
    while (off < len) {
        const uint8_t *data = blob + off + IXGBE_PB_REC_HDR;
        IXGBEPktInfo pi;

        if (len - off < IXGBE_PB_REC_HDR) {
            return false;
        }
        flen = ldl_le_p(blob + off + 8);
        if (flen > IXGBE_RX_MAX_FRAME + IXGBE_FCS_LEN ||
            flen > len - off - IXGBE_PB_REC_HDR ||
            blob[off] > IXGBE_RX_SRC_LOOPBACK ||
            blob[off + 1] >= IXGBE_NUM_QUEUES ||
            c->rx_pb_bytes + flen + IXGBE_FCS_LEN >
            IXGBE_RXPBSIZE_SIZE_MASK) {
            return false;
        }
        ixgbe_parse_frame(data, flen, vet, &pi);
        ixgbe_rx_pb_append(c, data, flen, &pi, blob[off + 1],
                           ldl_le_p(blob + off + 4), blob[off + 2],
                           blob[off]);
        off += IXGBE_PB_REC_HDR + flen;
    }
    return true;
}

static IXGBERxResult ixgbe_rx_pb_add(IXGBECore *c, const uint8_t *buf,
                                     size_t len, const IXGBEPktInfo *pi,
                                     unsigned q, uint32_t hash,
                                     uint8_t rsstype, IXGBERxSource src)
{
    if (!ixgbe_rx_pb_room(c, len)) {
        /* 8.2.3.23 MPC: missed for want of packet buffer space */
        trace_ixgbe_rx_drop("packet buffer full", q, len);
        ixgbe_stat_add(c, IXGBE_MPC0, 1);
        return IXGBE_RX_DROPPED;
    }
    ixgbe_rx_pb_append(c, buf, len, pi, q, hash, rsstype, src);
    return IXGBE_RX_BUFFERED;
}

/* ---------------------------------------------------------------------- */
/* Entry points                                                            */

IXGBERxResult ixgbe_rx_frame(IXGBECore *c, const uint8_t *buf, size_t len,
                             IXGBERxSource src)
{
    uint16_t vet = ixgbe_reg(c, IXGBE_VLNCTRL) & IXGBE_VLNCTRL_VET_MASK;
    uint32_t hlreg0 = ixgbe_reg(c, IXGBE_HLREG0);
    uint32_t limit;
    IXGBEPktInfo pi;
    uint32_t hash = 0;
    uint8_t rsstype = IXGBE_RXD_RSSTYPE_NONE;
    IXGBERxResult r;
    int q = -1;

    if (!(ixgbe_reg(c, IXGBE_RXCTRL) & IXGBE_RXCTRL_RXEN)) {
        trace_ixgbe_rx_drop("receiver disabled", 0, len);
        return IXGBE_RX_DROPPED;
    }
    if ((hlreg0 & IXGBE_HLREG0_LPBK) && src != IXGBE_RX_SRC_LOOPBACK) {
        /* in MAC loopback the receiver listens to our transmitter only */
        trace_ixgbe_rx_drop("MAC loopback", 0, len);
        return IXGBE_RX_DROPPED;
    }
    if (src == IXGBE_RX_SRC_WIRE && c->rx_backpressure &&
        !QSIMPLEQ_EMPTY(&c->rx_pb) && !ixgbe_rx_pb_room(c, len)) {
        /* before any counter, so the retry counts the frame once */
        trace_ixgbe_rx_drop("packet buffer full, parked", 0, len);
        return IXGBE_RX_NO_ROOM;
    }
    if (len < ETH_HLEN) {
        ixgbe_stat_add(c, IXGBE_RUC, 1);
        trace_ixgbe_rx_drop("runt", 0, len);
        return IXGBE_RX_DROPPED;
    }
    if (len < ETH_ZLEN) {
        /* QEMU's NICs may send them: on a wire the sender's MAC pads */
        memcpy(c->rx_wire, buf, len);
        memset(c->rx_wire + len, 0, ETH_ZLEN - len);
        buf = c->rx_wire;
        len = ETH_ZLEN;
    }

    ixgbe_parse_frame(buf, len, vet, &pi);

    /*
     * 8.2.3.22.13 MAXFRS: longer frames are dropped and counted in ROC.
     * The driver sizes its buffers from MFS and relies on this check.
     */
    limit = hlreg0 & IXGBE_HLREG0_JUMBOEN
            ? ixgbe_reg(c, IXGBE_MAXFRS) >> IXGBE_MAXFRS_MFS_SHIFT : 1518;
    if (pi.vlan) {
        limit += IXGBE_VLAN_TAG_LEN;
    }
    if (len + IXGBE_FCS_LEN > limit) {
        ixgbe_stat_add(c, IXGBE_ROC, 1);
        trace_ixgbe_rx_drop("oversize", 0, len);
        return IXGBE_RX_DROPPED;
    }

    if (!ixgbe_l2_accept(c, buf, &pi)) {
        trace_ixgbe_rx_drop("filtered", 0, len);
        return IXGBE_RX_DROPPED;
    }
    ixgbe_rx_count_mac(c, buf, len);

    /*
     * 8.2.3.22.8 HLREG0.RXCRCSTRP clear: the FCS stays in host memory.
     * QEMU's frames carry none, so it is computed (CRC-32, sent least
     * significant byte first).
     */
    if (!(hlreg0 & IXGBE_HLREG0_RXCRCSTRP)) {
        if (buf != c->rx_wire) {
            memcpy(c->rx_wire, buf, len);
            buf = c->rx_wire;
        }
        stl_le_p(c->rx_wire + len, crc32(0, buf, len));
        len += IXGBE_FCS_LEN;
    }

    /*
     * 7.1.2 queue selection, first match wins: the ethertype, SYN and
     * 5-tuple filters, then Flow Director, then RSS, else queue 0.  The
     * RSS hash is reported whichever filter chose the queue.
     */
    ixgbe_rss_hash(c, &pi, &hash, &rsstype);
    if (!ixgbe_queue_filter(c, &pi, &q) &&
        !ixgbe_fdir_lookup(c, buf, len, &pi, &q)) {
        q = rsstype != IXGBE_RXD_RSSTYPE_NONE ? ixgbe_rss_queue(c, hash) : 0;
    }
    trace_ixgbe_rx_frame(len, q, hash, rsstype);

    /* nothing waits: straight to the ring, as the common case should be */
    if (QSIMPLEQ_EMPTY(&c->rx_pb)) {
        r = ixgbe_rx_to_queue(c, q, buf, len, &pi, hash, rsstype);
        if (r != IXGBE_RX_NO_ROOM) {
            return r;
        }
    }
    return ixgbe_rx_pb_add(c, buf, len, &pi, q, hash, rsstype, src);
}

ssize_t ixgbe_rx_receive_iov(IXGBECore *c, const struct iovec *iov,
                             int iovcnt)
{
    size_t size = iov_size(iov, iovcnt);

    if (size > IXGBE_RX_MAX_FRAME) {
        ixgbe_stat_add(c, IXGBE_ROC, 1);
        trace_ixgbe_rx_drop("oversize", 0, size);
        return size;
    }
    iov_to_buf(iov, iovcnt, 0, c->rx_buf, size);
    if (ixgbe_rx_frame(c, c->rx_buf, size, IXGBE_RX_SRC_WIRE) ==
        IXGBE_RX_NO_ROOM) {
        /* the net layer parks the frame; ixgbe_rx_kick() retries it */
        c->rx_held = true;
        return 0;
    }
    return size;
}

/* Descriptors came back (or DMA may work again): frames can move. */
void ixgbe_rx_kick(IXGBECore *c)
{
    ixgbe_rx_pb_drain(c);
    if (c->rx_held) {
        c->rx_held = false;
        qemu_flush_queued_packets(qemu_get_queue(c->nic));
    }
}

/* ---------------------------------------------------------------------- */
/* Register handlers                                                       */

/* 8.2.3.8.5 RDT - Receive Descriptor Tail */
void ixgbe_w_rdt(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, val & 0xffff);
    trace_ixgbe_rx_doorbell(ixgbe_rxq_of(off), val & 0xffff);
    ixgbe_rx_kick(c);
}

/* 8.2.3.8.1 RDBAL - Receive Descriptor Base Address Low (128-byte aligned) */
void ixgbe_w_rdbal(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, val & ~0x7fu);
}

/* 8.2.3.8.3 RDLEN - Receive Descriptor Length (128-byte multiple) */
void ixgbe_w_rdlen(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, val & 0x000fff80);
}

/* 8.2.3.8.6 RXDCTL - Receive Descriptor Control */
void ixgbe_w_rxdctl(IXGBECore *c, uint32_t off, uint32_t val)
{
    unsigned q = ixgbe_rxq_of(off);

    /*
     * ENABLE reads back as written at once (the queue has no prefetch state
     * to drain); SWFLSH is self-clearing, so the driver's read-modify-write
     * never re-triggers it.  A queue named by x-rx-stuck keeps ENABLE (and
     * keeps receiving) once set: only a reset stops it.
     */
    if (q < 64 && (c->rx_stuck >> q & 1) &&
        (ixgbe_reg(c, off) & IXGBE_RXDCTL_ENABLE)) {
        if (!(val & IXGBE_RXDCTL_ENABLE)) {
            trace_ixgbe_rx_stuck(q);
        }
        val |= IXGBE_RXDCTL_ENABLE;
    }
    ixgbe_reg_set(c, off, val & ~IXGBE_RXDCTL_SWFLSH);
    /* enabled, its frames can move; disabled, they are dropped */
    ixgbe_rx_kick(c);
}

/* 8.2.3.8.10 RXCTRL - Receive Control Register */
void ixgbe_w_rxctrl(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, val);
    if (val & IXGBE_RXCTRL_RXEN) {
        ixgbe_rx_kick(c);
    }
}

/* 8.2.3.8.7 SRRCTL 0..15 at 0x2100 alias the per-queue copy at 0x1014 */
static uint32_t ixgbe_srrctl_canonical(uint32_t off)
{
    return ixgbe_rxq_base((off - IXGBE_SRRCTL_ALIAS0) / 4) +
           IXGBE_RXQ_SRRCTL;
}

uint32_t ixgbe_r_srrctl_alias(IXGBECore *c, uint32_t off)
{
    return ixgbe_reg(c, ixgbe_srrctl_canonical(off));
}

void ixgbe_w_srrctl_alias(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, ixgbe_srrctl_canonical(off), val);
}
