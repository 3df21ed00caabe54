/* DHCPv4 messages for the appliance's uplink (RFC 2131, 2132). */
#include "dhcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#define OP_REQUEST 1
#define OP_REPLY 2
#define COOKIE 0x63825363
#define HDR 236 /* op .. file, before the magic cookie */

size_t dhcp_build(uint8_t *buf, int type, uint32_t xid, const uint8_t mac[6], uint32_t addr,
		  uint32_t server)
{
	uint32_t x = htonl(xid), cookie = htonl(COOKIE);
	size_t n = HDR;

	memset(buf, 0, DHCP_MAX);
	buf[0] = OP_REQUEST;
	buf[1] = 1; /* Ethernet */
	buf[2] = 6;
	memcpy(buf + 4, &x, 4);
	buf[10] = 0x80; /* answer by broadcast: we have no address yet */
	memcpy(buf + 28, mac, 6);
	memcpy(buf + n, &cookie, 4);
	n += 4;
	buf[n++] = 53;
	buf[n++] = 1;
	buf[n++] = type;
	if (type == DHCP_REQUEST) {
		buf[n++] = 50;
		buf[n++] = 4;
		memcpy(buf + n, &addr, 4);
		n += 4;
		buf[n++] = 54;
		buf[n++] = 4;
		memcpy(buf + n, &server, 4);
		n += 4;
	}
	buf[n++] = 55; /* asking for: subnet mask, router, DNS */
	buf[n++] = 3;
	buf[n++] = 1;
	buf[n++] = 3;
	buf[n++] = 6;
	buf[n++] = 255;
	/* Some servers want at least BOOTP's 300 bytes. */
	return n < 300 ? 300 : n;
}

int dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, struct dhcp_lease *ret)
{
	uint32_t x, cookie;
	size_t i = HDR + 4;

	memset(ret, 0, sizeof(*ret));
	if (len < HDR + 4 || buf[0] != OP_REPLY)
		return -EINVAL;
	memcpy(&x, buf + 4, 4);
	memcpy(&cookie, buf + HDR, 4);
	if (ntohl(x) != xid || ntohl(cookie) != COOKIE)
		return -EINVAL;
	memcpy(&ret->addr, buf + 16, 4);
	while (i < len && buf[i] != 255) {
		uint8_t code = buf[i], olen;
		const uint8_t *v;

		if (code == 0) { /* padding */
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + buf[i + 1] > len)
			return -EINVAL;
		olen = buf[i + 1];
		v = buf + i + 2;
		if (code == 53 && olen == 1)
			ret->type = v[0];
		else if (code == 1 && olen == 4)
			memcpy(&ret->mask, v, 4);
		else if (code == 3 && olen >= 4)
			memcpy(&ret->router, v, 4);
		else if (code == 6 && olen >= 4)
			memcpy(&ret->dns, v, 4);
		else if (code == 54 && olen == 4)
			memcpy(&ret->server, v, 4);
		i += 2 + olen;
	}
	if (ret->type != DHCP_OFFER && ret->type != DHCP_ACK && ret->type != DHCP_NAK)
		return -EINVAL;
	if (ret->type != DHCP_NAK && (!ret->addr || !ret->mask))
		return -EINVAL;
	return 0;
}
