/* /etc/kbox: the conf files of a directory, read into a spec set. It only opens and reads
 * (no other side effect), so it is unit-tested and fuzzed on the host. */
#include "confdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/util.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_conf(const char *file)
{
	size_t n = strlen(file);

	return n > 5 && strcmp(file + n - 5, ".conf") == 0 && strcmp(file, "kbox.conf") != 0;
}

/* The NAME.conf entries of DIRFD, sorted; kbox.conf is not one of them. */
static int list_confs(int dirfd, char ***ret_files, size_t *ret_n)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char **files = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		if (!is_conf(de->d_name))
			continue;
		if (n == cap) {
			char **nf = realloc(files, (cap = cap ? cap * 2 : 16) * sizeof(*files));

			if (!nf)
				goto fail;
			files = nf;
		}
		if (!(files[n] = strdup(de->d_name)))
			goto fail;
		n++;
	}
	closedir(d);
	if (n)
		qsort(files, n, sizeof(*files), cmp_names);
	*ret_files = files;
	*ret_n = n;
	return 0;
fail:
	while (n)
		free(files[--n]);
	free(files);
	closedir(d);
	return -ENOMEM;
}

static const char *kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a fifo";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	return S_ISBLK(mode) ? "a block device" : "not a regular file";
}

/* Checked before it is opened (a fifo would block, a device could act) and once open. */
static int check_stat(const struct stat *st, char *why, size_t len)
{
	if (!S_ISREG(st->st_mode)) {
		snprintf(why, len, "is %s, not a file", kind(st->st_mode));
		return -EINVAL;
	}
	if (st->st_size > CONFDIR_FILE_MAX) {
		snprintf(why, len, "is %lld bytes; a spec file may have %d at most",
			 (long long)st->st_size, CONFDIR_FILE_MAX);
		return -EFBIG;
	}
	return 0;
}

/* FILE's text, or -errno with what makes it unusable in why. */
static int read_conf(int dirfd, const char *file, char **ret_text, char *why, size_t len)
{
	struct stat st;
	char *buf, *nul;
	size_t n = 0;
	int fd, r;

	if (fstatat(dirfd, file, &st, 0) < 0) {
		r = -errno;
		snprintf(why, len, "cannot read it: %s", strerror(-r));
		return r;
	}
	r = check_stat(&st, why, len);
	if (r < 0)
		return r;
	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		snprintf(why, len, "cannot read it: %s", strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0 || (r = check_stat(&st, why, len)) < 0) {
		close(fd);
		return r < 0 ? r : -EIO;
	}
	/* One byte past the bound tells a file that grew since fstat. */
	buf = malloc(CONFDIR_FILE_MAX + 2);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (n <= CONFDIR_FILE_MAX) {
		ssize_t k = read(fd, buf + n, CONFDIR_FILE_MAX + 1 - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = -errno;
			snprintf(why, len, "cannot read it: %s", strerror(-r));
			break;
		}
		if (k == 0)
			break;
		n += k;
	}
	close(fd);
	if (r == 0 && n > CONFDIR_FILE_MAX) {
		snprintf(why, len, "is over the %d bytes a spec file may have", CONFDIR_FILE_MAX);
		r = -EFBIG;
	}
	if (r == 0 && (nul = memchr(buf, '\0', n))) {
		int line = 1;

		for (const char *p = buf; p < nul; p++)
			line += *p == '\n';
		snprintf(why, len, "a NUL byte on line %d: a spec file is text", line);
		r = -EINVAL;
	}
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*ret_text = buf;
	return 0;
}

/* One file: NAME.conf for container NAME, or kbox.conf (NAME NULL) for the globals. */
static int load_file(struct spec_set *set, int dirfd, const char *where, const char *file,
		     const char *name)
{
	char path[PATH_MAX + 256], why[256] = "";
	_cleanup_free_ char *text = NULL;
	int r;

	snprintf(path, sizeof(path), "%s/%s", where, file);
	/* An invalid name is reported as such; its file is not even read. */
	if (name && !spec_valid_name(name))
		return spec_set_fail(set, name, "", path);
	r = read_conf(dirfd, file, &text, why, sizeof(why));
	if (r == -ENOMEM)
		return r;
	if (r == -ENOENT && !name)
		return 0;
	if (r < 0 && !name)
		strncat(why, "; ignored", sizeof(why) - strlen(why) - 1);
	if (r < 0)
		return spec_set_fail(set, name, why, path);
	return spec_parse_conf(set, name, text, path);
}

int confdir_load(struct spec_set *set, int dirfd, const char *where)
{
	char **files = NULL;
	size_t n = 0;
	int r;

	r = load_file(set, dirfd, where, "kbox.conf", NULL);
	if (r < 0)
		return r;
	r = list_confs(dirfd, &files, &n);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		char why[128];

		snprintf(why, sizeof(why), "cannot list it: %s", strerror(-r));
		return spec_set_fail(set, NULL, why, where);
	}
	for (size_t i = 0; i < n; i++) {
		char name[NAME_MAX + 1];

		snprintf(name, sizeof(name), "%.*s", (int)strlen(files[i]) - 5, files[i]);
		if (r == 0)
			r = load_file(set, dirfd, where, files[i], name);
		free(files[i]);
	}
	free(files);
	return r;
}
