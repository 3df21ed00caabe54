/* config.json's linux.resources: memory, cpu, pids, blockIO weight, hugepageLimits, unified
 * and the device rules, checked here for what a cgroup takes; what kbox cannot apply is refused. Pure. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "oci_parts.h"

/* -1 (unlimited) or a count of bytes. */
static int get_limit(struct oj *j, json_t *obj, const char *parent, const char *key, bool *has,
		     int64_t *ret)
{
	char p[OJ_PATH];
	json_t *v = json_object_get(obj, key);
	int r;

	if (oj_absent(v))
		return 0;
	r = oj_int(j, v, oj_key(p, parent, key), -1, INT64_MAX, ret);
	*has = r == 0;
	return r;
}

static int parse_memory(struct oj *j, json_t *v, struct oci_resources *res)
{
	const char *path = "linux.resources.memory";
	char p[OJ_PATH];
	int r = oj_object(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	/* kernel and kernelTCP are gone from cgroup v2 and deprecated in v1: runc ignores them
	 * too, and they only ever lowered a limit. */
	r = get_limit(j, v, path, "limit", &res->has_memory_limit, &res->memory_limit);
	if (r == 0)
		r = get_limit(j, v, path, "reservation", &res->has_memory_reservation,
			      &res->memory_reservation);
	if (r == 0)
		r = get_limit(j, v, path, "swap", &res->has_memory_swap, &res->memory_swap);
	if (r == 0 && !oj_absent(json_object_get(v, "swappiness"))) {
		res->has_swappiness = true;
		r = oj_u64(j, json_object_get(v, "swappiness"), oj_key(p, path, "swappiness"), 100,
			   &res->swappiness);
	}
	if (r == 0)
		r = oj_bool(j, json_object_get(v, "disableOOMKiller"),
			    oj_key(p, path, "disableOOMKiller"), &res->disable_oom_killer);
	return r;
}

/* "0-1,3": CPU or node numbers and ranges, as cpuset.cpus and cpuset.mems take them. */
static bool cpuset_ok(const char *s)
{
	for (const char *p = s;;) {
		unsigned long long a, b;

		if (spec_parse_digits(&p, 4095, &a) < 0)
			return false;
		b = a;
		if (*p == '-') {
			p++;
			if (spec_parse_digits(&p, 4095, &b) < 0 || b < a)
				return false;
		}
		if (!*p)
			return true;
		if (*p++ != ',')
			return false;
	}
}

static int get_cpuset(struct oj *j, json_t *v, const char *parent, const char *key, char **ret)
{
	char p[OJ_PATH], b[OJ_SHOW];
	int r = oj_str(j, json_object_get(v, key), oj_key(p, parent, key), ret);

	if (r == 0 && *ret && !**ret) {
		free(*ret);
		*ret = NULL;
	}
	if (r == 0 && *ret && !cpuset_ok(*ret))
		r = oj_fail(j, p, "'%s' is not a list like 0-1,3 (numbers up to 4095)",
			    oj_shows(*ret, b));
	return r;
}

static int parse_cpu(struct oj *j, json_t *v, struct oci_resources *res)
{
	const char *path = "linux.resources.cpu";
	char p[OJ_PATH];
	int64_t rt = 0;
	int r = oj_object(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	if (!oj_absent(json_object_get(v, "shares"))) {
		res->has_cpu_shares = true;
		res->cpu_shares = 2;
		r = oj_u64(j, json_object_get(v, "shares"), oj_key(p, path, "shares"), 262144,
			   &res->cpu_shares);
		if (r == 0 && res->cpu_shares < 2)
			r = oj_fail(j, p, "%llu is out of range (2..262144)",
				    (unsigned long long)res->cpu_shares);
	}
	if (r == 0 && !oj_absent(json_object_get(v, "quota"))) {
		res->has_cpu_quota = true;
		r = oj_int(j, json_object_get(v, "quota"), oj_key(p, path, "quota"), -1, INT64_MAX,
			   &res->cpu_quota);
		if (r == 0 && res->cpu_quota == 0)
			r = oj_fail(j, p, "0: -1 (unlimited) or microseconds above 0");
	}
	if (r == 0 && !oj_absent(json_object_get(v, "period"))) {
		res->has_cpu_period = true;
		res->cpu_period = 1000;
		r = oj_u64(j, json_object_get(v, "period"), oj_key(p, path, "period"), 1000000,
			   &res->cpu_period);
		if (r == 0 && res->cpu_period < 1000)
			r = oj_fail(j, p, "%llu is out of range (1000..1000000)",
				    (unsigned long long)res->cpu_period);
	}
	if (r == 0)
		r = get_cpuset(j, v, path, "cpus", &res->cpus);
	if (r == 0)
		r = get_cpuset(j, v, path, "mems", &res->mems);
	/* Real-time CPU time is a v1 knob for the host's scheduler, idle and burst are v2's
	 * newer ones: kbox sets none, and ignoring one would give other CPU time than asked. */
	for (int k = 0; r == 0 && k < 4; k++) {
		static const char *const keys[] = {"realtimeRuntime", "realtimePeriod", "idle",
						   "burst"};

		rt = 0;
		r = oj_int(j, json_object_get(v, keys[k]), oj_key(p, path, keys[k]), INT64_MIN,
			   INT64_MAX, &rt);
		if (r == 0 && rt)
			r = oj_fail(j, p, "%s",
				    k < 2 ? "kbox gives no real-time CPU time"
					  : "kbox does not set this");
	}
	return r;
}

static int parse_pids(struct oj *j, json_t *v, struct oci_resources *res)
{
	const char *path = "linux.resources.pids";
	char p[OJ_PATH];
	int r = oj_object(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	r = oj_need(j, json_object_get(v, "limit"), oj_key(p, path, "limit"));
	if (r == 0)
		r = oj_int(j, json_object_get(v, "limit"), p, -1, INT64_MAX, &res->pids_limit);
	res->has_pids = r == 0;
	return r;
}

static bool empty(json_t *v)
{
	return oj_absent(v) || (json_is_array(v) && !json_array_size(v)) ||
	       (json_is_object(v) && !json_object_size(v));
}

static int parse_blkio(struct oj *j, json_t *v, struct oci_resources *res)
{
	static const char *const refused[] = {"weightDevice", "throttleReadBpsDevice",
					      "throttleWriteBpsDevice", "throttleReadIOPSDevice",
					      "throttleWriteIOPSDevice"};
	const char *path = "linux.resources.blockIO";
	char p[OJ_PATH];
	uint64_t w = 0;
	int r = oj_object(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	if (!oj_absent(json_object_get(v, "weight"))) {
		r = oj_u64(j, json_object_get(v, "weight"), oj_key(p, path, "weight"), 1000, &w);
		if (r == 0 && w < 10)
			r = oj_fail(j, p, "%llu is out of range (10..1000)", (unsigned long long)w);
		res->blkio_weight = w;
	}
	/* Per device: the devices are the host's, and kbox names none to a container. */
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(refused); i++)
		if (!empty(json_object_get(v, refused[i])))
			r = oj_fail(j, oj_key(p, path, refused[i]),
				    "per-device I/O limits are not supported");
	return r;
}

static int parse_unified(struct oj *j, json_t *v, struct oci_resources *res)
{
	const char *path = "linux.resources.unified";
	char p[OJ_PATH];
	int r = oj_strmap(j, v, path, &res->unified);

	for (size_t i = 0; r == 0 && res->unified && res->unified[i]; i++) {
		const char *e = res->unified[i];
		size_t n = strcspn(e, "=");
		char key[256];

		snprintf(key, sizeof(key), "%.*s", (int)n, e);
		oj_key(p, path, key);
		/* A file of the container's cgroup, and never a path out of it. */
		if (memchr(e, '/', n) || (n == 1 && e[0] == '.') ||
		    (n == 2 && !strncmp(e, "..", 2)))
			r = oj_fail(j, p, "not a file of the cgroup");
		else if (strchr(e + n, '\n'))
			r = oj_fail(j, p, "a value with a newline");
	}
	return r;
}

/* The kernel's name of a huge page size, as its hugetlb files carry it: 1 to 4 digits, no
 * leading zero, then KB, MB or GB ("2MB", "1GB", "64KB"; never "2MiB" or "2M"). */
static bool page_size_ok(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= 4 && s[0] != '0' && strchr("KMG", s[n]) && s[n] && s[n + 1] == 'B' &&
	       !s[n + 2];
}

static int parse_hugepages(struct oj *j, json_t *v, struct oci_resources *res)
{
	const char *path = "linux.resources.hugepageLimits";
	char p[OJ_PATH], q[OJ_PATH], b[OJ_SHOW];
	json_t *e;
	size_t i;
	int r = oj_array(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	res->hugepages = calloc(json_array_size(v) + 1, sizeof(*res->hugepages));
	if (!res->hugepages)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		struct oci_hugepage *h = &res->hugepages[i];
		char *s = NULL;

		oj_idx(p, path, i);
		r = oj_object(j, e, p);
		if (r == 0)
			r = oj_need(j, e, p);
		if (r == 0)
			r = oj_need(j, json_object_get(e, "pageSize"), oj_key(q, p, "pageSize"));
		if (r == 0)
			r = oj_str(j, json_object_get(e, "pageSize"), q, &s);
		if (r == 0 && !page_size_ok(s))
			r = oj_fail(j, q, "'%s' is not a page size as the kernel names it (2MB, 1GB, 64KB)",
				    oj_shows(s, b));
		for (size_t k = 0; r == 0 && k < i; k++)
			if (!strcmp(res->hugepages[k].page, s))
				r = oj_fail(j, q, "'%s' is given twice", s);
		if (r == 0)
			snprintf(h->page, sizeof(h->page), "%s", s);
		free(s);
		if (r == 0)
			r = oj_need(j, json_object_get(e, "limit"), oj_key(q, p, "limit"));
		if (r == 0)
			r = oj_u64(j, json_object_get(e, "limit"), q, UINT64_MAX, &h->limit);
		if (r < 0)
			return r;
		res->nhugepages++;
	}
	return 0;
}

static int parse_rule(struct oj *j, json_t *v, const char *path, struct oci_dev_rule *d)
{
	char p[OJ_PATH], b[OJ_SHOW], *s = NULL;
	int r = oj_object(j, v, path);

	d->type = 'a';
	d->major = d->minor = -1;
	d->access = OCI_DEV_R | OCI_DEV_W | OCI_DEV_M;
	if (r == 0)
		r = oj_need(j, v, path);
	if (r == 0)
		r = oj_need(j, json_object_get(v, "allow"), oj_key(p, path, "allow"));
	if (r == 0)
		r = oj_bool(j, json_object_get(v, "allow"), p, &d->allow);
	if (r == 0)
		r = oj_str(j, json_object_get(v, "type"), oj_key(p, path, "type"), &s);
	if (r == 0 && s && (strlen(s) != 1 || !strchr("acb", s[0])))
		r = oj_fail(j, p, "'%s' is not a, c or b", oj_shows(s, b));
	if (r == 0 && s)
		d->type = s[0];
	free(s);
	s = NULL;
	if (r == 0)
		r = oj_int(j, json_object_get(v, "major"), oj_key(p, path, "major"), -1, UINT32_MAX,
			   &d->major);
	if (r == 0)
		r = oj_int(j, json_object_get(v, "minor"), oj_key(p, path, "minor"), -1, UINT32_MAX,
			   &d->minor);
	if (r == 0)
		r = oj_str(j, json_object_get(v, "access"), oj_key(p, path, "access"), &s);
	if (r == 0 && s) {
		d->access = 0;
		for (const char *c = s; r == 0 && *c; c++) {
			const char *at = strchr("rwm", *c);

			if (!at)
				r = oj_fail(j, p, "'%s' is not of r, w and m", oj_shows(s, b));
			else
				d->access |= 1U << (at - "rwm");
		}
	}
	free(s);
	return r;
}

static int parse_rules(struct oj *j, json_t *v, struct spec_oci *o)
{
	const char *path = "linux.resources.devices";
	char p[OJ_PATH];
	json_t *e;
	size_t i;
	int r = oj_array(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	o->dev_rules = calloc(json_array_size(v) + 1, sizeof(*o->dev_rules));
	if (!o->dev_rules)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		r = parse_rule(j, e, oj_idx(p, path, i), &o->dev_rules[i]);
		if (r < 0)
			return r;
		o->ndev_rules++;
	}
	return 0;
}

int oci_parse_resources(struct oj *j, json_t *res, struct spec_oci *o)
{
	static const char *const refused[] = {"network", "rdma"};
	char p[OJ_PATH];
	int r = oj_object(j, res, "linux.resources");

	if (r < 0 || oj_absent(res))
		return r;
	r = parse_memory(j, json_object_get(res, "memory"), &o->res);
	if (r == 0)
		r = parse_cpu(j, json_object_get(res, "cpu"), &o->res);
	if (r == 0)
		r = parse_pids(j, json_object_get(res, "pids"), &o->res);
	if (r == 0)
		r = parse_blkio(j, json_object_get(res, "blockIO"), &o->res);
	if (r == 0)
		r = parse_unified(j, json_object_get(res, "unified"), &o->res);
	if (r == 0)
		r = parse_rules(j, json_object_get(res, "devices"), o);
	if (r == 0)
		r = parse_hugepages(j, json_object_get(res, "hugepageLimits"), &o->res);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(refused); i++)
		if (!empty(json_object_get(res, refused[i])))
			r = oj_fail(j, oj_key(p, "linux.resources", refused[i]),
				    "kbox does not set this controller");
	return r;
}

void oci_resources_free(struct spec_oci *o)
{
	free(o->res.cpus);
	free(o->res.mems);
	strv_free(o->res.unified);
	free(o->res.hugepages);
	free(o->dev_rules);
}
