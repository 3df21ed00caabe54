#!/bin/bash
# PID 1 stops serving while it parses a big record (see record-stall.py): an image whose
# config has an Env of N distinct names (default 50000, a 0.8 MB record, under the 4 MiB
# limit) is built into an appliance with a container 'big' that uses it and a heartbeat
# container 'beat' (busybox, no record). At boot PID 1 parses big's record before it starts
# beat or answers the control socket: beat starts, and the first kbox ps on the console
# returns, only once the parse is done (seen: 250 s under TCG for 100000 names).
# usage: record-stall-qemu.sh [N]
export IMG13=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/../../lib.sh"
n=${1:-50000}
work=$out/tests/img13-stall
rm -rf "$work" && mkdir -p "$work/conf"
python3 - "$work/big" "$n" <<'PY'
import sys, os
sys.path.insert(0, os.environ.get('IMG13', '.'))
from lib import *
oci_layout(sys.argv[1], [tar(dir_('bin/'), file('bin/x', 'y'))],
           config={'Env': ['V%d=' % i for i in range(int(sys.argv[2]))], 'Cmd': ['/bin/sh']})
PY
printf 'shell = 1\n' >"$work/conf/kbox.conf"
printf 'image = big\ncmd = /images-none\nrestart = no\n' >"$work/conf/big.conf"
printf "cmd = sh -c 'while :; do echo beat-\$(date +%%s); sleep 1; done'\n" >"$work/conf/beat.conf"
build_initrd img13-stall "an appliance with a $n-name Env image" --conf "$work/conf" \
	--image "big=oci:$work/big"
boot_shell img13-stall 900 "" --initrd "$initrd" <<'IN'
t=$(date +%s); kbox ps >/dev/null; echo PS-FIRST-$(( $(date +%s) - t ))-S
t=$(date +%s); kbox ps >/dev/null; echo PS-AGAIN-$(( $(date +%s) - t ))-S
poweroff
IN
grep -E 'init ready|beat: started|PS-(FIRST|AGAIN)' "$log"
first=$(sed -n 's/.*PS-FIRST-\([0-9]*\)-S.*/\1/p' "$log")
again=$(sed -n 's/.*PS-AGAIN-\([0-9]*\)-S.*/\1/p' "$log")
beat=$(sed -n 's/.*beat: started.*boot +\([0-9]*\)\..*/\1/p' "$log")
if [ -n "$first" ] && [ "$first" -ge 3 ]; then
	echo "FINDING: the first kbox ps waited $first s (the next $again s), beat started at boot +${beat:-?} s"
else
	echo "ok: kbox ps took ${first:-?} s, beat started at boot +${beat:-?} s"
fi
