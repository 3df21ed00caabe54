/* linux.resources written into a bundle's cgroup, v1 per controller or v2, as runc does. */
#include "cgroup_oci_res.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "dev_bpf.h"
#include "devices.h"
#include "spec/cgroup_values.h"

#define KEY "linux.resources."

bool cgo_has_ctl(const char *ctls, const char *c)
{
	size_t n = strlen(c);

	for (const char *p = ctls; *p; p += strcspn(p, ","), p += *p == ',') {
		if (!strncmp(p, c, n) && (p[n] == ',' || !p[n]))
			return true;
	}
	return false;
}

static int put(int dfd, const char *id, const char *key, const char *file, const char *val)
{
	_cleanup_close_ int fd = openat(dfd, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == ENOENT) {
		log_msg("%s: %s: no %s here: the %.*s controller does not offer it", id, key, file,
			(int)strcspn(file, "."), file);
		return -ENOENT;
	}
	if (fd < 0)
		return log_errno(-errno, "%s: %s: cannot open %s", id, key, file);
	if (write_all(fd, val, strlen(val)) < 0)
		return log_errno(-errno, "%s: %s: cannot write '%s' to %s", id, key, val, file);
	return 0;
}

static int put_i(int dfd, const char *id, const char *key, const char *file, int64_t v)
{
	char val[32];

	snprintf(val, sizeof(val), "%" PRId64, v);
	return put(dfd, id, key, file, val);
}

static int bad(const char *id, const char *key, const char *reason)
{
	log_msg("%s: " KEY "%s: %s", id, key, reason);
	return -EINVAL;
}

int cgo_res_check(const char *id, const struct spec_oci *oci, bool v2)
{
	const struct oci_resources *r = &oci->res;
	_cleanup_free_ struct oci_dev_rule *rules = NULL;
	char err[256], why[320];
	size_t n;
	int64_t swap;

	if (r->has_memory_limit && r->memory_limit != 0 && r->memory_limit != -1) {
		if (r->memory_limit < -1)
			return bad(id, "memory.limit", "not a size");
		/* The kernel takes 1 byte, and the first page the process touches kills it. */
		if (r->memory_limit < CGV_MEMORY_MIN)
			return bad(id, "memory.limit",
				   "below 1 MiB, where the container's first process would be "
				   "OOM-killed at once");
	}
	if (r->has_memory_reservation && r->memory_reservation < -1)
		return bad(id, "memory.reservation", "not a size");
	if (cgv_swap_v2(r->has_memory_limit, r->memory_limit, r->has_memory_swap, r->memory_swap,
			&swap, err, sizeof(err)) < 0)
		return bad(id, "memory.swap", err);
	if (!v2 && r->has_swappiness && r->swappiness != UINT64_MAX && r->swappiness > 100)
		return bad(id, "memory.swappiness", "not from 0 to 100");
	if (r->has_cpu_shares && r->cpu_shares && !cgv_shares_to_weight(r->cpu_shares)) {
		snprintf(why, sizeof(why), "%" PRIu64 " is not from 2 to 262144", r->cpu_shares);
		return bad(id, "cpu.shares", why);
	}
	if (r->has_cpu_quota && r->cpu_quota < -1)
		return bad(id, "cpu.quota", "below -1 (unlimited)");
	if (r->blkio_weight && !cgv_blkio_to_io_weight(r->blkio_weight))
		return bad(id, "blockIO.weight", "not from 10 to 1000");
	for (char **u = r->unified; u && *u; u++) {
		_cleanup_free_ char *k = strndup(*u, strcspn(*u, "="));

		if (!k)
			return -ENOMEM;
		if (!strchr(*u, '='))
			return bad(id, "unified", "an entry without '='");
		if (!cgv_unified_key_ok(k, err, sizeof(err))) {
			snprintf(why, sizeof(why), "%s", err);
			return bad(id, "unified", why);
		}
	}
	if (r->unified && r->unified[0] && !v2)
		return bad(id, "unified", "cgroup v2 files, and this host's cgroups are v1");
	if (devbpf_oci_rules(oci, &rules, &n, err, sizeof(err)) < 0) {
		log_msg("%s: %s", id, err);
		return -EINVAL;
	}
	return 0;
}

/* ---- v1: one hierarchy at a time ---- */

/* memory.limit_in_bytes now; INT64_MAX when it cannot be read. */
static int64_t cur_limit(int dfd)
{
	_cleanup_free_ char *t = NULL;

	if (read_file(dfd, "memory.limit_in_bytes", &t, NULL) < 0)
		return INT64_MAX;
	return strtoll(t, NULL, 10);
}

static int v1_memory(const char *id, const struct oci_resources *r, int dfd)
{
	bool memsw = faccessat(dfd, "memory.memsw.limit_in_bytes", F_OK, 0) == 0;
	bool limit = r->has_memory_limit && r->memory_limit != 0;
	bool swap = r->has_memory_swap && r->memory_swap != 0;
	int e = 0;

	/* The kernel keeps memory <= memory+swap at every write: a fresh cgroup's both are
	 * unlimited, so memory goes first; an update that raises both above the current
	 * limit (or makes swap unlimited) writes memory+swap first, as runc does. The old
	 * memory+swap comes back if the limit is then refused (EBUSY below the usage). */
	if (limit && memsw && swap && (r->memory_swap == -1 || cur_limit(dfd) < r->memory_swap)) {
		_cleanup_free_ char *old = NULL;

		if (read_file(dfd, "memory.memsw.limit_in_bytes", &old, NULL) < 0)
			return log_errno(-errno,
					 "%s: " KEY "memory.swap: cannot read "
					 "memory.memsw.limit_in_bytes",
					 id);
		e = put_i(dfd, id, KEY "memory.swap", "memory.memsw.limit_in_bytes",
			  r->memory_swap);
		if (!e)
			e = put_i(dfd, id, KEY "memory.limit", "memory.limit_in_bytes",
				  r->memory_limit);
		if (e && e != -ENOENT)
			write_file(dfd, "memory.memsw.limit_in_bytes", old);
		swap = false;
	} else if (limit) {
		e = put_i(dfd, id, KEY "memory.limit", "memory.limit_in_bytes", r->memory_limit);
	}
	if (!e && swap && !memsw && r->memory_swap != -1 &&
	    !(limit && r->memory_swap == r->memory_limit)) {
		log_msg("%s: " KEY "memory.swap: this kernel does not account swap "
			"(swapaccount=0): only -1 or the memory limit can be kept",
			id);
		return -EOPNOTSUPP;
	}
	if (!e && memsw && (swap || (limit && r->memory_limit == -1)))
		e = put_i(dfd, id, KEY "memory.swap", "memory.memsw.limit_in_bytes",
			  swap ? r->memory_swap : -1);
	if (!e && r->has_memory_reservation && r->memory_reservation)
		e = put_i(dfd, id, KEY "memory.reservation", "memory.soft_limit_in_bytes",
			  r->memory_reservation);
	if (!e && r->has_swappiness && r->swappiness != UINT64_MAX)
		e = put_i(dfd, id, KEY "memory.swappiness", "memory.swappiness",
			  (int64_t)r->swappiness);
	if (!e && r->disable_oom_killer)
		e = put(dfd, id, KEY "memory.disableOOMKiller", "memory.oom_control", "1");
	return e;
}

static int v1_cpu(const char *id, const struct oci_resources *r, int dfd)
{
	int e = 0;

	if (r->has_cpu_shares && r->cpu_shares)
		e = put_i(dfd, id, KEY "cpu.shares", "cpu.shares", (int64_t)r->cpu_shares);
	if (!e && r->has_cpu_period && r->cpu_period)
		e = put_i(dfd, id, KEY "cpu.period", "cpu.cfs_period_us", (int64_t)r->cpu_period);
	if (!e && r->has_cpu_quota && r->cpu_quota)
		e = put_i(dfd, id, KEY "cpu.quota", "cpu.cfs_quota_us", r->cpu_quota);
	return e;
}

static int v1_blkio(const char *id, const struct oci_resources *r, int dfd)
{
	if (!r->blkio_weight)
		return 0;
	if (faccessat(dfd, "blkio.weight", F_OK, 0) == 0)
		return put_i(dfd, id, KEY "blockIO.weight", "blkio.weight", r->blkio_weight);
	if (faccessat(dfd, "blkio.bfq.weight", F_OK, 0) == 0)
		return put_i(dfd, id, KEY "blockIO.weight", "blkio.bfq.weight", r->blkio_weight);
	log_msg("%s: " KEY "blockIO.weight: no blkio.weight here (the io scheduler is not bfq)",
		id);
	return -EOPNOTSUPP;
}

static void v1_rule(char *buf, size_t len, char type, int64_t maj, int64_t min, unsigned acc)
{
	char a[8], m[24], n[24];
	size_t k = 0;

	if (acc & OCI_DEV_R)
		a[k++] = 'r';
	if (acc & OCI_DEV_W)
		a[k++] = 'w';
	if (acc & OCI_DEV_M)
		a[k++] = 'm';
	a[k] = '\0';
	snprintf(m, sizeof(m), maj == -1 ? "*" : "%" PRId64, maj);
	snprintf(n, sizeof(n), min == -1 ? "*" : "%" PRId64, min);
	snprintf(buf, len, "%c %s:%s %s", type, m, n, a);
}

static int v1_devices(const char *id, const struct spec_oci *oci, int dfd)
{
	_cleanup_free_ struct oci_dev_rule *v = NULL;
	char err[256], line[80];
	size_t n;
	int e;

	e = devbpf_oci_rules(oci, &v, &n, err, sizeof(err));
	if (e < 0)
		return e;
	/* Deny all, then the rules in order: the kernel's exceptions do the rest. */
	e = put(dfd, id, KEY "devices", "devices.deny", "a");
	for (size_t i = 0; !e && i < n; i++) {
		const char *file = v[i].allow ? "devices.allow" : "devices.deny";

		if (!v[i].access)
			continue;
		/* "a" alone means all devices, all access: anything narrower is c and b. */
		if (v[i].type == 'a' && v[i].major == -1 && v[i].minor == -1 &&
		    v[i].access == (OCI_DEV_R | OCI_DEV_W | OCI_DEV_M)) {
			e = put(dfd, id, KEY "devices", file, "a");
			continue;
		}
		for (const char *t = v[i].type == 'a' ? "cb" : (v[i].type == 'b' ? "b" : "c");
		     !e && *t; t++) {
			v1_rule(line, sizeof(line), *t, v[i].major, v[i].minor, v[i].access);
			e = put(dfd, id, KEY "devices", file, line);
		}
	}
	return e;
}

int cgo_res_v1(const char *id, const struct spec_oci *oci, const char *ctls, int dfd, bool devices)
{
	const struct oci_resources *r = &oci->res;
	int e = 0;

	if (cgo_has_ctl(ctls, "memory"))
		e = v1_memory(id, r, dfd);
	if (!e && cgo_has_ctl(ctls, "cpu"))
		e = v1_cpu(id, r, dfd);
	if (!e && cgo_has_ctl(ctls, "cpuset") && r->cpus)
		e = put(dfd, id, KEY "cpu.cpus", "cpuset.cpus", r->cpus);
	if (!e && cgo_has_ctl(ctls, "cpuset") && r->mems)
		e = put(dfd, id, KEY "cpu.mems", "cpuset.mems", r->mems);
	if (!e && cgo_has_ctl(ctls, "pids") && r->has_pids) {
		char val[32];

		cgv_limit(val, sizeof(val), r->pids_limit, true);
		e = put(dfd, id, KEY "pids.limit", "pids.max", val);
	}
	if (!e && cgo_has_ctl(ctls, "blkio"))
		e = v1_blkio(id, r, dfd);
	if (!e && devices && cgo_has_ctl(ctls, "devices"))
		e = v1_devices(id, oci, dfd);
	return e;
}

/* ---- v2: the one leaf ---- */

static int v2_memory(const char *id, const struct oci_resources *r, int dfd)
{
	char val[32], err[256];
	int64_t swap;
	int e = 0;

	if (r->has_memory_limit && r->memory_limit) {
		cgv_limit(val, sizeof(val), r->memory_limit, false);
		e = put(dfd, id, KEY "memory.limit", "memory.max", val);
	}
	if (!e && cgv_swap_v2(r->has_memory_limit, r->memory_limit, r->has_memory_swap,
			      r->memory_swap, &swap, err, sizeof(err)) > 0) {
		cgv_limit(val, sizeof(val), swap, false);
		/* Without swap accounting the file is missing: only "max" can be kept. */
		if (swap == -1 && faccessat(dfd, "memory.swap.max", F_OK, 0) < 0)
			return 0;
		e = put(dfd, id, KEY "memory.swap", "memory.swap.max", val);
	}
	if (!e && r->has_memory_reservation && r->memory_reservation) {
		cgv_limit(val, sizeof(val), r->memory_reservation, false);
		e = put(dfd, id, KEY "memory.reservation", "memory.low", val);
	}
	/* swappiness and disableOOMKiller have no v2 file: ignored, as runc does. */
	return e;
}

static int v2_io(const char *id, const struct oci_resources *r, int dfd)
{
	char val[32];

	if (!r->blkio_weight)
		return 0;
	/* bfq's weight is blkio's own scale (1..1000); io.weight is v2's (1..10000). */
	if (faccessat(dfd, "io.bfq.weight", F_OK, 0) == 0)
		return put_i(dfd, id, KEY "blockIO.weight", "io.bfq.weight", r->blkio_weight);
	snprintf(val, sizeof(val), "default %" PRIu64, cgv_blkio_to_io_weight(r->blkio_weight));
	return put(dfd, id, KEY "blockIO.weight", "io.weight", val);
}

static int v2_unified(const char *id, char *const *unified, int dfd)
{
	for (char *const *u = unified; u && *u; u++) {
		_cleanup_free_ char *k = strndup(*u, strcspn(*u, "="));
		char key[320];

		if (!k)
			return -ENOMEM;
		snprintf(key, sizeof(key), KEY "unified.%s", k);
		/* put opens with O_NOFOLLOW below the leaf: the key names a file of the leaf. */
		if (put(dfd, id, key, k, strchr(*u, '=') + 1) < 0)
			return -EINVAL;
	}
	return 0;
}

int cgo_res_v2(const char *id, const struct spec_oci *oci, int dfd, bool devices)
{
	const struct oci_resources *r = &oci->res;
	_cleanup_free_ struct oci_dev_rule *rules = NULL;
	char val[64], err[256];
	size_t n;
	int e;

	e = v2_memory(id, r, dfd);
	if (!e && r->has_cpu_shares && r->cpu_shares)
		e = put_i(dfd, id, KEY "cpu.shares", "cpu.weight",
			  (int64_t)cgv_shares_to_weight(r->cpu_shares));
	if (!e && cgv_cpu_max(r->has_cpu_quota, r->cpu_quota, r->has_cpu_period, r->cpu_period, val,
			      sizeof(val)))
		e = put(dfd, id, KEY "cpu.quota", "cpu.max", val);
	if (!e && r->cpus)
		e = put(dfd, id, KEY "cpu.cpus", "cpuset.cpus", r->cpus);
	if (!e && r->mems)
		e = put(dfd, id, KEY "cpu.mems", "cpuset.mems", r->mems);
	if (!e && r->has_pids) {
		cgv_limit(val, sizeof(val), r->pids_limit, true);
		e = put(dfd, id, KEY "pids.limit", "pids.max", val);
	}
	if (!e)
		e = v2_io(id, r, dfd);
	if (!e)
		e = v2_unified(id, r->unified, dfd);
	if (e || !devices)
		return e;
	e = devbpf_oci_rules(oci, &rules, &n, err, sizeof(err));
	if (e < 0)
		return e;
	e = dev_rules_attach(dfd, rules, n);
	if (e < 0)
		return log_errno(e, "%s: " KEY "devices: cannot attach the device program", id);
	return 0;
}
