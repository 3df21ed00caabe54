/* The device allowlist: a BPF_CGROUP_DEVICE program on each container's cgroup leaf. */
#pragma once

#include <stddef.h>

#include "spec/oci.h"

/* Attach the allowlist to a cgroup: processes in it can create, read and write only the
 * devices a container's /dev holds (null, zero, full, random, urandom, tty, ptmx,
 * pts) and net/tun. 0, or -errno (the program's load failure is logged with the verifier's). */
int dev_allowlist_attach(int cgroup_fd);
/* Attach RULES (dev_bpf.h: last match wins, default deny) to a cgroup v2 directory, with
 * BPF_F_ALLOW_MULTI off: the one program there, which a container cannot stack under. */
int dev_rules_attach(int cgroup_fd, const struct oci_dev_rule *rules, size_t n);
