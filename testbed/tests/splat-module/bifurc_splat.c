// SPDX-License-Identifier: GPL-2.0
/*
 * A module whose only job is to misbehave once when loaded, so that the test
 * bed can prove a guest run with a kernel splat fails
 * (testbed/tests/vm-splat.sh).  The "kinds" parameter picks the misdeeds, in
 * order, from a comma-separated list (default "warn,leak"):
 *
 *   warn        WARN once;
 *   leak        leak 32 buffers, which kmemleak must report;
 *   kasan       read a freed buffer, which KASAN must report as a
 *               slab-use-after-free;
 *   lockdep     take two mutexes in one order, then in the other, which
 *               lockdep must report as a possible circular locking
 *               dependency (no deadlock: one task takes them in turn);
 *   softlockup  spin with preemption off until the soft lockup detector
 *               reports this CPU stuck (at most SPLAT_SPIN_MAX_SECS), which
 *               needs kernel.watchdog_thresh lowered first: the test bed's
 *               debug guest boots with 165 s, a 330 s limit;
 *   hung        start a kernel thread that sleeps uninterruptibly for up to
 *               SPLAT_HUNG_MAX_SECS, which the hung task detector must
 *               report once kernel.hung_task_timeout_secs is lowered (the
 *               debug guest boots with 420 s); writing the "release"
 *               parameter, or unloading, ends the sleep;
 *   panic       panic, which ends the guest;
 *   dmar        make an Intel 82599 fetch a transmit descriptor from an I/O
 *               virtual address that nothing maps, which the IOMMU must
 *               report as a DMAR fault;
 *   dma-api     unmap a streaming mapping with another size than it was
 *               mapped with, which DMA-API debugging must report.
 *
 * Put lockdep before kasan: a KASAN report taints the kernel in a way that
 * switches lock debugging off.
 *
 * dmar and dma-api use the 82599 of "ifname", an interface that ixgbe drives
 * and that is up.  dmar refuses a device that is not behind a translating
 * IOMMU (intel_iommu=on), where the fetch would reach memory instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iopoll.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/panic.h>
#include <linux/pci.h>
#include <linux/preempt.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *kinds = "warn,leak";
module_param(kinds, charp, 0444);
MODULE_PARM_DESC(kinds,
		 "misdeeds, in order: warn, leak, kasan, lockdep, softlockup, hung, panic, dmar, dma-api");

static char *ifname;
module_param(ifname, charp, 0444);
MODULE_PARM_DESC(ifname, "an up interface of an 82599 (ixgbe), for dmar and dma-api");

/*
 * 82599 registers, Intel 82599 10 GbE Controller Datasheet 331520 rev. 3.3,
 * 8.2.3.9 Transmit Registers: transmit queue n of 0..127.
 */
#define SPLAT_TDBAL(n)		(0x06000 + 0x40 * (n))	/* 8.2.3.9.5 */
#define SPLAT_TDBAH(n)		(0x06004 + 0x40 * (n))	/* 8.2.3.9.6 */
#define SPLAT_TDLEN(n)		(0x06008 + 0x40 * (n))	/* 8.2.3.9.7 */
#define SPLAT_TDH(n)		(0x06010 + 0x40 * (n))	/* 8.2.3.9.8 */
#define SPLAT_TDT(n)		(0x06018 + 0x40 * (n))	/* 8.2.3.9.9 */
#define SPLAT_TXDCTL(n)		(0x06028 + 0x40 * (n))	/* 8.2.3.9.10 */
#define SPLAT_TXDCTL_ENABLE	BIT(25)
#define SPLAT_TXDCTL_SWFLSH	BIT(26)
#define SPLAT_DMATXCTL		0x04a80			/* 8.2.3.9.2 */
#define SPLAT_DMATXCTL_TE	BIT(0)

/*
 * The last queue of the 64 that ixgbe_setup_mtqc() gives the port without
 * DCB or SR-IOV; ixgbe uses one per CPU (and one more per CPU for XDP), so
 * a small guest leaves it alone.  The fault address is one the IOVA
 * allocator of a small guest never reaches (it hands out addresses down
 * from 4 GiB), and is checked to be unmapped before use.
 */
#define SPLAT_TXQ		63
#define SPLAT_IOVA		0xdead0000ULL
#define SPLAT_RING_BYTES	128	/* 8 descriptors, TDLEN's granule */

static const struct pci_device_id splat_82599_ids[] = {
	{ PCI_VDEVICE(INTEL, 0x10f7) },	/* KX4, the test bed's model */
	{ PCI_VDEVICE(INTEL, 0x10f8) },	/* combined backplane */
	{ PCI_VDEVICE(INTEL, 0x10fb) },	/* SFP+ */
	{ PCI_VDEVICE(INTEL, 0x1517) },	/* KR */
	{ }
};

/* Not static and not optimised away: the leak must really happen. */
void *bifurc_splat_leak(size_t size);

noinline void *bifurc_splat_leak(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static int splat_warn(void)
{
	WARN(1, "bifurc_splat: deliberate warning for the test-bed self-test\n");
	return 0;
}

static int splat_leak(void)
{
	int i;

	/*
	 * Drop every reference to 32 buffers.  The last pointer may linger on a
	 * stack that kmemleak scans; the others cannot.
	 */
	for (i = 0; i < 32; i++)
		if (!bifurc_splat_leak(1024))
			return -ENOMEM;
	return 0;
}

static int splat_kasan(void)
{
	char *buf;

	buf = kmalloc(64, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	kfree(buf);
	/*
	 * Launder the pointer so that the compiler, which knows kfree(), can
	 * neither drop the read nor warn about it; READ_ONCE() is a real load,
	 * which KASAN's instrumentation checks.
	 */
	OPTIMIZER_HIDE_VAR(buf);
	pr_info("read %#x from a freed buffer\n", READ_ONCE(buf[0]));
	return 0;
}

/*
 * Two static mutexes: lockdep keys a static lock's class by its address, so
 * each has a class of its own.
 */
static DEFINE_MUTEX(splat_lock_a);
static DEFINE_MUTEX(splat_lock_b);

static int splat_lockdep(void)
{
	/* A then B: lockdep records that B nests inside A ... */
	mutex_lock(&splat_lock_a);
	mutex_lock(&splat_lock_b);
	mutex_unlock(&splat_lock_b);
	mutex_unlock(&splat_lock_a);
	/*
	 * ... so B then A closes a cycle, reported when A is taken.  One task
	 * takes them in turn, so nothing deadlocks.
	 */
	mutex_lock(&splat_lock_b);
	mutex_lock(&splat_lock_a);
	mutex_unlock(&splat_lock_a);
	mutex_unlock(&splat_lock_b);
	return 0;
}

#define SPLAT_SPIN_MAX_SECS	10

static int splat_softlockup(void)
{
	u64 end = ktime_get_ns() + SPLAT_SPIN_MAX_SECS * NSEC_PER_SEC;
	bool tainted = test_taint(TAINT_SOFTLOCKUP);

	/*
	 * With preemption off the watchdog's per-CPU stopper work cannot run
	 * and touch its timestamp; its hrtimer still fires and reports this
	 * CPU stuck, then taints the kernel, which ends the spin.  Nothing
	 * here prints while spinning: console output touches the watchdog.
	 */
	preempt_disable();
	while (ktime_get_ns() < end && (tainted || !test_taint(TAINT_SOFTLOCKUP)))
		mdelay(10);
	preempt_enable();
	return 0;
}

#define SPLAT_HUNG_MAX_SECS	60

static struct task_struct *splat_hung_task;

static int splat_hung_fn(void *unused)
{
	long left;

	/*
	 * TASK_UNINTERRUPTIBLE and never scheduled in: what khungtaskd looks
	 * for.  wake_up_process() (the "release" parameter, or kthread_stop()
	 * on unload) ends the sleep early, so the thread can be gone before
	 * the guest powers off.
	 */
	left = schedule_timeout_uninterruptible(SPLAT_HUNG_MAX_SECS * HZ);
	pr_info("blocked thread woke after %u ms\n",
		jiffies_to_msecs(SPLAT_HUNG_MAX_SECS * HZ - left));
	return 0;
}

static int splat_hung(void)
{
	struct task_struct *task;

	if (splat_hung_task)
		return -EBUSY;
	task = kthread_create(splat_hung_fn, NULL, "splat_hung");
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* held until splat_hung_end(), for kthread_stop() after it returned */
	get_task_struct(task);
	kernel_param_lock(THIS_MODULE);
	splat_hung_task = task;
	kernel_param_unlock(THIS_MODULE);
	wake_up_process(task);
	return 0;
}

/* Stop the hung kind's thread, before its code goes away. */
static void splat_hung_end(void)
{
	struct task_struct *task;

	/* the "release" parameter's writer holds this lock */
	kernel_param_lock(THIS_MODULE);
	task = splat_hung_task;
	splat_hung_task = NULL;
	kernel_param_unlock(THIS_MODULE);
	if (task) {
		kthread_stop(task);
		put_task_struct(task);
	}
}

static int splat_release_set(const char *val, const struct kernel_param *kp)
{
	/* called with kernel_param_lock(THIS_MODULE) held */
	if (splat_hung_task)
		wake_up_process(splat_hung_task);
	return 0;
}

static const struct kernel_param_ops splat_release_ops = {
	.set = splat_release_set,
};

module_param_cb(release, &splat_release_ops, NULL, 0200);
MODULE_PARM_DESC(release, "write anything to wake the hung kind's thread");

static int splat_panic(void)
{
	panic("bifurc_splat: deliberate panic for the test-bed self-test\n");
}

/*
 * The up interface "ifname" of an 82599 that ixgbe drives, held, and its
 * PCI function.
 */
static struct net_device *splat_get_port(struct pci_dev **pdev)
{
	struct net_device *netdev;
	struct device *parent;

	if (!ifname) {
		pr_err("dmar and dma-api need ifname=\n");
		return ERR_PTR(-EINVAL);
	}
	netdev = dev_get_by_name(&init_net, ifname);
	if (!netdev) {
		pr_err("no interface %s\n", ifname);
		return ERR_PTR(-ENODEV);
	}
	parent = netdev->dev.parent;
	if (!parent || !dev_is_pci(parent) ||
	    !pci_match_id(splat_82599_ids, to_pci_dev(parent)) ||
	    strcmp(dev_driver_string(parent), "ixgbe")) {
		pr_err("%s is not an 82599 that ixgbe drives\n", ifname);
		dev_put(netdev);
		return ERR_PTR(-ENODEV);
	}
	if (!netif_running(netdev)) {
		pr_err("%s is down\n", ifname);
		dev_put(netdev);
		return ERR_PTR(-ENETDOWN);
	}
	*pdev = to_pci_dev(parent);
	return netdev;
}

/*
 * Run transmit queue SPLAT_TXQ on a ring at SPLAT_IOVA for one descriptor,
 * following 4.6.8.1 "Dynamic Enabling and Disabling of Transmit Queues",
 * then put the queue back as it was: off, with no ring.  The 82599 fetches
 * the descriptor through the IOMMU, which finds no mapping and records a
 * fault.  Call with RTNL held, so that ixgbe cannot reset the port under us.
 */
static int splat_txq_fetch(struct net_device *netdev, void __iomem *hw)
{
	int q = SPLAT_TXQ;
	u32 reg;
	int err;

	/* transmit DMA on, as ixgbe_configure_tx() leaves it: 8.2.3.9.2 */
	if (!netif_running(netdev) ||
	    !(ioread32(hw + SPLAT_DMATXCTL) & SPLAT_DMATXCTL_TE)) {
		pr_err("%s: transmit DMA is off\n", ifname);
		return -ENETDOWN;
	}
	if (ioread32(hw + SPLAT_TXDCTL(q)) & SPLAT_TXDCTL_ENABLE) {
		pr_err("%s: transmit queue %d is in use\n", ifname, q);
		return -EBUSY;
	}

	/* 4.6.8.1: the queue is off while it is programmed (8.2.3.9.10) */
	iowrite32(0, hw + SPLAT_TXDCTL(q));
	/* the ring: 8.2.3.9.5 TDBAL, 8.2.3.9.6 TDBAH, 8.2.3.9.7 TDLEN */
	iowrite32(lower_32_bits(SPLAT_IOVA), hw + SPLAT_TDBAL(q));
	iowrite32(upper_32_bits(SPLAT_IOVA), hw + SPLAT_TDBAH(q));
	iowrite32(SPLAT_RING_BYTES, hw + SPLAT_TDLEN(q));
	/* empty, nothing fetched yet: 8.2.3.9.8 TDH = 8.2.3.9.9 TDT */
	iowrite32(0, hw + SPLAT_TDH(q));
	iowrite32(0, hw + SPLAT_TDT(q));
	/*
	 * 4.6.8.1: set TXDCTL.ENABLE and poll until it reads back set.  The
	 * PTHRESH, HTHRESH and WTHRESH fields stay 0: no descriptor is ever
	 * written back.
	 */
	iowrite32(SPLAT_TXDCTL_ENABLE, hw + SPLAT_TXDCTL(q));
	err = read_poll_timeout(ioread32, reg, reg & SPLAT_TXDCTL_ENABLE,
				1000, 10000, false, hw + SPLAT_TXDCTL(q));
	if (err) {
		pr_err("%s: TXDCTL.ENABLE of queue %d did not set\n",
		       ifname, q);
	} else {
		/*
		 * 8.2.3.9.9 TDT: descriptor 0 is the hardware's, which reads
		 * it from SPLAT_IOVA.  Read back to flush the write; the
		 * fetch itself is asynchronous, give it a moment.
		 */
		iowrite32(1, hw + SPLAT_TDT(q));
		ioread32(hw + SPLAT_TDT(q));
		msleep(20);
	}

	/*
	 * 4.6.8.1 disable: TXDCTL.SWFLSH with ENABLE clear, poll ENABLE.  Its
	 * wait for TDH to reach TDT is skipped: the faulted fetch never
	 * completes.
	 */
	iowrite32(SPLAT_TXDCTL_SWFLSH, hw + SPLAT_TXDCTL(q));
	if (read_poll_timeout(ioread32, reg, !(reg & SPLAT_TXDCTL_ENABLE),
			      1000, 10000, false, hw + SPLAT_TXDCTL(q)))
		pr_err("%s: TXDCTL.ENABLE of queue %d did not clear\n",
		       ifname, q);
	/* no ring again: 8.2.3.9.5-8.2.3.9.9 at their reset values */
	iowrite32(0, hw + SPLAT_TDBAL(q));
	iowrite32(0, hw + SPLAT_TDBAH(q));
	iowrite32(0, hw + SPLAT_TDLEN(q));
	iowrite32(0, hw + SPLAT_TDH(q));
	iowrite32(0, hw + SPLAT_TDT(q));
	return err;
}

static int splat_dmar(void)
{
	struct iommu_domain *domain;
	struct net_device *netdev;
	struct pci_dev *pdev;
	void __iomem *hw;
	int err;

	netdev = splat_get_port(&pdev);
	if (IS_ERR(netdev))
		return PTR_ERR(netdev);

	domain = iommu_get_domain_for_dev(&pdev->dev);
	if (!domain || !iommu_is_dma_domain(domain)) {
		pr_err("%s is not behind a translating IOMMU\n", pci_name(pdev));
		err = -ENODEV;
		goto out_put;
	}
	if (iommu_iova_to_phys(domain, SPLAT_IOVA)) {
		pr_err("IOVA %#llx is mapped for %s\n", SPLAT_IOVA,
		       pci_name(pdev));
		err = -EBUSY;
		goto out_put;
	}
	/* BAR 0: 8.2.3 registers (ixgbe has requested it; map it again) */
	hw = pci_iomap(pdev, 0, 0);
	if (!hw) {
		err = -ENOMEM;
		goto out_put;
	}

	rtnl_lock();
	err = splat_txq_fetch(netdev, hw);
	rtnl_unlock();
	if (!err)
		pr_info("%s: transmit queue %d fetched a descriptor at unmapped IOVA %#llx\n",
			ifname, SPLAT_TXQ, SPLAT_IOVA);

	pci_iounmap(pdev, hw);
out_put:
	dev_put(netdev);
	return err;
}

static int splat_dma_api(void)
{
	struct net_device *netdev;
	struct pci_dev *pdev;
	dma_addr_t addr;
	void *buf;
	int err = 0;

	netdev = splat_get_port(&pdev);
	if (IS_ERR(netdev))
		return PTR_ERR(netdev);

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf) {
		err = -ENOMEM;
		goto out_put;
	}
	addr = dma_map_single(&pdev->dev, buf, PAGE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(&pdev->dev, addr)) {
		err = -ENOMEM;
		goto out_free;
	}
	/*
	 * Half the mapped size: DMA-API debugging reports "device driver frees
	 * DMA memory with different size".  The IOMMU and swiotlb release
	 * whole pages and slots, so the mapping is still gone afterwards.
	 */
	dma_unmap_single(&pdev->dev, addr, PAGE_SIZE / 2, DMA_TO_DEVICE);
	pr_info("%s: unmapped %lu of the %lu bytes mapped at %pad\n",
		pci_name(pdev), PAGE_SIZE / 2, PAGE_SIZE, &addr);
out_free:
	kfree(buf);
out_put:
	dev_put(netdev);
	return err;
}

static const struct {
	const char *name;
	int (*misdeed)(void);
} splat_kinds[] = {
	{ "warn", splat_warn },
	{ "leak", splat_leak },
	{ "kasan", splat_kasan },
	{ "lockdep", splat_lockdep },
	{ "softlockup", splat_softlockup },
	{ "hung", splat_hung },
	{ "panic", splat_panic },
	{ "dmar", splat_dmar },
	{ "dma-api", splat_dma_api },
};

static int __init bifurc_splat_init(void)
{
	char *list, *rest, *name;
	int err = 0;
	size_t i;

	list = kstrdup(kinds, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	rest = list;
	while (!err && (name = strsep(&rest, ","))) {
		if (!*name)
			continue;
		for (i = 0; i < ARRAY_SIZE(splat_kinds); i++)
			if (!strcmp(name, splat_kinds[i].name))
				break;
		if (i == ARRAY_SIZE(splat_kinds)) {
			pr_err("unknown kind %s\n", name);
			err = -EINVAL;
		} else {
			err = splat_kinds[i].misdeed();
		}
	}
	kfree(list);
	/* a failed load frees the module without calling its exit */
	if (err)
		splat_hung_end();
	return err;
}

static void __exit bifurc_splat_exit(void)
{
	splat_hung_end();
}

module_init(bifurc_splat_init);
module_exit(bifurc_splat_exit);
MODULE_DESCRIPTION("Test-bed self-test: splat on load in each way the harness catches");
MODULE_LICENSE("GPL");
