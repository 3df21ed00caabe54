#!/bin/bash
# initramfs/build and mkcpio: reproducible bytes, the expected tree, hard links kept,
# clear errors for bad input.
. "$(dirname "$0")/../lib.sh"
build=$top/initramfs/build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/conf" "$tmp/img/etc" "$tmp/img/bin"
echo 'cmd = true' >"$tmp/conf/web.conf"
echo 'hostname = box' >"$tmp/conf/kbox.conf"
echo 'not a conf' >"$tmp/conf/README"
echo hello >"$tmp/img/etc/motd"
ln -s ../etc/motd "$tmp/img/bin/motd-link"

"$build" --conf "$tmp/conf" --image app="$tmp/img" -o "$tmp/a.cpio"
ok $? "build with --conf and --image"
touch -d '2001-02-03' "$tmp/img/etc/motd" "$tmp/conf/web.conf"
"$build" --conf "$tmp/conf" --image app="$tmp/img" -o "$tmp/b.cpio"
cmp -s "$tmp/a.cpio" "$tmp/b.cpio"
ok $? "the same inputs give the same bytes, whatever the files' mtimes"

list=$(cpio -it <"$tmp/a.cpio" 2>/dev/null)
for want in init bin/kbox bin/busybox bin/sh dev/console etc/kbox/web.conf etc/kbox/kbox.conf \
	images/busybox/bin/busybox images/busybox/bin/sh images/busybox/tmp images/app/etc/motd \
	images/app/bin/motd-link; do
	grep -qx "$want" <<<"$list"
	ok $? "the archive holds /$want"
done
! grep -qx etc/kbox/README <<<"$list"
ok $? "only *.conf files go into /etc/kbox"

mkdir "$tmp/x" && (cd "$tmp/x" && cpio -idm --quiet <"$tmp/a.cpio")
ok $? "the archive unpacks"
is "$(stat -c %i "$tmp/x/bin/busybox")" "$(stat -c %i "$tmp/x/images/busybox/bin/busybox")" \
	"busybox in the root and in the image is one file (hard link)"
is "$(stat -c %i "$tmp/x/init")" "$(stat -c %i "$tmp/x/bin/kbox")" "/init and /bin/kbox are one file"
cmp -s "$tmp/x/bin/busybox" /bin/busybox
ok $? "the hard-linked file has its data"
is "$(readlink "$tmp/x/images/app/bin/motd-link")" "../etc/motd" "symlinks in an image are kept"
is "$(stat -c %a "$tmp/x/tmp")" 1777 "/tmp is sticky and world-writable"
is "$(stat -c %t:%T "$tmp/x/dev/console")" "5:1" "/dev/console is char 5,1"

msg=$("$build" --image busybox="$tmp/img" -o "$tmp/c.cpio" 2>&1)
is $? 1 "--image busybox=DIR is refused"
is "$msg" "initramfs/build: --image: 'busybox' is the built-in image" "with a reason"
msg=$("$build" --image nodir -o "$tmp/c.cpio" 2>&1)
is "$msg" "initramfs/build: --image 'nodir' is not NAME=SOURCE" "--image without NAME=SOURCE"
msg=$("$build" 2>&1)
is "$msg" "initramfs/build: -o FILE is required" "-o is required"
touch "$tmp/img/etc/has\ blank"
msg=$("$build" --image app="$tmp/img" -o "$tmp/c.cpio" 2>&1)
[[ $msg == *"names with blanks are not supported"* ]]
ok $? "a file name with a blank is refused ($msg)"

printf 'dir /a 755 0 0\nfile /a/b /nonexistent 644 0 0\n' >"$tmp/list"
msg=$("$out/mkcpio" "$tmp/list" "$tmp/d.cpio" 2>&1)
is $? 1 "mkcpio fails on a missing source"
[ ! -e "$tmp/d.cpio" ]
ok $? "and leaves no partial archive"
printf 'dir /a 755 0 0\nfifo /a/b 644 0 0\n' >"$tmp/list"
msg=$("$out/mkcpio" "$tmp/list" "$tmp/d.cpio" 2>&1)
is "$msg" "mkcpio: $tmp/list:2: unknown entry type 'fifo'" "mkcpio names the line of a bad entry"
done_testing
