/* mkcpio: write a newc cpio archive from a list, without root and byte-for-byte
 * reproducibly (every mtime is SOURCE_DATE_EPOCH or 0; inodes are numbered in order).
 * usage: mkcpio LIST OUT    (LIST may be - for stdin) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"

static FILE *out;
static unsigned long offset, mtime;
static unsigned next_ino = 721;

static int put(const void *buf, size_t len)
{
	if (fwrite(buf, 1, len, out) != len)
		return -EIO;
	offset += len;
	return 0;
}

static int pad4(void)
{
	static const char zero[4];

	return put(zero, (4 - offset % 4) % 4);
}

static int put_entry(unsigned ino, mode_t mode, const struct cpio_entry *e, const char *name,
		     unsigned nlink, unsigned long size, unsigned rmaj, unsigned rmin)
{
	char hdr[CPIO_HDR_LEN + 1];
	const char *rel = name + 1; /* the kernel wants names without the leading '/' */

	if (!*rel)
		rel = ".";
	cpio_header(hdr, ino, mode, e->uid, e->gid, nlink, mtime, size, rmaj, rmin,
		    strlen(rel) + 1);
	if (put(hdr, CPIO_HDR_LEN) < 0 || put(rel, strlen(rel) + 1) < 0)
		return -EIO;
	return pad4();
}

static int put_file(const struct cpio_entry *e)
{
	unsigned ino = next_ino++, nlink = e->nlinks + 1;
	struct stat st;
	char buf[65536];
	int fd = open(e->source, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "mkcpio: %s: %s\n", e->source, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	/* The data goes with the last name; the kernel links the others to it. */
	for (size_t i = 0; i < e->nlinks && r == 0; i++)
		r = put_entry(ino, S_IFREG | e->mode, e, e->links[i], nlink, 0, 0, 0);
	if (r == 0)
		r = put_entry(ino, S_IFREG | e->mode, e, e->name, nlink, st.st_size, 0, 0);
	for (off_t left = st.st_size; r == 0 && left > 0;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0) {
			fprintf(stderr, "mkcpio: %s: short read\n", e->source);
			r = -EIO;
			break;
		}
		r = put(buf, n);
		left -= n;
	}
	close(fd);
	return r ? r : pad4();
}

static int put_one(const struct cpio_entry *e)
{
	switch (e->type) {
	case CPIO_DIR:
		return put_entry(next_ino++, S_IFDIR | e->mode, e, e->name, 2, 0, 0, 0);
	case CPIO_SLINK: {
		size_t len = strlen(e->source);
		int r = put_entry(next_ino++, S_IFLNK | e->mode, e, e->name, 1, len, 0, 0);

		if (r == 0)
			r = put(e->source, len);
		return r ? r : pad4();
	}
	case CPIO_NOD:
		return put_entry(next_ino++, (e->dev_type == 'b' ? S_IFBLK : S_IFCHR) | e->mode, e,
				 e->name, 1, 0, e->maj, e->min);
	case CPIO_FILE:
		return put_file(e);
	}
	return -EINVAL;
}

int main(int argc, char **argv)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	struct cpio_entry trailer = {.name = "/TRAILER!!!"};
	char line[8192], err[256];
	FILE *list;
	int lineno = 0, r = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: mkcpio LIST OUT\n");
		return 2;
	}
	mtime = epoch ? strtoul(epoch, NULL, 10) : 0;
	list = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
	out = fopen(argv[2], "w");
	if (!list || !out) {
		fprintf(stderr, "mkcpio: %s: %s\n", list ? argv[2] : argv[1], strerror(errno));
		return 1;
	}
	while (r == 0 && fgets(line, sizeof(line), list)) {
		struct cpio_entry e;

		lineno++;
		r = cpio_parse_line(line, &e, err, sizeof(err));
		if (r < 0) {
			fprintf(stderr, "mkcpio: %s:%d: %s\n", argv[1], lineno, err);
			break;
		}
		r = r ? put_one(&e) : 0;
		free(e.links);
	}
	if (r == 0)
		r = put_entry(0, 0, &trailer, trailer.name, 1, 0, 0, 0);
	if (r == 0 && offset % 512) {
		static const char zero[512];

		r = put(zero, 512 - offset % 512);
	}
	if (fclose(out) != 0 && r == 0)
		r = -EIO;
	if (r < 0) {
		unlink(argv[2]);
		return 1;
	}
	return 0;
}
