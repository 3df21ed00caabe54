#!/bin/bash
# A chatty container does not freeze PID 1: with `yes` flooding the console for the whole
# boot, kbox ps answers, another container's exit is seen, a writer of 200000 numbered
# lines loses none of them in its log file (the console skips lines and says how many),
# and poweroff completes with the flood still running. Latencies are reported, not asserted.
. "$(dirname "$0")/../lib.sh"
build_initrd flood "build an initramfs with a flooder" --conf "$top/tests/qemu/conf/flood"

L=/run/kbox/logs
up='$(cut -d" " -f1 /proc/uptime)'
# Typed once seq is done, so that no echo of the typing lands inside one of its lines.
BOOT_WHEN="kbox: seq: exited with status 0" boot_shell flood 300 "" --initrd "$initrd" \
	< <(printf '%s\n' "echo SEQ-\$(wc -l <$L/seq.log)-\$(seq 1 200000 | cmp - $L/seq.log && echo same)." \
	"for i in 1 2 3 4 5; do a=$up; kbox ps >/dev/null; echo PS-LAT \$a $up.; done" \
	"kbox ps | awk '\$1 == \"yes\" || \$1 == \"quick\" { print \"PS-\" \$1 \"-\" \$2 \".\" }'" \
	'touch /tmp/go; until kbox ps | grep -q "^quick .*exited"; do sleep 0.05; done' \
	"echo QUICK-SEEN $up \$(cat /tmp/quick-exit)." \
	"echo YES-LOG-\$(tail -n 1 $L/yes.log)." \
	'poweroff')
is "$rc" 0 "poweroff completes with the flood still running"

has_end "SEQ-200000-same." "the log file holds every one of seq's 200000 lines, in order"
has_end "PS-yes-running." "kbox ps answers during the flood"
has_end "PS-quick-running." "and sees the other container"
has_end "kbox: quick: exited with status 0" "another container's exit is logged during the flood"
has_end "YES-LOG-flood." "the flooder's log file has whole lines"
has_match "^kbox: console: skipped [0-9]+ lines of yes$" "the console says how many lines of yes it skipped"

# What the console showed of seq and what it said it skipped add up to every line.
shown=$(grep -c 'seq | ' "$log")
skipped=$(sed -n 's/.*kbox: console: skipped \([0-9]*\) lines\{0,1\} of seq$/\1/p' "$log" |
	awk '{ s += $1 } END { print s + 0 }')
is "$((shown + skipped))" 200000 "seq on the console: $shown lines shown + $skipped skipped = 200000"
sorted=$(sed -n 's/^seq | \([0-9]*\)$/\1/p' "$log" | sort -nc 2>&1 && echo yes)
is "$sorted" yes "the lines it showed are in order"
lacks_match 'seq \| .*seq \|' "no line of seq inside another"
lacks_match '^(yes|seq) \| .*kbox: ' "no kbox line inside a container line"

# Figures (guest time), for the report.
lat=$(grep -o 'PS-LAT [0-9.]* [0-9.]*\.' "$log" | tr -d . | awk '{ d = ($3 - $2) * 10; if (d > m) m = d; s += d; n++ } END { if (n) printf "%d ms max, %d ms mean of %d", m, s / n, n }')
echo "# kbox ps during the flood: $lat"
read -r _ seen exited <<<"$(grep -o 'QUICK-SEEN [0-9.]* [0-9.]*[0-9]' "$log")"
echo "# quick exited at $exited s, kbox ps showed it exited at $seen s"
echo "# seq: $shown lines on the console, $skipped skipped; poweroff at $(grep -o 'kbox poweroff\|SIGUSR2.*' "$log" | head -n 1)"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
