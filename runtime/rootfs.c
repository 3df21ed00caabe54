/* The container's root: an overlay over the read-only image, /proc, /sys, /dev, pivot_root. */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../lib/syscalls.h"
#include "../lib/util.h"

static int fail(int r, char *err, int errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(int r, char *err, int errlen, const char *fmt, ...)
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

int rootfs_prepare(const struct spec *spec, const struct rt_opts *opts)
{
	static const char *const dirs[] = {"upper", "work", "root"};
	char path[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		int r;

		state_path(path, sizeof(path), spec, opts, dirs[i]);
		r = mkdir_p(path, 0755);
		if (r < 0)
			return r;
	}
	return 0;
}

struct mnt {
	const char *src, *dst, *type;
	unsigned long flags;
	const char *data;
};

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

static const struct {
	const char *name, *target;
} dev_links[] = {
	{"ptmx", "pts/ptmx"},	       {"fd", "/proc/self/fd"},	      {"stdin", "/proc/self/fd/0"},
	{"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"},
};

static int populate_dev(int rootfd, char *err, int errlen)
{
	_cleanup_close_ int dev = openat(rootfd, "dev", O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

	if (dev < 0)
		return fail(-errno, err, errlen, "open /dev: %s", strerror(errno));
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++) {
		dev_t d = makedev(devices[i].maj, devices[i].min);

		if (mknodat(dev, devices[i].name, S_IFCHR | 0666, d) < 0)
			return fail(-errno, err, errlen, "mknod /dev/%s: %s", devices[i].name,
				    strerror(errno));
	}
	for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++) {
		if (symlinkat(dev_links[i].target, dev, dev_links[i].name) < 0)
			return fail(-errno, err, errlen, "symlink /dev/%s: %s", dev_links[i].name,
				    strerror(errno));
	}
	return 0;
}

/* Mount below the new root; the mount point is made if the image lacks it. */
static int mount_in_root(const char *root, const struct mnt *m, char *err, int errlen)
{
	char dst[PATH_MAX];

	if (snprintf(dst, sizeof(dst), "%s/%s", root, m->dst) >= (int)sizeof(dst))
		return fail(-ENAMETOOLONG, err, errlen, "mount point /%s: path too long", m->dst);
	if (mkdir(dst, 0755) < 0 && errno != EEXIST)
		return fail(-errno, err, errlen, "mkdir /%s: %s", m->dst, strerror(errno));
	if (mount(m->src, dst, m->type, m->flags, m->data) < 0)
		return fail(-errno, err, errlen, "mount %s on /%s: %s", m->type, m->dst,
			    strerror(errno));
	return 0;
}

int rootfs_child_setup(const struct spec *spec, const struct rt_opts *opts, char *err, int errlen)
{
	char root[PATH_MAX], upper[PATH_MAX], work[PATH_MAX], lower[PATH_MAX];
	char data[3 * PATH_MAX + 64];
	_cleanup_close_ int rootfd = -1;
	struct stat st;
	int r;

	/* Nothing we mount may propagate back to the host's mounts. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(-errno, err, errlen, "make / private: %s", strerror(errno));

	if (spec->image[0] == '/')
		snprintf(lower, sizeof(lower), "%s", spec->image);
	else
		snprintf(lower, sizeof(lower), "%s/%s", opts->images, spec->image);
	if (stat(lower, &st) < 0 || !S_ISDIR(st.st_mode))
		return fail(-ENOENT, err, errlen, "image: '%s' not found in %s", spec->image,
			    spec->image[0] == '/' ? "/" : opts->images);
	if (strpbrk(lower, ",:"))
		return fail(-EINVAL, err, errlen, "image: path '%s' holds ',' or ':'", lower);

	state_path(root, sizeof(root), spec, opts, "root");
	state_path(upper, sizeof(upper), spec, opts, "upper");
	state_path(work, sizeof(work), spec, opts, "work");
	snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work);
	if (mount("overlay", root, "overlay", 0, data) < 0)
		return fail(-errno, err, errlen, "mount overlay on %s: %s", root, strerror(errno));

	for (size_t i = 0; i < ARRAY_SIZE(base_mounts); i++) {
		r = mount_in_root(root, &base_mounts[i], err, errlen);
		if (r < 0)
			return r;
		if (strcmp(base_mounts[i].dst, "dev") == 0) {
			rootfd = open(root, O_DIRECTORY | O_CLOEXEC);
			if (rootfd < 0)
				return fail(-errno, err, errlen, "open %s: %s", root,
					    strerror(errno));
			r = populate_dev(rootfd, err, errlen);
			if (r < 0)
				return r;
		}
	}

	/* pivot_root(".", ".") stacks the old root under the new one; detach it at once. */
	if (chdir(root) < 0)
		return fail(-errno, err, errlen, "chdir %s: %s", root, strerror(errno));
	if (sys_pivot_root(".", ".") < 0)
		return fail(-errno, err, errlen, "pivot_root to %s: %s", root, strerror(errno));
	if (umount2(".", MNT_DETACH) < 0)
		return fail(-errno, err, errlen, "detach the old root: %s", strerror(errno));
	if (chdir("/") < 0)
		return fail(-errno, err, errlen, "chdir /: %s", strerror(errno));
	return 0;
}
