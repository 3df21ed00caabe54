/* cgroup v2: init's own leaf, controller delegation, one leaf per container. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec/spec.h"

#include "../lib/paths.h"

/* Move the caller into CG_ROOT/init and enable every controller for CG_ROOT/kbox. */
int cg_setup_root(void);
/* Outside the appliance (kbox run): CG_ROOT/kbox with every controller the host gives it.
 * -EOPNOTSUPP, silently, when CG_ROOT is not cgroup v2. */
int cg_setup_host(void);
/* The name of the first cgroup limit the spec sets, or NULL. */
const char *cg_first_limit(const struct spec *spec);
/* Create CG_ROOT/kbox/NAME; returns an O_DIRECTORY fd for CLONE_INTO_CGROUP. */
int cg_create(const char *name);
/* Write the spec's limits into the leaf; logs "name: key: reason" and fails on the first. */
int cg_apply_limits(int leaf_fd, const struct spec *spec);
/* How many processes the OOM killer took in the leaf (memory.events oom_kill). */
long cg_oom_kills(const char *name);
/* Kill everything in the leaf (cgroup.kill). */
int cg_kill(const char *name);
/* Remove the leaf; -EBUSY while processes are still leaving it. */
int cg_remove(const char *name);
/* Is PID in a container's leaf? 1 (its name in BUF), 0, or -ESRCH when it is gone. */
int cg_pid_leaf(pid_t pid, char *buf, size_t len);
