/* Boot steps of PID 1: from the initramfs to a system containers can be started on. */
#include "boot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/sealed.h"
#include "../lib/util.h"
#include "../runtime/cgroup.h"
#include "../runtime/net/net.h"

#define NEWROOT "/.kbox-root"

extern char **environ;

/* The initial rootfs shows as type "rootfs" in mountinfo; anything else can pivot_root. */
static bool on_rootfs(void)
{
	_cleanup_free_ char *info = NULL;
	char *line;

	if (read_file(AT_FDCWD, "/proc/self/mountinfo", &info, NULL) < 0)
		return false;
	for (line = strtok(info, "\n"); line; line = strtok(NULL, "\n")) {
		char mnt[PATH_MAX], *sep;

		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 || strcmp(mnt, "/") != 0)
			continue;
		sep = strstr(line, " - ");
		return sep && strncmp(sep + 3, "rootfs ", 7) == 0;
	}
	return false;
}

/* Hard links in the initramfs (busybox in the root and in the image) stay links. */
struct link {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct copy {
	int newroot;
	dev_t dev;
	struct link *links;
	size_t nlinks;
	char path[PATH_MAX];
};

static int copy_file(int sdir, int ddir, const char *name, const struct stat *st)
{
	_cleanup_close_ int in = openat(sdir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	_cleanup_close_ int out = -1;
	off_t left = st->st_size;

	if (in < 0)
		return -errno;
	out = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st->st_mode & 07777);
	if (out < 0)
		return -errno;
	while (left > 0) {
		ssize_t n = sendfile(out, in, NULL, left);

		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		left -= n;
	}
	if (fchown(out, st->st_uid, st->st_gid) < 0 || fchmod(out, st->st_mode & 07777) < 0)
		return -errno;
	return 0;
}

static int copy_entry(struct copy *c, int sdir, int ddir, const char *name);

static int copy_dir(struct copy *c, int sdir, int ddir)
{
	int dup_fd = dup(sdir), r = 0;
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	struct dirent *de;

	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return -errno;
	}
	while (r == 0 && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		r = copy_entry(c, sdir, ddir, de->d_name);
	}
	closedir(d);
	return r;
}

/* A directory, filled unless it is a mount point (/proc is copied as an empty one). */
static int copy_subdir(struct copy *c, int sdir, int ddir, const char *name, const struct stat *st)
{
	_cleanup_close_ int s = -1, d = -1;
	int r;

	if (mkdirat(ddir, name, 0700) < 0)
		return -errno;
	if (st->st_dev == c->dev) {
		s = openat(sdir, name, O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		d = openat(ddir, name, O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (s < 0 || d < 0)
			return -errno;
		r = copy_dir(c, s, d);
		if (r < 0)
			return r;
	}
	if (fchownat(ddir, name, st->st_uid, st->st_gid, 0) < 0 ||
	    fchmodat(ddir, name, st->st_mode & 07777, 0) < 0)
		return -errno;
	return 0;
}

static const struct link *find_link(const struct copy *c, const struct stat *st)
{
	for (size_t i = 0; i < c->nlinks; i++)
		if (c->links[i].ino == st->st_ino && c->links[i].dev == st->st_dev)
			return &c->links[i];
	return NULL;
}

/* The inode's first name (at c->path), for its later names to link to. */
static int remember_link(struct copy *c, const struct stat *st)
{
	struct link *nl = realloc(c->links, (c->nlinks + 1) * sizeof(*nl));

	if (!nl)
		return -ENOMEM;
	c->links = nl;
	nl[c->nlinks].dev = st->st_dev;
	nl[c->nlinks].ino = st->st_ino;
	nl[c->nlinks].path = strdup(c->path);
	if (!nl[c->nlinks++].path)
		return -ENOMEM;
	return 0;
}

/* A regular file; a later name of a hard-linked one becomes a link to its first. */
static int copy_regular(struct copy *c, int sdir, int ddir, const char *name, const struct stat *st)
{
	const struct link *l;
	int r;

	if (st->st_nlink > 1) {
		l = find_link(c, st);
		if (l)
			return linkat(c->newroot, l->path + 1, ddir, name, 0) < 0 ? -errno : 0;
		r = remember_link(c, st);
		if (r < 0)
			return r;
	}
	return copy_file(sdir, ddir, name, st);
}

static int copy_symlink(int sdir, int ddir, const char *name, const struct stat *st)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(sdir, name, target, sizeof(target) - 1);

	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (symlinkat(target, ddir, name) < 0 ||
	    fchownat(ddir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return 0;
}

static int copy_node(int ddir, const char *name, const struct stat *st)
{
	if (mknodat(ddir, name, st->st_mode, st->st_rdev) < 0 ||
	    fchownat(ddir, name, st->st_uid, st->st_gid, 0) < 0)
		return -errno;
	return 0;
}

/* NAME of sdir into ddir, its owner and mode kept; c->path is its path in the old root. */
static int copy_entry(struct copy *c, int sdir, int ddir, const char *name)
{
	size_t plen = strlen(c->path);
	struct stat st;
	int r = 0;

	if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (snprintf(c->path + plen, sizeof(c->path) - plen, "/%s", name) >=
	    (int)(sizeof(c->path) - plen))
		return -ENAMETOOLONG;
	if (strcmp(c->path, NEWROOT) != 0) {
		switch (st.st_mode & S_IFMT) {
		case S_IFDIR:
			r = copy_subdir(c, sdir, ddir, name, &st);
			break;
		case S_IFREG:
			r = copy_regular(c, sdir, ddir, name, &st);
			break;
		case S_IFLNK:
			r = copy_symlink(sdir, ddir, name, &st);
			break;
		default:
			r = copy_node(ddir, name, &st);
			break;
		}
	}
	if (r < 0)
		log_errno(r, "cannot copy '%s' into the new root", c->path);
	c->path[plen] = '\0';
	return r;
}

int boot_switch_root(char **argv)
{
	struct copy c = {.newroot = -1};
	_cleanup_close_ int old = -1;
	struct stat st;
	int r;

	if (mkdir("/proc", 0555) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create /proc");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
	    errno != EBUSY)
		return log_errno(-errno, "cannot mount /proc");
	if (!on_rootfs()) {
		/* Booted from a disk, or the re-exec below: run from a sealed copy either way. */
		if (!sealed_running()) {
			r = sealed_exec("/proc/self/exe", argv);
			log_errno(r, "cannot re-exec from a sealed copy; going on from the file");
		}
		return 0;
	}

	/* pivot_root(2) cannot leave the initial rootfs: move everything into a tmpfs. */
	log_msg("/init started (boot +%.3f s), moving the initramfs into a tmpfs", boottime());
	umount2("/proc", MNT_DETACH);
	if (mkdir(NEWROOT, 0755) < 0 || mount("rootfs", NEWROOT, "tmpfs", 0, "mode=0755") < 0)
		return log_errno(-errno, "cannot mount a tmpfs on %s", NEWROOT);
	old = open("/", O_DIRECTORY | O_CLOEXEC);
	c.newroot = open(NEWROOT, O_DIRECTORY | O_CLOEXEC);
	if (old < 0 || c.newroot < 0 || fstat(old, &st) < 0)
		return log_errno(-errno, "cannot open the roots");
	c.dev = st.st_dev;
	r = copy_dir(&c, old, c.newroot);
	for (size_t i = 0; i < c.nlinks; i++)
		free(c.links[i].path);
	free(c.links);
	close(c.newroot);
	if (r < 0)
		return r;

	/* Free the initramfs' memory: what is on the rootfs itself, not below mounts. */
	rm_contents(old, c.dev);
	if (chdir(NEWROOT) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 ||
	    chdir("/") < 0)
		return log_errno(-errno, "cannot switch root to the tmpfs");
	/* A container must never reach a writable kbox through /proc/PID/exe (CVE-2019-5736). */
	r = sealed_exec("/init", argv);
	log_errno(r, "cannot re-exec /init from a sealed copy");
	execve("/init", argv, environ);
	return log_errno(-errno, "cannot re-exec /init in the new root");
}

static const struct mnt boot_mounts_table[] = {
	{"devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755"},
	{"devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620,ptmxmode=000"},
	{"shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"},
	{"sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL},
	{"cgroup2", CG_ROOT, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, "nsdelegate"},
	{"run", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"},
	{"tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"},
};

static void console_stdio(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
}

int boot_mounts(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(boot_mounts_table); i++) {
		const struct mnt *m = &boot_mounts_table[i];

		if (mkdir_p(m->dst, 0755) < 0)
			return log_errno(-errno, "cannot create '%s'", m->dst);
		if (mount(m->src, m->dst, m->type, m->flags, m->data) < 0 && errno != EBUSY)
			return log_errno(-errno, "cannot mount %s on '%s'", m->type, m->dst);
		if (strcmp(m->dst, "/dev") == 0)
			console_stdio();
	}
	/* Search but no listing for others: a container root in a user namespace is an
	 * unprivileged id here, and must reach /run/kbox/NAME/root to bind it. */
	if (mkdir_p(KBOX_STATE, 0711) < 0)
		return log_errno(-errno, "cannot create " KBOX_STATE);
	/* Images are the read-only lower layers of container roots. */
	if (mkdir_p(KBOX_IMAGES, 0755) < 0 ||
	    mount(KBOX_IMAGES, KBOX_IMAGES, NULL, MS_BIND | MS_REC, NULL) < 0 ||
	    mount(NULL, KBOX_IMAGES, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
		return log_errno(-errno, "cannot make " KBOX_IMAGES " read-only");
	return cg_setup_root();
}

int boot_identity(const char *hostname)
{
	int r;

	if (sethostname(hostname, strlen(hostname)) < 0)
		return log_errno(-errno, "cannot set hostname '%s'", hostname);
	r = net_link_up("lo");
	if (r < 0)
		return log_errno(r, "cannot bring up lo");
	return 0;
}
