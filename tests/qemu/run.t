#!/bin/bash
# kbox run inside the appliance: cgroup v2 there, so limits hold and the device allowlist
# keeps CAP_MKNOD in check. Beside PID 1's containers: images from /images (then
# /var/lib/kbox/images), its own state and cgroup leaf, and a supervised name refused.
. "$(dirname "$0")/../lib.sh"
build_initrd run "build an initramfs with a supervised web container" \
	--conf "$top/tests/qemu/conf/run" ${KBOX_BIN:+--kbox "$KBOX_BIN"}

boot_shell run 120 "" --initrd "$initrd" <<'IN'
kbox run --rm --name big -m 16M /images/busybox tail /dev/zero; echo BIG-RC-$?.
kbox run --rm /images/busybox sh -c "grep CapEff /proc/self/status; mknod /tmp/sda b 8 0"
kbox run --rm --cpus 64 /images/busybox true; echo CPUS-RC-$?.
kin() { for f in /proc/1/fd/*; do l=$(readlink $f); case $l in mnt:*) [ "$l" = "$(readlink /proc/1/ns/mnt)" ] || { nsenter --mount=$f "$@"; return; } ;; esac; done; return 1; }
until kin test -e /run/kbox/web/upper/kept; do sleep 0.05; done
kbox run --rm --name web busybox true; echo WEB-RC-$?.
echo UPPER-$(kin cat /run/kbox/web/upper/kept). WEBLEAF-$(ls /sys/fs/cgroup/kbox | grep -cx web).
kbox ps | awk '$1 == "web" { print "PS-web-" $2 "." }'
kbox run --rm busybox sh -c 'echo from-$(hostname)-images'; echo IMG-RC-$?.
mkdir -p /var/lib/kbox/images && cp -a /images/busybox /var/lib/kbox/images/second
kbox run --rm --name vl second sh -c 'echo from-$(hostname)-var-lib'; echo VAR-RC-$?.
kbox run --rm nosuch true; echo NOSUCH-RC-$?.
kbox run --rm --name bg -v /tmp:/shared busybox sh -c 'until [ -e /shared/bg-go ]; do sleep 0.05; done' &
until [ -d /sys/fs/cgroup/kbox/.run-bg ]; do sleep 0.05; done
echo BG-LEAF-$(ls -a /sys/fs/cgroup/kbox | grep -cx '\.run-bg'). BG-STATE-$(ls /run/kbox/.run/bg | sort | tr '\n' ,).
touch /tmp/bg-go; wait
kbox run --name kept busybox sh -c 'echo mine >/mine'
echo KEPT-$(cat /run/kbox/.run/kept/upper/mine). KEPT-OUTSIDE-$(ls /run/kbox | grep -cx kept).
echo LEAVES-$(ls -a /sys/fs/cgroup/kbox | grep -c -e big -e run-).
poweroff
IN
is "$rc" 0 "the machine powers off cleanly"
has_end "BIG-RC-137." "-m 16M: the OOM killer ends a container that wants it all (137)"
has_end "CapEff:	00000000a80405fb" "on cgroup v2 the container keeps CAP_MKNOD"
has_end "mknod: /tmp/sda: Operation not permitted" "but the device allowlist holds"
has_match "kbox: run-[0-9]+: cpus: 64 is more than the 2 CPUs available$" "an impossible limit is refused"
has_end "CPUS-RC-125." "with status 125"

has_end "kbox: web: is one of PID 1's containers (kbox ps); give this run another --name" \
	"kbox run --name web, web being supervised, is refused with the reason"
has_end "WEB-RC-125." "with status 125"
has_end "UPPER-kept. WEBLEAF-1." "the supervised web keeps its upper layer and its cgroup leaf"
has_end "PS-web-running." "and runs on"
early=$(sed -n '/stopping containers$/q; /kbox: web: \(killed\|exited\)/p' "$log")
[ -z "$early" ]
ok $? "it was never killed before the shutdown" || echo "$early" | diag
has_match "^from-run-[0-9]+-images$" "an image name is found in /images"
has_end "IMG-RC-0." "with status 0"
has_end "from-vl-var-lib" "and in /var/lib/kbox/images after it"
has_end "VAR-RC-0." "with status 0"
has_match "kbox: run-[0-9]+: image: 'nosuch' not found in /images or /var/lib/kbox/images$" \
	"a missing image names both places"
has_end "NOSUCH-RC-125." "with status 125"
has_end "BG-LEAF-1. BG-STATE-layer,lock,root,upper,." \
	"a run's cgroup leaf is kbox/.run-NAME, its state /run/kbox/.run/NAME"
has_end "KEPT-mine. KEPT-OUTSIDE-0." "without --rm its upper stays there, never in /run/kbox/NAME"
has_end "LEAVES-0." "no cgroup leaf is left behind"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
