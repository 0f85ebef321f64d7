# SPDX-License-Identifier: GPL-2.0-only
#
# svm-workload: the workload generator for the simulated SVM GPU
# (debugfs-ext/).  Built on the host, run inside the VM (tests/vm/cases/2*).
#   make workload      build $(O)/tests/workload/svm-workload

WORKLOAD_BIN := $(O)/tests/workload/svm-workload
WORKLOAD_CFLAGS := -O2 -g -Wall -Wextra -Wno-unused-parameter -Wshadow \
	-Wmissing-prototypes -Wstrict-prototypes -std=gnu11 -D_GNU_SOURCE \
	-Iinclude $(shell $(PKG_CONFIG) --cflags libdrm 2>/dev/null || echo -I/usr/include/libdrm)

.PHONY: workload
workload: $(WORKLOAD_BIN)

$(WORKLOAD_BIN): tests/workload/svm-workload.c include/uapi/drm/svmsim_drm.h
	@mkdir -p $(dir $@)
	$(CC) $(WORKLOAD_CFLAGS) $< -o $@ -lpthread
