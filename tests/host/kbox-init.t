#!/bin/bash
# kbox-init on its own, as tini is used: PID 1 of a pid namespace that runs a command,
# reaps every orphan, passes signals on and exits with the command's status.
. "$(dirname "$0")/../lib.sh"
init=$out/tests/kbox-init
ln -sfn "$out/kbox" "$init"
pid1() { unshare --fork --pid --mount-proc "$init" "$@"; }

pid1 -- sh -c 'exit 3'
is $? 3 "the command's exit status is kbox-init's"
pid1 sh -c 'kill -KILL $$'
is $? 137 "killed by a signal: 128 + the signal"
# 200 orphans, each exited: once they are gone, only kbox-init, sh and ps are left.
left=$(pid1 sh -c 'i=0; while [ $i -lt 200 ]; do (sleep 0 &); i=$((i + 1)); done
	n=0; while ps -o stat= | grep -q Z && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
	ps -o comm= | sort | tr "\n" " "')
is "$left" "kbox-init ps sh sort tr " "200 orphans reaped, none left a zombie"
fifo=$out/tests/kbox-init.fifo
rm -f "$fifo" && mkfifo "$fifo"
pid1 sh -c 'trap "echo got-TERM; exit 5" TERM; echo up; while :; do sleep 0.01; done' >"$fifo" &
runner=$!
exec 3<"$fifo"
read -r line <&3
kill -TERM "$(pgrep -n -x kbox-init)"
read -r line <&3
wait $runner
is "$line:$?" "got-TERM:5" "SIGTERM to kbox-init reaches the command"
exec 3<&-
rm -f "$fifo"
msg=$("$init" /nope 2>&1)
is "$?:$msg" "127:kbox-init: exec '/nope': No such file or directory" "a missing command: 127, and why"
msg=$("$init" 2>&1)
is "$?:$msg" "2:usage: kbox-init CMD [ARG...]" "no command: usage, 2"
done_testing
