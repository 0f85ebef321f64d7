#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run one command as root in a throw-away qemu guest booted with svmtop's
# test kernel (tests/vm/build-kernel.sh), the host's / as read-only root.
#
#   tests/vm/vm-run.sh [--timeout SECS] [--log FILE] [--out DIR] [--mem SIZE]
#                      [--smp N] -- COMMAND [ARGS...]
#
# Exit status: the command's, 124 when it ran out of time, 125 when the
# guest's kernel log shows a WARNING, BUG, oops, lockdep or sanitizer report
# (even if the command passed) or the guest died without reporting a status.
# The command's output is streamed to stdout; the whole kernel console log
# (with the command's output appended) is kept in --log FILE, by default
# build/vm-logs/<time>-<pid>.log.  See tests/vm/README.md.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

timeout=300 log= out= mem=2G smp=2
die() { echo "vm-run.sh: $*" >&2; exit 125; }
usage() { sed -n '4,15s/^# \{0,1\}//p' "$0"; }

while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=${2:?}; shift 2 ;;
	--log) log=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	*) usage >&2; die "unknown option '$1' (the command goes after --)" ;;
	esac
done
[ $# -gt 0 ] || { usage >&2; die "no command given"; }
case $timeout in ''|*[!0-9]*) die "--timeout wants whole seconds, got '$timeout'" ;; esac
case $REPO in *[[:space:]]*) die "the repo path '$REPO' contains spaces; the kernel command line cannot carry it" ;; esac
command -v qemu-system-x86_64 > /dev/null ||
	die "qemu-system-x86_64 not found: run scripts/install-deps.sh"

# SVMTOP_KERNEL_ENV=FILE: use another kernel, FILE holding lines like those
# of build-kernel.sh --print-env.
if [ -n "${SVMTOP_KERNEL_ENV:-}" ]; then
	env_lines=$(cat "$SVMTOP_KERNEL_ENV") || die "cannot read SVMTOP_KERNEL_ENV=$SVMTOP_KERNEL_ENV"
else
	env_lines=$("$HERE/build-kernel.sh" --print-env) || die "no test kernel (see above)"
fi
eval "$env_lines"
[ -r "${BZIMAGE:-}" ] || die "kernel image '${BZIMAGE:-}' not readable"
# The guest has fresh /tmp, /run and /dev: host files there are invisible.
for p in "$REPO" "${SVMTOP_BUILD:-$REPO/build}" "$KDIR" "$HMM_TESTS" "$TEST_HMM_KO"; do
	case $(realpath -m "$p")/ in
	/tmp/*|/run/*|/dev/*|/proc/*|/sys/*)
		die "$p is under /tmp, /run, /dev, /proc or /sys, which the guest does not share; move it (or SVMTOP_CACHE) elsewhere" ;;
	esac
done

if [ -z "$log" ]; then
	mkdir -p "$REPO/build/vm-logs" || die "cannot create build/vm-logs"
	log=$REPO/build/vm-logs/$(date +%Y%m%d-%H%M%S)-$$.log
fi
log=$(realpath -m "$log")
mkdir -p "$(dirname "$log")" || die "cannot create the directory of $log"

run=$(mktemp -d "${TMPDIR:-/tmp}/svmtop-vm.XXXXXX") || die "mktemp failed"
mkdir "$run/ctl"
if [ -z "$out" ]; then
	out=$run/out
fi
mkdir -p "$out" || die "cannot create --out directory $out"
out=$(realpath "$out")

qpid= tpid=
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# What the guest runs, read by guest-init.sh from the svmctl share.
{
	for v in KDIR BZIMAGE HMM_TESTS TEST_HMM_KO KSRC_VERSION KERNEL_RELEASE; do
		printf 'export %s=%q\n' "$v" "${!v}"
	done
	printf 'export SVMTOP_SRC=%q\n' "$REPO"
	printf 'export SVMTOP_BUILD=%q\n' "${SVMTOP_BUILD:-$REPO/build}"
	printf 'export OUT=/out HOME=/root LANG=C.UTF-8 TERM=dumb\n'
	printf 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n'
	# Pass other SVMTOP_* settings through (e.g. test verbosity).
	while IFS= read -r v; do
		case $v in SVMTOP_SRC|SVMTOP_BUILD) continue ;; esac
		printf 'export %s=%q\n' "$v" "${!v}"
	done < <(compgen -e | grep '^SVMTOP_')
} > "$run/ctl/env.sh"
{
	printf 'cmd=('
	printf '%q ' "$@"
	printf ')\nguest_timeout=%d\n' "$timeout"
} > "$run/ctl/cmd.sh"

# The guest enforces the time limit itself (and powers off cleanly); the
# host kills qemu only if the guest does not manage that within a margin.
host_timeout=$((timeout + 120))
append="console=ttyS0 root=/dev/root rootfstype=9p"
append+=" rootflags=trans=virtio,version=9p2000.L,cache=loose,msize=262144 ro"
append+=" init=$HERE/guest-init.sh panic=-1 printk.devkmsg=on"
# Extra kernel parameters, e.g. make bench's TSC clock (tests/bench/README.md).
append+="${SVMTOP_VM_APPEND:+ $SVMTOP_VM_APPEND}"
: > "$run/ttyS1"
t0=$(date +%s.%N)
timeout -k 5 "$host_timeout" qemu-system-x86_64 \
	-accel tcg -cpu max -m "$mem" -smp "$smp" \
	-nodefaults -display none -no-reboot \
	-serial "file:$log" -serial "file:$run/ttyS1" \
	-kernel "$BZIMAGE" -append "$append" \
	-virtfs local,id=root,path=/,security_model=none,readonly=on,multidevs=remap,mount_tag=/dev/root \
	-virtfs "local,id=ctl,path=$run/ctl,security_model=none,readonly=on,mount_tag=svmctl" \
	-virtfs "local,id=out,path=$out,security_model=none,mount_tag=svmout" \
	< /dev/null > "$run/qemu.out" 2>&1 &
qpid=$!
tail -n +1 -s 0.2 -f --pid="$qpid" "$run/ttyS1" &
tpid=$!
wait "$qpid"
qrc=$?
qpid=
wait "$tpid"
tpid=
t1=$(date +%s.%N)

# --- verdict ---------------------------------------------------------------
rc=$(sed -n 's/.*svmtop-vm: exit=\([0-9]\{1,\}\).*/\1/p' "$log" | tail -n 1)
problems=$("$HERE/scan-log.sh" "$log")
scan_rc=$?
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
boot=$(sed -n 's/^\[ *\([0-9.]*\)\] svmtop-vm: init start.*/\1/p' "$log" | head -n 1)

{
	echo "---- vm-run.sh: command output (ttyS1) ----"
	cat "$run/ttyS1"
	echo "---- vm-run.sh: qemu output ----"
	cat "$run/qemu.out"
	echo "---- vm-run.sh: qemu status $qrc, command status ${rc:-none}, ${secs}s ----"
} >> "$log"

msg="vm-run.sh:"
if [ $scan_rc -eq 2 ]; then
	echo "vm-run.sh: cannot scan $log" >&2
	final=125
elif [ $scan_rc -eq 0 ]; then
	echo "vm-run.sh: kernel problem in the guest log ($log):" >&2
	echo "$problems" | head -n 20 | sed 's/^/  /' >&2
	final=125
elif [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	echo "vm-run.sh: guest did not finish within ${host_timeout}s; qemu killed ($log)" >&2
	final=124
elif [ -z "$rc" ]; then
	echo "vm-run.sh: guest ended without reporting a status (qemu status $qrc); see $log" >&2
	tail -n 15 "$log" | sed 's/^/  /' >&2
	final=125
else
	final=$rc
	[ "$rc" -eq 124 ] && echo "vm-run.sh: command ran out of its ${timeout}s" >&2
fi
echo "$msg exit $final in ${secs}s (boot to init ${boot:-?}s guest time), log $log" >&2
exit "$final"
