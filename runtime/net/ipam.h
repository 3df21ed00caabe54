/* Addresses for bridged containers: one IPv4 subnet, the gateway at its first address.
 * Pure code: addresses are host byte order here. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipam {
	uint32_t net, gw, broadcast;
	int prefix;
	uint8_t *used; /* one bit per address of the subnet */
};

/* "10.88.0.0/16" (prefix 8 to 29). 0, -EINVAL with the reason in err, or -ENOMEM. */
int ipam_init(struct ipam *p, const char *cidr, char *err, size_t errlen);
void ipam_free(struct ipam *p);
/* Take "auto" (the lowest free address) or "a.b.c.d/len" (in the subnet, with its prefix,
 * neither its network, gateway nor broadcast address, and free). 0 or -errno with err. */
int ipam_take(struct ipam *p, const char *want, uint32_t *ret, char *err, size_t errlen);
void ipam_release(struct ipam *p, uint32_t addr);
/* "a.b.c.d" of a host-order address; buf holds 16 bytes. */
void ipam_format(uint32_t addr, char *buf);
/* Parse "a.b.c.d/len", "a.b.c.d", or an uplink's "a.b.c.d/len,g.h.i.j"; 0 or -EINVAL. */
int ipam_parse_cidr(const char *s, uint32_t *ret_addr, int *ret_prefix);
int ipam_parse_addr(const char *s, uint32_t *ret);
int ipam_parse_uplink(const char *s, uint32_t *ret_addr, int *ret_prefix, uint32_t *ret_gw);
