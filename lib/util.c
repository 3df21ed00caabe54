/* Small helpers: whole reads and writes, mkdir -p, string vectors, the signal mask. */
#include "util.h"
#include "syscalls.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int read_file(int dirfd, const char *path, char **ret_buf, size_t *ret_len)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return read_fd(fd, ret_buf, ret_len);
}

int read_fd(int fd, char **ret_buf, size_t *ret_len)
{
	return read_fd_max(fd, SIZE_MAX / 4, ret_buf, ret_len);
}

int read_fd_max(int fd, size_t max, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	char *buf, *nbuf;

	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (cap - len < 2) {
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -errno;
		}
		if (n == 0)
			break;
		len += n;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[len] = '\0';
	*ret_buf = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

int write_file(int dirfd, const char *path, const char *val)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return write_all(fd, val, strlen(val));
}

int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

void signals_reset(void)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void signals_block_all(sigset_t *ret_old)
{
	sigset_t all;

	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigprocmask(SIG_SETMASK, &all, ret_old);
}

int signals_fd(const sigset_t *mask, int flags, sigset_t *ret_old)
{
	sigset_t cur;
	int fd;

	if (!mask) {
		sigprocmask(SIG_BLOCK, NULL, &cur);
		mask = &cur;
	}
	sigprocmask(SIG_BLOCK, mask, ret_old);
	fd = signalfd(-1, mask, flags);
	return fd < 0 ? -errno : fd;
}

size_t strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

int strv_push(char ***v, const char *s)
{
	size_t n = strv_len(*v);
	char **nv = realloc(*v, (n + 2) * sizeof(char *));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[n] = strdup(s);
	if (!nv[n]) {
		nv[n] = NULL;
		return -ENOMEM;
	}
	nv[n + 1] = NULL;
	return 0;
}

void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

char **strv_copy(char *const *v)
{
	char **r = calloc(1, sizeof(char *));

	for (size_t i = 0; r && v && v[i]; i++) {
		if (strv_push(&r, v[i]) < 0) {
			strv_free(r);
			return NULL;
		}
	}
	return r;
}

void rm_contents(int dir, dev_t dev)
{
	int dup_fd = fcntl(dir, F_DUPFD_CLOEXEC, 3);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dir, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != dev)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dir, de->d_name, O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

			if (sub >= 0) {
				rm_contents(sub, dev);
				close(sub);
			}
			unlinkat(dir, de->d_name, AT_REMOVEDIR);
		} else {
			unlinkat(dir, de->d_name, 0);
		}
	}
	closedir(d);
}

void fds_cloexec_from(int first)
{
	struct rlimit rl;
	struct dirent *de;
	DIR *d;

	if (sys_close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	/* Before Linux 5.11: mark what /proc lists, or else every possible fd. */
	d = opendir("/proc/self/fd");
	if (d) {
		while ((de = readdir(d))) {
			int fd = atoi(de->d_name);

			if (fd >= first && fd != dirfd(d))
				fcntl(fd, F_SETFD, FD_CLOEXEC);
		}
		closedir(d);
		return;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		rl.rlim_cur = 65536;
	for (int fd = first; fd < (int)rl.rlim_cur; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static bool kept(int fd, const int *keep, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keep[i] == fd)
			return true;
	return false;
}

void fds_close_except(const int *keep, size_t n)
{
	fds_close_except_from(3, keep, n);
}

void fds_close_except_from(unsigned first, const int *keep, size_t n)
{
	unsigned from = first;
	struct rlimit rl;
	int next;

	/* close_range over the gaps between the kept fds, lowest first. */
	for (;;) {
		next = -1;
		for (size_t i = 0; i < n; i++)
			if (keep[i] >= (int)from && (next < 0 || keep[i] < next))
				next = keep[i];
		if (next < 0)
			break;
		if (next > (int)from && sys_close_range(from, next - 1, 0) < 0)
			goto fallback;
		from = next + 1;
	}
	if (sys_close_range(from, ~0U, 0) == 0)
		return;
fallback:
	/* Before Linux 5.9: every possible fd. */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > (1 << 20))
		rl.rlim_cur = 1 << 20;
	for (int fd = first; fd < (int)rl.rlim_cur; fd++)
		if (!kept(fd, keep, n))
			close(fd);
}

/* procfs's symlinks are magic links, but for self and thread-self (and mounts and net). */
static bool is_magic(int fd, const char *name)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC && strcmp(name, "self") &&
	       strcmp(name, "thread-self") && strcmp(name, "mounts") && strcmp(name, "net");
}

/*
 * RESOLVE_IN_ROOT by hand where openat2 is missing (before Linux 5.6, and under valgrind):
 * one component at a time, every symlink read and resolved inside the root, '..' stopped
 * at it, a magic link refused. Only O_PATH, with O_NOFOLLOW or not. Unlike the kernel's it
 * cannot see a directory moved out of the root under its feet; the container's setup runs
 * with nothing of the container's running.
 */
static int walk_in_root(int rootfd, const char *path, bool nofollow)
{
	char buf[PATH_MAX], link[PATH_MAX], next_path[2 * PATH_MAX], name[NAME_MAX + 1];
	struct stat root, st;
	int cur, links = 0;
	const char *p = buf;

	if (fstat(rootfd, &root) < 0)
		return -errno;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (cur < 0)
		return -errno;
	for (;;) {
		const char *end;
		bool last;
		int next;
		ssize_t n;

		p += strspn(p, "/");
		if (!*p)
			return cur;
		end = p + strcspn(p, "/");
		last = end[strspn(end, "/")] == '\0';
		if (end - p > NAME_MAX) {
			close(cur);
			return -ENAMETOOLONG;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(end - p), p);
		p = end;
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..") &&
		    (fstat(cur, &st) < 0 || (st.st_dev == root.st_dev && st.st_ino == root.st_ino)))
			continue;
		next = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 || fstat(next, &st) < 0 || !S_ISLNK(st.st_mode) ||
		    (last && nofollow)) {
			int e = next < 0 ? -errno : 0;

			close(cur);
			if (e < 0)
				return e;
			cur = next;
			continue;
		}
		n = is_magic(next, name) || ++links > 40
			    ? -1
			    : readlinkat(next, "", link, sizeof(link) - 1);
		close(next);
		if (n < 0) {
			close(cur);
			return -ELOOP;
		}
		link[n] = '\0';
		if (snprintf(next_path, sizeof(next_path), "%s/%s", link, end) >=
		    (int)sizeof(buf)) {
			close(cur);
			return -ENAMETOOLONG;
		}
		memcpy(buf, next_path, strlen(next_path) + 1);
		p = buf;
		if (link[0] == '/') {
			close(cur);
			cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
			if (cur < 0)
				return -errno;
		}
	}
}

static int openat2_in_root(int rootfd, const char *path, int flags, unsigned long long resolve)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | resolve,
	};
	int fd, tries = 0;

	/* A '..' raced by a rename is EAGAIN: try again, a bounded number of times. */
	do
		fd = sys_openat2(rootfd, *path ? path : ".", &how);
	while (fd < 0 && errno == EAGAIN && ++tries < 64);
	if (fd < 0 && errno == ENOSYS && (flags & O_PATH))
		return walk_in_root(rootfd, path, flags & O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

/* Make the missing last component of PREFIX in its parent PARENT. */
static int make_in(int parent, const char *name, bool file)
{
	int fd;

	if (!file)
		return mkdirat(parent, name, 0755) < 0 && errno != EEXIST ? -errno : 0;
	fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	close(fd);
	return 0;
}

/*
 * One pass of the walk for open_in_root's create case, one component at a time: a missing
 * one is made; a dangling symlink's target is written into BUF (with the rest of the path)
 * for the next pass, which returns -EAGAIN. The fd of the whole path, or -errno.
 */
static int walk_create(int rootfd, char *buf, size_t len, enum in_root_create create)
{
	char prefix[PATH_MAX], target[PATH_MAX];
	const char *p = buf;
	int parent = -1, fd = -1;

	for (;;) {
		const char *end;
		bool last;
		struct stat st;
		ssize_t n;

		p += strspn(p, "/");
		end = p + strcspn(p, "/");
		last = end[strspn(end, "/")] == '\0';
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(end - buf), buf);
		fd = openat2_in_root(rootfd, prefix, O_PATH | O_NOFOLLOW, RESOLVE_NO_MAGICLINKS);
		if (fd == -ENOENT) {
			char name[NAME_MAX + 1];

			snprintf(name, sizeof(name), "%.*s", (int)(end - p), p);
			fd = make_in(parent >= 0 ? parent : rootfd, name,
				     last && create == IN_ROOT_MKDIR_FILE);
			if (fd == 0)
				fd = openat2_in_root(rootfd, prefix, O_PATH | O_NOFOLLOW,
						     RESOLVE_NO_MAGICLINKS);
		}
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
			int to = openat2_in_root(rootfd, prefix, O_PATH, RESOLVE_NO_MAGICLINKS);

			if (to != -ENOENT) {
				close(fd);
				fd = to;
			} else {
				/* Dangling: go on from where it points, inside the root. */
				n = readlinkat(fd, "", target, sizeof(target) - 1);
				close(fd);
				fd = n < 0 ? -errno : -EAGAIN;
				if (n >= 0) {
					int dir = (int)(p - buf);

					target[n] = '\0';
					if (snprintf(prefix, sizeof(prefix), "%.*s/%s%s",
						     target[0] == '/' ? 0 : dir, buf, target,
						     end) >= (int)sizeof(prefix) ||
					    strlen(prefix) >= len)
						fd = -ENAMETOOLONG;
					else
						memcpy(buf, prefix, strlen(prefix) + 1);
				}
			}
		}
		if (parent >= 0)
			close(parent);
		if (fd < 0 || last)
			return fd;
		parent = fd;
		p = end;
	}
}

int open_in_root(int rootfd, const char *path, enum in_root_create create)
{
	char buf[PATH_MAX];
	int fd = openat2_in_root(rootfd, path + strspn(path, "/"), O_PATH, RESOLVE_NO_MAGICLINKS);

	if (fd != -ENOENT || create == IN_ROOT_OPEN)
		return fd;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	/* As many dangling symlinks as the kernel follows in one path (MAXSYMLINKS). */
	for (int i = 0; i <= 40; i++) {
		fd = walk_create(rootfd, buf, sizeof(buf), create);
		if (fd != -EAGAIN)
			return fd;
	}
	return -ELOOP;
}

/* Is PATH, or a symlink it leads through, a magic link? Walks it as the kernel would, one
 * component at a time, without following any magic link (RESOLVE_IN_ROOT never does). */
static bool magic_walk(int rootfd, const char *path, int depth)
{
	char prefix[PATH_MAX], target[PATH_MAX];
	const char *p = path;

	while (depth <= 40) {
		const char *end, *name;
		struct stat st;
		ssize_t n;
		int fd;

		p += strspn(p, "/");
		if (!*p)
			return false;
		end = p + strcspn(p, "/");
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(end - path), path);
		fd = openat2_in_root(rootfd, prefix, O_PATH | O_NOFOLLOW, 0);
		if (fd < 0)
			return false;
		if (fstat(fd, &st) < 0 || !S_ISLNK(st.st_mode)) {
			close(fd);
			p = end;
			continue;
		}
		name = prefix + (p - path);
		if (is_magic(fd, name)) {
			close(fd);
			return true;
		}
		n = readlinkat(fd, "", target, sizeof(target) - 1);
		close(fd);
		if (n < 0)
			return false;
		target[n] = '\0';
		if (snprintf(prefix, sizeof(prefix), "%.*s/%s%s",
			     target[0] == '/' ? 0 : (int)(p - path), path, target,
			     end) >= (int)sizeof(prefix))
			return false;
		return magic_walk(rootfd, prefix, depth + 1);
	}
	return false;
}

bool in_root_magic(int rootfd, const char *path)
{
	return magic_walk(rootfd, path, 0);
}

/* The length of the UTF-8 character at S (of N bytes) if it is valid and not a C1
 * control, else 0. Overlong forms and surrogates are not valid: a lenient terminal
 * could read an overlong one as ESC. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xc2)
		lo = 0xa0; /* U+0080 to U+009F are the C1 controls (CSI is U+009B) */
	else if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

size_t str_escape(char *dst, size_t cap, const char *src, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	if (!cap)
		return 0;
	for (size_t i = 0; i < n;) {
		size_t len = s[i] < 0x80 ? 1 : utf8_len(s + i, n - i);
		bool plain =
			len > 1 || (len == 1 && (s[i] == '\t' || (s[i] >= 0x20 && s[i] < 0x7f)));

		if (plain) {
			if (o + len >= cap)
				break;
			memcpy(dst + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		if (o + 4 >= cap)
			break;
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[s[i] >> 4];
		dst[o++] = hex[s[i] & 15];
		i++;
	}
	dst[o] = '\0';
	return o;
}

int open_no_symlinks(const char *path, int flags)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	do
		fd = sys_openat2(AT_FDCWD, path, &how);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}
