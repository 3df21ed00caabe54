# Shared by the oci18 attack reproducers: a busybox bundle, kbox-runc, a private --root.
# shellcheck shell=bash
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
T=$(mktemp -d /tmp/oci18.XXXXXX)
mkdir -p "$T/bin" && ln -s "$top/out/kbox" "$T/bin/kbox-runc"
RT="$T/bin/kbox-runc"
ROOT=$T/state
R() { "$RT" --root "$ROOT" "$@"; }
mkbundle() { # mkbundle DIR: DIR/rootfs, busybox
	local d=$1/rootfs a
	mkdir -p "$d"/{bin,etc,proc,sys,dev,tmp,root}
	cp /bin/busybox "$d/bin/busybox" || exit 1
	for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$d/bin/$a"; done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$d/etc/passwd"; echo 'root:x:0:' >"$d/etc/group"
	(cd "$1" && "$RT" spec)
}
# cfg DIR JQEXPR: edit DIR/config.json with jq
cfg() { jq "$2" "$1/config.json" >"$1/c.tmp" && mv "$1/c.tmp" "$1/config.json"; }
cleanup() {
	awk -v t="$T/" 'substr($5,1,length(t))==t {print $5}' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
