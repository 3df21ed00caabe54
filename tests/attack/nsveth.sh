#!/bin/bash
# attack (s6): containers without a user namespace now unshare their own namespaces, and a
# bridged one makes its veth through a netlink socket opened in the appliance's netns;
# PID 1 powers off at once once it has no child. Each line below would fail if the defence
# it names were missing.
# OPEN (not in the suite: TAP tests 22 and 23 fail today, and failed before this change too, with
# KBOX_BIN=<kbox at HEAD~1>): net_host_ifname is not unique (kb-NAME for <= 12 characters,
# kb-PREFIX7-HASH16 beyond), nothing refuses two containers with one host veth name, and
# the EEXIST path of net_veth_create deletes the other container's veth by that name: its
# eth0 vanishes, and nothing is logged. "victimc-af88" does it to "victimcontainer" with no
# search; "databas-x102000" to "databaseserver" after ~10^5 tries of FNV-1a.
# Run: make all out/probe && bash tests/attack/nsveth.sh
. "$(dirname "$0")/../lib.sh"
conf=$out/tests/nsveth-conf
rm -rf "$conf" && cp -r "$top/tests/attack/nsveth" "$conf"
# KBOX_BIN: the same with another kbox (the one before the change, to tell new from old).
build_initrd nsveth "build an initramfs with the namespace and veth attacks" --conf "$conf" \
	${KBOX_BIN:+--kbox "$KBOX_BIN"} \
	--file "$out/probe=/images/busybox/bin/probe" --file "$top/tests/attack/nsveth-check=/bin/nsveth-check"
boot_shell nsveth 240 "" --initrd "$initrd" <<'IN'
until kbox ps | grep -q '^victimc-af88 .*running' && kbox ps | grep -q '^databas-x102000 .*running'; do sleep 0.1; done; sleep 4
echo APPLIANCE-LINKS $(ls /sys/class/net | tr '\n' ' ') BRIF $(ls /sys/class/net/kbox0/brif | tr '\n' ' ') .
nsveth-check
until kbox ps | awk '$1 == "crashy" && $5 >= 4 { f = 1 } END { exit !f }'; do echo CRASHY-VETHS-$(ls /sys/class/net | grep -c '^kb-crashy$'); sleep 0.3; done
kbox stop crashy; for i in $(seq 100); do ls /sys/class/net | grep -q '^kb-crashy$' || break; sleep 0.1; done; echo CRASHY-LEFT-$(ls /sys/class/net | grep -c '^kb-crashy$').
for i in $(seq 100); do ls /sys/class/net | grep -q '^kb-badwd$' || break; sleep 0.1; done; echo BADWD-LEFT-$(ls /sys/class/net | grep -c '^kb-badwd$').
(setsid sh -c 'trap "echo STRAGGLER-GOT-TERM; exit 0" TERM; while :; do sleep 0.2; done' &)
echo ORPHAN-ALIVE-$(ps -o args | grep -c '^sleep 424[3]').
echo APPLIANCE-HOSTNAME-$(hostname).
for i in $(seq 30); do kbox restart racer >/dev/null 2>&1 & for j in 1 2 3 4 5; do kbox exec racer sh -c 'echo $(readlink /proc/self/ns/net) $(readlink /proc/self/ns/mnt)' 2>/dev/null; done; wait; done | sort | uniq -c | sed 's/^ */RACE /'; echo RACE-PID1 $(readlink /proc/1/ns/net) $(readlink /proc/1/ns/mnt)
echo POWEROFF-NOW
poweroff
IN
is "$rc" 0 "the machine powers off"
# fds: nothing but stdio (and the probe's own dir fd) reaches the payload; the netlink socket is gone.
has_line "fds | fds=0 1 2" "bridged payload holds fds 0 1 2 only"
lacks_match "^[a-z0-9-]+ \\| fdl=.*socket" "no socket among the payload's fds"
has_line "initfds | fds=0 1 2" "init=true: the payload holds fds 0 1 2 only"
has_line "hostpid | fds=0 1 2" "pid=host, bridged: fds 0 1 2 only"
lacks_match "^FD .*socket:" "no container's main process holds a socket (seen from the appliance)"
# namespaces: none shared with PID 1 but those the spec shares (pid=host: pid).
for n in fds initfds none usrns victimcontainer; do
	has_line "NS $n shares-with-pid1: none" "$n shares no namespace with PID 1"
done
has_line "NS hostpid shares-with-pid1: pid" "pid=host, bridged: only the pid namespace is PID 1's"
has_line "hostpid | ping=ok" "pid=host, bridged: its veth peer landed in its own netns (getpid())"
has_line "hostpid | links=eth0 lo" "and it has eth0 and lo"
lacks_match "^EXEC [a-z0-9-]+ differs-from-main: (mnt|net|uts|ipc|cgroup)" "kbox exec joins every namespace of the container's main"
for n in fds initfds none hostpid usrns; do
	has_line "$n | cg=0::/" "$n: its cgroup namespace is rooted at its own cgroup"
done
# host veth names: kb-NAME, kb-PREFIX-HASH; a collision makes the EEXIST path delete the other's.
lacks_match "^victimcontainer \\| net=down" "victimcontainer keeps its network when victimc-af88 starts (same host veth name)"
lacks_match "^databaseserver \\| net=down" "databaseserver keeps its network when databas-x102000 starts (16-bit hash collision)"
has_match "^APPLIANCE-LINKS .*eth0 .*kbox0 .*BRIF" "containers named eth0 and kbox0 leave the appliance's eth0 and kbox0"
lacks_match "^CRASHY-VETHS-[2-9]" "a crash loop has one veth at most"
has_end "CRASHY-LEFT-0." "and none once stopped"
has_match "^kbox: badwd: workdir: '/nonexistent'" "a setup failure after the veth names the container and why"
has_end "BADWD-LEFT-0." "and leaves no veth"
lacks_match "^kbox: (net|unshare)" "every start failure names its container"
# shutdown: stragglers (an orphan of the shell, one of a pid=host container) still get SIGTERM.
has_match "STRAGGLER-GOT-TERM" "an orphan of the console shell gets the stragglers' SIGTERM"
has_end "ORPHAN-ALIVE-0." "a pid=host container's orphan went with its container (nothing of it left for the shutdown)"
has_end "APPLIANCE-HOSTNAME-kbox." "no container's sethostname reached the appliance's UTS namespace"
p1=$(sed -n 's/^RACE-PID1 //p' "$log")
has_match "^RACE " "kbox exec got into racer while it restarted"
lacks_match "^RACE +[0-9]+ .*(${p1// /|})" "kbox exec racing a restart never lands in PID 1's net or mount namespace"
done_testing
