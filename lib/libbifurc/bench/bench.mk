# Build rules of the host microbenchmark (issue 9), included by ../Makefile,
# whose "bench" target runs it.  The library sources and the simulated
# kernel (tests/sim.c) are compiled again with BENCH_OPT and no sanitizers;
# the simulator's __wrap_ioctl is renamed so that bench/host.c can wrap it
# and keep the simulated kernel's work out of the timed regions.

BENCH_DIR := $(BUILD)/bench
BENCH_OPT ?= -O2 -g
BENCH_OBJ := $(NAMES:%=$(BENCH_DIR)/lib/%.o)

$(BENCH_DIR)/lib/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPF) $(BENCH_OPT) -c $< -o $@

$(BENCH_DIR)/sim.o: tests/sim.c tests/sim.h $(UAPI)/linux/bifurc.h
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPF) -Itests $(BENCH_OPT) \
		-D__wrap_ioctl=bench_sim_ioctl -c $< -o $@

$(BENCH_DIR)/host: bench/host.c tests/sim.h $(BENCH_DIR)/sim.o $(BENCH_OBJ)
	$(CC) $(WARN) $(CPPF) -Itests $(BENCH_OPT) \
		-DBENCH_CFLAGS='"$(BENCH_OPT)"' $< $(BENCH_DIR)/sim.o \
		$(BENCH_OBJ) $(WRAP) -o $@
