/* The processes that keep a filesystem busy, found through /proc (working directory, root,
 * open files, mappings, mounts in other mount namespaces), and their stopping. */
#include "holders.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "loop.h"

/* /proc/PID/FILE's target, when it is on DEV: its path. */
static bool on_dev(dev_t dev, const char *proc, char *path, size_t len)
{
	struct stat st;
	ssize_t n;

	if (stat(proc, &st) < 0 || st.st_dev != dev)
		return false;
	n = readlink(proc, path, len - 1);
	path[n > 0 ? n : 0] = '\0';
	return true;
}

/* Undo mountinfo's octal escapes (\040 for a blank) in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

int holders_mounts(dev_t dev, const char *path, char ***v)
{
	_cleanup_free_ char *info = NULL;
	char want[32], *save = NULL;
	int r = read_file(AT_FDCWD, path, &info, NULL);

	if (r < 0)
		return r;
	snprintf(want, sizeof(want), "%u:%u", major(dev), minor(dev));
	for (char *line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char num[32], mnt[PATH_MAX];

		if (sscanf(line, "%*s %*s %31s %*s %4095s", num, mnt) != 2 || strcmp(num, want))
			continue;
		unescape(mnt);
		if (strv_push(v, mnt) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Why PID holds DEV's filesystem: cwd, root, an open file, a mapping, or a mount of it in
 * another mount namespace; false if it does not. */
static bool holds(dev_t dev, pid_t pid, const char *our_ns, char *what, size_t len)
{
	char proc[64], path[PATH_MAX], ns[64];
	_cleanup_free_ char *maps = NULL;
	char want[32], *save = NULL;
	ssize_t n;
	DIR *d;

	snprintf(proc, sizeof(proc), "/proc/%d/cwd", (int)pid);
	if (on_dev(dev, proc, path, sizeof(path)))
		return snprintf(what, len, "its working directory %.96s", path), true;
	snprintf(proc, sizeof(proc), "/proc/%d/root", (int)pid);
	if (on_dev(dev, proc, path, sizeof(path)))
		return snprintf(what, len, "its root %.96s", path), true;
	snprintf(proc, sizeof(proc), "/proc/%d/fd", (int)pid);
	if ((d = opendir(proc))) {
		struct dirent *de;
		bool found = false;

		while (!found && (de = readdir(d))) {
			char fd[96];

			if (de->d_name[0] == '.')
				continue;
			snprintf(fd, sizeof(fd), "/proc/%d/fd/%.32s", (int)pid, de->d_name);
			if ((found = on_dev(dev, fd, path, sizeof(path))))
				snprintf(what, len, "its open file %.80s (fd %.8s)", path,
					 de->d_name);
		}
		closedir(d);
		if (found)
			return true;
	}
	snprintf(proc, sizeof(proc), "/proc/%d/maps", (int)pid);
	snprintf(want, sizeof(want), "%02x:%02x", major(dev), minor(dev));
	if (read_file(AT_FDCWD, proc, &maps, NULL) == 0) {
		for (char *l = strtok_r(maps, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			char num[32];
			int at = 0;

			if (sscanf(l, "%*s %*s %*s %31s %*s %n", num, &at) == 1 &&
			    !strcmp(num, want))
				return snprintf(what, len, "its mapping of %.96s", l + at), true;
		}
	}
	/* A container's mount namespace keeps its own mounts of it (volumes) alive:
	 * unmounting ours would leave the filesystem in use there, and its journal open. */
	snprintf(proc, sizeof(proc), "/proc/%d/ns/mnt", (int)pid);
	n = readlink(proc, ns, sizeof(ns) - 1);
	if (n > 0 && (ns[n] = '\0', strcmp(ns, our_ns))) {
		char **mnts = NULL;

		snprintf(proc, sizeof(proc), "/proc/%d/mountinfo", (int)pid);
		if (holders_mounts(dev, proc, &mnts) == 0 && mnts && mnts[0]) {
			snprintf(what, len, "its mount namespace, where it is mounted on %.64s",
				 mnts[0]);
			strv_free(mnts);
			return true;
		}
		strv_free(mnts);
	}
	return false;
}

size_t holders_find(dev_t dev, struct holder *h, size_t max)
{
	char our_ns[64] = "";
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t n = 0;
	ssize_t len = readlink("/proc/self/ns/mnt", our_ns, sizeof(our_ns) - 1);

	if (len > 0)
		our_ns[len] = '\0';
	while (d && (de = readdir(d))) {
		_cleanup_free_ char *stat = NULL;
		char path[64], what[sizeof(h->what)], *open, *close;
		int pid = atoi(de->d_name), ppid;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		/* Kernel threads (children of kthreadd, pid 2) hold nothing of a filesystem. */
		if (pid <= 2 || read_file(AT_FDCWD, path, &stat, NULL) < 0 ||
		    !(open = strchr(stat, '(')) || !(close = strrchr(stat, ')')) ||
		    sscanf(close + 1, " %*c %d", &ppid) != 1 || ppid == 2)
			continue;
		if (!holds(dev, pid, our_ns, what, sizeof(what)))
			continue;
		if (n < max) {
			h[n].pid = pid;
			snprintf(h[n].comm, sizeof(h[n].comm), "%.*s", (int)(close - open - 1),
				 open + 1);
			snprintf(h[n].what, sizeof(h[n].what), "%s", what);
		}
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

size_t holders_stop(const struct holder *h, size_t n, int sig, unsigned ms)
{
	_cleanup_free_ struct pollfd *p = calloc(n ? n : 1, sizeof(*p));
	uint64_t deadline = now_ms() + ms;
	size_t left = 0;

	if (!p)
		return n;
	for (size_t i = 0; i < n; i++) {
		int fd = sys_pidfd_open(h[i].pid, 0);

		if (fd < 0)
			continue;
		kill(h[i].pid, sig);
		p[left].fd = fd;
		p[left++].events = POLLIN;
	}
	while (left) {
		uint64_t now = now_ms();
		size_t k = 0;

		if (now >= deadline || poll(p, left, deadline - now) < 0)
			break;
		for (size_t i = 0; i < left; i++) {
			if (p[i].revents)
				close(p[i].fd);
			else
				p[k++] = p[i];
		}
		left = k;
	}
	for (size_t i = 0; i < left; i++)
		close(p[i].fd);
	return left;
}
