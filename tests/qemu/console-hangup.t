#!/bin/bash
# A hang-up of the console (vhangup from its shell, as a getty does) must not cost PID 1
# its console for good: container lines and kbox's own still reach it afterwards. (It held:
# a hang-up spares the files opened through /dev/console.)
. "$(dirname "$0")/../lib.sh"
build_initrd console-hangup "build an initramfs with the probe" \
	--file "$out/probe=/images/busybox/bin/probe"

boot_shell console-hangup 60 \
	"kbox.shell=1 kbox.tick.net=none kbox.tick.stop_timeout=1s kbox.tick.cmd=\"sh -c 'i=0; while :; do i=\$((i+1)); echo tick-\$i; sleep 0.2; done'\"" \
	--initrd "$initrd" <<'IN'
until kbox ps | grep -q '^tick .*running'; do sleep 0.05; done
setsid sh -c 'sleep 3; kbox stop tick; sleep 1; poweroff' </dev/null >/dev/null 2>&1 &
echo HANGUP-NOW; stty -echo; /images/busybox/bin/probe vhangup
IN
is "$rc" 0 "the machine powers off"
has_line "HANGUP-NOW" "the console was hung up"
after=$(sed -n '/^HANGUP-NOW/,$p' "$log" | grep -ac '^tick | tick-')
[ "$after" -ge 5 ]
ok $? "container lines still reach the console after the hang-up ($after of tick's)"
has_match "^kbox: tick: exited with status|^kbox: tick: killed by signal" "so do kbox's own (tick's exit)"
has_match "^kbox: reaped [0-9]+ orphans; poweroff$" "and the last one"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
