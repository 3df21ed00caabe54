/* Child side: the seccomp filter, loaded last before execve. */
#pragma once

#include <stdint.h>

#include "seccomp_profile.h"
#include "spec.h"

/*
 * Load the container's filter: none for seccomp=unconfined, PROFILE for a file, else the
 * default: what Docker's default profile refuses fails with EPERM here too, except where
 * the container keeps the capability that the call needs (as in Docker's profile).
 */
int seccomp_child_load(const struct spec *spec, uint64_t caps,
		       const struct seccomp_profile *profile, char *err, int errlen);
