#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# scan-log.sh LOG: print the lines of a guest kernel log that report a
# kernel problem.  Exit 0 when there is one, 1 when the log is clean, 2 when
# LOG cannot be read (grep's convention).  Used by vm-run.sh; the patterns
# are tested by selftest.sh against canned logs.
#
# Lockdep and most other checkers print a "WARNING: ..." or "BUG: ..." head
# line (possible recursive locking, circular locking dependency, inconsistent
# lock state, suspicious RCU usage, sleeping function called from invalid
# context, KASAN, KFENCE, soft lockup); oopses, panics and UBSAN have their own.
# Only kernel lines count: the command's own output never reaches this log.
[ $# -eq 1 ] || { echo "usage: scan-log.sh LOG" >&2; exit 2; }
[ -r "$1" ] || { echo "scan-log.sh: cannot read $1" >&2; exit 2; }

# Stop at vm-run.sh's appended sections (the command's output).
sed '/^---- vm-run.sh: /,$d' "$1" | grep -E -a \
	-e '(^|[] ])(WARNING|BUG):' \
	-e 'kernel BUG at' \
	-e 'Oops:|general protection fault|Unable to handle kernel' \
	-e 'Kernel panic' \
	-e 'UBSAN:|KASAN:|KFENCE:|KMSAN:' \
	-e 'possible recursive locking|circular locking dependency' \
	-e 'inconsistent lock state|suspicious RCU usage|lock held when returning' \
	-e 'sleeping function called from invalid context' \
	-e 'scheduling while atomic' \
	-e 'INFO: task .* blocked for more than' \
	-e 'detected stalls? on CPUs|self-detected stall' \
	-e 'Kernel offset:|---\[ end trace'
