/* The image config front end of the spec: an image's record read through jansson, and
 * Docker's rules for how its Entrypoint, Cmd, Env, WorkingDir, User and StopSignal become
 * the defaults of a spec's keys. */
#include "image.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"

/* A path in the record ("config.Env[2]"), as the messages name it. */
#define PATH_LEN 96

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "config.Labels.KEY": a long key of garbage would crowd out the reason. */
static void path_key(char *buf, const char *parent, const char *key)
{
	snprintf(buf, PATH_LEN, "%s.%.48s%s", parent, key, strlen(key) > 48 ? "..." : "");
}

/* A string or null (NULL). */
static int get_str(json_t *v, const char *path, char **ret, char *err, size_t errlen)
{
	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return fail(err, errlen, "%s: expected a string", path);
	*ret = strdup(json_string_value(v));
	return *ret ? 0 : -ENOMEM;
}

/* An array of strings, or null (NULL). */
static int get_strv(json_t *v, const char *path, char ***ret, char *err, size_t errlen)
{
	size_t i;
	json_t *e;

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return fail(err, errlen, "%s: expected an array of strings", path);
	/* Bounded: the record is read before every start, in PID 1's loop. */
	if (json_array_size(v) > IMAGE_LIST_MAX)
		return fail(err, errlen, "%s: %zu entries, more than %d", path, json_array_size(v),
			    IMAGE_LIST_MAX);
	*ret = calloc(1, sizeof(char *));
	if (!*ret)
		return -ENOMEM;
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e))
			return fail(err, errlen, "%s[%zu]: expected a string", path, i);
		if (strv_push(ret, json_string_value(e)) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* A whole number from 0 to max. */
static int get_count(json_t *v, const char *path, long long max, long long *ret, char *err,
		     size_t errlen)
{
	if (!v)
		return fail(err, errlen, "%s: missing", path);
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
		return fail(err, errlen, "%s: expected a whole number from 0 to %lld", path, max);
	*ret = json_integer_value(v);
	return 0;
}

static bool valid_digest(const char *d)
{
	if (strncmp(d, "sha256:", 7) != 0 || strlen(d) != 7 + 64)
		return false;
	for (d += 7; *d; d++)
		if (!isdigit((unsigned char)*d) && (*d < 'a' || *d > 'f'))
			return false;
	return true;
}

static int get_digest(json_t *v, const char *path, char **ret, char *err, size_t errlen)
{
	int r = get_str(v, path, ret, err, errlen);

	if (r == 0 && *ret && !valid_digest(*ret))
		return fail(err, errlen, "%s: '%.80s' is not sha256: and 64 hex digits", path,
			    *ret);
	return r;
}

static char **merge_env(char *const *base, char *const *over);

/* Env: NAME=value, a later name replacing an earlier one, as the spec's env key does. */
static int get_env(json_t *v, char ***ret, char *err, size_t errlen)
{
	char **list = NULL;
	int r = get_strv(v, "config.Env", &list, err, errlen);

	*ret = NULL;
	for (size_t i = 0; r == 0 && list && list[i]; i++) {
		size_t klen = strcspn(list[i], "=");

		if (!list[i][klen] || klen == 0)
			r = fail(err, errlen, "config.Env[%zu]: '%.80s' is not NAME=value", i,
				 list[i]);
	}
	if (r == 0 && list && !(*ret = merge_env(NULL, list)))
		r = -ENOMEM;
	strv_free(list);
	return r;
}

static int get_workdir(json_t *v, char **ret, char *err, size_t errlen)
{
	int r = get_str(v, "config.WorkingDir", ret, err, errlen);

	if (r == 0 && *ret && !**ret) {
		free(*ret);
		*ret = NULL;
	}
	if (r == 0 && *ret && **ret != '/')
		return fail(err, errlen, "config.WorkingDir: '%.80s' is not an absolute path",
			    *ret);
	return r;
}

static int get_user(json_t *v, char **ret, char *err, size_t errlen)
{
	char norm[SPEC_USER_MAX], why[SPEC_ERRLEN];
	_cleanup_free_ char *user = NULL;
	int r = get_str(v, "config.User", &user, err, errlen);

	*ret = NULL;
	if (r < 0 || !user || !*user)
		return r;
	if (spec_parse_user(user, norm, why) < 0)
		return fail(err, errlen, "config.User: %s", why);
	*ret = strdup(norm);
	return *ret ? 0 : -ENOMEM;
}

static int get_signal(json_t *v, int *ret, char *err, size_t errlen)
{
	_cleanup_free_ char *name = NULL;
	int r = get_str(v, "config.StopSignal", &name, err, errlen), sig;

	*ret = 0;
	if (r < 0 || !name || !*name)
		return r;
	sig = spec_parse_signal(name);
	if (sig == -ERANGE)
		return fail(err, errlen, "config.StopSignal: '%.80s' is out of range (1..64)",
			    name);
	if (sig < 0)
		return fail(err, errlen,
			    "config.StopSignal: '%.80s' is not a signal (like SIGTERM, TERM or "
			    "15)",
			    name);
	*ret = sig;
	return 0;
}

/* ExposedPorts: {"80/tcp": {}}; only the keys mean anything. */
static int get_ports(json_t *v, char ***ret, char *err, size_t errlen)
{
	const char *key;
	json_t *e;

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return fail(err, errlen, "config.ExposedPorts: expected an object");
	if (json_object_size(v) > IMAGE_LIST_MAX)
		return fail(err, errlen, "config.ExposedPorts: more than %d entries", IMAGE_LIST_MAX);
	*ret = calloc(1, sizeof(char *));
	if (!*ret)
		return -ENOMEM;
	json_object_foreach(v, key, e)
	{
		if (strv_push(ret, key) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int get_labels(json_t *v, struct image_config *ic, char *err, size_t errlen)
{
	char path[PATH_LEN];
	const char *key;
	json_t *e;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return fail(err, errlen, "config.Labels: expected an object");
	if (json_object_size(v) > IMAGE_LIST_MAX)
		return fail(err, errlen, "config.Labels: more than %d entries", IMAGE_LIST_MAX);
	ic->labels = calloc(json_object_size(v) + 1, sizeof(*ic->labels));
	if (!ic->labels)
		return -ENOMEM;
	json_object_foreach(v, key, e)
	{
		struct image_label *l = &ic->labels[ic->nlabels];

		if (!json_is_string(e)) {
			path_key(path, "config.Labels", key);
			return fail(err, errlen, "%s: expected a string", path);
		}
		l->key = strdup(key);
		l->value = strdup(json_string_value(e));
		ic->nlabels++;
		if (!l->key || !l->value)
			return -ENOMEM;
	}
	return 0;
}

/* The image config's "config": the keys of the OCI image spec (and Docker's) kbox uses. */
static int parse_config(json_t *c, struct image_config *ic, char *err, size_t errlen)
{
	int r;

	if (!c || json_is_null(c))
		return 0;
	if (!json_is_object(c))
		return fail(err, errlen, "config: expected an object");
	r = get_strv(json_object_get(c, "Entrypoint"), "config.Entrypoint", &ic->entrypoint, err,
		     errlen);
	if (r == 0)
		r = get_strv(json_object_get(c, "Cmd"), "config.Cmd", &ic->cmd, err, errlen);
	if (r == 0)
		r = get_env(json_object_get(c, "Env"), &ic->env, err, errlen);
	if (r == 0)
		r = get_workdir(json_object_get(c, "WorkingDir"), &ic->workdir, err, errlen);
	if (r == 0)
		r = get_user(json_object_get(c, "User"), &ic->user, err, errlen);
	if (r == 0)
		r = get_signal(json_object_get(c, "StopSignal"), &ic->stop_signal, err, errlen);
	if (r == 0)
		r = get_ports(json_object_get(c, "ExposedPorts"), &ic->exposed_ports, err, errlen);
	if (r == 0)
		r = get_labels(json_object_get(c, "Labels"), ic, err, errlen);
	return r;
}

static int parse_record(json_t *root, struct image_config *ic, char *err, size_t errlen)
{
	json_t *v = json_object_get(root, "kbox_image");
	long long version;
	int r;

	if (!v)
		return fail(err, errlen, "kbox_image: missing: not a kbox image record");
	r = get_count(v, "kbox_image", 1000000, &version, err, errlen);
	if (r == 0 && version != IMAGE_RECORD_VERSION)
		return fail(err, errlen, "kbox_image: version %lld is not known (%d is)", version,
			    IMAGE_RECORD_VERSION);
	if (r == 0)
		r = get_str(json_object_get(root, "name"), "name", &ic->name, err, errlen);
	if (r == 0 && !ic->name)
		return fail(err, errlen, "name: missing");
	if (r == 0 && !spec_valid_name(ic->name))
		return fail(err, errlen, "name: '%.80s' is not an image name", ic->name);
	if (r == 0)
		r = get_str(json_object_get(root, "source"), "source", &ic->source, err, errlen);
	if (r == 0)
		r = get_digest(json_object_get(root, "digest"), "digest", &ic->digest, err, errlen);
	if (r == 0)
		r = get_digest(json_object_get(root, "config_digest"), "config_digest",
			       &ic->config_digest, err, errlen);
	if (r == 0)
		r = get_count(json_object_get(root, "size"), "size", (1LL << 62), &ic->size, err,
			      errlen);
	if (r == 0)
		r = get_count(json_object_get(root, "layers"), "layers", 1000000, &ic->layers, err,
			      errlen);
	if (r == 0)
		r = get_str(json_object_get(root, "created"), "created", &ic->created, err, errlen);
	if (r == 0)
		r = parse_config(json_object_get(root, "config"), ic, err, errlen);
	return r;
}

int image_record_parse(const char *json, size_t len, struct image_config *ic, char *err,
		       size_t errlen)
{
	json_error_t je;
	json_t *root;
	int r;

	memset(ic, 0, sizeof(*ic));
	/* Two values for one key: which one the importer meant is anyone's guess. */
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return fail(err, errlen, "not valid JSON: line %d:%d: %s", je.line, je.column,
			    je.text);
	if (json_is_object(root))
		r = parse_record(root, ic, err, errlen);
	else
		r = fail(err, errlen, "expected an object");
	json_decref(root);
	return r;
}

void image_config_free(struct image_config *ic)
{
	free(ic->name);
	free(ic->source);
	free(ic->digest);
	free(ic->config_digest);
	free(ic->created);
	strv_free(ic->entrypoint);
	strv_free(ic->cmd);
	strv_free(ic->env);
	free(ic->workdir);
	free(ic->user);
	strv_free(ic->exposed_ports);
	for (size_t i = 0; i < ic->nlabels; i++) {
		free(ic->labels[i].key);
		free(ic->labels[i].value);
	}
	free(ic->labels);
	memset(ic, 0, sizeof(*ic));
}

/* NULL stays NULL; a copy that failed is *ok false. */
static char *dup_str(const char *s, bool *ok)
{
	char *d = s ? strdup(s) : NULL;

	*ok &= !s || d;
	return d;
}

static char **dup_strv(char *const *v, bool *ok)
{
	char **d = v ? strv_copy(v) : NULL;

	*ok &= !v || d;
	return d;
}

/* A deep copy on the heap, for the spec to keep: NULL when out of memory. */
static struct image_config *image_config_copy(const struct image_config *src)
{
	struct image_config *d = calloc(1, sizeof(*d));
	bool ok = d != NULL;

	if (!d)
		return NULL;
	*d = (struct image_config){
		.name = dup_str(src->name, &ok),
		.source = dup_str(src->source, &ok),
		.digest = dup_str(src->digest, &ok),
		.config_digest = dup_str(src->config_digest, &ok),
		.created = dup_str(src->created, &ok),
		.size = src->size,
		.layers = src->layers,
		.entrypoint = dup_strv(src->entrypoint, &ok),
		.cmd = dup_strv(src->cmd, &ok),
		.env = dup_strv(src->env, &ok),
		.workdir = dup_str(src->workdir, &ok),
		.user = dup_str(src->user, &ok),
		.stop_signal = src->stop_signal,
		.exposed_ports = dup_strv(src->exposed_ports, &ok),
		.labels = calloc(src->nlabels + 1, sizeof(*d->labels)),
	};
	ok &= d->labels != NULL;
	for (size_t i = 0; ok && i < src->nlabels; i++) {
		d->labels[i].key = dup_str(src->labels[i].key, &ok);
		d->labels[i].value = dup_str(src->labels[i].value, &ok);
		d->nlabels++;
	}
	if (!ok) {
		image_config_free(d);
		free(d);
		return NULL;
	}
	return d;
}

/* A followed by B, into a new vector. */
static char **concat(char *const *a, char *const *b)
{
	char **v = calloc(strv_len(a) + strv_len(b) + 1, sizeof(char *));
	size_t n = 0;

	for (size_t i = 0; v && a && a[i]; i++)
		if (!(v[n++] = strdup(a[i])))
			goto fail;
	for (size_t i = 0; v && b && b[i]; i++)
		if (!(v[n++] = strdup(b[i])))
			goto fail;
	return v;
fail:
	strv_free(v);
	return NULL;
}

/* BASE, then each of OVER in place of BASE's entry of that name, or after them all. */
static char **merge_env(char *const *base, char *const *over)
{
	char **env = base ? strv_copy(base) : calloc(1, sizeof(char *));

	for (size_t i = 0; env && over && over[i]; i++) {
		size_t klen = strcspn(over[i], "=") + 1, j;
		char *e;

		for (j = 0; env[j] && strncmp(env[j], over[i], klen) != 0; j++)
			;
		if (!env[j]) {
			if (strv_push(&env, over[i]) < 0)
				goto fail;
			continue;
		}
		e = strdup(over[i]);
		if (!e)
			goto fail;
		free(env[j]);
		env[j] = e;
	}
	return env;
fail:
	strv_free(env);
	return NULL;
}

int spec_apply_image(struct spec *s, const struct image_config *ic, char *err, size_t errlen)
{
	char **argv, **env = NULL, *workdir = NULL, *user = NULL;
	struct image_config *copy = NULL;
	bool ok = true;

	/* Docker's rules: an entrypoint of the spec's own drops the image's Cmd with its
	 * Entrypoint, which were made to go together; a cmd alone replaces only the Cmd. */
	if (s->entrypoint)
		argv = concat(s->entrypoint, s->cmd);
	else
		argv = concat(ic ? ic->entrypoint : NULL, s->cmd ? s->cmd : ic ? ic->cmd : NULL);
	if (!argv)
		return -ENOMEM;
	if (!argv[0] && ic) {
		strv_free(argv);
		return fail(err, errlen,
			    "%s: image '%s' has no Entrypoint or Cmd and the spec sets "
			    "no cmd",
			    s->name, s->image ? s->image : ic->name);
	}
	/* What kbox always ran: the busybox image, or a directory, has no record. */
	if (!argv[0] && strv_push(&argv, "sh") < 0)
		goto nomem;
	env = merge_env(ic ? ic->env : NULL, s->env);
	if (!s->src[SK_WORKDIR])
		workdir = dup_str(ic && ic->workdir ? ic->workdir : "/", &ok);
	if (!s->src[SK_USER])
		user = dup_str(ic ? ic->user : NULL, &ok);
	if (ic)
		copy = image_config_copy(ic);
	if (!env || !ok || (ic && !copy))
		goto nomem;

	strv_free(s->argv);
	s->argv = argv;
	strv_free(s->run_env);
	s->run_env = env;
	if (!s->src[SK_WORKDIR]) {
		free(s->workdir);
		s->workdir = workdir;
	}
	if (!s->src[SK_USER]) {
		free(s->user);
		s->user = user;
	}
	if (!s->src[SK_STOP_SIGNAL])
		s->stop_signal = ic && ic->stop_signal ? ic->stop_signal : SIGTERM;
	if (s->image_config) {
		image_config_free(s->image_config);
		free(s->image_config);
	}
	s->image_config = copy;
	return 0;
nomem:
	strv_free(argv);
	strv_free(env);
	free(workdir);
	free(user);
	if (copy) {
		image_config_free(copy);
		free(copy);
	}
	return -ENOMEM;
}
