#!/bin/bash
# qemu/run's own argument checking (its boots are the QEMU suite's).
. "$(dirname "$0")/../lib.sh"
run=$top/qemu/run

msg=$("$run" --bogus 2>&1)
is $? 1 "an unknown argument exits 1"
is "$msg" "qemu/run: unknown argument '--bogus' (see --help)" "and names it"
msg=$("$run" --kernel /nonexistent 2>&1)
is "$msg" "qemu/run: no kernel at '/nonexistent' (make)" "a missing kernel"
msg=$("$run" --timeout soon 2>&1)
is "$msg" "qemu/run: --timeout 'soon' is not a number of seconds" "a bad timeout"
msg=$("$run" --machine q35 2>&1)
is "$msg" "qemu/run: --machine 'q35' is not microvm or pc" "an unknown machine"
msg=$(KBOX_MACHINE=vexpress "$run" 2>&1)
is "$msg" "qemu/run: --machine 'vexpress' is not microvm or pc" "and one from KBOX_MACHINE"
"$run" --help | grep -q 'Exit status: 0 the guest powered off cleanly'
ok $? "--help documents the exit codes"
"$run" --help | grep -q 'machine microvm|pc'
ok $? "and the machines"
done_testing
