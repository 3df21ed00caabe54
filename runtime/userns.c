/* User namespaces: the child's id maps, and image ownership shifted into the mapped range. */
#include "userns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "spec/oci.h"

/* Parent side, before the child may go on: it waits for its maps. */
int userns_parent_map(pid_t pid, const struct spec *spec)
{
	static const char *const maps[] = {"uid_map", "gid_map"};
	char path[64], line[64];

	snprintf(line, sizeof(line), "%u %u %u\n", spec->userns.inside, spec->userns.outside,
		 spec->userns.count);
	for (size_t i = 0; i < ARRAY_SIZE(maps); i++) {
		int r;

		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, maps[i]);
		r = write_file(AT_FDCWD, path, line);
		if (r < 0)
			return log_errno(r, "%s: userns: write '%.*s' to %s", spec->name,
					 (int)strlen(line) - 1, line, maps[i]);
	}
	return 0;
}

/* "0:100000:65536", or "" without a user namespace. */
static void map_string(const struct spec *spec, char *buf, size_t len)
{
	if (spec->userns.count)
		snprintf(buf, len, "%u:%u:%u", spec->userns.inside, spec->userns.outside,
			 spec->userns.count);
	else
		buf[0] = '\0';
}

int userns_layer_state(const char *marker, const struct spec *spec, char *err, int errlen)
{
	_cleanup_free_ char *had = NULL;
	char want[64];

	map_string(spec, want, sizeof(want));
	if (read_file(AT_FDCWD, marker, &had, NULL) < 0)
		return 0; /* never shifted */
	had[strcspn(had, "\n")] = '\0';
	if (strcmp(had, want) == 0)
		return 1;
	snprintf(err, errlen,
		 "userns: its writable layer was made with userns=%s; remove %.*s to change that",
		 had, (int)(strrchr(marker, '/') - marker), marker);
	return -EEXIST;
}

int userns_layer_mark(const char *marker, const struct spec *spec)
{
	_cleanup_close_ int fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	char want[64];

	map_string(spec, want, sizeof(want));
	if (fd < 0 || write_all(fd, want, strlen(want)) < 0)
		return log_errno(-errno, "%s: userns: cannot write '%s'", spec->name, marker);
	return 0;
}

static unsigned shift(const struct spec *spec, unsigned id)
{
	if (id - spec->userns.inside < spec->userns.count)
		return id - spec->userns.inside + spec->userns.outside;
	return id; /* unmapped: the container sees it as nobody, as it would anyway */
}

/* chown every entry below dirfd (and dirfd itself) into the mapped range. */
static int shift_dir(int dirfd, const struct spec *spec, int depth)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int r = 0;

	if (depth > 64) {
		close(dirfd);
		return -ELOOP;
	}
	if (fstat(dirfd, &st) < 0 ||
	    fchown(dirfd, shift(spec, st.st_uid), shift(spec, st.st_gid)) < 0) {
		r = -errno;
		close(dirfd);
		return r;
	}
	d = fdopendir(dirfd);
	if (!d) {
		r = -errno;
		close(dirfd);
		return r;
	}
	while (r == 0 && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = -errno;
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			r = sub < 0 ? -errno : shift_dir(sub, spec, depth + 1);
			continue;
		}
		if (fchownat(dirfd, de->d_name, shift(spec, st.st_uid), shift(spec, st.st_gid),
			     AT_SYMLINK_NOFOLLOW) < 0)
			r = -errno;
		/* chown clears set-id bits, which the image's owner meant to keep. */
		else if (!S_ISLNK(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID)) &&
			 fchmodat(dirfd, de->d_name, st.st_mode & 07777, 0) < 0)
			r = -errno;
	}
	closedir(d);
	return r;
}

int userns_shift_tree(const char *root, const struct spec *spec)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return shift_dir(fd, spec, 0);
}

static int write_map(pid_t pid, const char *name, const struct oci_idmap *m, size_t n)
{
	char path[64], *text;
	size_t len = 0;
	int r;

	/* The kernel takes a map in one write, 340 lines at most. */
	text = malloc(n * 36 + 1);
	if (!text)
		return -ENOMEM;
	text[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += sprintf(text + len, "%u %u %u\n", m[i].inside, m[i].outside, m[i].count);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	r = write_file(AT_FDCWD, path, text);
	free(text);
	return r;
}

int userns_parent_map_oci(pid_t pid, const struct spec *spec)
{
	const struct spec_oci *oci = spec->oci;
	char path[64];
	int r;

	r = write_map(pid, "uid_map", oci->uid_maps, oci->nuid_maps);
	if (r < 0)
		return log_errno(r, "%s: userns: write its uidMappings", spec->name);
	r = write_map(pid, "gid_map", oci->gid_maps, oci->ngid_maps);
	/* Only a writer without CAP_SETGID over the namespace needs setgroups denied first,
	 * and then the container cannot drop groups it holds: only when it must, as runc. */
	if (r == -EPERM) {
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		if (write_file(AT_FDCWD, path, "deny") == 0)
			r = write_map(pid, "gid_map", oci->gid_maps, oci->ngid_maps);
	}
	if (r < 0)
		return log_errno(r, "%s: userns: write its gidMappings", spec->name);
	return 0;
}
