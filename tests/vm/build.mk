# SPDX-License-Identifier: GPL-2.0-only
#
# The VM suite (tests/vm/README.md): builds or reuses the cached test
# kernel, then boots one qemu guest per tests/vm/cases/*.sh.
#   make vm-check                      everything
#   make vm-check VM_CASES=00-boot     chosen cases only (no runner self-test)
#   make vm-kernel                     just ensure the kernel is built

RESULTS ?= $(O)/results
VM_CASES ?=

.PHONY: vm-suite vm-kernel
vm-check:: vm-suite

vm-kernel:
	tests/vm/build-kernel.sh

vm-suite: vm-kernel $(O)/svmtop
	RESULTS=$(abspath $(RESULTS)) tests/vm/run-suite.sh \
		--build $(abspath $(O)) $(VM_CASES)
