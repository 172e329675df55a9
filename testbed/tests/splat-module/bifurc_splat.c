// SPDX-License-Identifier: GPL-2.0
/*
 * A module whose only job is to misbehave once when loaded, so that the test
 * bed can prove a guest run with a kernel splat fails
 * (testbed/tests/vm-splat.sh): it WARNs, and it leaks buffers that kmemleak
 * must report.
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/slab.h>

/* Not static and not optimised away: the leak must really happen. */
void *bifurc_splat_leak(size_t size);

noinline void *bifurc_splat_leak(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static int __init bifurc_splat_init(void)
{
	int i;

	WARN(1, "bifurc_splat: deliberate warning for the test-bed self-test\n");
	/*
	 * Drop every reference to 32 buffers.  The last pointer may linger on a
	 * stack that kmemleak scans; the others cannot.
	 */
	for (i = 0; i < 32; i++)
		if (!bifurc_splat_leak(1024))
			return -ENOMEM;
	return 0;
}

static void __exit bifurc_splat_exit(void)
{
}

module_init(bifurc_splat_init);
module_exit(bifurc_splat_exit);
MODULE_DESCRIPTION("Test-bed self-test: WARN and leak on load");
MODULE_LICENSE("GPL");
