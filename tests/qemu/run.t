#!/bin/bash
# kbox run inside the appliance: cgroup v2 there, so limits hold and the device allowlist
# keeps CAP_MKNOD in check.
. "$(dirname "$0")/../lib.sh"

input=$out/tests/run.input
printf '%s\n' 'kbox run --rm --name big -m 16M /images/busybox tail /dev/zero; echo BIG-RC-$?.' \
	'kbox run --rm /images/busybox sh -c "grep CapEff /proc/self/status; mknod /tmp/sda b 8 0"' \
	'kbox run --rm --cpus 64 /images/busybox true; echo CPUS-RC-$?.' \
	'echo LEAVES-$(ls /sys/fs/cgroup/kbox | grep -c -e big -e run-).' 'poweroff' >"$input"
BOOT_INPUT=$input BOOT_WHEN="Enter 'help'" boot run 60 "kbox.shell=1"
is "$rc" 0 "the machine powers off cleanly"
has_end "BIG-RC-137." "-m 16M: the OOM killer ends a container that wants it all (137)"
has_end "CapEff:	00000000a80405fb" "on cgroup v2 the container keeps CAP_MKNOD"
has_end "mknod: /tmp/sda: Operation not permitted" "but the device allowlist holds"
has_match "kbox: run-[0-9]+: cpus: 64 is more than the 2 CPUs available$" "an impossible limit is refused"
has_end "CPUS-RC-125." "with status 125"
has_end "LEAVES-0." "no cgroup leaf is left behind"
done_testing
