#!/bin/bash
# A bundle's cgroup on this cgroup v1 (hybrid) host, through runtime/cgroup_oci.c driven by
# tests/host/cgodrive: the files linux.resources becomes, the device rules against real
# nodes, the freezer, kill of everything in it, removal, and hostile paths and values,
# each failure leaving nothing behind.
. "$(dirname "$0")/../lib.sh"
host_lock "$@"
drv=$out/tests/cgodrive
[ -x "$drv" ] || { echo "Bail out! no $drv (make out/tests/cgodrive)"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
if [ "$("$drv" unified)" != v1 ]; then
	echo "1..0 # SKIP not a cgroup v1 host (cgroup v2 is tests/qemu/oci.t's)"
	exit 0
fi
cg=/sys/fs/cgroup
top_cg=kbox-oci-t$$ # a parent of our own: what a failure must take back is all ours
tmp=$(mktemp -d "$out/tests/oci-cgroup.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for d in "$cg"/*/"$top_cg"; do [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
# left PATH: the hierarchies that still hold PATH (relative to their roots), or nothing.
left() { for d in "$cg"/*/"$1"; do [ -d "$d" ] && echo "${d#"$cg"/}"; done; }
file() { tr '\n' ' ' <"$cg/$1" | sed 's/ $//'; }

# ---- paths ----
is "$("$drv" path - web)" /kbox-oci/web "no cgroupsPath: /kbox-oci/ID"
is "$("$drv" path /default/web web)" /default/web "an absolute cgroupsPath as it is"
for bad in ../../x /../../etc /a/../../b system.slice:docker:web /; do
	msg=$("$drv" create web "$bad" 2>&1)
	ok $((! $?)) "cgroupsPath '$bad': refused"
	! [ -e "$cg/memory/x" ] && ! [ -e "$cg/etc" ] && ! [ -e "$cg/memory/etc" ]
	ok $? "cgroupsPath '$bad': nothing made"
done
msg=$("$drv" create web ../../x 2>&1)
case $msg in *"linux.cgroupsPath: '../../x': a '..' component"*) r=0 ;; *) r=1 ;; esac
ok $r "'..': the key and the reason" || echo "# $msg"
msg=$("$drv" create web system.slice:docker:web 2>&1)
case $msg in *"systemd"*) r=0 ;; *) r=1 ;; esac
ok $r "systemd's form: refused as such" || echo "# $msg"

# ---- resources into v1 files ----
p=/$top_cg/res
out1=$("$drv" create res "$p" limit=67108864 swap=134217728 reservation=33554432 \
	swappiness=30 oom=1 shares=512 period=100000 quota=50000 pids=10 \
	dev=deny:a:-1:-1:rwm dev=allow:c:4:1:rw 2>&1)
ok $? "create with memory, cpu, pids and device rules" || echo "# $out1"
is "$(file "memory$p/memory.limit_in_bytes")" 67108864 "memory.limit: memory.limit_in_bytes"
is "$(file "memory$p/memory.memsw.limit_in_bytes")" 134217728 "memory.swap: memsw, memory+swap as OCI counts it"
is "$(file "memory$p/memory.soft_limit_in_bytes")" 33554432 "memory.reservation: soft_limit_in_bytes"
is "$(file "memory$p/memory.swappiness")" 30 "memory.swappiness"
case $(file "memory$p/memory.oom_control") in "oom_kill_disable 1"*) r=0 ;; *) r=1 ;; esac
ok $r "memory.disableOOMKiller: oom_control"
is "$(file "cpu$p/cpu.shares")" 512 "cpu.shares"
is "$(file "cpu$p/cpu.cfs_period_us")" 100000 "cpu.period: cfs_period_us"
is "$(file "cpu$p/cpu.cfs_quota_us")" 50000 "cpu.quota: cfs_quota_us"
is "$(file "pids$p/pids.max")" 10 "pids.limit: pids.max"
is "$(file "cpuset$p/cpuset.cpus")" "$(file cpuset/cpuset.cpus)" "cpuset.cpus unset: the parent's, not v1's empty one"
is "$(file "cpuset$p/cpuset.mems")" "$(file cpuset/cpuset.mems)" "cpuset.mems unset: the parent's"
is "$(file "cpuset/$top_cg/cpuset.cpus")" "$(file cpuset/cpuset.cpus)" "cpuset: the new parent filled too"
list=$(file "devices$p/devices.list")
case $list in "c 4:1 rw c *:* m b *:* m c 1:3 rwm c 1:5 rwm"*"c 136:* rwm c 10:200 rwm") r=0 ;; *) r=1 ;; esac
ok $r "devices: deny all, the rules, mknod of any node, then kbox's allowlist" || echo "# $list"
is "$(left "$p" | wc -l)" "$(ls -d "$cg"/*/ | wc -l)" \
	"the cgroup in every hierarchy, name=systemd too" || left "$p" | diag
[ -d "$cg/unified$p" ]
ok $? "and in the hybrid host's unified hierarchy, as systemd's processes are"
"$drv" create res "$p" dev=deny:a:-1:-1:rwm dev=allow:c:4:1:rw >/dev/null
ok $? "create again over an empty cgroup of the same path: allowed (runc reuses it)"

# ---- a child in it: devices ----
mknod "$tmp/disk" b 8 0 && mknod "$tmp/null" c 1 3 && mknod "$tmp/tty4" c 4 1
ok $? "nodes made outside the cgroup"
msg=$("$drv" join "$p" sh -c "cat /proc/self/cgroup; : <'$tmp/disk'" 2>&1)
case $msg in *"Operation not permitted"*) r=0 ;; *) r=1 ;; esac
ok $r "in the cgroup: a disk it was not allowed cannot be opened" || echo "# $msg"
case $msg in *"4:memory:$p"*) r=0 ;; *) r=1 ;; esac
ok $r "cgo_join: the process is in the memory cgroup" || echo "# $msg"
"$drv" join "$p" sh -c "echo x >'$tmp/null'" 2>/dev/null
ok $? "in the cgroup: /dev/null (kbox's allowlist) can be written"
# mknod of any node (runc's defaults: a bundle's linux.devices are made from inside), but
# what it makes opens only as the rules allow.
msg=$("$drv" join "$p" sh -c "mknod '$tmp/disk2' b 8 0 && : <'$tmp/disk2'" 2>&1)
case $msg in *"disk2: Operation not permitted"*) r=0 ;; *) r=1 ;; esac
ok $r "in the cgroup: a disk it makes cannot be opened" || echo "# $msg"
[ -b "$tmp/disk2" ]
ok $? "in the cgroup: mknod of it is allowed (c *:* m, b *:* m)"
msg=$("$drv" join "$p" sh -c ": <'$tmp/tty4'" 2>&1)
case $msg in *"Operation not permitted"*) r=1 ;; *) r=0 ;; esac
ok $r "in the cgroup: a rule's own device (c 4:1 rw) passes the cgroup" || echo "# $msg"
msg=$(sh -c ": <'$tmp/disk'" 2>&1)
case $msg in *"not permitted"*) r=1 ;; *) r=0 ;; esac
[ $r = 0 ]
ok $? "outside: the same disk node is not refused by a cgroup"

# deny after allow-all: the last rule takes the disk back
p2=/$top_cg/devtake
"$drv" create devtake "$p2" dev=allow:a:-1:-1:rwm dev=deny:b:8:-1:rwm >/dev/null
ok $? "create: allow all, then deny b 8:*"
msg=$("$drv" join "$p2" sh -c ": <'$tmp/disk'" 2>&1)
case $msg in *"Operation not permitted"*) r=0 ;; *) r=1 ;; esac
ok $r "allow all then deny b 8:*: the disk is refused" || echo "# $msg"
"$drv" join "$p2" sh -c ": <'$tmp/null'"
ok $? "allow all then deny b 8:*: null still opens"
"$drv" remove "$p2"
ok $? "remove"

# ---- freezer: a busy child stops accumulating CPU time ----
"$drv" join "$p" sh -c 'while :; do :; done' &
busy=$!
pids+=("$busy")
retry 50 grep -qx "$busy" "$cg/freezer$p/cgroup.procs"
ok $? "a busy child in the cgroup"
"$drv" freeze "$p"
ok $? "pause: cgo_freeze returns once the kernel says FROZEN"
is "$(file "freezer$p/freezer.state")" FROZEN "freezer.state FROZEN"
is "$("$drv" frozen "$p")" paused "cgo_frozen: paused"
a=$(file "cpuacct$p/cpuacct.usage")
for _ in 1 2 3 4 5 6 7 8 9 10; do "$drv" pids "$p" >/dev/null; done
b=$(file "cpuacct$p/cpuacct.usage")
is "$b" "$a" "paused: cpuacct.usage does not grow between two reads"
"$drv" thaw "$p"
ok $? "resume"
is "$("$drv" frozen "$p")" running "cgo_frozen: running"
grows() { [ "$(file "cpuacct$p/cpuacct.usage")" -gt "$b" ]; }
retry 50 grows
ok $? "resumed: cpuacct.usage grows again"

# ---- kill --all, pids recursively, removal ----
"$drv" join "$p" sh -c 'sleep 1000 & sleep 1000 & wait' &
pids+=("$!")
mkdir "$cg/freezer$p/sub"
"$drv" join "$p" sleep 1000 &
sub=$!
pids+=("$sub")
retry 50 grep -qx "$sub" "$cg/freezer$p/cgroup.procs"
echo "$sub" >"$cg/freezer$p/sub/cgroup.procs"
count() { [ "$("$drv" pids "$p" | wc -l)" -ge "$1" ]; }
retry 50 count 5
ok $? "cgo_pids: the busy child, sh with two sleeps, and one in a child cgroup"
"$drv" pids "$p" | grep -qx "$sub"
ok $? "cgo_pids: the process in the child cgroup is listed"
"$drv" create res "$p" 2>"$tmp/err"
ok $((! $?)) "create over a cgroup that holds processes: refused"
grep -q "exists and holds processes or child cgroups" "$tmp/err"
ok $? "... saying so" || diag <"$tmp/err"
"$drv" kill "$p" 9
ok $? "kill --all with SIGKILL"
{ wait; } 2>/dev/null
empty() { [ -z "$("$drv" pids "$p")" ]; }
retry 50 empty
ok $? "nothing left in the cgroup"
is "$(file "freezer$p/freezer.state")" THAWED "kill thawed what it froze"
"$drv" remove "$p"
ok $? "cgo_remove"
is "$(left "$p")" "" "removed from every hierarchy, the child cgroup too"
"$drv" remove "$p"
ok $? "cgo_remove of what is gone: 0"

# ---- kill --all 9 of a paused container: it dies (v1 thaws it) ----
pp=/$top_cg/paused
"$drv" create paused "$pp" >/dev/null
"$drv" join "$pp" sleep 1000 &
victim=$!
pids+=("$victim")
retry 50 grep -qx "$victim" "$cg/freezer$pp/cgroup.procs"
"$drv" freeze "$pp" && "$drv" kill "$pp" 9
ok $? "paused, then kill --all 9"
dead() { ! [ -e "/proc/$victim" ] || [ "$(cut -d' ' -f3 "/proc/$victim/stat")" = Z ]; }
retry 50 dead
ok $? "the paused process dies" || echo THAWED >"$cg/freezer$pp/freezer.state"
{ wait "$victim"; } 2>/dev/null
is $? 137 "of SIGKILL"
"$drv" remove "$pp"
ok $? "and its cgroup is removed"

# ---- values that must be refused, and nothing left behind ----
refused() { # NAME WANT ARGS...: refused, saying WANT, leaving nothing
	local name=$1 want=$2 msg
	shift 2
	msg=$("$drv" create "$name" "/$top_cg/$name" "$@" 2>&1)
	ok $((! $?)) "$name: refused"
	case $msg in *"$want"*) r=0 ;; *) r=1 ;; esac
	ok $r "$name: '$want'" || echo "# $msg"
	is "$(left "/$top_cg/$name")" "" "$name: no cgroup left"
}
rmdir "$cg"/*/"$top_cg" 2>/dev/null
refused tiny "memory.limit: below 1 MiB" limit=1
refused negmem "linux.resources.memory.limit: not a size" limit=-2
refused swaplow "memory.swap: 1048576 is below the memory limit" limit=67108864 swap=1048576
refused shares0 "cpu.shares: 1 is not from 2 to 262144" shares=1
refused shares1 "262145 is not from 2 to 262144" shares=262145
refused sharesneg "cpu.shares: 18446744073709551615 is not" shares=-1
refused quota "cpu.quota: below -1" quota=-5
refused swappy "memory.swappiness: not from 0 to 100" swappiness=101
refused blkio "blockIO.weight: not from 10 to 1000" blkio=5
refused unified1 "'../cgroup.procs' is not a cgroup file name" "unified=../cgroup.procs=1"
refused unified2 "unified: cgroup v2 files, and this host's cgroups are v1" "unified=memory.high=1"
refused devmaj "devices[0].major: 4294967296 is not a device number" dev=allow:c:4294967296:1:r
# the kernel refuses a write half-way: everything made so far goes, the new parent too
refused cpus "cpu.cpus: cannot write '99999' to cpuset.cpus" cpus=99999
is "$(left "/$top_cg")" "" "a failed create takes back the parent it made"
"$drv" create big "/$top_cg/big" limit=9223372036854775807 >/dev/null
ok $? "memory.limit 2^63-1: taken"
cmp_ok "$(file "memory/$top_cg/big/memory.limit_in_bytes")" -ge 9223372036854000000 \
	"memory.limit 2^63-1: the kernel's unlimited"
"$drv" remove "/$top_cg/big"
"$drv" create big "/$top_cg/big" limit=18446744073709551616 >/dev/null 2>&1
is $? 2 "memory.limit 2^64 never reaches the library (an int64: the parser's to refuse)"

# ---- hugepageLimits: what the kubelet sends every pod (0 for each size the node has) ----
# hugetlb is the v1 hierarchy's where one took it, else (this host) the unified one's.
sizes=$(ls /sys/kernel/mm/hugepages 2>/dev/null | sed -n 's/^hugepages-\([0-9]*\)kB$/\1/p')
if [ -d "$cg/hugetlb" ]; then hcg=hugetlb suf=limit_in_bytes rsvd=rsvd.limit_in_bytes
elif grep -qw hugetlb "$cg/unified/cgroup.controllers" 2>/dev/null; then
	hcg=unified suf=max rsvd=rsvd.max
else hcg=; fi
if [ -n "$hcg" ] && [ -n "$sizes" ]; then
	names= args=
	for kb in $sizes; do # the kernel's names: 2048 kB is 2MB, 1048576 kB 1GB
		if [ $((kb % 1048576)) = 0 ]; then n=$((kb / 1048576))GB
		elif [ $((kb % 1024)) = 0 ]; then n=$((kb / 1024))MB
		else n=${kb}KB; fi
		names="$names $n" args="$args huge=$n:0"
	done
	first=${names# }; first=${first%% *}
	p=/$top_cg/huge
	# shellcheck disable=SC2086
	msg=$("$drv" create huge "$p" $args 2>&1)
	ok $? "hugepageLimits:$names, 0 each: taken" || echo "# $msg"
	for n in $names; do
		is "$(file "$hcg$p/hugetlb.$n.$suf")" 0 "hugetlb.$n.$suf: 0"
		[ ! -e "$cg/$hcg$p/hugetlb.$n.$rsvd" ] || is "$(file "$hcg$p/hugetlb.$n.$rsvd")" 0 "hugetlb.$n.$rsvd: 0 too"
	done
	"$drv" remove "$p"
	is "$(left "$p")" "" "hugepageLimits: removed from every hierarchy"
	"$drv" create huge "$p" "huge=$first:18446744073709551615" >/dev/null
	ok $? "hugepageLimits 2^64-1: taken"
	case $(file "$hcg$p/hugetlb.$first.$suf") in max | 9223372036854* | 18446744073709*) r=0 ;; *) r=1 ;; esac
	ok $r "hugepageLimits 2^64-1: the kernel's unlimited" || file "$hcg$p/hugetlb.$first.$suf" | diag
	"$drv" remove "$p"
	rmdir "$cg"/*/"$top_cg" 2>/dev/null
	refused hugenone "hugepageLimits[1].pageSize: this kernel has no 3MB huge pages" \
		"huge=$first:0" huge=3MB:0
	is "$(left "/$top_cg")" "" "an unknown page size takes back the parent it made"
else
	ok 0 "hugepageLimits # SKIP no hugetlb controller or no huge page sizes here"
fi

# ---- a hierarchy that is not what it seems: never followed ----
ln -s /etc "$cg/memory/$top_cg-link" 2>/dev/null
ok $((! $?)) "cgroupfs takes no symlink"
r=$(unshare -m sh -c "mkdir -p '$cg/memory/$top_cg/trap' && mount -t tmpfs none '$cg/memory/$top_cg/trap' &&
	ln -s /etc '$cg/memory/$top_cg/trap/x' && '$drv' create x '/$top_cg/trap/x' 2>&1; echo rc=\$?")
case $r in *"a symlink or a mount in the hierarchy is never followed"*rc=1) r=0 ;; *) r=1 ;; esac
ok $r "a mount planted in the hierarchy, a symlink in it: refused" || echo "# $r"
! [ -e /etc/memory.limit_in_bytes ] && ! [ -e /etc/cgroup.procs ]
ok $? "nothing written through it"
rmdir "$cg/memory/$top_cg/trap" 2>/dev/null

# ---- an existing cgroup: never taken over while someone's processes or cgroups are in it ----
h=/$top_cg/host
for c in freezer memory pids cpu devices; do mkdir -p "$cg/$c$h/victim"; done
sleep 1000 &
victim=$!
pids+=("$victim")
for c in freezer memory pids cpu; do echo "$victim" >"$cg/$c$h/victim/cgroup.procs"; done
before=$(file "memory$h/memory.limit_in_bytes")
msg=$("$drv" create take "$h" limit=8388608 pids=3 2>&1)
case $msg in *"exists and holds processes or child cgroups"*) r=0 ;; *) r=1 ;; esac
ok $r "a host cgroup with a busy child cgroup: refused" || echo "# $msg"
is "$(file "memory$h/memory.limit_in_bytes")" "$before" "its memory limit untouched"
is "$(file "pids$h/pids.max")" max "its pids.max untouched"
kill -0 "$victim" && [ -d "$cg/freezer$h/victim" ]
ok $? "the host process and its cgroup stay"
kill -9 "$victim"
{ wait "$victim"; } 2>/dev/null
"$drv" create take "$h" limit=8388608 >/dev/null 2>&1
ok $((! $?)) "children without processes: refused too (their limits are not the container's)"
is "$(file "memory$h/memory.limit_in_bytes")" "$before" "and nothing written"
[ -d "$cg/memory$h/victim" ] && [ -d "$cg/memory$h" ]
ok $? "neither the cgroup nor its child removed"
for c in freezer memory pids cpu devices; do rmdir "$cg/$c$h/victim"; done
sleep 1000 &
victim=$!
pids+=("$victim")
echo "$victim" >"$cg/freezer$h/cgroup.procs"
"$drv" create take "$h" >/dev/null 2>&1
ok $((! $?)) "an existing cgroup with a process of its own: refused"
kill -9 "$victim"
{ wait "$victim"; } 2>/dev/null
retry 50 sh -c "! [ -s '$cg/freezer$h/tasks' ]"
"$drv" create take "$h" limit=8388608 dev=allow:c:4:1:rw >/dev/null
ok $? "an existing empty cgroup without children: the container's (runc's leftover)"
"$drv" remove "$h"
for d in "$cg"/*/; do mkdir -p "$d$h"; done
"$drv" create take "$h" limit=8388608 cpus=4095 >/dev/null 2>&1
ok $((! $?)) "an existing empty one, a create that fails"
is "$(left "$h")" "" "the failure takes the adopted cgroup back, with what was written in it"

# ---- a relative cgroupsPath: below our own cgroup in each hierarchy ----
own=$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)
"$drv" create rel "rel-$$" limit=33554432 >/dev/null
ok $? "relative cgroupsPath"
is "$(file "memory${own%/}/rel-$$/memory.limit_in_bytes")" 33554432 "relative: below our memory cgroup ($own)"
"$drv" remove "rel-$$"
ok $? "relative: removed"
! [ -d "$cg/memory${own%/}/rel-$$" ]
ok $? "relative: gone"

# ---- cgroup v2's core, here too: a private mount namespace with the hybrid host's unified
# hierarchy (no controller but hugetlb) on /sys/fs/cgroup. The device program, the freezer,
# cgroup.kill and removal are v2's own, with or without controllers. ----
v2cmd=(unshare -m sh -c "mount --make-rprivate / && mount --bind $cg/unified $cg && exec \"\$@\"" v2)
v2() { "${v2cmd[@]}" "$@"; } # run in the background as "${v2cmd[@]}", for $! to be its pid
u=$cg/unified
q=/$top_cg/v2
is "$(v2 "$drv" unified)" v2 "v2: the private mount is cgroup v2 to the library"
msg=$(v2 "$drv" create v2c "$q" dev=deny:a:-1:-1:rwm dev=allow:c:4:1:r unified=hugetlb.2MB.max=4194304 2>&1)
ok $? "v2: create with device rules and a unified key" || echo "# $msg"
is "$(file "unified$q/hugetlb.2MB.max")" 4194304 "v2: unified hugetlb.2MB.max written as is"
case $(file "unified/$top_cg/cgroup.subtree_control") in *hugetlb*) r=0 ;; *) r=1 ;; esac
ok $r "v2: the parent hands its controllers down (cgroup.subtree_control)"
msg=$(v2 "$drv" join "$q" sh -c ": <'$tmp/disk'" 2>&1)
case $msg in *"Operation not permitted"*) r=0 ;; *) r=1 ;; esac
ok $r "v2: the device program refuses the disk" || echo "# $msg"
v2 "$drv" join "$q" sh -c ": <'$tmp/null' && : <'$tmp/tty4'"
ok $? "v2: null (kbox's allowlist) and c 4:1 r (the rule) open for reading"
msg=$(v2 "$drv" join "$q" sh -c "echo >'$tmp/tty4'" 2>&1)
case $msg in *"Operation not permitted"*) r=0 ;; *) r=1 ;; esac
ok $r "v2: c 4:1 r: not for writing" || echo "# $msg"
"${v2cmd[@]}" "$drv" join "$q" sh -c 'while :; do :; done' &
pids+=("$!")
busy=$!
retry 50 grep -qx "$busy" "$u$q/cgroup.procs"
ok $? "v2: a busy child in the cgroup"
v2 "$drv" freeze "$q"
ok $? "v2: pause returns once cgroup.events says frozen 1"
grep -qx "frozen 1" "$u$q/cgroup.events"
ok $? "v2: cgroup.events frozen 1"
is "$(v2 "$drv" frozen "$q")" paused "v2: cgo_frozen: paused"
usage() { sed -n 's/^usage_usec //p' "$u$q/cpu.stat"; }
a=$(usage)
for _ in 1 2 3 4 5 6 7 8 9 10; do v2 "$drv" pids "$q" >/dev/null; done
is "$(usage)" "$a" "v2: paused: cpu.stat usage_usec does not grow"
v2 "$drv" thaw "$q"
ok $? "v2: resume"
grows2() { [ "$(usage)" -gt "$a" ]; }
retry 50 grows2
ok $? "v2: resumed: usage grows again"
v2 "$drv" kill "$q" 9
ok $? "v2: kill --all through cgroup.kill"
{ wait "$busy"; } 2>/dev/null
is $? 137 "v2: the child died of SIGKILL"
v2 "$drv" remove "$q"
ok $? "v2: remove (waits for populated 0)"
! [ -d "$u$q" ]
ok $? "v2: gone"
if [ -e "$u/hugetlb.2MB.max" ] || grep -qw hugetlb "$u/cgroup.controllers"; then
	msg=$(v2 "$drv" create v2h "$q" huge=2MB:2097152 2>&1)
	ok $? "v2: hugepageLimits 2MB" || echo "# $msg"
	is "$(file "unified$q/hugetlb.2MB.max")" 2097152 "v2: hugetlb.2MB.max"
	[ ! -e "$u$q/hugetlb.2MB.rsvd.max" ] || is "$(file "unified$q/hugetlb.2MB.rsvd.max")" 2097152 "v2: hugetlb.2MB.rsvd.max"
	v2 "$drv" remove "$q"
	msg=$(v2 "$drv" create v2h "$q" huge=2MB:0 huge=7MB:0 2>&1)
	case $msg in *"hugepageLimits[1].pageSize: this kernel has no 7MB huge pages (no hugetlb.7MB.max)"*) r=0 ;; *) r=1 ;; esac
	ok $r "v2: a page size the kernel lacks: refused, naming it" || echo "# $msg"
	is "$(left "$q")" "" "v2: and nothing left"
fi
for key in cgroup.procs ../cgroup.procs cgroup.subtree_control; do
	msg=$(v2 "$drv" create v2k "$q" "unified=$key=0" 2>&1)
	ok $((! $?)) "v2: unified '$key': refused" || echo "# $msg"
done
msg=$(v2 "$drv" create v2k "$q" unified=memory.max=10M 2>&1)
case $msg in *"unified.memory.max: no memory.max here"*) r=0 ;; *) r=1 ;; esac
ok $r "v2: unified key of a controller not there: refused, saying so" || echo "# $msg"
is "$(left "$q")" "" "v2: the refused ones left nothing"
msg=$(v2 "$drv" create v2k "$q" limit=67108864 2>&1)
case $msg in *"linux.resources.memory.limit: no memory.max here"*) r=0 ;; *) r=1 ;; esac
ok $r "v2: memory.limit without the memory controller: refused, saying so" || echo "# $msg"
done_testing
