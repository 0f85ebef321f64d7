# SPDX-License-Identifier: GPL-2.0-only
#
# Host test suites of `svmtop stat` and the cli library:
#   check-unit     cmocka unit tests, linked with the same objects as svmtop
#   check-asan     the same tests built with clang ASan+UBSan
#   check-e2e      the real build/svmtop on the fixture trees (tests/unit/e2e.sh)
#   check-asan-e2e the same with svmtop built with ASan+UBSan
#   check-prom     promtool check metrics on --prom of every fixture
#   check-fuzz     libFuzzer on the stats parser (tests/fuzz/build.mk)
# Each writes $(RESULTS)/<suite>.result and fails when anything failed.
#
# Why cmocka: plain C, one small library in Debian (libcmocka-dev), runs
# every test in the same process (no fork: sanitizers and gdb see one
# process), and prints TAP (CMOCKA_MESSAGE_OUTPUT=TAP) that
# tests/unit/run-cmocka.sh counts for the result files.  Check and
# Criterion (both in bookworm too) fork a child per test by default and
# Criterion brings more dependencies; we need none of that.

RESULTS ?= $(O)/results

CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
UNIT_SRCS   := $(wildcard tests/unit/test_*.c)
UNIT_HDRS   := $(wildcard tests/unit/*.h cli/*.h include/*.h)
UNIT_BINS   := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(UNIT_SRCS))

# The library as an archive: a test pulls in only the objects it needs, so
# other subcommands' code does not have to link into every test.
$(O)/libsvmtop.a: $(CLI_LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(O)/tests/unit/%: tests/unit/%.c $(O)/libsvmtop.a $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit $< $(O)/libsvmtop.a $(CMOCKA_LIBS) \
		$(LDLIBS) -o $@

# ---- ASan + UBSan variant: every cli library source rebuilt with clang ----
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	      -fno-omit-frame-pointer -O1
ASAN_LIB_OBJS := $(patsubst $(O)/cli/%.o,$(O)/asan/cli/%.o,$(CLI_LIB_OBJS))
# (the library archive excludes main(): $(O)/asan/cli/svmtop.o is separate)
ASAN_BINS := $(patsubst tests/unit/%.c,$(O)/asan/tests/%,$(UNIT_SRCS))

$(O)/asan/cli/%.o: cli/%.c $(UNIT_HDRS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) $(ASAN_FLAGS) -c $< -o $@

$(O)/asan/libsvmtop.a: $(ASAN_LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(O)/asan/tests/%: tests/unit/%.c $(O)/asan/libsvmtop.a $(UNIT_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) $(ASAN_FLAGS) -Itests/unit $< $(O)/asan/libsvmtop.a \
		$(CMOCKA_LIBS) $(LDLIBS) -o $@

# The whole binary with sanitizers, for the e2e suite: covers main(), the
# option parser, the sampling loop and --reset, which unit tests do not run.
$(O)/asan/svmtop: $(O)/asan/cli/svmtop.o $(O)/asan/libsvmtop.a
	$(CLANG) $(CFLAGS) $(ASAN_FLAGS) $^ $(LDLIBS) -o $@

.PHONY: check-unit check-asan check-e2e check-asan-e2e check-prom unit-tests
unit-tests: $(UNIT_BINS) $(ASAN_BINS) $(O)/asan/svmtop

check-host:: check-unit check-asan check-e2e check-asan-e2e check-prom

check-unit: $(UNIT_BINS)
	@mkdir -p $(RESULTS)
	tests/unit/run-cmocka.sh unit $(RESULTS) $(UNIT_BINS)

# detect_leaks: LeakSanitizer is part of ASan on x86_64 and catches
# the frees the parser and discovery must do on every path.
check-asan: $(ASAN_BINS)
	@mkdir -p $(RESULTS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/unit/run-cmocka.sh asan $(RESULTS) $(ASAN_BINS)

check-e2e: $(O)/svmtop
	@mkdir -p $(RESULTS)
	tests/unit/e2e.sh $(O)/svmtop $(RESULTS)

check-asan-e2e: $(O)/asan/svmtop
	@mkdir -p $(RESULTS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	E2E_SUITE=asan-e2e tests/unit/e2e.sh $(O)/asan/svmtop $(RESULTS)

check-prom: $(O)/svmtop
	@mkdir -p $(RESULTS)
	tests/unit/promtool.sh $(O)/svmtop $(RESULTS)
