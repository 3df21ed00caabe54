#!/bin/bash
# Attack: kbox load racing container starts. rootfs_prepare() takes the image's real path
# (image_path's realpath) and mounts the overlay on it only later; a load committing in
# between finds no overlay on the old generation (in_use) and removes it: the start fails,
# or runs on a tree half removed.
. "$(dirname "$0")/../../lib.sh"
if [ "${1:-}" != --inside ]; then
	exec unshare -m --propagation private "$0" --inside
fi
mount -t tmpfs -o mode=755 kbox-atk /var/lib && mkdir -p /var/lib/kbox
kbox=$out/kbox
tar=$out/images/kbase.rootfs.tar
"$kbox" load "tar:$tar" r >/dev/null 2>&1
ok $? "load r"
n=${RACE_N:-60}
(for i in $(seq "$n"); do "$kbox" load "tar:$tar" r >/dev/null 2>&1; done) &
loader=$!
fails=0
for i in $(seq "$n"); do
	if ! env -u KBOX_IMAGES "$kbox" run --rm --net none r /bin/sh -c 'test -x /bin/sh && echo alive' \
		>/tmp/atk14-race.out 2>&1 || ! grep -q alive /tmp/atk14-race.out; then
		fails=$((fails + 1))
		[ "$fails" -le 3 ] && diag </tmp/atk14-race.out
	fi
done
wait "$loader"
is "$fails" 0 "of $n starts racing $n loads, none fails"
done_testing
