#!/bin/bash
# Shutdown: busybox's halt, poweroff and reboot, SIGPWR and ctrl-alt-del (SIGINT) each stop
# the containers in order before the machine goes down; kbox.exit; the console shell.
. "$(dirname "$0")/../lib.sh"

initrd=$out/tests/shutdown.cpio
"$top/initramfs/build" --conf "$top/tests/qemu/conf/shutdown" -o "$initrd"
ok $? "build an initramfs with /etc/kbox/svc.conf"

# The signaller shares PID 1's pid namespace and waits until svc has trapped SIGTERM.
wait_svc='until ps -o args | grep -q ^sleep.424[2]; do sleep 0.05; done'

#    name      command       exit  what kbox says
for case in "halt      halt          3     SIGUSR1: halt" \
	"poweroff  poweroff      0     SIGUSR2: poweroff" \
	"reboot    reboot        2     SIGTERM: reboot" \
	"sigpwr    kill.-PWR.1   0     SIGPWR: poweroff" \
	"cad       kill.-INT.1   2     ctrl-alt-del: reboot"; do
	read -r name cmd want said <<<"$case"
	cmd=${cmd//./ }
	boot "$name" 60 "kbox.sig.pid=host kbox.sig.cmd=\"sh -c '$wait_svc; $cmd'\"" --initrd "$initrd"
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
input=$out/tests/shell.input
# From the appliance's side, the shell also checks where a container's writes went. The
# console echoes what is typed: the expected output must not end any typed line.
printf '%s\n' 'while ps -o args | grep -q ^sleep.0.[5]; do sleep 0.05; done; sleep 1' \
	'echo SHELL-$((6 * 7)) on $(hostname)' \
	'until [ -e /run/kbox/writer/upper/etc/written ]; do sleep 0.05; done' \
	'echo IMAGE-$([ -e /images/busybox/etc/written ] && echo CHANGED || echo CLEAN).' \
	'echo PASSWD-$([ -f /images/busybox/etc/passwd ] && echo KEPT || echo GONE).' \
	'echo UPPER-HAS-$(cat /run/kbox/writer/upper/etc/written)' 'poweroff' >"$input"
BOOT_INPUT=$input BOOT_WHEN="Enter 'help'" \
	boot shell 60 "kbox.shell=1 kbox.hostname=appliance kbox.hello.cmd=\"sleep 0.5\"
 kbox.writer.cmd=\"sh -c 'rm /etc/passwd; echo written >/etc/written.tmp; mv /etc/written.tmp /etc/written'\""
is "$rc" 0 "the shell's poweroff powers off"
has_end "SHELL-42 on appliance" "kbox.shell=1 runs a shell on the console; kbox.hostname is set"
# The shell's prompt shares the console: kbox's lines may follow it on the same line.
has_end "kbox: hello: exited with status 0" "the container exited first"
lacks_match 'no container left running' "kbox.exit=stay does not act when the last container exits"
has_end "kbox: SIGUSR2: poweroff, stopping containers" "the shell's poweroff reached PID 1"
has_end "UPPER-HAS-written" "a container's writes land in its upper layer"
has_end "IMAGE-CLEAN." "and not in the image"
has_end "PASSWD-KEPT." "a file the container deleted is still in the image"
done_testing
