/* Container start: clone3 into new namespaces, child-side setup, exec, and the report
 * channel that carries a setup failure back to the parent. */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "caps.h"
#include "container.h"
#include "mntns.h"
#include "net/net.h"
#include "net/netlink.h"
#include "rootfs.h"
#include "runtime.h"
#include "seccomp.h"
#include "userns.h"

/* The namespaces a container has of its own: the ones its payload starts in, and the ones
 * kbox exec joins. */
static int ns_flags(const struct spec *spec)
{
	int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;

	if (!spec->pid_host)
		flags |= CLONE_NEWPID;
	if (spec->net != SPEC_NET_HOST)
		flags |= CLONE_NEWNET;
	if (spec->timens)
		flags |= CLONE_NEWTIME;
	if (spec->userns.count)
		flags |= CLONE_NEWUSER;
	return flags;
}

/* The namespaces a container's child makes itself (unshare), once the parent has let it go,
 * rather than clone3 in the parent: a network namespace costs more than all else PID 1 does
 * for a container, and the children of a batch make theirs side by side. With a user
 * namespace every namespace comes with clone3, owned by it, and the parent, which alone
 * can reach the bridge, makes the veth. */
static int child_ns_flags(const struct spec *spec)
{
	if (spec->userns.count)
		return 0;
	return ns_flags(spec) & (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP |
				 CLONE_NEWNET);
}

/* Child side: the namespaces of child_ns_flags, and for a bridged container the veth,
 * through a netlink socket opened before the network namespace changed. */
static int child_unshare(const struct spec *spec, const struct rt_opts *opts, char *err,
			 int errlen)
{
	_cleanup_close_ int nl = -1;
	int flags = child_ns_flags(spec), master = 0, r;
	char msg[200] = "";

	if (!flags)
		return 0;
	/* Before the new namespace: PID 1 mounted its root in the keeper. */
	r = rootfs_child_take(spec, opts, err, errlen);
	if (r < 0)
		return r;
	if ((flags & CLONE_NEWNET) && spec->net == SPEC_NET_BRIDGE) {
		master = if_nametoindex(opts->net.bridge);
		if (!master) {
			snprintf(err, errlen, "net: no bridge %s: %s", opts->net.bridge,
				 strerror(errno));
			return -errno;
		}
		nl = nl_open();
		if (nl < 0) {
			snprintf(err, errlen, "net: netlink: %s", strerror(-nl));
			return nl;
		}
	}
	if (unshare(flags) < 0) {
		snprintf(err, errlen, "unshare its namespaces: %s", strerror(errno));
		return -errno;
	}
	if (nl < 0)
		return 0;
	/* Our own pid, as our pid namespace numbers it, is how the kernel finds our netns. */
	r = net_veth_create(nl, opts->net.host, master, getpid(), msg, sizeof(msg));
	if (r < 0)
		snprintf(err, errlen, "net: cannot create the veth pair %s/eth0: %s%s%.150s",
			 opts->net.host,
			 strerror(-r), msg[0] ? ": " : "", msg);
	return r;
}

/* A directory as stdin, stdout or stderr would be a way out of the root (fchdir). */
static bool stdio_is_dir(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

int ct_child_stdio(const struct rt_opts *opts, char *err, int errlen)
{
	for (int i = 0; i < 3; i++) {
		int fd = opts->stdio[i];

		if (fd >= 0 && stdio_is_dir(fd)) {
			snprintf(err, errlen,
				 "fd %d is a directory, which would lead out of the root", i);
			return -EISDIR;
		}
		if (fd < 0)
			fd = open("/dev/null", i == 0 ? O_RDONLY : O_WRONLY);
		if (fd < 0 || (fd != i && dup2(fd, i) < 0)) {
			snprintf(err, errlen, "set up fd %d: %s", i, strerror(errno));
			return -errno;
		}
		if (opts->stdio[i] < 0 && fd != i)
			close(fd);
	}
	/* Dup'd: PID 1's ends of them need not stay through the setup. */
	for (int i = 0; i < 3; i++)
		if (opts->stdio[i] > 2)
			close(opts->stdio[i]);
	return 0;
}

static char **child_env(const struct spec *spec)
{
	char buf[128];
	char **env = NULL;

	if (strv_push(&env, "PATH=" DEFAULT_PATH) < 0)
		return NULL;
	snprintf(buf, sizeof(buf), "HOSTNAME=%s", spec->hostname);
	if (strv_push(&env, buf) < 0 || strv_push(&env, "HOME=/root") < 0)
		return NULL;
	/* The image's Env and the spec's env, merged by spec_apply_image. */
	for (size_t i = 0; spec->run_env && spec->run_env[i]; i++) {
		size_t klen = strcspn(spec->run_env[i], "=") + 1;
		size_t j;

		for (j = 0; env[j] && strncmp(env[j], spec->run_env[i], klen) != 0; j++)
			;
		if (env[j]) {
			free(env[j]);
			env[j] = strdup(spec->run_env[i]);
			if (!env[j])
				return NULL;
		} else if (strv_push(&env, spec->run_env[i]) < 0) {
			return NULL;
		}
	}
	return env;
}

int rt_exec_payload(char *const argv[], char *const env[], int report_fd)
{
	struct report rep = {0};
	int code, e;

	ct_exec_payload(argv, env);
	e = errno;
	rep.err = -e;
	code = e == ENOENT ? 127 : 126;
	snprintf(rep.msg, sizeof(rep.msg), "exec '%s': %s", argv[0], strerror(e));
	if (report_fd >= 0)
		(void)!write(report_fd, &rep, sizeof(rep));
	errno = e;
	return code;
}

/* init=true: kbox itself, from the sealed copy PID 1 runs, becomes the container's PID 1
 * and execs the payload under it (see init/reaper.c). */
static void exec_reaper(const struct spec *spec, const struct rt_opts *opts, char **env,
			int report_fd)
{
	size_t n = strv_len(spec->argv);
	char fd[16], **argv = calloc(n + 3, sizeof(char *));

	if (!argv)
		return;
	snprintf(fd, sizeof(fd), "%d", report_fd);
	argv[0] = "kbox-init";
	argv[1] = fd;
	memcpy(argv + 2, spec->argv, n * sizeof(char *));
	if (fcntl(report_fd, F_SETFD, 0) == 0)
		fexecve(opts->init_fd, argv, env);
	free(argv);
}

/*
 * Change into the workdir, resolved inside the root we are in (CVE-2024-21626): a symlink
 * on the way resolves in it, a magic link is refused, and the cwd we end up in must be
 * reachable from our root, as runc checks since 1.1.12.
 */
int ct_enter_workdir(const struct spec *spec, char *err, int errlen)
{
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1;
	char cwd[PATH_MAX];
	struct stat st;
	long n;

	if (root < 0) {
		snprintf(err, errlen, "workdir: open /: %s", strerror(errno));
		return -errno;
	}
	fd = open_in_root(root, spec->workdir, IN_ROOT_OPEN);
	if (fd == -ELOOP && in_root_magic(root, spec->workdir)) {
		snprintf(err, errlen,
			 "workdir: '%s': a magic link (/proc/PID/fd/N, /proc/self/exe, ...) is "
			 "refused",
			 spec->workdir);
		return fd;
	}
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))) {
		close(take_fd(&fd));
		fd = -ENOTDIR;
	}
	if (fd < 0 || fchdir(fd) < 0) {
		int e = fd < 0 ? -fd : errno;

		snprintf(err, errlen, "workdir: '%s': %s", spec->workdir, strerror(e));
		return -e;
	}
	/* The kernel prefixes a cwd outside our root with "(unreachable)". */
	n = syscall(SYS_getcwd, cwd, sizeof(cwd));
	if (n < 0 || cwd[0] != '/') {
		snprintf(err, errlen, "workdir: '%s' is not inside the container's root",
			 spec->workdir);
		return -EPERM;
	}
	return 0;
}

static int child_setup(const struct spec *spec, const struct rt_opts *opts, char *err, int errlen)
{
	int r;

	/* In a new user namespace we start as an unmapped id: become its root. */
	if (spec->userns.count && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
		snprintf(err, errlen, "userns: become root inside: %s", strerror(errno));
		return -errno;
	}
	r = ct_child_stdio(opts, err, errlen);
	if (r < 0)
		return r;
	r = rootfs_child_setup(spec, opts, err, errlen);
	if (r < 0)
		return r;
	if (sethostname(spec->hostname, strlen(spec->hostname)) < 0) {
		snprintf(err, errlen, "sethostname '%s': %s", spec->hostname, strerror(errno));
		return -errno;
	}
	r = spec->net == SPEC_NET_HOST ? 0 : net_link_up("lo");
	if (r < 0) {
		snprintf(err, errlen, "bring up lo: %s", strerror(-r));
		return r;
	}
	if (spec->net == SPEC_NET_BRIDGE) {
		char why[200];

		r = net_if_setup("eth0", opts->net.addr, opts->net.prefix, opts->net.gw, why,
				 sizeof(why));
		if (r < 0) {
			snprintf(err, errlen, "net: %s", why);
			return r;
		}
	}
	r = ct_enter_workdir(spec, err, errlen);
	if (r < 0)
		return r;
	return caps_child_apply(spec, err, errlen);
}

/* The parent builds the seccomp filter while the child sets up, and sends it as one
 * message: 'f' and the program, or 'e' and why it could not. */
struct filter_msg {
	char tag;
	union {
		struct sock_filter insns[BPF_MAXINSNS];
		char why[256];
	};
};
#define FILTER_HEAD offsetof(struct filter_msg, insns)

/* Taken off the socket whatever happened meanwhile: a child that exits with the message
 * unread resets the socket, and its report would be lost with it. */
int ct_recv_filter(bool want, int fd, struct seccomp_bpf *ret, char *err, int errlen)
{
	static struct filter_msg m;
	ssize_t n;

	ret->len = 0;
	if (!want)
		return 0;
	n = recv(fd, &m, sizeof(m), 0) - (ssize_t)FILTER_HEAD;
	if (n > 0 && m.tag == 'e') {
		snprintf(err, errlen, "%.*s", (int)n, m.why);
		return -EINVAL;
	}
	if (n < (ssize_t)sizeof(m.insns[0]) || n % sizeof(m.insns[0]) || m.tag != 'f') {
		snprintf(err, errlen, "seccomp: the filter did not come");
		return -EIO;
	}
	ret->len = n / sizeof(m.insns[0]);
	memcpy(ret->insns, m.insns, n);
	return 0;
}

/* The default filter depends only on the capabilities kept and whether it guards PID 1
 * (seccomp_guards_init): PID 1 builds each one once. */
static void send_filter(const struct spec *spec, const struct rt_opts *opts, int fd)
{
	static struct {
		uint64_t caps;
		bool guard;
		struct seccomp_bpf bpf;
	} cache[4];
	static struct seccomp_bpf scratch;
	static struct filter_msg m;
	const struct seccomp_bpf *bpf = NULL;
	uint64_t caps = caps_keep(spec);
	bool guard = seccomp_guards_init(spec, caps);

	if (strcmp(spec->seccomp, "unconfined") == 0)
		return;
	for (size_t i = 0; !opts->seccomp_profile && i < ARRAY_SIZE(cache) && !bpf; i++)
		if (cache[i].bpf.len && cache[i].caps == caps && cache[i].guard == guard)
			bpf = &cache[i].bpf;
	if (!bpf) {
		struct seccomp_bpf *to = &scratch;

		for (size_t i = 0; !opts->seccomp_profile && i < ARRAY_SIZE(cache); i++)
			if (!cache[i].bpf.len) {
				cache[i].caps = caps;
				cache[i].guard = guard;
				to = &cache[i].bpf;
				break;
			}
		if (seccomp_build(spec, caps, opts->seccomp_profile, to, m.why, sizeof(m.why)) == 0)
			bpf = to;
		else
			to->len = 0;
	}
	ct_send_filter_bpf(fd, bpf, m.why);
}

void ct_send_filter_bpf(int fd, const struct seccomp_bpf *bpf, const char *why)
{
	static struct filter_msg m;
	size_t len;

	if (bpf) {
		m.tag = 'f';
		len = bpf->len * sizeof(bpf->insns[0]);
		memcpy(m.insns, bpf->insns, len);
	} else {
		m.tag = 'e';
		len = strlen(why);
		memmove(m.why, why, len);
	}
	/* A child that died meanwhile reports nothing more: its exit says enough. */
	(void)!send(fd, &m, FILTER_HEAD + len, MSG_NOSIGNAL);
}

static _Noreturn void child_main(const struct spec *spec, const struct rt_opts *opts, int report_fd)
{
	static struct seccomp_bpf bpf;
	struct report rep = {0};
	char **env = NULL, go, err[8];
	int keep[] = {report_fd, opts->stdio[0], opts->stdio[1], opts->stdio[2], opts->init_fd, -1,
		      -1};
	int code = 1;

	/* The keeper's and PID 1's mount namespaces, until rootfs_child_take is done. */
	mntns_fds(keep + 5);

	/* Everything of PID 1's (or of kbox run's caller) but what we need goes at once: an
	 * fd left open here would name a directory outside the root (CVE-2024-21626). */
	fds_close_except(keep, ARRAY_SIZE(keep));
	/* A session of our own, without the caller's terminal as its controlling tty: else
	 * the payload could push input into it (TIOCSTI) for the caller's shell to run once
	 * the container is gone (CVE-2017-5226). */
	if (setsid() < 0)
		_exit(1);
	/* Until the payload's execve we hold PID 1's fds: with pid=host the containers that
	 * share the namespace must not reach them through /proc or ptrace once we have
	 * dropped to capabilities like theirs. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* The parent sets our id maps and limits from outside first; without them we would
	 * be nobody in our own user namespace. */
	if (read(report_fd, &go, 1) != 1)
		_exit(1);
	rep.err = child_unshare(spec, opts, rep.msg, sizeof(rep.msg));
	if (rep.err == 0)
		rep.err = child_setup(spec, opts, rep.msg, sizeof(rep.msg));
	if (rep.err == 0) {
		env = child_env(spec);
		if (!env) {
			rep.err = -ENOMEM;
			snprintf(rep.msg, sizeof(rep.msg), "environment: %s", strerror(ENOMEM));
		}
	}
	if (rep.err == 0)
		rep.err = ct_recv_filter(strcmp(spec->seccomp, "unconfined") != 0, report_fd, &bpf,
					 rep.msg, sizeof(rep.msg));
	else
		ct_recv_filter(strcmp(spec->seccomp, "unconfined") != 0, report_fd, &bpf, err,
			       sizeof(err));
	if (rep.err == 0) {
		/* Nothing of ours may leak into the payload; the report fd is CLOEXEC. */
		fds_cloexec_from(3);
		/* Last, so that nothing of our own setup runs under the filter. */
		rep.err = seccomp_install(&bpf, rep.msg, sizeof(rep.msg));
	}
	if (rep.err == 0) {
		/* PID 1 blocks every signal; the payload starts with none blocked. */
		signals_reset();
		if (!spec->init)
			_exit(rt_exec_payload(spec->argv, env, report_fd));
		exec_reaper(spec, opts, env, report_fd);
		rep.err = -errno;
		snprintf(rep.msg, sizeof(rep.msg), "init: exec kbox as the container's init: %s",
			 strerror(errno));
	}
	(void)!write(report_fd, &rep, sizeof(rep));
	_exit(code);
}

/* Kernels before 5.3 (and valgrind) have no clone3, before 5.7 no CLONE_INTO_CGROUP: plain
 * clone, fork-like, and the parent moves the child into its cgroup before it may go on. */
static pid_t clone_fallback(const struct spec *spec, uint64_t flags)
{
	flags &= ~CLONE_INTO_CGROUP;
	if (flags & CLONE_NEWTIME) {
		log_msg("%s: timens: this kernel has no clone3", spec->name);
		errno = EINVAL;
		return -1;
	}
	return syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/* Parent side, between clone and the child's setup: what only the outside can do. */
static int parent_setup(pid_t pid, const struct spec *spec, const struct rt_opts *opts,
			bool join_cgroup)
{
	int r = 0;

	if (join_cgroup) {
		char buf[16];

		snprintf(buf, sizeof(buf), "%d", pid);
		r = write_file(opts->cgroup_fd, "cgroup.procs", buf);
		if (r < 0)
			return log_errno(r, "%s: join its cgroup", spec->name);
	}
	if (spec->oci)
		return oci_parent_setup(pid, spec, opts);
	if (spec->userns.count)
		r = userns_parent_map(pid, spec);
	if (r == 0)
		r = caps_parent_rlimits(pid, spec);
	if (r == 0 && spec->net == SPEC_NET_BRIDGE && !(child_ns_flags(spec) & CLONE_NEWNET))
		r = net_veth_setup(spec->name, opts->net.host, opts->net.bridge, pid);
	return r;
}

static pid_t rt_clone(const struct spec *spec, const struct rt_opts *opts, int *ret_status_fd)
{
	struct clone_args args = {
		.flags = spec->oci ? oci_clone_flags(spec) : ns_flags(spec) & ~child_ns_flags(spec),
		.exit_signal = SIGCHLD,
	};
	bool join_cgroup = false;
	int sv[2], r, pidns = -1;
	pid_t pid;

	if (opts->cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = opts->cgroup_fd;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return log_errno(-errno, "%s: socketpair", spec->name);
	r = spec->oci ? oci_pre_clone(spec, &pidns) : 0;
	pid = r < 0 ? -1 : sys_clone3(&args);
	if (pid < 0 && r == 0 && (errno == ENOSYS || (errno == EINVAL && args.cgroup))) {
		pid = clone_fallback(spec, args.flags);
		join_cgroup = opts->cgroup_fd >= 0;
	}
	if (pid != 0 && spec->oci)
		oci_post_clone(pidns);
	if (pid < 0) {
		r = r < 0 ? r : -errno;
		close(sv[0]);
		close(sv[1]);
		return log_errno(r, "%s: clone", spec->name);
	}
	if (pid == 0) {
		close(sv[0]);
		if (spec->oci)
			oci_child_main(spec, opts, sv[1]);
		child_main(spec, opts, sv[1]);
	}
	close(sv[1]);
	/* A bundle's may start in two stages: then pid becomes the second's. */
	r = spec->oci ? oci_parent_stages(&pid, spec, sv[0]) : 0;
	if (r == 0)
		r = parent_setup(pid, spec, opts, join_cgroup);
	if (r == 0 && write(sv[0], "g", 1) != 1)
		r = log_errno(-errno, "%s: start the child", spec->name);
	if (r == 0 && spec->oci)
		r = oci_parent_created(pid, spec, opts, sv[0]);
	else if (r == 0)
		send_filter(spec, opts, sv[0]);
	if (r < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(sv[0]);
		return r;
	}
	*ret_status_fd = sv[0];
	return pid;
}

/* Parent side: a seccomp=FILE profile is read and checked before anything starts. */
static int load_profile(const struct spec *spec, struct seccomp_profile *ret)
{
	_cleanup_free_ char *text = NULL;
	char err[256];
	int r;

	r = read_file(AT_FDCWD, spec->seccomp, &text, NULL);
	if (r < 0)
		return log_errno(r, "%s: seccomp: cannot read '%s'", spec->name, spec->seccomp);
	r = seccomp_profile_parse(text, spec->seccomp, ret, err, sizeof(err));
	if (r == -EINVAL)
		log_msg("%s: seccomp: %s", spec->name, err);
	else if (r < 0)
		log_errno(r, "%s: seccomp", spec->name);
	return r;
}

pid_t rt_start(const struct spec *spec, const struct rt_opts *caller_opts, int *ret_status_fd)
{
	struct seccomp_profile profile = {0};
	struct rt_opts o = *caller_opts, *opts = &o;
	pid_t pid;
	int r;

	/* spec_finish and spec_apply_image make it; a caller that skipped both has a bug. */
	if (!spec->argv || !spec->argv[0]) {
		log_msg("%s: no command to run: the spec's argv was never made", spec->name);
		return -EINVAL;
	}
	/* A bundle's root is the engine's, used as it is: nothing to prepare or release. */
	if (spec->oci) {
		r = oci_prepare(spec, opts);
		pid = r < 0 ? r : rt_clone(spec, opts, ret_status_fd);
		oci_release();
		return pid;
	}
	if (spec->net == SPEC_NET_BRIDGE && (!opts->net.addr || !opts->net.bridge)) {
		log_msg("%s: net: bridge networking needs the appliance's PID 1 (kbox run: "
			"--network none or host)",
			spec->name);
		return -EOPNOTSUPP;
	}
	if (spec->seccomp[0] == '/') {
		r = load_profile(spec, &profile);
		if (r < 0)
			return r;
		o.seccomp_profile = &profile;
	}
	o.init_fd = -1;
	if (spec->init) {
		/* Our own binary: a sealed memfd wherever kbox re-exec'd itself. */
		o.init_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		if (o.init_fd < 0) {
			r = log_errno(-errno, "%s: init: cannot open kbox's own binary",
				      spec->name);
			seccomp_profile_free(&profile);
			return r;
		}
	}
	r = rootfs_prepare(spec, opts);
	pid = r < 0 ? r : rt_clone(spec, opts, ret_status_fd);
	if (o.init_fd >= 0)
		close(o.init_fd);
	if (pid < 0 && r == 0)
		rootfs_release(spec, opts);
	seccomp_profile_free(&profile);
	return pid;
}

void rt_release(const struct spec *spec, const struct rt_opts *opts)
{
	if (!spec->oci)
		rootfs_release(spec, opts);
}

int rt_start_result(const char *name, int status_fd)
{
	struct report rep;
	ssize_t n;

	do
		n = read(status_fd, &rep, sizeof(rep));
	while (n < 0 && errno == EINTR);
	close(status_fd);
	/* End of file: it exec'd, or died before a word. ECONNRESET is the same death with our
	 * filter message still unread in its socket (a stop that killed it as it started). */
	if (n == 0 || (n < 0 && errno == ECONNRESET))
		return 0;
	if (n != sizeof(rep))
		return log_errno(n < 0 ? -errno : -EIO, "%s: read the start report", name);
	/* create: set up, and waiting for start. */
	if (rep.err == REPORT_READY)
		return 0;
	rep.msg[sizeof(rep.msg) - 1] = '\0';
	log_msg("%s: %s", name, rep.msg);
	return rep.err < 0 ? rep.err : -EIO;
}

int rt_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/*
 * kbox exec, in the relay once it joined the container's namespaces: become one of the
 * container's processes in all but the pid namespace, which only its child enters. Until
 * the filter is on, nothing of ours may be in the container's sight: a child of ours there
 * with every capability, held up (by the image's /etc/passwd made a FIFO, for user=), could
 * be traced by a container with CAP_SYS_PTRACE and made to do anything in the appliance.
 */
static int exec_enter(const struct spec *spec, const struct seccomp_profile *profile,
		      char ***ret_env, char *err, int errlen)
{
	static struct seccomp_bpf bpf;
	int r;

	/* As the container's own processes: no controlling tty to push input into. */
	r = setsid() < 0 ? -errno : 0;
	if (r < 0)
		snprintf(err, errlen, "setsid: %s", strerror(-r));
	if (r == 0)
		r = ct_enter_workdir(spec, err, errlen);
	if (r == 0)
		r = caps_child_apply(spec, err, errlen);
	if (r == 0) {
		*ret_env = child_env(spec);
		if (!*ret_env) {
			r = -ENOMEM;
			snprintf(err, errlen, "environment: %s", strerror(ENOMEM));
		}
	}
	if (r == 0) {
		fds_cloexec_from(3);
		r = seccomp_build(spec, caps_keep(spec), profile, &bpf, err, errlen);
		if (r == 0)
			r = seccomp_install(&bpf, err, errlen);
	}
	return r;
}

/* The relay, forked from PID 1: the client's stdio, the container's cgroup, rlimits and
 * namespaces, then a child in them that becomes argv. */
static _Noreturn void relay_main(const struct spec *spec, const struct rt_opts *opts, pid_t target,
				 int flags, const int fds[3], const struct seccomp_profile *profile,
				 char *const argv[])
{
	const int keep[] = {fds[0], fds[1], fds[2], opts->cgroup_fd};
	char err[256] = "", **env = NULL;
	int pidfd, status;
	pid_t child;

	/* Not to be opened through /proc or traced by the container's processes before the
	 * payload's execve makes it dumpable again (CVE-2016-9962). */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* Nothing of PID 1's may come along (CVE-2024-21626): only the client's stdio, which
	 * becomes ours, so that what goes wrong from here on is the client's to read. */
	fds_close_except(keep, ARRAY_SIZE(keep));
	for (int i = 0; i < 3; i++)
		if (dup2(fds[i], i) < 0)
			_exit(125);
	for (int i = 0; i < 3; i++) {
		if (stdio_is_dir(i)) {
			fprintf(stderr,
				"kbox: %s: exec: fd %d is a directory, which would lead out "
				"of the root\n",
				spec->name, i);
			_exit(125);
		}
	}
	for (int i = 0; i < 3; i++)
		if (fds[i] > 2 && fds[i] != opts->cgroup_fd)
			close(fds[i]);
	if (opts->cgroup_fd < 0 || write_file(opts->cgroup_fd, "cgroup.procs", "0") < 0) {
		fprintf(stderr, "kbox: %s: exec: cannot join its cgroup: %s\n", spec->name,
			opts->cgroup_fd < 0 ? "it has none" : strerror(errno));
		_exit(125);
	}
	close(opts->cgroup_fd);
	/* From outside its user namespace, as the container's own rlimits are set. */
	if (caps_parent_rlimits(0, spec) < 0)
		_exit(125);
	pidfd = sys_pidfd_open(target, 0);
	if (pidfd < 0 || setns(pidfd, flags) < 0) {
		fprintf(stderr, "kbox: %s: exec: join its namespaces: %s\n", spec->name,
			strerror(errno));
		_exit(125);
	}
	close(pidfd);
	if (exec_enter(spec, profile, &env, err, sizeof(err)) < 0) {
		fprintf(stderr, "kbox: %s: %s\n", spec->name, err);
		_exit(125);
	}
	child = fork();
	if (child == 0) {
		signals_reset();
		ct_exec_payload(argv, env);
		fprintf(stderr, "kbox: %s: exec '%s': %s\n", spec->name, argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (child < 0) {
		fprintf(stderr, "kbox: %s: exec: fork: %s\n", spec->name, strerror(errno));
		_exit(125);
	}
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	_exit(rt_exit_code(status));
}

pid_t rt_exec(const struct spec *spec, const struct rt_opts *opts, pid_t target, const int fds[3],
	      char *const argv[])
{
	struct seccomp_profile profile = {0};
	int flags = ns_flags(spec);
	pid_t relay;

	if (spec->oci)
		return oci_exec(spec, opts, target, fds, argv);
	if (opts->cgroup_fd < 0) {
		log_msg("%s: exec: it has no cgroup to join", spec->name);
		return -ENOENT;
	}
	if (spec->seccomp[0] == '/' && load_profile(spec, &profile) < 0)
		return -EINVAL;
	relay = fork();
	if (relay == 0)
		relay_main(spec, opts, target, flags, fds,
			   spec->seccomp[0] == '/' ? &profile : NULL, argv);
	seccomp_profile_free(&profile);
	return relay < 0 ? log_errno(-errno, "%s: exec: fork", spec->name) : relay;
}
