#!/bin/bash
# linux.namespaces[].path that is not a namespace (a regular file, a directory, /dev/null),
# of the wrong type (a net path for ipc), the host's own mount namespace (/proc/1/ns/mnt),
# and the host's pid namespace as "pid". Each must be refused at create.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b"; touch "$T/plain"
bad=0; n=0
try() { # try TYPE PATH
	n=$((n+1))
	cp "$T/b/config.json" "$T/b/orig.json"
	cfg "$T/b" ".process.terminal=false | .process.args=[\"true\"] | .linux.namespaces |= map(if .type==\"$1\" then .path=\"$2\" else . end)"
	if (cd "$T/b" && R run n$n </dev/null >"$T/out" 2>&1); then
		echo "FAIL: $1 namespace path '$2' accepted"; bad=1
	else echo "ok: $1 '$2' refused: $(tail -1 "$T/out")"; fi
	mv "$T/b/orig.json" "$T/b/config.json"
	R delete --force n$n >/dev/null 2>&1
}
try network "$T/plain"
try network "$T"
try network /dev/null
try ipc /proc/1/ns/net
try mount /proc/1/ns/mnt
try pid /proc/1/ns/pid
try uts /proc/self/ns/uts
exit $bad
