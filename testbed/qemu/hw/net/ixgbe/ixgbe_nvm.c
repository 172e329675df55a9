/*
 * Intel 82599 10GbE controller model: the NVM (EEPROM) image.
 *
 * This file answers one question: which words does the NVM hold?  The
 * image is generated from the mac= property, so two ports get two MACs,
 * and carries a valid checksum (datasheet 6.3.2.x "Checksum Word").
 *
 * Layout (datasheet 6.2 "EEPROM General Map"; only what a backplane port
 * needs):
 *   0x00-0x02  control words
 *   0x03-0x0E  section pointers; only LAN Core 0 (0x09) is populated
 *   0x0F       firmware pointer: erased, so no firmware module (no LESM)
 *   0x15-0x16  PBA number in pointer form (0xFAFA guard + pointer)
 *   0x17,0x1B  option ROM and OEM version: absent
 *   0x26-0x28  thermal sensor, alternate and SAN MAC blocks: absent
 *   0x2C       device capabilities
 *   0x2D-0x2E  ETrack ID
 *   0x3F       checksum
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "ixgbe_core.h"

#define IXGBE_NVM_CTRL1             0x00
#define IXGBE_NVM_CTRL2             0x01
#define IXGBE_NVM_PTR_FIRST         0x03    /* first checksummed pointer */
#define IXGBE_NVM_PTR_LAN_CORE0     0x09
#define IXGBE_NVM_PTR_LAST          0x0E
#define IXGBE_NVM_FW_PTR            0x0F
#define IXGBE_NVM_PBA0              0x15
#define IXGBE_NVM_PBA1              0x16
#define IXGBE_NVM_OROM              0x17
#define IXGBE_NVM_OEM_VER           0x1B
#define IXGBE_NVM_ETS_CFG           0x26
#define IXGBE_NVM_ALT_SAN_MAC       0x27
#define IXGBE_NVM_SAN_MAC           0x28
#define IXGBE_NVM_DEVICE_CAPS       0x2C
#define IXGBE_NVM_ETRACK_LO         0x2D
#define IXGBE_NVM_ETRACK_HI         0x2E
#define IXGBE_NVM_CHECKSUM          0x3F

#define IXGBE_NVM_PBA_GUARD         0xFAFA
#define IXGBE_NVM_CHECKSUM_BASE     0xBABA
#define IXGBE_NVM_ABSENT            0xFFFF

/* where the generated sections live, past the 64-word header */
#define IXGBE_NVM_LAN_CORE0_AT      0x0100
#define IXGBE_NVM_PBA_AT            0x0180

/* device capabilities: FCoE offloads not provided */
#define IXGBE_NVM_CAPS_FCOE_OFF     (1u << 1)

/*
 * 8.2.3.22.19 AUTOC power-on value as the NVM loads it: KX/KX4/KR
 * autonegotiation (LMS 100b) with the 10G capability the device ID implies.
 */
#define IXGBE_AUTOC_LMS_KX4_KX_KR   (4u << 13)
#define IXGBE_AUTOC_10G_KX4         (1u << 7)
#define IXGBE_AUTOC_1G_KX           (1u << 9)
#define IXGBE_AUTOC_KR_SUPP         (1u << 16)
#define IXGBE_AUTOC_KX4_SUPP        (1u << 31)

uint32_t ixgbe_nvm_autoc_default(uint16_t device_id)
{
    uint32_t v = IXGBE_AUTOC_LMS_KX4_KX_KR | IXGBE_AUTOC_1G_KX;

    if (device_id == IXGBE_DEV_ID_82599_KR) {
        return v | IXGBE_AUTOC_KR_SUPP;
    }
    return v | IXGBE_AUTOC_KX4_SUPP | IXGBE_AUTOC_10G_KX4;
}

static void ixgbe_nvm_put_string(uint16_t *nvm, unsigned at, const char *s)
{
    size_t n = strlen(s);
    unsigned i;

    /*
     * The length word counts itself; two characters per word, high byte
     * first.  The driver's buffer takes 10 characters.
     */
    assert(n <= 10);
    nvm[at] = 1 + (n + 1) / 2;
    for (i = 0; i < (n + 1) / 2; i++) {
        uint8_t hi = s[2 * i];
        uint8_t lo = 2 * i + 1 < n ? s[2 * i + 1] : 0;

        nvm[at + 1 + i] = (hi << 8) | lo;
    }
}

/*
 * The checksum covers words 0x00-0x3E plus the body of every section a
 * pointer in 0x03-0x0E names (length in the section's first word).
 */
static uint16_t ixgbe_nvm_sum(const uint16_t *nvm, unsigned words)
{
    uint16_t sum = 0;
    unsigned i, p;

    for (i = 0; i < IXGBE_NVM_CHECKSUM; i++) {
        sum += nvm[i];
    }
    for (p = IXGBE_NVM_PTR_FIRST; p <= IXGBE_NVM_PTR_LAST; p++) {
        uint16_t ptr = nvm[p], len;

        if (ptr == 0 || ptr == IXGBE_NVM_ABSENT || ptr >= words) {
            continue;
        }
        len = nvm[ptr];
        if (len == 0 || len == IXGBE_NVM_ABSENT) {
            continue;
        }
        for (i = ptr + 1; i <= ptr + len && i < words; i++) {
            sum += nvm[i];
        }
    }
    return sum;
}

void ixgbe_nvm_build(uint16_t *nvm, unsigned words, const uint8_t *mac,
                     uint16_t device_id)
{
    unsigned i;

    assert(words > IXGBE_NVM_PBA_AT + 8);

    /* erased flash reads as all ones, the 64-word header as zeros */
    for (i = 0; i < words; i++) {
        nvm[i] = i <= IXGBE_NVM_CHECKSUM ? 0 : IXGBE_NVM_ABSENT;
    }

    nvm[IXGBE_NVM_FW_PTR] = IXGBE_NVM_ABSENT;
    nvm[IXGBE_NVM_OROM] = IXGBE_NVM_ABSENT;
    nvm[IXGBE_NVM_OEM_VER] = IXGBE_NVM_ABSENT;
    nvm[IXGBE_NVM_ETS_CFG] = IXGBE_NVM_ABSENT;
    nvm[IXGBE_NVM_ALT_SAN_MAC] = IXGBE_NVM_ABSENT;
    nvm[IXGBE_NVM_SAN_MAC] = IXGBE_NVM_ABSENT;
    nvm[IXGBE_NVM_DEVICE_CAPS] = IXGBE_NVM_CAPS_FCOE_OFF;
    /* ETrack 0x80000599; bit 15 of the high word selects hi/lo order */
    nvm[IXGBE_NVM_ETRACK_LO] = 0x0599;
    nvm[IXGBE_NVM_ETRACK_HI] = 0x8000;

    /*
     * LAN Core 0 module (6.3.4): the port's Ethernet address, three words
     * little-endian, as the hardware loads it into RAL0/RAH0 at reset.
     * The driver only ever reads RAL0/RAH0, but the section makes the image
     * self-consistent and exercises the driver's pointer walk.
     */
    nvm[IXGBE_NVM_PTR_LAN_CORE0] = IXGBE_NVM_LAN_CORE0_AT;
    nvm[IXGBE_NVM_LAN_CORE0_AT] = 4;
    for (i = 0; i < 3; i++) {
        nvm[IXGBE_NVM_LAN_CORE0_AT + 1 + i] = lduw_le_p(mac + 2 * i);
    }
    nvm[IXGBE_NVM_LAN_CORE0_AT + 4] = 0;

    nvm[IXGBE_NVM_PBA0] = IXGBE_NVM_PBA_GUARD;
    nvm[IXGBE_NVM_PBA1] = IXGBE_NVM_PBA_AT;
    ixgbe_nvm_put_string(nvm, IXGBE_NVM_PBA_AT,
                         device_id == IXGBE_DEV_ID_82599_KR ? "Q82599-KR"
                                                            : "Q82599-KX4");

    nvm[IXGBE_NVM_CHECKSUM] = IXGBE_NVM_CHECKSUM_BASE -
                              ixgbe_nvm_sum(nvm, words);
}
