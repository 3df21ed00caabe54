/* What rootfs.c shares with mounts_oci.c, the bundle's side of the container's root: the
 * child's steps both kinds of root take. Not for the rest of the runtime. */
#pragma once

#include <stddef.h>

#include "../lib/util.h"

/* Why a setup step failed, into err for the child's report to the parent; returns r. */
int rootfs_fail(int r, char *err, int errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "/proc/self/fd/FD": mounts go through the fd open_in_root resolved, never the path again. */
void rootfs_fd_path(char *buf, size_t len, int fd);
/* PATH (for "WHAT on 'PATH'") opened inside the root with CREATE, never the root itself (an
 * image's /proc -> /): an O_PATH fd or -errno, with why in err. */
int rootfs_resolve(int rootfd, const char *what, const char *path, enum in_root_create create,
		   char *err, int errlen);
/* The mount at PATH remounted read-only, its locked nosuid and nodev kept. */
int rootfs_remount_ro(const char *path);
/* "net.ipv4.ip_forward=1" written below ROOT's /proc/sys, resolved inside the root. */
int rootfs_set_sysctl(const char *root, const char *kv, char *err, int errlen);
/* PATH inside the root masked (a file: /dev/null over it; a directory: an empty read-only
 * tmpfs) or made read-only (bound on itself); a missing PATH is left as it is. */
int rootfs_mask(int rootfd, const char *path, char *err, int errlen);
int rootfs_readonly_path(int rootfd, const char *path, char *err, int errlen);
/* The mount at ROOT read-only, its nodev kept. */
int rootfs_root_readonly(const char *root, char *err, int errlen);
/* pivot_root to ROOT (open at ROOTFD), the old root detached, cwd /. */
int rootfs_pivot_to(int rootfd, const char *root, char *err, int errlen);
