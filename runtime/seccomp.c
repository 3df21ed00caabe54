/* The seccomp filter: an allowlist after Docker's default profile (or a profile's rules),
 * built by the parent and installed by the child last before execve. */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "spec/oci.h"

#define CAP(c) (1ULL << (c))

/*
 * What every container may call: the names Docker's default profile (moby's
 * profiles/seccomp/default.json, 2025) allows on x86_64 unconditionally, with arch_prctl
 * and modify_ldt, separated by blanks. Its names for 32-bit and other architectures are
 * left out. socket, personality and clone are allowed by argument, below.
 */
static const char allowed[] =
	"accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod "
	"chown clock_adjtime clock_getres clock_gettime clock_nanosleep close close_range "
	"connect copy_file_range creat dup dup2 dup3 epoll_create epoll_create1 epoll_ctl "
	"epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 "
	"execve execveat exit exit_group faccessat faccessat2 fadvise64 fallocate "
	"fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchownat fcntl fdatasync "
	"fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstatfs fsync ftruncate "
	"futex futex_requeue futex_wait futex_waitv futex_wake futimesat getcpu getcwd "
	"getdents getdents64 getegid geteuid getgid getgroups getitimer getpeername getpgid "
	"getpgrp getpid getppid getpriority getrandom getresgid getresuid getrlimit "
	"get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid "
	"gettimeofday getuid getxattr getxattrat inotify_add_watch inotify_init inotify_init1 "
	"inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents ioprio_get "
	"ioprio_set io_setup io_submit kill landlock_add_rule landlock_create_ruleset "
	"landlock_restrict_self lchown lgetxattr link linkat listen listmount listxattr "
	"listxattrat llistxattr lremovexattr lseek lsetxattr lstat madvise map_shadow_stack "
	"membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat mlock mlock2 "
	"mlockall mmap mprotect mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedsend "
	"mq_unlink mremap mseal msgctl msgget msgrcv msgsnd msync munlock munlockall munmap "
	"name_to_handle_at nanosleep newfstatat open openat openat2 pause pidfd_open "
	"pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll prctl "
	"pread64 preadv preadv2 prlimit64 process_mrelease pselect6 pwrite64 pwritev pwritev2 "
	"read readahead readlink readlinkat readv recvfrom recvmmsg recvmsg remap_file_pages "
	"removexattr removexattrat rename renameat renameat2 restart_syscall rmdir rseq "
	"rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend "
	"rt_sigtimedwait rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam "
	"sched_get_priority_max sched_get_priority_min sched_getscheduler "
	"sched_rr_get_interval sched_setaffinity sched_setattr sched_setparam "
	"sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop sendfile "
	"sendmmsg sendmsg sendto setfsgid setfsuid setgid setgroups setitimer setpgid "
	"setpriority setregid setresgid setresuid setreuid setrlimit set_robust_list setsid "
	"setsockopt set_thread_area set_tid_address setuid setxattr setxattrat shmat shmctl "
	"shmdt shmget shutdown sigaltstack signalfd signalfd4 socketpair splice stat statfs "
	"statmount statx symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill time "
	"timer_create timer_delete timer_getoverrun timer_gettime timer_settime timerfd_create "
	"timerfd_gettime timerfd_settime times tkill truncate umask uname unlink unlinkat "
	"uretprobe utime utimensat utimes vfork vmsplice wait4 waitid write writev arch_prctl "
	"modify_ldt";

/* Allowed from kernel 4.8 on, where seccomp sees the call a tracer has changed; before,
 * with SYS_PTRACE only (as in Docker's profile). */
static const char *const ptrace_calls[] = {"ptrace", "process_vm_readv", "process_vm_writev"};

/* Allowed when the container keeps one of these capabilities, as in Docker's profile. */
static const struct {
	const char *name;
	uint64_t caps;
} allowed_with[] = {
	{"open_by_handle_at", CAP(CAP_DAC_READ_SEARCH)},
	{"bpf", CAP(CAP_SYS_ADMIN) | CAP(CAP_BPF)},
	{"perf_event_open", CAP(CAP_SYS_ADMIN) | CAP(CAP_PERFMON)},
	{"syslog", CAP(CAP_SYS_ADMIN) | CAP(CAP_SYSLOG)},
	{"clone", CAP(CAP_SYS_ADMIN)}, /* any flags; without SYS_ADMIN, no namespace flag */
	{"clone3", CAP(CAP_SYS_ADMIN)},
	{"fanotify_init", CAP(CAP_SYS_ADMIN)},
	{"fsconfig", CAP(CAP_SYS_ADMIN)},
	{"fsmount", CAP(CAP_SYS_ADMIN)},
	{"fsopen", CAP(CAP_SYS_ADMIN)},
	{"fspick", CAP(CAP_SYS_ADMIN)},
	{"lookup_dcookie", CAP(CAP_SYS_ADMIN)},
	{"lsm_get_self_attr", CAP(CAP_SYS_ADMIN)},
	{"lsm_list_modules", CAP(CAP_SYS_ADMIN)},
	{"lsm_set_self_attr", CAP(CAP_SYS_ADMIN)},
	{"mount", CAP(CAP_SYS_ADMIN)},
	{"mount_setattr", CAP(CAP_SYS_ADMIN)},
	{"move_mount", CAP(CAP_SYS_ADMIN)},
	{"open_tree", CAP(CAP_SYS_ADMIN)},
	{"quotactl", CAP(CAP_SYS_ADMIN)},
	{"quotactl_fd", CAP(CAP_SYS_ADMIN)},
	{"setdomainname", CAP(CAP_SYS_ADMIN)},
	{"sethostname", CAP(CAP_SYS_ADMIN)},
	{"setns", CAP(CAP_SYS_ADMIN)},
	{"umount2", CAP(CAP_SYS_ADMIN)},
	{"unshare", CAP(CAP_SYS_ADMIN)},
	{"reboot", CAP(CAP_SYS_BOOT)},
	{"chroot", CAP(CAP_SYS_CHROOT)},
	{"delete_module", CAP(CAP_SYS_MODULE)},
	{"init_module", CAP(CAP_SYS_MODULE)},
	{"finit_module", CAP(CAP_SYS_MODULE)},
	{"acct", CAP(CAP_SYS_PACCT)},
	{"kcmp", CAP(CAP_SYS_PTRACE)},
	{"ptrace", CAP(CAP_SYS_PTRACE)},
	{"process_vm_readv", CAP(CAP_SYS_PTRACE)},
	{"process_vm_writev", CAP(CAP_SYS_PTRACE)},
	{"pidfd_getfd", CAP(CAP_SYS_PTRACE)},
	{"process_madvise", CAP(CAP_SYS_PTRACE)},
	{"iopl", CAP(CAP_SYS_RAWIO)},
	{"ioperm", CAP(CAP_SYS_RAWIO)},
	{"settimeofday", CAP(CAP_SYS_TIME)},
	{"clock_settime", CAP(CAP_SYS_TIME)},
	{"vhangup", CAP(CAP_SYS_TTY_CONFIG)},
	{"get_mempolicy", CAP(CAP_SYS_NICE)},
	{"mbind", CAP(CAP_SYS_NICE)},
	{"set_mempolicy", CAP(CAP_SYS_NICE)},
	{"set_mempolicy_home_node", CAP(CAP_SYS_NICE)},
};

/* Calls newer than the libseccomp kbox is built with: their x86_64 numbers. */
static const struct {
	const char *name;
	int nr;
} newer[] = {
	{"uretprobe", 335},
	{"statmount", 457},
	{"listmount", 458},
	{"lsm_get_self_attr", 459},
	{"lsm_set_self_attr", 460},
	{"lsm_list_modules", 461},
	{"mseal", 462},
	{"setxattrat", 463},
	{"getxattrat", 464},
	{"listxattrat", 465},
	{"removexattrat", 466},
};

/* The last call the lists above decide about. Numbers past it (calls of later kernels) get
 * ENOSYS, as runc does, so that a libc falls back to an older call it knows; every other
 * call not allowed fails with EPERM, Docker's defaultErrnoRet. */
#define LAST_KNOWN_NR 466

static int resolve(const char *name, char *err, int errlen)
{
	int nr = seccomp_syscall_resolve_name(name);

	for (size_t i = 0; nr == __NR_SCMP_ERROR && i < ARRAY_SIZE(newer); i++)
		if (strcmp(newer[i].name, name) == 0)
			nr = newer[i].nr;
	if (nr == __NR_SCMP_ERROR)
		snprintf(err, errlen, "seccomp: '%s' is not a system call", name);
	return nr;
}

/*
 * The default filter is generated here, not by libseccomp (which took 1.7 ms to build it):
 * one action per call number, runs of equal actions, a binary search over the runs.
 */
enum act { ACT_EPERM, ACT_ALLOW, ACT_ENOSYS, ACT_SOCKET, ACT_PERSONALITY, ACT_CLONE, ACT_NOT_INIT };

#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define RET_EPERM RET(SECCOMP_RET_ERRNO | EPERM)
#define RET_ALLOW RET(SECCOMP_RET_ALLOW)
#define LD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define JUMP(op, k, t, f) BPF_JUMP(BPF_JMP | (op) | BPF_K, (k), (t), (f))
/* Argument 0's halves (x86_64 is little-endian). The kernel reads socket's family and
 * personality's persona as 32-bit ints, and clone's flags through lower_32_bits(). */
#define ARG0_LO offsetof(struct seccomp_data, args[0])
#define ARG0_HI (ARG0_LO + 4)

/* Every family up to AF_MCTP (45) but AF_ALG (38) and AF_VSOCK (40), as Docker's profile;
 * bits above the int would carry AF_VSOCK past a 64-bit "greater than 40", so none. */
static const struct sock_filter leaf_socket[] = {
	LD(ARG0_HI),
	JUMP(BPF_JEQ, 0, 0, 5),
	LD(ARG0_LO),
	JUMP(BPF_JEQ, 38, 3, 0),
	JUMP(BPF_JEQ, 40, 2, 0),
	JUMP(BPF_JGT, 45, 1, 0),
	RET_ALLOW,
	RET_EPERM,
};
/* Docker's personas: the query (0xffffffff), and PER_LINUX (0), UNAME26 (0x20000),
 * PER_LINUX32 (0x8) and both, which are the values with no bit but those two. */
#define PERSONAS (0x20000 | 0x8)
static const struct sock_filter leaf_personality[] = {
	LD(ARG0_LO),
	JUMP(BPF_JEQ, 0xffffffff, 2, 0),
	JUMP(BPF_JSET, ~PERSONAS & 0xffffffffu, 0, 1),
	RET_EPERM,
	RET_ALLOW,
};
/* No CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID or NEWNET (Docker's mask; a
 * time namespace cannot be made by clone, whose low byte is the exit signal). */
static const struct sock_filter leaf_clone[] = {
	LD(ARG0_LO),
	JUMP(BPF_JSET, 0x7e020000, 1, 0),
	RET_ALLOW,
	RET_EPERM,
};
/* kill, tkill, tgkill and the sigqueueinfo calls, to anyone but PID 1 (pid 1 in the
 * kernel's int: the high half is not looked at). */
static const struct sock_filter leaf_not_init[] = {
	LD(ARG0_LO),
	JUMP(BPF_JEQ, 1, 0, 1),
	RET_EPERM,
	RET_ALLOW,
};
static const struct sock_filter leaf_eperm[] = {RET_EPERM}, leaf_allow[] = {RET_ALLOW},
				leaf_enosys[] = {RET(SECCOMP_RET_ERRNO | ENOSYS)};
static const struct {
	const struct sock_filter *insns;
	unsigned short len;
} leaves[] = {
	[ACT_EPERM] = {leaf_eperm, ARRAY_SIZE(leaf_eperm)},
	[ACT_ALLOW] = {leaf_allow, ARRAY_SIZE(leaf_allow)},
	[ACT_ENOSYS] = {leaf_enosys, ARRAY_SIZE(leaf_enosys)},
	[ACT_SOCKET] = {leaf_socket, ARRAY_SIZE(leaf_socket)},
	[ACT_PERSONALITY] = {leaf_personality, ARRAY_SIZE(leaf_personality)},
	[ACT_CLONE] = {leaf_clone, ARRAY_SIZE(leaf_clone)},
	[ACT_NOT_INIT] = {leaf_not_init, ARRAY_SIZE(leaf_not_init)},
};

/*
 * First: x86_64 calls only. A 32-bit (int 0x80) or x32 one kills the process, whatever it
 * is; -1 (a tracer's skipped call) gets EPERM, as under libseccomp; a number past
 * LAST_KNOWN_NR ENOSYS. Then the search, with the number in A.
 */
static const struct sock_filter head[] = {
	LD(offsetof(struct seccomp_data, arch)),
	JUMP(BPF_JEQ, AUDIT_ARCH_X86_64, 0, 5),
	LD(offsetof(struct seccomp_data, nr)),
	JUMP(BPF_JGT, LAST_KNOWN_NR, 0, 5),
	JUMP(BPF_JEQ, 0xffffffff, 3, 0),
	JUMP(BPF_JGE, 0x40000000, 1, 0),
	RET(SECCOMP_RET_ERRNO | ENOSYS),
	RET(SECCOMP_RET_KILL_PROCESS),
	RET_EPERM,
};

struct run {
	unsigned short last; /* the run's last call number */
	unsigned char act;
};

static size_t tree_size(const struct run *runs, size_t l, size_t r)
{
	size_t m = l + (r - l) / 2, left;

	if (l == r)
		return leaves[runs[l].act].len;
	left = tree_size(runs, l, m);
	return 1 + (left > 255) + left + tree_size(runs, m + 1, r);
}

static void emit(struct seccomp_bpf *bpf, size_t *n, const struct sock_filter *f, size_t len)
{
	for (size_t i = 0; i < len; i++, (*n)++)
		if (*n < ARRAY_SIZE(bpf->insns))
			bpf->insns[*n] = f[i];
}

/* Runs l..r: the number is at most runs[m].last, or it is in the right half. */
static void emit_tree(struct seccomp_bpf *bpf, size_t *n, const struct run *runs, size_t l,
		      size_t r)
{
	size_t m = l + (r - l) / 2, left;

	if (l == r) {
		emit(bpf, n, leaves[runs[l].act].insns, leaves[runs[l].act].len);
		return;
	}
	left = tree_size(runs, l, m);
	if (left > 255) { /* a conditional jump reaches 255 insns; ja the rest */
		struct sock_filter j[] = {JUMP(BPF_JGT, runs[m].last, 0, 1),
					  BPF_STMT(BPF_JMP | BPF_JA, left)};

		emit(bpf, n, j, 2);
	} else {
		struct sock_filter j = JUMP(BPF_JGT, runs[m].last, left, 0);

		emit(bpf, n, &j, 1);
	}
	emit_tree(bpf, n, runs, l, m);
	emit_tree(bpf, n, runs, m + 1, r);
}

static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int a, b;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return false;
	return a > major || (a == major && b >= minor);
}

static int set_act(unsigned char *acts, const char *name, enum act act, char *err, int errlen)
{
	int nr = resolve(name, err, errlen);

	if (nr == __NR_SCMP_ERROR)
		return -EINVAL;
	if (nr > LAST_KNOWN_NR) { /* the tables grew past it */
		snprintf(err, errlen, "seccomp: '%s' (%d) is past call %d", name, nr,
			 LAST_KNOWN_NR);
		return -EINVAL;
	}
	if (nr >= 0) /* else a call x86_64 does not have */
		acts[nr] = act;
	return 0;
}

/* Each of NAMES (separated by blanks) gets ACT. */
static int set_acts(unsigned char *acts, const char *names, enum act act, char *err, int errlen)
{
	char name[32];
	int r = 0;

	for (const char *p = names; *p && r == 0; p += strspn(p, " ")) {
		size_t n = strcspn(p, " ");

		if (n >= sizeof(name))
			n = sizeof(name) - 1; /* no such call: resolve() says so */
		memcpy(name, p, n);
		name[n] = '\0';
		r = set_act(acts, name, act, err, errlen);
		p += n;
	}
	return r;
}

/*
 * A pid=host container without CAP_SYS_BOOT shares PID 1's pid namespace, so its root could
 * signal PID 1 like any of the appliance's root processes, and PID 1 cannot always tell who
 * sent a signal once the sender is gone (init/senders.c). The kernel refuses it instead:
 * no kill family call reaches pid 1, and pidfd_send_signal (a pidfd of PID 1 could come
 * from open("/proc/1")) is ENOSYS, so that callers fall back to kill.
 */
static const char signal_calls[] = "kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo";

static int guard_init(unsigned char *acts, char *err, int errlen)
{
	int r = set_acts(acts, signal_calls, ACT_NOT_INIT, err, errlen);

	return r < 0 ? r : set_act(acts, "pidfd_send_signal", ACT_ENOSYS, err, errlen);
}

bool seccomp_guards_init(const struct spec *spec, uint64_t caps)
{
	return spec->pid_host && !(caps & CAP(CAP_SYS_BOOT));
}

static int build_default(uint64_t caps, bool guard, struct seccomp_bpf *ret, char *err, int errlen)
{
	unsigned char acts[LAST_KNOWN_NR + 1] = {ACT_EPERM};
	struct run runs[LAST_KNOWN_NR + 1];
	size_t nruns = 0, n = 0;
	bool ptrace_ok = kernel_at_least(4, 8);
	int r = set_acts(acts, allowed, ACT_ALLOW, err, errlen);

	for (size_t i = 0; r == 0 && ptrace_ok && i < ARRAY_SIZE(ptrace_calls); i++)
		r = set_act(acts, ptrace_calls[i], ACT_ALLOW, err, errlen);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(allowed_with); i++)
		if (caps & allowed_with[i].caps)
			r = set_act(acts, allowed_with[i].name, ACT_ALLOW, err, errlen);
	if (r == 0)
		r = set_act(acts, "socket", ACT_SOCKET, err, errlen);
	if (r == 0)
		r = set_act(acts, "personality", ACT_PERSONALITY, err, errlen);
	/* clone3 hides its flags from seccomp (they are in memory): ENOSYS, and libcs fall
	 * back to clone, whose flags are its argument 0 on x86_64. */
	if (r == 0 && !(caps & CAP(CAP_SYS_ADMIN)))
		r = set_act(acts, "clone", ACT_CLONE, err, errlen);
	if (r == 0 && !(caps & CAP(CAP_SYS_ADMIN)))
		r = set_act(acts, "clone3", ACT_ENOSYS, err, errlen);
	if (r == 0 && guard)
		r = guard_init(acts, err, errlen);
	if (r < 0)
		return r;
	for (int nr = 0; nr <= LAST_KNOWN_NR; nr++) {
		if (nruns && runs[nruns - 1].act == acts[nr] && acts[nr] <= ACT_ENOSYS)
			runs[nruns - 1].last = nr;
		else
			runs[nruns++] = (struct run){nr, acts[nr]};
	}
	emit(ret, &n, head, ARRAY_SIZE(head));
	emit_tree(ret, &n, runs, 0, nruns - 1);
	if (n > ARRAY_SIZE(ret->insns)) {
		snprintf(err, errlen, "seccomp: the filter needs %zu instructions", n);
		return -E2BIG;
	}
	ret->len = n;
	return 0;
}

static int build_profile(scmp_filter_ctx ctx, const struct seccomp_profile *p, char *err,
			 int errlen)
{
	for (size_t i = 0; i < p->nrules; i++) {
		uint32_t action = p->rules[i].allow ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EPERM);
		int nr, r;

		/* Rules that say what the default says already are no-ops. */
		if (p->rules[i].allow != p->default_deny)
			continue;
		nr = resolve(p->rules[i].name, err, errlen);
		if (nr == __NR_SCMP_ERROR)
			return -EINVAL;
		if (nr < 0) /* a call this architecture does not have */
			continue;
		r = seccomp_rule_add(ctx, action, nr, 0);
		if (r < 0 && r != -EEXIST) {
			snprintf(err, errlen, "seccomp: rule for '%s': %s", p->rules[i].name,
				 strerror(-r));
			return r;
		}
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
	if (n == (ssize_t)sizeof(ret->insns) && read(p[0], &(char){0}, 1) == 1) {
		close(p[0]);
		snprintf(err, errlen, "seccomp: the filter needs more than %d instructions",
			 BPF_MAXINSNS);
		return -E2BIG;
	}
	close(p[0]);
	if (r < 0 || n <= 0 || n % sizeof(ret->insns[0])) {
		snprintf(err, errlen, "seccomp: cannot build the filter: %s",
			 strerror(r < 0 ? -r : EIO));
		return r < 0 ? r : -EIO;
	}
	ret->len = n / sizeof(ret->insns[0]);
	return 0;
}

/* A profile's filter, by libseccomp: x86_64 calls only, as the default's. */
static int build_from_profile(const struct seccomp_profile *profile, struct seccomp_bpf *ret,
			      char *err, int errlen)
{
	scmp_filter_ctx ctx =
		seccomp_init(profile->default_deny ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_ALLOW);
	int r;

	if (!ctx) {
		snprintf(err, errlen, "seccomp: cannot create a filter");
		return -ENOMEM;
	}
	/* Where libseccomp cannot tell that the kernel has KILL_PROCESS (under valgrind), the
	 * thread alone is killed. */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	r = build_profile(ctx, profile, err, errlen);
	if (r == 0)
		r = export_bpf(ctx, ret, err, errlen);
	seccomp_release(ctx);
	return r;
}

int seccomp_build(const struct spec *spec, uint64_t caps, const struct seccomp_profile *profile,
		  struct seccomp_bpf *ret, char *err, int errlen)
{
	ret->len = 0;
	if (strcmp(spec->seccomp, "unconfined") == 0)
		return 0;
	return profile ? build_from_profile(profile, ret, err, errlen)
		       : build_default(caps, seccomp_guards_init(spec, caps), ret, err, errlen);
}

int seccomp_install(const struct seccomp_bpf *bpf, char *err, int errlen)
{
	return seccomp_install_flags(bpf, 0, err, errlen);
}

int seccomp_install_flags(const struct seccomp_bpf *bpf, unsigned flags, char *err, int errlen)
{
	struct sock_fprog prog = {.len = bpf->len, .filter = (struct sock_filter *)bpf->insns};

	int r;

	if (!bpf->len)
		return 0;
	/* no_new_privs is set already, with the capabilities. Before seccomp(2) (and under
	 * valgrind) prctl does the same. */
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (r < 0 && errno == ENOSYS && !flags)
		r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
	if (r < 0) {
		snprintf(err, errlen, "seccomp: load the filter: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int oci_action(enum oci_sc_action a, unsigned errno_ret, uint32_t *ret)
{
	switch (a) {
	case OCI_SC_KILL:
	case OCI_SC_KILL_THREAD:
		*ret = SCMP_ACT_KILL_THREAD;
		return 0;
	case OCI_SC_KILL_PROCESS:
		*ret = SCMP_ACT_KILL_PROCESS;
		return 0;
	case OCI_SC_TRAP:
		*ret = SCMP_ACT_TRAP;
		return 0;
	case OCI_SC_ERRNO:
		*ret = SCMP_ACT_ERRNO(errno_ret & 0xffff);
		return 0;
	case OCI_SC_TRACE:
		*ret = SCMP_ACT_TRACE(errno_ret & 0xffff);
		return 0;
	case OCI_SC_ALLOW:
		*ret = SCMP_ACT_ALLOW;
		return 0;
	case OCI_SC_LOG:
		*ret = SCMP_ACT_LOG;
		return 0;
	case OCI_SC_NOTIFY:
		break;
	}
	return -EOPNOTSUPP;
}

static const enum scmp_compare oci_ops[] = {
	[OCI_SC_NE] = SCMP_CMP_NE,
	[OCI_SC_LT] = SCMP_CMP_LT,
	[OCI_SC_LE] = SCMP_CMP_LE,
	[OCI_SC_EQ] = SCMP_CMP_EQ,
	[OCI_SC_GE] = SCMP_CMP_GE,
	[OCI_SC_GT] = SCMP_CMP_GT,
	[OCI_SC_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

/* Conditions on distinct arguments all hold (one rule); several on one argument are
 * alternatives, one rule each, as runc reads them (libseccomp takes one per argument). */
static int oci_rule_add(scmp_filter_ctx ctx, uint32_t action, int nr,
			const struct oci_sc_rule *rule)
{
	struct scmp_arg_cmp cmp[6];
	bool same = false;
	int r;

	if (rule->nargs > 6)
		same = true;
	for (size_t i = 0; i < rule->nargs && !same; i++)
		for (size_t j = 0; j < i; j++)
			if (rule->args[i].index == rule->args[j].index)
				same = true;
	for (size_t i = 0; i < rule->nargs; i++) {
		const struct oci_sc_arg *a = &rule->args[i];

		if (a->index > 5 || a->op > OCI_SC_MASKED_EQ)
			return -EINVAL;
		cmp[same ? 0 : i] =
			(struct scmp_arg_cmp){a->index, oci_ops[a->op], a->value, a->value_two};
		if (same) {
			r = seccomp_rule_add_array(ctx, action, nr, 1, cmp);
			if (r < 0 && r != -EEXIST)
				return r;
		}
	}
	if (same && rule->nargs)
		return 0;
	r = seccomp_rule_add_array(ctx, action, nr, rule->nargs, cmp);
	return r == -EEXIST ? 0 : r;
}

static int oci_rules(scmp_filter_ctx ctx, const struct oci_seccomp *sc, uint32_t dflt, char *err,
		     int errlen)
{
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct oci_sc_rule *rule = &sc->rules[i];
		uint32_t action;
		int r = oci_action(rule->action, rule->errno_ret, &action);

		if (r < 0) {
			snprintf(err, errlen,
				 "seccomp: syscalls[%zu]: SCMP_ACT_NOTIFY needs a listener, which "
				 "kbox has not",
				 i);
			return r;
		}
		/* What the default does already needs no rule (libseccomp refuses one). */
		if (action == dflt)
			continue;
		for (char **name = rule->names; *name; name++) {
			char why[8];
			int nr = resolve(*name, why, sizeof(why));

			/* A name this libseccomp or architecture does not know: skipped, as runc
			 * does, so that one profile serves kernels old and new. */
			if (nr == __NR_SCMP_ERROR || nr < 0)
				continue;
			r = oci_rule_add(ctx, action, nr, rule);
			if (r < 0) {
				snprintf(err, errlen, "seccomp: syscalls[%zu]: '%s': %s", i, *name,
					 strerror(-r));
				return r;
			}
		}
	}
	return 0;
}

static int oci_archs(scmp_filter_ctx ctx, const struct oci_seccomp *sc, char *err, int errlen)
{
	for (char **a = sc->archs; a && *a; a++) {
		char lower[32];
		uint32_t arch;
		size_t i;
		int r;

		if (strncmp(*a, "SCMP_ARCH_", 10) != 0 || strlen(*a + 10) >= sizeof(lower))
			goto bad;
		for (i = 0; (*a)[10 + i]; i++)
			lower[i] = (*a)[10 + i] >= 'A' && (*a)[10 + i] <= 'Z' ? (*a)[10 + i] + 32
									      : (*a)[10 + i];
		lower[i] = '\0';
		arch = seccomp_arch_resolve_name(lower);
		if (!arch)
			goto bad;
		r = seccomp_arch_add(ctx, arch);
		if (r < 0 && r != -EEXIST) {
			snprintf(err, errlen, "seccomp: architectures: '%s': %s", *a, strerror(-r));
			return r;
		}
		continue;
	bad:
		snprintf(err, errlen, "seccomp: architectures: '%s' is not one libseccomp knows",
			 *a);
		return -EINVAL;
	}
	return 0;
}

int seccomp_oci_build(const struct oci_seccomp *sc, struct seccomp_bpf *ret, char *err, int errlen)
{
	scmp_filter_ctx ctx;
	uint32_t dflt;
	int r;

	ret->len = 0;
	if (sc->flags & ~(OCI_SC_FLAG_LOG | OCI_SC_FLAG_SPEC_ALLOW)) {
		snprintf(err, errlen,
			 "seccomp: flags: only SECCOMP_FILTER_FLAG_LOG and "
			 "SECCOMP_FILTER_FLAG_SPEC_ALLOW are supported");
		return -EOPNOTSUPP;
	}
	if (oci_action(sc->default_action, sc->default_errno, &dflt) < 0) {
		snprintf(err, errlen, "seccomp: defaultAction: SCMP_ACT_NOTIFY needs a listener");
		return -EOPNOTSUPP;
	}
	ctx = seccomp_init(dflt);
	if (!ctx) {
		snprintf(err, errlen, "seccomp: cannot create a filter");
		return -ENOMEM;
	}
	r = oci_archs(ctx, sc, err, errlen);
	if (r == 0)
		r = oci_rules(ctx, sc, dflt, err, errlen);
	if (r == 0)
		r = export_bpf(ctx, ret, err, errlen);
	seccomp_release(ctx);
	return r;
}

unsigned seccomp_oci_flags(const struct oci_seccomp *sc)
{
	return (sc->flags & OCI_SC_FLAG_LOG ? SECCOMP_FILTER_FLAG_LOG : 0) |
	       (sc->flags & OCI_SC_FLAG_SPEC_ALLOW ? SECCOMP_FILTER_FLAG_SPEC_ALLOW : 0);
}
