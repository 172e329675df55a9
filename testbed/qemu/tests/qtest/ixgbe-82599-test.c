/*
 * QTest for the Intel 82599 model (hw/net/ixgbe/): power-on values, the
 * NVM checksum, one RX and one TX ring, RSS and Flow Director queue
 * selection, the receive packet buffer on overload, and the setters of
 * the test-only packet source.  No guest runs: the test is the driver,
 * and the port's wire is a socket pair.
 *
 * Expected values come from the datasheet (Intel 82599 10 GbE Controller
 * Datasheet, 331520) and from Microsoft's published RSS verification
 * suite, not from the model.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "libqtest.h"
#include "libqos/pci-pc.h"
#include "hw/pci/pci_regs.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"
#include "hw/net/ixgbe/ixgbe_regs.h"

#define MAC             "52:54:00:12:34:56"
#define MAC_BYTES       0x52, 0x54, 0x00, 0x12, 0x34, 0x56
#define SLOT            4

/* guest memory the test hands the device: rings, then buffers */
#define RING_AT(q)      (0x01000000ull + (q) * 0x1000)
#define BUFS_AT(q)      (0x02000000ull + (q) * 0x100000)
#define TX_RING         0x03000000ull
#define TX_BUF          0x03100000ull
#define BUF_SIZE        2048
#define RXD             16

#define WAIT_US         (5 * 1000 * 1000)

typedef struct Port {
    QTestState *qts;
    QPCIBus *bus;
    QPCIDevice *dev;
    QPCIBar bar;
    int wire;           /* our end of the port's cable */
} Port;

/*
 * QEMU with one port: 'props' are more -device properties (",x-...=on"),
 * 'args' more command-line options.
 */
static void port_start(Port *p, const char *props, const char *args)
{
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    p->qts = qtest_initf("-M q35 -netdev socket,fd=%d,id=wire "
                         "-device ixgbe-82599,netdev=wire,mac=" MAC
                         ",addr=%d.0,id=nic0%s %s", sv[1], SLOT, props, args);
    close(sv[1]);
    p->wire = sv[0];
}

/* The test's view of the port's function and BAR0. */
static void port_attach(Port *p)
{
    p->bus = qpci_new_pc(p->qts, NULL);
    p->dev = qpci_device_find(p->bus, QPCI_DEVFN(SLOT, 0));
    g_assert_nonnull(p->dev);
    p->bar = qpci_iomap(p->dev, 0, NULL);
}

static void port_open(Port *p, const char *props)
{
    port_start(p, props, "");
    port_attach(p);
    qpci_device_enable(p->dev);
}

static void port_close(Port *p)
{
    close(p->wire);
    g_free(p->dev);
    qpci_free_pc(p->bus);
    qtest_quit(p->qts);
}

static uint32_t rd(Port *p, uint32_t off)
{
    return qpci_io_readl(p->dev, p->bar, off);
}

static void wr(Port *p, uint32_t off, uint32_t val)
{
    qpci_io_writel(p->dev, p->bar, off, val);
}

static uint32_t rxq(unsigned q, uint32_t reg)
{
    return IXGBE_RXQ_BASE_LO + q * IXGBE_QUEUE_STRIDE + reg;
}

static uint32_t txq(unsigned q, uint32_t reg)
{
    return IXGBE_TXQ_BASE + q * IXGBE_QUEUE_STRIDE + reg;
}

/* ---------------------------------------------------------------------- */
/* The wire: QEMU's socket backend frames each packet with a be32 length  */

static void wire_send(Port *p, const uint8_t *frame, size_t len)
{
    uint32_t be = cpu_to_be32(len);

    g_assert_cmpint(write(p->wire, &be, 4), ==, 4);
    g_assert_cmpint(write(p->wire, frame, len), ==, len);
}

static size_t wire_recv(Port *p, uint8_t *frame, size_t size)
{
    uint32_t be;
    size_t len;

    g_assert_cmpint(recv(p->wire, &be, 4, MSG_WAITALL), ==, 4);
    len = be32_to_cpu(be);
    g_assert_cmpuint(len, <=, size);
    g_assert_cmpint(recv(p->wire, frame, len, MSG_WAITALL), ==, len);
    return len;
}

/* RFC 1071: the one's complement of the one's complement sum, from 'sum' */
static uint16_t csum(uint32_t sum, const uint8_t *h, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        sum += lduw_be_p(h + i);
    }
    if (len & 1) {
        sum += h[len - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

static uint16_t ip_csum(const uint8_t *h, size_t len)
{
    return csum(0, h, len);
}

/* TCP/UDP checksum of the IPv4 frame f: pseudo header, then the segment */
static uint16_t l4_csum(const uint8_t *f, size_t len)
{
    size_t l4len = len - 34;
    uint32_t pseudo = lduw_be_p(f + 26) + lduw_be_p(f + 28) +
                      lduw_be_p(f + 30) + lduw_be_p(f + 32) + f[23] + l4len;

    return csum(pseudo, f + 34, l4len);
}

/* A UDP/IPv4 frame to our MAC; 'seq' in the first payload bytes. */
static size_t udp_frame(uint8_t *f, const uint8_t sip[4], const uint8_t dip[4],
                        uint16_t sport, uint16_t dport, uint32_t seq)
{
    static const uint8_t dst[6] = { MAC_BYTES };
    const size_t len = 60;

    memset(f, 0, len);
    memcpy(f, dst, 6);
    memcpy(f + 6, (uint8_t[]){ 0x02, 0, 0, 0, 0, 1 }, 6);
    stw_be_p(f + 12, 0x0800);
    f[14] = 0x45;
    stw_be_p(f + 16, len - 14);
    f[22] = 64;
    f[23] = 17;
    memcpy(f + 26, sip, 4);
    memcpy(f + 30, dip, 4);
    stw_be_p(f + 24, ip_csum(f + 14, 20));
    stw_be_p(f + 34, sport);
    stw_be_p(f + 36, dport);
    stw_be_p(f + 38, len - 34);
    stl_be_p(f + 42, seq);
    stw_be_p(f + 40, l4_csum(f, len));
    return len;
}

static size_t seq_frame(uint8_t *f, uint32_t seq)
{
    return udp_frame(f, (uint8_t[]){ 10, 0, 0, 1 }, (uint8_t[]){ 10, 0, 0, 2 },
                     1024, 9, seq);
}

/* ---------------------------------------------------------------------- */
/* Receive rings                                                           */

/* Give descriptor i of queue q its buffer again (7.1.6.1 read format). */
static void rx_arm(Port *p, unsigned q, unsigned i)
{
    qtest_writeq(p->qts, RING_AT(q) + i * 16, BUFS_AT(q) + i * BUF_SIZE);
    qtest_writeq(p->qts, RING_AT(q) + i * 16 + 8, 0);
}

/*
 * Queue q with a ring of RXD advanced one-buffer descriptors of 2 KiB
 * (8.2.3.8.7 SRRCTL), all but one handed to the device (8.2.3.8.5 RDT).
 */
static void rx_setup(Port *p, unsigned q, uint32_t srrctl_flags)
{
    unsigned i;

    for (i = 0; i < RXD; i++) {
        rx_arm(p, q, i);
    }
    wr(p, rxq(q, IXGBE_RXQ_RDBAL), RING_AT(q));
    wr(p, rxq(q, IXGBE_RXQ_RDBAH), RING_AT(q) >> 32);
    wr(p, rxq(q, IXGBE_RXQ_RDLEN), RXD * 16);
    wr(p, rxq(q, IXGBE_RXQ_SRRCTL), 2 | srrctl_flags |
       IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF << IXGBE_SRRCTL_DESCTYPE_SHIFT);
    wr(p, rxq(q, IXGBE_RXQ_RXDCTL), IXGBE_RXDCTL_ENABLE);
    wr(p, rxq(q, IXGBE_RXQ_RDH), 0);
    wr(p, rxq(q, IXGBE_RXQ_RDT), RXD - 1);
}

static void rx_enable(Port *p)
{
    wr(p, IXGBE_RXCTRL, IXGBE_RXCTRL_RXEN);
}

/* Write-back status dword of descriptor i (7.1.6.2), 0 if not done. */
static uint32_t rx_status(Port *p, unsigned q, unsigned i)
{
    uint32_t st = qtest_readl(p->qts, RING_AT(q) + i * 16 + 8);

    return st & IXGBE_RXD_STAT_DD ? st : 0;
}

static bool rx_wait(Port *p, unsigned q, unsigned i)
{
    gint64 end = g_get_monotonic_time() + WAIT_US;

    while (!rx_status(p, q, i)) {
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_usleep(1000);
    }
    return true;
}

static uint32_t rx_seq(Port *p, unsigned q, unsigned i)
{
    uint8_t b[4];

    qtest_memread(p->qts, BUFS_AT(q) + i * BUF_SIZE + 42, b, sizeof(b));
    return ldl_be_p(b);
}

/* Clear-on-read counter, summed until it reaches 'want' (or times out). */
static uint32_t count_until(Port *p, uint32_t reg, uint32_t want)
{
    gint64 end = g_get_monotonic_time() + WAIT_US;
    uint32_t n = 0;

    for (;;) {
        n += rd(p, reg);
        if (n >= want || g_get_monotonic_time() > end) {
            return n;
        }
        g_usleep(1000);
    }
}

/* ---------------------------------------------------------------------- */
/* Transmit ring                                                           */

/* Queue 0 with a ring of 8 descriptors (8.2.3.9), transmit on. */
static void tx_setup(Port *p)
{
    wr(p, txq(0, IXGBE_TXQ_TDBAL), TX_RING);
    wr(p, txq(0, IXGBE_TXQ_TDBAH), 0);
    wr(p, txq(0, IXGBE_TXQ_TDLEN), 8 * 16);
    wr(p, IXGBE_DMATXCTL, rd(p, IXGBE_DMATXCTL) | IXGBE_DMATXCTL_TE);
    wr(p, txq(0, IXGBE_TXQ_TXDCTL), IXGBE_TXDCTL_ENABLE);
}

/*
 * Descriptor i: a 7.2.3.2.4 advanced data descriptor of one buffer at
 * 'buf', with EOP and IFCS (and 'cmd', e.g. RS); then TDT past it.
 */
static void tx_desc(Port *p, unsigned i, uint64_t buf, size_t len,
                    uint32_t cmd)
{
    qtest_writeq(p->qts, TX_RING + i * 16, buf);
    qtest_writel(p->qts, TX_RING + i * 16 + 8, len | IXGBE_TXD_DTYP_DATA <<
                 IXGBE_TXD_DTYP_SHIFT | IXGBE_TXD_CMD_DEXT |
                 IXGBE_TXD_CMD_EOP | IXGBE_TXD_CMD_IFCS | cmd);
    qtest_writel(p->qts, TX_RING + i * 16 + 12, len << 14);
    wr(p, txq(0, IXGBE_TXQ_TDT), i + 1);
}

/* Frame f in descriptor i's own buffer, then tx_desc(). */
static void tx_put(Port *p, unsigned i, const uint8_t *f, size_t len,
                   uint32_t cmd)
{
    uint64_t buf = TX_BUF + i * BUF_SIZE;

    qtest_memwrite(p->qts, buf, f, len);
    tx_desc(p, i, buf, len, cmd);
}

/* DD of descriptor i's write-back (7.2.3.5.1) */
static uint32_t tx_status(Port *p, unsigned i)
{
    return qtest_readl(p->qts, TX_RING + i * 16 + 12) & 1;
}

/* ---------------------------------------------------------------------- */
/* QMP                                                                     */

static bool qom_set_ok(Port *p, const char *prop, QObject *val)
{
    QDict *r;
    bool ok;

    r = qtest_qmp(p->qts, "{'execute': 'qom-set', 'arguments': {"
                  "'path': '/machine/peripheral/nic0', 'property': %s, "
                  "'value': %p}}", prop, val);
    ok = !qdict_haskey(r, "error");
    qobject_unref(r);
    return ok;
}

static int64_t qom_get_int(Port *p, const char *prop)
{
    QDict *r;
    int64_t v;

    r = qtest_qmp(p->qts, "{'execute': 'qom-get', 'arguments': {"
                  "'path': '/machine/peripheral/nic0', 'property': %s}}",
                  prop);
    g_assert_true(qdict_haskey(r, "return"));
    v = qdict_get_int(r, "return");
    qobject_unref(r);
    return v;
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                   */

/* Power-on values the datasheet gives and the driver depends on. */
static void test_reset_values(void)
{
    Port p;

    port_open(&p, "");
    /* 8.2.3.7.9: receive address 0 is loaded from the NVM, valid */
    g_assert_cmphex(rd(&p, IXGBE_RAL0), ==, 0x12005452);
    g_assert_cmphex(rd(&p, IXGBE_RAL0 + 4), ==, IXGBE_RAH_AV | 0x5634);
    /* RXPBSIZE[0]: the whole 512 KB receive packet buffer, no DCB */
    g_assert_cmphex(rd(&p, IXGBE_RXPBSIZE0), ==, 0x00080000);
    /* 8.2.3.7.2 VLNCTRL.VET: 0x8100 */
    g_assert_cmphex(rd(&p, IXGBE_VLNCTRL) & 0xffff, ==, 0x8100);
    /* 8.2.3.22.13 MAXFRS.MFS: 1518 */
    g_assert_cmphex(rd(&p, IXGBE_MAXFRS) >> 16, ==, 1518);
    /* no queue is enabled, the receiver is off */
    g_assert_cmphex(rd(&p, rxq(0, IXGBE_RXQ_RXDCTL)) & IXGBE_RXDCTL_ENABLE,
                    ==, 0);
    g_assert_cmphex(rd(&p, IXGBE_RXCTRL) & IXGBE_RXCTRL_RXEN, ==, 0);

    /* 8.2.3.1.1 CTRL.RST is self-clearing and restores those values */
    wr(&p, IXGBE_VLNCTRL, 0x88a8);
    wr(&p, IXGBE_RXPBSIZE0, 0x1000);
    wr(&p, IXGBE_CTRL, IXGBE_CTRL_RST);
    g_assert_cmphex(rd(&p, IXGBE_CTRL) & IXGBE_CTRL_RST, ==, 0);
    g_assert_cmphex(rd(&p, IXGBE_VLNCTRL) & 0xffff, ==, 0x8100);
    g_assert_cmphex(rd(&p, IXGBE_RXPBSIZE0), ==, 0x00080000);

    /* so does a system reset (the device's Resettable hold phase) */
    wr(&p, IXGBE_VLNCTRL, 0x88a8);
    qobject_unref(qtest_qmp(p.qts, "{'execute': 'system_reset'}"));
    qtest_qmp_eventwait(p.qts, "RESET");
    /* config space was reset too: map BAR0 again */
    p.bar = qpci_iomap(p.dev, 0, NULL);
    qpci_device_enable(p.dev);
    g_assert_cmphex(rd(&p, IXGBE_VLNCTRL) & 0xffff, ==, 0x8100);
    port_close(&p);
}

static uint16_t nvm_word(Port *p, unsigned w)
{
    uint32_t v;
    int i;

    /* 8.2.3.2.2 EERD: address in 15:2, START; DONE, data in 31:16 */
    wr(p, IXGBE_EERD, w << IXGBE_EERD_ADDR_SHIFT | IXGBE_EERD_START);
    for (i = 0; i < 1000; i++) {
        v = rd(p, IXGBE_EERD);
        if (v & IXGBE_EERD_DONE) {
            return v >> IXGBE_EERD_DATA_SHIFT;
        }
    }
    g_assert_not_reached();
}

/*
 * The NVM checksum word (0x3F): words 0x00-0x3F plus the body of every
 * section the pointers 0x03-0x0E name sum to 0xBABA.
 */
static void test_nvm_checksum(void)
{
    uint16_t sum = 0, ptr, len;
    unsigned i, w;
    Port p;

    port_open(&p, "");
    for (w = 0; w <= 0x3f; w++) {
        sum += nvm_word(&p, w);
    }
    for (i = 0x03; i <= 0x0e; i++) {
        ptr = nvm_word(&p, i);
        if (ptr == 0 || ptr == 0xffff) {
            continue;
        }
        len = nvm_word(&p, ptr);
        g_assert_cmpuint(len, <, 0x400);
        for (w = ptr + 1; w <= ptr + len; w++) {
            sum += nvm_word(&p, w);
        }
    }
    g_assert_cmphex(sum, ==, 0xbaba);
    port_close(&p);
}

/* One frame in, one frame out: the RX and TX descriptor formats. */
static void test_rx_tx_round_trip(void)
{
    uint8_t f[60], out[128];
    uint32_t st, lenw;
    size_t len, n;
    Port p;

    port_open(&p, "");
    rx_setup(&p, 0, 0);
    rx_enable(&p);
    len = seq_frame(f, 0x01020304);
    wire_send(&p, f, len);
    g_assert_true(rx_wait(&p, 0, 0));
    st = rx_status(&p, 0, 0);
    /* 7.1.6.2: DD, EOP, IPv4 and UDP checksums checked and good */
    g_assert_cmphex(st & (IXGBE_RXD_STAT_EOP | IXGBE_RXD_STAT_IPCS |
                          IXGBE_RXD_STAT_L4CS | IXGBE_RXD_STAT_UDPCS), ==,
                    IXGBE_RXD_STAT_EOP | IXGBE_RXD_STAT_IPCS |
                    IXGBE_RXD_STAT_L4CS | IXGBE_RXD_STAT_UDPCS);
    g_assert_cmphex(st & (IXGBE_RXD_ERR_IPE | IXGBE_RXD_ERR_TCPE), ==, 0);
    lenw = qtest_readl(p.qts, RING_AT(0) + 12) & 0xffff;
    g_assert_cmpuint(lenw, ==, len);
    g_assert_cmphex(rd(&p, rxq(0, IXGBE_RXQ_RDH)), ==, 1);
    g_assert_cmpuint(rx_seq(&p, 0, 0), ==, 0x01020304);
    g_assert_cmpuint(rd(&p, IXGBE_GPRC), ==, 1);
    g_assert_cmpuint(rd(&p, IXGBE_QPRC0), ==, 1);

    tx_setup(&p);
    tx_put(&p, 0, f, len, IXGBE_TXD_CMD_RS);
    n = wire_recv(&p, out, sizeof(out));
    g_assert_cmpuint(n, ==, len);
    g_assert_cmpmem(out, n, f, len);
    /* 7.2.3.5.1 write-back: DD in the status, TDH past the descriptor */
    g_assert_cmphex(tx_status(&p, 0), ==, 1);
    g_assert_cmphex(rd(&p, txq(0, IXGBE_TXQ_TDH)), ==, 1);
    g_assert_cmpuint(rd(&p, IXGBE_GPTC), ==, 1);
    port_close(&p);
}

/*
 * Without RS a descriptor gets no write-back and raises no cause; with
 * head write-back (7.2.3.5.2) the head goes to memory instead of DD.
 */
#define TX_HEAD_WB      0x03200000ull

static void test_tx_rs_and_head_wb(void)
{
    uint8_t f[60], out[128];
    size_t len = seq_frame(f, 9);
    Port p;

    port_open(&p, "");
    tx_setup(&p);
    /* 8.2.3.5.16 IVAR: TX queue 0 to EICR bit 1 (legacy mode) */
    wr(&p, IXGBE_IVAR0, (IXGBE_IVAR_VALID | 1) << 8);
    tx_put(&p, 0, f, len, 0);
    g_assert_cmpuint(wire_recv(&p, out, sizeof(out)), ==, len);
    g_assert_cmphex(tx_status(&p, 0), ==, 0);
    g_assert_cmphex(rd(&p, IXGBE_EICR) & 2, ==, 0);

    qtest_writel(p.qts, TX_HEAD_WB, 0xdead);
    wr(&p, txq(0, IXGBE_TXQ_TDWBAH), 0);
    wr(&p, txq(0, IXGBE_TXQ_TDWBAL), TX_HEAD_WB | IXGBE_TDWBAL_HEAD_WB_EN);
    tx_put(&p, 1, f, len, IXGBE_TXD_CMD_RS);
    g_assert_cmpuint(wire_recv(&p, out, sizeof(out)), ==, len);
    g_assert_cmphex(qtest_readl(p.qts, TX_HEAD_WB), ==, 2);
    g_assert_cmphex(tx_status(&p, 1), ==, 0);
    g_assert_cmphex(rd(&p, IXGBE_EICR) & 2, ==, 2);
    port_close(&p);
}

/*
 * Microsoft's RSS verification suite: key below, IPv4 66.9.149.187:2794 ->
 * 161.142.100.80:1766 hashes to 0x51ccc178 with ports, 0x323e8fc2 without.
 */
static const uint8_t rss_key[40] = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
    0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
    0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
    0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
    0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static void rss_setup(Port *p, unsigned entry, unsigned queue)
{
    unsigned i;

    /* 8.2.3.7.16 RSSRK: byte 0 of the key in bits 7:0 of word 0 */
    for (i = 0; i < 10; i++) {
        wr(p, IXGBE_RSSRK0 + 4 * i, ldl_le_p(rss_key + 4 * i));
    }
    /* 8.2.3.7.15 RETA: every entry to queue 0 but one */
    for (i = 0; i < 32; i++) {
        wr(p, IXGBE_RETA0 + 4 * i, 0);
    }
    wr(p, IXGBE_RETA0 + 4 * (entry / 4), queue << (8 * (entry % 4)));
    /* 8.2.3.7.12 MRQC: RSS, IPv4 and IPv4/UDP hashes */
    wr(p, IXGBE_MRQC, IXGBE_MRQC_RSSEN | IXGBE_MRQC_IPV4 |
       IXGBE_MRQC_IPV4_UDP);
    /* 8.2.3.7.4 RXCSUM.PCSD: the hash in the write-back */
    wr(p, IXGBE_RXCSUM, IXGBE_RXCSUM_PCSD);
}

static size_t rss_frame(uint8_t *f)
{
    return udp_frame(f, (uint8_t[]){ 66, 9, 149, 187 },
                     (uint8_t[]){ 161, 142, 100, 80 }, 2794, 1766, 7);
}

static void test_rss(void)
{
    uint8_t f[60];
    Port p;

    port_open(&p, "");
    rx_setup(&p, 0, 0);
    rx_setup(&p, 5, 0);
    /* 0x51ccc178: RETA entry 0x78 */
    rss_setup(&p, 0x78, 5);
    rx_enable(&p);
    wire_send(&p, f, rss_frame(f));
    g_assert_true(rx_wait(&p, 5, 0));
    g_assert_cmphex(qtest_readl(p.qts, RING_AT(5) + 4), ==, 0x51ccc178);
    /* 7.1.6.2 RSS type 7: IPv4 UDP */
    g_assert_cmphex(qtest_readl(p.qts, RING_AT(5)) & 0xf, ==, 7);
    g_assert_cmpuint(rx_status(&p, 0, 0), ==, 0);
    port_close(&p);
}

/*
 * A Flow Director perfect filter (7.1.2.7) for the RSS frame's tuple to
 * 'queue': FDIRCTRL perfect match with 64 KB of filters, masks that
 * compare addresses and ports only, then the filter in bucket 0x1234
 * with soft id 1.  Addresses in network byte order as stored; ports in
 * host order.
 */
static void fdir_rss_frame_to(Port *p, unsigned queue)
{
    wr(p, IXGBE_FDIRCTRL, IXGBE_FDIRCTRL_PERFECT | 1);
    wr(p, IXGBE_FDIRM, IXGBE_FDIRM_VLANID | IXGBE_FDIRM_VLANP |
       IXGBE_FDIRM_POOL | IXGBE_FDIRM_FLEX);
    wr(p, IXGBE_FDIRSIP4M, 0);
    wr(p, IXGBE_FDIRDIP4M, 0);
    wr(p, IXGBE_FDIRUDPM, 0);
    wr(p, IXGBE_FDIRIPSA, ldl_le_p((uint8_t[]){ 66, 9, 149, 187 }));
    wr(p, IXGBE_FDIRIPDA, ldl_le_p((uint8_t[]){ 161, 142, 100, 80 }));
    wr(p, IXGBE_FDIRPORT, 1766u << 16 | 2794);
    wr(p, IXGBE_FDIRHASH, 1u << IXGBE_FDIRHASH_SOFTID_SHIFT | 0x1234);
    wr(p, IXGBE_FDIRCMD, IXGBE_FDIRCMD_CMD_ADD | IXGBE_FDIRCMD_QUEUE_EN |
       IXGBE_FDIR_L4_UDP << IXGBE_FDIRCMD_L4TYPE_SHIFT |
       queue << IXGBE_FDIRCMD_QUEUE_SHIFT);
}

/*
 * 7.1.2.7 Flow Director perfect filter for the RSS frame's tuple to queue
 * 9: it overrides RSS (queue 5), counts FDIRMATCH; another flow misses
 * and follows RSS (entry 0, queue 0).
 */
static void test_fdir_over_rss(void)
{
    uint8_t f[60];
    Port p;

    port_open(&p, "");
    rx_setup(&p, 0, 0);
    rx_setup(&p, 5, 0);
    rx_setup(&p, 9, 0);
    rss_setup(&p, 0x78, 5);
    fdir_rss_frame_to(&p, 9);
    rx_enable(&p);

    wire_send(&p, f, rss_frame(f));
    g_assert_true(rx_wait(&p, 9, 0));
    g_assert_cmpuint(rd(&p, IXGBE_FDIRMATCH), ==, 1);

    wire_send(&p, f, seq_frame(f, 1));
    g_assert_true(rx_wait(&p, 0, 0));
    g_assert_cmpuint(rd(&p, IXGBE_FDIRMISS), ==, 1);
    g_assert_cmpuint(rx_status(&p, 5, 0), ==, 0);
    port_close(&p);
}

/*
 * 7.1.2.5 5-tuple filters over Flow Director: the RSS frame, which a
 * perfect filter sends to queue 9, goes to queue 3 by a filter on its UDP
 * destination port, and to queue 4 once a filter of higher priority on
 * its source address matches too.  Addresses and ports are written in
 * network byte order, as DPDK's ixgbe PMD writes them.
 */
static void ftqf_set(Port *p, unsigned i, uint32_t ftqf, unsigned queue)
{
    wr(p, IXGBE_L34T_IMIR0 + 4 * i, queue << IXGBE_L34T_IMIR_QUEUE_SHIFT);
    wr(p, IXGBE_FTQF0 + 4 * i, ftqf | IXGBE_FTQF_QUEUE_EN);
}

static void test_5tuple_priority(void)
{
    const uint32_t only_dport = IXGBE_FTQF_NO_SADDR | IXGBE_FTQF_NO_DADDR |
                                IXGBE_FTQF_NO_SPORT | IXGBE_FTQF_NO_POOL;
    const uint32_t only_saddr = IXGBE_FTQF_NO_DADDR | IXGBE_FTQF_NO_SPORT |
                                IXGBE_FTQF_NO_DPORT | IXGBE_FTQF_NO_PROTO |
                                IXGBE_FTQF_NO_POOL;
    uint8_t f[60];
    Port p;

    port_open(&p, "");
    rx_setup(&p, 3, 0);
    rx_setup(&p, 4, 0);
    rx_setup(&p, 9, 0);
    fdir_rss_frame_to(&p, 9);
    /* filter 7: UDP to port 1766 (0x06e6), priority 1 */
    wr(&p, IXGBE_SDPQF0 + 4 * 7, (uint32_t)bswap16(1766) << 16);
    ftqf_set(&p, 7, only_dport | IXGBE_FTQF_PROTO_UDP |
             1 << IXGBE_FTQF_PRIO_SHIFT, 3);
    rx_enable(&p);
    wire_send(&p, f, rss_frame(f));
    g_assert_true(rx_wait(&p, 3, 0));

    /* filter 2: from 66.9.149.187, priority 5: first in priority, not index */
    wr(&p, IXGBE_SAQF0 + 4 * 2, ldl_le_p((uint8_t[]){ 66, 9, 149, 187 }));
    ftqf_set(&p, 2, only_saddr | 5 << IXGBE_FTQF_PRIO_SHIFT, 4);
    wire_send(&p, f, rss_frame(f));
    g_assert_true(rx_wait(&p, 4, 0));

    /* Flow Director's queue got neither */
    g_assert_cmpuint(rx_status(&p, 9, 0), ==, 0);
    port_close(&p);
}

/*
 * 7.1.2.3 ethertype filter (ETQF/ETQS) and 7.1.2.4 SYN filter: a frame of
 * type 0x88b5 to queue 6; a TCP SYN to queue 7 when SYNQF.SYNQFP puts the
 * SYN filter first, to the 5-tuple filter's queue 2 when it does not.
 */
static size_t tcp_syn_frame(uint8_t *f)
{
    size_t len = udp_frame(f, (uint8_t[]){ 10, 0, 0, 1 },
                           (uint8_t[]){ 10, 0, 0, 2 }, 40000, 80, 0);

    f[23] = 6;
    f[24] = f[25] = 0;
    stw_be_p(f + 24, ip_csum(f + 14, 20));
    f[34 + 12] = 5 << 4;        /* data offset: 20 bytes */
    f[34 + 13] = 0x02;          /* SYN */
    stw_be_p(f + 34 + 16, 0);
    stw_be_p(f + 34 + 16, l4_csum(f, len));
    return len;
}

static void test_etype_and_syn(void)
{
    uint8_t f[60] = { MAC_BYTES, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5 };
    Port p;

    port_open(&p, "");
    rx_setup(&p, 2, 0);
    rx_setup(&p, 6, 0);
    rx_setup(&p, 7, 0);
    wr(&p, IXGBE_ETQF0 + 4 * 1, IXGBE_ETQF_FILTER_EN | 0x88b5);
    wr(&p, IXGBE_ETQS0 + 4 * 1, IXGBE_ETQS_QUEUE_EN |
       6 << IXGBE_ETQS_QUEUE_SHIFT);
    rx_enable(&p);
    wire_send(&p, f, sizeof(f));
    g_assert_true(rx_wait(&p, 6, 0));

    /* TCP to port 80 by a 5-tuple filter to queue 2; SYN filter to 7 */
    wr(&p, IXGBE_SDPQF0, (uint32_t)bswap16(80) << 16);
    ftqf_set(&p, 0, IXGBE_FTQF_NO_SADDR | IXGBE_FTQF_NO_DADDR |
             IXGBE_FTQF_NO_SPORT | IXGBE_FTQF_NO_POOL |
             IXGBE_FTQF_PROTO_TCP | 1 << IXGBE_FTQF_PRIO_SHIFT, 2);
    wr(&p, IXGBE_SYNQF, IXGBE_SYNQF_EN | 7 << IXGBE_SYNQF_QUEUE_SHIFT);
    wire_send(&p, f, tcp_syn_frame(f));
    g_assert_true(rx_wait(&p, 2, 0));
    wr(&p, IXGBE_SYNQF, IXGBE_SYNQF_EN | IXGBE_SYNQF_SYNQFP |
       7 << IXGBE_SYNQF_QUEUE_SHIFT);
    wire_send(&p, f, tcp_syn_frame(f));
    g_assert_true(rx_wait(&p, 7, 0));
    port_close(&p);
}

/*
 * 7.1.2.7: a perfect filter is known by bucket hash and soft id; two with
 * the same soft id in two buckets are two filters.  Removing one leaves
 * the other.
 */
static void test_fdir_bucket_and_soft_id(void)
{
    uint8_t f[60];
    Port p;

    port_open(&p, "");
    rx_setup(&p, 0, 0);
    rx_setup(&p, 9, 0);
    rx_setup(&p, 10, 0);
    fdir_rss_frame_to(&p, 9);           /* bucket 0x1234, soft id 1 */
    wr(&p, IXGBE_FDIRIPSA, ldl_le_p((uint8_t[]){ 10, 0, 0, 1 }));
    wr(&p, IXGBE_FDIRIPDA, ldl_le_p((uint8_t[]){ 10, 0, 0, 2 }));
    wr(&p, IXGBE_FDIRPORT, 9u << 16 | 1024);
    wr(&p, IXGBE_FDIRHASH, 1u << IXGBE_FDIRHASH_SOFTID_SHIFT | 0x0042);
    wr(&p, IXGBE_FDIRCMD, IXGBE_FDIRCMD_CMD_ADD | IXGBE_FDIRCMD_QUEUE_EN |
       IXGBE_FDIR_L4_UDP << IXGBE_FDIRCMD_L4TYPE_SHIFT |
       10u << IXGBE_FDIRCMD_QUEUE_SHIFT);
    rx_enable(&p);
    wire_send(&p, f, rss_frame(f));
    g_assert_true(rx_wait(&p, 9, 0));
    wire_send(&p, f, seq_frame(f, 1));
    g_assert_true(rx_wait(&p, 10, 0));

    /* remove bucket 0x0042's: the seq frame falls back to queue 0 */
    wr(&p, IXGBE_FDIRHASH, 1u << IXGBE_FDIRHASH_SOFTID_SHIFT | 0x0042);
    wr(&p, IXGBE_FDIRCMD, IXGBE_FDIRCMD_CMD_REMOVE);
    wire_send(&p, f, seq_frame(f, 2));
    g_assert_true(rx_wait(&p, 0, 0));
    wire_send(&p, f, rss_frame(f));
    g_assert_true(rx_wait(&p, 9, 1));
    port_close(&p);
}

/*
 * 8.2.3.22.8 HLREG0.RXCRCSTRP clear keeps the FCS: 4 more bytes, the
 * frame's CRC-32 (the Ethernet FCS, least significant byte first).  A
 * frame shorter than 60 bytes arrives padded to 60, as a MAC sends it.
 */
static uint32_t fcs(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xffffffff;
    size_t i;
    int b;

    for (i = 0; i < len; i++) {
        crc ^= p[i];
        for (b = 0; b < 8; b++) {
            crc = crc & 1 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
        }
    }
    return ~crc;
}

static void test_crc_and_runt(void)
{
    uint8_t f[60], got[64];
    size_t len;
    Port p;

    port_open(&p, "");
    rx_setup(&p, 0, 0);
    rx_enable(&p);
    /* 42 bytes: an ARP-sized runt, padded with zeros */
    len = seq_frame(f, 5);
    memset(f + 42, 0, sizeof(f) - 42);
    wire_send(&p, f, 42);
    g_assert_true(rx_wait(&p, 0, 0));
    g_assert_cmpuint(qtest_readl(p.qts, RING_AT(0) + 12) & 0xffff, ==, 60);
    qtest_memread(p.qts, BUFS_AT(0), got, 60);
    g_assert_cmpmem(got, 60, f, 60);

    wr(&p, IXGBE_HLREG0, rd(&p, IXGBE_HLREG0) & ~IXGBE_HLREG0_RXCRCSTRP);
    len = seq_frame(f, 6);
    wire_send(&p, f, len);
    g_assert_true(rx_wait(&p, 0, 1));
    g_assert_cmpuint(qtest_readl(p.qts, RING_AT(0) + 16 + 12) & 0xffff, ==,
                     len + 4);
    qtest_memread(p.qts, BUFS_AT(0) + BUF_SIZE, got, len + 4);
    g_assert_cmpmem(got, len, f, len);
    g_assert_cmphex(ldl_le_p(got + len), ==, fcs(f, len));
    port_close(&p);
}

/*
 * 7.1.5.1 legacy descriptors: the write-back leaves the buffer address and
 * carries the length, EOP/DD and the checksum status (IPCS, L4CS, UDPCS).
 */
static void test_legacy_writeback(void)
{
    gint64 end = g_get_monotonic_time() + WAIT_US;
    uint8_t f[60];
    uint32_t up;
    Port p;

    port_open(&p, "");
    rx_setup(&p, 0, 0);
    wr(&p, rxq(0, IXGBE_RXQ_SRRCTL), 2);    /* legacy, 2 KiB */
    rx_enable(&p);
    wire_send(&p, f, seq_frame(f, 8));
    while (!((up = qtest_readl(p.qts, RING_AT(0) + 12)) & IXGBE_RXD_STAT_DD)) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(1000);
    }
    g_assert_cmphex(qtest_readq(p.qts, RING_AT(0)), ==, BUFS_AT(0));
    g_assert_cmpuint(qtest_readl(p.qts, RING_AT(0) + 8) & 0xffff, ==, 60);
    g_assert_cmphex(up & 0xff, ==, IXGBE_RXD_STAT_DD | IXGBE_RXD_STAT_EOP |
                    IXGBE_RXD_STAT_IPCS | IXGBE_RXD_STAT_L4CS |
                    IXGBE_RXD_STAT_UDPCS);
    g_assert_cmphex((up >> 8) & 0xff, ==, 0);
    g_assert_cmpuint(rx_seq(&p, 0, 0), ==, 8);
    port_close(&p);
}

/*
 * A DMA error costs the frame and leaves the ring as it was: an RX buffer
 * and a TX buffer at an address nothing decodes (1 TiB, above this
 * machine's RAM).  The TX frame must not go out with stale bytes.
 */
#define NOWHERE         (1ull << 40)

static void test_dma_errors(void)
{
    uint8_t f[60], out[128];
    size_t len;
    Port p;

    port_open(&p, "");
    rx_setup(&p, 0, 0);
    qtest_writeq(p.qts, RING_AT(0), NOWHERE);
    rx_enable(&p);
    wire_send(&p, f, seq_frame(f, 1));
    g_assert_cmpuint(count_until(&p, IXGBE_QPRDC0, 1), ==, 1);
    g_assert_cmphex(rd(&p, rxq(0, IXGBE_RXQ_RDH)), ==, 0);
    g_assert_cmphex(qtest_readl(p.qts, RING_AT(0) + 8), ==, 0);
    rx_arm(&p, 0, 0);
    wire_send(&p, f, seq_frame(f, 2));
    g_assert_true(rx_wait(&p, 0, 0));
    g_assert_cmpuint(rx_seq(&p, 0, 0), ==, 2);

    tx_setup(&p);
    tx_put(&p, 0, f, seq_frame(f, 3), IXGBE_TXD_CMD_RS);
    g_assert_cmpuint(wire_recv(&p, out, sizeof(out)), ==, 60);
    tx_desc(&p, 1, NOWHERE, 60, IXGBE_TXD_CMD_RS);
    len = seq_frame(f, 4);
    tx_put(&p, 2, f, len, IXGBE_TXD_CMD_RS);
    g_assert_cmpuint(wire_recv(&p, out, sizeof(out)), ==, len);
    g_assert_cmpuint(ldl_be_p(out + 42), ==, 4);
    port_close(&p);
}

/*
 * DMA aimed at the device's own BAR from work that does not start in an
 * MMIO access (here: x-tx-stall released, and bus mastering turned on) is
 * refused by QEMU's reentrancy guard, as it is inside one: the TX buffer
 * is EICR, which a read would clear.  The frame is dropped, the cause
 * stays, and the next frame goes out.
 */
static void reentrant_tx(Port *p, void (*release)(Port *p))
{
    uint8_t f[60], out[128];
    size_t len;

    wr(p, IXGBE_EICS, 1u << 5);
    tx_setup(p);
    tx_desc(p, 0, p->bar.addr + IXGBE_EICR, 60, IXGBE_TXD_CMD_RS);
    release(p);
    len = seq_frame(f, 7);
    tx_put(p, 1, f, len, IXGBE_TXD_CMD_RS);
    g_assert_cmpuint(wire_recv(p, out, sizeof(out)), ==, len);
    g_assert_cmpuint(ldl_be_p(out + 42), ==, 7);
    g_assert_cmphex(rd(p, IXGBE_EICR) & (1u << 5), ==, 1u << 5);
}

static void unstall(Port *p)
{
    g_assert_true(qom_set_ok(p, "x-tx-stall", QOBJECT(qbool_from_bool(false))));
}

static void bus_master_on(Port *p)
{
    uint16_t cmd = qpci_config_readw(p->dev, PCI_COMMAND);

    qpci_config_writew(p->dev, PCI_COMMAND, cmd | PCI_COMMAND_MASTER);
}

static void test_reentrancy_guard(void)
{
    Port p;
    uint16_t cmd;

    port_open(&p, "");
    g_assert_true(qom_set_ok(&p, "x-tx-stall", QOBJECT(qbool_from_bool(true))));
    reentrant_tx(&p, unstall);
    port_close(&p);

    port_open(&p, "");
    cmd = qpci_config_readw(p.dev, PCI_COMMAND);
    qpci_config_writew(p.dev, PCI_COMMAND, cmd & ~PCI_COMMAND_MASTER);
    reentrant_tx(&p, bus_master_on);
    port_close(&p);
}

/*
 * Overload: more frames than ring and packet buffer hold.  RXPBSIZE[0] is
 * cut to 4 KB, 64 frames of 64 bytes on the wire; the ring takes RXD - 1.
 */
#define PB_BYTES        4096
#define PB_FRAMES       (PB_BYTES / 64)
#define RING_FRAMES     (RXD - 1)
#define MISSED          10
#define SENT            (RING_FRAMES + PB_FRAMES + MISSED)

/* Hand the ring's RXD - 1 used descriptors back; how many came in order. */
static unsigned rx_refill(Port *p, uint32_t *next_seq)
{
    unsigned i, took = 0, tail = rd(p, rxq(0, IXGBE_RXQ_RDT));

    for (i = 1; i <= RING_FRAMES; i++) {
        unsigned d = (tail + i) % RXD;

        if (!rx_wait(p, 0, d)) {
            break;
        }
        g_assert_cmpuint(rx_seq(p, 0, d), ==, *next_seq);
        (*next_seq)++;
        took++;
        rx_arm(p, 0, d);
    }
    wr(p, rxq(0, IXGBE_RXQ_RDT), (tail + took) % RXD);
    return took;
}

static void send_burst(Port *p, unsigned n)
{
    uint8_t f[60];
    unsigned i;

    for (i = 0; i < n; i++) {
        wire_send(p, f, seq_frame(f, i + 1));
    }
}

/*
 * Without DROP_EN: the ring fills, the packet buffer holds 64 frames, the
 * last 10 are missed (MPC); GPRC counts all 81, as the 82599 does (ixgbe
 * subtracts MPC from it); the 64 leave the buffer, in order, as
 * descriptors come back.
 */
static void test_overload_missed(void)
{
    uint32_t next = 1, took = 0, n;
    Port p;

    port_open(&p, "");
    wr(&p, IXGBE_RXPBSIZE0, PB_BYTES);
    rx_setup(&p, 0, 0);
    rx_enable(&p);
    send_burst(&p, SENT);
    g_assert_cmpuint(count_until(&p, IXGBE_GPRC, SENT), ==, SENT);
    g_assert_cmpuint(rd(&p, IXGBE_MPC0), ==, MISSED);
    g_assert_cmpuint(rd(&p, IXGBE_QPRDC0), ==, 0);
    while ((n = rx_refill(&p, &next))) {
        took += n;
    }
    g_assert_cmpuint(took, ==, RING_FRAMES + PB_FRAMES);
    g_assert_cmpuint(rd(&p, IXGBE_QPRC0), ==, RING_FRAMES + PB_FRAMES);
    g_assert_cmpuint(rd(&p, IXGBE_MPC0), ==, 0);
    port_close(&p);
}

/* With DROP_EN the queue drops what its ring cannot take (QPRDC), no MPC. */
static void test_overload_drop_en(void)
{
    uint32_t next = 1;
    Port p;

    port_open(&p, "");
    wr(&p, IXGBE_RXPBSIZE0, PB_BYTES);
    rx_setup(&p, 0, IXGBE_SRRCTL_DROP_EN);
    rx_enable(&p);
    send_burst(&p, SENT);
    g_assert_cmpuint(count_until(&p, IXGBE_GPRC, SENT), ==, SENT);
    g_assert_cmpuint(rd(&p, IXGBE_QPRDC0), ==, SENT - RING_FRAMES);
    g_assert_cmpuint(rd(&p, IXGBE_MPC0), ==, 0);
    g_assert_cmpuint(rx_refill(&p, &next), ==, RING_FRAMES);
    g_assert_cmpuint(rx_refill(&p, &next), ==, 0);
    port_close(&p);
}

/* x-rx-backpressure: nothing is missed, every frame arrives in the end. */
static void test_overload_backpressure(void)
{
    uint32_t next = 1, took = 0, n;
    Port p;

    port_open(&p, ",x-rx-backpressure=on");
    wr(&p, IXGBE_RXPBSIZE0, PB_BYTES);
    rx_setup(&p, 0, 0);
    rx_enable(&p);
    send_burst(&p, SENT);
    g_assert_cmpuint(count_until(&p, IXGBE_GPRC, RING_FRAMES + PB_FRAMES),
                     ==, RING_FRAMES + PB_FRAMES);
    while ((n = rx_refill(&p, &next))) {
        took += n;
    }
    g_assert_cmpuint(took, ==, SENT);
    g_assert_cmpuint(rd(&p, IXGBE_MPC0), ==, 0);
    port_close(&p);
}

/* The packet source refuses bad settings when they are set. */
static void test_pktgen_setters(void)
{
    Port p;

    port_open(&p, "");
    g_assert_false(qom_set_ok(&p, "pktgen-flows", QOBJECT(qnum_from_int(0))));
    g_assert_false(qom_set_ok(&p, "pktgen-size", QOBJECT(qnum_from_int(59))));
    g_assert_false(qom_set_ok(&p, "pktgen-size",
                              QOBJECT(qnum_from_int(9019))));
    g_assert_false(qom_set_ok(&p, "pktgen-dst-port",
                              QOBJECT(qnum_from_int(65536))));
    g_assert_false(qom_set_ok(&p, "pktgen-dst-ip",
                              QOBJECT(qstring_from_str("10.0.0"))));
    g_assert_false(qom_set_ok(&p, "pktgen-src-mac",
                              QOBJECT(qstring_from_str("02:00:00"))));
    /* a refused value leaves the old one */
    g_assert_cmpint(qom_get_int(&p, "pktgen-flows"), ==, 1);
    g_assert_cmpint(qom_get_int(&p, "pktgen-size"), ==, 60);
    g_assert_true(qom_set_ok(&p, "pktgen-size", QOBJECT(qnum_from_int(64))));
    g_assert_cmpint(qom_get_int(&p, "pktgen-size"), ==, 64);
    port_close(&p);
}

/*
 * The packet source takes the same packet buffer: 100 frames in one tick
 * at a ring of 15 and a buffer of 64, so 21 are dropped; offered =
 * delivered + dropped once the buffer is empty.
 */
static void test_pktgen_overload(void)
{
    uint32_t next = 1, n;
    Port p;

    port_open(&p, "");
    wr(&p, IXGBE_RXPBSIZE0, PB_BYTES);
    rx_setup(&p, 0, 0);
    rx_enable(&p);
    g_assert_true(qom_set_ok(&p, "pktgen-count", QOBJECT(qnum_from_int(100))));
    g_assert_true(qom_set_ok(&p, "pktgen-rate", QOBJECT(qnum_from_int(0))));
    g_assert_true(qom_set_ok(&p, "pktgen-run", QOBJECT(qbool_from_bool(true))));
    qtest_clock_step(p.qts, 2 * 1000 * 1000);
    g_assert_cmpint(qom_get_int(&p, "pktgen-offered"), ==, 100);
    g_assert_cmpint(qom_get_int(&p, "pktgen-delivered"), ==, RING_FRAMES);
    g_assert_cmpint(qom_get_int(&p, "pktgen-dropped"), ==,
                    100 - RING_FRAMES - PB_FRAMES);
    g_assert_cmpuint(rd(&p, IXGBE_MPC0), ==, 100 - RING_FRAMES - PB_FRAMES);
    /* the source's frames all carry the same payload: no order check */
    next = 0;
    do {
        uint32_t tail = rd(&p, rxq(0, IXGBE_RXQ_RDT)), i;

        for (n = 0, i = 1; i <= RING_FRAMES; i++) {
            if (!rx_wait(&p, 0, (tail + i) % RXD)) {
                break;
            }
            rx_arm(&p, 0, (tail + i) % RXD);
            n++;
        }
        wr(&p, rxq(0, IXGBE_RXQ_RDT), (tail + n) % RXD);
        next += n;
    } while (n);
    g_assert_cmpuint(next, ==, RING_FRAMES + PB_FRAMES);
    g_assert_cmpint(qom_get_int(&p, "pktgen-delivered"), ==,
                    RING_FRAMES + PB_FRAMES);
    port_close(&p);
}

/*
 * A paced run offers frame n at n * gap after its start, gap = 1e9 / rate
 * ns, instead of all of a 1 ms tick's frames at once.  At rate 0, or a
 * rate above line rate, the gap is the frame's time on a 10 Gb/s wire:
 * (size + 4 FCS + 8 preamble and SFD + 12 IFG) * 8 bits / 10 per ns.
 * No ring is needed: offered counts every frame, taken or not.
 */
static int64_t offered_after(Port *p, uint64_t rate, bool paced,
                             uint32_t size, int64_t ns)
{
    int64_t n;

    g_assert_true(qom_set_ok(p, "pktgen-rate", QOBJECT(qnum_from_int(rate))));
    g_assert_true(qom_set_ok(p, "pktgen-paced", QOBJECT(qbool_from_bool(paced))));
    g_assert_true(qom_set_ok(p, "pktgen-size", QOBJECT(qnum_from_int(size))));
    g_assert_true(qom_set_ok(p, "pktgen-run", QOBJECT(qbool_from_bool(true))));
    qtest_clock_step(p->qts, ns);
    n = qom_get_int(p, "pktgen-offered");
    g_assert_true(qom_set_ok(p, "pktgen-run", QOBJECT(qbool_from_bool(false))));
    return n;
}

static void test_pktgen_paced(void)
{
    Port p;

    port_open(&p, "");
    /* 3000/s: one frame each 333,333.3 ns, the first at 333,334 */
    g_assert_cmpint(offered_after(&p, 3000, true, 60, 333333), ==, 0);
    g_assert_cmpint(offered_after(&p, 3000, true, 60, 333334), ==, 1);
    g_assert_cmpint(offered_after(&p, 3000, true, 60, 1000000), ==, 3);
    /* not paced, the same rate comes as 3 frames at the 1 ms tick */
    g_assert_cmpint(offered_after(&p, 3000, false, 60, 999999), ==, 0);
    g_assert_cmpint(offered_after(&p, 3000, false, 60, 1000000), ==, 3);
    /* line rate for 60 bytes: 67.2 ns, 14,880,952 frames/s */
    g_assert_cmpint(offered_after(&p, 0, true, 60, 67199), ==, 999);
    g_assert_cmpint(offered_after(&p, 0, true, 60, 67200), ==, 1000);
    g_assert_cmpint(offered_after(&p, 100000000, true, 60, 67200), ==, 1000);
    /* and for 1514 bytes: 1230.4 ns */
    g_assert_cmpint(offered_after(&p, 0, true, 1514, 1230400), ==, 1000);
    g_assert_cmpint(offered_after(&p, 0, true, 1514, 1230399), ==, 999);
    port_close(&p);
}

/*
 * pktgen-stamp: the UDP payload of each frame begins with "IXTS", the
 * run's id and the frame's send time.  The frame taken from the ring
 * carries correct IPv4 and UDP checksums (the stamp is in the sum).  Sent
 * back out of the port, it is one round trip: the time between its
 * offer and its transmission.  A frame without a stamp, or with a stamp
 * of an earlier run, is no round trip.
 */
static void test_pktgen_stamp_rtt(void)
{
    uint8_t f[60], plain[60], out[128];
    int64_t p50;
    Port p;

    port_open(&p, "");
    rx_setup(&p, 0, 0);
    rx_enable(&p);
    tx_setup(&p);
    g_assert_true(qom_set_ok(&p, "pktgen-stamp", QOBJECT(qbool_from_bool(true))));
    g_assert_true(qom_set_ok(&p, "pktgen-paced", QOBJECT(qbool_from_bool(true))));
    g_assert_true(qom_set_ok(&p, "pktgen-rate", QOBJECT(qnum_from_int(1000))));
    g_assert_true(qom_set_ok(&p, "pktgen-count", QOBJECT(qnum_from_int(1))));
    g_assert_true(qom_set_ok(&p, "pktgen-run", QOBJECT(qbool_from_bool(true))));
    qtest_clock_step(p.qts, 1000 * 1000);
    g_assert_true(rx_wait(&p, 0, 0));
    qtest_memread(p.qts, BUFS_AT(0), f, sizeof(f));
    g_assert_cmpuint(ldl_be_p(f + 42), ==, 0x49585453);
    g_assert_cmphex(ip_csum(f + 14, 20), ==, 0);
    g_assert_cmphex(l4_csum(f, sizeof(f)), ==, 0);
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-count"), ==, 0);

    qtest_clock_step(p.qts, 5000);
    tx_put(&p, 0, f, sizeof(f), IXGBE_TXD_CMD_RS);
    g_assert_cmpuint(wire_recv(&p, out, sizeof(out)), ==, sizeof(f));
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-count"), ==, 1);
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-min-ns"), ==, 5000);
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-p50-ns"), ==, 5000);
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-max-ns"), ==, 5000);

    /* the same frame 1 ms later: the median is 5000's bucket, 1/128 wide */
    qtest_clock_step(p.qts, 1000 * 1000);
    tx_put(&p, 1, f, sizeof(f), IXGBE_TXD_CMD_RS);
    wire_recv(&p, out, sizeof(out));
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-count"), ==, 2);
    p50 = qom_get_int(&p, "pktgen-rtt-p50-ns");
    g_assert_cmpint(p50, >=, 5000);
    g_assert_cmpint(p50, <, 5000 + 5000 / 128);
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-p99-ns"), ==, 1005000);
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-p999-ns"), ==, 1005000);

    /* no stamp; then the old stamp after a restart (a new run id) */
    tx_put(&p, 2, plain, seq_frame(plain, 7), IXGBE_TXD_CMD_RS);
    wire_recv(&p, out, sizeof(out));
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-count"), ==, 2);
    g_assert_true(qom_set_ok(&p, "pktgen-run", QOBJECT(qbool_from_bool(true))));
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-count"), ==, 0);
    tx_put(&p, 3, f, sizeof(f), IXGBE_TXD_CMD_RS);
    wire_recv(&p, out, sizeof(out));
    g_assert_cmpint(qom_get_int(&p, "pktgen-rtt-count"), ==, 0);
    port_close(&p);
}

/*
 * Migration (ixgbe_vmstate.c): a port with a full ring, 5 frames waiting
 * in the packet buffer, a Flow Director filter and a pending interrupt
 * cause moves to a second QEMU.  There the waiting frames arrive in order
 * once descriptors come back, the filter still steers, the cause is
 * still set.
 */
static bool migrated(Port *p)
{
    QDict *r = qtest_qmp(p->qts, "{'execute': 'query-migrate'}");
    QDict *ret = qdict_get_qdict(r, "return");
    const char *st = qdict_haskey(ret, "status") ?
                     qdict_get_str(ret, "status") : "";
    bool done = !strcmp(st, "completed");

    g_assert_cmpstr(st, !=, "failed");
    qobject_unref(r);
    return done;
}

#define PB_WAITING      5

static void test_migration(void)
{
    g_autofree char *uri = g_strdup_printf("unix:/tmp/ixgbe-qtest-%d.mig",
                                           getpid());
    g_autofree char *args = g_strdup_printf("-incoming %s", uri);
    gint64 end = g_get_monotonic_time() + WAIT_US;
    uint32_t next = 1, took = 0, n;
    uint8_t f[60];
    Port src, dst;

    port_open(&src, "");
    wr(&src, IXGBE_RXPBSIZE0, PB_BYTES);
    rx_setup(&src, 0, 0);
    rx_setup(&src, 9, 0);
    fdir_rss_frame_to(&src, 9);
    rx_enable(&src);
    send_burst(&src, RING_FRAMES + PB_WAITING);
    g_assert_cmpuint(count_until(&src, IXGBE_GPRC, RING_FRAMES + PB_WAITING),
                     ==, RING_FRAMES + PB_WAITING);
    wr(&src, IXGBE_EICS, 1u << 5);

    port_start(&dst, "", args);
    qobject_unref(qtest_qmp(src.qts, "{'execute': 'migrate', 'arguments': "
                            "{'uri': %s}}", uri));
    while (!migrated(&src)) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_usleep(1000);
    }
    port_close(&src);
    unlink(uri + strlen("unix:"));
    port_attach(&dst);

    while ((n = rx_refill(&dst, &next))) {
        took += n;
    }
    g_assert_cmpuint(took, ==, RING_FRAMES + PB_WAITING);
    wire_send(&dst, f, rss_frame(f));
    g_assert_true(rx_wait(&dst, 9, 0));
    g_assert_cmphex(rd(&dst, IXGBE_EICR) & (1u << 5), ==, 1u << 5);
    port_close(&dst);
}

/* ---------------------------------------------------------------------- */
/* Interrupts                                                              */

/* Where MSI-X entry v writes its message: RAM the test can read. */
#define MSG_AT(v)       (0x04000000ull + (v) * 16)
#define MSG_DATA(v)     (0x4000u + (v))

static void msix_setup(Port *p, unsigned nvec)
{
    unsigned v, e;

    qpci_msix_enable(p->dev);
    for (v = 0; v < nvec; v++) {
        e = p->dev->msix_table_off + v * 16;
        qpci_io_writel(p->dev, p->dev->msix_table_bar, e, MSG_AT(v));
        qpci_io_writel(p->dev, p->dev->msix_table_bar, e + 4, 0);
        qpci_io_writel(p->dev, p->dev->msix_table_bar, e + 8, MSG_DATA(v));
        qpci_io_writel(p->dev, p->dev->msix_table_bar, e + 12, 0);
        qtest_writel(p->qts, MSG_AT(v), 0);
    }
}

/* Did vector v send its message?  Forgets it. */
static bool msix_sent(Port *p, unsigned v)
{
    bool sent = qtest_readl(p->qts, MSG_AT(v)) == MSG_DATA(v);

    qtest_writel(p->qts, MSG_AT(v), 0);
    return sent;
}

static void set_link(Port *p, bool up)
{
    qobject_unref(qtest_qmp(p->qts, "{'execute': 'set_link', 'arguments': "
                            "{'name': 'nic0', 'up': %i}}", up));
}

/*
 * 8.2.3.5.18 GPIE.MSIX_MODE, not the PCI MSI-X enable bit, picks the mode:
 * with MSI-X enabled and MSIX_MODE clear, a link change (EICR.LSC) is the
 * one interrupt, on vector 0; with MSIX_MODE set, it goes to the vector
 * IVAR_MISC names (8.2.3.5.17), here 3.
 */
static void test_irq_gpie_mode(void)
{
    Port p;

    port_open(&p, "");
    msix_setup(&p, 4);
    wr(&p, IXGBE_EIMS, IXGBE_EICR_LSC);
    set_link(&p, false);
    g_assert_true(msix_sent(&p, 0));
    g_assert_cmphex(rd(&p, IXGBE_EICR) & IXGBE_EICR_LSC, ==, IXGBE_EICR_LSC);

    wr(&p, IXGBE_GPIE, IXGBE_GPIE_MSIX_MODE);
    wr(&p, IXGBE_IVAR_MISC, (IXGBE_IVAR_VALID | 3) << 8);
    wr(&p, IXGBE_EIMS, IXGBE_EICR_LSC);
    set_link(&p, true);
    g_assert_true(msix_sent(&p, 3));
    g_assert_false(msix_sent(&p, 0));
    port_close(&p);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("ixgbe-82599/reset-values", test_reset_values);
    qtest_add_func("ixgbe-82599/nvm-checksum", test_nvm_checksum);
    qtest_add_func("ixgbe-82599/rx-tx-round-trip", test_rx_tx_round_trip);
    qtest_add_func("ixgbe-82599/tx-rs-and-head-wb", test_tx_rs_and_head_wb);
    qtest_add_func("ixgbe-82599/rss", test_rss);
    qtest_add_func("ixgbe-82599/fdir-over-rss", test_fdir_over_rss);
    qtest_add_func("ixgbe-82599/fdir-bucket-and-soft-id",
                   test_fdir_bucket_and_soft_id);
    qtest_add_func("ixgbe-82599/5tuple-priority", test_5tuple_priority);
    qtest_add_func("ixgbe-82599/etype-and-syn", test_etype_and_syn);
    qtest_add_func("ixgbe-82599/crc-and-runt", test_crc_and_runt);
    qtest_add_func("ixgbe-82599/legacy-writeback", test_legacy_writeback);
    qtest_add_func("ixgbe-82599/dma-errors", test_dma_errors);
    qtest_add_func("ixgbe-82599/reentrancy-guard", test_reentrancy_guard);
    qtest_add_func("ixgbe-82599/migration", test_migration);
    qtest_add_func("ixgbe-82599/overload/missed", test_overload_missed);
    qtest_add_func("ixgbe-82599/overload/drop-en", test_overload_drop_en);
    qtest_add_func("ixgbe-82599/overload/backpressure",
                   test_overload_backpressure);
    qtest_add_func("ixgbe-82599/pktgen/setters", test_pktgen_setters);
    qtest_add_func("ixgbe-82599/pktgen/overload", test_pktgen_overload);
    qtest_add_func("ixgbe-82599/pktgen/paced", test_pktgen_paced);
    qtest_add_func("ixgbe-82599/pktgen/stamp-rtt", test_pktgen_stamp_rtt);
    qtest_add_func("ixgbe-82599/irq/gpie-mode", test_irq_gpie_mode);
    return g_test_run();
}
