#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop stat --bpf on the host: exit codes (cli/exitcodes.h) and one clear
# line per error.  Writes $RESULTS/hmm-host.result.
set -u
svmtop=${1:?usage: host-check.sh SVMTOP}
RESULTS=${RESULTS:-build/results}
p=0 f=0 s=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME RC REGEX CMD...: exit code RC and stderr of exactly one line
# matching REGEX (REGEX empty: stdout non-empty, stderr empty).
expect() {
	local name=$1 want=$2 re=$3 rc lines
	shift 3
	"$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	lines=$(wc -l < "$tmp/err")
	if [ -z "$re" ]; then
		[ "$rc" -eq "$want" ] && [ -s "$tmp/out" ] && [ "$lines" -eq 0 ]
	else
		[ "$rc" -eq "$want" ] && [ "$lines" -eq 1 ] &&
			grep -qE -- "$re" "$tmp/err"
	fi
	if [ $? -eq 0 ]; then
		echo "ok   $name"
		p=$((p + 1))
	else
		echo "FAIL $name: exit $rc (want $want), stderr:"
		sed 's/^/    /' "$tmp/err"
		f=$((f + 1))
	fi
}
skip() { echo "skip $1: $2"; s=$((s + 1)); }

expect "stat --bpf --help" 0 "" "$svmtop" stat --bpf --help
expect "stat --bpf --bogus: usage error" 2 "bad option '--bogus'" "$svmtop" stat --bpf --bogus
expect "stat --bpf --backend x: usage error" 2 "bad --backend 'x'" "$svmtop" stat --bpf --backend x
expect "stat --bpf -n 3 without -i" 2 "-n needs -i" "$svmtop" stat --bpf -n 3
expect "stat --bpf --per-process without --prom" 2 "goes with --prom" "$svmtop" stat --bpf --per-process

if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
	expect "stat --bpf as nobody: not permitted" 3 "needs root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$svmtop" stat --bpf
else
	skip "stat --bpf as nobody" "needs root and setpriv to drop privileges"
fi

if [ "$(id -u)" -ne 0 ]; then
	skip "stat --bpf: no HMM" "needs root"
elif [ ! -r /sys/kernel/btf/vmlinux ]; then
	expect "stat --bpf: no BTF" 8 "has no BTF" "$svmtop" stat --bpf
elif grep -qw hmm_range_fault /proc/kallsyms; then
	skip "stat --bpf: no HMM" "this host's kernel has HMM"
else
	for b in auto fentry kprobe; do
		expect "stat --bpf --backend $b: no HMM in this kernel" 8 \
			"this kernel has no HMM: hmm_range_fault\(\) is missing" \
			"$svmtop" stat --bpf --backend "$b"
	done
fi

mkdir -p "$RESULTS"
printf 'passed=%d\nfailed=%d\nskipped=%d\n' "$p" "$f" "$s" > "$RESULTS/hmm-host.result"
echo "hmm-host: $p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
