#!/bin/bash
# cgroupsPath naming an existing host cgroup whose own cgroup.procs is empty but whose
# children hold host processes (the shape of /system.slice, /user.slice, a pod's slice).
# cgo_create's populated() looks at the leaf's own cgroup.procs only, so kbox takes the
# subtree over: its limits land on the host processes below, and kill --all / delete
# --force signal every process in the subtree (cgo_pids recurses) and rmdir the host's
# child cgroups (remove_tree). Here the host subtree is a private /oci18atk/victim holding
# a host `sleep` (in freezer, memory, pids, cpu: on v1 a devices.deny on a cgroup with
# children is EINVAL, and that failure alone leaves the 8 MiB memory limit on the host
# cgroup behind). Exit 1 when the host process was killed or its cgroup removed.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
P=oci18atk.$$
for c in freezer memory pids cpu; do mkdir -p /sys/fs/cgroup/$c/$P/victim; done
sleep 1000 & victim=$!
for c in freezer memory pids cpu; do echo $victim >/sys/fs/cgroup/$c/$P/victim/cgroup.procs; done
cfg "$T/b" ".process.terminal=false | .process.args=[\"sleep\",\"100\"] | .linux.cgroupsPath=\"/$P\"
  | .linux.resources.memory.limit=8388608 | .linux.resources.pids.limit=3"
(cd "$T/b" && R create c1 </dev/null) && echo "create accepted /$P (host process $victim lives in /$P/victim)"
echo "parent memory limit now: $(cat /sys/fs/cgroup/memory/$P/memory.limit_in_bytes)"
echo "parent pids.max now: $(cat /sys/fs/cgroup/pids/$P/pids.max)"
R ps c1
R pause c1 && echo "victim state after pause: $(awk '/^State/{print $2}' /proc/$victim/status)"; R resume c1
R delete --force c1; sleep 0.5
bad=0
if kill -0 $victim 2>/dev/null; then echo "host process $victim alive"; else echo "FAIL: host process $victim (not the container's) was killed"; bad=1; fi
[ -d /sys/fs/cgroup/freezer/$P/victim ] || { echo "FAIL: host cgroup /$P/victim removed"; bad=1; }
kill $victim 2>/dev/null; wait $victim 2>/dev/null
for c in freezer memory pids cpu devices; do rmdir /sys/fs/cgroup/$c/$P/victim /sys/fs/cgroup/$c/$P 2>/dev/null; done
exit $bad
