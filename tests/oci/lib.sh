# What tests/host/oci-*.t share: the runtime under test, a busybox rootfs, a temp dir that
# goes at the end. Sourced after tests/lib.sh.
# shellcheck shell=bash

# oci_setup NAME: $tmp, a fresh directory of this test's (removed by oci_cleanup), and $rt,
# the runtime under test: $KBOX_OCI_RUNTIME (/usr/sbin/runc checks the test itself), else
# out/kbox-runc, else a kbox-runc symlink to out/kbox in $tmp (kbox picks the runc command
# line by the name it is called by). The first TAP line says which.
oci_setup() {
	tmp=$(mktemp -d "/tmp/kbox-$1.XXXXXX") || exit 1
	rt=${KBOX_OCI_RUNTIME:-}
	if [ -z "$rt" ] && [ -e "$out/kbox-runc" ]; then
		rt=$out/kbox-runc
	elif [ -z "$rt" ]; then
		mkdir -p "$tmp/bin" && ln -s "$out/kbox" "$tmp/bin/kbox-runc"
		rt=$tmp/bin/kbox-runc
	fi
	[ -x "$rt" ]
	ok $? "the runtime under test: $rt" || { done_testing; exit 1; }
}

# oci_rootfs DIR: a busybox-static tree (applet links, the initramfs's passwd and group).
oci_rootfs() {
	local a
	mkdir -p "$1"/{bin,etc,proc,sys,dev,tmp,root} && cp /bin/busybox "$1/bin/busybox" &&
		cp "$top/initramfs/passwd" "$top/initramfs/group" "$1/etc/" || return
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$1/bin/$a"
	done
}

# oci_cleanup: remove $tmp, unmounting whatever is still mounted below it first.
oci_cleanup() {
	local m
	[ -n "${tmp:-}" ] && [ -d "$tmp" ] || return 0
	awk -v t="$tmp/" 'substr($5, 1, length(t)) == t { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
	rm -rf "$tmp"
}
