/* The container's root: its writable layer and the overlay (parent side), then /proc, /sys,
 * /dev, binds, masks and pivot_root (child side). */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "mntns.h"
#include "rootfs_internal.h"
#include "spec/oci.h"
#include "userns.h"

/* Child side: the copy of its overlay rootfs_child_take took from the keeper, or -1. */
static int taken_root = -1;
/* The image PID 1 found for the child to mount in the keeper (rootfs_prepare). */
static char child_lower[PATH_MAX];

int rootfs_fail(int r, char *err, int errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return r;
}

static void state_path(char *buf, size_t len, const struct spec *spec, const struct rt_opts *opts,
		       const char *leaf)
{
	snprintf(buf, len, "%s/%s/%s", opts->state, spec->name, leaf);
}

static int image_path(const struct spec *spec, const struct rt_opts *opts, char *buf, size_t len)
{
	char real[PATH_MAX];
	struct stat st;

	if (spec->image[0] == '/')
		snprintf(buf, len, "%s", spec->image);
	else
		snprintf(buf, len, "%s/%s", opts->images, spec->image);
	if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode)) {
		log_msg("%s: image: '%s' not found in %s", spec->name, spec->image,
			spec->image[0] == '/' ? "/" : opts->images);
		return -ENOENT;
	}
	/* The overlay holds the tree it was given, whatever the name leads to later: an image
	 * on the data disk is a link that kbox load swaps. Its real path is what the mount
	 * table shows, so that kbox load sees which trees are still in use. */
	if (!realpath(buf, real))
		return log_errno(-errno, "%s: image: '%s'", spec->name, buf);
	snprintf(buf, len, "%s", real);
	if (strpbrk(buf, ",:")) {
		log_msg("%s: image: path '%s' holds ',' or ':'", spec->name, buf);
		return -EINVAL;
	}
	return 0;
}

/*
 * The writable layer lives on a tmpfs of its own, STATE/NAME/layer, so a container that
 * fills its root fills only that, never /run and the logs beside it. It stays mounted
 * across restarts, as the upper layer does; a fresh one has never been shifted.
 */
static int layer_mount(const struct spec *spec, const char *layer, const char *marker, char *err,
		       int errlen)
{
	long long size = spec->storage_size ? spec->storage_size : SPEC_STORAGE_DEFAULT;
	unsigned long flags = MS_NOSUID | MS_NODEV;
	struct stat st, parent;
	char data[64], dir[PATH_MAX + 4];
	int r;

	snprintf(data, sizeof(data), "size=%lld,mode=0755", size);
	snprintf(dir, sizeof(dir), "%s/..", layer);
	r = mkdir_p(layer, 0755);
	if (r < 0)
		return rootfs_fail(r, err, errlen, "create %s: %s", layer, strerror(-r));
	if (stat(layer, &st) < 0 || stat(dir, &parent) < 0)
		return rootfs_fail(-errno, err, errlen, "storage_size: stat %s: %s", layer,
				   strerror(errno));
	/* Kept from an earlier run: only its size may have changed. */
	if (st.st_dev != parent.st_dev)
		flags |= MS_REMOUNT;
	if (mount("kbox-layer", layer, "tmpfs", flags, data) < 0)
		return rootfs_fail(-errno, err, errlen,
				   "storage_size: mount a tmpfs of %lld bytes on %s: %s", size,
				   layer, strerror(errno));
	if (!(flags & MS_REMOUNT) && unlink(marker) < 0 && errno != ENOENT)
		return rootfs_fail(-errno, err, errlen, "userns: remove %s: %s", marker,
				   strerror(errno));
	return 0;
}

/* A bundle's root is the engine's (its overlay, mounted there): used as it is. */
static int oci_root_check(const struct spec *spec)
{
	struct stat st;

	if (stat(spec->oci->root, &st) < 0)
		return log_errno(-errno, "%s: root.path '%s'", spec->name, spec->oci->root);
	if (!S_ISDIR(st.st_mode)) {
		log_msg("%s: root.path '%s': not a directory", spec->name, spec->oci->root);
		return -ENOTDIR;
	}
	return 0;
}

/* The layer, its directories and the overlay, where the caller is: PID 1, or (in the
 * keeper) the container's child before its unshare. 0, or -errno with the reason in err. */
static int prepare_root(const struct spec *spec, const struct rt_opts *opts, const char *lower,
			char *err, int errlen)
{
	static const char *const dirs[] = {"layer/upper", "layer/work", "root"};
	char path[3][PATH_MAX], layer[PATH_MAX], marker[PATH_MAX], link[PATH_MAX];
	char data[3 * PATH_MAX + 64];
	const char *const name = spec->name, *root = path[2];
	int shifted, r;

	state_path(layer, sizeof(layer), spec, opts, "layer");
	state_path(marker, sizeof(marker), spec, opts, "userns");
	r = layer_mount(spec, layer, marker, err, errlen);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		state_path(path[i], sizeof(path[i]), spec, opts, dirs[i]);
		r = mkdir_p(path[i], 0755);
		if (r < 0)
			return rootfs_fail(r, err, errlen, "create %s: %s", path[i], strerror(-r));
	}
	/* Where the upper layer was before it had a tmpfs: people and scripts look there. */
	state_path(link, sizeof(link), spec, opts, "upper");
	if (symlink("layer/upper", link) < 0 && errno != EEXIST)
		return rootfs_fail(-errno, err, errlen, "create %s: %s", link, strerror(errno));
	shifted = userns_layer_state(marker, spec, err, errlen);
	if (shifted < 0)
		return shifted;
	/* Left mounted by a run that ended without rootfs_release. */
	umount2(root, MNT_DETACH);
	/* With a user namespace every file's owner is shifted, and metacopy makes that a
	 * copy-up of metadata only: the image's data is never copied. */
	snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s,workdir=%s%s", lower, path[0],
		 path[1], spec->userns.count ? ",redirect_dir=on,metacopy=on" : "");
	/* Without a device allowlist (kbox run on a cgroup v1 host) nothing but that would keep
	 * the payload from a device node the image ships (the host's disk, /dev/kvm). */
	if (mount("overlay", root, "overlay", MS_NOSUID | (opts->cgroup_fd < 0 ? MS_NODEV : 0),
		  data) < 0)
		return rootfs_fail(-errno, err, errlen, "mount overlay on %s: %s", root,
				   strerror(errno));
	if (spec->userns.count && shifted == 0) {
		r = userns_shift_tree(root, spec);
		if (r < 0)
			rootfs_fail(r, err, errlen, "userns: shift the owners of %s: %s", root,
				    strerror(-r));
		else
			r = userns_layer_mark(marker, spec);
		if (r < 0 && !err[0])
			rootfs_fail(r, err, errlen, "userns: mark %s: %s", marker, strerror(-r));
		if (r < 0) {
			umount2(root, MNT_DETACH);
			return r;
		}
	}
	(void)name;
	return 0;
}

/* The image as the keeper sees it: not on the data disk, which it leaves out. A user
 * namespace's root is mounted by the parent, which shifts its owners, in its own. */
static bool keeper_can_hold(const struct spec *spec, const char *lower)
{
	size_t n = strlen(KBOX_DATA);

	return !spec->userns.count && !(strncmp(lower, KBOX_DATA, n) == 0 && lower[n] == '/');
}

int rootfs_prepare(const struct spec *spec, const struct rt_opts *opts)
{
	char lower[PATH_MAX], err[PATH_MAX + 128];
	int r;

	if (spec->oci)
		return oci_root_check(spec);
	r = image_path(spec, opts, lower, sizeof(lower));
	if (r < 0)
		return r;
	/* The child mounts it, in the keeper, side by side with the other children: these
	 * mounts were PID 1's largest serial cost per container. */
	if (mntns_defer(keeper_can_hold(spec, lower))) {
		snprintf(child_lower, sizeof(child_lower), "%s", lower);
		return 0;
	}
	err[0] = '\0';
	r = prepare_root(spec, opts, lower, err, sizeof(err));
	if (r < 0)
		log_msg("%s: %s", spec->name, err[0] ? err : strerror(-r));
	return r;
}

int rootfs_child_take(const struct spec *spec, const struct rt_opts *opts, char *err, int errlen)
{
	char root[PATH_MAX];
	int r, l;

	state_path(root, sizeof(root), spec, opts, "root");
	if (!mntns_child_enter(err, errlen))
		return err[0] ? -EIO : 0;
	err[0] = '\0';
	r = prepare_root(spec, opts, child_lower, err, errlen);
	if (r < 0 && !err[0])
		rootfs_fail(r, err, errlen, "prepare %s: %s", root, strerror(-r));
	if (r == 0)
		r = mntns_child_clone(root, &taken_root, err, errlen);
	l = mntns_child_leave(err, errlen);
	return r < 0 ? r : l;
}

/* Where it was mounted: in the keeper, or (user namespace, data disk, kbox run) here. */
static void umount_both(const char *path)
{
	umount2(path, MNT_DETACH);
	if (mntns_enter(true)) {
		umount2(path, MNT_DETACH);
		mntns_leave();
	}
}

void rootfs_release(const struct spec *spec, const struct rt_opts *opts)
{
	char root[PATH_MAX];

	if (spec->oci)
		return;
	state_path(root, sizeof(root), spec, opts, "root");
	umount_both(root);
}

void rootfs_remove(const struct spec *spec, const struct rt_opts *opts)
{
	char layer[PATH_MAX];

	if (spec->oci)
		return;
	rootfs_release(spec, opts);
	state_path(layer, sizeof(layer), spec, opts, "layer");
	umount_both(layer);
}

/* What every container gets below its root, in order. */
static const struct mnt base_mounts[] = {
	{"proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL},
	{"sysfs", "sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL},
	{"tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"},
	{"devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
	 "newinstance,ptmxmode=0666,mode=620"},
	{"shm", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k"},
	{"mqueue", "dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL},
};

static const struct {
	const char *name;
	unsigned maj, min;
} devices[] = {
	{"null", 1, 3},	  {"zero", 1, 5},    {"full", 1, 7},
	{"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
};

/* Docker's masked paths: files get /dev/null over them, directories an empty tmpfs. */
static const char *const masked_paths[] = {
	"proc/asound",
	"proc/acpi",
	"proc/kcore",
	"proc/keys",
	"proc/latency_stats",
	"proc/timer_list",
	"proc/timer_stats",
	"proc/sched_debug",
	"proc/scsi",
	"sys/firmware",
	"sys/devices/virtual/powercap",
};

/* ...and its read-only ones. */
static const char *const readonly_paths[] = {
	"proc/bus", "proc/fs", "proc/irq", "proc/sys", "proc/sysrq-trigger",
};

static const struct {
	const char *name, *target;
} dev_links[] = {
	{"ptmx", "pts/ptmx"},
	{"fd", "/proc/self/fd"},
	{"stdin", "/proc/self/fd/0"},
	{"stdout", "/proc/self/fd/1"},
	{"stderr", "/proc/self/fd/2"},
	/* What a container writes to its console goes to its log, never to the appliance's. */
	{"console", "/proc/self/fd/2"},
};

/* Mounts go through the fd that open_in_root resolved, never through the path again. */
void rootfs_fd_path(char *buf, size_t len, int fd)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/* Why PATH could not be opened inside the root, for "WHAT on 'PATH': WHY". */
static int fail_in_root(int r, int rootfd, const char *what, const char *path, char *err,
			int errlen)
{
	if (r == -ELOOP && in_root_magic(rootfd, path))
		return rootfs_fail(
			r, err, errlen,
			"%s: '%s': a magic link (/proc/PID/fd/N, /proc/self/exe, ...) is refused",
			what, path);
	return rootfs_fail(r, err, errlen, "%s: '%s': %s", what, path, strerror(-r));
}

/* A mount target inside the root, never the root itself (an image's /proc -> /). */
int rootfs_resolve(int rootfd, const char *what, const char *path, enum in_root_create create,
		   char *err, int errlen)
{
	int fd = open_in_root(rootfd, path, create);
	struct stat a, b;

	if (fd < 0)
		return fail_in_root(fd, rootfd, what, path, err, errlen);
	if (fstat(fd, &a) == 0 && fstat(rootfd, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino) {
		close(fd);
		return rootfs_fail(-EINVAL, err, errlen, "%s: '%s' is the container's root itself",
				   what, path);
	}
	return fd;
}

/* In a user namespace no node can be made: the appliance's own are bound instead. */
static int bind_device(int dev, const char *name)
{
	char src[64], dst[64];
	_cleanup_close_ int fd =
		openat(dev, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0666);

	if (fd < 0)
		return -errno;
	snprintf(src, sizeof(src), "/dev/%s", name);
	rootfs_fd_path(dst, sizeof(dst), fd);
	return mount(src, dst, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
}

/* DEV is the container's fresh /dev tmpfs. Docker's nodes are 0666, whatever our umask. */
static int populate_dev(int dev, char *err, int errlen)
{
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++) {
		dev_t d = makedev(devices[i].maj, devices[i].min);
		int r = mknodat(dev, devices[i].name, S_IFCHR | 0666, d) < 0 ? -errno : 0;

		if (r == 0 && fchmodat(dev, devices[i].name, 0666, 0) < 0)
			r = -errno;
		if (r == -EPERM)
			r = bind_device(dev, devices[i].name);
		if (r < 0)
			return rootfs_fail(r, err, errlen, "create /dev/%s: %s", devices[i].name,
					   strerror(-r));
	}
	for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++) {
		if (symlinkat(dev_links[i].target, dev, dev_links[i].name) < 0)
			return rootfs_fail(-errno, err, errlen, "symlink /dev/%s: %s",
					   dev_links[i].name, strerror(errno));
	}
	return 0;
}

/* Mount below the new root; the mount point is made inside it if the image lacks it. */
static int mount_in_root(int rootfd, const struct mnt *m, char *err, int errlen)
{
	char target[64], what[64], dst[64];
	_cleanup_close_ int fd = -1;
	struct stat st, up;

	snprintf(what, sizeof(what), "mount %s", m->type);
	snprintf(dst, sizeof(dst), "/%s", m->dst);
	fd = rootfs_resolve(rootfd, what, dst, IN_ROOT_MKDIR, err, errlen);
	if (fd < 0)
		return fd;
	/* Through an image's symlinks two of them could meet (/sys -> /proc), and one would
	 * hide the other, masks and all, from kbox but not from a payload that unmounts it. */
	if (fstat(fd, &st) == 0 && fstatat(fd, "..", &up, 0) == 0 && st.st_dev != up.st_dev)
		return rootfs_fail(-EBUSY, err, errlen, "%s: '%s' is a mount point already", what,
				   dst);
	rootfs_fd_path(target, sizeof(target), fd);
	if (mount(m->src, target, m->type, m->flags, m->data) < 0)
		return rootfs_fail(-errno, err, errlen, "mount %s on /%s: %s", m->type, m->dst,
				   strerror(errno));
	return 0;
}

/* PATH must be a mount point already. */
int rootfs_remount_ro(const char *path)
{
	const unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;

	/* Keep nosuid and nodev where the mount had them: a locked flag cannot be dropped. */
	if (mount(NULL, path, NULL, flags | MS_NOSUID | MS_NODEV, NULL) < 0 &&
	    mount(NULL, path, NULL, flags, NULL) < 0)
		return -errno;
	return 0;
}

/* PATH, inside the root, bound on itself read-only. */
static int bind_ro(int rootfd, const char *path)
{
	char target[64];
	int fd = open_in_root(rootfd, path, IN_ROOT_OPEN), r = 0;

	if (fd < 0)
		return fd;
	rootfs_fd_path(target, sizeof(target), fd);
	if (mount(target, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		r = -errno;
	close(fd);
	if (r < 0)
		return r;
	/* That fd is the directory under the new mount: open the mount itself. */
	fd = open_in_root(rootfd, path, IN_ROOT_OPEN);
	if (fd < 0)
		return fd;
	rootfs_fd_path(target, sizeof(target), fd);
	r = rootfs_remount_ro(target);
	close(fd);
	return r;
}

/* "net.ipv4.ip_forward=1" -> ROOT/proc/sys/net/ipv4/ip_forward, resolved inside the root;
 * the parser checked the name. */
int rootfs_set_sysctl(const char *root, const char *kv, char *err, int errlen)
{
	struct open_how how = {
		.flags = O_WRONLY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS,
	};
	_cleanup_close_ int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1;
	char path[PATH_MAX];
	size_t n = strcspn(kv, "="), off;
	int r;

	if (rootfd < 0)
		return rootfs_fail(-errno, err, errlen, "sysctl: open %s: %s", root,
				   strerror(errno));
	off = snprintf(path, sizeof(path), "proc/sys/");
	if (off + n >= sizeof(path))
		return rootfs_fail(-ENAMETOOLONG, err, errlen, "sysctl %.*s: too long", (int)n, kv);
	for (size_t i = 0; i < n; i++)
		path[off + i] = kv[i] == '.' ? '/' : kv[i];
	path[off + n] = '\0';
	/* /proc itself may be a symlink in the image: resolve it, then nothing below. */
	{
		_cleanup_close_ int proc = open_in_root(rootfd, "proc", IN_ROOT_OPEN);

		if (proc < 0)
			return rootfs_fail(proc, err, errlen, "sysctl: /proc: %s", strerror(-proc));
		fd = sys_openat2(proc, path + strlen("proc/"), &how);
		/* No openat2 (valgrind): the fresh /proc/sys below it holds no symlink. */
		if (fd < 0 && errno == ENOSYS)
			fd = openat(proc, path + strlen("proc/"),
				    O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	r = fd < 0 ? -errno : write_all(fd, kv + n + 1, strlen(kv + n + 1));
	if (r < 0)
		return rootfs_fail(r, err, errlen, "sysctl %.*s=%s: %s", (int)n, kv, kv + n + 1,
				   strerror(-r));
	return 0;
}

/* ping without NET_RAW: ICMP datagram sockets for every group of the container's own
 * network namespace (in a user namespace, every group it maps), unless its spec says. */
static int set_ping_range(const char *root, const struct spec *spec, char *err, int errlen)
{
	static const char key[] = "net.ipv4.ping_group_range=";
	unsigned long long high = 2147483647; /* the kernel's ceiling for a gid here */
	char kv[80];

	if (spec->net == SPEC_NET_HOST)
		return 0;
	for (size_t i = 0; spec->sysctls && spec->sysctls[i]; i++)
		if (!strncmp(spec->sysctls[i], key, sizeof(key) - 1))
			return 0;
	if (spec->userns.count && spec->userns.inside + spec->userns.count - 1ULL < high)
		high = spec->userns.inside + spec->userns.count - 1ULL;
	snprintf(kv, sizeof(kv), "%s%u %llu", key, spec->userns.count ? spec->userns.inside : 0,
		 high);
	return rootfs_set_sysctl(root, kv, err, errlen);
}

/* PATH inside the root masked: a file gets /dev/null over it, a directory an empty
 * read-only tmpfs; a missing one is left as it is. */
int rootfs_mask(int rootfd, const char *path, char *err, int errlen)
{
	_cleanup_close_ int fd = open_in_root(rootfd, path, IN_ROOT_OPEN);
	const char *name = path + strspn(path, "/");
	char target[64];
	struct stat st;
	int r;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0)
		return rootfs_fail(fd < 0 ? fd : -errno, err, errlen, "mask /%s: %s", name,
				   strerror(fd < 0 ? -fd : errno));
	rootfs_fd_path(target, sizeof(target), fd);
	if (S_ISDIR(st.st_mode))
		r = mount("masked", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "size=0");
	else
		r = mount("/dev/null", target, NULL, MS_BIND, NULL);
	if (r < 0)
		return rootfs_fail(-errno, err, errlen, "mask /%s: %s", name, strerror(errno));
	return 0;
}

/* PATH inside the root bound on itself read-only; a missing one is left as it is. */
int rootfs_readonly_path(int rootfd, const char *path, char *err, int errlen)
{
	int r = bind_ro(rootfd, path);

	if (r < 0 && r != -ENOENT)
		return rootfs_fail(r, err, errlen, "make /%s read-only: %s",
				   path + strspn(path, "/"), strerror(-r));
	return 0;
}

/* Docker's masked and read-only paths, in the container's fresh /proc and /sys. */
static int harden_kernel_fs(int rootfd, char *err, int errlen)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(masked_paths); i++)
		r = rootfs_mask(rootfd, masked_paths[i], err, errlen);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(readonly_paths); i++)
		r = rootfs_readonly_path(rootfd, readonly_paths[i], err, errlen);
	return r;
}

static int mount_tmpfs(int rootfd, const struct spec_tmpfs *t, char *err, int errlen)
{
	char target[64], data[64] = "mode=1777";
	int fd = rootfs_resolve(rootfd, "tmpfs", t->dst, IN_ROOT_MKDIR, err, errlen), r = 0;

	if (fd < 0)
		return fd;
	if (t->size)
		snprintf(data, sizeof(data), "mode=1777,size=%lld", t->size);
	rootfs_fd_path(target, sizeof(target), fd);
	if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0)
		r = rootfs_fail(-errno, err, errlen, "tmpfs on %s: %s", t->dst, strerror(errno));
	close(fd);
	return r;
}

static int mount_bind(int rootfd, const struct spec_bind *b, char *err, int errlen)
{
	char target[64];
	struct stat st;
	int fd, r = 0;

	/* The source is the appliance's own path: trusted, and it must exist. */
	if (stat(b->src, &st) < 0)
		return rootfs_fail(-errno, err, errlen, "bind: source '%s': %s", b->src,
				   strerror(errno));
	fd = rootfs_resolve(rootfd, "bind", b->dst,
			    S_ISDIR(st.st_mode) ? IN_ROOT_MKDIR : IN_ROOT_MKDIR_FILE, err, errlen);
	if (fd < 0)
		return fd;
	rootfs_fd_path(target, sizeof(target), fd);
	if (mount(b->src, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		r = rootfs_fail(-errno, err, errlen, "bind %s on %s: %s", b->src, b->dst,
				strerror(errno));
	close(fd);
	if (r < 0 || !b->ro)
		return r;
	/* That fd is the directory under the new mount: open the mount itself. */
	fd = rootfs_resolve(rootfd, "bind", b->dst, IN_ROOT_OPEN, err, errlen);
	if (fd < 0)
		return fd;
	rootfs_fd_path(target, sizeof(target), fd);
	r = rootfs_remount_ro(target);
	if (r < 0)
		rootfs_fail(r, err, errlen, "bind %s on %s read-only: %s", b->src, b->dst,
			    strerror(-r));
	close(fd);
	return r;
}

/*
 * A named volume, KBOX_VOLUMES/NAME (made by the caller before the start), bound on its
 * path like a bind, but nosuid and nodev: it holds what containers wrote, and a set-id file
 * or a device node one of them made must not work for another, nor after a restart with
 * other rights. What the data disk's own mount says (noexec, ro) is kept: in a user
 * namespace such a flag is locked, and a remount without it would fail.
 */
static int mount_volume(int rootfd, const struct spec_volume *v, char *err, int errlen)
{
	char src[PATH_MAX], what[96], from[64], target[64];
	_cleanup_close_ int sfd = -1, fd = -1;
	unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV;
	struct statvfs sv;

	snprintf(what, sizeof(what), "volume '%s'", v->name);
	snprintf(src, sizeof(src), KBOX_VOLUMES "/%s", v->name);
	/* No symlink anywhere on the way, not only at the end (volumes -> / on a disk). */
	sfd = open_no_symlinks(src, O_PATH | O_DIRECTORY);
	if (sfd < 0)
		return rootfs_fail(sfd, err, errlen, "%s: %s: %s", what, src, strerror(-sfd));
	fd = rootfs_resolve(rootfd, what, v->dst, IN_ROOT_MKDIR, err, errlen);
	if (fd < 0)
		return fd;
	rootfs_fd_path(from, sizeof(from), sfd);
	rootfs_fd_path(target, sizeof(target), fd);
	if (mount(from, target, NULL, MS_BIND, NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "%s on %s: %s", what, v->dst,
				   strerror(errno));
	/* That fd is the directory under the new mount: open the mount itself. */
	close(fd);
	fd = rootfs_resolve(rootfd, what, v->dst, IN_ROOT_OPEN, err, errlen);
	if (fd < 0)
		return fd;
	rootfs_fd_path(target, sizeof(target), fd);
	if (statvfs(target, &sv) == 0) {
		flags |= sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0;
		flags |= sv.f_flag & ST_RDONLY ? MS_RDONLY : 0;
	}
	if (v->ro)
		flags |= MS_RDONLY;
	if (mount(NULL, target, NULL, flags, NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "%s on %s: remount nosuid,nodev%s: %s",
				   what, v->dst, flags & MS_RDONLY ? ",ro" : "", strerror(errno));
	return 0;
}

/* /proc, /sys, /dev and the rest of base_mounts, /dev with its nodes. */
static int mount_base(int rootfd, char *err, int errlen)
{
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(base_mounts); i++) {
		r = mount_in_root(rootfd, &base_mounts[i], err, errlen);
		if (r < 0)
			return r;
		if (strcmp(base_mounts[i].dst, "dev") == 0) {
			_cleanup_close_ int dev = rootfs_resolve(rootfd, "populate", "/dev",
								 IN_ROOT_OPEN, err, errlen);

			if (dev < 0)
				return dev;
			r = populate_dev(dev, err, errlen);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* The spec's sysctls and the ping range: before /proc/sys turns read-only. */
static int set_sysctls(const char *root, const struct spec *spec, char *err, int errlen)
{
	for (size_t i = 0; spec->sysctls && spec->sysctls[i]; i++) {
		int r = rootfs_set_sysctl(root, spec->sysctls[i], err, errlen);

		if (r < 0)
			return r;
	}
	return set_ping_range(root, spec, err, errlen);
}

/* The spec's tmpfs, binds and volumes, and the network's /etc/hosts and /etc/resolv.conf. */
static int mount_spec(int rootfd, const struct spec *spec, const struct rt_opts *opts, char *err,
		      int errlen)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < spec->ntmpfs; i++)
		r = mount_tmpfs(rootfd, &spec->tmpfs[i], err, errlen);
	for (size_t i = 0; r == 0 && i < spec->nbinds; i++)
		r = mount_bind(rootfd, &spec->binds[i], err, errlen);
	for (size_t i = 0; r == 0 && i < spec->nvolumes; i++)
		r = mount_volume(rootfd, &spec->volumes[i], err, errlen);
	if (r == 0 && opts->net.hosts) {
		struct spec_bind hosts = {(char *)opts->net.hosts, "/etc/hosts", true};
		struct spec_bind resolv = {"/etc/resolv.conf", "/etc/resolv.conf", true};

		r = mount_bind(rootfd, &hosts, err, errlen);
		if (r == 0 && access(resolv.src, F_OK) == 0)
			r = mount_bind(rootfd, &resolv, err, errlen);
	}
	return r;
}

/* readonly: the upper layer held only mount points; now the root turns read-only. */
int rootfs_root_readonly(const char *root, char *err, int errlen)
{
	unsigned long nodev = 0;
	struct statvfs sv;

	if (statvfs(root, &sv) == 0 && (sv.f_flag & ST_NODEV))
		nodev = MS_NODEV; /* a bind remount sets every flag anew: keep nodev, if it was */
	if (mount(NULL, root, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | nodev, NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "make the root read-only: %s",
				   strerror(errno));
	return 0;
}

/* pivot_root(".", ".") stacks the old root under the new one; detach it at once. */
int rootfs_pivot_to(int rootfd, const char *root, char *err, int errlen)
{
	if (fchdir(rootfd) < 0)
		return rootfs_fail(-errno, err, errlen, "chdir %s: %s", root, strerror(errno));
	if (sys_pivot_root(".", ".") < 0)
		return rootfs_fail(-errno, err, errlen, "pivot_root to %s: %s", root,
				   strerror(errno));
	if (umount2(".", MNT_DETACH) < 0)
		return rootfs_fail(-errno, err, errlen, "detach the old root: %s", strerror(errno));
	if (chdir("/") < 0)
		return rootfs_fail(-errno, err, errlen, "chdir /: %s", strerror(errno));
	return 0;
}

int rootfs_child_setup(const struct spec *spec, const struct rt_opts *opts, char *err, int errlen)
{
	_cleanup_close_ int rootfd = -1;
	char root[PATH_MAX];
	int r;

	/* Nothing we mount may propagate back to the host's mounts. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "make / private: %s", strerror(errno));

	state_path(root, sizeof(root), spec, opts, "root");
	/* From the keeper, where the parent mounted it (rootfs_child_take). */
	r = mntns_child_attach(taken_root, root, err, errlen);
	taken_root = -1;
	if (r < 0)
		return r;
	/* The overlay is the parent's mount; a bind of our own can be pivoted to even when
	 * a user namespace locked the mounts it copied. */
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "bind %s: %s", root, strerror(errno));
	/* From here on every path below the root is resolved inside it, through this fd. */
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return rootfs_fail(-errno, err, errlen, "open %s: %s", root, strerror(errno));

	r = mount_base(rootfd, err, errlen);
	if (r == 0)
		r = set_sysctls(root, spec, err, errlen);
	if (r == 0)
		r = harden_kernel_fs(rootfd, err, errlen);
	if (r == 0)
		r = mount_spec(rootfd, spec, opts, err, errlen);
	if (r == 0 && spec->readonly)
		r = rootfs_root_readonly(root, err, errlen);
	if (r == 0)
		r = rootfs_pivot_to(rootfd, root, err, errlen);
	return r;
}
