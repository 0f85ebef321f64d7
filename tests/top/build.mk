# SPDX-License-Identifier: GPL-2.0-only
#
# Host tests of `svmtop top` (model, keys, text; no terminal, no BPF):
#   check-top       cmocka tests linked with the cli library
#   check-top-asan  the same with clang ASan+UBSan
#   check-top-tmux  the dashboard in tmux on the host (tests/top/tmux-host.sh)
# The tmux-driven screen tests run in the VM (tests/vm/cases/60-top-tmux.sh).

RESULTS ?= $(O)/results

TOP_TEST_HDRS := $(wildcard cli/*.h include/*.h)

$(O)/tests/top/test_top: tests/top/test_top.c $(O)/libsvmtop.a $(TOP_TEST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(O)/libsvmtop.a $(CMOCKA_LIBS) $(LDLIBS) -o $@

$(O)/asan/tests/top/test_top: tests/top/test_top.c $(O)/asan/libsvmtop.a $(TOP_TEST_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) $(ASAN_FLAGS) $< $(O)/asan/libsvmtop.a \
		$(CMOCKA_LIBS) $(LDLIBS) -o $@

.PHONY: check-top check-top-asan
check-host:: check-top check-top-asan

check-top: $(O)/tests/top/test_top
	@mkdir -p $(RESULTS)
	tests/unit/run-cmocka.sh top $(RESULTS) $<

check-top-asan: $(O)/asan/tests/top/test_top
	@mkdir -p $(RESULTS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/unit/run-cmocka.sh top-asan $(RESULTS) $<

# The dashboard in a real terminal (tmux) on the host, debugfs backend on a
# fixture copy: keys, resize, terminal restored after q and signals.
.PHONY: check-top-tmux
check-host:: check-top-tmux

check-top-tmux: $(O)/svmtop
	@mkdir -p $(RESULTS)
	tests/top/tmux-host.sh $(O)/svmtop $(RESULTS)
