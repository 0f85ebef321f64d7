# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop top-level build.  Each area keeps its own rules in a fragment
# (cli/build.mk, bpf/build.mk, tests/*/build.mk, debugfs-ext/build.mk) so
# the pieces stay small; this file holds the shared variables and targets.
#
#   make                 build build/svmtop (BPF skeletons embedded)
#   make check           host tests + VM suite (the README's test command)
#   make check-host      unit, sanitizer, fuzz and promtool tests on the host
#   make vm-check        the VM suite (builds/caches the test kernel)
#   make demo            show svmtop at work
#   make install         PREFIX=/usr/local DESTDIR=

O        ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   ?= $(PREFIX)/sbin
MANDIR   ?= $(PREFIX)/share/man

CC       ?= cc
CLANG    ?= clang
BPFTOOL  ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
PKG_CONFIG ?= pkg-config

VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_REV  := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)

WARNINGS := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 \
	    -Wmissing-prototypes -Wstrict-prototypes
CFLAGS   ?= -O2 -g
override CFLAGS += $(WARNINGS) -std=gnu11 -D_GNU_SOURCE \
		   -DSVMTOP_VERSION='"$(VERSION)"' -DSVMTOP_GIT_REV='"$(GIT_REV)"' \
		   -Iinclude -Icli -I$(O)
LDLIBS   += $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz) \
	    $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw) -lm

# BPF objects are built without vmlinux.h: kernel types come from our own
# CO-RE declarations in bpf/core/ (see bpf/README.md), so the build works on
# hosts whose kernel has no HMM, DRM or xe.
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall \
	      -Wno-unused-function -Iinclude -Ibpf \
	      $(if $(MULTIARCH),-I/usr/include/$(MULTIARCH))

.PHONY: all clean install check check-host vm-check demo
all:

# Suites hook into these double-colon targets from their own fragments:
#   check-host:: check-unit        vm-check:: vm-suite
check-host::
	@true
vm-check::
	@true

include bpf/build.mk
include cli/build.mk
-include $(sort $(filter-out bpf/build.mk cli/build.mk,\
	$(wildcard */build.mk */*/build.mk)))

# Every suite writes $(RESULTS)/<suite>.result (passed=/failed=/skipped=)
# and fails its target on failure; 'check' runs them all (-k) and ends with
# the one summary line CI reads.
RESULTS := $(O)/results
export RESULTS

check:
	rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	$(MAKE) -k check-host vm-check; rc=$$?; \
	tests/summarize.sh $(RESULTS) && exit $$rc

demo:
	O=$(O) scripts/demo.sh

clean:
	rm -rf $(O)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(O)/svmtop $(DESTDIR)$(BINDIR)/svmtop
	install -m 0644 man/svmtop.8 $(DESTDIR)$(MANDIR)/man8/svmtop.8
