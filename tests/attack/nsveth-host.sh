#!/bin/bash
# attack (s6), on this host: kbox run without a user namespace now unshares its mount, UTS,
# IPC, net and cgroup namespaces in the child, directly (clone3) and under valgrind (no
# clone3: the clone(2) fallback). None of them may be the caller's, and no fd but stdio
# (3 is ls's own) may reach the payload.
# Run: make all out/probe && bash tests/attack/nsveth-host.sh
. "$(dirname "$0")/../lib.sh"
img=$out/tests/nsveth-host-image
host_image "$img"
ok $? "a busybox image"
probe='for n in mnt uts ipc net cgroup pid; do echo "$n $(readlink /proc/self/ns/$n)"; done; echo fds $(ls /proc/self/fd | tr "\n" " ")'
for how in direct valgrind; do
	w=
	[ "$how" = direct ] || { command -v valgrind >/dev/null || continue; w="valgrind -q"; }
	got=$($w "$out/kbox" run --rm --network none "$img" sh -c "$probe" 2>/dev/null)
	for ns in mnt uts ipc net cgroup pid; do
		in=$(echo "$got" | awk -v n=$ns '$1 == n { print $2 }')
		[ -n "$in" ] && [ "$in" != "$(readlink /proc/self/ns/$ns)" ]
		ok $? "$how: the payload's $ns namespace is its own ($in)"
	done
	is "$(echo "$got" | sed -n 's/^fds //p')" "0 1 2 3" "$how: no fd of kbox's reaches the payload"
done
done_testing
