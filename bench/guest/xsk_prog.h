/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The XDP program of the AF_XDP receivers (rx_afxdp.c, echo_afxdp.c): each
 * frame goes to the socket of its RX queue in the XSKMAP, if there is one,
 * and up the stack otherwise.
 */
#ifndef BENCH_XSK_PROG_H
#define BENCH_XSK_PROG_H

/* Loads the program against MAP_FD (an XSKMAP); its fd, or < 0 */
int xsk_redirect_prog(int map_fd, const char *name);

#endif
