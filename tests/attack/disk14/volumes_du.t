#!/bin/bash
# Attack: a container fills its volume with hard-linked files; kbox volumes (du_first) looks
# each inode up in a flat list: quadratic, 4 times the files take about 16 times as long.
. "$(dirname "$0")/../../lib.sh"
if [ "${1:-}" != --inside ]; then
	exec unshare -m --propagation private "$0" --inside
fi
mount -t tmpfs -o mode=755 kbox-atk /var/lib && mkdir -p /var/lib/kbox/volumes
kbox=$out/kbox
mk() { # mk NAME COUNT: COUNT files with 2 names each
	mkdir -p "/var/lib/kbox/volumes/$1" && (cd "/var/lib/kbox/volumes/$1" &&
		seq "$2" | xargs touch && seq "$2" | sed 's/.*/& &.l/' | xargs -n2 ln)
}
timeit() { local t0 t1; t0=$(date +%s.%N); "$kbox" volumes >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
mk small 10000
ts=$(timeit)
rm -rf /var/lib/kbox/volumes/small
mk big 40000
tb=$(timeit)
diag <<<"10000 files: $ts s, 40000 files: $tb s"
[ "$(echo "$tb < 6 * $ts" | bc)" = 1 ]
ok $? "kbox volumes grows about linearly with a volume's hard-linked files"
done_testing
