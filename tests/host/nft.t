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
is "$(echo "$got" | awk '/^\tchain /{c=$2} /jump/{sub(/^\t*/, ""); print c ": " $0}' | tr '\n' ';')" \
	"prerouting: jump publish;output: jump publish;" \
	"incoming and the appliance's own traffic both go through the publish chain"

# Many published ports: 500 DNAT rules more in the same batch (each ~440 bytes, 220 KB in
# all: more than the default socket buffer), all in, in order.
got=$("$out/tests/nftcheck" 500 2>&1)
ok $? "a batch of 502 DNAT rules is accepted" || echo "$got" | head -n 3 | diag
dnat=$(echo "$got" | sed -n 's/^\t*//; /dnat/p')
is "$(echo "$dnat" | grep -c 'dport 1[0-9]* dnat to 10\.88\.1\.')" 500 "nft reads back the 500 rules"
is "$(echo "$dnat" | sed -n '3p;502p' | tr '\n' ';')" \
	'fib daddr type local tcp dport 10000 dnat to 10.88.1.0:80;fib daddr type local tcp dport 10499 dnat to 10.88.1.249:80;' \
	"the first and the last of them as built"

# A batch whose last rule fails: the error comes back (never waited for), and nothing of
# the batch stays, the table included.
got=$(timeout 20 "$out/tests/nftcheck" missing 2>&1)
is "$(echo "$got" | head -n 1)" "nft_send: No such file or directory" \
	"a rule for a missing chain fails the batch with ENOENT"
is "$(echo "$got" | grep -c 'table ip kbox')" 0 "and the batch is undone whole"
done_testing
