#!/bin/bash
# Hostile container ids on every verb that takes one: "../x", "a/b", "..", ".", "",
# a 300-byte id (over NAME_MAX), a 1025-byte one, one with a newline. Nothing may be
# created outside --root. Exit 1 when a verb accepted one or wrote outside.
. "$(dirname "$0")/lib.sh"
mkbundle "$T/b" >/dev/null
cfg "$T/b" '.process.terminal=false | .process.args=["true"]'
mkdir -p "$ROOT"; bad=0
long=$(printf 'a%.0s' $(seq 300)); longer=$(printf 'b%.0s' $(seq 1025))
for id in "../x" "a/b" ".." "." "" "$long" "$longer" "$(printf 'a\nb')" "-x" "--help"; do
	for v in create state start kill delete exec ps pause resume; do
		case $v in create) args=(create --bundle "$T/b" "$id");; exec) args=(exec "$id" true);;
		kill) args=(kill "$id" 9);; *) args=($v "$id");; esac
		if R "${args[@]}" </dev/null >/dev/null 2>&1; then echo "FAIL: $v accepted id '${id:0:20}'"; bad=1; fi
	done
done
[ -e "$T/x" ] || [ -e "$T/state/x" ] && { echo "FAIL: something made outside"; bad=1; }
ls -A "$ROOT" | grep -q . && { echo "state left: $(ls -A "$ROOT" | cut -c1-40)"; }
grep -l "kbox-oci/\.\." /proc/[0-9]*/cgroup 2>/dev/null
exit $bad
