#!/bin/bash
# Open (attackA): shutdown stops containers one at a time, each for up to its stop_timeout.
# A payload that is its pid namespace's init and sets no SIGTERM handler (sleep, most
# daemons run as PID 1) ignores SIGTERM, so each costs the whole 10 s default: 8 such
# containers hold poweroff for 80 s, and a stop_timeout=24h one for a day. Docker stops them
# in parallel under one deadline. Not in the suite: the fix changes the shutdown order.
# Run: make all && bash tests/attack/shutdown-serial.sh
. "$(dirname "$0")/../lib.sh"
append="kbox.shell=1"
for i in 1 2 3 4 5 6 7 8; do
	append="$append kbox.s$i.cmd=\"sleep 1000\" kbox.s$i.net=none"
done
boot_shell shutdown-serial 300 "$append" \
	< <(printf '%s\n' 'until [ "$(kbox ps | grep -c running)" = 8 ]; do sleep 0.1; done' \
	'echo POWEROFF-AT-$(cut -d" " -f1 /proc/uptime).' 'kbox poweroff')
is "$rc" 0 "the machine powers off"
t0=$(sed -n 's/^POWEROFF-AT-\([0-9.]*\)\.$/\1/p' "$log")
n=$(grep -c 'still running 10.000 s after SIGTERM, killing it' "$log")
echo "# poweroff asked at uptime $t0 s; $n containers were each waited on for 10 s, one after another"
[ "$n" -le 1 ]
ok $? "at most one stop timeout is waited for, not one per container ($n)"
done_testing
