#!/bin/bash
# A create that fails after writing limits into a cgroup it did not make leaves them there:
# cgroupsPath names an existing host cgroup (children in every hierarchy, none of its own
# processes); kbox writes memory.limit_in_bytes = 8 MiB, then devices.deny 'a' fails with
# EINVAL (v1 refuses it on a cgroup with children), create exits 1 and undo() removes only
# directories it made. Exit 1 when the host cgroup's limit is still changed.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
P=oci18atk.$$
for c in freezer memory pids cpu devices; do mkdir -p /sys/fs/cgroup/$c/$P/child; done
before=$(cat /sys/fs/cgroup/memory/$P/memory.limit_in_bytes)
cfg "$T/b" ".process.terminal=false | .process.args=[\"true\"] | .linux.cgroupsPath=\"/$P\"
  | .linux.resources.memory.limit=8388608"
(cd "$T/b" && R create c1 </dev/null); echo "create rc=$?"
after=$(cat /sys/fs/cgroup/memory/$P/memory.limit_in_bytes)
echo "host cgroup /$P memory limit: before $before, after $after"
for c in freezer memory pids cpu devices; do rmdir /sys/fs/cgroup/$c/$P/child /sys/fs/cgroup/$c/$P 2>/dev/null; done
[ "$before" = "$after" ] || { echo "FAIL: a failed create left the host cgroup's limit changed"; exit 1; }
