# SPDX-License-Identifier: GPL-2.0-only
#
# Host checks of `svmtop stat --bpf` (the probes themselves are tested in
# the VM: tests/vm/cases/1*-hmm-*.sh): usage, and the one-line errors for
# "not root" and "no HMM in this kernel" with their exit codes.

RESULTS ?= $(O)/results

.PHONY: check-hmm-host
check-host:: check-hmm-host

check-hmm-host: $(O)/svmtop
	@mkdir -p $(RESULTS)
	RESULTS=$(abspath $(RESULTS)) tests/hmm/host-check.sh $(O)/svmtop
