#!/bin/bash
# A bundle's cgroup on cgroup v2 with every controller (the guest), through
# runtime/cgroup_oci.c driven by tests/host/cgodrive (static, in the initramfs): linux.resources
# as v2 files (runc's conversions), the OOM killer and pids.max at work, the device program,
# the freezer, cgroup.kill, removal, and refusals that leave nothing behind.
. "$(dirname "$0")/../lib.sh"
drv=$out/tests/cgodrive-musl
[ -x "$drv" ] || { echo "Bail out! no $drv (make $drv)"; exit 1; }
build_initrd oci-cgroup "build an initramfs with cgodrive" --file "$drv=/bin/cgodrive"

boot_shell oci-cgroup 120 "kbox.shell=1" --initrd "$initrd" <<'IN'
D=/bin/cgodrive; C=/sys/fs/cgroup; G=$C/kbox-oci/g1
echo "UNIFIED: $($D unified)"
$D create g1 /kbox-oci/g1 limit=67108864 reservation=33554432 shares=1024 quota=50000 period=100000 pids=20 cpus=0 mems=0 dev=deny:a:-1:-1:rwm dev=allow:c:4:1:r >/dev/null; echo "CREATE-RC: $?"
for f in memory.max memory.low cpu.weight cpu.max pids.max cpuset.cpus cpuset.mems; do echo "FILE: $f=$(cat $G/$f)"; done
echo "SUBTREE: $(cat $C/kbox-oci/cgroup.subtree_control)"
$D join /kbox-oci/g1 cat /proc/self/cgroup | sed 's/^/JOINED: /'
mknod /dev/oci-disk b 8 0; mknod /dev/oci-tty4 c 4 1; mknod /dev/oci-null c 1 3
$D join /kbox-oci/g1 sh -c ': </dev/oci-disk' 2>&1 | sed 's/.*: /DISK: /'
$D join /kbox-oci/g1 sh -c ': </dev/oci-null && echo NULL-READ-OK'
$D join /kbox-oci/g1 sh -c ': </dev/oci-tty4 && echo ok' 2>&1 | sed 's/.*: //; s/^/TTY-READ: /'
$D join /kbox-oci/g1 sh -c 'echo >/dev/oci-tty4' 2>&1 | sed 's/.*: /TTY-WRITE: /'
$D join /kbox-oci/g1 sh -c 'x=$(head -c 200000000 /dev/zero | tr "\000" x); echo OOM-SURVIVED'; echo "OOM-RC: $?"
echo "OOM-KILLS: $(sed -n 's/^oom_kill //p' $G/memory.events)"
$D join /kbox-oci/g1 sh -c 'i=0; while [ $i -lt 40 ]; do sleep 2 & i=$((i + 1)); done 2>&1 | head -1 | sed "s/.*: /FORK: /"; echo FORKS-DONE'
$D join /kbox-oci/g1 sh -c 'while :; do :; done' & busy=$!
until grep -qx $busy $G/cgroup.procs; do sleep 0.05; done
$D freeze /kbox-oci/g1; echo "FREEZE-RC: $?"
echo "EVENTS: $(grep frozen $G/cgroup.events)"; echo "STATE: $($D frozen /kbox-oci/g1)"
a=$(sed -n 's/^usage_usec //p' $G/cpu.stat); for i in 1 2 3 4 5; do $D pids /kbox-oci/g1 >/dev/null; done; b=$(sed -n 's/^usage_usec //p' $G/cpu.stat)
[ "$a" = "$b" ] && echo FROZEN-STILL
$D thaw /kbox-oci/g1; echo "THAW-RC: $?"; echo "STATE2: $($D frozen /kbox-oci/g1)"
$D kill /kbox-oci/g1 9; echo "KILL-RC: $?"; wait $busy; echo "BUSY-RC: $?"
$D remove /kbox-oci/g1; echo "REMOVE-RC: $?"; [ -d $G ] || echo REMOVED
$D create g2 /kbox-oci/g2 limit=67108864 swap=134217728 >/dev/null 2>&1; echo "SWAP-RC: $?"; [ -f $C/kbox-oci/g2/memory.swap.max ] && echo "SWAP: $(cat $C/kbox-oci/g2/memory.swap.max)"; $D remove /kbox-oci/g2
$D create g3 /kbox-oci/g3 blkio=500 2>&1 >/dev/null | sed 's/^/BLKIO: /'; [ -d $C/kbox-oci/g3 ] && echo "IO: $(cat $C/kbox-oci/g3/io.weight $C/kbox-oci/g3/io.bfq.weight 2>/dev/null | head -1)"; $D remove /kbox-oci/g3
$D create g4 /kbox-oci-new/g4 cpus=99 2>&1 | sed 's/^/CPUS: /'; [ -e $C/kbox-oci-new ] || echo CPUS-NOTHING-LEFT
$D create g5 /kbox-oci/g5 unified=cgroup.procs=1 2>&1 | sed 's/^/PROCS: /'; [ -e $C/kbox-oci/g5 ] || echo PROCS-NOTHING-LEFT
$D create g6 /kbox-oci/g6 unified=memory.high=204800000 >/dev/null; echo "HIGH: $(cat $C/kbox-oci/g6/memory.high)"; $D remove /kbox-oci/g6
$D create g7 /kbox-oci/g7 limit=1 2>&1 | sed 's/^/TINY: /'
$D create g8 /kbox-oci/g8 shares=2 pids=0 quota=-1 period=50000 >/dev/null; echo "MIN: $(cat $C/kbox-oci/g8/cpu.weight) $(cat $C/kbox-oci/g8/pids.max) $(cat $C/kbox-oci/g8/cpu.max)"; $D remove /kbox-oci/g8
$D create g9 /kbox-oci/g9 shares=262144 >/dev/null; echo "MAX: $(cat $C/kbox-oci/g9/cpu.weight)"; $D remove /kbox-oci/g9
echo "LEFT: $(ls -d $C/kbox-oci/*/ 2>/dev/null | wc -l)"
kbox poweroff
IN
is "$rc" 0 "the machine powers off"
has_line "UNIFIED: v2" "the guest is cgroup v2"
has_line "CREATE-RC: 0" "create with memory, cpu, pids, cpuset and device rules"
has_line "FILE: memory.max=67108864" "memory.limit: memory.max"
has_line "FILE: memory.low=33554432" "memory.reservation: memory.low"
has_line "FILE: cpu.weight=39" "cpu.shares 1024: cpu.weight 39 (runc's conversion)"
has_line "FILE: cpu.max=50000 100000" "cpu quota and period: cpu.max"
has_line "FILE: pids.max=20" "pids.limit: pids.max"
has_line "FILE: cpuset.cpus=0" "cpuset.cpus"
has_line "FILE: cpuset.mems=0" "cpuset.mems"
has_match "^SUBTREE: .*memory.*pids" "the parent hands its controllers down"
has_line "JOINED: 0::/kbox-oci/g1" "cgo_join: the process is in the leaf"
has_line "DISK: Operation not permitted" "the device program refuses a disk"
has_line "NULL-READ-OK" "kbox's allowlist: null can be read"
# No VT in the guest: past the cgroup, the tty driver answers ENXIO.
has_match "^TTY-READ: (ok|No such device or address)$" "the rule's c 4:1 r: past the device program"
has_line "TTY-WRITE: Operation not permitted" "c 4:1 r: not written"
lacks_match "^OOM-SURVIVED" "200 MB in a 64 MB cgroup: the OOM killer"
has_match "^OOM-KILLS: [1-9]" "memory.events counts the kill"
has_match "^FORK: .*(fork|Resource temporarily unavailable)" "pids.max 20: the 21st fork fails"
has_line "FREEZE-RC: 0" "pause"
has_line "EVENTS: frozen 1" "cgroup.events frozen 1 once cgo_freeze returns"
has_line "STATE: paused" "cgo_frozen: paused"
has_line "FROZEN-STILL" "paused: cpu.stat usage_usec does not grow"
has_line "THAW-RC: 0" "resume"
has_line "STATE2: running" "cgo_frozen: running"
has_line "KILL-RC: 0" "kill --all (cgroup.kill)"
has_line "BUSY-RC: 137" "the busy child died of SIGKILL"
has_line "REMOVE-RC: 0" "cgo_remove"
has_line "REMOVED" "the leaf is gone"
has_match "^(SWAP: 67108864|SWAP-RC: 1)$" "memory.swap: swap less the limit, or refused without swap accounting"
has_match "^(BLKIO: .*blockIO.weight.*|IO: (default 4950|500))$" "blockIO.weight: io.weight (converted) or io.bfq.weight, or a clear refusal"
has_match "^CPUS: kbox: g4: linux.resources.cpu.cpus: cannot write '99' to cpuset.cpus: " "the kernel's refusal names the key and the file"
has_line "CPUS-NOTHING-LEFT" "and the parent made for it is gone"
has_match "^PROCS: kbox: g5: linux.resources.unified: 'cgroup.procs' moves processes" "unified cgroup.procs: refused"
has_line "PROCS-NOTHING-LEFT" "and nothing made"
has_line "HIGH: 204800000" "unified memory.high written as is"
has_match "^TINY: kbox: g7: linux.resources.memory.limit: below 1 MiB" "memory 1 byte: refused"
has_line "MIN: 1 max max 50000" "shares 2: weight 1; pids 0: max; quota -1: max PERIOD"
has_line "MAX: 10000" "shares 262144: weight 10000"
has_line "LEFT: 0" "nothing left under /kbox-oci"
done_testing
