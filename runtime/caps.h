/* Resource limits (parent side); the user, capabilities and no_new_privs (child side). */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "spec/spec.h"

/* The capabilities a container keeps: Docker's default set, plus caps_add, less caps_drop. */
uint64_t caps_keep(const struct spec *spec);

/* Parent side, before the child goes on: its rlimits. From outside, so that a hard limit
 * can be raised even for a child in a user namespace. Logs "name: rlimit_X: reason". */
int caps_parent_rlimits(pid_t pid, const struct spec *spec);
/* After pivot_root: switch to the spec's user (looked up in the image's
 * /etc/passwd and /etc/group), leave only the kept capabilities in every set, and set
 * no_new_privs. 0, or -errno with what failed in err. */
int caps_child_apply(const struct spec *spec, char *err, int errlen);
struct spec_oci;
/* A bundle's process: the bounding set, then additionalGids, gid and uid keeping the
 * permitted set, then effective, permitted and inheritable (capset) and ambient; umask
 * (0022 unless set) and no_new_privs when asked. The sets are cut to the bounding set.
 * 0, or -errno with what failed in err. */
int caps_child_apply_oci(const struct spec_oci *oci, char *err, int errlen);
