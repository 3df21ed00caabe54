/* Resource limits (parent side); the user, capabilities and no_new_privs (child side). */
#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "spec/capnames.h"
#include "spec/oci.h"

/* A passwd or group file bigger than this is not one (a large site's has some 10,000 lines). */
#define ACCOUNT_FILE_MAX (4 << 20)

uint64_t caps_keep(const struct spec *spec)
{
	return (cap_default_set() | spec->caps_add) & ~spec->caps_drop;
}

/* An id field of the image's FILE, which its author writes: the spec's rule for numbers
 * (digits only, never wrapped), so that 2^32 or -1 cannot become uid 0. */
static int parse_id(const char *file, const char *name, const char *field, unsigned *ret, char *err,
		    int errlen)
{
	unsigned long long v;

	if (spec_parse_uint(field, SPEC_ID_MAX, &v) < 0) {
		snprintf(err, errlen,
			 "user: '%.32s' for '%s' in the image's %s is not an id (0..%llu)", field,
			 name, file, SPEC_ID_MAX);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* The image's FILE, which its author made: a fifo would hold the setup at open, /dev/zero
 * would be read until memory runs out. -ENOENT if absent; -EINVAL, with why, if not a sane
 * regular file. */
static int read_account_file(const char *file, char **ret_text, char *err, int errlen)
{
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "user: the image's %s is %s, not a file", file,
			 S_ISFIFO(st.st_mode)  ? "a fifo"
			 : S_ISCHR(st.st_mode) ? "a character device"
			 : S_ISDIR(st.st_mode) ? "a directory"
					       : "not a regular file");
		return -EINVAL;
	}
	if (st.st_size > ACCOUNT_FILE_MAX) {
		snprintf(err, errlen, "user: the image's %s is %lld bytes; %d at most", file,
			 (long long)st.st_size, ACCOUNT_FILE_MAX);
		return -EINVAL;
	}
	return read_fd(fd, ret_text, NULL);
}

/*
 * Find NAME (or a number) in a passwd- or group-style file of the image: field 0 is the
 * name, field 2 the id, field 3 (passwd) the primary group. -ENOENT if absent, -EINVAL
 * (with why in err) if its ids are not ids.
 */
static int lookup_id(const char *file, const char *name, unsigned *ret_id, unsigned *ret_gid,
		     char *err, int errlen)
{
	_cleanup_free_ char *text = NULL;
	bool numeric = isdigit((unsigned char)name[0]);
	int r = read_account_file(file, &text, err, errlen);

	if (r < 0)
		return r;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *f[4] = {0};
		int n = 0;

		for (char *p = line; n < 4; p++) {
			f[n++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p = '\0';
		}
		if (n < 3)
			continue;
		if (numeric ? strcmp(f[2], name) != 0 : strcmp(f[0], name) != 0)
			continue;
		r = parse_id(file, name, f[2], ret_id, err, errlen);
		if (r == 0 && ret_gid && n >= 4)
			r = parse_id(file, name, f[3], ret_gid, err, errlen);
		return r;
	}
	return -ENOENT;
}

/* user = uid[:gid] or name[:group]; numbers need not exist in the image, names must. */
static int resolve_user(const char *user, uid_t *uid, gid_t *gid, char *err, int errlen)
{
	char buf[80], *group;
	unsigned id, g = 0;
	int r;

	snprintf(buf, sizeof(buf), "%s", user);
	group = strchr(buf, ':');
	if (group)
		*group++ = '\0';
	r = lookup_id("/etc/passwd", buf, &id, &g, err, errlen);
	if (r == -EINVAL)
		return r;
	if (r < 0) {
		if (!isdigit((unsigned char)buf[0])) {
			snprintf(err, errlen, "user: '%s' is not in the image's /etc/passwd", buf);
			return -ENOENT;
		}
		id = strtoul(buf, NULL, 10); /* the spec's parser checked it */
		g = 0;
	}
	r = group ? lookup_id("/etc/group", group, &g, NULL, err, errlen) : 0;
	if (r == -EINVAL)
		return r;
	if (r < 0) {
		if (!isdigit((unsigned char)group[0])) {
			snprintf(err, errlen, "user: group '%s' is not in the image's /etc/group",
				 group);
			return -ENOENT;
		}
		g = strtoul(group, NULL, 10);
	}
	*uid = id;
	*gid = g;
	return 0;
}

static int set_caps(uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2] = {
		{(uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable},
		{(uint32_t)(effective >> 32), (uint32_t)(permitted >> 32),
		 (uint32_t)(inheritable >> 32)},
	};

	return syscall(SYS_capset, &hdr, data) < 0 ? -errno : 0;
}

int caps_parent_rlimits(pid_t pid, const struct spec *spec)
{
	for (size_t i = 0; i < spec->nrlimits; i++) {
		const struct spec_rlimit *rl = &spec->rlimits[i];
		struct rlimit lim = {rl->soft, rl->hard};

		if (prlimit(pid, rl->resource, &lim, NULL) < 0)
			return log_errno(-errno, "%s: rlimit_%s: cannot set %llu:%llu", spec->name,
					 spec_rlimit_name(rl->resource), rl->soft, rl->hard);
	}
	return 0;
}

int caps_child_apply(const struct spec *spec, char *err, int errlen)
{
	uint64_t keep = caps_keep(spec);
	uid_t uid = 0;
	gid_t gid = 0;
	int r;

	if (spec->user) {
		r = resolve_user(spec->user, &uid, &gid, err, errlen);
		if (r < 0)
			return r;
	}

	/* Anything beyond the kept set leaves the bounding set for good. */
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap) >= 0; cap++) {
		if (cap < 64 && (keep & (1ULL << cap)))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap) < 0) {
			snprintf(err, errlen, "drop %s from the bounding set: %s", cap_name(cap),
				 strerror(errno));
			return -errno;
		}
	}
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0) {
		snprintf(err, errlen, "set group %u: %s", (unsigned)gid, strerror(errno));
		return -errno;
	}
	/* Leaving uid 0 clears the permitted and effective sets, as Docker's users expect. */
	if (setresuid(uid, uid, uid) < 0) {
		snprintf(err, errlen, "set user %u: %s", (unsigned)uid, strerror(errno));
		return -errno;
	}
	r = uid == 0 ? set_caps(keep, keep, 0) : set_caps(0, 0, 0);
	if (r < 0) {
		snprintf(err, errlen, "capset: %s", strerror(-r));
		return r;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		snprintf(err, errlen, "clear ambient capabilities: %s", strerror(errno));
		return -errno;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "set no_new_privs: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* In a user namespace that denies setgroups (joined, or mapped by someone unprivileged)
 * an empty list cannot be set, and need not be: the kernel keeps the one we have. */
static bool setgroups_denied(void)
{
	_cleanup_free_ char *text = NULL;

	return read_file(AT_FDCWD, "/proc/self/setgroups", &text, NULL) == 0 &&
	       strncmp(text, "deny", 4) == 0;
}

static uint64_t held_caps(void)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2] = {0};

	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return data[0].permitted | (uint64_t)data[1].permitted << 32;
}

int caps_child_apply_oci(const struct spec_oci *oci, char *err, int errlen)
{
	/* Nothing beyond the bounding set: capset would refuse it in the inheritable set, and
	 * the kernel would drop it from the rest at execve anyway. */
	uint64_t bnd = oci->caps.bounding, eff = oci->caps.effective & bnd,
		 prm = oci->caps.permitted & bnd, inh = oci->caps.inheritable & bnd,
		 amb = oci->caps.ambient & bnd & prm & inh;
	int r;

	for (int cap = 0; prctl(PR_CAPBSET_READ, cap) >= 0; cap++) {
		if (cap < 64 && (bnd & (1ULL << cap)))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap) < 0) {
			snprintf(err, errlen, "drop %s from the bounding set: %s", cap_name(cap),
				 strerror(errno));
			return -errno;
		}
	}
	if (oci->nadditional_gids || !setgroups_denied()) {
		gid_t *gids = (gid_t *)oci->additional_gids;

		if (setgroups(oci->nadditional_gids, gids) < 0) {
			snprintf(err, errlen, "user: additionalGids: %s", strerror(errno));
			return -errno;
		}
	}
	/* Our permitted set survives the uid change, as runc keeps it; effective is made
	 * again by capset below. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "keep capabilities: %s", strerror(errno));
		return -errno;
	}
	if (setresgid(oci->gid, oci->gid, oci->gid) < 0) {
		snprintf(err, errlen, "user: set group %u: %s", (unsigned)oci->gid,
			 strerror(errno));
		return -errno;
	}
	if (setresuid(oci->uid, oci->uid, oci->uid) < 0) {
		snprintf(err, errlen, "user: set user %u: %s", (unsigned)oci->uid, strerror(errno));
		return -errno;
	}
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	/* What we hold ourselves bounds the rest (a host without CAP_SYS_RESOURCE). */
	{
		uint64_t have = held_caps();

		eff &= have;
		prm &= have;
		inh &= have;
		amb &= have;
	}
	r = set_caps(eff, prm, inh);
	if (r < 0) {
		snprintf(err, errlen, "capset: %s", strerror(-r));
		return r;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		snprintf(err, errlen, "clear ambient capabilities: %s", strerror(errno));
		return -errno;
	}
	for (int cap = 0; cap < 64; cap++) {
		if (!(amb & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
			snprintf(err, errlen, "raise ambient %s: %s", cap_name(cap),
				 strerror(errno));
			return -errno;
		}
	}
	umask(oci->has_umask ? oci->umask : 022);
	/* OCI's default is off (setuid binaries in the image may need to work). */
	if (oci->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "set no_new_privs: %s", strerror(errno));
		return -errno;
	}
	return 0;
}
