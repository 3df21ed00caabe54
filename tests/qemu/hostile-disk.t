#!/bin/bash
# A data disk made elsewhere, by someone hostile (issue 14's attack): volumes/ a symlink to
# the appliance's /, images/ a symlink to /etc, a label with a newline and an escape, and an
# ext4 whose first 256 KiB were wiped (a backup superblock still brings it back). Each is
# refused: not used, never formatted; a container without a volume starts beside it.
. "$(dirname "$0")/../lib.sh"
d=$out/tests/hostile-disk
rm -rf "$d" && mkdir -p "$d/tree"

for link in "volumes /" "images /etc"; do
	set -- $link
	img=$d/$1.img
	rm -f "$img"
	truncate -s 32M "$img"
	mkfs.ext4 -q -L $'a\nkbox: FORGED\e[2J' -d "$d/tree" "$img" 2>/dev/null &&
		debugfs -w -R "symlink $1 $2" "$img" >/dev/null 2>&1
	ok $? "$1: a disk whose $1/ is a symlink to $2, and a label with a newline (mkfs.ext4, debugfs)"
	boot hostile-$1 120 "kbox.data=/dev/vda kbox.exit=poweroff kbox.v.net=none kbox.v.volume=etc:/x
 kbox.v.cmd=\"sh -c 'echo written-by-v >/x/hostile-was-here'\"
 kbox.i.net=none kbox.i.image=passwd kbox.i.cmd=true
 kbox.ok.net=none kbox.ok.cmd=\"echo plain container\"" --disk "$img"
	is "$rc" 0 "$1: the appliance boots and powers off"
	has_line "kbox: data disk '/dev/vda': /var/lib/kbox/$1 on it is not a directory of its own (a symlink?): the disk is not used" \
		"$1: the disk is refused, with the reason"
	lacks_match '^kbox: v: started' "$1: the container with a volume does not start"
	has_line "kbox: v: volume 'etc': data disk '/dev/vda': /var/lib/kbox/$1 on it is not a directory of its own (a symlink?): the disk is not used" \
		"$1: and says why" || grep '^kbox: v:' "$log" | diag
	has_line "kbox: i: image: 'passwd' not found in /images" "$1: nor one whose image would be there (/etc/passwd)"
	has_line "ok | plain container" "$1: a container without either starts"
	lacks_match '^FORGED|^kbox: FORGED' "$1: the label's newline is escaped (no forged console line)"
done

img=$d/wiped.img
mkdir -p "$d/tree/keep" && echo precious >"$d/tree/keep/note"
rm -f "$img"
truncate -s 64M "$img"
mkfs.ext4 -q -b 1024 -d "$d/tree" "$img" && dd if=/dev/zero of="$img" bs=1k count=256 conv=notrunc 2>/dev/null
ok $? "wiped: an ext4 (1 KiB blocks) whose first 256 KiB are zeros"
sum=$(sha256sum <"$img")
boot hostile-wiped 120 "kbox.data=/dev/vda kbox.exit=poweroff kbox.ok.net=none kbox.ok.cmd=\"echo plain container\"" --disk "$img"
lacks_match 'making an ext4 filesystem' "wiped: it is not taken for blank, nor formatted"
has_match "^kbox: data disk '/dev/vda': /dev/vda is zeros at its start and end, but holds an ext backup superblock at byte 8389632" \
	"wiped: the backup superblock is named"
is "$(sha256sum <"$img")" "$sum" "wiped: the disk is left byte for byte as it was"
cp "$img" "$d/copy.img"
e2fsck -fy -b 8193 -B 1024 "$d/copy.img" >/dev/null 2>&1
is "$(debugfs -R "cat keep/note" "$d/copy.img" 2>/dev/null)" precious "wiped: e2fsck -b 8193 on the host still brings keep/note back"
has_line "ok | plain container" "wiped: a container without a volume starts"
done_testing
