#!/bin/bash
# The kbox binary: static, small, and a CLI with the exit codes a user expects.
. "$(dirname "$0")/../lib.sh"
kbox=$out/kbox

! readelf -l "$kbox" | grep -q INTERP
ok $? "kbox is statically linked (no program interpreter)"
size=$(stat -c %s "$kbox")
# libseccomp is ~110 KiB of it; the guard moves only on purpose (288 -> 320 KiB: the event
# loop and console queue, kbox's own seccomp allowlist generator, the /etc/kbox loader and
# the in-root path resolver, issue 17; 320 -> 416 KiB: jansson, 33 KiB, and the image
# importer and image configs, 49 KiB, issue 13; 416 -> 448 KiB: named volumes, kbox volumes
# and kbox load with its directory emitter and directory source, 20 KiB, issue 14; 448 -> 576
# KiB: the OCI runtime, issue 18: config.json's front end 38 KiB, the bundle's root, process
# and cgroups (v1 and v2) 45 KiB, the verbs 30 KiB, before --gc-sections).
[ "$size" -lt 589824 ]
ok $? "kbox is under 576 KiB ($size bytes)"
# Zeroes belong in .bss: an initializer on a struct holding a buffer (container_oci.c's
# run, a 32 KiB seccomp program) puts all of it in the file.
data=$(size -A "$kbox" | awk '$1 == ".data" {print $2}')
[ -n "$data" ] && [ "$data" -lt 8192 ]
ok $? "kbox's .data is under 8 KiB ($data bytes)"

v=$("$kbox" version)
ok $? "kbox version exits 0"
[[ $v == "kbox "* ]]
ok $? "kbox version prints 'kbox VERSION' ($v)"
"$kbox" help | grep -q '^usage: kbox'
ok $? "kbox help prints the usage and exits 0"
"$kbox" >/dev/null 2>&1
is $? 2 "kbox without a command exits 2"
msg=$("$kbox" frobnicate 2>&1)
is $? 2 "an unknown command exits 2"
is "$msg" "kbox: 'frobnicate' is not a kbox command; see 'kbox help'" "and says so"

done_testing
