/* The processes that keep a filesystem busy, found through /proc, and their stopping: what
 * PID 1 names and ends before it unmounts the data disk. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct holder {
	pid_t pid;
	char comm[20];
	char what[120]; /* "its working directory /var/lib/kbox/x", "its open file ... (fd 3)" */
};

/* Every process (but PID 1 and kernel threads) with its working directory, root, an open
 * file or a mapping on the filesystem of device DEV, or a mount of it in a mount namespace
 * other than ours: the first MAX into H. Returns how many there are. */
size_t holders_find(dev_t dev, struct holder *h, size_t max);
/* SIG to each of the N, then wait up to MS for all of them to exit (through pidfds: an
 * exited process holds nothing, reaped or not). Returns how many are still there. */
size_t holders_stop(const struct holder *h, size_t n, int sig, unsigned ms);
/* The mount points of DEV in the mountinfo file at PATH, in its order, pushed onto V. */
int holders_mounts(dev_t dev, const char *path, char ***v);
