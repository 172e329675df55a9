// SPDX-License-Identifier: GPL-2.0
/*
 * A module whose only job is to WARN once when loaded, so that the test bed
 * can prove a kernel splat in a guest fails the run (testbed/tests/vm-splat.sh).
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init bifurc_warn_init(void)
{
	WARN(1, "bifurc_warn: deliberate warning for the test-bed self-test\n");
	return 0;
}

static void __exit bifurc_warn_exit(void)
{
}

module_init(bifurc_warn_init);
module_exit(bifurc_warn_exit);
MODULE_DESCRIPTION("Test-bed self-test: WARN on load");
MODULE_LICENSE("GPL");
