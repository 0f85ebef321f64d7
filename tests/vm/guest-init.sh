#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# PID 1 of a tests/vm/vm-run.sh guest.  The root file system is the host's /
# over 9p, read-only.  Stage 1 builds a small tmpfs root that bind-mounts the
# host's top-level directories and adds /out (the writable 9p share), /tmp,
# /run, and the pseudo file systems, then chroots into it; stage 2 runs the
# command and reports its status on the console, where vm-run.sh finds it.
#
# The command, its environment and its time limit come from the read-only
# "svmctl" share (env.sh, cmd.sh written by vm-run.sh).  Its output goes to
# the second serial port, ttyS1; the kernel log has ttyS0 to itself.

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
NEWROOT=/tmp/root

# Lines for vm-run.sh go through the kernel log so they never interleave
# with kernel messages mid-line (printk.devkmsg=on disables rate limiting).
say() { echo "svmtop-vm: $*" > /dev/kmsg; }

# Power off on every path: 'o' needs ACPI, which the test kernel leaves out
# to build faster, so fall back to 'b' (qemu runs with -no-reboot and exits).
power_off() {
	sync
	umount /out 2>/dev/null
	if [ -d /sys/firmware/acpi ]; then
		echo o > /proc/sysrq-trigger
		sleep 5
	fi
	echo b > /proc/sysrq-trigger
	while :; do sleep 60; done
}

# Anything going wrong before the command ran is reported as status 125.
fail() {
	say "setup failed: $*"
	say "exit=125"
	power_off
}

stage1() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	say "init start"
	mount -t tmpfs -o mode=0755 tmpfs /tmp || fail "tmpfs on /tmp"
	mkdir -p "$NEWROOT" || fail "mkdir $NEWROOT"

	local e name
	for e in /*; do
		name=${e#/}
		case $name in
		proc|sys|dev|tmp|run|out|lost+found) continue ;;
		esac
		if [ -L "$e" ]; then
			ln -s "$(readlink "$e")" "$NEWROOT/$name"
		elif [ -d "$e" ]; then
			mkdir "$NEWROOT/$name" && mount --bind "$e" "$NEWROOT/$name" ||
				fail "bind $e"
		fi
	done
	mkdir -p "$NEWROOT"/{proc,sys,dev,tmp,run,out}
	mount -t proc proc "$NEWROOT/proc"
	mount -t sysfs sysfs "$NEWROOT/sys"
	mount -t devtmpfs devtmpfs "$NEWROOT/dev"
	mount -t tmpfs -o mode=1777 tmpfs "$NEWROOT/tmp"
	mount -t tmpfs -o mode=0755 tmpfs "$NEWROOT/run"
	mkdir -p "$NEWROOT/dev/shm" "$NEWROOT/run/vm-ctl"
	mount -t tmpfs -o mode=1777 tmpfs "$NEWROOT/dev/shm"
	mount -t debugfs debugfs "$NEWROOT/sys/kernel/debug" || fail "debugfs"
	mount -t tracefs tracefs "$NEWROOT/sys/kernel/tracing" || fail "tracefs"
	mount -t bpf bpf "$NEWROOT/sys/fs/bpf" || fail "bpffs"
	mount -t cgroup2 cgroup2 "$NEWROOT/sys/fs/cgroup" 2>/dev/null
	mount -t 9p -o trans=virtio,version=9p2000.L,ro svmctl "$NEWROOT/run/vm-ctl" ||
		fail "9p share svmctl"
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 svmout "$NEWROOT/out" ||
		fail "9p share svmout"
	exec chroot "$NEWROOT" "$0" --stage2
	fail "chroot $NEWROOT"
}

stage2() {
	local rc
	. /run/vm-ctl/env.sh || fail "env.sh"
	. /run/vm-ctl/cmd.sh || fail "cmd.sh"
	cd "$SVMTOP_SRC" || fail "cd $SVMTOP_SRC"
	# Raw mode: no \n -> \r\n translation of the command's output.
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	say "running: ${cmd[*]} (time limit ${guest_timeout}s)"
	timeout -k 5 "$guest_timeout" "${cmd[@]}" < /dev/null > /dev/ttyS1 2>&1
	rc=$?
	say "exit=$rc"
	power_off
}

case ${1:-} in
--stage2) stage2 ;;
*) stage1 ;;
esac
fail "init fell through"
