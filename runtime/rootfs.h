/* The container's root: its writable layer and the overlay over the read-only image
 * (parent side, before clone), then /proc, /sys, /dev, binds, masks and pivot_root (child
 * side, inside the new mount namespace). */
#pragma once

#include "runtime.h"

/* Child side: 0, or -errno with what failed written to err. */
int rootfs_child_setup(const struct spec *spec, const struct rt_opts *opts, char *err, int errlen);
/* Child side, before its unshare: its overlay from wherever the parent mounted it (the
 * keeper, runtime/mntns.c), for rootfs_child_setup. 0, or -errno with what failed in err. */
int rootfs_child_take(const struct spec *spec, const struct rt_opts *opts, char *err, int errlen);
/*
 * A bundle's root (spec->oci), child side, in a new mount namespace: root.path bound on
 * itself, mounts[], /dev's nodes and links, sysctls, then BEFORE_PIVOT(ARG, err, errlen)
 * unless NULL (the created stage's hooks), maskedPaths, readonlyPaths, pivot_root,
 * root.readonly and rootfsPropagation. 0, or -errno with what failed in err.
 */
int rootfs_child_setup_oci(const struct spec *spec, const struct rt_opts *opts,
			   int (*before_pivot)(void *arg, char *err, int errlen), void *arg,
			   char *err, int errlen);
/* Parent side: mount the tmpfs STATE/NAME/layer (storage_size) unless it is there from an
 * earlier run, create layer/{upper,work}, root and the link upper -> layer/upper, and mount the
 * overlay on root, its owners shifted for a user namespace. Logs "name: step: reason".
 * A bundle's root.path is used as it is: only checked to be a directory. */
int rootfs_prepare(const struct spec *spec, const struct rt_opts *opts);
/* Parent side, once the container is gone: unmount its root (the layer stays). Nothing for
 * a bundle's, nor below. */
void rootfs_release(const struct spec *spec, const struct rt_opts *opts);
/* ...and for good (kbox run --rm): unmount the layer too, its files with it. */
void rootfs_remove(const struct spec *spec, const struct rt_opts *opts);
