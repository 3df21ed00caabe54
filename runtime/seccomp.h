/* The seccomp filter: built on the parent side (seccomp_build), installed by the child last
 * before execve (seccomp_install). */
#pragma once

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

#include "spec/seccomp_profile.h"
#include "spec/spec.h"

/* A classic BPF program as seccomp(2) takes it; len 0 for none (seccomp=unconfined). */
struct seccomp_bpf {
	unsigned short len;
	struct sock_filter insns[BPF_MAXINSNS];
};

/*
 * Build the container's filter: none for seccomp=unconfined, PROFILE for a file, else the
 * default: the calls Docker's default profile allows on x86_64, those it allows with a
 * capability where the container keeps it; EPERM for the rest, ENOSYS past the calls kbox
 * knows. A 32-bit or x32 call kills the process.
 */
int seccomp_build(const struct spec *spec, uint64_t caps, const struct seccomp_profile *profile,
		  struct seccomp_bpf *ret, char *err, int errlen);
/* Does the default filter keep the container from signalling PID 1 (pid=host without
 * CAP_SYS_BOOT)? Then a profile file or unconfined leaves init/senders.c to judge. */
bool seccomp_guards_init(const struct spec *spec, uint64_t caps);
/* In the child, last before execve (no_new_privs already set). */
int seccomp_install(const struct seccomp_bpf *bpf, char *err, int errlen);
/* ...with seccomp(2)'s FLAGS (SECCOMP_FILTER_FLAG_*). */
int seccomp_install_flags(const struct seccomp_bpf *bpf, unsigned flags, char *err, int errlen);

struct oci_seccomp;
/* A bundle's linux.seccomp, by libseccomp: its default action, architectures and rules with
 * their argument conditions; names this libseccomp does not know are skipped, NOTIFY and
 * flags but log and spec_allow are refused. 0, or -errno with why in err. */
int seccomp_oci_build(const struct oci_seccomp *sc, struct seccomp_bpf *ret, char *err, int errlen);
/* Its flags as seccomp(2) takes them at install. */
unsigned seccomp_oci_flags(const struct oci_seccomp *sc);
