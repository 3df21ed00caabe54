/* The OCI front end's top: a bundle's config.json into a struct spec and its spec_oci
 * (ociVersion, root, hostname, hooks, annotations; process in oci_process.c, mounts in
 * oci_mounts.c, linux in oci_linux.c), and freeing them. Pure code: jansson, no system
 * calls. */
#include "oci.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "image.h"
#include "oci_parts.h"
#include "set.h"

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
		r = oci_parse_env(j, json_object_get(v, "env"), oj_key(p, path, "env"), &h->env);
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

static int parse_config(struct oj *j, json_t *root, const char *bundle, struct spec *s,
			struct spec_oci *o)
{
	int r = parse_version(j, root);

	if (r == 0)
		r = parse_root(j, json_object_get(root, "root"), bundle, o);
	if (r == 0)
		r = oci_parse_process(j, json_object_get(root, "process"), "process", s, o);
	if (r == 0)
		r = oj_str(j, json_object_get(root, "hostname"), "hostname", &s->hostname);
	if (r == 0)
		r = oj_str(j, json_object_get(root, "domainname"), "domainname", &o->domainname);
	if (r == 0)
		r = oci_parse_mounts(j, json_object_get(root, "mounts"), o);
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
	/* Set in the uts namespace listed, new or joined (runc's rule, runtime-tools'
	 * linux_ns_path): never the host's. */
	if (r == 0 && s->hostname && !o->ns[OCI_NS_UTS].set)
		r = oj_fail(j, "hostname", "needs a uts namespace (new or joined)");
	if (r == 0 && o->domainname && !o->ns[OCI_NS_UTS].set)
		r = oj_fail(j, "domainname", "needs a uts namespace (new or joined)");
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
	return oci_keep_as_given(s);
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
	spec_free(s);
}
