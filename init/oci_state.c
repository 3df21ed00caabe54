/* kbox oci's state: ROOT/ID/ (state.json, exec.fifo, the config's copy), its lock, and the
 * status derived from the process, the fifo and the freezer. */
#include "oci.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../runtime/cgroup_oci.h"
#include "../runtime/spec/oci.h"

bool oci_id_ok(const char *id)
{
	const char *why = oci_id_check(id);

	/* The id is the caller's: the log escapes its control bytes. */
	if (why && strlen(id) <= OCI_ID_MAX && id[0])
		log_msg("invalid container id '%s': %s", id, why);
	else if (why)
		log_msg("invalid container id: %s", why);
	return !why;
}

int oci_root_open(const struct oci_global *g)
{
	char parent[PATH_MAX];
	char *slash;
	int r = 0, fd;

	/* The parents are everyone's (/run/kbox holds kbox run's states too, which a
	 * container's user namespace must reach); a root we make is ours alone, one that is
	 * there already keeps its mode, as runc leaves it. */
	snprintf(parent, sizeof(parent), "%s", g->root);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		r = mkdir_p(parent, 0755);
	}
	if (r == 0 && mkdir(g->root, 0700) < 0 && errno != EEXIST)
		r = -errno;
	if (r < 0)
		return log_errno(r, "cannot create root '%s'", g->root);
	fd = open(g->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return log_errno(-errno, "cannot open root '%s'", g->root);
	return fd;
}

static int lock_dir(struct oci_ctr *c, bool shared)
{
	while (flock(c->dirfd, shared ? LOCK_SH : LOCK_EX) < 0)
		if (errno != EINTR)
			return log_errno(-errno, "%s: cannot lock its state", c->id);
	return 0;
}

int oci_ctr_new(const struct oci_global *g, const char *id, struct oci_ctr *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->dirfd = -1;
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->rootfd = oci_root_open(g);
	if (c->rootfd < 0)
		return c->rootfd;
	if (mkdirat(c->rootfd, id, 0700) < 0) {
		r = -errno;
		if (r == -EEXIST)
			log_msg("container with id '%s' already exists", id);
		else
			log_errno(r, "%s: cannot create its state directory", id);
		goto fail;
	}
	c->dirfd = openat(c->rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c->dirfd < 0) {
		r = log_errno(-errno, "%s: cannot open its state directory", id);
		unlinkat(c->rootfd, id, AT_REMOVEDIR);
		goto fail;
	}
	r = lock_dir(c, false);
	if (r < 0) {
		oci_ctr_remove(c);
		return r;
	}
	c->owner = geteuid();
	return 0;
fail:
	close(c->rootfd);
	c->rootfd = -1;
	return r;
}

static int copy_str(char *dst, size_t cap, json_t *v)
{
	const char *s = json_string_value(v);

	if (!s || strlen(s) >= cap)
		return -EINVAL;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int load_state(struct oci_ctr *c)
{
	_cleanup_free_ char *text = NULL;
	json_error_t jerr;
	json_t *j, *v;
	size_t len;
	int r;

	r = read_file(c->dirfd, "state.json", &text, &len);
	if (r == -ENOENT)
		return r;
	if (r < 0)
		return log_errno(r, "%s: cannot read its state.json", c->id);
	j = json_loadb(text, len, 0, &jerr);
	if (!j)
		return log_errno(-EINVAL, "%s: state.json: %s", c->id, jerr.text);
	r = -EINVAL;
	v = json_object_get(j, "pid");
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1 << 22)
		goto out;
	c->pid = json_integer_value(v);
	v = json_object_get(j, "start_time");
	if (!json_is_integer(v))
		goto out;
	c->start_time = json_integer_value(v);
	if (copy_str(c->bundle, sizeof(c->bundle), json_object_get(j, "bundle")) < 0 ||
	    copy_str(c->cgroup, sizeof(c->cgroup), json_object_get(j, "cgroup")) < 0 ||
	    copy_str(c->created, sizeof(c->created), json_object_get(j, "created")) < 0)
		goto out;
	c->owner = json_integer_value(json_object_get(j, "owner"));
	c->started = json_is_true(json_object_get(j, "started"));
	r = 0;
out:
	json_decref(j);
	if (r < 0)
		log_msg("%s: state.json: not kbox's", c->id);
	return r;
}

int oci_ctr_open(const struct oci_global *g, const char *id, int flags, struct oci_ctr *c)
{
	struct stat st;
	int r;

	memset(c, 0, sizeof(*c));
	c->rootfd = c->dirfd = -1;
	if (!oci_id_ok(id))
		return -EINVAL;
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->rootfd = open(g->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->rootfd >= 0)
		c->dirfd = openat(c->rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	r = c->dirfd < 0 ? -errno : lock_dir(c, flags & OCI_OPEN_SHARED);
	/* A create that failed has removed the directory it made, after we opened it. */
	if (r == 0)
		r = load_state(c);
	/* With the lock ours, no create is at work on it: one that was has died. */
	if (r == -ENOENT && c->dirfd >= 0 && (flags & OCI_OPEN_ORPHAN) &&
	    fstatat(c->rootfd, id, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		c->orphan = true;
		return 0;
	}
	if (r == -ENOENT || r == -ELOOP || r == -ENOTDIR)
		log_msg("container '%s' does not exist", id);
	else if (r < 0 && c->dirfd < 0)
		log_errno(r, "%s: cannot open its state", id);
	if (r < 0)
		oci_ctr_close(c);
	return r < 0 ? (r == -ELOOP || r == -ENOTDIR ? -ENOENT : r) : 0;
}

void oci_ctr_close(struct oci_ctr *c)
{
	if (c->dirfd >= 0)
		close(c->dirfd);
	if (c->rootfd >= 0)
		close(c->rootfd);
	c->dirfd = c->rootfd = -1;
}

int oci_ctr_save(const struct oci_ctr *c)
{
	json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:I,s:b}", "ociVersion",
			      OCI_SPEC_VERSION, "id", c->id, "pid", (json_int_t)c->pid,
			      "start_time", (json_int_t)c->start_time, "bundle", c->bundle,
			      "cgroup", c->cgroup, "created", c->created, "owner",
			      (json_int_t)c->owner, "started", c->started);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int fd, r;

	json_decref(j);
	if (!text)
		return log_errno(-ENOMEM, "%s: state.json", c->id);
	unlinkat(c->dirfd, "state.json.tmp", 0);
	fd = openat(c->dirfd, "state.json.tmp",
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	r = fd < 0 ? -errno : write_all(fd, text, strlen(text));
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(c->dirfd, "state.json.tmp", c->dirfd, "state.json") < 0)
		r = -errno;
	free(text);
	if (r < 0) {
		unlinkat(c->dirfd, "state.json.tmp", 0);
		return log_errno(r, "%s: cannot write its state.json", c->id);
	}
	return 0;
}

void oci_ctr_remove(struct oci_ctr *c)
{
	struct stat st, name;

	/* The directory is ROOT/ID, opened without following a symlink: what is below it on
	 * its own device goes, nothing through a link. */
	if (c->dirfd < 0 || fstat(c->dirfd, &st) < 0) {
		oci_ctr_close(c);
		return;
	}
	rm_contents(c->dirfd, st.st_dev);
	/* The name may be another container's by now (ours deleted by --force while run
	 * waited, the id created again): only our own directory goes. */
	if (fstatat(c->rootfd, c->id, &name, AT_SYMLINK_NOFOLLOW) == 0 &&
	    name.st_dev == st.st_dev && name.st_ino == st.st_ino &&
	    unlinkat(c->rootfd, c->id, AT_REMOVEDIR) < 0 && errno != ENOENT)
		log_errno(-errno, "%s: cannot remove its state directory", c->id);
	oci_ctr_close(c);
}

unsigned long long oci_start_time(pid_t pid)
{
	_cleanup_free_ char *text = NULL;
	char path[32], *p;
	unsigned long long v = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pid <= 0 || read_file(AT_FDCWD, path, &text, NULL) < 0)
		return 0;
	/* comm may hold spaces and parentheses: the fields start after the last ')'. */
	p = strrchr(text, ')');
	if (!p)
		return 0;
	/* Field 3 (state) is first after it; field 22 is the 20th from there. A zombie has
	 * exited: it counts as gone. */
	if (p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;
	p += 2;
	for (int i = 3; i < 22 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (p)
		v = strtoull(p, NULL, 10);
	return v;
}

bool oci_alive(const struct oci_ctr *c)
{
	return c->pid > 0 && c->start_time && oci_start_time(c->pid) == c->start_time;
}

enum oci_status oci_status(const struct oci_ctr *c)
{
	struct stat st;

	if (!oci_alive(c))
		return OCI_STOPPED;
	if (!c->started && fstatat(c->dirfd, "exec.fifo", &st, AT_SYMLINK_NOFOLLOW) == 0)
		return OCI_CREATED;
	if (c->cgroup[0] && cgo_frozen(c->cgroup))
		return OCI_PAUSED;
	return OCI_RUNNING;
}

const char *oci_status_name(enum oci_status s)
{
	static const char *const names[] = {
		[OCI_CREATING] = "creating", [OCI_CREATED] = "created", [OCI_RUNNING] = "running",
		[OCI_PAUSED] = "paused",     [OCI_STOPPED] = "stopped",
	};

	return names[s];
}

/* The annotations of the config's copy, for the state; an empty object without one. */
static json_t *annotations(const struct oci_ctr *c)
{
	_cleanup_free_ char *text = NULL;
	json_t *cfg, *a, *r;
	size_t len;

	if (c->dirfd < 0 || read_file(c->dirfd, "config.json", &text, &len) < 0)
		return json_object();
	cfg = json_loadb(text, len, 0, NULL);
	a = json_object_get(cfg, "annotations");
	r = json_is_object(a) ? json_deep_copy(a) : json_object();
	json_decref(cfg);
	return r;
}

char *oci_state_json(const struct oci_ctr *c, enum oci_status s, bool pretty)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:I,s:s,s:o}", "ociVersion", OCI_SPEC_VERSION, "id",
			      c->id, "status", oci_status_name(s), "pid",
			      (json_int_t)(s == OCI_STOPPED ? 0 : c->pid), "bundle", c->bundle,
			      "annotations", annotations(c));
	char *text;

	/* runc's own keys beside the spec's: engines read them. */
	if (j && c->created[0])
		json_object_set_new(j, "created", json_string(c->created));
	if (j)
		json_object_set_new(j, "owner", json_string(""));
	text = j ? json_dumps(j, pretty ? JSON_INDENT(2) | JSON_PRESERVE_ORDER
					: JSON_COMPACT | JSON_PRESERVE_ORDER)
		 : NULL;
	json_decref(j);
	return text;
}

int oci_read_config(int dirfd, const char *what, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	/* Non-blocking: a fifo named config.json must not hold us. */
	fd = openat(dirfd, "config.json", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT)
			log_msg("%s: config.json: not found", what);
		else
			log_errno(r, "%s: config.json", what);
		return r;
	}
	if (fstat(fd, &st) < 0)
		return log_errno(-errno, "%s: config.json", what);
	if (!S_ISREG(st.st_mode)) {
		log_msg("%s: config.json: not a regular file", what);
		return -EINVAL;
	}
	if (st.st_size > OCI_CONFIG_MAX) {
		log_msg("%s: config.json: larger than %d bytes", what, OCI_CONFIG_MAX);
		return -EFBIG;
	}
	/* Bounded again as it is read: the file may grow after fstat. */
	r = read_fd_max(fd, OCI_CONFIG_MAX, ret, ret_len);
	if (r == -EFBIG) {
		log_msg("%s: config.json: larger than %d bytes", what, OCI_CONFIG_MAX);
		return r;
	}
	return r < 0 ? log_errno(r, "%s: config.json", what) : 0;
}

int oci_ctr_spec(const struct oci_ctr *c, struct spec **ret)
{
	_cleanup_free_ char *text = NULL;
	char err[512];
	size_t len;
	int r;

	r = oci_read_config(c->dirfd, c->id, &text, &len);
	if (r < 0)
		return r;
	r = spec_oci_parse(text, len, c->bundle, c->id, ret, err, sizeof(err));
	if (r == -EINVAL)
		log_msg("%s", err);
	else if (r < 0)
		log_errno(r, "%s: config.json", c->id);
	return r;
}
