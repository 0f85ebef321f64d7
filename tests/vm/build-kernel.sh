#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (or reuse) svmtop's test kernel from Debian's linux-source-6.12.
#
#   tests/vm/build-kernel.sh               ensure the kernel is built
#   tests/vm/build-kernel.sh --print-env   ... then print KDIR=, BZIMAGE=, ...
#   tests/vm/build-kernel.sh --rebuild     throw the cached build away first
#
# The result lives outside the repo in
#   ${SVMTOP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/svmtop}/kernel-<key>/
# where <key> hashes the source package version, tests/vm/kernel.config and
# KERNEL_BUILD_REV.  Bump KERNEL_BUILD_REV only when the build procedure
# below changes what ends up in the cache; cosmetic edits of this script
# must not cost a 10-minute rebuild.
#
# The build happens in kernel-<key>.tmp.*/ and is renamed into place at the
# end, so a killed build never leaves a half-filled cache; a flock keeps
# two concurrent callers from building the same kernel twice.
set -euo pipefail

KERNEL_BUILD_REV=1

PKG=linux-source-6.12
SRC_TAR=/usr/src/linux-source-6.12.tar.xz
HERE=$(cd "$(dirname "$0")" && pwd)
FRAG=$HERE/kernel.config
CACHE=${SVMTOP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/svmtop}
JOBS=${SVMTOP_KERNEL_JOBS:-2}

die() { echo "build-kernel.sh: $*" >&2; exit 1; }
say() { echo "build-kernel.sh: $*" >&2; }

print_env=0 rebuild=0
for arg; do
	case $arg in
	--print-env) print_env=1 ;;
	--rebuild) rebuild=1 ;;
	-h|--help) sed -n '3,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$arg' (try --help)" ;;
	esac
done

KSRC_VERSION=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null) ||
	die "$PKG is not installed: run scripts/install-deps.sh"
[ -r "$SRC_TAR" ] || die "$SRC_TAR missing: reinstall $PKG"
[ -r "$FRAG" ] || die "$FRAG missing"

KEY=$({ echo "rev=$KERNEL_BUILD_REV"; echo "$PKG=$KSRC_VERSION"; cat "$FRAG"; } |
	sha256sum | cut -c1-16)
DIR=$CACHE/kernel-$KEY

# Every option the fragment sets must be in the final .config, and every
# "is not set" must stay unset; olddefconfig drops what lacks dependencies.
verify_config() {
	local cfg=$1 line opt missing=()
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$cfg" ||
				missing+=("$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$cfg" || echo absent))")
			;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			if grep -qE "^$opt=" "$cfg"; then
				missing+=("$line (got: $(grep -E "^$opt=" "$cfg"))")
			fi
			;;
		esac
	done < "$FRAG"
	if [ ${#missing[@]} -ne 0 ]; then
		say "these options of $FRAG did not survive olddefconfig"
		say "(a dependency is missing; add it to kernel.config):"
		printf '  %s\n' "${missing[@]}" >&2
		return 1
	fi
}

build() {
	local tmp=$1 log=$1/build.log t0 t1 load
	t0=$(date +%s)
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	say "building the test kernel in $tmp (-j$JOBS, about 10 minutes)"
	say "log: $log"
	{
		tar -C "$tmp" -xJf "$SRC_TAR"
		mv "$tmp/linux-source-6.12" "$tmp/src"
		cd "$tmp/src"
		make tinyconfig
		scripts/kconfig/merge_config.sh -m .config "$FRAG"
		make olddefconfig
	} > "$log" 2>&1 || { tail -30 "$log" >&2; die "configuring failed, see $log"; }
	verify_config "$tmp/src/.config" || die "kernel config incomplete"

	make -C "$tmp/src" -j"$JOBS" bzImage modules >> "$log" 2>&1 ||
		{ tail -40 "$log" >&2; die "kernel build failed, see $log"; }
	t1=$(date +%s)

	# The kernel's own HMM selftest, built against this tree's uapi headers
	# (recipe from tools/testing/selftests/mm, without its Makefile's
	# dependencies on the rest of the selftests).
	{
		make -C "$tmp/src" headers_install INSTALL_HDR_PATH="$tmp/hdr"
		cd "$tmp/src/tools/testing/selftests/mm"
		gcc -O2 -I ../ -I "$tmp/hdr/include" -I ../../../.. -I ../../../include \
			hmm-tests.c vm_util.c -o "$tmp/hmm-tests" -lpthread
	} >> "$log" 2>&1 || { tail -30 "$log" >&2; die "building hmm-tests failed, see $log"; }

	cp "$tmp/src/arch/x86/boot/bzImage" "$tmp/bzImage"
	cp "$tmp/src/lib/test_hmm.ko" "$tmp/test_hmm.ko"
	cat > "$tmp/build-info" <<-EOF
		key=$KEY
		package=$PKG $KSRC_VERSION
		kernelrelease=$(make -s -C "$tmp/src" kernelrelease)
		build_rev=$KERNEL_BUILD_REV
		jobs=$JOBS
		nproc=$(nproc)
		loadavg_at_start=$load
		kernel_build_seconds=$((t1 - t0))
		total_seconds=$(($(date +%s) - t0))
		built_at=$(date -u +%FT%TZ)
	EOF
	# CPU time of everything above (children of this shell): unlike the
	# wall time it does not depend on what else the machine is doing.
	local cpu
	cpu=$(times | tail -n 1 | awk '{
		split($1, u, "m"); split($2, s, "m")
		printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
	echo "cpu_seconds=$cpu" >> "$tmp/build-info"
	say "kernel built in $((t1 - t0)) s (bzImage + modules, -j$JOBS, load at start $load, $cpu CPU-seconds in all)"
}

mkdir -p "$CACHE"
if [ $rebuild = 1 ] || [ ! -f "$DIR/build-info" ]; then
	exec 9> "$CACHE/kernel-$KEY.lock"
	if ! flock -n 9; then
		say "another build of kernel-$KEY is running; waiting for it"
		flock 9
	fi
	if [ $rebuild = 1 ] && [ -d "$DIR" ]; then
		rm -rf "$DIR.old" && mv "$DIR" "$DIR.old" && rm -rf "$DIR.old"
	fi
	if [ ! -f "$DIR/build-info" ]; then
		# We hold the lock: leftovers of killed builds can go.
		rm -rf "$CACHE/kernel-$KEY.tmp."*
		tmp=$(mktemp -d "$CACHE/kernel-$KEY.tmp.XXXXXX")
		chmod 755 "$tmp"
		trap 'rm -rf "$tmp"' EXIT
		build "$tmp"
		mv -T "$tmp" "$DIR"
		trap - EXIT
	fi
	flock -u 9
fi

if [ $print_env = 1 ]; then
	printf 'KDIR=%q\n' "$DIR/src"
	printf 'BZIMAGE=%q\n' "$DIR/bzImage"
	printf 'HMM_TESTS=%q\n' "$DIR/hmm-tests"
	printf 'TEST_HMM_KO=%q\n' "$DIR/test_hmm.ko"
	printf 'KSRC_VERSION=%q\n' "$KSRC_VERSION"
	printf 'KERNEL_RELEASE=%q\n' "$(sed -n 's/^kernelrelease=//p' "$DIR/build-info")"
fi
