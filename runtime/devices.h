/* The device allowlist: a BPF_CGROUP_DEVICE program on each container's cgroup leaf. */
#pragma once

/* Attach the allowlist to a cgroup: processes in it can create, read and write only the
 * devices a container's /dev holds (null, zero, full, random, urandom, tty, ptmx, pts)
 * and net/tun. 0, or -errno (the program's load failure is logged with the verifier's). */
int dev_allowlist_attach(int cgroup_fd);
