# SPDX-License-Identifier: GPL-2.0-only
#
# Host tests of `svmtop export` (tests/export/README.md):
#   check-export-unit  cmocka tests of the request parser, Accept, the
#                      OpenMetrics conversion, the store (plain and ASan+UBSan)
#   check-export       real sockets: HTTP robustness (also against the ASan
#                      build), textfile mode, Debian's Prometheus scraping it
# Each writes $(RESULTS)/<suite>.result and fails when anything failed.

RESULTS ?= $(O)/results

EXPORT_TEST_HDRS := $(wildcard cli/*.h include/*.h)

$(O)/tests/export/test_export: tests/export/test_export.c $(O)/libsvmtop.a \
		$(EXPORT_TEST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(O)/libsvmtop.a $(CMOCKA_LIBS) $(LDLIBS) -o $@

$(O)/asan/tests/export/test_export: tests/export/test_export.c \
		$(O)/asan/libsvmtop.a $(EXPORT_TEST_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) $(ASAN_FLAGS) $< $(O)/asan/libsvmtop.a \
		$(CMOCKA_LIBS) $(LDLIBS) -o $@

.PHONY: check-export-unit check-export
check-host:: check-export-unit check-export

check-export-unit: $(O)/tests/export/test_export $(O)/asan/tests/export/test_export
	@mkdir -p $(RESULTS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/unit/run-cmocka.sh export-unit $(RESULTS) $^

check-export: $(O)/svmtop $(O)/asan/svmtop
	@mkdir -p $(RESULTS)
	tests/export/run.sh $(O)/svmtop $(O)/asan/svmtop $(RESULTS)

# libFuzzer (ASan+UBSan) on the request parser and the OpenMetrics
# conversion, bounded: EXPORT_FUZZ_SECONDS (default 10).
EXPORT_FUZZ_SECONDS ?= 10
EXPORT_FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined \
		     -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
EXPORT_FUZZ_OBJS := $(patsubst %,$(O)/fuzz-export/cli/%.o,exporthttp exportexpo prom)

$(O)/fuzz-export/cli/%.o: cli/%.c $(EXPORT_TEST_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) $(EXPORT_FUZZ_FLAGS) -c $< -o $@

$(O)/fuzz-export/fuzz_http: tests/export/fuzz_http.c $(EXPORT_FUZZ_OBJS)
	$(CLANG) $(CFLAGS) $(EXPORT_FUZZ_FLAGS) -fsanitize=fuzzer $^ -lm -o $@

.PHONY: check-export-fuzz
check-host:: check-export-fuzz

check-export-fuzz: $(O)/fuzz-export/fuzz_http
	@mkdir -p $(RESULTS)
	tests/export/fuzz.sh $< $(EXPORT_FUZZ_SECONDS) $(RESULTS)
