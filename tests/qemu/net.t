#!/bin/bash
# net=bridge: kbox0, a veth per container, addresses (auto and fixed), /etc/hosts by name,
# the gateway, net=none, 50 containers at once, restart keeps the address, stop removes
# the veth.
. "$(dirname "$0")/../lib.sh"
conf=$out/tests/net-conf
rm -rf "$conf" && cp -r "$top/tests/qemu/conf/net" "$conf"
# Named to sort after web, which so gets the first free address.
for i in $(seq -w 1 50); do
	# One reply within 20 s, sending each second: once, under load on the test machine, a
	# single ping's first packet was lost (z36 in a CI run); a failure now says what ping saw.
	# /bin/ping is kbox's (ICMP datagram socket, no NET_RAW): busybox's sh would run its
	# own applet for a bare `ping`, which needs a raw socket.
	printf '%s\n' "cmd = sh -c '/bin/ping -c 1 -w 20 10.88.0.1 >/ping.out 2>&1 && echo up=\$(grep -w z$i /etc/hosts | cut -f1) || echo down: \$(tail -n 2 /ping.out)'" \
		>"$conf/z$i.conf"
done
build_initrd net "build an initramfs with the network specs and 50 more containers" --conf "$conf"

# A server on this machine's loopback: QEMU's user network shows it to the guest as
# 10.0.2.2. Containers reach it only through the appliance's uplink, masqueraded.
www=$out/tests/net-www
mkdir -p "$www" && echo "egress-ok-$$" >"$www/egress.txt"
port=$((20000 + $$ % 20000))
busybox httpd -f -p "127.0.0.1:$port" -h "$www" &
server=$!
# From this machine to the published port, through QEMU's hostfwd, while the VM runs.
fwd=$((40000 + $$ % 20000))
rm -f "$out/tests/net-published.txt"
# Short tries (slirp backs off its SYNs to a guest not yet listening); the guest goes on
# only once /cgi-bin/done came, after the answer was in.
(retry 600 wget -q -T 2 -O "$out/tests/net-published.txt" "http://127.0.0.1:$fwd/cgi-bin/mark" 2>/dev/null
	retry 600 wget -q -T 2 -O /dev/null "http://127.0.0.1:$fwd/cgi-bin/done" 2>/dev/null) &
fetcher=$!

boot_shell net 120 "kbox.uplink=10.0.2.15/24,10.0.2.2 kbox.egress.cmd=\"wget -q -O - http://10.0.2.2:$port/egress.txt\"" \
	--initrd "$initrd" --hostfwd "tcp:$fwd-:8080" \
	< <(printf '%s\n' 'until kbox ps | grep -q "^client .*exited"; do sleep 0.05; done' \
	'until [ $(kbox ps | grep -c -e "^z.* exited " -e "^z.* failed ") -eq 50 ]; do sleep 0.05; done' \
	'until [ -e /tmp/fetched ]; do sleep 0.05; done' \
	'echo LOCAL-$(wget -q -O - http://127.0.0.1:8080/).' \
	'kbox ps | grep -e "^web " -e "^fixed " | sed "s/  */ /g; s/^/PS: /"' \
	'echo FROM-APPLIANCE-$(wget -q -O - http://10.88.0.2/).' \
	'until [ $(ls /sys/class/net | grep -c ^kb-) -eq 1 ]; do sleep 0.05; done; echo VETHS-$(ls /sys/class/net | grep ^kb-).' \
	'kbox restart web; echo RESTARTED-$(kbox ps | awk "/^web / { print \$4 }").' \
	'kbox stop web; until ! ls /sys/class/net | grep -q ^kb-; do sleep 0.05; done; echo NO-VETH-LEFT.' \
	'echo STOPPED-$(kbox ps | awk "/^web / { print \$4 }").' \
	'kbox start web; until wget -q -O - http://127.0.0.1:8080/ >/dev/null; do sleep 0.05; done; echo STARTED-$(kbox ps | awk "/^web / { print \$4 }").' \
	'kbox stop web' \
	'echo BRIDGE-UP-$(($(cat /sys/class/net/kbox0/flags) & 1))-FORWARD-$(cat /proc/sys/net/ipv4/ip_forward).' \
	'poweroff')
kill "$server" "$fetcher" 2>/dev/null
is "$rc" 0 "the machine powers off cleanly"

has_line "client | hosts-web=10.88.0.2" "ip=auto: web got the subnet's first free address, in client's /etc/hosts"
has_match "^client \\| me=10\\.88\\.0\\.[0-9]+$" "its own name is in its /etc/hosts too"
is "$(grep -c '^client | hello-from-web$' "$log")" 2 "client reaches web by name and by address (TCP, httpd)"
has_line "client | gateway-ok" "and pings the gateway, 10.88.0.1 on kbox0"
has_line "client | ping-web-ok" "and pings web by name"
has_line "client | netraw=0" "without NET_RAW (not in its CapEff): ping over an ICMP datagram socket"
has_line "client | default via 10.88.0.1 dev eth0 " "its default route leads to the gateway"
has_line "client | links=eth0 lo" "it has eth0 and lo, nothing else"
has_line "fixed | addr=10.88.0.50" "ip=10.88.0.50/16 is honoured"
has_end "kbox: taken: ip: 10.88.0.50 is taken by another container" "a taken address is refused with the reason"
lacks_match "^taken \\|" "and that container does not run"
has_line "ytwins-101000 | twin-ok" "of two long names alike, the second to start reaches the gateway"
has_line "ytwins-100681 | twin-ok" "and so does the first after it: each has a veth of its own"
has_line "isolated | links=lo" "net=none: lo only"
has_line "hostping | ping-ok" "net=host: ping without NET_RAW too (the appliance's ping_group_range)"
has_line "isolated | no-gateway" "and no way to the bridge"
addrs=$(sed -n 's/^z[0-9]* | up=//p' "$log")
is "$(echo "$addrs" | grep -c .)" 50 "50 containers on the bridge all reach the gateway"
is "$(echo "$addrs" | sort -u | grep -c '^10\.88\.')" 50 "with 50 distinct addresses"
has_match "^PS: web running [0-9]+ 10\\.88\\.0\\.2 " "kbox ps shows web running, with its address"
has_end "FROM-APPLIANCE-hello-from-web." "the appliance reaches a container over kbox0"
has_end "VETHS-kb-web." "exited containers leave no veth behind; the running one is kb-web"
has_end "RESTARTED-10.88.0.2." "a restarted container keeps its address"
has_end "NO-VETH-LEFT." "a stopped container's veth is gone"
has_end "STOPPED--." "and its address went back to the pool (kbox ps shows -)"
has_end "STARTED-10.88.0.2." "started again, it gets the same address back, and its published port answers"
has_end "BRIDGE-UP-1-FORWARD-1." "kbox0 is up and ip_forward is on"
has_line "kbox: uplink eth0: 10.0.2.15/24,10.0.2.2" "kbox.uplink configures the appliance's NIC"
has_line "egress | egress-ok-$$" "a container reaches a server outside the VM (nf_tables masquerade)"
is "$(cat "$out/tests/net-published.txt" 2>/dev/null)" marked-by-web \
	"publish=8080:80: the test machine reaches web through QEMU's hostfwd"
has_end "LOCAL-hello-from-web." "the appliance reaches it on 127.0.0.1:8080"
has_line "peer | hello-from-web" "another container reaches it on the gateway's 8080"
lacks_match 'Kernel panic|Attempted to kill init' "PID 1 never died"
done_testing
