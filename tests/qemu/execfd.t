#!/bin/bash
# kbox exec cannot be robbed (the CVE-2016-9962 class): between dropping to the container's
# capabilities and its execve, the process kbox exec starts in a container still holds
# what it inherited from PID 1 (the container's cgroup directory among it). A process of
# the container, root with the default capabilities, watches its pid namespace and opens
# each newcomer's /proc/PID/fd/N: a directory there that leads to a / not its own is the
# appliance's. 300 kbox exec in a row give it 300 windows; it must never get through.
# And the CVE-2024-21626 way in through kbox exec: planter turns its workdir, /tmp, into a
# symlink to /proc/self/fd/N, for N from 3 to 40 in turn; a kbox exec that follows it
# with one of PID 1's directories still open would run outside the container's root.
. "$(dirname "$0")/../lib.sh"
build_initrd execfd "build an initramfs with the probe" \
	--file "$out/probe=/images/busybox/bin/probe"

boot_shell execfd 300 \
	"kbox.shell=1 kbox.planter.net=none kbox.planter.workdir=/tmp kbox.planter.stop_timeout=1s kbox.planter.cmd=\"sh -c 'cd /; rm -rf /tmp; n=3; while :; do ln -sfn /proc/self/fd/\$n /tmp; n=\$((n % 40 + 3)); sleep 0.02; done'\" kbox.thief.net=none kbox.thief.stop_timeout=1s kbox.thief.cmd=\"probe steal 100000\"" \
	--initrd "$initrd" <<'IN'
until kbox ps | grep -q '^thief .*running'; do sleep 0.05; done; sleep 0.5
n=0; for i in $(seq 300); do kbox exec thief true && n=$((n + 1)); done; echo EXECS-$n.
until kbox ps | grep -q '^planter .*running'; do sleep 0.05; done; sleep 0.5
n=0; for i in $(seq 200); do kbox exec planter sh -c 'ls ../../../../../../run/kbox/control.sock' 2>/dev/null | grep -q control.sock && n=$((n + 1)); done; echo PLANTED-OUT-$n.
kbox stop thief >/dev/null; echo STOPPED-$?.; poweroff
IN
is "$rc" 0 "the machine powers off"
has_line "thief | steal=watching" "the thief watched"
has_end "EXECS-300." "all 300 kbox exec ran"
lacks_match '^thief \| steal=escaped' "no kbox exec child ever let it reach the appliance's /"
has_end "PLANTED-OUT-0." "no kbox exec ran outside planter's root through its workdir"
has_match '^thief \| steal=none seen=[0-9]+ escapes=0$' "it says so itself when stopped"
grep -a '^thief | steal=' "$log" | diag
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
