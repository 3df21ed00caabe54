/* Images into an initramfs: one newc cpio archive of every image's tree, files equal in
 * content, mode, owner and mtime stored once (hard links, across images too), and each
 * image's record (PREFIX/NAME.json) beside its tree. */
#pragma once

#include <stdio.h>

#include "source.h"

struct img_image {
	struct img_tree tree;
	struct img_info info;
};

struct img_share {
	unsigned long names, files;	/* regular file names, and the files stored for them */
	unsigned long long bytes, stored; /* their sizes, name by name and stored */
};

/* The record of an image, as JSON text (malloc'd), or NULL without memory. */
char *img_record(const struct img_info *info);
/* REC as the appliance will read it (size, every key): 0, or -errno, logged against NAME.
 * A build never writes an image whose containers could not start. */
int img_record_check(const char *rec, const char *name);
/* Write IMAGES (info.size is filled in) below PREFIX to OUT. Returns 0 or -errno (logged). */
int img_emit_cpio(FILE *out, const char *prefix, struct img_image *images, size_t n,
		  struct img_store *store, struct img_share *ret_share);
