/* A bundle's root, child side: root.path bound as it is, mounts[] in order (binds with their
 * flags and propagation, file systems, runc's cgroup v1 layout), the nodes of /dev,
 * sysctls, the before-pivot callback, maskedPaths, readonlyPaths, pivot_root, root.readonly
 * and rootfsPropagation, in runc's order. Every path below the root resolves inside it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../lib/util.h"
#include "copyup.h"
#include "rootfs.h"
#include "rootfs_internal.h"
#include "spec/oci.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

#define ATIME_FLAGS (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME)
/* What a bind's remount sets anew: a bind takes none of them from its options at first. */
#define BIND_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOSYMFOLLOW | ATIME_FLAGS)

/* runc's nodes, made unless the config lists its own at that path or /dev is the host's. */
static const struct oci_device default_devices[] = {
	{"/dev/null", 'c', 1, 3, 0666, 0, 0},	 {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
	{"/dev/full", 'c', 1, 7, 0666, 0, 0},	 {"/dev/random", 'c', 1, 8, 0666, 0, 0},
	{"/dev/urandom", 'c', 1, 9, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
};

static const struct {
	const char *name, *target;
} dev_links[] = {
	{"fd", "/proc/self/fd"},
	{"stdin", "/proc/self/fd/0"},
	{"stdout", "/proc/self/fd/1"},
	{"stderr", "/proc/self/fd/2"},
};

/* The flags a mount has now, as mount(2) takes them: in a user namespace those of a mount
 * copied from the host are locked, and a bind remount without them fails with EPERM. */
static unsigned long mount_flags_of(const char *path)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
		{ST_RDONLY, MS_RDONLY},	    {ST_NOSUID, MS_NOSUID},
		{ST_NODEV, MS_NODEV},	    {ST_NOEXEC, MS_NOEXEC},
		{ST_NOATIME, MS_NOATIME},   {ST_NODIRATIME, MS_NODIRATIME},
		{ST_RELATIME, MS_RELATIME},
	};
	unsigned long flags = 0;
	struct statvfs sv;

	if (statvfs(path, &sv) < 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (sv.f_flag & map[i].st)
			flags |= map[i].ms;
	return flags;
}

/* The bind at PATH remounted with FLAGS; what is locked is kept, as runc does. */
static int remount_bind(const char *path, unsigned long flags)
{
	unsigned long locked;

	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags, NULL) == 0)
		return 0;
	if (errno != EPERM)
		return -errno;
	locked = mount_flags_of(path) & ~MS_RDONLY;
	if (flags & ATIME_FLAGS)
		locked &= ~ATIME_FLAGS;
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags | locked, NULL) < 0)
		return -errno;
	return 0;
}

/* After a mount on DST: its flags (for a bind) and its propagation, on the new mount. */
static int mount_finish(int rootfd, const struct oci_mount *m, unsigned long flags, char *err,
			int errlen)
{
	_cleanup_close_ int fd = -1;
	char target[64];
	int r;

	if (!flags && !m->propagation)
		return 0;
	/* The fd we mounted through is the directory under the new mount: open the mount. */
	fd = rootfs_resolve(rootfd, m->type, m->dst, IN_ROOT_OPEN, err, errlen);
	if (fd < 0)
		return fd;
	rootfs_fd_path(target, sizeof(target), fd);
	r = flags ? remount_bind(target, flags) : 0;
	if (r < 0)
		return rootfs_fail(r, err, errlen, "remount %s on %s with its options: %s", m->type,
				   m->dst, strerror(-r));
	if (m->propagation && mount(NULL, target, NULL, m->propagation, NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "propagation of %s on %s: %s", m->type,
				   m->dst, strerror(errno));
	return 0;
}

/* bind and rbind: the source is the caller's path (a relative one against the bundle), and
 * followed as it is; the destination is resolved inside the root. */
static int mount_bind(int rootfd, const struct spec_oci *oci, const struct oci_mount *m, char *err,
		      int errlen)
{
	char src[PATH_MAX], target[64];
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (snprintf(src, sizeof(src), "%s%s%s", m->src[0] == '/' ? "" : oci->bundle,
		     m->src[0] == '/' ? "" : "/", m->src) >= (int)sizeof(src))
		return rootfs_fail(-ENAMETOOLONG, err, errlen, "bind: source '%s': too long",
				   m->src);
	if (stat(src, &st) < 0)
		return rootfs_fail(-errno, err, errlen, "bind: source '%s': %s", src,
				   strerror(errno));
	fd = rootfs_resolve(rootfd, "bind", m->dst,
			    S_ISDIR(st.st_mode) ? IN_ROOT_MKDIR : IN_ROOT_MKDIR_FILE, err, errlen);
	if (fd < 0)
		return fd;
	rootfs_fd_path(target, sizeof(target), fd);
	if (mount(src, target, NULL, MS_BIND | (m->rec ? MS_REC : 0), NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "bind %s on %s: %s", src, m->dst,
				   strerror(errno));
	return mount_finish(rootfd, m, m->flags & BIND_FLAGS, err, errlen);
}

/* tmpcopyup: the image's directory under the tmpfs just mounted on M->dst (SRC, opened
 * before the mount) copied into it. On failure the tmpfs goes again. */
static int copy_up(int rootfd, const struct oci_mount *m, int src, char *err, int errlen)
{
	_cleanup_close_ int mnt = -1, dst = -1;
	char target[64];
	int r;

	mnt = rootfs_resolve(rootfd, "tmpfs", m->dst, IN_ROOT_OPEN, err, errlen);
	if (mnt < 0)
		return mnt;
	dst = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dst < 0)
		return rootfs_fail(-errno, err, errlen, "tmpcopyup %s: %s", m->dst,
				   strerror(errno));
	r = copyup_tree(src, dst, m->dst, err, errlen);
	if (r < 0) {
		rootfs_fd_path(target, sizeof(target), mnt);
		umount2(target, MNT_DETACH);
	}
	return r;
}

/* proc, sysfs, tmpfs, devpts, mqueue, ...: mounted with the flags and data. */
static int mount_fs(int rootfd, const struct oci_mount *m, const char *type, char *err, int errlen)
{
	_cleanup_close_ int fd = rootfs_resolve(rootfd, type, m->dst, IN_ROOT_MKDIR, err, errlen);
	_cleanup_close_ int src = -1;
	char target[64];
	int r = 0;

	if (fd < 0)
		return fd;
	/* The image's directory, before the tmpfs hides it. */
	if (m->copyup) {
		src = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (src < 0)
			return rootfs_fail(-errno, err, errlen, "tmpcopyup %s: %s", m->dst,
					   strerror(errno));
	}
	rootfs_fd_path(target, sizeof(target), fd);
	if (mount(m->src, target, type, m->flags, m->data) < 0) {
		r = -errno;
		/* In a user namespace that does not own the network namespace, sysfs cannot be
		 * mounted: runc binds the host's, read-only as asked. */
		if (r == -EPERM && strcmp(type, "sysfs") == 0 &&
		    mount("/sys", target, NULL, MS_BIND | MS_REC, NULL) == 0)
			return mount_finish(rootfd, m, m->flags & BIND_FLAGS, err, errlen);
		return rootfs_fail(r, err, errlen, "mount %s on %s: %s", type, m->dst,
				   strerror(-r));
	}
	if (m->copyup) {
		r = copy_up(rootfd, m, src, err, errlen);
		if (r < 0)
			return r;
	}
	return mount_finish(rootfd, m, 0, err, errlen);
}

/* A field of mountinfo, its \NNN escapes undone in place. */
static char *unescape(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*o++ = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return s;
}

/* Our cgroup's path in the v1 hierarchy whose super options are OPTS ("rw,cpu,cpuacct"),
 * from /proc/self/cgroup (CG): every controller of a line must be in OPTS. NULL: none. */
static const char *cgroup_of(const char *cg, const char *opts, char *buf, size_t len)
{
	char line[512], have[512], want[128];

	snprintf(have, sizeof(have), ",%s,", opts);
	for (const char *p = cg, *nl; *p; p = nl + (*nl != '\0')) {
		char *ctl, *path, *save = NULL;
		bool all = true;

		nl = p + strcspn(p, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		ctl = strchr(line, ':');
		path = ctl ? strchr(ctl + 1, ':') : NULL;
		if (!path || path == ctl + 1)
			continue;
		*path++ = '\0';
		for (char *c = strtok_r(ctl + 1, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
			snprintf(want, sizeof(want), ",%s,", c);
			all = all && strstr(have, want);
		}
		if (all) {
			snprintf(buf, len, "%s", path);
			return buf;
		}
	}
	return NULL;
}

/* One v1 hierarchy (mounted at MP, its root ROOT) bound at DEST/NAME: our own cgroup in it,
 * as runc lays it out. DESTFD is the container's cgroup tmpfs. */
static int bind_hierarchy(int destfd, const struct oci_mount *m, const char *mp, const char *root,
			  const char *cgpath, char *err, int errlen)
{
	const char *name = strrchr(mp, '/') + 1, *rel = cgpath;
	char src[PATH_MAX], target[64];
	_cleanup_close_ int fd = -1;
	size_t n = strlen(root);
	int r;

	/* Outside what this mount shows of the hierarchy: nothing of ours to bind. */
	if (strcmp(root, "/") != 0) {
		if (strncmp(cgpath, root, n) != 0 || (cgpath[n] && cgpath[n] != '/'))
			return 0;
		rel = cgpath + n;
	}
	snprintf(src, sizeof(src), "%s%s", mp, rel);
	if (!*name)
		return 0;
	if (mkdirat(destfd, name, 0755) < 0)
		return rootfs_fail(-errno, err, errlen, "cgroup: mkdir %s/%s: %s", m->dst, name,
				   strerror(errno));
	fd = openat(destfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return rootfs_fail(-errno, err, errlen, "cgroup: open %s/%s: %s", m->dst, name,
				   strerror(errno));
	rootfs_fd_path(target, sizeof(target), fd);
	if (mount(src, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "cgroup: bind %s on %s/%s: %s", src, m->dst,
				   name, strerror(errno));
	close(take_fd(&fd));
	fd = openat(destfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return rootfs_fail(-errno, err, errlen, "cgroup: open %s/%s: %s", m->dst, name,
				   strerror(errno));
	rootfs_fd_path(target, sizeof(target), fd);
	r = remount_bind(target, (m->flags & BIND_FLAGS) | MS_NOSUID | MS_NODEV | MS_NOEXEC);
	if (r < 0)
		return rootfs_fail(r, err, errlen, "cgroup: remount %s/%s: %s", m->dst, name,
				   strerror(-r));
	/* A co-mounted hierarchy is found by each of its names (cpu, cpuacct -> cpu,cpuacct). */
	if (strchr(name, ',')) {
		char names[NAME_MAX + 1], *save = NULL;

		snprintf(names, sizeof(names), "%s", name);
		for (char *c = strtok_r(names, ",", &save); c; c = strtok_r(NULL, ",", &save))
			if (symlinkat(name, destfd, c) < 0 && errno != EEXIST)
				return rootfs_fail(-errno, err, errlen, "cgroup: link %s/%s: %s",
						   m->dst, c, strerror(errno));
	}
	return 0;
}

/* cgroup v1 (or hybrid): a tmpfs at the destination, and in it each hierarchy the host
 * has, our own cgroup of it bound read-only (the child joined them already). */
static int mount_cgroup_v1(int rootfd, const struct oci_mount *m, char *err, int errlen)
{
	struct oci_mount t = *m;
	_cleanup_free_ char *info = NULL, *cg = NULL;
	_cleanup_close_ int destfd = -1;
	char target[64], cgpath[PATH_MAX];
	size_t len;
	int r;

	t.type = "tmpfs";
	t.flags = (m->flags & ~MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	t.data = "mode=755";
	t.propagation = 0;
	r = mount_fs(rootfd, &t, "tmpfs", err, errlen);
	if (r < 0)
		return r;
	r = read_file(AT_FDCWD, "/proc/self/mountinfo", &info, &len);
	if (r == 0)
		r = read_file(AT_FDCWD, "/proc/self/cgroup", &cg, &len);
	if (r < 0)
		return rootfs_fail(r, err, errlen, "cgroup: read /proc/self: %s", strerror(-r));
	destfd = rootfs_resolve(rootfd, "cgroup", m->dst, IN_ROOT_OPEN, err, errlen);
	if (destfd < 0)
		return destfd;
	for (char *line = info, *next; r == 0 && *line; line = next) {
		char *f[10], *save = NULL, *sep, *nl = line + strcspn(line, "\n");
		int n = 0;

		next = nl + (*nl != '\0');
		*nl = '\0';
		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		for (char *w = strtok_r(line, " ", &save); w && n < 5;
		     w = strtok_r(NULL, " ", &save))
			f[n++] = w;
		save = NULL;
		for (char *w = strtok_r(sep + 3, " ", &save); w && n < 8;
		     w = strtok_r(NULL, " ", &save))
			f[n++] = w;
		/* f: id, parent, dev, root, mount point; type, source, super options */
		if (n < 8 || strcmp(f[5], "cgroup") != 0)
			continue;
		if (cgroup_of(cg, f[7], cgpath, sizeof(cgpath)))
			r = bind_hierarchy(destfd, m, unescape(f[4]), unescape(f[3]), cgpath, err,
					   errlen);
	}
	if (r < 0)
		return r;
	if (m->flags & MS_RDONLY) {
		rootfs_fd_path(target, sizeof(target), destfd);
		r = remount_bind(target, t.flags | MS_RDONLY);
		if (r < 0)
			return rootfs_fail(r, err, errlen, "cgroup: %s read-only: %s", m->dst,
					   strerror(-r));
	}
	return mount_finish(rootfd, m, 0, err, errlen);
}

static int mount_cgroup(int rootfd, const struct oci_mount *m, char *err, int errlen)
{
	struct statfs sf;

	/* On cgroup v2, with a cgroup namespace of its own, the container sees its cgroup as /. */
	if (statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
		return mount_fs(rootfd, m, "cgroup2", err, errlen);
	return mount_cgroup_v1(rootfd, m, err, errlen);
}

static int mount_one(int rootfd, const struct spec_oci *oci, const struct oci_mount *m, char *err,
		     int errlen)
{
	if (m->bind)
		return mount_bind(rootfd, oci, m, err, errlen);
	if (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)
		return mount_cgroup(rootfd, m, err, errlen);
	return mount_fs(rootfd, m, m->type, err, errlen);
}

/* /dev bound from the host: its nodes are the host's, and runc makes none. */
static bool dev_is_bound(const struct spec_oci *oci)
{
	for (size_t i = 0; i < oci->nmounts; i++) {
		const char *d = oci->mounts[i].dst;

		if (oci->mounts[i].bind && strncmp(d, "/dev", 4) == 0 &&
		    d[4 + strspn(d + 4, "/")] == 0)
			return true;
	}
	return false;
}

/* A node at D's path, made inside the root whatever its directories are (an image's
 * /dev -> /, a path through ..): the directory is resolved in the root, the node made in it. */
static int make_device(int rootfd, const struct oci_device *d, char *err, int errlen)
{
	const char *base = strrchr(d->path, '/') + 1;
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	char dir[PATH_MAX];
	_cleanup_close_ int parent = -1;
	int r;

	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return rootfs_fail(-EINVAL, err, errlen, "device '%s': not a file name", d->path);
	/* The kernel keeps 12 bits of major and 20 of minor, and mknod(2) drops the rest of
	 * dev_t: 4104:0 would become 8:0, the host's disk, not what the allowlist was told. */
	if (d->major > 4095 || d->minor > 1048575)
		return rootfs_fail(-EINVAL, err, errlen,
				   "device %s: %lld:%lld is out of range (major 0..4095, minor "
				   "0..1048575)",
				   d->path, (long long)d->major, (long long)d->minor);
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - d->path), d->path);
	parent = rootfs_resolve(rootfd, "device", dir, IN_ROOT_MKDIR, err, errlen);
	if (parent < 0)
		return parent;
	r = mknodat(parent, base, type | (d->mode & 07777), makedev(d->major, d->minor)) < 0
		    ? -errno
		    : 0;
	/* There already (the image's, or one of mounts[]): left as it is, as runc does. */
	if (r == -EEXIST)
		return 0;
	if (r == 0 && (fchmodat(parent, base, d->mode & 07777, 0) < 0 ||
		       fchownat(parent, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0))
		r = -errno;
	/* In a user namespace no node can be made: the host's, at the same path, is bound. */
	if (r == -EPERM) {
		_cleanup_close_ int fd = openat(
			parent, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
		char target[64];

		r = fd < 0 ? -errno : 0;
		if (r == 0) {
			rootfs_fd_path(target, sizeof(target), fd);
			if (mount(d->path, target, NULL, MS_BIND, NULL) < 0)
				return rootfs_fail(-errno, err, errlen,
						   "device %s: bind the host's (no node can be "
						   "made in a user namespace): %s",
						   d->path, strerror(errno));
		}
	}
	if (r < 0)
		return rootfs_fail(r, err, errlen, "device %s: %s", d->path, strerror(-r));
	return 0;
}

static bool device_listed(const struct spec_oci *oci, const char *path)
{
	for (size_t i = 0; i < oci->ndevices; i++)
		if (strcmp(oci->devices[i].path, path) == 0)
			return true;
	return false;
}

/* runc's default nodes, the config's, and the links of /dev. */
static int populate_dev(int rootfd, const struct spec_oci *oci, char *err, int errlen)
{
	_cleanup_close_ int dev = -1;
	int r = 0;

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(default_devices); i++)
		if (!device_listed(oci, default_devices[i].path))
			r = make_device(rootfd, &default_devices[i], err, errlen);
	for (size_t i = 0; r == 0 && i < oci->ndevices; i++)
		r = make_device(rootfd, &oci->devices[i], err, errlen);
	if (r < 0)
		return r;
	dev = rootfs_resolve(rootfd, "dev", "/dev", IN_ROOT_MKDIR, err, errlen);
	if (dev < 0)
		return dev;
	for (size_t i = 0; i < ARRAY_SIZE(dev_links); i++)
		if (symlinkat(dev_links[i].target, dev, dev_links[i].name) < 0 && errno != EEXIST)
			return rootfs_fail(-errno, err, errlen, "symlink /dev/%s: %s",
					   dev_links[i].name, strerror(errno));
	if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev, "core") < 0 &&
	    errno != EEXIST)
		return rootfs_fail(-errno, err, errlen, "symlink /dev/core: %s", strerror(errno));
	/* The devpts instance's own ptmx, never an image's node. */
	if ((unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT) ||
	    symlinkat("pts/ptmx", dev, "ptmx") < 0)
		return rootfs_fail(-errno, err, errlen, "symlink /dev/ptmx: %s", strerror(errno));
	return 0;
}

static int set_sysctls(const char *root, const struct spec *spec, char *err, int errlen)
{
	for (size_t i = 0; spec->sysctls && spec->sysctls[i]; i++) {
		int r = rootfs_set_sysctl(root, spec->sysctls[i], err, errlen);

		if (r < 0)
			return r;
	}
	return 0;
}

/* maskedPaths, then readonlyPaths (runc's order), each resolved inside the root. */
static int harden(int rootfd, const struct spec_oci *oci, char *err, int errlen)
{
	int r = 0;

	for (size_t i = 0; r == 0 && oci->masked_paths && oci->masked_paths[i]; i++)
		r = rootfs_mask(rootfd, oci->masked_paths[i], err, errlen);
	for (size_t i = 0; r == 0 && oci->readonly_paths && oci->readonly_paths[i]; i++)
		r = rootfs_readonly_path(rootfd, oci->readonly_paths[i], err, errlen);
	return r;
}

/* root.readonly: / read-only, every other flag it has kept (a setuid file in the image
 * still works; in a user namespace nosuid and nodev may be locked). */
static int root_readonly(char *err, int errlen)
{
	unsigned long flags = mount_flags_of("/") | MS_RDONLY;

	if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "make the root read-only: %s",
				   strerror(errno));
	return 0;
}

int rootfs_child_setup_oci(const struct spec *spec, const struct rt_opts *opts,
			   int (*before_pivot)(void *arg, char *err, int errlen), void *arg,
			   char *err, int errlen)
{
	const struct spec_oci *oci = spec->oci;
	const char *root = oci->root;
	unsigned long prop = oci->rootfs_propagation;
	_cleanup_close_ int rootfd = -1;
	int r = 0;

	/* Nothing we mount may propagate back to the host's mounts: a slave (runc's default)
	 * still sees what the host mounts later, a private one not even that. */
	if (mount(NULL, "/", NULL, MS_REC | (prop & MS_PRIVATE ? MS_PRIVATE : MS_SLAVE), NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "make / a slave: %s", strerror(errno));
	/* root.path is the engine's mount (its overlay): a bind of our own is what we pivot to,
	 * and can be, even when a user namespace locked the mounts it copied. */
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return rootfs_fail(-errno, err, errlen, "bind %s: %s", root, strerror(errno));
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return rootfs_fail(-errno, err, errlen, "open %s: %s", root, strerror(errno));
	for (size_t i = 0; r == 0 && i < oci->nmounts; i++)
		r = mount_one(rootfd, oci, &oci->mounts[i], err, errlen);
	if (r == 0 && !dev_is_bound(oci))
		r = populate_dev(rootfd, oci, err, errlen);
	if (r == 0)
		r = set_sysctls(root, spec, err, errlen);
	if (r == 0 && before_pivot)
		r = before_pivot(arg, err, errlen);
	/* Before pivot_root, through our fds in the host's /proc: one the config lacks or
	 * masks cannot stop them, and inside the root they resolve as they would after it. */
	if (r == 0)
		r = harden(rootfd, oci, err, errlen);
	if (r == 0)
		r = rootfs_pivot_to(rootfd, root, err, errlen);
	if (r == 0 && oci->root_readonly)
		r = root_readonly(err, errlen);
	if (r == 0 && prop && mount(NULL, "/", NULL, prop, NULL) < 0)
		r = rootfs_fail(-errno, err, errlen, "rootfsPropagation on /: %s", strerror(errno));
	(void)opts;
	return r;
}
