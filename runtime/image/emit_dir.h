/* An image's tree written out as a directory, for kbox load: the other emitter, beside
 * emit.c's cpio archive. */
#pragma once

#include <stdint.h>

#include "source.h"

/*
 * Write TREE into DIRFD/NAME, which must not exist, file contents from STORE: directories,
 * files, symlinks and hard links as the tree holds them, each made with O_EXCL or its like
 * below directory fds (never through a path that could lead elsewhere), with its owner,
 * then its mode (so set-id bits survive the chown), then its mtime (a directory's once it
 * is filled). A store on the same filesystem gives each content's first file by a link,
 * not a copy. Nothing is synced: the caller syncs before it publishes the tree. IMAGE names
 * the image in messages ("image 'web': 'etc/motd': ..."). *RET_SIZE: its files' bytes,
 * hard links counted once. Returns 0 or -errno (logged).
 */
int img_emit_dir(int dirfd, const char *name, struct img_tree *tree, struct img_store *store,
		 const char *image, uint64_t *ret_size);
