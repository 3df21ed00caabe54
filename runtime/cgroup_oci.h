/* A bundle's cgroup (kbox oci): linux.cgroupsPath and linux.resources on cgroup v2, or on a
 * v1 or hybrid host on each controller runc uses (memory, cpu, cpuset, pids, blkio, devices,
 * freezer), as runc lays them out. Every function takes the cgroup by its path, as the state
 * file keeps it, since each verb is a process of its own. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec/spec.h"

/* The cgroup's path relative to each hierarchy's root: linux.cgroupsPath (absolute, or
 * relative to kbox's own), else /kbox/ID. "a:b:c" (systemd's form) is refused with a clear
 * message. Pure. 0 or -EINVAL with the reason in err. */
int cgo_path(const struct spec *spec, const char *id, char *buf, size_t len, char *err,
	     int errlen);

/* Create the cgroup at PATH (cgo_path) and write linux.resources into it, the device rules
 * (resources.devices: a BPF_CGROUP_DEVICE program on v2, devices.allow/deny on v1) with it.
 * On v2 *ret_fd is an O_DIRECTORY fd for CLONE_INTO_CGROUP; on v1 -1, and cgo_join puts the
 * process in. Logs "ID: linux.resources.KEY: reason"; on failure nothing is left behind. */
int cgo_create(const struct spec *spec, const char *id, const char *path, int *ret_fd);
/* v1: put PID into PATH in every controller (v2: nothing to do). */
int cgo_join(const char *path, pid_t pid);
/* The pids in the cgroup (and below it), for ps and kill --all. *ret malloc'd. */
int cgo_pids(const char *path, pid_t **ret, size_t *ret_n);
/* Freeze or thaw (pause, resume), and wait until the kernel says it is done. */
int cgo_freeze(const char *path, bool frozen);
/* "running", "paused" as the freezer says; false on error. */
bool cgo_frozen(const char *path);
/* Kill everything in it (cgroup.kill, or each pid on v1). */
int cgo_kill(const char *path, int sig);
/* Remove the cgroup in every hierarchy; -EBUSY while processes remain. */
int cgo_remove(const char *path);
/* Is PATH's hierarchy v2 (unified)? For features and the tests. */
bool cgo_unified(void);
