/* A bundle's cgroup (kbox oci): its place in each hierarchy, made and removed, joined,
 * frozen, signalled. The files of linux.resources are cgroup_oci_res.c's. */
#include "cgroup_oci.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/syscalls.h"
#include "../lib/util.h"
#include "cgroup_oci_res.h"
#include "spec/cgroup_values.h"
#include "spec/oci.h"

#define HIER_MAX 24
#define WAIT_MS 5000 /* how long removal and freezing wait for the kernel */

/* One mounted hierarchy: v1 (CTLS its controllers, or "name=systemd") or v2. */
struct hier {
	char mnt[PATH_MAX];
	char ctls[128];
	char own[PATH_MAX]; /* the caller's cgroup in it, without the leading '/' */
	bool v2;
};

struct hiers {
	struct hier h[HIER_MAX];
	size_t n;
	bool v2; /* the host is cgroup v2: h[0] is the only hierarchy */
};

bool cgo_unified(void)
{
	struct statfs sf;

	return statfs(CG_ROOT, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

int cgo_path(const struct spec *spec, const char *id, char *buf, size_t len, char *err, int errlen)
{
	return cgv_path(spec->oci ? spec->oci->cgroups_path : NULL, id, buf, len, err, errlen);
}

/* The controllers of a v1 mount's super options: "rw,memory" -> "memory". */
static void mount_ctls(const char *opts, char *out, size_t len)
{
	static const char *const skip[] = {
		"rw",	       "ro", "xattr", "noprefix", "clone_children", "cpuset_v2_mode",
		"favordynmods"};
	size_t o = 0;

	out[0] = '\0';
	for (const char *p = opts; *p; p += strcspn(p, ","), p += *p == ',') {
		size_t n = strcspn(p, ",");
		bool drop = !strncmp(p, "release_agent=", 14);

		for (size_t i = 0; i < ARRAY_SIZE(skip); i++)
			drop |= strlen(skip[i]) == n && !strncmp(p, skip[i], n);
		if (drop || o + n + 2 > len)
			continue;
		o += snprintf(out + o, len - o, "%s%.*s", o ? "," : "", (int)n, p);
	}
}

/* The caller's cgroup in the hierarchy of CTLS ("" for v2), relative to ROOT (the mount's
 * root): what /proc/self/cgroup says. */
static void own_cgroup(const char *cgroups, const char *ctls, const char *root, char *out,
		       size_t len)
{
	const char *line = cgroups;

	out[0] = '\0';
	for (; *line; line += strcspn(line, "\n"), line += *line == '\n') {
		const char *c = strchr(line, ':'), *p;
		size_t n;

		if (!c || !(p = strchr(c + 1, ':')))
			continue;
		n = p - c - 1;
		if (n != strlen(ctls) || strncmp(c + 1, ctls, n))
			continue;
		p++;
		n = strcspn(p, "\n");
		/* A bind mount of a cgroup below the root (a container): relative to it. */
		if (strcmp(root, "/") && !strncmp(p, root, strlen(root)) && n >= strlen(root)) {
			p += strlen(root);
			n -= strlen(root);
		}
		while (n && *p == '/')
			p++, n--;
		snprintf(out, len, "%.*s", (int)n, p);
		return;
	}
}

static int discover(struct hiers *hs)
{
	_cleanup_free_ char *info = NULL, *cgroups = NULL;
	int r;

	memset(hs, 0, sizeof(*hs));
	hs->v2 = cgo_unified();
	r = read_file(AT_FDCWD, "/proc/self/mountinfo", &info, NULL);
	if (r >= 0)
		r = read_file(AT_FDCWD, "/proc/self/cgroup", &cgroups, NULL);
	if (r < 0)
		return log_errno(r, "cgroup: cannot read /proc/self's mounts and cgroups");
	char *save;

	for (char *line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char root[PATH_MAX], mnt[PATH_MAX], type[32], opts[512];
		const char *dash = strstr(line, " - ");
		struct hier *h = &hs->h[hs->n];
		bool dup = false;

		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 ||
		    sscanf(dash, " - %31s %*s %511s", type, opts) != 2)
			continue;
		if (hs->v2 ? strcmp(type, "cgroup2") || strcmp(mnt, CG_ROOT)
			   : strcmp(type, "cgroup") && strcmp(type, "cgroup2"))
			continue;
		h->v2 = !strcmp(type, "cgroup2");
		if (h->v2)
			h->ctls[0] = '\0';
		else
			mount_ctls(opts, h->ctls, sizeof(h->ctls));
		for (size_t i = 0; i < hs->n; i++)
			dup |= hs->h[i].v2 == h->v2 && !strcmp(hs->h[i].ctls, h->ctls);
		if (dup || hs->n == HIER_MAX)
			continue;
		snprintf(h->mnt, sizeof(h->mnt), "%s", mnt);
		own_cgroup(cgroups, h->ctls, root, h->own, sizeof(h->own));
		hs->n++;
		if (hs->v2)
			break;
	}
	if (!hs->n)
		return log_errno(-ENOENT, "cgroup: no cgroup hierarchy is mounted");
	return 0;
}

/* PATH (cgo_path's) in hierarchy H, relative to its mount: "a/b". */
static int rel_path(const struct hier *h, const char *path, char *buf, size_t len)
{
	int n;

	if (path[0] == '/')
		n = snprintf(buf, len, "%s", path + 1);
	else
		n = snprintf(buf, len, "%s%s%s", h->own, h->own[0] ? "/" : "", path);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int open_beneath(int dirfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		/* Never out of the hierarchy: no '..' above it, no symlink, no other mount. */
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_XDEV,
	};
	int fd;

	do
		fd = sys_openat2(dirfd, path, &how);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

/* The cgroup PATH of hierarchy H as an O_RDONLY directory fd, or -errno. */
static int open_leaf(const struct hier *h, const char *path)
{
	_cleanup_close_ int mfd = open_no_symlinks(h->mnt, O_PATH | O_DIRECTORY);
	char rel[PATH_MAX];
	int r;

	if (mfd < 0)
		return mfd;
	r = rel_path(h, path, rel, sizeof(rel));
	if (r < 0)
		return r;
	return open_beneath(mfd, rel, O_RDONLY | O_DIRECTORY);
}

/* What cgo_create made, to take back on failure: deepest last. A leaf that was there
 * already (empty, no children) is the container's once every hierarchy's was found so:
 * from then on (ADOPT) it goes too, as delete would take it, with what was written in it. */
struct made {
	struct {
		char path[PATH_MAX];
		bool old;
	} * dirs;
	size_t n, cap;
	bool adopt;
};

static void undo(struct made *m)
{
	while (m->n-- > 0)
		if (!m->dirs[m->n].old || m->adopt)
			rmdir(m->dirs[m->n].path);
	free(m->dirs);
	m->dirs = NULL;
	m->n = 0;
}

static int remember(struct made *m, const char *mnt, const char *rel, bool old)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		void *d = realloc(m->dirs, cap * sizeof(*m->dirs));

		if (!d)
			return -ENOMEM;
		m->dirs = d;
		m->cap = cap;
	}
	if ((size_t)snprintf(m->dirs[m->n].path, PATH_MAX, "%s/%s", mnt, rel) >= PATH_MAX)
		return -ENAMETOOLONG;
	m->dirs[m->n++].old = old;
	return 0;
}

/* v2: hand the parent's controllers to its children, one at a time: one the parent cannot
 * give (a process in it, a threaded subtree) leaves the others on. */
static void delegate(int dfd)
{
	_cleanup_free_ char *have = NULL;
	_cleanup_close_ int fd = -1;
	char *save;

	if (read_file(dfd, "cgroup.controllers", &have, NULL) < 0)
		return;
	fd = openat(dfd, "cgroup.subtree_control", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (char *t = strtok_r(have, " \n", &save); t; t = strtok_r(NULL, " \n", &save)) {
		char want[64];

		snprintf(want, sizeof(want), "+%s", t);
		if (write(fd, want, strlen(want)) < 0) {
			/* Each refusal is the kernel's to explain at the write that needs it. */
		}
	}
}

/* v1 cpuset starts empty, and an empty one takes no process: the parent's, down. */
static int cpuset_fill(int parent, int child)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *have = NULL, *val = NULL;
		int r;

		if (read_file(child, files[i], &have, NULL) < 0 ||
		    strspn(have, " \n") != strlen(have))
			continue;
		r = read_file(parent, files[i], &val, NULL);
		if (r >= 0)
			r = write_file(child, files[i], val);
		if (r < 0)
			return r;
	}
	return 0;
}

/* mkdir -p PATH below hierarchy H, each new directory remembered: the leaf's fd. */
static int make_path(const char *id, const struct hier *h, const char *path, struct made *m,
		     bool *fresh)
{
	_cleanup_close_ int cur = open_no_symlinks(h->mnt, O_RDONLY | O_DIRECTORY);
	char rel[PATH_MAX], done[PATH_MAX] = "", *save;
	bool cpuset = !h->v2 && cgo_has_ctl(h->ctls, "cpuset");
	int r;

	if (cur < 0)
		return log_errno(cur, "%s: cannot open cgroup hierarchy '%s'", id, h->mnt);
	r = rel_path(h, path, rel, sizeof(rel));
	if (r < 0)
		return log_errno(r, "%s: cgroupsPath: '%s' in '%s'", id, path, h->mnt);
	for (char *c = strtok_r(rel, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		bool new;
		int next;

		if (h->v2)
			delegate(cur);
		new = mkdirat(cur, c, 0755) == 0;
		if (!new &&errno != EEXIST)
			return log_errno(-errno, "%s: cannot create cgroup '%s/%s%s%s'", id, h->mnt,
					 done, done[0] ? "/" : "", c);
		snprintf(done + strlen(done), sizeof(done) - strlen(done), "%s%s",
			 done[0] ? "/" : "", c);
		*fresh = new;
		/* The leaf is remembered either way: adopted, it is removed on failure too (musl
		 * leaves SAVE NULL after the last component, glibc at its end). */
		if ((new || !save || !save[strspn(save, "/")]) &&
		    remember(m, h->mnt, done, !new) < 0)
			return -ENOMEM;
		next = open_beneath(cur, c, O_RDONLY | O_DIRECTORY);
		if (next < 0)
			return log_errno(next,
					 "%s: cgroupsPath: cannot open '%s/%s' (a symlink or "
					 "a mount in the hierarchy is never followed)",
					 id, h->mnt, done);
		if (new &&cpuset && (r = cpuset_fill(cur, next)) < 0) {
			close(next);
			return log_errno(r, "%s: cannot copy the parent's cpuset into '%s/%s'", id,
					 h->mnt, done);
		}
		close(cur);
		cur = next;
	}
	return take_fd(&cur);
}

/* A cgroup that was there already belongs to someone while a process is in it or below it,
 * or it has a child cgroup (whose processes, limits and rmdir are not the container's):
 * never taken over. v2 says populated for the whole subtree; on v1 the children's processes
 * are the children's, refused with them. */
static bool in_use(int dfd, bool v2)
{
	_cleanup_free_ char *text = NULL;
	struct dirent *e;
	bool busy = false;
	DIR *d;
	int fd;

	if (read_file(dfd, v2 ? "cgroup.events" : "cgroup.procs", &text, NULL) < 0)
		return true;
	if (v2 ? !strncmp(text, "populated 1", 11) || strstr(text, "\npopulated 1") : text[0])
		return true;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return true;
	}
	while (!busy && (e = readdir(d)))
		busy = e->d_type == DT_DIR && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return busy;
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* The hierarchy that holds hugetlb: v1's own, else a v2 one that offers it (a hybrid host's
 * unified one included: where the kernel keeps a controller no v1 hierarchy took). -1: none. */
static int huge_hier(const struct hiers *hs)
{
	for (size_t i = 0; i < hs->n; i++)
		if (!hs->h[i].v2 && cgo_has_ctl(hs->h[i].ctls, "hugetlb"))
			return i;
	for (size_t i = 0; i < hs->n; i++) {
		_cleanup_free_ char *have = NULL;
		char file[PATH_MAX];

		snprintf(file, sizeof(file), "%s/cgroup.controllers", hs->h[i].mnt);
		if (hs->h[i].v2 && read_file(AT_FDCWD, file, &have, NULL) >= 0) {
			for (char *c = have; *c; c++)
				if (*c == ' ' || *c == '\n')
					*c = ',';
			if (cgo_has_ctl(have, "hugetlb"))
				return i;
		}
	}
	return -1;
}

/* The resources into hierarchy I's LEAF: all of them on v2, a v1 hierarchy's controllers,
 * hugetlb where HUGE is; DEVICES false: the device rules stay as they are (update). */
static int write_res(const char *id, const struct spec_oci *oci, const struct hiers *hs, size_t i,
		     int huge, int leaf, bool devices)
{
	const struct hier *h = &hs->h[i];
	int r = 0;

	if (hs->v2)
		r = cgo_res_v2(id, oci, leaf, devices);
	else if (!h->v2)
		r = cgo_res_v1(id, oci, h->ctls, leaf, devices);
	if (r == 0 && (int)i == huge)
		r = cgo_res_huge(id, &oci->res, leaf, h->v2);
	return r;
}

int cgo_create(const struct spec *spec, const char *id, const char *path, int *ret_fd)
{
	static const struct spec_oci none;
	const struct spec_oci *oci = spec->oci ? spec->oci : &none;
	struct made m = {0};
	struct hiers hs;
	int leaves[HIER_MAX];
	char norm[PATH_MAX], err[256];
	bool devices = false;
	int r, huge;

	*ret_fd = -1;
	/* The path comes back from a state file too: checked as config.json's would be. */
	r = cgv_path(path, id, norm, sizeof(norm), err, sizeof(err));
	if (r < 0) {
		log_msg("%s: linux.cgroupsPath: %s", id, err);
		return r;
	}
	r = discover(&hs);
	if (r < 0)
		return r;
	r = cgo_res_check(id, oci, hs.v2);
	if (r < 0)
		return r;
	for (size_t i = 0; i < hs.n; i++)
		leaves[i] = -1;
	for (size_t i = 0; i < hs.n; i++)
		devices |= !hs.h[i].v2 && cgo_has_ctl(hs.h[i].ctls, "devices");
	if (!hs.v2 && !devices) {
		/* CAP_MKNOD without a device cgroup reaches every disk. */
		log_msg("%s: linux.resources.devices: this cgroup v1 host has no devices "
			"hierarchy to hold the device rules",
			id);
		return -EOPNOTSUPP;
	}
	huge = huge_hier(&hs);
	if (huge < 0 && oci->res.nhugepages) {
		log_msg("%s: linux.resources.hugepageLimits: this host has no hugetlb controller",
			id);
		return -EOPNOTSUPP;
	}
	/* Every hierarchy's leaf made or found unused before anything is written in any. */
	for (size_t i = 0; i < hs.n; i++) {
		const struct hier *h = &hs.h[i];
		bool fresh = false;

		leaves[i] = make_path(id, h, norm, &m, &fresh);
		if (leaves[i] < 0) {
			r = leaves[i];
			goto fail;
		}
		if (!fresh && in_use(leaves[i], h->v2)) {
			log_msg("%s: linux.cgroupsPath: cgroup '%s' in '%s' exists and holds "
				"processes or child cgroups: it is not the container's to take",
				id, norm, h->mnt);
			r = -EBUSY;
			goto fail;
		}
	}
	m.adopt = true;
	for (size_t i = 0; i < hs.n; i++) {
		r = write_res(id, oci, &hs, i, huge, leaves[i], true);
		if (r < 0)
			goto fail;
		if (hs.v2)
			*ret_fd = take_fd(&leaves[i]);
	}
	close_all(leaves, hs.n);
	free(m.dirs);
	return 0;
fail:
	close_all(leaves, hs.n);
	if (*ret_fd >= 0)
		close(*ret_fd);
	*ret_fd = -1;
	undo(&m);
	return r;
}

int cgo_update(const struct spec_oci *oci, const char *id, const char *path)
{
	struct hiers hs;
	int r = discover(&hs), huge;

	if (r == 0)
		r = cgo_res_check(id, oci, hs.v2);
	if (r < 0)
		return r;
	huge = huge_hier(&hs);
	if (huge < 0 && oci->res.nhugepages) {
		log_msg("%s: linux.resources.hugepageLimits: this host has no hugetlb controller",
			id);
		return -EOPNOTSUPP;
	}
	/* Memory's hierarchy first: the kernel's likeliest refusal (a limit below the usage)
	 * then comes before anything else has changed. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; r == 0 && i < hs.n; i++) {
			const struct hier *h = &hs.h[i];
			bool mem = hs.v2 || cgo_has_ctl(h->ctls, "memory");
			_cleanup_close_ int leaf = -1;

			if (mem != (pass == 0) || (h->v2 && !hs.v2 && (int)i != huge))
				continue;
			leaf = open_leaf(h, path);
			if (leaf < 0)
				return log_errno(leaf, "%s: cgroup: cannot open '%s' in '%s'", id,
						 path, h->mnt);
			r = write_res(id, oci, &hs, i, huge, leaf, false);
		}
	return r;
}

int cgo_join(const char *path, pid_t pid)
{
	struct hiers hs;
	char val[16];
	int r = discover(&hs);

	if (r < 0)
		return r;
	snprintf(val, sizeof(val), "%d", (int)pid);
	for (size_t i = 0; i < hs.n; i++) {
		_cleanup_close_ int leaf = open_leaf(&hs.h[i], path);

		if (leaf < 0)
			return log_errno(leaf, "cgroup: cannot open '%s' in '%s'", path,
					 hs.h[i].mnt);
		r = write_file(leaf, "cgroup.procs", val);
		if (r < 0)
			return log_errno(r, "cgroup: cannot move %d into '%s%s'", (int)pid,
					 hs.h[i].mnt, path);
	}
	return 0;
}

/* The hierarchy that answers for the processes: v2's, else v1's freezer or the first. */
static const struct hier *main_hier(const struct hiers *hs, const char *want)
{
	for (size_t i = 0; i < hs->n; i++)
		if (!hs->v2 && !hs->h[i].v2 && cgo_has_ctl(hs->h[i].ctls, want))
			return &hs->h[i];
	return hs->v2 || !want ? &hs->h[0] : NULL;
}

static int pids_at(int dfd, int depth, pid_t **v, size_t *n, size_t *cap)
{
	_cleanup_free_ char *procs = NULL;
	DIR *d;
	struct dirent *e;
	char *save;
	int r = read_file(dfd, "cgroup.procs", &procs, NULL);

	if (r < 0)
		return r;
	for (char *t = strtok_r(procs, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
		if (*n == *cap) {
			size_t c = *cap ? *cap * 2 : 64;
			pid_t *nv = realloc(*v, c * sizeof(**v));

			if (!nv)
				return -ENOMEM;
			*v = nv;
			*cap = c;
		}
		(*v)[(*n)++] = (pid_t)atoi(t);
	}
	if (depth > 32)
		return 0;
	r = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r < 0 || !(d = fdopendir(r))) {
		if (r >= 0)
			close(r);
		return -errno;
	}
	while (r >= 0 && (e = readdir(d))) {
		_cleanup_close_ int sub = -1;

		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		sub = open_beneath(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY);
		if (sub >= 0)
			r = pids_at(sub, depth + 1, v, n, cap);
	}
	closedir(d);
	return r < 0 ? r : 0;
}

int cgo_pids(const char *path, pid_t **ret, size_t *ret_n)
{
	struct hiers hs;
	size_t n = 0, cap = 0;
	pid_t *v = NULL;
	const struct hier *h;
	int r = discover(&hs), leaf;

	*ret = NULL;
	*ret_n = 0;
	if (r < 0)
		return r;
	h = main_hier(&hs, "freezer");
	leaf = open_leaf(h ? h : &hs.h[0], path);
	if (leaf < 0)
		return leaf;
	r = pids_at(leaf, 0, &v, &n, &cap);
	close(leaf);
	if (r < 0) {
		free(v);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

static long ms_left(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (end->tv_sec - now.tv_sec) * 1000 + (end->tv_nsec - now.tv_nsec) / 1000000;
}

static void deadline(struct timespec *end, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, end);
	end->tv_sec += ms / 1000;
	end->tv_nsec += (ms % 1000) * 1000000;
	if (end->tv_nsec >= 1000000000) {
		end->tv_sec++;
		end->tv_nsec -= 1000000000;
	}
}

/* v2: wait until cgroup.events says "KEY VAL", on its POLLPRI. */
static int events_wait(int dfd, const char *key, int val)
{
	_cleanup_close_ int fd = openat(dfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	struct timespec end;
	char want[32];

	if (fd < 0)
		return -errno;
	snprintf(want, sizeof(want), "%s %d", key, val);
	deadline(&end, WAIT_MS);
	for (;;) {
		char buf[256];
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		struct pollfd p = {.fd = fd, .events = POLLPRI};
		char *at;
		long left;

		if (n < 0)
			return -errno;
		buf[n] = '\0';
		at = strstr(buf, want);
		if (at && (at == buf || at[-1] == '\n') &&
		    (at[strlen(want)] == '\n' || !at[strlen(want)]))
			return 0;
		left = ms_left(&end);
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, left) < 0 && errno != EINTR)
			return -errno;
	}
}

/* v1's freezer has no event: its state is read until the kernel is done, a little longer
 * between each read, and FROZEN written again as runc does (a task may fork meanwhile). */
static int v1_freeze(int dfd, bool frozen)
{
	const char *want = frozen ? "FROZEN" : "THAWED";
	struct timespec end, pause = {0, 100000};
	int r;

	deadline(&end, WAIT_MS);
	for (;;) {
		_cleanup_free_ char *state = NULL;

		r = write_file(dfd, "freezer.state", want);
		if (r < 0)
			return r;
		r = read_file(dfd, "freezer.state", &state, NULL);
		if (r < 0)
			return r;
		if (!strncmp(state, want, strlen(want)))
			return 0;
		if (ms_left(&end) <= 0)
			return -ETIMEDOUT;
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 10000000)
			pause.tv_nsec *= 2;
	}
}

int cgo_freeze(const char *path, bool frozen)
{
	struct hiers hs;
	const struct hier *h;
	int r = discover(&hs), leaf;

	if (r < 0)
		return r;
	h = main_hier(&hs, "freezer");
	if (!h)
		return log_errno(-EOPNOTSUPP, "cgroup: no freezer hierarchy here");
	leaf = open_leaf(h, path);
	if (leaf < 0)
		return log_errno(leaf, "cgroup: cannot open '%s' in '%s'", path, h->mnt);
	if (hs.v2) {
		r = write_file(leaf, "cgroup.freeze", frozen ? "1" : "0");
		if (r >= 0)
			r = events_wait(leaf, "frozen", frozen);
	} else {
		r = v1_freeze(leaf, frozen);
	}
	close(leaf);
	if (r < 0)
		return log_errno(r, "cgroup: cannot %s '%s'", frozen ? "freeze" : "thaw", path);
	return 0;
}

bool cgo_frozen(const char *path)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_close_ int leaf = -1;
	struct hiers hs;
	const struct hier *h;

	if (discover(&hs) < 0 || !(h = main_hier(&hs, "freezer")))
		return false;
	leaf = open_leaf(h, path);
	if (leaf < 0 || read_file(leaf, hs.v2 ? "cgroup.events" : "freezer.state", &text, NULL) < 0)
		return false;
	if (!hs.v2)
		return !strncmp(text, "FROZEN", 6);
	return strstr(text, "\nfrozen 1") || !strncmp(text, "frozen 1", 8);
}

int cgo_kill(const char *path, int sig)
{
	_cleanup_free_ pid_t *pids = NULL;
	bool v2 = cgo_unified(), thaw = false;
	size_t n;
	int r;

	if (v2 && sig == SIGKILL) {
		struct hiers hs;
		_cleanup_close_ int leaf = -1;

		if (discover(&hs) < 0)
			return -ENOENT;
		leaf = open_leaf(&hs.h[0], path);
		if (leaf < 0)
			return leaf;
		r = write_file(leaf, "cgroup.kill", "1");
		if (r != -ENOENT)
			return r;
	}
	/* Frozen, nothing forks between reading the list and signalling it. A v1 frozen task
	 * cannot die: after SIGKILL the cgroup is thawed even if it was paused before. */
	if (!v2 && !cgo_frozen(path))
		thaw = cgo_freeze(path, true) == 0;
	else if (!v2 && sig == SIGKILL)
		thaw = true;
	r = cgo_pids(path, &pids, &n);
	for (size_t i = 0; r >= 0 && i < n; i++)
		if (kill(pids[i], sig) < 0 && errno != ESRCH)
			r = -errno;
	if (thaw)
		cgo_freeze(path, false);
	return r;
}

/* v1: until the tasks file is empty. */
static int tasks_wait(int dfd)
{
	struct timespec end, pause = {0, 100000};

	deadline(&end, WAIT_MS);
	for (;;) {
		_cleanup_free_ char *tasks = NULL;

		if (read_file(dfd, "tasks", &tasks, NULL) < 0 || !tasks[0])
			return 0;
		if (ms_left(&end) <= 0)
			return -EBUSY;
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 10000000)
			pause.tv_nsec *= 2;
	}
}

/* rmdir NAME below DFD after what is below it; EBUSY waited out (bounded). */
static int remove_tree(int dfd, const char *name, bool v2, int depth)
{
	_cleanup_close_ int fd = open_beneath(dfd, name, O_RDONLY | O_DIRECTORY);
	struct dirent *e;
	DIR *d;
	int r = 0, sub;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	sub = depth < 32 ? openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (sub >= 0 && (d = fdopendir(sub))) {
		while ((e = readdir(d)))
			if (e->d_type == DT_DIR && e->d_name[0] != '.' && !r)
				r = remove_tree(fd, e->d_name, v2, depth + 1);
		closedir(d);
	} else if (sub >= 0) {
		close(sub);
	}
	if (r < 0)
		return r;
	if (unlinkat(dfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
		return 0;
	if (errno != EBUSY)
		return -errno;
	/* Killed processes leave their cgroup a little after they are reaped. */
	r = v2 ? events_wait(fd, "populated", 0) : tasks_wait(fd);
	if (r < 0)
		return -EBUSY;
	return unlinkat(dfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : -errno;
}

int cgo_remove(const char *path)
{
	struct hiers hs;
	int r = discover(&hs), first = 0;

	if (r < 0)
		return r;
	for (size_t i = 0; i < hs.n; i++) {
		_cleanup_close_ int mfd = open_no_symlinks(hs.h[i].mnt, O_PATH | O_DIRECTORY);
		_cleanup_close_ int parent = -1;
		char rel[PATH_MAX], *slash;

		if (mfd < 0 || rel_path(&hs.h[i], path, rel, sizeof(rel)) < 0)
			continue;
		slash = strrchr(rel, '/');
		if (slash) {
			*slash = '\0';
			parent = open_beneath(mfd, rel, O_PATH | O_DIRECTORY);
			if (parent == -ENOENT)
				continue;
		}
		r = parent < 0 && slash
			    ? parent
			    : remove_tree(slash ? parent : mfd, slash ? slash + 1 : rel, hs.v2, 0);
		if (r < 0 && !first)
			first = r;
	}
	return first;
}
