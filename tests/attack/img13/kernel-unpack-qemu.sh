#!/bin/bash
# What the kernel makes of odd but accepted cpio entries: a setuid file the tar says is owned
# by uid/gid 4294967295 (the kernel's chown takes (uid_t)-1 as "leave it": the file stays
# root's, setuid root), names with a newline and an escape byte, and a 4000-byte path whose
# last component is 3998 bytes (over NAME_MAX, 255: the kernel cannot create it and says
# nothing; the importer only checks the whole path's length, IMG_PATH_MAX, so the file is
# missing in the appliance without a report). Boots the appliance and looks on the console.
# (A deep path is deep-boot-qemu.sh's.)
# usage: kernel-unpack-qemu.sh
export IMG13=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/../../lib.sh"
work=$out/tests/img13-unpack
rm -rf "$work" && mkdir -p "$work/conf"
python3 - "$work/odd.tar" <<'PY'
import os, sys
sys.path.insert(0, os.environ['IMG13'])
from lib import *
def gnu_long(name, hdr):
    data = name + b'\0'
    return header('././@LongLink', len(data), b'L') + pad(data) + hdr
p = pax([(b'uid', b'4294967295'), (b'gid', b'4294967295')])
t = tar(header('PaxHeaders/suid', len(p), b'x') + pad(p) + header('suid', 10, mode=0o4755) + pad(b'#!/bin/sh\n'),
        file('nl\nname', 'x'), file('esc\x1b[31mname', 'x'),
        gnu_long(('l/' + 'n' * 3998).encode(), header('x', 5) + pad(b'long\n')))
put(sys.argv[1], t)
PY
printf 'shell = 1\n' >"$work/conf/kbox.conf"
build_initrd img13-unpack "an appliance with the odd image" --conf "$work/conf" --image "odd=tar:$work/odd.tar"
boot_shell img13-unpack 300 "" --initrd "$initrd" <<'IN'
echo "SUID: $(stat -c '%u:%g %a' /images/odd/suid)"
echo "NAMES: $(ls /images/odd | od -c | head -2 | tr -s ' ' | tr '\n' ' ')"
echo "LONG: $(ls /images/odd/l | wc -l) entries in /images/odd/l"
poweroff
IN
grep -E '^(SUID|NAMES|LONG):' "$log"
suid=$(sed -n 's/^SUID: //p' "$log")
[ "$suid" = "0:0 4755" ] && echo "FINDING: uid 4294967295's setuid file is root's setuid file in the appliance ($suid)" ||
	echo "ok: suid is '$suid'"
grep -q '^LONG: 0 entries' "$log" && echo "FINDING: the file with a 3998-byte name is missing, and the build said nothing" ||
	echo "ok: $(grep '^LONG:' "$log")"
