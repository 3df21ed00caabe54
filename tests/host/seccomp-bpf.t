#!/bin/bash
# kbox's generated default seccomp filters, run through a BPF interpreter for every call
# number and the arguments that matter, against the lists in runtime/seccomp.c.
. "$(dirname "$0")/../lib.sh"
bin=$out/tests/seccomp_bpf
${HOSTCC:-cc} -std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Wno-sign-compare \
	-Wno-unused-parameter -fsanitize=address,undefined -o "$bin" \
	"$top/tests/host/seccomp_bpf.c" -lseccomp || { echo "not ok 1 - build $bin"; echo 1..1; exit 1; }
exec "$bin"
