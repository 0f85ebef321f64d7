#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop top in tmux (120x40) against svmsim with one workload running:
# SIGTERM and SIGHUP restore the terminal (alternate screen off, cursor
# visible, tty canonical with echo, exit status 0); NO_COLOR leaves no
# colour codes on the screen and --ascii no byte above 0x7f (checked
# against the default run, which has both); `svmtop` alone on a terminal
# is the dashboard.
# vm-timeout: 240
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
SVMTOP=$SVMTOP_BUILD/svmtop
. "$SVMTOP_SRC/tests/top/tmux-lib.sh"

check "devpts for tmux" tm_ptys || { sim_counts; exit 1; }
check "insmod svmsim vram_mb=64" sim_load vram_mb=64 || { sim_counts; exit 1; }
ln -s "$SIM_WL" /tmp/wl-busy
nice -n 10 /tmp/wl-busy -s 2 -t 65536 -n 1000000 churn > /dev/null 2> "$OUT/wl-busy.err" &
BUSY=$!
check "tmux session 120x40" tm_start 120 40

restored() {	# $1: what ended svmtop
	check "$1: exit status 0" tm_wait '^EXIT=0' 15
	check "$1: alternate screen off, cursor visible" \
		test "$($TM display -p -t top '#{alternate_on} #{cursor_flag}')" = "0 1"
	tm_keys 'stty -a | tr " " "\n" | grep -Ex -- "-?(icanon|echo)" | tr "\n" " "; echo' Enter
	check "$1: tty canonical with echo" tm_wait '^icanon echo *$' 15
}

# default: colours and UTF-8; then SIGTERM
tm_keys "$SVMTOP top -i 1; echo EXIT=\$?" Enter
check "default run shows wl-busy" tm_wait "^ +$BUSY +wl-busy" 40
tm_attr > "$OUT/screens/colour.esc"
check "default: colour codes on screen" has_colour "$OUT/screens/colour.esc"
check "default: UTF-8 on screen (the ASCII check sees it)" eval '! ascii_only "$OUT/screens/colour.esc"'
kill -TERM "$(pgrep -x svmtop)"
restored SIGTERM

# NO_COLOR; then SIGHUP
tm_keys clear Enter "NO_COLOR=1 $SVMTOP top -i 1; echo EXIT=\$?" Enter
check "NO_COLOR run shows wl-busy" tm_wait "^ +$BUSY +wl-busy" 40
tm_attr > "$OUT/screens/nocolor.esc"
check "NO_COLOR: no colour codes" eval '! has_colour "$OUT/screens/nocolor.esc"'
check "NO_COLOR: the selected row in reverse video" grep -q $'\e\\[7m' "$OUT/screens/nocolor.esc"
kill -HUP "$(pgrep -x svmtop)"
restored SIGHUP

# --ascii; then SIGINT
tm_keys clear Enter "$SVMTOP top -i 1 --ascii; echo EXIT=\$?" Enter
check "--ascii run shows wl-busy" tm_wait "^ +$BUSY +wl-busy" 40
sleep 1.2
tm_attr > "$OUT/screens/ascii.esc"
check "--ascii: only ASCII on the screen" ascii_only "$OUT/screens/ascii.esc"
check "--ascii: the rule drawn with '-'" grep -q -- '--------' "$OUT/screens/ascii.esc"
kill -INT "$(pgrep -x svmtop)"
restored SIGINT

# no command on a terminal: the dashboard
tm_keys clear Enter "$SVMTOP; echo EXIT=\$?" Enter
check "svmtop alone on a tty runs top" tm_wait 'backend tp [0-9]+/[0-9]+ probes' 40
tm_keys q
restored q

$TM kill-server
kill $BUSY
wait $BUSY 2>/dev/null
check "rmmod svmsim" rmmod svmsim
sim_counts
