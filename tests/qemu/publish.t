#!/bin/bash
# Many published ports (issue 17): one container publishes 25 ports, another 500, and every
# one of them answers from the appliance; the 500 go away when that container stops and
# come back when it starts again (the rules keep updating). The fixed 16 KiB nf_tables
# batch held 18 ports: past that, no rule was ever installed again. (The batch's ceiling,
# ~18,800 ports, is tested in tests/unit/test_nft.c: a spec file that long is refused by
# the /etc/kbox loader's 64 KiB bound first.)
. "$(dirname "$0")/../lib.sh"
conf=$out/tests/publish-conf
rm -rf "$conf" && cp -r "$top/tests/qemu/conf/publish" "$conf"
for p in $(seq 10000 10499); do echo "publish = $p:80"; done >>"$conf/many.conf"
build_initrd publish "build an initramfs with containers of 25 and 500 published ports" \
	--conf "$conf"

# count FIRST LAST TEXT: how many of the ports FIRST..LAST answer TEXT on the gateway.
# up NAME: once NAME runs and its httpd answers on its own address.
boot_shell publish 900 "" --initrd "$initrd" <<'SH'
count() { n=0; for p in $(seq $1 $2); do timeout 10 wget -q -O - http://10.88.0.1:$p/ 2>/dev/null | grep -qx $3 && n=$((n + 1)); done; echo $n; }
up() { until a=$(kbox ps | awk -v n=$1 '$1 == n && $2 == "running" { print $4 }'); [ -n "$a" ] && wget -q -O /dev/null http://$a/ 2>/dev/null; do sleep 0.05; done; }
up few; up many; echo UP.
echo FEW answered=$(count 9000 9024 hello-from-few).
echo MANY answered=$(count 10000 10499 hello-from-many).
kbox stop many; echo STOPPED answered=$(count 10000 10009 hello-from-many).
echo FEW-ALONE answered=$(count 9000 9024 hello-from-few).
kbox start many; up many; echo RESTARTED answered=$(count 10000 10499 hello-from-many).
echo FEW-AGAIN answered=$(count 9000 9024 hello-from-few).
poweroff
SH
is "$rc" 0 "the machine powers off cleanly"
has_end "UP." "both containers run"
has_end "FEW answered=25." "25 published ports: every one answers"
has_end "MANY answered=500." "500 published ports: every one answers"
has_end "STOPPED answered=0." "once that container stops, its ports are gone (10 of them tried)"
has_end "FEW-ALONE answered=25." "and the other container's 25 still answer"
has_end "RESTARTED answered=500." "started again, its 500 rules are rebuilt and answer"
has_end "FEW-AGAIN answered=25." "and the 25 still answer"
lacks_match "publish: cannot update" "no rule update failed"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
grep -E 'answered=' "$log" | diag
done_testing
