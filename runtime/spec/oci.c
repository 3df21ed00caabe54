/* The OCI front end's top: a bundle's config.json into a struct spec and its spec_oci
 * (ociVersion, process, root, hostname, mounts, hooks, annotations; linux in oci_linux.c),
 * runc exec's process file, and freeing both. Pure code: jansson, no system calls. */
#include "oci.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "../../lib/util.h"
#include "capnames.h"
#include "image.h"
#include "oci_parts.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

#define ID_MAX 4294967294U /* uid and gid: 4294967295 is (uid_t)-1, "no change" */

/* Keys that ask for what kbox cannot give: refused when set, whatever their value. */
static int refuse_set(struct oj *j, json_t *obj, const char *parent, const char *key,
		      const char *why)
{
	char p[OJ_PATH];

	if (oj_absent(json_object_get(obj, key)))
		return 0;
	return oj_fail(j, oj_key(p, parent, key), "%s", why);
}

/* Keys kbox ignores (LSM labels: kbox has no LSM support, so none can be relaxed) are still
 * of the type runtime-spec gives them. */
static int ignored_str(struct oj *j, json_t *obj, const char *parent, const char *key)
{
	char p[OJ_PATH], *s = NULL;
	int r = oj_str(j, json_object_get(obj, key), oj_key(p, parent, key), &s);

	free(s);
	return r;
}

static int parse_caps(struct oj *j, json_t *v, const char *path, struct oci_caps *c)
{
	static const char *const sets[] = {"bounding", "effective", "inheritable", "permitted",
					   "ambient"};
	uint64_t *bits[] = {&c->bounding, &c->effective, &c->inheritable, &c->permitted,
			    &c->ambient};
	char p[OJ_PATH], q[OJ_PATH], b[OJ_SHOW];
	int r = oj_object(j, v, path);

	memset(c, 0, sizeof(*c));
	for (size_t k = 0; r == 0 && !oj_absent(v) && k < ARRAY_SIZE(sets); k++) {
		json_t *list = json_object_get(v, sets[k]), *e;
		size_t i;

		r = oj_array(j, list, oj_key(p, path, sets[k]));
		if (r < 0 || oj_absent(list))
			continue;
		json_array_foreach(list, i, e)
		{
			const char *name;
			int cap;

			oj_idx(q, p, i);
			if (!json_is_string(e))
				return oj_fail(j, q, "expected a capability name like CAP_CHOWN");
			name = json_string_value(e);
			cap = strncmp(name, "CAP_", 4) == 0 ? cap_from_name(name) : -1;
			/* cap_from_name takes any case; OCI writes the kernel's names. */
			if (cap < 0 || strcmp(name + 4, cap_name(cap)) != 0)
				return oj_fail(j, q, "'%s' is not a capability", oj_shows(name, b));
			*bits[k] |= 1ULL << cap;
		}
	}
	return r;
}

/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE: the kernel's names, upper case, as runc takes them. */
static int rlimit_of(const char *type)
{
	char low[32];
	size_t n;

	if (strncmp(type, "RLIMIT_", 7) != 0 || (n = strlen(type + 7)) >= sizeof(low) || !n)
		return -1;
	for (size_t i = 0; i <= n; i++) {
		char c = type[7 + i];

		if (c >= 'a' && c <= 'z')
			return -1;
		low[i] = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
	}
	return spec_rlimit_from_name(low);
}

static int parse_rlimits(struct oj *j, json_t *v, const char *path, struct spec *s)
{
	char p[OJ_PATH], q[OJ_PATH], b[OJ_SHOW];
	json_t *e;
	size_t i;
	int r = oj_array(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	s->rlimits = calloc(json_array_size(v) + 1, sizeof(*s->rlimits));
	if (!s->rlimits)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		struct spec_rlimit *rl = &s->rlimits[i];
		char *type = NULL;
		uint64_t soft = 0, hard = 0;

		oj_idx(p, path, i);
		r = oj_object(j, e, p);
		if (r == 0)
			r = oj_need(j, e, p);
		if (r == 0)
			r = oj_str(j, json_object_get(e, "type"), oj_key(q, p, "type"), &type);
		if (r == 0 && !type)
			r = oj_fail(j, q, "missing");
		if (r == 0 && (rl->resource = rlimit_of(type)) < 0)
			r = oj_fail(j, q, "'%s' is not a resource limit like RLIMIT_NOFILE",
				    oj_shows(type, b));
		for (size_t k = 0; r == 0 && k < i; k++)
			if (s->rlimits[k].resource == rl->resource)
				r = oj_fail(j, q, "'%s' again", type);
		free(type);
		if (r == 0)
			r = oj_need(j, json_object_get(e, "soft"), oj_key(q, p, "soft"));
		if (r == 0)
			r = oj_u64(j, json_object_get(e, "soft"), q, UINT64_MAX, &soft);
		if (r == 0)
			r = oj_need(j, json_object_get(e, "hard"), oj_key(q, p, "hard"));
		if (r == 0)
			r = oj_u64(j, json_object_get(e, "hard"), q, UINT64_MAX, &hard);
		if (r == 0 && soft > hard)
			r = oj_fail(j, p, "soft %llu is above hard %llu", (unsigned long long)soft,
				    (unsigned long long)hard);
		if (r < 0)
			return r;
		rl->soft = soft;
		rl->hard = hard;
		s->nrlimits++;
	}
	return 0;
}

static int parse_user(struct oj *j, json_t *v, const char *path, struct spec_oci *o)
{
	char p[OJ_PATH], q[OJ_PATH];
	json_t *gids, *e;
	uint32_t umask = 0;
	size_t i;
	int r = oj_object(j, v, path);

	if (r < 0 || oj_absent(v))
		return r;
	r = oj_u32(j, json_object_get(v, "uid"), oj_key(p, path, "uid"), ID_MAX, &o->uid);
	if (r == 0)
		r = oj_u32(j, json_object_get(v, "gid"), oj_key(p, path, "gid"), ID_MAX, &o->gid);
	if (r == 0 && !oj_absent(json_object_get(v, "umask"))) {
		o->has_umask = true;
		r = oj_u32(j, json_object_get(v, "umask"), oj_key(p, path, "umask"), 0777, &umask);
		o->umask = umask;
	}
	gids = json_object_get(v, "additionalGids");
	if (r == 0)
		r = oj_array(j, gids, oj_key(p, path, "additionalGids"));
	if (r < 0 || oj_absent(gids))
		return r;
	o->additional_gids = calloc(json_array_size(gids) + 1, sizeof(uint32_t));
	if (!o->additional_gids)
		return -ENOMEM;
	json_array_foreach(gids, i, e)
	{
		r = oj_need(j, e, oj_idx(q, p, i));
		if (r == 0)
			r = oj_u32(j, e, q, ID_MAX, &o->additional_gids[i]);
		if (r < 0)
			return r;
		o->nadditional_gids++;
	}
	return 0;
}

static int parse_env(struct oj *j, json_t *v, const char *path, char ***ret)
{
	char p[OJ_PATH], b[OJ_SHOW];
	int r = oj_strv(j, v, path, ret);

	for (size_t i = 0; r == 0 && *ret && (*ret)[i]; i++) {
		const char *e = (*ret)[i];

		if (!strchr(e, '=') || e[0] == '=')
			return oj_fail(j, oj_idx(p, path, i), "'%s' is not NAME=value",
				       oj_shows(e, b));
	}
	return r;
}

/* process, of config.json (PATH "process") or of runc exec's file (PATH ""), into S and O. */
static int parse_process(struct oj *j, json_t *v, const char *path, struct spec *s,
			 struct spec_oci *o)
{
	char p[OJ_PATH], q[OJ_PATH];
	json_t *cs;
	int64_t adj = 0;
	int r = oj_object(j, v, path);

	if (r == 0 && oj_absent(v))
		r = oj_fail(j, path, "missing: create needs a process to run");
	if (r == 0)
		r = oj_strv(j, json_object_get(v, "args"), oj_key(p, path, "args"), &s->argv);
	if (r == 0 && (!s->argv || !s->argv[0]))
		r = oj_fail(j, p, "%s: create needs at least one argument",
			    s->argv ? "empty" : "missing");
	if (r == 0)
		r = parse_env(j, json_object_get(v, "env"), oj_key(p, path, "env"), &s->run_env);
	if (r == 0 && !s->run_env && !(s->run_env = calloc(1, sizeof(char *))))
		r = -ENOMEM;
	if (r == 0)
		r = oj_need(j, json_object_get(v, "cwd"), oj_key(p, path, "cwd"));
	if (r == 0)
		r = oj_abspath(j, json_object_get(v, "cwd"), p, &s->workdir);
	if (r == 0)
		r = oj_bool(j, json_object_get(v, "terminal"), oj_key(p, path, "terminal"),
			    &o->terminal);
	cs = json_object_get(v, "consoleSize");
	if (r == 0)
		r = oj_object(j, cs, oj_key(p, path, "consoleSize"));
	if (r == 0 && !oj_absent(cs))
		r = oj_u32(j, json_object_get(cs, "height"), oj_key(q, p, "height"), UINT32_MAX,
			   &o->console_height);
	if (r == 0 && !oj_absent(cs))
		r = oj_u32(j, json_object_get(cs, "width"), oj_key(q, p, "width"), UINT32_MAX,
			   &o->console_width);
	if (r == 0)
		r = parse_user(j, json_object_get(v, "user"), oj_key(p, path, "user"), o);
	if (r == 0)
		r = parse_caps(j, json_object_get(v, "capabilities"),
			       oj_key(p, path, "capabilities"), &o->caps);
	if (r == 0)
		r = parse_rlimits(j, json_object_get(v, "rlimits"), oj_key(p, path, "rlimits"), s);
	if (r == 0)
		r = oj_bool(j, json_object_get(v, "noNewPrivileges"),
			    oj_key(p, path, "noNewPrivileges"), &o->no_new_privileges);
	if (r == 0 && !oj_absent(json_object_get(v, "oomScoreAdj"))) {
		o->has_oom_score_adj = true;
		r = oj_int(j, json_object_get(v, "oomScoreAdj"), oj_key(p, path, "oomScoreAdj"),
			   -1000, 1000, &adj);
		o->oom_score_adj = adj;
	}
	if (r == 0)
		r = ignored_str(j, v, path, "apparmorProfile");
	if (r == 0)
		r = ignored_str(j, v, path, "selinuxLabel");
	if (r == 0)
		r = refuse_set(j, v, path, "ioPriority", "kbox does not set I/O priorities");
	if (r == 0)
		r = refuse_set(j, v, path, "scheduler", "kbox does not set scheduling policies");
	if (r == 0)
		r = refuse_set(j, v, path, "execCPUAffinity", "kbox does not set CPU affinities");
	return r;
}

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
	{"private", MS_PRIVATE},
	{"rprivate", MS_PRIVATE | MS_REC},
	{"shared", MS_SHARED},
	{"rshared", MS_SHARED | MS_REC},
	{"slave", MS_SLAVE},
	{"rslave", MS_SLAVE | MS_REC},
	{"unbindable", MS_UNBINDABLE},
	{"runbindable", MS_UNBINDABLE | MS_REC},
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
		"rro",	     "rrw",	   "rnosuid",	  "rsuid",	"rnodev",
		"rdev",	     "rnoexec",	   "rexec",	  "rnoatime",	"ratime",
		"rrelatime", "rnorelatime", "rnodiratime", "rdiratime",	"rstrictatime",
		"rnostrictatime", "rnosymfollow", "rsymfollow",
	};

	if (strcmp(o, "tmpcopyup") == 0)
		return "tmpcopyup (crun's copy of the image's files into a tmpfs) is not supported";
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
		r = refuse_set(j, v, path, "uidMappings", "idmapped mounts are not supported");
	if (r == 0)
		r = refuse_set(j, v, path, "gidMappings", "idmapped mounts are not supported");
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
	if (!m->src && !(m->src = strdup("none")))
		return -ENOMEM;
	return 0;
}

static int parse_mounts(struct oj *j, json_t *v, struct spec_oci *o)
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

static const char *const hook_names[OCI_HOOK_COUNT] = {
	[OCI_HOOK_PRESTART] = "prestart",
	[OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
	[OCI_HOOK_CREATE_CONTAINER] = "createContainer",
	[OCI_HOOK_START_CONTAINER] = "startContainer",
	[OCI_HOOK_POSTSTART] = "poststart",
	[OCI_HOOK_POSTSTOP] = "poststop",
};

static int parse_hook(struct oj *j, json_t *v, const char *path, struct oci_hook *h)
{
	char p[OJ_PATH];
	int64_t timeout = 0;
	int r = oj_object(j, v, path);

	if (r == 0)
		r = oj_need(j, v, path);
	if (r == 0)
		r = oj_need(j, json_object_get(v, "path"), oj_key(p, path, "path"));
	if (r == 0)
		r = oj_abspath(j, json_object_get(v, "path"), p, &h->path);
	if (r == 0)
		r = oj_strv(j, json_object_get(v, "args"), oj_key(p, path, "args"), &h->args);
	if (r == 0)
		r = parse_env(j, json_object_get(v, "env"), oj_key(p, path, "env"), &h->env);
	if (r == 0)
		r = oj_int(j, json_object_get(v, "timeout"), oj_key(p, path, "timeout"), 1,
			   UINT32_MAX, &timeout);
	h->timeout = timeout;
	return r;
}

static int parse_hooks(struct oj *j, json_t *v, struct spec_oci *o)
{
	char p[OJ_PATH], q[OJ_PATH];
	int r = oj_object(j, v, "hooks");

	for (int k = 0; r == 0 && !oj_absent(v) && k < OCI_HOOK_COUNT; k++) {
		json_t *list = json_object_get(v, hook_names[k]), *e;
		struct oci_hooks *hs = &o->hooks[k];
		size_t i;

		r = oj_array(j, list, oj_key(p, "hooks", hook_names[k]));
		if (r < 0 || oj_absent(list))
			continue;
		hs->list = calloc(json_array_size(list) + 1, sizeof(*hs->list));
		if (!hs->list)
			return -ENOMEM;
		json_array_foreach(list, i, e)
		{
			hs->n++;
			r = parse_hook(j, e, oj_idx(q, p, i), &hs->list[i]);
			if (r < 0)
				return r;
		}
	}
	return r;
}

static int parse_root(struct oj *j, json_t *v, const char *bundle, struct spec_oci *o)
{
	char *path = NULL;
	int r = oj_object(j, v, "root");

	if (r == 0)
		r = oj_need(j, v, "root");
	if (r == 0)
		r = oj_need(j, json_object_get(v, "path"), "root.path");
	if (r == 0)
		r = oj_str(j, json_object_get(v, "path"), "root.path", &path);
	if (r == 0 && !*path)
		r = oj_fail(j, "root.path", "empty");
	if (r == 0)
		r = oj_bool(j, json_object_get(v, "readonly"), "root.readonly", &o->root_readonly);
	if (r == 0 && path[0] == '/') {
		o->root = path;
		path = NULL;
	} else if (r == 0) {
		const char *rel = path;

		while (rel[0] == '.' && rel[1] == '/')
			rel += 2;
		if (asprintf(&o->root, "%s%s%s", bundle,
			     bundle[strlen(bundle) - 1] == '/' ? "" : "/", rel) < 0) {
			o->root = NULL;
			r = -ENOMEM;
		}
	}
	free(path);
	/* "rootfs/" and "/x/": the runtime compares and joins the root as a path. */
	for (size_t n; r == 0 && (n = strlen(o->root)) > 1 && o->root[n - 1] == '/';)
		o->root[n - 1] = '\0';
	return r;
}

static int parse_version(struct oj *j, json_t *root)
{
	char *v = NULL, b[OJ_SHOW];
	int r = oj_need(j, json_object_get(root, "ociVersion"), "ociVersion");

	if (r == 0)
		r = oj_str(j, json_object_get(root, "ociVersion"), "ociVersion", &v);
	if (r == 0 && strncmp(v, "1.", 2) != 0)
		r = oj_fail(j, "ociVersion", "'%s' is not a version 1 of runtime-spec",
			    oj_shows(v, b));
	free(v);
	return r;
}

/* "" is no name, as runc reads it; the kernel takes 64 bytes at most. */
static int uts_name(struct oj *j, const char *path, char **name)
{
	if (*name && !**name) {
		free(*name);
		*name = NULL;
	}
	if (*name && strlen(*name) > 64)
		return oj_fail(j, path, "%zu bytes, more than the kernel's 64", strlen(*name));
	return 0;
}

/* Where the process ran by other front ends' rules, make those rules give the same again
 * (spec_apply_image, called once more, keeps argv and run_env as config.json said). */
static int keep_as_given(struct spec *s)
{
	s->src[SK_WORKDIR] = s->src[SK_USER] = s->src[SK_STOP_SIGNAL] = 1;
	s->src[SK_LOG] = s->src[SK_NET] = s->src[SK_STOP_TIMEOUT] = s->src[SK_SECCOMP] = 1;
	strv_free(s->cmd);
	strv_free(s->entrypoint);
	strv_free(s->env);
	s->cmd = strv_copy(s->argv);
	s->entrypoint = calloc(1, sizeof(char *));
	s->env = strv_copy(s->run_env);
	return s->cmd && s->entrypoint && s->env ? 0 : -ENOMEM;
}

static int parse_config(struct oj *j, json_t *root, const char *bundle, struct spec *s,
			struct spec_oci *o)
{
	int r = parse_version(j, root);

	if (r == 0)
		r = parse_root(j, json_object_get(root, "root"), bundle, o);
	if (r == 0)
		r = parse_process(j, json_object_get(root, "process"), "process", s, o);
	if (r == 0)
		r = oj_str(j, json_object_get(root, "hostname"), "hostname", &s->hostname);
	if (r == 0)
		r = oj_str(j, json_object_get(root, "domainname"), "domainname", &o->domainname);
	if (r == 0)
		r = parse_mounts(j, json_object_get(root, "mounts"), o);
	if (r == 0)
		r = parse_hooks(j, json_object_get(root, "hooks"), o);
	if (r == 0)
		r = oj_strmap(j, json_object_get(root, "annotations"), "annotations",
			      &o->annotations);
	if (r == 0)
		r = oci_parse_linux(j, json_object_get(root, "linux"), s, o);
	if (r == 0)
		r = uts_name(j, "hostname", &s->hostname);
	if (r == 0)
		r = uts_name(j, "domainname", &o->domainname);
	/* Joined, the uts namespace is another container's: its name is not this one's to set. */
	if (r == 0 && s->hostname && (!o->ns[OCI_NS_UTS].set || o->ns[OCI_NS_UTS].path))
		r = oj_fail(j, "hostname", "needs a uts namespace of its own");
	if (r == 0 && o->domainname && (!o->ns[OCI_NS_UTS].set || o->ns[OCI_NS_UTS].path))
		r = oj_fail(j, "domainname", "needs a uts namespace of its own");
	if (r < 0)
		return r;
	s->image = strdup(o->root);
	s->readonly = o->root_readonly;
	s->seccomp = strdup(o->seccomp ? "oci" : "unconfined");
	s->stop_signal = SIGTERM;
	s->stop_timeout_ms = 10000;
	s->log = SPEC_LOG_CONSOLE | SPEC_LOG_FILE;
	if (!s->image || !s->seccomp)
		return -ENOMEM;
	return keep_as_given(s);
}

int spec_oci_parse(const char *text, size_t len, const char *bundle, const char *id,
		   struct spec **ret, char *err, int errlen)
{
	struct oj j = {.file = "config.json", .err = err, .errlen = errlen};
	struct spec *s = calloc(1, sizeof(*s));
	json_t *root = NULL;
	int r = -ENOMEM;

	*ret = NULL;
	err[0] = '\0';
	if (!s || !(s->oci = calloc(1, sizeof(*s->oci))))
		goto out;
	if (!bundle || bundle[0] != '/') {
		r = oj_fail(&j, NULL, "the bundle's path '%s' is not absolute",
			    bundle ? bundle : "");
		goto out;
	}
	if (!(s->name = strdup(id)) || !(s->oci->bundle = strdup(bundle)))
		goto out;
	r = oj_load(&j, text, len, &root);
	if (r == 0)
		r = parse_config(&j, root, bundle, s, s->oci);
out:
	json_decref(root);
	oj_done(&j);
	if (r == -ENOMEM && !err[0])
		snprintf(err, errlen, "config.json: out of memory");
	if (r < 0) {
		spec_oci_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

/* What both spec_oci_parse and spec_oci_parse_process fill of the process. */
static void process_free(struct spec *s, struct spec_oci *o)
{
	strv_free(s->argv);
	strv_free(s->run_env);
	free(s->workdir);
	free(s->rlimits);
	s->argv = s->run_env = NULL;
	s->workdir = NULL;
	s->rlimits = NULL;
	s->nrlimits = 0;
	free(o->additional_gids);
	o->additional_gids = NULL;
	o->nadditional_gids = 0;
}

int spec_oci_parse_process(const char *text, size_t len, struct spec *spec, char *err,
			   int errlen)
{
	struct oj j = {.file = "process.json", .err = err, .errlen = errlen};
	struct spec s = {0};
	struct spec_oci o = {0};
	json_t *root = NULL;
	int r;

	err[0] = '\0';
	r = oj_load(&j, text, len, &root);
	if (r == 0)
		r = parse_process(&j, root, "", &s, &o);
	json_decref(root);
	oj_done(&j);
	if (r < 0) {
		process_free(&s, &o);
		if (r == -ENOMEM && !err[0])
			snprintf(err, errlen, "process.json: out of memory");
		return r;
	}
	process_free(spec, spec->oci);
	spec->argv = s.argv;
	spec->run_env = s.run_env;
	spec->workdir = s.workdir;
	spec->rlimits = s.rlimits;
	spec->nrlimits = s.nrlimits;
	spec->oci->terminal = o.terminal;
	spec->oci->console_height = o.console_height;
	spec->oci->console_width = o.console_width;
	spec->oci->uid = o.uid;
	spec->oci->gid = o.gid;
	spec->oci->additional_gids = o.additional_gids;
	spec->oci->nadditional_gids = o.nadditional_gids;
	spec->oci->has_umask = o.has_umask;
	spec->oci->umask = o.umask;
	spec->oci->caps = o.caps;
	spec->oci->no_new_privileges = o.no_new_privileges;
	spec->oci->has_oom_score_adj = o.has_oom_score_adj;
	spec->oci->oom_score_adj = o.oom_score_adj;
	return keep_as_given(spec);
}

static void oci_free(struct spec_oci *o)
{
	free(o->bundle);
	free(o->root);
	free(o->additional_gids);
	free(o->domainname);
	for (size_t i = 0; i < o->nmounts; i++) {
		free(o->mounts[i].dst);
		free(o->mounts[i].src);
		free(o->mounts[i].type);
		free(o->mounts[i].data);
	}
	free(o->mounts);
	for (int i = 0; i < OCI_NS_COUNT; i++)
		free(o->ns[i].path);
	free(o->uid_maps);
	free(o->gid_maps);
	for (size_t i = 0; i < o->ndevices; i++)
		free(o->devices[i].path);
	free(o->devices);
	oci_resources_free(o);
	free(o->cgroups_path);
	oci_seccomp_free(o->seccomp);
	strv_free(o->masked_paths);
	strv_free(o->readonly_paths);
	for (int k = 0; k < OCI_HOOK_COUNT; k++) {
		for (size_t i = 0; i < o->hooks[k].n; i++) {
			free(o->hooks[k].list[i].path);
			strv_free(o->hooks[k].list[i].args);
			strv_free(o->hooks[k].list[i].env);
		}
		free(o->hooks[k].list);
	}
	strv_free(o->annotations);
	free(o);
}

void spec_oci_free(struct spec *s)
{
	if (!s)
		return;
	if (s->oci)
		oci_free(s->oci);
	free(s->name);
	free(s->image);
	strv_free(s->cmd);
	strv_free(s->entrypoint);
	strv_free(s->env);
	strv_free(s->argv);
	strv_free(s->run_env);
	if (s->image_config) {
		image_config_free(s->image_config);
		free(s->image_config);
	}
	free(s->workdir);
	free(s->hostname);
	free(s->error);
	free(s->user);
	free(s->seccomp);
	free(s->cpuset);
	strv_free(s->sysctls);
	free(s->rlimits);
	free(s);
}
