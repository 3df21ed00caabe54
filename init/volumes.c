/* Named volumes: made on first use, owned by the container's root, listed by kbox volumes
 * with their size and the containers of PID 1 that name them. */
#include "volumes.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/util.h"

/* Is PATH a mount point: another filesystem than its parent's, or the root itself? */
static bool mount_point(const char *path)
{
	char up[4096];
	struct stat st, parent;

	snprintf(up, sizeof(up), "%s/..", path);
	if (stat(path, &st) < 0 || stat(up, &parent) < 0)
		return false;
	return st.st_dev != parent.st_dev || st.st_ino == parent.st_ino;
}

const char *volumes_unavailable(bool appliance)
{
	if (appliance && !mount_point(KBOX_DATA))
		return "no data disk (nothing is mounted at " KBOX_DATA ")";
	return NULL;
}

/*
 * KBOX_VOLUMES/NAME, made if it is not there. A new one is made under a name of its own,
 * given its owner and mode, and only then renamed into place (never over anything): a
 * crash leaves either no volume or one with the right owner, never one that stays root's
 * and so unwritable for a userns container (an existing volume is never chowned again).
 */
static int volume_make(int vdir, const char *name, uid_t owner, char *why, size_t len)
{
	char tmp[128];
	struct stat st;
	int r = 0;

	if (fstatat(vdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT) {
			r = -errno;
			snprintf(why, len, "cannot stat " KBOX_VOLUMES "/%s: %s", name,
				 strerror(-r));
			return r;
		}
		/* A leftover of an earlier PID of ours is empty: it goes. */
		snprintf(tmp, sizeof(tmp), ".new-%s.%d", name, (int)getpid());
		unlinkat(vdir, tmp, AT_REMOVEDIR);
		if (mkdirat(vdir, tmp, 0700) < 0 ||
		    fchownat(vdir, tmp, owner, owner, AT_SYMLINK_NOFOLLOW) < 0 ||
		    fchmodat(vdir, tmp, 0755, 0) < 0 ||
		    syscall(SYS_renameat2, vdir, tmp, vdir, name, RENAME_NOREPLACE) < 0)
			r = -errno;
		/* The new name is on the disk before the container writes below it. */
		else if (fsync(vdir) < 0)
			r = -errno;
		unlinkat(vdir, tmp, AT_REMOVEDIR);
		/* EEXIST: another start (kbox run beside PID 1) made it first; that one is used. */
		if (r < 0 && (r != -EEXIST || fstatat(vdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)) {
			snprintf(why, len, "cannot create " KBOX_VOLUMES "/%s: %s", name,
				 strerror(-r));
			return r;
		}
		if (r == 0)
			return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, len, KBOX_VOLUMES "/%s is not a directory", name);
		return -ENOTDIR;
	}
	return 0;
}

int volumes_prepare(const struct spec *s, const char *unavailable, char *err, size_t errlen)
{
	/* Root inside is the map's first outside id: a userns map starts at 0. */
	uid_t owner = s->userns.count ? s->userns.outside : 0;
	_cleanup_close_ int vdir = -1;
	char why[512];
	int r;

	if (!s->nvolumes)
		return 0;
	if (unavailable) {
		snprintf(err, errlen, "%s: volume '%s': %s", s->name, s->volumes[0].name,
			 unavailable);
		return -ENODEV;
	}
	r = mkdir_p(KBOX_VOLUMES, 0755);
	/* No symlink on the way: a disk's volumes -> / would hand out the appliance. */
	if (r == 0 && (vdir = open_no_symlinks(KBOX_VOLUMES, O_RDONLY | O_DIRECTORY)) < 0)
		r = vdir;
	if (r < 0) {
		snprintf(err, errlen, "%s: volume '%s': cannot open " KBOX_VOLUMES ": %s", s->name,
			 s->volumes[0].name, strerror(-r));
		return r;
	}
	for (size_t i = 0; i < s->nvolumes; i++) {
		r = volume_make(vdir, s->volumes[i].name, owner, why, sizeof(why));
		if (r < 0) {
			snprintf(err, errlen, "%s: volume '%s': %s", s->name, s->volumes[i].name,
				 why);
			return r;
		}
	}
	return 0;
}

void volumes_note_users(const struct spec_set *set)
{
	const char *tmp = VOLUMES_USERS ".tmp";
	FILE *f = fopen(tmp, "we");
	int r = 0;

	if (!f) {
		log_errno(-errno, "volumes: cannot write '%s'", tmp);
		return;
	}
	for (const struct spec *s = set->specs; s; s = s->next)
		for (size_t i = 0; !s->error && i < s->nvolumes; i++)
			fprintf(f, "%s %s\n", s->volumes[i].name, s->name);
	if (fclose(f) != 0 || rename(tmp, VOLUMES_USERS) < 0)
		r = -errno;
	if (r < 0) {
		log_errno(r, "volumes: cannot write '%s'", VOLUMES_USERS);
		unlink(tmp);
	}
}

/* ---- kbox volumes ---- */

static const char usage[] =
	"usage: kbox volumes [-b]\n"
	"\n"
	"List the named volumes of " KBOX_VOLUMES ": name, size (the disk space its\n"
	"files use, as du -sx counts it; -b: in bytes) and the containers of PID 1 that\n"
	"name it (volume=NAME:/path). A volume a container names that is not made yet\n"
	"shows '-'.\n";

/* How deep a volume's directories are walked: a container could nest them without end. */
#define DU_DEPTH 256

struct du {
	dev_t dev;
	unsigned long long bytes;
	ino_t *seen; /* inodes of more than one name, counted once */
	size_t nseen, cap;
	bool cut; /* something lay deeper than DU_DEPTH, or could not be read */
};

/* True the first time a hard-linked inode is met. */
static bool du_first(struct du *du, ino_t ino)
{
	for (size_t i = 0; i < du->nseen; i++)
		if (du->seen[i] == ino)
			return false;
	if (du->nseen == du->cap) {
		size_t cap = du->cap ? 2 * du->cap : 64;
		ino_t *s = realloc(du->seen, cap * sizeof(*s));

		if (!s) {
			du->cut = true;
			return true;
		}
		du->seen = s;
		du->cap = cap;
	}
	du->seen[du->nseen++] = ino;
	return true;
}

/* What is below DIR (closed here), never following a symlink or crossing a mount. */
static void du_dir(struct du *du, int dir, int depth)
{
	DIR *d = fdopendir(dir);
	struct dirent *de;

	if (!d) {
		close(dir);
		du->cut = true;
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			du->cut = true;
			continue;
		}
		if (st.st_dev != du->dev)
			continue;
		if (!S_ISDIR(st.st_mode) && st.st_nlink > 1 && !du_first(du, st.st_ino))
			continue;
		du->bytes += (unsigned long long)st.st_blocks * 512;
		if (S_ISDIR(st.st_mode)) {
			int sub = -1;

			if (depth < DU_DEPTH)
				sub = openat(dirfd(d), de->d_name,
					     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				du->cut = true;
			else
				du_dir(du, sub, depth + 1);
		}
	}
	closedir(d);
}

/* The space VOLUMES/NAME uses, or -1 when it is not there. *RET_CUT: counted in part. */
static long long volume_size(int vdir, const char *name, bool *ret_cut)
{
	struct du du = {0};
	struct stat st;
	int fd = openat(vdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	du.dev = st.st_dev;
	du.bytes = (unsigned long long)st.st_blocks * 512;
	du_dir(&du, fd, 1);
	free(du.seen);
	*ret_cut = du.cut;
	return du.bytes;
}

struct vol_row {
	char *name;
	char *users; /* "db, backup", or NULL */
};

static struct vol_row *row_get(struct vol_row **rows, size_t *n, const char *name)
{
	struct vol_row *nr;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*rows)[i].name, name))
			return &(*rows)[i];
	nr = realloc(*rows, (*n + 1) * sizeof(*nr));
	if (!nr)
		return NULL;
	*rows = nr;
	nr += *n;
	nr->users = NULL;
	if (!(nr->name = strdup(name)))
		return NULL;
	(*n)++;
	return nr;
}

/* The users file's "VOLUME CONTAINER" lines onto the rows. */
static int read_users(struct vol_row **rows, size_t *n)
{
	_cleanup_free_ char *text = NULL;
	char *line, *save = NULL;

	if (read_file(AT_FDCWD, VOLUMES_USERS, &text, NULL) < 0)
		return 0; /* not the appliance, or no container names a volume */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *ctr = strchr(line, ' ');
		struct vol_row *row;
		char *u;

		if (!ctr)
			continue;
		*ctr++ = '\0';
		if (!spec_valid_name(line) || !spec_valid_name(ctr))
			continue;
		if (!(row = row_get(rows, n, line)))
			return -ENOMEM;
		if (asprintf(&u, "%s%s%s", row->users ? row->users : "", row->users ? ", " : "",
			     ctr) < 0)
			return -ENOMEM;
		free(row->users);
		row->users = u;
	}
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	return strcmp(((const struct vol_row *)a)->name, ((const struct vol_row *)b)->name);
}

/* 4.2M, 15M, 812K, 100B, as kbox images shows sizes. */
static void human(unsigned long long bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%lluB", bytes);
		return;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, v < 9.95 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

int volumes_main(int argc, char **argv)
{
	struct stat st;
	bool bytes = false, appliance = stat(KBOX_CONTROL_SOCK, &st) == 0 && S_ISSOCK(st.st_mode);
	const char *why = volumes_unavailable(appliance);
	struct vol_row *rows = NULL;
	size_t n = 0, wname = 4;
	int code = 0, vdir = -1;
	struct dirent *de;
	DIR *d = NULL;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "-b") || !strcmp(argv[i], "--bytes")) {
			bytes = true;
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (why)
		log_msg("volumes: %s", why);
	else if ((vdir = open(KBOX_VOLUMES, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
		d = fdopendir(fcntl(vdir, F_DUPFD_CLOEXEC, 3));
	else if (errno != ENOENT)
		code = !!log_errno(-errno, "volumes: cannot open '%s'", KBOX_VOLUMES);
	while (d && (de = readdir(d))) {
		/* Leftovers of a creation cut short (.new-NAME.PID) are no volume. */
		if (spec_valid_name(de->d_name) && !row_get(&rows, &n, de->d_name))
			goto nomem;
	}
	if (read_users(&rows, &n) < 0)
		goto nomem;
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_rows);
	for (size_t i = 0; i < n; i++)
		if (strlen(rows[i].name) > wname)
			wname = strlen(rows[i].name);
	printf("%-*s  %-12s  %s\n", (int)wname, "NAME", "SIZE", "CONTAINERS");
	for (size_t i = 0; i < n; i++) {
		bool cut = false;
		long long size = vdir >= 0 ? volume_size(vdir, rows[i].name, &cut) : -1;
		char sz[32] = "-";

		if (size >= 0 && bytes)
			snprintf(sz, sizeof(sz), "%lld", size);
		else if (size >= 0)
			human(size, sz, sizeof(sz) - 1);
		/* At least that much: a part could not be walked. */
		if (cut)
			strcat(sz, "+");
		printf("%-*s  %-12s  %s\n", (int)wname, rows[i].name, sz,
		       rows[i].users ? rows[i].users : "-");
	}
	goto out;
nomem:
	code = !!log_errno(-ENOMEM, "volumes");
out:
	for (size_t i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].users);
	}
	free(rows);
	if (d)
		closedir(d);
	if (vdir >= 0)
		close(vdir);
	return code;
}
