/* The JSON documents of an image: an OCI index (index.json, or a nested image index), an
 * image manifest, docker-archive's manifest.json and the image config. Pure code over
 * jansson; errors name the document's key path. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

#define IMG_DIGEST_LEN (7 + SHA256_HEX_LEN) /* "sha256:" and the hex */

enum img_media {
	IMG_MT_INDEX,	 /* OCI image index, Docker manifest list */
	IMG_MT_MANIFEST, /* OCI image manifest, Docker schema 2 manifest */
	IMG_MT_CONFIG,
	IMG_MT_TAR, /* a layer: uncompressed, gzip, zstd */
	IMG_MT_GZIP,
	IMG_MT_ZSTD,
	IMG_MT_UNKNOWN,
};

struct img_desc {
	enum img_media type;
	char media_type[128];
	char digest[IMG_DIGEST_LEN + 1];
	uint64_t size;
};

struct img_manifest {
	struct img_desc config;
	struct img_desc *layers;
	size_t nlayers;
};

struct img_docker {
	char *config;  /* a name in the archive */
	char **layers; /* names in the archive, NULL-terminated */
	size_t nlayers;
};

struct img_config {
	char **diff_ids; /* "sha256:..." of each layer uncompressed, NULL-terminated */
	size_t ndiff;
	char *created;	   /* or NULL */
	char *config_json; /* the "config" object as compact JSON, "{}" without one */
};

enum img_media img_media_type(const char *media_type);
/* A "sha256:" and 64 lowercase hex digits: the only digests kbox takes (and so the only
 * names it opens below blobs/). */
bool img_valid_digest(const char *digest);

/* From an index (DOC names it in messages), the descriptor to follow: the one TAG names
 * (its org.opencontainers.image.ref.name, with or without the repository) or, without TAG,
 * the only image; among platforms, linux/amd64. A nested index is returned as such: the
 * caller reads it and picks again. */
int img_index_pick(const char *doc, const char *json, size_t len, const char *tag,
		   struct img_desc *ret, char *err, size_t errlen);
int img_manifest_parse(const char *doc, const char *json, size_t len, struct img_manifest *m,
		       char *err, size_t errlen);
void img_manifest_free(struct img_manifest *m);
/* docker-archive's manifest.json: the image TAG names (one of its RepoTags, with or without
 * the repository) or the only one. */
int img_docker_pick(const char *json, size_t len, const char *tag, struct img_docker *d, char *err,
		    size_t errlen);
void img_docker_free(struct img_docker *d);
/* An image config: refused unless linux/amd64 (where it says). */
int img_config_parse(const char *doc, const char *json, size_t len, struct img_config *c, char *err,
		     size_t errlen);
void img_config_free(struct img_config *c);
