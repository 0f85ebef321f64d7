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

# Few processes: every exec costs tens of milliseconds under TCG over 9p,
# so the mounts come from one fstab and one `mount -a`.
stage1() {
	local e name dirs=() links=() need mounts
	mount -t devtmpfs devtmpfs /dev
	say "init start"
	mount -t proc proc /proc
	mount -t tmpfs -o mode=0755 tmpfs /tmp || fail "tmpfs on /tmp"
	for e in /*; do
		name=${e#/}
		case $name in
		proc|sys|dev|tmp|run|out|lost+found) continue ;;
		esac
		if [ -L "$e" ]; then
			links+=("$e")
		elif [ -d "$e" ]; then
			dirs+=("$name")
		fi
	done
	mkdir -p "$NEWROOT" /dev/shm &&
	mkdir "${dirs[@]/#/$NEWROOT/}" "$NEWROOT"/{proc,sys,dev,tmp,run,out} ||
		fail "mkdir in $NEWROOT"
	[ ${#links[@]} -eq 0 ] || cp -P "${links[@]}" "$NEWROOT/" || fail "copy symlinks"
	{
		for name in "${dirs[@]}"; do
			echo "/$name $NEWROOT/$name none bind 0 0"
		done
		cat <<-EOF
		proc $NEWROOT/proc proc defaults 0 0
		sysfs $NEWROOT/sys sysfs defaults 0 0
		devtmpfs $NEWROOT/dev devtmpfs defaults 0 0
		tmpfs $NEWROOT/dev/shm tmpfs mode=1777 0 0
		tmpfs $NEWROOT/tmp tmpfs mode=1777 0 0
		tmpfs $NEWROOT/run tmpfs mode=0755 0 0
		debugfs $NEWROOT/sys/kernel/debug debugfs defaults 0 0
		tracefs $NEWROOT/sys/kernel/tracing tracefs defaults 0 0
		bpf $NEWROOT/sys/fs/bpf bpf defaults 0 0
		cgroup2 $NEWROOT/sys/fs/cgroup cgroup2 defaults 0 0
		svmctl $NEWROOT/run/vm-ctl 9p trans=virtio,version=9p2000.L,ro,X-mount.mkdir 0 0
		svmout $NEWROOT/out 9p trans=virtio,version=9p2000.L,msize=262144 0 0
		EOF
	} > /tmp/fstab
	mount -a -T /tmp/fstab
	# Check the ones tests rely on (cgroup2 is a nice-to-have).
	mounts=$(< /proc/mounts)
	for need in proc sys dev tmp run sys/kernel/debug sys/kernel/tracing \
		    sys/fs/bpf run/vm-ctl out; do
		[[ $mounts == *" $NEWROOT/$need "* ]] || fail "mounting /$need"
	done
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
