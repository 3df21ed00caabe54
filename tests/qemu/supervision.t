#!/bin/bash
# Supervision: start order (after=), restart policies with backoff, stop_signal and
# stop_timeout, shutdown in reverse start order, and the summary. One boot.
. "$(dirname "$0")/../lib.sh"
build_initrd supervision "build an initramfs with the supervision specs" \
	--conf "$top/tests/qemu/conf/supervision"
boot supervision 120 "" --initrd "$initrd"
is "$rc" 0 "the stopper's poweroff powers the machine off"

a=$(grep -n '^kbox: zdb: started' "$log" | cut -d: -f1)
b=$(grep -n '^kbox: app: started' "$log" | cut -d: -f1)
m=$(grep -n '^kbox: mid: started' "$log" | cut -d: -f1)
[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
ok $? "after=zdb: app (listed first) starts only once zdb has (lines $a, $b)"
cmp_ok "$m" -gt "$b" "after=app,zdb: mid starts after both (line $m)"
has_line "app | app-up" "app ran"
has_line "kbox: loop1: after: a cycle: loop1 -> loop2 -> loop1 (spec)" "a cycle is refused, named"
has_line "kbox: loop2: after: a cycle: loop1 -> loop2 -> loop1 (spec)" "on both of its containers (the cycle as first found)"
has_line "kbox: broken: image: 'missing' not found in /images" "a missing image fails its container"
has_line "kbox: needsbroken: after: 'broken' never started, so neither does needsbroken" \
	"and those after it give up with the reason"
lacks_match "^needsbroken \\|" "so needsbroken never ran"
has_line "kbox: summary: broken: not started: its setup failed" "the summary says broken never ran"
has_line "kbox: summary: needsbroken: not started: a container in after= never started" \
	"nor needsbroken, and why"

is "$(grep -c '^flaky | try$' "$log")" 3 "restart=on-failure:2: three runs in all"
has_match "^kbox: flaky: restart 1 in 0.100 s \\(restart=on-failure, boot \\+[0-9.]+ s\\)$" "the first restart waits 100 ms"
has_match "^kbox: flaky: restart 2 in 0.200 s \\(restart=on-failure, " "the second 200 ms"
lacks_match "flaky: restart 3" "and there is no third"
# From kbox's own stamps: each start comes at least its delay after the restart line (the
# timer never fires early); how much later is a figure of the machine's load, not asserted.
t=($(sed -n 's/^kbox: flaky: started, pid [0-9]* (boot +\([0-9.]*\) s)$/\1/p' "$log"))
r=($(sed -n 's/^kbox: flaky: restart [0-9]* in [0-9.]* s (restart=on-failure, boot +\([0-9.]*\) s)$/\1/p' "$log"))
awk -v r1="${r[0]:-}" -v r2="${r[1]:-}" -v b="${t[1]:-}" -v c="${t[2]:-}" \
	'BEGIN { exit !(c != "" && r2 != "" && b - r1 >= 0.0985 && c - r2 >= 0.1985) }'
ok $? "each restart starts at least 100 ms, then 200 ms after it was decided (restarts at ${r[*]}, starts at ${t[*]})"
has_line "kbox: summary: flaky: exited with status 3, 2 restarts" "the summary counts the restarts"
is "$(grep -c '^once | done$' "$log")" 1 "restart=on-failure: a clean exit is not restarted"
has_line "kbox: summary: once: exited with status 0" "and has no restarts in its summary"
has_match "^kbox: always: restart 1 in 0.100 s \\(restart=always, " "restart=always restarts a clean exit"
has_match "^kbox: always: restart 2 in 0.200 s \\(restart=always, " "with the same backoff"
has_match "^kbox: summary: always: exited with status 0, [0-9]+ restarts$" "the summary counts them"

has_line "stubborn | got-INT" "stop_signal=SIGINT is what stubborn gets"
has_line "kbox: stubborn: still running 0.500 s after SIGINT, killing it" \
	"stop_timeout=500ms: then its cgroup is killed"
has_line "kbox: stubborn: killed by signal 9 (Killed)" "and it is gone"
before "p2 | stopping" "kbox: p2: exited with status 0" "shutdown stops p2 (started last) first"
before "kbox: p2: exited with status 0" "p1 | stopping" "and p1 only once p2 is gone"
before "kbox: p1: exited with status 0" "kbox: reaped 0 orphans; poweroff" "the machine goes down last"
has_match "^reaper \| pid1=kbox-init [0-9]+ sh -c .* exe=/memfd:kbox \(deleted\) me=2$" \
	"init=true: kbox-init (the sealed copy) is PID 1, the payload is PID 2"
has_line "reaper | zombies=0" "the orphans it left were reaped"
has_line "reaper | stopping" "the stop signal reached the payload through kbox-init"
has_line "kbox: reaper: exited with status 0" "and its status came back"
has_line "kbox: init7: exited with status 7" "init=true passes the exit status through"
has_line "kbox: initnope: exec '/nope': No such file or directory" "an exec failure under kbox-init is reported"
has_line "kbox: initnope: exited with status 127" "with status 127"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"

# A failed start under a restart policy backs off and tries again, as an exit does: an
# image that is missing at first and comes later.
build_initrd restarts "build an initramfs whose late container's image is missing" \
	--conf "$top/tests/qemu/conf/restarts" ${KBOX_BIN:+--kbox "$KBOX_BIN"}
boot_shell restarts 120 "" --initrd "$initrd" <<'IN'
until kbox ps | awk '$1 == "late" && $5 >= 3 { f = 1 } END { exit !f }'; do sleep 0.05; done
kbox ps | awk '$1 ~ /^(late|afterlate)$/ { print "BEFORE-" $1 "-" $2 "." }'
mkdir /tmp/late.new && cp -a /images/busybox/. /tmp/late.new/ && mv /tmp/late.new /tmp/late
until kbox ps | grep -q '^afterlate .*exited'; do sleep 0.05; done
kbox ps | awk '$1 ~ /^(late|never|bridged)$/ { print "PS-" $1 "-" $2 "-" $5 "." }'
poweroff
IN
is "$rc" 0 "the machine powers off cleanly"
has_line "kbox: late: image: '/tmp/late' not found in /" "late's image is missing at first"
has_match "^kbox: late: restart 3 in 0.400 s \(restart=always, boot \+[0-9.]+ s\)$" \
	"each failed start backs off: the third restart waits 400 ms"
has_end "BEFORE-late-restarting." "meanwhile late is restarting"
has_end "BEFORE-afterlate-waiting." "and afterlate, after=late, still waits for it"
has_line "late | late-ran" "once the image is there, late starts"
has_match "PS-late-running-[0-9]+\\.$" "and runs"
has_line "afterlate | afterlate-ran" "then afterlate"
n=$(grep -c "^kbox: late: image: '/tmp/late' not found in /" "$log")
t=($(sed -n 's/^kbox: late: restart [0-9]* in [0-9.]* s (restart=always, boot +\([0-9.]*\) s)$/\1/p' "$log"))
echo "# late failed $n times; restarts logged at boot + ${t[*]} s"
has_match "^kbox: summary: late: .*, [0-9]+ restarts$" "the summary counts its restarts"
has_match "^kbox: never: restart 1 in 0.100 s \(restart=on-failure, " \
	"restart=on-failure:2 retries a start that failed"
has_match "^kbox: never: restart 2 in 0.200 s " "twice"
lacks_match "^kbox: never: restart 3 " "and no more"
has_end "PS-never-failed-2." "then it has failed, with 2 restarts"
has_match "^kbox: bridged: restart 1 in 0.100 s " "a bridged container's failed start backs off too"
has_end "PS-bridged-failed-1." "and gives up after its one restart"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
