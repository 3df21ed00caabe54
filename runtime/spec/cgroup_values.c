/* linux.resources' values as cgroup files want them, and linux.cgroupsPath's checks. */
#include "cgroup_values.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static int bad(char *err, int errlen, const char *fmt, const char *what)
{
	snprintf(err, errlen, fmt, what);
	return -EINVAL;
}

int cgv_path(const char *cgroups_path, const char *id, char *buf, size_t len, char *err, int errlen)
{
	const char *p = cgroups_path;
	size_t o = 0;
	bool abs;

	if (!id || !*id || strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, ".."))
		return bad(err, errlen, "'%s' is not a container id", id ? id : "");
	if (!p || !*p) {
		if ((size_t)snprintf(buf, len, CGV_DEFAULT_PARENT "/%s", id) >= len)
			return bad(err, errlen, "cgroup path for '%s' is too long", id);
		return 0;
	}
	if (strchr(p, ':'))
		return bad(err, errlen,
			   "'%s' is systemd's slice:prefix:name form, and kbox has no systemd "
			   "cgroup driver: give a cgroupfs path",
			   p);
	for (const unsigned char *c = (const unsigned char *)p; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return bad(err, errlen, "'%s' holds a control character", "cgroupsPath");
	abs = *p == '/';
	while (*p) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (!n)
			break;
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return bad(err, errlen, "'%s': a '..' component would leave the hierarchy",
				   cgroups_path);
		if (n > NAME_MAX)
			return bad(err, errlen, "'%s': a component is longer than NAME_MAX",
				   cgroups_path);
		if (o + (o || abs) + n + 1 > len)
			return bad(err, errlen, "'%s' is too long", cgroups_path);
		if (o || abs)
			buf[o++] = '/';
		memcpy(buf + o, p, n);
		o += n;
		p += n;
	}
	if (!o)
		return bad(err, errlen, "'%s' names no cgroup below the root", cgroups_path);
	buf[o] = '\0';
	return 0;
}

uint64_t cgv_shares_to_weight(uint64_t shares)
{
	if (shares < CGV_SHARES_MIN || shares > CGV_SHARES_MAX)
		return 0;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cgv_blkio_to_io_weight(uint64_t weight)
{
	if (weight < 10 || weight > 1000)
		return 0;
	return 1 + (weight - 10) * 9999 / 990;
}

int cgv_swap_v2(bool has_limit, int64_t limit, bool has_swap, int64_t swap, int64_t *ret, char *err,
		int errlen)
{
	if (!has_swap || swap == 0) {
		/* As on v1: memory unlimited and swap unsaid is both unlimited. */
		if (has_limit && limit == -1) {
			*ret = -1;
			return 1;
		}
		return 0;
	}
	if (swap == -1) {
		*ret = -1;
		return 1;
	}
	if (swap < -1) {
		snprintf(err, errlen, "%" PRId64 " is not a size", swap);
		return -EINVAL;
	}
	if (!has_limit || limit <= 0) {
		snprintf(err, errlen, "a swap limit needs a memory limit");
		return -EINVAL;
	}
	if (swap < limit) {
		snprintf(err, errlen,
			 "%" PRId64 " is below the memory limit %" PRId64
			 " (swap counts memory and swap together)",
			 swap, limit);
		return -EINVAL;
	}
	*ret = swap - limit;
	return 1;
}

int cgv_cpu_max(bool has_quota, int64_t quota, bool has_period, uint64_t period, char *buf,
		size_t len)
{
	size_t n;

	has_quota = has_quota && quota != 0;
	has_period = has_period && period != 0;
	if (!has_quota && !has_period)
		return 0;
	if (has_quota && quota > 0)
		n = snprintf(buf, len, "%" PRId64, quota);
	else
		n = snprintf(buf, len, "max");
	if (has_period && n < len)
		snprintf(buf + n, len - n, " %" PRIu64, period);
	return 1;
}

void cgv_limit(char *buf, size_t len, int64_t v, bool zero_max)
{
	if (v == -1 || (zero_max && v <= 0))
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%" PRId64, v);
}

bool cgv_unified_key_ok(const char *key, char *err, int errlen)
{
	static const char *const owned[] = {
		"cgroup.procs", "cgroup.threads", "cgroup.subtree_control",
		"cgroup.type",	"cgroup.kill",	  "cgroup.freeze",
	};
	const char *dot = strchr(key, '.');

	if (!*key || strchr(key, '/') || !strcmp(key, ".") || !strcmp(key, "..")) {
		snprintf(err, errlen, "'%s' is not a cgroup file name", key);
		return false;
	}
	if (!dot || dot == key || !dot[1]) {
		snprintf(err, errlen, "'%s' is not a controller's file (controller.name)", key);
		return false;
	}
	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		if (!strcmp(key, owned[i])) {
			snprintf(err, errlen,
				 "'%s' moves processes or controllers, or is the runtime's own",
				 key);
			return false;
		}
	return true;
}
