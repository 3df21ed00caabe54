/* Addresses for bridged containers: one IPv4 subnet, the gateway at its first address. */
#include "ipam.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ipam_parse_cidr(const char *s, uint32_t *ret_addr, int *ret_prefix)
{
	unsigned a[4], len;
	char tail;

	if (!isdigit((unsigned char)s[0]) ||
	    sscanf(s, "%3u.%3u.%3u.%3u/%2u%c", &a[0], &a[1], &a[2], &a[3], &len, &tail) != 5 ||
	    a[0] > 255 || a[1] > 255 || a[2] > 255 || a[3] > 255 || len > 32)
		return -EINVAL;
	*ret_addr = a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
	*ret_prefix = len;
	return 0;
}

void ipam_format(uint32_t addr, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, addr >> 16 & 255, addr >> 8 & 255, addr & 255);
}

static uint32_t mask_of(int prefix)
{
	return prefix ? ~0U << (32 - prefix) : 0;
}

int ipam_init(struct ipam *p, const char *cidr, char *err, size_t errlen)
{
	uint32_t addr;
	int prefix;

	memset(p, 0, sizeof(*p));
	if (ipam_parse_cidr(cidr, &addr, &prefix) < 0 || prefix < 8 || prefix > 29) {
		snprintf(err, errlen, "'%s' is not a subnet like 10.88.0.0/16 (prefix 8 to 29)",
			 cidr);
		return -EINVAL;
	}
	if (addr & ~mask_of(prefix)) {
		snprintf(err, errlen, "'%s' has host bits set", cidr);
		return -EINVAL;
	}
	p->net = addr;
	p->prefix = prefix;
	p->gw = addr + 1;
	p->broadcast = addr | ~mask_of(prefix);
	p->used = calloc(((1ULL << (32 - prefix)) + 7) / 8, 1);
	return p->used ? 0 : -ENOMEM;
}

void ipam_free(struct ipam *p)
{
	free(p->used);
	p->used = NULL;
}

static bool taken(const struct ipam *p, uint32_t a)
{
	uint32_t i = a - p->net;

	return p->used[i / 8] & (1 << (i % 8));
}

static void mark(struct ipam *p, uint32_t a, bool on)
{
	uint32_t i = a - p->net;

	if (on)
		p->used[i / 8] |= 1 << (i % 8);
	else
		p->used[i / 8] &= ~(1 << (i % 8));
}

int ipam_take(struct ipam *p, const char *want, uint32_t *ret, char *err, size_t errlen)
{
	char net[16], buf[16];
	uint32_t a;
	int prefix;

	ipam_format(p->net, net);
	if (!want || !strcmp(want, "auto")) {
		for (a = p->gw + 1; a < p->broadcast; a++) {
			if (!taken(p, a)) {
				mark(p, a, true);
				*ret = a;
				return 0;
			}
		}
		snprintf(err, errlen, "no address is free in %s/%d", net, p->prefix);
		return -ENOSPC;
	}
	if (ipam_parse_cidr(want, &a, &prefix) < 0) {
		snprintf(err, errlen, "'%s' is not an address like 10.88.0.5/16", want);
		return -EINVAL;
	}
	ipam_format(a, buf);
	if (prefix != p->prefix || (a & mask_of(p->prefix)) != p->net) {
		snprintf(err, errlen, "'%s' is outside the subnet %s/%d", want, net, p->prefix);
		return -EINVAL;
	}
	if (a == p->net || a == p->broadcast || a == p->gw) {
		snprintf(err, errlen, "%s is the subnet's %s address", buf,
			 a == p->gw    ? "gateway"
			 : a == p->net ? "network"
				       : "broadcast");
		return -EINVAL;
	}
	if (taken(p, a)) {
		snprintf(err, errlen, "%s is taken by another container", buf);
		return -EADDRINUSE;
	}
	mark(p, a, true);
	*ret = a;
	return 0;
}

void ipam_release(struct ipam *p, uint32_t addr)
{
	if (addr > p->gw && addr < p->broadcast)
		mark(p, addr, false);
}
