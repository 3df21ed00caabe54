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
#include "capnames.h"

uint64_t caps_keep(const struct spec *spec)
{
	return (cap_default_set() | spec->caps_add) & ~spec->caps_drop;
}

#define PASSWD_MAX (4 << 20)

static int bad_file(const char *file, char *err, int errlen)
{
	snprintf(err, errlen, "user: the image's %s is not a regular file (of at most %d MiB)",
		 file, PASSWD_MAX >> 20);
	return -EINVAL;
}

/*
 * Find NAME (or a number) in a passwd- or group-style file of the image: field 0 is the
 * name, field 2 the id, field 3 (passwd) the primary group. -ENOENT if absent.
 */
static int lookup_id(const char *file, const char *name, unsigned *ret_id, unsigned *ret_gid)
{
	_cleanup_free_ char *text = NULL;
	bool numeric = isdigit((unsigned char)name[0]);
	_cleanup_close_ int fd = open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	int r;

	if (fd < 0)
		return -errno;
	/* The container's own file, read with our privileges: a FIFO would hold the setup up
	 * for good, /dev/zero fill its memory. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > PASSWD_MAX)
		return -EBADFD;
	r = read_fd(fd, &text, NULL);
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
		*ret_id = strtoul(f[2], NULL, 10);
		if (ret_gid && n >= 4)
			*ret_gid = strtoul(f[3], NULL, 10);
		return 0;
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
	r = lookup_id("/etc/passwd", buf, &id, &g);
	if (r == -EBADFD)
		return bad_file("/etc/passwd", err, errlen);
	if (r < 0) {
		if (!isdigit((unsigned char)buf[0])) {
			snprintf(err, errlen, "user: '%s' is not in the image's /etc/passwd", buf);
			return -ENOENT;
		}
		id = strtoul(buf, NULL, 10);
		g = 0;
	}
	r = group ? lookup_id("/etc/group", group, &g, NULL) : 0;
	if (r == -EBADFD)
		return bad_file("/etc/group", err, errlen);
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
