# SPDX-License-Identifier: GPL-2.0-only
#
# The dashboards/ tests (tests/dashboards/README.md):
#   check-dashboards     the kept VM capture (tests/dashboards/data/vm-capture)
#                        + the exporter on the fixture tree, backfilled into
#                        Debian's Prometheus: every query of the dashboard and
#                        the rules returns data; the svm collector is exact
#   check-dashboards-vm  the same on the capture of the last `make vm-check`
#                        (tests/vm/cases/70-dash-data.sh), when there is one
#   dash-capture-update  keep that capture as the new data/vm-capture

RESULTS ?= $(O)/results
DASH_VM_CAPTURE := $(O)/vm-out/70-dash-data/dash

.PHONY: check-dashboards check-dashboards-vm dash-capture-update
check-host:: check-dashboards
vm-check:: check-dashboards-vm

check-dashboards: $(O)/svmtop
	tests/dashboards/run.sh $(O)/svmtop tests/dashboards/data/vm-capture \
		$(RESULTS) dashboards

# under make vm-check: after the VM suite wrote the capture
ifneq ($(filter vm-check,$(MAKECMDGOALS)),)
check-dashboards-vm: vm-suite
endif
check-dashboards-vm: $(O)/svmtop
	@if ls $(DASH_VM_CAPTURE)/*.prom > /dev/null 2>&1; then \
		tests/dashboards/run.sh $(O)/svmtop $(DASH_VM_CAPTURE) \
			$(RESULTS) dashboards-vm; \
	else \
		echo "SKIP dashboards-vm: no capture in $(DASH_VM_CAPTURE) (run make vm-check VM_CASES=70-dash-data)"; \
		mkdir -p $(RESULTS); \
		printf 'passed=0\nfailed=0\nskipped=1\n' > $(RESULTS)/dashboards-vm.result; \
	fi

dash-capture-update:
	@ls $(DASH_VM_CAPTURE)/*.prom > /dev/null
	rm -f tests/dashboards/data/vm-capture/*.prom.gz
	for f in $(DASH_VM_CAPTURE)/*.prom; do \
		gzip -9nc $$f > tests/dashboards/data/vm-capture/$$(basename $$f).gz; \
	done
