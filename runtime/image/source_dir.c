/* A plain directory as an image's source: its entries into a tree, as a layer's would go,
 * and its files' contents into the store (see source.h). */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../../lib/log.h"
#include "../../lib/util.h"

/* A file of more than one name: its first path, for the hard links that follow. */
struct seen {
	ino_t ino;
	char *path;
};

struct dir_src {
	const char *name; /* the image's, for messages */
	dev_t dev;
	struct img_tree *tree;
	struct img_store *store;
	struct seen *seen; /* an open-addressed table by inode, cap a power of two */
	size_t nseen, cap;
	unsigned long other_fs;
	char path[PATH_MAX];
};

static int dir_failed(struct dir_src *ds, int r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int dir_failed(struct dir_src *ds, int r, const char *fmt, ...)
{
	char msg[PATH_MAX + 256], path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	str_escape(path, sizeof(path), ds->path, strlen(ds->path));
	log_msg("image '%s': '%s': %s", ds->name, path[0] ? path : ".", msg);
	return r;
}

static struct seen *seen_slot(struct dir_src *ds, ino_t ino)
{
	size_t at = (size_t)ino * 0x9e3779b97f4a7c15ULL & (ds->cap - 1);

	while (ds->seen[at].path && ds->seen[at].ino != ino)
		at = (at + 1) & (ds->cap - 1);
	return &ds->seen[at];
}

/* The first path of inode INO, or NULL after noting the current path as its first. */
static const char *seen_first(struct dir_src *ds, ino_t ino, int *r)
{
	struct seen *s;

	*r = 0;
	if (2 * (ds->nseen + 1) > ds->cap) {
		struct seen *old = ds->seen;
		size_t oldcap = ds->cap;

		ds->cap = ds->cap ? 2 * ds->cap : 256;
		ds->seen = calloc(ds->cap, sizeof(*ds->seen));
		if (!ds->seen) {
			ds->seen = old;
			ds->cap = oldcap;
			*r = -ENOMEM;
			return NULL;
		}
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].path)
				*seen_slot(ds, old[i].ino) = old[i];
		free(old);
	}
	s = seen_slot(ds, ino);
	if (s->path)
		return s->path;
	if (!(s->path = strdup(ds->path))) {
		*r = -ENOMEM;
		return NULL;
	}
	s->ino = ino;
	ds->nseen++;
	return NULL;
}

/* A file's bytes from FD into the store under their sha256, into INO. */
static int store_fd(struct dir_src *ds, int fd, struct img_inode *ino)
{
	static char buf[1 << 16];
	char tmp[64];
	struct sha256 h;
	ssize_t n;
	int out, w = 0;

	snprintf(tmp, sizeof(tmp), "tmp.%d.%lu", (int)getpid(), ds->store->seq++);
	out = openat(ds->store->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		return dir_failed(ds, -errno, "the store: %s", strerror(errno));
	sha256_init(&h);
	ino->size = 0;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		sha256_update(&h, buf, n);
		ino->size += n;
		if ((w = write_all(out, buf, n)) < 0)
			break;
	}
	if (n < 0)
		w = -errno;
	if (close(out) < 0 && !w)
		w = -errno;
	if (w == 0) {
		sha256_final_hex(&h, ino->hex);
		if (renameat(ds->store->dirfd, tmp, ds->store->dirfd, ino->hex) < 0)
			w = -errno;
	}
	if (w < 0) {
		unlinkat(ds->store->dirfd, tmp, 0);
		return dir_failed(ds, w, "%s: %s", n < 0 ? "read" : "the store", strerror(-w));
	}
	return 0;
}

/* The entry NAME of the directory DIR (ds->path is its path), as a tar entry would say it. */
static int add_entry(struct dir_src *ds, int dir, const char *name, const struct stat *st,
		     int *ret_sub)
{
	struct tar_entry e = {
		.path = ds->path,
		.mode = st->st_mode & 07777,
		.uid = st->st_uid,
		.gid = st->st_gid,
		.mtime = st->st_mtim.tv_sec,
	};
	_cleanup_close_ int fd = -1;
	char target[PATH_MAX], err[512], xattrs[256];
	struct img_inode *file;
	const char *first = NULL;
	int r;

	*ret_sub = -1;
	if (S_ISREG(st->st_mode)) {
		e.type = TAR_FILE;
		if (st->st_nlink > 1) {
			first = seen_first(ds, st->st_ino, &r);
			if (r < 0)
				return dir_failed(ds, r, "%s", strerror(-r));
		}
		if (first) {
			e.type = TAR_HARDLINK;
			e.link = (char *)first;
		}
	} else if (S_ISDIR(st->st_mode)) {
		e.type = TAR_DIR;
	} else if (S_ISLNK(st->st_mode)) {
		ssize_t n = readlinkat(dir, name, target, sizeof(target) - 1);

		if (n < 0)
			return dir_failed(ds, -errno, "readlink: %s", strerror(errno));
		target[n] = '\0';
		e.type = TAR_SYMLINK;
		e.link = target;
	} else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) || S_ISFIFO(st->st_mode)) {
		e.type = S_ISFIFO(st->st_mode)	? TAR_FIFO
			 : S_ISCHR(st->st_mode) ? TAR_CHAR
						: TAR_BLOCK;
	} else {
		return 0; /* a socket: no image holds one */
	}
	/* What is read is opened as what was seen: a file swapped for a fifo or a link in
	 * between cannot hold the import up or lead it elsewhere. */
	if (e.type == TAR_FILE || e.type == TAR_DIR) {
		struct stat now;

		fd = openat(dir, name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
				    (e.type == TAR_DIR ? O_DIRECTORY : 0));
		if (fd < 0)
			return dir_failed(ds, -errno, "open: %s", strerror(errno));
		if (fstat(fd, &now) < 0 || now.st_ino != st->st_ino || now.st_dev != st->st_dev)
			return dir_failed(ds, -EAGAIN, "changed while it was read");
		/* Not carried (the tree has no room for them), but named: file capabilities. */
		ssize_t xn = flistxattr(fd, xattrs, sizeof(xattrs));

		if (xn > 0 || (xn < 0 && errno == ERANGE)) {
			e.nxattrs = 1;
			e.xattr = xn > 0 ? xattrs : (char *)"?";
		}
	}
	r = img_tree_add(ds->tree, &e, &file, err, sizeof(err));
	if (r < 0)
		return r == -EINVAL ? dir_failed(ds, r, "%s", err)
				    : dir_failed(ds, r, "%s", strerror(-r));
	if (file && (r = store_fd(ds, fd, file)) < 0)
		return r;
	if (e.type == TAR_DIR)
		*ret_sub = take_fd(&fd);
	return 0;
}

/* Every entry below DIR (closed here), in pre-order, never crossing into another mount. */
static int read_dir(struct dir_src *ds, int dir)
{
	size_t at = strlen(ds->path);
	DIR *d = fdopendir(dir);
	struct dirent *de;
	int r = 0;

	if (!d) {
		r = -errno;
		close(dir);
		return dir_failed(ds, r, "%s", strerror(-r));
	}
	while (r == 0 && (errno = 0, de = readdir(d))) {
		struct stat st;
		int sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (at + strlen(de->d_name) + 2 > sizeof(ds->path)) {
			r = dir_failed(ds, -ENAMETOOLONG, "'%s': %s", de->d_name,
				       strerror(ENAMETOOLONG));
			break;
		}
		snprintf(ds->path + at, sizeof(ds->path) - at, "%s%s", at ? "/" : "", de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			r = dir_failed(ds, -errno, "%s", strerror(errno));
		else if (st.st_dev != ds->dev)
			ds->other_fs++;
		else if ((r = add_entry(ds, dirfd(d), de->d_name, &st, &sub)) == 0 && sub >= 0)
			r = read_dir(ds, sub);
		ds->path[at] = '\0';
	}
	if (r == 0 && errno)
		r = dir_failed(ds, -errno, "%s", strerror(errno));
	closedir(d);
	return r;
}

/* The digest of a directory: of its tree as written out, every name, kind, mode, owner,
 * mtime and content (by sha256) or target, so that equal trees have equal digests. */
static int hash_node(void *ctx, const char *path, struct img_node *n)
{
	const struct img_inode *i = n->ino;
	char line[128];

	sha256_update(ctx, path, strlen(path) + 1);
	snprintf(line, sizeof(line), "%d %o %u:%u %lld ", i->type, (unsigned)i->mode, i->uid,
		 i->gid, (long long)i->mtime);
	sha256_update(ctx, line, strlen(line));
	if (i->type == TAR_FILE)
		sha256_update(ctx, i->hex, strlen(i->hex));
	else if (i->target)
		sha256_update(ctx, i->target, strlen(i->target));
	sha256_update(ctx, "\n", 1);
	return 0;
}

int img_dir_read(const char *name, const char *path, struct img_tree *tree, struct img_store *store,
		 struct img_info *info)
{
	struct dir_src ds = {.name = name, .tree = tree, .store = store};
	struct tar_entry root = {.path = ".", .type = TAR_DIR};
	char hex[SHA256_HEX_LEN + 1], err[256];
	struct img_inode *none;
	struct sha256 h;
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return dir_failed(&ds, r, "%s: %s", path, strerror(-r));
	}
	ds.dev = st.st_dev;
	root.mode = st.st_mode & 07777;
	root.uid = st.st_uid;
	root.gid = st.st_gid;
	root.mtime = st.st_mtim.tv_sec;
	img_tree_next_layer(tree);
	r = img_tree_add(tree, &root, &none, err, sizeof(err));
	if (r == 0)
		r = read_dir(&ds, fd);
	else
		close(fd);
	for (size_t i = 0; i < ds.cap; i++)
		free(ds.seen[i].path);
	free(ds.seen);
	if (r < 0)
		return r;
	if (ds.other_fs)
		log_msg("image '%s': %lu entries on other filesystems (mount points) left out",
			name, ds.other_fs);
	sha256_init(&h);
	img_tree_walk(tree, hash_node, &h);
	sha256_final_hex(&h, hex);
	snprintf(info->digest, sizeof(info->digest), "sha256:%s", hex);
	info->layers = 1;
	if (!(info->config_json = strdup("{}")))
		return log_errno(-ENOMEM, "image '%s'", name);
	return 0;
}
