# SPDX-License-Identifier: GPL-2.0-only
#
# debugfs-ext: svmsim.ko, the simulated SVM GPU with the xe_svm tracepoints
# and extended GT stats (README.md in this directory).
#   make module                 build $(O)/debugfs-ext/svmsim.ko against the
#                               test kernel (tests/vm/build-kernel.sh)
#   make module SVMSIM_KDIR=D   against another kernel build tree
# The sources are copied into $(O)/debugfs-ext so the tree stays clean
# (Linux 6.12's kbuild has no separate output dir for external modules).

SVMSIM_SRCS := $(wildcard debugfs-ext/*.c debugfs-ext/*.h) debugfs-ext/Kbuild
SVMSIM_KO   := $(O)/debugfs-ext/svmsim.ko
SVMSIM_KDIR ?=
RESULTS     ?= $(O)/results

.PHONY: module check-svmsim-names FORCE
FORCE:
module: $(SVMSIM_KO)

# Always ask kbuild: it rebuilds only what changed, including when the
# test kernel itself changed (new cache key, new KDIR), which make's own
# timestamps cannot see.  cp -p keeps mtimes so unchanged files stay built.
# O= on the kbuild line: our O (the build dir), if given on make's command
# line, must not reach kbuild, where O names the kernel's output tree.
$(SVMSIM_KO): $(SVMSIM_SRCS) include/uapi/drm/svmsim_drm.h FORCE
	@mkdir -p $(O)/debugfs-ext
	cp -p $(SVMSIM_SRCS) $(O)/debugfs-ext/
	kdir="$(SVMSIM_KDIR)"; \
	if [ -z "$$kdir" ]; then \
		env=$$(tests/vm/build-kernel.sh --print-env) || exit 1; \
		kdir=$$(eval "$$env"; echo "$$KDIR"); \
	fi; \
	$(MAKE) -C "$$kdir" O= M=$(abspath $(O)/debugfs-ext) \
		SVMTOP_INCLUDE=$(abspath include) modules

# The VM cases load the module and run the workload.
vm-suite: $(SVMSIM_KO) $(O)/tests/workload/svm-workload

# Host check: no stats name contains another (tools match with strstr).
check-host:: check-svmsim-names
check-svmsim-names:
	@mkdir -p $(RESULTS)
	debugfs-ext/check-names.sh debugfs-ext/svmsim_stats.c > $(RESULTS)/svmsim-names.result
