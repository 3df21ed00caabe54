#!/bin/bash
# Six containers raise their stdout pipe to 1 MiB (F_SETPIPE_SZ), fill it with "y" lines
# without blocking, and exit, under restart=always; the console (QEMU's serial, which
# takes every byte, slowly) shows them. PID 1 reads each full pipe at the exit: that must
# cost it no more than a console that cannot keep up lets it, so that kbox ps still
# answers (before the fix: one write to the console a line, 23 s a drain, and 150 kbox ps
# never finished in 240 s; now about 1.5 s the slowest, 30 s the boot). The slowest is
# reported, not asserted: a busy machine makes it what it will. Should a boot time out
# again (once in CI), its console shows how far the loop got and, every 30 s from a
# minute on, what PID 1 and each kbox process wait in.
. "$(dirname "$0")/../lib.sh"
build_initrd pipefill "build an initramfs with the probe" \
	--file "$out/probe=/images/busybox/bin/probe"
specs=""
for i in 1 2 3 4 5 6; do
	specs="$specs kbox.f$i.net=none kbox.f$i.restart=always kbox.f$i.cmd=\"probe pipefill\""
done
boot_shell pipefill 120 "kbox.shell=1 $specs" --initrd "$initrd" <<'IN'
up() { cut -d" " -f1 /proc/uptime; }
(sleep 60; while :; do for p in 1 $(pidof kbox); do echo WATCH $p $(cat /proc/$p/wchan) $(grep State /proc/$p/status) $(tr "\0" " " </proc/$p/cmdline); done; sleep 30; done) &
sleep 2; m=0; n=0; for i in $(seq 150); do a=$(up); kbox ps >/dev/null; b=$(up); n=$((n + 1)); [ $((n % 25)) = 0 ] && echo PS-AT-$n; m=$(echo "$m $a $b" | awk '{ d = ($3 - $2) * 1000; print (d > $1 ? d : $1) }'); done; echo PS-$n-MAX-${m%.*}.
echo FILE-$(kbox logs f1 | grep -c '^y$').
poweroff
IN
is "$rc" 0 "the machine powers off"
ps=$(grep -ao 'PS-[0-9]*-MAX-[0-9]*\.' "$log")
max=${ps##*-MAX-}
max=${max%.}
is "${ps%-MAX-*}" PS-150 "150 kbox ps answered while they flood and exit" ||
	grep -a -e '^PS-AT-' -e '^WATCH ' "$log" | tail -n 12 | sed 's/^/#   /' | tee -a "$out/tests/failures"
echo "# the slowest kbox ps took ${max:-?} ms"
n=$(grep -ao 'FILE-[0-9]*\.' "$log" | tr -dc 0-9)
cmp_ok "$n" -ge 400000 "f1's log file has its lines (${n:-none})"
has_match "kbox: console: skipped [0-9]+ lines of f[1-6]$" "the console said what it skipped"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
