/* DHCPv4 messages for the appliance's uplink: built and parsed without system calls. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define DHCP_DISCOVER 1
#define DHCP_OFFER 2
#define DHCP_REQUEST 3
#define DHCP_ACK 5
#define DHCP_NAK 6
#define DHCP_MAX 576

struct dhcp_lease {
	int type;			  /* DHCP_OFFER, DHCP_ACK, DHCP_NAK */
	uint32_t addr, mask, router, dns; /* network byte order; 0 when absent */
	uint32_t server;		  /* option 54, to name in the REQUEST */
};

/* A DISCOVER, or a REQUEST for addr from server. Returns the length written to buf, which
 * holds DHCP_MAX bytes. */
size_t dhcp_build(uint8_t *buf, int type, uint32_t xid, const uint8_t mac[6], uint32_t addr,
		  uint32_t server);
/* Read a server's reply to xid: 0, or -EINVAL for anything else or malformed. */
int dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, struct dhcp_lease *ret);
