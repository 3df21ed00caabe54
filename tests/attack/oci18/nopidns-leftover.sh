#!/bin/bash
# Without a pid namespace (a pod sharing the host's or the sandbox's), a payload whose
# first process exits leaves its children running in the container's cgroup. `delete`
# of the then stopped container must not leave them running outside any accounting
# (runc's destroy signals every process of the cgroup when there is no pid namespace).
# Exit 1 when a payload process outlives delete.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
cfg "$T/b" '.process.terminal=false | .linux.namespaces |= map(select(.type!="pid"))
 | .process.args=["sh","-c","setsid sleep 4321 </dev/null >/dev/null 2>&1 & exit 0"]'
(cd "$T/b" && R create l1 </dev/null && R start l1); echo "create+start rc=$?"
sleep 0.5
echo "state: $(R state l1 | jq -r .status)"
echo "before delete: $(grep -l -E "kbox-oci/l1$" /proc/[0-9]*/cgroup 2>/dev/null | wc -l) process(es) in its cgroup"
R delete l1; echo "delete rc=$?"
sleep 0.5
left=$(grep -l -E 'kbox-oci/l1$' /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3 | tr '\n' ' ')
sl=$(for p in /proc/[0-9]*; do [ "$(tr "\\0" " " <$p/cmdline 2>/dev/null)" = "sleep 4321 " ] && basename $p; done | tr '\n' ' ')
echo "processes left in its cgroup: [$left]; 'sleep 4321' processes: [$sl]; cgroup dirs: $(ls -d /sys/fs/cgroup/*/kbox-oci/l1 2>/dev/null | wc -l)"
for p in $sl; do kill -9 "$p"; done
[ -z "$sl" ] || { echo "FAIL: a container process outlived delete"; exit 1; }
