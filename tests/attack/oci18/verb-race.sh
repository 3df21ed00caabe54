#!/bin/bash
# Verbs racing on one id: 8 concurrent creates of one id (exactly one may win, no process
# of a loser may be left), then create racing delete --force in a loop (no container
# process may outlive a deleted, missing id). Exit 1 on an orphan or two winners.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
cfg "$T/b" '.process.terminal=false | .process.args=["sleep","1234"]'
bad=0
orphans() { grep -l -E 'kbox-oci/r[12]$' /proc/[0-9]*/cgroup 2>/dev/null | wc -l; }
# (a created process waits as kbox-runc until start: found by its cgroup, not its name)
cd "$T/b"
for k in $(seq 8); do R create r1 </dev/null >"$T/c$k" 2>&1 & done; wait
wins=$(for k in $(seq 8); do [ -s "$T/c$k" ] || echo w; done | wc -l)
echo "concurrent creates: $wins won; processes: $(orphans)"
[ "$wins" = 1 ] || bad=1
R delete --force r1
[ "$(orphans)" = 0 ] || { echo "FAIL: $(orphans) sleep 1234 left after delete"; bad=1; }
for k in $(seq 15); do
	R create r2 </dev/null >/dev/null 2>&1 & R delete --force r2 >/dev/null 2>&1; wait
	R delete --force r2 >/dev/null 2>&1
done
sleep 0.5
n=$(orphans); echo "after create/delete races: $n orphan(s); state dir: $(ls "$ROOT" 2>/dev/null | tr '\n' ' ')"
[ "$n" = 0 ] || { echo "FAIL: orphaned container processes"; bad=1; }
ls -d /sys/fs/cgroup/*/kbox-oci/r[12] 2>/dev/null && { echo "FAIL: cgroups left"; bad=1; }
exit $bad
