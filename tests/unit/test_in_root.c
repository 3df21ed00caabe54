/* open_in_root: symlinks resolve inside the root, dangling ones get their target made there,
 * magic links are refused; fds_close_except keeps what it is told to. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/util.h"
#include "../tap.h"

static char top[PATH_MAX];

static void mk(const char *rel, bool dir)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	if (dir)
		mkdir(p, 0755);
	else
		close(open(p, O_CREAT | O_WRONLY, 0644));
}

static void ln(const char *target, const char *rel)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	symlink(target, p);
}

/* The fd names the file REL below the root. */
static bool same(int fd, const char *rel)
{
	char p[PATH_MAX + 64];
	struct stat a, b;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	return fd >= 0 && fstat(fd, &a) == 0 && lstat(p, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* Paths through the tree cases() makes, below its root: where each lands, or its error. */
struct resolve {
	const char *path;
	int how;
	const char *lands; /* below the root; NULL: the open fails with err */
	int err;
	const char *what;
};

static const struct resolve resolves[] = {
	{"/etc/resolv.conf", IN_ROOT_OPEN, "run/resolv.conf", 0,
	 "an absolute symlink resolves inside the root"},
	{"/etc/hosts", IN_ROOT_OPEN, NULL, -ENOENT, "a dangling one is ENOENT without create"},
	{"/etc/hosts", IN_ROOT_MKDIR_FILE, "run/missing/hosts", 0,
	 "with create, its target is made inside the root"},
	{"etc/rel", IN_ROOT_MKDIR_FILE, "var/dangling", 0,
	 "so is a relative one's, from the link's directory"},
	{"/escape/kbox-owned", IN_ROOT_MKDIR, "etc/kbox-owned", 0,
	 "'..' stops at the root: a climbing symlink lands inside"},
	{"/new/deep/dir", IN_ROOT_MKDIR, "new/deep/dir", 0, "missing directories are made"},
	{"/../../..", IN_ROOT_OPEN, ".", 0, "'..' from the root is the root"},
};

static void cases(void)
{
	char fdlink[64], path[PATH_MAX + 16];
	int root, fd, outside, slash;

	snprintf(top, sizeof(top), "%s/kbox-in-root-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(top))
		return;
	mk("etc", true);
	mk("run", true);
	mk("run/resolv.conf", false);
	ln("/run/resolv.conf", "etc/resolv.conf");
	ln("/run/missing/hosts", "etc/hosts");
	ln("../var/dangling", "etc/rel");
	ln("../../../../../../etc", "escape");
	ln("b", "a");
	ln("a", "b");
	outside = open("/", O_PATH | O_DIRECTORY);
	snprintf(fdlink, sizeof(fdlink), "/proc/self/fd/%d", outside);
	ln(fdlink, "tmp");
	ln("/proc/self/exe", "exe");
	root = open(top, O_PATH | O_DIRECTORY);

	for (size_t i = 0; i < ARRAY_SIZE(resolves); i++) {
		const struct resolve *c = &resolves[i];

		fd = open_in_root(root, c->path, c->how);
		if (c->lands)
			ok(same(fd, c->lands), "%s", c->what);
		else
			is_int(fd, c->err, "%s", c->what);
		if (fd >= 0)
			close(fd);
	}
	/* Magic links need a /proc in the root: the real / is that root here. */
	slash = open("/", O_PATH | O_DIRECTORY);
	snprintf(path, sizeof(path), "%s/tmp", top);
	is_int(open_in_root(slash, path, IN_ROOT_OPEN), -ELOOP,
	       "a symlink to /proc/self/fd/N (a directory outside) is refused");
	ok(in_root_magic(slash, path), "and known for a magic link");
	snprintf(path, sizeof(path), "%s/tmp/x", top);
	is_int(open_in_root(slash, path, IN_ROOT_MKDIR), -ELOOP, "also with create, midway");
	snprintf(path, sizeof(path), "%s/exe", top);
	is_int(open_in_root(slash, path, IN_ROOT_MKDIR_FILE), -ELOOP, "/proc/self/exe too");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", outside);
	is_int(open_in_root(slash, path, IN_ROOT_OPEN), -ELOOP, "and /proc/self/fd/N itself");
	fd = open_in_root(root, "/tmp/x", IN_ROOT_MKDIR);
	snprintf(path, sizeof(path), "proc/self/fd/%d/x", outside);
	ok(same(fd, path),
	   "in a root without a proc of its own the same link is just a path in it");
	close(fd);
	is_int(open_in_root(root, "/a", IN_ROOT_MKDIR), -ELOOP, "a symlink loop is ELOOP");
	ok(!in_root_magic(root, "/a"), "and not taken for a magic link");
	is_int(open_in_root(root, "/run/resolv.conf/x", IN_ROOT_MKDIR), -ENOTDIR,
	       "a file midway is ENOTDIR");
	close(root);
	close(slash);
	close(outside);
}

/* Is FD at or below the directory DIR? As /proc/self/fd tells where FD is. */
static bool inside(int fd, const char *dir)
{
	char link[64], at[PATH_MAX];
	size_t len = strlen(dir);
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, at, sizeof(at) - 1);
	if (n < 0)
		return false;
	at[n] = '\0';
	return !strncmp(at, dir, len) && (at[len] == '\0' || at[len] == '/');
}

/* Random trees of symlinks (climbing, absolute, relative, dangling, looping) and random
 * paths through them: whatever comes back is inside the root. */
static int property(unsigned seed, int rounds)
{
	static const char *const targets[] = {"..", "../..", "../../../..", "/",  "/a",	    "/a/b",
					      "b",  "../b",  "/nowhere/x",  "l0", "/l1/..", "."};
	static const char *const names[] = {"a", "b", "l0", "l1", "l2", "..", ".", "x"};
	int bad = 0;

	srand(seed);
	for (int r = 0; r < rounds; r++) {
		char dir[PATH_MAX + 32], p[PATH_MAX + 96], path[256] = "";
		int rootfd, fd;

		snprintf(dir, sizeof(dir), "%s/prop-%d", top, r);
		mkdir(dir, 0755);
		snprintf(p, sizeof(p), "%s/a", dir);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/a/b", dir);
		mkdir(p, 0755);
		for (int i = 0; i < 3; i++) {
			snprintf(p, sizeof(p), "%s/%sl%d", dir, rand() % 2 ? "a/" : "", i);
			symlink(targets[rand() % ARRAY_SIZE(targets)], p);
		}
		for (int i = 0, n = 1 + rand() % 6; i < n; i++) {
			strcat(path, "/");
			strcat(path, names[rand() % ARRAY_SIZE(names)]);
		}
		rootfd = open(dir, O_PATH | O_DIRECTORY);
		fd = open_in_root(rootfd, path, rand() % 3);
		if (fd >= 0 && !inside(fd, dir)) {
			printf("# %s: %s left the root\n", dir, path);
			bad++;
		}
		if (fd >= 0)
			close(fd);
		close(rootfd);
	}
	return bad;
}

static void cleanup(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	(void)!system(cmd);
}

/* Where openat2 is missing (valgrind, Linux < 5.6): a filter makes it ENOSYS. */
static int without_openat2(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {ARRAY_SIZE(insns), insns};

	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
			       prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0
		       ? -errno
		       : 0;
}

int main(void)
{
	int status,
		devnull = open(getenv("IN_ROOT_VERBOSE") ? "/dev/stdout" : "/dev/null", O_WRONLY);
	pid_t pid;

	cases();
	ok(!inside(open("/", O_PATH), top) && inside(open(top, O_PATH), top),
	   "the property's check tells / from the tree");
	is_int(property(1, 300), 0, "300 random trees and paths: nothing resolves out of the root");
	cleanup();
	fflush(stdout);
	/* The same cases through the walk by hand, in a child whose TAP lines are dropped. */
	pid = fork();
	if (pid == 0) {
		dup2(devnull, 1);
		if (without_openat2() < 0)
			_exit(2);
		cases();
		is_int(property(2, 300), 0, "by hand too");
		cleanup();
		fflush(stdout);
		_exit(tap_failed ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : 128, 0,
	       "without openat2 the walk by hand gives the same answers");

	/* In a child: the test's own fds are not ours to close. */
	if (fork() == 0) {
		int a = open("/", O_PATH), b = dup(a), c = dup(a);
		const int keep[] = {b, -1};

		fds_close_except(keep, 2);
		_exit(fcntl(a, F_GETFD) < 0 && fcntl(b, F_GETFD) >= 0 && fcntl(c, F_GETFD) < 0 &&
				      fcntl(1, F_GETFD) >= 0
			      ? 0
			      : 1);
	} else {
		wait(&status);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "fds_close_except closes every fd above 2 but the kept one");
	}
	return done();
}
