/*
 * Intel 82599 10GbE controller model: receive filtering and queue choice.
 *
 * L2 filtering (7.1.1: RAR exact match, MTA hash, promiscuous modes),
 * VLAN filtering (7.1.1.2: VFTA), RSS (7.1.2.8: Toeplitz hash and the
 * redirection table) and Flow Director perfect-match filters (7.1.2.7).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/host-utils.h"
#include "qemu/log.h"
#include "net/eth.h"
#include "ixgbe_core.h"
#include "trace.h"

/* ---------------------------------------------------------------------- */
/* L2                                                                      */

/* 8.2.3.7.8/8.2.3.7.9 RAL/RAH 0..15 at 0x5400 alias entries at 0xA200 */
static uint32_t ixgbe_ral_canonical(uint32_t off)
{
    return IXGBE_RAL0 + (off - IXGBE_RAL_LO0);
}

uint32_t ixgbe_r_ral_alias(IXGBECore *c, uint32_t off)
{
    return ixgbe_reg(c, ixgbe_ral_canonical(off));
}

/* RAH keeps AV (31), the pool-select bit 16 and the address (15:0) */
#define IXGBE_RAH_RW_MASK 0x8001ffffu

void ixgbe_w_rar(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_reg_set(c, off, (off & 4) ? val & IXGBE_RAH_RW_MASK : val);
}

void ixgbe_w_ral_alias(IXGBECore *c, uint32_t off, uint32_t val)
{
    ixgbe_w_rar(c, ixgbe_ral_canonical(off), val);
}

static bool ixgbe_rar_match(IXGBECore *c, const uint8_t *da)
{
    uint32_t lo = ldl_le_p(da);
    uint32_t hi = lduw_le_p(da + 4);
    unsigned i;

    for (i = 0; i < IXGBE_NUM_RAR; i++) {
        uint32_t rah = ixgbe_reg(c, IXGBE_RAL0 + 8 * i + 4);

        if ((rah & IXGBE_RAH_AV) && (rah & 0xffff) == hi &&
            ixgbe_reg(c, IXGBE_RAL0 + 8 * i) == lo) {
            return true;
        }
    }
    return false;
}

/* 8.2.3.7.3 MCSTCTRL.MO selects which 12 address bits index the MTA */
static bool ixgbe_mta_match(IXGBECore *c, const uint8_t *da)
{
    uint32_t mctl = ixgbe_reg(c, IXGBE_MCSTCTRL);
    uint32_t vec;

    if (!(mctl & IXGBE_MCSTCTRL_MFE)) {
        return false;
    }
    switch (mctl & IXGBE_MCSTCTRL_MO_MASK) {
    case 0:
        vec = (da[4] >> 4) | ((uint32_t)da[5] << 4);
        break;
    case 1:
        vec = (da[4] >> 3) | ((uint32_t)da[5] << 5);
        break;
    case 2:
        vec = (da[4] >> 2) | ((uint32_t)da[5] << 6);
        break;
    default:
        vec = da[4] | ((uint32_t)da[5] << 8);
        break;
    }
    vec &= 0xfff;
    return ixgbe_reg(c, IXGBE_MTA0 + 4 * (vec >> 5)) & (1u << (vec & 31));
}

/* 7.1.1.1 L2 filtering; 8.2.3.7.1 FCTRL */
bool ixgbe_l2_accept(IXGBECore *c, const uint8_t *frame,
                     const IXGBEPktInfo *pi)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    uint32_t fctrl = ixgbe_reg(c, IXGBE_FCTRL);
    bool ok;

    if (!memcmp(frame, bcast, sizeof(bcast))) {
        ok = fctrl & (IXGBE_FCTRL_BAM | IXGBE_FCTRL_MPE);
    } else if (frame[0] & 1) {
        ok = (fctrl & IXGBE_FCTRL_MPE) || ixgbe_mta_match(c, frame) ||
             ixgbe_rar_match(c, frame);
    } else {
        ok = (fctrl & IXGBE_FCTRL_UPE) || ixgbe_rar_match(c, frame);
    }
    if (!ok) {
        return false;
    }

    /* 7.1.1.2 VLAN filtering: tagged frames need their VID in VFTA */
    if (pi->vlan && (ixgbe_reg(c, IXGBE_VLNCTRL) & IXGBE_VLNCTRL_VFE)) {
        unsigned vid = pi->tci & 0xfff;

        if (!(ixgbe_reg(c, IXGBE_VFTA0 + 4 * (vid >> 5)) &
              (1u << (vid & 31)))) {
            trace_ixgbe_rx_vlan_filtered(vid);
            return false;
        }
    }
    return true;
}

/* ---------------------------------------------------------------------- */
/* RSS (7.1.2.8)                                                           */

/*
 * Toeplitz hash.  The 40-byte key is RSSRK[0..9] with key byte j in bits
 * 8*(j%4)+7..8*(j%4) of RSSRK[j/4], the order in which the Linux driver
 * stores netdev_rss_key bytes.
 */
static uint32_t ixgbe_toeplitz(IXGBECore *c, const uint8_t *in, size_t n)
{
    uint8_t key[40];
    uint32_t hash = 0, win;
    size_t i, b;

    for (i = 0; i < sizeof(key); i++) {
        key[i] = ixgbe_reg(c, IXGBE_RSSRK0 + 4 * (i / 4)) >> (8 * (i % 4));
    }
    assert(n + 4 <= sizeof(key));
    win = ldl_be_p(key);
    for (i = 0; i < n; i++) {
        for (b = 0; b < 8; b++) {
            if (in[i] & (0x80 >> b)) {
                hash ^= win;
            }
            win = (win << 1) | ((key[i + 4] >> (7 - b)) & 1);
        }
    }
    return hash;
}

bool ixgbe_rss_hash(IXGBECore *c, const IXGBEPktInfo *pi, uint32_t *hash,
                    uint8_t *rsstype)
{
    uint32_t mrqc = ixgbe_reg(c, IXGBE_MRQC);
    uint8_t in[36];
    size_t alen, n;
    bool tcp = pi->l4proto == IP_PROTO_TCP && pi->l4hdr && !pi->ip_frag;
    bool udp = pi->l4proto == IP_PROTO_UDP && pi->l4hdr && !pi->ip_frag;
    bool ports = false;
    uint8_t type;

    /* 8.2.3.7.12 MRQC.MRQE: only plain RSS (no DCB, no VMDq) is modelled */
    if ((mrqc & IXGBE_MRQC_MRQE_MASK) != IXGBE_MRQC_RSSEN) {
        unsigned mrqe = mrqc & IXGBE_MRQC_MRQE_MASK;

        if (mrqe && !(c->mrqe_logged & (1u << mrqe))) {
            c->mrqe_logged |= 1u << mrqe;
            qemu_log_mask(LOG_UNIMP, "ixgbe: MRQC.MRQE %u (DCB/VMDq) is not "
                          "modelled: frames go to queue 0\n", mrqe);
        }
        return false;
    }
    if (pi->ipver == 4) {
        if (tcp && (mrqc & IXGBE_MRQC_IPV4_TCP)) {
            type = IXGBE_RXD_RSSTYPE_IPV4_TCP;
            ports = true;
        } else if (udp && (mrqc & IXGBE_MRQC_IPV4_UDP)) {
            type = IXGBE_RXD_RSSTYPE_IPV4_UDP;
            ports = true;
        } else if (mrqc & IXGBE_MRQC_IPV4) {
            type = IXGBE_RXD_RSSTYPE_IPV4;
        } else {
            return false;
        }
        alen = 4;
    } else if (pi->ipver == 6) {
        if (tcp && (mrqc & (IXGBE_MRQC_IPV6_TCP | IXGBE_MRQC_IPV6_EX_TCP))) {
            type = IXGBE_RXD_RSSTYPE_IPV6_TCP;
            ports = true;
        } else if (udp && (mrqc & (IXGBE_MRQC_IPV6_UDP |
                                   IXGBE_MRQC_IPV6_EX_UDP))) {
            type = IXGBE_RXD_RSSTYPE_IPV6_UDP;
            ports = true;
        } else if (mrqc & (IXGBE_MRQC_IPV6 | IXGBE_MRQC_IPV6_EX)) {
            type = IXGBE_RXD_RSSTYPE_IPV6;
        } else {
            return false;
        }
        alen = 16;
    } else {
        return false;
    }

    /* input: source address, destination address, source/dest port */
    memcpy(in, pi->sip, alen);
    memcpy(in + alen, pi->dip, alen);
    n = 2 * alen;
    if (ports) {
        stw_be_p(in + n, pi->sport);
        stw_be_p(in + n + 2, pi->dport);
        n += 4;
    }
    *hash = ixgbe_toeplitz(c, in, n);
    *rsstype = type;
    return true;
}

/* 8.2.3.7.15 RETA: 128 one-byte entries; the 82599 uses bits 3:0 */
unsigned ixgbe_rss_queue(IXGBECore *c, uint32_t hash)
{
    unsigned e = hash & 0x7f;

    return (ixgbe_reg(c, IXGBE_RETA0 + 4 * (e / 4)) >> (8 * (e % 4))) & 0xf;
}

/* ---------------------------------------------------------------------- */
/* Ethertype, SYN and 5-tuple queue filters (7.1.2.3-7.1.2.5)              */

/* ETQF/ETQS: the type after any 802.1Q tag */
static bool ixgbe_etype_queue(IXGBECore *c, const IXGBEPktInfo *pi,
                              int *queue)
{
    unsigned i;

    for (i = 0; i < IXGBE_NUM_ETQF; i++) {
        uint32_t etqf = ixgbe_reg(c, IXGBE_ETQF0 + 4 * i);
        uint32_t etqs = ixgbe_reg(c, IXGBE_ETQS0 + 4 * i);

        if ((etqf & IXGBE_ETQF_FILTER_EN) && (etqs & IXGBE_ETQS_QUEUE_EN) &&
            (etqf & IXGBE_ETQF_ETYPE_MASK) == pi->ethertype) {
            *queue = (etqs >> IXGBE_ETQS_QUEUE_SHIFT) & IXGBE_ETQS_QUEUE_MASK;
            return true;
        }
    }
    return false;
}

static unsigned ixgbe_ftqf_proto(const IXGBEPktInfo *pi)
{
    switch (pi->l4proto) {
    case IP_PROTO_TCP:
        return IXGBE_FTQF_PROTO_TCP;
    case IP_PROTO_UDP:
        return IXGBE_FTQF_PROTO_UDP;
    case 132:
        return IXGBE_FTQF_PROTO_SCTP;
    default:
        return IXGBE_FTQF_PROTO_OTHER;
    }
}

/*
 * One 5-tuple filter (FTQF, SAQF, DAQF, SDPQF).  Addresses and ports are
 * held as they are on the wire, first byte in bits 7:0, as the drivers
 * that program them (DPDK's ixgbe PMD) write network-order values.  IPv4
 * only; the ports of a fragment or a truncated header never match.
 */
static bool ixgbe_5tuple_match(IXGBECore *c, unsigned i,
                               const IXGBEPktInfo *pi, uint32_t ftqf)
{
    uint32_t sdpqf = ixgbe_reg(c, IXGBE_SDPQF0 + 4 * i);
    bool ports = pi->l4hdr && !pi->ip_frag;

    if (!(ftqf & IXGBE_FTQF_NO_PROTO) &&
        (ftqf & IXGBE_FTQF_PROTO_MASK) != ixgbe_ftqf_proto(pi)) {
        return false;
    }
    if (!(ftqf & IXGBE_FTQF_NO_SADDR) &&
        ldl_le_p(pi->sip) != ixgbe_reg(c, IXGBE_SAQF0 + 4 * i)) {
        return false;
    }
    if (!(ftqf & IXGBE_FTQF_NO_DADDR) &&
        ldl_le_p(pi->dip) != ixgbe_reg(c, IXGBE_DAQF0 + 4 * i)) {
        return false;
    }
    if (!(ftqf & IXGBE_FTQF_NO_SPORT) &&
        (!ports || bswap16(pi->sport) != (sdpqf & 0xffff))) {
        return false;
    }
    if (!(ftqf & IXGBE_FTQF_NO_DPORT) &&
        (!ports || bswap16(pi->dport) != sdpqf >> 16)) {
        return false;
    }
    /* the PF is pool 0 */
    return (ftqf & IXGBE_FTQF_NO_POOL) ||
           !((ftqf >> IXGBE_FTQF_POOL_SHIFT) & IXGBE_FTQF_POOL_MASK);
}

/* 7.1.2.5: of the filters that match, the highest priority wins */
static bool ixgbe_5tuple_queue(IXGBECore *c, const IXGBEPktInfo *pi,
                               int *queue)
{
    int best = -1;
    unsigned i, prio, best_prio = 0;

    if (pi->ipver != 4) {
        return false;
    }
    for (i = 0; i < IXGBE_NUM_5TUPLE; i++) {
        uint32_t ftqf = ixgbe_reg(c, IXGBE_FTQF0 + 4 * i);

        if (!(ftqf & IXGBE_FTQF_QUEUE_EN)) {
            continue;
        }
        prio = (ftqf >> IXGBE_FTQF_PRIO_SHIFT) & IXGBE_FTQF_PRIO_MASK;
        if ((best < 0 || prio > best_prio) &&
            ixgbe_5tuple_match(c, i, pi, ftqf)) {
            best = i;
            best_prio = prio;
        }
    }
    if (best < 0) {
        return false;
    }
    *queue = (ixgbe_reg(c, IXGBE_L34T_IMIR0 + 4 * best) >>
              IXGBE_L34T_IMIR_QUEUE_SHIFT) & IXGBE_L34T_IMIR_QUEUE_MASK;
    return true;
}

/*
 * The filters ahead of Flow Director and RSS: ethertype first, then the
 * SYN filter (a TCP segment with SYN set) and the 5-tuple filters, in the
 * order SYNQF.SYNQFP gives them.
 */
bool ixgbe_queue_filter(IXGBECore *c, const IXGBEPktInfo *pi, int *queue)
{
    uint32_t synqf = ixgbe_reg(c, IXGBE_SYNQF);
    bool syn = (synqf & IXGBE_SYNQF_EN) && pi->l4proto == IP_PROTO_TCP &&
               pi->l4hdr && !pi->ip_frag && (pi->tcp_flags & 0x02);
    int syn_q = (synqf >> IXGBE_SYNQF_QUEUE_SHIFT) & IXGBE_SYNQF_QUEUE_MASK;

    if (ixgbe_etype_queue(c, pi, queue)) {
        return true;
    }
    if (syn && (synqf & IXGBE_SYNQF_SYNQFP)) {
        *queue = syn_q;
        return true;
    }
    if (ixgbe_5tuple_queue(c, pi, queue)) {
        return true;
    }
    if (syn) {
        *queue = syn_q;
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------------- */
/* Flow Director (7.1.2.7), perfect-match mode                             */

void ixgbe_fdir_clear(IXGBECore *c)
{
    c->fdir_count = 0;
}

/*
 * A perfect filter is known by its bucket (the hash in FDIRHASH bits 14:0)
 * and its soft id (bits 30:16): two filters may share a soft id in two
 * buckets.
 */
static IXGBEFdirFilter *ixgbe_fdir_find(IXGBECore *c, uint16_t bucket,
                                        uint16_t soft_id)
{
    unsigned i;

    for (i = 0; i < c->fdir_count; i++) {
        if (c->fdir[i].soft_id == soft_id && c->fdir[i].bucket == bucket) {
            return &c->fdir[i];
        }
    }
    return NULL;
}

static void ixgbe_fdir_remove(IXGBECore *c, IXGBEFdirFilter *f)
{
    /* the table is unordered: move the last entry into the hole */
    *f = c->fdir[--c->fdir_count];
}

/* 8.2.3.21.1 FDIRCTRL - Flow Director Filters Control Register */
void ixgbe_w_fdirctrl(IXGBECore *c, uint32_t off, uint32_t val)
{
    /*
     * Writing FDIRCTRL (re)initialises the filter tables; the model does
     * that at once, so INIT_DONE is already set when the driver polls.
     */
    ixgbe_fdir_clear(c);
    ixgbe_reg_set(c, off, val | IXGBE_FDIRCTRL_INIT_DONE);
    trace_ixgbe_fdir_init(val);
}

static bool ixgbe_fdir_perfect(IXGBECore *c)
{
    uint32_t ctrl = ixgbe_reg(c, IXGBE_FDIRCTRL);

    return (ctrl & IXGBE_FDIRCTRL_PBALLOC_MASK) &&
           (ctrl & IXGBE_FDIRCTRL_PERFECT);
}

/* 8.2.3.21.22 FDIRCMD - Flow Director Filters Command Register */
void ixgbe_w_fdircmd(IXGBECore *c, uint32_t off, uint32_t val)
{
    uint32_t hash = ixgbe_reg(c, IXGBE_FDIRHASH);
    uint16_t soft_id = hash >> IXGBE_FDIRHASH_SOFTID_SHIFT;
    unsigned cmd = val & IXGBE_FDIRCMD_CMD_MASK;
    bool valid = false;
    IXGBEFdirFilter *f;

    if (val & IXGBE_FDIRCMD_CLEARHT) {
        ixgbe_fdir_clear(c);
    }

    if (!ixgbe_fdir_perfect(c)) {
        /*
         * Signature (ATR) mode: the driver adds hashed filters from its TX
         * path and never checks them.  They are accepted and dropped, so
         * received packets keep following RSS.
         */
        trace_ixgbe_fdir_sig_add(hash, val);
        ixgbe_reg_set(c, off, val & ~(IXGBE_FDIRCMD_CMD_MASK |
                                      IXGBE_FDIRCMD_FILTER_VALID));
        return;
    }

    f = ixgbe_fdir_find(c, hash & 0x7fff, soft_id);
    switch (cmd) {
    case IXGBE_FDIRCMD_CMD_ADD:
        if (val & IXGBE_FDIRCMD_IPV6) {
            qemu_log_mask(LOG_UNIMP, "ixgbe: IPv6 Flow Director filters "
                          "are not modelled\n");
            break;
        }
        /* an add on an existing bucket and soft id replaces it */
        if (!f) {
            if (c->fdir_count >= IXGBE_FDIR_MAX_FILTERS) {
                /* FDIRFSTAT counts every failure; the log says it once */
                if (!ixgbe_reg(c, IXGBE_FDIRFSTAT)) {
                    qemu_log_mask(LOG_GUEST_ERROR, "ixgbe: Flow Director "
                                  "table full (%u filters)\n",
                                  IXGBE_FDIR_MAX_FILTERS);
                }
                ixgbe_stat_add(c, IXGBE_FDIRFSTAT, 1);
                break;
            }
            f = &c->fdir[c->fdir_count++];
        }
        f->soft_id = soft_id;
        f->bucket = hash & 0x7fff;
        f->sip = ixgbe_reg(c, IXGBE_FDIRIPSA);
        f->dip = ixgbe_reg(c, IXGBE_FDIRIPDA);
        f->sport = ixgbe_reg(c, IXGBE_FDIRPORT) & 0xffff;
        f->dport = ixgbe_reg(c, IXGBE_FDIRPORT) >> 16;
        f->vlan = ixgbe_reg(c, IXGBE_FDIRVLAN) & 0xffff;
        f->flex = ixgbe_reg(c, IXGBE_FDIRVLAN) >> 16;
        f->cmd = val;
        ixgbe_stat_add(c, IXGBE_FDIRUSTAT, 1);
        valid = true;
        break;
    case IXGBE_FDIRCMD_CMD_REMOVE:
        if (f) {
            ixgbe_fdir_remove(c, f);
            ixgbe_stat_add(c, IXGBE_FDIRUSTAT, 1 << 16);
        }
        break;
    case IXGBE_FDIRCMD_CMD_QUERY:
        valid = f != NULL;
        break;
    default:
        break;
    }
    trace_ixgbe_fdir_cmd(cmd, soft_id, (val >> IXGBE_FDIRCMD_QUEUE_SHIFT) &
                         IXGBE_FDIRCMD_QUEUE_MASK, valid, c->fdir_count);

    /* the command completes immediately: CMD reads back 0 */
    ixgbe_reg_set(c, off, (val & ~(IXGBE_FDIRCMD_CMD_MASK |
                                   IXGBE_FDIRCMD_FILTER_VALID)) |
                  (valid ? IXGBE_FDIRCMD_FILTER_VALID : 0));
}

static unsigned ixgbe_fdir_l4type(const IXGBEPktInfo *pi)
{
    if (!pi->l4hdr || pi->ip_frag) {
        return IXGBE_FDIR_L4_NONE;
    }
    switch (pi->l4proto) {
    case IP_PROTO_UDP:
        return IXGBE_FDIR_L4_UDP;
    case IP_PROTO_TCP:
        return IXGBE_FDIR_L4_TCP;
    case 132: /* SCTP */
        return IXGBE_FDIR_L4_SCTP;
    default:
        return IXGBE_FDIR_L4_NONE;
    }
}

/*
 * Match a received IPv4 frame against the perfect filters under the single
 * per-port input mask (FDIRM, FDIRSIP4M/FDIRDIP4M, FDIRTCPM/FDIRUDPM).
 * The hardware hashes into buckets first; a linear search over the masked
 * tuple selects the same filter.
 */
bool ixgbe_fdir_lookup(IXGBECore *c, const uint8_t *frame, size_t len,
                       const IXGBEPktInfo *pi, int *queue)
{
    uint32_t ctrl = ixgbe_reg(c, IXGBE_FDIRCTRL);
    uint32_t m = ixgbe_reg(c, IXGBE_FDIRM);
    uint32_t sipm, dipm, portm;
    uint16_t smask, dmask, flex = 0, tci = pi->vlan ? pi->tci : 0;
    unsigned l4 = ixgbe_fdir_l4type(pi);
    unsigned flexoff;
    uint32_t sip, dip;
    unsigned i;

    if (!ixgbe_fdir_perfect(c) || pi->ipver != 4) {
        return false;
    }

    /* 8.2.3.21.4/5: the IPv4 masks hold 1 for "ignore this bit" */
    sipm = ~ixgbe_reg(c, IXGBE_FDIRSIP4M);
    dipm = ~ixgbe_reg(c, IXGBE_FDIRDIP4M);
    /* 8.2.3.21.6/7: the port masks are bit-reversed per 16-bit half */
    portm = ~ixgbe_reg(c, l4 == IXGBE_FDIR_L4_UDP ? IXGBE_FDIRUDPM
                                                  : IXGBE_FDIRTCPM);
    smask = revbit16(portm & 0xffff);
    dmask = revbit16(portm >> 16);

    flexoff = 2 * ((ctrl >> IXGBE_FDIRCTRL_FLEX_SHIFT) &
                   IXGBE_FDIRCTRL_FLEX_MASK);
    if (flexoff + 2 <= len) {
        flex = lduw_be_p(frame + flexoff);
    }
    sip = ldl_le_p(pi->sip);
    dip = ldl_le_p(pi->dip);

    for (i = 0; i < c->fdir_count; i++) {
        const IXGBEFdirFilter *f = &c->fdir[i];
        unsigned ftype = (f->cmd >> IXGBE_FDIRCMD_L4TYPE_SHIFT) &
                         IXGBE_FDIRCMD_L4TYPE_MASK;

        if (!(m & IXGBE_FDIRM_L4P) && ftype != l4) {
            continue;
        }
        if (((sip ^ f->sip) & sipm) || ((dip ^ f->dip) & dipm)) {
            continue;
        }
        if (l4 != IXGBE_FDIR_L4_NONE &&
            (((pi->sport ^ f->sport) & smask) ||
             ((pi->dport ^ f->dport) & dmask))) {
            continue;
        }
        if (!(m & IXGBE_FDIRM_VLANID) && ((tci ^ f->vlan) & 0x0fff)) {
            continue;
        }
        if (!(m & IXGBE_FDIRM_VLANP) && ((tci ^ f->vlan) & 0xe000)) {
            continue;
        }
        if (!(m & IXGBE_FDIRM_FLEX) && flex != f->flex) {
            continue;
        }
        /* the PF is pool 0 */
        if (!(m & IXGBE_FDIRM_POOL) &&
            ((f->cmd >> IXGBE_FDIRCMD_POOL_SHIFT) & IXGBE_FDIRCMD_POOL_MASK)) {
            continue;
        }

        ixgbe_stat_add(c, IXGBE_FDIRMATCH, 1);
        if (f->cmd & IXGBE_FDIRCMD_DROP) {
            *queue = (ctrl >> IXGBE_FDIRCTRL_DROP_Q_SHIFT) &
                     IXGBE_FDIRCTRL_DROP_Q_MASK;
        } else if (f->cmd & IXGBE_FDIRCMD_QUEUE_EN) {
            *queue = (f->cmd >> IXGBE_FDIRCMD_QUEUE_SHIFT) &
                     IXGBE_FDIRCMD_QUEUE_MASK;
        } else {
            return false;
        }
        trace_ixgbe_fdir_match(f->soft_id, *queue);
        return true;
    }
    ixgbe_stat_add(c, IXGBE_FDIRMISS, 1);
    return false;
}
