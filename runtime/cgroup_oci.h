/* A bundle's cgroup (kbox oci): linux.cgroupsPath and linux.resources on cgroup v2, or on a
 * v1 or hybrid host on each controller runc uses (memory, cpu, cpuset, pids, blkio, devices,
 * freezer), as runc lays them out. Every function takes the cgroup by its path, as the state
 * file keeps it, since each verb is a process of its own.
 *
 * Where it goes: in every mounted hierarchy (v1: each controller's, the named ones such as
 * name=systemd, and a hybrid host's unified one, so that processes land there too), opened
 * from the hierarchy's root with RESOLVE_BENEATH and no symlink or mount crossed. What is
 * written (runtime/spec/cgroup_values.h has the conversions and the refusals):
 * - v2: memory.max, memory.low, memory.swap.max (swap less the limit), cpu.weight (from
 *   shares), cpu.max, cpuset.cpus/.mems, pids.max (0 or -1: max), io.bfq.weight (blkio's
 *   own scale) or io.weight (converted), unified as given (never cgroup.procs, .threads,
 *   .subtree_control, .type, .kill, .freeze), the device rules as one BPF_CGROUP_DEVICE
 *   program without BPF_F_ALLOW_MULTI. swappiness and disableOOMKiller have no v2 file and
 *   are ignored, as runc does.
 * - v1: memory.limit_in_bytes, memory.memsw.limit_in_bytes (a swap other than -1 or the
 *   limit refused where the kernel does not account swap), memory.soft_limit_in_bytes,
 *   memory.swappiness, memory.oom_control, cpu.shares, cpu.cfs_period_us/_quota_us, cpuset
 *   (the parent's cpus and mems copied into every new directory first), pids.max,
 *   blkio.weight or blkio.bfq.weight, devices.deny "a" then the rules as devices.allow and
 *   devices.deny lines (the kernel's exception semantics); unified refused. A v1 host
 *   without a devices hierarchy is refused: CAP_MKNOD would reach every disk.
 * - hugepageLimits (cgroup_oci_huge.c): hugetlb.SIZE.max (v2; a hybrid host's unified
 *   hierarchy when no v1 one took hugetlb) or .limit_in_bytes (v1), .rsvd.* where present;
 *   a size the kernel lacks, or no hugetlb controller, refused.
 * - The device rules (dev_bpf.h): linux.resources.devices in order, then kbox's allowlist
 *   (null, zero, full, random, urandom, tty, ptmx, pts, net/tun), then each linux.devices
 *   node rwm; the last matching rule decides, none is a deny.
 * A memory limit below 1 MiB is refused (the first process would be OOM-killed at once).
 *
 * A leaf that exists already is never taken over while a process is in it or below it (v2:
 * cgroup.events populated; v1: its cgroup.procs) or it has a child cgroup: that subtree's
 * limits, signals and rmdirs would reach someone else's processes and cgroups. Refused in
 * every hierarchy before anything is written in any. An empty leaf without children (a killed
 * create's leftover, as runc takes it) becomes the container's: a failed create removes it as
 * delete would, with the limits written in it, so none stays on a cgroup kbox did not make.
 * podman and containerd (cgroupfs) name a leaf of the container's own below a parent of theirs.
 * What is below the leaf after create (cgroups the container or root made) is the
 * container's: ps, kill --all and delete take the subtree, as runc's do.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec/spec.h"

/* The cgroup's path: linux.cgroupsPath in its normal form, absolute ("/a/b": below each
 * hierarchy's root) or relative ("a/b": below the calling process's own cgroup in each
 * hierarchy, resolved at every call, so each verb must run where create did), else
 * /kbox-oci/ID: beside PID 1's /kbox, so an id never meets an appliance container's leaf.
 * "a:b:c" (systemd's form: kbox has no systemd driver), '..', control bytes and the root
 * itself are refused with the reason in err. Pure. 0 or -EINVAL. */
int cgo_path(const struct spec *spec, const char *id, char *buf, size_t len, char *err, int errlen);

/* Create the cgroup at PATH (cgo_path) and write linux.resources into it, the device rules
 * (resources.devices: a BPF_CGROUP_DEVICE program on v2, devices.allow/deny on v1) with it.
 * On v2 *ret_fd is an O_DIRECTORY fd for CLONE_INTO_CGROUP; on v1 -1, and cgo_join puts the
 * process in. Logs "ID: linux.resources.KEY: reason" (the kernel's refusal as "cannot
 * write 'VAL' to FILE: reason"); on failure every directory it made is removed again, the
 * parents it made too. */
int cgo_create(const struct spec *spec, const char *id, const char *path, int *ret_fd);
/* update: linux.resources (all of them, the device rules aside: those stay as create set
 * them) written again into the cgroup at PATH, which must exist; memory's hierarchy first.
 * Logged as cgo_create logs; the first refusal stops it. */
struct spec_oci;
int cgo_update(const struct spec_oci *oci, const char *id, const char *path);
/* Put PID into PATH in every hierarchy (v2 too: for exec's processes). */
int cgo_join(const char *path, pid_t pid);
/* The pids in the cgroup and below it, for ps and kill --all. *ret malloc'd. */
int cgo_pids(const char *path, pid_t **ret, size_t *ret_n);
/* Freeze or thaw (pause, resume), and wait until the kernel says it is done: v2's
 * cgroup.events "frozen 1" on POLLPRI; v1's freezer.state read until FROZEN (v1 has no
 * event). At most 5 s: -ETIMEDOUT. */
int cgo_freeze(const char *path, bool frozen);
/* Paused, as the freezer says; false on error. */
bool cgo_frozen(const char *path);
/* Signal everything in it: SIGKILL through cgroup.kill on v2; else each pid, on v1 with the
 * cgroup frozen meanwhile (nothing forks past the list) and thawed after, and thawed after
 * a SIGKILL even when it was paused already (a frozen v1 task cannot die). */
int cgo_kill(const char *path, int sig);
/* Remove the leaf (and cgroups made below it) in every hierarchy; its parents stay. EBUSY is
 * waited out (v2: cgroup.events populated 0; v1: tasks empty) for at most 5 s, then
 * -EBUSY. Gone already: 0. */
int cgo_remove(const char *path);
/* Is this host cgroup v2 (unified at /sys/fs/cgroup)? For features and the tests. */
bool cgo_unified(void);
