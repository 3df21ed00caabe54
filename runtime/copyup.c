/* tmpcopyup (crun's): an image directory's contents copied into the tmpfs mounted over it,
 * walked by fd only (openat O_NOFOLLOW from the directory resolved in the root), bounded in
 * depth, entries and the tmpfs's free space. */
#include "copyup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../lib/util.h"

#define STR_(x) #x
#define STR(x) STR_(x)

struct walk {
	const char *dst; /* the mount's destination, for messages */
	size_t entries;
	char path[COPYUP_PATH_SHOWN]; /* where we are, below dst, for messages */
	char *err;
	int errlen;
};

static int fail(struct walk *w, int r, const char *name, const char *why)
{
	size_t n = strlen(w->path);

	/* The report has room for a line: the path's end says where, the reason why. */
	snprintf(w->err, w->errlen, "tmpcopyup %s: '%s%s%s%s': %s", w->dst, n > 60 ? "..." : "",
		 w->path + (n > 60 ? n - 60 : 0), n ? "/" : "", name, why);
	return r;
}

static int fail_errno(struct walk *w, int r, const char *name, const char *what)
{
	char why[160];

	snprintf(why, sizeof(why), "%s: %s", what, strerror(-r));
	return fail(w, r, name, why);
}

/* NEED bytes (or FULL: the kernel said ENOSPC) against what the tmpfs has left: its size=
 * option named, so that the message says what to change. */
static int no_room(struct walk *w, int dfd, const char *name, unsigned long long need, bool full)
{
	unsigned long long left = 0, size = 0;
	struct statvfs sv;
	char why[200];

	if (fstatvfs(dfd, &sv) == 0) {
		left = (unsigned long long)sv.f_bavail * sv.f_frsize;
		size = (unsigned long long)sv.f_blocks * sv.f_frsize;
	} else if (!full) {
		return 0;
	}
	if (!full && need <= left)
		return 0;
	if (full)
		snprintf(why, sizeof(why),
			 "the tmpfs is full (%llu of its %llu bytes free, or no "
			 "inode left): raise its size= or nr_inodes= option",
			 left, size);
	else
		snprintf(why, sizeof(why),
			 "%llu bytes do not fit in the tmpfs (%llu of its %llu "
			 "bytes free): raise its size= option",
			 need, left, size);
	return fail(w, -ENOSPC, name, why);
}

/* Extended attributes where the file systems allow (trusted.* needs CAP_SYS_ADMIN, a
 * tmpfs takes no security.* but those the LSM knows): what is refused is skipped. */
static void copy_xattrs(int sfd, int dfd)
{
	char names[4096], val[4096];
	ssize_t n = flistxattr(sfd, names, sizeof(names));

	for (ssize_t i = 0; i > -1 && i < n; i += strlen(names + i) + 1) {
		ssize_t v = fgetxattr(sfd, names + i, val, sizeof(val));

		if (v >= 0)
			(void)fsetxattr(dfd, names + i, val, v, 0);
	}
}

/* Owner, then mode (chown clears set-id bits), then times: of NAME in DFD, a symlink's
 * own. */
static int copy_meta(struct walk *w, int dfd, const char *name, const struct stat *st)
{
	struct timespec t[2] = {st->st_atim, st->st_mtim};

	if (fchownat(dfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return fail_errno(w, -errno, name, "chown");
	if (!S_ISLNK(st->st_mode) && fchmodat(dfd, name, st->st_mode & 07777, 0) < 0)
		return fail_errno(w, -errno, name, "chmod");
	utimensat(dfd, name, t, AT_SYMLINK_NOFOLLOW);
	return 0;
}

static int copy_file(struct walk *w, int sdir, int ddir, const char *name, const struct stat *st)
{
	_cleanup_close_ int sfd = -1, dfd = -1;
	char buf[65536];
	struct stat now;
	ssize_t n;
	int r;

	/* O_NONBLOCK: if the name became a fifo meanwhile, the open does not hang. */
	sfd = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (sfd < 0)
		return fail_errno(w, -errno, name, "open");
	if (fstat(sfd, &now) < 0 || !S_ISREG(now.st_mode) || now.st_ino != st->st_ino)
		return fail(w, -EAGAIN, name, "changed while it was copied");
	r = no_room(w, ddir, name, now.st_size, false);
	if (r < 0)
		return r;
	dfd = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (dfd < 0)
		return errno == ENOSPC ? no_room(w, ddir, name, 0, true)
				       : fail_errno(w, -errno, name, "create");
	/* Never more than the size seen: a file that grows cannot fill the tmpfs past it. */
	for (off_t left = now.st_size; left > 0; left -= n) {
		n = read(sfd, buf, left < (off_t)sizeof(buf) ? (size_t)left : sizeof(buf));
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n < 0)
			return fail_errno(w, -errno, name, "read");
		if (n == 0)
			break;
		if (write_all(dfd, buf, n) < 0)
			return errno == ENOSPC ? no_room(w, ddir, name, now.st_size, true)
					       : fail_errno(w, -errno, name, "write");
	}
	copy_xattrs(sfd, dfd);
	return copy_meta(w, ddir, name, st);
}

static int copy_dir(struct walk *w, int sdir, int ddir, int depth);

static int copy_entry(struct walk *w, int sdir, int ddir, const char *name, int depth)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int r;

	if (++w->entries > COPYUP_ENTRIES_MAX)
		return fail(w, -E2BIG, name, "more than " STR(COPYUP_ENTRIES_MAX) " entries");
	if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail_errno(w, -errno, name, "stat");
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		/* A hard link is copied as a file of its own, as crun copies it. */
		return copy_file(w, sdir, ddir, name, &st);
	case S_IFDIR: {
		_cleanup_close_ int s = -1, d = -1;
		size_t len = strlen(w->path);

		if (depth + 1 > COPYUP_DEPTH_MAX)
			return fail(w, -ELOOP, name,
				    "deeper than " STR(COPYUP_DEPTH_MAX) " directories");
		if (mkdirat(ddir, name, 0700) < 0)
			return errno == ENOSPC ? no_room(w, ddir, name, 0, true)
					       : fail_errno(w, -errno, name, "mkdir");
		s = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		d = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s < 0 || d < 0)
			return fail_errno(w, -errno, name, "open");
		snprintf(w->path + len, sizeof(w->path) - len, "%s%s", len ? "/" : "", name);
		r = copy_dir(w, s, d, depth + 1);
		w->path[len] = '\0';
		if (r < 0)
			return r;
		copy_xattrs(s, d);
		return copy_meta(w, ddir, name, &st);
	}
	case S_IFLNK:
		/* As a link, never followed: its target means what it means in the container. */
		n = readlinkat(sdir, name, target, sizeof(target) - 1);
		if (n < 0)
			return fail_errno(w, -errno, name, "readlink");
		target[n] = '\0';
		if (symlinkat(target, ddir, name) < 0)
			return errno == ENOSPC ? no_room(w, ddir, name, 0, true)
					       : fail_errno(w, -errno, name, "symlink");
		return copy_meta(w, ddir, name, &st);
	case S_IFIFO:
	case S_IFSOCK:
	case S_IFCHR:
	case S_IFBLK:
		/* As what they are, as crun makes them: a node is what the device cgroup and the
		 * mount's nodev allow, wherever it is. */
		if (mknodat(ddir, name, st.st_mode & (S_IFMT | 0777), st.st_rdev) < 0)
			return fail_errno(w, -errno, name, "mknod");
		return copy_meta(w, ddir, name, &st);
	default:
		return fail(w, -EINVAL, name, "not a kind of file to copy");
	}
}

static int copy_dir(struct walk *w, int sdir, int ddir, int depth)
{
	int fd = openat(sdir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (fd < 0 || !(d = fdopendir(fd))) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return fail_errno(w, r, ".", "open");
	}
	while (r == 0 && (errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		r = copy_entry(w, sdir, ddir, de->d_name, depth);
	}
	if (r == 0 && errno)
		r = fail_errno(w, -errno, ".", "readdir");
	closedir(d);
	return r;
}

int copyup_tree(int src, int dst, const char *what, char *err, int errlen)
{
	struct walk w = {.dst = what, .err = err, .errlen = errlen};

	return copy_dir(&w, src, dst, 0);
}
