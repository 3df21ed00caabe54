/* DHCP messages: what kbox sends, and what it takes from a server's reply. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "../../runtime/net/dhcp.h"
#include "../tap.h"

static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

/* A reply as QEMU's user network sends it. */
static size_t offer(uint8_t *b, uint32_t xid, int type, bool with_mask)
{
	static const uint8_t opts[] = {53, 1, 0, 54, 4, 10, 0, 2, 2, 1,	 4, 255, 255, 255,
				       0,  3, 4, 10, 0, 2,  2, 6, 4, 10, 0, 2,	 3,   255};
	uint32_t x = htonl(xid), cookie = htonl(0x63825363);

	memset(b, 0, DHCP_MAX);
	b[0] = 2;
	memcpy(b + 4, &x, 4);
	b[16] = 10, b[17] = 0, b[18] = 2, b[19] = 15;
	memcpy(b + 236, &cookie, 4);
	memcpy(b + 240, opts, sizeof(opts));
	b[242] = type;
	if (!with_mask)
		b[251] = 0, b[252] = 0, b[253] = 0, b[254] = 0,
		b[249] = 0x63; /* option 99: skipped */
	return 240 + sizeof(opts);
}

int main(void)
{
	uint8_t b[DHCP_MAX];
	struct dhcp_lease l;
	size_t n;
	char a[16];

	n = dhcp_build(b, DHCP_DISCOVER, 0x11223344, mac, 0, 0);
	is_int(n, 300, "a DISCOVER is padded to BOOTP's 300 bytes");
	ok(b[0] == 1 && b[1] == 1 && b[2] == 6, "op request, Ethernet, 6-byte addresses");
	ok(!memcmp(b + 4, "\x11\x22\x33\x44", 4), "the transaction id, big-endian");
	is_int(b[10], 0x80, "the broadcast flag: no address yet");
	ok(!memcmp(b + 28, mac, 6), "the MAC address");
	ok(!memcmp(b + 236, "\x63\x82\x53\x63", 4), "the magic cookie");
	ok(b[240] == 53 && b[241] == 1 && b[242] == DHCP_DISCOVER, "option 53: DISCOVER");
	n = dhcp_build(b, DHCP_REQUEST, 1, mac, htonl(0x0a00020f), htonl(0x0a000202));
	ok(b[242] == DHCP_REQUEST && b[243] == 50 && !memcmp(b + 245, "\x0a\x00\x02\x0f", 4),
	   "a REQUEST names the offered address");
	ok(b[249] == 54 && !memcmp(b + 251, "\x0a\x00\x02\x02", 4), "and the server");

	n = offer(b, 7, DHCP_OFFER, true);
	is_int(dhcp_parse(b, n, 7, &l), 0, "an OFFER is read");
	is_int(l.type, DHCP_OFFER, "as an OFFER");
	inet_ntop(AF_INET, &l.addr, a, sizeof(a));
	is_str(a, "10.0.2.15", "its address");
	inet_ntop(AF_INET, &l.router, a, sizeof(a));
	is_str(a, "10.0.2.2", "router");
	inet_ntop(AF_INET, &l.dns, a, sizeof(a));
	is_str(a, "10.0.2.3", "DNS");
	is_int(__builtin_popcount(l.mask), 24, "a /24 mask");
	inet_ntop(AF_INET, &l.server, a, sizeof(a));
	is_str(a, "10.0.2.2", "and the server to name");
	is_int(dhcp_parse(b, n, 8, &l), -EINVAL, "another transaction's reply is not ours");
	n = offer(b, 7, DHCP_ACK, false);
	is_int(dhcp_parse(b, n, 7, &l), -EINVAL, "a lease without a mask is refused");
	n = offer(b, 7, DHCP_OFFER, true);
	is_int(dhcp_parse(b, 250, 7, &l), -EINVAL, "a reply cut inside an option is refused");
	b[0] = 1;
	is_int(dhcp_parse(b, n, 7, &l), -EINVAL, "a request is not a reply");
	return done();
}
