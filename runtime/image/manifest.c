/* Index, manifest, docker manifest.json and image config parsing (see manifest.h). */
#include "manifest.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"

static int bad(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Duplicate keys are refused: two readers must never see two different documents. */
static json_t *load(const char *doc, const char *json, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);

	if (!root)
		bad(err, errlen, "%s: line %d column %d: %s", doc, je.line, je.column, je.text);
	else if (!json_is_object(root) && !json_is_array(root)) {
		bad(err, errlen, "%s: not a JSON object", doc);
		json_decref(root);
		root = NULL;
	}
	return root;
}

static const struct {
	const char *name;
	enum img_media type;
} media[] = {
	{"application/vnd.oci.image.index.v1+json", IMG_MT_INDEX},
	{"application/vnd.docker.distribution.manifest.list.v2+json", IMG_MT_INDEX},
	{"application/vnd.oci.image.manifest.v1+json", IMG_MT_MANIFEST},
	{"application/vnd.docker.distribution.manifest.v2+json", IMG_MT_MANIFEST},
	{"application/vnd.oci.image.config.v1+json", IMG_MT_CONFIG},
	{"application/vnd.docker.container.image.v1+json", IMG_MT_CONFIG},
	{"application/vnd.oci.image.layer.v1.tar", IMG_MT_TAR},
	{"application/vnd.oci.image.layer.v1.tar+gzip", IMG_MT_GZIP},
	{"application/vnd.oci.image.layer.v1.tar+zstd", IMG_MT_ZSTD},
	{"application/vnd.oci.image.layer.nondistributable.v1.tar", IMG_MT_TAR},
	{"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", IMG_MT_GZIP},
	{"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", IMG_MT_ZSTD},
	{"application/vnd.docker.image.rootfs.diff.tar", IMG_MT_TAR},
	{"application/vnd.docker.image.rootfs.diff.tar.gzip", IMG_MT_GZIP},
	{"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", IMG_MT_GZIP},
};

enum img_media img_media_type(const char *media_type)
{
	for (size_t i = 0; i < ARRAY_SIZE(media); i++)
		if (!strcmp(media_type, media[i].name))
			return media[i].type;
	return IMG_MT_UNKNOWN;
}

bool img_valid_digest(const char *digest)
{
	if (strncmp(digest, "sha256:", 7) || strlen(digest) != IMG_DIGEST_LEN)
		return false;
	for (const char *p = digest + 7; *p; p++)
		if (!(*p >= '0' && *p <= '9') && !(*p >= 'a' && *p <= 'f'))
			return false;
	return true;
}

/* A string member KEY of OBJ, or NULL when it is absent; -EINVAL when it is not a string. */
static int get_str(json_t *obj, const char *key, const char **ret, const char *where, char *err,
		   size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(err, errlen, "%s.%s: expected a string", where, key);
	*ret = json_string_value(v);
	if (strlen(*ret) != json_string_length(v))
		return bad(err, errlen, "%s.%s: holds a NUL", where, key);
	return 0;
}

/* A descriptor: mediaType (MEDIA when the document has none: docker-archive never says),
 * digest and size. */
static int desc(json_t *obj, const char *where, struct img_desc *d, char *err, size_t errlen)
{
	const char *mt, *digest;
	json_t *size;
	int r;

	memset(d, 0, sizeof(*d));
	if (!json_is_object(obj))
		return bad(err, errlen, "%s: expected an object", where);
	if ((r = get_str(obj, "mediaType", &mt, where, err, errlen)) < 0 ||
	    (r = get_str(obj, "digest", &digest, where, err, errlen)) < 0)
		return r;
	if (!mt)
		return bad(err, errlen, "%s.mediaType: missing", where);
	if (!digest)
		return bad(err, errlen, "%s.digest: missing", where);
	if (!img_valid_digest(digest))
		return bad(err, errlen, "%s.digest: '%.80s' is not a sha256 digest", where, digest);
	size = json_object_get(obj, "size");
	if (!json_is_integer(size) || json_integer_value(size) < 0)
		return bad(err, errlen, "%s.size: expected a non-negative integer", where);
	d->type = img_media_type(mt);
	snprintf(d->media_type, sizeof(d->media_type), "%s", mt);
	memcpy(d->digest, digest, IMG_DIGEST_LEN + 1);
	d->size = json_integer_value(size);
	return 0;
}

/* TAG names REF: the whole of it, or its tag or name:tag after the repository. */
static bool tag_matches(const char *ref, const char *tag)
{
	const char *slash, *colon;

	if (!strcmp(ref, tag))
		return true;
	slash = strrchr(ref, '/');
	if (slash && !strcmp(slash + 1, tag))
		return true;
	colon = strrchr(ref, ':');
	return colon && (!slash || colon > slash) && !strcmp(colon + 1, tag);
}

int img_index_pick(const char *doc, const char *json, size_t len, const char *tag,
		   struct img_desc *ret, char *err, size_t errlen)
{
	json_t *root = load(doc, json, len, err, errlen), *list, *m;
	size_t i, nimages = 0, picked = SIZE_MAX;
	int r = 0;

	if (!root)
		return -EINVAL;
	list = json_object_get(root, "manifests");
	if (!json_is_array(list)) {
		r = bad(err, errlen, "%s: manifests: expected an array", doc);
		goto out;
	}
	json_array_foreach(list, i, m) {
		char where[64];
		const char *ref = NULL, *os = NULL, *arch = NULL;
		json_t *ann = json_object_get(m, "annotations"), *plat = json_object_get(m, "platform");

		snprintf(where, sizeof(where), "%s: manifests[%zu]", doc, i);
		if (!json_is_object(m)) {
			r = bad(err, errlen, "%s: expected an object", where);
			goto out;
		}
		if (json_is_object(ann) &&
		    ((r = get_str(ann, "org.opencontainers.image.ref.name", &ref, where, err, errlen)) < 0 ||
		     (!ref && (r = get_str(ann, "io.containerd.image.name", &ref, where, err, errlen)) < 0)))
			goto out;
		if (tag && !(ref && tag_matches(ref, tag)))
			continue;
		if (json_is_object(plat) &&
		    ((r = get_str(plat, "os", &os, where, err, errlen)) < 0 ||
		     (r = get_str(plat, "architecture", &arch, where, err, errlen)) < 0))
			goto out;
		nimages++;
		/* Without a platform, an entry is taken for what it is (its config says). */
		if ((os && strcmp(os, "linux")) || (arch && strcmp(arch, "amd64")))
			continue;
		if (picked != SIZE_MAX && !tag && !os) {
			r = bad(err, errlen, "%s holds more than one image: name one with :TAG", doc);
			goto out;
		}
		if (picked == SIZE_MAX) {
			picked = i;
			if ((r = desc(m, where, ret, err, errlen)) < 0)
				goto out;
		}
	}
	if (picked == SIZE_MAX) {
		if (tag && !nimages)
			r = bad(err, errlen, "no tag '%s' in %s", tag, doc);
		else if (!nimages)
			r = bad(err, errlen, "%s lists no image", doc);
		else
			r = bad(err, errlen, "no linux/amd64 manifest in %s", doc);
		goto out;
	}
	if (ret->type != IMG_MT_INDEX && ret->type != IMG_MT_MANIFEST)
		r = bad(err, errlen, "%s: manifests[%zu]: unknown media type '%s'", doc, picked,
			ret->media_type);
out:
	json_decref(root);
	return r;
}

int img_manifest_parse(const char *doc, const char *json, size_t len, struct img_manifest *m,
		       char *err, size_t errlen)
{
	json_t *root = load(doc, json, len, err, errlen), *layers, *l;
	char where[80];
	size_t i;
	int r;

	memset(m, 0, sizeof(*m));
	if (!root)
		return -EINVAL;
	snprintf(where, sizeof(where), "%s: config", doc);
	if ((r = desc(json_object_get(root, "config"), where, &m->config, err, errlen)) < 0)
		goto out;
	if (m->config.type != IMG_MT_CONFIG) {
		r = bad(err, errlen, "%s: unknown media type '%s'", where, m->config.media_type);
		goto out;
	}
	layers = json_object_get(root, "layers");
	if (!json_is_array(layers)) {
		r = bad(err, errlen, "%s: layers: expected an array", doc);
		goto out;
	}
	m->layers = calloc(json_array_size(layers) + 1, sizeof(*m->layers));
	if (!m->layers) {
		r = -ENOMEM;
		goto out;
	}
	json_array_foreach(layers, i, l) {
		struct img_desc *d = &m->layers[i];

		snprintf(where, sizeof(where), "%s: layers[%zu]", doc, i);
		if ((r = desc(l, where, d, err, errlen)) < 0)
			goto out;
		if (d->type != IMG_MT_TAR && d->type != IMG_MT_GZIP && d->type != IMG_MT_ZSTD) {
			r = bad(err, errlen, "%s: unknown media type '%s'", where, d->media_type);
			goto out;
		}
		m->nlayers++;
	}
out:
	json_decref(root);
	if (r < 0)
		img_manifest_free(m);
	return r;
}

void img_manifest_free(struct img_manifest *m)
{
	free(m->layers);
	memset(m, 0, sizeof(*m));
}

int img_docker_pick(const char *json, size_t len, const char *tag, struct img_docker *d, char *err,
		    size_t errlen)
{
	json_t *root = load("manifest.json", json, len, err, errlen), *e, *pick = NULL;
	size_t i, j;
	int r = 0;

	memset(d, 0, sizeof(*d));
	if (!root)
		return -EINVAL;
	if (!json_is_array(root)) {
		r = bad(err, errlen, "manifest.json: expected an array");
		goto out;
	}
	json_array_foreach(root, i, e) {
		json_t *tags = json_object_get(e, "RepoTags"), *t;
		bool match = !tag;

		if (!json_is_object(e)) {
			r = bad(err, errlen, "manifest.json: [%zu]: expected an object", i);
			goto out;
		}
		json_array_foreach(tags, j, t)
			if (tag && json_is_string(t) && tag_matches(json_string_value(t), tag))
				match = true;
		if (!match)
			continue;
		if (pick) {
			r = bad(err, errlen, "manifest.json holds more than one image: name one with :TAG");
			goto out;
		}
		pick = e;
	}
	if (!pick) {
		r = tag ? bad(err, errlen, "no tag '%s' in manifest.json", tag)
			: bad(err, errlen, "manifest.json lists no image");
		goto out;
	}
	{
		json_t *layers = json_object_get(pick, "Layers"), *l;
		const char *config;

		if ((r = get_str(pick, "Config", &config, "manifest.json", err, errlen)) < 0)
			goto out;
		if (!config) {
			r = bad(err, errlen, "manifest.json: Config: missing");
			goto out;
		}
		if (!json_is_array(layers)) {
			r = bad(err, errlen, "manifest.json: Layers: expected an array");
			goto out;
		}
		d->config = strdup(config);
		d->layers = calloc(json_array_size(layers) + 1, sizeof(*d->layers));
		if (!d->config || !d->layers) {
			r = -ENOMEM;
			goto out;
		}
		json_array_foreach(layers, j, l) {
			if (!json_is_string(l) || strlen(json_string_value(l)) != json_string_length(l)) {
				r = bad(err, errlen, "manifest.json: Layers[%zu]: expected a string", j);
				goto out;
			}
			if (!(d->layers[j] = strdup(json_string_value(l)))) {
				r = -ENOMEM;
				goto out;
			}
			d->nlayers++;
		}
	}
out:
	json_decref(root);
	if (r < 0)
		img_docker_free(d);
	return r;
}

void img_docker_free(struct img_docker *d)
{
	free(d->config);
	strv_free(d->layers);
	memset(d, 0, sizeof(*d));
}

int img_config_parse(const char *doc, const char *json, size_t len, struct img_config *c, char *err,
		     size_t errlen)
{
	json_t *root = load(doc, json, len, err, errlen), *ids, *id, *config;
	const char *os, *arch, *created;
	size_t i;
	int r;

	memset(c, 0, sizeof(*c));
	if (!root)
		return -EINVAL;
	if ((r = get_str(root, "os", &os, doc, err, errlen)) < 0 ||
	    (r = get_str(root, "architecture", &arch, doc, err, errlen)) < 0 ||
	    (r = get_str(root, "created", &created, doc, err, errlen)) < 0)
		goto out;
	if ((os && strcmp(os, "linux")) || (arch && strcmp(arch, "amd64"))) {
		r = bad(err, errlen, "%s: the image is for %s/%s, not linux/amd64", doc, os ? os : "?",
			arch ? arch : "?");
		goto out;
	}
	ids = json_object_get(json_object_get(root, "rootfs"), "diff_ids");
	if (!json_is_array(ids)) {
		r = bad(err, errlen, "%s: rootfs.diff_ids: expected an array", doc);
		goto out;
	}
	if (!(c->diff_ids = calloc(json_array_size(ids) + 1, sizeof(*c->diff_ids)))) {
		r = -ENOMEM;
		goto out;
	}
	json_array_foreach(ids, i, id) {
		if (!json_is_string(id) || !img_valid_digest(json_string_value(id))) {
			r = bad(err, errlen, "%s: rootfs.diff_ids[%zu]: expected a sha256 digest", doc, i);
			goto out;
		}
		if (!(c->diff_ids[i] = strdup(json_string_value(id)))) {
			r = -ENOMEM;
			goto out;
		}
		c->ndiff++;
	}
	config = json_object_get(root, "config");
	if (config && !json_is_null(config) && !json_is_object(config)) {
		r = bad(err, errlen, "%s: config: expected an object", doc);
		goto out;
	}
	c->config_json = json_is_object(config) ? json_dumps(config, JSON_COMPACT) : strdup("{}");
	if (!c->config_json || (created && !(c->created = strdup(created))))
		r = -ENOMEM;
out:
	json_decref(root);
	if (r < 0)
		img_config_free(c);
	return r;
}

void img_config_free(struct img_config *c)
{
	strv_free(c->diff_ids);
	free(c->created);
	free(c->config_json);
	memset(c, 0, sizeof(*c));
}
