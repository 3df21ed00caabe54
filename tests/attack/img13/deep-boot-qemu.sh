#!/bin/bash
# One image with a deep directory (DEPTH levels of "a/", default 400: an 800-byte path, well
# inside what the importer takes, IMG_PATH_MAX 4000 and up to 2000 levels) and the appliance
# no longer boots: boot_switch_root's copy into the tmpfs (init/boot.c copy_subdir) holds
# three descriptors per level (the source and target directories and copy_dir's DIR), so at
# some 340 levels it runs out of RLIMIT_NOFILE (1024), every level logs EMFILE, and PID 1
# says "fatal: moving the initramfs into a tmpfs failed; powering off". No container starts.
# usage: deep-boot-qemu.sh [DEPTH]
export IMG13=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/../../lib.sh"
depth=${1:-400}
work=$out/tests/img13-deep
rm -rf "$work" && mkdir -p "$work/conf"
python3 - "$work/deep.tar" "$depth" <<'PY'
import os, sys
sys.path.insert(0, os.environ['IMG13'])
from lib import *
name = ('a/' * int(sys.argv[2]) + 'x').encode()
data = name + b'\0'
put(sys.argv[1], tar(header('././@LongLink', len(data), b'L') + pad(data) + header('x', 5) + pad(b'deep\n')))
PY
printf 'shell = 1\n' >"$work/conf/kbox.conf"
printf 'cmd = echo other-container-ran\n' >"$work/conf/other.conf"
build_initrd img13-deep "an appliance with a $depth-deep image" --conf "$work/conf" --image "deep=tar:$work/deep.tar"
boot img13-deep 300 "" --initrd "$initrd"
echo "qemu/run: exit $rc"
grep -c 'No file descriptors available' "$log" | sed 's/^/EMFILE lines: /'
grep -E 'fatal|other-container-ran|init ready' "$log"
if grep -q 'fatal: moving the initramfs' "$log"; then
	echo "FINDING: a $depth-deep image stops the appliance's boot"
else
	echo "ok: it booted"
fi
