# SPDX-License-Identifier: GPL-2.0-only
#
# check-fuzz: libFuzzer (clang -fsanitize=fuzzer) on the GT stats parser and
# the writers behind it, with ASan+UBSan, seeded from every fixture stats
# file, for FUZZ_SECONDS (default 20).  Any crash, leak, sanitizer report or
# timeout fails the suite; the crashing input is left in $(O)/fuzz/.
# Longer local runs: make check-fuzz FUZZ_SECONDS=600

RESULTS ?= $(O)/results
FUZZ_SECONDS ?= 20
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	      -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
# Only what the harness needs: parser, derived figures, writers, helpers.
FUZZ_LIB := gtstats statout derived statmeta units json prom csv
FUZZ_OBJS := $(patsubst %,$(O)/fuzz/cli/%.o,$(FUZZ_LIB))

$(O)/fuzz/cli/%.o: cli/%.c $(wildcard cli/*.h include/*.h)
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) $(FUZZ_FLAGS) -c $< -o $@

$(O)/fuzz/gtstats_fuzz: tests/fuzz/gtstats_fuzz.c $(FUZZ_OBJS)
	$(CLANG) $(CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer $^ -lm -o $@

.PHONY: check-fuzz
check-host:: check-fuzz

check-fuzz: $(O)/fuzz/gtstats_fuzz
	@mkdir -p $(RESULTS)
	tests/fuzz/run.sh $(O)/fuzz/gtstats_fuzz $(FUZZ_SECONDS) $(RESULTS)
