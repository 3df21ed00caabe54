#!/bin/bash
# A container crash-looping for 5 minutes of guest time (the backoff climbs to 30 s and
# stays; PID 1's memory stays flat), stops that land while a container waits to start,
# waits to restart or is starting, and a shutdown among containers that misbehave.
# Under TCG the guest clock is the wall clock: this boot takes five real minutes.
. "$(dirname "$0")/../lib.sh"
initrd=$out/tests/crashloop.cpio
"$top/initramfs/build" --conf "$top/tests/qemu/conf/crashloop" -o "$initrd"
ok $? "build an initramfs with a crash loop and misbehaving containers"

input=$out/tests/crashloop.input
cat >"$input" <<'IN'
until kbox ps | awk '$1 == "backoff" && $2 == "restarting" && $5 >= 3 { f = 1 } END { exit !f }'; do sleep 0.05; done
kbox stop backoff; echo STOP-BACKOFF-RC-$?.; kbox ps | awk '$1 == "backoff" { print "BACKOFF-NOW-" $2 "." }'
kbox ps | awk '$1 == "waiter" { print "WAITER-BEFORE-" $2 "." }'; kbox stop waiter; echo STOP-WAITER-RC-$?.
printf '#!/bin/sh\necho gate-up\nexec sleep 100000\n' >/tmp/g; chmod +x /tmp/g; mv /tmp/g /tmp/gate
until kbox ps | grep -Eq "^waiter2 +(exited|failed)"; do sleep 0.05; done; kbox ps | awk '$1 == "waiter" { print "WAITER-AFTER-" $2 "." }'
n=0; for i in $(seq 20); do kbox start quick 2>/dev/null; kbox stop quick && kbox ps | grep -q "^quick .*exited" && n=$((n + 1)); done; echo QUICK-STOPPED-$n-OF-20.
sample() { until [ $(cut -d. -f1 /proc/uptime) -ge $1 ]; do sleep 1; done; echo SAMPLE-$1 $(awk '/^VmRSS/ { print $2 }' /proc/1/status) $(kbox ps | awk '$1 == "crasher" { print $5 }').; }
sample 60; sample 180; sample 305
kbox ps | awk '$1 ~ /^(quick|backoff|waiter)$/ { print "FINAL-" $1 "-" $2 "." }'
poweroff
IN
BOOT_INPUT=$input BOOT_WHEN="Enter 'help'" boot crashloop 480 "" --initrd "$initrd"
is "$rc" 0 "the machine powers off cleanly after five minutes"

# Stops that land before a start.
has_end "STOP-BACKOFF-RC-0." "kbox stop on a container waiting to restart answers at once"
has_match "^kbox: backoff: stopped; restart [0-9]+ called off$" "and calls the restart off"
has_end "BACKOFF-NOW-exited." "it is exited, not restarting"
off=$(grep -n '^kbox: backoff: stopped; restart' "$log" | cut -d: -f1)
last=$(grep -n '^kbox: backoff: started' "$log" | tail -n 1 | cut -d: -f1)
[ -n "$off" ] && [ -n "$last" ] && [ "$last" -lt "$off" ]
ok $? "it never starts again, in five minutes (last start at line $last, stop at $off)"
has_end "WAITER-BEFORE-waiting." "waiter waits for gate, which cannot start yet"
has_end "STOP-WAITER-RC-0." "kbox stop on it answers at once"
has_line "kbox: waiter: stopped before it started" "and says so"
has_line "waiter2 | waiter2-ran" "once gate starts, waiter2 (same after=, left alone) runs"
has_end "WAITER-AFTER-exited." "but the stopped waiter stays stopped"
lacks_match "waiter \\| waiter-ran" "and never ran"
has_end "QUICK-STOPPED-20-OF-20." "stop right after start, 20 times: stopped every time"
has_end "FINAL-quick-exited." "restart=always did not bring quick back"
lacks_match "^kbox: quick: restart " "no restart was even scheduled"

# The crash loop: 100 ms doubling to 30 s, then 30 s for good.
delays=$(sed -n 's/^kbox: crasher: restart [0-9]* in \([0-9.]*\) s (restart=always)$/\1/p' "$log" | tr '\n' ' ')
want="0.100 0.200 0.400 0.800 1.600 3.200 6.400 12.800 25.600 30.000 "
is "${delays:0:${#want}}" "$want" "crasher's backoff doubles from 100 ms up to 30 s"
rest=${delays:${#want}}
[ -n "$rest" ] && [ -z "$(echo $rest | tr ' ' '\n' | grep -vx 30.000)" ]
ok $? "and stays at 30 s ($(echo $rest | wc -w) more restarts)"
read -r _ rss60 r60 <<<"$(grep -o 'SAMPLE-60 .*' "$log" | tr -d .)"
read -r _ rss180 r180 <<<"$(grep -o 'SAMPLE-180 .*' "$log" | tr -d .)"
read -r _ rss305 r305 <<<"$(grep -o 'SAMPLE-305 .*' "$log" | tr -d .)"
echo "# restarts at 60/180/305 s: $r60/$r180/$r305; PID 1 VmRSS: $rss60/$rss180/$rss305 KiB"
d=$((r305 - r60))
[ -n "$r60" ] && [ "$d" -ge 7 ] && [ "$d" -le 9 ]
ok $? "restarts from 60 s to 305 s: $d (one per 30 s: 7 to 9)"
[ -n "$rss60" ] && [ "$rss305" -le $((rss60 + 8)) ]
ok $? "PID 1's RSS is flat: $rss60 KiB at 60 s, $rss305 KiB at 305 s (at most 8 KiB more)"

# The shutdown.
has_line "kbox: stubborn: still running 0.500 s after SIGTERM, killing it" \
	"shutdown: a container ignoring SIGTERM is killed after stop_timeout"
has_line "kbox: frozen: still running 0.500 s after SIGTERM, killing it" "so is a stopped one"
has_line "kbox: forker: still running 0.500 s after SIGTERM, killing it" \
	"so is one that forks all the time"
has_line "escaper | escaped" "escaper left a process in its own session"
has_line "kbox: respawn: exited with status 0" "respawn exits on SIGTERM"
down=$(grep -n 'stopping containers$' "$log" | cut -d: -f1)
lacks_match "^kbox: respawn: restart " "and restart=always does not bring it back during shutdown"
late=$(awk -v d="$down" 'NR > d && /^kbox: [a-z0-9]+: started/' "$log")
[ -n "$down" ] && [ -z "$late" ]
ok $? "nothing starts once shutdown has begun (crasher's pending restart is called off)"
has_match "^kbox: reaped [0-9]+ orphans; poweroff$" "and the machine powers off"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
