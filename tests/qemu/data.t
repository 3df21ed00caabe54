#!/bin/bash
# The data disk (kbox.data): a blank disk is formatted on the first boot and found as it was
# left on the next (same UUID, same file); LABEL= and UUID= find a disk made on the host; a
# missing disk, an unformattable one, a corrupt one and a foreign one are reported while a
# healthy container runs beside them, and none of them is formatted; at shutdown the disk is
# unmounted (clean on the host, no journal to replay) after what held it was named and
# stopped, or left read-only when that cannot be stopped.
. "$(dirname "$0")/../lib.sh"
disks=$out/tests/data
rm -rf "$disks"
mkdir -p "$disks"

# The filesystem's UUID, from the host's e2fsprogs.
uuid_of() { dumpe2fs -h "$1" 2>/dev/null | sed -n 's/^Filesystem UUID: *//p'; }
# The UUID the mount line of the last boot gave.
logged_uuid() { sed -n 's/^kbox: data: \/dev\/vda (.*, UUID \([0-9a-f-]*\)) mounted on .*/\1/p' "$log"; }
# before_match RE1 RE2 DESCRIPTION: the first line matching RE1 comes before one matching RE2.
before_match() {
	local a b
	a=$(grep -n -m1 -E -- "$1" "$log" | cut -d: -f1)
	b=$(grep -n -m1 -E -- "$2" "$log" | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
	ok $? "$3" || echo "#   /$1/ at line ${a:-none}, /$2/ at line ${b:-none} of $log"
}
# Clean on the host: e2fsck -fn finds nothing, and no journal waits to be replayed.
host_clean() {
	e2fsck -fn "$1" >"$disks/fsck.out" 2>&1 && ! dumpe2fs -h "$1" 2>/dev/null | grep -q needs_recovery
	ok $? "$2" || diag <"$disks/fsck.out"
}
# kbox's "mounted on" line, and that the disk was let go at shutdown.
mounted_line='^kbox: data: /dev/vda \(ext4 .*\) mounted on /var/lib/kbox: [0-9.]+[KMG], [0-9.]+[KMGB] free \([0-9]+%\), [0-9]+ of [0-9]+ inodes free \(boot \+[0-9.]+ s\)$'
healthy='kbox.ok.net=none kbox.ok.cmd="echo healthy"'

# 1. A blank disk: formatted, written, unmounted; the host finds it clean.
img=$disks/fresh.img
truncate -s 64M "$img"
boot fresh 60 "kbox.data=/dev/vda kbox.exit=poweroff kbox.w.net=none kbox.w.bind=/var/lib/kbox:/data
 kbox.w.cmd=\"sh -c 'echo written-in-boot-1 >/data/value; cat /data/value; ls -d /data/images /data/volumes'\"" \
	--disk "$img"
is "$rc" 0 "fresh: the machine powers off cleanly"
has_line "kbox: data: /dev/vda is blank (nothing but zeros in its first 256 KiB and last 1 MiB): making an ext4 filesystem labelled 'kbox-data'" \
	"fresh: a blank disk is formatted, and kbox says why"
has_match "^kbox: data: made an ext4 filesystem on /dev/vda in [0-9.]+ s \(boot \+[0-9.]+ s\)$" "fresh: mke2fs made it"
has_match "$mounted_line" "fresh: mounted on /var/lib/kbox, with its size and free space"
before_match "$mounted_line" "^kbox: w: started" "fresh: mounted before the first container starts"
has_line "w | /data/images" "fresh: images/ is made on it"
has_line "w | /data/volumes" "fresh: and volumes/"
before "kbox: w: exited with status 0" "kbox: data: unmounted /var/lib/kbox" \
	"fresh: unmounted after the containers stopped"
before "kbox: data: unmounted /var/lib/kbox" "kbox: reaped 0 orphans; poweroff" "fresh: before power-off"
uuid1=$(logged_uuid)
is "$(uuid_of "$img")" "$uuid1" "fresh: the UUID kbox logged is the filesystem's"
is "$(dumpe2fs -h "$img" 2>/dev/null | sed -n 's/^Filesystem volume name: *//p')" kbox-data \
	"fresh: labelled kbox-data"
dumpe2fs -h "$img" 2>/dev/null | grep -q '^Filesystem features:.*has_journal.*extent'
ok $? "fresh: ext4 with its journal"
host_clean "$img" "fresh: clean on the host (e2fsck -fn), no journal recovery needed"

# 2. The same disk again: checked, not formatted; the file is there.
boot again 60 "kbox.data=/dev/vda kbox.exit=poweroff kbox.r.net=none kbox.r.bind=/var/lib/kbox:/data
 kbox.r.cmd=\"cat /data/value\"" --disk "$img"
is "$rc" 0 "again: the machine powers off cleanly"
has_match "^kbox: data: /dev/vda holds ext4 'kbox-data' \(UUID $uuid1\); checking it \(e2fsck -p\)$" \
	"again: the filesystem is found and checked"
has_match "^kbox: data: e2fsck: kbox-data: clean, " "again: e2fsck -p finds it clean"
lacks_match "making an ext4 filesystem" "again: it is not formatted again"
is "$(logged_uuid)" "$uuid1" "again: same UUID as boot 1"
has_line "r | written-in-boot-1" "again: the file written in boot 1 is read in boot 2"
has_line "kbox: data: unmounted /var/lib/kbox" "again: unmounted at shutdown"
host_clean "$img" "again: clean on the host"

# 3. LABEL= and UUID= find a disk made on the host, with a file on it.
mkdir -p "$disks/tree"
echo made-on-the-host >"$disks/tree/note"
lab=$disks/labelled.img
rm -f "$lab"
mkfs.ext4 -q -L appdata -U 6e0f0a4c-3c41-4e0b-9f5a-2b8d7c6e1a90 -d "$disks/tree" "$lab" 32M
ok $? "a labelled ext4 image made with the host's mkfs.ext4"
for spec in LABEL=appdata UUID=6E0F0A4C-3C41-4E0B-9F5A-2B8D7C6E1A90; do
	boot "by-${spec%%=*}" 60 "kbox.data=$spec kbox.exit=poweroff kbox.r.net=none kbox.r.bind=/var/lib/kbox:/data kbox.r.cmd=\"cat /data/note\"" \
		--disk "$lab"
	is "$rc" 0 "$spec: the machine powers off cleanly"
	has_match "^kbox: data: /dev/vda holds ext4 'appdata' \(UUID 6e0f0a4c-3c41-4e0b-9f5a-2b8d7c6e1a90\); checking it" \
		"$spec: finds /dev/vda"
	has_line "r | made-on-the-host" "$spec: its file is read"
	has_line "kbox: data: unmounted /var/lib/kbox" "$spec: unmounted at shutdown"
done
host_clean "$lab" "LABEL=, UUID=: clean on the host"

# 4. Missing: no disk at all, and a label no disk has (beside a blank disk, never formatted).
boot missing 60 "kbox.data=/dev/vdb kbox.data_timeout=1500ms kbox.exit=poweroff $healthy"
is "$rc" 0 "missing: the machine powers off cleanly"
has_line "kbox: data: waiting up to 1500 ms for '/dev/vdb'" "missing: kbox waits, and says so"
has_line "kbox: data disk '/dev/vdb': not found after 1500 ms" "missing: and gives up with the reason"
has_line "ok | healthy" "missing: a container without volumes still starts"
lacks_match "^kbox: data: unmounted" "missing: nothing to unmount"
blank=$disks/blank.img
truncate -s 16M "$blank"
boot nolabel 60 "kbox.data=LABEL=nope kbox.data_timeout=1s kbox.exit=poweroff $healthy" --disk "$blank"
has_line "kbox: data disk 'LABEL=nope': not found after 1 s" "LABEL=nope: not found"
has_line "ok | healthy" "LABEL=nope: the container runs"
cmp -s -n 16777216 "$blank" /dev/zero
ok $? "LABEL=nope: the blank disk beside it is left blank (a label never formats)"

# 5. A disk too small for a filesystem: mke2fs fails, the reason is given.
tiny=$disks/tiny.img
truncate -s 16K "$tiny"
boot tiny 60 "kbox.data=/dev/vda kbox.exit=poweroff $healthy" --disk "$tiny"
is "$rc" 0 "tiny: the machine powers off cleanly"
has_match "^kbox: data disk '/dev/vda': mke2fs failed with status 1 \(.+\); it is not used$" \
	"tiny: mke2fs fails, and kbox says why"
has_line "ok | healthy" "tiny: the container runs"

# 6. Corrupt: an ext4 image with its superblock and every backup overwritten. e2fsck -p
# fails; the disk is neither mounted nor formatted (not a byte changes).
bad=$disks/corrupt.img
rm -f "$bad"
mkfs.ext4 -q -b 1024 -L corrupt "$bad" 64M
for b in 1 $(dumpe2fs "$bad" 2>/dev/null | sed -n 's/^ *Backup superblock at \([0-9]*\),.*/\1/p'); do
	yes 'not a superblock' | head -c 1024 | dd of="$bad" bs=1024 seek="$b" conv=notrunc status=none
done
! e2fsck -p "$bad" >/dev/null 2>&1
ok $? "corrupt: the host's e2fsck -p cannot repair the image either"
sum=$(sha256sum <"$bad")
boot corrupt 60 "kbox.data=/dev/vda kbox.exit=poweroff $healthy" --disk "$bad"
is "$rc" 0 "corrupt: the machine powers off cleanly"
has_line "kbox: data disk '/dev/vda': it holds no filesystem e2fsck -p can use or repair (e2fsck -p: status 8, an operational error (e2fsck: Bad magic number in super-block while trying to open /dev/vda)); it is neither mounted nor formatted" \
	"corrupt: e2fsck's verdict, and what kbox did not do"
has_line "ok | healthy" "corrupt: the container runs"
lacks_match "mounted on /var/lib/kbox|making an ext4" "corrupt: not mounted, not formatted"
is "$(sha256sum <"$bad")" "$sum" "corrupt: the image is unchanged"

# 7. Another filesystem's signature: left alone.
xfs=$disks/xfs.img
truncate -s 16M "$xfs"
printf 'XFSB' | dd of="$xfs" conv=notrunc status=none
boot xfs 60 "kbox.data=/dev/vda kbox.exit=poweroff $healthy" --disk "$xfs"
has_line "kbox: data disk '/dev/vda': /dev/vda holds xfs, not ext4; it is not used (kbox formats blank disks only)" \
	"xfs: a foreign filesystem is not used"
is "$(head -c 4 "$xfs")$(tail -c +5 "$xfs" | tr -d '\0' | wc -c)" XFSB0 "xfs: nor formatted"

# 8. What holds the disk at shutdown is named and stopped, then the disk is unmounted: a
# working directory, an open file (its process ignores SIGTERM) and a mount namespace of
# its own (unshare -m), all from the console shell.
boot_shell holders 60 "kbox.shell=1 kbox.data=/dev/vda" --disk "$img" <<'IN'
(cd /var/lib/kbox && exec sleep 100000) &
(trap "" TERM; exec sleep 100001 3>/var/lib/kbox/held) &
unshare -m sleep 100002 &
until [ "$(ps -o args | grep -c '^sleep 10000[012]$')" = 3 ]; do sleep 0.05; done
kbox poweroff
IN
is "$rc" 0 "holders: the machine powers off cleanly"
has_match "^kbox: data: pid [0-9]+ \(sleep\) holds /var/lib/kbox: its working directory /var/lib/kbox$" \
	"holders: a working directory is named"
has_match "^kbox: data: pid [0-9]+ \(sleep\) holds /var/lib/kbox: its open file /var/lib/kbox/held \(fd 3\)$" \
	"holders: an open file is named"
has_match "^kbox: data: pid [0-9]+ \(sleep\) holds /var/lib/kbox: its mount namespace, where it is mounted on /var/lib/kbox$" \
	"holders: a mount namespace that has it mounted is named"
has_line "kbox: data: SIGTERM to 3 processes holding /var/lib/kbox" "holders: they get SIGTERM"
has_line "kbox: data: SIGKILL to 1 still holding it" "holders: the one that ignores it, SIGKILL"
has_line "kbox: data: unmounted /var/lib/kbox" "holders: then the disk is unmounted"
before_match "^kbox: data: unmounted /var/lib/kbox$" "^kbox: reaped [0-9]+ orphans; poweroff$" "holders: before power-off"
host_clean "$img" "holders: clean on the host"

# 9. A holder SIGKILL cannot end (frozen, as in D state): named, and the disk is left
# mounted read-only, which leaves it clean all the same.
boot_shell frozen 60 "kbox.shell=1 kbox.data=/dev/vda" --disk "$img" <<'IN'
mkdir /tmp/fz && mount -t cgroup -o freezer freezer /tmp/fz && mkdir /tmp/fz/ice
(cd /var/lib/kbox/volumes && exec sleep 100000) &
p=$!; until [ "$(cat /proc/$p/comm)" = sleep ]; do sleep 0.05; done; echo $p >/tmp/fz/ice/tasks
echo FROZEN >/tmp/fz/ice/freezer.state
kbox poweroff
IN
is "$rc" 0 "frozen: the machine powers off anyway"
has_line "kbox: data: still held after SIGKILL, /var/lib/kbox stays mounted:" "frozen: kbox says it cannot unmount"
has_match "^kbox: data: pid [0-9]+ \(sleep\) holds /var/lib/kbox: its working directory /var/lib/kbox/volumes$" \
	"frozen: and names what holds it"
has_line "kbox: data: remounted /var/lib/kbox read-only instead (clean, as if unmounted)" \
	"frozen: read-only instead"
host_clean "$img" "frozen: clean on the host all the same"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
