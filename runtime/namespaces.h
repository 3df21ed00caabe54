/* A bundle's namespaces (linux.namespaces): which are new, which are joined by path, the
 * checks on those paths, and the joining. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "spec/oci.h"

/* CLONE_NEW* of an OCI namespace type. */
int ns_clone_flag(enum oci_ns type);
/* The CLONE_NEW* flags of the namespaces the config lists without a path. */
int ns_oci_new_flags(const struct spec_oci *oci);
/* Parent side, before clone: open every namespace path and check that it is a namespace
 * of its type (not a regular file, not a /proc/PID/fd/N link). FDS[type] is the fd or -1.
 * 0, or -errno with why in err. */
int ns_oci_open(const struct spec_oci *oci, int fds[OCI_NS_COUNT], char *err, int errlen);
void ns_oci_close(int fds[OCI_NS_COUNT]);
/* Child side: join the user namespace first (it must have id maps), then the rest but pid
 * (which the parent joined for its child). 0, or -errno with why in err. */
int ns_oci_join(const struct spec_oci *oci, const int fds[OCI_NS_COUNT], char *err, int errlen);
/* Is PID in a namespace of its own, other than ours, for every one the config makes new,
 * and in the joined one for every path? False (why in err) for a process that is not the
 * container (pid reuse). */
bool ns_oci_target_ok(const struct spec_oci *oci, pid_t pid, char *err, int errlen);
