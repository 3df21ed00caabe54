/* Addresses for bridged containers: one IPv4 subnet, the gateway at its first address. */
#include "ipam.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "a.b.c.d" at the start of s; the rest of s is left in *ret_end. */
static int parse_addr(const char *s, uint32_t *ret, const char **ret_end)
{
	uint32_t addr = 0;

	for (int i = 0; i < 4; i++) {
		unsigned long v;
		char *end;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		v = strtoul(s, &end, 10);
		if (v > 255 || end - s > 3 || (i < 3 && *end != '.'))
			return -EINVAL;
		addr = addr << 8 | v;
		s = i < 3 ? end + 1 : end;
	}
	*ret = addr;
	*ret_end = s;
	return 0;
}

/* "/len" and then exactly the character stop (NUL at the end). */
static int parse_prefix(const char *s, char stop, int *ret, const char **ret_end)
{
	unsigned long v;
	char *end;

	if (*s != '/' || !isdigit((unsigned char)s[1]))
		return -EINVAL;
	v = strtoul(s + 1, &end, 10);
	if (v > 32 || end - s > 3 || *end != stop)
		return -EINVAL;
	*ret = v;
	*ret_end = end;
	return 0;
}

int ipam_parse_addr(const char *s, uint32_t *ret)
{
	const char *end;

	return parse_addr(s, ret, &end) < 0 || *end ? -EINVAL : 0;
}

int ipam_parse_cidr(const char *s, uint32_t *ret_addr, int *ret_prefix)
{
	const char *end;

	if (parse_addr(s, ret_addr, &end) < 0)
		return -EINVAL;
	return parse_prefix(end, '\0', ret_prefix, &end);
}

int ipam_parse_uplink(const char *s, uint32_t *ret_addr, int *ret_prefix, uint32_t *ret_gw)
{
	const char *end;

	if (parse_addr(s, ret_addr, &end) < 0 || parse_prefix(end, ',', ret_prefix, &end) < 0)
		return -EINVAL;
	return ipam_parse_addr(end + 1, ret_gw);
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
