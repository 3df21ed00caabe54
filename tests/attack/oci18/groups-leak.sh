#!/bin/bash
# The caller's supplementary groups must not reach the payload: create and exec run from
# a caller holding groups 6 (disk) and 4321; process.user is 1000:1000 with no
# additionalGids, so the payload's Groups must be empty (runc: setgroups to exactly
# additionalGids). Exit 1 when a caller's group reached it.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
cfg "$T/b" '.process.terminal=false | .process.user={"uid":1000,"gid":1000}
 | .process.args=["sh","-c","grep ^Groups /proc/self/status | sed s/^/run:\\ /; sleep 3"]'
cd "$T/b"
setpriv --groups 6,4321 "$RT" --root "$ROOT" create g1 </dev/null >"$T/run.out" 2>&1 &&
	setpriv --groups 6,4321 "$RT" --root "$ROOT" start g1
sleep 0.5
setpriv --groups 6,4321 "$RT" --root "$ROOT" exec g1 sh -c 'grep ^Groups /proc/self/status | sed "s/^/exec: /"' </dev/null >"$T/exec.out" 2>&1
setpriv --groups 6,4321 "$RT" --root "$ROOT" exec --user 1000:1000 g1 sh -c 'grep ^Groups /proc/self/status | sed "s/^/exec --user: /"' </dev/null >>"$T/exec.out" 2>&1
sleep 3; cat "$T/run.out" "$T/exec.out"
R delete --force g1
grep -E '^(run|exec|exec --user): Groups:.*[0-9]' "$T/run.out" "$T/exec.out" && { echo "FAIL: the caller's groups reached the payload"; exit 1; }
exit 0
