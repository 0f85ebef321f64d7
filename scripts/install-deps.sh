#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install every Debian package that svmtop's build, tests and demo need.
# Idempotent: packages already present are left alone, and apt is not
# touched at all when nothing is missing (so a second run is instant).
set -euo pipefail

PKGS=(
	# build: user space and BPF
	make gcc clang llvm pkg-config libbpf-dev bpftool libelf-dev zlib1g-dev
	libncurses-dev
	# tests on the host: unit tests, sanitizers, fuzzing, exporter checks
	libcmocka-dev libclang-rt-14-dev valgrind prometheus tmux python3
	# test kernel and VM: kernel build from Debian's source, BTF, qemu
	linux-source-6.12 xz-utils flex bison bc libssl-dev dwarves cpio kmod
	rsync file qemu-system-x86 busybox-static
	# simulated SVM GPU workload (tests/workload): drm.h for its uapi header
	libdrm-dev
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#PKGS[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}" >&2
	echo "install-deps: run as root (sudo $0) to install them" >&2
	exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
