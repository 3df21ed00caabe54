#!/bin/bash
# kbox's nf_tables batch, sent in a network namespace of its own, read back by nft(8)
# (installed for the tests only: kbox never runs it).
. "$(dirname "$0")/../lib.sh"
got=$("$out/tests/nftcheck" 2>&1)
ok $? "the batch is accepted: table, nat chain and rule"
is "$(echo "$got" | sed -n 's/^\t*//; /type nat hook postrouting/p')" \
	"type nat hook postrouting priority srcnat; policy accept;" "a postrouting nat chain at srcnat"
is "$(echo "$got" | sed -n 's/^\t*//; /!= "kbox0" masquerade/p')" \
	'ip saddr 10.88.0.0/16 oifname != "kbox0" masquerade' \
	"the subnet is masqueraded, except towards the bridge"
is "$(echo "$got" | sed -n 's/^\t*//; /oifname "kbox0" masquerade/p')" \
	'ip saddr 127.0.0.0/8 oifname "kbox0" masquerade' "the appliance's own 127.0.0.1 towards the bridge too"
is "$(echo "$got" | sed -n 's/^\t*//; /dnat/p' | tr '\n' ';')" \
	'fib daddr type local tcp dport 8080 dnat to 10.88.0.2:80;fib daddr type local udp dport 5353 dnat to 10.88.0.3:53;' \
	"publish: traffic to the appliance's own addresses is sent to the container (tcp and udp)"
is "$(echo "$got" | sed -n 's/^\t*//; /type nat hook prerouting/p')" \
	"type nat hook prerouting priority dstnat; policy accept;" "a prerouting nat chain at dstnat"
done_testing
