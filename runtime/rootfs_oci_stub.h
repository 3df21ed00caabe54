/* STUB until a/ocirootfs lands (then deleted): the bundle's root, child side. */
#pragma once

#include "runtime.h"

/* Bind root.path, mount what the config says, call BEFORE_PIVOT(ARG, err, errlen) (the
 * created stage and createContainer hooks), pivot_root. 0, or -errno with why in err. */
int rootfs_child_setup_oci(const struct spec *spec, const struct rt_opts *opts,
			   int (*before_pivot)(void *arg, char *err, int errlen), void *arg,
			   char *err, int errlen);
