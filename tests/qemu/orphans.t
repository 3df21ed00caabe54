#!/bin/bash
# A SIGCHLD storm: a pid=host container makes 10,000 orphans as fast as it can (each a
# grandchild whose parent exits first), twice at once. PID 1 reaps every one (its count at
# poweroff), leaves no zombie, and answers kbox ps all along.
. "$(dirname "$0")/../lib.sh"
build_initrd orphans "build an initramfs with the probe" \
	--file "$out/probe=/images/busybox/bin/probe"

orph='pid=host kbox.X.pids=max kbox.X.net=none'
boot_shell orphans 120 \
	"kbox.shell=1 kbox.orph.cmd=\"probe orphans 10000\" kbox.orph.${orph//X/orph} kbox.orph2.cmd=\"probe orphans 10000\" kbox.orph2.${orph//X/orph2}" \
	--initrd "$initrd" <<'IN'
up() { cut -d" " -f1 /proc/uptime; }
z() { cat /proc/[0-9]*/status 2>/dev/null | awk '/^State:/ && $2 == "Z" { n++ } END { print n + 0 }'; }
until kbox ps | grep -q '^orph2 .*running'; do sleep 0.05; done; m=0; n=0; while kbox ps | grep -q '^orph.* running'; do a=$(up); kbox ps >/dev/null; b=$(up); n=$((n + 1)); m=$(echo "$m $a $b" | awk '{ d = ($3 - $2) * 1000; print (d > $1 ? d : $1) }'); done; echo PS-$n-MAX-${m%.*}.
for i in $(seq 50); do [ $(z) = 0 ] && break; sleep 0.1; done; echo ZOMBIES-$(z).
poweroff
IN
is "$rc" 0 "the machine powers off"
is "$(grep -ac '^orph2\? | orphans=10000$' "$log")" 2 "both made their 10,000 orphans"
has_end "ZOMBIES-0." "no zombie is left"
n=$(sed -n 's/^kbox: reaped \([0-9]*\) orphans; poweroff$/\1/p' "$log")
cmp_ok "$n" -ge 20000 "PID 1 reaped every one of them (${n:-none})"
ps=$(grep -ao 'PS-[0-9]*-MAX-[0-9]*\.' "$log")
[ -n "$ps" ] && [ "${ps#PS-}" != "0-MAX-0." ]
ok $? "kbox ps answered all along ($ps: answers, slowest in ms)"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
