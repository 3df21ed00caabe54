#!/bin/bash
# User namespaces: root inside is an unprivileged id outside; the image's files are owned by
# the container's root, though the image itself is never changed.
. "$(dirname "$0")/../lib.sh"
build_initrd userns "build an initramfs with two userns containers" \
	--conf "$top/tests/qemu/conf/userns"

# From the appliance, once both have exited: who owns what the container wrote.
boot_shell userns 60 "kbox.shell=1" --initrd "$initrd" \
	< <(printf '%s\n' 'until [ -e /run/kbox/userns/upper/made-here ]; do sleep 0.05; done' \
	'while [ -d /sys/fs/cgroup/kbox/userns ] || [ -d /sys/fs/cgroup/kbox/userns-ro ]; do sleep 0.05; done' \
	'stat -c "upper-owner=%u:%g" /run/kbox/userns/upper/made-here' \
	'stat -c "image-owner=%u:%g" /images/busybox/bin/busybox' \
	'echo UPPER-BLOCKS-$(stat -c %b /run/kbox/userns/upper/bin/busybox).' \
	'echo ROOT-MOUNTS-$(grep -c " /run/kbox/userns/root " /proc/mounts).' 'poweroff')
is "$rc" 0 "the machine powers off cleanly"

has_line "userns | uidmap=0:100000:65536" "userns=0:100000:65536 is the container's uid map"
has_line "userns | id=0:0" "the payload is root inside"
has_line "userns | image-owner=0:0" "the image's files belong to root inside"
has_line "userns | etc-writable" "so root inside can write them (into its upper layer)"
has_line "userns | CapEff:	00000000a80405fb" "Docker's default set, within the user namespace"
has_line "userns | userns" "the hostname is set inside"
has_line "userns | dev-null-writable" "/dev/null works (bound from the appliance)"
has_line "userns | mknod: /tmp/disk: Operation not permitted" "no device node can be made"
has_line "kbox: userns: exited with status 0" "the container ran to the end"
has_end "upper-owner=100000:100000" "a file it made is owned by uid 100000 on the appliance"
has_end "image-owner=0:0" "the image itself still belongs to root"
has_end "UPPER-BLOCKS-0." "ownership was shifted by metadata alone: no data copied up"
has_end "ROOT-MOUNTS-0." "its root is unmounted once it exited"

has_line "userns-ro | root-ro" "readonly=true with userns: the root cannot be written"
has_line "userns-ro | scratch-ok" "a tmpfs is writable"
has_line "userns-ro | owner=0" "and the image belongs to root inside"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
