/*
 * Intel 82599 10GbE controller model: test-only packet source.
 *
 * Not an 82599 feature.  It offers synthetic Ethernet/IPv4/UDP frames to
 * the port's own receive path from a QEMU timer, so receive-side load costs
 * no guest CPU on the sending side.  Frames take the same path as frames
 * from the wire (MAXFRS, L2/VLAN filters, Flow Director, RSS, packet
 * buffer, descriptor ring); one that waits in the packet buffer is counted
 * delivered or dropped when it leaves it.  While the port's link is down
 * (set_link off) every frame is dropped, as on a cable with no link.
 *
 * Control is through QOM properties on the device, settable with -device
 * or at run time with qom-set:
 *   pktgen-dst-mac   destination MAC ("auto", the default: the port's own)
 *   pktgen-src-mac   source MAC (default 02:00:00:00:00:01)
 *   pktgen-dst-ip    destination IPv4 address (default 10.0.0.2)
 *   pktgen-src-ip    first source IPv4 address (default 10.0.0.1)
 *   pktgen-dst-port  UDP destination port (default 9)
 *   pktgen-src-port  first UDP source port (default 1024)
 *   pktgen-flows     flows; flow i uses src-ip + i and src-port + i
 *   pktgen-size      frame size without FCS, 60..9018 (default 60)
 *   pktgen-rate      frames per second; 0 = as fast as the tick allows,
 *                    or paced: 10 Gb/s line rate for the frame size
 *   pktgen-paced     false: each 1 ms tick offers the frames due (bursts);
 *                    true: each frame when it is due, evenly spaced, as
 *                    on a wire, never above line rate
 *   pktgen-stamp     true: the UDP payload begins with a 16-byte stamp
 *                    (magic, run id, virtual send time)
 *   pktgen-count     stop after this many frames (0 = no limit)
 *   pktgen-duration-ms  stop after this long (0 = no limit)
 *   pktgen-run       true starts (counters reset), false stops
 * and read-only counters pktgen-offered, pktgen-delivered, pktgen-dropped.
 * Configuration is read when the source starts.  Time is QEMU's virtual
 * clock, so a paused VM pauses the source.
 *
 * A stamped frame that an application echoes back out of the same port
 * (any headers, the payload kept) is seen on its way to the wire, as a
 * tester on the cable would see it, and its round trip is recorded:
 * pktgen-rtt-count, pktgen-rtt-min-ns, -p50-ns, -p99-ns, -p999-ns,
 * -max-ns, until the next start.  Percentiles are the upper bounds of
 * histogram buckets 1/128 of a power of two wide (exact below 256 ns).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/log.h"
#include "migration/vmstate.h"
#include "net/checksum.h"
#include "net/eth.h"
#include "ixgbe_core.h"
#include "trace.h"

#define IXGBE_GEN_TICK_NS       (1 * SCALE_MS)
#define IXGBE_GEN_MAX_BURST     16384   /* frames per tick, bounds BQL hold */
#define IXGBE_GEN_MIN_SIZE      60
#define IXGBE_GEN_MAX_SIZE      9018
#define IXGBE_GEN_HDR           (14 + 20 + 8)
/* on the wire a frame also takes its FCS, preamble + SFD and the IFG */
#define IXGBE_GEN_WIRE_EXTRA    (4 + 8 + 12)
#define IXGBE_GEN_LINE_BPS      10000000000ull
#define IXGBE_GEN_STAMP_MAGIC   0x49585453      /* "IXTS" */
#define IXGBE_GEN_STAMP_LEN     16              /* magic, run id, send ns */

/* round-trip histogram: exact below 2 * SUB ns, then SUB per octave */
#define IXGBE_RTT_SUB_BITS      7
#define IXGBE_RTT_SUB           (1u << IXGBE_RTT_SUB_BITS)
#define IXGBE_RTT_BUCKETS       ((64 - IXGBE_RTT_SUB_BITS) * IXGBE_RTT_SUB + \
                                 IXGBE_RTT_SUB)

static bool ixgbe_gen_parse_mac(const char *s, uint8_t *mac)
{
    unsigned v[6];
    int i;

    if (!s || sscanf(s, "%x:%x:%x:%x:%x:%x",
                     &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6) {
        return false;
    }
    for (i = 0; i < 6; i++) {
        if (v[i] > 0xff) {
            return false;
        }
        mac[i] = v[i];
    }
    return true;
}

static bool ixgbe_gen_parse_ip(const char *s, uint32_t *ip)
{
    struct in_addr a;

    if (!s || inet_pton(AF_INET, s, &a) != 1) {
        return false;
    }
    *ip = ntohl(a.s_addr);
    return true;
}

/*
 * Build the template frame; the per-flow fields are patched per frame.
 * The setters below let no bad value in, so parsing cannot fail here.
 */
static void ixgbe_gen_build(IXGBECore *c)
{
    IXGBEPktGen *g = &c->gen;
    uint8_t dmac[6], smac[6];
    uint32_t sip = 0, dip = 0;
    uint8_t *f;
    size_t i, plen;

    if (!ixgbe_gen_parse_mac(g->dst_mac, dmac)) {
        memcpy(dmac, c->perm_mac, 6);       /* "auto" */
    }
    ixgbe_gen_parse_mac(g->src_mac, smac);
    ixgbe_gen_parse_ip(g->dst_ip, &dip);
    ixgbe_gen_parse_ip(g->src_ip, &sip);

    g->base_sip = sip;
    g_free(g->frame);
    g->frame = f = g_malloc0(g->size);
    g->frame_len = g->size;

    memcpy(f, dmac, 6);
    memcpy(f + 6, smac, 6);
    stw_be_p(f + 12, ETH_P_IP);
    f[14] = 0x45;
    stw_be_p(f + 16, g->size - 14);
    stw_be_p(f + 20, 0x4000);           /* DF */
    f[22] = 64;
    f[23] = IP_PROTO_UDP;
    stl_be_p(f + 26, sip);
    stl_be_p(f + 30, dip);
    stw_be_p(f + 34, g->src_port);
    stw_be_p(f + 36, g->dst_port);
    stw_be_p(f + 38, g->size - 34);
    plen = g->size - IXGBE_GEN_HDR;
    for (i = 0; i < plen; i++) {
        f[IXGBE_GEN_HDR + i] = i;
    }
    /* the payload never changes: its sum is reused for every checksum */
    g->payload_sum = net_checksum_add(plen, f + IXGBE_GEN_HDR);
    /* nor does what follows the stamp (an even offset: sums split there) */
    g->rest_sum = net_checksum_add(plen - IXGBE_GEN_STAMP_LEN,
                                   f + IXGBE_GEN_HDR + IXGBE_GEN_STAMP_LEN);
}

static void ixgbe_gen_patch(IXGBECore *c, uint32_t flow, int64_t sent_ns)
{
    IXGBEPktGen *g = &c->gen;
    uint8_t *f = g->frame;
    uint8_t *stamp = f + IXGBE_GEN_HDR;
    uint32_t sip, sum, payload_sum = g->payload_sum;
    uint16_t ulen = g->frame_len - 34;

    sip = g->base_sip + flow;
    stl_be_p(f + 26, sip);
    stw_be_p(f + 34, g->run.src_port + flow);
    if (g->run.stamp) {
        stl_be_p(stamp, IXGBE_GEN_STAMP_MAGIC);
        stl_be_p(stamp + 4, g->run_id);
        stq_be_p(stamp + 8, sent_ns);
        payload_sum = net_checksum_add(IXGBE_GEN_STAMP_LEN, stamp) +
                      g->rest_sum;
    }

    stw_be_p(f + 24, 0);
    stw_be_p(f + 24, net_raw_checksum(f + 14, 20));

    stw_be_p(f + 40, 0);
    sum = net_checksum_add(8, f + 26) + IP_PROTO_UDP + ulen +
          net_checksum_add(8, f + 34) + payload_sum;
    stw_be_p(f + 40, net_checksum_finish_nozero(sum));
}

void ixgbe_pktgen_stop(IXGBECore *c)
{
    IXGBEPktGen *g = &c->gen;

    if (!g->running) {
        return;
    }
    g->running = false;
    if (g->timer) {
        timer_del(g->timer);
    }
    trace_ixgbe_pktgen_stop(g->offered, g->delivered, g->dropped);
}

/* Offer one frame, sent by the far end at 'sent_ns', to the receive path */
static void ixgbe_gen_offer(IXGBECore *c, int64_t sent_ns)
{
    IXGBEPktGen *g = &c->gen;
    IXGBERxResult r;

    ixgbe_gen_patch(c, g->next_flow, sent_ns);
    g->next_flow = (g->next_flow + 1) % g->run.flows;
    g->offered++;
    g->sent_this_run++;
    /* with the link down the frame never reaches the MAC */
    r = c->link_up ? ixgbe_rx_frame(c, g->frame, g->frame_len,
                                    IXGBE_RX_SRC_GEN)
                   : IXGBE_RX_DROPPED;
    if (r != IXGBE_RX_BUFFERED) {
        ixgbe_pktgen_settle(c, r == IXGBE_RX_DELIVERED);
    }
}

/* When paced frame n (from 1) is due */
static int64_t ixgbe_gen_due(IXGBEPktGen *g, uint64_t n)
{
    return g->start_ns + muldiv64_round_up(n, g->gap_num, g->gap_den);
}

static void ixgbe_gen_tick(void *opaque)
{
    IXGBECore *c = opaque;
    IXGBEPktGen *g = &c->gen;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint64_t budget, i, due = 0;
    bool guard;

    if (g->run.duration_ms && now - g->start_ns >= g->run.duration_ms * SCALE_MS) {
        ixgbe_pktgen_stop(c);
        return;
    }
    if (g->run.paced) {
        due = muldiv64(now - g->start_ns, g->gap_den, g->gap_num);
        budget = due - g->slot;
    } else if (g->run.rate) {
        /* credit in frames * 1e9, so fractional frames carry over */
        g->credit += g->run.rate * (uint64_t)(now - g->last_ns);
        budget = g->credit / NANOSECONDS_PER_SECOND;
        g->credit %= NANOSECONDS_PER_SECOND;
    } else {
        budget = IXGBE_GEN_MAX_BURST;
    }
    g->last_ns = now;
    if (budget > IXGBE_GEN_MAX_BURST) {
        /* the model cannot keep up: the excess is not offered */
        g->slot += budget - IXGBE_GEN_MAX_BURST;
        budget = IXGBE_GEN_MAX_BURST;
    }
    if (g->run.count && budget > g->run.count - g->sent_this_run) {
        budget = g->run.count - g->sent_this_run;
    }

    guard = ixgbe_guard_engage(c);
    for (i = 0; i < budget; i++) {
        ixgbe_gen_offer(c, g->run.paced ? ixgbe_gen_due(g, ++g->slot) : now);
    }
    ixgbe_guard_release(c, guard);
    trace_ixgbe_pktgen_tick(budget);

    if (g->run.count && g->sent_this_run >= g->run.count) {
        ixgbe_pktgen_stop(c);
        return;
    }
    timer_mod(g->timer, g->run.paced ? MAX(ixgbe_gen_due(g, due + 1), now + 1)
                                     : now + IXGBE_GEN_TICK_NS);
}

/* The fate of one generated frame, now or when it leaves the buffer. */
void ixgbe_pktgen_settle(IXGBECore *c, bool delivered)
{
    if (delivered) {
        c->gen.delivered++;
    } else {
        c->gen.dropped++;
    }
}

/*
 * The gap between paced frames, gap_num / gap_den ns: 1e9 / rate, or the
 * frame's time on a 10 Gb/s wire when the rate is 0 or above line rate.
 */
static void ixgbe_gen_pace(IXGBEPktGen *g)
{
    uint64_t wire_bits = (g->frame_len + IXGBE_GEN_WIRE_EXTRA) * 8ull;

    if (g->run.rate && g->run.rate < IXGBE_GEN_LINE_BPS / wire_bits) {
        g->gap_num = NANOSECONDS_PER_SECOND;
        g->gap_den = g->run.rate;
    } else {
        g->gap_num = wire_bits;
        g->gap_den = IXGBE_GEN_LINE_BPS / NANOSECONDS_PER_SECOND;
    }
}

static void ixgbe_gen_rtt_reset(IXGBEPktGen *g)
{
    g_free(g->rtt_hist);
    g->rtt_hist = g->run.stamp ? g_new0(uint64_t, IXGBE_RTT_BUCKETS) : NULL;
    g->rtt_count = g->rtt_max = 0;
    g->rtt_min = UINT64_MAX;
}

static void ixgbe_gen_start(IXGBECore *c)
{
    IXGBEPktGen *g = &c->gen;

    g->run.flows = g->flows;
    g->run.src_port = g->src_port;
    g->run.rate = g->rate;
    g->run.count = g->count;
    g->run.duration_ms = g->duration_ms;
    g->run.paced = g->paced;
    g->run.stamp = g->stamp;
    ixgbe_gen_build(c);
    ixgbe_gen_pace(g);
    ixgbe_gen_rtt_reset(g);
    g->run_id = g_random_int();
    g->offered = g->delivered = g->dropped = 0;
    g->sent_this_run = 0;
    g->slot = 0;
    g->next_flow = 0;
    g->credit = 0;
    g->running = true;
    trace_ixgbe_pktgen_start(g->flows, g->size, g->rate, g->count);
    if (g->timer) {
        g->start_ns = g->last_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        timer_mod(g->timer, g->run.paced ? ixgbe_gen_due(g, 1)
                                         : g->start_ns + IXGBE_GEN_TICK_NS);
    }
}

/* ---------------------------------------------------------------------- */
/* Round trips of stamped frames                                           */

static unsigned ixgbe_rtt_bucket(uint64_t ns)
{
    unsigned shift;

    if (ns < 2 * IXGBE_RTT_SUB) {
        return ns;
    }
    shift = 63 - clz64(ns) - IXGBE_RTT_SUB_BITS;
    return shift * IXGBE_RTT_SUB + (ns >> shift);
}

/* The largest value bucket b holds */
static uint64_t ixgbe_rtt_bucket_max(unsigned b)
{
    unsigned shift;

    if (b < 2 * IXGBE_RTT_SUB) {
        return b;
    }
    shift = b / IXGBE_RTT_SUB - 1;
    return ((uint64_t)(b - shift * IXGBE_RTT_SUB + 1) << shift) - 1;
}

/*
 * A frame on its way to the wire: if its UDP payload begins with a stamp
 * of the current run, it is an echo of one of our frames.
 */
void ixgbe_pktgen_tx_seen(IXGBECore *c, const uint8_t *f, size_t len)
{
    IXGBEPktGen *g = &c->gen;
    size_t l3 = ETH_HLEN, l4;
    const uint8_t *stamp;
    uint16_t type;
    int64_t sent, now;
    uint64_t rtt;

    if (!g->rtt_hist || len < l3 + 20) {
        return;
    }
    type = lduw_be_p(f + 12);
    if (type == ETH_P_VLAN) {
        type = lduw_be_p(f + 16);
        l3 += 4;
    }
    if (type != ETH_P_IP || len < l3 + 20 || f[l3] >> 4 != 4 ||
        f[l3 + 9] != IP_PROTO_UDP || (lduw_be_p(f + l3 + 6) & 0x3fff)) {
        return;         /* not IPv4/UDP, or a fragment */
    }
    l4 = l3 + (f[l3] & 0xf) * 4;
    stamp = f + l4 + 8;
    if (len < l4 + 8 + IXGBE_GEN_STAMP_LEN ||
        ldl_be_p(stamp) != IXGBE_GEN_STAMP_MAGIC ||
        ldl_be_p(stamp + 4) != g->run_id) {
        return;
    }
    sent = ldq_be_p(stamp + 8);
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    if (sent < g->start_ns || sent > now) {
        return;         /* a forged or damaged stamp */
    }
    rtt = now - sent;
    g->rtt_hist[ixgbe_rtt_bucket(rtt)]++;
    g->rtt_count++;
    g->rtt_min = MIN(g->rtt_min, rtt);
    g->rtt_max = MAX(g->rtt_max, rtt);
}

/* The smallest bucket bound that 'permille' of the round trips are under */
static uint64_t ixgbe_rtt_percentile(IXGBEPktGen *g, unsigned permille)
{
    uint64_t rank, seen = 0;
    unsigned b;

    if (!g->rtt_count) {
        return 0;
    }
    rank = MAX(1, (g->rtt_count * permille + 999) / 1000);
    for (b = 0; b < IXGBE_RTT_BUCKETS; b++) {
        seen += g->rtt_hist[b];
        if (seen >= rank) {
            return MIN(ixgbe_rtt_bucket_max(b), g->rtt_max);
        }
    }
    return g->rtt_max;
}

/* per mille of the round trips; 0 is the minimum, 1000 the maximum */
static const struct {
    const char *name;
    unsigned permille;
} ixgbe_rtt_props[] = {
    { "pktgen-rtt-min-ns", 0 },
    { "pktgen-rtt-p50-ns", 500 },
    { "pktgen-rtt-p99-ns", 990 },
    { "pktgen-rtt-p999-ns", 999 },
    { "pktgen-rtt-max-ns", 1000 },
};

static void ixgbe_gen_get_rtt(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    IXGBEPktGen *g = opaque;
    uint64_t val = 0;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(ixgbe_rtt_props); i++) {
        if (strcmp(name, ixgbe_rtt_props[i].name) || !g->rtt_count) {
            continue;
        }
        val = ixgbe_rtt_props[i].permille ?
              ixgbe_rtt_percentile(g, ixgbe_rtt_props[i].permille) :
              g->rtt_min;
    }
    visit_type_uint64(v, name, &val, errp);
}

/* ---------------------------------------------------------------------- */
/* QOM properties: a bad value is refused when it is set                   */

typedef struct IXGBEGenProp {
    const char *name;
    size_t off;             /* into IXGBEPktGen */
    uint32_t min, max;      /* numbers */
    bool (*valid)(const char *s);   /* strings */
} IXGBEGenProp;

static bool ixgbe_gen_valid_mac(const char *s)
{
    uint8_t mac[6];

    return ixgbe_gen_parse_mac(s, mac);
}

static bool ixgbe_gen_valid_dst_mac(const char *s)
{
    return !*s || !strcmp(s, "auto") || ixgbe_gen_valid_mac(s);
}

static bool ixgbe_gen_valid_ip(const char *s)
{
    uint32_t ip;

    return ixgbe_gen_parse_ip(s, &ip);
}

static const IXGBEGenProp ixgbe_gen_strs[] = {
    { "pktgen-dst-mac", offsetof(IXGBEPktGen, dst_mac), 0, 0,
      ixgbe_gen_valid_dst_mac },
    { "pktgen-src-mac", offsetof(IXGBEPktGen, src_mac), 0, 0,
      ixgbe_gen_valid_mac },
    { "pktgen-dst-ip", offsetof(IXGBEPktGen, dst_ip), 0, 0,
      ixgbe_gen_valid_ip },
    { "pktgen-src-ip", offsetof(IXGBEPktGen, src_ip), 0, 0,
      ixgbe_gen_valid_ip },
};

/* flow i uses src-ip + i and src-port + i, so 65536 flows at most */
static const IXGBEGenProp ixgbe_gen_u32s[] = {
    { "pktgen-dst-port", offsetof(IXGBEPktGen, dst_port), 0, 0xffff },
    { "pktgen-src-port", offsetof(IXGBEPktGen, src_port), 0, 0xffff },
    { "pktgen-flows", offsetof(IXGBEPktGen, flows), 1, 0x10000 },
    { "pktgen-size", offsetof(IXGBEPktGen, size), IXGBE_GEN_MIN_SIZE,
      IXGBE_GEN_MAX_SIZE },
};

static void ixgbe_gen_get_str(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    char **p = opaque;
    char *s = g_strdup(*p ? *p : "");

    visit_type_str(v, name, &s, errp);
    g_free(s);
}

static void ixgbe_gen_set_str(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    char **p = opaque;
    size_t i;
    char *s;

    if (!visit_type_str(v, name, &s, errp)) {
        return;
    }
    for (i = 0; i < ARRAY_SIZE(ixgbe_gen_strs); i++) {
        if (!strcmp(name, ixgbe_gen_strs[i].name) &&
            !ixgbe_gen_strs[i].valid(s)) {
            error_setg(errp, "%s: '%s' is not %s", name, s,
                       strstr(name, "-ip") ? "an IPv4 address"
                                           : "a MAC address");
            g_free(s);
            return;
        }
    }
    g_free(*p);
    *p = s;
}

static void ixgbe_gen_get_u32(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    uint32_t *p = opaque;

    visit_type_uint32(v, name, p, errp);
}

static void ixgbe_gen_set_u32(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    uint32_t *p = opaque, val;
    size_t i;

    if (!visit_type_uint32(v, name, &val, errp)) {
        return;
    }
    for (i = 0; i < ARRAY_SIZE(ixgbe_gen_u32s); i++) {
        const IXGBEGenProp *d = &ixgbe_gen_u32s[i];

        if (!strcmp(name, d->name) && (val < d->min || val > d->max)) {
            error_setg(errp, "%s must be %u..%u", name, d->min, d->max);
            return;
        }
    }
    *p = val;
}

static void ixgbe_gen_get_bool(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    visit_type_bool(v, name, opaque, errp);
}

static void ixgbe_gen_set_bool(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    bool val;

    if (visit_type_bool(v, name, &val, errp)) {
        *(bool *)opaque = val;
    }
}

static void ixgbe_gen_get_run(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    IXGBECore *c = opaque;
    bool run = c->gen.running;

    visit_type_bool(v, name, &run, errp);
}

static void ixgbe_gen_set_run(Object *obj, Visitor *v, const char *name,
                              void *opaque, Error **errp)
{
    IXGBECore *c = opaque;
    bool run;

    if (!visit_type_bool(v, name, &run, errp)) {
        return;
    }
    if (!run) {
        ixgbe_pktgen_stop(c);
    } else if (!c->gen.running) {
        ixgbe_gen_start(c);
    }
}

void ixgbe_pktgen_init(IXGBECore *c, Object *obj)
{
    IXGBEPktGen *g = &c->gen;
    size_t i;

    g->src_mac = g_strdup("02:00:00:00:00:01");
    g->dst_ip = g_strdup("10.0.0.2");
    g->src_ip = g_strdup("10.0.0.1");
    g->dst_port = 9;
    g->src_port = 1024;
    g->flows = 1;
    g->size = IXGBE_GEN_MIN_SIZE;
    g->rate = 10000;

    for (i = 0; i < ARRAY_SIZE(ixgbe_gen_strs); i++) {
        object_property_add(obj, ixgbe_gen_strs[i].name, "str",
                            ixgbe_gen_get_str, ixgbe_gen_set_str, NULL,
                            (char *)g + ixgbe_gen_strs[i].off);
    }
    for (i = 0; i < ARRAY_SIZE(ixgbe_gen_u32s); i++) {
        object_property_add(obj, ixgbe_gen_u32s[i].name, "uint32",
                            ixgbe_gen_get_u32, ixgbe_gen_set_u32, NULL,
                            (char *)g + ixgbe_gen_u32s[i].off);
    }
    object_property_add_uint64_ptr(obj, "pktgen-rate", &g->rate,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint64_ptr(obj, "pktgen-count", &g->count,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint64_ptr(obj, "pktgen-duration-ms",
                                   &g->duration_ms, OBJ_PROP_FLAG_READWRITE);
    object_property_add(obj, "pktgen-paced", "bool", ixgbe_gen_get_bool,
                        ixgbe_gen_set_bool, NULL, &g->paced);
    object_property_add(obj, "pktgen-stamp", "bool", ixgbe_gen_get_bool,
                        ixgbe_gen_set_bool, NULL, &g->stamp);
    object_property_add(obj, "pktgen-run", "bool", ixgbe_gen_get_run,
                        ixgbe_gen_set_run, NULL, c);
    object_property_add_uint64_ptr(obj, "pktgen-offered", &g->offered,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "pktgen-delivered", &g->delivered,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "pktgen-dropped", &g->dropped,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "pktgen-rtt-count", &g->rtt_count,
                                   OBJ_PROP_FLAG_READ);
    for (i = 0; i < ARRAY_SIZE(ixgbe_rtt_props); i++) {
        object_property_add(obj, ixgbe_rtt_props[i].name, "uint64",
                            ixgbe_gen_get_rtt, NULL, NULL, g);
    }
}

/* ---------------------------------------------------------------------- */
/* Migration: a run goes on from where it was, with its own template       */

static bool ixgbe_gen_frame_valid(void *opaque, int version_id)
{
    IXGBEPktGen *g = opaque;

    return g->frame_len <= IXGBE_GEN_MAX_SIZE &&
           (!g->running || (g->frame_len >= IXGBE_GEN_MIN_SIZE &&
                            g->run.flows >= 1));
}

/* Round trips are statistics, not state: they start over after a move */
static int ixgbe_gen_post_load(void *opaque, int version_id)
{
    ixgbe_gen_rtt_reset(opaque);
    return 0;
}

static int ixgbe_gen_pre_load(void *opaque)
{
    IXGBEPktGen *g = opaque;

    /* the load allocates the template anew */
    g_free(g->frame);
    g->frame = NULL;
    return 0;
}

const VMStateDescription vmstate_ixgbe_pktgen = {
    .name = "ixgbe-82599/pktgen",
    .version_id = 2,
    .minimum_version_id = 1,
    .pre_load = ixgbe_gen_pre_load,
    .post_load = ixgbe_gen_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_BOOL(running, IXGBEPktGen),
        VMSTATE_UINT32(run.flows, IXGBEPktGen),
        VMSTATE_UINT32(run.src_port, IXGBEPktGen),
        VMSTATE_UINT64(run.rate, IXGBEPktGen),
        VMSTATE_UINT64(run.count, IXGBEPktGen),
        VMSTATE_UINT64(run.duration_ms, IXGBEPktGen),
        VMSTATE_UINT32(frame_len, IXGBEPktGen),
        VMSTATE_VALIDATE("packet source template", ixgbe_gen_frame_valid),
        VMSTATE_VBUFFER_ALLOC_UINT32(frame, IXGBEPktGen, 0, NULL, frame_len),
        VMSTATE_UINT32(payload_sum, IXGBEPktGen),
        VMSTATE_UINT32(next_flow, IXGBEPktGen),
        VMSTATE_INT64(start_ns, IXGBEPktGen),
        VMSTATE_INT64(last_ns, IXGBEPktGen),
        VMSTATE_UINT64(credit, IXGBEPktGen),
        VMSTATE_UINT32(base_sip, IXGBEPktGen),
        VMSTATE_UINT64(sent_this_run, IXGBEPktGen),
        VMSTATE_UINT64(offered, IXGBEPktGen),
        VMSTATE_UINT64(delivered, IXGBEPktGen),
        VMSTATE_UINT64(dropped, IXGBEPktGen),
        VMSTATE_TIMER_PTR(timer, IXGBEPktGen),
        VMSTATE_BOOL_V(run.paced, IXGBEPktGen, 2),
        VMSTATE_BOOL_V(run.stamp, IXGBEPktGen, 2),
        VMSTATE_UINT32_V(gap_num, IXGBEPktGen, 2),
        VMSTATE_UINT32_V(gap_den, IXGBEPktGen, 2),
        VMSTATE_UINT64_V(slot, IXGBEPktGen, 2),
        VMSTATE_UINT32_V(run_id, IXGBEPktGen, 2),
        VMSTATE_UINT32_V(rest_sum, IXGBEPktGen, 2),
        VMSTATE_END_OF_LIST()
    }
};

/* Called once the device is realized: the source may now run */
void ixgbe_pktgen_realize(IXGBECore *c)
{
    IXGBEPktGen *g = &c->gen;

    g->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, ixgbe_gen_tick, c);
    if (g->running) {
        /*
         * pktgen-run=on on the command line: start with the machine, now
         * that the port's own address (the default destination) is known.
         */
        g->running = false;
        ixgbe_gen_start(c);
    }
}

void ixgbe_pktgen_unrealize(IXGBECore *c)
{
    IXGBEPktGen *g = &c->gen;

    if (g->timer) {
        timer_free(g->timer);
        g->timer = NULL;
    }
    g->running = false;
}

void ixgbe_pktgen_fini(IXGBECore *c)
{
    IXGBEPktGen *g = &c->gen;

    ixgbe_pktgen_unrealize(c);
    g_free(g->dst_mac);
    g_free(g->src_mac);
    g_free(g->dst_ip);
    g_free(g->src_ip);
    g_free(g->frame);
    g_free(g->rtt_hist);
    g->dst_mac = g->src_mac = g->dst_ip = g->src_ip = NULL;
    g->frame = NULL;
    g->rtt_hist = NULL;
}
