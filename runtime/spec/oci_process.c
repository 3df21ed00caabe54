/* config.json's process, and runc exec's process file, which is that object alone: args,
 * env, cwd, user, capabilities, rlimits, terminal and the rest, into the spec and its
 * spec_oci. Pure code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../../lib/util.h"
#include "capnames.h"
#include "oci_parts.h"

/* Keys kbox ignores (LSM labels: kbox has no LSM support, so none can be relaxed) are still
 * of the type runtime-spec gives them. */
static int ignored_str(struct oj *j, json_t *obj, const char *parent, const char *key)
{
	char p[OJ_PATH], *s = NULL;
	int r = oj_str(j, json_object_get(obj, key), oj_key(p, parent, key), &s);

	free(s);
	return r;
}

/* "CAP_" and upper case letters, digits and '_': the kernel's way of naming one. */
static bool cap_name_shaped(const char *name)
{
	const char *c = name + 4;

	if (strncmp(name, "CAP_", 4) != 0 || !*c || strlen(c) > 32)
		return false;
	for (; *c; c++)
		if (!(*c >= 'A' && *c <= 'Z') && !(*c >= '0' && *c <= '9') && *c != '_')
			return false;
	return true;
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
			/* A name in the kernel's shape that kbox does not know (a newer kernel's)
			 * is skipped, as runc 1.1 skips it: it could only be granted, never taken
			 * away, so leaving it out gives the process less. */
			if (cap < 0 && cap_name_shaped(name))
				continue;
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
	r = oj_u32(j, json_object_get(v, "uid"), oj_key(p, path, "uid"), SPEC_ID_MAX, &o->uid);
	if (r == 0)
		r = oj_u32(j, json_object_get(v, "gid"), oj_key(p, path, "gid"), SPEC_ID_MAX,
			   &o->gid);
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
			r = oj_u32(j, e, q, SPEC_ID_MAX, &o->additional_gids[i]);
		if (r < 0)
			return r;
		o->nadditional_gids++;
	}
	return 0;
}

int oci_parse_env(struct oj *j, json_t *v, const char *path, char ***ret)
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
int oci_parse_process(struct oj *j, json_t *v, const char *path, struct spec *s, struct spec_oci *o)
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
		r = oci_parse_env(j, json_object_get(v, "env"), oj_key(p, path, "env"),
				  &s->run_env);
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
		r = oj_refuse(j, v, path, "ioPriority", "kbox does not set I/O priorities");
	if (r == 0)
		r = oj_refuse(j, v, path, "scheduler", "kbox does not set scheduling policies");
	if (r == 0)
		r = oj_refuse(j, v, path, "execCPUAffinity", "kbox does not set CPU affinities");
	return r;
}

/* Where the process ran by other front ends' rules, make those rules give the same again
 * (spec_apply_image, called once more, keeps argv and run_env as config.json said). */
int oci_keep_as_given(struct spec *s)
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

int spec_oci_parse_process(const char *text, size_t len, struct spec *spec, char *err, int errlen)
{
	struct oj j = {.file = "process.json", .err = err, .errlen = errlen};
	struct spec s = {0};
	struct spec_oci o = {0};
	json_t *root = NULL;
	int r;

	err[0] = '\0';
	r = oj_load(&j, text, len, &root);
	if (r == 0)
		r = oci_parse_process(&j, root, "", &s, &o);
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
	return oci_keep_as_given(spec);
}
