/* Boot steps of PID 1: from the initramfs to a system containers can be started on. */
#pragma once

/* If / is still the initramfs rootfs (where pivot_root fails), bind it over itself, switch
 * root to the bind and re-exec; returns only when / is already a proper mount. */
int boot_switch_root(char **argv);
/* devtmpfs, console, proc, sys, /run, /tmp, cgroup2, read-only /images. */
int boot_mounts(void);
/* Hostname and loopback. */
int boot_identity(const char *hostname);
