/* libFuzzer target: what the network sends back: DHCP replies and netlink acks. The first
 * byte picks the parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/net/dhcp.h"
#include "../../runtime/net/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_lease l;
	char msg[128];
	void *copy;

	if (size < 1)
		return 0;
	/* An aligned copy, as a recv buffer is. */
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	if (data[0] & 1)
		dhcp_parse(copy, size - 1, 7, &l);
	else
		nl_parse_ack(copy, size - 1, 7, msg, sizeof(msg));
	free(copy);
	return 0;
}
