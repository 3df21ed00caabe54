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
	ok $? "the runtime under test: $rt" || { rm -rf "$tmp"; done_testing; exit 1; }
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

# oci_archive ROOTFS NAME FILE: an OCI image archive (oci-layout, index.json, blobs) of one
# uncompressed layer, ROOTFS, named NAME (io.containerd.image.name, ref.name its tag), made
# here rather than by a registry or podman: ctr images import takes it as it is.
oci_archive() {
	local d=$3.d layer cfg man ls cs ms
	rm -rf "$d" && mkdir -p "$d/blobs/sha256" || return
	tar --numeric-owner --sort=name -C "$1" -cf "$d/layer" . || return
	layer=$(sha256sum <"$d/layer" | cut -d' ' -f1) ls=$(stat -c %s "$d/layer")
	mv "$d/layer" "$d/blobs/sha256/$layer"
	printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["/bin/sh"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$layer" >"$d/cfg"
	cfg=$(sha256sum <"$d/cfg" | cut -d' ' -f1) cs=$(stat -c %s "$d/cfg")
	mv "$d/cfg" "$d/blobs/sha256/$cfg"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
		"$cfg" "$cs" "$layer" "$ls" >"$d/man"
	man=$(sha256sum <"$d/man" | cut -d' ' -f1) ms=$(stat -c %s "$d/man")
	mv "$d/man" "$d/blobs/sha256/$man"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
		"$man" "$ms" "$2" "${2##*:}" >"$d/index.json"
	tar -C "$d" -cf "$3" oci-layout index.json blobs && rm -rf "$d"
}
