/* An image's file tree, built layer by layer from tar entries (see tree.h). */
#include "tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longer names and link targets do not fit the kernel's initramfs (PATH_MAX with the
 * /images/NAME/ prefix). */
#define IMG_PATH_MAX 4000
/* Deeper trees do not boot: PID 1's copy of the initramfs holds fds per level. Real
 * images stay below 30. */
#define IMG_DEPTH_MAX 128
#define IMG_NAME_MAX 255 /* a component, as every Linux filesystem has it */
#define WHITEOUT ".wh."
#define OPAQUE ".wh..wh..opq"

static struct img_inode *inode_new(enum tar_type type, const struct tar_entry *e)
{
	struct img_inode *ino = calloc(1, sizeof(*ino));

	if (!ino)
		return NULL;
	ino->refs = 1;
	ino->type = type;
	ino->mode = e ? e->mode & 07777 : 0755;
	if (e) {
		ino->uid = e->uid;
		ino->gid = e->gid;
		ino->mtime = e->mtime;
	}
	return ino;
}

static void inode_put(struct img_inode *ino)
{
	if (ino && --ino->refs == 0) {
		free(ino->target);
		free(ino);
	}
}

static void node_free(struct img_node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	inode_put(n->ino);
	free(n->name);
	free(n);
}

/* The index of NAME among n's kids, or where it would go (with *found false). */
static size_t kid_index(const struct img_node *n, const char *name, bool *found)
{
	size_t lo = 0, hi = n->nkids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(n->kids[mid]->name, name);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static struct img_node *kid(const struct img_node *n, const char *name)
{
	bool found;
	size_t i = kid_index(n, name, &found);

	return found ? n->kids[i] : NULL;
}

static void touch(struct img_node *n, unsigned layer)
{
	n->layer = layer;
	for (; n; n = n->parent)
		n->newest = layer;
}

static void unlink_kid(struct img_node *parent, const char *name)
{
	bool found;
	size_t i = kid_index(parent, name, &found);

	if (!found)
		return;
	node_free(parent->kids[i]);
	memmove(parent->kids + i, parent->kids + i + 1, (parent->nkids - i - 1) * sizeof(*parent->kids));
	parent->nkids--;
}

/* A new name NAME in PARENT for INO (taken over), replacing what was there. */
static struct img_node *link_kid(struct img_node *parent, const char *name, struct img_inode *ino,
				 unsigned layer)
{
	struct img_node *n = calloc(1, sizeof(*n));
	bool found;
	size_t i;

	if (!n || !(n->name = strdup(name))) {
		free(n);
		inode_put(ino);
		return NULL;
	}
	unlink_kid(parent, name);
	i = kid_index(parent, name, &found);
	if (parent->nkids == parent->cap) {
		size_t cap = parent->cap ? 2 * parent->cap : 8;
		struct img_node **kids = realloc(parent->kids, cap * sizeof(*kids));

		if (!kids) {
			free(n->name);
			free(n);
			inode_put(ino);
			return NULL;
		}
		parent->kids = kids;
		parent->cap = cap;
	}
	memmove(parent->kids + i + 1, parent->kids + i, (parent->nkids - i) * sizeof(*parent->kids));
	parent->kids[i] = n;
	parent->nkids++;
	n->parent = parent;
	n->ino = ino;
	touch(n, layer);
	return n;
}

void img_tree_init(struct img_tree *t)
{
	memset(t, 0, sizeof(*t));
	t->root.name = "";
	t->root.ino = inode_new(TAR_DIR, NULL);
}

void img_tree_free(struct img_tree *t)
{
	for (size_t i = 0; i < t->root.nkids; i++)
		node_free(t->root.kids[i]);
	free(t->root.kids);
	inode_put(t->root.ino);
	for (int i = 0; i < IMG_DROP_COUNT; i++)
		free(t->dropped[i].example);
	memset(t, 0, sizeof(*t));
}

void img_tree_next_layer(struct img_tree *t)
{
	t->layer++;
}

static void drop(struct img_tree *t, enum img_drop kind, const char *path)
{
	if (t->dropped[kind].count++ == 0)
		t->dropped[kind].example = strdup(path);
}

/*
 * PATH split into its components in buf (a copy): "./a//b/" is a, b. Returns the count, or
 * -EINVAL for '..' or an absolute path (with the reason in err).
 */
static int split(const char *path, char *buf, char **comps, int max, char *err, size_t errlen)
{
	int n = 0;

	if (path[0] == '/') {
		snprintf(err, errlen, "absolute path");
		return -EINVAL;
	}
	strcpy(buf, path);
	for (char *save, *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			snprintf(err, errlen, "'..' leaves the image");
			return -EINVAL;
		}
		if (n == max) {
			snprintf(err, errlen, "more than %d directories deep", max - 1);
			return -EINVAL;
		}
		comps[n++] = c;
	}
	return n;
}

static void join(char *out, size_t len, char **comps, int n)
{
	size_t at = 0;

	out[0] = '\0';
	for (int i = 0; i < n && at < len; i++)
		at += snprintf(out + at, len - at, "%s%s", i ? "/" : "", comps[i]);
}

/*
 * The directory that holds comps[n-1]: every component before it must be a directory of the
 * tree (CREATE: missing ones are made, as tar does). NULL with *r = 0 for a missing one when
 * not creating, else with the reason.
 */
static struct img_node *parent_of(struct img_tree *t, char **comps, int n, bool create, int *r,
				  char *err, size_t errlen)
{
	struct img_node *d = &t->root;
	char at[IMG_PATH_MAX + 8];

	*r = 0;
	for (int i = 0; i < n - 1; i++) {
		struct img_node *k = kid(d, comps[i]);

		if (!k) {
			if (!create)
				return NULL;
			k = link_kid(d, comps[i], inode_new(TAR_DIR, NULL), t->layer);
			if (!k) {
				*r = -ENOMEM;
				return NULL;
			}
			k->ino->mtime = 0;
		} else if (k->ino->type != TAR_DIR) {
			join(at, sizeof(at), comps, i + 1);
			if (k->ino->type == TAR_SYMLINK)
				snprintf(err, errlen, "written through the symlink '%s'", at);
			else
				snprintf(err, errlen, "'%s' is not a directory", at);
			*r = -EINVAL;
			return NULL;
		}
		d = k;
	}
	return d;
}

/* Remove from D what no layer since LAYER wrote: an opaque directory's lower content. */
static void prune_lower(struct img_node *d, unsigned layer)
{
	for (size_t i = d->nkids; i-- > 0;) {
		struct img_node *k = d->kids[i];

		if (k->newest < layer)
			unlink_kid(d, k->name);
		else if (k->ino->type == TAR_DIR)
			prune_lower(k, layer);
	}
}

static int whiteout(struct img_tree *t, struct img_node *d, const char *base)
{
	const char *name = base + strlen(WHITEOUT);
	struct img_node *k;

	if (!strcmp(base, OPAQUE)) {
		prune_lower(d, t->layer);
		return 0;
	}
	/* Other .wh..wh. names are aufs's own bookkeeping. */
	if (!strncmp(name, WHITEOUT, strlen(WHITEOUT)))
		return 0;
	/* Whiteouts hide only what lower layers hold, whichever comes first in the layer: a
	 * directory this layer wrote into keeps this layer's entries and loses the rest. */
	k = kid(d, name);
	if (k && k->newest < t->layer)
		unlink_kid(d, name);
	else if (k && k->ino->type == TAR_DIR)
		prune_lower(k, t->layer);
	return 0;
}

static int hard_link(struct img_tree *t, struct img_node *d, const char *base,
		     const struct tar_entry *e, char *err, size_t errlen)
{
	char buf[IMG_PATH_MAX + 1], *comps[IMG_PATH_MAX / 2 + 1], why[128];
	struct img_node *src = NULL, *sd;
	int n, r;

	if (strlen(e->link) > IMG_PATH_MAX) {
		snprintf(err, errlen, "hard link to a name too long");
		return -EINVAL;
	}
	n = split(e->link, buf, comps, IMG_PATH_MAX / 2, why, sizeof(why));
	if (n > 0 && (sd = parent_of(t, comps, n, false, &r, why, sizeof(why))))
		src = kid(sd, comps[n - 1]);
	if (!src || src->ino->type == TAR_DIR) {
		snprintf(err, errlen, "hard link to '%s', not in the image", e->link);
		return -EINVAL;
	}
	if (kid(d, base) == src)
		return 0;
	src->ino->refs++;
	return link_kid(d, base, src->ino, t->layer) ? 0 : -ENOMEM;
}

int img_tree_add(struct img_tree *t, const struct tar_entry *e, struct img_inode **ret_file,
		 char *err, size_t errlen)
{
	char buf[IMG_PATH_MAX + 1], *comps[IMG_PATH_MAX / 2 + 1];
	struct img_node *d, *k;
	struct img_inode *ino;
	const char *base;
	int n, r;

	*ret_file = NULL;
	if (strlen(e->path) > IMG_PATH_MAX ||
	    (e->type == TAR_SYMLINK && e->link && strlen(e->link) > IMG_PATH_MAX)) {
		drop(t, IMG_DROP_LONG, e->path);
		return 0;
	}
	/* (uid_t)-1 is no owner: chown takes it for "leave as it is", root's. */
	if (e->uid == UINT32_MAX || e->gid == UINT32_MAX) {
		snprintf(err, errlen, "owner %u:%u: 4294967295 is not an id", e->uid, e->gid);
		return -EINVAL;
	}
	n = split(e->path, buf, comps, IMG_DEPTH_MAX + 1, err, errlen);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		if (strlen(comps[i]) > IMG_NAME_MAX) {
			drop(t, IMG_DROP_LONG, e->path);
			return 0;
		}
	if (n == 0) {
		if (e->type != TAR_DIR) {
			snprintf(err, errlen, "the image's root is not a directory");
			return -EINVAL;
		}
		t->root.ino->mode = e->mode & 07777;
		t->root.ino->uid = e->uid;
		t->root.ino->gid = e->gid;
		t->root.ino->mtime = e->mtime;
		return 0;
	}
	base = comps[n - 1];
	d = parent_of(t, comps, n, strncmp(base, WHITEOUT, strlen(WHITEOUT)) != 0, &r, err, errlen);
	if (!d)
		return r;
	if (!strncmp(base, WHITEOUT, strlen(WHITEOUT)))
		return whiteout(t, d, base);
	if (e->nxattrs) {
		char what[IMG_PATH_MAX + 300];

		snprintf(what, sizeof(what), "%.*s (%s)", IMG_PATH_MAX, e->path,
			 e->xattr ? e->xattr : "?");
		drop(t, IMG_DROP_XATTR, what);
	}

	switch (e->type) {
	case TAR_DIR:
		k = kid(d, base);
		if (k && k->ino->type == TAR_DIR) {
			k->ino->mode = e->mode & 07777;
			k->ino->uid = e->uid;
			k->ino->gid = e->gid;
			k->ino->mtime = e->mtime;
			touch(k, t->layer);
			return 0;
		}
		return link_kid(d, base, inode_new(TAR_DIR, e), t->layer) ? 0 : -ENOMEM;
	case TAR_FILE:
		ino = inode_new(TAR_FILE, e);
		if (!ino || !link_kid(d, base, ino, t->layer))
			return -ENOMEM;
		*ret_file = ino;
		return 0;
	case TAR_SYMLINK:
		ino = inode_new(TAR_SYMLINK, e);
		if (!ino || !(ino->target = strdup(e->link ? e->link : ""))) {
			inode_put(ino);
			return -ENOMEM;
		}
		return link_kid(d, base, ino, t->layer) ? 0 : -ENOMEM;
	case TAR_HARDLINK:
		return hard_link(t, d, base, e, err, errlen);
	case TAR_CHAR:
	case TAR_BLOCK:
	case TAR_FIFO:
		drop(t, e->type == TAR_FIFO ? IMG_DROP_FIFO : IMG_DROP_DEVICE, e->path);
		unlink_kid(d, base);
		return 0;
	}
	snprintf(err, errlen, "unknown entry type");
	return -EINVAL;
}

struct img_node *img_tree_lookup(struct img_tree *t, const char *path)
{
	char buf[IMG_PATH_MAX + 1], *comps[IMG_PATH_MAX / 2 + 1], err[64];
	struct img_node *d;
	int n, r;

	if (strlen(path) > IMG_PATH_MAX)
		return NULL;
	n = split(path, buf, comps, IMG_PATH_MAX / 2, err, sizeof(err));
	if (n <= 0)
		return n == 0 ? &t->root : NULL;
	d = parent_of(t, comps, n, false, &r, err, sizeof(err));
	return d ? kid(d, comps[n - 1]) : NULL;
}

static int walk(struct img_node *d, char *path, size_t at, size_t len,
		int (*fn)(void *ctx, const char *path, struct img_node *n), void *ctx)
{
	for (size_t i = 0; i < d->nkids; i++) {
		struct img_node *k = d->kids[i];
		int m = snprintf(path + at, len - at, "%s%s", at ? "/" : "", k->name), r;

		if (m < 0 || (size_t)m >= len - at)
			return -ENAMETOOLONG;
		r = fn(ctx, path, k);
		if (r == 0 && k->ino->type == TAR_DIR)
			r = walk(k, path, at + m, len, fn, ctx);
		path[at] = '\0';
		if (r)
			return r;
	}
	return 0;
}

int img_tree_walk(struct img_tree *t, int (*fn)(void *ctx, const char *path, struct img_node *n),
		  void *ctx)
{
	char path[2 * IMG_PATH_MAX];

	path[0] = '\0';
	return walk(&t->root, path, 0, sizeof(path), fn, ctx);
}
