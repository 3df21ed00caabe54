#!/bin/bash
# /etc/kbox with bad entries beside a good container: a directory named x.conf, a 1 MB
# file of random bytes, a file with a NUL byte, a symlink loop, a character device, 2000
# lines of garbage, a name that is not a container name, bad keys in kbox.conf. Each bad
# entry fails its own container with a bounded number of messages; the good one starts
# and the machine stays up.
. "$(dirname "$0")/../lib.sh"
dir=$out/tests/confdir
rm -rf "$dir"
mkdir -p "$dir"
head -c 1048576 /dev/urandom >"$dir/junk"
printf 'net = none\ncmd = echo nul-ran\0 there\n' >"$dir/nul"
for i in $(seq 2000); do echo "garbage$i at line $i"; done >"$dir/lines"
printf 'net = none\ncmd = echo bad-ran\n' >"$dir/bad"
cat >"$dir/list" <<LIST
dir /etc/kbox/x.conf 755 0 0
file /etc/kbox/junk.conf $dir/junk 644 0 0
file /etc/kbox/nul.conf $dir/nul 644 0 0
file /etc/kbox/lines.conf $dir/lines 644 0 0
file /etc/kbox/-bad.conf $dir/bad 644 0 0
slink /etc/kbox/loop.conf loop.conf 777 0 0
nod /etc/kbox/zero.conf 644 0 0 c 1 5
LIST
initrd=$dir/confdir.cpio
"$top/initramfs/build" --conf "$top/tests/qemu/conf/confdir" ${KBOX_BIN:+--kbox "$KBOX_BIN"} \
	-o "$dir/base.cpio" && "$out/mkcpio" "$dir/list" "$dir/extra.cpio" &&
	cat "$dir/base.cpio" "$dir/extra.cpio" >"$initrd"
ok $? "build an initramfs whose /etc/kbox holds bad entries beside good.conf"

boot_shell confdir 120 "" --initrd "$initrd" <<'IN'
until kbox ps | grep -q '^good .*exited'; do sleep 0.1; done
kbox ps | awk '$1 ~ /^(x|junk|nul|loop|zero|lines|good)$/ { print "PS-" $1 "-" $2 "." }'
kbox ps | grep '^x ' | sed 's/^/PSLINE /'
echo HOST-$(hostname).
poweroff
IN
is "$rc" 0 "the machine powers off cleanly"
has_end "HOST-confhost." "it stayed up until the shell's poweroff; kbox.conf's good keys hold"
lacks_match "fatal:" "no bad entry is fatal"
has_line "good | good-ran" "good.conf, beside them, runs"
t=$(sed -n 's/.*kbox: good: started, pid [0-9]* (boot +\([0-9.]*\) s)$/\1/p' "$log")
echo "# good started at boot +${t:-?} s"
has_end "PS-good-exited." "and exits"

has_line "kbox: x: is a directory, not a file (/etc/kbox/x.conf)" "a directory x.conf fails x"
has_line "kbox: junk: is 1048576 bytes; a spec file may have 65536 at most (/etc/kbox/junk.conf)" \
	"a 1 MB file fails junk, unread"
has_line "kbox: nul: a NUL byte on line 2: a spec file is text (/etc/kbox/nul.conf)" \
	"a NUL byte fails nul"
has_match "^kbox: loop: cannot read it: .+ \(/etc/kbox/loop.conf\)$" "a symlink loop fails loop"
has_line "kbox: zero: is a character device, not a file (/etc/kbox/zero.conf)" \
	"a device node fails zero, unopened"
has_line "kbox: '-bad': not a valid container name (/etc/kbox/-bad.conf)" "a bad name is reported"
lacks_match "(nul|bad)-ran" "no bad entry ran"
has_line "kbox: lines: garbage1 at line 1: unknown key (/etc/kbox/lines.conf:1)" \
	"2000 lines of garbage: the first error is shown"
has_line "kbox: lines: and 1995 more errors (/etc/kbox/lines.conf)" "then the count of the rest"
for n in x junk nul loop zero lines; do
	c=$(grep -ac "^kbox: $n: " "$log")
	[ "$c" -ge 1 ] && [ "$c" -le 6 ]
	ok $? "$n: $c messages (at most 6)"
done
for n in x junk nul loop zero lines; do
	has_end "PS-$n-invalid." "kbox ps shows $n invalid"
done
has_match "^PSLINE x +invalid .*x: is a directory, not a file \(/etc/kbox/x.conf\)$" \
	"with the reason"

has_line "kbox: kbox.bogus: unknown key (/etc/kbox/kbox.conf:3)" "a bad key in kbox.conf is reported"
has_match "^kbox: kbox.exit: 'sometimes' is not poweroff, reboot or stay" "so is a bad value"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
