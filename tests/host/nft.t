#!/bin/bash
# kbox's nf_tables batch, sent in a network namespace of its own, read back by nft(8)
# (installed for the tests only: kbox never runs it).
. "$(dirname "$0")/../lib.sh"
got=$("$out/tests/nftcheck" 2>&1)
ok $? "the batch is accepted: table, nat chain and rule"
is "$(echo "$got" | sed -n 's/^\t*//; /type nat/p')" \
	"type nat hook postrouting priority srcnat; policy accept;" "a postrouting nat chain at srcnat"
is "$(echo "$got" | sed -n 's/^\t*//; /masquerade/p')" \
	'ip saddr 10.88.0.0/16 oifname != "kbox0" masquerade' \
	"the subnet is masqueraded, except towards the bridge"
done_testing
