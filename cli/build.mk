# SPDX-License-Identifier: GPL-2.0-only
#
# The svmtop binary.  cli/svmtop.c holds main(); every other cli/*.c is
# library code that the unit tests link too ($(CLI_LIB_OBJS)).

CLI_SRCS     := $(wildcard cli/*.c)
CLI_OBJS     := $(patsubst cli/%.c,$(O)/cli/%.o,$(CLI_SRCS))
CLI_LIB_OBJS := $(filter-out $(O)/cli/svmtop.o,$(CLI_OBJS))

all: $(O)/svmtop

$(O)/svmtop: $(CLI_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Every cli object may include any skeleton; regenerate them first.
$(O)/cli/%.o: cli/%.c $(wildcard cli/*.h include/*.h) $(BPF_SKELS) | $(O)/cli
	$(CC) $(CFLAGS) -c $< -o $@

$(O)/cli:
	mkdir -p $@
