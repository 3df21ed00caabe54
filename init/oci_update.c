/* kbox oci update: a live container's linux.resources changed, as runc 1.1's update does:
 * --resources FILE|- or the flags, merged into the config create kept, checked by the
 * front end's parser, written into its cgroup, then kept for the next update. */
#include "oci.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../runtime/cgroup_oci.h"
#include "../runtime/spec/oci.h"
#include "../runtime/spec/values.h"

enum kind { SIZE, UINT, INT, STR };

/* runc update's flags, as linux.resources keys. */
static const struct {
	const char *flag, *obj, *key;
	enum kind kind;
} flags[] = {
	{"memory", "memory", "limit", SIZE},
	{"memory-reservation", "memory", "reservation", SIZE},
	{"memory-swap", "memory", "swap", SIZE},
	{"cpu-share", "cpu", "shares", UINT},
	{"cpu-shares", "cpu", "shares", UINT},
	{"cpu-quota", "cpu", "quota", INT},
	{"cpu-period", "cpu", "period", UINT},
	{"cpuset-cpus", "cpu", "cpus", STR},
	{"cpuset-mems", "cpu", "mems", STR},
	{"pids-limit", "pids", "limit", INT},
	{"blkio-weight", "blockIO", "weight", UINT},
};

/* runc's flags for what kbox does not set. */
static const char *const refused[] = {"cpu-rt-period", "cpu-rt-runtime", "l3-cache-schema",
				      "mem-bw-schema", "kernel-memory",	 "kernel-memory-tcp"};

/* A flag's value as JSON: sizes as runc's units.RAMInBytes reads them ("64m", -1). */
static json_t *flag_value(const char *flag, enum kind kind, const char *v)
{
	unsigned long long u;
	long long n;
	const char *what = "a number";

	switch (kind) {
	case STR:
		return json_string(v);
	case SIZE:
		if (!strcmp(v, "-1"))
			return json_integer(-1);
		if (spec_parse_size(v, &n) == 0)
			return json_integer(n);
		what = "a size";
		break;
	case INT:
		if (!strcmp(v, "-1"))
			return json_integer(-1);
		/* fallthrough */
	case UINT:
		if (spec_parse_uint(v, INT64_MAX, &u) == 0)
			return json_integer((json_int_t)u);
		break;
	}
	log_msg("update: --%s: '%s' is not %s", flag, v, what);
	return NULL;
}

static int read_resources(const char *path, json_t **ret)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_close_ int fd = -1;
	json_error_t jerr;
	size_t len;
	int r;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : dup(0);
	if (fd < 0)
		return log_errno(-errno, "update: --resources '%s'", path);
	r = read_fd_max(fd, OCI_CONFIG_MAX, &text, &len);
	if (r == -EFBIG) {
		log_msg("update: --resources '%s': larger than %d bytes", path, OCI_CONFIG_MAX);
		return r;
	}
	if (r < 0)
		return log_errno(r, "update: --resources '%s'", path);
	*ret = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*ret || !json_is_object(*ret)) {
		log_msg("update: --resources '%s': %s", path,
			*ret ? "not a JSON object (linux.resources)" : jerr.text);
		json_decref(*ret);
		*ret = NULL;
		return -EINVAL;
	}
	return 0;
}

/* The update as a linux.resources object; *I at the id. */
static int parse_flags(int argc, char **argv, json_t **ret, int *i)
{
	const char *v, *file = NULL;
	json_t *res = json_object();
	bool any = false;

	for (*i = 1; *i < argc && argv[*i][0] == '-'; ++*i) {
		bool known = false;

		v = "";
		if (oci_flag(argc, argv, i, "resources", &v) || oci_flag(argc, argv, i, "r", &v)) {
			file = v;
			known = true;
		}
		for (size_t k = 0; !known && k < ARRAY_SIZE(flags); k++) {
			json_t *o, *val;

			if (!oci_flag(argc, argv, i, flags[k].flag, &v))
				continue;
			known = true;
			if (!v)
				break;
			val = flag_value(flags[k].flag, flags[k].kind, v);
			if (!val)
				goto fail;
			o = json_object_get(res, flags[k].obj);
			if (!o) {
				o = json_object();
				json_object_set_new(res, flags[k].obj, o);
			}
			json_object_set_new(o, flags[k].key, val);
			any = true;
		}
		for (size_t k = 0; !known && k < ARRAY_SIZE(refused); k++)
			if (oci_flag(argc, argv, i, refused[k], &v)) {
				log_msg("update: --%s: not supported: kbox sets no %s", refused[k],
					k < 2	? "realtime cpu limits"
					: k < 4 ? "Intel RDT"
						: "kernel memory limit");
				goto fail;
			}
		if (!known) {
			log_msg("update: flag provided but not defined: %s", argv[*i]);
			goto fail;
		}
		if (!v)
			goto fail;
	}
	if (*i != argc - 1) {
		log_msg("usage: update [--resources FILE|-] [--memory N] ... ID");
		goto fail;
	}
	/* runc: "if data is to be read from a file or the standard input, all other options
	 * are ignored". */
	if (file) {
		json_decref(res);
		return read_resources(file, ret);
	}
	if (!any) {
		log_msg("update: nothing to update: --resources FILE or a flag is needed");
		goto fail;
	}
	*ret = res;
	return 0;
fail:
	json_decref(res);
	return -EINVAL;
}

/* Objects merged key by key, anything else replaced: runc's "unchanged values can be
 * omitted". */
static void merge(json_t *into, json_t *from)
{
	const char *key;
	json_t *v;

	json_object_foreach(from, key, v)
	{
		json_t *old = json_object_get(into, key);

		if (json_is_object(v) && json_is_object(old))
			merge(old, v);
		else
			json_object_set(into, key, v);
	}
}

static int keep(struct oci_ctr *c, const char *text)
{
	int fd, r;

	unlinkat(c->dirfd, "config.json.tmp", 0);
	fd = openat(c->dirfd, "config.json.tmp",
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return log_errno(-errno, "%s: update: cannot keep its config.json", c->id);
	r = write_all(fd, text, strlen(text));
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(c->dirfd, "config.json.tmp", c->dirfd, "config.json") < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(c->dirfd, "config.json.tmp", 0);
		return log_errno(r, "%s: update: cannot keep its config.json", c->id);
	}
	return 0;
}

static int update(struct oci_ctr *c, json_t *upd)
{
	_cleanup_free_ char *text = NULL, *merged = NULL;
	struct spec *spec = NULL;
	json_t *cfg, *lnx, *res;
	enum oci_status s = oci_status(c);
	json_error_t jerr;
	char err[512];
	size_t len;
	int r;

	if (s != OCI_CREATED && s != OCI_RUNNING && s != OCI_PAUSED) {
		log_msg("%s: cannot update a container that is %s", c->id, oci_status_name(s));
		return -EINVAL;
	}
	if (!c->cgroup[0]) {
		log_msg("%s: update: it has no cgroup", c->id);
		return -EINVAL;
	}
	r = oci_read_config(c->dirfd, c->id, &text, &len);
	if (r < 0)
		return r;
	cfg = json_loadb(text, len, 0, &jerr);
	if (!cfg) {
		log_msg("%s: update: its config.json: %s", c->id, jerr.text);
		return -EINVAL;
	}
	lnx = json_object_get(cfg, "linux");
	if (!json_is_object(lnx)) {
		lnx = json_object();
		json_object_set_new(cfg, "linux", lnx);
	}
	res = json_object_get(lnx, "resources");
	if (!json_is_object(res)) {
		res = json_object();
		json_object_set_new(lnx, "resources", res);
	}
	/* runc applies no device rules at update, nor do we: the kept config must not
	 * claim rules the cgroup never got. */
	json_object_del(upd, "devices");
	merge(res, upd);
	merged = json_dumps(cfg, JSON_COMPACT);
	json_decref(cfg);
	if (!merged)
		return log_errno(-ENOMEM, "%s: update", c->id);
	/* The whole config again, through the parser create used: its checks, its paths. */
	r = spec_oci_parse(merged, strlen(merged), c->bundle, c->id, &spec, err, sizeof(err));
	if (r < 0) {
		const char *e = strncmp(err, "config.json: ", 13) ? err : err + 13;

		if (r == -EINVAL)
			log_msg("%s: update: %s", c->id, e);
		else
			log_errno(r, "%s: update", c->id);
		return r;
	}
	r = cgo_update(spec->oci, c->id, c->cgroup);
	spec_oci_free(spec);
	if (r < 0)
		return r;
	oci_debug("%s: updated: %s", c->id, merged);
	return keep(c, merged);
}

int oci_update_main(const struct oci_global *g, int argc, char **argv)
{
	json_t *upd = NULL;
	struct oci_ctr c;
	int i, r;

	r = parse_flags(argc, argv, &upd, &i);
	if (r < 0)
		return r;
	r = oci_ctr_open(g, argv[i], 0, &c);
	if (r == 0) {
		r = update(&c, upd);
		oci_ctr_close(&c);
	}
	json_decref(upd);
	return r;
}
