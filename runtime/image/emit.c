/* Images into a cpio archive for the initramfs (see emit.h). */
#include "emit.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../initramfs/cpio.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../spec/image.h"

/* A file as the archive stores it: one inode for every name equal in all but the name. */
struct group {
	const struct img_inode *key;
	unsigned names, left;
};

struct emit {
	FILE *out;
	struct img_store *store;
	const char *prefix, *name;
	struct group *groups;
	size_t ngroups, cap; /* an open-addressed table, cap a power of two */
	unsigned next_ino;
	uint64_t size, ram; /* of the image being counted */
	unsigned long entries;
	struct img_share share;
	int err;
};

static bool same_file(const struct img_inode *a, const struct img_inode *b)
{
	return !strcmp(a->hex, b->hex) && a->mode == b->mode && a->uid == b->uid &&
	       a->gid == b->gid && a->mtime == b->mtime;
}

static size_t file_hash(const struct img_inode *i)
{
	size_t h = 0;

	for (int k = 0; k < 16; k++)
		h = h * 131 + (unsigned char)i->hex[k];
	return h ^ (size_t)i->mode * 31 ^ (size_t)i->uid * 7 ^ (size_t)i->gid ^ (size_t)i->mtime;
}

static struct group *group_of(struct emit *em, const struct img_inode *ino, bool add)
{
	size_t at;

	if (add && 2 * (em->ngroups + 1) > em->cap) {
		size_t cap = em->cap ? 2 * em->cap : 1024;
		struct group *g = calloc(cap, sizeof(*g));

		if (!g)
			return NULL;
		for (size_t i = 0; i < em->cap; i++) {
			if (!em->groups[i].key)
				continue;
			for (at = file_hash(em->groups[i].key) & (cap - 1); g[at].key; at = (at + 1) & (cap - 1))
				;
			g[at] = em->groups[i];
		}
		free(em->groups);
		em->groups = g;
		em->cap = cap;
	}
	if (!em->cap)
		return NULL;
	for (at = file_hash(ino) & (em->cap - 1); em->groups[at].key; at = (at + 1) & (em->cap - 1))
		if (same_file(em->groups[at].key, ino))
			return &em->groups[at];
	if (!add)
		return NULL;
	em->groups[at].key = ino;
	em->ngroups++;
	return &em->groups[at];
}

/* Pass 1: count the names of each stored file, and the image's size. */
static int count(void *ctx, const char *path, struct img_node *n)
{
	struct emit *em = ctx;
	struct group *g;

	em->entries++;
	em->ram += 1024; /* an inode and a dentry, about */
	if (n->ino->type != TAR_FILE)
		return 0;
	if (n->ino->size > 0xffffffffULL) {
		log_msg("image '%s': '%s': %llu bytes do not fit an initramfs (4 GiB per file)",
			em->name, path, (unsigned long long)n->ino->size);
		return -EFBIG;
	}
	if (!(g = group_of(em, n->ino, true)))
		return -ENOMEM;
	if (!g->names)
		em->share.stored += n->ino->size;
	g->names++;
	g->left++;
	em->share.names++;
	em->share.bytes += n->ino->size;
	if (!n->ino->id) { /* hard links within the image count once */
		n->ino->id = 1;
		em->size += n->ino->size;
		em->ram += (n->ino->size + 4095) / 4096 * 4096;
	}
	return 0;
}

/* A header and name; then DATA, unless it is NULL (the caller writes SIZE bytes). */
static int put(struct emit *em, unsigned ino, mode_t mode, const struct img_inode *i, unsigned nlink,
	       const char *name, const void *data, size_t size)
{
	static const char zeros[4];
	char hdr[CPIO_HDR_LEN + 1];
	size_t namesize = strlen(name) + 1;
	int64_t mtime = i ? i->mtime : 0;

	mtime = mtime < 0 ? 0 : mtime > 0xffffffffLL ? 0xffffffffLL : mtime;
	cpio_header(hdr, ino, mode, i ? i->uid : 0, i ? i->gid : 0, nlink, (unsigned long)mtime,
		    size, 0, 0, namesize);
	fwrite(hdr, 1, CPIO_HDR_LEN, em->out);
	fwrite(name, 1, namesize, em->out);
	fwrite(zeros, 1, (4 - (CPIO_HDR_LEN + namesize) % 4) % 4, em->out);
	if (data) {
		fwrite(data, 1, size, em->out);
		fwrite(zeros, 1, (4 - size % 4) % 4, em->out);
	}
	return ferror(em->out) ? -EIO : 0;
}

/* A stored file: its header, then its bytes from the store. */
static int put_file(struct emit *em, const struct img_inode *i, unsigned ino, unsigned nlink,
		    const char *name)
{
	static const char zeros[4];
	static char buf[1 << 16];
	_cleanup_close_ int fd = openat(em->store->dirfd, i->hex, O_RDONLY | O_CLOEXEC);
	uint64_t left = i->size;
	int r;

	if (fd < 0)
		return log_errno(-errno, "image '%s': the store's '%s'", em->name, i->hex);
	if ((r = put(em, ino, S_IFREG | i->mode, i, nlink, name, NULL, i->size)) < 0)
		return r;
	while (left) {
		ssize_t n = read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return log_errno(n < 0 ? -errno : -EIO, "image '%s': the store's '%s'",
					 em->name, i->hex);
		fwrite(buf, 1, n, em->out);
		left -= n;
	}
	fwrite(zeros, 1, (4 - i->size % 4) % 4, em->out);
	return ferror(em->out) ? -EIO : 0;
}

static int emit_node(void *ctx, const char *path, struct img_node *n)
{
	struct emit *em = ctx;
	const struct img_inode *i = n->ino;
	char name[2 * 4096 + 128];
	struct group *g;

	snprintf(name, sizeof(name), "%s/%s/%s", em->prefix, em->name, path);
	switch (i->type) {
	case TAR_DIR:
		return put(em, em->next_ino++, S_IFDIR | i->mode, i, 2, name, NULL, 0);
	case TAR_SYMLINK:
		return put(em, em->next_ino++, S_IFLNK | 0777, i, 1, name, i->target,
			   strlen(i->target));
	case TAR_FILE:
		g = group_of(em, i, false);
		if (!g)
			return -EINVAL;
		/* The data goes with the last name: the kernel links the others to the first. */
		if (--g->left)
			return put(em, (unsigned)(g - em->groups) + 1, S_IFREG | i->mode, i,
				   g->names, name, "", 0);
		return put_file(em, i, (unsigned)(g - em->groups) + 1, g->names, name);
	default:
		return 0;
	}
}

char *img_record(const struct img_info *info)
{
	json_t *config = json_loads(info->config_json ? info->config_json : "{}", 0, NULL);
	json_t *rec = json_pack("{s:i, s:s, s:s, s:s, s:s?, s:I, s:i, s:s?, s:o}", "kbox_image", 1,
				"name", info->name, "source", info->source, "digest", info->digest,
				"config_digest", info->config_digest[0] ? info->config_digest : NULL,
				"size", (json_int_t)info->size, "layers", (int)info->layers,
				"created", info->created, "config", config ? config : json_object());
	char *text = rec ? json_dumps(rec, JSON_INDENT(2)) : NULL, *line = NULL;

	json_decref(rec);
	if (text && asprintf(&line, "%s\n", text) < 0)
		line = NULL;
	free(text);
	return line;
}

int img_record_check(const char *rec, const char *name)
{
	struct image_config ic = {0};
	char err[512];
	int r = 0;

	if (strlen(rec) > IMAGE_RECORD_MAX) {
		log_msg("image '%s': its record would be %zu bytes, more than the appliance reads "
			"(%d)",
			name, strlen(rec), IMAGE_RECORD_MAX);
		return -EFBIG;
	}
	if (image_record_parse(rec, strlen(rec), &ic, err, sizeof(err)) < 0) {
		log_msg("image '%s': the appliance would refuse its config: %s", name, err);
		r = -EINVAL;
	}
	image_config_free(&ic);
	return r;
}

int img_emit_cpio(FILE *out, const char *prefix, struct img_image *images, size_t n,
		  struct img_store *store, struct img_share *ret_share)
{
	struct emit em = {.out = out, .store = store, .prefix = prefix};
	int r = 0;

	/* Names in the archive have no leading '/'. */
	while (em.prefix[0] == '/')
		em.prefix++;
	for (size_t k = 0; k < n && r == 0; k++) {
		em.name = images[k].info.name;
		em.size = em.ram = 0;
		em.entries = 0;
		r = img_tree_walk(&images[k].tree, count, &em);
		images[k].info.size = em.size;
		images[k].info.ram = em.ram;
		images[k].info.entries = em.entries;
	}
	em.next_ino = em.cap + 1; /* above every group's */
	for (size_t k = 0; k < n && r == 0; k++) {
		struct img_image *im = &images[k];
		_cleanup_free_ char *rec = img_record(&im->info);
		char name[512];

		em.name = im->info.name;
		if (!rec) {
			r = -ENOMEM;
			break;
		}
		if ((r = img_record_check(rec, em.name)) < 0)
			break;
		snprintf(name, sizeof(name), "%s/%s", em.prefix, em.name);
		if ((r = put(&em, em.next_ino++, S_IFDIR | im->tree.root.ino->mode, im->tree.root.ino,
			     2, name, NULL, 0)) < 0 ||
		    (r = img_tree_walk(&im->tree, emit_node, &em)) < 0)
			break;
		snprintf(name, sizeof(name), "%s/%s.json", em.prefix, em.name);
		r = put(&em, em.next_ino++, S_IFREG | 0644, NULL, 1, name, rec, strlen(rec));

	}
	if (r == 0) {
		struct img_inode none = {0};

		r = put(&em, 0, 0, &none, 1, "TRAILER!!!", NULL, 0);
	}
	if (r == 0 && fflush(out) != 0)
		r = -errno;
	if (r == -ENOMEM)
		log_msg("images: %s", strerror(ENOMEM));
	else if (r == -EIO)
		log_msg("images: cannot write the archive");
	em.share.files = em.ngroups;
	*ret_share = em.share;
	free(em.groups);
	return r;
}
