/*
 * Intel 82599 10GbE controller model: CSR offsets and bit fields.
 *
 * Offsets and field layouts follow the Intel 82599 10 GbE Controller
 * Datasheet (331520), chapter 8.2.3 "Detailed Register Descriptions".
 * Only what the model decodes is named here; every other offset in BAR0 is
 * plain storage.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_IXGBE_REGS_H
#define HW_NET_IXGBE_REGS_H

/* 8.2.3.1 General control */
#define IXGBE_CTRL              0x00000
#define IXGBE_CTRL_ALIAS        0x00004
#define IXGBE_STATUS            0x00008
#define IXGBE_CTRL_EXT          0x00018
#define IXGBE_ESDP              0x00020
#define IXGBE_I2CCTL            0x00028
#define IXGBE_LEDCTL            0x00200

#define IXGBE_CTRL_GIO_DIS      (1u << 2)
#define IXGBE_CTRL_LNK_RST      (1u << 3)
#define IXGBE_CTRL_RST          (1u << 26)

#define IXGBE_STATUS_LAN_ID_SHIFT 2
#define IXGBE_STATUS_LINKUP     (1u << 7)
#define IXGBE_STATUS_GIO        (1u << 19)

/* 8.2.3.2 EEPROM/flash */
#define IXGBE_EEC               0x10010
#define IXGBE_EERD              0x10014
#define IXGBE_EEWR              0x10018
#define IXGBE_FLA               0x1001C
#define IXGBE_EEMNGCTL          0x10110
#define IXGBE_EEMNGDATA         0x10114
#define IXGBE_FLMNGCTL          0x10118
#define IXGBE_FLMNGDATA         0x1011C
#define IXGBE_FLMNGCNT          0x10120
#define IXGBE_FLOP              0x1013C

#define IXGBE_EEC_SK            (1u << 0)
#define IXGBE_EEC_CS            (1u << 1)
#define IXGBE_EEC_DI            (1u << 2)
#define IXGBE_EEC_DO            (1u << 3)
#define IXGBE_EEC_FWE_DIS       (1u << 4)
#define IXGBE_EEC_REQ           (1u << 6)
#define IXGBE_EEC_GNT           (1u << 7)
#define IXGBE_EEC_PRES          (1u << 8)
#define IXGBE_EEC_ARD           (1u << 9)
#define IXGBE_EEC_SIZE_SHIFT    11
#define IXGBE_EEC_SIZE_MASK     (0xfu << IXGBE_EEC_SIZE_SHIFT)

#define IXGBE_EERD_START        (1u << 0)
#define IXGBE_EERD_DONE         (1u << 1)
#define IXGBE_EERD_ADDR_SHIFT   2
#define IXGBE_EERD_ADDR_MASK    0x3fffu
#define IXGBE_EERD_DATA_SHIFT   16

/* 8.2.3.4 PCIe / firmware interface */
#define IXGBE_GCR               0x11000
#define IXGBE_GCR_EXT           0x11050
#define IXGBE_PBACL             0x11068
#define IXGBE_DCA_ID            0x11070
#define IXGBE_DCA_CTRL          0x11074
#define IXGBE_SWSM              0x10140
#define IXGBE_FWSM              0x10148
#define IXGBE_FACTPS            0x10150
#define IXGBE_SW_FW_SYNC        0x10160   /* "GSSR" in the Linux driver */
#define IXGBE_MANC              0x05820
#define IXGBE_HICR              0x15F00
#define IXGBE_FWSTS             0x15F0C
#define IXGBE_FLEX_MNG          0x15800
#define IXGBE_CORECTL           0x14F00

#define IXGBE_FWSM_FW_VAL       (1u << 15)
#define IXGBE_SW_FW_SYNC_FW_BITS 0x000003e0u

/* 8.2.3.5 Interrupts */
#define IXGBE_EICR              0x00800
#define IXGBE_EICS              0x00808
#define IXGBE_EIAC              0x00810
#define IXGBE_EITR_LO           0x00820   /* EITR 0..23 */
#define IXGBE_EITR_HI           0x12300   /* EITR 24..63 */
#define IXGBE_EIMS              0x00880
#define IXGBE_EIMC              0x00888
#define IXGBE_EIAM              0x00890
#define IXGBE_EITRSEL           0x00894
#define IXGBE_GPIE              0x00898
#define IXGBE_IVAR0             0x00900
#define IXGBE_IVAR_MISC         0x00A00
#define IXGBE_EICS_EX0          0x00A90
#define IXGBE_EIMS_EX0          0x00AA0
#define IXGBE_EIMC_EX0          0x00AB0
#define IXGBE_EIAM_EX0          0x00AD0
#define IXGBE_RSCINT0           0x12000

#define IXGBE_EICR_RTX_QUEUE    0x0000ffffu
#define IXGBE_EICR_FLOW_DIR     (1u << 16)
#define IXGBE_EICR_LSC          (1u << 20)
#define IXGBE_EICR_MISC_MASK    0xffff0000u

#define IXGBE_GPIE_MSIX_MODE    (1u << 4)
#define IXGBE_GPIE_OCD          (1u << 5)
#define IXGBE_GPIE_EIAME        (1u << 30)

#define IXGBE_IVAR_VALID        0x80u
#define IXGBE_IVAR_VECTOR_MASK  0x3fu

#define IXGBE_EITR_INTERVAL_MASK 0x00000ff8u
#define IXGBE_EITR_CNT_WDIS     (1u << 31)

/* 8.2.3.7 Receive filters */
#define IXGBE_RXCSUM            0x05000
#define IXGBE_RFCTL             0x05008
#define IXGBE_FCTRL             0x05080
#define IXGBE_VLNCTRL           0x05088
#define IXGBE_MCSTCTRL          0x05090
#define IXGBE_MRQC              0x05818
#define IXGBE_MTA0              0x05200   /* 128 words */
#define IXGBE_RAL_LO0           0x05400   /* RAL/RAH 0..15 (alias of 0xA200) */
#define IXGBE_PSRTYPE0          0x05480   /* 0..15; 16..63 at 0x0EA00 */
#define IXGBE_RETA0             0x05C00   /* 32 words */
#define IXGBE_RSSRK0            0x05C80   /* 10 words */
#define IXGBE_ETQF0             0x05128
#define IXGBE_ETQS0             0x0EC00
#define IXGBE_VFTA0             0x0A000   /* 128 words */
#define IXGBE_RAL0              0x0A200   /* RAL/RAH 0..127 */
#define IXGBE_MPSAR0            0x0A600   /* 256 words */
#define IXGBE_PFVTCTL           0x051B0
#define IXGBE_PFVFRE0           0x051E0
#define IXGBE_PFVML2FLT0        0x0F000
#define IXGBE_PFVLVF0           0x0F100
#define IXGBE_PFVLVFB0          0x0F200
#define IXGBE_PFUTA0            0x0F400
#define IXGBE_SAQF0             0x0E000
#define IXGBE_DAQF0             0x0E200
#define IXGBE_SDPQF0            0x0E400
#define IXGBE_FTQF0             0x0E600
#define IXGBE_L34T_IMIR0        0x0E800
#define IXGBE_SYNQF             0x0EC30
#define IXGBE_RXFECCERR0        0x051B8
#define IXGBE_WUC               0x05800
#define IXGBE_WUFC              0x05808
#define IXGBE_WUS               0x05810
#define IXGBE_IPAV              0x05838
#define IXGBE_IP4AT             0x05840
#define IXGBE_IP6AT             0x05880
#define IXGBE_FHFT0             0x09000

/* 7.1.2.3 ethertype, 7.1.2.4 SYN and 7.1.2.5 5-tuple queue filters */
#define IXGBE_NUM_ETQF          8
#define IXGBE_ETQF_ETYPE_MASK   0x0000ffffu
#define IXGBE_ETQF_FILTER_EN    (1u << 31)
#define IXGBE_ETQS_QUEUE_SHIFT  16
#define IXGBE_ETQS_QUEUE_MASK   0x7fu
#define IXGBE_ETQS_QUEUE_EN     (1u << 31)
#define IXGBE_SYNQF_EN          (1u << 0)
#define IXGBE_SYNQF_QUEUE_SHIFT 1
#define IXGBE_SYNQF_QUEUE_MASK  0x7fu
#define IXGBE_SYNQF_SYNQFP      (1u << 31)  /* SYN before 5-tuple */
#define IXGBE_NUM_5TUPLE        128
#define IXGBE_FTQF_PROTO_MASK   0x3u
#define IXGBE_FTQF_PROTO_TCP    0u
#define IXGBE_FTQF_PROTO_UDP    1u
#define IXGBE_FTQF_PROTO_SCTP   2u
#define IXGBE_FTQF_PROTO_OTHER  3u
#define IXGBE_FTQF_PRIO_SHIFT   2
#define IXGBE_FTQF_PRIO_MASK    0x7u
#define IXGBE_FTQF_POOL_SHIFT   8
#define IXGBE_FTQF_POOL_MASK    0x3fu
#define IXGBE_FTQF_NO_SADDR     (1u << 25)  /* mask bits: 1 = not compared */
#define IXGBE_FTQF_NO_DADDR     (1u << 26)
#define IXGBE_FTQF_NO_SPORT     (1u << 27)
#define IXGBE_FTQF_NO_DPORT     (1u << 28)
#define IXGBE_FTQF_NO_PROTO     (1u << 29)
#define IXGBE_FTQF_NO_POOL      (1u << 30)
#define IXGBE_FTQF_QUEUE_EN     (1u << 31)
#define IXGBE_L34T_IMIR_QUEUE_SHIFT 21
#define IXGBE_L34T_IMIR_QUEUE_MASK 0x7fu

#define IXGBE_RXCSUM_PCSD       (1u << 13)
#define IXGBE_FCTRL_SBP         (1u << 1)
#define IXGBE_FCTRL_MPE         (1u << 8)
#define IXGBE_FCTRL_UPE         (1u << 9)
#define IXGBE_FCTRL_BAM         (1u << 10)
#define IXGBE_VLNCTRL_VET_MASK  0x0000ffffu
#define IXGBE_VLNCTRL_VFE       (1u << 30)
#define IXGBE_MCSTCTRL_MO_MASK  0x3u
#define IXGBE_MCSTCTRL_MFE      (1u << 2)
#define IXGBE_RAH_AV            (1u << 31)

#define IXGBE_MRQC_MRQE_MASK    0xfu
#define IXGBE_MRQC_RSSEN        0x1u
#define IXGBE_MRQC_RTRSS8TCEN   0x4u
#define IXGBE_MRQC_RTRSS4TCEN   0x5u
#define IXGBE_MRQC_VMDQRSS32EN  0xau
#define IXGBE_MRQC_VMDQRSS64EN  0xbu
#define IXGBE_MRQC_IPV4_TCP     (1u << 16)
#define IXGBE_MRQC_IPV4         (1u << 17)
#define IXGBE_MRQC_IPV6_EX_TCP  (1u << 18)
#define IXGBE_MRQC_IPV6_EX      (1u << 19)
#define IXGBE_MRQC_IPV6         (1u << 20)
#define IXGBE_MRQC_IPV6_TCP     (1u << 21)
#define IXGBE_MRQC_IPV4_UDP     (1u << 22)
#define IXGBE_MRQC_IPV6_UDP     (1u << 23)
#define IXGBE_MRQC_IPV6_EX_UDP  (1u << 24)

/* 8.2.3.8 Receive DMA; queues 0..63 and 64..127 */
#define IXGBE_RXQ_BASE_LO       0x01000
#define IXGBE_RXQ_BASE_HI       0x0D000
#define IXGBE_QUEUE_STRIDE      0x40
#define IXGBE_RXQ_RDBAL         0x00
#define IXGBE_RXQ_RDBAH         0x04
#define IXGBE_RXQ_RDLEN         0x08
#define IXGBE_RXQ_DCA_RXCTRL    0x0C
#define IXGBE_RXQ_RDH           0x10
#define IXGBE_RXQ_SRRCTL        0x14
#define IXGBE_RXQ_RDT           0x18
#define IXGBE_RXQ_RXDCTL        0x28
#define IXGBE_RXQ_RSCCTL        0x2C
#define IXGBE_QPRC0             0x01030   /* per stat index, stride 0x40 */
#define IXGBE_QBRC_L0           0x01034
#define IXGBE_QBRC_H0           0x01038
#define IXGBE_QPRDC0            0x01430
#define IXGBE_SRRCTL_ALIAS0     0x02100   /* SRRCTL 0..15 */
#define IXGBE_DCA_RXCTRL_ALIAS0 0x02200   /* DCA_RXCTRL 0..15 */
#define IXGBE_RQSMR0            0x02300
#define IXGBE_RDRXCTL           0x02F00
#define IXGBE_PFQDE             0x02F04
#define IXGBE_RXCTRL            0x03000
#define IXGBE_RSCDBU            0x03028
#define IXGBE_RXPBSIZE0         0x03C00
#define IXGBE_DRECCCTL          0x03D04

#define IXGBE_RXDCTL_ENABLE     (1u << 25)
#define IXGBE_RXDCTL_SWFLSH     (1u << 26)
#define IXGBE_RXDCTL_VME        (1u << 30)
#define IXGBE_SRRCTL_BSIZEPKT_MASK 0x1fu
#define IXGBE_SRRCTL_DESCTYPE_SHIFT 25
#define IXGBE_SRRCTL_DESCTYPE_MASK (7u << IXGBE_SRRCTL_DESCTYPE_SHIFT)
#define IXGBE_SRRCTL_DESCTYPE_LEGACY 0u
#define IXGBE_SRRCTL_DESCTYPE_ADV_ONEBUF 1u
#define IXGBE_SRRCTL_DROP_EN    (1u << 28)
#define IXGBE_RDRXCTL_DMAIDONE  (1u << 3)
#define IXGBE_RXCTRL_RXEN       (1u << 0)
#define IXGBE_RXPBSIZE_512KB    0x00080000u
#define IXGBE_RXPBSIZE_SIZE_MASK 0x000ffc00u    /* bits 19:10, KB */

/* 8.2.3.9 Transmit DMA; queues 0..127 */
#define IXGBE_TXQ_BASE          0x06000
#define IXGBE_TXQ_TDBAL         0x00
#define IXGBE_TXQ_TDBAH         0x04
#define IXGBE_TXQ_TDLEN         0x08
#define IXGBE_TXQ_DCA_TXCTRL    0x0C
#define IXGBE_TXQ_TDH           0x10
#define IXGBE_TXQ_TDT           0x18
#define IXGBE_TXQ_TXDCTL        0x28
#define IXGBE_TXQ_TDWBAL        0x38
#define IXGBE_TXQ_TDWBAH        0x3C
#define IXGBE_QPTC0             0x06030   /* per stat index, stride 0x40 */
#define IXGBE_DTXMXSZRQ         0x08100
#define IXGBE_MTQC              0x08120
#define IXGBE_TQSM0             0x08600
#define IXGBE_QBTC_L0           0x08700   /* stride 8 */
#define IXGBE_QBTC_H0           0x08704
#define IXGBE_DMATXCTL          0x04A80
#define IXGBE_DTXTCPFLGL        0x04A88
#define IXGBE_DTXTCPFLGH        0x04A8C
#define IXGBE_TXPBSIZE0         0x0CC00
#define IXGBE_TXPBTHRESH0       0x04950
#define IXGBE_MNGTXMAP          0x0CD10
#define IXGBE_PFDTXGSWC         0x08220

#define IXGBE_TXDCTL_ENABLE     (1u << 25)
#define IXGBE_TXDCTL_SWFLSH     (1u << 26)
#define IXGBE_DMATXCTL_TE       (1u << 0)
#define IXGBE_DMATXCTL_VT_SHIFT 16
#define IXGBE_TDWBAL_HEAD_WB_EN (1u << 0)

/* 8.2.3.10 DCB, 8.2.3.3 flow control (storage only) */
#define IXGBE_RTRPCS            0x02430
#define IXGBE_RTRUP2TC          0x03020
#define IXGBE_RTRPT4C0          0x02140
#define IXGBE_RTTDCS            0x04900
#define IXGBE_RTTDQSEL          0x04904
#define IXGBE_RTTDT1C           0x04908
#define IXGBE_RTTDT2C0          0x04910
#define IXGBE_RTTBCNRC          0x04984
#define IXGBE_RTTPCS            0x0CD00
#define IXGBE_RTTPT2C0          0x0CD20
#define IXGBE_RTTUP2TC          0x0C800
#define IXGBE_FCTTV0            0x03200
#define IXGBE_FCRTL0            0x03220
#define IXGBE_FCRTH0            0x03260
#define IXGBE_FCRTV             0x032A0
#define IXGBE_PXON2OFFCNT0      0x03240
#define IXGBE_FCCFG             0x03D00
#define IXGBE_MFLCN             0x04294
#define IXGBE_PFCTOP            0x03008

/* 8.2.3.12 Security */
#define IXGBE_SECTXCTRL         0x08800
#define IXGBE_SECTXSTAT         0x08804
#define IXGBE_SECTXBUFFAF       0x08808
#define IXGBE_SECTXMINIFG       0x08810
#define IXGBE_SECRXCTRL         0x08D00
#define IXGBE_SECRXSTAT         0x08D04
#define IXGBE_SECSTAT_RDY       (1u << 0)
#define IXGBE_SECSTAT_OFF_DIS   (1u << 1)

/* 8.2.3.21 Flow Director */
#define IXGBE_FDIRCTRL          0x0EE00
#define IXGBE_FDIRSIPV6_0       0x0EE0C
#define IXGBE_FDIRIPSA          0x0EE18
#define IXGBE_FDIRIPDA          0x0EE1C
#define IXGBE_FDIRPORT          0x0EE20
#define IXGBE_FDIRVLAN          0x0EE24
#define IXGBE_FDIRHASH          0x0EE28
#define IXGBE_FDIRCMD           0x0EE2C
#define IXGBE_FDIRFREE          0x0EE38
#define IXGBE_FDIRDIP4M         0x0EE3C
#define IXGBE_FDIRSIP4M         0x0EE40
#define IXGBE_FDIRTCPM          0x0EE44
#define IXGBE_FDIRUDPM          0x0EE48
#define IXGBE_FDIRLEN           0x0EE4C
#define IXGBE_FDIRUSTAT         0x0EE50
#define IXGBE_FDIRFSTAT         0x0EE54
#define IXGBE_FDIRMATCH         0x0EE58
#define IXGBE_FDIRMISS          0x0EE5C
#define IXGBE_FDIRHKEY          0x0EE68
#define IXGBE_FDIRSKEY          0x0EE6C
#define IXGBE_FDIRM             0x0EE70
#define IXGBE_FDIRIP6M          0x0EE74

#define IXGBE_FDIRCTRL_PBALLOC_MASK 0x3u
#define IXGBE_FDIRCTRL_INIT_DONE (1u << 3)
#define IXGBE_FDIRCTRL_PERFECT  (1u << 4)
#define IXGBE_FDIRCTRL_DROP_Q_SHIFT 8
#define IXGBE_FDIRCTRL_DROP_Q_MASK 0x7fu
#define IXGBE_FDIRCTRL_FLEX_SHIFT 16
#define IXGBE_FDIRCTRL_FLEX_MASK 0x1fu

#define IXGBE_FDIRM_VLANID      (1u << 0)
#define IXGBE_FDIRM_VLANP       (1u << 1)
#define IXGBE_FDIRM_POOL        (1u << 2)
#define IXGBE_FDIRM_L4P         (1u << 3)
#define IXGBE_FDIRM_FLEX        (1u << 4)

#define IXGBE_FDIRHASH_SOFTID_SHIFT 16

#define IXGBE_FDIRCMD_CMD_MASK  0x3u
#define IXGBE_FDIRCMD_CMD_ADD   0x1u
#define IXGBE_FDIRCMD_CMD_REMOVE 0x2u
#define IXGBE_FDIRCMD_CMD_QUERY 0x3u
#define IXGBE_FDIRCMD_FILTER_VALID (1u << 2)
#define IXGBE_FDIRCMD_L4TYPE_SHIFT 5
#define IXGBE_FDIRCMD_L4TYPE_MASK 0x3u
#define IXGBE_FDIRCMD_IPV6      (1u << 7)
#define IXGBE_FDIRCMD_CLEARHT   (1u << 8)
#define IXGBE_FDIRCMD_DROP      (1u << 9)
#define IXGBE_FDIRCMD_QUEUE_EN  (1u << 15)
#define IXGBE_FDIRCMD_QUEUE_SHIFT 16
#define IXGBE_FDIRCMD_QUEUE_MASK 0x7fu
#define IXGBE_FDIRCMD_POOL_SHIFT 24
#define IXGBE_FDIRCMD_POOL_MASK 0x3fu

#define IXGBE_FDIR_L4_NONE      0
#define IXGBE_FDIR_L4_UDP       1
#define IXGBE_FDIR_L4_TCP       2
#define IXGBE_FDIR_L4_SCTP      3

/* 8.2.3.22 MAC */
#define IXGBE_PCS1GCFIG         0x04200
#define IXGBE_PCS1GLCTL         0x04208
#define IXGBE_PCS1GLSTA         0x0420C
#define IXGBE_PCS1GANA          0x04218
#define IXGBE_PCS1GANLP         0x0421C
#define IXGBE_HLREG0            0x04240
#define IXGBE_HLREG1            0x04244
#define IXGBE_PAP               0x04248
#define IXGBE_MSCA              0x0425C
#define IXGBE_MSRWD             0x04260
#define IXGBE_MAXFRS            0x04268   /* "MHADD" in the Linux driver */
#define IXGBE_AUTOC             0x042A0
#define IXGBE_LINKS             0x042A4
#define IXGBE_AUTOC2            0x042A8
#define IXGBE_AUTOC3            0x042AC
#define IXGBE_ANLP1             0x042B0
#define IXGBE_ANLP2             0x042B4
#define IXGBE_MACC              0x04330
#define IXGBE_LINKS2            0x04324
#define IXGBE_MMNGC             0x042D0

#define IXGBE_HLREG0_TXCRCEN    (1u << 0)
#define IXGBE_HLREG0_RXCRCSTRP  (1u << 1)
#define IXGBE_HLREG0_JUMBOEN    (1u << 2)
#define IXGBE_HLREG0_TXPADEN    (1u << 10)
#define IXGBE_HLREG0_LPBK       (1u << 15)
#define IXGBE_MSCA_MDI_COMMAND  (1u << 30)
#define IXGBE_MAXFRS_MFS_SHIFT  16
#define IXGBE_AUTOC_AN_RESTART  (1u << 12)
#define IXGBE_LINKS_KX_AN_COMP  (1u << 31)
#define IXGBE_LINKS_UP          (1u << 30)
#define IXGBE_LINKS_SPEED_10G   (3u << 28)
#define IXGBE_LINKS2_AN_SUPPORTED (1u << 6)
#define IXGBE_ANLP1_AN_STATE_1  (1u << 16)
#define IXGBE_ANLP1_SYM_PAUSE   (1u << 10)
#define IXGBE_ANLP1_ASM_PAUSE   (1u << 11)

/* 8.2.3.23 Statistics */
#define IXGBE_CRCERRS           0x04000
#define IXGBE_ILLERRC           0x04004
#define IXGBE_ERRBC             0x04008
#define IXGBE_MSPDC             0x04010
#define IXGBE_MPC0              0x03FA0
#define IXGBE_MLFC              0x04034
#define IXGBE_MRFC              0x04038
#define IXGBE_RLEC              0x04040
#define IXGBE_SSVPC             0x08780
#define IXGBE_LXONTXC           0x03F60
#define IXGBE_LXOFFTXC          0x03F68
#define IXGBE_LXONRXCNT         0x041A4
#define IXGBE_LXOFFRXCNT        0x041A8
#define IXGBE_PXONTXC0          0x03F00
#define IXGBE_PXOFFTXC0         0x03F20
#define IXGBE_PXONRXCNT0        0x04140
#define IXGBE_PXOFFRXCNT0       0x04160
#define IXGBE_PRC64             0x0405C
#define IXGBE_PRC127            0x04060
#define IXGBE_PRC255            0x04064
#define IXGBE_PRC511            0x04068
#define IXGBE_PRC1023           0x0406C
#define IXGBE_PRC1522           0x04070
#define IXGBE_GPRC              0x04074
#define IXGBE_BPRC              0x04078
#define IXGBE_MPRC              0x0407C
#define IXGBE_GPTC              0x04080
#define IXGBE_GORCL             0x04088
#define IXGBE_GORCH             0x0408C
#define IXGBE_GOTCL             0x04090
#define IXGBE_GOTCH             0x04094
#define IXGBE_RXNFGPC           0x041B0
#define IXGBE_RXNFGBCL          0x041B4
#define IXGBE_RXNFGBCH          0x041B8
#define IXGBE_RXDGPC            0x02F50
#define IXGBE_RXDGBCL           0x02F54
#define IXGBE_RXDGBCH           0x02F58
#define IXGBE_RXDDGPC           0x02F5C
#define IXGBE_RXDDGBCL          0x02F60
#define IXGBE_RXDDGBCH          0x02F64
#define IXGBE_RXLPBKGPC         0x02F68
#define IXGBE_RXLPBKGBCL        0x02F6C
#define IXGBE_RXLPBKGBCH        0x02F70
#define IXGBE_RXDLPBKGPC        0x02F74
#define IXGBE_RXDLPBKGBCL       0x02F78
#define IXGBE_RXDLPBKGBCH       0x02F7C
#define IXGBE_TXDGPC            0x087A0
#define IXGBE_TXDGBCL           0x087A4
#define IXGBE_TXDGBCH           0x087A8
#define IXGBE_RUC               0x040A4
#define IXGBE_RFC               0x040A8
#define IXGBE_ROC               0x040AC
#define IXGBE_RJC               0x040B0
#define IXGBE_MNGPRC            0x040B4
#define IXGBE_MNGPDC            0x040B8
#define IXGBE_MNGPTC            0x0CF90
#define IXGBE_TORL              0x040C0
#define IXGBE_TORH              0x040C4
#define IXGBE_TPR               0x040D0
#define IXGBE_TPT               0x040D4
#define IXGBE_PTC64             0x040D8
#define IXGBE_PTC127            0x040DC
#define IXGBE_PTC255            0x040E0
#define IXGBE_PTC511            0x040E4
#define IXGBE_PTC1023           0x040E8
#define IXGBE_PTC1522           0x040EC
#define IXGBE_MPTC              0x040F0
#define IXGBE_BPTC              0x040F4
#define IXGBE_XEC               0x08A00
#define IXGBE_FCCRC             0x05118
#define IXGBE_FCOERPDC          0x0241C
#define IXGBE_FCLAST            0x02424
#define IXGBE_FCOEPRC           0x02428
#define IXGBE_FCOEDWRC          0x0242C
#define IXGBE_FCOEPTC           0x08784
#define IXGBE_FCOEDWTC          0x08788

/* 8.2.3.26 Time sync (storage only; the PTP clock does not run) */
#define IXGBE_TSYNCRXCTL        0x05188
#define IXGBE_RXSTMPL           0x051E8
#define IXGBE_RXSTMPH           0x051A4
#define IXGBE_RXSATRL           0x051A0
#define IXGBE_RXSATRH           0x051A8
#define IXGBE_RXMTRL            0x05120
#define IXGBE_TSYNCTXCTL        0x08C00
#define IXGBE_TXSTMPL           0x08C04
#define IXGBE_TXSTMPH           0x08C08
#define IXGBE_SYSTIML           0x08C0C
#define IXGBE_SYSTIMH           0x08C10
#define IXGBE_TIMINCA           0x08C14
#define IXGBE_TIMADJL           0x08C18
#define IXGBE_TIMADJH           0x08C1C
#define IXGBE_TSAUXC            0x08C20
#define IXGBE_TRGTTIML0         0x08C24
#define IXGBE_TSSDP             0x0003C

/* Advanced receive descriptor write-back (8.2.3.8.7, 7.1.6.2) */
#define IXGBE_RXD_STAT_DD       (1u << 0)
#define IXGBE_RXD_STAT_EOP      (1u << 1)
#define IXGBE_RXD_STAT_FLM      (1u << 2)
#define IXGBE_RXD_STAT_VP       (1u << 3)
#define IXGBE_RXD_STAT_UDPCS    (1u << 4)
#define IXGBE_RXD_STAT_L4CS     (1u << 5)
#define IXGBE_RXD_STAT_IPCS     (1u << 6)
#define IXGBE_RXD_STAT_PIF      (1u << 7)
#define IXGBE_RXD_STAT_UDPV     (1u << 10)
#define IXGBE_RXD_ERR_TCPE      (1u << 30)
#define IXGBE_RXD_ERR_IPE       (1u << 31)

#define IXGBE_RXD_RSSTYPE_NONE      0x0
#define IXGBE_RXD_RSSTYPE_IPV4_TCP  0x1
#define IXGBE_RXD_RSSTYPE_IPV4      0x2
#define IXGBE_RXD_RSSTYPE_IPV6_TCP  0x3
#define IXGBE_RXD_RSSTYPE_IPV6      0x5
#define IXGBE_RXD_RSSTYPE_IPV4_UDP  0x7
#define IXGBE_RXD_RSSTYPE_IPV6_UDP  0x8

#define IXGBE_RXD_PKTTYPE_IPV4      0x0010
#define IXGBE_RXD_PKTTYPE_IPV4_EX   0x0020
#define IXGBE_RXD_PKTTYPE_IPV6      0x0040
#define IXGBE_RXD_PKTTYPE_IPV6_EX   0x0080
#define IXGBE_RXD_PKTTYPE_TCP       0x0100
#define IXGBE_RXD_PKTTYPE_UDP       0x0200
#define IXGBE_RXD_PKTTYPE_SCTP      0x0400

/* Advanced transmit descriptors (7.2.3.2.3, 7.2.3.2.4) */
#define IXGBE_TXD_DTALEN_MASK   0x0000ffffu
#define IXGBE_TXD_DTYP_SHIFT    20
#define IXGBE_TXD_DTYP_MASK     0xfu
#define IXGBE_TXD_DTYP_CTXT     0x2u
#define IXGBE_TXD_DTYP_DATA     0x3u
#define IXGBE_TXD_CMD_EOP       (1u << 24)
#define IXGBE_TXD_CMD_IFCS      (1u << 25)
#define IXGBE_TXD_CMD_RS        (1u << 27)
#define IXGBE_TXD_CMD_DEXT      (1u << 29)
#define IXGBE_TXD_CMD_VLE       (1u << 30)
#define IXGBE_TXD_CMD_TSE       (1u << 31)
#define IXGBE_TXD_STAT_DD       (1u << 0)
#define IXGBE_TXD_IDX_SHIFT     4
#define IXGBE_TXD_IDX_MASK      0x7u
#define IXGBE_TXD_POPTS_IXSM    (1u << 8)
#define IXGBE_TXD_POPTS_TXSM    (1u << 9)
#define IXGBE_TXD_PAYLEN_SHIFT  14

#define IXGBE_TXCTX_IPLEN_MASK  0x1ffu
#define IXGBE_TXCTX_MACLEN_SHIFT 9
#define IXGBE_TXCTX_MACLEN_MASK 0x7fu
#define IXGBE_TXCTX_VLAN_SHIFT  16
#define IXGBE_TXCTX_TUCMD_IPV4  (1u << 10)
#define IXGBE_TXCTX_TUCMD_L4T_SHIFT 11
#define IXGBE_TXCTX_TUCMD_L4T_MASK 0x3u
#define IXGBE_TXCTX_L4T_UDP     0u
#define IXGBE_TXCTX_L4T_TCP     1u
#define IXGBE_TXCTX_L4T_SCTP    2u
#define IXGBE_TXCTX_L4LEN_SHIFT 8
#define IXGBE_TXCTX_L4LEN_MASK  0xffu
#define IXGBE_TXCTX_MSS_SHIFT   16

#endif
