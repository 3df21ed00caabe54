#!/bin/bash
# Shutdown: busybox's halt, poweroff and reboot, SIGPWR and ctrl-alt-del (SIGINT) each stop
# the containers in order before the machine goes down; kbox.exit; the console shell.
. "$(dirname "$0")/../lib.sh"

build_initrd shutdown "build an initramfs with /etc/kbox/svc.conf" \
	--conf "$top/tests/qemu/conf/shutdown"
# KBOX_BIN: the cases below with another kbox (the one before a fix, to see them fail).
[ -z "${KBOX_BIN:-}" ] || "$top/initramfs/build" --kbox "$KBOX_BIN" -o "$out/tests/frozen.cpio" ||
	ok 1 "build frozen.cpio with $KBOX_BIN"

# The signaller shares PID 1's pid namespace and waits until svc has trapped SIGTERM; it
# holds CAP_SYS_BOOT, without which a container's signals cannot shut the appliance down
# (escape.t: sigpid1).
wait_svc='until ps -o args | grep -q ^sleep.424[2]; do sleep 0.05; done'

#    name      command       exit  what kbox says
for case in "halt      halt          3     SIGUSR1: halt" \
	"poweroff  poweroff      0     SIGUSR2: poweroff" \
	"reboot    reboot        2     SIGTERM: reboot" \
	"sigpwr    kill.-PWR.1   0     SIGPWR: poweroff" \
	"cad       kill.-INT.1   2     ctrl-alt-del: reboot"; do
	read -r name cmd want said <<<"$case"
	cmd=${cmd//./ }
	boot "$name" 60 "kbox.sig.pid=host kbox.sig.caps_add=SYS_BOOT kbox.sig.cmd=\"sh -c '$wait_svc; $cmd'\"" --initrd "$initrd"
	is "$rc" "$want" "$name: qemu/run exits $want"
	has_line "svc | up" "$name: the /etc/kbox container ran"
	before "kbox: $said, stopping containers" "svc | stopping" "$name: kbox says why and stops containers"
	before "svc | stopping" "kbox: svc: exited with status 0" "$name: svc got SIGTERM and exited 0"
	before "kbox: svc: exited with status 0" "kbox: reaped 0 orphans; ${said#*: }" \
		"$name: the machine goes down only after the containers stopped"
	lacks_match 'still running after' "$name: no container needed killing"
done

boot exit-reboot 60 "kbox.a.cmd=true kbox.exit=reboot"
is "$rc" 2 "kbox.exit=reboot reboots when no container is left"
has_line "kbox: no container left running: reboot, stopping containers" "and says why"

# kbox.exit=stay (the default) leaves the machine up; the console shell powers it off once
# the container is gone, and its own output shows it ran.
# From the appliance's side, the shell also checks where a container's writes went. The
# console echoes what is typed: the expected output must not end any typed line.
boot_shell shell 60 "kbox.shell=1 kbox.hostname=appliance kbox.hello.cmd=\"sleep 0.5\"
 kbox.writer.cmd=\"sh -c 'rm /etc/passwd; echo written >/etc/written.tmp; mv /etc/written.tmp /etc/written'\"" \
	< <(printf '%s\n' 'while ps -o args | grep -q ^sleep.0.[5]; do sleep 0.05; done; sleep 1' \
	'echo SHELL-$((6 * 7)) on $(hostname)' \
	'kin() { for f in /proc/1/fd/*; do l=$(readlink $f); case $l in mnt:*) [ "$l" = "$(readlink /proc/1/ns/mnt)" ] || { nsenter --mount=$f "$@"; return; } ;; esac; done; return 1; }' \
	'until kin test -e /run/kbox/writer/upper/etc/written; do sleep 0.05; done' \
	'echo IMAGE-$([ -e /images/busybox/etc/written ] && echo CHANGED || echo CLEAN).' \
	'echo PASSWD-$([ -f /images/busybox/etc/passwd ] && echo KEPT || echo GONE).' \
	'echo UPPER-HAS-$(kin cat /run/kbox/writer/upper/etc/written)' 'poweroff')
is "$rc" 0 "the shell's poweroff powers off"
has_end "SHELL-42 on appliance" "kbox.shell=1 runs a shell on the console; kbox.hostname is set"
# The shell's prompt shares the console: kbox's lines may follow it on the same line.
has_end "kbox: hello: exited with status 0" "the container exited first"
lacks_match 'no container left running' "kbox.exit=stay does not act when the last container exits"
has_end "kbox: SIGUSR2: poweroff, stopping containers" "the shell's poweroff reached PID 1"
has_end "UPPER-HAS-written" "a container's writes land in its upper layer"
has_end "IMAGE-CLEAN." "and not in the image"
has_end "PASSWD-KEPT." "a file the container deleted is still in the image"
# Once shutdown has begun nothing starts: kbox start and restart are refused, pending
# restarts and after= waits are called off. A container whose exit cannot complete (a
# zombie in its pid namespace whose parent, outside, never reaps it: what a process in D
# state does to a shutdown) is named 2 s after its SIGKILL and the shutdown goes on.
build_initrd going-down "build an initramfs with containers that misbehave at shutdown" \
	--conf "$top/tests/qemu/conf/going-down" ${KBOX_BIN:+--kbox "$KBOX_BIN"}
boot_shell going-down 120 "" --initrd "$initrd" <<'IN'
until kbox ps | awk '$1 == "crashy" && $5 >= 3 { f = 1 } END { exit !f }'; do sleep 0.05; done
kbox ps | awk '$1 ~ /^(gate|waiter)$/ { print "BEFORE-" $1 "-" $2 "." }'
nsenter -t $(kbox ps | awk '$1 == "stuck" { print $3 }') -p -F sh -c 'sleep 100000 & trap "" TERM; exec sleep 100001' &
until ps -o args | grep -q '^sleep 10000[0]$'; do sleep 0.05; done
kbox poweroff
until [ -e /tmp/stopping ]; do sleep 0.05; done
kbox start idle; echo START-RC-$?.
kbox restart idle; echo RESTART-RC-$?.
kbox restart stuck; echo RESTART-STUCK-RC-$?.
touch /tmp/go
IN
is "$rc" 0 "the machine powers off, whatever is stuck"
has_end "BEFORE-gate-restarting." "gate's image is missing: it restarts"
has_end "BEFORE-waiter-waiting." "waiter waits for it"
has_end "kbox: kbox poweroff: poweroff, stopping containers" "kbox poweroff begins the shutdown"
has_end "kbox: idle: not started: the machine is going down" "kbox start during shutdown is refused"
has_end "START-RC-1." "with status 1"
has_end "kbox: idle: not restarted: the machine is going down" "so is kbox restart"
has_end "RESTART-RC-1." "with status 1"
has_end "kbox: stuck: not restarted: the machine is going down" "of a running container too"
has_end "RESTART-STUCK-RC-1." "with status 1"
has_match "^kbox: (crashy|gate): restart [0-9]+ called off: the machine is going down$" \
	"pending restarts are called off"
has_line "kbox: summary: waiter: not started: the machine went down first" \
	"and so is the wait for after="
# A start is one step (image, clone) but its "started" comes with the child's report: one
# begun just before the shutdown may say so after it (crashy's, seen under load). Such a
# container had no restart to call off, and it gets no other start.
down=$(grep -n 'stopping containers$' "$log" | head -n1 | cut -d: -f1)
late=$(awk -v d="$down" 'NR <= d { next }
	match($0, /^kbox: [a-z0-9]+: /) { n = substr($0, 7, RLENGTH - 8) }
	/^kbox: [a-z0-9]+: restart [0-9]+ called off/ { off[n] = 1 }
	/^kbox: [a-z0-9]+: (image: |restart [0-9]+ in )/ { print }
	/^kbox: [a-z0-9]+: started/ && (off[n] || seen[n]++) { print }' "$log")
[ -n "$down" ] && [ -z "$late" ]
ok $? "nothing starts, nor tries to, once shutdown has begun" || echo "$late" | diag
has_end "kbox: stuck: still running 0.500 s after SIGTERM, killing it" "stuck is killed"
has_match "kbox: stuck: pid [0-9]+ \(sh\) still there 2.000 s after SIGKILL, in state .; the shutdown goes on without it$" \
	"and named when it outlives the kill"
has_match "^kbox: reaped [0-9]+ orphans; poweroff$" "the shutdown ends"
lacks_match 'waiter-ran' "waiter never ran"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
# Processes that SIGKILL cannot end: frozen in a cgroup v1 freezer, they stay until thawed
# (as in D state): a sleep of the shell's and the container ice's PID 1. kbox stop of ice
# answers 2 s after its SIGKILL; at shutdown ice is passed over, the stragglers' wait is
# bounded (2 s after SIGTERM, SIGKILL; 2 s later), what is left is named, and the machine
# powers off all the same.
boot_shell frozen 60 \
	"kbox.shell=1 kbox.ice.net=none kbox.ice.stop_timeout=500ms kbox.ice.cmd=\"sleep 100000\"" \
	${KBOX_BIN:+--initrd "$out/tests/frozen.cpio"} <<'IN'
mkdir /tmp/fz && mount -t cgroup -o freezer freezer /tmp/fz && mkdir /tmp/fz/ice
sleep 100000 & echo $! >/tmp/fz/ice/tasks
until kbox ps | grep -q '^ice .*running'; do sleep 0.05; done; kbox ps | awk '$1 == "ice" { print $3 }' >/tmp/fz/ice/tasks
echo FROZEN >/tmp/fz/ice/freezer.state
until grep -qx FROZEN /tmp/fz/ice/freezer.state; do sleep 0.05; done; echo ICE-$(cat /tmp/fz/ice/tasks | wc -l)-$(cat /tmp/fz/ice/freezer.state).
kbox stop ice; echo STOP-ICE-RC-$?.
poweroff
IN
is "$rc" 0 "processes SIGKILL cannot end do not keep the machine up"
has_end "ICE-2-FROZEN." "a sleep and ice's PID 1 are frozen"
has_end "kbox: ice: still running 0.500 s after SIGTERM, killing it" "kbox stop kills ice"
has_match "kbox: ice: pid [0-9]+ \(sleep\) still there 2.000 s after SIGKILL, in state D$" \
	"and says when it outlives the kill"
has_end "STOP-ICE-RC-1." "kbox stop answers then, with status 1"
is "$(grep -ac 'kbox: shutdown: pid [0-9]* (sleep) still there after SIGKILL, in state D$' "$log")" 2 \
	"at shutdown both are named"
has_match "kbox: shutdown: going down without waiting for them$" "and left behind"
has_match "kbox: summary: ice: pid [0-9]+ still there after SIGKILL$" "the summary says so"
has_match "kbox: reaped [0-9]+ orphans; poweroff$" "the machine powers off"
done_testing
