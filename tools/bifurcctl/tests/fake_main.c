// SPDX-License-Identifier: GPL-2.0
/* bifurcctl-fake: the whole tool on the test backend (tests/fake.h). */
#include "fake.h"

int main(int argc, char **argv)
{
	return bifurcctl_main(argc, argv, &bctl_backend_fake);
}
