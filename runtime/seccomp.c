/* The seccomp filter: built by the parent (libseccomp), installed by the child last before
 * execve. */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/syscalls.h"
#include "../lib/util.h"

#define CAP(c) (1ULL << (c))

/* Denied unless the container keeps one of the capabilities in `unless`. */
static const struct {
	const char *name;
	uint64_t unless;
} denied[] = {
	{"acct", CAP(CAP_SYS_PACCT)},
	{"add_key", 0},
	{"bpf", CAP(CAP_SYS_ADMIN) | CAP(CAP_BPF)},
	{"clock_adjtime", CAP(CAP_SYS_TIME)},
	{"clock_settime", CAP(CAP_SYS_TIME)},
	{"create_module", CAP(CAP_SYS_MODULE)},
	{"delete_module", CAP(CAP_SYS_MODULE)},
	{"finit_module", CAP(CAP_SYS_MODULE)},
	{"fsconfig", CAP(CAP_SYS_ADMIN)},
	{"fsmount", CAP(CAP_SYS_ADMIN)},
	{"fsopen", CAP(CAP_SYS_ADMIN)},
	{"fspick", CAP(CAP_SYS_ADMIN)},
	{"get_kernel_syms", CAP(CAP_SYS_MODULE)},
	{"get_mempolicy", CAP(CAP_SYS_NICE)},
	{"init_module", CAP(CAP_SYS_MODULE)},
	{"ioperm", CAP(CAP_SYS_RAWIO)},
	{"iopl", CAP(CAP_SYS_RAWIO)},
	{"kcmp", CAP(CAP_SYS_PTRACE)},
	{"kexec_file_load", CAP(CAP_SYS_BOOT)},
	{"kexec_load", CAP(CAP_SYS_BOOT)},
	{"keyctl", 0},
	{"lookup_dcookie", CAP(CAP_SYS_ADMIN)},
	{"mbind", CAP(CAP_SYS_NICE)},
	{"mount", CAP(CAP_SYS_ADMIN)},
	{"mount_setattr", CAP(CAP_SYS_ADMIN)},
	{"move_mount", CAP(CAP_SYS_ADMIN)},
	{"move_pages", CAP(CAP_SYS_NICE)},
	{"name_to_handle_at", CAP(CAP_SYS_ADMIN)},
	{"nfsservctl", CAP(CAP_SYS_ADMIN)},
	{"open_by_handle_at", CAP(CAP_DAC_READ_SEARCH)},
	{"open_tree", CAP(CAP_SYS_ADMIN)},
	{"perf_event_open", CAP(CAP_SYS_ADMIN) | CAP(CAP_PERFMON)},
	{"pivot_root", CAP(CAP_SYS_ADMIN)},
	{"process_vm_readv", CAP(CAP_SYS_PTRACE)},
	{"process_vm_writev", CAP(CAP_SYS_PTRACE)},
	{"query_module", CAP(CAP_SYS_MODULE)},
	{"quotactl", CAP(CAP_SYS_ADMIN)},
	{"quotactl_fd", CAP(CAP_SYS_ADMIN)},
	{"reboot", CAP(CAP_SYS_BOOT)},
	{"request_key", 0},
	{"set_mempolicy", CAP(CAP_SYS_NICE)},
	{"setns", CAP(CAP_SYS_ADMIN)},
	{"settimeofday", CAP(CAP_SYS_TIME)},
	{"swapoff", CAP(CAP_SYS_ADMIN)},
	{"swapon", CAP(CAP_SYS_ADMIN)},
	{"syslog", CAP(CAP_SYSLOG)},
	{"umount2", CAP(CAP_SYS_ADMIN)},
	{"unshare", CAP(CAP_SYS_ADMIN)},
	{"uselib", 0},
	{"userfaultfd", 0},
	{"ustat", 0},
	{"_sysctl", 0},
	{"sysfs", 0},
};

static const unsigned long ns_flags[] = {
	CLONE_NEWNS,  CLONE_NEWUTS, CLONE_NEWIPC,    CLONE_NEWUSER,
	CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME,
};

static int add_rule(scmp_filter_ctx ctx, uint32_t action, const char *name, char *err, int errlen)
{
	int nr = seccomp_syscall_resolve_name(name), r;

	if (nr == __NR_SCMP_ERROR) {
		snprintf(err, errlen, "seccomp: '%s' is not a system call", name);
		return -EINVAL;
	}
	if (nr < 0) /* a call this architecture does not have */
		return 0;
	r = seccomp_rule_add(ctx, action, nr, 0);
	if (r < 0 && r != -EEXIST)
		snprintf(err, errlen, "seccomp: rule for '%s': %s", name, strerror(-r));
	return r == -EEXIST ? 0 : r;
}

static int build_default(scmp_filter_ctx ctx, uint64_t caps, char *err, int errlen)
{
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(denied); i++) {
		if (caps & denied[i].unless)
			continue;
		r = add_rule(ctx, SCMP_ACT_ERRNO(EPERM), denied[i].name, err, errlen);
		if (r < 0)
			return r;
	}
	if (caps & CAP(CAP_SYS_ADMIN))
		return 0;
	/* clone with any namespace flag; clone3 hides its flags from seccomp, so it gets
	 * ENOSYS and libcs fall back to clone, as under Docker. */
	for (size_t i = 0; i < ARRAY_SIZE(ns_flags); i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
		if (r < 0) {
			snprintf(err, errlen, "seccomp: clone rule: %s", strerror(-r));
			return r;
		}
	}
	return add_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", err, errlen);
}

static int build_profile(scmp_filter_ctx ctx, const struct seccomp_profile *p, char *err,
			 int errlen)
{
	for (size_t i = 0; i < p->nrules; i++) {
		uint32_t action = p->rules[i].allow ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EPERM);
		int r;

		/* Rules that say what the default says already are no-ops. */
		if (p->rules[i].allow != p->default_deny)
			continue;
		r = add_rule(ctx, action, p->rules[i].name, err, errlen);
		if (r < 0)
			return r;
	}
	return 0;
}

/* libseccomp writes the program to an fd: a pipe holds the largest one (4096 insns). */
static int export_bpf(scmp_filter_ctx ctx, struct seccomp_bpf *ret, char *err, int errlen)
{
	int p[2], r;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "seccomp: pipe: %s", strerror(errno));
		return -errno;
	}
	r = seccomp_export_bpf(ctx, p[1]);
	close(p[1]);
	n = r < 0 ? 0 : read(p[0], ret->insns, sizeof(ret->insns));
	close(p[0]);
	if (r < 0 || n <= 0 || n % sizeof(ret->insns[0])) {
		snprintf(err, errlen, "seccomp: cannot build the filter: %s",
			 strerror(r < 0 ? -r : EIO));
		return r < 0 ? r : -EIO;
	}
	ret->len = n / sizeof(ret->insns[0]);
	return 0;
}

int seccomp_build(const struct spec *spec, uint64_t caps, const struct seccomp_profile *profile,
		  struct seccomp_bpf *ret, char *err, int errlen)
{
	scmp_filter_ctx ctx;
	int r;

	ret->len = 0;
	if (strcmp(spec->seccomp, "unconfined") == 0)
		return 0;
	ctx = seccomp_init(profile && profile->default_deny ? SCMP_ACT_ERRNO(EPERM)
							    : SCMP_ACT_ALLOW);
	if (!ctx) {
		snprintf(err, errlen, "seccomp: cannot create a filter");
		return -ENOMEM;
	}
	r = profile ? build_profile(ctx, profile, err, errlen)
		    : build_default(ctx, caps, err, errlen);
	if (r == 0)
		r = export_bpf(ctx, ret, err, errlen);
	seccomp_release(ctx);
	return r;
}

int seccomp_install(const struct seccomp_bpf *bpf, char *err, int errlen)
{
	struct sock_fprog prog = {.len = bpf->len, .filter = (struct sock_filter *)bpf->insns};

	int r;

	if (!bpf->len)
		return 0;
	/* no_new_privs is set already, with the capabilities. Before seccomp(2) (and under
	 * valgrind) prctl does the same. */
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	if (r < 0 && errno == ENOSYS)
		r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
	if (r < 0) {
		snprintf(err, errlen, "seccomp: load the filter: %s", strerror(errno));
		return -errno;
	}
	return 0;
}
