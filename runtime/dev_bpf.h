/* Device rules (linux.resources.devices, and kbox's fixed allowlist) into a
 * BPF_CGROUP_DEVICE program, and the list a bundle's cgroup enforces. Pure: no system calls. */
#pragma once

#include <linux/bpf.h>
#include <stddef.h>

#include "spec/oci.h"

/* kbox's allowlist, as rules: the nodes every container's /dev holds (null, zero, full,
 * random, urandom, tty, ptmx, pts/N) and net/tun, character, rwm. Not the console:
 * the appliance's own. What PID 1's
 * containers get, and what a bundle's get after its own rules (as runc appends its own). */
extern const struct oci_dev_rule devbpf_default_rules[];
extern const size_t devbpf_ndefault;

/* The most instructions devbpf_build writes for N rules. */
#define DEVBPF_INSNS(n) (8 + 8 * (n))

/*
 * RULES (N of them) as a program: the last rule that matches a request decides (as runc's
 * emulator reads the list), and nothing matching is a deny. An allow rule matches when it
 * grants every access asked for; a deny rule when it refuses any of them (so deny "w" stops
 * an O_RDWR open). A rule with no access matches nothing. PROG holds DEVBPF_INSNS(n).
 * Returns the instructions written.
 */
size_t devbpf_build(const struct oci_dev_rule *rules, size_t n, struct bpf_insn *prog);

/*
 * The rules a bundle's cgroup holds: linux.resources.devices in order, then allow m of
 * c *:* and b *:*, then kbox's allowlist (runc's defaults). None for linux.devices: a node
 * made there is opened only if the rules allow it. RULES[i] is
 * checked (type 'a', 'b' or 'c'; major and minor -1 or 0..2^32-1; access r, w, m): -EINVAL
 * with "linux.resources.devices[i]...: reason" in ERR. *RET malloc'd; 0 or -errno.
 */
int devbpf_oci_rules(const struct spec_oci *oci, struct oci_dev_rule **ret, size_t *ret_n,
		     char *err, int errlen);
