/* linux.resources' values as cgroup files want them (runc's conversions between the v1 and
 * v2 units) and linux.cgroupsPath's checks. Pure: no system calls. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a bundle's cgroup goes when config.json names none: beside PID 1's /kbox, not in
 * it, so that an OCI id never meets an appliance container's leaf of the same name. */
#define CGV_DEFAULT_PARENT "/kbox-oci"

/* The kernel's bounds on v1 cpu.shares (it clamps silently; runc refuses what it clamped). */
#define CGV_SHARES_MIN 2ULL
#define CGV_SHARES_MAX 262144ULL
/* Below this a container's first process is OOM-killed before it runs: refused. */
#define CGV_MEMORY_MIN (1LL << 20)

/*
 * linux.cgroupsPath (NULL: unset) into its normal form in BUF: "/a/b" (absolute: below each
 * hierarchy's root) or "a/b" (relative: below the caller's own cgroup), or
 * CGV_DEFAULT_PARENT "/ID" when unset. Refused with the reason in ERR: systemd's
 * "slice:prefix:name" (any ':'), a ".." component, control bytes, a component longer than
 * NAME_MAX, a path naming the root itself. 0 or -EINVAL.
 */
int cgv_path(const char *cgroups_path, const char *id, char *buf, size_t len, char *err,
	     int errlen);

/* cpu.shares (2..262144) as cpu.weight (1..10000); 0 when out of range. */
uint64_t cgv_shares_to_weight(uint64_t shares);
/* blkio weight (10..1000) as io.weight (1..10000); 0 when out of range. */
uint64_t cgv_blkio_to_io_weight(uint64_t weight);
/*
 * memory.swap.max from OCI's memory+swap SWAP and LIMIT (has_* say which were set): into
 * *RET the swap alone, -1 for "max"; returns 1 when there is something to write, 0 when
 * not, -EINVAL with the reason in ERR (swap below the limit, swap without a limit).
 */
int cgv_swap_v2(bool has_limit, int64_t limit, bool has_swap, int64_t swap, int64_t *ret, char *err,
		int errlen);
/* cpu.max's "QUOTA PERIOD" ("max" for a quota of -1 or unset, the period left out when
 * unset), or 0 when neither is set. Returns 1 when written into BUF. */
int cgv_cpu_max(bool has_quota, int64_t quota, bool has_period, uint64_t period, char *buf,
		size_t len);
/* A limit as cgroup v2 writes it: "max" for -1 (and for 0 when ZERO_MAX, as pids), else the
 * number. */
void cgv_limit(char *buf, size_t len, int64_t v, bool zero_max);
/*
 * A linux.resources.unified key: a cgroup v2 file name of the form "controller.file", no
 * '/', not "." or "..", and not one of the files through which processes or controllers
 * move or the verbs act (cgroup.procs, cgroup.threads, cgroup.subtree_control, cgroup.type,
 * cgroup.kill, cgroup.freeze). false with the reason in ERR.
 */
bool cgv_unified_key_ok(const char *key, char *err, int errlen);
