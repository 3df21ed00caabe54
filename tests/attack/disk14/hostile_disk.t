#!/bin/bash
# Attack: a hostile data disk made on the host.
#  1. volumes/ is a symlink to / (debugfs): a container's volume=etc:/x is the appliance's own
#     /etc, read-write (volumes_prepare opens KBOX_VOLUMES following symlinks; mount_volume's
#     O_NOFOLLOW covers only the last component).
#  2. its label holds a newline and an escape: kbox escapes it (holds: control).
#  3. an ext4 whose first 256 KiB were zeroed (its primary superblock and group 0's
#     descriptors), recoverable with e2fsck -b 8193, is taken for blank and reformatted.
. "$(dirname "$0")/../../lib.sh"
d=$out/tests/atk14-disk
rm -rf "$d" && mkdir -p "$d/tree"

# 1 and 2.
img=$d/sym.img
truncate -s 32M "$img"
mkfs.ext4 -q -L $'a\nkbox: FORGED\e[2J' -d "$d/tree" "$img" 2>/dev/null &&
	debugfs -w -R "mkdir images" "$img" >/dev/null 2>&1 &&
	debugfs -w -R "symlink volumes /" "$img" >/dev/null 2>&1
ok $? "a disk with volumes -> / and a label with a newline (mkfs.ext4, debugfs)"
boot atk14-sym 60 "kbox.data=/dev/vda kbox.exit=poweroff kbox.v.net=none kbox.v.volume=etc:/x
 kbox.v.cmd=\"sh -c 'echo written-by-v >/x/atk14-was-here; ls /x | sed s/^/LS:/'\"
 kbox.w.net=none kbox.w.bind=/etc:/hostetc
 kbox.w.cmd=\"sh -c 'while ! [ -e /hostetc/atk14-was-here ]; do sleep 0.1; done; cat /hostetc/atk14-was-here'\"" \
	--disk "$img"
grep -q '^kbox: v: started' "$log"
ok $? "sym: the container with volume 'etc' starts (should: refused, volumes/ is a symlink)"
grep -q '^w | written-by-v$' "$log"
ok $? "sym: what it wrote to its volume is in the appliance's /etc (should not be)" &&
	grep '^v | LS:' "$log" | diag
! grep -q '^FORGED' "$log"
ok $? "sym: the label's newline is escaped in the log (no forged console line)"

# 3.
img=$d/zeroed.img
mkdir -p "$d/tree/keep" && echo precious >"$d/tree/keep/note"
truncate -s 64M "$img"
mkfs.ext4 -q -b 1024 -d "$d/tree" "$img" && dd if=/dev/zero of="$img" bs=1k count=256 conv=notrunc 2>/dev/null
cp "$img" "$d/zeroed-copy.img"
e2fsck -fy -b 8193 -B 1024 "$d/zeroed-copy.img" >/dev/null 2>&1
[ "$(debugfs -R "cat keep/note" "$d/zeroed-copy.img" 2>/dev/null)" = precious ]
ok $? "zeroed: the host's e2fsck -b 8193 recovers keep/note from a copy"
boot atk14-zeroed 60 "kbox.data=/dev/vda kbox.exit=poweroff kbox.ok.net=none kbox.ok.cmd=true" --disk "$img"
grep -q 'is blank .*making an ext4 filesystem' "$log"
ok $? "zeroed: kbox takes it for blank and formats it (should: refuse, a backup superblock is there)"
cp "$img" "$d/after.img"
e2fsck -fy -b 8193 -B 1024 "$d/after.img" >/dev/null 2>&1
[ "$(debugfs -R "cat keep/note" "$d/after.img" 2>/dev/null)" = precious ]
ok $? "zeroed: keep/note still recoverable after the boot (fails: destroyed)"
done_testing
