/* config.json's mounts: each option read into mount(2)'s flags, the flags it clears, a
 * propagation and the file system's data; bind and rbind; what kbox cannot mount refused.
 * Pure code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "../../lib/util.h"
#include "oci_parts.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

/* mount(2)'s flags by option; "rw", "suid" and the like clear what their opposite sets. */
static const struct {
	const char *name;
	unsigned long set, clear;
} mount_flags[] = {
	{"ro", MS_RDONLY, 0},
	{"rw", 0, MS_RDONLY},
	{"nosuid", MS_NOSUID, 0},
	{"suid", 0, MS_NOSUID},
	{"nodev", MS_NODEV, 0},
	{"dev", 0, MS_NODEV},
	{"noexec", MS_NOEXEC, 0},
	{"exec", 0, MS_NOEXEC},
	{"sync", MS_SYNCHRONOUS, 0},
	{"async", 0, MS_SYNCHRONOUS},
	{"dirsync", MS_DIRSYNC, 0},
	{"remount", MS_REMOUNT, 0},
	{"mand", MS_MANDLOCK, 0},
	{"nomand", 0, MS_MANDLOCK},
	{"noatime", MS_NOATIME, 0},
	{"atime", 0, MS_NOATIME},
	{"nodiratime", MS_NODIRATIME, 0},
	{"diratime", 0, MS_NODIRATIME},
	{"relatime", MS_RELATIME, 0},
	{"norelatime", 0, MS_RELATIME},
	{"strictatime", MS_STRICTATIME, 0},
	{"nostrictatime", 0, MS_STRICTATIME},
	{"nosymfollow", MS_NOSYMFOLLOW, 0},
	{"symfollow", 0, MS_NOSYMFOLLOW},
};

static const struct {
	const char *name;
	unsigned long flags;
} propagations[] = {
	{"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
	{"shared", MS_SHARED},	       {"rshared", MS_SHARED | MS_REC},
	{"slave", MS_SLAVE},	       {"rslave", MS_SLAVE | MS_REC},
	{"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

unsigned long oci_propagation(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(propagations); i++)
		if (strcmp(name, propagations[i].name) == 0)
			return propagations[i].flags;
	return 0;
}

/* Options kbox cannot carry out: each would be dropped silently, or worse, passed to the
 * file system as data that a bind ignores. */
static const char *refused_option(const char *o)
{
	static const char *const recursive[] = {
		"rro",		"rrw",	      "rnosuid",      "rsuid",
		"rnodev",	"rdev",	      "rnoexec",      "rexec",
		"rnoatime",	"ratime",     "rrelatime",    "rnorelatime",
		"rnodiratime",	"rdiratime",  "rstrictatime", "rnostrictatime",
		"rnosymfollow", "rsymfollow",
	};

	if (strcmp(o, "idmap") == 0 || strcmp(o, "ridmap") == 0)
		return "idmapped mounts are not supported";
	for (size_t i = 0; i < ARRAY_SIZE(recursive); i++)
		if (strcmp(o, recursive[i]) == 0)
			return "recursive mount attributes (mount_setattr) are not supported";
	return NULL;
}

static int mount_option(struct oj *j, const char *path, const char *opt, struct oci_mount *m,
			char **data)
{
	const char *why = refused_option(opt);
	unsigned long prop;

	if (why)
		return oj_fail(j, path, "'%s': %s", opt, why);
	/* crun's flags, never the file system's data. */
	if (strcmp(opt, "tmpcopyup") == 0 || strcmp(opt, "notmpcopyup") == 0) {
		m->copyup = opt[0] == 't';
		return 0;
	}
	if (strcmp(opt, "bind") == 0 || strcmp(opt, "rbind") == 0) {
		m->bind = true;
		m->rec |= opt[0] == 'r';
		return 0;
	}
	if ((prop = oci_propagation(opt))) {
		m->propagation = prop;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(mount_flags); i++) {
		if (strcmp(opt, mount_flags[i].name) == 0) {
			m->flags = (m->flags | mount_flags[i].set) & ~mount_flags[i].clear;
			m->clear = (m->clear | mount_flags[i].clear) & ~mount_flags[i].set;
			return 0;
		}
	}
	if (!*opt)
		return 0;
	/* The file system's own: mode=755, size=65536k, newinstance, ... */
	if (*data) {
		char *d;

		if (asprintf(&d, "%s,%s", *data, opt) < 0)
			return -ENOMEM;
		free(*data);
		*data = d;
		return 0;
	}
	return (*data = strdup(opt)) ? 0 : -ENOMEM;
}

static int parse_mount(struct oj *j, json_t *v, const char *path, struct oci_mount *m)
{
	char p[OJ_PATH], q[OJ_PATH];
	char **opts = NULL;
	int r = oj_object(j, v, path);

	if (r == 0)
		r = oj_need(j, v, path);
	if (r == 0)
		r = oj_need(j, json_object_get(v, "destination"), oj_key(p, path, "destination"));
	if (r == 0)
		r = oj_abspath(j, json_object_get(v, "destination"), p, &m->dst);
	if (r == 0)
		r = oj_str(j, json_object_get(v, "type"), oj_key(p, path, "type"), &m->type);
	if (r == 0)
		r = oj_str(j, json_object_get(v, "source"), oj_key(p, path, "source"), &m->src);
	if (r == 0)
		r = oj_strv(j, json_object_get(v, "options"), oj_key(p, path, "options"), &opts);
	for (size_t i = 0; r == 0 && opts && opts[i]; i++)
		r = mount_option(j, oj_idx(q, p, i), opts[i], m, &m->data);
	strv_free(opts);
	if (r == 0)
		r = oj_refuse(j, v, path, "uidMappings", "idmapped mounts are not supported");
	if (r == 0)
		r = oj_refuse(j, v, path, "gidMappings", "idmapped mounts are not supported");
	if (r < 0)
		return r;
	if (m->type && strcmp(m->type, "bind") == 0)
		m->bind = true;
	if (m->bind) {
		free(m->type);
		if (!(m->type = strdup("bind")))
			return -ENOMEM;
		if (!m->src || !*m->src)
			return oj_fail(j, oj_key(p, path, "source"), "missing: a bind needs one");
	} else if (!m->type || !*m->type) {
		return oj_fail(j, oj_key(p, path, "type"), "missing, and no bind option");
	}
	if (m->copyup && (m->bind || strcmp(m->type, "tmpfs")))
		return oj_fail(j, oj_key(p, path, "options"),
			       "tmpcopyup: only a tmpfs is copied up");
	if (!m->src && !(m->src = strdup("none")))
		return -ENOMEM;
	return 0;
}

int oci_parse_mounts(struct oj *j, json_t *v, struct spec_oci *o)
{
	char p[OJ_PATH];
	json_t *e;
	size_t i;
	int r = oj_array(j, v, "mounts");

	if (r < 0 || oj_absent(v))
		return r;
	o->mounts = calloc(json_array_size(v) + 1, sizeof(*o->mounts));
	if (!o->mounts)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		o->nmounts++;
		r = parse_mount(j, e, oj_idx(p, "mounts", i), &o->mounts[i]);
		if (r < 0)
			return r;
	}
	return 0;
}
