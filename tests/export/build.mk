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
