/* An image's file tree as its layers build it up: entries applied in order, whiteouts and
 * opaque directories, hard links as shared inodes, and every path that would leave the tree
 * refused. Pure code: file contents are the caller's (by sha256), not held here. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sha256.h"
#include "tar.h"

struct img_inode {
	unsigned refs;	   /* names that share it (hard links) */
	enum tar_type type; /* TAR_FILE, TAR_SYMLINK or TAR_DIR */
	mode_t mode;	   /* 07777 */
	uint32_t uid, gid;
	int64_t mtime;
	char *target; /* a symlink's */
	/* A file's content, filled in by the caller once it has stored it. */
	char hex[SHA256_HEX_LEN + 1];
	uint64_t size;
	unsigned id; /* the emitter's */
};

struct img_node {
	char *name; /* one component; "" for the root */
	struct img_node *parent;
	struct img_node **kids; /* sorted by name (strcmp) */
	size_t nkids, cap;
	struct img_inode *ino;
	unsigned layer;	 /* the layer that last wrote this name */
	unsigned newest; /* the newest layer of anything at or below it */
};

/* What an initramfs cannot carry: counted per kind, with the first path as an example. */
enum img_drop {
	IMG_DROP_XATTR,	 /* extended attributes (file capabilities, ACLs) */
	IMG_DROP_DEVICE, /* character and block devices */
	IMG_DROP_FIFO,	 /* named pipes */
	IMG_DROP_LONG,	 /* names or link targets of PATH_MAX and more */
	IMG_DROP_COUNT,
};

struct img_tree {
	struct img_node root;
	unsigned layer; /* the layer being applied, from 1 */
	struct {
		unsigned long count;
		char *example;
	} dropped[IMG_DROP_COUNT];
};

void img_tree_init(struct img_tree *t);
void img_tree_free(struct img_tree *t);
/* Start applying the next layer. */
void img_tree_next_layer(struct img_tree *t);
/*
 * Apply entry E of the current layer. For a regular file *ret_file is the new inode, whose
 * hex and size the caller fills in with the data's digest; else NULL. Refused, with the
 * reason in err (-EINVAL): a '..' component, an absolute path, a path through a symlink or a
 * file, a hard link to what the tree does not hold. Not carried (returns 0, counted in
 * t->dropped): devices, fifos, xattrs (the entry is kept without them), overlong names.
 */
int img_tree_add(struct img_tree *t, const struct tar_entry *e, struct img_inode **ret_file,
		 char *err, size_t errlen);
/* The node at PATH ("a/b", no leading '/'), or NULL. */
struct img_node *img_tree_lookup(struct img_tree *t, const char *path);
/* Visit every node below the root in pre-order (a directory before what it holds, names in
 * strcmp order), with its path relative to the root; stops at a non-zero return. */
int img_tree_walk(struct img_tree *t, int (*fn)(void *ctx, const char *path, struct img_node *n),
		  void *ctx);
