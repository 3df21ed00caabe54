#!/bin/bash
# kbox start right after a failed start, before that run has exited: 300 kbox start of a
# container whose setup fails (its workdir is missing). A start must not take the place of
# a run PID 1 has not reaped yet: that run's exit would go unsaid, counted as an orphan,
# and never released (before the fix: 208 starts, 157 exit lines, 51 "orphans").
. "$(dirname "$0")/../lib.sh"
boot_shell startrace 120 "kbox.shell=1 kbox.bad.net=none kbox.bad.workdir=/nope" <<'IN'
sleep 1; n=0; for i in $(seq 300); do kbox start bad >/dev/null 2>&1 && n=$((n + 1)); done; sleep 1; echo STARTS-$n.
poweroff
IN
is "$rc" 0 "the machine powers off"
n=$(grep -ao 'STARTS-[0-9]*\.' "$log" | tr -dc 0-9)
setups=$(grep -ac "kbox: bad: workdir: '/nope': No such file or directory$" "$log")
exits=$(grep -ac 'kbox: bad: exited with status 1$' "$log")
cmp_ok "$n" -gt 0 "some kbox start went through (${n:-none} of 300)"
is "$setups" "$exits" "every failed setup is followed by its exit line ($setups setups)"
has_line "kbox: reaped 0 orphans; poweroff" "no run of bad was lost among the orphans"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
