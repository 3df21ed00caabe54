#!/bin/bash
# A layer of N tiny files (default 120000; 1.3 MB gzipped) builds into an image the importer
# reports as some 700 KiB, and a 512 MB appliance (qemu/run's default) panics booting it:
# ramfs and tmpfs give every file a page, the kernel's unpack fails ("Initramfs unpacking
# failed: write error") and PID 1's copy into the tmpfs ends in "System is deadlocked on
# memory". The importer counts bytes only (emit.c count: info.size), never what an
# initramfs costs, and warns of nothing.
# usage: many-files-qemu.sh [N]
export IMG13=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/../../lib.sh"
n=${1:-120000}
work=$out/tests/img13-many
rm -rf "$work" && mkdir -p "$work/conf"
python3 - "$work/many.tar.gz" "$n" <<'PY'
import gzip, os, sys
sys.path.insert(0, os.environ['IMG13'])
from lib import *
with gzip.open(sys.argv[1], 'wb', 6) as f:
    f.write(dir_('d/'))
    for i in range(int(sys.argv[2])):
        f.write(file('d/%d' % i, '%d\n' % i))
    f.write(b'\0' * 1024)
PY
printf 'shell = 1\n' >"$work/conf/kbox.conf"
build_initrd img13-many "an appliance with $n tiny files" --conf "$work/conf" --image "many=tar:$work/many.tar.gz"
echo "the layer: $(stat -c %s "$work/many.tar.gz") bytes; the initramfs: $(stat -c %s "$initrd") bytes"
boot_shell img13-many 600 "" --initrd "$initrd" <<<'poweroff'
echo "qemu/run: exit $rc (4: kernel panic)"
grep -aE 'Initramfs unpacking failed|Kernel panic|init ready' "$log"
[ "$rc" = 4 ] && echo "FINDING: $n tiny files panic a 512 MB appliance" || echo "ok: exit $rc"
