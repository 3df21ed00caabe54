/* libFuzzer target: the OCI front end. The first byte picks: even, the rest is a bundle's
 * config.json; odd, it is runc exec's process file, read into a config's spec. What must
 * hold: a text parses or says why, as "config.json: ..." with no control byte; a spec that
 * parsed is one the runtime can take (an argv, absolute paths, a mount namespace, bounded
 * lists, id maps that do not wrap), and frees clean. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "../../lib/util.h"
#include "../../runtime/spec/oci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] = "{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"sh\"], "
			   "\"cwd\": \"/\"}, \"root\": {\"path\": \"rootfs\"}, \"linux\": "
			   "{\"namespaces\": [{\"type\": \"mount\"}]}}";

static void check_err(int r, const char *err, const char *file)
{
	if (r != -EINVAL && r != -ENOMEM)
		abort();
	if (strncmp(err, file, strlen(file)) != 0)
		abort(); /* an error always says where */
	for (const char *c = err; *c; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
			abort();
}

static bool abs_path(const char *p)
{
	return p && p[0] == '/';
}

static void check_spec(const struct spec *s)
{
	const struct spec_oci *o = s->oci;

	if (!s->argv || !s->argv[0] || !s->run_env || !abs_path(s->workdir) || !o)
		abort();
	if (!abs_path(s->image) || !abs_path(o->root) || !o->ns[OCI_NS_MNT].set)
		abort();
	if (strcmp(s->seccomp, o->seccomp ? "oci" : "unconfined") != 0)
		abort();
	if (o->nmounts > OCI_LIST_MAX || o->ndevices > OCI_LIST_MAX || s->nrlimits > OCI_LIST_MAX)
		abort();
	for (size_t i = 0; i < o->nmounts; i++)
		if (!abs_path(o->mounts[i].dst) || !o->mounts[i].src || !o->mounts[i].type ||
		    (o->mounts[i].bind && strcmp(o->mounts[i].type, "bind") != 0))
			abort();
	for (size_t i = 0; i < o->nuid_maps; i++)
		if (!o->uid_maps[i].count ||
		    (uint64_t)o->uid_maps[i].inside + o->uid_maps[i].count > 1ULL << 32)
			abort();
	for (size_t i = 0; i < o->ndevices; i++)
		if (strncmp(o->devices[i].path, "/dev/", 5) != 0 || o->devices[i].major < 0 ||
		    o->devices[i].mode > 07777 || !strchr("cbp", o->devices[i].type))
			abort();
	for (size_t i = 0; i < s->nrlimits; i++)
		if (s->rlimits[i].soft > s->rlimits[i].hard)
			abort();
	if ((o->nuid_maps || o->ngid_maps) && !o->ns[OCI_NS_USER].set)
		abort();
	if (s->hostname && (!o->ns[OCI_NS_UTS].set || o->ns[OCI_NS_UTS].path))
		abort();
	if (o->has_oom_score_adj && (o->oom_score_adj < -1000 || o->oom_score_adj > 1000))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec *s = NULL;
	char err[512];
	uint8_t pick;
	size_t len;
	char *text = fuzz_pick(data, size, &pick, &len);
	int r;

	if (!text)
		return 0;
	if (pick % 2 == 0) {
		r = spec_oci_parse(text, len, "/run/b", "c1", &s, err, sizeof(err));
		if (r < 0)
			check_err(r, err, "config.json: ");
		else
			check_spec(s);
	} else {
		if (spec_oci_parse(base, strlen(base), "/run/b", "c1", &s, err, sizeof(err)) != 0)
			abort();
		r = spec_oci_parse_process(text, len, s, err, sizeof(err));
		if (r < 0)
			check_err(r, err, "process.json: ");
		check_spec(s); /* as it was, or with the new process */
	}
	spec_oci_free(s);
	free(text);
	return 0;
}
