#!/bin/bash
# Named volumes on the data disk (issue 14), with a real disk image: the first boot formats
# a blank disk and containers write their volumes (a userns one, two sharing one, one
# read-only, one kept across a restart); the second reads them back, kbox run -v and kbox
# load an image the host put on the disk; the third finds a removed container's volume and
# the loaded image still there. A small disk filled to ENOSPC costs only its writer; no data
# disk, a missing one and a corrupt one cost only the containers that need a volume, and a
# corrupt disk is neither formatted nor mounted.
. "$(dirname "$0")/../lib.sh"
conf=$top/tests/qemu/conf/volumes
for b in first again third full nodisk; do
	build_initrd "volumes-$b" "build the initramfs of the '$b' boot" --conf "$conf/$b"
done
initrd_of() { echo "$out/tests/volumes-$1.cpio"; }
disk=$out/tests/volumes.img
rm -f "$disk"
truncate -s 256M "$disk"
value=v$RANDOM$RANDOM

# ---- boot 1: a blank disk, formatted; each container writes its volume ----
# The console shell's helpers: a container is gone for good (exited or failed), has exited
# after a restart, runs; upto waits for one of those for about a minute at most (and says
# so), so that a broken case costs its own lines, not the boot's timeout.
helpers() {
	cat <<'SH'
st() { kbox ps | awk -v c="$1" -v s="$2" -v r="${3:-0}" '$1 == c && $2 ~ "^(" s ")$" && $5 >= r { f = 1 } END { exit !f }'; }
gone() { st "$1" "exited|failed"; }; restarted() { st "$1" exited 1; }; running() { st "$1" running; }
upto() { i=0; until "$@"; do [ $i -ge 600 ] && { echo "GAVE-UP: $*"; return 1; }; sleep 0.05; i=$((i + 1)); done; }
SH
}
boot_shell volumes-1 90 "kbox.data=/dev/vda kbox.db.env=VALUE=$value" --initrd "$(initrd_of first)" --disk "$disk" \
	< <(helpers
		printf '%s\n' 'for c in db uns share-w share-r; do upto gone $c; done; upto restarted counter; upto running keep' \
			'ls -ln /var/lib/kbox/volumes | sed "s/^/LS: /"' \
			'ls -ln /var/lib/kbox/volumes/uvol | sed "s/^/LSU: /"' \
			'kbox volumes | sed "s/^/VOLUMES: /"' 'kbox stop keep; echo STOPPED-$?.' 'poweroff')
is "$rc" 0 "boot 1: the machine powers off cleanly"
has_match "^kbox: data: made an ext4 filesystem on /dev/vda" "boot 1: the blank disk is formatted (said so)"
uuid=$(dumpe2fs -h "$disk" 2>/dev/null | awk -F': *' '/^Filesystem UUID/ { print $2 }')
dumpe2fs -h "$disk" 2>/dev/null | grep -q '^Filesystem features:.*has_journal'
ok $? "boot 1: made ext4 with its journal (UUID ${uuid:-none})"
has_line "db | wrote=$value" "boot 1: db wrote its value into the volume dbdata"
has_line "uns | id=0:0" "the userns container is root inside"
has_line "uns | uvol-writable" "and can write its volume"
has_line "uns | inside-owner=0:0" "its volume belongs to its root, seen from inside"
# owner PREFIX NAME: uid:gid of NAME in the shell's ls -ln lines (mode links uid gid ... name).
owner() { awk -v p="$1:" -v n="$2" '$1 == p && $NF == n { print $4 ":" $5; exit }' "$log"; }
is "$(owner LS uvol)" 100000:100000 "on the disk, uvol belongs to the container's outside root (ls -ln)"
is "$(owner LSU made-inside)" 100000:100000 "and so does the file it made there"
is "$(owner LS dbdata)" 0:0 "a volume without userns belongs to root"
has_line "share-w | shared-written" "share-w wrote the shared volume"
has_line "share-r | read=from-share-w" "share-r (after=share-w) read what it wrote"
has_match '^share-r \| touch: /s/nope: Read-only file system$' "a :ro volume refuses writes (EROFS)"
has_line "share-r | touch-status=1" "and the write fails"
has_line "counter | run=1" "counter's first run"
has_line "counter | run=2" "its restart finds the volume as the first run left it"
has_line "keep | marked" "keep marked its volume"
has_end "STOPPED-0." "kbox stop keep"
# kbox volumes: NAME SIZE and the containers using it.
has_match '^VOLUMES: NAME +SIZE' "kbox volumes prints its header"
for v in dbdata uvol shared keepvol cvol; do
	has_match "^VOLUMES: $v +[0-9.]+[BKMGTPE]\+?( |$)" "kbox volumes lists $v with its size"
done
has_match '^VOLUMES: keepvol +[0-9.]+[BKMGTPE]\+? +keep$' "and the container using it (keep)"
has_end "kbox: data: unmounted /var/lib/kbox" "boot 1: the data disk is unmounted at power-off"
e2fsck -fn "$disk" >"$out/tests/volumes.fsck" 2>&1
ok $? "the host's e2fsck -fn finds the disk clean after boot 1" || diag <"$out/tests/volumes.fsck"

# An image for kbox load, put on the disk by the host (debugfs writes an unmounted ext4).
small=$out/tests/volumes-small
host_image "$small" && echo "loaded-image-$value" >"$small/etc/loaded" &&
	tar --numeric-owner --owner=0 --group=0 -C "$small" -cf "$small.tar" . &&
	debugfs -w -R "mkdir incoming" "$disk" >/dev/null 2>&1 &&
	debugfs -w -R "write $small.tar incoming/small.tar" "$disk" >/dev/null 2>&1 &&
	[ "$(debugfs -R "stat incoming/small.tar" "$disk" 2>/dev/null | sed -n 's/.*Size: \([0-9]*\).*/\1/p' | head -n 1)" = "$(stat -c %s "$small.tar")" ]
ok $? "the host writes a rootfs tar to /var/lib/kbox/incoming on the disk (debugfs)"

# ---- boot 2: the same disk; what boot 1 left; kbox run -v; kbox load ----
boot_shell volumes-2 90 "kbox.data=/dev/vda" --initrd "$(initrd_of again)" --disk "$disk" \
	< <(helpers
		printf '%s\n' 'upto gone dbread; upto gone counter' 'kbox volumes | sed "s/^/VOLUMES: /"' \
			'kbox run --rm -v dbdata:/d busybox cat /d/value 2>&1 | sed "s/^/RUNV: /"' \
			'{ kbox load tar:/var/lib/kbox/incoming/small.tar small 2>&1; echo "status=$?"; } | sed "s/^/LOAD: /"' \
			'kbox images | sed "s/^/IMAGES: /"' \
			'kbox run --rm small cat /etc/loaded 2>&1 | sed "s/^/RUNL: /"' 'poweroff')
is "$rc" 0 "boot 2: the machine powers off cleanly"
lacks_match "making an ext4|made an ext4" "boot 2: the disk is not formatted again"
has_line "dbread | value=$value" "boot 2 reads the value boot 1 wrote"
has_line "counter | run=3" "counter's volume kept its count across the reboot"
has_match '^VOLUMES: keepvol +[0-9.]+[BKMGTPE]\+? +-$' "keepvol is still listed, with no container naming it"
has_end "RUNV: $value" "kbox run -v dbdata:/d mounts the volume (Docker's -v NAME:/path)"
has_end "LOAD: status=0" "kbox load tar:FILE small from a file on the disk" || grep '^LOAD: ' "$log" | diag
has_match '^IMAGES: small ' "kbox images lists the loaded image"
has_end "RUNL: loaded-image-$value" "kbox run runs a container of it"

# ---- boot 3: keep again, and a container of the loaded image, after a reboot ----
boot volumes-3 60 "kbox.data=/dev/vda kbox.exit=poweroff" --initrd "$(initrd_of third)" --disk "$disk"
is "$rc" 0 "boot 3: the machine powers off once its containers are done"
has_line "keep | mark=kept-from-boot1" "a volume outlives its container's removal (kbox stop, a boot without it)"
has_line "fromdisk | loaded-image-$value" "the loaded image is still there after a reboot, and runs"
is "$(dumpe2fs -h "$disk" 2>/dev/null | awk -F': *' '/^Filesystem UUID/ { print $2 }')" "${uuid:-none}" \
	"the filesystem is the one boot 1 made (its UUID)"
e2fsck -fn "$disk" >"$out/tests/volumes.fsck" 2>&1
ok $? "the host's e2fsck -fn finds the disk clean after boot 3" || diag <"$out/tests/volumes.fsck"

# ---- a small disk filled to ENOSPC: only its writer pays ----
full=$out/tests/volumes-full.img
rm -f "$full"
truncate -s 32M "$full"
boot_shell volumes-full 90 "kbox.data=/dev/vda" --initrd "$(initrd_of full)" --disk "$full" \
	< <(helpers
		printf '%s\n' 'upto gone filler; upto running steady' \
			'kbox ps | sed "s/^/PS: /"' \
			'kbox run --rm busybox echo started-beside-a-full-disk 2>&1 | sed "s/^/RUNF: /"' \
			'kbox run --rm -v big:/b busybox ls /b 2>&1 | sed "s/^/RUNB: /"' \
			'kbox volumes | sed "s/^/VOLUMES: /"' 'df -k /var/lib/kbox | sed "s/^/DF: /"' \
			'kbox stop steady; echo STOPPED-$?.' 'poweroff')
is "$rc" 0 "full: the machine powers off cleanly with its data disk full"
has_match "^filler \| dd: .*No space left on device" "the writer meets ENOSPC"
has_line "filler | dd-status=1" "and its dd fails"
has_match '^DF: .* 100% /var/lib/kbox$' "the data disk is full"
has_match '^PS: steady +running ' "a container without a volume runs on"
has_end "RUNF: started-beside-a-full-disk" "a new container starts"
has_end "RUNB: zero" "and one of the full volume itself (kbox run -v big:/b) reads it"
has_match '^VOLUMES: big +[0-9.]+M( |$)' "kbox volumes answers, big holds megabytes"
has_end "STOPPED-0." "kbox stop answers"
has_line "steady | steady-stopping" "steady stops when told"
has_end "kbox: data: unmounted /var/lib/kbox" "full: the full disk is unmounted at power-off"
e2fsck -fn "$full" >"$out/tests/volumes.fsck" 2>&1
ok $? "the host's e2fsck -fn finds the full disk clean" || diag <"$out/tests/volumes.fsck"

# ---- no data disk, a missing one, a corrupt one: only the containers with a volume pay ----
boot volumes-nodata 60 "kbox.exit=poweroff" --initrd "$(initrd_of nodisk)"
is "$rc" 0 "no data disk: the machine powers off once its containers are done"
has_end "needs: volume 'dbdata': no data disk (kbox.data is not set)" \
	"a container with a volume fails, with the reason"
lacks_match '^needs \| needs-ran' "and its command never runs"
has_line "plain | plain-started" "one without a volume starts"

boot volumes-missing 60 "kbox.data=/dev/vda kbox.data_timeout=1s kbox.exit=poweroff" --initrd "$(initrd_of nodisk)"
is "$rc" 0 "a missing disk: the machine powers off once its containers are done"
has_end "kbox: needs: volume 'dbdata': data disk '/dev/vda': not found after 1 s" "a container with a volume fails, naming the missing disk"
has_line "plain | plain-started" "one without a volume starts"

# ext4 made here, then in its superblock and every backup the counts and the geometry (the
# 56 bytes before the magic) overwritten: it still says ext4, with its label, UUID and
# features, and is nothing like a blank disk, but e2fsck -p cannot repair it. (Random bytes
# over the whole superblock would make it whatever its random feature flags say: an
# external journal, a filesystem of unknown features.)
bad=$out/tests/volumes-corrupt.img
rm -f "$bad"
truncate -s 64M "$bad"
mkfs.ext4 -q -F -b 1024 -L corrupt "$bad"
bs=$(dumpe2fs -h "$bad" 2>/dev/null | awk -F: '/^Block size/ { print $2 + 0 }')
n=0
for b in $(dumpe2fs "$bad" 2>/dev/null | sed -n 's/.*superblock at \([0-9]*\),.*/\1/p'); do
	off=$((b * bs))
	[ "$b" != 0 ] || off=1024
	head -c 56 /dev/urandom | dd of="$bad" bs=1 seek="$off" conv=notrunc status=none
	n=$((n + 1))
done
cp "$bad" "$bad.try"
e2fsck -p "$bad.try" >/dev/null 2>&1
cmp_ok $? -ge 4 "the host's e2fsck -p cannot repair a disk whose $n superblocks are overwritten"
rm -f "$bad.try"
sum=$(sha256sum <"$bad")
boot volumes-corrupt 60 "kbox.data=/dev/vda kbox.exit=poweroff" --initrd "$(initrd_of nodisk)" --disk "$bad"
is "$rc" 0 "a corrupt disk: the machine powers off once its containers are done"
has_match "^kbox: data disk '/dev/vda': .*e2fsck" "kbox says e2fsck could not repair it, and does not use it" ||
	grep '^kbox: data' "$log" | diag
has_match "^kbox: needs: volume 'dbdata': data disk '/dev/vda': .*e2fsck" "a container with a volume fails, with the reason"
has_line "plain | plain-started" "one without a volume starts"
is "$(sha256sum <"$bad")" "$sum" "the corrupt disk is neither formatted nor mounted: not a byte changed"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
