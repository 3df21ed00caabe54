#!/bin/bash
# Attack: an image named like the importer's own scratch names. collect() removes every
# entry starting ".load-" as a crashed load's store, before it checks for a generation, so
# the generation ".load-x.1" of an image named "load-x" is deleted right after its commit.
. "$(dirname "$0")/../../lib.sh"
if [ "${1:-}" != --inside ]; then
	exec unshare -m --propagation private "$0" --inside
fi
mount -t tmpfs -o mode=755 kbox-atk /var/lib && mkdir -p /var/lib/kbox
kbox=$out/kbox
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
mkdir -p "$src/bin" "$src/etc" && echo hello >"$src/etc/motd"
for name in plain load-x tmp-x; do
	"$kbox" load "$src" "$name" >/tmp/atk14-load-$name.log 2>&1
	ok $? "kbox load DIR $name succeeds"
	cat "/var/lib/kbox/images/$name/etc/motd" 2>/dev/null | grep -q hello
	ok $? "$name: the committed image is there after the load (images/$name/etc/motd)" ||
		{ ls -la /var/lib/kbox/images | diag; diag </tmp/atk14-load-$name.log; }
done
done_testing
