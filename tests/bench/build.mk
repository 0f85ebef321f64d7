# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: svmtop's overhead, measured in the VM (tests/bench/README.md).
# Reported, not pass/fail, and not part of `make check`.
#   (a) per-event cost of svmtop's BPF programs vs an empty program on the
#       same hook (kernel run_time_ns / run_cnt, same run), every backend;
#   (b) workload time with and without svmtop attached, interleaved A/B.
# The table is printed and written to $(O)/bench/result.txt.

BENCH_DIR := $(O)/tests/bench
# The test kernel cannot calibrate the TSC under TCG (no HPET/PM timer) and
# falls back to jiffies: 4 ms steps, useless for run_time_ns.  Give it the
# host's TSC rate (qemu TCG's TSC counts host ticks) and trust it.
BENCH_TSC_KHZ ?= $(shell awk -F: '/^cpu MHz/ { printf "%d", $$2 * 1000; exit }' /proc/cpuinfo)
BENCH_APPEND := $(if $(BENCH_TSC_KHZ),tsc_early_khz=$(BENCH_TSC_KHZ) tsc=reliable clocksource=tsc)
BENCH_OBJS := $(BENCH_DIR)/empty_svm.bpf.o $(BENCH_DIR)/empty_hmm.bpf.o

.PHONY: bench
bench: $(O)/svmtop $(BENCH_DIR)/bench-progs $(BENCH_OBJS) \
		$(O)/tests/workload/svm-workload $(O)/debugfs-ext/svmsim.ko
	mkdir -p $(O)/bench
	SVMTOP_VM_APPEND="$(BENCH_APPEND)" tests/vm/vm-run.sh --timeout 1200 --out $(abspath $(O)/bench) -- \
		tests/bench/run-bench.sh
	@cat $(O)/bench/result.txt

$(BENCH_DIR)/empty_%.bpf.c: bpf/%.bpf.c tests/bench/gen-empty.sh
	@mkdir -p $(dir $@)
	tests/bench/gen-empty.sh $< > $@.tmp && mv $@.tmp $@

$(BENCH_DIR)/empty_%.bpf.o: $(BENCH_DIR)/empty_%.bpf.c
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BENCH_DIR)/bench-progs: tests/bench/bench-progs.c $(O)/libsvmtop.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(O)/libsvmtop.a $(LDLIBS) -o $@
