# SPDX-License-Identifier: GPL-2.0-only
#
# Drive `svmtop top` in a real terminal: a detached tmux session of fixed
# size running /bin/sh, keys sent with send-keys, the screen read back with
# capture-pane.  Source it after tests/workload/sim-lib.sh (for check()).
#   tm_start W H      new session "top" of W x H running sh (prompt "PROMPT$ ")
#   tm_keys KEYS...   tmux send-keys (literal words or key names)
#   tm_cap [FILE]     the screen as text (also copied to $OUT/screens/FILE)
#   tm_wait RE SECS   wait until the screen matches the extended regex RE
#   tm_attr           the screen with escape sequences (-e)

export TMUX_TMPDIR=${TMUX_TMPDIR:-/tmp}
TM="tmux -f /dev/null -L svmtop"
mkdir -p "$OUT/screens"

# The guest mounts no devpts: tmux needs ptys.
tm_ptys() {
	[ -e /dev/pts/ptmx ] && return 0
	mkdir -p /dev/pts &&
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts &&
	ln -sf pts/ptmx /dev/ptmx
}

tm_start() {
	$TM kill-server 2>/dev/null
	$TM -2 new-session -d -s top -x "$1" -y "$2" \
		"env -i PATH=$PATH HOME=/tmp TERM=screen-256color LANG=${TM_LANG:-C.UTF-8} PS1='PROMPT\$ ' /bin/sh" &&
	$TM set -g window-size manual 2>/dev/null
	$TM set -g status off &&
	tm_wait 'PROMPT\$' 10
}

tm_keys() {
	$TM send-keys -t top "$@"
}

tm_cap() {
	local f=${1:-last}
	$TM capture-pane -t top -p > "$OUT/screens/$f.txt"
	cat "$OUT/screens/$f.txt"
}

tm_attr() {
	$TM capture-pane -t top -p -e
}

# A wall-clock deadline: under TCG on a loaded host one poll can take a
# second, so counting polls would stretch a wait many times over.
tm_wait() {
	local re=$1 end=$((SECONDS + $2))
	while :; do
		$TM capture-pane -t top -p 2>/dev/null | grep -Eq -- "$re" && return 0
		[ "$SECONDS" -ge "$end" ] && break
		sleep 0.1
	done
	echo "     (waited ${2}s for /$re/; screen:)"
	$TM capture-pane -t top -p 2>/dev/null | sed 's/^/     | /'
	return 1
}

# Row (line number) of the table line whose PID column is $1; 0 if absent.
tm_row() {
	tm_cap "${2:-row}" | awk -v pid="$1" '$1 == pid { print NR; found = 1; exit } END { if (!found) print 0 }'
}

# Does a capture (tm_attr) hold SGR colour codes (30-37, 40-47, 38;5, 48;5)?
has_colour() {
	grep -Eq $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)[;m]' "$1"
}

# Only printable ASCII, tabs and escape sequences' ESC in a capture?
ascii_only() {
	! LC_ALL=C grep -q $'[^\t\e -~]' "$1"
}
