/* An image's tree into a directory (see emit_dir.h). */
#include "emit_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/log.h"
#include "../../lib/util.h"

/* A store file once its content's first inode has taken it over by a link. */
#define USED ".used"

struct emit_dir {
	struct img_store *store;
	const char *image;
	int rootfd;   /* the tree's root, for hard links: their first name is below it */
	char **first; /* first[id - 1]: the path of inode id's first name */
	unsigned nfirst, cap;
	uint64_t size;
	char path[2 * 4096 + 16]; /* of the node being written, for messages and links */
};

static int failed(struct emit_dir *em, int r, const char *what)
{
	return log_errno(r, "image '%s': '%s': %s", em->image, em->path[0] ? em->path : ".", what);
}

/* Owner first, then the mode (chown clears set-id bits), then the times: for all but
 * symlinks, through an fd of the node itself. */
static int set_meta(struct emit_dir *em, int fd, const struct img_inode *i)
{
	struct timespec ts[2] = {{.tv_sec = i->mtime}, {.tv_sec = i->mtime}};

	if (fchown(fd, i->uid, i->gid) < 0)
		return failed(em, -errno, "chown");
	if (fchmod(fd, i->mode & 07777) < 0)
		return failed(em, -errno, "chmod");
	if (futimens(fd, ts) < 0)
		return failed(em, -errno, "set its mtime");
	return 0;
}

/* Copy the store's file HEX (or HEX.used) into FD: copy_file_range, or reads and writes
 * where the kernel cannot (another filesystem on an old kernel). */
static int copy_from_store(struct emit_dir *em, const struct img_inode *i, int fd)
{
	static char buf[1 << 16];
	char used[SHA256_HEX_LEN + sizeof(USED)];
	_cleanup_close_ int in = openat(em->store->dirfd, i->hex, O_RDONLY | O_CLOEXEC);
	uint64_t left = i->size;
	bool plain = false;

	if (in < 0 && errno == ENOENT) {
		snprintf(used, sizeof(used), "%s" USED, i->hex);
		in = openat(em->store->dirfd, used, O_RDONLY | O_CLOEXEC);
	}
	if (in < 0)
		return failed(em, -errno, "its content is not in the store");
	while (left) {
		size_t want = left < (1 << 30) ? left : (1 << 30);
		ssize_t n = plain ? -1 : copy_file_range(in, NULL, fd, NULL, want, 0);

		if (n < 0 && !plain &&
		    (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
			plain = true;
			continue;
		}
		if (plain) {
			n = read(in, buf, left < sizeof(buf) ? left : sizeof(buf));
			if (n > 0 && write_all(fd, buf, n) < 0)
				return failed(em, -errno, "write");
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return failed(em, n < 0 ? -errno : -EIO, "copy from the store");
		left -= n;
	}
	return 0;
}

/* A regular file: a link to its inode's first name, the store's file itself (the first
 * time its content is used), or a copy. */
static int put_file(struct emit_dir *em, int dir, const char *name, struct img_inode *i)
{
	char used[SHA256_HEX_LEN + sizeof(USED)];
	_cleanup_close_ int fd = -1;
	int r;

	if (i->id)
		return linkat(em->rootfd, em->first[i->id - 1], dir, name, 0) < 0
			       ? failed(em, -errno, "hard link")
			       : 0;
	if (em->nfirst == em->cap) {
		unsigned cap = em->cap ? 2 * em->cap : 256;
		char **f = realloc(em->first, cap * sizeof(*f));

		if (!f)
			return failed(em, -ENOMEM, "remember it");
		em->first = f;
		em->cap = cap;
	}
	if (!(em->first[em->nfirst] = strdup(em->path)))
		return failed(em, -ENOMEM, "remember it");
	i->id = ++em->nfirst;
	em->size += i->size;
	/* The store's file becomes this one; the name it leaves says so, and the next inode
	 * of that content copies it instead. */
	snprintf(used, sizeof(used), "%s" USED, i->hex);
	if (linkat(em->store->dirfd, i->hex, dir, name, 0) == 0) {
		if (renameat(em->store->dirfd, i->hex, em->store->dirfd, used) < 0)
			return failed(em, -errno, "rename in the store");
		fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return failed(em, -errno, "open");
		return set_meta(em, fd, i);
	}
	if (errno != ENOENT && errno != EXDEV && errno != EPERM && errno != EMLINK)
		return failed(em, -errno, "link from the store");
	fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return failed(em, -errno, "create");
	r = copy_from_store(em, i, fd);
	return r < 0 ? r : set_meta(em, fd, i);
}

static int put_symlink(struct emit_dir *em, int dir, const char *name, const struct img_inode *i)
{
	struct timespec ts[2] = {{.tv_sec = i->mtime}, {.tv_sec = i->mtime}};

	if (symlinkat(i->target, dir, name) < 0)
		return failed(em, -errno, "symlink");
	if (fchownat(dir, name, i->uid, i->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return failed(em, -errno, "chown");
	if (utimensat(dir, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return failed(em, -errno, "set its mtime");
	return 0;
}

/* N's kids below the directory FD, then N's own owner, mode and mtime: last, since every
 * name made in it changes its mtime, and a mode without w or x would shut the rest out. */
static int put_dir(struct emit_dir *em, int fd, struct img_node *n)
{
	size_t at = strlen(em->path);
	int r = 0;

	for (size_t k = 0; k < n->nkids && r == 0; k++) {
		struct img_node *kid = n->kids[k];
		struct img_inode *i = kid->ino;

		snprintf(em->path + at, sizeof(em->path) - at, "%s%s", at ? "/" : "", kid->name);
		switch (i->type) {
		case TAR_DIR: {
			_cleanup_close_ int sub = -1;

			if (mkdirat(fd, kid->name, 0700) < 0)
				r = failed(em, -errno, "mkdir");
			else if ((sub = openat(fd, kid->name,
					       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
				 0)
				r = failed(em, -errno, "open");
			else
				r = put_dir(em, sub, kid);
			break;
		}
		case TAR_SYMLINK:
			r = put_symlink(em, fd, kid->name, i);
			break;
		case TAR_FILE:
			r = put_file(em, fd, kid->name, i);
			break;
		default: /* the tree holds no other kind */
			break;
		}
		em->path[at] = '\0';
	}
	return r < 0 ? r : set_meta(em, fd, n->ino);
}

/* Inode ids are the emitter's: a tree written twice starts from none. */
static int clear_ids(void *ctx, const char *path, struct img_node *n)
{
	n->ino->id = 0;
	return 0;
}

int img_emit_dir(int dirfd, const char *name, struct img_tree *tree, struct img_store *store,
		 const char *image, uint64_t *ret_size)
{
	struct emit_dir em = {.store = store, .image = image, .rootfd = -1};
	int r;

	img_tree_walk(tree, clear_ids, NULL);
	if (mkdirat(dirfd, name, 0700) < 0)
		return log_errno(-errno, "image '%s': mkdir '%s'", image, name);
	em.rootfd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (em.rootfd < 0)
		return log_errno(-errno, "image '%s': open '%s'", image, name);
	r = put_dir(&em, em.rootfd, &tree->root);
	close(em.rootfd);
	for (unsigned k = 0; k < em.nfirst; k++)
		free(em.first[k]);
	free(em.first);
	*ret_size = em.size;
	return r;
}
