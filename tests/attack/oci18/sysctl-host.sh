#!/bin/bash
# linux.sysctl with a key no namespace covers writes the HOST's value: the config.json
# front end (runtime/spec/oci_linux.c parse_sysctl) checks only the name's characters, not
# that it is namespaced (the native front end's keys.c refuses these). kernel.core_pattern
# "|/path" this way is host root code execution on the next crash anywhere on the host.
# Here the harmless kernel.core_uses_pid is flipped (and restored). Exit 1 when it changed.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
f=/proc/sys/kernel/core_uses_pid
before=$(cat $f); want=$((1 - before))
trap 'echo "$before" >$f; cleanup' EXIT
cfg "$T/b" ".process.terminal=false | .process.args=[\"true\"] | .linux.sysctl={\"kernel.core_uses_pid\":\"$want\"}"
(cd "$T/b" && R run s1 </dev/null); echo "run rc=$?"
after=$(cat $f)
echo "host $f: before $before, after $after"
[ "$after" = "$before" ] || { echo "FAIL: the container's config changed a host sysctl"; exit 1; }
