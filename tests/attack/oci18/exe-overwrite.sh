#!/bin/bash
# CVE-2019-5736: a container process opening the runtime's binary through /proc/PID/exe.
# (a) exec into a created (not started) container, whose PID 1 is still kbox waiting on
#     its fifo: open /proc/1/exe for reading and writing;
# (b) a running payload that scans /proc/*/exe for a kbox relay while `exec` runs 20 times.
# Exit 1 when the host binary could be opened (read: a step to writing once it is not
# busy) or was changed.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
cp "$top/out/kbox" "$T/kbox.copy"; rm "$T/bin/kbox-runc"; ln -s "$T/kbox.copy" "$T/bin/kbox-runc"
sum=$(sha256sum <"$T/kbox.copy")
bad=0
cfg "$T/b" '.process.terminal=false | .process.args=["sh","-c","n=0; while [ $n -lt 4000 ]; do for e in /proc/[0-9]*/exe; do case $(readlink $e 2>/dev/null) in *kbox*) head -c 4 $e >/dev/null 2>&1 && echo OPENED $e $(readlink $e);; esac; done; n=$((n+1)); done"]'
(cd "$T/b" && R create x1 </dev/null >"$T/run.out" 2>&1) || exit 2
R exec x1 sh -c 'ls -l /proc/1/exe; head -c 4 /proc/1/exe | od -c | head -1; echo >>/proc/1/exe && echo WROTE' </dev/null 2>&1 | tee "$T/a.out"
grep -q 'ELF\|WROTE' "$T/a.out" && { echo "FAIL(a): the waiting kbox's binary opened from inside"; bad=1; }
R start x1
for k in $(seq 20); do R exec x1 true </dev/null >/dev/null 2>&1; done
R kill x1 KILL; sleep 0.5; R delete --force x1 2>/dev/null
echo "--- payload saw:"; sort -u "$T/run.out" | head
grep -q OPENED "$T/run.out" && { echo "FAIL(b): a kbox binary was opened from the container"; bad=1; }
[ "$(sha256sum <"$T/kbox.copy")" = "$sum" ] || { echo "FAIL: the host's kbox binary changed"; bad=1; }
exit $bad
