/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bifurc: hand one hidden NIC receive queue to one application.
 *
 * This header is the whole user/kernel ABI of bifurc: the character device,
 * its ioctls, and the memory shared through mmap().  It is written for the
 * kernel side (a patched ixgbe, drivers/net/ethernet/intel/ixgbe/
 * ixgbe_bifurc.c) and for user space (lib/libbifurc).  Both must follow it
 * word for word; anything not written here is not part of the ABI.
 *
 * The header compiles as C90 (make headers_install / UAPI_HEADER_TEST) and
 * as C++.  Every structure has a fixed layout with explicit padding: no
 * implicit holes, 64-bit fields 8-byte aligned, sizes a multiple of 8.  The
 * sizes and offsets are checked by static_assert in lib/libbifurc/tests/
 * test_abi.c; the kernel side is expected to repeat them with
 * BUILD_BUG_ON / static_assert.
 *
 * Contents
 *   1. Device node and sysfs discovery
 *   2. Versioning and the extensible-struct rules
 *   3. Shared memory: regions and rings
 *   4. Ring entries
 *   5. Raw descriptor mode
 *   6. ioctls
 *   7. poll()
 *   8. Error conventions
 *
 * ------------------------------------------------------------------------
 * 1. Device node and sysfs discovery
 * ------------------------------------------------------------------------
 *
 * One character device per adapter (PCI function) that the bifurc driver
 * has bound.  Its class is "bifurc", its device name is
 * "bifurc-<pci bdf>", e.g. "bifurc-0000:03:00.0", and its parent is the PCI
 * device, so it appears in sysfs under the PCI device in a "bifurc"
 * subdirectory.  The node in /dev is "/dev/bifurc/<pci bdf>".
 *
 * Discovery rule (what libbifurc does; other users should do the same):
 *
 *   1. /sys/class/net/<ifname>/device/bifurc/ is a directory that holds
 *      exactly one entry, the class device <name> ("bifurc-<bdf>").  No such
 *      directory: the interface's driver has no bifurc support.
 *   2. /sys/class/net/<ifname>/device/bifurc/<name>/uevent holds a line
 *      "DEVNAME=<path>"; the device node is "/dev/<path>" (udev/devtmpfs
 *      create it there).  The same directory has "dev" ("<major>:<minor>")
 *      for callers that want to check st_rdev.
 *   3. open("/dev/<path>", O_RDWR | O_CLOEXEC).
 *
 * Because the path goes through the PCI device and not through the
 * interface name, the device node is stable across interface renames.
 * BIFURC_IOC_INFO returns the current ifindex and name so a caller can
 * check that the interface it named is the one it opened.
 *
 * The node is created root:root 0600.  Two things let a user without
 * CAP_NET_ADMIN in the interface's network namespace use a queue: file
 * permission on the node (a udev rule or "bifurcctl grant"), to open it,
 * and the administrator's grant of that queue (the "grant" attribute
 * below), to attach it.  ATTACH of a queue not granted to the caller is
 * EPERM.  A grant names one user (the caller's fsuid must match) or one
 * group (one of the caller's groups) and ends with the reservation.
 *
 * Reservation is not part of this ioctl interface: it is done through
 * attributes of the same class device, by a writer with CAP_NET_ADMIN in
 * the interface's network namespace:
 *
 *   .../bifurc/<name>/reserve    write a queue index: reserve it
 *   .../bifurc/<name>/release    write a queue index: release it (an
 *                                attachment of the queue ends, ENETRESET)
 *   .../bifurc/<name>/reserved   read: reserved queues, "2 3\n"
 *   .../bifurc/<name>/attached   read: reserved queues with an attachment
 *   .../bifurc/<name>/grant      write "<queue> user <uid>", "<queue> group
 *                                <gid>" or "<queue> none" (numeric ids, as
 *                                the writer's user namespace sees them),
 *                                the first two optionally followed by
 *                                "ports <lo>[-<hi>]": the only destination
 *                                ports the grantee's rules may steer;
 *                                read: one such line per granted queue,
 *                                ports as "ports <lo>-<hi>"
 *
 * Changing or revoking a queue's grant ends the attachment of a grantee
 * (one attached without CAP_NET_ADMIN): status BIFURC_STATUS_REVOKED,
 * ioctls fail with EACCES, and its rules go with it.
 *
 * A write fails with ERANGE (no such queue), ENOSPC (the last queue RSS
 * could use), EALREADY (reserved already), EADDRNOTAVAIL (release or
 * grant of a queue that is not reserved), EBUSY (an AF_XDP socket holds
 * the queue), EOPNOTSUPP (SR-IOV, DCB, FCoE or macvlan offload on),
 * EINVAL (a malformed grant, an id with no mapping) or EPERM.
 *
 * One open file = at most one attachment (one reserved RX queue).  Opening
 * the node by itself reserves nothing; BIFURC_IOC_INFO works on any open
 * file.  close() of the last reference (including process death) detaches:
 * the queue is stopped, DMA is quiesced, the file's flow rules are removed,
 * the queue returns to the reserved-idle state, and the buffer pool is
 * freed.  A mapping of any region holds a reference to the file, so the
 * last reference is the last of the descriptors and the mappings: pages
 * are never freed while mapped.
 *
 * ------------------------------------------------------------------------
 * 2. Versioning and the extensible-struct rules
 * ------------------------------------------------------------------------
 *
 * BIFURC_ABI_VERSION changes only on an incompatible change (ring layout,
 * meaning of a field).  A kernel implements exactly one version and
 * reports it in bifurc_info.abi_version; BIFURC_IOC_ATTACH takes the
 * caller's version and fails with EPROTO if it differs.
 *
 * Compatible growth happens by appending fields to the ioctl structures.
 * Every ioctl structure starts with "__u32 size", set by the caller to the
 * size of the structure it was compiled with, and the kernel applies the
 * rules of copy_struct_from_user():
 *
 *   - size smaller than the first published version of the structure
 *     (BIFURC_*_SIZE_VER0 below): EINVAL;
 *   - size larger than the kernel's structure: the extra bytes must be
 *     zero, else E2BIG;
 *   - size smaller than the kernel's structure: the missing tail reads as
 *     zero (zero is always the "absent / default" value of a new field).
 *
 * For output, the kernel writes min(size, its own size) bytes and leaves
 * "size" holding that number.
 *
 * The ioctl request numbers encode sizeof() of the structure at the time
 * they were defined.  The kernel checks a request's type, number and
 * direction exactly and its _IOC_SIZE only against BIFURC_*_SIZE_VER0
 * (ENOTTY otherwise), so a program built against an older or newer header
 * (whose request numbers encode another size) keeps working; the "size"
 * field is what counts.  The kernel caps size at 4096 (E2BIG above that).
 *
 * Fields named "reserved*" and all fields documented as "out" must be zero
 * on input; the kernel returns EINVAL otherwise, so that a future version
 * can give them a meaning.  Unknown flag bits are EINVAL.
 *
 * All values are host byte order except where the type is __be16/__be32
 * (packet header fields, network byte order) or __le16/__le32/__le64
 * (hardware descriptors, little endian).
 *
 * ------------------------------------------------------------------------
 * 3. Shared memory: regions and rings
 * ------------------------------------------------------------------------
 *
 * BIFURC_IOC_ATTACH returns, for each region, a struct bifurc_region:
 * the offset to pass to mmap(), the length to map, the number of ring
 * entries, and the protection the region may be mapped with.  Rules:
 *
 *   - map each region whole, in one mmap(NULL, length, prot, MAP_SHARED,
 *     fd, offset) call: a different length, an offset inside a region or
 *     MAP_PRIVATE is EINVAL;
 *   - a region whose prot lacks BIFURC_PROT_WRITE cannot be mapped with
 *     PROT_WRITE (EACCES) and cannot be made writable with mprotect() (the
 *     kernel clears VM_MAYWRITE);
 *   - a region with length 0 is absent and must not be mapped;
 *   - offsets are page aligned, do not overlap, and are chosen by the
 *     kernel; user space must not assume any particular value;
 *   - mappings outlive close(): the pages are freed when the file is
 *     released and the last mapping is gone.  The kernel never frees a
 *     page that is still mapped or that the NIC may still write.
 *
 * Regions:
 *
 *   pool      rw  buf_count buffers of buf_size bytes, buffer i at byte
 *                 i * buf_size.  Allocated, zeroed, DMA-mapped and owned by
 *                 the kernel; user space names buffers by id only (never
 *                 by address).  The NIC writes received frames here.
 *   fill      rw  ring of __u32 buffer ids, user -> kernel: buffers the
 *                 kernel may give to the NIC for reception.
 *   comp      rw  ring of struct bifurc_rx_comp, kernel -> user: received
 *                 buffers.  "rw" only because the consumer index lives in
 *                 it; user space writes nothing else in this region.  In
 *                 raw mode the ring has no entries, see section 5.
 *   desc      ro  raw mode only: the NIC's RX descriptor ring followed by
 *                 the slot -> buffer id table (section 5).  length 0
 *                 otherwise.
 *   tx        rw  ring of struct bifurc_tx_entry, user -> kernel (TX,
 *                 attach flag BIFURC_ATTACH_TX, section 4a).  length 0
 *                 otherwise.
 *   txc       rw  ring of __u32 buffer ids, kernel -> user: transmitted
 *                 (or refused) buffers handed back (TX).  length 0
 *                 otherwise.
 *   counters  ro  one page, struct bifurc_counters, updated by the kernel.
 *
 * Ring layout.  Every ring region starts with struct bifurc_ring_hdr (512
 * bytes) and the entry array follows at BIFURC_RING_ENTRIES_OFFSET:
 *
 *   offset   0  __u32 producer   written only by the producing side
 *   offset 128  __u32 consumer   written only by the consuming side
 *   offset 256  __u32 flags      written only by the kernel
 *   offset 384  reserved (zero)
 *   offset 512  entries[entries]
 *
 * Producer and consumer are 128 bytes apart, not 64, so that the adjacent
 * cache-line prefetcher of x86 parts (which pulls 64-byte lines in 128-byte
 * pairs) does not make the two sides fight over one pair.
 *
 * Indices are free-running __u32 counters: they only ever increase (mod
 * 2^32) and are never masked in memory.  Entry n lives in slot
 * n & (entries - 1); entries is a power of two.  The ring holds
 * producer - consumer entries (mod 2^32), which is at most entries.
 *
 * Memory ordering (the only ordering either side may rely on):
 *
 *   producer side:  write entries[p .. p+k-1], then
 *                   store-release producer = p + k
 *                   (kernel: smp_store_release(); user: __atomic_store_n(
 *                   ..., __ATOMIC_RELEASE))
 *   consumer side:  load-acquire producer (pairs with the store-release
 *                   above, so the entries are visible), read the entries,
 *                   then store-release consumer = c + k (pairs with the
 *                   producer's load-acquire of consumer before it reuses
 *                   slots, so a slot is never overwritten while being read)
 *
 * Who writes what:
 *
 *   ring   producer index   consumer index
 *   fill   user             kernel
 *   comp   kernel           user
 *   tx     user             kernel
 *   txc    kernel           user
 *
 * The kernel never trusts a value it reads from shared memory.  It keeps
 * its own private copy of every index it owns and only publishes it; a
 * user write to a kernel-owned index is overwritten or ignored.  A user
 * index that claims more than the ring can hold (user producer - kernel
 * consumer > entries, or kernel producer - user consumer > entries) is a
 * ring error: the kernel consumes nothing (fill/tx) or treats the ring as
 * full (comp/txc), counts rx_ring_err/tx_ring_err, and carries on.  Every
 * buffer id read from a ring is checked against buf_count and against the
 * kernel's ownership record before use (section 4).
 *
 * flags: BIFURC_RING_NEED_WAKEUP on the fill ring.  At the end of every
 * refill pass (NAPI, kick or poll) the kernel sets it if the NIC does not
 * hold a full ring of empty buffers (rx_desc - 1 posted and not yet
 * written: the fill ring ran dry, or, in raw mode, slots still wait for
 * the user consumer), and clears it otherwise.  Busy-poll mode: always
 * set.  While it is set, user space should make a syscall
 * (BIFURC_IOC_KICK with BIFURC_KICK_RX_REFILL, or poll()) after adding
 * buffers; it may batch them (libbifurc kicks once per 32 buffers, or at
 * once when the NIC holds fewer than 32, since then no interrupt may come
 * to run NAPI).  While it is clear, the NIC is fully stocked and the next
 * NAPI run consumes the fill ring on its own: no syscall is needed (the
 * AF_XDP need_wakeup rule).  Lost-wakeup rule (Dekker pairing): the kernel sets
 * the flag, executes smp_mb(), then re-reads the fill producer and consumes
 * whatever arrived; user space stores the producer, executes a full fence
 * (__atomic_thread_fence(__ATOMIC_SEQ_CST)), then reads the flag.  One of
 * the two always sees the other's write.
 *
 * On the tx ring the flag means the same for BIFURC_KICK_TX_SUBMIT: the
 * kernel sets it when no frame is in flight on the NIC (no completion
 * interrupt will come to run NAPI, which submits queued entries on its
 * own) or the queue is busy-polled, and clears it otherwise; the same
 * Dekker pairing applies.
 *
 * ------------------------------------------------------------------------
 * 4. Ring entries and buffer ownership
 * ------------------------------------------------------------------------
 *
 * Every buffer id is, at any time, owned by exactly one side, and the
 * kernel tracks this per id:
 *
 *   USER    after ATTACH every buffer is USER.  A USER buffer may be put
 *           in the fill ring or the tx ring.
 *   KERNEL  taken from the fill ring (possibly handed to the NIC) or from
 *           the tx ring.  Returns to USER when it appears in the comp ring
 *           (or, raw mode, when the user consumer passes its slot) or in
 *           the txc ring.
 *
 * An id read from the fill or tx ring that is >= buf_count, or not USER
 * (double use: the NIC or the tx path already holds it), is dropped
 * (consumed from the ring, not used) and counted in rx_bad_id/tx_bad_id;
 * BIFURC_IOC_KICK reports it in rx_rejected/tx_rejected.  No id coming from
 * user space ever reaches the NIC without passing this check.
 *
 * fill:      __u32 buffer id.
 * comp:      struct bifurc_rx_comp, one per received descriptor.  A frame
 *            larger than one buffer spans several entries; all but the
 *            last have BIFURC_RX_F_EOP clear.
 * tx:        struct bifurc_tx_entry (section 4a).
 * txc:       __u32 buffer id, with BIFURC_TXC_F_REFUSED set if the
 *            kernel refused the frame and nothing was sent.
 *
 * The received data of comp entry e starts at pool + e.buf * buf_size +
 * rx_headroom (rx_headroom from ATTACH, 0 in ABI version 1) and is e.len
 * bytes long.
 *
 * ------------------------------------------------------------------------
 * 4a. Transmit (BIFURC_ATTACH_TX)
 * ------------------------------------------------------------------------
 *
 * With BIFURC_ATTACH_TX the file also owns the TX queue with the same
 * index as its RX queue.  That queue is never used by the stack (reserved
 * queues are out of XPS and of the driver's queue selection), so the
 * stack's own transmits never wait behind it.  The NIC's TX descriptor
 * ring has tx_desc descriptors (bifurc_attach.tx_desc, 0: rx_desc).
 *
 * A frame is 1 to BIFURC_TX_MAX_FRAGS consecutive tx entries; every entry
 * but the last has BIFURC_TX_F_MORE.  Lengths exclude the FCS, which the
 * NIC appends; a VLAN tag, if any, is part of the frame.  The kernel reads
 * each entry exactly once (user space may rewrite the ring at any time)
 * and takes a frame only as a whole: a frame whose last entry is not yet
 * produced waits.  It checks, before any descriptor is written:
 *
 *   - every id < buf_count and USER (section 4), else the entry is
 *     dropped and counted in tx_bad_id;
 *   - every entry: len >= 1, offset + len <= buf_size, flags within
 *     BIFURC_TX_F_MORE; the frame: at most BIFURC_TX_MAX_FRAGS entries,
 *     total length within [BIFURC_TX_MIN_FRAME, bifurc_info.max_tx_frame];
 *     else the frame is refused and counted in tx_bad_frame;
 *   - if the attaching task lacked CAP_NET_RAW in the interface's network
 *     namespace, the frame's source: an untagged IPv4 or IPv6 frame
 *     carrying UDP or TCP (no IPv6 extension header, no IPv4 fragment but
 *     the first), its Ethernet source the port's MAC, its IP source an
 *     address of the interface, its UDP/TCP source port inside the
 *     queue's grant's port range or, if the grant names none, the
 *     destination port of one of the file's own flow rules; the headers
 *     up to the source port must lie in the frame's first entry.  Else
 *     the frame is refused and counted in tx_bad_frame.  The check runs
 *     on a kernel copy of the first 128 bytes of that entry, and the NIC
 *     sends that copy: rewriting the buffer after submission changes
 *     nothing.  So a granted user sends only as itself; ARP, VLAN tags
 *     and other protocols need CAP_NET_RAW.
 *
 * A frame with any bad entry is not sent at all.  Its entries with a
 * valid USER id are handed straight back through the txc ring with
 * BIFURC_TXC_F_REFUSED, so user space gets its buffers back; ids that
 * failed the id check (including an id used twice in one frame) are not
 * handed back (they are not the caller's).  A chain still MORE after
 * BIFURC_TX_MAX_FRAGS entries is one refused frame up to and including
 * its next entry without MORE.  tx_bad_frame counts refused frames whose
 * ids were all good; a frame with a bad id counts in tx_bad_id only.
 * BIFURC_IOC_KICK counts every refused or dropped entry in tx_rejected.
 * Refused ids may reach txc before the ids of earlier frames still on
 * the NIC.
 *
 * A taken frame's buffers are KERNEL until the NIC has sent the frame;
 * then each id appears once in the txc ring (without the flag) and is USER
 * again.  The kernel looks at a frame only if the NIC ring (tx_desc - 1
 * descriptors in flight at most) and the txc ring both have room for all
 * its entries, where the txc ring's room is txc_entries minus the entries
 * user space has not consumed minus the buffers in flight (posted, not yet
 * reclaimed).  So a txc entry always has a slot: a txc ring user space
 * does not drain stops transmission (tx_ring_full), never loses ids.
 * A buffer received in the comp ring may be transmitted as it is (echo,
 * forward) and, once back from txc, put in the fill ring.
 *
 * Reclaim (finished frames -> txc) runs in NAPI (interrupt mode), in
 * BIFURC_IOC_KICK with BIFURC_KICK_TX_RECLAIM and in poll().
 *
 * TX hang: if frames are in flight and none completes between two of the
 * adapter's periodic hang checks (ixgbe: about 2 to 4 s), the kernel logs
 * it, sets BIFURC_STATUS_TX_HANG and BIFURC_STATUS_RESET, and resets the
 * adapter the way the driver's own TX hang path does; the file then fails
 * with ENETRESET like any reset (section 8) and may attach again.
 *
 * ------------------------------------------------------------------------
 * 5. Raw descriptor mode (BIFURC_ATTACH_RAW_DESC)
 * ------------------------------------------------------------------------
 *
 * Zero kernel work per received packet: user space reads the NIC's RX
 * descriptor ring itself.  Descriptors that are not yet written back hold
 * the buffers' bus addresses (physical addresses without a translating
 * IOMMU), so the kernel allows raw mode only to CAP_SYS_ADMIN callers or
 * when a translating IOMMU is in use (bifurc_info.flags
 * BIFURC_INFO_F_IOMMU); otherwise ATTACH fails with EPERM.
 *
 * In raw mode:
 *   - comp_entries must equal rx_desc; the comp region holds only the ring
 *     header: producer = number of descriptors the kernel has handed to
 *     the NIC (free-running), consumer = number of descriptors user space
 *     has finished with (free-running).  Its entry array is absent.
 *   - the desc region (read-only) holds rx_desc descriptors of 16 bytes in
 *     the format named by desc_format (BIFURC_DESC_FMT_IXGBE_ADV: the
 *     82599 advanced one-buffer write-back format, struct bifurc_rx_desc)
 *     at offset 0, then the slot table: rx_desc __u32 buffer ids at offset
 *     BIFURC_RAW_SLOTS_OFFSET(rx_desc).  slot[i] is the buffer the kernel
 *     put in descriptor i; it is valid for index n while n < producer.
 *   - user space, for its consumer index c: if c == load-acquire(producer)
 *     stop; i = c & (rx_desc - 1); s = load-acquire(desc[i].status_error);
 *     if !(s & BIFURC_RXD_STAT_DD) stop; read the other descriptor fields
 *     and slot[i]; the buffer is now USER; c++.  Then store-release
 *     consumer.  (The acquire load of the status word keeps the other
 *     descriptor fields from being read before DD is seen, the user-space
 *     counterpart of the kernel's dma_rmb(); on arm64 it must be a
 *     "dmb oshld" class barrier, which plain C11 acquire does not give:
 *     raw mode is x86-only in ABI version 1.)
 *   - the kernel, before reusing slots (kick or NAPI refill), walks from
 *     its own clean index up to the user consumer, checks that the user
 *     consumer is <= producer and that each slot has DD set, and only then
 *     marks those buffers USER.  A consumer value that fails either check
 *     is a ring error (rx_ring_err); the kernel stops at the first bad slot.
 *   - the kernel writes no bifurc_rx_comp entries; its interrupt work only
 *     takes back what user space consumed, refills and wakes poll(), which
 *     reports POLLIN when the descriptor at the user consumer has DD set.
 *
 * ------------------------------------------------------------------------
 * 6. ioctls, in the order an application uses them
 * ------------------------------------------------------------------------
 *
 *   BIFURC_IOC_INFO       any open file: version, limits, reserved queues
 *   BIFURC_IOC_ATTACH     attach this file to one reserved queue, get regions
 *   BIFURC_IOC_KICK       refill RX / harvest RX / submit TX / reclaim TX
 *   BIFURC_IOC_FLOW_ADD   add a flow rule steering to this file's queue
 *   BIFURC_IOC_FLOW_DEL   remove one of this file's rules
 *   BIFURC_IOC_FLOW_MASK  read the port's flow mask (one per 82599 port)
 *   BIFURC_IOC_STATS      snapshot of the counters
 *
 * All return 0 on success and -1 with errno set on failure (section 8).
 * Every ioctl except INFO and ATTACH needs an attached file (ENOTCONN).
 *
 * ------------------------------------------------------------------------
 * 7. poll()
 * ------------------------------------------------------------------------
 *
 *   POLLIN   the comp ring is not empty (raw mode: the descriptor at the
 *            user consumer has DD set).
 *   POLLOUT  (TX) the tx ring has room, or the txc ring holds buffers.
 *            poll() first runs a TX reclaim and submit pass.
 *   POLLWRBAND (TX, BIFURC_INFO_F_TX_WAIT) the txc ring holds buffers:
 *            what waiting for TX completions polls for, since the tx
 *            ring has room nearly always.  In interrupt mode NAPI wakes
 *            the poller when it puts buffers in txc.  In busy-poll mode
 *            nothing does: a poll() sees only its own reclaim pass and
 *            then sleeps to its timeout, so poll with timeout 0 or kick.
 *   POLLERR  the attachment is dead: reset (status BIFURC_STATUS_RESET,
 *            ioctls fail with ENETRESET) or device removed
 *            (BIFURC_STATUS_REMOVED, ENODEV; POLLHUP is set too), or
 *            the queue's grant changed (BIFURC_STATUS_REVOKED, EACCES).
 *
 * Interrupt mode (default): the queue's MSI-X vector stays enabled (with
 * the adapter's interrupt moderation) and every NAPI run harvests finished
 * descriptors into the comp ring and refills from the fill ring, so a busy
 * application receives with no syscall at all.  poll() first does the same
 * refill + harvest pass itself (as BIFURC_IOC_KICK with RX_REFILL |
 * RX_HARVEST would), then, only if nothing is ready, registers on the
 * queue's wait queue and sleeps; NAPI wakes the wait queue only while a
 * poller is registered (counted in "wakeups").
 *
 * Busy-poll mode (BIFURC_ATTACH_BUSY_POLL): the queue's interrupt is
 * masked for the whole attachment and NAPI never runs for it; nothing is
 * harvested or refilled except by BIFURC_IOC_KICK.  The driver's poll
 * operation still does one refill + harvest pass and reports POLLIN if
 * that made something ready, but nothing wakes a sleeping poll() later:
 * with nothing ready it sleeps until its timeout.  Busy-poll users spin
 * with BIFURC_IOC_KICK (RX_HARVEST | RX_REFILL) instead; libbifurc's
 * bifurc_wait() does exactly that.
 *
 * ------------------------------------------------------------------------
 * 8. Error conventions (errno values returned by the ioctls and mmap)
 * ------------------------------------------------------------------------
 *
 *   EINVAL        size below VER0; reserved or out field not zero; unknown
 *                 flag; ring entries not a power of two or outside
 *                 [min, max]; buf_size not a power of two or outside
 *                 [min_buf_size, max_buf_size]; buf_count 0 or above
 *                 max_buf_count; mmap length/offset/MAP_PRIVATE wrong;
 *                 flow rule malformed (value bits outside the mask,
 *                 proto/family unknown, empty mask)
 *   E2BIG         size above 4096, or tail beyond the kernel's struct
 *                 not zero
 *   ENOTTY        unknown ioctl: another type, number or direction, or
 *                 an _IOC_SIZE below the structure's first version
 *   EPROTO        ATTACH abi_version differs from the kernel's
 *   ERANGE        ATTACH queue index >= number of RX queues
 *   EADDRNOTAVAIL ATTACH queue exists but is not reserved for bifurc
 *   EBUSY         ATTACH queue already attached by another file;
 *                 FLOW_ADD rule needs a different flow mask than the one
 *                 the port's existing rules hold (see BIFURC_IOC_FLOW_MASK)
 *   EISCONN       ATTACH on a file that is already attached
 *   ENOTCONN      KICK, FLOW_ADD/DEL/MASK or STATS on a file that is not attached
 *   EPERM         RAW_DESC without CAP_SYS_ADMIN and without a
 *                 translating IOMMU; ATTACH of a queue not granted to
 *                 the caller, without CAP_NET_ADMIN (section 1)
 *   EACCES        mmap of a read-only region with PROT_WRITE; FLOW_ADD
 *                 without CAP_NET_ADMIN of a rule that does not name one
 *                 destination port inside the grant's ports, or, when the
 *                 grant names none, one the caller could bind
 *                 (BIFURC_IOC_FLOW_ADD); any ioctl after the queue's
 *                 grant was changed or revoked (BIFURC_STATUS_REVOKED)
 *   EADDRINUSE    FLOW_ADD without CAP_NET_ADMIN: a socket has the rule's
 *                 port bound on this interface or on all of them
 *   ENOBUFS       ATTACH without CAP_IPC_LOCK: the pool and rings would
 *                 take the user's locked memory past RLIMIT_MEMLOCK
 *   ENOMEM        buffer pool or rings could not be allocated (also
 *                 when the pool does not fit under the memory cgroup's
 *                 limit: no OOM kill), or the pool (buf_size *
 *                 buf_count) exceeds what the driver allows (ixgbe:
 *                 256 MiB)
 *   ENETDOWN      ATTACH while the interface is down
 *   EOPNOTSUPP    feature absent: TX (KICK_TX_* on an attachment made
 *                 without BIFURC_ATTACH_TX; ATTACH_TX when TX queue
 *                 "queue" does not exist or does not share the RX
 *                 queue's interrupt vector), raw mode
 *                 (ATTACH_RAW_DESC without BIFURC_INFO_F_RAW_DESC, as
 *                 on any architecture but x86, or on a device whose DMA
 *                 needs syncing), busy
 *                 poll on a queue whose interrupt vector serves other
 *                 queues, IPv6 or SCTP flows on this adapter, ntuple
 *                 disabled on the netdev (BIFURC_INFO_F_NTUPLE clear:
 *                 "ethtool -K <if> ntuple on"), or an adapter in a queue
 *                 layout bifurc does not support (SR-IOV, DCB)
 *   EEXIST        FLOW_ADD: an identical match already exists on the port
 *   ENOSPC        FLOW_ADD: the filter table or the per-file limit
 *                 (bifurc_info.max_flows) is full
 *   ENOENT        FLOW_DEL: no rule with that id owned by this file
 *   ENETRESET     the attachment died in an adapter reset, ifdown,
 *                 ethtool -L/-G/-K, XDP attach or queue release; close the
 *                 file and attach again (a new open file).  A carrier loss
 *                 does not by itself end an attachment: ixgbe resets (and
 *                 ends it) only when transmit work was pending.  The
 *                 ethtool core refuses ethtool -L (EINVAL) while an ntuple
 *                 rule, a file's own included, steers to a queue it would
 *                 remove.
 *   ENODEV        the device was removed or the driver unbound; every
 *                 later call on the file fails with ENODEV
 *   EFAULT        bad user pointer
 */
#ifndef _UAPI_LINUX_BIFURC_H
#define _UAPI_LINUX_BIFURC_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Incompatible-change counter; see section 2. */
#define BIFURC_ABI_VERSION		1

/* sysfs class, device name prefix and /dev directory (section 1). */
#define BIFURC_CLASS_NAME		"bifurc"
#define BIFURC_DEV_PREFIX		"bifurc-"
#define BIFURC_DEV_DIR			"bifurc"

/* Largest RX queue count an adapter may report (82599: 128). */
#define BIFURC_MAX_QUEUES		128

/* Largest "size" the kernel accepts in any ioctl structure. */
#define BIFURC_MAX_STRUCT_SIZE		4096

/* ---- 3. regions and rings ------------------------------------------- */

/* bifurc_region.prot */
#define BIFURC_PROT_READ		(1U << 0)	/* may map PROT_READ */
#define BIFURC_PROT_WRITE		(1U << 1)	/* may map PROT_WRITE */

/*
 * One mmap()able region, as returned by BIFURC_IOC_ATTACH.
 * A region with length 0 is absent.
 */
struct bifurc_region {
	__u64 offset;		/* out: mmap() offset, page aligned */
	__u64 length;		/* out: mmap() length, page aligned */
	__u32 entries;		/* out: ring entries (0 for pool, counters) */
	__u32 prot;		/* out: BIFURC_PROT_* allowed for mmap() */
};				/* 24 bytes */

/* bifurc_ring_hdr.flags */
#define BIFURC_RING_NEED_WAKEUP		(1U << 0)	/* kick needed, sect. 3 */

/*
 * Header at offset 0 of every ring region.  Each index is alone in a
 * 128-byte block (section 3).  Indices are free-running; entries follow
 * at BIFURC_RING_ENTRIES_OFFSET.
 */
struct bifurc_ring_hdr {
	__u32 producer;		/* written by the producer side only */
	__u32 pad0[31];
	__u32 consumer;		/* written by the consumer side only */
	__u32 pad1[31];
	__u32 flags;		/* BIFURC_RING_*, written by the kernel only */
	__u32 pad2[31];
	__u32 reserved[32];	/* zero */
};				/* 512 bytes */

#define BIFURC_RING_PRODUCER_OFFSET	0
#define BIFURC_RING_CONSUMER_OFFSET	128
#define BIFURC_RING_FLAGS_OFFSET	256
#define BIFURC_RING_ENTRIES_OFFSET	512

/* ---- 4. ring entries ------------------------------------------------- */

/* bifurc_rx_comp.flags */
#define BIFURC_RX_F_EOP			(1U << 0)	/* last buffer of frame */
#define BIFURC_RX_F_HASH		(1U << 1)	/* rss_hash is valid */
#define BIFURC_RX_F_VLAN		(1U << 2)	/* vlan_tci valid (stripped) */
#define BIFURC_RX_F_L3_CSUM_OK		(1U << 3)	/* IPv4 hdr csum verified */
#define BIFURC_RX_F_L4_CSUM_OK		(1U << 4)	/* TCP/UDP csum verified */
#define BIFURC_RX_F_CSUM_BAD		(1U << 5)	/* NIC found a bad csum */
#define BIFURC_RX_F_FLOW		(1U << 6)	/* matched a flow rule */

/*
 * bifurc_rx_comp.ptype: bits 3:0 layer 3, bits 7:4 layer 4; bits 15:8 are
 * zero in ABI version 1.  Decoded by the kernel from the descriptor's
 * packet type field, so the values do not depend on the adapter.
 */
#define BIFURC_PTYPE_L3_MASK		0x000fU
#define BIFURC_PTYPE_L3_NONE		0x0000U
#define BIFURC_PTYPE_L3_IPV4		0x0001U
#define BIFURC_PTYPE_L3_IPV4_EXT	0x0002U	/* with IP options */
#define BIFURC_PTYPE_L3_IPV6		0x0003U
#define BIFURC_PTYPE_L3_IPV6_EXT	0x0004U	/* with extension headers */
#define BIFURC_PTYPE_L4_MASK		0x00f0U
#define BIFURC_PTYPE_L4_NONE		0x0000U
#define BIFURC_PTYPE_L4_TCP		0x0010U
#define BIFURC_PTYPE_L4_UDP		0x0020U
#define BIFURC_PTYPE_L4_SCTP		0x0030U

/* Entry of the comp ring (kernel -> user), one per RX descriptor. */
struct bifurc_rx_comp {
	__u32 buf;		/* buffer id, < buf_count */
	__u16 len;		/* bytes written into the buffer */
	__u16 vlan_tci;		/* stripped 802.1Q TCI if BIFURC_RX_F_VLAN */
	__u32 rss_hash;		/* RSS hash if BIFURC_RX_F_HASH */
	__u16 flags;		/* BIFURC_RX_F_* */
	__u16 ptype;		/* BIFURC_PTYPE_* */
};				/* 16 bytes */

/* bifurc_tx_entry.flags */
#define BIFURC_TX_F_MORE		(1U << 0)	/* frame continues in next entry */

/* Most tx entries (buffers) one frame may span, section 4a. */
#define BIFURC_TX_MAX_FRAGS		8
/* Shortest frame the kernel sends (Ethernet minimum without FCS). */
#define BIFURC_TX_MIN_FRAME		60

/* txc entry: the kernel refused the frame, nothing was sent. */
#define BIFURC_TXC_F_REFUSED		(1U << 31)
#define BIFURC_TXC_ID_MASK		0x7fffffffU

/* Entry of the tx ring (user -> kernel), section 4a. */
struct bifurc_tx_entry {
	__u32 buf;		/* buffer id, < buf_count, owned by user */
	__u32 offset;		/* start of data inside the buffer */
	__u32 len;		/* bytes; offset + len <= buf_size */
	__u32 flags;		/* BIFURC_TX_F_* */
};				/* 16 bytes */

/* Entries of fill are a bare __u32 buffer id, entries of txc an id and
 * BIFURC_TXC_F_REFUSED.
 */

/* ---- 5. raw descriptor mode ------------------------------------------ */

/* bifurc_attach.desc_format */
#define BIFURC_DESC_FMT_NONE		0	/* not in raw mode */
#define BIFURC_DESC_FMT_IXGBE_ADV	1	/* struct bifurc_rx_desc */

/*
 * 82599 advanced receive descriptor, write-back format (datasheet
 * 7.1.6.2), little endian, 16 bytes.  Before write-back the same 16 bytes
 * hold the read format (two bus addresses), which is why raw mode is
 * privileged (section 5).  The kernel clears status_error when it posts a
 * descriptor, so DD is clear until the NIC writes it back.
 */
struct bifurc_rx_desc {
	__le16 pkt_info;	/* RSS type 3:0, packet type 16:4 */
	__le16 hdr_info;	/* header split info (unused: no split) */
	__le32 rss_hash;	/* RSS hash */
	__le32 status_error;	/* BIFURC_RXD_STAT_* | BIFURC_RXD_ERR_* */
	__le16 length;		/* bytes written into the buffer */
	__le16 vlan;		/* stripped VLAN tag if BIFURC_RXD_STAT_VP */
};				/* 16 bytes */

#define BIFURC_RXD_STAT_DD		0x00000001U	/* descriptor done */
#define BIFURC_RXD_STAT_EOP		0x00000002U	/* end of packet */
#define BIFURC_RXD_STAT_FLM		0x00000004U	/* flow director match */
#define BIFURC_RXD_STAT_VP		0x00000008U	/* VLAN packet */
#define BIFURC_RXD_STAT_L4CS		0x00000020U	/* L4 csum checked */
#define BIFURC_RXD_STAT_IPCS		0x00000040U	/* IPv4 csum checked */
#define BIFURC_RXD_ERR_TCPE		0x40000000U	/* L4 csum error */
#define BIFURC_RXD_ERR_IPE		0x80000000U	/* IPv4 csum error */
#define BIFURC_RXD_PKTINFO_RSSTYPE_MASK	0x000fU		/* 0: no hash */
#define BIFURC_RXD_PKTTYPE_IPV4		0x0010U
#define BIFURC_RXD_PKTTYPE_IPV4_EX	0x0020U
#define BIFURC_RXD_PKTTYPE_IPV6		0x0040U
#define BIFURC_RXD_PKTTYPE_IPV6_EX	0x0080U
#define BIFURC_RXD_PKTTYPE_TCP		0x0100U
#define BIFURC_RXD_PKTTYPE_UDP		0x0200U
#define BIFURC_RXD_PKTTYPE_SCTP		0x0400U

/* Byte offset of the slot table in the desc region. */
#define BIFURC_RAW_SLOTS_OFFSET(rx_desc) \
	((__u64)(rx_desc) * sizeof(struct bifurc_rx_desc))

/* ---- counters page ---------------------------------------------------- */

/* bifurc_counters.status */
#define BIFURC_STATUS_ATTACHED		(1U << 0)	/* queue running */
#define BIFURC_STATUS_RESET		(1U << 1)	/* dead: ENETRESET */
#define BIFURC_STATUS_REMOVED		(1U << 2)	/* dead: ENODEV */
#define BIFURC_STATUS_TX_HANG		(1U << 3)	/* reset by a TX hang */
#define BIFURC_STATUS_REVOKED		(1U << 4)	/* dead: EACCES, grant gone */

/*
 * The counters region (one page, read-only) and the BIFURC_IOC_STATS
 * argument.  On the page, each 64-bit counter is written with
 * WRITE_ONCE() and is single-copy atomic for 64-bit readers, but the page
 * as a whole is not a consistent snapshot; BIFURC_IOC_STATS returns one
 * (and first refreshes rx_no_buf from the hardware, whose counters the
 * driver reads at most every 100 ms: rx_no_buf may be that old).  status
 * is written with smp_store_release() after the state change it
 * announces.
 */
struct bifurc_counters {
	__u32 size;		/* page: kernel's sizeof; STATS: in/out */
	__u32 status;		/* BIFURC_STATUS_* */
	__u64 rx_packets;	/* frames delivered (EOP entries) */
	__u64 rx_bytes;		/* bytes delivered */
	__u64 rx_no_buf;	/* frames the NIC dropped for lack of buffers */
	__u64 rx_bad_id;	/* fill ids rejected: range or double use */
	__u64 rx_ring_err;	/* malformed user indices on fill/comp */
	__u64 rx_comp_full;	/* harvest passes stopped by a full comp ring */
	__u64 kicks;		/* BIFURC_IOC_KICK calls */
	__u64 wakeups;		/* interrupts that woke a poll() */
	__u64 tx_packets;	/* frames the NIC sent */
	__u64 tx_bytes;		/* their bytes */
	__u64 tx_bad_id;	/* tx ids dropped: range or double use */
	__u64 tx_ring_err;	/* malformed user indices on tx/txc */
	__u64 tx_bad_frame;	/* frames refused: length, offset, flags, source */
	__u64 tx_ring_full;	/* submit passes stopped by a full NIC ring
				 * or txc ring
				 */
	__u64 reserved[17];	/* zero; new counters go here */
};				/* 256 bytes */

#define BIFURC_COUNTERS_SIZE_VER0	256

/* ---- 6. ioctls ---------------------------------------------------------- */

#define BIFURC_IOC_TYPE			0xBF

/* bifurc_info.flags */
#define BIFURC_INFO_F_RAW_DESC		(1U << 0)	/* raw mode implemented */
/* translating IOMMU: raw mode for everyone */
#define BIFURC_INFO_F_IOMMU		(1U << 1)
#define BIFURC_INFO_F_BUSY_POLL		(1U << 2)	/* busy-poll attach */
#define BIFURC_INFO_F_TX		(1U << 3)	/* tx/txc rings */
#define BIFURC_INFO_F_NTUPLE		(1U << 4)	/* ntuple on: flows work */
#define BIFURC_INFO_F_FLOW_IPV6		(1U << 5)	/* IPv6 flow rules */
#define BIFURC_INFO_F_TX_WAIT		(1U << 6)	/* POLLWRBAND, section 7 */

/*
 * BIFURC_IOC_INFO: any open file.  Everything is out except size.
 * Limits apply to BIFURC_IOC_ATTACH; the queue masks are a snapshot.
 */
struct bifurc_info {
	__u32 size;		/* in/out, section 2 */
	__u32 abi_version;	/* out: BIFURC_ABI_VERSION of the kernel */
	__u32 flags;		/* out: BIFURC_INFO_F_* */
	__u32 ifindex;		/* out: netdev ifindex now */
	__u32 num_rx_queues;	/* out: RX queues of the netdev */
	__u32 num_tx_queues;	/* out: TX queues of the netdev */
	__u32 min_rx_desc;	/* out: smallest rx_desc (82599: 64) */
	__u32 max_rx_desc;	/* out: largest rx_desc (82599: 8192) */
	__u32 max_ring_entries;	/* out: largest fill/comp/tx/txc ring */
	__u32 min_buf_size;	/* out: smallest buf_size (82599: 2048) */
	__u32 max_buf_size;	/* out: largest buf_size (82599: 16384) */
	__u32 max_buf_count;	/* out: largest buf_count */
	__u32 max_flows;	/* out: flow rules one file may own */
	__u32 max_tx_frame;	/* out: largest frame TX takes: MTU + 18
				 * (Ethernet header and a VLAN tag, no FCS)
				 */
	/* out: bit q set: queue q reserved, queue q attached */
	__u64 reserved_queues[BIFURC_MAX_QUEUES / 64];
	__u64 attached_queues[BIFURC_MAX_QUEUES / 64];
	char  ifname[16];	/* out: netdev name now, NUL terminated */
	__u32 reserved[6];	/* zero */
};				/* 128 bytes */

#define BIFURC_INFO_SIZE_VER0		128

/* bifurc_attach.flags */
#define BIFURC_ATTACH_BUSY_POLL		(1U << 0)	/* never arm the IRQ */
#define BIFURC_ATTACH_RAW_DESC		(1U << 1)	/* map descriptors, sect 5 */
#define BIFURC_ATTACH_TX		(1U << 2)	/* tx + txc rings (TX series) */
#define BIFURC_ATTACH_FLAGS_ALL		0x7U

/*
 * BIFURC_IOC_ATTACH: attach this file to reserved RX queue "queue".
 *
 * Sizes: rx_desc (the NIC's descriptor ring), fill_entries, comp_entries,
 * tx_entries and txc_entries are powers of two; rx_desc within
 * [min_rx_desc, max_rx_desc], the rings within [64, max_ring_entries];
 * tx_entries, txc_entries and tx_desc are 0 unless BIFURC_ATTACH_TX;
 * with it tx_entries and txc_entries are required and tx_desc is 0 (the
 * default, rx_desc) or a power of two within [min_rx_desc, max_rx_desc].
 * buf_size is a power of two within [min_buf_size, max_buf_size];
 * buf_count within [1, max_buf_count].  Raw mode: comp_entries == rx_desc.
 *
 * A comp ring with comp_entries >= buf_count can never be full (at most
 * buf_count ids exist), so the kernel never holds back completions; a
 * smaller one applies backpressure (rx_comp_full) and the NIC drops when
 * it runs out of descriptors (rx_no_buf).  Likewise a fill ring with
 * fill_entries >= buf_count can always take every buffer user space owns,
 * and a txc ring with txc_entries >= buf_count never holds back TX.
 *
 * On success every buffer is owned by user space (section 4) and the NIC
 * has no buffer yet: user space fills the fill ring and kicks
 * (BIFURC_KICK_RX_REFILL).  The fill ring's NEED_WAKEUP flag starts set.
 */
struct bifurc_attach {
	__u32 size;		/* in: section 2 */
	__u32 abi_version;	/* in: BIFURC_ABI_VERSION */
	__u32 queue;		/* in: RX queue index (netdev numbering) */
	__u32 flags;		/* in: BIFURC_ATTACH_* */
	__u32 rx_desc;		/* in: NIC RX descriptors */
	__u32 fill_entries;	/* in: fill ring entries */
	__u32 comp_entries;	/* in: comp ring entries */
	__u32 tx_entries;	/* in: tx ring entries, 0 without TX */
	__u32 txc_entries;	/* in: txc ring entries, 0 without TX */
	__u32 buf_size;		/* in: bytes per buffer */
	__u32 buf_count;	/* in: buffers in the pool */
	__u32 tx_desc;		/* in/out: NIC TX descriptors, TX only;
				 * in 0: rx_desc; out: the number used
				 */
	__u32 rx_headroom;	/* out: data offset in an RX buffer (v1: 0) */
	__u32 desc_format;	/* out: BIFURC_DESC_FMT_* */
	struct bifurc_region pool;	/* out: rw */
	struct bifurc_region fill;	/* out: rw, __u32 entries */
	struct bifurc_region comp;	/* out: rw, bifurc_rx_comp entries */
	struct bifurc_region desc;	/* out: ro, raw mode only */
	struct bifurc_region tx;	/* out: rw, bifurc_tx_entry, TX only */
	struct bifurc_region txc;	/* out: rw, __u32 entries, TX only */
	struct bifurc_region counters;	/* out: ro, bifurc_counters */
	__u32 reserved[8];	/* zero */
};				/* 256 bytes */

#define BIFURC_ATTACH_SIZE_VER0		256

/* bifurc_kick.flags */
#define BIFURC_KICK_RX_REFILL		(1U << 0)	/* fill ring -> NIC + RDT */
#define BIFURC_KICK_RX_HARVEST		(1U << 1)	/* done descs -> comp ring */
#define BIFURC_KICK_TX_SUBMIT		(1U << 2)	/* tx ring -> NIC + TDT */
#define BIFURC_KICK_TX_RECLAIM		(1U << 3)	/* done TX -> txc ring */
#define BIFURC_KICK_FLAGS_ALL		0xfU

/*
 * BIFURC_IOC_KICK: the batched doorbell (design rule 2).  Does, in this
 * order, the steps whose flag is set: RX_HARVEST (finished descriptors ->
 * comp ring; in raw mode: reclaim slots up to the user consumer),
 * RX_REFILL (raw mode: first the same reclaim, to find free slots; then
 * validate fill ids -> descriptors, one wmb() and one RDT write for the
 * batch), TX_RECLAIM, TX_SUBMIT.  Never sleeps.  flags == 0
 * is EINVAL; TX flags without TX are EOPNOTSUPP.  Counts are out.
 */
struct bifurc_kick {
	__u32 size;		/* in: section 2 */
	__u32 flags;		/* in: BIFURC_KICK_* */
	__u32 rx_refilled;	/* out: buffers handed to the NIC */
	__u32 rx_completed;	/* out: comp entries written (raw: reclaimed) */
	__u32 rx_rejected;	/* out: fill ids dropped (range/double use) */
	__u32 tx_submitted;	/* out: tx entries handed to the NIC */
	__u32 tx_completed;	/* out: sent buffers put in txc (reclaim) */
	__u32 tx_rejected;	/* out: tx entries dropped */
	__u32 reserved[8];	/* zero */
};				/* 64 bytes */

#define BIFURC_KICK_SIZE_VER0		64

/* bifurc_flow_match.family */
#define BIFURC_FLOW_IPV4		4
#define BIFURC_FLOW_IPV6		6

/*
 * The header fields a flow rule can look at.  Addresses and ports are in
 * network byte order.  For IPv4 only src_addr[0]/dst_addr[0] are used and
 * [1..3] must be zero.
 */
struct bifurc_flow_match {
	__u8   proto;		/* IPPROTO_UDP or IPPROTO_TCP (SCTP: later) */
	__u8   family;		/* BIFURC_FLOW_IPV4 or BIFURC_FLOW_IPV6 */
	__u16  reserved;	/* zero */
	__be16 src_port;
	__be16 dst_port;
	__be32 src_addr[4];
	__be32 dst_addr[4];
};				/* 40 bytes */

/*
 * BIFURC_IOC_FLOW_ADD: add a perfect-match rule that steers matching
 * frames to this file's queue (and only there: there is no action field).
 * mask: a 1 bit means "compare this bit"; proto and family are always
 * compared, so mask.proto, mask.family and mask.reserved must be zero;
 * value bits outside the mask must be zero; a mask with no bit set at all
 * is EINVAL (it would steer every flow of that protocol).
 *
 * The rule is an ordinary ntuple rule: "ethtool -n" lists it at location
 * rule_id.  It belongs to this file: only this file can delete it, and it
 * is removed when the file is released.  It needs no CAP_NET_ADMIN,
 * because it can only steer to the caller's own queue, but steering a
 * port takes what binding it takes: without CAP_NET_ADMIN the mask must
 * compare the whole destination port, the port must lie inside the ports
 * of the queue's grant if it names any, and otherwise a port below the
 * namespace's ip_unprivileged_port_start needs CAP_NET_BIND_SERVICE
 * (EACCES).  Such a rule then holds its port on the interface as a bound
 * socket would: if a socket has the port bound there (or on every
 * interface) the rule fails with EADDRINUSE, and while the rule lives,
 * bind() of that port by anyone else fails the same way; so a grantee
 * cannot take the traffic of a service that is running or starts later.
 * A flow another rule steers already is EEXIST.
 *
 * The 82599 has one flow mask per port: every perfect rule on the port,
 * admin rules included, must use the same mask.  A rule whose mask
 * differs from the one in force fails with EBUSY; BIFURC_IOC_FLOW_MASK
 * says which mask is in force and how many rules hold it.
 */
struct bifurc_flow_rule {
	__u32 size;		/* in: section 2 */
	__u32 flags;		/* in: zero (no flags defined yet) */
	struct bifurc_flow_match value;	/* in */
	struct bifurc_flow_match mask;	/* in */
	__u32 rule_id;		/* out: ntuple location */
	__u32 reserved[3];	/* zero */
};				/* 104 bytes */

#define BIFURC_FLOW_RULE_SIZE_VER0	104

/* BIFURC_IOC_FLOW_DEL: remove rule rule_id owned by this file. */
struct bifurc_flow_del {
	__u32 size;		/* in: section 2 */
	__u32 rule_id;		/* in: from BIFURC_IOC_FLOW_ADD */
	__u32 reserved[2];	/* zero */
};				/* 16 bytes */

#define BIFURC_FLOW_DEL_SIZE_VER0	16

/* bifurc_flow_mask.flags */
#define BIFURC_MASK_F_SET		(1U << 0)	/* a mask is in force */
/* the mask also covers fields not shown here (VLAN, flex bytes) */
#define BIFURC_MASK_F_OTHER		(1U << 1)

/*
 * BIFURC_IOC_FLOW_MASK: the port's flow mask.  If BIFURC_MASK_F_SET is
 * clear no perfect rule exists and the next FLOW_ADD sets the mask.  Only
 * mask.src_port, dst_port, src_addr, dst_addr and family are meaningful.
 */
struct bifurc_flow_mask {
	__u32 size;		/* in/out: section 2 */
	__u32 flags;		/* out: BIFURC_MASK_F_* */
	__u32 rules;		/* out: perfect rules on the port (any owner) */
	__u32 owned;		/* out: of those, owned by this file */
	struct bifurc_flow_match mask;	/* out */
	__u32 reserved[2];	/* zero */
};				/* 64 bytes */

#define BIFURC_FLOW_MASK_SIZE_VER0	64

#define BIFURC_IOC_INFO		_IOWR(BIFURC_IOC_TYPE, 0x00, struct bifurc_info)
#define BIFURC_IOC_ATTACH	_IOWR(BIFURC_IOC_TYPE, 0x01, struct bifurc_attach)
#define BIFURC_IOC_KICK		_IOWR(BIFURC_IOC_TYPE, 0x02, struct bifurc_kick)
#define BIFURC_IOC_FLOW_ADD	_IOWR(BIFURC_IOC_TYPE, 0x03, struct bifurc_flow_rule)
#define BIFURC_IOC_FLOW_DEL	_IOW(BIFURC_IOC_TYPE, 0x04, struct bifurc_flow_del)
#define BIFURC_IOC_FLOW_MASK	_IOWR(BIFURC_IOC_TYPE, 0x05, struct bifurc_flow_mask)
#define BIFURC_IOC_STATS	_IOWR(BIFURC_IOC_TYPE, 0x06, struct bifurc_counters)

#endif /* _UAPI_LINUX_BIFURC_H */
