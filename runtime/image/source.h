/* Reading an image from where it is (an OCI layout, an oci-archive, a docker-archive, a
 * rootfs tarball) into a tree: digests checked, layers decompressed and applied in order,
 * file contents into a store by sha256. */
#pragma once

#include <stdint.h>

#include "manifest.h"
#include "tree.h"

/* Files by content: DIR/<sha256 hex>. */
struct img_store {
	int dirfd;
	unsigned long seq; /* names the files being written */
	/* Refused before a byte is stored (0: no bound): a file larger than an initramfs
	 * takes, and an image's files together (a decompression bomb fills no disk). */
	uint64_t max_file, max_total;
	uint64_t total; /* stored for the image being read */
};

struct img_info {
	const char *name, *source;
	char digest[IMG_DIGEST_LEN + 1];	/* the manifest's, the config's or the tar file's */
	char config_digest[IMG_DIGEST_LEN + 1]; /* "" without a config */
	unsigned layers;
	char *created;	   /* or NULL */
	char *config_json; /* the image config's "config" object, "{}" without one */
	uint64_t size;	   /* the tree's files, each counted once */
	uint64_t ram;	   /* what they cost in a tmpfs: pages, and an inode each entry */
	unsigned long entries;
};

int img_store_open(const char *dir, struct img_store *s);
void img_store_close(struct img_store *s);
/* Read SOURCE ("oci:DIR[:TAG]", "oci-archive:FILE[:TAG]", "docker-archive:FILE[:TAG]",
 * "tar:FILE", or a directory's path) into TREE and INFO. Every error is logged, as "image
 * 'NAME': [layer D: 'ENTRY':] REASON"; returns 0 or -errno. */
int img_source_read(const char *name, const char *source, struct img_tree *tree,
		    struct img_store *store, struct img_info *info);
void img_info_free(struct img_info *info);
/* SOURCE's kind (>= 0), and its path and tag (NULL without one) as img_source_read takes
 * them: "oci-archive:web.tar:web:1" is web.tar and web:1. *RET_PATH is malloc'd, *RET_TAG
 * points into it. -EINVAL when SOURCE has no kind's prefix, -ENOMEM. */
int img_source_split(const char *source, char **ret_path, const char **ret_tag);
/* A plain directory PATH as a source of one layer (source_dir.c): its entries as they are
 * (owners, modes, mtimes, hard links, symlinks; nothing on another filesystem below it),
 * the digest that of the tree. Errors are logged as img_source_read's. */
int img_dir_read(const char *name, const char *path, struct img_tree *tree,
		 struct img_store *store, struct img_info *info);
