# SPDX-License-Identifier: GPL-2.0-only
#
# BPF pipeline: bpf/x.bpf.c --clang -target bpf--> $(O)/bpf/x.bpf.o
#                          --bpftool gen skeleton--> $(O)/x.skel.h
# cli/ sources include "x.skel.h"; the object is embedded in the binary.

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(O)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst bpf/%.bpf.c,$(O)/%.skel.h,$(BPF_SRCS))
BPF_HDRS  := $(wildcard bpf/*.h bpf/core/*.h include/*.h)

$(O)/bpf/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | $(O)/bpf
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	llvm-strip -g $@.tmp -o $@ 2>/dev/null || mv $@.tmp $@
	rm -f $@.tmp

$(O)/%.skel.h: $(O)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp && mv $@.tmp $@

$(O)/bpf:
	mkdir -p $@

# Keep objects and skeletons: as intermediates make would delete them and
# rebuild every cli object on the next run.
.SECONDARY: $(BPF_OBJS) $(BPF_SKELS)
