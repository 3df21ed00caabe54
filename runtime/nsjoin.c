/* A bundle's two-stage start: the namespaces joined and made in the order their owners
 * need, then the container's process forked into them (runc's nsexec stages). */
#include "nsjoin.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "container.h"
#include "namespaces.h"
#include "userns.h"

/*
 * One clone cannot do these: a namespace joined by path needs the host's root, which a new
 * user namespace's member is not, so the joins come before unshare(CLONE_NEWUSER); and a pid
 * or time namespace owned by a joined user namespace exists only once a member of it has
 * made it, and only that member's children are in it. Offsets go into a time namespace
 * before anyone is in it: unshare(CLONE_NEWTIME) leaves us out of it, a clone3 would not.
 */
bool nsj_two_stage(const struct spec_oci *oci)
{
	int flags = ns_oci_new_flags(oci);

	if (oci->has_time_offsets)
		return true;
	if (oci->ns[OCI_NS_USER].path)
		return flags & (CLONE_NEWPID | CLONE_NEWTIME);
	if (!(flags & CLONE_NEWUSER))
		return false;
	/* A joined pid namespace is the parent's to join for its clone, as without a user
	 * namespace: it takes the child, which clone3 makes with the rest. */
	for (int t = 0; t < OCI_NS_COUNT; t++)
		if (oci->ns[t].path && t != OCI_NS_PID)
			return true;
	return false;
}

/* Root of the user namespace we are in, where the maps have a root. */
static void become_root(void)
{
	if (setresgid(0, 0, 0) == 0)
		(void)!setresuid(0, 0, 0);
}

/* What only the parent can do for us (REPORT_MAPS, REPORT_TIME): it answers 'y', or logs
 * why not and kills us. */
static int ask_parent(int fd, int what, char *err, int errlen)
{
	struct report rep = {.err = what};
	char answer = 0;

	if (write(fd, &rep, sizeof(rep)) != sizeof(rep) || read(fd, &answer, 1) != 1 ||
	    answer != 'y') {
		snprintf(err, errlen, "namespaces: the parent did not answer");
		return -ECANCELED;
	}
	return 0;
}

static int fail(int e, char *err, int errlen, const char *what)
{
	snprintf(err, errlen, "namespaces: %s: %s", what, strerror(e));
	return -e;
}

/* runc's order: the joins as the host's root (the pid namespace for our child), the user
 * namespace, its maps, then the rest, owned by it. */
static int first_stage(const struct spec *spec, int fds[OCI_NS_COUNT], int report_fd, char *err,
		       int errlen)
{
	const struct spec_oci *oci = spec->oci;
	int flags = ns_oci_new_flags(oci), r;

	if (fds[OCI_NS_PID] >= 0 && setns(fds[OCI_NS_PID], CLONE_NEWPID) < 0) {
		int e = errno;

		snprintf(err, errlen, "namespaces: join pid '%s': %s", oci->ns[OCI_NS_PID].path,
			 strerror(e));
		return -e;
	}
	r = ns_oci_join(oci, fds, err, errlen);
	ns_oci_close(fds);
	if (r < 0)
		return r;
	if (oci->ns[OCI_NS_USER].path)
		become_root();
	if (flags & CLONE_NEWUSER) {
		if (unshare(CLONE_NEWUSER) < 0)
			return fail(errno, err, errlen, "unshare its user namespace");
		r = ask_parent(report_fd, REPORT_MAPS, err, errlen);
		if (r < 0)
			return r;
		become_root();
	}
	/* The cgroup namespace's root is the cgroup we are in: it waits for ours (on a v1
	 * host the parent moves the container's process into it after the fork). */
	flags &= ~(CLONE_NEWUSER | CLONE_NEWCGROUP);
	if (flags && unshare(flags) < 0)
		return fail(errno, err, errlen, "unshare its namespaces");
	if (oci->has_time_offsets)
		r = ask_parent(report_fd, REPORT_TIME, err, errlen);
	return r;
}

/* The container's process, the parent's child as if the parent had made it, so that it
 * waits for it and its pid is one of its own namespace. */
static pid_t spawn(void)
{
	struct clone_args args = {.flags = CLONE_PARENT};
	pid_t pid = sys_clone3(&args);

	if (pid < 0 && errno == ENOSYS)
		pid = syscall(SYS_clone, CLONE_PARENT, NULL, NULL, NULL, NULL);
	return pid;
}

void nsj_child(const struct spec *spec, int fds[OCI_NS_COUNT], int report_fd)
{
	struct report rep = {0};
	pid_t pid;

	rep.err = first_stage(spec, fds, report_fd, rep.msg, sizeof(rep.msg));
	if (rep.err == 0) {
		pid = spawn();
		if (pid == 0)
			return;
		if (pid < 0) {
			rep.err = fail(errno, rep.msg, sizeof(rep.msg),
				       "fork the container's process");
		} else {
			rep.err = REPORT_SPAWNED;
			snprintf(rep.msg, sizeof(rep.msg), "%d", (int)pid);
		}
	}
	(void)!write(report_fd, &rep, sizeof(rep));
	_exit(rep.err == REPORT_SPAWNED ? 0 : 1);
}

int nsj_child_last(const struct spec *spec, char *err, int errlen)
{
	if (!(ns_oci_new_flags(spec->oci) & CLONE_NEWCGROUP) || unshare(CLONE_NEWCGROUP) == 0)
		return 0;
	return fail(errno, err, errlen, "unshare its cgroup namespace");
}

/* linux.timeOffsets into the first stage's time namespace for its children, one clock a
 * write so that a refusal names its clock. */
static int write_offsets(pid_t pid, const struct spec *spec)
{
	const struct spec_oci *oci = spec->oci;
	const struct {
		const char *name;
		int64_t secs;
		uint32_t nsecs;
	} clocks[] = {
		{"monotonic", oci->monotonic_secs, oci->monotonic_nsecs},
		{"boottime", oci->boottime_secs, oci->boottime_nsecs},
	};
	char path[48], line[64];
	int r;

	snprintf(path, sizeof(path), "/proc/%d/timens_offsets", (int)pid);
	for (size_t i = 0; i < ARRAY_SIZE(clocks); i++) {
		snprintf(line, sizeof(line), "%s %" PRId64 " %" PRIu32 "\n", clocks[i].name,
			 clocks[i].secs, clocks[i].nsecs);
		r = write_file(AT_FDCWD, path, line);
		/* ERANGE: the clock would go below 0 or past KTIME_SEC_MAX / 2. */
		if (r == -ERANGE || r == -EINVAL)
			return log_errno(r,
					 "%s: linux.timeOffsets.%s: %" PRId64 " s %" PRIu32
					 " ns: the kernel refuses a clock it would put below 0 "
					 "or past its bound",
					 spec->name, clocks[i].name, clocks[i].secs,
					 clocks[i].nsecs);
		if (r < 0)
			return log_errno(r, "%s: linux.timeOffsets: write '%s'", spec->name, path);
	}
	return 0;
}

/* The next word of the first stage, or its end: -EPIPE when it is gone without one. */
static int next_report(int fd, int pidfd, struct report *rep)
{
	struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
	ssize_t n;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		/* Its last word comes before its exit: the socket first. */
		if (p[0].revents) {
			n = recv(fd, rep, sizeof(*rep), MSG_DONTWAIT);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n == sizeof(*rep))
				return 0;
			return n < 0 ? -errno : -EPIPE;
		}
		/* Exited, yet the socket is open: the container's process holds it. */
		if (p[1].revents)
			return -EPIPE;
	}
}

/* The first stage's child, CLONE_PARENT: ours, and not reaped, so that its pid is its own
 * still. Then the first stage, which has exited, is reaped. */
static int take_child(pid_t *pid, const struct spec *spec, const char *msg)
{
	siginfo_t si = {0};
	char *end;
	long child = strtol(msg, &end, 10);

	if (child <= 0 || *end || waitid(P_PID, child, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
		log_msg("%s: namespaces: '%s' is not a child of ours", spec->name, msg);
		return -ESRCH;
	}
	while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
		;
	*pid = child;
	return 0;
}

int nsj_parent(pid_t *pid, const struct spec *spec, int report_fd)
{
	_cleanup_close_ int pidfd = sys_pidfd_open(*pid, 0);
	struct report rep;
	int r;

	if (pidfd < 0)
		return log_errno(-errno, "%s: namespaces: pidfd_open %d", spec->name, (int)*pid);
	for (;;) {
		r = next_report(report_fd, pidfd, &rep);
		if (r < 0)
			return log_errno(r, "%s: namespaces: the first stage ended without a word",
					 spec->name);
		rep.msg[sizeof(rep.msg) - 1] = '\0';
		if (rep.err < 0) {
			log_msg("%s: %s", spec->name, rep.msg);
			return rep.err;
		}
		if (rep.err == REPORT_SPAWNED)
			return take_child(pid, spec, rep.msg);
		if (rep.err == REPORT_MAPS)
			r = userns_parent_map_oci(*pid, spec);
		else if (rep.err == REPORT_TIME)
			r = write_offsets(*pid, spec);
		else
			r = log_errno(-EPROTO, "%s: namespaces: word %d of the first stage",
				      spec->name, rep.err);
		if (r < 0)
			return r;
		if (send(report_fd, "y", 1, MSG_NOSIGNAL) != 1)
			return log_errno(-errno, "%s: namespaces: answer the first stage",
					 spec->name);
	}
}
