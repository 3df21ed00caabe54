/* A bundle's namespaces (linux.namespaces): which are new, which are joined by path, the
 * checks on those paths, and the joining. */
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/syscalls.h"
#include "../lib/util.h"

static const struct {
	int flag;
	const char *name; /* as /proc/PID/ns names it */
} types[OCI_NS_COUNT] = {
	[OCI_NS_PID] = {CLONE_NEWPID, "pid"},	       [OCI_NS_NET] = {CLONE_NEWNET, "net"},
	[OCI_NS_MNT] = {CLONE_NEWNS, "mnt"},	       [OCI_NS_IPC] = {CLONE_NEWIPC, "ipc"},
	[OCI_NS_UTS] = {CLONE_NEWUTS, "uts"},	       [OCI_NS_USER] = {CLONE_NEWUSER, "user"},
	[OCI_NS_CGROUP] = {CLONE_NEWCGROUP, "cgroup"}, [OCI_NS_TIME] = {CLONE_NEWTIME, "time"},
};

int ns_clone_flag(enum oci_ns type)
{
	return types[type].flag;
}

int ns_oci_new_flags(const struct spec_oci *oci)
{
	int flags = 0;

	for (int t = 0; t < OCI_NS_COUNT; t++)
		if (oci->ns[t].set && !oci->ns[t].path)
			flags |= types[t].flag;
	return flags;
}

/* /proc/PID/fd, /proc/PID/task/TID/fd: a link there is one of a process's open files, a
 * namespace it holds for its own reasons (the runtime's, PID 1's), never a config's. */
static bool is_fd_dir(const char *dir)
{
	const char *p;

	if (strncmp(dir, "/proc/", 6) != 0)
		return false;
	p = strchr(dir + 6, '/');
	if (p && strncmp(p, "/task/", 6) == 0)
		p = strchr(p + 6, '/');
	return p && strcmp(p, "/fd") == 0;
}

/* Follow PATH's own links (not the magic "net:[...]" one at the end) to see whether any
 * of them leads through an fd directory. */
static bool via_fd_dir(const char *path)
{
	char cur[PATH_MAX], dir[PATH_MAX], real[PATH_MAX], target[PATH_MAX];
	struct stat st;

	snprintf(cur, sizeof(cur), "%s", path);
	for (int hops = 0; hops < 40; hops++) {
		char *slash = strrchr(cur, '/');
		ssize_t n;

		snprintf(dir, sizeof(dir), "%.*s", slash && slash != cur ? (int)(slash - cur) : 1,
			 cur);
		if (!realpath(dir, real) || is_fd_dir(real))
			return true;
		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			return false;
		n = readlink(cur, target, sizeof(target) - 1);
		if (n < 0)
			return true;
		target[n] = '\0';
		if (target[0] != '/' && strstr(target, ":[")) /* nsfs: the namespace itself */
			return false;
		if (target[0] == '/')
			snprintf(cur, sizeof(cur), "%s", target);
		else if (snprintf(cur, sizeof(cur), "%s/%s", real, target) >= (int)sizeof(cur))
			return true;
	}
	return true;
}

static int open_ns(enum oci_ns t, const char *path, char *err, int errlen)
{
	int fd, type;

	if (via_fd_dir(path)) {
		snprintf(err, errlen,
			 "namespaces: %s: '%s' leads through a process's fd directory: refused",
			 types[t].name, path);
		return -EPERM;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "namespaces: %s: '%s': %s", types[t].name, path,
			 strerror(errno));
		return -errno;
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type != types[t].flag) {
		snprintf(err, errlen, "namespaces: %s: '%s' is not a %s namespace", types[t].name,
			 path, types[t].name);
		close(fd);
		return -EINVAL;
	}
	return fd;
}

void ns_oci_close(int fds[OCI_NS_COUNT])
{
	for (int t = 0; t < OCI_NS_COUNT; t++)
		if (fds[t] >= 0)
			close(take_fd(&fds[t]));
}

int ns_oci_open(const struct spec_oci *oci, int fds[OCI_NS_COUNT], char *err, int errlen)
{
	for (int t = 0; t < OCI_NS_COUNT; t++)
		fds[t] = -1;
	for (int t = 0; t < OCI_NS_COUNT; t++) {
		if (!oci->ns[t].set || !oci->ns[t].path)
			continue;
		fds[t] = open_ns(t, oci->ns[t].path, err, errlen);
		if (fds[t] < 0) {
			int r = fds[t];

			fds[t] = -1;
			ns_oci_close(fds);
			return r;
		}
	}
	return 0;
}

/* A user namespace without maps would leave us (and the payload) nobody in it, with
 * every capability over what it owns: refused, as the kernel would refuse a setuid. */
static bool has_maps(void)
{
	static const char *const maps[] = {"/proc/self/uid_map", "/proc/self/gid_map"};

	for (size_t i = 0; i < ARRAY_SIZE(maps); i++) {
		_cleanup_free_ char *text = NULL;
		size_t len = 0;

		if (read_file(AT_FDCWD, maps[i], &text, &len) < 0 || len == 0)
			return false;
	}
	return true;
}

int ns_oci_join(const struct spec_oci *oci, const int fds[OCI_NS_COUNT], char *err, int errlen)
{
	if (fds[OCI_NS_USER] >= 0) {
		if (setns(fds[OCI_NS_USER], CLONE_NEWUSER) < 0) {
			snprintf(err, errlen, "namespaces: join user '%s': %s",
				 oci->ns[OCI_NS_USER].path, strerror(errno));
			return -errno;
		}
		if (!has_maps()) {
			snprintf(err, errlen, "namespaces: user '%s' has no id maps",
				 oci->ns[OCI_NS_USER].path);
			return -EINVAL;
		}
	}
	for (int t = 0; t < OCI_NS_COUNT; t++) {
		if (fds[t] < 0 || t == OCI_NS_USER || t == OCI_NS_PID)
			continue;
		if (setns(fds[t], types[t].flag) < 0) {
			snprintf(err, errlen, "namespaces: join %s '%s': %s", types[t].name,
				 oci->ns[t].path, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static int ns_stat(const char *path, struct stat *st)
{
	return stat(path, st) < 0 ? -errno : 0;
}

bool ns_oci_target_ok(const struct spec_oci *oci, pid_t pid, char *err, int errlen)
{
	for (int t = 0; t < OCI_NS_COUNT; t++) {
		char theirs[64], ours[PATH_MAX];
		struct stat a, b;

		if (!oci->ns[t].set)
			continue;
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, types[t].name);
		snprintf(ours, sizeof(ours), "/proc/self/ns/%s", types[t].name);
		if (oci->ns[t].path)
			snprintf(ours, sizeof(ours), "%s", oci->ns[t].path);
		if (ns_stat(theirs, &a) < 0 || ns_stat(ours, &b) < 0) {
			snprintf(err, errlen, "namespaces: %s of process %d: %s", types[t].name,
				 (int)pid, strerror(errno));
			return false;
		}
		if ((a.st_dev == b.st_dev && a.st_ino == b.st_ino) != !!oci->ns[t].path) {
			snprintf(err, errlen,
				 "process %d is not the container: its %s namespace is %s",
				 (int)pid, types[t].name,
				 oci->ns[t].path ? "not the one joined" : "ours");
			return false;
		}
	}
	return true;
}
