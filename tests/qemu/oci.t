#!/bin/bash
# kbox as an OCI runtime on cgroup v2 (the guest's): bundles run by kbox-runc's create,
# start, state, kill and delete from the appliance's shell. Memory: a 16M limit kills a
# payload that allocates 64M, and memory.events counts it. pids: a fork loop stops at its
# limit. cpu: cpu.max and cpu.weight written as asked (no timing). Hooks of every kind get
# the state JSON on stdin. Devices: a node from linux.devices, and the cgroup's allowlist
# lets it through and nothing else. One boot.
. "$(dirname "$0")/../lib.sh"
d=$out/tests/oci-qemu
rm -rf "$d" && mkdir -p "$d"

# config NAME ARGS_JSON [EXTRA_LINUX_JSON] [EXTRA_TOP_JSON]: $d/NAME.json, a bundle of the
# guest's busybox tree (/run/oci/rootfs) with /run/oci/out bound on /out, its cgroup
# /ocitest/NAME.
config() {
	cat >"$d/$1.json" <<EOF
{
  "ociVersion": "1.2.0",
  "process": {"user": {"uid": 0, "gid": 0}, "args": $2, "env": ["PATH=/bin"], "cwd": "/",
    "capabilities": {"bounding": ["CAP_KILL", "CAP_MKNOD"], "effective": ["CAP_KILL", "CAP_MKNOD"], "permitted": ["CAP_KILL", "CAP_MKNOD"]}},
  "root": {"path": "/run/oci/rootfs", "readonly": true},
  "hostname": "$1",
  ${4:+$4,}
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/out", "type": "bind", "source": "/run/oci/out", "options": ["rbind", "rw"]}
  ],
  "linux": {
    "cgroupsPath": "/ocitest/$1",
    "namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "cgroup"}]
    ${3:+, $3}
  }
}
EOF
}
allow_all='"resources": {"devices": [{"allow": true, "access": "rwm"}]'
config mem '["sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd-status-$? >/out/mem"]' \
	"$allow_all, \"memory\": {\"limit\": 16777216, \"swap\": 16777216}}"
config pids '["sh", "-c", "sh -c \"while :; do sleep 600 & done\" 2>/dev/null; echo bomb-ended >/out/pids; exec sleep 600"]' \
	"$allow_all, \"pids\": {\"limit\": 20}}"
config cpu '["sh", "-c", "trap \"echo term >/out/cpu-term; exit 0\" TERM; echo up >/out/cpu; while :; do sleep 1 & wait $!; done"]' \
	"$allow_all, \"cpu\": {\"shares\": 1024, \"quota\": 50000, \"period\": 100000}}"
# hook KIND DIR: the hook writes its stdin (the state) to DIR/hook-KIND.json and its name to
# DIR/hook-order. createContainer and startContainer run in the container's mount namespace,
# startContainer after pivot_root, where the guest's /run/oci/out is /out.
hook() {
	printf '"%s": [{"path": "/bin/sh", "args": ["sh", "-c", "cat >%s/hook-%s.json; echo %s >>%s/hook-order"]}]' \
		"$1" "$2" "$1" "$1" "$2"
}
config hooks '["sh", "-c", "echo payload >>/out/hook-order"]' "$allow_all}" \
	"\"hooks\": {$(hook prestart /run/oci/out), $(hook createRuntime /run/oci/out), $(hook createContainer /run/oci/out), $(hook startContainer /out), $(hook poststart /run/oci/out), $(hook poststop /run/oci/out)}"
# Two nodes from linux.devices: c 1:3 on the allowlist, c 1:11 (kmsg, which no default rule
# allows: runc adds /dev/null, zero, full, tty, random, urandom, console, ptmx, pts and tun to
# every list) not on it, so writing to it is refused (opening kmsg to write needs no
# capability). And a write to /dev/full, a default rule's, is allowed (ENOSPC is the device's).
config dev '["sh", "-c", "{ echo x >/dev/kboxnull && echo null-written; echo kbox-oci-test >/dev/kboxkmsg && echo kmsg-written || echo kmsg-denied; echo x >/dev/full || echo full-$?; stat -c \"%F %t:%T %a\" /dev/kboxnull; } >/out/dev 2>&1"]' \
	'"devices": [{"path": "/dev/kboxnull", "type": "c", "major": 1, "minor": 3, "fileMode": 438, "uid": 0, "gid": 0}, {"path": "/dev/kboxkmsg", "type": "c", "major": 1, "minor": 11, "fileMode": 438, "uid": 0, "gid": 0}], "resources": {"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]}'
files=
for n in mem pids cpu hooks dev; do
	files="$files --file $d/$n.json=/etc/oci-$n.json"
done
# shellcheck disable=SC2086
build_initrd oci "build an initramfs with five bundles' config.json" $files

boot_shell oci 300 "kbox.shell=1" --initrd "$initrd" <<'IN'
w() { n=0; until eval "$1"; do n=$((n + 1)); if [ $n -ge 1200 ]; then echo "TIMEOUT-$2."; return 1; fi; sleep 0.1; done; }
mkdir -p /run/oci/rootfs/bin /run/oci/rootfs/proc /run/oci/rootfs/dev /run/oci/rootfs/out /run/oci/out
cp /bin/busybox /run/oci/rootfs/bin/ && /bin/busybox --install -s /run/oci/rootfs/bin
ln -s "$(command -v kbox)" /run/oci/kbox-runc; R=/run/oci/kbox-runc
st() { $R state $1 2>/dev/null | tr -d ' \n' | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'; }
# mk NAME: create the bundle; fails (and the bundle's other steps are skipped) if create did.
mk() { mkdir -p /run/oci/$1 && cp /etc/oci-$1.json /run/oci/$1/config.json && $R create --bundle /run/oci/$1 $1 </dev/null >/run/oci/out/$1.log 2>&1; r=$?; echo CREATE-$1-$r-$(st $1).; [ $r = 0 ] || sed "s/^/CREATE-ERR-$1 /" /run/oci/out/$1.log; return $r; }
go() { $R start $1; echo START-$1-$?.; }
gone() { [ -n "$(st $1)" ] || return; w "[ \"\$(st $1)\" = stopped ]" $1 && $R delete $1; echo DELETE-$1-$?-$([ -d /sys/fs/cgroup/ocitest/$1 ] && echo kept || echo removed).; }
cg=/sys/fs/cgroup/ocitest
mk mem && go mem && w '[ -s /run/oci/out/mem ]' mem-out && w "[ \"\$(st mem)\" = stopped ]" mem
echo MEM-$(cat $cg/mem/memory.max)-$(awk '$1 == "oom_kill" { print ($2 > 0) }' $cg/mem/memory.events)-$(cat /run/oci/out/mem).
gone mem
mk pids && go pids && w '[ -s /run/oci/out/pids ]' pids-out
echo PIDS-$(cat $cg/pids/pids.max)-$(awk '$1 == "max" { print ($2 > 0) }' $cg/pids/pids.events)-$(cat $cg/pids/pids.current)-$(cat /run/oci/out/pids).
$R kill pids KILL; echo KILL-pids-$?.; gone pids
if mk cpu; then
	echo STATE-cpu-$(st cpu)-$($R state cpu | tr -d ' \n' | grep -c '"id":"cpu"').; go cpu && w '[ -s /run/oci/out/cpu ]' cpu-out
	echo CPU-$(st cpu)-$(cat $cg/cpu/cpu.max | tr ' ' _)-$(cat $cg/cpu/cpu.weight).
	$R delete cpu; echo DELETE-RUNNING-cpu-$?.
	$R kill cpu TERM; w "[ \"\$(st cpu)\" = stopped ]" cpu-term; echo TERM-cpu-$(st cpu)-$(cat /run/oci/out/cpu-term).; gone cpu
fi
mk hooks && go hooks && gone hooks
for h in prestart createRuntime createContainer startContainer poststart poststop; do
	f=/run/oci/out/hook-$h.json; j=$(tr -d ' \n' <$f 2>/dev/null)
	echo "HOOK-$h-$(echo "$j" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')-$(echo "$j" | grep -c '"id":"hooks"')-$(echo "$j" | grep -c '"bundle":"/run/oci/hooks"')."
done
echo HOOK-ORDER-$(tr '\n' , </run/oci/out/hook-order).
mk dev && go dev && gone dev
sed 's/^/DEV-OUT /' /run/oci/out/dev
echo CGROUPS-LEFT-$(find $cg -mindepth 1 -type d | wc -l).
poweroff
IN
is "$rc" 0 "the machine powers off cleanly"
for n in mem pids cpu hooks dev; do
	has_end "CREATE-$n-0-created." "create $n: exits 0, state says created"
	has_end "START-$n-0." "start $n"
	has_end "DELETE-$n-0-removed." "delete $n once stopped: its cgroup is removed"
done
has_end "MEM-16777216-1-dd-status-137." \
	"memory.limit 16M: memory.max; a 64M allocation is OOM-killed (SIGKILL, 137), memory.events counts it"
pids=$(sed -n 's/.*PIDS-\([^.]*\)\..*/\1/p' "$log" | tail -n 1)
[[ $pids =~ ^20-1-([0-9]+)-bomb-ended$ ]] && [ "${BASH_REMATCH[1]}" -le 20 ] && [ "${BASH_REMATCH[1]}" -ge 15 ]
ok $? "pids.limit 20: pids.max, forks refused there (pids.events), at most 20 live, the loop ended ($pids)"
has_end "KILL-pids-0." "kill pids KILL"
has_end "STATE-cpu-created-1." "state: the runtime-spec state JSON, its id, created"
has_end "CPU-running-50000_100000-39." \
	"cpu quota 50000, period 100000: cpu.max; shares 1024: cpu.weight 39 (runc's conversion); running"
has_match "DELETE-RUNNING-cpu-[1-9][0-9]*\\." "delete of a running container without --force is refused"
has_end "TERM-cpu-stopped-term." "kill cpu TERM: the payload's trap ran and it went"
declare -A want=([prestart]=creating [createRuntime]=creating [createContainer]=creating
	[startContainer]=created [poststart]=running [poststop]=stopped)
for h in prestart createRuntime createContainer startContainer poststart poststop; do
	has_end "HOOK-$h-${want[$h]}-1-1." "hook $h: the state JSON on its stdin (id, bundle, status ${want[$h]})"
done
order=$(sed -n 's/.*HOOK-ORDER-\([^.]*\)\..*/\1/p' "$log" | tail -n 1)
[[ $order =~ ^(prestart,createRuntime|createRuntime,prestart),createContainer,startContainer,(payload,poststart|poststart,payload),poststop,$ ]]
ok $? "hooks in the spec's order, startContainer before the payload, poststop last ($order)"
has_line "DEV-OUT null-written" "linux.devices: /dev/kboxnull (c 1:3) is made and the allowlist lets it be written"
has_line "DEV-OUT kmsg-denied" "resources.devices: /dev/kboxkmsg (c 1:11) is not on the list: a write to it is refused"
has_match "^DEV-OUT .*/dev/kboxkmsg: Operation not permitted" "with EPERM, the device cgroup's"
has_match "^DEV-OUT .*No space left on device" "/dev/full, which runc's defaults allow, opens (and is full)"
has_line "DEV-OUT character special file 1:3 666" "the node's type, numbers and mode as asked"
has_end "CGROUPS-LEFT-0." "no cgroup is left under /ocitest"
lacks_match 'TIMEOUT-[a-z]' "every wait ended before its bound"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
