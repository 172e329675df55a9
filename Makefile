# bifurc: one entry point.  `make demo` and `make check` are the README's two
# commands; both install what they need on a Debian 12 machine.

PYTHON ?= python3
KERNEL ?= debug
BIFURC_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/bifurc

.PHONY: all deps testbed demo check check-model stress vm clean help patches deb

all: testbed

help:
	@echo "make demo      install, build, boot the test VM and show the demo"
	@echo "make check     run every test (host + debug guest); CI runs this"
	@echo "make check-model  only the emulated 82599 tests (its qtest; Debian kernel + ixgbe)"
	@echo "make stress    the long reliability runs in the debug guest: the"
	@echo "               ABI fuzzer with 1,000,000 calls (STRESS_ARGS=...) and"
	@echo "               the fault loops with 1000 kill -9 (STRESS_FAULTS_ARGS=...)"
	@echo "make testbed   build QEMU with the 82599 model and the kernels (cached)"
	@echo "make vm        a shell in a guest (KERNEL=debug|debian)"
	@echo "make patches   export the kernel series (branch bifurc of the cached"
	@echo "               Linux tree) to kernel/patches/ and kernel/"
	@echo "make bench     host microbenchmark + guest comparison (issue 9)"
	@echo "make deb       Debian packages (bifurc-dkms, libbifurc0, libbifurc-dev,"
	@echo "               bifurcctl) into build/deb/, checked with lintian"
	@echo "make clean     remove build/ (the cache in ~/.cache/bifurc stays)"

deps:
	testbed/install-deps.sh

testbed: deps
	testbed/build-qemu.sh
	testbed/build-kernel.sh debug
	testbed/build-kernel.sh dma
	testbed/build-kernel.sh module

demo: deps
	testbed/demo.sh

check-model:
	testbed/check.sh model

check:
	testbed/check.sh

# The long variants of the reliability suite (issue 8) in the debug guest,
# on a testbed built by make testbed.  The guest gets no environment from
# the host, so the arguments travel in the SMBIOS serial number, which
# fuzz.sh and faults.sh read; e.g. STRESS_ARGS="-n 5000000 -s 0x1234" for
# the fuzzer, STRESS_FAULTS_ARGS="-k 1000 -n 10" for the fault loops (kill
# -9 1000 times, every other fault 10 times; -K: their own kmemleak scan;
# a comma must be doubled, QEMU option syntax).  Each run has its
# own results directory: vm.py writes vm.tap and console.log per run.
STRESS_ARGS ?= -n 1000000
STRESS_FAULTS_ARGS ?= -k 1000 -n 5 -K
stress:
	$(MAKE) -C selftests OUTPUT=$(CURDIR)/build/selftests
	$(PYTHON) testbed/vm.py --kernel debug --ports 2 --timeout 7200 \
		--results build/stress --qemu-arg=-smbios \
		--qemu-arg="type=1,serial=bifurc-fuzz:$(STRESS_ARGS)" \
		selftests/drivers/net/bifurc/fuzz.sh; \
	$(PYTHON) testbed/vm.py --kernel debug --ports 2 --timeout 7200 \
		--results build/stress-faults --qemu-arg=-smbios \
		--qemu-arg="type=1,serial=bifurc-faults:$(STRESS_FAULTS_ARGS)" \
		selftests/drivers/net/bifurc/faults.sh; \
	$(PYTHON) testbed/tap.py build/stress/*.tap build/stress-faults/*.tap

vm: deps
	testbed/build-qemu.sh
	testbed/build-kernel.sh $(if $(filter debian,$(KERNEL)),module,debug)
	$(PYTHON) testbed/vm.py --mode shell --kernel $(KERNEL) --results build/vm-shell \
		$(if $(filter debian,$(KERNEL)),--ixgbe $(BIFURC_CACHE)/linux/ixgbe-debian/ixgbe.ko)

patches:
	testbed/build-kernel.sh patches

# Debian packages (issue 19): dpkg-buildpackage -us -uc -b on a copy of the
# working tree in build/deb/, then lintian (errors and warnings fail).
# DEB_BUILD_OPTIONS=nocheck skips the host tests the build runs.
deb:
	testbed/install-deps.sh deb
	packaging/build-deb.sh

clean:
	rm -rf build

# Benchmarks (issue 9), not part of "make check": the host microbenchmark
# of libbifurc's data path, then the guest comparison of bifurc against
# recvmmsg, AF_PACKET and AF_XDP on the emulated 82599, a kernel TCP
# stream next to them, and a profile of where bifurc's and AF_XDP's
# instructions go, sending (TX) compared the same way (bench/run.py, about
# 57 min: seven guest boots), into
# build/bench/guest.{txt,json,png}.
# BENCH_IXGBE: the ixgbe.ko the guest loads (built with CONFIG_IXGBE_BIFURC);
# BENCH_ARGS: more bench/run.py options, e.g. "--reps 7 --modes icount".
BENCH_IXGBE ?= $(BIFURC_CACHE)/linux/ixgbe-debian/ixgbe.ko
BENCH_ARGS ?=
.PHONY: bench
bench: deps
	$(MAKE) -C lib/libbifurc bench
	bench/install-deps.sh
	testbed/build-qemu.sh
	testbed/build-kernel.sh module
	$(MAKE) -C bench
	$(PYTHON) bench/run.py --ixgbe $(BENCH_IXGBE) $(BENCH_ARGS)
