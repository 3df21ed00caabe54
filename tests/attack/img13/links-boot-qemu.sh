#!/bin/bash
# The importer stores equal files once, as hard links (emit.c), and PID 1's first act,
# copying the initramfs into a tmpfs (init/boot.c copy_regular), looks every hard-linked
# file up in a list it searches from the start (find_link) and grows by one (remember_link):
# N linked inodes cost N^2/2 comparisons before anything else happens. An image of N pairs
# of equal small files (each pair's content its own) against one of 2N distinct files:
# the boot's "init ready" time, for each. Seen at 40000: distinct 98 s, pairs 118 s (the
# kernel's own link table, 32 buckets, costs most of the difference: /init started at 24 s
# against 50 s). Slow, not stuck: a note, not a finding.
# usage: links-boot-qemu.sh [N]   (default 40000)
export IMG13=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/../../lib.sh"
n=${1:-40000}
work=$out/tests/img13-links
rm -rf "$work" && mkdir -p "$work/conf"
python3 - "$work" "$n" <<'PY'
import gzip, os, sys
sys.path.insert(0, os.environ['IMG13'])
from lib import *
d, n = sys.argv[1], int(sys.argv[2])
for kind in ('pairs', 'distinct'):
    with gzip.open('%s/%s.tar.gz' % (d, kind), 'wb', 6) as f:
        f.write(dir_('a/') + dir_('b/'))
        for i in range(n):
            f.write(file('a/%d' % i, '%d\n' % i))
            f.write(file('b/%d' % i, '%d\n' % (i if kind == 'pairs' else i + n)))
        f.write(b'\0' * 1024)
PY
printf 'shell = 1\n' >"$work/conf/kbox.conf"
for kind in distinct pairs; do
	build_initrd "img13-links-$kind" "an appliance with $n $kind" --conf "$work/conf" \
		--image "$kind=tar:$work/$kind.tar.gz" 2>"$work/$kind.build.err" || cat "$work/$kind.build.err"
	# every small file costs a page of RAM, twice while PID 1 copies: room for both
	boot_shell "img13-links-$kind" 900 "" --initrd "$initrd" --memory 2048 <<<'poweroff'
	eval "t_$kind=$(sed -n 's/.*init ready (boot +\([0-9.]*\) s).*/\1/p' "$log")"
	echo "$kind: init ready at boot +$(eval echo "\${t_$kind:-never}") s"
done
awk -v a="${t_pairs:-0}" -v b="${t_distinct:-0}" 'BEGIN {
	if (a > 2 * b + 10) printf "FINDING: %d linked pairs delay the boot by %.0f s\n", '"$n"', a - b
	else printf "ok: %.1f s against %.1f s\n", a, b }'
