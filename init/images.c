/* The images on disk: each one's record read, applied to a spec before a start, and listed
 * by kbox images (which reads the directories itself: it needs no PID 1). */
#include "images.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"

int images_read_record(const char *dir, const char *name, struct image_config *ic, char *err,
		       size_t errlen)
{
	char path[PATH_MAX], why[SPEC_ERRLEN * 2];
	_cleanup_free_ char *text = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;
	size_t len;
	int r;

	memset(ic, 0, sizeof(*ic));
	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	/* PID 1 reads it: a fifo must not hold it up, nor a device act. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0 || fstat(fd, &st) < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a file", path);
		return -EINVAL;
	}
	if (st.st_size > IMAGES_RECORD_MAX) {
		snprintf(err, errlen, "%s: %lld bytes; a record may have %d at most", path,
			 (long long)st.st_size, IMAGES_RECORD_MAX);
		return -EFBIG;
	}
	r = read_fd_max(fd, IMAGES_RECORD_MAX, &text, &len);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	r = image_record_parse(text, len, ic, why, sizeof(why));
	if (r == 0 && strcmp(ic->name, name) != 0) {
		snprintf(why, sizeof(why), "name: '%s' is another image's", ic->name);
		r = -EINVAL;
	}
	if (r < 0)
		snprintf(err, errlen, "%s: %s", path, r == -EINVAL ? why : strerror(-r));
	return r;
}

const char *images_find(const char *name, const char *const *dirs, size_t n)
{
	char path[PATH_MAX];
	struct stat st;

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		/* kbox load's images are links to the tree: stat, not lstat. */
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return dirs[i];
	}
	return NULL;
}

const char *images_resolve(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX], base[PATH_MAX], *slash;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!realpath(dir, base) || !realpath(path, real))
		return dir; /* gone meanwhile: the start says it is not found */
	/* A link that leads out of DIR (a disk made elsewhere: images/web -> /etc) would make
	 * any directory of the appliance a container's root. */
	n = strlen(base);
	if (strncmp(real, base, n) || real[n] != '/') {
		log_msg("image '%s': %s leads out of %s, to '%s': refused", name, path, dir, real);
		return NULL;
	}
	slash = strrchr(real, '/');
	if (strcmp(slash + 1, name)) {
		log_msg("image '%s': %s leads to '%s', not to a tree named '%s': refused", name,
			path, real, name);
		return NULL;
	}
	*slash = '\0';
	snprintf(buf, len, "%s", real);
	return buf;
}

int images_apply(struct spec *s, const char *dir, char *err, size_t errlen)
{
	struct image_config ic = {0};
	char why[SPEC_ERRLEN * 2];
	int r = -ENOENT;

	if (s->image[0] != '/' && dir)
		r = images_read_record(dir, s->image, &ic, why, sizeof(why));
	if (r < 0 && r != -ENOENT) {
		snprintf(err, errlen, "%s: image '%s': %s", s->name, s->image, why);
		image_config_free(&ic);
		return r;
	}
	r = spec_apply_image(s, r == 0 ? &ic : NULL, err, errlen);
	if (r == -ENOMEM)
		snprintf(err, errlen, "%s: image '%s': %s", s->name, s->image, strerror(ENOMEM));
	image_config_free(&ic);
	return r;
}

/* ---- kbox images ---- */

static const char usage[] =
	"usage: kbox images\n"
	"\n"
	"List the images of $KBOX_IMAGES, or of " KBOX_IMAGES " and " KBOX_HOST_IMAGES
	" (the first\n"
	"one holding a name wins): name, digest, size, layers and source, from\n"
	"each image's record; '-' for a directory without one.\n";

struct image_row {
	char *name;
	const char *dir;
};

static int cmp_rows(const void *a, const void *b)
{
	return strcmp(((const struct image_row *)a)->name, ((const struct image_row *)b)->name);
}

/* The images of DIR not in ROWS already: its directories with an image's name. */
static int list_dir(const char *dir, struct image_row **rows, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (r == 0 && (de = readdir(d))) {
		struct image_row *nr;
		struct stat st;
		bool seen = false;

		if (!spec_valid_name(de->d_name) || fstatat(dirfd(d), de->d_name, &st, 0) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = !strcmp((*rows)[i].name, de->d_name);
		if (seen)
			continue;
		nr = realloc(*rows, (*n + 1) * sizeof(*nr));
		if (!nr || !(nr[*n].name = strdup(de->d_name))) {
			if (nr)
				*rows = nr;
			r = -ENOMEM;
			break;
		}
		*rows = nr;
		nr[(*n)++].dir = dir;
	}
	closedir(d);
	return r;
}

/* 4.2M, 15M, 812K, 100B: two figures or three, as ls -h. */
static void human_size(long long bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%lldB", bytes);
		return;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, v < 9.95 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

#define COLUMNS 5

/* A source is a path: room for a long one. */
#define COLUMN_LEN 256

static void print_row(char cols[COLUMNS][COLUMN_LEN], const int *width)
{
	for (int i = 0; i < COLUMNS - 1; i++)
		printf("%-*s  ", width[i], cols[i]);
	printf("%s\n", cols[COLUMNS - 1]);
}

int images_main(int argc, char **argv)
{
	static const char *const header[COLUMNS] = {"NAME", "DIGEST", "SIZE", "LAYERS", "SOURCE"};
	const char *env = getenv("KBOX_IMAGES");
	const char *dirs[] = {env ? env : KBOX_IMAGES, env ? NULL : KBOX_HOST_IMAGES};
	char(*cols)[COLUMNS][COLUMN_LEN] = NULL;
	struct image_row *rows = NULL;
	int width[COLUMNS], code = 0;
	size_t n = 0;

	if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc > 2) {
		fputs(usage, stderr);
		return 2;
	}
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		int r = dirs[i] ? list_dir(dirs[i], &rows, &n) : 0;

		if (r == -ENOMEM)
			goto nomem;
		if (r < 0) {
			log_errno(r, "images: cannot list '%s'", dirs[i]);
			code = 1;
		}
	}
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_rows);
	cols = calloc(n + 1, sizeof(*cols));
	if (!cols)
		goto nomem;
	for (int c = 0; c < COLUMNS; c++)
		snprintf(cols[0][c], sizeof(cols[0][c]), "%s", header[c]);
	for (size_t i = 0; i < n; i++) {
		char(*row)[COLUMN_LEN] = cols[i + 1];
		char err[SPEC_ERRLEN * 3];
		struct image_config ic;
		int r = images_read_record(rows[i].dir, rows[i].name, &ic, err, sizeof(err));

		snprintf(row[0], sizeof(row[0]), "%s", rows[i].name);
		for (int c = 1; c < COLUMNS; c++)
			snprintf(row[c], sizeof(row[c]), "-");
		if (r < 0 && r != -ENOENT) {
			log_msg("images: %s", err);
			code = 1;
		}
		if (r == 0) {
			if (ic.digest)
				snprintf(row[1], sizeof(row[1]), "%.19s", ic.digest);
			human_size(ic.size, row[2], sizeof(row[2]));
			snprintf(row[3], sizeof(row[3]), "%lld", ic.layers);
			/* The importer's words, on a terminal: no control byte gets through. */
			if (ic.source)
				str_escape(row[4], sizeof(row[4]), ic.source, strlen(ic.source));
		}
		image_config_free(&ic);
	}
	for (int c = 0; c < COLUMNS; c++) {
		width[c] = 0;
		for (size_t i = 0; i <= n; i++)
			if ((int)strlen(cols[i][c]) > width[c])
				width[c] = strlen(cols[i][c]);
	}
	for (size_t i = 0; i <= n; i++)
		print_row(cols[i], width);
	goto out;
nomem:
	log_errno(-ENOMEM, "images");
	code = 1;
out:
	for (size_t i = 0; i < n; i++)
		free(rows[i].name);
	free(rows);
	free(cols);
	return code;
}
