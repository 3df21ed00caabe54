/* A bundle's container (kbox oci): its namespaces new and joined, the created stage and its
 * hooks, the pty, create's wait on the exec fifo, the process of config.json and its
 * seccomp; and runc exec's way into a running one. */
#include <errno.h>
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
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "caps.h"
#include "console.h"
#include "container.h"
#include "hook.h"
#include "namespaces.h"
#include "net/net.h"
#include "nsjoin.h"
#include "rootfs.h"
#include "spec/oci.h"
#include "userns.h"

/* What the parent made ready before clone, which the child inherits. */
static struct {
	int ns_fds[OCI_NS_COUNT];
	bool have_filter;
	struct seccomp_bpf bpf;
} run;

/* At run time, not by an initializer: that would put run's 32 KB filter in .data. */
static void run_reset_ns_fds(void)
{
	for (int t = 0; t < OCI_NS_COUNT; t++)
		run.ns_fds[t] = -1;
}

static const struct rt_oci no_oci = {.start_fd = -1, .console_fd = -1, .pidfd = -1};

static const struct rt_oci *oci_opts(const struct rt_opts *opts)
{
	return opts->oci ? opts->oci : &no_oci;
}

/* The namespaces clone3 makes: all of them with a new user namespace (so that it owns
 * them); else pid and time, which unshare would give our children only. The child makes
 * the rest itself, after joining those it joins. None for a two-stage start: its first
 * stage makes them all. */
int oci_clone_flags(const struct spec *spec)
{
	int flags = ns_oci_new_flags(spec->oci);

	if (nsj_two_stage(spec->oci))
		return 0;
	if (flags & CLONE_NEWUSER)
		return flags;
	return flags & (CLONE_NEWPID | CLONE_NEWTIME);
}

/* What the config asks of namespaces it does not list (the parser's rules, for a spec made
 * without it). The names are set in the uts namespace listed, new or joined (runc's rule):
 * never the host's. */
static int check_namespaces(const struct spec *spec)
{
	const struct spec_oci *oci = spec->oci;

	if (spec->hostname && spec->hostname[0] && !oci->ns[OCI_NS_UTS].set) {
		log_msg("%s: hostname: needs a uts namespace (new or joined)", spec->name);
		return -EINVAL;
	}
	if (oci->domainname && !oci->ns[OCI_NS_UTS].set) {
		log_msg("%s: domainname: needs a uts namespace (new or joined)", spec->name);
		return -EINVAL;
	}
	/* Offsets can be written before anyone is in the namespace: only into a new one. */
	if (oci->has_time_offsets && (!oci->ns[OCI_NS_TIME].set || oci->ns[OCI_NS_TIME].path)) {
		log_msg("%s: linux.timeOffsets: needs a time namespace of its own", spec->name);
		return -EINVAL;
	}
	return 0;
}

/* The host id of a map's 0, or -1. */
static long host_root(const struct oci_idmap *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].inside == 0)
			return m[i].outside;
	return -1;
}

int oci_prepare(const struct spec *spec, const struct rt_opts *opts)
{
	const struct rt_oci *o = oci_opts(opts);
	char err[256];
	struct stat st;
	int r;

	run_reset_ns_fds();
	r = check_namespaces(spec);
	if (r < 0)
		return r;
	if (o->start_fd >= 0 && (fstat(o->start_fd, &st) < 0 || !S_ISFIFO(st.st_mode))) {
		log_msg("%s: create: fd %d is not the exec fifo", spec->name, o->start_fd);
		return -EINVAL;
	}
	/* The child opens the fifo as its user namespace's root, new or joined (the config's
	 * maps say which host ids it is): it must be that root's, as runc chowns it. */
	if (o->start_fd >= 0 && spec->oci->ns[OCI_NS_USER].set) {
		long uid = host_root(spec->oci->uid_maps, spec->oci->nuid_maps),
		     gid = host_root(spec->oci->gid_maps, spec->oci->ngid_maps);

		if (uid >= 0 && gid >= 0 && fchownat(o->start_fd, "", uid, gid, AT_EMPTY_PATH) < 0)
			return log_errno(-errno, "%s: create: chown the exec fifo to %ld:%ld",
					 spec->name, uid, gid);
	}
	if (spec->oci->terminal && o->console_fd < 0) {
		log_msg("%s: process.terminal: needs a console socket", spec->name);
		return -EINVAL;
	}
	run.have_filter = spec->oci->seccomp != NULL;
	if (run.have_filter) {
		r = seccomp_oci_build(spec->oci->seccomp, &run.bpf, err, sizeof(err));
		if (r < 0) {
			log_msg("%s: linux.%s", spec->name, err);
			return r;
		}
	}
	r = ns_oci_open(spec->oci, run.ns_fds, err, sizeof(err));
	if (r < 0)
		log_msg("%s: linux.%s", spec->name, err);
	return r;
}

void oci_release(void)
{
	ns_oci_close(run.ns_fds);
}

/* A joined pid namespace takes our children, not us: ours for the clone alone. A two-stage
 * start's first stage joins it for the second. */
int oci_pre_clone(const struct spec *spec, int *ret_saved_pidns)
{
	*ret_saved_pidns = -1;
	if (run.ns_fds[OCI_NS_PID] < 0 || nsj_two_stage(spec->oci))
		return 0;
	*ret_saved_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (*ret_saved_pidns < 0)
		return log_errno(-errno, "%s: namespaces: open our own pid namespace", spec->name);
	if (setns(run.ns_fds[OCI_NS_PID], CLONE_NEWPID) < 0) {
		int r = -errno;

		close(take_fd(ret_saved_pidns));
		return log_errno(r, "%s: namespaces: join pid '%s'", spec->name,
				 spec->oci->ns[OCI_NS_PID].path);
	}
	return 0;
}

void oci_post_clone(int saved_pidns)
{
	if (saved_pidns < 0)
		return;
	if (setns(saved_pidns, CLONE_NEWPID) < 0)
		log_errno(-errno, "namespaces: back to our own pid namespace");
	close(saved_pidns);
}

/* oomScoreAdj of PID (0: us), from outside: in a user namespace of its own the child may
 * not write its own (its /proc files belong to the host's root). */
static int set_oom_score_adj(const struct spec_oci *oci, pid_t pid, char *err, int errlen)
{
	char buf[16], path[40];
	int r;

	if (!oci->has_oom_score_adj)
		return 0;
	snprintf(buf, sizeof(buf), "%d", oci->oom_score_adj);
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid ? (int)pid : (int)getpid());
	r = write_file(AT_FDCWD, path, buf);
	if (r < 0)
		snprintf(err, errlen, "oomScoreAdj %d: %s", oci->oom_score_adj, strerror(-r));
	return r;
}

int oci_parent_stages(pid_t *pid, const struct spec *spec, int fd)
{
	return nsj_two_stage(spec->oci) ? nsj_parent(pid, spec, fd) : 0;
}

int oci_parent_setup(pid_t pid, const struct spec *spec, const struct rt_opts *opts)
{
	const struct rt_oci *o = oci_opts(opts);
	int r = 0;

	if (o->stage)
		r = o->stage(RT_STAGE_CLONED, pid, o->stage_arg);
	/* Two stages: the first has its maps already, which the second inherits. */
	if (r == 0 && (ns_oci_new_flags(spec->oci) & CLONE_NEWUSER) && !nsj_two_stage(spec->oci))
		r = userns_parent_map_oci(pid, spec);
	if (r == 0)
		r = caps_parent_rlimits(pid, spec);
	if (r == 0) {
		char err[128];

		r = set_oom_score_adj(spec->oci, pid, err, sizeof(err));
		if (r < 0)
			log_msg("%s: %s", spec->name, err);
	}
	return r;
}

/* One message (the socket is SOCK_SEQPACKET): the state for the startContainer hooks;
 * empty for none. */
static void send_start_state(int fd, const struct rt_oci *o)
{
	const char *text = o->start_state_json ? o->start_state_json : o->state_json;

	if (!text)
		text = "";
	(void)!send(fd, text, strlen(text), MSG_NOSIGNAL);
}

/* The child's side of send_start_state: NULL when empty or unreadable (state_json then). */
static char *recv_start_state(int fd)
{
	ssize_t n;
	char *text;

	do
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return NULL;
	text = malloc(n + 1);
	if (!text || recv(fd, text, n, 0) != n || n == 0) {
		free(text);
		return NULL;
	}
	text[n] = 0;
	return text;
}

/* The child's first word after its mounts is the created stage, unless it failed: that
 * report stays for rt_start_result. Then the filter, which the child takes after our
 * answer. */
int oci_parent_created(pid_t pid, const struct spec *spec, const struct rt_opts *opts, int fd)
{
	const struct rt_oci *o = oci_opts(opts);
	struct report rep;
	ssize_t n;
	int r = 0;

	do
		n = recv(fd, &rep, sizeof(rep), MSG_PEEK);
	while (n < 0 && errno == EINTR);
	if (n == sizeof(rep) && rep.err == REPORT_CREATED) {
		(void)!recv(fd, &rep, sizeof(rep), 0);
		if (o->stage)
			r = o->stage(RT_STAGE_CREATED, pid, o->stage_arg);
		(void)!send(fd, r == 0 ? "c" : "x", 1, MSG_NOSIGNAL);
		/* The child knows neither its pid here nor that it is created now. */
		if (r == 0)
			send_start_state(fd, o);
	}
	if (run.have_filter)
		ct_send_filter_bpf(fd, &run.bpf, NULL);
	return r;
}

struct child {
	const struct spec *spec;
	const struct rt_opts *opts;
	int report_fd;
	char *start_state; /* from the parent, after the created stage */
};

/* Before pivot_root: the parent's created stage (prestart, createRuntime hooks), then the
 * createContainer hooks here, in the container's namespaces. */
static int before_pivot(void *arg, char *err, int errlen)
{
	struct child *c = arg;
	struct report rep = {.err = REPORT_CREATED};
	char answer = 0;

	if (write(c->report_fd, &rep, sizeof(rep)) != sizeof(rep) ||
	    read(c->report_fd, &answer, 1) != 1 || answer != 'c') {
		snprintf(err, errlen, "the created stage failed");
		return -ECANCELED;
	}
	c->start_state = recv_start_state(c->report_fd);
	return hook_run_all(&c->spec->oci->hooks[OCI_HOOK_CREATE_CONTAINER], "createContainer",
			    oci_opts(c->opts)->state_json, err, errlen);
}

static int child_namespaces(const struct spec *spec, char *err, int errlen)
{
	int flags = ns_oci_new_flags(spec->oci), rest = flags & ~oci_clone_flags(spec), r;

	/* Root in a user namespace of our own, where the maps have a root. */
	if (flags & CLONE_NEWUSER && setresgid(0, 0, 0) == 0)
		(void)!setresuid(0, 0, 0);
	r = ns_oci_join(spec->oci, run.ns_fds, err, errlen);
	if (r < 0)
		return r;
	if (run.ns_fds[OCI_NS_USER] >= 0 && setresgid(0, 0, 0) == 0)
		(void)!setresuid(0, 0, 0);
	ns_oci_close(run.ns_fds);
	if (rest && unshare(rest) < 0) {
		snprintf(err, errlen, "unshare its namespaces: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int child_setup(struct child *c, char *err, int errlen)
{
	const struct spec *spec = c->spec;
	const struct spec_oci *oci = spec->oci;
	const struct rt_oci *o = oci_opts(c->opts);
	int r;

	r = ct_child_stdio(c->opts, err, errlen);
	if (r == 0)
		r = rootfs_child_setup_oci(spec, c->opts, before_pivot, c, err, errlen);
	if (r < 0)
		return r;
	if (spec->hostname && spec->hostname[0] &&
	    sethostname(spec->hostname, strlen(spec->hostname)) < 0) {
		snprintf(err, errlen, "sethostname '%s': %s", spec->hostname, strerror(errno));
		return -errno;
	}
	if (oci->domainname && setdomainname(oci->domainname, strlen(oci->domainname)) < 0) {
		snprintf(err, errlen, "setdomainname '%s': %s", oci->domainname, strerror(errno));
		return -errno;
	}
	/* A joined network namespace is someone else's: as it is. */
	if (ns_oci_new_flags(oci) & CLONE_NEWNET) {
		r = net_link_up("lo");
		if (r < 0) {
			snprintf(err, errlen, "bring up lo: %s", strerror(-r));
			return r;
		}
	}
	if (oci->terminal) {
		r = console_child_setup(oci, o->console_fd, err, errlen);
		close(o->console_fd);
		if (r < 0)
			return r;
	}
	return ct_enter_workdir(spec, err, errlen);
}

/* Whether ARGV[0] names a file to exec, in the payload's PATH when it has no slash: as
 * runc does, a missing program fails create (or exec) with its reason, rather than the
 * started process exiting 127 where an engine takes it for the program's own status. */
static int find_payload(char *const argv[], char *const env[], char *err, int errlen)
{
	const char *path = ct_env_path(env);
	char buf[PATH_MAX];
	struct stat st;

	if (strchr(argv[0], '/')) {
		if (stat(argv[0], &st) == 0)
			return 0;
		snprintf(err, errlen, "exec '%s': %s", argv[0], strerror(errno));
		return -errno;
	}
	while (ct_path_next(&path, argv[0], buf, sizeof(buf)))
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
	snprintf(err, errlen, "exec '%s': not found in PATH", argv[0]);
	return -ENOENT;
}

/* create: tell the parent we are ready, then block until `start` opens the fifo for
 * reading. Its fds go at the payload's exec. */
static int wait_start(const struct child *c, int fifo, char *err, int errlen)
{
	struct report rep = {.err = REPORT_READY};
	char path[32];
	int fd;

	if (write(c->report_fd, &rep, sizeof(rep)) != sizeof(rep)) {
		snprintf(err, errlen, "report ready: %s", strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fifo);
	do
		fd = open(path, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	close(fifo);
	if (fd < 0) {
		snprintf(err, errlen, "open the exec fifo: %s", strerror(errno));
		return -errno;
	}
	/* Left open (CLOEXEC): `start` reads to its end, which is our exec, so that its
	 * poststart hooks come after startContainer's and the payload's exec. */
	(void)!write(fd, "0", 1);
	return 0;
}

/* The process: with no_new_privs off, seccomp(2) needs CAP_SYS_ADMIN, so the filter goes
 * on before the capabilities are dropped (runc's order); with it on, last. */
static int apply_process(const struct spec_oci *oci, char *err, int errlen)
{
	unsigned flags = oci->seccomp ? seccomp_oci_flags(oci->seccomp) : 0;
	int r = 0;

	fds_cloexec_from(3);
	if (run.have_filter && !oci->no_new_privileges)
		r = seccomp_install_flags(&run.bpf, flags, err, errlen);
	if (r == 0)
		r = caps_child_apply_oci(oci, err, errlen);
	if (r == 0 && run.have_filter && oci->no_new_privileges)
		r = seccomp_install_flags(&run.bpf, flags, err, errlen);
	return r;
}

/* --preserve-fds: every fd above 2 goes but KEEP and fds 3..3+N-1, the caller's. None of
 * ours can be among those (oci_preserve_fds checked them open before we opened any): if
 * one is, something broke that promise, and the container must not see it. */
static void close_fds(const struct rt_oci *o, const int *keep, size_t n)
{
	unsigned first = 3 + o->preserve_fds;

	for (size_t i = 0; i < n; i++)
		if (keep[i] >= 3 && (unsigned)keep[i] < first)
			_exit(1);
	fds_close_except_from(first, keep, n);
}

/* Just before the payload's execve: the preserved fds pass (everything else is CLOEXEC). */
static void pass_preserved(const struct rt_oci *o)
{
	for (unsigned k = 0; k < o->preserve_fds; k++)
		fcntl(3 + (int)k, F_SETFD, 0);
}

_Noreturn void oci_child_main(const struct spec *spec, const struct rt_opts *opts, int report_fd)
{
	const struct rt_oci *o = oci_opts(opts);
	struct child c = {spec, opts, report_fd, NULL};
	struct report rep = {0};
	bool ready = false, two_stage = nsj_two_stage(spec->oci);
	char **env, go, err[8];
	int keep[6 + OCI_NS_COUNT] = {report_fd,      opts->stdio[0], opts->stdio[1],
				      opts->stdio[2], o->start_fd,    o->console_fd};

	memcpy(keep + 6, run.ns_fds, sizeof(run.ns_fds));
	close_fds(o, keep, ARRAY_SIZE(keep));
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* Returns in the second stage, the container's process, only. */
	if (two_stage)
		nsj_child(spec, run.ns_fds, report_fd);
	/* As container.c's child: no controlling tty of the caller's, not dumpable. */
	if (setsid() < 0)
		_exit(1);
	if (read(report_fd, &go, 1) != 1)
		_exit(1);
	if (two_stage)
		rep.err = nsj_child_last(spec, rep.msg, sizeof(rep.msg));
	else
		rep.err = child_namespaces(spec, rep.msg, sizeof(rep.msg));
	if (rep.err == 0)
		rep.err = child_setup(&c, rep.msg, sizeof(rep.msg));
	if (rep.err == 0)
		rep.err = ct_recv_filter(run.have_filter, report_fd, &run.bpf, rep.msg,
					 sizeof(rep.msg));
	else
		ct_recv_filter(run.have_filter, report_fd, &run.bpf, err, sizeof(err));
	env = strv_copy(spec->run_env);
	if (rep.err == 0 && !env) {
		rep.err = -ENOMEM;
		snprintf(rep.msg, sizeof(rep.msg), "environment: %s", strerror(ENOMEM));
	}
	if (rep.err == 0)
		rep.err = find_payload(spec->argv, env, rep.msg, sizeof(rep.msg));
	if (rep.err == 0 && o->start_fd >= 0) {
		rep.err = wait_start(&c, o->start_fd, rep.msg, sizeof(rep.msg));
		ready = true;
	}
	/* The hooks' binary is the image's: it runs as the process, after its user, groups,
	 * capabilities and filter (runc's order), never with the runtime's privileges. */
	if (rep.err == 0)
		rep.err = apply_process(spec->oci, rep.msg, sizeof(rep.msg));
	if (rep.err == 0)
		rep.err = hook_run_all(
			&spec->oci->hooks[OCI_HOOK_START_CONTAINER], "startContainer",
			c.start_state ? c.start_state : o->state_json, rep.msg, sizeof(rep.msg));
	if (rep.err == 0) {
		signals_reset();
		pass_preserved(o);
		_exit(rt_exec_payload(spec->argv, env, ready ? -1 : report_fd));
	}
	/* Once create has returned, nobody reads the report: the container's stderr does. */
	if (ready)
		dprintf(2, "kbox: %s: %s\n", spec->name, rep.msg);
	else
		(void)!write(report_fd, &rep, sizeof(rep));
	_exit(1);
}

static int all_flags(const struct spec_oci *oci)
{
	int flags = 0;

	for (int t = 0; t < OCI_NS_COUNT; t++)
		if (oci->ns[t].set)
			flags |= ns_clone_flag(t);
	return flags;
}

/* The relay's and its child's word to oci_exec, which waits for it: a failure's text, or
 * nothing at the payload's exec, which closes it (CLOEXEC). */
static int relay_word_fd = -1;

static _Noreturn void relay_fail(const struct spec *spec, const char *what, const char *why)
{
	if (relay_word_fd < 0 || dprintf(relay_word_fd, "%s: %s", what, why) < 0)
		fprintf(stderr, "kbox: %s: exec: %s: %s\n", spec->name, what, why);
	_exit(125);
}

/* runc exec's relay: the client's stdio, the cgroup, rlimits, every namespace of the
 * container, the process of --process; then its child in the pid namespace execs. */
static _Noreturn void relay_main(const struct spec *spec, const struct rt_opts *opts, int pidfd,
				 const int fds[3], char *const argv[])
{
	const struct spec_oci *oci = spec->oci;
	const struct rt_oci *o = oci_opts(opts);
	const int keep[] = {fds[0],	   fds[1], fds[2],	 opts->cgroup_fd,
			    o->console_fd, pidfd,  relay_word_fd};
	char err[256] = "", **env;
	int status;
	pid_t child;

	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	close_fds(o, keep, ARRAY_SIZE(keep));
	for (int i = 0; i < 3; i++)
		if (dup2(fds[i], i) < 0)
			_exit(125);
	for (int i = 0; i < 3; i++) {
		struct stat st;

		if (fstat(i, &st) == 0 && S_ISDIR(st.st_mode))
			relay_fail(spec, "stdio", "a directory would lead out of the root");
	}
	for (int i = 0; i < 3; i++)
		if (fds[i] > 2 && fds[i] != opts->cgroup_fd && fds[i] != o->console_fd &&
		    fds[i] != pidfd && fds[i] != relay_word_fd)
			close(fds[i]);
	/* -1: a v1 host's caller has joined its controllers already. */
	if (opts->cgroup_fd >= 0) {
		if (write_file(opts->cgroup_fd, "cgroup.procs", "0") < 0)
			relay_fail(spec, "join its cgroup", strerror(errno));
		close(opts->cgroup_fd);
	}
	if (caps_parent_rlimits(0, spec) < 0)
		_exit(125);
	/* Through our own /proc: in the container's, we (not in its pid namespace) have no
	 * /proc/self. Our child inherits it. */
	if (set_oom_score_adj(oci, 0, err, sizeof(err)) < 0)
		relay_fail(spec, "process", err);
	/* Through the pidfd checked before the fork, never the pid: that may be reused. */
	if (setns(pidfd, all_flags(oci)) < 0)
		relay_fail(spec, "join its namespaces", strerror(errno));
	close(pidfd);
	if (setsid() < 0)
		relay_fail(spec, "setsid", strerror(errno));
	if (oci->terminal) {
		if (console_child_setup(oci, o->console_fd, err, sizeof(err)) < 0)
			relay_fail(spec, "console", err);
		close(o->console_fd);
	}
	env = strv_copy(spec->run_env);
	if (!env)
		relay_fail(spec, "environment", strerror(ENOMEM));
	if (ct_enter_workdir(spec, err, sizeof(err)) < 0 ||
	    apply_process(oci, err, sizeof(err)) < 0)
		relay_fail(spec, "process", err);
	if (find_payload(argv, env, err, sizeof(err)) < 0)
		relay_fail(spec, "process", err);
	child = fork();
	if (child == 0) {
		signals_reset();
		pass_preserved(o);
		ct_exec_payload(argv, env);
		snprintf(err, sizeof(err), "exec '%s'", argv[0]);
		relay_fail(spec, err, strerror(errno));
	}
	if (child < 0)
		relay_fail(spec, "fork", strerror(errno));
	close(relay_word_fd);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	_exit(rt_exit_code(status));
}

/* The relay, once its child has exec'd the process (runc's exec returns then, too): a
 * program that is not there, or any step of the relay that failed, is this exec's error,
 * not a status the process would seem to have exited with. */
static pid_t relay_start(const struct spec *spec, const struct rt_opts *opts, int pidfd,
			 const int fds[3], char *const argv[])
{
	char word[300];
	int word_fds[2];
	ssize_t n, len = 0;
	pid_t relay;

	if (pipe2(word_fds, O_CLOEXEC) < 0)
		return log_errno(-errno, "%s: exec: pipe", spec->name);
	relay = fork();
	if (relay == 0) {
		close(word_fds[0]);
		relay_word_fd = word_fds[1];
		relay_main(spec, opts, pidfd, fds, argv);
	}
	close(word_fds[1]);
	if (relay < 0) {
		close(word_fds[0]);
		return log_errno(-errno, "%s: exec: fork", spec->name);
	}
	while (len < (ssize_t)sizeof(word) - 1 &&
	       ((n = read(word_fds[0], word + len, sizeof(word) - 1 - len)) > 0 ||
		(n < 0 && errno == EINTR)))
		len += n > 0 ? n : 0;
	close(word_fds[0]);
	if (len == 0)
		return relay;
	word[len] = '\0';
	log_msg("%s: exec: %s", spec->name, word);
	while (waitpid(relay, NULL, 0) < 0 && errno == EINTR)
		;
	return -ENOEXEC;
}

pid_t oci_exec(const struct spec *spec, const struct rt_opts *opts, pid_t target, const int fds[3],
	       char *const argv[])
{
	const struct rt_oci *o = oci_opts(opts);
	char err[256];
	int r, pidfd = o->pidfd;

	if (!argv || !argv[0])
		argv = spec->argv;
	if (!argv || !argv[0]) {
		log_msg("%s: exec: no command to run", spec->name);
		return -EINVAL;
	}
	/* A pid that outlived its container may now be any process of ours. The pidfd is
	 * opened before /proc/PID is read and still names a live process after: then /proc/PID
	 * was its own. */
	if (pidfd < 0)
		pidfd = sys_pidfd_open(target, 0);
	if (pidfd < 0)
		return log_errno(-errno, "%s: exec: pidfd_open %d", spec->name, (int)target);
	r = ns_oci_target_ok(spec->oci, target, err, sizeof(err)) ? 0 : -ESRCH;
	if (r == 0 && sys_pidfd_send_signal(pidfd, 0) < 0) {
		snprintf(err, sizeof(err), "process %d: %s", (int)target, strerror(errno));
		r = -ESRCH;
	}
	if (r < 0) {
		log_msg("%s: exec: %s", spec->name, err);
		goto out;
	}
	if (spec->oci->terminal && o->console_fd < 0) {
		log_msg("%s: exec: process.terminal: needs a console socket", spec->name);
		r = -EINVAL;
		goto out;
	}
	run.have_filter = spec->oci->seccomp != NULL;
	if (run.have_filter) {
		r = seccomp_oci_build(spec->oci->seccomp, &run.bpf, err, sizeof(err));
		if (r < 0) {
			log_msg("%s: exec: linux.%s", spec->name, err);
			goto out;
		}
	}
	r = relay_start(spec, opts, pidfd, fds, argv);
out:
	/* The caller's stays the caller's. */
	if (pidfd != o->pidfd)
		close(pidfd);
	return r;
}
