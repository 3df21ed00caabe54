#!/bin/bash
# Isolation, from inside the containers: capabilities, no_new_privs, seccomp, masked and
# read-only paths, read-only roots, tmpfs and binds (symlinks resolved inside the root),
# users and rlimits, and cgroup limits: an OOM kill next to a neighbour that carries on,
# pids.max, cpu.max, and a limit the machine cannot give.
. "$(dirname "$0")/../lib.sh"
conf=$top/tests/qemu/conf/isolation
build_initrd isolation "build an initramfs with the isolation specs and the probe" \
	--conf "$conf" --image escape="$top/tests/qemu/images/escape" \
	--file "$out/probe=/images/busybox/bin/probe" --file "$out/probe=/images/escape/bin/probe" \
	--file "$conf/deny-mkdir.seccomp=/etc/kbox/deny-mkdir.seccomp"

boot isolation 120 "kbox.exit=poweroff" --initrd "$initrd"
is "$rc" 0 "the machine powers off cleanly after all of it"

# Docker's default set less net_raw (as podman): chown dac_override fowner fsetid kill
# setgid setuid setpcap net_bind_service sys_chroot mknod audit_write setfcap.
for set in CapPrm CapEff CapBnd; do
	has_line "defaults | $set:	00000000a80405fb" "$set is Docker's default set less NET_RAW"
done
has_line "defaults | CapInh:	0000000000000000" "nothing inheritable"
has_line "defaults | CapAmb:	0000000000000000" "nothing ambient"
has_line "defaults | NoNewPrivs:	1" "no_new_privs is on"
has_line "defaults | Seccomp:	2" "a seccomp filter is on"
has_line "capsmod | CapEff:	00000000a00415fa" "caps_add=NET_ADMIN, caps_drop=CHOWN,cap_mknod"
has_line "capsmod | CapBnd:	00000000a00415fa" "the bounding set follows"

for call in mount umount unshare setns clone_newuser clone_newns keyctl add_key request_key \
	bpf reboot pivot_root perf_event_open userfaultfd kexec_load init_module swapon \
	open_by_handle_at clock_settime; do
	has_line "denied | $call=EPERM" "$call is denied with EPERM"
done
has_line "unconfined | Seccomp:	0" "seccomp=unconfined loads no filter"
lacks_match "^unconfined \| keyctl=EPERM" "unconfined: keyctl is no longer refused"
has_line "unconfined | mount=EPERM" "unconfined: mount still needs CAP_SYS_ADMIN"
has_line "profile | mkdir: can't create directory '/newdir': Operation not permitted" \
	"seccomp=FILE: the profile's deny rule holds"

has_line "masked | kcore=0 keys=0 firmware=0" "/proc/kcore, /proc/keys and /sys/firmware are masked"
has_line "masked | sysrq-ro" "/proc/sysrq-trigger is read-only"
has_line "masked | sys-ro" "/proc/sys is read-only"
has_line "masked | sysfs-ro" "/sys is read-only"
has_line "masked | console -> /proc/self/fd/2" "/dev/console leads to the container's own log"

has_line "rootro | root-ro" "readonly=true: the root cannot be written"
has_line "rootro | data" "tmpfs=/scratch:1M is writable"
has_line "rootro | size=1024k" "with the size asked for"

has_match "^nobody \| uid=65534\(nobody\) gid=65534\(nogroup\)" "user=nobody is resolved in the image"
has_line "nobody | CapEff:	0000000000000000" "a non-root user keeps no effective capability"
has_line "nobody | nofile=1024:4096" "rlimit_nofile=1024:4096"

has_line "kbox: oom: killed by the OOM killer (memory.max 16M)" "an OOM kill is reported with the limit"
has_line "kbox: summary: oom: killed by the OOM killer" "and in the summary"
has_line "neighbour | still-here" "the neighbour kept running"
procs=$(sed -n 's/^pids | procs=//p' "$log")
cmp_ok "$procs" -le 20 "pids=20 stops a fork loop at the limit ($procs processes)"
used=$(awk '/^cpu \| (user|sys) / { t += $4 } END { print t + 0 }' "$log")
# Under TCG the guest's clock is the host's: a loaded host gives both loops less CPU, so
# only the upper bound is a time, and the kernel's own throttle count tells them apart.
awk -v t="$used" 'BEGIN { exit !(t <= 1.65) }'
ok $? "cpus=0.5: the busy loop got at most 55% of 3 s (${used} s)"
has_line "cpu | max=50000 100000" "cpus=0.5 is cpu.max 50000 100000"
thr=$(sed -n 's/^cpu | nr_throttled //p' "$log")
cmp_ok "$thr" -gt 0 "and the kernel throttled it ($thr periods)"
has_line "cpufree | max=max 100000" "without cpus, cpu.max is max"
has_line "cpufree | nr_throttled 0" "and the same loop is never throttled"
has_line "kbox: badlimit: cpus: 64 is more than the 2 CPUs available" "an impossible limit is refused with a reason"
has_line "kbox: summary: badlimit: not started: its setup failed" "and that container does not run"

has_line "escape | passwd=$(wc -c <"$top/initramfs/passwd")" \
	"a bind through a symlink out of the root lands inside the root"
has_line "bindok | /mnt/conf/bindok.conf" "bind=/etc/kbox:/mnt/conf:ro shows the appliance's files"
has_line "bindok | bind-ro" "and is read-only"
# The initial time namespace has a fixed inode number (PROC_TIME_INIT_INO).
init='time:[4026531834]'
own=$(sed -n 's/^timens | time=//p' "$log")
shared=$(sed -n 's/^notimens | time=//p' "$log")
is "$shared" "$init" "without timens a container shares PID 1's time namespace"
[ -n "$own" ] && [ "$own" != "$init" ]
ok $? "timens=true gives it one of its own ($own)"
has_line "devices | mknod: /tmp/sda: Operation not permitted" "no block device can be made, CAP_MKNOD or not"
has_line "devices | mknod: /tmp/tty0: Operation not permitted" "nor a character device off the allowlist"
has_line "devices | mknod-null-ok" "an allowlisted one can be made and used"
has_line "devices | mknod-pts-ok" "as can a pts node"
has_line "devices | zero=4" "/dev/zero reads"
for node in null zero full random urandom tty; do
	has_line "devmodes | /dev/$node crw-rw-rw-" "/dev/$node is 0666"
done
for c in devuser devuserns; do
	for node in null zero full random urandom; do
		has_line "$c | $node=OK" "$c: user=1000 can use /dev/$node"
	done
	has_line "$c | tty=ENXIO" "$c: and open /dev/tty (no controlling terminal: ENXIO, not EACCES)"
done
has_line "exe | /memfd:kbox (deleted)" "PID 1 runs from a memfd copy of kbox, not from its file"
has_line "exe | seals=seal,shrink,grow,write" "sealed against writes for good"
has_match "^exe \| sh: can't (create|open) /proc/1/exe: " "a container that reaches it cannot write it"
has_match "^nethost \\| links=eth0 .*kbox0 lo$" "net=host: the appliance's links (eth0, the bridge and its veths)"
has_line "netnone | links=lo ttl=64" "net=none: lo only, in a namespace of its own"
has_line "sysctl | ttl=42 shmmni=100" "sysctl= sets namespaced sysctls in the container (64 elsewhere)"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
