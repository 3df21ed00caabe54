#!/bin/bash
# A container crash-looping for 5 minutes of guest time (the backoff climbs to 30 s and
# stays; PID 1's memory stays flat), stops that land while a container waits to start,
# waits to restart or is starting, and a shutdown among containers that misbehave.
# Under TCG the guest clock is the wall clock: this boot takes five real minutes. Restarts
# are counted and their backoff checked from the boot stamps kbox writes in its own lines,
# never from a clock the test samples (that fails on a busy machine).
. "$(dirname "$0")/../lib.sh"
build_initrd crashloop "build an initramfs with a crash loop and misbehaving containers" \
	--conf "$top/tests/qemu/conf/crashloop"

boot_shell crashloop 900 "" --initrd "$initrd" <<'IN'
until kbox ps | awk '$1 == "backoff" && $2 == "restarting" && $5 >= 6 { f = 1 } END { exit !f }'; do sleep 0.05; done; kbox stop backoff; echo STOP-BACKOFF-RC-$?.; kbox ps | awk '$1 == "backoff" { print "BACKOFF-NOW-" $2 "." }'
kbox ps | awk '$1 == "waiter" { print "WAITER-BEFORE-" $2 "." }'; kbox stop waiter; echo STOP-WAITER-RC-$?.
printf '#!/bin/sh\necho gate-up\nexec sleep 100000\n' >/tmp/g; chmod +x /tmp/g; mv /tmp/g /tmp/gate
until kbox ps | grep -Eq "^waiter2 +(exited|failed)"; do sleep 0.05; done; kbox ps | awk '$1 == "waiter" { print "WAITER-AFTER-" $2 "." }'
n=0; for i in $(seq 20); do kbox start quick 2>/dev/null; kbox stop quick && kbox ps | grep -q "^quick .*exited" && n=$((n + 1)); done; echo QUICK-STOPPED-$n-OF-20.
sample() { until kbox ps | awk -v n=$1 '$1 == "crasher" && $5 >= n { f = 1 } END { exit !f }'; do sleep 1; done; echo SAMPLE-$1 $(awk '/^VmRSS/ { print $2 }' /proc/1/status).; }
sample 10; sample 18
kbox ps | awk '$1 ~ /^(quick|backoff|waiter)$/ { print "FINAL-" $1 "-" $2 "." }'
poweroff
IN
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

# The crash loop: 100 ms doubling to 30 s, then 30 s for good, from kbox's own lines:
# "restart N in D s (restart=always, boot +T s)" and "started, pid P (boot +T s)".
sed -n 's/^.*kbox: crasher: restart \([0-9]*\) in \([0-9.]*\) s (restart=always, boot +\([0-9.]*\) s)$/\1 \2 \3/p' \
	"$log" >"$out/tests/crashloop.restarts"
sed -n 's/^.*kbox: crasher: started, pid [0-9]* (boot +\([0-9.]*\) s)$/\1/p' "$log" \
	>"$out/tests/crashloop.starts"
delays=$(cut -d' ' -f2 "$out/tests/crashloop.restarts" | tr '\n' ' ')
want="0.100 0.200 0.400 0.800 1.600 3.200 6.400 12.800 25.600 30.000 "
is "${delays:0:${#want}}" "$want" "crasher's backoff doubles from 100 ms up to 30 s"
rest=${delays:${#want}}
[ -n "$rest" ] && [ -z "$(echo $rest | tr ' ' '\n' | grep -vx 30.000)" ]
ok $? "and stays at 30 s ($(echo $rest | wc -w) more restarts)"
nr=$(wc -l <"$out/tests/crashloop.restarts")
ns=$(wc -l <"$out/tests/crashloop.starts")
awk '$1 != NR { exit 1 }' "$out/tests/crashloop.restarts"
ok $? "restarts are numbered 1 to $nr, none skipped"
[ "$nr" -ge 18 ] && { [ "$ns" = $((nr + 1)) ] || [ "$ns" = "$nr" ]; }
ok $? "every restart decided ($nr) was carried out ($ns starts; the last may be called off by the shutdown)"
# Start k+1 comes at least D after restart k was decided: the timer never fires early.
early=$(awk 'NR == FNR { t[NR] = $1; n = NR; next } FNR + 1 <= n && t[FNR + 1] < $3 + $2 - 0.0015 {
	printf "restart %d at +%s s, %s s: started at +%s s\n", $1, $3, $2, t[FNR + 1] }' \
	"$out/tests/crashloop.starts" "$out/tests/crashloop.restarts")
[ "$nr" -ge 18 ] && [ -z "$early" ]
ok $? "each start comes at least its backoff after its restart was decided" || echo "$early" | diag
# Figures for the report, not asserted: restarts from minute 1 to minute 5, and lateness.
awk 'NR == FNR { t[NR] = $1; n = NR; next } FNR + 1 <= n { late = t[FNR + 1] - $3 - $2; if (late > max) max = late; sum += late; k++ }
	$3 >= 60 && $3 < 300 { m++ } END { printf "# restarts decided from +60 s to +300 s: %d; a start came %.3f s late on average, %.3f s at most\n", m, sum / k, max }' \
	"$out/tests/crashloop.starts" "$out/tests/crashloop.restarts"
read -r _ rss10 <<<"$(grep -ao 'SAMPLE-10 [0-9]*' "$log")"
read -r _ rss18 <<<"$(grep -ao 'SAMPLE-18 [0-9]*' "$log")"
echo "# PID 1 VmRSS at restart 10 / 18: $rss10 / $rss18 KiB"
[ -n "$rss10" ] && [ -n "$rss18" ] && [ "$rss18" -le $((rss10 + 8)) ]
ok $? "PID 1's RSS is flat: $rss10 KiB at restart 10, $rss18 KiB at restart 18 (at most 8 KiB more)"

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
