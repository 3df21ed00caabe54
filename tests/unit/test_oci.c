/* The OCI front end: real configs (podman 4.3's, containerd 1.6's, runc's `spec`) and kbox's
 * own default parsed into the spec and spec_oci they mean, and every refusal with its exact
 * message: wrong types, boundary values (2^32, 2^64, -1, 1e30, 1.5), duplicate keys, deep
 * nesting, paths that climb. */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "../../lib/util.h"
#include "../../runtime/spec/image.h"
#include "../../runtime/spec/oci.h"
#include "../tap.h"

static struct spec *sp;
static char err[1024];

static int parse_text(const char *json, size_t len)
{
	spec_oci_free(sp);
	sp = NULL;
	memset(err, 0, sizeof(err));
	return spec_oci_parse(json, len, "/run/b", "c1", &sp, err, sizeof(err));
}

static int parse(const char *json)
{
	return parse_text(json, strlen(json));
}

#define MIN                                                                                        \
	"{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}, "          \
	"\"root\": {\"path\": \"rootfs\"}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]}}"

/* Where PATH (dots; "[N]" picks an array's element) lies in ROOT, made as needed. */
static json_t *at(json_t *root, const char *path, char *last, size_t cap)
{
	char buf[256], *save = NULL, *tok;
	json_t *cur = root;

	snprintf(buf, sizeof(buf), "%s", path);
	tok = strtok_r(buf, ".", &save);
	while (tok) {
		char *next = strtok_r(NULL, ".", &save), *br = strchr(tok, '[');
		long idx = -1;

		if (br) {
			idx = strtol(br + 1, NULL, 10);
			*br = '\0';
		}
		if (!next && idx < 0) {
			snprintf(last, cap, "%s", tok);
			return cur;
		}
		json_t *child = json_object_get(cur, tok);

		if (!child) {
			child = idx >= 0 ? json_array() : json_object();
			json_object_set_new(cur, tok, child);
		}
		if (idx >= 0) {
			while ((long)json_array_size(child) <= idx)
				json_array_append_new(child, json_object());
			child = json_array_get(child, idx);
			if (!next) {
				last[0] = '\0';
				return child; /* the element itself: replaced whole below */
			}
		}
		cur = child;
		tok = next;
	}
	return cur;
}

/* MIN (or BASE) with PATH set to the raw JSON text VALUE ("" deletes it), parsed. */
static int with_base(const char *base, const char *path, const char *value)
{
	json_t *root = json_loads(base, 0, NULL);
	char last[128], *text, *hole;
	json_t *parent;
	int r;

	parent = at(root, path, last, sizeof(last));
	if (!*value) {
		json_object_del(parent, last);
	} else if (last[0]) {
		json_object_set_new(parent, last, json_string("@HOLE@"));
	} else {
		json_object_clear(parent);
		json_object_set_new(parent, "@HOLE@", json_null());
	}
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	hole = strstr(text, last[0] ? "\"@HOLE@\"" : "{\"@HOLE@\":null}");
	if (*value && hole) {
		size_t hl = last[0] ? 8 : 16;
		char *t = malloc(strlen(text) + strlen(value) + 1);

		sprintf(t, "%.*s%s%s", (int)(hole - text), text, value, hole + hl);
		free(text);
		text = t;
	}
	r = parse(text);
	free(text);
	return r;
}

static int with(const char *path, const char *value)
{
	return with_base(MIN, path, value);
}

/* Refused with exactly MSG. */
#define REFUSED(path, value, msg)                                                                  \
	do {                                                                                       \
		int r_ = with(path, value);                                                        \
		is_int(r_, -EINVAL, "%s = %.60s: refused", path, value);                           \
		is_str(err, msg, "%s = %.60s: the message", path, value);                          \
	} while (0)

#define ACCEPTED(path, value)                                                                      \
	do {                                                                                       \
		int r_ = with(path, value);                                                        \
		if (!ok(r_ == 0, "%s = %.60s: accepted", path, value))                             \
			printf("#   %s\n", err);                                                   \
	} while (0)

static char *slurp(const char *name)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "tests/unit/oci/%s", name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static const char *words(char *const *v)
{
	static char buf[2048];

	if (!v)
		return "(null)";
	buf[0] = '\0';
	for (size_t i = 0; v[i]; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "", v[i]);
	return buf;
}

static struct oci_mount *mount_at(const char *dst)
{
	for (size_t i = 0; sp && i < sp->oci->nmounts; i++)
		if (strcmp(sp->oci->mounts[i].dst, dst) == 0)
			return &sp->oci->mounts[i];
	return NULL;
}

#include "test_oci_configs.h"
#include "test_oci_refusals.h"

#define JOINED_UTS                                                                                     \
	"{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\"}, "          \
	"\"root\": {\"path\": \"rootfs\"}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, "   \
	"{\"type\": \"uts\", \"path\": \"/proc/7/ns/uts\"}, {\"type\": \"time\", \"path\": "       \
	"\"/proc/7/ns/time\"}]}}"

/* hostname and domainname are set in a uts namespace joined by path too (runc's rule,
 * runtime-tools' linux_ns_path case 5); timeOffsets only go into a new time namespace. */
static void test_joined_uts_time(void)
{
	is_int(with_base(JOINED_UTS, "hostname", "\"web\""), 0, "hostname with a joined uts namespace");
	ok(sp && sp->hostname && !strcmp(sp->hostname, "web") &&
		   !strcmp(sp->oci->ns[OCI_NS_UTS].path, "/proc/7/ns/uts"),
	   "the hostname, and the uts namespace to set it in");
	is_int(with_base(JOINED_UTS, "domainname", "\"example.org\""), 0,
	       "domainname with a joined uts namespace");
	is_int(with_base(JOINED_UTS, "linux.timeOffsets", "{\"boottime\": {\"secs\": 1}}"), -EINVAL,
	       "timeOffsets with a joined time namespace");
	is_str(err, "config.json: linux.timeOffsets: needs a time namespace of its own",
	       "the message");
	is_int(with("linux.timeOffsets", "{\"boottime\": {\"secs\": 9223372036854775807, "
					 "\"nanosecs\": 999999999}, \"monotonic\": {}}"),
	       -EINVAL, "timeOffsets without a time namespace");
}

int main(void)
{
	test_minimal();
	test_podman();
	test_podman_flags();
	test_full();
	test_containerd();
	test_runc_default();
	test_kbox_default();
	test_process_file();
	test_json();
	test_numbers();
	test_process_refusals();
	test_mounts();
	test_namespaces();
	test_joined_uts_time();
	test_linux_refusals();
	test_resources();
	test_hugepages();
	test_seccomp();
	test_hooks();
	spec_oci_free(sp);
	return done();
}
