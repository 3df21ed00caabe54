/* libFuzzer target: what the network sends back: DHCP replies and netlink acks. The first
 * byte picks the parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "../../runtime/net/dhcp.h"
#include "../../runtime/net/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_lease l;
	char msg[128];
	uint8_t pick;
	size_t n;
	void *copy = fuzz_pick(data, size, &pick, &n);

	if (!copy)
		return 0;
	if (pick & 1)
		dhcp_parse(copy, n, 7, &l);
	else
		nl_parse_ack(copy, n, 7, msg, sizeof(msg));
	free(copy);
	return 0;
}
