/* In a network namespace of its own: install kbox's nf_tables rules, then show them with
 * nft (tests/host/nft.t compares nft's reading with what kbox meant). With a number N,
 * the publish chain gets N DNAT rules more (ports 10000.. to 10.88.1.x:80) in the same
 * batch; with "missing", the last rule goes to a chain that is not there, and what nft
 * lists after the error shows whether any of the batch stayed. */
#include <linux/netfilter.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../runtime/net/nft.h"

int main(int argc, char **argv)
{
	static struct nft_batch b;
	bool missing = argc > 1 && !strcmp(argv[1], "missing");
	unsigned extra = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	char msg[256] = "";
	int r;

	if (unshare(CLONE_NEWNET) < 0) {
		perror("unshare");
		return 1;
	}
	nft_batch_begin(&b);
	nft_add_table(&b, "kbox");
	nft_add_nat_chain(&b, "kbox", "postrouting", NF_INET_POST_ROUTING, 100);
	nft_add_nat_chain(&b, "kbox", "prerouting", NF_INET_PRE_ROUTING, -100);
	nft_add_nat_chain(&b, "kbox", "output", NF_INET_LOCAL_OUT, -100);
	nft_add_chain(&b, "kbox", "publish");
	nft_add_jump(&b, "kbox", "prerouting", "publish");
	nft_add_jump(&b, "kbox", "output", "publish");
	nft_add_masquerade(&b, "kbox", "postrouting", 0x0a580000, 16, "kbox0", false);
	nft_add_masquerade(&b, "kbox", "postrouting", 0x7f000000, 8, "kbox0", true);
	nft_add_dnat(&b, "kbox", "publish", false, 8080, 0x0a580002, 80);
	nft_add_dnat(&b, "kbox", "publish", true, 5353, 0x0a580003, 53);
	for (unsigned i = 0; i < extra; i++)
		nft_add_dnat(&b, "kbox", "publish", false, 10000 + i, 0x0a580100 + i % 250, 80);
	if (missing)
		nft_add_dnat(&b, "kbox", "nope", false, 9999, 0x0a580002, 80);
	nft_batch_end(&b);
	r = nft_send(&b, msg, sizeof(msg));
	nft_batch_free(&b);
	if (r < 0) {
		printf("nft_send: %s%s%s\n", strerror(-r), msg[0] ? ": " : "", msg);
		fflush(stdout);
		if (!missing)
			return 1;
	}
	execlp("nft", "nft", "list", "ruleset", (char *)NULL);
	perror("nft");
	return 1;
}
