#!/bin/bash
# CVE-2024-21626: a payload's fds and cwd must name nothing of the host. The payload lists
# its open fds (run and exec), and process.cwd / exec --cwd of /proc/self/fd/N for N=3..12
# must be refused (or land inside the root). Exit 1 when a host directory is reachable.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
bad=0
cfg "$T/b" '.process.terminal=false | .process.args=["sh","-c","for f in /proc/self/fd/*; do echo \"$f -> $(readlink $f)\"; done; sleep 5"]'
(cd "$T/b" && R create c1 </dev/null >"$T/run.out" 2>&1 && R start c1) ; sleep 1
echo "--- run's fds"; cat "$T/run.out"
echo "--- exec's fds"
R exec c1 sh -c 'for f in /proc/self/fd/*; do echo "$f -> $(readlink $f)"; done' </dev/null | tee "$T/exec.out"
grep -E -- '/fd/([3-9]|[1-9][0-9]+) -> /' "$T/exec.out" "$T/run.out" && { echo "FAIL: a host path is open in the container"; bad=1; }
for n in 3 4 5 6 7 8 9 10 11 12; do
	out=$(R exec --cwd /proc/self/fd/$n c1 sh -c 'pwd; ls .. | head -3' </dev/null 2>&1)
	case $out in *"/proc/self/fd"*|*refused*|*"No such"*|*"not a dir"*|*"cannot"*|"") ;;
	*) echo "FAIL: exec --cwd /proc/self/fd/$n: $out"; bad=1;; esac
done
R kill c1 KILL; sleep 0.5; R delete --force c1
for n in 3 4 5 6 7 8; do
	cfg "$T/b" ".process.cwd=\"/proc/self/fd/$n\" | .process.args=[\"sh\",\"-c\",\"pwd; ls ..|head -3\"]"
	out=$(cd "$T/b" && R run w$n </dev/null 2>&1)
	case $out in *"magic link"*|*refused*|*"No such"*|*"ot a dir"*) ;; *) echo "FAIL: cwd /proc/self/fd/$n: $out"; bad=1;; esac
	R delete --force w$n 2>/dev/null
done
exit $bad
