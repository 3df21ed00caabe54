#!/bin/bash
# Limits: ids out of range never run; a default pids.max holds a fork storm to its own
# container; a container that fills its writable layer fills only its own tmpfs. One boot.
. "$(dirname "$0")/../lib.sh"
build_initrd limits "build an initramfs with the limits specs" --conf "$top/tests/qemu/conf/limits"

boot_shell limits 300 \
	"kbox.wrapcmd.user=4294967296 kbox.wrapcmd.cmd=\"echo ran-as-root\"" --initrd "$initrd" <<'IN'
w() { n=0; until eval "$1"; do n=$((n + 1)); if [ $n -ge 1200 ]; then echo "TIMEOUT-$2."; return 1; fi; sleep 0.1; done; }
cg=/sys/fs/cgroup/kbox; logs=/run/kbox/logs
w 'grep -q storm-full $logs/storm.log 2>/dev/null' storm
echo STORM-$(cat $cg/storm/pids.max)-$(awk '$1 == "max" { print ($2 > 0) }' $cg/storm/pids.events)-$(cat $cg/storm/pids.current).
echo PIDS-MAX-$(cat $cg/calm/pids.max)-$(cat $cg/free/pids.max)-$(cat $cg/twenty/pids.max).
kbox exec calm sh -c 'n=0; for i in $(seq 50); do (true) && n=$((n + 1)); done; echo CALM-FORKED-$n-OF-50.'
k=0; for i in $(seq 50); do (true) && k=$((k + 1)); done; echo APPLIANCE-FORKED-$k-OF-50.
w 'grep -q filler-done $logs/filler.log 2>/dev/null' filler
a=$(grep -c tick $logs/writer.log); w '[ $(grep -c tick $logs/writer.log) -ge $((a + 3)) ]' writer && echo WRITER-LOG-GOES-ON.
dd if=/dev/zero of=/run/room bs=1M count=16 2>/dev/null && echo RUN-HAS-ROOM.; rm -f /run/room
echo LAYER-$(grep -c '^kbox-layer /run/kbox/[a-z]*/layer tmpfs' /proc/mounts).
w 'grep -q KEPT $logs/keeper.log 2>/dev/null' keeper
poweroff
IN
is "$rc" 0 "the machine powers off cleanly"

# Ids: each refused with the key and the range, and its container never runs.
for c in wrap32:4294967296 wrapm1:4294967295 wrapbig:99999999999 wrapcmd:4294967296; do
	name=${c%:*} uid=${c#*:}
	has_match "^kbox: $name: user: '$uid' is out of range \\(0\\.\\.4294967294\\) \\((/etc/kbox/$name.conf:[0-9]+|cmdline)\\)$" \
		"user=$uid is refused for $name, naming the key and the range"
	lacks_match "^$name \\|" "and $name never ran"
done

# pids: a default, a storm held at it, and forks beside it that all succeed.
has_end "PIDS-MAX-1024-max-20." "a default container's pids.max is 1024; pids=max lifts it, pids=20 sets it"
storm=$(sed -n 's/.*STORM-\([^.]*\)\..*/\1/p' "$log" | tail -n 1)
[[ $storm == 1024-1-* ]]
ok $? "the storm reached its pids.max of 1024 and was refused forks there ($storm: max, refused, current)"
has_end "CALM-FORKED-50-OF-50." "a container beside the storm forked 50 times out of 50"
has_end "APPLIANCE-FORKED-50-OF-50." "so did the appliance's shell"

# The writable layer: its own tmpfs, full at its own size.
has_match "^filler \\| (overlay|kbox-layer) +65536 " "a default container's root holds 64M (df /)"
has_line "filler | dd: error writing '/fill': No space left on device" "filler writes until ENOSPC"
has_end "WRITER-LOG-GOES-ON." "while filler is full, writer's log file goes on"
has_end "RUN-HAS-ROOM." "and the appliance's /run still has room (16M written)"
lacks_match "cannot write its log file" "no container lost its log file"
has_line "ro | Read-only" "readonly=true: the root is still read-only"
has_line "keeper | FIRST-0" "userns=0:100000:65536 on a 4M layer: the image is root's inside"
has_match "^keeper \\| KEPT-0-0-4096$" \
	"after a restart its layer is kept, at 4M, with its owners shifted once"
lacks_match 'TIMEOUT-[a-z]' "every wait ended before its bound"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
