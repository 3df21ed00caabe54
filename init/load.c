/*
 * kbox load: an image into KBOX_HOST_IMAGES such that a crash (a power cut) at any moment
 * leaves the old image or none, never half of one, and a tree and a record that belong
 * together. Below KBOX_HOST_IMAGES:
 *
 *   .NAME.N/NAME      generation N: the tree, and beside it
 *   .NAME.N/NAME.json its record; both written and synced before anything leads there
 *   NAME              -> .NAME.N/NAME, the one link a load replaces, by one rename: the
 *                     commit. Readers (PID 1, kbox run, kbox images) see a directory.
 *   NAME.json         -> NAME/../NAME.json, made once and never changed: the kernel takes
 *                     '..' from where NAME leads, so the record read is always the one
 *                     beside the tree read, whichever generation NAME names
 *   ._load-PID/       a load's store of file contents (on the disk: an image may not fit
 *                     in RAM), removed when it ends
 *   ._tmp-NAME, ._tmp-NAME.json   a link on its way to its name
 *   .lock             one load at a time
 *
 * A container keeps the tree it started on (its overlay holds it): a generation that no
 * link names is removed by a load (the next one, for what a crash left) only once no
 * mounted overlay has it as its lower directory.
 */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/log.h"
#include "../lib/paths.h"
#include "../lib/util.h"
#include "../runtime/image/emit.h"
#include "../runtime/image/emit_dir.h"
#include "../runtime/image/name.h"
#include "../runtime/image/source.h"
#include "../runtime/spec/values.h"

static const char usage[] =
	"usage: kbox load SOURCE [NAME]\n"
	"\n"
	"Import the image SOURCE into " KBOX_HOST_IMAGES "/NAME with its record NAME.json,\n"
	"where PID 1 and kbox run find it after " KBOX_IMAGES ". SOURCE is\n"
	"  oci:DIR[:TAG]               an OCI image layout\n"
	"  oci-archive:FILE[:TAG]      the same in a tar (podman save --format oci-archive)\n"
	"  docker-archive:FILE[:TAG]   what docker save and podman save write\n"
	"  tar:FILE                    a root filesystem tarball (docker export)\n"
	"  DIR                         a root filesystem as a directory (one holding an\n"
	"                              oci-layout file: an OCI layout)\n"
	"NAME defaults to the tag's repository (localhost/web:1 is web), else to the file's\n"
	"name up to its first '.'. A load replaces an image of that name at once and\n"
	"whole: a crash leaves the old one or the new one. A running container keeps the\n"
	"tree it started on; its next start takes the new one. In the appliance it needs\n"
	"the data disk (kbox.data).\n";

/* For tests/host/load.t: KBOX_LOAD_STOP=POINT stops the load there (SIGSTOP), so that the
 * test kills it at a known moment. */
static void stop_point(const char *point)
{
	const char *want = getenv("KBOX_LOAD_STOP");

	if (want && !strcmp(want, point))
		raise(SIGSTOP);
}

/* NAME of generation ENTRY (".web.3": web, 3), or false for another kind of entry. */
static bool gen_of(const char *entry, char name[64], unsigned long *ret_n)
{
	const char *dot = strrchr(entry, '.');
	char *end;

	if (entry[0] != '.' || !dot || dot == entry || dot - entry - 1 >= 64 || !dot[1])
		return false;
	*ret_n = strtoul(dot + 1, &end, 10);
	if (*end || dot[1] < '0' || dot[1] > '9')
		return false;
	snprintf(name, 64, "%.*s", (int)(dot - entry - 1), entry + 1);
	return spec_valid_name(name);
}

/* Does a mounted overlay have TREE (a real path) as a lower directory? Only this mount
 * namespace's are seen: PID 1's, where its containers' overlays are, for kbox load from the
 * appliance's console. */
static bool in_use(const char *tree)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	bool used = false;

	if (!f)
		return true; /* cannot tell: keep it */
	while (!used && getline(&line, &cap, f) > 0) {
		char *low = strstr(line, " - overlay ");

		if (!low || !(low = strstr(low, "lowerdir=")))
			continue;
		low += strlen("lowerdir=");
		low[strcspn(low, ", \n")] = '\0';
		for (char *save, *dir = strtok_r(low, ":", &save); dir && !used;
		     dir = strtok_r(NULL, ":", &save))
			used = !strcmp(dir, tree);
	}
	fclose(f);
	return used;
}

static void remove_tree(int dirfd, const char *entry)
{
	int fd = openat(dirfd, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd >= 0 && fstat(fd, &st) == 0)
		rm_contents(fd, st.st_dev);
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, entry, AT_REMOVEDIR);
}

/*
 * What no link names any more: generations (once no overlay holds them), a crashed load's
 * store, links that never reached their names. We hold the lock: no other load is under
 * way. REAL is KBOX_HOST_IMAGES's real path. Returns the highest generation of NAME seen.
 */
static unsigned long collect(int dirfd, const char *real, const char *name)
{
	/* An fd of its own: a dup would share the offset an earlier walk left at the end. */
	_cleanup_close_ int dup = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
	unsigned long top = 0, n;
	struct dirent *de;
	char gname[64], link[512], want[512], tree[PATH_MAX];

	if (!d)
		return 0;
	dup = -1;
	while ((de = readdir(d))) {
		ssize_t len;

		if (!strncmp(de->d_name, "._load-", 7)) {
			remove_tree(dirfd, de->d_name);
			continue;
		}
		if (!strncmp(de->d_name, "._tmp-", 6)) {
			unlinkat(dirfd, de->d_name, 0);
			continue;
		}
		if (!gen_of(de->d_name, gname, &n))
			continue;
		if (!strcmp(gname, name) && n > top)
			top = n;
		len = readlinkat(dirfd, gname, link, sizeof(link) - 1);
		link[len > 0 ? len : 0] = '\0';
		snprintf(want, sizeof(want), "%s/%s", de->d_name, gname);
		if (!strcmp(link, want))
			continue;
		snprintf(tree, sizeof(tree), "%s/%s/%s", real, de->d_name, gname);
		if (in_use(tree)) {
			log_msg("image '%s': %s stays while a container runs on it", gname,
				de->d_name);
			continue;
		}
		/* The one before the current stays too: a start may have resolved the link to
		 * it a moment before this load swapped it, and not have mounted it yet. */
		{
			char cur[64];
			unsigned long m;
			char *slash = strchr(link, '/');

			if (slash) {
				*slash = '\0';
				if (gen_of(link, cur, &m) && !strcmp(cur, gname) && n + 1 == m)
					continue;
			}
		}
		remove_tree(dirfd, de->d_name);
	}
	closedir(d);
	return top;
}

/* NAME: a link to its generation, or nothing; a directory put there by hand is not ours to
 * replace (nor could one rename do it). */
static int check_name(int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : log_errno(-errno, "image '%s'", name);
	if (S_ISLNK(st.st_mode))
		return 0;
	log_msg("image '%s': " KBOX_HOST_IMAGES "/%s is not one kbox load made; remove it (and "
		"%s.json) first",
		name, name, name);
	return -EEXIST;
}

/* The tree's record beside it, synced with the rest by the caller's syncfs. */
static int write_record(int gen, const char *name, const struct img_info *info)
{
	_cleanup_free_ char *rec = img_record(info);
	char file[80];
	_cleanup_close_ int fd = -1;

	if (!rec)
		return log_errno(-ENOMEM, "image '%s': its record", name);
	if (img_record_check(rec, name) < 0)
		return -EINVAL;
	snprintf(file, sizeof(file), "%s.json", name);
	fd = openat(gen, file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, rec, strlen(rec)) < 0)
		return log_errno(-errno, "image '%s': write its record", name);
	return 0;
}

/* LINK -> TARGET, by a new link renamed over it: the name is never missing in between. */
static int swap_link(int dirfd, const char *link, const char *target)
{
	char tmp[96];

	snprintf(tmp, sizeof(tmp), "._tmp-%s", link);
	unlinkat(dirfd, tmp, 0);
	if (symlinkat(target, dirfd, tmp) < 0 || renameat(dirfd, tmp, dirfd, link) < 0) {
		int r = -errno;

		unlinkat(dirfd, tmp, 0);
		return r;
	}
	return fsync(dirfd) < 0 ? -errno : 0;
}

/* Publish generation GEN of NAME: its record's link first (harmless: it leads through
 * NAME, to the record of whatever tree NAME is), then NAME itself. */
static int commit(int dirfd, const char *name, const char *gen)
{
	char rec[80], want[160], cur[160], target[160];
	ssize_t n;
	int r = 0;

	snprintf(rec, sizeof(rec), "%s.json", name);
	snprintf(want, sizeof(want), "%s/../%s.json", name, name);
	n = readlinkat(dirfd, rec, cur, sizeof(cur) - 1);
	cur[n > 0 ? n : 0] = '\0';
	if (strcmp(cur, want))
		r = swap_link(dirfd, rec, want);
	if (r < 0)
		return log_errno(r, "image '%s': link %s", name, rec);
	stop_point("record-link");
	snprintf(target, sizeof(target), "%s/%s", gen, name);
	r = swap_link(dirfd, name, target);
	if (r < 0)
		return log_errno(r, "image '%s': link %s", name, name);
	return 0;
}

static void report_dropped(const struct img_tree *t, const char *name)
{
	static const char *const what[IMG_DROP_COUNT] = {
		[IMG_DROP_XATTR] = "extended attributes",
		[IMG_DROP_DEVICE] = "device nodes",
		[IMG_DROP_FIFO] = "fifos",
		[IMG_DROP_LONG] = "names of 4000 bytes or more",
	};

	for (int k = 0; k < IMG_DROP_COUNT; k++) {
		const char *e = t->dropped[k].example;
		char ex[512];

		if (!t->dropped[k].count)
			continue;
		str_escape(ex, sizeof(ex), e ? e : "", e ? strlen(e) : 0);
		log_msg("image '%s': not carried: %lu %s (the first: '%s')", name,
			t->dropped[k].count, what[k], ex);
	}
}

/* In the appliance only a data disk keeps an image: without one it would go at power-off. */
static const char *no_disk(void)
{
	struct stat st, sock, up;

	if (stat(KBOX_CONTROL_SOCK, &sock) < 0 || !S_ISSOCK(sock.st_mode))
		return NULL; /* a host: its own /var/lib */
	if (stat(KBOX_DATA, &st) == 0 && stat(KBOX_DATA "/..", &up) == 0 && st.st_dev != up.st_dev)
		return NULL;
	return "no data disk (nothing is mounted at " KBOX_DATA "): it would not outlive a "
	       "reboot";
}

/* Deep trees hold a directory fd a level while they are written. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int lock_images(int dirfd, const char *name)
{
	int fd = openat(dirfd, ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return log_errno(-errno, "image '%s': " KBOX_HOST_IMAGES "/.lock", name);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		log_msg("image '%s': waiting for another kbox load", name);
		if (flock(fd, LOCK_EX) < 0) {
			close(fd);
			return log_errno(-errno, "image '%s': lock", name);
		}
	}
	return fd;
}

/* Import SOURCE as generation N of NAME, into a new DIRFD/GEN; the store in WORK. */
static int import(int dirfd, const char *work, const char *name, const char *source,
		  const char *gen, struct img_info *info)
{
	char store_dir[128];
	struct img_store store = {.dirfd = -1};
	struct img_tree tree;
	_cleanup_close_ int gfd = -1;
	int r;

	img_tree_init(&tree);
	snprintf(store_dir, sizeof(store_dir), KBOX_HOST_IMAGES "/%s", work);
	if (mkdirat(dirfd, work, 0700) < 0 || img_store_open(store_dir, &store) < 0) {
		r = log_errno(-errno, "image '%s': a store in '%s'", name, store_dir);
		goto out;
	}
	r = img_source_read(name, source, &tree, &store, info);
	if (r < 0)
		goto out;
	report_dropped(&tree, name);
	stop_point("imported");
	if (mkdirat(dirfd, gen, 0755) < 0 ||
	    (gfd = openat(dirfd, gen, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		r = log_errno(-errno, "image '%s': mkdir '%s'", name, gen);
		goto out;
	}
	r = img_emit_dir(gfd, name, &tree, &store, name, &info->size);
	if (r < 0)
		goto out;
	stop_point("tree");
	r = write_record(gfd, name, info);
	if (r < 0)
		goto out;
	stop_point("record");
	/* What the tree did not take from the store need not reach the disk. */
	img_store_close(&store);
	remove_tree(dirfd, work);
	/* Everything of the generation is on the disk before a link leads to it. */
	if (syncfs(gfd) < 0)
		r = log_errno(-errno, "image '%s': sync", name);
out:
	img_tree_free(&tree);
	img_store_close(&store);
	return r;
}

static int load(const char *source, const char *name)
{
	char work[32], gen[96], real[PATH_MAX], size[32];
	_cleanup_close_ int dirfd = -1, lock = -1;
	struct img_info info = {0};
	const char *why = no_disk();
	unsigned long top;
	int r;

	if (why) {
		log_msg("image '%s': %s", name, why);
		return -ENODEV;
	}
	r = mkdir_p(KBOX_HOST_IMAGES, 0755);
	if (r == 0 && (dirfd = open(KBOX_HOST_IMAGES, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		r = -errno;
	if (r < 0 || !realpath(KBOX_HOST_IMAGES, real))
		return log_errno(r < 0 ? r : -errno, "image '%s': " KBOX_HOST_IMAGES, name);
	lock = lock_images(dirfd, name);
	if (lock < 0)
		return lock;
	if ((r = check_name(dirfd, name)) < 0)
		return r;
	/* What crashed loads left, first: the room may be needed. */
	top = collect(dirfd, real, name);
	snprintf(work, sizeof(work), "._load-%d", (int)getpid());
	snprintf(gen, sizeof(gen), ".%s.%lu", name, top + 1);
	raise_nofile();
	r = import(dirfd, work, name, source, gen, &info);
	if (r == 0)
		r = commit(dirfd, name, gen);
	stop_point("committed");
	remove_tree(dirfd, work);
	/* A failed load's generation, or the one this one replaced. */
	collect(dirfd, real, name);
	if (r == 0) {
		snprintf(size, sizeof(size), "%.1fM", info.size / 1048576.0);
		log_msg("image '%s': " KBOX_HOST_IMAGES "/%s: %s, %u layer%s, %s", name, name, size,
			info.layers, info.layers == 1 ? "" : "s", info.digest);
	}
	img_info_free(&info);
	return r;
}

int load_main(int argc, char **argv)
{
	_cleanup_free_ char *path = NULL, *layout = NULL;
	const char *tag = NULL, *source;
	char name[80];
	struct stat st;

	log_set_ident("kbox load");
	if (argc > 2 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 3 || argc > 4 || argv[2][0] == '-') {
		fputs(usage, stderr);
		return 2;
	}
	if (geteuid() != 0) {
		log_msg("needs root");
		return 1;
	}
	/* A directory that is an OCI layout is one, not a root filesystem to copy. */
	source = argv[2];
	if (asprintf(&layout, "%s/oci-layout", argv[2]) > 0 && stat(layout, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		free(layout);
		if (asprintf(&layout, "oci:%s", argv[2]) < 0)
			return !!log_errno(-ENOMEM, "load");
		source = layout;
	}
	if (argc == 4) {
		snprintf(name, sizeof(name), "%s", argv[3]);
		if (strlen(argv[3]) >= sizeof(name) || !spec_valid_name(name)) {
			log_msg("'%s' is not an image name (letters, digits, '_' and '-', up to "
				"63)",
				argv[3]);
			return 2;
		}
	} else {
		int r = img_source_split(source, &path, &tag);

		if (r == -ENOMEM)
			return !!log_errno(r, "load");
		if (img_default_name(r >= 0 ? path : source, tag, name, sizeof(name)) < 0) {
			log_msg("'%s' gives no image name ('%s'); name it: kbox load SOURCE NAME",
				argv[2], name);
			return 2;
		}
	}
	return load(source, name) < 0 ? 1 : 0;
}
